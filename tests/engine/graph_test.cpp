// The evaluation graph of a Plan: the whole DOT text of a small program, the edges that aggregates,
// segments and packages add, and determinism.
#include "engine/plan/graph.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "dsl/source.hpp"
#include "engine/check/checker.hpp"
#include "engine/plan/planner.hpp"

namespace merit::engine {
namespace {

std::shared_ptr<const Plan> plan_of(const std::string& text) {
  dsl::ParseOutput parsed = dsl::parse_program(dsl::Source("t.merit", text));
  EXPECT_TRUE(parsed.program.has_value()) << text;
  if (!parsed.program) return nullptr;
  for (const auto& d : check_program(*parsed.program)) {
    EXPECT_NE(d.severity, dsl::Severity::kError) << d.message;
  }
  auto plan = build_plan(*parsed.program, "t@test");
  EXPECT_TRUE(plan.has_value());
  return plan ? *plan : nullptr;
}

const std::string kSmall = R"(program t "测试" { timezone "UTC" currency "CNY" }
member { city: string }
event purchase { amount: money; order_id: string }
event refund { order_id: string }
points { expire after 30 days }
levels by growth {
  level V1 "普通" from 0 { rate 1 }
  level V2 "白银" from 100 { rate 2 }
}
rule buy "消费" on purchase when event.amount > 0 {
  points += event.amount * level.rate
  growth += event.amount
}
rule back on refund { reverse purchase where order_id == event.order_id }
rule up on level_up { tag += "upgraded" }
privilege ship "包邮" for level >= V2 quota 2 per month
reward mug cost 100 points { grant ship 1 }
)";

TEST(Graph, SmallProgramDot) {
  auto plan = plan_of(kSmall);
  ASSERT_NE(plan, nullptr);
  DotOptions options;
  options.fontname = "Noto Sans CJK SC";
  EXPECT_EQ(to_dot(build_graph(*plan), options), R"dot(digraph "t" {
  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.7, labelloc=t, fontsize=18, label="t 测试 (t@test)", fontname="Noto Sans CJK SC"];
  node [fontsize=11, margin="0.12,0.06", fontname="Noto Sans CJK SC"];
  edge [fontsize=9, color="#555555", fontcolor="#333333", fontname="Noto Sans CJK SC"];
  subgraph cluster_events {
    label="events"; style="rounded,filled"; fillcolor="#f3f7fd"; color="#bbbbbb";
    "event:purchase" [label="purchase\namount, order_id", shape=box, style="filled", fillcolor="#dbe9ff", color="#4a6fa5"];
    "event:refund" [label="refund\norder_id", shape=box, style="filled", fillcolor="#dbe9ff", color="#4a6fa5"];
  }
  subgraph cluster_rules {
    label="rules"; style="rounded,filled"; fillcolor="#fffbef"; color="#bbbbbb";
    "rule:buy" [label="buy\n消费\nwhen event.amount > 0", shape=box, style="rounded,filled", fillcolor="#fff2cc", color="#b8962e"];
    "rule:back" [label="back", shape=box, style="rounded,filled", fillcolor="#fff2cc", color="#b8962e"];
  }
  subgraph cluster_balances {
    label="points, growth, levels"; style="rounded,filled"; fillcolor="#fdf1f2"; color="#bbbbbb";
    "points" [label="points\nexpire after 30 days", shape=box, style="rounded,filled,bold", fillcolor="#f8d7da", color="#a8434e"];
    "growth" [label="growth\nlifetime", shape=box, style="rounded,filled,bold", fillcolor="#f8d7da", color="#a8434e"];
    "levels" [label="levels\nby growth|V2 白银 ≥ 100|V1 普通 ≥ 0", shape=record, style="rounded,filled", fillcolor="#f8d7da", color="#a8434e"];
  }
  subgraph cluster_pseudo_rules {
    label="rules on pseudo-events"; style="rounded,filled"; fillcolor="#fffbef"; color="#bbbbbb";
    "rule:up" [label="up", shape=box, style="rounded,filled", fillcolor="#fff2cc", color="#b8962e"];
  }
  subgraph cluster_benefits {
    label="rewards, privileges"; style="rounded,filled"; fillcolor="#f3fafa"; color="#bbbbbb";
    "reward:mug" [label="mug\ncost 100 points", shape=box, style="rounded,filled", fillcolor="#fce4ec", color="#a3476b"];
    "privilege:ship" [label="ship\n包邮\nfor level >= V2\nquota 2 per month", shape=box, style="rounded,filled", fillcolor="#d9f2f2", color="#2f8585"];
  }
  subgraph cluster_tags {
    label="tags"; style="rounded,filled"; fillcolor="#f7f7f7"; color="#bbbbbb";
    "tag:\"upgraded\"" [label="\"upgraded\"", shape=note, style="filled", fillcolor="#eeeeee", color="#777777"];
  }
  "pseudo:level_up" [label="level_up\nfrom, to", shape=box, style="filled,dashed", fillcolor="#ece4ff", color="#6a4fa5"];
  "pseudo:reward_redeemed" [label="reward_redeemed\nreward, quantity", shape=box, style="filled,dashed", fillcolor="#ece4ff", color="#6a4fa5"];
  "event:purchase" -> "rule:buy";
  "event:refund" -> "rule:back";
  "pseudo:level_up" -> "rule:up";
  "levels" -> "rule:buy" [label="level.rate", style=dashed, color="#999999", arrowhead=open, constraint=false];
  "rule:buy" -> "points" [label="+= event.amount * level.rate", color="#333333"];
  "rule:buy" -> "growth" [label="+= event.amount", color="#333333"];
  "rule:back" -> "event:purchase" [label="reverse where order_id == event.order_id", color="#c62828", fontcolor="#c62828", constraint=false];
  "rule:up" -> "tag:\"upgraded\"" [label="tag +=", color="#333333"];
  "growth" -> "levels" [label="qualifies", color="#333333"];
  "levels" -> "pseudo:level_up" [style=bold, color="#6a4fa5"];
  "points" -> "reward:mug" [label="cost 100", color="#a3476b", fontcolor="#a3476b"];
  "reward:mug" -> "privilege:ship" [label="grant 1", color="#333333"];
  "reward:mug" -> "pseudo:reward_redeemed" [style=bold, color="#6a4fa5"];
  "levels" -> "privilege:ship" [label="level", style=dashed, color="#999999", arrowhead=open];
}
)dot");
}

