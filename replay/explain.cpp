// The text of `merit explain`.
#include "replay/explain.hpp"

#include <fmt/format.h>

#include "codec/state_json.hpp"
#include "replay/replay.hpp"

namespace merit::replay {

namespace {

std::string cause_text(const engine::Plan& plan, const engine::Effect& e) {
  auto idx = static_cast<std::size_t>(e.cause_index);
  auto named = [](const char* kind, const std::string& id, const std::string& name) {
    return name.empty() ? fmt::format("{} {}", kind, id)
                        : fmt::format("{} {} \"{}\"", kind, id, name);
  };
  switch (e.cause) {
    case engine::Cause::kRule:
      return named("rule", plan.rules[idx].id, plan.rules[idx].name);
    case engine::Cause::kTask:
      return named("task", plan.tasks[idx].id, plan.tasks[idx].name);
    case engine::Cause::kCampaign:
      return named("campaign", plan.campaigns[idx].id, plan.campaigns[idx].name);
    case engine::Cause::kReward:
      return named("reward", plan.rewards[idx].id, plan.rewards[idx].name);
    case engine::Cause::kReview:
      return "level review";
    case engine::Cause::kSystem:
      return "time";
    case engine::Cause::kNone:
      return "";
  }
  return "";
}

std::string lots_text(const engine::Effect& e) {
  if (e.lots.empty()) return "";
  std::string s = " [lots";
  for (const auto& [id, amount] : e.lots) s += fmt::format(" #{}:{}", id, amount);
  return s + "]";
}

std::string effect_text(const engine::Plan& plan, const engine::Effect& e) {
  using K = engine::EffectKind;
  auto level = [&](int l) {
    return l >= 0 ? plan.levels[static_cast<std::size_t>(l)].id : std::string("?");
  };
  auto day = [&](std::int64_t gone) { return format_date(plan.zone.date_of(Instant{gone - 1})); };
  std::string cause = cause_text(plan, e);
  std::string by = cause.empty() ? "" : " by " + cause;
  switch (e.kind) {
    case K::kJoin:
      return "joined at the lowest level " + level(0);
    case K::kPoints: {
      std::string s = fmt::format("+{} points{}", e.amount, by);
      if (e.expression != nullptr) {
        s += *e.expression == e.exact.to_string()
                 ? fmt::format(": {}", *e.expression)
                 : fmt::format(": {} = {}", *e.expression, e.exact.to_string());
      }
      if (e.cause == engine::Cause::kCampaign && e.expression != nullptr)
        s += " with the multipliers";
      if (e.exact.units() != 0 && e.exact != Decimal::from_int(e.amount) &&
          e.cause != engine::Cause::kCampaign) {
        s += ", rounded down";
      }
      s +=
          e.expires == engine::kNever ? ", never expires" : ", spendable through " + day(e.expires);
      if (e.pending_until > 0) s += ", pending until " + format_instant(Instant{e.pending_until});
      return s + lots_text(e);
    }
    case K::kCapped:
      return fmt::format("{} points cut by the cap{}", e.amount, by);
    case K::kBudgetCut:
      return fmt::format("{} points cut: the campaign budget ran out{}", e.amount, by);
    case K::kDeduct:
      return fmt::format("-{} points deducted{}{}", e.amount, by, lots_text(e));
    case K::kSpend:
      return fmt::format("-{} points spent{}{}", e.amount, by, lots_text(e));
    case K::kExpire:
      return fmt::format("-{} points expired{}", e.amount, lots_text(e));
    case K::kRelease:
      return fmt::format("{} pending points became spendable{}", e.amount, lots_text(e));
    case K::kReverse:
      return fmt::format("-{} points reversed{}{}", e.amount, by, lots_text(e));
    case K::kShortfall:
      return fmt::format("{} points could not be taken back (balance at zero){}", e.amount, by);
    case K::kGrowth: {
      std::string s = fmt::format("{:+} growth{}", e.amount, by);
      if (e.expression != nullptr && e.amount > 0) {
        s += *e.expression == e.exact.to_string()
                 ? fmt::format(": {}", *e.expression)
                 : fmt::format(": {} = {}", *e.expression, e.exact.to_string());
        if (e.exact != Decimal::from_int(e.amount)) s += ", rounded down";
      }
      return s;
    }
    case K::kLevelUp:
      return fmt::format("level up {} -> {}", level(e.a), level(e.b));
    case K::kLevelDown:
      return fmt::format("level down {} -> {} at the review due {}", level(e.a), level(e.b),
                         format_instant(e.time));
    case K::kReview:
      return fmt::format("review due {} kept {} (qualifying growth {})", format_instant(e.time),
                         level(e.a), e.amount);
    case K::kTaskProgress:
      return fmt::format("task {} progress {}/{}", plan.tasks[static_cast<std::size_t>(e.a)].id,
                         Decimal::from_units(e.progress).to_string(), e.exact.to_string());
    case K::kTaskDone:
      return fmt::format("task {} completed", plan.tasks[static_cast<std::size_t>(e.a)].id);
    case K::kGrant:
      return fmt::format(
          "+{} uses of {}{}{}", e.amount, plan.privileges[static_cast<std::size_t>(e.a)].id,
          e.expires == engine::kNever ? "" : ", valid until " + format_instant(Instant{e.expires}),
          by);
    case K::kUse:
      return fmt::format("used {} ({})", plan.privileges[static_cast<std::size_t>(e.a)].id,
                         e.b == 1 ? "a granted use" : "the quota");
    case K::kRedeem:
      return fmt::format("redeemed {} x{}", plan.rewards[static_cast<std::size_t>(e.a)].id,
                         e.amount);
    case K::kTagAdd:
      return fmt::format("tag +\"{}\"{}", e.text, by);
    case K::kTagRemove:
      return fmt::format("tag -\"{}\"{}", e.text, by);
    case K::kSet:
      return "attributes set";
  }
  return "";
}

std::string op_text(const engine::Plan& plan, const engine::Operation& op) {
  switch (op.kind) {
    case engine::OpKind::kEvent: {
      const auto& ev = plan.events[static_cast<std::size_t>(op.event_type)];
      std::string s = ev.name;
      for (std::size_t i = 0; i < ev.fields.size() && i < op.fields.size(); ++i) {
        if (op.fields[i].kind == engine::Value::Kind::kNone) continue;
        s += fmt::format(" {}={}", ev.fields[i].name, codec::value_json(plan, op.fields[i]));
      }
      return s;
    }
    case engine::OpKind::kRedeem:
      return fmt::format(
          "redeem {} x{}",
          op.reward >= 0 ? plan.rewards[static_cast<std::size_t>(op.reward)].id : "?", op.quantity);
    case engine::OpKind::kUse:
      return fmt::format("use {}", op.privilege >= 0
                                       ? plan.privileges[static_cast<std::size_t>(op.privilege)].id
                                       : "?");
    case engine::OpKind::kSet:
      return "set attributes";
  }
  return "";
}

}  // namespace

std::string explain_member(std::shared_ptr<const engine::Plan> plan, std::istream& events, bool csv,
                           const std::string& member) {
  Replayer replayer(plan);
  std::string out;
  replayer.run(events, csv,
               [&](std::int64_t line, const engine::Operation* op, const engine::ApplyResult* r) {
                 if (op == nullptr || op->member != member) return;
                 out += fmt::format("{}  {}  {}  (line {})\n", format_instant(op->time), op->id,
                                    op_text(*plan, *op), line);
                 if (r == nullptr) {
                   out += "    duplicate id: nothing applied\n";
                   return;
                 }
                 if (r->rejection) {
                   out += fmt::format("    refused: {} ({})\n", r->rejection->message,
                                      r->rejection->code);
                   return;
                 }
                 for (const auto& e : r->effects) out += "    " + effect_text(*plan, e) + "\n";
               });
  if (out.empty()) return "";
  Instant when = replayer.summary().latest.value_or(Instant{});
  out += "state: " + replayer.member_state_json(member, when) + "\n";
  return out;
}

}  // namespace merit::replay
