// Fuzz target for the operation decoder, the evaluator and the packed member state
// (codec/operation_codec, engine/eval, codec/member_pack, codec/state_json). The input's lines are
// operations, applied in order to the members they name, as `merit replay` would, against the
// program of LANGUAGE.md §4 (bench/programs/yanxuan.merit), or against an example program of
// rulesets/ when the first line is `#NAME` (`#mall`). Any bytes give an operation or a clear
// error, never a crash; after every operation the member packs, unpacks and packs again to the
// same bytes; a refused operation leaves the member and the shared state byte for byte as they
// were (LANGUAGE.md §3); every member's view writes as JSON; advancing to a later time keeps all
// of that, and then the ledger adds up to the balance; and the same lines saved as snapshots
// halfway and resumed end in the same states.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "codec/snapshot.hpp"
#include "codec/state_json.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/model/lot_records.hpp"
#include "replay/replay.hpp"

// Fails loudly, naming the broken promise (the inputs that break one are kept by libFuzzer).
#define FUZZ_CHECK(cond)                                                                      \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "operation_fuzzer: %s:%d: %s does not hold\n", __FILE__, __LINE__, \
                   #cond);                                                                    \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace {

using namespace merit;

std::shared_ptr<const engine::Plan> load(const std::string& path) {
  auto loaded = replay::load_program(path);
  FUZZ_CHECK(loaded);  // the programs are part of the repository: they must load
  return loaded->plan;
}

// A program and its decoder (kept: building a decoder, and its validator for bad lines, costs
// more than a short input).
struct Program {
  std::shared_ptr<const engine::Plan> plan;
  std::unique_ptr<codec::OperationDecoder> decoder;
};

