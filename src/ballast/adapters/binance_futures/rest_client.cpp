#include "ballast/adapters/binance_futures/rest_client.hpp"

#include "ballast/adapters/binance_futures/internal/json_reader.hpp"
#include "ballast/adapters/binance_futures/market_streams.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include <fmt/format.h>

namespace ballast::adapters::binance {
namespace {

std::string decimal_text(const core::Decimal& d) {
  return d.to_string_trimmed();
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// "Way too many requests; IP banned until 1555555555555." → 1555555555555 (ms).
std::optional<std::int64_t> banned_until_ms(std::string_view msg) {
  const auto at = msg.find("until ");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t begin = at + 6, end = begin;
  while (end < msg.size() && msg[end] >= '0' && msg[end] <= '9') ++end;
  return to_int(msg.substr(begin, end - begin));
}

template <class T>
ApiResult<T> parsed(core::Result<T> r, std::string_view endpoint) {
  if (!r) return bad_response(r.error(), endpoint);
  return std::move(*r);
}

std::string_view side_text(model::OrderSide side) {
  return side == model::OrderSide::Buy ? "BUY" : "SELL";
}

}  // namespace

BinanceRestClient::BinanceRestClient(BinanceRestConfig config, const core::Clock& clock, Sleeper sleeper)
    : config_(std::move(config)),
      clock_(&clock),
      sleeper_(std::move(sleeper)),
      limiter_(config_.weight_limit_per_minute),
      rng_(config_.jitter_seed != 0 ? config_.jitter_seed : std::random_device{}()) {
  net::HttpClientOptions options;
  options.timeout = config_.timeout;
  options.verify_tls = config_.verify_tls;
  http_ = std::make_unique<net::HttpClient>(config_.base_url, options);
  if (!sleeper_) sleeper_ = [](core::Duration d) { std::this_thread::sleep_for(d); };
}

BinanceRestClient::~BinanceRestClient() = default;

core::UnixNanos BinanceRestClient::server_now() const {
  return clock_->now() + core::Duration(offset_ns_);
}

core::Duration BinanceRestClient::time_offset() const {
  std::lock_guard lock(mutex_);
  return core::Duration(offset_ns_);
}

std::int64_t BinanceRestClient::used_weight() const {
  std::lock_guard lock(mutex_);
  return limiter_.used(server_now());
}

std::int64_t BinanceRestClient::weight_limit() const {
  std::lock_guard lock(mutex_);
  return limiter_.limit();
}

std::size_t BinanceRestClient::requests_sent() const {
  std::lock_guard lock(mutex_);
  return requests_sent_;
}

std::optional<core::UnixNanos> BinanceRestClient::banned_until() const {
  std::lock_guard lock(mutex_);
  return banned_until_;
}

std::optional<core::UnixNanos> BinanceRestClient::backoff_until() const {
  std::lock_guard lock(mutex_);
  return backoff_until_;
}

void BinanceRestClient::sleep(core::Duration d) {
  if (d.count() > 0) sleeper_(d);
}

core::Duration BinanceRestClient::backoff_delay(int attempt) {
  const auto base = std::chrono::duration_cast<core::Duration>(config_.retry.base_delay);
  const auto cap = std::chrono::duration_cast<core::Duration>(config_.retry.max_delay);
  core::Duration ceiling = base * (std::int64_t{1} << std::min(attempt - 1, 20));
  if (ceiling > cap) ceiling = cap;
  std::uniform_int_distribution<std::int64_t> jitter(0, ceiling.count());
  return core::Duration(jitter(rng_));
}

ApiResult<std::string> BinanceRestClient::send(const Call& call) {
  std::lock_guard lock(mutex_);
  return send_locked(call);
}

ApiResult<std::string> BinanceRestClient::send_locked(const Call& call) {
  bool resynced = false;
  for (int attempt_no = 1;; ++attempt_no) {
    bool retryable = false;
    auto result = attempt(call, retryable);
    if (result) return result;
    const ApiError& error = result.error();
    if (error.has_code(kCodeTimestampOutsideRecvWindow) && call.security == Security::Signed && !resynced) {
      resynced = true;
      auto synced = sync_time_locked();
      if (!synced) return synced.error();
      --attempt_no;  // the re-sent request is not a retry of an unknown outcome
      continue;
    }
    if (!retryable || !call.idempotent || attempt_no >= config_.retry.max_attempts) return result;
    sleep(backoff_delay(attempt_no));
  }
}

ApiResult<std::string> BinanceRestClient::attempt(const Call& call, bool& retryable) {
  retryable = false;
  const std::string endpoint = fmt::format("{} {}", call.method, call.path);
  const core::UnixNanos now = clock_->now();
  if (banned_until_ && now < *banned_until_) {
    ApiError e;
    e.kind = ApiErrorKind::Banned;
    e.msg = fmt::format("IP banned by Binance until {}; no request is sent before then",
                        core::format_iso8601(*banned_until_));
    e.where = endpoint;
    e.retry_after = *banned_until_ - now;
    e.sent = false;
    return e;
  }
  if (backoff_until_ && now < *backoff_until_) {
    ApiError e;
    e.kind = ApiErrorKind::RateLimited;
    e.msg = fmt::format("backing off after HTTP 429 until {}", core::format_iso8601(*backoff_until_));
    e.where = endpoint;
    e.retry_after = *backoff_until_ - now;
    e.sent = false;
    return e;
  }
  if ((call.security != Security::Public) && config_.api_key.empty()) {
    ApiError e;
    e.kind = ApiErrorKind::InvalidRequest;
    e.msg = "no API key configured";
    e.where = endpoint;
    e.sent = false;
    return e;
  }
  if (const auto wait = limiter_.wait_for(call.weight, server_now()); wait.count() > 0) sleep(wait);

  std::string query = call.params.str();
  if (call.security == Security::Signed) {
    QueryString tail;
    tail.add("recvWindow", static_cast<std::int64_t>(config_.recv_window.count()));
    tail.add("timestamp", server_now().millis());
    query = sign_query(query.empty() ? tail.str() : query + "&" + tail.str(), config_.api_secret);
  }
  std::string target(call.path);
  if (!query.empty()) target += "?" + query;
  std::vector<std::pair<std::string, std::string>> headers;
  if (call.security != Security::Public) headers.emplace_back("X-MBX-APIKEY", config_.api_key);

  limiter_.on_sent(call.weight, server_now());
  ++requests_sent_;
  auto response = http_->request(call.method, target, {}, std::move(headers));
  if (!response) {
    retryable = true;
    ApiError e;
    e.kind = ApiErrorKind::UnknownOutcome;
    e.msg = response.error().message();
    e.where = endpoint;
    return e;
  }
  const net::HttpResponse& r = *response;
  if (const auto used = r.header("X-MBX-USED-WEIGHT-1M")) {
    if (const auto v = to_int(*used)) limiter_.on_reported(*v, server_now());
  }
  if (r.status >= 200 && r.status < 300) return std::string(r.body);

  ApiError e;
  e.http_status = r.status;
  e.where = endpoint;
  if (const auto body = parse_error_body(r.body)) {
    e.code = body->first;
    e.msg = body->second;
  } else {
    e.msg = r.body.substr(0, 200);
  }
  const auto retry_after_s = r.header("Retry-After") ? to_int(*r.header("Retry-After")) : std::nullopt;
  if (r.status == 429) {
    e.kind = ApiErrorKind::RateLimited;
    e.retry_after = core::Duration(std::max<std::int64_t>(retry_after_s.value_or(60), 1) * core::kNanosPerSecond);
    backoff_until_ = clock_->now() + e.retry_after;
  } else if (r.status == 418) {
    e.kind = ApiErrorKind::Banned;
    core::UnixNanos until = clock_->now() + core::Duration(retry_after_s.value_or(120) * core::kNanosPerSecond);
    if (!retry_after_s) {
      if (const auto ms = banned_until_ms(e.msg))
        until = core::UnixNanos::from_millis(*ms) - core::Duration(offset_ns_);
    }
    banned_until_ = until;
    e.retry_after = until - clock_->now();
  } else if (r.status >= 500) {
    e.kind = ApiErrorKind::UnknownOutcome;
    retryable = true;
  } else {
    e.kind = ApiErrorKind::VenueReject;
  }
  return e;
}

ApiResult<Empty> BinanceRestClient::sync_time() {
  std::lock_guard lock(mutex_);
  return sync_time_locked();
}

ApiResult<Empty> BinanceRestClient::sync_time_locked() {
  Call call{"GET", "/fapi/v1/time", {}, Security::Public, 1, true};
  const core::UnixNanos t0 = clock_->now();
  bool retryable = false;
  auto body = attempt(call, retryable);
  const core::UnixNanos t1 = clock_->now();
  if (!body) return body.error();
  auto server_ms = parse_server_time(*body);
  if (!server_ms) return bad_response(server_ms.error(), "GET /fapi/v1/time");
  const std::int64_t midpoint = t0.value + (t1.value - t0.value) / 2;
  offset_ns_ = core::UnixNanos::from_millis(*server_ms).value - midpoint;
  return Empty{};
}

ApiResult<ExchangeInfo> BinanceRestClient::exchange_info() {
  auto body = send({"GET", "/fapi/v1/exchangeInfo", {}, Security::Public, 1, true});
  if (!body) return body.error();
  auto info = parse_exchange_info(*body, config_.venue);
  if (!info) return bad_response(info.error(), "GET /fapi/v1/exchangeInfo");
  if (const auto limit = info->request_weight_per_minute()) {
    std::lock_guard lock(mutex_);
    limiter_.set_limit(*limit);
  }
  return std::move(*info);
}

ApiResult<std::map<std::string, std::vector<model::MarginTier>>> BinanceRestClient::leverage_brackets(
    const std::optional<std::string>& symbol) {
  Call call{"GET", "/fapi/v1/leverageBracket", {}, Security::Signed, 1, true};
  if (symbol) call.params.add("symbol", *symbol);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_leverage_brackets(*body), "GET /fapi/v1/leverageBracket");
}

ApiResult<std::vector<model::Instrument>> BinanceRestClient::instruments() {
  auto info = exchange_info();
  if (!info) return info.error();
  auto brackets = leverage_brackets();
  if (!brackets) return brackets.error();
  auto built = build_instruments(*info, *brackets);
  if (!built) return bad_response(built.error(), "exchangeInfo + leverageBracket");
  return std::move(*built);
}

ApiResult<std::vector<Kline>> BinanceRestClient::klines(const std::string& symbol, KlineInterval interval,
                                                        std::optional<core::UnixNanos> start_time,
                                                        std::optional<core::UnixNanos> end_time, int limit) {
  ApiError invalid;
  invalid.kind = ApiErrorKind::InvalidRequest;
  invalid.sent = false;
  invalid.where = "GET /fapi/v1/klines";
  if (limit < 1 || limit > kKlineMaxLimit) {
    invalid.msg = fmt::format("limit {} is outside 1..{}", limit, kKlineMaxLimit);
    return invalid;
  }
  if (symbol.empty()) {
    invalid.msg = "symbol is empty";
    return invalid;
  }
  Call call{"GET", "/fapi/v1/klines", {}, Security::Public, kline_request_weight(limit), true};
  call.params.add("symbol", symbol).add("interval", to_string(interval));
  if (start_time) call.params.add("startTime", start_time->millis());
  if (end_time) call.params.add("endTime", end_time->millis());
  call.params.add("limit", std::int64_t{limit});
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_klines(*body), "GET /fapi/v1/klines");
}

