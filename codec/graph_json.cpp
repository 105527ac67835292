// The evaluation graph as JSON, written with the deterministic JsonWriter.
#include "codec/graph_json.hpp"

#include "codec/json_writer.hpp"

namespace merit::codec {

std::string graph_json(const engine::Graph& graph) {
  std::string out;
  {
    std::string head;
    JsonWriter w(head);
    w.begin_object().key("id").string(graph.program_id).key("name").string(graph.program_name);
    w.key("version").string(graph.version).end_object();
    out += "{\"program\":" + head + ",\n\"nodes\":[";
  }
  bool first = true;
  for (const auto& n : graph.nodes) {
    std::string line;
    JsonWriter w(line);
    w.begin_object().key("id").string(n.id).key("kind").string(engine::node_kind_name(n.kind));
    w.key("label").string(n.label);
    if (!n.name.empty()) w.key("name").string(n.name);
    w.key("details").begin_array();
    for (const auto& d : n.details) w.string(d);
    w.end_array();
    if (!n.group.empty()) w.key("group").string(n.group);
    w.end_object();
    out += first ? "\n" : ",\n";
    out += line;
    first = false;
  }
  out += "],\n\"edges\":[";
  first = true;
  for (const auto& e : graph.edges) {
    std::string line;
    JsonWriter w(line);
    w.begin_object().key("from").string(e.from).key("to").string(e.to);
    w.key("kind").string(engine::edge_kind_name(e.kind));
    if (!e.label.empty()) w.key("label").string(e.label);
    w.end_object();
    out += first ? "\n" : ",\n";
    out += line;
    first = false;
  }
  out += "]}\n";
  return out;
}

}  // namespace merit::codec
