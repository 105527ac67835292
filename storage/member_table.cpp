// The member table: packed records, the current member and the big ones unpacked.
#include "storage/member_table.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "codec/member_pack.hpp"
#include "common/varint.hpp"
#include "engine/eval/evaluator.hpp"

namespace merit::storage {

MemberTable::MemberTable(const engine::Plan& plan, std::uint32_t big_bytes)
    : big_bytes_(std::min(big_bytes, kMaxPackedBytes)) {
  codec::pack_member(engine::new_member(plan, ""), fresh_);
}

void MemberTable::unpack(std::string_view bytes, engine::MemberState& m, bool leave_closed) const {
  // Records are only ever written by store(): failing to read one back is a bug here.
  Result<void> r = codec::unpack_member(bytes, m, leave_closed);
  if (!r) {
    std::fprintf(stderr, "merit: corrupt packed member state: %s\n", r.error().message().c_str());
    std::abort();
  }
}

void MemberTable::store(Record& r) {
  // Callers keep buf_ within kMaxPackedBytes: the size fits the record's 16 bits.
  std::size_t size = buf_.size();
  if (size > std::size_t{r.units} * BlockArena::kUnit) {
    // A little room to grow, so a member adding a lot or a record is not moved each time.
    std::size_t units = (size + size / 8 + BlockArena::kUnit - 1) / BlockArena::kUnit;
    if (r.data != nullptr) arena_.release(r.data, r.units);
    r.data = arena_.allocate(static_cast<std::uint32_t>(units));
    r.units = static_cast<std::uint16_t>(units);
  }
  MERIT_UNPOISON(r.data, size);
  std::memcpy(r.data, buf_.data(), size);
  MERIT_POISON(r.data + size, std::size_t{r.units} * BlockArena::kUnit - size);
  r.size = static_cast<std::uint16_t>(size);
}

void MemberTable::make_big(Record& r, engine::MemberState m) {
  engine::open_all(m);  // big members are read in place (peek, unpacked): whole
  if (r.data != nullptr) arena_.release(r.data, r.units);
  r.data = nullptr;
  r.size = r.units = 0;
  r.slot = static_cast<std::uint32_t>(big_.size());
  big_.push_back(std::move(m));
}

std::uint32_t MemberTable::add(std::string_view id) {
  // new_member's packed form with the id spliced in after the version byte: fresh_ holds an empty
  // id, i.e. a zero length byte at offset 1.
  buf_.clear();
  buf_.push_back(fresh_[0]);
  char length[varint::kMaxBytes];
  buf_.append(length, varint::put(length, id.size()));
  buf_.append(id);
  buf_.append(fresh_, 2);
  Record& r = records_.emplace_back();
  if (buf_.size() > kMaxPackedBytes) {
    // An id longer than a record can hold.
    engine::MemberState m;
    unpack(buf_, m, false);
    make_big(r, std::move(m));
  } else {
    store(r);
  }
  return static_cast<std::uint32_t>(records_.size() - 1);
}

void MemberTable::release_current() {
  if (current_index_ == kCold) return;
  Record& r = records_[current_index_];
  current_index_ = kCold;
  codec::pack_member(current_, buf_);
  if (buf_.size() > big_bytes_) {
    make_big(r, std::move(current_));
    current_ = engine::MemberState{};
    return;
  }
  store(r);
  r.slot = kCold;
}

engine::MemberState& MemberTable::get(std::uint32_t index) {
  Record& r = records_[index];
  if (r.slot == kCurrent) return current_;
  if (r.slot != kCold) return big_[r.slot];
  release_current();
  unpack(r.bytes(), current_, true);
  r.slot = kCurrent;
  current_index_ = index;
  return current_;
}

const engine::MemberState& MemberTable::peek(std::uint32_t index,
                                             engine::MemberState& scratch) const {
  const Record& r = records_[index];
  if (r.slot == kCurrent) return engine::opened(current_, scratch);
  if (r.slot != kCold) return big_[r.slot];
  unpack(r.bytes(), scratch, false);
  return scratch;
}

void MemberTable::put(std::uint32_t index, const engine::MemberState& m) {
  Record& r = records_[index];
  if (r.slot == kCurrent) {
    current_ = m;
  } else if (r.slot != kCold) {
    big_[r.slot] = m;
  } else {
    codec::pack_member(m, buf_);
    if (buf_.size() > kMaxPackedBytes)
      make_big(r, m);
    else
      store(r);
  }
}

const engine::MemberState* MemberTable::unpacked(std::uint32_t index) const {
  const Record& r = records_[index];
  if (r.slot == kCurrent) return &current_;
  if (r.slot != kCold) return &big_[r.slot];
  return nullptr;
}

MemberTable::Footprint MemberTable::footprint() const {
  Footprint f;
  f.records = records_.capacity() * sizeof(Record);
  f.packed = arena_.reserved();
  f.spare = arena_.unused();
  f.unpacked = engine::state_bytes(current_);
  for (const auto& m : big_) f.unpacked += engine::state_bytes(m);
  return f;
}

bool MemberTable::exists(std::uint32_t index) const {
  const engine::MemberState* m = unpacked(index);
  return m != nullptr ? m->exists : codec::packed_member_exists(records_[index].bytes());
}

std::size_t MemberTable::packed_size(std::uint32_t index) const {
  const engine::MemberState* m = unpacked(index);
  if (m == nullptr) return records_[index].size;
  std::string bytes;
  codec::pack_member(*m, bytes);
  return bytes.size();
}

}  // namespace merit::storage
