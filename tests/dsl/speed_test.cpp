// How long parse + print takes on a generated program of about 10,000 lines (docs/performance.md,
// "Parsing and printing"). Prints the median of 5 runs; fails above 1000 ms in an optimised build.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "dsl/printer.hpp"
#include "dsl/source.hpp"

#include "tests/testing/program_generator.hpp"

namespace merit::dsl {
namespace {

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A canonical program text of at least `lines` lines.
std::string program_of_lines(std::size_t lines) {
  testing::GeneratorOptions o;
  o.rules = 100;
  o.events = 4;
  std::string text = print_dsl(testing::generate_program(42, o));
  // Rules are ~5 lines each on average; scale to the target from the first measurement.
  std::size_t per_rule = std::max<std::size_t>(1, count_lines(text) / 100);
  o.rules = lines / per_rule + 1;
  text = print_dsl(testing::generate_program(42, o));
  while (count_lines(text) < lines) {
    o.rules += o.rules / 10 + 1;
    text = print_dsl(testing::generate_program(42, o));
  }
  return text;
}

TEST(Speed, ParseAndPrintTenThousandLines) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
  GTEST_SKIP() << "timing is meaningless under the sanitizers";
#endif
  std::string text = program_of_lines(10000);
  std::vector<double> ms;
  std::size_t printed = 0;
  for (int run = 0; run < 5; ++run) {
    auto start = std::chrono::steady_clock::now();
    ParseOutput out = parse_program(Source("speed.merit", text));
    ASSERT_TRUE(out.program.has_value())
        << (out.diagnostics.empty() ? "" : out.diagnostics[0].message);
    std::string again = print_dsl(*out.program);
    auto end = std::chrono::steady_clock::now();
    printed = again.size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  double median = ms[2];
  std::printf(
      "parse+print of %zu lines (%zu bytes): median %.1f ms of 5 runs (min %.1f, max %.1f)\n",
      count_lines(text), text.size(), median, ms.front(), ms.back());
  EXPECT_EQ(printed, text.size());
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(median, 1000.0);
#endif
}

}  // namespace
}  // namespace merit::dsl
