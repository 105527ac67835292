// The in-memory store and the canonical digest of an operation.
#include "storage/memory_store.hpp"

#include <algorithm>
#include <cstring>

namespace merit::storage {

namespace {

// A 64-bit hash taking 8 bytes at a time (multiply, rotate, multiply per word, as MurmurHash3's
// mixing does) with a final avalanche, so every output bit, the low ones that pick a slot
// included, depends on every input byte. `Hasher(seed)` with two seeds gives two hashes.
class Hasher {
 public:
  explicit Hasher(std::uint64_t seed = 0x243f6a8885a308d3ull) : h_(seed) {}

  void word(std::uint64_t w) {
    w *= 0x87c37b91114253d5ull;
    w = (w << 31) | (w >> 33);
    w *= 0x4cf5ad432745937full;
    h_ ^= w;
    h_ = ((h_ << 27) | (h_ >> 37)) * 5 + 0x52dce729;
  }
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (; n >= 8; n -= 8, b += 8) {
      std::uint64_t w;
      std::memcpy(&w, b, 8);
      word(w);
    }
    if (n > 0) {
      std::uint64_t w = 0;
      std::memcpy(&w, b, n);
      word(w ^ (std::uint64_t{n} << 56));
    }
  }
  void i64(std::int64_t v) { word(static_cast<std::uint64_t>(v)); }
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
  std::uint64_t done() const {
    std::uint64_t h = h_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }

 private:
  std::uint64_t h_;
};

}  // namespace

std::uint64_t canonical_digest(const engine::Operation& op) {
  Hasher f;
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
  return f.done();
}

MemoryStore::MemoryStore(const engine::Plan& plan, std::uint32_t big_bytes)
    : table_(plan, big_bytes), shared_(engine::new_shared(plan)) {}

MemoryStore::AppliedId MemoryStore::hash_id(std::string_view id, std::uint64_t digest) {
  Hasher a;
  a.str(id);
  Hasher b(0x9e3779b97f4a7c15ull);  // a second, independent start
  b.str(id);
  AppliedId out{a.done(), static_cast<std::uint32_t>(b.done()), static_cast<std::uint32_t>(digest)};
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
  return seen(hash_id(id, digest));
}

MemoryStore::Seen MemoryStore::seen(const AppliedId& a) const {
  const AppliedId* found = find_applied(a);
  if (found == nullptr) return Seen::kNew;
  return found->digest == a.digest ? Seen::kSame : Seen::kDifferent;
}

void MemoryStore::remember(std::string id, std::uint64_t digest) { remember(hash_id(id, digest)); }

void MemoryStore::rehash_applied(std::size_t slots) {
  HugeVector<AppliedId> old = std::move(applied_);
  applied_.assign(slots, AppliedId{});
  applied_count_ = 0;
  for (const auto& e : old) {
    if (e.h1 != 0 || e.h2 != 0) remember(e);
  }
}

void MemoryStore::reserve_applied(std::size_t n) {
  std::size_t slots = applied_.empty() ? 1024 : applied_.size();
  while (n * 10 > slots * 7) slots *= 2;
  if (slots > applied_.size()) rehash_applied(slots);
}

