#pragma once
// Order-book analytics on a model::OrderBook (docs/analytics/market.md §5): depth near the mid,
// imbalance, microprice, liquidity zones and the market impact of a given size.
//
// Units and signs: prices in the book's quote units, sizes in its base units, notional = Σ price ×
// size in quote units, bps = 1e-4 of the reference price. Outputs are doubles (analytics convention),
// but every selection is made exactly on the book's fixed-point prices and sizes: band edges are
// computed in Decimal, a taker walk subtracts exact Quantities and accumulates Σ ticks × size in 128-bit
// integers, and only the final figures are converted.
//
//  - DEPTH within ±N bps of the mid: bids priced ≥ mid·(1 − N/10⁴), asks priced ≤ mid·(1 + N/10⁴),
//    edges included. N is resolved to 1e-6 bps; the edge offset mid·N/10⁴ is exact when it fits 18
//    decimal places and otherwise rounded toward zero (so a band never reaches beyond N bps).
//  - IMBALANCE = (B − A)/(B + A) in [−1, 1], B and A the bid and ask size in the best n levels of each
//    side, or within ±N bps of the mid. Positive = more resting bids. B + A = 0 gives 0.
//  - MICROPRICE (size-weighted mid) = (bid·ask_size + ask·bid_size)/(bid_size + ask_size) at the touch:
//    it leans toward the side with LESS size, where the next trade is likelier to move the price.
//  - LIQUIDITY ZONES. Per side, among its best `max_levels` levels (0 = all): the median level size m;
//    a level is SIGNIFICANT when its size > size_multiple × m; significant levels of a side whose
//    prices are within merge_ticks ticks of the previous one (chained) merge into a zone. A zone's
//    size and notional sum its significant levels only. Distances are in bps from the side's best
//    price (defined on a one-sided book too).
//  - MARKET IMPACT of a taker order of a given size: a BUY walks the asks from the best, a SELL the
//    bids, taking min(remaining, level size) at each level. Reported: average fill price, worst
//    (last) price, levels consumed (a partly taken level counts), slippage = side·(avg − ref)/ref·10⁴
//    bps against the mid and against the touch (positive = worse than the reference), impact cost =
//    side·(avg − mid)·filled in quote units, and the unfilled remainder when the side runs out
//    (too_thin). side = +1 for a buy, −1 for a sell.
//
// Every function errors on an empty book and on a book that needs a resync (its levels are stale).
// Anything that uses the mid needs both sides and a positive mid. A crossed or locked book is measured
// as the venue sent it.

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/model/price.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ballast::analytics {

struct SideDepth {
  double quantity = 0.0;
  double notional = 0.0;
  std::size_t levels = 0;
};

struct DepthBand {
  double bps = 0.0;
  double mid = 0.0;
  double lower_price = 0.0;  // mid·(1 − N/10⁴)
  double upper_price = 0.0;  // mid·(1 + N/10⁴)
  SideDepth bid;
  SideDepth ask;
};

// N in (0, 10000].
core::Result<DepthBand> depth_within_bps(const model::OrderBook& book, double bps);

struct BookImbalance {
  double bid_quantity = 0.0;
  double ask_quantity = 0.0;
  double imbalance = 0.0;  // (B − A)/(B + A)
};

// Best `levels` (≥ 1) of each side; a one-sided book gives ±1.
core::Result<BookImbalance> imbalance_top_levels(const model::OrderBook& book, std::size_t levels);
// Within ±N bps of the mid, N in (0, 10000].
core::Result<BookImbalance> imbalance_within_bps(const model::OrderBook& book, double bps);

// Size-weighted mid at the touch; needs both sides.
core::Result<double> microprice(const model::OrderBook& book);

struct LiquidityZoneConfig {
  std::size_t max_levels = 0;    // levels per side considered (0 = all)
  double size_multiple = 2.0;    // k: significant when size > k × median level size; finite, > 0
  std::int64_t merge_ticks = 2;  // significant levels this many ticks apart or closer merge; ≥ 1
};

core::Status validate(const LiquidityZoneConfig& config);

struct SignificantLevel {
  model::OrderSide side = model::OrderSide::Buy;
  double price = 0.0;
  double size = 0.0;
  double notional = 0.0;
  double size_to_median = 0.0;  // size / median level size of its side
  double distance_bps = 0.0;    // |price − best of its side| / best · 10⁴
};

struct LiquidityZone {
  model::OrderSide side = model::OrderSide::Buy;
  double price_low = 0.0;
  double price_high = 0.0;
  double size = 0.0;
  double notional = 0.0;
  std::size_t levels = 0;   // significant levels merged
  double peak_price = 0.0;  // its largest level (the one nearer the touch on a tie)
  double peak_size = 0.0;
  double distance_bps = 0.0;  // from the side's best price to the zone's nearest edge
};

struct LiquidityMap {
  double bid_median_size = 0.0;  // 0 when the side is empty
  double ask_median_size = 0.0;
  std::vector<SignificantLevel> significant_levels;  // both sides, largest size first
  std::vector<LiquidityZone> bid_zones;              // nearest to the touch first
  std::vector<LiquidityZone> ask_zones;              // nearest to the touch first
};

core::Result<LiquidityMap> liquidity_zones(const model::OrderBook& book, const LiquidityZoneConfig& config = {});

struct MarketImpact {
  model::OrderSide side = model::OrderSide::Buy;
  double requested_quantity = 0.0;
  double filled_quantity = 0.0;
  double unfilled_quantity = 0.0;
  bool too_thin = false;       // the side ran out before the order was filled
  double average_price = 0.0;  // over the filled part
  double best_price = 0.0;     // the touch of the side walked
  double worst_price = 0.0;    // the last level reached
  double mid = 0.0;
  double notional = 0.0;      // Σ price × filled size
  double slippage_bps = 0.0;  // against the mid
  double slippage_vs_best_bps = 0.0;
  double impact_cost = 0.0;  // side·(avg − mid)·filled, quote units
  std::size_t levels_consumed = 0;
};

// Errors on a zero quantity, an empty or stale book, or a book without both sides (no mid).
core::Result<MarketImpact> estimate_market_impact(const model::OrderBook& book, model::OrderSide side,
                                                  const model::Quantity& quantity);

}  // namespace ballast::analytics
