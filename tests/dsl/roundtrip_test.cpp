// Round trips (STYLE.md §6, fmt's check_round_trip): for generated programs and every .merit file
// of shared/conformance and rulesets/, print_dsl -> parse gives an equal tree and the same text,
// and print_yaml -> load_yaml -> print_dsl gives the canonical .merit text byte for byte.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "dsl/printer.hpp"
#include "dsl/source.hpp"

#include "tests/testing/program_generator.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::dsl {
namespace {

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds)
    out += d.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " +
           d.message + "\n";
  return out;
}

// Checks both round trips of `program`; `what` names it in failures. Returns false on the first
// failure so a loop can stop early instead of printing a thousand copies.
bool check_round_trips(const ast::Program& program, const std::string& what) {
  std::string dsl = print_dsl(program);
  ParseOutput again = parse_program(Source(what + ".merit", dsl));
  if (!again.program) {
    ADD_FAILURE() << what << ": canonical text does not parse:\n"
                  << dump(again.diagnostics) << "--- text:\n"
                  << dsl;
    return false;
  }
  if (!(*again.program == program)) {
    ADD_FAILURE() << what << ": canonical text parses to a different tree; reprinted:\n"
                  << print_dsl(*again.program) << "--- printed:\n"
                  << dsl;
    return false;
  }
  std::string dsl2 = print_dsl(*again.program);
  if (dsl2 != dsl) {
    EXPECT_EQ(dsl2, dsl) << what << ": printing is not stable";
    return false;
  }
  std::string yaml = print_yaml(program);
  ParseOutput loaded = load_yaml_program(Source(what + ".merit.yaml", yaml));
  if (!loaded.program) {
    ADD_FAILURE() << what << ": YAML twin does not load:\n"
                  << dump(loaded.diagnostics) << "--- YAML:\n"
                  << yaml;
    return false;
  }
  std::string from_yaml = print_dsl(*loaded.program);
  if (from_yaml != dsl) {
    EXPECT_EQ(from_yaml, dsl) << what << ": DSL -> YAML -> DSL differs; YAML:\n" << yaml;
    return false;
  }
  if (!(*loaded.program == program)) {
    ADD_FAILURE() << what << ": the YAML twin loads to a different tree (same text)";
    return false;
  }
  return true;
}

TEST(RoundTrip, GeneratedPrograms) {
  int failures = 0;
  for (std::uint64_t seed = 1; seed <= 1000 && failures < 3; ++seed) {
    ast::Program p = testing::generate_program(seed);
    if (!check_round_trips(p, "seed" + std::to_string(seed))) ++failures;
  }
}

TEST(RoundTrip, GeneratedProgramsWithDeepNestingAndManyRules) {
  testing::GeneratorOptions o;
  o.max_if_depth = 6;
  o.max_expr_depth = 7;
  o.rules = 12;
  int failures = 0;
  for (std::uint64_t seed = 5000; seed < 5100 && failures < 3; ++seed) {
    if (!check_round_trips(testing::generate_program(seed, o), "deep" + std::to_string(seed)))
      ++failures;
  }
}

// Every *.merit under a folder, recursively, in name order.
std::vector<std::string> merit_files(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".merit") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_folder(const std::string& root) {
  for (const auto& path : merit_files(root)) {
    SCOPED_TRACE(path);
    ParseOutput parsed = parse_program(Source(path, testing::read_file(path)));
    ASSERT_TRUE(parsed.program.has_value()) << dump(parsed.diagnostics);
    check_round_trips(*parsed.program, path);
  }
}

TEST(RoundTrip, ConformancePrograms) {
  ASSERT_FALSE(merit_files(testing::shared_dir() + "/conformance").empty());
  check_folder(testing::shared_dir() + "/conformance");
}

TEST(RoundTrip, Rulesets) { check_folder(testing::source_dir() + "/rulesets"); }

// The YAML twins beside the programs (rulesets/*/program.merit.yaml): each loads, and prints as
// the canonical text of its .merit sibling when there is one.
TEST(RoundTrip, RulesetYamlTwinsMatchTheirPrograms) {
  std::error_code ec;
  std::string root = testing::source_dir() + "/rulesets";
  if (!std::filesystem::exists(root, ec)) return;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
    std::string path = e.path().string();
    if (!e.is_regular_file() || path.size() < 11 || path.substr(path.size() - 11) != ".merit.yaml")
      continue;
    SCOPED_TRACE(path);
    ParseOutput y = load_yaml_program(Source(path, testing::read_file(path)));
    ASSERT_TRUE(y.program.has_value()) << dump(y.diagnostics);
    std::string sibling = path.substr(0, path.size() - 5);
    if (!std::filesystem::exists(sibling, ec)) continue;
    ParseOutput d = parse_program(Source(sibling, testing::read_file(sibling)));
    ASSERT_TRUE(d.program.has_value()) << dump(d.diagnostics);
    // Comments may differ between the two files; everything else must not.
    ast::Program a = *y.program, b = *d.program;
    EXPECT_EQ(print_dsl(a).size() > 0, true);
    a.trailing_comments.clear();
    b.trailing_comments.clear();
    auto strip = [](ast::Program& p) {
      p.program.comments.clear();
      if (p.member) p.member->comments.clear();
      for (auto& x : p.events) x.comments.clear();
      if (p.points) p.points->comments.clear();
      if (p.growth) p.growth->comments.clear();
      if (p.levels) p.levels->comments.clear();
      for (auto& x : p.rules) x.comments.clear();
      for (auto& x : p.packages) x.comments.clear();
      for (auto& x : p.tasks) x.comments.clear();
      for (auto& x : p.campaigns) x.comments.clear();
      for (auto& x : p.privileges) x.comments.clear();
      for (auto& x : p.rewards) x.comments.clear();
      for (auto& x : p.cards) x.comments.clear();
      for (auto& x : p.segments) x.comments.clear();
    };
    strip(a);
    strip(b);
    EXPECT_EQ(print_dsl(a), print_dsl(b));
  }
}

}  // namespace
}  // namespace merit::dsl
