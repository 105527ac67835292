// The Merit grammar (LANGUAGE.md §2-§4) as X3 rules: hand-written primitives for tokens, then
// expressions, statements and declarations. Included ONLY by grammar.cpp (it is slow to compile).
// Every committed construct uses must(p, "message"): on failure it throws an X3
// expectation_failure whose which() is the whole user-facing message.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3.hpp>

#include "dsl/grammar/config.hpp"
#include "dsl/grammar/syntax.hpp"

// clang-format off
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::DurationLit, at, count, unit)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PerPeriodS, at, amount, period)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::DateRangeS, at, from, to)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PathExpr, at, parts)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::WordLit, at, word)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::Operation, at, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::Expr, at, first, rest)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::CallExpr, at, fn, args)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::AggregateExpr, at, fn, path, where, within)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::UnaryExpr, at, op, operand)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::EndOfS, unit, plus)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::ExpiryS, at, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::AssignS, at, target, op, value, expire, pending)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::GrantS, at, privilege, count, valid)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::ReverseS, at, event, field, value)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::Block, at, stmts)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::IfS, at, cond, then_block, else_part)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::KeyValueS, at, key, value)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::ProgramD, at, id, name, items)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::FieldS, name, type)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::MemberD, at, fields)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::EventD, at, id, fields)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PendingS, at, duration)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PointsD, at, name, items)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::GrowthD, at, name, windows)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::AttributeS, name, value)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::LevelS, at, id, name, from_at, from, keep, attributes)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::ReviewS, at, every)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::LevelsD, at, review, downgrade, levels)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::RuleD, at, id, name, on, when, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PackageD, at, id, name, for_, available, during)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::CountGoalS, count, within)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::SumGoalS, sum, reaches, within)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::StreakGoalS, at, days)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::GoalS, at, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::RepeatS, at, kind)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::TaskD, at, id, name, in, on, when, goal, repeat, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::MonthDayS, at, day)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::WeekdayS, at, weekday)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::DailyHoursS, from, to)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::RecurS, at, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::BudgetS, at, points)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::CampaignD, at, id, name, on, schedule, for_, budget, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::PrivilegeD, at, id, name, for_, quota)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::RewardD, at, id, name, cost_at, cost, stock, limit, for_, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::CardD, at, id, name, lasts, body)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::SegmentD, at, id, name, when)
BOOST_FUSION_ADAPT_STRUCT(merit::dsl::syntax::ScheduleS, at, items)
// clang-format on

namespace merit::dsl::grammar {

using namespace syntax;  // NOLINT: the grammar names every syntax node

// ---------------------------------------------------------------------------------------------
// Token primitives. Each pre-skips, scans by hand (fast to compile, exact word boundaries) and
// stores its value into whatever attribute X3 hands it.

inline bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

template <class V, class A>
void store(V&& value, A& attr) {
  using Target = std::remove_const_t<A>;
  if constexpr (std::is_same_v<Target, x3::unused_type>) {
    (void)value;
  } else if constexpr (std::is_assignable_v<Target&, V&&>) {
    attr = std::forward<V>(value);
  } else {
    x3::traits::move_to(std::forward<V>(value), attr);
  }
}

template <class Derived, class Attr>
struct Primitive : x3::parser<Derived> {
  using attribute_type = Attr;
  static bool const has_attribute = !std::is_same_v<Attr, x3::unused_type>;

  template <class It, class Ctx, class RCtx, class A>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, A& attr) const {
    // Skip on a copy: a primitive that fails must not move `first` past trailing comments,
    // or a declaration's end (and the comments above the next one) would be lost.
    It p = first;
    x3::skip_over(p, last, ctx);
    Attr value{};
    if (!static_cast<const Derived*>(this)->scan(p, last, value)) return false;
    first = p;
    if constexpr (has_attribute) store(std::move(value), attr);
    return true;
  }
};

// The position of the next token; consumes nothing.
struct PosParser : Primitive<PosParser, At> {
  bool scan(const char*& p, const char*, At& v) const {
    v.p = p;
    return true;
  }
};

// Reads an identifier [A-Za-z_][A-Za-z0-9_]*. Returns its length, 0 when none.
inline std::size_t word_length(const char* p, const char* last) {
  if (p == last || !is_word_start(*p)) return 0;
  const char* q = p + 1;
  while (q != last && is_word_char(*q)) ++q;
  return static_cast<std::size_t>(q - p);
}

// Words that cannot start a path in an expression (they are operators or literals).
inline bool is_reserved_in_expression(std::string_view w) {
  return w == "and" || w == "or" || w == "not" || w == "in" || w == "true" || w == "false" ||
         w == "none";
}

