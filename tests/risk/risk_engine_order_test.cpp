// Checks on the order itself: trading state, instrument, shape, tick/step, minimums, per-order maxima,
// price collar, reduce-only and post-only. Fixture: risk_engine_test_support.hpp (BTC marked 50 000).

#include "risk/risk_engine_test_support.hpp"

namespace ballast::risk {
namespace {

using model::OrderSide;
using test::dec;
using test::expect_approved;
using test::expect_denied;
using test::expect_reduced;
using test::kT0;

using RiskEngineOrder = test::EngineTest;

TEST_F(RiskEngineOrder, ApprovesTheRequestedQuantityWhenEveryCheckPasses) {
  const RiskDecision d = engine().evaluate(market(kBtc, OrderSide::Buy, "0.5"), kT0);
  expect_approved(d);
  EXPECT_EQ(d.quantity.value(), dec("0.5"));
  EXPECT_EQ(d.message(), "APPROVED");
}

TEST_F(RiskEngineOrder, DeniesEvenReducingOrdersWhenHalted) {
  hold(kBtc, "1");
  RiskEngine e = engine();
  e.set_trading_state(TradingState::Halted);
  expect_denied(e.evaluate(market(kBtc, OrderSide::Sell, "0.5"), kT0), DenyReason::TradingHalted, "0", "0");
  EXPECT_EQ(e.evaluate(market(kBtc, OrderSide::Sell, "0.5"), kT0).check, RiskCheck::TradingState);
}

TEST_F(RiskEngineOrder, AllowsOnlyReducingOrdersWhenReducing) {
  hold(kBtc, "1");
  RiskEngine e = engine();
  e.set_trading_state(TradingState::Reducing);
  expect_approved(e.evaluate(market(kBtc, OrderSide::Sell, "1"), kT0));  // closes exactly: still reducing
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "0.1"), kT0), DenyReason::ReducingOnly, "1", "0.1");
  // A flip is not a reduction: 1.001 > |position| 1.
  expect_denied(e.evaluate(market(kBtc, OrderSide::Sell, "1.001"), kT0), DenyReason::ReducingOnly, "1", "1.001");
  // Flat instrument: nothing to reduce.
  expect_denied(e.evaluate(market(kEth, OrderSide::Sell, "1"), kT0), DenyReason::ReducingOnly, "0", "1");
}

TEST_F(RiskEngineOrder, ClipsAFlipToThePositionWhenReducingWithReduceToFit) {
  hold(kBtc, "1");
  config.reduce_quantity_to_fit = true;
  RiskEngine e = engine();
  e.set_trading_state(TradingState::Reducing);
  const RiskDecision d = e.evaluate(market(kBtc, OrderSide::Sell, "1.5"), kT0);
  expect_reduced(d, DenyReason::ReducingOnly, "1");
  EXPECT_EQ(d.check, RiskCheck::TradingState);
}

TEST_F(RiskEngineOrder, TreatsABreakerCooldownAsReducingUntilItEnds) {
  RiskEngine e = engine();
  e.block_new_exposure_until(kT0 + std::chrono::seconds(60));
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.1");
  expect_denied(e.evaluate(buy, kT0 + std::chrono::nanoseconds(59'999'999'999)), DenyReason::ReducingOnly, "0", "0.1");
  expect_approved(e.evaluate(buy, kT0 + std::chrono::seconds(60)));  // the block ends at `until`
}

TEST_F(RiskEngineOrder, DeniesAnUnknownSlotAndAnInstrumentWithoutMark) {
  expect_denied(engine().evaluate(market(7, OrderSide::Buy, "1"), kT0), DenyReason::InstrumentUnknown, "2", "7");
  auto bare = portfolio::PortfolioBook::create(model::Currency::USDT(), list, dec("1000")).value();
  const RiskEngine e = RiskEngine::create(config, bare, kT0).value();
  const RiskDecision d = e.evaluate(limit(kBtc, OrderSide::Buy, "0.01", "50000"), kT0);
  EXPECT_EQ(d.reason, DenyReason::NoReferencePrice);
  EXPECT_EQ(d.check, RiskCheck::Instrument);
}

TEST_F(RiskEngineOrder, AllowsOnlyReducingOrdersOnAnUntradableSymbol) {
  SymbolRiskConfig eth_off;
  eth_off.instrument_id = eth.id();
  eth_off.tradable = false;
  config.symbols.push_back(eth_off);
  hold(kEth, "-3");
  const RiskEngine e = engine();
  expect_denied(e.evaluate(market(kEth, OrderSide::Sell, "1"), kT0), DenyReason::InstrumentNotTradable, "3", "1");
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "3"), kT0));
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1"), kT0));  // other instruments unaffected
}

