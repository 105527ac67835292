// The planner: resolves names to indices, lowers AST expressions and statements into the Plan.
#include "engine/plan/planner.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "dsl/printer.hpp"

namespace merit::engine {

namespace ast = dsl::ast;

int Plan::event_index(std::string_view name) const {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].name == name) return static_cast<int>(i);
  }
  return -1;
}
int Plan::reward_index(std::string_view name) const {
  for (std::size_t i = 0; i < rewards.size(); ++i) {
    if (rewards[i].id == name) return static_cast<int>(i);
  }
  return -1;
}
int Plan::privilege_index(std::string_view name) const {
  for (std::size_t i = 0; i < privileges.size(); ++i) {
    if (privileges[i].id == name) return static_cast<int>(i);
  }
  return -1;
}
int Plan::attribute_index(std::string_view name) const {
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (attributes[i].name == name) return static_cast<int>(i);
  }
  return -1;
}
int Plan::level_index(std::string_view name) const {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].id == name) return static_cast<int>(i);
  }
  return -1;
}
int Plan::task_index(std::string_view name) const {
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].id == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

CalendarUnit to_unit(ast::Unit u) {
  switch (u) {
    case ast::Unit::kHour:
      return CalendarUnit::kHour;
    case ast::Unit::kDay:
      return CalendarUnit::kDay;
    case ast::Unit::kWeek:
      return CalendarUnit::kWeek;
    case ast::Unit::kMonth:
      return CalendarUnit::kMonth;
    case ast::Unit::kYear:
      return CalendarUnit::kYear;
  }
  return CalendarUnit::kDay;
}

CalDuration to_dur(const ast::Duration& d) { return {d.count, to_unit(d.unit)}; }

PeriodLimit to_limit(const ast::PerPeriod& p) {
  PeriodKind k = PeriodKind::kDay;
  switch (p.period) {
    case ast::Period::kDay:
      k = PeriodKind::kDay;
      break;
    case ast::Period::kWeek:
      k = PeriodKind::kWeek;
      break;
    case ast::Period::kMonth:
      k = PeriodKind::kMonth;
      break;
    case ast::Period::kYear:
      k = PeriodKind::kYear;
      break;
    case ast::Period::kMember:
      k = PeriodKind::kMember;
      break;
  }
  return {p.amount, k};
}

ExpiryRule to_expiry(const ast::Expiry& e) {
  ExpiryRule r;
  switch (e.kind) {
    case ast::ExpiryKind::kNever:
      r.mode = ExpiryMode::kNoExpiry;
      break;
    case ast::ExpiryKind::kAfter:
      r.mode = ExpiryMode::kAfter;
      r.after = to_dur(e.after);
      break;
    case ast::ExpiryKind::kEndOfMonth:
      r.mode = ExpiryMode::kEndOfMonth;
      r.plus = e.plus;
      break;
    case ast::ExpiryKind::kEndOfYear:
      r.mode = ExpiryMode::kEndOfYear;
      r.plus = e.plus;
      break;
  }
  return r;
}

Error at(const ast::Loc& loc, const std::string& what) {
  return Error::invalid_argument(fmt::format("{}:{}: {}", loc.line, loc.col, what));
}

// Where an expression is evaluated: which event's fields `event.X` names, and what `level` means.
struct Scope {
  int event = -1;              // event type whose fields are visible (-1: none)
  bool level_is_from = false;  // a rule on level_up/level_down: `level` is event.from
};

class Planner {
 public:
  Planner(const ast::Program& p, Plan& plan) : p_(p), plan_(plan) {}

  Result<void> run();

 private:
  Result<void> declare();
  Result<CompiledExpr> lower(const ast::Expr& e, const Scope& scope);
  Result<void> emit(const ast::Expr& e, const Scope& scope, std::vector<Op>& ops, int depth);
  Result<std::vector<PlanStmt>> lower_body(const std::vector<ast::Stmt>& body, const Scope& scope);
  Result<PlanStmt> lower_stmt(const ast::Stmt& s, const Scope& scope);
  std::uint16_t add_const(Value v);
  Result<int> aggregate(const ast::Expr& e);
  Result<std::optional<LocalDate>> date(const std::string& text, const ast::Loc& loc);

  const ast::Program& p_;
  Plan& plan_;
  std::map<std::string, const ast::Expr*> segments_;
};

std::uint16_t Planner::add_const(Value v) {
  for (std::size_t i = 0; i < plan_.constants.size(); ++i) {
    if (plan_.constants[i] == v) return static_cast<std::uint16_t>(i);
  }
  plan_.constants.push_back(std::move(v));
  return static_cast<std::uint16_t>(plan_.constants.size() - 1);
}

