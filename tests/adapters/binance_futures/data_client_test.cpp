// BinanceDataClient against the market-stream mock (tests/adapters/binance_futures/market_stream_mock.hpp).
// The book tests follow Binance's documented procedure ("How to manage a local order book correctly",
// USDⓈ-M Futures): every expected book is computed by hand in the comments from the snapshot and the events
// the test sends, and compared level by level with the book the sink built (a model::OrderBook fed exactly
// what the client delivered, as the kernel would). eventually() only bounds how long a broken build waits.

#include "ballast/adapters/binance_futures/data_client.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "ballast/model/reference_instruments.hpp"
#include "testkit/venues/binance_test_support.hpp"
#include "testkit/venues/market_stream_mock.hpp"

namespace ballast::adapters::binance::testing {
namespace {

using core::InstrumentId;
using core::UnixNanos;
using model::BookLevel;
using model::OrderSide;
using model::Price;
using model::Quantity;

const core::VenueId kVenue("BINANCE");
const InstrumentId kBtc("BTCUSDT", kVenue);
const InstrumentId kEth("ETHUSDT", kVenue);

BookLevel level(std::string_view price, std::string_view size) {
  return BookLevel{*Price::parse(price), *Quantity::parse(size)};
}

// Records every sink call; applies books to model::OrderBook as the kernel does.
class RecordingSink final : public runtime::MarketDataSink {
 public:
  RecordingSink() {
    books_.emplace(kBtc, model::OrderBook(kBtc, *Price::parse("0.1")));
    books_.emplace(kEth, model::OrderBook(kEth, *Price::parse("0.01")));
  }

  void on_quote(const model::QuoteTick& quote) override {
    std::lock_guard lock(mutex_);
    seen();
    quotes_.push_back(quote);
  }
  void on_trade(const model::TradeTick& trade) override {
    std::lock_guard lock(mutex_);
    seen();
    trades_.push_back(trade);
  }
  void on_bar(const InstrumentId& id, core::Duration interval, const model::Bar& bar) override {
    std::lock_guard lock(mutex_);
    seen();
    bars_.push_back({id, interval, bar});
  }
  void on_book_snapshot(const InstrumentId& id, const model::BookSnapshot& snapshot) override {
    std::lock_guard lock(mutex_);
    seen();
    ++snapshots_[id];
    if (auto s = books_.at(id).apply_snapshot(snapshot); !s) errors_.push_back(s.error().to_string());
  }
  void on_book_deltas(const InstrumentId& id, const model::BookUpdate& update,
                      std::span<const model::BookDelta> deltas) override {
    std::lock_guard lock(mutex_);
    seen();
    ++delta_batches_[id];
    auto r = books_.at(id).apply_deltas(update, deltas);
    if (!r) {
      errors_.push_back(r.error().to_string());
    } else if (*r == model::BookApplyOutcome::Stale) {
      ++stale_[id];
    }
  }
  void on_disconnected(const core::VenueId& venue, const core::Error& reason) override {
    std::lock_guard lock(mutex_);
    seen();
    disconnects_.push_back(venue.value() + ": " + reason.message());
  }

  struct BarRecord {
    InstrumentId id;
    core::Duration interval;
    model::Bar bar;
  };

  std::vector<model::QuoteTick> quotes() const { return locked(quotes_); }
  std::vector<model::TradeTick> trades() const { return locked(trades_); }
  std::vector<BarRecord> bars() const { return locked(bars_); }
  std::vector<std::string> errors() const { return locked(errors_); }
  std::vector<std::string> disconnects() const { return locked(disconnects_); }
  std::set<std::thread::id> threads() const { return locked(threads_); }
  int snapshots(const InstrumentId& id) const {
    std::lock_guard lock(mutex_);
    auto it = snapshots_.find(id);
    return it == snapshots_.end() ? 0 : it->second;
  }
  int delta_batches(const InstrumentId& id) const {
    std::lock_guard lock(mutex_);
    auto it = delta_batches_.find(id);
    return it == delta_batches_.end() ? 0 : it->second;
  }
  std::uint64_t book_update_id(const InstrumentId& id) const {
    std::lock_guard lock(mutex_);
    return books_.at(id).update_id();
  }
  model::BookDepth depth(const InstrumentId& id) const {
    std::lock_guard lock(mutex_);
    return books_.at(id).depth(100);
  }

