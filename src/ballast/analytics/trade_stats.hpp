#pragma once
// Statistics of a list of closed (round-trip) trades (docs/analytics/metrics.md §Trades).
//
// Each trade's NET P&L = pnl − fees, in the account currency: `pnl` is the gross realised P&L and
// `fees` the costs paid (a negative fee is a rebate). Every statistic uses net P&L. A trade is a win
// when net > 0, a loss when net < 0, and breakeven when net == 0 (it counts in `count` and in the
// win-rate denominator, and it breaks both winning and losing streaks).
//
//   win rate        wins / count
//   profit factor   Σ net of wins / |Σ net of losses|
//   average win     mean net of wins (> 0);  average loss: mean net of losses (< 0: losses are negative)
//   payoff ratio    average win / |average loss|
//   expectancy      Σ net / count  (= win rate × average win + loss rate × average loss)
//   largest win     max net (> 0);  largest loss: min net (< 0)
//   streaks         longest run of consecutive wins / losses, trades ordered by exit time
//   holding time    mean of (exit − entry)
//   exposure        |union of [entry, exit) intervals ∩ period| / |period|, in [0, 1]; the period is
//                   the one passed in (the backtest's span) or else [first entry, last exit]
//
// A statistic with nothing to measure is a Statistic with an UndefinedReason (no trades:
// TooFewObservations; profit factor without a loss: NoLosses; average win without a win: NoWins).
// Input errors (non-finite P&L, exit before entry, a period that ends before it starts) name the trade.

#include "ballast/analytics/statistic.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <optional>
#include <span>

namespace ballast::analytics {

struct ClosedTrade {
  core::UnixNanos entry_time;
  core::UnixNanos exit_time;  // ≥ entry_time
  double pnl = 0.0;           // gross realised P&L
  double fees = 0.0;          // costs (commission, funding paid); negative for a rebate

  double net_pnl() const noexcept { return pnl - fees; }
};

struct TimeRange {
  core::UnixNanos start;
  core::UnixNanos end;  // ≥ start
};

struct TradeStats {
  std::size_t count = 0;
  std::size_t wins = 0;
  std::size_t losses = 0;
  std::size_t breakeven = 0;
  double gross_profit = 0.0;  // Σ net of wins (≥ 0)
  double gross_loss = 0.0;    // Σ net of losses (≤ 0)
  double net_pnl = 0.0;       // Σ net
  double total_fees = 0.0;    // Σ fees
  Statistic win_rate;
  Statistic profit_factor;
  Statistic average_win;
  Statistic average_loss;  // negative
  Statistic payoff_ratio;
  Statistic expectancy;
  Statistic largest_win;
  Statistic largest_loss;  // negative
  std::size_t max_consecutive_wins = 0;
  std::size_t max_consecutive_losses = 0;
  std::optional<core::Duration> average_holding_time;  // nullopt without trades
  Statistic exposure;                                  // fraction of the period with an open position
};

core::Result<TradeStats> trade_statistics(std::span<const ClosedTrade> trades,
                                          std::optional<TimeRange> period = std::nullopt);

}  // namespace ballast::analytics
