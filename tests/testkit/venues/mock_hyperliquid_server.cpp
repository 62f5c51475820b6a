#include "testkit/venues/mock_hyperliquid_server.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace ballast::testing::hyperliquid {

namespace hl = adapters::hyperliquid;

MockHyperliquidServer::MockHyperliquidServer(hl::Network network, hl::Address account)
    : network_(network), account_(account) {
  net::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 1;
  net::WebSocketHandler ws;
  ws.authorize = [this](const net::HttpRequest&) -> std::optional<net::HttpResponse> {
    std::lock_guard lock(mutex_);
    if (ws_refuse_) return net::HttpResponse::json(503, R"("unavailable")");
    return std::nullopt;
  };
  ws.on_open = [this](std::shared_ptr<net::WebSocketConnection> connection, const net::HttpRequest&) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = connection->id();
    ws_peers_[id] = WsPeer{std::move(connection), ++ws_accepted_, {}};
  };
  ws.on_message = [this](const std::shared_ptr<net::WebSocketConnection>& connection, std::string message) {
    ws_message(connection, message);
  };
  ws.on_close = [this](const std::shared_ptr<net::WebSocketConnection>& connection) {
    std::lock_guard lock(mutex_);
    ws_peers_.erase(connection->id());
  };
  auto server = net::HttpServer::start(
      options, [this](net::HttpRequest&& request, net::Responder respond) { handle(std::move(request), std::move(respond)); },
      std::move(ws));
  if (!server) ADD_FAILURE() << "mock server did not start: " << server.error().to_string();
  if (server) server_ = std::move(*server);
}

MockHyperliquidServer::~MockHyperliquidServer() {
  if (server_) server_->stop();
}

std::string MockHyperliquidServer::ws_url() const {
  return fmt::format("ws://127.0.0.1:{}/ws", server_ ? server_->port() : 0);
}

std::string MockHyperliquidServer::base_url() const {
  return fmt::format("http://127.0.0.1:{}", server_ ? server_->port() : 0);
}

void MockHyperliquidServer::set_info_response(const std::string& type, std::string body) {
  std::lock_guard lock(mutex_);
  info_[type] = std::move(body);
}

void MockHyperliquidServer::set_candles(std::uint64_t first_open_ms, std::uint64_t interval_ms, std::size_t count,
                                        std::size_t page_limit) {
  std::lock_guard lock(mutex_);
  candle_first_ms_ = first_open_ms;
  candle_interval_ms_ = interval_ms;
  candle_count_ = count;
  candle_page_ = page_limit;
}

void MockHyperliquidServer::fail_exchange_with(unsigned status, std::string body) {
  std::lock_guard lock(mutex_);
  fail_status_ = status;
  fail_body_ = std::move(body);
}

std::vector<MockHyperliquidServer::Received> MockHyperliquidServer::exchange_requests() const {
  std::lock_guard lock(mutex_);
  return exchange_;
}

std::vector<std::string> MockHyperliquidServer::info_requests() const {
  std::lock_guard lock(mutex_);
  return info_requests_;
}

void MockHyperliquidServer::handle(net::HttpRequest&& request, net::Responder respond) {
  if (request.method != "POST") return respond(net::HttpResponse::json(405, R"({"error":"POST only"})"));
  if (request.path != "/exchange" && request.path != "/info") {
    return respond(net::HttpResponse::json(404, R"({"error":"not found"})"));
  }
  {
    std::lock_guard lock(mutex_);
    if (auto refused = admit(request.path, request.body)) return respond(std::move(*refused));
  }
  if (request.path == "/exchange") return respond(handle_exchange(request.body));
  net::HttpResponse answer = handle_info(request.body);
  {
    std::lock_guard lock(mutex_);
    charge_items(request.body, answer);
  }
  respond(std::move(answer));
}

