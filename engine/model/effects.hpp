// What applying one operation did: ledger entries, each naming its cause (rule, task, campaign,
// reward, review) and the values that produced it; or the reason the operation was refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/decimal.hpp"
#include "common/time.hpp"
#include "engine/model/lot_list.hpp"

namespace merit::engine {

enum class EffectKind : std::uint8_t {
  kJoin,          // the member was created
  kPoints,        // points awarded into a lot (amount; expires; pending_until)
  kCapped,        // points cut by the cap (amount = what was cut)
  kBudgetCut,     // points cut because a campaign's budget ran out (amount = what was cut)
  kDeduct,        // points taken by `points -=` (amount; lots)
  kSpend,         // points spent by a redemption (amount; lots)
  kExpire,        // points expired (amount; lots)
  kRelease,       // pending points became spendable (amount; lots)
  kReverse,       // points removed by a reversal (amount; lots)
  kShortfall,     // a reversal found fewer points than it had to take (amount = not taken)
  kGrowth,        // growth changed (amount, may be negative)
  kLevelUp,       // level changed up (from, to)
  kLevelDown,     // level changed down at a review (from, to)
  kReview,        // a review kept the level (from = to)
  kTaskProgress,  // progress on a task (progress, target)
  kTaskDone,      // a task completed (task)
  kGrant,         // privilege uses granted (privilege, amount, until)
  kUse,           // a privilege use (privilege; from_grant)
  kRedeem,        // a reward redeemed (reward, quantity = amount, cost in value)
  kTagAdd,        // a tag added (tag)
  kTagRemove,     // a tag removed (tag)
  kSet,           // attributes set
};

enum class Cause : std::uint8_t { kNone, kRule, kTask, kCampaign, kReward, kReview, kSystem };

struct Effect {
  EffectKind kind = EffectKind::kPoints;
  Cause cause = Cause::kNone;
  int cause_index = -1;            // index of the rule / task / campaign / reward in the Plan
  std::int64_t amount = 0;         // points, growth, uses or units
  Instant time;                    // when it took effect (a review's due time for kLevelDown)
  std::int64_t expires = 0;        // kPoints: ms the lot is gone (kNever: never)
  std::int64_t pending_until = 0;  // kPoints: ms it becomes spendable (0: at once)
  int a = -1;                      // kLevelUp/Down: from; kTask*: task; kGrant/kUse: privilege;
                                   // kRedeem: reward
  int b = -1;                      // kLevelUp/Down: to; kTaskProgress: target
  std::int64_t progress = 0;       // kTaskProgress
  Decimal exact;                   // kPoints/kGrowth from a rule: the exact value before rounding
  std::string text;                // kTagAdd/kTagRemove: the tag; explain notes
  const std::string* expression = nullptr;  // kPoints/kGrowth from a statement: its expression's
                                            // text, owned by the Plan (valid while it lives)
  LotList lots;                             // (lot id, points) touched
};

// Why an operation changed nothing (INTERFACES.md §1: replay counts it and goes on).
struct Rejection {
  std::string code;     // snake_case: unknown_member, insufficient_points, out_of_stock,
                        // limit_reached, not_eligible, no_uses_left, evaluation_error
  std::string message;  // plain words naming the rule / reward / values
};

struct ApplyResult {
  std::vector<Effect> effects;
  std::optional<Rejection> rejection;
  void clear() {
    effects.clear();
    rejection.reset();
  }
};

}  // namespace merit::engine
