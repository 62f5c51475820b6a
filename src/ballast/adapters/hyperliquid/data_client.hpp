#pragma once
// HyperliquidDataClient: runtime::DataClient over Hyperliquid's WebSocket (ws_messages.hpp) for perpetuals
// <COIN>-PERP.<venue>, with history from POST /info candleSnapshot.
//
// Stream. One net::ReconnectingWebSocket; after every (re)connection it sends the subscribe message of every
// current subscription, so a reconnect resubscribes everything. A heartbeat {"method":"ping"} goes out every
// heartbeat_interval (the official SDK pings every 50 s; the server closes a connection that sent nothing
// for 60 s) and is answered {"channel":"pong"}; no message at all for idle_timeout means the connection is
// dead and it is reopened (backoff with jitter, see ReconnectingWebSocket). The sink's on_disconnected is
// called once per lost connection (not for every failed retry).
//
// Mapping:
//   subscribe_book   → {"type":"l2Book","coin"}: every message is a full snapshot of the top levels (at
//                      most 20 a side) → on_book_snapshot, update_id = the book's time in ms, cut to
//                      `depth` levels a side when depth > 0; depth > 20 is refused. There are no deltas,
//                      so request_book_snapshot() only checks the subscription: the next push (each block,
//                      ≥ 0.5 s apart) is the fresh snapshot.
//   subscribe_trades → {"type":"trades","coin"} → on_trade (aggressor from "side", trade id = tid).
//   subscribe_quotes → {"type":"bbo","coin"} → on_quote, only when both sides have a level.
//   subscribe_bars   → {"type":"candle","coin","interval"} (1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 3d 1w): the
//                      exchange re-sends the open candle as it changes; a candle is delivered (on_bar) when
//                      the next one starts, with ts_recv = its interval's end. Candles open across a
//                      reconnect are dropped (updates may have been missed) rather than delivered wrong.
// request_bars pages candleSnapshot (at most `candle_page` candles per answer), keeps bars with
// start <= ts_event < end that are complete by the Clock, oldest first, without duplicates.
//
// Threading: the kernel calls every method from one thread; subscribe/unsubscribe only queue a text for the
// stream. The sink is called from the stream's thread only, never after disconnect() returns.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"
#include "ballast/adapters/hyperliquid/ws_messages.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/net/reconnecting_websocket.hpp"
#include "ballast/runtime/data_client.hpp"

namespace ballast::adapters::hyperliquid {

inline constexpr std::string_view kMainnetWsUrl = "wss://api.hyperliquid.xyz/ws";
inline constexpr std::string_view kTestnetWsUrl = "wss://api.hyperliquid-testnet.xyz/ws";

struct HyperliquidDataConfig {
  core::VenueId venue{"HYPERLIQUID"};
  std::string ws_url{kTestnetWsUrl};
  net::HttpClientOptions http{};
  net::ReconnectPolicy backoff{};
  std::chrono::milliseconds heartbeat_interval{std::chrono::seconds(50)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::size_t candle_page = 5000;  // the most candles one candleSnapshot answer holds
};

// "BTC-PERP.HYPERLIQUID" → "BTC"; an error naming `field` for another venue or a non-perpetual symbol.
core::Result<std::string> perp_coin(const core::InstrumentId& instrument_id, const core::VenueId& venue,
                                    std::string_view field = "instrument_id");

class HyperliquidDataClient final : public runtime::DataClient {
 public:
  // `rest` serves request_bars (null: request_bars fails); it is used under this client's own mutex, so
  // nobody else may use it meanwhile. `sink` and `clock` must outlive the client.
  HyperliquidDataClient(HyperliquidDataConfig config, HyperliquidRestClient* rest, runtime::MarketDataSink& sink,
                        const core::Clock& clock);
  ~HyperliquidDataClient() override;

  const core::VenueId& venue() const override { return config_.venue; }
  // Opens the WebSocket (waits up to connect_timeout for the first connection).
  core::Status connect() override;
  void disconnect() override;
  bool is_connected() const override;

  core::Status subscribe_quotes(const core::InstrumentId& instrument_id) override;
  core::Status unsubscribe_quotes(const core::InstrumentId& instrument_id) override;
  core::Status subscribe_trades(const core::InstrumentId& instrument_id) override;
  core::Status unsubscribe_trades(const core::InstrumentId& instrument_id) override;
  core::Status subscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) override;
  core::Status unsubscribe_bars(const core::InstrumentId& instrument_id, core::Duration interval) override;
  core::Status subscribe_book(const core::InstrumentId& instrument_id, std::size_t depth) override;
  core::Status unsubscribe_book(const core::InstrumentId& instrument_id) override;
  core::Status request_book_snapshot(const core::InstrumentId& instrument_id) override;

  core::Result<model::BarSeries> request_bars(const core::InstrumentId& instrument_id, core::Duration interval,
                                              core::UnixNanos start, core::UnixNanos end) override;

  // Connections made so far (1 after connect(); +1 per reconnect).
  std::uint64_t connections() const;
  // Current subscriptions (their keys: "l2Book:BTC", "trades:BTC", "bbo:BTC", "candle:BTC:1m").
  std::vector<std::string> subscriptions() const;

 private:
  struct Subscription {
    std::string subscribe;
    std::string unsubscribe;
  };
  core::Status add(std::string key, Subscription sub, const std::string& coin, const core::InstrumentId& id);
  core::Status remove(const std::string& key);
  core::Status require_connected() const;
  std::vector<std::string> on_connected(std::uint64_t connection_number);
  void on_message(std::string_view text);
  void on_disconnected(const core::Error& reason);
  void deliver_candle(const WsCandle& candle);

  HyperliquidDataConfig config_;
  HyperliquidRestClient* rest_;
  runtime::MarketDataSink* sink_;
  const core::Clock* clock_;

  mutable std::mutex mutex_;  // guards everything below up to ws_
  std::map<std::string, Subscription> subscriptions_;
  std::vector<std::string> unsent_;                      // subscribe/unsubscribe texts a send() refused
  std::map<std::string, core::InstrumentId> instruments_;  // coin → instrument
  std::map<std::string, std::size_t> book_depth_;          // coin → levels a side (0 = all)
  std::unique_ptr<net::ReconnectingWebSocket> ws_;

  // Stream thread only.
  WsMessage message_;
  std::map<std::string, WsCandle> open_candles_;  // "BTC:1m" → the candle still open
  std::atomic<bool> up_{false};

  std::mutex rest_mutex_;
};

}  // namespace ballast::adapters::hyperliquid
