#include "ballast/analytics/stress_position.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::analytics {

std::vector<StressIssue> validate_positions(std::span<const StressPosition> positions) {
  std::vector<StressIssue> issues;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const StressPosition& p = positions[i];
    const auto field = [i](std::string_view name) { return fmt::format("positions[{}].{}", i, name); };
    if (p.instrument.empty()) issues.push_back({field("instrument"), "instrument is empty"});
    if (p.asset_class.empty()) {
      issues.push_back({field("asset_class"), "asset class is empty; scenarios shock positions by asset class"});
    }
    if (!std::isfinite(p.quantity)) {
      issues.push_back({field("quantity"), fmt::format("quantity {} is not finite", p.quantity)});
    }
    if (!std::isfinite(p.price) || p.price <= 0.0) {
      issues.push_back({field("price"), fmt::format("price {} must be finite and positive", p.price)});
    }
    if (!std::isfinite(p.multiplier) || p.multiplier <= 0.0) {
      issues.push_back({field("multiplier"), fmt::format("multiplier {} must be finite and positive", p.multiplier)});
    }
  }
  return issues;
}

core::Status check_positions(std::span<const StressPosition> positions) {
  if (positions.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "no positions to stress", "positions");
  }
  const std::vector<StressIssue> issues = validate_positions(positions);
  if (!issues.empty()) return issues_to_error(issues, core::ErrorCode::InvalidArgument, "");
  return core::ok();
}

Eigen::VectorXd position_exposures(std::span<const StressPosition> positions) {
  Eigen::VectorXd e(static_cast<Eigen::Index>(positions.size()));
  for (std::size_t i = 0; i < positions.size(); ++i) e[static_cast<Eigen::Index>(i)] = positions[i].exposure();
  return e;
}

}  // namespace ballast::analytics
