#include "ballast/risk/risk_monitor.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/model/order.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/emergency_stop.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "model/test_support.hpp"
#include "portfolio/portfolio_test_support.hpp"
#include "risk/monitor_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;
using namespace std::chrono_literals;

using test::NullSink;

// A connected venue with nothing open: the emergency stop has nothing to cancel there.
class QuietClient final : public runtime::ExecutionClient {
 public:
  const core::VenueId& venue() const override { return venue_; }
  const core::AccountId& account_id() const override { return account_; }
  core::Status connect() override { return core::ok(); }
  void disconnect() override {}
  bool is_connected() const override { return true; }
  core::Status submit_order(const model::SubmitOrder&) override { return core::ok(); }
  core::Status cancel_order(const model::CancelOrder&) override { return core::ok(); }
  core::Status cancel_all_orders(const model::CancelAllOrders&) override { return core::ok(); }
  core::Status modify_order(const model::ModifyOrder&) override { return core::ok(); }
  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>&) override {
    return std::vector<runtime::OrderStatusReport>{};
  }
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override {
    return std::vector<runtime::PositionStatusReport>{};
  }
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos) override {
    return std::vector<model::Fill>{};
  }

 private:
  core::VenueId venue_{"BINANCE"};
  core::AccountId account_{"ACC-1"};
};

class RiskMonitorTest : public ::testing::Test {
 protected:
  void start(RiskConfig config, std::string_view wallet, RiskMonitorConfig monitor_config = {},
             EmergencyStop* stop = nullptr) {
    instruments_ = {&btc_, &eth_};
    book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec(wallet)).value());
    engine_.emplace(RiskEngine::create(std::move(config), *book_, clock_.now()).value());
    monitor_ = RiskMonitor::create(monitor_config, *book_, *engine_, bus_, sink_, clock_, stop).value();
    bus_.subscribe<TradeCompleted>("events.risk.*", [this](const TradeCompleted& e) { trades_.push_back(e); });
    bus_.subscribe<MarginCallWarning>("events.risk.*", [this](const MarginCallWarning& e) { margin_.push_back(e); });
    bus_.subscribe<RiskLimitReached>("events.risk.*", [this](const RiskLimitReached& e) { limits_.push_back(e); });
    bus_.subscribe<PortfolioRiskHigh>("events.risk.*", [this](const PortfolioRiskHigh& e) { high_.push_back(e); });
    bus_.subscribe<PerformanceUpdated>("events.risk.*", [this](const PerformanceUpdated& e) { perf_.push_back(e); });
    bus_.subscribe<CircuitBreakerEvent>("events.risk.*", [this](const CircuitBreakerEvent& e) { breakers_.push_back(e); });
    bus_.subscribe<Alert>("events.risk.*", [this](const Alert& e) { alerts_.push_back(e); });
  }
  static RiskConfig no_breakers() {
    RiskConfig c;
    c.circuit_breakers.clear();
    return c;
  }
  void mark(std::string_view price) { ASSERT_TRUE(monitor_->on_mark_price(btc_.id(), px(price))); }
  void fill(OrderSide side, std::string_view quantity, std::string_view price, std::string_view fee = "0") {
    ASSERT_TRUE(monitor_->on_fill(model::test::make_fill(btc_, side, quantity, price, usdt(fee), ++fills_)));
  }
  void at_offset(std::int64_t seconds) { clock_.set_time(start_ + std::chrono::seconds(seconds)); }
  model::Order limit_order(std::string id, OrderSide side, std::string_view quantity, std::string_view price) {
    model::OrderSpec spec;
    spec.client_order_id = core::ClientOrderId(std::move(id));
    spec.strategy_id = core::StrategyId("S-1");
    spec.account_id = core::AccountId("ACC-1");
    spec.instrument_id = btc_.id();
    spec.side = side;
    spec.type = model::OrderType::Limit;
    spec.quantity = qty(quantity);
    spec.price = px(price);
    spec.ts_init = clock_.now();
    return model::Order::create(spec).value();
  }
  template <class E>
  E event_for(const model::Order& order) {
    E e;
    e.client_order_id = order.client_order_id();
    e.strategy_id = order.strategy_id();
    e.account_id = order.account_id();
    e.instrument_id = order.instrument_id();
    e.ts_event = clock_.now();
    e.ts_init = clock_.now();
    return e;
  }

  model::Instrument btc_ = model::test::linear_perp();
  model::Instrument eth_ = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  std::vector<const model::Instrument*> instruments_;
  core::UnixNanos start_ = core::UnixNanos::from_seconds(1'704'067'200);  // Monday 2024-01-01 00:00 UTC
  core::TestClock clock_{start_};
  runtime::MessageBus bus_;
  NullSink sink_;
  std::optional<portfolio::PortfolioBook> book_;
  std::optional<RiskEngine> engine_;
  std::unique_ptr<RiskMonitor> monitor_;
  std::vector<TradeCompleted> trades_;
  std::vector<MarginCallWarning> margin_;
  std::vector<RiskLimitReached> limits_;
  std::vector<PortfolioRiskHigh> high_;
  std::vector<PerformanceUpdated> perf_;
  std::vector<CircuitBreakerEvent> breakers_;
  std::vector<Alert> alerts_;
  int fills_ = 0;
};

