// The warnings of LANGUAGE.md §7 (severity kWarning; `merit check` exits 0 unless --strict): levels
// nobody can reach, rules that can never fire, tasks whose package is never available, campaigns
// that stack past ×4, unused segments and privileges. Also the constant folding they rely on.
#include <algorithm>

#include <fmt/format.h>

#include "common/time.hpp"
#include "engine/check/internal.hpp"

namespace merit::engine::check_internal {
namespace {

bool compare(const std::string& op, int order) {
  if (op == "==") return order == 0;
  if (op == "!=") return order != 0;
  if (op == "<") return order < 0;
  if (op == "<=") return order <= 0;
  if (op == ">") return order > 0;
  return order >= 0;  // ">="
}

template <class T>
int order_of(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

Constant bool_constant(bool b) {
  Constant k;
  k.kind = Constant::Kind::kBool;
  k.b = b;
  return k;
}

std::optional<Constant> fold_comparison(const Checker& c, const ast::Expr& e) {
  const std::string& op = e.text;
  const ast::Expr& lhs = e.args[0];
  const ast::Expr& rhs = e.args[1];
  auto a = fold_constant(c, lhs);
  auto b = fold_constant(c, rhs);
  // `level < V1` (the lowest) or `level > V4` (the top): the same answer for every level.
  bool lhs_level =
      lhs.kind == ast::ExprKind::kPath && lhs.path == std::vector<std::string>{"level"};
  bool rhs_level =
      rhs.kind == ast::ExprKind::kPath && rhs.path == std::vector<std::string>{"level"};
  if ((lhs_level && b && b->kind == Constant::Kind::kLevel) ||
      (rhs_level && a && a->kind == Constant::Kind::kLevel)) {
    std::size_t fixed = lhs_level ? b->level : a->level;
    std::optional<bool> same;
    for (std::size_t v = 0; v < c.levels.size(); ++v) {
      bool r = lhs_level ? compare(op, order_of(v, fixed)) : compare(op, order_of(fixed, v));
      if (same && *same != r) return std::nullopt;
      same = r;
    }
    if (same) return bool_constant(*same);
    return std::nullopt;
  }
  if (a && a->kind == Constant::Kind::kNone) return bool_constant(false);
  if (b && b->kind == Constant::Kind::kNone) return bool_constant(false);
  if (!a || !b || a->kind != b->kind) return std::nullopt;
  switch (a->kind) {
    case Constant::Kind::kNumber:
      return bool_constant(compare(op, order_of(a->n, b->n)));
    case Constant::Kind::kString:
      return bool_constant(compare(op, order_of(a->s, b->s)));
    case Constant::Kind::kBool:
      return bool_constant(compare(op, order_of(a->b, b->b)));
    case Constant::Kind::kLevel:
      return bool_constant(compare(op, order_of(a->level, b->level)));
    case Constant::Kind::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Constant> fold_constant(const Checker& c, const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kNumber: {
      auto n = Decimal::parse(e.text, e.percent);
      if (!n) return std::nullopt;
      Constant k;
      k.kind = Constant::Kind::kNumber;
      k.n = *n;
      return k;
    }
    case ast::ExprKind::kString: {
      Constant k;
      k.kind = Constant::Kind::kString;
      k.s = e.text;
      return k;
    }
    case ast::ExprKind::kBool:
      return bool_constant(e.text == "true");
    case ast::ExprKind::kNone:
      return Constant{};
    case ast::ExprKind::kPath: {
      if (e.path.size() != 1) return std::nullopt;
      auto it = c.level_index.find(e.path[0]);
      if (it == c.level_index.end()) return std::nullopt;
      Constant k;
      k.kind = Constant::Kind::kLevel;
      k.level = it->second;
      return k;
    }
    case ast::ExprKind::kUnary: {
      if (e.args.size() != 1) return std::nullopt;
      auto a = fold_constant(c, e.args[0]);
      if (!a) return std::nullopt;
      if (e.text == "not" && a->kind == Constant::Kind::kBool) return bool_constant(!a->b);
      if (e.text == "-" && a->kind == Constant::Kind::kNumber) {
        Constant k = *a;
        if (!Decimal::sub(Decimal(), a->n, k.n)) return std::nullopt;
        return k;
      }
      return std::nullopt;
    }
    case ast::ExprKind::kBinary: {
      if (e.args.size() != 2) return std::nullopt;
      const std::string& op = e.text;
      if (op == "and" || op == "or") {
        auto a = fold_constant(c, e.args[0]);
        auto b = fold_constant(c, e.args[1]);
        bool is_and = op == "and";
        // false and X, true or X: decided by one side.
        for (const auto& side : {a, b}) {
          if (side && side->kind == Constant::Kind::kBool && side->b != is_and) {
            return bool_constant(!is_and);
          }
        }
        if (a && b && a->kind == Constant::Kind::kBool && b->kind == Constant::Kind::kBool) {
          return bool_constant(is_and);
        }
        return std::nullopt;
      }
      if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
        return fold_comparison(c, e);
      }
      if (op == "+" || op == "-" || op == "*" || op == "/") {
        auto a = fold_constant(c, e.args[0]);
        auto b = fold_constant(c, e.args[1]);
        if (!a || !b || a->kind != Constant::Kind::kNumber || b->kind != Constant::Kind::kNumber) {
          return std::nullopt;
        }
        Constant k = *a;
        bool ok = op == "+"   ? Decimal::add(a->n, b->n, k.n)
                  : op == "-" ? Decimal::sub(a->n, b->n, k.n)
                  : op == "*" ? Decimal::mul(a->n, b->n, k.n)
                              : Decimal::div(a->n, b->n, k.n);
        if (!ok) return std::nullopt;
        return k;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

bool is_constant_false(const Checker& c, const std::optional<ast::Expr>& e) {
  if (!e) return false;
  auto k = fold_constant(c, *e);
  return k && k->kind == Constant::Kind::kBool && !k->b;
}

namespace {

bool awards_growth(const std::vector<ast::Stmt>& body) {
  bool found = false;
  for_each_stmt(body,
                [&](const ast::Stmt& s) { found = found || s.kind == ast::StmtKind::kGrowthAdd; });
  return found;
}

// Without any `growth +=` that can run, qualifying growth stays 0 and only the lowest level is
// ever held.
void check_unreachable_levels(Checker& c) {
  if (!c.program.levels || c.program.levels->levels.size() < 2) return;
  const ast::Program& p = c.program;
  bool any = false;
  for (const ast::RuleDecl& r : p.rules)
    any = any || (!is_constant_false(c, r.when) && awards_growth(r.body));
  for (const ast::TaskDecl& t : p.tasks)
    any = any || (!is_constant_false(c, t.when) && awards_growth(t.body));
  for (const ast::CampaignDecl& k : p.campaigns)
    any = any || (!is_constant_false(c, k.for_) && awards_growth(k.body));
  for (const ast::RewardDecl& r : p.rewards) any = any || awards_growth(r.body);
  for (const ast::CardDecl& k : p.cards) any = any || awards_growth(k.body);
  if (any) return;
  const auto& levels = p.levels->levels;
  for (std::size_t i = 1; i < levels.size(); ++i) {
    c.warning(levels[i].id.loc, "unreachable-level",
              fmt::format("level `{}` can never be reached: nothing in the program awards growth "
                          "(`growth +=`), so every member stays at `{}`",
                          levels[i].id.name, levels.front().id.name));
  }
}

// Why an event type is never raised, or empty when it may be.
std::string never_raised(const Checker& c, std::string_view event) {
  std::size_t levels = c.program.levels ? c.program.levels->levels.size() : 0;
  if (event == "level_up" && levels < 2) {
    return "there is no level above the lowest, so `level_up` is never raised";
  }
  if (event == "level_down") {
    if (levels < 2) return "there is no level above the lowest, so `level_down` is never raised";
    if (!c.program.levels->review) {
      return "`level_down` is raised only by reviews, and `levels` has no `review`";
    }
  }
  if (event == "task_done" && c.program.tasks.empty()) {
    return "no task is declared, so `task_done` is never raised";
  }
  if (event == "reward_redeemed" && c.program.rewards.empty()) {
    return "no reward is declared, so `reward_redeemed` is never raised";
  }
  return "";
}

void check_never_fires(Checker& c) {
  for (const ast::RuleDecl& r : c.program.rules) {
    if (is_constant_false(c, r.when)) {
      c.warning(r.when->loc, "never-fires",
                fmt::format("rule `{}` can never fire: its `when` is always false", r.id.name));
    } else if (std::string why = never_raised(c, r.on.name); !why.empty()) {
      c.warning(r.on.loc, "never-fires",
                fmt::format("rule `{}` can never fire: {}", r.id.name, why));
    }
  }
  for (const ast::TaskDecl& t : c.program.tasks) {
    if (is_constant_false(c, t.when)) {
      c.warning(t.when->loc, "never-fires",
                fmt::format("task `{}` can never progress: its `when` is always false", t.id.name));
    } else if (std::string why = never_raised(c, t.on.name); !why.empty()) {
      c.warning(t.on.loc, "never-fires",
                fmt::format("task `{}` can never progress: {}", t.id.name, why));
    }
  }
}

void check_never_available(Checker& c) {
  for (const ast::TaskDecl& t : c.program.tasks) {
    if (!t.in || !c.packages.contains(t.in->name)) continue;
    const ast::PackageDecl& k = c.program.packages[c.packages.first.at(t.in->name)];
    if (is_constant_false(c, k.for_)) {
      c.warning(t.in->loc, "never-available",
                fmt::format("task `{}` can never progress: its package `{}` is never available "
                            "(the package's `for` is always false)",
                            t.id.name, k.id.name));
    }
  }
}

// --- campaigns stacking past ×4 ----------------------------------------------------------------

struct Multiplier {
  std::size_t campaign = 0;
  std::optional<Decimal> factor[2];   // [0] points *=, [1] growth *=: product of the constant ones
  std::optional<LocalDate> from, to;  // `during`
  std::optional<ast::Recurrence> every;
  int from_minute = 0, to_minute = 0;  // kDailyHours
};

std::optional<int> minute_of(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return h * 60 + m;
}

// Whether the recurring part of a schedule holds on a day with this day of month and weekday
// (0 = Monday).
bool recurs_on(const Multiplier& m, int day_of_month, int day_of_week) {
  if (!m.every) return true;
  switch (m.every->kind) {
    case ast::RecurKind::kMonthDay:
      return day_of_month == m.every->day;
    case ast::RecurKind::kWeekday:
      return day_of_week == static_cast<int>(m.every->weekday);
    case ast::RecurKind::kDailyHours:
      return true;
  }
  return true;
}

bool active_on(const Multiplier& m, LocalDate d) {
  if (m.from && (d < *m.from || d > *m.to)) return false;
  return recurs_on(m, to_civil(d).day, weekday(d));
}

bool active_at(const Multiplier& m, int minute) {
  if (!m.every || m.every->kind != ast::RecurKind::kDailyHours) return true;
  if (m.from_minute < m.to_minute) return minute >= m.from_minute && minute < m.to_minute;
  return minute >= m.from_minute || minute < m.to_minute;  // wraps past midnight
}

std::optional<Multiplier> multiplier_of(const Checker& c, std::size_t i) {
  const ast::CampaignDecl& k = c.program.campaigns[i];
  if (is_constant_false(c, k.for_)) return std::nullopt;
  Multiplier m;
  m.campaign = i;
  bool any = false;
  for (const ast::Stmt& s : k.body) {  // top level only: a multiplier under `if` may not apply
    int which = s.kind == ast::StmtKind::kPointsMul   ? 0
                : s.kind == ast::StmtKind::kGrowthMul ? 1
                                                      : -1;
    if (which < 0) continue;
    auto f = fold_constant(c, s.value);
    if (!f || f->kind != Constant::Kind::kNumber) continue;
    Decimal product = m.factor[which].value_or(Decimal::from_int(1));
    if (!Decimal::mul(product, f->n, product)) product = Decimal::from_int(1'000'000);
    m.factor[which] = product;
    any = true;
  }
  if (!any) return std::nullopt;
  if (k.during) {
    m.from = parse_date(k.during->from);
    m.to = parse_date(k.during->to);
    if (!m.from || !m.to || *m.from > *m.to) return std::nullopt;
  }
  if (k.every) {
    m.every = *k.every;
    if (k.every->kind == ast::RecurKind::kDailyHours) {
      auto f = minute_of(k.every->from);
      auto t = minute_of(k.every->to);
      if (!f || !t || *f == *t) return std::nullopt;
      m.from_minute = *f;
      m.to_minute = *t;
    }
  }
  return m;
}

std::string names_of(const Checker& c, const std::vector<std::size_t>& set) {
  std::string out;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i > 0) out += i + 1 == set.size() ? " and " : ", ";
    out += fmt::format("`{}`", c.program.campaigns[set[i]].id.name);
  }
  return out;
}

// Every set of >= 2 campaigns of `group` that can be active at one moment, with the product of
// their factors, when that product is above 4. A moment is a day and a minute: the largest set
// of a day is active at minute 0 or at the start of one of the daily windows.
void stacking_sets(const std::vector<const Multiplier*>& group, int which,
                   std::map<std::vector<std::size_t>, Decimal>& found) {
  std::vector<int> probes{0};
  for (const Multiplier* m : group) {
    if (m->every && m->every->kind == ast::RecurKind::kDailyHours) probes.push_back(m->from_minute);
  }
  auto try_day = [&](auto&& active_that_day) {
    for (int minute : probes) {
      std::vector<std::size_t> set;
      Decimal product = Decimal::from_int(1);
      for (const Multiplier* m : group) {
        if (!active_that_day(*m) || !active_at(*m, minute)) continue;
        set.push_back(m->campaign);
        if (!Decimal::mul(product, *m->factor[which], product)) {
          product = Decimal::from_int(1'000'000);
        }
      }
      if (set.size() >= 2 && product > Decimal::from_int(4)) found.emplace(set, product);
    }
  };
  // Schedules without `during` recur forever, so every (day of month, weekday) pair happens;
  // trying each pair once stands for all of their days.
  for (int dom = 1; dom <= 31; ++dom) {
    for (int dow = 0; dow < 7; ++dow) {
      try_day([&](const Multiplier& m) { return !m.from && recurs_on(m, dom, dow); });
    }
  }
  // A campaign with `during` is tried on its own days (the first ten years of them), with every
  // other campaign as it is on those days.
  for (const Multiplier* bounded : group) {
    if (!bounded->from) continue;
    LocalDate last = std::min(*bounded->to, LocalDate{bounded->from->days + 3660});
    for (LocalDate d = *bounded->from; d <= last; d.days++) {
      try_day([&](const Multiplier& m) { return active_on(m, d); });
    }
  }
}

void check_stacking(Checker& c) {
  std::vector<Multiplier> all;
  for (std::size_t i = 0; i < c.program.campaigns.size(); ++i) {
    if (auto m = multiplier_of(c, i)) all.push_back(*m);
  }
  if (all.size() < 2) return;
  for (int which = 0; which < 2; ++which) {
    // Keyed by the set, so a set found on several events is reported once (on the first).
    std::map<std::vector<std::size_t>, std::pair<Decimal, std::string>> found;
    std::set<std::vector<std::size_t>> groups_seen;
    for (const std::string& event : c.declared_events) {
      std::vector<const Multiplier*> group;
      std::vector<std::size_t> key;
      for (const Multiplier& m : all) {
        const ast::CampaignDecl& k = c.program.campaigns[m.campaign];
        if (m.factor[which] && (!k.on || k.on->name == event)) {
          group.push_back(&m);
          key.push_back(m.campaign);
        }
      }
      if (group.size() < 2 || !groups_seen.insert(key).second) continue;
      std::map<std::vector<std::size_t>, Decimal> sets;
      stacking_sets(group, which, sets);
      for (const auto& [set, product] : sets) found.emplace(set, std::make_pair(product, event));
    }
    // Report the largest sets only: a subset of a reported set says nothing new.
    for (const auto& [set, info] : found) {
      bool subset = false;
      for (const auto& entry : found) {
        const auto& other = entry.first;
        if (other.size() > set.size() &&
            std::includes(other.begin(), other.end(), set.begin(), set.end())) {
          subset = true;
        }
      }
      if (subset) continue;
      const ast::CampaignDecl& last = c.program.campaigns[set.back()];
      c.warning(last.id.loc, "stacking",
                fmt::format("campaigns {} can be active together on `{}` and multiply {} by {}, "
                            "more than x4",
                            names_of(c, set), info.second, which == 0 ? "points" : "growth",
                            info.first.to_string()));
    }
  }
}

void check_unused(Checker& c) {
  for (std::size_t i = 0; i < c.program.segments.size(); ++i) {
    const ast::SegmentDecl& g = c.program.segments[i];
    if (c.segments.first.at(g.id.name) != i || c.used_segments.count(g.id.name) != 0) continue;
    c.warning(g.id.loc, "unused",
              fmt::format("segment `{}` is never used: no expression reads `segment.{}`", g.id.name,
                          g.id.name));
  }
  for (std::size_t i = 0; i < c.program.privileges.size(); ++i) {
    const ast::PrivilegeDecl& v = c.program.privileges[i];
    if (c.privileges.first.at(v.id.name) != i || v.for_ || v.quota ||
        c.granted_privileges.count(v.id.name) != 0) {
      continue;
    }
    c.warning(v.id.loc, "unused",
              fmt::format("privilege `{}` is never given: it has no `for` or `quota`, and no "
                          "`grant {}` names it",
                          v.id.name, v.id.name));
  }
}

}  // namespace

void check_warnings(Checker& c) {
  check_unreachable_levels(c);
  check_never_fires(c);
  check_never_available(c);
  check_stacking(c);
  check_unused(c);
}

}  // namespace merit::engine::check_internal
