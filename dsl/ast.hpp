// The syntax tree of a Merit program (LANGUAGE.md §2-§4), shared by the .merit parser and the YAML
// loader. Plain data: no Boost, no yaml-cpp. Every node a diagnostic can point at carries a Loc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace merit::dsl::ast {

// A 1-based line and column (columns count Unicode code points) in the program's file. Positions
// never take part in equality: two trees are equal when they say the same thing, wherever it was
// said.
struct Loc {
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  friend bool operator==(const Loc&, const Loc&) { return true; }
};

// A name that refers to a declaration (an event type, a level, a task...), with where it was
// written.
struct Ident {
  std::string name;
  Loc loc;
  friend bool operator==(const Ident& a, const Ident& b) { return a.name == b.name; }
};

enum class Unit : std::uint8_t { kHour, kDay, kWeek, kMonth, kYear };

// `30 days`, `12 hours`, `1 year`. `count` is what was written (> 0 for a valid program).
struct Duration {
  std::int64_t count = 0;
  Unit unit = Unit::kDay;
  Loc loc;
  friend bool operator==(const Duration&, const Duration&) = default;
};

// The calendar period of a cap, quota or limit: `per day` ... `per member` (limits only).
enum class Period : std::uint8_t { kDay, kWeek, kMonth, kYear, kMember };

// `5000 per day`, `4 per month`, `1 per member`.
struct PerPeriod {
  std::int64_t amount = 0;
  Period period = Period::kDay;
  Loc loc;
  friend bool operator==(const PerPeriod&, const PerPeriod&) = default;
};

// ---------------------------------------------------------------------------------------------
// Expressions (§4.11). One node type with a kind, so that recursion needs no boxes and copying is
// plain. Which members are used depends on `kind`; the others stay empty.
enum class ExprKind : std::uint8_t {
  kNumber,     // text: the digits as written, without `%` ("1.5", "500"); percent: written as `5%`
  kString,     // text: the value, unescaped
  kBool,       // text: "true" | "false"
  kNone,       // `none`
  kDate,       // text: "2026-12-18"
  kDateTime,   // text: "2026-12-18T10:00" (as written, seconds optional)
  kTimeOfDay,  // text: "10:00"
  kDuration,   // duration
  kPath,       // path: dotted names: ["event","amount"], ["level"], ["level","points_rate"],
               // ["member","tags"], ["segment","dormant"], ["now"], ["V3"] (a bare name)
  kCall,       // text: function name (floor ceil round min max abs year month day weekday hour
               // days_since); args: the arguments
  kAggregate,  // text: "count" | "sum" | "last" | "first"; path: [EVENT] or [EVENT, FIELD] for sum;
               // args: [where-expression] when `where` was written; within: the window if written
  kUnary,      // text: "not" | "-"; args: [operand]
  kBinary,  // text: "or" "and" "==" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/" "in"; args: [lhs, rhs]
};

struct Expr {
  ExprKind kind = ExprKind::kNone;
  Loc loc;
  std::string text;
  bool percent = false;
  std::vector<std::string> path;
  std::vector<Expr> args;
  std::optional<Duration> within;
  Duration duration;  // kDuration only
  friend bool operator==(const Expr&, const Expr&) = default;
};

// ---------------------------------------------------------------------------------------------
// Statements (§4.6, §4.8, §4.9)

// `expire after 30 days` | `expire at end of month + 3` | `expire at end of year + 1` | `expire
// never`
enum class ExpiryKind : std::uint8_t { kNever, kAfter, kEndOfMonth, kEndOfYear };
struct Expiry {
  ExpiryKind kind = ExpiryKind::kNever;
  Duration after;         // kAfter
  std::int64_t plus = 0;  // kEndOfMonth / kEndOfYear: K in `+ K`
  Loc loc;
  friend bool operator==(const Expiry&, const Expiry&) = default;
};

enum class StmtKind : std::uint8_t {
  kPointsAdd,  // points += value [expire ...] [pending N days]
  kPointsSub,  // points -= value
  kPointsMul,  // points *= value   (campaigns only)
  kGrowthAdd,  // growth += value
  kGrowthSub,  // growth -= value
  kGrowthMul,  // growth *= value   (campaigns only)
  kGrant,      // grant target [count] [valid N days]
  kTagAdd,     // tag += value
  kTagSub,     // tag -= value
  kReverse,    // reverse target where field == value
  kIf,         // if value { then_body } else { else_body }
};

