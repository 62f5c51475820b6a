#include "ballast/analytics/stress_report.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::analytics {

ShockSource StressReport::source(Eigen::Index scenario, Eigen::Index position) const {
  BALLAST_REQUIRE(scenario >= 0 && scenario < pnl.rows() && position >= 0 && position < pnl.cols(),
                  fmt::format("cell ({}, {}) is outside the {}x{} report", scenario, position, pnl.rows(), pnl.cols()));
  return sources[static_cast<std::size_t>(scenario * pnl.cols() + position)];
}

core::Result<StressReport> run_stress_test(std::span<const StressPosition> positions,
                                           std::span<const StressScenario> scenarios, std::optional<double> equity) {
  BALLAST_TRY(check_positions(positions));
  BALLAST_TRY(check_scenarios(scenarios));
  if (equity && (!std::isfinite(*equity) || *equity <= 0.0)) {
    return core::Error(core::ErrorCode::InvalidArgument, fmt::format("equity {} must be finite and positive", *equity),
                       "equity");
  }

  const auto rows = static_cast<Eigen::Index>(scenarios.size());
  const auto cols = static_cast<Eigen::Index>(positions.size());
  StressReport report;
  report.moves.resize(rows, cols);
  report.pnl.resize(rows, cols);
  report.sources.reserve(scenarios.size() * positions.size());
  for (const StressPosition& p : positions) report.instruments.push_back(p.instrument);

  for (Eigen::Index s = 0; s < rows; ++s) {
    const StressScenario& scenario = scenarios[static_cast<std::size_t>(s)];
    report.scenarios.push_back(scenario.name);
    for (Eigen::Index i = 0; i < cols; ++i) {
      const StressPosition& p = positions[static_cast<std::size_t>(i)];
      const AppliedShock shock = resolve_shock(scenario, p.instrument, p.asset_class);
      report.moves(s, i) = shock.move;
      report.pnl(s, i) = p.exposure() * shock.move;
      report.sources.push_back(shock.source);
    }
    std::vector<std::string> unmatched;
    for (const auto& [key, move] : scenario.instrument_shocks) {
      bool matched = false;
      for (const StressPosition& p : positions) {
        if (p.instrument == key || instrument_symbol(p.instrument) == key) {
          matched = true;
          break;
        }
      }
      if (!matched) unmatched.push_back(key);
    }
    report.unmatched_instrument_shocks.push_back(std::move(unmatched));
  }

  report.totals = report.pnl.rowwise().sum();
  for (Eigen::Index s = 1; s < rows; ++s) {
    if (report.totals[s] < report.totals[report.worst_scenario]) report.worst_scenario = s;
  }
  if (equity) {
    report.equity = equity;
    report.total_fraction_of_equity = report.totals / *equity;
    report.pnl_fraction_of_equity = report.pnl / *equity;
  }
  return report;
}

}  // namespace ballast::analytics
