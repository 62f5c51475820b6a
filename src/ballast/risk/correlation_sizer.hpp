#pragma once
// CorrelationSizer: scales a base sizer's target by how much the new trade adds to portfolio risk.
//
// Inputs (doubles, from analytics): a covariance matrix Σ of the instruments' returns (N×N, symmetric,
// any consistent period) and the current signed exposures w (notional per instrument, same order, long
// > 0). The new trade is instrument `index` in direction s = +1 (buy) / −1 (sell).
//
// Rule: the marginal contribution of instrument i to portfolio volatility σ_P = √(wᵀΣw) is
//   ∂σ_P/∂w_i = (Σw)_i / σ_P = ρ_iP × σ_i,   ρ_iP = (Σw)_i / (σ_i σ_P)   (correlation of i with the book)
// Per unit of the trade's own volatility σ_i, a trade in direction s adds s × ρ_iP. The sizer multiplies
// the base target quantity by
//   scale = clamp(1 − s × ρ_iP, 0, 1)
// so a trade uncorrelated with the book (or an empty book, σ_P = 0) keeps its size, one perfectly
// correlated with it (ρ = 1, same direction) gets none, and a hedge (s × ρ < 0) is never enlarged beyond
// the base size. A reduced size carries SCALED_FOR_CORRELATION; then the usual limits and rounding apply.

#include "ballast/core/result.hpp"
#include "ballast/risk/position_sizer.hpp"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace ballast::risk {

inline constexpr int kCorrelationScaleScale = 10;

struct CorrelationSizerConfig {
  std::vector<std::vector<double>> covariance{};  // N×N, symmetric, non-negative diagonal
  std::vector<double> exposures{};                // N signed notionals
  std::size_t index{0};                           // the traded instrument's row/column
};

// clamp(1 − s × ρ_iP, 0, 1) for the configuration and direction (validated inputs).
double correlation_scale(const CorrelationSizerConfig& config, model::OrderSide side);

class CorrelationSizer final : public PositionSizer {
 public:
  // Errors: no base sizer, a non-square or asymmetric (beyond 1e-12 relative) covariance, a negative or
  // zero variance of the traded instrument, non-finite values, mismatched sizes, index out of range.
  static core::Result<CorrelationSizer> create(std::unique_ptr<PositionSizer> base, CorrelationSizerConfig config);

  std::string_view name() const noexcept override { return "CORRELATION_ADJUSTED"; }
  core::Result<SizingResult> size(const SizingContext& context) const override;

 private:
  CorrelationSizer(std::unique_ptr<PositionSizer> base, CorrelationSizerConfig config)
      : base_(std::move(base)), config_(std::move(config)) {}

  std::unique_ptr<PositionSizer> base_;
  CorrelationSizerConfig config_;
};

}  // namespace ballast::risk
