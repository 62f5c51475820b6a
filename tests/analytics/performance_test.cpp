#include "ballast/analytics/performance.hpp"

#include "analytics/simulated_paths.hpp"
#include "ballast/analytics/sample_stats.hpp"
#include "ballast/analytics/statistic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

using core::UnixNanos;

constexpr double kTight = 1e-12;

// A five-period series chosen so most metrics have closed forms:
//   r = 0.01, 0.03, −0.02, 0.02, 0.01;  mean = 0.01;  deviations 0, 0.02, −0.03, 0.01, 0
//   Σ dev² = 0.0014  →  s² = 0.0014/4 = 0.00035
// Expected values were worked by hand below and cross-checked with numpy 1.24 / pandas 1.5 / scipy
// 1.10 re-implementing empyrical's formulas (empyrical is not installable here).
const std::vector<double> kFive{0.01, 0.03, -0.02, 0.02, 0.01};

void expect_defined_near(const core::Result<Statistic>& s, double expected, double tol) {
  ASSERT_TRUE(s) << s.error().to_string();
  ASSERT_TRUE(s->is_defined()) << s->to_string();
  EXPECT_NEAR(s->value(), expected, tol);
}

void expect_undefined(const core::Result<Statistic>& s, UndefinedReason reason) {
  ASSERT_TRUE(s) << s.error().to_string();
  ASSERT_FALSE(s->is_defined()) << s->to_string();
  EXPECT_EQ(s->reason(), reason) << to_string(s->reason());
}

TEST(Performance, TotalAndAnnualReturnOfTheHandSeries) {
  // Π(1 + r) = 1.01 × 1.03 × 0.98 × 1.02 × 1.01 = 1.0502827188.
  EXPECT_NEAR(*total_return(kFive), 0.0502827188, kTight);
  // empyrical annual_return over 252 periods: 1.0502827188^(252/5) − 1 = 10.853141641829131.
  expect_defined_near(annual_return(kFive, 252.0), 10.853141641829131, 1e-9);
}

TEST(Performance, VolatilitySharpeSortinoOmegaOfTheHandSeries) {
  // σ = √(0.00035 × 252) = √0.0882 = 0.29698484809835
  expect_defined_near(annual_volatility(kFive, 252.0), 0.29698484809835, kTight);
  // Sharpe = 0.01/√0.00035 × √252 = √(252/3.5) = √72 = 8.48528137423857
  expect_defined_near(sharpe_ratio(kFive, 252.0), std::sqrt(72.0), kTight);
  // With rf = 0.001 a period: mean excess 0.009, same deviation: 0.009/√0.00035 × √252 = 7.636753236814712
  expect_defined_near(sharpe_ratio(kFive, 252.0, 0.001), 7.636753236814712, kTight);
  // Downside deviation (MAR 0) over ALL 5 periods: only −0.02 falls short: √(0.0004/5 × 252) = 0.1419859147943908
  EXPECT_NEAR(*downside_deviation(kFive, 252.0), 0.1419859147943908, kTight);
  // Sortino = 0.01 × 252 / 0.1419859147943908 = √315 = 17.74823934929885
  expect_defined_near(sortino_ratio(kFive, 252.0), std::sqrt(315.0), 1e-11);
  // Omega(0) = (0.01 + 0.03 + 0.02 + 0.01) / 0.02 = 3.5; Omega(0.01) = 0.03 / 0.03 = 1.
  expect_defined_near(omega_ratio(kFive), 3.5, kTight);
  expect_defined_near(omega_ratio(kFive, 0.01), 1.0, kTight);
}

