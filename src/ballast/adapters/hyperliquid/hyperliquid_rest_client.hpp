#pragma once
// HyperliquidRestClient: blocking POST /info and POST /exchange over net::HttpClient.
//
//  - /info takes {"type": …, …} and answers JSON; the typed helpers hand the body to info_parser.hpp.
//  - /exchange takes {"action", "nonce", "signature": {"r","s","v"}[, "vaultAddress"][, "expiresAfter"]}.
//    The action is signed here (signing.hpp) with the Signer given at construction; without a Signer the
//    client is read-only and exchange() refuses locally. The nonce is the caller's (milliseconds since the
//    epoch from its Clock, strictly increasing per signer: the exchange keeps the 100 highest nonces and
//    rejects reuse and values far from its own time).
//  - An HTTP status other than 200 is an IoError naming the status and the body; {"status":"err"} is an
//    InvalidState error carrying the exchange's message. Per-order outcomes of an accepted batch
//    ("resting", "filled", {"error"}, "success") are values in ExchangeResponse.
// Not thread-safe (one HttpClient connection); the future execution client owns one per I/O thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/hyperliquid/info_parser.hpp"
#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/result.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::adapters::hyperliquid {

inline constexpr std::string_view kMainnetUrl = "https://api.hyperliquid.xyz";
inline constexpr std::string_view kTestnetUrl = "https://api.hyperliquid-testnet.xyz";

struct HyperliquidConfig {
  Network network = Network::Testnet;
  std::string base_url{kTestnetUrl};
  std::optional<Address> vault_address;  // trade for a vault or sub-account
  InstrumentDefaults instruments;
  net::HttpClientOptions http;
};

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
  // `signer` may be null (read-only); it must outlive the client.
  HyperliquidRestClient(HyperliquidConfig config, const Signer* signer);

  const HyperliquidConfig& config() const noexcept { return config_; }
  bool can_trade() const noexcept { return signer_ != nullptr; }
  // The signing key's holder, or null (read-only).
  const Signer* signer() const noexcept { return signer_; }

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
  core::Result<std::string> post(std::string_view target, std::string body);

  HyperliquidConfig config_;
  const Signer* signer_;
  std::unique_ptr<net::HttpClient> http_;
};

}  // namespace ballast::adapters::hyperliquid
