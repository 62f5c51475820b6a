// Checks on the account's activity: open-order counts, order rates (window boundaries), daily loss and the
// UTC day roll, trades per day and hour, loss-streak cool-down, revenge-trading control, the order-rate
// warning, explain() and counters(). Fixture: risk_engine_test_support.hpp. kT0 = 2024-03-01T12:00:00Z.

#include "risk/risk_engine_test_support.hpp"

namespace ballast::risk {
namespace {

using model::OrderSide;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using test::dec;
using test::expect_approved;
using test::expect_denied;
using test::kT0;
using test::px;

using RiskEngineActivity = test::EngineTest;

// Midnight UTC after kT0: 2024-03-02T00:00:00Z.
constexpr core::UnixNanos kMidnight = core::UnixNanos::from_seconds(1709337600);

TEST_F(RiskEngineActivity, CountsTheOrderItselfAgainstMaxOpenOrdersPerInstrument) {
  config.instrument.max_open_orders = count(2);
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Buy, dec("0.01"), px("49000")));
  expect_approved(engine().evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0));  // 1 + 1 = 2
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Sell, dec("0.01"), px("51000")));
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0),
                DenyReason::OpenOrdersPerInstrumentExceedsMax, "2", "3");
  expect_approved(engine().evaluate(market(kEth, OrderSide::Buy, "1"), kT0));  // ETH has none
}

TEST_F(RiskEngineActivity, CountsEveryInstrumentAgainstMaxOpenOrdersInTotal) {
  config.max_open_orders_total = count(3);
  ASSERT_TRUE(book->add_open_order(kBtc, OrderSide::Buy, dec("0.01"), px("49000")));
  ASSERT_TRUE(book->add_open_order(kEth, OrderSide::Buy, dec("1"), px("1900")));
  expect_approved(engine().evaluate(market(kEth, OrderSide::Buy, "1"), kT0));
  ASSERT_TRUE(book->add_open_order(kEth, OrderSide::Buy, dec("1"), px("1950")));
  expect_denied(engine().evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0), DenyReason::OpenOrdersTotalExceedsMax,
                "3", "4");
}

TEST_F(RiskEngineActivity, ThrottlesOrdersPerSecondOverASlidingWindow) {
  config.max_orders_per_second = count(2);
  RiskEngine e = engine();
  const OrderRequest o = market(kBtc, OrderSide::Buy, "0.01");
  expect_approved(e.submit(o, kT0));
  expect_approved(e.submit(o, kT0 + milliseconds(500)));
  // The window is (now − 1 s, now]: at kT0 + 999 999 999 ns both earlier orders are inside it.
  expect_denied(e.submit(o, kT0 + nanoseconds(999'999'999)), DenyReason::OrderRatePerSecondExceeded, "2", "3");
  // At exactly kT0 + 1 s the first order has left the window.
  expect_approved(e.submit(o, kT0 + seconds(1)));
  // A denied order is not counted: the window now holds kT0 + 0.5 s and kT0 + 1 s.
  expect_denied(e.evaluate(o, kT0 + milliseconds(1499)), DenyReason::OrderRatePerSecondExceeded, "2", "3");
  expect_approved(e.evaluate(o, kT0 + milliseconds(1500)));
}

TEST_F(RiskEngineActivity, ThrottlesOrdersPerMinuteIncludingExternalOrders) {
  config.max_orders_per_minute = count(3);
  RiskEngine e = engine();
  const OrderRequest o = market(kBtc, OrderSide::Buy, "0.01");
  expect_approved(e.submit(o, kT0));
  e.record_external_order(kT0 + seconds(10));
  expect_approved(e.submit(o, kT0 + seconds(20)));
  expect_denied(e.evaluate(o, kT0 + seconds(59)), DenyReason::OrderRatePerMinuteExceeded, "3", "4");
  expect_approved(e.evaluate(o, kT0 + seconds(60)));
}

TEST_F(RiskEngineActivity, DeniesNewExposureOnceTheDailyLossExceedsTheLimit) {
  config.daily_loss_limit = on("1000");
  hold(kBtc, "1");  // at 50000; day start equity 100000
  const RiskEngine e = engine();
  ASSERT_TRUE(book->set_mark(kBtc, px("49000"), kT0));  // loss 1 × 1000 = 1000: at the limit
  expect_approved(e.evaluate(market(kEth, OrderSide::Buy, "1"), kT0));
  ASSERT_TRUE(book->set_mark(kBtc, px("48999.9"), kT0));  // loss 1000.1
  const RiskDecision d = e.evaluate(market(kEth, OrderSide::Buy, "1"), kT0);
  expect_denied(d, DenyReason::DailyLossLimitReached, "1000", "1000.1");
  EXPECT_EQ(d.message(), "DAILY_LOSS_LIMIT_REACHED: max=1000, loss=1000.1");
  expect_approved(e.evaluate(market(kBtc, OrderSide::Sell, "1"), kT0));  // closing is always allowed
}

