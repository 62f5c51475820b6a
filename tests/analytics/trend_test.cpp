#include "ballast/analytics/trend.hpp"

#include "ballast/core/error.hpp"
#include "ballast/model/market_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ballast::analytics {
namespace {

struct Columns {
  std::vector<double> high;
  std::vector<double> low;
  std::vector<double> close;
};

// A staircase: close_t = start·g^t, each bar spanning [close_{t−1}, close_t] for g > 1 (or
// [close_t, close_{t−1}] for g < 1). For g > 1 every bar's +DM equals its true range and −DM is 0, so
// +DI = 100, −DI = 0, DX = 100 and ADX = 100 exactly (Wilder's definitions, by hand); the log closes lie
// on a line of slope ln g.
Columns staircase(std::size_t n, double start, double g) {
  Columns c;
  double previous = start / g;
  for (std::size_t t = 0; t < n; ++t) {
    const double close = start * std::pow(g, static_cast<double>(t));
    c.close.push_back(close);
    c.high.push_back(std::max(close, previous));
    c.low.push_back(std::min(close, previous));
    previous = close;
  }
  return c;
}

Columns constant(std::size_t n, double price) {
  return Columns{std::vector<double>(n, price), std::vector<double>(n, price), std::vector<double>(n, price)};
}

std::vector<model::Bar> to_bars(const Columns& c) {
  std::vector<model::Bar> bars;
  for (std::size_t i = 0; i < c.close.size(); ++i) {
    model::Bar b;
    b.high = *model::Price::from_double(c.high[i], 10);
    b.low = *model::Price::from_double(c.low[i], 10);
    b.close = *model::Price::from_double(c.close[i], 10);
    b.open = b.low;
    bars.push_back(b);
  }
  return bars;
}

TEST(TrendEnums, RoundTripThroughTheirStableCodes) {
  for (const auto d : {TrendDirection::Up, TrendDirection::Down, TrendDirection::Sideways}) {
    auto parsed = parse<TrendDirection>(to_string(d));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, d);
  }
  for (const auto s : {TrendStrength::Absent, TrendStrength::Weak, TrendStrength::Moderate, TrendStrength::Strong}) {
    auto parsed = parse<TrendStrength>(to_string(s));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(to_string(TrendDirection::Sideways), "SIDEWAYS");
  EXPECT_EQ(to_string(TrendStrength::Moderate), "MODERATE");
  EXPECT_FALSE(parse<TrendDirection>("up"));
  EXPECT_FALSE(parse<TrendStrength>("VERY_STRONG"));
}

TEST(LogPriceRegression, MatchesAHandComputedFit) {
  // y = ln p = (0, 0.1, 0.3) on j = (0, 1, 2): ȳ = 2/15, Σ(j − j̄)² = 2, Σ(j − j̄)(y − ȳ) = 0.3, so b = 0.15,
  // a = ȳ − b = −1/60; residuals (1/60, −1/30, 1/60), SSR = 1/600, SST = 7/150;
  // se = √(SSR/1/2) = √(1/1200), t = 0.15·√1200 = 3√3, R² = 1 − (1/600)/(7/150) = 27/28.
  const std::vector<double> prices{1.0, std::exp(0.1), std::exp(0.3)};
  auto r = log_price_regression(prices);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->slope, 0.15, 1e-14);
  EXPECT_NEAR(r->intercept, -1.0 / 60.0, 1e-14);
  EXPECT_NEAR(r->standard_error, std::sqrt(1.0 / 1200.0), 1e-14);
  EXPECT_NEAR(r->t_stat, 3.0 * std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(r->r_squared, 27.0 / 28.0, 1e-14);
}

TEST(LogPriceRegression, AnExactGeometricSeriesHasTheCappedTStatistic) {
  const Columns c = staircase(20, 100.0, 1.01);
  auto r = log_price_regression(c.close);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->slope, std::log(1.01), 1e-13);
  EXPECT_EQ(r->t_stat, kMaxSlopeT);
  EXPECT_NEAR(r->r_squared, 1.0, 1e-12);

  auto down = log_price_regression(staircase(20, 100.0, 1.0 / 1.01).close);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->t_stat, -kMaxSlopeT);
}

