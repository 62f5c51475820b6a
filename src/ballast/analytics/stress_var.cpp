#include "ballast/analytics/stress_var.hpp"

#include "ballast/analytics/covariance.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"

#include <fmt/format.h>
#include <Eigen/Eigenvalues>

#include <cmath>

namespace ballast::analytics {

namespace {

// Eigenvalues of a correlation matrix below this are rounding, not a broken input; the scale is the
// matrix's, whose diagonal is 1.
constexpr double kNegativeEigenvalueTolerance = 1e-10;

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

}  // namespace

core::Result<StressedCovariance> stress_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   double vol_multiplier, double correlation_shock) {
  BALLAST_TRY(internal::require_covariance(covariance));
  if (!std::isfinite(vol_multiplier) || vol_multiplier <= 0.0) {
    return invalid(fmt::format("vol multiplier {} must be finite and positive", vol_multiplier), "vol_multiplier");
  }
  if (!(correlation_shock >= 0.0 && correlation_shock <= 1.0)) {
    return invalid(fmt::format("correlation shock {} is outside [0, 1]", correlation_shock), "correlation_shock");
  }

  auto base_correlation = correlation_from_covariance(covariance);
  if (!base_correlation) return base_correlation.error();
  const Eigen::Index n = covariance.rows();
  // ρ' = (1 − s)·ρ + s·J; the diagonal stays exactly 1.
  Eigen::MatrixXd shocked =
      (1.0 - correlation_shock) * *base_correlation + correlation_shock * Eigen::MatrixXd::Ones(n, n);
  shocked.diagonal().setOnes();

  StressedCovariance out;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(shocked);
  if (eigen.info() != Eigen::Success) {
    return core::Error(core::ErrorCode::Internal, "eigendecomposition of the stressed correlation failed",
                       "covariance");
  }
  out.min_eigenvalue = eigen.eigenvalues().minCoeff();
  if (out.min_eigenvalue < -kNegativeEigenvalueTolerance) {
    Eigen::VectorXd clipped = eigen.eigenvalues();
    for (Eigen::Index k = 0; k < n; ++k) {
      if (clipped[k] < 0.0) {
        clipped[k] = 0.0;
        ++out.clipped_eigenvalues;
      }
    }
    Eigen::MatrixXd psd = eigen.eigenvectors() * clipped.asDiagonal() * eigen.eigenvectors().transpose();
    // Back to a unit diagonal. A zero diagonal would need every eigenvector of positive eigenvalue to
    // vanish in that coordinate; keep such a row at zero correlation rather than divide by zero.
    const Eigen::VectorXd d = psd.diagonal();
    Eigen::VectorXd inv_sqrt(n);
    for (Eigen::Index k = 0; k < n; ++k) inv_sqrt[k] = d[k] > 0.0 ? 1.0 / std::sqrt(d[k]) : 0.0;
    shocked = inv_sqrt.asDiagonal() * psd * inv_sqrt.asDiagonal();
    shocked = 0.5 * (shocked + shocked.transpose());
    shocked.diagonal().setOnes();
    out.repaired = true;
  }

  const Eigen::VectorXd sigma = vol_multiplier * covariance.diagonal().cwiseSqrt();
  out.covariance = sigma.asDiagonal() * shocked * sigma.asDiagonal();
  out.correlation = std::move(shocked);
  return out;
}

core::Result<StressedVar> stressed_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                  const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                  double vol_multiplier, double correlation_shock,
                                                  const VarSpec& spec) {
  BALLAST_TRY(validate(spec));
  auto unstressed = stress_covariance(covariance, 1.0, 0.0);
  if (!unstressed) return unstressed.error();
  auto stressed_cov = stress_covariance(covariance, vol_multiplier, correlation_shock);
  if (!stressed_cov) return stressed_cov.error();
  // Σ as given unless it needed a repair, so an unstressed run reproduces parametric_portfolio_var.
  auto base = unstressed->repaired ? parametric_portfolio_var(unstressed->covariance, exposures, spec)
                                   : parametric_portfolio_var(covariance, exposures, spec);
  if (!base) return base.error();
  auto stressed = parametric_portfolio_var(stressed_cov->covariance, exposures, spec);
  if (!stressed) return stressed.error();
  return StressedVar{*base, *stressed, unstressed->repaired, std::move(*stressed_cov)};
}

core::Result<StressedVar> stressed_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                  std::span<const StressPosition> positions,
                                                  const StressScenario& scenario, const VarSpec& spec) {
  BALLAST_TRY(check_positions(positions));
  if (static_cast<Eigen::Index>(positions.size()) != covariance.rows()) {
    return invalid(fmt::format("{} positions but the covariance has {} rows; one row per position is needed",
                               positions.size(), covariance.rows()),
                   "covariance");
  }
  return stressed_parametric_var(covariance, position_exposures(positions), scenario.vol_multiplier,
                                 scenario.correlation_shock, spec);
}

}  // namespace ballast::analytics
