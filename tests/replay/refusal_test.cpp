// A refused operation changes nothing (LANGUAGE.md §3: "the event is rejected, nothing of it is
// applied"), also when it is refused after step 3 carried the member to its time (points expired,
// a review done) and the program has no division, so the evaluator kept only step 3's changes
// aside instead of copying the member (Plan::may_fail_late, engine::apply).
//  - targeted cases: an expiry, a review with a level down, an award record, a campaign product out
//    of range, and a program whose task can fail after the awards (copied whole);
//  - every example program, histories where one purchase in five carries an amount of trillions:
//    each refused operation leaves the member's packed bytes and the shared counters as they were.
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/state_json.hpp"
#include "engine/eval/evaluator.hpp"
#include "replay/generate.hpp"
#include "replay/replay.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::replay {
namespace {

namespace fs = std::filesystem;

std::string packed(const engine::MemberState& m) {
  std::string out;
  codec::pack_member(m, out);
  return out;
}

// Applies JSON lines in order to members kept in a map; for every refused operation, checks that
// the member and the shared state are byte for byte what they were. Returns the refusals' messages.
std::vector<std::string> apply_checking(const engine::Plan& plan, const std::string& lines) {
  codec::OperationDecoder decoder(plan);
  std::map<std::string, engine::MemberState> members;
  engine::SharedState shared = engine::new_shared(plan);
  engine::ApplyResult result;
  std::vector<std::string> refused;
  std::istringstream in(lines);
  std::string line;
  while (std::getline(in, line)) {
    engine::Operation op;
    if (!decoder.decode(line, op)) continue;
    auto it = members.find(op.member);
    if (it == members.end())
      it = members.emplace(op.member, engine::new_member(plan, op.member)).first;
    std::string before = packed(it->second);
    engine::SharedState shared_before = shared;
    engine::apply(plan, it->second, shared, op, result);
    if (!result.rejection) continue;
    refused.push_back(result.rejection->message);
    EXPECT_EQ(packed(it->second), before)
        << "refused " << line << ": " << result.rejection->message;
    EXPECT_EQ(shared.campaign_awarded, shared_before.campaign_awarded) << line;
    EXPECT_EQ(shared.reward_redeemed, shared_before.reward_redeemed) << line;
  }
  return refused;
}

// A program's first lines: purchases, lots that last a day, one level.
const std::string kOneDayLots = R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
points { expire after 1 days }
levels by growth { level L1 from 0 }
)";

std::string event(const std::string& id, const std::string& type, const std::string& time,
                  const std::string& data) {
  return R"({"id":")" + id + R"(","type":")" + type + R"(","member":"a","time":")" + time +
         R"(","data":)" + data + "}\n";
}

TEST(Refusal, AnOutOfRangeAwardAfterAnExpiryLeavesTheLotAndItsExpiryForTheNextEvent) {
  auto plan = testing::plan_of(kOneDayLots + R"(
rule r on purchase { points += event.amount * 2 }
)");
  EXPECT_FALSE(plan->may_fail) << "no division";
  EXPECT_FALSE(plan->may_fail_late);
  std::string lines =
      event("e1", "purchase", "2026-01-01T10:00:00Z", R"({"amount":10})") +
      event("e2", "purchase", "2026-01-05T10:00:00Z", R"({"amount":9000000000000})") +
      event("e3", "purchase", "2026-01-06T10:00:00Z", R"({"amount":1})");
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("number out of range"), std::string::npos) << refused[0];

  // The next event carries the expiry, with its ledger entry.
  Replayer r(plan);
  std::istringstream in(lines);
  std::vector<std::string> kinds;
  r.run(in, false, [&](std::int64_t, const engine::Operation* op, const engine::ApplyResult* res) {
    if (op && res && op->id == "e3") {
      for (const auto& e : res->effects)
        kinds.push_back(std::string(codec::effect_kind_name(e.kind)));
    }
  });
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_EQ(kinds[0], "expire");
  EXPECT_EQ(kinds[1], "points");
}

TEST(Refusal, AReviewDueAtTheRefusedEventIsUndoneWithTheEventsAwardRecord) {
  auto plan = testing::plan_of(R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money; order_id: string }
event refund { order_id: string }
levels by growth review every 1 months downgrade one {
  level L1 from 0
  level L2 from 100
}
rule r on purchase { points += event.amount * 3 growth += event.amount }
rule back on refund { reverse purchase where order_id == event.order_id }
)");
  EXPECT_FALSE(plan->may_fail_late);
  std::string lines =
      event("e1", "purchase", "2026-01-01T10:00:00Z", R"({"amount":200,"order_id":"o1"})") +
      // Two months later: a review is due (growth 200 in no window: the level stays, but the
      // review is recorded), then the amount overflows.
      event("e2", "purchase", "2026-03-05T10:00:00Z",
            R"({"amount":9000000000000,"order_id":"o2"})") +
      event("e3", "refund", "2026-03-06T10:00:00Z", R"({"order_id":"o1"})") +
      event("e4", "purchase", "2026-03-07T10:00:00Z",
            R"({"amount":4000000000000,"order_id":"o3"})");
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 2u) << "e2 and e4 overflow (× 3)";
}