 private:
  template <class T>
  T locked(const T& v) const {
    std::lock_guard lock(mutex_);
    return v;
  }
  void seen() { threads_.insert(std::this_thread::get_id()); }

  mutable std::mutex mutex_;
  std::map<InstrumentId, model::OrderBook> books_;
  std::map<InstrumentId, int> snapshots_, delta_batches_, stale_;
  std::vector<model::QuoteTick> quotes_;
  std::vector<model::TradeTick> trades_;
  std::vector<BarRecord> bars_;
  std::vector<std::string> errors_;
  std::vector<std::string> disconnects_;
  std::set<std::thread::id> threads_;
};

std::vector<model::Instrument> instruments() {
  std::vector<model::Instrument> out;
  for (auto& spec : model::reference_perpetual_specs("BINANCE")) out.push_back(*model::Instrument::create(spec));
  return out;
}

class BinanceDataClientTest : public ::testing::Test {
 protected:
  BinanceDataClientTest() {
    config.rest_base_url = mock.rest_url();
    config.stream_base_url = mock.stream_url();
    config.instruments = instruments();
    config.http.timeout = std::chrono::milliseconds(3000);
    config.reconnect.initial_backoff = std::chrono::milliseconds(20);
    config.reconnect.max_backoff = std::chrono::milliseconds(200);
    config.retry_delay = std::chrono::milliseconds(50);
    config.connect_timeout = std::chrono::milliseconds(5000);
  }

  void connect() {
    client = std::make_unique<BinanceDataClient>(config, sink, clock);
    auto s = client->connect();
    ASSERT_TRUE(s) << s.error().to_string();
  }

  // The documented sync from the start, leaving BTCUSDT live at update id 107:
  //   snapshot lastUpdateId 100: bids 30000.0×1.000, 29999.9×2.000, 29999.5×0.500
  //                              asks 30000.1×1.500, 30000.2×3.000
  //   A  U 90  u 95  pu 89   bid 29999.9→9.000                u < 100: dropped (it is in the snapshot)
  //   B  U 98  u 103 pu 95   bid 30000.0→1.250, ask 30000.1→0, ask 30000.3→4.000   U ≤ 100 ≤ u: bridges
  //   C  U 104 u 107 pu 103  bid 29999.5→0, bid 29999.8→0.750, ask 30000.2→2.500  pu = B's u: applied
  // Book by hand: bids 30000.0×1.250, 29999.9×2.000, 29999.8×0.750; asks 30000.2×2.500, 30000.3×4.000.
  void sync_btc_book() {
    mock.set_snapshot("BTCUSDT", 100, {{"30000.0", "1.000"}, {"29999.9", "2.000"}, {"29999.5", "0.500"}},
                      {{"30000.1", "1.500"}, {"30000.2", "3.000"}});
    ASSERT_TRUE(client->subscribe_book(kBtc, 0));
    ASSERT_TRUE(eventually([&] { return mock.subscribed("btcusdt@depth@100ms"); }));
    mock.push_depth("BTCUSDT", 90, 95, 89, {{"29999.9", "9.000"}}, {});
    mock.push_depth("BTCUSDT", 98, 103, 95, {{"30000.0", "1.250"}}, {{"30000.1", "0"}, {"30000.3", "4.000"}});
    mock.push_depth("BTCUSDT", 104, 107, 103, {{"29999.5", "0"}, {"29999.8", "0.750"}}, {{"30000.2", "2.500"}});
    ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 107; }));
  }

  MarketStreamMock mock;
  core::TestClock clock{UnixNanos::from_millis(1'700'000'000'000)};
  BinanceDataConfig config;
  RecordingSink sink;
  std::unique_ptr<BinanceDataClient> client;
};

