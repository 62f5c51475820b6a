#include "ballast/analytics/monte_carlo_var.hpp"

#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"
#include "ballast/analytics/internal/tail_split.hpp"
#include "ballast/analytics/random_stream.hpp"
#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace ballast::analytics {

namespace {
core::Error invalid(std::string message, std::string_view where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::string(where));
}
}  // namespace

core::Result<MonteCarloVarSimulator> MonteCarloVarSimulator::create(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                                    const VarSpec& spec,
                                                                    const MonteCarloConfig& config) {
  return create(covariance, exposures, Eigen::VectorXd::Zero(exposures.size()), spec, config);
}

core::Result<MonteCarloVarSimulator> MonteCarloVarSimulator::create(
    const Eigen::Ref<const Eigen::MatrixXd>& covariance, const Eigen::Ref<const Eigen::VectorXd>& exposures,
    const Eigen::Ref<const Eigen::VectorXd>& mean_returns, const VarSpec& spec, const MonteCarloConfig& config) {
  BALLAST_TRY(validate(spec));
  BALLAST_TRY(internal::require_covariance(covariance));
  BALLAST_TRY(internal::require_size(exposures, covariance.rows(), "exposures", "the covariance"));
  BALLAST_TRY(internal::require_size(mean_returns, covariance.rows(), "mean_returns", "the covariance"));
  BALLAST_TRY(internal::require_finite_vector(exposures, "exposures"));
  BALLAST_TRY(internal::require_finite_vector(mean_returns, "mean_returns"));
  if (config.scenarios == 0) return invalid("Monte Carlo needs at least one scenario", "scenarios");
  if (config.distribution == ScenarioDistribution::StudentT &&
      !(config.degrees_of_freedom > 2.0 && std::isfinite(config.degrees_of_freedom))) {
    return invalid(fmt::format("Student-t scenarios need finite degrees of freedom > 2 (for a covariance), got {}",
                               config.degrees_of_freedom),
                   "degrees_of_freedom");
  }
  auto factor = factor_covariance(covariance);
  if (!factor) return factor.error();

  MonteCarloVarSimulator sim;
  sim.factor_ = std::move(factor->matrix);
  sim.loading_ = sim.factor_.transpose() * exposures;
  sim.mean_ = mean_returns;
  const double h = static_cast<double>(spec.horizon);
  sim.mean_pnl_ = exposures.dot(mean_returns) * h;
  sim.horizon_ = h;
  sim.sqrt_horizon_ = std::sqrt(h);
  sim.spec_ = spec;
  sim.config_ = config;
  return sim;
}

double MonteCarloVarSimulator::draw(std::size_t scenario, double* z) const {
  RandomStream stream(config_.seed, scenario);
  const Eigen::Index n = factor_.rows();
  for (Eigen::Index i = 0; i < n; ++i) z[i] = stream.normal();
  if (config_.distribution == ScenarioDistribution::Normal) return 1.0;
  const double nu = config_.degrees_of_freedom;
  return std::sqrt((nu - 2.0) / stream.chi_square(nu));
}

void MonteCarloVarSimulator::simulate_pnl(std::size_t begin, std::size_t end, std::span<double> out) const {
  BALLAST_REQUIRE(begin <= end && out.size() == end - begin,
                  fmt::format("simulate_pnl: range [{}, {}) does not match an output of {}", begin, end, out.size()));
  std::vector<double> z(static_cast<std::size_t>(factor_.rows()));
  const Eigen::Map<const Eigen::VectorXd> zv(z.data(), factor_.rows());
  for (std::size_t k = begin; k < end; ++k) {
    const double scale = draw(k, z.data());
    out[k - begin] = mean_pnl_ + sqrt_horizon_ * scale * loading_.dot(zv);
  }
}