void MemoryStore::remember(const AppliedId& a) {
  if (find_applied(a) != nullptr) return;
  if ((applied_count_ + 1) * 10 > applied_.size() * 7) {
    rehash_applied(applied_.empty() ? 1024 : applied_.size() * 2);
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

std::uint64_t MemoryStore::member_hash(std::string_view id) {
  Hasher h;
  h.bytes(id.data(), id.size());
  return h.done();
}

const MemoryStore::Slot& MemoryStore::find_slot(std::string_view id, std::uint64_t hash) const {
  std::size_t mask = index_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = index_[i];
    if (slot.index == kEmpty) return slot;
    if (slot.hash == hash && id_of(slot.index) == id) return slot;
  }
}

void MemoryStore::grow_index() {
  HugeVector<Slot> old = std::move(index_);
  index_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  std::size_t mask = index_.size() - 1;
  for (const Slot& e : old) {
    if (e.index == kEmpty) continue;
    std::size_t i = e.hash & mask;
    while (index_[i].index != kEmpty) i = (i + 1) & mask;
    index_[i] = e;
  }
}

std::uint32_t MemoryStore::index_of(std::string_view id, std::uint64_t hash) {
  if (!index_.empty()) {
    const Slot& slot = find_slot(id, hash);
    if (slot.index != kEmpty) return slot.index;
  }
  if ((table_.size() + 1) * 2 > index_.size()) grow_index();
  auto& slot = const_cast<Slot&>(find_slot(id, hash));
  slot.hash = hash;
  slot.index = table_.add(id);
  id_bytes_.append(id);
  id_ends_.push_back(id_bytes_.size());
  return slot.index;
}

engine::MemberState& MemoryStore::member(std::string_view id, std::uint64_t hash) {
  return table_.get(index_of(id, hash));
}

void MemoryStore::put(const engine::MemberState& m) {
  table_.put(index_of(m.id, member_hash(m.id)), m);
}

std::optional<engine::MemberState> MemoryStore::find(std::string_view id) const {
  if (index_.empty()) return std::nullopt;
  const Slot& slot = find_slot(id, member_hash(id));
  if (slot.index == kEmpty) return std::nullopt;
  engine::MemberState scratch;
  return table_.peek(slot.index, scratch);
}

void MemoryStore::prefetch_slot(std::uint64_t hash) const {
  if (!index_.empty()) __builtin_prefetch(&index_[hash & (index_.size() - 1)]);
}

void MemoryStore::prefetch_applied(const AppliedId& a) const {
  if (!applied_.empty()) __builtin_prefetch(&applied_[a.h1 & (applied_.size() - 1)]);
}

void MemoryStore::prefetch_record(std::uint64_t hash) const {
  if (index_.empty()) return;
  const Slot& slot = index_[hash & (index_.size() - 1)];
  if (slot.hash != hash || slot.index == kEmpty) return;
  __builtin_prefetch(id_bytes_.data() + (slot.index == 0 ? 0 : id_ends_[slot.index - 1]));
  table_.prefetch_record(slot.index);
}

void MemoryStore::prefetch(std::uint64_t hash) const {
  if (index_.empty()) return;
  const Slot& slot = index_[hash & (index_.size() - 1)];
  if (slot.hash == hash && slot.index != kEmpty) table_.prefetch(slot.index);
}

std::size_t MemoryStore::existing_members() const {
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < table_.size(); ++i) n += table_.exists(i) ? 1 : 0;
  return n;
}

std::vector<std::uint32_t> MemoryStore::sorted_indexes() const {
  // Sorted by the ids' first eight bytes, big-endian in one integer (zero-padded, so a shorter id
  // sorts first, as it does byte for byte), and by the whole ids only where those tie: most
  // comparisons read no id bytes. Whether a member exists is left to the caller, who reads its
  // state anyway (reading it here would be a cache miss per member).
  struct Key {
    std::uint64_t prefix;
    std::uint32_t index;
  };
  std::vector<Key> keys(table_.size());
  for (std::uint32_t i = 0; i < table_.size(); ++i) {
    std::string_view id = id_of(i);
    std::uint64_t prefix = 0;
    for (std::size_t b = 0; b < 8; ++b) {
      prefix = prefix << 8 | (b < id.size() ? static_cast<unsigned char>(id[b]) : 0u);
    }
    keys[i] = {prefix, i};
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return id_of(a.index) < id_of(b.index);
  });
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].index;
  return order;
}

std::vector<std::string> MemoryStore::member_ids() const {
  std::vector<std::string> ids;
  for (std::uint32_t i : sorted_indexes()) {
    if (table_.exists(i)) ids.emplace_back(id_of(i));
  }
  return ids;
}

}  // namespace merit::storage