// An identifier, as Ident (with its position) or as a plain string.
template <class Attr>
struct IdentParser : Primitive<IdentParser<Attr>, Attr> {
  bool expression_head = false;
  constexpr explicit IdentParser(bool head) : expression_head(head) {}
  bool scan(const char*& p, const char* last, Attr& v) const {
    std::size_t n = word_length(p, last);
    if (n == 0) return false;
    std::string_view w(p, n);
    if (expression_head && is_reserved_in_expression(w)) return false;
    if constexpr (std::is_same_v<Attr, Ident>) {
      v.at.p = p;
      v.name.assign(w);
    } else {
      v.assign(w);
    }
    p += n;
    return true;
  }
};

// A keyword or punctuation token, matched exactly. A word must end at a word boundary; `.`,
// `+`, `-`, `*`, `<`, `>`, `=` must not be the start of a longer operator.
struct TokenParser : Primitive<TokenParser, x3::unused_type> {
  std::string_view text;
  constexpr explicit TokenParser(std::string_view t) : text(t) {}
  bool scan(const char*& p, const char* last, x3::unused_type&) const {
    if (static_cast<std::size_t>(last - p) < text.size()) return false;
    if (std::string_view(p, text.size()) != text) return false;
    const char* q = p + text.size();
    if (is_word_char(text.back())) {
      if (q != last && is_word_char(*q)) return false;
    } else if (text == "." || text == "+" || text == "-" || text == "*") {
      if (q != last && (*q == '.' || *q == '=')) return false;
    }
    p = q;
    return true;
  }
};

// One of a table of words (or operators), yielding the mapped value; longest operator first.
template <class T>
struct TableParser : Primitive<TableParser<T>, T> {
  std::vector<std::pair<std::string_view, T>> table;
  bool words = true;
  TableParser(std::initializer_list<std::pair<std::string_view, T>> t, bool w)
      : table(t), words(w) {}
  bool scan(const char*& p, const char* last, T& v) const {
    if (words) {
      std::size_t n = word_length(p, last);
      if (n == 0) return false;
      std::string_view w(p, n);
      for (const auto& [word, value] : table) {
        if (word == w) {
          v = value;
          p += n;
          return true;
        }
      }
      return false;
    }
    for (const auto& [op, value] : table) {  // operators: the table lists longer ones first
      if (static_cast<std::size_t>(last - p) < op.size()) continue;
      if (std::string_view(p, op.size()) != op) continue;
      const char* q = p + op.size();
      // `-` and `+` and `*` must not eat `-=` `+=` `*=`; `<` `>` are listed after `<=` `>=`.
      if ((op == "-" || op == "+" || op == "*" || op == "/") && q != last && *q == '=') continue;
      v = value;
      p = q;
      return true;
    }
    return false;
  }
};

template <class T>
TableParser<T> words(std::initializer_list<std::pair<std::string_view, T>> t) {
  return TableParser<T>(t, true);
}
inline TableParser<std::string> ops(std::initializer_list<std::string_view> t) {
  TableParser<std::string> parser({}, false);
  for (std::string_view s : t) parser.table.emplace_back(s, std::string(s));
  return parser;
}
inline TableParser<std::string> word_as_string(std::initializer_list<std::string_view> t) {
  TableParser<std::string> parser({}, true);
  for (std::string_view s : t) parser.table.emplace_back(s, std::string(s));
  return parser;
}

// Throws an expectation failure carrying a complete message.
[[noreturn]] inline void fail_at(const char* where, std::string message) {
  boost::throw_exception(x3::expectation_failure<const char*>(where, std::move(message)));
}

// A string literal with `\"` and `\\` escapes. An unterminated string (end of line or input before
// the closing quote) or an unknown escape is an error at the opening quote / the backslash.
template <class Attr>
struct StringParser : Primitive<StringParser<Attr>, Attr> {
  bool scan(const char*& p, const char* last, Attr& v) const {
    if (p == last || *p != '"') return false;
    const char* open = p;
    std::string out;
    const char* q = p + 1;
    for (;;) {
      if (q == last || *q == '\n' || *q == '\r')
        fail_at(open, "unterminated string: expected `\"` before the end of the line");
      if (*q == '"') break;
      if (*q == '\\') {
        if (q + 1 != last && (q[1] == '"' || q[1] == '\\')) {
          out += q[1];
          q += 2;
          continue;
        }
        fail_at(q, "unknown escape in string: only `\\\"` and `\\\\` are allowed");
      }
      out += *q++;
    }
    if constexpr (std::is_same_v<Attr, StringLit>) {
      v.at.p = open;
      v.value = std::move(out);
    } else {
      v = std::move(out);
    }
    p = q + 1;
    return true;
  }
};

// 500 | 1.5 | 5%  (the `%` must follow the digits directly).
struct NumberParser : Primitive<NumberParser, NumberLit> {
  bool scan(const char*& p, const char* last, NumberLit& v) const {
    const char* q = p;
    while (q != last && is_digit(*q)) ++q;
    if (q == p) return false;
    if (q + 1 < last && *q == '.' && is_digit(q[1])) {
      q += 2;
      while (q != last && is_digit(*q)) ++q;
    }
    v.at.p = p;
    v.digits.assign(p, q);
    if (q != last && *q == '%') {
      v.percent = true;
      ++q;
    }
    if (q != last && is_word_char(*q)) return false;  // `5x`, `12abc`: not a number
    p = q;
    return true;
  }
};

