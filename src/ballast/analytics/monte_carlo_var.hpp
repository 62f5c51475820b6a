#pragma once
// Monte Carlo VaR and ES of linear positions under a multivariate normal or Student-t model of
// h-period returns, with standard errors of both estimates.
//
// Model: h-period returns r = μh + √h·s·B·z, with Σ = B·Bᵀ the one-period covariance (Cholesky, or
// clipped eigenvalues when Σ is only semidefinite, see factor_covariance), z ~ N(0, I) and
//  - Normal: s = 1, so r ~ N(μh, hΣ);
//  - StudentT: s = √((ν − 2)/W) with W ~ χ²_ν shared by all instruments in a scenario, so r is
//    multivariate t with ν degrees of freedom (joint fat tails) SCALED TO THE SAME COVARIANCE hΣ
//    (needs ν > 2). A sum of h i.i.d. t periods is not t; modelling the h-period return as t is the
//    usual approximation.
// P&L = e·r (the linear approximation, see var.hpp). Since e·B·z = (Bᵀe)·z, P&L needs one dot
// product per scenario after b = Bᵀe is precomputed; simulate_returns() gives the full N-vectors for
// callers that revalue non-linear positions, from the same draws.
//
// Determinism and parallelism: scenario k draws only from RandomStream(seed, k), so its outcome is a
// function of (seed, k) alone and any split of [0, scenarios) over threads reproduces the
// single-threaded result bit for bit. Analytics may not start threads; a caller parallelises by
// giving each thread a disjoint range of one output buffer:
//   auto sim = MonteCarloVarSimulator::create(cov, e, spec, config);        // once
//   std::vector<double> pnl(config.scenarios);
//   thread A: sim->simulate_pnl(0, half, {pnl.data(), half});
//   thread B: sim->simulate_pnl(half, n, {pnl.data() + half, n - half});
//   auto estimate = monte_carlo_summary(pnl, spec.confidence);              // after both join
// simulate_pnl and simulate_returns are const and touch no shared mutable state.
//
// Estimates: VaR and ES as in empirical_var (var.hpp). Standard errors:
//  - VaR: the asymptotic s.e. of a sample quantile, √(c(1 − c)/n) / f(q), with the sparsity 1/f(q)
//    estimated by the difference quotient of order statistics d ranks either side of the quantile,
//    d = √(n c (1 − c)) the binomial standard deviation of the count below it (Siddiqui, J. Research
//    NBS 64B, 1960): s.e. ≈ d·(L_(hi) − L_(lo)) / (hi − lo).
//  - ES: Var(ÊS) ≈ [Var(L | L ≥ VaR) + c·(ES − VaR)²] / (n(1 − c)) (Manistre & Hancock, "Variance of
//    the CTE Estimator", North American Actuarial J. 9(2), 2005), from the tail outcomes.
// Both need at least two outcomes in the tail: n ≥ 2/(1 − c).

#include "ballast/analytics/var.hpp"
#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>

namespace ballast::analytics {

enum class ScenarioDistribution {
  Normal,
  StudentT,
};

struct MonteCarloConfig {
  ScenarioDistribution distribution = ScenarioDistribution::Normal;
  double degrees_of_freedom = 5.0;  // StudentT only; must exceed 2 for the covariance to exist
  std::uint64_t seed = 1;
  std::size_t scenarios = 100'000;
};

struct MonteCarloVarEstimate {
  double var = 0.0;
  double expected_shortfall = 0.0;
  double var_standard_error = 0.0;
  double es_standard_error = 0.0;
  std::size_t scenarios = 0;
};

class MonteCarloVarSimulator {
 public:
  // Factorises the covariance once. Mean returns are per period; the overload without them uses 0.
  static core::Result<MonteCarloVarSimulator> create(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                     const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                     const VarSpec& spec, const MonteCarloConfig& config);
  static core::Result<MonteCarloVarSimulator> create(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                     const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                     const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                     const VarSpec& spec, const MonteCarloConfig& config);

  Eigen::Index instruments() const noexcept { return factor_.rows(); }
  const MonteCarloConfig& config() const noexcept { return config_; }
  const VarSpec& spec() const noexcept { return spec_; }

  // P&L of scenarios [begin, end) into out[0 .. end − begin). Requires begin ≤ end and
  // out.size() == end − begin.
  void simulate_pnl(std::size_t begin, std::size_t end, std::span<double> out) const;
  // h-period return vectors of scenarios [begin, end) as the columns of `out` (N × (end − begin)).
  void simulate_returns(std::size_t begin, std::size_t end, Eigen::Ref<Eigen::MatrixXd> out) const;

 private:
  MonteCarloVarSimulator() = default;
  // Draws z into `z` (N) for scenario k and returns its scale s.
  double draw(std::size_t scenario, double* z) const;

  Eigen::MatrixXd factor_;     // B
  Eigen::VectorXd loading_;    // b = Bᵀe
  Eigen::VectorXd mean_;       // μ, one period
  double mean_pnl_ = 0.0;      // e·μ·h
  double horizon_ = 1.0;       // h
  double sqrt_horizon_ = 1.0;  // √h
  VarSpec spec_;
  MonteCarloConfig config_;
};

// VaR, ES and their standard errors from simulated outcomes (reorders `pnl`). Needs at least
// 2/(1 − c) outcomes.
core::Result<MonteCarloVarEstimate> monte_carlo_summary(std::span<double> pnl, double confidence);

// Single-threaded convenience: create, simulate all scenarios, summarise.
core::Result<MonteCarloVarEstimate> monte_carlo_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec, const MonteCarloConfig& config);
core::Result<MonteCarloVarEstimate> monte_carlo_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                    const VarSpec& spec, const MonteCarloConfig& config);

}  // namespace ballast::analytics