TEST_F(RiskMonitorTest, PublishesTradeCompletedWithTheRoundTripPnlNetOfFees) {
  start(no_breakers(), "10000");
  // Taker fees 0.04 %: 0.5 × 20000 × 0.0004 = 4; 0.5 × 21000 × 0.0004 = 4.2.
  fill(OrderSide::Buy, "0.5", "20000", "4");
  EXPECT_TRUE(trades_.empty());
  fill(OrderSide::Sell, "0.5", "21000", "4.2");
  // (21000 − 20000) × 0.5 − 4 − 4.2 = 500 − 8.2 = 491.8.
  ASSERT_EQ(trades_.size(), 1u);
  const TradeCompleted& t = trades_[0];
  EXPECT_EQ(t.realized_pnl, dec("491.8"));
  EXPECT_EQ(t.side, model::PositionSide::Long);
  EXPECT_EQ(t.quantity, dec("0.5"));
  EXPECT_EQ(t.entry_price, dec("20000"));
  EXPECT_EQ(t.exit_price, px("21000"));
  EXPECT_EQ(t.fills, 2);
  EXPECT_EQ(t.instrument, btc_.id());
  EXPECT_EQ(monitor_->performance().winning_trades, 1);
}

TEST_F(RiskMonitorTest, PartialClosesCompleteOneTradeWhenThePositionIsFlat) {
  start(no_breakers(), "10000");
  fill(OrderSide::Buy, "1", "20000");
  fill(OrderSide::Sell, "0.4", "19900");  // 0.4 × −100 = −40
  EXPECT_TRUE(trades_.empty());
  fill(OrderSide::Sell, "0.6", "19800");  // 0.6 × −200 = −120
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].realized_pnl, dec("-160"));
  EXPECT_EQ(trades_[0].fills, 3);
  EXPECT_EQ(trades_[0].quantity, dec("1"));
  const PerformanceUpdated p = monitor_->performance();
  EXPECT_EQ(p.trades, 1);
  EXPECT_EQ(p.loss_streak, 1);
}

TEST_F(RiskMonitorTest, AFlipClosesOneTradeAndOpensTheNext) {
  start(no_breakers(), "10000");
  fill(OrderSide::Buy, "1", "20000");
  fill(OrderSide::Sell, "3", "20100");  // closes the long: +100; opens short 2 @ 20100
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].realized_pnl, dec("100"));
  EXPECT_EQ(trades_[0].side, model::PositionSide::Long);
  fill(OrderSide::Buy, "2", "20050");  // (20100 − 20050) × 2 = +100
  ASSERT_EQ(trades_.size(), 2u);
  EXPECT_EQ(trades_[1].side, model::PositionSide::Short);
  EXPECT_EQ(trades_[1].quantity, dec("2"));
  EXPECT_EQ(trades_[1].entry_price, dec("20100"));
  EXPECT_EQ(trades_[1].realized_pnl, dec("100"));
}

