// Syntax errors: each malformed input gives exactly one diagnostic with the expected plain-words
// message, line and column; several errors are reported per file; nesting limits are diagnostics;
// rendered diagnostics (with the caret line) are compared whole.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"

namespace merit::dsl {
namespace {

constexpr const char* kHeader = "program p { timezone \"UTC\" }\n";

struct BadCase {
  const char* text;  // written after kHeader, so line 2 is the case's first line
  std::uint32_t line;
  std::uint32_t col;
  const char* message;
};

const BadCase kBadCases[] = {
    {"rul r on purchase { points += 1 }", 2, 1,
     "unknown declaration keyword `rul`; did you mean `rule`?"},
    {"rule r on purchase { points += 1 expire after }", 2, 47,
     "expected a duration such as `30 days` after `expire after`"},
    {"rule r on purchase points += 1 }", 2, 20, "expected `{` to open the rule's body"},
    {"rule r on purchase { points += 1", 2, 33,
     "expected a statement or `}` to close the rule's body"},
    {"rule r purchase { points += 1 }", 2, 8,
     "expected `on` and an event type after the rule's name"},
    {"rule r on { points += 1 }", 2, 11, "expected an event type after `on`"},
    {"rule r on purchase when { points += 1 }", 2, 25, "expected a condition after `when`"},
    {"rule r on purchase { points + 1 }", 2, 29, "expected `+=`, `-=` or `*=` after `points`"},
    {"rule r on purchase { points += }", 2, 32, "expected a value after `+=`"},
    {"rule r on purchase { pionts += 1 }", 2, 22,
     "expected a statement or `}` to close the rule's body; did you mean `points`?"},
    {"rule r on purchase { points += 1 * }", 2, 36, "expected a value after `*`"},
    {"rule r on purchase { points += (1 + 2 }", 2, 39, "expected `)` to close the parenthesis"},
    {"rule r \"unterminated on purchase { }", 2, 8,
     "unterminated string: expected `\"` before the end of the line"},
    {"rule r on purchase { tag += \"a\\x\" }", 2, 31,
     "unknown escape in string: only `\\\"` and `\\\\` are allowed"},
    {"points { expire after }", 2, 23,
     "expected a duration such as `30 days` after `expire after`"},
    {"points { expire at end of week }", 2, 27, "expected `month` or `year` after `end of`"},
    {"points { expire sometime }", 2, 17,
     "expected `after N days`, `at end of month`, `at end of year` or `never` after `expire`"},
    {"points { cap 5000 }", 2, 19, "expected `per` and a period after the amount"},
    {"points { cap 5000 per fortnight }", 2, 23,
     "expected `day`, `week`, `month`, `year` or `member` after `per`"},
    {"points { cap many per day }", 2, 14,
     "expected an amount and a period such as `5000 per day` after `cap`"},
    {"points { expir after 3 days }", 2, 10,
     "expected `expire`, `cap`, `pending`, `allow negative` or `}` to close the points block; did "
     "you mean `expire`?"},
    {"points { allow }", 2, 16, "expected `negative` after `allow`"},
    {"growth { window }", 2, 17, "expected a duration such as `365 days` after `window`"},
    {"levels growth { level A from 0 }", 2, 8, "expected `by growth` after `levels`"},
    {"levels by growth review monthly { level A from 0 }", 2, 25,
     "expected `yearly` or `every N months` after `review`"},
    {"levels by growth downgrade two { level A from 0 }", 2, 28,
     "expected `one` or `qualified` after `downgrade`"},
    {"levels by growth { level A 0 }", 2, 28,
     "expected `from` and the growth needed, such as `from 1000`"},
    {"levels by growth { level A from x }", 2, 33, "expected a whole number after `from`"},
    {"levels by growth { level A from 0 { rate } }", 2, 42,
     "expected a number or a string after the attribute name"},
    {"levels by growth { lvl A from 0 }", 2, 20,
     "expected `level` or `}` to close the list of levels"},
    {"event purchase { amount money }", 2, 25, "expected `:` and a type after the field name"},
    {"event purchase { amount: }", 2, 26, "expected a type such as `string` or `money` after `:`"},
    {"event { amount: money }", 2, 7, "expected an event type name after `event`"},
    {"member { city: string", 2, 22,
     "expected a field such as `city: string` or `}` to close the member block"},
    {"task t on signin streak days { points += 1 }", 2, 25,
     "expected a number of days after `streak`"},
    {"task t on signin count { points += 1 }", 2, 24, "expected a whole number after `count`"},
    {"task t on purchase sum event.amount 100 { points += 1 }", 2, 37,
     "expected `reaches` and a target after the summed expression"},
    {"task t on purchase count 3 within { points += 1 }", 2, 35,
     "expected a duration such as `30 days` after `within`"},
    {"task t on signin streak 3 weeks { points += 1 }", 2, 27,
     "expected `days` after the streak length"},
    {"campaign c on purchase { points *= 2 }", 2, 24,
     "expected a schedule such as `every month on day 18` or `during 2026-06-01 .. 2026-06-03`"},
    {"campaign c every month on 18 { points *= 2 }", 2, 27,
     "expected `day N` after `every month on`"},
    {"campaign c every fortnight { points *= 2 }", 2, 18,
     "expected `month on day N`, `day from HH:MM to HH:MM` or a weekday such as `friday` after "
     "`every`"},
    {"campaign c every day from 10:00 { points *= 2 }", 2, 33,
     "expected `to` and a time after the start time"},
    {"campaign c during 2026-06-01 2026-06-03 { points *= 2 }", 2, 30,
     "expected `..` between the two dates"},
    {"campaign c every friday budget { points *= 2 }", 2, 32,
     "expected a whole number of points after `budget`"},
    {"campaign c every month on day 32 { points *= 2 }", 2, 31,
     "the day of the month must be 1 to 31"},
    {"privilege p quota 4", 2, 20, "expected `per` and a period after the amount"},
    {"privilege p quota 4 per member", 2, 19,
     "`per member` is allowed only in a reward's `limit`; use `day`, `week`, `month` or `year`"},
    {"reward r 300 points", 2, 10, "expected `cost N points` after the reward's name"},
    {"reward r cost 300", 2, 18, "expected `points` after the cost"},
    {"card c lasts { }", 2, 14, "expected a duration such as `1 year` after `lasts`"},
    {"segment s days_since(last(purchase)) > 90", 2, 11,
     "expected `when` and a condition after the segment's name"},
    {"segment s when", 2, 15, "expected a condition after `when`"},
    {"package k available 30 days", 2, 28, "expected `after join` after the duration"},
    {"rule r on purchase { grant }", 2, 28, "expected a privilege name after `grant`"},
    {"rule r on purchase { reverse purchase order_id == event.order_id }", 2, 39,
     "expected `where FIELD == VALUE` after the event type"},
    {"rule r on purchase { reverse purchase where order_id = event.order_id }", 2, 54,
     "expected `==` after the field name"},
    {"rule r on purchase { if event.amount > 5 points += 1 }", 2, 42,
     "expected `{` to open the body of `if`"},
    {"rule r on purchase { if x { } else points += 1 }", 2, 36,
     "expected `{` or `if` after `else`"},
    {"rule r on purchase { points += flor(event.amount) }", 2, 32,
     "unknown function `flor`; did you mean `floor`?"},
    {"rule r on purchase { points += sum(purchase within 3 days) }", 2, 32,
     "`sum` takes an event field, such as `sum(purchase.amount within 30 days)`"},
    {"rule r on purchase { tag *= \"x\" }", 2, 22,
     "`tag *=` is not a statement; use `tag +=` or `tag -=`"},
    {"rule r on purchase { growth += 1 expire after 3 days }", 2, 41,
     "`expire` is allowed only after `points +=`"},
    {"rule r on purchase { points += count(purchase }", 2, 47,
     "expected `)` to close the aggregate"},
    {"program q { }", 2, 1, "a program has only one `program` declaration"},
    {"}", 2, 1, "expected a declaration such as `rule` or `event`, found `}`"},
};

TEST(ParseErrors, EachMalformedInputHasItsExactMessageAndPosition) {
  for (const BadCase& c : kBadCases) {
    ParseOutput out = parse_program(Source("bad.merit", std::string(kHeader) + c.text));
    EXPECT_FALSE(out.program.has_value()) << c.text;
    ASSERT_EQ(out.diagnostics.size(), 1u) << c.text;
    const Diagnostic& d = out.diagnostics[0];
    EXPECT_EQ(d.message, c.message) << c.text;
    EXPECT_EQ(d.loc.line, c.line) << c.text;
    EXPECT_EQ(d.loc.col, c.col) << c.text;
    EXPECT_EQ(d.code, "syntax") << c.text;
    EXPECT_EQ(d.file, "bad.merit");
    EXPECT_EQ(d.severity, Severity::kError);
  }
  EXPECT_GE(std::size(kBadCases), 40u);
}

TEST(ParseErrors, SuggestionsNameTheNearestKeyword) {
  ParseOutput out = parse_program(Source("s.merit", std::string(kHeader) + "segmnt s when true"));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].suggestion, "segment");
}

