#pragma once
// HttpServer: an asynchronous HTTP/1.1 + WebSocket server (Boost.Beast underneath, hidden behind a
// pimpl). One io_context runs on `io_threads` threads; each connection has its own strand. Requests are
// handed to the HttpHandler as plain values; the handler answers through the Responder from any thread.
//
// Every response, errors included, carries `default_headers` (unless the handler set a header of the same
// name) and, for an allowed Origin, the CORS headers. Preflight OPTIONS requests from an allowed origin are answered 204 without calling the handler.
// Bodies over max_body_bytes get 413 PAYLOAD_TOO_LARGE; malformed requests get 400.
//
// WebSocket upgrades on `ws_path` go through WebSocketHandler::authorize, then on_open. Each connection
// has a bounded outgoing queue (ws_max_queued_messages); a send that would overflow it closes the
// connection with 1008 "slow consumer", so one slow client never slows the caller. The server pings every
// ws_ping_interval; a client that leaves two pings unanswered is dropped. on_close runs exactly once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/net/http_types.hpp"

namespace ballast::net {

class WebSocketConnection {  // thread-safe
 public:
  virtual ~WebSocketConnection() = default;
  virtual std::uint64_t id() const = 0;
  virtual const std::string& remote_address() const = 0;
  // Queues a text frame. Returns false if the connection is closed or its outgoing queue is full — in
  // the latter case the connection is closed (1008 policy / "slow consumer").
  virtual bool send(std::string text) = 0;
  virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  virtual bool is_open() const = 0;
};

struct WebSocketHandler {
  // Called on the upgrade request (path == options.ws_path) before accepting. Return an HttpResponse to
  // reject (e.g. 401), or nullopt to accept. Unset = accept everyone.
  std::function<std::optional<HttpResponse>(const HttpRequest& upgrade)> authorize;
  std::function<void(std::shared_ptr<WebSocketConnection>, const HttpRequest& upgrade)> on_open;
  std::function<void(const std::shared_ptr<WebSocketConnection>&, std::string message)> on_message;
  std::function<void(const std::shared_ptr<WebSocketConnection>&)> on_close;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = pick a free port (tests)
  unsigned io_threads = 2;
  std::size_t max_body_bytes = 1 << 20;  // larger -> 413 PAYLOAD_TOO_LARGE JSON error
  std::chrono::seconds idle_timeout{60};
  // Exact origins allowed; preflight OPTIONS is answered 204 and Access-Control-* headers are added.
  // "*" allows any origin.
  std::vector<std::string> cors_origins;
  std::vector<std::pair<std::string, std::string>> default_headers;  // added to every response
  std::string ws_path = "/ws";
  std::size_t ws_max_queued_messages = 256;
  std::chrono::seconds ws_ping_interval{15};  // a client that misses 2 pongs is dropped
  // If set: GET for paths not under /api, /ws, /metrics serve files from here; unknown paths fall back
  // to index.html (single-page app). Files under assets/ are cached for a year ("immutable"), index.html
  // gets "no-cache". Paths never escape the root.
  std::optional<std::filesystem::path> static_root;
};

class HttpServer {
 public:
  static core::Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options, HttpHandler handler,
                                                         WebSocketHandler ws);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;  // the bound port
  // Graceful: stop accepting, let in-flight requests get their responses (up to `drain`), close
  // websockets with 1001, join threads. Idempotent; call from any thread except an io thread.
  void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));
  std::size_t websocket_clients() const;
  std::size_t in_flight_requests() const;

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace ballast::net
