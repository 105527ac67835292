// The seeded program generator (see program_generator.hpp). Only trees the grammar can write are
// produced: positive number literals (a minus is a unary operator), no control characters in
// strings, identifiers that are not keywords.
#include "tests/testing/program_generator.hpp"

#include <cstdio>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace merit::testing {
namespace {

using namespace dsl::ast;

class Gen {
 public:
  Gen(std::uint64_t seed, const GeneratorOptions& o) : rng_(seed), opt_(o) {}

  Program program() {
    Program p;
    p.program.id = Ident{fresh("prog"), {}};
    p.program.name = maybe_name();
    if (chance(4)) p.program.timezone = pick<std::string>({"UTC", "Asia/Shanghai", "Europe/Paris"});
    if (chance(4)) p.program.currency = pick<std::string>({"CNY", "EUR", "USD"});
    p.program.comments = comments();

    if (chance(2)) {
      MemberDecl m;
      m.fields = fields(below(4));
      m.comments = comments();
      member_fields_ = names_of(m.fields);
      p.member = std::move(m);
    }
    std::size_t n_events = opt_.events ? opt_.events : 1 + below(4);
    for (std::size_t i = 0; i < n_events; ++i) {
      EventDecl e;
      e.id = Ident{fresh("ev"), {}};
      e.fields = fields(below(5));
      e.comments = comments();
      events_.push_back({e.id.name, names_of(e.fields)});
      p.events.push_back(std::move(e));
    }
    if (chance(2)) {
      PointsDecl d;
      d.name = maybe_name();
      if (chance(2)) d.expire = expiry();
      if (chance(2)) d.cap = per_period(false);
      if (chance(4)) d.pending = days();
      d.allow_negative = chance(5);
      d.comments = comments();
      p.points = std::move(d);
    }
    if (chance(2)) {
      GrowthDecl d;
      d.name = maybe_name();
      if (chance(2)) d.window = days();
      d.comments = comments();
      p.growth = std::move(d);
    }
    {
      LevelsDecl d;
      if (chance(2)) {
        Review r;
        r.kind = chance(2) ? ReviewKind::kYearly : ReviewKind::kEvery;
        if (r.kind == ReviewKind::kEvery) r.every = duration({Unit::kDay, Unit::kMonth});
        d.review = r;
      }
      if (chance(3)) d.downgrade = chance(2) ? Downgrade::kOne : Downgrade::kQualified;
      std::int64_t from = 0;
      std::vector<std::string> attrs = {"points_rate", "label", "bonus"};
      std::size_t n = 1 + below(4);
      for (std::size_t i = 0; i < n; ++i) {
        LevelDecl l;
        l.id = Ident{"L" + std::to_string(i + 1) + fresh("x"), {}};
        l.name = maybe_name();
        l.from = from;
        from += 1 + static_cast<std::int64_t>(below(5000));
        if (chance(3)) l.keep = static_cast<std::int64_t>(below(5000));
        for (const auto& a : attrs) {
          if (!chance(2)) continue;
          Attribute at;
          at.name = Ident{a, {}};
          at.value = chance(4) == 0 ? string_lit() : number();
          l.attributes.push_back(std::move(at));
        }
        levels_.push_back(l.id.name);
        d.levels.push_back(std::move(l));
      }
      d.comments = comments();
      p.levels = std::move(d);
    }
    // Names that later declarations refer to, made up front so references can point forward.
    std::size_t n_priv = below(3), n_seg = below(3), n_pkg = below(3);
    for (std::size_t i = 0; i < n_priv; ++i) privileges_.push_back(fresh("priv"));
    for (std::size_t i = 0; i < n_seg; ++i) segments_.push_back(fresh("seg"));
    for (std::size_t i = 0; i < n_pkg; ++i) packages_.push_back(fresh("pkg"));

    std::size_t n_rules = opt_.rules ? opt_.rules : below(6);
    for (std::size_t i = 0; i < n_rules; ++i) {
      RuleDecl r;
      r.id = Ident{fresh("rule"), {}};
      r.name = maybe_name();
      r.on = Ident{chance(6) == 0 ? pick<std::string>({"join", "level_up", "task_done"}) : event(),
                   {}};
      if (chance(3)) r.when = expr(opt_.max_expr_depth);
      r.body = body(opt_.max_if_depth, false);
      r.comments = comments();
      p.rules.push_back(std::move(r));
    }
    for (const auto& id : packages_) {
      PackageDecl k;
      k.id = Ident{id, {}};
      k.name = maybe_name();
      if (chance(3) == 0) k.for_ = expr(2);
      if (chance(2)) k.available_after_join = days();
      if (chance(3) == 0) k.during = date_range();
      k.comments = comments();
      p.packages.push_back(std::move(k));
    }
    std::size_t n_tasks = below(4);
    for (std::size_t i = 0; i < n_tasks; ++i) {
      TaskDecl t;
      t.id = Ident{fresh("task"), {}};
      t.name = maybe_name();
      if (!packages_.empty() && chance(2)) t.in = Ident{pick(packages_), {}};
      t.on = Ident{event(), {}};
      if (chance(2)) t.when = expr(3);
      switch (below(4)) {
        case 0:
          break;
        case 1:
          t.goal.kind = GoalKind::kCount;
          t.goal.count = 1 + static_cast<std::int64_t>(below(10));
          if (chance(2)) t.goal.within = days();
          break;
        case 2:
          t.goal.kind = GoalKind::kSum;
          t.goal.sum = expr(2);
          t.goal.reaches = number();
          if (chance(2)) t.goal.within = days();
          break;
        default:
          t.goal.kind = GoalKind::kStreak;
          t.goal.count = 1 + static_cast<std::int64_t>(below(10));
          break;
      }
      if (chance(3)) {
        t.repeat =
            pick<RepeatKind>({RepeatKind::kOnce, RepeatKind::kAlways, RepeatKind::kDaily,
                              RepeatKind::kWeekly, RepeatKind::kMonthly, RepeatKind::kYearly});
      }
      t.body = body(opt_.max_if_depth, false);
      t.comments = comments();
      p.tasks.push_back(std::move(t));
    }
    std::size_t n_campaigns = below(3);
    for (std::size_t i = 0; i < n_campaigns; ++i) {
      CampaignDecl c;
      c.id = Ident{fresh("camp"), {}};
      c.name = maybe_name();
      if (chance(3)) c.on = Ident{event(), {}};
      bool every = chance(3) > 0;
      if (every) c.every = recurrence();
      if (!every || chance(3) == 0) c.during = date_range();
      if (chance(3) == 0) c.for_ = expr(3);
      if (chance(3) == 0) c.budget = 1 + static_cast<std::int64_t>(below(100000));
      c.body = body(1, true);
      c.comments = comments();
      p.campaigns.push_back(std::move(c));
    }
    for (const auto& id : privileges_) {
      PrivilegeDecl v;
      v.id = Ident{id, {}};
      v.name = maybe_name();
      if (chance(3)) v.for_ = expr(3);
      if (chance(3)) v.quota = per_period(false);
      v.comments = comments();
      p.privileges.push_back(std::move(v));
    }
    std::size_t n_rewards = below(3);
    for (std::size_t i = 0; i < n_rewards; ++i) {
      RewardDecl r;
      r.id = Ident{fresh("reward"), {}};
      r.name = maybe_name();
      r.cost = static_cast<std::int64_t>(below(10000));
      if (chance(2)) r.stock = static_cast<std::int64_t>(below(1000));
      if (chance(2)) r.limit = per_period(true);
      if (chance(2)) r.for_ = expr(3);
      if (chance(2)) r.body = body(1, false);
      r.comments = comments();
      p.rewards.push_back(std::move(r));
    }
    if (chance(4) == 0) {
      CardDecl c;
      c.id = Ident{fresh("card"), {}};
      c.name = maybe_name();
      c.lasts = duration({Unit::kDay, Unit::kMonth, Unit::kYear});
      c.body = body(1, false);
      c.comments = comments();
      p.cards.push_back(std::move(c));
    }
    for (const auto& id : segments_) {
      SegmentDecl s;
      s.id = Ident{id, {}};
      s.name = maybe_name();
      s.when = expr(opt_.max_expr_depth);
      s.comments = comments();
      p.segments.push_back(std::move(s));
    }
    if (opt_.comments && chance(4) == 0) p.trailing_comments = comments_always();
    return p;
  }

