#include "ballast/net/router.hpp"

#include <algorithm>
#include <exception>
#include <string_view>

#include "ballast/core/require.hpp"

namespace ballast::net {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (path[i].empty()) return false;
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

// True when `a` is more specific than `b`: a literal segment at the first position where they differ.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool a_param = is_param(a[i]);
    const bool b_param = is_param(b[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

}  // namespace

void Router::add(std::string method, std::string pattern, HttpHandler handler) {
  BALLAST_REQUIRE(!pattern.empty() && pattern.front() == '/', "route pattern must start with '/': " + pattern);
  BALLAST_REQUIRE(static_cast<bool>(handler), "route handler is empty: " + method + " " + pattern);
  Entry entry;
  entry.segments = split_path(pattern);
  entry.method = std::move(method);
  entry.pattern = std::move(pattern);
  entry.handler = std::move(handler);
  entries_.push_back(std::move(entry));
}

void Router::dispatch(HttpRequest&& request, Responder respond) const {
  const auto segments = split_path(request.path);
  const Entry* best = nullptr;
  std::vector<std::string> allowed;
  for (const auto& entry : entries_) {
    if (!matches(entry.segments, segments)) continue;
    if (entry.method != request.method) {
      if (std::find(allowed.begin(), allowed.end(), entry.method) == allowed.end()) allowed.push_back(entry.method);
      continue;
    }
    if (best == nullptr || more_specific(entry.segments, best->segments)) best = &entry;
  }
  if (best == nullptr) {
    if (allowed.empty()) {
      respond(HttpResponse::error(404, "NOT_FOUND", "no route for " + request.method + " " + request.path));
      return;
    }
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (const auto& method : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    auto response = HttpResponse::error(405, "METHOD_NOT_ALLOWED",
                                        "method " + request.method + " is not allowed on " + request.path +
                                            " (allowed: " + allow + ")");
    response.headers.emplace_back("Allow", allow);
    respond(std::move(response));
    return;
  }
  request.path_params.clear();
  for (std::size_t i = 0; i < best->segments.size(); ++i) {
    const auto& segment = best->segments[i];
    if (is_param(segment)) request.path_params[segment.substr(1, segment.size() - 2)] = segments[i];
  }
  best->handler(std::move(request), std::move(respond));
}

std::vector<Router::Route> Router::routes() const {
  std::vector<Route> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(Route{entry.method, entry.pattern});
  return out;
}

}  // namespace ballast::net
