#include "ballast/backtest/optimizer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <mutex>
#include <set>
#include <tuple>

namespace ballast::backtest {
namespace {

constexpr std::int64_t kDay = 86'400'000'000'000;

TEST(ParameterRange, ParsesStepsListsAndSingleValuesExactly) {
  const auto fast = parse_parameter_range("fast=5:50:5").value();
  EXPECT_EQ(fast.name, "fast");
  ASSERT_EQ(fast.values.size(), 10u);
  EXPECT_EQ(fast.values.front(), 5.0);
  EXPECT_EQ(fast.values.back(), 50.0);
  // Decimal steps: 0.1 + 0.1 + 0.1 reaches 0.3 exactly, so the stop is included.
  EXPECT_EQ(parse_parameter_range("k=0.1:0.3:0.1").value().values.size(), 3u);
  EXPECT_EQ(parse_parameter_range("p=1,2,5").value().values, (std::vector<double>{1, 2, 5}));
  EXPECT_EQ(parse_parameter_range("p=7").value().values, (std::vector<double>{7}));
  EXPECT_FALSE(parse_parameter_range("fast"));
  EXPECT_FALSE(parse_parameter_range("fast=5:1:1"));
  EXPECT_FALSE(parse_parameter_range("fast=1:5:0"));
  EXPECT_FALSE(parse_parameter_range("fast=a,b"));
}

TEST(SearchSpace, GridVariesTheLastRangeFastest) {
  const std::vector<ParameterRange> ranges = {{"a", {1, 2}}, {"b", {10, 20, 30}}};
  const auto grid = grid_search_space(ranges).value();
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(describe(grid[0]), "a=1 b=10");
  EXPECT_EQ(describe(grid[2]), "a=1 b=30");
  EXPECT_EQ(describe(grid[3]), "a=2 b=10");
  EXPECT_FALSE(grid_search_space(ranges, 5));  // over the limit
}

TEST(SearchSpace, RandomSearchDrawsDistinctReproducibleCombinations) {
  const std::vector<ParameterRange> ranges = {{"a", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, {"b", {1, 2, 3, 4, 5}}};
  const auto x = random_search_space(ranges, 12, 42).value();
  const auto y = random_search_space(ranges, 12, 42).value();
  ASSERT_EQ(x.size(), 12u);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(describe(x[i]), describe(y[i]));
    seen.insert(describe(x[i]));
  }
  EXPECT_EQ(seen.size(), 12u);
  EXPECT_EQ(random_search_space(ranges, 100, 1).value().size(), 50u);  // the whole grid when it is smaller
}

TEST(Objective, UnknownNamesListTheKnownOnes) {
  const auto r = parse_objective("sharp");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("sharpe, sortino"), std::string::npos);
  EXPECT_EQ(parse_objective("calmar").value(), Objective::Calmar);
  EXPECT_TRUE(parse_constraint("max_drawdown<=0.2"));
  EXPECT_FALSE(parse_constraint("drawdown<=0.2"));
  EXPECT_FALSE(parse_constraint("max_drawdown=0.2"));
  // The risk system's counts are constraint metrics too; an unknown metric lists them.
  EXPECT_TRUE(parse_constraint("breaker_trips<=0"));
  EXPECT_TRUE(parse_constraint("denied_orders<=3"));
  const auto unknown = parse_constraint("trips<=0");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("breaker_trips, denied_orders"), std::string::npos);
}

// A daily equity curve whose growth peaks at fast = 20; fast = 25 has a 10 % dip on the way.
core::Result<EvaluationRun> synthetic(const ParameterSet& p, std::size_t begin, std::size_t end) {
  const double fast = p.at(0).second;
  const double daily = 0.001 - 0.0001 * std::abs(fast - 20.0) / 5.0;
  BacktestRun run;
  run.label = describe(p);
  run.periods_per_year = 365;
  double equity = 100.0;
  for (std::size_t d = begin; d < end; ++d) {
    if (fast == 25.0 && d == begin + (end - begin) / 2) equity *= 0.9;
    run.equity.push_back({core::UnixNanos(static_cast<std::int64_t>(d) * kDay), equity});
    equity *= 1.0 + daily;
  }
  auto metrics = compute_metrics(run);
  if (!metrics) return metrics.error();
  return EvaluationRun{std::move(*metrics), std::move(run.equity)};
}

