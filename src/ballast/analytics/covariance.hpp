#pragma once
// Covariance and correlation estimators for a T×N return matrix (Eigen::MatrixXd, one row per
// period, oldest first; one column per instrument), and a factorisation Σ = B·Bᵀ that always exists
// for a positive semidefinite Σ, for simulation.
//
// Units: returns are per period (simple returns unless the caller says otherwise), so every
// covariance here is per period; scale by the horizon in periods for longer horizons.
//
// Estimators:
//  - sample_covariance: unbiased, divides by T − 1; needs T ≥ 2.
//  - ewma_covariance: RiskMetrics exponential weighting (J.P. Morgan/Reuters, RiskMetrics Technical
//    Document, 4th ed. 1996, §5.2) around a ZERO mean, with the weights normalised over the finite
//    sample: Σ = Σ_t w_t r_t r_tᵀ, w_t = (1 − λ) λ^(T−1−t) / (1 − λ^T) (the most recent row has the
//    largest weight). Normalising removes any choice of a start value; needs T ≥ 1.
//  - ledoit_wolf_covariance: shrinkage δ·F + (1 − δ)·S of the maximum-likelihood sample covariance
//    S (divides by T, as in the papers) toward a structured target F, with the estimated optimal
//    intensity δ ∈ [0, 1]; see ShrinkageTarget for the two targets and their formulas.
//
// Inputs must be finite; a NaN or infinity is an error naming its (row, column).

#include "ballast/core/result.hpp"

#include <Eigen/Core>

namespace ballast::analytics {

enum class ShrinkageTarget {
  // F_ii = s_ii, F_ij = r̄·√(s_ii s_jj) with r̄ the average sample correlation. Ledoit & Wolf, "Honey,
  // I Shrunk the Sample Covariance Matrix", J. Portfolio Management 30(4), 2004. With y the demeaned
  // returns: π_ij = (1/T)Σ_t (y_ti y_tj − s_ij)², θ_ij = (1/T)Σ_t (y_ti² − s_ii)(y_ti y_tj − s_ij),
  // π = Σ_ij π_ij, ρ = Σ_i π_ii + Σ_{i≠j} (r̄/2)(√(s_jj/s_ii) θ_ij + √(s_ii/s_jj) θ_ji),
  // γ = ‖F − S‖²_F, κ = (π − ρ)/γ, δ = max(0, min(1, κ/T)).
  ConstantCorrelation,
  // F = m·I with m = tr(S)/N. Ledoit & Wolf, "A Well-Conditioned Estimator for Large-Dimensional
  // Covariance Matrices", J. Multivariate Analysis 88(2), 2004. With ‖A‖² = tr(AAᵀ)/N:
  // d² = ‖S − mI‖², b̄² = (1/T²)Σ_t ‖y_t y_tᵀ − S‖², b² = min(b̄², d²), δ = b²/d².
  ScaledIdentity,
};

struct ShrunkCovariance {
  Eigen::MatrixXd covariance;  // δ·F + (1 − δ)·S, per period
  double intensity = 0.0;      // δ ∈ [0, 1]; 0 when S already equals F
  ShrinkageTarget target = ShrinkageTarget::ConstantCorrelation;
};

// Unbiased sample covariance (divides by T − 1). Needs at least 2 rows.
core::Result<Eigen::MatrixXd> sample_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns);
// Exponentially weighted, zero-mean covariance with decay λ ∈ (0, 1] (λ = 1: equal weights, i.e.
// the zero-mean second moment). RiskMetrics uses 0.94 for daily and 0.97 for monthly data.
core::Result<Eigen::MatrixXd> ewma_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns, double lambda);
// Ledoit–Wolf shrinkage toward `target`. Needs at least 2 rows.
core::Result<ShrunkCovariance> ledoit_wolf_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                                      ShrinkageTarget target);

// ρ_ij = Σ_ij / √(Σ_ii Σ_jj). An instrument with zero variance has no defined correlation; it gets 0
// against every other instrument and 1 with itself, which keeps the matrix positive semidefinite.
core::Result<Eigen::MatrixXd> correlation_from_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance);
// Sample correlation of the columns of `returns` (T ≥ 2).
core::Result<Eigen::MatrixXd> sample_correlation(const Eigen::Ref<const Eigen::MatrixXd>& returns);

// A square root B of a covariance matrix, Σ = B·Bᵀ (exactly, or after the repair described below).
//
// Cholesky needs Σ positive DEFINITE. Real covariance matrices are often only semidefinite: two
// perfectly correlated instruments (a future and its perpetual), an instrument with zero volatility
// (a stablecoin), or more instruments than observations (N ≥ T makes the sample covariance rank
// ≤ T − 1). Cholesky then hits a zero (or, after rounding, slightly negative) pivot. The fallback is
// the symmetric eigendecomposition Σ = QΛQᵀ with eigenvalues clipped at zero, B = Q·diag(√λ⁺):
// B·Bᵀ is then the nearest positive semidefinite matrix to Σ in the Frobenius norm (Higham, "Computing
// a nearest symmetric positive semidefinite matrix", Linear Algebra Appl. 103, 1988), equal to Σ when
// Σ was semidefinite up to rounding. Unlike adding a ridge, it does not inflate any variance. An
// eigenvalue below −1e-8·λ_max means the input is not a covariance matrix at all, which is an error.
enum class FactorMethod {
  Cholesky,            // B is lower triangular: Σ = L·Lᵀ
  ClippedEigenvalues,  // B = Q·diag(√max(λ, 0)), dense
};

struct CovarianceFactor {
  Eigen::MatrixXd matrix;  // B, N×N
  FactorMethod method = FactorMethod::Cholesky;
  Eigen::Index clipped_eigenvalues = 0;  // eigenvalues raised to zero (ClippedEigenvalues only)
};

core::Result<CovarianceFactor> factor_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance);

}  // namespace ballast::analytics
