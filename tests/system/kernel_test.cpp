#include "ballast/system/kernel.hpp"

#include "ballast/core/log.hpp"
#include "ballast/sim/sim_execution_client.hpp"
#include "model/test_support.hpp"
#include "system/kernel_support.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace ballast::system {
namespace {

using model::OrderSide;
using model::OrderType;
using model::test::dec;
using model::test::px;
using model::test::qty;

constexpr std::int64_t kMinute = 60'000'000'000;

model::Bar bar(int minute, std::string_view price) {
  return {core::UnixNanos(minute * kMinute), core::UnixNanos((minute + 1) * kMinute), px(price), px(price), px(price),
          px(price), qty("100")};
}

// A kernel over a real simulated venue (zero latency), marked at 50,000.
struct Fixture {
  explicit Fixture(risk::RiskConfig risk = {}) : clock(core::UnixNanos(0)) {
    const model::Instrument* list[] = {&instrument};
    kernel = Kernel::create(test::kernel_config(std::move(risk)), list, clock, bus, nullptr).value();
    sim::SimulatedExchangeConfig ec;
    ec.venue = core::VenueId("BINANCE");
    ec.account_id = core::AccountId("ACC");
    exchange.emplace(sim::SimulatedExchange::create(
                         ec, list, std::make_unique<sim::NoSlippage>(),
                         std::make_unique<sim::FixedLatency>(sim::FixedLatency::create(core::Duration(0)).value()), *kernel)
                         .value());
    client.emplace(*exchange, clock);
    EXPECT_TRUE(kernel->add_execution_client(*client));
    kernel->set_order_event_observer([this](const model::OrderEvent& e) { events.emplace_back(model::event_name(e)); });
    EXPECT_TRUE(kernel->on_bar(instrument.id(), bar(0, "50000")));
  }

  model::OrderSpec order(OrderSide side, OrderType type, std::string_view quantity,
                         std::optional<std::string_view> price = {}) const {
    model::OrderSpec spec;
    spec.strategy_id = core::StrategyId("TEST");
    spec.instrument_id = instrument.id();
    spec.side = side;
    spec.type = type;
    spec.quantity = qty(quantity);
    if (price) spec.price = px(*price);
    return spec;
  }

  // The venue trades the next bar, then the kernel sees it.
  void next_bar(int minute, std::string_view price) {
    clock.set_time(core::UnixNanos(minute * kMinute));
    ASSERT_TRUE(exchange->on_bar(instrument.id(), bar(minute, price)));
    clock.set_time(core::UnixNanos((minute + 1) * kMinute));
    ASSERT_TRUE(kernel->on_bar(instrument.id(), bar(minute, price)));
  }

  core::Decimal position() const { return kernel->book().slot(0).quantity; }

  model::Instrument instrument = model::test::linear_perp();
  core::TestClock clock;
  runtime::MessageBus bus;
  std::unique_ptr<Kernel> kernel;
  std::optional<sim::SimulatedExchange> exchange;
  std::optional<sim::SimExecutionClient> client;
  std::vector<std::string> events;
};

TEST(Kernel, AnApprovedOrderReachesTheVenueAndItsFillUpdatesTheBook) {
  Fixture f;
  const auto id = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01")).value();
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Submitted);
  f.next_bar(1, "50100");
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Filled);
  EXPECT_EQ(f.position(), dec("0.01"));
  EXPECT_EQ(f.events, (std::vector<std::string>{"OrderSubmitted", "OrderAccepted", "OrderFilled"}));
  EXPECT_TRUE(f.kernel->open_orders().empty());
}

TEST(Kernel, ADeniedOrderIsRecordedWithItsTypedReasonAndNeverReachesTheVenue) {
  risk::RiskConfig risk;
  risk.instrument.max_order_notional = risk::DecimalLimit{true, dec("1000")};
  Fixture f(risk);
  // 0.05 × 50,000 = 2,500 > 1,000.
  const auto r = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.05"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("NOTIONAL_EXCEEDS_MAX_PER_ORDER"), std::string::npos);
  EXPECT_EQ(f.kernel->denied_orders(), 1);
  EXPECT_EQ(f.events, (std::vector<std::string>{"OrderDenied"}));
  EXPECT_EQ(f.exchange->pending_requests(), 0u);
}

TEST(Kernel, ACancelRefusedAfterTheOrderEndedIsExpectedNotAWarning) {
  Fixture f;
  const auto id = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01")).value();
  f.next_bar(1, "50100");
  ASSERT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Filled);
  const std::size_t seen = f.events.size();
  // The cancel crossed the fill at the venue, which no longer knows the order.
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  sink->set_level(spdlog::level::warn);
  core::logger().sinks().push_back(sink);
  model::OrderCancelRejected refused;
  refused.client_order_id = id;
  refused.instrument_id = f.instrument.id();
  refused.reason = "unknown order";
  f.kernel->on_order_event(refused);
  core::logger().sinks().pop_back();
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Filled);
  EXPECT_EQ(f.kernel->order(id)->status_reason(), "");
  EXPECT_EQ(f.events.size(), seen);
  EXPECT_EQ(log.str(), "");  // before: "OrderCancelRejected for order … ignored: … from FILLED to FILLED"
}

