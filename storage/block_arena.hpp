// BlockArena: the memory of the member table's packed states. Blocks are carved, in 16-byte units,
// out of 2 MiB chunks that the kernel is asked to back with huge pages, and a released block goes
// on a free list of its size, from which the next block of that size is taken.
//
// Why not malloc: a million members' blocks spread over a quarter of a gigabyte of 4 KiB pages, so
// nearly every member fetched misses the TLB as well as the cache; and a member that grows frees
// and allocates a block every few operations. Here a fetch stays within a few hundred huge pages,
// and a block costs a pointer pop.
//
// HugePageAllocator: the same huge-page chunks for a std::vector that grows beyond 2 MiB (the
// table's records).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Under AddressSanitizer the arena marks what is not a live block's bytes (free blocks, the
// uncarved rest of a chunk, a record's room past its size) as poisoned, as malloc would be.
#define MERIT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MERIT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define MERIT_POISON(p, n) ((void)(p), (void)(n))
#define MERIT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace merit::storage {

// `bytes` rounded up to whole 2 MiB pages, aligned to 2 MiB, advised to be huge pages. Freed with
// std::free.
void* allocate_huge(std::size_t bytes);

class BlockArena {
 public:
  static constexpr std::size_t kUnit = 16;
  static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;
  static constexpr std::uint32_t kMaxUnits = kChunkBytes / kUnit;

  BlockArena() = default;
  // Moving hands every chunk (and so every block) over; the arena moved from is empty.
  BlockArena(BlockArena&& other) noexcept { *this = std::move(other); }
  BlockArena& operator=(BlockArena&& other) noexcept {
    if (this == &other) return *this;
    chunks_ = std::move(other.chunks_);
    free_ = std::move(other.free_);
    next_ = std::exchange(other.next_, nullptr);
    end_ = std::exchange(other.end_, nullptr);
    free_bytes_ = std::exchange(other.free_bytes_, 0);
    other.chunks_.clear();
    other.free_.clear();
    return *this;
  }

  // A block of `units` × kUnit bytes (1 <= units <= kMaxUnits), uninitialised, 16-byte aligned.
  char* allocate(std::uint32_t units);
  // Gives back a block that allocate(units) returned.
  void release(char* block, std::uint32_t units);

  // Bytes taken from the system (whole chunks) and bytes of them not in use (free lists and the
  // chunk still being carved).
  std::size_t reserved() const { return chunks_.size() * kChunkBytes; }
  std::size_t unused() const { return free_bytes_ + static_cast<std::size_t>(end_ - next_); }

 private:
  struct Free {
    void operator()(char* p) const;
  };
  std::vector<std::unique_ptr<char, Free>> chunks_;
  char* next_ = nullptr;  // where the current chunk's unused room starts
  char* end_ = nullptr;
  std::vector<char*> free_;  // by units: the first released block (whose first bytes link on)
  std::size_t free_bytes_ = 0;
};

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: converting, as allocators are

  T* allocate(std::size_t n) {
    std::size_t bytes = n * sizeof(T);
    if (bytes < BlockArena::kChunkBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(allocate_huge(bytes));
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < BlockArena::kChunkBytes) return std::allocator<T>().deallocate(p, n);
    std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector whose storage, once 2 MiB or more, is huge pages: for tables read at random.
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace merit::storage
