#include "ballast/analytics/stress_scenario.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace ballast::analytics {

namespace {

constexpr std::array<std::pair<ShockSource, std::string_view>, 4> kShockSourceNames{{
    {ShockSource::None, "NONE"},
    {ShockSource::AllInstruments, "ALL_INSTRUMENTS"},
    {ShockSource::AssetClass, "ASSET_CLASS"},
    {ShockSource::Instrument, "INSTRUMENT"},
}};

void check_shock(double move, const std::string& path, std::vector<StressIssue>& issues) {
  if (!std::isfinite(move)) {
    issues.push_back({path, fmt::format("shock {} is not finite", move)});
  } else if (move < -1.0) {
    issues.push_back({path, fmt::format("shock {} is below -100%; a price cannot fall below zero", move)});
  }
}

void check_shock_map(const StressScenario::ShockMap& shocks, std::string_view path, std::string_view what,
                     std::vector<StressIssue>& issues) {
  for (const auto& [key, move] : shocks) {
    const std::string field = fmt::format("{}.{}", path, path_key(key));
    if (key.empty()) issues.push_back({field, fmt::format("{} name is empty", what)});
    check_shock(move, field, issues);
  }
}

}  // namespace

std::string_view to_string(ShockSource source) noexcept {
  for (const auto& [s, name] : kShockSourceNames) {
    if (s == source) return name;
  }
  return "NONE";
}

bool parse(std::string_view text, ShockSource& out) noexcept {
  for (const auto& [s, name] : kShockSourceNames) {
    if (name == text) {
      out = s;
      return true;
    }
  }
  return false;
}

std::string_view instrument_symbol(std::string_view instrument) noexcept {
  const auto dot = instrument.rfind('.');
  return dot == std::string_view::npos ? instrument : instrument.substr(0, dot);
}

AppliedShock resolve_shock(const StressScenario& scenario, std::string_view instrument, std::string_view asset_class) {
  if (auto it = scenario.instrument_shocks.find(instrument); it != scenario.instrument_shocks.end()) {
    return {it->second, ShockSource::Instrument, it->first};
  }
  const std::string_view symbol = instrument_symbol(instrument);
  if (symbol != instrument) {
    if (auto it = scenario.instrument_shocks.find(symbol); it != scenario.instrument_shocks.end()) {
      return {it->second, ShockSource::Instrument, it->first};
    }
  }
  if (auto it = scenario.asset_class_shocks.find(asset_class); it != scenario.asset_class_shocks.end()) {
    return {it->second, ShockSource::AssetClass, it->first};
  }
  if (scenario.all_instruments_shock) return {*scenario.all_instruments_shock, ShockSource::AllInstruments, {}};
  return {};
}

std::vector<StressIssue> validate_scenario(const StressScenario& scenario, std::string_view path) {
  std::vector<StressIssue> issues;
  const auto field = [path](std::string_view name) { return fmt::format("{}.{}", path, name); };
  if (scenario.name.empty()) issues.push_back({field("name"), "name is empty; every scenario needs one"});
  check_shock_map(scenario.instrument_shocks, field("shocks"), "instrument", issues);
  check_shock_map(scenario.asset_class_shocks, field("asset_classes"), "asset class", issues);
  if (scenario.all_instruments_shock) check_shock(*scenario.all_instruments_shock, field("all_instruments"), issues);
  if (!std::isfinite(scenario.vol_multiplier) || scenario.vol_multiplier <= 0.0) {
    issues.push_back({field("vol_multiplier"),
                      fmt::format("vol multiplier {} must be finite and positive", scenario.vol_multiplier)});
  }
  if (!(scenario.correlation_shock >= 0.0 && scenario.correlation_shock <= 1.0)) {
    issues.push_back({field("correlation_shock"),
                      fmt::format("correlation shock {} is outside [0, 1]", scenario.correlation_shock)});
  }
  const bool moves_nothing = scenario.instrument_shocks.empty() && scenario.asset_class_shocks.empty() &&
                             !scenario.all_instruments_shock && scenario.vol_multiplier == 1.0 &&
                             scenario.correlation_shock == 0.0;
  if (moves_nothing) {
    issues.push_back({std::string(path),
                      "scenario has no shocks, asset_classes or all_instruments and no volatility or correlation "
                      "stress; it would change nothing"});
  }
  return issues;
}

std::vector<StressIssue> validate_scenarios(std::span<const StressScenario> scenarios) {
  std::vector<StressIssue> issues;
  std::map<std::string_view, std::size_t, std::less<>> first_with_name;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string path = fmt::format("scenarios[{}]", i);
    std::vector<StressIssue> own = validate_scenario(scenarios[i], path);
    issues.insert(issues.end(), own.begin(), own.end());
    const std::string& name = scenarios[i].name;
    if (name.empty()) continue;
    auto [it, inserted] = first_with_name.emplace(name, i);
    if (!inserted) {
      issues.push_back(
          {path + ".name", fmt::format("duplicate name \"{}\" (first used by scenarios[{}])", name, it->second)});
    }
  }
  return issues;
}

core::Status check_scenarios(std::span<const StressScenario> scenarios) {
  if (scenarios.empty()) return core::Error(core::ErrorCode::InvalidArgument, "no scenarios to run", "scenarios");
  const std::vector<StressIssue> issues = validate_scenarios(scenarios);
  if (!issues.empty()) return issues_to_error(issues, core::ErrorCode::InvalidArgument, "");
  return core::ok();
}

}  // namespace ballast::analytics