Result<std::optional<LocalDate>> Planner::date(const std::string& text, const ast::Loc& loc) {
  auto d = parse_date(text);
  if (!d) return at(loc, fmt::format("`{}` is not a date", text));
  return std::optional<LocalDate>(*d);
}

}  // namespace

ExprShape shape_of(const std::vector<Op>& ops) {
  auto code = [&](std::size_t i) { return ops[i].code; };
  if (ops.size() == 1 && code(0) == OpCode::kField) return ExprShape::kField;
  if (ops.size() == 1 && code(0) == OpCode::kConst) return ExprShape::kConst;
  if (ops.size() == 3 && code(0) == OpCode::kField && code(1) == OpCode::kConst &&
      code(2) >= OpCode::kEq && code(2) <= OpCode::kGe) {
    return ExprShape::kFieldCompareConst;
  }
  if (ops.size() == 4 && code(0) == OpCode::kField && code(1) == OpCode::kLevel &&
      code(2) == OpCode::kLevelAttr && code(3) == OpCode::kMul) {
    return ExprShape::kFieldTimesLevelAttr;
  }
  return ExprShape::kGeneral;
}

namespace {

Result<CompiledExpr> Planner::lower(const ast::Expr& e, const Scope& scope) {
  CompiledExpr out;
  MERIT_RETURN_IF_ERROR(emit(e, scope, out.ops, 0));
  out.text = dsl::print_expression(e);
  if (out.ops.size() > 60000) return at(e.loc, "expression too large");
  out.shape = shape_of(out.ops);
  return out;
}

Result<int> Planner::aggregate(const ast::Expr& e) {
  PlanAggregate a;
  if (e.text == "count")
    a.kind = AggregateKind::kCount;
  else if (e.text == "sum")
    a.kind = AggregateKind::kSum;
  else if (e.text == "last")
    a.kind = AggregateKind::kLast;
  else if (e.text == "first")
    a.kind = AggregateKind::kFirst;
  else
    return at(e.loc, fmt::format("unknown aggregate `{}`", e.text));
  if (e.path.empty()) return at(e.loc, "an aggregate names an event type");
  a.event = plan_.event_index(e.path[0]);
  if (a.event < 0) return at(e.loc, fmt::format("unknown event type `{}`", e.path[0]));
  if (a.kind == AggregateKind::kSum) {
    if (e.path.size() < 2) return at(e.loc, "sum(EVENT.FIELD ...) names a field");
    const auto& fields = plan_.events[static_cast<std::size_t>(a.event)].fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name == e.path[1]) a.field = static_cast<int>(i);
    }
    if (a.field < 0) return at(e.loc, fmt::format("unknown field `{}`", e.path[1]));
  }
  if (!e.args.empty()) {
    Scope inner{a.event, false};
    MERIT_ASSIGN_OR_RETURN(a.where, lower(e.args[0], inner));
  }
  if (e.within) a.within = to_dur(*e.within);
  // One aggregate per distinct (kind, event, field, where, window): the state holds each once.
  for (std::size_t i = 0; i < plan_.aggregates.size(); ++i) {
    const auto& b = plan_.aggregates[i];
    bool same_window =
        (!a.within && !b.within) || (a.within && b.within && a.within->count == b.within->count &&
                                     a.within->unit == b.within->unit);
    if (b.kind == a.kind && b.event == a.event && b.field == a.field &&
        b.where.text == a.where.text && same_window) {
      return static_cast<int>(i);
    }
  }
  plan_.aggregates.push_back(std::move(a));
  int idx = static_cast<int>(plan_.aggregates.size() - 1);
  plan_.events[static_cast<std::size_t>(plan_.aggregates.back().event)].aggregates.push_back(idx);
  return idx;
}

