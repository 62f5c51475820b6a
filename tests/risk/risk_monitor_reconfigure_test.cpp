// RiskMonitor::reconfigure_breakers: breakers replaced while running, state kept for unchanged ones.
#include "ballast/risk/risk_monitor.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
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

using model::test::dec;
using model::test::px;
using namespace std::chrono_literals;

using test::NullSink;

class RiskMonitorReconfigureTest : public ::testing::Test {
 protected:
  void start(std::vector<CircuitBreakerConfig> breakers) {
    RiskConfig config;
    config.circuit_breakers = std::move(breakers);
    instruments_ = {&btc_, &eth_};
    book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec("100000")).value());
    engine_.emplace(RiskEngine::create(std::move(config), *book_, clock_.now()).value());
    monitor_ = RiskMonitor::create({}, *book_, *engine_, bus_, sink_, clock_).value();
    bus_.subscribe<CircuitBreakerEvent>(CircuitBreakerEvent::kTopic,
                                        [this](const CircuitBreakerEvent& e) { events_.push_back(e); });
  }
  // RAPID_MOVE on BTC over one minute.
  CircuitBreakerConfig rapid(std::string name, std::string_view threshold, BreakerAction action) const {
    CircuitBreakerConfig c;
    c.name = std::move(name);
    c.condition = BreakerCondition::RapidMove;
    c.scope = BreakerScope::Instrument;
    c.instrument_id = btc_.id();
    c.threshold = dec(threshold);
    c.window = 60s;
    c.cooldown = 5min;
    c.action = action;
    return c;
  }
  static CircuitBreakerConfig drawdown(std::string name) {
    CircuitBreakerConfig c;
    c.name = std::move(name);
    c.condition = BreakerCondition::AccountDrawdown;
    c.threshold = dec("0.2");
    c.action = BreakerAction::Alert;
    return c;
  }
  void mark_at(std::int64_t seconds, std::string_view price) {
    clock_.set_time(start_ + std::chrono::seconds(seconds));
    ASSERT_TRUE(monitor_->on_mark_price(btc_.id(), px(price)));
  }
  std::optional<BreakerStatus> status_of(std::string_view name) const {
    for (const auto& s : monitor_->breaker_statuses()) {
      if (s.name == name) return s;
    }
    return std::nullopt;
  }
  std::size_t triggers() const {
    std::size_t n = 0;
    for (const auto& e : events_) n += e.kind == BreakerEventKind::Triggered ? 1 : 0;
    return n;
  }

  model::Instrument btc_ = model::test::linear_perp();
  model::Instrument eth_ = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  std::vector<const model::Instrument*> instruments_;
  core::UnixNanos start_ = core::UnixNanos::from_seconds(1'704'067'200);  // 2024-01-01 00:00 UTC
  core::TestClock clock_{start_};
  runtime::MessageBus bus_;
  NullSink sink_;
  std::optional<portfolio::PortfolioBook> book_;
  std::optional<RiskEngine> engine_;
  std::unique_ptr<RiskMonitor> monitor_;
  std::vector<CircuitBreakerEvent> events_;
};

TEST_F(RiskMonitorReconfigureTest, AnUnchangedBreakerKeepsItsTripItsHoldAndItsMeterHistory) {
  start({rapid("rapid-halt", "0.05", BreakerAction::Halt)});
  mark_at(0, "100");
  mark_at(30, "106");  // |106 − 100| / 100 = 0.06 >= 0.05
  ASSERT_EQ(engine_->trading_state(), TradingState::Halted);

  const std::vector<CircuitBreakerConfig> next{rapid("rapid-halt", "0.05", BreakerAction::Halt), drawdown("dd-20")};
  ASSERT_TRUE(monitor_->reconfigure_breakers(next));

  EXPECT_EQ(monitor_->breaker_instances(), 2u);
  EXPECT_EQ(engine_->config().circuit_breakers, next);  // the engine's RiskConfig holds the new list
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  const auto kept = status_of("rapid-halt");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->state, BreakerState::Tripped);
  EXPECT_EQ(kept->trips, 1);
  ASSERT_TRUE(kept->trip_measurement);
  EXPECT_EQ(kept->trip_measurement->value, dec("0.06"));
  // The meter still holds the mark of t=0: the window start stays 100, so 107 measures 7 / 100 = 0.07
  // (a fresh meter would have started at 106 and measured 1 / 106).
  mark_at(40, "107");
  const auto after = status_of("rapid-halt");
  ASSERT_TRUE(after && after->last_measurement);
  EXPECT_EQ(after->last_measurement->value, dec("0.07"));
  EXPECT_EQ(triggers(), 1u);  // still the same episode: no second trigger
}

TEST_F(RiskMonitorReconfigureTest, RemovingATrippedHaltBreakerReleasesHalted) {
  start({rapid("rapid-halt", "0.05", BreakerAction::Halt)});
  mark_at(0, "100");
  mark_at(30, "94");  // 6 / 100 = 0.06
  ASSERT_EQ(engine_->trading_state(), TradingState::Halted);

  ASSERT_TRUE(monitor_->reconfigure_breakers({}));

  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  EXPECT_EQ(monitor_->breaker_instances(), 0u);
  EXPECT_TRUE(engine_->config().circuit_breakers.empty());
  mark_at(40, "80");  // nothing left to trip
  EXPECT_EQ(triggers(), 1u);
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
}

