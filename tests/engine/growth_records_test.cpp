// The growth window as bytes: entries survive, appended bytes join the old ones, dropping entries
// from the front leaves the bytes the remaining ones encode to afresh, bytes that are not whole
// entries are refused; sums over any window agree with the decoded entries; entries are added in
// time order; and the evaluator gives the same effects and states whether a member's window is
// encoded between operations (as the member table keeps it) or not, through trims, reviews at past
// instants, reversals dated in the past, events out of time order and refused events.
#include "engine/model/growth_records.hpp"

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/snapshot.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/internal.hpp"

#include "tests/testing/member_history.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::engine {
namespace {

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::vector<GrowthEntry> samples() {
  constexpr std::int64_t kFar = std::int64_t{1} << 62;
  return {{Instant{kT0}, 100},
          {Instant{kT0 + 1}, -3},                  // a millisecond later, negative
          {Instant{kT0 + 86'400'000}, 0},          // a day later, nothing
          {Instant{kT0 + 86'400'000}, 7},          // the same instant
          {Instant{kFar}, std::int64_t{1} << 61},  // a delta past the short forms
          {Instant{kFar + 1000}, -(int64_t{1} << 61)}};
}

// A member whose window holds `all`: the first `encoded` of them encoded, the rest decoded.
MemberState member_with(const std::vector<GrowthEntry>& all, std::size_t encoded) {
  MemberState m;
  m.id = "m";
  encode_growth(all.data(), all.data() + encoded, false, 0, m.growth_packed);
  m.growth_packed_count = static_cast<std::uint32_t>(encoded);
  if (encoded > 0) {
    m.growth_packed_first = all.front().at.ms;
    m.growth_packed_last = all[encoded - 1].at.ms;
    for (std::size_t i = 0; i < encoded; ++i) m.growth_packed_total += all[i].amount;
  }
  m.growth_window.assign(all.begin() + static_cast<std::ptrdiff_t>(encoded), all.end());
  return m;
}

std::vector<GrowthEntry> entries_of(const MemberState& m) {
  std::vector<GrowthEntry> out;
  for_each_growth(m, [&](const GrowthEntry& g) { out.push_back(g); });
  return out;
}

void expect_same(const std::vector<GrowthEntry>& a, const std::vector<GrowthEntry>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].at, b[i].at) << i;
    EXPECT_EQ(a[i].amount, b[i].amount) << i;
  }
}

TEST(GrowthRecords, EveryEntryRoundTripsAndAppendedBytesJoinTheOldOnes) {
  std::vector<GrowthEntry> in = samples();
  std::string all, joined;
  encode_growth(in.data(), in.data() + in.size(), false, 0, all);
  std::vector<GrowthEntry> out;
  ASSERT_TRUE(decode_growth(all, static_cast<std::uint32_t>(in.size()), in[0].at.ms, out));
  expect_same(in, out);
  // The first entry's instant is not in the bytes: it is the reader's.
  out.clear();
  ASSERT_TRUE(decode_growth(all, static_cast<std::uint32_t>(in.size()), in[0].at.ms + 5, out));
  EXPECT_EQ(out[1].at.ms, in[1].at.ms + 5);
  // Entries appended after others, relative to the last of them, give the bytes of all at once.
  encode_growth(in.data(), in.data() + 2, false, 0, joined);
  encode_growth(in.data() + 2, in.data() + in.size(), true, in[1].at.ms, joined);
  EXPECT_EQ(joined, all);
}

TEST(GrowthRecords, RefusesBytesThatAreNotWholeEntries) {
  std::vector<GrowthEntry> in = samples();
  std::string bytes;
  encode_growth(in.data(), in.data() + in.size(), false, 0, bytes);
  const auto n = static_cast<std::uint32_t>(in.size());
  std::vector<GrowthEntry> out;
  EXPECT_FALSE(decode_growth(bytes, n + 1, kT0, out)) << "more entries than the bytes hold";
  out.clear();
  EXPECT_FALSE(decode_growth(bytes, n - 1, kT0, out)) << "bytes left over";
  out.clear();
  EXPECT_FALSE(decode_growth(bytes, 1000, kT0, out)) << "a count larger than the bytes";
  EXPECT_TRUE(out.empty());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    out.clear();
    EXPECT_FALSE(decode_growth(std::string_view(bytes).substr(0, cut), n, kT0, out)) << cut;
  }
}

