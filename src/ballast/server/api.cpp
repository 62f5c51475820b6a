// REST plumbing: authentication and role checks, per-route metrics, JSON helpers (see internal/api.hpp).

#include "ballast/server/internal/api.hpp"
#include "ballast/server/venue_service.hpp"

#include <fmt/format.h>

#include <charconv>
#include <memory>

namespace ballast::server {

namespace {

std::optional<std::string_view> bearer_token(const net::HttpRequest& request, bool token_in_query) {
  const auto header = request.header("Authorization");
  if (!header) return token_in_query ? request.query_param("access_token") : std::nullopt;
  constexpr std::string_view kPrefix = "Bearer ";
  if (header->size() <= kPrefix.size() || !net::iequals(header->substr(0, kPrefix.size()), kPrefix)) return std::nullopt;
  return header->substr(kPrefix.size());
}

// Wraps the responder so the answer is counted and timed under the route's pattern.
net::Responder timed(ApiContext& ctx, std::string method, std::string pattern, net::Responder respond) {
  const auto started = std::chrono::steady_clock::now();
  return [&ctx, method = std::move(method), pattern = std::move(pattern), started,
          respond = std::move(respond)](net::HttpResponse response) {
    ctx.metrics.observe_request(method, pattern, response.status, std::chrono::steady_clock::now() - started);
    respond(std::move(response));
  };
}

}  // namespace

void Api::route(std::string method, std::string pattern, Role needed, AuthedHandler handler, bool token_in_query) {
  ApiContext* ctx = ctx_;
  router_->add(method, pattern,
               [ctx, method, pattern, needed, token_in_query, handler = std::move(handler)](net::HttpRequest&& request,
                                                                              net::Responder respond) {
                 net::Responder answer = timed(*ctx, method, pattern, std::move(respond));
                 const auto token = bearer_token(request, token_in_query);
                 if (!token) {
                   answer(error_response(401, "UNAUTHENTICATED", "an access token is required (Authorization: Bearer …)"));
                   return;
                 }
                 auto claims = ctx->tokens.verify(*token, TokenKind::Access, ctx->wall.now());
                 if (!claims) {
                   answer(error_response(401, "INVALID_TOKEN", claims.error().message()));
                   return;
                 }
                 if (!role_allows(claims->role, needed)) {
                   answer(error_response(403, "FORBIDDEN",
                                         fmt::format("this needs the {} role; {} has {}", to_string(needed),
                                                     claims->subject, to_string(claims->role))));
                   return;
                 }
                 handler(Principal{claims->subject, claims->role}, std::move(request), std::move(answer));
               });
}

void Api::open_route(std::string method, std::string pattern, PublicHandler handler) {
  ApiContext* ctx = ctx_;
  router_->add(method, pattern,
               [ctx, method, pattern, handler = std::move(handler)](net::HttpRequest&& request, net::Responder respond) {
                 handler(std::move(request), timed(*ctx, method, pattern, std::move(respond)));
               });
}

net::HttpResponse json_response(unsigned status, const Json& body) { return net::HttpResponse::json(status, body.dump()); }

net::HttpResponse error_response(unsigned status, std::string_view code, std::string_view message, std::string_view field) {
  return net::HttpResponse::error(status, code, message, field);
}

net::HttpResponse error_response(const core::Error& error, bool unprocessable) {
  const std::string message = error.message();
  const std::string& field = error.where();
  switch (error.code()) {
    case core::ErrorCode::InvalidArgument:
    case core::ErrorCode::ParseError:
    case core::ErrorCode::OutOfRange:
    case core::ErrorCode::Overflow:
      return error_response(unprocessable ? 422 : 400, unprocessable ? "UNPROCESSABLE" : "INVALID_ARGUMENT", message, field);
    case core::ErrorCode::NotFound:
      return error_response(404, "NOT_FOUND", message, field);
    case core::ErrorCode::AlreadyExists:
      return error_response(409, "ALREADY_EXISTS", message, field);
    case core::ErrorCode::InvalidState:
      return error_response(409, "CONFLICT", message, field);
    case core::ErrorCode::Unsupported:
      return error_response(422, "UNSUPPORTED", message, field);
    case core::ErrorCode::IoError:
    case core::ErrorCode::Internal:
      break;
  }
  return error_response(500, "INTERNAL", message, field);
}

std::optional<Json> parse_object(const net::HttpRequest& request, net::HttpResponse& error) {
  if (request.body.empty()) {
    error = error_response(400, "INVALID_JSON", "a JSON object body is required");
    return std::nullopt;
  }
  try {
    Json j = Json::parse(request.body);
    if (!j.is_object()) {
      error = error_response(400, "INVALID_JSON", "the body must be a JSON object");
      return std::nullopt;
    }
    return j;
  } catch (const Json::parse_error& e) {
    error = error_response(400, "INVALID_JSON", fmt::format("invalid JSON at byte {}", e.byte));
    return std::nullopt;
  }
}

core::Result<core::Decimal> decimal_field(const Json& object, std::string_view field, bool required) {
  const std::string key(field);
  if (!object.contains(key) || object[key].is_null()) {
    if (required) return core::Error(core::ErrorCode::InvalidArgument, "required", key);
    return core::Decimal{};
  }
  const Json& v = object[key];
  std::string text;
  if (v.is_string()) {
    text = v.get<std::string>();
  } else if (v.is_number()) {
    text = v.dump();
  } else {
    return core::Error(core::ErrorCode::InvalidArgument, "must be a decimal number or string", key);
  }
  auto d = core::Decimal::parse(text);
  if (!d) return core::Error(core::ErrorCode::InvalidArgument, fmt::format("not a decimal number: '{}'", text), key);
  return *d;
}

std::optional<std::string> string_field(const Json& object, std::string_view field) {
  const std::string key(field);
  if (!object.contains(key) || !object[key].is_string()) return std::nullopt;
  return object[key].get<std::string>();
}

core::Result<std::optional<core::UnixNanos>> time_param(const net::HttpRequest& request, std::string_view name) {
  const auto value = request.query_param(name);
  if (!value || value->empty()) return std::optional<core::UnixNanos>{};
  std::int64_t ms = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), ms);
  if (ec == std::errc() && end == value->data() + value->size()) return std::optional(core::UnixNanos::from_millis(ms));
  auto parsed = core::parse_timestamp(*value);
  if (!parsed) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("not a time: '{}' (ISO-8601 UTC or epoch milliseconds)", *value), std::string(name));
  }
  return std::optional(*parsed);
}

