// Lowering: the private syntax tree (syntax.hpp) -> the public dsl/ast.hpp. Desugars chains into
// binary trees, classifies literals, fills every Loc, and reports the slips the grammar lets
// through (an unknown function, `cap ... per member`, a repeated clause).
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "dsl/grammar/grammar.hpp"
#include "dsl/suggest.hpp"

namespace merit::dsl::grammar {
namespace {

// An expression tree deeper than this (a very long operator chain) is refused: consumers of the
// AST recurse over it, and the parser promises bounded stack use.
constexpr int kMaxAstDepth = 256;

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = {"floor", "ceil",    "round", "min",
                                                 "max",   "abs",     "year",  "month",
                                                 "day",   "weekday", "hour",  "days_since"};
  return names;
}

// Visits an x3::variant with a generic lambda (x3::variant::apply_visitor wants a result_type).
template <class V, class F>
decltype(auto) visit(const V& v, F&& f) {
  return boost::apply_visitor(std::forward<F>(f), v.get());
}

template <class T>
std::optional<T> to_std(const boost::optional<T>& o) {
  if (o) return *o;
  return std::nullopt;
}

}  // namespace

ast::Loc Lowerer::loc(syntax::At at) const {
  if (at.p == nullptr) return {};
  const std::string& text = source_.text();
  if (code_points_.empty()) {
    code_points_.resize(text.size() + 1);
    line_starts_.push_back(0);
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      code_points_[i] = n;
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
    code_points_[text.size()] = n;
  }
  std::size_t offset = std::min(static_cast<std::size_t>(at.p - text.data()), text.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  ast::Loc base = source_.base();
  ast::Loc out{static_cast<std::uint32_t>(index) + base.line,
               code_points_[offset] - code_points_[line_starts_[index]] + 1};
  if (index == 0) out.col += base.col - 1;
  return out;
}

void Lowerer::error(syntax::At at, std::string message, std::optional<std::string> suggestion) {
  if (suggestion) message += fmt::format("; did you mean `{}`?", *suggestion);
  diagnostics_.push_back(Diagnostic{Severity::kError, source_.file(), loc(at), std::move(message),
                                    std::move(suggestion), "syntax"});
}

static ast::Ident ident_of(const Lowerer& l, const syntax::Ident& i) {
  return {i.name, l.loc(i.at)};
}

ast::Duration Lowerer::duration(const syntax::DurationLit& d) {
  return {d.count, d.unit, loc(d.at)};
}

ast::PerPeriod Lowerer::per_period(const syntax::PerPeriodS& p, bool allow_member) {
  if (!allow_member && p.period == ast::Period::kMember) {
    error(
        p.at,
        "`per member` is allowed only in a reward's `limit`; use `day`, `week`, `month` or `year`");
  }
  return {p.amount, p.period, loc(p.at)};
}

ast::DateRange Lowerer::date_range(const syntax::DateRangeS& d) {
  return {d.from.text, d.to.text, loc(d.at)};
}

ast::Expiry Lowerer::expiry(const syntax::ExpiryS& e) {
  ast::Expiry out;
  out.loc = loc(e.at);
  visit(e.body, [&](const auto& b) {
    using T = std::decay_t<decltype(b)>;
    if constexpr (std::is_same_v<T, syntax::DurationLit>) {
      out.kind = ast::ExpiryKind::kAfter;
      out.after = duration(b);
    } else if constexpr (std::is_same_v<T, syntax::EndOfS>) {
      out.kind = b.unit == "month" ? ast::ExpiryKind::kEndOfMonth : ast::ExpiryKind::kEndOfYear;
      out.plus = b.plus.value_or(0);
    } else {
      out.kind = ast::ExpiryKind::kNever;
    }
  });
  return out;
}

ast::Review Lowerer::review(const syntax::ReviewS& r) {
  ast::Review out;
  out.loc = loc(r.at);
  if (r.every) {
    out.kind = ast::ReviewKind::kEvery;
    out.every = duration(*r.every);
  }
  return out;
}

// ---- expressions

struct LowerVisitor {
  using result_type = ast::Expr;
  Lowerer& l;
  int& depth;  // depth of the tree just built

  ast::Expr leaf(ast::ExprKind kind, syntax::At at, std::string text = {}) {
    depth = 1;
    ast::Expr e;
    e.kind = kind;
    e.loc = l.loc(at);
    e.text = std::move(text);
    return e;
  }

  ast::Expr operator()(const syntax::NumberLit& n) {
    ast::Expr e = leaf(ast::ExprKind::kNumber, n.at, n.digits);
    e.percent = n.percent;
    return e;
  }
  ast::Expr operator()(const syntax::StringLit& s) {
    return leaf(ast::ExprKind::kString, s.at, s.value);
  }
  ast::Expr operator()(const syntax::WordLit& w) {
    if (w.word == "none") return leaf(ast::ExprKind::kNone, w.at);
    return leaf(ast::ExprKind::kBool, w.at, w.word);
  }
  ast::Expr operator()(const syntax::TemporalLit& t) {
    ast::ExprKind kind = t.text.find('T') != std::string::npos   ? ast::ExprKind::kDateTime
                         : t.text.find('-') != std::string::npos ? ast::ExprKind::kDate
                                                                 : ast::ExprKind::kTimeOfDay;
    return leaf(kind, t.at, t.text);
  }
  ast::Expr operator()(const syntax::DurationLit& d) {
    ast::Expr e = leaf(ast::ExprKind::kDuration, d.at);
    e.duration = l.duration(d);
    return e;
  }
  ast::Expr operator()(const syntax::PathExpr& p) {
    ast::Expr e = leaf(ast::ExprKind::kPath, p.at);
    e.path = p.parts;
    return e;
  }
  ast::Expr operator()(const syntax::CallExpr& c) {
    const auto& names = function_names();
    if (std::find(names.begin(), names.end(), c.fn) == names.end()) {
      std::vector<std::string> all = names;
      for (const char* a : {"count", "sum", "last", "first"}) all.emplace_back(a);
      l.error(c.at, fmt::format("unknown function `{}`", c.fn), nearest(c.fn, all));
    }
    ast::Expr e = leaf(ast::ExprKind::kCall, c.at, c.fn);
    int deepest = 0;
    for (const syntax::Expr& a : c.args) {
      e.args.push_back(l.expr(a));
      deepest = std::max(deepest, depth);
    }
    depth = deepest + 1;
    return e;
  }
  ast::Expr operator()(const syntax::AggregateExpr& a) {
    ast::Expr e = leaf(ast::ExprKind::kAggregate, a.at, a.fn);
    e.path = a.path;
    std::size_t want = a.fn == "sum" ? 2 : 1;
    if (a.path.size() != want) {
      l.error(a.at,
              a.fn == "sum"
                  ? std::string(
                        "`sum` takes an event field, such as `sum(purchase.amount within 30 days)`")
                  : fmt::format("`{}` takes an event type, such as `{}(purchase)`", a.fn, a.fn));
    }
    if (a.where && a.fn != "count") {
      l.error(a.at, fmt::format("`where` is allowed only in `count(...)`, not in `{}(...)`", a.fn));
    }
    if (a.within && (a.fn == "last" || a.fn == "first")) {
      l.error(a.at, fmt::format("`within` is not allowed in `{}(...)`", a.fn));
    }
    int deepest = 0;
    if (a.where) {
      e.args.push_back(l.expr(*a.where));
      deepest = depth;
    }
    if (a.within) e.within = l.duration(*a.within);
    depth = deepest + 1;
    return e;
  }
  ast::Expr operator()(const syntax::UnaryExpr& u) {
    ast::Expr e = leaf(ast::ExprKind::kUnary, u.at, u.op);
    ast::Expr operand = boost::apply_visitor(*this, u.operand.get());
    e.args.push_back(std::move(operand));
    depth += 1;
    return e;
  }
  template <class T>
  ast::Expr operator()(const boost::spirit::x3::forward_ast<T>& f) {
    if constexpr (std::is_same_v<T, syntax::Expr>) {
      return l.expr(f.get());
    } else {
      return (*this)(f.get());
    }
  }
};

ast::Expr Lowerer::expr(const syntax::Expr& e) {
  LowerVisitor v{*this, depth_};
  ast::Expr lhs = boost::apply_visitor(v, e.first.get());
  int lhs_depth = depth_;
  for (const syntax::Operation& op : e.rest) {
    ast::Expr rhs = boost::apply_visitor(v, op.rhs.get());
    int d = std::max(lhs_depth, depth_) + 1;
    if (d > kMaxAstDepth) {
      error(op.at,
            fmt::format("expression is too long: more than {} operators deep", kMaxAstDepth));
      depth_ = 1;
      return lhs;
    }
    ast::Expr bin;
    bin.kind = ast::ExprKind::kBinary;
    bin.loc = loc(op.at);
    bin.text = op.op;
    bin.args.push_back(std::move(lhs));
    bin.args.push_back(std::move(rhs));
    lhs = std::move(bin);
    lhs_depth = d;
  }
  depth_ = lhs_depth;
  return lhs;
}

// ---- statements

ast::Stmt Lowerer::stmt(const syntax::Stmt& s) {
  ast::Stmt out;
  visit(s, [&](const auto& node) {
    using T = std::decay_t<decltype(node)>;
    if constexpr (std::is_same_v<T, syntax::AssignS>) {
      out.loc = loc(node.at);
      out.value = expr(node.value);
      const std::string& t = node.target;
      const std::string& op = node.op;
      if (t == "points") {
        out.kind = op == "+="   ? ast::StmtKind::kPointsAdd
                   : op == "-=" ? ast::StmtKind::kPointsSub
                                : ast::StmtKind::kPointsMul;
      } else if (t == "growth") {
        out.kind = op == "+="   ? ast::StmtKind::kGrowthAdd
                   : op == "-=" ? ast::StmtKind::kGrowthSub
                                : ast::StmtKind::kGrowthMul;
      } else {
        out.kind = op == "-=" ? ast::StmtKind::kTagSub : ast::StmtKind::kTagAdd;
        if (op == "*=") error(node.at, "`tag *=` is not a statement; use `tag +=` or `tag -=`");
      }
      bool points_add = out.kind == ast::StmtKind::kPointsAdd;
      if (node.expire) {
        if (!points_add) error(node.expire->at, "`expire` is allowed only after `points +=`");
        out.expire = expiry(*node.expire);
      }
      if (node.pending) {
        if (!points_add) error(node.pending->at, "`pending` is allowed only after `points +=`");
        out.pending = duration(*node.pending);
      }
    } else if constexpr (std::is_same_v<T, syntax::GrantS>) {
      out.kind = ast::StmtKind::kGrant;
      out.loc = loc(node.at);
      out.target = ident_of(*this, node.privilege);
      out.count = to_std(node.count);
      if (node.valid) out.valid = duration(*node.valid);
    } else if constexpr (std::is_same_v<T, syntax::ReverseS>) {
      out.kind = ast::StmtKind::kReverse;
      out.loc = loc(node.at);
      out.target = ident_of(*this, node.event);
      out.field = ident_of(*this, node.field);
      out.value = expr(node.value);
    } else {
      const syntax::IfS& i = node.get();
      out.kind = ast::StmtKind::kIf;
      out.loc = loc(i.at);
      out.value = expr(i.cond);
      for (const syntax::Stmt& s2 : i.then_block.stmts) out.then_body.push_back(stmt(s2));
      if (i.else_part) {
        out.has_else = true;
        visit(*i.else_part, [&](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, syntax::Block>) {
            for (const syntax::Stmt& s2 : e.stmts) out.else_body.push_back(stmt(s2));
          } else {
            out.else_body.push_back(stmt(syntax::Stmt(e)));
          }
        });
      }
    }
  });
  return out;
}

