// A member's tasks left encoded by the member table: a task's entry survives encoding (a length
// written in place, moved along past 127 bytes), every truncation is refused, packing a member
// whose tasks are still closed gives the bytes of the open member whichever were opened, corrupt
// bytes stop the process; and the evaluator gives the same effects and states whether the tasks
// are closed between operations or not, through every goal (none, count within, sum reaches
// within and without, streak), once / repeat / repeat per period, packages, and operations refused
// after they opened a task.
#include "engine/model/task_part.hpp"

#include <gtest/gtest.h>

#include "codec/member_pack.hpp"
#include "codec/snapshot.hpp"
#include "engine/eval/evaluator.hpp"

#include "tests/testing/member_history.hpp"
#include "tests/testing/test_util.hpp"

namespace merit::engine {
namespace {

constexpr std::int64_t kBase = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::vector<TaskState> samples() {
  std::vector<TaskState> v(5);
  // v[0]: untouched
  v[1].count = 3;  // a streak
  v[1].streak_day = 20'480;
  v[1].completions = 2;
  v[1].last_completion = kBase + 86'400'000;
  v[1].completion_period = 24'300;
  v[2].sum = Decimal::from_units(12'345'678);  // a sum without a window, in units
  v[2].last_completion = kBase - 1;            // before the base, in milliseconds
  v[3].window = {{Instant{kBase + 1000}, Decimal::from_units(1)},
                 {Instant{kBase + 5000}, Decimal::from_units(99'999)}};
  for (int i = 0; i < 40; ++i) {  // an entry of more than 127 bytes
    v[4].window.push_back({Instant{kBase + 1'234'567LL * i + 7}, Decimal::from_units(i * 10'001)});
  }
  v[4].count = -1;
  return v;
}

bool same(const TaskState& a, const TaskState& b) {
  return a.count == b.count && a.completions == b.completions &&
         a.last_completion == b.last_completion && a.completion_period == b.completion_period &&
         a.streak_day == b.streak_day && a.sum == b.sum && a.window == b.window;
}

TEST(TaskPart, EntriesDecodeToTheSameStateAndTruncationsAreRefused) {
  std::string bytes;
  bytes::Writer w(bytes);
  for (const auto& t : samples()) encode_task(t, kBase, w);
  w.finish();
  EXPECT_EQ(bytes[0], '\0');  // an untouched task is one zero byte
  bytes::Reader r(bytes);
  TaskState back;
  for (const auto& t : samples()) {
    back.count = 77;  // what decoding must overwrite
    back.window.assign(3, {});
    ASSERT_TRUE(decode_task(r, kBase, back));
    EXPECT_TRUE(same(back, t));
  }
  EXPECT_TRUE(r.done());
  // Every truncation of the last entry (the long one) is refused, and so is an entry that says
  // it has bytes but whose bits are zero.
  bytes::Reader head(bytes);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(decode_task(head, kBase, back));
  const std::string_view last(head.position(), head.left());
  ASSERT_GT(last.size(), 130u);
  ASSERT_EQ(static_cast<unsigned char>(last[0]) & 0x80, 0x80);  // a two-byte length
  for (std::size_t n = 0; n < last.size(); ++n) {
    bytes::Reader cut(last.substr(0, n));
    EXPECT_FALSE(decode_task(cut, kBase, back)) << n;
  }
  bytes::Reader zero(std::string_view("\x01\x00", 2));
  EXPECT_FALSE(decode_task(zero, kBase, back));
}

TEST(TaskPart, ALengthWrittenInPlaceIsWhatStrWrites) {
  for (std::size_t n : {0u, 1u, 127u, 128u, 300u, 16'383u, 16'384u, 20'000u}) {
    const std::string part(n, 'x');
    std::string in_place, copied;
    bytes::Writer a(in_place), b(copied);
    a.byte(7);
    b.byte(7);
    const std::size_t at = a.open_length();
    for (char c : part) a.byte(static_cast<std::uint8_t>(c));
    a.close_length(at);
    a.byte(9);
    b.str(part);
    b.byte(9);
    a.finish();
    b.finish();
    EXPECT_EQ(in_place, copied) << n;
  }
}

MemberState sample_member() {
  MemberState m;
  m.id = "m";
  m.exists = true;
  m.joined = Instant{kBase};
  m.tasks = samples();
  return m;
}

TEST(TaskPart, ClosedTasksPackToTheBytesOfTheOpenMemberWhicheverAreOpened) {
  const MemberState m = sample_member();
  std::string bytes;
  codec::pack_member(m, bytes);
  const std::string snapshot = codec::member_snapshot_json(m);
  // Open every subset of the five tasks, each subset in both directions.
  for (std::uint32_t subset = 0; subset < 32; ++subset) {
    for (bool backwards : {false, true}) {
      MemberState closed = sample_member();
      for (auto& t : closed.tasks) t.count = 424'242;  // another member's, left by the table
      ASSERT_TRUE(codec::unpack_member(bytes, closed, true).has_value());
      ASSERT_EQ(closed.tasks_closed, 0x1fu);
      for (int i = 0; i < 5; ++i) {
        const std::size_t t = backwards ? 4 - i : i;
        if ((subset >> t) & 1u) {
          EXPECT_TRUE(same(task_state(closed, t), m.tasks[t])) << t;
        }
      }
      EXPECT_EQ(closed.tasks_closed, 0x1fu & ~subset);
      EXPECT_EQ(closed.tasks_packed.empty(), subset == 0x1f);
      std::string again;
      codec::pack_member(closed, again);
      EXPECT_EQ(again, bytes) << subset;
      EXPECT_EQ(codec::member_snapshot_json(closed), snapshot) << subset;  // opened aside
      open_tasks(closed);
      EXPECT_EQ(closed.tasks_closed, 0u);
      for (std::size_t t = 0; t < 5; ++t) EXPECT_TRUE(same(closed.tasks[t], m.tasks[t]));
    }
  }
  // Unpacked whole, after a state unpacked with its tasks closed: nothing left closed.
  MemberState whole;
  ASSERT_TRUE(codec::unpack_member(bytes, whole, true).has_value());
  ASSERT_TRUE(codec::unpack_member(bytes, whole).has_value());
  EXPECT_EQ(whole.tasks_closed, 0u);
  EXPECT_TRUE(whole.tasks_packed.empty());
  for (std::size_t t = 0; t < 5; ++t) EXPECT_TRUE(same(whole.tasks[t], m.tasks[t]));
}

TEST(TaskPartDeathTest, CorruptClosedBytesStopTheProcessWhenOpened) {
  MemberState m;
  m.id = "m";
  m.tasks.resize(2);
  m.tasks_closed = 3;
  m.tasks_packed = std::string("\x00\x02\x01", 3);  // the second task's entry cut short
  EXPECT_EQ(task_state(m, 0).count, 0);             // the first one is fine
  EXPECT_DEATH(task_state(m, 1), "corrupt task progress of member m");
}

// Every goal, once / repeat / repeat per period, two packages, a task whose completion can fail
// (a product out of range) after it opened the task.
constexpr const char* kProgram = R"(
program t { timezone "Asia/Shanghai" currency "CNY" }
event purchase { amount: money }
event signin {}
event share {}
event boost { n: int }
event browse {}
levels by growth { level L1 from 0 level L2 from 500 }
rule earn on purchase { points += event.amount }
rule look on browse { points += 1 }
package newbie available 20 days after join
package spring during 2026-02-01 .. 2026-03-15
task first in newbie on purchase { points += 100 }
task three on purchase when event.amount >= 50 count 3 within 10 days repeat { growth += 30 }
task big on purchase sum event.amount reaches 400 within 14 days repeat monthly { points += 40 }
task streak on signin streak 4 days repeat { points += 20 }
task weekly on share repeat weekly { points += 5 }
task spring_buy in spring on purchase count 2 { points += 50 }
task risky on boost count 2 repeat { points += event.n * 1000000000000 }
task lifetime on purchase sum event.amount reaches 2000 { points += 500 }
)";

std::vector<std::string> history() {
  std::vector<std::string> lines;
  int boosts = 0;
  for (int n = 0; n < 320; ++n) {
    // About three operations a day over 100 days, with gaps that break streaks.
    const int day = n / 3 + (n / 40) * 2;
    const int month = 1 + day / 28, mday = 1 + day % 28;
    char time[40];
    std::snprintf(time, sizeof time, "2026-%02d-%02dT%02d:%02d:00Z", month, mday, 1 + (n % 3) * 7,
                  n % 60);
    std::string head =
        "{\"id\":\"e" + std::to_string(n) + "\",\"member\":\"m\",\"time\":\"" + time + "\",";
    switch (n % 9) {
      case 1:
      case 4:
      case 7:  // a sign-in a day
        lines.push_back(head + R"("type":"signin"})");
        break;
      case 5:
        lines.push_back(head + R"("type":"share"})");
        break;
      case 3:  // reaches no task
        lines.push_back(head + R"("type":"browse"})");
        break;
      case 8:  // every third one comes when `risky` is one short: completing it overflows
        lines.push_back(head + R"("type":"boost","data":{"n":)" +
                        (boosts++ % 3 == 1 ? "1000000000" : "1") + "}}");
        break;
      default:
        lines.push_back(head + R"("type":"purchase","data":{"amount":)" +
                        std::to_string(20 + (n * 37) % 180) + "}}");
        break;
    }
  }
  return lines;
}

TEST(TaskPart, TheEvaluatorGivesTheSameWhetherTasksAreClosedBetweenOperations) {
  auto plan = testing::plan_of(kProgram);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->tasks.size(), 8u);
  std::size_t all_closed = 0, some_opened = 0, refused_after_opening = 0;
  const int boost = plan->event_index("boost");
  std::vector<std::int64_t> completions(plan->tasks.size());
  auto plain = testing::run_history(
      *plan, history(), [](MemberState&) {},
      [&](const Operation&, const MemberState& m, const ApplyResult&) {
        for (std::size_t t = 0; t < completions.size(); ++t)
          completions[t] = m.tasks[t].completions;
        return std::string();
      });
  auto closed = testing::run_history(
      *plan, history(),
      [](MemberState& m) { testing::repack(m, true); },  // as MemberTable::get leaves it
      [&](const Operation& op, const MemberState& m, const ApplyResult& r) {
        ++(m.tasks_closed == all_tasks_closed(m.tasks.size()) ? all_closed : some_opened);
        // A boost is refused only when it completes `risky`, which it opened to count.
        if (r.rejection && op.event_type == boost) ++refused_after_opening;
        return std::string();
      });
  EXPECT_EQ(plain.effects, closed.effects);
  EXPECT_EQ(plain.snapshot, closed.snapshot);
  EXPECT_EQ(plain.packed, closed.packed);
  // The history did what it is for: the tasks completed, some operations opened none, refused
  // ones had opened one.
  for (std::size_t t = 0; t < completions.size(); ++t) {
    EXPECT_GT(completions[t], 0) << plan->tasks[t].id;
  }
  EXPECT_GE(all_closed, 20u);
  EXPECT_GT(some_opened, 200u);
  EXPECT_GE(refused_after_opening, 5u);
  EXPECT_NE(plain.effects.find(" refused evaluation_error"), std::string::npos);
}

}  // namespace
}  // namespace merit::engine
