#include "ballast/sim/slippage_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::sim {

namespace {

using core::Decimal;
using core::RoundingMode;
using model::OrderSide;
using model::Price;

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

core::Status check_context(const SlippageContext& c) {
  BALLAST_REQUIRE(c.instrument != nullptr, "SlippageContext.instrument must be set");
  if (!c.price.is_positive()) return invalid(fmt::format("fill price must be > 0, got {}", c.price.to_string()), "price");
  return core::ok();
}

// bps / 10⁴ as an exact fraction.
core::Result<Decimal> from_bps(const Decimal& bps) {
  if (bps.scale() + 4 <= Decimal::kMaxScale) return Decimal::from_raw(bps.raw(), bps.scale() + 4);
  return bps.checked_div(Decimal::from_int(10000), Decimal::kMaxScale, RoundingMode::HalfEven);
}

}  // namespace

core::Result<Price> slip_against_taker(const SlippageContext& c, const Decimal& relative) {
  BALLAST_TRY(check_context(c));
  if (relative.is_negative()) return invalid("relative slippage must be >= 0", "relative");
  const bool buy = c.side == OrderSide::Buy;
  const Decimal one = Decimal::from_int(1);
  auto factor_r = buy ? one.checked_add(relative) : one.checked_sub(relative);
  if (!factor_r) return factor_r.error();
  const auto factor = *factor_r;
  const int scale = std::min(Decimal::kMaxScale, c.price.precision() + std::max(relative.scale(), 4));
  auto raw_r = c.price.value().checked_mul(factor, scale, buy ? RoundingMode::Up : RoundingMode::Down);
  if (!raw_r) return raw_r.error();
  const auto raw = *raw_r;
  auto on_tick_r = c.instrument->round_price(Price(raw), buy ? RoundingMode::Up : RoundingMode::Down);
  if (!on_tick_r) return on_tick_r.error();
  const auto on_tick = *on_tick_r;
  Price slipped = on_tick;
  if (c.limit_price) slipped = buy ? std::min(slipped, *c.limit_price) : std::max(slipped, *c.limit_price);
  if (!slipped.is_positive()) {
    return core::Error(core::ErrorCode::OutOfRange,
                       fmt::format("slippage of {} moves the sell price {} to {} (not positive)",
                                   relative.to_string_trimmed(), c.price.to_string(), slipped.to_string()),
                       "price");
  }
  return slipped;
}

core::Result<Price> NoSlippage::apply(const SlippageContext& context) const {
  BALLAST_TRY(check_context(context));
  return context.price;
}

core::Result<FixedBpsSlippage> FixedBpsSlippage::create(Decimal bps) {
  if (bps.is_negative()) return invalid(fmt::format("slippage bps must be >= 0, got {}", bps.to_string()), "bps");
  return FixedBpsSlippage(bps);
}

core::Result<Price> FixedBpsSlippage::apply(const SlippageContext& context) const {
  auto relative_r = from_bps(bps_);
  if (!relative_r) return relative_r.error();
  const auto relative = *relative_r;
  return slip_against_taker(context, relative);
}

core::Result<SpreadSlippage> SpreadSlippage::create(Decimal half_spread_bps) {
  if (half_spread_bps.is_negative()) {
    return invalid(fmt::format("half spread bps must be >= 0, got {}", half_spread_bps.to_string()), "half_spread_bps");
  }
  return SpreadSlippage(half_spread_bps);
}

core::Result<Price> SpreadSlippage::apply(const SlippageContext& context) const {
  BALLAST_TRY(check_context(context));
  const bool buy = context.side == OrderSide::Buy;
  const auto& touch = buy ? context.best_ask : context.best_bid;
  if (touch) {
    // Crossing the spread: a buy pays the ask, a sell receives the bid, never better than the path
    // price and never beyond the limit.
    Price p = buy ? std::max(*touch, context.price) : std::min(*touch, context.price);
    if (context.limit_price) p = buy ? std::min(p, *context.limit_price) : std::max(p, *context.limit_price);
    return p;
  }
  auto relative_r = from_bps(half_spread_bps_);
  if (!relative_r) return relative_r.error();
  const auto relative = *relative_r;
  return slip_against_taker(context, relative);
}

core::Result<SquareRootImpactSlippage> SquareRootImpactSlippage::create(double coefficient) {
  if (!std::isfinite(coefficient) || coefficient <= 0.0) {
    return invalid(fmt::format("impact coefficient must be a finite number > 0, got {}", coefficient), "coefficient");
  }
  return SquareRootImpactSlippage(coefficient);
}

double SquareRootImpactSlippage::relative_impact(double quantity, double daily_volatility,
                                                 double daily_volume) const noexcept {
  return coefficient_ * daily_volatility * std::sqrt(quantity / daily_volume);
}

core::Result<Price> SquareRootImpactSlippage::apply(const SlippageContext& context) const {
  if (!std::isfinite(context.daily_volatility) || context.daily_volatility < 0.0) {
    return invalid(fmt::format("daily volatility must be finite and >= 0, got {}", context.daily_volatility),
                   "daily_volatility");
  }
  if (!std::isfinite(context.daily_volume) || context.daily_volume <= 0.0) {
    return invalid(fmt::format("daily volume must be finite and > 0, got {}", context.daily_volume), "daily_volume");
  }
  const double impact = relative_impact(context.quantity.as_double(), context.daily_volatility, context.daily_volume);
  // 12 places: far finer than any tick relative to price; rounded up so the impact is never understated.
  auto relative_r = Decimal::from_double(impact, 12, RoundingMode::Up);
  if (!relative_r) return relative_r.error();
  const auto relative = *relative_r;
  return slip_against_taker(context, relative);
}

}  // namespace ballast::sim
