// Edit distance and "did you mean": the nearest known name to a misspelt one.
#include "dsl/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace merit::dsl {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the Levenshtein table at a time: O(|a|*|b|) time, O(|b|) memory.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest(std::string_view name,
                                   const std::vector<std::string>& candidates) {
  std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 2));
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    // Lengths far apart cannot be near; skip the table for them.
    std::size_t gap = candidate.size() > name.size() ? candidate.size() - name.size()
                                                     : name.size() - candidate.size();
    if (gap > limit) continue;
    std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace merit::dsl
