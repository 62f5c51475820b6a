#include "ballast/risk/position_sizer.hpp"

#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::risk {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;

}  // namespace

bool SizingResult::has(SizingReason reason) const noexcept {
  return std::find(reasons.begin(), reasons.end(), reason) != reasons.end();
}

int target_scale(const model::Instrument& instrument) noexcept {
  return std::min(Decimal::kMaxScale, instrument.quantity_precision() + kTargetExtraDigits);
}

core::Result<Decimal> fraction_from_double(double v, int scale, std::string_view field) {
  if (!std::isfinite(v) || v < 0.0) {
    return Error(ErrorCode::InvalidArgument, fmt::format("{} must be finite and non-negative, got {}", field, v),
                 std::string(field));
  }
  auto d = Decimal::from_double(v, scale, RoundingMode::HalfEven);
  if (!d) return d.error().with_context(field);
  return d;
}

core::Status validate_context(const SizingContext& context) {
  BALLAST_REQUIRE(context.instrument != nullptr, "SizingContext::instrument must be set");
  const model::Instrument& instrument = *context.instrument;
  const model::Currency& settlement = instrument.settlement_currency();
  if (!context.entry_price.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("entry price must be positive, got {}", context.entry_price.to_string()), "entry_price");
  }
  if (!(context.equity.currency() == settlement)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("equity must be in {} (the settlement currency of {}), got {}", settlement.code(),
                             instrument.id().value(), context.equity.to_string()),
                 "equity");
  }
  if (!context.equity.amount().is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("equity must be positive, got {}", context.equity.to_string()), "equity");
  }
  if (context.limits.max_notional) {
    const model::Money& cap = *context.limits.max_notional;
    if (!(cap.currency() == settlement) || !cap.amount().is_positive()) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("max notional must be a positive amount in {}, got {}", settlement.code(),
                               cap.to_string()),
                   "limits.max_notional");
    }
  }
  if (context.limits.max_quantity && !context.limits.max_quantity->is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("max quantity must be positive, got {}", context.limits.max_quantity->to_string()),
                 "limits.max_quantity");
  }
  return core::ok();
}

core::Result<Decimal> quantity_for_notional(const model::Instrument& instrument, const model::Price& price,
                                            const Decimal& notional) {
  const int scale = target_scale(instrument);
  if (instrument.is_inverse()) {
    // notional = qty × multiplier / price  →  qty = notional × price / multiplier
    auto value = internal::product(notional, price.value());
    if (!value) return value.error();
    return value->checked_div(instrument.multiplier(), scale, RoundingMode::TowardZero);
  }
  auto unit_value = internal::product(price.value(), instrument.multiplier());
  if (!unit_value) return unit_value.error();
  return notional.checked_div(*unit_value, scale, RoundingMode::TowardZero);
}

core::Result<Decimal> quantity_for_risk(const model::Instrument& instrument, const Decimal& risk_amount,
                                        const Decimal& loss_per_unit) {
  if (!loss_per_unit.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("loss per unit must be positive, got {}", loss_per_unit.to_string_trimmed()));
  }
  return risk_amount.checked_div(loss_per_unit, target_scale(instrument), RoundingMode::TowardZero);
}

core::Result<SizingResult> finish_sizing(const SizingContext& context, const Decimal& target_quantity,
                                         std::vector<SizingReason> reasons) {
  const model::Instrument& instrument = *context.instrument;
  SizingResult out;
  out.reasons = std::move(reasons);
  out.notional = model::Money::zero(instrument.settlement_currency());
  if (!target_quantity.is_positive()) {
    if (out.reasons.empty()) out.reasons.push_back(SizingReason::ZeroTarget);
    return out;
  }
  out.target_quantity = target_quantity;

  Decimal q = target_quantity;
  if (context.limits.max_quantity && q > context.limits.max_quantity->value()) {
    q = context.limits.max_quantity->value();
    out.reasons.push_back(SizingReason::ClippedToMaxQuantity);
  }
  if (instrument.max_quantity() && q > instrument.max_quantity()->value()) {
    q = instrument.max_quantity()->value();
    out.reasons.push_back(SizingReason::ClippedToInstrumentMaxQuantity);
  }
  if (context.limits.max_notional) {
    auto cap = quantity_for_notional(instrument, context.entry_price, context.limits.max_notional->amount());
    if (!cap) return cap.error().with_context("limits.max_notional");
    if (q > *cap) {
      q = *cap;
      out.reasons.push_back(SizingReason::ClippedToMaxNotional);
    }
  }
  auto on_step = q.round_to_increment(instrument.step_size().value(), RoundingMode::TowardZero);
  if (!on_step) return on_step.error();
  const model::Quantity rounded(*on_step);
  if (rounded < instrument.min_quantity() || rounded.is_zero()) {
    out.reasons.push_back(SizingReason::BelowMinQuantity);
    return out;
  }
  const model::Money notional = instrument.notional(context.entry_price, rounded);
  if (instrument.min_notional() && notional < *instrument.min_notional()) {
    out.reasons.push_back(SizingReason::BelowMinNotional);
    return out;
  }
  out.quantity = rounded;
  out.notional = notional;
  return out;
}

}  // namespace ballast::risk