TEST(GrowthRecords, DroppingTheFrontLeavesTheBytesOfTheRestAndLogsWhatWent) {
  std::vector<GrowthEntry> in = samples();
  for (std::size_t encoded = 0; encoded <= in.size(); ++encoded) {
    // Through every entry's instant (and before the first): what stays is what is after it.
    for (std::size_t cut = 0; cut <= in.size(); ++cut) {
      const std::int64_t from = cut == 0 ? in[0].at.ms - 1 : in[cut - 1].at.ms;
      MemberState m = member_with(in, encoded);
      std::vector<GrowthEntry> dropped;
      const bool any = drop_growth_through(m, from, &dropped);
      std::vector<GrowthEntry> kept, went;
      for (const auto& g : in) (g.at.ms > from ? kept : went).push_back(g);
      EXPECT_EQ(any, !went.empty()) << encoded << " " << cut;
      expect_same(dropped, went);
      expect_same(entries_of(m), kept);
      // The encoded ones left are the bytes, first instant and total those entries encode to.
      const std::size_t still = m.growth_packed_count;
      ASSERT_LE(still, kept.size());
      std::vector<GrowthEntry> rest(kept.begin(),
                                    kept.begin() + static_cast<std::ptrdiff_t>(still));
      std::string fresh;
      encode_growth(rest.data(), rest.data() + rest.size(), false, 0, fresh);
      EXPECT_EQ(m.growth_packed, fresh) << encoded << " " << cut;
      std::int64_t total = 0;
      for (const auto& g : rest) total += g.amount;
      EXPECT_EQ(m.growth_packed_total, total);
      if (still > 0) {
        EXPECT_EQ(m.growth_packed_first, rest.front().at.ms);
        EXPECT_EQ(m.growth_packed_last, rest.back().at.ms);
      }
    }
  }
}

TEST(GrowthRecords, SumsOverAnyWindowAgreeWithTheDecodedEntries) {
  // Instants a day apart, some negative; every window (from, t] over them and around them.
  std::vector<GrowthEntry> in;
  for (int i = 0; i < 12; ++i)
    in.push_back({Instant{kT0 + i * kMsPerDay}, (i % 4 == 3) ? -20 : 10 + i});
  for (std::size_t encoded : {std::size_t{0}, std::size_t{5}, in.size()}) {
    MemberState m = member_with(in, encoded);
    for (int f = -2; f <= 13; ++f) {
      for (int t = f; t <= 14; ++t) {
        const std::int64_t from = kT0 + f * kMsPerDay - (f % 2);  // on and between the instants
        const Instant at{kT0 + t * kMsPerDay};
        std::int64_t want = 0;
        for (const auto& g : in) want += (g.at.ms > from && g.at.ms <= at.ms) ? g.amount : 0;
        EXPECT_EQ(internal::growth_within(m, from, at), std::max<std::int64_t>(0, want))
            << encoded << " " << f << " " << t;
      }
    }
  }
}

