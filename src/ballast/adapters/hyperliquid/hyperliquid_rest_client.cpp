#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>

namespace ballast::adapters::hyperliquid {
namespace {

using core::Error;
using core::ErrorCode;

WireValue user_request(std::string_view type, const Address& user) {
  WireValue r = WireValue::map();
  r.set("type", WireValue::string(std::string(type)));
  r.set("user", WireValue::string(to_hex(user)));
  return r;
}

// Retry-After in whole seconds (the HTTP-date form is not used by API gateways for 429; it is ignored).
std::optional<std::int64_t> retry_after_seconds(const net::HttpResponse& r) {
  const auto text = r.header("Retry-After");
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < 0) return std::nullopt;
  return v;
}

std::string seconds_text(core::Duration d) {
  return fmt::format("{:.3f} s", static_cast<double>(d.count()) / static_cast<double>(core::kNanosPerSecond));
}

Error response_error(std::string message, std::string where) {
  return Error(ErrorCode::ParseError, std::move(message), std::move(where));
}

core::Result<ActionStatus> parse_status(const WireValue& s, const std::string& path) {
  ActionStatus out;
  if (s.kind() == WireValue::Kind::String) {
    const std::string& text = s.as_string();
    if (text == "success") out.kind = ActionStatus::Kind::Success;
    else if (text == "waitingForFill") out.kind = ActionStatus::Kind::WaitingForFill;
    else if (text == "waitingForTrigger") out.kind = ActionStatus::Kind::WaitingForTrigger;
    else return response_error(fmt::format("unknown status \"{}\"", text), path);
    return out;
  }
  if (s.kind() != WireValue::Kind::Map || s.as_map().size() != 1) {
    return response_error("expected a status string or an object with one key", path);
  }
  const auto& [key, body] = s.as_map().front();
  if (key == "error") {
    if (body.kind() != WireValue::Kind::String) return response_error("expected a message", path + ".error");
    out.kind = ActionStatus::Kind::Error;
    out.error = body.as_string();
    return out;
  }
  if (key != "resting" && key != "filled") return response_error(fmt::format("unknown status \"{}\"", key), path);
  out.kind = key == "resting" ? ActionStatus::Kind::Resting : ActionStatus::Kind::Filled;
  const std::string p = path + "." + key;
  const WireValue* oid = body.find("oid");
  if (oid == nullptr || (oid->kind() != WireValue::Kind::Uint && oid->kind() != WireValue::Kind::Int)) {
    return response_error("missing integer oid", p + ".oid");
  }
  out.oid = oid->as_uint();
  if (const WireValue* cloid = body.find("cloid"); cloid != nullptr && cloid->kind() == WireValue::Kind::String) {
    auto c = Cloid::parse(cloid->as_string(), p + ".cloid");
    if (!c) return c.error();
    out.cloid = *c;
  }
  if (out.kind == ActionStatus::Kind::Filled) {
    for (const char* name : {"totalSz", "avgPx"}) {
      const WireValue* f = body.find(name);
      if (f == nullptr || f->kind() != WireValue::Kind::String) return response_error("missing decimal string", p + "." + name);
      auto d = core::Decimal::parse(f->as_string());
      if (!d) return response_error(d.error().message(), p + "." + name);
      (std::string_view(name) == "totalSz" ? out.total_sz : out.avg_px) = *d;
    }
  }
  return out;
}

}  // namespace

core::Result<ExchangeResponse> parse_exchange_response(std::string_view json) {
  auto doc = parse_wire_value(json);
  if (!doc) return doc.error();
  const WireValue* status = doc->find("status");
  if (status == nullptr || status->kind() != WireValue::Kind::String) {
    return response_error("missing status", "status");
  }
  const WireValue* response = doc->find("response");
  if (status->as_string() == "err") {
    const std::string message = response != nullptr && response->kind() == WireValue::Kind::String
                                    ? response->as_string()
                                    : std::string(json);
    return Error(ErrorCode::InvalidState, "exchange rejected the action: " + message, "response");
  }
  if (status->as_string() != "ok") {
    return response_error(fmt::format("unknown status \"{}\"", status->as_string()), "status");
  }
  ExchangeResponse out;
  if (response == nullptr || response->kind() != WireValue::Kind::Map) {
    return response_error("missing response object", "response");
  }
  const WireValue* type = response->find("type");
  if (type == nullptr || type->kind() != WireValue::Kind::String) return response_error("missing type", "response.type");
  out.type = type->as_string();
  const WireValue* data = response->find("data");
  if (data == nullptr) return out;
  const WireValue* statuses = data->find("statuses");
  if (statuses == nullptr) return out;
  if (statuses->kind() != WireValue::Kind::Array) return response_error("expected an array", "response.data.statuses");
  for (std::size_t i = 0; i < statuses->as_array().size(); ++i) {
    auto s = parse_status(statuses->as_array()[i], fmt::format("response.data.statuses[{}]", i));
    if (!s) return s.error();
    out.statuses.push_back(std::move(*s));
  }
  return out;
}