TEST_F(BinanceDataClientTest, SubscribesWithLiveSubscribeMessagesAndUnsubscribes) {
  connect();
  ASSERT_TRUE(client->subscribe_trades(kBtc));
  ASSERT_TRUE(client->subscribe_trades(kBtc));  // idempotent: one SUBSCRIBE
  ASSERT_TRUE(client->subscribe_quotes(kEth));
  ASSERT_TRUE(client->subscribe_bars(kBtc, std::chrono::minutes(1)));
  ASSERT_TRUE(client->subscribe_mark_price(kBtc));
  ASSERT_TRUE(eventually([&] {
    return mock.subscriptions() == std::set<std::string>{"btcusdt@aggTrade", "ethusdt@bookTicker",
                                                         "btcusdt@kline_1m", "btcusdt@markPrice@1s"};
  }));
  const auto texts = mock.control_messages();
  ASSERT_EQ(texts.size(), 4u);
  const auto first = nlohmann::json::parse(texts[0]);
  EXPECT_EQ(first["method"], "SUBSCRIBE");
  EXPECT_EQ(first["params"], nlohmann::json::array({"btcusdt@aggTrade"}));
  EXPECT_TRUE(first["id"].is_number_unsigned());

  ASSERT_TRUE(client->unsubscribe_trades(kBtc));
  ASSERT_TRUE(client->unsubscribe_trades(kBtc));  // not subscribed any more: a no-op
  ASSERT_TRUE(eventually([&] { return !mock.subscribed("btcusdt@aggTrade"); }));
  const auto after = mock.control_messages();
  ASSERT_EQ(after.size(), 5u);
  const auto last = nlohmann::json::parse(after.back());
  EXPECT_EQ(last["method"], "UNSUBSCRIBE");
  EXPECT_EQ(last["params"], nlohmann::json::array({"btcusdt@aggTrade"}));
  EXPECT_EQ(client->subscribed_streams(),
            (std::vector<std::string>{"btcusdt@kline_1m", "btcusdt@markPrice@1s", "ethusdt@bookTicker"}));
}