TEST_F(RiskEngineActivity, RollsTheDailyLossAtMidnightUtc) {
  config.daily_loss_limit = on("1000");
  hold(kBtc, "1");
  RiskEngine e = engine();
  ASSERT_TRUE(book->set_mark(kBtc, px("48000"), kT0));  // loss 2000 today
  const OrderRequest buy = market(kEth, OrderSide::Buy, "1");
  expect_denied(e.evaluate(buy, kMidnight - nanoseconds(1)), DenyReason::DailyLossLimitReached, "1000", "2000");
  expect_approved(e.evaluate(buy, kMidnight));  // a new day: nothing lost yet
  e.on_time(kMidnight);                          // day start equity 98000
  EXPECT_EQ(e.counters(kMidnight).day_start_equity, dec("98000"));
  ASSERT_TRUE(book->set_mark(kBtc, px("46999.9"), kMidnight));  // 98000 − 96999.9 = 1000.1
  expect_denied(e.evaluate(buy, kMidnight), DenyReason::DailyLossLimitReached, "1000", "1000.1");
}

TEST_F(RiskEngineActivity, LimitsTradesPerUtcDayButNotReducingOrders) {
  config.max_trades_per_day = count(2);
  hold(kEth, "5");
  RiskEngine e = engine();
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.01");
  expect_approved(e.submit(buy, kT0));
  expect_approved(e.submit(buy, kT0 + hours(1)));
  expect_denied(e.submit(buy, kT0 + hours(2)), DenyReason::TradesPerDayExceedsMax, "2", "3");
  expect_approved(e.submit(market(kEth, OrderSide::Sell, "1"), kT0 + hours(2)));  // reducing
  expect_denied(e.evaluate(buy, kMidnight - nanoseconds(1)), DenyReason::TradesPerDayExceedsMax, "2", "3");
  expect_approved(e.submit(buy, kMidnight));
  EXPECT_EQ(e.counters(kMidnight).trades_today, 1);
}

TEST_F(RiskEngineActivity, LimitsTradesPerRollingHour) {
  config.max_trades_per_hour = count(2);
  RiskEngine e = engine();
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.01");
  expect_approved(e.submit(buy, kT0));
  expect_approved(e.submit(buy, kT0 + minutes(10)));
  expect_denied(e.evaluate(buy, kT0 + hours(1) - nanoseconds(1)), DenyReason::TradesPerHourExceedsMax, "2", "3");
  expect_approved(e.evaluate(buy, kT0 + hours(1)));
}

TEST_F(RiskEngineActivity, CoolsDownAfterALossStreak) {
  config.behaviour.loss_streak = count(3);
  config.behaviour.loss_streak_cooldown = minutes(30);
  hold(kEth, "5");
  RiskEngine e = engine();
  e.record_trade_result(dec("-10"), kT0);
  e.record_trade_result(dec("-5"), kT0 + seconds(1));
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.01");
  expect_approved(e.evaluate(buy, kT0 + seconds(2)));  // two losses: no cool-down yet
  e.record_trade_result(dec("-1"), kT0 + seconds(2));
  expect_denied(e.evaluate(buy, kT0 + seconds(3)), DenyReason::LossStreakCooldown, "3", "3");
  expect_approved(e.evaluate(market(kEth, OrderSide::Sell, "5"), kT0 + seconds(3)));  // reducing
  EXPECT_EQ(e.counters(kT0 + seconds(3)).cooldown_until, kT0 + seconds(2) + minutes(30));
  expect_denied(e.evaluate(buy, kT0 + seconds(2) + minutes(30) - nanoseconds(1)), DenyReason::LossStreakCooldown, "3",
                "3");
  expect_approved(e.evaluate(buy, kT0 + seconds(2) + minutes(30)));
  e.record_trade_result(dec("25"), kT0 + hours(1));
  EXPECT_EQ(e.counters(kT0 + hours(1)).loss_streak, 0);
}

TEST_F(RiskEngineActivity, BlocksASizeIncreaseRightAfterALoss) {
  config.behaviour.block_size_increase_after_loss = true;
  config.behaviour.revenge_window = minutes(15);
  config.behaviour.revenge_tolerance = dec("0.1");
  RiskEngine e = engine();
  expect_approved(e.submit(limit(kBtc, OrderSide::Buy, "0.01", "50000"), kT0));  // last entry 500
  e.record_trade_result(dec("-20"), kT0 + minutes(1));
  // 500 × 1.1 = 550 passes; 0.012 × 50000 = 600 does not.
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "0.011", "50000"), kT0 + minutes(2)));
  const RiskDecision d = e.evaluate(limit(kBtc, OrderSide::Buy, "0.012", "50000"), kT0 + minutes(2));
  expect_denied(d, DenyReason::SizeIncreaseAfterLoss, "550", "600");
  // The window closes 15 minutes after the loss.
  expect_approved(e.evaluate(limit(kBtc, OrderSide::Buy, "0.012", "50000"), kT0 + minutes(16)));
}

