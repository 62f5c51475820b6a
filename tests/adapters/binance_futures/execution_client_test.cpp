// BinanceExecutionClient against the mock exchange: commands become venue requests on the client's I/O
// thread and come back as order events; fills and venue-side ends are found by polling (the user-data
// stream is switched off here; user_stream_test.cpp runs the same client with it); a lost
// acknowledgement is resolved by client order id; reconciliation queries map the venue's records.

#include "ballast/adapters/binance_futures/execution_client.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "testkit/venues/binance_test_support.hpp"

namespace ballast::adapters::binance {
namespace {

using core::Decimal;
using testing::eventually;
using testing::mock_config;

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

class RecordingSink final : public runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  void on_disconnected(const core::VenueId&, const core::Error&) override {}
  std::vector<model::OrderEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  template <class E>
  std::vector<E> of() const {
    std::vector<E> out;
    for (const auto& e : events()) {
      if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<model::OrderEvent> events_;
};

const core::InstrumentId kBtc("BTCUSDT", core::VenueId("BINANCE"));

model::SubmitOrder order(const std::string& id, model::OrderType type, const char* qty,
                         std::optional<const char*> price, std::optional<const char*> trigger = std::nullopt,
                         model::OrderSide side = model::OrderSide::Buy) {
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId(id);
  spec.strategy_id = core::StrategyId("s-1");
  spec.account_id = core::AccountId("binance-main");
  spec.instrument_id = kBtc;
  spec.side = side;
  spec.type = type;
  spec.quantity = model::Quantity::parse(qty).value();
  if (price) spec.price = model::Price::parse(*price).value();
  if (trigger) spec.trigger_price = model::Price::parse(*trigger).value();
  spec.ts_init = core::UnixNanos::from_millis(1);
  return model::SubmitOrder{model::Order::create(spec).value(), spec.ts_init};
}

// Wall time moved on by `shift` (the execution client's own clock; the REST client signs with the real one).
struct ShiftedClock final : core::Clock {
  core::UnixNanos now() const override { return live.now() + shift; }
  core::LiveClock live;
  core::Duration shift{};
};

struct ExecHarness {
  explicit ExecHarness(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                       const core::Clock* exec_clock = nullptr) {
    BinanceRestConfig c = mock_config(mock);
    c.timeout = timeout;
    rest = std::make_unique<BinanceRestClient>(c, clock);
    BinanceExecutionConfig e;
    e.account_id = core::AccountId("binance-main");
    e.symbols = {"BTCUSDT"};
    e.poll_interval = std::chrono::hours(1);  // polls only on request_poll(): the test decides when
    e.user_stream.enabled = false;            // the polling path (user_stream_test.cpp covers the stream)
    client = std::make_unique<BinanceExecutionClient>(e, *rest, sink, exec_clock != nullptr ? *exec_clock : clock);
  }
  testing::BinanceMock mock;
  core::LiveClock clock;
  RecordingSink sink;
  std::unique_ptr<BinanceRestClient> rest;
  std::unique_ptr<BinanceExecutionClient> client;
};

TEST(BinanceExecutionClient, RefusesCommandsLocallyBeforeConnect) {
  ExecHarness h;
  auto status = h.client->submit_order(order("c-1", model::OrderType::Limit, "0.010", "29000"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), core::ErrorCode::InvalidState);
  EXPECT_EQ(h.mock.request_count(), 0u);
}

TEST(BinanceExecutionClient, ConnectSyncsTimeLoadsRulesAndChecksTheKey) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  EXPECT_TRUE(h.client->is_connected());
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/time"), 1u);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/exchangeInfo"), 1u);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v2/account"), 1u);
  h.client->disconnect();
  EXPECT_FALSE(h.client->is_connected());
}

TEST(BinanceExecutionClient, AcceptsALimitOrderThenReportsItsFillFoundByPolling) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(order("c-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  const auto venue_order = h.mock.order("c-1");
  ASSERT_TRUE(venue_order);
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].venue_order_id.value(), std::to_string(venue_order->order_id));
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].strategy_id.value(), "s-1");

  ASSERT_TRUE(h.mock.fill_order("c-1", "0.004", "29000", true));
  h.client->request_poll();
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 1; }));
  const model::Fill fill = h.sink.of<model::OrderFilled>()[0].fill;
  EXPECT_EQ(fill.last_qty.value(), d("0.004"));
  EXPECT_EQ(fill.last_px.value(), d("29000"));
  EXPECT_EQ(fill.client_order_id.value(), "c-1");
  EXPECT_EQ(fill.liquidity_side, model::LiquiditySide::Maker);
  // Mock maker fee 0.02 %: 0.004 × 29000 × 0.0002 = 0.0232 USDT.
  EXPECT_EQ(fill.commission.amount(), d("0.0232"));

  ASSERT_TRUE(h.mock.fill_order("c-1", "0.006", "28999.9", false));
  h.client->request_poll();
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderFilled>().size() == 2; }));
  ASSERT_TRUE(eventually([&] { return h.client->tracked_orders() == 0; }));  // FILLED: no longer followed
}

