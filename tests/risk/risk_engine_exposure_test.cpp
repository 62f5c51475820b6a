// Checks on what the account holds after the order: position quantity and notional (with same-side
// working orders), gross and net exposure, concentration, leverage, margin and margin tiers, portfolio
// VaR, and the volatility scaling of limits. Fixture: risk_engine_test_support.hpp (BTC 50 000, ETH 2 000,
// wallet 100 000, leverage 10).

#include "risk/risk_engine_test_support.hpp"

#include <cmath>

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::expect_approved;
using test::expect_denied;
using test::expect_reduced;
using test::kT0;
using test::px;

using RiskEngineExposure = test::EngineTest;

TEST_F(RiskEngineExposure, ProjectsPositionQuantityWithSameSideWorkingOrders) {
  config.instrument.max_position_quantity = on("3");
  hold(kBtc, "1");
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Buy, dec("1"), px("49000")));
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Sell, dec("4"), px("52000")));  // other side: not counted
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));  // 1 + 1 + 1 = 3
  const RiskDecision d = e.evaluate(market(kBtc, OrderSide::Buy, "1.001"), kT0);
  expect_denied(d, DenyReason::PositionQuantityExceedsMax, "3", "3.001");
  EXPECT_EQ(d.message(), "POSITION_QUANTITY_EXCEEDS_MAX: max=3, position=3.001");
  config.reduce_quantity_to_fit = true;
  expect_reduced(engine().evaluate(market(kBtc, OrderSide::Buy, "2.5"), kT0), DenyReason::PositionQuantityExceedsMax,
                 "1");
}

TEST_F(RiskEngineExposure, LetsReducingOrdersThroughAPositionAboveItsLimit) {
  config.instrument.max_position_quantity = on("3");
  config.instrument.max_position_notional = on("100000");
  config.max_gross_exposure = on("100000");
  config.max_leverage = on("1");
  hold(kBtc, "5");  // 250000 notional: above every limit
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Sell, "1"), kT0));
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "0.002"), kT0), DenyReason::PositionQuantityExceedsMax, "3",
                "5.002");
}

TEST_F(RiskEngineExposure, HalvesPositionLimitsInExtremeVolatility) {
  config.instrument.max_position_quantity = on("3");
  config.volatility_scaling.enabled = true;  // defaults: HIGH 0.75, EXTREME 0.5
  RiskEngine e = engine();
  e.set_volatility_level(kBtc, analytics::VolatilityLevel::Extreme);
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1.5"), kT0));  // 3 × 0.5
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "1.501"), kT0), DenyReason::PositionQuantityExceedsMax, "1.5",
                "1.501");
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "3"), kT0));  // ETH keeps its NORMAL limit
  e.set_volatility_level(kBtc, analytics::VolatilityLevel::High);
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "2.25"), kT0));  // 3 × 0.75
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "2.251"), kT0), DenyReason::PositionQuantityExceedsMax, "2.25",
                "2.251");
}

TEST_F(RiskEngineExposure, ValuesPositionNotionalAtTheMarkAndTheOrderAtTheWorseOfPriceAndMark) {
  config.instrument.max_position_notional = on("100000");
  hold(kBtc, "1");  // 50000
  const RiskEngine e = engine();
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "1", "50000"), kT0));  // 50000 + 50000
  expect_denied(e.evaluate(limit(kBtc, OrderSide::Buy, "1.001", "50000"), kT0), DenyReason::PositionNotionalExceedsMax,
                "100000", "100050");
  // A bid below the mark is still valued at the mark: 50000 + 1.001 × 50000.
  expect_denied(e.evaluate(limit(kBtc, OrderSide::Buy, "1.001", "49000"), kT0), DenyReason::PositionNotionalExceedsMax,
                "100000", "100050");
  // A flip from +1 to −1: |50000 − 2 × 50000| = 50000.
  expect_approved(e.evaluate(market(kBtc, OrderSide::Sell, "2"), kT0));
}

TEST_F(RiskEngineExposure, WarnsNearAPositionLimit) {
  config.instrument.max_position_notional = on("100000");  // near above 0.8 × 100000 = 80000
  const RiskEngine e = engine();
  EXPECT_FALSE(e.evaluate(market(kBtc, OrderSide::Buy, "1.6"), kT0).has_warning(RiskWarning::NearLimit));  // 80000
  const RiskDecision d = e.evaluate(market(kBtc, OrderSide::Buy, "1.601"), kT0);  // 80050
  expect_approved(d);
  EXPECT_TRUE(d.has_warning(RiskWarning::NearLimit));
}

