// The private interface of dsl/grammar/: entry points into the X3 grammar (defined in grammar.cpp,
// the only file that instantiates it) and the lowering of the syntax tree into dsl/ast.hpp
// (lower.cpp). Used by dsl/parse.cpp only.
#pragma once

#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"
#include "dsl/grammar/syntax.hpp"
#include "dsl/source.hpp"

namespace merit::dsl::grammar {

// Where the grammar gave up and why (a complete message such as "expected `{` to open the rule's
// body"). `where` may point at whitespace before the offending token; callers skip it.
struct Failure {
  const char* where = nullptr;
  std::string message;
};

// The outcome of one grammar entry point: on success `value` and `end` (one past the last byte
// consumed, no trailing whitespace skipped); otherwise `failure`. `failure.message` is empty when
// the grammar did not recognise the construct at all (no committed keyword was seen).
template <class T>
struct Parsed {
  bool ok = false;
  T value;
  const char* end = nullptr;
  Failure failure;
};

// Each parses one construct starting at `first` (leading whitespace and comments allowed), never
// reading past `last`. Thread-safe (the grammar tables are immutable). REQUIRES: the text was
// checked by the nesting pre-scan (parse.cpp), so recursion depth is bounded.
Parsed<syntax::Decl> parse_declaration(const char* first, const char* last);
Parsed<syntax::Expr> parse_expression(const char* first, const char* last);
Parsed<syntax::Stmt> parse_statement(const char* first, const char* last);
Parsed<syntax::ExpiryS> parse_expiry(const char* first, const char* last);
Parsed<syntax::PerPeriodS> parse_per_period(const char* first, const char* last);
Parsed<syntax::DurationLit> parse_duration(const char* first, const char* last);
Parsed<syntax::GoalS> parse_goal(const char* first, const char* last);
Parsed<syntax::RepeatS> parse_repeat(const char* first, const char* last);
Parsed<syntax::ReviewS> parse_review(const char* first, const char* last);
Parsed<syntax::DateRangeS> parse_date_range(const char* first, const char* last);
Parsed<syntax::DurationLit> parse_available(const char* first, const char* last);
Parsed<syntax::ScheduleS> parse_schedule(const char* first, const char* last);

// Lowering: syntax tree -> ast. Positions are computed from `source` (whose text the syntax
// pointers point into). Semantic slips that the grammar lets through (an unknown function, a
// `cap` per member, two `timezone`s) are appended to `diagnostics` with code "syntax".
class Lowerer {
 public:
  Lowerer(const Source& source, std::vector<Diagnostic>& diagnostics)
      : source_(source), diagnostics_(diagnostics) {}

  // Adds one declaration to `program`; `comments` are the `#` lines written above it.
  void add_declaration(const syntax::Decl& decl, std::vector<std::string> comments,
                       ast::Program& program);

  ast::Expr expr(const syntax::Expr& e);
  ast::Stmt stmt(const syntax::Stmt& s);
  ast::Expiry expiry(const syntax::ExpiryS& e);
  ast::PerPeriod per_period(const syntax::PerPeriodS& p, bool allow_member);
  ast::Duration duration(const syntax::DurationLit& d);
  ast::Goal goal(const syntax::GoalS& g);
  ast::RepeatKind repeat(const syntax::RepeatS& r) { return r.kind; }
  ast::Review review(const syntax::ReviewS& r);
  ast::DateRange date_range(const syntax::DateRangeS& d);
  // Fills `every` / `during` from the schedule items; reports a repeated part.
  void schedule(const std::vector<syntax::ScheduleItem>& items,
                std::optional<ast::Recurrence>& every, std::optional<ast::DateRange>& during);

  ast::Loc loc(syntax::At at) const;
  void error(syntax::At at, std::string message, std::optional<std::string> suggestion = {});

 private:
  friend struct LowerVisitor;
  const Source& source_;
  std::vector<Diagnostic>& diagnostics_;
  int depth_ = 0;  // of the ast::Expr being built, to refuse absurdly long operator chains
  // Built on the first loc(): so that positions cost O(log lines) each, not a scan from the line's
  // start (a program written on one long line would otherwise take quadratic time).
  mutable std::vector<std::size_t> line_starts_;    // byte offset of each line's first byte
  mutable std::vector<std::uint32_t> code_points_;  // code points before each byte offset (size+1)
};

}  // namespace merit::dsl::grammar
