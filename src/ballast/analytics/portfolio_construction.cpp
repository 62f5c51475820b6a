#include "ballast/analytics/portfolio_construction.hpp"

#include "ballast/analytics/internal/risk_checks.hpp"

#include <fmt/format.h>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics {

namespace {

core::Error invalid(std::string message, std::string_view where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::string(where));
}

// Euclidean projection onto {Σw = 1, lower ≤ w ≤ upper}: w = clip(y − τ) with Σ clip(y − τ) = 1.
void project(const Eigen::VectorXd& y, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper, Eigen::VectorXd& w) {
  auto total = [&](double tau) { return (y.array() - tau).max(lower.array()).min(upper.array()).sum(); };
  // At tau_lo every coordinate sits at its upper bound (sum ≥ 1); at tau_hi at its lower (sum ≤ 1).
  double tau_lo = (y - upper).minCoeff();
  double tau_hi = (y - lower).maxCoeff();
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (tau_lo + tau_hi);
    if (mid <= tau_lo || mid >= tau_hi) break;
    (total(mid) > 1.0 ? tau_lo : tau_hi) = mid;
  }
  double tau = 0.5 * (tau_lo + tau_hi);
  // Solve Σ_free (y_i − τ) = 1 − Σ_fixed exactly on the coordinates strictly inside their bounds.
  double free_sum = 0.0;
  double fixed_sum = 0.0;
  Eigen::Index free_count = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double v = y[i] - tau;
    if (v > lower[i] && v < upper[i]) {
      free_sum += y[i];
      ++free_count;
    } else {
      fixed_sum += std::clamp(v, lower[i], upper[i]);
    }
  }
  if (free_count > 0) tau = (free_sum - (1.0 - fixed_sum)) / static_cast<double>(free_count);
  w = (y.array() - tau).max(lower.array()).min(upper.array()).matrix();
}

core::Status bounds_for(const MinVarianceConfig& config, Eigen::Index n, Eigen::VectorXd& lower,
                        Eigen::VectorXd& upper) {
  const auto count = static_cast<std::size_t>(n);
  auto fill = [&](const std::vector<double>& per_asset, double common, Eigen::VectorXd& out,
                  std::string_view what) -> core::Status {
    if (!per_asset.empty() && per_asset.size() != count) {
      return invalid(fmt::format("{} has {} entries for {} assets", what, per_asset.size(), count), what);
    }
    out.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      out[i] = per_asset.empty() ? common : per_asset[static_cast<std::size_t>(i)];
      if (!std::isfinite(out[i]))
        return invalid(fmt::format("{}[{}] is {}; bounds must be finite", what, i, out[i]), what);
    }
    return core::ok();
  };
  BALLAST_TRY(fill(config.lower_bounds, config.lower_bound, lower, "lower_bounds"));
  BALLAST_TRY(fill(config.upper_bounds, config.upper_bound, upper, "upper_bounds"));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (lower[i] > upper[i]) {
      return invalid(fmt::format("asset {}: lower bound {} exceeds upper bound {}", i, lower[i], upper[i]),
                     "lower_bounds");
    }
  }
  if (lower.sum() > 1.0 + 1e-12 || upper.sum() < 1.0 - 1e-12) {
    return invalid(fmt::format("bounds are infeasible: weights must sum to 1 but lower bounds sum to {} and upper "
                               "bounds to {}",
                               lower.sum(), upper.sum()),
                   "upper_bounds");
  }
  return core::ok();
}

core::Error not_converged(std::string_view what, int iterations, double residual, double tolerance) {
  return core::Error(core::ErrorCode::OutOfRange,
                     fmt::format("{} did not converge in {} iterations (residual {:.3g} > tolerance {:.3g})", what,
                                 iterations, residual, tolerance),
                     "max_iterations");
}

}  // namespace

