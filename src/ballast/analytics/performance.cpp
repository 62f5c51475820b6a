#include "ballast/analytics/performance.hpp"

#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ballast::analytics {
namespace {

using core::Error;
using core::ErrorCode;

core::Status check_periods_per_year(double periods_per_year) {
  if (!std::isfinite(periods_per_year) || periods_per_year <= 0.0) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("periods_per_year must be finite and positive, got {}", periods_per_year),
                 "periods_per_year");
  }
  return core::ok();
}

core::Status check_parameter(double value, std::string_view name) {
  if (!std::isfinite(value)) {
    return Error(ErrorCode::InvalidArgument, fmt::format("{} must be finite, got {}", name, value), std::string(name));
  }
  return core::ok();
}

// Finite and non-empty.
core::Status check_returns(std::span<const double> returns) {
  if (returns.empty()) return Error(ErrorCode::InvalidArgument, "the return series is empty", "returns");
  return require_finite(returns, "returns");
}

// Finite, non-empty, and all above −100%: they are compounded, and a −100% return ruins the curve
// (nothing after it has a return). Metrics of a ruined strategy stop at the period before ruin.
core::Status check_compoundable(std::span<const double> returns) {
  BALLAST_TRY(check_returns(returns));
  for (std::size_t i = 0; i < returns.size(); ++i) {
    if (returns[i] <= -1.0) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("returns[{}] is {}; a return at or below -100% wipes out the equity", i, returns[i]),
                   "returns");
    }
  }
  return core::ok();
}

double growth_factor(std::span<const double> returns) {
  double g = 1.0;
  for (double r : returns) g *= 1.0 + r;
  return g;
}

// (growth)^(1/years) − 1 as a Statistic (a huge growth over a short time can overflow).
Statistic annualise_growth(double growth, double years) {
  return Statistic::of_finite(std::pow(growth, 1.0 / years) - 1.0);
}

Statistic ratio_or(double numerator, double denominator, UndefinedReason reason) {
  if (denominator == 0.0) return Statistic::undefined(reason);
  return Statistic::of_finite(numerator / denominator);
}

std::vector<double> simple_returns_of(std::span<const double> equity) {
  std::vector<double> r;
  r.reserve(equity.size() - 1);
  for (std::size_t i = 1; i < equity.size(); ++i) r.push_back(equity[i] / equity[i - 1] - 1.0);
  return r;
}

core::Result<PeriodExtreme> extreme_period(std::span<const double> returns, bool best) {
  BALLAST_TRY(check_returns(returns));
  PeriodExtreme out{returns[0], 0, std::nullopt};
  for (std::size_t i = 1; i < returns.size(); ++i) {
    if (best ? returns[i] > out.value : returns[i] < out.value) out = {returns[i], i, std::nullopt};
  }
  return out;
}

// Fills everything that depends only on the return series.
core::Status fill_return_metrics(std::span<const double> r, const PerformanceConfig& config, PerformanceSummary& s) {
  s.periods = r.size();
  s.total_return = growth_factor(r) - 1.0;
  auto vol = annual_volatility(r, config.periods_per_year);
  if (!vol) return vol.error();
  s.annual_volatility = *vol;
  auto sharpe = sharpe_ratio(r, config.periods_per_year, config.risk_free_per_period);
  if (!sharpe) return sharpe.error();
  s.sharpe_ratio = *sharpe;
  auto sortino = sortino_ratio(r, config.periods_per_year, config.minimum_acceptable_return);
  if (!sortino) return sortino.error();
  s.sortino_ratio = *sortino;
  auto dd = downside_deviation(r, config.periods_per_year, config.minimum_acceptable_return);
  if (!dd) return dd.error();
  s.downside_deviation = *dd;
  auto omega = omega_ratio(r, config.omega_threshold);
  if (!omega) return omega.error();
  s.omega_ratio = *omega;
  auto tail = tail_ratio(r);
  if (!tail) return tail.error();
  s.tail_ratio = *tail;
  s.skewness = skewness(r, config.moments);
  s.excess_kurtosis = excess_kurtosis(r, config.moments);
  s.best_period = *best_period(r);
  s.worst_period = *worst_period(r);
  return core::ok();
}

}  // namespace

core::Result<double> total_return(std::span<const double> returns) {
  BALLAST_TRY(check_compoundable(returns));
  return growth_factor(returns) - 1.0;
}

core::Result<Statistic> annual_return(std::span<const double> returns, double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_compoundable(returns));
  const double years = static_cast<double>(returns.size()) / periods_per_year;
  return annualise_growth(growth_factor(returns), years);
}

