// MemoryStore: exactly-once ids (same body, different body, refused ones not remembered), the
// applied-id table across growth, members created on first touch, ids in byte order.
#include "storage/memory_store.hpp"

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "engine/plan/planner.hpp"

namespace merit::storage {
namespace {

std::shared_ptr<const engine::Plan> plan() {
  auto parsed = dsl::parse_program(dsl::Source("t.merit", R"(
program p { timezone "UTC" currency "CNY" }
event purchase { amount: money }
levels by growth { level L1 from 0 }
rule r on purchase { points += event.amount }
)"));
  return *engine::build_plan(*parsed.program);
}

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

TEST(MemoryStore, ListsOnlyExistingMembersInByteOrder) {
  auto p = plan();
  MemoryStore store(*p);
  for (const char* id : {"b", "a", "B", "ä", "a1"}) store.member(id).exists = true;
  store.member("ghost");  // looked up, never created by an operation
  EXPECT_EQ(store.member_ids(), (std::vector<std::string>{"B", "a", "a1", "b", "ä"}));
  EXPECT_EQ(store.existing_members(), 5u);
  EXPECT_EQ(store.find("nobody"), nullptr);
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
