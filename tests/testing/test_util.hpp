// Helpers shared by the test suites: file reading, the source and shared/ directories.
#pragma once

#include <memory>
#include <string>

#include "engine/plan/plan.hpp"

namespace merit::testing {

// The repository root and the shared/ folder beside it (set by CMake).
std::string source_dir();
std::string shared_dir();

// The whole content of a file; fails the current test (and returns "") when unreadable.
std::string read_file(const std::string& path);

// The plan of a program text that must parse and check (fails the test and aborts otherwise).
std::shared_ptr<const engine::Plan> plan_of(const std::string& text);

// A one-event program for storage tests: `purchase { amount }`, one level, points += amount.
std::shared_ptr<const engine::Plan> purchase_plan();

// A program whose monthly review moves a member who bought for 200 on January 1 down to L1 on
// February 1; its rules on that level_down pay 7 points and `member.bonus` × 1000 (out of range
// when the bonus is in the trillions). For the tests of what time alone raises.
inline constexpr const char* kLevelDownBonusProgram = R"(
program p { timezone "UTC" currency "CNY" }
member { bonus: decimal }
event purchase { amount: money }
growth { window 30 days }
levels by growth review every 1 months downgrade one {
  level L1 from 0
  level L2 from 100
}
rule r on purchase { points += event.amount * 2 growth += event.amount }
rule first on level_down { points += 7 }
rule sorry on level_down { points += member.bonus * 1000 }
)";

}  // namespace merit::testing