TEST_F(RiskEngineActivity, WarnsWhenThisMinutesOrdersAreFarAboveTheTradersNorm) {
  config.behaviour.order_rate_warning = true;  // factor 3, at least 10 orders
  RiskEngine e = engine();
  // One order a minute over the previous hour: a norm of 1 per minute.
  for (int m = 1; m <= 60; ++m) e.record_external_order(kT0 - minutes(m));
  const OrderRequest o = market(kBtc, OrderSide::Buy, "0.01");
  for (int i = 0; i < 8; ++i) e.record_external_order(kT0 + seconds(i));
  // The 9th order of the minute: 9 > 3 × 1 but below the minimum of 10.
  EXPECT_FALSE(e.evaluate(o, kT0 + seconds(30)).has_warning(RiskWarning::OrderRateAboveNorm));
  e.record_external_order(kT0 + seconds(9));
  const RiskDecision d = e.evaluate(o, kT0 + seconds(30));  // the 10th: 10 × 60 > 3 × 60
  expect_approved(d);
  EXPECT_TRUE(d.has_warning(RiskWarning::OrderRateAboveNorm));
}

TEST_F(RiskEngineActivity, DoesNotWarnWhenTheMinuteMatchesABusyNorm) {
  config.behaviour.order_rate_warning = true;
  RiskEngine e = engine();
  // 10 orders in each of the previous 60 minutes: 10 per minute is the norm; 30 is at 3×, not above it.
  for (int m = 1; m <= 60; ++m) {
    for (int i = 0; i < 10; ++i) e.record_external_order(kT0 - minutes(m) + seconds(i));
  }
  for (int i = 0; i < 29; ++i) e.record_external_order(kT0 + milliseconds(i));
  EXPECT_FALSE(e.evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0 + seconds(1)).has_warning(
      RiskWarning::OrderRateAboveNorm));
  e.record_external_order(kT0 + milliseconds(29));
  EXPECT_TRUE(e.evaluate(market(kBtc, OrderSide::Buy, "0.01"), kT0 + seconds(1)).has_warning(
      RiskWarning::OrderRateAboveNorm));  // 31 > 30
}

TEST_F(RiskEngineActivity, ExplainRecordsEveryCheckAndContinuesPastADenial) {
  config.instrument.max_order_quantity = on("1");
  config.instrument.max_position_quantity = on("5");
  config.max_orders_per_second = count(10);
  const RiskEngine e = engine();
  const std::vector<CheckOutcome> out = e.explain(market(kBtc, OrderSide::Buy, "2"), kT0);
  ASSERT_EQ(out.size(), kRiskCheckCount);
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].check, static_cast<RiskCheck>(i));
  const auto at = [&](RiskCheck c) { return out[static_cast<std::size_t>(c)]; };
  EXPECT_EQ(at(RiskCheck::MaxOrderQuantity).status, CheckStatus::Denied);
  EXPECT_EQ(at(RiskCheck::MaxOrderQuantity).value, dec("2"));
  EXPECT_EQ(at(RiskCheck::MaxPositionQuantity).status, CheckStatus::Passed);  // 2 <= 5, evaluated after the denial
  EXPECT_EQ(at(RiskCheck::OrderRatePerSecond).status, CheckStatus::Passed);
  EXPECT_EQ(at(RiskCheck::MaxGrossExposure).status, CheckStatus::Disabled);
  EXPECT_EQ(at(RiskCheck::PortfolioVar).status, CheckStatus::Disabled);
}

TEST_F(RiskEngineActivity, ReportsCountersOfRecentActivity) {
  RiskEngine e = engine();
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.01");
  (void)e.submit(buy, kT0);
  (void)e.submit(buy, kT0 + seconds(30));
  (void)e.submit(buy, kT0 + seconds(59) + milliseconds(500));
  const RiskCounters c = e.counters(kT0 + seconds(60));
  EXPECT_EQ(c.orders_last_second, 1);  // kT0 + 59.5 s
  EXPECT_EQ(c.orders_last_minute, 2);  // kT0 left the window (kT0 + 60 s − 1 min)
  EXPECT_EQ(c.trades_today, 3);
  EXPECT_EQ(c.trades_last_hour, 3);
  EXPECT_EQ(c.day_start_equity, dec("100000"));
  EXPECT_EQ(c.daily_pnl, dec("0"));
  EXPECT_FALSE(c.cooldown_until.has_value());
}

TEST_F(RiskEngineActivity, RefusesSymbolOverridesForInstrumentsTheBookDoesNotHold) {
  SymbolRiskConfig ghost;
  ghost.instrument_id = model::test::instrument_id("XRPUSDT-PERP.BINANCE");
  config.symbols.push_back(ghost);
  const auto r = RiskEngine::create(config, *book, kT0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::ErrorCode::NotFound);
}

TEST_F(RiskEngineActivity, KeepsCountersWhenTheConfigurationChanges) {
  RiskEngine e = engine();
  const OrderRequest buy = market(kBtc, OrderSide::Buy, "0.01");
  (void)e.submit(buy, kT0);
  (void)e.submit(buy, kT0 + milliseconds(10));
  RiskConfig tighter = config;
  tighter.max_orders_per_second = count(2);
  ASSERT_TRUE(e.set_config(tighter));
  expect_denied(e.evaluate(buy, kT0 + milliseconds(20)), DenyReason::OrderRatePerSecondExceeded, "2", "3");
}

}  // namespace
}  // namespace ballast::risk