core::Result<PortfolioWeights> minimum_variance_weights(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const MinVarianceConfig& config) {
  BALLAST_TRY(internal::require_covariance(covariance));
  const Eigen::Index n = covariance.rows();
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  BALLAST_TRY(bounds_for(config, n, lower, upper));
  if (!(config.tolerance > 0.0) || config.max_iterations < 1) {
    return invalid("tolerance must be positive and max_iterations at least 1", "tolerance");
  }
  const Eigen::MatrixXd sigma = covariance;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(sigma, Eigen::EigenvaluesOnly);
  const double lipschitz = 2.0 * std::max(eig.eigenvalues().maxCoeff(), 0.0);

  Eigen::VectorXd w(n);
  project(Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n)), lower, upper, w);
  PortfolioWeights out;
  if (lipschitz == 0.0) {  // zero covariance: every feasible portfolio has zero variance
    out.weights = w;
    return out;
  }
  Eigen::VectorXd y = w;
  Eigen::VectorXd next(n);
  Eigen::VectorXd step(n);
  double t = 1.0;
  double residual = 0.0;
  for (int k = 1; k <= config.max_iterations; ++k) {
    step.noalias() = y - (2.0 / lipschitz) * (sigma * y);
    project(step, lower, upper, next);
    residual = (next - y).cwiseAbs().maxCoeff();
    if (residual <= config.tolerance) {
      out.weights = next;
      out.volatility = std::sqrt(std::max(next.dot(sigma * next), 0.0));
      out.iterations = k;
      return out;
    }
    if ((y - next).dot(next - w) > 0.0) {  // momentum points uphill: restart
      t = 1.0;
      y = next;
    } else {
      const double t_next = 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
      y = next + ((t - 1.0) / t_next) * (next - w);
      t = t_next;
    }
    w = next;
  }
  return not_converged("minimum-variance optimisation", config.max_iterations, residual, config.tolerance);
}

core::Result<PortfolioWeights> risk_parity_weights(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   const RiskParityConfig& config) {
  BALLAST_TRY(internal::require_covariance(covariance));
  const Eigen::Index n = covariance.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!(covariance(i, i) > 0.0)) {
      return invalid(fmt::format("asset {} has zero variance; risk parity needs every asset to carry risk", i),
                     "covariance");
    }
  }
  Eigen::VectorXd budget(n);
  if (config.budgets.empty()) {
    budget.setConstant(1.0 / static_cast<double>(n));
  } else {
    if (config.budgets.size() != static_cast<std::size_t>(n)) {
      return invalid(fmt::format("{} risk budgets for {} assets", config.budgets.size(), n), "budgets");
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      const double b = config.budgets[static_cast<std::size_t>(i)];
      if (!(b > 0.0) || !std::isfinite(b)) {
        return invalid(fmt::format("budgets[{}] is {}; risk budgets must be positive", i, b), "budgets");
      }
      budget[i] = b;
    }
    budget /= budget.sum();
  }
  if (!(config.tolerance > 0.0) || config.max_sweeps < 1) {
    return invalid("tolerance must be positive and max_sweeps at least 1", "tolerance");
  }
  const Eigen::MatrixXd sigma = covariance;
  // Start from the uncorrelated solution y_i = √(b_i/Σ_ii).
  Eigen::VectorXd y = (budget.array() / sigma.diagonal().array()).sqrt().matrix();
  Eigen::VectorXd sigma_y = sigma * y;
  double residual = 0.0;
  for (int sweep = 1; sweep <= config.max_sweeps; ++sweep) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const double s_ii = sigma(i, i);
      const double c = sigma_y[i] - s_ii * y[i];
      const double updated = (-c + std::sqrt(c * c + 4.0 * s_ii * budget[i])) / (2.0 * s_ii);
      sigma_y.noalias() += (updated - y[i]) * sigma.col(i);
      y[i] = updated;
    }
    sigma_y.noalias() = sigma * y;  // refresh: no drift from the rank-one updates
    residual = ((y.cwiseProduct(sigma_y) - budget).array() / budget.array()).abs().maxCoeff();
    if (!std::isfinite(residual) || !y.allFinite()) break;
    if (residual <= config.tolerance) {
      PortfolioWeights out;
      out.weights = y / y.sum();
      out.volatility = std::sqrt(std::max(out.weights.dot(sigma * out.weights), 0.0));
      out.iterations = sweep;
      return out;
    }
  }
  return not_converged("risk-parity coordinate descent", config.max_sweeps, residual, config.tolerance);
}

core::Result<RiskContributions> risk_contributions(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   const Eigen::Ref<const Eigen::VectorXd>& weights) {
  BALLAST_TRY(internal::require_covariance(covariance));
  BALLAST_TRY(internal::require_size(weights, covariance.rows(), "weights", "the covariance"));
  BALLAST_TRY(internal::require_finite_vector(weights, "weights"));
  const Eigen::VectorXd sigma_w = covariance * weights;
  const double variance = weights.dot(sigma_w);
  if (!(variance > 0.0)) {
    return invalid(fmt::format("portfolio variance is {}; risk contributions are undefined", variance), "weights");
  }
  RiskContributions out;
  out.volatility = std::sqrt(variance);
  out.marginal = sigma_w / out.volatility;
  out.absolute = weights.cwiseProduct(out.marginal);
  out.fraction = out.absolute / out.volatility;
  return out;
}

}  // namespace ballast::analytics
