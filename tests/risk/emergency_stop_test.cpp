#include "ballast/risk/emergency_stop.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "model/test_support.hpp"
#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

using model::test::dec;
using model::test::px;
using model::test::qty;
using namespace std::chrono_literals;

// A venue that records every command; queries and commands can be made to fail.
class FakeVenue final : public runtime::ExecutionClient {
 public:
  explicit FakeVenue(std::string venue) : venue_(std::move(venue)) {}

  const core::VenueId& venue() const override { return venue_; }
  const core::AccountId& account_id() const override { return account_; }
  core::Status connect() override { return core::ok(); }
  void disconnect() override {}
  bool is_connected() const override { return true; }
  core::Status submit_order(const model::SubmitOrder& command) override {
    if (fail_commands) return core::Error(core::ErrorCode::IoError, "venue unreachable");
    submits.push_back(command);
    return core::ok();
  }
  core::Status cancel_order(const model::CancelOrder& command) override {
    if (fail_commands) return core::Error(core::ErrorCode::IoError, "venue unreachable");
    cancels.push_back(command);
    return core::ok();
  }
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override {
    cancel_alls.push_back(command);
    if (fail_commands) return core::Error(core::ErrorCode::IoError, "venue unreachable");
    return core::ok();
  }
  core::Status modify_order(const model::ModifyOrder&) override { return core::ok(); }
  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>&) override {
    ++queries;
    if (fail_queries) return core::Error(core::ErrorCode::IoError, "timeout");
    return open_orders;
  }
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override {
    ++queries;
    if (fail_queries) return core::Error(core::ErrorCode::IoError, "timeout");
    return positions;
  }
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos) override {
    return std::vector<model::Fill>{};
  }

  void add_open_order(const core::InstrumentId& instrument, std::string client_id, std::string venue_id) {
    runtime::OrderStatusReport r;
    r.client_order_id = core::ClientOrderId(std::move(client_id));
    r.venue_order_id = core::VenueOrderId(std::move(venue_id));
    r.account_id = account_;
    r.instrument_id = instrument;
    r.quantity = qty("1");
    r.price = px("100");
    open_orders.push_back(r);
  }
  void add_position(const core::InstrumentId& instrument, std::string_view quantity) {
    runtime::PositionStatusReport r;
    r.account_id = account_;
    r.instrument_id = instrument;
    r.quantity = dec(quantity);
    r.avg_px_open = px("100");
    positions.push_back(r);
  }
  std::size_t calls() const { return queries + submits.size() + cancels.size() + cancel_alls.size(); }

  bool fail_queries = false;
  bool fail_commands = false;
  std::vector<runtime::OrderStatusReport> open_orders;
  std::vector<runtime::PositionStatusReport> positions;
  std::vector<model::SubmitOrder> submits;
  std::vector<model::CancelOrder> cancels;
  std::vector<model::CancelAllOrders> cancel_alls;
  std::size_t queries = 0;

 private:
  core::VenueId venue_;
  core::AccountId account_{"ACC-1"};
};