Result<void> Planner::emit(const ast::Expr& e, const Scope& scope, std::vector<Op>& ops,
                           int depth) {
  if (depth > 256) return at(e.loc, "expression nested too deeply");
  auto push = [&](OpCode c, std::uint16_t a = 0, std::uint16_t b = 0) { ops.push_back({c, a, b}); };
  switch (e.kind) {
    case ast::ExprKind::kNumber: {
      auto d = Decimal::parse(e.text, e.percent);
      if (!d) return at(e.loc, fmt::format("`{}` is not an exact number", e.text));
      push(OpCode::kConst, add_const(Value::number(*d)));
      return ok();
    }
    case ast::ExprKind::kString:
      push(OpCode::kConst, add_const(Value::string(e.text)));
      return ok();
    case ast::ExprKind::kBool:
      push(OpCode::kConst, add_const(Value::boolean(e.text == "true")));
      return ok();
    case ast::ExprKind::kNone:
      push(OpCode::kConst, add_const(Value::none()));
      return ok();
    case ast::ExprKind::kDate: {
      auto d = parse_date(e.text);
      if (!d) return at(e.loc, fmt::format("`{}` is not a date", e.text));
      push(OpCode::kConst, add_const(Value::date(*d)));
      return ok();
    }
    case ast::ExprKind::kDateTime: {
      auto t = parse_instant(e.text, plan_.zone);
      if (!t) return at(e.loc, t.error().message());
      push(OpCode::kConst, add_const(Value::time(*t)));
      return ok();
    }
    case ast::ExprKind::kTimeOfDay: {
      // A time of day compares as minutes since midnight (`hour(now)` gives hours).
      int h = std::atoi(e.text.c_str());
      int m = e.text.size() >= 5 ? std::atoi(e.text.c_str() + 3) : 0;
      push(OpCode::kConst, add_const(Value::number(Decimal::from_int(h * 60 + m))));
      return ok();
    }
    case ast::ExprKind::kDuration: {
      Value v;
      v.kind = Value::Kind::kDuration;
      CalDuration d = to_dur(e.duration);
      std::int64_t per = d.unit == CalendarUnit::kHour    ? kMsPerHour
                         : d.unit == CalendarUnit::kDay   ? kMsPerDay
                         : d.unit == CalendarUnit::kWeek  ? 7 * kMsPerDay
                         : d.unit == CalendarUnit::kMonth ? 30 * kMsPerDay
                                                          : 365 * kMsPerDay;
      v.i = d.count * per;
      push(OpCode::kConst, add_const(v));
      return ok();
    }
    case ast::ExprKind::kPath: {
      const auto& path = e.path;
      if (path.empty()) return at(e.loc, "empty name");
      const std::string& head = path[0];
      if (head == "event" && path.size() == 2) {
        const std::string& f = path[1];
        if (f == "id") {
          push(OpCode::kEventId);
          return ok();
        }
        if (f == "member") {
          push(OpCode::kMember);
          return ok();
        }
        if (f == "time") {
          push(OpCode::kNow);
          return ok();
        }
        if (scope.event < 0) return at(e.loc, "`event` is not available here");
        const auto& fields = plan_.events[static_cast<std::size_t>(scope.event)].fields;
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (fields[i].name == f) {
            push(OpCode::kField, static_cast<std::uint16_t>(i));
            return ok();
          }
        }
        return at(e.loc, fmt::format("event `{}` has no field `{}`",
                                     plan_.events[static_cast<std::size_t>(scope.event)].name, f));
      }
      if (head == "now" && path.size() == 1) {
        push(OpCode::kNow);
        return ok();
      }
      if (head == "level" && path.size() <= 2) {
        if (scope.level_is_from)
          push(OpCode::kField, 0);
        else
          push(OpCode::kLevel);
        if (path.size() == 2) {
          auto& names = plan_.level_attribute_names;
          auto it = std::find(names.begin(), names.end(), path[1]);
          if (it == names.end()) return at(e.loc, fmt::format("no level attribute `{}`", path[1]));
          push(OpCode::kLevelAttr, static_cast<std::uint16_t>(it - names.begin()));
        }
        return ok();
      }
      if (head == "member" && path.size() == 2) {
        // `member.tags` is the set `tag +=` / `tag -=` change, declared in `member { }` or not
        // (§4.6, §4.11; the §4 example declares it): never a separate attribute slot.
        if (path[1] == "tags") {
          push(OpCode::kTags);
          return ok();
        }
        if (path[1] == "id") {
          push(OpCode::kMember);
          return ok();
        }
        int a = plan_.attribute_index(path[1]);
        if (a < 0) return at(e.loc, fmt::format("unknown member attribute `{}`", path[1]));
        push(OpCode::kAttr, static_cast<std::uint16_t>(a));
        return ok();
      }
      if (head == "segment" && path.size() == 2) {
        auto it = segments_.find(path[1]);
        if (it == segments_.end()) return at(e.loc, fmt::format("unknown segment `{}`", path[1]));
        // Segments are inlined; aggregates inside them read the member's own history.
        return emit(*it->second, Scope{-1, false}, ops, depth + 1);
      }
      if (path.size() == 1) {
        int l = plan_.level_index(head);
        if (l >= 0) {
          push(OpCode::kConst, add_const(Value::level(l)));
          return ok();
        }
        // Bare task / reward / privilege names compare with event.task, event.reward.
        if (plan_.task_index(head) >= 0 || plan_.reward_index(head) >= 0) {
          push(OpCode::kConst, add_const(Value::string(head)));
          return ok();
        }
      }
      return at(e.loc, fmt::format("unknown name `{}`", fmt::join(path, ".")));
    }
    case ast::ExprKind::kCall: {
      static const std::pair<const char*, Function> kFns[] = {
          {"floor", Function::kFloor}, {"ceil", Function::kCeil},
          {"round", Function::kRound}, {"min", Function::kMin},
          {"max", Function::kMax},     {"abs", Function::kAbs},
          {"year", Function::kYear},   {"month", Function::kMonth},
          {"day", Function::kDay},     {"weekday", Function::kWeekday},
          {"hour", Function::kHour},   {"days_since", Function::kDaysSince}};
      for (const auto& [name, fn] : kFns) {
        if (e.text == name) {
          for (const auto& a : e.args) MERIT_RETURN_IF_ERROR(emit(a, scope, ops, depth + 1));
          push(OpCode::kCall, static_cast<std::uint16_t>(fn),
               static_cast<std::uint16_t>(e.args.size()));
          return ok();
        }
      }
      return at(e.loc, fmt::format("unknown function `{}`", e.text));
    }
    case ast::ExprKind::kAggregate: {
      MERIT_ASSIGN_OR_RETURN(int idx, aggregate(e));
      push(OpCode::kAggregate, static_cast<std::uint16_t>(idx));
      return ok();
    }
    case ast::ExprKind::kUnary: {
      if (e.args.size() != 1) return at(e.loc, "a unary operator takes one operand");
      MERIT_RETURN_IF_ERROR(emit(e.args[0], scope, ops, depth + 1));
      push(e.text == "not" ? OpCode::kNot : OpCode::kNeg);
      return ok();
    }
    case ast::ExprKind::kBinary: {
      if (e.args.size() != 2) return at(e.loc, "a binary operator takes two operands");
      if (e.text == "and" || e.text == "or") {
        MERIT_RETURN_IF_ERROR(emit(e.args[0], scope, ops, depth + 1));
        std::size_t jump = ops.size();
        push(e.text == "and" ? OpCode::kAndJump : OpCode::kOrJump);
        MERIT_RETURN_IF_ERROR(emit(e.args[1], scope, ops, depth + 1));
        ops[jump].a = static_cast<std::uint16_t>(ops.size());
        return ok();
      }
      MERIT_RETURN_IF_ERROR(emit(e.args[0], scope, ops, depth + 1));
      MERIT_RETURN_IF_ERROR(emit(e.args[1], scope, ops, depth + 1));
      static const std::pair<const char*, OpCode> kOps[] = {
          {"+", OpCode::kAdd}, {"-", OpCode::kSub}, {"*", OpCode::kMul}, {"/", OpCode::kDiv},
          {"==", OpCode::kEq}, {"!=", OpCode::kNe}, {"<", OpCode::kLt},  {"<=", OpCode::kLe},
          {">", OpCode::kGt},  {">=", OpCode::kGe}, {"in", OpCode::kIn}};
      for (const auto& [name, code] : kOps) {
        if (e.text == name) {
          if (code == OpCode::kDiv) plan_.may_fail = true;
          push(code);
          return ok();
        }
      }
      return at(e.loc, fmt::format("unknown operator `{}`", e.text));
    }
  }
  return at(e.loc, "unknown expression");
}

