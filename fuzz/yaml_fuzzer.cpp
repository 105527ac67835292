// Fuzz target for the YAML twin's loader: any bytes give diagnostics or a program, never a crash,
// a hang or an exception; a program that loads prints to YAML that loads to the same .merit text.
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
  ParseOutput out = load_yaml_program(Source("fuzz.merit.yaml", text));
  if (out.program.has_value() == has_errors(out.diagnostics)) std::abort();  // parse.hpp's contract
  if (!out.program) return 0;
  std::string dsl = print_dsl(*out.program);
  ParseOutput again = load_yaml_program(Source("again.merit.yaml", print_yaml(*out.program)));
  if (!again.program || print_dsl(*again.program) != dsl) std::abort();
  return 0;
}
