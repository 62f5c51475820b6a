#include "ballast/risk/volatility_sizer.hpp"

#include "ballast/risk/fixed_fractional_sizer.hpp"
#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::risk {

using core::Decimal;
using core::Error;
using core::ErrorCode;

core::Result<AtrStopSizer> AtrStopSizer::create(AtrStopConfig config) {
  if (!config.atr_multiple.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("atr_multiple must be positive, got {}", config.atr_multiple.to_string_trimmed()),
                 "atr_multiple");
  }
  BALLAST_TRY(check_fraction(config.risk_fraction, "risk_fraction"));
  return AtrStopSizer(config);
}

core::Result<SizingResult> AtrStopSizer::size(const SizingContext& context) const {
  BALLAST_TRY(validate_context(context));
  if (!context.atr || !context.atr->is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 context.atr ? fmt::format("ATR must be positive, got {}", context.atr->to_string())
                             : std::string("ATR-stop sizing needs the average true range"),
                 "atr");
  }
  auto distance = internal::product(config_.atr_multiple, context.atr->value());
  if (!distance) return distance.error();
  auto target = fixed_fractional_quantity(context, config_.risk_fraction, *distance);
  if (!target) return target.error();
  return finish_sizing(context, *target, {});
}

core::Result<VolatilityTargetSizer> VolatilityTargetSizer::create(VolatilityTargetConfig config) {
  if (!std::isfinite(config.target_annual_volatility) || config.target_annual_volatility <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("target_annual_volatility must be positive, got {}", config.target_annual_volatility),
                 "target_annual_volatility");
  }
  return VolatilityTargetSizer(config);
}

core::Result<SizingResult> VolatilityTargetSizer::size(const SizingContext& context) const {
  BALLAST_TRY(validate_context(context));
  if (!context.annual_volatility || !std::isfinite(*context.annual_volatility) || *context.annual_volatility <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 context.annual_volatility
                     ? fmt::format("annual volatility must be positive, got {}", *context.annual_volatility)
                     : std::string("volatility-target sizing needs the instrument's annual volatility"),
                 "annual_volatility");
  }
  auto ratio = fraction_from_double(config_.target_annual_volatility / *context.annual_volatility,
                                    kVolatilityRatioScale, "volatility_ratio");
  if (!ratio) return ratio.error();
  auto notional = internal::product(context.equity.amount(), *ratio);
  if (!notional) return notional.error();
  auto target = quantity_for_notional(*context.instrument, context.entry_price, *notional);
  if (!target) return target.error();
  return finish_sizing(context, *target, {});
}

}  // namespace ballast::risk
