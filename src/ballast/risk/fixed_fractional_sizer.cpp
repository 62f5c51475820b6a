#include "ballast/risk/fixed_fractional_sizer.hpp"

#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <string>

namespace ballast::risk {

using core::Decimal;
using core::Error;
using core::ErrorCode;

core::Status check_fraction(const Decimal& fraction, std::string_view field) {
  if (!fraction.is_positive() || fraction > Decimal::from_int(1)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} must be in (0, 1], got {}", field, fraction.to_string_trimmed()), std::string(field));
  }
  return core::ok();
}

core::Result<Decimal> fixed_fractional_quantity(const SizingContext& context, const Decimal& risk_fraction,
                                                const Decimal& stop_distance) {
  const model::Instrument& instrument = *context.instrument;
  if (instrument.is_inverse()) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("risk-to-stop sizing of inverse contract {} is not supported (loss per contract "
                             "depends on 1/price); use a notional-based sizer",
                             instrument.id().value()),
                 "instrument");
  }
  auto risk_amount = internal::product(context.equity.amount(), risk_fraction);
  if (!risk_amount) return risk_amount.error();
  auto loss_per_unit = internal::product(stop_distance, instrument.multiplier());
  if (!loss_per_unit) return loss_per_unit.error();
  return quantity_for_risk(instrument, *risk_amount, *loss_per_unit);
}

core::Result<Decimal> stop_distance(const SizingContext& context) {
  if (!context.stop_price) {
    return Error(ErrorCode::InvalidArgument, "risk-to-stop sizing needs a stop price", "stop_price");
  }
  const Decimal entry = context.entry_price.value();
  const Decimal stop = context.stop_price->value();
  const bool buy = context.side == model::OrderSide::Buy;
  if (buy ? stop >= entry : stop <= entry) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("stop {} must be {} the entry {} for a {}", stop.to_string_trimmed(),
                             buy ? "below" : "above", entry.to_string_trimmed(), model::to_string(context.side)),
                 "stop_price");
  }
  return (entry - stop).abs();
}

core::Result<FixedFractionalSizer> FixedFractionalSizer::create(FixedFractionalConfig config) {
  BALLAST_TRY(check_fraction(config.risk_fraction, "risk_fraction"));
  return FixedFractionalSizer(config);
}

core::Result<SizingResult> FixedFractionalSizer::size(const SizingContext& context) const {
  BALLAST_TRY(validate_context(context));
  auto distance = stop_distance(context);
  if (!distance) return distance.error();
  auto target = fixed_fractional_quantity(context, config_.risk_fraction, *distance);
  if (!target) return target.error();
  return finish_sizing(context, *target, {});
}

}  // namespace ballast::risk
