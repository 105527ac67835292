// The evaluation graph: build_graph() walks a Plan in declaration order and records nodes and
// edges; to_dot() prints them as Graphviz DOT, one cluster per kind of node.
#include "engine/plan/graph.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace merit::engine {

const char* node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::kEvent:
      return "event";
    case NodeKind::kPseudoEvent:
      return "pseudo_event";
    case NodeKind::kRule:
      return "rule";
    case NodeKind::kPackage:
      return "package";
    case NodeKind::kTask:
      return "task";
    case NodeKind::kCampaign:
      return "campaign";
    case NodeKind::kPoints:
      return "points";
    case NodeKind::kGrowth:
      return "growth";
    case NodeKind::kLevels:
      return "levels";
    case NodeKind::kPrivilege:
      return "privilege";
    case NodeKind::kReward:
      return "reward";
    case NodeKind::kTag:
      return "tag";
    case NodeKind::kAggregate:
      return "aggregate";
    case NodeKind::kSegment:
      return "segment";
    case NodeKind::kAttribute:
      return "attribute";
  }
  return "node";
}

const char* edge_kind_name(EdgeKind k) {
  switch (k) {
    case EdgeKind::kTriggers:
      return "triggers";
    case EdgeKind::kFeeds:
      return "feeds";
    case EdgeKind::kReverses:
      return "reverses";
    case EdgeKind::kRaises:
      return "raises";
    case EdgeKind::kReads:
      return "reads";
    case EdgeKind::kSpends:
      return "spends";
  }
  return "edge";
}

namespace {

// ---- clause text
// ---------------------------------------------------------------------------------

std::string duration_text(const CalDuration& d) {
  const char* unit = "day";
  switch (d.unit) {
    case CalendarUnit::kHour:
      unit = "hour";
      break;
    case CalendarUnit::kDay:
      unit = "day";
      break;
    case CalendarUnit::kWeek:
      unit = "week";
      break;
    case CalendarUnit::kMonth:
      unit = "month";
      break;
    case CalendarUnit::kYear:
      unit = "year";
      break;
  }
  return fmt::format("{} {}{}", d.count, unit, d.count == 1 ? "" : "s");
}

const char* period_text(PeriodKind p) {
  switch (p) {
    case PeriodKind::kDay:
      return "day";
    case PeriodKind::kWeek:
      return "week";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kMember:
      return "member";
  }
  return "day";
}

std::string limit_text(const PeriodLimit& l) {
  return fmt::format("{} per {}", l.amount, period_text(l.period));
}

std::string expiry_text(const ExpiryRule& e) {
  switch (e.mode) {
    case ExpiryMode::kNoExpiry:
      return "expire never";
    case ExpiryMode::kAfter:
      return "expire after " + duration_text(e.after);
    case ExpiryMode::kEndOfMonth:
      return e.plus == 0 ? "expire at end of month"
                         : fmt::format("expire at end of month + {}", e.plus);
    case ExpiryMode::kEndOfYear:
      return e.plus == 0 ? "expire at end of year"
                         : fmt::format("expire at end of year + {}", e.plus);
  }
  return "";
}

std::string hhmm(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

const char* const kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                 "friday", "saturday", "sunday"};

std::string schedule_text(const PlanCampaign& c) {
  std::string s;
  switch (c.schedule) {
    case ScheduleMode::kAlways:
      break;
    case ScheduleMode::kMonthDay:
      s = fmt::format("every month on day {}", c.month_day);
      break;
    case ScheduleMode::kWeekday:
      s = fmt::format("every {}", kWeekdays[std::clamp(c.weekday, 0, 6)]);
      break;
    case ScheduleMode::kDailyHours:
      s = fmt::format("every day from {} to {}", hhmm(c.from_minute), hhmm(c.to_minute));
      break;
  }
  if (c.during_from && c.during_to) {
    if (!s.empty()) s += ' ';
    s += fmt::format("during {} .. {}", format_date(*c.during_from), format_date(*c.during_to));
  }
  return s.empty() ? "always" : s;
}

std::string goal_text(const PlanTask& t) {
  std::string s;
  switch (t.goal) {
    case GoalMode::kNone:
      break;
    case GoalMode::kCount:
      s = fmt::format("count {}", t.count);
      break;
    case GoalMode::kSum:
      s = fmt::format("sum {} reaches {}", t.sum.text, t.reaches.to_string());
      break;
    case GoalMode::kStreak:
      s = fmt::format("streak {} days", t.count);
      break;
  }
  if (t.within && (t.goal == GoalMode::kCount || t.goal == GoalMode::kSum)) {
    s += " within " + duration_text(*t.within);
  }
  return s;
}

const char* repeat_text(RepeatMode r) {
  switch (r) {
    case RepeatMode::kOnce:
      return "once";
    case RepeatMode::kAlways:
      return "repeat";
    case RepeatMode::kDaily:
      return "repeat daily";
    case RepeatMode::kWeekly:
      return "repeat weekly";
    case RepeatMode::kMonthly:
      return "repeat monthly";
    case RepeatMode::kYearly:
      return "repeat yearly";
  }
  return "once";
}

// ---- the builder
// -----------------------------------------------------------------------------------

class Builder {
 public:
  explicit Builder(const Plan& plan) : plan_(plan) {}