TEST(GrowthRecords, EntriesAreAddedInTimeOrderDecodingOnlyWhenOneGoesBeforeTheLast) {
  std::vector<GrowthEntry> in = samples();
  in.resize(3);  // kT0, kT0 + 1 ms, kT0 + 1 day
  MemberState m = member_with(in, 3);
  add_growth_entry(m, Instant{kT0 + 2 * kMsPerDay}, 5);  // after all: appended, still encoded
  EXPECT_EQ(m.growth_packed_count, 3u);
  add_growth_entry(m, Instant{kT0 + 2 * kMsPerDay}, 6);  // at the last, decoded one: merged
  EXPECT_EQ(m.growth_packed_count, 3u);
  ASSERT_EQ(m.growth_window.size(), 1u);
  EXPECT_EQ(m.growth_window[0].amount, 11);
  add_growth_entry(m, Instant{kT0 + 1}, 4);  // at an encoded one: decoded, merged
  EXPECT_EQ(m.growth_packed_count, 0u);
  add_growth_entry(m, Instant{kT0 + 1000}, 8);  // between two: inserted
  std::vector<GrowthEntry> want = {{Instant{kT0}, 100},
                                   {Instant{kT0 + 1}, 1},
                                   {Instant{kT0 + 1000}, 8},
                                   {Instant{kT0 + kMsPerDay}, 0},
                                   {Instant{kT0 + 2 * kMsPerDay}, 11}};
  expect_same(entries_of(m), want);

  MemberState last = member_with(in, 3);
  add_growth_entry(last, Instant{kT0 + kMsPerDay}, 9);  // at the last encoded one
  EXPECT_EQ(last.growth_packed_count, 0u);
  ASSERT_EQ(last.growth_window.size(), 3u);
  EXPECT_EQ(last.growth_window[2].amount, 9);

  MemberState empty;
  add_growth_entry(empty, Instant{kT0}, 3);
  EXPECT_EQ(growth_count(empty), 1u);
}

TEST(GrowthRecords, ASnapshotWindowOutOfOrderIsPutInOrder) {
  // Written before the evaluator kept the window in order: an event dated before the one before.
  MemberState m;
  m.id = "m";
  m.growth_window = {{Instant{kT0 + 2 * kMsPerDay}, 5}, {Instant{kT0}, 7}};
  std::string text = codec::member_snapshot_json(m);
  auto back = codec::member_from_snapshot(text);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  std::vector<GrowthEntry> want = {{Instant{kT0}, 7}, {Instant{kT0 + 2 * kMsPerDay}, 5}};
  expect_same(entries_of(*back), want);
  // Packed and unpacked (the window encoded), a window from after the first entry to the last
  // sums the second alone.
  std::string bytes;
  codec::pack_member(*back, bytes);
  MemberState unpacked;
  ASSERT_TRUE(codec::unpack_member(bytes, unpacked).has_value());
  EXPECT_EQ(unpacked.growth_packed_count, 2u);
  EXPECT_EQ(internal::growth_within(unpacked, kT0, Instant{kT0 + 2 * kMsPerDay}), 5);
}

TEST(GrowthRecordsDeathTest, CorruptEncodedEntriesStopTheProcess) {
  MemberState m;
  m.id = "m";
  m.growth_packed = std::string("\x02\x85", 2);  // an entry, then an instant cut short
  m.growth_packed_count = 2;
  m.growth_packed_first = kT0;
  m.growth_packed_last = kT0 + 1000;
  EXPECT_DEATH(unpack_growth(m), "corrupt growth window of member m");
  EXPECT_DEATH(for_each_growth(m, [](const GrowthEntry&) {}), "corrupt growth window of member m");
  EXPECT_DEATH(drop_growth_through(m, kT0 + 500, nullptr), "corrupt growth window of member m");
  EXPECT_DEATH(internal::growth_within(m, kT0 - 1, Instant{kT0}), "corrupt growth window");
}

// A program with a 60-day growth window and monthly reviews: purchases every few days (some at the
// same instant as the one before, some dated before it), refunds that put negative growth in the
// past, and a rule that fails (a product out of range) after step 3 trimmed the window, so the trim
// is undone.
constexpr const char* kProgram = R"(
program g { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money; order_id: string }
event refund { order_id: string }
event split { n: int }
points { expire after 365 days }
growth "成长值" { window 60 days }
levels by growth review every 1 months downgrade one {
  level L1 from 0
  level L2 from 400 { keep 300 }
  level L3 from 1200
}
rule earn on purchase { points += event.amount growth += event.amount }
rule back on refund { reverse purchase where order_id == event.order_id }
rule share on split { growth += event.n * 1000000000000 }
)";

