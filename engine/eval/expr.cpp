// The expression machine: runs a CompiledExpr's flat ops over a small value stack. No allocation,
// no string lookups: every name was resolved to a slot at plan time.
#include <cstdio>
#include <cstdlib>
#include <new>

#include "engine/eval/internal.hpp"
#include "engine/model/rare_part.hpp"

namespace merit::engine::internal {

namespace {

using Kind = Value::Kind;

Val none() { return {}; }
Val num(Decimal d) {
  Val v;
  v.kind = Kind::kNumber;
  v.i = d.units();
  return v;
}
Val num_int(std::int64_t n) { return num(Decimal::from_int(n)); }
Val boolean(bool b) {
  Val v;
  v.kind = Kind::kBool;
  v.i = b ? 1 : 0;
  return v;
}

bool truthy(const Val& v) { return v.kind == Kind::kBool && v.i != 0; }

// Compares two values of one kind: -1, 0, 1; 2 when they cannot be compared.
int compare(const Val& a, const Val& b, const Ctx& ctx) {
  Kind ka = a.kind, kb = b.kind;
  if (ka == Kind::kNone || kb == Kind::kNone) return 2;
  // A date compares with a time by the time's program-zone day.
  std::int64_t x = a.i, y = b.i;
  if (ka == Kind::kDate && kb == Kind::kTime) {
    y = ctx.plan.zone.date_of(Instant{b.i}).days;
    kb = Kind::kDate;
  } else if (ka == Kind::kTime && kb == Kind::kDate) {
    x = ctx.plan.zone.date_of(Instant{a.i}).days;
    ka = Kind::kDate;
  }
  if (ka != kb) return 2;
  if (ka == Kind::kString) {
    int c = a.s.compare(b.s);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (ka == Kind::kSet) return 2;
  return x < y ? -1 : x > y ? 1 : 0;
}

}  // namespace

Val to_val(const Value& v) {
  Val out;
  out.kind = v.kind;
  out.i = v.i;
  if (v.kind == Kind::kString) out.s = v.s;
  if (v.kind == Kind::kSet) out.set = &v.set;
  return out;
}

namespace {

Val field_of(const Ctx& ctx, std::size_t slot) {
  if (ctx.event == nullptr || slot >= ctx.event->fields.size()) return none();
  return to_val(ctx.event->fields[slot]);
}

// The member's attributes and tags are in its rarely used part, which the member table may have
// left closed: opened here, once, by the first expression that reads them.
void open_rare_part(Ctx& ctx) {
  if (!ctx.member.rare_closed) return;
  if (ctx.opener != &ctx.member) {
    std::fprintf(stderr, "merit: member %s read with its rarely used part closed\n",
                 ctx.member.id.c_str());
    std::abort();
  }
  open_rare(*ctx.opener);
}

}  // namespace

Val eval(const CompiledExpr& e, Ctx& ctx) {
  // The shapes most rules are written in (ExprShape, chosen by the planner) are computed here
  // without the stack machine when their values are the plain case (numbers, in range); anything
  // else, none or an error included, goes to eval_general, so both give the same result
  // (tests/engine/expr_shortcut_test.cpp).
  const auto& ops = e.ops;
  switch (e.shape) {
    case ExprShape::kGeneral:
      break;
    case ExprShape::kField:
      return field_of(ctx, ops[0].a);
    case ExprShape::kConst:
      return to_val(ctx.plan.constants[ops[0].a]);
    case ExprShape::kFieldCompareConst: {
      Val a = field_of(ctx, ops[0].a);
      const Value& b = ctx.plan.constants[ops[1].a];
      if (a.kind != Kind::kNumber || b.kind != Kind::kNumber) break;
      const std::int64_t x = a.i, y = b.i;
      switch (ops[2].code) {
        case OpCode::kEq:
          return boolean(x == y);
        case OpCode::kNe:
          return boolean(x != y);
        case OpCode::kLt:
          return boolean(x < y);
        case OpCode::kLe:
          return boolean(x <= y);
        case OpCode::kGt:
          return boolean(x > y);
        default:
          return boolean(x >= y);
      }
    }
    case ExprShape::kFieldTimesLevelAttr: {
      if (ctx.level < 0 || static_cast<std::size_t>(ctx.level) >= ctx.plan.level_attributes.size())
        break;
      Val a = field_of(ctx, ops[0].a);
      const Value& b = ctx.plan.level_attributes[static_cast<std::size_t>(ctx.level)][ops[2].a];
      Decimal out;
      if (a.kind == Kind::kNumber && b.kind == Kind::kNumber &&
          Decimal::mul(Decimal::from_units(a.i), Decimal::from_units(b.i), out)) {
        return num(out);
      }
      break;
    }
  }
  return eval_general(e, ctx);
}

Val eval_general(const CompiledExpr& e, Ctx& ctx) {
  // The value stack is left uninitialised: a slot is constructed when pushed and read only below
  // the top. Zeroing all 64 slots cost more than evaluating most expressions.
  constexpr std::size_t kDepth = 64;
  union Stack {
    Stack() {}
    Val slot[kDepth];
  } stack;
  Val* const st = stack.slot;
  std::size_t sp = 0;
  auto push = [&](const Val& v) { ::new (static_cast<void*>(st + sp++)) Val(v); };
  const auto& ops = e.ops;
  const std::size_t n = ops.size();
  auto fail = [&](const char* why) {
    if (ctx.error.empty()) ctx.error = why;
    return none();
  };
  for (std::size_t pc = 0; pc < n; ++pc) {
    const Op& op = ops[pc];
    if (sp + 1 >= kDepth) return fail("expression too deep to evaluate");
    switch (op.code) {
      case OpCode::kConst:
        push(to_val(ctx.plan.constants[op.a]));
        break;
      case OpCode::kField:
        if (ctx.event == nullptr || op.a >= ctx.event->fields.size()) {
          push(none());
        } else {
          push(to_val(ctx.event->fields[op.a]));
        }
        break;
      case OpCode::kEventId: {
        Val v;
        if (ctx.event != nullptr) {
          v.kind = Kind::kString;
          v.s = ctx.event->id;
        }
        push(v);
        break;
      }
      case OpCode::kMember: {
        Val v;
        v.kind = Kind::kString;
        v.s = ctx.member.id;
        push(v);
        break;
      }
      case OpCode::kNow: {
        Val v;
        v.kind = Kind::kTime;
        v.i = ctx.now.ms;
        push(v);
        break;
      }
      case OpCode::kAttr:
        open_rare_part(ctx);
        push(op.a < ctx.member.attributes.size() ? to_val(ctx.member.attributes[op.a]) : none());
        break;
      case OpCode::kTags: {
        open_rare_part(ctx);
        Val v;
        v.kind = Kind::kSet;
        v.set = &ctx.member.tags;
        push(v);
        break;
      }
      case OpCode::kLevel: {
        Val v;
        v.kind = Kind::kLevel;
        v.i = ctx.level;
        push(v);
        break;
      }
      case OpCode::kLevelAttr: {
        Val& top = st[sp - 1];
        if (top.kind != Kind::kLevel || top.i < 0 ||
            static_cast<std::size_t>(top.i) >= ctx.plan.level_attributes.size()) {
          top = none();
        } else {
          top = to_val(ctx.plan.level_attributes[static_cast<std::size_t>(top.i)][op.a]);
        }
        break;
      }
      case OpCode::kAggregate: {
        const PlanAggregate& ag = ctx.plan.aggregates[op.a];
        const AggregateState& as = ctx.member.aggregates[op.a];
        switch (ag.kind) {
          case AggregateKind::kLast: {
            Val v;
            if (as.last != std::numeric_limits<std::int64_t>::min()) {
              v.kind = Kind::kTime;
              v.i = as.last;
            }
            push(v);
            break;
          }
          case AggregateKind::kFirst: {
            Val v;
            if (as.first != kNever) {
              v.kind = Kind::kTime;
              v.i = as.first;
            }
            push(v);
            break;
          }
          case AggregateKind::kCount:
          case AggregateKind::kSum: {
            if (!ag.within) {
              push(ag.kind == AggregateKind::kCount ? num_int(as.total_count) : num(as.total_sum));
              break;
            }
            std::int64_t from = window_start(ctx.plan, ctx.now, *ag.within);
            Decimal total;
            std::int64_t count = 0;
            for (const auto& [t, v] : as.window) {
              if (t.ms > from && t.ms <= ctx.now.ms) {
                ++count;
                Decimal::add(total, v, total);
              }
            }
            push(ag.kind == AggregateKind::kCount ? num_int(count) : num(total));
            break;
          }
        }
        break;
      }
      case OpCode::kCall: {
        std::size_t argc = op.b;
        Val* args = &st[sp - argc];
        Val r;
        auto fn = static_cast<Function>(op.a);
        bool any_none = false;
        for (std::size_t k = 0; k < argc; ++k) any_none |= args[k].kind == Kind::kNone;
        if (any_none && fn != Function::kMin && fn != Function::kMax) {
          r = none();
        } else {
          switch (fn) {
            case Function::kFloor:
              r = num_int(Decimal::from_units(args[0].i).floor());
              break;
            case Function::kCeil:
              r = num_int(Decimal::from_units(args[0].i).ceil());
              break;
            case Function::kRound:
              r = num_int(Decimal::from_units(args[0].i).round());
              break;
            case Function::kAbs:
              r = args[0];
              r.i = r.i < 0 ? -r.i : r.i;
              break;
            case Function::kMin:
            case Function::kMax: {
              r = none();
              for (std::size_t k = 0; k < argc; ++k) {
                if (args[k].kind == Kind::kNone) continue;
                if (r.kind == Kind::kNone) {
                  r = args[k];
                  continue;
                }
                int c = compare(args[k], r, ctx);
                if (c == 2) return fail("min/max of values that cannot be compared");
                if ((fn == Function::kMin && c < 0) || (fn == Function::kMax && c > 0)) r = args[k];
              }
              break;
            }
            case Function::kYear:
            case Function::kMonth:
            case Function::kDay:
            case Function::kWeekday:
            case Function::kHour: {
              LocalDate d;
              int minute = 0;
              if (args[0].kind == Kind::kTime) {
                d = ctx.plan.zone.date_of(Instant{args[0].i});
                minute = ctx.plan.zone.minute_of_day(Instant{args[0].i});
              } else if (args[0].kind == Kind::kDate) {
                d = LocalDate{static_cast<std::int32_t>(args[0].i)};
              } else {
                return fail("year/month/day/weekday/hour take a time or a date");
              }
              CivilDate c = to_civil(d);
              switch (fn) {
                case Function::kYear:
                  r = num_int(c.year);
                  break;
                case Function::kMonth:
                  r = num_int(c.month);
                  break;
                case Function::kDay:
                  r = num_int(c.day);
                  break;
                case Function::kWeekday:
                  r = num_int(weekday(d) + 1);
                  break;  // 1 = Monday
                default:
                  r = num_int(minute / 60);
                  break;
              }
              break;
            }
            case Function::kDaysSince: {
              LocalDate d;
              if (args[0].kind == Kind::kTime)
                d = ctx.plan.zone.date_of(Instant{args[0].i});
              else if (args[0].kind == Kind::kDate)
                d = LocalDate{static_cast<std::int32_t>(args[0].i)};
              else
                return fail("days_since takes a time or a date");
              r = num_int(ctx.plan.zone.date_of(ctx.now).days - d.days);
              break;
            }
          }
        }
        sp -= argc;
        push(r);
        break;
      }
      case OpCode::kNot: {
        Val& t = st[sp - 1];
        t = t.kind == Kind::kBool ? boolean(t.i == 0) : none();
        break;
      }
      case OpCode::kNeg: {
        Val& t = st[sp - 1];
        if (t.kind == Kind::kNumber || t.kind == Kind::kDuration) {
          if (__builtin_sub_overflow(std::int64_t{0}, t.i, &t.i))
            return fail("number out of range");
        } else {
          t = none();
        }
        break;
      }
      case OpCode::kAdd:
      case OpCode::kSub:
      case OpCode::kMul:
      case OpCode::kDiv: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if (a.kind == Kind::kNone || b.kind == Kind::kNone) {
          a = none();
          break;
        }
        if (a.kind == Kind::kNumber && b.kind == Kind::kNumber) {
          Decimal x = Decimal::from_units(a.i), y = Decimal::from_units(b.i), out;
          bool okay = true;
          switch (op.code) {
            case OpCode::kAdd:
              okay = Decimal::add(x, y, out);
              break;
            case OpCode::kSub:
              okay = Decimal::sub(x, y, out);
              break;
            case OpCode::kMul:
              okay = Decimal::mul(x, y, out);
              break;
            default:
              if (y.units() == 0) return fail("division by zero");
              okay = Decimal::div(x, y, out);
              break;
          }
          if (!okay) return fail("number out of range");
          a.i = out.units();
          break;
        }
        // time - time = duration; time +/- duration = time; duration +/- duration.
        // Checked: durations are at most 1000 years and events are dated 0000-9999, but a sum
        // of many durations must still not wrap.
        bool time_math = op.code == OpCode::kAdd || op.code == OpCode::kSub;
        if (a.kind == Kind::kTime && b.kind == Kind::kTime && op.code == OpCode::kSub) {
          a.kind = Kind::kDuration;
        } else if (!(time_math && b.kind == Kind::kDuration &&
                     (a.kind == Kind::kTime || a.kind == Kind::kDuration))) {
          return fail("arithmetic on values that are not numbers");
        }
        bool wrapped = op.code == OpCode::kAdd ? __builtin_add_overflow(a.i, b.i, &a.i)
                                               : __builtin_sub_overflow(a.i, b.i, &a.i);
        if (wrapped) return fail("time out of range");
        break;
      }
      case OpCode::kEq:
      case OpCode::kNe:
      case OpCode::kLt:
      case OpCode::kLe:
      case OpCode::kGt:
      case OpCode::kGe: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        int c = compare(a, b, ctx);
        if (c == 2) {
          // any comparison with none is false (§4.11); two sets compare equal by content
          if (a.kind == Kind::kSet && b.kind == Kind::kSet && a.set && b.set &&
              (op.code == OpCode::kEq || op.code == OpCode::kNe)) {
            bool eq = *a.set == *b.set;
            a = boolean(op.code == OpCode::kEq ? eq : !eq);
          } else {
            a = boolean(false);
          }
          break;
        }
        bool r = false;
        switch (op.code) {
          case OpCode::kEq:
            r = c == 0;
            break;
          case OpCode::kNe:
            r = c != 0;
            break;
          case OpCode::kLt:
            r = c < 0;
            break;
          case OpCode::kLe:
            r = c <= 0;
            break;
          case OpCode::kGt:
            r = c > 0;
            break;
          default:
            r = c >= 0;
            break;
        }
        a = boolean(r);
        break;
      }
      case OpCode::kIn: {
        Val b = st[--sp];
        Val& a = st[sp - 1];
        if (a.kind != Kind::kString || b.kind != Kind::kSet || b.set == nullptr) {
          a = boolean(false);
          break;
        }
        bool found = false;
        for (const auto& s : *b.set) {
          if (s == a.s) {
            found = true;
            break;
          }
        }
        a = boolean(found);
        break;
      }
      case OpCode::kAndJump:
        if (!truthy(st[sp - 1])) {
          st[sp - 1] = boolean(false);
          pc = static_cast<std::size_t>(op.a) - 1;
        } else {
          --sp;
        }
        break;
      case OpCode::kOrJump:
        if (truthy(st[sp - 1])) {
          pc = static_cast<std::size_t>(op.a) - 1;
        } else {
          --sp;
        }
        break;
    }
  }
  return sp == 0 ? none() : st[sp - 1];
}

bool holds(const CompiledExpr& e, Ctx& ctx) {
  if (e.empty()) return true;
  return truthy(eval(e, ctx));
}

}  // namespace merit::engine::internal
