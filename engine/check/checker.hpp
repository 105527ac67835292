// The semantic checker: takes a parsed program (dsl/ast.hpp) and reports every problem the parser
// cannot see — unknown names, wrong types, a broken level ladder, loops among pseudo-event rules —
// and the warnings of LANGUAGE.md §7. The decisions it makes where the spec is silent are listed in
// docs/language.md ("Checking").
#pragma once

#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostics.hpp"

namespace merit::engine {

// Checks a parsed program: names, types, the level ladder, cycles among pseudo-event rules, and
// the warnings of LANGUAGE.md §7. Returns every diagnostic (errors and warnings), in file order
// (line, then column; program-wide problems with no position first). Every diagnostic has
// file = program.file, the position of the offending node, a plain-words message, a stable `code`
// ("unknown-event", "unknown-field", "type-mismatch", "ladder", "cycle", "never-fires", ...) and,
// for an unknown name with a near known one, `suggestion` (the name only).
// The program is valid when dsl::has_errors() is false for the result. Never throws on any tree;
// deterministic (the same tree gives the same diagnostics in the same order). Thread-safe: it
// reads only its argument.
std::vector<dsl::Diagnostic> check_program(const dsl::ast::Program& program);

}  // namespace merit::engine
