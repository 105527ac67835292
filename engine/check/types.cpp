// Types (LANGUAGE.md §3, §4.11) and statements (§4.6, §4.8): resolves every name an expression
// reads (event fields, member and level attributes, levels, segments, functions, aggregates),
// works out each expression's type, and checks where each statement may stand.
#include <fmt/format.h>

#include "engine/check/internal.hpp"

namespace merit::engine::check_internal {
namespace {

bool is_comparison(std::string_view op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}
bool is_arithmetic(std::string_view op) { return op == "+" || op == "-" || op == "*" || op == "/"; }

// Types that compare with each other: numbers, instants (a date stands for its first instant in
// the program zone), and otherwise only the same type.
int comparison_class(Type t) {
  switch (t) {
    case Type::kInt:
    case Type::kDecimal:
    case Type::kMoney:
      return 1;
    case Type::kDate:
    case Type::kTime:
      return 2;
    default:
      return 10 + static_cast<int>(t);
  }
}
bool is_ordered(Type t) {
  return is_number(t) || t == Type::kDate || t == Type::kTime || t == Type::kDuration ||
         t == Type::kLevel || t == Type::kTimeOfDay;
}

Type literal_type(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kNumber:
      return (e.percent || e.text.find('.') != std::string::npos) ? Type::kDecimal : Type::kInt;
    case ast::ExprKind::kString:
      return Type::kString;
    case ast::ExprKind::kBool:
      return Type::kBool;
    case ast::ExprKind::kNone:
      return Type::kNone;
    case ast::ExprKind::kDate:
      return Type::kDate;
    case ast::ExprKind::kDateTime:
      return Type::kTime;
    case ast::ExprKind::kTimeOfDay:
      return Type::kTimeOfDay;
    case ast::ExprKind::kDuration:
      return Type::kDuration;
    default:
      return Type::kError;
  }
}

struct Function {
  std::string_view name;
  std::size_t min_args;
  std::size_t max_args;  // 0: no maximum
  enum class Arg : std::uint8_t { kNumber, kCalendar, kTime } arg;
};
constexpr Function kFunctions[] = {
    {"floor", 1, 1, Function::Arg::kNumber},  {"ceil", 1, 1, Function::Arg::kNumber},
    {"round", 1, 1, Function::Arg::kNumber},  {"min", 2, 0, Function::Arg::kNumber},
    {"max", 2, 0, Function::Arg::kNumber},    {"abs", 1, 1, Function::Arg::kNumber},
    {"year", 1, 1, Function::Arg::kCalendar}, {"month", 1, 1, Function::Arg::kCalendar},
    {"day", 1, 1, Function::Arg::kCalendar},  {"weekday", 1, 1, Function::Arg::kCalendar},
    {"hour", 1, 1, Function::Arg::kTime},     {"days_since", 1, 1, Function::Arg::kCalendar},
};

Type join_numbers(Type a, Type b) {
  if (a == Type::kMoney || b == Type::kMoney) return Type::kMoney;
  if (a == Type::kDecimal || b == Type::kDecimal) return Type::kDecimal;
  return Type::kInt;
}

class TypeChecker {
 public:
  explicit TypeChecker(Checker& c) : c_(c) {}

  Type expr(const ast::Expr& e, const Scope& s);
  // A condition (`when`, `if`, `for`, `where`) must be a bool.
  void condition(const ast::Expr& e, const Scope& s, std::string_view what);
  void body(const std::vector<ast::Stmt>& stmts, const Scope& s, Place place);

  std::string current_segment;  // while checking a segment's `when`: self-reads are not uses

 private:
  Type path(const ast::Expr& e, const Scope& s);
  Type event_field(const ast::Expr& e, const Scope& s);
  Type call(const ast::Expr& e, const Scope& s);
  Type aggregate(const ast::Expr& e, const Scope& s);
  Type binary(const ast::Expr& e, const Scope& s);
  void check_named_string(const ast::Expr& field, const ast::Expr& literal, const Scope& s);
  void number(const ast::Expr& e, const Scope& s, std::string_view what);
  void stmt(const ast::Stmt& st, const Scope& s, Place place);

