// HyperliquidExecutionClient against the mock exchange in trading mode (mock_hyperliquid_trading.cpp),
// which verifies every /exchange signature by recovering the signer. Expected numbers are worked by hand
// in the comments; the mock's rules (fill at the mark, taker fee 0.045 %, oids from 1000, tids from
// 500000) are stated in mock_hyperliquid_server.hpp.
#include "ballast/adapters/hyperliquid/execution_client.hpp"

#include <chrono>
#include <condition_variable>
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
  void on_disconnected(const core::VenueId&, const core::Error&) override {}

  // Waits up to 5 s until `count` events of type E arrived; returns them.
  template <typename E>
  std::vector<E> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return of_type<E>().size() >= count; });
    return of_type<E>();
  }
  template <typename E>
  std::vector<E> of_type() const {
    std::vector<E> out;
    for (const auto& e : events_) {
      if (const E* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  std::vector<model::OrderEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<model::OrderEvent> events_;
};

// A clock the test sets freely (also backwards, which TestClock refuses).
class ManualClock final : public core::Clock {
 public:
  core::UnixNanos now() const override { return now_; }
  core::UnixNanos now_{};
};

const core::InstrumentId kBtc("BTC-PERP", core::VenueId("HYPERLIQUID"));
const core::InstrumentId kEth("ETH-PERP", core::VenueId("HYPERLIQUID"));

model::SubmitOrder order(std::string id, model::OrderSide side, model::OrderType type, std::string_view qty,
                         std::optional<std::string_view> px = std::nullopt,
                         model::TimeInForce tif = model::TimeInForce::Gtc, const core::InstrumentId& inst = kBtc) {
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId(std::move(id));
  spec.strategy_id = core::StrategyId("S-1");
  spec.account_id = core::AccountId("HL-1");
  spec.instrument_id = inst;
  spec.side = side;
  spec.type = type;
  spec.quantity = model::Quantity(dec(qty));
  if (px) spec.price = model::Price(dec(*px));
  spec.time_in_force = tif;
  auto o = model::Order::create(spec);
  EXPECT_TRUE(o) << o.error().to_string();
  return model::SubmitOrder{std::move(*o), {}};
}

class HyperliquidExecutionClientTest : public ::testing::Test {
 protected:
  explicit HyperliquidExecutionClientTest(bool with_key = true)
      : signer_(std::move(*hl::Signer::from_hex(kKey))), server_(hl::Network::Testnet, signer_.address()) {
    server_.set_info_response("meta", std::string(kMeta));
    server_.enable_trading({"BTC", "ETH"});
    server_.set_mark("BTC", dec("30000"));
    server_.set_mark("ETH", dec("2000"));
    hl::HyperliquidConfig c;
    c.network = hl::Network::Testnet;
    c.base_url = server_.base_url();
    c.http.timeout = std::chrono::milliseconds(5000);
    rest_ = std::make_unique<hl::HyperliquidRestClient>(c, with_key ? &signer_ : nullptr);
    config_.account_id = core::AccountId("HL-1");
    config_.account_address = signer_.address();
    config_.poll_interval = std::chrono::milliseconds(100);
  }

  hl::HyperliquidExecutionClient& connect() {
    client_ = std::make_unique<hl::HyperliquidExecutionClient>(config_, *rest_, sink_, clock_);
    auto s = client_->connect();
    EXPECT_TRUE(s) << s.error().to_string();
    return *client_;
  }

  std::vector<MockHyperliquidServer::Received> requests_of(std::string_view type) const {
    std::vector<MockHyperliquidServer::Received> out;
    for (auto& r : server_.exchange_requests()) {
      if (r.action_type == type) out.push_back(r);
    }
    return out;
  }

  hl::Signer signer_;
  MockHyperliquidServer server_;
  std::unique_ptr<hl::HyperliquidRestClient> rest_;
  hl::HyperliquidExecutionConfig config_;
  RecordingSink sink_;
  core::LiveClock clock_;
  std::unique_ptr<hl::HyperliquidExecutionClient> client_;
};

class HyperliquidReadOnlyTest : public HyperliquidExecutionClientTest {
 protected:
  HyperliquidReadOnlyTest() : HyperliquidExecutionClientTest(false) {}
};

std::string cloid_of(std::string_view id) {
  return hl::Cloid::from_client_order_id(core::ClientOrderId(std::string(id))).to_wire();
}

}  // namespace

TEST(HyperliquidNonceGenerator, IsStrictlyIncreasingWhenTheClockStandsStillOrGoesBack) {
  ManualClock clock;
  clock.now_ = core::UnixNanos::from_millis(1700000000000);
  hl::NonceGenerator nonces(clock);
  EXPECT_EQ(nonces.next(), 1700000000000U);
  EXPECT_EQ(nonces.next(), 1700000000001U);  // same millisecond: bumped by one
  EXPECT_EQ(nonces.next(), 1700000000002U);
  clock.now_ = core::UnixNanos::from_millis(1700000000010);
  EXPECT_EQ(nonces.next(), 1700000000010U);  // the clock is ahead again: its value
  clock.now_ = core::UnixNanos::from_millis(1699999999000);
  EXPECT_EQ(nonces.next(), 1700000000011U);  // the clock went back: still above the last
}

TEST_F(HyperliquidExecutionClientTest, ALimitOrderRestsAndIsAcceptedWithTheVenueOid) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-1", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  const auto accepted = sink_.wait_for<model::OrderAccepted>(1);
  ASSERT_EQ(accepted.size(), 1U);
  EXPECT_EQ(accepted[0].client_order_id.value(), "O-1");
  EXPECT_EQ(accepted[0].venue_order_id.value(), "1000");  // the mock's first oid
  const auto open = server_.open_orders();
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].cloid, cloid_of("O-1"));
  EXPECT_EQ(open[0].limit_px, dec("29000"));
  EXPECT_EQ(open[0].sz, dec("0.01"));
  const auto sent = requests_of("order");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_TRUE(sent[0].signature_valid);
  EXPECT_NE(sent[0].body.find(R"("p":"29000","s":"0.01","r":false,"t":{"limit":{"tif":"Gtc"}})"), std::string::npos)
      << sent[0].body;
}