// A whole number (no sign, no fraction), at most 18 digits.
struct IntegerParser : Primitive<IntegerParser, std::int64_t> {
  bool scan(const char*& p, const char* last, std::int64_t& v) const {
    const char* q = p;
    std::int64_t n = 0;
    while (q != last && is_digit(*q)) {
      if (q - p >= 18) return false;
      n = n * 10 + (*q - '0');
      ++q;
    }
    if (q == p) return false;
    if (q + 1 < last && *q == '.' && is_digit(q[1])) return false;  // a decimal, not whole
    v = n;
    p = q;
    return true;
  }
};

// Dates, date-times and times of day: 2026-12-18, 2026-12-18T10:00[:00], 10:00.
enum class TemporalMode : std::uint8_t { kAny, kDate, kTime };
struct TemporalParser : Primitive<TemporalParser, TemporalLit> {
  TemporalMode mode = TemporalMode::kAny;
  constexpr explicit TemporalParser(TemporalMode m) : mode(m) {}
  static bool digits(const char*& q, const char* last, int n) {
    for (int i = 0; i < n; ++i, ++q) {
      if (q == last || !is_digit(*q)) return false;
    }
    return true;
  }
  static bool clock(const char*& q, const char* last, bool allow_one_digit_hour) {
    const char* r = q;
    if (!digits(r, last, 1)) return false;
    if (r != last && is_digit(*r))
      ++r;
    else if (!allow_one_digit_hour)
      return false;
    if (r == last || *r != ':') return false;
    ++r;
    if (!digits(r, last, 2)) return false;
    q = r;
    return true;
  }
  bool scan(const char*& p, const char* last, TemporalLit& v) const {
    const char* q = p;
    bool matched = false;
    if (mode != TemporalMode::kTime) {
      const char* r = p;
      if (digits(r, last, 4) && r != last && *r == '-' && (++r, digits(r, last, 2)) && r != last &&
          *r == '-' && (++r, digits(r, last, 2))) {
        q = r;
        matched = true;
        if (mode == TemporalMode::kAny && q != last && *q == 'T') {
          const char* s = q + 1;
          if (clock(s, last, false)) {
            q = s;
            const char* t = q;
            if (t != last && *t == ':' && (++t, digits(t, last, 2))) q = t;
          }
        }
      }
    }
    if (!matched && mode != TemporalMode::kDate) {
      const char* r = p;
      if (clock(r, last, true)) {
        q = r;
        matched = true;
      }
    }
    if (!matched) return false;
    if (q != last && (is_word_char(*q) || *q == ':')) return false;
    v.at.p = p;
    v.text.assign(p, q);
    p = q;
    return true;
  }
};

// A field type: a word, optionally with one type argument (`set<string>`).
struct TypeParser : Primitive<TypeParser, TypeName> {
  bool scan(const char*& p, const char* last, TypeName& v) const {
    std::size_t n = word_length(p, last);
    if (n == 0) return false;
    v.at.p = p;
    v.text.assign(p, n);
    const char* q = p + n;
    const char* r = q;
    while (r != last && (*r == ' ' || *r == '\t')) ++r;
    if (r != last && *r == '<') {
      ++r;
      while (r != last && (*r == ' ' || *r == '\t')) ++r;
      std::size_t m = word_length(r, last);
      if (m == 0) fail_at(r, "expected a type name after `<`");
      std::string arg(r, m);
      r += m;
      while (r != last && (*r == ' ' || *r == '\t')) ++r;
      if (r == last || *r != '>') fail_at(r, "expected `>` to close the type argument");
      v.text += "<" + arg + ">";
      q = r + 1;
    }
    p = q;
    return true;
  }
};

// must(p, message): p is required here. On failure it throws an expectation failure whose which()
// is `message` (a complete sentence fragment such as "expected `{` to open the rule's body").
template <class Subject>
struct Must : x3::unary_parser<Subject, Must<Subject>> {
  using base_type = x3::unary_parser<Subject, Must<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;
  const char* message;
  constexpr Must(const Subject& s, const char* m) : base_type(s), message(m) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
    if (!this->subject.parse(first, last, ctx, rctx, attr)) fail_at(first, message);
    return true;
  }
};
template <class P>
auto must(const P& p, const char* message) {
  return Must<typename x3::extension::as_parser<P>::value_type>(x3::as_parser(p), message);
}

