#pragma once
// Plain HTTP request/response values passed between the net server and application handlers. They hold
// no Boost types so that handler code compiles fast. Header names are compared case-insensitively;
// header values and bodies are raw bytes (bodies are usually JSON, UTF-8).
//
// A handler receives the request by value and a Responder, which it must call exactly once, from any
// thread; the server posts the response back to the connection's own strand.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::net {

struct HttpRequest {
  std::string method;  // "GET", upper case
  std::string target;  // raw target incl. query
  std::string path;    // percent-decoded path without query
  std::vector<std::pair<std::string, std::string>> query;    // decoded query parameters in order
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::map<std::string, std::string> path_params;            // filled by Router ("{id}" segments)
  std::string body;
  std::string remote_address;  // "127.0.0.1:53422"

  std::optional<std::string_view> header(std::string_view name) const;       // case-insensitive, first match
  std::optional<std::string_view> query_param(std::string_view name) const;  // first match
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static HttpResponse json(unsigned status, std::string body);
  // Body {"error":{"code":...,"message":...,"field":...}}; "field" is null when empty.
  static HttpResponse error(unsigned status, std::string_view code, std::string_view message,
                            std::string_view field = {});

  // First extra header with this name (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Call exactly once, from ANY thread. Later calls are ignored.
using Responder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest&& request, Responder respond)>;

// Case-insensitive ASCII comparison of header names.
bool iequals(std::string_view a, std::string_view b) noexcept;

// Percent-decodes `text` ("%2F" -> "/"); with plus_as_space, '+' becomes ' ' (query strings).
// Returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

// Splits "a=1&b=x%20y" into decoded pairs, in order. Malformed escapes are kept verbatim.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace ballast::net
