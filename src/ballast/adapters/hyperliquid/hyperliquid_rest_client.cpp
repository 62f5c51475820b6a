#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"

#include <fmt/format.h>

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

HyperliquidRestClient::HyperliquidRestClient(HyperliquidConfig config, const Signer* signer)
    : config_(std::move(config)),
      signer_(signer),
      http_(std::make_unique<net::HttpClient>(config_.base_url, config_.http)) {}

core::Result<std::string> HyperliquidRestClient::post(std::string_view target, std::string body) {
  auto response = http_->request("POST", target, std::move(body), {{"Content-Type", "application/json"}});
  if (!response) return response.error().with_context(fmt::format("POST {}", target));
  if (response->status != 200) {
    return Error(ErrorCode::IoError,
                 fmt::format("POST {} answered HTTP {}: {}", target, response->status, response->body.substr(0, 500)));
  }
  return std::move(response->body);
}

core::Result<std::string> HyperliquidRestClient::info(const WireValue& request) {
  return post("/info", request.to_json());
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
  auto body = post("/exchange", exchange_request_body(action, nonce, sig, config_.vault_address, expires_after));
  if (!body) return body.error();
  return parse_exchange_response(*body);
}

}  // namespace ballast::adapters::hyperliquid
