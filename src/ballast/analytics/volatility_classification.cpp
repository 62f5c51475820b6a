#include "ballast/analytics/volatility_classification.hpp"

#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/sample_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::analytics {

using core::Error;
using core::ErrorCode;

core::Result<VolatilityTrendResult> volatility_trend(std::span<const double> log_returns,
                                                     const VolatilityTrendConfig& config, double periods_per_year) {
  if (config.short_window < 2 || config.long_window <= config.short_window) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("volatility trend needs 2 <= short_window < long_window, got {} and {}",
                             config.short_window, config.long_window),
                 "short_window");
  }
  if (!std::isfinite(config.z) || config.z <= 0.0) {
    return Error(ErrorCode::InvalidArgument, fmt::format("volatility trend z must be positive, got {}", config.z), "z");
  }
  if (!std::isfinite(periods_per_year) || periods_per_year <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("periods_per_year must be finite and positive, got {}", periods_per_year),
                 "periods_per_year");
  }
  BALLAST_TRY(require_finite(log_returns, "log_returns"));
  if (log_returns.size() < config.long_window) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("volatility trend needs at least long_window = {} returns, got {}", config.long_window,
                             log_returns.size()));
  }
  const auto long_part = log_returns.last(config.long_window);
  const auto short_part = log_returns.last(config.short_window);
  const double var_long = sample_variance(long_part);
  const double var_short = sample_variance(short_part);

  VolatilityTrendResult out;
  out.short_volatility = std::sqrt(var_short * periods_per_year);
  out.long_volatility = std::sqrt(var_long * periods_per_year);
  const double ns = static_cast<double>(config.short_window);
  const double nl = static_cast<double>(config.long_window);
  const double d = 1.0 / (ns - 1.0) - 1.0 / (nl - 1.0);
  const double band = config.z * std::sqrt(2.0 * d);
  out.lower_bound = std::exp(-band - d);
  out.upper_bound = std::exp(band - d);
  // The short window lies inside the long one, so var_long == 0 implies var_short == 0: nothing moved.
  // A variance at rounding level relative to the returns' scale (a constant drift) counts as zero.
  double scale = 0.0;
  for (double r : long_part) scale = std::max(scale, std::abs(r));
  if (var_long <= 1e-28 * scale * scale) {
    out.variance_ratio = 1.0;
    out.trend = VolatilityTrend::Stable;
    return out;
  }
  out.variance_ratio = var_short / var_long;
  if (out.variance_ratio > out.upper_bound) {
    out.trend = VolatilityTrend::Increasing;
  } else if (out.variance_ratio < out.lower_bound) {
    out.trend = VolatilityTrend::Decreasing;
  } else {
    out.trend = VolatilityTrend::Stable;
  }
  return out;
}

double percentile_rank(std::span<const double> history, double x) {
  BALLAST_REQUIRE(!history.empty(), "percentile_rank of an empty history");
  std::size_t below = 0;
  std::size_t equal = 0;
  for (double h : history) {
    if (h < x) {
      ++below;
    } else if (h == x) {
      ++equal;
    }
  }
  return 100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) / static_cast<double>(history.size());
}

core::Result<VolatilityLevelResult> classify_volatility(std::span<const double> history, double current,
                                                        const VolatilityLevelCutoffs& cutoffs) {
  if (!(cutoffs.normal_from > 0.0 && cutoffs.normal_from < cutoffs.high_from &&
        cutoffs.high_from < cutoffs.extreme_from && cutoffs.extreme_from < 100.0)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("volatility cut-offs must satisfy 0 < normal_from < high_from < extreme_from < 100, got "
                             "{}, {}, {}",
                             cutoffs.normal_from, cutoffs.high_from, cutoffs.extreme_from),
                 "cutoffs");
  }
  if (history.empty()) {
    return Error(ErrorCode::InvalidArgument, "volatility classification needs a non-empty history", "history");
  }
  BALLAST_TRY(require_finite(history, "history"));
  if (!std::isfinite(current)) {
    return Error(ErrorCode::InvalidArgument, fmt::format("current volatility is {}; it must be finite", current),
                 "current");
  }
  VolatilityLevelResult out;
  out.percentile = percentile_rank(history, current);
  if (out.percentile < cutoffs.normal_from) {
    out.level = VolatilityLevel::Low;
  } else if (out.percentile < cutoffs.high_from) {
    out.level = VolatilityLevel::Normal;
  } else if (out.percentile < cutoffs.extreme_from) {
    out.level = VolatilityLevel::High;
  } else {
    out.level = VolatilityLevel::Extreme;
  }
  return out;
}

core::Result<VolatilityLevelResult> classify_latest_volatility(std::span<const double> history,
                                                               const VolatilityLevelCutoffs& cutoffs) {
  if (history.empty()) {
    return Error(ErrorCode::InvalidArgument, "volatility classification needs a non-empty history", "history");
  }
  return classify_volatility(history, history.back(), cutoffs);
}

}  // namespace ballast::analytics