TEST(BinanceExecutionClient, CancelsAnOrderAtTheVenue) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(order("c-2", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("c-2");
  cancel.strategy_id = core::StrategyId("s-1");
  cancel.account_id = core::AccountId("binance-main");
  cancel.instrument_id = kBtc;
  ASSERT_TRUE(h.client->cancel_order(cancel));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderCanceled>().size() == 1; }));
  EXPECT_EQ(h.mock.order("c-2")->status, "CANCELED");
  EXPECT_EQ(h.mock.request_count("DELETE", "/fapi/v1/order"), 1u);
  EXPECT_EQ(h.client->tracked_orders(), 0u);

  ASSERT_TRUE(h.client->cancel_order(cancel));  // already canceled: Binance -2011
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderCancelRejected>().size() == 1; }));
  EXPECT_NE(h.sink.of<model::OrderCancelRejected>()[0].reason.find("-2011"), std::string::npos);
}

TEST(BinanceExecutionClient, ReportsAVenueRejectWithBinancesCode) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  h.mock.fail_next(400, 1, -2019, "Margin is insufficient.");
  ASSERT_TRUE(h.client->submit_order(order("c-3", model::OrderType::Market, "5", std::nullopt)));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderRejected>().size() == 1; }));
  const std::string reason = h.sink.of<model::OrderRejected>()[0].reason;
  EXPECT_NE(reason.find("-2019"), std::string::npos) << reason;
  EXPECT_NE(reason.find("Margin is insufficient."), std::string::npos) << reason;
  EXPECT_EQ(h.client->tracked_orders(), 0u);
}

TEST(BinanceExecutionClient, FindsAnOrderWhoseAcknowledgementWasLostAndAcceptsItOnce) {
  ExecHarness h(std::chrono::milliseconds(300));
  ASSERT_TRUE(h.client->connect());
  h.mock.drop_next_order_ack();
  ASSERT_TRUE(h.client->submit_order(order("c-lost", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  EXPECT_EQ(h.mock.order_count(), 1u);  // the retry did not create a second order
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].venue_order_id.value(),
            std::to_string(h.mock.order("c-lost")->order_id));
  EXPECT_TRUE(h.sink.of<model::OrderRejected>().empty());
  EXPECT_GE(h.mock.request_count("GET", "/fapi/v1/order"), 1u);  // looked up by origClientOrderId
  EXPECT_EQ(h.client->tracked_orders(), 1u);
}

TEST(BinanceExecutionClient, RejectsAnOrderTheVenueNeverReceived) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  // Three 503s: every attempt fails with an unknown outcome and the mock stores nothing; the lookup by
  // client order id then answers -2013.
  h.mock.fail_next(503, 3, -1001, "Internal error.");
  ASSERT_TRUE(h.client->submit_order(order("c-never", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderRejected>().size() == 1; }));
  EXPECT_NE(h.sink.of<model::OrderRejected>()[0].reason.find("-2013"), std::string::npos);
  EXPECT_EQ(h.mock.order_count(), 0u);
}

TEST(BinanceExecutionClient, RoutesAStopMarketOrderToTheAlgoService) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(
      order("sl-1", model::OrderType::StopMarket, "0.010", std::nullopt, "28000", model::OrderSide::Sell)));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  EXPECT_EQ(h.mock.request_count("POST", "/fapi/v1/algoOrder"), 1u);
  EXPECT_EQ(h.sink.of<model::OrderAccepted>()[0].venue_order_id.value().rfind("algo-", 0), 0u);
}

TEST(BinanceExecutionClient, ModifiesALimitOrdersPriceAndQuantity) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(order("c-m", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 1; }));
  model::ModifyOrder modify;
  modify.client_order_id = core::ClientOrderId("c-m");
  modify.strategy_id = core::StrategyId("s-1");
  modify.account_id = core::AccountId("binance-main");
  modify.instrument_id = kBtc;
  modify.price = model::Price::parse("29050.5").value();
  ASSERT_TRUE(h.client->modify_order(modify));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderUpdated>().size() == 1; }));
  const auto updated = h.sink.of<model::OrderUpdated>()[0];
  EXPECT_EQ(updated.quantity.value(), d("0.01"));  // unchanged quantity sent along, as PUT requires
  EXPECT_EQ(updated.price->value(), d("29050.5"));
  EXPECT_EQ(h.mock.order("c-m")->price, "29050.5");
}

TEST(BinanceExecutionClient, CancelAllCancelsAtTheVenueAndReportsEachOrder) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  ASSERT_TRUE(h.client->submit_order(order("a-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(h.client->submit_order(order("a-2", model::OrderType::Limit, "0.020", "28000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));
  model::CancelAllOrders all;
  all.strategy_id = core::StrategyId("s-1");
  all.account_id = core::AccountId("binance-main");
  all.instrument_id = kBtc;
  ASSERT_TRUE(h.client->cancel_all_orders(all));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderCanceled>().size() == 2; }));
  EXPECT_EQ(h.mock.request_count("DELETE", "/fapi/v1/allOpenOrders"), 1u);
  EXPECT_EQ(h.mock.request_count("DELETE", "/fapi/v1/algoOpenOrders"), 1u);
  EXPECT_EQ(h.mock.open_order_count(), 0u);
}