TEST_F(RiskEngineOrder, TreatsAnExpiredDatedFutureAsUntradableFromItsExpiry) {
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = model::test::instrument_id("BTCUSDT-240329.BINANCE");
  spec.kind = model::InstrumentKind::DatedFuture;
  spec.expiry = kT0 + std::chrono::hours(1);
  const model::Instrument future = model::Instrument::create(spec).value();
  const std::array<const model::Instrument*, 1> one{&future};
  auto b = portfolio::PortfolioBook::create(model::Currency::USDT(), one, dec("100000")).value();
  ASSERT_TRUE(b.set_mark(0, model::test::px("50000"), kT0));
  const RiskEngine e = RiskEngine::create(config, b, kT0).value();
  const OrderRequest buy = market(0, OrderSide::Buy, "0.01");
  expect_approved(e.evaluate(buy, kT0 + std::chrono::hours(1) - std::chrono::nanoseconds(1)));
  expect_denied(e.evaluate(buy, kT0 + std::chrono::hours(1)), DenyReason::InstrumentNotTradable, "0", "0.01");
}

TEST_F(RiskEngineOrder, DeniesZeroQuantityAndLimitOrdersWithoutPrice) {
  const RiskEngine e = engine();
  EXPECT_EQ(e.evaluate(market(kBtc, OrderSide::Buy, "0"), kT0).reason, DenyReason::InvalidQuantity);
  OrderRequest no_price = market(kBtc, OrderSide::Buy, "0.01");
  no_price.type = model::OrderType::Limit;
  EXPECT_EQ(e.evaluate(no_price, kT0).reason, DenyReason::MissingPrice);
  OrderRequest stop = market(kBtc, OrderSide::Buy, "0.01");
  stop.type = model::OrderType::StopMarket;
  EXPECT_EQ(e.evaluate(stop, kT0).reason, DenyReason::MissingPrice);
  stop.trigger_price = test::px("51000");
  expect_approved(e.evaluate(stop, kT0));
}

TEST_F(RiskEngineOrder, DeniesAReduceOnlyOrderThatWouldOpenOrFlip) {
  hold(kBtc, "1");
  const RiskEngine e = engine();
  OrderRequest sell = market(kBtc, OrderSide::Sell, "1");
  sell.reduce_only = true;
  expect_approved(e.evaluate(sell, kT0));  // exactly the position
  sell.quantity = test::qty("1.001");
  expect_denied(e.evaluate(sell, kT0), DenyReason::ReduceOnlyWouldIncrease, "1", "1.001");
  OrderRequest buy = market(kBtc, OrderSide::Buy, "0.1");
  buy.reduce_only = true;
  expect_denied(e.evaluate(buy, kT0), DenyReason::ReduceOnlyWouldIncrease, "1", "0.1");
}

TEST_F(RiskEngineOrder, ClipsAReduceOnlyOrderToThePositionWithReduceToFit) {
  hold(kBtc, "1");
  config.reduce_quantity_to_fit = true;
  OrderRequest sell = market(kBtc, OrderSide::Sell, "2.5");
  sell.reduce_only = true;
  const RiskDecision d = engine().evaluate(sell, kT0);
  expect_reduced(d, DenyReason::ReduceOnlyWouldIncrease, "1");
  EXPECT_EQ(d.check, RiskCheck::OrderShape);
  EXPECT_EQ(d.message(), "APPROVED_REDUCED quantity=1 (REDUCE_ONLY_WOULD_INCREASE: position=1, quantity=2.5)");
}