std::string exchange_request_body(const WireValue& action, std::uint64_t nonce, const Signature& signature,
                                  const std::optional<Address>& vault_address,
                                  const std::optional<std::uint64_t>& expires_after) {
  WireValue body = WireValue::map();
  body.set("action", action);
  body.set("nonce", WireValue::unsigned_integer(nonce));
  body.set("signature", signature.to_wire());
  if (vault_address) body.set("vaultAddress", WireValue::string(to_hex(*vault_address)));
  if (expires_after) body.set("expiresAfter", WireValue::unsigned_integer(*expires_after));
  return body.to_json();
}

HyperliquidRestClient::HyperliquidRestClient(HyperliquidConfig config, const Signer* signer, const core::Clock* clock,
                                             Sleeper sleeper)
    : config_(std::move(config)),
      signer_(signer),
      clock_(clock != nullptr ? clock : &live_clock_),
      sleeper_(std::move(sleeper)),
      http_(std::make_unique<net::HttpClient>(config_.base_url, config_.http)),
      rng_(config_.jitter_seed != 0 ? config_.jitter_seed : std::random_device{}()) {
  if (!config_.limiter) config_.limiter = std::make_shared<RollingWeightLimiter>(kRestWeightPerMinute);
  if (!sleeper_) sleeper_ = [](core::Duration d) { std::this_thread::sleep_for(d); };
}

HyperliquidRestClient::~HyperliquidRestClient() = default;

std::int64_t HyperliquidRestClient::used_weight() const {
  return config_.limiter->used(clock_->now());
}

core::Duration HyperliquidRestClient::backoff_delay(int attempt) {
  const auto base = std::chrono::duration_cast<core::Duration>(config_.retry.base_delay);
  const auto cap = std::chrono::duration_cast<core::Duration>(config_.retry.max_delay);
  core::Duration ceiling = base * (std::int64_t{1} << std::min(attempt - 1, 20));
  if (ceiling > cap) ceiling = cap;
  const std::int64_t half = ceiling.count() / 2;
  std::uniform_int_distribution<std::int64_t> jitter(0, ceiling.count() - half);
  return core::Duration(half + jitter(rng_));
}

core::Result<std::string> HyperliquidRestClient::post(Endpoint endpoint, std::string body, std::int64_t weight,
                                                      const std::string& what) {
  RollingWeightLimiter& limiter = *config_.limiter;
  const std::string_view target = endpoint == Endpoint::Info ? "/info" : "/exchange";
  if (weight > limiter.limit()) {
    return Error(ErrorCode::InvalidState,
                 fmt::format("Hyperliquid rate limit: {} weighs {}, more than the whole budget of {} per {}; nothing "
                             "was sent",
                             what, weight, limiter.limit(), seconds_text(limiter.window())),
                 what);
  }
  const auto budget = std::chrono::duration_cast<core::Duration>(config_.http.timeout);
  core::Duration waited(0);
  for (int attempt = 1;; ++attempt) {
    // Wait for room in the window (and for a pause after a 429 to end), within the budget.
    for (;;) {
      const core::Duration wait = limiter.try_acquire(weight, clock_->now());
      if (wait.count() == 0) break;
      if (waited + wait > budget) {
        const auto paused = limiter.paused_until(clock_->now());
        return Error(ErrorCode::InvalidState,
                     fmt::format("Hyperliquid rate limit: {} (weight {}) would have to wait {} more ({} of {} weight "
                                 "used in the last {}{}), beyond the request timeout of {}; nothing was sent",
                                 what, weight, seconds_text(wait), limiter.used(clock_->now()), limiter.limit(),
                                 seconds_text(limiter.window()),
                                 paused ? fmt::format(", paused after HTTP 429 until {}", core::format_iso8601(*paused))
                                        : std::string(),
                                 seconds_text(budget)),
                     what);
      }
      sleeper_(wait);
      waited += wait;
    }
    ++requests_sent_;
    auto response = http_->request("POST", target, body, {{"Content-Type", "application/json"}});
    if (!response) return response.error().with_context(fmt::format("POST {}", target));
    if (response->status == 429) {
      ++rate_limited_;
      const auto retry_after = retry_after_seconds(*response);
      const core::Duration pause =
          retry_after ? core::Duration(*retry_after * core::kNanosPerSecond) : backoff_delay(attempt);
      limiter.pause_until(clock_->now() + pause);
      if (endpoint == Endpoint::Exchange) {
        return Error(ErrorCode::InvalidState,
                     fmt::format("Hyperliquid rate limit: {} answered HTTP 429 (the IP's budget of {} request weight "
                                 "per minute is spent); the action was not applied and is not sent again; retry "
                                 "after {}",
                                 what, kRestWeightPerMinute, seconds_text(pause)),
                     what);
      }
      if (attempt >= config_.retry.max_attempts) {
        return Error(ErrorCode::InvalidState,
                     fmt::format("Hyperliquid rate limit: {} answered HTTP 429 {} times (the IP's budget of {} request "
                                 "weight per minute is spent); retry after {}",
                                 what, attempt, kRestWeightPerMinute, seconds_text(pause)),
                     what);
      }
      continue;  // the limiter's pause makes the next round wait
    }
    if (response->status != 200) {
      return Error(ErrorCode::IoError,
                   fmt::format("POST {} answered HTTP {}: {}", target, response->status, response->body.substr(0, 500)));
    }
    return std::move(response->body);
  }
}