ApiResult<model::BookSnapshot> BinanceRestClient::depth(const std::string& symbol, int limit) {
  const std::int64_t weight = depth_request_weight(limit);
  if (weight == 0 || symbol.empty()) {
    ApiError invalid;
    invalid.kind = ApiErrorKind::InvalidRequest;
    invalid.sent = false;
    invalid.where = "GET /fapi/v1/depth";
    invalid.msg = symbol.empty() ? std::string("symbol is empty")
                                 : fmt::format("limit {} is not one of 5, 10, 20, 50, 100, 500, 1000", limit);
    return invalid;
  }
  Call call{"GET", "/fapi/v1/depth", {}, Security::Public, weight, true};
  call.params.add("symbol", symbol).add("limit", std::int64_t{limit});
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_depth_snapshot(*body, clock_->now()), "GET /fapi/v1/depth");
}

ApiResult<std::vector<AssetBalance>> BinanceRestClient::account_balances() {
  auto body = send({"GET", "/fapi/v2/account", {}, Security::Signed, 5, true});
  if (!body) return body.error();
  return parsed(parse_account_balances(*body), "GET /fapi/v2/account");
}

ApiResult<std::vector<PositionRisk>> BinanceRestClient::position_risk(const std::optional<std::string>& symbol) {
  Call call{"GET", "/fapi/v2/positionRisk", {}, Security::Signed, 5, true};
  if (symbol) call.params.add("symbol", *symbol);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_position_risk(*body), "GET /fapi/v2/positionRisk");
}

