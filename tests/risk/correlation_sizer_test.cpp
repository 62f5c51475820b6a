#include "ballast/risk/correlation_sizer.hpp"

#include "ballast/risk/fixed_fractional_sizer.hpp"
#include "risk/sizing_test_support.hpp"

#include <gtest/gtest.h>

#include <memory>

// Hand-computed with σ₁ = 0.8, σ₂ = 0.6, ρ₁₂ = 0.5 (cov 0.24) and a book of 100000 long in asset 2:
// (Σw)₁ = 0.24 × 100000 = 24000, σ_P = 0.6 × 100000 = 60000, ρ₁P = 24000 / (0.8 × 60000) = 0.5, so a
// buy of asset 1 is scaled by 1 − 0.5 = 0.5 and a sell (a hedge) keeps its base size.

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::px;
using test::qty;

CorrelationSizerConfig two_assets(double exposure_2) {
  return CorrelationSizerConfig{{{0.64, 0.24}, {0.24, 0.36}}, {0.0, exposure_2}, 0};
}

CorrelationSizer correlated(CorrelationSizerConfig config) {
  auto base = std::make_unique<FixedFractionalSizer>(FixedFractionalSizer::create({dec("0.01")}).value());
  return CorrelationSizer::create(std::move(base), std::move(config)).value();
}

SizingContext one_btc_context(const model::Instrument& btc, OrderSide side) {
  SizingContext c = test::context(btc, side, "50000", "100000");
  c.stop_price = side == OrderSide::Buy ? px("49000") : px("51000");  // base size 1.0 BTC
  return c;
}

TEST(CorrelationSizer, HalvesABuyHalfCorrelatedWithTheBook) {
  const model::Instrument btc = model::test::linear_perp();
  EXPECT_NEAR(correlation_scale(two_assets(100000.0), OrderSide::Buy), 0.5, 1e-12);
  const SizingResult r = correlated(two_assets(100000.0)).size(one_btc_context(btc, OrderSide::Buy)).value();
  EXPECT_EQ(r.quantity, qty("0.5"));
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::ScaledForCorrelation});
}

TEST(CorrelationSizer, KeepsTheBaseSizeForAHedgeOrAnEmptyBook) {
  const model::Instrument btc = model::test::linear_perp();
  EXPECT_EQ(correlation_scale(two_assets(100000.0), OrderSide::Sell), 1.0);
  EXPECT_EQ(correlated(two_assets(100000.0)).size(one_btc_context(btc, OrderSide::Sell)).value().quantity, qty("1"));
  EXPECT_EQ(correlation_scale(two_assets(0.0), OrderSide::Buy), 1.0);
  EXPECT_TRUE(correlated(two_assets(0.0)).size(one_btc_context(btc, OrderSide::Buy)).value().reasons.empty());
}

TEST(CorrelationSizer, GivesNothingWhenAddingToTheSameRisk) {
  const model::Instrument btc = model::test::linear_perp();
  // One asset already held long: ρ = 1, scale 0.
  const SizingResult r =
      correlated(CorrelationSizerConfig{{{0.64}}, {50000.0}, 0}).size(one_btc_context(btc, OrderSide::Buy)).value();
  EXPECT_TRUE(r.quantity.is_zero());
  EXPECT_TRUE(r.has(SizingReason::ScaledForCorrelation));
}

TEST(CorrelationSizer, RefusesInconsistentInputs) {
  auto base = [] {
    return std::make_unique<FixedFractionalSizer>(FixedFractionalSizer::create({dec("0.01")}).value());
  };
  auto asymmetric = CorrelationSizer::create(base(), CorrelationSizerConfig{{{0.64, 0.2}, {0.24, 0.36}}, {0, 1}, 0});
  ASSERT_FALSE(asymmetric);
  EXPECT_EQ(asymmetric.error().where(), "covariance[0][1]");
  EXPECT_FALSE(CorrelationSizer::create(base(), CorrelationSizerConfig{{{0.64, 0.24}, {0.24, 0.36}}, {0}, 0}));
  EXPECT_FALSE(CorrelationSizer::create(base(), CorrelationSizerConfig{{{0.64, 0.24}, {0.24, 0.36}}, {0, 1}, 2}));
  EXPECT_FALSE(CorrelationSizer::create(nullptr, two_assets(1.0)));
}

}  // namespace
}  // namespace ballast::risk