TEST_F(HyperliquidExecutionClientTest, AMarketableIocFillsAtTheMarkWithTheTakerFee) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(
      order("O-2", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "30100", model::TimeInForce::Ioc)));
  const auto fills = sink_.wait_for<model::OrderFilled>(1);
  ASSERT_EQ(fills.size(), 1U);
  const model::Fill& f = fills[0].fill;
  EXPECT_EQ(fills[0].client_order_id.value(), "O-2");
  EXPECT_EQ(f.client_order_id.value(), "O-2");
  EXPECT_EQ(f.venue_order_id.value(), "1000");
  EXPECT_EQ(f.trade_id.value(), "500000");
  EXPECT_EQ(f.last_px.value(), dec("30000"));  // the mark, not the limit
  EXPECT_EQ(f.last_qty.value(), dec("0.01"));
  // 30000 × 0.01 = 300 USDC notional; × 0.045 % = 0.135 USDC taker fee.
  EXPECT_EQ(f.commission.amount(), dec("0.135"));
  EXPECT_EQ(f.commission.currency().code(), "USDC");
  EXPECT_EQ(f.liquidity_side, model::LiquiditySide::Taker);
  EXPECT_EQ(sink_.of_type<model::OrderAccepted>().size(), 1U);
  EXPECT_TRUE(sink_.of_type<model::OrderExpired>().empty());  // filled completely: nothing left to expire
  EXPECT_TRUE(server_.open_orders().empty());
  // Further polls see the same tid again and must not report it twice.
  client.request_poll();
  client.request_poll();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink_.of_type<model::OrderFilled>().size(), 1U);
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidExecutionClientTest, AMarketOrderIsAnIocLimitFivePercentThroughTheMid) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-3", model::OrderSide::Buy, model::OrderType::Market, "0.01")));
  ASSERT_TRUE(client.submit_order(order("O-4", model::OrderSide::Sell, model::OrderType::Market, "0.1", std::nullopt,
                                        model::TimeInForce::Gtc, kEth)));
  const auto fills = sink_.wait_for<model::OrderFilled>(2);
  ASSERT_EQ(fills.size(), 2U);
  const auto sent = requests_of("order");
  ASSERT_EQ(sent.size(), 2U);
  // BTC mid 30000 × 1.05 = 31500 (buy); ETH mid 2000 × 0.95 = 1900 (sell); both Ioc.
  EXPECT_NE(sent[0].body.find(R"("b":true,"p":"31500","s":"0.01","r":false,"t":{"limit":{"tif":"Ioc"}})"),
            std::string::npos)
      << sent[0].body;
  EXPECT_NE(sent[1].body.find(R"("a":1,"b":false,"p":"1900","s":"0.1","r":false,"t":{"limit":{"tif":"Ioc"}})"),
            std::string::npos)
      << sent[1].body;
  EXPECT_EQ(fills[0].fill.last_px.value(), dec("30000"));
  EXPECT_EQ(fills[1].fill.last_px.value(), dec("2000"));
  // 2000 × 0.1 = 200 USDC; × 0.045 % = 0.09 USDC.
  EXPECT_EQ(fills[1].fill.commission.amount(), dec("0.09"));
}

