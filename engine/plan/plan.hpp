// The evaluation plan: a checked program compiled for evaluation. Names are resolved to indices,
// expressions are flat op vectors over slots, and each event type lists the rules, tasks and
// campaigns it reaches in evaluation order. Immutable once built; share as shared_ptr<const Plan>.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/decimal.hpp"
#include "common/time.hpp"
#include "engine/model/value.hpp"

namespace merit::engine {

// ---- expressions ------------------------------------------------------------------------------

enum class OpCode : std::uint8_t {
  kConst,      // push constants[a]
  kField,      // push the current event's field slot a
  kEventId,    // push the current event's id (string)
  kMember,     // push the member's id (string)
  kNow,        // push the current event's time
  kAttr,       // push member attribute slot a
  kTags,       // push the member's tags (set<string>)
  kLevel,      // push the member's level (before the event; event.from in level rules)
  kLevelAttr,  // pop a level, push its attribute a (inherited values resolved at plan time)
  kAggregate,  // push the value of aggregate a (Plan::aggregates)
  kCall,       // pop b arguments, push function a (Function) of them
  kNot,        // pop x, push not x
  kNeg,        // pop x, push -x
  kAdd,
  kSub,
  kMul,
  kDiv,  // pop rhs, lhs; push lhs op rhs
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,       // comparisons; false when either side is none
  kIn,       // pop set, pop string; push membership
  kAndJump,  // if top is false, jump to a (keeping it); else pop it
  kOrJump,   // if top is true, jump to a (keeping it); else pop it
};

enum class Function : std::uint8_t {
  kFloor,
  kCeil,
  kRound,
  kMin,
  kMax,
  kAbs,
  kYear,
  kMonth,
  kDay,
  kWeekday,
  kHour,
  kDaysSince,
};

struct Op {
  OpCode code = OpCode::kConst;  // what to do
  std::uint16_t a = 0;  // operand: constant, slot, attribute, aggregate, function, jump target
  std::uint16_t b = 0;  // second operand: argument count of kCall
};

// The shapes most rules are written in, which the evaluator computes without its stack machine
// when the values are plain numbers (engine/eval/expr.cpp); chosen once, when the expression is
// lowered (shape_of).
enum class ExprShape : std::uint8_t {
  kGeneral,
  kField,                // event.amount
  kConst,                // 500
  kFieldCompareConst,    // event.amount > 0 (any of the six comparisons)
  kFieldTimesLevelAttr,  // event.amount * level.rate
};
ExprShape shape_of(const std::vector<Op>& ops);

// A compiled expression; empty() means "not written" (a missing `when` holds).
struct CompiledExpr {
  std::vector<Op> ops;
  std::string text;                       // canonical source text, for explain and the graph
  ExprShape shape = ExprShape::kGeneral;  // shape_of(ops)
  bool empty() const { return ops.empty(); }
};

// ---- clauses ----------------------------------------------------------------------------------

struct CalDuration {
  std::int64_t count = 0;
  CalendarUnit unit = CalendarUnit::kDay;
};

enum class PeriodKind : std::uint8_t { kDay, kWeek, kMonth, kYear, kMember };

struct PeriodLimit {
  std::int64_t amount = 0;
  PeriodKind period = PeriodKind::kDay;
};

enum class ExpiryMode : std::uint8_t { kNoExpiry, kAfter, kEndOfMonth, kEndOfYear };
struct ExpiryRule {
  ExpiryMode mode = ExpiryMode::kNoExpiry;
  CalDuration after;      // kAfter
  std::int64_t plus = 0;  // kEndOfMonth / kEndOfYear
};

// ---- statements -------------------------------------------------------------------------------

enum class StmtOp : std::uint8_t {
  kPointsAdd,
  kPointsSub,
  kPointsMul,
  kGrowthAdd,
  kGrowthSub,
  kGrowthMul,
  kGrant,
  kTagAdd,
  kTagSub,
  kReverse,
  kIf,
};

struct PlanStmt {
  StmtOp op = StmtOp::kPointsAdd;
  CompiledExpr value;                  // amount / tag / reverse value / if condition
  std::optional<ExpiryRule> expire;    // kPointsAdd override
  std::optional<CalDuration> pending;  // kPointsAdd override
  int target = -1;                     // kGrant: privilege; kReverse: event type
  int field = -1;                      // kReverse: field slot of the target event type
  std::int64_t count = 1;              // kGrant: uses
  std::optional<CalDuration> valid;    // kGrant
  std::vector<PlanStmt> then_body;     // kIf
  std::vector<PlanStmt> else_body;     // kIf
};

// ---- declarations -----------------------------------------------------------------------------

struct PlanField {
  std::string name;
  FieldType type = FieldType::kString;
};

// Event types: the declared ones first, then the pseudo-events in this order.
enum PseudoEvent : int {
  kJoin = 0,
  kLevelUp,
  kLevelDown,
  kTaskDone,
  kRewardRedeemed,
  kPseudoCount
};

struct PlanEvent {
  std::string name;
  bool pseudo = false;
  std::vector<PlanField> fields;  // declared fields (id, member, time are built in)
  std::vector<int> rules;         // rules on it, in file order
  std::vector<int> tasks;         // tasks on it, in file order
  std::vector<int> campaigns;     // campaigns that may apply to it, in file order
  std::vector<int> aggregates;    // aggregates that count it
  int reverse_field = -1;         // the field `reverse` statements match it by (-1: not reversed)
};

struct PlanRule {
  std::string id;
  std::string name;
  int event = -1;
  CompiledExpr when;
  std::vector<PlanStmt> body;
};

struct PlanLevel {
  std::string id;
  std::string name;
  std::int64_t from = 0;
  std::int64_t keep = 0;
};

enum class DowngradeMode : std::uint8_t { kOne, kQualified };

struct PlanPackage {
  std::string id;
  std::string name;
  CompiledExpr for_;
  std::optional<CalDuration> after_join;
  std::optional<LocalDate> during_from, during_to;
};

enum class GoalMode : std::uint8_t { kNone, kCount, kSum, kStreak };
enum class RepeatMode : std::uint8_t { kOnce, kAlways, kDaily, kWeekly, kMonthly, kYearly };

struct PlanTask {
  std::string id;
  std::string name;
  int package = -1;
  int event = -1;
  CompiledExpr when;
  GoalMode goal = GoalMode::kNone;
  std::int64_t count = 1;             // kCount N; kStreak N days
  CompiledExpr sum;                   // kSum
  Decimal reaches;                    // kSum target
  std::optional<CalDuration> within;  // kCount / kSum window
  RepeatMode repeat = RepeatMode::kOnce;
  std::vector<PlanStmt> body;
};

enum class ScheduleMode : std::uint8_t { kAlways, kMonthDay, kWeekday, kDailyHours };

struct PlanCampaign {
  std::string id;
  std::string name;
  int event = -1;  // -1: every declared event type
  ScheduleMode schedule = ScheduleMode::kAlways;
  int month_day = 0;                   // kMonthDay
  int weekday = 0;                     // kWeekday: 0 = Monday
  int from_minute = 0, to_minute = 0;  // kDailyHours: [from, to) wrapping past midnight
  std::optional<LocalDate> during_from, during_to;
  CompiledExpr for_;
  std::optional<std::int64_t> budget;
  std::vector<CompiledExpr> points_mul;  // `points *= EXPR`, multiplied together
  std::vector<CompiledExpr> growth_mul;  // `growth *= EXPR`
  std::vector<PlanStmt> bonus;           // every other statement (`points += ...` bonuses)
};

struct PlanPrivilege {
  std::string id;
  std::string name;
  CompiledExpr for_;  // empty: no `for` (only granted uses)
  std::optional<PeriodLimit> quota;
};

struct PlanReward {
  std::string id;
  std::string name;
  std::int64_t cost = 0;
  std::optional<std::int64_t> stock;
  std::optional<PeriodLimit> limit;
  CompiledExpr for_;
  std::vector<PlanStmt> body;
};

enum class AggregateKind : std::uint8_t { kCount, kSum, kLast, kFirst };

struct PlanAggregate {
  AggregateKind kind = AggregateKind::kCount;
  int event = -1;
  int field = -1;      // kSum: the summed field slot
  CompiledExpr where;  // kCount: filter, evaluated on the counted event
  std::optional<CalDuration> within;
};

struct Plan {
  std::string program_id;
  std::string program_name;
  std::string version;  // "<id>@<hash8>": names the program text that made it
  Zone zone;
  std::string currency;

