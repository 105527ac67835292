// Lots as bytes: every field survives, lots appended to the bytes join the old ones in order and
// the front ones can be dropped without touching the rest, unpack_lots puts the encoded ones
// first, bytes that are not whole lots are refused; and the evaluator gives the same effects and
// states whether a member's lots are encoded between operations (as the member table keeps them)
// or not, through new lots that sort before the encoded ones, spending, expiry, release and
// reversal.
#include "engine/model/lot_records.hpp"

#include <limits>

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/snapshot.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/model/award_records.hpp"

#include "tests/testing/member_history.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::engine {
namespace {

constexpr std::int64_t kJoined = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

void expect_equal(const Lot& a, const Lot& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.reversible, b.reversible);
  EXPECT_EQ(a.earned, b.earned);
  EXPECT_EQ(a.expires, b.expires);
  EXPECT_EQ(a.available_at, b.available_at);
  EXPECT_EQ(a.original, b.original);
  EXPECT_EQ(a.amount, b.amount);
}

std::vector<Lot> samples() {
  constexpr std::int64_t kFar = std::int64_t{1} << 62;
  return {{1, false, Instant{kJoined + 1000}, kNever, 0, 100, 100},  // never expires, spendable
          {2, true, Instant{kJoined + 86'400'123}, kJoined + 366 * kMsPerDay,
           kJoined + 7 * kMsPerDay, 50, 20},                          // ms, pending, partly used
          {3, false, Instant{kJoined - 5000}, kJoined, 0, -7, -7},    // before the join, negative
          {4'000'000'000u, true, Instant{kFar}, kNever, kMin, 1, 0},  // far away: the raw forms
          {5, false, Instant{-kFar}, kFar, 1, kFar, -kFar},           // deltas past the short forms
          {6, false, Instant{0}, 0, 0, 0, 0}};                        // the zero instant everywhere
}

TEST(LotRecords, EveryFieldRoundTrips) {
  std::vector<Lot> in = samples();
  std::string bytes;
  encode_lots(in.data(), in.data() + in.size(), kJoined, bytes);
  std::vector<Lot> out;
  ASSERT_TRUE(decode_lots(bytes, static_cast<std::uint32_t>(in.size()), kJoined, out));
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) expect_equal(in[i], out[i]);
}

TEST(LotRecords, AppendedLotsJoinTheOldOnesAndTheFrontCanBeDropped) {
  std::vector<Lot> in = samples();
  std::string all, first, rest;
  encode_lots(in.data(), in.data() + in.size(), kJoined, all);
  encode_lots(in.data(), in.data() + 2, kJoined, first);
  encode_lots(in.data() + 2, in.data() + in.size(), kJoined, first);  // appended
  EXPECT_EQ(first, all);
  // Reading two lots leaves the bytes of the others, which decode on their own.
  LotReader r(all, kJoined);
  Lot l;
  ASSERT_TRUE(r.next(l));
  ASSERT_TRUE(r.next(l));
  encode_lots(in.data() + 2, in.data() + in.size(), kJoined, rest);
  EXPECT_EQ(r.rest(), rest);
  // The join time is the base of every lot: decoding against another one moves the times.
  std::vector<Lot> moved;
  ASSERT_TRUE(decode_lots(all, static_cast<std::uint32_t>(in.size()), kJoined + 1000, moved));
  EXPECT_EQ(moved[0].earned.ms, in[0].earned.ms + 1000);
}

TEST(LotRecords, RefusesBytesThatAreNotWholeLots) {
  std::vector<Lot> in = samples();
  std::string bytes;
  encode_lots(in.data(), in.data() + in.size(), kJoined, bytes);
  const auto n = static_cast<std::uint32_t>(in.size());
  std::vector<Lot> out;
  EXPECT_FALSE(decode_lots(bytes, n + 1, kJoined, out)) << "more lots than the bytes hold";
  out.clear();
  EXPECT_FALSE(decode_lots(bytes, n - 1, kJoined, out)) << "bytes left over";
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    out.clear();
    EXPECT_FALSE(decode_lots(std::string_view(bytes).substr(0, cut), n, kJoined, out)) << cut;
  }
  // A flags value no encoder writes, and an id past 32 bits.
  out.clear();
  EXPECT_FALSE(decode_lots(std::string("\x01\x04\x01\x00\x0c\x02", 6), 1, kJoined, out));
  out.clear();
  EXPECT_FALSE(
      decode_lots(std::string("\x80\x80\x80\x80\x10\x00\x01\x00\x0c\x02", 10), 1, kJoined, out));
  out.clear();
  EXPECT_TRUE(decode_lots(std::string("\x01\x00\x01\x00\x0c\x02", 6), 1, kJoined, out));
}

