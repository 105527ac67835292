// Running scenario folders: replay, compare expected keys, and find where a member went wrong.
#include "replay/scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "replay/replay.hpp"

namespace merit::replay {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

// Compares `want` against `got` key by key (objects recursively, lists and scalars exactly), as
// the conformance runner does. Numbers compare by value (1 == 1.0).
void subset(const json& want, const json* got, const std::string& path, const std::string& member,
            std::vector<Mismatch>& out) {
  if (want.is_object()) {
    if (got == nullptr || !got->is_object()) {
      out.push_back(
          {member, path.empty() ? "." : path, want.dump(), got ? got->dump() : "missing", ""});
      return;
    }
    for (auto it = want.begin(); it != want.end(); ++it) {
      auto g = got->find(it.key());
      subset(it.value(), g == got->end() ? nullptr : &*g, path + "." + it.key(), member, out);
    }
    return;
  }
  if (got == nullptr || want != *got) {
    out.push_back({member, path, want.dump(), got ? got->dump() : "missing", ""});
  }
}

const json* at_path(const json& j, const std::string& path) {
  const json* cur = &j;
  std::size_t i = 1;
  while (i < path.size()) {
    std::size_t dot = path.find('.', i);
    std::string k = path.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) break;
    i = dot + 1;
  }
  return cur;
}

}  // namespace

std::vector<std::string> find_scenarios(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  auto is_scenario = [](const fs::path& d) {
    return fs::exists(d / "events.jsonl") && fs::exists(d / "expect.jsonl");
  };
  for (const auto& p : paths) {
    fs::path root(p);
    if (!fs::is_directory(root)) continue;
    if (is_scenario(root)) out.push_back(root.string());
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
         ++it) {
      if (it->is_directory() && is_scenario(it->path())) out.push_back(it->path().string());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ScenarioResult run_scenario(const std::string& dir_text) {
  ScenarioResult r;
  r.dir = dir_text;
  fs::path dir(dir_text);
  fs::path program;
  for (const char* n : {"program.merit", "program.merit.yaml"}) {
    if (fs::exists(dir / n)) {
      program = dir / n;
      break;
    }
  }
  if (program.empty() && fs::exists(dir / "program")) program = dir / trim(slurp(dir / "program"));
  if (program.empty()) {
    r.error = "no program.merit, program.merit.yaml or `program` file";
    return r;
  }
  auto loaded = load_program(program.string());
  if (!loaded) {
    r.error = loaded.error().message();
    return r;
  }
  const auto& plan = *loaded->plan;

  // Expected states by member.
  std::map<std::string, json> expected;
  {
    std::ifstream in(dir / "expect.jsonl");
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (trim(line).empty()) continue;
      try {
        json j = json::parse(line);
        std::string member = j.at("member").get<std::string>();
        expected[member] = std::move(j);
      } catch (const std::exception& e) {
        r.error = fmt::format("expect.jsonl line {}: {}", n, e.what());
        return r;
      }
    }
  }
  std::optional<Instant> as_of;
  if (fs::exists(dir / "as_of")) {
    auto t = parse_instant(trim(slurp(dir / "as_of")), plan.zone);
    if (!t) {
      r.error = "as_of: " + t.error().message();
      return r;
    }
    as_of = *t;
  }

  // Replay, keeping each expected member's state after each of their operations, so a mismatch
  // can name the operation after which the key last changed.
  Replayer replayer(loaded->plan);
  struct Step {
    std::string op;
    std::int64_t line;
    json state;
  };
  std::map<std::string, std::vector<Step>> steps;
  std::ifstream events(dir / "events.jsonl");
  replayer.run(
      events, false,
      [&](std::int64_t line, const engine::Operation* op, const engine::ApplyResult* res) {
        if (op == nullptr || res == nullptr || res->rejection || !expected.count(op->member))
          return;
        std::string s = replayer.member_state_json(op->member, op->time);
        if (!s.empty()) steps[op->member].push_back({op->id, line, json::parse(s)});
      });
  r.operations = replayer.summary().operations;
  Instant when = as_of ? *as_of : replayer.summary().latest.value_or(Instant{});
  replayer.finish(when);

  for (const auto& [member, want] : expected) {
    std::string s = replayer.member_state_json(member, when);
    json got = s.empty() ? json() : json::parse(s);
    std::vector<Mismatch> ms;
    subset(want, s.empty() ? nullptr : &got, "", member, ms);
    for (auto& m : ms) {
      if (m.key == ".member") continue;
      const auto& history = steps[member];
      const json* last = at_path(got, m.key);
      // the operation after which the key took its final (wrong) value and kept it
      auto same = [&](const json* a) { return (a && last && *a == *last) || (!a && !last); };
      if (s.empty()) {
        m.went_wrong = "the member was never created";
      } else if (history.empty() || !same(at_path(history.back().state, m.key))) {
        m.went_wrong = "at the as-of time (expiry or a review)";
      } else {
        std::size_t i = history.size() - 1;
        while (i > 0 && same(at_path(history[i - 1].state, m.key))) --i;
        m.went_wrong = fmt::format("after operation {} (line {})", history[i].op, history[i].line);
      }
      r.mismatches.push_back(std::move(m));
    }
  }
  r.passed = r.mismatches.empty();
  return r;
}

}  // namespace merit::replay
