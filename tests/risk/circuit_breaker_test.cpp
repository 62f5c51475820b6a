#include "ballast/risk/circuit_breaker.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_monitor.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "model/test_support.hpp"
#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

using core::Decimal;
using model::OrderSide;
using model::test::at;
using model::test::dec;
using model::test::px;
using model::test::usdt;
using namespace std::chrono_literals;

CircuitBreakerConfig breaker(std::string name, BreakerCondition condition, std::string_view threshold,
                             BreakerAction action, core::Duration cooldown = 30min,
                             ResetPolicy reset = ResetPolicy::Automatic) {
  CircuitBreakerConfig c;
  c.name = std::move(name);
  c.condition = condition;
  c.scope = (condition == BreakerCondition::PositionDrawdown || condition == BreakerCondition::VolatilitySpike ||
             condition == BreakerCondition::RapidMove)
                ? BreakerScope::Instrument
                : BreakerScope::Account;
  c.threshold = dec(threshold);
  c.action = action;
  c.cooldown = cooldown;
  c.reset = reset;
  return c;
}

BreakerMeasurement met(std::string_view v) { return BreakerMeasurement{dec(v), true}; }
BreakerMeasurement clear(std::string_view v) { return BreakerMeasurement{dec(v), false}; }

// --- State machine ------------------------------------------------------------------------------------

TEST(CircuitBreaker, TripsOnceWhenTheConditionIsMetAndStartsTheCooldown) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert, 30min);
  CircuitBreaker b(config);
  EXPECT_EQ(b.evaluate(clear("0.09"), at(100)), BreakerTransition::None);
  EXPECT_TRUE(b.armed());
  EXPECT_EQ(b.evaluate(met("0.1"), at(200)), BreakerTransition::Triggered);
  EXPECT_EQ(b.state(), BreakerState::Tripped);
  EXPECT_EQ(b.tripped_at(), at(200));
  EXPECT_EQ(b.cooldown_until(), at(200 + 30 * 60));
  EXPECT_EQ(b.trip_measurement(), met("0.1"));
  EXPECT_EQ(b.trips(), 1);
}

TEST(CircuitBreaker, NeverTriggersTwiceWhileTripped) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert);
  CircuitBreaker b(config);
  ASSERT_EQ(b.evaluate(met("0.1"), at(0)), BreakerTransition::Triggered);
  EXPECT_EQ(b.evaluate(met("0.2"), at(1)), BreakerTransition::None);
  EXPECT_EQ(b.evaluate(met("0.3"), at(4000)), BreakerTransition::None);  // even after the cool-down
  EXPECT_EQ(b.trips(), 1);
  EXPECT_EQ(b.last_measurement(), met("0.3"));
}

TEST(CircuitBreaker, DoesNotReTriggerInsideTheCooldownWhenTheConditionReturns) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert, 30min);
  CircuitBreaker b(config);
  ASSERT_EQ(b.evaluate(met("0.1"), at(0)), BreakerTransition::Triggered);
  EXPECT_EQ(b.evaluate(clear("0.05"), at(60)), BreakerTransition::None);
  EXPECT_EQ(b.state(), BreakerState::CoolingDown);
  EXPECT_EQ(b.evaluate(met("0.12"), at(600)), BreakerTransition::None);  // back, inside the cool-down
  EXPECT_EQ(b.state(), BreakerState::Tripped);
  EXPECT_EQ(b.evaluate(clear("0.05"), at(1799)), BreakerTransition::None);  // 1 s before the end
  EXPECT_EQ(b.state(), BreakerState::CoolingDown);
  EXPECT_EQ(b.trips(), 1);
}

