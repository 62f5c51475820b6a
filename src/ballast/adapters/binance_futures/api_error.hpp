#pragma once
// ApiError / ApiResult<T>: what a Binance USDⓈ-M Futures REST call returns. Besides a human message it
// keeps what the caller must act on: the kind of failure (a venue reject, a rate limit, an IP ban, an
// unknown outcome after a transport failure or a 5xx), the HTTP status, Binance's own {"code","msg"}
// and, for 429/418, how long to stay away. core::Error is the view used by the ports (to_error()).
//
// Outcome semantics (Binance "General API Information"): a 4xx with a code means the request was refused
// and nothing happened; a 5xx or a transport failure means the execution status is UNKNOWN (the order may
// exist) — callers find out by querying the order by its client order id.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ballast/core/error.hpp"
#include "ballast/core/require.hpp"
#include "ballast/core/time.hpp"

namespace ballast::adapters::binance {

enum class ApiErrorKind {
  VenueReject,     // 4xx with Binance {"code","msg"}: refused, nothing happened
  RateLimited,     // 429, or refused locally while backing off after one
  Banned,          // 418 (IP auto-banned), or refused locally until the ban ends
  UnknownOutcome,  // transport failure, timeout or 5xx: the request may or may not have been executed
  BadResponse,     // the answer could not be parsed (names the JSON field)
  InvalidRequest,  // refused locally before sending (bad parameter, missing key)
};

std::string_view to_string(ApiErrorKind kind) noexcept;

// Binance error codes the adapter acts on.
inline constexpr int kCodeTimestampOutsideRecvWindow = -1021;
inline constexpr int kCodeInvalidSignature = -1022;
inline constexpr int kCodeUnknownOrder = -2011;
inline constexpr int kCodeOrderDoesNotExist = -2013;
inline constexpr int kCodeMarginInsufficient = -2019;
inline constexpr int kCodeNoNeedToChangeMarginType = -4046;
inline constexpr int kCodeDuplicateClientOrderId = -4116;

struct ApiError {
  ApiErrorKind kind{ApiErrorKind::VenueReject};
  unsigned http_status{0};        // 0 when no HTTP answer arrived (or refused locally)
  std::optional<int> code{};      // Binance "code"
  std::string msg{};              // Binance "msg", or our own description
  std::string where{};            // "POST /fapi/v1/order", or a JSON field path
  core::Duration retry_after{0};  // RateLimited / Banned: how long to stay away
  bool sent{true};                // false: refused locally, the server was not contacted

  bool has_code(int c) const noexcept { return code && *code == c; }
  // "Binance -2019 Margin is insufficient. (HTTP 400)" style text.
  std::string message() const;
  core::Error to_error() const;
};

struct Empty {};

template <class T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
  ApiResult(ApiError error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & {
    BALLAST_REQUIRE(has_value(), "ApiResult::value() on an error: " + std::get<1>(data_).message());
    return std::get<0>(data_);
  }
  const T& value() const& {
    BALLAST_REQUIRE(has_value(), "ApiResult::value() on an error: " + std::get<1>(data_).message());
    return std::get<0>(data_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const& {
    BALLAST_REQUIRE(!has_value(), "ApiResult::error() on a value");
    return std::get<1>(data_);
  }

 private:
  std::variant<T, ApiError> data_;
};

// A parse failure (core::Error with the JSON path in where()) as an ApiError.
ApiError bad_response(const core::Error& error, std::string_view endpoint);

}  // namespace ballast::adapters::binance