ApiResult<std::vector<VenueOrder>> BinanceRestClient::open_orders(const std::optional<std::string>& symbol) {
  Call call{"GET", "/fapi/v1/openOrders", {}, Security::Signed, symbol ? 1 : 40, true};
  if (symbol) call.params.add("symbol", *symbol);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_orders(*body), "GET /fapi/v1/openOrders");
}

ApiResult<std::vector<VenueOrder>> BinanceRestClient::open_algo_orders(const std::optional<std::string>& symbol) {
  Call call{"GET", "/fapi/v1/openAlgoOrders", {}, Security::Signed, symbol ? 1 : 40, true};
  if (symbol) call.params.add("symbol", *symbol);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_algo_orders(*body), "GET /fapi/v1/openAlgoOrders");
}

ApiResult<std::vector<VenueTrade>> BinanceRestClient::user_trades(const std::string& symbol,
                                                                  std::optional<std::int64_t> from_id,
                                                                  std::optional<core::UnixNanos> start_time) {
  Call call{"GET", "/fapi/v1/userTrades", {}, Security::Signed, 5, true};
  call.params.add("symbol", symbol);
  if (from_id) call.params.add("fromId", *from_id);
  if (start_time && !from_id) call.params.add("startTime", start_time->millis());
  call.params.add("limit", std::int64_t{1000});
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_user_trades(*body), "GET /fapi/v1/userTrades");
}