TEST(CircuitBreaker, ReArmsAutomaticallyOnceTheCooldownPassedAndTheConditionCleared) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert, 30min);
  CircuitBreaker b(config);
  ASSERT_EQ(b.evaluate(met("0.1"), at(0)), BreakerTransition::Triggered);
  ASSERT_EQ(b.evaluate(clear("0.0"), at(10)), BreakerTransition::None);
  EXPECT_EQ(b.on_time(at(1799)), BreakerTransition::None);
  EXPECT_EQ(b.on_time(at(1800)), BreakerTransition::Rearmed);  // cooldown_until = 0 + 1800 s, inclusive
  EXPECT_TRUE(b.armed());
  EXPECT_EQ(b.evaluate(met("0.1"), at(1801)), BreakerTransition::Triggered);
  EXPECT_EQ(b.trips(), 2);
}

TEST(CircuitBreaker, AConditionStillMetAfterTheCooldownKeepsItTripped) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert, 1min);
  CircuitBreaker b(config);
  ASSERT_EQ(b.evaluate(met("0.1"), at(0)), BreakerTransition::Triggered);
  EXPECT_EQ(b.on_time(at(120)), BreakerTransition::None);
  EXPECT_EQ(b.state(), BreakerState::Tripped);
  EXPECT_EQ(b.evaluate(clear("0.01"), at(121)), BreakerTransition::Rearmed);
}

TEST(CircuitBreaker, AManualBreakerWaitsForAnOperatorReset) {
  const auto config =
      breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Halt, 1min, ResetPolicy::Manual);
  CircuitBreaker b(config);
  ASSERT_EQ(b.evaluate(met("0.1"), at(0)), BreakerTransition::Triggered);
  EXPECT_EQ(b.evaluate(clear("0.0"), at(3600)), BreakerTransition::None);
  EXPECT_EQ(b.on_time(at(7200)), BreakerTransition::None);
  EXPECT_EQ(b.state(), BreakerState::CoolingDown);
  EXPECT_TRUE(b.awaiting_manual_reset());
  EXPECT_TRUE(b.reset());
  EXPECT_TRUE(b.armed());
  EXPECT_FALSE(b.reset());  // already armed
}

TEST(CircuitBreaker, AnUnavailableMeasurementCountsAsNotMet) {
  const auto config = breaker("rr", BreakerCondition::RejectRate, "0.5", BreakerAction::Alert, 0min);
  CircuitBreaker b(config);
  EXPECT_EQ(b.evaluate(std::nullopt, at(0)), BreakerTransition::None);
  ASSERT_EQ(b.evaluate(met("0.5"), at(1)), BreakerTransition::Triggered);
  EXPECT_EQ(b.evaluate(std::nullopt, at(2)), BreakerTransition::Rearmed);  // zero cool-down
  EXPECT_EQ(b.last_measurement(), met("0.5"));  // the last real value is kept
}

TEST(CircuitBreaker, RestoresAPersistedStatusOfTheSameBreakerOnly) {
  const auto config = breaker("dd", BreakerCondition::AccountDrawdown, "0.1", BreakerAction::Alert);
  CircuitBreaker a(config);
  ASSERT_EQ(a.evaluate(met("0.15"), at(5)), BreakerTransition::Triggered);
  CircuitBreaker b(config);
  ASSERT_TRUE(b.restore(a.status()));
  EXPECT_EQ(b.status(), a.status());
  BreakerStatus other = a.status();
  other.name = "other";
  const auto st = b.restore(other);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), core::ErrorCode::InvalidArgument);
}

// --- Scenarios through the risk monitor -----------------------------------------------------------------

class RecordingSink final : public RiskActionSink {
 public:
  struct Call {
    std::string kind;
    std::optional<core::InstrumentId> instrument;
    core::UnixNanos now;
  };
  ActionResult cancel_orders(const std::optional<core::InstrumentId>& instrument, std::string_view,
                             core::UnixNanos now) override {
    calls.push_back({"cancel_orders", instrument, now});
    return ActionResult{true, {}, 3, 0};
  }
  ActionResult close_position(const core::InstrumentId& instrument, std::string_view, core::UnixNanos now) override {
    calls.push_back({"close_position", instrument, now});
    return ActionResult{true, {}, 1, 1};
  }
  ActionResult flatten_all(std::string_view, core::UnixNanos now) override {
    calls.push_back({"flatten_all", std::nullopt, now});
    return ActionResult{true, {}, 2, 2};
  }
  std::vector<Call> calls;
};

