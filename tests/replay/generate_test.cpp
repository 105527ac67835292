// The synthetic history generator: reproducible bytes, lines the decoder reads against the program,
// time order, refunds of the member's own earlier orders, ~1% exact repeats, the rhythms of the
// model, and histories the Replayer accepts except for the refusals a real history has too.
#include "replay/generate.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "codec/operation_codec.hpp"
#include "replay/replay.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::replay {
namespace {

std::shared_ptr<const engine::Plan> default_plan() {
  auto plan = default_program_plan();
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message());
  return plan ? *plan : nullptr;
}

std::string generate_text(const engine::Plan& plan, const GenOptions& options) {
  std::ostringstream out;
  auto r = generate(plan, options, out);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

GenOptions options(std::int64_t members, std::int64_t events, std::uint64_t seed = 1,
                   std::int64_t days = 28) {
  GenOptions o;
  o.members = members;
  o.events = events;
  o.seed = seed;
  o.days = days;
  return o;
}

TEST(Generate, SameOptionsSameBytesOtherSeedOtherBytes) {
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  std::string a = generate_text(*plan, options(300, 20000, 7));
  std::string b = generate_text(*plan, options(300, 20000, 7));
  std::string c = generate_text(*plan, options(300, 20000, 8));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(lines_of(a).size(), 20000u);
  EXPECT_EQ(lines_of(c).size(), 20000u);
  // A longer run starts differently only where the allocation of events to days differs; the
  // Generator API gives the same lines as generate().
  Generator gen(*plan, options(300, 20000, 7));
  std::string pulled;
  while (gen.next(pulled)) pulled += '\n';
  EXPECT_EQ(pulled, a);
  EXPECT_EQ(gen.produced(), 20000);
}

TEST(Generate, OptionsAreChecked) {
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  std::ostringstream out;
  auto r = generate(*plan, options(0, 10), out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "--members must be between 1 and 100000000; got 0");
  auto d = validate(options(5, 10, 1, 0));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().message(), "--days must be between 1 and 36600; got 0");
  auto e = validate(options(5, -1));
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "--events must be at least 0; got -1");
  EXPECT_EQ(generate_text(*plan, options(5, 0)), "");
}

// What a decoded history looks like, for the checks below.
struct Decoded {
  std::vector<engine::Operation> ops;
  std::vector<std::string> problems;  // lines that did not decode
  std::int64_t repeats = 0;           // lines equal to the line before
};

Decoded decode_all(const engine::Plan& plan, const std::string& text) {
  Decoded d;
  codec::OperationDecoder decoder(plan);
  std::string previous;
  std::int64_t n = 0;
  for (const auto& line : lines_of(text)) {
    ++n;
    if (line == previous) ++d.repeats;
    previous = line;
    engine::Operation op;
    auto r = decoder.decode(line, op);
    if (!r) {
      if (d.problems.size() < 5)
        d.problems.push_back("line " + std::to_string(n) + ": " + r.error().message());
      continue;
    }
    d.ops.push_back(std::move(op));
  }
  return d;
}

