// The evaluation of one operation, in the order of LANGUAGE.md §5: create, expire/review/release,
// rules, campaigns, tasks, growth and upgrades, pseudo-events. Points live in lots (spend order:
// soonest expiry, then oldest); every change is a ledger Effect naming its cause.
#include "engine/eval/evaluator.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "engine/eval/internal.hpp"
#include "engine/model/award_records.hpp"
#include "engine/model/growth_records.hpp"
#include "engine/model/lot_records.hpp"
#include "engine/model/rare_part.hpp"
#include "engine/model/task_part.hpp"

namespace merit::engine {

using internal::Ctx;
using internal::Val;

namespace internal {

std::int32_t period_key(PeriodKind p, LocalDate d) {
  switch (p) {
    case PeriodKind::kDay:
      return d.days;
    case PeriodKind::kWeek: {
      std::int32_t x = d.days + 3;  // 1969-12-29 was a Monday
      return x >= 0 ? x / 7 : (x - 6) / 7;
    }
    case PeriodKind::kMonth: {
      CivilDate c = to_civil(d);
      return c.year * 12 + c.month - 1;
    }
    case PeriodKind::kYear:
      return to_civil(d).year;
    case PeriodKind::kMember:
      return 0;
  }
  return 0;
}

std::int64_t window_start(const Plan& plan, Instant t, const CalDuration& d) {
  return plan.zone.add(t, -d.count, d.unit).ms;
}

std::int64_t qualifying_growth(const Plan& plan, const MemberState& m, Instant t) {
  if (!plan.growth_window) return std::max<std::int64_t>(0, m.growth_lifetime);
  return growth_within(m, window_start(plan, t, *plan.growth_window), t);
}

std::int64_t growth_within(const MemberState& m, std::int64_t from, Instant t) {
  std::int64_t q = 0;
  if (m.growth_packed_count > 0) {
    // Entries are in time order: when the window holds the first and the last encoded one, it
    // holds them all (the usual upgrade check); otherwise they are read one at a time.
    if (m.growth_packed_first > from && m.growth_packed_last <= t.ms) {
      q = m.growth_packed_total;
    } else {
      GrowthReader r(m.growth_packed, m.growth_packed_first);
      GrowthEntry g;
      while (r.next(g)) {
        if (g.at.ms > from && g.at.ms <= t.ms) q += g.amount;
      }
      if (!r.ok()) corrupt_growth(m);
    }
  }
  for (const auto& g : m.growth_window) {
    if (g.at.ms > from && g.at.ms <= t.ms) q += g.amount;
  }
  return std::max<std::int64_t>(0, q);
}

std::int64_t next_review_due(const Plan& plan, const MemberState& m) {
  if (!plan.review_every || !m.exists) return kNever;
  return plan.zone.add(m.review_base, plan.review_every->count, plan.review_every->unit).ms;
}

std::int64_t available_points(const MemberState& m, Instant t) {
  std::int64_t a = 0;
  for_each_lot(m, [&](const Lot& l) {
    if (l.available_at <= t.ms && l.expires > t.ms) a += l.amount;
  });
  return a - m.debt;
}

std::int64_t pending_points(const MemberState& m, Instant t) {
  std::int64_t a = 0;
  for_each_lot(m, [&](const Lot& l) {
    if (l.available_at > t.ms && l.expires > t.ms) a += l.amount;
  });
  return a;
}

}  // namespace internal

namespace {

using internal::available_points;
using internal::period_key;

// The key an award record is found by: FNV-1a 64 of the matched field's text.
std::uint64_t award_key(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

bool lot_before(const Lot& a, const Lot& b) {
  if (a.expires != b.expires) return a.expires < b.expires;
  if (a.earned != b.earned) return a.earned < b.earned;
  return a.id < b.id;
}

// A pseudo-event waiting to be evaluated (§5 step 8).
struct Pseudo {
  Operation op;   // event_type, time and fields as a real event would have them
  int level = 0;  // `level` in its rules: the level when it was raised, i.e. before this
                  // pseudo-event (§4.5): the lowest for join, the level before the event for
                  // task_done (raised at step 6, before step 7's upgrades), event.from for
                  // level_up / level_down (the planner reads the field there)
};

// A statement of a rule matched at step 4, with its value (evaluated before any is applied).
struct Intent {
  const PlanStmt* stmt;
  int rule;
  Val value;
};

// A campaign active for the event (step 5) and its multipliers.
struct Active {
  int campaign;
  Decimal points_mul = Decimal::from_int(1);
  Decimal growth_mul = Decimal::from_int(1);
};

// One part of a multiplied award (§5 step 5).
struct Share {
  int campaign;  // -1: the rule's own base
  std::int64_t amount;
  Decimal exact;  // the exact award up to and including this multiplier
};

// Buffers apply() reuses from one operation to the next on a thread, so the evaluation of an
// operation allocates nothing for its own bookkeeping. Cleared before each use; nothing in them
// outlives the operation that filled them.
struct Scratch {
  std::vector<Pseudo> pseudo;
  std::vector<Intent> intents;
  std::vector<Active> active;
  std::vector<Share> shares;
  // What step 3 (carrying the member to the event's time) changed, to undo it: an event whose
  // later steps cannot fail once its awards start (Plan::may_fail_late) logs only this, and only
  // when step 3 changes something, instead of copying the member whole (see apply()).
  struct TimeUndo {
    std::vector<Lot> expired;          // the lots expired: the front of the list, in order
    std::size_t closed_lots = 0;       // closed_lots' size before (step 3 only appends)
    std::vector<GrowthEntry> trimmed;  // the growth entries trimmed from the front
    std::vector<std::pair<std::uint32_t, std::int64_t>> released;  // (lot id, its available_at)
    int level = 0;
    Instant level_since, review_base;
  } time_undo;
  // The states as they were before an operation that may be refused after changing them: copied
  // into buffers kept from earlier copies, restored by swapping.
  MemberState member_backup;
  SharedState shared_backup;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// The work of one operation on one member. Holds references; lives for one apply() call.
class Run {
 public:
  Run(const Plan& plan, MemberState& m, SharedState& shared, ApplyResult& out, Scratch& scratch)
      : plan_(plan), m_(m), shared_(shared), out_(out), scratch_(scratch), pseudo_(scratch.pseudo) {
    pseudo_.clear();
  }

  void event(const Operation& op);
  void redeem(const Operation& op);
  void use(const Operation& op);
  void set(const Operation& op);
  void advance_to(Instant t);  // step 3
  void pseudo_events();        // step 8

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  // For redeem and use, which can be refused after step 3 changed the member: the states are
  // copied into the scratch backup just before the first change (before_change), so a refusal
  // with nothing due copies nothing. backed_up(): the copy was taken.
  void back_up_before_changes() { backup_wanted_ = true; }
  bool backed_up() const { return backup_taken_; }
  // For an event with no whole backup: step 3's changes are logged as they are made (what it
  // expired, released, trimmed, and the level fields), until the awards start (nothing can refuse
  // the event after that). undo_before_awards() puts the member back as it was: step 3 undone, the
  // event's award record dropped (apply() restores the cached review due time).
  void back_up_time_changes() { time_undo_wanted_ = true; }
  void undo_before_awards() {
    if (record_pushed_) m_.awards.pop_back();
    record_pushed_ = false;
    if (!time_undo_taken_) return;
    const auto& u = scratch_.time_undo;
    // Lots expired from the encoded ones go back in front of them: all are decoded first.
    if (!u.expired.empty() || !u.released.empty()) unpack_lots(m_);
    m_.lots.insert(m_.lots.begin(), u.expired.begin(), u.expired.end());
    m_.closed_lots.resize(u.closed_lots);
    // Growth entries trimmed go back in front of the encoded ones: all are decoded first.
    if (!u.trimmed.empty()) {
      unpack_growth(m_);
      m_.growth_window.insert(m_.growth_window.begin(), u.trimmed.begin(), u.trimmed.end());
    }
    for (const auto& [id, at] : u.released) {
      for (auto& l : m_.lots) {
        if (l.id == id) l.available_at = at;
      }
    }
    m_.level = u.level;
    m_.level_since = u.level_since;
    m_.review_base = u.review_base;
  }

 private:
  void before_change() {
    if (time_undo_wanted_ && !time_undo_taken_) {
      auto& u = scratch_.time_undo;
      u.expired.clear();
      u.closed_lots = m_.closed_lots.size();
      u.trimmed.clear();
      u.released.clear();
      u.level = m_.level;
      u.level_since = m_.level_since;
      u.review_base = m_.review_base;
      time_undo_taken_ = true;
    }
    if (!backup_wanted_ || backup_taken_) return;
    scratch_.member_backup = m_;
    scratch_.shared_backup = shared_;
    backup_taken_ = true;
  }

  // Calendar computations, remembered for the operation: most steps ask about its own instant
  // (the local day for tasks, campaigns and the cap; the start of the same window several times).
  LocalDate date_of(Instant t) const {
    if (!date_known_ || date_at_ != t) {
      date_at_ = t;
      date_ = plan_.zone.date_of(t);
      date_known_ = true;
    }
    return date_;
  }
  std::int64_t window_from(Instant t, const CalDuration& d) const {
    for (const auto& w : windows_) {
      if (w.known && w.at == t && w.count == d.count && w.unit == d.unit) return w.from;
    }
    WindowStart& w = windows_[next_window_];
    next_window_ = (next_window_ + 1) % windows_.size();
    w = {true, t, d.count, d.unit, internal::window_start(plan_, t, d)};
    return w.from;
  }
  // Qualifying growth at t (internal::qualifying_growth with the window start remembered).
  std::int64_t qualifying(Instant t) const {
    if (!plan_.growth_window) return std::max<std::int64_t>(0, m_.growth_lifetime);
    return internal::growth_within(m_, window_from(t, *plan_.growth_window), t);
  }

  struct Award {  // where the points of an award go
    Cause cause = Cause::kNone;
    int index = -1;
    AwardRecord* record = nullptr;  // reversible event: what it earned
  };

  void create(const Operation& op);
  void expire(Instant t);
  void release(Instant t);
  void reviews(Instant t);
  Effect& effect(EffectKind k, Cause c, int idx, Instant t) {
    out_.effects.emplace_back();
    Effect& e = out_.effects.back();
    e.kind = k;
    e.cause = c;
    e.cause_index = idx;
    e.time = t;
    return e;
  }

  // Points.
  std::int64_t lot_expiry(const ExpiryRule& r, Instant t) const;
  std::int64_t credit(std::int64_t amount, const Award& who, Instant t, std::int64_t expires,
                      std::int64_t available_at, const Decimal& exact, bool budget_checked = false);
  std::int64_t cap_room(Instant t);
  std::int64_t& cap_used(Instant t);
  void take(std::int64_t amount, Instant t, EffectKind kind, Cause c, int idx);
  void close_lot(const Lot& l);
  void expire_lot(const Lot& l);  // its ledger entry, and closed
  void reverse(int event_type, const std::string& key, Instant t, Cause c, int idx);
  void insert_lot(Lot l);

  // Growth and levels.
  void add_growth(std::int64_t amount, Instant t, Cause c, int idx, const Decimal& exact,
                  AwardRecord* record);
  // Adds this operation's growth; true when growth rose (only then can an upgrade follow).
  bool settle_growth(Instant t);
  void upgrade(Instant t);

  // Statements.
  void run_body(const std::vector<PlanStmt>& body, Ctx& ctx, const Award& who, const Operation& ev);
  void run_stmt(const PlanStmt& s, Ctx& ctx, const Award& who, const Operation& ev);
  void grant(const PlanStmt& s, Instant t, Cause c, int idx);
  void tag(bool add, std::string_view tag, Instant t, Cause c, int idx);

  // Tasks, campaigns, pseudo-events, aggregates.
  bool package_open(int package, Instant t, Ctx& ctx) const;
  void advance_tasks(const Operation& ev, int level, AwardRecord* record);
  bool campaign_active(const PlanCampaign& c, Instant t, Ctx& ctx) const;
  void record_aggregates(const Operation& ev);
  void raise(int pseudo, Instant t, std::vector<Value> fields);

  const Plan& plan_;
  MemberState& m_;
  SharedState& shared_;
  ApplyResult& out_;
  Scratch& scratch_;
  std::string error_;
  std::int64_t pending_growth_ = 0;  // growth awarded by this event, added at step 7
  std::vector<Pseudo>& pseudo_;      // raised, not yet evaluated (scratch storage)
  struct DeferredTag {
    bool add;
    std::string tag;
    Instant at;
    Award who;
  };
  bool defer_tags_ = false;  // inside the rules of one pseudo-event
  std::vector<DeferredTag> deferred_tags_;
  std::uint32_t first_lot_id_ = 0;     // lots with ids >= this were made by this operation
  const std::string* expr_ = nullptr;  // the statement being applied, named by its awards
  std::int32_t prior_cap_period_ = m_.cap_period;  // the cap period before this operation
  std::int64_t prior_cap_used_ = m_.cap_used;
  std::vector<std::pair<std::int32_t, std::int64_t>> past_caps_;  // earlier periods touched
  bool backup_wanted_ = false;
  bool backup_taken_ = false;
  bool time_undo_wanted_ = false;  // log step 3's changes in scratch_.time_undo
  bool time_undo_taken_ = false;
  bool record_pushed_ = false;  // the event's award record is the last of m_.awards
  mutable bool date_known_ = false;
  mutable Instant date_at_;
  mutable LocalDate date_;
  struct WindowStart {
    bool known = false;
    Instant at;
    std::int64_t count = 0;
    CalendarUnit unit = CalendarUnit::kDay;
    std::int64_t from = 0;
  };
  mutable std::array<WindowStart, 2> windows_{};
  mutable std::size_t next_window_ = 0;
  mutable int package_end_index_ = -1;  // the package whose after-join end is remembered
  mutable std::int64_t package_end_ = 0;
};

// ---- lots -------------------------------------------------------------------------------------

void Run::insert_lot(Lot l) {
  // A new lot has the highest id, so it sorts after the last encoded lot unless it expires sooner,
  // or at the same time having been earned earlier; only then are the encoded lots decoded.
  if (m_.lots_packed_count > 0 &&
      (l.expires < m_.lots_packed_last_expires ||
       (l.expires == m_.lots_packed_last_expires && l.earned.ms < m_.lots_packed_last_earned))) {
    unpack_lots(m_);
  }
  if (l.available_at > 0 && m_.next_release != 0) {
    m_.next_release = std::min(m_.next_release, l.available_at);
  }
  auto it = std::upper_bound(m_.lots.begin(), m_.lots.end(), l, lot_before);
  m_.lots.insert(it, std::move(l));
}

void Run::close_lot(const Lot& l) {
  if (l.reversible) m_.closed_lots.push_back({l.id, l.original - l.amount});
}

std::int64_t Run::lot_expiry(const ExpiryRule& r, Instant t) const {
  const Zone& z = plan_.zone;
  switch (r.mode) {
    case ExpiryMode::kNoExpiry:
      return kNever;
    case ExpiryMode::kAfter: {
      // gone at the end of the day on which its age reaches N (§4.3)
      LocalDate last = z.date_of(z.add(t, r.after.count, r.after.unit));
      return z.start_of(LocalDate{last.days + 1}).ms;
    }
    case ExpiryMode::kEndOfMonth: {
      CivilDate c = to_civil(date_of(t));
      std::int64_t m0 = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + r.plus + 1;
      int y = static_cast<int>(m0 / 12);
      int mo = static_cast<int>(m0 % 12) + 1;
      return z.start_of(from_civil(y, mo, 1)).ms;
    }
    case ExpiryMode::kEndOfYear: {
      CivilDate c = to_civil(date_of(t));
      return z.start_of(from_civil(c.year + static_cast<int>(r.plus) + 1, 1, 1)).ms;
    }
  }
  return kNever;
}

// The points counted toward the cap in t's calendar period. The member keeps only its latest
// period; an award dated in an earlier one comes from a level_down rule at a review's due time,
// evaluated at step 8 after the event's own awards (§4.2, §5): it counts in its own period (§4.3),
// which is either the period the member had before this operation or one with nothing in it.
std::int64_t& Run::cap_used(Instant t) {
  std::int32_t key = period_key(plan_.cap->period, date_of(t));
  if (key < m_.cap_period) {
    for (auto& [k, used] : past_caps_) {
      if (k == key) return used;
    }
    past_caps_.push_back({key, key == prior_cap_period_ ? prior_cap_used_ : 0});
    return past_caps_.back().second;
  }
  if (key != m_.cap_period) {
    m_.cap_period = key;
    m_.cap_used = 0;
  }
  return m_.cap_used;
}

std::int64_t Run::cap_room(Instant t) {
  if (!plan_.cap) return std::numeric_limits<std::int64_t>::max();
  return std::max<std::int64_t>(0, plan_.cap->amount - cap_used(t));
}

// Credits an award: the campaign budget cut first (for campaign awards), then the cap; the rest
// goes into a lot (paying off any debt first). Returns the points credited.
std::int64_t Run::credit(std::int64_t amount, const Award& who, Instant t, std::int64_t expires,
                         std::int64_t available_at, const Decimal& exact, bool budget_checked) {
  if (amount <= 0) return 0;
  if (who.cause == Cause::kCampaign && !budget_checked) {
    const auto& c = plan_.campaigns[static_cast<std::size_t>(who.index)];
    if (c.budget) {
      std::int64_t left = std::max<std::int64_t>(
          0, *c.budget - shared_.campaign_awarded[static_cast<std::size_t>(who.index)]);
      if (amount > left) {
        Effect& e = effect(EffectKind::kBudgetCut, who.cause, who.index, t);
        e.amount = amount - left;
        amount = left;
      }
    }
  }
  std::int64_t room = cap_room(t);
  if (amount > room) {
    Effect& e = effect(EffectKind::kCapped, who.cause, who.index, t);
    e.amount = amount - room;
    amount = room;
  }
  if (amount <= 0) return 0;
  if (plan_.cap) cap_used(t) += amount;
  if (who.cause == Cause::kCampaign) {
    shared_.campaign_awarded[static_cast<std::size_t>(who.index)] += amount;
  }
  Effect& e = effect(EffectKind::kPoints, who.cause, who.index, t);
  e.expression = expr_;
  e.amount = amount;
  e.expires = expires;
  e.pending_until = available_at > t.ms ? available_at : 0;
  e.exact = exact;
  std::int64_t into_lot = amount;
  if (m_.debt > 0) {
    std::int64_t pay = std::min(m_.debt, into_lot);
    m_.debt -= pay;
    into_lot -= pay;
    // What paid a debt is in no lot, yet a reversal takes back the whole award the ledger recorded
    // (§4.6 reverse): the record names that part with lot id 0 (lot ids start at 1).
    if (who.record != nullptr) who.record->lots.push_back({0, pay});
  }
  if (into_lot <= 0) return amount;
  // Awards of one operation with the same expiry and release share a lot. Lot ids grow with every
  // lot made, so until this operation made one no lot has an id >= first_lot_id_ and there is
  // nothing to look for. The lots it made are all in m_.lots: none was encoded since.
  bool reversible = who.record != nullptr;
  if (m_.next_lot_id != first_lot_id_) {
    for (auto& l : m_.lots) {
      if (l.id >= first_lot_id_ && l.expires == expires && l.available_at == available_at &&
          l.reversible == reversible && l.earned == t &&
          (!reversible || (!who.record->lots.empty() && who.record->lots.back().first == l.id))) {
        l.original += into_lot;
        l.amount += into_lot;
        e.lots.push_back({l.id, into_lot});
        if (reversible) who.record->lots.back().second += into_lot;
        return amount;
      }
    }
  }
  Lot l;
  l.id = m_.next_lot_id++;
  l.reversible = reversible;
  l.earned = t;
  l.expires = expires;
  l.available_at = available_at;
  l.original = into_lot;
  l.amount = into_lot;
  e.lots.push_back({l.id, into_lot});
  if (reversible) who.record->lots.push_back({l.id, into_lot});
  insert_lot(std::move(l));
  return amount;
}

// Takes spendable points, soonest-expiring first, then the oldest. What cannot be taken becomes
// debt (allow negative) or a shortfall entry; spending (kSpend) is checked by the caller first.
void Run::take(std::int64_t amount, Instant t, EffectKind kind, Cause c, int idx) {
  if (amount <= 0) return;
  Effect& e = effect(kind, c, idx, t);
  std::int64_t need = amount;
  unpack_lots(m_);
  for (auto it = m_.lots.begin(); it != m_.lots.end() && need > 0;) {
    if (it->available_at > t.ms || it->expires <= t.ms) {
      ++it;
      continue;
    }
    std::int64_t x = std::min(it->amount, need);
    it->amount -= x;
    need -= x;
    e.lots.push_back({it->id, x});
    if (it->amount == 0) {
      close_lot(*it);
      it = m_.lots.erase(it);
    } else {
      ++it;
    }
  }
  e.amount = amount - need;
  if (need > 0) {
    if (plan_.allow_negative) {
      m_.debt += need;
      e.amount = amount;
    } else {
      Effect& s = effect(EffectKind::kShortfall, c, idx, t);
      s.amount = need;
    }
  }
}

void Run::expire(Instant t) {
  // The member remembers its soonest expiry, so most events never touch the lots to learn that
  // nothing expires (0: not known, look).
  if (m_.next_expiry != 0 && m_.next_expiry > t.ms) return;
  // The expired lots lead the list (soonest expiry first), the encoded ones first: each is
  // recorded in order, then all are removed at once. Encoded lots are decoded one at a time and
  // their bytes dropped from the front (each lot's bytes stand alone); the rest stay encoded.
  if (m_.lots_packed_count > 0) {
    const std::string_view bytes = m_.lots_packed;
    LotReader r(bytes, m_.joined.ms);
    std::uint32_t gone = 0;
    std::size_t kept_from = 0;  // where the first lot that stays begins
    Lot l;
    while (gone < m_.lots_packed_count) {
      if (!r.next(l)) corrupt_lots(m_);
      if (l.expires > t.ms) break;
      expire_lot(l);
      if (time_undo_taken_) scratch_.time_undo.expired.push_back(l);
      ++gone;
      kept_from = bytes.size() - r.rest().size();
    }
    if (gone > 0) {
      m_.lots_packed.erase(0, kept_from);
      m_.lots_packed_count -= gone;
    }
    // A lot still encoded has not expired, and every lot after it expires no sooner. It is the
    // soonest expiry, remembered here where it was read (remember_next_expiry leaves it).
    if (m_.lots_packed_count > 0) {
      m_.next_expiry = l.expires;
      return;
    }
  }
  auto& lots = m_.lots;
  std::size_t gone = 0;
  for (; gone < lots.size() && lots[gone].expires <= t.ms; ++gone) expire_lot(lots[gone]);
  if (gone == 0) return;
  if (time_undo_taken_) {
    auto& expired = scratch_.time_undo.expired;
    expired.insert(expired.end(), lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(gone));
  }
  lots.erase(lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(gone));
}

void Run::expire_lot(const Lot& l) {
  before_change();
  Effect& e = effect(EffectKind::kExpire, Cause::kSystem, -1, Instant{l.expires});
  e.amount = l.amount;
  e.lots.push_back({l.id, l.amount});
  close_lot(l);
}

void Run::release(Instant t) {
  // The member remembers a time before which nothing is released, so most events never touch the
  // lots (which may be encoded) to learn that nothing is due.
  if (m_.next_release != 0 && m_.next_release > t.ms) return;
  unpack_lots(m_);
  std::int64_t next = kNever;
  for (auto& l : m_.lots) {
    if (l.available_at > t.ms) next = std::min(next, l.available_at);
    if (l.available_at > 0 && l.available_at <= t.ms) {
      before_change();
      if (time_undo_taken_) scratch_.time_undo.released.emplace_back(l.id, l.available_at);
      Effect& e = effect(EffectKind::kRelease, Cause::kSystem, -1, Instant{l.available_at});
      e.amount = l.amount;
      e.lots.push_back({l.id, l.amount});
      l.available_at = 0;
    }
  }
  m_.next_release = next;
}

void Run::reverse(int event_type, const std::string& key_text, Instant t, Cause c, int idx) {
  unpack_lots(m_);
  const std::uint64_t key = award_key(key_text);
  // Undoes one record if it matches; whether it did.
  auto reverse_one = [&](AwardRecord& rec) {
    if (rec.reversed || rec.event_type != event_type || rec.key != key) return false;
    rec.reversed = true;
    std::int64_t spent = 0;
    for (const auto& entry : rec.lots) {
      // Named, not a structured binding: the lambdas below capture it (clang 14 cannot).
      const std::uint32_t lot_id = entry.first;
      const std::int64_t share = entry.second;
      if (lot_id == 0) {  // it paid a debt: as good as spent, deducted from what is left
        spent += share;
        continue;
      }
      auto it = std::find_if(m_.lots.begin(), m_.lots.end(),
                             [&](const Lot& l) { return l.id == lot_id; });
      if (it != m_.lots.end()) {
        // What is still in its lot is removed; what was spent is deducted from other lots.
        Effect& e = effect(EffectKind::kReverse, c, idx, t);
        e.amount = it->amount;
        e.lots.push_back({it->id, it->amount});
        spent += it->original - it->amount;
        m_.lots.erase(it);
        continue;
      }
      auto ct = std::find_if(m_.closed_lots.begin(), m_.closed_lots.end(),
                             [&](const ClosedLot& l) { return l.id == lot_id; });
      // A lot that expired: what had been spent from it is deducted; what expired is not.
      if (ct != m_.closed_lots.end()) {
        spent += ct->spent;
        m_.closed_lots.erase(ct);
      }
    }
    if (spent > 0) take(spent, t, EffectKind::kReverse, c, idx);
    if (rec.growth != 0) {
      m_.growth_lifetime -= rec.growth;
      if (plan_.growth_window) {
        unpack_growth(m_);
        GrowthEntry g{rec.time, -rec.growth};
        auto it = std::upper_bound(
            m_.growth_window.begin(), m_.growth_window.end(), g,
            [](const GrowthEntry& a, const GrowthEntry& b) { return a.at < b.at; });
        m_.growth_window.insert(it, g);
      }
      Effect& e = effect(EffectKind::kGrowth, c, idx, t);
      e.amount = -rec.growth;
    }
    return true;
  };
  // The older records are kept encoded (award_records.hpp): decoded aside, in order before the
  // others, and encoded again if one was reversed. m_.awards itself is not moved: the event's own
  // record may be in it, and is pointed at while its awards are credited.
  if (m_.awards_packed_count > 0) {
    std::vector<AwardRecord> old;
    decode_packed_awards(m_, old);
    bool changed = false;
    for (auto& rec : old) changed = reverse_one(rec) || changed;
    if (changed) {
      m_.awards_packed.clear();
      encode_awards(old.data(), old.data() + old.size(), m_.awards_packed);
    }
  }
  for (auto& rec : m_.awards) reverse_one(rec);
}

// ---- growth and levels ------------------------------------------------------------------------

void Run::add_growth(std::int64_t amount, Instant t, Cause c, int idx, const Decimal& exact,
                     AwardRecord* record) {
  if (amount == 0) return;
  Effect& e = effect(EffectKind::kGrowth, c, idx, t);
  e.expression = expr_;
  e.amount = amount;
  e.exact = exact;
  pending_growth_ += amount;
  if (record != nullptr) record->growth += amount;
}

bool Run::settle_growth(Instant t) {
  if (pending_growth_ == 0) return false;
  const bool rose = pending_growth_ > 0;
  m_.growth_lifetime += pending_growth_;
  if (plan_.growth_window) add_growth_entry(m_, t, pending_growth_);
  pending_growth_ = 0;
  return rose;
}

void Run::upgrade(Instant t) {
  int n = static_cast<int>(plan_.levels.size());
  if (m_.level + 1 >= n) return;  // at the top: nothing to qualify for
  std::int64_t q = qualifying(t);
  while (m_.level + 1 < n && plan_.levels[static_cast<std::size_t>(m_.level + 1)].from <= q) {
    int from = m_.level;
    m_.level += 1;
    m_.level_since = t;
    m_.review_base = t;
    m_.review_due = 0;
    Effect& e = effect(EffectKind::kLevelUp, Cause::kSystem, -1, t);
    e.a = from;
    e.b = m_.level;
    raise(kLevelUp, t, {Value::level(from), Value::level(m_.level)});
  }
}

void Run::reviews(Instant t) {
  if (!plan_.review_every) return;
  for (int guard = 0; guard < 10000; ++guard) {
    if (m_.review_due == 0) m_.review_due = internal::next_review_due(plan_, m_);
    std::int64_t due = m_.review_due;
    if (due > t.ms) return;
    before_change();
    Instant at{due};
    std::int64_t q = qualifying(at);
    int from = m_.level;
    int to = from;
    const auto& lv = plan_.levels;
    if (q < lv[static_cast<std::size_t>(from)].keep) {
      if (plan_.downgrade == DowngradeMode::kOne) {
        to = std::max(0, from - 1);
      } else {
        to = 0;
        for (int k = from - 1; k >= 0; --k) {
          if (lv[static_cast<std::size_t>(k)].keep <= q) {
            to = k;
            break;
          }
        }
      }
    }
    m_.review_base = at;
    m_.review_due = 0;
    if (to != from) {
      m_.level = to;
      m_.level_since = at;
      Effect& e = effect(EffectKind::kLevelDown, Cause::kReview, -1, at);
      e.a = from;
      e.b = to;
      raise(kLevelDown, at, {Value::level(from), Value::level(to)});
    } else {
      Effect& e = effect(EffectKind::kReview, Cause::kReview, -1, at);
      e.a = from;
      e.b = to;
      e.amount = q;
    }
  }
}

// ---- statements -------------------------------------------------------------------------------

void Run::tag(bool add, std::string_view tg, Instant t, Cause c, int idx) {
  open_rare(m_);
  auto it = std::lower_bound(m_.tags.begin(), m_.tags.end(), tg);
  bool present = it != m_.tags.end() && *it == tg;
  if (add && !present) {
    m_.tags.insert(it, std::string(tg));
  } else if (!add && present) {
    m_.tags.erase(it);
  } else {
    return;
  }
  Effect& e = effect(add ? EffectKind::kTagAdd : EffectKind::kTagRemove, c, idx, t);
  e.text = std::string(tg);
}

void Run::grant(const PlanStmt& s, Instant t, Cause c, int idx) {
  open_rare(m_);
  auto& ps = m_.privileges[static_cast<std::size_t>(s.target)];
  PrivilegeGrant g;
  g.remaining = s.count;
  if (s.valid) g.until = plan_.zone.add(t, s.valid->count, s.valid->unit).ms;
  auto it = std::upper_bound(
      ps.grants.begin(), ps.grants.end(), g,
      [](const PrivilegeGrant& a, const PrivilegeGrant& b) { return a.until < b.until; });
  ps.grants.insert(it, g);
  Effect& e = effect(EffectKind::kGrant, c, idx, t);
  e.a = s.target;
  e.amount = s.count;
  e.expires = g.until;
}

void Run::run_body(const std::vector<PlanStmt>& body, Ctx& ctx, const Award& who,
                   const Operation& ev) {
  for (const auto& s : body) {
    run_stmt(s, ctx, who, ev);
    if (!ctx.error.empty()) return;
  }
}

// Runs one statement of a task, reward, campaign bonus or pseudo-event rule: evaluated against the
// state as it is now, applied at once.
void Run::run_stmt(const PlanStmt& s, Ctx& ctx, const Award& who, const Operation& ev) {
  if (s.op == StmtOp::kIf) {
    bool cond = internal::holds(s.value, ctx);
    if (!ctx.error.empty()) return;
    run_body(cond ? s.then_body : s.else_body, ctx, who, ev);
    return;
  }
  if (s.op == StmtOp::kGrant) {
    grant(s, ev.time, who.cause, who.index);
    return;
  }
  Val v = internal::eval(s.value, ctx);
  if (!ctx.error.empty()) return;
  struct ExprScope {  // names the statement on the awards it makes
    const std::string*& slot;
    const std::string* saved;
    ~ExprScope() { slot = saved; }
  } scope{expr_, expr_};
  expr_ = &s.value.text;
  switch (s.op) {
    case StmtOp::kPointsAdd: {
      if (v.kind != Value::Kind::kNumber) return;
      Decimal exact = Decimal::from_units(v.i);
      std::int64_t amount = exact.trunc();
      if (amount <= 0) return;
      std::int64_t expires = lot_expiry(s.expire ? *s.expire : plan_.default_expiry, ev.time);
      std::int64_t avail = 0;
      auto pend = s.pending ? s.pending : plan_.pending;
      if (pend) avail = plan_.zone.add(ev.time, pend->count, pend->unit).ms;
      credit(amount, who, ev.time, expires, avail, exact);
      return;
    }
    case StmtOp::kPointsSub:
      if (v.kind == Value::Kind::kNumber) {
        take(Decimal::from_units(v.i).trunc(), ev.time, EffectKind::kDeduct, who.cause, who.index);
      }
      return;
    case StmtOp::kGrowthAdd:
    case StmtOp::kGrowthSub: {
      if (v.kind != Value::Kind::kNumber) return;
      Decimal exact = Decimal::from_units(v.i);
      std::int64_t amount = exact.trunc();
      if (amount <= 0) return;
      add_growth(s.op == StmtOp::kGrowthAdd ? amount : -amount, ev.time, who.cause, who.index,
                 exact, who.record);
      return;
    }
    case StmtOp::kTagAdd:
    case StmtOp::kTagSub:
      if (v.kind != Value::Kind::kString) return;
      if (defer_tags_) {
        deferred_tags_.push_back({s.op == StmtOp::kTagAdd, std::string(v.s), ev.time, who});
      } else {
        tag(s.op == StmtOp::kTagAdd, v.s, ev.time, who.cause, who.index);
      }
      return;
    case StmtOp::kReverse: {
      std::string key;
      if (v.kind == Value::Kind::kString)
        key = std::string(v.s);
      else if (v.kind == Value::Kind::kNumber)
        key = Decimal::from_units(v.i).to_string();
      else
        return;
      reverse(s.target, key, ev.time, who.cause, who.index);
      return;
    }
    default:
      return;  // `*=` outside a campaign is refused by the checker
  }
}

// ---- tasks ------------------------------------------------------------------------------------

bool Run::package_open(int package, Instant t, Ctx& ctx) const {
  if (package < 0) return true;
  const auto& p = plan_.packages[static_cast<std::size_t>(package)];
  const Zone& z = plan_.zone;
  if (p.after_join) {
    // ends like a lot's expiry: at the end of the day on which N has passed since the join (the
    // join does not change during an operation once it was created)
    if (package_end_index_ != package) {
      LocalDate last = z.date_of(z.add(m_.joined, p.after_join->count, p.after_join->unit));
      package_end_ = z.start_of(LocalDate{last.days + 1}).ms;
      package_end_index_ = package;
    }
    if (t.ms >= package_end_) return false;
  }
  if (p.during_from) {
    LocalDate d = date_of(t);
    if (d < *p.during_from || d > *p.during_to) return false;
  }
  return internal::holds(p.for_, ctx);
}

std::int32_t repeat_period(RepeatMode r, LocalDate d) {
  switch (r) {
    case RepeatMode::kDaily:
      return period_key(PeriodKind::kDay, d);
    case RepeatMode::kWeekly:
      return period_key(PeriodKind::kWeek, d);
    case RepeatMode::kMonthly:
      return period_key(PeriodKind::kMonth, d);
    case RepeatMode::kYearly:
      return period_key(PeriodKind::kYear, d);
    default:
      return 0;
  }
}

void Run::advance_tasks(const Operation& ev, int level, AwardRecord* record) {
  const auto& tasks = plan_.events[static_cast<std::size_t>(ev.event_type)].tasks;
  for (int ti : tasks) {
    const PlanTask& task = plan_.tasks[static_cast<std::size_t>(ti)];
    // A once-only task already done needs no look at its progress (a bit kept in the member).
    if (task.repeat == RepeatMode::kOnce && ti < 64 && ((m_.done_once >> ti) & 1u) != 0) continue;
    TaskState& ts = task_state(m_, static_cast<std::size_t>(ti));  // opened if closed
    Instant t = ev.time;
    if (task.repeat == RepeatMode::kOnce && ts.completions > 0) continue;
    LocalDate today = date_of(t);
    bool periodic = task.repeat != RepeatMode::kOnce && task.repeat != RepeatMode::kAlways;
    if (periodic && ts.completions > 0 &&
        ts.completion_period == repeat_period(task.repeat, today)) {
      continue;  // this period already has its completion
    }
    Ctx ctx{plan_, m_, &ev, t, level, {}, &m_};
    if (!package_open(task.package, t, ctx) || !internal::holds(task.when, ctx)) {
      if (!ctx.error.empty()) error_ = "task " + task.id + ": " + ctx.error;
      continue;
    }
    bool done = false;
    Decimal progress;
    Decimal target = Decimal::from_int(task.count);
    switch (task.goal) {
      case GoalMode::kNone:
        done = true;
        progress = Decimal::from_int(1);
        break;
      case GoalMode::kCount:
      case GoalMode::kSum: {
        Decimal value = Decimal::from_int(1);
        if (task.goal == GoalMode::kSum) {
          target = task.reaches;
          Val v = internal::eval(task.sum, ctx);
          if (!ctx.error.empty()) {
            error_ = "task " + task.id + ": " + ctx.error;
            return;
          }
          if (v.kind != Value::Kind::kNumber) continue;
          value = Decimal::from_units(v.i);
        }
        if (task.within) {
          std::int64_t from = window_from(t, *task.within);
          auto& w = ts.window;
          w.erase(
              std::remove_if(w.begin(), w.end(), [&](const auto& p) { return p.first.ms <= from; }),
              w.end());
          w.push_back({t, value});
          for (const auto& p : w) Decimal::add(progress, p.second, progress);
        } else {
          Decimal::add(ts.sum, value, ts.sum);
          progress = ts.sum;
        }
        done = progress >= target;
        break;
      }
      case GoalMode::kStreak: {
        if (ts.streak_day == today.days) continue;  // the same day again changes nothing
        ts.count = (ts.streak_day == today.days - 1) ? ts.count + 1 : 1;
        ts.streak_day = today.days;
        progress = Decimal::from_int(ts.count);
        done = ts.count >= task.count;
        break;
      }
    }
    if (done) progress = target;  // progress past the target is not carried over
    Effect& pe = effect(EffectKind::kTaskProgress, Cause::kTask, ti, t);
    pe.a = ti;
    pe.progress = progress.units();
    pe.b =
        static_cast<int>(std::min<std::int64_t>(target.trunc(), std::numeric_limits<int>::max()));
    pe.exact = target;
    if (!done) continue;
    ts.completions += 1;
    if (task.repeat == RepeatMode::kOnce && ti < 64) m_.done_once |= std::uint64_t{1} << ti;
    ts.last_completion = t.ms;
    ts.completion_period = repeat_period(task.repeat, today);
    ts.count = 0;
    ts.sum = Decimal();
    ts.window.clear();
    Effect& de = effect(EffectKind::kTaskDone, Cause::kTask, ti, t);
    de.a = ti;
    Award who{Cause::kTask, ti, record};
    Ctx body_ctx{plan_, m_, &ev, t, level, {}, &m_};
    run_body(task.body, body_ctx, who, ev);
    if (!body_ctx.error.empty()) {
      error_ = "task " + task.id + ": " + body_ctx.error;
      return;
    }
    raise(kTaskDone, t, {Value::string(task.id)});
  }
}

// ---- campaigns --------------------------------------------------------------------------------

bool Run::campaign_active(const PlanCampaign& c, Instant t, Ctx& ctx) const {
  const Zone& z = plan_.zone;
  LocalDate d = date_of(t);
  if (c.during_from && (d < *c.during_from || d > *c.during_to)) return false;
  switch (c.schedule) {
    case ScheduleMode::kAlways:
      break;
    case ScheduleMode::kMonthDay:
      if (to_civil(d).day != c.month_day) return false;
      break;
    case ScheduleMode::kWeekday:
      if (weekday(d) != c.weekday) return false;
      break;
    case ScheduleMode::kDailyHours: {
      int m = z.minute_of_day(t);
      bool in = c.from_minute <= c.to_minute ? (m >= c.from_minute && m < c.to_minute)
                                             : (m >= c.from_minute || m < c.to_minute);
      if (!in) return false;
      break;
    }
  }
  if (c.budget) {
    std::size_t idx = static_cast<std::size_t>(&c - plan_.campaigns.data());
    if (shared_.campaign_awarded[idx] >= *c.budget) return false;
  }
  return internal::holds(c.for_, ctx);
}

// ---- pseudo-events ----------------------------------------------------------------------------

void Run::raise(int pseudo, Instant t, std::vector<Value> fields) {
  Pseudo p;
  p.op.kind = OpKind::kEvent;
  p.op.event_type = plan_.declared_events + pseudo;
  p.op.time = t;
  p.op.member = m_.id;
  p.op.fields = std::move(fields);
  p.level =
      (pseudo == kLevelUp || pseudo == kLevelDown) ? static_cast<int>(p.op.fields[0].i) : m_.level;
  pseudo_.push_back(std::move(p));
}

void Run::pseudo_events() {
  // Evaluated in the order raised; those they raise are appended and evaluated too. The checker
  // refuses programs whose rules raise each other in a loop; the guard is a second line.
  for (std::size_t i = 0; i < pseudo_.size() && i < 10000; ++i) {
    // Moved out: nothing reads a pseudo-event's operation after it ran, and `pseudo_` may grow
    // (and move its elements) while it runs.
    const Operation ev = std::move(pseudo_[i].op);
    const PlanEvent& pe = plan_.events[static_cast<std::size_t>(ev.event_type)];
    int level = pseudo_[i].level;
    // One rule never sees another's tags from the same (pseudo-)event (§8 What rules see): tags
    // are the only state an expression reads that a rule changes, so they are applied after all
    // the rules of this pseudo-event ran.
    defer_tags_ = true;
    for (int ri : pe.rules) {
      const PlanRule& r = plan_.rules[static_cast<std::size_t>(ri)];
      Ctx ctx{plan_, m_, &ev, ev.time, level, {}, &m_};
      if (!internal::holds(r.when, ctx)) {
        if (!ctx.error.empty()) {
          error_ = "rule " + r.id + ": " + ctx.error;
          return;
        }
        continue;
      }
      run_body(r.body, ctx, Award{Cause::kRule, ri, nullptr}, ev);
      if (!ctx.error.empty()) {
        error_ = "rule " + r.id + ": " + ctx.error;
        return;
      }
    }
    defer_tags_ = false;
    for (const auto& d : deferred_tags_) tag(d.add, d.tag, d.at, d.who.cause, d.who.index);
    deferred_tags_.clear();
    advance_tasks(ev, level, nullptr);
    if (failed()) return;
    if (settle_growth(ev.time)) upgrade(ev.time);
  }
}

// ---- aggregates -------------------------------------------------------------------------------

void Run::record_aggregates(const Operation& ev) {
  const auto& aggs = plan_.events[static_cast<std::size_t>(ev.event_type)].aggregates;
  for (int ai : aggs) {
    const PlanAggregate& ag = plan_.aggregates[static_cast<std::size_t>(ai)];
    AggregateState& as = m_.aggregates[static_cast<std::size_t>(ai)];
    Ctx ctx{plan_, m_, &ev, ev.time, m_.level, {}, &m_};
    if (!internal::holds(ag.where, ctx)) continue;
    Decimal value = Decimal::from_int(1);
    if (ag.kind == AggregateKind::kSum) {
      const Value& f = ev.fields[static_cast<std::size_t>(ag.field)];
      if (f.kind != Value::Kind::kNumber) continue;
      value = Decimal::from_units(f.i);
    }
    as.first = std::min(as.first, ev.time.ms);
    as.last = std::max(as.last, ev.time.ms);
    if (ag.kind == AggregateKind::kLast || ag.kind == AggregateKind::kFirst) continue;
    if (ag.within) {
      std::int64_t from = window_from(ev.time, *ag.within);
      auto& w = as.window;
      w.erase(std::remove_if(w.begin(), w.end(), [&](const auto& p) { return p.first.ms <= from; }),
              w.end());
      w.push_back({ev.time, value});
    } else {
      as.total_count += 1;
      Decimal::add(as.total_sum, value, as.total_sum);
    }
  }
}

// ---- operations -------------------------------------------------------------------------------

void Run::create(const Operation& op) {
  if (m_.exists) return;
  m_.exists = true;
  m_.id = op.member;
  m_.joined = op.time;
  m_.level = 0;
  m_.level_since = op.time;
  m_.review_base = op.time;
  m_.review_due = 0;
  effect(EffectKind::kJoin, Cause::kSystem, -1, op.time);
  raise(kJoin, op.time, {});
}

void Run::advance_to(Instant t) {
  expire(t);
  reviews(t);
  if (plan_.has_pending) release(t);
  // keep the growth window bounded: what can no longer count for a review or an upgrade (checked
  // once it holds a few entries: trimming costs two calendar computations)
  if (plan_.growth_window && growth_count(m_) > 8) {
    if (m_.review_due == 0) m_.review_due = internal::next_review_due(plan_, m_);
    std::int64_t horizon = std::min(t.ms, m_.review_due);
    std::int64_t from = window_from(Instant{horizon}, *plan_.growth_window);
    const std::int64_t first =
        m_.growth_packed_count > 0 ? m_.growth_packed_first : m_.growth_window.front().at.ms;
    if (first <= from) {
      before_change();
      drop_growth_through(m_, from, time_undo_taken_ ? &scratch_.time_undo.trimmed : nullptr);
    }
  }
}

void Run::event(const Operation& op) {
  first_lot_id_ = m_.next_lot_id;
  create(op);           // step 2
  advance_to(op.time);  // step 3
  const PlanEvent& pe = plan_.events[static_cast<std::size_t>(op.event_type)];
  const int level = m_.level;  // `level` is the level before the event

  // A reversible event remembers what it earned (§4.6 reverse).
  AwardRecord* record = nullptr;
  if (pe.reverse_field >= 0) {
    const Value& k = op.fields[static_cast<std::size_t>(pe.reverse_field)];
    AwardRecord r;
    r.event_type = op.event_type;
    r.key = k.kind == Value::Kind::kString   ? award_key(k.s)
            : k.kind == Value::Kind::kNumber ? award_key(Decimal::from_units(k.i).to_string())
                                             : award_key("");
    r.time = op.time;
    m_.awards.push_back(std::move(r));
    record = &m_.awards.back();
    record_pushed_ = true;
  }

  // Step 4: every matching rule, evaluated against the state after step 3 before any is applied.
  std::vector<Intent>& intents = scratch_.intents;
  intents.clear();
  {
    Ctx ctx{plan_, m_, &op, op.time, level, {}, &m_};
    // Walks a body, choosing if/else branches now, collecting statements with their values.
    struct Collector {
      Ctx& ctx;
      std::vector<Intent>& intents;
      int rule;
      void walk(const std::vector<PlanStmt>& body) {
        for (const auto& s : body) {
          if (!ctx.error.empty()) return;
          if (s.op == StmtOp::kIf) {
            bool c = internal::holds(s.value, ctx);
            walk(c ? s.then_body : s.else_body);
            continue;
          }
          Val v;
          if (s.op != StmtOp::kGrant) v = internal::eval(s.value, ctx);
          intents.push_back({&s, rule, v});
        }
      }
    };
    for (int ri : pe.rules) {
      const PlanRule& r = plan_.rules[static_cast<std::size_t>(ri)];
      if (!internal::holds(r.when, ctx)) {
        if (!ctx.error.empty()) {
          error_ = "rule " + r.id + ": " + ctx.error;
          return;
        }
        continue;
      }
      Collector{ctx, intents, ri}.walk(r.body);
      if (!ctx.error.empty()) {
        error_ = "rule " + r.id + ": " + ctx.error;
        return;
      }
    }
  }

  // Step 5: active campaigns and their multipliers, in file order.
  std::vector<Active>& active = scratch_.active;
  active.clear();
  for (int ci : pe.campaigns) {
    const PlanCampaign& c = plan_.campaigns[static_cast<std::size_t>(ci)];
    Ctx ctx{plan_, m_, &op, op.time, level, {}, &m_};
    if (!campaign_active(c, op.time, ctx)) {
      if (!ctx.error.empty()) {
        error_ = "campaign " + c.id + ": " + ctx.error;
        return;
      }
      continue;
    }
    Active a{ci};
    for (const auto& e : c.points_mul) {
      Val v = internal::eval(e, ctx);
      if (v.kind == Value::Kind::kNumber)
        Decimal::mul(a.points_mul, Decimal::from_units(v.i), a.points_mul);
    }
    for (const auto& e : c.growth_mul) {
      Val v = internal::eval(e, ctx);
      if (v.kind == Value::Kind::kNumber)
        Decimal::mul(a.growth_mul, Decimal::from_units(v.i), a.growth_mul);
    }
    if (!ctx.error.empty()) {
      error_ = "campaign " + c.id + ": " + ctx.error;
      return;
    }
    active.push_back(a);
  }

  // The awards start here. Unless the plan says a later step can fail (Plan::may_fail_late, and
  // then the member was copied whole before the event), nothing can refuse the event from here
  // on: the one failure left, a multiplied award out of range, is checked first, before any
  // award is made. Step 3's changes need no log any more.
  for (const auto& in : intents) {
    const StmtOp o = in.stmt->op;
    if ((o != StmtOp::kPointsAdd && o != StmtOp::kGrowthAdd) ||
        in.value.kind != Value::Kind::kNumber || in.value.i <= 0) {
      continue;
    }
    Decimal product = Decimal::from_units(in.value.i);
    for (const auto& a : active) {
      const Decimal& mul = o == StmtOp::kPointsAdd ? a.points_mul : a.growth_mul;
      if (mul == Decimal::from_int(1)) continue;
      if (!Decimal::mul(product, mul, product)) {
        error_ = "campaign award out of range";
        return;
      }
    }
  }
  time_undo_wanted_ = false;

  // Apply the rules' statements in order; a rule's award is split between the rule (its own
  // rounded-down base) and each multiplying campaign (the rest, in file order).
  for (const auto& in : intents) {
    expr_ = &in.stmt->value.text;
    const PlanStmt& s = *in.stmt;
    Award rule_who{Cause::kRule, in.rule, record};
    switch (s.op) {
      case StmtOp::kPointsAdd:
      case StmtOp::kGrowthAdd: {
        if (in.value.kind != Value::Kind::kNumber) break;
        Decimal exact = Decimal::from_units(in.value.i);
        std::int64_t base = exact.trunc();
        if (exact.units() <= 0) break;
        bool points = s.op == StmtOp::kPointsAdd;
        // §5 step 5: the award is exact × every active multiplier, rounded down once; the rule
        // keeps its rounded-down base, each multiplying campaign (file order) floor(exact × the
        // multipliers up to its own) minus what came before. A multiplier below 1 makes that
        // difference negative, and a ledger entry never is: the cut is taken from the entries
        // before it (latest first), so the entries still add up to the total.
        std::vector<Share>& shares = scratch_.shares;
        shares.clear();
        shares.push_back({-1, base, exact});
        std::int64_t so_far = base;
        Decimal product = exact;
        for (const auto& a : active) {
          const Decimal& mul = points ? a.points_mul : a.growth_mul;
          if (mul == Decimal::from_int(1)) continue;
          Decimal next;
          if (!Decimal::mul(product, mul, next)) {
            error_ = "campaign award out of range";
            return;
          }
          product = next;
          std::int64_t upto = std::max<std::int64_t>(0, product.trunc());
          shares.push_back({a.campaign, upto - so_far, product});
          so_far = upto;
        }
        for (std::size_t k = shares.size() - 1; k > 0; --k) {
          if (shares[k].amount < 0) {
            shares[k - 1].amount += shares[k].amount;
            shares[k].amount = 0;
          }
        }
        std::int64_t expires = 0, avail = 0;
        if (points) {
          expires = lot_expiry(s.expire ? *s.expire : plan_.default_expiry, op.time);
          auto pend = s.pending ? s.pending : plan_.pending;
          if (pend) avail = plan_.zone.add(op.time, pend->count, pend->unit).ms;
        }
        for (const Share& sh : shares) {
          if (sh.campaign < 0) {
            if (points)
              credit(sh.amount, rule_who, op.time, expires, avail, sh.exact);
            else
              add_growth(sh.amount, op.time, Cause::kRule, in.rule, sh.exact, record);
            continue;
          }
          if (sh.amount <= 0) continue;
          Award cw{Cause::kCampaign, sh.campaign, record};
          if (points)
            credit(sh.amount, cw, op.time, expires, avail, sh.exact);
          else
            add_growth(sh.amount, op.time, Cause::kCampaign, sh.campaign, sh.exact, record);
        }
        break;
      }
      case StmtOp::kPointsSub:
        if (in.value.kind == Value::Kind::kNumber) {
          take(Decimal::from_units(in.value.i).trunc(), op.time, EffectKind::kDeduct, Cause::kRule,
               in.rule);
        }
        break;
      case StmtOp::kGrowthSub:
        if (in.value.kind == Value::Kind::kNumber) {
          std::int64_t g = Decimal::from_units(in.value.i).trunc();
          if (g > 0)
            add_growth(-g, op.time, Cause::kRule, in.rule, Decimal::from_units(in.value.i),
                       nullptr);
        }
        break;
      case StmtOp::kGrant:
        grant(s, op.time, Cause::kRule, in.rule);
        break;
      case StmtOp::kTagAdd:
      case StmtOp::kTagSub:
        if (in.value.kind == Value::Kind::kString) {
          tag(s.op == StmtOp::kTagAdd, in.value.s, op.time, Cause::kRule, in.rule);
        }
        break;
      case StmtOp::kReverse: {
        std::string key;
        if (in.value.kind == Value::Kind::kString)
          key = std::string(in.value.s);
        else if (in.value.kind == Value::Kind::kNumber)
          key = Decimal::from_units(in.value.i).to_string();
        else
          break;
        reverse(s.target, key, op.time, Cause::kRule, in.rule);
        break;
      }
      default:
        break;
    }
    if (failed()) return;
  }

  expr_ = nullptr;

  // Then campaign bonuses (their own awards; no multipliers apply to them).
  for (const auto& a : active) {
    const PlanCampaign& c = plan_.campaigns[static_cast<std::size_t>(a.campaign)];
    if (c.bonus.empty()) continue;
    Ctx ctx{plan_, m_, &op, op.time, level, {}, &m_};
    run_body(c.bonus, ctx, Award{Cause::kCampaign, a.campaign, record}, op);
    if (!ctx.error.empty()) {
      error_ = "campaign " + c.id + ": " + ctx.error;
      return;
    }
  }

  advance_tasks(op, level, record);  // step 6
  if (failed()) return;
  if (settle_growth(op.time)) upgrade(op.time);  // step 7
  pseudo_events();                               // step 8
  if (failed()) return;
  record_aggregates(op);  // history is read before the current event
  if (record != nullptr && record->lots.empty() && record->growth == 0) m_.awards.pop_back();
}

void Run::redeem(const Operation& op) {
  open_rare(m_);  // the reward's counters (and its `for` may read member.X)
  auto refuse = [&](const char* code, std::string message) {
    out_.rejection = Rejection{code, std::move(message)};
  };
  if (op.reward < 0 || static_cast<std::size_t>(op.reward) >= plan_.rewards.size()) {
    return refuse("unknown_reward", "unknown reward");
  }
  const PlanReward& r = plan_.rewards[static_cast<std::size_t>(op.reward)];
  if (!m_.exists) return refuse("unknown_member", "member " + op.member + " does not exist");
  if (op.quantity < 1) return refuse("invalid_quantity", "quantity must be at least 1");
  first_lot_id_ = m_.next_lot_id;
  advance_to(op.time);
  Ctx ctx{plan_, m_, &op, op.time, m_.level, {}, &m_};
  if (!internal::holds(r.for_, ctx)) {
    return refuse("not_eligible", "member " + op.member + " is not eligible for reward " + r.id);
  }
  auto& stock_used = shared_.reward_redeemed[static_cast<std::size_t>(op.reward)];
  if (r.stock && stock_used + op.quantity > *r.stock) {
    return refuse("out_of_stock", "reward " + r.id + " is out of stock (" +
                                      std::to_string(*r.stock - stock_used) + " left)");
  }
  RewardState& rs = m_.rewards[static_cast<std::size_t>(op.reward)];
  std::int32_t key = 0;
  if (r.limit) {
    key = period_key(r.limit->period, date_of(op.time));
    std::int64_t used = rs.period == key ? rs.units : 0;
    if (used + op.quantity > r.limit->amount) {
      return refuse("limit_reached", "reward " + r.id + ": limit of " +
                                         std::to_string(r.limit->amount) + " reached");
    }
  }
  std::int64_t cost = r.cost * op.quantity;
  std::int64_t have = available_points(m_, op.time);
  if (have < cost) {
    return refuse("insufficient_points", "reward " + r.id + " costs " + std::to_string(cost) +
                                             " points; member " + op.member + " has " +
                                             std::to_string(have));
  }
  before_change();  // from here on only an evaluation error refuses
  take(cost, op.time, EffectKind::kSpend, Cause::kReward, op.reward);
  stock_used += op.quantity;
  if (r.limit) {
    if (rs.period != key) rs.units = 0;
    rs.period = key;
    rs.units += op.quantity;
  }
  Effect& e = effect(EffectKind::kRedeem, Cause::kReward, op.reward, op.time);
  e.a = op.reward;
  e.amount = op.quantity;
  Operation ev;
  ev.event_type = plan_.declared_events + kRewardRedeemed;
  ev.time = op.time;
  ev.member = op.member;
  ev.fields = {Value::string(r.id), Value::number(Decimal::from_int(op.quantity))};
  for (std::int64_t u = 0; u < op.quantity; ++u) {
    Ctx body{plan_, m_, &ev, op.time, m_.level, {}, &m_};
    run_body(r.body, body, Award{Cause::kReward, op.reward, nullptr}, ev);
    if (!body.error.empty()) {
      error_ = "reward " + r.id + ": " + body.error;
      return;
    }
  }
  raise(kRewardRedeemed, op.time, ev.fields);
  if (settle_growth(op.time)) upgrade(op.time);
  pseudo_events();
}

void Run::use(const Operation& op) {
  open_rare(m_);  // the privilege's quota and grants
  auto refuse = [&](const char* code, std::string message) {
    out_.rejection = Rejection{code, std::move(message)};
  };
  if (op.privilege < 0 || static_cast<std::size_t>(op.privilege) >= plan_.privileges.size()) {
    return refuse("unknown_privilege", "unknown privilege");
  }
  if (!m_.exists) return refuse("unknown_member", "member " + op.member + " does not exist");
  first_lot_id_ = m_.next_lot_id;
  advance_to(op.time);
  const PlanPrivilege& p = plan_.privileges[static_cast<std::size_t>(op.privilege)];
  PrivilegeState& ps = m_.privileges[static_cast<std::size_t>(op.privilege)];
  Ctx ctx{plan_, m_, &op, op.time, m_.level, {}, &m_};
  bool eligible = !p.for_.empty() ? internal::holds(p.for_, ctx) : p.quota.has_value();
  // The only change before a refusal below is starting a new quota period; a refusal undoes it
  // (when step 3 changed anything, the backup restores everything anyway).
  const std::int32_t prior_period = ps.period;
  const std::int64_t prior_used = ps.used;
  Effect* e = nullptr;
  if (eligible && !p.quota) {
    e = &effect(EffectKind::kUse, Cause::kNone, -1, op.time);  // unlimited while `for` holds
  } else if (eligible) {
    std::int32_t key = period_key(p.quota->period, date_of(op.time));
    if (ps.period != key) {
      ps.period = key;
      ps.used = 0;
    }
    if (ps.used < p.quota->amount) {
      ps.used += 1;
      e = &effect(EffectKind::kUse, Cause::kNone, -1, op.time);
    }
  }
  if (e == nullptr) {
    for (auto it = ps.grants.begin(); it != ps.grants.end(); ++it) {
      if (it->until > op.time.ms && it->remaining > 0) {
        it->remaining -= 1;
        e = &effect(EffectKind::kUse, Cause::kNone, -1, op.time);
        e->b = 1;  // from a grant
        if (it->remaining == 0) ps.grants.erase(it);
        break;
      }
    }
  }
  if (e == nullptr) {
    ps.period = prior_period;
    ps.used = prior_used;
    // Only a `for` that does not hold makes a member ineligible; a privilege without `for` and
    // `quota` lives on granted uses, and having used them all is "none left" (§4.9).
    if (!eligible && !p.for_.empty()) {
      return refuse("not_eligible", "member " + op.member + " does not have privilege " + p.id);
    }
    return refuse("no_uses_left",
                  "privilege " + p.id + ": no uses left this period for member " + op.member);
  }
  e->a = op.privilege;
  e->amount = 1;
}

void Run::set(const Operation& op) {
  open_rare(m_);  // the attributes and tags
  first_lot_id_ = m_.next_lot_id;
  create(op);
  advance_to(op.time);
  const int tags_slot = plan_.attribute_index("tags");
  for (const auto& [slot, value] : op.attributes) {
    // A declared `tags: set<string>` is the member's tag set (§4.6 tag +=, §4.11 member.tags),
    // so setting it replaces the tags (sorted and unique by the codec) rather than a copy.
    if (slot == tags_slot && value.kind == Value::Kind::kSet) {
      m_.tags = value.set;
      continue;
    }
    m_.attributes[static_cast<std::size_t>(slot)] = value;
  }
  effect(EffectKind::kSet, Cause::kNone, -1, op.time);
  if (settle_growth(op.time)) upgrade(op.time);
  pseudo_events();
}

// The cached next expiry after an operation: the first lot's. While lots are encoded, the first of
// them changed in this operation only by expiring (every other change to the front decodes them
// all first), and Run::expire then remembered the new first; so next_expiry already holds it, or
// 0 (not known) for a state that came without it.
void remember_next_expiry(MemberState& m) {
  if (m.lots_packed_count == 0) m.next_expiry = m.lots.empty() ? kNever : m.lots.front().expires;
}

// Asks the memory system for the parts of the member's state the operation is about to read, all
// at once. They live in separate heap blocks, so a member that is not in cache otherwise costs one
// memory latency after another (expiry, the growth window, each task, the aggregates...), more
// than the evaluation itself. A hint only: nothing it does can change a result.
void prefetch(const Plan& plan, const MemberState& m, const Operation& op) {
  const char* base = reinterpret_cast<const char*>(&m);
  for (std::size_t off = 0; off < sizeof(MemberState); off += 64) __builtin_prefetch(base + off);
  if (!m.lots.empty()) __builtin_prefetch(m.lots.data());
  if (!m.growth_window.empty()) {
    __builtin_prefetch(m.growth_window.data());
    __builtin_prefetch(m.growth_window.data() + (m.growth_window.size() - 1));
  }
  // the operation's fields (rules read them; a reversible event hashes one at once)
  const char* fields = reinterpret_cast<const char*>(op.fields.data());
  const std::size_t field_bytes = op.fields.size() * sizeof(Value);
  for (std::size_t off = 0; off < field_bytes; off += 64) __builtin_prefetch(fields + off);
  if (op.kind != OpKind::kEvent || op.event_type < 0 || op.event_type >= plan.declared_events) {
    return;
  }
  const PlanEvent& pe = plan.events[static_cast<std::size_t>(op.event_type)];
  for (int ti : pe.tasks) {
    if (static_cast<std::size_t>(ti) < m.tasks.size()) __builtin_prefetch(m.tasks.data() + ti);
  }
  for (int ai : pe.aggregates) {
    if (static_cast<std::size_t>(ai) < m.aggregates.size()) {
      __builtin_prefetch(m.aggregates.data() + ai);
    }
  }
  if (pe.reverse_field >= 0 && m.awards.size() < m.awards.capacity()) {
    __builtin_prefetch(m.awards.data() + m.awards.size(), 1);
  }
}

}  // namespace

MemberState new_member(const Plan& plan, std::string id) {
  MemberState m;
  m.id = std::move(id);
  m.tasks.resize(plan.tasks.size());
  m.privileges.resize(plan.privileges.size());
  m.rewards.resize(plan.rewards.size());
  m.aggregates.resize(plan.aggregates.size());
  m.attributes.resize(plan.attributes.size());
  return m;
}

SharedState new_shared(const Plan& plan) {
  SharedState s;
  s.campaign_awarded.assign(plan.campaigns.size(), 0);
  s.reward_redeemed.assign(plan.rewards.size(), 0);
  return s;
}

void apply(const Plan& plan, MemberState& member, SharedState& shared, const Operation& op,
           ApplyResult& out) {
  prefetch(plan, member, op);
  out.clear();
  Scratch& sc = scratch();
  // A refused operation leaves both states as they were. An event or `set` is copied whole before
  // it starts when something can refuse it after a change was made (a division in some expression,
  // Plan::may_fail_late), and so is a member's first operation (its state is nearly empty, so the
  // copy is cheap): a refused first event must not leave the member created (§3, §8 Members).
  // Any other event can be refused only before its awards (an expression of its rules or campaigns
  // out of range), and logs only what step 3 changed, if anything, to undo it (Run::TimeUndo):
  // copying every member whole measured 20-30% slower, the log costs nothing measurable. Redeem
  // and use, whose checks run after step 3, back up only just before their first change.
  const bool backup_first = (op.kind == OpKind::kEvent || op.kind == OpKind::kSet) &&
                            (plan.may_fail || plan.may_fail_late || !member.exists);
  const bool backup_lazily = op.kind == OpKind::kRedeem || op.kind == OpKind::kUse;
  const std::int64_t review_due = member.review_due;
  const std::int64_t next_expiry = member.next_expiry;
  const std::int64_t next_release = member.next_release;
  if (backup_first) {
    sc.member_backup = member;
    sc.shared_backup = shared;
  }
  Run run(plan, member, shared, out, sc);
  if (backup_lazily) run.back_up_before_changes();
  if (op.kind == OpKind::kEvent && !backup_first) run.back_up_time_changes();
  switch (op.kind) {
    case OpKind::kEvent:
      if (op.event_type < 0 || op.event_type >= plan.declared_events) {
        out.rejection = Rejection{"unknown_event_type", "unknown event type"};
      } else {
        run.event(op);
      }
      break;
    case OpKind::kRedeem:
      run.redeem(op);
      break;
    case OpKind::kUse:
      run.use(op);
      break;
    case OpKind::kSet:
      run.set(op);
      break;
  }
  if (run.failed() && !out.rejection) {
    out.rejection = Rejection{"evaluation_error", run.error()};
  }
  if (out.rejection) {
    out.effects.clear();
    if (backup_first || run.backed_up()) {
      std::swap(member, sc.member_backup);
      std::swap(shared, sc.shared_backup);
    } else {
      run.undo_before_awards();
    }
    // Step 3 may have computed the cached review due, expiry and release times before the
    // backup was taken. A refused operation leaves the member byte for byte as it was, caches
    // included.
    if (!backup_first) {
      member.review_due = review_due;
      member.next_expiry = next_expiry;
      member.next_release = next_release;
    }
    return;
  }
  remember_next_expiry(member);
}

void advance(const Plan& plan, MemberState& member, Instant t, ApplyResult& out) {
  out.clear();
  if (!member.exists) return;
  SharedState unused;
  unused.campaign_awarded.assign(plan.campaigns.size(), 0);
  unused.reward_redeemed.assign(plan.rewards.size(), 0);
  Scratch& sc = scratch();
  Run run(plan, member, unused, out, sc);
  run.advance_to(t);
  // What time did stands: it is not an operation, nothing can refuse it. The pseudo-events it
  // raised (a review's level_down) run their rules as they would before an event; if one fails,
  // they are refused as an event would be: the member as step 3 left it, out.rejection says why.
  const std::size_t kept = out.effects.size();
  const bool raised = !sc.pseudo.empty();
  if (raised) sc.member_backup = member;
  run.pseudo_events();
  if (run.failed()) {
    if (raised) std::swap(member, sc.member_backup);
    out.effects.resize(kept);
    out.rejection = Rejection{"evaluation_error", run.error()};
  }
  remember_next_expiry(member);
}

}  // namespace merit::engine
