// HyperliquidExecutionClient with its WebSocket user stream (orderUpdates + userFills) against the mock
// exchange in trading mode, which pushes an orderUpdates message for every order change and a userFills
// message for every fill (mock_hyperliquid_server.hpp). Expected numbers are worked by hand in comments
// from the mock's stated rules (oids from 1000, tids from 500000, fills at the limit price for
// fill_open_order, taker fee 0.045 %).
#include "ballast/adapters/hyperliquid/execution_client.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "testkit/venues/mock_hyperliquid_server.hpp"

namespace hl = ballast::adapters::hyperliquid;
namespace core = ballast::core;
namespace model = ballast::model;
using ballast::testing::hyperliquid::MockHyperliquidServer;
using core::Decimal;

namespace {

constexpr std::string_view kKey = "0x0123456789012345678901234567890123456789012345678901234567890123";
constexpr std::string_view kMeta =
    R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":40},{"name":"ETH","szDecimals":4,"maxLeverage":25}]})";
const core::InstrumentId kBtc("BTC-PERP", core::VenueId("HYPERLIQUID"));

Decimal dec(std::string_view text) {
  return *Decimal::parse(text);
}

class RecordingSink final : public ballast::runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    cv_.notify_all();
  }
  void on_disconnected(const core::VenueId&, const core::Error&) override {
    std::lock_guard lock(mutex_);
    ++disconnects_;
    cv_.notify_all();
  }
  template <typename E>
  std::vector<E> of_type() const {
    std::lock_guard lock(mutex_);
    std::vector<E> out;
    for (const auto& e : events_) {
      if (const E* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }
  template <typename E>
  std::vector<E> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] {
      std::size_t n = 0;
      for (const auto& e : events_) n += std::holds_alternative<E>(e) ? 1 : 0;
      return n >= count;
    });
    lock.unlock();
    return of_type<E>();
  }
  int disconnects() const {
    std::lock_guard lock(mutex_);
    return disconnects_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<model::OrderEvent> events_;
  int disconnects_ = 0;
};

