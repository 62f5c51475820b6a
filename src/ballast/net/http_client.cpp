#include "ballast/net/http_client.hpp"

#include <optional>

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "ballast/net/internal/tls.hpp"

namespace ballast::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using core::Error;
using core::ErrorCode;

constexpr std::size_t kMaxResponseBytes = 64U << 20;

}  // namespace

struct HttpClient::Impl {
  Url base;
  std::optional<Error> base_error;
  HttpClientOptions options;
  asio::io_context ioc;
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  bool connected = false;
  std::size_t connections = 0;

  bool secure() const { return base.scheme == "https"; }

  // Runs the io_context until every started operation has completed (each one carries a timeout).
  void run() {
    ioc.restart();
    ioc.run();
  }

  void disconnect() {
    connected = false;
    buffer.clear();
    if (tls) beast::get_lowest_layer(*tls).close();
    if (plain) plain->close();
    tls.reset();
    plain.reset();
  }

  core::Status connect() {
    disconnect();
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    tcp::resolver resolver(ioc);
    resolver.async_resolve(base.host, std::to_string(base.port),
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                           });
    run();
    if (ec) return Error(ErrorCode::IoError, "cannot resolve " + base.host + ": " + ec.message());

    beast::tcp_stream* lowest = nullptr;
    if (secure()) {
      tls.emplace(ioc, ssl_ctx);
      lowest = &beast::get_lowest_layer(*tls);
    } else {
      plain.emplace(ioc);
      lowest = &*plain;
    }
    lowest->expires_after(options.timeout);
    lowest->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec) {
      disconnect();
      return Error(ErrorCode::IoError,
                   "cannot connect to " + base.host + ":" + std::to_string(base.port) + ": " + ec.message());
    }
    beast::error_code ignored;
    lowest->socket().set_option(tcp::no_delay(true), ignored);  // request/response: no Nagle delay
    if (secure()) {
      if (auto status = internal::prepare_tls_client(tls->native_handle(), base.host, options.verify_tls); !status) {
        disconnect();
        return status.error();
      }
      lowest->expires_after(options.timeout);
      tls->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
      run();
      if (ec) {
        disconnect();
        return Error(ErrorCode::IoError, "TLS handshake with " + base.host + " failed: " + ec.message());
      }
    }
    connected = true;
    ++connections;
    return core::ok();
  }

  template <class Stream>
  beast::error_code exchange(Stream& stream, http::request<http::string_body>& req,
                             http::response_parser<http::string_body>& parser, bool& wrote) {
    beast::error_code ec;
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(options.timeout);
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) return ec;
    wrote = true;
    lowest.expires_after(options.timeout);
    http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return ec;
  }
};

HttpClient::HttpClient(std::string base_url, HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto url = Url::parse(base_url);
  if (!url) {
    impl_->base_error = url.error();
  } else if (url->scheme != "http" && url->scheme != "https") {
    impl_->base_error = Error(ErrorCode::Unsupported, "HttpClient needs an http:// or https:// URL", base_url);
  } else {
    impl_->base = std::move(*url);
    if (impl_->base.target == "/") impl_->base.target.clear();
    if (auto status = internal::configure_tls_context(impl_->ssl_ctx.native_handle(), impl_->options.verify_tls,
                                                      impl_->options.ca_file);
        !status) {
      impl_->base_error = status.error();
    }
  }
}

HttpClient::~HttpClient() { impl_->disconnect(); }

std::size_t HttpClient::connections_opened() const { return impl_->connections; }

core::Result<HttpResponse> HttpClient::request(std::string_view method, std::string_view target, std::string body,
                                               std::vector<std::pair<std::string, std::string>> headers) {
  Impl& impl = *impl_;
  if (impl.base_error) return *impl.base_error;

  http::request<http::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(impl.base.target + std::string(target.empty() ? "/" : target));
  req.version(11);
  const bool default_port = (impl.base.port == 80 && !impl.secure()) || (impl.base.port == 443 && impl.secure());
  const std::string host = impl.base.host.find(':') != std::string::npos ? "[" + impl.base.host + "]" : impl.base.host;
  req.set(http::field::host, default_port ? host : host + ":" + std::to_string(impl.base.port));
  req.set(http::field::user_agent, "ballast");
  bool has_content_type = false;
  for (auto& [name, value] : headers) {
    if (iequals(name, "Content-Type")) has_content_type = true;
    req.insert(name, value);
  }
  if (!body.empty() && !has_content_type) req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  req.keep_alive(true);
  req.prepare_payload();

  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl.connected;
    if (!impl.connected) BALLAST_TRY(impl.connect());
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    if (req.method() == http::verb::head) parser.skip(true);
    bool wrote = false;
    const beast::error_code ec =
        impl.tls ? impl.exchange(*impl.tls, req, parser, wrote) : impl.exchange(*impl.plain, req, parser, wrote);
    if (ec) {
      impl.disconnect();
      // A kept-alive connection the server has closed meanwhile fails at once: try a fresh one, once.
      const bool stale = reused && (!wrote || ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                                    ec == asio::error::eof);
      if (stale && attempt == 0) continue;
      const std::string what = ec == beast::error::timeout ? "timed out" : ec.message();
      return Error(ErrorCode::IoError, std::string(method) + " " + std::string(target) + " to " + impl.base.host +
                                           ":" + std::to_string(impl.base.port) + " failed: " + what);
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = res.result_int();
    out.content_type = std::string(res[http::field::content_type]);
    for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) impl.disconnect();
    return out;
  }
  return Error(ErrorCode::IoError, "request failed");
}

}  // namespace ballast::net
