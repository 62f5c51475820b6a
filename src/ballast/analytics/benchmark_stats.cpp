#include "ballast/analytics/benchmark_stats.hpp"

#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/sample_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ballast::analytics {
namespace {

using core::Error;
using core::ErrorCode;

core::Status check_series(std::span<const double> x, std::string_view name) {
  BALLAST_TRY(require_finite(x, name));
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] <= -1.0) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("{}[{}] is {}; a return at or below -100% wipes out the equity", name, i, x[i]),
                   std::string(name));
    }
  }
  return core::ok();
}

// empyrical's annual_return over the selected periods: (Π(1 + x))^(N/m) − 1.
double annualised_subset_return(const std::vector<double>& x, double periods_per_year) {
  double growth = 1.0;
  for (double v : x) growth *= 1.0 + v;
  return std::pow(growth, periods_per_year / static_cast<double>(x.size())) - 1.0;
}

// up = true: periods with b > 0; otherwise periods with b < 0.
Statistic capture(std::span<const double> r, std::span<const double> b, double periods_per_year, bool up) {
  std::vector<double> rs;
  std::vector<double> bs;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (up ? b[i] > 0.0 : b[i] < 0.0) {
      rs.push_back(r[i]);
      bs.push_back(b[i]);
    }
  }
  if (bs.empty()) return Statistic::undefined(UndefinedReason::NoQualifyingPeriods);
  const double strategy = annualised_subset_return(rs, periods_per_year);
  const double bench = annualised_subset_return(bs, periods_per_year);
  if (!std::isfinite(strategy) || !std::isfinite(bench)) return Statistic::undefined(UndefinedReason::NotRepresentable);
  if (bench == 0.0) return Statistic::undefined(UndefinedReason::ZeroDenominator);
  return Statistic::of_finite(strategy / bench);
}

}  // namespace

core::Result<BenchmarkComparison> compare_with_benchmark(std::span<const double> returns,
                                                         std::span<const double> benchmark,
                                                         const BenchmarkConfig& config) {
  if (!std::isfinite(config.periods_per_year) || config.periods_per_year <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("periods_per_year must be finite and positive, got {}", config.periods_per_year),
                 "periods_per_year");
  }
  if (!std::isfinite(config.risk_free_per_period)) {
    return Error(ErrorCode::InvalidArgument, "risk_free_per_period must be finite", "risk_free_per_period");
  }
  if (returns.size() != benchmark.size()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} strategy returns against {} benchmark returns; align them period by period first",
                             returns.size(), benchmark.size()),
                 "benchmark");
  }
  if (returns.empty()) return Error(ErrorCode::InvalidArgument, "the return series are empty", "returns");
  BALLAST_TRY(check_series(returns, "returns"));
  BALLAST_TRY(check_series(benchmark, "benchmark"));

  const double n_year = config.periods_per_year;
  const double rf = config.risk_free_per_period;
  BenchmarkComparison out;
  out.up_capture = capture(returns, benchmark, n_year, true);
  out.down_capture = capture(returns, benchmark, n_year, false);
  if (returns.size() < 2) {
    const Statistic few = Statistic::undefined(UndefinedReason::TooFewObservations);
    out.alpha = out.beta = out.correlation = out.tracking_error = few;
    out.information_ratio = out.information_ratio_per_period = few;
    return out;
  }

  const auto n = static_cast<double>(returns.size());
  const double mean_r = sample_mean(returns);
  const double mean_b = sample_mean(benchmark);
  double cov = 0.0;
  double var_r = 0.0;
  double var_b = 0.0;
  for (std::size_t i = 0; i < returns.size(); ++i) {
    const double dr = returns[i] - mean_r;
    const double db = benchmark[i] - mean_b;
    cov += dr * db;
    var_r += dr * dr;
    var_b += db * db;
  }
  // The risk-free shift is a constant, so it changes neither covariance nor variance.
  const bool bench_constant = is_constant(benchmark);
  const bool strategy_constant = is_constant(returns);
  if (bench_constant) {
    out.beta = Statistic::undefined(UndefinedReason::ZeroVariance);
    out.alpha = out.beta;
  } else {
    const double beta = cov / var_b;
    out.beta = Statistic::of_finite(beta);
    double alpha_sum = 0.0;
    for (std::size_t i = 0; i < returns.size(); ++i) alpha_sum += (returns[i] - rf) - beta * (benchmark[i] - rf);
    out.alpha = Statistic::of_finite(std::pow(1.0 + alpha_sum / n, n_year) - 1.0);
  }
  if (bench_constant || strategy_constant) {
    out.correlation = Statistic::undefined(UndefinedReason::ZeroVariance);
  } else {
    out.correlation = Statistic::of_finite(std::clamp(cov / std::sqrt(var_r * var_b), -1.0, 1.0));
  }

  std::vector<double> active(returns.size());
  for (std::size_t i = 0; i < returns.size(); ++i) active[i] = returns[i] - benchmark[i];
  if (is_constant(active)) {
    // The strategy is the benchmark plus a constant: no active risk at all.
    out.tracking_error = Statistic::of(0.0);
    out.information_ratio = Statistic::undefined(UndefinedReason::ZeroTrackingError);
    out.information_ratio_per_period = out.information_ratio;
    return out;
  }
  const double active_sd = sample_stdev(active);
  const double per_period = sample_mean(active) / active_sd;
  out.tracking_error = Statistic::of_finite(active_sd * std::sqrt(n_year));
  out.information_ratio_per_period = Statistic::of_finite(per_period);
  out.information_ratio = Statistic::of_finite(per_period * std::sqrt(n_year));
  return out;
}

}  // namespace ballast::analytics
