// merit check FILE... [--json] [--strict] (INTERFACES.md §1): parse (and check) every program and
// print every diagnostic. Exit 0 clean, 1 an error (or a warning with --strict), 2 bad usage or an
// unreadable file.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "dsl/diagnostics.hpp"
#include "engine/check/checker.hpp"
#include "tools/commands.hpp"
#include "tools/program_file.hpp"

namespace merit::tools {

namespace {

const char* severity_name(dsl::Severity s) {
  switch (s) {
    case dsl::Severity::kError:
      return "error";
    case dsl::Severity::kWarning:
      return "warning";
    case dsl::Severity::kNote:
      return "note";
  }
  return "error";
}

nlohmann::json to_json(const dsl::Diagnostic& d, const std::string& file) {
  return nlohmann::json{
      {"file", d.file.empty() ? file : d.file},
      {"line", d.loc.line},
      {"column", d.loc.col},
      {"severity", severity_name(d.severity)},
      {"code", d.code},
      {"message", d.message},
      {"suggestion", d.suggestion ? nlohmann::json(*d.suggestion) : nlohmann::json(nullptr)},
  };
}

}  // namespace

int cmd_check(int argc, char** argv) {
  CLI::App app{
      "Parse and check programs (.merit or .merit.yaml); print every diagnostic.\n"
      "Exit: 0 clean, 1 an error (or a warning with --strict), 2 bad usage or an "
      "unreadable file.",
      "merit check"};
  std::vector<std::string> files;
  bool json = false;
  bool strict = false;
  app.add_option("FILE", files, "programs to check")->required();
  app.add_flag("--json", json,
               "print the diagnostics as one JSON array of {file, line, column, severity, code, "
               "message, suggestion} on stdout");
  app.add_flag("--strict", strict, "warnings fail the check too");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  nlohmann::json all = nlohmann::json::array();
  bool unreadable = false;
  std::size_t errors = 0, warnings = 0;
  for (const auto& path : files) {
    ProgramFile f = read_program_file(path);
    std::vector<dsl::Diagnostic> ds;
    if (!f.readable) {
      unreadable = true;
      dsl::Diagnostic d;
      d.file = path;
      d.loc = {0, 0};
      d.code = "unreadable";
      d.message = f.error;
      ds.push_back(std::move(d));
    } else {
      ds = f.parse.diagnostics;
      // The semantic checker runs on a program that parsed (LANGUAGE.md §7: every error in one
      // run).
      if (f.parse.program) {
        auto more = engine::check_program(*f.parse.program);
        ds.insert(ds.end(), more.begin(), more.end());
      }
    }
    for (const auto& d : ds) {
      if (d.severity == dsl::Severity::kError) ++errors;
      if (d.severity == dsl::Severity::kWarning) ++warnings;
    }
    if (json) {
      for (const auto& d : ds) all.push_back(to_json(d, path));
    } else if (!f.readable) {
      std::fprintf(stderr, "merit check: %s\n", f.error.c_str());
    } else {
      std::fputs(render_all(ds, f).c_str(), stderr);
    }
  }
  if (json) {
    std::string text = all.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (errors + warnings > 0) {
    std::fprintf(stderr, "%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s");
  }
  if (unreadable) return 2;
  if (errors > 0 || (strict && warnings > 0)) return 1;
  return 0;
}

}  // namespace merit::tools
