#include "ballast/analytics/var.hpp"

#include "ballast/analytics/exposure.hpp"
#include "ballast/analytics/random_stream.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

// z_0.99 = Φ⁻¹(0.99) = 2.326347874040841 and φ(z_0.99) = 0.02665214220345808 (Abramowitz & Stegun
// Table 26.5; full precision from R's qnorm/dnorm).
constexpr double kZ99 = 2.326347874040841;
constexpr double kPhiZ99 = 0.02665214220345808;

// The hand sample: 20 daily returns in %, worst five −3.1, −2.4, −1.8, −1.5, −1.2.
const std::vector<double> kReturns20 = {0.005, -0.012, 0.008, -0.003, 0.015, -0.024, 0.002, -0.007, 0.011, -0.018,
                                        0.004, -0.001, 0.009, -0.031, 0.006, -0.005, 0.013, -0.009, 0.003, -0.015};

// ---- Parametric ----------------------------------------------------------------------------------

TEST(ParametricVar, SingleNormalPositionMatchesTheClosedForm) {
  // V = 1,000,000, σ = 2% a day: VaR = z·σ·V, ES = φ(z)/(1 − c)·σ·V (McNeil, Frey & Embrechts,
  // "Quantitative Risk Management", 2nd ed. 2015, Example 2.14).
  auto r = parametric_normal_var(0.0, 0.02 * 1e6, {0.99, 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_NEAR(r->var, kZ99 * 0.02 * 1e6, 1e-8);
  EXPECT_NEAR(r->expected_shortfall, kPhiZ99 / 0.01 * 0.02 * 1e6, 1e-8);
  // Ten days: both scale by √10 (zero mean).
  auto ten = parametric_normal_var(0.0, 0.02 * 1e6, {0.99, 10});
  ASSERT_TRUE(ten);
  EXPECT_NEAR(ten->var, r->var * std::sqrt(10.0), 1e-8);
  EXPECT_NEAR(ten->expected_shortfall, r->expected_shortfall * std::sqrt(10.0), 1e-8);
}

TEST(ParametricVar, MeanShiftsTheLossByMeanTimesHorizon) {
  auto r = parametric_normal_var(100.0, 1000.0, {0.95, 4});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->var, 1.6448536269514715 * 1000.0 * 2.0 - 400.0, 1e-9);
}

TEST(ParametricVar, ZeroVolatilityLeavesOnlyTheMean) {
  auto r = parametric_normal_var(-5.0, 0.0, {0.99, 2});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->var, 10.0);
  EXPECT_EQ(r->expected_shortfall, 10.0);
}

TEST(ParametricPortfolioVar, PerfectlyCorrelatedAssetsAddTheirVars) {
  const double s1 = 0.02, s2 = 0.03;
  Eigen::Matrix2d cov;
  cov << s1 * s1, s1 * s2, s1 * s2, s2 * s2;  // ρ = 1, singular
  const Eigen::Vector2d e(1e6, 5e5);
  auto total = parametric_portfolio_var(cov, e, {0.99, 1});
  ASSERT_TRUE(total);
  EXPECT_NEAR(total->var, kZ99 * (s1 * 1e6 + s2 * 5e5), 1e-8);
}

TEST(ParametricPortfolioVar, UncorrelatedEqualAssetsGiveRootTwoTimesOne) {
  const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity() * 0.0004;
  auto one = parametric_portfolio_var(cov, Eigen::Vector2d(1e6, 0.0), {0.99, 1});
  auto both = parametric_portfolio_var(cov, Eigen::Vector2d(1e6, 1e6), {0.99, 1});
  ASSERT_TRUE(one && both);
  EXPECT_NEAR(both->var, std::sqrt(2.0) * one->var, 1e-8);
  EXPECT_NEAR(both->expected_shortfall, std::sqrt(2.0) * one->expected_shortfall, 1e-8);
}

TEST(ParametricPortfolioVar, AnEqualShortHedgesAPerfectlyCorrelatedLong) {
  Eigen::Matrix2d cov;
  cov << 0.0004, 0.0004, 0.0004, 0.0004;
  auto r = parametric_portfolio_var(cov, Eigen::Vector2d(1e6, -1e6), {0.99, 1});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->var, 0.0, 1e-9);
}

TEST(ParametricPortfolioVar, QuantitiesTimesPricesGiveSignedExposures) {
  // 10 BTC long at 50,000 and 200 ETH short at 2,500: e = (500,000, −500,000).
  auto e = dollar_exposures(std::vector<double>{10.0, -200.0}, std::vector<double>{50'000.0, 2'500.0});
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)[0], 500'000.0);
  EXPECT_EQ((*e)[1], -500'000.0);
  // σ = 3% and 4%, ρ = 0.8: σ_p² = e1²σ1² + e2²σ2² + 2e1e2ρσ1σ2 = 2.5e11·(9 + 16 − 19.2)e-4 = 1.45e8.
  Eigen::Matrix2d cov;
  cov << 0.0009, 0.8 * 0.03 * 0.04, 0.8 * 0.03 * 0.04, 0.0016;
  auto r = parametric_portfolio_var(cov, *e, {0.99, 1});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->var, kZ99 * std::sqrt(1.45e8), 1e-7);
}

