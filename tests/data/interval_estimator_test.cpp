// IntervalEstimator: the most common positive step, ties to the smaller, calendar periods as unknown.

#include "ballast/data/interval_estimator.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace ballast::data {
namespace {

using core::UnixNanos;
using std::chrono::hours;
using std::chrono::minutes;

core::Duration estimate(std::initializer_list<std::string_view> times) {
  IntervalEstimator e;
  for (auto t : times) e.add(*core::parse_timestamp(t));
  return e.interval();
}

TEST(CsvIntervalEstimator, FindsTheMostCommonStepDespiteGaps) {
  // Steps: 1m, 1m, 59m (a gap), 1m, 1m.
  EXPECT_EQ(estimate({"2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z", "2024-01-01T01:01:00Z",
                      "2024-01-01T01:02:00Z", "2024-01-01T01:03:00Z"}),
            minutes(1));
}

TEST(CsvIntervalEstimator, BreaksTiesTowardTheSmallerStep) {
  // Steps: 1h, 2h, 1h, 2h → tie, 1h wins.
  EXPECT_EQ(estimate({"2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z", "2024-01-01T03:00:00Z", "2024-01-01T04:00:00Z",
                      "2024-01-01T06:00:00Z"}),
            hours(1));
}

TEST(CsvIntervalEstimator, ReportsCalendarMonthsQuartersAndYearsAsUnknown) {
  EXPECT_EQ(estimate({"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"}).count(), 0);
  EXPECT_EQ(estimate({"2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01"}).count(), 0);
  EXPECT_EQ(estimate({"2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01"}).count(), 0);
  IntervalEstimator months;
  for (auto t : {"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"})
    months.add(*core::parse_timestamp(t));
  // Steps of 29, 31, 30 and 31 days: 31 days is the most common step, but the series is calendar-monthly.
  EXPECT_EQ(months.most_common_step(), hours(24 * 31));
  EXPECT_EQ(months.steps(), 4u);
}

TEST(CsvIntervalEstimator, KeepsARegularFourWeekOrThirtyDayStep) {
  // Every step the same 28 days: no other step in the month band, so it is a real interval.
  EXPECT_EQ(estimate({"2024-01-01", "2024-01-29", "2024-02-26", "2024-03-25"}), hours(24 * 28));
}

TEST(CsvIntervalEstimator, IgnoresNonPositiveStepsAndNeedsTwoTimes) {
  EXPECT_EQ(estimate({}).count(), 0);
  EXPECT_EQ(estimate({"2024-01-01"}).count(), 0);
  EXPECT_EQ(estimate({"2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z"}), minutes(5));
  model::BarSeries s;
  for (int i = 0; i < 3; ++i) {
    const auto t = UnixNanos::from_seconds(60 * i);
    s.bars.push_back(
        model::Bar{t, t, model::Price(), model::Price(), model::Price(), model::Price(), model::Quantity()});
  }
  EXPECT_EQ(detect_bar_interval(s.bars), minutes(1));
}

std::vector<model::Bar> bars_at(std::initializer_list<std::string_view> times) {
  std::vector<model::Bar> out;
  for (auto t : times) {
    const auto at = *core::parse_timestamp(t);
    out.push_back(model::Bar{at, at, model::Price(), model::Price(), model::Price(), model::Price(), model::Quantity()});
  }
  return out;
}

TEST(AnnualisationInterval, DailyEquityDataStartingOnAFridayIsDaily) {
  // 1999-01-22 is a Friday: the first step is 3 days (the weekend), most steps are 1 day.
  const auto bars = bars_at({"1999-01-22", "1999-01-25", "1999-01-26", "1999-01-27", "1999-01-28", "1999-01-29",
                             "1999-02-01", "1999-02-02"});
  EXPECT_EQ(annualisation_interval(bars), hours(24));
}

TEST(AnnualisationInterval, CalendarMonthsUseTheMeanStep) {
  // 2012-01-31 … 2012-05-31: 121 days over 4 steps = 30.25 days.
  const auto bars = bars_at({"2012-01-31", "2012-02-29", "2012-03-31", "2012-04-30", "2012-05-31"});
  EXPECT_EQ(annualisation_interval(bars), std::chrono::duration_cast<core::Duration>(hours(24 * 121)) / 4);
}

TEST(ObservedPeriodsPerYear, CountsTheDataOwnBarsOverItsSpan) {
  // FX trades 24 × 5: two weeks of hourly bars, Monday 00:00 to Friday 23:00 each week. 240 bars, 239
  // steps over 11 days 23 hours (287 hours): 239 × 365.25 × 24 / 287 = 7,300.1 a year. (A sample from a
  // Monday to a Friday holds one weekend in two weeks; over whole weeks it would be 52.18 × 120 = 6,261.)
  std::vector<core::UnixNanos> times;
  const auto monday = *core::parse_timestamp("2024-01-01T00:00:00Z");
  for (int week = 0; week < 2; ++week) {
    for (int h = 0; h < 120; ++h) times.push_back(monday + hours(24 * 7 * week + h));
  }
  EXPECT_NEAR(*observed_periods_per_year(times), 239.0 * 365.25 * 24.0 / 287.0, 1e-9);
  // Daily equity bars, Monday to Friday over 4 weeks (20 bars, 19 steps over 25 days): 277.6 a year.
  const auto days = bars_at({"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08",
                             "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-15", "2024-01-16",
                             "2024-01-17", "2024-01-18", "2024-01-19", "2024-01-22", "2024-01-23", "2024-01-24",
                             "2024-01-25", "2024-01-26"});
  EXPECT_NEAR(*observed_periods_per_year(days), 19.0 * 365.25 / 25.0, 1e-9);
  EXPECT_FALSE(observed_periods_per_year(bars_at({"2024-01-01"})));
  EXPECT_FALSE(observed_periods_per_year(std::span<const core::UnixNanos>()));
}

TEST(TradesAroundTheClock, TellsCryptoFromMarketsWithHours) {
  const auto monday = *core::parse_timestamp("2024-01-01T00:00:00Z");
  // Hourly around the clock for two weeks, one bar in 20 missing: 321 bars of 336 hours, 320 steps of an
  // hour over 335 hours = 95.5 % ≥ 90 %.
  std::vector<core::UnixNanos> crypto;
  for (int h = 0; h < 336; ++h) {
    if (h % 20 != 7) crypto.push_back(monday + hours(h));
  }
  EXPECT_TRUE(trades_around_the_clock(crypto));
  // FX 24 × 5 over two weeks: 239 steps of an hour over 287 hours = 83 %.
  std::vector<core::UnixNanos> fx;
  for (int week = 0; week < 2; ++week) {
    for (int h = 0; h < 120; ++h) fx.push_back(monday + hours(24 * 7 * week + h));
  }
  EXPECT_FALSE(trades_around_the_clock(fx));
  // Daily stocks, weekdays of one week and a day: 5 steps of a day over 7 days = 71 %.
  EXPECT_FALSE(trades_around_the_clock(
      bars_at({"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"})));
  // Month ends are counted by the calendar: true. One bar: true.
  EXPECT_TRUE(trades_around_the_clock(bars_at({"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"})));
  EXPECT_TRUE(trades_around_the_clock(bars_at({"2024-01-01"})));
}

TEST(AnnualisationInterval, NeedsTwoBars) {
  EXPECT_EQ(annualisation_interval(bars_at({"2024-01-01"})).count(), 0);
  EXPECT_EQ(annualisation_interval(bars_at({"2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"})), minutes(1));
}

}  // namespace
}  // namespace ballast::data
