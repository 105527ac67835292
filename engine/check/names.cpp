// Names: builds the checker's symbol tables (events and their fields, member attributes, levels,
// level attributes, every named declaration), reports duplicates and reserved names, unknown field
// types, and the references that declarations make by name in their headers (`on`, `in`).
#include <fmt/format.h>

#include "engine/check/internal.hpp"
#include "engine/model/value.hpp"

namespace merit::engine::check_internal {
namespace {

// The events the engine raises itself (LANGUAGE.md §4.2), with their own fields.
std::vector<EventInfo> pseudo_events() {
  const Field member{"member", Type::kString};
  const Field time{"time", Type::kTime};
  return {
      {"join", true, {member, time}},
      {"level_up", true, {{"from", Type::kLevel}, {"to", Type::kLevel}, member, time}},
      {"level_down", true, {{"from", Type::kLevel}, {"to", Type::kLevel}, member, time}},
      {"task_done", true, {{"task", Type::kString}, member, time}},
      {"reward_redeemed",
       true,
       {{"reward", Type::kString}, {"quantity", Type::kInt}, member, time}},
  };
}

bool is_builtin_event_field(std::string_view name) {
  return name == "id" || name == "member" || name == "time";
}

// Reads typed fields (`amount: money`): unknown types and repeated names are errors. The fields
// that check out are appended to `out`.
void collect_fields(Checker& c, const std::vector<ast::FieldDecl>& fields, std::string_view owner,
                    bool is_event, std::vector<Field>& out) {
  std::map<std::string, ast::Loc, std::less<>> seen;
  for (const ast::FieldDecl& f : fields) {
    if (auto it = seen.find(f.name.name); it != seen.end()) {
      c.error(f.name.loc, "duplicate",
              fmt::format("field `{}` of {} is declared twice (first at line {})", f.name.name,
                          owner, it->second.line));
      continue;
    }
    seen.emplace(f.name.name, f.name.loc);
    if (is_event && is_builtin_event_field(f.name.name)) {
      c.error(
          f.name.loc, "reserved",
          fmt::format("every event already has a field `{}`; choose another name", f.name.name));
      continue;
    }
    std::optional<Type> type = parse_type_name(f.type);
    if (!type) {
      c.unknown(f.type_loc, "unknown-type",
                fmt::format("unknown type `{}` for field `{}`; the types are int, decimal, money, "
                            "bool, string, date, time, duration, set<string>",
                            f.type, f.name.name),
                f.type, field_type_names());
      out.push_back({f.name.name, Type::kError});
      continue;
    }
    out.push_back({f.name.name, *type});
  }
}

// Fills `table` with the ids of `decls`; a repeated id is an error naming the first.
template <class Decl>
void collect_ids(Checker& c, NameTable& table, const std::vector<Decl>& decls,
                 std::string_view kind) {
  for (std::size_t i = 0; i < decls.size(); ++i) {
    const ast::Ident& id = decls[i].id;
    if (auto it = table.first.find(id.name); it != table.first.end()) {
      c.error(id.loc, "duplicate",
              fmt::format("{} `{}` is declared twice (first at line {})", kind, id.name,
                          decls[it->second].id.loc.line));
      continue;
    }
    table.first.emplace(id.name, i);
    table.names.push_back(id.name);
  }
}

void collect_events(Checker& c) {
  for (EventInfo& p : pseudo_events()) c.events.emplace(p.name, std::move(p));
  for (const ast::EventDecl& e : c.program.events) {
    if (const EventInfo* existing = c.find_event(e.id.name)) {
      if (existing->pseudo) {
        c.error(e.id.loc, "reserved",
                fmt::format("`{}` is an event the engine raises itself; choose another name",
                            e.id.name));
      } else {
        c.error(e.id.loc, "duplicate", fmt::format("event `{}` is declared twice", e.id.name));
      }
      continue;
    }
    EventInfo info;
    info.name = e.id.name;
    collect_fields(c, e.fields, fmt::format("event `{}`", e.id.name), true, info.fields);
    info.fields.push_back({"id", Type::kString});
    info.fields.push_back({"member", Type::kString});
    info.fields.push_back({"time", Type::kTime});
    c.declared_events.push_back(e.id.name);
    c.events.emplace(e.id.name, std::move(info));
  }
  c.all_events = c.declared_events;
  for (const EventInfo& p : pseudo_events()) c.all_events.push_back(p.name);

  // A campaign without `on` applies to every declared event (LANGUAGE.md §8): it may read the
  // fields they all have, with the same type.
  EventInfo every;
  every.name = "every event";
  if (!c.declared_events.empty()) {
    for (const Field& f : c.find_event(c.declared_events.front())->fields) {
      bool shared = true;
      for (const std::string& name : c.declared_events) {
        const Field* g = c.find_event(name)->find(f.name);
        if (g == nullptr || g->type != f.type) shared = false;
      }
      if (shared) every.fields.push_back(f);
    }
  } else {
    every.fields = {{"id", Type::kString}, {"member", Type::kString}, {"time", Type::kTime}};
  }
  c.every_event = std::move(every);
}

void collect_member(Checker& c) {
  if (c.program.member) {
    collect_fields(c, c.program.member->fields, "member", false, c.member_fields);
    for (std::size_t i = 0; i < c.program.member->fields.size(); ++i) {
      const ast::FieldDecl& f = c.program.member->fields[i];
      if (f.name.name == "tags" && parse_type_name(f.type) &&
          *parse_type_name(f.type) != Type::kStringSet) {
        c.error(f.type_loc, "type-mismatch",
                fmt::format("`member.tags` is always a set<string> (tag += adds to it), not {}",
                            f.type));
      }
    }
  }
  if (c.find_member_field("tags") == nullptr) c.member_fields.push_back({"tags", Type::kStringSet});
}

void collect_levels(Checker& c) {
  if (!c.program.levels) return;
  const auto& levels = c.program.levels->levels;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const ast::LevelDecl& l = levels[i];
    if (l.id.name == "level" || l.id.name == "now") {
      c.error(
          l.id.loc, "reserved",
          fmt::format("a level cannot be called `{}`: in expressions `{}` means {}", l.id.name,
                      l.id.name, l.id.name == "now" ? "the event's time" : "the member's level"));
      continue;
    }
    if (auto it = c.level_index.find(l.id.name); it != c.level_index.end()) {
      c.error(l.id.loc, "duplicate",
              fmt::format("level `{}` is declared twice (first at line {})", l.id.name,
                          levels[it->second].id.loc.line));
      continue;
    }
    c.level_index.emplace(l.id.name, c.levels.size());
    c.levels.push_back(l.id.name);
  }
  // Attributes are inherited upward (§4.5): a rule may read one only if the lowest level sets it.
  for (std::size_t i = 0; i < levels.size(); ++i) {
    for (const ast::Attribute& a : levels[i].attributes) {
      if (c.level_attrs.count(a.name.name) != 0) continue;
      Type t = a.value.kind == ast::ExprKind::kString   ? Type::kString
               : a.value.kind == ast::ExprKind::kNumber ? Type::kDecimal
                                                        : Type::kError;
      c.level_attrs.emplace(a.name.name, LevelAttr{t, i == 0});
      c.level_attr_names.push_back(a.name.name);
    }
  }
}

void check_event_ref(Checker& c, const ast::Ident& on, bool allow_pseudo, std::string_view owner) {
  const EventInfo* e = c.find_event(on.name);
  if (e == nullptr) {
    c.unknown(on.loc, "unknown-event", fmt::format("unknown event type `{}`", on.name), on.name,
              allow_pseudo ? c.all_events : c.declared_events);
    return;
  }
  if (e->pseudo && !allow_pseudo) {
    c.error(on.loc, "pseudo-event",
            fmt::format("{} cannot be on `{}`: campaigns apply to declared events only, never to "
                        "the events the engine raises",
                        owner, on.name));
  }
}

}  // namespace