inline const PosParser pos{};
inline const IdentParser<Ident> ident{false};
inline const IdentParser<std::string> name{false};
inline const IdentParser<std::string> head_name{true};
inline const StringParser<std::string> quoted{};
inline const StringParser<StringLit> string_lit{};
inline const NumberParser number{};
inline const IntegerParser integer{};
inline const TemporalParser temporal{TemporalMode::kAny};
inline const TemporalParser date{TemporalMode::kDate};
inline const TemporalParser time_of_day{TemporalMode::kTime};
inline const TypeParser type_name{};

inline TokenParser kw(std::string_view w) { return TokenParser(w); }
inline TokenParser sym(std::string_view s) { return TokenParser(s); }

inline const auto unit_word = words<ast::Unit>({{"hour", ast::Unit::kHour},
                                                {"hours", ast::Unit::kHour},
                                                {"day", ast::Unit::kDay},
                                                {"days", ast::Unit::kDay},
                                                {"week", ast::Unit::kWeek},
                                                {"weeks", ast::Unit::kWeek},
                                                {"month", ast::Unit::kMonth},
                                                {"months", ast::Unit::kMonth},
                                                {"year", ast::Unit::kYear},
                                                {"years", ast::Unit::kYear}});
inline const auto period_word = words<ast::Period>({{"day", ast::Period::kDay},
                                                    {"week", ast::Period::kWeek},
                                                    {"month", ast::Period::kMonth},
                                                    {"year", ast::Period::kYear},
                                                    {"member", ast::Period::kMember}});
inline const auto weekday_word = words<ast::Weekday>({{"monday", ast::Weekday::kMonday},
                                                      {"tuesday", ast::Weekday::kTuesday},
                                                      {"wednesday", ast::Weekday::kWednesday},
                                                      {"thursday", ast::Weekday::kThursday},
                                                      {"friday", ast::Weekday::kFriday},
                                                      {"saturday", ast::Weekday::kSaturday},
                                                      {"sunday", ast::Weekday::kSunday}});
inline const auto repeat_word = words<ast::RepeatKind>({{"daily", ast::RepeatKind::kDaily},
                                                        {"weekly", ast::RepeatKind::kWeekly},
                                                        {"monthly", ast::RepeatKind::kMonthly},
                                                        {"yearly", ast::RepeatKind::kYearly}});
inline const auto repeat_value_word =
    words<ast::RepeatKind>({{"once", ast::RepeatKind::kOnce},
                            {"always", ast::RepeatKind::kAlways},
                            {"daily", ast::RepeatKind::kDaily},
                            {"weekly", ast::RepeatKind::kWeekly},
                            {"monthly", ast::RepeatKind::kMonthly},
                            {"yearly", ast::RepeatKind::kYearly}});
inline const auto downgrade_word = words<ast::Downgrade>(
    {{"one", ast::Downgrade::kOne}, {"qualified", ast::Downgrade::kQualified}});

// ---------------------------------------------------------------------------------------------
// Rules

#define MERIT_RULE(name_, attr_) x3::rule<class name_##_class, attr_> const name_ = #name_;

