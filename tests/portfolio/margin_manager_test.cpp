#include "ballast/portfolio/margin_manager.hpp"

#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

#include <string>

// Expected values are computed by hand from the definitions in margin_manager.hpp and the BTCUSDT
// brackets of model/test_support.hpp (tier 1: (0, 50000] 125x MMR 0.4 % amount 0; tier 2: (50000, 250000]
// 100x 0.5 % amount 50; tier 3: (250000, 3000000] 50x 1 % amount 1300). All amounts are exact decimals;
// the one rounded value (a ratio) states its rounding.

namespace ballast::portfolio {
namespace {

using model::MarginMode;
using model::OrderSide;
using test::dec;
using test::px;
using test::qty;
using test::usdt;

MarginManager manager(std::string_view call_ratio = "0.8") {
  return MarginManager::create(MarginConfig{dec(call_ratio)}).value();
}

TEST(MarginManager, MeasuresCrossPositionOpenOrdersAndAvailableMargin) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("10000");
  state.positions.push_back(test::position(btc, "1", "50000", "49000", MarginMode::Cross, "10"));
  state.open_orders.push_back(MarginOrder{&btc, OrderSide::Buy, qty("0.5"), px("48000"), dec("10")});
  state.open_orders.push_back(MarginOrder{&btc, OrderSide::Sell, qty("0.2"), px("52000"), dec("10")});

  const MarginSummary s = manager().evaluate(state).value();
  ASSERT_EQ(s.positions.size(), 1u);
  const PositionMargin& p = s.positions[0];
  EXPECT_EQ(p.notional, usdt("49000"));             // 1 × 49000
  EXPECT_EQ(p.unrealized_pnl, usdt("-1000"));       // 1 × (49000 − 50000)
  EXPECT_EQ(p.initial_margin, usdt("4900"));        // 49000 / 10
  EXPECT_EQ(p.maintenance_margin, usdt("196"));     // 49000 × 0.004 − 0 (tier 1)
  EXPECT_EQ(p.tier.max_leverage, dec("125"));
  ASSERT_EQ(s.open_orders.size(), 1u);
  EXPECT_EQ(s.open_orders[0].buy_side, usdt("2400"));   // 0.5 × 48000 / 10
  EXPECT_EQ(s.open_orders[0].sell_side, usdt("1040"));  // 0.2 × 52000 / 10
  EXPECT_EQ(s.open_orders[0].charged, usdt("2400"));    // the larger side
  EXPECT_EQ(s.open_order_margin, usdt("2400"));
  EXPECT_EQ(s.cross_margin_balance, usdt("9000"));      // 10000 − 1000
  EXPECT_EQ(s.available_margin, usdt("1700"));          // 9000 − 4900 − 2400
  // 196 / 9000 = 0.021777…, rounded up at 8 places.
  ASSERT_TRUE(s.cross_margin_ratio.has_value());
  EXPECT_EQ(*s.cross_margin_ratio, dec("0.02177778"));
  EXPECT_FALSE(s.cross_margin_call);
  EXPECT_FALSE(s.any_liquidatable);
}

TEST(MarginManager, RaisesIsolatedMarginCallAtThresholdAndFlagsLiquidationAtOne) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("10000");
  state.positions.push_back(test::position(btc, "1", "50000", "49200", MarginMode::Isolated, "50", "1000"));

  const MarginSummary s = manager().evaluate(state).value();
  const PositionMargin& p = s.positions[0];
  EXPECT_EQ(*p.isolated_margin_balance, usdt("200"));   // 1000 + (49200 − 50000)
  EXPECT_EQ(p.maintenance_margin, usdt("196.8"));        // 49200 × 0.004
  EXPECT_EQ(*p.isolated_margin_ratio, dec("0.984"));     // 196.8 / 200, exact
  EXPECT_TRUE(p.margin_call);                            // 0.984 >= 0.8
  EXPECT_FALSE(p.liquidatable);                          // 0.984 < 1
  EXPECT_TRUE(s.any_margin_call);
  // The isolated position does not touch the cross side.
  EXPECT_EQ(s.available_margin, usdt("10000"));
  EXPECT_EQ(*s.cross_margin_ratio, dec("0"));
  EXPECT_FALSE(s.cross_margin_call);

