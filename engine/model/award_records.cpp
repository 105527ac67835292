// Award records as bytes (award_records.hpp).
#include "engine/model/award_records.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/varint.hpp"

namespace merit::engine {

namespace {

using varint::unzigzag;
using varint::zigzag;

void put(std::string& out, std::uint64_t v) {
  char buf[varint::kMaxBytes];
  out.append(buf, varint::put(buf, v));
}

struct Reader {
  const char* p;
  const char* end;
  bool ok = true;

  std::uint64_t get() {
    std::uint64_t v = 0;
    std::size_t n = varint::get(p, end, v);
    if (n == 0) {
      ok = false;
      p = end;
      return 0;
    }
    p += n;
    return v;
  }
};

}  // namespace

void encode_awards(const AwardRecord* begin, const AwardRecord* end, std::string& out) {
  for (const AwardRecord* a = begin; a != end; ++a) {
    put(out, zigzag(a->event_type) << 1 | (a->reversed ? 1 : 0));
    char key[8];
    std::memcpy(key, &a->key, 8);
    out.append(key, 8);
    // |ms| < 2^62 for any time a record can carry; whole seconds take the shorter form.
    if (a->time.ms % kMsPerSecond == 0)
      put(out, zigzag(a->time.ms / kMsPerSecond) << 1);
    else
      put(out, zigzag(a->time.ms) << 1 | 1);
    put(out, a->lots.size());
    for (const auto& [id, points] : a->lots) {
      put(out, id);
      put(out, zigzag(points));
    }
    put(out, zigzag(a->growth));
  }
}

bool decode_awards(std::string_view bytes, std::uint32_t count, std::vector<AwardRecord>& out) {
  Reader r{bytes.data(), bytes.data() + bytes.size()};
  for (std::uint32_t i = 0; i < count && r.ok; ++i) {
    AwardRecord& a = out.emplace_back();
    std::uint64_t head = r.get();
    a.event_type = static_cast<int>(unzigzag(head >> 1));
    a.reversed = (head & 1) != 0;
    if (r.end - r.p < 8) return false;
    std::memcpy(&a.key, r.p, 8);
    r.p += 8;
    std::uint64_t t = r.get();
    a.time.ms = unzigzag(t >> 1);
    if ((t & 1) == 0 && __builtin_mul_overflow(a.time.ms, kMsPerSecond, &a.time.ms)) return false;
    std::uint64_t lots = r.get();
    if (lots > static_cast<std::uint64_t>(r.end - r.p)) return false;
    for (std::uint64_t k = 0; k < lots; ++k) {
      auto id = static_cast<std::uint32_t>(r.get());
      a.lots.push_back({id, unzigzag(r.get())});
    }
    a.growth = unzigzag(r.get());
  }
  return r.ok && r.p == r.end;
}

void decode_packed_awards(const MemberState& m, std::vector<AwardRecord>& out) {
  out.reserve(out.size() + m.awards_packed_count);
  if (!decode_awards(m.awards_packed, m.awards_packed_count, out)) {
    std::fprintf(stderr, "merit: corrupt award records of member %s\n", m.id.c_str());
    std::abort();
  }
}

void unpack_awards(MemberState& m) {
  if (m.awards_packed_count == 0) return;
  std::vector<AwardRecord> all;
  decode_packed_awards(m, all);
  for (auto& a : m.awards) all.push_back(std::move(a));
  m.awards = std::move(all);
  m.awards_packed.clear();
  m.awards_packed_count = 0;
}

}  // namespace merit::engine