TEST(Performance, CalmarTailSkewKurtosisAndExtremesOfTheHandSeries) {
  // Compounded curve 1, 1.01, 1.0403, 1.019494, ...: the only fall is 0.98 − 1 = −2%.
  // Calmar = 10.853141641829131 / 0.02 = 542.6570820914555.
  expect_defined_near(calmar_ratio(kFive, 252.0), 542.6570820914555, 1e-7);
  // Sorted: −0.02, 0.01, 0.01, 0.02, 0.03. P95 at h = 3.8: 0.02 + 0.8 × 0.01 = 0.028;
  // P5 at h = 0.2: −0.02 + 0.2 × 0.03 = −0.014. Tail ratio = 0.028 / 0.014 = 2.
  expect_defined_near(tail_ratio(kFive), 2.0, kTight);
  // m2 = 0.0014/5 = 2.8e-4, m3 = (0.02³ − 0.03³ + 0.01³)/5 = −3.6e-6, m4 = (0.02⁴ + 0.03⁴ + 0.01⁴)/5 = 1.96e-7.
  // g1 = −3.6e-6 / 2.8e-4^1.5 = −0.7683612488578246 (scipy.stats.skew default);
  // G1 = g1·√(5·4)/3 = −1.145405322481819 (pandas Series.skew).
  // g2 = 1.96e-7 / 2.8e-4² − 3 = 2.5 − 3 = −0.5 (scipy.stats.kurtosis default);
  // G2 = ((5+1)(−0.5) + 6)·4/(3·2) = 2 (pandas Series.kurt).
  EXPECT_NEAR(skewness(kFive).value(), -1.145405322481819, 1e-12);
  EXPECT_NEAR(skewness(kFive, MomentEstimator::Population).value(), -0.7683612488578246, 1e-12);
  EXPECT_NEAR(excess_kurtosis(kFive).value(), 2.0, 1e-12);
  EXPECT_NEAR(excess_kurtosis(kFive, MomentEstimator::Population).value(), -0.5, 1e-12);
  EXPECT_EQ(best_period(kFive)->index, 1u);
  EXPECT_DOUBLE_EQ(best_period(kFive)->value, 0.03);
  EXPECT_EQ(worst_period(kFive)->index, 2u);
  EXPECT_DOUBLE_EQ(worst_period(kFive)->value, -0.02);
}

TEST(Performance, SummaryOfAReturnSeriesMatchesTheSingleMetrics) {
  PerformanceConfig config;
  auto s = summarize_returns(kFive, config);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->periods, 5u);
  EXPECT_NEAR(s->total_return, 0.0502827188, kTight);
  EXPECT_NEAR(s->cagr.value(), 10.853141641829131, 1e-9);
  EXPECT_NEAR(s->sharpe_ratio.value(), std::sqrt(72.0), kTight);
  EXPECT_NEAR(s->sortino_ratio.value(), std::sqrt(315.0), 1e-11);
  EXPECT_NEAR(s->calmar_ratio.value(), 542.6570820914555, 1e-7);
  EXPECT_NEAR(s->max_drawdown.depth, -0.02, kTight);
  // Curve indices: 0 is the start (1.0); the peak 1.0403 is index 2, the trough index 3, and the
  // curve first exceeds 1.0403 again at index 5 (1.0502827188).
  EXPECT_EQ(s->max_drawdown.peak_index, 2u);
  EXPECT_EQ(s->max_drawdown.trough_index, 3u);
  EXPECT_EQ(*s->max_drawdown.recovery_index, 5u);
  EXPECT_FALSE(s->max_drawdown_dates);
  // Ulcer over the 6 curve points: √((0.02² + (1.03988388/1.0403 − 1)²)/6) = 0.008166598639172469.
  EXPECT_NEAR(s->ulcer_index, 0.008166598639172469, 1e-12);
  EXPECT_NEAR(s->tail_ratio.value(), 2.0, kTight);
}

