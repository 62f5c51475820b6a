#pragma once
// ReconnectingWebSocket: a WebSocket (ws or wss) that stays connected, for venue streams. Its own thread
// connects, sends what on_connected returns (the subscriptions: resubscribing is the same call after every
// reconnect), hands every text message to on_message, and sends a heartbeat text when one is configured.
// When the connection drops (error, close, or no message for idle_timeout) it calls on_disconnected and
// reconnects after an exponential backoff with jitter: initial_backoff × multiplier^(n−1), capped at
// max_backoff, each wait drawn uniformly from [(1 − jitter)·b, b]. A successful connection resets n.
//
// The URL is asked from url_provider before each attempt when it is set (a Binance user stream's URL
// carries a listen key that can change), else options.url is used.
//
// Threading: callbacks run on the stream's thread, one at a time, never after stop() returns. send() and
// reconnect() may be called from any thread, including from a callback; a sent text is queued and written
// by the stream's thread (dropped when not connected: subscriptions belong in on_connected). Latency: a
// message is handed over as soon as it is read; queued sends wait at most poll_interval.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ballast/core/error.hpp"
#include "ballast/core/result.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::net {

struct ReconnectPolicy {
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30000};
  double multiplier{2.0};
  double jitter{0.2};  // fraction of the wait taken off at random, in [0, 1]
};

struct ReconnectingWebSocketOptions {
  std::string url;                                            // ws:// or wss://
  std::vector<std::pair<std::string, std::string>> headers;   // added to the upgrade request
  HttpClientOptions http{};                                   // connect timeout, TLS verification, CA file
  ReconnectPolicy backoff{};
  // No frame (a message, or a control frame such as the server's ping) for this long: the connection is
  // taken as dead and reopened.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // Sent every heartbeat_interval while connected when set (Hyperliquid: {"method":"ping"}).
  std::optional<std::chrono::milliseconds> heartbeat_interval{};
  std::string heartbeat_message{};
  // How often the stream's thread looks at its send queue and timers while no message arrives.
  std::chrono::milliseconds poll_interval{50};
  std::uint64_t seed{0x5eed};  // for the jitter (deterministic tests)
};

struct ReconnectingWebSocketHandlers {
  // After every successful connection (1 for the first, 2 after the first reconnect, …): the texts to
  // send first, in order (subscriptions).
  std::function<std::vector<std::string>(std::uint64_t connection_number)> on_connected;
  std::function<void(std::string_view message)> on_message;
  // The connection was lost or a connection attempt failed; the stream will try again.
  std::function<void(const core::Error& reason)> on_disconnected;
  // Optional: the URL for the next attempt (else options.url).
  std::function<std::string()> url_provider;
};

class ReconnectingWebSocket {
 public:
  ReconnectingWebSocket(ReconnectingWebSocketOptions options, ReconnectingWebSocketHandlers handlers);
  ~ReconnectingWebSocket();  // stop()
  ReconnectingWebSocket(const ReconnectingWebSocket&) = delete;
  ReconnectingWebSocket& operator=(const ReconnectingWebSocket&) = delete;

  // Starts the thread and waits for the first connection (its on_connected texts sent) up to
  // `first_connect_timeout`. On failure the thread is stopped and the last connection error returned.
  core::Status start(std::chrono::milliseconds first_connect_timeout = std::chrono::seconds(10));
  // Closes the connection and joins the thread. Idempotent; not from a callback.
  void stop();

  // Queues a text for the current connection; false when not connected (nothing queued).
  bool send(std::string text);
  // Drops the current connection and reconnects at once (no backoff), e.g. after a listen key expired.
  void reconnect();

  bool connected() const noexcept { return connected_.load(); }
  // Successful connections so far (1 after start()).
  std::uint64_t connections() const noexcept { return connections_.load(); }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> connections_{0};
};

// The wait before reconnect attempt `attempt` (1-based) for a uniform draw u in [0, 1).
std::chrono::milliseconds reconnect_backoff(const ReconnectPolicy& policy, unsigned attempt, double u);

}  // namespace ballast::net
