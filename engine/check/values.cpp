// Values written in clauses: the program's timezone and currency, durations, dates and `during`
// ranges, campaign schedules, caps, quotas, limits, costs, budgets and task goals.
#include <fmt/format.h>

#include "common/time.hpp"
#include "engine/check/internal.hpp"

namespace merit::engine::check_internal {
namespace {

const char* unit_name(ast::Unit u) {
  switch (u) {
    case ast::Unit::kHour:
      return "hour";
    case ast::Unit::kDay:
      return "day";
    case ast::Unit::kWeek:
      return "week";
    case ast::Unit::kMonth:
      return "month";
    case ast::Unit::kYear:
      return "year";
  }
  return "?";
}

// `5000 per day`: a positive amount; `per member` only where `allow_member` (reward limits).
void check_per_period(Checker& c, const ast::PerPeriod& p, std::string_view what,
                      bool allow_member) {
  if (p.amount <= 0) {
    c.error(p.loc, "value", fmt::format("{} must be at least 1, not {}", what, p.amount));
  }
  if (p.period == ast::Period::kMember && !allow_member) {
    c.error(
        p.loc, "value",
        fmt::format("{} is per day, week, month or year; `per member` is for reward limits", what));
  }
}

// "HH:MM" with HH 00..23 and MM 00..59; the minute of the day, or empty.
std::optional<int> parse_hhmm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

void check_recurrence(Checker& c, const ast::Recurrence& r) {
  switch (r.kind) {
    case ast::RecurKind::kMonthDay:
      if (r.day < 1 || r.day > 31) {
        c.error(
            r.loc, "value",
            fmt::format("`every month on day {}`: the day of the month must be 1 to 31", r.day));
      }
      break;
    case ast::RecurKind::kWeekday:
      break;
    case ast::RecurKind::kDailyHours: {
      auto from = parse_hhmm(r.from);
      auto to = parse_hhmm(r.to);
      if (!from) {
        c.error(
            r.loc, "value",
            fmt::format("`{}` is not a time of day; expected HH:MM from 00:00 to 23:59", r.from));
      }
      if (!to) {
        c.error(r.loc, "value",
                fmt::format("`{}` is not a time of day; expected HH:MM from 00:00 to 23:59", r.to));
      }
      if (from && to && *from == *to) {
        c.error(r.loc, "value",
                fmt::format("`every day from {} to {}` is an empty window: the start is included "
                            "and the end excluded",
                            r.from, r.to));
      }
      break;
    }
  }
}

void check_goal(Checker& c, const ast::TaskDecl& t) {
  const ast::Goal& g = t.goal;
  switch (g.kind) {
    case ast::GoalKind::kNone:
      break;
    case ast::GoalKind::kCount:
    case ast::GoalKind::kStreak:
      if (g.count <= 0) {
        c.error(
            g.loc, "value",
            fmt::format("task `{}`: the goal must count at least 1, not {}", t.id.name, g.count));
      }
      break;
    case ast::GoalKind::kSum: {
      auto target = g.reaches.kind == ast::ExprKind::kNumber
                        ? Decimal::parse(g.reaches.text, g.reaches.percent)
                        : std::nullopt;
      if (!target || *target <= Decimal()) {
        c.error(g.reaches.loc, "value",
                fmt::format("task `{}`: `reaches` needs a number above 0", t.id.name));
      }
      break;
    }
  }
  if (g.within) check_duration(c, *g.within, "a goal's window", false);
}

// The largest count of `unit` that is at most 1000 years.
std::int64_t max_count(ast::Unit unit) {
  switch (unit) {
    case ast::Unit::kHour:
      return 1000 * 366 * 24;
    case ast::Unit::kDay:
      return 1000 * 366;
    case ast::Unit::kWeek:
      return 1000 * 366 / 7;
    case ast::Unit::kMonth:
      return 1000 * 12;
    default:
      return 1000;
  }
}

}  // namespace

void check_duration(Checker& c, const ast::Duration& d, std::string_view what, bool calendar_only) {
  if (d.count <= 0) {
    c.error(d.loc, "value",
            fmt::format("{} must be at least 1 {}, not {}", what, unit_name(d.unit), d.count));
  }
  // At most 1000 years, so that every instant plus any duration a program can write stays far
  // inside 64-bit milliseconds (events are dated 0000-9999).
  std::int64_t limit = max_count(d.unit);
  if (d.count > limit) {
    std::string in_unit =
        d.unit == ast::Unit::kYear ? "" : fmt::format(" ({} {}s)", limit, unit_name(d.unit));
    c.error(d.loc, "value",
            fmt::format("{} must be at most 1000 years{}, not {} {}s", what, in_unit, d.count,
                        unit_name(d.unit)));
  }
  if (calendar_only && d.unit == ast::Unit::kHour) {
    c.error(d.loc, "value",
            fmt::format("{} is counted in days, weeks, months or years, not hours", what));
  }
}

void check_expiry(Checker& c, const ast::Expiry& e) {
  if (e.kind == ast::ExpiryKind::kAfter) check_duration(c, e.after, "`expire after`", true);
  if ((e.kind == ast::ExpiryKind::kEndOfMonth || e.kind == ast::ExpiryKind::kEndOfYear) &&
      e.plus < 0) {
    c.error(e.loc, "value", fmt::format("`expire at end of ... + K` needs K >= 0, not {}", e.plus));
  }
}

void check_date_range(Checker& c, const ast::DateRange& r) {
  auto from = parse_date(r.from);
  auto to = parse_date(r.to);
  if (!from) c.error(r.loc, "value", fmt::format("`{}` is not a real date (YYYY-MM-DD)", r.from));
  if (!to) c.error(r.loc, "value", fmt::format("`{}` is not a real date (YYYY-MM-DD)", r.to));
  if (from && to && *from > *to) {
    c.error(r.loc, "value", fmt::format("`during {} .. {}` ends before it starts", r.from, r.to));
  }
}

void check_values(Checker& c) {
  const ast::Program& p = c.program;
  if (p.program.timezone) {
    if (!Zone::find(*p.program.timezone)) {
      c.error(p.program.loc, "timezone",
              fmt::format("unknown time zone \"{}\"; expected an IANA name such as "
                          "\"Asia/Shanghai\" or \"UTC\"",
                          *p.program.timezone));
    }
  }
  if (p.program.currency) {
    const std::string& cur = *p.program.currency;
    bool ok = cur.size() == 3;
    for (char ch : cur) ok = ok && ch >= 'A' && ch <= 'Z';
    if (!ok) {
      c.error(
          p.program.loc, "currency",
          fmt::format("currency \"{}\" is not an ISO 4217 code such as \"CNY\" or \"USD\"", cur));
    }
  }
  if (p.points) {
    if (p.points->expire) check_expiry(c, *p.points->expire);
    if (p.points->cap) check_per_period(c, *p.points->cap, "a points cap", false);
    if (p.points->pending) check_duration(c, *p.points->pending, "`pending`", false);
  }
  if (p.growth && p.growth->window) check_duration(c, *p.growth->window, "a growth window", false);
  for (const ast::PackageDecl& k : p.packages) {
    if (k.available_after_join) {
      check_duration(c, *k.available_after_join, "`available ... after join`", true);
    }
    if (k.during) check_date_range(c, *k.during);
  }
  for (const ast::TaskDecl& t : p.tasks) check_goal(c, t);
  for (const ast::CampaignDecl& k : p.campaigns) {
    if (k.every) check_recurrence(c, *k.every);
    if (k.during) check_date_range(c, *k.during);
    if (k.budget && *k.budget <= 0) {
      c.error(k.budget_loc, "value",
              fmt::format("campaign `{}`: the budget must be at least 1 point", k.id.name));
    }
  }
  for (const ast::PrivilegeDecl& v : p.privileges) {
    if (v.quota) check_per_period(c, *v.quota, "a privilege quota", false);
  }
  for (const ast::RewardDecl& r : p.rewards) {
    if (r.cost <= 0) {
      c.error(r.cost_loc, "value",
              fmt::format("reward `{}`: the cost must be at least 1 point", r.id.name));
    }
    if (r.stock && *r.stock < 0) {
      c.error(r.loc, "value", fmt::format("reward `{}`: the stock cannot be negative", r.id.name));
    }
    if (r.limit) check_per_period(c, *r.limit, "a reward limit", true);
  }
  for (const ast::CardDecl& k : p.cards) check_duration(c, k.lasts, "`lasts`", false);
}

}  // namespace merit::engine::check_internal
