#pragma once
// Performance metrics of a strategy from its SIMPLE return series or its equity curve, following
// empyrical's (and quantstats') conventions where they define one. Formulas, annualisation and
// signs: docs/analytics/metrics.md. In short, with r_t the per-period simple returns (n of them),
// N = periods per year, rf the risk-free return per period:
//
//   total return        Π(1 + r_t) − 1
//   annual return       (Π(1 + r_t))^(N/n) − 1            empyrical annual_return / cagr (period count)
//   CAGR (calendar)     (E_last / E_first)^(1/years) − 1,  years = elapsed days / 365.25
//   annual volatility   stdev(r, n − 1)·√N                 empyrical annual_volatility
//   Sharpe              mean(r − rf) / stdev(r − rf, n − 1)·√N
//   downside deviation  √(mean over ALL periods of min(r − MAR, 0)²)·√N
//   Sortino             mean(r − MAR)·N / downside deviation
//   Calmar              annual return (or calendar CAGR) / |max drawdown|
//   Omega(τ)            Σ max(r − τ, 0) / Σ max(τ − r, 0)   (τ per period)
//   tail ratio          |P95(r)| / |P5(r)|, numpy linear percentiles
//   skew, kurtosis      bias-corrected by default (pandas Series.skew / Series.kurt); excess kurtosis
//
// Errors (core::Error): an empty series, a non-finite value (the message names its index), a return
// at or below −100% where returns are compounded, mismatched lengths. A metric that is mathematically
// undefined on valid input — Sharpe of a constant series, Sortino with no period below the MAR, a
// ratio of one observation — is a Statistic with an UndefinedReason, never NaN or infinity.

#include "ballast/analytics/drawdown.hpp"
#include "ballast/analytics/sample_stats.hpp"
#include "ballast/analytics/statistic.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <optional>
#include <span>

namespace ballast::analytics {

// Days in the calendar year used to turn elapsed time into years for the calendar CAGR.
inline constexpr double kDaysPerCalendarYear = 365.25;

struct PerformanceConfig {
  double periods_per_year = 252.0;         // N; from periods_per_year(interval, calendar)
  double risk_free_per_period = 0.0;       // rf for Sharpe (already de-annualised)
  double minimum_acceptable_return = 0.0;  // MAR per period for Sortino / downside deviation
  double omega_threshold = 0.0;            // τ per period for Omega
  MomentEstimator moments = MomentEstimator::BiasCorrected;
};

// The best or worst single period: its return and index in the return series.
struct PeriodExtreme {
  double value = 0.0;
  std::size_t index = 0;
  std::optional<core::UnixNanos> end_time;  // the timestamp that closes the period (equity-curve input)
};

struct PerformanceSummary {
  std::size_t periods = 0;  // number of returns
  double total_return = 0.0;
  // Calendar CAGR for an equity curve with timestamps; period-count annual return for a bare series.
  Statistic cagr;
  Statistic annual_volatility;
  Statistic sharpe_ratio;
  Statistic sortino_ratio;
  Statistic calmar_ratio;
  Statistic omega_ratio;
  double downside_deviation = 0.0;  // annualised
  // Indices into the equity curve; for a bare series, the curve compounded from 1 (index 0 = start).
  MaxDrawdown max_drawdown;
  std::optional<DrawdownDates> max_drawdown_dates;  // equity-curve input only
  double ulcer_index = 0.0;
  Statistic tail_ratio;
  Statistic skewness;
  Statistic excess_kurtosis;
  PeriodExtreme best_period;
  PeriodExtreme worst_period;
};

// ---- Single metrics on a return series ------------------------------------------------------------

core::Result<double> total_return(std::span<const double> returns);
// empyrical annual_return: years = n / N.
core::Result<Statistic> annual_return(std::span<const double> returns, double periods_per_year);
// Calendar-time CAGR of an equity curve: years = (t_last − t_first) / 365.25 days.
// Undefined (ZeroElapsedTime) for a single point.
core::Result<Statistic> calendar_cagr(std::span<const core::UnixNanos> timestamps, std::span<const double> equity);
core::Result<Statistic> annual_volatility(std::span<const double> returns, double periods_per_year);
core::Result<Statistic> sharpe_ratio(std::span<const double> returns, double periods_per_year,
                                     double risk_free_per_period = 0.0);
core::Result<double> downside_deviation(std::span<const double> returns, double periods_per_year,
                                        double minimum_acceptable_return = 0.0);
core::Result<Statistic> sortino_ratio(std::span<const double> returns, double periods_per_year,
                                      double minimum_acceptable_return = 0.0);
// Period-count annual return / |max drawdown of the compounded curve|.
core::Result<Statistic> calmar_ratio(std::span<const double> returns, double periods_per_year);
core::Result<Statistic> omega_ratio(std::span<const double> returns, double threshold_per_period = 0.0);
core::Result<Statistic> tail_ratio(std::span<const double> returns);
core::Result<PeriodExtreme> best_period(std::span<const double> returns);
core::Result<PeriodExtreme> worst_period(std::span<const double> returns);

// ---- Rolling ----------------------------------------------------------------------------------------

// Annualised volatility of each window of `window` returns (≥ 2); first_index = window − 1.
// A constant window gives exactly 0.
core::Result<RollingSeries> rolling_annual_volatility(std::span<const double> returns, std::size_t window,
                                                      double periods_per_year);
// Sharpe ratio of each window of `window` returns (≥ 2); first_index = window − 1. A constant window
// is undefined (ZeroVolatility).
core::Result<RollingStatistics> rolling_sharpe_ratio(std::span<const double> returns, std::size_t window,
                                                     double periods_per_year, double risk_free_per_period = 0.0);

// ---- Summaries ----------------------------------------------------------------------------------------

// Every metric above for a bare return series (at least one return).
core::Result<PerformanceSummary> summarize_returns(std::span<const double> returns, const PerformanceConfig& config);
// Every metric for an equity curve with timestamps (at least two points): returns are
// E_t / E_{t−1} − 1, CAGR and Calmar use calendar time, and the drawdown carries dates.
core::Result<PerformanceSummary> summarize_equity_curve(std::span<const core::UnixNanos> timestamps,
                                                        std::span<const double> equity,
                                                        const PerformanceConfig& config);

}  // namespace ballast::analytics
