#include "ballast/analytics/volatility_classification.hpp"

#include "analytics/simulated_paths.hpp"
#include "ballast/analytics/volatility.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

// ±x alternating log returns: the first `calm` with magnitude x, the rest with magnitude y.
std::vector<double> alternating(std::size_t calm, double x, std::size_t rest, double y) {
  std::vector<double> r;
  for (std::size_t i = 0; i < calm + rest; ++i) {
    const double m = i < calm ? x : y;
    r.push_back(i % 2 == 0 ? m : -m);
  }
  return r;
}

// Bounds for (n_s, n_l) = (20, 100), z = 1.96 (computed independently in Python):
//   d = 1/19 − 1/99 = 0.042530568846358315,  se = √(2d) = 0.2916524261732047
//   lower = exp(−1.96·se − d) = 0.5410901792256375,  upper = exp(1.96·se − d) = 1.6974178531768114
constexpr double kLower = 0.5410901792256375;
constexpr double kUpper = 1.6974178531768114;

TEST(VolatilityTrend, SteadyAlternatingReturnsAreStable) {
  // Short var = 20x²/19, long var = 100x²/99, ratio = (20/19)/(100/99) = 1.0421052631578946.
  auto trend = volatility_trend(alternating(100, 0.01, 0, 0.0));
  ASSERT_TRUE(trend);
  EXPECT_EQ(trend->trend, VolatilityTrend::Stable);
  EXPECT_NEAR(trend->variance_ratio, 1.0421052631578946, 1e-12);
  EXPECT_NEAR(trend->lower_bound, kLower, 1e-12);
  EXPECT_NEAR(trend->upper_bound, kUpper, 1e-12);
}

TEST(VolatilityTrend, TripledRecentMovesAreIncreasing) {
  // Last 20 returns ±3x: short var = 180x²/19, long var = (80 + 180)x²/99, ratio = 3.6072874493927123.
  auto trend = volatility_trend(alternating(80, 0.01, 20, 0.03), {}, 365.0);
  ASSERT_TRUE(trend);
  EXPECT_EQ(trend->trend, VolatilityTrend::Increasing);
  EXPECT_NEAR(trend->variance_ratio, 3.6072874493927123, 1e-12);
  // Annualised short σ: √(180·0.01²/19 · 365).
  EXPECT_NEAR(trend->short_volatility, std::sqrt(180.0 * 1e-4 / 19.0 * 365.0), 1e-12);
}

TEST(VolatilityTrend, CalmerRecentMovesAreDecreasing) {
  // Last 20 returns ±x/3: ratio = ((20/9)/19) / ((80 + 20/9)/99) = 0.14082503556187767.
  auto trend = volatility_trend(alternating(80, 0.03, 20, 0.01));
  ASSERT_TRUE(trend);
  EXPECT_EQ(trend->trend, VolatilityTrend::Decreasing);
  EXPECT_NEAR(trend->variance_ratio, 0.14082503556187767, 1e-12);
}

TEST(VolatilityTrend, RatiosJustInsideTheBandAreStable) {
  // Last 20 ±y with y chosen so the ratio sits at 0.99 × upper, then at 1.01 × upper: the rule
  // flips exactly at the stated bound. ratio(y) = (20y²/19) / ((80x² + 20y²)/99).
  const double x = 0.01;
  auto y_for_ratio = [&](double ratio) {
    // 20·99·y² = 19·ratio·(80x² + 20y²)  →  y² = 19·ratio·80x² / (1980 − 380·ratio)
    return std::sqrt(19.0 * ratio * 80.0 * x * x / (1980.0 - 380.0 * ratio));
  };
  EXPECT_EQ(volatility_trend(alternating(80, x, 20, y_for_ratio(kUpper * 0.99)))->trend, VolatilityTrend::Stable);
  EXPECT_EQ(volatility_trend(alternating(80, x, 20, y_for_ratio(kUpper * 1.01)))->trend, VolatilityTrend::Increasing);
  EXPECT_EQ(volatility_trend(alternating(80, x, 20, y_for_ratio(kLower * 1.01)))->trend, VolatilityTrend::Stable);
  EXPECT_EQ(volatility_trend(alternating(80, x, 20, y_for_ratio(kLower * 0.99)))->trend, VolatilityTrend::Decreasing);
}

TEST(VolatilityTrend, ZeroVolatilityCases) {
  // Nothing moved at all, or only a constant drift: stable.
  EXPECT_EQ(volatility_trend(std::vector<double>(100, 0.0))->trend, VolatilityTrend::Stable);
  EXPECT_EQ(volatility_trend(std::vector<double>(100, 0.002))->trend, VolatilityTrend::Stable);
  // Movement stopped in the last 20 returns: ratio 0, decreasing.
  auto stopped = volatility_trend(alternating(80, 0.01, 20, 0.0));
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->trend, VolatilityTrend::Decreasing);
  EXPECT_EQ(stopped->variance_ratio, 0.0);
}

TEST(VolatilityTrend, FlagsAboutFivePercentOfWindowsOnIidNormalReturns) {
  // The band is a nominal 5% two-sided test. On 3 000 independent 100-return blocks of i.i.d. normal
  // returns the flagged fraction should be 5% ± 3 binomial standard errors (√(0.05·0.95/3000) = 0.4%);
  // the delta-method band is approximate, so allow [3.5%, 7%].
  test_paths::TestRng rng(314159);
  int flagged = 0;
  const int blocks = 3000;
  for (int b = 0; b < blocks; ++b) {
    std::vector<double> r(100);
    for (double& v : r) v = 0.02 * rng.normal();
    if (volatility_trend(r)->trend != VolatilityTrend::Stable) ++flagged;
  }
  const double rate = static_cast<double>(flagged) / blocks;
  EXPECT_GT(rate, 0.035);
  EXPECT_LT(rate, 0.07);
}

