// Award records kept encoded: the records `reverse` needs (§4.6) grow with every purchase and are
// read only when a refund comes, so a member's older records stay as bytes (MemberState::
// awards_packed) and are decoded only then. The stores' packed state (codec/member_pack) carries
// these bytes as they are, so packing and unpacking a member does not walk its records.
//
// One record, in varints (common/varint.hpp): (zigzag(event_type) << 1 | reversed), the
// 8-byte key, the time (varint: zigzag(seconds) << 1 when a whole second, else zigzag(ms) << 1 |
// 1), the lot count and each (lot id, points), the growth. Times are absolute, so records can be
// appended to the bytes without reading them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/member_state.hpp"

namespace merit::engine {

// Appends the encoded form of records [begin, end) to `out`.
void encode_awards(const AwardRecord* begin, const AwardRecord* end, std::string& out);

// Decodes exactly `count` records from `bytes`, appending them to `out`. False (with `out`
// unspecified) when the bytes are not `count` whole records.
bool decode_awards(std::string_view bytes, std::uint32_t count, std::vector<AwardRecord>& out);

// The records kept encoded in `m` (m.awards_packed), appended to `out`. Aborts on malformed bytes:
// they are only ever written by encode_awards, so that is memory corruption, not input.
void decode_packed_awards(const MemberState& m, std::vector<AwardRecord>& out);

// Every award record of `m` decoded into m.awards (the packed ones first, in order), none left
// packed. A no-op when none is packed. Moves the records already in m.awards: the evaluator does
// not use it (a record it points at would move); snapshots and tests do.
void unpack_awards(MemberState& m);

// The number of award records, packed or not.
inline std::size_t award_count(const MemberState& m) {
  return m.awards_packed_count + m.awards.size();
}

}  // namespace merit::engine
