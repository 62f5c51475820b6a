#pragma once
// Circuit-breaker definitions: what a breaker watches (condition), where (scope), when it trips
// (threshold, window), what it does (action), and how it re-arms (cool-down, reset policy).
//
// Conditions and the units of `threshold`:
//   ACCOUNT_DRAWDOWN   — (peak equity − equity) / peak equity, fraction (0.10 = 10 %); peak since the last reset.
//   POSITION_DRAWDOWN  — loss of the open position from its best unrealised P&L, as a fraction of the
//                        position's entry notional (0.05 = 5 %); instrument scope or every instrument.
//   DAILY_LOSS         — loss since 00:00 UTC (realised + unrealised), settlement currency, positive amount.
//   VOLATILITY_SPIKE   — realised volatility of mark returns over `window` / its baseline over
//                        `baseline_window`, a multiple (3 = three times the baseline).
//   RAPID_MOVE         — |price change| within `window`, fraction of the price at the window start.
//   LOSS_STREAK        — consecutive losing closed trades, a count.
//   REJECT_RATE        — venue rejects / orders sent over `window`, fraction; needs `min_samples` orders.
//   TRADING_HOURS      — trips while the time is outside every `sessions` window (UTC, per weekday);
//                        threshold unused.
// Actions: ALERT (event + alert only), CANCEL_ORDERS (cancel working orders in scope), CLOSE_POSITION
// (cancel and close the position(s) in scope at market, reduce-only), REDUCE_ONLY (trading state
// REDUCING), HALT (state HALTED), FLATTEN_ALL (cancel every order, close every position, then HALTED).
// Cool-down: after a trip the breaker does not trip again for `cooldown`; with `block_trading_during_cooldown`
// the trading state stays at least REDUCING until the cool-down ends. Reset: AUTOMATIC re-arms when the
// cool-down has passed and the condition is no longer met; MANUAL waits for an explicit reset.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::risk {

enum class BreakerCondition {
  AccountDrawdown,
  PositionDrawdown,
  DailyLoss,
  VolatilitySpike,
  RapidMove,
  LossStreak,
  RejectRate,
  TradingHours,
};

enum class BreakerAction { Alert, CancelOrders, ClosePosition, ReduceOnly, Halt, FlattenAll };
enum class BreakerScope { Account, Instrument };
enum class ResetPolicy { Automatic, Manual };

std::string_view to_string(BreakerCondition v) noexcept;
std::string_view to_string(BreakerAction v) noexcept;
std::string_view to_string(BreakerScope v) noexcept;
std::string_view to_string(ResetPolicy v) noexcept;
template <class T>
core::Result<T> parse_breaker_enum(std::string_view text);
template <>
core::Result<BreakerCondition> parse_breaker_enum<BreakerCondition>(std::string_view text);
template <>
core::Result<BreakerAction> parse_breaker_enum<BreakerAction>(std::string_view text);
template <>
core::Result<BreakerScope> parse_breaker_enum<BreakerScope>(std::string_view text);
template <>
core::Result<ResetPolicy> parse_breaker_enum<ResetPolicy>(std::string_view text);

// A daily trading window in UTC: [start, end) minutes after midnight, on the weekdays whose bit is set
// (bit 0 = Monday … bit 6 = Sunday). end < start wraps past midnight.
struct TradingSession {
  std::int32_t start_minute{0};
  std::int32_t end_minute{24 * 60};
  std::uint8_t weekdays{0x7f};
  friend bool operator==(const TradingSession&, const TradingSession&) = default;
};

struct CircuitBreakerConfig {
  std::string name{};  // unique, identifier-like ("account-drawdown-10")
  BreakerCondition condition{BreakerCondition::AccountDrawdown};
  BreakerScope scope{BreakerScope::Account};
  std::optional<core::InstrumentId> instrument_id{};  // instrument scope: nullopt = every instrument
  bool enabled{true};
  core::Decimal threshold{};
  core::Duration window{std::chrono::minutes(5)};            // VOLATILITY_SPIKE, RAPID_MOVE, REJECT_RATE
  core::Duration baseline_window{std::chrono::hours(24)};    // VOLATILITY_SPIKE
  std::int64_t min_samples{20};                              // REJECT_RATE, VOLATILITY_SPIKE
  std::vector<TradingSession> sessions{};                    // TRADING_HOURS
  BreakerAction action{BreakerAction::Alert};
  core::Duration cooldown{std::chrono::minutes(30)};
  bool block_trading_during_cooldown{false};
  ResetPolicy reset{ResetPolicy::Automatic};
  friend bool operator==(const CircuitBreakerConfig&, const CircuitBreakerConfig&) = default;
};

// Out of the box: account drawdown 10 % → cancel all orders; position drawdown 5 % → close the position.
std::vector<CircuitBreakerConfig> default_circuit_breakers();

// Problems of one breaker, each prefixed with `path` ("circuit_breakers[1]").
void collect_breaker_errors(const CircuitBreakerConfig& breaker, std::string_view path,
                            std::vector<std::string>& errors);

}  // namespace ballast::risk
