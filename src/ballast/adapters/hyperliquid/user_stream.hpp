#pragma once
// HyperliquidUserStream: one account's pushed order and fill events — the WebSocket subscriptions
// {"type":"orderUpdates","user"} and {"type":"userFills","user"} — over a net::ReconnectingWebSocket that
// resubscribes after every reconnect and pings every heartbeat_interval ({"method":"ping"}; the SDK pings
// every 50 s, the server drops a connection idle for 60 s).
//
// The HyperliquidExecutionClient owns one (HyperliquidExecutionConfig::user_stream) and hands every callback
// to its I/O thread, so its sink is still called from that one thread. How the client uses the stream
// (de-duplication by tid, polling only while the stream is down, the re-query after a reconnect) is
// described in execution_client.hpp; the handlers live in user_stream.cpp.
//
// Callbacks run on the stream's thread, never after stop() returns. on_down runs once per lost connection
// (not for every failed retry); on_up after each connection's subscriptions were sent.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/adapters/hyperliquid/ws_messages.hpp"
#include "ballast/core/result.hpp"
#include "ballast/net/reconnecting_websocket.hpp"

namespace ballast::adapters::hyperliquid {

struct HyperliquidUserStreamConfig {
  std::string ws_url;  // wss://api.hyperliquid.xyz/ws (mainnet), wss://api.hyperliquid-testnet.xyz/ws (testnet)
  net::HttpClientOptions http{};
  net::ReconnectPolicy backoff{};
  std::chrono::milliseconds heartbeat_interval{std::chrono::seconds(50)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

struct HyperliquidUserStreamHandlers {
  std::function<void(std::uint64_t connection_number)> on_up;
  std::function<void(std::vector<WsOrderUpdate> orders)> on_orders;
  std::function<void(WsUserFills fills)> on_fills;
  std::function<void(const core::Error& reason)> on_down;
};

class HyperliquidUserStream {
 public:
  HyperliquidUserStream(HyperliquidUserStreamConfig config, const Address& user, HyperliquidUserStreamHandlers handlers);
  ~HyperliquidUserStream();
  HyperliquidUserStream(const HyperliquidUserStream&) = delete;
  HyperliquidUserStream& operator=(const HyperliquidUserStream&) = delete;

  // Connects and subscribes; waits up to connect_timeout for the first connection.
  core::Status start();
  // Closes the connection and joins the stream's thread. Not from a callback.
  void stop();
  bool up() const noexcept { return up_.load(); }
  std::uint64_t connections() const;

  // The subscribe messages sent after every connection.
  std::vector<std::string> subscriptions() const;

 private:
  void on_message(std::string_view text);

  HyperliquidUserStreamConfig config_;
  std::string user_;  // 0x… lower-case hex
  HyperliquidUserStreamHandlers handlers_;
  std::unique_ptr<net::ReconnectingWebSocket> ws_;
  std::atomic<bool> up_{false};
  WsMessage message_;  // stream thread only
};

}  // namespace ballast::adapters::hyperliquid
