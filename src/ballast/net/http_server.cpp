#include "ballast/net/http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "ballast/core/log.hpp"
#include "ballast/net/internal/static_files.hpp"

namespace ballast::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class HttpSession;
class WsSession;

// State shared by the server, its sessions and the Responders/WebSocketConnections handed to application
// code. `alive` turns false (under `mu`) once the io threads are joined: after that nothing posts to the
// io_context, so objects held by application code can never touch a destroyed io_context.
struct Shared {
  HttpServerOptions options;
  HttpHandler handler;
  WebSocketHandler ws;

  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::uint64_t> next_id{1};

  std::mutex mu;
  bool alive = true;
  // Sessions waiting for the application's response (nothing else keeps them alive meanwhile).
  std::unordered_map<std::uint64_t, std::shared_ptr<HttpSession>> awaiting;
  std::unordered_map<std::uint64_t, std::weak_ptr<WsSession>> websockets;
};

std::string endpoint_text(const tcp::socket& socket) {
  beast::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  const auto address = ep.address();
  if (address.is_v6()) return "[" + address.to_string() + "]:" + std::to_string(ep.port());
  return address.to_string() + ":" + std::to_string(ep.port());
}

bool origin_allowed(const HttpServerOptions& options, std::string_view origin) {
  if (origin.empty()) return false;
  for (const auto& allowed : options.cors_origins) {
    if (allowed == "*" || allowed == origin) return true;
  }
  return false;
}

// Splits the raw target into the decoded path and query; false on a malformed path.
bool fill_target(HttpRequest& out, std::string_view target) {
  out.target = std::string(target);
  const auto question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (raw_path.empty() || raw_path.front() != '/') return false;
  auto path = percent_decode(raw_path, false);
  if (!path) return false;
  out.path = std::move(*path);
  if (question != std::string_view::npos) out.query = parse_query(target.substr(question + 1));
  return true;
}

template <class Body>
HttpRequest to_request(const http::request<Body>& req, std::string remote) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  for (const auto& field : req) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.remote_address = std::move(remote);
  return out;
}

void log_exception(std::string_view where, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    core::logger().error("net: {} threw: {}", where, e.what());
  } catch (...) {
    core::logger().error("net: {} threw a non-standard exception", where);
  }
}

// ---------------------------------------------------------------------------------------------------------
// WebSocket session
// ---------------------------------------------------------------------------------------------------------

class WsHandle;

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket&& socket, std::shared_ptr<Shared> shared, std::uint64_t id, HttpRequest upgrade)
      : ws_(std::move(socket)),
        shared_(std::move(shared)),
        id_(id),
        upgrade_(std::move(upgrade)),
        ping_timer_(ws_.get_executor()) {}

  void accept(http::request<http::string_body> req);

  std::uint64_t id() const { return id_; }
  const std::string& remote() const { return upgrade_.remote_address; }
  bool is_open() const { return open_.load() && !closing_.load(); }
  bool send(std::string text);
  void close(std::uint16_t code, std::string reason);
  // Called after the io threads are joined, for sessions the io_context can no longer finish.
  void finish_after_stop() { finish(); }

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec);
  void do_write();
  void on_write(beast::error_code ec);
  void start_close(std::uint16_t code, std::string reason);
  void schedule_ping();
  void hard_close();
  void finish();

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<Shared> shared_;
  std::uint64_t id_;
  HttpRequest upgrade_;
  std::shared_ptr<WsHandle> handle_;
  beast::flat_buffer read_buffer_;
  asio::steady_timer ping_timer_;

  // Strand-only state.
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool ping_pending_ = false;
  int unanswered_pings_ = 0;
  bool close_pending_ = false;
  websocket::close_reason pending_reason_;
  bool opened_ = false;
  bool finished_ = false;

  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> open_{false};
  std::atomic<bool> closing_{false};
  std::atomic<bool> close_notified_{false};
};

// What application code holds: forwards to the session while the server is alive, never keeps the
// session (and its socket) alive on its own.
class WsHandle final : public WebSocketConnection {
 public:
  WsHandle(std::weak_ptr<WsSession> session, std::shared_ptr<Shared> shared, std::uint64_t id, std::string remote)
      : session_(std::move(session)), shared_(std::move(shared)), id_(id), remote_(std::move(remote)) {}

