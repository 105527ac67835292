// The YAML twin's loader: the §6 example and the conformance twin load to the trees their .merit
// texts parse to, and malformed files give diagnostics with the right message, line and column.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/ast.hpp"
#include "dsl/parse.hpp"
#include "dsl/printer.hpp"
#include "dsl/source.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::dsl {
namespace {

ParseOutput load(const std::string& text) {
  return load_yaml_program(Source("t.merit.yaml", text));
}

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds)
    out += d.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": [" +
           d.code + "] " + d.message + "\n";
  return out;
}

// The first diagnostic, whole: "line:col: [code] message".
std::string first_error(const std::string& text) {
  ParseOutput out = load(text);
  EXPECT_FALSE(out.program.has_value()) << "loaded although it should not:\n" << text;
  if (out.diagnostics.empty()) return "(no diagnostic)";
  const Diagnostic& d = out.diagnostics.front();
  EXPECT_EQ(d.file, "t.merit.yaml");
  EXPECT_EQ(d.severity, Severity::kError);
  return std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": [" + d.code + "] " +
         d.message;
}

void clear_comments(ast::Program& p) {
  p.program.comments.clear();
  if (p.member) p.member->comments.clear();
  for (auto& e : p.events) e.comments.clear();
  if (p.points) p.points->comments.clear();
  if (p.growth) p.growth->comments.clear();
  if (p.levels) p.levels->comments.clear();
  for (auto& d : p.rules) d.comments.clear();
  for (auto& d : p.packages) d.comments.clear();
  for (auto& d : p.tasks) d.comments.clear();
  for (auto& d : p.campaigns) d.comments.clear();
  for (auto& d : p.privileges) d.comments.clear();
  for (auto& d : p.rewards) d.comments.clear();
  for (auto& d : p.cards) d.comments.clear();
  for (auto& d : p.segments) d.comments.clear();
  p.trailing_comments.clear();
}

constexpr const char* kSection6 =
    R"(program: { id: yanxuan, name: 严选会员, timezone: Asia/Shanghai, currency: CNY }
member: { birthday: date, city: string, tags: set<string> }
events:
  purchase: { amount: money, category: string, channel: string, order_id: string }
  refund: { order_id: string }
points: { name: 积分, expire: after 365 days, cap: 5000 per day }
growth: { name: 成长值, window: 365 days }
levels:
  by: growth
  review: yearly
  downgrade: one
  ladder:
    - { id: V1, name: 普通会员, from: 0, attributes: { points_rate: 1 } }
    - { id: V2, name: 白银会员, from: 1000, attributes: { points_rate: 1.2 } }
rules:
  - id: purchase_points
    name: 消费积分
    on: purchase
    when: event.amount > 0
    do:
      - points += event.amount * level.points_rate
      - growth += event.amount
tasks:
  - { id: first_purchase, name: 新手尝新, in: newbie, on: purchase, do: [ "points += 200 expire after 30 days" ] }
  - { id: signin_week, on: signin, goal: streak 7 days, repeat: always, do: [ "points += 70" ] }
packages:
  - { id: newbie, name: 新人礼包, available: 30 days after join }
campaigns:
  - { id: member_day, on: purchase, schedule: every month on day 18, do: [ "points *= 2" ] }
privileges:
  - { id: free_shipping, for: level >= V2, quota: 4 per month }
rewards:
  - { id: coffee, cost: 300, stock: 1000, limit: 1 per day, for: level >= V2 }
segments:
  - { id: dormant, when: days_since(last(purchase)) > 90 }
)";

constexpr const char* kSection6Dsl = R"(program yanxuan "严选会员" {
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
  category: string
  channel: string
  order_id: string
}

event refund {
  order_id: string
}

points "积分" {
  expire after 365 days
  cap 5000 per day
}

growth "成长值" {
  window 365 days
}

levels by growth review yearly downgrade one {
  level V1 "普通会员" from 0 { points_rate 1 }
  level V2 "白银会员" from 1000 { points_rate 1.2 }
}

rule purchase_points "消费积分" on purchase when event.amount > 0 {
  points += event.amount * level.points_rate
  growth += event.amount
}

