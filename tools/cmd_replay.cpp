// merit replay --rules FILE --events EVENTS [--out STATES] [--ledger LEDGER] [--as-of TIME]
// [--strict] (INTERFACES.md §1): apply a history to an in-memory store; write member states.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "replay/replay.hpp"
#include "tools/commands.hpp"
#include "tools/program_file.hpp"

#include <unistd.h>

namespace merit::tools {

int cmd_replay(int argc, char** argv) {
  CLI::App app{
      "Apply a member history (JSON Lines or CSV operations, in file order) to an in-memory "
      "store and write each member's state as JSON Lines, sorted by member id.",
      "merit replay"};
  std::string rules, events, out_path, ledger_path, as_of_text, state_path, save_state_path;
  bool strict = false, csv = false;
  app.add_option("--rules", rules, "the program (.merit or .merit.yaml)")->required();
  app.add_option("--events", events,
                 "operations: JSON Lines, or CSV with a header row; - for stdin")
      ->required();
  app.add_option("--out", out_path, "where to write the member states (default: stdout)");
  app.add_option("--ledger", ledger_path,
                 "write every operation's ledger entries here (JSON Lines)");
  app.add_option("--as-of", as_of_text,
                 "write states as of this time (default: the latest time in the input); expiries "
                 "and reviews due by then are carried out");
  app.add_option("--state", state_path,
                 "start from this snapshot (written by --save-state) instead of empty");
  app.add_option("--save-state", save_state_path,
                 "after the last operation, write a snapshot of every member's whole state here");
  app.add_flag(
      "--strict", strict,
      "exit 1 if any operation was refused, malformed or a mismatched duplicate, or a rule "
      "was refused when advancing to the as-of time");
  app.add_flag("--csv", csv, "read EVENTS as CSV (default: by the .csv extension)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto loaded = replay::load_program(rules);
  if (!loaded) {
    std::fputs(loaded.error().message().c_str(), stderr);
    return 2;
  }
  const engine::Plan& plan = *loaded->plan;
  std::optional<Instant> as_of;
  if (!as_of_text.empty()) {
    auto t = parse_instant(as_of_text, plan.zone);
    if (!t) {
      std::fprintf(stderr, "merit replay: --as-of: %s\n", t.error().message().c_str());
      return 2;
    }
    as_of = *t;
  }
  if (is_csv_path(events)) csv = true;
  // A regular file is mapped and read in place; stdin or anything else through a stream.
  std::unique_ptr<replay::LineSource> lines;
  std::ifstream file;
  if (events != "-") lines = replay::LineSource::map_file(events);
  if (lines == nullptr) {
    std::istream* in = open_events("replay", events, file);
    if (in == nullptr) return 2;
    lines = std::make_unique<replay::LineSource>(*in);
  }
  std::ofstream ledger;
  if (!ledger_path.empty()) {
    ledger.open(ledger_path, std::ios::binary);
    if (!ledger) {
      std::fprintf(stderr, "merit replay: cannot write %s\n", ledger_path.c_str());
      return 2;
    }
  }
  std::ios::sync_with_stdio(false);
  replay::Replayer replayer(loaded->plan);
  if (!state_path.empty()) {
    std::ifstream st(state_path, std::ios::binary);
    if (!st) {
      std::fprintf(stderr, "merit replay: cannot read %s\n", state_path.c_str());
      return 2;
    }
    auto loaded_state = replayer.load_snapshot(st);
    if (!loaded_state) {
      std::fprintf(stderr, "merit replay: %s: %s\n", state_path.c_str(),
                   loaded_state.error().message().c_str());
      return 2;
    }
  }
  bool progress = isatty(2) != 0;
  std::int64_t seen = 0;
  replayer.run(*lines, csv,
               [&](std::int64_t, const engine::Operation* op, const engine::ApplyResult* r) {
                 if (ledger.is_open() && op != nullptr && r != nullptr)
                   ledger << replay::ledger_json(plan, *op, *r) << '\n';
                 if (progress && (++seen % 1000000) == 0)
                   std::fprintf(stderr, "\r%lld operations", static_cast<long long>(seen));
               });
  if (progress && seen >= 1000000) std::fputc('\n', stderr);
  const auto& s = replayer.summary();
  if (!save_state_path.empty()) {
    // The snapshot is taken before --as-of advancing, so resuming continues the history exactly.
    std::ofstream snap(save_state_path, std::ios::binary);
    if (!snap) {
      std::fprintf(stderr, "merit replay: cannot write %s\n", save_state_path.c_str());
      return 2;
    }
    replayer.save_snapshot(snap);
  }
  Instant when = as_of ? *as_of : s.latest.value_or(Instant{});
  replayer.finish(when);
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (!out_path.empty()) {
    out_file.open(out_path, std::ios::binary);
    if (!out_file) {
      std::fprintf(stderr, "merit replay: cannot write %s\n", out_path.c_str());
      return 2;
    }
    out = &out_file;
  }
  replayer.write_states(*out, when);
  out->flush();
  for (const auto& p : s.problems) std::fprintf(stderr, "%s\n", p.c_str());
  std::fprintf(
      stderr,
      "replayed %lld operations: %lld applied, %lld duplicates (%lld with a different body), "
      "%lld refused, %lld malformed; %zu members\n",
      static_cast<long long>(s.operations), static_cast<long long>(s.applied),
      static_cast<long long>(s.duplicates), static_cast<long long>(s.mismatched_duplicates),
      static_cast<long long>(s.refused), static_cast<long long>(s.malformed),
      replayer.store().existing_members());
  if (s.refused_at_end > 0) {
    std::fprintf(stderr, "%lld members had a rule refused when advanced to the as-of time\n",
                 static_cast<long long>(s.refused_at_end));
  }
  int code = strict && (s.refused > 0 || s.malformed > 0 || s.mismatched_duplicates > 0 ||
                        s.refused_at_end > 0)
                 ? 1
                 : 0;
  // Everything is written; skip tearing down a million member states one by one.
  out->flush();
  if (out_file.is_open()) out_file.close();
  if (ledger.is_open()) ledger.close();
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace merit::tools
