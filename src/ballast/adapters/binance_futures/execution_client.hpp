#pragma once
// BinanceExecutionClient: runtime::ExecutionClient for one Binance USDⓈ-M Futures account, over the
// BinanceRestClient (one-way position mode, symbols "<SYMBOL>.<venue>").
//
// Commands are checked locally (instrument of this venue, an order type Binance can express) and queued
// for the client's own I/O thread, which sends them and reports through the ExecutionEventSink:
//  - submit: OrderAccepted (venue order id; "algo-<algoId>" for conditional orders) or OrderRejected with
//    Binance's code and message. When the answer is lost (transport failure, timeout, 5xx) or Binance
//    says the client order id is a duplicate, the order is looked up by its client order id: found →
//    OrderAccepted, -2013 "Order does not exist" → OrderRejected; while the lookup itself fails the order
//    stays "unknown" and each poll tries again. No order is silently forgotten.
//  - cancel: OrderCanceled or OrderCancelRejected; modify (LIMIT only): OrderUpdated or OrderModifyRejected;
//    cancel-all: one DELETE per symbol (regular and algo orders), then a poll reports each order's end.
//
// USER-DATA STREAM (when config.user_stream.enabled, the default): connect() creates a listen key
// (POST /fapi/v1/listenKey) and opens <user_stream.url>/<listenKey> through a net::ReconnectingWebSocket
// whose url_provider always builds the URL from the current key. The I/O thread keeps the key alive
// (PUT every user_stream.keepalive_interval; Binance lets a key lapse after 60 minutes). When Binance says
// the key is gone (a listenKeyExpired event, or -1125 on a keep-alive or after a dropped connection) the
// client creates a new key and reconnects the stream to it. Binance closes every connection after 24 h;
// that is an ordinary drop followed by a reconnect. disconnect() closes the key (DELETE).
//  - ORDER_TRADE_UPDATE for an order this client tracks → NEW: OrderAccepted (when the REST answer was
//    lost), TRADE/CALCULATED: OrderFilled (OrderTradeUpdate::to_fill), CANCELED: OrderCanceled, EXPIRED:
//    OrderExpired, AMENDMENT: OrderUpdated (unless the modify's REST answer already reported the same
//    quantity and price). For an order it does not track (an earlier session's, one placed outside
//    Ballast, the exchange's liquidation orders) only fills and ends are reported, under the venue's client
//    and order ids (the kernel finds an adopted order by its venue order id); placement and amendment come
//    back through reconciliation (query_open_orders / query_fills_since). Not reported: late updates of an
//    order this client placed and saw end, and a trade while one of our conditional orders in that symbol
//    has triggered unseen (polling reports it under the conditional order).
//  - Exactly once: stream messages are handed to the I/O thread, the same thread that sends commands and
//    polls, so the REST answer and the stream never race; a fill is reported once per trade id and an
//    order's end once (a finished order is forgotten, so a late update for it is dropped).
//  - ACCOUNT_UPDATE and MARGIN_CALL go to the AccountStreamListener (set_account_listener), on the I/O
//    thread; the server turns a margin call into a risk alert.
//  - While the stream is connected, timed polling of regular orders stops (conditional orders are still
//    polled: their ALGO_UPDATE events are not parsed). While it is down, polling runs every poll_interval
//    as before. After every (re)connection the client polls every order it tracks once, so a change made
//    in the gap is reported (once). A dropped stream is reported through sink.on_disconnected().
//
// POLLING (fallback, and the whole story when the stream is disabled): every poll_interval the I/O thread
// queries GET /fapi/v1/order (GET /fapi/v1/algoOrder for conditional orders) for each order this client
// tracks, and when executedQty grew it reads GET /fapi/v1/userTrades to emit one OrderFilled per new trade.
// Fills of a triggered conditional order are not reported (only its cancel/expiry/reject).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ballast/adapters/binance_futures/rest_client.hpp"
#include "ballast/adapters/binance_futures/user_data.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/runtime/execution_client.hpp"

namespace ballast::net {
class ReconnectingWebSocket;
}