package newbie "新人礼包" available 30 days after join

task first_purchase "新手尝新" in newbie on purchase {
  points += 200 expire after 30 days
}

task signin_week on signin streak 7 days repeat {
  points += 70
}

campaign member_day on purchase every month on day 18 {
  points *= 2
}

privilege free_shipping for level >= V2 quota 4 per month

reward coffee cost 300 points stock 1000 limit 1 per day for level >= V2

segment dormant when days_since(last(purchase)) > 90
)";

TEST(YamlLoader, LoadsTheLanguageSection6Example) {
  ParseOutput out = load(kSection6);
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  EXPECT_EQ(dump(out.diagnostics), "");
  EXPECT_EQ(print_dsl(*out.program), kSection6Dsl);
  // The same program written in .merit parses to an equal tree.
  ParseOutput dsl = parse_program(Source("t.merit", kSection6Dsl));
  ASSERT_TRUE(dsl.program.has_value()) << dump(dsl.diagnostics);
  EXPECT_EQ(*dsl.program, *out.program);
}

TEST(YamlLoader, ConformanceTwinEqualsItsMeritProgram) {
  std::string shared = testing::shared_dir() + "/conformance/";
  std::string yaml_path = shared + "06-yaml-twin/program.merit.yaml";
  std::string dsl_path = shared + "01-purchase-upgrade/program.merit";
  ParseOutput y = load_yaml_program(Source(yaml_path, testing::read_file(yaml_path)));
  ParseOutput d = parse_program(Source(dsl_path, testing::read_file(dsl_path)));
  ASSERT_TRUE(y.program.has_value()) << dump(y.diagnostics);
  ASSERT_TRUE(d.program.has_value()) << dump(d.diagnostics);
  // Their header comments say different things; the programs are the same.
  EXPECT_EQ(y.program->program.comments,
            std::vector<std::string>{"The program of 01-purchase-upgrade, written in YAML."});
  clear_comments(*y.program);
  clear_comments(*d.program);
  EXPECT_EQ(*y.program, *d.program);
  EXPECT_EQ(print_dsl(*y.program), print_dsl(*d.program));
}

TEST(YamlLoader, KeepsCommentsAboveDeclarationsAndAtTheEnd) {
  ParseOutput out = load(
      "# head\nprogram:\n  id: p\nevents:\n  # the buy\n  purchase: {}\n"
      "segments:\n  # one\n  # two\n  - id: s\n    when: true\n\n# tail\n");
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  EXPECT_EQ(out.program->program.comments, std::vector<std::string>{"head"});
  EXPECT_EQ(out.program->events.at(0).comments, std::vector<std::string>{"the buy"});
  EXPECT_EQ(out.program->segments.at(0).comments, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(out.program->trailing_comments, std::vector<std::string>{"tail"});
}

TEST(YamlLoader, AcceptsBudgetWithPointsAndBareNumbers) {
  ParseOutput out = load(
      "program: { id: p }\ncampaigns:\n  - { id: c, during: 2026-06-01 .. 2026-06-03, budget: 250 "
      "points }\n"
      "  - { id: d, schedule: every friday, budget: 40 }\n");
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  EXPECT_EQ(out.program->campaigns.at(0).budget, 250);
  EXPECT_EQ(out.program->campaigns.at(1).budget, 40);
  EXPECT_EQ(out.program->campaigns.at(1).every->weekday, ast::Weekday::kFriday);
}

TEST(YamlLoader, OnIsAKeyNotABoolean) {
  ParseOutput out = load("program: { id: p }\nrules:\n  - { id: r, on: signin, do: [] }\n");
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  EXPECT_EQ(out.program->rules.at(0).on.name, "signin");
}

TEST(YamlLoader, AttributesKeepNumbersAndQuotedStringsApart) {
  ParseOutput out = load(
      "program: { id: p }\nlevels:\n  by: growth\n  ladder:\n"
      "    - { id: L1, from: 0, attributes: { rate: 1.5, bonus: 5%, label: '1', tier: gold } }\n");
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  const auto& a = out.program->levels->levels.at(0).attributes;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].value.kind, ast::ExprKind::kNumber);
  EXPECT_EQ(a[0].value.text, "1.5");
  EXPECT_EQ(a[1].value.kind, ast::ExprKind::kNumber);
  EXPECT_TRUE(a[1].value.percent);
  EXPECT_EQ(a[1].value.text, "5");
  EXPECT_EQ(a[2].value.kind, ast::ExprKind::kString);
  EXPECT_EQ(a[2].value.text, "1");
  EXPECT_EQ(a[3].value.kind, ast::ExprKind::kString);
}

