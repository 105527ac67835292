// Golden tests of the canonical printers: whole .merit and YAML texts for hand-built trees, and
// the expression printer's parentheses.
#include "dsl/printer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/ast.hpp"

namespace merit::dsl {
namespace {

using namespace ast;

Expr num(std::string t, bool percent = false) {
  Expr e;
  e.kind = ExprKind::kNumber;
  e.text = std::move(t);
  e.percent = percent;
  return e;
}
Expr str(std::string t) {
  Expr e;
  e.kind = ExprKind::kString;
  e.text = std::move(t);
  return e;
}
Expr path(std::vector<std::string> p) {
  Expr e;
  e.kind = ExprKind::kPath;
  e.path = std::move(p);
  return e;
}
Expr bin(std::string op, Expr a, Expr b) {
  Expr e;
  e.kind = ExprKind::kBinary;
  e.text = std::move(op);
  e.args = {std::move(a), std::move(b)};
  return e;
}
Expr un(std::string op, Expr a) {
  Expr e;
  e.kind = ExprKind::kUnary;
  e.text = std::move(op);
  e.args = {std::move(a)};
  return e;
}
Expr call(std::string f, std::vector<Expr> args) {
  Expr e;
  e.kind = ExprKind::kCall;
  e.text = std::move(f);
  e.args = std::move(args);
  return e;
}
Expr agg(std::string f, std::vector<std::string> p, std::optional<Expr> where = std::nullopt,
         std::optional<Duration> within = std::nullopt) {
  Expr e;
  e.kind = ExprKind::kAggregate;
  e.text = std::move(f);
  e.path = std::move(p);
  if (where) e.args.push_back(std::move(*where));
  e.within = within;
  return e;
}
Duration dur(std::int64_t n, Unit u) { return Duration{n, u, {}}; }
Ident id(std::string n) { return Ident{std::move(n), {}}; }
Stmt stmt(StmtKind k, Expr v) {
  Stmt s;
  s.kind = k;
  s.value = std::move(v);
  return s;
}
FieldDecl field(std::string n, std::string t) {
  FieldDecl f;
  f.name = id(std::move(n));
  f.type = std::move(t);
  return f;
}

// The program of LANGUAGE.md §4, a little extended (else-if, pending, keep, allow negative...).
Program yanxuan() {
  Program p;
  p.program.id = id("yanxuan");
  p.program.name = "严选会员";
  p.program.timezone = "Asia/Shanghai";
  p.program.currency = "CNY";
  p.program.comments = {"The flagship program.", ""};

  MemberDecl m;
  m.fields = {field("birthday", "date"), field("city", "string"), field("tags", "set<string>")};
  p.member = m;

  EventDecl purchase;
  purchase.id = id("purchase");
  purchase.fields = {field("amount", "money"), field("order_id", "string")};
  EventDecl signin;
  signin.id = id("signin");
  signin.comments = {"daily check-in"};
  p.events = {purchase, signin};

  PointsDecl pts;
  pts.name = "积分";
  pts.expire = Expiry{ExpiryKind::kAfter, dur(365, Unit::kDay), 0, {}};
  pts.cap = PerPeriod{5000, Period::kDay, {}};
  pts.pending = dur(7, Unit::kDay);
  pts.allow_negative = true;
  p.points = pts;

  GrowthDecl g;
  g.window = dur(1, Unit::kYear);
  p.growth = g;

  LevelsDecl lv;
  lv.review = Review{ReviewKind::kYearly, {}, {}};
  lv.downgrade = Downgrade::kOne;
  LevelDecl v1;
  v1.id = id("V1");
  v1.name = "普通会员";
  v1.from = 0;
  v1.attributes = {Attribute{{}, id("points_rate"), num("1")},
                   Attribute{{}, id("badge"), str("plain")}};
  LevelDecl v2;
  v2.id = id("V2");
  v2.from = 1000;
  v2.keep = 800;
  v2.attributes = {Attribute{{}, id("points_rate"), num("1.2")}};
  LevelDecl v3;
  v3.id = id("V3");
  v3.name = "黄金会员";
  v3.from = 5000;
  lv.levels = {v1, v2, v3};
  p.levels = lv;

  RuleDecl buy;
  buy.id = id("purchase_points");
  buy.name = "消费积分";
  buy.on = id("purchase");
  buy.when = bin(">", path({"event", "amount"}), num("0"));
  buy.body.push_back(stmt(StmtKind::kPointsAdd,
                          bin("*", path({"event", "amount"}), path({"level", "points_rate"}))));
  buy.body.push_back(stmt(StmtKind::kGrowthAdd, path({"event", "amount"})));
  Stmt cond = stmt(StmtKind::kIf, bin("in", str("vip"), path({"member", "tags"})));
  Stmt bonus = stmt(StmtKind::kPointsAdd, num("50"));
  bonus.expire = Expiry{ExpiryKind::kEndOfMonth, {}, 3, {}};
  bonus.pending = dur(1, Unit::kDay);
  cond.then_body = {bonus};
  cond.has_else = true;
  Stmt elif = stmt(StmtKind::kIf, bin(">=", path({"level"}), path({"V3"})));
  elif.then_body = {stmt(StmtKind::kTagAdd, str("gold \"buyer\""))};
  elif.has_else = true;
  Stmt grant;
  grant.kind = StmtKind::kGrant;
  grant.target = id("free_shipping");
  grant.count = 2;
  grant.valid = dur(30, Unit::kDay);
  elif.else_body = {grant};
  cond.else_body = {elif};
  buy.body.push_back(cond);
  RuleDecl refund;
  refund.id = id("refund_reverse");
  refund.on = id("refund");
  Stmt rev = stmt(StmtKind::kReverse, path({"event", "order_id"}));
  rev.target = id("purchase");
  rev.field = id("order_id");
  refund.body = {rev};
  RuleDecl empty;
  empty.id = id("noop");
  empty.on = id("signin");
  p.rules = {buy, refund, empty};

  PackageDecl pkg;
  pkg.id = id("newbie");
  pkg.name = "新人礼包";
  pkg.available_after_join = dur(30, Unit::kDay);
  p.packages = {pkg};

  TaskDecl t1;
  t1.id = id("first_purchase");
  t1.in = id("newbie");
  t1.on = id("purchase");
  Stmt t1s = stmt(StmtKind::kPointsAdd, num("200"));
  t1s.expire = Expiry{ExpiryKind::kAfter, dur(30, Unit::kDay), 0, {}};
  t1.body = {t1s};
  TaskDecl t2;
  t2.id = id("buy_three");
  t2.on = id("purchase");
  t2.when = bin(">=", path({"event", "amount"}), num("50"));
  t2.goal.kind = GoalKind::kCount;
  t2.goal.count = 3;
  t2.goal.within = dur(30, Unit::kDay);
  t2.repeat = RepeatKind::kMonthly;
  t2.body = {stmt(StmtKind::kGrowthAdd, num("300"))};
  TaskDecl t3;
  t3.id = id("signin_week");
  t3.on = id("signin");
  t3.goal.kind = GoalKind::kStreak;
  t3.goal.count = 7;
  t3.repeat = RepeatKind::kAlways;
  t3.body = {stmt(StmtKind::kPointsAdd, num("70"))};
  TaskDecl t4;
  t4.id = id("big_spender");
  t4.on = id("purchase");
  t4.goal.kind = GoalKind::kSum;
  t4.goal.sum = path({"event", "amount"});
  t4.goal.reaches = num("1000");
  t4.repeat = RepeatKind::kOnce;
  p.tasks = {t1, t2, t3, t4};

  CampaignDecl c;
  c.id = id("member_day");
  c.name = "会员日双倍积分";
  c.on = id("purchase");
  c.every = Recurrence{RecurKind::kMonthDay, 18, Weekday::kMonday, "", "", {}};
  c.during = DateRange{"2026-01-01", "2026-12-31", {}};
  c.budget = 250000;
  c.body = {stmt(StmtKind::kPointsMul, num("2"))};
  CampaignDecl lunch;
  lunch.id = id("lunch");
  lunch.every = Recurrence{RecurKind::kDailyHours, 0, Weekday::kMonday, "11:30", "13:00", {}};
  lunch.for_ = bin(">=", path({"level"}), path({"V2"}));
  lunch.body = {stmt(StmtKind::kGrowthMul, num("150", true))};
  p.campaigns = {c, lunch};

  PrivilegeDecl fs;
  fs.id = id("free_shipping");
  fs.name = "包邮券";
  fs.for_ = bin(">=", path({"level"}), path({"V2"}));
  fs.quota = PerPeriod{4, Period::kMonth, {}};
  PrivilegeDecl bday;
  bday.id = id("birthday_gift");
  bday.for_ =
      bin("and", bin(">=", path({"level"}), path({"V3"})),
          bin("==", call("month", {path({"member", "birthday"})}), call("month", {path({"now"})})));
  bday.quota = PerPeriod{1, Period::kYear, {}};
  p.privileges = {fs, bday};

  RewardDecl coffee;
  coffee.id = id("coffee");
  coffee.name = "咖啡券";
  coffee.cost = 300;
  coffee.stock = 1000;
  coffee.limit = PerPeriod{1, Period::kDay, {}};
  coffee.for_ = bin(">=", path({"level"}), path({"V2"}));
  RewardDecl ship;
  ship.id = id("ship_pack");
  ship.cost = 500;
  ship.limit = PerPeriod{2, Period::kMember, {}};
  Stmt sg;
  sg.kind = StmtKind::kGrant;
  sg.target = id("free_shipping");
  sg.count = 3;
  ship.body = {sg};
  p.rewards = {coffee, ship};

  CardDecl plus;
  plus.id = id("plus");
  plus.name = "PLUS会员";
  plus.lasts = dur(1, Unit::kYear);
  Stmt pg;
  pg.kind = StmtKind::kGrant;
  pg.target = id("free_shipping");
  plus.body = {pg};
  p.cards = {plus};

  SegmentDecl dormant;
  dormant.id = id("dormant");
  dormant.name = "沉睡会员";
  dormant.when = bin(">", call("days_since", {agg("last", {"purchase"})}), num("90"));
  SegmentDecl busy;
  busy.id = id("busy");
  busy.when = bin(">=",
                  agg("count", {"purchase"}, bin(">", path({"event", "amount"}), num("100")),
                      dur(30, Unit::kDay)),
                  num("3"));
  p.segments = {dormant, busy};
  p.trailing_comments = {"end of program"};
  return p;
}

constexpr const char* kYanxuanDsl = R"(# The flagship program.
#
program yanxuan "严选会员" {
  timezone "Asia/Shanghai"
  currency "CNY"
}

member {
  birthday: date
  city: string
  tags: set<string>
}

event purchase {
  amount: money
  order_id: string
}

# daily check-in
event signin {}

points "积分" {
  expire after 365 days
  cap 5000 per day
  pending 7 days
  allow negative
}

growth {
  window 1 year
}

levels by growth review yearly downgrade one {
  level V1 "普通会员" from 0 { points_rate 1 badge "plain" }
  level V2 from 1000 keep 800 { points_rate 1.2 }
  level V3 "黄金会员" from 5000
}

rule purchase_points "消费积分" on purchase when event.amount > 0 {
  points += event.amount * level.points_rate
  growth += event.amount
  if "vip" in member.tags {
    points += 50 expire at end of month + 3 pending 1 day
  } else if level >= V3 {
    tag += "gold \"buyer\""
  } else {
    grant free_shipping 2 valid 30 days
  }
}

rule refund_reverse on refund {
  reverse purchase where order_id == event.order_id
}

rule noop on signin {}

package newbie "新人礼包" available 30 days after join

task first_purchase in newbie on purchase {
  points += 200 expire after 30 days
}

task buy_three on purchase when event.amount >= 50 count 3 within 30 days repeat monthly {
  growth += 300
}

task signin_week on signin streak 7 days repeat {
  points += 70
}

task big_spender on purchase sum event.amount reaches 1000 once {}

campaign member_day "会员日双倍积分" on purchase every month on day 18 during 2026-01-01 .. 2026-12-31 budget 250000 points {
  points *= 2
}

campaign lunch every day from 11:30 to 13:00 for level >= V2 {
  growth *= 150%
}

privilege free_shipping "包邮券" for level >= V2 quota 4 per month

privilege birthday_gift for level >= V3 and month(member.birthday) == month(now) quota 1 per year

reward coffee "咖啡券" cost 300 points stock 1000 limit 1 per day for level >= V2

reward ship_pack cost 500 points limit 2 per member {
  grant free_shipping 3
}

card plus "PLUS会员" lasts 1 year {
  grant free_shipping
}

segment dormant "沉睡会员" when days_since(last(purchase)) > 90

segment busy when count(purchase where event.amount > 100 within 30 days) >= 3

# end of program
)";

constexpr const char* kYanxuanYaml = R"(# The flagship program.
#
program:
  id: yanxuan
  name: 严选会员
  timezone: Asia/Shanghai
  currency: CNY
member: { birthday: date, city: string, tags: set<string> }
events:
  purchase: { amount: money, order_id: string }
  # daily check-in
  signin: {}
points:
  name: 积分
  expire: after 365 days
  cap: 5000 per day
  pending: 7 days
  allow: negative
growth:
  window: 1 year
levels:
  by: growth
  review: yearly
  downgrade: one
  ladder:
    - id: V1
      name: 普通会员
      from: 0
      attributes: { points_rate: 1, badge: 'plain' }
    - id: V2
      from: 1000
      keep: 800
      attributes: { points_rate: 1.2 }
    - id: V3
      name: 黄金会员
      from: 5000
rules:
  - id: purchase_points
    name: 消费积分
    on: purchase
    when: event.amount > 0
    do:
      - points += event.amount * level.points_rate
      - growth += event.amount
      - if: '"vip" in member.tags'
        then:
          - points += 50 expire at end of month + 3 pending 1 day
        else:
          - if: level >= V3
            then:
              - tag += "gold \"buyer\""
            else:
              - grant free_shipping 2 valid 30 days
  - id: refund_reverse
    on: refund
    do:
      - reverse purchase where order_id == event.order_id
  - id: noop
    on: signin
    do: []
packages:
  - id: newbie
    name: 新人礼包
    available: 30 days after join
tasks:
  - id: first_purchase
    in: newbie
    on: purchase
    do:
      - points += 200 expire after 30 days
  - id: buy_three
    on: purchase
    when: event.amount >= 50
    goal: count 3 within 30 days
    repeat: monthly
    do:
      - growth += 300
  - id: signin_week
    on: signin
    goal: streak 7 days
    repeat: always
    do:
      - points += 70
  - id: big_spender
    on: purchase
    goal: sum event.amount reaches 1000
    repeat: once
    do: []
campaigns:
  - id: member_day
    name: 会员日双倍积分
    on: purchase
    schedule: every month on day 18
    during: 2026-01-01 .. 2026-12-31
    budget: 250000
    do:
      - points *= 2
  - id: lunch
    schedule: every day from 11:30 to 13:00
    for: level >= V2
    do:
      - growth *= 150%
privileges:
  - id: free_shipping
    name: 包邮券
    for: level >= V2
    quota: 4 per month
  - id: birthday_gift
    for: level >= V3 and month(member.birthday) == month(now)
    quota: 1 per year
rewards:
  - id: coffee
    name: 咖啡券
    cost: 300
    stock: 1000
    limit: 1 per day
    for: level >= V2
  - id: ship_pack
    cost: 500
    limit: 2 per member
    do:
      - grant free_shipping 3
cards:
  - id: plus
    name: PLUS会员
    lasts: 1 year
    do:
      - grant free_shipping
segments:
  - id: dormant
    name: 沉睡会员
    when: days_since(last(purchase)) > 90
  - id: busy
    when: count(purchase where event.amount > 100 within 30 days) >= 3
# end of program
)";