MERIT_RULE(duration, DurationLit)
MERIT_RULE(per_period, PerPeriodS)
MERIT_RULE(date_range, DateRangeS)
MERIT_RULE(expr, Expr)
MERIT_RULE(or_expr, Expr)
MERIT_RULE(or_op, Operation)
MERIT_RULE(and_expr, Expr)
MERIT_RULE(and_op, Operation)
MERIT_RULE(not_expr, Operand)
MERIT_RULE(not_unary, UnaryExpr)
MERIT_RULE(cmp_expr, Expr)
MERIT_RULE(cmp_op, Operation)
MERIT_RULE(add_expr, Expr)
MERIT_RULE(add_op, Operation)
MERIT_RULE(mul_expr, Expr)
MERIT_RULE(mul_op, Operation)
MERIT_RULE(neg_expr, Operand)
MERIT_RULE(neg_unary, UnaryExpr)
MERIT_RULE(primary, Operand)
MERIT_RULE(paren, Expr)
MERIT_RULE(path_parts, std::vector<std::string>)
MERIT_RULE(path, PathExpr)
MERIT_RULE(call, CallExpr)
MERIT_RULE(aggregate, AggregateExpr)
MERIT_RULE(word_lit, WordLit)
MERIT_RULE(stmt, Stmt)
MERIT_RULE(stmts, std::vector<Stmt>)
MERIT_RULE(assign, AssignS)
MERIT_RULE(expiry, ExpiryS)
MERIT_RULE(expire_after, DurationLit)
MERIT_RULE(expire_end, EndOfS)
MERIT_RULE(expire_never, NeverS)
MERIT_RULE(grant, GrantS)
MERIT_RULE(reverse, ReverseS)
MERIT_RULE(if_stmt, IfS)
MERIT_RULE(block, Block)
MERIT_RULE(else_part, ElseS)
MERIT_RULE(program_decl, ProgramD)
MERIT_RULE(key_value, KeyValueS)
MERIT_RULE(fields, std::vector<FieldS>)
MERIT_RULE(field, FieldS)
MERIT_RULE(member_decl, MemberD)
MERIT_RULE(event_decl, EventD)
MERIT_RULE(points_decl, PointsD)
MERIT_RULE(points_item, PointsItem)
MERIT_RULE(cap_item, PerPeriodS)
MERIT_RULE(expire_item, ExpiryS)
MERIT_RULE(pending_item, PendingS)
MERIT_RULE(allow_negative, AllowNegativeS)
MERIT_RULE(growth_decl, GrowthD)
MERIT_RULE(window_item, DurationLit)
MERIT_RULE(levels_decl, LevelsD)
MERIT_RULE(review, ReviewS)
MERIT_RULE(level, LevelS)
MERIT_RULE(attr_block, std::vector<AttributeS>)
MERIT_RULE(attribute, AttributeS)
MERIT_RULE(rule_decl, RuleD)
MERIT_RULE(package_decl, PackageD)
MERIT_RULE(available, DurationLit)
MERIT_RULE(task_decl, TaskD)
MERIT_RULE(goal, GoalS)
MERIT_RULE(count_goal, CountGoalS)
MERIT_RULE(sum_goal, SumGoalS)
MERIT_RULE(streak_goal, StreakGoalS)
MERIT_RULE(repeat, RepeatS)
MERIT_RULE(repeat_value, RepeatS)
MERIT_RULE(campaign_decl, CampaignD)
MERIT_RULE(schedule_items, std::vector<ScheduleItem>)
MERIT_RULE(schedule_item, ScheduleItem)
MERIT_RULE(during_item, DateRangeS)
MERIT_RULE(recur, RecurS)
MERIT_RULE(recur_body, RecurBody)
MERIT_RULE(month_day, MonthDayS)
MERIT_RULE(daily_hours, DailyHoursS)
MERIT_RULE(weekday, WeekdayS)
MERIT_RULE(budget, BudgetS)
MERIT_RULE(privilege_decl, PrivilegeD)
MERIT_RULE(reward_decl, RewardD)
MERIT_RULE(reward_body, std::vector<Stmt>)
MERIT_RULE(card_decl, CardD)
MERIT_RULE(segment_decl, SegmentD)
MERIT_RULE(declaration, Decl)
MERIT_RULE(schedule, ScheduleS)

#undef MERIT_RULE

// ---- shared pieces
inline const auto semis = *sym(";");

const auto duration_def = pos >> integer >> unit_word;
const auto per_period_def = pos >> integer >>
                            must(kw("per"), "expected `per` and a period after the amount") >>
                            must(period_word,
                                 "expected `day`, `week`, `month`, `year` or `member` after `per`");
const auto date_range_def = pos >> date >> must(sym(".."), "expected `..` between the two dates") >>
                            must(date, "expected a date such as `2026-06-03` after `..`");

// ---- expressions: or < and < not < comparison, in < + - < * / < unary minus < primary
const auto expr_def = or_expr;
const auto or_expr_def = pos >> and_expr >> *or_op;
const auto or_op_def = pos >> word_as_string({"or"}) >>
                       must(and_expr, "expected a condition after `or`");
const auto and_expr_def = pos >> not_expr >> *and_op;
const auto and_op_def = pos >> word_as_string({"and"}) >>
                        must(not_expr, "expected a condition after `and`");
const auto not_expr_def = not_unary | cmp_expr;
const auto not_unary_def = pos >> word_as_string({"not"}) >>
                           must(not_expr, "expected a condition after `not`");
const auto cmp_expr_def = pos >> add_expr >> *cmp_op;
const auto cmp_op_def = pos >> (ops({"==", "!=", "<=", ">=", "<", ">"}) | word_as_string({"in"})) >>
                        must(add_expr, "expected a value after `{prev}`");
const auto add_expr_def = pos >> mul_expr >> *add_op;
const auto add_op_def = pos >> ops({"+", "-"}) >> must(mul_expr, "expected a value after `{prev}`");
const auto mul_expr_def = pos >> neg_expr >> *mul_op;
const auto mul_op_def = pos >> ops({"*", "/"}) >> must(neg_expr, "expected a value after `{prev}`");
const auto neg_expr_def = neg_unary | primary;
const auto neg_unary_def = pos >> ops({"-"}) >> must(neg_expr, "expected a value after `-`");
const auto primary_def =
    temporal | duration | number | string_lit | word_lit | aggregate | call | path | paren;
const auto paren_def = sym("(") >> must(expr, "expected an expression after `(`") >>
                       must(sym(")"), "expected `)` to close the parenthesis");
const auto word_lit_def = pos >> word_as_string({"true", "false", "none"});
const auto path_parts_def = head_name >> *(sym(".") >> must(name, "expected a name after `.`"));
const auto path_def = pos >> path_parts;
const auto call_def = pos >> head_name >> sym("(") >> -(expr % sym(",")) >>
                      must(sym(")"), "expected `,` or `)` in the function call");