ApiResult<VenueOrder> BinanceRestClient::place_order(const NewOrderRequest& request) {
  ApiError invalid;
  invalid.kind = ApiErrorKind::InvalidRequest;
  invalid.sent = false;
  invalid.where = "NewOrderRequest";
  if (request.client_order_id.empty()) {
    invalid.msg = "client_order_id is required (it makes retries idempotent)";
    return invalid;
  }
  const bool conditional = is_conditional(request.type);
  const bool needs_price = request.type == VenueOrderType::Limit || request.type == VenueOrderType::Stop ||
                           request.type == VenueOrderType::TakeProfit;
  if (needs_price != request.price.has_value()) {
    invalid.msg = fmt::format("{} {} a price", to_string(request.type), needs_price ? "needs" : "takes no");
    return invalid;
  }
  if (conditional != request.stop_price.has_value()) {
    invalid.msg = fmt::format("{} {} a stop price", to_string(request.type), conditional ? "needs" : "takes no");
    return invalid;
  }
  if (request.type == VenueOrderType::TrailingStopMarket) {
    invalid.msg = "TRAILING_STOP_MARKET is not supported";
    return invalid;
  }
  Call call{"POST", conditional ? "/fapi/v1/algoOrder" : "/fapi/v1/order", {}, Security::Signed, 1, true};
  QueryString& q = call.params;
  if (conditional) q.add("algoType", "CONDITIONAL");
  q.add("symbol", request.symbol);
  q.add("side", side_text(request.side));
  q.add("type", to_string(request.type));
  if (needs_price) q.add("timeInForce", to_string(request.time_in_force.value_or(VenueTimeInForce::Gtc)));
  q.add("quantity", decimal_text(request.quantity.value()));
  if (request.price) q.add("price", decimal_text(request.price->value()));
  if (request.stop_price) q.add("triggerPrice", decimal_text(request.stop_price->value()));
  if (request.reduce_only) q.add("reduceOnly", "true");
  q.add(conditional ? "clientAlgoId" : "newClientOrderId", request.client_order_id);
  if (!conditional) q.add("newOrderRespType", "RESULT");
  auto body = send(call);
  if (!body) return body.error();
  if (conditional) return parsed(parse_algo_order(*body), "POST /fapi/v1/algoOrder");
  return parsed(parse_order(*body), "POST /fapi/v1/order");
}

ApiResult<VenueOrder> BinanceRestClient::cancel_order(const std::string& symbol, const std::string& client_order_id) {
  Call call{"DELETE", "/fapi/v1/order", {}, Security::Signed, 1, true};
  call.params.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_order(*body), "DELETE /fapi/v1/order");
}