TEST(YamlLoader, StructuredIfStatements) {
  ParseOutput out = load(
      "program: { id: p }\nrules:\n  - id: r\n    on: buy\n    do:\n      - if: event.amount > 10\n"
      "        then: [ \"points += 1\" ]\n        else:\n          - growth += 2\n");
  ASSERT_TRUE(out.program.has_value()) << dump(out.diagnostics);
  const auto& s = out.program->rules.at(0).body.at(0);
  EXPECT_EQ(s.kind, ast::StmtKind::kIf);
  EXPECT_TRUE(s.has_else);
  EXPECT_EQ(s.then_body.size(), 1u);
  EXPECT_EQ(s.else_body.at(0).kind, ast::StmtKind::kGrowthAdd);
}

// ---- malformed files: message, line and column of the first diagnostic

TEST(YamlLoaderErrors, UnknownTopLevelKeySuggestsTheNearest) {
  EXPECT_EQ(first_error("program: { id: p }\nrule:\n  - { id: r, on: e }\n"),
            "2:1: [unknown-key] unknown key `rule` in the program file; did you mean `rules`?");
  ParseOutput out = load("program: { id: p }\nrule:\n  - { id: r, on: e }\n");
  ASSERT_FALSE(out.diagnostics.empty());
  EXPECT_EQ(out.diagnostics[0].suggestion, "rules");
}

TEST(YamlLoaderErrors, UnknownKeyInARule) {
  EXPECT_EQ(first_error("program: { id: p }\nrules:\n  - id: r\n    on: e\n    whn: true\n"),
            "5:5: [unknown-key] unknown key `whn` in a rule; did you mean `when`?");
}

TEST(YamlLoaderErrors, UnknownKeyWithNothingNear) {
  EXPECT_EQ(first_error("program: { id: p, colour: red }\n"),
            "1:19: [unknown-key] unknown key `colour` in `program`");
}

TEST(YamlLoaderErrors, MapWhereAListWasExpected) {
  EXPECT_EQ(first_error("program: { id: p }\nrules:\n  id: r\n  on: e\n"),
            "3:3: [wrong-shape] expected a list of rules (`- id: ...` items), found a map");
}

TEST(YamlLoaderErrors, ListWhereAMapWasExpected) {
  EXPECT_EQ(first_error("program:\n  - id\n  - p\n"),
            "2:3: [wrong-shape] expected a map (key: value lines) for `program`, found a list");
}

TEST(YamlLoaderErrors, StatementsMustBeAList) {
  EXPECT_EQ(first_error("program: { id: p }\nrules:\n  - id: r\n    on: e\n    do: points += 1\n"),
            "5:9: [wrong-shape] expected a list of statements under `do` (`- points += 10`), found "
            "a single value");
}

TEST(YamlLoaderErrors, MissingOn) {
  EXPECT_EQ(first_error("program: { id: p }\nrules:\n  - id: buy\n    do: []\n"),
            "3:5: [missing-key] rule `buy` has no `on`");
}

TEST(YamlLoaderErrors, MissingId) {
  EXPECT_EQ(first_error("program: { id: p }\nsegments:\n  - { when: true }\n"),
            "3:5: [missing-key] a segment has no `id`");
}

TEST(YamlLoaderErrors, MissingCost) {
  EXPECT_EQ(first_error("program: { id: p }\nrewards:\n  - { id: mug, stock: 3 }\n"),
            "3:5: [missing-key] reward `mug` has no `cost`");
}