  Checker& c_;
};

Type TypeChecker::expr(const ast::Expr& e, const Scope& s) {
  switch (e.kind) {
    case ast::ExprKind::kPath:
      return path(e, s);
    case ast::ExprKind::kCall:
      return call(e, s);
    case ast::ExprKind::kAggregate:
      return aggregate(e, s);
    case ast::ExprKind::kUnary: {
      if (e.args.empty()) return Type::kError;
      Type t = expr(e.args[0], s);
      if (e.text == "not") {
        if (t != Type::kBool && t != Type::kError) {
          c_.error(e.args[0].loc, "type-mismatch",
                   fmt::format("`not` needs a bool, not {}", type_name(t)));
        }
        return Type::kBool;
      }
      if (!is_number(t) && t != Type::kError) {
        c_.error(e.args[0].loc, "type-mismatch",
                 fmt::format("`-` needs a number, not {}", type_name(t)));
        return Type::kError;
      }
      return t;
    }
    case ast::ExprKind::kBinary:
      return binary(e, s);
    default: {
      if (e.kind == ast::ExprKind::kDuration) {
        check_duration(c_, e.duration, "a duration", false);
      }
      return literal_type(e);
    }
  }
}

void TypeChecker::condition(const ast::Expr& e, const Scope& s, std::string_view what) {
  Type t = expr(e, s);
  if (t != Type::kBool && t != Type::kError) {
    c_.error(e.loc, "type-mismatch",
             fmt::format("{} must be a bool (a condition), not {}", what, type_name(t)));
  }
}

void TypeChecker::number(const ast::Expr& e, const Scope& s, std::string_view what) {
  Type t = expr(e, s);
  if (!is_number(t) && t != Type::kError) {
    c_.error(e.loc, "type-mismatch", fmt::format("{} needs a number, not {}", what, type_name(t)));
  }
}

Type TypeChecker::path(const ast::Expr& e, const Scope& s) {
  const auto& p = e.path;
  if (p.empty()) return Type::kError;
  if (p.size() == 1) {
    const std::string& name = p[0];
    if (name == "now") return Type::kTime;
    if (name == "level") return Type::kLevel;
    if (c_.level_index.count(name) != 0) return Type::kLevel;
    if (name == "event" || name == "member" || name == "segment") {
      c_.error(e.loc, "unknown-name",
               fmt::format("`{}` needs a name after it: `{}.NAME`", name, name));
      return Type::kError;
    }
    std::vector<std::string> candidates = c_.levels;
    candidates.push_back("now");
    candidates.push_back("level");
    if (c_.levels.empty()) {
      c_.unknown(e.loc, "unknown-name",
                 fmt::format("unknown name `{}` (the program declares no levels)", name), name,
                 candidates);
    } else {
      c_.unknown(e.loc, "unknown-level", fmt::format("unknown level `{}`", name), name, candidates);
    }
    return Type::kError;
  }
  if (p.size() > 2) {
    std::string joined = p[0];
    for (std::size_t i = 1; i < p.size(); ++i) joined += "." + p[i];
    c_.error(e.loc, "unknown-name",
             fmt::format("`{}` is not a name; expected event.FIELD, member.ATTRIBUTE, "
                         "level.ATTRIBUTE or segment.ID",
                         joined));
    return Type::kError;
  }
  const std::string& head = p[0];
  const std::string& name = p[1];
  ast::Loc at = path_part_loc(e, 1);
  if (head == "event") return event_field(e, s);
  if (head == "member") {
    if (const Field* f = c_.find_member_field(name)) return f->type;
    std::vector<std::string> names;
    for (const Field& f : c_.member_fields) names.push_back(f.name);
    c_.unknown(at, "unknown-attribute", fmt::format("unknown member attribute `{}`", name), name,
               names);
    return Type::kError;
  }
  if (head == "level") {
    auto it = c_.level_attrs.find(name);
    if (it == c_.level_attrs.end()) {
      if (c_.levels.empty()) {
        c_.error(at, "unknown-attribute",
                 fmt::format("unknown level attribute `{}`: the program declares no levels", name));
      } else {
        c_.unknown(at, "unknown-attribute", fmt::format("unknown level attribute `{}`", name), name,
                   c_.level_attr_names);
      }
      return Type::kError;
    }
    if (!it->second.on_lowest) {
      c_.error(at, "level-attribute",
               fmt::format("level attribute `{}` is not set on the lowest level `{}`; levels "
                           "inherit upward, so a member at `{}` would have no value: set it there",
                           name, c_.levels.front(), c_.levels.front()));
    }
    return it->second.type;
  }
  if (head == "segment") {
    if (!c_.segments.contains(name)) {
      c_.unknown(at, "unknown-segment", fmt::format("unknown segment `{}`", name), name,
                 c_.segments.names);
      return Type::kError;
    }
    if (name != current_segment) c_.used_segments.insert(name);
    return Type::kBool;
  }
  if (c_.find_event(head) != nullptr) {
    c_.error(e.loc, "unknown-name",
             fmt::format("`{}.{}`: the current event's fields are read as `event.{}`; another "
                         "event's history through count(), sum(), last() or first()",
                         head, name, name));
    return Type::kError;
  }
  c_.unknown(e.loc, "unknown-name", fmt::format("unknown name `{}`", head), head,
             {"event", "member", "level", "segment"});
  return Type::kError;
}

Type TypeChecker::event_field(const ast::Expr& e, const Scope& s) {
  const std::string& name = e.path[1];
  if (s.event == nullptr) {
    if (!s.event_unresolved) {
      c_.error(e.loc, "no-event",
               fmt::format("`event.{}` cannot be read in {}: it is not evaluated for one event",
                           name, s.where));
    }
    return Type::kError;
  }
  if (const Field* f = s.event->find(name)) return f->type;
  ast::Loc at = path_part_loc(e, 1);
  if (c_.every_event && s.event == &*c_.every_event) {
    c_.unknown(at, "unknown-field",
               fmt::format("`{}` is not a field of every declared event; a campaign without `on` "
                           "reads only the fields all events share",
                           name),
               name, s.event->field_names());
  } else {
    c_.unknown(at, "unknown-field",
               fmt::format("unknown field `{}` of event `{}`", name, s.event->name), name,
               s.event->field_names());
  }
  return Type::kError;
}

Type TypeChecker::call(const ast::Expr& e, const Scope& s) {
  const Function* fn = nullptr;
  for (const Function& f : kFunctions) {
    if (f.name == e.text) fn = &f;
  }
  std::vector<Type> args;
  for (const ast::Expr& a : e.args) args.push_back(expr(a, s));
  if (fn == nullptr) {
    std::vector<std::string> names;
    for (const Function& f : kFunctions) names.emplace_back(f.name);
    c_.unknown(e.loc, "unknown-function", fmt::format("unknown function `{}`", e.text), e.text,
               names);
    return Type::kError;
  }
  if (args.size() < fn->min_args || (fn->max_args != 0 && args.size() > fn->max_args)) {
    std::string want = fn->max_args == 0   ? fmt::format("at least {} arguments", fn->min_args)
                       : fn->min_args == 1 ? std::string("1 argument")
                                           : fmt::format("{} arguments", fn->min_args);
    c_.error(e.loc, "arguments", fmt::format("`{}` takes {}, not {}", fn->name, want, args.size()));
    return Type::kError;
  }
  Type result = Type::kInt;
  bool first = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    Type t = args[i];
    if (t == Type::kError) return Type::kError;
    bool ok = fn->arg == Function::Arg::kNumber     ? is_number(t)
              : fn->arg == Function::Arg::kCalendar ? (t == Type::kDate || t == Type::kTime)
                                                    : t == Type::kTime;
    if (!ok) {
      const char* want = fn->arg == Function::Arg::kNumber     ? "a number"
                         : fn->arg == Function::Arg::kCalendar ? "a date or a time"
                                                               : "a time";
      c_.error(e.args[i].loc, "type-mismatch",
               fmt::format("`{}` needs {}, not {}", fn->name, want, type_name(t)));
      return Type::kError;
    }
    if (fn->name == "abs" || fn->name == "min" || fn->name == "max") {
      result = first ? t : join_numbers(result, t);
      first = false;
    }
  }
  return result;
}

