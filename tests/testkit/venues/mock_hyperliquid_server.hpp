#pragma once
// A mock Hyperliquid API on 127.0.0.1 for tests: POST /info answers canned JSON per request "type";
// POST /exchange re-derives the signed digest from the JSON it received (key order as received), recovers
// the signer's address from {r, s, v} and answers like the exchange — {"status":"err", …} when the
// recovered address is not the expected account, so any mistake in hashing or signing fails the test.
//
// WebSocket at /ws (docs "Websocket"): {"method":"subscribe"|"unsubscribe","subscription":{…}} is answered
// {"channel":"subscriptionResponse","data":<the request>}; {"method":"ping"} → {"channel":"pong"} (unless
// pings are being ignored). Market data is pushed only when a test asks (ws_push_market / ws_push_candle);
// in trading mode every order change the mock makes is pushed as orderUpdates (open, filled, canceled) and
// every fill as userFills to the account's subscribers, and a userFills subscription first gets the
// {"isSnapshot":true} history of every fill so far. Failure injection: drop every connection, refuse new
// ones (HTTP 503 on the upgrade), stop answering pings.
//
// Request weight (optional, enforce_weight_limit): the exchange's per-IP REST budget, counted the way the
// docs page "Rate limits and user limits" describes it, over a rolling 60 s of a test's Clock; a request
// that would exceed it is answered HTTP 429 with Retry-After.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/net/http_server.hpp"

namespace ballast::testing::hyperliquid {

class MockHyperliquidServer {
 public:
  MockHyperliquidServer(adapters::hyperliquid::Network network, adapters::hyperliquid::Address account);
  ~MockHyperliquidServer();

  std::string base_url() const;
  void set_info_response(const std::string& type, std::string body);
  // Every /exchange request answers HTTP `status` with `body` (failure injection) until cleared.
  void fail_exchange_with(unsigned status, std::string body);

  struct Received {
    std::string body;
    std::string action_type;
    bool signature_valid = false;
    adapters::hyperliquid::Address recovered{};
    std::uint64_t nonce = 0;
  };
  std::vector<Received> exchange_requests() const;
  std::vector<std::string> info_requests() const;

  // --- Request weight ---
  // From now on every /info and /exchange request is charged its weight at `clock`'s time; a charge made at
  // t counts while now < t + 60 s. A request that would take the count above `limit` is answered HTTP 429
  // {"error":"rate limited"} with "Retry-After: <s>" (whole seconds until it would fit, at least 1), and is
  // neither counted nor processed. Weights (written here from the docs table, independently of the client's):
  // /exchange 1 + floor(n / 40), n = the length of the action's "orders", "cancels" or "modifies"; /info 2 for
  // l2Book, allMids, clearinghouseState, orderStatus, spotClearinghouseState, exchangeStatus, 60 for userRole,
  // 20 for any other type; after answering, floor(items / 20) more for userFills, userFillsByTime,
  // historicalOrders, recentTrades, fundingHistory, userFunding (and the other per-20 types) and
  // floor(items / 60) for candleSnapshot, items = the length of the JSON array answered. `clock` must outlive
  // the server; tests advance it only while no request is in flight.
  void enforce_weight_limit(std::int64_t limit, const core::Clock& clock);
  // The next `n` requests (either endpoint) are answered HTTP 429 before anything else, with
  // "Retry-After: <retry_after_seconds>" when given; they are neither counted nor processed.
  void refuse_next_with_429(int n, std::optional<int> retry_after_seconds);
  std::int64_t weight_used() const;          // in the window at the clock's time (0 when not enforcing)
  std::int64_t max_weight_used() const;      // the highest window total after any charge
  std::size_t rate_limited_answers() const;  // HTTP 429s sent, either reason

