// The .merit grammar: every construct of LANGUAGE.md §2-§4 parses into the expected AST, the shared
// conformance programs and the §4 example parse, comments are kept, positions are right.
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::dsl {
namespace {

using ast::ExprKind;
using ast::StmtKind;

// Parses `text`, failing the test with every rendered diagnostic when it does not parse.
ast::Program parse_ok(const std::string& text) {
  Source source("test.merit", text);
  ParseOutput out = parse_program(source);
  std::string rendered;
  for (const Diagnostic& d : out.diagnostics) rendered += render(d, source.line_text(d.loc.line));
  EXPECT_TRUE(out.program.has_value()) << rendered;
  EXPECT_TRUE(out.diagnostics.empty()) << rendered;
  return out.program.value_or(ast::Program{});
}

// A program header, so that each test shows only the construct it is about.
std::string with_header(const std::string& body) {
  return "program p { timezone \"UTC\" currency \"CNY\" }\n" + body;
}

ast::Expr expr_ok(const std::string& text) {
  ExprOutput out = parse_expression(Source("e", text));
  EXPECT_TRUE(out.value.has_value())
      << text << ": " << (out.diagnostics.empty() ? "" : out.diagnostics[0].message);
  return out.value.value_or(ast::Expr{});
}

// A compact rendering of an expression tree, to compare whole trees in one line.
std::string sexpr(const ast::Expr& e) {
  std::string out;
  auto join_path = [&] {
    std::string p;
    for (std::size_t i = 0; i < e.path.size(); ++i) p += (i ? "." : "") + e.path[i];
    return p;
  };
  switch (e.kind) {
    case ExprKind::kNumber:
      return e.text + (e.percent ? "%" : "");
    case ExprKind::kString:
      return "\"" + e.text + "\"";
    case ExprKind::kBool:
      return e.text;
    case ExprKind::kNone:
      return "none";
    case ExprKind::kDate:
      return "date:" + e.text;
    case ExprKind::kDateTime:
      return "datetime:" + e.text;
    case ExprKind::kTimeOfDay:
      return "time:" + e.text;
    case ExprKind::kDuration:
      return "dur:" + std::to_string(e.duration.count) + "u" +
             std::to_string(static_cast<int>(e.duration.unit));
    case ExprKind::kPath:
      return join_path();
    case ExprKind::kCall:
    case ExprKind::kAggregate: {
      out = e.text + "(" + (e.kind == ExprKind::kAggregate ? join_path() : "");
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        out += (i || e.kind == ExprKind::kAggregate
                    ? (e.kind == ExprKind::kAggregate ? " where " : ", ")
                    : "") +
               sexpr(e.args[i]);
      }
      if (e.within) out += " within " + std::to_string(e.within->count);
      return out + ")";
    }
    case ExprKind::kUnary:
      return "(" + e.text + " " + sexpr(e.args[0]) + ")";
    case ExprKind::kBinary:
      return "(" + sexpr(e.args[0]) + " " + e.text + " " + sexpr(e.args[1]) + ")";
  }
  return "?";
}

TEST(Conformance, EverySharedProgramParses) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& dir : fs::directory_iterator(testing::shared_dir() + "/conformance")) {
    fs::path file = dir.path() / "program.merit";
    if (!fs::exists(file)) continue;
    ParseOutput out = parse_file(file.string());
    std::string rendered;
    for (const Diagnostic& d : out.diagnostics) rendered += render(d, "");
    EXPECT_TRUE(out.program.has_value()) << file << "\n" << rendered;
    ++count;
  }
  EXPECT_GE(count, 5);
}

TEST(Conformance, FirstProgramHasItsPieces) {
  ParseOutput out =
      parse_file(testing::shared_dir() + "/conformance/01-purchase-upgrade/program.merit");
  ASSERT_TRUE(out.program.has_value());
  const ast::Program& p = *out.program;
  EXPECT_EQ(p.program.id.name, "basic");
  EXPECT_EQ(p.program.comments,
            std::vector<std::string>{
                "Points by level rate, growth qualifies levels, upgrade is immediate."});
  ASSERT_EQ(p.levels->levels.size(), 2u);
  EXPECT_EQ(p.levels->levels[1].attributes[0].name.name, "rate");
  EXPECT_EQ(p.levels->levels[1].attributes[0].value.text, "2");
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_EQ(sexpr(p.rules[0].body[0].value), "(event.amount * level.rate)");
}

constexpr const char* kSpecExample = R"MERIT(program yanxuan "严选会员" {
  timezone "Asia/Shanghai"          # calendar words (day, month, 18th, end of year) use this zone
  currency "CNY"
}

member {                            # attributes that apps may set on a member
  birthday: date
  city: string
  tags: set<string>
}