TEST(Generate, EveryLineDecodesInTimeOrderWithRefundsOfOwnEarlierOrders) {
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  std::string text = generate_text(*plan, options(2000, 100000, 3, 60));
  Decoded d = decode_all(*plan, text);
  EXPECT_EQ(d.problems, std::vector<std::string>{});
  ASSERT_EQ(d.ops.size(), 100000u);

  const int purchase = plan->event_index("purchase");
  const int refund = plan->event_index("refund");
  const int review = plan->event_index("review");
  ASSERT_GE(purchase, 0);
  const auto order_slot =
      static_cast<std::size_t>(plan->events[static_cast<std::size_t>(purchase)].reverse_field);
  std::map<std::string, std::string> owner;  // order id -> member
  std::set<std::string> refunded;
  std::set<std::string> ids;
  std::map<engine::OpKind, int> kinds;
  std::map<int, int> types;
  Instant last{};
  int purchases = 0, refunds = 0, reviews = 0, repeated_ids = 0;
  std::string previous_id;
  for (const auto& op : d.ops) {
    EXPECT_GE(op.time, last) << op.id;
    last = op.time;
    if (!ids.insert(op.id).second) {
      ++repeated_ids;
      EXPECT_EQ(op.id, previous_id) << "a repeated id comes right after its first line";
      continue;
    }
    previous_id = op.id;
    ++kinds[op.kind];
    if (op.kind != engine::OpKind::kEvent) continue;
    ++types[op.event_type];
    if (op.event_type == purchase) {
      ++purchases;
      const auto& id = op.fields[order_slot].s;
      EXPECT_TRUE(owner.emplace(id, op.member).second) << "order id " << id << " used twice";
    } else if (op.event_type == refund || op.event_type == review) {
      const auto& id = op.fields[0].s;
      auto it = owner.find(id);
      ASSERT_NE(it, owner.end()) << op.id << " names order " << id
                                 << " that no earlier purchase made";
      EXPECT_EQ(it->second, op.member) << op.id << " names another member's order";
      if (op.event_type == refund) {
        ++refunds;
        EXPECT_TRUE(refunded.insert(id).second) << "order " << id << " refunded twice";
      } else {
        ++reviews;
      }
    }
  }
  // ~1% exact repeats (a retry sends the same bytes), each with the id of the line before.
  EXPECT_EQ(repeated_ids, d.repeats);
  EXPECT_GT(d.repeats, 500);
  EXPECT_LT(d.repeats, 1500);
  // A few percent of purchases are refunded; reviews happen; every kind of operation occurs.
  EXPECT_GT(refunds, purchases * 2 / 100);
  EXPECT_LT(refunds, purchases * 6 / 100);
  EXPECT_GT(reviews, 1000);
  EXPECT_GT(kinds[engine::OpKind::kSet], 500);
  EXPECT_GT(kinds[engine::OpKind::kRedeem], 300);
  EXPECT_GT(kinds[engine::OpKind::kUse], 300);
  EXPECT_GT(types[plan->event_index("signin")], 10000);
  EXPECT_GT(types[plan->event_index("share")], 1000);
}

