// BinanceExecutionClient with the user-data stream, against the mock exchange and its stream host: the
// listen key's life (create, keep-alive, expiry by event and by -1125), order changes pushed as
// ORDER_TRADE_UPDATE and reported exactly once even when REST or polling saw them too, polling only while
// the stream is down, the re-query after a reconnect, and ACCOUNT_UPDATE / MARGIN_CALL to the listener.
//
// Waits are bounded by eventually() (it only stops a broken build from hanging; nothing is timed). Where a
// test checks that something did NOT happen, it first waits for a later event on the same ordered path
// (the stream is one connection and the client applies it on one thread), so the check is not a race.

#include "ballast/adapters/binance_futures/execution_client.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "testkit/venues/binance_test_support.hpp"

namespace ballast::adapters::binance {
namespace {

using core::Decimal;
using testing::eventually;

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

class RecordingSink final : public runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  void on_disconnected(const core::VenueId& venue, const core::Error& reason) override {
    std::lock_guard lock(mutex_);
    disconnects_.push_back(venue.value() + ": " + reason.message());
  }
  template <class E>
  std::vector<E> of() const {
    std::lock_guard lock(mutex_);
    std::vector<E> out;
    for (const auto& e : events_) {
      if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }
  std::size_t disconnects() const {
    std::lock_guard lock(mutex_);
    return disconnects_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<model::OrderEvent> events_;
  std::vector<std::string> disconnects_;
};

const core::InstrumentId kBtc("BTCUSDT", core::VenueId("BINANCE"));

model::SubmitOrder order(const std::string& id, model::OrderType type, const char* qty,
                         std::optional<const char*> price) {
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId(id);
  spec.strategy_id = core::StrategyId("s-1");
  spec.account_id = core::AccountId("binance-main");
  spec.instrument_id = kBtc;
  spec.side = model::OrderSide::Buy;
  spec.type = type;
  spec.quantity = model::Quantity::parse(qty).value();
  if (price) spec.price = model::Price::parse(*price).value();
  spec.ts_init = core::UnixNanos::from_millis(1);
  return model::SubmitOrder{model::Order::create(spec).value(), spec.ts_init};
}

// A buy STOP_MARKET triggered at `trigger`.
model::SubmitOrder stop_market(const std::string& id, const char* qty, const char* trigger) {
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId(id);
  spec.strategy_id = core::StrategyId("s-1");
  spec.account_id = core::AccountId("binance-main");
  spec.instrument_id = kBtc;
  spec.side = model::OrderSide::Buy;
  spec.type = model::OrderType::StopMarket;
  spec.quantity = model::Quantity::parse(qty).value();
  spec.trigger_price = model::Price::parse(trigger).value();
  spec.ts_init = core::UnixNanos::from_millis(1);
  return model::SubmitOrder{model::Order::create(spec).value(), spec.ts_init};
}

struct StreamHarness {
  explicit StreamHarness(const std::function<void(BinanceExecutionConfig&)>& adjust = {}) {
    rest = std::make_unique<BinanceRestClient>(testing::mock_config(mock), clock);
    BinanceExecutionConfig e;
    e.account_id = core::AccountId("binance-main");
    e.symbols = {"BTCUSDT"};
    e.poll_interval = std::chrono::hours(1);  // no timed polls unless a test asks for them
    e.user_stream.url = mock.stream_url();
    e.user_stream.keepalive_interval = std::chrono::hours(1);
    e.user_stream.connect_timeout = std::chrono::milliseconds(3000);
    e.user_stream.initial_backoff = std::chrono::milliseconds(20);
    e.user_stream.max_backoff = std::chrono::milliseconds(100);
    if (adjust) adjust(e);
    client = std::make_unique<BinanceExecutionClient>(e, *rest, sink, clock);
    AccountStreamListener listener;
    listener.on_account_update = [this](const AccountUpdate& u) {
      std::lock_guard lock(mutex);
      accounts.push_back(u);
    };
    listener.on_margin_call = [this](const MarginCall& m) {
      std::lock_guard lock(mutex);
      margin_calls.push_back(m);
    };
    client->set_account_listener(listener);
  }
  std::size_t account_updates() const {
    std::lock_guard lock(mutex);
    return accounts.size();
  }
  model::CancelOrder cancel(const std::string& id) const {
    model::CancelOrder c;
    c.client_order_id = core::ClientOrderId(id);
    c.strategy_id = core::StrategyId("s-1");
    c.account_id = core::AccountId("binance-main");
    c.instrument_id = kBtc;
    return c;
  }

  testing::BinanceMock mock;
  core::LiveClock clock;
  RecordingSink sink;
  mutable std::mutex mutex;
  std::vector<AccountUpdate> accounts;
  std::vector<MarginCall> margin_calls;
  std::unique_ptr<BinanceRestClient> rest;
  std::unique_ptr<BinanceExecutionClient> client;
};

TEST(BinanceUserStream, ConnectCreatesAListenKeyAndOpensTheStreamOnIt) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  EXPECT_EQ(h.mock.request_count("POST", "/fapi/v1/listenKey"), 1u);
  EXPECT_EQ(h.client->listen_keys_created(), 1u);
  // The mock registers the connection on its own thread, just after the handshake the client saw.
  ASSERT_TRUE(eventually([&] { return h.mock.user_stream_connections() == 1; }));
  EXPECT_EQ(h.mock.user_stream_paths(), std::vector<std::string>{"/ws/" + h.mock.listen_key()});
  h.client->disconnect();
  EXPECT_EQ(h.mock.request_count("DELETE", "/fapi/v1/listenKey"), 1u);  // the key is closed
  EXPECT_FALSE(h.client->user_stream_connected());
}

TEST(BinanceUserStream, ConnectFailsWithAClearErrorWhenTheStreamHostRefuses) {
  StreamHarness h([](BinanceExecutionConfig& e) { e.user_stream.connect_timeout = std::chrono::milliseconds(300); });
  h.mock.refuse_user_streams(true);
  auto status = h.client->connect();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().where(), "user_stream.url");
  EXPECT_NE(status.error().message().find("did not connect"), std::string::npos) << status.error().message();
  EXPECT_FALSE(h.client->is_connected());
}

TEST(BinanceUserStream, AFillArrivesThroughTheStreamOnceEvenWhenPollingSeesItToo) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(order("c-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));

  ASSERT_TRUE(h.mock.fill_order("c-1", "0.004", "29000", true));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));
  // Polling is off (1 h) and the order was never queried: this fill came through the stream.
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/order"), 0u);
  const model::Fill fill = h.sink.of<model::OrderFilled>()[0].fill;
  EXPECT_EQ(fill.client_order_id.value(), "c-1");
  EXPECT_EQ(fill.instrument_id, kBtc);
  EXPECT_EQ(fill.last_qty.value(), d("0.004"));
  EXPECT_EQ(fill.last_px.value(), d("29000"));
  EXPECT_EQ(fill.liquidity_side, model::LiquiditySide::Maker);
  // Mock maker fee 0.02 %: 0.004 × 29000 × 0.0002 = 0.0232 USDT.
  EXPECT_EQ(fill.commission.amount(), d("0.0232"));
  EXPECT_EQ(fill.venue_order_id.value(), std::to_string(h.mock.order("c-1")->order_id));