Result<PlanStmt> Planner::lower_stmt(const ast::Stmt& s, const Scope& scope) {
  PlanStmt out;
  switch (s.kind) {
    case ast::StmtKind::kPointsAdd:
      out.op = StmtOp::kPointsAdd;
      break;
    case ast::StmtKind::kPointsSub:
      out.op = StmtOp::kPointsSub;
      break;
    case ast::StmtKind::kPointsMul:
      out.op = StmtOp::kPointsMul;
      break;
    case ast::StmtKind::kGrowthAdd:
      out.op = StmtOp::kGrowthAdd;
      break;
    case ast::StmtKind::kGrowthSub:
      out.op = StmtOp::kGrowthSub;
      break;
    case ast::StmtKind::kGrowthMul:
      out.op = StmtOp::kGrowthMul;
      break;
    case ast::StmtKind::kGrant:
      out.op = StmtOp::kGrant;
      break;
    case ast::StmtKind::kTagAdd:
      out.op = StmtOp::kTagAdd;
      break;
    case ast::StmtKind::kTagSub:
      out.op = StmtOp::kTagSub;
      break;
    case ast::StmtKind::kReverse:
      out.op = StmtOp::kReverse;
      break;
    case ast::StmtKind::kIf:
      out.op = StmtOp::kIf;
      break;
  }
  if (s.kind == ast::StmtKind::kGrant) {
    out.target = plan_.privilege_index(s.target.name);
    if (out.target < 0)
      return at(s.target.loc, fmt::format("unknown privilege `{}`", s.target.name));
    out.count = s.count.value_or(1);
    if (s.valid) out.valid = to_dur(*s.valid);
    return out;
  }
  if (s.kind == ast::StmtKind::kReverse) {
    out.target = plan_.event_index(s.target.name);
    if (out.target < 0 || plan_.events[static_cast<std::size_t>(out.target)].pseudo) {
      return at(s.target.loc, fmt::format("unknown event type `{}`", s.target.name));
    }
    auto& ev = plan_.events[static_cast<std::size_t>(out.target)];
    for (std::size_t i = 0; i < ev.fields.size(); ++i) {
      if (ev.fields[i].name == s.field.name) out.field = static_cast<int>(i);
    }
    if (out.field < 0)
      return at(s.field.loc, fmt::format("event `{}` has no field `{}`", ev.name, s.field.name));
    if (ev.reverse_field >= 0 && ev.reverse_field != out.field) {
      return at(s.field.loc,
                fmt::format("events `{}` are reversed by two different fields; use one", ev.name));
    }
    ev.reverse_field = out.field;
  }
  MERIT_ASSIGN_OR_RETURN(out.value, lower(s.value, scope));
  if (s.expire) out.expire = to_expiry(*s.expire);
  if (s.pending) {
    out.pending = to_dur(*s.pending);
    plan_.has_pending = true;
  }
  if (s.kind == ast::StmtKind::kIf) {
    MERIT_ASSIGN_OR_RETURN(out.then_body, lower_body(s.then_body, scope));
    MERIT_ASSIGN_OR_RETURN(out.else_body, lower_body(s.else_body, scope));
  }
  return out;
}