// Every edge of a graph as "from -kind-> to [label]", in order: a whole, comparable listing.
std::vector<std::string> edge_lines(const Graph& g) {
  std::vector<std::string> out;
  for (const auto& e : g.edges) {
    std::string line = e.from + " -" + edge_kind_name(e.kind) + "-> " + e.to;
    if (!e.label.empty()) line += " [" + e.label + "]";
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> node_ids(const Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes) out.push_back(std::string(node_kind_name(n.kind)) + " " + n.id);
  return out;
}

const std::string kWide = R"(program w { timezone "UTC" currency "CNY" }
member { birthday: date; vip: bool }
event purchase { amount: money; channel: string }
event signin {}
levels by growth review yearly downgrade qualified {
  level L1 from 0
  level L2 from 500 keep 400
}
segment big "大客户" when sum(purchase.amount within 30 days) >= 1000
rule bonus on purchase when segment.big {
  if member.vip { points += 10 } else { points += 5 tag += "plain" }
}
package starter "新手包" available 7 days after join
task three in starter on purchase count 3 within 10 days { growth += 50 }
task streak on signin streak 3 days repeat weekly { grant gift 2 valid 30 days }
campaign night on purchase every day from 20:00 to 23:00 budget 1000 points { points *= 1.5 points += 1 }
privilege gift
rule counted on task_done when count(signin within 7 days) > 2 { points += 3 }
)";