TEST_F(RiskMonitorReconfigureTest, AChangedThresholdTakesEffectOnTheNextMark) {
  start({rapid("rapid", "0.10", BreakerAction::Alert)});
  mark_at(0, "100");
  mark_at(10, "95");  // 0.05 < 0.10
  ASSERT_EQ(triggers(), 0u);

  ASSERT_TRUE(monitor_->reconfigure_breakers({rapid("rapid", "0.03", BreakerAction::Alert)}));
  const auto fresh = status_of("rapid");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->state, BreakerState::Armed);
  EXPECT_FALSE(fresh->last_measurement);

  // The fresh meter starts at the current mark 95: |91 − 95| / 95 = 0.0421052631578…, rounded down at 12
  // places (breaker_conditions.hpp) = 0.042105263157 >= 0.03. The old meter (from 100) would say 0.09,
  // which the old threshold 0.10 would not have tripped on.
  mark_at(20, "91");
  ASSERT_EQ(triggers(), 1u);
  EXPECT_EQ(events_.front().breaker, "rapid");
  EXPECT_EQ(events_.front().value, dec("0.042105263157"));
  EXPECT_EQ(events_.front().threshold, dec("0.03"));
}

TEST_F(RiskMonitorReconfigureTest, AChangedBreakerReleasesItsHoldAndStartsArmed) {
  start({rapid("rapid", "0.05", BreakerAction::Halt)});
  mark_at(0, "100");
  mark_at(30, "106");
  ASSERT_EQ(engine_->trading_state(), TradingState::Halted);

  ASSERT_TRUE(monitor_->reconfigure_breakers({rapid("rapid", "0.05", BreakerAction::ReduceOnly)}));

  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  const auto s = status_of("rapid");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state, BreakerState::Armed);
  EXPECT_EQ(s->trips, 0);
}

TEST_F(RiskMonitorReconfigureTest, AnInvalidListIsRefusedWithEveryProblemAndNothingChanges) {
  const std::vector<CircuitBreakerConfig> original{rapid("rapid-halt", "0.05", BreakerAction::Halt)};
  start(original);
  mark_at(0, "100");
  mark_at(30, "106");
  ASSERT_EQ(engine_->trading_state(), TradingState::Halted);

  CircuitBreakerConfig zero = rapid("zero", "0", BreakerAction::Alert);
  CircuitBreakerConfig elsewhere = rapid("elsewhere", "0.05", BreakerAction::Alert);
  elsewhere.instrument_id = core::InstrumentId("NOPE", core::VenueId("BINANCE"));
  const auto refused =
      monitor_->reconfigure_breakers({drawdown("twice"), drawdown("twice"), std::move(zero), std::move(elsewhere)});

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::InvalidArgument);
  const std::string& message = refused.error().message();
  EXPECT_NE(message.find("circuit_breakers[1].name: duplicate name 'twice'"), std::string::npos) << message;
  EXPECT_NE(message.find("circuit_breakers[2].threshold"), std::string::npos) << message;
  EXPECT_NE(message.find("circuit_breakers[3].instrument: NOPE.BINANCE"), std::string::npos) << message;
  EXPECT_EQ(engine_->config().circuit_breakers, original);
  EXPECT_EQ(monitor_->breaker_instances(), 1u);
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  const auto s = status_of("rapid-halt");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state, BreakerState::Tripped);
}

TEST_F(RiskMonitorReconfigureTest, ADisabledBreakerIsListedAndMeasuredButNeverTrips) {
  start({});
  mark_at(0, "100");
  CircuitBreakerConfig off = rapid("rapid-off", "0.05", BreakerAction::Halt);
  off.enabled = false;
  ASSERT_TRUE(monitor_->reconfigure_breakers({off}));
  ASSERT_EQ(monitor_->breaker_instances(), 1u);

  mark_at(30, "150");  // 50 / 100 = 0.5, ten times the threshold

  EXPECT_EQ(triggers(), 0u);
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  const auto s = status_of("rapid-off");
  ASSERT_TRUE(s && s->last_measurement);
  EXPECT_EQ(s->state, BreakerState::Armed);
  EXPECT_EQ(s->last_measurement->value, dec("0.5"));
}

TEST_F(RiskMonitorReconfigureTest, ABreakerOnEveryInstrumentGetsOneInstancePerInstrument) {
  start({});
  CircuitBreakerConfig every = rapid("rapid-all", "0.05", BreakerAction::Alert);
  every.instrument_id.reset();
  ASSERT_TRUE(monitor_->reconfigure_breakers({every}));
  ASSERT_EQ(monitor_->breaker_instances(), 2u);  // BTC and ETH
  mark_at(0, "100");
  mark_at(30, "110");
  ASSERT_EQ(triggers(), 1u);
  ASSERT_TRUE(events_.front().instrument);
  EXPECT_EQ(*events_.front().instrument, btc_.id());
}

}  // namespace
}  // namespace ballast::risk
