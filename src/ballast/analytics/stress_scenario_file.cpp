#include "ballast/analytics/stress_scenario_file.hpp"

#include "ballast/analytics/internal/stress_scenario_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace ballast::analytics {

namespace internal {

void ScenarioReadState::locate(const std::string& path, SourcePoint at) {
  if (at.line > 0) positions_.insert_or_assign(path, at);
}

void ScenarioReadState::malformed(std::string path, std::string message, SourcePoint at) {
  issues_.push_back({std::move(path), std::move(message), at.line, at.column});
  malformed_ = true;
}

SourcePoint ScenarioReadState::position_of(std::string_view path) const {
  // Walk outward: scenarios[2].shocks.BTCUSDT → scenarios[2].shocks → scenarios[2] → scenarios.
  while (!path.empty()) {
    if (auto it = positions_.find(path); it != positions_.end()) return it->second;
    const auto cut = path.find_last_of(".[");
    if (cut == std::string_view::npos) break;
    path = path.substr(0, cut);
  }
  return {};
}

ScenarioParse ScenarioReadState::finish(bool sort_by_position) && {
  ScenarioParse out;
  out.malformed = malformed_;
  out.issues = std::move(issues_);
  // A field the reader could not take (wrong type, missing) is already reported; the value checks
  // would only repeat it ("name is empty" after "name: expected a string"), so they are dropped for
  // that field, for anything inside it and for anything enclosing it.
  const auto within = [](std::string_view inner, std::string_view outer) {
    if (!inner.starts_with(outer)) return false;
    return outer.empty() || inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[';
  };
  const std::size_t reader_issues = out.issues.size();
  const auto already_reported = [&](const std::string& path) {
    const auto end = out.issues.begin() + static_cast<std::ptrdiff_t>(reader_issues);
    return std::any_of(out.issues.begin(), end,
                       [&](const StressIssue& seen) { return within(seen.path, path) || within(path, seen.path); });
  };
  for (StressIssue& issue : validate_scenarios(scenarios)) {
    if (already_reported(issue.path)) continue;
    const SourcePoint at = position_of(issue.path);
    issue.line = at.line;
    issue.column = at.column;
    out.issues.push_back(std::move(issue));
  }
  if (sort_by_position) {
    std::stable_sort(out.issues.begin(), out.issues.end(), [](const StressIssue& a, const StressIssue& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
  }
  out.scenarios = std::move(scenarios);
  return out;
}

std::string expected_type(std::string_view expected, std::string_view got) {
  return fmt::format("expected {}, got {}", expected, got);
}

}  // namespace internal

namespace {
constexpr std::array<std::pair<ScenarioFormat, std::string_view>, 2> kFormatNames{{
    {ScenarioFormat::Toml, "TOML"},
    {ScenarioFormat::Json, "JSON"},
}};

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                    });
}
}  // namespace

std::string_view to_string(ScenarioFormat format) noexcept {
  for (const auto& [f, name] : kFormatNames) {
    if (f == format) return name;
  }
  return "TOML";
}

bool parse(std::string_view text, ScenarioFormat& out) noexcept {
  for (const auto& [f, name] : kFormatNames) {
    if (name == text) {
      out = f;
      return true;
    }
  }
  return false;
}

core::Result<ScenarioFormat> scenario_format_from_name(std::string_view source_name) {
  if (ends_with_ignoring_case(source_name, ".toml")) return ScenarioFormat::Toml;
  if (ends_with_ignoring_case(source_name, ".json")) return ScenarioFormat::Json;
  return core::Error(core::ErrorCode::Unsupported,
                     "cannot tell the scenario format from the name; use a .toml or .json file",
                     std::string(source_name));
}

ScenarioParse parse_scenarios(std::string_view text, ScenarioFormat format, std::string_view source_name) {
  switch (format) {
    case ScenarioFormat::Toml: return internal::read_toml_scenarios(text, source_name).finish(true);
    case ScenarioFormat::Json: return internal::read_json_scenarios(text).finish(false);
  }
  ScenarioParse unknown;
  unknown.issues.push_back({"", "unknown scenario format"});
  unknown.malformed = true;
  return unknown;
}

core::Result<std::vector<StressScenario>> load_scenarios(std::string_view text, ScenarioFormat format,
                                                         std::string_view source_name) {
  ScenarioParse parsed = parse_scenarios(text, format, source_name);
  if (!parsed.issues.empty()) {
    return issues_to_error(
        parsed.issues, parsed.malformed ? core::ErrorCode::ParseError : core::ErrorCode::InvalidArgument, source_name);
  }
  return std::move(parsed.scenarios);
}

}  // namespace ballast::analytics