class BreakerScenario : public ::testing::Test {
 protected:
  void start(std::vector<CircuitBreakerConfig> breakers, std::string_view wallet) {
    instruments_ = {&btc_, &eth_};
    book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec(wallet)).value());
    RiskConfig config;
    config.circuit_breakers = std::move(breakers);
    engine_.emplace(RiskEngine::create(config, *book_, clock_.now()).value());
    monitor_ = RiskMonitor::create({}, *book_, *engine_, bus_, sink_, clock_).value();
    bus_.subscribe<CircuitBreakerEvent>(CircuitBreakerEvent::kTopic,
                                        [this](const CircuitBreakerEvent& e) { events_.push_back(e); });
  }
  void mark(std::string_view price, const model::Instrument* instrument = nullptr) {
    ASSERT_TRUE(monitor_->on_mark_price((instrument ? instrument : &btc_)->id(), px(price)));
  }
  void fill(OrderSide side, std::string_view quantity, std::string_view price) {
    ASSERT_TRUE(monitor_->on_fill(model::test::make_fill(btc_, side, quantity, price, usdt("0"), ++fills_)));
  }
  void at_offset(std::int64_t seconds) { clock_.set_time(start_ + std::chrono::seconds(seconds)); }
  std::size_t count(BreakerEventKind kind) const {
    std::size_t n = 0;
    for (const auto& e : events_) n += e.kind == kind ? 1 : 0;
    return n;
  }

  model::Instrument btc_ = model::test::linear_perp();
  model::Instrument eth_ = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  std::vector<const model::Instrument*> instruments_;
  core::UnixNanos start_ = core::UnixNanos::from_seconds(1'704'067'200);  // Monday 2024-01-01 00:00 UTC
  core::TestClock clock_{start_};
  runtime::MessageBus bus_;
  RecordingSink sink_;
  std::optional<portfolio::PortfolioBook> book_;
  std::optional<RiskEngine> engine_;
  std::unique_ptr<RiskMonitor> monitor_;
  std::vector<CircuitBreakerEvent> events_;
  int fills_ = 0;
};

TEST_F(BreakerScenario, DefaultAccountDrawdownOfTenPercentCancelsEveryOrderExactlyAtTheThreshold) {
  start(default_circuit_breakers(), "10000");
  mark("25000");
  fill(OrderSide::Buy, "1", "25000");
  // Equity 10000 + (24000.1 − 25000) = 9000.1: drawdown 999.9 / 10000 = 0.09999 < 0.10.
  mark("24000.1");
  EXPECT_TRUE(sink_.calls.empty());
  // Equity 9000: drawdown 1000 / 10000 = 0.10 — exactly at the threshold trips (value >= threshold).
  // The position gave back 1000 / 25000 = 0.04 of its entry notional: the 5 % breaker stays armed.
  mark("24000");
  ASSERT_EQ(sink_.calls.size(), 1u);
  EXPECT_EQ(sink_.calls[0].kind, "cancel_orders");
  EXPECT_FALSE(sink_.calls[0].instrument);  // account scope: every instrument
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].kind, BreakerEventKind::Triggered);
  EXPECT_EQ(events_[0].breaker, "account-drawdown-10");
  EXPECT_EQ(events_[0].value, dec("0.1"));
  EXPECT_EQ(events_[0].threshold, dec("0.1"));
  EXPECT_EQ(events_[1].kind, BreakerEventKind::Acted);
  ASSERT_TRUE(events_[1].result);
  EXPECT_EQ(events_[1].result->orders_affected, 3);
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);  // CANCEL_ORDERS leaves the state alone
  // A deeper fall (account 1200 / 10000 = 0.12; position 1200 / 25000 = 0.048) does not cancel again.
  mark("23800");
  EXPECT_EQ(sink_.calls.size(), 1u);
  EXPECT_EQ(count(BreakerEventKind::Triggered), 1u);
}

