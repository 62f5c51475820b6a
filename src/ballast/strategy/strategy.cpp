#include "ballast/strategy/strategy.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace ballast::strategy {

StrategyParameters::StrategyParameters(std::string strategy, std::span<const ParameterSpec> specs)
    : strategy_(std::move(strategy)), specs_(specs) {
  for (const auto& s : specs_) values_.emplace(std::string(s.name), s.default_value);
}

core::Status StrategyParameters::set(std::string_view name, double value) {
  for (const auto& s : specs_) {
    if (s.name != name) continue;
    if (!std::isfinite(value) || value < s.min || value > s.max) {
      return core::Error(core::ErrorCode::OutOfRange,
                         fmt::format("{} parameter {} must be in [{}, {}], got {}", strategy_, s.name, s.min, s.max,
                                     value),
                         std::string(name));
    }
    if (s.integer && value != std::floor(value)) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("{} parameter {} must be a whole number, got {}", strategy_, s.name, value),
                         std::string(name));
    }
    values_[std::string(s.name)] = value;
    return core::ok();
  }
  std::string known;
  for (const auto& s : specs_) known += (known.empty() ? "" : ", ") + std::string(s.name);
  return core::Error(core::ErrorCode::NotFound,
                     fmt::format("unknown parameter '{}' for {}; known: {}", name, strategy_, known), std::string(name));
}

core::Status StrategyParameters::set_from_text(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("parameter '{}' must be written name=value", assignment), "param");
  }
  const std::string_view name = assignment.substr(0, eq);
  const std::string_view text = assignment.substr(eq + 1);
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    if (text == "true" || text == "false") {
      value = text == "true" ? 1.0 : 0.0;
    } else {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("parameter {}: '{}' is not a number", name, text), std::string(name));
    }
  }
  return set(name, value);
}

double StrategyParameters::get(std::string_view name) const {
  const auto it = values_.find(name);
  BALLAST_REQUIRE(it != values_.end(), fmt::format("{} has no parameter {}", strategy_, name));
  return it->second;
}

int StrategyParameters::get_int(std::string_view name) const { return static_cast<int>(std::lround(get(name))); }

}  // namespace ballast::strategy