  // --- Trading mode (mock_hyperliquid_trading.cpp) ---
  // Keeps orders by oid and cloid and answers order/cancel/cancelByCloid/modify/scheduleCancel with the
  // documented response shapes; /info openOrders, userFills, userFillsByTime, orderStatus,
  // clearinghouseState and allMids are computed from that state (meta stays canned). Asset index i is
  // coins[i]. A limit order that crosses the coin's mark fills completely at once at the mark, as taker
  // (fee = notional × 0.045 %, rounded half-even to 6 decimals, fee token USDC), with a new tid; one that
  // does not cross rests (GTC), is refused (IOC: "Order could not immediately match against any resting
  // orders. asset=…") or rests (ALO; an ALO that would cross is refused). Trigger orders rest untriggered.
  struct MockOrder {
    std::uint64_t oid = 0;
    std::string cloid;  // "" when none
    std::string coin;
    bool is_buy = true;
    core::Decimal limit_px;
    core::Decimal sz;
    core::Decimal orig_sz;
    bool is_trigger = false;
    bool reduce_only = false;
    std::uint64_t timestamp_ms = 0;
  };
  void enable_trading(std::vector<std::string> coins);
  void set_mark(const std::string& coin, core::Decimal mark);
  // A crossing order fills at most `size` (the rest rests for GTC, is cancelled for IOC); unlimited by default.
  void set_liquidity(const std::string& coin, core::Decimal size);
  // The next `n` /exchange requests are applied, but answered HTTP 502 (the acknowledgement is lost).
  void drop_next_exchange_responses(int n);
  // The next order is refused with {"error": message}; orderStatus then reports it "perpMarginRejected".
  void reject_next_order(std::string message);
  std::vector<MockOrder> open_orders() const;
  // The "time" of every scheduleCancel received, in order (nullopt = unschedule).
  std::vector<std::optional<std::uint64_t>> schedule_cancels() const;
  // Adds a fill of an order placed elsewhere (for reconciliation tests).
  void add_external_fill(const std::string& coin, bool is_buy, core::Decimal px, core::Decimal sz);
  // Fills the rest of an open order at its limit price (as taker, the same fee rule); false when the cloid
  // names no open order.
  bool fill_open_order(const std::string& cloid);
  // A position the account already holds with no fill in the mock's history (opened before it): reported by
  // clearinghouseState; later fills grow or shrink it by the usual rule. A zero size removes it.
  void set_position(const std::string& coin, core::Decimal szi, core::Decimal entry_px);
  // A resting limit order placed outside Ballast (no cloid, e.g. on the exchange's web page): listed by
  // openOrders, cancellable by oid, never filled by the mark. Returns its oid.
  std::uint64_t add_external_order(const std::string& coin, bool is_buy, core::Decimal px, core::Decimal sz);
  // "open", "filled", "canceled" (or a "…Rejected" status) of the order with this oid; "" when unknown.
  std::string order_state(std::uint64_t oid) const;
  // The oid the mock gave the order with this cloid; nullopt when no order carried it.
  std::optional<std::uint64_t> oid_of(const std::string& cloid) const;
  // Every fill made so far as (tid, oid), in order.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> fill_ids() const;

  // candleSnapshot answers from `count` synthetic candles: candle k opens at first_open_ms + k × interval_ms
  // (T = open + interval − 1), o = 100 + k, h = 101 + k, l = 99 + k, c = 100.5 + k, v = 1, n = 1; only
  // candles with startTime <= t <= endTime, at most page_limit of them (the earliest), as the exchange pages.
  void set_candles(std::uint64_t first_open_ms, std::uint64_t interval_ms, std::size_t count, std::size_t page_limit);

  // --- WebSocket ---
  std::string ws_url() const;  // ws://127.0.0.1:<port>/ws
  struct WsSubscription {
    std::uint64_t connection = 0;  // 1 for the first connection accepted, 2 for the next, …
    std::string key;               // "l2Book:BTC", "candle:BTC:1m", "userFills:0x…", …
  };
  // Every subscribe request received, in order.
  std::vector<WsSubscription> ws_subscriptions() const;
  std::size_t ws_open_connections() const;
  std::uint64_t ws_connections_accepted() const;
  std::size_t ws_pings() const;
  // Sends {"channel":type,"data":data_json} to every connection subscribed to {type, coin}; returns how many.
  std::size_t ws_push_market(const std::string& type, const std::string& coin, const std::string& data_json);
  std::size_t ws_push_candle(const std::string& coin, const std::string& interval, const std::string& data_json);
  // Closes every open WebSocket connection.
  void ws_drop_all();
  void ws_refuse_connections(bool refuse);
  void ws_answer_pings(bool answer);