net::HttpResponse MockHyperliquidServer::handle_info(const std::string& body) {
  auto parsed = hl::parse_wire_value(body);
  const hl::WireValue* type = parsed ? parsed->find("type") : nullptr;
  if (type == nullptr || type->kind() != hl::WireValue::Kind::String) {
    return net::HttpResponse::json(422, R"("Failed to deserialize the JSON body")");
  }
  std::lock_guard lock(mutex_);
  info_requests_.push_back(body);
  if (type->as_string() == "candleSnapshot" && candle_count_ > 0) {
    const hl::WireValue* req = parsed->find("req");
    const hl::WireValue* from = req != nullptr ? req->find("startTime") : nullptr;
    const hl::WireValue* to = req != nullptr ? req->find("endTime") : nullptr;
    if (from == nullptr || to == nullptr) return net::HttpResponse::json(422, R"("bad candleSnapshot")");
    std::string out = "[";
    std::size_t n = 0;
    for (std::size_t k = 0; k < candle_count_ && n < candle_page_; ++k) {
      const std::uint64_t t = candle_first_ms_ + k * candle_interval_ms_;
      if (t < from->as_uint() || t > to->as_uint()) continue;
      if (n++ > 0) out += ',';
      out += fmt::format(R"({{"t":{},"T":{},"s":"BTC","i":"1m","o":"{}","h":"{}","l":"{}","c":"{}.5","v":"1","n":1}})",
                         t, t + candle_interval_ms_ - 1, 100 + k, 101 + k, 99 + k, 100 + k);
    }
    return net::HttpResponse::json(200, out + "]");
  }
  if (trading_) {
    if (auto computed = trading_info(type->as_string(), *parsed)) return net::HttpResponse::json(200, *computed);
  }
  const auto it = info_.find(type->as_string());
  if (it == info_.end()) return net::HttpResponse::json(422, R"("unknown type")");
  return net::HttpResponse::json(200, it->second);
}

// --- Request weight ---

namespace {

constexpr std::int64_t kWeightWindowNs = 60'000'000'000;

std::string info_type(const std::string& body) {
  auto parsed = hl::parse_wire_value(body);
  const hl::WireValue* type = parsed ? parsed->find("type") : nullptr;
  return type != nullptr && type->kind() == hl::WireValue::Kind::String ? type->as_string() : std::string();
}

std::int64_t request_weight(const std::string& path, const std::string& body) {
  if (path == "/exchange") {
    auto parsed = hl::parse_wire_value(body);
    const hl::WireValue* action = parsed ? parsed->find("action") : nullptr;
    std::size_t n = 0;
    for (const char* list : {"orders", "cancels", "modifies"}) {
      const hl::WireValue* v = action != nullptr ? action->find(list) : nullptr;
      if (v != nullptr && v->kind() == hl::WireValue::Kind::Array) n = v->as_array().size();
    }
    return 1 + static_cast<std::int64_t>(n / 40);
  }
  const std::string type = info_type(body);
  if (type == "l2Book" || type == "allMids" || type == "clearinghouseState" || type == "orderStatus" ||
      type == "spotClearinghouseState" || type == "exchangeStatus") {
    return 2;
  }
  return type == "userRole" ? 60 : 20;
}

// Items per unit of extra weight, 0 when the answer's size is free.
std::size_t items_per_weight(const std::string& type) {
  static const std::set<std::string> per20{
      "recentTrades",     "historicalOrders",      "userFills",     "userFillsByTime",    "fundingHistory",
      "userFunding",      "nonUserFundingUpdates", "twapHistory",   "userTwapSliceFills", "userTwapSliceFillsByTime",
      "delegatorHistory", "delegatorRewards",      "validatorStats"};
  if (per20.count(type) != 0) return 20;
  return type == "candleSnapshot" ? 60 : 0;
}

}  // namespace

void MockHyperliquidServer::enforce_weight_limit(std::int64_t limit, const core::Clock& clock) {
  std::lock_guard lock(mutex_);
  weight_clock_ = &clock;
  weight_limit_ = limit;
  weight_charges_.clear();
  max_weight_used_ = 0;
}

