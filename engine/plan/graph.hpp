// The evaluation graph of a Plan, for people (`merit graph`, GET /v1/program/graph): which events
// reach which rules, tasks and campaigns; what those feed (points, growth, privileges, tags, the
// events they reverse); the level ladder growth qualifies; the pseudo-events raised and the rules
// on them; rewards, privileges, and the aggregates, segments and attributes expressions read.
// build_graph() makes a plain Graph; to_dot() prints it as Graphviz DOT. Its JSON form is written
// by codec/graph_json.hpp, so engine/ stays free of JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/plan/plan.hpp"

namespace merit::engine {

enum class NodeKind : std::uint8_t {
  kEvent,        // a declared event type
  kPseudoEvent,  // join, level_up, level_down, task_done, reward_redeemed
  kRule,
  kPackage,  // a task package; its tasks name it as their group
  kTask,
  kCampaign,
  kPoints,  // the points balance (one node)
  kGrowth,  // growth (one node)
  kLevels,  // the level ladder (one node; details list the levels, highest first)
  kPrivilege,
  kReward,
  kTag,        // a tag a statement adds or removes (one node per tag expression)
  kAggregate,  // a per-member aggregate over the member's own history
  kSegment,
  kAttribute,  // a member attribute that some expression reads
};

enum class EdgeKind : std::uint8_t {
  kTriggers,  // an event (or pseudo-event) evaluates a rule, task or campaign; is counted by an
              // aggregate
  kFeeds,     // a rule, task, campaign or reward changes points, growth, a privilege or a tag
  kReverses,  // a rule undoes what events of a type awarded
  kRaises,    // the ladder, a task or a reward raises a pseudo-event
  kReads,     // an expression reads levels, an aggregate, a segment or an attribute
  kSpends,    // points are spent on a reward
};

// "event", "pseudo_event", "rule", ... (snake_case; the JSON form uses these).
const char* node_kind_name(NodeKind k);
// "triggers", "feeds", "reverses", "raises", "reads", "spends".
const char* edge_kind_name(EdgeKind k);

struct GraphNode {
  std::string id;  // unique, stable: "event:purchase", "rule:purchase_points", "points"
  NodeKind kind = NodeKind::kEvent;
  std::string label;                 // the identifier as written ("purchase_points")
  std::string name;                  // the display name ("消费积分"); empty when none
  std::vector<std::string> details;  // one line each: `when`, goal, schedule, ladder steps ...
  std::string group;                 // kTask: the id of its package node; otherwise empty
};

struct GraphEdge {
  std::string from;  // node ids
  std::string to;
  EdgeKind kind = EdgeKind::kFeeds;
  std::string label;  // what flows ("+= event.amount", "× 2", "grant 3"); may be empty;
                      // several statements between the same pair are joined by '\n'
};

struct Graph {
  std::string program_id;
  std::string program_name;
  std::string version;
  std::vector<GraphNode> nodes;  // in a fixed order: events, pseudo-events (those used or raised),
                                 // packages, tasks, rules, campaigns, points, growth, levels,
                                 // rewards, privileges, tags, aggregates, segments, attributes
  std::vector<GraphEdge> edges;  // in the order built; at most one edge per (from, to, kind)
};

// Builds the graph of `plan`. Deterministic: the same plan gives the same nodes and edges in the
// same order. Every edge names nodes that exist. Pseudo-events appear only when something raises
// or reads them; member attributes only when read. Segments are inlined in the plan, so a segment
// is linked to the expressions whose text names `segment.<id>`.
Graph build_graph(const Plan& plan);

struct DotOptions {
  // The font for every node, edge and cluster label; empty leaves Graphviz's default. Labels
  // carry display names in any script, so a font with CJK glyphs ("Noto Sans CJK SC") is best.
  std::string fontname;
};

// Graphviz DOT text of `graph`: left to right, one cluster per kind of node (tasks in one
// sub-cluster per package), labels with the identifier, the display name and the details, edges
// styled by kind (reads dashed, raises bold, reverses red). Strings are escaped for DOT, so any
// UTF-8 label is safe. Deterministic: same graph and options, same bytes.
std::string to_dot(const Graph& graph, const DotOptions& options = {});

}  // namespace merit::engine
