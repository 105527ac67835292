// Fuzz target for the .merit parser (dsl/parse.cpp + dsl/grammar/): any bytes give diagnostics or
// a program, never a crash, a hang, an exception or a stack overflow; a program that parses prints
// to canonical text that parses to the same tree. The same bytes also go through the expression
// and statement fragment parsers that the YAML loader uses.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "dsl/parse.hpp"
#include "dsl/printer.hpp"
#include "dsl/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  using namespace merit::dsl;
  std::string text(reinterpret_cast<const char*>(data), size);
  ParseOutput out = parse_program(Source("fuzz.merit", text));
  if (out.program.has_value() == has_errors(out.diagnostics)) std::abort();  // parse.hpp's contract
  for (const Diagnostic& d : out.diagnostics) {
    if (d.loc.line == 0 || d.loc.col == 0 || d.message.empty()) std::abort();
  }
  ExprOutput e = parse_expression(Source("fuzz", text, ast::Loc{3, 7}));
  if (e.value.has_value() != e.diagnostics.empty()) std::abort();
  StmtOutput s = parse_statement(Source("fuzz", text));
  if (s.value.has_value() != s.diagnostics.empty()) std::abort();
  if (!out.program) return 0;
  std::string dsl = print_dsl(*out.program);
  ParseOutput again = parse_program(Source("again.merit", dsl));
  if (!again.program || !(*again.program == *out.program)) std::abort();
  return 0;
}