void MockHyperliquidServer::refuse_next_with_429(int n, std::optional<int> retry_after_seconds) {
  std::lock_guard lock(mutex_);
  refuse_429_ = n;
  refuse_retry_after_ = retry_after_seconds;
}

std::int64_t MockHyperliquidServer::window_total() const {
  const std::int64_t now = weight_clock_->now().value;
  std::int64_t total = 0;
  for (const auto& c : weight_charges_) {
    if (c.first + kWeightWindowNs > now) total += c.second;
  }
  return total;
}

void MockHyperliquidServer::prune_weight() {
  const std::int64_t now = weight_clock_->now().value;
  while (!weight_charges_.empty() && weight_charges_.front().first + kWeightWindowNs <= now) {
    weight_charges_.pop_front();
  }
}

void MockHyperliquidServer::charge(std::int64_t weight) {
  prune_weight();
  weight_charges_.emplace_back(weight_clock_->now().value, weight);
  max_weight_used_ = std::max(max_weight_used_, window_total());
}

std::optional<net::HttpResponse> MockHyperliquidServer::admit(const std::string& path, const std::string& body) {
  if (refuse_429_ > 0) {
    --refuse_429_;
    ++rate_limited_;
    net::HttpResponse r = net::HttpResponse::json(429, R"({"error":"rate limited"})");
    if (refuse_retry_after_) r.headers.emplace_back("Retry-After", std::to_string(*refuse_retry_after_));
    return r;
  }
  if (weight_clock_ == nullptr) return std::nullopt;
  const std::int64_t weight = request_weight(path, body);
  prune_weight();
  std::int64_t excess = window_total() + weight - weight_limit_;
  if (excess <= 0) {
    charge(weight);
    return std::nullopt;
  }
  // Fits once the oldest charges worth `excess` have left the window.
  const std::int64_t now = weight_clock_->now().value;
  std::int64_t wait_ns = kWeightWindowNs;
  for (const auto& c : weight_charges_) {
    excess -= c.second;
    if (excess <= 0) {
      wait_ns = c.first + kWeightWindowNs - now;
      break;
    }
  }
  const std::int64_t seconds = std::max<std::int64_t>(1, (wait_ns + 999'999'999) / 1'000'000'000);
  ++rate_limited_;
  net::HttpResponse r = net::HttpResponse::json(429, R"({"error":"rate limited"})");
  r.headers.emplace_back("Retry-After", std::to_string(seconds));
  return r;
}

void MockHyperliquidServer::charge_items(const std::string& body, const net::HttpResponse& answer) {
  if (weight_clock_ == nullptr || answer.status != 200) return;
  const std::size_t per = items_per_weight(info_type(body));
  if (per == 0) return;
  auto parsed = hl::parse_wire_value(answer.body);
  if (!parsed || parsed->kind() != hl::WireValue::Kind::Array) return;
  const auto extra = static_cast<std::int64_t>(parsed->as_array().size() / per);
  if (extra > 0) charge(extra);
}

std::int64_t MockHyperliquidServer::weight_used() const {
  std::lock_guard lock(mutex_);
  if (weight_clock_ == nullptr) return 0;
  return window_total();
}

std::int64_t MockHyperliquidServer::max_weight_used() const {
  std::lock_guard lock(mutex_);
  return max_weight_used_;
}

std::size_t MockHyperliquidServer::rate_limited_answers() const {
  std::lock_guard lock(mutex_);
  return rate_limited_;
}

net::HttpResponse MockHyperliquidServer::handle_exchange(const std::string& body) {
  Received rec;
  rec.body = body;
  auto doc = hl::parse_wire_value(body);
  const hl::WireValue* action = doc ? doc->find("action") : nullptr;
  const hl::WireValue* nonce = doc ? doc->find("nonce") : nullptr;
  const hl::WireValue* signature = doc ? doc->find("signature") : nullptr;
  if (action == nullptr || nonce == nullptr || signature == nullptr || nonce->kind() != hl::WireValue::Kind::Uint) {
    return net::HttpResponse::json(422, R"("Failed to deserialize the JSON body into the target type")");
  }
  if (const hl::WireValue* t = action->find("type"); t != nullptr && t->kind() == hl::WireValue::Kind::String) {
    rec.action_type = t->as_string();
  }
  std::optional<hl::Address> vault;
  if (const hl::WireValue* v = doc->find("vaultAddress"); v != nullptr && !v->is_nil()) {
    auto a = hl::parse_address(v->as_string(), "vaultAddress");
    if (!a) return net::HttpResponse::json(422, R"("bad vaultAddress")");
    vault = *a;
  }
  std::optional<std::uint64_t> expires_after;
  if (const hl::WireValue* e = doc->find("expiresAfter"); e != nullptr && !e->is_nil()) {
    if (e->kind() != hl::WireValue::Kind::Uint) return net::HttpResponse::json(422, R"("bad expiresAfter")");
    expires_after = e->as_uint();
  }
  auto sig = hl::parse_signature(*signature, "signature");
  if (!sig) return net::HttpResponse::json(422, R"("bad signature")");
  const hl::Hash256 digest =
      hl::l1_action_digest(hl::action_hash(*action, nonce->as_uint(), vault, expires_after), network_);
  auto recovered = hl::recover_address(digest, *sig);
  rec.signature_valid = recovered && *recovered == account_;
  if (recovered) rec.recovered = *recovered;
  rec.nonce = nonce->as_uint();

  std::lock_guard lock(mutex_);
  exchange_.push_back(rec);
  if (fail_status_ != 0) return net::HttpResponse::json(fail_status_, fail_body_);
  if (!rec.signature_valid) {
    // What the exchange says when the recovered signer is not a known account or agent.
    return net::HttpResponse::json(
        200, fmt::format(R"({{"status":"err","response":"User or API Wallet {} does not exist."}})",
                         recovered ? hl::to_hex(*recovered) : std::string("?")));
  }
  if (trading_) {
    net::HttpResponse answer = trade(rec.action_type, *action);
    if (drop_responses_ > 0) {
      --drop_responses_;
      return net::HttpResponse::json(502, R"("the gateway lost the answer")");
    }
    return answer;
  }
  if (rec.action_type == "order") {
    std::string statuses;
    for (std::size_t i = 0; i < action->find("orders")->as_array().size(); ++i) {
      if (i > 0) statuses += ',';
      statuses += fmt::format(R"({{"resting":{{"oid":{}}}}})", next_oid_++);
    }
    return net::HttpResponse::json(
        200, fmt::format(R"({{"status":"ok","response":{{"type":"order","data":{{"statuses":[{}]}}}}}})", statuses));
  }
  if (rec.action_type == "cancel" || rec.action_type == "cancelByCloid") {
    return net::HttpResponse::json(
        200, R"({"status":"ok","response":{"type":"cancel","data":{"statuses":["success",{"error":"Order was never placed, already canceled, or filled."}]}}})");
  }
  return net::HttpResponse::json(200, R"({"status":"ok","response":{"type":"default"}})");
}

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "l2Book:BTC", "candle:BTC:1m", "userFills:0xabc…" from a subscription object; "" when malformed.
std::string subscription_key(const hl::WireValue& sub) {
  const hl::WireValue* type = sub.find("type");
  if (type == nullptr || type->kind() != hl::WireValue::Kind::String) return {};
  std::string key = type->as_string();
  for (const char* field : {"coin", "user", "interval"}) {
    const hl::WireValue* v = sub.find(field);
    if (v == nullptr || v->kind() != hl::WireValue::Kind::String) continue;
    key += ':';
    key += std::string_view(field) == "user" ? lower(v->as_string()) : v->as_string();
  }
  return key;
}

}  // namespace

