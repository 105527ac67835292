// The field types' names (value.hpp): the one table the checker and the planner read.
#include "engine/model/value.hpp"

namespace merit::engine {

namespace {

struct Named {
  std::string_view name;
  FieldType type;
};

// The declarable types, in the order "did you mean" lists them. `level` is not declarable.
constexpr Named kDeclarable[] = {{"int", FieldType::kInt},
                                 {"decimal", FieldType::kDecimal},
                                 {"money", FieldType::kMoney},
                                 {"bool", FieldType::kBool},
                                 {"string", FieldType::kString},
                                 {"date", FieldType::kDate},
                                 {"time", FieldType::kTime},
                                 {"duration", FieldType::kDuration},
                                 {"set<string>", FieldType::kStringSet}};

}  // namespace

const char* field_type_name(FieldType t) {
  if (t == FieldType::kLevel) return "level";
  for (const auto& [name, type] : kDeclarable) {
    if (type == t) return name.data();
  }
  return "string";
}

std::optional<FieldType> parse_field_type(std::string_view text) {
  for (const auto& [name, type] : kDeclarable) {
    if (name == text) return type;
  }
  return std::nullopt;
}

const std::vector<std::string>& field_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& d : kDeclarable) v.emplace_back(d.name);
    return v;
  }();
  return names;
}

}  // namespace merit::engine
