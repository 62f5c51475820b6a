#include "ballast/analytics/portfolio_construction.hpp"

#include <gtest/gtest.h>
#include <Eigen/Cholesky>

#include <cmath>

namespace ballast::analytics {
namespace {

Eigen::MatrixXd covariance(const Eigen::VectorXd& vol, const Eigen::MatrixXd& corr) {
  return vol.asDiagonal() * corr * vol.asDiagonal();
}

TEST(MinimumVariance, TwoAssetsMatchTheClosedForm) {
  // w1 = (σ2² − σ12)/(σ1² + σ2² − 2σ12) (e.g. Elton & Gruber, "Modern Portfolio Theory and
  // Investment Analysis", ch. 5). σ1 = 20%, σ2 = 30%, ρ = 0.25: σ12 = 0.015,
  // w1 = (0.09 − 0.015)/(0.04 + 0.09 − 0.03) = 0.75.
  Eigen::Matrix2d cov;
  cov << 0.04, 0.015, 0.015, 0.09;
  auto w = minimum_variance_weights(cov);
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_NEAR(w->weights[0], 0.75, 1e-10);
  EXPECT_NEAR(w->weights[1], 0.25, 1e-10);
  EXPECT_NEAR(w->volatility, std::sqrt(0.75 * 0.75 * 0.04 + 0.25 * 0.25 * 0.09 + 2 * 0.75 * 0.25 * 0.015), 1e-10);
}

TEST(MinimumVariance, InteriorSolutionEqualsTheUnconstrainedFormula) {
  // When no bound binds, w = Σ⁻¹1/(1ᵀΣ⁻¹1) (Merton, "An Analytic Derivation of the Efficient
  // Portfolio Frontier", JFQA 7(4), 1972), computed here with an LDLT solve.
  const Eigen::VectorXd vol = (Eigen::VectorXd(4) << 0.15, 0.2, 0.25, 0.3).finished();
  Eigen::MatrixXd corr(4, 4);
  corr << 1, 0.3, 0.2, 0.1, 0.3, 1, 0.25, 0.2, 0.2, 0.25, 1, 0.3, 0.1, 0.2, 0.3, 1;
  const Eigen::MatrixXd cov = covariance(vol, corr);
  const Eigen::VectorXd x = cov.ldlt().solve(Eigen::VectorXd::Ones(4));
  const Eigen::VectorXd expected = x / x.sum();
  ASSERT_GT(expected.minCoeff(), 0.0);
  auto w = minimum_variance_weights(cov);
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_LT((w->weights - expected).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_NEAR(w->weights.sum(), 1.0, 1e-14);
}

TEST(MinimumVariance, RespectsAnUpperBoundThatBinds) {
  // Uncorrelated, σ = 10%, 20%, 30%: unconstrained w ∝ 1/σ² = (100, 25, 11.1) → w1 = 0.73. With
  // w ≤ 0.5, KKT: w1 = 0.5 and the free weights stay ∝ 1/σ²: w2 = 0.5·25/36.11 = 0.3461538,
  // w3 = 0.5·11.11/36.11 = 0.1538462 (2σ1²w1 = 0.01 ≤ the multiplier 2σ2²w2 = 0.0277, so the bound
  // is active).
  const Eigen::MatrixXd cov = Eigen::Vector3d(0.01, 0.04, 0.09).asDiagonal();
  MinVarianceConfig config;
  config.upper_bound = 0.5;
  auto w = minimum_variance_weights(cov, config);
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_NEAR(w->weights[0], 0.5, 1e-10);
  EXPECT_NEAR(w->weights[1], 0.5 * 25.0 / (25.0 + 100.0 / 9.0), 1e-10);
  EXPECT_NEAR(w->weights[2], 0.5 * (100.0 / 9.0) / (25.0 + 100.0 / 9.0), 1e-10);
}

TEST(MinimumVariance, StaysLongOnlyWhenTheFormulaWouldShort) {
  // σ1 = 10%, σ2 = 30%, ρ = 0.9: w1 = (0.09 − 0.027)/(0.01 + 0.09 − 0.054) = 1.37 > 1, so the
  // long-only optimum is the corner (1, 0).
  Eigen::Matrix2d cov;
  cov << 0.01, 0.027, 0.027, 0.09;
  auto w = minimum_variance_weights(cov);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->weights[0], 1.0, 1e-10);
  EXPECT_NEAR(w->weights[1], 0.0, 1e-10);
  // Allowing shorts down to −1 recovers the closed form.
  MinVarianceConfig config;
  config.lower_bound = -1.0;
  config.upper_bound = 2.0;
  auto free = minimum_variance_weights(cov, config);
  ASSERT_TRUE(free);
  EXPECT_NEAR(free->weights[0], 0.063 / 0.046, 1e-9);
}

TEST(MinimumVariance, HandlesSingularAndZeroVolatilityCovariances) {
  // A zero-volatility asset takes all the weight; a perfectly correlated duplicate splits evenly
  // with its twin (any split is optimal; the projection from equal weights keeps them equal).
  Eigen::Matrix3d cov;
  cov << 0.04, 0.04, 0.0, 0.04, 0.04, 0.0, 0.0, 0.0, 0.0;
  auto w = minimum_variance_weights(cov);
  ASSERT_TRUE(w) << w.error().to_string();
  EXPECT_NEAR(w->weights[2], 1.0, 1e-9);
  EXPECT_NEAR(w->volatility, 0.0, 1e-9);
  Eigen::Matrix2d twins;
  twins << 0.04, 0.04, 0.04, 0.04;
  auto t = minimum_variance_weights(twins);
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->weights[0], 0.5, 1e-12);
  EXPECT_NEAR(t->volatility, 0.2, 1e-12);
}

TEST(MinimumVariance, RejectsInfeasibleBounds) {
  const Eigen::MatrixXd cov = Eigen::Matrix3d::Identity();
  MinVarianceConfig config;
  config.upper_bound = 0.3;  // three assets can reach only 0.9
  EXPECT_FALSE(minimum_variance_weights(cov, config));
  config.upper_bound = 1.0;
  config.lower_bounds = {0.5, 0.5, 0.5};
  EXPECT_FALSE(minimum_variance_weights(cov, config));
  config.lower_bounds = {0.0, 0.0};
  EXPECT_FALSE(minimum_variance_weights(cov, config));
}

TEST(RiskParity, UncorrelatedAssetsAreWeightedByInverseVolatility) {
  // With Σ diagonal, RC_i = w_i²σ_i²/σ_p, equal when w_i ∝ 1/σ_i (Maillard, Roncalli & Teiletche,
  // "The Properties of Equally Weighted Risk Contribution Portfolios", J. Portfolio Mgmt 36(4), 2010).
  const Eigen::Vector3d vol(0.1, 0.2, 0.4);
  const Eigen::MatrixXd cov = vol.cwiseProduct(vol).asDiagonal();
  auto w = risk_parity_weights(cov);
  ASSERT_TRUE(w) << w.error().to_string();
  const Eigen::Vector3d inverse = vol.cwiseInverse();
  EXPECT_LT((w->weights - inverse / inverse.sum()).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(RiskParity, TwoCorrelatedAssetsStillWeightByInverseVolatility) {
  // For two assets the ERC weights are σ2/(σ1 + σ2) and σ1/(σ1 + σ2) whatever ρ (Maillard et al.
  // 2010, §2.2).
  Eigen::Matrix2d cov;
  cov << 0.04, 0.7 * 0.2 * 0.5, 0.7 * 0.2 * 0.5, 0.25;
  auto w = risk_parity_weights(cov);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->weights[0], 0.5 / 0.7, 1e-12);
}

TEST(RiskParity, EqualisesRiskContributionsUnderCorrelation) {
  const Eigen::VectorXd vol = (Eigen::VectorXd(4) << 0.1, 0.15, 0.25, 0.35).finished();
  Eigen::MatrixXd corr(4, 4);
  corr << 1, 0.6, 0.2, -0.1, 0.6, 1, 0.4, 0.0, 0.2, 0.4, 1, 0.5, -0.1, 0.0, 0.5, 1;
  const Eigen::MatrixXd cov = covariance(vol, corr);
  auto w = risk_parity_weights(cov);
  ASSERT_TRUE(w) << w.error().to_string();
  auto rc = risk_contributions(cov, w->weights);
  ASSERT_TRUE(rc);
  for (Eigen::Index i = 0; i < 4; ++i) EXPECT_NEAR(rc->fraction[i], 0.25, 1e-10) << i;
  EXPECT_NEAR(w->weights.sum(), 1.0, 1e-14);
  EXPECT_GT(w->weights.minCoeff(), 0.0);
  // Budgets 40/30/20/10 are met the same way.
  RiskParityConfig config;
  config.budgets = {4, 3, 2, 1};
  auto budgeted = risk_parity_weights(cov, config);
  ASSERT_TRUE(budgeted);
  auto rb = risk_contributions(cov, budgeted->weights);
  ASSERT_TRUE(rb);
  EXPECT_NEAR(rb->fraction[0], 0.4, 1e-10);
  EXPECT_NEAR(rb->fraction[3], 0.1, 1e-10);
}

TEST(RiskParity, NeedsEveryAssetToCarryRisk) {
  Eigen::Matrix2d cov;
  cov << 0.04, 0.0, 0.0, 0.0;
  auto w = risk_parity_weights(cov);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("asset 1"), std::string::npos) << w.error().message();
  RiskParityConfig config;
  config.budgets = {1.0, -1.0};
  EXPECT_FALSE(risk_parity_weights(Eigen::Matrix2d::Identity(), config));
}

TEST(RiskContributions, SumToVolatilityAndFractionsToOne) {
  // Two assets, σ = (20%, 30%), ρ = 0.5, w = (0.6, 0.4): Σw = (0.024 + 0.012, 0.018 + 0.036) =
  // (0.036, 0.054), σ_p² = 0.6·0.036 + 0.4·0.054 = 0.0432.
  Eigen::Matrix2d cov;
  cov << 0.04, 0.03, 0.03, 0.09;
  auto rc = risk_contributions(cov, Eigen::Vector2d(0.6, 0.4));
  ASSERT_TRUE(rc);
  EXPECT_NEAR(rc->volatility, std::sqrt(0.0432), 1e-15);
  EXPECT_NEAR(rc->absolute[0], 0.6 * 0.036 / std::sqrt(0.0432), 1e-15);
  EXPECT_NEAR(rc->absolute.sum(), rc->volatility, 1e-15);
  EXPECT_NEAR(rc->fraction.sum(), 1.0, 1e-15);
  EXPECT_NEAR(rc->fraction[0], 0.0216 / 0.0432, 1e-14);
  EXPECT_FALSE(risk_contributions(cov, Eigen::Vector2d(0.0, 0.0)));
}

}  // namespace
}  // namespace ballast::analytics