TEST_F(RiskMonitorTest, RaisesMarginCallWarningOncePerCrossingNotOnEveryTick) {
  start(no_breakers(), "1000");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");
  // Tier 1 of BTCUSDT: MMR 0.4 %, amount 0. Cross margin balance = 1000 + (mark − 20000).
  mark("19100");  // MM 76.4, balance 100: ratio 0.764 < 0.80
  EXPECT_TRUE(margin_.empty());
  EXPECT_EQ(monitor_->margin_ratio(), dec("0.764"));
  mark("19090");  // MM 76.36, balance 90: 0.848444…, rounded up at 8 places 0.84844445 >= 0.80
  ASSERT_EQ(margin_.size(), 1u);
  EXPECT_EQ(margin_[0].margin_ratio, dec("0.84844445"));
  EXPECT_EQ(margin_[0].maintenance_margin, dec("76.36"));
  EXPECT_EQ(margin_[0].margin_balance, dec("90"));
  EXPECT_EQ(margin_[0].margin_call_ratio, dec("0.80"));
  EXPECT_FALSE(margin_[0].instrument);
  mark("19080");  // 76.32 / 80 = 0.954: still in margin call, no second warning
  mark("19085");
  EXPECT_EQ(margin_.size(), 1u);
  mark("19200");  // 76.8 / 200 = 0.384 < 0.80 − 0.05: re-armed
  mark("19090");
  EXPECT_EQ(margin_.size(), 2u);
  // Both crossings within the alert dedup window: one MARGIN_CALL alert, the second folded into it.
  std::size_t margin_alerts = 0;
  for (const auto& a : alerts_) margin_alerts += a.code == AlertCode::MarginCall ? 1 : 0;
  EXPECT_EQ(margin_alerts, 1u);
}

// The monitor skips forming ratios far from their levels; at the edge, the rounding of the ratio (up, at
// 8 places) still decides. Ratios by hand (exact decimal division).
TEST_F(RiskMonitorTest, AMarginCallReachedOnlyByTheRatiosRoundingIsStillRaised) {
  start(no_breakers(), "100.0000001");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");  // MM 0.004 × 20000 = 80; balance 100.0000001
  // 80 / 100.0000001 = 0.7999999992…, rounded up: 0.80000000 >= 0.80
  ASSERT_EQ(margin_.size(), 1u);
  EXPECT_EQ(margin_[0].margin_ratio, dec("0.8"));
}

TEST_F(RiskMonitorTest, AMarginRatioJustBelowTheCallLevelRaisesNothingAndIsFormedWhenRead) {
  start(no_breakers(), "100.000002");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");
  // 80 / 100.000002 = 0.799999984…, rounded up: 0.79999999 < 0.80
  EXPECT_TRUE(margin_.empty());
  EXPECT_EQ(monitor_->margin_ratio(), dec("0.79999999"));
}

TEST_F(RiskMonitorTest, LeverageReachingTheWarningOnlyByRoundingIsReported) {
  RiskConfig config = no_breakers();
  config.max_leverage = DecimalLimit{true, dec("3")};  // warning at 0.80 × 3 = 2.4
  start(std::move(config), "8333.3333507");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");
  // 20000 / 8333.3333507 = 2.3999999949…, rounded up at 8 places: 2.40000000 >= 2.4
  ASSERT_EQ(high_.size(), 1u);
  EXPECT_EQ(high_[0].limit, RiskCheck::MaxLeverage);
  EXPECT_EQ(high_[0].value, dec("2.4"));
}