const auto aggregate_def = pos >> word_as_string({"count", "sum", "last", "first"}) >> sym("(") >>
                           must(name % sym("."), "expected an event type after `(`") >>
                           -(kw("where") >> must(expr, "expected a condition after `where`")) >>
                           -(kw("within") >>
                             must(duration,
                                  "expected a duration such as `30 days` after `within`")) >>
                           must(sym(")"), "expected `)` to close the aggregate");

// ---- statements
const auto stmt_def = assign | grant | reverse | if_stmt;
const auto stmts_def = semis >> *(stmt >> semis);
const auto assign_def = pos >> word_as_string({"points", "growth", "tag"}) >>
                        must(ops({"+=", "-=", "*="}),
                             "expected `+=`, `-=` or `*=` after `{prev}`") >>
                        must(expr, "expected a value after `{prev}`") >>
                        -(kw("expire") >> must(expiry,
                                               "expected `after N days`, `at end of month`, `at "
                                               "end of year` or `never` after `expire`")) >>
                        -(kw("pending") >>
                          must(duration, "expected a duration such as `7 days` after `pending`"));
const auto expiry_def = pos >> (expire_after | expire_end | expire_never);
const auto expire_after_def = kw("after") >>
                              must(duration,
                                   "expected a duration such as `30 days` after `expire after`");
const auto expire_end_def = kw("at") >>
                            must(kw("end"),
                                 "expected `end of month` or `end of year` after `at`") >>
                            must(kw("of"), "expected `of` after `end`") >>
                            must(word_as_string({"month", "year"}),
                                 "expected `month` or `year` after `end of`") >>
                            -(sym("+") >> must(integer, "expected a whole number after `+`"));
const auto expire_never_def = pos >> kw("never");
const auto grant_def = pos >> kw("grant") >>
                       must(ident, "expected a privilege name after `grant`") >> -integer >>
                       -(kw("valid") >>
                         must(duration, "expected a duration such as `30 days` after `valid`"));
const auto reverse_def = pos >> kw("reverse") >>
                         must(ident, "expected an event type after `reverse`") >>
                         must(kw("where"),
                              "expected `where FIELD == VALUE` after the event type") >>
                         must(ident, "expected a field name after `where`") >>
                         must(sym("=="), "expected `==` after the field name") >>
                         must(expr, "expected a value after `==`");
const auto if_stmt_def = pos >> kw("if") >> must(expr, "expected a condition after `if`") >>
                         must(block, "expected `{` to open the body of `if`") >>
                         -(kw("else") >> must(else_part, "expected `{` or `if` after `else`"));
const auto block_def = pos >> sym("{") >> stmts >>
                       must(sym("}"), "expected a statement or `}` to close the block");
const auto else_part_def = if_stmt | block;

// ---- declarations
const auto program_decl_def =
    pos >> kw("program") >> must(ident, "expected a program name after `program`") >> -quoted >>
    must(sym("{"), "expected `{` to open the program block") >> semis >> *(key_value >> semis) >>
    must(sym("}"), "expected `timezone`, `currency` or `}` to close the program block");
const auto key_value_def = pos >> word_as_string({"timezone", "currency"}) >>
                           must(string_lit, "expected a quoted string after `{prev}`");
const auto field_def = ident >> must(sym(":"), "expected `:` and a type after the field name") >>
                       must(type_name, "expected a type such as `string` or `money` after `:`");
const auto fields_def = semis >> *(field >> semis);
const auto member_decl_def =
    pos >> kw("member") >> must(sym("{"), "expected `{` to open the member block") >> fields >>
    must(sym("}"), "expected a field such as `city: string` or `}` to close the member block");
const auto event_decl_def =
    pos >> kw("event") >> must(ident, "expected an event type name after `event`") >>
    must(sym("{"), "expected `{` to open the event's fields") >> fields >>
    must(sym("}"), "expected a field such as `amount: money` or `}` to close the event's fields");
const auto points_decl_def =
    pos >> kw("points") >> -quoted >>
    must(sym("{"), "expected `{` to open the points block") >> semis >> *(points_item >> semis) >>
    must(sym("}"),
         "expected `expire`, `cap`, `pending`, `allow negative` or `}` to close the points block");
const auto points_item_def = expire_item | cap_item | pending_item | allow_negative;
const auto expire_item_def =
    kw("expire") >>
    must(expiry,
         "expected `after N days`, `at end of month`, `at end of year` or `never` after `expire`");
const auto cap_item_def =
    kw("cap") >>
    must(per_period, "expected an amount and a period such as `5000 per day` after `cap`");
const auto pending_item_def = kw("pending") >> pos >>
                              must(duration,
                                   "expected a duration such as `7 days` after `pending`");
const auto allow_negative_def = pos >> kw("allow") >>
                                must(kw("negative"), "expected `negative` after `allow`");