// Step 3 releases pending points and trims the growth window (kept short: it is trimmed once it
// holds more than eight entries); a refused event undoes both, and a later one redoes them.
TEST(Refusal, ReleasedPendingPointsAndTrimmedGrowthAreUndone) {
  auto plan = testing::plan_of(R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
points { expire after 30 days pending 2 days }
growth { window 5 days }
levels by growth review every 1 months downgrade one {
  level L1 from 0
  level L2 from 50
}
rule r on purchase { points += event.amount * 2 growth += event.amount }
)");
  EXPECT_FALSE(plan->may_fail_late);
  std::string lines;
  for (int d = 1; d <= 12; ++d) {
    std::string day = (d < 10 ? "2026-01-0" : "2026-01-") + std::to_string(d);
    lines += event("e" + std::to_string(d), "purchase", day + "T10:00:00Z", R"({"amount":3})");
  }
  // Day 20: points pending since day 12 are released, the growth window is trimmed, a monthly
  // review falls due; then the award overflows.
  lines += event("big", "purchase", "2026-01-20T10:00:00Z", R"({"amount":9000000000000})");
  lines += event("last", "purchase", "2026-01-21T10:00:00Z", R"({"amount":3})");
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 1u);
  // The same history without the refused line ends in the same state.
  auto final_state = [&](const std::string& text) {
    Replayer r(plan);
    std::istringstream in(text);
    r.run(in, false);
    return r.member_state_json("a", Instant{1'800'000'000'000});
  };
  std::string without = lines;
  without.erase(without.find(R"({"id":"big")"),
                without.find(R"({"id":"last")") - without.find(R"({"id":"big")"));
  EXPECT_EQ(final_state(lines), final_state(without));
}

TEST(Refusal, AMultipliedAwardOutOfRangeIsRefusedBeforeAnyAward) {
  auto plan = testing::plan_of(kOneDayLots + R"(
rule r on purchase { points += event.amount growth += event.amount }
campaign doubled on purchase during 2026-01-01 .. 2026-12-31 { points *= 2 }
)");
  std::string lines =
      event("e1", "purchase", "2026-01-01T10:00:00Z", R"({"amount":10})") +
      event("e2", "purchase", "2026-01-05T10:00:00Z", R"({"amount":5000000000000})");
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("campaign award out of range"), std::string::npos) << refused[0];
}

TEST(Refusal, ATaskThatCanFailAfterTheAwardsMakesEventsCopiedWhole) {
  auto plan = testing::plan_of(kOneDayLots + R"(
rule r on purchase { points += event.amount growth += event.amount }
task big on purchase sum event.amount * 2 reaches 1000 repeat { points += 5 }
campaign bonus on purchase during 2026-01-01 .. 2026-12-31 { points += 1 }
)");
  EXPECT_TRUE(plan->may_fail_late) << "the task's sum multiplies";
  std::string lines =
      event("e1", "purchase", "2026-01-01T10:00:00Z", R"({"amount":10})") +
      event("e2", "purchase", "2026-01-05T10:00:00Z", R"({"amount":5000000000000})") +
      event("e3", "purchase", "2026-01-06T10:00:00Z", R"({"amount":600})");
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 1u) << "e2: the rule's award fits, the task's sum does not";
  EXPECT_NE(refused[0].find("task big"), std::string::npos) << refused[0];
}

TEST(Refusal, WhatCanFailLateIsFoundInTasksPackagesBonusesAndPseudoEventRules) {
  const std::string head = R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
levels by growth { level L1 from 0 level L2 from 100 }
)";
  EXPECT_FALSE(testing::plan_of(head + "rule r on purchase { points += event.amount * 2 }\n" +
                                "task t on purchase when event.amount > 5 { points += 1 }\n" +
                                "rule up on level_up when event.to == L2 { points += 10 }\n")
                   ->may_fail_late);
  EXPECT_TRUE(testing::plan_of(head + "rule up on level_up { points += 10 * 2 }\n")->may_fail_late);
  EXPECT_TRUE(
      testing::plan_of(head + "task t on purchase when event.amount + 1 > 5 { points += 1 }\n")
          ->may_fail_late);
  EXPECT_TRUE(testing::plan_of(head + "campaign c on purchase during 2026-01-01 .. 2026-12-31 { "
                                      "points += round(event.amount) }\n")
                  ->may_fail_late);
  EXPECT_TRUE(testing::plan_of(head + "package pk for 1 - 1 < 5 available 30 days after join\n" +
                               "task t in pk on purchase { points += 1 }\n")
                  ->may_fail_late);
}

