// The growth window kept encoded: a program with `growth { window ... }` keeps one entry per
// instant a member earned growth, up to a year of them, and nearly every operation only adds one
// at the end (or none) and reads their total. So the entries a member already had stay as bytes
// (MemberState::growth_packed) with their count, total and first and last instants beside them:
// the qualifying growth of the usual upgrade check is that total, entries that leave the window
// leave from the front of the bytes, and the stores' packed state (codec/member_pack) carries the
// bytes as they are. They are decoded only to put an entry before the last one (a reversal), to
// undo a trim, or to sum a window that does not hold them all (a review at a past instant reads
// them one at a time, without decoding them into the state).
//
// The bytes, in varints (common/varint.hpp): for each entry, the growth (zigzag), and for every
// entry but the first, first its instant relative to the entry before it (varint::put_time). The
// first entry's instant is MemberState::growth_packed_first. Dropping entries from the front
// therefore leaves the same bytes as encoding the remaining ones afresh.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/varint.hpp"
#include "engine/model/member_state.hpp"

namespace merit::engine {

// Appends the encoded form of entries [begin, end) to `out`. `after`: whether they follow other
// entries in `out`, the last of them at `prev` (ms); when false, `begin` is the first entry and
// its instant is not written.
void encode_growth(const GrowthEntry* begin, const GrowthEntry* end, bool after, std::int64_t prev,
                   std::string& out);

// Walks encoded entries one at a time, allocating nothing.
class GrowthReader {
 public:
  // `first`: the instant of the first entry in `bytes`.
  GrowthReader(std::string_view bytes, std::int64_t first)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()), at_(first) {}
  // The next entry into `out`: false at the end of the bytes or on malformed bytes (then ok() is
  // false too).
  bool next(GrowthEntry& out);
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  std::int64_t at_;
  bool first_ = true;
  bool ok_ = true;
};

inline bool GrowthReader::next(GrowthEntry& out) {
  if (p_ == end_ || !ok_) return false;
  std::size_t n = 0;
  if (!first_) {
    if ((n = varint::get_time(p_, end_, at_, at_)) == 0) {
      ok_ = false;
      p_ = end_;
      return false;
    }
    p_ += n;
  }
  std::uint64_t amount = 0;
  if ((n = varint::get(p_, end_, amount)) == 0) {
    ok_ = false;
    p_ = end_;
    return false;
  }
  p_ += n;
  first_ = false;
  out.at.ms = at_;
  out.amount = varint::unzigzag(amount);
  return true;
}

// Decodes exactly `count` entries from `bytes` (the first at `first`), appending them to `out`.
// False (with `out` unspecified) when the bytes are not `count` whole entries.
bool decode_growth(std::string_view bytes, std::uint32_t count, std::int64_t first,
                   std::vector<GrowthEntry>& out);

// Every growth entry of `m` decoded into m.growth_window (the encoded ones first, in order), none
// left encoded. A no-op when none is encoded. Aborts on malformed bytes: only encode_growth writes
// them, so that is memory corruption, not input.
void unpack_growth(MemberState& m);

// The number of growth entries, encoded or not.
inline std::size_t growth_count(const MemberState& m) {
  return m.growth_packed_count + m.growth_window.size();
}

// Removes the entries at or before `from` (ms) from the front of the window, encoded or not,
// appending them to `dropped` when it is given. Whether any was removed.
bool drop_growth_through(MemberState& m, std::int64_t from, std::vector<GrowthEntry>* dropped);

// Adds `amount` of growth earned at `t` to the window, keeping it in time order: to the entry at
// `t` when there is one, else as a new entry. Appends without decoding when `t` is after every
// entry (or at the last one, not encoded), which is every event taken in time order.
void add_growth_entry(MemberState& m, Instant t, std::int64_t amount);

// Reports corrupt encoded growth entries of `m` and aborts.
[[noreturn]] void corrupt_growth(const MemberState& m);

// Calls f(const GrowthEntry&) for every entry of `m`, in order, without changing `m`.
template <class F>
void for_each_growth(const MemberState& m, F&& f) {
  if (m.growth_packed_count > 0) {
    GrowthReader r(m.growth_packed, m.growth_packed_first);
    GrowthEntry g;
    std::uint32_t n = 0;
    while (r.next(g)) {
      f(static_cast<const GrowthEntry&>(g));
      ++n;
    }
    if (!r.ok() || n != m.growth_packed_count) corrupt_growth(m);
  }
  for (const GrowthEntry& g : m.growth_window) f(g);
}

}  // namespace merit::engine