TEST(ParametricPortfolioVar, RejectsMismatchedSizesAndNans) {
  const Eigen::Matrix2d cov = Eigen::Matrix2d::Identity();
  EXPECT_FALSE(parametric_portfolio_var(cov, Eigen::Vector3d(1, 2, 3), {0.99, 1}));
  auto nan = parametric_portfolio_var(cov, Eigen::Vector2d(1, std::numeric_limits<double>::quiet_NaN()), {0.99, 1});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("exposures[1]"), std::string::npos) << nan.error().message();
  EXPECT_FALSE(parametric_portfolio_var(cov, Eigen::Vector2d(1, 2), {1.0, 1}));
  EXPECT_FALSE(parametric_portfolio_var(cov, Eigen::Vector2d(1, 2), {0.99, 0}));
}

// ---- Historical ----------------------------------------------------------------------------------

TEST(HistoricalVar, MatchesAHandCountOfTwentyReturns) {
  // Position 1,000,000; losses sorted worst first: 31,000, 24,000, 18,000, 15,000, 12,000, …
  // τ = (1 − c)·20. 95%: τ = 1 → VaR = 2nd worst, ES = worst. 90%: τ = 2 → VaR = 3rd worst, ES =
  // mean of 2 worst. 92.5%: τ = 1.5 → VaR = 2nd worst, ES = (31,000 + 0.5·24,000)/1.5. 80%: τ = 4 →
  // VaR = 5th worst, ES = (31 + 24 + 18 + 15)/4 thousand.
  auto pnl = position_pnl(kReturns20, 1e6);
  ASSERT_TRUE(pnl);
  struct Case {
    double c, var, es;
  };
  for (const Case& k : {Case{0.95, 24'000, 31'000}, Case{0.90, 18'000, 27'500}, Case{0.925, 24'000, 43'000 / 1.5},
                        Case{0.80, 12'000, 22'000}}) {
    auto r = historical_var(*pnl, {k.c, 1});
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_NEAR(r->var, k.var, 1e-6) << k.c;
    EXPECT_NEAR(r->expected_shortfall, k.es, 1e-6) << k.c;
  }
  // 99%: τ = 0.2 < 1, so both are the worst loss (the sample sees nothing beyond it).
  auto r = historical_var(*pnl, {0.99, 1});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->var, 31'000, 1e-6);
  EXPECT_NEAR(r->expected_shortfall, 31'000, 1e-6);
}

TEST(HistoricalVar, AggregatesLongerHorizonsAsDocumented) {
  // P&L −1, −2, 3, −4, 1, −6 and h = 2.
  const std::vector<double> pnl = {-1, -2, 3, -4, 1, -6};
  // Overlapping sums: −3, 1, −1, −3, −5 (n = 5); 60%: τ = 2 → VaR = 3rd worst loss = 3, ES = (5+3)/2.
  auto over = historical_var(pnl, {0.6, 2}, HistoricalHorizon::Overlapping);
  ASSERT_TRUE(over);
  EXPECT_DOUBLE_EQ(over->var, 3.0);
  EXPECT_DOUBLE_EQ(over->expected_shortfall, 4.0);
  // Disjoint blocks ending at the last day: (−1−2), (3−4), (1−6) = −3, −1, −5; τ = 1.2 → VaR = 3,
  // ES = (5 + 0.2·3)/1.2.
  auto disjoint = historical_var(pnl, {0.6, 2}, HistoricalHorizon::NonOverlapping);
  ASSERT_TRUE(disjoint);
  EXPECT_DOUBLE_EQ(disjoint->var, 3.0);
  EXPECT_NEAR(disjoint->expected_shortfall, 5.6 / 1.2, 1e-14);
  // √h: one-day losses 6, 4, 2, 1, −1, −3; τ = 2.4 → VaR = 2, ES = (6 + 4 + 0.4·2)/2.4; then ×√2.
  auto root = historical_var(pnl, {0.6, 2}, HistoricalHorizon::SquareRootOfTime);
  ASSERT_TRUE(root);
  EXPECT_NEAR(root->var, 2.0 * std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(root->expected_shortfall, 10.8 / 2.4 * std::sqrt(2.0), 1e-14);
}

TEST(HistoricalVar, OverlappingWindowsStayExactOverLongSeries) {
  RandomStream s(4);
  std::vector<double> pnl(5000);
  for (double& v : pnl) v = 1e3 * s.normal();
  std::vector<double> sums;
  for (std::size_t t = 9; t < pnl.size(); ++t) {
    double w = 0.0;
    for (std::size_t k = t - 9; k <= t; ++k) w += pnl[k];
    sums.push_back(w);
  }
  auto expected = empirical_var(sums, 0.99);
  auto r = historical_var(pnl, {0.99, 10});
  ASSERT_TRUE(r && expected);
  EXPECT_NEAR(r->var, expected->var, 1e-8);
  EXPECT_NEAR(r->expected_shortfall, expected->expected_shortfall, 1e-8);
}

TEST(HistoricalVar, ApproachesParametricOnALargeNormalSample) {
  // 200,000 N(0, 1) draws. The s.e. of the 99% sample quantile is √(0.99·0.01/n)/φ(z) = 0.0083 and
  // that of ES about 0.010; the tolerance 0.04 is about 4 standard errors.
  RandomStream s(77);
  std::vector<double> pnl(200'000);
  for (double& v : pnl) v = s.normal();
  auto r = historical_var(pnl, {0.99, 1});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->var, kZ99, 0.04);
  EXPECT_NEAR(r->expected_shortfall, kPhiZ99 / 0.01, 0.04);
}

TEST(HistoricalVar, PortfolioUsesReturnsTimesExposures) {
  // Two instruments; P&L_t = 2·r1 − 1·r2 (a long and a short).
  Eigen::MatrixXd r(5, 2);
  r << 0.01, 0.02, -0.03, 0.01, 0.02, -0.01, -0.01, -0.04, 0.00, 0.03;
  // P&L: 0.00, −0.07, 0.05, 0.02, −0.03; 80%: τ = 1 → VaR = 2nd worst = 0.03, ES = 0.07.
  auto v = historical_portfolio_var(r, Eigen::Vector2d(2.0, -1.0), {0.8, 1});
  ASSERT_TRUE(v) << v.error().to_string();
  EXPECT_NEAR(v->var, 0.03, 1e-15);
  EXPECT_NEAR(v->expected_shortfall, 0.07, 1e-15);
}

TEST(HistoricalVar, ASingleObservationIsItsOwnVarAndEs) {
  auto r = historical_var(std::vector<double>{-250.0}, {0.99, 1});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->var, 250.0);
  EXPECT_EQ(r->expected_shortfall, 250.0);
}

TEST(HistoricalVar, RejectsEmptyShortAndNonFiniteInput) {
  EXPECT_FALSE(historical_var(std::vector<double>{}, {0.99, 1}));
  EXPECT_FALSE(historical_var(std::vector<double>{1.0, 2.0}, {0.99, 3}));
  auto nan = historical_var(std::vector<double>{1.0, std::numeric_limits<double>::infinity(), 2.0}, {0.99, 1});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("pnl[1]"), std::string::npos) << nan.error().message();
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(3, 2);
  r(1, 0) = std::numeric_limits<double>::quiet_NaN();
  auto bad = historical_portfolio_var(r, Eigen::Vector2d(1, 1), {0.9, 1});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("returns(1, 0)"), std::string::npos) << bad.error().message();
}