TEST_F(RiskEngineOrder, DeniesAPostOnlyOrderAtOrThroughTheOppositeBest) {
  book->set_quote(kBtc, test::px("49999.5"), test::px("50000.5"));
  const RiskEngine e = engine();
  OrderRequest buy = limit(kBtc, OrderSide::Buy, "0.01", "50000.4");
  buy.post_only = true;
  expect_approved(e.evaluate(buy, kT0));  // one tick below the ask rests
  buy.price = test::px("50000.5");
  expect_denied(e.evaluate(buy, kT0), DenyReason::PostOnlyWouldTake, "50000.5", "50000.5");
  OrderRequest sell = limit(kBtc, OrderSide::Sell, "0.01", "49999.6");
  sell.post_only = true;
  expect_approved(e.evaluate(sell, kT0));
  sell.price = test::px("49999.5");
  expect_denied(e.evaluate(sell, kT0), DenyReason::PostOnlyWouldTake, "49999.5", "49999.5");
}

TEST_F(RiskEngineOrder, UsesTheMarkForPostOnlyWithoutAQuote) {
  const RiskEngine e = engine();
  OrderRequest sell = limit(kBtc, OrderSide::Sell, "0.01", "50000.1");
  sell.post_only = true;
  expect_approved(e.evaluate(sell, kT0));
  sell.price = test::px("50000");
  expect_denied(e.evaluate(sell, kT0), DenyReason::PostOnlyWouldTake, "50000", "50000");
}

TEST_F(RiskEngineOrder, DeniesPricesOffTheTickAndQuantitiesOffTheStep) {
  const RiskEngine e = engine();
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "0.01", "50000.1"), kT0));
  expect_denied(e.evaluate(limit(kBtc, OrderSide::Buy, "0.01", "50000.15"), kT0), DenyReason::PriceNotOnTick, "0.1",
                "50000.15");
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "0.0105"), kT0), DenyReason::QuantityNotOnStep, "0.001",
                "0.0105");
}

TEST_F(RiskEngineOrder, DeniesQuantityBelowTheInstrumentMinimum) {
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "0.01"), kT0));  // = min 0.01 (20 USDT ≥ 5)
  expect_denied(e.evaluate(market(kEth, OrderSide::Buy, "0.009"), kT0), DenyReason::QuantityBelowMin, "0.01", "0.009");
}

TEST_F(RiskEngineOrder, DeniesNotionalBelowTheInstrumentMinimumButNotForReducingOrders) {
  const RiskEngine e = engine();
  // 0.002 × 50000 = 100 = min notional; 0.002 × 49999.9 = 99.9998.
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "0.002", "50000"), kT0));
  const RiskDecision d = e.evaluate(limit(kBtc, OrderSide::Buy, "0.002", "49999.9"), kT0);
  expect_denied(d, DenyReason::NotionalBelowMin, "100", "99.9998");
  EXPECT_EQ(d.message(), "NOTIONAL_BELOW_MIN: min=100, notional=99.9998");
  hold(kBtc, "0.001");
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Sell, "0.001"), kT0));  // 50 USDT, closes the position
}

TEST_F(RiskEngineOrder, DeniesQuantityAboveMaxPerOrderAndReducesWhenConfigured) {
  config.instrument.max_order_quantity = on("2");
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Buy, "2"), kT0));
  const RiskDecision d = engine().evaluate(market(kBtc, OrderSide::Buy, "2.001"), kT0);
  expect_denied(d, DenyReason::QuantityExceedsMaxPerOrder, "2", "2.001");
  EXPECT_EQ(d.check, RiskCheck::MaxOrderQuantity);
  config.reduce_quantity_to_fit = true;
  expect_reduced(engine().evaluate(market(kBtc, OrderSide::Buy, "2.001"), kT0), DenyReason::QuantityExceedsMaxPerOrder,
                 "2");
}

