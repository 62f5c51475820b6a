#include "ballast/analytics/monte_carlo_var.hpp"

#include "ballast/analytics/covariance.hpp"
#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace ballast::analytics {
namespace {

// Five instruments, vols 1–3% a day, correlations 0.3 (0.6 between the first two), and a book of
// longs and shorts in currency.
Eigen::MatrixXd five_asset_covariance() {
  const Eigen::VectorXd vol = (Eigen::VectorXd(5) << 0.01, 0.015, 0.02, 0.025, 0.03).finished();
  Eigen::MatrixXd corr = Eigen::MatrixXd::Constant(5, 5, 0.3);
  corr(0, 1) = corr(1, 0) = 0.6;
  corr.diagonal().setOnes();
  return vol.asDiagonal() * corr * vol.asDiagonal();
}
Eigen::VectorXd five_asset_book() {
  return (Eigen::VectorXd(5) << 1e6, -4e5, 2e5, 3e5, -1e5).finished();
}

double portfolio_sigma(const Eigen::MatrixXd& cov, const Eigen::VectorXd& e) {
  return std::sqrt(e.dot(cov * e));
}

TEST(MonteCarloVar, NormalScenariosAgreeWithParametricWithinThreeStandardErrors) {
  const Eigen::MatrixXd cov = five_asset_covariance();
  const Eigen::VectorXd e = five_asset_book();
  MonteCarloConfig config;
  config.scenarios = 100'000;
  config.seed = 12345;
  auto mc = monte_carlo_var(cov, e, {0.99, 1}, config);
  auto exact = parametric_portfolio_var(cov, e, {0.99, 1});
  ASSERT_TRUE(mc) << mc.error().to_string();
  ASSERT_TRUE(exact);
  EXPECT_NEAR(mc->var, exact->var, 3.0 * mc->var_standard_error);
  EXPECT_NEAR(mc->expected_shortfall, exact->expected_shortfall, 3.0 * mc->es_standard_error);
  // The quantile's asymptotic s.e. √(c(1 − c)/n)/f(q) = σ_p·√(0.99·0.01/n)/φ(z): the
  // order-statistic estimate should be within 25% of it.
  const double theory = portfolio_sigma(cov, e) * std::sqrt(0.99 * 0.01 / 100'000.0) / 0.02665214220345808;
  EXPECT_NEAR(mc->var_standard_error / theory, 1.0, 0.25);
  EXPECT_GT(mc->es_standard_error, 0.0);
  EXPECT_EQ(mc->scenarios, 100'000u);
}

TEST(MonteCarloVar, MeanAndHorizonScaleLikeTheNormalModel) {
  const Eigen::MatrixXd cov = five_asset_covariance();
  const Eigen::VectorXd e = five_asset_book();
  const Eigen::VectorXd mu = Eigen::VectorXd::Constant(5, 0.001);
  MonteCarloConfig config;
  config.scenarios = 50'000;
  auto mc = monte_carlo_var(cov, e, mu, {0.975, 10}, config);
  auto exact = parametric_portfolio_var(cov, e, mu, {0.975, 10});
  ASSERT_TRUE(mc && exact);
  EXPECT_NEAR(mc->var, exact->var, 3.0 * mc->var_standard_error);
  EXPECT_NEAR(mc->expected_shortfall, exact->expected_shortfall, 3.0 * mc->es_standard_error);
}

TEST(MonteCarloVar, StudentTScenariosMatchTheScaledTQuantile) {
  // A linear portfolio of a multivariate t_ν scaled to covariance Σ is σ_p·√((ν − 2)/ν)·T_ν. With
  // t_5^{-1}(0.99) = 3.36492999890721 (tables; R qt(0.99, 5)) and the t ES
  // f_ν(t)/(1 − c)·(ν + t²)/(ν − 1) (McNeil, Frey & Embrechts 2015, Example 2.15).
  const Eigen::MatrixXd cov = five_asset_covariance();
  const Eigen::VectorXd e = five_asset_book();
  const double nu = 5.0;
  const double t = 3.36492999890721;
  const double density = std::tgamma((nu + 1) / 2) / (std::sqrt(nu * std::numbers::pi) * std::tgamma(nu / 2)) *
                         std::pow(1.0 + t * t / nu, -(nu + 1) / 2);
  const double scale = portfolio_sigma(cov, e) * std::sqrt((nu - 2.0) / nu);
  MonteCarloConfig config;
  config.distribution = ScenarioDistribution::StudentT;
  config.degrees_of_freedom = nu;
  config.scenarios = 200'000;
  config.seed = 8;
  auto mc = monte_carlo_var(cov, e, {0.99, 1}, config);
  ASSERT_TRUE(mc) << mc.error().to_string();
  EXPECT_NEAR(mc->var, scale * t, 3.0 * mc->var_standard_error);
  EXPECT_NEAR(mc->expected_shortfall, scale * density / 0.01 * (nu + t * t) / (nu - 1.0), 3.0 * mc->es_standard_error);
  // Fatter tail than the normal with the same covariance.
  auto normal = parametric_portfolio_var(cov, e, {0.99, 1});
  EXPECT_GT(mc->expected_shortfall, normal->expected_shortfall);
}

TEST(MonteCarloVar, SingularCovarianceStillSimulates) {
  // Perfectly correlated pair: VaR is the sum of the two VaRs.
  Eigen::Matrix2d cov;
  cov << 0.0004, 0.0006, 0.0006, 0.0009;
  const Eigen::Vector2d e(1e6, 1e6);
  MonteCarloConfig config;
  config.scenarios = 50'000;
  auto mc = monte_carlo_var(cov, e, {0.99, 1}, config);
  ASSERT_TRUE(mc) << mc.error().to_string();
  EXPECT_NEAR(mc->var, 2.326347874040841 * (0.02 + 0.03) * 1e6, 3.0 * mc->var_standard_error);
}

TEST(MonteCarloVarSimulator, AnySplitOfTheScenarioRangeGivesTheSameOutcomes) {
  MonteCarloConfig config;
  config.distribution = ScenarioDistribution::StudentT;
  config.scenarios = 1000;
  auto sim = MonteCarloVarSimulator::create(five_asset_covariance(), five_asset_book(), {0.99, 1}, config);
  ASSERT_TRUE(sim);
  std::vector<double> whole(1000);
  sim->simulate_pnl(0, 1000, whole);
  std::vector<double> split(1000);
  sim->simulate_pnl(0, 377, std::span<double>(split).first(377));
  sim->simulate_pnl(377, 1000, std::span<double>(split).subspan(377));
  EXPECT_EQ(whole, split);
  // Same seed, same numbers; another seed, others.
  auto again = MonteCarloVarSimulator::create(five_asset_covariance(), five_asset_book(), {0.99, 1}, config);
  std::vector<double> repeat(1000);
  again->simulate_pnl(0, 1000, repeat);
  EXPECT_EQ(whole, repeat);
  config.seed = 2;
  auto other = MonteCarloVarSimulator::create(five_asset_covariance(), five_asset_book(), {0.99, 1}, config);
  other->simulate_pnl(0, 1000, repeat);
  EXPECT_NE(whole, repeat);
}

TEST(MonteCarloVarSimulator, ReturnScenariosReproduceThePnlAndTheCovariance) {
  const Eigen::MatrixXd cov = five_asset_covariance();
  const Eigen::VectorXd e = five_asset_book();
  MonteCarloConfig config;
  config.scenarios = 40'000;
  auto sim = MonteCarloVarSimulator::create(cov, e, {0.99, 2}, config);
  ASSERT_TRUE(sim);
  Eigen::MatrixXd r(5, 40'000);
  sim->simulate_returns(0, 40'000, r);
  std::vector<double> pnl(40'000);
  sim->simulate_pnl(0, 40'000, pnl);
  for (Eigen::Index k = 0; k < 40'000; k += 997) {
    EXPECT_NEAR(e.dot(r.col(k)), pnl[static_cast<std::size_t>(k)], 1e-9 * portfolio_sigma(cov, e));
  }
  // Sample covariance of 2-period returns ≈ 2Σ; each entry's s.e. is about (2Σ_ii)/√n ≈ 1e-5 at most.
  auto sample = sample_covariance(r.transpose());
  ASSERT_TRUE(sample);
  EXPECT_LT((*sample - 2.0 * cov).cwiseAbs().maxCoeff(), 5e-5);
}

TEST(MonteCarloVar, RejectsTooFewScenariosAndBadDegreesOfFreedom) {
  MonteCarloConfig config;
  config.scenarios = 150;  // (1 − 0.99)·150 = 1.5 tail outcomes < 2
  EXPECT_FALSE(monte_carlo_var(five_asset_covariance(), five_asset_book(), {0.99, 1}, config));
  config.scenarios = 1000;
  config.distribution = ScenarioDistribution::StudentT;
  config.degrees_of_freedom = 2.0;
  auto r = monte_carlo_var(five_asset_covariance(), five_asset_book(), {0.99, 1}, config);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "degrees_of_freedom");
}

TEST(MonteCarloVarSimulator, RequiresTheOutputToMatchTheRange) {
  auto sim = MonteCarloVarSimulator::create(five_asset_covariance(), five_asset_book(), {0.99, 1}, {});
  ASSERT_TRUE(sim);
  std::vector<double> out(10);
  EXPECT_THROW(sim->simulate_pnl(0, 11, out), core::InvariantError);
}

}  // namespace
}  // namespace ballast::analytics
