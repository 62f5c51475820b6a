#include "ballast/analytics/trade_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ballast::analytics {
namespace {

using core::Error;
using core::ErrorCode;

core::Status validate_trades(std::span<const ClosedTrade> trades) {
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const ClosedTrade& t = trades[i];
    if (!std::isfinite(t.pnl) || !std::isfinite(t.fees)) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("trades[{}] has pnl {} and fees {}; both must be finite", i, t.pnl, t.fees),
                   fmt::format("trades[{}]", i));
    }
    if (t.exit_time < t.entry_time) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("trades[{}] exits at {} before it enters at {}", i, core::format_iso8601(t.exit_time),
                               core::format_iso8601(t.entry_time)),
                   fmt::format("trades[{}]", i));
    }
  }
  return core::ok();
}

// Length of the union of the trades' [entry, exit) intervals clipped to the period, by sweeping the
// intervals in entry order (O(n log n)).
core::Duration covered_time(std::span<const ClosedTrade> trades, const TimeRange& period) {
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  spans.reserve(trades.size());
  for (const ClosedTrade& t : trades) {
    const std::int64_t a = std::max(t.entry_time.value, period.start.value);
    const std::int64_t b = std::min(t.exit_time.value, period.end.value);
    if (b > a) spans.emplace_back(a, b);
  }
  std::sort(spans.begin(), spans.end());
  std::int64_t covered = 0;
  std::int64_t cur_start = 0;
  std::int64_t cur_end = 0;
  bool open = false;
  for (const auto& [a, b] : spans) {
    if (open && a <= cur_end) {
      cur_end = std::max(cur_end, b);
      continue;
    }
    if (open) covered += cur_end - cur_start;
    cur_start = a;
    cur_end = b;
    open = true;
  }
  if (open) covered += cur_end - cur_start;
  return core::Duration(covered);
}

}  // namespace

core::Result<TradeStats> trade_statistics(std::span<const ClosedTrade> trades, std::optional<TimeRange> period) {
  BALLAST_TRY(validate_trades(trades));
  if (period && period->end < period->start) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("period ends at {} before it starts at {}", core::format_iso8601(period->end),
                             core::format_iso8601(period->start)),
                 "period");
  }
  TradeStats s;
  s.count = trades.size();
  if (trades.empty()) return s;  // every Statistic stays undefined (TooFewObservations)

  double largest_win = 0.0;
  double largest_loss = 0.0;
  long double holding_ns = 0.0L;
  for (const ClosedTrade& t : trades) {
    const double net = t.net_pnl();
    s.net_pnl += net;
    s.total_fees += t.fees;
    holding_ns += static_cast<long double>((t.exit_time - t.entry_time).count());
    if (net > 0.0) {
      ++s.wins;
      s.gross_profit += net;
      largest_win = std::max(largest_win, net);
    } else if (net < 0.0) {
      ++s.losses;
      s.gross_loss += net;
      largest_loss = std::min(largest_loss, net);
    } else {
      ++s.breakeven;
    }
  }
  const auto n = static_cast<double>(s.count);
  s.win_rate = Statistic::of(static_cast<double>(s.wins) / n);
  s.expectancy = Statistic::of_finite(s.net_pnl / n);
  s.average_holding_time =
      core::Duration(static_cast<std::int64_t>(std::llround(holding_ns / static_cast<long double>(s.count))));
  if (s.wins > 0) {
    s.average_win = Statistic::of_finite(s.gross_profit / static_cast<double>(s.wins));
    s.largest_win = Statistic::of(largest_win);
  } else {
    s.average_win = Statistic::undefined(UndefinedReason::NoWins);
    s.largest_win = Statistic::undefined(UndefinedReason::NoWins);
  }
  if (s.losses > 0) {
    s.average_loss = Statistic::of_finite(s.gross_loss / static_cast<double>(s.losses));
    s.largest_loss = Statistic::of(largest_loss);
    s.profit_factor = Statistic::of_finite(s.gross_profit / -s.gross_loss);
  } else {
    s.average_loss = Statistic::undefined(UndefinedReason::NoLosses);
    s.largest_loss = Statistic::undefined(UndefinedReason::NoLosses);
    s.profit_factor = Statistic::undefined(UndefinedReason::NoLosses);
  }
  if (!s.average_win.is_defined()) {
    s.payoff_ratio = s.average_win;
  } else if (!s.average_loss.is_defined()) {
    s.payoff_ratio = s.average_loss;
  } else {
    s.payoff_ratio = Statistic::of_finite(s.average_win.value() / -s.average_loss.value());
  }

  // Streaks in exit order (ties keep the input order).
  std::vector<std::size_t> order(trades.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return trades[a].exit_time < trades[b].exit_time; });
  std::size_t win_run = 0;
  std::size_t loss_run = 0;
  for (std::size_t i : order) {
    const double net = trades[i].net_pnl();
    win_run = net > 0.0 ? win_run + 1 : 0;
    loss_run = net < 0.0 ? loss_run + 1 : 0;
    s.max_consecutive_wins = std::max(s.max_consecutive_wins, win_run);
    s.max_consecutive_losses = std::max(s.max_consecutive_losses, loss_run);
  }

  TimeRange span = period.value_or(TimeRange{trades[0].entry_time, trades[0].exit_time});
  if (!period) {
    for (const ClosedTrade& t : trades) {
      span.start = std::min(span.start, t.entry_time);
      span.end = std::max(span.end, t.exit_time);
    }
  }
  const core::Duration length = span.end - span.start;
  if (length.count() == 0) {
    s.exposure = Statistic::undefined(UndefinedReason::ZeroElapsedTime);
  } else {
    s.exposure =
        Statistic::of(static_cast<double>(covered_time(trades, span).count()) / static_cast<double>(length.count()));
  }
  return s;
}

}  // namespace ballast::analytics