const auto growth_decl_def = pos >> kw("growth") >> -quoted >>
                             must(sym("{"), "expected `{` to open the growth block") >> semis >>
                             *(window_item >> semis) >>
                             must(sym("}"), "expected `window` or `}` to close the growth block");
const auto window_item_def = kw("window") >>
                             must(duration,
                                  "expected a duration such as `365 days` after `window`");
const auto levels_decl_def =
    pos >> kw("levels") >> must(kw("by"), "expected `by growth` after `levels`") >>
    must(kw("growth"), "expected `growth` after `levels by`") >>
    -(kw("review") >> must(review, "expected `yearly` or `every N months` after `review`")) >>
    -(kw("downgrade") >> must(downgrade_word, "expected `one` or `qualified` after `downgrade`")) >>
    must(sym("{"), "expected `{` to open the list of levels") >> semis >> *(level >> semis) >>
    must(sym("}"), "expected `level` or `}` to close the list of levels");
const auto review_def = pos >>
                        (kw("yearly") |
                         (kw("every") >>
                          must(duration, "expected a duration such as `6 months` after `every`")));
const auto level_def =
    pos >> kw("level") >> must(ident, "expected a level name after `level`") >> -quoted >>
    must(kw("from"), "expected `from` and the growth needed, such as `from 1000`") >> pos >>
    must(integer, "expected a whole number after `from`") >>
    -(kw("keep") >> must(integer, "expected a whole number after `keep`")) >> -attr_block;
const auto attr_block_def =
    sym("{") >> semis >> *(attribute >> semis) >>
    must(sym("}"),
         "expected an attribute such as `points_rate 1.2` or `}` to close the level's attributes");
const auto attribute_def = ident >> must(number | string_lit,
                                         "expected a number or a string after the attribute name");
const auto rule_decl_def = pos >> kw("rule") >> must(ident, "expected a rule name after `rule`") >>
                           -quoted >>
                           must(kw("on"),
                                "expected `on` and an event type after the rule's name") >>
                           must(ident, "expected an event type after `on`") >>
                           -(kw("when") >> must(expr, "expected a condition after `when`")) >>
                           must(sym("{"), "expected `{` to open the rule's body") >> stmts >>
                           must(sym("}"), "expected a statement or `}` to close the rule's body");
const auto package_decl_def =
    pos >> kw("package") >> must(ident, "expected a package name after `package`") >> -quoted >>
    -(kw("for") >> must(expr, "expected a condition after `for`")) >>
    -(kw("available") >>
      must(available, "expected a duration such as `30 days` after `available`")) >>
    -(kw("during") >>
      must(date_range, "expected dates such as `2026-06-01 .. 2026-06-03` after `during`"));
const auto available_def = duration >>
                           must(kw("after"), "expected `after join` after the duration") >>
                           must(kw("join"), "expected `join` after `after`");
const auto task_decl_def = pos >> kw("task") >> must(ident, "expected a task name after `task`") >>
                           -quoted >>
                           -(kw("in") >> must(ident, "expected a package name after `in`")) >>
                           must(kw("on"),
                                "expected `on` and an event type after the task's name") >>
                           must(ident, "expected an event type after `on`") >>
                           -(kw("when") >> must(expr, "expected a condition after `when`")) >> -goal
                           >> -repeat >>
                           must(sym("{"), "expected `{` to open the task's body") >> stmts >>
                           must(sym("}"), "expected a statement or `}` to close the task's body");
const auto goal_def = pos >> (count_goal | sum_goal | streak_goal);
const auto count_goal_def = kw("count") >> must(integer, "expected a whole number after `count`") >>
                            -(kw("within") >>
                              must(duration,
                                   "expected a duration such as `30 days` after `within`"));
const auto sum_goal_def = kw("sum") >> must(expr, "expected an expression after `sum`") >>
                          must(kw("reaches"),
                               "expected `reaches` and a target after the summed expression") >>
                          must(number, "expected a number after `reaches`") >>
                          -(kw("within") >>
                            must(duration, "expected a duration such as `30 days` after `within`"));
const auto streak_goal_def = kw("streak") >> pos >>
                             must(integer, "expected a number of days after `streak`") >>
                             must(kw("days") | kw("day"),
                                  "expected `days` after the streak length");
const auto repeat_def = pos >>
                        ((kw("once") >> x3::attr(ast::RepeatKind::kOnce)) |
                         (kw("repeat") >> (repeat_word | x3::attr(ast::RepeatKind::kAlways))));
const auto repeat_value_def = pos >> repeat_value_word;
const auto campaign_decl_def = pos >> kw("campaign") >>
                               must(ident, "expected a campaign name after `campaign`") >> -quoted
                               >> -(kw("on") >> must(ident, "expected an event type after `on`")) >>
                               must(schedule_items,
                                    "expected a schedule such as `every month on day 18` or "
                                    "`during 2026-06-01 .. 2026-06-03`") >>
                               -(kw("for") >> must(expr, "expected a condition after `for`")) >>
                               -budget >>
                               must(sym("{"), "expected `{` to open the campaign's body") >> stmts
                               >> must(sym("}"),
                                       "expected a statement or `}` to close the campaign's body");
