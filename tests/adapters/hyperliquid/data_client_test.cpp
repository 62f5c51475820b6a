// HyperliquidDataClient against the mock Hyperliquid server's WebSocket (/ws) and /info candleSnapshot.
// Pushed messages are written here in the documented shapes; expected values are read off them by hand.
#include "ballast/adapters/hyperliquid/data_client.hpp"

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

Decimal dec(std::string_view text) {
  return *Decimal::parse(text);
}

const core::VenueId kVenue("HYPERLIQUID");
const core::InstrumentId kBtc("BTC-PERP", kVenue);
const core::InstrumentId kEth("ETH-PERP", kVenue);

class RecordingSink final : public ballast::runtime::MarketDataSink {
 public:
  void on_quote(const model::QuoteTick& q) override { add([&] { quotes.push_back(q); }); }
  void on_trade(const model::TradeTick& t) override { add([&] { trades.push_back(t); }); }
  void on_bar(const core::InstrumentId& id, core::Duration interval, const model::Bar& bar) override {
    add([&] { bars.push_back({id, interval, bar}); });
  }
  void on_book_snapshot(const core::InstrumentId& id, const model::BookSnapshot& s) override {
    add([&] { books.push_back({id, s}); });
  }
  void on_book_deltas(const core::InstrumentId&, const model::BookUpdate&, std::span<const model::BookDelta>) override {
    add([&] { ++deltas; });
  }
  void on_disconnected(const core::VenueId&, const core::Error&) override { add([&] { ++disconnects; }); }

  // Waits up to 5 s for `pred` (evaluated under the lock).
  bool wait(const std::function<bool()>& pred) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), pred);
  }

  struct BarSeen {
    core::InstrumentId id;
    core::Duration interval;
    model::Bar bar;
  };
  struct BookSeen {
    core::InstrumentId id;
    model::BookSnapshot snapshot;
  };
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<model::QuoteTick> quotes;
  std::vector<model::TradeTick> trades;
  std::vector<BarSeen> bars;
  std::vector<BookSeen> books;
  int deltas = 0;
  int disconnects = 0;

 private:
  template <class F>
  void add(F&& f) {
    std::lock_guard lock(mutex);
    f();
    cv.notify_all();
  }
};

