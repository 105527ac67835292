// Explain: every ledger entry of one member, in order, with the operation that caused it, the
// rule / task / campaign / reward, and the values that produced it (LANGUAGE.md §5 step 9).
#pragma once

#include <istream>
#include <memory>
#include <string>

#include "engine/plan/plan.hpp"

namespace merit::replay {

// Replays `events` under `plan` and returns the explanation of `member` as text, one operation a
// block: its time, id and fields; then an indented line per ledger entry. Empty when the member
// never appears.
std::string explain_member(std::shared_ptr<const engine::Plan> plan, std::istream& events, bool csv,
                           const std::string& member);

}  // namespace merit::replay