  // A poll now sees executedQty 0.004 — the same change — and must not report it again.
  h.client->request_poll();
  ASSERT_TRUE(eventually([&] { return h.mock.request_count("GET", "/fapi/v1/order") >= 1; }));
  ASSERT_TRUE(h.mock.fill_order("c-1", "0.006", "29000", false));
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));  // FILLED
  const auto fills = h.sink.of<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_NE(fills[0].fill.trade_id, fills[1].fill.trade_id);
  EXPECT_EQ(fills[1].fill.last_qty.value(), d("0.006"));
  EXPECT_EQ(h.sink.of<model::OrderAccepted>().size(), 1u);  // the stream's NEW did not accept it twice

  // Each fill was followed by ACCOUNT_UPDATE with the position: 0.004, then 0.004 + 0.006 = 0.01.
  ASSERT_TRUE(eventually([&] { return h.account_updates() == 2; }));
  std::lock_guard lock(h.mutex);
  EXPECT_EQ(h.accounts[0].reason, "ORDER");
  ASSERT_EQ(h.accounts[1].positions.size(), 1u);
  EXPECT_EQ(h.accounts[0].positions.at(0).amount, d("0.004"));
  EXPECT_EQ(h.accounts[1].positions[0].amount, d("0.01"));
  EXPECT_EQ(h.accounts[1].positions[0].entry_price, d("29000"));
}

