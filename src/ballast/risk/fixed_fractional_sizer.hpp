#pragma once
// FixedFractionalSizer: risk a fixed fraction of equity between entry and stop.
//   quantity = equity × risk_fraction / (|entry − stop| × multiplier)
// so that a stop-out loses risk_fraction of equity (before fees and slippage). The stop must be on the
// losing side: below the entry for a buy, above it for a sell. Linear contracts only (an inverse
// contract's loss per contract depends on 1/price; refused with ErrorCode::Unsupported).

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/risk/position_sizer.hpp"

#include <string_view>

namespace ballast::risk {

struct FixedFractionalConfig {
  core::Decimal risk_fraction{core::Decimal::from_raw(1, 2)};  // of equity, in (0, 1]; 0.01 = 1 %
};

// equity × risk_fraction / (stop_distance × multiplier), truncated at the target scale. Linear only.
core::Result<core::Decimal> fixed_fractional_quantity(const SizingContext& context, const core::Decimal& risk_fraction,
                                                      const core::Decimal& stop_distance);

// |entry − stop| after checking the stop is present and on the losing side (error at "stop_price").
core::Result<core::Decimal> stop_distance(const SizingContext& context);

// Ok when fraction is in (0, 1]; the error names `field`.
core::Status check_fraction(const core::Decimal& fraction, std::string_view field);

class FixedFractionalSizer final : public PositionSizer {
 public:
  static core::Result<FixedFractionalSizer> create(FixedFractionalConfig config);

  std::string_view name() const noexcept override { return "FIXED_FRACTIONAL"; }
  // Needs context.stop_price.
  core::Result<SizingResult> size(const SizingContext& context) const override;

  const FixedFractionalConfig& config() const noexcept { return config_; }

 private:
  explicit FixedFractionalSizer(FixedFractionalConfig config) : config_(config) {}

  FixedFractionalConfig config_;
};

}  // namespace ballast::risk
