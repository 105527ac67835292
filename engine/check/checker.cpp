// check_program(): runs the checker's passes in order over one program and returns what they found,
// sorted into file order. Also the small shared pieces: types, the diagnostic helpers.
#include "engine/check/checker.hpp"

#include <algorithm>
#include <utility>

#include "dsl/suggest.hpp"
#include "engine/check/internal.hpp"
#include "engine/model/value.hpp"

namespace merit::engine {
namespace check_internal {

const char* type_name(Type t) {
  switch (t) {
    case Type::kError:
      return "an unknown type";
    case Type::kNone:
      return "none";
    case Type::kInt:
      return "int";
    case Type::kDecimal:
      return "decimal";
    case Type::kMoney:
      return "money";
    case Type::kBool:
      return "bool";
    case Type::kString:
      return "string";
    case Type::kDate:
      return "date";
    case Type::kTime:
      return "time";
    case Type::kTimeOfDay:
      return "time of day";
    case Type::kDuration:
      return "duration";
    case Type::kStringSet:
      return "set<string>";
    case Type::kLevel:
      return "level";
  }
  return "?";
}

bool is_number(Type t) { return t == Type::kInt || t == Type::kDecimal || t == Type::kMoney; }

std::optional<Type> parse_type_name(std::string_view text) {
  std::optional<FieldType> t = parse_field_type(text);
  if (!t) return std::nullopt;
  switch (*t) {
    case FieldType::kInt:
      return Type::kInt;
    case FieldType::kDecimal:
      return Type::kDecimal;
    case FieldType::kMoney:
      return Type::kMoney;
    case FieldType::kBool:
      return Type::kBool;
    case FieldType::kString:
      return Type::kString;
    case FieldType::kDate:
      return Type::kDate;
    case FieldType::kTime:
      return Type::kTime;
    case FieldType::kDuration:
      return Type::kDuration;
    case FieldType::kStringSet:
      return Type::kStringSet;
    case FieldType::kLevel:
      break;
  }
  return std::nullopt;
}

const char* place_name(Place p) {
  switch (p) {
    case Place::kRule:
      return "a rule";
    case Place::kTask:
      return "a task";
    case Place::kCampaign:
      return "a campaign";
    case Place::kReward:
      return "a reward";
    case Place::kCard:
      return "a card";
  }
  return "?";
}

const Field* EventInfo::find(std::string_view field) const {
  for (const Field& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

std::vector<std::string> EventInfo::field_names() const {
  std::vector<std::string> out;
  out.reserve(fields.size());
  for (const Field& f : fields) out.push_back(f.name);
  return out;
}

void Checker::error(ast::Loc loc, std::string code, std::string message,
                    std::optional<std::string> suggestion) {
  dsl::Diagnostic d;
  d.severity = dsl::Severity::kError;
  d.file = program.file;
  d.loc = loc;
  d.message = std::move(message);
  d.suggestion = std::move(suggestion);
  d.code = std::move(code);
  diagnostics.push_back(std::move(d));
}

void Checker::warning(ast::Loc loc, std::string code, std::string message) {
  error(loc, std::move(code), std::move(message));
  diagnostics.back().severity = dsl::Severity::kWarning;
}

void Checker::unknown(ast::Loc loc, std::string code, std::string message, std::string_view name,
                      const std::vector<std::string>& candidates) {
  error(loc, std::move(code), std::move(message), dsl::nearest(name, candidates));
}

const EventInfo* Checker::find_event(std::string_view name) const {
  auto it = events.find(name);
  return it == events.end() ? nullptr : &it->second;
}

const Field* Checker::find_member_field(std::string_view name) const {
  for (const Field& f : member_fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

ast::Loc path_part_loc(const ast::Expr& e, std::size_t i) {
  ast::Loc loc = e.loc;
  if (loc.line == 0) return loc;  // a tree built without positions
  for (std::size_t k = 0; k < i && k < e.path.size(); ++k) {
    loc.col += static_cast<std::uint32_t>(e.path[k].size() + 1);
  }
  return loc;
}

}  // namespace check_internal

std::vector<dsl::Diagnostic> check_program(const dsl::ast::Program& program) {
  check_internal::Checker c(program);
  check_internal::collect_names(c);
  check_internal::check_values(c);
  check_internal::check_ladder(c);
  check_internal::check_types(c);
  check_internal::check_cycles(c);
  check_internal::check_warnings(c);
  std::stable_sort(c.diagnostics.begin(), c.diagnostics.end(),
                   [](const dsl::Diagnostic& a, const dsl::Diagnostic& b) {
                     if (a.loc.line != b.loc.line) return a.loc.line < b.loc.line;
                     return a.loc.col < b.loc.col;
                   });
  return std::move(c.diagnostics);
}

}  // namespace merit::engine
