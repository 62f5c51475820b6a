#include "ballast/risk/fixed_fractional_sizer.hpp"

#include "ballast/risk/fixed_notional_sizer.hpp"
#include "risk/sizing_test_support.hpp"

#include <gtest/gtest.h>

// Expected quantities are hand-computed from quantity = equity × risk / (|entry − stop| × multiplier)
// (van Tharp, "Trade Your Way to Financial Freedom", ch. 14, the "percent risk" model), rounded down to
// the 0.001 step; exact decimals, no tolerance.

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::px;
using test::qty;
using test::usdt;

FixedFractionalSizer one_percent() {
  return FixedFractionalSizer::create(FixedFractionalConfig{dec("0.01")}).value();
}

TEST(FixedFractionalSizer, RisksOnePercentOfEquityToTheStop) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49000");
  const SizingResult r = one_percent().size(c).value();
  EXPECT_EQ(r.quantity, qty("1"));  // 100000 × 0.01 / 1000 = 1.0 BTC
  EXPECT_EQ(r.notional, usdt("50000"));
  EXPECT_TRUE(r.reasons.empty());
}

TEST(FixedFractionalSizer, RoundsDownToTheStep) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49100");
  const SizingResult r = one_percent().size(c).value();
  EXPECT_EQ(r.target_quantity, dec("1.111111111"));  // 1000 / 900, truncated at 3 + 6 places
  EXPECT_EQ(r.quantity, qty("1.111"));               // down, never up
}

TEST(FixedFractionalSizer, SizesAShortWithAStopAboveTheEntry) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Sell, "50000", "100000");
  c.stop_price = px("51000");
  EXPECT_EQ(one_percent().size(c).value().quantity, qty("1"));
}

TEST(FixedFractionalSizer, RefusesAMissingStopOrOneOnTheWrongSide) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  auto missing = one_percent().size(c);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "stop_price");
  c.stop_price = px("51000");
  auto wrong = one_percent().size(c);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message(), "stop 51000 must be below the entry 50000 for a BUY");
  EXPECT_FALSE(FixedFractionalSizer::create(FixedFractionalConfig{dec("0")}));
  EXPECT_FALSE(FixedFractionalSizer::create(FixedFractionalConfig{dec("1.01")}));
}

TEST(FixedFractionalSizer, ClipsToTheCallersMaxQuantityAndMaxNotional) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49000");
  c.limits.max_quantity = qty("0.5");
  SizingResult r = one_percent().size(c).value();
  EXPECT_EQ(r.quantity, qty("0.5"));
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::ClippedToMaxQuantity});

  c.limits.max_quantity.reset();
  c.limits.max_notional = usdt("20000");  // 20000 / 50000 = 0.4
  r = one_percent().size(c).value();
  EXPECT_EQ(r.quantity, qty("0.4"));
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::ClippedToMaxNotional});
}

TEST(FixedFractionalSizer, ClipsToTheInstrumentMaxQuantity) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49999.9");  // 1000 / 0.1 = 10000 BTC, above the instrument's 1000
  const SizingResult r = one_percent().size(c).value();
  EXPECT_EQ(r.quantity, qty("1000"));
  EXPECT_TRUE(r.has(SizingReason::ClippedToInstrumentMaxQuantity));
}

TEST(FixedFractionalSizer, GivesZeroBelowTheInstrumentMinimums) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "50");
  c.stop_price = px("49000");  // 0.5 / 1000 = 0.0005 → 0.000 on the step, under min quantity 0.001
  SizingResult r = one_percent().size(c).value();
  EXPECT_TRUE(r.quantity.is_zero());
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::BelowMinQuantity});

  c.equity = usdt("100");  // 1 / 1000 = 0.001 BTC = 50 USDT, under min notional 100
  r = one_percent().size(c).value();
  EXPECT_TRUE(r.quantity.is_zero());
  EXPECT_EQ(r.reasons, std::vector<SizingReason>{SizingReason::BelowMinNotional});
}

TEST(FixedFractionalSizer, RefusesEquityInAnotherCurrencyAndInverseContracts) {
  const model::Instrument btc = model::test::linear_perp();
  SizingContext c = test::context(btc, OrderSide::Buy, "50000", "100000");
  c.stop_price = px("49000");
  c.equity = model::test::btc("1");
  auto r = one_percent().size(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "equity");

  const model::Instrument inverse = model::test::inverse_perp();
  SizingContext ci;
  ci.instrument = &inverse;
  ci.entry_price = px("50000");
  ci.equity = model::test::btc("1");
  ci.stop_price = px("49000");
  auto unsupported = one_percent().size(ci);
  ASSERT_FALSE(unsupported);
  EXPECT_EQ(unsupported.error().code(), core::ErrorCode::Unsupported);
}

TEST(FixedNotionalSizer, BuysTheSameNotionalRoundedDown) {
  const model::Instrument btc = model::test::linear_perp();
  const FixedNotionalSizer sizer = FixedNotionalSizer::create(FixedNotionalConfig{usdt("10000")}).value();
  const SizingResult r = sizer.size(test::context(btc, OrderSide::Buy, "30000", "100000")).value();
  EXPECT_EQ(r.quantity, qty("0.333"));  // 10000 / 30000 = 0.3333…
  EXPECT_EQ(r.notional, usdt("9990"));
  EXPECT_FALSE(FixedNotionalSizer::create(FixedNotionalConfig{usdt("0")}));
}

TEST(FixedNotionalSizer, SizesInverseContractsInContracts) {
  // 100 USD contracts: 0.01 BTC of notional at 50000 is 0.01 × 50000 / 100 = 5 contracts.
  const model::Instrument inverse = model::test::inverse_perp();
  const FixedNotionalSizer sizer = FixedNotionalSizer::create(FixedNotionalConfig{model::test::btc("0.01")}).value();
  SizingContext c;
  c.instrument = &inverse;
  c.entry_price = px("50000");
  c.equity = model::test::btc("1");
  EXPECT_EQ(sizer.size(c).value().quantity, qty("5"));
}

}  // namespace
}  // namespace ballast::risk