  Graph run();

 private:
  void add_node(GraphNode node) {
    index_.emplace(node.id, g_.nodes.size());
    g_.nodes.push_back(std::move(node));
  }
  // Adds an edge, or joins `label` to the one already between the same nodes of the same kind.
  void add_edge(const std::string& from, const std::string& to, EdgeKind kind,
                const std::string& label = "") {
    auto key = std::make_tuple(from, to, kind);
    auto it = edge_index_.find(key);
    if (it == edge_index_.end()) {
      edge_index_.emplace(key, g_.edges.size());
      g_.edges.push_back({from, to, kind, label});
      return;
    }
    std::string& l = g_.edges[it->second].label;
    if (label.empty() || l == label || l.starts_with(label + "\n") || l.ends_with("\n" + label) ||
        l.find("\n" + label + "\n") != std::string::npos) {
      return;
    }
    l = l.empty() ? label : l + "\n" + label;
  }

  std::string event_id(int e) const {
    const auto& ev = plan_.events[static_cast<std::size_t>(e)];
    return (ev.pseudo ? "pseudo:" : "event:") + ev.name;
  }

  void reads(const CompiledExpr& expr, const std::string& reader);
  void statements(const std::vector<PlanStmt>& body, const std::string& source,
                  const std::string& prefix);