// Polls `pred` for up to 5 s.
bool eventually(const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

class HyperliquidDataClientTest : public ::testing::Test {
 protected:
  HyperliquidDataClientTest() : server_(hl::Network::Testnet, hl::Address{}) {
    config_.ws_url = server_.ws_url();
    config_.backoff.initial_backoff = std::chrono::milliseconds(20);
    config_.backoff.max_backoff = std::chrono::milliseconds(100);
    config_.connect_timeout = std::chrono::seconds(5);
    hl::HyperliquidConfig rc;
    rc.base_url = server_.base_url();
    rest_ = std::make_unique<hl::HyperliquidRestClient>(rc, nullptr);
  }

  hl::HyperliquidDataClient& connect() {
    client_ = std::make_unique<hl::HyperliquidDataClient>(config_, rest_.get(), sink_, clock_);
    auto s = client_->connect();
    EXPECT_TRUE(s) << s.error().to_string();
    return *client_;
  }

  // True once the mock saw `key` subscribed on connection `connection`.
  bool subscribed(const std::string& key, std::uint64_t connection = 1) {
    return eventually([&] {
      for (const auto& s : server_.ws_subscriptions()) {
        if (s.key == key && s.connection == connection) return true;
      }
      return false;
    });
  }

  MockHyperliquidServer server_;
  hl::HyperliquidDataConfig config_;
  std::unique_ptr<hl::HyperliquidRestClient> rest_;
  RecordingSink sink_;
  core::LiveClock clock_;
  std::unique_ptr<hl::HyperliquidDataClient> client_;
};

constexpr std::string_view kBook =
    R"({"coin":"BTC","time":1700000000123,"levels":[[{"px":"29999.5","sz":"1.5","n":2},{"px":"29999","sz":"3","n":1}],)"
    R"([{"px":"30000","sz":"0.25","n":1},{"px":"30000.5","sz":"4","n":3}]]})";

TEST_F(HyperliquidDataClientTest, SubscribingToABookDeliversEachPushedSnapshot) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_book(kBtc, 0));
  ASSERT_TRUE(subscribed("l2Book:BTC"));
  EXPECT_EQ(server_.ws_push_market("l2Book", "BTC", std::string(kBook)), 1U);
  ASSERT_TRUE(sink_.wait([&] { return sink_.books.size() == 1; }));
  std::lock_guard lock(sink_.mutex);
  const auto& seen = sink_.books[0];
  EXPECT_EQ(seen.id, kBtc);
  ASSERT_EQ(seen.snapshot.bids.size(), 2U);
  ASSERT_EQ(seen.snapshot.asks.size(), 2U);
  EXPECT_EQ(seen.snapshot.bids[0].price.value(), dec("29999.5"));
  EXPECT_EQ(seen.snapshot.bids[0].size.value(), dec("1.5"));
  EXPECT_EQ(seen.snapshot.asks[1].price.value(), dec("30000.5"));
  EXPECT_EQ(seen.snapshot.update_id, 1700000000123U);
  // The snapshot applies to an OrderBook on BTC's tick (10^-(6-5) = 0.1): best bid 29999.5, best ask 30000.
  model::OrderBook book(kBtc, model::Price(dec("0.1")));
  ASSERT_TRUE(book.apply_snapshot(seen.snapshot));
  EXPECT_EQ(book.best_bid_price()->value(), dec("29999.5"));
  EXPECT_EQ(book.best_ask_price()->value(), dec("30000"));
}

TEST_F(HyperliquidDataClientTest, BookDepthCutsEachSideToTheRequestedLevels) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_book(kBtc, 1));
  ASSERT_TRUE(subscribed("l2Book:BTC"));
  server_.ws_push_market("l2Book", "BTC", std::string(kBook));
  ASSERT_TRUE(sink_.wait([&] { return sink_.books.size() == 1; }));
  std::lock_guard lock(sink_.mutex);
  ASSERT_EQ(sink_.books[0].snapshot.bids.size(), 1U);
  ASSERT_EQ(sink_.books[0].snapshot.asks.size(), 1U);
  EXPECT_EQ(sink_.books[0].snapshot.asks[0].price.value(), dec("30000"));
}

TEST_F(HyperliquidDataClientTest, DeliversTradesAndQuotes) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_trades(kEth));
  ASSERT_TRUE(client.subscribe_quotes(kEth));
  ASSERT_TRUE(subscribed("trades:ETH"));
  ASSERT_TRUE(subscribed("bbo:ETH"));
  server_.ws_push_market(
      "trades", "ETH",
      R"([{"coin":"ETH","side":"A","px":"2000.5","sz":"0.3","hash":"0x1","time":1700000000001,"tid":11,"users":["0xa","0xb"]}])");
  // A one-sided bbo gives no quote; the two-sided one does.
  server_.ws_push_market("bbo", "ETH", R"({"coin":"ETH","time":1700000000002,"bbo":[null,{"px":"2001","sz":"5","n":1}]})");
  server_.ws_push_market(
      "bbo", "ETH",
      R"({"coin":"ETH","time":1700000000003,"bbo":[{"px":"2000","sz":"1.5","n":1},{"px":"2001","sz":"5","n":1}]})");
  ASSERT_TRUE(sink_.wait([&] { return sink_.trades.size() == 1 && sink_.quotes.size() == 1; }));
  std::lock_guard lock(sink_.mutex);
  const model::TradeTick& t = sink_.trades[0];
  EXPECT_EQ(t.instrument_id, kEth);
  EXPECT_EQ(t.price.value(), dec("2000.5"));
  EXPECT_EQ(t.size.value(), dec("0.3"));
  EXPECT_EQ(t.aggressor, model::AggressorSide::Seller);
  EXPECT_EQ(t.trade_id.value(), "11");
  const model::QuoteTick& q = sink_.quotes[0];
  EXPECT_EQ(q.bid_price.value(), dec("2000"));
  EXPECT_EQ(q.bid_size.value(), dec("1.5"));
  EXPECT_EQ(q.ask_price.value(), dec("2001"));
  EXPECT_EQ(q.ts_event, core::UnixNanos::from_millis(1700000000003));
}

