#include "ballast/risk/risk_calculator.hpp"

#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::risk {
namespace {

using model::MarginMode;
using model::OrderSide;
using portfolio::test::account;
using portfolio::test::dec;
using portfolio::test::position;
using portfolio::test::px;
using portfolio::test::qty;
using portfolio::test::usdt;

// Reference perpetual (tests/model/test_support.hpp): tick 0.1, taker fee 0.0004, first tier (0, 50 000]
// with MMR 0.004 and maintenance amount 0.
class MaxLossTest : public ::testing::Test {
 protected:
  model::Instrument btc_ = model::test::linear_perp();

  // Long 0.5 BTC entered at 60 000, marked at 61 000, cross 10x, cross wallet 10 000.
  // Liquidation price (Binance one-way formula, only position): (WB + cum − side·Q·EP) / (Q·MMR − side·Q)
  //   = (10 000 + 0 − 30 000) / (0.002 − 0.5) = 40 160.6425… → up to the tick for a long: 40 160.7.
  portfolio::MarginAccountState long_btc() const {
    auto state = account("10000");
    state.positions.push_back(position(btc_, "0.5", "60000", "61000", MarginMode::Cross, "10"));
    return state;
  }
};

TEST_F(MaxLossTest, LongPositionLosesPriceMoveToStopPlusTakerFeesOnEntryAndExit) {
  auto loss = max_loss(long_btc(), 0, px("58000"));
  ASSERT_TRUE(loss) << loss.error().to_string();
  EXPECT_EQ(loss->basis, ExitBasis::Stop);
  EXPECT_EQ(loss->exit_price, px("58000"));
  // 0.5 × (60 000 − 58 000) = 1 000; fees 0.5 × 60 000 × 0.0004 = 12 and 0.5 × 58 000 × 0.0004 = 11.6.
  EXPECT_EQ(loss->price_loss, usdt("1000"));
  EXPECT_EQ(loss->entry_fee, usdt("12"));
  EXPECT_EQ(loss->exit_fee, usdt("11.6"));
  EXPECT_EQ(loss->total_loss, usdt("1023.6"));
  // From the mark: 0.5 × (61 000 − 58 000) + 11.6 = 1 511.6.
  EXPECT_EQ(loss->loss_from_mark, usdt("1511.6"));
  ASSERT_TRUE(loss->liquidation.has_value());
  EXPECT_EQ(loss->liquidation->price, px("40160.7"));
  EXPECT_FALSE(loss->isolated_margin.has_value());
}

TEST_F(MaxLossTest, PositionWithoutStopLosesDownToItsLiquidationPrice) {
  auto loss = max_loss(long_btc(), 0, std::nullopt);
  ASSERT_TRUE(loss) << loss.error().to_string();
  EXPECT_EQ(loss->basis, ExitBasis::Liquidation);
  EXPECT_EQ(loss->exit_price, px("40160.7"));
  // 0.5 × (60 000 − 40 160.7) = 9 919.65; exit fee 0.5 × 40 160.7 × 0.0004 = 8.03214; entry fee 12.
  EXPECT_EQ(loss->price_loss, usdt("9919.65"));
  EXPECT_EQ(loss->exit_fee, usdt("8.03214"));
  EXPECT_EQ(loss->total_loss, usdt("9939.68214"));
}

TEST_F(MaxLossTest, StopBeyondTheLiquidationPriceIsNeverReachedSoLiquidationBinds) {
  auto loss = max_loss(long_btc(), 0, px("35000"));
  ASSERT_TRUE(loss) << loss.error().to_string();
  EXPECT_EQ(loss->basis, ExitBasis::Liquidation);
  EXPECT_EQ(loss->exit_price, px("40160.7"));
  EXPECT_EQ(loss->price_loss, usdt("9919.65"));
}

TEST_F(MaxLossTest, ShortPositionLosesWhenPriceRisesToItsStop) {
  // Short 0.2 @ 50 000, mark 49 000, cross wallet 5 000: LP = (5 000 + 10 000) / (0.0008 + 0.2)
  // = 74 701.19… (far above the stop 52 000, so the stop binds).
  auto state = account("5000");
  state.positions.push_back(position(btc_, "-0.2", "50000", "49000", MarginMode::Cross, "10"));
  auto loss = max_loss(state, 0, px("52000"));
  ASSERT_TRUE(loss) << loss.error().to_string();
  EXPECT_EQ(loss->basis, ExitBasis::Stop);
  // side × Q × (entry − exit) = −1 × 0.2 × (50 000 − 52 000) = 400; fees 0.2 × 50 000 × 0.0004 = 4 and
  // 0.2 × 52 000 × 0.0004 = 4.16; from the mark: 0.2 × 3 000 + 4.16 = 604.16.
  EXPECT_EQ(loss->price_loss, usdt("400"));
  EXPECT_EQ(loss->total_loss, usdt("408.16"));
  EXPECT_EQ(loss->loss_from_mark, usdt("604.16"));
  EXPECT_EQ(loss->liquidation->price, px("74701.1"));
}

TEST_F(MaxLossTest, FullyFundedIsolatedLongLosesItsWholeNotionalAtPriceZero) {
  // Long 0.1 @ 20 000 with 2 100 isolated margin: LP = (2 100 − 2 000) / (0.1 × 0.004 − 0.1) < 0 → NEVER.
  auto state = account("0");
  state.positions.push_back(position(btc_, "0.1", "20000", "20000", MarginMode::Isolated, "1", "2100"));
  auto loss = max_loss(state, 0, std::nullopt);
  ASSERT_TRUE(loss) << loss.error().to_string();
  EXPECT_EQ(loss->liquidation->outcome, portfolio::LiquidationOutcome::Never);
  EXPECT_EQ(loss->basis, ExitBasis::PriceZero);
  // 0.1 × 20 000 = 2 000 price loss, entry fee 0.1 × 20 000 × 0.0004 = 0.8, no fee on a zero notional.
  EXPECT_EQ(loss->price_loss, usdt("2000"));
  EXPECT_EQ(loss->exit_fee, usdt("0"));
  EXPECT_EQ(loss->total_loss, usdt("2000.8"));
  ASSERT_TRUE(loss->isolated_margin.has_value());
  EXPECT_EQ(*loss->isolated_margin, usdt("2100"));
}

TEST_F(MaxLossTest, RejectsNonPositiveStopNamingTheField) {
  auto loss = max_loss(long_btc(), 0, px("0"));
  ASSERT_FALSE(loss);
  EXPECT_EQ(loss.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(loss.error().where(), "stop");
}

TEST_F(MaxLossTest, RejectsPositionIndexOutOfRange) {
  auto loss = max_loss(long_btc(), 1, std::nullopt);
  ASSERT_FALSE(loss);
}

TEST(ExitBasis, CodesRoundTrip) {
  for (ExitBasis b : {ExitBasis::Stop, ExitBasis::Liquidation, ExitBasis::PriceZero, ExitBasis::Mark}) {
    auto parsed = parse_exit_basis(to_string(b));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, b);
  }
  EXPECT_EQ(to_string(ExitBasis::PriceZero), "PRICE_ZERO");
  EXPECT_FALSE(parse_exit_basis("stop"));
}

class RiskRewardTest : public ::testing::Test {
 protected:
  model::Instrument btc_ = model::test::linear_perp();
};

TEST_F(RiskRewardTest, BuyRiskingOneToMakeThreeHasRatioThreeAndBreaksEvenAtTwentyFivePercent) {
  // Buy 0.5 @ 60 000, stop 59 000, target 63 000: risk 0.5 × 1 000 = 500, reward 0.5 × 3 000 = 1 500,
  // R = 3, break-even = 1 / (1 + 3) = 0.25.
  TradePlan plan{&btc_, OrderSide::Buy, qty("0.5"), px("60000"), px("59000"), px("63000")};
  auto rr = risk_reward(plan);
  ASSERT_TRUE(rr) << rr.error().to_string();
  EXPECT_EQ(rr->risk, usdt("500"));
  EXPECT_EQ(rr->reward, usdt("1500"));
  EXPECT_EQ(rr->reward_risk_ratio, dec("3"));
  EXPECT_EQ(rr->break_even_win_rate, dec("0.25"));
  // Fees at 0.0004: entry 12, stop 0.5 × 59 000 × 0.0004 = 11.8, target 0.5 × 63 000 × 0.0004 = 12.6.
  EXPECT_EQ(rr->entry_fee, usdt("12"));
  EXPECT_EQ(rr->stop_fee, usdt("11.8"));
  EXPECT_EQ(rr->target_fee, usdt("12.6"));
  // Net: risk 523.8, reward 1 475.4, R = 1 475.4 / 523.8 = 2.816723940… → 2.81672394 (8 places),
  // break-even 523.8 / 1 999.2 = 0.262004801… → 0.26200480.
  EXPECT_EQ(rr->net_risk, usdt("523.8"));
  EXPECT_EQ(rr->net_reward, usdt("1475.4"));
  EXPECT_EQ(rr->net_reward_risk_ratio, dec("2.81672394"));
  ASSERT_TRUE(rr->net_break_even_win_rate.has_value());
  EXPECT_EQ(*rr->net_break_even_win_rate, dec("0.26200480"));
}

TEST_F(RiskRewardTest, SellWithStopAboveAndTargetBelowHasRatioOnePointFive) {
  // Sell 2 @ 3 000, stop 3 100, target 2 850: risk 200, reward 300, R = 1.5, break-even 200 / 500 = 0.4.
  const model::Instrument eth = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  TradePlan plan{&eth, OrderSide::Sell, qty("2"), px("3000"), px("3100"), px("2850")};
  auto rr = risk_reward(plan);
  ASSERT_TRUE(rr) << rr.error().to_string();
  EXPECT_EQ(rr->risk, usdt("200"));
  EXPECT_EQ(rr->reward, usdt("300"));
  EXPECT_EQ(rr->reward_risk_ratio, dec("1.5"));
  EXPECT_EQ(rr->break_even_win_rate, dec("0.4"));
}

TEST_F(RiskRewardTest, FeesLargerThanTheRewardLeaveNoNetBreakEven) {
  // Buy 0.001 @ 60 000, stop 59 990, target 60 010: risk = reward = 0.01; fees 0.024 (entry) and
  // 0.001 × 60 010 × 0.0004 = 0.024004 (target) → net reward 0.01 − 0.048004 = −0.038004.
  TradePlan plan{&btc_, OrderSide::Buy, qty("0.001"), px("60000"), px("59990"), px("60010")};
  auto rr = risk_reward(plan);
  ASSERT_TRUE(rr) << rr.error().to_string();
  EXPECT_EQ(rr->reward_risk_ratio, dec("1"));
  EXPECT_EQ(rr->net_reward, usdt("-0.038004"));
  EXPECT_TRUE(rr->net_reward_risk_ratio.is_negative());
  EXPECT_FALSE(rr->net_break_even_win_rate.has_value());
}

TEST_F(RiskRewardTest, RejectsBuyStopAboveEntryNamingTheStop) {
  TradePlan plan{&btc_, OrderSide::Buy, qty("1"), px("60000"), px("61000"), px("63000")};
  auto rr = risk_reward(plan);
  ASSERT_FALSE(rr);
  EXPECT_EQ(rr.error().where(), "stop");
}

TEST_F(RiskRewardTest, RejectsSellTargetAboveEntryNamingTheTarget) {
  TradePlan plan{&btc_, OrderSide::Sell, qty("1"), px("60000"), px("61000"), px("62000")};
  auto rr = risk_reward(plan);
  ASSERT_FALSE(rr);
  EXPECT_EQ(rr.error().where(), "target");
}

TEST_F(RiskRewardTest, RefusesInverseContracts) {
  const model::Instrument inverse = model::test::inverse_perp();
  TradePlan plan{&inverse, OrderSide::Buy, qty("1"), px("60000"), px("59000"), px("63000")};
  auto rr = risk_reward(plan);
  ASSERT_FALSE(rr);
  EXPECT_EQ(rr.error().code(), core::ErrorCode::Unsupported);
}

}  // namespace
}  // namespace ballast::risk
