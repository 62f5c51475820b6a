#include "ballast/analytics/stress_history.hpp"

#include "ballast/analytics/stress_report.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ballast::analytics {
namespace {

constexpr double kTol = 1e-12;

// A long 100 of A and a short 100 of B (exposures +100 and −100), eight daily closes.
std::vector<StressPosition> pair_book() {
  return {{"A", "equity", 1.0, 100.0}, {"B", "equity", -2.0, 50.0}};
}

std::vector<PriceSeries> pair_history() {
  return {
      {"A", {100, 110, 99, 99, 90, 95, 100, 100}},
      {"B", {50, 50, 55, 55, 50, 50, 50, 55}},
  };
}

// 2-bar windows t = 0..5, m = p[t+2]/p[t] − 1, P&L = 100·m_A − 100·m_B:
//   t0: A 100→99 −1%,        B 50→55 +10%:  −1 − 10            = −11
//   t1: A 110→99 −10%,       B 50→55 +10%:  −10 − 10           = −20   (worst)
//   t2: A 99→90 −1/11,       B 55→50 −1/11: 0
//   t3: A 99→95 −4/99,       B 55→50 −1/11: −4.0404… + 9.0909… = +5.0505…
//   t4: A 90→100 +1/9,       B 50→50 0:     +11.111…
//   t5: A 95→100 +1/19,      B 50→55 +10%:  +5.2631… − 10      = −4.7368…
// Worst first: t1 (−20); t0 (−11) overlaps t1 (starts 1 bar apart); t5 (−4.74); t2 (0) overlaps t1;
// t3 (+5.05) only touches t1 (bars 1–3 and 3–5) and t5 (bars 5–7), so it is the third window;
// t4 overlaps t3 and t5. No fourth disjoint window exists.
TEST(StressHistory, FindsTheWorstNonOverlappingWindowsOfThePortfolio) {
  auto windows = worst_historical_windows(pair_book(), pair_history(), WorstWindowSpec{2, 2});
  ASSERT_TRUE(windows) << windows.error().to_string();
  ASSERT_EQ(windows->size(), 2U);
  const HistoricalStressWindow& first = (*windows)[0];
  EXPECT_EQ(first.start_index, 1U);
  EXPECT_EQ(first.end_index, 3U);
  EXPECT_NEAR(first.portfolio_pnl, -20.0, kTol);
  ASSERT_EQ(first.moves.size(), 2U);
  EXPECT_NEAR(first.moves[0], -0.1, kTol);
  EXPECT_NEAR(first.moves[1], 0.1, kTol);
  EXPECT_NEAR(first.scenario.instrument_shocks.at("A"), -0.1, kTol);
  EXPECT_NEAR(first.scenario.instrument_shocks.at("B"), 0.1, kTol);
  EXPECT_FALSE(first.start_time.has_value());
  EXPECT_EQ(first.scenario.name, "historical-1: 2-bar window, bars 1 to 3");

  const HistoricalStressWindow& second = (*windows)[1];
  EXPECT_EQ(second.start_index, 5U);
  EXPECT_NEAR(second.portfolio_pnl, 100.0 / 19.0 - 10.0, kTol);  // −4.7368421052631575
  EXPECT_NEAR(second.moves[0], 1.0 / 19.0, kTol);
}

TEST(StressHistory, TouchingWindowsAreNotOverlappingAndTheSearchStopsWhenNoneAreLeft) {
  auto windows = worst_historical_windows(pair_book(), pair_history(), WorstWindowSpec{2, 10});
  ASSERT_TRUE(windows);
  ASSERT_EQ(windows->size(), 3U);
  EXPECT_EQ((*windows)[0].start_index, 1U);
  EXPECT_EQ((*windows)[1].start_index, 5U);
  EXPECT_EQ((*windows)[2].start_index, 3U);
  EXPECT_NEAR((*windows)[2].portfolio_pnl, 100.0 / 11.0 - 400.0 / 99.0, kTol);  // +5.0505…, a gain
}

TEST(StressHistory, OneBarWindowsAreThePlainWorstReturns) {
  // 1-bar P&L: t0 +10−0 = 10; t1 −10−10 = −20; t2 0−0 = 0; t3 −9.0909+9.0909 = 0; t4 5.5556; t5 5.2632;
  // t6 0−10 = −10. Worst two: t1, t6 (1-bar windows never overlap unless equal).
  auto windows = worst_historical_windows(pair_book(), pair_history(), WorstWindowSpec{1, 2});
  ASSERT_TRUE(windows);
  ASSERT_EQ(windows->size(), 2U);
  EXPECT_EQ((*windows)[0].start_index, 1U);
  EXPECT_NEAR((*windows)[0].portfolio_pnl, -20.0, kTol);
  EXPECT_EQ((*windows)[1].start_index, 6U);
  EXPECT_NEAR((*windows)[1].portfolio_pnl, -10.0, kTol);
}

TEST(StressHistory, WindowsCarryTimestampsAndRerunAsScenarios) {
  std::vector<core::UnixNanos> days;
  for (int d = 0; d < 8; ++d) days.push_back(core::UnixNanos::from_seconds(1583971200 + d * 86400));  // from 2020-03-12
  auto windows = worst_historical_windows(pair_book(), pair_history(), WorstWindowSpec{2, 2}, days);
  ASSERT_TRUE(windows);
  const HistoricalStressWindow& first = (*windows)[0];
  ASSERT_TRUE(first.start_time.has_value());
  EXPECT_EQ(*first.start_time, days[1]);
  EXPECT_EQ(*first.end_time, days[3]);
  EXPECT_EQ(first.scenario.name, "historical-1: 2-bar window 2020-03-13T00:00:00Z to 2020-03-15T00:00:00Z");

  std::vector<StressScenario> scenarios;
  for (const auto& w : *windows) scenarios.push_back(w.scenario);
  auto report = run_stress_test(pair_book(), scenarios);
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_NEAR(report->totals[0], first.portfolio_pnl, kTol);
  EXPECT_NEAR(report->totals[1], (*windows)[1].portfolio_pnl, kTol);
}

TEST(StressHistory, PositionsInTheSameInstrumentAddUp) {
  // Two longs of A (50 each) and the short B behave exactly like one long of 100.
  const std::vector<StressPosition> split{
      {"A", "equity", 0.5, 100.0}, {"A", "equity", 0.5, 100.0}, {"B", "equity", -2.0, 50.0}};
  auto windows = worst_historical_windows(split, pair_history(), WorstWindowSpec{2, 1});
  ASSERT_TRUE(windows);
  EXPECT_NEAR((*windows)[0].portfolio_pnl, -20.0, kTol);
}

TEST(StressHistory, ReportsEveryInputProblemAtOnce) {
  const std::vector<StressPosition> positions{{"A", "equity", 1.0, 100.0}, {"C", "equity", 1.0, 10.0}};
  const std::vector<PriceSeries> series{{"A", {100, 101, 102}}, {"A", {10, -1}}};
  auto windows = worst_historical_windows(positions, series, WorstWindowSpec{3, 0});
  ASSERT_FALSE(windows);
  EXPECT_EQ(windows.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(windows.error().message(),
            "6 problems:\n"
            "  series[1].instrument: duplicate instrument \"A\" (also series[0])\n"
            "  series[1].prices: 2 prices but series[0] has 3; series must be aligned bar for bar\n"
            "  series[1].prices[1]: price -1 must be finite and positive\n"
            "  count: count must be at least 1\n"
            "  window_bars: a 3-bar window needs at least 4 prices, the series have 3\n"
            "  positions[1].instrument: no price series for \"C\"");
}

TEST(StressHistory, TimestampsMustMatchTheBars) {
  const std::vector<core::UnixNanos> three(3);
  EXPECT_FALSE(worst_historical_windows(pair_book(), pair_history(), WorstWindowSpec{2, 1}, three));
}

}  // namespace
}  // namespace ballast::analytics