TEST_F(RiskEngineExposure, DeniesGrossExposureAboveTheLimitAndReducesToFit) {
  config.max_gross_exposure = on("150000");
  hold(kBtc, "1");    // +50000
  hold(kEth, "-25");  // −50000: gross 100000
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));
  expect_approved(engine().evaluate(market(kEth, OrderSide::Sell, "25"), kT0));
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "1.001"), kT0), DenyReason::GrossExposureExceedsMax,
                "150000", "150050");
  config.reduce_quantity_to_fit = true;
  expect_reduced(engine().evaluate(market(kBtc, OrderSide::Buy, "1.5"), kT0), DenyReason::GrossExposureExceedsMax, "1");
}

TEST_F(RiskEngineExposure, DeniesNetExposureAboveTheLimitUnlessTheOrderBringsItCloserToZero) {
  config.max_net_exposure = on("60000");
  hold(kBtc, "1");
  hold(kEth, "-25");  // net 0
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Buy, "1.2"), kT0));  // 60000
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "1.201"), kT0), DenyReason::NetExposureExceedsMax,
                "60000", "60050");
  hold(kEth, "-75");  // net 50000 − 150000 = −100000
  // Buying 0.1 BTC moves the net to −95000: still above 60000 but better than before.
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Buy, "0.1"), kT0));
  // Selling 1.001 BTC flips it: −100000 − 50050.
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Sell, "1.001"), kT0), DenyReason::NetExposureExceedsMax,
                "60000", "150050");
}

TEST_F(RiskEngineExposure, DeniesConcentrationAboveItsShareOfEquity) {
  config.instrument.max_concentration = on("0.5");
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));  // 50000 / 100000
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "1.001"), kT0), DenyReason::ConcentrationExceedsMax, "0.5",
                "0.5005");  // 50050 / 100000
}

TEST_F(RiskEngineExposure, DeniesLeverageAboveTheLimitCountingTheOpenLossOfAMarketableBid) {
  config.max_leverage = on("2");
  hold(kBtc, "1");
  hold(kEth, "-25");  // gross 100000, equity 100000
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "2"), kT0));  // 200000 / 100000 = 2
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "2.001"), kT0), DenyReason::LeverageExceedsMax, "2", "2.0005");
  // Bid 10 above the mark: valued at 50010 (gross 200020) and losing 2 × 10 = 20 at once (equity 99980):
  // 200020 / 99980 = 2.00060012… rounded up at 6 places.
  expect_denied(e.evaluate(limit(kBtc, OrderSide::Buy, "2", "50010"), kT0), DenyReason::LeverageExceedsMax, "2",
                "2.000601");
}

TEST_F(RiskEngineExposure, DeniesAnOrderWhoseMarginExceedsTheAvailableMargin) {
  config.check_margin = true;
  book->set_wallet_balance(dec("10000"));
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "2"), kT0));  // 100000 / 10 = 10000
  const RiskDecision d = e.evaluate(market(kBtc, OrderSide::Buy, "2.001"), kT0);
  expect_denied(d, DenyReason::InsufficientMargin, "10000", "10005");  // 100050 / 10
  EXPECT_EQ(d.message(), "INSUFFICIENT_MARGIN: available=10000, required=10005");
}

TEST_F(RiskEngineExposure, ChargesOnlyTheGrowthOfTheLargerOrderSide) {
  config.check_margin = true;
  book->set_wallet_balance(dec("10000"));
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Sell, dec("1"), px("50000")));  // 5000 charged: 5000 available
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));  // buy side 50000 = sell side: +0
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "2"), kT0));  // 100000 / 10 − 5000 = 5000
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "2.001"), kT0), DenyReason::InsufficientMargin, "5000",
                "5005");  // 10005 − 5000
}

TEST_F(RiskEngineExposure, AddsTheOpenLossOfABidAboveTheMarkToItsMargin) {
  config.check_margin = true;
  book->set_wallet_balance(dec("5110"));
  // 1 × 50100 / 10 = 5010 plus the open loss 1 × (50100 − 50000) = 100.
  expect_approved(engine().evaluate(limit(kBtc, OrderSide::Buy, "1", "50100"), kT0));
  book->set_wallet_balance(dec("5109.99999999"));
  expect_denied(engine().evaluate(limit(kBtc, OrderSide::Buy, "1", "50100"), kT0), DenyReason::InsufficientMargin,
                "5109.99999999", "5110");
}

