#pragma once
// BinanceRestClient: the REST half of the Binance USDⓈ-M Futures adapter. Blocking calls over one
// keep-alive net::HttpClient, serialised by a mutex (the execution client's I/O thread and the
// kernel's reconciliation queries share it).
//
// What every call does:
//  - SIGNED calls carry recvWindow and timestamp (local clock + the offset measured by sync_time()) and
//    an HMAC-SHA256 signature (signing.hpp); every call with a key carries X-MBX-APIKEY. Parameters go in
//    the query string for every method (Binance accepts that for POST/PUT/DELETE too).
//  - Request weight: the call's documented weight is checked against the REQUEST_WEIGHT per-minute limit
//    (from exchangeInfo, else config); a call that would exceed it first sleeps (injected Sleeper) until
//    the next minute. X-MBX-USED-WEIGHT-1M of each answer resets the count.
//  - -1021 (timestamp outside recvWindow): re-sync the server time and send once more.
//  - 429: no retry; every call fails locally with RateLimited until Retry-After has passed.
//  - 418 (IP ban): every call fails locally with Banned until the ban ends (Retry-After, or the
//    "banned until <ms>" time in the message), without contacting the server.
//  - Transport failures and 5xx are retried with exponential backoff and full jitter only for idempotent
//    calls: GETs; order placement/cancel, which always carry a client order id (a repeated placement is
//    then refused by Binance as a duplicate instead of creating a second order); cancel-all, set leverage,
//    set margin type and the listenKey calls (repeating them leaves the same state). Modify (PUT) is never
//    retried. After the retries the error is UnknownOutcome: the caller must query the order by its
//    client order id.
//
// Conditional orders (STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET) go to the Algo Service
// (/fapi/v1/algoOrder, clientAlgoId), as Binance requires since 2025-12-09.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/binance_futures/api_error.hpp"
#include "ballast/adapters/binance_futures/klines.hpp"
#include "ballast/adapters/binance_futures/signing.hpp"
#include "ballast/adapters/binance_futures/venue_types.hpp"
#include "ballast/adapters/binance_futures/weight_limiter.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::adapters::binance {

inline constexpr std::string_view kMainnetBaseUrl = "https://fapi.binance.com";
inline constexpr std::string_view kTestnetBaseUrl = "https://testnet.binancefuture.com";

struct RetryPolicy {
  int max_attempts{3};                        // including the first
  std::chrono::milliseconds base_delay{250};  // attempt n waits uniform(0, min(max, base·2^(n−1)))
  std::chrono::milliseconds max_delay{4000};
};

struct BinanceRestConfig {
  std::string base_url{kMainnetBaseUrl};  // or kTestnetBaseUrl, or http://127.0.0.1:<port> in tests
  core::VenueId venue{"BINANCE"};         // instrument ids are "<symbol>.<venue>"
  std::string api_key;
  std::string api_secret;
  std::chrono::milliseconds recv_window{5000};
  std::chrono::milliseconds timeout{10000};
  bool verify_tls{true};
  std::int64_t weight_limit_per_minute{2400};  // until exchangeInfo says otherwise
  RetryPolicy retry{};
  std::uint64_t jitter_seed{0};  // 0 = seeded from std::random_device
};

struct NewOrderRequest {
  std::string symbol;
  model::OrderSide side{model::OrderSide::Buy};
  VenueOrderType type{VenueOrderType::Limit};
  model::Quantity quantity;
  std::optional<model::Price> price;              // LIMIT, STOP, TAKE_PROFIT
  std::optional<model::Price> stop_price;         // conditional types (sent as triggerPrice)
  std::optional<VenueTimeInForce> time_in_force;  // LIMIT/STOP/TAKE_PROFIT; GTX = post-only
  bool reduce_only{false};
  std::string client_order_id;  // newClientOrderId / clientAlgoId; required (idempotent retries)
};

// Sleeps for the given duration; tests pass one that advances a TestClock.
using Sleeper = std::function<void(core::Duration)>;

class BinanceRestClient {
 public:
  BinanceRestClient(BinanceRestConfig config, const core::Clock& clock, Sleeper sleeper = {});
  ~BinanceRestClient();
  BinanceRestClient(const BinanceRestClient&) = delete;
  BinanceRestClient& operator=(const BinanceRestClient&) = delete;

  const BinanceRestConfig& config() const noexcept { return config_; }

  // GET /fapi/v1/time: offset = serverTime − midpoint of the local send and receive times.
  ApiResult<Empty> sync_time();
  core::Duration time_offset() const;

  // Market data and rules (public).
  ApiResult<ExchangeInfo> exchange_info();  // also adopts the REQUEST_WEIGHT limit
  ApiResult<std::map<std::string, std::vector<model::MarginTier>>> leverage_brackets(
      const std::optional<std::string>& symbol = std::nullopt);  // USER_DATA (signed)
  // exchangeInfo + leverageBracket → instruments with margin tiers.
  ApiResult<std::vector<model::Instrument>> instruments();

