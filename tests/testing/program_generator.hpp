// A seeded generator of valid-looking Merit programs (syntax-valid, every construct, nested ifs,
// every expression kind, unicode display names, tricky strings), for the printer round-trip tests,
// the fuzzers' seed corpora and the parse/print benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dsl/ast.hpp"

namespace merit::testing {

struct GeneratorOptions {
  int max_if_depth = 3;    // nesting of `if` inside a body
  int max_expr_depth = 4;  // nesting of operators and calls inside one expression
  bool comments = true;    // `#` comments above declarations and at the end
  std::size_t rules = 0;   // 0: a random 0..5 rules; otherwise exactly this many
  std::size_t events = 0;  // 0: a random 1..4 event types; otherwise exactly this many
};

// A program whose every part is one the .merit grammar can write: print_dsl of it parses back to
// an equal tree. Semantically it need not check (names may not resolve). The same seed gives the
// same program on every platform (the generator does not use std distributions).
dsl::ast::Program generate_program(std::uint64_t seed, const GeneratorOptions& options = {});

}  // namespace merit::testing
