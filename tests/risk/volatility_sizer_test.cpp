#include "ballast/risk/volatility_sizer.hpp"

#include "risk/sizing_test_support.hpp"

#include <gtest/gtest.h>

// Hand-computed: ATR stop = k × ATR then equity × risk / stop distance; volatility targeting notional =
// equity × σ_target / σ_asset (Moreira & Muir, "Volatility-Managed Portfolios", J. Finance 72(4), 2017,
// scale exposure by the inverse of volatility).

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::px;
using test::qty;
using test::usdt;

TEST(AtrStopSizer, PlacesTheStopKAtrsAwayAndRisksTheFraction) {
  const model::Instrument btc = model::test::linear_perp();
  const AtrStopSizer sizer = AtrStopSizer::create(AtrStopConfig{dec("2"), dec("0.01")}).value();
  SizingContext c = test::context(btc, OrderSide::Sell, "50000", "100000");
  c.atr = px("250");  // stop 2 × 250 = 500 away; 1000 / 500 = 2 BTC
  EXPECT_EQ(sizer.size(c).value().quantity, qty("2"));
  c.atr.reset();
  auto missing = sizer.size(c);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "atr");
  EXPECT_FALSE(AtrStopSizer::create(AtrStopConfig{dec("0"), dec("0.01")}));
}

TEST(VolatilityTargetSizer, HoldsAQuarterOfEquityFor20PercentTargetOn80PercentAsset) {
  const model::Instrument btc = model::test::linear_perp();
  const VolatilityTargetSizer sizer = VolatilityTargetSizer::create(VolatilityTargetConfig{0.20}).value();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.annual_volatility = 0.80;
  const SizingResult r = sizer.size(c).value();
  EXPECT_EQ(r.notional, usdt("25000"));  // 100000 × 0.20 / 0.80 = 25 % of equity
  EXPECT_EQ(r.quantity, qty("0.5"));
}

TEST(VolatilityTargetSizer, LeversUpALowVolatilityAssetUnlessCapped) {
  const model::Instrument btc = model::test::linear_perp();
  const VolatilityTargetSizer sizer = VolatilityTargetSizer::create(VolatilityTargetConfig{0.20}).value();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.annual_volatility = 0.10;  // 200 % of equity: 200000 / 50000 = 4 BTC
  EXPECT_EQ(sizer.size(c).value().quantity, qty("4"));
  c.limits.max_notional = usdt("100000");
  const SizingResult capped = sizer.size(c).value();
  EXPECT_EQ(capped.quantity, qty("2"));
  EXPECT_TRUE(capped.has(SizingReason::ClippedToMaxNotional));
  c.annual_volatility = 0.0;
  EXPECT_FALSE(sizer.size(c));
  EXPECT_FALSE(VolatilityTargetSizer::create(VolatilityTargetConfig{-0.1}));
}

}  // namespace
}  // namespace ballast::risk