TEST(Kernel, CancelAllCancelsWorkingOrdersAtTheVenue) {
  Fixture f;
  const auto id = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Limit, "0.01", "40000")).value();
  f.next_bar(1, "50000");  // accepted, resting
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Accepted);
  ASSERT_TRUE(f.kernel->cancel_all(std::nullopt, core::StrategyId()));
  f.next_bar(2, "50000");
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Canceled);
  EXPECT_TRUE(f.kernel->open_orders().empty());
}

TEST(Kernel, ARiskCloseGoesThroughWhileHaltedButANewOrderDoesNot) {
  Fixture f;
  ASSERT_TRUE(f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01")));
  f.next_bar(1, "50000");
  ASSERT_EQ(f.position(), dec("0.01"));
  f.kernel->monitor().set_operator_trading_state(risk::TradingState::Halted);
  const auto blocked = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01"));
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().message().find("TRADING_HALTED"), std::string::npos);
  const auto action = f.kernel->close_position(f.instrument.id(), "test", f.clock.now());
  EXPECT_TRUE(action.ok) << action.error;
  EXPECT_EQ(action.positions_affected, 1);
  f.next_bar(2, "49900");
  EXPECT_TRUE(f.position().is_zero());
}

TEST(Kernel, ClosedOrdersOlderThanTheHorizonAreForgottenOpenAndRecentOnesKept) {
  Fixture f;
  const auto filled = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01")).value();
  const auto resting = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Limit, "0.01", "40000")).value();
  f.next_bar(1, "50000");  // the market order fills at minute 1 (last event at the bar's start), the limit rests
  const auto canceled = f.kernel->submit(f.order(OrderSide::Sell, OrderType::Limit, "0.01", "60000")).value();
  f.next_bar(2, "50000");
  ASSERT_TRUE(f.kernel->cancel(canceled));
  f.next_bar(3, "50000");  // canceled at minute 3
  ASSERT_EQ(f.kernel->order(filled)->status(), model::OrderStatus::Filled);
  ASSERT_EQ(f.kernel->order(canceled)->status(), model::OrderStatus::Canceled);
  ASSERT_LT(f.kernel->order(filled)->ts_last(), core::UnixNanos(3 * kMinute));
  ASSERT_GE(f.kernel->order(canceled)->ts_last(), core::UnixNanos(3 * kMinute));

  // Horizon minute 3: only the order filled before it goes; the resting one is open, the canceled one newer.
  EXPECT_EQ(f.kernel->forget_closed_orders(core::UnixNanos(3 * kMinute)), 1u);
  EXPECT_EQ(f.kernel->order(filled), nullptr);
  ASSERT_NE(f.kernel->order(resting), nullptr);
  EXPECT_NE(f.kernel->order(canceled), nullptr);
  EXPECT_EQ(f.kernel->open_orders().size(), 1u);
  EXPECT_EQ(f.kernel->strategy_orders(core::StrategyId("TEST")), 3u);  // submissions are still counted
  EXPECT_EQ(f.position(), dec("0.01"));                                  // the book is not touched

  EXPECT_EQ(f.kernel->forget_closed_orders(core::UnixNanos(100 * kMinute)), 1u);  // the canceled one
  EXPECT_EQ(f.kernel->order(canceled), nullptr);
  EXPECT_NE(f.kernel->order(resting), nullptr);
  // The resting order still trades and is then forgettable too.
  f.next_bar(4, "39000");
  EXPECT_EQ(f.kernel->order(resting)->status(), model::OrderStatus::Filled);
  EXPECT_EQ(f.position(), dec("0.02"));
  EXPECT_EQ(f.kernel->forget_closed_orders(core::UnixNanos(100 * kMinute)), 1u);
  EXPECT_TRUE(f.kernel->open_orders().empty());
}

TEST(Kernel, FillsOfOrdersItDoesNotKnowStillReachTheBook) {
  Fixture f;
  model::OrderFilled e;
  e.client_order_id = core::ClientOrderId("EMERGENCY-1");
  e.account_id = core::AccountId("ACC");
  e.instrument_id = f.instrument.id();
  e.fill.trade_id = core::TradeId("T-1");
  e.fill.client_order_id = e.client_order_id;
  e.fill.venue_order_id = core::VenueOrderId("V-1");
  e.fill.instrument_id = f.instrument.id();
  e.fill.account_id = core::AccountId("ACC");
  e.fill.side = OrderSide::Sell;
  e.fill.last_qty = qty("0.02");
  e.fill.last_px = px("50000");
  e.fill.commission = model::test::usdt("0.4");
  f.kernel->on_order_event(e);
  EXPECT_EQ(f.position(), dec("-0.02"));
}


