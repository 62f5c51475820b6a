#pragma once
// Smart order router: splits an order across venues by the liquidity each shows, its price and its fee,
// and picks the execution algorithm for a parent order.
//
// Routing (route_order): every venue's opposite-side levels are ranked together by their EFFECTIVE price
// — price × (1 + taker fee) for a buy, price × (1 − taker fee) for a sell — and taken best first until
// the quantity is filled, the limit is reached or the books run out; a venue's own cap (balance, risk
// headroom) stops it early. The plan gives, per venue, the quantity, the worst level price (the limit of
// the IOC child to send there), the average price and the expected fee. Ties go to the venue listed
// first. Quantities are rounded down to each venue instrument's step.
//
// Algorithm choice (select_algorithm), with the reasons spelled out:
//   1. IMMEDIATE when the order is at most `immediate_book_share` of the liquidity within
//      `depth_bps` of the mid on the side it takes (crossing costs little against waiting);
//   2. otherwise by size against average daily volume: ≤ iceberg_max_adv → ICEBERG (hide the size, work
//      passively); ≤ twap_max_adv → TWAP; larger → VWAP (follow the volume curve to limit impact);
//   3. in HIGH or EXTREME volatility an ICEBERG becomes a TWAP (resting passively for long invites
//      adverse selection when prices move fast), and a VWAP keeps its choice but the reason says so.
// Defaults: immediate_book_share 0.2, depth_bps 10, iceberg_max_adv 0.5 %, twap_max_adv 5 %.

#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::execution {

struct VenueLiquidity {
  const model::Instrument* instrument{nullptr};  // the venue's listing (id carries the venue)
  const model::OrderBook* book{nullptr};
  std::optional<core::Decimal> max_quantity{};  // cap for this venue
};

struct VenueAllocation {
  core::InstrumentId instrument_id{};
  core::Decimal quantity{};
  model::Price worst_price{};
  double average_price{0.0};
  double expected_fee{0.0};  // settlement currency
};

struct RoutePlan {
  std::vector<VenueAllocation> allocations{};  // venues with a non-zero quantity, in input order
  core::Decimal unfilled{};
  double average_price{0.0};      // over everything allocated
  double expected_fees{0.0};
};

core::Result<RoutePlan> route_order(model::OrderSide side, const core::Decimal& quantity,
                                    std::optional<model::Price> limit, std::span<const VenueLiquidity> venues);

enum class AlgorithmKind { Immediate, Iceberg, Twap, Vwap };
std::string_view to_string(AlgorithmKind kind) noexcept;

struct AlgorithmSelectionConfig {
  double immediate_book_share{0.2};
  double depth_bps{10.0};
  double iceberg_max_adv{0.005};
  double twap_max_adv{0.05};
};

struct AlgorithmChoice {
  AlgorithmKind kind{AlgorithmKind::Immediate};
  std::string reason{};
  double book_share{0.0};  // quantity / liquidity within depth_bps (inf when there is none)
  double adv_share{0.0};   // quantity / average daily volume
};

// `visible_liquidity`: size on the side the order takes within depth_bps of the mid.
core::Result<AlgorithmChoice> select_algorithm(double quantity, double visible_liquidity, double average_daily_volume,
                                               analytics::VolatilityLevel volatility,
                                               const AlgorithmSelectionConfig& config = {});

// Size on `side` within `depth_bps` of the mid (the side a BUY takes is the asks).
double liquidity_within(const model::OrderBook& book, model::OrderSide taker_side, double depth_bps);

}  // namespace ballast::execution
