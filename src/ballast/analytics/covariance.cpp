#include "ballast/analytics/covariance.hpp"

#include "ballast/analytics/internal/gram.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"

#include <fmt/format.h>
#include <Eigen/Cholesky>
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

core::Status require_returns(const Eigen::Ref<const Eigen::MatrixXd>& returns, Eigen::Index min_rows) {
  if (returns.cols() == 0) return invalid("returns has no columns (instruments)", "returns");
  if (returns.rows() < min_rows) {
    return invalid(
        fmt::format("returns has {} row(s); this estimator needs at least {} observations", returns.rows(), min_rows),
        "returns");
  }
  return internal::require_finite_matrix(returns, "returns");
}

// Y = returns with each column's mean removed.
Eigen::MatrixXd demeaned(const Eigen::Ref<const Eigen::MatrixXd>& returns) {
  const Eigen::RowVectorXd mean = returns.colwise().mean();
  return returns.rowwise() - mean;
}

// YᵀY / divisor (internal/gram.hpp: a blocked kernel with a CPU-selected AVX2 or SSE2 path).
Eigen::MatrixXd cross_product(const Eigen::MatrixXd& y, double divisor) {
  const Eigen::Index n = y.cols();
  Eigen::MatrixXd s(n, n);
  internal::gram_matrix(y.data(), y.rows(), n, 1.0 / divisor, s.data());
  return s;
}

double shrinkage_constant_correlation(const Eigen::MatrixXd& y, const Eigen::MatrixXd& s, Eigen::MatrixXd& target) {
  const Eigen::Index n = s.rows();
  const double t = static_cast<double>(y.rows());
  const Eigen::VectorXd sd = s.diagonal().cwiseSqrt();

  // Average correlation over pairs whose variances are both positive (others have none defined).
  double sum_r = 0.0;
  double pairs = 0.0;
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = j + 1; i < n; ++i) {
      if (sd[i] > 0.0 && sd[j] > 0.0) {
        sum_r += s(i, j) / (sd[i] * sd[j]);
        pairs += 1.0;
      }
    }
  }
  const double r_bar = pairs > 0.0 ? sum_r / pairs : 0.0;
  target = r_bar * (sd * sd.transpose());
  target.diagonal() = s.diagonal();

  // π_ij = mean_t(y_ti² y_tj²) − s_ij² and θ_ij = mean_t(y_ti³ y_tj) − s_ii s_ij: the squares in the
  // paper's definitions expanded, since mean_t(y_ti y_tj) = s_ij for the 1/T covariance.
  const Eigen::MatrixXd y2 = y.array().square().matrix();
  const Eigen::MatrixXd y3 = (y2.array() * y.array()).matrix();
  const Eigen::MatrixXd pi_mat = (y2.transpose() * y2) / t - s.cwiseProduct(s);
  const Eigen::MatrixXd theta = (y3.transpose() * y) / t - s.diagonal().asDiagonal() * s;

  const double pi_hat = pi_mat.sum();
  double rho_hat = pi_mat.diagonal().sum();
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) {
      if (i == j || sd[i] <= 0.0 || sd[j] <= 0.0) continue;
      // The i≠j sum of (r̄/2)(√(s_jj/s_ii) θ_ij + √(s_ii/s_jj) θ_ji) counts each ordered pair twice.
      rho_hat += r_bar * (sd[j] / sd[i]) * theta(i, j);
    }
  }
  const double gamma_hat = (target - s).squaredNorm();
  // S already has constant correlation (always so for N = 2): F − S is rounding noise, and dividing
  // by it would report a meaningless intensity.
  if (gamma_hat <= 1e-24 * s.squaredNorm()) return 0.0;
  const double kappa = (pi_hat - rho_hat) / gamma_hat;
  return std::clamp(kappa / t, 0.0, 1.0);
}

double shrinkage_scaled_identity(const Eigen::MatrixXd& y, const Eigen::MatrixXd& s, Eigen::MatrixXd& target) {
  const Eigen::Index n = s.rows();
  const double nn = static_cast<double>(n);
  const double t = static_cast<double>(y.rows());
  const double m = s.trace() / nn;
  target = m * Eigen::MatrixXd::Identity(n, n);
  const double d2 = (s - target).squaredNorm() / nn;
  if (d2 <= 1e-24 * s.squaredNorm() / nn) return 0.0;  // S is already a multiple of the identity
  // Σ_t ‖y_t y_tᵀ − S‖²_F = Σ_t ‖y_t‖⁴ − T‖S‖²_F, because Σ_t y_tᵀ S y_t = T·tr(S²).
  const double fourth = y.rowwise().squaredNorm().array().square().sum();
  const double b_bar2 = std::max(fourth - t * s.squaredNorm(), 0.0) / (t * t * nn);
  const double b2 = std::min(b_bar2, d2);
  return b2 / d2;
}

}  // namespace

