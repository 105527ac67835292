// What a member looks like from outside (INTERFACES.md §1, §3.2): derived from MemberState at a
// time, in the program's terms (level ids, last spendable days). codec/ writes it as JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/decimal.hpp"
#include "common/time.hpp"
#include "engine/model/value.hpp"

namespace merit::engine {

struct TaskView {
  std::string id;
  Decimal progress;
  Decimal target;
  std::int64_t completions = 0;
  std::optional<std::string> window;  // "30 days" for windowed goals
};

struct PrivilegeView {
  std::string id;
  std::optional<std::int64_t> remaining;  // nullopt: unlimited while `for` holds
};

struct MemberView {
  std::string member;
  std::string level;
  std::string level_name;
  Instant level_since;
  Instant joined;
  std::int64_t available = 0;
  std::int64_t pending = 0;
  std::vector<std::pair<LocalDate, std::int64_t>> expiring;  // last spendable day, amount
  std::int64_t growth_lifetime = 0;
  std::int64_t growth_qualifying = 0;
  std::optional<std::string> next_level;
  std::int64_t growth_to_next = 0;
  std::optional<Instant> next_review;
  std::int64_t growth_to_keep = 0;  // qualifying growth still needed by next_review
  std::vector<TaskView> tasks;
  std::vector<PrivilegeView> privileges;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, Value>> attributes;  // set attributes only, declared order
};

}  // namespace merit::engine