TEST(YamlLoaderErrors, MissingProgram) {
  EXPECT_EQ(first_error("events:\n  buy: {}\n"),
            "1:1: [missing-key] the program file has no `program`");
}

TEST(YamlLoaderErrors, EmptyFile) {
  EXPECT_EQ(first_error("# nothing here\n"),
            "1:1: [missing-key] the file is empty: a program starts with `program:`");
}

TEST(YamlLoaderErrors, CostMustBeAWholeNumber) {
  EXPECT_EQ(first_error("program: { id: p }\nrewards:\n  - { id: mug, cost: lots }\n"),
            "3:22: [bad-value] `cost` must be a whole number of points, found `lots`");
}

TEST(YamlLoaderErrors, FromMustBeAWholeNumber) {
  EXPECT_EQ(first_error("program: { id: p }\nlevels:\n  ladder:\n    - { id: L1, from: 1.5 }\n"),
            "4:23: [bad-value] `from` must be a whole number, found `1.5`");
}

TEST(YamlLoaderErrors, IdMustBeAName) {
  EXPECT_EQ(first_error("program: { id: 9lives }\n"),
            "1:16: [bad-name] `9lives` is not a name (letters, digits and _, not starting with a "
            "digit)");
}

TEST(YamlLoaderErrors, ColumnsCountCodePoints) {
  // 严选 is 6 bytes but 2 columns.
  EXPECT_EQ(
      first_error("program: { name: 严选, id: 9x }\n"),
      "1:26: [bad-name] `9x` is not a name (letters, digits and _, not starting with a digit)");
}

TEST(YamlLoaderErrors, QuotedValuesPointInsideTheQuotes) {
  EXPECT_EQ(first_error("program: { id: 'a b' }\n"),
            "1:17: [bad-name] `a b` is not a name (letters, digits and _, not starting with a "
            "digit)");
}

TEST(YamlLoaderErrors, UnknownFieldTypeSuggestsTheNearest) {
  EXPECT_EQ(first_error("program: { id: p }\nevents:\n  buy: { amount: mony }\n"),
            "3:18: [unknown-type] unknown type `mony` for field `amount`; did you mean `money`?");
}

TEST(YamlLoaderErrors, DuplicateKey) {
  EXPECT_EQ(first_error("program: { id: p }\nrules:\n  - id: r\n    on: e\n    on: f\n"),
            "5:5: [duplicate-key] `on` is given twice in a rule");
}

TEST(YamlLoaderErrors, CampaignWithoutSchedule) {
  EXPECT_EQ(first_error("program: { id: p }\ncampaigns:\n  - { id: c, do: [] }\n"),
            "3:5: [missing-key] campaign `c` has no `schedule` (every ...) or `during`");
}

TEST(YamlLoaderErrors, AttributesMustBeAMap) {
  EXPECT_EQ(
      first_error(
          "program: { id: p }\nlevels:\n  ladder:\n    - { id: L1, from: 0, attributes: [1] }\n"),
      "4:38: [wrong-shape] expected a map (key: value lines) for the attributes of level "
      "`L1`, found a list");
}

TEST(YamlLoaderErrors, LadderIsRequired) {
  EXPECT_EQ(first_error("program: { id: p }\nlevels:\n  by: growth\n"),
            "2:1: [missing-key] `levels` has no `ladder`");
}

TEST(YamlLoaderErrors, YamlSyntaxErrorUsesTheParsersMark) {
  EXPECT_EQ(first_error("program: { id: p\nevents: {}\n"),
            "2:7: [yaml-syntax] YAML syntax error: end of map flow not found");
  EXPECT_EQ(first_error("program:\n  id: p\n name: x\n"),
            "3:2: [yaml-syntax] YAML syntax error: end of map not found");
  EXPECT_EQ(first_error("program: a: b\n"),
            "1:11: [yaml-syntax] YAML syntax error: illegal map value");
}

TEST(YamlLoaderErrors, DeepFlowNestingIsRefusedBeforeYamlCppSeesIt) {
  std::string deep = "program: { id: p }\nsegments: " + std::string(100000, '[') + "\n";
  EXPECT_EQ(first_error(deep), "2:42: [too-deep] the YAML is nested more than 32 levels deep");
}

