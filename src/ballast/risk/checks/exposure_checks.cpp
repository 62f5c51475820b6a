// Checks on what the account holds after the order: position (quantity and notional, with same-side
// working orders), gross and net exposure, concentration, leverage, margin (open-order margin and the
// margin tier's leverage) and portfolio VaR. Reducing orders are exempt from all of them.

#include "ballast/risk/internal/engine_core.hpp"

#include <cmath>

namespace ballast::risk::internal {
namespace {

bool exposure_exempt(const OrderContext& ctx) { return ctx.slot == nullptr || !ctx.has_price || ctx.reducing; }

// Position notional after the order, in the order's direction: the slot's notional at the mark, the
// same-side working orders at their prices and the order at its exposure price.
Wide projected_position_notional(const OrderContext& ctx) {
  return ctx.sign * ctx.slot_notional + ctx.working_notional + ctx.order_exposure;
}

Wide gross_after(const OrderContext& ctx) {
  return ctx.gross - wide_abs(ctx.slot_notional) + wide_abs(ctx.slot_notional + ctx.sign * ctx.order_exposure);
}

// ratio = a / b rounded up at 6 places, for a decision (b > 0).
core::Decimal ratio_shown(Wide a, Wide b) { return to_decimal_up(div_ceil(mul_sat(a, kWideOne), b), 6); }

Wide exposure_unit(const OrderContext& ctx) {
  return product_wide(ctx.expo_price, ctx.rules->instrument->multiplier(), true);
}

}  // namespace

CheckOutcome check_max_position_quantity(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const WideLimit& limit = ctx.rules->max_position_quantity;
  if (!limit.on) return disabled();
  if (ctx.reducing) return not_applicable();
  const Wide base = ctx.sign * ctx.position + ctx.working_qty;
  const Wide after = wide_abs(base + ctx.q);
  if (after <= limit.value) return passed();
  return exceed_or_reduce(ctx, DenyReason::PositionQuantityExceedsMax, limit.shown, limit.value, after, base, kWideOne);
}

CheckOutcome check_max_position_notional(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const WideLimit& limit = ctx.rules->max_position_notional;
  if (!limit.on) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const Wide base = ctx.sign * ctx.slot_notional + ctx.working_notional;
  const Wide after = wide_abs(base + ctx.order_exposure);
  if (after > limit.near) ctx.warnings |= static_cast<std::uint32_t>(RiskWarning::NearLimit);
  if (after <= limit.value) return passed();
  return exceed_or_reduce(ctx, DenyReason::PositionNotionalExceedsMax, limit.shown, limit.value, after, base,
                          exposure_unit(ctx));
}

CheckOutcome check_max_gross_exposure(const EngineCore& core, OrderContext& ctx) {
  const WideLimit& limit = core.max_gross;
  if (!limit.on) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const Wide after = gross_after(ctx);
  if (after > limit.near) ctx.warnings |= static_cast<std::uint32_t>(RiskWarning::NearLimit);
  if (after <= limit.value) return passed();
  // |n + s·b·q| <= limit − (gross − |n|).
  const Wide others = ctx.gross - wide_abs(ctx.slot_notional);
  return exceed_or_reduce(ctx, DenyReason::GrossExposureExceedsMax, limit.shown, limit.value - others, after,
                          ctx.sign * ctx.slot_notional, exposure_unit(ctx));
}

CheckOutcome check_max_net_exposure(const EngineCore& core, OrderContext& ctx) {
  const WideLimit& limit = core.max_net;
  if (!limit.on) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const Wide after = wide_abs(ctx.net + ctx.sign * ctx.order_exposure);
  if (after > limit.near) ctx.warnings |= static_cast<std::uint32_t>(RiskWarning::NearLimit);
  // An order that brings the net exposure closer to zero never worsens it.
  if (after <= limit.value || after <= wide_abs(ctx.net)) return passed();
  return exceed_or_reduce(ctx, DenyReason::NetExposureExceedsMax, limit.shown, limit.value, after, ctx.sign * ctx.net,
                          exposure_unit(ctx));
}

CheckOutcome check_max_concentration(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const WideLimit& limit = ctx.rules->max_concentration;
  if (!limit.on) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const Wide after = wide_abs(projected_position_notional(ctx));
  const Wide equity = ctx.projected_equity();
  if (equity <= 0) {
    // Unbounded ratio: the decision reports the exposure that has no equity behind it.
    if (after == 0) return passed();
    return denied(DenyReason::ConcentrationExceedsMax, limit.shown, to_decimal(after));
  }
  if (!ratio_exceeds(after, limit.value, equity)) return passed();
  return denied(DenyReason::ConcentrationExceedsMax, limit.shown, ratio_shown(after, equity));
}

CheckOutcome check_max_leverage(const EngineCore& core, OrderContext& ctx) {
  const WideLimit& limit = core.max_leverage;
  if (!limit.on) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const Wide gross = gross_after(ctx);
  const Wide equity = ctx.projected_equity();
  if (equity <= 0) {
    if (gross == 0) return passed();
    return denied(DenyReason::LeverageExceedsMax, limit.shown, to_decimal(gross));
  }
  if (!ratio_exceeds(gross, limit.value, equity)) return passed();
  return denied(DenyReason::LeverageExceedsMax, limit.shown, ratio_shown(gross, equity));
}

CheckOutcome check_margin(const EngineCore&, OrderContext& ctx) {
  if (!ctx.config->check_margin) return disabled();
  if (exposure_exempt(ctx)) return not_applicable();
  const portfolio::InstrumentSlot& s = *ctx.slot;
  // The instrument's leverage must be allowed by the tier that holds the projected notional.
  if (!ctx.rules->tiers.empty()) {
    const Wide notional = wide_abs(projected_position_notional(ctx));
    const TierCap* tier = nullptr;
    for (const TierCap& t : ctx.rules->tiers) {
      if (notional <= t.cap) {
        tier = &t;
        break;
      }
    }
    if (tier == nullptr) return denied(DenyReason::LeverageExceedsTierMax, {}, s.leverage);
    if (s.leverage > tier->max_leverage) return denied(DenyReason::LeverageExceedsTierMax, tier->max_leverage, s.leverage);
  }
  // Additional open-order margin (Binance: per instrument the larger side's notional / leverage, rounded up
  // at the settlement precision) plus the order's open loss against the mark.
  const Wide side_now = to_wide(ctx.buy ? s.open_buy_notional : s.open_sell_notional);
  const Wide other = to_wide(ctx.buy ? s.open_sell_notional : s.open_buy_notional);
  const Wide larger = wide_max(side_now + ctx.order_notional, other);
  const int precision = ctx.book->settlement_currency().precision();
  const core::Decimal& lev = s.leverage;
  // ceil(larger / lev) on the settlement grid: larger·10^ls / (lev_raw·10^(12−p)), times 10^(12−p).
  const Wide grid = kPow10Wide[static_cast<std::size_t>(kWideScale - precision)];
  const Wide charged =
      div_ceil(mul_sat(larger, kPow10Wide[static_cast<std::size_t>(lev.scale())]), mul_sat(lev.raw(), grid)) * grid;
  const Wide current = to_wide(s.open_order_margin);
  const Wide required = wide_max(charged - current, 0) + ctx.open_loss;
  const Wide available = to_wide(ctx.book->available_margin(), false);
  if (required <= available) return passed();
  return denied(DenyReason::InsufficientMargin, to_decimal(available), to_decimal(required));
}

CheckOutcome check_portfolio_var(const EngineCore& core, OrderContext& ctx) {
  if (!ctx.config->portfolio_var.enabled) return disabled();
  if (exposure_exempt(ctx) || !core.var || ctx.rules->var_index < 0) return not_applicable();
  const auto index = static_cast<std::size_t>(ctx.rules->var_index);
  const double delta = static_cast<double>(ctx.sign * ctx.order_exposure) / static_cast<double>(kWideOne);
  const double after = core.var->var_after(index, delta);
  // Orders that do not add VaR always pass (they reduce risk, whatever the current level).
  if (after <= core.var->var()) return passed();
  const double var = after * core.var_scale;
  if (var <= core.var_limit) return passed();
  const double places = 1e8;
  const auto raw = static_cast<std::int64_t>(std::ceil(var * places));
  return denied(DenyReason::PortfolioVarExceedsMax, ctx.config->portfolio_var.max_var, core::Decimal::from_raw(raw, 8));
}

}  // namespace ballast::risk::internal