TEST(BinanceUserStream, AMarketOrderFilledInTheRestAnswerIsNotReportedAgainByTheStream) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(order("m-1", model::OrderType::Market, "0.010", std::nullopt)));
  // The REST answer (FILLED) reports the fill from userTrades; the stream's NEW, TRADE and ACCOUNT_UPDATE
  // are applied after it. The ACCOUNT_UPDATE comes last on the connection, so once the listener has it
  // the TRADE message has been handled too.
  ASSERT_TRUE(eventually([&] { return h.account_updates() == 1; }));
  EXPECT_EQ(h.sink.of<model::OrderAccepted>().size(), 1u);
  ASSERT_EQ(h.sink.of<model::OrderFilled>().size(), 1u);
  EXPECT_EQ(h.sink.of<model::OrderFilled>()[0].fill.last_px.value(), d("30000"));  // the mock's mark price
  EXPECT_EQ(h.client->tracked_orders(), 0u);
}

TEST(BinanceUserStream, AnOrderWhoseAcknowledgementWasLostIsAcceptedOnce) {
  StreamHarness h;
  h.client.reset();  // rebuilt below over a REST client with a short timeout
  BinanceRestConfig c = testing::mock_config(h.mock);
  c.timeout = std::chrono::milliseconds(300);  // the held answer times out quickly
  h.rest = std::make_unique<BinanceRestClient>(c, h.clock);
  BinanceExecutionConfig e;
  e.account_id = core::AccountId("binance-main");
  e.symbols = {"BTCUSDT"};
  e.poll_interval = std::chrono::hours(1);
  e.user_stream.url = h.mock.stream_url();
  h.client = std::make_unique<BinanceExecutionClient>(e, *h.rest, h.sink, h.clock);
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  h.mock.drop_next_order_ack();
  ASSERT_TRUE(h.client->submit_order(order("c-lost", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  // The stream's NEW arrived while the placement waited; the lookup by client order id accepted the order
  // first and the NEW was then dropped. A fill afterwards proves the stream was applied past that point.
  ASSERT_TRUE(h.mock.fill_order("c-lost", "0.010", "29000", true));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));
  EXPECT_EQ(h.sink.of<model::OrderAccepted>().size(), 1u);
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].venue_order_id.value(),
            std::to_string(h.mock.order("c-lost")->order_id));
  EXPECT_EQ(h.mock.order_count(), 1u);
  EXPECT_TRUE(h.sink.of<model::OrderRejected>().empty());
}

TEST(BinanceUserStream, ReportsModifyCancelAndVenueSideExpiryOnceEach) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(order("a-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(h.client->submit_order(order("b-1", model::OrderType::Limit, "0.010", "28000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));

  model::ModifyOrder modify;
  modify.client_order_id = core::ClientOrderId("a-1");
  modify.strategy_id = core::StrategyId("s-1");
  modify.account_id = core::AccountId("binance-main");
  modify.instrument_id = kBtc;
  modify.price = model::Price::parse("29100").value();
  ASSERT_TRUE(h.client->modify_order(modify));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderUpdated>().size() == 1; }));
  ASSERT_TRUE(h.client->cancel_order(h.cancel("b-1")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderCanceled>().size() == 1; }));

  // Venue-side: only the stream tells (polling is off).
  ASSERT_TRUE(h.mock.expire_order("a-1"));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderExpired>().size() == 1; }));
  // The AMENDMENT and CANCELED messages came before EXPIRED on the stream: they were applied and dropped.
  EXPECT_EQ(h.sink.of<model::OrderUpdated>().size(), 1u);
  EXPECT_EQ(h.sink.of<model::OrderUpdated>()[0].price, model::Price::parse("29100").value());
  EXPECT_EQ(h.sink.of<model::OrderCanceled>().size(), 1u);
  EXPECT_EQ(h.sink.of<model::OrderCanceled>()[0].client_order_id.value(), "b-1");
  EXPECT_EQ(h.sink.of<model::OrderExpired>()[0].client_order_id.value(), "a-1");
  EXPECT_EQ(h.client->tracked_orders(), 0u);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/order"), 0u);
}