void collect_names(Checker& c) {
  collect_events(c);
  collect_member(c);
  collect_levels(c);
  const ast::Program& p = c.program;
  collect_ids(c, c.rules, p.rules, "rule");
  collect_ids(c, c.packages, p.packages, "package");
  collect_ids(c, c.tasks, p.tasks, "task");
  collect_ids(c, c.campaigns, p.campaigns, "campaign");
  collect_ids(c, c.privileges, p.privileges, "privilege");
  collect_ids(c, c.rewards, p.rewards, "reward");
  collect_ids(c, c.cards, p.cards, "card");
  collect_ids(c, c.segments, p.segments, "segment");

  for (const ast::RuleDecl& r : p.rules) {
    check_event_ref(c, r.on, true, fmt::format("rule `{}`", r.id.name));
  }
  for (const ast::TaskDecl& t : p.tasks) {
    check_event_ref(c, t.on, true, fmt::format("task `{}`", t.id.name));
    if (t.in && !c.packages.contains(t.in->name)) {
      c.unknown(t.in->loc, "unknown-package", fmt::format("unknown package `{}`", t.in->name),
                t.in->name, c.packages.names);
    }
  }
  for (const ast::CampaignDecl& k : p.campaigns) {
    if (k.on) check_event_ref(c, *k.on, false, fmt::format("campaign `{}`", k.id.name));
  }
}

}  // namespace merit::engine::check_internal