TEST_F(HyperliquidExecutionClientTest, CancelsByCloid) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-5", model::OrderSide::Sell, model::OrderType::Limit, "0.02", "31000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("O-5");
  cancel.strategy_id = core::StrategyId("S-1");
  cancel.account_id = core::AccountId("HL-1");
  cancel.instrument_id = kBtc;
  ASSERT_TRUE(client.cancel_order(cancel));
  const auto canceled = sink_.wait_for<model::OrderCanceled>(1);
  ASSERT_EQ(canceled.size(), 1U);
  EXPECT_EQ(canceled[0].client_order_id.value(), "O-5");
  ASSERT_TRUE(canceled[0].venue_order_id);
  EXPECT_EQ(canceled[0].venue_order_id->value(), "1000");
  EXPECT_TRUE(server_.open_orders().empty());
  const auto sent = requests_of("cancelByCloid");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_NE(sent[0].body.find(fmt::format(R"("cancels":[{{"asset":0,"cloid":"{}"}}])", cloid_of("O-5"))),
            std::string::npos)
      << sent[0].body;
  // A second cancel of the same order carries the exchange's message.
  ASSERT_TRUE(client.cancel_order(cancel));
  const auto refused = sink_.wait_for<model::OrderCancelRejected>(1);
  ASSERT_EQ(refused.size(), 1U);
  EXPECT_EQ(refused[0].reason, "Order was never placed, already canceled, or filled.");
}

// An order placed outside Ballast and adopted by reconciliation ("EXT-<oid>") has no cloid of ours: it is
// cancelled by its order id (the "cancel" action), as breakers and the emergency stop need.
TEST_F(HyperliquidExecutionClientTest, AnAdoptedOrderIsCancelledByItsOrderId) {
  auto& client = connect();
  const std::uint64_t oid = server_.add_external_order("BTC", true, dec("27000"), dec("0.002"));
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId(fmt::format("EXT-{}", oid));
  cancel.venue_order_id = core::VenueOrderId(std::to_string(oid));
  cancel.strategy_id = core::StrategyId("EXTERNAL");
  cancel.account_id = core::AccountId("HL-1");
  cancel.instrument_id = kBtc;
  ASSERT_TRUE(client.cancel_order(cancel));
  const auto canceled = sink_.wait_for<model::OrderCanceled>(1);
  ASSERT_EQ(canceled.size(), 1U);
  EXPECT_EQ(canceled[0].venue_order_id->value(), std::to_string(oid));
  EXPECT_EQ(server_.order_state(oid), "canceled");
  EXPECT_TRUE(requests_of("cancelByCloid").empty());
  const auto sent = requests_of("cancel");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_NE(sent[0].body.find(fmt::format(R"("cancels":[{{"a":0,"o":{}}}])", oid)), std::string::npos) << sent[0].body;
}

