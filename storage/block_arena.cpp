// BlockArena: chunks of huge pages, carved in 16-byte units, with a free list per block size.
#include "storage/block_arena.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include <sys/mman.h>

namespace merit::storage {

void* allocate_huge(std::size_t bytes) {
  constexpr std::size_t kPage = BlockArena::kChunkBytes;
  std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
  void* p = std::aligned_alloc(kPage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Only advice: where transparent huge pages are off it fails, and the pages stay small.
  madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}

void BlockArena::Free::operator()(char* p) const { std::free(p); }

char* BlockArena::allocate(std::uint32_t units) {
  if (units < free_.size() && free_[units] != nullptr) {
    char* block = free_[units];
    MERIT_UNPOISON(block, std::size_t{units} * kUnit);
    std::memcpy(&free_[units], block, sizeof(char*));
    free_bytes_ -= units * kUnit;
    return block;
  }
  std::size_t bytes = std::size_t{units} * kUnit;
  if (static_cast<std::size_t>(end_ - next_) < bytes) {
    // The rest of the current chunk goes on the free lists, as one block of its whole size.
    if (next_ != end_) release(next_, static_cast<std::uint32_t>((end_ - next_) / kUnit));
    chunks_.emplace_back(static_cast<char*>(allocate_huge(kChunkBytes)));
    next_ = chunks_.back().get();
    end_ = next_ + kChunkBytes;
    MERIT_POISON(next_, kChunkBytes);
  }
  char* block = next_;
  next_ += bytes;
  MERIT_UNPOISON(block, bytes);
  return block;
}

void BlockArena::release(char* block, std::uint32_t units) {
  if (units >= free_.size()) free_.resize(units + 1, nullptr);
  MERIT_UNPOISON(block, sizeof(char*));
  std::memcpy(block, &free_[units], sizeof(char*));
  MERIT_POISON(block, std::size_t{units} * kUnit);
  free_[units] = block;
  free_bytes_ += units * kUnit;
}

}  // namespace merit::storage
