// "Did you mean": edit distance and the nearest-name rule (distance <= max(1, min(3, len/2))).
#include "dsl/suggest.hpp"

#include <gtest/gtest.h>

namespace merit::dsl {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("amount", "amount"), 0u);
  EXPECT_EQ(edit_distance("amout", "amount"), 1u);
  EXPECT_EQ(edit_distance("rul", "rule"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("Rule", "rule"), 1u);  // case-sensitive
}

TEST(Nearest, PicksTheClosestCandidateWithinTheLimit) {
  std::vector<std::string> fields = {"amount", "category", "channel", "order_id"};
  EXPECT_EQ(nearest("amout", fields), "amount");
  EXPECT_EQ(nearest("chanel", fields), "channel");
  EXPECT_EQ(nearest("zzz", fields), std::nullopt);
  EXPECT_EQ(nearest("amount", fields), "amount");
}

TEST(Nearest, ShortNamesNeedCloserMatches) {
  // len 2 -> limit 1; len 8 -> limit 3 (capped).
  EXPECT_EQ(nearest("ab", {"xy"}), std::nullopt);
  EXPECT_EQ(nearest("ab", {"ac"}), "ac");
  EXPECT_EQ(nearest("categroy", {"category"}), "category");
  EXPECT_EQ(nearest("abcdefgh", {"abcdxxxx"}), std::nullopt);
}

TEST(Nearest, BreaksTiesByCandidateOrder) {
  EXPECT_EQ(nearest("cat", {"bat", "hat"}), "bat");
  EXPECT_EQ(nearest("cat", {"hat", "bat"}), "hat");
  EXPECT_EQ(nearest("x", {}), std::nullopt);
}

}  // namespace
}  // namespace merit::dsl