event purchase { amount: money; category: string; channel: string; order_id: string }
event refund   { order_id: string }
event signin   {}
event share    { target: string }
event review   { order_id: string; stars: int }

points "积分" {
  expire after 365 days             # or: expire at end of year + 1 | expire at end of month + 3 | never
  cap 5000 per day                  # optional: most points one member may earn in one calendar day
}

growth "成长值" {
  window 365 days                   # optional: only growth earned in the last 365 days qualifies
}

levels by growth review yearly downgrade one {
  level V1 "普通会员" from 0      { points_rate 1 }
  level V2 "白银会员" from 1000   { points_rate 1.2 }
  level V3 "黄金会员" from 5000   { points_rate 1.5 }
  level V4 "钻石会员" from 20000  { points_rate 2.0 }
}

rule purchase_points "消费积分" on purchase when event.amount > 0 {
  points += event.amount * level.points_rate
  growth += event.amount
}

rule refund_reverse "退款扣回" on refund {
  reverse purchase where order_id == event.order_id
}

rule gold_welcome "升级礼" on level_up when event.to == V3 {
  points += 500
}

package newbie "新人礼包" available 30 days after join

task first_purchase "新手尝新" in newbie on purchase {
  points += 200 expire after 30 days
}

task signin_week "连续签到7天" on signin streak 7 days repeat {
  points += 70
}

task buy_three "30天消费3次" on purchase when event.amount >= 50 count 3 within 30 days repeat monthly {
  growth += 300
}

campaign member_day "会员日双倍积分" on purchase every month on day 18 {
  points *= 2
}

privilege free_shipping "包邮券" for level >= V2 quota 4 per month
privilege birthday_gift "生日礼" for level >= V3 and month(member.birthday) == month(now) quota 1 per year

reward coffee "咖啡券" cost 300 points stock 1000 limit 1 per day for level >= V2

segment dormant "沉睡会员" when days_since(last(purchase)) > 90
)MERIT";

