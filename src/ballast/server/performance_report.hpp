#pragma once
// Performance attribution of the account's fills by strategy or by instrument, and the regular equity
// grid the account's return metrics are computed on. Pure: no clock, no store, no desk — the API
// (api_performance.cpp) reads those and passes plain values in. Conventions (docs/api.md §Performance):
//
//  - Average cost, per (group, instrument), over ALL fills before the window's end: a fill that adds to a
//    position adds price × quantity × multiplier to its open cost; a fill that reduces it releases the
//    open cost pro rata (closed / open, rounded half-even to max(8, cost scale) decimals; all of it when
//    the position closes) and realises exit value − released cost (long) or released cost − exit value
//    (short). A flip closes the open quantity (realising against the average cost) and opens the rest
//    at the fill price. Linear instruments only (P&L in the settlement currency).
//  - Window [from, to): the realised P&L, fees, fills and notional of fills inside it. Positions opened
//    before the window carry their cost basis in, so a fill inside the window realises what it realises
//    against that cost. Fills at or after `to` are ignored.
//  - Fees: positive amounts that reduce P&L, counted only in the settlement currency `currency`; a fee in
//    another currency counts as 0 and is listed (summed per currency) in fees_uncounted. A fill with an
//    empty fee currency and a zero fee is fine; a non-zero fee with an empty currency is uncounted.
//  - net P&L = realised − fees. Unrealised P&L is the open positions at the given marks (current, not
//    as of the window's start); total = net + unrealised only when the window covers all history.
//  - A round trip runs from a flat (group, instrument) position until it is flat again or flips. Its
//    P&L is its whole realised P&L minus its fees (opening fills included; a flipping fill's fee is
//    split pro rata by quantity between the trip it closes and the one it opens). It counts in the
//    window in which it closes: a win when its P&L > 0, a loss when < 0, breakeven when 0.
//  - Totals: the sums of the groups (ratios recomputed from the summed counts and amounts).

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::server {

enum class PerformanceGrouping { Strategy, Symbol };
enum class PerformanceTimeframe { Day, Week, Month, All };

std::string_view to_string(PerformanceGrouping grouping) noexcept;     // "strategy" | "symbol"
std::string_view to_string(PerformanceTimeframe timeframe) noexcept;   // "day" | "week" | "month" | "all"
core::Result<PerformanceGrouping> parse_grouping(std::string_view text);    // error names the field "by"
core::Result<PerformanceTimeframe> parse_timeframe(std::string_view text);  // error names "timeframe"
// Rolling UTC windows ending now: 1, 7 and 30 days of 24 h; nullopt for All (from the first fill).
std::optional<core::Duration> timeframe_length(PerformanceTimeframe timeframe) noexcept;

// One fill with the strategy of its order (joined by client order id).
struct AttributedFill {
  std::string trade_id;  // for error messages
  core::UnixNanos ts{};
  std::string client_order_id;
  std::string strategy_id;
  std::string instrument_id;
  model::OrderSide side{model::OrderSide::Buy};
  core::Decimal quantity{};  // > 0
  core::Decimal price{};     // > 0
  core::Decimal fee{};       // ≥ 0 normally; negative for a rebate
  std::string fee_currency;
};

struct InstrumentTerms {
  core::Decimal multiplier{core::Decimal::from_int(1)};
  std::optional<core::Decimal> mark;  // the current mark price; nullopt when none yet
};

struct PerformanceInput {
  std::vector<AttributedFill> fills;  // any order: sorted by time (stable) before use
  std::map<std::string, InstrumentTerms, std::less<>> instruments;  // by instrument id; missing: multiplier 1, no mark
  std::string currency;  // the settlement currency ("USDT")
  PerformanceGrouping by{PerformanceGrouping::Strategy};
  std::optional<core::UnixNanos> from;  // nullopt: all history
  core::UnixNanos to{};
};

struct OpenPosition {
  std::string instrument_id;
  core::Decimal quantity{};  // signed: long > 0
  core::Decimal avg_entry_price{};
  std::optional<core::Decimal> mark;
  std::optional<core::Decimal> unrealized_pnl;  // nullopt without a mark
};

struct UncountedFee {
  std::string currency;
  core::Decimal amount{};
  std::size_t fills = 0;
};

struct PerformanceMetrics {
  core::Decimal realized_pnl{};
  core::Decimal fees{};
  core::Decimal net_pnl{};  // realised − fees
  // Open positions at the marks; nullopt when a position has no mark.
  std::optional<core::Decimal> unrealized_pnl{core::Decimal{}};
  std::optional<core::Decimal> total_pnl;  // net + unrealised; only when the window covers all history
  core::Decimal traded_notional{};         // Σ |price × quantity × multiplier| of the window's fills
  std::size_t fills = 0;
  std::size_t round_trips = 0;
  std::size_t wins = 0;
  std::size_t losses = 0;
  std::size_t breakeven = 0;
  core::Decimal gross_profit{};  // Σ P&L of winning round trips (≥ 0)
  core::Decimal gross_loss{};    // Σ P&L of losing round trips (≤ 0)
  std::optional<double> win_rate;       // wins / round trips; nullopt without round trips
  std::optional<double> profit_factor;  // gross profit / |gross loss|; nullopt without a loss
  std::optional<core::Decimal> average_win;   // gross profit / wins
  std::optional<core::Decimal> average_loss;  // gross loss / losses (negative)
  std::optional<core::Decimal> largest_win;
  std::optional<core::Decimal> largest_loss;  // negative
  std::vector<OpenPosition> positions;        // per group; empty in the total
  std::vector<UncountedFee> fees_uncounted;   // by currency, sorted
};

struct PerformanceGroup {
  std::string key;  // the strategy id or the instrument id
  PerformanceMetrics metrics;
};

struct PerformanceReport {
  std::optional<core::UnixNanos> from;  // the window's start (the first fill for all history; nullopt: no fills)
  core::UnixNanos to{};
  bool covers_all_history = true;
  std::vector<PerformanceGroup> groups;  // every group with a fill before `to`, sorted by key
  PerformanceMetrics total;
};

// Errors (InvalidArgument, naming the fill's trade id): a non-positive quantity or price, a multiplier
// that is not positive; Overflow when an amount leaves the decimal range.
core::Result<PerformanceReport> attribute_performance(const PerformanceInput& input);

// ---- the equity grid of the account metrics ----

struct EquityPoint {
  core::UnixNanos ts{};
  core::Decimal equity{};
};

struct EquityGrid {
  core::Duration interval{0};  // one day, or the snapshot interval
  std::vector<core::UnixNanos> ts;
  std::vector<double> equity;
  std::size_t snapshots = 0;      // points read
  std::size_t empty_buckets = 0;  // grid buckets between the first and last without a snapshot (skipped)
};

// Resampling rule: when the snapshots span at least 2 days (last − first ≥ 48 h) the grid is daily,
// otherwise it is `snapshot_interval` (> 0). Buckets are UTC-aligned [k·interval, (k+1)·interval); each
// bucket with a snapshot gives one observation, the bucket's LAST snapshot (its own timestamp and
// equity); buckets without one are skipped, so a return may span a gap. Points must be in time order
// (the store returns them oldest first); the error names the first out-of-order index.
core::Result<EquityGrid> equity_grid(std::span<const EquityPoint> points, core::Duration snapshot_interval);

}  // namespace ballast::server
