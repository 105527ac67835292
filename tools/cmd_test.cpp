// merit test PATH... [--json]: run the scenario folders found under each path (program, events,
// expected states); print every mismatch with the member, the key, the expected and actual values
// and the operation after which the state went wrong; close with `N passed, N failed`.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "replay/scenario.hpp"
#include "tools/commands.hpp"

namespace merit::tools {

int cmd_test(int argc, char** argv) {
  CLI::App app{
      "Run scenario tests: every folder under PATH holding events.jsonl and expect.jsonl "
      "(with program.merit, program.merit.yaml or a `program` file naming one; optional "
      "as_of). Exit 1 on any failure.",
      "merit test"};
  std::vector<std::string> paths;
  bool json = false;
  app.add_option("PATH", paths, "scenario folders or folders holding them")->required();
  app.add_flag("--json", json, "print one JSON object with every scenario's result");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto dirs = replay::find_scenarios(paths);
  if (dirs.empty()) {
    std::fprintf(
        stderr,
        "merit test: no scenario folders (events.jsonl + expect.jsonl) under the given paths\n");
    return 2;
  }
  int passed = 0, failed = 0;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& d : dirs) {
    auto r = replay::run_scenario(d);
    if (r.passed)
      ++passed;
    else
      ++failed;
    if (json) {
      nlohmann::json j{{"scenario", d}, {"passed", r.passed}, {"operations", r.operations}};
      if (!r.error.empty()) j["error"] = r.error;
      nlohmann::json ms = nlohmann::json::array();
      for (const auto& m : r.mismatches) {
        ms.push_back({{"member", m.member},
                      {"key", m.key},
                      {"expected", nlohmann::json::parse(m.expected)},
                      {"actual", m.actual == "missing" ? nlohmann::json(nullptr)
                                                       : nlohmann::json::parse(m.actual)},
                      {"went_wrong", m.went_wrong}});
      }
      j["mismatches"] = ms;
      report.push_back(j);
      continue;
    }
    std::printf("%s %s\n", r.passed ? "ok  " : "FAIL", d.c_str());
    if (!r.error.empty()) std::printf("     %s\n", r.error.c_str());
    for (const auto& m : r.mismatches) {
      std::printf("     member %s %s: expected %s, got %s (%s)\n", m.member.c_str(), m.key.c_str(),
                  m.expected.c_str(), m.actual.c_str(), m.went_wrong.c_str());
    }
  }
  if (json) {
    std::cout << nlohmann::json{{"passed", passed}, {"failed", failed}, {"scenarios", report}}.dump(
                     2)
              << "\n";
  }
  // the closing count is what CI reads; with --json it goes to stderr so stdout stays one JSON
  // value
  std::fprintf(json ? stderr : stdout, "%d passed, %d failed\n", passed, failed);
  return failed > 0 ? 1 : 0;
}

}  // namespace merit::tools