  std::vector<PlanEvent> events;  // declared, then kPseudoCount pseudo-events
  int declared_events = 0;
  std::vector<PlanField> attributes;  // member attributes
  std::vector<Value> constants;

  // points
  ExpiryRule default_expiry;
  std::optional<PeriodLimit> cap;
  std::optional<CalDuration> pending;
  bool allow_negative = false;

  // growth and levels
  std::optional<CalDuration> growth_window;
  std::vector<PlanLevel> levels;  // at least one (an implicit "base" level when none declared)
  std::vector<std::string> level_attribute_names;
  std::vector<std::vector<Value>> level_attributes;  // [level][attribute], inheritance resolved
  std::optional<CalDuration> review_every;
  DowngradeMode downgrade = DowngradeMode::kOne;

  std::vector<PlanRule> rules;
  std::vector<PlanPackage> packages;
  std::vector<PlanTask> tasks;
  std::vector<PlanCampaign> campaigns;
  std::vector<PlanPrivilege> privileges;
  std::vector<PlanReward> rewards;
  std::vector<PlanAggregate> aggregates;
  std::vector<std::string> segments;  // names (segments are inlined where used)

  bool has_pending = false;  // some award can be pending (`pending` anywhere)
  bool may_fail = false;     // some expression divides: keep a backup before applying
  // Some expression that an event evaluates after its first award (a task's condition, sum or
  // statements, a package's condition, a campaign bonus, a rule on a pseudo-event) can fail at run
  // time (arithmetic, a function, a very long expression): events are backed up whole before they
  // start. Without it, an event can be refused only before its awards, and logs just what step 3
  // changed, to undo it (engine::apply).
  bool may_fail_late = false;

  int event_index(std::string_view name) const;
  int reward_index(std::string_view name) const;
  int privilege_index(std::string_view name) const;
  int attribute_index(std::string_view name) const;
  int level_index(std::string_view name) const;
  int task_index(std::string_view name) const;
};

}  // namespace merit::engine