TEST(PrintDsl, WholeProgramIsCanonical) { EXPECT_EQ(print_dsl(yanxuan()), kYanxuanDsl); }

TEST(PrintYaml, WholeProgramHasTheShapeOfTheYamlTwin) {
  EXPECT_EQ(print_yaml(yanxuan()), kYanxuanYaml);
}

TEST(PrintDsl, SmallestProgramIsOneLine) {
  Program p;
  p.program.id = id("p");
  EXPECT_EQ(print_dsl(p), "program p {}\n");
  EXPECT_EQ(print_yaml(p), "program:\n  id: p\n");
}

TEST(PrintDsl, EmptyBlocksAndOptionalPartsAreOmitted) {
  Program p;
  p.program.id = id("p");
  p.program.timezone = "UTC";
  p.member = MemberDecl{};
  p.points = PointsDecl{};
  p.growth = GrowthDecl{};
  EventDecl e;
  e.id = id("signin");
  p.events = {e};
  EXPECT_EQ(print_dsl(p),
            "program p {\n  timezone \"UTC\"\n}\n\nmember {}\n\nevent signin {}\n\npoints {}\n\n"
            "growth {}\n");
  EXPECT_EQ(print_yaml(p),
            "program:\n  id: p\n  timezone: UTC\nmember: {}\nevents:\n  signin: {}\npoints: {}\n"
            "growth: {}\n");
}