Type TypeChecker::aggregate(const ast::Expr& e, const Scope& /*outer*/) {
  if (e.path.empty()) return Type::kError;
  const std::string& event = e.path[0];
  ast::Loc at = e.loc;
  at.col += static_cast<std::uint32_t>(e.text.size() + 1);  // past `count(`
  if (e.within) check_duration(c_, *e.within, "an aggregate's window", false);
  const EventInfo* info = c_.find_event(event);
  if (info == nullptr) {
    c_.unknown(at, "unknown-event", fmt::format("unknown event type `{}`", event), event,
               c_.declared_events);
    return Type::kError;
  }
  if (info->pseudo) {
    c_.error(at, "pseudo-event",
             fmt::format("`{}()` reads the member's own declared events; `{}` is raised by the "
                         "engine",
                         e.text, event));
    return Type::kError;
  }
  Scope inner;
  inner.event = info;
  if (!e.args.empty()) {
    condition(e.args[0], inner, fmt::format("the `where` of `{}({} ...)`", e.text, event));
  }
  if (e.text == "count") return Type::kInt;
  if (e.text == "last" || e.text == "first") return Type::kTime;
  // sum(EVENT.FIELD within D)
  if (e.path.size() < 2) {
    c_.error(e.loc, "unknown-field",
             fmt::format("`sum` needs a field to add up: `sum({}.FIELD within ...)`", event));
    return Type::kError;
  }
  const std::string& field = e.path[1];
  ast::Loc field_at = at;
  field_at.col += static_cast<std::uint32_t>(event.size() + 1);
  const Field* f = info->find(field);
  if (f == nullptr) {
    c_.unknown(field_at, "unknown-field",
               fmt::format("unknown field `{}` of event `{}`", field, event), field,
               info->field_names());
    return Type::kError;
  }
  if (!is_number(f->type) && f->type != Type::kError) {
    c_.error(field_at, "type-mismatch",
             fmt::format("`sum` adds up numbers; `{}.{}` is {}", event, field, type_name(f->type)));
    return Type::kError;
  }
  return f->type;
}