TEST_F(HyperliquidDataClientTest, DeliversACandleOnlyOnceTheNextOneStarts) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_bars(kBtc, std::chrono::minutes(1)));
  ASSERT_TRUE(subscribed("candle:BTC:1m"));
  auto candle = [](std::uint64_t t, std::string_view close, std::string_view volume) {
    return fmt::format(R"({{"t":{},"T":{},"s":"BTC","i":"1m","o":"100","c":"{}","h":"105","l":"99","v":"{}","n":3}})", t,
                       t + 59999, close, volume);
  };
  server_.ws_push_candle("BTC", "1m", candle(1700000040000, "101", "2"));
  server_.ws_push_candle("BTC", "1m", candle(1700000040000, "102.5", "3.5"));  // the same candle, updated
  // Nothing is complete yet; the next candle completes the first with its LAST values.
  server_.ws_push_candle("BTC", "1m", candle(1700000100000, "102", "0.1"));
  ASSERT_TRUE(sink_.wait([&] { return sink_.bars.size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::lock_guard lock(sink_.mutex);
  ASSERT_EQ(sink_.bars.size(), 1U);
  const auto& b = sink_.bars[0];
  EXPECT_EQ(b.id, kBtc);
  EXPECT_EQ(b.interval, core::Duration(std::chrono::minutes(1)));
  EXPECT_EQ(b.bar.ts_event, core::UnixNanos::from_millis(1700000040000));
  EXPECT_EQ(b.bar.ts_recv, core::UnixNanos::from_millis(1700000100000));
  EXPECT_EQ(b.bar.close.value(), dec("102.5"));
  EXPECT_EQ(b.bar.volume.value(), dec("3.5"));
}

TEST_F(HyperliquidDataClientTest, ResubscribesEverythingAfterTheConnectionDrops) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_book(kBtc, 0));
  ASSERT_TRUE(client.subscribe_trades(kEth));
  ASSERT_TRUE(subscribed("l2Book:BTC"));
  ASSERT_TRUE(subscribed("trades:ETH"));
  server_.ws_drop_all();
  ASSERT_TRUE(subscribed("l2Book:BTC", 2));
  ASSERT_TRUE(subscribed("trades:ETH", 2));
  EXPECT_EQ(client.connections(), 2U);
  ASSERT_TRUE(sink_.wait([&] { return sink_.disconnects == 1; }));
  // Data flows again on the new connection.
  server_.ws_push_market("l2Book", "BTC", std::string(kBook));
  ASSERT_TRUE(sink_.wait([&] { return sink_.books.size() == 1; }));
}

TEST_F(HyperliquidDataClientTest, UnansweredPingsMakeTheClientReconnect) {
  config_.heartbeat_interval = std::chrono::milliseconds(50);
  config_.idle_timeout = std::chrono::milliseconds(300);
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_trades(kBtc));
  ASSERT_TRUE(subscribed("trades:BTC"));
  // Answered pings keep the connection: give it three idle timeouts.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  EXPECT_EQ(client.connections(), 1U);
  EXPECT_GE(server_.ws_pings(), 5U);
  server_.ws_answer_pings(false);
  ASSERT_TRUE(subscribed("trades:BTC", 2));
  EXPECT_GE(client.connections(), 2U);
}

