// merit explain --rules FILE --events EVENTS --member ID: every ledger entry of one member with the
// rule, task or campaign and the values that caused it.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "replay/explain.hpp"
#include "replay/replay.hpp"
#include "tools/commands.hpp"
#include "tools/program_file.hpp"

namespace merit::tools {

int cmd_explain(int argc, char** argv) {
  CLI::App app{
      "Replay a history and explain one member: every operation that touched them and "
      "every ledger entry it made, with its cause and the values behind it.",
      "merit explain"};
  std::string rules, events, member;
  app.add_option("--rules", rules, "the program (.merit or .merit.yaml)")->required();
  app.add_option("--events", events, "operations: JSON Lines or CSV; - for stdin")->required();
  app.add_option("--member", member, "the member's id")->required();
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
  std::ifstream file;
  std::istream* in = open_events("explain", events, file);
  if (in == nullptr) return 2;
  bool csv = is_csv_path(events);
  std::string text = replay::explain_member(loaded->plan, *in, csv, member);
  if (text.empty()) {
    std::fprintf(stderr, "merit explain: member %s does not appear in %s\n", member.c_str(),
                 events.c_str());
    return 1;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace merit::tools
