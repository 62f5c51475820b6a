#pragma once
// Volatility-adjusted sizing, two rules:
//
// AtrStopSizer — a stop k × ATR away from the entry, then fixed-fractional:
//   stop distance = atr_multiple × ATR,  quantity = equity × risk_fraction / (stop distance × multiplier)
//   (needs context.atr, the average true range in price units; linear contracts only).
//
// VolatilityTargetSizer — a position whose volatility is a target fraction of equity:
//   notional = equity × target_annual_volatility / instrument_annual_volatility
//   (needs context.annual_volatility, e.g. 0.80 for 80 %; both volatilities annualised the same way).
//   A 20 % target on an 80 % asset holds 25 % of equity; on a 10 % asset it holds 200 % — bound it with
//   SizeLimits::max_notional when leverage is not wanted.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/risk/position_sizer.hpp"

#include <string_view>

namespace ballast::risk {

struct AtrStopConfig {
  core::Decimal atr_multiple{core::Decimal::from_int(2)};      // k > 0
  core::Decimal risk_fraction{core::Decimal::from_raw(1, 2)};  // of equity, in (0, 1]
};

class AtrStopSizer final : public PositionSizer {
 public:
  static core::Result<AtrStopSizer> create(AtrStopConfig config);

  std::string_view name() const noexcept override { return "ATR_STOP"; }
  core::Result<SizingResult> size(const SizingContext& context) const override;

 private:
  explicit AtrStopSizer(AtrStopConfig config) : config_(config) {}

  AtrStopConfig config_;
};

inline constexpr int kVolatilityRatioScale = 10;

struct VolatilityTargetConfig {
  double target_annual_volatility{0.20};  // > 0
};

class VolatilityTargetSizer final : public PositionSizer {
 public:
  static core::Result<VolatilityTargetSizer> create(VolatilityTargetConfig config);

  std::string_view name() const noexcept override { return "VOLATILITY_TARGET"; }
  core::Result<SizingResult> size(const SizingContext& context) const override;

 private:
  explicit VolatilityTargetSizer(VolatilityTargetConfig config) : config_(config) {}

  VolatilityTargetConfig config_;
};

}  // namespace ballast::risk
