// The harness of the differential tests of a member's state kept encoded between operations
// (lot_records_test, growth_records_test, rare_part_test, task_part_test): one member's history of
// operations, applied once as the member table applies it (packed and unpacked between operations)
// and once not, must give the same effects, the same snapshot and the same packed bytes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/eval/evaluator.hpp"
#include "engine/plan/plan.hpp"

namespace merit::testing {

struct HistoryResult {
  std::string effects;   // a line an operation: its id, refusal, and each effect's kind, amount,
                         // lots and text, then what `after` returned
  std::string snapshot;  // codec::member_snapshot_json of the final state
  std::string packed;    // codec::pack_member of the final state
};

// Applies `lines` (operations as JSON Lines, all of one member) to a new member of `plan`.
// `before` runs before each operation (what the member table does between operations, or nothing);
// `after`, if given, after it, and what it returns ends the operation's line. A refused operation
// must leave the member's packed bytes as they were: the current test fails otherwise.
HistoryResult run_history(
    const engine::Plan& plan, const std::vector<std::string>& lines,
    const std::function<void(engine::MemberState&)>& before,
    const std::function<std::string(const engine::Operation&, const engine::MemberState&,
                                    const engine::ApplyResult&)>& after = {});

// What the member table does between two operations: packs the member and unpacks it again, into
// the same state with its tasks scribbled over (as another member's would be), the rarely used
// part and the tasks left closed when `leave_closed` (as MemberTable::get leaves them).
void repack(engine::MemberState& m, bool leave_closed = false);

}  // namespace merit::testing
