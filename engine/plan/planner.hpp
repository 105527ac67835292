// The planner: a checked ast::Program -> Plan. Resolves every name to an index, lowers expressions
// to flat op vectors, and works out which per-member aggregates the program reads.
#pragma once

#include <memory>

#include "common/result.hpp"
#include "dsl/ast.hpp"
#include "engine/plan/plan.hpp"

namespace merit::engine {

// Builds the plan of a program that check_program() found free of errors. `version` names it in
// ledger entries ("<program id>@<hash>"). Fails with kInvalidArgument naming the declaration when
// the program uses something the checker should have refused (an unknown name, a bad type).
Result<std::shared_ptr<const Plan>> build_plan(const dsl::ast::Program& program,
                                               std::string version = "");

}  // namespace merit::engine