TEST(VolatilityTrend, RejectsBadInput) {
  EXPECT_FALSE(volatility_trend(std::vector<double>(99, 0.01)));  // fewer than long_window
  EXPECT_FALSE(volatility_trend(std::vector<double>(100, 0.01), VolatilityTrendConfig{20, 20, 1.96}));
  EXPECT_FALSE(volatility_trend(std::vector<double>(100, 0.01), VolatilityTrendConfig{1, 50, 1.96}));
  EXPECT_FALSE(volatility_trend(std::vector<double>(100, 0.01), VolatilityTrendConfig{20, 100, 0.0}));
  std::vector<double> r(100, 0.01);
  r[57] = std::numeric_limits<double>::quiet_NaN();
  auto bad = volatility_trend(r);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("log_returns[57]"), std::string::npos);
}

// ---- Level -------------------------------------------------------------------------------------------

std::vector<double> one_to_hundred() {
  std::vector<double> h;
  for (int i = 1; i <= 100; ++i) h.push_back(i);
  return h;
}

TEST(VolatilityLevel, PercentileRankUsesMidRanks) {
  const auto h = one_to_hundred();
  // current = 10: 9 below, 1 equal → (9 + 0.5)/100 = 9.5%.
  EXPECT_DOUBLE_EQ(percentile_rank(h, 10.0), 9.5);
  EXPECT_DOUBLE_EQ(percentile_rank(h, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(percentile_rank(h, 1000.0), 100.0);
  EXPECT_DOUBLE_EQ(percentile_rank(h, 50.5), 50.0);
  EXPECT_DOUBLE_EQ(percentile_rank(std::vector<double>(7, 0.3), 0.3), 50.0);
}

TEST(VolatilityLevel, CutOffsAreHalfOpenBands) {
  const auto h = one_to_hundred();
  struct Case {
    double current;
    double percentile;
    VolatilityLevel level;
  };
  // Value v in 1..100 has percentile v − 0.5; v + 0.5 sits exactly on the percentile v.
  for (const Case& c : {Case{10.0, 9.5, VolatilityLevel::Low}, Case{25.0, 24.5, VolatilityLevel::Low},
                        Case{25.5, 25.0, VolatilityLevel::Normal}, Case{75.0, 74.5, VolatilityLevel::Normal},
                        Case{75.5, 75.0, VolatilityLevel::High}, Case{95.0, 94.5, VolatilityLevel::High},
                        Case{95.5, 95.0, VolatilityLevel::Extreme}, Case{100.0, 99.5, VolatilityLevel::Extreme}}) {
    auto r = classify_volatility(h, c.current);
    ASSERT_TRUE(r);
    EXPECT_DOUBLE_EQ(r->percentile, c.percentile) << c.current;
    EXPECT_EQ(r->level, c.level) << c.current << " → " << to_string(r->level);
  }
}

TEST(VolatilityLevel, ConstantHistoryIsNormal) {
  auto r = classify_latest_volatility(std::vector<double>(30, 0.4));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->level, VolatilityLevel::Normal);
}

TEST(VolatilityLevel, AVolatilitySpikeAtTheEndOfAPathIsExtreme) {
  // 400 calm days (σ = 0.4) then 30 wild ones (σ = 1.6): the latest rolling 20-day volatility is at
  // the top of its own history.
  test_paths::TestRng rng(11);
  auto r = test_paths::gbm_log_returns(rng, 400, 0.0, 0.4, 365.0);
  const auto wild = test_paths::gbm_log_returns(rng, 30, 0.0, 1.6, 365.0);
  r.insert(r.end(), wild.begin(), wild.end());
  auto rolling = rolling_close_to_close_volatility(r, 20, 365.0);
  ASSERT_TRUE(rolling);
  auto level = classify_latest_volatility(rolling->values);
  ASSERT_TRUE(level);
  EXPECT_EQ(level->level, VolatilityLevel::Extreme);
  // A calm reading against that history is low.
  auto calm = classify_volatility(rolling->values, 0.2);
  ASSERT_TRUE(calm);
  EXPECT_EQ(calm->level, VolatilityLevel::Low);
}

TEST(VolatilityLevel, RejectsBadInput) {
  EXPECT_FALSE(classify_volatility(std::vector<double>{}, 0.3));
  EXPECT_FALSE(classify_latest_volatility(std::vector<double>{}));
  EXPECT_FALSE(classify_volatility(std::vector<double>{0.1, 0.2}, std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(classify_volatility(std::vector<double>{0.1, 0.2}, 0.3, VolatilityLevelCutoffs{50, 40, 95}));
  auto nan = classify_volatility(std::vector<double>{0.1, std::numeric_limits<double>::quiet_NaN()}, 0.3);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("history[1]"), std::string::npos);
}

TEST(VolatilityTrendAndLevel, CodesRoundTrip) {
  for (auto t : {VolatilityTrend::Increasing, VolatilityTrend::Decreasing, VolatilityTrend::Stable}) {
    EXPECT_EQ(*parse<VolatilityTrend>(to_string(t)), t);
  }
  for (auto l : {VolatilityLevel::Low, VolatilityLevel::Normal, VolatilityLevel::High, VolatilityLevel::Extreme}) {
    EXPECT_EQ(*parse<VolatilityLevel>(to_string(l)), l);
  }
  EXPECT_EQ(to_string(VolatilityTrend::Increasing), "INCREASING");
  EXPECT_EQ(to_string(VolatilityLevel::Extreme), "EXTREME");
  EXPECT_FALSE(parse<VolatilityTrend>("UP"));
  EXPECT_FALSE(parse<VolatilityLevel>("low"));
}

}  // namespace
}  // namespace ballast::analytics
