// Snapshots: a member's whole internal state (lots, windows, task counters, quotas...) and the
// shared counters, as JSON, with nothing lost, so a history replayed in two parts (save, then
// resume with `merit replay --state`) ends exactly where replaying it whole does.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/model/member_state.hpp"

namespace merit::codec {

// One line of JSON holding every field of the member's state.
std::string member_snapshot_json(const engine::MemberState& m);
// The inverse. kInvalidArgument naming the key on malformed input.
Result<engine::MemberState> member_from_snapshot(std::string_view json);

std::string shared_snapshot_json(const engine::SharedState& s);
Result<engine::SharedState> shared_from_snapshot(std::string_view json);

}  // namespace merit::codec
