// Loops (LANGUAGE.md §5 step 8): rules and tasks on pseudo-events whose statements raise pseudo-
// events again, and segments that read each other. The check is static: a rule counts as raising
// what its statements could raise, whatever its `when` or the state (docs/language.md, "Cycles").
#include <deque>

#include <fmt/format.h>

#include "engine/check/internal.hpp"

namespace merit::engine::check_internal {
namespace {

// One way a pseudo-event leads to another: a rule or task `on` `from` whose statements (or whose
// completion) raise `to`.
struct Edge {
  std::string from;
  std::string to;
  std::string label;  // "rule `bonus` (growth +=)"
  ast::Loc loc;       // where to point: the raising statement, or the task
};

const ast::Stmt* first_growth_award(const std::vector<ast::Stmt>& body) {
  const ast::Stmt* found = nullptr;
  for_each_stmt(body, [&](const ast::Stmt& s) {
    if (found == nullptr && s.kind == ast::StmtKind::kGrowthAdd) found = &s;
  });
  return found;
}

// What raises what in step 8: `growth +=` may cross a threshold and raise level_up; a task's
// completion raises task_done. Nothing in a program's statements raises join (only a new member),
// level_down (only reviews, step 3) or reward_redeemed (only the redeem API).
std::vector<Edge> pseudo_event_edges(const Checker& c) {
  std::vector<Edge> edges;
  for (const ast::RuleDecl& r : c.program.rules) {
    const EventInfo* on = c.find_event(r.on.name);
    if (on == nullptr || !on->pseudo) continue;
    if (const ast::Stmt* g = first_growth_award(r.body)) {
      edges.push_back(
          {r.on.name, "level_up", fmt::format("rule `{}` (growth +=)", r.id.name), g->loc});
    }
  }
  for (const ast::TaskDecl& t : c.program.tasks) {
    const EventInfo* on = c.find_event(t.on.name);
    if (on == nullptr || !on->pseudo) continue;
    edges.push_back(
        {t.on.name, "task_done", fmt::format("task `{}` (completes)", t.id.name), t.id.loc});
    if (const ast::Stmt* g = first_growth_award(t.body)) {
      edges.push_back(
          {t.on.name, "level_up", fmt::format("task `{}` (growth +=)", t.id.name), g->loc});
    }
  }
  return edges;
}

// The shortest chain of edges from `start` to `goal` (first edges in order win ties); empty when
// `goal` cannot be reached. `start == goal` gives an empty chain and true.
bool shortest_path(const std::vector<Edge>& edges, const std::string& start,
                   const std::string& goal, std::vector<const Edge*>& out) {
  out.clear();
  if (start == goal) return true;
  std::map<std::string, const Edge*> reached_by;  // node -> edge that first reached it
  std::deque<std::string> queue{start};
  std::set<std::string> seen{start};
  while (!queue.empty()) {
    std::string node = queue.front();
    queue.pop_front();
    for (const Edge& e : edges) {
      if (e.from != node || seen.count(e.to) != 0) continue;
      seen.insert(e.to);
      reached_by[e.to] = &e;
      if (e.to == goal) {
        for (std::string at = goal; at != start; at = reached_by[at]->from) {
          out.insert(out.begin(), reached_by[at]);
        }
        return true;
      }
      queue.push_back(e.to);
    }
  }
  return false;
}

void check_pseudo_event_cycles(Checker& c) {
  std::vector<Edge> edges = pseudo_event_edges(c);
  std::vector<const Edge*> back;
  for (const Edge& e : edges) {
    if (!shortest_path(edges, e.to, e.from, back)) continue;
    std::string loop = fmt::format("{} -> {} -> {}", e.from, e.label, e.to);
    for (const Edge* b : back) loop += fmt::format(" -> {} -> {}", b->label, b->to);
    c.error(e.loc, "cycle", fmt::format("rules can raise each other in a loop: {}", loop));
  }
}

// Segment `a` reads `segment.b`: evaluating it would never end if b reads a again.
void check_segment_cycles(Checker& c) {
  const auto& segments = c.program.segments;
  std::map<std::string, std::vector<std::string>, std::less<>> reads;
  for (const ast::SegmentDecl& g : segments) {
    auto& out = reads[g.id.name];
    for_each_expr(g.when, [&](const ast::Expr& e) {
      if (e.kind == ast::ExprKind::kPath && e.path.size() == 2 && e.path[0] == "segment" &&
          c.segments.contains(e.path[1])) {
        out.push_back(e.path[1]);
      }
    });
  }
  std::set<std::string> reported;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& start = segments[i].id.name;
    if (c.segments.first.at(start) != i || reported.count(start) != 0) continue;
    // Breadth first from `start` back to itself.
    std::map<std::string, std::string> parent;
    std::deque<std::string> queue{start};
    bool found = false;
    while (!queue.empty() && !found) {
      std::string node = queue.front();
      queue.pop_front();
      for (const std::string& next : reads[node]) {
        if (next == start) {
          parent["\x01"] = node;
          found = true;
          break;
        }
        if (parent.count(next) != 0) continue;
        parent[next] = node;
        queue.push_back(next);
      }
    }
    if (!found) continue;
    std::vector<std::string> chain{start};
    for (std::string at = parent["\x01"]; at != start; at = parent[at]) {
      chain.insert(chain.begin() + 1, at);
    }
    std::string text;
    for (const std::string& s : chain) {
      text += fmt::format("segment `{}` -> ", s);
      reported.insert(s);
    }
    text += fmt::format("segment `{}`", start);
    c.error(segments[i].id.loc, "cycle",
            fmt::format("segments read each other in a loop: {}", text));
  }
}

}  // namespace

void check_cycles(Checker& c) {
  check_pseudo_event_cycles(c);
  check_segment_cycles(c);
}

}  // namespace merit::engine::check_internal
