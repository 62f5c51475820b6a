// Checks on the order itself: trading state, instrument, shape (prices present, reduce-only, post-only),
// tick and step, venue minimums, per-order maxima and the price collar.

#include "ballast/risk/internal/engine_core.hpp"

namespace ballast::risk::internal {

CheckOutcome check_trading_state(const EngineCore&, OrderContext& ctx) {
  if (ctx.state == TradingState::Halted) return denied(DenyReason::TradingHalted, {}, {});
  if (ctx.state == TradingState::Reducing && ctx.slot != nullptr) return require_reducing(ctx, DenyReason::ReducingOnly);
  return passed();
}

CheckOutcome check_instrument(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) {
    return denied(DenyReason::InstrumentUnknown, core::Decimal::from_int(static_cast<std::int64_t>(ctx.book->size())),
                  core::Decimal::from_int(ctx.order->slot));
  }
  if (!ctx.slot->has_mark) return denied(DenyReason::NoReferencePrice, {}, {});
  if (!ctx.rules->tradable || ctx.rules->instrument->is_expired_at(ctx.now)) {
    return require_reducing(ctx, DenyReason::InstrumentNotTradable);
  }
  return passed();
}

namespace {

bool needs_price(model::OrderType t) { return t == model::OrderType::Limit || t == model::OrderType::StopLimit; }
bool needs_trigger(model::OrderType t) {
  return t == model::OrderType::StopMarket || t == model::OrderType::StopLimit || t == model::OrderType::TakeProfit;
}

}  // namespace

CheckOutcome check_order_shape(const EngineCore&, OrderContext& ctx) {
  const OrderRequest& o = *ctx.order;
  if (!o.quantity.is_positive()) return denied(DenyReason::InvalidQuantity, {}, o.quantity.value());
  if ((needs_price(o.type) && !o.price) || (needs_trigger(o.type) && !o.trigger_price)) {
    return denied(DenyReason::MissingPrice, {}, {});
  }
  if ((o.price && !o.price->is_positive()) || (o.trigger_price && !o.trigger_price->is_positive())) {
    return denied(DenyReason::MissingPrice, {}, o.price ? o.price->value() : o.trigger_price->value());
  }
  if (ctx.slot == nullptr) return passed();
  CheckOutcome out = passed();
  if (o.reduce_only) {
    out = require_reducing(ctx, DenyReason::ReduceOnlyWouldIncrease);
    if (out.status == CheckStatus::Denied) return out;
  }
  if (o.post_only) {
    const portfolio::InstrumentSlot& s = *ctx.slot;
    const model::Price opposite = ctx.buy ? s.best_ask.value_or(s.mark) : s.best_bid.value_or(s.mark);
    // A post-only order without a limit price would always take.
    if (!o.price || o.type != model::OrderType::Limit) return denied(DenyReason::PostOnlyWouldTake, opposite.value(), {});
    const bool takes = ctx.buy ? *o.price >= opposite : *o.price <= opposite;
    if (takes) return denied(DenyReason::PostOnlyWouldTake, opposite.value(), o.price->value());
  }
  return out;
}

CheckOutcome check_price_tick(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const model::Price& tick = ctx.rules->instrument->tick_size();
  const OrderRequest& o = *ctx.order;
  if (o.price && o.price->is_positive() && !on_increment(o.price->value(), tick.value())) {
    return denied(DenyReason::PriceNotOnTick, tick.value(), o.price->value());
  }
  if (o.trigger_price && o.trigger_price->is_positive() && !on_increment(o.trigger_price->value(), tick.value())) {
    return denied(DenyReason::PriceNotOnTick, tick.value(), o.trigger_price->value());
  }
  return passed();
}

CheckOutcome check_quantity_step(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr || !ctx.quantity.is_positive()) return not_applicable();
  const core::Decimal& step = ctx.rules->instrument->step_size().value();
  if (!on_increment(ctx.quantity, step)) return denied(DenyReason::QuantityNotOnStep, step, ctx.quantity);
  return passed();
}

CheckOutcome check_min_quantity(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  if (ctx.q < ctx.rules->min_quantity) {
    return denied(DenyReason::QuantityBelowMin, ctx.rules->instrument->min_quantity().value(), ctx.quantity);
  }
  return passed();
}

CheckOutcome check_min_notional(const EngineCore&, OrderContext& ctx) {
  // Reducing orders are exempt, as venues exempt reduce-only orders: a small remainder can always be closed.
  if (ctx.slot == nullptr || !ctx.has_price || !ctx.rules->has_min_notional || ctx.reducing) return not_applicable();
  const Wide notional = product_wide(ctx.quantity, ctx.price, ctx.rules->instrument->multiplier(), false);
  if (notional < ctx.rules->min_notional) {
    return denied(DenyReason::NotionalBelowMin, ctx.rules->min_notional_shown, to_decimal(notional));
  }
  return passed();
}

CheckOutcome check_max_order_quantity(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const WideLimit& limit = ctx.rules->max_order_quantity;
  if (!limit.on) return disabled();
  if (ctx.q <= limit.value) return passed();
  return exceed_or_reduce(ctx, DenyReason::QuantityExceedsMaxPerOrder, limit.shown, limit.value, ctx.q, 0, kWideOne);
}

CheckOutcome check_max_order_notional(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr || !ctx.has_price) return not_applicable();
  const WideLimit& limit = ctx.rules->max_order_notional;
  if (!limit.on) return disabled();
  if (ctx.order_notional <= limit.value) return passed();
  const Wide unit = product_wide(ctx.price, ctx.rules->instrument->multiplier(), true);
  return exceed_or_reduce(ctx, DenyReason::NotionalExceedsMaxPerOrder, limit.shown, limit.value, ctx.order_notional, 0,
                          unit);
}

CheckOutcome check_price_collar(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const WideLimit& limit = ctx.rules->collar_bps;
  if (!limit.on) return disabled();
  // Only resting limit prices are collared: stop triggers are meant to sit away from the market.
  const OrderRequest& o = *ctx.order;
  if (o.type != model::OrderType::Limit || !o.price || !ctx.slot->has_mark) return not_applicable();
  const Wide mark = to_wide(ctx.slot->mark.value());
  if (mark <= 0) return not_applicable();
  const Wide deviation = mul_sat(wide_abs(to_wide(o.price->value()) - mark), 10'000);
  if (!ratio_exceeds(deviation, limit.value, mark)) return passed();
  const Wide bps = div_ceil(mul_sat(deviation, kWideOne), mark);
  return denied(DenyReason::PriceOutsideCollar, limit.shown, to_decimal_up(bps, 2));
}

}  // namespace ballast::risk::internal