Result<std::vector<PlanStmt>> Planner::lower_body(const std::vector<ast::Stmt>& body,
                                                  const Scope& scope) {
  std::vector<PlanStmt> out;
  out.reserve(body.size());
  for (const auto& s : body) {
    MERIT_ASSIGN_OR_RETURN(auto st, lower_stmt(s, scope));
    out.push_back(std::move(st));
  }
  return out;
}

Result<void> Planner::declare() {
  plan_.program_id = p_.program.id.name;
  plan_.program_name = p_.program.name.value_or("");
  plan_.currency = p_.program.currency.value_or("");
  auto zone = Zone::find(p_.program.timezone.value_or("UTC"));
  if (!zone) return zone.error();
  plan_.zone = *zone;

  for (const auto& ev : p_.events) {
    PlanEvent pe;
    pe.name = ev.id.name;
    for (const auto& f : ev.fields) {
      auto t = parse_field_type(f.type);
      if (!t) return at(f.type_loc, fmt::format("unknown type `{}`", f.type));
      pe.fields.push_back({f.name.name, *t});
    }
    plan_.events.push_back(std::move(pe));
  }
  plan_.declared_events = static_cast<int>(plan_.events.size());
  auto pseudo = [&](const char* name, std::vector<PlanField> fields) {
    PlanEvent pe;
    pe.name = name;
    pe.pseudo = true;
    pe.fields = std::move(fields);
    plan_.events.push_back(std::move(pe));
  };
  pseudo("join", {});
  pseudo("level_up", {{"from", FieldType::kLevel}, {"to", FieldType::kLevel}});
  pseudo("level_down", {{"from", FieldType::kLevel}, {"to", FieldType::kLevel}});
  pseudo("task_done", {{"task", FieldType::kString}});
  pseudo("reward_redeemed", {{"reward", FieldType::kString}, {"quantity", FieldType::kInt}});

  if (p_.member) {
    for (const auto& f : p_.member->fields) {
      auto t = parse_field_type(f.type);
      if (!t) return at(f.type_loc, fmt::format("unknown type `{}`", f.type));
      plan_.attributes.push_back({f.name.name, *t});
    }
  }

  if (p_.points) {
    if (p_.points->expire) plan_.default_expiry = to_expiry(*p_.points->expire);
    if (p_.points->cap) plan_.cap = to_limit(*p_.points->cap);
    if (p_.points->pending) {
      plan_.pending = to_dur(*p_.points->pending);
      plan_.has_pending = true;
    }
    plan_.allow_negative = p_.points->allow_negative;
  }
  if (p_.growth && p_.growth->window) plan_.growth_window = to_dur(*p_.growth->window);

  if (p_.levels && !p_.levels->levels.empty()) {
    const auto& lv = *p_.levels;
    for (const auto& l : lv.levels) {
      plan_.levels.push_back({l.id.name, l.name.value_or(""), l.from, l.keep.value_or(l.from)});
      for (const auto& a : l.attributes) {
        auto& names = plan_.level_attribute_names;
        if (std::find(names.begin(), names.end(), a.name.name) == names.end()) {
          names.push_back(a.name.name);
        }
      }
    }
    // Inheritance: a level takes every attribute of the level below unless it sets its own.
    std::vector<Value> current(plan_.level_attribute_names.size());
    for (const auto& l : lv.levels) {
      for (const auto& a : l.attributes) {
        auto& names = plan_.level_attribute_names;
        auto idx = static_cast<std::size_t>(std::find(names.begin(), names.end(), a.name.name) -
                                            names.begin());
        if (a.value.kind == ast::ExprKind::kNumber) {
          auto d = Decimal::parse(a.value.text, a.value.percent);
          if (!d) return at(a.loc, fmt::format("`{}` is not an exact number", a.value.text));
          current[idx] = Value::number(*d);
        } else if (a.value.kind == ast::ExprKind::kString) {
          current[idx] = Value::string(a.value.text);
        } else {
          return at(a.loc, "a level attribute is a number or a string");
        }
      }
      plan_.level_attributes.push_back(current);
    }
    if (lv.review) {
      if (lv.review->kind == ast::ReviewKind::kYearly)
        plan_.review_every = CalDuration{1, CalendarUnit::kYear};
      else
        plan_.review_every = to_dur(lv.review->every);
    }
    if (lv.downgrade == ast::Downgrade::kQualified) plan_.downgrade = DowngradeMode::kQualified;
  } else {
    plan_.levels.push_back({"base", "", 0, 0});
    plan_.level_attributes.push_back({});
  }

  for (const auto& pv : p_.privileges) {
    PlanPrivilege pp;
    pp.id = pv.id.name;
    pp.name = pv.name.value_or("");
    if (pv.quota) pp.quota = to_limit(*pv.quota);
    plan_.privileges.push_back(std::move(pp));
  }
  for (const auto& rw : p_.rewards) {
    PlanReward pr;
    pr.id = rw.id.name;
    pr.name = rw.name.value_or("");
    pr.cost = rw.cost;
    pr.stock = rw.stock;
    if (rw.limit) pr.limit = to_limit(*rw.limit);
    plan_.rewards.push_back(std::move(pr));
  }
  for (const auto& t : p_.tasks) {
    PlanTask pt;
    pt.id = t.id.name;
    plan_.tasks.push_back(std::move(pt));
  }
  for (const auto& s : p_.segments) {
    segments_[s.id.name] = &s.when;
    plan_.segments.push_back(s.id.name);
  }
  return ok();
}

