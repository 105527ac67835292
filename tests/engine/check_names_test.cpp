// The checker's name resolution: every kind of reference, did-you-mean suggestions, duplicates and
// reserved names; and programs that must check clean (the conformance programs, LANGUAGE.md §4).
#include <filesystem>

#include "tests/engine/check_test_util.hpp"
#include "tests/testing/program_generator.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::engine::check_test {
namespace {

using Lines = std::vector<std::string>;

std::string err(const std::string& p, std::string_view at, std::string_view rest, int nth = 0) {
  return fmt::format("{} error {}", loc_of(p, at, nth), rest);
}

TEST(CheckClean, PreludeHasNoDiagnostics) { EXPECT_EQ(check_text(kPrelude), Lines{}); }

TEST(CheckClean, LanguageSection4ExampleHasOnlyTheUnusedSegmentWarning) {
  std::string spec = testing::read_file(testing::shared_dir() + "/spec/LANGUAGE.md");
  std::size_t begin = spec.find("```merit\n");
  ASSERT_NE(begin, std::string::npos);
  begin += 9;
  std::string text = spec.substr(begin, spec.find("```", begin) - begin);
  EXPECT_EQ(check_text(text),
            Lines{fmt::format("{} warning unused: segment `dormant` is never used: no expression "
                              "reads `segment.dormant`",
                              loc_of(text, "dormant \""))});
}

TEST(CheckClean, ConformanceProgramsHaveNoDiagnostics) {
  namespace fs = std::filesystem;
  int checked = 0;
  for (const auto& dir : fs::directory_iterator(testing::shared_dir() + "/conformance")) {
    for (const char* name : {"program.merit", "program.merit.yaml"}) {
      fs::path path = dir.path() / name;
      if (!fs::exists(path)) continue;
      dsl::ParseOutput out = dsl::parse_file(path.string());
      ASSERT_TRUE(out.program) << path;
      std::vector<std::string> lines;
      for (const auto& d : check_program(*out.program)) lines.push_back(describe(d));
      EXPECT_EQ(lines, Lines{}) << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 6);
}

// The example programs of rulesets/ (both syntaxes) have no errors and no warnings.
TEST(CheckClean, RulesetProgramsHaveNoDiagnostics) {
  namespace fs = std::filesystem;
  int checked = 0;
  for (const auto& dir : fs::directory_iterator(testing::source_dir() + "/rulesets")) {
    for (const char* name : {"program.merit", "program.merit.yaml"}) {
      fs::path path = dir.path() / name;
      if (!fs::exists(path)) continue;
      dsl::ParseOutput out = dsl::parse_file(path.string());
      ASSERT_TRUE(out.program) << path;
      std::vector<std::string> lines;
      for (const auto& d : check_program(*out.program)) lines.push_back(describe(d));
      EXPECT_EQ(lines, Lines{}) << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 2);
}

// Generated trees with names that do not resolve: the checker reports, never crashes, and every
// diagnostic is complete.
TEST(CheckClean, GeneratedProgramsGiveCompleteDiagnostics) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    dsl::ast::Program p = testing::generate_program(seed);
    p.file = "gen.merit";
    auto first = check_program(p);
    for (const auto& d : first) {
      EXPECT_EQ(d.file, "gen.merit");
      EXPECT_FALSE(d.code.empty()) << describe(d);
      EXPECT_FALSE(d.message.empty()) << describe(d);
    }
    // Deterministic: the same tree gives the same diagnostics.
    auto second = check_program(p);
    ASSERT_EQ(first.size(), second.size()) << seed;
    for (std::size_t i = 0; i < first.size(); ++i)
      EXPECT_EQ(describe(first[i]), describe(second[i]));
  }
}

TEST(CheckNames, RendersLikeTheSpecExample) {
  std::string p = kPrelude + "rule r on purchase {\n  points += event.amout * 2\n}\n";
  auto ds = check_diagnostics(p);
  ASSERT_EQ(ds.size(), 1u);
  dsl::Source src("t.merit", p);
  EXPECT_EQ(ds[0].file, "t.merit");
  EXPECT_EQ(dsl::render(ds[0], src.line_text(ds[0].loc.line)),
            "t.merit:12:19: error: unknown field `amout` of event `purchase`; did you mean "
            "`amount`?\n"
            "    points += event.amout * 2\n" +
                std::string(20, ' ') + "^\n");
}

TEST(CheckNames, UnknownEventTypeInOnSuggestsNearest) {
  std::string p = kPrelude + "rule r on purchse { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "purchse",
                                     "unknown-event: unknown event type `purchse` "
                                     "(did you mean `purchase`?)")});
}

TEST(CheckNames, UnknownEventTypeWithNothingNearHasNoSuggestion) {
  std::string p = kPrelude + "rule r on checkout { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "checkout", "unknown-event: unknown event type `checkout`")});
}