  const Plan& plan_;
  Graph g_;
  std::map<std::string, std::size_t> index_;
  std::map<std::tuple<std::string, std::string, EdgeKind>, std::size_t> edge_index_;
};

// Edges from what `expr` reads (levels, aggregates, attributes, segments) to `reader`.
void Builder::reads(const CompiledExpr& expr, const std::string& reader) {
  for (std::size_t i = 0; i < expr.ops.size(); ++i) {
    const Op& op = expr.ops[i];
    switch (op.code) {
      case OpCode::kLevel:
        // `level.points_rate` is kLevel then kLevelAttr: name the attribute only.
        if (i + 1 < expr.ops.size() && expr.ops[i + 1].code == OpCode::kLevelAttr) break;
        add_edge("levels", reader, EdgeKind::kReads, "level");
        break;
      case OpCode::kLevelAttr:
        if (op.a < plan_.level_attribute_names.size()) {
          add_edge("levels", reader, EdgeKind::kReads,
                   "level." + plan_.level_attribute_names[op.a]);
        }
        break;
      case OpCode::kAggregate:
        add_edge(fmt::format("aggregate:{}", op.a), reader, EdgeKind::kReads);
        break;
      case OpCode::kAttr:
        if (op.a < plan_.attributes.size()) {
          add_edge("attribute:" + plan_.attributes[op.a].name, reader, EdgeKind::kReads);
        }
        break;
      default:
        break;
    }
  }
  // Segments are inlined by the planner; the canonical text still names them.
  for (const auto& s : plan_.segments) {
    const std::string needle = "segment." + s;
    for (std::size_t at = expr.text.find(needle); at != std::string::npos;
         at = expr.text.find(needle, at + 1)) {
      std::size_t end = at + needle.size();
      bool word_end =
          end == expr.text.size() ||
          !(std::isalnum(static_cast<unsigned char>(expr.text[end])) || expr.text[end] == '_');
      bool word_start = at == 0 || !(std::isalnum(static_cast<unsigned char>(expr.text[at - 1])) ||
                                     expr.text[at - 1] == '_' || expr.text[at - 1] == '.');
      if (word_end && word_start) {
        add_edge("segment:" + s, reader, EdgeKind::kReads);
        break;
      }
    }
  }
}

// Edges from `source` to what its statements change; `prefix` qualifies statements under an `if`.
void Builder::statements(const std::vector<PlanStmt>& body, const std::string& source,
                         const std::string& prefix) {
  for (const PlanStmt& s : body) {
    reads(s.value, source);
    switch (s.op) {
      case StmtOp::kPointsAdd:
      case StmtOp::kPointsSub:
      case StmtOp::kPointsMul: {
        const char* op = s.op == StmtOp::kPointsAdd   ? "+="
                         : s.op == StmtOp::kPointsSub ? "-="
                                                      : "*=";
        std::string label = fmt::format("{}{} {}", prefix, op, s.value.text);
        if (s.expire) label += ", " + expiry_text(*s.expire);
        if (s.pending) label += ", pending " + duration_text(*s.pending);
        add_edge(source, "points", EdgeKind::kFeeds, label);
        break;
      }
      case StmtOp::kGrowthAdd:
      case StmtOp::kGrowthSub:
      case StmtOp::kGrowthMul: {
        const char* op = s.op == StmtOp::kGrowthAdd   ? "+="
                         : s.op == StmtOp::kGrowthSub ? "-="
                                                      : "*=";
        add_edge(source, "growth", EdgeKind::kFeeds,
                 fmt::format("{}{} {}", prefix, op, s.value.text));
        break;
      }
      case StmtOp::kGrant: {
        if (s.target < 0 || static_cast<std::size_t>(s.target) >= plan_.privileges.size()) break;
        std::string label = fmt::format("{}grant {}", prefix, s.count);
        if (s.valid) label += ", valid " + duration_text(*s.valid);
        add_edge(source, "privilege:" + plan_.privileges[static_cast<std::size_t>(s.target)].id,
                 EdgeKind::kFeeds, label);
        break;
      }
      case StmtOp::kTagAdd:
      case StmtOp::kTagSub:
        add_edge(source, "tag:" + s.value.text, EdgeKind::kFeeds,
                 prefix + (s.op == StmtOp::kTagAdd ? "tag +=" : "tag -="));
        break;
      case StmtOp::kReverse: {
        if (s.target < 0 || static_cast<std::size_t>(s.target) >= plan_.events.size()) break;
        const auto& target = plan_.events[static_cast<std::size_t>(s.target)];
        std::string field = s.field >= 0 && static_cast<std::size_t>(s.field) < target.fields.size()
                                ? target.fields[static_cast<std::size_t>(s.field)].name
                                : "?";
        add_edge(source, event_id(s.target), EdgeKind::kReverses,
                 fmt::format("{}reverse where {} == {}", prefix, field, s.value.text));
        break;
      }
      case StmtOp::kIf:
        statements(s.then_body, source, prefix + "if " + s.value.text + ": ");
        statements(s.else_body, source, prefix + "else: ");
        break;
    }
  }
}

Graph Builder::run() {
  g_.program_id = plan_.program_id;
  g_.program_name = plan_.program_name;
  g_.version = plan_.version;

  // ---- nodes ----
  for (std::size_t e = 0; e < plan_.events.size(); ++e) {
    const auto& ev = plan_.events[e];
    GraphNode n;
    n.id = event_id(static_cast<int>(e));
    n.kind = ev.pseudo ? NodeKind::kPseudoEvent : NodeKind::kEvent;
    n.label = ev.name;
    std::string fields;
    for (const auto& f : ev.fields) {
      if (!fields.empty()) fields += ", ";
      fields += f.name;
    }
    if (!fields.empty()) n.details.push_back(fields);
    add_node(std::move(n));
  }
  for (const auto& p : plan_.packages) {
    GraphNode n{"package:" + p.id, NodeKind::kPackage, p.id, p.name, {}, {}};
    if (!p.for_.empty()) n.details.push_back("for " + p.for_.text);
    if (p.after_join)
      n.details.push_back("available " + duration_text(*p.after_join) + " after join");
    if (p.during_from && p.during_to) {
      n.details.push_back(
          fmt::format("during {} .. {}", format_date(*p.during_from), format_date(*p.during_to)));
    }
    add_node(std::move(n));
  }
  for (const auto& t : plan_.tasks) {
    GraphNode n{"task:" + t.id, NodeKind::kTask, t.id, t.name, {}, {}};
    if (!t.when.empty()) n.details.push_back("when " + t.when.text);
    std::string goal = goal_text(t);
    n.details.push_back(goal.empty() ? std::string(repeat_text(t.repeat))
                                     : goal + ", " + repeat_text(t.repeat));
    if (t.package >= 0 && static_cast<std::size_t>(t.package) < plan_.packages.size()) {
      n.group = "package:" + plan_.packages[static_cast<std::size_t>(t.package)].id;
    }
    add_node(std::move(n));
  }
  for (const auto& r : plan_.rules) {
    GraphNode n{"rule:" + r.id, NodeKind::kRule, r.id, r.name, {}, {}};
    if (!r.when.empty()) n.details.push_back("when " + r.when.text);
    add_node(std::move(n));
  }
  for (const auto& c : plan_.campaigns) {
    GraphNode n{"campaign:" + c.id, NodeKind::kCampaign, c.id, c.name, {}, {}};
    n.details.push_back(schedule_text(c));
    if (!c.for_.empty()) n.details.push_back("for " + c.for_.text);
    if (c.budget) n.details.push_back(fmt::format("budget {} points", *c.budget));
    add_node(std::move(n));
  }
  {
    GraphNode n{"points", NodeKind::kPoints, "points", "", {}, {}};
    n.details.push_back(expiry_text(plan_.default_expiry));
    if (plan_.cap) n.details.push_back("cap " + limit_text(*plan_.cap));
    if (plan_.pending) n.details.push_back("pending " + duration_text(*plan_.pending));
    if (plan_.allow_negative) n.details.push_back("allow negative");
    add_node(std::move(n));
  }
  {
    GraphNode n{"growth", NodeKind::kGrowth, "growth", "", {}, {}};
    n.details.push_back(plan_.growth_window ? "window " + duration_text(*plan_.growth_window)
                                            : "lifetime");
    add_node(std::move(n));
  }
  {
    GraphNode n{"levels", NodeKind::kLevels, "levels", "", {}, {}};
    std::string how = "by growth";
    if (plan_.review_every) {
      const auto& r = *plan_.review_every;
      how += r.count == 1 && r.unit == CalendarUnit::kYear ? ", review yearly"
                                                           : ", review every " + duration_text(r);
      how += plan_.downgrade == DowngradeMode::kOne ? ", downgrade one" : ", downgrade qualified";
    }
    n.details.push_back(how);
    for (std::size_t i = plan_.levels.size(); i-- > 0;) {
      const auto& l = plan_.levels[i];
      std::string line = l.name.empty() ? l.id : l.id + " " + l.name;
      line += fmt::format(" ≥ {}", l.from);
      if (l.keep != l.from) line += fmt::format(" (keep {})", l.keep);
      n.details.push_back(line);
    }
    add_node(std::move(n));
  }
  for (const auto& r : plan_.rewards) {
    GraphNode n{"reward:" + r.id, NodeKind::kReward, r.id, r.name, {}, {}};
    n.details.push_back(fmt::format("cost {} points", r.cost));
    if (r.stock) n.details.push_back(fmt::format("stock {}", *r.stock));
    if (r.limit) n.details.push_back("limit " + limit_text(*r.limit));
    if (!r.for_.empty()) n.details.push_back("for " + r.for_.text);
    add_node(std::move(n));
  }
  for (const auto& p : plan_.privileges) {
    GraphNode n{"privilege:" + p.id, NodeKind::kPrivilege, p.id, p.name, {}, {}};
    if (!p.for_.empty()) n.details.push_back("for " + p.for_.text);
    if (p.quota) n.details.push_back("quota " + limit_text(*p.quota));
    add_node(std::move(n));
  }
  // Tags: every tag expression a statement adds or removes, in order of first appearance.
  {
    std::vector<std::string> tags;
    std::function<void(const std::vector<PlanStmt>&)> collect =
        [&](const std::vector<PlanStmt>& body) {
          for (const auto& s : body) {
            if ((s.op == StmtOp::kTagAdd || s.op == StmtOp::kTagSub) &&
                std::find(tags.begin(), tags.end(), s.value.text) == tags.end()) {
              tags.push_back(s.value.text);
            }
            collect(s.then_body);
            collect(s.else_body);
          }
        };
    for (const auto& t : plan_.tasks) collect(t.body);
    for (const auto& r : plan_.rules) collect(r.body);
    for (const auto& c : plan_.campaigns) collect(c.bonus);
    for (const auto& r : plan_.rewards) collect(r.body);
    for (const auto& t : tags) add_node({"tag:" + t, NodeKind::kTag, t, "", {}, {}});
  }
  for (std::size_t i = 0; i < plan_.aggregates.size(); ++i) {
    const auto& a = plan_.aggregates[i];
    const auto& ev = plan_.events[static_cast<std::size_t>(a.event)];
    std::string inner;
    switch (a.kind) {
      case AggregateKind::kCount:
        inner = "count(" + ev.name + (a.where.empty() ? "" : " where " + a.where.text);
        break;
      case AggregateKind::kSum:
        inner = "sum(" + ev.name + "." +
                (a.field >= 0 && static_cast<std::size_t>(a.field) < ev.fields.size()
                     ? ev.fields[static_cast<std::size_t>(a.field)].name
                     : std::string("?"));
        break;
      case AggregateKind::kLast:
        inner = "last(" + ev.name;
        break;
      case AggregateKind::kFirst:
        inner = "first(" + ev.name;
        break;
    }
    if (a.within) inner += " within " + duration_text(*a.within);
    add_node({fmt::format("aggregate:{}", i), NodeKind::kAggregate, inner + ")", "", {}, {}});
  }
  for (const auto& s : plan_.segments)
    add_node({"segment:" + s, NodeKind::kSegment, s, "", {}, {}});
  for (const auto& a : plan_.attributes) {
    add_node({"attribute:" + a.name,
              NodeKind::kAttribute,
              "member." + a.name,
              "",
              {field_type_name(a.type)},
              {}});
  }

  // ---- edges: what each event triggers ----
  for (std::size_t e = 0; e < plan_.events.size(); ++e) {
    const auto& ev = plan_.events[e];
    const std::string from = event_id(static_cast<int>(e));
    for (int r : ev.rules)
      add_edge(from, "rule:" + plan_.rules[static_cast<std::size_t>(r)].id, EdgeKind::kTriggers);
    for (int t : ev.tasks)
      add_edge(from, "task:" + plan_.tasks[static_cast<std::size_t>(t)].id, EdgeKind::kTriggers);
    for (int c : ev.campaigns) {
      add_edge(from, "campaign:" + plan_.campaigns[static_cast<std::size_t>(c)].id,
               EdgeKind::kTriggers);
    }
    for (int a : ev.aggregates)
      add_edge(from, fmt::format("aggregate:{}", a), EdgeKind::kTriggers, "counted");
  }
  // ---- what each rule, task, campaign, reward and privilege reads and changes ----
  for (const auto& t : plan_.tasks) {
    const std::string id = "task:" + t.id;
    if (t.package >= 0 && static_cast<std::size_t>(t.package) < plan_.packages.size()) {
      reads(plan_.packages[static_cast<std::size_t>(t.package)].for_, id);
    }
    reads(t.when, id);
    reads(t.sum, id);
    statements(t.body, id, "");
    add_edge(id, "pseudo:task_done", EdgeKind::kRaises);
  }
  for (const auto& r : plan_.rules) {
    const std::string id = "rule:" + r.id;
    reads(r.when, id);
    statements(r.body, id, "");
  }
  for (const auto& c : plan_.campaigns) {
    const std::string id = "campaign:" + c.id;
    reads(c.for_, id);
    for (const auto& m : c.points_mul) {
      reads(m, id);
      add_edge(id, "points", EdgeKind::kFeeds, "*= " + m.text);
    }
    for (const auto& m : c.growth_mul) {
      reads(m, id);
      add_edge(id, "growth", EdgeKind::kFeeds, "*= " + m.text);
    }
    statements(c.bonus, id, "");
  }
  if (plan_.levels.size() > 1) {
    add_edge("growth", "levels", EdgeKind::kFeeds, "qualifies");
    add_edge("levels", "pseudo:level_up", EdgeKind::kRaises);
    if (plan_.review_every) add_edge("levels", "pseudo:level_down", EdgeKind::kRaises, "review");
  }
  for (const auto& r : plan_.rewards) {
    const std::string id = "reward:" + r.id;
    add_edge("points", id, EdgeKind::kSpends, fmt::format("cost {}", r.cost));
    reads(r.for_, id);
    statements(r.body, id, "");
    add_edge(id, "pseudo:reward_redeemed", EdgeKind::kRaises);
  }
  for (const auto& p : plan_.privileges) reads(p.for_, "privilege:" + p.id);

  // ---- drop pseudo-events, growth, levels and attributes that nothing connects ----
  std::set<std::string> linked;
  for (const auto& e : g_.edges) {
    linked.insert(e.from);
    linked.insert(e.to);
  }
  std::vector<GraphNode> kept;
  kept.reserve(g_.nodes.size());
  for (auto& n : g_.nodes) {
    bool optional = n.kind == NodeKind::kPseudoEvent || n.kind == NodeKind::kGrowth ||
                    n.kind == NodeKind::kLevels || n.kind == NodeKind::kAttribute;
    if (optional && !linked.count(n.id)) continue;
    kept.push_back(std::move(n));
  }
  g_.nodes = std::move(kept);
  return std::move(g_);
}

// ---- DOT
// -----------------------------------------------------------------------------------------

// A DOT double-quoted string body: quotes and backslashes escaped; '\n' becomes a centred line
// break.
std::string dot_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
    } else {
      out += c;
    }
  }
  return out;
}