  std::uint64_t id() const override { return id_; }
  const std::string& remote_address() const override { return remote_; }
  bool send(std::string text) override {
    std::lock_guard lock(shared_->mu);
    if (!shared_->alive) return false;
    const auto session = session_.lock();
    return session && session->send(std::move(text));
  }
  void close(std::uint16_t code, std::string reason) override {
    std::lock_guard lock(shared_->mu);
    if (!shared_->alive) return;
    if (const auto session = session_.lock()) session->close(code, std::move(reason));
  }
  bool is_open() const override {
    std::lock_guard lock(shared_->mu);
    if (!shared_->alive) return false;
    const auto session = session_.lock();
    return session && session->is_open();
  }

 private:
  std::weak_ptr<WsSession> session_;
  std::shared_ptr<Shared> shared_;
  std::uint64_t id_;
  std::string remote_;
};

void WsSession::accept(http::request<http::string_body> req) {
  handle_ = std::make_shared<WsHandle>(weak_from_this(), shared_, id_, upgrade_.remote_address);
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  std::string protocol;
  if (const auto offered = req[http::field::sec_websocket_protocol]; !offered.empty()) {
    // Browsers send the token as a subprotocol; the reply must name one of the offered protocols.
    protocol = std::string(offered.substr(0, offered.find(',')));
    while (!protocol.empty() && protocol.back() == ' ') protocol.pop_back();
  }
  auto defaults = shared_->options.default_headers;
  ws_.set_option(websocket::stream_base::decorator([protocol, defaults](websocket::response_type& res) {
    for (const auto& [name, value] : defaults) res.set(name, value);
    if (!protocol.empty()) res.set(http::field::sec_websocket_protocol, protocol);
  }));
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) unanswered_pings_ = 0;
  });
  ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) {
    core::logger().debug("net: websocket handshake with {} failed: {}", remote(), ec.message());
    finish();
    return;
  }
  {
    std::lock_guard lock(shared_->mu);
    shared_->websockets[id_] = weak_from_this();
  }
  open_ = true;
  opened_ = true;
  if (shared_->stopping.load()) {
    start_close(1001, "server shutting down");
  }
  if (shared_->ws.on_open) {
    try {
      shared_->ws.on_open(handle_, upgrade_);
    } catch (...) {
      log_exception("WebSocketHandler::on_open", std::current_exception());
    }
  }
  do_read();
  schedule_ping();
}

void WsSession::do_read() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void WsSession::on_read(beast::error_code ec) {
  if (ec) {
    finish();
    return;
  }
  unanswered_pings_ = 0;
  std::string message = beast::buffers_to_string(read_buffer_.data());
  read_buffer_.consume(read_buffer_.size());
  if (shared_->ws.on_message) {
    try {
      shared_->ws.on_message(handle_, std::move(message));
    } catch (...) {
      log_exception("WebSocketHandler::on_message", std::current_exception());
    }
  }
  do_read();
}

bool WsSession::send(std::string text) {
  if (!open_.load() || closing_.load()) return false;
  const std::size_t queued = queued_.fetch_add(1) + 1;
  if (queued > shared_->options.ws_max_queued_messages) {
    queued_.fetch_sub(1);
    core::logger().warn("net: websocket {} ({}) is a slow consumer ({} messages queued); closing", id_, remote(),
                        queued - 1);
    close(1008, "slow consumer");
    return false;
  }
  asio::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
    if (self->finished_ || self->close_pending_) {
      self->queued_.fetch_sub(1);
      return;
    }
    self->queue_.push_back(std::move(text));
    if (!self->writing_) self->do_write();
  });
  return true;
}

void WsSession::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void WsSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (ec) {
    finish();
    return;
  }
  queue_.pop_front();
  queued_.fetch_sub(1);
  if (close_pending_) {
    // A normal close waits until everything queued before it has been sent.
    if (queue_.empty()) {
      ws_.async_close(pending_reason_, [self = shared_from_this()](beast::error_code) {
        // The pending read sees the peer's close frame (or the timeout) and finishes the session.
      });
    } else {
      do_write();
    }
    return;
  }
  if (!queue_.empty()) do_write();
}

