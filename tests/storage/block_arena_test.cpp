// BlockArena and the member table's records in it: blocks that never overlap under random
// allocation and release, reuse of released blocks of the same size, the accounting of spare
// bytes, whole-chunk blocks, the huge-page vector allocator, and members too large for a record.
#include "storage/block_arena.hpp"

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "engine/eval/evaluator.hpp"
#include "storage/member_table.hpp"

#include "tests/testing/test_util.hpp"

namespace merit::storage {
namespace {

constexpr std::size_t kUnit = BlockArena::kUnit;

TEST(BlockArena, BlocksKeepTheirBytesThroughRandomAllocationAndRelease) {
  BlockArena arena;
  struct Live {
    std::uint32_t units;
    unsigned char fill;
  };
  std::map<char*, Live> live;  // by address, to check the neighbours
  std::vector<char*> order;    // the same blocks, to pick one at random
  std::mt19937 rng(7);
  for (int step = 0; step < 200000; ++step) {
    if (live.empty() || rng() % 3 != 0) {
      auto units = static_cast<std::uint32_t>(1 + rng() % 80);
      char* p = arena.allocate(units);
      ASSERT_EQ(reinterpret_cast<std::uintptr_t>(p) % kUnit, 0u);
      auto fill = static_cast<unsigned char>(rng());
      std::memset(p, fill, units * kUnit);
      auto [it, fresh] = live.emplace(p, Live{units, fill});
      ASSERT_TRUE(fresh) << "a live block was handed out twice";
      order.push_back(p);
      // No overlap with the neighbours on either side.
      if (it != live.begin()) {
        auto before = std::prev(it);
        ASSERT_LE(before->first + before->second.units * kUnit, p);
      }
      if (auto after = std::next(it); after != live.end()) {
        ASSERT_LE(p + units * kUnit, after->first);
      }
    } else {
      std::size_t pick = rng() % order.size();
      auto it = live.find(order[pick]);
      order[pick] = order.back();
      order.pop_back();
      std::string expected(it->second.units * kUnit, static_cast<char>(it->second.fill));
      ASSERT_EQ(std::memcmp(it->first, expected.data(), expected.size()), 0)
          << "a block changed while it was live";
      arena.release(it->first, it->second.units);
      live.erase(it);
    }
  }
  std::size_t in_use = 0;
  for (const auto& [p, l] : live) in_use += l.units * kUnit;
  EXPECT_EQ(arena.reserved() - arena.unused(), in_use);
  EXPECT_EQ(arena.reserved() % BlockArena::kChunkBytes, 0u);
}

TEST(BlockArena, ReusesAReleasedBlockOfTheSameSizeBeforeCarvingMore) {
  BlockArena arena;
  char* a = arena.allocate(3);
  char* b = arena.allocate(3);
  std::size_t unused = arena.unused();
  arena.release(a, 3);
  EXPECT_EQ(arena.unused(), unused + 3 * kUnit);
  EXPECT_EQ(arena.allocate(5), b + 3 * kUnit) << "a different size is carved anew";
  EXPECT_EQ(arena.allocate(3), a) << "the released block of the same size";
  EXPECT_EQ(arena.unused(), unused - 5 * kUnit);
  EXPECT_NE(arena.allocate(3), a);
}

TEST(BlockArena, StartsAChunkWhenTheRestIsTooSmallAndKeepsTheRestForLater) {
  BlockArena arena;
  char* first = arena.allocate(BlockArena::kMaxUnits - 2);
  EXPECT_EQ(arena.reserved(), BlockArena::kChunkBytes);
  char* second = arena.allocate(4);  // two units left in the first chunk: a second one
  EXPECT_EQ(arena.reserved(), 2 * BlockArena::kChunkBytes);
  EXPECT_TRUE(second < first || second >= first + BlockArena::kChunkBytes);
  // The two units left over are a free block of that size.
  EXPECT_EQ(arena.allocate(2), first + (BlockArena::kMaxUnits - 2) * kUnit);
  char* whole = arena.allocate(BlockArena::kMaxUnits);
  std::memset(whole, 1, BlockArena::kChunkBytes);
  EXPECT_EQ(arena.reserved(), 3 * BlockArena::kChunkBytes);
}

TEST(BlockArena, MovingHandsTheBlocksOverAndLeavesTheOtherEmpty) {
  BlockArena a;
  char* p = a.allocate(4);
  std::memset(p, 7, 4 * kUnit);
  a.release(a.allocate(2), 2);
  BlockArena b(std::move(a));
  EXPECT_EQ(b.reserved(), BlockArena::kChunkBytes);
  EXPECT_EQ(a.reserved(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is specified empty
  EXPECT_EQ(a.unused(), 0u);
  EXPECT_EQ(p[4 * kUnit - 1], 7);
  EXPECT_EQ(b.allocate(2), p + 4 * kUnit) << "the free list came along";
  char* fresh = a.allocate(1);  // the emptied arena starts a chunk of its own
  EXPECT_TRUE(fresh < p || fresh >= p + BlockArena::kChunkBytes);
  EXPECT_EQ(a.reserved(), BlockArena::kChunkBytes);
}

// Under AddressSanitizer (build with -DMERIT_SANITIZE=ON) the arena's free and uncarved bytes are
// poisoned as malloc's would be, so a read past a block is reported, not silently served.
TEST(BlockArenaDeathTest, AReleasedBlockAndTheUncarvedRestArePoisonedUnderAsan) {
#if defined(__SANITIZE_ADDRESS__)
  BlockArena arena;
  char* a = arena.allocate(2);
  a[31] = 1;
  arena.release(a, 2);
  EXPECT_DEATH({ [[maybe_unused]] volatile char c = a[20]; }, "use-after-poison");
  char* b = arena.allocate(1);
  EXPECT_DEATH({ [[maybe_unused]] volatile char c = b[kUnit]; }, "use-after-poison");
#else
  GTEST_SKIP() << "only under AddressSanitizer";
#endif
}

TEST(HugePageAllocator, AVectorKeepsItsElementsAcrossTheTwoMebibyteLine) {
  std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> v;
  for (std::uint64_t i = 0; i < 1'000'000; ++i) v.push_back(i * 2654435761u);
  EXPECT_GE(v.capacity() * sizeof(std::uint64_t), BlockArena::kChunkBytes);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % BlockArena::kChunkBytes, 0u);
  for (std::uint64_t i = 0; i < 1'000'000; i += 4999) ASSERT_EQ(v[i], i * 2654435761u);
  v.shrink_to_fit();
  v.resize(10);
  v.shrink_to_fit();  // back below the line: an ordinary block
  EXPECT_EQ(v[9], std::uint64_t{9} * 2654435761u);
}

std::shared_ptr<const engine::Plan> plan() { return testing::purchase_plan(); }

// A packed state must fit a record's 16-bit size: a larger one is kept unpacked, whatever
// big_bytes says, and reads back whole.
TEST(MemberTable, KeepsAStateTooLargeForARecordUnpacked) {
  auto p = plan();
  MemberTable table(*p, 0xffffffffu);
  std::string long_id(70'000, 'x');
  std::uint32_t huge = table.add(long_id);
  std::uint32_t small = table.add("s");
  EXPECT_EQ(table.big_members(), 1u);
  EXPECT_EQ(table.get(huge).id, long_id);
  table.get(small).lots.push_back({1, false, Instant{5}, engine::kNever, 0, 7, 7});
  engine::MemberState& m = table.get(huge);
  for (std::uint32_t k = 1; k <= 6000; ++k) {
    m.lots.push_back({k, false, Instant{k * 1000}, engine::kNever, 0, k, k});
  }
  EXPECT_EQ(table.get(small).lots.at(0).amount, 7);  // the other member came back packed
  EXPECT_EQ(table.get(huge).lots.size(), 6000u);
  EXPECT_EQ(table.big_members(), 1u);

  // A member that grows past the record size while packed is moved out of the arena.
  std::uint32_t grower = table.add("g");
  engine::MemberState big;
  big.id = "g";
  big.exists = true;
  for (std::uint32_t k = 1; k <= 12000; ++k) {
    big.lots.push_back({k, true, Instant{k * 1000}, engine::kNever, 0, k, k});
  }
  table.put(grower, big);
  EXPECT_EQ(table.big_members(), 2u);
  EXPECT_EQ(table.get(grower).lots.size(), 12000u);
  EXPECT_EQ(table.get(grower).lots.back().amount, 12000);
  EXPECT_TRUE(table.exists(grower));
}

// packed_bytes is what the table holds for a member at rest: its packed state, and nothing while
// the member is unpacked (current, or big).
TEST(MemberTable, PackedBytesAreTheStateAtRestAndEmptyWhileUnpacked) {
  auto p = plan();
  MemberTable table(*p);
  std::uint32_t a = table.add("a");
  std::uint32_t b = table.add("b");
  table.get(a).lots.push_back({1, false, Instant{5}, engine::kNever, 0, 7, 7});
  EXPECT_TRUE(table.packed_bytes(a).empty());  // a is unpacked now
  table.get(b);                                // packs a back
  std::string want;
  engine::MemberState copy = engine::new_member(*p, "a");
  copy.lots.push_back({1, false, Instant{5}, engine::kNever, 0, 7, 7});
  codec::pack_member(copy, want);
  EXPECT_EQ(table.packed_bytes(a), want);
  EXPECT_TRUE(table.packed_bytes(b).empty());
}

}  // namespace
}  // namespace merit::storage