  // A higher threshold does not call at 0.984.
  EXPECT_FALSE(manager("0.99").evaluate(state).value().positions[0].margin_call);

  // Mark 49190: balance 190 < MM 196.76; ratio 196.76 / 190 = 1.0355789473… rounded up.
  state.positions[0].mark_price = px("49190");
  const MarginSummary down = manager().evaluate(state).value();
  EXPECT_EQ(*down.positions[0].isolated_margin_ratio, dec("1.03557895"));
  EXPECT_TRUE(down.positions[0].liquidatable);
  EXPECT_TRUE(down.any_liquidatable);
}

TEST(MarginManager, CrossRatioIsUnboundedWhenMarginBalanceIsGone) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("500");
  state.positions.push_back(test::position(btc, "1", "50000", "49000", MarginMode::Cross, "125"));
  const MarginSummary s = manager().evaluate(state).value();
  EXPECT_EQ(s.cross_margin_balance, usdt("-500"));  // 500 − 1000
  EXPECT_FALSE(s.cross_margin_ratio.has_value());
  EXPECT_TRUE(s.cross_margin_call);
  EXPECT_TRUE(s.cross_liquidatable);
  EXPECT_EQ(s.available_margin, usdt("-892"));  // −500 − 49000/125 (= 392): a deficit, not clamped
}

TEST(MarginManager, RefusesLeverageAboveTheTierMaxNamingTierAndMax) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("10000");
  state.positions.push_back(test::position(btc, "1", "50000", "49000", MarginMode::Cross, "150"));
  auto r = manager().evaluate(state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(r.error().where(), "positions[0].leverage");
  EXPECT_NE(r.error().message().find("leverage 150 exceeds the max leverage 125 of margin tier 1"), std::string::npos)
      << r.error().message();

  // 1.2 × 50000 = 60000 sits in tier 2 (max 100x).
  state.positions[0] = test::position(btc, "1.2", "50000", "50000", MarginMode::Cross, "120");
  r = manager().evaluate(state);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("max leverage 100 of margin tier 2 (notional 50000 to 250000 USDT)"),
            std::string::npos)
      << r.error().message();
}

TEST(MarginManager, ChecksOrderLeverageAgainstTheNotionalTheOrdersCouldReach) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("10000");
  // 0.8 × 50000 = 40000 held + 0.4 × 50000 = 20000 on the bid → 60000: tier 2, max 100x < 120x.
  state.positions.push_back(test::position(btc, "0.8", "50000", "50000", MarginMode::Cross, "120"));
  state.open_orders.push_back(MarginOrder{&btc, OrderSide::Buy, qty("0.4"), px("50000"), dec("120")});
  auto r = manager().evaluate(state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "open_orders[0].leverage");
}

TEST(MarginManager, RefusesInverseContractsAndBadConfiguration) {
  const model::Instrument inverse = model::test::inverse_perp();
  MarginAccountState state = test::account("10000");
  state.positions.push_back(MarginPosition{&inverse, dec("10"), px("50000"), px("50000"), MarginMode::Cross,
                                           dec("10"), usdt("0")});
  auto r = manager().evaluate(state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::Unsupported);

  EXPECT_FALSE(MarginManager::create(MarginConfig{dec("0")}));
  EXPECT_FALSE(MarginManager::create(MarginConfig{dec("1.5")}));
}

TEST(MarginManager, RefusesTwoPositionsInOneInstrument) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("10000");
  state.positions.push_back(test::position(btc, "1", "50000", "50000", MarginMode::Cross, "10"));
  state.positions.push_back(test::position(btc, "-1", "50000", "50000", MarginMode::Cross, "10"));
  auto r = manager().evaluate(state);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "positions[1]");
}

}  // namespace
}  // namespace ballast::portfolio
