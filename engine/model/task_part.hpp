// A member's progress on its tasks, kept encoded between operations. An operation reads the tasks
// its event type reaches, and those only: in the program of LANGUAGE.md §4 a purchase reads two of
// the three tasks, a sign-in one, a share or a review none. So the member table leaves each task
// encoded (MemberState::tasks_closed, tasks_packed) and the evaluator opens one with task_state()
// before it reads or changes it; packing a member copies a task still closed as its bytes are.
//
// The tasks' bytes: one entry a task, in Plan order, each its length (a varint) and then, for a
// task whose state differs from the initial one, a bit for each part that differs and those
// parts (through common/byte_io.hpp, times relative to the member's `joined`). An untouched task
// is the single byte 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "common/byte_io.hpp"
#include "engine/model/member_state.hpp"

namespace merit::engine {

// Tasks with an index from this on are never left closed (bit t of MemberState::tasks_closed).
inline constexpr std::size_t kMaxClosedTasks = 64;

// A window of (time, value) pairs, as tasks and aggregates keep them: its size, then each pair,
// times relative to the one before (the first to `base`). read_window fails the reader on
// malformed bytes.
void write_window(bytes::Writer& w, const std::vector<std::pair<Instant, Decimal>>& window,
                  std::int64_t base);
void read_window(bytes::Reader& r, std::vector<std::pair<Instant, Decimal>>& window,
                 std::int64_t base);

// Writes task `t`'s entry (its length, then its bytes), times relative to `base`.
void encode_task(const TaskState& t, std::int64_t base, bytes::Writer& w);

// Reads one entry (its length, then its bytes) into `t`. False, with `t` unspecified, when the
// bytes are malformed (the reader's ok() false too).
bool decode_task(bytes::Reader& r, std::int64_t base, TaskState& t);

// The bits of MemberState::tasks_closed for `count` tasks all closed (0 when there are more than
// kMaxClosedTasks: then none is closed).
constexpr std::uint64_t all_tasks_closed(std::size_t count) {
  return count > kMaxClosedTasks    ? 0
         : count == kMaxClosedTasks ? ~std::uint64_t{0}
                                    : (std::uint64_t{1} << count) - 1;
}

// Decodes closed task `t` into m.tasks[t]. Aborts on malformed bytes: only the member table closes
// tasks, from bytes encode_task wrote, so that is memory corruption, not input.
void open_task(MemberState& m, std::size_t t);

// Task `t`'s state, to read or change: opened first if it is closed.
inline TaskState& task_state(MemberState& m, std::size_t t) {
  if (t < kMaxClosedTasks && ((m.tasks_closed >> t) & 1u) != 0) open_task(m, t);
  return m.tasks[t];
}

// Opens every closed task.
void open_tasks(MemberState& m);

}  // namespace merit::engine