TEST_F(BreakerScenario, DefaultPositionDrawdownOfFivePercentClosesThatOpenPosition) {
  start(default_circuit_breakers(), "100000");
  mark("25000");
  fill(OrderSide::Buy, "1", "25000");
  mark("26000");  // best unrealised P&L +1000
  // (1000 − (−249.9)) / 25000 = 0.049996: not yet.
  mark("24750.1");
  EXPECT_TRUE(sink_.calls.empty());
  // (1000 − (−250)) / 25000 = 1250 / 25000 = 0.05: close it. (Account: 1250 / 101000 ≈ 1.2 %, armed.)
  mark("24750");
  ASSERT_EQ(sink_.calls.size(), 1u);
  EXPECT_EQ(sink_.calls[0].kind, "close_position");
  EXPECT_EQ(sink_.calls[0].instrument, btc_.id());
  ASSERT_FALSE(events_.empty());
  EXPECT_EQ(events_[0].breaker, "position-drawdown-5");
  EXPECT_EQ(events_[0].instrument, btc_.id());
  EXPECT_EQ(events_[0].value, dec("0.05"));
}

TEST_F(BreakerScenario, ReduceOnlyHoldsReducingThroughTheCooldownAndReleasesWhenItReArms) {
  auto rapid = breaker("rapid-5", BreakerCondition::RapidMove, "0.05", BreakerAction::ReduceOnly, 5min);
  rapid.window = 60s;
  rapid.instrument_id = btc_.id();
  start({rapid}, "100000");
  mark("100");
  at_offset(30);
  mark("105");  // |105 − 100| / 100 = 0.05
  EXPECT_EQ(engine_->trading_state(), TradingState::Reducing);
  ASSERT_EQ(count(BreakerEventKind::Triggered), 1u);
  EXPECT_EQ(events_.back().trading_state, TradingState::Reducing);
  EXPECT_EQ(events_.back().cooldown_until, start_ + 30s + 5min);
  at_offset(45);
  mark("111");  // still moving: no second trigger
  at_offset(120);
  mark("111");  // reference at t = 60 s is 111 (t = 45 s): cleared, cooling down
  at_offset(200);
  mark("117");  // |117 − 111| / 111 = 0.054 inside the cool-down: no new trigger
  EXPECT_EQ(count(BreakerEventKind::Triggered), 1u);
  at_offset(300);
  mark("117");  // cleared again
  at_offset(329);
  monitor_->on_time();
  EXPECT_EQ(engine_->trading_state(), TradingState::Reducing);  // cool-down ends at 330 s
  at_offset(330);
  monitor_->on_time();
  EXPECT_EQ(count(BreakerEventKind::Reset), 1u);
  EXPECT_EQ(events_.back().state, BreakerState::Armed);
  EXPECT_TRUE(events_.back().reset_by.empty());  // automatic
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
}

TEST_F(BreakerScenario, HaltWithManualResetHoldsHaltedUntilAnOperatorResetsIt) {
  auto streak = breaker("streak-2", BreakerCondition::LossStreak, "2", BreakerAction::Halt, 1min, ResetPolicy::Manual);
  start({streak}, "100000");
  mark("25000");
  fill(OrderSide::Buy, "1", "25000");
  fill(OrderSide::Sell, "1", "24900");  // −100
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  fill(OrderSide::Buy, "1", "25000");
  fill(OrderSide::Sell, "1", "24950");  // −50: second loss in a row
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  ASSERT_EQ(count(BreakerEventKind::Acted), 1u);
  at_offset(3600);
  monitor_->on_time();
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);  // manual: the cool-down alone does not release

  const auto missing = monitor_->reset_breaker("streak-2", std::nullopt, "", "checked");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::InvalidArgument);
  const auto unknown = monitor_->reset_breaker("nope", std::nullopt, "alice", "checked");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), core::ErrorCode::NotFound);

  ASSERT_TRUE(monitor_->reset_breaker("streak-2", std::nullopt, "alice", "reviewed the losses"));
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  ASSERT_EQ(count(BreakerEventKind::Reset), 1u);
  EXPECT_EQ(events_.back().reset_by, "alice");
  EXPECT_EQ(events_.back().reason, "reviewed the losses");
}