core::Result<Statistic> calendar_cagr(std::span<const core::UnixNanos> timestamps, std::span<const double> equity) {
  BALLAST_TRY(validate_equity(equity));
  BALLAST_TRY(validate_timestamps(timestamps, equity.size()));
  if (equity.empty()) return Error(ErrorCode::InvalidArgument, "CAGR of an empty equity curve", "equity");
  if (equity.size() < 2) return Statistic::undefined(UndefinedReason::ZeroElapsedTime);
  const double days =
      static_cast<double>((timestamps.back() - timestamps.front()).count()) / static_cast<double>(core::kNanosPerDay);
  return annualise_growth(equity.back() / equity.front(), days / kDaysPerCalendarYear);
}

core::Result<Statistic> annual_volatility(std::span<const double> returns, double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_returns(returns));
  if (returns.size() < 2) return Statistic::undefined(UndefinedReason::TooFewObservations);
  if (is_constant(returns)) return Statistic::of(0.0);
  return Statistic::of_finite(sample_stdev(returns) * std::sqrt(periods_per_year));
}

core::Result<Statistic> sharpe_ratio(std::span<const double> returns, double periods_per_year,
                                     double risk_free_per_period) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_parameter(risk_free_per_period, "risk_free_per_period"));
  BALLAST_TRY(check_returns(returns));
  if (returns.size() < 2) return Statistic::undefined(UndefinedReason::TooFewObservations);
  if (is_constant(returns)) return Statistic::undefined(UndefinedReason::ZeroVolatility);
  std::vector<double> excess(returns.begin(), returns.end());
  for (double& x : excess) x -= risk_free_per_period;
  return Statistic::of_finite(sample_mean(excess) / sample_stdev(excess) * std::sqrt(periods_per_year));
}

core::Result<double> downside_deviation(std::span<const double> returns, double periods_per_year,
                                        double minimum_acceptable_return) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_parameter(minimum_acceptable_return, "minimum_acceptable_return"));
  BALLAST_TRY(check_returns(returns));
  double sum_sq = 0.0;
  for (double r : returns) {
    const double shortfall = std::min(r - minimum_acceptable_return, 0.0);
    sum_sq += shortfall * shortfall;
  }
  return std::sqrt(sum_sq / static_cast<double>(returns.size())) * std::sqrt(periods_per_year);
}

core::Result<Statistic> sortino_ratio(std::span<const double> returns, double periods_per_year,
                                      double minimum_acceptable_return) {
  auto downside = downside_deviation(returns, periods_per_year, minimum_acceptable_return);
  if (!downside) return downside.error();
  if (returns.size() < 2) return Statistic::undefined(UndefinedReason::TooFewObservations);
  double mean_excess = 0.0;
  for (double r : returns) mean_excess += r - minimum_acceptable_return;
  mean_excess /= static_cast<double>(returns.size());
  return ratio_or(mean_excess * periods_per_year, *downside, UndefinedReason::ZeroDownsideDeviation);
}

core::Result<Statistic> calmar_ratio(std::span<const double> returns, double periods_per_year) {
  auto annual = annual_return(returns, periods_per_year);
  if (!annual) return annual.error();
  auto curve = equity_from_returns(returns);
  if (!curve) return curve.error();
  auto mdd = max_drawdown(*curve);
  if (!mdd) return mdd.error();
  if (mdd->depth == 0.0) return Statistic::undefined(UndefinedReason::NoDrawdown);
  if (!annual->is_defined()) return *annual;
  return Statistic::of_finite(annual->value() / std::abs(mdd->depth));
}

core::Result<Statistic> omega_ratio(std::span<const double> returns, double threshold_per_period) {
  BALLAST_TRY(check_parameter(threshold_per_period, "threshold_per_period"));
  BALLAST_TRY(check_returns(returns));
  if (returns.size() < 2) return Statistic::undefined(UndefinedReason::TooFewObservations);
  double gains = 0.0;
  double losses = 0.0;
  for (double r : returns) {
    const double d = r - threshold_per_period;
    if (d > 0.0) gains += d;
    if (d < 0.0) losses -= d;
  }
  return ratio_or(gains, losses, UndefinedReason::NoLosses);
}

core::Result<Statistic> tail_ratio(std::span<const double> returns) {
  BALLAST_TRY(check_returns(returns));
  const double right = std::abs(linear_percentile(returns, 95.0));
  const double left = std::abs(linear_percentile(returns, 5.0));
  return ratio_or(right, left, UndefinedReason::ZeroDenominator);
}

core::Result<PeriodExtreme> best_period(std::span<const double> returns) {
  return extreme_period(returns, true);
}