 private:
  // ---- randomness (portable: no std distributions)
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(rng_() % n) : 0; }
  // True with probability (n-1)/n for n >= 2 ... used as chance(2) = 1/2 true.
  std::size_t chance(std::size_t n) { return below(n); }
  template <class T>
  T pick(const std::vector<T>& xs) {
    return xs[below(xs.size())];
  }

  // ---- names
  std::string fresh(const char* prefix) {
    static const char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    std::string s = prefix;
    s += '_';
    std::size_t n = 1 + below(6);
    for (std::size_t i = 0; i < n; ++i) s += kAlnum[below(sizeof kAlnum - 1)];
    s += std::to_string(counter_++);
    return s;
  }

  std::optional<std::string> maybe_name() {
    if (chance(3) == 0) return std::nullopt;
    return tricky_string();
  }

  std::string tricky_string() {
    static const std::vector<std::string> kPieces = {"黄金会员",
                                                     "积分",
                                                     "会员日双倍积分",
                                                     "Gold",
                                                     "silver member",
                                                     "a \"quoted\" word",
                                                     "back\\slash",
                                                     "# not a comment",
                                                     "key: value",
                                                     "yes",
                                                     "no",
                                                     "on",
                                                     "off",
                                                     "null",
                                                     "~",
                                                     "123",
                                                     "1.5",
                                                     "-dash",
                                                     "'single'",
                                                     " leading space",
                                                     "trailing space ",
                                                     "{brace}",
                                                     "[list]",
                                                     "a, b",
                                                     "100%",
                                                     "café",
                                                     "emoji 🎉",
                                                     "",
                                                     "true",
                                                     "2026-01-01",
                                                     "@at",
                                                     "`tick`",
                                                     "&amp",
                                                     "*star",
                                                     "!bang",
                                                     "|pipe",
                                                     ">gt",
                                                     "?q",
                                                     "x:y",
                                                     "tab\tless",
                                                     "line\u2028sep",
                                                     "nel\u0085x",
                                                     "\uFEFFbom"};
    std::string s = pick(kPieces);
    if (s.find('\t') != std::string::npos)
      s = "tabless";  // no control characters in .merit strings
    if (chance(3) == 0) s += " " + pick(kPieces);
    if (s.find('\t') != std::string::npos) s = "tab less";
    return s;
  }

