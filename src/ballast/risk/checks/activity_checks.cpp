// Checks on the account's activity: working-order counts, order rates (fixed rings of timestamps),
// the daily loss, trade counts and the behavioural controls (loss-streak cool-down, size increase right
// after a loss, order rate far above the trader's own norm).

#include "ballast/risk/internal/engine_core.hpp"

namespace ballast::risk::internal {
namespace {

core::Decimal count(std::int64_t n) { return core::Decimal::from_int(n); }

// Orders in the window (now − window, now] already counted, plus this one, against the limit: with a
// ring at least `limit` long, the window is full exactly when the limit-th newest event is inside it.
CheckOutcome rate_check(const TimeRing& ring, const CountLimitRule& limit, const OrderContext& ctx,
                        std::int64_t window, DenyReason reason) {
  if (!limit.on) return disabled();
  const std::int64_t after = ctx.now.value - window;
  const auto n = static_cast<std::size_t>(limit.value);
  if (n > 0 && ring.size() < n) return passed();
  if (n > 0 && ring.nth_latest(n) <= after) return passed();
  return denied(reason, count(limit.value), count(ring.count_after(after) + 1));
}

}  // namespace

CheckOutcome check_open_orders_per_instrument(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  const CountLimitRule& limit = ctx.rules->max_open_orders;
  if (!limit.on) return disabled();
  const std::int64_t after = ctx.slot->open_orders + 1;
  if (after <= limit.value) return passed();
  return denied(DenyReason::OpenOrdersPerInstrumentExceedsMax, count(limit.value), count(after));
}

CheckOutcome check_open_orders_total(const EngineCore& core, OrderContext& ctx) {
  const CountLimitRule& limit = core.max_open_orders_total;
  if (!limit.on) return disabled();
  const std::int64_t after = ctx.book->open_orders() + 1;
  if (after <= limit.value) return passed();
  return denied(DenyReason::OpenOrdersTotalExceedsMax, count(limit.value), count(after));
}

CheckOutcome check_order_rate_per_second(const EngineCore& core, OrderContext& ctx) {
  return rate_check(core.orders, core.orders_per_second, ctx, core::kNanosPerSecond,
                    DenyReason::OrderRatePerSecondExceeded);
}

CheckOutcome check_order_rate_per_minute(const EngineCore& core, OrderContext& ctx) {
  return rate_check(core.orders, core.orders_per_minute, ctx, core::kNanosPerMinute,
                    DenyReason::OrderRatePerMinuteExceeded);
}

CheckOutcome check_daily_loss(const EngineCore& core, OrderContext& ctx) {
  const WideLimit& limit = core.daily_loss;
  if (!limit.on) return disabled();
  // A new UTC day whose start equity has not been taken yet has lost nothing so far.
  if (ctx.reducing || utc_day(ctx.now) != core.day) return not_applicable();
  const Wide loss = to_wide(core.day_start_equity) - ctx.equity;
  if (loss <= limit.value) return passed();
  return denied(DenyReason::DailyLossLimitReached, limit.shown, to_decimal(loss));
}

CheckOutcome check_trades_per_day(const EngineCore& core, OrderContext& ctx) {
  const CountLimitRule& limit = core.trades_per_day;
  if (!limit.on) return disabled();
  if (ctx.reducing) return not_applicable();
  const std::int64_t today = utc_day(ctx.now) == core.day ? core.trades_today : 0;
  if (today + 1 <= limit.value) return passed();
  return denied(DenyReason::TradesPerDayExceedsMax, count(limit.value), count(today + 1));
}

CheckOutcome check_trades_per_hour(const EngineCore& core, OrderContext& ctx) {
  if (!core.trades_per_hour.on) return disabled();
  if (ctx.reducing) return not_applicable();
  return rate_check(core.trades_hour, core.trades_per_hour, ctx, core::kNanosPerHour,
                    DenyReason::TradesPerHourExceedsMax);
}

CheckOutcome check_loss_streak_cooldown(const EngineCore& core, OrderContext& ctx) {
  if (!core.loss_streak_limit.on) return disabled();
  if (ctx.reducing) return not_applicable();
  if (!core.cooldown_until || ctx.now >= *core.cooldown_until) return passed();
  return denied(DenyReason::LossStreakCooldown, count(core.loss_streak_limit.value), count(core.loss_streak));
}

CheckOutcome check_size_increase_after_loss(const EngineCore& core, OrderContext& ctx) {
  const BehaviourConfig& b = ctx.config->behaviour;
  if (!b.block_size_increase_after_loss) return disabled();
  if (ctx.reducing || !ctx.has_price) return not_applicable();
  if (!core.last_loss || !core.has_last_entry || ctx.now >= *core.last_loss + b.revenge_window) return passed();
  // order > last × (1 + tolerance)  ⇔  order·10^12 > last·(10^12 + tolerance·10^12).
  if (!ratio_exceeds(ctx.order_notional, core.revenge_factor, core.last_entry_notional)) return passed();
  const Wide max = div_floor(mul_sat(core.last_entry_notional, core.revenge_factor), kWideOne);
  return denied(DenyReason::SizeIncreaseAfterLoss, to_decimal(max), to_decimal(ctx.order_notional));
}

void warn_order_rate(const EngineCore& core, OrderContext& ctx) {
  const BehaviourConfig& b = ctx.config->behaviour;
  if (!b.order_rate_warning) return;
  const std::int64_t minute = core::floor_div(ctx.now.value, core::kNanosPerMinute);
  const std::int64_t this_minute = core.minutes.in_minute(minute) + 1;
  if (this_minute < b.order_rate_warning_min) return;
  // this minute > factor × (last hour / 60)  ⇔  this·60·10^12 > factor·last_hour.
  const Wide last_hour = core.minutes.previous_hour(minute);
  if (mul_sat(static_cast<Wide>(this_minute) * 60, kWideOne) > mul_sat(core.rate_warning_factor, last_hour)) {
    ctx.warnings |= static_cast<std::uint32_t>(RiskWarning::OrderRateAboveNorm);
  }
}

}  // namespace ballast::risk::internal
