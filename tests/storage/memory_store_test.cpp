// MemoryStore: exactly-once ids (same body, different body, refused ones not remembered), the
// applied-id table across growth and reserved room, members created on first touch, ids in byte
// order.
#include "storage/memory_store.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "engine/model/lot_records.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::storage {
namespace {

std::shared_ptr<const engine::Plan> plan() { return testing::purchase_plan(); }

TEST(MemoryStore, RemembersIdsWithTheDigestOfTheirBody) {
  auto p = plan();
  MemoryStore store(*p);
  EXPECT_EQ(store.seen("e1", 42), MemoryStore::Seen::kNew);
  store.remember("e1", 42);
  EXPECT_EQ(store.seen("e1", 42), MemoryStore::Seen::kSame);
  EXPECT_EQ(store.seen("e1", 43), MemoryStore::Seen::kDifferent);
  EXPECT_EQ(store.seen("e2", 42), MemoryStore::Seen::kNew);
  store.remember("e1", 99);  // already there: the first body stays
  EXPECT_EQ(store.seen("e1", 42), MemoryStore::Seen::kSame);
  EXPECT_EQ(store.applied_ids(), 1u);
}

TEST(MemoryStore, KeepsEveryIdAcrossTableGrowth) {
  auto p = plan();
  MemoryStore store(*p);
  for (int i = 0; i < 50000; ++i)
    store.remember("id-" + std::to_string(i), static_cast<std::uint64_t>(i));
  EXPECT_EQ(store.applied_ids(), 50000u);
  for (int i = 0; i < 50000; i += 997) {
    EXPECT_EQ(store.seen("id-" + std::to_string(i), static_cast<std::uint64_t>(i)),
              MemoryStore::Seen::kSame)
        << i;
  }
  EXPECT_EQ(store.seen("id-50000", 0), MemoryStore::Seen::kNew);
  auto all = store.applied();
  ASSERT_EQ(all.size(), 50000u);
  MemoryStore copy(*p);
  for (const auto& a : all) copy.remember(a);
  EXPECT_EQ(copy.seen("id-123", 123), MemoryStore::Seen::kSame);
  EXPECT_EQ(copy.seen("id-123", 124), MemoryStore::Seen::kDifferent);
}

TEST(MemoryStore, ReservedRoomKeepsEveryIdAndTheTableDoesNotGrow) {
  auto p = plan();
  MemoryStore grown(*p), reserved(*p);
  auto id = [](int i) { return "op-" + std::to_string(i); };
  for (int i = 0; i < 3000; ++i) {
    grown.remember(id(i), static_cast<std::uint64_t>(i));
    reserved.remember(id(i), static_cast<std::uint64_t>(i));
  }
  // Room for 60,000 made with 3,000 ids in: they are rehashed, and the rest fit without growth.
  reserved.reserve_applied(60000);
  std::size_t slots = reserved.applied_slots();
  EXPECT_EQ(slots, 131072u) << "the least power of two with 60,000 at most 70% of it";
  reserved.reserve_applied(1000);  // less than there is room for: nothing changes
  EXPECT_EQ(reserved.applied_slots(), slots);
  for (int i = 3000; i < 60000; ++i) {
    grown.remember(id(i), static_cast<std::uint64_t>(i));
    reserved.remember(id(i), static_cast<std::uint64_t>(i));
  }
  EXPECT_EQ(reserved.applied_slots(), slots);
  EXPECT_EQ(reserved.applied_ids(), 60000u);
  for (int i = 0; i < 60000; i += 7) {
    ASSERT_EQ(reserved.seen(id(i), static_cast<std::uint64_t>(i)), MemoryStore::Seen::kSame) << i;
    ASSERT_EQ(reserved.seen(id(i), 1u << 31), MemoryStore::Seen::kDifferent) << i;
  }
  EXPECT_EQ(reserved.seen(id(60000), 0), MemoryStore::Seen::kNew);
  // The same ids, however the table came to its size (snapshots list them in hash order).
  auto a = grown.applied(), b = reserved.applied();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_TRUE(a[i].h1 == b[i].h1 && a[i].h2 == b[i].h2 && a[i].digest == b[i].digest) << i;
  }
  // Past 70% of it, the table grows as before.
  for (int i = 60000; reserved.applied_slots() == slots; ++i) reserved.remember(id(i), 0);
  EXPECT_EQ(reserved.applied_slots(), 2 * slots);
  EXPECT_EQ(reserved.applied_ids(), slots * 7 / 10 + 1);
}