TEST_F(RiskMonitorTest, LeverageJustBelowTheWarningIsNotReported) {
  RiskConfig config = no_breakers();
  config.max_leverage = DecimalLimit{true, dec("3")};
  start(std::move(config), "8333.3334");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");  // 20000 / 8333.3334 = 2.399999980…, rounded up: 2.39999999 < 2.4
  EXPECT_TRUE(high_.empty());
  mark("20001");  // 20001 / 8334.3334 = 2.39983…: still below
  EXPECT_TRUE(high_.empty());
  mark("19999");  // 19999 / 8332.3334 = 2.4001680…: near now, rounded up 2.40016801
  ASSERT_EQ(high_.size(), 1u);
  EXPECT_EQ(high_[0].value, dec("2.40016801"));
}

TEST_F(RiskMonitorTest, ReportsAPortfolioLimitOnceWhenNearAndOnceWhenReached) {
  RiskConfig config = no_breakers();
  config.max_gross_exposure = DecimalLimit{true, dec("30000")};  // warning at 0.80 × 30000 = 24000
  start(std::move(config), "100000");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");
  EXPECT_TRUE(high_.empty());
  mark("25000");  // 25000 / 30000 = 0.8333…
  ASSERT_EQ(high_.size(), 1u);
  EXPECT_EQ(high_[0].limit, RiskCheck::MaxGrossExposure);
  EXPECT_EQ(high_[0].utilisation, dec("0.8333"));
  mark("30000");  // at the limit: reached
  mark("30100");
  ASSERT_EQ(limits_.size(), 1u);
  EXPECT_EQ(limits_[0].value, dec("30000"));
  EXPECT_EQ(limits_[0].limit_value, dec("30000"));
  mark("20000");  // back below: re-armed
  mark("30000");  // straight to reached: no new "high"
  EXPECT_EQ(limits_.size(), 2u);
  EXPECT_EQ(high_.size(), 1u);
}

TEST_F(RiskMonitorTest, KeepsWorkingOrdersOfTheBookInStepWithOrderEvents) {
  start(no_breakers(), "100000");
  mark("20000");
  model::Order order = limit_order("O-3", OrderSide::Buy, "2", "19000");
  ASSERT_TRUE(order.on_submitted(clock_.now()));
  ASSERT_TRUE(monitor_->on_order_event(event_for<model::OrderSubmitted>(order), order));
  auto accepted = event_for<model::OrderAccepted>(order);
  accepted.venue_order_id = core::VenueOrderId("V-3");
  ASSERT_TRUE(order.apply(accepted));
  ASSERT_TRUE(monitor_->on_order_event(accepted, order));
  const portfolio::SlotIndex slot = *book_->find(btc_.id());
  EXPECT_EQ(book_->open_orders(), 1);
  EXPECT_EQ(book_->slot(slot).open_buy_quantity, dec("2"));

  auto filled = event_for<model::OrderFilled>(order);
  filled.fill = model::test::make_fill(btc_, OrderSide::Buy, "0.5", "19000", usdt("0"), 1, "O-3");
  filled.fill.venue_order_id = core::VenueOrderId("V-3");
  ASSERT_TRUE(order.apply(filled));
  ASSERT_TRUE(monitor_->on_order_event(filled, order));
  EXPECT_EQ(book_->slot(slot).open_buy_quantity, dec("1.5"));
  EXPECT_EQ(book_->slot(slot).quantity, dec("0.5"));

  auto canceled = event_for<model::OrderCanceled>(order);
  ASSERT_TRUE(order.apply(canceled));
  ASSERT_TRUE(monitor_->on_order_event(canceled, order));
  EXPECT_EQ(book_->open_orders(), 0);
  EXPECT_EQ(book_->slot(slot).open_buy_quantity, dec("0"));
}