ast::Goal Lowerer::goal(const syntax::GoalS& g) {
  ast::Goal out;
  out.loc = loc(g.at);
  visit(g.body, [&](const auto& b) {
    using T = std::decay_t<decltype(b)>;
    if constexpr (std::is_same_v<T, syntax::CountGoalS>) {
      out.kind = ast::GoalKind::kCount;
      out.count = b.count;
      if (b.within) out.within = duration(*b.within);
    } else if constexpr (std::is_same_v<T, syntax::SumGoalS>) {
      out.kind = ast::GoalKind::kSum;
      out.sum = expr(b.sum);
      LowerVisitor v{*this, depth_};
      out.reaches = v(b.reaches);
      if (b.within) out.within = duration(*b.within);
    } else {
      out.kind = ast::GoalKind::kStreak;
      out.count = b.days;
    }
  });
  return out;
}

void Lowerer::schedule(const std::vector<syntax::ScheduleItem>& items,
                       std::optional<ast::Recurrence>& every,
                       std::optional<ast::DateRange>& during) {
  for (const syntax::ScheduleItem& item : items) {
    visit(item, [&](const auto& i) {
      using T = std::decay_t<decltype(i)>;
      if constexpr (std::is_same_v<T, syntax::DateRangeS>) {
        if (during) error(i.at, "a schedule has at most one `during` part");
        during = date_range(i);
      } else {
        if (every) error(i.at, "a schedule has at most one `every` part");
        ast::Recurrence r;
        r.loc = loc(i.at);
        visit(i.body, [&](const auto& b) {
          using B = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<B, syntax::MonthDayS>) {
            r.kind = ast::RecurKind::kMonthDay;
            r.day = b.day;
            if (b.day < 1 || b.day > 31) error(b.at, "the day of the month must be 1 to 31");
          } else if constexpr (std::is_same_v<B, syntax::WeekdayS>) {
            r.kind = ast::RecurKind::kWeekday;
            r.weekday = b.weekday;
          } else {
            r.kind = ast::RecurKind::kDailyHours;
            r.from = b.from.text;
            r.to = b.to.text;
          }
        });
        every = std::move(r);
      }
    });
  }
}

