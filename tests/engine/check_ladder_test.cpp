// The checker's level ladder (LANGUAGE.md §4.5) and the values written in clauses: timezone,
// currency, durations, dates, schedules, caps, quotas, limits, costs.
#include "tests/engine/check_test_util.hpp"

namespace merit::engine::check_test {
namespace {

using Lines = std::vector<std::string>;

std::string err(const std::string& p, std::string_view at, std::string_view rest, int nth = 0) {
  return fmt::format("{} error {}", loc_of(p, at, nth), rest);
}

const std::string kHead =
    "program t { timezone \"UTC\" currency \"CNY\" }\n"
    "event e { n: int }\n"
    "rule r on e { growth += event.n }\n";

TEST(CheckLadder, LowestLevelStartsAtZero) {
  std::string p = kHead + "levels by growth { level A from 10 level B from 20 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "10",
                                     "ladder: the lowest level `A` must be `from 0`, not "
                                     "`from 10`: every member starts there")});
}

TEST(CheckLadder, ThresholdsStrictlyIncrease) {
  std::string p = kHead + "levels by growth { level A from 0 level B from 100 level C from 100 }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "100",
                      "ladder: level `C` must start above level `B` (from 100), not at "
                      "100: levels are listed lowest first and `from` strictly increases",
                      1)});
}

TEST(CheckLadder, KeepMayNotExceedFrom) {
  std::string p = kHead +
                  "levels by growth review yearly {\n"
                  "  level A from 0\n"
                  "  level B from 100 keep 80\n"
                  "  level C from 200 keep 250\n"
                  "}\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "level C",
                                     "ladder: level `C`: `keep 250` exceeds its `from 200`; the "
                                     "growth needed to stay may not be more than the growth needed "
                                     "to arrive")});
}

TEST(CheckLadder, ReviewCountsCalendarUnits) {
  std::string p =
      kHead + "levels by growth review every 12 hours { level A from 0 level B from 9 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "12 hours",
                                     "value: `review every` is counted in days, "
                                     "weeks, months or years, not hours")});
}

TEST(CheckLadder, ProgramWithoutLevelsIsAllowed) {
  std::string p = kHead;
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckValues, TimezoneMustBeAnIanaName) {
  std::string p = "program t { timezone \"Asia/Shanghia\" currency \"CNY\" }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "program",
                                     "timezone: unknown time zone \"Asia/Shanghia\"; "
                                     "expected an IANA name such as "
                                     "\"Asia/Shanghai\" or \"UTC\"")});
  EXPECT_EQ(check_text("program t { timezone \"Europe/Paris\" currency \"EUR\" }\n"), Lines{});
}

TEST(CheckValues, CurrencyIsAnIsoCode) {
  std::string p = "program t { timezone \"UTC\" currency \"yuan\" }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "program",
                                     "currency: currency \"yuan\" is not an ISO 4217 "
                                     "code such as \"CNY\" or \"USD\"")});
}

TEST(CheckValues, DatesAreRealAndRangesInOrder) {
  std::string p = kHead +
                  "package a during 2026-02-30 .. 2026-03-01\n"
                  "package b during 2026-06-03 .. 2026-06-01\n"
                  "campaign c on e during 2026-07-01 .. 2026-06-01 { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "2026-02-30", "value: `2026-02-30` is not a real date (YYYY-MM-DD)"),
                   err(p, "2026-06-03",
                       "value: `during 2026-06-03 .. 2026-06-01` ends before it "
                       "starts"),
                   err(p, "2026-07-01",
                       "value: `during 2026-07-01 .. 2026-06-01` ends before it "
                       "starts")}));
}

TEST(CheckValues, Schedules) {
  std::string p = kHead +
                  "campaign b on e every day from 10:00 to 10:00 { points += 1 }\n"
                  "campaign c on e every day from 22:00 to 02:00 { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "every day",
                                     "value: `every day from 10:00 to 10:00` is an empty window: "
                                     "the start is included and the end excluded")});
}

