#pragma once
// Trend analysis: which way a market is moving (direction) and how directional it is (strength), from
// two independent pieces of evidence (rules and thresholds: docs/analytics/market.md §1).
//
//  - The least-squares line through the LOG closes of the last `regression_window` bars against bar
//    number j = 0..n−1. Its slope b is in log units per bar (≈ a fractional change per bar, so it is
//    comparable across price levels and instruments), with the usual OLS standard error
//        se(b) = √( SSR/(n − 2) / Σ(j − j̄)² ),   Σ(j − j̄)² = n(n² − 1)/12,
//    and t = b / se(b). An exact fit (SSR = 0, e.g. a geometric series) has se = 0: t is then ±kMaxSlopeT
//    (0 when b = 0 too), so the statistic stays finite; |t| is capped at kMaxSlopeT in every case.
//  - Wilder's ADX with +DI/−DI (indicators/trend.hpp: TA-Lib seeding, ADX lookback 2p − 1).
//
// Rules (defaults in TrendConfig; a boundary value belongs to the band above it):
//   strength   ADX < 20 ABSENT (no trend) · [20, 25) WEAK (emerging) · [25, 40) MODERATE (trending)
//              · ≥ 40 STRONG.
//   direction  UP       when t > 2, ADX ≥ 20 and +DI ≥ −DI (the last only if require_di_agreement);
//              DOWN     when t < −2, ADX ≥ 20 and −DI ≥ +DI (likewise);
//              SIDEWAYS otherwise (a flat or insignificant slope, no directional movement, or the two
//                       pieces of evidence disagree).
// Strength is reported whatever the direction: a SIDEWAYS bar with a STRONG ADX says the market moves
// hard but the slope over the window does not confirm one way.
//
// Inputs are double columns (high, low, close) of equal length, finite, closes > 0; errors name the
// first bad index ("close[7] is nan"). model::Bar overloads convert exactly to doubles first.

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/market_data.hpp"

#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ballast::analytics {

enum class TrendDirection { Up, Down, Sideways };
enum class TrendStrength { Absent, Weak, Moderate, Strong };

namespace detail {
inline constexpr model::detail::EnumNames<TrendDirection, 3> kTrendDirection{{
    {TrendDirection::Up, "UP"},
    {TrendDirection::Down, "DOWN"},
    {TrendDirection::Sideways, "SIDEWAYS"},
}};
inline constexpr model::detail::EnumNames<TrendStrength, 4> kTrendStrength{{
    {TrendStrength::Absent, "ABSENT"},
    {TrendStrength::Weak, "WEAK"},
    {TrendStrength::Moderate, "MODERATE"},
    {TrendStrength::Strong, "STRONG"},
}};
}  // namespace detail

constexpr std::string_view to_string(TrendDirection v) noexcept {
  return model::detail::enum_to_string(detail::kTrendDirection, v);
}
constexpr std::string_view to_string(TrendStrength v) noexcept {
  return model::detail::enum_to_string(detail::kTrendStrength, v);
}
template <class T>
requires std::is_same_v<T, TrendDirection> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kTrendDirection, text, "TrendDirection");
}
template <class T>
requires std::is_same_v<T, TrendStrength> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kTrendStrength, text, "TrendStrength");
}

// Cap on |t| of the slope, reached by an exact (or rounding-exact) straight line in log price.
inline constexpr double kMaxSlopeT = 1e6;

struct TrendConfig {
  int regression_window = 20;        // bars in the log-price regression, in [3, 100000]
  int adx_period = 14;               // Wilder period of ADX/+DI/−DI, in [1, 100000]
  double min_abs_t = 2.0;            // |t| must exceed this for a direction (> 0)
  double adx_weak_from = 20.0;       // ADX where WEAK starts (ABSENT below); directions need at least this
  double adx_moderate_from = 25.0;   // ADX where MODERATE starts
  double adx_strong_from = 40.0;     // ADX where STRONG starts
  bool require_di_agreement = true;  // UP needs +DI ≥ −DI, DOWN needs −DI ≥ +DI
};

// Errors unless the periods are in range, min_abs_t is finite and > 0, and
// 0 < adx_weak_from < adx_moderate_from < adx_strong_from ≤ 100.
core::Status validate(const TrendConfig& config);

// Bars needed for one assessment: max(regression_window, 2·adx_period).
std::size_t trend_min_bars(const TrendConfig& config) noexcept;

// The least-squares line through ln(price) against bar number.
struct LogPriceRegression {
  double slope = 0.0;           // b, log units per bar
  double intercept = 0.0;       // fitted ln(price) at the first bar (j = 0)
  double standard_error = 0.0;  // se(b)
  double t_stat = 0.0;          // b / se(b), capped at ±kMaxSlopeT
  double r_squared = 0.0;       // 1 − SSR/SST; 0 for a constant series (SST = 0)
};

// Regression over the whole span (n ≥ 3 prices, finite, > 0).
core::Result<LogPriceRegression> log_price_regression(std::span<const double> prices);

struct TrendClassification {
  TrendDirection direction = TrendDirection::Sideways;
  TrendStrength strength = TrendStrength::Absent;
};

// The rules above applied to one set of evidence. Errors on an invalid config or a non-finite input,
// or an ADX/DI outside [0, 100].
core::Result<TrendClassification> classify_trend(double slope_t, double adx, double plus_di, double minus_di,
                                                 const TrendConfig& config = {});

// The assessment of one bar: the evidence and what the rules make of it.
struct TrendAssessment {
  std::size_t index = 0;  // bar index the assessment is for (the last bar of the regression window)
  TrendDirection direction = TrendDirection::Sideways;
  TrendStrength strength = TrendStrength::Absent;
  LogPriceRegression regression;  // over bars index − regression_window + 1 .. index
  double adx = 0.0;
  double plus_di = 0.0;
  double minus_di = 0.0;
};

// values[k] assesses bar first_index + k; first_index = trend_min_bars(config) − 1.
struct TrendSeries {
  std::size_t first_index = 0;
  std::vector<TrendAssessment> values;
};

// Every bar from the first one with enough history. Errors on an invalid config, misaligned or
// non-finite columns, a close ≤ 0, or fewer than trend_min_bars(config) bars.
core::Result<TrendSeries> trend_series(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, const TrendConfig& config = {});
core::Result<TrendSeries> trend_series(std::span<const model::Bar> bars, const TrendConfig& config = {});

// The latest bar only.
core::Result<TrendAssessment> analyze_trend(std::span<const double> high, std::span<const double> low,
                                            std::span<const double> close, const TrendConfig& config = {});
core::Result<TrendAssessment> analyze_trend(std::span<const model::Bar> bars, const TrendConfig& config = {});

}  // namespace ballast::analytics
