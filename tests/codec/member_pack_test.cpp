// The packed member state: every field survives pack -> unpack, extremes included; a reused state
// takes nothing from the member unpacked into it before; damaged bytes are refused, never read
// past.
#include "codec/member_pack.hpp"

#include <limits>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "codec/snapshot.hpp"
#include "engine/model/award_records.hpp"
#include "engine/model/lot_records.hpp"
#include "replay/generate.hpp"
#include "replay/replay.hpp"

namespace merit::codec {
namespace {

using engine::MemberState;
using engine::Value;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// Every field, compared one by one (MemberState has no operator==: the evaluator never needs one).
void expect_same(const MemberState& a, const MemberState& b) {
  EXPECT_EQ(member_snapshot_json(a), member_snapshot_json(b));
  // What the snapshot leaves out: the caches.
  EXPECT_EQ(a.review_due, b.review_due);
  EXPECT_EQ(a.next_expiry, b.next_expiry);
  EXPECT_EQ(a.next_release, b.next_release);
  EXPECT_EQ(a.done_once, b.done_once);
  // The award records, decoded (unpack_member leaves them encoded).
  MemberState da = a, db = b;
  engine::unpack_awards(da);
  engine::unpack_awards(db);
  ASSERT_EQ(da.awards.size(), db.awards.size());
  for (std::size_t i = 0; i < da.awards.size(); ++i) {
    EXPECT_EQ(da.awards[i].key, db.awards[i].key);
    EXPECT_TRUE(da.awards[i].lots == db.awards[i].lots);
  }
  ASSERT_EQ(a.attributes.size(), b.attributes.size());
  for (std::size_t i = 0; i < a.attributes.size(); ++i) EXPECT_EQ(a.attributes[i], b.attributes[i]);
}

MemberState everything() {
  MemberState m;
  m.id = "会员-0001";
  m.exists = true;
  m.joined = Instant{1'767'225'600'123};  // not a whole second
  m.level = 3;
  m.level_since = Instant{1'767'225'600'000 + 86'400'000};
  m.review_base = Instant{1'700'000'000'000};  // before joining: a negative delta
  m.next_expiry = engine::kNever;
  m.next_release = 1'767'225'600'000 + 7 * 86'400'000;
  m.done_once = 0x8000'0000'0000'0005ull;
  m.review_due = 0;
  m.growth_lifetime = 123'456'789'012;
  m.growth_window = {{Instant{1'767'225'601'000}, 5}, {Instant{1'767'225'601'001}, -3}};
  m.lots = {{7, true, Instant{1'767'225'601'000}, engine::kNever, 0, 100, 100},
            {8, false, Instant{1'767'225'602'500}, 1'798'761'600'000, 1'767'312'000'000, 50, 13},
            {9, false, Instant{kMax - 5}, kMax - 1, kMin + 1, kMax, kMin}};
  m.closed_lots = {{3, 40}, {4, -2}};
  engine::AwardRecord a;
  a.event_type = 2;
  a.key = 0xdead'beef'0123'4567ull;
  a.time = Instant{1'767'225'601'000};
  a.lots.push_back({7, 100});
  a.lots.push_back({8, 50});
  a.lots.push_back({9, 1});  // spills past the inline two
  a.growth = 90;
  a.reversed = true;
  m.awards.push_back(a);
  engine::AwardRecord b;
  b.event_type = -1;
  b.key = ~0ull;
  b.time = Instant{0};
  m.awards.push_back(b);
  m.next_lot_id = 10;
  m.debt = 77;
  m.cap_period = -5;
  m.cap_used = 4999;
  m.tasks.resize(3);
  m.tasks[0].count = 6;
  m.tasks[0].streak_day = 20'454;
  m.tasks[1].completions = 2;
  m.tasks[1].last_completion = 1'767'225'601'000;
  m.tasks[1].completion_period = std::numeric_limits<std::int32_t>::max();
  m.tasks[1].sum = Decimal::from_units(12'345'678);  // 12.345678
  m.tasks[1].window = {{Instant{1'767'225'601'000}, Decimal::from_int(1)},
                       {Instant{1'767'225'609'999}, Decimal::from_units(kMax)}};
  m.privileges.resize(2);
  m.privileges[1].period = 0;
  m.privileges[1].used = 3;
  m.privileges[1].grants = {{2, 1'770'000'000'000}, {1, engine::kNever}};
  m.rewards.resize(2);
  m.rewards[0].period = 24'000;
  m.rewards[0].units = 1;
  m.aggregates.resize(2);
  m.aggregates[0].first = 1'767'225'601'000;
  m.aggregates[0].last = 1'767'225'609'000;
  m.aggregates[0].window = {{Instant{1'767'225'601'000}, Decimal::from_units(-500'000)}};
  m.aggregates[1].total_count = 9;
  m.aggregates[1].total_sum = Decimal::from_units(kMin + 3);
  m.tags = {"buyer", "首单"};
  m.attributes = {Value::none(),
                  Value::number(Decimal::from_units(-1)),
                  Value::boolean(true),
                  Value::string("上海"),
                  Value::date(LocalDate{-3}),
                  Value::time(Instant{kMin}),
                  Value::level(2)};
  Value set;
  set.kind = Value::Kind::kSet;
  set.set = {"", "a", "long string that does not fit a small-string buffer"};
  m.attributes.push_back(set);
  Value d;
  d.kind = Value::Kind::kDuration;
  d.i = 86'400'000;
  m.attributes.push_back(d);
  return m;
}

TEST(MemberPack, EveryFieldSurvivesIncludingExtremes) {
  MemberState m = everything();
  std::string bytes;
  pack_member(m, bytes);
  MemberState back;
  auto r = unpack_member(bytes, back);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  expect_same(m, back);
  std::string again;
  pack_member(back, again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(packed_member_id(bytes), "会员-0001");
}

TEST(MemberPack, AnUntouchedMemberIsSmall) {
  MemberState m;
  m.id = "m0000001";
  m.tasks.resize(3);
  m.privileges.resize(2);
  m.rewards.resize(1);
  m.aggregates.resize(1);
  m.attributes.resize(3);
  std::string bytes;
  pack_member(m, bytes);
  // Version, id (1 + 8), flags: 11 bytes. Then a byte each: 5 times, level, done_once, growth, 3
  // list lengths, the award records' count and byte length, 4 counters, 5 more lengths, and one per
  // task, privilege, reward, aggregate and unset attribute (10), the length of the rarely used
  // part: 46 in all.
  EXPECT_LE(bytes.size(), 46u) << bytes.size();
  MemberState back;
  ASSERT_TRUE(unpack_member(bytes, back).has_value());
  expect_same(m, back);
}

TEST(MemberPack, TheZeroInstantTakesOneByteWhateverTheJoinTime) {
  // A lot spendable at once has available_at 0, and a review not yet computed review_due 0: as a
  // delta from a join in 2026 each would take five bytes.
  MemberState m;
  m.id = "m1";
  m.exists = true;
  m.joined = Instant{1'767'225'600'000};
  m.lots = {{1, false, Instant{1'767'225'601'000}, 1'798'761'600'000, 0, 10, 10}};
  std::string zero, one;
  pack_member(m, zero);
  m.lots[0].available_at = 1;  // 1 ms after the epoch: an ordinary, far-away instant
  m.review_due = 1;
  pack_member(m, one);
  EXPECT_LE(zero.size() + 8, one.size()) << zero.size() << " vs " << one.size();
  MemberState back;
  ASSERT_TRUE(unpack_member(zero, back).has_value());
  engine::unpack_lots(back);
  EXPECT_EQ(back.lots.at(0).available_at, 0);
  EXPECT_EQ(back.review_due, 0);
}

TEST(MemberPack, AReusedStateKeepsNothingOfThePreviousMember) {
  MemberState big = everything();
  MemberState small;
  small.id = "s";
  small.tasks.resize(3);
  small.attributes.resize(1);
  std::string big_bytes, small_bytes;
  pack_member(big, big_bytes);
  pack_member(small, small_bytes);
  MemberState scratch;
  ASSERT_TRUE(unpack_member(big_bytes, scratch).has_value());
  ASSERT_TRUE(unpack_member(small_bytes, scratch).has_value());
  expect_same(small, scratch);
  EXPECT_EQ(engine::lot_count(scratch), 0u);
  EXPECT_TRUE(scratch.lots_packed.empty());
  EXPECT_TRUE(scratch.tasks[1].window.empty());
  EXPECT_EQ(scratch.tasks[1].last_completion, kMin);
}

TEST(MemberPack, RefusesEveryTruncationAndSurvivesDamage) {
  std::string bytes;
  pack_member(everything(), bytes);
  MemberState scratch;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(unpack_member(std::string_view(bytes).substr(0, n), scratch).has_value()) << n;
  }
  std::string longer = bytes + "x";
  EXPECT_FALSE(unpack_member(longer, scratch).has_value());
  std::string other = bytes;
  other[0] = 9;
  auto r = unpack_member(other, scratch);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("format version"), std::string::npos);
  // Random damage: either refused or read as some state, never a crash or a read past the end
  // (the sanitizer build checks the latter).
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string damaged = bytes;
    for (int k = 0; k < 3; ++k) damaged[rng() % damaged.size()] = static_cast<char>(rng());
    (void)unpack_member(damaged, scratch);
  }
}

// Members after realistic histories: every one a ruleset's replay left packs and unpacks to itself.
TEST(MemberPack, RoundTripsEveryMemberOfAGeneratedHistory) {
  for (const char* name : {"ecommerce", "credit_card", "streaming"}) {
    auto loaded =
        replay::load_program(std::string(MERIT_SOURCE_DIR "/rulesets/") + name + "/program.merit");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
    replay::GenOptions options;
    options.members = 60;
    options.events = 3000;
    options.seed = 11;
    options.days = 400;
    std::ostringstream events;
    ASSERT_TRUE(replay::generate(*loaded->plan, options, events).has_value());
    replay::Replayer r(loaded->plan);
    std::istringstream in(events.str());
    r.run(in, false);
    ASSERT_GT(r.store().member_count(), 30u) << name;
    std::string bytes;
    r.store().for_each_member([&](const MemberState& m) {
      pack_member(m, bytes);
      MemberState back;
      ASSERT_TRUE(unpack_member(bytes, back).has_value());
      expect_same(m, back);
    });
  }
}

}  // namespace
}  // namespace merit::codec
