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

}  // namespace merit::testing