  std::vector<std::string> comments() {
    if (!opt_.comments || chance(3) != 0) return {};
    return comments_always();
  }

  std::vector<std::string> comments_always() {
    static const std::vector<std::string> kComments = {"a comment",
                                                       "注释: 会员日",
                                                       "",
                                                       "rule: don't # touch",
                                                       "  indented text",
                                                       "x = 1; y = 2",
                                                       "- looks like a list item",
                                                       "---",
                                                       "{ not: yaml }"};
    std::vector<std::string> out;
    std::size_t n = 1 + below(2);
    for (std::size_t i = 0; i < n; ++i) out.push_back(pick(kComments));
    return out;
  }

  std::vector<FieldDecl> fields(std::size_t n) {
    static const std::vector<std::string> kTypes = {
        "int", "decimal", "money", "bool", "string", "date", "time", "duration", "set<string>"};
    std::vector<FieldDecl> out;
    static const std::vector<std::string> kNames = {"amount", "category", "channel", "order_id",
                                                    "stars",  "city",     "tags",    "level",
                                                    "count",  "target",   "birthday"};
    std::set<std::string> used;
    for (std::size_t i = 0; i < n; ++i) {
      std::string name = pick(kNames);
      if (!used.insert(name).second) continue;
      FieldDecl f;
      f.name = Ident{name, {}};
      f.type = pick(kTypes);
      out.push_back(std::move(f));
    }
    return out;
  }

