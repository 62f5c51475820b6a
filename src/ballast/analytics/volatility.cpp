#include "ballast/analytics/volatility.hpp"

#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ballast::analytics {
namespace {

using core::Error;
using core::ErrorCode;

constexpr double kLn2 = std::numbers::ln2;

core::Status check_periods_per_year(double periods_per_year) {
  if (!std::isfinite(periods_per_year) || periods_per_year <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("periods_per_year must be finite and positive, got {}", periods_per_year),
                 "periods_per_year");
  }
  return core::ok();
}

core::Status check_count(std::size_t have, std::size_t need, std::string_view estimator, std::string_view unit) {
  if (have < need) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} needs at least {} {}, got {}", estimator, need, unit, have));
  }
  return core::ok();
}

core::Status check_window(std::size_t window, std::size_t min_window, std::size_t available, std::string_view estimator,
                          std::string_view unit) {
  if (window < min_window) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} needs a window of at least {} {}, got {}", estimator, min_window, unit, window),
                 "window");
  }
  if (available < window) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} window of {} {} is longer than the {} available", estimator, window, unit, available),
                 "window");
  }
  return core::ok();
}

// σ from a per-period variance, annualised; clamps rounding noise below zero.
double annualised_sigma(double per_period_variance, double periods_per_year) {
  return std::sqrt(std::max(per_period_variance, 0.0) * periods_per_year);
}

double parkinson_term(const OhlcBar& b) {
  const double hl = std::log(b.high / b.low);
  return hl * hl / (4.0 * kLn2);
}

double garman_klass_term(const OhlcBar& b) {
  const double hl = std::log(b.high / b.low);
  const double co = std::log(b.close / b.open);
  return 0.5 * hl * hl - (2.0 * kLn2 - 1.0) * co * co;
}

double rogers_satchell_term(const OhlcBar& b) {
  const double hc = std::log(b.high / b.close);
  const double ho = std::log(b.high / b.open);
  const double lc = std::log(b.low / b.close);
  const double lo = std::log(b.low / b.open);
  return hc * ho + lc * lo;
}

using BarTerm = double (*)(const OhlcBar&);

core::Result<double> mean_term_volatility(std::span<const OhlcBar> bars, double periods_per_year, BarTerm term,
                                          std::string_view estimator) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(validate_ohlc(bars));
  BALLAST_TRY(check_count(bars.size(), 1, estimator, "bars"));
  double sum = 0.0;
  for (const OhlcBar& b : bars) sum += term(b);
  return annualised_sigma(sum / static_cast<double>(bars.size()), periods_per_year);
}

core::Result<RollingSeries> rolling_mean_term_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                         double periods_per_year, BarTerm term,
                                                         std::string_view estimator) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(validate_ohlc(bars));
  BALLAST_TRY(check_window(window, 1, bars.size(), estimator, "bars"));
  std::vector<double> terms;
  terms.reserve(bars.size());
  for (const OhlcBar& b : bars) terms.push_back(term(b));
  RollingSeries out;
  out.first_index = window - 1;
  out.values.reserve(bars.size() - window + 1);
  RollingSum sum;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    sum.add(terms[i]);
    if (i >= window) sum.remove(terms[i - window]);
    if (i + 1 >= window)
      out.values.push_back(annualised_sigma(sum.sum() / static_cast<double>(window), periods_per_year));
  }
  return out;
}

std::vector<double> close_log_returns(std::span<const OhlcBar> bars) {
  std::vector<double> r;
  if (bars.size() < 2) return r;
  r.reserve(bars.size() - 1);
  for (std::size_t i = 1; i < bars.size(); ++i) r.push_back(std::log(bars[i].close / bars[i - 1].close));
  return r;
}

double yang_zhang_k(std::size_t periods) {
  const auto n = static_cast<double>(periods);
  return 0.34 / (1.34 + (n + 1.0) / (n - 1.0));
}

core::Status check_ewma(const EwmaConfig& config) {
  if (!(config.lambda > 0.0 && config.lambda < 1.0)) {
    return Error(ErrorCode::InvalidArgument, fmt::format("EWMA lambda must be in (0, 1), got {}", config.lambda),
                 "lambda");
  }
  if (config.seed_count < 1) {
    return Error(ErrorCode::InvalidArgument, "EWMA seed_count must be at least 1", "seed_count");
  }
  return core::ok();
}

}  // namespace

core::Status validate_ohlc(std::span<const OhlcBar> bars) {
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const OhlcBar& b = bars[i];
    const bool finite =
        std::isfinite(b.open) && std::isfinite(b.high) && std::isfinite(b.low) && std::isfinite(b.close);
    if (!finite) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bars[{}] has a non-finite price (open {}, high {}, low {}, close {})", i, b.open,
                               b.high, b.low, b.close),
                   "bars");
    }
    if (b.open <= 0.0 || b.high <= 0.0 || b.low <= 0.0 || b.close <= 0.0) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bars[{}] has a non-positive price (open {}, high {}, low {}, close {}); log-range "
                               "estimators need positive prices",
                               i, b.open, b.high, b.low, b.close),
                   "bars");
    }
    if (b.high < std::max({b.open, b.close, b.low}) || b.low > std::min(b.open, b.close)) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("bars[{}] is inconsistent: need low <= open, close <= high (open {}, high {}, low {}, "
                               "close {})",
                               i, b.open, b.high, b.low, b.close),
                   "bars");
    }
  }
  return core::ok();
}

