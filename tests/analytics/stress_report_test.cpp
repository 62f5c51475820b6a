#include "ballast/analytics/stress_report.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ballast::analytics {
namespace {

constexpr double kTol = 1e-9;  // currency units; every value below is a handful of products

// Long BTC, short SOL, long one E-mini:
//   BTC  2 × 50,000 × 1      =  100,000
//   SOL −1,000 × 20 × 1      =  −20,000
//   ES   1 × 5,000 × 50      =  250,000
std::vector<StressPosition> book() {
  return {
      {"BTCUSDT.BINANCE", "crypto-major", 2.0, 50000.0, 1.0},
      {"SOLUSDT.BINANCE", "crypto-alt", -1000.0, 20.0, 1.0},
      {"ESZ4.CME", "index-future", 1.0, 5000.0, 50.0},
  };
}

std::vector<StressScenario> two_scenarios() {
  StressScenario crash;
  crash.name = "crypto crash";
  crash.asset_class_shocks = {{"crypto-major", -0.30}, {"crypto-alt", -0.50}};
  crash.instrument_shocks = {{"SOLUSDT", -0.60}, {"ETHUSDT", -0.40}};
  crash.all_instruments_shock = -0.05;

  StressScenario rally;
  rally.name = "equity rally";
  rally.asset_class_shocks = {{"index-future", 0.04}};
  rally.instrument_shocks = {{"BTCUSDT.BINANCE", 0.10}, {"BTCUSDT", -0.90}};
  return {crash, rally};
}

TEST(StressReport, LongShortBookUnderTwoScenariosMatchesHandArithmetic) {
  const auto positions = book();
  const auto scenarios = two_scenarios();
  auto report = run_stress_test(positions, scenarios);
  ASSERT_TRUE(report) << report.error().to_string();

  // crypto crash:
  //   BTC: asset class crypto-major −30%          100,000 × −0.30 = −30,000
  //   SOL: instrument SOLUSDT −60% (beats −50%)   −20,000 × −0.60 = +12,000 (the short gains)
  //   ES : all instruments −5%                    250,000 × −0.05 = −12,500
  //   total −30,500
  // equity rally:
  //   BTC: exact id +10% (beats the symbol's −90%) 100,000 × 0.10 = +10,000
  //   SOL: nothing matches                         0
  //   ES : index-future +4%                        250,000 × 0.04 = +10,000
  //   total +20,000
  ASSERT_EQ(report->pnl.rows(), 2);
  ASSERT_EQ(report->pnl.cols(), 3);
  EXPECT_NEAR(report->pnl(0, 0), -30000.0, kTol);
  EXPECT_NEAR(report->pnl(0, 1), 12000.0, kTol);
  EXPECT_NEAR(report->pnl(0, 2), -12500.0, kTol);
  EXPECT_NEAR(report->pnl(1, 0), 10000.0, kTol);
  EXPECT_EQ(report->pnl(1, 1), 0.0);
  EXPECT_NEAR(report->pnl(1, 2), 10000.0, kTol);
  EXPECT_NEAR(report->totals[0], -30500.0, kTol);
  EXPECT_NEAR(report->totals[1], 20000.0, kTol);
  EXPECT_EQ(report->worst_scenario, 0);
  EXPECT_NEAR(report->worst_total(), -30500.0, kTol);

  EXPECT_EQ(report->moves(0, 1), -0.60);
  EXPECT_EQ(report->source(0, 0), ShockSource::AssetClass);
  EXPECT_EQ(report->source(0, 1), ShockSource::Instrument);
  EXPECT_EQ(report->source(0, 2), ShockSource::AllInstruments);
  EXPECT_EQ(report->source(1, 0), ShockSource::Instrument);
  EXPECT_EQ(report->source(1, 1), ShockSource::None);

  EXPECT_EQ(report->scenarios, (std::vector<std::string>{"crypto crash", "equity rally"}));
  EXPECT_EQ(report->instruments, (std::vector<std::string>{"BTCUSDT.BINANCE", "SOLUSDT.BINANCE", "ESZ4.CME"}));
  // ETHUSDT is in the crash but not in the book; BTCUSDT matches BTCUSDT.BINANCE by symbol (though
  // the exact id took precedence), so it is not reported as unmatched.
  EXPECT_EQ(report->unmatched_instrument_shocks[0], (std::vector<std::string>{"ETHUSDT"}));
  EXPECT_TRUE(report->unmatched_instrument_shocks[1].empty());
  EXPECT_FALSE(report->equity.has_value());
  EXPECT_EQ(report->total_fraction_of_equity.size(), 0);
}

TEST(StressReport, PnlAsFractionOfEquity) {
  // Equity 1,000,000: −30,500 / 1,000,000 = −0.0305; 20,000 / 1,000,000 = 0.02; cell −12,500 → −0.0125.
  auto report = run_stress_test(book(), two_scenarios(), 1'000'000.0);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->equity.has_value());
  EXPECT_NEAR(report->total_fraction_of_equity[0], -0.0305, 1e-15);
  EXPECT_NEAR(report->total_fraction_of_equity[1], 0.02, 1e-15);
  EXPECT_NEAR(report->pnl_fraction_of_equity(0, 2), -0.0125, 1e-15);
}

TEST(StressReport, WorstScenarioIsTheFirstOfEqualTotals) {
  StressScenario a;
  a.name = "a";
  a.all_instruments_shock = -0.10;
  StressScenario b = a;
  b.name = "b";
  const std::vector<StressPosition> one{{"X", "equity", 10.0, 10.0}};
  auto report = run_stress_test(one, std::vector<StressScenario>{a, b});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->worst_scenario, 0);
}

TEST(StressReport, RejectsBadEquityAndReportsEveryBadInput) {
  EXPECT_FALSE(run_stress_test(book(), two_scenarios(), 0.0));
  EXPECT_FALSE(run_stress_test(book(), two_scenarios(), -5.0));
  auto positions = book();
  positions[0].price = 0.0;
  positions[2].multiplier = -1.0;
  auto report = run_stress_test(positions, two_scenarios());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message(),
            "2 problems:\n  positions[0].price: price 0 must be finite and positive\n"
            "  positions[2].multiplier: multiplier -1 must be finite and positive");
  EXPECT_FALSE(run_stress_test(book(), {}));
}

}  // namespace
}  // namespace ballast::analytics
