// The rarely used part of a member's state: its privileges, rewards, tags and attributes. Only a
// few operations touch them (`use`, `redeem`, `set`, a `grant` or `tag` statement, an expression
// that reads `member.X` or `member.tags`), yet every operation that unpacked them would decode
// their strings and pack them back. So the member table leaves them encoded while it works on a
// member (MemberState::rare_closed, rare_packed) and the evaluator opens them with open_rare()
// before it touches them; packing a member whose rarely used part is still closed copies the bytes
// as they are.
//
// The bytes, in varints through common/byte_io.hpp: the privileges (a bit each for the parts that
// differ from the initial state, then those parts), the rewards likewise, the tags, the
// attributes (a kind byte, then the value).
#pragma once

#include <string>
#include <string_view>

#include "engine/model/member_state.hpp"

namespace merit::engine {

// Replaces `out` with the encoded rarely used part of `m` (open: the vectors are what is encoded).
void encode_rare(const MemberState& m, std::string& out);

// Decodes a rarely used part into m's privileges, rewards, tags and attributes (times relative to
// m.joined). False, with them unspecified, when the bytes are not exactly one rarely used part.
bool decode_rare(std::string_view bytes, MemberState& m);

// Decodes m's closed rarely used part, if it is closed. Aborts on malformed bytes: only the member
// table closes a rarely used part, from bytes encode_rare wrote, so that is memory corruption, not
// input.
void open_rare(MemberState& m);

}  // namespace merit::engine