TEST(MemoryStore, ListsOnlyExistingMembersInByteOrder) {
  auto p = plan();
  MemoryStore store(*p);
  for (const char* id : {"b", "a", "B", "ä", "a1"}) store.member(id).exists = true;
  store.member("ghost");  // looked up, never created by an operation
  EXPECT_EQ(store.member_ids(), (std::vector<std::string>{"B", "a", "a1", "b", "ä"}));
  EXPECT_EQ(store.existing_members(), 5u);
  EXPECT_EQ(store.member_count(), 6u);
  EXPECT_FALSE(store.find("nobody").has_value());
  ASSERT_TRUE(store.find("ghost").has_value());
  EXPECT_FALSE(store.find("ghost")->exists);
}

// The sort compares the first eight bytes as one integer and the whole ids only on a tie: ids
// longer than eight bytes that share them, ids that are a prefix of others, a zero byte, and
// bytes above 0x7f must still come out in byte order, through member_ids() and
// for_each_member_sorted() alike, with members that do not exist left out of both.
TEST(MemoryStore, SortsIdsSharingTheirFirstEightBytesInByteOrder) {
  auto p = plan();
  MemoryStore store(*p);
  std::vector<std::string> ids = {"member-0010", "member-0002", "member-00", "member-0",
                                  "member-",     "member-1",    "m",         std::string("m\0z", 3),
                                  "\xff\xfe",    "member-00100"};
  for (const auto& id : ids) store.member(id).exists = true;
  store.member("member-0003");  // looked up only: not listed
  std::vector<std::string> want = ids;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(store.member_ids(), want);
  std::vector<std::string> walked;
  store.for_each_member_sorted([&](const engine::MemberState& m) { walked.push_back(m.id); });
  EXPECT_EQ(walked, want);
}

// Members packed and unpacked as others are used, some kept unpacked once big (every one with
// big_bytes 0, none with the largest): each keeps every change.
TEST(MemoryStore, KeepsEveryMemberThroughPackingAndBigMembers) {
  auto p = plan();
  for (std::uint32_t big : {0u, 64u, 200u, 0xffffffffu}) {
    MemoryStore store(*p, big);
    for (int i = 0; i < 5000; ++i) {
      std::string id = "m" + std::to_string(i);
      engine::MemberState& m = store.member(id);
      EXPECT_EQ(m.id, id);
      ASSERT_TRUE(m.lots.empty()) << "a new member must not inherit an evicted one's lots";
      m.exists = true;
      m.joined = Instant{1'700'000'000'000 + i};
      m.lots.push_back({1, false, m.joined, engine::kNever, 0, i, i});
    }
    // A member that grows, revisited between others.
    for (std::uint32_t k = 2; k < 40; ++k) {
      store.member("m42").lots.push_back({k, true, Instant{k}, 0, 0, k, k});
      store.member("m" + std::to_string(k * 100));
    }
    for (int i = 4999; i >= 0; i -= 7) {
      engine::MemberState& m = store.member("m" + std::to_string(i));
      engine::unpack_lots(m);  // a member unpacked from the table keeps its lots encoded
      ASSERT_FALSE(m.lots.empty()) << i << " big " << big;
      EXPECT_EQ(m.lots[0].amount, i);
      EXPECT_EQ(m.joined.ms, 1'700'000'000'000 + i);
    }
    EXPECT_EQ(engine::lot_count(*store.find("m42")), 39u) << "big " << big;
    EXPECT_EQ(store.member_count(), 5000u);
    EXPECT_EQ(store.existing_members(), 5000u);
    // big 0: all but the member fetched last (the current one); big 200: m42 and its 39 lots.
    std::size_t expected_big = big == 0 ? 4999u : big == 200 ? 1u : 0u;
    if (big != 64) {
      EXPECT_EQ(store.table().big_members(), expected_big) << "big " << big;
    }
  }
}

TEST(CanonicalDigest, NamesTheBodyNotTheId) {
  engine::Operation a;
  a.id = "e1";
  a.member = "m";
  a.time = Instant{1000};
  a.event_type = 0;
  a.fields = {engine::Value::number(Decimal::from_int(5))};
  engine::Operation b = a;
  b.id = "e2";
  EXPECT_EQ(canonical_digest(a), canonical_digest(b));
  b.fields[0] = engine::Value::number(Decimal::from_int(6));
  EXPECT_NE(canonical_digest(a), canonical_digest(b));
  b = a;
  b.member = "n";
  EXPECT_NE(canonical_digest(a), canonical_digest(b));
  b = a;
  b.time = Instant{1001};
  EXPECT_NE(canonical_digest(a), canonical_digest(b));
}

}  // namespace
}  // namespace merit::storage
