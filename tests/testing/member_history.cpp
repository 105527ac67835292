// The differential harness (member_history.hpp).
#include "tests/testing/member_history.hpp"

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/snapshot.hpp"

namespace merit::testing {

HistoryResult run_history(
    const engine::Plan& plan, const std::vector<std::string>& lines,
    const std::function<void(engine::MemberState&)>& before,
    const std::function<std::string(const engine::Operation&, const engine::MemberState&,
                                    const engine::ApplyResult&)>& after) {
  HistoryResult out;
  codec::OperationDecoder decoder(plan);
  engine::MemberState m = engine::new_member(plan, "m");
  engine::SharedState shared = engine::new_shared(plan);
  engine::ApplyResult r;
  engine::Operation op;
  for (const auto& line : lines) {
    if (!decoder.decode(line, op).has_value()) {
      ADD_FAILURE() << "does not decode: " << line;
      return out;
    }
    before(m);
    std::string packed_before, packed_after;
    codec::pack_member(m, packed_before);
    engine::apply(plan, m, shared, op, r);
    codec::pack_member(m, packed_after);
    if (r.rejection) {
      EXPECT_EQ(packed_after, packed_before) << op.id << ": a refused operation changes nothing";
    }
    out.effects += op.id + (r.rejection ? " refused " + r.rejection->code : "") + ":";
    for (const auto& e : r.effects) {
      out.effects +=
          " " + std::to_string(static_cast<int>(e.kind)) + "/" + std::to_string(e.amount);
      for (const auto& [id, amount] : e.lots)
        out.effects += "[" + std::to_string(id) + "," + std::to_string(amount) + "]";
      out.effects += e.text;
    }
    if (after) out.effects += after(op, m, r);
    out.effects += "\n";
  }
  out.snapshot = codec::member_snapshot_json(m);
  codec::pack_member(m, out.packed);
  return out;
}

void repack(engine::MemberState& m, bool leave_closed) {
  std::string bytes;
  codec::pack_member(m, bytes);
  // The member table's one reused state held another member a moment ago: a task the evaluator
  // reads without opening it must find someone else's progress, not this member's own.
  for (auto& t : m.tasks) {
    t.count = 5;
    t.completions = 3;
    t.last_completion = 1;
    t.completion_period = t.streak_day = 1;
    t.sum = Decimal::from_units(123);
    t.window.assign(2, {Instant{1}, Decimal::from_units(1)});
  }
  auto r = codec::unpack_member(bytes, m, leave_closed);
  ASSERT_TRUE(r.has_value()) << r.error().message();
}

}  // namespace merit::testing