// Every example program: histories where about one purchase in five carries an amount of
// trillions, so that awards overflow wherever a rule multiplies.
// A redeem or use for a member no event created yet is refused, and the member's fresh state
// stays byte for byte as it was: its cached next expiry ("not known yet") included.
TEST(Refusal, ARedeemOrUseForAMemberWhoDoesNotExistLeavesTheFreshStateAsItWas) {
  auto plan = testing::plan_of(kOneDayLots + R"(
reward coffee cost 10 points
privilege ship quota 1 per month
rule r on purchase { points += event.amount }
)");
  std::string lines =
      R"({"id":"r1","op":"redeem","member":"a","reward":"coffee","time":"2026-01-01T10:00:00Z"})"
      "\n"
      R"({"id":"u1","op":"use","member":"a","privilege":"ship","time":"2026-01-02T10:00:00Z"})"
      "\n" +
      event("e1", "purchase", "2026-01-03T10:00:00Z", R"({"amount":5})") +
      R"({"id":"r2","op":"redeem","member":"a","reward":"coffee","time":"2026-01-03T11:00:00Z"})"
      "\n";
  auto refused = apply_checking(*plan, lines);
  ASSERT_EQ(refused.size(), 3u);
  EXPECT_NE(refused[0].find("does not exist"), std::string::npos) << refused[0];
  EXPECT_NE(refused[1].find("does not exist"), std::string::npos) << refused[1];
  EXPECT_EQ(refused[2].find("does not exist"), std::string::npos) << refused[2];
}

// Advancing to the as-of time (engine::advance, Replayer::finish) is not an operation: a review
// it carries out stands. The rules on the level_down that review raised are refused together if
// one fails (the first rule's points too), and that is said; with a value in range, both pay.
TEST(Refusal, ARuleThatFailsOnAPseudoEventRaisedByTimeAloneIsRefusedAndSaid) {
  auto plan = testing::plan_of(testing::kLevelDownBonusProgram);
  auto final_state = [&](const std::string& bonus, ReplaySummary& summary) {
    std::string lines = event("e1", "purchase", "2026-01-01T10:00:00Z", R"({"amount":200})") +
                        R"({"id":"s1","op":"set","member":"a","attributes":{"bonus":)" + bonus +
                        R"(},"time":"2026-01-02T10:00:00Z"})" + "\n";
    Replayer r(plan);
    std::istringstream in(lines);
    r.run(in, false);
    Instant as_of{1'772'323'200'000};  // 2026-03-01: the February review moved the member down
    r.finish(as_of);
    summary = r.summary();
    return r.member_state_json("a", as_of);
  };
  ReplaySummary paid, refused;
  std::string in_range = final_state("5", paid);
  EXPECT_EQ(paid.refused_at_end, 0);
  EXPECT_NE(in_range.find(R"("level":"L1")"), std::string::npos) << in_range;
  EXPECT_NE(in_range.find(R"("points":{"available":5407,)"), std::string::npos) << in_range;

  std::string out_of_range = final_state("9000000000000", refused);
  EXPECT_EQ(refused.applied, 2);
  EXPECT_EQ(refused.refused, 0) << "no operation was refused";
  EXPECT_EQ(refused.refused_at_end, 1);
  ASSERT_EQ(refused.problems.size(), 1u);
  EXPECT_EQ(refused.problems[0],
            "as of 2026-03-01T00:00:00Z: member \"a\": the rules of what time raised refused: "
            "rule sorry: number out of range (evaluation_error)");
  EXPECT_NE(out_of_range.find(R"("level":"L1")"), std::string::npos)
      << "the review stands: " << out_of_range;
  EXPECT_NE(out_of_range.find(R"("points":{"available":400,)"), std::string::npos) << out_of_range;
}

TEST(Refusal, EveryExampleProgramLeavesARefusedMemberAsItWas) {
  std::vector<std::string> programs;
  for (const auto& d : fs::directory_iterator(testing::source_dir() + "/rulesets")) {
    if (fs::exists(d.path() / "program.merit"))
      programs.push_back((d.path() / "program.merit").string());
  }
  std::sort(programs.begin(), programs.end());
  ASSERT_GE(programs.size(), 5u);
  const std::regex amount(R"("amount": ?[0-9.]+)");
  std::size_t out_of_range = 0;
  for (const auto& path : programs) {
    SCOPED_TRACE(path);
    auto loaded = load_program(path);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
    const auto& plan = loaded->plan;
    GenOptions o;
    o.members = 30;
    o.events = 3000;
    o.seed = 11;
    o.days = 420;
    std::ostringstream out;
    ASSERT_TRUE(generate(*plan, o, out).has_value());
    std::istringstream in(out.str());
    std::string line, lines;
    for (int n = 0; std::getline(in, line); ++n) {
      if (n % 5 == 3) line = std::regex_replace(line, amount, R"("amount":9000000000000)");
      lines += line + "\n";
    }
    for (const auto& m : apply_checking(*plan, lines)) {
      if (m.find("out of range") != std::string::npos) ++out_of_range;
    }
  }
  EXPECT_GT(out_of_range, 100u) << "the huge amounts must have been refused somewhere";
}

}  // namespace
}  // namespace merit::replay
