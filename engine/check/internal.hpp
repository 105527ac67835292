// Private to engine/check: the state shared by the checker's passes (symbol tables, the facts
// gathered while walking the program, the diagnostics collected) and the passes themselves, which
// checker.cpp runs in order: names -> values -> ladder -> types -> cycles -> warnings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.hpp"
#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"

namespace merit::engine::check_internal {

namespace ast = dsl::ast;

// The type of an expression (LANGUAGE.md §3). kError marks a subexpression already reported:
// it is compatible with everything, so one mistake gives one diagnostic.
enum class Type : std::uint8_t {
  kError,
  kNone,  // the literal `none`
  kInt,
  kDecimal,
  kMoney,
  kBool,
  kString,
  kDate,
  kTime,       // an instant
  kTimeOfDay,  // the literal `10:00`
  kDuration,
  kStringSet,  // set<string>
  kLevel,
};

// "int", "set<string>", "level", "time of day"...
const char* type_name(Type t);
bool is_number(Type t);  // int, decimal, money
// A field type as written in a declaration ("money", "set<string>"): engine::parse_field_type as
// the checker's Type; empty when unknown (engine::field_type_names() lists the known ones).
std::optional<Type> parse_type_name(std::string_view text);

struct Field {
  std::string name;
  Type type = Type::kError;
};

// An event type as expressions see it: its fields in declaration order, then the built-in ones.
struct EventInfo {
  std::string name;
  bool pseudo = false;  // raised by the engine (join, level_up, ...)
  std::vector<Field> fields;
  const Field* find(std::string_view field) const;
  std::vector<std::string> field_names() const;
};

// Names of one kind of declaration, in file order, with the index of the first of each name.
struct NameTable {
  std::vector<std::string> names;
  std::map<std::string, std::size_t, std::less<>> first;
  bool contains(std::string_view n) const { return first.find(n) != first.end(); }
};

// A level attribute as rules read it: its type (from its first setting, lowest level first) and
// whether the lowest level sets it (LANGUAGE.md §4.5: otherwise reading it is an error).
struct LevelAttr {
  Type type = Type::kError;
  bool on_lowest = false;
};

// Where statements stand: what they may contain depends on it (`points *=` in campaigns only,
// `reverse` in rules only).
enum class Place : std::uint8_t { kRule, kTask, kCampaign, kReward, kCard };
const char* place_name(Place p);  // "a rule", "a task", ...

// What `event` means in an expression.
struct Scope {
  const EventInfo* event = nullptr;  // null: `event` is not available here
  bool event_unresolved = false;     // the declaration's `on` was unknown (already reported)
  std::string where;                 // "a segment", for "`event` is not available in ..."
};

class Checker {
 public:
  explicit Checker(const ast::Program& p) : program(p) {}

  const ast::Program& program;
  std::vector<dsl::Diagnostic> diagnostics;

  void error(ast::Loc loc, std::string code, std::string message,
             std::optional<std::string> suggestion = std::nullopt);
  void warning(ast::Loc loc, std::string code, std::string message);
  // An unknown name: `message` plus the nearest of `candidates` as the suggestion, if any.
  void unknown(ast::Loc loc, std::string code, std::string message, std::string_view name,
               const std::vector<std::string>& candidates);

  // Symbol tables, filled by collect_names().
  std::map<std::string, EventInfo, std::less<>> events;  // declared and pseudo
  std::vector<std::string> declared_events;              // file order
  std::vector<std::string> all_events;                   // declared, then pseudo
  std::optional<EventInfo> every_event;  // a campaign without `on`: the fields all events share
  std::vector<Field> member_fields;      // declared order; `tags` always present
  std::vector<std::string> levels;       // lowest first
  std::map<std::string, std::size_t, std::less<>> level_index;
  std::map<std::string, LevelAttr, std::less<>> level_attrs;
  std::vector<std::string> level_attr_names;
  NameTable rules, packages, tasks, campaigns, privileges, rewards, cards, segments;

  // Facts gathered by check_types() and read by the later passes.
  std::set<std::string, std::less<>> used_segments;       // read as segment.X outside X itself
  std::set<std::string, std::less<>> granted_privileges;  // named by some `grant`

  const EventInfo* find_event(std::string_view name) const;
  const Field* find_member_field(std::string_view name) const;
};

// Passes, in the order checker.cpp runs them.
void collect_names(Checker& c);  // names.cpp: tables, duplicates, `on`/`in` references, field types
void check_values(
    Checker& c);  // values.cpp: timezone, currency, durations, dates, schedules, amounts
void check_ladder(Checker& c);    // ladder.cpp: from/keep/review, level attributes
void check_types(Checker& c);     // types.cpp: every expression and statement
void check_cycles(Checker& c);    // cycles.cpp: loops among pseudo-event rules; among segments
void check_warnings(Checker& c);  // warnings.cpp: LANGUAGE.md §7

// Shared helpers (values.cpp). Each reports through `c` and returns nothing.
// A duration must count at least 1; `calendar_only` refuses hours (clauses measured in days).
void check_duration(Checker& c, const ast::Duration& d, std::string_view what, bool calendar_only);
void check_expiry(Checker& c, const ast::Expiry& e);
// A `during` range: real dates, from <= to.
void check_date_range(Checker& c, const ast::DateRange& r);

// The value of an expression made of literals only (LANGUAGE.md §4.11 semantics: any comparison
// with `none` is false). Empty when it depends on the member or the event. warnings.cpp.
struct Constant {
  enum class Kind : std::uint8_t { kBool, kNumber, kString, kNone, kLevel } kind = Kind::kNone;
  bool b = false;
  Decimal n;
  std::string s;
  std::size_t level = 0;  // kLevel: index in the ladder
};
std::optional<Constant> fold_constant(const Checker& c, const ast::Expr& e);
bool is_constant_false(const Checker& c, const std::optional<ast::Expr>& e);

// Calls f(stmt) for every statement of `body`, depth first, including those inside `if`.
template <class F>
void for_each_stmt(const std::vector<ast::Stmt>& body, F&& f) {
  for (const ast::Stmt& s : body) {
    f(s);
    for_each_stmt(s.then_body, f);
    for_each_stmt(s.else_body, f);
  }
}

// Calls f(expr) for `e` and every subexpression, depth first.
template <class F>
void for_each_expr(const ast::Expr& e, F&& f) {
  f(e);
  for (const ast::Expr& a : e.args) for_each_expr(a, f);
}

// The position of part `i` of a dotted path written without spaces (`event.amout`: part 1 is
// 6 columns right of the path's start). Identifiers are ASCII, so bytes are columns.
ast::Loc path_part_loc(const ast::Expr& e, std::size_t i);

}  // namespace merit::engine::check_internal