// A client that did not place the orders (a restart: the kernel adopted them at reconciliation) still
// reports their fills and their end, under the venue's client order id and order id.
TEST(BinanceUserStream, FillsAndEndsOfOrdersAnotherSessionPlacedAreReportedUnderTheVenuesIds) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(order("old-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(h.client->submit_order(order("old-2", model::OrderType::Limit, "0.010", "28000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));
  const std::int64_t venue_id_1 = h.mock.order("old-1")->order_id;
  const std::int64_t venue_id_2 = h.mock.order("old-2")->order_id;
  h.client->disconnect();

  RecordingSink sink;
  BinanceExecutionConfig e;
  e.account_id = core::AccountId("binance-main");
  e.symbols = {"BTCUSDT"};
  e.poll_interval = std::chrono::hours(1);
  e.user_stream.url = h.mock.stream_url();
  e.user_stream.keepalive_interval = std::chrono::hours(1);
  BinanceExecutionClient restarted(e, *h.rest, sink, h.clock);
  ASSERT_TRUE(restarted.connect());
  ASSERT_TRUE(eventually([&] { return restarted.user_stream_connected(); }));
  EXPECT_EQ(restarted.tracked_orders(), 0u);

  ASSERT_TRUE(h.mock.fill_order("old-1", "0.004", "29000", true));
  ASSERT_TRUE(eventually([&] { return sink.of<model::OrderFilled>().size() == 1; }));
  const model::OrderFilled filled = sink.of<model::OrderFilled>()[0];
  EXPECT_EQ(filled.client_order_id.value(), "old-1");
  EXPECT_EQ(filled.instrument_id, kBtc);
  EXPECT_EQ(filled.fill.venue_order_id.value(), std::to_string(venue_id_1));
  EXPECT_EQ(filled.fill.last_qty.value(), d("0.004"));
  EXPECT_EQ(filled.fill.last_px.value(), d("29000"));
  EXPECT_EQ(filled.fill.side, model::OrderSide::Buy);

  ASSERT_TRUE(h.mock.expire_order("old-2"));
  ASSERT_TRUE(eventually([&] { return sink.of<model::OrderExpired>().size() == 1; }));
  EXPECT_EQ(sink.of<model::OrderExpired>()[0].client_order_id.value(), "old-2");
  EXPECT_EQ(sink.of<model::OrderExpired>()[0].venue_order_id->value(), std::to_string(venue_id_2));
  EXPECT_TRUE(sink.of<model::OrderAccepted>().empty());  // placement is reconciliation's business
  restarted.disconnect();
}

TEST(BinanceUserStream, ADroppedStreamReconnectsAndAFillMadeWhileItWasDownIsReportedOnce) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(order("c-gap", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));

  h.mock.refuse_user_streams(true);
  h.mock.drop_user_streams();
  ASSERT_TRUE(eventually([&] { return !h.client->user_stream_connected() && h.sink.disconnects() == 1; }));
  ASSERT_TRUE(h.mock.fill_order("c-gap", "0.004", "29000", true));  // no stream to push it on
  EXPECT_EQ(h.mock.user_stream_connections(), 0u);

  h.mock.refuse_user_streams(false);
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  // The re-query after the reconnect finds the fill.
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));
  EXPECT_GE(h.mock.request_count("GET", "/fapi/v1/order"), 1u);
  EXPECT_EQ(h.sink.of<model::OrderFilled>()[0].fill.last_qty.value(), d("0.004"));
  ASSERT_TRUE(eventually([&] { return h.mock.user_stream_paths().size() == 2; }));
  EXPECT_EQ(h.sink.disconnects(), 1u);  // one drop, however many refused attempts

  // The rest arrives through the new connection; the gap's fill is not repeated.
  ASSERT_TRUE(h.mock.fill_order("c-gap", "0.006", "29000", true));
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));
  ASSERT_EQ(h.sink.of<model::OrderFilled>().size(), 2u);
  EXPECT_EQ(h.sink.of<model::OrderFilled>()[1].fill.last_qty.value(), d("0.006"));
}