core::Result<Eigen::MatrixXd> sample_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns) {
  BALLAST_TRY(require_returns(returns, 2));
  return cross_product(demeaned(returns), static_cast<double>(returns.rows() - 1));
}

core::Result<Eigen::MatrixXd> ewma_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns, double lambda) {
  if (!(lambda > 0.0 && lambda <= 1.0)) {
    return invalid(fmt::format("EWMA decay lambda must be in (0, 1], got {}", lambda), "lambda");
  }
  BALLAST_TRY(require_returns(returns, 1));
  const Eigen::Index rows = returns.rows();
  // Scale each row by √w_t so the weighted second moment is one rank-k update.
  Eigen::VectorXd sqrt_w(rows);
  if (lambda == 1.0) {
    sqrt_w.setConstant(std::sqrt(1.0 / static_cast<double>(rows)));
  } else {
    const double norm = (1.0 - lambda) / -std::expm1(static_cast<double>(rows) * std::log(lambda));
    double decay = 1.0;  // λ^(T−1−t), filled from the most recent row backwards
    for (Eigen::Index t = rows - 1; t >= 0; --t) {
      sqrt_w[t] = std::sqrt(norm * decay);
      decay *= lambda;
    }
  }
  const Eigen::MatrixXd scaled = sqrt_w.asDiagonal() * returns;
  return cross_product(scaled, 1.0);
}

core::Result<ShrunkCovariance> ledoit_wolf_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                                      ShrinkageTarget target_kind) {
  BALLAST_TRY(require_returns(returns, 2));
  const Eigen::MatrixXd y = demeaned(returns);
  const Eigen::MatrixXd s = cross_product(y, static_cast<double>(returns.rows()));
  Eigen::MatrixXd target;
  const double delta = target_kind == ShrinkageTarget::ConstantCorrelation
                           ? shrinkage_constant_correlation(y, s, target)
                           : shrinkage_scaled_identity(y, s, target);
  ShrunkCovariance out;
  out.covariance = delta * target + (1.0 - delta) * s;
  out.intensity = delta;
  out.target = target_kind;
  return out;
}

core::Result<Eigen::MatrixXd> correlation_from_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance) {
  BALLAST_TRY(internal::require_covariance(covariance));
  const Eigen::Index n = covariance.rows();
  Eigen::VectorXd inv_sd(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = covariance(i, i);
    inv_sd[i] = v > 0.0 ? 1.0 / std::sqrt(v) : 0.0;
  }
  Eigen::MatrixXd corr = inv_sd.asDiagonal() * covariance * inv_sd.asDiagonal();
  corr.diagonal().setOnes();
  // Rounding can push |ρ| a hair past 1 for perfectly correlated columns.
  corr = corr.cwiseMax(-1.0).cwiseMin(1.0);
  return corr;
}

core::Result<Eigen::MatrixXd> sample_correlation(const Eigen::Ref<const Eigen::MatrixXd>& returns) {
  auto cov = sample_covariance(returns);
  if (!cov) return cov.error();
  return correlation_from_covariance(*cov);
}

core::Result<CovarianceFactor> factor_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance) {
  BALLAST_TRY(internal::require_covariance(covariance));
  CovarianceFactor out;
  Eigen::LLT<Eigen::MatrixXd> llt(covariance);
  if (llt.info() == Eigen::Success) {
    const Eigen::MatrixXd lower = llt.matrixL();
    // A pivot that survived as ≈0 still yields an accurate L·Lᵀ; only a failed pivot needs repair.
    if (lower.allFinite()) {
      out.matrix = lower;
      out.method = FactorMethod::Cholesky;
      return out;
    }
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(covariance);
  if (eig.info() != Eigen::Success) {
    return core::Error(core::ErrorCode::Internal, "eigendecomposition of the covariance did not converge",
                       "covariance");
  }
  const Eigen::VectorXd& lambda = eig.eigenvalues();  // ascending
  const double largest = std::max(lambda[lambda.size() - 1], 0.0);
  if (lambda[0] < -1e-8 * largest) {
    return invalid(fmt::format("covariance is not positive semidefinite: smallest eigenvalue {} against largest {}",
                               lambda[0], largest),
                   "covariance");
  }
  Eigen::VectorXd root(lambda.size());
  for (Eigen::Index i = 0; i < lambda.size(); ++i) {
    if (lambda[i] < 0.0) ++out.clipped_eigenvalues;
    root[i] = std::sqrt(std::max(lambda[i], 0.0));
  }
  out.matrix = eig.eigenvectors() * root.asDiagonal();
  out.method = FactorMethod::ClippedEigenvalues;
  return out;
}

}  // namespace ballast::analytics
