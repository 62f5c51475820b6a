#include "ballast/analytics/stress_var.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ballast::analytics {
namespace {

// Φ⁻¹(0.99), from standard normal tables (Abramowitz & Stegun 26.2; also scipy.stats.norm.ppf(0.99)).
constexpr double kZ99 = 2.3263478740408408;
constexpr double kRel = 1e-12;

// σ = (2%, 3%, 5%) per day with correlations ρ12 = 0.2, ρ13 = −0.1, ρ23 = 0.4: Σ_ij = σ_i σ_j ρ_ij.
Eigen::MatrixXd covariance() {
  const Eigen::Vector3d sigma(0.02, 0.03, 0.05);
  Eigen::Matrix3d rho;
  rho << 1.0, 0.2, -0.1,  //
      0.2, 1.0, 0.4,      //
      -0.1, 0.4, 1.0;
  return sigma.asDiagonal() * rho * sigma.asDiagonal();
}

TEST(StressVar, FullCorrelationShockMakesEveryCorrelationOne) {
  auto stressed = stress_covariance(covariance(), 1.0, 1.0);
  ASSERT_TRUE(stressed) << stressed.error().to_string();
  EXPECT_TRUE(stressed->correlation.isApprox(Eigen::MatrixXd::Ones(3, 3), 1e-15));
  EXPECT_FALSE(stressed->repaired);
}

TEST(StressVar, PartialCorrelationShockFollowsTheFormula) {
  // s = 0.5: ρ'12 = 0.2 + 0.5·0.8 = 0.6; ρ'13 = −0.1 + 0.5·1.1 = 0.45; ρ'23 = 0.4 + 0.5·0.6 = 0.7.
  auto stressed = stress_covariance(covariance(), 1.0, 0.5);
  ASSERT_TRUE(stressed);
  EXPECT_NEAR(stressed->correlation(0, 1), 0.6, 1e-14);
  EXPECT_NEAR(stressed->correlation(0, 2), 0.45, 1e-14);
  EXPECT_NEAR(stressed->correlation(1, 2), 0.7, 1e-14);
  // Σ'13 = 0.02 · 0.05 · 0.45 = 0.00045.
  EXPECT_NEAR(stressed->covariance(0, 2), 0.00045, 1e-18);
}

TEST(StressVar, FullCorrelationLongOnlyVarIsTheSumOfIndividualStressedVars) {
  // Exposures 100,000 / 50,000 / 20,000, k = 2, s = 1. With every ρ' = 1, σ_p' = Σ e_i·k·σ_i
  //   = 2 × (100,000·0.02 + 50,000·0.03 + 20,000·0.05) = 2 × (2,000 + 1,500 + 1,000) = 9,000,
  // so VaR99 = z·9,000 = 20,937.130866367567, the sum of the positions' own stressed VaRs
  // z·4,000 + z·3,000 + z·2,000.
  const Eigen::Vector3d e(100000.0, 50000.0, 20000.0);
  const VarSpec spec{0.99, 1};
  auto result = stressed_parametric_var(covariance(), e, 2.0, 1.0, spec);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_NEAR(result->stressed.var, kZ99 * 9000.0, kRel * kZ99 * 9000.0);

  double sum_of_individual = 0.0;
  const Eigen::Vector3d sigma(0.02, 0.03, 0.05);
  for (int i = 0; i < 3; ++i) {
    auto alone = parametric_normal_var(0.0, e[i] * 2.0 * sigma[i], spec);
    ASSERT_TRUE(alone);
    sum_of_individual += alone->var;
  }
  EXPECT_NEAR(result->stressed.var, sum_of_individual, kRel * sum_of_individual);

  // 10-day horizon: × √10 by the square-root-of-time rule.
  auto ten = stressed_parametric_var(covariance(), e, 2.0, 1.0, VarSpec{0.99, 10});
  ASSERT_TRUE(ten);
  EXPECT_NEAR(ten->stressed.var, kZ99 * 9000.0 * std::sqrt(10.0), 1e-8);
}

TEST(StressVar, VolMultiplierScalesVarAndEsByExactlyK) {
  // Long/short exposures; s = 0 leaves ρ alone, so Σ' = k²Σ and σ_p' = k·σ_p.
  const Eigen::Vector3d e(100000.0, -60000.0, 30000.0);
  for (double k : {0.5, 1.0, 3.0}) {
    auto result = stressed_parametric_var(covariance(), e, k, 0.0, VarSpec{0.975, 5});
    ASSERT_TRUE(result);
    EXPECT_NEAR(result->stressed.var, k * result->base.var, kRel * k * result->base.var) << k;
    EXPECT_NEAR(result->stressed.expected_shortfall, k * result->base.expected_shortfall,
                kRel * k * result->base.expected_shortfall)
        << k;
  }
}

TEST(StressVar, CorrelationShockCanLowerTheVarOfAHedgedBook) {
  // Long 100,000 of instrument 1, short 66,667 of instrument 2 with σ 2% vs 3%: equal dollar
  // volatility. At ρ' = 1 the legs cancel exactly: σ_p' = |2,000 − 2,000| = 0.
  const Eigen::Vector3d e(100000.0, -2000.0 / 0.03, 0.0);
  auto result = stressed_parametric_var(covariance(), e, 1.0, 1.0, VarSpec{0.99, 1});
  ASSERT_TRUE(result);
  EXPECT_LT(result->stressed.var, result->base.var);
  EXPECT_NEAR(result->stressed.var, 0.0, 1e-3);  // rounding in eᵀΣe of terms near 4e6
}

TEST(StressVar, RepairsAnInputThatIsNotPositiveSemidefinite) {
  // ρ = I + 0.9·A with A = [[0,1,−1],[1,0,1],[−1,1,0]]. A has eigenvalues −2 (vector v = (1,−1,1))
  // and 1, 1, so ρ has −0.8, 1.9, 1.9: not a correlation matrix. Clipping gives 1.9·(I − vvᵀ/3),
  // diagonal 1.9·2/3; rescaling to a unit diagonal gives 1.5·(I − vvᵀ/3), i.e. off-diagonals
  // −0.5·v_i·v_j: ρ12 = 0.5, ρ13 = −0.5, ρ23 = 0.5 (eigenvalues 0, 1.5, 1.5).
  Eigen::Matrix3d rho;
  rho << 1.0, 0.9, -0.9,  //
      0.9, 1.0, 0.9,      //
      -0.9, 0.9, 1.0;
  const Eigen::Vector3d sigma(0.1, 0.2, 0.3);
  const Eigen::MatrixXd bad = sigma.asDiagonal() * rho * sigma.asDiagonal();
  auto stressed = stress_covariance(bad, 1.0, 0.0);
  ASSERT_TRUE(stressed) << stressed.error().to_string();
  EXPECT_TRUE(stressed->repaired);
  EXPECT_EQ(stressed->clipped_eigenvalues, 1);
  EXPECT_NEAR(stressed->min_eigenvalue, -0.8, 1e-12);
  Eigen::Matrix3d expected;
  expected << 1.0, 0.5, -0.5,  //
      0.5, 1.0, 0.5,           //
      -0.5, 0.5, 1.0;
  EXPECT_TRUE(stressed->correlation.isApprox(expected, 1e-12)) << stressed->correlation;
  const Eigen::Matrix3d expected_cov = sigma.asDiagonal() * expected * sigma.asDiagonal();
  EXPECT_TRUE(stressed->covariance.isApprox(expected_cov, 1e-12));

  // Exposures e_i = v_i/σ_i put the book on the negative eigenvector: eᵀΣe = vᵀρv = −0.8·3 = −2.4, a
  // negative variance, so var.hpp rejects Σ. On the repair, vᵀ·1.5(I − vvᵀ/3)·v = 1.5·(3 − 3) = 0.
  const Eigen::Vector3d e(1.0 / 0.1, -1.0 / 0.2, 1.0 / 0.3);
  EXPECT_FALSE(parametric_portfolio_var(bad, e, VarSpec{}));
  auto result = stressed_parametric_var(bad, e, 2.0, 0.0, VarSpec{});
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_TRUE(result->base_repaired);
  EXPECT_NEAR(result->base.var, 0.0, 1e-6);
  EXPECT_NEAR(result->stressed.var, 0.0, 1e-6);
}

TEST(StressVar, ShockingABadInputFullyNeedsNoRepair) {
  // ρ' = (1 − s)ρ + sJ: at s = 1 it is J whatever ρ was.
  Eigen::Matrix3d rho;
  rho << 1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0;
  auto stressed = stress_covariance(rho, 2.0, 1.0);
  ASSERT_TRUE(stressed);
  EXPECT_FALSE(stressed->repaired);
  EXPECT_TRUE(stressed->covariance.isApprox(4.0 * Eigen::MatrixXd::Ones(3, 3), 1e-14));
}

TEST(StressVar, ScenarioOverloadUsesItsVolAndCorrelationStress) {
  const std::vector<StressPosition> positions{
      {"BTCUSDT", "crypto-major", 2.0, 50000.0},  // 100,000
      {"ETHUSDT", "crypto-major", 20.0, 2500.0},  // 50,000
      {"SOLUSDT", "crypto-alt", 100.0, 200.0},    // 20,000
  };
  StressScenario s;
  s.name = "vol";
  s.vol_multiplier = 2.0;
  s.correlation_shock = 1.0;
  auto result = stressed_parametric_var(covariance(), positions, s, VarSpec{0.99, 1});
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_NEAR(result->stressed.var, kZ99 * 9000.0, kRel * kZ99 * 9000.0);  // as the closed form above

  const std::vector<StressPosition> two(positions.begin(), positions.begin() + 2);
  EXPECT_FALSE(stressed_parametric_var(covariance(), two, s, VarSpec{}));
}

TEST(StressVar, RejectsBadStressParameters) {
  EXPECT_FALSE(stress_covariance(covariance(), 0.0, 0.0));
  EXPECT_FALSE(stress_covariance(covariance(), 1.0, 1.5));
  EXPECT_FALSE(stress_covariance(covariance(), 1.0, -0.1));
  Eigen::Matrix3d asymmetric = covariance();
  asymmetric(0, 1) += 1e-3;
  EXPECT_FALSE(stress_covariance(asymmetric, 1.0, 0.0));
}

}  // namespace
}  // namespace ballast::analytics
