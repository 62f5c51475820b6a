// Anchors are computed by hand from day counts (365 per year plus one per leap year) and checked
// against well-known epoch values (2024-01-01T00:00:00Z = 1704067200 s; INT64 nanosecond limits are
// 1677-09-21T00:12:43.145224192Z and 2262-04-11T23:47:16.854775807Z). All arithmetic is integer and exact.

#include "ballast/core/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace ballast::core {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// 2024-01-01T00:00:00Z: 54 years × 365 + 13 leap days (1972…2020) = 19723 days = 1704067200 s.
constexpr std::int64_t kNewYear2024 = 1'704'067'200LL * kNanosPerSecond;

std::int64_t ts(std::string_view text) {
  auto r = parse_timestamp(text);
  EXPECT_TRUE(r.has_value()) << "could not parse '" << text << "': " << (r ? "" : r.error().message());
  return r.has_value() ? r->value : 0;
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned month_length(std::int64_t y, unsigned m) {
  constexpr unsigned kLengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29u : kLengths[m - 1];
}

// ------------------------------------------------------------------------------------- civil calendar

TEST(Time, DaysFromCivilMatchesHandCountedAnchors) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2024, 1, 1), 19723);
  // 2000-01-01 is 30 × 365 + 7 leap days = 10957; + 31 (Jan) + 29 (Feb 2000 is leap) = 11017.
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  // 1900-01-01 is 70 × 365 + 17 leap days (1904…1968) before the epoch.
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
  // 1600-01-01: 370 years back; leap years 1600…1968 are 93 multiples of 4 minus 1700, 1800 and 1900 = 90,
  // so 370 × 365 + 90 = 135140 days.
  EXPECT_EQ(days_from_civil(1600, 1, 1), -135140);
  EXPECT_EQ(days_from_civil(2262, 4, 11), 106751);
  EXPECT_EQ(days_from_civil(1677, 9, 21), -106752);
}

TEST(Time, CenturyLeapYearsFollowTheGregorianRule) {
  // Days between Feb 28 and Mar 1: 2 in a leap year, 1 otherwise.
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);  // divisible by 100, not 400
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);  // divisible by 400
  EXPECT_EQ(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
  EXPECT_EQ(days_from_civil(2023, 3, 1) - days_from_civil(2023, 2, 28), 1);
  EXPECT_EQ(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1);
  EXPECT_EQ(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1), 366);
  EXPECT_EQ(days_from_civil(1901, 1, 1) - days_from_civil(1900, 1, 1), 365);
}