TEST(LogPriceRegression, AConstantSeriesIsFlatWithZeroTAndZeroRSquared) {
  auto r = log_price_regression(std::vector<double>(10, 42.0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->slope, 0.0);
  EXPECT_EQ(r->t_stat, 0.0);
  EXPECT_EQ(r->r_squared, 0.0);
  EXPECT_NEAR(r->intercept, std::log(42.0), 1e-14);
}

TEST(LogPriceRegression, RejectsShortNonPositiveAndNonFiniteInput) {
  EXPECT_FALSE(log_price_regression(std::vector<double>{1.0, 2.0}));
  auto zero = log_price_regression(std::vector<double>{1.0, 2.0, 0.0});
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message().find("prices[2]"), std::string::npos);
  auto nan = log_price_regression(std::vector<double>{1.0, std::numeric_limits<double>::quiet_NaN(), 2.0});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("prices[1]"), std::string::npos);
}

TEST(ClassifyTrend, StrengthBandsStartAtTheirLowerBoundaries) {
  const TrendConfig config;
  const std::pair<double, TrendStrength> cases[] = {
      {0.0, TrendStrength::Absent},  {19.999, TrendStrength::Absent}, {20.0, TrendStrength::Weak},
      {24.999, TrendStrength::Weak}, {25.0, TrendStrength::Moderate}, {39.999, TrendStrength::Moderate},
      {40.0, TrendStrength::Strong}, {100.0, TrendStrength::Strong},
  };
  for (const auto& [adx, strength] : cases) {
    auto c = classify_trend(0.0, adx, 10.0, 10.0, config);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->strength, strength) << "ADX " << adx;
    EXPECT_EQ(c->direction, TrendDirection::Sideways);
  }
}

TEST(ClassifyTrend, DirectionNeedsASignificantSlopeATrendingAdxAndAgreeingDis) {
  auto up = classify_trend(2.01, 20.0, 30.0, 10.0);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->direction, TrendDirection::Up);
  EXPECT_EQ(up->strength, TrendStrength::Weak);

  // |t| must exceed 2 strictly.
  EXPECT_EQ(classify_trend(2.0, 30.0, 30.0, 10.0)->direction, TrendDirection::Sideways);
  // A significant slope without directional movement (ADX < 20) is no trend.
  EXPECT_EQ(classify_trend(50.0, 19.9, 30.0, 10.0)->direction, TrendDirection::Sideways);
  // The DIs point the other way: conflicting evidence.
  EXPECT_EQ(classify_trend(5.0, 30.0, 10.0, 30.0)->direction, TrendDirection::Sideways);
  TrendConfig lenient;
  lenient.require_di_agreement = false;
  EXPECT_EQ(classify_trend(5.0, 30.0, 10.0, 30.0, lenient)->direction, TrendDirection::Up);

  auto down = classify_trend(-3.0, 45.0, 5.0, 35.0);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->direction, TrendDirection::Down);
  EXPECT_EQ(down->strength, TrendStrength::Strong);
  // Equal DIs agree with either direction.
  EXPECT_EQ(classify_trend(-3.0, 45.0, 20.0, 20.0)->direction, TrendDirection::Down);
}

TEST(ClassifyTrend, RejectsBadEvidenceAndBadConfig) {
  EXPECT_FALSE(classify_trend(std::numeric_limits<double>::quiet_NaN(), 30.0, 1.0, 1.0));
  EXPECT_FALSE(classify_trend(1.0, 101.0, 1.0, 1.0));
  EXPECT_FALSE(classify_trend(1.0, 30.0, -1.0, 1.0));
  TrendConfig unordered;
  unordered.adx_moderate_from = 45.0;  // above adx_strong_from
  auto bad = classify_trend(1.0, 30.0, 1.0, 1.0, unordered);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::ErrorCode::InvalidArgument);
}

TEST(TrendConfigValidation, RejectsEachOutOfRangeField) {
  TrendConfig c;
  c.regression_window = 2;
  EXPECT_FALSE(validate(c));
  c = {};
  c.adx_period = 0;
  EXPECT_FALSE(validate(c));
  c = {};
  c.min_abs_t = 0.0;
  EXPECT_FALSE(validate(c));
  c = {};
  c.adx_strong_from = 100.5;
  EXPECT_FALSE(validate(c));
  EXPECT_TRUE(validate(TrendConfig{}));
  EXPECT_EQ(trend_min_bars(TrendConfig{}), 28u);  // max(20, 2·14)
}