TEST(PrintDsl, StringsAreEscaped) {
  EXPECT_EQ(print_expression(str(R"(say "hi" \o/)")), R"("say \"hi\" \\o/")");
  EXPECT_EQ(print_expression(str("黄金会员")), "\"黄金会员\"");
  EXPECT_EQ(print_expression(str("")), "\"\"");
}

TEST(PrintYaml, QuotesScalarsThatYamlWouldMisread) {
  auto name_line = [](std::string name) {
    Program p;
    p.program.id = id("p");
    p.program.name = std::move(name);
    std::string y = print_yaml(p);
    auto at = y.find("  name: ");
    return y.substr(at + 8, y.find('\n', at) - at - 8);
  };
  EXPECT_EQ(name_line("严选会员"), "严选会员");
  EXPECT_EQ(name_line("Gold members"), "Gold members");
  EXPECT_EQ(name_line("yes"), "'yes'");
  EXPECT_EQ(name_line("Off"), "'Off'");
  EXPECT_EQ(name_line("null"), "'null'");
  EXPECT_EQ(name_line("~"), "'~'");
  EXPECT_EQ(name_line("123"), "'123'");
  EXPECT_EQ(name_line("-1.5e3"), "'-1.5e3'");
  EXPECT_EQ(name_line("2026-01-01"), "'2026-01-01'");
  EXPECT_EQ(name_line("12:30"), "'12:30'");
  EXPECT_EQ(name_line("a: b"), "'a: b'");
  EXPECT_EQ(name_line("ends with:"), "'ends with:'");
  EXPECT_EQ(name_line("x #y"), "'x #y'");
  EXPECT_EQ(name_line("x#y"), "x#y");
  EXPECT_EQ(name_line("#tag"), "'#tag'");
  EXPECT_EQ(name_line("- item"), "'- item'");
  EXPECT_EQ(name_line("{a}"), "'{a}'");
  EXPECT_EQ(name_line("it's"), "it's");
  EXPECT_EQ(name_line("'quoted'"), "'''quoted'''");
  EXPECT_EQ(name_line("\"dq\""), "'\"dq\"'");
  EXPECT_EQ(name_line(" padded "), "' padded '");
  EXPECT_EQ(name_line(""), "''");
  EXPECT_EQ(name_line("tab\there"), "\"tab\\there\"");
  EXPECT_EQ(name_line("a, b"), "a, b");
  EXPECT_EQ(name_line("100%"), "100%");
  EXPECT_EQ(name_line("%x"), "'%x'");
  EXPECT_EQ(name_line("@home"), "'@home'");
  // Characters a YAML reader takes for line breaks or a byte order mark are escaped.
  EXPECT_EQ(name_line("a\u2028b"), "\"a\\u2028b\"");
  EXPECT_EQ(name_line("a\u0085b\uFEFF"), "\"a\\u0085b\\uFEFF\"");
}