TEST_F(RiskEngineExposure, DeniesLeverageAboveTheMarginTierThatHoldsTheProjectedNotional) {
  config.check_margin = true;
  ASSERT_TRUE(book->set_leverage(kBtc, dec("120")));
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));  // 50000: tier 1 allows 125x
  const RiskDecision d = e.evaluate(market(kBtc, OrderSide::Buy, "1.001"), kT0);  // 50050: tier 2, 100x
  expect_denied(d, DenyReason::LeverageExceedsTierMax, "100", "120");
  EXPECT_EQ(d.check, RiskCheck::Margin);
  ASSERT_TRUE(book->set_leverage(kBtc, dec("10")));
  // 61 × 50000 = 3050000 is above the last bracket (3000000): no tier holds it.
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "61"), kT0), DenyReason::LeverageExceedsTierMax, "0",
                "10");
}

// Two assets with daily σ 4 % (BTC) and 5 % (ETH), correlation 0.5:
//   Σ = [[0.0016, 0.001], [0.001, 0.0025]]  (0.5 × 0.04 × 0.05 = 0.001)
// Long 1 BTC: e = (50000, 0), σ_p² = 50000² × 0.0016 = 4 000 000, σ_p = 2000, VaR99 = 2.3263478740 × 2000
// = 4652.695748. Buying 10 ETH adds 20000: σ_p² = 4e6 + 2 × 50000 × 20000 × 0.001 + 20000² × 0.0025
// = 7 000 000, VaR99 = 2.3263478740 × 2645.7513110645906 = 6154.937937627823.
class RiskEngineVar : public test::EngineTest {
 protected:
  RiskEngine var_engine(std::string_view max_var, double horizon_days = 1.0) {
    config.portfolio_var = VarLimit{true, dec(max_var), 0.99, horizon_days};
    hold(kBtc, "1");
    RiskEngine e = engine();
    Eigen::MatrixXd cov(2, 2);
    cov << 0.0016, 0.001, 0.001, 0.0025;
    EXPECT_TRUE(e.set_var_model(cov, {kBtc, kEth}));
    return e;
  }
};

TEST_F(RiskEngineVar, ApprovesAnOrderWhoseVarAfterIsAtTheLimit) {
  const RiskEngine e = var_engine("6154.94");
  EXPECT_NEAR(e.portfolio_var(), 4652.695748, 1e-6);
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "10"), kT0));
}

TEST_F(RiskEngineVar, DeniesAnOrderWhoseVarAfterExceedsTheLimit) {
  const RiskEngine e = var_engine("6154.93");
  const RiskDecision d = e.evaluate(market(kEth, OrderSide::Buy, "10"), kT0);
  EXPECT_EQ(d.reason, DenyReason::PortfolioVarExceedsMax);
  EXPECT_EQ(d.limit, dec("6154.93"));
  EXPECT_NEAR(d.value.to_double(), 6154.937937627823, 1e-6);
}

TEST_F(RiskEngineVar, PassesOrdersThatLowerVarEvenAboveTheLimit) {
  // Shorting 10 ETH: σ_p² = 4e6 − 2e6 + 1e6 = 3e6, VaR 4029.35 < 4652.70 now; the limit is below both.
  const RiskEngine e = var_engine("1000");
  expect_approved(e.evaluate(market(kEth, OrderSide::Sell, "10"), kT0));
  EXPECT_EQ(e.evaluate(market(kEth, OrderSide::Buy, "10"), kT0).reason, DenyReason::PortfolioVarExceedsMax);
}

TEST_F(RiskEngineVar, ScalesVarWithTheSquareRootOfTheHorizonAndFollowsRefreshedExposures) {
  RiskEngine e = var_engine("12309.88", 4.0);  // √4 = 2: VaR after = 12309.875875…
  EXPECT_NEAR(e.portfolio_var(), 2 * 4652.695748, 1e-6);
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "10"), kT0));
  // The book takes 10 ETH; after refresh_exposure the same order again would reach e = (50000, 40000):
  // σ_p² = 4e6 + 2 × 50000 × 40000 × 0.001 + 40000² × 0.0025 = 12e6, VaR = 2 × 2.3263478740 × 3464.10…
  hold(kEth, "10");
  e.refresh_exposure(kEth);
  EXPECT_NEAR(e.portfolio_var(), 12309.875875255646, 1e-6);
  EXPECT_EQ(e.evaluate(market(kEth, OrderSide::Buy, "10"), kT0).reason, DenyReason::PortfolioVarExceedsMax);
}

}  // namespace
}  // namespace ballast::risk