class EmergencyStopTest : public ::testing::Test {
 protected:
  EmergencyStopTest() {
    instruments_ = {&btc_, &eth_, &hl_};
    book_.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), instruments_, dec("100000")).value());
    engine_.emplace(RiskEngine::create(RiskConfig{}, *book_, clock_.now()).value());
    stop_.emplace(*engine_, std::vector<runtime::ExecutionClient*>{&binance_, &hyperliquid_}, bus_, clock_, &*book_);
    bus_.subscribe<EmergencyStopped>(EmergencyStopped::kTopic, [this](const EmergencyStopped& e) { stopped_.push_back(e); });
    bus_.subscribe<EmergencyStopReset>(EmergencyStopReset::kTopic,
                                       [this](const EmergencyStopReset& e) { resets_.push_back(e); });
  }
  model::OrderAccepted accepted(const core::InstrumentId& instrument, std::string client_id, std::string venue_id) {
    model::OrderAccepted e;
    e.client_order_id = core::ClientOrderId(std::move(client_id));
    e.strategy_id = core::StrategyId("S-1");
    e.account_id = core::AccountId("ACC-1");
    e.instrument_id = instrument;
    e.venue_order_id = core::VenueOrderId(std::move(venue_id));
    e.ts_event = clock_.now();
    return e;
  }

  model::Instrument btc_ = model::test::linear_perp();  // BTCUSDT-PERP.BINANCE
  model::Instrument eth_ = portfolio::test::alt_perp("ETHUSDT-PERP.BINANCE");
  model::Instrument hl_ = portfolio::test::alt_perp("BTC-PERP.HYPERLIQUID");
  std::vector<const model::Instrument*> instruments_;
  core::TestClock clock_{core::UnixNanos::from_seconds(1'704'067'200)};
  runtime::MessageBus bus_;
  FakeVenue binance_{"BINANCE"};
  FakeVenue hyperliquid_{"HYPERLIQUID"};
  std::optional<portfolio::PortfolioBook> book_;
  std::optional<RiskEngine> engine_;
  std::optional<EmergencyStop> stop_;
  std::vector<EmergencyStopped> stopped_;
  std::vector<EmergencyStopReset> resets_;
};

TEST_F(EmergencyStopTest, CancelsEveryOpenOrderOnEveryVenueAndAFailingVenueDoesNotStopTheOthers) {
  binance_.add_open_order(btc_.id(), "O-1", "V-1");
  binance_.add_open_order(eth_.id(), "O-2", "V-2");
  hyperliquid_.fail_queries = true;
  hyperliquid_.fail_commands = true;
  const auto event = stop_->engage({"alice", "exchange outage", false});
  ASSERT_TRUE(event);
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  ASSERT_EQ(event->venues.size(), 2u);
  const VenueStopReport& b = event->venues[0];
  EXPECT_EQ(b.venue, core::VenueId("BINANCE"));
  EXPECT_EQ(b.open_orders_found, 2);
  EXPECT_EQ(b.cancels_requested, 2);
  EXPECT_TRUE(b.ok());
  ASSERT_EQ(binance_.cancels.size(), 2u);
  EXPECT_EQ(binance_.cancels[0].venue_order_id, core::VenueOrderId("V-1"));
  EXPECT_EQ(binance_.cancels[1].client_order_id, core::ClientOrderId("O-2"));
  const VenueStopReport& h = event->venues[1];
  EXPECT_EQ(h.open_orders_found, -1);     // the query failed…
  ASSERT_EQ(hyperliquid_.cancel_alls.size(), 1u);  // …so an account-wide cancel-all was tried
  EXPECT_FALSE(hyperliquid_.cancel_alls[0].instrument_id);
  EXPECT_EQ(h.cancels_requested, 0);
  ASSERT_EQ(h.errors.size(), 2u);  // query_open_orders and cancel_all_orders
  EXPECT_NE(h.errors[0].find("query_open_orders"), std::string::npos);
  ASSERT_EQ(stopped_.size(), 1u);
  EXPECT_EQ(stopped_[0].engaged_by, "alice");
  EXPECT_TRUE(binance_.submits.empty());  // no flatten asked
}

TEST_F(EmergencyStopTest, FlattensEveryPositionWithReduceOnlyMarketOrdersFromTheVenueOrTheBook) {
  binance_.add_position(btc_.id(), "0.5");
  binance_.add_position(eth_.id(), "-2");
  hyperliquid_.fail_queries = true;  // positions come from the book instead
  ASSERT_TRUE(book_->set_position(*book_->find(hl_.id()), dec("0.3"), dec("30000")));
  const auto event = stop_->engage({"alice", "flatten everything", true});
  ASSERT_TRUE(event);
  ASSERT_EQ(binance_.submits.size(), 2u);
  const model::Order& btc_close = binance_.submits[0].order;
  EXPECT_EQ(btc_close.instrument_id(), btc_.id());
  EXPECT_EQ(btc_close.side(), model::OrderSide::Sell);
  EXPECT_EQ(btc_close.quantity(), qty("0.5"));
  EXPECT_EQ(btc_close.type(), model::OrderType::Market);
  EXPECT_TRUE(btc_close.is_reduce_only());
  EXPECT_EQ(binance_.submits[1].order.side(), model::OrderSide::Buy);  // buys back the short
  EXPECT_EQ(binance_.submits[1].order.quantity(), qty("2"));
  EXPECT_EQ(event->venues[0].positions_found, 2);
  EXPECT_EQ(event->venues[0].close_orders_submitted, 2);
  ASSERT_EQ(hyperliquid_.submits.size(), 1u);
  EXPECT_EQ(hyperliquid_.submits[0].order.instrument_id(), hl_.id());
  EXPECT_EQ(hyperliquid_.submits[0].order.side(), model::OrderSide::Sell);
  EXPECT_EQ(hyperliquid_.submits[0].order.quantity(), qty("0.3"));
  EXPECT_EQ(event->venues[1].close_orders.size(), 1u);
}

TEST_F(EmergencyStopTest, ASecondCallWhileEngagedReissuesCancelsAndSaysItWasAlreadyEngaged) {
  binance_.add_open_order(btc_.id(), "O-1", "V-1");
  const core::UnixNanos first = clock_.now();
  ASSERT_TRUE(stop_->engage({"alice", "outage", false}));
  clock_.advance(5s);
  const auto again = stop_->engage({"bob", "still bad", false});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_engaged);
  EXPECT_EQ(again->engaged_since, first);
  EXPECT_EQ(again->engaged_by, "alice");
  EXPECT_EQ(binance_.cancels.size(), 2u);
  EXPECT_EQ(stop_->state().since, first);
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
}