TEST(PrintExpression, UsesTheFewestParentheses) {
  Expr a = path({"a"}), b = path({"b"}), c = path({"c"});
  EXPECT_EQ(print_expression(bin("+", a, bin("*", b, c))), "a + b * c");
  EXPECT_EQ(print_expression(bin("*", bin("+", a, b), c)), "(a + b) * c");
  EXPECT_EQ(print_expression(bin("-", bin("-", a, b), c)), "a - b - c");
  EXPECT_EQ(print_expression(bin("-", a, bin("-", b, c))), "a - (b - c)");
  EXPECT_EQ(print_expression(bin("/", a, bin("*", b, c))), "a / (b * c)");
  EXPECT_EQ(print_expression(bin("or", a, bin("and", b, c))), "a or b and c");
  EXPECT_EQ(print_expression(bin("and", bin("or", a, b), c)), "(a or b) and c");
  EXPECT_EQ(print_expression(un("not", bin("and", a, b))), "not (a and b)");
  EXPECT_EQ(print_expression(un("not", bin("==", a, b))), "not a == b");
  EXPECT_EQ(print_expression(bin("and", un("not", a), b)), "not a and b");
  EXPECT_EQ(print_expression(bin("==", un("not", a), b)), "(not a) == b");
  EXPECT_EQ(print_expression(un("-", bin("+", a, b))), "-(a + b)");
  EXPECT_EQ(print_expression(un("-", un("-", a))), "-(-a)");
  EXPECT_EQ(print_expression(bin("*", un("-", a), b)), "-a * b");
  EXPECT_EQ(print_expression(bin("<", bin("<", a, b), c)), "(a < b) < c");
  EXPECT_EQ(print_expression(bin("==", bin("+", a, num("1")), bin("*", b, num("5", true)))),
            "a + 1 == b * 5%");
  EXPECT_EQ(print_expression(bin("in", str("vip"), path({"member", "tags"}))),
            "\"vip\" in member.tags");
  EXPECT_EQ(print_expression(call("max", {bin("+", a, b), num("0")})), "max(a + b, 0)");
  EXPECT_EQ(
      print_expression(agg("sum", {"purchase", "amount"}, std::nullopt, dur(12, Unit::kHour))),
      "sum(purchase.amount within 12 hours)");
  EXPECT_EQ(print_expression(agg("first", {"signin"})), "first(signin)");
}