void MockHyperliquidServer::ws_message(const std::shared_ptr<net::WebSocketConnection>& connection,
                                       const std::string& text) {
  auto doc = hl::parse_wire_value(text);
  const hl::WireValue* method = doc ? doc->find("method") : nullptr;
  if (method == nullptr || method->kind() != hl::WireValue::Kind::String) {
    connection->send(R"({"channel":"error","data":"Error parsing JSON into valid websocket request"})");
    return;
  }
  std::lock_guard lock(mutex_);
  if (method->as_string() == "ping") {
    ++ws_pings_;
    if (ws_answer_pings_) connection->send(R"({"channel":"pong"})");
    return;
  }
  const hl::WireValue* sub = doc->find("subscription");
  const std::string key = sub != nullptr ? subscription_key(*sub) : std::string();
  if (key.empty() || (method->as_string() != "subscribe" && method->as_string() != "unsubscribe")) {
    connection->send(fmt::format(R"({{"channel":"error","data":"Invalid request: {}"}})", key));
    return;
  }
  auto peer = ws_peers_.find(connection->id());
  if (peer == ws_peers_.end()) return;
  if (method->as_string() == "unsubscribe") {
    peer->second.keys.erase(key);
  } else {
    peer->second.keys.insert(key);
    ws_subscriptions_.push_back(WsSubscription{peer->second.number, key});
  }
  connection->send(fmt::format(R"({{"channel":"subscriptionResponse","data":{}}})", text));
  if (method->as_string() == "subscribe" && key.rfind("userFills:", 0) == 0) {
    // The history first, flagged as a snapshot (the docs: the first message has isSnapshot: true).
    std::string fills;
    for (const MockFill& f : fills_) {
      if (!fills.empty()) fills += ',';
      fills += fill_json(f);
    }
    connection->send(fmt::format(R"({{"channel":"userFills","data":{{"isSnapshot":true,"user":"{}","fills":[{}]}}}})",
                                 lower(hl::to_hex(account_)), fills));
  }
}