core::Result<std::string> HyperliquidRestClient::info(const WireValue& request) {
  const WireValue* type = request.find("type");
  const std::string name = type != nullptr && type->kind() == WireValue::Kind::String ? type->as_string() : "?";
  auto body = post(Endpoint::Info, request.to_json(), info_request_weight(name), "POST /info " + name);
  if (!body) return body;
  // Answers that return items cost more, charged now that the count is known.
  if (info_items_per_weight(name) != 0) {
    if (const auto items = top_level_array_size(*body)) config_.limiter->charge(info_item_weight(name, *items), clock_->now());
  }
  return body;
}

core::Result<std::vector<PerpAsset>> HyperliquidRestClient::meta() {
  WireValue r = WireValue::map();
  r.set("type", WireValue::string("meta"));
  auto body = info(r);
  if (!body) return body.error();
  auto parsed = parse_meta(*body, config_.instruments);
  if (!parsed) return parsed.error().with_context("meta");
  return parsed;
}

core::Result<ClearinghouseState> HyperliquidRestClient::clearinghouse_state(const Address& user) {
  auto body = info(user_request("clearinghouseState", user));
  if (!body) return body.error();
  auto parsed = parse_clearinghouse_state(*body);
  if (!parsed) return parsed.error().with_context("clearinghouseState");
  return parsed;
}

core::Result<std::vector<OpenOrder>> HyperliquidRestClient::open_orders(const Address& user) {
  auto body = info(user_request("openOrders", user));
  if (!body) return body.error();
  auto parsed = parse_open_orders(*body);
  if (!parsed) return parsed.error().with_context("openOrders");
  return parsed;
}

core::Result<std::vector<UserFill>> HyperliquidRestClient::user_fills(const Address& user) {
  auto body = info(user_request("userFills", user));
  if (!body) return body.error();
  auto parsed = parse_user_fills(*body);
  if (!parsed) return parsed.error().with_context("userFills");
  return parsed;
}

core::Result<L2Book> HyperliquidRestClient::l2_book(std::string_view coin, core::UnixNanos ts_recv) {
  WireValue r = WireValue::map();
  r.set("type", WireValue::string("l2Book"));
  r.set("coin", WireValue::string(std::string(coin)));
  auto body = info(r);
  if (!body) return body.error();
  auto parsed = parse_l2_book(*body, ts_recv);
  if (!parsed) return parsed.error().with_context("l2Book");
  return parsed;
}

core::Result<std::vector<model::Bar>> HyperliquidRestClient::candle_snapshot(std::string_view coin,
                                                                            std::string_view interval,
                                                                            std::uint64_t start_ms,
                                                                            std::uint64_t end_ms) {
  WireValue req = WireValue::map();
  req.set("coin", WireValue::string(std::string(coin)));
  req.set("interval", WireValue::string(std::string(interval)));
  req.set("startTime", WireValue::unsigned_integer(start_ms));
  req.set("endTime", WireValue::unsigned_integer(end_ms));
  WireValue r = WireValue::map();
  r.set("type", WireValue::string("candleSnapshot"));
  r.set("req", std::move(req));
  auto body = info(r);
  if (!body) return body.error();
  auto parsed = parse_candle_snapshot(*body);
  if (!parsed) return parsed.error().with_context("candleSnapshot");
  return parsed;
}

core::Result<ExchangeResponse> HyperliquidRestClient::exchange(const WireValue& action, std::uint64_t nonce,
                                                               const std::optional<std::uint64_t>& expires_after) {
  if (signer_ == nullptr) {
    return Error(ErrorCode::InvalidState, "read-only Hyperliquid client: no signing key configured, nothing sent");
  }
  const Signature sig = signer_->sign_l1_action(action, nonce, config_.vault_address, expires_after, config_.network);
  std::string what = "POST /exchange";
  if (const WireValue* type = action.find("type"); type != nullptr && type->kind() == WireValue::Kind::String) {
    what += " " + type->as_string();
  }
  auto body = post(Endpoint::Exchange, exchange_request_body(action, nonce, sig, config_.vault_address, expires_after),
                   exchange_action_weight(action), what);
  if (!body) return body.error();
  return parse_exchange_response(*body);
}

}  // namespace ballast::adapters::hyperliquid