TEST(SpecExample, ParsesWithEveryDeclaration) {
  ast::Program p = parse_ok(kSpecExample);
  EXPECT_EQ(p.program.id.name, "yanxuan");
  EXPECT_EQ(p.program.name, "严选会员");
  EXPECT_EQ(p.program.timezone, "Asia/Shanghai");
  EXPECT_EQ(p.program.currency, "CNY");
  EXPECT_EQ(p.program.loc.line, 1u);
  EXPECT_EQ(p.program.loc.col, 1u);

  ASSERT_TRUE(p.member.has_value());
  ASSERT_EQ(p.member->fields.size(), 3u);
  EXPECT_EQ(p.member->fields[2].name.name, "tags");
  EXPECT_EQ(p.member->fields[2].type, "set<string>");
  EXPECT_EQ(p.member->fields[2].loc.line, 9u);
  EXPECT_EQ(p.member->fields[2].type_loc.col, 9u);

  ASSERT_EQ(p.events.size(), 5u);
  EXPECT_EQ(p.events[0].id.name, "purchase");
  ASSERT_EQ(p.events[0].fields.size(), 4u);
  EXPECT_EQ(p.events[0].fields[3].name.name, "order_id");
  EXPECT_EQ(p.events[0].fields[0].type, "money");
  EXPECT_TRUE(p.events[2].fields.empty());
  EXPECT_EQ(p.events[4].fields[1].type, "int");

  ASSERT_TRUE(p.points.has_value());
  EXPECT_EQ(p.points->name, "积分");
  ASSERT_TRUE(p.points->expire.has_value());
  EXPECT_EQ(p.points->expire->kind, ast::ExpiryKind::kAfter);
  EXPECT_EQ(p.points->expire->after.count, 365);
  EXPECT_EQ(p.points->expire->after.unit, ast::Unit::kDay);
  ASSERT_TRUE(p.points->cap.has_value());
  EXPECT_EQ(p.points->cap->amount, 5000);
  EXPECT_EQ(p.points->cap->period, ast::Period::kDay);
  EXPECT_FALSE(p.points->allow_negative);

  ASSERT_TRUE(p.growth.has_value());
  EXPECT_EQ(p.growth->window->count, 365);

  ASSERT_TRUE(p.levels.has_value());
  EXPECT_EQ(p.levels->review->kind, ast::ReviewKind::kYearly);
  EXPECT_EQ(p.levels->downgrade, ast::Downgrade::kOne);
  ASSERT_EQ(p.levels->levels.size(), 4u);
  EXPECT_EQ(p.levels->levels[2].id.name, "V3");
  EXPECT_EQ(p.levels->levels[2].name, "黄金会员");
  EXPECT_EQ(p.levels->levels[2].from, 5000);
  EXPECT_EQ(p.levels->levels[2].from_loc.line, 30u);
  EXPECT_EQ(p.levels->levels[2].from_loc.col, 24u);  // code points: 黄金会员 counts as 4
  EXPECT_EQ(p.levels->levels[3].attributes[0].value.text, "2.0");

  ASSERT_EQ(p.rules.size(), 3u);
  const ast::RuleDecl& r = p.rules[0];
  EXPECT_EQ(r.id.name, "purchase_points");
  EXPECT_EQ(r.on.name, "purchase");
  EXPECT_EQ(sexpr(*r.when), "(event.amount > 0)");
  ASSERT_EQ(r.body.size(), 2u);
  EXPECT_EQ(r.body[0].kind, StmtKind::kPointsAdd);
  EXPECT_EQ(sexpr(r.body[0].value), "(event.amount * level.points_rate)");
  EXPECT_EQ(r.body[1].kind, StmtKind::kGrowthAdd);
  EXPECT_EQ(r.body[1].loc.line, 36u);
  EXPECT_EQ(r.body[1].loc.col, 3u);
  const ast::Stmt& rev = p.rules[1].body[0];
  EXPECT_EQ(rev.kind, StmtKind::kReverse);
  EXPECT_EQ(rev.target.name, "purchase");
  EXPECT_EQ(rev.field.name, "order_id");
  EXPECT_EQ(sexpr(rev.value), "event.order_id");
  EXPECT_EQ(p.rules[2].on.name, "level_up");
  EXPECT_EQ(sexpr(*p.rules[2].when), "(event.to == V3)");

  ASSERT_EQ(p.packages.size(), 1u);
  EXPECT_EQ(p.packages[0].available_after_join->count, 30);

  ASSERT_EQ(p.tasks.size(), 3u);
  EXPECT_EQ(p.tasks[0].in->name, "newbie");
  EXPECT_EQ(p.tasks[0].goal.kind, ast::GoalKind::kNone);
  EXPECT_FALSE(p.tasks[0].repeat.has_value());
  EXPECT_EQ(p.tasks[0].body[0].expire->after.count, 30);
  EXPECT_EQ(p.tasks[1].goal.kind, ast::GoalKind::kStreak);
  EXPECT_EQ(p.tasks[1].goal.count, 7);
  EXPECT_EQ(p.tasks[1].repeat, ast::RepeatKind::kAlways);
  EXPECT_EQ(p.tasks[2].goal.kind, ast::GoalKind::kCount);
  EXPECT_EQ(p.tasks[2].goal.count, 3);
  EXPECT_EQ(p.tasks[2].goal.within->count, 30);
  EXPECT_EQ(p.tasks[2].repeat, ast::RepeatKind::kMonthly);
  EXPECT_EQ(sexpr(*p.tasks[2].when), "(event.amount >= 50)");

  ASSERT_EQ(p.campaigns.size(), 1u);
  EXPECT_EQ(p.campaigns[0].on->name, "purchase");
  EXPECT_EQ(p.campaigns[0].every->kind, ast::RecurKind::kMonthDay);
  EXPECT_EQ(p.campaigns[0].every->day, 18);
  EXPECT_FALSE(p.campaigns[0].during.has_value());
  EXPECT_EQ(p.campaigns[0].body[0].kind, StmtKind::kPointsMul);

  ASSERT_EQ(p.privileges.size(), 2u);
  EXPECT_EQ(sexpr(*p.privileges[0].for_), "(level >= V2)");
  EXPECT_EQ(p.privileges[0].quota->amount, 4);
  EXPECT_EQ(p.privileges[0].quota->period, ast::Period::kMonth);
  EXPECT_EQ(sexpr(*p.privileges[1].for_),
            "((level >= V3) and (month(member.birthday) == month(now)))");
  EXPECT_EQ(p.privileges[1].quota->period, ast::Period::kYear);

  ASSERT_EQ(p.rewards.size(), 1u);
  EXPECT_EQ(p.rewards[0].cost, 300);
  EXPECT_EQ(p.rewards[0].stock, 1000);
  EXPECT_EQ(p.rewards[0].limit->period, ast::Period::kDay);
  EXPECT_EQ(sexpr(*p.rewards[0].for_), "(level >= V2)");

  ASSERT_EQ(p.segments.size(), 1u);
  EXPECT_EQ(sexpr(p.segments[0].when), "(days_since(last(purchase)) > 90)");
  EXPECT_EQ(p.segments[0].when.args[0].args[0].kind, ExprKind::kAggregate);
}