core::Result<PeriodExtreme> worst_period(std::span<const double> returns) {
  return extreme_period(returns, false);
}

core::Result<RollingSeries> rolling_annual_volatility(std::span<const double> returns, std::size_t window,
                                                      double periods_per_year) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_returns(returns));
  if (window < 2 || window > returns.size()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("rolling volatility needs 2 <= window <= {} returns, got {}", returns.size(), window),
                 "window");
  }
  RollingSeries out;
  out.first_index = window - 1;
  out.values.reserve(returns.size() - window + 1);
  RollingMoments moments;
  ConstantRunTracker run;
  const double scale = std::sqrt(periods_per_year);
  for (std::size_t i = 0; i < returns.size(); ++i) {
    moments.add(returns[i]);
    run.add(returns[i]);
    if (i >= window) moments.remove(returns[i - window]);
    if (i + 1 < window) continue;
    out.values.push_back(run.last_window_constant(window) ? 0.0 : std::sqrt(moments.sample_variance()) * scale);
  }
  return out;
}

core::Result<RollingStatistics> rolling_sharpe_ratio(std::span<const double> returns, std::size_t window,
                                                     double periods_per_year, double risk_free_per_period) {
  BALLAST_TRY(check_periods_per_year(periods_per_year));
  BALLAST_TRY(check_parameter(risk_free_per_period, "risk_free_per_period"));
  BALLAST_TRY(check_returns(returns));
  if (window < 2 || window > returns.size()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("rolling Sharpe needs 2 <= window <= {} returns, got {}", returns.size(), window),
                 "window");
  }
  RollingStatistics out;
  out.first_index = window - 1;
  out.values.reserve(returns.size() - window + 1);
  RollingMoments moments;
  ConstantRunTracker run;
  const double scale = std::sqrt(periods_per_year);
  for (std::size_t i = 0; i < returns.size(); ++i) {
    moments.add(returns[i]);
    run.add(returns[i]);
    if (i >= window) moments.remove(returns[i - window]);
    if (i + 1 < window) continue;
    const double sd = std::sqrt(moments.sample_variance());
    if (run.last_window_constant(window) || sd == 0.0) {
      out.values.push_back(Statistic::undefined(UndefinedReason::ZeroVolatility));
    } else {
      out.values.push_back(Statistic::of_finite((moments.mean() - risk_free_per_period) / sd * scale));
    }
  }
  return out;
}

core::Result<PerformanceSummary> summarize_returns(std::span<const double> returns, const PerformanceConfig& config) {
  BALLAST_TRY(check_periods_per_year(config.periods_per_year));
  BALLAST_TRY(check_compoundable(returns));
  PerformanceSummary s;
  BALLAST_TRY(fill_return_metrics(returns, config, s));
  s.cagr = *annual_return(returns, config.periods_per_year);
  s.calmar_ratio = *calmar_ratio(returns, config.periods_per_year);
  const std::vector<double> curve = *equity_from_returns(returns);
  s.max_drawdown = *max_drawdown(curve);
  s.ulcer_index = *ulcer_index(curve);
  return s;
}

core::Result<PerformanceSummary> summarize_equity_curve(std::span<const core::UnixNanos> timestamps,
                                                        std::span<const double> equity,
                                                        const PerformanceConfig& config) {
  BALLAST_TRY(check_periods_per_year(config.periods_per_year));
  BALLAST_TRY(validate_equity(equity));
  BALLAST_TRY(validate_timestamps(timestamps, equity.size()));
  if (equity.size() < 2) {
    return Error(
        ErrorCode::InvalidArgument,
        fmt::format("a performance summary needs at least 2 equity points (one return), got {}", equity.size()),
        "equity");
  }
  const std::vector<double> r = simple_returns_of(equity);
  PerformanceSummary s;
  BALLAST_TRY(fill_return_metrics(r, config, s));
  s.best_period.end_time = timestamps[s.best_period.index + 1];
  s.worst_period.end_time = timestamps[s.worst_period.index + 1];
  s.cagr = *calendar_cagr(timestamps, equity);
  s.max_drawdown = *max_drawdown(equity);
  s.ulcer_index = *ulcer_index(equity);
  if (s.max_drawdown.depth < 0.0) {
    s.max_drawdown_dates = *drawdown_dates(s.max_drawdown, timestamps);
    s.calmar_ratio =
        s.cagr.is_defined() ? Statistic::of_finite(s.cagr.value() / std::abs(s.max_drawdown.depth)) : s.cagr;
  } else {
    s.calmar_ratio = Statistic::undefined(UndefinedReason::NoDrawdown);
  }
  return s;
}

}  // namespace ballast::analytics