TEST_F(EmergencyStopTest, CancelsOrdersTheVenuesAcceptAfterItEngaged) {
  stop_->on_order_event(accepted(btc_.id(), "O-8", "V-8"));  // before: nothing to do
  EXPECT_TRUE(binance_.cancels.empty());
  binance_.add_position(btc_.id(), "1");
  ASSERT_TRUE(stop_->engage({"alice", "outage", true}));
  ASSERT_EQ(binance_.submits.size(), 1u);
  const core::ClientOrderId own = binance_.submits[0].order.client_order_id();

  stop_->on_order_event(accepted(btc_.id(), "O-9", "V-9"));  // was in flight when the switch was thrown
  ASSERT_EQ(binance_.cancels.size(), 1u);
  EXPECT_EQ(binance_.cancels[0].client_order_id, core::ClientOrderId("O-9"));
  EXPECT_EQ(binance_.cancels[0].venue_order_id, core::VenueOrderId("V-9"));
  stop_->on_order_event(accepted(btc_.id(), "O-9", "V-9"));  // a repeated acknowledgment: once is enough
  stop_->on_order_event(accepted(btc_.id(), own.value(), "V-10"));  // its own close order keeps working
  EXPECT_EQ(binance_.cancels.size(), 1u);
  stop_->on_order_event(accepted(hl_.id(), "O-11", "H-11"));  // routed to the venue of the instrument
  ASSERT_EQ(hyperliquid_.cancels.size(), 1u);
  EXPECT_EQ(stop_->late_cancels(), 2);
}

TEST_F(EmergencyStopTest, HoldsHaltedUntilANamedOperatorResetsIt) {
  engine_->set_trading_state(TradingState::Reducing);
  ASSERT_TRUE(stop_->engage({"alice", "outage", false}));
  const auto anonymous = stop_->reset("", "done");
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code(), core::ErrorCode::InvalidArgument);
  const auto no_reason = stop_->reset("carol", "");
  ASSERT_FALSE(no_reason);
  EXPECT_TRUE(stop_->engaged());
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);

  ASSERT_TRUE(stop_->reset("carol", "venue recovered"));
  EXPECT_FALSE(stop_->engaged());
  EXPECT_EQ(engine_->trading_state(), TradingState::Reducing);  // the state before the stop
  ASSERT_EQ(resets_.size(), 1u);
  EXPECT_EQ(resets_[0].reset_by, "carol");
  EXPECT_EQ(resets_[0].trading_state, TradingState::Reducing);
  const auto twice = stop_->reset("carol", "again");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), core::ErrorCode::InvalidState);
}

TEST_F(EmergencyStopTest, RefusesToEngageWithoutAnOperatorAndAReason) {
  const auto r = stop_->engage({"", "why", false});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_FALSE(stop_->engaged());
  EXPECT_EQ(engine_->trading_state(), TradingState::Active);
  EXPECT_EQ(binance_.calls(), 0u);
}

TEST_F(EmergencyStopTest, RestoresAPersistedEngagementWithoutCallingAnyVenue) {
  const EmergencyStopState persisted{true, core::UnixNanos::from_seconds(1'700'000'000), "alice", "outage", true,
                                     TradingState::Active};
  stop_->restore(persisted);
  EXPECT_EQ(stop_->state(), persisted);
  EXPECT_EQ(engine_->trading_state(), TradingState::Halted);
  EXPECT_EQ(binance_.calls() + hyperliquid_.calls(), 0u);
  stop_->on_order_event(accepted(btc_.id(), "O-1", "V-1"));  // and it cancels late orders after a restart
  EXPECT_EQ(binance_.cancels.size(), 1u);
}

}  // namespace
}  // namespace ballast::risk
