// common/varint.hpp: every length round-trips, the sizes are the documented ones, and a varint cut
// short or too long is refused without reading past its end.
#include "common/varint.hpp"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace merit {
namespace {

// Values at and around every length boundary (7 bits a byte).
std::vector<std::uint64_t> boundary_values() {
  std::vector<std::uint64_t> v = {0, 1, std::numeric_limits<std::uint64_t>::max()};
  for (int bits = 1; bits < 64; ++bits) {
    std::uint64_t p = std::uint64_t{1} << bits;
    v.insert(v.end(), {p - 1, p, p + 1});
  }
  return v;
}

TEST(Varint, EveryLengthRoundTripsWithTheDocumentedSize) {
  for (std::uint64_t value : boundary_values()) {
    char buf[varint::kMaxBytes + 8] = {};  // longer than the varint: the long-buffer path
    std::size_t n = varint::put(buf, value);
    int bits = value == 0 ? 1 : 64 - __builtin_clzll(value);
    std::size_t want = static_cast<std::size_t>((bits + 6) / 7);
    EXPECT_EQ(n, want) << value;
    // Read from a buffer exactly n long (the short-read path) and from a longer one.
    std::vector<char> exact(buf, buf + n);
    std::uint64_t got = 0;
    EXPECT_EQ(varint::get(exact.data(), exact.data() + exact.size(), got), n) << value;
    EXPECT_EQ(got, value);
    got = 0;
    EXPECT_EQ(varint::get(buf, buf + sizeof buf, got), n) << value;
    EXPECT_EQ(got, value);
  }
}

TEST(Varint, ZeroIsOneZeroByteAndSmallValuesOneByte) {
  char buf[varint::kMaxBytes];
  ASSERT_EQ(varint::put(buf, 0), 1u);
  EXPECT_EQ(buf[0], 0);
  ASSERT_EQ(varint::put(buf, 127), 1u);
  EXPECT_EQ(static_cast<unsigned char>(buf[0]), 127u);
  ASSERT_EQ(varint::put(buf, 128), 2u);
  EXPECT_EQ(static_cast<unsigned char>(buf[0]), 0x80u);  // more follows
  EXPECT_EQ(static_cast<unsigned char>(buf[1]), 1u);
  ASSERT_EQ(varint::put(buf, ~std::uint64_t{0}), varint::kMaxBytes);
}

TEST(Varint, MoreThanTenBytesIsRefused) {
  // Eleven continuation bytes: no 64-bit value is that long.
  std::vector<char> bytes(11, static_cast<char>(0x80));
  bytes.push_back(0);
  std::uint64_t got = 7;
  EXPECT_EQ(varint::get(bytes.data(), bytes.data() + bytes.size(), got), 0u);
  EXPECT_EQ(got, 7u);
}

TEST(Varint, ACutVarintIsRefusedAtEveryLength) {
  for (std::uint64_t value : boundary_values()) {
    char buf[varint::kMaxBytes];
    std::size_t n = varint::put(buf, value);
    for (std::size_t cut = 0; cut < n; ++cut) {
      // On the heap, exactly `cut` bytes long: ASan reports any read past it.
      std::vector<char> part(buf, buf + cut);
      std::uint64_t got = 12345;
      EXPECT_EQ(varint::get(part.data(), part.data() + cut, got), 0u) << value << " cut " << cut;
      EXPECT_EQ(got, 12345u);
    }
  }
}

TEST(Varint, SequencesOfRandomValuesReadBackInOrder) {
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> values;
  std::vector<char> bytes;
  for (int i = 0; i < 10000; ++i) {
    std::uint64_t v = rng() >> (rng() % 64);
    values.push_back(v);
    char buf[varint::kMaxBytes];
    bytes.insert(bytes.end(), buf, buf + varint::put(buf, v));
  }
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  for (std::uint64_t want : values) {
    std::uint64_t got = 0;
    std::size_t n = varint::get(p, end, got);
    ASSERT_GT(n, 0u);
    ASSERT_EQ(got, want);
    p += n;
  }
  EXPECT_EQ(p, end);
}

TEST(Varint, ZigzagKeepsSmallMagnitudesSmall) {
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, std::int64_t{-64}, std::int64_t{63},
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(varint::unzigzag(varint::zigzag(v)), v);
  }
  char buf[varint::kMaxBytes];
  EXPECT_EQ(varint::put(buf, varint::zigzag(-64)), 1u);
  EXPECT_EQ(varint::put(buf, varint::zigzag(64)), 2u);
}

}  // namespace
}  // namespace merit
