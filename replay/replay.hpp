// Replay: apply a member history (JSON Lines or CSV operations, in file order) to an in-memory
// store under one program, and write what came of it: member states, the ledger, a summary. What
// `merit replay`, `merit explain`, `merit test` and (later) `merit diff` share.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "codec/operation_codec.hpp"
#include "common/result.hpp"
#include "engine/eval/evaluator.hpp"
#include "replay/line_source.hpp"
#include "storage/memory_store.hpp"

namespace merit::replay {

// Parses, checks and plans a program file (.merit or .merit.yaml). On errors, `diagnostics` holds
// them rendered (file:line:col, source line, caret) and the result is kInvalidArgument.
struct LoadedProgram {
  std::shared_ptr<const engine::Plan> plan;
  std::vector<std::string> warnings;  // rendered
};
Result<LoadedProgram> load_program(const std::string& path);
// The same for a program already in memory; `name` is what diagnostics call the file, and its
// ending (.yaml/.yml) picks the YAML loader.
Result<LoadedProgram> load_program_text(const std::string& name, std::string text);

struct ReplaySummary {
  std::int64_t operations = 0;  // lines read (not counting blank lines and a CSV header)
  std::int64_t applied = 0;
  std::int64_t duplicates = 0;             // an id seen before with the same body: nothing applied
  std::int64_t mismatched_duplicates = 0;  // an id seen before with a different body
  std::int64_t refused = 0;    // the program refused it (unknown event type, insufficient points..)
  std::int64_t malformed = 0;  // not a readable operation (bad JSON, missing id, bad time)
  // Members whose pseudo-events raised by time alone (finish: a review's level_down up to the
  // as-of time) had a rule fail: those rules were refused, what time did stands.
  std::int64_t refused_at_end = 0;
  std::vector<std::string>
      problems;                   // the first 20 refusals and malformed lines, each naming its line
  std::optional<Instant> latest;  // the latest `time` of any readable line
};

// Called after each operation: its line number, the operation (when readable), the result (with
// effects or a rejection; null for duplicates and malformed lines).
using OperationHook = std::function<void(std::int64_t line, const engine::Operation* op,
                                         const engine::ApplyResult* result)>;

class Replayer {
 public:
  // `big_bytes`: members whose packed state grows beyond it stay unpacked in the store
  // (storage::MemberTable); any value gives the same results.
  explicit Replayer(std::shared_ptr<const engine::Plan> plan,
                    std::uint32_t big_bytes = storage::MemberTable::kDefaultBigBytes);

  // Reads operations from `lines` (JSON Lines; CSV when `csv`), applying each in order.
  void run(LineSource& lines, bool csv, const OperationHook& hook = nullptr);
  // The same for the lines of a stream.
  void run(std::istream& in, bool csv, const OperationHook& hook = nullptr) {
    LineSource lines(in);
    run(lines, csv, hook);
  }
  // Applies one line (1-based `line_no` for messages).
  void apply_line(std::string_view line, std::int64_t line_no, const OperationHook& hook = nullptr);

  // Carries every member to `as_of` (expiry, reviews), then returns their states as JSON lines,
  // sorted by member id.
  void finish(Instant as_of);
  void write_states(std::ostream& out, Instant as_of) const;
  std::string member_state_json(const std::string& member, Instant as_of) const;

  // Writes the whole store (members' full states, shared counters, applied ids) as JSON Lines, so
  // a later replay can resume exactly here with load_snapshot().
  void save_snapshot(std::ostream& out) const;
  // Restores a snapshot written by save_snapshot() under the same program version.
  Result<void> load_snapshot(std::istream& in);

  const ReplaySummary& summary() const { return summary_; }
  const engine::Plan& plan() const { return *plan_; }
  storage::MemoryStore& store() { return store_; }

 private:
  void problem(std::string text);
  Result<void> decode(std::string_view line, engine::Operation& op);
  // What a decoded operation is looked up by, hashed once for the prefetches and the lookups:
  // storage::MemoryStore::hash_id of its id and canonical digest, and member_hash of its member.
  struct Keys {
    storage::MemoryStore::AppliedId applied;
    std::uint64_t member = 0;
  };
  Keys keys_of(const engine::Operation& op) const;
  void process(std::int64_t line_no, const engine::Operation& op, const Result<void>& decoded,
               const Keys& keys, const OperationHook& hook);

  std::shared_ptr<const engine::Plan> plan_;
  storage::MemoryStore store_;
  codec::OperationDecoder decoder_;
  engine::Operation op_;
  engine::ApplyResult result_;
  ReplaySummary summary_;
  std::vector<std::string> csv_header_;
};

// One ledger line: {"op": id, "member": m, "program_version": v, "effects": [...]} or, for a
// refusal, {"op": id, "member": m, "refused": {"code": ..., "message": ...}}.
std::string ledger_json(const engine::Plan& plan, const engine::Operation& op,
                        const engine::ApplyResult& result);

}  // namespace merit::replay