TEST(Kernel, TheEmergencyStopHaltsCancelsAtTheVenueAndHoldsUntilReset) {
  Fixture f;
  const auto id = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Limit, "0.01", "40000")).value();
  f.next_bar(1, "50000");
  ASSERT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Accepted);
  const auto stopped = f.kernel->engage_emergency_stop(risk::EmergencyStopRequest{"ops", "drill", false});
  ASSERT_TRUE(stopped) << stopped.error().to_string();
  ASSERT_EQ(stopped->venues.size(), 1u);
  EXPECT_EQ(stopped->venues[0].venue.value(), "BINANCE");
  EXPECT_EQ(f.kernel->engine().trading_state(), risk::TradingState::Halted);
  f.next_bar(2, "50000");
  EXPECT_EQ(f.kernel->order(id)->status(), model::OrderStatus::Canceled);
  // A breaker or operator cannot lift a halt the kill switch holds.
  f.kernel->monitor().set_operator_trading_state(risk::TradingState::Active);
  EXPECT_EQ(f.kernel->engine().trading_state(), risk::TradingState::Halted);
  const auto blocked = f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01"));
  ASSERT_FALSE(blocked);
  EXPECT_EQ(f.kernel->last_denial().reason, risk::DenyReason::TradingHalted);
  ASSERT_TRUE(f.kernel->reset_emergency_stop("ops", "drill over"));
  EXPECT_EQ(f.kernel->engine().trading_state(), risk::TradingState::Active);
  EXPECT_TRUE(f.kernel->submit(f.order(OrderSide::Buy, OrderType::Market, "0.01")));
}

TEST(Kernel, ARestoredEmergencyStopHaltsWithoutCallingTheVenue) {
  Fixture f;
  risk::EmergencyStopState state;
  state.engaged = true;
  state.engaged_by = "ops";
  state.reason = "before restart";
  f.kernel->restore_emergency_stop(state);
  EXPECT_EQ(f.kernel->engine().trading_state(), risk::TradingState::Halted);
  EXPECT_TRUE(f.kernel->emergency_stop_state().engaged);
  EXPECT_EQ(f.exchange->pending_requests(), 0u);
}

TEST(Kernel, ClientOrderIdsCarryTheConfiguredPrefix) {
  KernelConfig kc;
  kc.account_id = core::AccountId("ACC");
  kc.order_id_prefix = "O7";
  kc.starting_balance = dec("100000");
  kc.risk.circuit_breakers.clear();
  const model::Instrument instrument = model::test::linear_perp();
  const model::Instrument* list[] = {&instrument};
  core::TestClock clock;
  runtime::MessageBus bus;
  auto kernel = Kernel::create(kc, list, clock, bus, nullptr).value();
  ASSERT_TRUE(kernel->on_bar(instrument.id(), bar(0, "50000")));
  model::OrderSpec spec;
  spec.strategy_id = core::StrategyId("TEST");
  spec.instrument_id = instrument.id();
  spec.quantity = qty("0.01");
  spec.type = OrderType::Limit;
  spec.price = px("40000");
  // No venue client: the order is recorded, then rejected for want of a venue — but it has its id.
  const auto id = kernel->submit(spec);
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_EQ(id->value(), "O7-1");
  ASSERT_NE(kernel->order(core::ClientOrderId("O7-1")), nullptr);
  EXPECT_EQ(kernel->order(core::ClientOrderId("O7-1"))->status(), model::OrderStatus::Rejected);
  kc.order_id_prefix.clear();
  EXPECT_FALSE(Kernel::create(kc, list, clock, bus, nullptr));
}

TEST(Kernel, ARestoredPositionIsInTheBookAndCanBeClosedReduceOnly) {
  Fixture f;
  ASSERT_TRUE(f.kernel->restore_position(f.instrument.id(), dec("0.05"), dec("48000")));
  f.kernel->restore_wallet_balance(dec("90000"));
  EXPECT_EQ(f.position(), dec("0.05"));
  EXPECT_EQ(f.kernel->book().slot(0).avg_entry, dec("48000"));
  EXPECT_EQ(f.kernel->book().wallet_balance(), dec("90000"));
  ASSERT_TRUE(f.exchange->restore_position(f.instrument.id(), dec("0.05")));
  auto close = f.order(OrderSide::Sell, OrderType::Market, "0.05");
  close.reduce_only = true;
  ASSERT_TRUE(f.kernel->submit(close));
  f.next_bar(1, "50000");
  EXPECT_TRUE(f.position().is_zero());
  EXPECT_EQ(f.kernel->restore_position(core::InstrumentId::parse("NOPE.BINANCE").value(), dec("1"), dec("1")).error().code(),
            core::ErrorCode::NotFound);
}

}  // namespace
}  // namespace ballast::system
