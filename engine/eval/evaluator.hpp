// The evaluator: apply(plan, member, shared, operation) -> effects. A pure function of its inputs
// (LANGUAGE.md §5): no I/O, no clock (time comes from the operation), no globals. The same plan,
// states and operation always give the same states and effects, byte for byte.
#pragma once

#include <string>

#include "engine/model/effects.hpp"
#include "engine/model/member_state.hpp"
#include "engine/model/member_view.hpp"
#include "engine/model/operation.hpp"
#include "engine/plan/plan.hpp"

namespace merit::engine {

// A member as the program first sees it: lowest level, nothing earned, sized for `plan`.
// exists == false until an event or `set` creates it.
MemberState new_member(const Plan& plan, std::string id);

// Shared counters (campaign budgets, reward stock) sized for `plan`, all zero.
SharedState new_shared(const Plan& plan);

// Applies one operation to `member` (whose id is op.member) and `shared`, appending the ledger
// entries to `out.effects` (out is cleared first). Steps 2-9 of LANGUAGE.md §5; step 1
// (idempotency by id) is the store's job. A refused operation (insufficient points, unknown
// member for redeem/use, division by zero in a rule...) sets out.rejection and leaves `member`
// and `shared` unchanged. REQUIRES: op decoded against `plan`; `member` built for `plan`.
void apply(const Plan& plan, MemberState& member, SharedState& shared, const Operation& op,
           ApplyResult& out);

// Carries out what time alone does up to `t` (expiry of lots, level reviews due, pending points
// released), as step 3 of §5 would before an event at `t`, and runs the rules of the pseudo-events
// it raised (level_down). Used for `--as-of`. Time passing is not refused; if a pseudo-event's rule
// fails, out.rejection says why and the member is as step 3 left it, without that rule's effects.
void advance(const Plan& plan, MemberState& member, Instant t, ApplyResult& out);

// What an app or `merit replay` shows of a member at `as_of` (call advance() first): balances,
// expiring lots by last day, growth, level and the next one, task progress, privileges left.
MemberView view(const Plan& plan, const MemberState& member, Instant as_of);
// The same into `out`, whose strings and vectors keep their buffers: for callers that show many
// members one after another (writing every member's state).
void view_into(const Plan& plan, const MemberState& member, Instant as_of, MemberView& out);

}  // namespace merit::engine
