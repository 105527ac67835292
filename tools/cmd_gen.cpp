// merit gen --members N --events N [--seed S] [--days D] [--program FILE] [--start DATE] [--out
// FILE] (INTERFACES.md §1): a synthetic, realistic member history as JSON Lines, in time order, for
// benchmarks and demos. The model is replay/generate.hpp's.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "replay/generate.hpp"
#include "replay/replay.hpp"
#include "tools/commands.hpp"

namespace merit::tools {

int cmd_gen(int argc, char** argv) {
  CLI::App app{
      "Write a synthetic, realistic member history (JSON Lines operations in time order) for a "
      "program: heavy-tailed activity and amounts, a weekly rhythm, sign-in streaks, refunds of "
      "earlier orders, ~1% repeated ids, redemptions, privilege uses and profile updates. The same "
      "arguments give the same bytes.",
      "merit gen"};
  replay::GenOptions options;
  std::string program, start_text = "2026-01-01", out_path;
  app.add_option("--members", options.members, "how many members (ids m-000001 ...)")->required();
  app.add_option("--events", options.events, "how many lines to write")->required();
  app.add_option("--seed", options.seed, "the seed (default 1)");
  app.add_option("--days", options.days, "the span in days (default 30)");
  app.add_option(
      "--program", program,
      "the program whose events, rewards, privileges and attributes to use (default: the "
      "example of LANGUAGE.md §4)");
  app.add_option("--start", start_text,
                 "the first day, YYYY-MM-DD in the program's zone (default 2026-01-01)");
  app.add_option("-o,--out", out_path, "write here instead of stdout");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto start = parse_date(start_text);
  if (!start) {
    std::fprintf(stderr, "merit gen: --start: \"%s\" is not a date like 2026-01-01\n",
                 start_text.c_str());
    return 2;
  }
  options.start = *start;
  if (auto valid = replay::validate(options); !valid) {
    std::fprintf(stderr, "merit gen: %s\n", valid.error().message().c_str());
    return 2;
  }
  std::shared_ptr<const engine::Plan> plan;
  if (program.empty()) {
    auto p = replay::default_program_plan();
    if (!p) {
      std::fprintf(stderr, "merit gen: %s\n", p.error().message().c_str());
      return 2;
    }
    plan = *p;
  } else {
    auto loaded = replay::load_program(program);
    if (!loaded) {
      std::fputs(loaded.error().message().c_str(), stderr);
      return 2;
    }
    plan = loaded->plan;
  }
  if (plan->declared_events == 0) {
    std::fprintf(stderr, "merit gen: %s declares no event types; nothing to generate\n",
                 program.c_str());
    return 2;
  }

  std::ios::sync_with_stdio(false);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "merit gen: cannot write %s\n", out_path.c_str());
      return 2;
    }
    out = &file;
  }
  auto written = replay::generate(*plan, options, *out);
  if (!written) {
    std::fprintf(stderr, "merit gen: %s\n", written.error().message().c_str());
    return 2;
  }
  return 0;
}

}  // namespace merit::tools