// A record-label field: DOT string escaping plus the record metacharacters.
std::string record_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '{' || c == '}' || c == '|' || c == '<' || c == '>') out += '\\';
    out += c;
  }
  return dot_escape(out);
}

std::string quoted(std::string_view s) { return "\"" + dot_escape(s) + "\""; }

struct Style {
  const char* shape;
  const char* style;
  const char* fill;
  const char* border;
};

Style style_of(NodeKind k) {
  switch (k) {
    case NodeKind::kEvent:
      return {"box", "filled", "#dbe9ff", "#4a6fa5"};
    case NodeKind::kPseudoEvent:
      return {"box", "filled,dashed", "#ece4ff", "#6a4fa5"};
    case NodeKind::kRule:
      return {"box", "rounded,filled", "#fff2cc", "#b8962e"};
    case NodeKind::kPackage:
      return {"box", "rounded,filled", "#f1f8ec", "#7aa35a"};
    case NodeKind::kTask:
      return {"box", "rounded,filled", "#e2f0d9", "#5e8c3f"};
    case NodeKind::kCampaign:
      return {"box", "rounded,filled", "#fde2cf", "#c0703a"};
    case NodeKind::kPoints:
      return {"box", "rounded,filled,bold", "#f8d7da", "#a8434e"};
    case NodeKind::kGrowth:
      return {"box", "rounded,filled,bold", "#f8d7da", "#a8434e"};
    case NodeKind::kLevels:
      return {"record", "rounded,filled", "#f8d7da", "#a8434e"};
    case NodeKind::kPrivilege:
      return {"box", "rounded,filled", "#d9f2f2", "#2f8585"};
    case NodeKind::kReward:
      return {"box", "rounded,filled", "#fce4ec", "#a3476b"};
    case NodeKind::kTag:
      return {"note", "filled", "#eeeeee", "#777777"};
    case NodeKind::kAggregate:
      return {"box", "filled,dashed", "#f4f4f4", "#777777"};
    case NodeKind::kSegment:
      return {"box", "filled,dashed", "#f4f4f4", "#777777"};
    case NodeKind::kAttribute:
      return {"box", "filled,dashed", "#f4f4f4", "#777777"};
  }
  return {"box", "", "#ffffff", "#000000"};
}

