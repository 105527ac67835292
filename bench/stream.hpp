// A synthetic member history for the evaluator bench, generated in memory as pre-decoded
// engine::Operations: heavy-tailed activity per member, heavy-tailed purchase amounts across
// categories and channels, sign-ins, shares, reviews, a few refunds of earlier orders, a few
// redemptions, privilege uses and attribute updates, in time order over a span of days. The same
// model as bench/make_events.py (not the same draws). Seeded: the same options give the same ops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/operation.hpp"
#include "engine/plan/plan.hpp"

namespace merit::bench {

struct StreamOptions {
  std::uint32_t members = 1'000'000;
  std::uint64_t events = 10'000'000;  // over `days`
  std::int64_t days = 365;
  Instant start{1767196800000};  // 2026-01-01T00:00:00+08:00
  std::uint64_t seed = 1;
};

// An operation and the index of its member (members are numbered 0..members-1; the id of member
// k is member_id(k)).
struct BenchOp {
  std::uint32_t member = 0;
  engine::Operation op;
};

std::string member_id(std::uint32_t k);

class StreamGenerator {
 public:
  // Resolves the event types, fields, reward and privilege it knows by name in `plan` (purchase,
  // refund, signin, share, review; amount, category, channel, order_id, target, stars, the first
  // reward and privilege, birthday and city); the others are left out of the mix.
  StreamGenerator(const engine::Plan& plan, StreamOptions options);

  // Overwrites `out` with the next up to `n` operations (reusing their buffers); returns how many.
  std::size_t next(std::vector<BenchOp>& out, std::size_t n);

  std::uint64_t produced() const { return produced_; }

 private:
  enum Kind : int { kPurchase, kRefund, kSignin, kShare, kReview, kRedeem, kUse, kSet, kKinds };

  std::uint64_t random();
  double uniform();  // [0, 1)
  std::uint32_t pick_member();
  void fill(BenchOp& b, Kind kind, std::uint32_t member, Instant t);
  void set_field(engine::Operation& op, int slot, engine::Value v);

  const engine::Plan& plan_;
  StreamOptions o_;
  std::uint64_t state_;
  std::uint64_t produced_ = 0;
  double weights_[kKinds] = {};  // cumulative, normalised
  int type_[kKinds] = {};        // event type index, -1 when the program lacks it
  // field slots by name (per event type that has them)
  int amount_ = -1, category_ = -1, channel_ = -1, order_id_ = -1;  // purchase
  int refund_order_ = -1;                                           // refund
  int signin_channel_ = -1;                                         // signin
  int share_target_ = -1;                                           // share
  int review_order_ = -1, review_stars_ = -1;                       // review
  int reward_ = -1, privilege_ = -1, birthday_ = -1, city_ = -1;
  std::vector<std::uint16_t> orders_;  // purchases made so far, per member
};

}  // namespace merit::bench