void WsSession::close(std::uint16_t code, std::string reason) {
  if (closing_.exchange(true)) return;
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    self->start_close(code, std::move(reason));
  });
}

void WsSession::start_close(std::uint16_t code, std::string reason) {
  closing_ = true;
  if (finished_ || close_pending_) return;
  close_pending_ = true;
  if (reason.size() > 120) reason.resize(120);  // a close frame's reason is at most 123 bytes
  pending_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code),
                                            beast::string_view(reason.data(), reason.size()));
  if (code == 1008) {
    // A slow consumer does not read, so it would never answer a close frame: drop the connection.
    hard_close();
    return;
  }
  if (writing_) return;  // on_write closes once the queue is flushed
  ws_.async_close(pending_reason_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) self->finish();
  });
}

void WsSession::schedule_ping() {
  ping_timer_.expires_after(shared_->options.ws_ping_interval);
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_ || self->close_pending_) return;
    if (self->unanswered_pings_ >= 2) {
      core::logger().info("net: websocket {} ({}) missed 2 pongs; dropping", self->id_, self->remote());
      self->hard_close();
      return;
    }
    if (!self->ping_pending_) {
      self->ping_pending_ = true;
      ++self->unanswered_pings_;
      self->ws_.async_ping({}, [self](beast::error_code) { self->ping_pending_ = false; });
    }
    self->schedule_ping();
  });
}

void WsSession::hard_close() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
}

void WsSession::finish() {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  closing_ = true;
  beast::error_code ignored;
  ping_timer_.cancel();
  if (beast::get_lowest_layer(ws_).socket().is_open()) beast::get_lowest_layer(ws_).close();
  {
    std::lock_guard lock(shared_->mu);
    shared_->websockets.erase(id_);
  }
  if (opened_ && !close_notified_.exchange(true) && shared_->ws.on_close) {
    try {
      shared_->ws.on_close(handle_);
    } catch (...) {
      log_exception("WebSocketHandler::on_close", std::current_exception());
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP session
// ---------------------------------------------------------------------------------------------------------

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : remote_(endpoint_text(socket)),
        stream_(std::move(socket)),
        shared_(std::move(shared)),
        id_(shared_->next_id.fetch_add(1)) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  // From any thread, via the Responder.
  void post_response(HttpResponse response) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
      self->write_response(std::move(response), false);
    });
  }

 private:
  void do_read();
  void on_read(beast::error_code ec);
  void handle_request(http::request<http::string_body>&& req);
  void write_response(HttpResponse response, bool close_after);
  void on_write(bool close, beast::error_code ec);
  void linger_and_close();
  void do_close();

  std::string remote_;
  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // The response being written: its status line and headers, serialised here (head_ keeps its capacity
  // across the requests of a connection), and its body.
  std::string head_;
  std::string body_;
  std::string origin_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool counted_ = false;  // this request is in shared_->in_flight
  bool responded_ = false;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
};

// Shared by every copy of one Responder; answers 500 if the application drops it without responding.
struct ResponderState {
  std::shared_ptr<Shared> shared;
  std::uint64_t session_id = 0;
  std::atomic<bool> called{false};

  void respond(HttpResponse response) {
    if (called.exchange(true)) {
      core::logger().warn("net: Responder called more than once; ignored");
      return;
    }
    std::shared_ptr<HttpSession> session;
    {
      std::lock_guard lock(shared->mu);
      if (!shared->alive) return;
      const auto it = shared->awaiting.find(session_id);
      if (it == shared->awaiting.end()) return;
      session = std::move(it->second);
      shared->awaiting.erase(it);
      session->post_response(std::move(response));
      // Drop our reference while the lock keeps stop() from destroying the io_context: were this the last
      // one (the posted handler already discarded by a stopped io_context), the session's socket must be
      // closed while its service still exists.
      session.reset();
    }
  }
  ~ResponderState() {
    if (!called.load()) {
      core::logger().error("net: a request handler dropped its Responder without answering");
      respond(HttpResponse::error(500, "INTERNAL", "the request was not answered"));
    }
  }
  ResponderState() = default;
  ResponderState(const ResponderState&) = delete;
  ResponderState& operator=(const ResponderState&) = delete;
};

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(shared_->options.max_body_bytes);
  parser_->header_limit(64 * 1024);
  responded_ = false;
  stream_.expires_after(shared_->options.idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    do_close();
    return;
  }
  if (ec == http::error::body_limit) {
    version_ = parser_->get().version();
    origin_ = std::string(parser_->get()[http::field::origin]);
    write_response(HttpResponse::error(413, "PAYLOAD_TOO_LARGE",
                                       "request body exceeds the limit of " +
                                           std::to_string(shared_->options.max_body_bytes) + " bytes"),
                   true);
    return;
  }
  if (ec) {
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      version_ = 11;
      write_response(HttpResponse::error(400, "BAD_REQUEST", "malformed HTTP request: " + ec.message()), true);
    } else {
      do_close();
    }
    return;
  }
  handle_request(parser_->release());
}

