#include "ballast/analytics/stress_issue.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

namespace ballast::analytics {

std::string StressIssue::location(std::string_view source) const {
  if (line <= 0) return std::string(source);
  if (source.empty())
    return column > 0 ? fmt::format("line {}, column {}", line, column) : fmt::format("line {}", line);
  return column > 0 ? fmt::format("{}:{}:{}", source, line, column) : fmt::format("{}:{}", source, line);
}

std::string StressIssue::to_string(std::string_view source) const {
  std::string out = location(source);
  if (!out.empty()) out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

core::Error issues_to_error(std::span<const StressIssue> issues, core::ErrorCode code, std::string_view source) {
  BALLAST_REQUIRE(!issues.empty(), "issues_to_error needs at least one issue");
  if (issues.size() == 1) {
    const StressIssue& only = issues.front();
    std::string where = only.location(source);
    // Without a source or a line the path is the best "where" there is.
    if (where.empty()) return core::Error(code, only.message, only.path);
    return core::Error(code, only.path.empty() ? only.message : only.path + ": " + only.message, std::move(where));
  }
  std::string message = fmt::format("{} problems:", issues.size());
  for (const StressIssue& issue : issues) message += "\n  " + issue.to_string(source);
  return core::Error(code, std::move(message), std::string(source));
}

std::string path_key(std::string_view key) {
  bool bare = !key.empty();
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      bare = false;
      break;
    }
  }
  if (bare) return std::string(key);
  std::string quoted = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace ballast::analytics