TEST(CheckNames, PseudoEventsAreKnownToRulesButNotCampaigns) {
  std::string p = kPrelude +
                  "rule r on level_up { points += 1 }\n"
                  "rule j on join { points += 1 }\n"
                  "campaign c on level_up every friday { points += 5 }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "level_up",
                      "pseudo-event: campaign `c` cannot be on `level_up`: campaigns "
                      "apply to declared events only, never to the events the "
                      "engine raises",
                      1)});
}

TEST(CheckNames, UnknownEventFieldSuggestsNearest) {
  std::string p = kPrelude + "rule r on purchase when event.amout > 0 { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "amout",
                                     "unknown-field: unknown field `amout` of event "
                                     "`purchase` (did you mean `amount`?)")});
}

TEST(CheckNames, EveryEventHasIdMemberAndTime) {
  std::string p = kPrelude +
                  "rule r on refund when event.id != \"x\" and event.member != \"m\" and "
                  "event.time > 2026-01-01 { points -= 1 }\n";
  EXPECT_EQ(check_text(p), Lines{});
}

TEST(CheckNames, PseudoEventFields) {
  std::string p =
      kPrelude +
      "rule a on level_up when event.to == V3 and event.from < event.to { points += 1 }\n"
      "rule b on task_done when event.task == \"t1\" { points += 1 }\n"
      "rule c on reward_redeemed when event.reward == \"coffee\" and event.quantity > 1 "
      "{ points += 1 }\n"
      "rule d on join when event.amount > 0 { points += 1 }\n"
      "task t1 on purchase { points += 1 }\n"
      "reward coffee cost 300 points\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "amount > 0",
                                     "unknown-field: unknown field `amount` of "
                                     "event `join`")});
}

TEST(CheckNames, TaskAndRewardNamesComparedWithPseudoEventFieldsMustExist) {
  std::string p = kPrelude +
                  "rule b on task_done when event.task == \"t2\" { points += 1 }\n"
                  "rule c on reward_redeemed when \"cofee\" == event.reward { points += 1 }\n"
                  "task t1 on purchase { points += 1 }\n"
                  "reward coffee cost 300 points\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "\"t2\"", "unknown-task: unknown task `t2` (did you mean `t1`?)"),
                   err(p, "\"cofee\"",
                       "unknown-reward: unknown reward `cofee` (did you mean "
                       "`coffee`?)")}));
}

TEST(CheckNames, MemberAttributesAndTagsAlwaysAvailable) {
  std::string p = kPrelude +
                  "rule r on purchase when \"vip\" in member.tags and member.citty == \"x\" "
                  "{ points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "citty",
                                     "unknown-attribute: unknown member attribute "
                                     "`citty` (did you mean `city`?)")});
}

TEST(CheckNames, UnknownLevelSuggestsNearest) {
  std::string p = kPrelude + "rule r on purchase when level >= V9 { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "V9", "unknown-level: unknown level `V9` (did you mean `V1`?)")});
}

TEST(CheckNames, UnknownNameWithoutLevels) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event e {}\n"
      "rule r on e when level >= Gold { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "Gold",
                                     "unknown-name: unknown name `Gold` (the program "
                                     "declares no levels)")});
}

TEST(CheckNames, UnknownLevelAttributeSuggestsNearest) {
  std::string p = kPrelude + "rule r on purchase { points += event.amount * level.rat }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "rat }",
                                     "unknown-attribute: unknown level attribute "
                                     "`rat` (did you mean `rate`?)")});
}

TEST(CheckNames, LevelAttributeMissingOnLowestLevelIsAnErrorWhenRead) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event purchase { amount: money }\n"
      "levels by growth {\n"
      "  level V1 from 0 { rate 1 }\n"
      "  level V2 from 1000 { rate 2; bonus 5 }\n"
      "}\n"
      "rule r on purchase { points += level.bonus; growth += event.amount }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "bonus;",
                      "level-attribute: level attribute `bonus` is not set on the "
                      "lowest level `V1`; levels inherit upward, so a member at `V1` "
                      "would have no value: set it there")});
  // Declared on a higher level but never read: fine.
  std::string q = p.substr(0, p.find("rule r")) + "rule r on purchase { growth += event.amount }\n";
  EXPECT_EQ(check_text(q), Lines{});
}

TEST(CheckNames, LevelAttributeWithoutLevels) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event e {}\n"
      "rule r on e { points += level.rate }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "rate",
                                     "unknown-attribute: unknown level attribute "
                                     "`rate`: the program declares no levels")});
}

TEST(CheckNames, UnknownPackageInTask) {
  std::string p = kPrelude +
                  "package newbie available 30 days after join\n"
                  "task t in newbe on purchase { points += 1 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "newbe",
                                     "unknown-package: unknown package `newbe` (did "
                                     "you mean `newbie`?)")});
}

