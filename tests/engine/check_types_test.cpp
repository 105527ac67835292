// The checker's types (LANGUAGE.md §3, §4.11) and where statements may stand (§4.6, §8).
#include "tests/engine/check_test_util.hpp"

namespace merit::engine::check_test {
namespace {

using Lines = std::vector<std::string>;

std::string err(const std::string& p, std::string_view at, std::string_view rest, int nth = 0) {
  return fmt::format("{} error {}", loc_of(p, at, nth), rest);
}

TEST(CheckTypes, WellTypedExpressionsCheckClean) {
  std::string p =
      kPrelude +
      "rule a on purchase when event.amount > 0 and event.amount * 2 >= 10.5 {\n"
      "  points += event.amount * level.rate + 5% * event.amount\n"
      "  points += floor(event.amount / 3) + max(1, event.amount) - abs(-2)\n"
      "  if \"vip\" in member.tags and level >= V2 and not (member.city == none) {\n"
      "    tag += \"big\"\n"
      "  } else {\n"
      "    tag -= \"big\"\n"
      "  }\n"
      "}\n"
      "rule b on purchase when month(member.birthday) == month(now) and "
      "days_since(last(purchase)) > 30 and member.birthday < now and hour(now) >= 10 "
      "and weekday(event.time) != 6 and event.time > 2026-01-01T10:00 {\n"
      "  points += count(purchase within 30 days) + sum(purchase.amount within 1 year)\n"
      "}\n"
      "rule c on refund { reverse purchase where order_id == event.order_id }\n"
      "rule d on level_up when event.to == V3 and event.from < event.to { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckTypes, ConditionsMustBeBool) {
  std::string p = kPrelude +
                  "rule a on purchase when event.amount { points += 1 }\n"
                  "rule b on purchase { if event.category { points += 1 } }\n"
                  "segment s when 5\n"
                  "privilege p for member.city\n"
                  "rule c on purchase when segment.s { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "event.amount {",
                       "type-mismatch: a rule's `when` must be a bool (a "
                       "condition), not money"),
                   err(p, "event.category",
                       "type-mismatch: an `if` condition must be a bool (a "
                       "condition), not string"),
                   err(p, "5\n",
                       "type-mismatch: a segment's `when` must be a bool (a condition), "
                       "not int"),
                   err(p, "member.city\n",
                       "type-mismatch: a privilege's `for` must be a bool (a "
                       "condition), not string")}));
}

TEST(CheckTypes, ArithmeticOnNumbersOnly) {
  std::string p = kPrelude +
                  "rule a on purchase { points += event.category * 2 }\n"
                  "rule b on purchase { points += -event.category }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "* 2",
                       "type-mismatch: `*` works on numbers, not string "
                       "* int"),
                   err(p, "event.category }", "type-mismatch: `-` needs a number, not string")}));
}

TEST(CheckTypes, ComparisonsBetweenCompatibleTypes) {
  std::string p = kPrelude +
                  "rule a on purchase when event.amount > \"x\" { points += 1 }\n"
                  "rule b on purchase when event.category < \"b\" { points += 1 }\n"
                  "rule c on purchase when member.tags == member.tags { points += 1 }\n"
                  "rule d on purchase when member.birthday == none and none != event.amount "
                  "{ points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "> \"x\"",
                       "type-mismatch: cannot compare money with "
                       "string"),
                   err(p, "< \"b\"",
                       "type-mismatch: `<` does not order string values; "
                       "use == or !="),
                   err(p, "== member.tags",
                       "type-mismatch: sets are not compared; test "
                       "membership with `in` (\"vip\" in member.tags)"),
                   // Any comparison with `none` is false (§4.11): well typed, but never true.
                   fmt::format("{} warning never-fires: rule `d` can never fire: its `when` is "
                               "always false",
                               loc_of(p, "and none"))}));
}

TEST(CheckTypes, LevelComparedWithAQuotedLevelName) {
  std::string p = kPrelude + "rule a on level_up when event.to == \"V3\" { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "== \"V3\"",
                                     "type-mismatch: cannot compare a level with a "
                                     "string; write the level without quotes: "
                                     "`V3`")});
}

