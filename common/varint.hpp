// Varints (LEB128): unsigned 64-bit integers in 1 to 10 bytes, 7 bits a byte, low bits first, the
// high bit of each byte set when another follows. Zero is one zero byte. Signed values are
// zigzagged first (zigzag / unzigzag). The one encoding of the packed member state
// (codec/member_pack) and the award records kept in it (engine/model/award_records).
//
// A prefix form (the length told by the first byte, read with one 8-byte load) was tried and
// measured 10-15% slower on the evaluator bench: nearly all values here take one byte, which
// LEB128 reads with a single compare.
#pragma once

#include <cstddef>
#include <cstdint>

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

}  // namespace merit::varint
