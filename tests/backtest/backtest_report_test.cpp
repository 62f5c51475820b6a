#include "ballast/backtest/backtest_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ballast::backtest {
namespace {

core::UnixNanos day(std::int64_t y, unsigned m, unsigned d) {
  return core::UnixNanos(core::days_from_civil(y, m, d) * 86'400'000'000'000);
}

BacktestRun sample_run(std::string label) {
  BacktestRun r;
  r.label = std::move(label);
  r.instrument_id = core::InstrumentId::parse("BTCUSDT.BINANCE").value();
  r.initial_equity = 100.0;
  r.periods_per_year = 365.0;
  r.equity = {{day(2024, 1, 1), 100.0}, {day(2024, 1, 31), 110.0}, {day(2024, 2, 28), 99.0}, {day(2024, 3, 15), 108.9}};
  r.benchmark = {{day(2024, 1, 1), 100.0}, {day(2024, 1, 31), 105.0}, {day(2024, 2, 28), 95.0}, {day(2024, 3, 15), 120.0}};
  r.prices = {{day(2024, 1, 1), 40000.0}, {day(2024, 1, 31), 42000.0}, {day(2024, 2, 28), 38000.0}, {day(2024, 3, 15), 48000.0}};
  r.markers = {{day(2024, 1, 1), 40000.0, model::OrderSide::Buy, true}, {day(2024, 3, 15), 48000.0, model::OrderSide::Sell, false}};
  r.trades = {{r.instrument_id, model::PositionSide::Long, day(2024, 1, 1), day(2024, 3, 15), 40000.0, 48000.0, 0.001, 8.0, 0.1}};
  return r;
}

TEST(MonthlyReturns, ChainMonthEndEquityByHand) {
  const auto run = sample_run("a");
  const auto m = monthly_returns(run.equity);
  ASSERT_EQ(m.size(), 3u);
  // Jan: 110 / 100 − 1 = 10 %; Feb: 99 / 110 − 1 = −10 %; Mar: 108.9 / 99 − 1 = 10 %.
  EXPECT_EQ(m[0].month, 1);
  EXPECT_NEAR(m[0].value, 0.10, 1e-12);
  EXPECT_NEAR(m[1].value, -0.10, 1e-12);
  EXPECT_NEAR(m[2].value, 0.10, 1e-12);
  EXPECT_EQ(m[2].year, 2024);
}

TEST(ComputeMetrics, AnOptimisationCanLeaveOutTheBenchmarkAndTheMonthlyTable) {
  const auto run = sample_run("a");
  const auto full = compute_metrics(run).value();
  ASSERT_TRUE(full.benchmark);
  EXPECT_NEAR(full.benchmark->total_return, 0.20, 1e-12);  // 120 / 100 − 1
  EXPECT_EQ(full.monthly.size(), 3u);
  const auto lean = compute_metrics(run, {.benchmark = false, .monthly = false}).value();
  EXPECT_FALSE(lean.benchmark);
  EXPECT_TRUE(lean.monthly.empty());
  // The run's own figures are unchanged: total return 108.9 / 100 − 1; deepest drawdown (99 − 110) / 110.
  EXPECT_NEAR(lean.performance.total_return, 0.089, 1e-12);
  EXPECT_NEAR(lean.performance.max_drawdown.depth, -0.10, 1e-12);
  EXPECT_EQ(lean.performance.sharpe_ratio.as_optional(), full.performance.sharpe_ratio.as_optional());
  EXPECT_EQ(lean.trades.count, 1u);
}

TEST(BacktestReport, IsSelfContainedAndHoldsChartsMetricsAndTrades) {
  ReportInput input;
  input.title = "SMA <cross>";
  input.runs = {sample_run("fast=10"), sample_run("fast=20")};
  ParameterHeatmap heatmap;
  heatmap.x_name = "fast";
  heatmap.y_name = "slow";
  heatmap.objective = "sharpe";
  heatmap.x_values = {10, 20};
  heatmap.y_values = {50};
  heatmap.values = {1.2, std::nullopt};
  input.heatmap = heatmap;
  const auto html = render_html_report(input).value();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external request of any kind
  EXPECT_NE(html.find("SMA &lt;cross&gt;"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("buy and hold"), std::string::npos);
  // Total return 108.9 / 100 − 1 = 8.90 %; benchmark 120 / 100 − 1 = 20.00 %.
  EXPECT_NE(html.find("8.90%"), std::string::npos);
  EXPECT_NE(html.find("20.00%"), std::string::npos);
  EXPECT_NE(html.find("Parameter heatmap"), std::string::npos);
  EXPECT_NE(html.find("2024-03-15T00:00:00Z"), std::string::npos);  // the trade's exit in the trade list
  EXPECT_NE(html.find("-10.0%"), std::string::npos);                // February in the monthly heatmap
  EXPECT_NE(html.find("74.0 d"), std::string::npos);                // holding 2024-01-01 → 03-15, in days
}

TEST(BacktestReport, GridlinesFallOnRoundNumbers) {
  EXPECT_DOUBLE_EQ(nice_step(778392.0), 200000.0);  // 155,678 a fifth: 1e5 × 2
  EXPECT_DOUBLE_EQ(nice_step(10.0), 2.0);
  EXPECT_DOUBLE_EQ(nice_step(12.5), 2.5);
  EXPECT_DOUBLE_EQ(nice_step(0.019), 0.005);  // a fifth 0.0038: 2.5e-3 is too small
  EXPECT_DOUBLE_EQ(nice_step(0.0), 1.0);

  // Buy and hold from 100 to 1,000 (the whole balance in the instrument) beside runs between 99 and 110:
  // the runs are under a fifth of the chart and get a chart of their own: a span of 11 takes steps of 2.5
  // (a fifth is 2.2), so gridlines 97.5, 100.0, … 110.0.
  ReportInput input;
  input.title = "swamped";
  input.runs = {sample_run("a")};
  input.runs[0].benchmark = {{day(2024, 1, 1), 100.0}, {day(2024, 1, 31), 400.0}, {day(2024, 2, 28), 700.0},
                             {day(2024, 3, 15), 1000.0}};
  const auto html = render_html_report(input).value();
  EXPECT_NE(html.find("Equity of the runs alone"), std::string::npos);
  EXPECT_NE(html.find(">1000<"), std::string::npos);  // the combined chart: steps of 200 up to 1,000
  EXPECT_NE(html.find(">97.5<"), std::string::npos);  // the runs' chart, from its lowest to its highest gridline
  EXPECT_NE(html.find(">102.5<"), std::string::npos);
  EXPECT_NE(html.find(">110.0<"), std::string::npos);
  // Comparable curves stay on one chart.
  EXPECT_EQ(render_html_report(ReportInput{"close", {sample_run("a")}}).value().find("Equity of the runs alone"),
            std::string::npos);
}

TEST(BacktestReport, JsonCarriesTheSameNumbers) {
  ReportInput input;
  input.runs = {sample_run("a")};
  const auto json = nlohmann::json::parse(render_json_report(input).value());
  EXPECT_NEAR(json["runs"][0]["metrics"]["total_return"].get<double>(), 0.089, 1e-12);
  EXPECT_NEAR(json["runs"][0]["metrics"]["max_drawdown"].get<double>(), -0.10, 1e-12);  // 110 → 99
  EXPECT_EQ(json["runs"][0]["trades"].size(), 1u);
  EXPECT_EQ(json["runs"][0]["monthly_returns"].size(), 3u);
}

TEST(BacktestReport, RefusesARunWithoutEnoughEquity) {
  ReportInput input;
  auto run = sample_run("thin");
  run.equity.resize(1);
  input.runs = {run};
  const auto r = render_html_report(input);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("thin"), std::string::npos);
}

}  // namespace
}  // namespace ballast::backtest