TEST(BinanceUserStream, PollsOnlyWhileTheStreamIsDown) {
  StreamHarness h([](BinanceExecutionConfig& e) {
    e.poll_interval = std::chrono::milliseconds(50);
    e.user_stream.keepalive_interval = std::chrono::milliseconds(100);
  });
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(order("c-p", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  // Three keep-alives span at least four poll intervals: no order was polled meanwhile.
  ASSERT_TRUE(eventually([&] { return h.mock.request_count("PUT", "/fapi/v1/listenKey") >= 3; }));
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/order"), 0u);

  h.mock.refuse_user_streams(true);
  h.mock.drop_user_streams();
  ASSERT_TRUE(eventually([&] { return h.mock.request_count("GET", "/fapi/v1/order") >= 2; }));  // polling
  ASSERT_TRUE(h.mock.fill_order("c-p", "0.010", "29000", false));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));  // found by polling
  EXPECT_FALSE(h.client->user_stream_connected());
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));

  h.mock.refuse_user_streams(false);
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  // A second order's fill now comes through the stream; the first fill was not repeated.
  ASSERT_TRUE(h.client->submit_order(order("c-q", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));
  ASSERT_TRUE(h.mock.fill_order("c-q", "0.010", "29000", false));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 2; }));
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));
  const auto fills = h.sink.of<model::OrderFilled>();
  EXPECT_EQ(fills[0].client_order_id.value(), "c-p");
  EXPECT_EQ(fills[1].client_order_id.value(), "c-q");
}

// A conditional order lives in the Algo Service; once triggered it trades through a matching-engine order
// with its own id (the mock gives it a client order id of its own, "trig-<algoId>"). Its fill must reach
// the conditional order exactly once, and ALGO_UPDATE FINISHED ends it without a cancel.
TEST(BinanceUserStream, ATriggeredStopOrderIsFollowedToItsFillThroughTheOrderItPlaced) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(stop_market("sl-1", "0.010", "31000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].venue_order_id.value(),
            "algo-" + std::to_string(h.mock.order("sl-1")->order_id));

  ASSERT_TRUE(h.mock.trigger_algo_order("sl-1", "31005.5"));
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));  // FINISHED
  const auto fills = h.sink.of<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 1u);
  const model::Fill& fill = fills[0].fill;
  EXPECT_EQ(fill.client_order_id.value(), "sl-1");
  EXPECT_EQ(fill.last_qty.value(), d("0.01"));
  EXPECT_EQ(fill.last_px.value(), d("31005.5"));
  // Mock taker fee 0.04 %: 0.01 × 31005.5 × 0.0004 = 0.124022 USDT.
  EXPECT_EQ(fill.commission.amount(), d("0.124022"));
  // The trade belongs to the order the trigger placed in the matching engine.
  ASSERT_NE(h.mock.order("sl-1")->actual_order_id, 0);
  EXPECT_EQ(fill.venue_order_id.value(), std::to_string(h.mock.order("sl-1")->actual_order_id));
  EXPECT_TRUE(h.sink.of<model::OrderCanceled>().empty());
  // Everything came through the stream: no order query, no userTrades.
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/userTrades"), 0u);
}

TEST(BinanceUserStream, ATriggeredStopOrderWhoseAlgoUpdatesWereMissedIsCompletedByPolling) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  ASSERT_TRUE(h.client->submit_order(stop_market("sl-2", "0.010", "31000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  // No ALGO_UPDATE: the trade message of "trig-…" cannot be tied to sl-2 and is dropped; the poll sees the
  // algo order FINISHED with its actualOrderId and reads the fill from userTrades.
  ASSERT_TRUE(h.mock.trigger_algo_order("sl-2", "31010", false));
  ASSERT_TRUE(eventually([&] { return h.account_updates() == 1; }));  // the stream's messages were handled
  EXPECT_TRUE(h.sink.of<model::OrderFilled>().empty());
  h.client->request_poll();
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));
  const auto fills = h.sink.of<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].fill.client_order_id.value(), "sl-2");
  EXPECT_EQ(fills[0].fill.last_px.value(), d("31010"));
  EXPECT_GE(h.mock.request_count("GET", "/fapi/v1/userTrades"), 1u);
  EXPECT_TRUE(h.sink.of<model::OrderCanceled>().empty());
}