void write_node(std::string& out, const GraphNode& n, std::string_view indent) {
  Style st = style_of(n.kind);
  std::string label;
  if (n.kind == NodeKind::kLevels) {
    // The ladder as stacked record fields (LR layout stacks top-level fields vertically).
    label = record_escape(n.label + (n.details.empty() ? "" : "\n" + n.details.front()));
    for (std::size_t i = 1; i < n.details.size(); ++i) label += "|" + record_escape(n.details[i]);
  } else {
    std::string text = n.label;
    if (!n.name.empty()) text += "\n" + n.name;
    for (const auto& d : n.details) text += "\n" + d;
    label = dot_escape(text);
  }
  out +=
      fmt::format("{}{} [label=\"{}\", shape={}, style=\"{}\", fillcolor=\"{}\", color=\"{}\"];\n",
                  indent, quoted(n.id), label, st.shape, st.style, st.fill, st.border);
}

struct Cluster {
  const char* id;
  const char* label;
  const char* fill;
  std::vector<NodeKind> kinds;
};

}  // namespace

Graph build_graph(const Plan& plan) { return Builder(plan).run(); }

std::string to_dot(const Graph& graph, const DotOptions& options) {
  std::string out;
  std::string font =
      options.fontname.empty() ? "" : fmt::format(", fontname={}", quoted(options.fontname));
  std::string title = graph.program_id;
  if (!graph.program_name.empty()) title += " " + graph.program_name;
  if (!graph.version.empty()) title += " (" + graph.version + ")";
  out += fmt::format("digraph {} {{\n",
                     quoted(graph.program_id.empty() ? "program" : graph.program_id));
  out += fmt::format(
      "  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.7, labelloc=t, fontsize=18, "
      "label={}{}];\n",
      quoted(title), font);
  out += fmt::format("  node [fontsize=11, margin=\"0.12,0.06\"{}];\n", font);
  out += fmt::format("  edge [fontsize=9, color=\"#555555\", fontcolor=\"#333333\"{}];\n", font);

  // Rules and campaigns evaluated on pseudo-events sit after the ladder, in a cluster of their own.
  std::set<std::string> on_pseudo;
  {
    std::set<std::string> pseudo;
    for (const auto& n : graph.nodes) {
      if (n.kind == NodeKind::kPseudoEvent) pseudo.insert(n.id);
    }
    for (const auto& e : graph.edges) {
      if (e.kind == EdgeKind::kTriggers && pseudo.count(e.from)) on_pseudo.insert(e.to);
    }
  }
  const std::vector<Cluster> clusters = {
      {"events", "events", "#f3f7fd", {NodeKind::kEvent}},
      {"reads",
       "aggregates, segments, attributes",
       "#fafafa",
       {NodeKind::kAggregate, NodeKind::kSegment, NodeKind::kAttribute}},
      {"rules", "rules", "#fffbef", {NodeKind::kRule}},
      {"tasks", "tasks", "#f6fbf3", {NodeKind::kTask}},
      {"campaigns", "campaigns", "#fff6ef", {NodeKind::kCampaign}},
      {"balances",
       "points, growth, levels",
       "#fdf1f2",
       {NodeKind::kPoints, NodeKind::kGrowth, NodeKind::kLevels}},
      {"pseudo_rules", "rules on pseudo-events", "#fffbef", {NodeKind::kRule}},
      {"benefits", "rewards, privileges", "#f3fafa", {NodeKind::kReward, NodeKind::kPrivilege}},
      {"tags", "tags", "#f7f7f7", {NodeKind::kTag}},
  };
  for (const Cluster& c : clusters) {
    const bool pseudo_rules = std::string_view(c.id) == "pseudo_rules";
    auto member = [&](const GraphNode& n) {
      if (std::find(c.kinds.begin(), c.kinds.end(), n.kind) == c.kinds.end()) return false;
      if (n.kind == NodeKind::kRule) return (on_pseudo.count(n.id) > 0) == pseudo_rules;
      return true;
    };
    bool any = false;
    for (const auto& n : graph.nodes) any = any || member(n);
    if (!any) continue;
    out += fmt::format("  subgraph cluster_{} {{\n", c.id);
    out += fmt::format(
        "    label={}; style=\"rounded,filled\"; fillcolor=\"{}\"; color=\"#bbbbbb\";\n",
        quoted(c.label), c.fill);
    if (c.kinds.front() == NodeKind::kTask) {
      // One sub-cluster per package, in declaration order; tasks without a package after them.
      for (const auto& p : graph.nodes) {
        if (p.kind != NodeKind::kPackage) continue;
        std::string text = p.label;
        if (!p.name.empty()) text += " " + p.name;
        for (const auto& d : p.details) text += "\n" + d;
        out += fmt::format("    subgraph {} {{\n", quoted("cluster_" + p.id));
        out += fmt::format(
            "      label={}; style=\"rounded,filled\"; fillcolor=\"#e9f4e1\"; color=\"#7aa35a\";\n",
            quoted(text));
        bool empty = true;
        for (const auto& n : graph.nodes) {
          if (n.kind == NodeKind::kTask && n.group == p.id) {
            write_node(out, n, "      ");
            empty = false;
          }
        }
        // A package without tasks still shows.
        if (empty)
          out += fmt::format("      {} [label=\"(no tasks)\", shape=plaintext];\n", quoted(p.id));
        out += "    }\n";
      }
      for (const auto& n : graph.nodes) {
        if (n.kind == NodeKind::kTask && n.group.empty()) write_node(out, n, "    ");
      }
    } else {
      for (const auto& n : graph.nodes) {
        if (member(n)) write_node(out, n, "    ");
      }
    }
    out += "  }\n";
  }
  // Pseudo-events are not clustered: each sits where the flow raises it (task_done after the tasks,
  // level_up after the ladder).
  for (const auto& n : graph.nodes) {
    if (n.kind == NodeKind::kPseudoEvent) write_node(out, n, "  ");
  }
  // Reads into rules, tasks and campaigns run backwards (the ladder is drawn after them): they do
  // not pull the layout. Reads into privileges and rewards do: benefits sit after what gates them.
  std::map<std::string, NodeKind> kinds;
  for (const auto& n : graph.nodes) kinds.emplace(n.id, n.kind);
  for (const auto& e : graph.edges) {
    std::string attrs;
    switch (e.kind) {
      case EdgeKind::kTriggers:
        break;
      case EdgeKind::kFeeds:
        attrs = ", color=\"#333333\"";
        break;
      case EdgeKind::kReverses:
        attrs = ", color=\"#c62828\", fontcolor=\"#c62828\", constraint=false";
        break;
      case EdgeKind::kRaises:
        attrs = ", style=bold, color=\"#6a4fa5\"";
        break;
      case EdgeKind::kReads: {
        auto it = kinds.find(e.to);
        bool benefit = it != kinds.end() &&
                       (it->second == NodeKind::kPrivilege || it->second == NodeKind::kReward);
        attrs = benefit ? ", style=dashed, color=\"#999999\", arrowhead=open"
                        : ", style=dashed, color=\"#999999\", arrowhead=open, constraint=false";
        break;
      }
      case EdgeKind::kSpends:
        attrs = ", color=\"#a3476b\", fontcolor=\"#a3476b\"";
        break;
    }
    std::string label = e.label.empty() ? "" : fmt::format("label={}", quoted(e.label));
    if (label.empty() && !attrs.empty()) attrs = attrs.substr(2);
    out += fmt::format("  {} -> {}", quoted(e.from), quoted(e.to));
    if (!label.empty() || !attrs.empty()) out += " [" + label + attrs + "]";
    out += ";\n";
  }
  out += "}\n";
  return out;
}

}  // namespace merit::engine
