#include "ballast/analytics/statistic.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::analytics {

Statistic Statistic::of(double value) {
  BALLAST_REQUIRE(std::isfinite(value), fmt::format("a defined statistic must be finite, got {}", value));
  return Statistic(true, value, UndefinedReason::TooFewObservations);
}

Statistic Statistic::undefined(UndefinedReason reason) {
  return Statistic(false, 0.0, reason);
}

Statistic Statistic::of_finite(double value) {
  if (!std::isfinite(value)) return undefined(UndefinedReason::NotRepresentable);
  return of(value);
}

double Statistic::value() const {
  BALLAST_REQUIRE(defined_, fmt::format("statistic is undefined ({})", analytics::to_string(reason_)));
  return value_;
}

std::optional<double> Statistic::as_optional() const noexcept {
  if (!defined_) return std::nullopt;
  return value_;
}

UndefinedReason Statistic::reason() const {
  BALLAST_REQUIRE(!defined_, fmt::format("statistic is defined ({}); it has no undefined reason", value_));
  return reason_;
}

std::string Statistic::to_string() const {
  if (defined_) return fmt::format("{:.6f}", value_);
  return fmt::format("undefined ({})", analytics::to_string(reason_));
}

}  // namespace ballast::analytics