TEST_F(BinanceDataClientTest, DeliversTradesQuotesClosedBarsAndMarkPricesFromOneThread) {
  std::mutex mark_mutex;
  std::vector<MarkPriceUpdate> marks;
  config.instruments = instruments();
  client = std::make_unique<BinanceDataClient>(config, sink, clock);
  client->set_mark_price_listener([&](const MarkPriceUpdate& m) {
    std::lock_guard lock(mark_mutex);
    marks.push_back(m);
  });
  ASSERT_TRUE(client->connect());
  ASSERT_TRUE(client->subscribe_trades(kBtc));
  ASSERT_TRUE(client->subscribe_quotes(kBtc));
  ASSERT_TRUE(client->subscribe_bars(kBtc, std::chrono::minutes(1)));
  ASSERT_TRUE(client->subscribe_mark_price(kBtc));
  ASSERT_TRUE(eventually([&] { return mock.subscriptions().size() == 4; }));

  mock.push("btcusdt@aggTrade",
            R"({"e":"aggTrade","E":123456789,"s":"BTCUSDT","a":5933014,"p":"30000.1","q":"0.250","f":100,"l":105,)"
            R"("T":123456785,"m":false})");
  mock.push("btcusdt@bookTicker",
            R"({"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BTCUSDT","b":"30000.0",)"
            R"("B":"1.500","a":"30000.1","A":"0.750"})");
  // An open kline (x false) is not a bar yet; the closed one is.
  const std::string kline = R"({"e":"kline","E":1638747720000,"s":"BTCUSDT","k":{"t":1638747660000,"T":1638747719999,)"
                            R"("s":"BTCUSDT","i":"1m","f":100,"L":200,"o":"30000.0","c":"30010.5","h":"30012.0",)"
                            R"("l":"29990.0","v":"12.500","n":100,"x":)";
  mock.push("btcusdt@kline_1m", kline + R"(false,"q":"1","V":"1","Q":"1","B":"0"}})");
  mock.push("btcusdt@kline_1m", kline + R"(true,"q":"1","V":"1","Q":"1","B":"0"}})");
  mock.push("btcusdt@markPrice@1s",
            R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091",)"
            R"("P":"11784.25641265","r":"0.00038167","T":1562306400000})");

  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mark_mutex);
    return !sink.trades().empty() && !sink.quotes().empty() && !sink.bars().empty() && !marks.empty();
  }));
  const auto trade = sink.trades().at(0);
  EXPECT_EQ(trade.instrument_id, kBtc);
  EXPECT_EQ(trade.price, *Price::parse("30000.1"));
  EXPECT_EQ(trade.size, *Quantity::parse("0.25"));
  EXPECT_EQ(trade.aggressor, model::AggressorSide::Buyer);  // m false: the buyer took liquidity
  EXPECT_EQ(trade.ts_event, UnixNanos::from_millis(123456785));
  const auto quote = sink.quotes().at(0);
  EXPECT_EQ(quote.bid_price, *Price::parse("30000.0"));
  EXPECT_EQ(quote.ask_size, *Quantity::parse("0.75"));
  ASSERT_EQ(sink.bars().size(), 1u);
  const auto bar = sink.bars().at(0);
  EXPECT_EQ(bar.interval, std::chrono::minutes(1));
  EXPECT_EQ(bar.bar.ts_event, UnixNanos::from_millis(1638747660000));
  EXPECT_EQ(bar.bar.close, *Price::parse("30010.5"));
  {
    std::lock_guard lock(mark_mutex);
    EXPECT_EQ(marks.at(0).instrument_id, kBtc);
    EXPECT_EQ(*marks.at(0).funding_rate, *core::Decimal::parse("0.00038167"));
  }
  const auto threads = sink.threads();
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

TEST_F(BinanceDataClientTest, BookSyncDropsEventsBeforeTheSnapshotAndAppliesTheBridgingEvent) {
  connect();
  sync_btc_book();
  const auto book = sink.depth(kBtc);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{level("30000.0", "1.250"), level("29999.9", "2.000"),
                                               level("29999.8", "0.750")}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{level("30000.2", "2.500"), level("30000.3", "4.000")}));
  EXPECT_EQ(sink.snapshots(kBtc), 1);
  EXPECT_EQ(sink.delta_batches(kBtc), 2);  // B and C; A never reached the sink
  EXPECT_TRUE(sink.errors().empty()) << sink.errors().front();
  EXPECT_EQ(client->stats().stale_dropped, 1u);
  EXPECT_EQ(mock.depth_targets(), (std::vector<std::string>{"/fapi/v1/depth?symbol=BTCUSDT&limit=1000"}));
}

