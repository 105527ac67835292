// Lots kept encoded: a member's lots are many (one per purchase that earned points, kept until they
// expire), and most operations only add one at the end of the spend order, so the lots a member
// already had stay as bytes (MemberState::lots_packed). Expired lots leave from their front; they
// are decoded only when something else reads or changes them (a spend, a release, a reversal, a
// new lot that sorts before the last one, a view). The stores' packed state
// (codec/member_pack) carries these bytes as they are, so packing and unpacking a member does not
// walk its lots.
//
// One lot, in varints (common/varint.hpp): the id, flags (1 reversible, 2 partly used), the time
// earned relative to the member's join time and the expiry and release relative to the time
// earned (varint::put_time), the points put in and, when partly used, the points left. Each lot
// is relative only to the join time, which never changes, so lots can be appended to the bytes and
// dropped from their front without reading the others.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/varint.hpp"
#include "engine/model/member_state.hpp"

namespace merit::engine {

inline constexpr std::uint64_t kLotReversible = 1, kLotPartlyUsed = 2;  // a lot's flags

// Appends the encoded form of lots [begin, end) of a member who joined at `joined` (ms) to `out`.
void encode_lots(const Lot* begin, const Lot* end, std::int64_t joined, std::string& out);

// Walks encoded lots one at a time, allocating nothing.
class LotReader {
 public:
  LotReader(std::string_view bytes, std::int64_t joined)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()), joined_(joined) {}
  // The next lot into `out`: false at the end of the bytes, or on malformed bytes (then ok() is
  // false too).
  bool next(Lot& out);
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }
  // The bytes not read yet.
  std::string_view rest() const { return {p_, static_cast<std::size_t>(end_ - p_)}; }

 private:
  const char* p_;
  const char* end_;
  std::int64_t joined_;
  bool ok_ = true;
};

inline bool LotReader::next(Lot& out) {
  if (p_ == end_ || !ok_) return false;
  std::uint64_t id = 0, flags = 0, original = 0, amount = 0;
  std::size_t n = 0;
  auto fail = [&] {
    ok_ = false;
    p_ = end_;
    return false;
  };
  if ((n = varint::get(p_, end_, id)) == 0 || id > 0xffffffffu) return fail();
  p_ += n;
  if ((n = varint::get(p_, end_, flags)) == 0 || flags > 3) return fail();
  p_ += n;
  if ((n = varint::get_time(p_, end_, joined_, out.earned.ms)) == 0) return fail();
  p_ += n;
  if ((n = varint::get_time(p_, end_, out.earned.ms, out.expires)) == 0) return fail();
  p_ += n;
  if ((n = varint::get_time(p_, end_, out.earned.ms, out.available_at)) == 0) return fail();
  p_ += n;
  if ((n = varint::get(p_, end_, original)) == 0) return fail();
  p_ += n;
  amount = original;
  if (flags & kLotPartlyUsed) {
    if ((n = varint::get(p_, end_, amount)) == 0) return fail();
    p_ += n;
  }
  out.id = static_cast<std::uint32_t>(id);
  out.reversible = (flags & kLotReversible) != 0;
  out.original = varint::unzigzag(original);
  out.amount = varint::unzigzag(amount);
  return true;
}

// Decodes exactly `count` lots from `bytes`, appending them to `out`. False (with `out`
// unspecified) when the bytes are not `count` whole lots.
bool decode_lots(std::string_view bytes, std::uint32_t count, std::int64_t joined,
                 std::vector<Lot>& out);

// Every lot of `m` decoded into m.lots (the encoded ones first, in order), none left encoded. A
// no-op when none is encoded. Aborts on malformed bytes: only encode_lots writes them, so that is
// memory corruption, not input.
void unpack_lots(MemberState& m);

// The number of lots, encoded or not.
inline std::size_t lot_count(const MemberState& m) { return m.lots_packed_count + m.lots.size(); }

// Reports corrupt encoded lots of `m` and aborts.
[[noreturn]] void corrupt_lots(const MemberState& m);

// The expiry of the first lot in spend order (the soonest), kNever when there is none.
std::int64_t first_lot_expiry(const MemberState& m);

// Calls f(const Lot&) for every lot of `m`, in spend order, without changing `m` (the encoded ones
// are decoded one at a time; aborts on malformed bytes, as unpack_lots does).
template <class F>
void for_each_lot(const MemberState& m, F&& f) {
  if (m.lots_packed_count > 0) {
    LotReader r(m.lots_packed, m.joined.ms);
    Lot l;
    std::uint32_t n = 0;
    while (r.next(l)) {
      f(static_cast<const Lot&>(l));
      ++n;
    }
    if (!r.ok() || n != m.lots_packed_count) corrupt_lots(m);
  }
  for (const Lot& l : m.lots) f(l);
}

}  // namespace merit::engine