core::Result<std::vector<OhlcBar>> to_ohlc(std::span<const model::Bar> bars) {
  std::vector<OhlcBar> out;
  out.reserve(bars.size());
  for (const model::Bar& b : bars) {
    out.push_back({b.open.as_double(), b.high.as_double(), b.low.as_double(), b.close.as_double()});
  }
  BALLAST_TRY(validate_ohlc(out));
  return out;
}

core::Result<double> close_to_close_volatility(std::span<const double> log_returns, double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(require_finite(log_returns, "log_returns"));
  BALLAST_TRY(check_count(log_returns.size(), 2, "close-to-close volatility", "returns"));
  if (is_constant(log_returns)) return 0.0;  // exact zero, not rounding residue, for a constant drift
  return annualised_sigma(sample_variance(log_returns), periods_per_year);
}

core::Result<RollingSeries> ewma_volatility_series(std::span<const double> log_returns, double periods_per_year,
                                                   const EwmaConfig& config) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_ewma(config));
  BALLAST_TRY(require_finite(log_returns, "log_returns"));
  BALLAST_TRY(check_count(log_returns.size(), config.seed_count, "EWMA volatility (seed_count)", "returns"));
  const std::size_t k = config.seed_count;
  double variance = 0.0;
  for (std::size_t i = 0; i < k; ++i) variance += log_returns[i] * log_returns[i];
  variance /= static_cast<double>(k);
  RollingSeries out;
  out.first_index = k - 1;
  out.values.reserve(log_returns.size() - k + 1);
  out.values.push_back(annualised_sigma(variance, periods_per_year));
  for (std::size_t t = k; t < log_returns.size(); ++t) {
    variance = config.lambda * variance + (1.0 - config.lambda) * log_returns[t] * log_returns[t];
    out.values.push_back(annualised_sigma(variance, periods_per_year));
  }
  return out;
}

core::Result<double> ewma_volatility(std::span<const double> log_returns, double periods_per_year,
                                     const EwmaConfig& config) {
  auto series = ewma_volatility_series(log_returns, periods_per_year, config);
  if (!series) return series.error();
  return series->values.back();
}

core::Result<double> parkinson_volatility(std::span<const OhlcBar> bars, double periods_per_year) {
  return mean_term_volatility(bars, periods_per_year, parkinson_term, "Parkinson volatility");
}

core::Result<double> garman_klass_volatility(std::span<const OhlcBar> bars, double periods_per_year) {
  return mean_term_volatility(bars, periods_per_year, garman_klass_term, "Garman-Klass volatility");
}

core::Result<double> rogers_satchell_volatility(std::span<const OhlcBar> bars, double periods_per_year) {
  return mean_term_volatility(bars, periods_per_year, rogers_satchell_term, "Rogers-Satchell volatility");
}

core::Result<double> yang_zhang_volatility(std::span<const OhlcBar> bars, double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(validate_ohlc(bars));
  BALLAST_TRY(check_count(bars.size(), 3, "Yang-Zhang volatility (2 periods plus the first previous close)", "bars"));
  const std::size_t n = bars.size() - 1;
  std::vector<double> overnight;
  std::vector<double> open_close;
  overnight.reserve(n);
  open_close.reserve(n);
  double rs_sum = 0.0;
  for (std::size_t i = 1; i < bars.size(); ++i) {
    overnight.push_back(std::log(bars[i].open / bars[i - 1].close));
    open_close.push_back(std::log(bars[i].close / bars[i].open));
    rs_sum += rogers_satchell_term(bars[i]);
  }
  const double k = yang_zhang_k(n);
  const double variance =
      sample_variance(overnight) + k * sample_variance(open_close) + (1.0 - k) * rs_sum / static_cast<double>(n);
  return annualised_sigma(variance, periods_per_year);
}

core::Result<double> estimate_volatility(std::span<const OhlcBar> bars, VolatilityEstimator estimator,
                                         double periods_per_year, const EwmaConfig& ewma) {
  switch (estimator) {
    case VolatilityEstimator::CloseToClose:
    case VolatilityEstimator::Ewma: {
      BALLAST_TRY(validate_ohlc(bars));
      const std::vector<double> r = close_log_returns(bars);
      if (estimator == VolatilityEstimator::CloseToClose) return close_to_close_volatility(r, periods_per_year);
      return ewma_volatility(r, periods_per_year, ewma);
    }
    case VolatilityEstimator::Parkinson: return parkinson_volatility(bars, periods_per_year);
    case VolatilityEstimator::GarmanKlass: return garman_klass_volatility(bars, periods_per_year);
    case VolatilityEstimator::RogersSatchell: return rogers_satchell_volatility(bars, periods_per_year);
    case VolatilityEstimator::YangZhang: return yang_zhang_volatility(bars, periods_per_year);
  }
  return Error(ErrorCode::InvalidArgument, "unknown volatility estimator");
}

