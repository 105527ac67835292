// Award records as bytes: every field survives, records appended to the bytes join the old ones in
// order, unpack_awards puts the encoded ones first, and bytes that are not whole records are
// refused.
#include "engine/model/award_records.hpp"

#include <limits>

#include <gtest/gtest.h>

#include "codec/snapshot.hpp"
#include "dsl/parse.hpp"
#include "engine/check/checker.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/plan/planner.hpp"

namespace merit::engine {
namespace {

AwardRecord record(int type, std::uint64_t key, std::int64_t ms, std::int64_t growth,
                   std::initializer_list<LotList::value_type> lots, bool reversed = false) {
  AwardRecord a;
  a.event_type = type;
  a.key = key;
  a.time = Instant{ms};
  a.growth = growth;
  a.reversed = reversed;
  for (const auto& l : lots) a.lots.push_back(l);
  return a;
}

void expect_equal(const AwardRecord& a, const AwardRecord& b) {
  EXPECT_EQ(a.event_type, b.event_type);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.growth, b.growth);
  EXPECT_EQ(a.reversed, b.reversed);
  EXPECT_TRUE(a.lots == b.lots);
}

std::vector<AwardRecord> samples() {
  constexpr std::int64_t kBig = std::int64_t{1} << 61;
  return {record(0, 1, 1'767'225'600'000, 90, {{7, 100}}),
          record(3, ~0ull, 1'767'225'600'123, -5, {}, true),  // not a whole second
          record(-1, 0, -86'400'000, 0, {{0, 5}, {1, -2}, {4'000'000'000u, kBig}}),  // spills
          record(2, 0x0123'4567'89ab'cdefull, 0, kBig, {{1, 1}, {2, 2}})};
}

TEST(AwardRecords, EveryFieldRoundTrips) {
  std::vector<AwardRecord> in = samples();
  std::string bytes;
  encode_awards(in.data(), in.data() + in.size(), bytes);
  std::vector<AwardRecord> out;
  ASSERT_TRUE(decode_awards(bytes, static_cast<std::uint32_t>(in.size()), out));
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) expect_equal(in[i], out[i]);
}

TEST(AwardRecords, UnpackPutsTheEncodedOnesFirst) {
  std::vector<AwardRecord> all = samples();
  MemberState m;
  m.id = "m";
  encode_awards(all.data(), all.data() + 2, m.awards_packed);
  m.awards_packed_count = 2;
  m.awards = {all[2], all[3]};
  EXPECT_EQ(award_count(m), 4u);
  unpack_awards(m);
  EXPECT_EQ(m.awards_packed_count, 0u);
  EXPECT_TRUE(m.awards_packed.empty());
  ASSERT_EQ(m.awards.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) expect_equal(all[i], m.awards[i]);
  unpack_awards(m);  // nothing packed: nothing changes
  EXPECT_EQ(m.awards.size(), 4u);
}

TEST(AwardRecords, RefusesBytesThatAreNotWholeRecords) {
  std::vector<AwardRecord> in = samples();
  std::string bytes;
  encode_awards(in.data(), in.data() + in.size(), bytes);
  std::vector<AwardRecord> out;
  EXPECT_FALSE(decode_awards(bytes, 5, out)) << "more records than the bytes hold";
  out.clear();
  EXPECT_FALSE(decode_awards(bytes, 3, out)) << "bytes left over";
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    out.clear();
    EXPECT_FALSE(decode_awards(std::string_view(bytes).substr(0, n), 4, out)) << n;
  }
}

// An event type that is both reversed and reverses (an exchange replacing an earlier one): its own
// record is pointed at while its awards are credited, and a `reverse` in the same event must not
// move it, whether the older records are encoded (as after a store's unpack) or not.
TEST(AwardRecords, AnExchangeReversesAnEncodedRecordWhileCreditingItsOwn) {
  auto parsed = dsl::parse_program(dsl::Source("t.merit", R"(
program p { timezone "UTC" currency "CNY" }
event exchange { amount: money; order_id: string; replaces: string }
levels by growth { level L1 from 0 }
rule undo on exchange { reverse exchange where order_id == event.replaces }
rule earn on exchange { points += event.amount  growth += event.amount }
)"));
  ASSERT_TRUE(parsed.program.has_value());
  ASSERT_FALSE(dsl::has_errors(check_program(*parsed.program)));
  auto plan = *build_plan(*parsed.program);
  auto op = [&](const char* id, const char* amount, const char* order, const char* replaces,
                std::int64_t day) {
    Operation o;
    o.kind = OpKind::kEvent;
    o.id = id;
    o.member = "m";
    o.time = Instant{1'767'225'600'000 + day * kMsPerDay};
    o.event_type = plan->event_index("exchange");
    o.fields = {Value::number(*Decimal::parse(amount)), Value::string(order),
                Value::string(replaces)};
    return o;
  };
  std::vector<Operation> ops = {op("x1", "100", "o1", "", 0), op("x2", "30", "o2", "o1", 1),
                                op("x3", "7", "o3", "o2", 2), op("x4", "5", "o4", "o9", 3)};
  std::string snapshots[2];
  for (bool encode : {false, true}) {
    MemberState m = new_member(*plan, "m");
    SharedState shared = new_shared(*plan);
    ApplyResult r;
    std::string effects;
    for (const auto& o : ops) {
      if (encode && !m.awards.empty()) {  // what pack_member + unpack_member leave
        encode_awards(m.awards.data(), m.awards.data() + m.awards.size(), m.awards_packed);
        m.awards_packed_count += static_cast<std::uint32_t>(m.awards.size());
        m.awards.clear();
      }
      apply(*plan, m, shared, o, r);
      ASSERT_FALSE(r.rejection) << o.id;
      for (const auto& e : r.effects) effects += std::to_string(e.amount) + " ";
    }
    // x1: join, +100 points, +100 growth. x2: x1's 100 points and 100 growth back (the rule
    // `undo` comes first), then +30 and +30. x3: x2's back, +7 and +7. x4: +5 and +5 (o9 was never
    // seen, so nothing is reversed).
    EXPECT_EQ(effects, "0 100 100 100 -100 30 30 30 -30 7 7 5 5 ") << "encode " << encode;
    snapshots[encode ? 1 : 0] = codec::member_snapshot_json(m);
    MemberState all = m;
    unpack_awards(all);
    ASSERT_EQ(all.awards.size(), 4u);
    EXPECT_TRUE(all.awards[0].reversed);
    EXPECT_TRUE(all.awards[1].reversed);
    EXPECT_FALSE(all.awards[2].reversed);
    EXPECT_EQ(all.awards[2].lots.size(), 1u) << "x3's own record got its lot";
    EXPECT_FALSE(all.awards[3].reversed);
  }
  EXPECT_EQ(snapshots[0], snapshots[1]);
}

}  // namespace
}  // namespace merit::engine
