#include "ballast/analytics/benchmark_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

constexpr double kTight = 1e-12;

const std::vector<double> kBench{0.01, -0.02, 0.015, 0.005, -0.01, 0.02};

std::vector<double> scaled(const std::vector<double>& x, double k) {
  std::vector<double> y;
  for (double v : x) y.push_back(k * v);
  return y;
}

TEST(Benchmark, TwiceTheBenchmarkHasBetaTwoCorrelationOneAndNoAlpha) {
  auto c = compare_with_benchmark(scaled(kBench, 2.0), kBench);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_NEAR(c->beta.value(), 2.0, kTight);
  EXPECT_NEAR(c->correlation.value(), 1.0, kTight);
  EXPECT_NEAR(c->alpha.value(), 0.0, kTight);
  // With rf per period: r − rf − 2(b − rf) = rf every period, so alpha = (1 + rf)^N − 1.
  auto with_rf = compare_with_benchmark(scaled(kBench, 2.0), kBench, BenchmarkConfig{252.0, 0.0001});
  ASSERT_TRUE(with_rf);
  EXPECT_NEAR(with_rf->beta.value(), 2.0, kTight);
  EXPECT_NEAR(with_rf->alpha.value(), std::pow(1.0001, 252.0) - 1.0, 1e-12);  // 0.025518911987694626
  // Minus the benchmark: beta −1, correlation −1.
  auto inverse = compare_with_benchmark(scaled(kBench, -1.0), kBench);
  EXPECT_NEAR(inverse->beta.value(), -1.0, kTight);
  EXPECT_NEAR(inverse->correlation.value(), -1.0, kTight);
}

TEST(Benchmark, IdenticalSeriesHaveZeroTrackingErrorAndNoInformationRatio) {
  auto c = compare_with_benchmark(kBench, kBench);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->tracking_error.value(), 0.0);
  EXPECT_EQ(c->information_ratio.reason(), UndefinedReason::ZeroTrackingError);
  EXPECT_EQ(c->information_ratio_per_period.reason(), UndefinedReason::ZeroTrackingError);
  EXPECT_NEAR(c->beta.value(), 1.0, kTight);
  EXPECT_NEAR(c->correlation.value(), 1.0, kTight);
  EXPECT_NEAR(c->up_capture.value(), 1.0, kTight);
  EXPECT_NEAR(c->down_capture.value(), 1.0, kTight);
}

TEST(Benchmark, HandWorkedFourPeriodExample) {
  // b = 0.02, −0.01, 0.03, −0.02;  r = 0.01, −0.02, 0.02, 0.01;  N = 252.
  //   means: r̄ = b̄ = 0.005; dr = 0.005, −0.025, 0.015, 0.005; db = 0.015, −0.015, 0.025, −0.025
  //   Σ dr·db = 0.000075 + 0.000375 + 0.000375 − 0.000125 = 0.0007;  Σ db² = 0.0017;  Σ dr² = 0.0009
  //   beta = 0.0007/0.0017 = 7/17 = 0.4117647058823529
  //   correlation = 0.0007/√(0.0009 × 0.0017) = 0.5659164584181102
  //   alpha = (1 + mean(r − βb))^252 − 1 = (1 + 0.005·(1 − 7/17))^252 − 1 = 1.0961213015770652
  //   active r − b = −0.01, −0.01, −0.01, 0.03: mean 0, s = √(0.0012/3) = 0.02
  //   tracking error = 0.02·√252 = 0.3174901573277509; information ratio = 0
  //   up periods (b > 0: 0 and 2):   r grows 1.01·1.02 = 1.0302, b grows 1.02·1.03 = 1.0506
  //     up capture = (1.0302^126 − 1)/(1.0506^126 − 1) = 41.473176131220576/501.4721028889582
  //                = 0.08270285802997909
  //   down periods (b < 0: 1 and 3): r 0.98·1.01 = 0.9898, b 0.99·0.98 = 0.9702
  //     down capture = (0.9898^126 − 1)/(0.9702^126 − 1) = −0.7252241032651303/−0.9778934965401811
  //                  = 0.7416186996140139
  // (Cross-checked with numpy 1.24 re-implementing empyrical's alpha_beta, up_capture, down_capture.)
  const std::vector<double> b{0.02, -0.01, 0.03, -0.02};
  const std::vector<double> r{0.01, -0.02, 0.02, 0.01};
  auto c = compare_with_benchmark(r, b);
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->beta.value(), 7.0 / 17.0, kTight);
  EXPECT_NEAR(c->correlation.value(), 0.5659164584181102, kTight);
  EXPECT_NEAR(c->alpha.value(), 1.0961213015770652, 1e-10);
  EXPECT_NEAR(c->tracking_error.value(), 0.3174901573277509, kTight);
  EXPECT_NEAR(c->information_ratio.value(), 0.0, kTight);
  EXPECT_NEAR(c->up_capture.value(), 0.08270285802997909, 1e-10);
  EXPECT_NEAR(c->down_capture.value(), 0.7416186996140139, 1e-10);
  // Beta is unchanged by a risk-free shift; alpha is (1 + mean((r − rf) − β(b − rf)))^N − 1 = 1.0653674357519698.
  auto rf = compare_with_benchmark(r, b, BenchmarkConfig{252.0, 0.0001});
  EXPECT_NEAR(rf->beta.value(), 7.0 / 17.0, kTight);
  EXPECT_NEAR(rf->alpha.value(), 1.0653674357519698, 1e-10);
}

