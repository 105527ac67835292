// merit graph FILE [--format dot|json|svg] [--out FILE] [--font NAME] (INTERFACES.md §1): the
// compiled evaluation graph of a program, as Graphviz DOT, JSON, or SVG drawn by Graphviz's `dot`.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "codec/graph_json.hpp"
#include "engine/plan/graph.hpp"
#include "replay/replay.hpp"
#include "tools/commands.hpp"

#include <sys/wait.h>
#include <unistd.h>

namespace merit::tools {

namespace {

// The full path of `name` on PATH, or empty.
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs `command` through the shell and returns its stdout; `status` gets the exit status (-1 when
// it could not run).
std::string run_capture(const std::string& command, int& status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) {
    status = -1;
    return out;
  }
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  status = rc == -1 ? -1 : (WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

// A font that has CJK glyphs, as fontconfig names it: "Noto Sans CJK SC" when installed, else the
// first Sans CJK family listed, else empty (Graphviz's default).
std::string pick_font() {
  if (find_on_path("fc-list").empty()) return "";
  int status = 0;
  std::string families = run_capture("fc-list :lang=zh family 2>/dev/null", status);
  if (status != 0) return "";
  std::vector<std::string> names;
  std::stringstream ss(families);
  std::string line;
  while (std::getline(ss, line)) {
    std::stringstream parts(line);  // "A,B" when a family has several names
    std::string name;
    while (std::getline(parts, name, ',')) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    if (n == "Noto Sans CJK SC") return n;
  }
  for (const auto& n : names) {
    if (n.find("Sans") != std::string::npos && n.find("Mono") == std::string::npos) return n;
  }
  return names.empty() ? "" : names.front();
}

}  // namespace

int cmd_graph(int argc, char** argv) {
  CLI::App app{
      "Draw the compiled evaluation graph of a program: events -> rules, tasks, campaigns -> "
      "points, growth -> levels -> pseudo-events -> rules on them; rewards and privileges; the "
      "aggregates, segments and attributes expressions read.",
      "merit graph"};
  std::string file, format = "dot", out_path, font;
  bool font_given = false;
  app.add_option("FILE", file, "the program (.merit or .merit.yaml)")->required();
  app.add_option("--format", format, "dot (default), json, or svg (needs Graphviz's `dot`)")
      ->check(CLI::IsMember({"dot", "json", "svg"}));
  app.add_option("-o,--out", out_path, "write here instead of stdout");
  auto* font_opt = app.add_option(
      "--font", font,
      "font for labels (default: a CJK font fontconfig knows, e.g. Noto Sans CJK SC)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  font_given = font_opt->count() > 0;

  std::string dot_path;
  if (format == "svg") {
    dot_path = find_on_path("dot");
    if (dot_path.empty()) {
      std::fputs(
          "merit graph: --format svg needs Graphviz's `dot` on PATH (Debian: apt-get install "
          "graphviz); "
          "--format dot or json work without it\n",
          stderr);
      return 2;
    }
  }
  auto loaded = replay::load_program(file);
  if (!loaded) {
    std::fputs(loaded.error().message().c_str(), stderr);
    return 2;
  }
  engine::Graph graph = engine::build_graph(*loaded->plan);

  std::string text;
  if (format == "json") {
    text = codec::graph_json(graph);
  } else {
    engine::DotOptions options;
    options.fontname = font_given ? font : pick_font();
    text = engine::to_dot(graph, options);
    if (format == "svg") {
      char tmpl[] = "/tmp/merit-graph-XXXXXX";
      int fd = mkstemp(tmpl);
      if (fd < 0) {
        std::fputs("merit graph: cannot create a temporary file for dot's input\n", stderr);
        return 2;
      }
      std::size_t written = 0;
      while (written < text.size()) {
        ssize_t n = write(fd, text.data() + written, text.size() - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
      }
      close(fd);
      int status = 0;
      std::string svg =
          written == text.size()
              ? run_capture(shell_quote(dot_path) + " -Tsvg " + shell_quote(tmpl), status)
              : std::string();
      unlink(tmpl);
      if (written != text.size() || status != 0 || svg.empty()) {
        std::fprintf(stderr, "merit graph: `dot -Tsvg` failed (exit %d)\n", status);
        return 2;
      }
      text = std::move(svg);
    }
  }

  if (out_path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 2;
  }
  std::ofstream out(out_path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "merit graph: cannot write %s\n", out_path.c_str());
    return 2;
  }
  return 0;
}

}  // namespace merit::tools
