#include "ballast/analytics/drawdown.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

using core::UnixNanos;

constexpr std::int64_t kJan1st2024 = 1'704'067'200;  // 2024-01-01T00:00:00Z in seconds

std::vector<UnixNanos> daily_from_2024(std::size_t n) {
  std::vector<UnixNanos> t;
  for (std::size_t i = 0; i < n; ++i)
    t.push_back(UnixNanos::from_seconds(kJan1st2024 + static_cast<std::int64_t>(i) * 86'400));
  return t;
}

// Hand-made curve, one point a day from 2024-01-01 (index 0):
//   index   0    1    2    3    4    5    6    7    8    9
//   equity 100  110   99  120  120   96   90  108  120  125
//   dd      0    0  −.10   0    0  −.20 −.25 −.10   0    0
// The deepest point is index 6 (90/120 − 1 = −25%); the curve stood at its high-water mark 120 last
// at index 4 (2024-01-05) before it; it is back at 120 on index 8 (2024-01-09).
const std::vector<double> kRecovered{100, 110, 99, 120, 120, 96, 90, 108, 120, 125};
// Same start, but the last point falls to 84: 84/120 − 1 = −30% and no recovery.
const std::vector<double> kOpen{100, 110, 99, 120, 120, 96, 90, 108, 115, 84};

TEST(Drawdown, SeriesIsANonPositiveFractionOfTheRunningPeak) {
  auto dd = drawdown_series(kRecovered);
  ASSERT_TRUE(dd);
  const std::vector<double> expected{0, 0, -0.1, 0, 0, -0.2, -0.25, -0.1, 0, 0};
  ASSERT_EQ(dd->size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR((*dd)[i], expected[i], 1e-15) << i;
}

TEST(Drawdown, MaxDrawdownFindsPeakTroughAndRecoveryDates) {
  auto mdd = max_drawdown(kRecovered);
  ASSERT_TRUE(mdd);
  EXPECT_NEAR(mdd->depth, -0.25, 1e-15);
  EXPECT_EQ(mdd->peak_index, 4u);
  EXPECT_EQ(mdd->trough_index, 6u);
  ASSERT_TRUE(mdd->recovered());
  EXPECT_EQ(*mdd->recovery_index, 8u);

  auto dates = drawdown_dates(*mdd, daily_from_2024(kRecovered.size()));
  ASSERT_TRUE(dates);
  EXPECT_EQ(core::format_iso8601(dates->peak), "2024-01-05T00:00:00Z");
  EXPECT_EQ(core::format_iso8601(dates->trough), "2024-01-07T00:00:00Z");
  ASSERT_TRUE(dates->recovery);
  EXPECT_EQ(core::format_iso8601(*dates->recovery), "2024-01-09T00:00:00Z");
  EXPECT_EQ(dates->peak_to_trough, std::chrono::hours(48));
  EXPECT_EQ(dates->duration, std::chrono::hours(96));
}

TEST(Drawdown, AnOpenDrawdownIsNotRecoveredAndLastsToTheEnd) {
  auto mdd = max_drawdown(kOpen);
  ASSERT_TRUE(mdd);
  EXPECT_NEAR(mdd->depth, -0.3, 1e-15);
  EXPECT_EQ(mdd->peak_index, 4u);
  EXPECT_EQ(mdd->trough_index, 9u);
  EXPECT_FALSE(mdd->recovered());
  auto dates = drawdown_dates(*mdd, daily_from_2024(kOpen.size()));
  ASSERT_TRUE(dates);
  EXPECT_FALSE(dates->recovery);
  // Peak 2024-01-05 to the last point 2024-01-10: 5 days and still open.
  EXPECT_EQ(dates->duration, std::chrono::hours(120));
  EXPECT_EQ(dates->peak_to_trough, std::chrono::hours(120));
}

TEST(Drawdown, EqualTroughsKeepTheFirst) {
  auto mdd = max_drawdown(std::vector<double>{100, 80, 100, 80});
  ASSERT_TRUE(mdd);
  EXPECT_NEAR(mdd->depth, -0.2, 1e-15);
  EXPECT_EQ(mdd->peak_index, 0u);
  EXPECT_EQ(mdd->trough_index, 1u);
  EXPECT_EQ(*mdd->recovery_index, 2u);
}

TEST(Drawdown, ARisingCurveHasNoDrawdown) {
  auto mdd = max_drawdown(std::vector<double>{1, 2, 3, 3, 4});
  ASSERT_TRUE(mdd);
  EXPECT_EQ(mdd->depth, 0.0);
  EXPECT_EQ(*ulcer_index(std::vector<double>{1, 2, 3, 3, 4}), 0.0);
  // A single point: no drawdown either.
  auto one = max_drawdown(std::vector<double>{5});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->depth, 0.0);
}

TEST(Drawdown, UlcerIndexIsTheRootMeanSquareDrawdown) {
  // dd² over the 10 points of kRecovered: 0.01 + 0.04 + 0.0625 + 0.01 = 0.1225; /10 = 0.01225;
  // √0.01225 = 0.11067971810589328 (Martin's index in percentage points: 11.07).
  EXPECT_NEAR(*ulcer_index(kRecovered), 0.11067971810589328, 1e-15);
}

TEST(Drawdown, EquityFromReturnsCompoundsFromTheStart) {
  auto curve = equity_from_returns(std::vector<double>{0.1, -0.5, 1.0}, 100.0);
  ASSERT_TRUE(curve);
  const std::vector<double> expected{100.0, 110.0, 55.0, 110.0};
  ASSERT_EQ(curve->size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR((*curve)[i], expected[i], 1e-12);
  EXPECT_FALSE(equity_from_returns(std::vector<double>{0.1, -1.0}));
  EXPECT_FALSE(equity_from_returns(std::vector<double>{0.1}, 0.0));
}

TEST(Drawdown, InvalidInputIsAnErrorNamingTheIndex) {
  auto nan = max_drawdown(std::vector<double>{100, std::numeric_limits<double>::quiet_NaN(), 90});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("equity[1]"), std::string::npos) << nan.error().to_string();
  auto negative = drawdown_series(std::vector<double>{100, 50, -1});
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message().find("equity[2]"), std::string::npos);
  EXPECT_FALSE(max_drawdown(std::vector<double>{}));
  EXPECT_FALSE(ulcer_index(std::vector<double>{}));

  auto times = daily_from_2024(3);
  std::swap(times[1], times[2]);
  auto unordered = validate_timestamps(times, 3);
  ASSERT_FALSE(unordered);
  EXPECT_NE(unordered.error().message().find("timestamps[2]"), std::string::npos);
  EXPECT_FALSE(validate_timestamps(daily_from_2024(2), 3));
  // Dates for a drawdown whose indices exceed the timestamps given.
  EXPECT_FALSE(drawdown_dates(*max_drawdown(kOpen), daily_from_2024(5)));
}

}  // namespace
}  // namespace ballast::analytics