void HttpSession::handle_request(http::request<http::string_body>&& req) {
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  origin_ = std::string(req[http::field::origin]);
  HttpRequest request = to_request(req, remote_);
  request.body = std::move(req.body());
  const auto target = req.target();
  if (!fill_target(request, std::string_view(target.data(), target.size()))) {
    write_response(HttpResponse::error(400, "BAD_REQUEST", "malformed request target"), true);
    return;
  }
  if (shared_->stopping.load()) {
    write_response(HttpResponse::error(503, "SERVICE_UNAVAILABLE", "the server is shutting down"), true);
    return;
  }
  const auto& options = shared_->options;

  if (websocket::is_upgrade(req)) {
    if (request.path != options.ws_path) {
      write_response(HttpResponse::error(404, "NOT_FOUND", "no WebSocket endpoint at " + request.path), true);
      return;
    }
    if (shared_->ws.authorize) {
      std::optional<HttpResponse> rejection;
      try {
        rejection = shared_->ws.authorize(request);
      } catch (...) {
        log_exception("WebSocketHandler::authorize", std::current_exception());
        rejection = HttpResponse::error(500, "INTERNAL", "authorization failed");
      }
      if (rejection) {
        write_response(std::move(*rejection), true);
        return;
      }
    }
    stream_.expires_never();
    auto ws = std::make_shared<WsSession>(stream_.release_socket(), shared_, shared_->next_id.fetch_add(1),
                                          std::move(request));
    ws->accept(std::move(req));
    return;
  }

  if (request.method == "OPTIONS" && !origin_.empty() && request.header("Access-Control-Request-Method")) {
    if (!origin_allowed(options, origin_)) {
      write_response(HttpResponse::error(403, "FORBIDDEN", "origin " + origin_ + " is not allowed"), false);
      return;
    }
    HttpResponse preflight;
    preflight.status = 204;
    preflight.content_type.clear();
    preflight.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    const auto requested = request.header("Access-Control-Request-Headers");
    preflight.headers.emplace_back("Access-Control-Allow-Headers",
                                   requested ? std::string(*requested) : std::string("Authorization, Content-Type"));
    preflight.headers.emplace_back("Access-Control-Max-Age", "600");
    write_response(std::move(preflight), false);
    return;
  }

  if (options.static_root) {
    if (auto file = internal::serve_static(*options.static_root, request, options.ws_path)) {
      write_response(std::move(*file), false);
      return;
    }
  }

  counted_ = true;
  shared_->in_flight.fetch_add(1);
  auto state = std::make_shared<ResponderState>();
  state->shared = shared_;
  state->session_id = id_;
  {
    std::lock_guard lock(shared_->mu);
    shared_->awaiting[id_] = shared_from_this();
  }
  Responder respond = [state](HttpResponse response) { state->respond(std::move(response)); };
  try {
    shared_->handler(std::move(request), std::move(respond));
  } catch (...) {
    log_exception("HttpHandler", std::current_exception());
    state->respond(HttpResponse::error(500, "INTERNAL", "internal error"));
  }
}

// Appends "Name: value\r\n".
void append_header(std::string& head, std::string_view name, std::string_view value) {
  head.append(name);
  head.append(": ");
  head.append(value);
  head.append("\r\n");
}

bool has_header(const HttpResponse& response, std::string_view name) { return response.header(name).has_value(); }