// `event.task == "first_purchase"`: a task_done rule compares with a task's id; a typo there would
// silently never match, so the string must name a declared task (reward ids likewise).
void TypeChecker::check_named_string(const ast::Expr& field, const ast::Expr& literal,
                                     const Scope& s) {
  if (s.event == nullptr || field.kind != ast::ExprKind::kPath || field.path.size() != 2 ||
      field.path[0] != "event" || literal.kind != ast::ExprKind::kString) {
    return;
  }
  if (s.event->name == "task_done" && field.path[1] == "task" && !c_.tasks.contains(literal.text)) {
    c_.unknown(literal.loc, "unknown-task", fmt::format("unknown task `{}`", literal.text),
               literal.text, c_.tasks.names);
  }
  if (s.event->name == "reward_redeemed" && field.path[1] == "reward" &&
      !c_.rewards.contains(literal.text)) {
    c_.unknown(literal.loc, "unknown-reward", fmt::format("unknown reward `{}`", literal.text),
               literal.text, c_.rewards.names);
  }
}

Type TypeChecker::binary(const ast::Expr& e, const Scope& s) {
  if (e.args.size() != 2) return Type::kError;
  const ast::Expr& lhs = e.args[0];
  const ast::Expr& rhs = e.args[1];
  Type a = expr(lhs, s);
  Type b = expr(rhs, s);
  const std::string& op = e.text;
  if (op == "and" || op == "or") {
    for (const auto& [side, t] : {std::pair{&lhs, a}, std::pair{&rhs, b}}) {
      if (t != Type::kBool && t != Type::kError) {
        c_.error(side->loc, "type-mismatch",
                 fmt::format("`{}` needs a bool on each side, not {}", op, type_name(t)));
      }
    }
    return Type::kBool;
  }
  if (op == "in") {
    if ((a != Type::kString && a != Type::kNone && a != Type::kError) ||
        (b != Type::kStringSet && b != Type::kError)) {
      c_.error(e.loc, "type-mismatch",
               fmt::format("`in` tests whether a string is in a set<string> (\"vip\" in "
                           "member.tags), not {} in {}",
                           type_name(a), type_name(b)));
    }
    return Type::kBool;
  }
  if (is_comparison(op)) {
    if (op == "==" || op == "!=") {
      check_named_string(lhs, rhs, s);
      check_named_string(rhs, lhs, s);
    }
    if (a == Type::kError || b == Type::kError || a == Type::kNone || b == Type::kNone) {
      return Type::kBool;
    }
    if (comparison_class(a) != comparison_class(b)) {
      // `event.to == "V3"`: the level written as a string.
      const ast::Expr* str = a == Type::kString ? &lhs : b == Type::kString ? &rhs : nullptr;
      if ((a == Type::kLevel || b == Type::kLevel) && str != nullptr &&
          str->kind == ast::ExprKind::kString && c_.level_index.count(str->text) != 0) {
        c_.error(e.loc, "type-mismatch",
                 fmt::format("cannot compare a level with a string; write the level without "
                             "quotes: `{}`",
                             str->text));
      } else {
        c_.error(e.loc, "type-mismatch",
                 fmt::format("cannot compare {} with {}", type_name(a), type_name(b)));
      }
      return Type::kBool;
    }
    if (op != "==" && op != "!=" && !is_ordered(a)) {
      c_.error(e.loc, "type-mismatch",
               fmt::format("`{}` does not order {} values; use == or !=", op, type_name(a)));
    }
    if ((op == "==" || op == "!=") && a == Type::kStringSet) {
      c_.error(e.loc, "type-mismatch",
               "sets are not compared; test membership with `in` (\"vip\" in member.tags)");
    }
    return Type::kBool;
  }
  if (is_arithmetic(op)) {
    if (a == Type::kError || b == Type::kError) return Type::kError;
    if (!is_number(a) || !is_number(b)) {
      c_.error(
          e.loc, "type-mismatch",
          fmt::format("`{}` works on numbers, not {} {} {}", op, type_name(a), op, type_name(b)));
      return Type::kError;
    }
    if (op == "/") {
      if (a == Type::kMoney && b != Type::kMoney) return Type::kMoney;
      return Type::kDecimal;
    }
    return join_numbers(a, b);
  }
  return Type::kError;
}

