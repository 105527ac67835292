// LotList: the (lot id, points) pairs a ledger entry or an award record names. Almost always one
// or two, so they live inline; more spill to the heap. Keeps the hot path free of allocation.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace merit::engine {

class LotList {
 public:
  using value_type = std::pair<std::uint32_t, std::int64_t>;

  void push_back(value_type v) {
    if (size_ < kInline) {
      inline_[size_] = v;
    } else {
      if (size_ == kInline) spill_.assign(inline_, inline_ + kInline);
      spill_.push_back(v);
    }
    ++size_;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() {
    size_ = 0;
    spill_.clear();
  }
  value_type* begin() { return size_ > kInline ? spill_.data() : inline_; }
  value_type* end() { return begin() + size_; }
  const value_type* begin() const { return size_ > kInline ? spill_.data() : inline_; }
  const value_type* end() const { return begin() + size_; }
  value_type& back() { return *(end() - 1); }
  const value_type& back() const { return *(end() - 1); }
  value_type& operator[](std::size_t i) { return begin()[i]; }
  const value_type& operator[](std::size_t i) const { return begin()[i]; }

  friend bool operator==(const LotList& a, const LotList& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  static constexpr std::size_t kInline = 2;
  value_type inline_[kInline] = {};
  std::uint32_t size_ = 0;
  std::vector<value_type> spill_;
};

}  // namespace merit::engine
