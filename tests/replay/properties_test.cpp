// Properties over generated histories (issue 3): for every example program and several seeds,
//  - the ledger adds up: points awarded minus deducted, spent, expired and reversed equals the
//    member's available plus pending points, and the expiring list adds up to what can expire;
//  - no balance below zero without `allow negative`;
//  - the same input replayed twice gives identical bytes (states and ledger);
//  - a history split at any point and resumed from the saved snapshot ends in the same states;
//  - a program and its YAML twin give the same bytes.
#include <filesystem>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "codec/state_json.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/model/lot_records.hpp"
#include "replay/generate.hpp"
#include "replay/replay.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::replay {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> example_programs() {
  std::vector<std::string> out;
  for (const auto& d : fs::directory_iterator(testing::source_dir() + "/rulesets")) {
    if (fs::exists(d.path() / "program.merit"))
      out.push_back((d.path() / "program.merit").string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string history(const engine::Plan& plan, std::uint64_t seed, std::int64_t events) {
  GenOptions o;
  o.members = 60;
  o.events = events;
  o.seed = seed;
  o.days = 420;  // long enough for expiry, yearly reviews and campaign days
  std::ostringstream out;
  auto r = generate(plan, o, out);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  return out.str();
}

struct Outcome {
  std::string states;
  std::string ledger;
};

Outcome run_all(std::shared_ptr<const engine::Plan> plan, const std::string& events, Instant as_of,
                std::uint32_t big_bytes = storage::MemberTable::kDefaultBigBytes) {
  Replayer r(plan, big_bytes);
  Outcome o;
  std::istringstream in(events);
  r.run(in, false, [&](std::int64_t, const engine::Operation* op, const engine::ApplyResult* res) {
    if (op && res) o.ledger += ledger_json(*plan, *op, *res) + "\n";
  });
  r.finish(as_of);
  std::ostringstream s;
  r.write_states(s, as_of);
  o.states = s.str();
  return o;
}

Instant last_time(const std::string& events, const engine::Plan& plan) {
  Instant t;
  std::istringstream in(events);
  std::string line;
  while (std::getline(in, line)) {
    auto p = line.find("\"time\":\"");
    if (p == std::string::npos) continue;
    auto e = line.find('"', p + 8);
    auto i = parse_instant(line.substr(p + 8, e - p - 8), plan.zone);
    if (i && *i > t) t = *i;
  }
  return t;
}

class Properties : public ::testing::TestWithParam<std::string> {};

TEST_P(Properties, LedgerAddsUpToTheBalances) {
  auto loaded = load_program(GetParam());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  auto plan = loaded->plan;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    std::string events = history(*plan, seed, 3000);
    Replayer r(plan);
    std::map<std::string, std::int64_t> ledger;  // member -> points per the ledger
    auto add = [&](const std::string& member, const engine::Effect& e) {
      using K = engine::EffectKind;
      switch (e.kind) {
        case K::kPoints:
          ledger[member] += e.amount;
          break;
        case K::kDeduct:
        case K::kSpend:
        case K::kExpire:
        case K::kReverse:
          ledger[member] -= e.amount;
          break;
        default:
          break;
      }
    };
    std::istringstream in(events);
    std::int64_t applied = 0;
    r.run(in, false,
          [&](std::int64_t, const engine::Operation* op, const engine::ApplyResult* res) {
            if (!op || !res || res->rejection) return;
            ++applied;
            for (const auto& e : res->effects) add(op->member, e);
          });
    EXPECT_GT(applied, 1000) << "the generated history should mostly apply (seed " << seed << ")";
    Instant t = last_time(events, *plan);
    for (const auto& id : r.store().member_ids()) {
      engine::MemberState m = *r.store().find(id);
      engine::ApplyResult tail;
      engine::advance(*plan, m, t, tail);
      for (const auto& e : tail.effects) add(id, e);
      engine::MemberView v = engine::view(*plan, m, t);
      EXPECT_EQ(ledger[id], v.available + v.pending) << id << " seed " << seed;
      std::int64_t lots = 0, never = 0;
      engine::for_each_lot(m, [&](const engine::Lot& l) {
        lots += l.amount;
        if (l.expires == engine::kNever && l.available_at <= t.ms) never += l.amount;
      });
      EXPECT_EQ(lots - m.debt, v.available + v.pending) << id;
      std::int64_t expiring = 0;
      for (const auto& [day, amount] : v.expiring) expiring += amount;
      EXPECT_EQ(expiring + never - m.debt, v.available) << id;
      if (!plan->allow_negative) {
        EXPECT_GE(v.available, 0) << id;
      }
    }
  }
}

TEST_P(Properties, ReplayingTwiceGivesIdenticalBytes) {
  auto loaded = load_program(GetParam());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  std::string events = history(*loaded->plan, 7, 4000);
  Instant t = last_time(events, *loaded->plan);
  Outcome a = run_all(loaded->plan, events, t);
  Outcome b = run_all(loaded->plan, events, t);
  EXPECT_FALSE(a.states.empty());
  EXPECT_EQ(a.states, b.states);
  EXPECT_EQ(a.ledger, b.ledger);
  // Whether the store keeps every member unpacked (0), some (100 bytes) or none: the same bytes.
  for (std::uint32_t big : {0u, 100u, 0xffffffffu}) {
    Outcome c = run_all(loaded->plan, events, t, big);
    EXPECT_EQ(a.states, c.states) << "big " << big;
    EXPECT_EQ(a.ledger, c.ledger) << "big " << big;
  }
}

TEST_P(Properties, SplitHistoryResumedFromSnapshotEndsTheSame) {
  auto loaded = load_program(GetParam());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  auto plan = loaded->plan;
  std::string events = history(*plan, 11, 2500);
  Instant t = last_time(events, *plan);
  std::string whole = run_all(plan, events, t).states;
  std::vector<std::string> lines;
  {
    std::istringstream in(events);
    std::string l;
    while (std::getline(in, l)) lines.push_back(l);
  }
  for (std::size_t cut : {std::size_t{1}, lines.size() / 3, lines.size() / 2, lines.size() - 1}) {
    std::string first, second;
    for (std::size_t i = 0; i < lines.size(); ++i) (i < cut ? first : second) += lines[i] + "\n";
    Replayer a(plan);
    std::istringstream in1(first);
    a.run(in1, false);
    std::stringstream snap;
    a.save_snapshot(snap);
    Replayer b(plan);
    auto loaded_snap = b.load_snapshot(snap);
    ASSERT_TRUE(loaded_snap.has_value()) << loaded_snap.error().message();
    std::istringstream in2(second);
    b.run(in2, false);
    b.finish(t);
    std::ostringstream s;
    b.write_states(s, t);
    EXPECT_EQ(s.str(), whole) << "split after line " << cut;
  }
}

TEST_P(Properties, YamlTwinGivesTheSameBytes) {
  std::string yaml = GetParam() + ".yaml";
  if (!fs::exists(yaml)) GTEST_SKIP() << "no YAML twin beside " << GetParam();
  auto dsl = load_program(GetParam());
  auto twin = load_program(yaml);
  ASSERT_TRUE(dsl.has_value()) << dsl.error().message();
  ASSERT_TRUE(twin.has_value()) << twin.error().message();
  std::string events = history(*dsl->plan, 5, 2000);
  Instant t = last_time(events, *dsl->plan);
  Outcome a = run_all(dsl->plan, events, t);
  Outcome b = run_all(twin->plan, events, t);
  EXPECT_EQ(a.states, b.states);
  // the ledger names the program version, which hashes the text; compare without it
  auto strip = [](std::string s) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      auto p = s.find("\"program_version\":\"", pos);
      if (p == std::string::npos) break;
      out += s.substr(pos, p - pos);
      pos = s.find('"', p + 19) + 2;
    }
    return out + s.substr(pos);
  };
  EXPECT_EQ(strip(a.ledger), strip(b.ledger));
}

INSTANTIATE_TEST_SUITE_P(Examples, Properties, ::testing::ValuesIn(example_programs()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return fs::path(param.param).parent_path().filename().string();
                         });

}  // namespace
}  // namespace merit::replay