TEST(Time, CivilFromDaysWalksTheCalendarOneDayAtATime) {
  // Start at 0000-03-01 (a known day number, −719468) and step day by day to year 4000, advancing an
  // independently kept date with the month-length table; both directions must agree every day.
  std::int64_t y = 0;
  unsigned m = 3;
  unsigned d = 1;
  ASSERT_EQ(days_from_civil(0, 3, 1), -719468);
  for (std::int64_t z = -719468; z <= days_from_civil(4000, 1, 1); ++z) {
    const CivilDate c = civil_from_days(z);
    if (c.year != y || c.month != m || c.day != d) {
      FAIL() << "day " << z << ": got " << c.year << "-" << c.month << "-" << c.day << ", expected " << y << "-" << m
             << "-" << d;
    }
    if (days_from_civil(y, m, d) != z) {
      FAIL() << "days_from_civil(" << y << "-" << m << "-" << d << ") != " << z;
    }
    if (++d > month_length(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
}

TEST(Time, CivilRoundTripHoldsForNegativeYears) {
  for (std::int64_t z = -2'000'000; z <= -700'000; z += 997) {
    const CivilDate c = civil_from_days(z);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), z);
    EXPECT_GE(c.month, 1u);
    EXPECT_LE(c.month, 12u);
    EXPECT_GE(c.day, 1u);
    EXPECT_LE(c.day, month_length(c.year, c.month));
  }
  // Proleptic Gregorian: 1 BC is year 0, a leap year.
  EXPECT_EQ(days_from_civil(0, 3, 1) - days_from_civil(0, 2, 28), 2);
}

TEST(Time, FloorDivRoundsTowardNegativeInfinity) {
  EXPECT_EQ(floor_div(7, 2), 3);
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(floor_div(-8, 2), -4);
  EXPECT_EQ(floor_div(7, -2), -4);
  EXPECT_EQ(floor_div(-7, -2), 3);
  EXPECT_EQ(floor_div(0, 5), 0);
}

TEST(Time, FloorToBucketsNegativeTimesDownward) {
  EXPECT_EQ(floor_to(UnixNanos(-1), minutes(1)).value, -60 * kNanosPerSecond);
  EXPECT_EQ(floor_to(UnixNanos(-60 * kNanosPerSecond), minutes(1)).value, -60 * kNanosPerSecond);
  EXPECT_EQ(floor_to(UnixNanos(-61 * kNanosPerSecond), minutes(1)).value, -120 * kNanosPerSecond);
  // 1969-12-31T23:59:59.999999999Z is in the day that starts one day before the epoch.
  EXPECT_EQ(floor_to(UnixNanos(-1), hours(24)).value, -kNanosPerDay);
}

TEST(Time, FloorToAlignsOnUtcBuckets) {
  const UnixNanos t(ts("2024-03-01T12:34:56.789Z"));
  EXPECT_EQ(format_iso8601(floor_to(t, minutes(5))), "2024-03-01T12:30:00Z");
  EXPECT_EQ(format_iso8601(floor_to(t, hours(4))), "2024-03-01T12:00:00Z");
  EXPECT_EQ(format_iso8601(floor_to(t, hours(24))), "2024-03-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(floor_to(t, seconds(1))), "2024-03-01T12:34:56Z");
  EXPECT_EQ(floor_to(UnixNanos(kNewYear2024), minutes(15)).value, kNewYear2024);
}

// ------------------------------------------------------------------------------------------ UnixNanos

TEST(Time, UnixNanosConvertsUnits) {
  EXPECT_EQ(UnixNanos::from_seconds(2).value, 2'000'000'000);
  EXPECT_EQ(UnixNanos::from_millis(-3).value, -3'000'000);
  EXPECT_EQ(UnixNanos::from_micros(7).value, 7'000);
  EXPECT_EQ(UnixNanos(1'234'567'890).millis(), 1234);
  EXPECT_EQ(UnixNanos(1'234'567'890).micros(), 1'234'567);
}

TEST(Time, UnixNanosAddsDurations) {
  UnixNanos t(1'000);
  EXPECT_EQ((t + nanoseconds(5)).value, 1'005);
  EXPECT_EQ((t - microseconds(1)).value, 0);
  EXPECT_EQ((UnixNanos(5'000) - t).count(), 4'000);
  t += milliseconds(1);
  EXPECT_EQ(t.value, 1'001'000);
  EXPECT_LT(UnixNanos(1), UnixNanos(2));
  EXPECT_EQ(UnixNanos(), UnixNanos(0));
}

// -------------------------------------------------------------------------------------- epoch numbers

TEST(Time, InfersEpochUnitFromMagnitudeAtTheDocumentedBoundaries) {
  EXPECT_EQ(infer_epoch_unit(0), EpochUnit::Seconds);
  EXPECT_EQ(infer_epoch_unit(99'999'999'999), EpochUnit::Seconds);
  EXPECT_EQ(infer_epoch_unit(100'000'000'000), EpochUnit::Millis);
  EXPECT_EQ(infer_epoch_unit(99'999'999'999'999), EpochUnit::Millis);
  EXPECT_EQ(infer_epoch_unit(100'000'000'000'000), EpochUnit::Micros);
  EXPECT_EQ(infer_epoch_unit(99'999'999'999'999'999), EpochUnit::Micros);
  EXPECT_EQ(infer_epoch_unit(100'000'000'000'000'000), EpochUnit::Nanos);
  EXPECT_EQ(infer_epoch_unit(kMax), EpochUnit::Nanos);
}

TEST(Time, InfersEpochUnitFromTheMagnitudeOfNegativeValues) {
  // The rule is on |v|: −10^11 has |v| = 10^11, so it is milliseconds, like +10^11.
  EXPECT_EQ(infer_epoch_unit(-1), EpochUnit::Seconds);
  EXPECT_EQ(infer_epoch_unit(-99'999'999'999), EpochUnit::Seconds);
  EXPECT_EQ(infer_epoch_unit(-100'000'000'000), EpochUnit::Millis);
  EXPECT_EQ(infer_epoch_unit(-100'000'000'000'000), EpochUnit::Micros);
  EXPECT_EQ(infer_epoch_unit(-100'000'000'000'000'000), EpochUnit::Nanos);
  EXPECT_EQ(infer_epoch_unit(kMin), EpochUnit::Nanos);
}

TEST(Time, ParsesEpochNumbersInEachUnit) {
  EXPECT_EQ(ts("1704067200"), kNewYear2024);
  EXPECT_EQ(ts("1704067200123"), kNewYear2024 + 123 * kNanosPerMilli);
  EXPECT_EQ(ts("1704067200123456"), kNewYear2024 + 123'456 * kNanosPerMicro);
  EXPECT_EQ(ts("1704067200123456789"), kNewYear2024 + 123'456'789);
  EXPECT_EQ(ts("0"), 0);
  EXPECT_EQ(ts("-1"), -kNanosPerSecond);
}

TEST(Time, ReadsTheSmallestMillisecondValueAsEarly1973) {
  // 10^11 ms = 10^8 s = 1157 days 9:46:40 = 1973-03-03T09:46:40Z.
  EXPECT_EQ(format_iso8601(UnixNanos(ts("100000000000"))), "1973-03-03T09:46:40Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("100000000000000"))), "1973-03-03T09:46:40Z");     // 10^14 µs
  EXPECT_EQ(format_iso8601(UnixNanos(ts("100000000000000000"))), "1973-03-03T09:46:40Z");  // 10^17 ns
}

TEST(Time, RejectsEpochNumbersOutsideTheNanosecondRange) {
  // 9999999999 s (year 2286) is seconds by magnitude but beyond 2262 in nanoseconds.
  auto a = parse_timestamp("9999999999");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), ErrorCode::OutOfRange);
  auto b = from_epoch(kMax / 1000 + 1, EpochUnit::Micros);
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), ErrorCode::OutOfRange);
  // Beyond int64 itself.
  EXPECT_FALSE(parse_timestamp("99999999999999999999").has_value());
}

TEST(Time, FromEpochScalesByTheUnit) {
  EXPECT_EQ(from_epoch(3, EpochUnit::Seconds)->value, 3 * kNanosPerSecond);
  EXPECT_EQ(from_epoch(3, EpochUnit::Millis)->value, 3 * kNanosPerMilli);
  EXPECT_EQ(from_epoch(3, EpochUnit::Micros)->value, 3 * kNanosPerMicro);
  EXPECT_EQ(from_epoch(3, EpochUnit::Nanos)->value, 3);
  EXPECT_EQ(from_epoch(kMin, EpochUnit::Nanos)->value, kMin);
}

// ------------------------------------------------------------------------------------- ISO timestamps

TEST(Time, ParsesAnIsoDateAsMidnightUtc) {
  // 2024-03-01 is day 19723 + 31 + 29 = 19783.
  EXPECT_EQ(ts("2024-03-01"), 19783 * kNanosPerDay);
  EXPECT_EQ(ts("1970-01-01"), 0);
  EXPECT_EQ(ts("2024-01-01"), kNewYear2024);
  EXPECT_EQ(ts("1969-12-31"), -kNanosPerDay);
}

TEST(Time, AcceptsTAndSpaceSeparators) {
  const std::int64_t expected = 19783 * kNanosPerDay + (12 * 3600 + 30 * 60) * kNanosPerSecond;
  EXPECT_EQ(ts("2024-03-01T12:30:00"), expected);
  EXPECT_EQ(ts("2024-03-01 12:30:00"), expected);
  EXPECT_EQ(ts("2024-03-01t12:30:00"), expected);
  EXPECT_EQ(ts("2024-03-01T12:30"), expected);
  EXPECT_EQ(ts("2024-03-01T12:30:00Z"), expected);
  EXPECT_EQ(ts("2024-03-01 12:30:00.250"), expected + 250 * kNanosPerMilli);
}

TEST(Time, ReadsFractionsOfOneToNineDigits) {
  const std::int64_t base = kNewYear2024;
  EXPECT_EQ(ts("2024-01-01T00:00:00.1Z"), base + 100'000'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.12Z"), base + 120'000'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.123Z"), base + 123'000'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.1234Z"), base + 123'400'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.12345Z"), base + 123'450'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.123456Z"), base + 123'456'000);
  EXPECT_EQ(ts("2024-01-01T00:00:00.1234567Z"), base + 123'456'700);
  EXPECT_EQ(ts("2024-01-01T00:00:00.12345678Z"), base + 123'456'780);
  EXPECT_EQ(ts("2024-01-01T00:00:00.123456789Z"), base + 123'456'789);
  EXPECT_EQ(ts("2024-01-01T00:00:00.000000001Z"), base + 1);
  EXPECT_EQ(ts("2024-01-01T00:00:00,5Z"), base + 500'000'000);  // ISO also allows a comma
  // Zeros beyond nanoseconds are harmless; other digits would lose precision.
  EXPECT_EQ(ts("2024-01-01T00:00:00.1234567890Z"), base + 123'456'789);
  EXPECT_FALSE(parse_timestamp("2024-01-01T00:00:00.1234567891Z").has_value());
}

TEST(Time, ConvertsUtcOffsetsToUtc) {
  // 12:30 at +05:30 is 07:00 UTC; 12:30 at −08:00 is 20:30 UTC.
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-03-01T12:30:00+05:30"))), "2024-03-01T07:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-03-01T12:30:00+0530"))), "2024-03-01T07:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-03-01T12:30:00-08:00"))), "2024-03-01T20:30:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-03-01T12:30:00-0800"))), "2024-03-01T20:30:00Z");
  EXPECT_EQ(ts("2024-03-01T12:30:00+00:00"), ts("2024-03-01T12:30:00Z"));
  EXPECT_EQ(ts("2024-03-01T12:30:00-00:00"), ts("2024-03-01T12:30:00Z"));
  EXPECT_EQ(ts("2024-03-01T12:30:00.5+01:00"), ts("2024-03-01T11:30:00.5Z"));
}

TEST(Time, OffsetsCanMoveTheInstantAcrossMidnightAndYears) {
  // 00:30 on 1 Jan at +01:00 is 23:30 UTC on 31 Dec; 22:00 on 31 Dec at −05:00 is 03:00 UTC on 1 Jan.
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-01-01T00:30:00+01:00"))), "2023-12-31T23:30:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-12-31T22:00:00-05:00"))), "2025-01-01T03:00:00Z");
  // 2024-02-29 exists, so 23:00 at −02:00 on 28 Feb lands on 29 Feb.
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2024-02-28T23:00:00-02:00"))), "2024-02-29T01:00:00Z");
}

TEST(Time, TrimsSpacesAndQuotes) {
  EXPECT_EQ(ts("  \"2024-01-01T00:00:00Z\"  "), kNewYear2024);
  EXPECT_EQ(ts("2024-01-01\r"), kNewYear2024);
  EXPECT_EQ(ts(" 1704067200 "), kNewYear2024);
}

TEST(Time, AcceptsLeapDaysOnlyInLeapYears) {
  EXPECT_EQ(ts("2024-02-29") - ts("2024-02-28"), kNanosPerDay);
  EXPECT_EQ(ts("2000-02-29") - ts("2000-02-28"), kNanosPerDay);
  EXPECT_FALSE(parse_timestamp("1900-02-29").has_value());
  EXPECT_FALSE(parse_timestamp("2023-02-29").has_value());
}

TEST(Time, RejectsInvalidDatesAndTimes) {
  for (std::string_view text : {"2024-13-01",
                                "2024-00-10",
                                "2024-02-30",
                                "2023-02-29",
                                "2024-04-31",
                                "2024-01-00",
                                "2024-01-32",
                                "2024-01-01T24:00:00",
                                "2024-01-01T23:60:00",
                                "2024-01-01T23:59:60",
                                "2024-1-01",
                                "24-01-01",
                                "2024/01/01",
                                "2024-01-01T",
                                "2024-01-01T12",
                                "2024-01-01T1:30",
                                "2024-01-01T12:30:",
                                "2024-01-01T12:30:00.",
                                "2024-01-01X12:30:00",
                                "2024-01-01T12:30:00+25:00",
                                "2024-01-01T12:30:00+05:60",
                                "2024-01-01T12:30:00+5:30",
                                "2024-01-01T12:30:00+05:3",
                                "2024-01-01T12:30:00Q"}) {
    auto r = parse_timestamp(text);
    EXPECT_FALSE(r.has_value()) << text;
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::ParseError) << text;
    }
  }
}

TEST(Time, RejectsTrailingJunkAndEmptyInput) {
  for (std::string_view text : {"", "   ", "\"\"", "2024-01-01T12:30:00Zjunk", "2024-01-01junk", "1704067200s",
                                "12:30:00", "-", "+1704067200", "1704067200.5", "2024-01-01T12:30:00Z+01:00"}) {
    auto r = parse_timestamp(text);
    EXPECT_FALSE(r.has_value()) << "'" << text << "'";
  }
  auto e = parse_timestamp("");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message().find("empty"), std::string::npos);
}

TEST(Time, RejectsAFractionOfAMinute) {
  // ISO-8601 reads "12:30.5" as 12:30:30; the documented grammar has fractions only after seconds,
  // so it must be refused rather than read as 12:30:00.5.
  EXPECT_FALSE(parse_timestamp("2024-01-01T12:30.5").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-01-01", "12:30.5").has_value());
}

TEST(Time, ErrorMessagesQuoteTheInput) {
  auto r = parse_timestamp("2024-13-01");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("'2024-13-01'"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("month"), std::string::npos) << r.error().message();
}

TEST(Time, ParsesTheFirstAndLastRepresentableInstants) {
  EXPECT_EQ(ts("1677-09-21T00:12:43.145224192Z"), kMin);
  EXPECT_EQ(ts("2262-04-11T23:47:16.854775807Z"), kMax);
  // Reached through an offset from the next day: 00:30+01:00 on 2262-04-12 is 23:30 UTC on the 11th.
  EXPECT_EQ(format_iso8601(UnixNanos(ts("2262-04-12T00:30:00+01:00"))), "2262-04-11T23:30:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(ts("1677-09-20T23:30:00-01:00"))), "1677-09-21T00:30:00Z");
}

TEST(Time, RejectsInstantsJustOutsideTheRange) {
  for (std::string_view text : {"1677-09-21T00:12:43.145224191Z", "2262-04-11T23:47:16.854775808Z", "1677-09-20",
                                "2262-04-12", "0000-01-01", "9999-12-31T23:59:59Z"}) {
    auto r = parse_timestamp(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::OutOfRange) << text;
  }
}

TEST(Time, ParsesDateAndTimeGivenSeparately) {
  auto r = parse_date_and_time("2024-03-01", "12:30");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(format_iso8601(*r), "2024-03-01T12:30:00Z");
  EXPECT_EQ(format_iso8601(parse_date_and_time("2024-03-01", "12:30:15.5").value()), "2024-03-01T12:30:15.500Z");
  EXPECT_EQ(format_iso8601(parse_date_and_time("2024-03-01", "00:15+01:00").value()), "2024-02-29T23:15:00Z");
  EXPECT_EQ(parse_date_and_time("1677-09-21", "00:12:43.145224192").value().value, kMin);
}

TEST(Time, ParseDateAndTimeRejectsBadFields) {
  EXPECT_FALSE(parse_date_and_time("2024-03-01x", "12:30").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-03-01T", "12:30").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-02-30", "12:30").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-03-01", "").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-03-01", "24:00").has_value());
  EXPECT_FALSE(parse_date_and_time("2024-03-01", "12:30:00 junk").has_value());
  EXPECT_FALSE(parse_date_and_time("", "12:30").has_value());
}

// ----------------------------------------------------------------------------------------- formatting

TEST(Time, FormatsIsoWithTheShortestExactFraction) {
  EXPECT_EQ(format_iso8601(UnixNanos(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024)), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 + 250 * kNanosPerMilli)), "2024-01-01T00:00:00.250Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 + 123'456'000)), "2024-01-01T00:00:00.123456Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 + 1'000)), "2024-01-01T00:00:00.000001Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 + 1)), "2024-01-01T00:00:00.000000001Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 + 100'000'010)), "2024-01-01T00:00:00.100000010Z");
  // 86399 s = 23:59:59.
  EXPECT_EQ(format_iso8601(UnixNanos(kNewYear2024 - 1)), "2023-12-31T23:59:59.999999999Z");
}

TEST(Time, FormatsNegativeAndExtremeInstants) {
  EXPECT_EQ(format_iso8601(UnixNanos(-1)), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_iso8601(UnixNanos(-kNanosPerDay)), "1969-12-31T00:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(-25567 * kNanosPerDay)), "1900-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kMin)), "1677-09-21T00:12:43.145224192Z");
  EXPECT_EQ(format_iso8601(UnixNanos(kMax)), "2262-04-11T23:47:16.854775807Z");
}

TEST(Time, FormatAndParseRoundTrip) {
  // A deterministic spread of instants over the whole range, plus the edges.
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto value = static_cast<std::int64_t>(x);
    // Keep every fraction width in play: whole seconds, ms, µs and ns.
    const std::int64_t granularity[] = {kNanosPerSecond, kNanosPerMilli, kNanosPerMicro, 1};
    const std::int64_t g = granularity[i % 4];
    const std::int64_t t = value / g * g;
    const std::string text = format_iso8601(UnixNanos(t));
    auto back = parse_timestamp(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_EQ(back->value, t) << text;
  }
  for (std::int64_t t : {kMin, kMax, std::int64_t{0}, std::int64_t{-1}, kNewYear2024}) {
    EXPECT_EQ(ts(format_iso8601(UnixNanos(t))), t);
  }
}

// ------------------------------------------------------------------------------------------ durations

TEST(Time, ParsesDurationsInEveryUnit) {
  EXPECT_EQ(parse_duration("500ms").value(), milliseconds(500));
  EXPECT_EQ(parse_duration("1s").value(), seconds(1));
  EXPECT_EQ(parse_duration("1m").value(), minutes(1));
  EXPECT_EQ(parse_duration("15m").value(), minutes(15));
  EXPECT_EQ(parse_duration("15min").value(), minutes(15));
  EXPECT_EQ(parse_duration("1h").value(), hours(1));
  EXPECT_EQ(parse_duration("4h").value(), hours(4));
  EXPECT_EQ(parse_duration("1d").value(), hours(24));
  EXPECT_EQ(parse_duration("1w").value(), hours(24 * 7));
  EXPECT_EQ(parse_duration("250us").value(), microseconds(250));
  EXPECT_EQ(parse_duration("7ns").value(), nanoseconds(7));
}

TEST(Time, RejectsMalformedDurations) {
  for (std::string_view text : {"", "m", "0s", "-1m", "1", "1x", "1.5h", "1 h", " 1h", "1H", "1hh", "h1"}) {
    auto r = parse_duration(text);
    ASSERT_FALSE(r.has_value()) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::ParseError) << text;
  }
  auto u = parse_duration("1x");
  EXPECT_NE(u.error().message().find("unknown unit 'x'"), std::string::npos) << u.error().message();
}

TEST(Time, RejectsDurationsThatOverflow) {
  // 10^14 weeks = 6.048 × 10^28 ns.
  auto r = parse_duration("100000000000000w");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::OutOfRange);
  EXPECT_FALSE(parse_duration("99999999999999999999s").has_value());  // beyond int64 as a count
}

TEST(Time, FormatsDurationsWithTheLargestExactUnit) {
  EXPECT_EQ(format_duration(seconds(60)), "1m");
  EXPECT_EQ(format_duration(seconds(90)), "90s");
  EXPECT_EQ(format_duration(hours(4)), "4h");
  EXPECT_EQ(format_duration(hours(24)), "1d");
  EXPECT_EQ(format_duration(hours(36)), "36h");
  EXPECT_EQ(format_duration(hours(24 * 7)), "1w");
  EXPECT_EQ(format_duration(hours(24 * 14)), "2w");
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_duration(microseconds(1)), "1us");
  EXPECT_EQ(format_duration(nanoseconds(1)), "1ns");
  EXPECT_EQ(format_duration(nanoseconds(0)), "0s");
  EXPECT_EQ(format_duration(minutes(-5)), "-5m");
}

TEST(Time, DurationTextRoundTrips) {
  for (Duration d :
       {Duration(nanoseconds(1)), Duration(microseconds(3)), Duration(milliseconds(250)), Duration(seconds(90)),
        Duration(minutes(15)), Duration(hours(36)), Duration(hours(24 * 7)), Duration(nanoseconds(1'000'000'001))}) {
    const std::string text = format_duration(d);
    auto back = parse_duration(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, d) << text;
  }
}

}  // namespace
}  // namespace ballast::core
