// Private to engine/eval: the expression machine and the helpers the evaluator's files share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/member_state.hpp"
#include "engine/model/operation.hpp"
#include "engine/plan/plan.hpp"

namespace merit::engine::internal {

// A value while an expression runs: a view, never owning (strings point into the operation, the
// member or the plan's constants).
struct Val {
  Value::Kind kind = Value::Kind::kNone;
  std::int64_t i = 0;
  std::string_view s;
  const std::vector<std::string>* set = nullptr;
};

// What an expression can see.
struct Ctx {
  const Plan& plan;
  const MemberState& member;
  const Operation* event;  // the event whose fields `event.X` reads (may be a pseudo-event)
  Instant now;
  int level;          // `level` (before the current event)
  std::string error;  // set when evaluation failed (division by zero, a type mismatch)
  // `member` itself, to open its rarely used part (engine/model/rare_part.hpp) when an expression
  // reads member.X or member.tags and the member table left it closed; null where it cannot be
  // closed.
  MemberState* opener;
};

// Runs a compiled expression. On failure returns none and sets ctx.error.
Val eval(const CompiledExpr& e, Ctx& ctx);
// The same on the stack machine alone, without eval's shortcuts for the commonest shapes
// (ExprShape): what the tests hold the shortcuts to.
Val eval_general(const CompiledExpr& e, Ctx& ctx);

// A `when` / `for` condition: an empty expression holds; none or a failure does not.
bool holds(const CompiledExpr& e, Ctx& ctx);

Val to_val(const Value& v);

// The calendar period of a day: day number, Monday-based week, y*12+m, year; 0 for `member`.
std::int32_t period_key(PeriodKind p, LocalDate d);

// ms since epoch of the start of a window of length d ending at t: t - d on the wall clock.
std::int64_t window_start(const Plan& plan, Instant t, const CalDuration& d);

// Qualifying growth at t: lifetime growth, or growth earned in (t - window, t].
std::int64_t qualifying_growth(const Plan& plan, const MemberState& m, Instant t);
// Growth earned in (from, t], at least 0 (qualifying growth when `from` is the window's start).
std::int64_t growth_within(const MemberState& m, std::int64_t from, Instant t);

// The instant the next level review is due, or kNever.
std::int64_t next_review_due(const Plan& plan, const MemberState& m);

// Points spendable at t (spendable lots minus debt) and pending at t.
std::int64_t available_points(const MemberState& m, Instant t);
std::int64_t pending_points(const MemberState& m, Instant t);

}  // namespace merit::engine::internal
