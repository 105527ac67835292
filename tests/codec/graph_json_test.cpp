// The JSON form of the evaluation graph: the whole text for a small program, and that it parses
// as JSON with every edge naming a node.
#include "codec/graph_json.hpp"

#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "dsl/parse.hpp"
#include "dsl/source.hpp"
#include "engine/check/checker.hpp"
#include "engine/plan/planner.hpp"

namespace merit::codec {
namespace {

std::shared_ptr<const engine::Plan> plan_of(const std::string& text) {
  dsl::ParseOutput parsed = dsl::parse_program(dsl::Source("t.merit", text));
  EXPECT_TRUE(parsed.program.has_value()) << text;
  if (!parsed.program) return nullptr;
  EXPECT_TRUE(engine::check_program(*parsed.program).empty());
  auto plan = engine::build_plan(*parsed.program, "t@test");
  EXPECT_TRUE(plan.has_value());
  return plan ? *plan : nullptr;
}

const std::string kSmall = R"(program t "测试" { timezone "UTC" currency "CNY" }
event purchase { amount: money; order_id: string }
event refund { order_id: string }
package newbie available 30 days after join
task first in newbie on purchase { points += 50 }
rule buy "消费" on purchase { points += event.amount growth += event.amount }
rule back on refund { reverse purchase where order_id == event.order_id }
)";

TEST(GraphJson, SmallProgram) {
  auto plan = plan_of(kSmall);
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(graph_json(engine::build_graph(*plan)),
            R"json({"program":{"id":"t","name":"测试","version":"t@test"},
"nodes":[
{"id":"event:purchase","kind":"event","label":"purchase","details":["amount, order_id"]},
{"id":"event:refund","kind":"event","label":"refund","details":["order_id"]},
{"id":"pseudo:task_done","kind":"pseudo_event","label":"task_done","details":["task"]},
{"id":"package:newbie","kind":"package","label":"newbie","details":["available 30 days after join"]},
{"id":"task:first","kind":"task","label":"first","details":["once"],"group":"package:newbie"},
{"id":"rule:buy","kind":"rule","label":"buy","name":"消费","details":[]},
{"id":"rule:back","kind":"rule","label":"back","details":[]},
{"id":"points","kind":"points","label":"points","details":["expire never"]},
{"id":"growth","kind":"growth","label":"growth","details":["lifetime"]}],
"edges":[
{"from":"event:purchase","to":"rule:buy","kind":"triggers"},
{"from":"event:purchase","to":"task:first","kind":"triggers"},
{"from":"event:refund","to":"rule:back","kind":"triggers"},
{"from":"task:first","to":"points","kind":"feeds","label":"+= 50"},
{"from":"task:first","to":"pseudo:task_done","kind":"raises"},
{"from":"rule:buy","to":"points","kind":"feeds","label":"+= event.amount"},
{"from":"rule:buy","to":"growth","kind":"feeds","label":"+= event.amount"},
{"from":"rule:back","to":"event:purchase","kind":"reverses","label":"reverse where order_id == event.order_id"}]}
)json");
}

TEST(GraphJson, ParsesAndEveryEdgeNamesANode) {
  auto plan = plan_of(kSmall);
  ASSERT_NE(plan, nullptr);
  auto j = nlohmann::json::parse(graph_json(engine::build_graph(*plan)));
  std::set<std::string> ids;
  for (const auto& n : j["nodes"]) ids.insert(n["id"].get<std::string>());
  ASSERT_FALSE(j["edges"].empty());
  for (const auto& e : j["edges"]) {
    EXPECT_TRUE(ids.count(e["from"].get<std::string>())) << e.dump();
    EXPECT_TRUE(ids.count(e["to"].get<std::string>())) << e.dump();
  }
  EXPECT_EQ(j["program"]["name"], "测试");
}

}  // namespace
}  // namespace merit::codec