 private:
  void handle(net::HttpRequest&& request, net::Responder respond);
  net::HttpResponse handle_info(const std::string& body);
  net::HttpResponse handle_exchange(const std::string& body);
  // Request weight; the caller holds mutex_. admit() answers the 429 or charges the request.
  std::optional<net::HttpResponse> admit(const std::string& path, const std::string& body);
  void charge_items(const std::string& body, const net::HttpResponse& answer);
  void charge(std::int64_t weight);
  void prune_weight();  // drops the charges that have left the window
  std::int64_t window_total() const;
  // Trading mode; the caller holds mutex_.
  net::HttpResponse trade(const std::string& type, const adapters::hyperliquid::WireValue& action);
  std::optional<std::string> trading_info(const std::string& type, const adapters::hyperliquid::WireValue& request);
  std::string order_status(const adapters::hyperliquid::WireValue& order);
  void fill(MockOrder& order, core::Decimal px, core::Decimal size);
  std::string order_json(const MockOrder& order) const;
  // Pushes {"channel":"orderUpdates"} for `order` with `status` to the account's subscribers.
  void push_order_update(const MockOrder& order, const std::string& status);
  void ws_message(const std::shared_ptr<net::WebSocketConnection>& connection, const std::string& text);
  // Sends to every connection subscribed to `key`; the caller holds mutex_.
  std::size_t ws_send_to(const std::string& key, const std::string& message);
  struct MockFill {
    std::string coin;
    bool is_buy = true;
    core::Decimal px;
    core::Decimal sz;
    core::Decimal start_position;
    std::uint64_t time_ms = 0;
    std::uint64_t oid = 0;
    std::uint64_t tid = 0;
    core::Decimal fee;
    std::string cloid;
  };
  std::string fill_json(const MockFill& fill) const;
  struct MockPosition {
    core::Decimal szi;
    core::Decimal entry_px;
  };

  adapters::hyperliquid::Network network_;
  adapters::hyperliquid::Address account_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> info_;
  std::vector<Received> exchange_;
  std::vector<std::string> info_requests_;
  std::uint64_t next_oid_ = 1000;
  unsigned fail_status_ = 0;
  std::string fail_body_;
  bool trading_ = false;
  std::vector<std::string> coins_;
  std::map<std::string, core::Decimal> marks_;
  std::map<std::string, core::Decimal> liquidity_;
  std::map<std::uint64_t, MockOrder> orders_;           // open, by oid
  std::map<std::uint64_t, std::string> final_status_;   // oid → filled / canceled
  std::map<std::string, std::uint64_t> oid_by_cloid_;
  std::vector<MockFill> fills_;
  std::map<std::string, MockPosition> positions_;
  std::vector<std::optional<std::uint64_t>> schedule_cancels_;
  int drop_responses_ = 0;
  std::string reject_next_;
  std::uint64_t next_tid_ = 500000;
  std::uint64_t candle_first_ms_ = 0;
  std::uint64_t candle_interval_ms_ = 0;
  std::size_t candle_count_ = 0;
  std::size_t candle_page_ = 0;
  struct WsPeer {
    std::shared_ptr<net::WebSocketConnection> connection;
    std::uint64_t number = 0;
    std::set<std::string> keys;
  };
  std::map<std::uint64_t, WsPeer> ws_peers_;  // by connection id
  std::vector<WsSubscription> ws_subscriptions_;
  std::uint64_t ws_accepted_ = 0;
  std::size_t ws_pings_ = 0;
  bool ws_refuse_ = false;
  bool ws_answer_pings_ = true;
  const core::Clock* weight_clock_ = nullptr;  // enforcing when set
  std::int64_t weight_limit_ = 0;
  std::deque<std::pair<std::int64_t, std::int64_t>> weight_charges_;  // (ns, weight), oldest first
  std::int64_t max_weight_used_ = 0;
  int refuse_429_ = 0;
  std::optional<int> refuse_retry_after_;
  std::size_t rate_limited_ = 0;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace ballast::testing::hyperliquid
