// state_bytes(): what one member's state costs in memory, inline and on the heap; opening what the
// member table leaves closed.
#include "engine/model/member_state.hpp"

#include "engine/model/rare_part.hpp"
#include "engine/model/task_part.hpp"

namespace merit::engine {

namespace {

// Heap bytes of a string: none while it fits the small-string buffer inside the object.
std::size_t heap_bytes(const std::string& s) {
  const char* self = reinterpret_cast<const char*>(&s);
  bool inline_buffer = s.data() >= self && s.data() < self + sizeof(std::string);
  return inline_buffer ? 0 : s.capacity() + 1;
}

std::size_t heap_bytes(const Value& v) {
  std::size_t n = heap_bytes(v.s) + v.set.capacity() * sizeof(std::string);
  for (const auto& s : v.set) n += heap_bytes(s);
  return n;
}

// A vector's block (its capacity) plus what each element owns in turn.
template <class T, class F>
std::size_t vector_bytes(const std::vector<T>& v, F&& owned) {
  std::size_t n = v.capacity() * sizeof(T);
  for (const auto& x : v) n += owned(x);
  return n;
}

template <class T>
std::size_t vector_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

std::size_t state_bytes(const MemberState& m) {
  std::size_t n = sizeof(MemberState) + heap_bytes(m.id);
  n += heap_bytes(m.growth_packed);
  n += vector_bytes(m.growth_window);
  n += heap_bytes(m.lots_packed);
  n += vector_bytes(m.lots);
  n += vector_bytes(m.closed_lots);
  n += heap_bytes(m.awards_packed);
  n += vector_bytes(m.awards, [](const AwardRecord& a) {
    return (a.lots.size() > 2 ? a.lots.size() * sizeof(LotList::value_type) : 0);
  });
  n += heap_bytes(m.tasks_packed);
  n += vector_bytes(m.tasks, [](const TaskState& t) { return vector_bytes(t.window); });
  n += heap_bytes(m.rare_packed);
  n += vector_bytes(m.privileges, [](const PrivilegeState& p) { return vector_bytes(p.grants); });
  n += vector_bytes(m.rewards);
  n += vector_bytes(m.aggregates, [](const AggregateState& a) { return vector_bytes(a.window); });
  n += vector_bytes(m.tags, [](const std::string& s) { return heap_bytes(s); });
  n += vector_bytes(m.attributes, [](const Value& v) { return heap_bytes(v); });
  return n;
}

void open_all(MemberState& m) {
  open_rare(m);
  open_tasks(m);
}

const MemberState& opened(const MemberState& m, MemberState& scratch) {
  if (!m.rare_closed && m.tasks_closed == 0) return m;
  scratch = m;
  open_all(scratch);
  return scratch;
}

}  // namespace merit::engine
