// The evaluator's contract (engine/eval/evaluator.hpp): a refused operation leaves the member and
// the shared counters exactly as they were; the same inputs give the same effects and states.
#include <gtest/gtest.h>

#include "codec/snapshot.hpp"
#include "dsl/parse.hpp"
#include "engine/check/checker.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/plan/planner.hpp"

namespace merit::engine {
namespace {

std::shared_ptr<const Plan> plan_of(const std::string& text) {
  auto parsed = dsl::parse_program(dsl::Source("t.merit", text));
  EXPECT_TRUE(parsed.program.has_value());
  if (!parsed.program) return nullptr;
  auto diags = check_program(*parsed.program);
  EXPECT_FALSE(dsl::has_errors(diags));
  auto plan = build_plan(*parsed.program);
  EXPECT_TRUE(plan.has_value());
  return plan ? *plan : nullptr;
}

Operation purchase(const Plan& plan, const char* id, const char* time, const char* amount,
                   const char* qty) {
  Operation op;
  op.kind = OpKind::kEvent;
  op.id = id;
  op.member = "m";
  op.time = *parse_instant(time, plan.zone);
  op.event_type = plan.event_index("purchase");
  op.fields = {Value::number(*Decimal::parse(amount)), Value::number(*Decimal::parse(qty))};
  return op;
}

constexpr const char* kProgram = R"(
program p { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money; qty: int }
points { expire after 30 days }
levels by growth { level L1 from 0 level L2 from 100 }
rule unit_price on purchase { points += event.amount / event.qty  growth += event.amount }
campaign launch on purchase during 2026-01-01 .. 2026-12-31 budget 150 points { points *= 2 }
reward mug cost 100 points stock 1 limit 1 per member
)";

TEST(Evaluator, DivisionByZeroRefusesTheEventAndChangesNothing) {
  auto plan = plan_of(kProgram);
  ASSERT_TRUE(plan);
  MemberState m = new_member(*plan, "m");
  SharedState shared = new_shared(*plan);
  ApplyResult r;
  apply(*plan, m, shared, purchase(*plan, "e1", "2026-02-01T10:00", "120", "2"), r);
  ASSERT_FALSE(r.rejection);
  std::string member_before = codec::member_snapshot_json(m);
  std::string shared_before = codec::shared_snapshot_json(shared);
  apply(*plan, m, shared, purchase(*plan, "e2", "2026-02-02T10:00", "50", "0"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "evaluation_error");
  EXPECT_NE(r.rejection->message.find("unit_price"), std::string::npos) << r.rejection->message;
  EXPECT_NE(r.rejection->message.find("division by zero"), std::string::npos);
  EXPECT_TRUE(r.effects.empty());
  EXPECT_EQ(codec::member_snapshot_json(m), member_before);
  EXPECT_EQ(codec::shared_snapshot_json(shared), shared_before);
}

TEST(Evaluator, RefusedRedemptionChangesNothingEvenAfterExpiryWasDue) {
  auto plan = plan_of(kProgram);
  ASSERT_TRUE(plan);
  MemberState m = new_member(*plan, "m");
  SharedState shared = new_shared(*plan);
  ApplyResult r;
  apply(*plan, m, shared, purchase(*plan, "e1", "2026-02-01T10:00", "40", "1"),
        r);  // 40 + 40 campaign
  ASSERT_FALSE(r.rejection);
  std::string before = codec::member_snapshot_json(m);
  Operation redeem;
  redeem.kind = OpKind::kRedeem;
  redeem.id = "r1";
  redeem.member = "m";
  redeem.reward = plan->reward_index("mug");
  redeem.time = *parse_instant("2026-04-01T10:00", plan->zone);  // the lot expired on 03-03
  apply(*plan, m, shared, redeem, r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "insufficient_points");
  EXPECT_EQ(codec::member_snapshot_json(m), before);
}

// Redeem and use back up the member only once something is about to change (step 3 or the
// redemption itself): a refusal leaves the member as it was whether or not step 3 had work to do,
// and a backup taken for one member never leaks into another's state.
constexpr const char* kReviewProgram = R"(
program p { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money; qty: int }
points { expire after 30 days }
growth { window 365 days }
levels by growth review yearly { level L1 from 0 level L2 from 100 }
rule base on purchase { points += event.amount  growth += event.amount }
privilege lounge for level >= L2 quota 1 per month
reward mug cost 500 points
)";

TEST(Evaluator, RefusedUseAndRedeemChangeNothingWithOrWithoutWorkDueFirst) {
  auto plan = plan_of(kReviewProgram);
  ASSERT_TRUE(plan);
  SharedState shared = new_shared(*plan);
  MemberState a = new_member(*plan, "a"), b = new_member(*plan, "b");
  ApplyResult r;
  Operation e = purchase(*plan, "e1", "2026-01-10T10:00", "150", "1");
  e.member = "a";
  apply(*plan, a, shared, e, r);
  ASSERT_FALSE(r.rejection);
  ASSERT_EQ(a.level, 1);
  e = purchase(*plan, "e2", "2026-01-10T11:00", "20", "1");
  e.member = "b";
  apply(*plan, b, shared, e, r);
  ASSERT_FALSE(r.rejection);
  const std::string b_before = codec::member_snapshot_json(b);

  auto use = [&](const char* id, const char* time) {
    Operation u;
    u.kind = OpKind::kUse;
    u.id = id;
    u.member = "a";
    u.privilege = plan->privilege_index("lounge");
    u.time = *parse_instant(time, plan->zone);
    return u;
  };
  auto redeem = [&](const char* id, const char* member, const char* time) {
    Operation x;
    x.kind = OpKind::kRedeem;
    x.id = id;
    x.member = member;
    x.reward = plan->reward_index("mug");
    x.time = *parse_instant(time, plan->zone);
    return x;
  };

  apply(*plan, a, shared, use("u1", "2026-01-20T10:00"), r);
  ASSERT_FALSE(r.rejection);
  // Nothing due at step 3: refused, and nothing copied or changed.
  std::string before = codec::member_snapshot_json(a);
  apply(*plan, a, shared, use("u2", "2026-01-21T10:00"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "no_uses_left");
  EXPECT_EQ(codec::member_snapshot_json(a), before);
  apply(*plan, a, shared, redeem("r1", "a", "2026-01-21T10:00"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "insufficient_points");
  EXPECT_EQ(codec::member_snapshot_json(a), before);

  // A year on, the lot has expired and the review is due (growth in the window is 0: down to
  // L1). Step 3 changes the member before the checks refuse; the refusal undoes all of it.
  const std::int64_t due_before = a.review_due;
  apply(*plan, a, shared, use("u3", "2027-02-01T10:00"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "not_eligible");
  EXPECT_TRUE(r.effects.empty());
  EXPECT_EQ(codec::member_snapshot_json(a), before);
  EXPECT_EQ(a.review_due, due_before);
  EXPECT_EQ(a.level, 1);
  apply(*plan, a, shared, redeem("r2", "a", "2027-02-01T10:00"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(r.rejection->code, "insufficient_points");
  EXPECT_EQ(codec::member_snapshot_json(a), before);

  // Another member's refusal after the backup buffers held `a`: `b` is left as it was.
  apply(*plan, b, shared, redeem("r3", "b", "2026-01-22T10:00"), r);
  ASSERT_TRUE(r.rejection);
  EXPECT_EQ(codec::member_snapshot_json(b), b_before);

  // Once the refusals are behind it, the same use at the same time goes through step 3 for real.
  e = purchase(*plan, "e3", "2027-02-01T09:00", "1", "1");
  e.member = "a";
  apply(*plan, a, shared, e, r);
  ASSERT_FALSE(r.rejection);
  EXPECT_EQ(a.level, 0);
}

TEST(Evaluator, BudgetIsSharedAcrossMembersAndCutsTheCrossingAward) {
  auto plan = plan_of(kProgram);
  ASSERT_TRUE(plan);
  SharedState shared = new_shared(*plan);
  MemberState a = new_member(*plan, "a"), b = new_member(*plan, "b");
  ApplyResult r;
  Operation e = purchase(*plan, "e1", "2026-02-01T10:00", "100", "1");
  e.member = "a";
  apply(*plan, a, shared, e, r);  // 100 + 100 campaign
  e = purchase(*plan, "e2", "2026-02-01T11:00", "100", "1");
  e.member = "b";
  apply(*plan, b, shared, e, r);  // 100 + only 50 left of the budget
  std::int64_t campaign = 0, cut = 0;
  for (const auto& x : r.effects) {
    if (x.kind == EffectKind::kPoints && x.cause == Cause::kCampaign) campaign += x.amount;
    if (x.kind == EffectKind::kBudgetCut) cut += x.amount;
  }
  EXPECT_EQ(campaign, 50);
  EXPECT_EQ(cut, 50);
  EXPECT_EQ(shared.campaign_awarded[0], 150);
  EXPECT_EQ(view(*plan, b, e.time).available, 150);
}

TEST(Evaluator, SameInputsGiveTheSameStatesAndEffects) {
  auto plan = plan_of(kProgram);
  ASSERT_TRUE(plan);
  auto run = [&] {
    MemberState m = new_member(*plan, "m");
    SharedState shared = new_shared(*plan);
    ApplyResult r;
    std::string trace;
    const char* times[] = {"2026-01-05T09:00", "2026-01-31T23:59", "2026-03-01T00:00",
                           "2026-03-15T12:00"};
    int n = 0;
    for (const char* t : times) {
      apply(*plan, m, shared, purchase(*plan, ("e" + std::to_string(++n)).c_str(), t, "33.33", "3"),
            r);
      for (const auto& e : r.effects)
        trace += std::to_string(static_cast<int>(e.kind)) + ":" + std::to_string(e.amount) + ",";
    }
    return trace + codec::member_snapshot_json(m) + codec::shared_snapshot_json(shared);
  };
  std::string first = run();
  EXPECT_EQ(first, run());
  EXPECT_NE(first.find("\"level\":1"), std::string::npos) << "growth 4 x 33 = 132 reaches L2";
}

}  // namespace
}  // namespace merit::engine
