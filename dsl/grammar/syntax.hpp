// The private syntax tree that the X3 grammar fills (STYLE.md §6, route 1): plain structs and
// x3::variants, close to what was written. grammar/lower.cpp turns it into the public dsl/ast.hpp.
// Positions are raw pointers into the parsed text (`At`); they live only while the text does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include "dsl/ast.hpp"

namespace merit::dsl::syntax {

namespace x3 = boost::spirit::x3;

// Where a node starts: the first byte of its first token.
struct At {
  const char* p = nullptr;
};

// Leaves filled by hand-written primitive parsers (not fusion-adapted; they carry their own At).
struct Ident {
  At at;
  std::string name;
};
struct NumberLit {
  At at;
  std::string digits;  // as written, without `%`
  bool percent = false;
};
struct StringLit {
  At at;
  std::string value;  // unescaped
};
struct WordLit {
  At at;
  std::string word;  // true | false | none
};
struct TemporalLit {
  At at;
  std::string text;  // 2026-12-18 | 2026-12-18T10:00 | 10:00
};
struct TypeName {
  At at;
  std::string text;  // int | money | set<string> ...
};

// Sequences (fusion-adapted in grammar_def.hpp).
struct DurationLit {
  At at;
  std::int64_t count = 0;
  ast::Unit unit = ast::Unit::kDay;
};
struct PerPeriodS {
  At at;
  std::int64_t amount = 0;
  ast::Period period = ast::Period::kDay;
};
struct DateRangeS {
  At at;
  TemporalLit from;
  TemporalLit to;
};

// ---- expressions: one chain type per precedence level, folded left by lower.cpp
struct Expr;
struct CallExpr;
struct AggregateExpr;
struct UnaryExpr;

struct PathExpr {
  At at;
  std::vector<std::string> parts;
};

struct Operand : x3::variant<NumberLit, StringLit, WordLit, TemporalLit, DurationLit, PathExpr,
                             x3::forward_ast<CallExpr>, x3::forward_ast<AggregateExpr>,
                             x3::forward_ast<UnaryExpr>, x3::forward_ast<Expr>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Operation {
  At at;           // the operator
  std::string op;  // "or" "and" "==" ... "in" "+" "-" "*" "/"
  Operand rhs;
};

struct Expr {
  At at;
  Operand first;
  std::vector<Operation> rest;
};

struct CallExpr {
  At at;
  std::string fn;
  std::vector<Expr> args;
};

struct AggregateExpr {
  At at;
  std::string fn;                 // count | sum | last | first
  std::vector<std::string> path;  // EVENT or EVENT.FIELD
  boost::optional<x3::forward_ast<Expr>> where;
  boost::optional<DurationLit> within;
};

struct UnaryExpr {
  At at;
  std::string op;  // "not" | "-"
  Operand operand;
};

// ---- statements
struct NeverS {
  At at;
  NeverS() = default;
  NeverS(At a) : at(a) {}  // NOLINT: filled from a bare position
};
struct EndOfS {
  std::string unit;  // month | year
  boost::optional<std::int64_t> plus;
};
using ExpiryBody = x3::variant<DurationLit, EndOfS, NeverS>;
struct ExpiryS {
  At at;
  ExpiryBody body;
};

struct AssignS {
  At at;
  std::string target;  // points | growth | tag
  std::string op;      // += | -= | *=
  Expr value;
  boost::optional<ExpiryS> expire;
  boost::optional<DurationLit> pending;
};
struct GrantS {
  At at;
  Ident privilege;
  boost::optional<std::int64_t> count;
  boost::optional<DurationLit> valid;
};
struct ReverseS {
  At at;
  Ident event;
  Ident field;
  Expr value;
};
struct IfS;
struct Stmt : x3::variant<AssignS, GrantS, ReverseS, x3::forward_ast<IfS>> {
  using base_type::base_type;
  using base_type::operator=;
};
struct Block {
  At at;
  std::vector<Stmt> stmts;
};
struct ElseS : x3::variant<x3::forward_ast<IfS>, Block> {
  using base_type::base_type;
  using base_type::operator=;
};
struct IfS {
  At at;
  Expr cond;
  Block then_block;
  boost::optional<ElseS> else_part;
};

// ---- declarations
struct KeyValueS {
  At at;
  std::string key;  // timezone | currency
  StringLit value;
};
struct ProgramD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  std::vector<KeyValueS> items;
};
struct FieldS {
  Ident name;
  TypeName type;
};
struct MemberD {
  At at;
  std::vector<FieldS> fields;
};
struct EventD {
  At at;
  Ident id;
  std::vector<FieldS> fields;
};
struct AllowNegativeS {
  At at;
  AllowNegativeS() = default;
  AllowNegativeS(At a) : at(a) {}  // NOLINT: filled from a bare position
};
struct PendingS {
  At at;
  DurationLit duration;
};
using PointsItem = x3::variant<ExpiryS, PerPeriodS, PendingS, AllowNegativeS>;
struct PointsD {
  At at;
  boost::optional<std::string> name;
  std::vector<PointsItem> items;
};
struct GrowthD {
  At at;
  boost::optional<std::string> name;
  std::vector<DurationLit> windows;
};
struct AttributeS {
  Ident name;
  x3::variant<NumberLit, StringLit> value;
};
struct LevelS {
  At at;
  Ident id;
  boost::optional<std::string> name;
  At from_at;
  std::int64_t from = 0;
  boost::optional<std::int64_t> keep;
  std::vector<AttributeS> attributes;
};
struct ReviewS {
  At at;
  boost::optional<DurationLit> every;  // none: yearly
};
struct LevelsD {
  At at;
  boost::optional<ReviewS> review;
  boost::optional<ast::Downgrade> downgrade;
  std::vector<LevelS> levels;
};
struct RuleD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  Ident on;
  boost::optional<Expr> when;
  std::vector<Stmt> body;
};
struct PackageD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  boost::optional<Expr> for_;
  boost::optional<DurationLit> available;
  boost::optional<DateRangeS> during;
};
struct CountGoalS {
  std::int64_t count = 0;
  boost::optional<DurationLit> within;
};
struct SumGoalS {
  Expr sum;
  NumberLit reaches;
  boost::optional<DurationLit> within;
};
struct StreakGoalS {
  At at;
  std::int64_t days = 0;
};
using GoalBody = x3::variant<CountGoalS, SumGoalS, StreakGoalS>;
struct GoalS {
  At at;
  GoalBody body;
};
struct RepeatS {
  At at;
  ast::RepeatKind kind = ast::RepeatKind::kOnce;
};
struct TaskD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  boost::optional<Ident> in;
  Ident on;
  boost::optional<Expr> when;
  boost::optional<GoalS> goal;
  boost::optional<RepeatS> repeat;
  std::vector<Stmt> body;
};
struct MonthDayS {
  At at;
  std::int64_t day = 0;
};
struct WeekdayS {
  At at;
  ast::Weekday weekday = ast::Weekday::kMonday;
};
struct DailyHoursS {
  TemporalLit from;
  TemporalLit to;
};
using RecurBody = x3::variant<MonthDayS, WeekdayS, DailyHoursS>;
struct RecurS {
  At at;
  RecurBody body;
};
using ScheduleItem = x3::variant<RecurS, DateRangeS>;
struct BudgetS {
  At at;
  std::int64_t points = 0;
};
struct CampaignD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  boost::optional<Ident> on;
  std::vector<ScheduleItem> schedule;
  boost::optional<Expr> for_;
  boost::optional<BudgetS> budget;
  std::vector<Stmt> body;
};
struct PrivilegeD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  boost::optional<Expr> for_;
  boost::optional<PerPeriodS> quota;
};
struct RewardD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  At cost_at;
  std::int64_t cost = 0;
  boost::optional<std::int64_t> stock;
  boost::optional<PerPeriodS> limit;
  boost::optional<Expr> for_;
  std::vector<Stmt> body;
};
struct CardD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  DurationLit lasts;
  std::vector<Stmt> body;
};
struct SegmentD {
  At at;
  Ident id;
  boost::optional<std::string> name;
  Expr when;
};

using Decl = x3::variant<ProgramD, MemberD, EventD, PointsD, GrowthD, LevelsD, RuleD, PackageD,
                         TaskD, CampaignD, PrivilegeD, RewardD, CardD, SegmentD>;

// A clause of the YAML twin: `every friday during 2026-01-01 .. 2026-03-31`.
struct ScheduleS {
  At at;
  std::vector<ScheduleItem> items;
};

}  // namespace merit::dsl::syntax