TEST(AnalyzeTrend, AStraightUpStaircaseIsAStrongUptrend) {
  const Columns c = staircase(60, 100.0, 1.01);
  auto a = analyze_trend(c.high, c.low, c.close);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->index, 59u);
  EXPECT_EQ(a->direction, TrendDirection::Up);
  EXPECT_EQ(a->strength, TrendStrength::Strong);
  EXPECT_NEAR(a->adx, 100.0, 1e-9);
  EXPECT_NEAR(a->plus_di, 100.0, 1e-9);
  EXPECT_NEAR(a->minus_di, 0.0, 1e-9);
  EXPECT_NEAR(a->regression.slope, std::log(1.01), 1e-12);
}

TEST(AnalyzeTrend, AStraightDownStaircaseIsAStrongDowntrend) {
  const Columns c = staircase(60, 100.0, 1.0 / 1.01);
  auto a = analyze_trend(c.high, c.low, c.close);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->direction, TrendDirection::Down);
  EXPECT_EQ(a->strength, TrendStrength::Strong);
  EXPECT_NEAR(a->minus_di, 100.0, 1e-9);
  EXPECT_NEAR(a->regression.slope, -std::log(1.01), 1e-12);
}

TEST(AnalyzeTrend, AConstantSeriesIsSidewaysWithoutTrend) {
  const Columns c = constant(40, 50.0);
  auto a = analyze_trend(c.high, c.low, c.close);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->direction, TrendDirection::Sideways);
  EXPECT_EQ(a->strength, TrendStrength::Absent);
  EXPECT_EQ(a->adx, 0.0);  // TA-Lib: DIs are 0 when the true range sums to 0, and DX is 0 then
  EXPECT_EQ(a->regression.t_stat, 0.0);
}

TEST(AnalyzeTrend, ReportsBadInputWithItsIndex) {
  Columns c = staircase(40, 100.0, 1.01);
  c.close[7] = std::numeric_limits<double>::quiet_NaN();
  auto nan = analyze_trend(c.high, c.low, c.close);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("close[7]"), std::string::npos);

  c = staircase(40, 100.0, 1.01);
  c.high[3] = std::numeric_limits<double>::infinity();
  auto inf = analyze_trend(c.high, c.low, c.close);
  ASSERT_FALSE(inf);
  EXPECT_NE(inf.error().message().find("high[3]"), std::string::npos);

  c = staircase(40, 100.0, 1.01);
  c.close[12] = -1.0;
  auto negative = analyze_trend(c.high, c.low, c.close);
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message().find("close[12]"), std::string::npos);

  c = staircase(40, 100.0, 1.01);
  c.low.pop_back();
  EXPECT_FALSE(analyze_trend(c.high, c.low, c.close));
}

TEST(AnalyzeTrend, NeedsEnoughBarsForBothRegressionAndAdx) {
  const Columns one = constant(1, 10.0);
  auto single = analyze_trend(one.high, one.low, one.close);
  ASSERT_FALSE(single);
  EXPECT_NE(single.error().message().find("at least 28 bars"), std::string::npos);
  const Columns c = staircase(27, 100.0, 1.01);
  EXPECT_FALSE(analyze_trend(c.high, c.low, c.close));
  const Columns enough = staircase(28, 100.0, 1.01);
  EXPECT_TRUE(analyze_trend(enough.high, enough.low, enough.close));
}

TEST(TrendSeries, StartsAtTheFirstBarWithHistoryAndEndsWithTheLatestAssessment) {
  const Columns c = staircase(50, 100.0, 1.01);
  auto s = trend_series(c.high, c.low, c.close);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first_index, 27u);
  ASSERT_EQ(s->values.size(), 23u);
  for (std::size_t k = 0; k < s->values.size(); ++k) {
    EXPECT_EQ(s->values[k].index, 27 + k);
    EXPECT_EQ(s->values[k].direction, TrendDirection::Up);
  }
  auto latest = analyze_trend(c.high, c.low, c.close);
  ASSERT_TRUE(latest);
  EXPECT_EQ(s->values.back().regression.slope, latest->regression.slope);
  EXPECT_EQ(s->values.back().adx, latest->adx);
}

TEST(TrendSeries, BarsGiveTheSameAnswerAsTheirColumns) {
  const Columns c = staircase(40, 100.0, 1.02);
  const std::vector<model::Bar> bars = to_bars(c);
  auto from_bars = analyze_trend(bars);
  ASSERT_TRUE(from_bars);
  EXPECT_EQ(from_bars->direction, TrendDirection::Up);
  EXPECT_NEAR(from_bars->regression.slope, std::log(1.02), 1e-9);
  auto series = trend_series(bars);
  ASSERT_TRUE(series);
  EXPECT_EQ(series->values.size(), 13u);
}

}  // namespace
}  // namespace ballast::analytics