TEST(Benchmark, InformationRatioAnnualisesThePerPeriodFigure) {
  // Active returns r − b = 0.01, 0.02, 0.00 (mean 0.01, s = 0.01): per period 1, annualised √252.
  const std::vector<double> b{0.01, -0.01, 0.02};
  const std::vector<double> r{0.02, 0.01, 0.02};
  auto c = compare_with_benchmark(r, b);
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->information_ratio_per_period.value(), 1.0, 1e-12);
  EXPECT_NEAR(c->information_ratio.value(), std::sqrt(252.0), 1e-10);
  EXPECT_NEAR(c->tracking_error.value(), 0.01 * std::sqrt(252.0), 1e-12);
}

TEST(Benchmark, DegenerateBenchmarks) {
  // A constant benchmark: no beta, alpha or correlation; no down periods either.
  const std::vector<double> flat(5, 0.001);
  auto c = compare_with_benchmark(std::vector<double>{0.01, 0.02, -0.01, 0.0, 0.03}, flat);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->beta.reason(), UndefinedReason::ZeroVariance);
  EXPECT_EQ(c->alpha.reason(), UndefinedReason::ZeroVariance);
  EXPECT_EQ(c->correlation.reason(), UndefinedReason::ZeroVariance);
  EXPECT_EQ(c->down_capture.reason(), UndefinedReason::NoQualifyingPeriods);
  EXPECT_TRUE(c->up_capture.is_defined());
  // A single period: dispersion-based figures need two.
  auto one = compare_with_benchmark(std::vector<double>{0.01}, std::vector<double>{0.02});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->beta.reason(), UndefinedReason::TooFewObservations);
  EXPECT_EQ(one->tracking_error.reason(), UndefinedReason::TooFewObservations);
  EXPECT_NEAR(one->up_capture.value(), (std::pow(1.01, 252.0) - 1.0) / (std::pow(1.02, 252.0) - 1.0), 1e-12);
}

TEST(Benchmark, InputErrorsNameTheSeriesAndIndex) {
  EXPECT_FALSE(compare_with_benchmark(std::vector<double>{0.01, 0.02}, std::vector<double>{0.01}));
  EXPECT_FALSE(compare_with_benchmark(std::vector<double>{}, std::vector<double>{}));
  auto nan = compare_with_benchmark(std::vector<double>{0.01, 0.02, 0.0},
                                    std::vector<double>{0.01, std::numeric_limits<double>::quiet_NaN(), 0.0});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("benchmark[1]"), std::string::npos) << nan.error().to_string();
  auto ruin = compare_with_benchmark(std::vector<double>{0.01, -1.0}, std::vector<double>{0.01, 0.02});
  ASSERT_FALSE(ruin);
  EXPECT_NE(ruin.error().message().find("returns[1]"), std::string::npos);
  EXPECT_FALSE(compare_with_benchmark(kBench, kBench, BenchmarkConfig{0.0, 0.0}));
}

}  // namespace
}  // namespace ballast::analytics