TEST(YamlLoaderErrors, DeepBlockNestingIsRefused) {
  std::string deep = "program: { id: p }\nsegments:\n";
  for (int i = 0; i < 40; ++i)
    deep += std::string(static_cast<std::size_t>(2 * i + 2), ' ') + "-\n";
  EXPECT_EQ(first_error(deep), "34:65: [too-deep] the YAML is nested more than 32 levels deep");
}

TEST(YamlLoaderErrors, AnchorsAndAliasesAreRefused) {
  EXPECT_EQ(first_error("program: &p { id: p }\n"),
            "1:10: [yaml-anchor] anchors and aliases (& and *) are not supported in a Merit YAML "
            "program");
  EXPECT_EQ(first_error("program: { id: p }\nsegments: [ *a ]\n"),
            "2:13: [yaml-anchor] anchors and aliases (& and *) are not supported in a Merit YAML "
            "program");
}

TEST(YamlLoaderErrors, BadClauseTextPointsIntoTheString) {
  // `cap: 5000 per fortnight`: the fragment parser's diagnostic lands on line 2, inside the value.
  ParseOutput out = load("program: { id: p }\npoints: { cap: 5000 per fortnight }\n");
  EXPECT_FALSE(out.program.has_value());
  ASSERT_FALSE(out.diagnostics.empty());
  EXPECT_EQ(out.diagnostics[0].file, "t.merit.yaml");
  EXPECT_EQ(out.diagnostics[0].loc.line, 2u);
  EXPECT_GE(out.diagnostics[0].loc.col, 16u);
  EXPECT_LE(out.diagnostics[0].loc.col, 34u);
}

TEST(YamlLoaderErrors, BadExpressionColumnIsInsideTheExpression) {
  // `when: event.amount >` with nothing after `>`: the error is at or after the `>` (col 25).
  ParseOutput out =
      load("program: { id: p }\nrules:\n  - id: r\n    on: e\n    when: event.amount >\n");
  EXPECT_FALSE(out.program.has_value());
  ASSERT_FALSE(out.diagnostics.empty());
  EXPECT_EQ(out.diagnostics[0].loc.line, 5u);
  EXPECT_GE(out.diagnostics[0].loc.col, 24u);
}

TEST(YamlLoaderErrors, BadStatementInAList) {
  ParseOutput out =
      load("program: { id: p }\nrules:\n  - id: r\n    on: e\n    do:\n      - points =+ 1\n");
  EXPECT_FALSE(out.program.has_value());
  ASSERT_FALSE(out.diagnostics.empty());
  EXPECT_EQ(out.diagnostics[0].loc.line, 6u);
  EXPECT_GE(out.diagnostics[0].loc.col, 9u);
}

TEST(YamlLoaderErrors, ReportsEveryProblemInOneRun) {
  ParseOutput out = load(
      "program: { id: p }\nrules:\n  - { id: a }\n  - { id: b, on: e, whn: x }\nrewards:\n  - { "
      "id: c }\n");
  EXPECT_EQ(dump(out.diagnostics),
            "t.merit.yaml:3:5: [missing-key] rule `a` has no `on`\n"
            "t.merit.yaml:4:21: [unknown-key] unknown key `whn` in a rule; did you mean `when`?\n"
            "t.merit.yaml:6:5: [missing-key] reward `c` has no `cost`\n");
}

TEST(YamlLoaderErrors, NeverThrowsOnOddDocuments) {
  for (const char* text : {"", "---\n...\n", "[]\n", "42\n", "program: 42\n", "? [a]\n: b\n",
                           "program: { id: p }\nevents: [a, b]\n", "\t\n", "program: !!binary x\n",
                           "program: {id: p}\nlevels: { ladder: [ 1, [2], {id: x} ] }\n"}) {
    ParseOutput out = load(text);
    EXPECT_FALSE(out.program.has_value()) << text;
    EXPECT_FALSE(out.diagnostics.empty()) << text;
  }
}

}  // namespace
}  // namespace merit::dsl
