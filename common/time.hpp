// Time types: Instant (UTC milliseconds), LocalDate (a civil day), Zone (an IANA zone, via Howard
// Hinnant's date library). Every calendar notion of a program (a day, a week from Monday, a month,
// "end of year") is computed in its Zone. Nothing here reads the clock.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace merit {

// A point in time: milliseconds since 1970-01-01T00:00:00Z.
struct Instant {
  std::int64_t ms = 0;
  friend constexpr auto operator<=>(Instant, Instant) = default;
};
constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::int64_t kMsPerMinute = 60 * kMsPerSecond;
constexpr std::int64_t kMsPerHour = 60 * kMsPerMinute;
constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;

// A civil day, counted from 1970-01-01 (day 0), with no zone attached.
struct LocalDate {
  std::int32_t days = 0;
  friend constexpr auto operator<=>(LocalDate, LocalDate) = default;
};

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

CivilDate to_civil(LocalDate d);
// REQUIRES: a real date (month 1..12, day within the month).
LocalDate from_civil(int year, int month, int day);
int days_in_month(int year, int month);
// 0 = Monday ... 6 = Sunday.
int weekday(LocalDate d);
// Adds calendar months; a day the target month lacks clamps to its last day (Jan 31 + 1 = Feb 28).
LocalDate add_months(LocalDate d, std::int64_t months);

// "2026-12-18" -> LocalDate; nullopt when not a real date in that form.
std::optional<LocalDate> parse_date(std::string_view text);
std::string format_date(LocalDate d);
// The same text written at `out`, which has room for kMaxTimeText chars; returns its length.
inline constexpr std::size_t kMaxTimeText = 40;
std::size_t format_date_to(LocalDate d, char* out);

enum class CalendarUnit : std::uint8_t { kHour, kDay, kWeek, kMonth, kYear };

// An IANA time zone. Cheap to copy. Thread-safe (the zone data is immutable once loaded).
// Offsets come from a table of the zone's transitions (1900-2200) built once by find(), so
// conversions on the evaluation path are a binary search with no allocation.
class Zone {
 public:
  // "UTC" or an IANA name ("Asia/Shanghai"); an unknown name is kInvalidArgument naming it.
  static Result<Zone> find(std::string_view name);
  static Zone utc();

  const std::string& name() const { return name_; }

  // The program-zone civil day of an instant.
  LocalDate date_of(Instant t) const;
  // Minutes since local midnight, 0..1439 (wall clock).
  int minute_of_day(Instant t) const;
  // The local wall-clock time of an instant as milliseconds since 1970-01-01 local midnight.
  std::int64_t local_ms(Instant t) const;
  // The first instant of a local day (local midnight; on a day that skips midnight, the first
  // instant that exists).
  Instant start_of(LocalDate d) const;
  // The instant for a local wall-clock time in ms since the local epoch (earliest when ambiguous).
  Instant from_local_ms(std::int64_t local_ms) const;
  // t + n units: hours are exact; days, weeks, months and years move the local wall clock,
  // clamping the day of month (LANGUAGE.md §8).
  Instant add(Instant t, std::int64_t n, CalendarUnit unit) const;

 private:
  struct Transitions {
    std::vector<std::int64_t> starts;   // ms: instant each offset begins, ascending
    std::vector<std::int64_t> offsets;  // ms: local - UTC from starts[i] on
  };
  std::int64_t offset_at(std::int64_t utc_ms) const;

  std::string name_ = "UTC";
  std::shared_ptr<const Transitions> table_;  // null for UTC
};

// Parses an ISO 8601 instant: "2026-01-10T15:00:00Z", "2026-11-18T10:15:00+08:00",
// "2026-01-10T15:00:00.250Z", "2026-01-10T15:00" or "2026-01-10" (no offset: wall clock in
// `local`). Errors name the text and say what form was expected.
Result<Instant> parse_instant(std::string_view text, const Zone& local);

// "2026-01-10T15:00:00Z" (UTC; ".250" milliseconds only when not zero).
std::string format_instant(Instant t);
std::size_t format_instant_to(Instant t, char* out);  // room for kMaxTimeText chars

}  // namespace merit
