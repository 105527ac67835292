// The front door of the language: .merit text or YAML text -> ast::Program plus diagnostics.
// This header includes no Boost and no yaml-cpp; the grammar lives in dsl/grammar/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/source.hpp"

namespace merit::dsl {

struct ParseOutput {
  std::optional<ast::Program> program;  // absent when any error was found
  std::vector<Diagnostic> diagnostics;  // every problem found, in file order
};

// Parses a `.merit` program. Reports every syntax error it can (it resynchronises at the next
// declaration keyword after an error). Never throws; bounded in time and memory on any bytes.
ParseOutput parse_program(const Source& source);

// Loads a `.merit.yaml` program (LANGUAGE.md §6) into the same tree. Diagnostics point into the
// YAML file: the key's line, and inside an expression string the column within it.
ParseOutput load_yaml_program(const Source& source);

// Reads `path` and parses it by its name: `.yaml`/`.yml` as YAML, anything else as `.merit`.
// An unreadable file is one diagnostic naming it.
ParseOutput parse_file(const std::string& path);

// Fragment parsers, used by the YAML loader: each parses the whole of `source` as one clause and
// reports what it could not read. The clause text is what follows the DSL keyword (for
// parse_expiry_clause: "after 365 days", "at end of year + 1", "never").
struct ExprOutput {
  std::optional<ast::Expr> value;
  std::vector<Diagnostic> diagnostics;
};
ExprOutput parse_expression(const Source& source);

struct StmtOutput {
  std::optional<ast::Stmt> value;
  std::vector<Diagnostic> diagnostics;
};
StmtOutput parse_statement(const Source& source);

template <class T>
struct ClauseOutput {
  std::optional<T> value;
  std::vector<Diagnostic> diagnostics;
};
ClauseOutput<ast::Expiry> parse_expiry_clause(
    const Source& source);  // after 365 days | at end of month + 3 | never
ClauseOutput<ast::PerPeriod> parse_per_period_clause(
    const Source& source);  // 5000 per day | 1 per member
ClauseOutput<ast::Duration> parse_duration_clause(const Source& source);  // 7 days
ClauseOutput<ast::Goal> parse_goal_clause(
    const Source&
        source);  // count 3 within 30 days | sum event.amount reaches 1000 | streak 7 days
ClauseOutput<ast::RepeatKind> parse_repeat_clause(
    const Source& source);  // always | daily | weekly | monthly | yearly | once
ClauseOutput<ast::Review> parse_review_clause(const Source& source);  // yearly | every 6 months
ClauseOutput<ast::DateRange> parse_date_range_clause(
    const Source& source);  // 2026-06-01 .. 2026-06-03
ClauseOutput<ast::Duration> parse_available_clause(const Source& source);  // 30 days after join
// `every month on day 18`, `every friday during 2026-01-01 .. 2026-03-31`, `during 2026-06-01 ..
// 2026-06-03`
struct Schedule {
  std::optional<ast::Recurrence> every;
  std::optional<ast::DateRange> during;
};
ClauseOutput<Schedule> parse_schedule_clause(const Source& source);

}  // namespace merit::dsl