TEST(Expressions, FollowThePrecedenceLadder) {
  EXPECT_EQ(sexpr(expr_ok("a or b and not c == 1 + 2 * -3")),
            "(a or (b and (not (c == (1 + (2 * (- 3)))))))");
  EXPECT_EQ(sexpr(expr_ok("(1 + 2) * 3 - 4 / 5")), "(((1 + 2) * 3) - (4 / 5))");
  EXPECT_EQ(sexpr(expr_ok("\"vip\" in member.tags and x != none")),
            "((\"vip\" in member.tags) and (x != none))");
  EXPECT_EQ(sexpr(expr_ok("a <= b")), "(a <= b)");
  EXPECT_EQ(sexpr(expr_ok("not not true")), "(not (not true))");
}

TEST(Expressions, ReadEveryKindOfLiteral) {
  ast::Expr pct = expr_ok("5%");
  EXPECT_EQ(pct.kind, ExprKind::kNumber);
  EXPECT_EQ(pct.text, "5");
  EXPECT_TRUE(pct.percent);
  EXPECT_EQ(sexpr(expr_ok("1.25")), "1.25");
  EXPECT_EQ(expr_ok(R"("a \"b\" \\ c")").text, R"(a "b" \ c)");
  EXPECT_EQ(sexpr(expr_ok("2026-12-18")), "date:2026-12-18");
  EXPECT_EQ(sexpr(expr_ok("2026-12-18T10:00")), "datetime:2026-12-18T10:00");
  EXPECT_EQ(sexpr(expr_ok("10:00")), "time:10:00");
  EXPECT_EQ(sexpr(expr_ok("false")), "false");
  EXPECT_EQ(expr_ok("none").kind, ExprKind::kNone);
  ast::Expr d = expr_ok("12 hours");
  EXPECT_EQ(d.kind, ExprKind::kDuration);
  EXPECT_EQ(d.duration.count, 12);
  EXPECT_EQ(d.duration.unit, ast::Unit::kHour);
  EXPECT_EQ(expr_ok("2 weeks").duration.unit, ast::Unit::kWeek);
  EXPECT_EQ(expr_ok("6 months").duration.unit, ast::Unit::kMonth);
  EXPECT_EQ(expr_ok("1 year").duration.unit, ast::Unit::kYear);
  EXPECT_EQ(sexpr(expr_ok("now - 2026-01-01")), "(now - date:2026-01-01)");
}

TEST(Expressions, ReadCallsAndAggregates) {
  EXPECT_EQ(sexpr(expr_ok("max(floor(event.amount / 10), 1)")),
            "max(floor((event.amount / 10)), 1)");
  ast::Expr c = expr_ok("count(purchase where event.amount > 5 within 30 days)");
  EXPECT_EQ(c.kind, ExprKind::kAggregate);
  EXPECT_EQ(c.text, "count");
  EXPECT_EQ(c.path, std::vector<std::string>{"purchase"});
  ASSERT_EQ(c.args.size(), 1u);
  EXPECT_EQ(sexpr(c.args[0]), "(event.amount > 5)");
  EXPECT_EQ(c.within->count, 30);
  ast::Expr s = expr_ok("sum(purchase.amount within 7 days)");
  EXPECT_EQ(s.path, (std::vector<std::string>{"purchase", "amount"}));
  EXPECT_TRUE(s.args.empty());
  EXPECT_EQ(expr_ok("first(signin)").text, "first");
  EXPECT_EQ(sexpr(expr_ok("count(purchase)")), "count(purchase)");
}

TEST(Expressions, LetKeywordsBeFieldNames) {
  EXPECT_EQ(sexpr(expr_ok("event.level + event.count + event.in")),
            "((event.level + event.count) + event.in)");
  EXPECT_EQ(sexpr(expr_ok("count + level")), "(count + level)");
}

TEST(Points, ReadsEveryClause) {
  ast::Program p = parse_ok(with_header(
      "points { expire at end of month + 3; cap 100 per week pending 7 days allow negative }"));
  EXPECT_EQ(p.points->expire->kind, ast::ExpiryKind::kEndOfMonth);
  EXPECT_EQ(p.points->expire->plus, 3);
  EXPECT_EQ(p.points->cap->period, ast::Period::kWeek);
  EXPECT_EQ(p.points->pending->count, 7);
  EXPECT_TRUE(p.points->allow_negative);
  EXPECT_EQ(parse_ok(with_header("points { expire at end of year }")).points->expire->kind,
            ast::ExpiryKind::kEndOfYear);
  EXPECT_EQ(parse_ok(with_header("points { expire never }")).points->expire->kind,
            ast::ExpiryKind::kNever);
}

TEST(Levels, ReadReviewDowngradeKeepAndAttributes) {
  ast::Program p =
      parse_ok(with_header("levels by growth review every 6 months downgrade qualified {\n"
                           "  level A from 0 { points_rate 1; label \"base\" }\n"
                           "  level B \"Gold\" from 100 keep 80\n"
                           "}"));
  EXPECT_EQ(p.levels->review->kind, ast::ReviewKind::kEvery);
  EXPECT_EQ(p.levels->review->every.count, 6);
  EXPECT_EQ(p.levels->review->every.unit, ast::Unit::kMonth);
  EXPECT_EQ(p.levels->downgrade, ast::Downgrade::kQualified);
  ASSERT_EQ(p.levels->levels[0].attributes.size(), 2u);
  EXPECT_EQ(p.levels->levels[0].attributes[1].value.kind, ExprKind::kString);
  EXPECT_EQ(p.levels->levels[0].attributes[1].value.text, "base");
  EXPECT_EQ(p.levels->levels[1].keep, 80);
  EXPECT_EQ(p.levels->levels[1].name, "Gold");
  EXPECT_FALSE(
      parse_ok(with_header("levels by growth { level A from 0 }")).levels->review.has_value());
}

TEST(Statements, ReadEveryKind) {
  ast::Program p =
      parse_ok(with_header("rule r on purchase {\n"
                           "  points += 5 expire at end of year + 1 pending 7 days\n"
                           "  points -= 1; points *= 2; growth -= 3; growth *= 1.5\n"
                           "  grant free_shipping 3 valid 30 days\n"
                           "  grant vip\n"
                           "  tag += \"vip\"  tag -= \"new\"\n"
                           "  if event.amount > 100 { points += 1 } else if event.amount > 50 { "
                           "points += 2 } else { growth += 1 }\n"
                           "  if x { }\n"
                           "}"));
  const auto& b = p.rules[0].body;
  ASSERT_EQ(b.size(), 11u);
  EXPECT_EQ(b[0].kind, StmtKind::kPointsAdd);
  EXPECT_EQ(b[0].expire->kind, ast::ExpiryKind::kEndOfYear);
  EXPECT_EQ(b[0].expire->plus, 1);
  EXPECT_EQ(b[0].pending->count, 7);
  EXPECT_EQ(b[1].kind, StmtKind::kPointsSub);
  EXPECT_EQ(b[2].kind, StmtKind::kPointsMul);
  EXPECT_EQ(b[3].kind, StmtKind::kGrowthSub);
  EXPECT_EQ(b[4].kind, StmtKind::kGrowthMul);
  EXPECT_EQ(b[5].kind, StmtKind::kGrant);
  EXPECT_EQ(b[5].target.name, "free_shipping");
  EXPECT_EQ(b[5].count, 3);
  EXPECT_EQ(b[5].valid->count, 30);
  EXPECT_FALSE(b[6].count.has_value());
  EXPECT_FALSE(b[6].valid.has_value());
  EXPECT_EQ(b[7].kind, StmtKind::kTagAdd);
  EXPECT_EQ(b[7].value.text, "vip");
  EXPECT_EQ(b[8].kind, StmtKind::kTagSub);
  const ast::Stmt& i = b[9];
  EXPECT_EQ(i.kind, StmtKind::kIf);
  EXPECT_TRUE(i.has_else);
  ASSERT_EQ(i.else_body.size(), 1u);
  EXPECT_EQ(i.else_body[0].kind, StmtKind::kIf);
  EXPECT_EQ(sexpr(i.else_body[0].value), "(event.amount > 50)");
  EXPECT_EQ(i.else_body[0].else_body[0].kind, StmtKind::kGrowthAdd);
  EXPECT_FALSE(b[10].has_else);
  EXPECT_TRUE(b[10].then_body.empty());
  EXPECT_EQ(b[10].loc.line, 9u);
  EXPECT_EQ(b[10].loc.col, 3u);
}

TEST(Tasks, ReadGoalsAndRepeats) {
  ast::Program p = parse_ok(with_header(
      "package pk \"P\" for level >= V2 available 7 days after join during 2026-06-01 .. "
      "2026-06-30\n"
      "task a on purchase sum event.amount reaches 1000 within 30 days once { points += 1 }\n"
      "task b \"B\" in pk on signin when true streak 1 day repeat weekly {}\n"
      "task c on purchase repeat yearly {}\n"
      "task d on purchase count 2 repeat daily {}\n"));
  EXPECT_EQ(sexpr(*p.packages[0].for_), "(level >= V2)");
  EXPECT_EQ(p.packages[0].available_after_join->count, 7);
  EXPECT_EQ(p.packages[0].during->from, "2026-06-01");
  EXPECT_EQ(p.packages[0].during->to, "2026-06-30");
  EXPECT_EQ(p.tasks[0].goal.kind, ast::GoalKind::kSum);
  EXPECT_EQ(sexpr(p.tasks[0].goal.sum), "event.amount");
  EXPECT_EQ(p.tasks[0].goal.reaches.text, "1000");
  EXPECT_EQ(p.tasks[0].goal.within->count, 30);
  EXPECT_EQ(p.tasks[0].repeat, ast::RepeatKind::kOnce);
  EXPECT_EQ(p.tasks[1].goal.count, 1);
  EXPECT_EQ(p.tasks[1].repeat, ast::RepeatKind::kWeekly);
  EXPECT_EQ(p.tasks[1].repeat_loc.col, 51u);
  EXPECT_EQ(p.tasks[2].repeat, ast::RepeatKind::kYearly);
  EXPECT_EQ(p.tasks[3].goal.kind, ast::GoalKind::kCount);
  EXPECT_FALSE(p.tasks[3].goal.within.has_value());
  EXPECT_EQ(p.tasks[3].repeat, ast::RepeatKind::kDaily);
}

TEST(Campaigns, ReadEverySchedule) {
  ast::Program p =
      parse_ok(with_header("campaign a \"A\" during 2026-06-01 .. 2026-06-03 { points *= 2 }\n"
                           "campaign b on purchase every friday during 2026-01-01 .. 2026-03-31 "
                           "for level >= V2 budget 250 points { points += 10 }\n"
                           "campaign c during 2026-01-01 .. 2026-03-31 every day from 22:00 to "
                           "02:00 budget 9 { growth *= 2 }\n"
                           "campaign d every month on day 1 {}\n"));
  EXPECT_FALSE(p.campaigns[0].on.has_value());
  EXPECT_FALSE(p.campaigns[0].every.has_value());
  EXPECT_EQ(p.campaigns[0].during->to, "2026-06-03");
  EXPECT_EQ(p.campaigns[1].every->kind, ast::RecurKind::kWeekday);
  EXPECT_EQ(p.campaigns[1].every->weekday, ast::Weekday::kFriday);
  EXPECT_EQ(p.campaigns[1].during->from, "2026-01-01");
  EXPECT_EQ(p.campaigns[1].budget, 250);
  EXPECT_EQ(p.campaigns[1].budget_loc.col, 92u);
  EXPECT_EQ(sexpr(*p.campaigns[1].for_), "(level >= V2)");
  EXPECT_EQ(p.campaigns[2].every->kind, ast::RecurKind::kDailyHours);
  EXPECT_EQ(p.campaigns[2].every->from, "22:00");
  EXPECT_EQ(p.campaigns[2].every->to, "02:00");
  EXPECT_EQ(p.campaigns[2].budget, 9);
  EXPECT_EQ(p.campaigns[3].every->day, 1);
}

TEST(Rewards, ReadCostStockLimitAndBody) {
  ast::Program p =
      parse_ok(with_header("reward r \"R\" cost 300 points stock 5 limit 2 per member for level >= "
                           "V2 { grant free_shipping 3 }\n"
                           "reward s cost 1 points\n"
                           "privilege free_shipping\n"
                           "card plus \"PLUS会员\" lasts 1 year { grant free_shipping 4 }\n"
                           "segment vip when \"vip\" in member.tags\n"));
  EXPECT_EQ(p.rewards[0].limit->period, ast::Period::kMember);
  EXPECT_EQ(p.rewards[0].limit->amount, 2);
  EXPECT_EQ(p.rewards[0].stock, 5);
  EXPECT_EQ(p.rewards[0].cost_loc.col, 19u);
  ASSERT_EQ(p.rewards[0].body.size(), 1u);
  EXPECT_EQ(p.rewards[0].body[0].count, 3);
  EXPECT_TRUE(p.rewards[1].body.empty());
  EXPECT_FALSE(p.rewards[1].stock.has_value());
  EXPECT_FALSE(p.privileges[0].for_.has_value());
  EXPECT_FALSE(p.privileges[0].quota.has_value());
  EXPECT_EQ(p.cards[0].name, "PLUS会员");
  EXPECT_EQ(p.cards[0].lasts.unit, ast::Unit::kYear);
  EXPECT_EQ(p.cards[0].body[0].target.name, "free_shipping");
  EXPECT_EQ(sexpr(p.segments[0].when), "(\"vip\" in member.tags)");
}

TEST(Layout, AcceptsOneLineBlocksSemicolonsAndComments) {
  ast::Program p = parse_ok(
      "program p { timezone \"UTC\" currency \"CNY\" }\n"
      "event refund { order_id: string }\n"
      "event e { a: int; ; b: string; }\n"
      "rule r on e { points += 1; ; growth += 2 }   # trailing comment, dropped\n"
      "rule s on e {\n"
      "  # inside a body, dropped\n"
      "  points += 1 # also dropped\n"
      "}\n");
  EXPECT_EQ(p.program.currency, "CNY");
  EXPECT_EQ(p.events[1].fields.size(), 2u);
  EXPECT_EQ(p.rules[0].body.size(), 2u);
  EXPECT_EQ(p.rules[1].body.size(), 1u);
  EXPECT_TRUE(p.rules[1].comments.empty());
}

TEST(Comments, AttachToTheNextDeclarationAndTrailAtTheEnd) {
  ast::Program p = parse_ok(
      "# about the program\n"
      "#\n"
      "#no space\n"
      "program p { timezone \"UTC\" }\n"
      "\n"
      "# the purchase event\n"
      "event purchase { amount: money }\n"
      "privilege a\n"
      "# above b\n"
      "privilege b\n"
      "# the end\n"
      "#   indented\n");
  EXPECT_EQ(p.program.comments, (std::vector<std::string>{"about the program", "", "no space"}));
  EXPECT_EQ(p.events[0].comments, std::vector<std::string>{"the purchase event"});
  EXPECT_TRUE(p.privileges[0].comments.empty());
  EXPECT_EQ(p.privileges[1].comments, std::vector<std::string>{"above b"});
  EXPECT_EQ(p.trailing_comments, (std::vector<std::string>{"the end", "  indented"}));
}

TEST(Fragments, ShiftPositionsByTheirBase) {
  // As the YAML loader does for `when: event.amount > 0` whose value starts at line 12, column 11.
  ExprOutput e = parse_expression(Source("p.merit.yaml", "event.amount > 0", ast::Loc{12, 11}));
  ASSERT_TRUE(e.value.has_value());
  EXPECT_EQ(e.value->loc.line, 12u);
  EXPECT_EQ(e.value->loc.col, 24u);  // the operator
  EXPECT_EQ(e.value->args[0].loc.col, 11u);
  EXPECT_EQ(e.value->args[1].loc.col, 26u);

  ExprOutput bad = parse_expression(Source("p.merit.yaml", "event.amount >", ast::Loc{12, 11}));
  ASSERT_EQ(bad.diagnostics.size(), 1u);
  EXPECT_FALSE(bad.value.has_value());
  EXPECT_EQ(bad.diagnostics[0].file, "p.merit.yaml");
  EXPECT_EQ(bad.diagnostics[0].loc.line, 12u);
  EXPECT_EQ(bad.diagnostics[0].loc.col, 25u);
  EXPECT_EQ(bad.diagnostics[0].message, "expected a value after `>`");

  StmtOutput s = parse_statement(Source("y", "points += 200 expire after 30 days", ast::Loc{4, 9}));
  ASSERT_TRUE(s.value.has_value());
  EXPECT_EQ(s.value->expire->after.count, 30);
  EXPECT_EQ(s.value->expire->loc.col, 30u);
  StmtOutput trailing = parse_statement(Source("y", "points += 1 }", ast::Loc{4, 9}));
  ASSERT_EQ(trailing.diagnostics.size(), 1u);
  EXPECT_EQ(trailing.diagnostics[0].message,
            "unexpected `}` after a statement such as `points += 10`");
  EXPECT_EQ(trailing.diagnostics[0].loc.col, 21u);
}

TEST(Fragments, ParseEveryClauseOfTheYamlTwin) {
  auto src = [](const char* t) { return Source("c", t); };
  EXPECT_EQ(parse_expiry_clause(src("after 365 days")).value->after.count, 365);
  EXPECT_EQ(parse_expiry_clause(src("at end of month + 3")).value->plus, 3);
  EXPECT_EQ(parse_expiry_clause(src("never")).value->kind, ast::ExpiryKind::kNever);
  EXPECT_EQ(parse_per_period_clause(src("5000 per day")).value->amount, 5000);
  EXPECT_EQ(parse_per_period_clause(src("1 per member")).value->period, ast::Period::kMember);
  EXPECT_EQ(parse_duration_clause(src("7 days")).value->count, 7);
  EXPECT_EQ(parse_goal_clause(src("count 3 within 30 days")).value->within->count, 30);
  EXPECT_EQ(parse_goal_clause(src("sum event.amount reaches 1000")).value->kind,
            ast::GoalKind::kSum);
  EXPECT_EQ(parse_goal_clause(src("streak 7 days")).value->count, 7);
  EXPECT_EQ(parse_repeat_clause(src("always")).value, ast::RepeatKind::kAlways);
  EXPECT_EQ(parse_repeat_clause(src("monthly")).value, ast::RepeatKind::kMonthly);
  EXPECT_EQ(parse_repeat_clause(src("once")).value, ast::RepeatKind::kOnce);
  EXPECT_EQ(parse_review_clause(src("yearly")).value->kind, ast::ReviewKind::kYearly);
  EXPECT_EQ(parse_review_clause(src("every 6 months")).value->every.count, 6);
  EXPECT_EQ(parse_date_range_clause(src("2026-06-01 .. 2026-06-03")).value->to, "2026-06-03");
  EXPECT_EQ(parse_available_clause(src("30 days after join")).value->count, 30);
  auto sched = parse_schedule_clause(src("every friday during 2026-01-01 .. 2026-03-31"));
  ASSERT_TRUE(sched.value.has_value());
  EXPECT_EQ(sched.value->every->weekday, ast::Weekday::kFriday);
  EXPECT_EQ(sched.value->during->from, "2026-01-01");
  EXPECT_EQ(parse_schedule_clause(src("every month on day 18")).value->every->day, 18);

  auto bad = parse_per_period_clause(src("5000 per fortnight"));
  ASSERT_EQ(bad.diagnostics.size(), 1u);
  EXPECT_EQ(bad.diagnostics[0].message,
            "expected `day`, `week`, `month`, `year` or `member` after `per`");
  EXPECT_EQ(bad.diagnostics[0].loc.col, 10u);
  auto empty = parse_duration_clause(src(""));
  ASSERT_EQ(empty.diagnostics.size(), 1u);
  EXPECT_EQ(empty.diagnostics[0].message, "expected a duration such as `7 days`");
  auto repeat = parse_repeat_clause(src("sometimes"));
  ASSERT_EQ(repeat.diagnostics.size(), 1u);
  EXPECT_EQ(repeat.diagnostics[0].message,
            "expected `always`, `once`, `daily`, `weekly`, `monthly` or `yearly`");
}

TEST(Speed, ParsesATenThousandLineProgramQuickly) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
  GTEST_SKIP() << "timing is meaningless under the sanitizers";
#endif
  std::string text = "program p { timezone \"UTC\" }\nevent purchase { amount: money }\n";
  for (int i = 0; i < 2500; ++i) {
    text += "# rule " + std::to_string(i) + "\n";
    text += "rule r" + std::to_string(i) + " on purchase when event.amount > " + std::to_string(i) +
            " {\n";
    text += "  points += floor(event.amount * 1.5) + count(purchase within 30 days)\n";
    text += "}\n";
  }
  auto start = std::chrono::steady_clock::now();
  ParseOutput out = parse_program(Source("big.merit", text));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  ASSERT_TRUE(out.program.has_value());
  EXPECT_EQ(out.program->rules.size(), 2500u);
  EXPECT_LT(ms, 1000);
}