TEST_F(BreakerScenario, BlockTradingDuringCooldownKeepsNewExposureOutUntilTheCooldownEnds) {
  auto rapid = breaker("rapid", BreakerCondition::RapidMove, "0.05", BreakerAction::Alert, 5min);
  rapid.window = 60s;
  rapid.instrument_id = btc_.id();
  rapid.block_trading_during_cooldown = true;
  start({rapid}, "100000");
  mark("25000");
  at_offset(30);
  mark("26250");  // 1250 / 25000 = 0.05: trips at 30 s, cool-down until 330 s
  // A new long of 0.01 × 26250 = 262.5 USDT passes every other check (min notional 100).
  const OrderRequest buy{*book_->find(btc_.id()), OrderSide::Buy, model::OrderType::Market, model::test::qty("0.01")};
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);  // ALERT holds no state…
  EXPECT_FALSE(engine_->evaluate(buy, clock_.now()).approved());  // …but the cool-down blocks new exposure
  at_offset(330);
  EXPECT_TRUE(engine_->evaluate(buy, clock_.now()).approved());
}

TEST_F(BreakerScenario, FlattenAllFlattensAndHalts) {
  start({breaker("daily-500", BreakerCondition::DailyLoss, "500", BreakerAction::FlattenAll)}, "10000");
  mark("25000");
  fill(OrderSide::Buy, "1", "25000");
  mark("24500.1");  // loss 499.9
  EXPECT_TRUE(sink_.calls.empty());
  mark("24500");  // loss 10000 − 9500 = 500
  ASSERT_EQ(sink_.calls.size(), 1u);
  EXPECT_EQ(sink_.calls[0].kind, "flatten_all");
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  EXPECT_EQ(events_.back().result->positions_affected, 2);
}

TEST_F(BreakerScenario, ABreakerOnEveryInstrumentActsOnTheInstrumentThatTripped) {
  auto rapid = breaker("rapid", BreakerCondition::RapidMove, "0.1", BreakerAction::CancelOrders);
  rapid.window = 60s;
  start({rapid}, "100000");
  EXPECT_EQ(monitor_->breaker_instances(), 2u);  // one per instrument
  mark("2000", &eth_);
  mark("25000");
  at_offset(10);
  mark("1800", &eth_);  // |1800 − 2000| / 2000 = 0.1
  mark("25100");        // 0.004
  ASSERT_EQ(sink_.calls.size(), 1u);
  EXPECT_EQ(sink_.calls[0].instrument, eth_.id());
}

TEST_F(BreakerScenario, TradingHoursTripOutsideTheSessionAndReArmWhenItOpens) {
  auto hours = breaker("hours", BreakerCondition::TradingHours, "0", BreakerAction::ReduceOnly, 0min);
  hours.sessions = {TradingSession{8 * 60, 16 * 60, 0x1f}};
  start({hours}, "100000");
  at_offset(7 * 3600 + 59 * 60);  // Monday 07:59
  monitor_->on_time();
  EXPECT_EQ(engine_->trading_state(), TradingState::Reducing);
  at_offset(8 * 3600);  // 08:00: the session opens
  monitor_->on_time();
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  EXPECT_EQ(count(BreakerEventKind::Triggered), 1u);
  EXPECT_EQ(count(BreakerEventKind::Reset), 1u);
}

}  // namespace
}  // namespace ballast::risk