ApiResult<VenueOrder> BinanceRestClient::cancel_algo_order(const std::string& client_algo_id) {
  Call call{"DELETE", "/fapi/v1/algoOrder", {}, Security::Signed, 1, true};
  call.params.add("clientAlgoId", client_algo_id);
  auto body = send(call);
  if (!body) return body.error();
  // The cancel answer is {algoId, clientAlgoId, code, msg}; the order's state comes from a query.
  return query_algo_order(client_algo_id);
}

ApiResult<Empty> BinanceRestClient::cancel_all_orders(const std::string& symbol) {
  Call call{"DELETE", "/fapi/v1/allOpenOrders", {}, Security::Signed, 1, true};
  call.params.add("symbol", symbol);
  auto body = send(call);
  if (!body) return body.error();
  Call algo{"DELETE", "/fapi/v1/algoOpenOrders", {}, Security::Signed, 1, true};
  algo.params.add("symbol", symbol);
  auto algo_body = send(algo);
  if (!algo_body) return algo_body.error();
  return Empty{};
}

ApiResult<VenueOrder> BinanceRestClient::modify_order(const std::string& symbol, const std::string& client_order_id,
                                                      model::OrderSide side, const model::Quantity& quantity,
                                                      const model::Price& price) {
  Call call{"PUT", "/fapi/v1/order", {}, Security::Signed, 1, false};
  call.params.add("symbol", symbol)
      .add("origClientOrderId", client_order_id)
      .add("side", side_text(side))
      .add("quantity", decimal_text(quantity.value()))
      .add("price", decimal_text(price.value()));
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_order(*body), "PUT /fapi/v1/order");
}

ApiResult<VenueOrder> BinanceRestClient::query_order(const std::string& symbol, const std::string& client_order_id) {
  Call call{"GET", "/fapi/v1/order", {}, Security::Signed, 1, true};
  call.params.add("symbol", symbol).add("origClientOrderId", client_order_id);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_order(*body), "GET /fapi/v1/order");
}

ApiResult<VenueOrder> BinanceRestClient::query_algo_order(const std::string& client_algo_id) {
  Call call{"GET", "/fapi/v1/algoOrder", {}, Security::Signed, 1, true};
  call.params.add("clientAlgoId", client_algo_id);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_algo_order(*body), "GET /fapi/v1/algoOrder");
}

ApiResult<LeverageChange> BinanceRestClient::set_leverage(const std::string& symbol, std::int64_t leverage) {
  Call call{"POST", "/fapi/v1/leverage", {}, Security::Signed, 1, true};
  call.params.add("symbol", symbol).add("leverage", leverage);
  auto body = send(call);
  if (!body) return body.error();
  return parsed(parse_leverage_change(*body), "POST /fapi/v1/leverage");
}

ApiResult<Empty> BinanceRestClient::set_margin_type(const std::string& symbol, model::MarginMode mode) {
  Call call{"POST", "/fapi/v1/marginType", {}, Security::Signed, 1, true};
  call.params.add("symbol", symbol).add("marginType", mode == model::MarginMode::Isolated ? "ISOLATED" : "CROSSED");
  auto body = send(call);
  if (!body && !body.error().has_code(kCodeNoNeedToChangeMarginType)) return body.error();
  return Empty{};
}

ApiResult<std::string> BinanceRestClient::create_listen_key() {
  auto body = send({"POST", "/fapi/v1/listenKey", {}, Security::ApiKey, 1, true});
  if (!body) return body.error();
  auto root = internal::parse_exact(*body);
  if (!root) return bad_response(root.error(), "POST /fapi/v1/listenKey");
  return parsed(internal::get_string(*root, "listenKey", ""), "POST /fapi/v1/listenKey");
}

ApiResult<Empty> BinanceRestClient::keepalive_listen_key() {
  auto body = send({"PUT", "/fapi/v1/listenKey", {}, Security::ApiKey, 1, true});
  if (!body) return body.error();
  return Empty{};
}

ApiResult<Empty> BinanceRestClient::close_listen_key() {
  auto body = send({"DELETE", "/fapi/v1/listenKey", {}, Security::ApiKey, 1, true});
  if (!body) return body.error();
  return Empty{};
}

}  // namespace ballast::adapters::binance