std::size_t MockHyperliquidServer::ws_send_to(const std::string& key, const std::string& message) {
  std::size_t sent = 0;
  for (auto& [id, peer] : ws_peers_) {
    if (peer.keys.count(key) != 0 && peer.connection->send(message)) ++sent;
  }
  return sent;
}

std::vector<MockHyperliquidServer::WsSubscription> MockHyperliquidServer::ws_subscriptions() const {
  std::lock_guard lock(mutex_);
  return ws_subscriptions_;
}

std::size_t MockHyperliquidServer::ws_open_connections() const {
  std::lock_guard lock(mutex_);
  return ws_peers_.size();
}

std::uint64_t MockHyperliquidServer::ws_connections_accepted() const {
  std::lock_guard lock(mutex_);
  return ws_accepted_;
}

std::size_t MockHyperliquidServer::ws_pings() const {
  std::lock_guard lock(mutex_);
  return ws_pings_;
}

std::size_t MockHyperliquidServer::ws_push_market(const std::string& type, const std::string& coin,
                                                  const std::string& data_json) {
  std::lock_guard lock(mutex_);
  return ws_send_to(type + ":" + coin, fmt::format(R"({{"channel":"{}","data":{}}})", type, data_json));
}

std::size_t MockHyperliquidServer::ws_push_candle(const std::string& coin, const std::string& interval,
                                                  const std::string& data_json) {
  std::lock_guard lock(mutex_);
  return ws_send_to("candle:" + coin + ":" + interval, fmt::format(R"({{"channel":"candle","data":{}}})", data_json));
}

void MockHyperliquidServer::ws_drop_all() {
  std::vector<std::shared_ptr<net::WebSocketConnection>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, peer] : ws_peers_) open.push_back(peer.connection);
  }
  for (auto& c : open) c->close(1001, "going away");
}

void MockHyperliquidServer::ws_refuse_connections(bool refuse) {
  std::lock_guard lock(mutex_);
  ws_refuse_ = refuse;
}

void MockHyperliquidServer::ws_answer_pings(bool answer) {
  std::lock_guard lock(mutex_);
  ws_answer_pings_ = answer;
}

}  // namespace ballast::testing::hyperliquid
