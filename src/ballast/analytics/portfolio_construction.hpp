#pragma once
// Long-only portfolio construction from a covariance matrix: minimum-variance weights under bounds,
// risk parity (equal or budgeted risk contributions), and the risk contribution of each position.
//
// Weights are fractions of capital that sum to 1. Risk is the one-period standard deviation of
// portfolio return, σ(w) = √(wᵀΣw); position i contributes RC_i = w_i·(Σw)_i/σ, and the RC_i sum to σ
// (Euler's theorem, σ being homogeneous of degree 1).

#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <vector>

namespace ballast::analytics {

// minimise wᵀΣw subject to Σw_i = 1 and lower_i ≤ w_i ≤ upper_i.
// Method: accelerated projected gradient (FISTA, Beck & Teboulle, SIAM J. Imaging Sciences 2(1),
// 2009) with step 1/L, L = 2·λ_max(Σ) the gradient's Lipschitz constant, and the gradient restart of
// O'Donoghue & Candès (Found. Comput. Math. 15, 2015). The projection onto {Σw = 1, l ≤ w ≤ u} is
// w = clip(y − τ, l, u) with the scalar τ found by bisection and then solved exactly on the free
// coordinates. Stops when the gradient-mapping step ‖P(y − ∇f(y)/L) − y‖∞ ≤ tolerance, i.e. the
// weights are stationary to `tolerance`; the problem is convex, so that is the global minimum
// (unique when Σ is positive definite).
struct MinVarianceConfig {
  double lower_bound = 0.0;          // every asset, unless lower_bounds is given
  double upper_bound = 1.0;          // every asset, unless upper_bounds is given
  std::vector<double> lower_bounds;  // optional, one per asset
  std::vector<double> upper_bounds;  // optional, one per asset
  double tolerance = 1e-12;
  int max_iterations = 200'000;
};

// Risk parity, long only: weights whose risk contributions are proportional to the budgets b
// (equal when empty). Solved as Spinu's convex problem (Spinu, "An Algorithm for Computing Risk
// Parity Weights", SSRN 2297383, 2013) min ½yᵀΣy − Σ b_i ln y_i over y > 0, whose optimum has
// y_i(Σy)_i = b_i, by cyclical coordinate descent with the closed-form coordinate minimiser
// y_i = (−c_i + √(c_i² + 4Σ_ii b_i)) / (2Σ_ii), c_i = (Σy)_i − Σ_ii y_i (Griveau-Billion, Richard &
// Roncalli, "A Fast Algorithm for Computing High-Dimensional Risk Parity Portfolios", SSRN 2325255,
// 2013); then w = y/Σy. Stops when max_i |y_i(Σy)_i − b_i|/b_i ≤ tolerance after a sweep, i.e. each
// relative risk contribution matches its budget to that relative accuracy. Needs Σ_ii > 0.
struct RiskParityConfig {
  std::vector<double> budgets;  // optional, positive; normalised to sum to 1
  double tolerance = 1e-12;
  int max_sweeps = 100'000;
};

struct PortfolioWeights {
  Eigen::VectorXd weights;  // sum to 1
  double volatility = 0.0;  // σ(w), one period
  int iterations = 0;       // FISTA iterations or coordinate-descent sweeps
};

struct RiskContributions {
  double volatility = 0.0;   // σ(w)
  Eigen::VectorXd marginal;  // ∂σ/∂w_i = (Σw)_i/σ
  Eigen::VectorXd absolute;  // w_i·(Σw)_i/σ, sums to σ
  Eigen::VectorXd fraction;  // absolute/σ, sums to 1
};

// Errors: invalid covariance, infeasible bounds (Σ lower > 1 or Σ upper < 1, lower > upper), or no
// convergence within max_iterations (OUT_OF_RANGE, with the residual reached).
core::Result<PortfolioWeights> minimum_variance_weights(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const MinVarianceConfig& config = {});
// Errors: invalid covariance, a zero variance (no risk to budget), bad budgets, or no convergence
// (e.g. perfectly hedging assets, where risk parity has zero risk and no solution).
core::Result<PortfolioWeights> risk_parity_weights(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   const RiskParityConfig& config = {});
// Errors when σ(w) = 0 (contributions undefined) or sizes differ.
core::Result<RiskContributions> risk_contributions(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   const Eigen::Ref<const Eigen::VectorXd>& weights);

}  // namespace ballast::analytics
