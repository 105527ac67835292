// Helpers shared by the test suites.
#include "tests/testing/test_util.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "engine/plan/planner.hpp"

namespace merit::testing {

std::string source_dir() { return MERIT_SOURCE_DIR; }
std::string shared_dir() { return MERIT_SHARED_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<const engine::Plan> plan_of(const std::string& text) {
  auto parsed = dsl::parse_program(dsl::Source("t.merit", text));
  if (!parsed.program) {
    ADD_FAILURE() << "the test program does not parse";
    std::abort();
  }
  auto plan = engine::build_plan(*parsed.program);
  if (!plan) {
    ADD_FAILURE() << "the test program does not plan: " << plan.error().message();
    std::abort();
  }
  return *plan;
}

std::shared_ptr<const engine::Plan> purchase_plan() {
  return plan_of(R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
levels by growth { level L1 from 0 }
rule r on purchase { points += event.amount }
)");
}

}  // namespace merit::testing