void MonteCarloVarSimulator::simulate_returns(std::size_t begin, std::size_t end,
                                              Eigen::Ref<Eigen::MatrixXd> out) const {
  BALLAST_REQUIRE(begin <= end && out.rows() == factor_.rows() && static_cast<std::size_t>(out.cols()) == end - begin,
                  fmt::format("simulate_returns: range [{}, {}) does not match an output of {}x{}", begin, end,
                              out.rows(), out.cols()));
  Eigen::VectorXd scale(out.cols());
  for (std::size_t k = begin; k < end; ++k) {
    const auto col = static_cast<Eigen::Index>(k - begin);
    scale[col] = sqrt_horizon_ * draw(k, out.col(col).data());
  }
  // A plain product even when B is triangular: Eigen's general kernel beats its triangular one
  // by about 2x at N = 100 despite multiplying the zeros (bench/analytics/var_bench.cpp).
  const Eigen::MatrixXd correlated = factor_ * out;
  out.noalias() = correlated * scale.asDiagonal();
  out.colwise() += mean_ * horizon_;
}

core::Result<MonteCarloVarEstimate> monte_carlo_summary(std::span<double> pnl, double confidence) {
  BALLAST_TRY(internal::require_confidence(confidence));
  BALLAST_TRY(require_finite(pnl, "pnl"));
  const std::size_t n = pnl.size();
  const double tail_mass = (1.0 - confidence) * static_cast<double>(n);
  if (tail_mass + 1e-12 * static_cast<double>(n) < 2.0) {
    return invalid(fmt::format("{} outcomes leave {:.3g} in the tail at confidence {}; standard errors need at "
                               "least 2, so n ≥ 2/(1 − c)",
                               n, tail_mass, confidence),
                   "scenarios");
  }
  const internal::TailSplit tail = internal::split_tail(confidence, n);
  const std::size_t m = tail.whole;  // VaR is the (m+1)-th lowest P&L, index m ascending
  const double spread = std::sqrt(static_cast<double>(n) * confidence * (1.0 - confidence));
  const auto reach = static_cast<std::size_t>(std::ceil(spread));
  const std::size_t lo = m >= reach ? m - reach : 0;
  const std::size_t hi = std::min(m + reach, n - 1);
  // Only the hi + 1 lowest outcomes matter: select them, then sort that prefix.
  const auto end_of_prefix = pnl.begin() + static_cast<std::ptrdiff_t>(hi + 1);
  std::nth_element(pnl.begin(), pnl.begin() + static_cast<std::ptrdiff_t>(hi), pnl.end());
  std::sort(pnl.begin(), end_of_prefix);

  MonteCarloVarEstimate out;
  out.scenarios = n;
  const double worst_sum = std::accumulate(pnl.begin(), pnl.begin() + static_cast<std::ptrdiff_t>(m), 0.0);
  out.var = -pnl[m];
  out.expected_shortfall = -(worst_sum + tail.fraction * pnl[m]) / tail.mass;
  out.var_standard_error = hi > lo ? spread * (pnl[hi] - pnl[lo]) / static_cast<double>(hi - lo) : 0.0;

  // Var(L | L ≥ VaR) from the m outcomes wholly in the tail (m ≥ 2 because τ ≥ 2).
  const double mean_loss = -worst_sum / static_cast<double>(m);
  double tail_variance = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    const double d = -pnl[i] - mean_loss;
    tail_variance += d * d;
  }
  tail_variance /= static_cast<double>(m - 1);
  const double gap = out.expected_shortfall - out.var;
  out.es_standard_error = std::sqrt((tail_variance + confidence * gap * gap) / tail.mass);
  return out;
}

core::Result<MonteCarloVarEstimate> monte_carlo_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec, const MonteCarloConfig& config) {
  return monte_carlo_var(covariance, exposures, Eigen::VectorXd::Zero(exposures.size()), spec, config);
}

core::Result<MonteCarloVarEstimate> monte_carlo_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                    const VarSpec& spec, const MonteCarloConfig& config) {
  auto sim = MonteCarloVarSimulator::create(covariance, exposures, mean_returns, spec, config);
  if (!sim) return sim.error();
  std::vector<double> pnl(config.scenarios);
  sim->simulate_pnl(0, config.scenarios, pnl);
  return monte_carlo_summary(pnl, spec.confidence);
}

}  // namespace ballast::analytics
