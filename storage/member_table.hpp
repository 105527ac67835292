// MemberTable: member states by dense index, kept packed (codec/member_pack.hpp, ~120-200 bytes a
// member) between operations, in a BlockArena of huge pages.
//
// The member being worked on is unpacked into one reused state (no allocation once warm) and packed
// back when the next member is fetched, while its bytes are still in cache. Unpacking and packing
// cost O(size of the state), and the busiest members, whose states are the largest, are the most
// frequent: a member whose packed state grows beyond `big_bytes` is therefore kept unpacked from
// then on (2–4% of the members in the benchmarks, the busiest).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/member_state.hpp"
#include "engine/plan/plan.hpp"
#include "storage/block_arena.hpp"

namespace merit::storage {

class MemberTable {
 public:
  static constexpr std::uint32_t kDefaultBigBytes = 1024;
  // The largest packed state kept packed: a larger `big_bytes` counts as this.
  static constexpr std::uint32_t kMaxPackedBytes = 0xffff;

  // Members whose packed state exceeds `big_bytes` stay unpacked.
  explicit MemberTable(const engine::Plan& plan, std::uint32_t big_bytes = kDefaultBigBytes);

  std::uint32_t size() const { return static_cast<std::uint32_t>(records_.size()); }
  // A new member at the next index: the state of engine::new_member(plan, id) (exists == false).
  std::uint32_t add(std::string_view id);
  // Member `index`, unpacked, to read and change: for engine::apply, which opens what the
  // operation touches of its rarely used part and its tasks (engine/model/rare_part.hpp,
  // task_part.hpp), left closed here. The reference is valid until the next get() or put().
  engine::MemberState& get(std::uint32_t index);
  // Member `index` for reading without disturbing the table, whole (nothing of it closed):
  // its unpacked state, or `scratch`.
  const engine::MemberState& peek(std::uint32_t index, engine::MemberState& scratch) const;
  // Replaces member `index`'s whole state.
  void put(std::uint32_t index, const engine::MemberState& m);
  // Hints the CPU to fetch what get(index) will read: call a few operations ahead (and
  // prefetch_record a few more ahead than that: prefetch itself reads the record).
  void prefetch(std::uint32_t index) const {
    const Record& r = records_[index];
    if (r.slot == kCold)
      __builtin_prefetch(r.data);
    else if (r.slot != kCurrent)
      __builtin_prefetch(&big_[r.slot]);
  }
  void prefetch_record(std::uint32_t index) const { __builtin_prefetch(&records_[index]); }
  // The packed bytes of member `index` as the table holds them (empty while it is unpacked).
  std::string_view packed_bytes(std::uint32_t index) const {
    const Record& r = records_[index];
    return r.slot == kCold ? r.bytes() : std::string_view();
  }

  // Whether member `index` exists (joined by an applied operation), without unpacking it.
  bool exists(std::uint32_t index) const;
  // Packed bytes of member `index` (packs an unpacked one to measure).
  std::size_t packed_size(std::uint32_t index) const;
  // Members kept unpacked for good (their packed state grew beyond big_bytes).
  std::size_t big_members() const { return big_.size(); }
  // The memory the table holds: its records (the index entries), the arena of packed blocks (whole
  // chunks, with the blocks' spare room and the free blocks) and the unpacked states (the current
  // and the big members, engine::state_bytes).
  // `spare`: of `packed`, the bytes in no member's block (free blocks, the chunk being carved).
  struct Footprint {
    std::size_t records = 0, packed = 0, unpacked = 0, spare = 0;
  };
  Footprint footprint() const;

 private:
  static constexpr std::uint32_t kCold = 0xffffffffu;     // packed only
  static constexpr std::uint32_t kCurrent = 0xfffffffeu;  // unpacked in current_
  // A member's packed state in one arena block of `units` × 16 bytes; `slot` says where it is
  // unpacked, if anywhere (kCurrent, or an index into big_). 16 bytes: four to a cache line.
  struct Record {
    char* data = nullptr;
    std::uint32_t slot = kCold;
    std::uint16_t size = 0;
    std::uint16_t units = 0;
    std::string_view bytes() const { return {data, size}; }
  };

  // leave_closed: the rarely used part and the tasks stay encoded (engine/model/rare_part.hpp,
  // task_part.hpp), for get().
  void unpack(std::string_view bytes, engine::MemberState& m, bool leave_closed) const;
  const engine::MemberState* unpacked(std::uint32_t index) const;  // or null when only packed
  void store(Record& r);                                           // copies buf_ into r
  void make_big(Record& r, engine::MemberState m);  // keeps member r unpacked from now on
  void release_current();                           // packs current_ back (or moves it to big_)

  std::uint32_t big_bytes_;
  std::string fresh_;  // engine::new_member(plan, ""), packed
  BlockArena arena_;
  HugeVector<Record> records_;
  engine::MemberState current_;
  std::uint32_t current_index_ = kCold;
  std::vector<engine::MemberState> big_;
  std::string buf_;  // packing buffer
};

}  // namespace merit::storage