void TypeChecker::body(const std::vector<ast::Stmt>& stmts, const Scope& s, Place place) {
  for (const ast::Stmt& st : stmts) stmt(st, s, place);
}

void TypeChecker::stmt(const ast::Stmt& st, const Scope& s, Place place) {
  switch (st.kind) {
    case ast::StmtKind::kPointsAdd:
    case ast::StmtKind::kPointsSub:
    case ast::StmtKind::kGrowthAdd:
    case ast::StmtKind::kGrowthSub: {
      static const char* const names[] = {"`points +=`", "`points -=`", "", "`growth +=`",
                                          "`growth -=`"};
      number(st.value, s, names[static_cast<int>(st.kind)]);
      if (st.kind == ast::StmtKind::kPointsAdd) {
        if (st.expire) check_expiry(c_, *st.expire);
        if (st.pending) check_duration(c_, *st.pending, "`pending`", false);
      } else if (st.expire || st.pending) {
        c_.error(st.loc, "misplaced-clause",
                 "`expire` and `pending` apply only to `points +=` (a new lot)");
      }
      break;
    }
    case ast::StmtKind::kPointsMul:
    case ast::StmtKind::kGrowthMul: {
      const char* what = st.kind == ast::StmtKind::kPointsMul ? "points" : "growth";
      if (place != Place::kCampaign) {
        c_.error(st.loc, "misplaced-statement",
                 fmt::format("`{} *=` is allowed only in a campaign, where it multiplies what "
                             "rules award; not in {}",
                             what, place_name(place)));
      }
      number(st.value, s, fmt::format("`{} *=`", what));
      break;
    }
    case ast::StmtKind::kGrant:
      if (!c_.privileges.contains(st.target.name)) {
        c_.unknown(st.target.loc, "unknown-privilege",
                   fmt::format("unknown privilege `{}`", st.target.name), st.target.name,
                   c_.privileges.names);
      } else {
        c_.granted_privileges.insert(st.target.name);
      }
      if (st.count && *st.count <= 0) {
        c_.error(st.loc, "value",
                 fmt::format("`grant {}` gives at least 1 use, not {}", st.target.name, *st.count));
      }
      if (st.valid) check_duration(c_, *st.valid, "`valid`", false);
      break;
    case ast::StmtKind::kTagAdd:
    case ast::StmtKind::kTagSub: {
      Type t = expr(st.value, s);
      if (t != Type::kString && t != Type::kError) {
        c_.error(st.value.loc, "type-mismatch",
                 fmt::format("a tag is a string, not {}", type_name(t)));
      }
      break;
    }
    case ast::StmtKind::kReverse: {
      if (place != Place::kRule) {
        c_.error(st.loc, "misplaced-statement",
                 fmt::format("`reverse` is allowed only in a rule, not in {}", place_name(place)));
      }
      Type value = expr(st.value, s);
      const EventInfo* target = c_.find_event(st.target.name);
      if (target == nullptr) {
        c_.unknown(st.target.loc, "unknown-event",
                   fmt::format("unknown event type `{}`", st.target.name), st.target.name,
                   c_.declared_events);
        break;
      }
      if (target->pseudo) {
        c_.error(st.target.loc, "pseudo-event",
                 fmt::format("`reverse` undoes what declared events awarded; `{}` is raised by "
                             "the engine",
                             st.target.name));
        break;
      }
      const Field* f = target->find(st.field.name);
      if (f == nullptr) {
        c_.unknown(st.field.loc, "unknown-field",
                   fmt::format("unknown field `{}` of event `{}`", st.field.name, st.target.name),
                   st.field.name, target->field_names());
        break;
      }
      if (value != Type::kError && value != Type::kNone && f->type != Type::kError &&
          comparison_class(value) != comparison_class(f->type)) {
        c_.error(st.value.loc, "type-mismatch",
                 fmt::format("`{}.{}` is {}; it cannot match {}", st.target.name, st.field.name,
                             type_name(f->type), type_name(value)));
      }
      break;
    }
    case ast::StmtKind::kIf:
      condition(st.value, s, "an `if` condition");
      body(st.then_body, s, place);
      body(st.else_body, s, place);
      break;
  }
}