bool eventually(const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

model::SubmitOrder order(std::string id, model::OrderSide side, std::string_view qty, std::string_view px,
                         model::TimeInForce tif = model::TimeInForce::Gtc) {
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId(std::move(id));
  spec.strategy_id = core::StrategyId("S-1");
  spec.account_id = core::AccountId("HL-1");
  spec.instrument_id = kBtc;
  spec.side = side;
  spec.type = model::OrderType::Limit;
  spec.quantity = model::Quantity(dec(qty));
  spec.price = model::Price(dec(px));
  spec.time_in_force = tif;
  auto o = model::Order::create(spec);
  EXPECT_TRUE(o) << o.error().to_string();
  return model::SubmitOrder{std::move(*o), {}};
}

std::string cloid_of(std::string_view id) {
  return hl::Cloid::from_client_order_id(core::ClientOrderId(std::string(id))).to_wire();
}

class HyperliquidUserStreamTest : public ::testing::Test {
 protected:
  HyperliquidUserStreamTest()
      : signer_(std::move(*hl::Signer::from_hex(kKey))), server_(hl::Network::Testnet, signer_.address()) {
    server_.set_info_response("meta", std::string(kMeta));
    server_.enable_trading({"BTC", "ETH"});
    server_.set_mark("BTC", dec("30000"));
    hl::HyperliquidConfig c;
    c.network = hl::Network::Testnet;
    c.base_url = server_.base_url();
    c.http.timeout = std::chrono::milliseconds(5000);
    rest_ = std::make_unique<hl::HyperliquidRestClient>(c, &signer_);
    config_.account_id = core::AccountId("HL-1");
    config_.account_address = signer_.address();
    config_.poll_interval = std::chrono::milliseconds(100);
    hl::HyperliquidUserStreamConfig ws;
    ws.ws_url = server_.ws_url();
    ws.backoff.initial_backoff = std::chrono::milliseconds(20);
    ws.backoff.max_backoff = std::chrono::milliseconds(100);
    config_.user_stream = ws;
  }

  hl::HyperliquidExecutionClient& connect() {
    client_ = std::make_unique<hl::HyperliquidExecutionClient>(config_, *rest_, sink_, clock_);
    auto s = client_->connect();
    EXPECT_TRUE(s) << s.error().to_string();
    EXPECT_TRUE(subscribed(1));
    return *client_;
  }

  // Both user subscriptions arrived on WebSocket connection `connection`.
  bool subscribed(std::uint64_t connection) {
    const std::string user = hl::to_hex(signer_.address());
    return eventually([&] {
      bool orders = false;
      bool fills = false;
      for (const auto& s : server_.ws_subscriptions()) {
        if (s.connection != connection) continue;
        orders = orders || s.key == "orderUpdates:" + user;
        fills = fills || s.key == "userFills:" + user;
      }
      return orders && fills;
    });
  }

  std::size_t info_requests_of(std::string_view type) const {
    std::size_t n = 0;
    for (const auto& r : server_.info_requests()) n += r.find(fmt::format(R"("type":"{}")", type)) != std::string::npos;
    return n;
  }

  hl::Signer signer_;
  MockHyperliquidServer server_;
  std::unique_ptr<hl::HyperliquidRestClient> rest_;
  hl::HyperliquidExecutionConfig config_;
  RecordingSink sink_;
  core::LiveClock clock_;
  std::unique_ptr<hl::HyperliquidExecutionClient> client_;
};

TEST_F(HyperliquidUserStreamTest, AnOrderFilledAtTheVenueReachesTheSinkOnceFromThePush) {
  auto& client = connect();
  EXPECT_TRUE(client.stream_up());
  ASSERT_TRUE(client.submit_order(order("U-1", model::OrderSide::Buy, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  const std::size_t polls_before = info_requests_of("userFillsByTime");
  ASSERT_TRUE(server_.fill_open_order(cloid_of("U-1")));
  const auto fills = sink_.wait_for<model::OrderFilled>(1);
  ASSERT_EQ(fills.size(), 1U);
  const model::Fill& f = fills[0].fill;
  EXPECT_EQ(f.client_order_id.value(), "U-1");
  EXPECT_EQ(f.venue_order_id.value(), "1000");
  EXPECT_EQ(f.trade_id.value(), "500000");
  EXPECT_EQ(f.last_px.value(), dec("29000"));  // the limit price
  EXPECT_EQ(f.last_qty.value(), dec("0.01"));
  // 29000 × 0.01 = 290 USDC; × 0.045 % = 0.1305 USDC.
  EXPECT_EQ(f.commission.amount(), dec("0.1305"));
  // Five poll intervals later: still one fill, the order is finished, and the periodic poll stayed off
  // while the stream was up (no userFillsByTime request since the order rested).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(sink_.of_type<model::OrderFilled>().size(), 1U);
  EXPECT_EQ(client.tracked_orders(), 0U);
  EXPECT_EQ(info_requests_of("userFillsByTime"), polls_before);
  EXPECT_TRUE(sink_.of_type<model::OrderCanceled>().empty());
}

TEST_F(HyperliquidUserStreamTest, AFillWhileTheStreamWasDownIsReportedOnceAfterTheReconnect) {
  config_.poll_interval = std::chrono::hours(1);  // only the reconnect can find it
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("U-2", model::OrderSide::Buy, "0.02", "29500")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  server_.ws_refuse_connections(true);
  server_.ws_drop_all();
  ASSERT_TRUE(eventually([&] { return !client.stream_up(); }));
  ASSERT_TRUE(eventually([&] { return sink_.disconnects() == 1; }));
  ASSERT_TRUE(server_.fill_open_order(cloid_of("U-2")));  // nobody hears the push
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(sink_.of_type<model::OrderFilled>().empty());
  server_.ws_refuse_connections(false);
  ASSERT_TRUE(subscribed(2));
  const auto fills = sink_.wait_for<model::OrderFilled>(1);
  ASSERT_EQ(fills.size(), 1U);
  EXPECT_EQ(fills[0].fill.last_qty.value(), dec("0.02"));
  EXPECT_EQ(fills[0].fill.last_px.value(), dec("29500"));
  // Both the re-query and the isSnapshot history carry the fill: it is still reported once.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink_.of_type<model::OrderFilled>().size(), 1U);
  EXPECT_EQ(client.stream_connections(), 2U);
  EXPECT_EQ(sink_.disconnects(), 1);  // one lost connection, reported once despite the refused retries
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidUserStreamTest, TheSnapshotHistoryIsNotReportedAsNewFills) {
  // History before the client connects: a fill of an order placed elsewhere.
  server_.add_external_fill("BTC", true, dec("30000"), dec("0.5"));
  auto& client = connect();
  // An IOC that fills at once: reported once (from the order's answer).
  ASSERT_TRUE(client.submit_order(order("U-3", model::OrderSide::Buy, "0.01", "30100", model::TimeInForce::Ioc)));
  ASSERT_EQ(sink_.wait_for<model::OrderFilled>(1).size(), 1U);
  // A reconnect brings the whole history again, flagged isSnapshot: nothing in it is new.
  server_.ws_drop_all();
  ASSERT_TRUE(subscribed(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto fills = sink_.of_type<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 1U);
  EXPECT_EQ(fills[0].client_order_id.value(), "U-3");
  EXPECT_EQ(fills[0].fill.trade_id.value(), "500001");  // 500000 was the external fill
}

TEST_F(HyperliquidUserStreamTest, PollingTakesOverWhileTheStreamIsDown) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("U-4", model::OrderSide::Buy, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  server_.ws_refuse_connections(true);
  server_.ws_drop_all();
  ASSERT_TRUE(eventually([&] { return !client.stream_up(); }));
  ASSERT_TRUE(server_.fill_open_order(cloid_of("U-4")));
  // The 100 ms poll finds it with the stream still down.
  ASSERT_EQ(sink_.wait_for<model::OrderFilled>(1).size(), 1U);
  EXPECT_FALSE(client.stream_up());
  server_.ws_refuse_connections(false);
  ASSERT_TRUE(subscribed(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink_.of_type<model::OrderFilled>().size(), 1U);
}

TEST_F(HyperliquidUserStreamTest, AVenueSideCancelArrivesAsAPushedOrderUpdate) {
  config_.poll_interval = std::chrono::hours(1);  // not from polling
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("U-5", model::OrderSide::Buy, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  // Someone else cancels the order at the exchange (oid 1000, asset 0).
  hl::HyperliquidRestClient other(rest_->config(), &signer_);
  ASSERT_TRUE(other.exchange(hl::cancel_action({hl::CancelRequest{0, 1000}}), 1));
  const auto canceled = sink_.wait_for<model::OrderCanceled>(1);
  ASSERT_EQ(canceled.size(), 1U);
  EXPECT_EQ(canceled[0].client_order_id.value(), "U-5");
  ASSERT_TRUE(canceled[0].venue_order_id.has_value());
  EXPECT_EQ(canceled[0].venue_order_id->value(), "1000");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(sink_.of_type<model::OrderCanceled>().size(), 1U);
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidUserStreamTest, OwnCancelIsReportedOnceDespiteThePush) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("U-6", model::OrderSide::Buy, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("U-6");
  cancel.strategy_id = core::StrategyId("S-1");
  cancel.account_id = core::AccountId("HL-1");
  cancel.instrument_id = kBtc;
  ASSERT_TRUE(client.cancel_order(cancel));
  ASSERT_EQ(sink_.wait_for<model::OrderCanceled>(1).size(), 1U);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink_.of_type<model::OrderCanceled>().size(), 1U);
}

TEST_F(HyperliquidUserStreamTest, ConnectFailsWhenTheStreamCannotConnect) {
  server_.ws_refuse_connections(true);
  config_.user_stream->connect_timeout = std::chrono::milliseconds(500);
  hl::HyperliquidExecutionClient client(config_, *rest_, sink_, clock_);
  auto s = client.connect();
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().to_string().find("user stream"), std::string::npos) << s.error().to_string();
  EXPECT_FALSE(client.is_connected());
}

}  // namespace
