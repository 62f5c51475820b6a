#pragma once
// Request signing for Binance USDⓈ-M Futures SIGNED endpoints (TRADE, USER_DATA): the parameters are
// written as a query string in the order given, `recvWindow` and `timestamp` (ms since the epoch, server
// time) are appended, and HMAC-SHA256 of exactly those bytes, keyed with the API secret, is appended as
// `signature` in lower-case hex. The API key travels in the X-MBX-APIKEY header, never in the query.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::adapters::binance {

// HMAC-SHA256(key, message) as 64 lower-case hex characters (OpenSSL).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Percent-encodes everything except the RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~).
std::string url_encode(std::string_view text);

// Parameters in insertion order; str() gives "a=1&b=2" with values percent-encoded.
class QueryString {
 public:
  QueryString& add(std::string_view name, std::string_view value);
  QueryString& add(std::string_view name, std::int64_t value);
  bool empty() const noexcept { return params_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& params() const noexcept { return params_; }
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// `query` + "&signature=" + hmac_sha256_hex(secret, query) ("signature=…" alone for an empty query).
std::string sign_query(std::string_view query, std::string_view secret);

}  // namespace ballast::adapters::binance
