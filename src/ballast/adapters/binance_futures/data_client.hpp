#pragma once
// BinanceDataClient: the runtime::DataClient port for Binance USDⓈ-M Futures market streams.
//
// One combined-stream WebSocket (<stream base>/stream, net::ReconnectingWebSocket) carries every
// subscription; subscribe_* send a live {"method":"SUBSCRIBE","params":[…],"id":N} and unsubscribe_* an
// UNSUBSCRIBE. After every (re)connection the full current subscription list is sent again, so a reconnect
// (Binance closes a connection after 24 h at the latest) resubscribes everything. Streams used:
//   quotes  <symbol>@bookTicker      → on_quote
//   trades  <symbol>@aggTrade        → on_trade (trade id = the aggregate id)
//   bars    <symbol>@kline_<i>       → on_bar, closed klines only (k.x = true)
//   books   <symbol>@depth@100ms     → on_book_snapshot, then on_book_deltas
//   mark    <symbol>@markPrice@1s    → the mark-price listener (the port has no method for it)
//
// Books follow Binance's documented procedure: the diff events of a book are buffered from the moment the
// stream is open; on the first one the client fetches GET /fapi/v1/depth (limit from subscribe_book's depth,
// else snapshot_limit), drops buffered events with u < lastUpdateId, requires the first applied one to
// bridge the snapshot (U <= lastUpdateId <= u; also accepted: pu == lastUpdateId, the very next event, when
// the bridging one was not received), delivers the snapshot and then each event whose pu equals the previous
// event's u. A late event already contained in the book (u <= the book's last u) is ignored. An event whose pu does not match (a lost or out-of-order event) starts a new
// sync by itself (a fresh snapshot; counted in stats().gaps). A snapshot older than the buffered events
// (first buffered U > lastUpdateId) is fetched again, up to max_snapshot_attempts in a row; after a failed
// fetch the book waits retry_delay before the next try. A reconnect re-syncs every book. request_book_snapshot
// restarts the sync of a book the same way: its snapshot comes with the next diff event of that book
// (Binance sends one every 100 ms). BookUpdate ids: first = pu + 1, last = u (market_streams.hpp), so the
// kernel's OrderBook::apply_deltas accepts exactly the chain the client verified.
//
// Threading: the kernel thread calls the port's methods (subscribe/unsubscribe never block on the network;
// connect, disconnect and request_bars do). Every sink call, and every mark-price listener call, comes from
// ONE thread owned by the client (its dispatcher), also used for the snapshot fetches: the WebSocket's thread
// only hands messages over, so events keep being buffered while a snapshot is fetched. Nothing is called
// after disconnect() returns. A message that does not parse is dropped and counted (stats().parse_errors,
// last_error()); a book event that does not parse also restarts that book's sync since its chain is broken.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ballast/adapters/binance_futures/market_streams.hpp"
#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/net/http_client.hpp"
#include "ballast/net/reconnecting_websocket.hpp"
#include "ballast/runtime/data_client.hpp"

namespace ballast::adapters::binance {

struct BinanceDataConfig {
  std::string rest_base_url{kMainnetBaseUrl};      // kTestnetBaseUrl, or http://127.0.0.1:<port> in tests
  std::string stream_base_url{kMainnetStreamUrl};  // kTestnetStreamUrl, or ws://127.0.0.1:<port> in tests
  core::VenueId venue{"BINANCE"};
  // The instruments the client knows: each id's symbol is the Binance symbol ("BTCUSDT.BINANCE").
  std::vector<model::Instrument> instruments;
  net::HttpClientOptions http{};  // REST and the WebSocket handshake (timeout, TLS verification, CA file)
  int snapshot_limit{1000};       // GET /fapi/v1/depth limit when subscribe_book's depth is 0
  int max_snapshot_attempts{3};   // snapshots fetched in a row while each is older than the buffered events
  std::chrono::milliseconds retry_delay{1000};  // after a failed or too-old snapshot
  std::size_t max_buffered_events{1000};        // per book while it waits for its snapshot (oldest dropped)
  net::ReconnectPolicy reconnect{};
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};  // Binance pings every 3 minutes
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::int64_t weight_limit_per_minute{2400};
};

class BinanceDataClient final : public runtime::DataClient {
 public:
  // Mark price and funding: called on the dispatcher thread (see the header comment).
  using MarkPriceListener = std::function<void(const MarkPriceUpdate&)>;

