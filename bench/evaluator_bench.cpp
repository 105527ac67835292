// The evaluator bench (issue 3, "Speed"): engine::apply() per operation on one core, members in
// memory, operations pre-decoded, so what is timed is the evaluator alone.
//
//   evaluator_bench [--program FILE] [--members N] [--events N] [--seed S]
//                   [--events-file FILE.jsonl] [--unpacked | --big-bytes N] [google benchmark
//                   flags]
//
// Without --events-file: 1 million members and a synthetic history (bench/stream.hpp) of N
// operations a year. `apply/year1_from_empty` times the first year from empty states (every
// member joins during it); `apply/year2_steady` times a second year on the states the first left.
// Members live in a storage::MemberTable, packed between operations as the stores keep them (the
// member a few operations ahead is prefetched, as `merit replay` does); --unpacked keeps them in
// a plain std::vector<MemberState> instead. After each year, the bytes of state per member are
// reported: the packed size (or engine::state_bytes unpacked), median and mean over the members
// that exist, what the table holds in memory, and a breakdown by part on stderr. `table/get` and
// `codec/unpack_pack_hot` split what apply's figure spends outside the evaluator, and
// `table/touch` what memory alone costs through today's table; `table/flat/BYTES` what it would
// cost if each member were one fixed record read and written in place (see below).
//
// With --events-file: the operations of a JSON Lines file (INTERFACES.md §1), decoded before
// timing (duplicates by id dropped, as the store would), applied once, in file order; the total
// of the points awarded is reported (bench/peers compares it with the peers' totals).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <benchmark/benchmark.h>

#include "codec/member_pack.hpp"
#include "codec/operation_codec.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/model/award_records.hpp"
#include "engine/model/growth_records.hpp"
#include "engine/model/lot_records.hpp"
#include "replay/replay.hpp"
#include "storage/block_arena.hpp"
#include "storage/member_table.hpp"

#include "bench/stream.hpp"

#ifndef MERIT_BENCH_DIR
#define MERIT_BENCH_DIR "bench"
#endif

namespace merit::bench {
namespace {

struct Flags {
  std::string program = MERIT_BENCH_DIR "/programs/yanxuan.merit";
  std::uint32_t members = 1'000'000;
  std::uint64_t events = 10'000'000;  // per year
  std::uint64_t seed = 1;
  std::string events_file;
  bool packed = true;  // states in a storage::MemberTable, as the stores keep them; --unpacked:
                       // a plain std::vector<MemberState>
  std::uint32_t big_bytes = storage::MemberTable::kDefaultBigBytes;  // --big-bytes N
};

Flags g_flags;

// What apply() produced over a run: enough to see that the work was real.
struct Tally {
  std::uint64_t ops = 0, rejected = 0, effects = 0;
  std::int64_t points = 0;  // sum of kPoints amounts
  void add(const engine::ApplyResult& r) {
    ++ops;
    if (r.rejection) ++rejected;
    effects += r.effects.size();
    for (const auto& e : r.effects) {
      if (e.kind == engine::EffectKind::kPoints) points += e.amount;
    }
  }
};

// The members and shared counters of one program, and the generator that feeds them.
struct World {
  std::shared_ptr<const engine::Plan> plan;
  std::vector<engine::MemberState> members;     // unpacked mode
  std::unique_ptr<storage::MemberTable> table;  // --packed
  engine::SharedState shared;
  bool year1_done = false;

