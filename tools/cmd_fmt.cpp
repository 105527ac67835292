// merit fmt FILE [--to dsl|yaml] [--write] (INTERFACES.md §1): the canonical text of a program, in
// its own syntax or converted to the other one; --write replaces the file (or writes its twin).
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "dsl/printer.hpp"
#include "tools/commands.hpp"
#include "tools/program_file.hpp"

namespace merit::tools {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The file a conversion writes with --write: `x.merit` <-> `x.merit.yaml` (`x.merit.yml` too).
// Empty when the name does not say where the twin goes.
std::string twin_path(const std::string& path, Syntax to) {
  if (to == Syntax::kYaml) return ends_with(path, ".merit") ? path + ".yaml" : "";
  if (ends_with(path, ".merit.yaml")) return path.substr(0, path.size() - 5);
  if (ends_with(path, ".merit.yml")) return path.substr(0, path.size() - 4);
  return "";
}

}  // namespace

int cmd_fmt(int argc, char** argv) {
  CLI::App app{
      "Print a program canonically formatted, or converted to the other syntax.\n"
      "Exit: 0 ok, 2 bad usage, an unreadable file or a program with syntax errors.",
      "merit fmt"};
  std::string file;
  std::string to;
  bool write = false;
  app.add_option("FILE", file, "a .merit or .merit.yaml program")->required();
  app.add_option("--to", to, "the syntax to print: dsl or yaml (default: the file's own)")
      ->check(CLI::IsMember({"dsl", "yaml"}));
  app.add_flag("--write,-w", write,
               "replace FILE with its canonical text; with --to the other syntax, write the twin "
               "file instead (x.merit <-> x.merit.yaml) and keep FILE");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  ProgramFile in = read_program_file(file);
  if (!in.readable) {
    std::fprintf(stderr, "merit fmt: %s\n", in.error.c_str());
    return 2;
  }
  if (!in.parse.diagnostics.empty())
    std::fputs(render_all(in.parse.diagnostics, in).c_str(), stderr);
  if (!in.parse.program) return 2;

  Syntax out_syntax = to.empty() ? in.syntax : (to == "yaml" ? Syntax::kYaml : Syntax::kDsl);
  std::string text = out_syntax == Syntax::kYaml ? dsl::print_yaml(*in.parse.program)
                                                 : dsl::print_dsl(*in.parse.program);
  if (!write) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::string target = file;
  if (out_syntax != in.syntax) {
    target = twin_path(file, out_syntax);
    if (target.empty()) {
      std::fprintf(
          stderr,
          "merit fmt: --write with --to %s needs a file named x.merit or x.merit.yaml, so "
          "that the converted file's name is clear; print to stdout and redirect instead\n",
          to.c_str());
      return 2;
    }
  } else if (in.source && in.source->text() == text) {
    return 0;  // already canonical: leave the file (and its modification time) alone
  }
  if (std::string why = write_file_atomically(target, text); !why.empty()) {
    std::fprintf(stderr, "merit fmt: %s\n", why.c_str());
    return 2;
  }
  if (target != file) std::fprintf(stderr, "merit fmt: wrote %s\n", target.c_str());
  return 0;
}

}  // namespace merit::tools
