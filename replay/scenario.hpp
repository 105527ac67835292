// Scenario tests beside the rules (`merit test`): a folder with a program (program.merit,
// program.merit.yaml, or a file `program` naming one relative to the folder), events.jsonl,
// expect.jsonl (one object per member naming only the keys that matter) and an optional `as_of`.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace merit::replay {

struct Mismatch {
  std::string member;
  std::string key;         // ".points.available"
  std::string expected;    // JSON text
  std::string actual;      // JSON text ("missing" when absent)
  std::string went_wrong;  // "after operation e7 (line 7)": the last operation that changed the key
};

struct ScenarioResult {
  std::string dir;
  bool passed = false;
  std::string error;  // the scenario could not run (no program, bad program...)
  std::vector<Mismatch> mismatches;
  std::int64_t operations = 0;
};

// Every scenario folder at or below each path (a folder holding events.jsonl and expect.jsonl),
// sorted.
std::vector<std::string> find_scenarios(const std::vector<std::string>& paths);

// Replays one scenario and compares the expected keys.
ScenarioResult run_scenario(const std::string& dir);

}  // namespace merit::replay
