// "Did you mean": the nearest known name to a misspelt one (ninja's edit distance idea).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace merit::dsl {

// Levenshtein distance between two ASCII names (case-sensitive).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The nearest of `candidates` to `name`, if its distance is at most max(1, min(3, len/2));
// ties go to the first candidate in order. Empty when nothing is near.
std::optional<std::string> nearest(std::string_view name,
                                   const std::vector<std::string>& candidates);

}  // namespace merit::dsl