TEST(ParseErrors, ReportsEveryBrokenDeclarationInOneRun) {
  const std::string text = std::string(kHeader) +
                           "rule a on purchase { points += 1 }\n"
                           "rule b on purchase {\n"
                           "  points += \n"
                           "}\n"
                           "event purchase { amount money }\n"
                           "ruel c on purchase { points += 1 }\n"
                           "rule d on purchase { points += 1 }\n"
                           "segment s when\n";
  ParseOutput out = parse_program(Source("many.merit", text));
  EXPECT_FALSE(out.program.has_value());
  ASSERT_EQ(out.diagnostics.size(), 4u);
  EXPECT_EQ(out.diagnostics[0].loc.line, 5u);
  EXPECT_EQ(out.diagnostics[0].loc.col, 1u);
  EXPECT_EQ(out.diagnostics[0].message, "expected a value after `+=`");
  EXPECT_EQ(out.diagnostics[1].loc.line, 6u);
  EXPECT_EQ(out.diagnostics[1].message, "expected `:` and a type after the field name");
  EXPECT_EQ(out.diagnostics[2].loc.line, 7u);
  EXPECT_EQ(out.diagnostics[2].message, "unknown declaration keyword `ruel`; did you mean `rule`?");
  EXPECT_EQ(out.diagnostics[3].loc.line, 9u);
  EXPECT_EQ(out.diagnostics[3].message, "expected a condition after `when`");
}

