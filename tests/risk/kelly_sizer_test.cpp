#include "ballast/risk/kelly_sizer.hpp"

#include "risk/sizing_test_support.hpp"

#include <gtest/gtest.h>

// Expected fractions from the textbook Kelly formula f* = p − (1 − p)/b (Thorp 2006, §2; for p = 0.55,
// b = 2: 0.55 − 0.45/2 = 0.325), computed by hand; sizes follow as notional = f × equity at the entry.

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::px;
using test::qty;

KellySizer sizer(double p, double b, double multiplier, double cap, KellyBasis basis = KellyBasis::Notional) {
  return KellySizer::create(KellyConfig{p, b, multiplier, cap, basis}).value();
}

TEST(KellyFraction, IsTheTextbookFormula) {
  EXPECT_NEAR(kelly_fraction(0.55, 2.0), 0.325, 1e-15);
  EXPECT_NEAR(kelly_fraction(0.4, 1.0), -0.2, 1e-15);
  EXPECT_NEAR(kelly_fraction(0.5, 1.0), 0.0, 1e-15);  // a fair coin at even money: no edge
}

TEST(KellySizer, HalfKellyStakesHalfTheFullFraction) {
  const model::Instrument btc = model::test::linear_perp();
  const KellySizer half = sizer(0.55, 2.0, 0.5, 0.25);
  EXPECT_NEAR(half.full_kelly(), 0.325, 1e-15);
  EXPECT_NEAR(half.applied_fraction(), 0.1625, 1e-15);
  // 100000 × 0.1625 = 16250 USDT at 50000 → 0.325 BTC.
  const SizingResult r = half.size(test::context(btc, OrderSide::Buy, "50000", "100000")).value();
  EXPECT_EQ(r.quantity, qty("0.325"));
  EXPECT_TRUE(r.reasons.empty());
}

TEST(KellySizer, CapsTheFraction) {
  const model::Instrument btc = model::test::linear_perp();
  const KellySizer full = sizer(0.55, 2.0, 1.0, 0.25);  // 0.325 > 0.25
  EXPECT_NEAR(full.applied_fraction(), 0.25, 1e-15);
  const SizingResult r = full.size(test::context(btc, OrderSide::Buy, "50000", "100000")).value();
  EXPECT_EQ(r.quantity, qty("0.5"));  // 25000 / 50000
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::KellyFractionCapped});
}

TEST(KellySizer, GivesZeroWithNegativeEdge) {
  const model::Instrument btc = model::test::linear_perp();
  const KellySizer losing = sizer(0.4, 1.0, 0.5, 0.25);  // 0.4 − 0.6/1 = −0.2
  EXPECT_EQ(losing.applied_fraction(), 0.0);
  const SizingResult r = losing.size(test::context(btc, OrderSide::Buy, "50000", "100000")).value();
  EXPECT_TRUE(r.quantity.is_zero());
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::NegativeEdge});
}

TEST(KellySizer, StakesTheRiskToTheStopOnThatBasis) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49000");
  // 100000 × 0.1625 = 16250 at risk, 1000 per BTC to the stop → 16.25 BTC.
  const SizingResult r = sizer(0.55, 2.0, 0.5, 0.25, KellyBasis::RiskToStop).size(c).value();
  EXPECT_EQ(r.quantity, qty("16.25"));
}

TEST(KellySizer, RefusesAnInvalidConfigurationListingEveryProblem) {
  auto r = KellySizer::create(KellyConfig{1.5, 0.0, 0.0, 2.0, KellyBasis::Notional});
  ASSERT_FALSE(r);
  const std::string& m = r.error().message();
  EXPECT_NE(m.find("win_probability must be in [0, 1], got 1.5"), std::string::npos) << m;
  EXPECT_NE(m.find("payoff_ratio must be positive"), std::string::npos) << m;
  EXPECT_NE(m.find("kelly_multiplier must be in (0, 1]"), std::string::npos) << m;
  EXPECT_NE(m.find("max_fraction must be in (0, 1]"), std::string::npos) << m;
}

}  // namespace
}  // namespace ballast::risk