struct Stmt {
  StmtKind kind = StmtKind::kPointsAdd;
  Loc loc;
  Expr value;                         // amount, tag, reverse's matched value, if's condition
  std::optional<Expiry> expire;       // kPointsAdd
  std::optional<Duration> pending;    // kPointsAdd
  Ident target;                       // kGrant: privilege; kReverse: event type
  Ident field;                        // kReverse: the field compared
  std::optional<std::int64_t> count;  // kGrant: N uses (absent = 1)
  std::optional<Duration> valid;      // kGrant: validity (absent = forever)
  std::vector<Stmt> then_body;        // kIf
  std::vector<Stmt> else_body;        // kIf (`else if` is an else_body holding one kIf)
  bool has_else = false;              // kIf: whether `else` was written
  friend bool operator==(const Stmt&, const Stmt&) = default;
};

// ---------------------------------------------------------------------------------------------
// Declarations (§4.1-§4.10). `comments` holds the `#` lines written just above a declaration
// (without the `#` and one following space), so that `merit fmt` keeps them.

struct ProgramDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::optional<std::string> timezone;  // IANA name; absent = "UTC"
  std::optional<std::string> currency;
  std::vector<std::string> comments;
  friend bool operator==(const ProgramDecl&, const ProgramDecl&) = default;
};

// `amount: money`. type is the text of the type: int decimal money bool string date time duration
// set<string>.
struct FieldDecl {
  Loc loc;
  Ident name;
  std::string type;
  Loc type_loc;
  friend bool operator==(const FieldDecl&, const FieldDecl&) = default;
};

struct MemberDecl {
  Loc loc;
  std::vector<FieldDecl> fields;
  std::vector<std::string> comments;
  friend bool operator==(const MemberDecl&, const MemberDecl&) = default;
};

struct EventDecl {
  Loc loc;
  Ident id;
  std::vector<FieldDecl> fields;
  std::vector<std::string> comments;
  friend bool operator==(const EventDecl&, const EventDecl&) = default;
};

struct PointsDecl {
  Loc loc;
  std::optional<std::string> name;
  std::optional<Expiry> expire;
  std::optional<PerPeriod> cap;     // `cap N per day|week|month|year`
  std::optional<Duration> pending;  // `pending N days`
  bool allow_negative = false;      // `allow negative`
  std::vector<std::string> comments;
  friend bool operator==(const PointsDecl&, const PointsDecl&) = default;
};

struct GrowthDecl {
  Loc loc;
  std::optional<std::string> name;
  std::optional<Duration> window;  // `window N days`
  std::vector<std::string> comments;
  friend bool operator==(const GrowthDecl&, const GrowthDecl&) = default;
};

// A level attribute: `points_rate 1.2` or `label "gold"`. value is a kNumber or kString Expr.
struct Attribute {
  Loc loc;
  Ident name;
  Expr value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

struct LevelDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::int64_t from = 0;
  Loc from_loc;
  std::optional<std::int64_t> keep;
  std::vector<Attribute> attributes;
  friend bool operator==(const LevelDecl&, const LevelDecl&) = default;
};

enum class ReviewKind : std::uint8_t { kYearly, kEvery };
struct Review {
  ReviewKind kind = ReviewKind::kYearly;
  Duration every;  // kEvery
  Loc loc;
  friend bool operator==(const Review&, const Review&) = default;
};

enum class Downgrade : std::uint8_t { kOne, kQualified };

struct LevelsDecl {
  Loc loc;
  std::string by = "growth";  // the only measure today
  std::optional<Review> review;
  std::optional<Downgrade> downgrade;  // absent = one
  std::vector<LevelDecl> levels;
  std::vector<std::string> comments;
  friend bool operator==(const LevelsDecl&, const LevelsDecl&) = default;
};

struct RuleDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  Ident on;
  std::optional<Expr> when;
  std::vector<Stmt> body;
  std::vector<std::string> comments;
  friend bool operator==(const RuleDecl&, const RuleDecl&) = default;
};

// `during 2026-06-01 .. 2026-06-03`: both days inclusive, program zone. Dates as written.
struct DateRange {
  std::string from;
  std::string to;
  Loc loc;
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

struct PackageDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::optional<Expr> for_;
  std::optional<Duration> available_after_join;  // `available N days after join`
  std::optional<DateRange> during;
  std::vector<std::string> comments;
  friend bool operator==(const PackageDecl&, const PackageDecl&) = default;
};

enum class GoalKind : std::uint8_t { kNone, kCount, kSum, kStreak };
struct Goal {
  GoalKind kind = GoalKind::kNone;
  Loc loc;
  std::int64_t count = 0;          // kCount: N; kStreak: N (days)
  Expr sum;                        // kSum: the summed expression
  Expr reaches;                    // kSum: the target (a kNumber)
  std::optional<Duration> within;  // kCount / kSum
  friend bool operator==(const Goal&, const Goal&) = default;
};