TEST(PrintExpression, PrintsEveryLiteralAsWritten) {
  Expr d;
  d.kind = ExprKind::kDate;
  d.text = "2026-12-18";
  Expr dt;
  dt.kind = ExprKind::kDateTime;
  dt.text = "2026-12-18T10:00";
  Expr t;
  t.kind = ExprKind::kTimeOfDay;
  t.text = "10:00";
  Expr b;
  b.kind = ExprKind::kBool;
  b.text = "false";
  Expr n;
  n.kind = ExprKind::kNone;
  Expr du;
  du.kind = ExprKind::kDuration;
  du.duration = dur(2, Unit::kWeek);
  EXPECT_EQ(print_expression(d), "2026-12-18");
  EXPECT_EQ(print_expression(dt), "2026-12-18T10:00");
  EXPECT_EQ(print_expression(t), "10:00");
  EXPECT_EQ(print_expression(b), "false");
  EXPECT_EQ(print_expression(n), "none");
  EXPECT_EQ(print_expression(du), "2 weeks");
  EXPECT_EQ(print_expression(num("1.50")), "1.50");
  EXPECT_EQ(print_expression(num("5", true)), "5%");
}

TEST(PrintDuration, SingularForOne) {
  EXPECT_EQ(print_duration(dur(1, Unit::kDay)), "1 day");
  EXPECT_EQ(print_duration(dur(30, Unit::kDay)), "30 days");
  EXPECT_EQ(print_duration(dur(1, Unit::kHour)), "1 hour");
  EXPECT_EQ(print_duration(dur(12, Unit::kHour)), "12 hours");
  EXPECT_EQ(print_duration(dur(6, Unit::kMonth)), "6 months");
  EXPECT_EQ(print_duration(dur(1, Unit::kYear)), "1 year");
  EXPECT_EQ(print_duration(dur(2, Unit::kWeek)), "2 weeks");
}

TEST(PrintDsl, IsDeterministic) {
  Program p = yanxuan();
  EXPECT_EQ(print_dsl(p), print_dsl(p));
  EXPECT_EQ(print_yaml(p), print_yaml(p));
}

}  // namespace
}  // namespace merit::dsl