TEST_F(BinanceDataClientTest, APuGapTriggersANewSnapshotAndTheBookFollowsIt) {
  connect();
  sync_btc_book();
  // The venue's book moved on to update 120; an event is lost: D's pu (110) is not C's u (107).
  //   snapshot 120: bids 30000.0×0.900, 29999.0×5.000; asks 30000.4×1.000
  //   D  U 112 u 115 pu 110  bid 29999.9→7.000   the gap; u < 120 so it is dropped after the new snapshot
  //   E  U 118 u 122 pu 115  bid 29999.0→0, ask 30000.5→2.000   bridges 120
  //   F  U 123 u 125 pu 122  bid 30000.1→0.100
  // Book by hand: bids 30000.1×0.100, 30000.0×0.900; asks 30000.4×1.000, 30000.5×2.000.
  mock.set_snapshot("BTCUSDT", 120, {{"30000.0", "0.900"}, {"29999.0", "5.000"}}, {{"30000.4", "1.000"}});
  mock.push_depth("BTCUSDT", 112, 115, 110, {{"29999.9", "7.000"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.snapshots(kBtc) == 2; }));
  mock.push_depth("BTCUSDT", 118, 122, 115, {{"29999.0", "0"}}, {{"30000.5", "2.000"}});
  mock.push_depth("BTCUSDT", 123, 125, 122, {{"30000.1", "0.100"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 125; }));
  const auto book = sink.depth(kBtc);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{level("30000.1", "0.100"), level("30000.0", "0.900")}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{level("30000.4", "1.000"), level("30000.5", "2.000")}));
  EXPECT_EQ(client->stats().gaps, 1u);
  EXPECT_EQ(mock.depth_requests(), 2u);
  EXPECT_TRUE(sink.errors().empty()) << sink.errors().front();
}

TEST_F(BinanceDataClientTest, AnOutOfOrderEventIsNotAppliedAndForcesAResync) {
  connect();
  sync_btc_book();
  // The two events after C arrive swapped: H2 (pu 110) before H1 (pu 107). H2 breaks the chain: a new
  // snapshot at 110 (which contains H1 and the earlier state) is fetched; H1 is then older than it.
  //   snapshot 110: bids 30000.0×1.250, 29999.9×2.000, 29999.8×0.750, 29999.7×1.000 (H1's bid)
  //                 asks 30000.2×2.500, 30000.3×4.000
  //   H2 U 111 u 113 pu 110  ask 30000.2→0   arrives first: gap (pu 110 ≠ 107), buffered, then the next
  //                          event after the snapshot (pu = 110 = lastUpdateId): applied
  //   H1 U 108 u 110 pu 107  bid 29999.7→1.000   arrives second: u 110 ≤ 113, already in the book: ignored
  // Book by hand: bids as the snapshot; asks 30000.3×4.000 only.
  mock.set_snapshot("BTCUSDT", 110,
                    {{"30000.0", "1.250"}, {"29999.9", "2.000"}, {"29999.8", "0.750"}, {"29999.7", "1.000"}},
                    {{"30000.2", "2.500"}, {"30000.3", "4.000"}});
  mock.push_depth("BTCUSDT", 111, 113, 110, {}, {{"30000.2", "0"}});
  mock.push_depth("BTCUSDT", 108, 110, 107, {{"29999.7", "1.000"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 113 && client->stats().stale_dropped == 2; }));
  const auto book = sink.depth(kBtc);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{level("30000.0", "1.250"), level("29999.9", "2.000"),
                                               level("29999.8", "0.750"), level("29999.7", "1.000")}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{level("30000.3", "4.000")}));
  EXPECT_EQ(client->stats().gaps, 1u);
  EXPECT_EQ(sink.snapshots(kBtc), 2);
}

TEST_F(BinanceDataClientTest, ASnapshotOlderThanTheBufferedEventsIsFetchedAgain) {
  connect();
  // First answer: lastUpdateId 100, older than the first buffered event (U 150 > 100) → fetched again; the
  // second answer (changed by the hook when the second request arrives) is at 151, which G bridges.
  //   snapshot 151: bids 30000.0×1.000; asks 30000.1×1.000
  //   G  U 150 u 152 pu 149  bid 30000.0→2.000
  // Book by hand: bids 30000.0×2.000; asks 30000.1×1.000; update id 152.
  mock.set_snapshot("BTCUSDT", 100, {{"29000.0", "1.000"}}, {{"31000.0", "1.000"}});
  mock.set_depth_hook([&](const std::string&, int n) {
    if (n == 2) mock.set_snapshot("BTCUSDT", 151, {{"30000.0", "1.000"}}, {{"30000.1", "1.000"}});
  });
  ASSERT_TRUE(client->subscribe_book(kBtc, 20));
  ASSERT_TRUE(eventually([&] { return mock.subscribed("btcusdt@depth@100ms"); }));
  mock.push_depth("BTCUSDT", 150, 152, 149, {{"30000.0", "2.000"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 152; }));
  const auto book = sink.depth(kBtc);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{level("30000.0", "2.000")}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{level("30000.1", "1.000")}));
  EXPECT_EQ(sink.snapshots(kBtc), 1);  // the old one was never delivered
  EXPECT_EQ(mock.depth_targets(), (std::vector<std::string>{"/fapi/v1/depth?symbol=BTCUSDT&limit=20",
                                                            "/fapi/v1/depth?symbol=BTCUSDT&limit=20"}));
}

