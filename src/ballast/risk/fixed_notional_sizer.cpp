#include "ballast/risk/fixed_notional_sizer.hpp"

#include <fmt/format.h>

namespace ballast::risk {

core::Result<FixedNotionalSizer> FixedNotionalSizer::create(FixedNotionalConfig config) {
  if (!config.notional.amount().is_positive()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("notional must be positive, got {}", config.notional.to_string()), "notional");
  }
  return FixedNotionalSizer(config);
}

core::Result<SizingResult> FixedNotionalSizer::size(const SizingContext& context) const {
  BALLAST_TRY(validate_context(context));
  const model::Instrument& instrument = *context.instrument;
  if (!(config_.notional.currency() == instrument.settlement_currency())) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("fixed notional {} is not in {}, the settlement currency of {}",
                                   config_.notional.to_string(), instrument.settlement_currency().code(),
                                   instrument.id().value()),
                       "notional");
  }
  auto target = quantity_for_notional(instrument, context.entry_price, config_.notional.amount());
  if (!target) return target.error();
  return finish_sizing(context, *target, {});
}

}  // namespace ballast::risk
