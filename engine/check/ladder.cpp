// The level ladder (LANGUAGE.md §4.5): the lowest level starts at 0, thresholds strictly increase,
// `keep` never exceeds `from`, reviews count in calendar units, and level attributes are numbers or
// strings of one kind on every level that sets them.
#include <fmt/format.h>

#include "engine/check/internal.hpp"

namespace merit::engine::check_internal {
namespace {

const char* kind_word(Type t) { return t == Type::kString ? "a string" : "a number"; }

void check_attributes(Checker& c, const ast::LevelsDecl& ladder) {
  // The first level (lowest first) that set each attribute, to name it when another disagrees.
  std::map<std::string, std::pair<Type, std::string>, std::less<>> first;
  for (const ast::LevelDecl& l : ladder.levels) {
    std::set<std::string, std::less<>> here;
    for (const ast::Attribute& a : l.attributes) {
      if (!here.insert(a.name.name).second) {
        c.error(a.name.loc, "duplicate",
                fmt::format("level `{}` sets attribute `{}` twice", l.id.name, a.name.name));
        continue;
      }
      Type t = a.value.kind == ast::ExprKind::kString   ? Type::kString
               : a.value.kind == ast::ExprKind::kNumber ? Type::kDecimal
                                                        : Type::kError;
      if (t == Type::kError) {
        c.error(a.value.loc, "type-mismatch",
                fmt::format("level attribute `{}` must be a number or a string", a.name.name));
        continue;
      }
      auto it = first.find(a.name.name);
      if (it == first.end()) {
        first.emplace(a.name.name, std::make_pair(t, l.id.name));
      } else if (it->second.first != t) {
        c.error(a.value.loc, "type-mismatch",
                fmt::format("level `{}` sets `{}` to {}, but level `{}` sets it to {}: a level "
                            "attribute has one kind on every level",
                            l.id.name, a.name.name, kind_word(t), it->second.second,
                            kind_word(it->second.first)));
      }
    }
  }
}

}  // namespace

void check_ladder(Checker& c) {
  if (!c.program.levels) return;
  const ast::LevelsDecl& ladder = *c.program.levels;
  if (ladder.by != "growth") {
    c.error(ladder.loc, "ladder",
            fmt::format("levels are qualified `by growth`; `by {}` is not supported", ladder.by));
  }
  if (ladder.review && ladder.review->kind == ast::ReviewKind::kEvery) {
    check_duration(c, ladder.review->every, "`review every`", true);
  }
  if (ladder.levels.empty()) {
    c.error(ladder.loc, "ladder", "`levels` needs at least one level; the lowest is `from 0`");
    return;
  }
  const ast::LevelDecl& lowest = ladder.levels.front();
  if (lowest.from != 0) {
    c.error(lowest.from_loc, "ladder",
            fmt::format("the lowest level `{}` must be `from 0`, not `from {}`: every member "
                        "starts there",
                        lowest.id.name, lowest.from));
  }
  for (std::size_t i = 0; i < ladder.levels.size(); ++i) {
    const ast::LevelDecl& l = ladder.levels[i];
    if (i > 0) {
      const ast::LevelDecl& below = ladder.levels[i - 1];
      if (l.from <= below.from) {
        c.error(l.from_loc, "ladder",
                fmt::format("level `{}` must start above level `{}` (from {}), not at {}: levels "
                            "are listed lowest first and `from` strictly increases",
                            l.id.name, below.id.name, below.from, l.from));
      }
    }
    if (l.keep && *l.keep > l.from) {
      c.error(l.loc, "ladder",
              fmt::format("level `{}`: `keep {}` exceeds its `from {}`; the growth needed to stay "
                          "may not be more than the growth needed to arrive",
                          l.id.name, *l.keep, l.from));
    }
    if (l.keep && *l.keep < 0) {
      c.error(l.loc, "ladder",
              fmt::format("level `{}`: `keep` cannot be negative, not {}", l.id.name, *l.keep));
    }
  }
  check_attributes(c, ladder);
}

}  // namespace merit::engine::check_internal
