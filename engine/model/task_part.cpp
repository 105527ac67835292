// A member's tasks as bytes (task_part.hpp).
#include "engine/model/task_part.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace merit::engine {

namespace {

using bytes::Reader;
using bytes::Writer;

constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();
constexpr std::int32_t kMin32 = std::numeric_limits<std::int32_t>::min();

// Which parts of a task's state differ from the initial state: a bit each.
constexpr std::uint64_t kCount = 1, kCompletions = 2, kLast = 4, kPeriod = 8, kStreak = 16,
                        kSum = 32, kWindow = 64;

}  // namespace

void write_window(Writer& w, const std::vector<std::pair<Instant, Decimal>>& window,
                  std::int64_t base) {
  w.u(window.size());
  for (const auto& [at, v] : window) {
    w.time(at.ms, base);
    w.dec(v.units());
    base = at.ms;
  }
}

void read_window(Reader& r, std::vector<std::pair<Instant, Decimal>>& window, std::int64_t base) {
  window.resize(r.count());
  for (auto& [at, v] : window) {
    at.ms = r.time(base);
    v = Decimal::from_units(r.dec());
    base = at.ms;
  }
}

void encode_task(const TaskState& t, std::int64_t base, Writer& w) {
  const std::uint64_t bits = (t.count != 0 ? kCount : 0) | (t.completions != 0 ? kCompletions : 0) |
                             (t.last_completion != kMin64 ? kLast : 0) |
                             (t.completion_period != kMin32 ? kPeriod : 0) |
                             (t.streak_day != kMin32 ? kStreak : 0) |
                             (t.sum.units() != 0 ? kSum : 0) | (!t.window.empty() ? kWindow : 0);
  const std::size_t at = w.open_length();
  if (bits != 0) {
    w.u(bits);
    if (bits & kCount) w.s(t.count);
    if (bits & kCompletions) w.s(t.completions);
    if (bits & kLast) w.time(t.last_completion, base);
    if (bits & kPeriod) w.period(t.completion_period);
    if (bits & kStreak) w.period(t.streak_day);
    if (bits & kSum) w.dec(t.sum.units());
    if (bits & kWindow) write_window(w, t.window, base);
  }
  w.close_length(at);
}

bool decode_task(Reader& r, std::int64_t base, TaskState& t) {
  Reader e(r.str());  // empty: the initial state
  std::uint64_t bits = 0;
  if (e.left() > 0) {
    bits = e.u();
    if (bits == 0 || bits >= 2 * kWindow) e.fail();  // encode_task writes neither
  }
  t.count = (bits & kCount) ? e.s() : 0;
  t.completions = (bits & kCompletions) ? e.s() : 0;
  t.last_completion = (bits & kLast) ? e.time(base) : kMin64;
  t.completion_period = (bits & kPeriod) ? e.period() : kMin32;
  t.streak_day = (bits & kStreak) ? e.period() : kMin32;
  t.sum = Decimal::from_units((bits & kSum) ? e.dec() : 0);
  if (bits & kWindow)
    read_window(e, t.window, base);
  else
    t.window.clear();
  return r.ok() && e.done();
}

void open_task(MemberState& m, std::size_t t) {
  Reader r(m.tasks_packed);
  for (std::size_t i = 0; i < t; ++i) r.str();
  if (!decode_task(r, m.joined.ms, m.tasks[t])) {
    std::fprintf(stderr, "merit: corrupt task progress of member %s\n", m.id.c_str());
    std::abort();
  }
  m.tasks_closed &= ~(std::uint64_t{1} << t);
  if (m.tasks_closed == 0) m.tasks_packed.clear();
}

void open_tasks(MemberState& m) {
  for (std::size_t t = 0; m.tasks_closed != 0 && t < m.tasks.size(); ++t) task_state(m, t);
}

}  // namespace merit::engine
