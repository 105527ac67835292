// JSON for member views and ledger entries.
#include "codec/state_json.hpp"

#include "codec/json_writer.hpp"

namespace merit::codec {

using engine::Cause;
using engine::EffectKind;
using engine::Value;

const char* effect_kind_name(EffectKind k) {
  switch (k) {
    case EffectKind::kJoin:
      return "join";
    case EffectKind::kPoints:
      return "points";
    case EffectKind::kCapped:
      return "capped";
    case EffectKind::kBudgetCut:
      return "budget_cut";
    case EffectKind::kDeduct:
      return "deduct";
    case EffectKind::kSpend:
      return "spend";
    case EffectKind::kExpire:
      return "expire";
    case EffectKind::kRelease:
      return "release";
    case EffectKind::kReverse:
      return "reverse";
    case EffectKind::kShortfall:
      return "shortfall";
    case EffectKind::kGrowth:
      return "growth";
    case EffectKind::kLevelUp:
      return "level_up";
    case EffectKind::kLevelDown:
      return "level_down";
    case EffectKind::kReview:
      return "review";
    case EffectKind::kTaskProgress:
      return "task_progress";
    case EffectKind::kTaskDone:
      return "task_done";
    case EffectKind::kGrant:
      return "grant";
    case EffectKind::kUse:
      return "use";
    case EffectKind::kRedeem:
      return "redeem";
    case EffectKind::kTagAdd:
      return "tag_add";
    case EffectKind::kTagRemove:
      return "tag_remove";
    case EffectKind::kSet:
      return "set";
  }
  return "unknown";
}

std::string value_json(const engine::Plan& plan, const Value& v) {
  std::string out;
  JsonWriter w(out);
  switch (v.kind) {
    case Value::Kind::kNone:
      w.null();
      break;
    case Value::Kind::kNumber:
      w.decimal(Decimal::from_units(v.i));
      break;
    case Value::Kind::kBool:
      w.boolean(v.i != 0);
      break;
    case Value::Kind::kString:
      w.string(v.s);
      break;
    case Value::Kind::kDate:
      w.date(LocalDate{static_cast<std::int32_t>(v.i)});
      break;
    case Value::Kind::kTime:
      w.instant(Instant{v.i});
      break;
    case Value::Kind::kDuration:
      w.decimal(Decimal::from_units(v.i * (Decimal::kScale / 1000)));
      break;
    case Value::Kind::kSet:
      w.begin_array();
      for (const auto& s : v.set) w.string(s);
      w.end_array();
      break;
    case Value::Kind::kLevel:
      w.string(v.i >= 0 && static_cast<std::size_t>(v.i) < plan.levels.size()
                   ? plan.levels[static_cast<std::size_t>(v.i)].id
                   : "");
      break;
  }
  return out;
}

std::string member_json(const engine::Plan& plan, const engine::MemberView& v) {
  std::string out;
  out.reserve(512);
  append_member_json(out, plan, v);
  return out;
}

void append_member_json(std::string& out, const engine::Plan& plan, const engine::MemberView& v) {
  JsonWriter w(out);
  w.begin_object();
  w.key("member").string(v.member);
  w.key("level").string(v.level);
  w.key("level_name").string(v.level_name);
  w.key("level_since").instant(v.level_since);
  w.key("joined").instant(v.joined);
  w.key("points").begin_object();
  w.key("available").integer(v.available);
  w.key("pending").integer(v.pending);
  w.key("expiring").begin_array();
  for (const auto& [day, amount] : v.expiring) {
    w.begin_object().key("date").date(day).key("amount").integer(amount).end_object();
  }
  w.end_array();
  w.end_object();
  w.key("growth").begin_object();
  w.key("lifetime").integer(v.growth_lifetime);
  w.key("qualifying").integer(v.growth_qualifying);
  w.end_object();
  w.key("next_level");
  if (v.next_level) {
    w.begin_object()
        .key("level")
        .string(*v.next_level)
        .key("growth_needed")
        .integer(v.growth_to_next)
        .end_object();
  } else {
    w.null();
  }
  w.key("review");
  if (v.next_review) {
    w.begin_object()
        .key("due")
        .instant(*v.next_review)
        .key("growth_needed")
        .integer(v.growth_to_keep)
        .end_object();
  } else {
    w.null();
  }
  w.key("tasks").begin_object();
  for (const auto& t : v.tasks) {
    w.key(t.id).begin_object();
    w.key("progress").decimal(t.progress);
    w.key("target").decimal(t.target);
    w.key("completions").integer(t.completions);
    if (t.window) w.key("window").string(*t.window);
    w.end_object();
  }
  w.end_object();
  w.key("privileges").begin_object();
  for (const auto& p : v.privileges) {
    w.key(p.id).begin_object().key("remaining");
    if (p.remaining)
      w.integer(*p.remaining);
    else
      w.null();
    w.end_object();
  }
  w.end_object();
  w.key("tags").begin_array();
  for (const auto& t : v.tags) w.string(t);
  w.end_array();
  w.key("attributes").begin_object();
  for (const auto& [name, value] : v.attributes) w.key(name).raw(value_json(plan, value));
  w.end_object();
  w.end_object();
}

void append_effect_json(std::string& out, const engine::Plan& plan, const engine::Effect& e) {
  JsonWriter w(out);
  w.begin_object();
  w.key("kind").string(effect_kind_name(e.kind));
  auto idx = static_cast<std::size_t>(e.cause_index);
  switch (e.cause) {
    case Cause::kRule:
      w.key("rule").string(plan.rules[idx].id);
      break;
    case Cause::kTask:
      w.key("task").string(plan.tasks[idx].id);
      break;
    case Cause::kCampaign:
      w.key("campaign").string(plan.campaigns[idx].id);
      break;
    case Cause::kReward:
      w.key("reward").string(plan.rewards[idx].id);
      break;
    case Cause::kReview:
      w.key("cause").string("review");
      break;
    case Cause::kSystem:
      w.key("cause").string("system");
      break;
    case Cause::kNone:
      break;
  }
  auto level_id = [&](int l) {
    return l >= 0 && static_cast<std::size_t>(l) < plan.levels.size()
               ? plan.levels[static_cast<std::size_t>(l)].id
               : std::string();
  };
  auto last_day = [&](std::int64_t gone) {
    return format_date(plan.zone.date_of(Instant{gone - 1}));
  };
  switch (e.kind) {
    case EffectKind::kPoints:
      w.key("amount").integer(e.amount);
      if (e.expires != engine::kNever) w.key("expires").string(last_day(e.expires));
      if (e.pending_until > 0) w.key("pending_until").instant(Instant{e.pending_until});
      if (e.exact.units() != 0) w.key("exact").decimal(e.exact);
      break;
    case EffectKind::kGrowth:
      w.key("amount").integer(e.amount);
      if (e.exact.units() != 0) w.key("exact").decimal(e.exact);
      break;
    case EffectKind::kLevelUp:
    case EffectKind::kLevelDown:
    case EffectKind::kReview:
      w.key("from").string(level_id(e.a));
      w.key("to").string(level_id(e.b));
      if (e.kind == EffectKind::kReview) w.key("qualifying").integer(e.amount);
      break;
    case EffectKind::kTaskProgress:
      w.key("progress").decimal(Decimal::from_units(e.progress));
      w.key("target").decimal(e.exact);
      break;
    case EffectKind::kTaskDone:
      break;
    case EffectKind::kGrant:
      w.key("privilege").string(plan.privileges[static_cast<std::size_t>(e.a)].id);
      w.key("amount").integer(e.amount);
      if (e.expires != engine::kNever) w.key("until").instant(Instant{e.expires});
      break;
    case EffectKind::kUse:
      w.key("privilege").string(plan.privileges[static_cast<std::size_t>(e.a)].id);
      w.key("from").string(e.b == 1 ? "grant" : "quota");
      break;
    case EffectKind::kRedeem:
      w.key("quantity").integer(e.amount);
      break;
    case EffectKind::kTagAdd:
    case EffectKind::kTagRemove:
      w.key("tag").string(e.text);
      break;
    case EffectKind::kJoin:
    case EffectKind::kSet:
      break;
    default:
      w.key("amount").integer(e.amount);
      break;
  }
  w.key("time").instant(e.time);
  if (!e.lots.empty()) {
    w.key("lots").begin_array();
    for (const auto& [id, amount] : e.lots) {
      w.begin_array().integer(id).integer(amount).end_array();
    }
    w.end_array();
  }
  w.end_object();
}

}  // namespace merit::codec
