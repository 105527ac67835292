// Decimal: exact parsing, printing, rounding and checked arithmetic.
#include "common/decimal.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace merit {
namespace {

Decimal d(const char* s) { return *Decimal::parse(s); }

TEST(Decimal, ParsesAndPrintsCanonically) {
  EXPECT_EQ(d("100.5").to_string(), "100.5");
  EXPECT_EQ(d("1.50").to_string(), "1.5");
  EXPECT_EQ(d("-0.05").to_string(), "-0.05");
  EXPECT_EQ(d("12").to_string(), "12");
  EXPECT_EQ(d("0.000001").units(), 1);
  EXPECT_EQ(Decimal::parse("5", true)->to_string(), "0.05");
  EXPECT_EQ(Decimal::parse("12.5", true)->to_string(), "0.125");
}

TEST(Decimal, PrintsEveryMagnitudeAndParsesItBack) {
  auto text = [](std::int64_t units) { return Decimal::from_units(units).to_string(); };
  EXPECT_EQ(text(0), "0");
  EXPECT_EQ(text(1), "0.000001");
  EXPECT_EQ(text(-1), "-0.000001");
  EXPECT_EQ(text(10), "0.00001");
  EXPECT_EQ(text(1'000'000), "1");
  EXPECT_EQ(text(-1'500'000), "-1.5");
  EXPECT_EQ(text(123'000'450), "123.00045");
  EXPECT_EQ(text(std::numeric_limits<std::int64_t>::max()), "9223372036854.775807");
  EXPECT_EQ(text(std::numeric_limits<std::int64_t>::min()), "-9223372036854.775808");
  // Against a second way of writing it (whole and six fractional digits, trailing zeros cut),
  // over units of every length, and back through parse().
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 20000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    auto units = static_cast<std::int64_t>(x >> (i % 63));
    if (i % 2) units = -units;
    std::uint64_t mag =
        units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    std::string frac = std::to_string(mag % 1'000'000);
    frac.insert(0, 6 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    std::string expect =
        (units < 0 ? "-" : "") + std::to_string(mag / 1'000'000) + (frac.empty() ? "" : "." + frac);
    ASSERT_EQ(text(units), expect) << units;
    char buf[Decimal::kMaxChars];
    ASSERT_EQ(std::string(buf, Decimal::from_units(units).to_chars(buf)), expect);
    if (mag < 9'000'000'000'000'000'000ull) {  // within what parse() takes: ±9.2e12 units of 1
      auto back = Decimal::parse(expect);
      ASSERT_TRUE(back.has_value()) << expect;
      ASSERT_EQ(back->units(), units) << expect;
    }
  }
}

TEST(Decimal, RefusesInexactOrMalformedText) {
  EXPECT_FALSE(Decimal::parse("0.0000001"));
  EXPECT_TRUE(Decimal::parse("0.10000000"));  // trailing zeros lose nothing
  EXPECT_FALSE(Decimal::parse("1e3"));
  EXPECT_FALSE(Decimal::parse(""));
  EXPECT_FALSE(Decimal::parse("."));
  EXPECT_FALSE(Decimal::parse("1.2.3"));
  EXPECT_FALSE(Decimal::parse("99999999999999999999"));
}

TEST(Decimal, RoundsEachWay) {
  EXPECT_EQ(d("2.5").floor(), 2);
  EXPECT_EQ(d("-2.5").floor(), -3);
  EXPECT_EQ(d("2.1").ceil(), 3);
  EXPECT_EQ(d("-2.1").ceil(), -2);
  EXPECT_EQ(d("2.5").round(), 3);
  EXPECT_EQ(d("2.4999").round(), 2);
  EXPECT_EQ(d("-2.5").round(), -3);
  EXPECT_EQ(d("-2.7").trunc(), -2);
}

TEST(Decimal, MultipliesExactly) {
  Decimal out;
  ASSERT_TRUE(Decimal::mul(d("100.5"), d("1.2"), out));
  EXPECT_EQ(out.to_string(), "120.6");
  ASSERT_TRUE(Decimal::mul(d("999.99"), d("1.5"), out));
  EXPECT_EQ(out.to_string(), "1499.985");
  ASSERT_TRUE(Decimal::div(d("10"), d("4"), out));
  EXPECT_EQ(out.to_string(), "2.5");
  EXPECT_FALSE(Decimal::div(d("10"), d("0"), out));
  EXPECT_FALSE(Decimal::mul(d("9000000000000"), d("9000000000000"), out));
}

}  // namespace
}  // namespace merit