TEST(CheckTypes, InTestsAStringInASet) {
  std::string p = kPrelude + "rule a on purchase when \"vip\" in member.city { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "in member.city",
                                     "type-mismatch: `in` tests whether a string is "
                                     "in a set<string> (\"vip\" in member.tags), "
                                     "not string in string")});
}

TEST(CheckTypes, AndOrNotNeedBools) {
  std::string p = kPrelude +
                  "rule a on purchase when event.amount and true { points += 1 }\n"
                  "rule b on purchase when not 5 { points += 1 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "event.amount and",
                                      "type-mismatch: `and` needs a bool on each side, not "
                                      "money"),
                                  err(p, "5 {", "type-mismatch: `not` needs a bool, not int")}));
}

TEST(CheckTypes, FunctionArguments) {
  std::string p = kPrelude +
                  "rule a on purchase when month(event.amount) == 1 { points += 1 }\n"
                  "rule b on purchase when days_since(5) > 1 { points += 1 }\n"
                  "rule c on purchase when hour(member.birthday) > 1 { points += 1 }\n"
                  "rule d on purchase { points += floor(event.category) }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "event.amount) ==",
                       "type-mismatch: `month` needs a date or a time, not "
                       "money"),
                   err(p, "5) > 1", "type-mismatch: `days_since` needs a date or a time, not int"),
                   err(p, "member.birthday) > 1", "type-mismatch: `hour` needs a time, not date"),
                   err(p, "event.category) }",
                       "type-mismatch: `floor` needs a number, not "
                       "string")}));
}

TEST(CheckTypes, AmountsAreNumbersAndTagsAreStrings) {
  std::string p = kPrelude +
                  "rule a on purchase { points += \"ten\" }\n"
                  "rule b on purchase { growth -= member.birthday }\n"
                  "rule c on purchase { tag += 5 }\n"
                  "task t on purchase sum event.category reaches 100 { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "\"ten\"", "type-mismatch: `points +=` needs a number, not string"),
                   err(p, "member.birthday }",
                       "type-mismatch: `growth -=` needs a number, not "
                       "date"),
                   err(p, "5 }", "type-mismatch: a tag is a string, not int"),
                   err(p, "event.category reaches",
                       "type-mismatch: `sum` adds up numbers, not "
                       "string")}));
}

TEST(CheckTypes, MultipliersOnlyInCampaigns) {
  std::string p = kPrelude +
                  "rule a on purchase { points *= 2 }\n"
                  "reward r cost 10 points { growth *= 2 }\n"
                  "campaign c on purchase every friday { points *= 2; growth *= 1.5 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "points *= 2 }",
                                      "misplaced-statement: `points *=` is allowed only in a "
                                      "campaign, where it multiplies what rules award; not "
                                      "in a rule"),
                                  err(p, "growth *= 2",
                                      "misplaced-statement: `growth *=` is allowed only in a "
                                      "campaign, where it multiplies what rules award; not in "
                                      "a reward")}));
}

TEST(CheckTypes, ReverseOnlyInRulesAndWithAMatchingValue) {
  std::string p = kPrelude +
                  "task t on refund { reverse purchase where order_id == event.order_id }\n"
                  "rule r on refund { reverse purchase where order_id == 5 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "reverse",
                       "misplaced-statement: `reverse` is allowed only in a rule, not "
                       "in a task"),
                   err(p, "5 }",
                       "type-mismatch: `purchase.order_id` is string; it cannot match "
                       "int")}));
}

TEST(CheckTypes, LevelAttributesKeepOneKind) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event e { n: int }\n"
      "levels by growth {\n"
      "  level A from 0 { rate 1; label \"a\" }\n"
      "  level B from 10 { rate \"two\"; label \"b\" }\n"
      "}\n"
      "rule r on e { growth += event.n; points += level.rate }\n"
      "rule s on e when level.label == \"b\" { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "\"two\"",
                                     "type-mismatch: level `B` sets `rate` to a string, but level "
                                     "`A` sets it to a number: a level attribute has one kind on "
                                     "every level")});
}

TEST(CheckTypes, StringLevelAttributeIsNotANumber) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event e { n: int }\n"
      "levels by growth { level A from 0 { label \"a\" } level B from 10 }\n"
      "rule r on e { growth += event.n; points += level.label }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "level.label",
                                     "type-mismatch: `points +=` needs a number, "
                                     "not string")});
}

}  // namespace
}  // namespace merit::engine::check_test