TEST(CheckNames, UnknownPrivilegeInGrant) {
  std::string p = kPrelude +
                  "privilege free_shipping for level >= V2 quota 4 per month\n"
                  "rule r on purchase { grant free_shiping 2 }\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "free_shiping",
                                     "unknown-privilege: unknown privilege "
                                     "`free_shiping` (did you mean "
                                     "`free_shipping`?)")});
}

TEST(CheckNames, UnknownSegment) {
  std::string p = kPrelude +
                  "segment dormant when days_since(last(purchase)) > 90\n"
                  "rule r on purchase when segment.dormnt { points += 1 }\n";
  // dormant itself is then unused: a warning at its declaration.
  EXPECT_EQ(check_text(p),
            (Lines{fmt::format("{} warning unused: segment `dormant` is never used: no expression "
                               "reads `segment.dormant`",
                               loc_of(p, "dormant")),
                   err(p, "dormnt",
                       "unknown-segment: unknown segment `dormnt` (did you mean "
                       "`dormant`?)")}));
}

TEST(CheckNames, ReverseNamesADeclaredEventAndOneOfItsFields) {
  std::string p = kPrelude +
                  "rule r1 on refund { reverse purchse where order_id == event.order_id }\n"
                  "rule r2 on refund { reverse purchase where orderid == event.order_id }\n"
                  "rule r3 on refund { reverse level_up where to == V2 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "purchse",
                                      "unknown-event: unknown event type `purchse` (did you mean "
                                      "`purchase`?)"),
                                  err(p, "orderid",
                                      "unknown-field: unknown field `orderid` of event `purchase` "
                                      "(did you mean `order_id`?)"),
                                  err(p, "level_up where",
                                      "pseudo-event: `reverse` undoes what declared events "
                                      "awarded; `level_up` is raised by the engine")}));
}

TEST(CheckNames, AggregatesNameDeclaredEventsAndNumericFields) {
  std::string p = kPrelude +
                  "segment a when count(purchse within 30 days) > 1\n"
                  "segment b when sum(purchase.amout within 30 days) > 1\n"
                  "segment c when count(purchase where event.category == \"food\" within 7 days) "
                  "> 1 and sum(purchase.amount within 1 year) > 5\n"
                  "rule r on purchase when segment.a or segment.b or segment.c { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "purchse",
                       "unknown-event: unknown event type `purchse` (did you mean "
                       "`purchase`?)"),
                   err(p, "amout",
                       "unknown-field: unknown field `amout` of event `purchase` (did "
                       "you mean `amount`?)")}));
}

TEST(CheckNames, FunctionsAndTheirArgumentCounts) {
  std::string p = kPrelude +
                  "rule s on purchase { points += min(event.amount) }\n"
                  "rule u on purchase { points += round(event.amount, 2) }\n"
                  "rule v on purchase { points += max(1, 2, event.amount) + abs(-3) }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "min(", "arguments: `min` takes at least 2 arguments, not 1"),
                   err(p, "round(", "arguments: `round` takes 1 argument, not 2")}));
}

// The .merit parser already refuses unknown function names; a tree from elsewhere is checked too.
TEST(CheckNames, UnknownFunctionInATree) {
  std::string p = kPrelude + "rule r on purchase { points += floor(event.amount) }\n";
  dsl::ParseOutput out = dsl::parse_program(dsl::Source("t.merit", p));
  ASSERT_TRUE(out.program);
  out.program->rules.back().body[0].value.text = "flor";
  std::vector<std::string> lines;
  for (const auto& d : check_program(*out.program)) lines.push_back(describe(d));
  EXPECT_EQ(lines, Lines{err(p, "floor",
                             "unknown-function: unknown function `flor` (did you mean "
                             "`floor`?)")});
}

TEST(CheckNames, DuplicateDeclarationsOfOneKind) {
  std::string p = kPrelude +
                  "event purchase { amount: money }\n"
                  "event share { target: string; target: string }\n"
                  "rule base on refund { points -= 1 }\n"
                  "task base on purchase { points += 1 }\n";  // a task may share a rule's id
  EXPECT_EQ(
      check_text(p),
      (Lines{err(p, "purchase { amount: money }", "duplicate: event `purchase` is declared twice"),
             err(p, "target",
                 "duplicate: field `target` of event `share` is declared twice "
                 "(first at line 12)",
                 1),
             err(p, "base", "duplicate: rule `base` is declared twice (first at line 10)", 1)}));
}

TEST(CheckNames, DuplicateLevel) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "event e { n: int }\n"
      "levels by growth { level A from 0 level A from 10 }\n"
      "rule r on e { growth += event.n }\n";
  EXPECT_EQ(check_text(p),
            Lines{err(p, "A from 10", "duplicate: level `A` is declared twice (first at line 3)")});
}

