// One member's state: exactly what the program needs (the planner sizes every vector), plain data,
// cheap to copy. And the state shared by all members (campaign budgets, reward stock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "common/time.hpp"
#include "engine/model/lot_list.hpp"
#include "engine/model/value.hpp"

namespace merit::engine {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// A lot of points: one award (or the awards of one event with the same expiry), spent and expired
// as a unit. Lots are kept sorted by (expires, earned, id): the spend order of LANGUAGE.md §8.
struct Lot {
  std::uint32_t id = 0;           // member-local sequence number, named by ledger entries
  bool reversible = false;        // an award record of a reversible event points at it
  Instant earned;                 // when it was awarded
  std::int64_t expires = kNever;  // ms: the first instant at which it is gone (next midnight)
  std::int64_t available_at = 0;  // ms: pending until then (<= earned: spendable at once)
  std::int64_t original = 0;      // points awarded into it
  std::int64_t amount = 0;        // points still in it
};

// A reversible lot that left the state (fully spent or expired): how much of it had been spent.
struct ClosedLot {
  std::uint32_t id = 0;
  std::int64_t spent = 0;
};

// What one event of a reversible type awarded, so `reverse` can undo exactly that (§4.6).
struct AwardRecord {
  int event_type = -1;
  std::uint64_t key = 0;    // 64-bit FNV-1a of the text of the value the field `reverse ...
                            // where FIELD` names (a hash keeps records small; two different
                            // keys of one member colliding is a 1-in-10^17 event)
  Instant time;             // when the event happened (growth window bucket)
  LotList lots;             // (lot id, points put in it)
  std::int64_t growth = 0;  // growth the event added
  bool reversed = false;
};

// Growth earned at one instant (kept only when the program has a growth window).
struct GrowthEntry {
  Instant at;
  std::int64_t amount = 0;
};

// Progress on one task.
struct TaskState {
  std::int64_t count = 0;  // count goals without a window; streak length
  std::int64_t completions = 0;
  std::int64_t last_completion = std::numeric_limits<std::int64_t>::min();    // ms
  std::int32_t completion_period = std::numeric_limits<std::int32_t>::min();  // period key
  std::int32_t streak_day = std::numeric_limits<std::int32_t>::min();         // last day counted
  Decimal sum;                                      // sum goals without a window
  std::vector<std::pair<Instant, Decimal>> window;  // windowed goals: matching events since the
                                                    // last completion (value 1 for count goals)
};

// Uses of a privilege granted by `grant` (on top of the quota).
struct PrivilegeGrant {
  std::int64_t remaining = 0;
  std::int64_t until = kNever;  // ms: the grant is usable while t < until
};

struct PrivilegeState {
  std::int32_t period = std::numeric_limits<std::int32_t>::min();  // period of `used`
  std::int64_t used = 0;               // quota uses taken in that period
  std::vector<PrivilegeGrant> grants;  // sorted by until
};

struct RewardState {
  std::int32_t period = std::numeric_limits<std::int32_t>::min();
  std::int64_t units = 0;  // units redeemed in that period (or ever, for `per member`)
};

// A per-member aggregate the program reads (count/sum within a window, last/first time).
struct AggregateState {
  std::int64_t first = kNever;                                   // ms of the first matching event
  std::int64_t last = std::numeric_limits<std::int64_t>::min();  // ms of the last
  std::vector<std::pair<Instant, Decimal>> window;  // (time, value) inside the longest window
  std::int64_t total_count = 0;                     // without a window
  Decimal total_sum;
};

struct MemberState {
  std::string id;
  bool exists = false;
  Instant joined;
  int level = 0;  // ladder index
  Instant level_since;
  Instant review_base;            // the later of the last level change and the last review
  std::int64_t next_expiry = 0;   // cache: ms the soonest lot expires (kNever: no lots; 0: unknown)
  std::int64_t next_release = 0;  // cache: ms before which no pending lot is released (a lower
                                  // bound: kNever none pending; 0 unknown, look)
  std::uint64_t done_once = 0;    // cache: bit t set when once-only task t (< 64) is completed
  std::int64_t review_due = 0;    // cache: ms the next review is due (0: not yet computed; a
                                  // derived value, so snapshots leave it out)
  std::int64_t growth_lifetime = 0;
  // Growth entries, in time order, only with `growth { window ... }`: the first
  // `growth_packed_count` kept encoded in `growth_packed` (engine/model/growth_records.hpp), with
  // the first one's instant, the last one's and their total beside them; the rest, in order after
  // them, in `growth_window`. What reads the entries other than for their total, or changes them
  // other than by adding one after all the others or dropping the first ones, calls
  // unpack_growth() first (or reads them with for_each_growth()).
  std::string growth_packed;
  std::uint32_t growth_packed_count = 0;
  std::int64_t growth_packed_first = 0;  // ms (meaningless when none is encoded)
  std::int64_t growth_packed_last = 0;   // ms
  std::int64_t growth_packed_total = 0;  // the growth of the encoded entries
  std::vector<GrowthEntry> growth_window;
  // Lots, in spend order: the first `lots_packed_count` kept encoded in `lots_packed`
  // (engine/model/lot_records.hpp), the rest, in order after them, in `lots`. What reads or
  // changes lots other than by adding one after all the others, or by expiring the first ones,
  // calls unpack_lots() first (or reads them with for_each_lot()); a new lot that sorts after the
  // last encoded one (later expiry, or the same expiry earned no earlier) is added to `lots` and
  // leaves them encoded.
  std::string lots_packed;
  std::uint32_t lots_packed_count = 0;
  std::int64_t lots_packed_last_expires = 0;  // the last encoded lot's expiry and time earned
  std::int64_t lots_packed_last_earned = 0;   // (meaningless when none is encoded)
  std::vector<Lot> lots;
  std::vector<ClosedLot> closed_lots;
  // Award records, only for event types some `reverse` targets: the oldest
  // `awards_packed_count` kept encoded in `awards_packed` (engine/model/award_records.hpp), the
  // rest, in order after them, in `awards`. Only `reverse` reads old records: it decodes the
  // encoded ones aside (decode_packed_awards) and encodes them again if it reversed one.
  std::string awards_packed;
  std::uint32_t awards_packed_count = 0;
  std::vector<AwardRecord> awards;
  std::uint32_t next_lot_id = 1;
  std::int64_t debt = 0;  // points owed (only with `allow negative`)
  std::int32_t cap_period = std::numeric_limits<std::int32_t>::min();
  std::int64_t cap_used = 0;  // points awarded in cap_period
  // Tasks, by Plan task index (engine/model/task_part.hpp): task t < 64 whose bit is set in
  // `tasks_closed` is still encoded in `tasks_packed` (which then holds an entry for every task)
  // and m.tasks[t] is stale; task_state() opens it. Only the member table closes tasks, between
  // the evaluator's operations.
  std::uint64_t tasks_closed = 0;
  std::string tasks_packed;
  std::vector<TaskState> tasks;
  // The rarely used part (engine/model/rare_part.hpp): while `rare_closed`, the privileges,
  // rewards, tags and attributes below are empty and their encoded form is in `rare_packed`;
  // open_rare() decodes them. Only the member table closes it, between the evaluator's operations.
  bool rare_closed = false;
  std::string rare_packed;
  std::vector<PrivilegeState> privileges;
  std::vector<RewardState> rewards;
  std::vector<AggregateState> aggregates;
  std::vector<std::string> tags;  // sorted, unique
  std::vector<Value> attributes;  // by member attribute slot
};

// Bytes one member's state occupies: sizeof(MemberState) plus every heap block it owns (vector
// capacities, strings longer than the small-string buffer), allocator bookkeeping not counted.
// For docs/performance.md and the evaluator bench: the figure the 512-byte target is about.
std::size_t state_bytes(const MemberState& m);

// What the member table leaves closed while it works on a member, opened: the rarely used part
// (engine/model/rare_part.hpp) and the tasks (engine/model/task_part.hpp).
void open_all(MemberState& m);

// `m` to read whole: itself when nothing of it is closed, else a copy in `scratch` with all of it
// opened (for what reads a member without changing it: views, snapshots, MemberTable::peek).
const MemberState& opened(const MemberState& m, MemberState& scratch);

// State shared by all members: what one member's operation can use up for the others.
struct SharedState {
  std::vector<std::int64_t> campaign_awarded;  // points each campaign has awarded (budgets)
  std::vector<std::int64_t> reward_redeemed;   // units of each reward redeemed (stock)
};

}  // namespace merit::engine
