#include "ballast/analytics/stress_reverse.hpp"

#include "ballast/analytics/stress_report.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ballast::analytics {
namespace {

constexpr double kTol = 1e-12;

// Exposures: BTC +100,000, SOL −20,000, ES +250,000 (1 × 5,000 × 50). Net 330,000.
std::vector<StressPosition> book() {
  return {
      {"BTCUSDT", "crypto-major", 2.0, 50000.0},
      {"SOLUSDT", "crypto-alt", -1000.0, 20.0},
      {"ESZ4", "index-future", 1.0, 5000.0, 50.0},
  };
}

TEST(ReverseStress, UniformShockIsMinusBudgetOverNetExposure) {
  // s* = −33,000 / 330,000 = −0.1: every price 10% lower loses exactly the budget.
  auto r = reverse_stress(book(), 33000.0);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->outcome, ReverseStressOutcome::Found);
  EXPECT_NEAR(r->shock, -0.1, kTol);
  EXPECT_NEAR(r->net_exposure, 330000.0, kTol);
  EXPECT_NEAR(r->gross_exposure, 370000.0, kTol);

  // Cross-check by running the move as a scenario: total P&L = −budget.
  StressScenario s;
  s.name = "reverse";
  s.all_instruments_shock = r->shock;
  auto report = run_stress_test(book(), std::vector<StressScenario>{s});
  ASSERT_TRUE(report);
  EXPECT_NEAR(report->totals[0], -33000.0, 1e-8);
}

TEST(ReverseStress, AlongADirectionTheMoveOfEachPositionIsShockTimesWeight) {
  // d = (1, 1.5, 0.5): E_d = 100,000 − 30,000 + 125,000 = 195,000; budget 39,000 → s* = −0.2.
  // Moves −20%, −30%, −10%: P&L = −20,000 + 6,000 − 25,000 = −39,000.
  const std::vector<double> d{1.0, 1.5, 0.5};
  auto r = reverse_stress(book(), 39000.0, d);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, ReverseStressOutcome::Found);
  EXPECT_NEAR(r->shock, -0.2, kTol);
  EXPECT_NEAR(r->net_exposure, 195000.0, kTol);
}

TEST(ReverseStress, HedgedBookHasNoExhaustingShock) {
  // +1,000 and −1,000: net zero, a uniform move of any size nets to nothing.
  const std::vector<StressPosition> hedged{{"BTCUSDT", "crypto-major", 100.0, 10.0},
                                           {"BTCUSD_PERP", "crypto-major", -50.0, 20.0}};
  auto r = reverse_stress(hedged, 1000.0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, ReverseStressOutcome::NoExposure);
  EXPECT_EQ(r->shock, 0.0);
  EXPECT_EQ(r->net_exposure, 0.0);
  EXPECT_EQ(r->gross_exposure, 2000.0);
  // A direction that is orthogonal to the exposures is hedged too: 100,000·1 + 250,000·(−0.4) = 0.
  const std::vector<double> d{1.0, 0.0, -0.4};
  auto orthogonal = reverse_stress(book(), 1000.0, d);
  ASSERT_TRUE(orthogonal);
  EXPECT_EQ(orthogonal->outcome, ReverseStressOutcome::NoExposure);
}

TEST(ReverseStress, BudgetBeyondWhatALongBookCanLose) {
  // A 10,000 long can lose at most 10,000: a 20,000 budget needs s* = −2, a price below zero.
  const std::vector<StressPosition> long_only{{"ETHUSDT", "crypto-major", 4.0, 2500.0}};
  auto r = reverse_stress(long_only, 20000.0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, ReverseStressOutcome::BeyondTotalLoss);
  EXPECT_NEAR(r->shock, -2.0, kTol);
  // Exactly the whole exposure is a −100% move, still attainable.
  EXPECT_EQ(reverse_stress(long_only, 10000.0)->outcome, ReverseStressOutcome::Found);
}

TEST(ReverseStress, ShortBookIsExhaustedByARiseOfAnySize) {
  // −10,000 short, 20,000 budget: s* = +2, prices up 200%.
  const std::vector<StressPosition> short_only{{"ETHUSDT", "crypto-major", -4.0, 2500.0}};
  auto r = reverse_stress(short_only, 20000.0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, ReverseStressOutcome::Found);
  EXPECT_NEAR(r->shock, 2.0, kTol);
}

TEST(ReverseStress, PerInstrumentShockThatAloneExhaustsTheBudget) {
  auto positions = book();
  positions.push_back({"BTCUSDT", "crypto-major", -1.0, 50000.0});  // BTC net 100,000 − 50,000 = 50,000
  positions.push_back({"ETHUSDT", "crypto-major", 1.0, 2000.0});
  positions.push_back({"ETHUSDT", "crypto-major", -1.0, 2000.0});  // ETH net 0
  // Budget 30,000: BTC −30,000/50,000 = −0.6; SOL −30,000/−20,000 = +1.5; ES −30,000/250,000 = −0.12.
  auto r = reverse_stress_per_instrument(positions, 30000.0);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 4U);
  EXPECT_EQ((*r)[0].instrument, "BTCUSDT");
  EXPECT_EQ((*r)[0].result.outcome, ReverseStressOutcome::Found);
  EXPECT_NEAR((*r)[0].result.shock, -0.6, kTol);
  EXPECT_NEAR((*r)[0].result.net_exposure, 50000.0, kTol);
  EXPECT_EQ((*r)[1].instrument, "SOLUSDT");
  EXPECT_NEAR((*r)[1].result.shock, 1.5, kTol);
  EXPECT_EQ((*r)[2].instrument, "ESZ4");
  EXPECT_NEAR((*r)[2].result.shock, -0.12, kTol);
  EXPECT_EQ((*r)[3].instrument, "ETHUSDT");
  EXPECT_EQ((*r)[3].result.outcome, ReverseStressOutcome::NoExposure);

  // Budget 60,000: BTC would need −120%.
  auto big = reverse_stress_per_instrument(positions, 60000.0);
  ASSERT_TRUE(big);
  EXPECT_EQ((*big)[0].result.outcome, ReverseStressOutcome::BeyondTotalLoss);
  EXPECT_NEAR((*big)[0].result.shock, -1.2, kTol);
}

TEST(ReverseStress, RejectsBadBudgetsAndDirections) {
  EXPECT_FALSE(reverse_stress(book(), 0.0));
  EXPECT_FALSE(reverse_stress(book(), -100.0));
  EXPECT_FALSE(reverse_stress_per_instrument(book(), 0.0));
  const std::vector<double> short_direction{1.0, 1.0};
  auto wrong = reverse_stress(book(), 100.0, short_direction);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().where(), "direction");
}

TEST(ReverseStress, OutcomeCodesRoundTrip) {
  for (ReverseStressOutcome o :
       {ReverseStressOutcome::Found, ReverseStressOutcome::NoExposure, ReverseStressOutcome::BeyondTotalLoss}) {
    ReverseStressOutcome back = ReverseStressOutcome::Found;
    ASSERT_TRUE(parse(to_string(o), back));
    EXPECT_EQ(back, o);
  }
  EXPECT_EQ(to_string(ReverseStressOutcome::BeyondTotalLoss), "BEYOND_TOTAL_LOSS");
  ReverseStressOutcome unused = ReverseStressOutcome::Found;
  EXPECT_FALSE(parse("found", unused));
}

}  // namespace
}  // namespace ballast::analytics