// The .merit parser refuses these already; a tree from elsewhere is checked too.
TEST(CheckValues, ScheduleValuesInATree) {
  std::string p = kHead + "campaign a on e every month on day 18 { points += 1 }\n";
  dsl::ParseOutput out = dsl::parse_program(dsl::Source("t.merit", p));
  ASSERT_TRUE(out.program);
  out.program->campaigns[0].every->day = 32;
  std::vector<std::string> lines;
  for (const auto& d : check_program(*out.program)) lines.push_back(describe(d));
  EXPECT_EQ(lines, Lines{err(p, "every month",
                             "value: `every month on day 32`: the day of the "
                             "month must be 1 to 31")});
  out.program->campaigns[0].every->kind = dsl::ast::RecurKind::kDailyHours;
  out.program->campaigns[0].every->from = "24:00";
  out.program->campaigns[0].every->to = "10:60";
  lines.clear();
  for (const auto& d : check_program(*out.program)) lines.push_back(describe(d));
  EXPECT_EQ(lines, (Lines{err(p, "every month",
                              "value: `24:00` is not a time of day; expected HH:MM from "
                              "00:00 to 23:59"),
                          err(p, "every month",
                              "value: `10:60` is not a time of day; expected HH:MM from "
                              "00:00 to 23:59")}));
}

TEST(CheckValues, AmountsAndDurations) {
  std::string p = kHead +
                  "points { expire after 0 days cap 0 per day }\n"
                  "package k available 12 hours after join\n"
                  "task t in k on e count 0 within 30 days { points += 1 }\n"
                  "reward w cost 0 points limit 1 per member\n"
                  "campaign c on e every friday budget 0 points { points += 1 }\n"
                  "privilege p quota 0 per month\n";
  EXPECT_EQ(
      check_text(p),
      (Lines{err(p, "0 days", "value: `expire after` must be at least 1 day, not 0"),
             err(p, "0 per day", "value: a points cap must be at least 1, not 0"),
             err(p, "12 hours",
                 "value: `available ... after join` is counted in days, "
                 "weeks, months or years, not hours"),
             err(p, "count 0", "value: task `t`: the goal must count at least 1, not 0"),
             err(p, "0 points", "value: reward `w`: the cost must be at least 1 point"),
             err(p, "0 points", "value: campaign `c`: the budget must be at least 1 point", 1),
             err(p, "0 per month", "value: a privilege quota must be at least 1, not 0")}));
}

TEST(CheckValues, StatementDurations) {
  std::string p = kHead +
                  "privilege p quota 1 per month\n"
                  "rule s on e { points += 1 expire after 0 months; grant p 0 valid 0 days }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "0 months", "value: `expire after` must be at least 1 month, not 0"),
                   err(p, "grant", "value: `grant p` gives at least 1 use, not 0"),
                   err(p, "0 days", "value: `valid` must be at least 1 day, not 0")}));
}

}  // namespace
}  // namespace merit::engine::check_test