TEST(BinanceUserStream, ListenKeyExpiryLeadsToANewKeyAndANewConnection) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  const std::string first_key = h.mock.listen_key();

  h.mock.expire_listen_key();  // listenKeyExpired on the stream
  ASSERT_TRUE(eventually([&] {
    const auto paths = h.mock.user_stream_paths();
    return h.client->listen_keys_created() == 2 && h.client->user_stream_connected() && paths.size() == 2;
  }));
  const std::string second_key = h.mock.listen_key();
  EXPECT_NE(second_key, first_key);
  EXPECT_EQ(h.mock.user_stream_paths().back(), "/ws/" + second_key);
  EXPECT_EQ(h.mock.request_count("POST", "/fapi/v1/listenKey"), 2u);

  // Order updates flow on the new connection.
  ASSERT_TRUE(h.client->submit_order(order("c-k", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  ASSERT_TRUE(h.mock.fill_order("c-k", "0.010", "29000", true));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/order"), 0u);
}

TEST(BinanceUserStream, AKeepAliveAnsweredMinus1125LeadsToANewKey) {
  StreamHarness h([](BinanceExecutionConfig& e) { e.user_stream.keepalive_interval = std::chrono::milliseconds(100); });
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  const std::string first_key = h.mock.listen_key();
  h.mock.expire_listen_key(false);  // silently: only the keep-alive can tell
  ASSERT_TRUE(eventually([&] {
    return h.client->listen_keys_created() == 2 && h.client->user_stream_connected() &&
           h.mock.user_stream_paths().size() == 2;
  }));
  EXPECT_NE(h.mock.listen_key(), first_key);
  EXPECT_EQ(h.mock.user_stream_paths().back(), "/ws/" + h.mock.listen_key());
}

TEST(BinanceUserStream, SendsKeepAlivesWhileConnected) {
  StreamHarness h([](BinanceExecutionConfig& e) { e.user_stream.keepalive_interval = std::chrono::milliseconds(100); });
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.mock.request_count("PUT", "/fapi/v1/listenKey") >= 3; }));
  EXPECT_EQ(h.client->listen_keys_created(), 1u);  // every keep-alive succeeded
  EXPECT_EQ(h.mock.last_header("/fapi/v1/listenKey", "X-MBX-APIKEY"), std::string(testing::kMockApiKey));
  EXPECT_EQ(h.mock.last_target("/fapi/v1/listenKey"), "/fapi/v1/listenKey");  // no signature
}

TEST(BinanceUserStream, AMarginCallReachesTheListener) {
  StreamHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(eventually([&] { return h.client->user_stream_connected(); }));
  h.mock.set_position("BTCUSDT", "0.5", "30000", "15000");
  h.mock.push_margin_call("BTCUSDT", "29000", "150");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(h.mutex);
    return h.margin_calls.size() == 1;
  }));
  std::lock_guard lock(h.mutex);
  const MarginCall& call = h.margin_calls[0];
  ASSERT_TRUE(call.cross_wallet_balance);
  EXPECT_EQ(*call.cross_wallet_balance, d("10000"));
  ASSERT_EQ(call.positions.size(), 1u);
  EXPECT_EQ(call.positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(call.positions[0].amount, d("0.5"));
  EXPECT_EQ(call.positions[0].margin_type, model::MarginMode::Cross);
  EXPECT_EQ(call.positions[0].mark_price, d("29000"));
  // 0.5 × (29000 − 30000) = −500.
  EXPECT_EQ(call.positions[0].unrealized_pnl, d("-500"));
  EXPECT_EQ(call.positions[0].maintenance_margin, d("150"));
}

}  // namespace
}  // namespace ballast::adapters::binance
