// The checker's warnings (LANGUAGE.md §7): unreachable levels, rules that never fire, tasks whose
// package is never available, campaigns stacking past x4, unused segments and privileges.
#include "tests/engine/check_test_util.hpp"

namespace merit::engine::check_test {
namespace {

using Lines = std::vector<std::string>;

std::string warn(const std::string& p, std::string_view at, std::string_view rest, int nth = 0) {
  return fmt::format("{} warning {}", loc_of(p, at, nth), rest);
}

const std::string kHead =
    "program t { timezone \"UTC\" currency \"CNY\" }\n"
    "event purchase { amount: money }\n";

TEST(CheckWarnings, WarningsAreNotErrors) {
  std::string p = kHead + "segment s when true\n";
  auto ds = check_diagnostics(p);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].severity, dsl::Severity::kWarning);
  EXPECT_FALSE(dsl::has_errors(ds));
}

TEST(CheckWarnings, LevelsAboveTheFirstAreUnreachableWithoutGrowth) {
  std::string p = kHead +
                  "levels by growth { level A from 0 level B from 10 level C from 20 }\n"
                  "rule r on purchase { points += event.amount }\n";
  EXPECT_EQ(check_text(p),
            (Lines{warn(p, "B",
                        "unreachable-level: level `B` can never be reached: nothing in the "
                        "program awards growth (`growth +=`), so every member stays at "
                        "`A`"),
                   warn(p, "C from",
                        "unreachable-level: level `C` can never be reached: nothing in the "
                        "program awards growth (`growth +=`), so every member stays at "
                        "`A`")}));
  std::string q = kHead +
                  "levels by growth { level A from 0 level B from 10 }\n"
                  "task t on purchase count 3 { growth += 5 }\n";
  EXPECT_EQ(check_text(q), Lines{});
}

TEST(CheckWarnings, GrowthOnlyInARuleThatNeverFiresReachesNothing) {
  std::string p = kHead +
                  "levels by growth { level A from 0 level B from 10 }\n"
                  "rule r on purchase when 1 > 2 { growth += event.amount }\n";
  EXPECT_EQ(check_text(p),
            (Lines{warn(p, "B",
                        "unreachable-level: level `B` can never be reached: nothing in the "
                        "program awards growth (`growth +=`), so every member stays at "
                        "`A`"),
                   warn(p, "> 2",
                        "never-fires: rule `r` can never fire: its `when` is always "
                        "false")}));
}

TEST(CheckWarnings, ConstantFalseConditions) {
  std::string p = kHead +
                  "levels by growth review yearly { level A from 0 level B from 10 }\n"
                  "rule g on purchase { growth += event.amount }\n"
                  "rule r1 on purchase when false { points += 1 }\n"
                  "rule r2 on purchase when 2 * 3 < 5 and event.amount > 0 { points += 1 }\n"
                  "rule r3 on purchase when level < A { points += 1 }\n"
                  "rule r4 on purchase when none == none or not true { points += 1 }\n"
                  "rule r5 on purchase when level > A or false { points += 1 }\n"
                  "task t1 on purchase when \"a\" == \"b\" { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{warn(p, "false {",
                        "never-fires: rule `r1` can never fire: its `when` is always "
                        "false"),
                   warn(p, "and event.amount > 0",
                        "never-fires: rule `r2` can never fire: its `when` is always "
                        "false"),
                   warn(p, "< A",
                        "never-fires: rule `r3` can never fire: its `when` is "
                        "always false"),
                   warn(p, "or not",
                        "never-fires: rule `r4` can never fire: its `when` is "
                        "always false"),
                   warn(p, "== \"b\"",
                        "never-fires: task `t1` can never progress: its `when` is "
                        "always false")}));
}

