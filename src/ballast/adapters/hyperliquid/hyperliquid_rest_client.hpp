#pragma once
// HyperliquidRestClient: blocking POST /info and POST /exchange over net::HttpClient.
//
//  - /info takes {"type": …, …} and answers JSON; the typed helpers hand the body to info_parser.hpp.
//  - /exchange takes {"action", "nonce", "signature": {"r","s","v"}[, "vaultAddress"][, "expiresAfter"]}.
//    The action is signed here (signing.hpp) with the Signer given at construction; without a Signer the
//    client is read-only and exchange() refuses locally. The nonce is the caller's (milliseconds since the
//    epoch from its Clock, strictly increasing per signer: the exchange keeps the 100 highest nonces and
//    rejects reuse and values far from its own time).
//  - An HTTP status other than 200 (and 429) is an IoError naming the status and the body; {"status":"err"}
//    is an InvalidState error carrying the exchange's message. Per-order outcomes of an accepted batch
//    ("resting", "filled", {"error"}, "success") are values in ExchangeResponse.
//
// Request weight (request_weight.hpp, rolling_weight_limiter.hpp): every call is charged its documented
// weight on HyperliquidConfig::limiter before it is sent (/info by its "type", /exchange 1 + batch/40), and
// an /info answer that returns items is charged their extra weight after it arrives. A call that does not
// fit waits (the injected Sleeper) for as long as the limiter says, but for at most http.timeout in all;
// beyond that it fails at once, sending nothing, with an InvalidState error that names the rate limit.
// HTTP 429 (the exchange's own count says the IP's budget is spent, e.g. another process on the same IP):
// the limiter is paused for Retry-After seconds (when the answer has the header) or an exponential backoff
// with jitter, so every client sharing it waits; then
//  - /info (a read: repeating it changes nothing) is sent again, at most retry.max_attempts in all, within
//    the same http.timeout budget of waiting;
//  - /exchange is NOT sent again: it fails with an InvalidState error naming the rate limit. A 429 is the
//    HTTP refusal to process the request (RFC 6585), made by Hyperliquid's API gateway in front of the node,
//    so the action was not applied — which is why the error is InvalidState, the code the execution client
//    reports as OrderRejected, and not a lost answer that would need a lookup. Sending it again later is the
//    caller's decision: a delayed order is a different order (the market has moved), a delayed cancel may
//    meet a fill. (The exchange's per-ADDRESS action limits answer HTTP 200 {"status":"err"}, which is
//    already an InvalidState rejection.)
// Every rate-limit error message starts "Hyperliquid rate limit:".
//
// Not thread-safe (one HttpClient connection): each owner (execution client, data client) serialises its
// calls. The limiter they share is thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/hyperliquid/info_parser.hpp"
#include "ballast/adapters/hyperliquid/request_weight.hpp"
#include "ballast/adapters/hyperliquid/rolling_weight_limiter.hpp"
#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::adapters::hyperliquid {

inline constexpr std::string_view kMainnetUrl = "https://api.hyperliquid.xyz";
inline constexpr std::string_view kTestnetUrl = "https://api.hyperliquid-testnet.xyz";

// Retries of /info after HTTP 429 without Retry-After: attempt n waits base·2^(n−1), capped at max_delay,
// with "equal jitter" (half of it fixed, half uniform random): never an immediate retry, since a 429 says
// the budget is spent, and clients that were refused together do not come back together.
struct HyperliquidRetryPolicy {
  int max_attempts{3};  // including the first
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{8000};
};

struct HyperliquidConfig {
  Network network = Network::Testnet;
  std::string base_url{kTestnetUrl};
  std::optional<Address> vault_address;  // trade for a vault or sub-account
  InstrumentDefaults instruments;
  net::HttpClientOptions http;  // http.timeout also bounds a call's total wait for request weight
  // The per-IP weight budget. COPIES OF A CONFIG SHARE IT: the REST clients built from one config (the
  // execution client's and the data client's of one venue) count against one budget, as the exchange counts
  // per IP. Give each client its own limiter only for separate IPs.
  std::shared_ptr<RollingWeightLimiter> limiter = std::make_shared<RollingWeightLimiter>(kRestWeightPerMinute);
  HyperliquidRetryPolicy retry{};
  std::uint64_t jitter_seed{0};  // 0 = seeded from std::random_device
};