  static std::vector<std::string> names_of(const std::vector<FieldDecl>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.name.name);
    return out;
  }

  std::string event() { return events_[below(events_.size())].first; }
  std::string event_field() {
    const auto& e = events_[below(events_.size())];
    return e.second.empty() ? "amount" : pick(e.second);
  }

  // ---- clauses
  Duration duration(const std::vector<Unit>& units) {
    Duration d;
    d.count = 1 + static_cast<std::int64_t>(below(chance(3) == 0 ? 3 : 400));
    d.unit = pick(units);
    return d;
  }
  Duration days() { return duration({Unit::kDay}); }

  Expiry expiry() {
    Expiry x;
    switch (below(4)) {
      case 0:
        x.kind = ExpiryKind::kNever;
        break;
      case 1:
        x.kind = ExpiryKind::kAfter;
        x.after = duration({Unit::kDay, Unit::kWeek, Unit::kMonth, Unit::kYear});
        break;
      case 2:
        x.kind = ExpiryKind::kEndOfMonth;
        x.plus = static_cast<std::int64_t>(below(4));
        break;
      default:
        x.kind = ExpiryKind::kEndOfYear;
        x.plus = static_cast<std::int64_t>(below(3));
        break;
    }
    return x;
  }

  PerPeriod per_period(bool member) {
    PerPeriod p;
    p.amount = 1 + static_cast<std::int64_t>(below(5000));
    std::vector<Period> ps = {Period::kDay, Period::kWeek, Period::kMonth, Period::kYear};
    if (member) ps.push_back(Period::kMember);
    p.period = pick(ps);
    return p;
  }

  std::string date() {
    char buf[16];
    std::snprintf(buf, sizeof buf, "20%02zu-%02zu-%02zu", 20 + below(10), 1 + below(12),
                  1 + below(28));
    return buf;
  }
  std::string time_of_day() {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02zu:%02zu", below(24), below(60));
    return buf;
  }

  DateRange date_range() {
    DateRange r;
    r.from = date();
    r.to = date();
    return r;
  }

  Recurrence recurrence() {
    Recurrence r;
    switch (below(3)) {
      case 0:
        r.kind = RecurKind::kMonthDay;
        r.day = 1 + static_cast<std::int64_t>(below(31));
        break;
      case 1:
        r.kind = RecurKind::kWeekday;
        r.weekday = static_cast<Weekday>(below(7));
        break;
      default:
        r.kind = RecurKind::kDailyHours;
        r.from = time_of_day();
        r.to = time_of_day();
        break;
    }
    return r;
  }

  // ---- expressions
  Expr number() {
    Expr e;
    e.kind = ExprKind::kNumber;
    static const std::vector<std::string> kNums = {"0",   "1",   "2",     "10",   "50",
                                                   "100", "500", "1000",  "1.5",  "0.25",
                                                   "2.0", "1.2", "99.99", "12345"};
    e.text = pick(kNums);
    if (chance(8) == 0) e.percent = true;
    return e;
  }

  Expr string_lit() {
    Expr e;
    e.kind = ExprKind::kString;
    e.text = tricky_string();
    return e;
  }

  Expr path(std::vector<std::string> p) {
    Expr e;
    e.kind = ExprKind::kPath;
    e.path = std::move(p);
    return e;
  }

  Expr leaf() {
    switch (below(14)) {
      case 0:
      case 1:
      case 2:
        return number();
      case 3:
        return string_lit();
      case 4: {
        Expr e;
        e.kind = ExprKind::kBool;
        e.text = chance(2) ? "true" : "false";
        return e;
      }
      case 5: {
        Expr e;
        e.kind = ExprKind::kNone;
        return e;
      }
      case 6: {
        Expr e;
        switch (below(3)) {
          case 0:
            e.kind = ExprKind::kDate;
            e.text = date();
            break;
          case 1:
            e.kind = ExprKind::kDateTime;
            e.text = date() + "T" + time_of_day();
            break;
          default:
            e.kind = ExprKind::kTimeOfDay;
            e.text = time_of_day();
            break;
        }
        return e;
      }
      case 7: {
        Expr e;
        e.kind = ExprKind::kDuration;
        e.duration = duration({Unit::kHour, Unit::kDay, Unit::kWeek, Unit::kMonth, Unit::kYear});
        return e;
      }
      case 8:
      case 9:
        return path({"event", event_field()});
      case 10:
        if (!member_fields_.empty()) return path({"member", pick(member_fields_)});
        return path({"level"});
      case 11:
        if (chance(2)) return path({"level"});
        return path({"level", "points_rate"});
      case 12:
        if (!segments_.empty()) return path({"segment", pick(segments_)});
        return path({"now"});
      default:
        if (!levels_.empty() && chance(2)) return path({pick(levels_)});
        return path({"now"});
    }
  }

  Expr aggregate(int depth) {
    Expr e;
    e.kind = ExprKind::kAggregate;
    switch (below(4)) {
      case 0:
        e.text = "count";
        e.path = {event()};
        if (chance(2)) e.args.push_back(comparison(depth - 1));
        if (chance(2)) e.within = days();
        break;
      case 1:
        e.text = "sum";
        e.path = {event(), event_field()};
        if (chance(2)) e.within = duration({Unit::kHour, Unit::kDay, Unit::kMonth});
        break;
      case 2:
        e.text = "last";
        e.path = {event()};
        break;
      default:
        e.text = "first";
        e.path = {event()};
        break;
    }
    return e;
  }

  Expr call(int depth) {
    static const std::vector<std::string> kOne = {"floor", "ceil", "round",   "abs",  "year",
                                                  "month", "day",  "weekday", "hour", "days_since"};
    Expr e;
    e.kind = ExprKind::kCall;
    if (chance(4) == 0) {
      e.text = chance(2) ? "min" : "max";
      e.args.push_back(expr(depth - 1));
      e.args.push_back(expr(depth - 1));
    } else {
      e.text = pick(kOne);
      e.args.push_back(e.text == "days_since" && chance(2) ? aggregate(depth - 1)
                                                           : expr(depth - 1));
    }
    return e;
  }

  Expr binary(std::string op, Expr a, Expr b) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.text = std::move(op);
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
  }

  Expr comparison(int depth) {
    static const std::vector<std::string> kOps = {"==", "!=", "<", "<=", ">", ">="};
    if (chance(6) == 0) return binary("in", string_lit(), path({"member", "tags"}));
    return binary(pick(kOps), expr(depth - 1), expr(depth - 1));
  }

  Expr expr(int depth) {
    if (depth <= 0) return leaf();
    switch (below(12)) {
      case 0:
      case 1:
        return leaf();
      case 2:
        return binary(chance(2) ? "and" : "or", expr(depth - 1), expr(depth - 1));
      case 3: {
        Expr e;
        e.kind = ExprKind::kUnary;
        e.text = "not";
        e.args.push_back(expr(depth - 1));
        return e;
      }
      case 4: {
        // A minus applies to a non-literal: `-5` is a number literal's business.
        Expr inner = expr(depth - 1);
        if (inner.kind == ExprKind::kNumber) inner = path({"event", event_field()});
        Expr e;
        e.kind = ExprKind::kUnary;
        e.text = "-";
        e.args.push_back(std::move(inner));
        return e;
      }
      case 5:
      case 6:
        return comparison(depth);
      case 7:
        return binary(pick<std::string>({"+", "-"}), expr(depth - 1), expr(depth - 1));
      case 8:
        return binary(pick<std::string>({"*", "/"}), expr(depth - 1), expr(depth - 1));
      case 9:
        return call(depth);
      default:
        return aggregate(depth);
    }
  }

  // ---- statements
  std::vector<Stmt> body(int if_depth, bool campaign) {
    std::vector<Stmt> out;
    std::size_t n = below(4);
    for (std::size_t i = 0; i < n; ++i) out.push_back(stmt(if_depth, campaign));
    return out;
  }

  Stmt stmt(int if_depth, bool campaign) {
    Stmt s;
    std::size_t k = below(if_depth > 0 ? 10 : 9);
    switch (k) {
      case 0:
      case 1:
        s.kind = StmtKind::kPointsAdd;
        s.value = expr(3);
        if (chance(3) == 0) s.expire = expiry();
        if (chance(4) == 0) s.pending = days();
        break;
      case 2:
        s.kind = chance(2) ? StmtKind::kPointsSub : StmtKind::kGrowthSub;
        s.value = expr(2);
        break;
      case 3:
        if (campaign) {
          s.kind = chance(2) ? StmtKind::kPointsMul : StmtKind::kGrowthMul;
        } else {
          s.kind = StmtKind::kGrowthAdd;
        }
        s.value = expr(2);
        break;
      case 4:
        s.kind = StmtKind::kGrant;
        s.target = Ident{privileges_.empty() ? "free_shipping" : pick(privileges_), {}};
        if (chance(2)) s.count = 1 + static_cast<std::int64_t>(below(10));
        if (chance(2)) s.valid = days();
        break;
      case 5:
        s.kind = StmtKind::kTagAdd;
        s.value = string_lit();
        break;
      case 6:
        s.kind = StmtKind::kTagSub;
        s.value = string_lit();
        break;
      case 7:
        s.kind = StmtKind::kReverse;
        s.target = Ident{event(), {}};
        s.field = Ident{event_field(), {}};
        s.value = path({"event", event_field()});
        break;
      case 8:
        s.kind = StmtKind::kGrowthAdd;
        s.value = expr(2);
        break;
      default: {
        s.kind = StmtKind::kIf;
        s.value = expr(3);
        s.then_body = body(if_depth - 1, campaign);
        switch (below(3)) {
          case 0:
            break;
          case 1:
            s.has_else = true;
            s.else_body = body(if_depth - 1, campaign);
            break;
          default: {
            s.has_else = true;
            Stmt inner;
            inner.kind = StmtKind::kIf;
            inner.value = expr(2);
            inner.then_body = body(if_depth - 1, campaign);
            if (chance(2)) {
              inner.has_else = true;
              inner.else_body = body(if_depth - 1, campaign);
            }
            s.else_body.push_back(std::move(inner));
            break;
          }
        }
        break;
      }
    }
    return s;
  }

  std::mt19937_64 rng_;
  GeneratorOptions opt_;
  std::uint64_t counter_ = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> events_;
  std::vector<std::string> member_fields_;
  std::vector<std::string> levels_;
  std::vector<std::string> privileges_;
  std::vector<std::string> segments_;
  std::vector<std::string> packages_;
};

}  // namespace

dsl::ast::Program generate_program(std::uint64_t seed, const GeneratorOptions& options) {
  return Gen(seed, options).program();
}

}  // namespace merit::testing
