#pragma once
// Execution simulation: runs one execution algorithm (or an immediate market order) for a parent order on
// the simulated venue over historical bars, through the Kernel — so every child order passes the risk
// engine — and measures the execution quality (execution/execution_quality.hpp).
//
// Market model: bar fill rules of the simulated venue; taker fills pay the square-root impact
// I = Y·σ_d·√(q/V_d) on each child (σ_d: daily volatility of the bars' close-to-close returns scaled by
// √(bars per day); V_d: average daily volume), with `max_volume_participation` of each bar's volume
// available to us. The impact is temporary (it does not move later prices): with this model splitting
// an order lowers its impact cost by construction, while waiting exposes it to the price drift — the
// figures show both effects. The arrival price is the first bar's open; the market VWAP is measured over
// the bars of the horizon.

#include "ballast/backtest/backtest_engine.hpp"
#include "ballast/execution/execution_algorithm.hpp"
#include "ballast/execution/execution_quality.hpp"

#include <functional>
#include <memory>
#include <span>
#include <string>

namespace ballast::backtest {

struct ExecutionSimulationConfig {
  execution::ParentOrder parent{};  // instrument, side, quantity, start, end, limit, protection
  double impact_coefficient{0.7};   // Y of the square-root law
  // Share of each bar's volume the children may take; nullopt: unlimited (an immediate order takes the
  // whole quantity at once and pays its impact through the model).
  std::optional<core::Decimal> max_volume_participation{core::Decimal::from_raw(25, 2)};
  core::Decimal starting_balance{core::Decimal::from_int(10'000'000)};
  risk::RiskConfig risk{};          // the gate every child passes
  // σ_d and V_d of `all_bars` (daily_volatility_and_volume below) when the caller already measured them —
  // a study runs hundreds of parents on the same bars; nullopt: measured here.
  std::optional<std::pair<double, double>> daily_volatility_and_volume{};
};

// Makes the algorithm for the parent; nullptr means an immediate market order for the whole quantity.
using AlgorithmFactory =
    std::function<core::Result<std::unique_ptr<execution::ExecutionAlgorithm>>(const execution::ParentOrder&)>;

struct ExecutionSimulationResult {
  std::string algorithm;  // "TWAP", … or "IMMEDIATE"
  execution::ExecutionQuality quality{};
  std::vector<model::Fill> fills{};
  double residual{0.0};
  double daily_volatility{0.0};
  double daily_volume{0.0};
};

// Daily volatility and average daily volume of the bars (both > 0 needed; errors otherwise). For intraday
// bars, ADV and bars per day are the means over the complete UTC days that have bars (strictly between the
// first and the last day: sessions, weekends and holidays do not dilute a day); with no complete day, and
// for bars of a day or longer, bars per day = 1 day / interval and ADV = mean bar volume × that.
// σ_daily = sample σ of bar-to-bar simple returns × √(bars per day).
core::Result<std::pair<double, double>> daily_volatility_and_volume(std::span<const model::Bar> bars);

core::Result<ExecutionSimulationResult> simulate_execution(const ExecutionSimulationConfig& config,
                                                           const model::Instrument& instrument,
                                                           std::span<const model::Bar> bars,
                                                           const AlgorithmFactory& make_algorithm);

}  // namespace ballast::backtest
