// Shared pieces of the pre-trade checks: the order context's derived values, quantity reduction and the
// "must reduce" rule.

#include "ballast/risk/internal/engine_core.hpp"

namespace ballast::risk::internal {

void OrderContext::set_quantity(const core::Decimal& qty) {
  quantity = qty;
  q = to_wide(qty);
  if (slot == nullptr) return;
  reducing = position != 0 && (position > 0) != buy && q <= wide_abs(position);
  if (!has_price) return;
  const core::Decimal& m = rules->instrument->multiplier();
  order_notional = product_wide(qty, price, m, true);
  order_exposure = product_wide(qty, expo_price, m, true);
  open_loss = 0;
  if (slot->has_mark) {
    const core::Decimal adverse = buy ? price - slot->mark.value() : slot->mark.value() - price;
    if (adverse.is_positive()) open_loss = product_wide(qty, adverse, m, true);
  }
}

CheckOutcome exceed_or_reduce(OrderContext& ctx, DenyReason reason, const core::Decimal& shown, Wide limit, Wide value,
                              Wide a, Wide b) {
  const CheckOutcome deny = denied(reason, shown, to_decimal(value));
  if (!ctx.config->reduce_quantity_to_fit || b <= 0) return deny;
  const model::Instrument& instrument = *ctx.rules->instrument;
  const core::Decimal& step = instrument.step_size().value();
  const Wide room = limit - a;
  if (room <= 0) return deny;
  // Largest n with a + b·n·step <= limit, in exact integers: n = floor(room·10^ss / (b·step_raw)).
  const Wide steps = div_floor(mul_sat(room, kPow10Wide[static_cast<std::size_t>(step.scale())]), mul_sat(b, step.raw()));
  const Wide requested_steps = div_floor(mul_sat(ctx.q, kPow10Wide[static_cast<std::size_t>(step.scale())]),
                                         mul_sat(kWideOne, step.raw()));
  if (steps <= 0 || steps >= requested_steps) return deny;
  const core::Decimal reduced = core::Decimal::from_raw(static_cast<std::int64_t>(steps) * step.raw(), step.scale());
  const Wide reduced_wide = to_wide(reduced);
  if (reduced_wide < ctx.rules->min_quantity) return deny;
  const bool reducing_after = ctx.position != 0 && (ctx.position > 0) != ctx.buy && reduced_wide <= wide_abs(ctx.position);
  if (ctx.rules->has_min_notional && !reducing_after &&
      product_wide(reduced, ctx.price, instrument.multiplier(), false) < ctx.rules->min_notional) {
    return deny;
  }
  ctx.set_quantity(reduced);
  ctx.reduced = true;
  ctx.reduction = CheckOutcome{RiskCheck::TradingState, CheckStatus::Reduced, reason, shown, to_decimal(value)};
  return ctx.reduction;
}

CheckOutcome require_reducing(OrderContext& ctx, DenyReason reason) {
  if (ctx.reducing) return passed();
  const core::Decimal held = ctx.slot->quantity.abs();
  const bool opposite = ctx.position != 0 && (ctx.position > 0) != ctx.buy;
  if (opposite && ctx.config->reduce_quantity_to_fit) {
    const core::Decimal requested = ctx.quantity;
    ctx.set_quantity(held);
    ctx.reduced = true;
    ctx.reduction = CheckOutcome{RiskCheck::TradingState, CheckStatus::Reduced, reason, held, requested};
    return ctx.reduction;
  }
  return denied(reason, held, ctx.quantity);
}

}  // namespace ballast::risk::internal