namespace ballast::adapters::binance {

// The stream URL base; the client appends "/<listenKey>".
inline constexpr std::string_view kMainnetUserStreamUrl = "wss://fstream.binance.com/ws";
inline constexpr std::string_view kTestnetUserStreamUrl = "wss://stream.binancefuture.com/ws";

struct BinanceUserStreamConfig {
  bool enabled{true};  // false: polling only
  std::string url{kMainnetUserStreamUrl};
  // Binance keeps a key for 60 minutes after the last keep-alive and recommends one every 30.
  core::Duration keepalive_interval{std::chrono::minutes(30)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};  // connect() waits this long
  std::chrono::milliseconds initial_backoff{250};                      // reconnect back-off
  std::chrono::milliseconds max_backoff{30000};
  // A stream with no message for this long is taken as dead and reopened (a quiet account re-polls then).
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
  bool verify_tls{true};
};

// ACCOUNT_UPDATE and MARGIN_CALL as they arrive, on the client's I/O thread (the thread that calls the
// sink). Keep them short: they hold up the stream. Unset members are not called.
struct AccountStreamListener {
  std::function<void(const AccountUpdate&)> on_account_update;
  std::function<void(const MarginCall&)> on_margin_call;
};

struct BinanceExecutionConfig {
  core::AccountId account_id;
  // Symbols whose fills query_fills_since() reads (userTrades needs a symbol); tracked orders' symbols
  // are added automatically.
  std::vector<std::string> symbols;
  core::Duration poll_interval{std::chrono::seconds(1)};
  BinanceUserStreamConfig user_stream{};
};

class BinanceExecutionClient final : public runtime::ExecutionClient {
 public:
  // `rest` and `sink` must outlive the client.
  BinanceExecutionClient(BinanceExecutionConfig config, BinanceRestClient& rest, runtime::ExecutionEventSink& sink,
                         const core::Clock& clock);
  ~BinanceExecutionClient() override;

  const core::VenueId& venue() const override { return rest_->config().venue; }
  const core::AccountId& account_id() const override { return config_.account_id; }

  // Syncs the server time, loads exchangeInfo (order types per symbol, the weight limit) and reads the
  // account (which proves the key and signature work), starts the I/O thread and, when the user stream is
  // enabled, creates a listen key and opens the stream (waiting up to user_stream.connect_timeout; a
  // failure to get a key or a first connection fails connect()).
  core::Status connect() override;
  void disconnect() override;
  bool is_connected() const override;

  core::Status submit_order(const model::SubmitOrder& command) override;
  core::Status cancel_order(const model::CancelOrder& command) override;
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override;
  core::Status modify_order(const model::ModifyOrder& command) override;

  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) override;
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override;
  // Fills of the configured and followed symbols from the millisecond of `since` on (Binance's resolution).
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override;

  // Asks the I/O thread for a poll now (tests; after a reconnect).
  void request_poll();
  // Where ACCOUNT_UPDATE and MARGIN_CALL go. Set it before connect().
  void set_account_listener(AccountStreamListener listener);
  // The user-data stream is connected (as last seen by the I/O thread).
  bool user_stream_connected() const { return stream_up_.load(); }
  // Listen keys created so far (1 after connect(); one more per expiry).
  std::size_t listen_keys_created() const { return keys_created_.load(); }
  // Orders this client is following (open or of unknown outcome).
  std::size_t tracked_orders() const;

  // The Binance request for an order (exposed for tests): type, price/stop price, GTX for post-only.
  static core::Result<NewOrderRequest> to_request(const model::Order& order, const core::VenueId& venue);

 private:
  struct Tracked {
    model::OrderEventBase ids;  // client order id, strategy, account, instrument (ts fields unused)
    std::string symbol;
    model::OrderSide side{model::OrderSide::Buy};
    bool is_algo{false};
    bool unknown{false};  // placement outcome not known yet
    std::optional<core::VenueOrderId> venue_order_id;
    std::int64_t venue_numeric_id{0};
    model::Quantity quantity;
    std::optional<model::Price> price;
    model::Quantity reported_filled;
    std::set<std::int64_t> trade_ids;
    core::UnixNanos ts_submitted;
    // A conditional order once triggered: the matching-engine order it placed (its fills carry this id).
    std::int64_t matching_order_id{0};
  };