TEST(Optimise, RanksByTheObjectiveAppliesConstraintsAndIgnoresTheJobCount) {
  const auto grid = grid_search_space(std::vector<ParameterRange>{{"fast", {5, 10, 15, 20, 25, 30}}}).value();
  const Evaluator evaluate = [](const ParameterSet& p) { return synthetic(p, 0, 100); };
  OptimisationOptions options;
  options.objective = Objective::TotalReturn;
  options.constraints = {parse_constraint("max_drawdown<=0.05").value()};
  std::mutex m;
  std::size_t calls = 0;
  options.progress = [&](std::size_t done, std::size_t total) {
    std::lock_guard lock(m);
    ++calls;
    EXPECT_LE(done, total);
  };
  const auto one = optimise(grid, evaluate, options).value();
  options.jobs = 2;
  const auto two = optimise(grid, evaluate, options).value();
  ASSERT_EQ(one.size(), 6u);
  EXPECT_EQ(calls, 12u);
  EXPECT_EQ(describe(one[0].parameters), "fast=20");
  // fast = 15 and fast = 25 tie on growth, but 25 has a 10 % drawdown: it is infeasible and ranks last.
  EXPECT_EQ(describe(one[1].parameters), "fast=15");
  EXPECT_EQ(describe(one.back().parameters), "fast=25");
  EXPECT_FALSE(one.back().feasible);
  EXPECT_EQ(one.back().failed_constraint, "max_drawdown<=0.05");
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(describe(one[i].parameters), describe(two[i].parameters));
  const auto csv = evaluations_to_csv(one, options.objective);
  // The objective is a column every file has: not repeated. Another objective gets its own column.
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "rank,fast,total_return,max_drawdown,trades,denied_orders,breaker_trips,feasible,note");
  const auto sharpe = evaluations_to_csv(one, Objective::Sharpe);
  EXPECT_EQ(sharpe.substr(0, sharpe.find('\n')),
            "rank,fast,sharpe,total_return,max_drawdown,trades,denied_orders,breaker_trips,feasible,note");
}

TEST(WalkForward, SizesWindowsFromTheRatioAndStitchesOutOfSampleEquity) {
  const auto w = walk_forward_windows("6:1", 70, 2).value();  // unit = 70 / (6 + 2) = 8
  EXPECT_EQ(w.in_sample, 48u);
  EXPECT_EQ(w.out_of_sample, 8u);
  EXPECT_FALSE(walk_forward_windows("6-1", 70, 2));
  EXPECT_FALSE(walk_forward_windows("6:1", 5, 2));

  const auto grid = grid_search_space(std::vector<ParameterRange>{{"fast", {10, 20, 30}}}).value();
  OptimisationOptions options;
  options.objective = Objective::TotalReturn;
  // Every window asked for, as (warm_up, begin, end): in-sample cold, out-of-sample warmed on the in-sample.
  std::mutex m;
  std::set<std::tuple<std::size_t, std::size_t, std::size_t>> asked;
  const WindowEvaluator evaluate = [&](const ParameterSet& p, const BarWindow& window) {
    {
      std::lock_guard lock(m);
      asked.emplace(window.warm_up, window.begin, window.end);
    }
    return synthetic(p, window.begin, window.end);
  };
  const auto result = walk_forward(70, grid, evaluate, w, options).value();
  const std::set<std::tuple<std::size_t, std::size_t, std::size_t>> expected = {
      {0, 0, 48}, {0, 48, 56}, {8, 8, 56}, {8, 56, 64}};
  EXPECT_EQ(asked, expected);
  ASSERT_EQ(result.folds.size(), 2u);  // out-of-sample windows at bars 48–56 and 56–64
  EXPECT_EQ(result.folds[1].out_begin, 56u);
  EXPECT_EQ(describe(result.folds[0].best), "fast=20");
  // Two chained 8-bar curves growing 0.1 % a day: 15 steps of growth after the first sample.
  ASSERT_EQ(result.stitched_equity.size(), 15u);
  EXPECT_NEAR(result.stitched_equity.back().equity, 100.0 * std::pow(1.001, 14), 1e-9);
  ASSERT_TRUE(result.efficiency);
  EXPECT_GT(*result.efficiency, 0.0);
}