TEST(CheckWarnings, PseudoEventsThatAreNeverRaised) {
  std::string p = kHead +
                  "levels by growth { level A from 0 }\n"
                  "rule up on level_up { points += 1 }\n"
                  "rule down on level_down { points += 1 }\n"
                  "rule done on task_done { points += 1 }\n"
                  "rule bought on reward_redeemed { points += 1 }\n";
  EXPECT_EQ(check_text(p), (Lines{warn(p, "level_up",
                                       "never-fires: rule `up` can never fire: there is no level "
                                       "above the lowest, so `level_up` is never raised"),
                                  warn(p, "level_down",
                                       "never-fires: rule `down` can never fire: there is no "
                                       "level above the lowest, so `level_down` is never raised"),
                                  warn(p, "task_done",
                                       "never-fires: rule `done` can never fire: no task is "
                                       "declared, so `task_done` is never raised"),
                                  warn(p, "reward_redeemed",
                                       "never-fires: rule `bought` can never fire: no "
                                       "reward is declared, so `reward_redeemed` is never "
                                       "raised")}));
  std::string q = kHead +
                  "levels by growth { level A from 0 level B from 10 }\n"
                  "rule g on purchase { growth += event.amount }\n"
                  "rule down on level_down { points += 1 }\n";
  EXPECT_EQ(check_text(q), Lines{warn(q, "level_down",
                                      "never-fires: rule `down` can never fire: `level_down` is "
                                      "raised only by reviews, and `levels` has no `review`")});
}

TEST(CheckWarnings, TaskInAPackageThatIsNeverAvailable) {
  std::string p = kHead +
                  "package closed for 1 > 2 available 30 days after join\n"
                  "package open for true\n"
                  "task a in closed on purchase { points += 1 }\n"
                  "task b in open on purchase { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{warn(p, "closed",
                                      "never-available: task `a` can never progress: its package "
                                      "`closed` is never available (the package's `for` is always "
                                      "false)",
                                      1)});
}

TEST(CheckWarnings, CampaignsStackingPastFour) {
  // The 18th is a Friday in some months: x2 * x3 = x6.
  std::string p = kHead +
                  "rule r on purchase { points += event.amount }\n"
                  "campaign day18 on purchase every month on day 18 { points *= 2 }\n"
                  "campaign friday every friday { points *= 3 }\n";
  EXPECT_EQ(check_text(p), Lines{warn(p, "friday every",
                                      "stacking: campaigns `day18` and `friday` can be active "
                                      "together on `purchase` and multiply points by 6, more "
                                      "than x4")});
}

TEST(CheckWarnings, CampaignsThatCannotOverlapDoNotStack) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"campaign a on purchase every month on day 18 { points *= 3 }",
       "campaign b on purchase every month on day 19 { points *= 3 }"},
      {"campaign a during 2026-06-01 .. 2026-06-03 { points *= 3 }",
       "campaign b during 2026-07-01 .. 2026-07-31 { points *= 3 }"},
      {"campaign a on purchase every day from 11:00 to 13:00 { points *= 3 }",
       "campaign b on purchase every day from 22:00 to 02:00 { points *= 3 }"},
      // 2026-06-01 .. 03 is Monday to Wednesday, and holds no 18th.
      {"campaign a during 2026-06-01 .. 2026-06-03 { points *= 3 }",
       "campaign b every friday { points *= 3 }"},
      {"campaign a during 2026-06-01 .. 2026-06-03 { points *= 3 }",
       "campaign b every month on day 18 { points *= 3 }"},
      // Only constant, unconditional multipliers count; a `for` that is always false never applies.
      {"campaign a every friday { points *= 3 }",
       "campaign b every friday { if event.amount > 1 { points *= 3 } }"},
      {"campaign a every friday { points *= 3 }",
       "campaign b every friday for false { points *= 3 }"},
  };
  for (const auto& [a, b] : pairs) {
    std::string p = kHead + "rule r on purchase { points += event.amount }\n" + a + "\n" + b + "\n";
    EXPECT_EQ(check_text(p), Lines{}) << p;
  }
  std::string p = kHead +
                  "rule r on purchase { points += event.amount }\n"
                  "campaign a during 2026-06-01 .. 2026-06-05 { points *= 3 }\n"
                  "campaign b every friday { points *= 3 }\n";
  EXPECT_EQ(check_text(p), Lines{warn(p, "b every",
                                      "stacking: campaigns `a` and `b` can be active together on "
                                      "`purchase` and multiply points by 9, more than x4")});
}

