#include "ballast/adapters/binance_futures/api_error.hpp"

#include <fmt/format.h>

namespace ballast::adapters::binance {

std::string_view to_string(ApiErrorKind kind) noexcept {
  switch (kind) {
    case ApiErrorKind::VenueReject: return "VENUE_REJECT";
    case ApiErrorKind::RateLimited: return "RATE_LIMITED";
    case ApiErrorKind::Banned: return "BANNED";
    case ApiErrorKind::UnknownOutcome: return "UNKNOWN_OUTCOME";
    case ApiErrorKind::BadResponse: return "BAD_RESPONSE";
    case ApiErrorKind::InvalidRequest: return "INVALID_REQUEST";
  }
  return "UNKNOWN";
}

std::string ApiError::message() const {
  std::string text = fmt::format("Binance {}", to_string(kind));
  if (code) text += fmt::format(" {}", *code);
  if (!msg.empty()) text += fmt::format(": {}", msg);
  if (http_status != 0) text += fmt::format(" (HTTP {})", http_status);
  if (retry_after.count() > 0) text += fmt::format("; retry after {} ms", retry_after.count() / core::kNanosPerMilli);
  if (!sent) text += "; not sent";
  return text;
}

core::Error ApiError::to_error() const {
  core::ErrorCode ec = core::ErrorCode::InvalidState;
  switch (kind) {
    case ApiErrorKind::VenueReject: ec = core::ErrorCode::InvalidState; break;
    case ApiErrorKind::RateLimited:
    case ApiErrorKind::Banned: ec = core::ErrorCode::InvalidState; break;
    case ApiErrorKind::UnknownOutcome: ec = core::ErrorCode::IoError; break;
    case ApiErrorKind::BadResponse: ec = core::ErrorCode::ParseError; break;
    case ApiErrorKind::InvalidRequest: ec = core::ErrorCode::InvalidArgument; break;
  }
  return core::Error(ec, message(), where);
}

ApiError bad_response(const core::Error& error, std::string_view endpoint) {
  ApiError e;
  e.kind = ApiErrorKind::BadResponse;
  e.http_status = 200;
  e.msg = fmt::format("{} answered a malformed body: {}", endpoint, error.message());
  e.where = error.where();
  return e;
}

}  // namespace ballast::adapters::binance
