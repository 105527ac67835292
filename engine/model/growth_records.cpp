// Growth entries as bytes (growth_records.hpp).
#include "engine/model/growth_records.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace merit::engine {

using varint::zigzag;

void encode_growth(const GrowthEntry* begin, const GrowthEntry* end, bool after, std::int64_t prev,
                   std::string& out) {
  // An instant (up to two varints) and the growth, per entry.
  constexpr std::size_t kMaxEntry = 3 * varint::kMaxBytes;
  std::size_t used = out.size();
  out.resize(used + kMaxEntry * static_cast<std::size_t>(end - begin));
  char* p = out.data() + used;
  for (const GrowthEntry* g = begin; g != end; ++g) {
    if (after || g != begin) p += varint::put_time(p, g->at.ms, prev);
    p += varint::put(p, zigzag(g->amount));
    prev = g->at.ms;
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

namespace {

// Decodes exactly `count` entries into out[0, count): false unless the bytes are that.
bool decode_into(std::string_view bytes, std::size_t count, std::int64_t first, GrowthEntry* out) {
  GrowthReader r(bytes, first);
  for (std::size_t i = 0; i < count; ++i) {
    if (!r.next(out[i])) return false;
  }
  return r.at_end();
}

}  // namespace

bool decode_growth(std::string_view bytes, std::uint32_t count, std::int64_t first,
                   std::vector<GrowthEntry>& out) {
  // Each entry takes at least one byte: a count beyond that is malformed, not a size to allocate.
  if (count > bytes.size()) return false;
  const std::size_t at = out.size();
  out.resize(at + count);
  return decode_into(bytes, count, first, out.data() + at);
}

void corrupt_growth(const MemberState& m) {
  std::fprintf(stderr, "merit: corrupt growth window of member %s\n", m.id.c_str());
  std::abort();
}

void unpack_growth(MemberState& m) {
  const std::size_t n = m.growth_packed_count;
  if (n == 0) return;
  m.growth_window.insert(m.growth_window.begin(), n, GrowthEntry{});
  if (!decode_into(m.growth_packed, n, m.growth_packed_first, m.growth_window.data())) {
    corrupt_growth(m);
  }
  m.growth_packed.clear();
  m.growth_packed_count = 0;
  m.growth_packed_total = 0;
}

void add_growth_entry(MemberState& m, Instant t, std::int64_t amount) {
  auto& w = m.growth_window;
  if (w.empty() && m.growth_packed_count == 0) {
    w.push_back({t, amount});
    return;
  }
  const std::int64_t last = w.empty() ? m.growth_packed_last : w.back().at.ms;
  if (t.ms > last) {
    w.push_back({t, amount});
    return;
  }
  if (t.ms == last && !w.empty()) {
    w.back().amount += amount;
    return;
  }
  // Before the last entry, or at the last encoded one: in place among the decoded entries.
  unpack_growth(m);
  auto it = std::upper_bound(w.begin(), w.end(), t,
                             [](Instant a, const GrowthEntry& g) { return a < g.at; });
  if (it != w.begin() && std::prev(it)->at == t) {
    std::prev(it)->amount += amount;
  } else {
    w.insert(it, {t, amount});
  }
}

bool drop_growth_through(MemberState& m, std::int64_t from, std::vector<GrowthEntry>* dropped) {
  bool any = false;
  if (m.growth_packed_count > 0 && m.growth_packed_first <= from) {
    any = true;
    const char* const data = m.growth_packed.data();
    const char* const end = data + m.growth_packed.size();
    const char* p = data;  // the current entry's growth
    std::int64_t at = m.growth_packed_first;
    for (;;) {
      // The current entry is at or before `from`: it goes.
      std::uint64_t raw = 0;
      std::size_t n = varint::get(p, end, raw);
      if (n == 0) corrupt_growth(m);
      p += n;
      const std::int64_t amount = varint::unzigzag(raw);
      if (dropped != nullptr) dropped->push_back({Instant{at}, amount});
      m.growth_packed_total -= amount;
      if (--m.growth_packed_count == 0) {
        if (p != end) corrupt_growth(m);
        m.growth_packed.clear();
        m.growth_packed_total = 0;
        break;
      }
      std::int64_t next = 0;
      if ((n = varint::get_time(p, end, at, next)) == 0) corrupt_growth(m);
      if (next > from) {
        // The next entry stays and becomes the first: its instant is no longer written.
        m.growth_packed.erase(0, static_cast<std::size_t>(p + n - data));
        m.growth_packed_first = next;
        return true;
      }
      p += n;
      at = next;
    }
  }
  auto& w = m.growth_window;
  auto keep =
      std::find_if(w.begin(), w.end(), [&](const GrowthEntry& g) { return g.at.ms > from; });
  if (keep != w.begin()) {
    if (dropped != nullptr) dropped->insert(dropped->end(), w.begin(), keep);
    w.erase(w.begin(), keep);
    any = true;
  }
  return any;
}

}  // namespace merit::engine
