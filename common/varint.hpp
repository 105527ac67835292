// Varints (LEB128): unsigned 64-bit integers in 1 to 10 bytes, 7 bits a byte, low bits first, the
// high bit of each byte set when another follows. Zero is one zero byte. Signed values are
// zigzagged first (zigzag / unzigzag). The one encoding of the packed member state
// (codec/member_pack) and the award records and lots kept in it (engine/model/award_records,
// engine/model/lot_records).
//
// A prefix form (the length told by the first byte, read with one 8-byte load) was tried and
// measured 10-15% slower on the evaluator bench: nearly all values here take one byte, which
// LEB128 reads with a single compare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace merit::varint {

inline constexpr std::size_t kMaxBytes = 10;

constexpr std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

// Writes v at p, which must have room for kMaxBytes bytes, and returns its length.
inline std::size_t put(char* p, std::uint64_t v) {
  std::size_t n = 0;
  while (v >= 0x80) {
    p[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  p[n++] = static_cast<char>(v);
  return n;
}

// Reads a varint from [p, end) into v and returns its length, or 0 (v untouched) when the bytes
// end before it does or it runs past 64 bits. Never reads at or past `end`.
inline std::size_t get(const char* p, const char* end, std::uint64_t& v) {
  if (p != end && static_cast<std::uint8_t>(*p) < 0x80) {  // one byte: most of them
    v = static_cast<std::uint8_t>(*p);
    return 1;
  }
  std::uint64_t x = 0;
  std::size_t n = 0;
  for (int shift = 0; shift < 64 && p + n != end; shift += 7) {
    auto b = static_cast<std::uint8_t>(p[n++]);
    x |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      v = x;
      return n;
    }
  }
  return 0;
}

// An instant in milliseconds, relative to a base instant, as one varint whose low two bits tag it:
// 1 whole seconds after the base, 2 milliseconds after it, 0 special: payload 0 the maximum (the
// state's "never"), 1 the minimum, 3 zero (the state's "none"), and 2 a raw zigzag varint of the
// instant follows (a delta too far to take the short forms). put_time needs 2 * kMaxBytes of room.
inline constexpr std::int64_t kTimeSmall = std::int64_t{1} << 60;

__attribute__((always_inline)) inline std::size_t put_time(char* p, std::int64_t v,
                                                           std::int64_t base) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  if (v == kMax) return put(p, 0);
  if (v == kMin) return put(p, 1u << 2);
  if (v == 0) return put(p, 3u << 2);
  std::int64_t d = 0;
  if (__builtin_sub_overflow(v, base, &d) || d >= kTimeSmall || d <= -kTimeSmall) {
    std::size_t n = put(p, 2u << 2);
    return n + put(p + n, zigzag(v));
  }
  if (d % 1000 == 0) return put(p, zigzag(d / 1000) << 2 | 1);
  return put(p, zigzag(d) << 2 | 2);
}

// Reads what put_time wrote into v; its length, or 0 on malformed bytes (v unspecified).
__attribute__((always_inline)) inline std::size_t get_time(const char* p, const char* end,
                                                           std::int64_t base, std::int64_t& v) {
  std::uint64_t code = 0;
  std::size_t n = get(p, end, code);
  if (n == 0) return 0;
  std::int64_t scale = 1;
  switch (code & 3) {
    case 1:
      scale = 1000;
      [[fallthrough]];
    case 2: {
      std::int64_t scaled = 0;
      if (__builtin_mul_overflow(unzigzag(code >> 2), scale, &scaled) ||
          __builtin_add_overflow(base, scaled, &v))
        return 0;
      return n;
    }
    case 0:
      if (code == 0) {
        v = std::numeric_limits<std::int64_t>::max();
        return n;
      }
      if (code == (1u << 2)) {
        v = std::numeric_limits<std::int64_t>::min();
        return n;
      }
      if (code == (3u << 2)) {
        v = 0;
        return n;
      }
      if (code == (2u << 2)) {
        std::uint64_t raw = 0;
        std::size_t m = get(p + n, end, raw);
        if (m == 0) return 0;
        v = unzigzag(raw);
        return n + m;
      }
      return 0;
    default:
      return 0;
  }
}

}  // namespace merit::varint
