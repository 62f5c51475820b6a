#pragma once
// Static file serving for the dashboard (single-page app). Private to net; no Boost.
//
// serve_static() answers GET requests whose path is not under /api, /ws or /metrics: a file under the root
// is returned with its Content-Type; unknown paths fall back to index.html, except under /assets/ (a missing
// asset is a 404, not HTML). Cache-Control is "public, max-age=31536000, immutable" for assets/ (their names
// carry content hashes) and "no-cache" for everything else. A path with a ".." segment, a NUL byte or a
// backslash is refused, and the resolved file must lie inside the canonical root (symlinks included).

#include <filesystem>
#include <optional>
#include <string_view>

#include "ballast/net/http_types.hpp"

namespace ballast::net::internal {

// nullopt: not a static-file request (let the application handle it).
std::optional<HttpResponse> serve_static(const std::filesystem::path& root, const HttpRequest& request,
                                         std::string_view ws_path);

std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace ballast::net::internal
