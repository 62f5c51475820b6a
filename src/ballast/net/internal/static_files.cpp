#include "ballast/net/internal/static_files.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace ballast::net::internal {
namespace {

bool under(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?';
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

// The canonical form of `candidate` if it is a regular file inside `root` (already canonical).
std::optional<std::filesystem::path> inside_root(const std::filesystem::path& root,
                                                 const std::filesystem::path& candidate) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(candidate, ec);
  if (ec) return std::nullopt;
  if (!std::filesystem::is_regular_file(canonical, ec) || ec) return std::nullopt;
  const auto rel = canonical.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return canonical;
}

HttpResponse file_response(const std::filesystem::path& file, std::string data, bool immutable) {
  HttpResponse response;
  response.status = 200;
  response.content_type = std::string(content_type_for(file));
  response.body = std::move(data);
  response.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace

std::string_view content_type_for(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".webp") return "image/webp";
  if (ext == ".woff") return "font/woff";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

std::optional<HttpResponse> serve_static(const std::filesystem::path& root, const HttpRequest& request,
                                         std::string_view ws_path) {
  if (request.method != "GET") return std::nullopt;
  const std::string_view path = request.path;
  if (under(path, "/api") || under(path, "/metrics") || under(path, ws_path)) return std::nullopt;

  std::error_code ec;
  const auto canonical_root = std::filesystem::canonical(root, ec);
  if (ec) return HttpResponse::error(404, "NOT_FOUND", "static root is not available");

  // Refuse anything that could name a file outside the root before touching the file system.
  std::filesystem::path relative;
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == ".." || segment.find('\0') != std::string_view::npos ||
        segment.find('\\') != std::string_view::npos) {
      return HttpResponse::error(404, "NOT_FOUND", "no such file");
    }
    relative /= std::string(segment);
  }

  const bool is_asset = !relative.empty() && *relative.begin() == "assets";
  if (!relative.empty()) {
    if (const auto file = inside_root(canonical_root, canonical_root / relative)) {
      if (auto data = read_file(*file)) {
        const bool index = file->filename() == "index.html";
        return file_response(*file, std::move(*data), is_asset && !index);
      }
    }
    if (is_asset) return HttpResponse::error(404, "NOT_FOUND", "no such asset: " + std::string(path));
  }
  if (const auto index = inside_root(canonical_root, canonical_root / "index.html")) {
    if (auto data = read_file(*index)) return file_response(*index, std::move(*data), false);
  }
  return HttpResponse::error(404, "NOT_FOUND", "no such file: " + std::string(path));
}

}  // namespace ballast::net::internal
