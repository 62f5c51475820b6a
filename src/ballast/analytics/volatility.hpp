#pragma once
// Historical volatility estimators, full-sample and rolling (docs/analytics/volatility.md).
//
// Every estimate is a standard deviation of LOG returns, annualised as σ_per_period × √N with
// N = periods_per_year (from analytics::periods_per_year: crypto 365 days a year, equities 252
// sessions; pass N = 1 for a per-period figure). Let o, h, l, c be the natural logs of a bar's
// open, high, low and close, and c₋₁ the previous bar's close. Per-period variance estimators:
//
//   close-to-close   s² = Σ (r_i − r̄)² / (n − 1),  r_i = c_i − c_{i−1}     (n returns, n ≥ 2)
//   EWMA             v_t = λ·v_{t−1} + (1 − λ)·r_t²  (RiskMetrics, zero mean), seeded with
//                    v_{k−1} = (r_0² + … + r_{k−1}²)/k for EwmaConfig::seed_count = k (default 1:
//                    the first squared return)
//   Parkinson        Σ (h − l)² / (4·n·ln 2)                                  (n bars, n ≥ 1)
//   Garman–Klass     Σ [½(h − l)² − (2 ln 2 − 1)(c − o)²] / n                 (n bars, n ≥ 1;
//                    the classic form without an overnight term)
//   Rogers–Satchell  Σ [(h − c)(h − o) + (l − c)(l − o)] / n                  (n bars, n ≥ 1)
//   Yang–Zhang       σ_o² + k·σ_c² + (1 − k)·σ_rs²,  k = 0.34 / (1.34 + (n + 1)/(n − 1)),
//                    σ_o² = sample variance (n − 1) of overnight returns o_i − c_{i−1},
//                    σ_c² = sample variance (n − 1) of open-to-close returns c_i − o_i,
//                    σ_rs² = Rogers–Satchell over the same n bars               (n periods, n ≥ 2)
//
// Close-to-close and Yang–Zhang need the previous close, so n bars give n − 1 periods; Parkinson,
// Garman–Klass and Rogers–Satchell use each bar on its own. A rolling `window` counts PERIODS (terms
// of the sum). Rolling series are aligned to their input: RollingSeries::values[k] is the estimate
// for the window ending at input index first_index + k — a return index for the *_returns functions,
// a bar index for the OHLC ones. Every rolling function costs O(n) (running sums).

#include "ballast/analytics/sample_stats.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/market_data.hpp"

#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ballast::analytics {

// One bar's prices as doubles (analytics is the only place double prices live; DESIGN.md §1.3).
struct OhlcBar {
  double open = 0.0;
  double high = 0.0;
  double low = 0.0;
  double close = 0.0;
};

// Checks every bar is finite, positive and consistent (low ≤ open, close ≤ high); the error names
// the first bad index.
core::Status validate_ohlc(std::span<const OhlcBar> bars);
// Converts model bars to doubles and validates them.
core::Result<std::vector<OhlcBar>> to_ohlc(std::span<const model::Bar> bars);

enum class VolatilityEstimator { CloseToClose, Ewma, Parkinson, GarmanKlass, RogersSatchell, YangZhang };

namespace detail {
inline constexpr model::detail::EnumNames<VolatilityEstimator, 6> kVolatilityEstimator{{
    {VolatilityEstimator::CloseToClose, "CLOSE_TO_CLOSE"},
    {VolatilityEstimator::Ewma, "EWMA"},
    {VolatilityEstimator::Parkinson, "PARKINSON"},
    {VolatilityEstimator::GarmanKlass, "GARMAN_KLASS"},
    {VolatilityEstimator::RogersSatchell, "ROGERS_SATCHELL"},
    {VolatilityEstimator::YangZhang, "YANG_ZHANG"},
}};
}  // namespace detail

constexpr std::string_view to_string(VolatilityEstimator v) noexcept {
  return model::detail::enum_to_string(detail::kVolatilityEstimator, v);
}
template <class T>
  requires std::is_same_v<T, VolatilityEstimator>
core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kVolatilityEstimator, text, "VolatilityEstimator");
}

struct EwmaConfig {
  double lambda = 0.94;        // RiskMetrics daily decay; must be in (0, 1)
  std::size_t seed_count = 1;  // k: the seed is the mean of the first k squared returns (k ≥ 1)
};

// ---- Full-sample estimates from log returns -----------------------------------------------------

core::Result<double> close_to_close_volatility(std::span<const double> log_returns, double periods_per_year);
// The latest EWMA estimate v_{n−1}, i.e. the forecast for the next period.
core::Result<double> ewma_volatility(std::span<const double> log_returns, double periods_per_year,
                                     const EwmaConfig& config = {});

// ---- Full-sample estimates from bars --------------------------------------------------------------

core::Result<double> parkinson_volatility(std::span<const OhlcBar> bars, double periods_per_year);
core::Result<double> garman_klass_volatility(std::span<const OhlcBar> bars, double periods_per_year);
core::Result<double> rogers_satchell_volatility(std::span<const OhlcBar> bars, double periods_per_year);
core::Result<double> yang_zhang_volatility(std::span<const OhlcBar> bars, double periods_per_year);

// Any estimator from bars (close-to-close and EWMA use the log returns of the closes).
core::Result<double> estimate_volatility(std::span<const OhlcBar> bars, VolatilityEstimator estimator,
                                         double periods_per_year, const EwmaConfig& ewma = {});

// ---- Rolling series -------------------------------------------------------------------------------

// Window of `window` returns (≥ 2); first_index = window − 1 (a return index).
core::Result<RollingSeries> rolling_close_to_close_volatility(std::span<const double> log_returns, std::size_t window,
                                                              double periods_per_year);
// The whole EWMA path; first_index = seed_count − 1 (a return index).
core::Result<RollingSeries> ewma_volatility_series(std::span<const double> log_returns, double periods_per_year,
                                                   const EwmaConfig& config = {});
// Window of `window` bars (≥ 1); first_index = window − 1 (a bar index).
core::Result<RollingSeries> rolling_parkinson_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                         double periods_per_year);
core::Result<RollingSeries> rolling_garman_klass_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                            double periods_per_year);
core::Result<RollingSeries> rolling_rogers_satchell_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                               double periods_per_year);
// Window of `window` periods (≥ 2), each needing the previous close; first_index = window (a bar index).
core::Result<RollingSeries> rolling_yang_zhang_volatility(std::span<const OhlcBar> bars, std::size_t window,
                                                          double periods_per_year);

// Any estimator from bars, indexed by BAR: close-to-close windows of `window` returns end at bar
// first_index = window; EWMA ignores `window` and starts at bar seed_count.
core::Result<RollingSeries> rolling_volatility(std::span<const OhlcBar> bars, VolatilityEstimator estimator,
                                               std::size_t window, double periods_per_year,
                                               const EwmaConfig& ewma = {});

}  // namespace ballast::analytics
