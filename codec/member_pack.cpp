// The packed member state (member_pack.hpp): the one order in which pack and unpack walk a
// MemberState, through the writer and reader of common/byte_io.hpp.
#include "codec/member_pack.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "common/byte_io.hpp"
#include "common/varint.hpp"
#include "engine/model/award_records.hpp"
#include "engine/model/growth_records.hpp"
#include "engine/model/lot_records.hpp"
#include "engine/model/rare_part.hpp"
#include "engine/model/task_part.hpp"

namespace merit::codec {

namespace {

using bytes::Reader;
using bytes::Writer;
using engine::MemberState;

constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();

// Which parts of an aggregate's state differ from the initial state: a bit each, so an untouched
// one is a single zero byte.
constexpr std::uint64_t kAggFirst = 1, kAggLast = 2, kAggWindow = 4, kAggCount = 8, kAggSum = 16;
// An encoded lot's least size: id, flags, three times, points.
constexpr std::size_t kMinLotBytes = 6;
// An encoded award record's least size: head, 8-byte key, time, lot count, growth.
constexpr std::size_t kMinAwardBytes = 12;

// Where pack_member encodes a part aside before copying it in (the award records old and new, the
// new lots and growth entries, the rarely used part): reused, so no allocation once warm.
enum class Aside { kAwards, kLots, kGrowth, kRare };
std::string& aside(Aside part) {
  thread_local std::string buffers[4];
  return buffers[static_cast<int>(part)];
}

// Empties `v` and frees its buffer (`v = {}` would keep it: that is assign from an empty list).
template <class T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

}  // namespace

void pack_member(const MemberState& m, std::string& out) {
  Writer w(out);
  w.byte(kPackVersion);
  w.str(m.id);
  w.byte(m.exists ? 1 : 0);
  const std::int64_t base = m.joined.ms;
  w.time(base, 0);
  w.u(static_cast<std::uint64_t>(m.level));
  w.time(m.level_since.ms, base);
  w.time(m.review_base.ms, base);
  w.time(m.next_expiry, base);
  w.time(m.next_release, base);
  w.u(m.done_once);
  w.time(m.review_due, base);
  w.s(m.growth_lifetime);

  // The growth window: its encoded form (engine/model/growth_records.hpp), copied as bytes, after
  // the first and last instants and the total; only the entries added since the member was
  // unpacked are encoded here.
  const std::size_t entries = engine::growth_count(m);
  w.u(entries);
  if (entries > 0) {
    const bool packed = m.growth_packed_count > 0;
    const std::int64_t first = packed ? m.growth_packed_first : m.growth_window.front().at.ms;
    const std::int64_t last =
        m.growth_window.empty() ? m.growth_packed_last : m.growth_window.back().at.ms;
    std::int64_t total = m.growth_packed_total;
    for (const auto& g : m.growth_window) total += g.amount;
    w.time(first, base);
    w.time(last, first);
    w.s(total);
    std::string& added = aside(Aside::kGrowth);
    added.clear();
    engine::encode_growth(m.growth_window.data(), m.growth_window.data() + m.growth_window.size(),
                          packed, m.growth_packed_last, added);
    w.u(m.growth_packed.size() + added.size());
    w.raw(m.growth_packed);
    w.raw(added);
  }

  // Lots: their encoded form (engine/model/lot_records.hpp), copied as bytes; only the lots added
  // since the member was unpacked are encoded here. The last one's expiry and time earned come
  // first, so that a new lot can be placed without decoding them.
  const std::size_t lots = engine::lot_count(m);
  w.u(lots);
  if (lots > 0) {
    const bool tail = !m.lots.empty();
    const std::int64_t earned = tail ? m.lots.back().earned.ms : m.lots_packed_last_earned;
    w.time(earned, base);
    w.time(tail ? m.lots.back().expires : m.lots_packed_last_expires, earned);
    // The old bytes as they are, then the new lots (encoded aside: the length comes first).
    std::string& added = aside(Aside::kLots);
    added.clear();
    engine::encode_lots(m.lots.data(), m.lots.data() + m.lots.size(), base, added);
    w.u(m.lots_packed.size() + added.size());
    w.raw(m.lots_packed);
    w.raw(added);
  }

  w.u(m.closed_lots.size());
  for (const auto& c : m.closed_lots) {
    w.u(c.id);
    w.s(c.spent);
  }

  // Award records: their encoded form (engine/model/award_records.hpp), copied as bytes; only the
  // records added since the member was unpacked are encoded here.
  if (m.awards.empty()) {
    w.u(m.awards_packed_count);
    w.str(m.awards_packed);
  } else {
    std::string& awards = aside(Aside::kAwards);
    awards.assign(m.awards_packed);
    engine::encode_awards(m.awards.data(), m.awards.data() + m.awards.size(), awards);
    w.u(engine::award_count(m));
    w.str(awards);
  }

  w.u(m.next_lot_id);
  w.s(m.debt);
  w.period(m.cap_period);
  w.s(m.cap_used);

  // Tasks (engine/model/task_part.hpp): an entry each; a task still closed is copied as its entry
  // is, all of them at once when none was opened.
  const std::size_t tasks = m.tasks.size();
  w.u(tasks);
  if (m.tasks_closed != 0 && m.tasks_closed == engine::all_tasks_closed(tasks)) {
    w.raw(m.tasks_packed);
  } else {
    Reader closed(m.tasks_packed);  // walked along only while some are closed
    for (std::size_t t = 0; t < tasks; ++t) {
      if (m.tasks_closed == 0) {
        engine::encode_task(m.tasks[t], base, w);
      } else if (std::string_view entry = closed.str(); (m.tasks_closed >> t) & 1u) {
        w.str(entry);
      } else {
        engine::encode_task(m.tasks[t], base, w);
      }
    }
  }

  w.u(m.aggregates.size());
  for (const auto& a : m.aggregates) {
    std::uint64_t bits = (a.first != engine::kNever ? kAggFirst : 0) |
                         (a.last != kMin64 ? kAggLast : 0) | (!a.window.empty() ? kAggWindow : 0) |
                         (a.total_count != 0 ? kAggCount : 0) |
                         (a.total_sum.units() != 0 ? kAggSum : 0);
    w.u(bits);
    if (bits & kAggFirst) w.time(a.first, base);
    if (bits & kAggLast) w.time(a.last, base);
    if (bits & kAggWindow) engine::write_window(w, a.window, base);
    if (bits & kAggCount) w.s(a.total_count);
    if (bits & kAggSum) w.dec(a.total_sum.units());
  }

  // The rarely used part: encoded as it is (engine/model/rare_part.hpp), or copied while still
  // closed.
  if (m.rare_closed) {
    w.str(m.rare_packed);
  } else {
    std::string& rare = aside(Aside::kRare);
    rare.clear();
    engine::encode_rare(m, rare);
    w.str(rare);
  }
  w.finish();
}

Result<void> unpack_member(std::string_view bytes, MemberState& m, bool leave_closed) {
  Reader r(bytes);
  if (r.byte() != kPackVersion) {
    return Error::invalid_argument("packed member state: unknown format version");
  }
  m.id.assign(r.str());
  m.exists = (r.byte() & 1) != 0;
  const std::int64_t base = r.time(0);
  m.joined.ms = base;
  m.level = static_cast<int>(r.u());
  m.level_since.ms = r.time(base);
  m.review_base.ms = r.time(base);
  m.next_expiry = r.time(base);
  m.next_release = r.time(base);
  m.done_once = r.u();
  m.review_due = r.time(base);
  m.growth_lifetime = r.s();

  // The growth window stays encoded (decoded by the evaluator only when it reads or changes more
  // than the total and the ends): checked here only for its size, a byte at least an entry.
  const std::size_t entries = r.count();
  if (entries > 0) {
    m.growth_packed_first = r.time(base);
    m.growth_packed_last = r.time(m.growth_packed_first);
    m.growth_packed_total = r.s();
  } else {
    m.growth_packed_total = 0;
  }
  std::string_view growth_bytes = entries > 0 ? r.str() : std::string_view();
  if (entries > growth_bytes.size()) r.fail();
  m.growth_packed.assign(growth_bytes);
  m.growth_packed_count = static_cast<std::uint32_t>(entries);
  m.growth_window.clear();

  // Lots stay encoded (decoded by the evaluator only when it reads or changes them): checked here
  // only for their size, at least kMinLotBytes each.
  const std::size_t lots = r.count();
  if (lots > 0) {
    m.lots_packed_last_earned = r.time(base);
    m.lots_packed_last_expires = r.time(m.lots_packed_last_earned);
  }
  std::string_view lot_bytes = lots > 0 ? r.str() : std::string_view();
  if (lots > lot_bytes.size() / kMinLotBytes) r.fail();
  m.lots_packed.assign(lot_bytes);
  m.lots_packed_count = static_cast<std::uint32_t>(lots);
  m.lots.clear();

  m.closed_lots.resize(r.count());
  for (auto& c : m.closed_lots) {
    c.id = static_cast<std::uint32_t>(r.u());
    c.spent = r.s();
  }

  // Award records stay encoded (decoded by the evaluator only if a `reverse` runs): checked here
  // only for their size, at least kMinAwardBytes each.
  std::uint64_t awards = r.u();
  std::string_view award_bytes = r.str();
  if (awards > award_bytes.size() / kMinAwardBytes) r.fail();
  m.awards_packed.assign(award_bytes);
  m.awards_packed_count = static_cast<std::uint32_t>(awards);
  m.awards.clear();

  m.next_lot_id = static_cast<std::uint32_t>(r.u());
  m.debt = r.s();
  m.cap_period = r.period();
  m.cap_used = r.s();

  // Tasks: left encoded when the caller asks (checked here only for their entries' lengths: the
  // evaluator opens the ones an operation reaches), else decoded and checked now.
  const std::size_t tasks = r.count();
  m.tasks.resize(tasks);
  m.tasks_closed = leave_closed ? engine::all_tasks_closed(tasks) : 0;
  if (m.tasks_closed != 0) {
    const char* from = r.position();
    for (std::size_t t = 0; t < tasks; ++t) r.str();
    m.tasks_packed.assign(from, static_cast<std::size_t>(r.position() - from));
  } else {
    m.tasks_packed.clear();
    for (auto& t : m.tasks) {
      if (!engine::decode_task(r, base, t)) r.fail();
    }
  }

  m.aggregates.resize(r.count());
  for (auto& a : m.aggregates) {
    std::uint64_t bits = r.u();
    a.first = (bits & kAggFirst) ? r.time(base) : engine::kNever;
    a.last = (bits & kAggLast) ? r.time(base) : kMin64;
    if (bits & kAggWindow)
      engine::read_window(r, a.window, base);
    else
      a.window.clear();
    a.total_count = (bits & kAggCount) ? r.s() : 0;
    a.total_sum = Decimal::from_units((bits & kAggSum) ? r.dec() : 0);
  }

  // The rarely used part: left encoded when the caller asks (MemberTable::get: the evaluator opens
  // it when an operation touches it), else decoded and checked now.
  std::string_view rare = r.str();
  if (leave_closed) {
    m.rare_packed.assign(rare);
    m.rare_closed = true;
    // Released, not cleared: reading one by mistake while closed must fail at once, not find the
    // previous member's values in the kept buffers.
    release(m.privileges);
    release(m.rewards);
    release(m.tags);
    release(m.attributes);
  } else {
    m.rare_packed.clear();
    m.rare_closed = false;
    if (!engine::decode_rare(rare, m)) r.fail();
  }
  if (!r.done()) return Error::invalid_argument("packed member state: malformed or truncated");
  return ok();
}

std::string_view packed_member_id(std::string_view bytes) {
  Reader r(bytes);
  if (r.byte() != kPackVersion) return {};
  std::string_view id = r.str();
  return r.ok() ? id : std::string_view();
}

bool packed_member_exists(std::string_view bytes) {
  Reader r(bytes);
  if (r.byte() != kPackVersion) return false;
  r.str();
  return r.ok() && (r.byte() & 1) != 0;
}

}  // namespace merit::codec
