// engine/eval/expr.cpp: eval's shortcuts for the commonest expression shapes (one field or
// constant, a field compared with a constant, a field times a level attribute) give exactly what
// the stack machine gives, for every value a field can hold and every level, in range or not.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dsl/parse.hpp"
#include "engine/check/checker.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/internal.hpp"
#include "engine/plan/planner.hpp"

namespace merit::engine {
namespace {

constexpr const char* kProgram = R"(
program p { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money; qty: int; channel: string }
levels by growth {
  level L1 from 0 { rate 1 }
  level L2 from 100 { rate 1.5 }
  level L3 from 1000 { rate 92233720368 }
}
rule r1 on purchase when event.amount > 0 { points += event.amount * level.rate  growth += event.amount }
rule r2 on purchase when event.qty >= 3 { points += 5 }
rule r3 on purchase when event.amount == 10.5 { points += event.qty }
rule r4 on purchase when event.amount != 7 { growth += 1 }
rule r5 on purchase when event.qty < 2 { points += 1 }
rule r6 on purchase when event.amount <= 100 { points += 2 }
rule r7 on purchase when event.channel == "app" { points += 3 }
)";

std::shared_ptr<const Plan> plan() {
  auto parsed = dsl::parse_program(dsl::Source("t.merit", kProgram));
  EXPECT_TRUE(parsed.program.has_value());
  if (!parsed.program) return nullptr;
  EXPECT_FALSE(dsl::has_errors(check_program(*parsed.program)));
  auto built = build_plan(*parsed.program);
  EXPECT_TRUE(built.has_value());
  return built ? *built : nullptr;
}

std::vector<OpCode> codes(const CompiledExpr& e) {
  std::vector<OpCode> out;
  for (const auto& op : e.ops) out.push_back(op.code);
  return out;
}

// Every value a field of these types can hold in an operation, the edges included.
std::vector<Value> field_values() {
  std::vector<Value> v = {Value::none(), Value::string("app"), Value::string("")};
  for (const char* d : {"-5", "0", "7", "10.5", "100", "100.0001", "3", "2", "99999999999",
                        "-99999999999", "9223372036.854775"}) {
    v.push_back(Value::number(*Decimal::parse(d)));
  }
  return v;
}

TEST(ExprShortcut, TheShapesCompileAsTheShortcutsExpect) {
  auto p = plan();
  ASSERT_TRUE(p);
  using C = OpCode;
  const auto& r1 = p->rules[0];
  EXPECT_EQ(codes(r1.when), (std::vector<C>{C::kField, C::kConst, C::kGt}));
  EXPECT_EQ(codes(r1.body[0].value),
            (std::vector<C>{C::kField, C::kLevel, C::kLevelAttr, C::kMul}));
  EXPECT_EQ(codes(r1.body[1].value), (std::vector<C>{C::kField}));
  EXPECT_EQ(codes(p->rules[1].body[0].value), (std::vector<C>{C::kConst}));
  for (std::size_t k = 1; k < p->rules.size(); ++k) {
    EXPECT_EQ(codes(p->rules[k].when).size(), 3u) << p->rules[k].id;
  }
  // The planner chose the shortcuts' shapes (a program whose shapes were all kGeneral would pass
  // the comparison below without taking a shortcut).
  EXPECT_EQ(r1.when.shape, ExprShape::kFieldCompareConst);
  EXPECT_EQ(r1.body[0].value.shape, ExprShape::kFieldTimesLevelAttr);
  EXPECT_EQ(r1.body[1].value.shape, ExprShape::kField);
  EXPECT_EQ(p->rules[1].body[0].value.shape, ExprShape::kConst);
  for (std::size_t k = 1; k < p->rules.size(); ++k) {
    EXPECT_EQ(p->rules[k].when.shape, ExprShape::kFieldCompareConst) << p->rules[k].id;
  }
}

TEST(ExprShortcut, EveryFieldValueAndLevelGivesWhatTheStackMachineGives) {
  auto p = plan();
  ASSERT_TRUE(p);
  std::vector<const CompiledExpr*> exprs;
  for (const auto& r : p->rules) {
    exprs.push_back(&r.when);
    for (const auto& s : r.body) exprs.push_back(&s.value);
  }
  MemberState m = new_member(*p, "m");
  const std::vector<Value> values = field_values();
  int compared = 0, errors = 0, numbers = 0;
  for (const Value& amount : values) {
    for (const Value& qty : values) {
      Operation op;
      op.kind = OpKind::kEvent;
      op.event_type = p->event_index("purchase");
      op.fields = {amount, qty, Value::string("app")};
      for (int level : {-1, 0, 1, 2, 3}) {
        for (const CompiledExpr* e : exprs) {
          internal::Ctx fast{*p, m, &op, Instant{0}, level, {}, nullptr};
          internal::Ctx slow{*p, m, &op, Instant{0}, level, {}, nullptr};
          internal::Val a = internal::eval(*e, fast);
          internal::Val b = internal::eval_general(*e, slow);
          SCOPED_TRACE(e->text + " level " + std::to_string(level));
          ASSERT_EQ(a.kind, b.kind);
          ASSERT_EQ(a.i, b.i);
          ASSERT_EQ(a.s, b.s);
          ASSERT_EQ(a.set, b.set);
          ASSERT_EQ(fast.error, slow.error);
          ++compared;
          errors += slow.error.empty() ? 0 : 1;
          numbers += b.kind == Value::Kind::kNumber ? 1 : 0;
        }
      }
    }
  }
  // The grid reaches the cases the shortcuts hand back, not only the plain ones.
  EXPECT_GT(errors, 0);  // `event.amount * level.rate` out of range at L3
  EXPECT_GT(numbers, 0);
  EXPECT_EQ(compared, static_cast<int>(values.size() * values.size() * 5 * exprs.size()));
}

}  // namespace
}  // namespace merit::engine