TEST(AgeWeightedHistoricalVar, WeightsRecentLossesMore) {
  // P&L oldest → newest −10, 2, −5, 1, −1; λ = 0.5: weights ∝ 1/16, 1/8, 1/4, 1/2, 1 times
  // (1 − λ)/(1 − λ⁵) = 16/31, so −10 has 1/31 and −5 has 4/31. 90%: tail 0.1. Worst first: −10
  // (cum 1/31 ≤ 0.1), −5 (cum 5/31 > 0.1) → VaR = 5; ES = (10/31 + (0.1 − 1/31)·5)/0.1 = 5 + 50/31.
  const std::vector<double> pnl = {-10, 2, -5, 1, -1};
  auto r = historical_var_age_weighted(pnl, 0.5, {0.9, 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_DOUBLE_EQ(r->var, 5.0);
  EXPECT_NEAR(r->expected_shortfall, 5.0 + 50.0 / 31.0, 1e-13);
  // Unweighted, τ = 0.5: the old −10 is the VaR.
  auto plain = historical_var(pnl, {0.9, 1});
  ASSERT_TRUE(plain);
  EXPECT_DOUBLE_EQ(plain->var, 10.0);
}

TEST(AgeWeightedHistoricalVar, LambdaOneEqualsTheUnweightedEstimate) {
  auto pnl = position_pnl(kReturns20, 1e6);
  ASSERT_TRUE(pnl);
  for (double c : {0.80, 0.90, 0.925, 0.95, 0.99}) {
    auto w = historical_var_age_weighted(*pnl, 1.0, {c, 1});
    auto u = historical_var(*pnl, {c, 1});
    ASSERT_TRUE(w && u);
    EXPECT_NEAR(w->var, u->var, 1e-8) << c;
    EXPECT_NEAR(w->expected_shortfall, u->expected_shortfall, 1e-8) << c;
  }
  EXPECT_FALSE(historical_var_age_weighted(*pnl, 0.0, {0.99, 1}));
}

TEST(EmpiricalVar, CountsTheTailExactlyWhenConfidenceIsNotABinaryFraction) {
  // n = 1,000 at 99%: (1 − 0.99)·1000 evaluates to 10.000000000000009 in doubles; it must count as
  // 10 whole outcomes, so VaR is the 11th worst loss and ES the mean of the 10 worst.
  std::vector<double> pnl(1000);
  for (std::size_t i = 0; i < pnl.size(); ++i) pnl[i] = -static_cast<double>(i + 1);  // losses 1 … 1000
  auto r = empirical_var(pnl, 0.99);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->var, 990.0);
  EXPECT_DOUBLE_EQ(r->expected_shortfall, 995.5);
}

// ---- Cornish–Fisher ------------------------------------------------------------------------------

TEST(CornishFisherVar, WithoutSkewOrExcessKurtosisIsTheNormal) {
  auto cf = cornish_fisher_var({0.001, 0.02, 0.0, 0.0}, {0.99, 5});
  auto normal = parametric_normal_var(0.001, 0.02, {0.99, 5});
  ASSERT_TRUE(cf && normal);
  EXPECT_NEAR(cf->var, normal->var, 1e-15);
  EXPECT_NEAR(cf->expected_shortfall, normal->expected_shortfall, 1e-15);
}

TEST(CornishFisherVar, MatchesTheExpansionAndANumericalTailAverage) {
  // S = −0.5, K = 3, σ = 1, 99%: g(z) = z − (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36 at
  // z = 2.3263478740408408 gives 3.301284492180553. ES from Simpson's rule on
  // (1/(1 − c))∫_z^12 g(x)φ(x)dx (200,000 panels, Python statistics.NormalDist) = 4.469906383018707.
  auto r = cornish_fisher_var({0.0, 1.0, -0.5, 3.0}, {0.99, 1});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_NEAR(r->var, 3.301284492180553, 1e-12);
  EXPECT_NEAR(r->expected_shortfall, 4.469906383018707, 1e-9);
  // Horizon 4 with μ = 0.001, σ = 0.02: S/2 and K/4, same procedure: 0.10247985983557603 and
  // 0.12582233663669212.
  auto h4 = cornish_fisher_var({0.001, 0.02, -0.5, 3.0}, {0.99, 4});
  ASSERT_TRUE(h4);
  EXPECT_NEAR(h4->var, 0.10247985983557603, 1e-13);
  EXPECT_NEAR(h4->expected_shortfall, 0.12582233663669212, 1e-10);
  // Positive skew: S = 0.8, K = 1 at 97.5% → 1.5563376258408885 and 1.7259019913693412.
  auto pos = cornish_fisher_var({0.0, 1.0, 0.8, 1.0}, {0.975, 1});
  ASSERT_TRUE(pos);
  EXPECT_NEAR(pos->var, 1.5563376258408885, 1e-12);
  EXPECT_NEAR(pos->expected_shortfall, 1.7259019913693412, 1e-9);
}

TEST(CornishFisherVar, RefusesSkewnessOutsideTheMonotoneDomain) {
  // S = −3 with no excess kurtosis bends g(z) back down in the tail (g′(z_0.99) < 0).
  auto r = cornish_fisher_var({0.0, 1.0, -3.0, 0.0}, {0.99, 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::OutOfRange);
}

TEST(SampleMoments, MatchAHandComputation) {
  // x = 1, 2, 3, 10: mean 4, deviations −3, −2, −1, 6; m2 = 50/4, m3 = (−27 − 8 − 1 + 216)/4 = 45,
  // m4 = (81 + 16 + 1 + 1296)/4 = 348.5; stdev = √(50/3); g1 = 45/12.5^1.5; g2 = 348.5/156.25 − 3.
  auto m = sample_moments(std::vector<double>{1, 2, 3, 10});
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->mean, 4.0);
  EXPECT_NEAR(m->stdev, std::sqrt(50.0 / 3.0), 1e-14);
  EXPECT_NEAR(m->skewness, 45.0 / std::pow(12.5, 1.5), 1e-14);
  EXPECT_NEAR(m->excess_kurtosis, 348.5 / 156.25 - 3.0, 1e-14);
  EXPECT_FALSE(sample_moments(std::vector<double>{1.0}));
  auto flat = sample_moments(std::vector<double>{2.0, 2.0, 2.0});
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->skewness, 0.0);
}

}  // namespace
}  // namespace ballast::analytics
