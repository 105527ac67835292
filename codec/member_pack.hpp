// The packed member state: one member's whole engine::MemberState as one compact byte string, the
// form the stores keep between operations (the flat, contiguous state of ARCHITECTURE.md).
//
// A member is unpacked into a reused MemberState (its vectors keep their capacity, so a warm
// unpack allocates nothing), evaluated, and packed back; a refused operation is simply not packed.
// Integers are LEB128 varints (common/varint.hpp), signed ones zigzagged; times are deltas from the
// member's join time, in whole seconds when they are whole seconds; decimals in whole units when
// they are whole; a task, privilege, reward or aggregate still in its initial state is one byte.
//
//   byte 0        format version (kPackVersion)
//   then          id, flags, times, level, growth, the growth window, lots and award records
//                 (each in its own encoding, engine/model/growth_records.hpp, lot_records.hpp
//                 and award_records.hpp, copied as bytes and left encoded by unpack_member),
//                 closed lots, counters, tasks (engine/model/task_part.hpp, an entry each, copied
//                 as bytes while closed), aggregates, and the rarely used part (privileges,
//                 rewards, tags, attributes: engine/model/rare_part.hpp, copied as bytes while
//                 closed) (member_pack.cpp)
//
// The format is private to one build: snapshots and the wire use JSON (snapshot.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/model/member_state.hpp"

namespace merit::codec {

// 2: the zero instant in one byte; 3: lots kept encoded; 4: the growth window; 5: the rarely used
// part; 6: each task's length before it.
inline constexpr std::uint8_t kPackVersion = 6;

// Replaces `out` with the packed form of `m`.
void pack_member(const engine::MemberState& m, std::string& out);

// Unpacks `bytes` into `m`, reusing its buffers. kInvalidArgument on a truncated or malformed
// string (then `m` is unspecified). The growth window, lots and award records are copied as bytes
// and checked only for their size here; the evaluator decodes, and checks, them when it needs
// them. `leave_closed`: the rarely used part and the tasks too (engine/model/rare_part.hpp,
// task_part.hpp: m.rare_closed, m.tasks_closed, for the evaluator to open what an operation
// touches); otherwise they are decoded and checked.
Result<void> unpack_member(std::string_view bytes, engine::MemberState& m,
                           bool leave_closed = false);

// The member id at the start of a packed state, without unpacking the rest ("" if malformed).
std::string_view packed_member_id(std::string_view bytes);
// Whether the packed member exists (joined by an applied operation), without unpacking the rest.
bool packed_member_exists(std::string_view bytes);

}  // namespace merit::codec
