#pragma once
// Blocking HTTP/1.1 client (http and https). One keep-alive connection per HttpClient object, opened
// lazily and reopened when the server closed it. TLS uses OpenSSL with SNI and hostname verification
// (on by default; the system trust store, or ca_file). Not thread-safe: one client per thread.
// Transport failures and timeouts return an IoError; any HTTP status (including 4xx/5xx) is a value.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/net/http_types.hpp"

namespace ballast::net {

struct Url {
  std::string scheme;  // "http", "https", "ws" or "wss" (lower case)
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;  // explicit, or the scheme's default (80 / 443)
  std::string target;  // path + query, "/" when empty
  static core::Result<Url> parse(std::string_view text);
};

struct HttpClientOptions {
  std::chrono::milliseconds timeout{10000};  // per request (connect + write + read)
  bool verify_tls = true;
  std::optional<std::string> ca_file;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `target` is appended to the base URL's path ("/api/x?y=1"). Response headers are returned in
  // HttpResponse::headers (all of them, Content-Type also in content_type).
  core::Result<HttpResponse> request(std::string_view method, std::string_view target, std::string body = {},
                                     std::vector<std::pair<std::string, std::string>> headers = {});

  // Number of TCP connections opened so far (keep-alive test hook).
  std::size_t connections_opened() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ballast::net