  void enqueue(std::function<void()> task);
  void run();
  void do_submit(NewOrderRequest request, model::OrderEventBase ids);
  void do_cancel(model::CancelOrder command);
  void do_modify(model::ModifyOrder command);
  void do_cancel_all(model::CancelAllOrders command);
  // algo_only: conditional orders only (while the stream reports the regular ones).
  void poll(bool algo_only = false);
  // Stream plumbing: every callback of the stream thread becomes a task for the I/O thread.
  core::Status open_user_stream();
  void on_stream_message(UserDataEvent event);
  void on_stream_up();
  void on_stream_down(const core::Error& reason);
  void apply_stream_update(const OrderTradeUpdate& u);
  void apply_algo_update(const AlgoUpdate& u);
  // Reports a TRADE/CALCULATED execution of the stream as a fill of `t` (once per trade id).
  void report_stream_trade(Tracked& t, const OrderTradeUpdate& u);
  // A conditional order placed `matching_order_id` in the matching engine: its fills are followed by that id.
  void follow_trigger(Tracked& t, std::int64_t matching_order_id);
  void report_untracked(const OrderTradeUpdate& u);
  void remember_order_id(std::int64_t order_id, const core::ClientOrderId& client_order_id);
  void keep_alive();
  void renew_listen_key(const char* why);
  std::string stream_url() const;
  void finish(std::map<std::string, Tracked>::iterator it);
  // Applies the venue's view of a tracked order; returns false when the order is finished.
  bool apply_status(Tracked& t, const VenueOrder& order);
  // Reports the fills of `t` that userTrades lists and were not reported yet; false when the query failed.
  bool emit_fills(Tracked& t);
  void on_lookup(Tracked& t, const ApiResult<VenueOrder>& found, const std::string& why);
  model::OrderEventBase stamp(const model::OrderEventBase& ids, core::UnixNanos ts_event) const;
  core::Status require_connected() const;

  BinanceExecutionConfig config_;
  BinanceRestClient* rest_;
  runtime::ExecutionEventSink* sink_;
  const core::Clock* clock_;
  std::optional<ExchangeInfo> info_;

  mutable std::mutex mutex_;  // guards tasks_, stop_, connected_, poll_requested_
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_{false};
  bool connected_{false};
  bool poll_requested_{false};
  // The I/O thread holds tracked_mutex_ for a whole command or poll (REST calls included); the kernel
  // thread takes it only in the blocking queries.
  mutable std::mutex tracked_mutex_;
  std::map<std::string, Tracked> tracked_;  // by client order id
  // The regular orders this client placed (finished ones for kOrderIdRetention): userTrades carries only the
  // orderId. remember_order_id() adds one and forgets those finished longer ago.
  static constexpr std::chrono::hours kOrderIdRetention{48};  // the server reconciles 24 h of fills
  std::map<std::int64_t, core::ClientOrderId> client_ids_;
  std::deque<std::pair<core::UnixNanos, std::int64_t>> remembered_;  // (when, order id), oldest first
  // The matching-engine order of a triggered conditional order → the conditional order's client id.
  std::map<std::int64_t, std::string> triggered_;
  AccountStreamListener listener_;

  mutable std::mutex key_mutex_;  // guards listen_key_ (read by the stream thread's url_provider)
  std::string listen_key_;
  std::atomic<bool> stream_up_{false};
  std::atomic<std::size_t> keys_created_{0};
  bool stream_was_down_{false};  // I/O thread only: on_disconnected reported once per drop
  std::chrono::steady_clock::time_point next_keepalive_{};
  std::chrono::steady_clock::time_point next_poll_{};
  std::unique_ptr<net::ReconnectingWebSocket> stream_;
  std::thread worker_;
};

}  // namespace ballast::adapters::binance