namespace merit::engine::check_test {
namespace {

std::vector<std::string> check_tree(const dsl::ast::Program& p) {
  std::vector<std::string> lines;
  for (const auto& d : check_program(p)) lines.push_back(describe(d));
  return lines;
}

dsl::ast::Program parse_ok(const std::string& text) {
  dsl::ParseOutput out = dsl::parse_program(dsl::Source("t.merit", text));
  EXPECT_TRUE(out.program) << text;
  return out.program ? *out.program : dsl::ast::Program{};
}

TEST(CheckLadder, EmptyLadder) {
  std::string p = kHead + "levels by growth { level A from 0 }\n";
  auto tree = parse_ok(p);
  tree.levels->levels.clear();
  EXPECT_EQ(check_tree(tree), std::vector<std::string>{err(p, "levels",
                                                           "ladder: `levels` needs at "
                                                           "least one level; the "
                                                           "lowest is `from 0`")});
}

TEST(CheckLadder, ReservedLevelNamesAndRepeatedAttributes) {
  std::string p = kHead + "levels by growth { level A from 0 { x 1; x 2 } level B from 5 }\n";
  auto tree = parse_ok(p);
  EXPECT_EQ(check_tree(tree), std::vector<std::string>{
                                  err(p, "x 2", "duplicate: level `A` sets attribute `x` twice")});
  tree.levels->levels[0].attributes.clear();
  tree.levels->levels[1].id.name = "now";
  tree.levels->levels[1].keep = -1;
  tree.levels->by = "points";
  EXPECT_EQ(check_tree(tree),
            (std::vector<std::string>{
                err(p, "levels",
                    "ladder: levels are qualified `by growth`; `by points` is not "
                    "supported"),
                err(p, "level B", "ladder: level `now`: `keep` cannot be negative, not -1"),
                err(p, "B",
                    "reserved: a level cannot be called `now`: in expressions `now` means "
                    "the event's time")}));
}

TEST(CheckValues, DurationsAreAtMostAThousandYears) {
  // The largest count of each unit is accepted; one more is refused, with the limit in the unit
  // that was written, so that an instant plus any duration stays far inside 64 bits.
  std::string ok = kHead +
                   "privilege p quota 1 per month\n"
                   "points { expire after 1000 years }\n"
                   "package k available 12000 months after join\n"
                   "task t in k on e count 2 within 366000 days { points += 1 }\n"
                   "rule s on e when event.n > 0 { grant p 1 valid 8784000 hours }\n"
                   "rule x on e { points += 1 expire after 52285 weeks }\n";
  EXPECT_EQ(check_text(ok), Lines{});
  std::string p = kHead +
                  "privilege p quota 1 per month\n"
                  "points { expire after 1001 years }\n"
                  "package k available 12001 months after join\n"
                  "task t in k on e count 2 within 366001 days { points += 1 }\n"
                  "rule s on e when event.n > 0 { grant p 1 valid 8784001 hours }\n"
                  "rule x on e { points += 1 expire after 52286 weeks }\n";
  EXPECT_EQ(
      check_text(p),
      (Lines{
          err(p, "1001 years", "value: `expire after` must be at most 1000 years, not 1001 years"),
          err(p, "12001 months",
              "value: `available ... after join` must be at most 1000 years (12000 months), "
              "not 12001 months"),
          err(p, "366001 days",
              "value: a goal's window must be at most 1000 years (366000 days), not 366001 "
              "days"),
          err(p, "8784001 hours",
              "value: `valid` must be at most 1000 years (8784000 hours), not 8784001 hours"),
          err(p, "52286 weeks",
              "value: `expire after` must be at most 1000 years (52285 weeks), not 52286 "
              "weeks")}));
}

TEST(CheckValues, PeriodsStockAndClausesInATree) {
  std::string p = kHead +
                  "privilege p quota 4 per month\n"
                  "reward w cost 10 points stock 5\n"
                  "card plus lasts 1 year { grant p }\n"
                  "rule s on e { points -= 1 }\n";
  auto tree = parse_ok(p);
  tree.privileges[0].quota->period = dsl::ast::Period::kMember;
  tree.rewards[0].stock = -1;
  tree.cards[0].lasts.count = 0;
  tree.rules[1].body[0].pending = dsl::ast::Duration{7, dsl::ast::Unit::kDay, {}};
  EXPECT_EQ(
      check_tree(tree),
      (std::vector<std::string>{err(p, "4 per month",
                                    "value: a privilege quota is per day, week, month or year; "
                                    "`per member` is for reward limits"),
                                err(p, "reward", "value: reward `w`: the stock cannot be negative"),
                                err(p, "1 year", "value: `lasts` must be at least 1 year, not 0"),
                                err(p, "points -= 1",
                                    "misplaced-clause: `expire` and `pending` apply only to "
                                    "`points +=` (a new lot)")}));
}

TEST(CheckValues, SumGoalTargetIsPositive) {
  std::string p = kHead + "task t on e sum event.n reaches 0 { points += 1 }\n";
  EXPECT_EQ(check_text(p), std::vector<std::string>{err(p, "0 {",
                                                        "value: task `t`: `reaches` needs "
                                                        "a number above 0")});
}

}  // namespace
}  // namespace merit::engine::check_test
