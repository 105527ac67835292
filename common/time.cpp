// Civil-calendar arithmetic and zone conversions (Howard Hinnant's date library, system tzdata).
#include "common/time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>

#include <date/date.h>
#include <date/tz.h>

namespace merit {

namespace {

using Ms = std::chrono::milliseconds;

bool parse_uint(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

CivilDate to_civil(LocalDate d) {
  date::year_month_day ymd{date::sys_days{date::days{d.days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

LocalDate from_civil(int year, int month, int day) {
  date::sys_days sd = date::year{year} / static_cast<unsigned>(month) / static_cast<unsigned>(day);
  return LocalDate{static_cast<std::int32_t>(sd.time_since_epoch().count())};
}

int days_in_month(int year, int month) {
  auto last = date::year{year} / static_cast<unsigned>(month) / date::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

int weekday(LocalDate d) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int w = static_cast<int>((static_cast<std::int64_t>(d.days) % 7 + 7 + 3) % 7);
  return w;
}

LocalDate add_months(LocalDate d, std::int64_t months) {
  CivilDate c = to_civil(d);
  std::int64_t m0 = static_cast<std::int64_t>(c.year) * 12 + (c.month - 1) + months;
  int y = static_cast<int>(m0 >= 0 ? m0 / 12 : (m0 - 11) / 12);
  int m = static_cast<int>(m0 - static_cast<std::int64_t>(y) * 12) + 1;
  int dim = days_in_month(y, m);
  return from_civil(y, m, c.day > dim ? dim : c.day);
}

std::optional<LocalDate> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!parse_uint(s, 0, 4, y) || !parse_uint(s, 5, 2, m) || !parse_uint(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return from_civil(y, m, d);
}

namespace {
// Writes n as exactly `width` digits (zero-padded) at p.
void put_digits(char* p, int n, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
}
}  // namespace

std::size_t format_date_to(LocalDate d, char* out) {
  CivilDate c = to_civil(d);
  if (c.year < 0 || c.year > 9999) {
    int n = std::snprintf(out, kMaxTimeText, "%04d-%02d-%02d", c.year, c.month, c.day);
    return static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(kMaxTimeText) - 1));
  }
  put_digits(out, c.year, 4);
  out[4] = '-';
  put_digits(out + 5, c.month, 2);
  out[7] = '-';
  put_digits(out + 8, c.day, 2);
  return 10;
}

std::string format_date(LocalDate d) {
  char buf[kMaxTimeText];
  return std::string(buf, format_date_to(d, buf));
}

Result<Zone> Zone::find(std::string_view name) {
  Zone z;
  z.name_ = std::string(name);
  if (name == "UTC" || name == "Etc/UTC") return z;
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(z.name_);
  } catch (const std::exception&) {
    return Error::invalid_argument("unknown time zone \"" + z.name_ +
                                   "\"; expected an IANA name such as \"Asia/Shanghai\"");
  }
  auto table = std::make_shared<Transitions>();
  // Walk the zone's offset periods from 1900 to 2200 once; later lookups never touch tzdata.
  auto t = date::sys_seconds{date::sys_days{date::year{1900} / 1 / 1}};
  const auto end = date::sys_seconds{date::sys_days{date::year{2200} / 1 / 1}};
  table->starts.push_back(std::numeric_limits<std::int64_t>::min());
  table->offsets.push_back(std::chrono::duration_cast<Ms>(tz->get_info(t).offset).count());
  while (t < end) {
    auto info = tz->get_info(t);
    if (info.end <= t) break;
    t = std::chrono::time_point_cast<std::chrono::seconds>(info.end);
    if (t >= end) break;
    auto next = tz->get_info(t);
    std::int64_t off = std::chrono::duration_cast<Ms>(next.offset).count();
    if (off == table->offsets.back()) continue;  // only the abbreviation or DST flag changed
    table->starts.push_back(std::chrono::duration_cast<Ms>(t.time_since_epoch()).count());
    table->offsets.push_back(off);
  }
  z.table_ = std::move(table);
  return z;
}

Zone Zone::utc() { return Zone{}; }

std::int64_t Zone::offset_at(std::int64_t utc_ms) const {
  if (!table_) return 0;
  const auto& s = table_->starts;
  // Most instants a program sees fall after its zone's last transition (or, for zones that still
  // change their clocks, in the latest years): the last period needs no search.
  if (utc_ms >= s.back()) return table_->offsets.back();
  auto it = std::upper_bound(s.begin(), s.end(), utc_ms);
  return table_->offsets[static_cast<std::size_t>(it - s.begin()) - 1];
}

std::int64_t Zone::local_ms(Instant t) const { return t.ms + offset_at(t.ms); }

static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

LocalDate Zone::date_of(Instant t) const {
  return LocalDate{static_cast<std::int32_t>(floor_div(local_ms(t), kMsPerDay))};
}

int Zone::minute_of_day(Instant t) const {
  std::int64_t l = local_ms(t);
  return static_cast<int>((l - floor_div(l, kMsPerDay) * kMsPerDay) / kMsPerMinute);
}

Instant Zone::from_local_ms(std::int64_t lms) const {
  if (!table_) return Instant{lms};
  const auto& s = table_->starts;
  const auto& o = table_->offsets;
  // Past the last transition by more than the offsets around it, the wall-clock time is unique
  // and in the last period: the search below would find exactly lms - o.back().
  if (s.size() >= 2) {
    const std::size_t last = s.size() - 1;
    if (lms >= s[last] && lms - o[last] >= s[last] && lms - o[last - 1] >= s[last]) {
      return Instant{lms - o[last]};
    }
  }
  // A wall-clock time maps to utc = local - offset for each period whose range holds it: one
  // (unique), two (a repeated hour: take the earliest) or none (a skipped hour: the instant the
  // gap ends). Only the periods around local - offset(local) can qualify.
  std::int64_t guess = lms - offset_at(lms);
  auto idx = static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), guess) - s.begin()) - 1;
  std::size_t lo = idx > 0 ? idx - 1 : 0;
  std::size_t hi = std::min(idx + 1, s.size() - 1);
  std::optional<std::int64_t> best;
  for (std::size_t i = lo; i <= hi; ++i) {
    std::int64_t utc = lms - o[i];
    bool after_start = i == 0 || utc >= s[i];
    bool before_end = i + 1 >= s.size() || utc < s[i + 1];
    if (after_start && before_end && (!best || utc < *best)) best = utc;
  }
  if (best) return Instant{*best};
  // In a gap: the first instant after it is the start of the period that skipped the hour.
  for (std::size_t i = lo + 1; i <= hi; ++i) {
    if (lms - o[i] < s[i]) return Instant{s[i]};
  }
  return Instant{guess};
}

Instant Zone::start_of(LocalDate d) const {
  return from_local_ms(static_cast<std::int64_t>(d.days) * kMsPerDay);
}

Instant Zone::add(Instant t, std::int64_t n, CalendarUnit unit) const {
  if (unit == CalendarUnit::kHour) return Instant{t.ms + n * kMsPerHour};
  std::int64_t l = local_ms(t);
  std::int64_t day = floor_div(l, kMsPerDay);
  std::int64_t in_day = l - day * kMsPerDay;
  LocalDate d{static_cast<std::int32_t>(day)};
  switch (unit) {
    case CalendarUnit::kDay:
      d.days += static_cast<std::int32_t>(n);
      break;
    case CalendarUnit::kWeek:
      d.days += static_cast<std::int32_t>(7 * n);
      break;
    case CalendarUnit::kMonth:
      d = add_months(d, n);
      break;
    case CalendarUnit::kYear:
      d = add_months(d, 12 * n);
      break;
    case CalendarUnit::kHour:
      break;
  }
  return from_local_ms(static_cast<std::int64_t>(d.days) * kMsPerDay + in_day);
}

Result<Instant> parse_instant(std::string_view s, const Zone& local) {
  auto bad = [&] {
    return Error::invalid_argument("invalid time \"" + std::string(s) +
                                   "\"; expected ISO 8601 like 2026-01-10T15:00:00Z or "
                                   "2026-01-10T15:00:00+08:00");
  };
  if (s.size() < 10) return bad();
  auto day = parse_date(s.substr(0, 10));
  if (!day) return bad();
  std::int64_t lms = static_cast<std::int64_t>(day->days) * kMsPerDay;
  std::size_t i = 10;
  if (i == s.size()) return local.from_local_ms(lms);
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad();
  ++i;
  int hh, mm, ss = 0, frac = 0;
  if (!parse_uint(s, i, 2, hh) || i + 2 >= s.size() || s[i + 2] != ':' ||
      !parse_uint(s, i + 3, 2, mm)) {
    return bad();
  }
  i += 5;
  if (i < s.size() && s[i] == ':') {
    if (!parse_uint(s, i + 1, 2, ss)) return bad();
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      int digits = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (digits < 3) frac = frac * 10 + (s[i] - '0');
        ++digits;
        ++i;
      }
      if (digits == 0) return bad();
      for (int k = digits; k < 3; ++k) frac *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return bad();
  if (ss == 60) ss = 59;  // a leap second is read as the last second of its minute
  lms += hh * kMsPerHour + mm * kMsPerMinute + ss * kMsPerSecond + frac;
  if (i == s.size()) return local.from_local_ms(lms);
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) return Instant{lms};
  if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!parse_uint(s, i + 1, 2, oh)) return bad();
    std::size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!parse_uint(s, j, 2, om) || j + 2 != s.size() || oh > 23 || om > 59) return bad();
    std::int64_t off = oh * kMsPerHour + om * kMsPerMinute;
    return Instant{s[i] == '+' ? lms - off : lms + off};
  }
  return bad();
}

std::size_t format_instant_to(Instant t, char* out) {
  std::int64_t day = floor_div(t.ms, kMsPerDay);
  std::int64_t in_day = t.ms - day * kMsPerDay;
  std::size_t n = format_date_to(LocalDate{static_cast<std::int32_t>(day)}, out);
  int ms = static_cast<int>(in_day % kMsPerSecond);
  char* p = out + n;
  std::memcpy(p, "T00:00:00.000", 13);
  put_digits(p + 1, static_cast<int>(in_day / kMsPerHour), 2);
  put_digits(p + 4, static_cast<int>(in_day % kMsPerHour / kMsPerMinute), 2);
  put_digits(p + 7, static_cast<int>(in_day % kMsPerMinute / kMsPerSecond), 2);
  if (ms != 0) {
    put_digits(p + 10, ms, 3);
    p += 13;
  } else {
    p += 9;
  }
  *p++ = 'Z';
  return static_cast<std::size_t>(p - out);
}

std::string format_instant(Instant t) {
  char buf[kMaxTimeText];
  return std::string(buf, format_instant_to(t, buf));
}

}  // namespace merit