TEST(Performance, CalendarCagrUsesElapsedDaysOver365Point25) {
  // 100 → 121 over exactly 730.5 days = 2 calendar years: CAGR = √1.21 − 1 = 0.1.
  const auto t0 = UnixNanos::from_seconds(1'672'531'200);  // 2023-01-01T00:00:00Z
  const std::vector<UnixNanos> t{t0, t0 + std::chrono::hours(24 * 730 + 12)};
  expect_defined_near(calendar_cagr(t, std::vector<double>{100.0, 121.0}), 0.1, kTight);
  // A single point has no elapsed time.
  expect_undefined(calendar_cagr(std::vector<UnixNanos>{t0}, std::vector<double>{100.0}),
                   UndefinedReason::ZeroElapsedTime);
}

TEST(Performance, SummaryOfAnEquityCurveCarriesDrawdownDates) {
  // Daily points from 2024-01-01; same shape as tests/analytics/drawdown_test.cpp: the 25% drawdown
  // peaks on 2024-01-05, bottoms on 2024-01-07 and recovers on 2024-01-09.
  const std::vector<double> equity{100, 110, 99, 120, 120, 96, 90, 108, 120, 125};
  std::vector<UnixNanos> t;
  for (std::int64_t i = 0; i < 10; ++i) t.push_back(UnixNanos::from_seconds(1'704'067'200 + i * 86'400));
  PerformanceConfig config;
  config.periods_per_year = 365.0;
  auto s = summarize_equity_curve(t, equity, config);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->periods, 9u);
  EXPECT_NEAR(s->total_return, 0.25, kTight);
  // Calendar CAGR: 9 days elapsed: 1.25^(365.25/9) − 1.
  EXPECT_NEAR(s->cagr.value(), std::pow(1.25, 365.25 / 9.0) - 1.0, 1e-6);
  EXPECT_NEAR(s->calmar_ratio.value(), s->cagr.value() / 0.25, 1e-6);
  ASSERT_TRUE(s->max_drawdown_dates);
  EXPECT_EQ(core::format_iso8601(s->max_drawdown_dates->peak), "2024-01-05T00:00:00Z");
  EXPECT_EQ(core::format_iso8601(s->max_drawdown_dates->trough), "2024-01-07T00:00:00Z");
  EXPECT_EQ(core::format_iso8601(*s->max_drawdown_dates->recovery), "2024-01-09T00:00:00Z");
  // Best period: 99 → 120 (+21.2%), return index 2, closed by the point of 2024-01-04.
  EXPECT_EQ(s->best_period.index, 2u);
  EXPECT_NEAR(s->best_period.value, 120.0 / 99.0 - 1.0, kTight);
  EXPECT_EQ(core::format_iso8601(*s->best_period.end_time), "2024-01-04T00:00:00Z");
  // Worst period: 120 → 96 (−20%), return index 4.
  EXPECT_EQ(s->worst_period.index, 4u);
  EXPECT_NEAR(s->worst_period.value, -0.2, kTight);
}

// ---- Closed forms and edge cases ---------------------------------------------------------------------

TEST(Performance, ConstantPositiveReturnHasZeroVolatilityAndNoSharpe) {
  const std::vector<double> r(20, 0.001);
  expect_defined_near(annual_volatility(r, 252.0), 0.0, 0.0);
  expect_undefined(sharpe_ratio(r, 252.0), UndefinedReason::ZeroVolatility);
  expect_undefined(sortino_ratio(r, 252.0), UndefinedReason::ZeroDownsideDeviation);
  expect_undefined(omega_ratio(r), UndefinedReason::NoLosses);
  expect_undefined(calmar_ratio(r, 252.0), UndefinedReason::NoDrawdown);
  EXPECT_EQ(skewness(r).reason(), UndefinedReason::ZeroVariance);
  EXPECT_EQ(excess_kurtosis(r).reason(), UndefinedReason::ZeroVariance);
  // The summary reports the same reasons rather than failing.
  auto s = summarize_returns(r, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->sharpe_ratio.reason(), UndefinedReason::ZeroVolatility);
  EXPECT_EQ(s->annual_volatility.value(), 0.0);
  EXPECT_EQ(s->max_drawdown.depth, 0.0);
  // (1.001)^252 − 1: the annual return of a steady 0.1% a period.
  EXPECT_NEAR(s->cagr.value(), std::pow(1.001, 252.0) - 1.0, 1e-12);
}

TEST(Performance, ASingleObservationLeavesDispersionMetricsUndefined) {
  const std::vector<double> one{0.02};
  EXPECT_NEAR(*total_return(one), 0.02, kTight);
  expect_undefined(annual_volatility(one, 252.0), UndefinedReason::TooFewObservations);
  expect_undefined(sharpe_ratio(one, 252.0), UndefinedReason::TooFewObservations);
  expect_undefined(sortino_ratio(one, 252.0), UndefinedReason::TooFewObservations);
  expect_undefined(omega_ratio(one), UndefinedReason::TooFewObservations);
  EXPECT_EQ(skewness(one).reason(), UndefinedReason::TooFewObservations);
  auto s = summarize_returns(one, {});
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->periods, 1u);
  EXPECT_EQ(s->annual_volatility.reason(), UndefinedReason::TooFewObservations);
  // One equity point is not a return series at all.
  EXPECT_FALSE(summarize_equity_curve(std::vector<UnixNanos>{UnixNanos(0)}, std::vector<double>{100.0}, {}));
}

