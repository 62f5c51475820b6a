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

TEST(AnnualisationInterval, NeedsTwoBars) {
  EXPECT_EQ(annualisation_interval(bars_at({"2024-01-01"})).count(), 0);
  EXPECT_EQ(annualisation_interval(bars_at({"2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"})), minutes(1));
}

}  // namespace
}  // namespace ballast::data