std::string at(std::int64_t minutes) {
  // Minutes after 2026-01-01T00:00:00Z, as RFC 3339.
  const std::int64_t day = minutes / 1440;
  int y = 2026, mo = 0;
  std::int64_t d = day;
  auto days_in = [](int year, int month) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return kDays[month] + (month == 1 && year % 4 == 0 ? 1 : 0);
  };
  while (d >= days_in(y, mo)) {
    d -= days_in(y, mo);
    if (++mo == 12) {
      mo = 0;
      ++y;
    }
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:00Z", y, mo + 1, static_cast<int>(d + 1),
                static_cast<int>(minutes % 1440 / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::vector<std::string> history() {
  std::vector<std::string> lines;
  std::int64_t now = 600;  // minutes
  for (int n = 0; n < 320; ++n) {
    // Mostly two or three days apart; a quiet spell of seven weeks in the middle (the window
    // empties and the reviews find too little growth); every 13th at the instant of the one
    // before; every 17th two days before it.
    if (n == 150) {
      now += 49 * 1440;
    } else if (n % 13 == 0) {
    } else if (n % 17 == 0) {
      now -= 2 * 1440;
    } else {
      now += (2 + n % 2) * 1440 + 7;
    }
    std::string head =
        "{\"id\":\"e" + std::to_string(n) + "\",\"member\":\"m\",\"time\":\"" + at(now) + "\",";
    if (n % 11 == 10) {
      lines.push_back(head + R"("type":"refund","data":{"order_id":"o)" + std::to_string(n - 4) +
                      "\"}}");
    } else if (n % 7 == 6) {
      lines.push_back(head + R"("type":"split","data":{"n":)" + (n % 3 == 0 ? "0" : "1000000000") +
                      "}}");
    } else {
      lines.push_back(head + R"("type":"purchase","data":{"amount":)" +
                      std::to_string(20 + (n * 37) % 90) + R"(,"order_id":"o)" + std::to_string(n) +
                      "\"}}");
    }
  }
  return lines;
}

TEST(GrowthRecords, TheEvaluatorGivesTheSameWhetherTheWindowIsEncodedBetweenOperations) {
  auto plan = testing::plan_of(kProgram);
  ASSERT_TRUE(plan);
  std::size_t encoded_before_ops = 0, trimmed_while_encoded = 0, added_while_encoded = 0,
              decoded_by_ops = 0, refused = 0, downgrades = 0;
  std::uint32_t before = 0;
  bool encode = false;
  auto after = [&](const Operation& op, const MemberState& m, const ApplyResult& r) {
    if (encode && before > 0) {
      if (m.growth_packed_count == 0) ++decoded_by_ops;
      if (m.growth_packed_count > 0 && m.growth_packed_count < before) ++trimmed_while_encoded;
      if (m.growth_packed_count > 0 && !m.growth_window.empty()) ++added_while_encoded;
    }
    if (encode && r.rejection) ++refused;
    for (const auto& e : r.effects) downgrades += encode && e.kind == EffectKind::kLevelDown;
    // The member's view (qualifying growth now and at its next review) reads the window too.
    MemberView v = view(*plan, m, op.time);
    return " q" + std::to_string(v.growth_qualifying) + " k" + std::to_string(v.growth_to_keep);
  };
  auto plain = testing::run_history(
      *plan, history(), [](MemberState&) {}, after);
  encode = true;
  auto encoded = testing::run_history(
      *plan, history(),
      [&](MemberState& m) {  // what the member table does between operations
        testing::repack(m);
        if (m.growth_packed_count > 0) ++encoded_before_ops;
        before = m.growth_packed_count;
      },
      after);
  EXPECT_EQ(plain.effects, encoded.effects);
  EXPECT_EQ(plain.snapshot, encoded.snapshot);
  EXPECT_EQ(plain.packed, encoded.packed);
  // The history did what it is for.
  EXPECT_GT(encoded_before_ops, 250u);
  EXPECT_GT(trimmed_while_encoded, 100u);
  EXPECT_GT(added_while_encoded, 150u);
  EXPECT_GT(decoded_by_ops, 20u);
  EXPECT_GT(refused, 5u) << "products out of range";
  EXPECT_GT(downgrades, 0u);
}

}  // namespace
}  // namespace merit::engine
