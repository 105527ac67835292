// Reading a program file for the subcommands: the bytes, which syntax they are in, the parse, and
// diagnostics rendered with their source lines. Shared by merit fmt and merit check.
#pragma once

#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostics.hpp"
#include "dsl/parse.hpp"
#include "dsl/source.hpp"

namespace merit::tools {

enum class Syntax { kDsl, kYaml };

// The syntax a path names: `.yaml` / `.yml` is the YAML twin, anything else is `.merit`.
Syntax syntax_of(const std::string& path);

struct ProgramFile {
  std::string path;
  bool readable = false;  // false: the file could not be read (parse is empty)
  std::string error;      // why it could not be read
  Syntax syntax = Syntax::kDsl;
  std::optional<dsl::Source> source;  // present when readable
  dsl::ParseOutput parse;             // the program and every diagnostic of parsing
};

// Reads and parses `path` by its syntax. Never throws for a missing or unreadable file: it comes
// back with readable == false and `error` naming the path and the reason.
ProgramFile read_program_file(const std::string& path);

// Every diagnostic rendered as dsl::render does, with the line of `file` it points at (for a
// diagnostic about another file, or outside the text, no source line). Ends with a newline.
std::string render_all(const std::vector<dsl::Diagnostic>& ds, const ProgramFile& file);

// Writes `text` to `path` atomically (a temporary beside it, then rename). Empty on success, else
// the reason.
std::string write_file_atomically(const std::string& path, const std::string& text);

// The operations a subcommand reads: stdin for "-", else `path` opened into `file`. Null (after
// printing "merit <command>: cannot read <path>" to stderr) when the file cannot be read.
std::istream* open_events(const std::string& command, const std::string& path, std::ifstream& file);

// Whether EVENTS is CSV by its name (`.csv`); JSON Lines otherwise.
bool is_csv_path(const std::string& path);

}  // namespace merit::tools
