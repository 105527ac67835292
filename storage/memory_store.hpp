// MemoryStore: members, applied ids and shared counters in memory, for `merit replay`, `merit test`
// and tests. Nothing is durable. Not thread-safe: one writer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval/evaluator.hpp"
#include "storage/block_arena.hpp"
#include "storage/member_table.hpp"

namespace merit::storage {

// A 64-bit digest of an operation's canonical body (its decoded meaning, not its spelling: key
// order, whitespace and number spelling do not change it). The id itself is not part of it.
std::uint64_t canonical_digest(const engine::Operation& op);

class MemoryStore {
 public:
  // `big_bytes`: members whose packed state grows beyond it stay unpacked (MemberTable).
  explicit MemoryStore(const engine::Plan& plan,
                       std::uint32_t big_bytes = MemberTable::kDefaultBigBytes);

  // An applied id as it is kept, in 16 bytes: 96 bits of two independent hashes of the id (a
  // collision among 10^9 ids is a 1-in-10^11 event) and 32 bits of the digest of its body (only
  // the warning for a reused id with another body can miss, 1 time in 4 * 10^9: the operation is
  // ignored as a duplicate either way).
  struct AppliedId {
    std::uint64_t h1 = 0;
    std::uint32_t h2 = 0, digest = 0;
  };
  enum class Seen : std::uint8_t { kNew, kSame, kDifferent };
  // Whether operation `id` was applied before, and with the same canonical body.
  Seen seen(std::string_view id, std::uint64_t digest) const;
  // The same for an id already hashed with hash_id(id, digest).
  Seen seen(const AppliedId& a) const;
  // Remembers an applied operation (refused ones are not remembered, so a corrected resubmission
  // is processed).
  void remember(std::string id, std::uint64_t digest);

  // Members are kept in a MemberTable (member_table.hpp): packed, the current and big ones not.

  // The member's state, created (exists == false) if never seen. The reference is valid until the
  // next member(), put() or update_each_member().
  engine::MemberState& member(std::string_view id) { return member(id, member_hash(id)); }
  // The same with the id's member_hash(), for a caller that hashed it already (for the prefetches).
  engine::MemberState& member(std::string_view id, std::uint64_t hash);
  static std::uint64_t member_hash(std::string_view id);
  // A copy of member `id`'s state, or nullopt if never seen.
  std::optional<engine::MemberState> find(std::string_view id) const;
  // Hints the CPU to fetch what member(id) and seen(op_id) will read, in stages, each a while
  // after the one before: the member's index slot (and the op id's applied slot), then the
  // member's id and record, then its packed state. `hash` is member_hash(id).
  void prefetch_slot(std::uint64_t hash) const;
  void prefetch_applied(const AppliedId& a) const;
  void prefetch_record(std::uint64_t hash) const;
  void prefetch(std::uint64_t hash) const;
  engine::SharedState& shared() { return shared_; }

  // Member ids in ascending byte order (members that exist).
  std::vector<std::string> member_ids() const;
  // Members ever looked up, and those that exist (created by an applied operation).
  std::size_t member_count() const { return table_.size(); }
  std::size_t existing_members() const;
  std::size_t applied_ids() const { return applied_count_; }
  // Slots of the applied-id table (at most 70% of them used).
  std::size_t applied_slots() const { return applied_.size(); }
  const MemberTable& table() const { return table_; }

  // Calls f(const MemberState&) for every member that exists, in no particular order.
  template <class F>
  void for_each_member(F&& f) const {
    for (std::uint32_t i = 0; i < table_.size(); ++i) {
      if (table_.exists(i)) f(table_.peek(i, scratch_));
    }
  }
  // Calls f(MemberState&) for every member that exists and keeps what it leaves.
  template <class F>
  void update_each_member(F&& f) {
    for (std::uint32_t i = 0; i < table_.size(); ++i) {
      if (table_.exists(i)) f(table_.get(i));
    }
  }
  // Calls f(const MemberState&) for every member that exists, in ascending order of id. The
  // order is not the table's, so each member's record and then its packed bytes are fetched a
  // few members ahead.
  template <class F>
  void for_each_member_sorted(F&& f) const {
    constexpr std::size_t kBytesAhead = 4, kRecordAhead = 8;
    const std::vector<std::uint32_t> order = sorted_indexes();
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k + kRecordAhead < order.size()) table_.prefetch_record(order[k + kRecordAhead]);
      if (k + kBytesAhead < order.size()) table_.prefetch(order[k + kBytesAhead]);
      const engine::MemberState& m = table_.peek(order[k], scratch_);
      if (m.exists) f(m);
    }
  }

  // Replaces (or adds) a member's whole state, as a snapshot restores it.
  void put(const engine::MemberState& m);
  void set_shared(engine::SharedState s) { shared_ = std::move(s); }
  // Makes room for `n` applied ids in all, so that remembering them does not grow the table on
  // the way (each growth rehashes every id so far into a table twice the size): for a caller that
  // can tell about how many operations are coming.
  void reserve_applied(std::size_t n);
  static AppliedId hash_id(std::string_view id, std::uint64_t digest);
  // Applied ids, ascending by hash (for snapshots), and restoring one.
  std::vector<AppliedId> applied() const;
  void remember(const AppliedId& a);

 private:
  // The member index: open addressing, linear probing, at most half full; index kEmpty marks an
  // empty slot. Ids live in one arena (id_bytes_, id_ends_), so comparing reads no member state.
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t index = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = 0xffffffffu;

  std::string_view id_of(std::uint32_t index) const {
    std::uint64_t begin = index == 0 ? 0 : id_ends_[index - 1];
    return std::string_view(id_bytes_).substr(begin, id_ends_[index] - begin);
  }
  const Slot& find_slot(std::string_view id, std::uint64_t hash) const;
  std::uint32_t index_of(std::string_view id, std::uint64_t hash);  // adds the member if new
  void grow_index();
  std::vector<std::uint32_t> sorted_indexes() const;  // every member by id, existing or not

  MemberTable table_;
  HugeVector<Slot> index_;
  std::string id_bytes_;
  HugeVector<std::uint64_t> id_ends_;
  mutable engine::MemberState scratch_;  // for_each_member's unpacked member
  // Open addressing, linear probing, at most 70% full; h1 == h2 == 0 marks an empty slot.
  HugeVector<AppliedId> applied_;
  std::size_t applied_count_ = 0;
  const AppliedId* find_applied(const AppliedId& a) const;
  void rehash_applied(std::size_t slots);  // a power of two, room for applied_count_ and more
  engine::SharedState shared_;
};

}  // namespace merit::storage