TEST_F(HyperliquidDataClientTest, UnsubscribedStreamsAreNotResentOrDelivered) {
  auto& client = connect();
  ASSERT_TRUE(client.subscribe_book(kBtc, 0));
  ASSERT_TRUE(client.subscribe_trades(kBtc));
  ASSERT_TRUE(subscribed("trades:BTC"));
  ASSERT_TRUE(client.unsubscribe_book(kBtc));
  ASSERT_TRUE(client.unsubscribe_book(kBtc));  // a no-op the second time
  EXPECT_EQ(client.subscriptions(), std::vector<std::string>{"trades:BTC"});
  server_.ws_drop_all();
  ASSERT_TRUE(subscribed("trades:BTC", 2));
  for (const auto& s : server_.ws_subscriptions()) EXPECT_FALSE(s.key == "l2Book:BTC" && s.connection == 2);
}

TEST_F(HyperliquidDataClientTest, RefusesWhatItCannotServeLocally) {
  hl::HyperliquidDataClient idle(config_, rest_.get(), sink_, clock_);
  auto s = idle.subscribe_book(kBtc, 0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), core::ErrorCode::InvalidState);

  auto& client = connect();
  s = client.subscribe_trades(core::InstrumentId("BTCUSDT", core::VenueId("BINANCE")));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), core::ErrorCode::NotFound);
  EXPECT_EQ(s.error().where(), "instrument_id");
  s = client.subscribe_book(kBtc, 25);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where(), "depth");
  s = client.subscribe_bars(kBtc, std::chrono::minutes(7));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where(), "interval");
  s = client.request_book_snapshot(kBtc);
  ASSERT_FALSE(s);  // no book subscription
  EXPECT_EQ(s.error().code(), core::ErrorCode::InvalidState);
}

TEST_F(HyperliquidDataClientTest, RequestBarsPagesThroughCandleSnapshot) {
  // 12 one-minute candles from 1700000040000 ms; the mock answers at most 5 per request, so the range
  // [candle 2, candle 11) takes two pages: candles 2-6, then 7-11 (11 is at `end`, left out).
  const std::uint64_t t0 = 1700000040000;
  server_.set_candles(t0, 60000, 12, 5);
  config_.candle_page = 5;
  client_ = std::make_unique<hl::HyperliquidDataClient>(config_, rest_.get(), sink_, clock_);
  const core::UnixNanos start = core::UnixNanos::from_millis(static_cast<std::int64_t>(t0 + 2 * 60000));
  const core::UnixNanos end = core::UnixNanos::from_millis(static_cast<std::int64_t>(t0 + 11 * 60000));
  auto series = client_->request_bars(kBtc, std::chrono::minutes(1), start, end);
  ASSERT_TRUE(series) << series.error().to_string();
  // Candles 2..10 (start <= t < end): 9 bars, oldest first, candle k has o = 100 + k, c = 100.5 + k.
  ASSERT_EQ(series->bars.size(), 9U);
  for (std::size_t i = 0; i < series->bars.size(); ++i) {
    const std::size_t k = i + 2;
    EXPECT_EQ(series->bars[i].ts_event, core::UnixNanos::from_millis(static_cast<std::int64_t>(t0 + k * 60000)));
    EXPECT_EQ(series->bars[i].open.value(), Decimal::from_int(static_cast<std::int64_t>(100 + k)));
    EXPECT_EQ(series->bars[i].close.value(), Decimal::from_raw(static_cast<std::int64_t>(1005 + 10 * k), 1));
  }
  EXPECT_EQ(series->instrument_id, kBtc);
  // Two pages (candles 2-6, then 7-11: the second ends the range); each request is one /info call.
  std::size_t candle_requests = 0;
  for (const auto& r : server_.info_requests()) candle_requests += r.find("candleSnapshot") != std::string::npos;
  EXPECT_EQ(candle_requests, 2U);
}

}  // namespace