// ---- declarations

namespace {

std::vector<ast::Stmt> body_of(Lowerer& l, const std::vector<syntax::Stmt>& stmts) {
  std::vector<ast::Stmt> out;
  out.reserve(stmts.size());
  for (const syntax::Stmt& s : stmts) out.push_back(l.stmt(s));
  return out;
}

std::optional<ast::Expr> opt_expr(Lowerer& l, const boost::optional<syntax::Expr>& e) {
  if (!e) return std::nullopt;
  return l.expr(*e);
}

std::vector<ast::FieldDecl> fields_of(Lowerer& l, const std::vector<syntax::FieldS>& fields) {
  std::vector<ast::FieldDecl> out;
  for (const syntax::FieldS& f : fields) {
    out.push_back(
        {l.loc(f.name.at), {f.name.name, l.loc(f.name.at)}, f.type.text, l.loc(f.type.at)});
  }
  return out;
}

}  // namespace

void Lowerer::add_declaration(const syntax::Decl& decl, std::vector<std::string> comments,
                              ast::Program& program) {
  auto once = [&](bool already, syntax::At at, const char* what) {
    if (already) error(at, fmt::format("a program has only one `{}` declaration", what));
  };
  visit(decl, [&](const auto& d) {
    using T = std::decay_t<decltype(d)>;
    if constexpr (std::is_same_v<T, syntax::ProgramD>) {
      once(program.program.loc.line != 0, d.at, "program");
      ast::ProgramDecl p;
      p.loc = loc(d.at);
      p.id = ident_of(*this, d.id);
      p.name = to_std(d.name);
      for (const syntax::KeyValueS& kv : d.items) {
        std::optional<std::string>& slot = kv.key == "timezone" ? p.timezone : p.currency;
        if (slot) error(kv.at, fmt::format("`{}` is set twice", kv.key));
        slot = kv.value.value;
      }
      p.comments = std::move(comments);
      program.program = std::move(p);
    } else if constexpr (std::is_same_v<T, syntax::MemberD>) {
      once(program.member.has_value(), d.at, "member");
      program.member = ast::MemberDecl{loc(d.at), fields_of(*this, d.fields), std::move(comments)};
    } else if constexpr (std::is_same_v<T, syntax::EventD>) {
      program.events.push_back(
          {loc(d.at), ident_of(*this, d.id), fields_of(*this, d.fields), std::move(comments)});
    } else if constexpr (std::is_same_v<T, syntax::PointsD>) {
      once(program.points.has_value(), d.at, "points");
      ast::PointsDecl p;
      p.loc = loc(d.at);
      p.name = to_std(d.name);
      for (const syntax::PointsItem& item : d.items) {
        visit(item, [&](const auto& i) {
          using I = std::decay_t<decltype(i)>;
          if constexpr (std::is_same_v<I, syntax::ExpiryS>) {
            if (p.expire) error(i.at, "`expire` is set twice");
            p.expire = expiry(i);
          } else if constexpr (std::is_same_v<I, syntax::PerPeriodS>) {
            if (p.cap) error(i.at, "`cap` is set twice");
            p.cap = per_period(i, false);
          } else if constexpr (std::is_same_v<I, syntax::PendingS>) {
            if (p.pending) error(i.at, "`pending` is set twice");
            p.pending = duration(i.duration);
          } else {
            p.allow_negative = true;
          }
        });
      }
      p.comments = std::move(comments);
      program.points = std::move(p);
    } else if constexpr (std::is_same_v<T, syntax::GrowthD>) {
      once(program.growth.has_value(), d.at, "growth");
      ast::GrowthDecl g;
      g.loc = loc(d.at);
      g.name = to_std(d.name);
      for (const syntax::DurationLit& w : d.windows) {
        if (g.window) error(w.at, "`window` is set twice");
        g.window = duration(w);
      }
      g.comments = std::move(comments);
      program.growth = std::move(g);
    } else if constexpr (std::is_same_v<T, syntax::LevelsD>) {
      once(program.levels.has_value(), d.at, "levels");
      ast::LevelsDecl ls;
      ls.loc = loc(d.at);
      if (d.review) ls.review = review(*d.review);
      ls.downgrade = to_std(d.downgrade);
      for (const syntax::LevelS& lv : d.levels) {
        ast::LevelDecl out;
        out.loc = loc(lv.at);
        out.id = ident_of(*this, lv.id);
        out.name = to_std(lv.name);
        out.from = lv.from;
        out.from_loc = loc(lv.from_at);
        out.keep = to_std(lv.keep);
        for (const syntax::AttributeS& a : lv.attributes) {
          ast::Attribute attr;
          attr.loc = loc(a.name.at);
          attr.name = ident_of(*this, a.name);
          LowerVisitor v{*this, depth_};
          attr.value = boost::apply_visitor(v, a.value.get());
          out.attributes.push_back(std::move(attr));
        }
        ls.levels.push_back(std::move(out));
      }
      ls.comments = std::move(comments);
      program.levels = std::move(ls);
    } else if constexpr (std::is_same_v<T, syntax::RuleD>) {
      program.rules.push_back({loc(d.at), ident_of(*this, d.id), to_std(d.name),
                               ident_of(*this, d.on), opt_expr(*this, d.when),
                               body_of(*this, d.body), std::move(comments)});
    } else if constexpr (std::is_same_v<T, syntax::PackageD>) {
      ast::PackageDecl p;
      p.loc = loc(d.at);
      p.id = ident_of(*this, d.id);
      p.name = to_std(d.name);
      p.for_ = opt_expr(*this, d.for_);
      if (d.available) p.available_after_join = duration(*d.available);
      if (d.during) p.during = date_range(*d.during);
      p.comments = std::move(comments);
      program.packages.push_back(std::move(p));
    } else if constexpr (std::is_same_v<T, syntax::TaskD>) {
      ast::TaskDecl t;
      t.loc = loc(d.at);
      t.id = ident_of(*this, d.id);
      t.name = to_std(d.name);
      if (d.in) t.in = ident_of(*this, *d.in);
      t.on = ident_of(*this, d.on);
      t.when = opt_expr(*this, d.when);
      if (d.goal) t.goal = goal(*d.goal);
      if (d.repeat) {
        t.repeat = d.repeat->kind;
        t.repeat_loc = loc(d.repeat->at);
      }
      t.body = body_of(*this, d.body);
      t.comments = std::move(comments);
      program.tasks.push_back(std::move(t));
    } else if constexpr (std::is_same_v<T, syntax::CampaignD>) {
      ast::CampaignDecl c;
      c.loc = loc(d.at);
      c.id = ident_of(*this, d.id);
      c.name = to_std(d.name);
      if (d.on) c.on = ident_of(*this, *d.on);
      schedule(d.schedule, c.every, c.during);
      c.for_ = opt_expr(*this, d.for_);
      if (d.budget) {
        c.budget = d.budget->points;
        c.budget_loc = loc(d.budget->at);
      }
      c.body = body_of(*this, d.body);
      c.comments = std::move(comments);
      program.campaigns.push_back(std::move(c));
    } else if constexpr (std::is_same_v<T, syntax::PrivilegeD>) {
      ast::PrivilegeDecl p;
      p.loc = loc(d.at);
      p.id = ident_of(*this, d.id);
      p.name = to_std(d.name);
      p.for_ = opt_expr(*this, d.for_);
      if (d.quota) p.quota = per_period(*d.quota, false);
      p.comments = std::move(comments);
      program.privileges.push_back(std::move(p));
    } else if constexpr (std::is_same_v<T, syntax::RewardD>) {
      ast::RewardDecl r;
      r.loc = loc(d.at);
      r.id = ident_of(*this, d.id);
      r.name = to_std(d.name);
      r.cost = d.cost;
      r.cost_loc = loc(d.cost_at);
      r.stock = to_std(d.stock);
      if (d.limit) r.limit = per_period(*d.limit, true);
      r.for_ = opt_expr(*this, d.for_);
      r.body = body_of(*this, d.body);
      r.comments = std::move(comments);
      program.rewards.push_back(std::move(r));
    } else if constexpr (std::is_same_v<T, syntax::CardD>) {
      program.cards.push_back({loc(d.at), ident_of(*this, d.id), to_std(d.name), duration(d.lasts),
                               body_of(*this, d.body), std::move(comments)});
    } else {
      static_assert(std::is_same_v<T, syntax::SegmentD>);
      program.segments.push_back(
          {loc(d.at), ident_of(*this, d.id), to_std(d.name), expr(d.when), std::move(comments)});
    }
  });
}

}  // namespace merit::dsl::grammar