// The status line and headers are written here rather than through beast's serializer (which builds a
// field set, one allocation per header, and walks it through nested buffer sequences: about a tenth of
// the server's time on GET /api/health). Headers come out in the order beast wrote them: Server, the
// defaults the handler did not set itself, CORS, the handler's own, Content-Type, Content-Length,
// Connection.
void HttpSession::write_response(HttpResponse response, bool close_after) {
  if (responded_) return;
  responded_ = true;
  const auto& options = shared_->options;
  const unsigned status = (response.status >= 100 && response.status <= 999) ? response.status : 500;
  head_.clear();
  head_.append(version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  head_.append(std::to_string(status));
  head_.push_back(' ');
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  head_.append(reason.data(), reason.size());
  head_.append("\r\n");
  append_header(head_, "Server", "ballast");
  // Defaults apply unless the handler set the same header (e.g. a document with its own CSP).
  for (const auto& [name, value] : options.default_headers) {
    if (!has_header(response, name)) append_header(head_, name, value);
  }
  if (origin_allowed(options, origin_)) {
    const bool any = std::find(options.cors_origins.begin(), options.cors_origins.end(), "*") != options.cors_origins.end();
    append_header(head_, "Access-Control-Allow-Origin", any ? std::string_view("*") : std::string_view(origin_));
    if (!any) {
      append_header(head_, "Vary", "Origin");
      append_header(head_, "Access-Control-Allow-Credentials", "true");
    }
  }
  for (const auto& [name, value] : response.headers) append_header(head_, name, value);
  const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
  body_.clear();
  if (!no_body) {
    if (!response.content_type.empty()) append_header(head_, "Content-Type", response.content_type);
    body_ = std::move(response.body);
    append_header(head_, "Content-Length", std::to_string(body_.size()));
  }
  const bool close = close_after || !keep_alive_ || shared_->stopping.load();
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (version_ >= 11 && close) append_header(head_, "Connection", "close");
  if (version_ < 11 && !close) append_header(head_, "Connection", "keep-alive");
  head_.append("\r\n");
  stream_.expires_after(std::chrono::seconds(30));
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
  asio::async_write(stream_, buffers, [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
    self->on_write(close, ec);
  });
}

void HttpSession::on_write(bool close, beast::error_code ec) {
  body_.clear();
  if (body_.capacity() > 64 * 1024) body_.shrink_to_fit();  // a large file's buffer is not kept per connection
  if (counted_) {
    counted_ = false;
    shared_->in_flight.fetch_sub(1);
  }
  if (ec) {
    do_close();
    return;
  }
  if (close) {
    linger_and_close();
    return;
  }
  do_read();
}

// Half-close, then read and discard what the client still sends (e.g. the rest of a too-large body) so
// the kernel does not answer it with a reset that would destroy our response before the client reads it.
void HttpSession::linger_and_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(2));
  stream_.async_read_some(asio::buffer(drain_buffer_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->drained_ += n;
    if (ec || self->drained_ > 8 * self->shared_->options.max_body_bytes + (1U << 20)) {
      self->stream_.close();
      return;
    }
    self->linger_and_close();
  });
}

void HttpSession::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------------------

struct HttpServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::unique_ptr<asio::io_context> ioc;
  std::optional<tcp::acceptor> acceptor;
  // Keeps the io threads running while no operation is pending (e.g. every session awaits its handler
  // and the acceptor is closed during a graceful stop).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::mutex stop_mu;
  bool stopped = false;

  void do_accept() {
    acceptor->async_accept(asio::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (ec) {
        core::logger().warn("net: accept failed: {}", ec.message());
      } else if (shared->stopping.load()) {
        return;
      } else {
        // Small request/response exchanges and WebSocket frames: Nagle + delayed ACK would add ~40 ms.
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), shared)->start();
      }
      do_accept();
    });
  }

  void run_thread() {
    for (;;) {
      try {
        ioc->run();
        return;
      } catch (...) {
        log_exception("io thread handler", std::current_exception());
      }
    }
  }
};

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { stop(); }