core::Result<std::size_t> count_param(const net::HttpRequest& request, std::string_view name, std::size_t fallback,
                                      std::size_t max) {
  const auto value = request.query_param(name);
  if (!value || value->empty()) return fallback;
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) {
    return core::Error(core::ErrorCode::InvalidArgument, fmt::format("not a non-negative integer: '{}'", *value),
                       std::string(name));
  }
  if (n > max) {
    return core::Error(core::ErrorCode::OutOfRange, fmt::format("at most {}, got {}", max, n), std::string(name));
  }
  return n;
}

core::Result<AccountScope> account_scope(const ApiContext& ctx, const net::HttpRequest& request) {
  const auto venue = request.query_param("venue");
  if (!venue || venue->empty() || *venue == "paper") return AccountScope{ctx.config.account_id, "PAPER"};
  std::string known = "paper";
  for (const VenueService* v : ctx.venues) {
    if (v->config().name == *venue) return AccountScope{v->account_id(), effective_venue_id(v->config())};
    known += ", " + v->config().name;
  }
  return core::Error(core::ErrorCode::NotFound, fmt::format("no venue '{}' (configured: {})", *venue, known), "venue");
}

core::Result<persistence::TimeQuery> time_query(const ApiContext& ctx, const net::HttpRequest& request,
                                                std::size_t fallback, std::size_t max) {
  persistence::TimeQuery q;
  auto scope = account_scope(ctx, request);
  if (!scope) return scope.error();
  q.account_id = scope->account_id;
  auto from = time_param(request, "from");
  if (!from) return from.error();
  auto to = time_param(request, "to");
  if (!to) return to.error();
  auto limit = count_param(request, "limit", fallback, max);
  if (!limit) return limit.error();
  auto offset = count_param(request, "offset", 0, 100'000'000);
  if (!offset) return offset.error();
  q.from = *from;
  q.to = *to;
  q.limit = *limit;
  q.offset = *offset;
  return q;
}

}  // namespace ballast::server