  explicit World(const Flags& f) {
    auto loaded = replay::load_program(f.program);
    if (!loaded) {
      std::fprintf(stderr, "evaluator_bench: %s\n", loaded.error().message().c_str());
      std::exit(2);
    }
    plan = loaded->plan;
    if (f.packed) {
      table = std::make_unique<storage::MemberTable>(*plan, f.big_bytes);
      for (std::uint32_t k = 0; k < f.members; ++k) table->add(member_id(k));
    } else {
      members.reserve(f.members);
      for (std::uint32_t k = 0; k < f.members; ++k)
        members.push_back(engine::new_member(*plan, member_id(k)));
    }
    shared = engine::new_shared(*plan);
  }
};

World& world() {
  static World w(g_flags);
  return w;
}

StreamOptions year_options(int year) {
  StreamOptions o;
  o.members = g_flags.members;
  o.events = g_flags.events;
  o.seed = g_flags.seed * 1000 + static_cast<std::uint64_t>(year);
  o.start = Instant{o.start.ms + (year - 1) * 365 * kMsPerDay};
  return o;
}

void report_state_bytes(benchmark::State& state, const World& w, const char* when);

// How many operations ahead the member's packed bytes, and before that its record, are fetched.
// 12 and 24 measured 6.8% faster than 8 and 16 in year 1 (medians of 4 rounds, 967 k -> 1,033 k
// events/s) and the same in year 2 (761 k -> 763 k); docs/performance.md.
constexpr std::size_t kBytesAhead = 12, kRecordAhead = 24;

// Applies one year of the stream; timed when `state` is given.
Tally run_year(World& w, int year, benchmark::State* state) {
  constexpr std::size_t kChunk = 1 << 18;
  StreamGenerator gen(*w.plan, year_options(year));
  std::vector<BenchOp> chunk;
  std::size_t pos = 0;
  engine::ApplyResult result;
  Tally tally;
  auto step = [&] {
    BenchOp& b = chunk[pos++];
    if (!w.table) {
      engine::apply(*w.plan, w.members[b.member], w.shared, b.op, result);
    } else {
      // As the store does: the member from the table (unpacked if it was not hot), the member a
      // few operations ahead fetched meanwhile (its record, then its bytes).
      if (pos + kRecordAhead < chunk.size())
        w.table->prefetch_record(chunk[pos + kRecordAhead].member);
      if (pos + kBytesAhead < chunk.size()) w.table->prefetch(chunk[pos + kBytesAhead].member);
      engine::apply(*w.plan, w.table->get(b.member), w.shared, b.op, result);
    }
    benchmark::DoNotOptimize(result.effects.data());
    tally.add(result);
  };
  if (state == nullptr) {
    while (gen.next(chunk, kChunk) > 0) {
      for (pos = 0; pos < chunk.size();) step();
    }
    return tally;
  }
  for (auto _ : *state) {
    if (pos == chunk.size()) {
      state->PauseTiming();
      gen.next(chunk, kChunk);
      pos = 0;
      state->ResumeTiming();
    }
    step();
  }
  return tally;
}

void set_tally(benchmark::State& state, const Tally& t) {
  state.SetItemsProcessed(static_cast<std::int64_t>(t.ops));
  state.counters["rejected"] = static_cast<double>(t.rejected);
  state.counters["effects_per_op"] =
      t.ops ? static_cast<double>(t.effects) / static_cast<double>(t.ops) : 0.0;
  state.counters["points"] = static_cast<double>(t.points);
}

void BM_YearFromEmpty(benchmark::State& state) {
  World& w = world();
  if (w.year1_done) {
    state.SkipWithError("year 1 was already applied in this process");
    return;
  }
  Tally t = run_year(w, 1, &state);
  w.year1_done = true;
  set_tally(state, t);
  report_state_bytes(state, w, "after year 1");
}

void BM_SecondYear(benchmark::State& state) {
  World& w = world();
  if (!w.year1_done) {
    run_year(w, 1, nullptr);
    w.year1_done = true;
  }
  Tally t = run_year(w, 2, &state);
  set_tally(state, t);
  report_state_bytes(state, w, "after year 2");
}

// ---- bytes of state ---------------------------------------------------------------------------

template <class T>
std::size_t block(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

void report_state_bytes(benchmark::State& state, const World& w, const char* when) {
  std::vector<std::size_t> bytes;
  bytes.reserve(w.members.size());
  // Where the bytes are (vector blocks only; strings inside them are in state_bytes' total).
  struct Part {
    const char* name;
    double sum = 0;
  };
  Part parts[] = {{"sizeof(MemberState)"},
                  {"lots"},
                  {"closed_lots"},
                  {"awards (+keys, lot lists)"},
                  {"growth_window"},
                  {"tasks (+windows)"},
                  {"privileges"},
                  {"rewards"},
                  {"aggregates (+windows)"},
                  {"attributes"},
                  {"tags"}};
  std::size_t awards_total = 0, lots_total = 0, window_total = 0;
  // Packed: the state is the packed record; the breakdown below is of the unpacked form.
  std::vector<std::size_t> unpacked_bytes;
  engine::MemberState scratch;
  std::size_t count = w.table ? w.table->size() : w.members.size();
  for (std::uint32_t k = 0; k < count; ++k) {
    // Packed: a copy of the unpacked state, so that vector capacities are its own (the scratch
    // peek() fills keeps the capacities of the largest member before it).
    engine::MemberState copy;
    if (w.table) copy = w.table->peek(k, scratch);
    const engine::MemberState& m = w.table ? copy : w.members[k];
    if (!m.exists) continue;
    bytes.push_back(w.table ? w.table->packed_size(k) : engine::state_bytes(m));
    if (w.table) unpacked_bytes.push_back(engine::state_bytes(m));
    std::size_t awards = block(m.awards) + m.awards_packed.capacity();
    for (const auto& a : m.awards)
      awards += a.lots.size() > 2 ? a.lots.size() * sizeof(engine::LotList::value_type) : 0;
    std::size_t tasks = block(m.tasks);
    for (const auto& t : m.tasks) tasks += block(t.window);
    std::size_t aggs = block(m.aggregates);
    for (const auto& a : m.aggregates) aggs += block(a.window);
    double v[] = {static_cast<double>(sizeof(engine::MemberState)),
                  static_cast<double>(block(m.lots) + m.lots_packed.capacity()),
                  static_cast<double>(block(m.closed_lots)),
                  static_cast<double>(awards),
                  static_cast<double>(block(m.growth_window) + m.growth_packed.capacity()),
                  static_cast<double>(tasks),
                  static_cast<double>(block(m.privileges)),
                  static_cast<double>(block(m.rewards)),
                  static_cast<double>(aggs),
                  static_cast<double>(block(m.attributes)),
                  static_cast<double>(block(m.tags))};
    for (std::size_t i = 0; i < std::size(parts); ++i) parts[i].sum += v[i];
    awards_total += engine::award_count(m);
    lots_total += engine::lot_count(m);
    window_total += engine::growth_count(m);
  }
  if (bytes.empty()) return;
  double n = static_cast<double>(bytes.size());
  double mean = 0;
  for (auto b : bytes) mean += static_cast<double>(b);
  mean /= n;
  std::sort(bytes.begin(), bytes.end());
  std::size_t median = bytes[bytes.size() / 2];
  state.counters["state_bytes_median"] = static_cast<double>(median);
  state.counters["state_bytes_mean"] = mean;
  state.counters["members"] = n;
  std::fprintf(stderr,
               "\nstate bytes per member %s (%zu members%s): median %zu, mean %.0f, p90 %zu, p99 "
               "%zu, max %zu\n",
               when, bytes.size(), w.table ? ", packed" : "", median, mean,
               bytes[bytes.size() * 9 / 10], bytes[bytes.size() * 99 / 100], bytes.back());
  if (!unpacked_bytes.empty()) {
    std::sort(unpacked_bytes.begin(), unpacked_bytes.end());
    std::fprintf(stderr, "  the same members unpacked (engine::state_bytes): median %zu\n",
                 unpacked_bytes[unpacked_bytes.size() / 2]);
    // What the table holds in memory, per member: records, packed blocks, unpacked big members.
    storage::MemberTable::Footprint f = w.table->footprint();
    double all = static_cast<double>(w.table->size());
    std::fprintf(stderr,
                 "  held per member: %.0f bytes (records %.0f, packed blocks %.0f of which spare "
                 "%.0f, unpacked %.0f: %zu big members, %.2f%%)\n",
                 static_cast<double>(f.records + f.packed + f.unpacked) / all,
                 static_cast<double>(f.records) / all, static_cast<double>(f.packed) / all,
                 static_cast<double>(f.spare) / all, static_cast<double>(f.unpacked) / all,
                 w.table->big_members(), 100.0 * static_cast<double>(w.table->big_members()) / all);
    state.counters["held_bytes_per_member"] =
        static_cast<double>(f.records + f.packed + f.unpacked) / all;
  }
  std::fprintf(stderr, "  mean per member: lots %.1f, awards %.1f, growth entries %.1f\n",
               static_cast<double>(lots_total) / n, static_cast<double>(awards_total) / n,
               static_cast<double>(window_total) / n);
  for (const auto& p : parts) std::fprintf(stderr, "  %-28s mean %8.1f bytes\n", p.name, p.sum / n);
}

// ---- the member table alone ------------------------------------------------------------------

// What the apply benchmarks spend outside the evaluator: the year-2 stream's members fetched from
// the table as run_year does (prefetches included), each unpacked and the one before packed back,
// with no operation applied (`table/get`, on the states the benchmarks run before it left: year
// 1's when it is run alone, --benchmark_filter=table; it changes none); and unpacking
// and packing alone, the first 256 members of that stream again and again, all in cache
// (`codec/unpack_pack_hot`: the codec's compute without memory; unpacked as get() does, the rarely
// used part and the tasks left closed). Members the table keeps unpacked (packed size over
// --big-bytes) are left out of the second, as get() does not pack them.
std::vector<std::uint32_t> g_order;

void load_year2_order() {
  if (!g_order.empty()) return;
  World& w = world();
  if (!w.year1_done) {
    run_year(w, 1, nullptr);
    w.year1_done = true;
  }
  StreamGenerator gen(*w.plan, year_options(2));
  std::vector<BenchOp> chunk;
  while (gen.next(chunk, 1 << 18) > 0) {
    for (const auto& b : chunk) g_order.push_back(b.member);
  }
}

// Walks the year-2 stream's members through the table with run_year's prefetches, calling
// visit(index) for each.
template <class Visit>
void walk_table(benchmark::State& state, Visit visit) {
  load_year2_order();
  World& w = world();
  if (!w.table) {
    state.SkipWithError("--unpacked has no member table");
    return;
  }
  std::size_t pos = 0;
  for (auto _ : state) {
    if (pos + kRecordAhead < g_order.size()) w.table->prefetch_record(g_order[pos + kRecordAhead]);
    if (pos + kBytesAhead < g_order.size()) w.table->prefetch(g_order[pos + kBytesAhead]);
    visit(*w.table, g_order[pos++ % g_order.size()]);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_TableGet(benchmark::State& state) {
  walk_table(state, [](storage::MemberTable& table, std::uint32_t index) {
    engine::MemberState& m = table.get(index);
    benchmark::DoNotOptimize(&m);
  });
}

// The same walk reading every byte of each member's packed state, not unpacking it: what memory
// alone costs for states of this size through the table's records, their blocks fetched ahead by
// their first line only (`table/touch`).
void BM_TableTouch(benchmark::State& state) {
  std::uint64_t sum = 0;
  walk_table(state, [&](storage::MemberTable& table, std::uint32_t index) {
    for (char c : table.packed_bytes(index)) sum += static_cast<unsigned char>(c);
    benchmark::DoNotOptimize(sum);
  });
}

// The floor of the other layout, states kept in place: every member a fixed record of
// state.range(0) bytes in one flat array (huge pages), the same year-2 walk, each record fetched
// kBytesAhead members ahead (every cache line of it: no record to read first, its address is
// known), each of its 8-byte words read and one in every line written, as an evaluator working on
// the record itself would, with no decoding or encoding at all (`table/flat/BYTES`). What memory
// alone would cost per operation if the median state lived where it is used (docs/performance.md).
void BM_TableFlat(benchmark::State& state) {
  load_year2_order();
  const std::size_t record = static_cast<std::size_t>(state.range(0));
  const std::size_t words = record / sizeof(std::uint64_t);
  constexpr std::size_t kLine = 64;  // bytes in a cache line
  storage::HugeVector<std::uint64_t> flat(std::size_t{g_flags.members} * words, 1);
  auto at = [&](std::uint32_t m) { return flat.data() + std::size_t{m} * words; };
  std::size_t pos = 0;
  for (auto _ : state) {
    if (pos + kBytesAhead < g_order.size()) {
      const char* ahead = reinterpret_cast<const char*>(at(g_order[pos + kBytesAhead]));
      for (std::size_t line = 0; line < record; line += kLine) __builtin_prefetch(ahead + line, 1);
    }
    std::uint64_t* r = at(g_order[pos++ % g_order.size()]);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < words; ++i) sum += r[i];
    // A word of every cache line written back: each line dirty, as changing the state in place
    // could leave it (the most it could cost to write back).
    for (std::size_t i = 0; i < words; i += kLine / sizeof(std::uint64_t)) r[i] = sum + i;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["record_bytes"] = static_cast<double>(record);
}

void BM_CodecHot(benchmark::State& state) {
  load_year2_order();
  World& w = world();
  std::vector<std::string> hot;
  engine::MemberState scratch;
  for (std::size_t k = 0; k < g_order.size() && hot.size() < 256; ++k) {
    const engine::MemberState& m =
        w.table ? w.table->peek(g_order[k], scratch) : w.members[g_order[k]];
    std::string bytes;
    codec::pack_member(m, bytes);
    if (bytes.size() <= g_flags.big_bytes) hot.push_back(std::move(bytes));
  }
  engine::MemberState m;
  std::string out;
  std::size_t pos = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = hot[pos++ % hot.size()];
    if (!codec::unpack_member(in, m, true)) state.SkipWithError("unpack failed");
    codec::pack_member(m, out);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// ---- a JSON Lines file ------------------------------------------------------------------------

struct FileOps {
  std::shared_ptr<const engine::Plan> plan;
  std::vector<BenchOp> ops;
  std::uint32_t members = 0;
  std::uint64_t duplicates = 0, unreadable = 0;
};

FileOps load_file(const Flags& f) {
  FileOps out;
  auto loaded = replay::load_program(f.program);
  if (!loaded) {
    std::fprintf(stderr, "evaluator_bench: %s\n", loaded.error().message().c_str());
    std::exit(2);
  }
  out.plan = loaded->plan;
  std::ifstream in(f.events_file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "evaluator_bench: cannot read %s\n", f.events_file.c_str());
    std::exit(2);
  }
  codec::OperationDecoder decoder(*out.plan);
  std::unordered_map<std::string, std::uint32_t> member_index;
  std::unordered_set<std::string> ids;
  std::string line;
  BenchOp b;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!decoder.decode(line, b.op)) {
      ++out.unreadable;
      continue;
    }
    if (!ids.insert(b.op.id).second) {
      ++out.duplicates;
      continue;
    }
    auto [it, added] =
        member_index.try_emplace(b.op.member, static_cast<std::uint32_t>(member_index.size()));
    b.member = it->second;
    out.ops.push_back(b);
  }
  out.members = static_cast<std::uint32_t>(member_index.size());
  std::fprintf(stderr, "%s: %zu operations, %u members, %llu duplicates dropped, %llu unreadable\n",
               f.events_file.c_str(), out.ops.size(), out.members,
               static_cast<unsigned long long>(out.duplicates),
               static_cast<unsigned long long>(out.unreadable));
  return out;
}

FileOps g_file;

void BM_File(benchmark::State& state) {
  const FileOps& file = g_file;
  std::vector<engine::MemberState> members;
  members.reserve(file.members);
  std::vector<std::string> names(file.members);
  for (const auto& b : file.ops) names[b.member] = b.op.member;
  for (auto& n : names) members.push_back(engine::new_member(*file.plan, std::move(n)));
  engine::SharedState shared = engine::new_shared(*file.plan);
  engine::ApplyResult result;
  Tally tally;
  std::size_t pos = 0;
  for (auto _ : state) {
    const BenchOp& b = file.ops[pos++];
    engine::apply(*file.plan, members[b.member], shared, b.op, result);
    benchmark::DoNotOptimize(result.effects.data());
    tally.add(result);
  }
  set_tally(state, tally);
  std::fprintf(stderr, "merit total points: %lld over %llu operations (%llu refused)\n",
               static_cast<long long>(tally.points), static_cast<unsigned long long>(tally.ops),
               static_cast<unsigned long long>(tally.rejected));
}

// Takes our flags out of argv, leaving Google Benchmark's.
void parse_flags(int& argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      std::string prefix = std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) return argv[i] + prefix.size();
      if (a == name && i + 1 < argc) return argv[++i];
      return nullptr;
    };
    if (const char* v = value("--program"))
      g_flags.program = v;
    else if (const char* v2 = value("--members"))
      g_flags.members = static_cast<std::uint32_t>(std::stoul(v2));
    else if (const char* v3 = value("--events"))
      g_flags.events = std::stoull(v3);
    else if (const char* v4 = value("--seed"))
      g_flags.seed = std::stoull(v4);
    else if (const char* v5 = value("--events-file"))
      g_flags.events_file = v5;
    else if (a == "--packed")
      g_flags.packed = true;
    else if (a == "--unpacked")
      g_flags.packed = false;
    else if (const char* v6 = value("--big-bytes"))
      g_flags.big_bytes = static_cast<std::uint32_t>(std::stoul(v6));
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
}

}  // namespace
}  // namespace merit::bench

int main(int argc, char** argv) {
  using namespace merit::bench;
  parse_flags(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!g_flags.events_file.empty()) {
    // One pass over the file: the iteration count is its number of operations.
    g_file = load_file(g_flags);
    benchmark::RegisterBenchmark("apply/file", BM_File)
        ->Iterations(static_cast<benchmark::IterationCount>(g_file.ops.size()))
        ->Unit(benchmark::kMillisecond);
  } else {
    auto n = static_cast<benchmark::IterationCount>(g_flags.events);
    benchmark::RegisterBenchmark("apply/year1_from_empty", BM_YearFromEmpty)
        ->Iterations(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("apply/year2_steady", BM_SecondYear)
        ->Iterations(n)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("table/get", BM_TableGet)->Iterations(n);
    benchmark::RegisterBenchmark("table/touch", BM_TableTouch)->Iterations(n);
    benchmark::RegisterBenchmark("table/flat", BM_TableFlat)
        ->Iterations(n)
        ->Arg(256)
        ->Arg(320)
        ->Arg(512)
        ->Arg(1024);
    benchmark::RegisterBenchmark("codec/unpack_pack_hot", BM_CodecHot)->Iterations(n);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