core::Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options, HttpHandler handler,
                                                           WebSocketHandler ws) {
  using core::Error;
  using core::ErrorCode;
  if (!handler) return Error(ErrorCode::InvalidArgument, "HttpServer needs a request handler");
  if (options.io_threads == 0) options.io_threads = 1;
  if (options.ws_max_queued_messages == 0) options.ws_max_queued_messages = 1;
  if (options.ws_ping_interval.count() <= 0) options.ws_ping_interval = std::chrono::seconds(15);
  auto impl = std::make_shared<Impl>();
  impl->ioc = std::make_unique<asio::io_context>(static_cast<int>(options.io_threads));

  beast::error_code ec;
  tcp::resolver resolver(*impl->ioc);
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Error(ErrorCode::InvalidArgument, "cannot resolve listen address '" + options.host + "': " + ec.message(),
                 "server.host");
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl->acceptor.emplace(*impl->ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(ErrorCode::IoError,
                 "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message(),
                 "server.port");
  }
  impl->port = acceptor.local_endpoint().port();

  impl->shared->options = std::move(options);
  impl->shared->handler = std::move(handler);
  impl->shared->ws = std::move(ws);
  impl->work.emplace(impl->ioc->get_executor());
  impl->do_accept();
  const unsigned threads = impl->shared->options.io_threads;
  for (unsigned i = 0; i < threads; ++i) impl->threads.emplace_back([raw = impl.get()] { raw->run_thread(); });
  core::logger().info("net: listening on {}:{}", impl->shared->options.host, impl->port);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::in_flight_requests() const { return impl_->shared->in_flight.load(); }

std::size_t HttpServer::websocket_clients() const {
  std::lock_guard lock(impl_->shared->mu);
  return impl_->shared->websockets.size();
}

void HttpServer::stop(std::chrono::milliseconds drain) {
  Impl& impl = *impl_;
  std::lock_guard stop_lock(impl.stop_mu);
  if (impl.stopped) return;
  if (impl.ioc->get_executor().running_in_this_thread()) {
    core::logger().error("net: HttpServer::stop() called from an io thread; ignored");
    return;
  }
  impl.stopped = true;
  auto& shared = *impl.shared;
  shared.stopping = true;

  // 1. Stop accepting.
  std::promise<void> closed;
  asio::post(impl.acceptor->get_executor(), [&impl, &closed] {
    beast::error_code ignored;
    impl.acceptor->close(ignored);
    closed.set_value();
  });
  closed.get_future().wait_for(std::chrono::seconds(2));

  // 2. Let in-flight requests get their responses.
  const auto deadline = std::chrono::steady_clock::now() + drain;
  while (shared.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (shared.in_flight.load() > 0) {
    core::logger().warn("net: stopping with {} requests still unanswered", shared.in_flight.load());
  }

  // 3. Close websockets with 1001 and give the close handshakes a moment.
  std::vector<std::shared_ptr<WsSession>> sockets;
  {
    std::lock_guard lock(shared.mu);
    for (const auto& [id, weak] : shared.websockets) {
      if (auto session = weak.lock()) sockets.push_back(std::move(session));
    }
  }
  for (const auto& session : sockets) session->close(1001, "server shutting down");
  sockets.clear();
  const auto ws_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (websocket_clients() > 0 && std::chrono::steady_clock::now() < ws_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  // 4. Stop the io threads.
  impl.work.reset();
  impl.ioc->stop();
  for (auto& thread : impl.threads) {
    if (thread.joinable()) thread.join();
  }
  impl.threads.clear();

  // 5. Finish what the io_context could not (on_close still runs exactly once), then cut every tie
  // between application-held objects and the io_context before destroying it.
  {
    std::lock_guard lock(shared.mu);
    for (const auto& [id, weak] : shared.websockets) {
      if (auto session = weak.lock()) sockets.push_back(std::move(session));
    }
  }
  for (const auto& session : sockets) session->finish_after_stop();
  sockets.clear();
  std::unordered_map<std::uint64_t, std::shared_ptr<HttpSession>> awaiting;
  {
    std::lock_guard lock(shared.mu);
    shared.alive = false;
    awaiting.swap(shared.awaiting);
    shared.websockets.clear();
  }
  awaiting.clear();
  impl.acceptor.reset();
  impl.ioc.reset();
  core::logger().info("net: server on port {} stopped", impl.port);
}

}  // namespace ballast::net
