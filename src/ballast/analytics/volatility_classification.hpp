#pragma once
// Volatility trend (is volatility rising or falling?) and volatility level (how high is it against the
// instrument's own history?). Both are stated rules, documented in docs/analytics/volatility.md.
//
// TREND. Let σ_s² be the sample variance of the last n_s log returns and σ_l² that of the last n_l
// returns (n_s < n_l; the short window is the tail of the long one). Under "volatility is constant"
// and roughly normal returns, a variance estimate from n returns has relative sampling error
// √(2/(n − 1)), and E[ln s²] ≈ ln σ² − 1/(n − 1). The windows are NESTED, so the two estimates are
// correlated (Cov of the short and long means of r² = Var of the long mean), which gives
//     d  = 1/(n_s − 1) − 1/(n_l − 1)
//     se = √(2·d)                      (standard error of ln(σ_s²/σ_l²))
//     T  = ln(σ_s²/σ_l²) + d           (the log variance ratio, centred on its expected value)
// and with z = 1.96 by default (two-sided, nominally 5%):
//     INCREASING  if T >  z·se
//     DECREASING  if T < −z·se
//     STABLE      otherwise (and when both variances are zero).
// Equivalently the ratio σ_s²/σ_l² is compared with the bounds exp(±z·se − d) reported in the result.
// On i.i.d. normal returns with (n_s, n_l) = (20, 100) the rule flags about 5% of windows (measured
// by simulation, tests/analytics/volatility_classification_test.cpp). Real returns have fat tails
// (Var(r²) > 2σ⁴), so expect more flags on a quiet series; raise z to make the rule stricter.
//
// LEVEL. The percentile rank of the current volatility within a history of the same estimator (for
// example the instrument's rolling 20-bar volatility over the last year), using mid-rank for ties:
//     p = 100 · (#{h < current} + ½·#{h = current}) / N
// and the half-open bands (cut-offs configurable):
//     LOW [0, 25)   NORMAL [25, 75)   HIGH [75, 95)   EXTREME [95, 100].

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"

#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>

namespace ballast::analytics {

enum class VolatilityTrend { Increasing, Decreasing, Stable };
enum class VolatilityLevel { Low, Normal, High, Extreme };

namespace detail {
inline constexpr model::detail::EnumNames<VolatilityTrend, 3> kVolatilityTrend{{
    {VolatilityTrend::Increasing, "INCREASING"},
    {VolatilityTrend::Decreasing, "DECREASING"},
    {VolatilityTrend::Stable, "STABLE"},
}};
inline constexpr model::detail::EnumNames<VolatilityLevel, 4> kVolatilityLevel{{
    {VolatilityLevel::Low, "LOW"},
    {VolatilityLevel::Normal, "NORMAL"},
    {VolatilityLevel::High, "HIGH"},
    {VolatilityLevel::Extreme, "EXTREME"},
}};
}  // namespace detail

constexpr std::string_view to_string(VolatilityTrend v) noexcept {
  return model::detail::enum_to_string(detail::kVolatilityTrend, v);
}
constexpr std::string_view to_string(VolatilityLevel v) noexcept {
  return model::detail::enum_to_string(detail::kVolatilityLevel, v);
}
template <class T>
  requires std::is_same_v<T, VolatilityTrend>
core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kVolatilityTrend, text, "VolatilityTrend");
}
template <class T>
  requires std::is_same_v<T, VolatilityLevel>
core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kVolatilityLevel, text, "VolatilityLevel");
}

struct VolatilityTrendConfig {
  std::size_t short_window = 20;  // n_s ≥ 2
  std::size_t long_window = 100;  // n_l > n_s
  double z = 1.96;                // band width in standard errors (> 0)
};

struct VolatilityTrendResult {
  VolatilityTrend trend = VolatilityTrend::Stable;
  double short_volatility = 0.0;  // σ_s, annualised with the periods_per_year passed in
  double long_volatility = 0.0;   // σ_l, annualised likewise
  double variance_ratio = 1.0;    // σ_s²/σ_l² (1 when both are zero; 0 when only the short one is)
  double lower_bound = 1.0;       // exp(−z·se − d): DECREASING below this ratio
  double upper_bound = 1.0;       // exp(+z·se − d): INCREASING above this ratio
};

// Trend of the most recent log returns (the last long_window of them are used). Errors on non-finite
// input, a bad configuration, or fewer than long_window returns.
core::Result<VolatilityTrendResult> volatility_trend(std::span<const double> log_returns,
                                                     const VolatilityTrendConfig& config = {},
                                                     double periods_per_year = 1.0);

struct VolatilityLevelCutoffs {
  double normal_from = 25.0;   // percentile where NORMAL starts (LOW below)
  double high_from = 75.0;     // percentile where HIGH starts
  double extreme_from = 95.0;  // percentile where EXTREME starts
};

struct VolatilityLevelResult {
  VolatilityLevel level = VolatilityLevel::Normal;
  double percentile = 50.0;  // mid-rank percentile of `current` in the history, in [0, 100]
};

// Mid-rank percentile of x in history (see above). Requires a non-empty history.
double percentile_rank(std::span<const double> history, double x);

// Classifies `current` against `history` (which may or may not contain it — the caller decides).
// Errors on an empty or non-finite history, a non-finite current value, or cut-offs that are not
// 0 < normal_from < high_from < extreme_from < 100.
core::Result<VolatilityLevelResult> classify_volatility(std::span<const double> history, double current,
                                                        const VolatilityLevelCutoffs& cutoffs = {});
// Classifies the LAST value of a volatility history against the whole history, itself included.
core::Result<VolatilityLevelResult> classify_latest_volatility(std::span<const double> history,
                                                               const VolatilityLevelCutoffs& cutoffs = {});

}  // namespace ballast::analytics