TEST(LotRecords, UnpackPutsTheEncodedOnesFirstAndReadersSeeTheSameOrder) {
  std::vector<Lot> all = samples();
  MemberState m;
  m.id = "m";
  m.joined = Instant{kJoined};
  encode_lots(all.data(), all.data() + 4, kJoined, m.lots_packed);
  m.lots_packed_count = 4;
  m.lots = {all[4], all[5]};
  EXPECT_EQ(lot_count(m), 6u);
  EXPECT_EQ(first_lot_expiry(m), all[0].expires);
  std::vector<std::uint32_t> seen;
  for_each_lot(m, [&](const Lot& l) { seen.push_back(l.id); });
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2, 3, 4'000'000'000u, 5, 6}));
  unpack_lots(m);
  EXPECT_EQ(m.lots_packed_count, 0u);
  EXPECT_TRUE(m.lots_packed.empty());
  ASSERT_EQ(m.lots.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) expect_equal(all[i], m.lots[i]);
  unpack_lots(m);  // nothing encoded: nothing changes
  EXPECT_EQ(m.lots.size(), 6u);
  EXPECT_EQ(first_lot_expiry(m), all[0].expires);
  m.lots.clear();
  EXPECT_EQ(first_lot_expiry(m), kNever);
}

TEST(LotRecordsDeathTest, CorruptEncodedLotsStopTheProcess) {
  MemberState m;
  m.id = "m";
  m.lots_packed = "\x01\x00";  // one lot cut short
  m.lots_packed_count = 1;
  EXPECT_DEATH(unpack_lots(m), "corrupt lots of member m");
  EXPECT_DEATH(first_lot_expiry(m), "corrupt lots of member m");
  EXPECT_DEATH(for_each_lot(m, [](const Lot&) {}), "corrupt lots of member m");
}

// A program whose lots come in several orders: 365-day lots from purchases (each after the ones
// before), 30-day ones from sign-ins and ones to the end of next month from shares (both before
// them), pending ones from reviews (released a week later); spent by redemptions, taken back by
// refunds, and expired over two years.
constexpr const char* kProgram = R"(
program lots { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money; order_id: string }
event refund { order_id: string }
event signin {}
event review { stars: int }
event share {}
points { expire after 365 days }
levels by growth { level L1 from 0 }
rule earn on purchase { points += event.amount growth += event.amount }
rule back on refund { reverse purchase where order_id == event.order_id }
rule checkin on signin { points += 5 expire after 30 days }
rule stars on review { points += event.stars * 10 pending 7 days }
rule spread on share { points += 3 expire at end of month + 1 }
reward gift cost 400 points
)";

std::vector<std::string> history() {
  std::vector<std::string> lines;
  auto at = [](int day, int hour) {
    int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = 2026, month = 0;
    while (day >= month_days[month]) {
      day -= month_days[month];
      if (++month == 12) {
        month = 0;
        ++year;
      }
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00:00Z", year, month + 1, day + 1, hour);
    return std::string(buf);
  };
  // One operation every three days; of every twelve, seven purchases, then a review, a sign-in,
  // a redemption, a share, and a refund of the purchase five operations before.
  for (int n = 0; n < 240; ++n) {
    const int day = 3 * n;
    std::string id = "\"id\":\"e" + std::to_string(n) + "\",\"member\":\"m\",\"time\":\"";
    switch (n % 12) {
      case 7:
        lines.push_back("{" + id + at(day, 9) + R"(","type":"review","data":{"stars":)" +
                        std::to_string(day % 5 + 1) + "}}");
        break;
      case 8:
        lines.push_back("{" + id + at(day, 8) + R"(","type":"signin","data":{}})");
        break;
      case 9:
        lines.push_back("{" + id + at(day, 12) +
                        R"(","op":"redeem","reward":"gift","quantity":1})");
        break;
      case 10:
        lines.push_back("{" + id + at(day, 13) + R"(","type":"share","data":{}})");
        break;
      case 11:
        lines.push_back("{" + id + at(day, 11) + R"(","type":"refund","data":{"order_id":"o)" +
                        std::to_string(n - 5) + "\"}}");
        break;
      default:
        lines.push_back("{" + id + at(day, 10) + R"(","type":"purchase","data":{"amount":)" +
                        std::to_string(40 + day % 90) + R"(,"order_id":"o)" + std::to_string(n) +
                        "\"}}");
        break;
    }
  }
  return lines;
}