TEST_F(RiskMonitorTest, TripsARejectRateBreakerFromOrderEvents) {
  RiskConfig config = no_breakers();
  CircuitBreakerConfig rejects;
  rejects.name = "rejects-50";
  rejects.condition = BreakerCondition::RejectRate;
  rejects.threshold = dec("0.5");
  rejects.window = 60s;
  rejects.min_samples = 2;
  rejects.action = BreakerAction::Alert;
  config.circuit_breakers = {rejects};
  start(std::move(config), "100000");

  model::Order first = limit_order("O-1", OrderSide::Buy, "1", "19000");
  ASSERT_TRUE(monitor_->on_order_event(event_for<model::OrderSubmitted>(first), first));
  auto rejected = event_for<model::OrderRejected>(first);
  rejected.reason = "insufficient margin";
  ASSERT_TRUE(monitor_->on_order_event(rejected, first));
  EXPECT_TRUE(breakers_.empty());  // 1 order < min_samples 2
  model::Order second = limit_order("O-2", OrderSide::Buy, "1", "19000");
  ASSERT_TRUE(monitor_->on_order_event(event_for<model::OrderSubmitted>(second), second));
  // 1 reject / 2 orders = 0.5 >= 0.5.
  ASSERT_EQ(breakers_.size(), 2u);
  EXPECT_EQ(breakers_[0].kind, BreakerEventKind::Triggered);
  EXPECT_EQ(breakers_[0].value, dec("0.5"));
  EXPECT_EQ(breakers_[1].kind, BreakerEventKind::Acted);
  ASSERT_FALSE(alerts_.empty());
  EXPECT_EQ(alerts_.back().code, AlertCode::CircuitBreakerTriggered);
  EXPECT_EQ(alerts_.back().severity, AlertSeverity::Warning);  // action ALERT
  EXPECT_EQ(alerts_.back().subject, "rejects-50");
}

TEST_F(RiskMonitorTest, TheEmergencyStopOverridesBreakerStatesAndResetReturnsToThem) {
  RiskConfig config = no_breakers();
  CircuitBreakerConfig rapid;
  rapid.name = "rapid";
  rapid.condition = BreakerCondition::RapidMove;
  rapid.scope = BreakerScope::Instrument;
  rapid.instrument_id = btc_.id();
  rapid.threshold = dec("0.05");
  rapid.window = 60s;
  rapid.cooldown = 5min;
  rapid.action = BreakerAction::ReduceOnly;
  config.circuit_breakers = {rapid};
  QuietClient client;
  // The stop needs the engine, which start() builds: construct both in order.
  instruments_ = {&btc_, &eth_};
  book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec("100000")).value());
  engine_.emplace(RiskEngine::create(config, *book_, clock_.now()).value());
  EmergencyStop stop(*engine_, {&client}, bus_, clock_, &*book_);
  monitor_ = RiskMonitor::create({}, *book_, *engine_, bus_, sink_, clock_, &stop).value();
  bus_.subscribe<Alert>(Alert::kTopic, [this](const Alert& e) { alerts_.push_back(e); });

  mark("100");
  at_offset(30);
  mark("105");
  ASSERT_EQ(engine_->trading_state(), TradingState::Reducing);
  at_offset(40);
  ASSERT_TRUE(stop.engage({"bob", "venue incident", false}));
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  ASSERT_FALSE(alerts_.empty());
  EXPECT_EQ(alerts_.back().severity, AlertSeverity::Emergency);
  EXPECT_EQ(alerts_.back().code, AlertCode::EmergencyStop);
  at_offset(50);
  mark("105");  // updates do not lower the halt
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  ASSERT_TRUE(stop.reset("bob", "venue back"));
  EXPECT_EQ(engine_->trading_state(), TradingState::Reducing);  // the breaker still holds it
  at_offset(120);
  mark("105");  // cleared
  at_offset(330);
  monitor_->on_time();  // cool-down over
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
}

TEST_F(RiskMonitorTest, PublishesPerformanceAtTheConfiguredCadence) {
  start(no_breakers(), "10000");
  mark("20000");
  fill(OrderSide::Buy, "1", "20000");
  mark("20100");
  ASSERT_EQ(perf_.size(), 1u);  // all at the same instant: one snapshot
  at_offset(1);
  mark("20200");
  ASSERT_EQ(perf_.size(), 2u);
  // Equity 10000 + (20200 − 20000) × 1 = 10200; gross 20200; leverage 20200 / 10200 = 1.98039… → 1.9804 (up).
  EXPECT_EQ(perf_[1].equity, dec("10200"));
  EXPECT_EQ(perf_[1].gross_exposure, dec("20200"));
  EXPECT_EQ(perf_[1].leverage, dec("1.9804"));
  EXPECT_EQ(perf_[1].positions_open, 1);
  EXPECT_EQ(perf_[1].ts_event, start_ + 1s);
}

