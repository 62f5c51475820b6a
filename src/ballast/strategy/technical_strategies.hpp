#pragma once
// The built-in technical strategies (all SignalStrategy: one instrument, bars, long-only by default; see
// signal_strategy.hpp for how targets become orders and for the crossover tie rule). Signals, evaluated
// on each bar's close after the indicators are updated with it:
//   sma_cross / ema_cross   fast MA crosses above slow → LONG; below → SHORT (FLAT when long-only).
//   macd_cross              MACD line crosses above its signal line → LONG; below → SHORT.
//   rsi_reversion           RSI < oversold → LONG; RSI > overbought → SHORT; a long exits (FLAT) once
//                           RSI >= exit, a short once RSI <= exit.
//   bollinger_breakout      close > upper band → LONG; close < lower band → SHORT; a long exits when the
//                           close falls below the middle band, a short when it rises above it.
//   bollinger_reversion     close < lower band → LONG (expecting a return to the mean); close > upper →
//                           SHORT; a long exits at close >= middle, a short at close <= middle.
//   donchian_breakout       close > the highest high of the previous `period` bars → LONG; close < the
//                           lowest low of the previous `period` bars → SHORT (the current bar is not part
//                           of the channel it breaks).
// Indicator values each reports on every bar (SignalStrategy::indicators, the record of a signal):
//   sma_cross / ema_cross "fast", "slow"; macd_cross "macd", "signal"; rsi_reversion "rsi";
//   bollinger_* "upper", "middle", "lower"; donchian_breakout "upper", "lower" (the channel of the
//   previous `period` bars, the one the close is compared with).
// create_strategy() builds one by name from "name=value" parameters; errors name what exists.

#include "ballast/strategy/signal_strategy.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::strategy {

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
  std::span<const ParameterSpec> parameters;
};

// Every built-in strategy, in a stable order.
std::span<const StrategyInfo> builtin_strategies() noexcept;

// Errors: unknown strategy (listing the names), bad parameters (see StrategyParameters), inconsistent
// parameters (fast >= slow, oversold >= overbought, …).
core::Result<std::unique_ptr<SignalStrategy>> create_strategy(std::string_view name, core::InstrumentId instrument_id,
                                                              std::span<const std::string> assignments);

}  // namespace ballast::strategy