  struct Stats {
    std::uint64_t messages{0};          // WebSocket texts handled
    std::uint64_t parse_errors{0};      // texts or events that did not parse (dropped)
    std::uint64_t venue_errors{0};      // {"error":…} answers to SUBSCRIBE/UNSUBSCRIBE
    std::uint64_t snapshots{0};         // snapshots delivered to the sink
    std::uint64_t snapshot_fetches{0};  // GET /fapi/v1/depth calls (failed ones included)
    std::uint64_t gaps{0};              // pu mismatches that restarted a sync
    std::uint64_t stale_dropped{0};     // buffered events older than the snapshot
    std::uint64_t book_updates{0};      // on_book_deltas calls
  };

  BinanceDataClient(BinanceDataConfig config, runtime::MarketDataSink& sink, const core::Clock& clock);
  ~BinanceDataClient() override;  // disconnect()
  BinanceDataClient(const BinanceDataClient&) = delete;
  BinanceDataClient& operator=(const BinanceDataClient&) = delete;

  const core::VenueId& venue() const override { return config_.venue; }
  // Opens the stream (waiting up to connect_timeout for the first connection) and starts the dispatcher.
  core::Status connect() override;
  void disconnect() override;
  bool is_connected() const override;

  core::Status subscribe_quotes(const core::InstrumentId& instrument_id) override;
  core::Status unsubscribe_quotes(const core::InstrumentId& instrument_id) override;
  core::Status subscribe_trades(const core::InstrumentId& instrument_id) override;
  core::Status unsubscribe_trades(const core::InstrumentId& instrument_id) override;
  // interval: one of Binance's kline lengths (1m … 1w; 1M has no fixed length and is refused).
  core::Status subscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) override;
  core::Status unsubscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) override;
  // depth: levels of the REST snapshot, rounded up to a valid limit (5 … 1000; 0 = snapshot_limit); the
  // diff stream itself is always the full book. Above 1000: Unsupported.
  core::Status subscribe_book(const core::InstrumentId& instrument_id, std::size_t depth) override;
  core::Status unsubscribe_book(const core::InstrumentId& instrument_id) override;
  core::Status request_book_snapshot(const core::InstrumentId& instrument_id) override;
  // Pages GET /fapi/v1/klines (download_klines); bars not closed at the clock's now are left out.
  core::Result<model::BarSeries> request_bars(const core::InstrumentId& instrument_id, core::Duration interval,
                                              core::UnixNanos start, core::UnixNanos end) override;

  // Mark price, index price, funding rate and next funding time (<symbol>@markPrice@1s). Set the listener
  // before connect(); updates of a subscribed instrument without a listener are dropped.
  void set_mark_price_listener(MarkPriceListener listener);
  core::Status subscribe_mark_price(const core::InstrumentId& instrument_id);
  core::Status unsubscribe_mark_price(const core::InstrumentId& instrument_id);

  Stats stats() const;
  std::optional<core::Error> last_error() const;
  // Successful WebSocket connections so far (1 after connect(), 2 after the first reconnect, …).
  std::uint64_t connections() const;
  // The streams currently subscribed, sorted (what a reconnect sends).
  std::vector<std::string> subscribed_streams() const;

  struct Dispatcher;  // the dispatcher thread's state (data_client.cpp)

 private:
  core::Result<std::string> symbol_of(const core::InstrumentId& instrument_id) const;
  core::Status add_stream(const std::string& stream);
  core::Status remove_stream(const std::string& stream);
  std::string control_message(std::string_view method, const std::vector<std::string>& streams);
  std::vector<std::string> on_connected(std::uint64_t connection_number);
  void flush_unsent_control();
  bool is_subscribed(std::string_view stream) const;
  std::optional<core::InstrumentId> instrument_of(std::string_view symbol) const;

  BinanceDataConfig config_;
  runtime::MarketDataSink* sink_;
  const core::Clock* clock_;
  std::map<std::string, core::InstrumentId, std::less<>> by_symbol_;  // Binance symbol → id (read-only)
  std::map<core::InstrumentId, std::string> symbols_;                  // id → Binance symbol (read-only)
  std::unique_ptr<BinanceRestClient> rest_;
  MarkPriceListener mark_listener_;

  mutable std::mutex streams_mutex_;
  std::set<std::string, std::less<>> streams_;  // current subscriptions
  std::vector<std::string> unsent_control_;  // SUBSCRIBE/UNSUBSCRIBE texts the stream refused (not connected)
  std::atomic<std::int64_t> next_request_id_{1};

  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<net::ReconnectingWebSocket> ws_;
};

}  // namespace ballast::adapters::binance
