// The rarely used part as bytes (rare_part.hpp).
#include "engine/model/rare_part.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>

#include "common/byte_io.hpp"

namespace merit::engine {

namespace {

using bytes::Reader;
using bytes::Writer;

constexpr std::int32_t kMin32 = std::numeric_limits<std::int32_t>::min();

// Which parts of a privilege's (reward's) state differ from the initial state: a bit each, so an
// untouched one is a single zero byte.
constexpr std::uint64_t kPrivPeriod = 1, kPrivUsed = 2, kPrivGrants = 4;
constexpr std::uint64_t kRewardPeriod = 1, kRewardUnits = 2;

void write_value(Writer& w, const Value& v) {
  using K = Value::Kind;
  w.byte(static_cast<std::uint8_t>(v.kind));
  switch (v.kind) {
    case K::kNone:
      break;
    case K::kString:
      w.str(v.s);
      break;
    case K::kSet:
      w.u(v.set.size());
      for (const auto& s : v.set) w.str(s);
      break;
    case K::kNumber:
    case K::kBool:
    case K::kDate:
    case K::kTime:
    case K::kDuration:
    case K::kLevel:
      w.s(v.i);
      break;
  }
}

void read_value(Reader& r, Value& v) {
  using K = Value::Kind;
  std::uint8_t kind = r.byte();
  if (kind > static_cast<std::uint8_t>(K::kLevel)) return r.fail();
  v.kind = static_cast<K>(kind);
  v.i = 0;
  v.s.clear();
  v.set.clear();
  switch (v.kind) {
    case K::kNone:
      break;
    case K::kString:
      v.s.assign(r.str());
      break;
    case K::kSet:
      v.set.resize(r.count());
      for (auto& s : v.set) s.assign(r.str());
      break;
    case K::kNumber:
    case K::kBool:
    case K::kDate:
    case K::kTime:
    case K::kDuration:
    case K::kLevel:
      v.i = r.s();
      break;
  }
}

}  // namespace

void encode_rare(const MemberState& m, std::string& out) {
  const std::int64_t base = m.joined.ms;
  Writer w(out);
  w.u(m.privileges.size());
  for (const auto& p : m.privileges) {
    std::uint64_t bits = (p.period != kMin32 ? kPrivPeriod : 0) | (p.used != 0 ? kPrivUsed : 0) |
                         (!p.grants.empty() ? kPrivGrants : 0);
    w.u(bits);
    if (bits & kPrivPeriod) w.period(p.period);
    if (bits & kPrivUsed) w.s(p.used);
    if (bits & kPrivGrants) {
      w.u(p.grants.size());
      for (const auto& g : p.grants) {
        w.s(g.remaining);
        w.time(g.until, base);
      }
    }
  }

  w.u(m.rewards.size());
  for (const auto& rw : m.rewards) {
    std::uint64_t bits =
        (rw.period != kMin32 ? kRewardPeriod : 0) | (rw.units != 0 ? kRewardUnits : 0);
    w.u(bits);
    if (bits & kRewardPeriod) w.period(rw.period);
    if (bits & kRewardUnits) w.s(rw.units);
  }

  w.u(m.tags.size());
  for (const auto& t : m.tags) w.str(t);
  w.u(m.attributes.size());
  for (const auto& v : m.attributes) write_value(w, v);
  w.finish();
}

bool decode_rare(std::string_view bytes, MemberState& m) {
  const std::int64_t base = m.joined.ms;
  Reader r(bytes);
  m.privileges.resize(r.count());
  for (auto& p : m.privileges) {
    std::uint64_t bits = r.u();
    p.period = (bits & kPrivPeriod) ? r.period() : kMin32;
    p.used = (bits & kPrivUsed) ? r.s() : 0;
    p.grants.resize((bits & kPrivGrants) ? r.count() : 0);
    for (auto& g : p.grants) {
      g.remaining = r.s();
      g.until = r.time(base);
    }
  }

  m.rewards.resize(r.count());
  for (auto& rw : m.rewards) {
    std::uint64_t bits = r.u();
    rw.period = (bits & kRewardPeriod) ? r.period() : kMin32;
    rw.units = (bits & kRewardUnits) ? r.s() : 0;
  }

  m.tags.resize(r.count());
  for (auto& t : m.tags) t.assign(r.str());
  m.attributes.resize(r.count());
  for (auto& v : m.attributes) read_value(r, v);

  return r.done();
}

void open_rare(MemberState& m) {
  if (!m.rare_closed) return;
  if (!decode_rare(m.rare_packed, m)) {
    std::fprintf(stderr, "merit: corrupt privileges, rewards, tags or attributes of member %s\n",
                 m.id.c_str());
    std::abort();
  }
  m.rare_closed = false;
  m.rare_packed.clear();
}

}  // namespace merit::engine
