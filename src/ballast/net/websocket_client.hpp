#pragma once
// Blocking WebSocket client (ws and wss). connect() performs the handshake (extra headers are added to the
// upgrade request); a rejected upgrade returns an error whose message contains the HTTP status. Not
// thread-safe: use one client from one thread at a time. Pings from the server
// are answered automatically while receive() runs.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::net {

class WebSocketClient {
 public:
  static core::Result<std::unique_ptr<WebSocketClient>> connect(
      std::string url, std::vector<std::pair<std::string, std::string>> headers = {},
      HttpClientOptions options = {});
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  core::Status send(std::string text);
  // Next text message; error on timeout or close. After a timeout the read stays pending and the
  // connection usable: the next receive() or poll() continues it.
  core::Result<std::string> receive(std::chrono::milliseconds timeout);
  // As receive(), but a timeout is nullopt rather than an error (errors: closed or broken connection).
  core::Result<std::optional<std::string>> poll(std::chrono::milliseconds timeout);
  void close();
  // When the last frame of any kind (message, ping, pong, close) arrived: pings from a server are signs of
  // life on a quiet stream.
  std::chrono::steady_clock::time_point last_frame() const;

  struct Impl;

 private:
  explicit WebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ballast::net
