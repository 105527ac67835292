// MemoryStore: members, applied ids and shared counters in memory, for `merit replay`, `merit test`
// and tests. Nothing is durable. Not thread-safe: one writer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/eval/evaluator.hpp"

namespace merit::storage {

// A 64-bit digest of an operation's canonical body (its decoded meaning, not its spelling: key
// order, whitespace and number spelling do not change it). The id itself is not part of it.
std::uint64_t canonical_digest(const engine::Operation& op);

class MemoryStore {
 public:
  explicit MemoryStore(const engine::Plan& plan);

  enum class Seen : std::uint8_t { kNew, kSame, kDifferent };
  // Whether operation `id` was applied before, and with the same canonical body.
  Seen seen(std::string_view id, std::uint64_t digest) const;
  // Remembers an applied operation (refused ones are not remembered, so a corrected resubmission
  // is processed).
  void remember(std::string id, std::uint64_t digest);

  // The member's state, created (exists == false) if never seen.
  engine::MemberState& member(const std::string& id);
  const engine::MemberState* find(const std::string& id) const;
  engine::SharedState& shared() { return shared_; }

  // Member ids in ascending byte order.
  std::vector<std::string> member_ids() const;
  std::size_t member_count() const { return members_.size(); }
  // Members that exist (created by an applied operation), without sorting anything.
  std::size_t existing_members() const {
    std::size_t n = 0;
    for (const auto& [id, m] : members_) n += m.exists ? 1 : 0;
    return n;
  }
  std::size_t applied_ids() const { return applied_count_; }

  // Replaces (or adds) a member's whole state, as a snapshot restores it.
  void put(engine::MemberState m) {
    std::string id = m.id;
    members_[id] = std::move(m);
  }
  void set_shared(engine::SharedState s) { shared_ = std::move(s); }
  // An applied id as it is kept: two independent 64-bit hashes of the id (a collision among
  // 10^9 ids is a 1-in-10^19 event) and the digest of its body.
  struct AppliedId {
    std::uint64_t h1 = 0, h2 = 0, digest = 0;
  };
  static AppliedId hash_id(std::string_view id, std::uint64_t digest);
  // Applied ids, ascending by hash (for snapshots), and restoring one.
  std::vector<AppliedId> applied() const;
  void remember(const AppliedId& a);

  template <class F>
  void for_each_member(F&& f) {
    for (auto& [id, m] : members_) f(m);
  }

 private:
  const engine::Plan& plan_;
  std::unordered_map<std::string, engine::MemberState> members_;
  // Open addressing, linear probing, at most half full; h1 == h2 == 0 marks an empty slot.
  std::vector<AppliedId> applied_;
  std::size_t applied_count_ = 0;
  const AppliedId* find_applied(const AppliedId& a) const;
  engine::SharedState shared_;
};

}  // namespace merit::storage
