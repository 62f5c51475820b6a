#pragma once
// Parametric (normal) VaR split by position: marginal, component and incremental VaR.
//
// Portfolio of dollar exposures e (signed, currency) with one-period return covariance Σ and mean
// returns μ (zero unless given): σ_p = √(eᵀΣe) and, with z = Φ⁻¹(c) and horizon h periods,
//   VaR(e) = z·√h·σ_p − h·μ·e                             (var.hpp, parametric_portfolio_var)
//   marginal_i = ∂VaR/∂e_i = z·√h·(Σe)_i/σ_p − h·μ_i       (VaR per unit of extra exposure)
//   component_i = e_i·marginal_i,  Σ_i component_i = VaR    (Euler: VaR is homogeneous of degree 1)
// (Jorion, "Value at Risk", 3rd ed., ch. 7; Garman, "Taking VaR to Pieces", Risk 10(10), 1997.)
// Marginal VaR is undefined where σ_p = 0 (the square root has no derivative there).
//
// Incremental VaR of an order is the exact change VaR(e + δ) − VaR(e), not the marginal
// approximation. For a single instrument i with exposure change δ:
//   σ_new² = σ_p² + 2δ(Σe)_i + δ²Σ_ii,
// so with Σe and σ_p² cached it costs O(1); a k-leg order costs O(k²). IncrementalVarCalculator
// keeps that cache and updates it in O(N) when a position changes. Rounding: the cached form
// subtracts nearly equal numbers when an order almost flattens the book, where the absolute error
// stays ~1e-16·σ_p² but the relative error of a tiny σ_new grows; apply() recomputes σ_p² = e·(Σe)
// from the updated vector, so errors do not accumulate across updates.

#include "ballast/analytics/var.hpp"
#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <span>

namespace ballast::analytics {

struct VarDecomposition {
  double var = 0.0;           // total parametric VaR over the horizon
  double volatility = 0.0;    // σ_p·√h, standard deviation of horizon P&L
  Eigen::VectorXd marginal;   // ∂VaR/∂e_i, currency of VaR per currency of exposure
  Eigen::VectorXd component;  // e_i·marginal_i; sums to var
};

// Errors when σ_p = 0 (no marginal exists) or on invalid input.
core::Result<VarDecomposition> decompose_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                        const VarSpec& spec);
core::Result<VarDecomposition> decompose_parametric_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                        const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                        const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                        const VarSpec& spec);

// One leg of an order: add `delta` (signed currency exposure) to instrument `index`.
struct ExposureChange {
  std::size_t index = 0;
  double delta = 0.0;
};

// Pre-trade incremental VaR against a fixed covariance. Queries are const, O(1) for one instrument
// (O(k²) for k legs) and never allocate; apply()/set_exposure() are O(N). Instruments are addressed
// by their index in the covariance (the caller keeps the instrument → index map). Indices out of
// range and non-finite deltas are precondition failures (an order reaching this point has been
// validated).
class IncrementalVarCalculator {
 public:
  static core::Result<IncrementalVarCalculator> create(Eigen::MatrixXd covariance, Eigen::VectorXd exposures,
                                                       const VarSpec& spec);
  static core::Result<IncrementalVarCalculator> create(Eigen::MatrixXd covariance, Eigen::VectorXd exposures,
                                                       Eigen::VectorXd mean_returns, const VarSpec& spec);

  std::size_t size() const noexcept { return static_cast<std::size_t>(exposures_.size()); }
  const Eigen::VectorXd& exposures() const noexcept { return exposures_; }
  const VarSpec& spec() const noexcept { return spec_; }
  // Current portfolio VaR.
  double var() const noexcept { return var_; }
  // One-period portfolio variance σ_p².
  double variance() const noexcept { return variance_; }

  // VaR(e + δ·1_i) − VaR(e). O(1).
  double incremental_var(std::size_t index, double delta) const;
  // VaR after the change. O(1).
  double var_after(std::size_t index, double delta) const;
  // VaR after a multi-leg change (legs may repeat an index). O(k²) for k legs.
  double var_after(std::span<const ExposureChange> changes) const;
  double incremental_var(std::span<const ExposureChange> changes) const { return var_after(changes) - var_; }
  // ∂VaR/∂e_i at the current portfolio; requires σ_p > 0.
  double marginal_var(std::size_t index) const;

  // Changes the held exposure (a fill): O(N).
  void apply(std::size_t index, double delta);
  void set_exposure(std::size_t index, double exposure) {
    apply(index, exposure - exposures_[static_cast<Eigen::Index>(index)]);
  }
  // Recomputes the cache from scratch, O(N²): use after very many apply() calls if desired.
  void refresh();

 private:
  IncrementalVarCalculator() = default;
  double var_from(double variance, double mean_pnl) const noexcept;

  Eigen::MatrixXd covariance_;
  Eigen::VectorXd exposures_;
  Eigen::VectorXd mean_;
  Eigen::VectorXd sigma_e_;  // Σe
  double variance_ = 0.0;    // eᵀΣe
  double mean_pnl_ = 0.0;    // μ·e, one period
  double z_sqrt_h_ = 0.0;    // z·√h
  double horizon_ = 1.0;     // h
  double var_ = 0.0;
  VarSpec spec_;
};

}  // namespace ballast::analytics
