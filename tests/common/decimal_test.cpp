// Decimal: exact parsing, printing, rounding and checked arithmetic.
#include "common/decimal.hpp"

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
