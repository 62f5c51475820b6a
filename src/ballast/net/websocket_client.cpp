#include "ballast/net/websocket_client.hpp"

#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "ballast/net/internal/tls.hpp"

namespace ballast::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using core::Error;
using core::ErrorCode;

}  // namespace

struct WebSocketClient::Impl {
  virtual ~Impl() = default;
  virtual core::Status send(std::string text) = 0;
  virtual core::Result<std::optional<std::string>> poll(std::chrono::milliseconds timeout) = 0;
  virtual void close() = 0;
  virtual std::chrono::steady_clock::time_point last_frame() const = 0;
};

namespace {

struct IoBase {
  asio::io_context ioc;
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_client};
};

template <class NextLayer>
class WsClient final : public IoBase, public WebSocketClient::Impl {
 public:
  explicit WsClient(HttpClientOptions options) : options_(std::move(options)), ws_(make_stream()) {}

  ~WsClient() override {
    beast::get_lowest_layer(ws_).close();
    ioc.restart();
    ioc.run_for(std::chrono::seconds(1));
  }

  core::Status connect(const Url& url, const std::vector<std::pair<std::string, std::string>>& headers) {
    beast::error_code ec;
    bool done = false;
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(url.host, std::to_string(url.port), [&](beast::error_code e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
      done = true;
    });
    run_until(done, Clock::now() + options_.timeout);
    if (!done || ec) return Error(ErrorCode::IoError, "cannot resolve " + url.host + ": " + (done ? ec.message() : "timed out"));

    auto& lowest = beast::get_lowest_layer(ws_);
    lowest.expires_after(options_.timeout);
    done = false;
    lowest.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    run_until(done, Clock::now() + options_.timeout + std::chrono::seconds(1));
    if (ec || !done) {
      return Error(ErrorCode::IoError,
                   "cannot connect to " + url.host + ":" + std::to_string(url.port) + ": " + ec.message());
    }
    beast::error_code ignored;
    lowest.socket().set_option(tcp::no_delay(true), ignored);  // small frames: no Nagle delay
    if constexpr (!std::is_same_v<NextLayer, beast::tcp_stream>) {
      BALLAST_TRY(internal::prepare_tls_client(ws_.next_layer().native_handle(), url.host, options_.verify_tls));
      lowest.expires_after(options_.timeout);
      done = false;
      ws_.next_layer().async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
      run_until(done, Clock::now() + options_.timeout + std::chrono::seconds(1));
      if (ec || !done) return Error(ErrorCode::IoError, "TLS handshake with " + url.host + " failed: " + ec.message());
    }
    lowest.expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options_.timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      req.set(http::field::user_agent, "ballast");
      for (const auto& [name, value] : headers) req.set(name, value);
    }));
    const bool default_port = url.port == (url.scheme == "wss" ? 443 : 80);
    const std::string host = default_port ? url.host : url.host + ":" + std::to_string(url.port);
    websocket::response_type response;
    done = false;
    ws_.async_handshake(response, host, url.target, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    run_until(done, Clock::now() + options_.timeout + std::chrono::seconds(1));
    if (!done) return Error(ErrorCode::IoError, "WebSocket handshake with " + host + " timed out");
    if (ec) {
      if (response.result_int() != 0 && response.result_int() != 101) {
        return Error(ErrorCode::IoError, "WebSocket upgrade rejected with HTTP " +
                                             std::to_string(response.result_int()) + ": " + response.body());
      }
      return Error(ErrorCode::IoError, "WebSocket handshake with " + host + " failed: " + ec.message());
    }
    ws_.text(true);
    // Control frames (the server's pings) count as activity; Beast answers the pings itself.
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { last_frame_ = Clock::now(); });
    last_frame_ = Clock::now();
    open_ = true;
    return core::ok();
  }

  core::Status send(std::string text) override {
    if (!open_) return Error(ErrorCode::InvalidState, "WebSocket is closed");
    outgoing_ = std::move(text);
    bool done = false;
    beast::error_code ec;
    ws_.async_write(asio::buffer(outgoing_), [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    run_until(done, Clock::now() + options_.timeout);
    if (!done) {
      broken();
      return Error(ErrorCode::IoError, "WebSocket send timed out");
    }
    if (ec) {
      broken();
      return Error(ErrorCode::IoError, "WebSocket send failed: " + ec.message());
    }
    return core::ok();
  }

  core::Result<std::optional<std::string>> poll(std::chrono::milliseconds timeout) override {
    if (!read_pending_ && !read_done_) {
      if (!open_) return Error(ErrorCode::InvalidState, "WebSocket is closed" + close_text());
      read_pending_ = true;
      ws_.async_read(read_buffer_, [this](beast::error_code e, std::size_t) {
        read_ec_ = e;
        read_pending_ = false;
        read_done_ = true;
      });
    }
    run_until(read_done_, Clock::now() + timeout);
    if (!read_done_) return std::optional<std::string>{};
    read_done_ = false;
    if (read_ec_) {
      open_ = false;
      if (read_ec_ == websocket::error::closed) return Error(ErrorCode::IoError, "WebSocket closed" + close_text());
      return Error(ErrorCode::IoError, "WebSocket receive failed: " + read_ec_.message());
    }
    last_frame_ = Clock::now();
    std::optional<std::string> message = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    return message;
  }

  void close() override {
    if (!open_) {
      beast::get_lowest_layer(ws_).close();
      return;
    }
    open_ = false;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    // A pending read receives the peer's close frame; run until both have finished (bounded).
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    run_until(done, deadline);
    beast::get_lowest_layer(ws_).close();
  }

 private:
  websocket::stream<NextLayer> make_stream() {
    if constexpr (std::is_same_v<NextLayer, beast::tcp_stream>) {
      return websocket::stream<NextLayer>(ioc);
    } else {
      return websocket::stream<NextLayer>(ioc, ssl_ctx);
    }
  }

  std::string close_text() const {
    const auto& reason = ws_.reason();
    if (reason.code == websocket::close_code::none) return {};
    return " (code " + std::to_string(reason.code) + (reason.reason.empty() ? "" : ": " + std::string(reason.reason.data(), reason.reason.size())) + ")";
  }

  void broken() {
    open_ = false;
    beast::get_lowest_layer(ws_).close();
  }

  // Runs handlers until `done` or the deadline; false on timeout.
  bool run_until(const bool& done, Clock::time_point deadline) {
    while (!done) {
      if (ioc.stopped()) ioc.restart();
      if (ioc.run_one_until(deadline) == 0) {
        if (done) break;
        if (Clock::now() >= deadline || ioc.stopped()) return done;
      }
    }
    return true;
  }

  Clock::time_point last_frame() const override { return last_frame_; }

  HttpClientOptions options_;
  Clock::time_point last_frame_{};
  websocket::stream<NextLayer> ws_;
  beast::flat_buffer read_buffer_;
  std::string outgoing_;
  bool open_ = false;
  bool read_pending_ = false;
  bool read_done_ = false;
  beast::error_code read_ec_;
};

}  // namespace

