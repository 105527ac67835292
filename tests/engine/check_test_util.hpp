// Helpers for the checker's tests: check a program written as text and describe each diagnostic as
// one comparable line ("12:24 error unknown-field: unknown field `amout` of event `purchase`
// (did you mean `amount`?)"), and find where a piece of the text is, so expectations stay readable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dsl/diagnostics.hpp"
#include "dsl/parse.hpp"
#include "engine/check/checker.hpp"

namespace merit::engine::check_test {

inline std::string describe(const dsl::Diagnostic& d) {
  const char* severity = d.severity == dsl::Severity::kError     ? "error"
                         : d.severity == dsl::Severity::kWarning ? "warning"
                                                                 : "note";
  std::string out =
      fmt::format("{}:{} {} {}: {}", d.loc.line, d.loc.col, severity, d.code, d.message);
  if (d.suggestion) out += fmt::format(" (did you mean `{}`?)", *d.suggestion);
  return out;
}

// Parses `text` (as t.merit) and checks it. A text that does not parse fails the test.
inline std::vector<dsl::Diagnostic> check_diagnostics(const std::string& text) {
  dsl::ParseOutput out = dsl::parse_program(dsl::Source("t.merit", text));
  if (!out.program) {
    std::string why;
    for (const auto& d : out.diagnostics) why += describe(d) + "\n";
    ADD_FAILURE() << "the test program does not parse:\n" << why << text;
    return {};
  }
  return check_program(*out.program);
}

inline std::vector<std::string> check_text(const std::string& text) {
  std::vector<std::string> lines;
  for (const auto& d : check_diagnostics(text)) lines.push_back(describe(d));
  return lines;
}

// "line:col" of the `nth` (0-based) occurrence of `needle` in `text` (columns count code points).
inline std::string loc_of(std::string_view text, std::string_view needle, int nth = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth && at != std::string_view::npos; ++i) at = text.find(needle, at + 1);
  if (at == std::string_view::npos) {
    ADD_FAILURE() << "`" << needle << "` is not in the test program";
    return "?";
  }
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return fmt::format("{}:{}", line, col);
}

// A small valid program that every test extends: three levels (reachable: `base` awards growth),
// a yearly review, a member with a birthday and a city, two events.
inline const std::string kPrelude = R"(program t { timezone "UTC" currency "CNY" }
member { birthday: date; city: string }
event purchase { amount: money; order_id: string; category: string }
event refund { order_id: string }
levels by growth review yearly {
  level V1 from 0 { rate 1 }
  level V2 from 1000 { rate 2 }
  level V3 from 5000 { rate 3 }
}
rule base on purchase { growth += event.amount }
)";

}  // namespace merit::engine::check_test
