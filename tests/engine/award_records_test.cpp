// Award records as bytes: every field survives, records appended to the bytes join the old ones in
// order, unpack_awards puts the encoded ones first, and bytes that are not whole records are
// refused.
#include "engine/model/award_records.hpp"

#include <limits>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace merit::engine
