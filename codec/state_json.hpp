// Member states, ledger entries and refusals as JSON: written once here so that `merit replay`
// output and `GET /v1/members/{id}` are the same bytes (INTERFACES.md §1, §3).
#pragma once

#include <string>

#include "engine/model/effects.hpp"
#include "engine/model/member_state.hpp"
#include "engine/model/member_view.hpp"
#include "engine/model/operation.hpp"
#include "engine/plan/plan.hpp"

namespace merit::codec {

// One member as a single-line JSON object (no trailing newline), keys in a fixed order:
// member, level, level_name, level_since, joined, points, growth, next_level, review, tasks,
// privileges, tags, attributes.
std::string member_json(const engine::Plan& plan, const engine::MemberView& view);
// The same JSON appended to `out` (whose buffer a caller writing many members reuses).
void append_member_json(std::string& out, const engine::Plan& plan, const engine::MemberView& view);

// One ledger entry as a JSON object: {"kind": "points", "amount": 804, "rule": "purchase_points",
// "expires": "2027-11-18", ...}; causes by name, lots by id, days in the program zone.
void append_effect_json(std::string& out, const engine::Plan& plan, const engine::Effect& e);

// The JSON text of a value ("2026-01-10", 12.5, "abc", ["a","b"], null).
std::string value_json(const engine::Plan& plan, const engine::Value& v);

// The name of an effect kind ("points", "level_up", ...).
const char* effect_kind_name(engine::EffectKind k);

}  // namespace merit::codec