// Sleeps for the given duration; tests pass one that advances a TestClock.
using Sleeper = std::function<void(core::Duration)>;

// One entry of response.data.statuses.
struct ActionStatus {
  enum class Kind { Resting, Filled, Success, Error, WaitingForFill, WaitingForTrigger };
  Kind kind = Kind::Success;
  std::optional<std::uint64_t> oid;
  std::optional<Cloid> cloid;
  std::optional<core::Decimal> total_sz;  // filled
  std::optional<core::Decimal> avg_px;    // filled
  std::string error;                      // Error
};

struct ExchangeResponse {
  std::string type;  // response.type: "order", "cancel", "default", …
  std::vector<ActionStatus> statuses;
};

// Parses an /exchange answer; {"status":"err","response":"…"} becomes an InvalidState error.
core::Result<ExchangeResponse> parse_exchange_response(std::string_view json);

// The /exchange request body, fields in the order above.
std::string exchange_request_body(const WireValue& action, std::uint64_t nonce, const Signature& signature,
                                  const std::optional<Address>& vault_address,
                                  const std::optional<std::uint64_t>& expires_after);

class HyperliquidRestClient {
 public:
  // `signer` may be null (read-only); it must outlive the client. `clock` (null: the wall clock) times the
  // request-weight window; `sleeper` (empty: std::this_thread::sleep_for) waits for weight and backoff.
  HyperliquidRestClient(HyperliquidConfig config, const Signer* signer, const core::Clock* clock = nullptr,
                        Sleeper sleeper = {});
  ~HyperliquidRestClient();
  HyperliquidRestClient(const HyperliquidRestClient&) = delete;
  HyperliquidRestClient& operator=(const HyperliquidRestClient&) = delete;

  const HyperliquidConfig& config() const noexcept { return config_; }
  bool can_trade() const noexcept { return signer_ != nullptr; }
  // The signing key's holder, or null (read-only).
  const Signer* signer() const noexcept { return signer_; }

  // Request weight (observability: tests, metrics, the venue status).
  std::int64_t used_weight() const;  // in the limiter's window, every client sharing it included
  std::int64_t weight_limit() const noexcept { return config_.limiter->limit(); }
  std::size_t requests_sent() const noexcept { return requests_sent_; }            // by this client
  std::size_t rate_limited_answers() const noexcept { return rate_limited_; }      // HTTP 429s it received

  // POST /info with `request`; the body of a 200 answer.
  core::Result<std::string> info(const WireValue& request);
  core::Result<std::vector<PerpAsset>> meta();
  core::Result<ClearinghouseState> clearinghouse_state(const Address& user);
  core::Result<std::vector<OpenOrder>> open_orders(const Address& user);
  core::Result<std::vector<UserFill>> user_fills(const Address& user);
  core::Result<L2Book> l2_book(std::string_view coin, core::UnixNanos ts_recv);
  // interval: "1m", "15m", "1h", "1d", …; times in ms.
  core::Result<std::vector<model::Bar>> candle_snapshot(std::string_view coin, std::string_view interval,
                                                        std::uint64_t start_ms, std::uint64_t end_ms);

  // Signs `action` with `nonce` and POSTs it to /exchange.
  core::Result<ExchangeResponse> exchange(const WireValue& action, std::uint64_t nonce,
                                          const std::optional<std::uint64_t>& expires_after = std::nullopt);

 private:
  enum class Endpoint { Info, Exchange };
  // Waits for `weight`, sends, and handles 429 as described above. `what` names the call in errors
  // ("POST /info l2Book").
  core::Result<std::string> post(Endpoint endpoint, std::string body, std::int64_t weight, const std::string& what);
  core::Duration backoff_delay(int attempt);

  HyperliquidConfig config_;
  const Signer* signer_;
  core::LiveClock live_clock_;
  const core::Clock* clock_;
  Sleeper sleeper_;
  std::unique_ptr<net::HttpClient> http_;
  std::mt19937_64 rng_;
  std::size_t requests_sent_{0};
  std::size_t rate_limited_{0};
};

}  // namespace ballast::adapters::hyperliquid
