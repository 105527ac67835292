// A writer and a reader of the varint encodings (common/varint.hpp) over a byte string: the
// packed member state (codec/member_pack) is written and read through these, and so is the part
// of it the engine decodes itself when an operation needs it (engine/model/rare_part).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "common/decimal.hpp"
#include "common/varint.hpp"

namespace merit::bytes {

using varint::unzigzag;
using varint::zigzag;

#define MERIT_INLINE __attribute__((always_inline)) inline

// Replaces `out` through a raw cursor: the string is sized up front (to its capacity, which a
// reused string already has) and trimmed at the end, so a varint is a few stores, not an append.

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {
    out_.resize(std::max<std::size_t>(out_.capacity(), 256));
    p_ = out_.data();
    end_ = p_ + out_.size();
  }
  // Trims the string to what was written.
  void finish() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }

  MERIT_INLINE void u(std::uint64_t v) {
    need(varint::kMaxBytes);
    p_ += varint::put(p_, v);
  }
  MERIT_INLINE void s(std::int64_t v) { u(zigzag(v)); }
  void byte(std::uint8_t b) {
    need(1);
    *p_++ = static_cast<char>(b);
  }
  void str(std::string_view v) {
    u(v.size());
    raw(v);
  }
  void raw(std::string_view v) {  // bytes without their length
    need(v.size());
    std::memcpy(p_, v.data(), v.size());
    p_ += v.size();
  }
  // A part preceded by its length, written in place: `at = open_length()`, the part, then
  // `close_length(at)` writes the length in front of it (moving the part along when the length
  // takes more than one byte: a part of 128 bytes or more). What str() writes, without a copy.
  std::size_t open_length() {
    need(1);
    return static_cast<std::size_t>(p_++ - out_.data());
  }
  void close_length(std::size_t at) {
    char* part = out_.data() + at + 1;
    const std::size_t n = static_cast<std::size_t>(p_ - part);
    if (n < 0x80) {
      out_[at] = static_cast<char>(n);
      return;
    }
    char length[varint::kMaxBytes];
    const std::size_t extra = varint::put(length, n) - 1;
    need(extra);
    part = out_.data() + at + 1;
    std::memmove(part + extra, part, n);
    std::memcpy(part - 1, length, extra + 1);
    p_ += extra;
  }
  // An instant (ms) relative to `base` (varint::put_time: kNever and the minimum in one byte).
  MERIT_INLINE void time(std::int64_t v, std::int64_t base) {
    need(2 * varint::kMaxBytes);
    p_ += varint::put_time(p_, v, base);
  }
  // Decimal units: whole numbers in whole units (tag 0), others in units (tag 1), huge ones raw.
  MERIT_INLINE void dec(std::int64_t units) {
    if (units % Decimal::kScale == 0) {
      std::int64_t whole = units / Decimal::kScale;
      if (whole < varint::kTimeSmall && whole > -varint::kTimeSmall) return u(zigzag(whole) << 2);
    }
    if (units < varint::kTimeSmall && units > -varint::kTimeSmall) return u(zigzag(units) << 2 | 1);
    u(2);
    s(units);
  }
  // A period key whose "none yet" is the minimum.
  MERIT_INLINE void period(std::int32_t p) {
    u(p == std::numeric_limits<std::int32_t>::min() ? 0 : zigzag(p) + 1);
  }

 private:
  void need(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(std::max(out_.size() * 2, used + n + 64));
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

// Reads what Writer wrote; after the first malformed value ok() is false and every read gives 0.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  bool ok() const { return ok_; }
  const char* position() const { return p_; }
  bool done() const { return ok_ && p_ == end_; }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  void fail() {
    ok_ = false;
    p_ = end_;
  }

  MERIT_INLINE std::uint64_t u() {
    std::uint64_t v = 0;
    std::size_t n = varint::get(p_, end_, v);
    if (n == 0) {
      fail();
      return 0;
    }
    p_ += n;
    return v;
  }
  MERIT_INLINE std::int64_t s() { return unzigzag(u()); }
  std::uint8_t byte() {
    if (p_ == end_) {
      fail();
      return 0;
    }
    return static_cast<std::uint8_t>(*p_++);
  }
  std::string_view str() {
    std::uint64_t n = u();
    if (n > left()) {
      fail();
      return {};
    }
    std::string_view v(p_, n);
    p_ += n;
    return v;
  }
  // A count of elements that each take at least one byte: never more than the bytes left.
  MERIT_INLINE std::size_t count() {
    std::uint64_t n = u();
    if (n > left()) {
      fail();
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  MERIT_INLINE std::int64_t time(std::int64_t base) {
    std::int64_t v = 0;
    std::size_t n = varint::get_time(p_, end_, base, v);
    if (n == 0) {
      fail();
      return 0;
    }
    p_ += n;
    return v;
  }
  MERIT_INLINE std::int64_t dec() {
    std::uint64_t v = u();
    switch (v & 3) {
      case 0:
        return add(0, unzigzag(v >> 2), Decimal::kScale);
      case 1:
        return unzigzag(v >> 2);
      case 2:
        if (v == 2) return s();
        break;
      default:
        break;
    }
    fail();
    return 0;
  }
  MERIT_INLINE std::int32_t period() {
    std::uint64_t v = u();
    if (v == 0) return std::numeric_limits<std::int32_t>::min();
    std::int64_t p = unzigzag(v - 1);
    if (p < std::numeric_limits<std::int32_t>::min() ||
        p > std::numeric_limits<std::int32_t>::max()) {
      fail();
      return 0;
    }
    return static_cast<std::int32_t>(p);
  }

 private:
  // base + delta * scale, failing (not overflowing) on a malformed delta.
  std::int64_t add(std::int64_t base, std::int64_t delta, std::int64_t scale) {
    std::int64_t scaled = 0, sum = 0;
    if (__builtin_mul_overflow(delta, scale, &scaled) ||
        __builtin_add_overflow(base, scaled, &sum)) {
      fail();
      return 0;
    }
    return sum;
  }

  const char* p_;
  const char* end_;
  bool ok_ = true;
};

#undef MERIT_INLINE

}  // namespace merit::bytes
