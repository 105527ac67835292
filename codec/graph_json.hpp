// The JSON form of the evaluation graph (`merit graph --format json`, GET
// /v1/program/graph?format=json): the same nodes and edges engine::to_dot() draws, for tools that
// lay out or query the graph.
#pragma once

#include <string>

#include "engine/plan/graph.hpp"

namespace merit::codec {

// One JSON object, one node or edge per line, in the graph's order (deterministic bytes):
//   {"program": {"id": "yanxuan", "name": "严选会员", "version": "yanxuan@1a2b3c4d"},
//    "nodes": [{"id": "rule:purchase_points", "kind": "rule", "label": "purchase_points",
//               "name": "消费积分", "details": ["when event.amount > 0"]}, ...],
//    "edges": [{"from": "event:purchase", "to": "rule:purchase_points", "kind": "triggers"}, ...]}
// `name` and `group` (a task's package node id) appear only when not empty; `label` on an edge only
// when not empty. Strings are UTF-8, escaped per RFC 8259. Ends with a newline.
std::string graph_json(const engine::Graph& graph);

}  // namespace merit::codec
