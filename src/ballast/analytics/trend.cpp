#include "ballast/analytics/trend.hpp"

#include "ballast/analytics/indicators/bar_columns.hpp"
#include "ballast/analytics/indicators/trend.hpp"
#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics {
namespace {

constexpr int kMaxPeriod = 100'000;

core::Error invalid(std::string message, std::string where = {}) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

core::Status require_positive(std::span<const double> values, std::string_view what) {
  BALLAST_TRY(require_finite(values, what));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] <= 0.0) {
      return invalid(fmt::format("{}[{}] is {}; a log-price regression needs positive prices", what, i, values[i]),
                     std::string(what));
    }
  }
  return core::ok();
}

core::Status check_columns(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                           std::size_t min_bars) {
  if (high.size() != close.size() || low.size() != close.size()) {
    return invalid(fmt::format("high, low and close must have the same length (got {}, {}, {})", high.size(),
                               low.size(), close.size()));
  }
  BALLAST_TRY(require_finite(high, "high"));
  BALLAST_TRY(require_finite(low, "low"));
  BALLAST_TRY(require_positive(close, "close"));
  if (close.size() < min_bars) {
    return invalid(fmt::format("trend analysis needs at least {} bars (max(regression_window, 2·adx_period)), got {}",
                               min_bars, close.size()));
  }
  return core::ok();
}

// The regression of already-validated log prices y[0..n−1] on j = 0..n−1. Centring on the window mean
// keeps a log level of ~10 from cancelling the digits of a slope of ~1e-4.
LogPriceRegression regress(const double* y, std::size_t n) {
  const double nd = static_cast<double>(n);
  const double jbar = (nd - 1.0) / 2.0;
  const double sxx = nd * (nd * nd - 1.0) / 12.0;
  double mean = 0.0;
  for (std::size_t j = 0; j < n; ++j) mean += y[j];
  mean /= nd;
  double sxy = 0.0;
  double sst = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double dy = y[j] - mean;
    sxy += (static_cast<double>(j) - jbar) * dy;
    sst += dy * dy;
  }
  LogPriceRegression r;
  r.slope = sxy / sxx;
  r.intercept = mean - r.slope * jbar;
  double ssr = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double e = y[j] - mean - r.slope * (static_cast<double>(j) - jbar);
    ssr += e * e;
  }
  // SSR cannot exceed SST mathematically; rounding can push it a hair over on a flat window.
  ssr = std::min(ssr, sst);
  r.r_squared = sst > 0.0 ? 1.0 - ssr / sst : 0.0;
  r.standard_error = std::sqrt(ssr / (nd - 2.0) / sxx);
  if (r.slope == 0.0) {
    r.t_stat = 0.0;
  } else if (r.standard_error == 0.0) {
    r.t_stat = std::copysign(kMaxSlopeT, r.slope);
  } else {
    r.t_stat = std::clamp(r.slope / r.standard_error, -kMaxSlopeT, kMaxSlopeT);
  }
  return r;
}

TrendClassification classify_checked(double slope_t, double adx, double plus_di, double minus_di,
                                     const TrendConfig& config) {
  TrendClassification c;
  if (adx >= config.adx_strong_from) {
    c.strength = TrendStrength::Strong;
  } else if (adx >= config.adx_moderate_from) {
    c.strength = TrendStrength::Moderate;
  } else if (adx >= config.adx_weak_from) {
    c.strength = TrendStrength::Weak;
  }
  const bool trending = c.strength != TrendStrength::Absent;
  if (trending && slope_t > config.min_abs_t && (!config.require_di_agreement || plus_di >= minus_di)) {
    c.direction = TrendDirection::Up;
  } else if (trending && slope_t < -config.min_abs_t && (!config.require_di_agreement || minus_di >= plus_di)) {
    c.direction = TrendDirection::Down;
  }
  return c;
}

struct TrendInputs {
  std::vector<double> log_close;
  AdxSeries adx;
};

core::Result<TrendInputs> prepare(std::span<const double> high, std::span<const double> low,
                                  std::span<const double> close, const TrendConfig& config) {
  BALLAST_TRY(validate(config));
  BALLAST_TRY(check_columns(high, low, close, trend_min_bars(config)));
  TrendInputs in;
  auto adx_series = adx(high, low, close, config.adx_period);
  if (!adx_series) return adx_series.error();
  in.adx = std::move(*adx_series);
  in.log_close.reserve(close.size());
  for (const double c : close) in.log_close.push_back(std::log(c));
  return in;
}

