#include "mock_hyperliquid_server.hpp"

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
  auto server = net::HttpServer::start(
      options, [this](net::HttpRequest&& request, net::Responder respond) { handle(std::move(request), std::move(respond)); },
      net::WebSocketHandler{});
  if (!server) ADD_FAILURE() << "mock server did not start: " << server.error().to_string();
  if (server) server_ = std::move(*server);
}

MockHyperliquidServer::~MockHyperliquidServer() {
  if (server_) server_->stop();
}

std::string MockHyperliquidServer::base_url() const {
  return fmt::format("http://127.0.0.1:{}", server_ ? server_->port() : 0);
}

void MockHyperliquidServer::set_info_response(const std::string& type, std::string body) {
  std::lock_guard lock(mutex_);
  info_[type] = std::move(body);
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
  if (request.path == "/exchange") return respond(handle_exchange(request.body));
  if (request.path != "/info") return respond(net::HttpResponse::json(404, R"({"error":"not found"})"));
  auto parsed = hl::parse_wire_value(request.body);
  const hl::WireValue* type = parsed ? parsed->find("type") : nullptr;
  if (type == nullptr || type->kind() != hl::WireValue::Kind::String) {
    return respond(net::HttpResponse::json(422, R"("Failed to deserialize the JSON body")"));
  }
  std::lock_guard lock(mutex_);
  info_requests_.push_back(request.body);
  if (trading_) {
    if (auto computed = trading_info(type->as_string(), *parsed)) return respond(net::HttpResponse::json(200, *computed));
  }
  const auto it = info_.find(type->as_string());
  if (it == info_.end()) return respond(net::HttpResponse::json(422, R"("unknown type")"));
  respond(net::HttpResponse::json(200, it->second));
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

}  // namespace ballast::testing::hyperliquid
