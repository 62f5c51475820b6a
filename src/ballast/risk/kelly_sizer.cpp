#include "ballast/risk/kelly_sizer.hpp"

#include "ballast/risk/fixed_fractional_sizer.hpp"
#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

bool in_unit_interval(double v, bool allow_zero) {
  return std::isfinite(v) && (allow_zero ? v >= 0.0 : v > 0.0) && v <= 1.0;
}

}  // namespace

double kelly_fraction(double win_probability, double payoff_ratio) {
  BALLAST_REQUIRE(in_unit_interval(win_probability, true), "win probability must be in [0, 1]");
  BALLAST_REQUIRE(std::isfinite(payoff_ratio) && payoff_ratio > 0.0, "payoff ratio must be positive");
  return win_probability - (1.0 - win_probability) / payoff_ratio;
}

core::Result<KellySizer> KellySizer::create(KellyConfig config) {
  std::vector<std::string> problems;
  if (!in_unit_interval(config.win_probability, true)) {
    problems.push_back(fmt::format("win_probability must be in [0, 1], got {}", config.win_probability));
  }
  if (!std::isfinite(config.payoff_ratio) || config.payoff_ratio <= 0.0) {
    problems.push_back(fmt::format("payoff_ratio must be positive, got {}", config.payoff_ratio));
  }
  if (!in_unit_interval(config.kelly_multiplier, false)) {
    problems.push_back(fmt::format("kelly_multiplier must be in (0, 1], got {}", config.kelly_multiplier));
  }
  if (!in_unit_interval(config.max_fraction, false)) {
    problems.push_back(fmt::format("max_fraction must be in (0, 1], got {}", config.max_fraction));
  }
  if (!problems.empty()) {
    std::string joined;
    for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    return core::Error(core::ErrorCode::InvalidArgument,
                       "invalid Kelly configuration: " + joined, "kelly");
  }
  return KellySizer(config);
}

double KellySizer::applied_fraction() const {
  const double edge = full_kelly();
  if (edge <= 0.0) return 0.0;
  return std::min(config_.kelly_multiplier * edge, config_.max_fraction);
}

core::Result<SizingResult> KellySizer::size(const SizingContext& context) const {
  BALLAST_TRY(validate_context(context));
  std::vector<SizingReason> reasons;
  const double edge = full_kelly();
  if (edge <= 0.0) {
    reasons.push_back(SizingReason::NegativeEdge);
    return finish_sizing(context, core::Decimal{}, reasons);
  }
  if (config_.kelly_multiplier * edge > config_.max_fraction) reasons.push_back(SizingReason::KellyFractionCapped);
  auto fraction = fraction_from_double(applied_fraction(), kKellyFractionScale, "kelly_fraction");
  if (!fraction) return fraction.error();

  if (config_.basis == KellyBasis::RiskToStop) {
    auto distance = stop_distance(context);
    if (!distance) return distance.error();
    auto target = fixed_fractional_quantity(context, *fraction, *distance);
    if (!target) return target.error();
    return finish_sizing(context, *target, reasons);
  }
  auto notional = internal::product(context.equity.amount(), *fraction);
  if (!notional) return notional.error();
  auto target = quantity_for_notional(*context.instrument, context.entry_price, *notional);
  if (!target) return target.error();
  return finish_sizing(context, *target, reasons);
}

}  // namespace ballast::risk
