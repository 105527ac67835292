// MemberTable: member states by dense index, kept packed (codec/member_pack.hpp, ~120-200 bytes a
// member) between operations.
//
// The member being worked on is unpacked into one reused state (no allocation once warm) and packed
// back when the next member is fetched, while its bytes are still in cache. Unpacking and packing
// cost O(size of the state), and the busiest members, whose states are the largest, are the most
// frequent: a member whose packed state grows beyond `big_bytes` is therefore kept unpacked from
// then on (a few in a thousand members in the benchmarks).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/member_state.hpp"
#include "engine/plan/plan.hpp"

namespace merit::storage {

class MemberTable {
 public:
  static constexpr std::uint32_t kDefaultBigBytes = 1024;

  // Members whose packed state exceeds `big_bytes` stay unpacked.
  explicit MemberTable(const engine::Plan& plan, std::uint32_t big_bytes = kDefaultBigBytes);

  std::uint32_t size() const { return static_cast<std::uint32_t>(records_.size()); }
  // A new member at the next index: the state of engine::new_member(plan, id) (exists == false).
  std::uint32_t add(std::string_view id);
  // Member `index`, unpacked, to read and change. The reference is valid until the next get() or
  // put().
  engine::MemberState& get(std::uint32_t index);
  // Member `index` for reading without disturbing the table: its unpacked state, or `scratch`.
  const engine::MemberState& peek(std::uint32_t index, engine::MemberState& scratch) const;
  // Replaces member `index`'s whole state.
  void put(std::uint32_t index, const engine::MemberState& m);
  // Hints the CPU to fetch what get(index) will read: call a few operations ahead (and
  // prefetch_record a few more ahead than that: prefetch itself reads the record).
  void prefetch(std::uint32_t index) const {
    const Record& r = records_[index];
    if (r.slot == kCold)
      __builtin_prefetch(r.data.get());
    else if (r.slot != kCurrent)
      __builtin_prefetch(&big_[r.slot]);
  }
  void prefetch_record(std::uint32_t index) const { __builtin_prefetch(&records_[index]); }

  // Whether member `index` exists (joined by an applied operation), without unpacking it.
  bool exists(std::uint32_t index) const;
  // Packed bytes of member `index` (packs an unpacked one to measure).
  std::size_t packed_size(std::uint32_t index) const;
  // Members kept unpacked for good (their packed state grew beyond big_bytes).
  std::size_t big_members() const { return big_.size(); }
  // The memory the table holds: its records (the index entries, the packed blocks with their
  // spare room) and the unpacked states (the current and the big members, engine::state_bytes).
  struct Footprint {
    std::size_t records = 0, packed = 0, unpacked = 0;
  };
  Footprint footprint() const;

 private:
  static constexpr std::uint32_t kCold = 0xffffffffu;     // packed only
  static constexpr std::uint32_t kCurrent = 0xfffffffeu;  // unpacked in current_
  // A member's packed state in one heap block; `slot` says where it is unpacked, if anywhere
  // (kCurrent, or an index into big_).
  struct Record {
    std::unique_ptr<char[]> data;
    std::uint32_t size = 0, capacity = 0;
    std::uint32_t slot = kCold;
    std::string_view bytes() const { return {data.get(), size}; }
  };

  void unpack(std::string_view bytes, engine::MemberState& m) const;
  const engine::MemberState* unpacked(std::uint32_t index) const;  // or null when only packed
  void store(Record& r);                                           // copies buf_ into r
  void release_current();  // packs current_ back (or moves it to big_)

  std::uint32_t big_bytes_;
  std::string fresh_;  // engine::new_member(plan, ""), packed
  std::vector<Record> records_;
  engine::MemberState current_;
  std::uint32_t current_index_ = kCold;
  std::vector<engine::MemberState> big_;
  std::string buf_;  // packing buffer
};

}  // namespace merit::storage