TEST_F(HyperliquidExecutionClientTest, CancelAllSendsOneCancelListingEveryOpenOrderOfTheInstrument) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-6", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  ASSERT_TRUE(client.submit_order(order("O-7", model::OrderSide::Sell, model::OrderType::Limit, "0.01", "31000")));
  ASSERT_TRUE(client.submit_order(
      order("O-8", model::OrderSide::Buy, model::OrderType::Limit, "1", "1900", model::TimeInForce::Gtc, kEth)));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(3).size(), 3U);
  model::CancelAllOrders all;
  all.strategy_id = core::StrategyId("S-1");
  all.account_id = core::AccountId("HL-1");
  all.instrument_id = kBtc;
  ASSERT_TRUE(client.cancel_all_orders(all));
  const auto canceled = sink_.wait_for<model::OrderCanceled>(2);
  ASSERT_EQ(canceled.size(), 2U);
  EXPECT_EQ(canceled[0].client_order_id.value(), "O-6");  // openOrders lists oids 1000, 1001 in order
  EXPECT_EQ(canceled[1].client_order_id.value(), "O-7");
  const auto sent = requests_of("cancel");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_NE(sent[0].body.find(R"("cancels":[{"a":0,"o":1000},{"a":0,"o":1001}])"), std::string::npos) << sent[0].body;
  const auto open = server_.open_orders();
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].coin, "ETH");
}

TEST_F(HyperliquidExecutionClientTest, ModifiesPriceAndSizeOfARestingOrder) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-9", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  model::ModifyOrder modify;
  modify.client_order_id = core::ClientOrderId("O-9");
  modify.strategy_id = core::StrategyId("S-1");
  modify.account_id = core::AccountId("HL-1");
  modify.instrument_id = kBtc;
  modify.price = model::Price(dec("29500"));
  modify.quantity = model::Quantity(dec("0.02"));
  ASSERT_TRUE(client.modify_order(modify));
  const auto updated = sink_.wait_for<model::OrderUpdated>(1);
  ASSERT_EQ(updated.size(), 1U);
  EXPECT_EQ(updated[0].quantity.value(), dec("0.02"));
  ASSERT_TRUE(updated[0].price);
  EXPECT_EQ(updated[0].price->value(), dec("29500"));
  const auto open = server_.open_orders();
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].limit_px, dec("29500"));
  EXPECT_EQ(open[0].sz, dec("0.02"));
  const auto sent = requests_of("modify");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_NE(sent[0].body.find(R"("type":"modify","oid":1000,"order":{"a":0,"b":true,"p":"29500","s":"0.02")"),
            std::string::npos)
      << sent[0].body;
}

