#pragma once
// WebSocketHub: the /ws channels. A client connects with an access token (query ?token=… or
// "Authorization: Bearer …"), then sends
//     {"op":"subscribe","channels":["prices","risk"]}     {"op":"unsubscribe","channels":[…]}
//     {"op":"ping"}                                         → {"type":"pong"}
// and receives, per channel, a snapshot right after subscribing ({"channel":"positions","type":"snapshot",
// "data":…}) and then every update the TradingService publishes ({"channel":…,"type":…,"data":…}). Each
// also carries "sent_us": when the hub queued it, in microseconds since the Unix epoch.
// Channels: prices, positions, orders, risk, alerts, circuit_breakers, account, signals, session (the
// trading session: start/stop, session_manager.hpp).
//
// Delivery never waits for a client: a message is queued on each subscribed connection; a client whose
// queue is full (net::HttpServerOptions::ws_max_queued_messages) is disconnected (close 1008), so a slow
// client cannot slow the kernel thread that publishes. Updates are published at most every 100 ms per
// snapshot channel (positions, risk, account) and at every bar (prices) or event (orders, alerts, breakers).

#include "ballast/net/http_server.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace ballast::server {

class WebSocketHub {
 public:
  static const std::set<std::string, std::less<>>& channels();

  // `snapshot(channel, send)` produces the snapshot of a channel and hands it to `send` (possibly later,
  // from another thread: the kernel thread). The client starts receiving the channel's updates when `send`
  // is called, so the snapshot is always its first message on the channel: produce the snapshot on the
  // thread that publishes the channel's updates (or at least in the same order as them). A `send` that is
  // never called leaves the channel pending (no updates); one called after the hub is destroyed is not
  // allowed (the service that calls it stops first).
  using SnapshotSource = std::function<void(const std::string& channel, std::function<void(std::string)> send)>;
  explicit WebSocketHub(SnapshotSource snapshot) : snapshot_(std::move(snapshot)) {}

  void on_open(const std::shared_ptr<net::WebSocketConnection>& connection);
  void on_message(const std::shared_ptr<net::WebSocketConnection>& connection, const std::string& message);
  void on_close(const std::shared_ptr<net::WebSocketConnection>& connection);
  // Sends the update to every subscriber of the channel. `json` is the message body {"type","data"}.
  void publish(std::string_view channel, const std::string& json);
  std::size_t clients() const;

 private:
  struct Client {
    std::shared_ptr<net::WebSocketConnection> connection;
    std::set<std::string, std::less<>> channels;  // receiving updates
    std::set<std::string, std::less<>> pending;   // subscribed, snapshot not yet produced
  };
  void deliver_snapshot(std::uint64_t client_id, const std::string& channel, const std::string& body);
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Client> clients_;
  SnapshotSource snapshot_;
};

}  // namespace ballast::server
