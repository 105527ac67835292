// The member state and ledger JSON: whole objects, keys in their fixed order, exact numbers.
#include "codec/state_json.hpp"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "codec/snapshot.hpp"
#include "engine/eval/evaluator.hpp"
#include "replay/generate.hpp"
#include "replay/replay.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::codec {
namespace {

constexpr const char* kProgram = R"(
program shop "小店" { timezone "Asia/Shanghai" currency "CNY" }
member { birthday: date }
event purchase { amount: money; order_id: string }
event signin {}
points { expire after 30 days }
levels by growth review yearly {
  level V1 "普通" from 0 { rate 1 }
  level V2 "白银" from 100 { rate 1.5 }
}
rule buy on purchase { points += event.amount * level.rate  growth += event.amount  tag += "buyer" }
task streak on signin streak 3 days repeat { points += 5 }
privilege wifi for level >= V2 quota 2 per month
)";

std::shared_ptr<const engine::Plan> plan() {
  static std::shared_ptr<const engine::Plan> p = [] {
    // From memory: ctest runs each test of this file as its own process, in parallel, so a shared
    // temporary file would be rewritten under a reader's feet.
    auto loaded = replay::load_program_text("state_json_test.merit", kProgram);
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message();
      std::abort();
    }
    return loaded->plan;
  }();
  return p;
}

TEST(MemberJson, WritesTheWholeStateInItsFixedOrder) {
  // e2 earns at V1's rate: `level` is the level before the event (LANGUAGE.md §4.5), though e2
  // itself lifts the member to V2.
  replay::Replayer r(plan());
  std::istringstream in(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T10:00:00+08:00","data":{"amount":80.5,"order_id":"o1"}})"
      "\n"
      R"({"id":"e2","type":"purchase","member":"a","time":"2026-01-11T23:30:00+08:00","data":{"amount":40,"order_id":"o2"}})"
      "\n"
      R"({"id":"s1","op":"set","member":"a","attributes":{"birthday":"1990-05-02"},"time":"2026-01-12T09:00:00+08:00"})"
      "\n"
      R"({"id":"g1","type":"signin","member":"a","time":"2026-01-12T09:00:00+08:00"})"
      "\n");
  r.run(in, false);
  Instant t = *parse_instant("2026-01-12T12:00:00+08:00", plan()->zone);
  r.finish(t);
  EXPECT_EQ(
      r.member_state_json("a", t),
      R"({"member":"a","level":"V2","level_name":"白银","level_since":"2026-01-11T15:30:00Z",)"
      R"("joined":"2026-01-10T02:00:00Z","points":{"available":120,"pending":0,"expiring":)"
      R"([{"date":"2026-02-09","amount":80},{"date":"2026-02-10","amount":40}]},)"
      R"("growth":{"lifetime":120,"qualifying":120},"next_level":null,)"
      R"("review":{"due":"2027-01-11T15:30:00Z","growth_needed":0},)"
      R"("tasks":{"streak":{"progress":1,"target":3,"completions":0}},)"
      R"("privileges":{"wifi":{"remaining":2}},"tags":["buyer"],)"
      R"("attributes":{"birthday":"1990-05-02"}})");
  EXPECT_EQ(r.member_state_json("nobody", t), "");
}

TEST(LedgerJson, NamesCausesLotsAndLastDays) {
  replay::Replayer r(plan());
  std::string ledger;
  std::istringstream in(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T10:00:00+08:00","data":{"amount":80.5,"order_id":"o1"}})"
      "\n");
  r.run(in, false, [&](std::int64_t, const engine::Operation* op, const engine::ApplyResult* res) {
    if (op && res) ledger = replay::ledger_json(*plan(), *op, *res);
  });
  EXPECT_EQ(ledger.substr(0, ledger.find("\"program_version\"")),
            R"({"op":"e1","member":"a","time":"2026-01-10T02:00:00Z",)");
  EXPECT_NE(ledger.find(R"({"kind":"join","cause":"system","time":"2026-01-10T02:00:00Z"})"),
            std::string::npos)
      << ledger;
  EXPECT_NE(
      ledger.find(
          R"({"kind":"points","rule":"buy","amount":80,"expires":"2026-02-09","exact":80.5,"time":"2026-01-10T02:00:00Z","lots":[[1,80]]})"),
      std::string::npos)
      << ledger;
  EXPECT_NE(
      ledger.find(R"({"kind":"tag_add","rule":"buy","tag":"buyer","time":"2026-01-10T02:00:00Z"})"),
      std::string::npos)
      << ledger;
}

TEST(Snapshot, RoundTripsEveryField) {
  replay::Replayer r(plan());
  std::istringstream in(
      R"({"id":"e1","type":"purchase","member":"a","time":"2026-01-10T10:00:00+08:00","data":{"amount":180,"order_id":"o1"}})"
      "\n"
      R"({"id":"g1","type":"signin","member":"a","time":"2026-01-12T09:00:00+08:00"})"
      "\n");
  r.run(in, false);
  std::optional<engine::MemberState> m = r.store().find("a");
  ASSERT_TRUE(m.has_value());
  std::string once = member_snapshot_json(*m);
  auto back = member_from_snapshot(once);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(member_snapshot_json(*back), once);
  auto bad = member_from_snapshot(R"({"id":"a"})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("malformed member snapshot"), std::string::npos);
}

// engine::view_into reuses one MemberView for member after member (as writing every state does):
// each member's JSON is the same as from a fresh view, whatever the member before it had (more
// lots expiring on more days, tasks, grants, tags, attributes, or none), in every example program.
TEST(MemberJson, AReusedViewGivesEveryMemberTheSameJsonAsAFreshOne) {
  for (const char* name : {"credit_card", "ecommerce", "mall", "milk_powder", "streaming"}) {
    auto loaded =
        replay::load_program(testing::source_dir() + "/rulesets/" + name + "/program.merit");
    ASSERT_TRUE(loaded) << name;
    const auto& p = loaded->plan;
    replay::GenOptions o;
    o.members = 60;
    o.events = 4000;
    o.days = 400;
    std::stringstream history;
    ASSERT_TRUE(replay::generate(*p, o, history).has_value());
    replay::Replayer r(p);
    r.run(history, false);
    Instant as_of = *r.summary().latest;
    r.finish(as_of);
    std::vector<engine::MemberState> members;
    for (const auto& id : r.store().member_ids()) members.push_back(*r.store().find(id));
    ASSERT_GT(members.size(), 40u) << name;
    // Forward, then backward: every member follows both a busier and a quieter one.
    engine::MemberView reused;
    std::size_t differing_neighbours = 0;
    std::string previous;
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t k = 0; k < members.size(); ++k) {
        const auto& m = members[pass == 0 ? k : members.size() - 1 - k];
        engine::view_into(*p, m, as_of, reused);
        std::string json;
        append_member_json(json, *p, reused);
        EXPECT_EQ(json, member_json(*p, engine::view(*p, m, as_of))) << name << " " << m.id;
        if (json.substr(json.find(',')) != previous) ++differing_neighbours;
        previous = json.substr(json.find(','));
      }
    }
    EXPECT_GT(differing_neighbours, members.size()) << name << ": the members should differ";
  }
}

}  // namespace
}  // namespace merit::codec
