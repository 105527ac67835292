// Canonical text of a program: `.merit` (one statement per line, two-space indent, no `;`) and the
// YAML twin (LANGUAGE.md §6). print_dsl(parse(print_dsl(p))) == print_dsl(p) for every program p,
// and print_dsl(load_yaml(print_yaml(p))) == print_dsl(p).
#pragma once

#include <string>

#include "dsl/ast.hpp"

namespace merit::dsl {

std::string print_dsl(const ast::Program& program);
std::string print_yaml(const ast::Program& program);

// The canonical text of one expression / statement / clause, as the printers write them (also used
// by the checker's messages and the graph's labels).
std::string print_expression(const ast::Expr& e);
std::string print_duration(const ast::Duration& d);

}  // namespace merit::dsl