TEST(Graph, AggregatesSegmentsPackagesCampaigns) {
  auto plan = plan_of(kWide);
  ASSERT_NE(plan, nullptr);
  Graph g = build_graph(*plan);
  EXPECT_EQ(node_ids(g), (std::vector<std::string>{"event event:purchase",
                                                   "event event:signin",
                                                   "pseudo_event pseudo:level_up",
                                                   "pseudo_event pseudo:level_down",
                                                   "pseudo_event pseudo:task_done",
                                                   "package package:starter",
                                                   "task task:three",
                                                   "task task:streak",
                                                   "rule rule:bonus",
                                                   "rule rule:counted",
                                                   "campaign campaign:night",
                                                   "points points",
                                                   "growth growth",
                                                   "levels levels",
                                                   "privilege privilege:gift",
                                                   "tag tag:\"plain\"",
                                                   "aggregate aggregate:0",
                                                   "aggregate aggregate:1",
                                                   "segment segment:big",
                                                   "attribute attribute:vip"}));
  EXPECT_EQ(edge_lines(g), (std::vector<std::string>{
                               "event:purchase -triggers-> rule:bonus",
                               "event:purchase -triggers-> task:three",
                               "event:purchase -triggers-> campaign:night",
                               "event:purchase -triggers-> aggregate:0 [counted]",
                               "event:signin -triggers-> task:streak",
                               "event:signin -triggers-> aggregate:1 [counted]",
                               "pseudo:task_done -triggers-> rule:counted",
                               "task:three -feeds-> growth [+= 50]",
                               "task:three -raises-> pseudo:task_done",
                               "task:streak -feeds-> privilege:gift [grant 2, valid 30 days]",
                               "task:streak -raises-> pseudo:task_done",
                               "aggregate:0 -reads-> rule:bonus",
                               "segment:big -reads-> rule:bonus",
                               "attribute:vip -reads-> rule:bonus",
                               "rule:bonus -feeds-> points [if member.vip: += 10\nelse: += 5]",
                               "rule:bonus -feeds-> tag:\"plain\" [else: tag +=]",
                               "aggregate:1 -reads-> rule:counted",
                               "rule:counted -feeds-> points [+= 3]",
                               "campaign:night -feeds-> points [*= 1.5\n+= 1]",
                               "growth -feeds-> levels [qualifies]",
                               "levels -raises-> pseudo:level_up",
                               "levels -raises-> pseudo:level_down [review]",
                           }));
  // Labels: the package's clause, the task's goal, the campaign's schedule and budget, the ladder.
  auto node = [&](const std::string& id) -> const GraphNode& {
    for (const auto& n : g.nodes) {
      if (n.id == id) return n;
    }
    static GraphNode none;
    ADD_FAILURE() << "no node " << id;
    return none;
  };
  EXPECT_EQ(node("package:starter").details,
            std::vector<std::string>{"available 7 days after join"});
  EXPECT_EQ(node("task:three").group, "package:starter");
  EXPECT_EQ(node("task:three").details, std::vector<std::string>{"count 3 within 10 days, once"});
  EXPECT_EQ(node("task:streak").details, std::vector<std::string>{"streak 3 days, repeat weekly"});
  EXPECT_EQ(node("campaign:night").details,
            (std::vector<std::string>{"every day from 20:00 to 23:00", "budget 1000 points"}));
  EXPECT_EQ(node("levels").details,
            (std::vector<std::string>{"by growth, review yearly, downgrade qualified",
                                      "L2 ≥ 500 (keep 400)", "L1 ≥ 0"}));
  EXPECT_EQ(node("aggregate:0").label, "sum(purchase.amount within 30 days)");
  EXPECT_EQ(node("aggregate:1").label, "count(signin within 7 days)");
  EXPECT_EQ(node("segment:big").label, "big");
}

const std::string kPseudoTask = R"(program p { timezone "UTC" currency "CNY" }
event e {}
levels by growth {
  level A from 0
  level B from 10
}
rule g on e { growth += 10 }
task b on level_up { points += 5 }
)";

TEST(Graph, EveryNodeIsDrawnAndEveryEdgeNamesANode) {
  for (const std::string* text : {&kSmall, &kWide, &kPseudoTask}) {
    auto plan = plan_of(*text);
    ASSERT_NE(plan, nullptr);
    Graph g = build_graph(*plan);
    std::set<std::string> ids;
    for (const auto& n : g.nodes) EXPECT_TRUE(ids.insert(n.id).second) << "duplicate node " << n.id;
    for (const auto& e : g.edges) {
      EXPECT_TRUE(ids.count(e.from)) << e.from;
      EXPECT_TRUE(ids.count(e.to)) << e.to;
    }
    std::string dot = to_dot(g);
    for (const auto& n : g.nodes) {
      if (n.kind == NodeKind::kPackage) continue;  // drawn as a cluster
      std::string quoted_id;
      for (char c : n.id) quoted_id += c == '"' ? std::string("\\\"") : std::string(1, c);
      EXPECT_NE(dot.find("\"" + quoted_id + "\" [label="), std::string::npos)
          << n.id << " is not drawn";
    }
  }
}

TEST(Graph, Deterministic) {
  // Two plans built separately from the same text draw the same bytes, and so does a second
  // drawing.
  auto a = plan_of(kWide);
  auto b = plan_of(kWide);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::string first = to_dot(build_graph(*a));
  EXPECT_EQ(first, to_dot(build_graph(*b)));
  EXPECT_EQ(first, to_dot(build_graph(*a)));
  // Without a font, no fontname attribute at all (Graphviz's default).
  EXPECT_EQ(first.find("fontname"), std::string::npos);
}

TEST(Graph, EscapesQuotesAndBackslashesInLabels) {
  auto plan = plan_of(R"(program q { timezone "UTC" currency "CNY" }
event e { s: string }
rule r "say \"hi\" \\ there" on e when event.s == "a\"b" { tag += "x\\y" }
)");
  ASSERT_NE(plan, nullptr);
  std::string dot = to_dot(build_graph(*plan));
  EXPECT_NE(dot.find(R"("rule:r" [label="r\nsay \"hi\" \\ there\nwhen event.s == \"a\\\"b\"")"),
            std::string::npos)
      << dot;
}

}  // namespace
}  // namespace merit::engine