core::Result<RollingSeries> rolling_close_to_close_volatility(std::span<const double> log_returns, std::size_t window,
                                                              double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(require_finite(log_returns, "log_returns"));
  BALLAST_TRY(check_window(window, 2, log_returns.size(), "rolling close-to-close volatility", "returns"));
  RollingSeries out;
  out.first_index = window - 1;
  out.values.reserve(log_returns.size() - window + 1);
  RollingMoments moments;
  ConstantRunTracker run;
  for (std::size_t i = 0; i < log_returns.size(); ++i) {
    moments.add(log_returns[i]);
    run.add(log_returns[i]);
    if (i >= window) moments.remove(log_returns[i - window]);
    if (i + 1 < window) continue;
    out.values.push_back(
        run.last_window_constant(window) ? 0.0 : annualised_sigma(moments.sample_variance(), periods_per_year));
  }
  return out;
}

core::Result<RollingSeries> rolling_parkinson_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                         double periods_per_year) {
  return rolling_mean_term_volatility(bars, window, periods_per_year, parkinson_term, "rolling Parkinson volatility");
}

core::Result<RollingSeries> rolling_garman_klass_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                            double periods_per_year) {
  return rolling_mean_term_volatility(bars, window, periods_per_year, garman_klass_term,
                                      "rolling Garman-Klass volatility");
}

core::Result<RollingSeries> rolling_rogers_satchell_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                               double periods_per_year) {
  return rolling_mean_term_volatility(bars, window, periods_per_year, rogers_satchell_term,
                                      "rolling Rogers-Satchell volatility");
}

core::Result<RollingSeries> rolling_yang_zhang_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                          double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(validate_ohlc(bars));
  const std::size_t periods = bars.empty() ? 0 : bars.size() - 1;
  BALLAST_TRY(check_window(window, 2, periods, "rolling Yang-Zhang volatility", "periods"));
  const double k = yang_zhang_k(window);
  // Period j (0-based) is bar j + 1 measured against the close of bar j.
  std::vector<double> overnight(periods);
  std::vector<double> open_close(periods);
  std::vector<double> rs(periods);
  for (std::size_t j = 0; j < periods; ++j) {
    const OhlcBar& b = bars[j + 1];
    overnight[j] = std::log(b.open / bars[j].close);
    open_close[j] = std::log(b.close / b.open);
    rs[j] = rogers_satchell_term(b);
  }
  RollingSeries out;
  out.first_index = window;
  out.values.reserve(periods - window + 1);
  RollingMoments on_moments;
  RollingMoments oc_moments;
  RollingSum rs_sum;
  for (std::size_t j = 0; j < periods; ++j) {
    on_moments.add(overnight[j]);
    oc_moments.add(open_close[j]);
    rs_sum.add(rs[j]);
    if (j >= window) {
      on_moments.remove(overnight[j - window]);
      oc_moments.remove(open_close[j - window]);
      rs_sum.remove(rs[j - window]);
    }
    if (j + 1 >= window) {
      const double variance = on_moments.sample_variance() + k * oc_moments.sample_variance() +
                              (1.0 - k) * rs_sum.sum() / static_cast<double>(window);
      out.values.push_back(annualised_sigma(variance, periods_per_year));
    }
  }
  return out;
}

core::Result<RollingSeries> rolling_volatility(std::span<const OhlcBar> bars, VolatilityEstimator estimator,
                                               std::size_t window, double periods_per_year, const EwmaConfig& ewma) {
  switch (estimator) {
    case VolatilityEstimator::CloseToClose:
    case VolatilityEstimator::Ewma: {
      BALLAST_TRY(validate_ohlc(bars));
      const std::vector<double> r = close_log_returns(bars);
      auto series = estimator == VolatilityEstimator::CloseToClose
                        ? rolling_close_to_close_volatility(r, window, periods_per_year)
                        : ewma_volatility_series(r, periods_per_year, ewma);
      if (!series) return series.error();
      // Return i spans bars i and i + 1, so it belongs to bar i + 1.
      series->first_index += 1;
      return series;
    }
    case VolatilityEstimator::Parkinson: return rolling_parkinson_volatility(bars, window, periods_per_year);
    case VolatilityEstimator::GarmanKlass: return rolling_garman_klass_volatility(bars, window, periods_per_year);
    case VolatilityEstimator::RogersSatchell: return rolling_rogers_satchell_volatility(bars, window, periods_per_year);
    case VolatilityEstimator::YangZhang: return rolling_yang_zhang_volatility(bars, window, periods_per_year);
  }
  return Error(ErrorCode::InvalidArgument, "unknown volatility estimator");
}

}  // namespace ballast::analytics
