// merit: the command-line tool (INTERFACES.md §1). This file is only the subcommand table; each
// subcommand lives in its own cmd_<name>.cpp and calls a library function.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>

#include "tools/commands.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(int argc, char** argv);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"check", merit::tools::cmd_check, "parse and check programs; print every diagnostic"},
    {"fmt", merit::tools::cmd_fmt, "print a program canonically, or converted to the other syntax"},
    {"graph", merit::tools::cmd_graph, "draw the compiled evaluation graph (dot, json, svg)"},
    {"replay", merit::tools::cmd_replay, "apply a history of operations; write member states"},
    {"explain", merit::tools::cmd_explain, "every ledger entry of one member with its cause"},
    {"gen", merit::tools::cmd_gen, "synthetic, realistic event streams (JSON Lines)"},
    {"test", merit::tools::cmd_test, "run scenario folders (program, events, expected states)"},
};

void usage(std::FILE* out) {
  std::fputs("usage: merit <command> [options]   (merit <command> --help for its options)\n\n",
             out);
  for (const auto& c : kCommands) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (name == c.name) {
      try {
        return c.run(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "merit %s: %s\n", c.name, e.what());
        return 2;
      }
    }
  }
  std::fprintf(stderr, "merit: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