enum class RepeatKind : std::uint8_t { kOnce, kAlways, kDaily, kWeekly, kMonthly, kYearly };

struct TaskDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::optional<Ident> in;  // the package
  Ident on;
  std::optional<Expr> when;
  Goal goal;                         // kind kNone when no goal was written
  std::optional<RepeatKind> repeat;  // absent = once (not written)
  Loc repeat_loc;
  std::vector<Stmt> body;
  std::vector<std::string> comments;
  friend bool operator==(const TaskDecl&, const TaskDecl&) = default;
};

enum class Weekday : std::uint8_t {
  kMonday,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday,
  kSunday
};
enum class RecurKind : std::uint8_t { kMonthDay, kWeekday, kDailyHours };
// `every month on day 18` | `every friday` | `every day from 10:00 to 14:00`
struct Recurrence {
  RecurKind kind = RecurKind::kMonthDay;
  std::int64_t day = 0;                // kMonthDay: 1..31
  Weekday weekday = Weekday::kMonday;  // kWeekday
  std::string from;                    // kDailyHours: "HH:MM"
  std::string to;                      // kDailyHours: "HH:MM"
  Loc loc;
  friend bool operator==(const Recurrence&, const Recurrence&) = default;
};

struct CampaignDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::optional<Ident> on;          // absent = every declared event type
  std::optional<Recurrence> every;  // the recurring part of the schedule
  std::optional<DateRange> during;  // the bounding days (alone: the whole schedule)
  std::optional<Expr> for_;
  std::optional<std::int64_t> budget;  // points
  Loc budget_loc;
  std::vector<Stmt> body;
  std::vector<std::string> comments;
  friend bool operator==(const CampaignDecl&, const CampaignDecl&) = default;
};

struct PrivilegeDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::optional<Expr> for_;
  std::optional<PerPeriod> quota;  // period never kMember
  std::vector<std::string> comments;
  friend bool operator==(const PrivilegeDecl&, const PrivilegeDecl&) = default;
};

struct RewardDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  std::int64_t cost = 0;  // points per unit
  Loc cost_loc;
  std::optional<std::int64_t> stock;
  std::optional<PerPeriod> limit;  // may be kMember
  std::optional<Expr> for_;
  std::vector<Stmt> body;
  std::vector<std::string> comments;
  friend bool operator==(const RewardDecl&, const RewardDecl&) = default;
};

// `card plus "PLUS会员" lasts 1 year { grant free_shipping 4 }` (parsed now; evaluated in a later
// wave).
struct CardDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  Duration lasts;
  std::vector<Stmt> body;
  std::vector<std::string> comments;
  friend bool operator==(const CardDecl&, const CardDecl&) = default;
};

struct SegmentDecl {
  Loc loc;
  Ident id;
  std::optional<std::string> name;
  Expr when;
  std::vector<std::string> comments;
  friend bool operator==(const SegmentDecl&, const SegmentDecl&) = default;
};

// A whole program. Declarations of one kind keep their file order (rules fire in file order,
// campaigns split awards in file order); the canonical printer writes the kinds in the order below.
struct Program {
  std::string file;  // the path it was read from, for diagnostics
  ProgramDecl program;
  std::optional<MemberDecl> member;
  std::vector<EventDecl> events;
  std::optional<PointsDecl> points;
  std::optional<GrowthDecl> growth;
  std::optional<LevelsDecl> levels;
  std::vector<RuleDecl> rules;
  std::vector<PackageDecl> packages;
  std::vector<TaskDecl> tasks;
  std::vector<CampaignDecl> campaigns;
  std::vector<PrivilegeDecl> privileges;
  std::vector<RewardDecl> rewards;
  std::vector<CardDecl> cards;
  std::vector<SegmentDecl> segments;
  std::vector<std::string> trailing_comments;  // comments after the last declaration
  friend bool operator==(const Program& a, const Program& b) {
    // file names differ between a program and its reformatted copy; compare what it says.
    return a.program == b.program && a.member == b.member && a.events == b.events &&
           a.points == b.points && a.growth == b.growth && a.levels == b.levels &&
           a.rules == b.rules && a.packages == b.packages && a.tasks == b.tasks &&
           a.campaigns == b.campaigns && a.privileges == b.privileges && a.rewards == b.rewards &&
           a.cards == b.cards && a.segments == b.segments &&
           a.trailing_comments == b.trailing_comments;
  }
};

}  // namespace merit::dsl::ast
