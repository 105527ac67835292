// Values: what an event field or a member attribute holds (owned), and what an expression computes
// (a view, no allocation). Money and numbers are exact Decimals; times are Instants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.hpp"
#include "common/time.hpp"

namespace merit::engine {

// The declared type of a field or attribute (LANGUAGE.md §3).
enum class FieldType : std::uint8_t {
  kInt,
  kDecimal,
  kMoney,
  kBool,
  kString,
  kDate,
  kTime,
  kDuration,
  kStringSet,
  kLevel
};

// "int", "set<string>", "level"...
const char* field_type_name(FieldType t);
// A type as written in a declaration ("money", "set<string>"); nullopt when unknown. `level` is
// not a declarable type.
std::optional<FieldType> parse_field_type(std::string_view text);
// The declarable types' names, for "did you mean".
const std::vector<std::string>& field_type_names();

// An owned value, as decoded from JSON: stored in operations and member attributes.
struct Value {
  enum class Kind : std::uint8_t {
    kNone,
    kNumber,
    kBool,
    kString,
    kDate,
    kTime,
    kDuration,
    kSet,
    kLevel
  };
  Kind kind = Kind::kNone;
  std::int64_t i = 0;            // kNumber: Decimal units; kBool: 0/1; kDate: days; kTime: ms;
                                 // kDuration: ms; kLevel: ladder index
  std::string s;                 // kString
  std::vector<std::string> set;  // kSet, sorted and unique

  static Value none() { return {}; }
  static Value number(Decimal d) {
    Value v;
    v.kind = Kind::kNumber;
    v.i = d.units();
    return v;
  }
  static Value boolean(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.i = b ? 1 : 0;
    return v;
  }
  static Value string(std::string str) {
    Value v;
    v.kind = Kind::kString;
    v.s = std::move(str);
    return v;
  }
  static Value date(LocalDate d) {
    Value v;
    v.kind = Kind::kDate;
    v.i = d.days;
    return v;
  }
  static Value time(Instant t) {
    Value v;
    v.kind = Kind::kTime;
    v.i = t.ms;
    return v;
  }
  static Value level(int index) {
    Value v;
    v.kind = Kind::kLevel;
    v.i = index;
    return v;
  }
  friend bool operator==(const Value&, const Value&) = default;
};

}  // namespace merit::engine
