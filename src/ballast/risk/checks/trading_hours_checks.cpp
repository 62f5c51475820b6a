// The TRADING_HOURS check: the account's trading session must be running and the instrument's trading
// hours open for an order that adds exposure. Orders that reduce a position (opposite side, at most its
// size — reduce-only orders and closes) always pass, as in the REDUCING state: a position opened inside
// the hours can be closed outside them. Allocation-free: the hours were copied into the slot's rules
// when the configuration was applied.

#include "ballast/risk/breaker_conditions.hpp"
#include "ballast/risk/internal/engine_core.hpp"
#include "ballast/risk/trading_hours.hpp"

namespace ballast::risk::internal {

CheckOutcome check_trading_hours(const EngineCore&, OrderContext& ctx) {
  if (ctx.slot == nullptr) return not_applicable();
  if (ctx.reducing) return passed();
  if (!ctx.session_running) return denied(DenyReason::SessionStopped, {}, {});
  const std::span<const TradingSession> hours = ctx.rules->hours;
  if (hours.empty() || in_any_session(hours, ctx.now)) return passed();
  // Limit and value in whole Unix seconds (the message prints them as ISO-8601); openings fall on a minute.
  const auto next = next_trading_open(hours, ctx.now);
  const std::int64_t next_s = next ? core::floor_div(next->value, core::kNanosPerSecond) : 0;
  return denied(DenyReason::OutsideTradingHours, core::Decimal::from_int(next_s),
                core::Decimal::from_int(core::floor_div(ctx.now.value, core::kNanosPerSecond)));
}

}  // namespace ballast::risk::internal