TEST(ParseErrors, AMissingCloseBraceResynchronisesAtTheNextDeclaration) {
  const std::string text = std::string(kHeader) +
                           "rule a on purchase {\n"
                           "  points += 1\n"
                           "rule b on purchase { points += }\n";
  ParseOutput out = parse_program(Source("brace.merit", text));
  ASSERT_EQ(out.diagnostics.size(), 2u);
  EXPECT_EQ(out.diagnostics[0].message, "expected a statement or `}` to close the rule's body");
  EXPECT_EQ(out.diagnostics[0].loc.line, 4u);
  EXPECT_EQ(out.diagnostics[0].loc.col, 1u);
  EXPECT_EQ(out.diagnostics[1].message, "expected a value after `+=`");
  EXPECT_EQ(out.diagnostics[1].loc.line, 4u);
  EXPECT_EQ(out.diagnostics[1].loc.col, 32u);
}

TEST(ParseErrors, AFileWithoutProgramDeclarationIsRefused) {
  ParseOutput out = parse_program(Source("none.merit", "event e {}\n"));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(
      out.diagnostics[0].message,
      "missing `program` declaration: a file starts with `program NAME { timezone \"UTC\" }`");
}

TEST(ParseErrors, ProgramSettingsAreCheckedToo) {
  ParseOutput twice =
      parse_program(Source("t.merit", "program p { timezone \"UTC\"; timezone \"x\" }"));
  ASSERT_EQ(twice.diagnostics.size(), 1u);
  EXPECT_EQ(twice.diagnostics[0].message, "`timezone` is set twice");
  EXPECT_EQ(twice.diagnostics[0].loc.col, 29u);
  ParseOutput bare = parse_program(Source("t.merit", "program p { timezone UTC }"));
  ASSERT_EQ(bare.diagnostics.size(), 1u);
  EXPECT_EQ(bare.diagnostics[0].message, "expected a quoted string after `timezone`");
  EXPECT_EQ(bare.diagnostics[0].loc.col, 22u);
}

TEST(NestingLimits, DeepParenthesesAreADiagnosticNotACrash) {
  std::string deep = std::string(kHeader) + "rule r on purchase when " + std::string(100000, '(') +
                     "1" + std::string(100000, ')') +
                     " { points += 1 }\nrule s on purchase { points += }\n";
  ParseOutput out = parse_program(Source("deep.merit", deep));
  ASSERT_EQ(out.diagnostics.size(), 2u);
  EXPECT_EQ(out.diagnostics[0].message, "expression is nested too deeply (more than 64 levels)");
  EXPECT_EQ(out.diagnostics[0].loc.line, 2u);
  EXPECT_EQ(out.diagnostics[0].loc.col, 89u);
  EXPECT_EQ(out.diagnostics[1].message, "expected a value after `+=`");
}

TEST(NestingLimits, SixtyFourLevelsAreAllowed) {
  std::string ok = std::string(kHeader) + "rule r on purchase when " + std::string(63, '(') + "1" +
                   std::string(63, ')') + " == 1 { points += 1 }\n";
  EXPECT_TRUE(parse_program(Source("ok.merit", ok)).program.has_value());
}

TEST(NestingLimits, PrefixOperatorRunsCountAsNesting) {
  std::string minus;
  for (int i = 0; i < 5000; ++i) minus += "- ";
  ParseOutput out = parse_program(
      Source("m.merit", std::string(kHeader) + "rule r on purchase { points += " + minus + "1 }"));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].message, "expression is nested too deeply (more than 64 levels)");
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  ParseOutput out2 =
      parse_program(Source("n.merit", std::string(kHeader) + "segment s when " + nots + "true"));
  ASSERT_EQ(out2.diagnostics.size(), 1u);
  EXPECT_EQ(out2.diagnostics[0].message, "expression is nested too deeply (more than 64 levels)");
}