TEST(CheckNames, FieldTypesMustBeKnown) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "member { born: dat }\n"
      "event purchase { amount: mony; n: level }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "dat",
                       "unknown-type: unknown type `dat` for field `born`; the types are "
                       "int, decimal, money, bool, string, date, time, duration, "
                       "set<string> (did you mean `date`?)"),
                   err(p, "mony",
                       "unknown-type: unknown type `mony` for field `amount`; the types "
                       "are int, decimal, money, bool, string, date, time, duration, "
                       "set<string> (did you mean `money`?)"),
                   err(p, "level",
                       "unknown-type: unknown type `level` for field `n`; the types "
                       "are int, decimal, money, bool, string, date, time, duration, "
                       "set<string>")}));
}

TEST(CheckNames, ReservedNames) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "member { tags: string }\n"
      "event join { x: int }\n"
      "event purchase { id: string }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "string",
                       "type-mismatch: `member.tags` is always a set<string> (tag += "
                       "adds to it), not string"),
                   err(p, "join",
                       "reserved: `join` is an event the engine raises itself; choose "
                       "another name"),
                   err(p, "id:",
                       "reserved: every event already has a field `id`; choose another "
                       "name")}));
}

TEST(CheckNames, EventIsNotAvailableOutsideEventDeclarations) {
  std::string p = kPrelude +
                  "segment big when event.amount > 100\n"
                  "privilege p for event.amount > 1\n"
                  "rule r on purchase when segment.big { points += 1 }\n";
  EXPECT_EQ(check_text(p), (Lines{err(p, "event.amount > 100",
                                      "no-event: `event.amount` cannot be read in a "
                                      "segment: it is not evaluated for one event"),
                                  err(p, "event.amount > 1\n",
                                      "no-event: `event.amount` cannot be read in a "
                                      "privilege's `for`: it is not evaluated for one "
                                      "event")}));
}

TEST(CheckNames, CampaignWithoutOnReadsOnlySharedFields) {
  std::string p = kPrelude +
                  "campaign c every friday for event.order_id != \"\" and event.amount > 1 {\n"
                  "  points += 1\n"
                  "}\n";
  EXPECT_EQ(check_text(p), Lines{err(p, "amount > 1",
                                     "unknown-field: `amount` is not a field of every declared "
                                     "event; a campaign without `on` reads only the fields all "
                                     "events share")});
}

TEST(CheckNames, WrongFirstNameOfAPath) {
  std::string p = kPrelude +
                  "rule r on purchase when evnt.amount > 0 { points += 1 }\n"
                  "rule s on refund when purchase.amount > 0 { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (Lines{err(p, "evnt", "unknown-name: unknown name `evnt` (did you mean `event`?)"),
                   err(p, "purchase.amount",
                       "unknown-name: `purchase.amount`: the current "
                       "event's fields are read as `event.amount`; another "
                       "event's history through count(), sum(), last() or "
                       "first()")}));
}

}  // namespace
}  // namespace merit::engine::check_test

namespace merit::engine::check_test {
namespace {

TEST(CheckNames, IncompleteAndOverlongPaths) {
  std::string p = kPrelude +
                  "rule r on purchase when event { points += 1 }\n"
                  "rule s on purchase when event.amount.cents > 1 { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (std::vector<std::string>{
                err(p, "event {", "unknown-name: `event` needs a name after it: `event.NAME`"),
                err(p, "event.amount.cents",
                    "unknown-name: `event.amount.cents` is not a name; "
                    "expected event.FIELD, member.ATTRIBUTE, "
                    "level.ATTRIBUTE or segment.ID")}));
}

TEST(CheckNames, AggregatesReadDeclaredEventsAndSumNumbers) {
  std::string p = kPrelude +
                  "segment a when count(level_up within 30 days) > 1\n"
                  "segment b when sum(purchase.category within 30 days) > 1\n"
                  "rule r on purchase when segment.a or segment.b { points += 1 }\n";
  EXPECT_EQ(check_text(p),
            (std::vector<std::string>{err(p, "level_up",
                                          "pseudo-event: `count()` reads the member's own declared "
                                          "events; `level_up` is raised by the engine"),
                                      err(p, "category within",
                                          "type-mismatch: `sum` adds up numbers; "
                                          "`purchase.category` is string")}));
}

TEST(CheckNames, ReservedLevelName) {
  std::string p =
      "program t { timezone \"UTC\" currency \"CNY\" }\n"
      "levels by growth { level level from 0 }\n";
  EXPECT_EQ(check_text(p), std::vector<std::string>{err(p, "level from",
                                                        "reserved: a level cannot be called "
                                                        "`level`: in expressions `level` means "
                                                        "the member's level")});
}

}  // namespace
}  // namespace merit::engine::check_test