WebSocketClient::WebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSocketClient::~WebSocketClient() = default;

core::Result<std::unique_ptr<WebSocketClient>> WebSocketClient::connect(
    std::string url, std::vector<std::pair<std::string, std::string>> headers, HttpClientOptions options) {
  auto parsed = Url::parse(url);
  if (!parsed) return parsed.error();
  if (parsed->scheme == "ws") {
    auto impl = std::make_unique<WsClient<beast::tcp_stream>>(std::move(options));
    BALLAST_TRY(impl->connect(*parsed, headers));
    return std::unique_ptr<WebSocketClient>(new WebSocketClient(std::move(impl)));
  }
  if (parsed->scheme == "wss") {
    auto impl = std::make_unique<WsClient<beast::ssl_stream<beast::tcp_stream>>>(options);
    BALLAST_TRY(internal::configure_tls_context(impl->ssl_ctx.native_handle(), options.verify_tls, options.ca_file));
    BALLAST_TRY(impl->connect(*parsed, headers));
    return std::unique_ptr<WebSocketClient>(new WebSocketClient(std::move(impl)));
  }
  return Error(ErrorCode::Unsupported, "WebSocketClient needs a ws:// or wss:// URL", url);
}

core::Status WebSocketClient::send(std::string text) { return impl_->send(std::move(text)); }

core::Result<std::string> WebSocketClient::receive(std::chrono::milliseconds timeout) {
  auto message = impl_->poll(timeout);
  if (!message) return message.error();
  if (!*message) return Error(ErrorCode::IoError, "no WebSocket message within " + std::to_string(timeout.count()) + " ms");
  return std::move(**message);
}

core::Result<std::optional<std::string>> WebSocketClient::poll(std::chrono::milliseconds timeout) {
  return impl_->poll(timeout);
}

void WebSocketClient::close() { impl_->close(); }

std::chrono::steady_clock::time_point WebSocketClient::last_frame() const { return impl_->last_frame(); }

}  // namespace ballast::net
