// Lots as bytes (lot_records.hpp).
#include "engine/model/lot_records.hpp"

#include <cstdio>
#include <cstdlib>

#include "common/varint.hpp"

namespace merit::engine {

using varint::zigzag;

void encode_lots(const Lot* begin, const Lot* end, std::int64_t joined, std::string& out) {
  // At most seven values a lot, the three times up to two varints each.
  constexpr std::size_t kMaxLot = 10 * varint::kMaxBytes;
  std::size_t used = out.size();
  out.resize(used + kMaxLot * static_cast<std::size_t>(end - begin));
  char* p = out.data() + used;
  for (const Lot* l = begin; l != end; ++l) {
    const bool partly = l->amount != l->original;
    p += varint::put(p, l->id);
    p += varint::put(p, (l->reversible ? kLotReversible : 0) | (partly ? kLotPartlyUsed : 0));
    p += varint::put_time(p, l->earned.ms, joined);
    p += varint::put_time(p, l->expires, l->earned.ms);
    p += varint::put_time(p, l->available_at, l->earned.ms);
    p += varint::put(p, zigzag(l->original));
    if (partly) p += varint::put(p, zigzag(l->amount));
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

namespace {

// Decodes exactly `count` lots from `bytes` into out[0, count): false unless the bytes are that.
bool decode_into(std::string_view bytes, std::size_t count, std::int64_t joined, Lot* out) {
  LotReader r(bytes, joined);
  for (std::size_t i = 0; i < count; ++i) {
    if (!r.next(out[i])) return false;
  }
  return r.at_end();
}

}  // namespace

bool decode_lots(std::string_view bytes, std::uint32_t count, std::int64_t joined,
                 std::vector<Lot>& out) {
  // Each lot takes at least one byte: a count beyond that is malformed, not a size to allocate.
  if (count > bytes.size()) return false;
  const std::size_t at = out.size();
  out.resize(at + count);
  return decode_into(bytes, count, joined, out.data() + at);
}

void corrupt_lots(const MemberState& m) {
  std::fprintf(stderr, "merit: corrupt lots of member %s\n", m.id.c_str());
  std::abort();
}

void unpack_lots(MemberState& m) {
  const std::size_t n = m.lots_packed_count;
  if (n == 0) return;
  // Decoded in place, in front of the lots already decoded: a reused state's vector keeps its
  // capacity, so this allocates only when the member has more lots than it ever had.
  m.lots.insert(m.lots.begin(), n, Lot{});
  if (!decode_into(m.lots_packed, n, m.joined.ms, m.lots.data())) corrupt_lots(m);
  m.lots_packed.clear();
  m.lots_packed_count = 0;
}

std::int64_t first_lot_expiry(const MemberState& m) {
  if (m.lots_packed_count > 0) {
    LotReader r(m.lots_packed, m.joined.ms);
    Lot l;
    if (!r.next(l)) corrupt_lots(m);
    return l.expires;
  }
  return m.lots.empty() ? kNever : m.lots.front().expires;
}

}  // namespace merit::engine
