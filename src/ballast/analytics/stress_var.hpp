#pragma once
// Stressed parametric VaR: the normal VaR/ES of var.hpp recomputed on a covariance matrix whose
// volatilities are multiplied by k and whose correlations are pushed toward 1 by s:
//   σ_i' = k·σ_i,   ρ'_ij = ρ_ij + s·(1 − ρ_ij)  (i ≠ j),   Σ'_ij = σ_i'·σ_j'·ρ'_ij.
// The caller supplies the one-period return covariance Σ (e.g. from covariance.hpp); the exposures
// are the CURRENT ones (quantity × price × multiplier), not exposures after a price shock.
//
// Conventions are those of var.hpp: VaR and ES are positive losses, zero mean, horizon h periods by
// the square-root-of-time rule.
//
// Positive semidefiniteness: ρ' = (1 − s)·ρ + s·J with J the all-ones matrix. J is positive
// semidefinite (rank one, J = 1·1ᵀ), so for a correlation matrix ρ that is itself semidefinite, ρ' is
// a convex combination of two semidefinite matrices and needs no repair. A repair happens only when
// the supplied Σ was not semidefinite (pairwise estimates, hand-edited entries): if the smallest
// eigenvalue of ρ' is below −1e-10, its negative eigenvalues are set to zero (ρ'' = Q·diag(max(λ, 0))·Qᵀ,
// the nearest semidefinite matrix in the Frobenius norm; Higham 1988, see covariance.hpp) and ρ'' is
// rescaled to a unit diagonal, D^(−1/2)·ρ''·D^(−1/2), which keeps it semidefinite. That is one step of
// Higham's alternating projections (N. Higham, "Computing the nearest correlation matrix", IMA J.
// Numer. Anal. 22, 2002), not the nearest correlation matrix itself; the result says when it happened.
// Correlations of an instrument with zero variance are taken as 0 (covariance.hpp) before the shock.
//
// Caveat for hedged books: pushing correlations toward 1 RAISES the VaR of a long-only book but can
// LOWER it for a long/short one, whose legs then offset more. A stress should try both s = 0 and s > 0.

#include "ballast/analytics/stress_position.hpp"
#include "ballast/analytics/stress_scenario.hpp"
#include "ballast/analytics/var.hpp"
#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <span>

namespace ballast::analytics {

struct StressedCovariance {
  Eigen::MatrixXd covariance;   // Σ', per period
  Eigen::MatrixXd correlation;  // ρ' (after any repair)
  bool repaired = false;        // negative eigenvalues of ρ' were clipped
  Eigen::Index clipped_eigenvalues = 0;
  double min_eigenvalue = 0.0;  // smallest eigenvalue of ρ' before any repair
};

// Σ' from Σ, k = vol_multiplier (finite, > 0) and s = correlation_shock in [0, 1]. Errors on an invalid
// Σ (not square, not finite, not symmetric, a negative variance) or k, s out of range.
core::Result<StressedCovariance> stress_covariance(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                   double vol_multiplier, double correlation_shock);

struct StressedVar {
  RiskEstimate base;           // parametric normal VaR/ES on Σ (repaired when Σ was not semidefinite)
  RiskEstimate stressed;       // the same on Σ'
  bool base_repaired = false;  // Σ was not semidefinite: base used stress_covariance(Σ, 1, 0)
  StressedCovariance stressed_covariance;
};

// Base and stressed parametric VaR/ES of `exposures` (one per row of Σ). When Σ itself is not
// semidefinite the base VaR is computed on its repair (k = 1, s = 0, same procedure), so base and
// stressed figures always rest on the same kind of matrix.
core::Result<StressedVar> stressed_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                  const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                  double vol_multiplier, double correlation_shock, const VarSpec& spec);

// The same for positions (Σ's rows in position order) under a scenario's vol_multiplier and
// correlation_shock; its price shocks do not enter.
core::Result<StressedVar> stressed_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                  std::span<const StressPosition> positions,
                                                  const StressScenario& scenario, const VarSpec& spec);

}  // namespace ballast::analytics
