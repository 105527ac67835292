// The checker's loop detection (LANGUAGE.md §5 step 8): rules and tasks on pseudo-events that can
// raise their own event again, and segments that read each other.
#include "tests/engine/check_test_util.hpp"

namespace merit::engine::check_test {
namespace {

using Lines = std::vector<std::string>;

std::string err(const std::string& p, std::string_view at, std::string_view rest, int nth = 0) {
  return fmt::format("{} error {}", loc_of(p, at, nth), rest);
}

TEST(CheckCycles, LevelUpRuleAwardingGrowthIsALoop) {
  std::string p = kPrelude + "rule bonus on level_up { points += 10; growth += 100 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "growth += 100",
                                     "cycle: rules can raise each other in a loop: level_up "
                                     "-> rule `bonus` (growth +=) -> level_up")});
}

TEST(CheckCycles, GrowthInsideIfCountsToo) {
  std::string p =
      kPrelude +
      "rule bonus on level_up { if event.to == V3 { points += 1 } else { growth += 1 } }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "growth += 1 ",
                                     "cycle: rules can raise each other in a loop: level_up -> "
                                     "rule `bonus` (growth +=) -> level_up")});
}

TEST(CheckCycles, PointsGrantsAndGrowthDeductionsRaiseNothing) {
  std::string p = kPrelude +
                  "privilege gift quota 1 per year\n"
                  "rule a on level_up { points += 500; grant gift; tag += \"up\"; growth -= 1 }\n"
                  "rule b on join { growth += 100 }\n"
                  "rule c on level_down { growth += 100 }\n"
                  "rule d on reward_redeemed { growth += 1 }\n"
                  "reward coffee cost 300 points\n";
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckCycles, TaskOnTaskDoneCompletesIntoItself) {
  std::string p = kPrelude + "task meta on task_done count 3 { points += 100 }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "meta",
                      "cycle: rules can raise each other in a loop: task_done -> task "
                      "`meta` (completes) -> task_done")});
}

TEST(CheckCycles, LoopThroughTwoDeclarationsIsReportedAtEach) {
  std::string p = kPrelude +
                  "rule gift on task_done { growth += 50 }\n"
                  "task climber on level_up { points += 1 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "growth += 50",
                                      "cycle: rules can raise each other in a loop: task_done "
                                      "-> rule `gift` (growth +=) -> level_up -> task "
                                      "`climber` (completes) -> task_done"),
                                  err(p, "climber",
                                      "cycle: rules can raise each other in a loop: level_up -> "
                                      "task `climber` (completes) -> task_done -> rule `gift` "
                                      "(growth +=) -> level_up")}));
}

TEST(CheckCycles, ChainWithoutLoopIsFine) {
  // level_up -> task (completes) -> task_done -> rule (points only): no way back.
  std::string p = kPrelude +
                  "task climber on level_up { points += 1 }\n"
                  "rule gift on task_done { points += 50 }\n";
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckCycles, SegmentsReadingEachOther) {
  std::string p = kPrelude +
                  "segment a when segment.b and level >= V2\n"
                  "segment b when segment.c\n"
                  "segment c when segment.a\n"
                  "segment d when segment.d\n"
                  "rule r on purchase when segment.a or segment.d { points += 1 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "a when",
                                      "cycle: segments read each other in a loop: segment `a` -> "
                                      "segment `b` -> segment `c` -> segment `a`"),
                                  err(p, "d when",
                                      "cycle: segments read each other in a loop: segment `d` -> "
                                      "segment `d`")}));
}

}  // namespace
}  // namespace merit::engine::check_test
