#pragma once
// Historical stress scenarios found automatically: the K worst non-overlapping N-bar windows of the
// PORTFOLIO's P&L over aligned price histories.
//
// For every start bar t (0 ≤ t ≤ T − 1 − N) the N-bar move of instrument j is the simple return
// m_j(t) = p_j[t + N] / p_j[t] − 1 (close at bar t to close at bar t + N), and the portfolio P&L is
// Σ_i e_i·m_(instrument of i)(t) with the CURRENT exposures e_i (linear, stress_position.hpp): "what
// would today's book have lost had that window repeated". Windows are ranked by P&L, most negative
// first, and chosen greedily: the worst, then the worst that does not overlap any chosen one, and so
// on. Two windows overlap when they share a return period, i.e. their starts are less than N bars
// apart; windows that only touch (one ends at the bar where the next starts) do not. Ties go to the
// earlier window. Fewer than K windows come back when the history holds fewer disjoint ones; they
// can be gains when the book never lost over N bars.
//
// Each window comes with the per-instrument moves, also as a StressScenario with one instrument shock
// per series, so it can be rerun with run_stress_test (stress_report.hpp).

#include "ballast/analytics/stress_position.hpp"
#include "ballast/analytics/stress_scenario.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::analytics {

// Closing prices of one instrument, oldest first, aligned bar for bar with the other series.
struct PriceSeries {
  std::string instrument;  // matched exactly against StressPosition::instrument
  std::vector<double> prices;
};

struct WorstWindowSpec {
  std::size_t window_bars = 1;  // N ≥ 1
  std::size_t count = 5;        // K ≥ 1
};

struct HistoricalStressWindow {
  std::size_t start_index = 0;                // bar of the starting close
  std::size_t end_index = 0;                  // start_index + N
  std::optional<core::UnixNanos> start_time;  // timestamps[start_index] when timestamps were given
  std::optional<core::UnixNanos> end_time;
  double portfolio_pnl = 0.0;  // negative = loss
  std::vector<double> moves;   // per series, in series order: p[end] / p[start] − 1
  StressScenario scenario;     // instrument_shocks = moves by instrument; named after the window
};

// Errors (INVALID_ARGUMENT, every problem at once): invalid positions; no series; a series with an
// empty or duplicate instrument, a length different from the first, or a price that is not finite
// and positive; a position without a series; timestamps given but not one per bar; N = 0, K = 0, or
// N ≥ the number of bars.
core::Result<std::vector<HistoricalStressWindow>> worst_historical_windows(
    std::span<const StressPosition> positions, std::span<const PriceSeries> series, const WorstWindowSpec& spec,
    std::span<const core::UnixNanos> timestamps = {});

}  // namespace ballast::analytics