TEST(BinanceExecutionClient, ReconciliationQueriesMapTheVenuesOrdersPositionsAndFills) {
  ExecHarness h;
  ASSERT_TRUE(h.client->connect());
  const auto since = h.clock.now();
  ASSERT_TRUE(h.client->submit_order(order("r-1", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(h.client->submit_order(order("r-2", model::OrderType::Market, "0.002", std::nullopt)));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));

  auto open = h.client->query_open_orders(kBtc);
  ASSERT_TRUE(open) << open.error().to_string();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).client_order_id->value(), "r-1");
  EXPECT_EQ(open->at(0).status, model::OrderStatus::Accepted);

  auto positions = h.client->query_positions();
  ASSERT_TRUE(positions) << positions.error().to_string();
  ASSERT_EQ(positions->size(), 1u);
  EXPECT_EQ(positions->at(0).quantity, d("0.002"));  // the market buy filled at the mark, 30000
  EXPECT_EQ(positions->at(0).avg_px_open->value(), d("30000"));

  auto fills = h.client->query_fills_since(since);
  ASSERT_TRUE(fills) << fills.error().to_string();
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ(fills->at(0).client_order_id.value(), "r-2");
  EXPECT_EQ(fills->at(0).last_px.value(), d("30000"));
}

// The client names a trade's order by the orderId → client order id map of the orders it placed. It keeps
// a finished order's entry for 48 h (the server reconciles 24 h of fills), and an open order's for as long
// as it is open, so the map does not grow with every order ever placed.
TEST(BinanceExecutionClient, ForgetsTheIdsOfOrdersFinishedMoreThanTwoDaysAgoButNotOfOpenOnes) {
  ShiftedClock exec_clock;
  ExecHarness h(std::chrono::milliseconds(3000), &exec_clock);
  ASSERT_TRUE(h.client->connect());
  const auto since = h.clock.now();
  ASSERT_TRUE(h.client->submit_order(order("old-fill", model::OrderType::Market, "0.002", std::nullopt)));
  ASSERT_TRUE(h.client->submit_order(order("resting", model::OrderType::Limit, "0.010", "29000")));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 2; }));

  exec_clock.shift = std::chrono::hours(49);
  ASSERT_TRUE(h.client->submit_order(order("new-fill", model::OrderType::Market, "0.001", std::nullopt)));
  ASSERT_TRUE(eventually([&] { return h.sink.of<model::OrderAccepted>().size() == 3; }));
  ASSERT_TRUE(h.mock.fill_order("resting", "0.010", "29000", true));

  auto fills = h.client->query_fills_since(since);
  ASSERT_TRUE(fills) << fills.error().to_string();
  std::map<std::string, std::string> named;  // quantity → client order id
  for (const auto& f : *fills) named[f.last_qty.value().to_string_trimmed()] = f.client_order_id.value();
  ASSERT_EQ(named.size(), 3u);
  EXPECT_EQ(named["0.002"], "");          // finished 49 h ago: forgotten
  EXPECT_EQ(named["0.01"], "resting");     // open the whole time: kept
  EXPECT_EQ(named["0.001"], "new-fill");  // just now
}

TEST(BinanceExecutionClient, TranslatesPostOnlyToGtxAndTakeProfitWithoutPriceToTheMarketVariant) {
  const core::VenueId venue("BINANCE");
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId("p-1");
  spec.strategy_id = core::StrategyId("s-1");
  spec.account_id = core::AccountId("a");
  spec.instrument_id = kBtc;
  spec.type = model::OrderType::Limit;
  spec.quantity = model::Quantity::parse("1").value();
  spec.price = model::Price::parse("100").value();
  spec.post_only = true;
  auto post_only = BinanceExecutionClient::to_request(model::Order::create(spec).value(), venue);
  ASSERT_TRUE(post_only);
  EXPECT_EQ(post_only->time_in_force, VenueTimeInForce::Gtx);

  spec.post_only = false;
  spec.type = model::OrderType::TakeProfit;
  spec.price.reset();
  spec.trigger_price = model::Price::parse("120").value();
  auto tp = BinanceExecutionClient::to_request(model::Order::create(spec).value(), venue);
  ASSERT_TRUE(tp);
  EXPECT_EQ(tp->type, VenueOrderType::TakeProfitMarket);
  EXPECT_EQ(tp->stop_price->value(), d("120"));
  EXPECT_FALSE(tp->time_in_force);

  spec.instrument_id = core::InstrumentId("BTCUSDT", core::VenueId("OTHER"));
  auto elsewhere = BinanceExecutionClient::to_request(model::Order::create(spec).value(), venue);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().where(), "order.instrument_id");
}

}  // namespace
}  // namespace ballast::adapters::binance