TEST(Performance, NonFiniteOrRuinousInputIsAnErrorNamingTheIndex) {
  std::vector<double> r = kFive;
  r[3] = std::numeric_limits<double>::quiet_NaN();
  for (const auto& result : {sharpe_ratio(r, 252.0), sortino_ratio(r, 252.0), omega_ratio(r), tail_ratio(r),
                             annual_volatility(r, 252.0), calmar_ratio(r, 252.0)}) {
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message().find("returns[3]"), std::string::npos) << result.error().to_string();
  }
  auto summary = summarize_returns(r, {});
  ASSERT_FALSE(summary);
  EXPECT_NE(summary.error().message().find("returns[3]"), std::string::npos);
  auto ruin = total_return(std::vector<double>{0.1, -1.0});
  ASSERT_FALSE(ruin);
  EXPECT_NE(ruin.error().message().find("returns[1]"), std::string::npos);
  EXPECT_FALSE(total_return(std::vector<double>{}));
  EXPECT_FALSE(sharpe_ratio(kFive, 0.0));
  EXPECT_FALSE(sharpe_ratio(kFive, 252.0, std::numeric_limits<double>::infinity()));
}

// ---- Rolling ----------------------------------------------------------------------------------------------

TEST(Performance, RollingVolatilityAndSharpeMatchPandasRolling) {
  // r = 0.01, 0.02, −0.015, 0.005, −0.01, 0.03, −0.02, 0.01, window 3, N = 252.
  // pandas: Series(r).rolling(3).std() × √252 → 0.2861817604250837, 0.27874719729532704, 0.16522711641858306, …
  //         rolling mean / rolling std × √252 → 4.402796314232058, 3.013483214003537, −10.167822548835879, …
  const std::vector<double> r{0.01, 0.02, -0.015, 0.005, -0.01, 0.03, -0.02, 0.01};
  auto vol = rolling_annual_volatility(r, 3, 252.0);
  ASSERT_TRUE(vol);
  EXPECT_EQ(vol->first_index, 2u);
  ASSERT_EQ(vol->values.size(), 6u);
  EXPECT_NEAR(vol->values[0], 0.2861817604250837, kTight);
  EXPECT_NEAR(vol->values[1], 0.27874719729532704, kTight);
  EXPECT_NEAR(vol->values[2], 0.16522711641858306, kTight);
  auto sharpe = rolling_sharpe_ratio(r, 3, 252.0);
  ASSERT_TRUE(sharpe);
  ASSERT_EQ(sharpe->values.size(), 6u);
  EXPECT_NEAR(sharpe->values[0].value(), 4.402796314232058, 1e-10);
  EXPECT_NEAR(sharpe->values[1].value(), 3.013483214003537, 1e-10);
  EXPECT_NEAR(sharpe->values[2].value(), -10.167822548835879, 1e-10);
}

TEST(Performance, RollingMetricsEqualTheFullMetricOfEachWindow) {
  test_paths::TestRng rng(5);
  auto r = test_paths::gbm_log_returns(rng, 600, 0.1, 0.5, 365.0);
  const std::size_t w = 30;
  auto vol = rolling_annual_volatility(r, w, 365.0);
  auto sharpe = rolling_sharpe_ratio(r, w, 365.0, 0.0001);
  ASSERT_TRUE(vol);
  ASSERT_TRUE(sharpe);
  for (std::size_t k = 0; k < vol->values.size(); ++k) {
    const std::span<const double> window(r.data() + k, w);
    EXPECT_NEAR(vol->values[k], annual_volatility(window, 365.0)->value(), 1e-12) << k;
    EXPECT_NEAR(sharpe->values[k].value(), sharpe_ratio(window, 365.0, 0.0001)->value(), 1e-9) << k;
  }
}

TEST(Performance, RollingSharpeOfAFlatWindowIsUndefined) {
  std::vector<double> r{0.02, -0.01, 0.03};
  r.insert(r.end(), 5, 0.004);
  auto sharpe = rolling_sharpe_ratio(r, 4, 252.0);
  ASSERT_TRUE(sharpe);
  EXPECT_TRUE(sharpe->values.front().is_defined());
  EXPECT_FALSE(sharpe->values.back().is_defined());
  EXPECT_EQ(sharpe->values.back().reason(), UndefinedReason::ZeroVolatility);
  auto vol = rolling_annual_volatility(r, 4, 252.0);
  EXPECT_EQ(vol->values.back(), 0.0);
  EXPECT_FALSE(rolling_sharpe_ratio(r, 1, 252.0));
  EXPECT_FALSE(rolling_sharpe_ratio(r, 9, 252.0));
}

// ---- Statistic and sample helpers -----------------------------------------------------------------------

