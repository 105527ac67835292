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

MemoryStore::MemoryStore(const engine::Plan& plan)
    : plan_(plan), shared_(engine::new_shared(plan)) {}

MemoryStore::AppliedId MemoryStore::hash_id(std::string_view id, std::uint64_t digest) {
  Fnv a;
  a.str(id);
  Fnv b;
  b.h = 0x9e3779b97f4a7c15ull;  // a second, independent start
  b.str(id);
  b.i64(static_cast<std::int64_t>(id.size()) * 0x5851f42d4c957f2dll);
  AppliedId out{a.h, b.h, digest};
  if (out.h1 == 0 && out.h2 == 0) out.h1 = 1;
  return out;
}

const MemoryStore::AppliedId* MemoryStore::find_applied(const AppliedId& a) const {
  if (applied_.empty()) return nullptr;
  std::size_t mask = applied_.size() - 1;
  for (std::size_t i = a.h1 & mask;; i = (i + 1) & mask) {
    const AppliedId& slot = applied_[i];
    if (slot.h1 == 0 && slot.h2 == 0) return nullptr;
    if (slot.h1 == a.h1 && slot.h2 == a.h2) return &slot;
  }
}

MemoryStore::Seen MemoryStore::seen(std::string_view id, std::uint64_t digest) const {
  const AppliedId* found = find_applied(hash_id(id, digest));
  if (found == nullptr) return Seen::kNew;
  return found->digest == digest ? Seen::kSame : Seen::kDifferent;
}

void MemoryStore::remember(std::string id, std::uint64_t digest) { remember(hash_id(id, digest)); }

void MemoryStore::remember(const AppliedId& a) {
  if (find_applied(a) != nullptr) return;
  if ((applied_count_ + 1) * 2 > applied_.size()) {
    std::vector<AppliedId> old = std::move(applied_);
    applied_.assign(old.empty() ? 1024 : old.size() * 2, AppliedId{});
    applied_count_ = 0;
    for (const auto& e : old) {
      if (e.h1 != 0 || e.h2 != 0) remember(e);
    }
  }
  std::size_t mask = applied_.size() - 1;
  std::size_t i = a.h1 & mask;
  while (applied_[i].h1 != 0 || applied_[i].h2 != 0) i = (i + 1) & mask;
  applied_[i] = a;
  ++applied_count_;
}

std::vector<MemoryStore::AppliedId> MemoryStore::applied() const {
  std::vector<AppliedId> out;
  out.reserve(applied_count_);
  for (const auto& e : applied_) {
    if (e.h1 != 0 || e.h2 != 0) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const AppliedId& x, const AppliedId& y) {
    return x.h1 != y.h1 ? x.h1 < y.h1 : x.h2 < y.h2;
  });
  return out;
}

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