TEST(NestingLimits, DeepBlocksAndElseIfChainsAreDiagnostics) {
  std::string blocks = std::string(kHeader) + "rule r on purchase { ";
  for (int i = 0; i < 2000; ++i) blocks += "if x { ";
  blocks += std::string(2000, '}') + " }";
  ParseOutput out = parse_program(Source("b.merit", blocks));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].message, "blocks are nested too deeply (more than 32 levels)");

  std::string chain = std::string(kHeader) + "rule r on purchase { if x {} ";
  for (int i = 0; i < 5000; ++i) chain += "else if x {} ";
  chain += "}";
  ParseOutput out2 = parse_program(Source("c.merit", chain));
  ASSERT_EQ(out2.diagnostics.size(), 1u);
  EXPECT_EQ(out2.diagnostics[0].message, "blocks are nested too deeply (more than 32 levels)");
}

TEST(NestingLimits, VeryLongOperatorChainsAreRefused) {
  std::string chain = std::string(kHeader) + "rule r on purchase { points += 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  chain += " }";
  ParseOutput out = parse_program(Source("l.merit", chain));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].message, "expression is too long: more than 256 operators deep");
}

TEST(Robustness, ArbitraryBytesNeverCrash) {
  std::mt19937 rng(42);
  const std::string alphabet =
      "rule on points += { } ( ) \" # \n - not 1 2026-01-01 every . ; : <>=";
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    std::size_t n = rng() % 200;
    for (std::size_t k = 0; k < n; ++k) {
      text += (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    ParseOutput out = parse_program(Source("r.merit", text));
    EXPECT_TRUE(out.program.has_value() || !out.diagnostics.empty());
    (void)parse_expression(Source("r", text));
    (void)parse_statement(Source("r", text));
  }
}

// ---- rendered diagnostics, whole

TEST(Render, ShowsTheLineAndACaretUnderTheColumn) {
  const std::string text =
      std::string(kHeader) + "rule r on purchase { points += 1 expire after }\n";
  Source source("shop.merit", text);
  ParseOutput out = parse_program(source);
  ASSERT_EQ(out.diagnostics.size(), 1u);
  const Diagnostic& d = out.diagnostics[0];
  EXPECT_EQ(render(d, source.line_text(d.loc.line)),
            "shop.merit:2:47: error: expected a duration such as `30 days` after `expire after`\n"
            "  rule r on purchase { points += 1 expire after }\n"
            "                                                ^\n");
}

TEST(Render, CountsCodePointsAndAlignsTheCaretUnderWideCharacters) {
  const std::string text = std::string(kHeader) + "rule r \"黄金会员\" on purchase { points += }\n";
  Source source("cn.merit", text);
  ParseOutput out = parse_program(source);
  ASSERT_EQ(out.diagnostics.size(), 1u);
  const Diagnostic& d = out.diagnostics[0];
  EXPECT_EQ(d.loc.col, 39u);  // 黄金会员 counts as four columns
  // ...but takes eight terminal cells, so the caret is padded by display width.
  EXPECT_EQ(render(d, source.line_text(d.loc.line)),
            "cn.merit:2:39: error: expected a value after `+=`\n"
            "  rule r \"黄金会员\" on purchase { points += }\n"
            "                                            ^\n");
}

TEST(Render, AddsTheSuggestionOnceAndKeepsTabs) {
  Diagnostic d{Severity::kError,        "f.merit", {3, 3},
               "unknown field `amout`", "amount",  "unknown-name"};
  EXPECT_EQ(render(d, "\tx amout"),
            "f.merit:3:3: error: unknown field `amout`; did you mean `amount`?\n"
            "  \tx amout\n"
            "  \t ^\n");
  Diagnostic w{Severity::kWarning,
               "f.merit",
               {1, 1},
               "unused segment `s`; did you mean `t`?",
               "t",
               "unused"};
  EXPECT_EQ(render(w, ""), "f.merit:1:1: warning: unused segment `s`; did you mean `t`?\n");
}

TEST(Render, UnterminatedStringPointsAtTheOpeningQuote) {
  const std::string text = std::string(kHeader) + "segment s \"沉睡 when true\n";
  Source source("u.merit", text);
  ParseOutput out = parse_program(source);
  ASSERT_EQ(out.diagnostics.size(), 1u);
  const Diagnostic& d = out.diagnostics[0];
  EXPECT_EQ(render(d, source.line_text(d.loc.line)),
            "u.merit:2:11: error: unterminated string: expected `\"` before the end of the line\n"
            "  segment s \"沉睡 when true\n"
            "            ^\n");
}

}  // namespace
}  // namespace merit::dsl