Result<void> Planner::run() {
  MERIT_RETURN_IF_ERROR(declare());
  auto event_of = [&](const ast::Ident& on) -> Result<int> {
    int e = plan_.event_index(on.name);
    if (e < 0) return at(on.loc, fmt::format("unknown event type `{}`", on.name));
    return e;
  };
  auto scope_of = [&](int e) {
    Scope s{e, false};
    if (e == plan_.declared_events + kLevelUp || e == plan_.declared_events + kLevelDown) {
      s.level_is_from = true;
    }
    return s;
  };

  for (const auto& r : p_.rules) {
    PlanRule pr;
    pr.id = r.id.name;
    pr.name = r.name.value_or("");
    MERIT_ASSIGN_OR_RETURN(pr.event, event_of(r.on));
    Scope sc = scope_of(pr.event);
    if (r.when) {
      MERIT_ASSIGN_OR_RETURN(pr.when, lower(*r.when, sc));
    }
    MERIT_ASSIGN_OR_RETURN(pr.body, lower_body(r.body, sc));
    plan_.events[static_cast<std::size_t>(pr.event)].rules.push_back(
        static_cast<int>(plan_.rules.size()));
    plan_.rules.push_back(std::move(pr));
  }

  for (const auto& pk : p_.packages) {
    PlanPackage pp;
    pp.id = pk.id.name;
    pp.name = pk.name.value_or("");
    if (pk.for_) {
      MERIT_ASSIGN_OR_RETURN(pp.for_, lower(*pk.for_, Scope{}));
    }
    if (pk.available_after_join) pp.after_join = to_dur(*pk.available_after_join);
    if (pk.during) {
      MERIT_ASSIGN_OR_RETURN(pp.during_from, date(pk.during->from, pk.during->loc));
      MERIT_ASSIGN_OR_RETURN(pp.during_to, date(pk.during->to, pk.during->loc));
    }
    plan_.packages.push_back(std::move(pp));
  }

  for (std::size_t i = 0; i < p_.tasks.size(); ++i) {
    const auto& t = p_.tasks[i];
    PlanTask& pt = plan_.tasks[i];
    pt.name = t.name.value_or("");
    if (t.in) {
      for (std::size_t k = 0; k < plan_.packages.size(); ++k) {
        if (plan_.packages[k].id == t.in->name) pt.package = static_cast<int>(k);
      }
      if (pt.package < 0) return at(t.in->loc, fmt::format("unknown package `{}`", t.in->name));
    }
    MERIT_ASSIGN_OR_RETURN(pt.event, event_of(t.on));
    Scope sc = scope_of(pt.event);
    if (t.when) {
      MERIT_ASSIGN_OR_RETURN(pt.when, lower(*t.when, sc));
    }
    switch (t.goal.kind) {
      case ast::GoalKind::kNone:
        pt.goal = GoalMode::kNone;
        pt.count = 1;
        break;
      case ast::GoalKind::kCount:
        pt.goal = GoalMode::kCount;
        pt.count = t.goal.count;
        break;
      case ast::GoalKind::kStreak:
        pt.goal = GoalMode::kStreak;
        pt.count = t.goal.count;
        break;
      case ast::GoalKind::kSum: {
        pt.goal = GoalMode::kSum;
        MERIT_ASSIGN_OR_RETURN(pt.sum, lower(t.goal.sum, sc));
        auto d = Decimal::parse(t.goal.reaches.text, t.goal.reaches.percent);
        if (!d) return at(t.goal.loc, "the target of `reaches` is a number");
        pt.reaches = *d;
        break;
      }
    }
    if (t.goal.within) pt.within = to_dur(*t.goal.within);
    switch (t.repeat.value_or(ast::RepeatKind::kOnce)) {
      case ast::RepeatKind::kOnce:
        pt.repeat = RepeatMode::kOnce;
        break;
      case ast::RepeatKind::kAlways:
        pt.repeat = RepeatMode::kAlways;
        break;
      case ast::RepeatKind::kDaily:
        pt.repeat = RepeatMode::kDaily;
        break;
      case ast::RepeatKind::kWeekly:
        pt.repeat = RepeatMode::kWeekly;
        break;
      case ast::RepeatKind::kMonthly:
        pt.repeat = RepeatMode::kMonthly;
        break;
      case ast::RepeatKind::kYearly:
        pt.repeat = RepeatMode::kYearly;
        break;
    }
    MERIT_ASSIGN_OR_RETURN(pt.body, lower_body(t.body, sc));
    plan_.events[static_cast<std::size_t>(pt.event)].tasks.push_back(static_cast<int>(i));
  }

  for (const auto& c : p_.campaigns) {
    PlanCampaign pc;
    pc.id = c.id.name;
    pc.name = c.name.value_or("");
    Scope sc{};
    if (c.on) {
      MERIT_ASSIGN_OR_RETURN(pc.event, event_of(*c.on));
      if (plan_.events[static_cast<std::size_t>(pc.event)].pseudo) {
        return at(c.on->loc, "a campaign applies to declared events, never to pseudo-events");
      }
      sc.event = pc.event;
    }
    if (c.every) {
      switch (c.every->kind) {
        case ast::RecurKind::kMonthDay:
          pc.schedule = ScheduleMode::kMonthDay;
          pc.month_day = static_cast<int>(c.every->day);
          break;
        case ast::RecurKind::kWeekday:
          pc.schedule = ScheduleMode::kWeekday;
          pc.weekday = static_cast<int>(c.every->weekday);
          break;
        case ast::RecurKind::kDailyHours: {
          pc.schedule = ScheduleMode::kDailyHours;
          auto minutes = [](const std::string& hm) {
            return std::atoi(hm.c_str()) * 60 + (hm.size() >= 5 ? std::atoi(hm.c_str() + 3) : 0);
          };
          pc.from_minute = minutes(c.every->from);
          pc.to_minute = minutes(c.every->to);
          break;
        }
      }
    }
    if (c.during) {
      MERIT_ASSIGN_OR_RETURN(pc.during_from, date(c.during->from, c.during->loc));
      MERIT_ASSIGN_OR_RETURN(pc.during_to, date(c.during->to, c.during->loc));
    }
    if (c.for_) {
      MERIT_ASSIGN_OR_RETURN(pc.for_, lower(*c.for_, sc));
    }
    pc.budget = c.budget;
    for (const auto& s : c.body) {
      if (s.kind == ast::StmtKind::kPointsMul) {
        MERIT_ASSIGN_OR_RETURN(auto e, lower(s.value, sc));
        pc.points_mul.push_back(std::move(e));
      } else if (s.kind == ast::StmtKind::kGrowthMul) {
        MERIT_ASSIGN_OR_RETURN(auto e, lower(s.value, sc));
        pc.growth_mul.push_back(std::move(e));
      } else {
        MERIT_ASSIGN_OR_RETURN(auto st, lower_stmt(s, sc));
        pc.bonus.push_back(std::move(st));
      }
    }
    int idx = static_cast<int>(plan_.campaigns.size());
    if (pc.event >= 0) {
      plan_.events[static_cast<std::size_t>(pc.event)].campaigns.push_back(idx);
    } else {
      for (int e = 0; e < plan_.declared_events; ++e) {
        plan_.events[static_cast<std::size_t>(e)].campaigns.push_back(idx);
      }
    }
    plan_.campaigns.push_back(std::move(pc));
  }

  for (std::size_t i = 0; i < p_.privileges.size(); ++i) {
    if (p_.privileges[i].for_) {
      MERIT_ASSIGN_OR_RETURN(plan_.privileges[i].for_, lower(*p_.privileges[i].for_, Scope{}));
    }
  }
  int redeemed = plan_.declared_events + kRewardRedeemed;
  for (std::size_t i = 0; i < p_.rewards.size(); ++i) {
    if (p_.rewards[i].for_) {
      MERIT_ASSIGN_OR_RETURN(plan_.rewards[i].for_, lower(*p_.rewards[i].for_, Scope{}));
    }
    MERIT_ASSIGN_OR_RETURN(plan_.rewards[i].body,
                           lower_body(p_.rewards[i].body, Scope{redeemed, false}));
  }
  return ok();
}