// The program the input names on its first line (`#mall`: rulesets/mall/program.merit), or the
// program of LANGUAGE.md §4. Loaded once each.
Program& program_for(std::string_view& text) {
  static std::map<std::string, Program, std::less<>> programs;
  std::string name = "yanxuan";
  if (!text.empty() && text.front() == '#') {
    std::size_t end = text.find('\n');
    std::string_view first = text.substr(1, end == std::string_view::npos ? end : end - 1);
    for (const char* known : {"credit_card", "ecommerce", "mall", "milk_powder", "streaming"}) {
      if (first == known) name = known;
    }
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  auto it = programs.find(name);
  if (it == programs.end()) {
    std::string path = name == "yanxuan"
                           ? std::string(MERIT_FUZZ_PROGRAM)
                           : std::string(MERIT_FUZZ_RULESETS) + "/" + name + "/program.merit";
    Program program;
    program.plan = load(path);
    program.decoder = std::make_unique<codec::OperationDecoder>(*program.plan);
    it = programs.emplace(name, std::move(program)).first;
  }
  return it->second;
}

std::string packed(const engine::MemberState& m) {
  std::string out;
  codec::pack_member(m, out);
  return out;
}

// The member packs, unpacks and packs again to the same bytes, and its view writes as JSON.
void check_member(const engine::Plan& p, const engine::MemberState& m, Instant at) {
  std::string bytes = packed(m);
  engine::MemberState back;
  FUZZ_CHECK(codec::unpack_member(bytes, back));
  FUZZ_CHECK(packed(back) == bytes);
  // The cached next expiry is the first lot's, or 0 (not known).
  FUZZ_CHECK(m.next_expiry == 0 || m.next_expiry == engine::first_lot_expiry(m));
  if (!m.exists) return;
  std::string json = codec::member_json(p, engine::view(p, m, at));
  FUZZ_CHECK(!json.empty() && json.front() == '{' && json.back() == '}');
}

// Points an operation's effects put into the member's balance, less those they took out.
std::int64_t points_moved(const engine::ApplyResult& r) {
  using K = engine::EffectKind;
  std::int64_t sum = 0;
  for (const auto& e : r.effects) {
    if (e.kind == K::kPoints) sum += e.amount;
    if (e.kind == K::kDeduct || e.kind == K::kSpend || e.kind == K::kExpire ||
        e.kind == K::kReverse) {
      sum -= e.amount;
    }
  }
  return sum;
}

// The members and shared state after applying `text`'s operations, each refusal's code in order;
// with `split_at` > 0, every state is saved as a snapshot and resumed from it after that many
// lines, as `merit replay --save-state` then `--state` would. With `through_codec`, a member is
// packed after each operation and unpacked before the next, as the member table does (its lots
// and award records then stay encoded until the evaluator needs them).
struct Outcome {
  std::map<std::string, engine::MemberState> members;
  std::map<std::string, std::int64_t> ledger;  // points the effects added less what they took
  engine::SharedState shared;
  std::vector<std::string> refusals;
};

Outcome apply_all(Program& program, std::string_view text, int split_at,
                  bool through_codec = false) {
  const engine::Plan& p = *program.plan;
  codec::OperationDecoder& decoder = *program.decoder;
  Outcome o;
  o.shared = engine::new_shared(p);
  engine::ApplyResult result;
  engine::Operation op;
  Instant latest{0};
  int lines = 0;
  while (!text.empty() && ++lines <= 200) {
    if (lines == split_at + 1) {
      for (auto& [id, m] : o.members) {
        auto back = codec::member_from_snapshot(codec::member_snapshot_json(m));
        FUZZ_CHECK(back);
        m = std::move(*back);
      }
      auto shared = codec::shared_from_snapshot(codec::shared_snapshot_json(o.shared));
      FUZZ_CHECK(shared);
      o.shared = std::move(*shared);
    }
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    Result<void> decoded = decoder.decode(line, op);
    if (!decoded) {
      FUZZ_CHECK(!decoded.error().message().empty());
      continue;
    }
    auto it = o.members.find(op.member);
    if (it == o.members.end()) {
      if (o.members.size() >= 8) continue;
      it = o.members.emplace(op.member, engine::new_member(p, op.member)).first;
    }
    engine::MemberState& m = it->second;
    const std::string before = packed(m);
    const engine::SharedState shared_before = o.shared;
    engine::apply(p, m, o.shared, op, result);
    if (result.rejection) {
      FUZZ_CHECK(!result.rejection->code.empty() && !result.rejection->message.empty());
      FUZZ_CHECK(result.effects.empty());
      FUZZ_CHECK(packed(m) == before);
      FUZZ_CHECK(o.shared.campaign_awarded == shared_before.campaign_awarded);
      FUZZ_CHECK(o.shared.reward_redeemed == shared_before.reward_redeemed);
      o.refusals.push_back(result.rejection->code);
    }
    o.ledger[op.member] += points_moved(result);
    if (op.time > latest) latest = op.time;
    check_member(p, m, op.time);
    // As the member table does: the rarely used part and the tasks left closed, for the
    // evaluator to open.
    if (through_codec) FUZZ_CHECK(codec::unpack_member(packed(m), m, true));
  }
  // A year after the last operation: expiries and reviews carried out.
  Instant later{latest.ms + 366 * kMsPerDay};
  for (auto& [id, m] : o.members) {
    if (!m.exists) continue;
    engine::advance(p, m, later, result);
    o.ledger[id] += points_moved(result);
    check_member(p, m, later);
    // The ledger adds up to the balance, and the lots (less any debt) to the same.
    engine::MemberView v = engine::view(p, m, later);
    std::int64_t lots = 0;
    engine::for_each_lot(m, [&](const engine::Lot& l) { lots += l.amount; });
    FUZZ_CHECK(o.ledger[id] == v.available + v.pending);
    FUZZ_CHECK(lots - m.debt == v.available + v.pending);
  }
  return o;
}

// The packed state without its caches (the next expiry, release and review due times, the
// once-only tasks done), which a snapshot leaves out and the evaluator works out again.
std::string without_caches(engine::MemberState m) {
  m.next_expiry = 0;
  m.next_release = 0;
  m.review_due = 0;
  m.done_once = 0;
  return packed(m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 15)) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Program& program = program_for(text);
  Outcome whole = apply_all(program, text, 0);
  // The same history saved and resumed halfway ends the same (a split at the first line too).
  int split = static_cast<int>(std::count(text.begin(), text.end(), '\n') / 2) + 1;
  Outcome resumed = apply_all(program, text, split);
  FUZZ_CHECK(whole.refusals == resumed.refusals);
  FUZZ_CHECK(whole.shared.campaign_awarded == resumed.shared.campaign_awarded);
  FUZZ_CHECK(whole.shared.reward_redeemed == resumed.shared.reward_redeemed);
  FUZZ_CHECK(whole.members.size() == resumed.members.size());
  // Kept packed between operations, as the member table keeps them: the same refusals and states.
  Outcome packed_between = apply_all(program, text, 0, true);
  FUZZ_CHECK(whole.refusals == packed_between.refusals);
  FUZZ_CHECK(whole.ledger == packed_between.ledger);
  for (auto& [id, m] : whole.members) {
    auto it = packed_between.members.find(id);
    FUZZ_CHECK(it != packed_between.members.end());
    FUZZ_CHECK(packed(m) == packed(it->second));
  }
  for (auto& [id, m] : whole.members) {
    auto it = resumed.members.find(id);
    FUZZ_CHECK(it != resumed.members.end());
    FUZZ_CHECK(without_caches(m) == without_caches(it->second));
  }
  return 0;
}
