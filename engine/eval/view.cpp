// The outside view of a member at a time: balances, expiring lots by last spendable day, growth,
// level and what the next one needs, task progress bars, privileges left.
#include <algorithm>
#include <vector>

#include "engine/eval/evaluator.hpp"
#include "engine/eval/internal.hpp"
#include "engine/model/lot_records.hpp"

namespace merit::engine {

namespace {

std::string duration_text(const CalDuration& d) {
  const char* unit = "days";
  switch (d.unit) {
    case CalendarUnit::kHour:
      unit = d.count == 1 ? "hour" : "hours";
      break;
    case CalendarUnit::kDay:
      unit = d.count == 1 ? "day" : "days";
      break;
    case CalendarUnit::kWeek:
      unit = d.count == 1 ? "week" : "weeks";
      break;
    case CalendarUnit::kMonth:
      unit = d.count == 1 ? "month" : "months";
      break;
    case CalendarUnit::kYear:
      unit = d.count == 1 ? "year" : "years";
      break;
  }
  return std::to_string(d.count) + " " + unit;
}

}  // namespace

MemberView view(const Plan& plan, const MemberState& m, Instant as_of) {
  MemberView v;
  view_into(plan, m, as_of, v);
  return v;
}

void view_into(const Plan& plan, const MemberState& whole, Instant as_of, MemberView& v) {
  using namespace internal;
  MemberState scratch;  // a member the table is working on: what it left closed, opened aside
  const MemberState& m = opened(whole, scratch);
  // Every field is assigned (strings and vectors keep their buffers from the last member).
  v.member.assign(m.id);
  const PlanLevel& lv = plan.levels[static_cast<std::size_t>(m.level)];
  v.level.assign(lv.id);
  v.level_name.assign(lv.name);
  v.level_since = m.level_since;
  v.joined = m.joined;
  v.available = available_points(m, as_of);
  v.pending = pending_points(m, as_of);
  // Points by the last day they can be spent (the day before the midnight they are gone), days
  // whose points add up to nothing left out. Lots are kept in order of expiry, so the days come in
  // order and one day's lots are neighbours.
  v.expiring.clear();
  for_each_lot(m, [&](const Lot& l) {
    if (l.available_at > as_of.ms || l.expires <= as_of.ms || l.expires == kNever) return;
    LocalDate last = plan.zone.date_of(Instant{l.expires - 1});
    if (!v.expiring.empty() && v.expiring.back().first.days == last.days)
      v.expiring.back().second += l.amount;
    else
      v.expiring.push_back({last, l.amount});
  });
  std::erase_if(v.expiring, [](const auto& day) { return day.second <= 0; });
  v.growth_lifetime = m.growth_lifetime;
  v.growth_qualifying = qualifying_growth(plan, m, as_of);
  v.next_level.reset();
  v.growth_to_next = 0;
  if (static_cast<std::size_t>(m.level + 1) < plan.levels.size()) {
    const PlanLevel& next = plan.levels[static_cast<std::size_t>(m.level + 1)];
    v.next_level = next.id;
    v.growth_to_next = std::max<std::int64_t>(0, next.from - v.growth_qualifying);
  }
  v.next_review.reset();
  v.growth_to_keep = 0;
  std::int64_t due = next_review_due(plan, m);
  if (due != kNever) {
    v.next_review = Instant{due};
    // growth earned now still counts at the review if the window reaches back to now
    v.growth_to_keep =
        std::max<std::int64_t>(0, lv.keep - qualifying_growth(plan, m, Instant{due}));
  }

  Operation none;
  Ctx ctx{plan, m, &none, as_of, m.level, {}, nullptr};
  LocalDate today = plan.zone.date_of(as_of);
  v.tasks.resize(plan.tasks.size());
  for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
    const PlanTask& t = plan.tasks[i];
    const TaskState& ts = m.tasks[i];
    TaskView& tv = v.tasks[i];
    tv.id.assign(t.id);
    tv.completions = ts.completions;
    tv.target = t.goal == GoalMode::kSum ? t.reaches : Decimal::from_int(t.count);
    if (t.within)
      tv.window = duration_text(*t.within);
    else
      tv.window.reset();
    tv.progress = Decimal();
    if (t.repeat == RepeatMode::kOnce && ts.completions > 0) {
      tv.progress = tv.target;
    } else {
      switch (t.goal) {
        case GoalMode::kNone:
          break;
        case GoalMode::kCount:
        case GoalMode::kSum:
          if (t.within) {
            std::int64_t from = window_start(plan, as_of, *t.within);
            for (const auto& [at, value] : ts.window) {
              if (at.ms > from && at.ms <= as_of.ms) Decimal::add(tv.progress, value, tv.progress);
            }
          } else {
            tv.progress = ts.sum;
          }
          break;
        case GoalMode::kStreak:
          // a streak whose last day is before yesterday is broken
          tv.progress = ts.streak_day >= today.days - 1 ? Decimal::from_int(ts.count) : Decimal();
          break;
      }
    }
  }
  v.privileges.resize(plan.privileges.size());
  for (std::size_t i = 0; i < plan.privileges.size(); ++i) {
    const PlanPrivilege& p = plan.privileges[i];
    const PrivilegeState& ps = m.privileges[i];
    PrivilegeView& pv = v.privileges[i];
    pv.id.assign(p.id);
    bool eligible = !p.for_.empty() ? holds(p.for_, ctx) : p.quota.has_value();
    std::int64_t granted = 0;
    for (const auto& g : ps.grants) {
      if (g.until > as_of.ms) granted += g.remaining;
    }
    if (eligible && !p.quota) {
      pv.remaining = std::nullopt;
    } else {
      std::int64_t left = 0;
      if (eligible) {
        std::int32_t key = period_key(p.quota->period, today);
        left = p.quota->amount - (ps.period == key ? ps.used : 0);
      }
      pv.remaining = std::max<std::int64_t>(0, left) + granted;
    }
  }
  v.tags = m.tags;
  std::size_t set = 0;
  for (std::size_t i = 0; i < plan.attributes.size(); ++i) {
    if (m.attributes[i].kind == Value::Kind::kNone) continue;
    if (set == v.attributes.size()) v.attributes.emplace_back();
    v.attributes[set].first.assign(plan.attributes[i].name);
    v.attributes[set].second = m.attributes[i];
    ++set;
  }
  v.attributes.resize(set);
}

}  // namespace merit::engine
