// Problems found in a user's program (LANGUAGE.md §7): collected, never thrown, rendered as
// `file:line:col: error: ...` with the source line and a caret, or as JSON objects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.hpp"

namespace merit::dsl {

enum class Severity : std::uint8_t { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  ast::Loc loc;                           // 1-based line and column (code points)
  std::string message;                    // plain words: what is wrong or what was expected
  std::optional<std::string> suggestion;  // "did you mean `amount`?" text: the suggested name only
  std::string code;  // a short stable id for tools: "syntax", "unknown-name", ...
};

// Renders one diagnostic the way a terminal user reads it:
//   program.merit:12:24: error: unknown field `amout` of event `purchase`; did you mean `amount`?
//     points += event.amout * 2
//                     ^
// `source_line` is the text of the line (empty: no source line shown).
std::string render(const Diagnostic& d, std::string_view source_line);

// True when any diagnostic is an error (not a warning or note).
bool has_errors(const std::vector<Diagnostic>& ds);

}  // namespace merit::dsl
