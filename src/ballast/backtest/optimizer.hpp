#pragma once
// Parameter optimisation: grid and random search over parameter ranges, run in parallel (oneTBB), ranked
// by a named objective under constraints; and walk-forward analysis (rolling in-sample optimisation,
// out-of-sample evaluation, stitched out-of-sample equity).
//
// Ranges: "fast=5:50:5" (start:stop:step, inclusive, exact in decimal steps), "fast=10", "fast=5,10,20".
// Objectives (higher is better): sharpe, sortino, calmar, total_return, cagr, profit_factor, win_rate,
// expectancy, max_drawdown (the drawdown depth, ≤ 0, so a shallower drawdown ranks higher).
// Constraints: "<metric><=<value>" or ">=": max_drawdown is a POSITIVE fraction here
// ("max_drawdown<=0.2" = no drawdown deeper than 20 %), trades is the closed-trade count, breaker_trips and
// denied_orders count what the risk system did in the run (RiskActivity: "breaker_trips<=0" keeps only the
// parameter sets whose results owe nothing to a circuit breaker cutting a loss or halting trading), and the
// objective names are metrics too. A run whose constrained metric is undefined fails the constraint.
// Ranking: feasible runs with a defined objective first (best first; ties keep the input order), then
// feasible runs whose objective is undefined, then infeasible runs, then runs that failed with an error.
// Results are identical for any number of jobs: each evaluation is independent and the ranking is stable.

#include "ballast/backtest/backtest_report.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::backtest {

struct ParameterRange {
  std::string name;
  std::vector<double> values;
};

using ParameterSet = std::vector<std::pair<std::string, double>>;

core::Result<ParameterRange> parse_parameter_range(std::string_view text);
// Cartesian product in order (the last range varies fastest). Errors above `limit` combinations.
core::Result<std::vector<ParameterSet>> grid_search_space(std::span<const ParameterRange> ranges,
                                                          std::size_t limit = 1'000'000);
// `count` distinct combinations drawn uniformly from the grid (all of it when the grid is smaller), seeded.
core::Result<std::vector<ParameterSet>> random_search_space(std::span<const ParameterRange> ranges, std::size_t count,
                                                            std::uint64_t seed);
// "fast=10 slow=30".
std::string describe(const ParameterSet& parameters);

enum class Objective { Sharpe, Sortino, Calmar, TotalReturn, Cagr, ProfitFactor, WinRate, Expectancy, MaxDrawdown };
std::string_view to_string(Objective objective) noexcept;
core::Result<Objective> parse_objective(std::string_view name);
// The objective's value for a run (nullopt when undefined).
std::optional<double> objective_value(Objective objective, const RunMetrics& metrics);

struct Constraint {
  std::string metric;
  bool at_most{true};  // true: metric <= value; false: metric >= value
  double value{0.0};
};
core::Result<Constraint> parse_constraint(std::string_view text);
// What the risk system did in one run (BacktestOutput's counts): orders the risk engine denied, and
// circuit-breaker trips (each trip acted: cancel, reduce, close or halt).
struct RiskActivity {
  std::int64_t denied_orders{0};
  std::int64_t breaker_trips{0};
};

// Value of a constraint metric (see the header comment), nullopt when undefined or unknown.
std::optional<double> metric_value(std::string_view metric, const RunMetrics& metrics, const RiskActivity& risk);

// One backtest of one parameter set: the metrics, the equity curve and the risk system's activity. Called
// concurrently from several threads: it must not share mutable state between calls.
struct EvaluationRun {
  RunMetrics metrics;
  std::vector<EquitySample> equity;
  RiskActivity risk{};
};
using Evaluator = std::function<core::Result<EvaluationRun>(const ParameterSet&)>;

struct Evaluation {
  ParameterSet parameters;
  std::optional<double> objective;
  bool feasible{false};
  std::string failed_constraint;  // the first constraint it broke
  std::string error;              // the evaluator's error, if any
  std::optional<RunMetrics> metrics;
  std::optional<RiskActivity> risk;  // with metrics
};

struct OptimisationOptions {
  Objective objective{Objective::Sharpe};
  std::vector<Constraint> constraints{};
  int jobs{1};  // worker threads (>= 1)
  // Called from worker threads after each evaluation with (done, total); must be thread-safe.
  std::function<void(std::size_t, std::size_t)> progress{};
};

// Every set evaluated and ranked (see the header comment).
core::Result<std::vector<Evaluation>> optimise(std::span<const ParameterSet> candidates, const Evaluator& evaluate,
                                               const OptimisationOptions& options);

std::string evaluations_to_csv(std::span<const Evaluation> ranked, Objective objective);
std::string evaluations_to_json(std::span<const Evaluation> ranked, Objective objective);

// ---- walk-forward ----------------------------------------------------------------------------------

struct WalkForwardOptions {
  std::size_t in_sample{0};      // bars per in-sample window (> 0)
  std::size_t out_of_sample{0};  // bars per out-of-sample window (> 0); windows roll forward by this much
};
// "6:1" with the total bar count → in/out lengths such that in = 6·out and the folds cover the data as
// far as whole windows allow, with `folds` out-of-sample windows (>= 1).
core::Result<WalkForwardOptions> walk_forward_windows(std::string_view ratio, std::size_t bars, std::size_t folds);

// Bars [begin, end) of the data (indexes of its first instrument) are evaluated; bars [warm_up, begin) come
// before them only to warm the strategy's indicators (no trading: BacktestConfig::trade_from).
struct BarWindow {
  std::size_t warm_up{0};
  std::size_t begin{0};
  std::size_t end{0};
};
using WindowEvaluator = std::function<core::Result<EvaluationRun>(const ParameterSet&, const BarWindow&)>;

struct WalkForwardFold {
  std::size_t in_begin{0}, in_end{0}, out_begin{0}, out_end{0};
  ParameterSet best{};
  std::optional<double> in_sample_objective{};
  std::optional<double> out_of_sample_objective{};
  std::optional<RunMetrics> out_of_sample{};
  std::optional<RiskActivity> out_of_sample_risk{};  // with out_of_sample
};

struct WalkForwardResult {
  std::vector<WalkForwardFold> folds{};
  std::vector<EquitySample> stitched_equity{};  // each fold's out-of-sample curve chained to the previous end
  // Mean out-of-sample objective / mean in-sample objective over the folds where both are defined;
  // nullopt when no fold has both or the in-sample mean is 0.
  std::optional<double> efficiency{};
};

core::Result<WalkForwardResult> walk_forward(std::size_t bars, std::span<const ParameterSet> candidates,
                                             const WindowEvaluator& evaluate, const WalkForwardOptions& windows,
                                             const OptimisationOptions& options);

// The folds (bar indexes, and with `bar_starts` — the start of every bar of the first instrument — the
// first and last bar's start of each window in ISO 8601), the best parameters, both objectives and the
// out-of-sample total return, drawdown, trades, denied orders and breaker trips. JSON also carries the windows, the efficiency and the
// stitched out-of-sample equity.
std::string walk_forward_to_csv(const WalkForwardResult& result, Objective objective,
                                std::span<const core::UnixNanos> bar_starts = {});
std::string walk_forward_to_json(const WalkForwardResult& result, const WalkForwardOptions& windows,
                                 Objective objective, std::span<const core::UnixNanos> bar_starts = {});

}  // namespace ballast::backtest