const auto schedule_items_def = +schedule_item;
const auto schedule_item_def = recur | during_item;
const auto during_item_def =
    kw("during") >>
    must(date_range, "expected dates such as `2026-06-01 .. 2026-06-03` after `during`");
const auto recur_def = pos >> kw("every") >>
                       must(recur_body,
                            "expected `month on day N`, `day from HH:MM to HH:MM` or a weekday "
                            "such as `friday` after `every`");
const auto recur_body_def = month_day | daily_hours | weekday;
const auto month_day_def = kw("month") >>
                           must(kw("on"), "expected `on day N` after `every month`") >>
                           must(kw("day"), "expected `day N` after `every month on`") >> pos >>
                           must(integer, "expected a day of the month (1 to 31) after `day`");
const auto daily_hours_def = kw("day") >>
                             must(kw("from"), "expected `from HH:MM to HH:MM` after `every day`") >>
                             must(time_of_day, "expected a time such as `10:00` after `from`") >>
                             must(kw("to"), "expected `to` and a time after the start time") >>
                             must(time_of_day, "expected a time such as `14:00` after `to`");
const auto weekday_def = pos >> weekday_word;
const auto budget_def = kw("budget") >> pos >>
                        must(integer, "expected a whole number of points after `budget`") >>
                        -kw("points");
const auto privilege_decl_def =
    pos >> kw("privilege") >> must(ident, "expected a privilege name after `privilege`") >> -quoted
    >> -(kw("for") >> must(expr, "expected a condition after `for`")) >>
    -(kw("quota") >>
      must(per_period, "expected an amount and a period such as `4 per month` after `quota`"));
const auto reward_decl_def =
    pos >> kw("reward") >> must(ident, "expected a reward name after `reward`") >> -quoted >>
    must(kw("cost"), "expected `cost N points` after the reward's name") >> pos >>
    must(integer, "expected a whole number after `cost`") >>
    must(kw("points"), "expected `points` after the cost") >>
    -(kw("stock") >> must(integer, "expected a whole number after `stock`")) >>
    -(kw("limit") >>
      must(per_period, "expected an amount and a period such as `1 per day` after `limit`")) >>
    -(kw("for") >> must(expr, "expected a condition after `for`")) >> -reward_body;
const auto reward_body_def = sym("{") >> stmts >>
                             must(sym("}"),
                                  "expected a statement or `}` to close the reward's body");
const auto card_decl_def = pos >> kw("card") >> must(ident, "expected a card name after `card`") >>
                           -quoted >>
                           must(kw("lasts"),
                                "expected `lasts` and a duration after the card's name") >>
                           must(duration, "expected a duration such as `1 year` after `lasts`") >>
                           must(sym("{"), "expected `{` to open the card's body") >> stmts >>
                           must(sym("}"), "expected a statement or `}` to close the card's body");
const auto segment_decl_def = pos >> kw("segment") >>
                              must(ident, "expected a segment name after `segment`") >> -quoted >>
                              must(kw("when"),
                                   "expected `when` and a condition after the segment's name") >>
                              must(expr, "expected a condition after `when`");
const auto declaration_def = program_decl | member_decl | event_decl | points_decl | growth_decl |
                             levels_decl | rule_decl | package_decl | task_decl | campaign_decl |
                             privilege_decl | reward_decl | card_decl | segment_decl;
const auto schedule_def = pos >> schedule_items;

BOOST_SPIRIT_DEFINE(duration, per_period, date_range, expr, or_expr, or_op, and_expr, and_op,
                    not_expr, not_unary, cmp_expr, cmp_op, add_expr, add_op, mul_expr, mul_op,
                    neg_expr, neg_unary, primary, paren, path_parts, path, call, aggregate,
                    word_lit, stmt, stmts, assign, expiry, expire_after, expire_end, expire_never,
                    grant, reverse, if_stmt, block, else_part)
BOOST_SPIRIT_DEFINE(program_decl, key_value, fields, field, member_decl, event_decl, points_decl,
                    points_item, cap_item, expire_item, pending_item, allow_negative, growth_decl,
                    window_item, levels_decl, review, level, attr_block, attribute, rule_decl,
                    package_decl, available, task_decl, goal, count_goal, sum_goal, streak_goal,
                    repeat, repeat_value, campaign_decl, schedule_items, schedule_item, during_item,
                    recur, recur_body, month_day, daily_hours, weekday, budget, privilege_decl,
                    reward_decl, reward_body, card_decl, segment_decl, declaration, schedule)

}  // namespace merit::dsl::grammar