// The monitor remembers whether anyone listens for PerformanceUpdated until the bus's subscriptions change:
// a subscriber that comes after it found none gets the next snapshot, and one that leaves gets no more.
TEST_F(RiskMonitorTest, PerformanceGoesToSubscribersThatCameAfterTheMonitorFoundNone) {
  instruments_ = {&btc_, &eth_};
  book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec("10000")).value());
  engine_.emplace(RiskEngine::create(no_breakers(), *book_, clock_.now()).value());
  runtime::MessageBus bus;
  auto monitor = RiskMonitor::create({}, *book_, *engine_, bus, sink_, clock_).value();
  ASSERT_TRUE(monitor->on_mark_price(btc_.id(), px("20000")));
  at_offset(1);
  ASSERT_TRUE(monitor->on_mark_price(btc_.id(), px("20050")));  // a snapshot is due: nobody listens
  std::vector<PerformanceUpdated> seen;
  const auto id = bus.subscribe<PerformanceUpdated>(PerformanceUpdated::kTopic,
                                                    [&seen](const PerformanceUpdated& e) { seen.push_back(e); });
  at_offset(2);
  ASSERT_TRUE(monitor->on_mark_price(btc_.id(), px("20100")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].ts_event, start_ + 2s);
  EXPECT_EQ(seen[0].equity, dec("10000"));
  ASSERT_TRUE(bus.unsubscribe(id));
  at_offset(3);
  ASSERT_TRUE(monitor->on_mark_price(btc_.id(), px("20150")));
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(RiskMonitorTest, AQuoteSetsTheTopOfBookAndTheMarkToTheMid) {
  start(no_breakers(), "10000");
  model::QuoteTick quote{btc_.id(), px("25000.0"), px("25000.1"), qty("1"), qty("1"), start_, start_};
  ASSERT_TRUE(monitor_->on_quote_tick(quote));
  const auto& slot = book_->slot(*book_->find(btc_.id()));
  EXPECT_EQ(slot.mark, px("25000.05"));  // (25000.0 + 25000.1) / 2
  EXPECT_EQ(slot.best_bid, px("25000.0"));
  EXPECT_EQ(slot.best_ask, px("25000.1"));
}

TEST_F(RiskMonitorTest, RefusesMarketDataForAnUnknownInstrument) {
  start(no_breakers(), "10000");
  const auto st = monitor_->on_mark_price(model::test::instrument_id("XRPUSDT-PERP.BINANCE"), px("1"));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), core::ErrorCode::NotFound);
}

TEST_F(RiskMonitorTest, RefusesABreakerOnAnInstrumentTheBookDoesNotHold) {
  RiskConfig config = no_breakers();
  CircuitBreakerConfig rapid;
  rapid.name = "rapid-xrp";
  rapid.condition = BreakerCondition::RapidMove;
  rapid.scope = BreakerScope::Instrument;
  rapid.instrument_id = model::test::instrument_id("XRPUSDT-PERP.BINANCE");
  rapid.threshold = dec("0.05");
  config.circuit_breakers = {rapid};
  instruments_ = {&btc_, &eth_};
  book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec("1000")).value());
  // The engine only checks symbol overrides; the monitor refuses a breaker it could never measure.
  auto engine = RiskEngine::create(config, *book_, clock_.now());
  ASSERT_TRUE(engine);
  engine_.emplace(std::move(*engine));
  const auto monitor = RiskMonitor::create({}, *book_, *engine_, bus_, sink_, clock_);
  ASSERT_FALSE(monitor);
  EXPECT_EQ(monitor.error().code(), core::ErrorCode::NotFound);
}

}  // namespace
}  // namespace ballast::risk
