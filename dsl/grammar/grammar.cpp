// The one translation unit that instantiates the X3 grammar (grammar_def.hpp) and turns X3's
// expectation failures into plain Failure values: no X3 exception leaves this file.
#include "dsl/grammar/grammar.hpp"

#include "dsl/grammar/grammar_def.hpp"

namespace merit::dsl::grammar {
namespace {

template <class T, class Rule>
Parsed<T> run(const Rule& rule, const char* first, const char* last) {
  Parsed<T> out;
  const char* it = first;
  try {
    out.ok = x3::phrase_parse(it, last, rule, skipper, out.value, x3::skip_flag::dont_post_skip);
  } catch (const x3::expectation_failure<const char*>& e) {
    out.ok = false;
    out.failure = Failure{e.where(), e.which()};
    return out;
  }
  if (out.ok) {
    out.end = it;
  } else {
    out.failure.where = first;
  }
  return out;
}

}  // namespace

Parsed<syntax::Decl> parse_declaration(const char* first, const char* last) {
  return run<syntax::Decl>(declaration, first, last);
}
Parsed<syntax::Expr> parse_expression(const char* first, const char* last) {
  return run<syntax::Expr>(expr, first, last);
}
Parsed<syntax::Stmt> parse_statement(const char* first, const char* last) {
  return run<syntax::Stmt>(stmt, first, last);
}
Parsed<syntax::ExpiryS> parse_expiry(const char* first, const char* last) {
  return run<syntax::ExpiryS>(expiry, first, last);
}
Parsed<syntax::PerPeriodS> parse_per_period(const char* first, const char* last) {
  return run<syntax::PerPeriodS>(per_period, first, last);
}
Parsed<syntax::DurationLit> parse_duration(const char* first, const char* last) {
  return run<syntax::DurationLit>(duration, first, last);
}
Parsed<syntax::GoalS> parse_goal(const char* first, const char* last) {
  return run<syntax::GoalS>(goal, first, last);
}
Parsed<syntax::RepeatS> parse_repeat(const char* first, const char* last) {
  return run<syntax::RepeatS>(repeat_value, first, last);
}
Parsed<syntax::ReviewS> parse_review(const char* first, const char* last) {
  return run<syntax::ReviewS>(review, first, last);
}
Parsed<syntax::DateRangeS> parse_date_range(const char* first, const char* last) {
  return run<syntax::DateRangeS>(date_range, first, last);
}
Parsed<syntax::DurationLit> parse_available(const char* first, const char* last) {
  return run<syntax::DurationLit>(available, first, last);
}
Parsed<syntax::ScheduleS> parse_schedule(const char* first, const char* last) {
  return run<syntax::ScheduleS>(schedule, first, last);
}

}  // namespace merit::dsl::grammar