Scope event_scope(const Checker& c, const ast::Ident& on) {
  Scope s;
  s.event = c.find_event(on.name);
  s.event_unresolved = s.event == nullptr;
  return s;
}

Scope no_event(std::string where) {
  Scope s;
  s.where = std::move(where);
  return s;
}

}  // namespace

void check_types(Checker& c) {
  TypeChecker t(c);
  const ast::Program& p = c.program;
  for (const ast::RuleDecl& r : p.rules) {
    Scope s = event_scope(c, r.on);
    if (r.when) t.condition(*r.when, s, "a rule's `when`");
    t.body(r.body, s, Place::kRule);
  }
  for (const ast::PackageDecl& k : p.packages) {
    if (k.for_) t.condition(*k.for_, no_event("a package's `for`"), "a package's `for`");
  }
  for (const ast::TaskDecl& k : p.tasks) {
    Scope s = event_scope(c, k.on);
    if (k.when) t.condition(*k.when, s, "a task's `when`");
    if (k.goal.kind == ast::GoalKind::kSum) {
      Type sum = t.expr(k.goal.sum, s);
      if (!is_number(sum) && sum != Type::kError) {
        c.error(k.goal.sum.loc, "type-mismatch",
                fmt::format("`sum` adds up numbers, not {}", type_name(sum)));
      }
    }
    t.body(k.body, s, Place::kTask);
  }
  for (const ast::CampaignDecl& k : p.campaigns) {
    Scope s;
    if (k.on) {
      s = event_scope(c, *k.on);
    } else {
      s.event = &*c.every_event;
    }
    if (k.for_) t.condition(*k.for_, s, "a campaign's `for`");
    t.body(k.body, s, Place::kCampaign);
  }
  for (const ast::PrivilegeDecl& v : p.privileges) {
    if (v.for_) t.condition(*v.for_, no_event("a privilege's `for`"), "a privilege's `for`");
  }
  for (const ast::RewardDecl& r : p.rewards) {
    Scope s = no_event("a reward");
    if (r.for_) t.condition(*r.for_, s, "a reward's `for`");
    t.body(r.body, s, Place::kReward);
  }
  for (const ast::CardDecl& k : p.cards) t.body(k.body, no_event("a card"), Place::kCard);
  for (const ast::SegmentDecl& g : p.segments) {
    t.current_segment = g.id.name;
    t.condition(g.when, no_event("a segment"), "a segment's `when`");
  }
  t.current_segment.clear();
}

}  // namespace merit::engine::check_internal