TEST(LotRecords, TheEvaluatorGivesTheSameWhetherLotsAreEncodedBetweenOperations) {
  auto plan = testing::plan_of(kProgram);
  ASSERT_TRUE(plan);
  std::size_t encoded_before_ops = 0, unpacked_by_ops = 0, added_while_encoded = 0;
  std::uint32_t before = 0;
  auto count = [&](const Operation& op, const MemberState& m, const ApplyResult&) {
    // The cached next expiry is the first lot's (or 0, not known), encoded or not.
    EXPECT_TRUE(m.next_expiry == 0 || m.next_expiry == first_lot_expiry(m)) << op.id;
    if (before > 0 && m.lots_packed_count == 0) ++unpacked_by_ops;
    if (before > 0 && m.lots_packed_count == before && !m.lots.empty()) ++added_while_encoded;
    return std::string();
  };
  auto plain = testing::run_history(
      *plan, history(), [&](MemberState& m) { before = m.lots_packed_count; }, count);
  encoded_before_ops = unpacked_by_ops = added_while_encoded = 0;
  auto encoded = testing::run_history(
      *plan, history(),
      [&](MemberState& m) {  // what the member table does between operations
        testing::repack(m);
        if (m.lots_packed_count > 0) ++encoded_before_ops;
        before = m.lots_packed_count;
      },
      count);
  EXPECT_EQ(plain.effects, encoded.effects);
  EXPECT_EQ(plain.snapshot, encoded.snapshot);
  EXPECT_EQ(plain.packed, encoded.packed);
  // The history did what it is for: lots stayed encoded (239 operations of 240), new ones were
  // added after them (158), and operations had to decode them (80).
  EXPECT_GT(encoded_before_ops, 200u);
  EXPECT_GT(added_while_encoded, 100u);
  EXPECT_GT(unpacked_by_ops, 40u);
  EXPECT_NE(plain.effects.find(" refused "), std::string::npos) << "a redemption without points";
}

// The member remembers when its next pending lot is released (MemberState::next_release), so that
// an event need not read its lots to learn nothing is due: every pending lot must still be
// released by the first operation at or after its time, in whatever order they were awarded, and
// an operation refused after a release was due leaves the member as it was, that time included.
TEST(LotRecords, EveryPendingLotIsReleasedByTheFirstOperationAfterItsTime) {
  auto plan = testing::plan_of(R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
event signin {}
points { pending 7 days }
levels by growth { level L1 from 0 }
rule buy on purchase { points += event.amount }
rule daily on signin { points += 5 pending 1 day }
reward gift cost 1000 points
)");
  ASSERT_TRUE(plan);
  codec::OperationDecoder decoder(*plan);
  auto line = [](const char* id, const char* time, const char* rest) {
    return std::string("{\"id\":\"") + id + R"(","member":"m","time":")" + time + "\"," + rest +
           "}";
  };
  const char* purchase = R"("type":"purchase","data":{"amount":100})";
  const char* nothing = R"("type":"purchase","data":{"amount":0})";  // no lot, no pending time
  const char* signin = R"("type":"signin","data":{})";
  const char* redeem = R"("op":"redeem","reward":"gift","quantity":1)";
  // Lots: 1 due 01-08 10:00, 2 due 01-03 09:00, 3 due 01-11 10:00, 4 due 01-07 08:00, 5 due
  // 01-10 08:00. Released in spend order (the oldest first), and only by an operation: e7 and e9
  // add no lot that could remind the member of a pending time.
  std::vector<std::pair<std::string, std::string>> ops = {
      {line("e1", "2026-01-01T10:00:00Z", purchase), ""},
      {line("e2", "2026-01-02T09:00:00Z", signin), ""},
      {line("e3", "2026-01-04T10:00:00Z", purchase), "2 "},
      {line("e4", "2026-01-06T08:00:00Z", signin), ""},
      {line("e5", "2026-01-07T08:00:00Z", redeem), "refused"},  // lot 4 due, but refused
      {line("e6", "2026-01-07T08:00:00Z", nothing), "4 "},
      {line("e7", "2026-01-08T10:00:00Z", nothing), "1 "},
      {line("e8", "2026-01-09T08:00:00Z", signin), ""},
      {line("e8r", "2026-01-09T09:00:00Z", redeem), "refused"},  // nothing due, refused
      {line("e9", "2026-01-10T08:00:00Z", redeem), "refused"},   // lot 5 due, but refused
      {line("e10", "2026-01-11T10:00:00Z", nothing), "3 5 "}};
  for (bool encode : {false, true}) {
    MemberState m = new_member(*plan, "m");
    SharedState shared = new_shared(*plan);
    ApplyResult r;
    Operation op;
    for (const auto& [text, released] : ops) {
      ASSERT_TRUE(decoder.decode(text, op).has_value()) << text;
      if (encode) {
        std::string bytes;
        codec::pack_member(m, bytes);
        ASSERT_TRUE(codec::unpack_member(bytes, m).has_value());
      }
      // Before a redemption, the cached times forgotten, as in a state loaded from a snapshot: the
      // refusal must leave them forgotten, though the redemption looked them up.
      if (op.kind == OpKind::kRedeem) m.next_release = m.next_expiry = 0;
      std::string before, after;
      codec::pack_member(m, before);
      apply(*plan, m, shared, op, r);
      codec::pack_member(m, after);
      std::string got;
      for (const auto& e : r.effects) {
        if (e.kind == EffectKind::kRelease) got += std::to_string(e.lots[0].first) + " ";
      }
      if (r.rejection) {
        EXPECT_EQ(released, "refused") << op.id;
        EXPECT_EQ(after, before) << op.id << ": a refused operation changes nothing";
      } else {
        EXPECT_EQ(got, released) << op.id << " encode " << encode;
      }
    }
  }
}

}  // namespace
}  // namespace merit::engine
