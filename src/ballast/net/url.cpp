#include "ballast/net/http_client.hpp"

#include <charconv>

namespace ballast::net {

core::Result<Url> Url::parse(std::string_view text) {
  using core::Error;
  using core::ErrorCode;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return Error(ErrorCode::ParseError, "URL has no scheme (expected http://, https://, ws:// or wss://)",
                 std::string(text));
  }
  Url url;
  for (const char c : text.substr(0, scheme_end)) {
    url.scheme.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  std::uint16_t default_port = 0;
  if (url.scheme == "http" || url.scheme == "ws") {
    default_port = 80;
  } else if (url.scheme == "https" || url.scheme == "wss") {
    default_port = 443;
  } else {
    return Error(ErrorCode::Unsupported, "unsupported URL scheme '" + url.scheme + "'", std::string(text));
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (!url.target.empty() && url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return Error(ErrorCode::Unsupported, "credentials in URLs are not supported", std::string(text));
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Error(ErrorCode::ParseError, "unclosed '[' in URL host", std::string(text));
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Error(ErrorCode::ParseError, "unexpected text after URL host", std::string(text));
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Error(ErrorCode::ParseError, "URL has no host", std::string(text));
  url.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return Error(ErrorCode::ParseError, "invalid port '" + std::string(port_text) + "' in URL", std::string(text));
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  return url;
}

}  // namespace ballast::net
