// An operation on a member (INTERFACES.md §1): an event, a redemption, a privilege use, or setting
// attributes. Decoded by codec/ against a Plan, so names are already resolved to indices.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/time.hpp"
#include "engine/model/value.hpp"

namespace merit::engine {

enum class OpKind : std::uint8_t { kEvent, kRedeem, kUse, kSet };

struct Operation {
  OpKind kind = OpKind::kEvent;
  std::string id;             // the idempotency key: event id or request id
  std::string member;         // the member's id
  Instant time;               // when it happened (the evaluator's only clock)
  int event_type = -1;        // kEvent: index into Plan::events
  std::vector<Value> fields;  // kEvent: one value per declared field of the event type, by slot
  int reward = -1;            // kRedeem: index into Plan::rewards
  std::int64_t quantity = 1;  // kRedeem: units (>= 1)
  int privilege = -1;         // kUse: index into Plan::privileges
  std::vector<std::pair<int, Value>> attributes;  // kSet: (member attribute slot, value)
};

}  // namespace merit::engine