TEST(CheckWarnings, StackingReportsTheLargestSetOnce) {
  std::string p = kHead +
                  "event signin {}\n"
                  "rule r on purchase { points += event.amount }\n"
                  "campaign d18 every month on day 18 { points *= 2 }\n"
                  "campaign friday every friday { points *= 2 }\n"
                  "campaign lunch every day from 11:00 to 13:00 { points *= 2; growth *= 5 }\n"
                  "campaign dinner on signin every day from 12:00 to 20:00 { growth *= 1.5 }\n";
  // x2 * x2 = 4 is not more than 4; with lunch, x8 (on both events, reported once). Growth:
  // lunch x5 with dinner x1.5 on signin at noon.
  EXPECT_EQ(check_text(p), (Lines{warn(p, "lunch every",
                                       "stacking: campaigns `d18`, `friday` and `lunch` can be "
                                       "active together on `purchase` and multiply points by "
                                       "8, more than x4"),
                                  warn(p, "dinner",
                                       "stacking: campaigns `lunch` and `dinner` can be active "
                                       "together on `signin` and multiply growth by 7.5, more than "
                                       "x4")}));
}

TEST(CheckWarnings, ProductOfExactlyFourIsFine) {
  std::string p = kHead +
                  "rule r on purchase { points += event.amount }\n"
                  "campaign a on purchase every friday { points *= 2 }\n"
                  "campaign b on purchase every month on day 13 { points *= 2 }\n";
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckWarnings, UnusedSegmentsAndPrivileges) {
  std::string p = kHead +
                  "privilege granted\n"
                  "privilege by_level for true\n"
                  "privilege by_quota quota 1 per month\n"
                  "privilege forgotten\n"
                  "segment used when true\n"
                  "segment self when segment.self\n"
                  "segment idle when segment.used\n"
                  "rule r on purchase { grant granted }\n";
  auto lines = check_text(p);
  EXPECT_EQ(lines, (Lines{warn(p, "forgotten",
                               "unused: privilege `forgotten` is never given: it has no "
                               "`for` or `quota`, and no `grant forgotten` names it"),
                          fmt::format("{} error cycle: segments read each other in a loop: segment "
                                      "`self` -> segment `self`",
                                      loc_of(p, "self")),
                          warn(p, "self",
                               "unused: segment `self` is never used: no expression reads "
                               "`segment.self`"),
                          warn(p, "idle",
                               "unused: segment `idle` is never used: no expression reads "
                               "`segment.idle`")}));
}

}  // namespace
}  // namespace merit::engine::check_test

namespace merit::engine::check_test {
namespace {

// Many campaigns on many events stay quick to check: 40 campaigns x1.01 never pass x4 together
// (1.01^40 is about 1.49), so no warning, whatever the schedules.
TEST(CheckWarnings, ManyCampaignsNoStacking) {
  std::string p = "program t { timezone \"UTC\" currency \"CNY\" }\n";
  for (int e = 0; e < 10; ++e) p += fmt::format("event e{} {{ amount: money }}\n", e);
  for (int k = 0; k < 40; ++k) {
    std::string schedule = k % 4 == 0   ? fmt::format("every month on day {}", k % 28 + 1)
                           : k % 4 == 1 ? "every friday"
                           : k % 4 == 2
                               ? fmt::format("every day from {:02}:00 to {:02}:30", k % 24, k % 24)
                               : fmt::format("during 2026-01-{:02} .. 2026-12-31", k % 28 + 1);
    std::string on = k % 2 == 0 ? fmt::format("on e{} ", k % 10) : "";
    p += fmt::format("campaign c{} {}{} {{ points *= 1.01 }}\n", k, on, schedule);
  }
  EXPECT_EQ(check_text(p), Lines{});
}

}  // namespace
}  // namespace merit::engine::check_test
