#pragma once
// Backtest reports: one or several runs (strategies or parameter sets on the same data) as a
// self-contained HTML page — inline CSS and SVG, no script, no font or network request, so it opens
// offline — and the same data as JSON.
//
// The page holds: the equity curves against the buy-and-hold benchmark, each run's drawdown, the price
// with trade entry/exit markers (first run), the monthly returns heatmap, the metrics table (every
// metric of analytics::summarize_equity_curve and analytics::trade_statistics, one column per run), the
// trade list, and for optimisations the parameter heatmap.
//
// Conventions: returns are simple; monthly return = equity at the month's last sample / equity at the
// previous month's last sample − 1 (the first month against the first sample); metrics annualise with
// the run's periods_per_year (docs/conventions.md). Long series are drawn with at most 1,500 points per
// line (each bucket keeps its first, minimum and maximum sample, so spikes and drawdowns stay visible).

#include "ballast/analytics/performance.hpp"
#include "ballast/analytics/trade_stats.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ballast::backtest {

struct EquitySample {
  core::UnixNanos ts{};
  double equity{0.0};
};

struct PriceSample {
  core::UnixNanos ts{};
  double close{0.0};
};

struct TradeMarker {
  core::UnixNanos ts{};
  double price{0.0};
  model::OrderSide side{model::OrderSide::Buy};
  bool entry{true};  // entry (opens or adds) or exit (reduces or closes)
};

// A closed round trip: a position from flat (or a flip) back to flat.
struct RoundTrip {
  core::InstrumentId instrument_id{};
  model::PositionSide direction{model::PositionSide::Long};
  core::UnixNanos entry_time{};
  core::UnixNanos exit_time{};
  double entry_price{0.0};  // average
  double exit_price{0.0};   // average
  double quantity{0.0};     // largest size held
  double pnl{0.0};          // gross realised P&L
  double fees{0.0};
};

struct BacktestRun {
  std::string label{};  // "sma_cross fast=10 slow=30"
  core::InstrumentId instrument_id{};
  double initial_equity{0.0};
  double periods_per_year{365.0};
  std::vector<EquitySample> equity{};
  // Buy and hold of the instrument, same start equity. Given explicitly, or (when empty) derived from
  // `prices` and `benchmark_base` by benchmark_curve(): a backtest stores only the base, not a curve per event.
  std::vector<EquitySample> benchmark{};
  double benchmark_base{0.0};  // the price bought at (first open); 0 = no derived benchmark
  std::vector<PriceSample> prices{};
  std::vector<TradeMarker> markers{};
  std::vector<RoundTrip> trades{};
  std::vector<std::pair<std::string, std::string>> notes{};  // e.g. {"orders denied by the risk engine", "3"}
};

struct ParameterHeatmap {
  std::string x_name{};
  std::string y_name{};
  std::string objective{};
  std::vector<double> x_values{};
  std::vector<double> y_values{};
  std::vector<std::optional<double>> values{};  // row-major: y index × x.size() + x index; nullopt = failed
};

struct ReportInput {
  std::string title{"Ballast backtest"};
  std::vector<BacktestRun> runs{};
  std::optional<ParameterHeatmap> heatmap{};
};

struct MonthlyReturn {
  int year{0};
  int month{0};  // 1..12
  double value{0.0};
};

struct RunMetrics {
  analytics::PerformanceSummary performance{};
  std::optional<analytics::PerformanceSummary> benchmark{};
  analytics::TradeStats trades{};
  std::vector<MonthlyReturn> monthly{};
};

// The run's buy-and-hold curve: `benchmark` when given, else initial_equity × close / benchmark_base at every
// price sample (empty when benchmark_base is not positive).
std::vector<EquitySample> benchmark_curve(const BacktestRun& run);

// The step between the gridlines of the report's charts: 1, 2, 2.5 or 5 × 10^k, the smallest giving at
// most 5 steps over `span` (exposed for tests).
double nice_step(double span);

std::vector<MonthlyReturn> monthly_returns(std::span<const EquitySample> equity);

// What compute_metrics fills besides the run's own performance and trade statistics. An optimisation ranks
// thousands of runs on the same data by one objective: the buy-and-hold summary (the same for every run) and
// the monthly table are not needed there, and were about a tenth of a grid's time.
struct MetricsOptions {
  bool benchmark{true};  // RunMetrics::benchmark
  bool monthly{true};    // RunMetrics::monthly
};
// Errors: fewer than two equity samples, non-positive equity, timestamps out of order.
core::Result<RunMetrics> compute_metrics(const BacktestRun& run, const MetricsOptions& options = {});

// Errors: no runs, or a run whose metrics cannot be computed (the message names the run).
core::Result<std::string> render_html_report(const ReportInput& input);
core::Result<std::string> render_json_report(const ReportInput& input);

// "&lt;" etc. for text placed in HTML.
std::string html_escape(std::string_view text);

}  // namespace ballast::backtest
