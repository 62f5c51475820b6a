#pragma once
// Runs stress scenarios against a portfolio and lays the result out for a heatmap: a matrix of P&L
// with one row per scenario and one column per position (in input order), the total per scenario,
// the worst scenario and, when equity is given, P&L as a fraction of equity.
//
// Signs and units: P&L is in the portfolio currency, NEGATIVE = LOSS. Cell (s, i) is
// exposure_i × move_(s,i), the linear approximation of stress_position.hpp; the move comes from the
// precedence rules of stress_scenario.hpp. Fractions of equity are plain fractions (−0.12 = a loss of
// 12% of equity). Prices only: the volatility and correlation stress of a scenario affect the stressed
// VaR (stress_var.hpp), not this report.

#include "ballast/analytics/stress_position.hpp"
#include "ballast/analytics/stress_scenario.hpp"
#include "ballast/core/result.hpp"

#include <Eigen/Core>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::analytics {

struct StressReport {
  std::vector<std::string> scenarios;    // row labels: scenario names
  std::vector<std::string> instruments;  // column labels: the instrument of each position
  Eigen::MatrixXd moves;                 // scenarios × positions: applied move (fraction)
  std::vector<ShockSource> sources;      // row-major, scenarios × positions: where each move came from
  Eigen::MatrixXd pnl;                   // scenarios × positions: P&L (negative = loss)
  Eigen::VectorXd totals;                // per scenario: row sums of pnl
  Eigen::Index worst_scenario = 0;       // row with the lowest total (the first one on a tie)
  // Instrument shock keys of each scenario that matched no position (by id or symbol): usually a
  // typo or a portfolio without that coin; shown so a zero P&L is never silent.
  std::vector<std::vector<std::string>> unmatched_instrument_shocks;
  std::optional<double> equity;              // as given; > 0
  Eigen::VectorXd total_fraction_of_equity;  // totals / equity; empty when no equity was given
  Eigen::MatrixXd pnl_fraction_of_equity;    // pnl / equity; empty when no equity was given

  ShockSource source(Eigen::Index scenario, Eigen::Index position) const;
  double worst_total() const { return totals[worst_scenario]; }
};

// Every scenario against every position. Errors (INVALID_ARGUMENT, every problem at once): invalid
// positions or scenarios (check_positions, check_scenarios), an equity that is not finite and
// positive.
core::Result<StressReport> run_stress_test(std::span<const StressPosition> positions,
                                           std::span<const StressScenario> scenarios,
                                           std::optional<double> equity = std::nullopt);

}  // namespace ballast::analytics
