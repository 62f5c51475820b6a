#pragma once
// Execution quality of one parent order: how much it cost against the price when the decision was made.
//
// Conventions (costs are POSITIVE when they hurt, in basis points of the arrival price):
//  - arrival price: the mid when the parent started (last trade when no quote);
//  - average price: Σ px·qty / Σ qty over the fills;
//  - arrival slippage (implementation shortfall of the executed part, Perold 1988):
//      side × (average − arrival) / arrival × 10⁴, side = +1 buy, −1 sell;
//  - fees in bps: fees / (filled × arrival × multiplier) × 10⁴ (linear contracts);
//  - total cost = arrival slippage + fees (the figure docs/PERFORMANCE.md compares across algorithms);
//  - VWAP deviation: side × (average − market VWAP) / market VWAP × 10⁴ over the order's horizon;
//  - fill rate: filled / parent quantity; arrival slippage, fees and total cost are over what was filled;
//  - opportunity cost (given the residual price, the market when the execution stopped): the unfilled part
//    valued there, side × (residual − arrival) / arrival × unfilled / parent × 10⁴;
//  - implementation shortfall of the whole parent (Perold): fill rate × total cost + opportunity cost —
//    the cost to compare algorithms that do not all finish;
//  - impact estimate: the square-root law Y·σ_d·√(Q/V_d) in bps for the parent size (see
//    sim/slippage_model.hpp for the reference), a forecast to compare the realised cost with.

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <span>

namespace ballast::execution {

struct ExecutionQualityInputs {
  const model::Instrument* instrument{nullptr};
  model::OrderSide side{model::OrderSide::Buy};
  model::Quantity parent_quantity{};
  model::Price arrival_price{};
  std::span<const model::Fill> fills{};
  int child_orders{0};
  std::optional<double> market_vwap{};       // over the horizon
  std::optional<model::Price> residual_price{};  // values the unfilled part (opportunity cost)
  std::optional<double> daily_volatility{};  // for the impact estimate
  std::optional<double> daily_volume{};
  double impact_coefficient{1.0};
};

struct ExecutionQuality {
  double filled{0.0};
  double fill_rate{0.0};
  std::optional<double> average_price{};
  std::optional<double> arrival_slippage_bps{};
  double fees{0.0};
  std::optional<double> fees_bps{};
  std::optional<double> total_cost_bps{};
  std::optional<double> opportunity_cost_bps{};  // with residual_price
  std::optional<double> shortfall_bps{};         // with residual_price
  std::optional<double> vwap_deviation_bps{};
  std::optional<double> impact_estimate_bps{};
  int child_orders{0};
};

// Errors: no instrument, non-positive arrival price or parent quantity, fills of another side or
// instrument.
core::Result<ExecutionQuality> measure_execution(const ExecutionQualityInputs& inputs);

// Volume-weighted average of the bars' typical price (high + low + close) / 3 for bars starting in
// [start, end); nullopt without volume.
std::optional<double> market_vwap(std::span<const model::Bar> bars, core::UnixNanos start, core::UnixNanos end);

}  // namespace ballast::execution