TEST_F(HyperliquidExecutionClientTest, ARejectedOrderCarriesTheVenueMessage) {
  auto& client = connect();
  server_.reject_next_order("Insufficient margin to place order. asset=0");
  ASSERT_TRUE(client.submit_order(order("O-10", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  const auto rejected = sink_.wait_for<model::OrderRejected>(1);
  ASSERT_EQ(rejected.size(), 1U);
  EXPECT_EQ(rejected[0].client_order_id.value(), "O-10");
  EXPECT_EQ(rejected[0].reason, "Insufficient margin to place order. asset=0");
  // An IOC that cannot match is refused with the exchange's words too.
  ASSERT_TRUE(client.submit_order(
      order("O-11", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000", model::TimeInForce::Ioc)));
  const auto both = sink_.wait_for<model::OrderRejected>(2);
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(both[1].reason, "Order could not immediately match against any resting orders. asset=0");
  EXPECT_TRUE(sink_.of_type<model::OrderAccepted>().empty());
}

TEST_F(HyperliquidExecutionClientTest, APriceOrSizeThatNeedsRoundingIsRefusedBeforeSending) {
  auto& client = connect();
  // BTC has szDecimals 5: prices carry at most 6 − 5 = 1 decimal and 5 significant figures.
  auto px = client.submit_order(order("O-12", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000.5"));
  ASSERT_FALSE(px);
  EXPECT_EQ(px.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(px.error().to_string().find("significant figures"), std::string::npos) << px.error().to_string();
  EXPECT_NE(px.error().to_string().find("order.price"), std::string::npos) << px.error().to_string();
  auto sz = client.submit_order(order("O-13", model::OrderSide::Buy, model::OrderType::Limit, "0.000001", "29000"));
  ASSERT_FALSE(sz);
  EXPECT_NE(sz.error().to_string().find("szDecimals is 5"), std::string::npos) << sz.error().to_string();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_TRUE(server_.exchange_requests().empty());
}

TEST_F(HyperliquidExecutionClientTest, ALostAcknowledgementIsFoundAgainByCloid) {
  auto& client = connect();
  server_.drop_next_exchange_responses(1);  // the order is placed, the answer is lost (HTTP 502)
  ASSERT_TRUE(client.submit_order(order("O-14", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  const auto accepted = sink_.wait_for<model::OrderAccepted>(1);
  ASSERT_EQ(accepted.size(), 1U);
  EXPECT_EQ(accepted[0].client_order_id.value(), "O-14");
  EXPECT_EQ(accepted[0].venue_order_id.value(), "1000");
  EXPECT_EQ(server_.open_orders().size(), 1U);  // exactly one order at the exchange
  EXPECT_EQ(requests_of("order").size(), 1U);   // found by lookup, not by sending again
  bool asked_by_cloid = false;
  for (const auto& body : server_.info_requests()) {
    if (body.find(R"("type":"orderStatus")") != std::string::npos &&
        body.find(fmt::format(R"("oid":"{}")", cloid_of("O-14"))) != std::string::npos) {
      asked_by_cloid = true;
    }
  }
  EXPECT_TRUE(asked_by_cloid);
  EXPECT_TRUE(sink_.of_type<model::OrderRejected>().empty());
}

TEST_F(HyperliquidExecutionClientTest, AVenueSideCancelIsFoundByPolling) {
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-15", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  // Someone else (the web UI, the dead man's switch) cancels the order at the exchange.
  hl::HyperliquidRestClient other(rest_->config(), &signer_);
  ASSERT_TRUE(other.exchange(hl::cancel_action({hl::CancelRequest{0, 1000}}), 1));
  const auto canceled = sink_.wait_for<model::OrderCanceled>(1);
  ASSERT_EQ(canceled.size(), 1U);
  EXPECT_EQ(canceled[0].client_order_id.value(), "O-15");
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidReadOnlyTest, RefusesToTradeButAnswersQueries) {
  auto& client = connect();
  EXPECT_TRUE(client.is_read_only());
  auto s = client.submit_order(order("O-16", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), core::ErrorCode::InvalidState);
  EXPECT_NE(s.error().message().find("read-only"), std::string::npos);
  model::CancelAllOrders all;
  auto c = client.cancel_all_orders(all);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("read-only"), std::string::npos);
  auto open = client.query_open_orders(std::nullopt);
  ASSERT_TRUE(open) << open.error().to_string();
  EXPECT_TRUE(open->empty());
  auto positions = client.query_positions();
  ASSERT_TRUE(positions) << positions.error().to_string();
  EXPECT_TRUE(server_.exchange_requests().empty());
}

TEST_F(HyperliquidExecutionClientTest, TheDeadMansSwitchIsReArmedAndClearedOnDisconnect) {
  config_.dead_man_seconds = 6;  // re-armed every 6/3 = 2 s
  const std::int64_t before = clock_.now().millis();
  auto& client = connect();
  const std::int64_t after = clock_.now().millis();
  for (int i = 0; i < 60 && server_.schedule_cancels().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client.disconnect();
  const auto times = server_.schedule_cancels();
  ASSERT_GE(times.size(), 3U);  // armed at connect, re-armed at least once, cleared
  ASSERT_TRUE(times[0]);
  // The first deadline is the connect time + 6000 ms.
  EXPECT_GE(static_cast<std::int64_t>(*times[0]), before + 6000);
  EXPECT_LE(static_cast<std::int64_t>(*times[0]), after + 6000);
  for (std::size_t i = 1; i + 1 < times.size(); ++i) {
    ASSERT_TRUE(times[i]);
    EXPECT_GE(*times[i], *times[i - 1] + 1500);  // ~2 s later each time
  }
  EXPECT_FALSE(times.back());  // scheduleCancel without a time removes it
  for (const auto& r : requests_of("scheduleCancel")) EXPECT_TRUE(r.signature_valid);
}

TEST_F(HyperliquidExecutionClientTest, RefusesADeadMansSwitchShorterThanFiveSeconds) {
  config_.dead_man_seconds = 4;
  hl::HyperliquidExecutionClient client(config_, *rest_, sink_, clock_);
  auto s = client.connect();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where(), "dead_man_seconds");
  EXPECT_FALSE(client.is_connected());
}

TEST_F(HyperliquidExecutionClientTest, RefusesAKeyThatIsNotTheAccountsAddress) {
  config_.account_address = hl::Address{};  // 0x000…0
  hl::HyperliquidExecutionClient client(config_, *rest_, sink_, clock_);
  auto s = client.connect();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where(), "account_address");
  config_.signer_is_agent = true;  // an API wallet: only the exchange can tell
  hl::HyperliquidExecutionClient agent(config_, *rest_, sink_, clock_);
  EXPECT_TRUE(agent.connect());
}

TEST_F(HyperliquidExecutionClientTest, ReconciliationQueriesReturnWhatTheExchangeHolds) {
  server_.add_external_fill("BTC", true, dec("30000"), dec("0.5"));
  server_.add_external_fill("BTC", true, dec("31000"), dec("0.5"));
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-17", model::OrderSide::Sell, model::OrderType::Limit, "0.2", "32000")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);

  auto positions = client.query_positions();
  ASSERT_TRUE(positions) << positions.error().to_string();
  ASSERT_EQ(positions->size(), 1U);
  EXPECT_EQ((*positions)[0].instrument_id, kBtc);
  EXPECT_EQ((*positions)[0].quantity, dec("1"));  // 0.5 + 0.5
  ASSERT_TRUE((*positions)[0].avg_px_open);
  EXPECT_EQ((*positions)[0].avg_px_open->value(), dec("30500"));  // (0.5 × 30000 + 0.5 × 31000) / 1

  auto open = client.query_open_orders(kBtc);
  ASSERT_TRUE(open) << open.error().to_string();
  ASSERT_EQ(open->size(), 1U);
  ASSERT_TRUE((*open)[0].client_order_id);
  EXPECT_EQ((*open)[0].client_order_id->value(), "O-17");  // our id, not the cloid
  EXPECT_EQ((*open)[0].side, model::OrderSide::Sell);
  EXPECT_EQ((*open)[0].quantity.value(), dec("0.2"));
  auto eth = client.query_open_orders(kEth);
  ASSERT_TRUE(eth);
  EXPECT_TRUE(eth->empty());

  auto fills = client.query_fills_since(core::UnixNanos(0));
  ASSERT_TRUE(fills) << fills.error().to_string();
  ASSERT_EQ(fills->size(), 2U);
  EXPECT_EQ((*fills)[0].last_px.value(), dec("30000"));
  EXPECT_EQ((*fills)[1].last_px.value(), dec("31000"));
  EXPECT_EQ((*fills)[0].trade_id.value(), "500000");
  EXPECT_EQ((*fills)[1].trade_id.value(), "500001");
  // 31000 × 0.5 × 0.045 % = 6.975 USDC.
  EXPECT_EQ((*fills)[1].commission.amount(), dec("6.975"));
}

TEST_F(HyperliquidExecutionClientTest, NoncesStrictlyIncreaseAcrossRequests) {
  auto& client = connect();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.submit_order(
        order(fmt::format("O-N{}", i), model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  }
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(5).size(), 5U);
  const auto sent = server_.exchange_requests();
  ASSERT_EQ(sent.size(), 5U);
  for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_GT(sent[i].nonce, sent[i - 1].nonce);
  for (const auto& r : sent) EXPECT_TRUE(r.signature_valid);
}

TEST_F(HyperliquidExecutionClientTest, StopAndTakeProfitOrdersBecomeTriggerOrders) {
  auto& client = connect();
  model::SubmitOrder stop = order("O-18", model::OrderSide::Sell, model::OrderType::Limit, "0.01", "1");
  model::OrderSpec spec;
  spec.client_order_id = core::ClientOrderId("O-18");
  spec.strategy_id = core::StrategyId("S-1");
  spec.account_id = core::AccountId("HL-1");
  spec.instrument_id = kBtc;
  spec.side = model::OrderSide::Sell;
  spec.type = model::OrderType::StopMarket;
  spec.quantity = model::Quantity(dec("0.01"));
  spec.trigger_price = model::Price(dec("28000"));
  spec.reduce_only = true;
  stop.order = *model::Order::create(spec);
  spec.client_order_id = core::ClientOrderId("O-19");
  spec.type = model::OrderType::TakeProfit;
  spec.trigger_price = model::Price(dec("33000"));
  spec.price = model::Price(dec("32900"));
  model::SubmitOrder take{*model::Order::create(spec), {}};
  ASSERT_TRUE(client.submit_order(stop));
  ASSERT_TRUE(client.submit_order(take));
  const auto accepted = sink_.wait_for<model::OrderAccepted>(2);
  ASSERT_EQ(accepted.size(), 2U);
  EXPECT_EQ(accepted[0].venue_order_id.value(), "1000");
  EXPECT_EQ(accepted[1].venue_order_id.value(), "1001");
  const auto sent = requests_of("order");
  ASSERT_EQ(sent.size(), 2U);
  // A market stop's limit is the trigger 5 % worse for the seller: 28000 × 0.95 = 26600.
  EXPECT_NE(
      sent[0].body.find(
          R"("b":false,"p":"26600","s":"0.01","r":true,"t":{"trigger":{"isMarket":true,"triggerPx":"28000","tpsl":"sl"}})"),
      std::string::npos)
      << sent[0].body;
  EXPECT_NE(
      sent[1].body.find(
          R"("p":"32900","s":"0.01","r":true,"t":{"trigger":{"isMarket":false,"triggerPx":"33000","tpsl":"tp"}})"),
      std::string::npos)
      << sent[1].body;
  EXPECT_EQ(server_.open_orders().size(), 2U);
}

TEST_F(HyperliquidExecutionClientTest, AnIocFilledInPartExpiresForTheRest) {
  server_.set_liquidity("BTC", dec("0.005"));
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(
      order("O-20", model::OrderSide::Buy, model::OrderType::Limit, "0.02", "30100", model::TimeInForce::Ioc)));
  const auto expired = sink_.wait_for<model::OrderExpired>(1);
  ASSERT_EQ(expired.size(), 1U);
  EXPECT_EQ(expired[0].client_order_id.value(), "O-20");
  const auto fills = sink_.of_type<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 1U);
  EXPECT_EQ(fills[0].fill.last_qty.value(), dec("0.005"));
  // 30000 × 0.005 = 150 USDC; × 0.045 % = 0.0675 USDC.
  EXPECT_EQ(fills[0].fill.commission.amount(), dec("0.0675"));
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidExecutionClientTest, AGtcFilledInPartRestsAndItsFillIsFoundByPolling) {
  server_.set_liquidity("BTC", dec("0.005"));
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-21", model::OrderSide::Buy, model::OrderType::Limit, "0.02", "30100")));
  const auto fills = sink_.wait_for<model::OrderFilled>(1);
  ASSERT_EQ(fills.size(), 1U);
  EXPECT_EQ(fills[0].fill.last_qty.value(), dec("0.005"));
  EXPECT_EQ(fills[0].client_order_id.value(), "O-21");
  ASSERT_EQ(sink_.of_type<model::OrderAccepted>().size(), 1U);
  EXPECT_TRUE(sink_.of_type<model::OrderExpired>().empty());
  EXPECT_TRUE(sink_.of_type<model::OrderCanceled>().empty());
  const auto open = server_.open_orders();
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].sz, dec("0.015"));  // 0.02 − 0.005 rests
  EXPECT_EQ(client.tracked_orders(), 1U);
}

TEST_F(HyperliquidExecutionClientTest, FillsFromBeforeACancelAreReportedBeforeTheCancel) {
  server_.set_liquidity("BTC", dec("0.005"));
  config_.poll_interval = std::chrono::seconds(60);  // no poll in between: only the cancel can find the fill
  auto& client = connect();
  ASSERT_TRUE(client.submit_order(order("O-22", model::OrderSide::Buy, model::OrderType::Limit, "0.02", "30100")));
  ASSERT_EQ(sink_.wait_for<model::OrderAccepted>(1).size(), 1U);
  EXPECT_TRUE(sink_.of_type<model::OrderFilled>().empty());
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("O-22");
  cancel.account_id = core::AccountId("HL-1");
  cancel.instrument_id = kBtc;
  ASSERT_TRUE(client.cancel_order(cancel));
  ASSERT_EQ(sink_.wait_for<model::OrderCanceled>(1).size(), 1U);
  const auto fills = sink_.of_type<model::OrderFilled>();
  ASSERT_EQ(fills.size(), 1U);
  EXPECT_EQ(fills[0].fill.last_qty.value(), dec("0.005"));
  const auto events = sink_.events();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_TRUE(std::holds_alternative<model::OrderAccepted>(events[0]));
  EXPECT_TRUE(std::holds_alternative<model::OrderFilled>(events[1]));  // the fill before the cancel
  EXPECT_TRUE(std::holds_alternative<model::OrderCanceled>(events[2]));
}

TEST_F(HyperliquidExecutionClientTest, AnOrderThatNeverReachedTheExchangeIsRejectedAfterTheLookup) {
  auto& client = connect();
  server_.fail_exchange_with(502, R"("bad gateway")");  // nothing is applied, every answer is HTTP 502
  ASSERT_TRUE(client.submit_order(order("O-23", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  const auto rejected = sink_.wait_for<model::OrderRejected>(1);
  ASSERT_EQ(rejected.size(), 1U);
  EXPECT_EQ(rejected[0].client_order_id.value(), "O-23");
  EXPECT_NE(rejected[0].reason.find("no order with this cloid"), std::string::npos) << rejected[0].reason;
  EXPECT_TRUE(sink_.of_type<model::OrderAccepted>().empty());
  EXPECT_TRUE(server_.open_orders().empty());
  EXPECT_EQ(client.tracked_orders(), 0U);
}

TEST_F(HyperliquidExecutionClientTest, ARejectionWhoseAnswerWasLostIsFoundAsRejectedByCloid) {
  auto& client = connect();
  server_.reject_next_order("Insufficient margin to place order. asset=0");
  server_.drop_next_exchange_responses(1);
  ASSERT_TRUE(client.submit_order(order("O-24", model::OrderSide::Buy, model::OrderType::Limit, "0.01", "29000")));
  const auto rejected = sink_.wait_for<model::OrderRejected>(1);
  ASSERT_EQ(rejected.size(), 1U);
  EXPECT_EQ(rejected[0].reason, "the exchange reports the order as perpMarginRejected");
  EXPECT_TRUE(sink_.of_type<model::OrderAccepted>().empty());  // never accepted, not even briefly
  EXPECT_EQ(client.tracked_orders(), 0U);
}
