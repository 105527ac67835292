// Time: civil arithmetic with clamping, zone conversions, ISO 8601 parsing.
#include "common/time.hpp"

#include <gtest/gtest.h>

namespace merit {
namespace {

Instant at(const char* s, const Zone& z = Zone::utc()) { return *parse_instant(s, z); }

TEST(Time, ParsesOffsetsAndFormatsUtc) {
  EXPECT_EQ(format_instant(at("2026-11-18T10:15:00+08:00")), "2026-11-18T02:15:00Z");
  EXPECT_EQ(format_instant(at("2026-01-10T15:00:00.250Z")), "2026-01-10T15:00:00.250Z");
  EXPECT_EQ(format_instant(at("2026-01-10T15:00Z")), "2026-01-10T15:00:00Z");
  EXPECT_FALSE(parse_instant("2026-02-30T00:00:00Z", Zone::utc()));
  EXPECT_FALSE(parse_instant("yesterday", Zone::utc()));
  EXPECT_FALSE(parse_instant("2026-01-10T25:00:00Z", Zone::utc()));
}

TEST(Time, FormatsInstantsAndDatesOutsideTheFourDigitYears) {
  // Before the epoch, and the edges of the years events may carry (0000-9999) and past them: an
  // as-of view a year after a late event reaches year 10000.
  EXPECT_EQ(format_instant(Instant{-1}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_instant(at("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00Z");
  Instant last = at("9999-12-31T23:59:59.001Z");
  EXPECT_EQ(format_instant(last), "9999-12-31T23:59:59.001Z");
  EXPECT_EQ(format_instant(Instant{last.ms + 366 * kMsPerDay}), "10000-12-31T23:59:59.001Z");
  char buf[kMaxTimeText];
  std::size_t n = format_instant_to(Instant{last.ms + 366 * kMsPerDay}, buf);
  EXPECT_EQ(std::string(buf, n), "10000-12-31T23:59:59.001Z");
  n = format_date_to(*parse_date("2028-02-29"), buf);
  EXPECT_EQ(std::string(buf, n), "2028-02-29");
}

TEST(Time, LocalTimesWithoutOffsetAreInTheGivenZone) {
  auto sh = *Zone::find("Asia/Shanghai");
  EXPECT_EQ(format_instant(at("2026-05-18T00:30", sh)), "2026-05-17T16:30:00Z");
  EXPECT_EQ(format_date(sh.date_of(at("2026-05-17T16:30:00Z"))), "2026-05-18");
  EXPECT_EQ(format_date(sh.date_of(at("2026-05-17T15:59:59Z"))), "2026-05-17");
  EXPECT_EQ(sh.minute_of_day(at("2026-05-17T16:30:00Z")), 30);
}

TEST(Time, MonthArithmeticClampsToTheLastDay) {
  EXPECT_EQ(format_date(add_months(*parse_date("2026-01-31"), 1)), "2026-02-28");
  EXPECT_EQ(format_date(add_months(*parse_date("2028-02-29"), 12)), "2029-02-28");
  EXPECT_EQ(format_date(add_months(*parse_date("2026-03-31"), -1)), "2026-02-28");
  EXPECT_EQ(format_date(add_months(*parse_date("2026-12-15"), 1)), "2027-01-15");
}

TEST(Time, AddsDaysOnTheWallClockAndHoursExactly) {
  auto ny = *Zone::find("America/New_York");
  // 2026-03-08 is the spring-forward day in New York: one wall-clock day is 23 hours.
  Instant t = at("2026-03-07T12:00", ny);
  EXPECT_EQ(format_instant(ny.add(t, 1, CalendarUnit::kDay)), "2026-03-08T16:00:00Z");
  EXPECT_EQ(format_instant(ny.add(t, 24, CalendarUnit::kHour)), "2026-03-08T17:00:00Z");
  EXPECT_EQ(format_instant(Zone::utc().add(at("2026-01-31T10:00:00Z"), 1, CalendarUnit::kMonth)),
            "2026-02-28T10:00:00Z");
}

TEST(Time, WeekdaysStartOnMonday) {
  EXPECT_EQ(weekday(*parse_date("2026-11-23")), 0);  // a Monday
  EXPECT_EQ(weekday(*parse_date("2026-11-29")), 6);  // a Sunday
  EXPECT_EQ(weekday(*parse_date("1970-01-01")), 3);  // a Thursday
}

TEST(Time, UnknownZoneIsAnErrorNamingIt) {
  auto z = Zone::find("Asia/Shangai");
  ASSERT_FALSE(z);
  EXPECT_NE(z.error().message().find("Asia/Shangai"), std::string::npos);
}

}  // namespace
}  // namespace merit

namespace merit {
namespace {

TEST(Time, WallClockInADaylightSavingGapMapsToTheEndOfTheGap) {
  auto ny = *Zone::find("America/New_York");
  // 02:30 does not exist on 2026-03-08 in New York: clocks jump from 02:00 EST to 03:00 EDT.
  EXPECT_EQ(format_instant(*parse_instant("2026-03-08T02:30", ny)), "2026-03-08T07:00:00Z");
  // 01:30 happens twice on 2026-11-01: the earlier (EDT) instant is taken.
  EXPECT_EQ(format_instant(*parse_instant("2026-11-01T01:30", ny)), "2026-11-01T05:30:00Z");
  EXPECT_EQ(format_instant(ny.start_of(*parse_date("2026-03-08"))), "2026-03-08T05:00:00Z");
}

TEST(Time, TransitionTableAgreesWithLocalArithmeticAcrossZones) {
  // Round trip: every instant's local day and minute map back to a wall-clock time whose instant,
  // outside repeated hours, is the same instant.
  for (const char* name :
       {"Asia/Shanghai", "Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe"}) {
    auto z = *Zone::find(name);
    for (std::int64_t t = 1'600'000'000'000; t < 1'900'000'000'000; t += 7'777'777'777) {
      Instant i{t};
      Instant back = z.from_local_ms(z.local_ms(i));
      EXPECT_LE(back.ms, t) << name << " " << format_instant(i);
      EXPECT_EQ(z.local_ms(back), z.local_ms(i)) << name << " " << format_instant(i);
    }
  }
  auto sh = *Zone::find("Asia/Shanghai");
  EXPECT_EQ(sh.local_ms(Instant{0}), 8 * kMsPerHour);
}

}  // namespace
}  // namespace merit