TEST_F(BinanceDataClientTest, AFailedSnapshotIsRetriedAfterTheRetryDelay) {
  connect();
  mock.set_snapshot("BTCUSDT", 10, {{"30000.0", "1.000"}}, {{"30000.1", "1.000"}});
  mock.fail_next_depth(400, 1, -1121, "Invalid symbol.");
  ASSERT_TRUE(client->subscribe_book(kBtc, 0));
  ASSERT_TRUE(eventually([&] { return mock.subscribed("btcusdt@depth@100ms"); }));
  mock.push_depth("BTCUSDT", 9, 11, 8, {{"30000.0", "3.000"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 11; }));
  EXPECT_EQ(mock.depth_requests(), 2u);
  // snapshot 10 + the buffered event (U 9 ≤ 10 ≤ u 11): bid 30000.0×3.000, ask 30000.1×1.000.
  EXPECT_EQ(sink.depth(kBtc).bids, (std::vector<BookLevel>{level("30000.0", "3.000")}));
  const auto error = client->last_error();
  ASSERT_TRUE(error);
  EXPECT_NE(error->to_string().find("-1121"), std::string::npos) << error->to_string();
}

TEST_F(BinanceDataClientTest, AReconnectResubscribesEverythingAndResyncsEveryBook) {
  connect();
  ASSERT_TRUE(client->subscribe_trades(kEth));
  sync_btc_book();
  ASSERT_TRUE(eventually([&] { return mock.subscribed("ethusdt@aggTrade"); }));

  mock.drop_connections();
  ASSERT_TRUE(eventually([&] {
    return mock.connections_accepted() == 2 && mock.subscribed("btcusdt@depth@100ms") &&
           mock.subscribed("ethusdt@aggTrade");
  }));
  EXPECT_EQ(client->connections(), 2u);
  // One SUBSCRIBE with the full list on the new connection.
  const auto resubscribe = nlohmann::json::parse(mock.control_messages().back());
  EXPECT_EQ(resubscribe["method"], "SUBSCRIBE");
  EXPECT_EQ(resubscribe["params"], nlohmann::json::array({"btcusdt@depth@100ms", "ethusdt@aggTrade"}));
  ASSERT_TRUE(eventually([&] { return sink.disconnects().size() == 1; }));

  // The book is re-synced from a new snapshot: 300 with bids 30100.0×1.000, asks 30100.5×2.000, and
  //   I  U 299 u 301 pu 290  ask 30100.5→1.500, ask 30100.6→0.300
  // Book by hand: bids 30100.0×1.000; asks 30100.5×1.500, 30100.6×0.300. (pu 290 is not C's 107: without
  // the re-sync this event would be a gap.)
  mock.set_snapshot("BTCUSDT", 300, {{"30100.0", "1.000"}}, {{"30100.5", "2.000"}});
  mock.push_depth("BTCUSDT", 299, 301, 290, {}, {{"30100.5", "1.500"}, {"30100.6", "0.300"}});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 301; }));
  const auto book = sink.depth(kBtc);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{level("30100.0", "1.000")}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{level("30100.5", "1.500"), level("30100.6", "0.300")}));
  EXPECT_EQ(sink.snapshots(kBtc), 2);
  EXPECT_EQ(client->stats().gaps, 0u);  // a reconnect is not a gap
  // Trades flow again on the new connection.
  mock.push("ethusdt@aggTrade",
            R"({"e":"aggTrade","E":1,"s":"ETHUSDT","a":7,"p":"2000.01","q":"1.000","f":1,"l":1,"T":1,"m":true})");
  ASSERT_TRUE(eventually([&] { return sink.trades().size() == 1; }));
  EXPECT_TRUE(sink.errors().empty()) << sink.errors().front();
}