TEST(Keywords, AreReservedOnlyWhereTheGrammarExpectsThem) {
  ast::Program p = parse_ok(
      with_header("event e { level: int; count: int; when: string; on: string; points: int }\n"
                  "rule r on e when event.when == \"x\" and event.count > event.level { points += "
                  "event.points }\n"));
  ASSERT_EQ(p.events[0].fields.size(), 5u);
  EXPECT_EQ(p.events[0].fields[2].name.name, "when");
  EXPECT_EQ(sexpr(*p.rules[0].when), "((event.when == \"x\") and (event.count > event.level))");
  EXPECT_EQ(sexpr(p.rules[0].body[0].value), "event.points");
}

TEST(ParseFile, ReadsByExtensionAndNamesAnUnreadableFile) {
  ParseOutput missing = parse_file("/nonexistent/x.merit");
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(missing.diagnostics[0].message, "cannot read file `/nonexistent/x.merit`");
  EXPECT_EQ(missing.diagnostics[0].file, "/nonexistent/x.merit");
  ParseOutput yaml =
      parse_file(testing::shared_dir() + "/conformance/06-yaml-twin/program.merit.yaml");
  EXPECT_TRUE(yaml.program.has_value());
}

TEST(Speed, ParsesAProgramWrittenOnOneLongLineInLinearTime) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
  GTEST_SKIP() << "timing is meaningless under the sanitizers";
#endif
  std::string text = "program p { timezone \"UTC\" }";
  for (int i = 0; i < 20000; ++i) text += " privilege a" + std::to_string(i) + " for x > 1";
  auto start = std::chrono::steady_clock::now();
  ParseOutput out = parse_program(Source("line.merit", text));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  ASSERT_TRUE(out.program.has_value());
  EXPECT_EQ(out.program->privileges.back().loc.col, text.rfind("privilege") + 1);
  EXPECT_LT(ms, 1000);
}

}  // namespace
}  // namespace merit::dsl