TEST(Statistic, CarriesAValueOrAReason) {
  const Statistic v = Statistic::of(1.5);
  EXPECT_TRUE(v.is_defined());
  EXPECT_EQ(v.value(), 1.5);
  EXPECT_EQ(v.as_optional(), 1.5);
  EXPECT_THROW((void)v.reason(), core::InvariantError);
  const Statistic u = Statistic::undefined(UndefinedReason::ZeroVolatility);
  EXPECT_FALSE(u.is_defined());
  EXPECT_EQ(u.value_or(-1.0), -1.0);
  EXPECT_FALSE(u.as_optional());
  EXPECT_THROW((void)u.value(), core::InvariantError);
  EXPECT_EQ(u.to_string(), "undefined (ZERO_VOLATILITY)");
  EXPECT_EQ(Statistic::of_finite(std::numeric_limits<double>::infinity()).reason(), UndefinedReason::NotRepresentable);
  EXPECT_THROW((void)Statistic::of(std::numeric_limits<double>::quiet_NaN()), core::InvariantError);
}

TEST(Statistic, UndefinedReasonCodesRoundTrip) {
  for (auto r :
       {UndefinedReason::TooFewObservations, UndefinedReason::ZeroVolatility, UndefinedReason::ZeroDownsideDeviation,
        UndefinedReason::ZeroVariance, UndefinedReason::ZeroTrackingError, UndefinedReason::NoDrawdown,
        UndefinedReason::NoLosses, UndefinedReason::NoWins, UndefinedReason::NoQualifyingPeriods,
        UndefinedReason::ZeroDenominator, UndefinedReason::ZeroElapsedTime, UndefinedReason::NotRepresentable}) {
    auto parsed = parse<UndefinedReason>(to_string(r));
    ASSERT_TRUE(parsed) << to_string(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(to_string(UndefinedReason::ZeroDownsideDeviation), "ZERO_DOWNSIDE_DEVIATION");
  EXPECT_FALSE(parse<UndefinedReason>("zero_volatility"));
}

TEST(SampleStats, LinearPercentileMatchesNumpy) {
  // numpy.percentile([1, 2, 3, 4], q): q = 0 → 1, 25 → 1.75, 50 → 2.5, 90 → 3.7, 100 → 4.
  const std::vector<double> x{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(linear_percentile(x, 0), 1.0);
  EXPECT_DOUBLE_EQ(linear_percentile(x, 25), 1.75);
  EXPECT_DOUBLE_EQ(linear_percentile(x, 50), 2.5);
  EXPECT_NEAR(linear_percentile(x, 90), 3.7, 1e-15);
  EXPECT_DOUBLE_EQ(linear_percentile(x, 100), 4.0);
  EXPECT_DOUBLE_EQ(linear_percentile(std::vector<double>{7}, 95), 7.0);
}

TEST(SampleStats, LinearPercentileEqualsInterpolationOnTheFullySortedSeries) {
  // Second method: sort the whole series and interpolate between ranks floor(h) and floor(h) + 1,
  // h = (n − 1)·q/100; with ties and repeated values in the data.
  std::uint64_t s = 0x2545F4914F6CDD1DULL;
  for (const std::size_t n : {2u, 3u, 10u, 101u, 1000u, 4097u}) {
    std::vector<double> x(n);
    for (auto& v : x) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      v = static_cast<double>(static_cast<std::int64_t>(s % 2001) - 1000) / 64.0;  // many exact ties
    }
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    for (const double q : {0.0, 1.0, 5.0, 25.0, 50.0, 73.3, 95.0, 99.9, 100.0}) {
      const double h = static_cast<double>(n - 1) * q / 100.0;
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const double expected =
          lo + 1 >= n ? sorted.back() : sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
      EXPECT_EQ(linear_percentile(x, q), expected) << "n=" << n << " q=" << q;
    }
  }
}

TEST(SampleStats, RollingMomentsStayExactOnLongSlides) {
  // Slide a 50-wide window over 5 000 values and compare with the two-pass variance at the end.
  test_paths::TestRng rng(77);
  std::vector<double> x(5000);
  for (double& v : x) v = 100.0 + rng.normal();
  RollingMoments m;
  for (std::size_t i = 0; i < x.size(); ++i) {
    m.add(x[i]);
    if (i >= 50) m.remove(x[i - 50]);
  }
  const std::span<const double> tail(x.data() + x.size() - 50, 50);
  EXPECT_NEAR(m.mean(), sample_mean(tail), 1e-12);
  EXPECT_NEAR(m.sample_variance(), sample_variance(tail), 1e-10);
}

}  // namespace
}  // namespace ballast::analytics