TEST_F(BinanceDataClientTest, RequestBookSnapshotRestartsTheSync) {
  connect();
  sync_btc_book();
  // snapshot 110: bids 30000.0×1.000; asks 30000.2×1.000;  J  U 108 u 111 pu 107  bid 29999.0→1.000
  // Book by hand: bids 30000.0×1.000, 29999.0×1.000; asks 30000.2×1.000.
  mock.set_snapshot("BTCUSDT", 110, {{"30000.0", "1.000"}}, {{"30000.2", "1.000"}});
  ASSERT_TRUE(client->request_book_snapshot(kBtc));
  mock.push_depth("BTCUSDT", 108, 111, 107, {{"29999.0", "1.000"}}, {});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 111; }));
  EXPECT_EQ(sink.snapshots(kBtc), 2);
  EXPECT_EQ(sink.depth(kBtc).bids, (std::vector<BookLevel>{level("30000.0", "1.000"), level("29999.0", "1.000")}));
  EXPECT_EQ(client->stats().gaps, 0u);
  EXPECT_FALSE(client->request_book_snapshot(kEth));  // not subscribed
}

TEST_F(BinanceDataClientTest, MalformedMessagesAreCountedAndDroppedAndABrokenBookEventResyncs) {
  connect();
  ASSERT_TRUE(client->subscribe_trades(kBtc));
  sync_btc_book();
  mock.push_raw("not json");
  mock.push("btcusdt@aggTrade", R"({"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"x","q":"1","f":1,"l":1,"T":1,"m":true})");
  mock.push("btcusdt@depth@100ms", R"({"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":108,"u":109,"pu":107,"b":[["1"]],"a":[]})");
  ASSERT_TRUE(eventually([&] { return client->stats().parse_errors == 3; }));
  const auto error = client->last_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where(), "data.b[0]");
  // The book lost an event, so the next one re-syncs from a snapshot (110) instead of being chained.
  mock.set_snapshot("BTCUSDT", 110, {{"30000.0", "1.000"}}, {{"30000.2", "1.000"}});
  mock.push_depth("BTCUSDT", 110, 112, 109, {}, {{"30000.3", "1.000"}});
  ASSERT_TRUE(eventually([&] { return sink.book_update_id(kBtc) == 112; }));
  EXPECT_EQ(sink.snapshots(kBtc), 2);
  EXPECT_EQ(sink.depth(kBtc).asks, (std::vector<BookLevel>{level("30000.2", "1.000"), level("30000.3", "1.000")}));
  EXPECT_TRUE(sink.trades().empty());
}

TEST_F(BinanceDataClientTest, RefusesWhatItCannotServeLocally) {
  client = std::make_unique<BinanceDataClient>(config, sink, clock);
  auto early = client->subscribe_trades(kBtc);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), core::ErrorCode::InvalidState);
  ASSERT_TRUE(client->connect());
  auto unknown = client->subscribe_trades(InstrumentId("DOGEUSDT", kVenue));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), core::ErrorCode::NotFound);
  EXPECT_EQ(unknown.error().where(), "instrument_id");
  auto deep = client->subscribe_book(kBtc, 5000);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code(), core::ErrorCode::Unsupported);
  auto odd = client->subscribe_bars(kBtc, std::chrono::minutes(7));
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().where(), "interval");
  EXPECT_TRUE(client->is_connected());
  client->disconnect();
  EXPECT_FALSE(client->is_connected());
}