TEST_F(RiskEngineOrder, CapsMaxOrderQuantityAtTheInstrumentsOwnMaximum) {
  config.instrument.max_order_quantity = on("5000");  // the instrument allows 1000
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "1000"), kT0));
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "1000.001"), kT0), DenyReason::QuantityExceedsMaxPerOrder,
                "1000", "1000.001");
}

TEST_F(RiskEngineOrder, DeniesNotionalAboveMaxPerOrderWithItsNumbers) {
  config.instrument.max_order_notional = on("100000");
  const RiskEngine e = engine();
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "2", "50000"), kT0));  // 2 × 50000 = 100000
  const RiskDecision d = e.evaluate(limit(kBtc, OrderSide::Buy, "2.001", "50000"), kT0);
  expect_denied(d, DenyReason::NotionalExceedsMaxPerOrder, "100000", "100050");  // 2.001 × 50000
  EXPECT_EQ(d.message(), "NOTIONAL_EXCEEDS_MAX_PER_ORDER: max=100000, notional=100050");
}

TEST_F(RiskEngineOrder, ReducesToTheLargestStepThatFitsTheOrderNotional) {
  config.instrument.max_order_notional = on("100000");
  config.reduce_quantity_to_fit = true;
  // 100000 / 49999.9 = 2.000004… → 2.000 on the 0.001 step (2 × 49999.9 = 99999.8 ≤ 100000).
  const RiskDecision d = engine().evaluate(limit(kBtc, OrderSide::Buy, "3", "49999.9"), kT0);
  expect_reduced(d, DenyReason::NotionalExceedsMaxPerOrder, "2");
  EXPECT_EQ(d.limit, dec("100000"));
  EXPECT_EQ(d.value, dec("149999.7"));  // the requested 3 × 49999.9
}

TEST_F(RiskEngineOrder, DeniesInsteadOfReducingBelowTheMinimumNotional) {
  config.instrument.max_order_notional = on("80");
  config.reduce_quantity_to_fit = true;
  // The largest fit is 0.001 (50 USDT), below the 100 USDT minimum.
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0), DenyReason::NotionalExceedsMaxPerOrder,
                "80", "500");
}

TEST_F(RiskEngineOrder, CollarsLimitPricesAroundTheMarkInBasisPoints) {
  config.instrument.price_collar_bps = on("50");
  const RiskEngine e = engine();
  // 50 bp of 50000 = 250.
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "0.01", "50250"), kT0));
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Sell, "0.01", "49750"), kT0));
  // 250.1 / 50000 × 10000 = 50.02 bp.
  const RiskDecision d = e.evaluate(limit(kBtc, OrderSide::Buy, "0.01", "50250.1"), kT0);
  expect_denied(d, DenyReason::PriceOutsideCollar, "50", "50.02");
  EXPECT_EQ(d.message(), "PRICE_OUTSIDE_COLLAR: max_bps=50, deviation_bps=50.02");
  expect_denied(e.evaluate(limit(kBtc, OrderSide::Sell, "0.01", "49749.9"), kT0), DenyReason::PriceOutsideCollar, "50",
                "50.02");
  expect_approved(e.evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0));  // market orders are not collared
}

TEST_F(RiskEngineOrder, AppliesSymbolOverridesOverTheDefaults) {
  config.instrument.max_order_quantity = on("1");
  SymbolRiskConfig eth_big;
  eth_big.instrument_id = eth.id();
  eth_big.max_order_quantity = on("50");
  config.symbols.push_back(eth_big);
  const RiskEngine e = engine();
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "50"), kT0));
  expect_denied(e.evaluate(market(kBtc, OrderSide::Buy, "1.001"), kT0), DenyReason::QuantityExceedsMaxPerOrder, "1",
                "1.001");
}

}  // namespace
}  // namespace ballast::risk