  // GET /fapi/v1/klines (public): bars whose open time is in [start_time, end_time] (both optional,
  // whole milliseconds), oldest first, at most `limit` (1..1500; weight from kline_request_weight).
  ApiResult<std::vector<Kline>> klines(const std::string& symbol, KlineInterval interval,
                                       std::optional<core::UnixNanos> start_time,
                                       std::optional<core::UnixNanos> end_time, int limit = kKlineDefaultLimit);
  // GET /fapi/v1/depth (public): the order book snapshot (market_streams.hpp parses it), `limit` levels per
  // side, one of 5, 10, 20, 50, 100, 500, 1000 (weight 2, 2, 2, 2, 5, 10, 20). ts_recv = the clock at the answer.
  ApiResult<model::BookSnapshot> depth(const std::string& symbol, int limit = 1000);
  // Waits through the injected Sleeper (so a caller that waits out a 429 moves the same clock as the client).
  void wait(core::Duration d) { sleep(d); }

  // Account (signed).
  ApiResult<std::vector<AssetBalance>> account_balances();  // GET /fapi/v2/account
  ApiResult<std::vector<PositionRisk>> position_risk(const std::optional<std::string>& symbol = std::nullopt);
  ApiResult<std::vector<VenueOrder>> open_orders(const std::optional<std::string>& symbol = std::nullopt);
  ApiResult<std::vector<VenueOrder>> open_algo_orders(const std::optional<std::string>& symbol = std::nullopt);
  // GET /fapi/v1/userTrades; from_id: trades with id >= from_id.
  ApiResult<std::vector<VenueTrade>> user_trades(const std::string& symbol, std::optional<std::int64_t> from_id,
                                                 std::optional<core::UnixNanos> start_time = std::nullopt);

  // Orders (signed). LIMIT/MARKET to /fapi/v1/order, conditional types to /fapi/v1/algoOrder.
  ApiResult<VenueOrder> place_order(const NewOrderRequest& request);
  ApiResult<VenueOrder> cancel_order(const std::string& symbol, const std::string& client_order_id);
  ApiResult<VenueOrder> cancel_algo_order(const std::string& client_algo_id);
  ApiResult<Empty> cancel_all_orders(const std::string& symbol);  // regular and algo orders of the symbol
  // PUT /fapi/v1/order: LIMIT orders only; quantity is the new total.
  ApiResult<VenueOrder> modify_order(const std::string& symbol, const std::string& client_order_id,
                                     model::OrderSide side, const model::Quantity& quantity, const model::Price& price);
  ApiResult<VenueOrder> query_order(const std::string& symbol, const std::string& client_order_id);
  ApiResult<VenueOrder> query_algo_order(const std::string& client_algo_id);
  ApiResult<LeverageChange> set_leverage(const std::string& symbol, std::int64_t leverage);
  // -4046 "No need to change margin type" counts as success.
  ApiResult<Empty> set_margin_type(const std::string& symbol, model::MarginMode mode);

  // User-data stream keys (API key, no signature): POST creates (or returns the active key and extends
  // it), PUT keeps it alive for 60 more minutes, DELETE closes it. BinanceExecutionClient opens and keeps the stream (execution_client.hpp).
  ApiResult<std::string> create_listen_key();
  ApiResult<Empty> keepalive_listen_key();
  ApiResult<Empty> close_listen_key();

  // Observability (tests, metrics).
  std::int64_t used_weight() const;
  std::int64_t weight_limit() const;
  std::size_t requests_sent() const;
  std::optional<core::UnixNanos> banned_until() const;
  std::optional<core::UnixNanos> backoff_until() const;

  enum class Security { Public, ApiKey, Signed };
  struct Call {
    std::string_view method;
    std::string_view path;
    QueryString params;
    Security security{Security::Public};
    std::int64_t weight{1};
    bool idempotent{false};
  };
  // The raw call: 2xx body, or the error. Public so callers can reach endpoints not wrapped above.
  ApiResult<std::string> send(const Call& call);

 private:
  ApiResult<std::string> send_locked(const Call& call);
  ApiResult<std::string> attempt(const Call& call, bool& retryable);
  ApiResult<Empty> sync_time_locked();
  core::UnixNanos server_now() const;
  core::Duration backoff_delay(int attempt);
  void sleep(core::Duration d);

  BinanceRestConfig config_;
  const core::Clock* clock_;
  Sleeper sleeper_;
  std::unique_ptr<net::HttpClient> http_;
  mutable std::mutex mutex_;
  RequestWeightLimiter limiter_;
  std::int64_t offset_ns_{0};
  std::optional<core::UnixNanos> banned_until_;
  std::optional<core::UnixNanos> backoff_until_;
  std::size_t requests_sent_{0};
  std::mt19937_64 rng_;
};

}  // namespace ballast::adapters::binance