TEST_F(BinanceDataClientTest, RequestBarsPagesRestKlinesAndKeepsClosedBarsInRange) {
  connect();
  // Three 1m bars opening at 1 699 999 680 000 (a whole minute), …740 000, …800 000 ms (all closed before
  // the clock's 1 700 000 000 000); the range [680 000, 800 000) holds the first two.
  auto row = [](std::int64_t open, const char* o, const char* h, const char* l, const char* c) {
    return std::make_pair(open, fmt::format(R"([{},"{}","{}","{}","{}","10.000",{},"300000.0",5,"5.000","150000.0","0"])",
                                            open, o, h, l, c, open + 59'999));
  };
  mock.set_klines("BTCUSDT", "1m",
                  {row(1'699'999'680'000, "30000.0", "30010.0", "29990.0", "30005.0"),
                   row(1'699'999'740'000, "30005.0", "30020.0", "30000.0", "30015.5"),
                   row(1'699'999'800'000, "30015.5", "30016.0", "29900.0", "29950.0")});
  auto bars = client->request_bars(kBtc, std::chrono::minutes(1), UnixNanos::from_millis(1'699'999'680'000),
                                   UnixNanos::from_millis(1'699'999'800'000));
  ASSERT_TRUE(bars) << bars.error().to_string();
  EXPECT_EQ(bars->instrument_id, kBtc);
  EXPECT_EQ(bars->interval, std::chrono::minutes(1));
  ASSERT_EQ(bars->bars.size(), 2u);
  EXPECT_EQ(bars->bars[0].ts_event, UnixNanos::from_millis(1'699'999'680'000));
  EXPECT_EQ(bars->bars[0].ts_recv, UnixNanos::from_millis(1'699'999'740'000));  // close + 1 ms
  EXPECT_EQ(bars->bars[1].close, *Price::parse("30015.5"));
  ASSERT_FALSE(mock.kline_targets().empty());
  EXPECT_NE(mock.kline_targets()[0].find("interval=1m"), std::string::npos);
}


TEST(BinanceRestDepth, FetchesTheSnapshotAtAValidLimitAndRefusesOthersLocally) {
  MarketStreamMock mock;
  mock.set_snapshot("BTCUSDT", 42,
                    {{"30000.0", "1.000"}, {"29999.9", "2.000"}, {"29999.8", "3.000"}, {"29999.7", "4.000"},
                     {"29999.6", "5.000"}, {"29999.5", "6.000"}},
                    {{"30000.1", "1.000"}});
  core::TestClock clock{UnixNanos::from_millis(1'700'000'000'000)};
  BinanceRestConfig config;
  config.base_url = mock.rest_url();
  BinanceRestClient rest(config, clock);
  auto refused = rest.depth("BTCUSDT", 200);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ApiErrorKind::InvalidRequest);
  EXPECT_FALSE(refused.error().sent);
  EXPECT_EQ(mock.depth_requests(), 0u);
  auto five = rest.depth("BTCUSDT", 5);
  ASSERT_TRUE(five) << five.error().message();
  EXPECT_EQ(five->update_id, 42u);
  ASSERT_EQ(five->bids.size(), 5u);  // the mock cut its 6 bids to the limit
  EXPECT_EQ(five->bids[4], level("29999.6", "5.000"));
  EXPECT_EQ(five->ts_recv, clock.now());
  EXPECT_EQ(rest.used_weight(), 2);  // limit 5 weighs 2 (no X-MBX-USED-WEIGHT-1M from this mock)
  EXPECT_EQ(mock.depth_targets(), (std::vector<std::string>{"/fapi/v1/depth?symbol=BTCUSDT&limit=5"}));
}
}  // namespace
}  // namespace ballast::adapters::binance::testing