// The risk system's activity of each run reaches the ranking, the constraints and both exports: here fast = 20
// (the best growth) owes its result to 2 breaker trips and fast = 15 had 1 order denied.
TEST(Optimise, CarriesEachRunsDeniedOrdersAndBreakerTripsAndConstrainsOnThem) {
  const auto grid = grid_search_space(std::vector<ParameterRange>{{"fast", {10, 15, 20}}}).value();
  const Evaluator evaluate = [](const ParameterSet& p) -> core::Result<EvaluationRun> {
    auto run = synthetic(p, 0, 100);
    if (!run) return run;
    const double fast = p.at(0).second;
    run->risk = RiskActivity{fast == 15.0 ? 1 : 0, fast == 20.0 ? 2 : 0};
    return run;
  };
  OptimisationOptions options;
  options.objective = Objective::TotalReturn;
  const auto free = optimise(grid, evaluate, options).value();
  ASSERT_EQ(free.size(), 3u);
  EXPECT_EQ(describe(free[0].parameters), "fast=20");
  ASSERT_TRUE(free[0].risk);
  EXPECT_EQ(free[0].risk->breaker_trips, 2);
  EXPECT_EQ(free[0].risk->denied_orders, 0);
  EXPECT_EQ(describe(free[1].parameters), "fast=15");
  EXPECT_EQ(free[1].risk->denied_orders, 1);
  // CSV: total_return, max_drawdown, trades, denied_orders, breaker_trips, feasible, note.
  const std::string csv = evaluations_to_csv(free, options.objective);
  const std::string first = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
  EXPECT_TRUE(first.starts_with("1,20,")) << first;
  EXPECT_TRUE(first.ends_with(",0,0,2,true,")) << first;  // no round trips, 0 denied, 2 trips, feasible
  const auto json = nlohmann::json::parse(evaluations_to_json(free, options.objective));
  EXPECT_EQ(json[0]["breaker_trips"], 2);
  EXPECT_EQ(json[0]["denied_orders"], 0);
  EXPECT_EQ(json[1]["denied_orders"], 1);

  // breaker_trips<=0 leaves fast = 15 the best feasible run; fast = 20 breaks the constraint and ranks last.
  options.constraints = {parse_constraint("breaker_trips<=0").value()};
  const auto clean = optimise(grid, evaluate, options).value();
  EXPECT_EQ(describe(clean[0].parameters), "fast=15");
  EXPECT_EQ(describe(clean.back().parameters), "fast=20");
  EXPECT_FALSE(clean.back().feasible);
  EXPECT_EQ(clean.back().failed_constraint, "breaker_trips<=0");
  options.constraints = {parse_constraint("denied_orders<=0").value()};
  const auto undenied = optimise(grid, evaluate, options).value();
  EXPECT_EQ(describe(undenied.back().parameters), "fast=15");
  EXPECT_EQ(undenied.back().failed_constraint, "denied_orders<=0");
  EXPECT_EQ(metric_value("breaker_trips", *free[0].metrics, *free[0].risk), 2.0);
  EXPECT_EQ(metric_value("denied_orders", *free[1].metrics, *free[1].risk), 1.0);
}

// Walk-forward folds carry the out-of-sample run's denied orders and breaker trips into the CSV and JSON.
TEST(WalkForward, ExportsTheOutOfSampleRunsDeniedOrdersAndBreakerTrips) {
  const auto grid = grid_search_space(std::vector<ParameterRange>{{"fast", {10, 20}}}).value();
  OptimisationOptions options;
  options.objective = Objective::TotalReturn;
  const WindowEvaluator evaluate = [](const ParameterSet& p, const BarWindow& window) -> core::Result<EvaluationRun> {
    auto run = synthetic(p, window.begin, window.end);
    if (!run) return run;
    // Out of sample (a warmed window) the run had 3 denied orders and 1 trip; in sample none.
    if (window.warm_up < window.begin) run->risk = RiskActivity{3, 1};
    return run;
  };
  const auto w = walk_forward_windows("6:1", 70, 2).value();
  const auto result = walk_forward(70, grid, evaluate, w, options).value();
  ASSERT_EQ(result.folds.size(), 2u);
  ASSERT_TRUE(result.folds[0].out_of_sample_risk);
  EXPECT_EQ(result.folds[0].out_of_sample_risk->denied_orders, 3);
  EXPECT_EQ(result.folds[0].out_of_sample_risk->breaker_trips, 1);
  const std::string csv = walk_forward_to_csv(result, options.objective);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_TRUE(header.ends_with(",oos_trades,oos_denied_orders,oos_breaker_trips")) << header;
  const std::string row = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
  EXPECT_TRUE(row.ends_with(",3,1")) << row;
  const auto json = nlohmann::json::parse(walk_forward_to_json(result, w, options.objective));
  EXPECT_EQ(json["folds"][1]["out_of_sample"]["denied_orders"], 3);
  EXPECT_EQ(json["folds"][1]["out_of_sample"]["breaker_trips"], 1);
}

}  // namespace
}  // namespace ballast::backtest
