// Reading, parsing and writing program files for merit fmt and merit check.
#include "tools/program_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace merit::tools {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Syntax syntax_of(const std::string& path) {
  return ends_with(path, ".yaml") || ends_with(path, ".yml") ? Syntax::kYaml : Syntax::kDsl;
}

ProgramFile read_program_file(const std::string& path) {
  ProgramFile f;
  f.path = path;
  f.syntax = syntax_of(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    f.error = "cannot read " + path + ": " + std::strerror(errno);
    return f;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    f.error = "cannot read " + path;
    return f;
  }
  f.readable = true;
  f.source.emplace(path, ss.str());
  f.parse =
      f.syntax == Syntax::kYaml ? dsl::load_yaml_program(*f.source) : dsl::parse_program(*f.source);
  return f;
}

std::string render_all(const std::vector<dsl::Diagnostic>& ds, const ProgramFile& file) {
  std::string out;
  for (const auto& d : ds) {
    std::string_view line;
    if (file.source && (d.file.empty() || d.file == file.path))
      line = file.source->line_text(d.loc.line);
    out += dsl::render(d, line);
    if (out.empty() || out.back() != '\n') out += '\n';
  }
  return out;
}

std::string write_file_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".merit-fmt.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + tmp + ": " + std::strerror(errno);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return "cannot write " + tmp;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return "cannot replace " + path + ": " + why;
  }
  return "";
}

std::istream* open_events(const std::string& command, const std::string& path,
                          std::ifstream& file) {
  if (path == "-") return &std::cin;
  file.open(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "merit %s: cannot read %s\n", command.c_str(), path.c_str());
    return nullptr;
  }
  return &file;
}

bool is_csv_path(const std::string& path) { return path.size() > 4 && path.ends_with(".csv"); }

}  // namespace merit::tools
