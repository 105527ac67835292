// Replay of a history under one program, with idempotency by id (LANGUAGE.md §5 step 1).
#include "replay/replay.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "codec/json_writer.hpp"
#include "codec/snapshot.hpp"
#include "codec/state_json.hpp"
#include "dsl/parse.hpp"
#include "engine/check/checker.hpp"
#include "engine/plan/planner.hpp"

namespace merit::replay {

namespace {

std::string hash8(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

}  // namespace

Result<LoadedProgram> load_program(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid_argument(fmt::format("cannot read program file {}", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_program_text(path, std::move(ss).str());
}

Result<LoadedProgram> load_program_text(const std::string& path, std::string text) {
  dsl::Source source(path, text);
  bool yaml = path.size() >= 5 && (path.ends_with(".yaml") || path.ends_with(".yml"));
  dsl::ParseOutput parsed = yaml ? dsl::load_yaml_program(source) : dsl::parse_program(source);
  std::vector<dsl::Diagnostic> diags = parsed.diagnostics;
  if (parsed.program) {
    auto more = engine::check_program(*parsed.program);
    diags.insert(diags.end(), more.begin(), more.end());
  }
  LoadedProgram out;
  std::string errors;
  for (const auto& d : diags) {
    std::string line(d.loc.line > 0 ? source.line_text(d.loc.line) : std::string_view());
    std::string rendered = dsl::render(d, line);
    if (d.severity == dsl::Severity::kError)
      errors += rendered;
    else
      out.warnings.push_back(rendered);
  }
  if (!errors.empty() || !parsed.program) {
    if (errors.empty()) errors = path + ": the program could not be read\n";
    return Error::invalid_argument(errors);
  }
  auto plan =
      engine::build_plan(*parsed.program, parsed.program->program.id.name + "@" + hash8(text));
  if (!plan) return Error::invalid_argument(path + ":" + plan.error().message());
  out.plan = std::move(*plan);
  return out;
}

Replayer::Replayer(std::shared_ptr<const engine::Plan> plan, std::uint32_t big_bytes)
    : plan_(std::move(plan)), store_(*plan_, big_bytes), decoder_(*plan_) {}

void Replayer::problem(std::string text) {
  if (summary_.problems.size() < 20) summary_.problems.push_back(std::move(text));
}

namespace {

std::string_view trim_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  return line;
}

}  // namespace

Result<void> Replayer::decode(std::string_view line, engine::Operation& op) {
  if (!csv_header_.empty())
    return decoder_.decode_csv(csv_header_, codec::split_csv_line(line), op);
  return decoder_.decode(line, op);
}

void Replayer::apply_line(std::string_view line, std::int64_t line_no, const OperationHook& hook) {
  line = trim_line(line);
  if (line.empty()) return;
  Result<void> decoded = decode(line, op_);
  process(line_no, op_, decoded, decoded ? keys_of(op_) : Keys{}, hook);
}

Replayer::Keys Replayer::keys_of(const engine::Operation& op) const {
  return {storage::MemoryStore::hash_id(op.id, storage::canonical_digest(op)),
          storage::MemoryStore::member_hash(op.member)};
}

void Replayer::process(std::int64_t line_no, const engine::Operation& op,
                       const Result<void>& decoded, const Keys& keys, const OperationHook& hook) {
  ++summary_.operations;
  if (!decoded) {
    // A line the program refuses (unknown event type, undeclared field) is a refusal; a line that
    // is not an operation at all is malformed. Both change nothing and replay goes on.
    if (decoded.error().code() == ErrorCode::kFailedPrecondition)
      ++summary_.refused;
    else
      ++summary_.malformed;
    problem(fmt::format("line {}: {}", line_no, decoded.error().message()));
    if (!op.id.empty() && op.time.ms != 0 && (!summary_.latest || op.time > *summary_.latest)) {
      summary_.latest = op.time;
    }
    if (hook) hook(line_no, nullptr, nullptr);
    return;
  }
  if (!summary_.latest || op.time > *summary_.latest) summary_.latest = op.time;
  switch (store_.seen(keys.applied)) {
    case storage::MemoryStore::Seen::kSame:
      ++summary_.duplicates;
      if (hook) hook(line_no, &op, nullptr);
      return;
    case storage::MemoryStore::Seen::kDifferent:
      ++summary_.duplicates;
      ++summary_.mismatched_duplicates;
      problem(fmt::format("line {}: id \"{}\" was applied before with a different body; ignored",
                          line_no, op.id));
      if (hook) hook(line_no, &op, nullptr);
      return;
    case storage::MemoryStore::Seen::kNew:
      break;
  }
  engine::MemberState& m = store_.member(op.member, keys.member);
  engine::apply(*plan_, m, store_.shared(), op, result_);
  if (result_.rejection) {
    ++summary_.refused;
    problem(fmt::format("line {}: {} refused: {} ({})", line_no, op.id, result_.rejection->message,
                        result_.rejection->code));
  } else {
    ++summary_.applied;
    store_.remember(keys.applied);
  }
  if (hook) hook(line_no, &op, &result_);
}

void Replayer::run(LineSource& lines, bool csv, const OperationHook& hook) {
  // Lines go in batches: all of a batch are decoded first (decoding reads no state), and the
  // store's memory for each (the member's index slot, then its record, then its packed state; the
  // applied-id slot) is fetched in passes while the others decode, so that applying them in order
  // finds it in cache instead of waiting on DRAM three or four times per line. 64 lines replayed
  // the benchmark file 5% faster than 32 (docs/performance.md); 128 no faster than 64.
  constexpr std::size_t kBatch = 64;
  // A mapped file tells its size: once its first lines show how long a line is, the applied-id
  // table is given room for the whole file at once instead of growing, and rehashing, on the way.
  constexpr std::int64_t kSampleLines = 4096;
  struct Pending {
    std::string storage;  // the line, when read from a stream
    std::int64_t line_no = 0;
    engine::Operation op;
    Result<void> decoded;
    Keys keys;
  };
  std::vector<Pending> batch(kBatch);
  std::int64_t line_no = 0;
  csv_header_.clear();
  bool more = true;
  while (more) {
    std::size_t n = 0;
    while (n < kBatch) {
      Pending& p = batch[n];
      std::string_view line;
      if (!lines.next(p.storage, line)) {
        more = false;
        break;
      }
      ++line_no;
      if (line_no == kSampleLines && lines.consumed() > 0) {
        store_.reserve_applied(lines.mapped_size() * kSampleLines / lines.consumed());
      }
      if (csv && csv_header_.empty()) {
        csv_header_ = codec::split_csv_line(line);
        continue;
      }
      line = trim_line(line);
      if (line.empty()) continue;
      p.line_no = line_no;
      p.decoded = decode(line, p.op);
      if (p.decoded) {
        p.keys = keys_of(p.op);
        store_.prefetch_slot(p.keys.member);
        store_.prefetch_applied(p.keys.applied);
      }
      ++n;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (batch[i].decoded) store_.prefetch_record(batch[i].keys.member);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (batch[i].decoded) store_.prefetch(batch[i].keys.member);
    }
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = batch[i];
      process(p.line_no, p.op, p.decoded, p.keys, hook);
    }
  }
}

void Replayer::finish(Instant as_of) {
  store_.update_each_member([&](engine::MemberState& m) {
    if (!m.exists) return;
    engine::advance(*plan_, m, as_of, result_);
    if (!result_.rejection) return;
    ++summary_.refused_at_end;
    problem(fmt::format("as of {}: member \"{}\": the rules of what time raised refused: {} ({})",
                        format_instant(as_of), m.id, result_.rejection->message,
                        result_.rejection->code));
  });
}

std::string Replayer::member_state_json(const std::string& member, Instant as_of) const {
  std::optional<engine::MemberState> m = store_.find(member);
  if (!m || !m->exists) return "";
  return codec::member_json(*plan_, engine::view(*plan_, *m, as_of));
}

void Replayer::write_states(std::ostream& out, Instant as_of) const {
  std::string line;
  engine::MemberView view;  // reused, as the line is
  store_.for_each_member_sorted([&](const engine::MemberState& m) {
    if (!m.exists) return;
    line.clear();
    engine::view_into(*plan_, m, as_of, view);
    codec::append_member_json(line, *plan_, view);
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  });
}

void Replayer::save_snapshot(std::ostream& out) const {
  std::string header;
  codec::JsonWriter w(header);
  w.begin_object().key("merit_snapshot").integer(1).key("program_version").string(plan_->version);
  w.key("shared").raw(
      codec::shared_snapshot_json(const_cast<storage::MemoryStore&>(store_).shared()));
  w.end_object();
  out << header << '\n';
  store_.for_each_member_sorted([&](const engine::MemberState& m) {
    out << "{\"member\":" << codec::member_snapshot_json(m) << "}\n";
  });
  for (const auto& a : store_.applied()) {
    out << fmt::format("{{\"applied\":[\"{:016x}{:016x}\",{}]}}\n", a.h1, a.h2, a.digest);
  }
}

Result<void> Replayer::load_snapshot(std::istream& in) {
  std::string line;
  std::int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto fail = [&](const std::string& why) {
      return Error::invalid_argument(fmt::format("snapshot line {}: {}", n, why));
    };
    // Lines are {"merit_snapshot":..}, {"member":{..}} or {"applied":[id,digest]}.
    if (line.rfind("{\"member\":", 0) == 0) {
      auto m = codec::member_from_snapshot(std::string_view(line).substr(10, line.size() - 11));
      if (!m) return fail(m.error().message());
      if (m->tasks.size() != plan_->tasks.size() ||
          m->privileges.size() != plan_->privileges.size() ||
          m->rewards.size() != plan_->rewards.size() ||
          m->aggregates.size() != plan_->aggregates.size() ||
          m->attributes.size() != plan_->attributes.size()) {
        return fail("the member's state does not fit this program");
      }
      store_.put(*m);
    } else if (line.rfind("{\"applied\":[\"", 0) == 0) {
      // {"applied":["<32 hex digits: the id's two hashes>",<digest>]}
      if (line.size() < 13 + 32 + 3) return fail("malformed applied id");
      std::string hex = line.substr(13, 32);
      storage::MemoryStore::AppliedId a;
      char* end = nullptr;
      a.h1 = std::strtoull(hex.substr(0, 16).c_str(), &end, 16);
      a.h2 = static_cast<std::uint32_t>(std::strtoull(hex.substr(16).c_str(), &end, 16));
      a.digest = static_cast<std::uint32_t>(std::strtoull(line.c_str() + 13 + 32 + 2, &end, 10));
      if (line.compare(13 + 32, 2, "\",") != 0) return fail("malformed applied id");
      store_.remember(a);
    } else if (line.rfind("{\"merit_snapshot\":1,\"program_version\":", 0) == 0) {
      std::string want = "\"program_version\":\"" + plan_->version + "\"";
      if (line.find(want) == std::string::npos) {
        return fail("the snapshot was made under another program version; this program is " +
                    plan_->version);
      }
      auto pos = line.find("\"shared\":");
      if (pos == std::string::npos) return fail("no shared counters");
      auto shared = codec::shared_from_snapshot(
          std::string_view(line).substr(pos + 9, line.size() - pos - 10));
      if (!shared) return fail(shared.error().message());
      store_.set_shared(std::move(*shared));
    } else {
      return fail("not a Merit snapshot line");
    }
  }
  return ok();
}

std::string ledger_json(const engine::Plan& plan, const engine::Operation& op,
                        const engine::ApplyResult& result) {
  std::string out;
  codec::JsonWriter w(out);
  w.begin_object();
  w.key("op").string(op.id);
  w.key("member").string(op.member);
  w.key("time").string(format_instant(op.time));
  if (result.rejection) {
    w.key("refused").begin_object();
    w.key("code").string(result.rejection->code);
    w.key("message").string(result.rejection->message);
    w.end_object();
  } else {
    w.key("program_version").string(plan.version);
    w.key("effects").begin_array();
    for (const auto& e : result.effects) {
      std::string one;
      codec::append_effect_json(one, plan, e);
      w.raw(one);
    }
    w.end_array();
  }
  w.end_object();
  return out;
}

}  // namespace merit::replay