// Whether evaluating `e` can fail at run time (internal::eval's errors): arithmetic can leave the
// range of numbers or divide by zero, a function can get values it cannot use, and a very long
// expression can overflow the evaluator's stack of 64. Loads, comparisons and logic cannot fail.
bool can_fail(const CompiledExpr& e) {
  if (e.ops.size() >= 60) return true;
  for (const Op& op : e.ops) {
    switch (op.code) {
      case OpCode::kCall:
      case OpCode::kNeg:
      case OpCode::kAdd:
      case OpCode::kSub:
      case OpCode::kMul:
      case OpCode::kDiv:
        return true;
      default:
        break;
    }
  }
  return false;
}

bool can_fail(const std::vector<PlanStmt>& body) {
  for (const auto& s : body) {
    if (can_fail(s.value) || can_fail(s.then_body) || can_fail(s.else_body)) return true;
  }
  return false;
}

// Plan::may_fail_late: what an event evaluates after its first award (Run::event, steps 6-8).
bool may_fail_late(const Plan& plan) {
  for (const auto& t : plan.tasks) {
    if (can_fail(t.when) || can_fail(t.sum) || can_fail(t.body)) return true;
  }
  for (const auto& p : plan.packages) {
    if (can_fail(p.for_)) return true;
  }
  for (const auto& c : plan.campaigns) {
    if (can_fail(c.bonus)) return true;
  }
  for (const auto& r : plan.rules) {
    if (r.event < 0 || !plan.events[static_cast<std::size_t>(r.event)].pseudo) continue;
    if (can_fail(r.when) || can_fail(r.body)) return true;
  }
  return false;
}

}  // namespace

Result<std::shared_ptr<const Plan>> build_plan(const ast::Program& program, std::string version) {
  auto plan = std::make_shared<Plan>();
  plan->version = std::move(version);
  if (plan->version.empty()) plan->version = program.program.id.name;
  Planner planner(program, *plan);
  MERIT_RETURN_IF_ERROR(planner.run());
  plan->may_fail_late = may_fail_late(*plan);
  return std::shared_ptr<const Plan>(std::move(plan));
}

}  // namespace merit::engine
