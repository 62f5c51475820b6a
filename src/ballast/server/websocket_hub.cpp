#include "ballast/server/websocket_hub.hpp"

#include "ballast/net/json_escape.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace ballast::server {
namespace {

using Json = nlohmann::json;

// {"channel":"<c>","sent_us":<now>, <the publisher's fields>} without re-parsing the publisher's JSON
// object. sent_us: when the hub queued the message, microseconds since the Unix epoch (system clock), so a
// client can tell how long delivery took or how stale a message is.
std::string envelope(std::string_view channel, const std::string& body) {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  std::string out = "{\"channel\":";
  out += net::json_quote(channel);
  out += ",\"sent_us\":";
  out += std::to_string(now.count());
  if (body.size() > 2 && body.front() == '{') {
    out += ',';
    out.append(body, 1, std::string::npos);
  } else {
    out += '}';
  }
  return out;
}

std::string error_message(std::string_view code, std::string_view message) {
  return Json{{"type", "error"}, {"error", {{"code", code}, {"message", message}}}}.dump();
}

}  // namespace

const std::set<std::string, std::less<>>& WebSocketHub::channels() {
  static const std::set<std::string, std::less<>> c{"prices", "positions", "orders", "risk",
                                                    "alerts", "circuit_breakers", "account",
                                                    "signals", "session", "venues"};
  return c;
}

void WebSocketHub::on_open(const std::shared_ptr<net::WebSocketConnection>& connection) {
  std::lock_guard lock(mutex_);
  clients_[connection->id()] = Client{connection, {}, {}};
}

void WebSocketHub::on_close(const std::shared_ptr<net::WebSocketConnection>& connection) {
  std::lock_guard lock(mutex_);
  clients_.erase(connection->id());
}

void WebSocketHub::on_message(const std::shared_ptr<net::WebSocketConnection>& connection, const std::string& message) {
  const Json j = Json::parse(message, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("op") || !j["op"].is_string()) {
    connection->send(error_message("INVALID_MESSAGE", "expected {\"op\":\"subscribe\"|\"unsubscribe\"|\"ping\", …}"));
    return;
  }
  const std::string op = j["op"].get<std::string>();
  if (op == "ping") {
    connection->send(R"({"type":"pong"})");
    return;
  }
  if (op != "subscribe" && op != "unsubscribe") {
    connection->send(error_message("UNKNOWN_OP", "unknown op '" + op + "'"));
    return;
  }
  if (!j.contains("channels") || !j["channels"].is_array()) {
    connection->send(error_message("INVALID_MESSAGE", "\"channels\" must be an array of channel names"));
    return;
  }
  std::vector<std::string> added;
  for (const auto& c : j["channels"]) {
    if (!c.is_string() || channels().count(c.get<std::string>()) == 0) {
      connection->send(error_message("UNKNOWN_CHANNEL", "unknown channel " + c.dump()));
      continue;
    }
    const std::string name = c.get<std::string>();
    std::lock_guard lock(mutex_);
    const auto it = clients_.find(connection->id());
    if (it == clients_.end()) return;
    Client& client = it->second;
    if (op == "subscribe") {
      if (client.channels.count(name) == 0 && client.pending.insert(name).second) added.push_back(name);
    } else {
      client.channels.erase(name);
      client.pending.erase(name);
    }
  }
  connection->send(Json{{"type", op == "subscribe" ? "subscribed" : "unsubscribed"}, {"channels", j["channels"]}}.dump());
  const std::uint64_t id = connection->id();
  for (const auto& name : added) {
    snapshot_(name, [this, id, name](std::string body) { deliver_snapshot(id, name, body); });
  }
}

void WebSocketHub::deliver_snapshot(std::uint64_t client_id, const std::string& channel, const std::string& body) {
  // The subscription takes effect here, together with queuing the snapshot and under the lock publish()
  // takes to choose its targets: an update published before this point is not sent to the client (the
  // snapshot already contains it), and every update published after it is queued after the snapshot.
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(client_id);
  if (it == clients_.end() || it->second.pending.erase(channel) == 0) return;  // gone or unsubscribed meanwhile
  it->second.channels.insert(channel);
  it->second.connection->send(envelope(channel, body));  // only queues (never calls back into the hub)
}

void WebSocketHub::publish(std::string_view channel, const std::string& json) {
  const std::string text = envelope(channel, json);
  std::vector<std::shared_ptr<net::WebSocketConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, client] : clients_) {
      if (client.channels.find(channel) != client.channels.end()) targets.push_back(client.connection);
    }
  }
  // send() only queues; a client whose queue overflows is closed by the server and leaves via on_close.
  for (const auto& c : targets) c->send(text);
}

std::size_t WebSocketHub::clients() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

}  // namespace ballast::server
