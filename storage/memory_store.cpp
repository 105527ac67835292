// The in-memory store and the canonical digest of an operation.
#include "storage/memory_store.hpp"

#include <algorithm>

namespace merit::storage {

namespace {

struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  }
  void i64(std::int64_t v) { bytes(&v, sizeof v); }
  void str(std::string_view s) {
    i64(static_cast<std::int64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void value(const engine::Value& v) {
    i64(static_cast<std::int64_t>(v.kind));
    i64(v.i);
    str(v.s);
    i64(static_cast<std::int64_t>(v.set.size()));
    for (const auto& s : v.set) str(s);
  }
};

}  // namespace

std::uint64_t canonical_digest(const engine::Operation& op) {
  Fnv f;
  f.i64(static_cast<std::int64_t>(op.kind));
  f.str(op.member);
  f.i64(op.time.ms);
  f.i64(op.event_type);
  for (const auto& v : op.fields) f.value(v);
  f.i64(op.reward);
  f.i64(op.quantity);
  f.i64(op.privilege);
  for (const auto& [slot, v] : op.attributes) {
    f.i64(slot);
    f.value(v);
  }
  return f.h;
}

MemoryStore::MemoryStore(const engine::Plan& plan) : plan_(plan), shared_(engine::new_shared(plan)) {}

MemoryStore::Seen MemoryStore::seen(std::string_view id, std::uint64_t digest) const {
  auto it = applied_.find(std::string(id));
  if (it == applied_.end()) return Seen::kNew;
  return it->second == digest ? Seen::kSame : Seen::kDifferent;
}

void MemoryStore::remember(std::string id, std::uint64_t digest) { applied_.emplace(std::move(id), digest); }

engine::MemberState& MemoryStore::member(const std::string& id) {
  auto it = members_.find(id);
  if (it != members_.end()) return it->second;
  return members_.emplace(id, engine::new_member(plan_, id)).first->second;
}

const engine::MemberState* MemoryStore::find(const std::string& id) const {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

std::vector<std::string> MemoryStore::member_ids() const {
  std::vector<std::string> ids;
  ids.reserve(members_.size());
  for (const auto& [id, m] : members_) {
    if (m.exists) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace merit::storage