TrendAssessment assess(const TrendInputs& in, std::size_t index, const TrendConfig& config) {
  const auto window = static_cast<std::size_t>(config.regression_window);
  TrendAssessment a;
  a.index = index;
  a.regression = regress(in.log_close.data() + (index + 1 - window), window);
  a.adx = in.adx.adx[index];
  a.plus_di = in.adx.plus_di[index];
  a.minus_di = in.adx.minus_di[index];
  const TrendClassification c = classify_checked(a.regression.t_stat, a.adx, a.plus_di, a.minus_di, config);
  a.direction = c.direction;
  a.strength = c.strength;
  return a;
}

}  // namespace

core::Status validate(const TrendConfig& config) {
  if (config.regression_window < 3 || config.regression_window > kMaxPeriod) {
    return invalid(fmt::format("regression_window must be in [3, {}] (a slope t-statistic needs n − 2 > 0), got {}",
                               kMaxPeriod, config.regression_window),
                   "regression_window");
  }
  if (config.adx_period < 1 || config.adx_period > kMaxPeriod) {
    return invalid(fmt::format("adx_period must be in [1, {}], got {}", kMaxPeriod, config.adx_period), "adx_period");
  }
  if (!std::isfinite(config.min_abs_t) || config.min_abs_t <= 0.0) {
    return invalid(fmt::format("min_abs_t must be finite and > 0, got {}", config.min_abs_t), "min_abs_t");
  }
  const bool ordered = std::isfinite(config.adx_weak_from) && std::isfinite(config.adx_moderate_from) &&
                       std::isfinite(config.adx_strong_from) && config.adx_weak_from > 0.0 &&
                       config.adx_weak_from < config.adx_moderate_from &&
                       config.adx_moderate_from < config.adx_strong_from && config.adx_strong_from <= 100.0;
  if (!ordered) {
    return invalid(fmt::format("ADX bands must satisfy 0 < adx_weak_from < adx_moderate_from < adx_strong_from <= 100, "
                               "got {}, {}, {}",
                               config.adx_weak_from, config.adx_moderate_from, config.adx_strong_from),
                   "adx_weak_from");
  }
  return core::ok();
}

std::size_t trend_min_bars(const TrendConfig& config) noexcept {
  const auto window = static_cast<std::size_t>(std::max(config.regression_window, 0));
  const auto adx_bars = 2 * static_cast<std::size_t>(std::max(config.adx_period, 0));
  return std::max(window, adx_bars);
}

core::Result<LogPriceRegression> log_price_regression(std::span<const double> prices) {
  BALLAST_TRY(require_positive(prices, "prices"));
  if (prices.size() < 3) {
    return invalid(fmt::format("a log-price regression needs at least 3 prices, got {}", prices.size()), "prices");
  }
  std::vector<double> y;
  y.reserve(prices.size());
  for (const double p : prices) y.push_back(std::log(p));
  return regress(y.data(), y.size());
}

core::Result<TrendClassification> classify_trend(double slope_t, double adx, double plus_di, double minus_di,
                                                 const TrendConfig& config) {
  BALLAST_TRY(validate(config));
  if (std::isnan(slope_t)) return invalid("slope_t is nan", "slope_t");
  const std::pair<double, std::string_view> indicators[] = {{adx, "adx"}, {plus_di, "plus_di"}, {minus_di, "minus_di"}};
  for (const auto& [value, name] : indicators) {
    if (!std::isfinite(value) || value < 0.0 || value > 100.0) {
      return invalid(fmt::format("{} must be in [0, 100], got {}", name, value), std::string(name));
    }
  }
  return classify_checked(slope_t, adx, plus_di, minus_di, config);
}

core::Result<TrendSeries> trend_series(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, const TrendConfig& config) {
  auto in = prepare(high, low, close, config);
  if (!in) return in.error();
  TrendSeries series;
  series.first_index = trend_min_bars(config) - 1;
  series.values.reserve(close.size() - series.first_index);
  for (std::size_t t = series.first_index; t < close.size(); ++t) series.values.push_back(assess(*in, t, config));
  return series;
}

core::Result<TrendSeries> trend_series(std::span<const model::Bar> bars, const TrendConfig& config) {
  const BarColumns c = to_columns(bars);
  return trend_series(c.high, c.low, c.close, config);
}

core::Result<TrendAssessment> analyze_trend(std::span<const double> high, std::span<const double> low,
                                            std::span<const double> close, const TrendConfig& config) {
  auto in = prepare(high, low, close, config);
  if (!in) return in.error();
  return assess(*in, close.size() - 1, config);
}

core::Result<TrendAssessment> analyze_trend(std::span<const model::Bar> bars, const TrendConfig& config) {
  const BarColumns c = to_columns(bars);
  return analyze_trend(c.high, c.low, c.close, config);
}

}  // namespace ballast::analytics