TEST(Generate, WeeklyRhythmHeavyTailAndSigninStreaks) {
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  const std::int64_t days = 28;  // four whole weeks from Thursday 2026-01-01
  std::string text = generate_text(*plan, options(5000, 200000, 11, days));
  Decoded d = decode_all(*plan, text);
  ASSERT_EQ(d.ops.size(), 200000u);
  std::vector<std::int64_t> by_weekday(7, 0);
  std::map<std::string, std::int64_t> by_member;
  std::map<std::string, std::set<std::int32_t>> signin_days;
  std::vector<std::int64_t> by_hour(24, 0);
  const int signin = plan->event_index("signin");
  for (const auto& op : d.ops) {
    LocalDate day = plan->zone.date_of(op.time);
    ++by_weekday[static_cast<std::size_t>(weekday(day))];
    ++by_hour[static_cast<std::size_t>(plan->zone.minute_of_day(op.time) / 60)];
    ++by_member[op.member];
    if (op.kind == engine::OpKind::kEvent && op.event_type == signin)
      signin_days[op.member].insert(day.days);
  }
  // Weekends are busier than weekdays; evenings busier than nights.
  std::int64_t weekday_mean =
      (by_weekday[0] + by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 5;
  EXPECT_GT(by_weekday[5], weekday_mean * 11 / 10);
  EXPECT_GT(by_weekday[6], weekday_mean * 11 / 10);
  EXPECT_GT(by_hour[20], by_hour[3] * 5);
  // A few members make much of the traffic.
  std::vector<std::int64_t> counts;
  for (const auto& [m, n] : by_member) counts.push_back(n);
  std::sort(counts.rbegin(), counts.rend());
  std::int64_t top = 0;
  for (std::size_t i = 0; i < counts.size() / 10; ++i) top += counts[i];
  EXPECT_GT(top * 100 / 200000, 40) << "the top 10% of members make over 40% of the lines";
  // Habitual signers sign in nearly every day; most members do not.
  int daily = 0;
  for (const auto& [m, ds] : signin_days)
    daily += ds.size() >= static_cast<std::size_t>(days * 8 / 10);
  EXPECT_GT(daily, 100);
  EXPECT_LT(daily, 1000);
}

// Replays a generated history and returns the codes of the refusals (`code` -> count), failing on
// anything a well-formed history should never produce.
std::map<std::string, int> replay_refusals(std::shared_ptr<const engine::Plan> plan,
                                           const std::string& text,
                                           std::int64_t* operations = nullptr) {
  Replayer replayer(plan);
  std::map<std::string, int> codes;
  std::istringstream in(text);
  replayer.run(
      in, false, [&](std::int64_t line, const engine::Operation* op, const engine::ApplyResult* r) {
        if (op == nullptr || r == nullptr || !r->rejection) return;
        ++codes[r->rejection->code];
        EXPECT_TRUE(op->kind == engine::OpKind::kRedeem || op->kind == engine::OpKind::kUse)
            << "line " << line << ": " << op->id << " refused: " << r->rejection->message;
      });
  const auto& s = replayer.summary();
  EXPECT_EQ(s.malformed, 0) << (s.problems.empty() ? "" : s.problems.front());
  EXPECT_EQ(s.mismatched_duplicates, 0);
  EXPECT_GT(s.duplicates, 0);
  if (operations != nullptr) *operations = s.operations;
  return codes;
}

TEST(Generate, ReplaysWithOnlyTheRefusalsARealHistoryHas) {
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  std::int64_t operations = 0;
  auto codes =
      replay_refusals(plan, generate_text(*plan, options(1000, 60000, 5, 45)), &operations);
  EXPECT_EQ(operations, 60000);
  const std::set<std::string> expected = {"insufficient_points", "not_eligible", "limit_reached",
                                          "out_of_stock", "no_uses_left"};
  int refused = 0;
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(expected.count(code)) << code;
    refused += n;
  }
  EXPECT_LT(refused, 60000 * 3 / 100);
}

TEST(Generate, EveryRulesetProgram) {
  for (const char* name : {"ecommerce", "mall", "milk_powder", "credit_card", "streaming"}) {
    SCOPED_TRACE(name);
    auto loaded = load_program(testing::source_dir() + "/rulesets/" + name + "/program.merit");
    ASSERT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message());
    const auto& plan = loaded->plan;
    std::string text = generate_text(*plan, options(500, 20000, 2, 40));
    Decoded d = decode_all(*plan, text);
    EXPECT_EQ(d.problems, std::vector<std::string>{});
    EXPECT_EQ(d.ops.size(), 20000u);
    // Every declared event type occurs.
    std::set<int> seen;
    for (const auto& op : d.ops) {
      if (op.kind == engine::OpKind::kEvent) seen.insert(op.event_type);
    }
    for (int e = 0; e < plan->declared_events; ++e) {
      EXPECT_TRUE(seen.count(e)) << plan->events[static_cast<std::size_t>(e)].name
                                 << " never occurs";
    }
    for (const auto& [code, n] : replay_refusals(plan, text)) {
      EXPECT_TRUE(code == "insufficient_points" || code == "not_eligible" ||
                  code == "limit_reached" || code == "out_of_stock" || code == "no_uses_left")
          << code << " x" << n;
    }
  }
}

TEST(Generate, Fast) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
  GTEST_SKIP() << "timing is meaningless under the sanitizers";
#endif
  auto plan = default_plan();
  ASSERT_NE(plan, nullptr);
  Generator gen(*plan, options(100000, 1000000, 1, 90));
  std::string line;
  std::size_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  while (gen.next(line)) {
    bytes += line.size() + 1;
    line.clear();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(gen.produced(), 1000000);
  EXPECT_GT(bytes, 100u * 1000000u);
  // 10 million lines must take well under a minute: a million well under six seconds, even
  // unoptimized.
  EXPECT_LT(seconds, 6.0);
}

}  // namespace
}  // namespace merit::replay
