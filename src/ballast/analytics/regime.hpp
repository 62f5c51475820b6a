#pragma once
// Market regime: what kind of market a bar belongs to, by two methods (docs/analytics/market.md §2).
//
// 1. RULES (detect_regimes / latest_regime). Regime = trend regime × volatility regime:
//      trend       TRENDING_UP / TRENDING_DOWN when the trend rules of trend.hpp give UP / DOWN at the
//                  bar, RANGING when they give SIDEWAYS;
//      volatility  σ_t = close-to-close volatility of the last `volatility_window` log returns ending at
//                  the bar (volatility.hpp, per bar, not annualised — the rule is scale-free). HIGH_VOL
//                  when σ_t > high_volatility_ratio × median(σ over the last `median_window` bars, the
//                  current one included) × (1 + 1e-9), LOW_VOL otherwise (so a constant σ, or σ = 0, is
//                  LOW_VOL; the 1e-9 keeps rounding noise of a flat σ from flipping the regime). A σ at
//                  or below 1e-7 × the RMS of its window's returns is rounding residue (a steady trend's
//                  σ computes to ~1e-16, not 0) and is taken as exactly 0.
//    Also reported: the percentile rank and VolatilityLevel of σ_t within the same window
//    (volatility_classification.hpp).
//
// 2. STATISTICS (fit_gaussian_hmm). A hidden Markov model with K ∈ {2, 3} states on a return series
//    (usually log returns), each state emitting N(μ_k, σ_k²), fitted by Baum–Welch (EM):
//      - deterministic initialisation: observations ranked by |r − mean|, split into K equal-count groups
//        (calmest first); each group's mean and variance seed a state; transitions start at
//        `initial_stay_probability` on the diagonal and the rest shared equally; π uniform;
//      - scaled forward–backward (Rabiner 1989): α normalised to sum 1 at each step, the log-likelihood
//        is Σ ln c_t; emission densities are divided by their per-step maximum before use, so an
//        outlier far in every state's tail cannot underflow every density to 0;
//      - M-step: π = γ₀, A_ij = Σ ξ_t(i,j) / Σ_j Σ ξ_t(i,j), μ and σ² the γ-weighted mean and variance;
//        σ² is floored at min_variance_ratio × the sample variance of the series, and every π and A entry
//        at kHmmProbabilityFloor (renormalised), so no state collapses onto one point and no path becomes
//        impossible;
//      - stops when the log-likelihood improves by less than `tolerance` or after max_iterations;
//      - states are then ordered by variance, ascending (ties by mean), so state 0 is always the calmest
//        and labels are stable across runs and inputs;
//      - decoding: the Viterbi path (most likely state sequence, log domain) and the posteriors γ_t(k).

#include "ballast/analytics/trend.hpp"
#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/market_data.hpp"

#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ballast::analytics {

enum class TrendRegime { TrendingUp, TrendingDown, Ranging };
enum class VolatilityRegime { LowVol, HighVol };
enum class MarketRegime {
  TrendingUpLowVol,
  TrendingUpHighVol,
  TrendingDownLowVol,
  TrendingDownHighVol,
  RangingLowVol,
  RangingHighVol,
};

namespace detail {
inline constexpr model::detail::EnumNames<TrendRegime, 3> kTrendRegime{{
    {TrendRegime::TrendingUp, "TRENDING_UP"},
    {TrendRegime::TrendingDown, "TRENDING_DOWN"},
    {TrendRegime::Ranging, "RANGING"},
}};
inline constexpr model::detail::EnumNames<VolatilityRegime, 2> kVolatilityRegime{{
    {VolatilityRegime::LowVol, "LOW_VOL"},
    {VolatilityRegime::HighVol, "HIGH_VOL"},
}};
inline constexpr model::detail::EnumNames<MarketRegime, 6> kMarketRegime{{
    {MarketRegime::TrendingUpLowVol, "TRENDING_UP_LOW_VOL"},
    {MarketRegime::TrendingUpHighVol, "TRENDING_UP_HIGH_VOL"},
    {MarketRegime::TrendingDownLowVol, "TRENDING_DOWN_LOW_VOL"},
    {MarketRegime::TrendingDownHighVol, "TRENDING_DOWN_HIGH_VOL"},
    {MarketRegime::RangingLowVol, "RANGING_LOW_VOL"},
    {MarketRegime::RangingHighVol, "RANGING_HIGH_VOL"},
}};
}  // namespace detail

constexpr std::string_view to_string(TrendRegime v) noexcept {
  return model::detail::enum_to_string(detail::kTrendRegime, v);
}
constexpr std::string_view to_string(VolatilityRegime v) noexcept {
  return model::detail::enum_to_string(detail::kVolatilityRegime, v);
}
constexpr std::string_view to_string(MarketRegime v) noexcept {
  return model::detail::enum_to_string(detail::kMarketRegime, v);
}
template <class T>
requires std::is_same_v<T, TrendRegime> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kTrendRegime, text, "TrendRegime");
}
template <class T>
requires std::is_same_v<T, VolatilityRegime> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kVolatilityRegime, text, "VolatilityRegime");
}
template <class T>
requires std::is_same_v<T, MarketRegime> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kMarketRegime, text, "MarketRegime");
}

constexpr MarketRegime combine_regime(TrendRegime trend, VolatilityRegime volatility) noexcept {
  const bool high = volatility == VolatilityRegime::HighVol;
  switch (trend) {
    case TrendRegime::TrendingUp: return high ? MarketRegime::TrendingUpHighVol : MarketRegime::TrendingUpLowVol;
    case TrendRegime::TrendingDown: return high ? MarketRegime::TrendingDownHighVol : MarketRegime::TrendingDownLowVol;
    case TrendRegime::Ranging: break;
  }
  return high ? MarketRegime::RangingHighVol : MarketRegime::RangingLowVol;
}
constexpr TrendRegime trend_regime_of(MarketRegime regime) noexcept {
  switch (regime) {
    case MarketRegime::TrendingUpLowVol:
    case MarketRegime::TrendingUpHighVol: return TrendRegime::TrendingUp;
    case MarketRegime::TrendingDownLowVol:
    case MarketRegime::TrendingDownHighVol: return TrendRegime::TrendingDown;
    case MarketRegime::RangingLowVol:
    case MarketRegime::RangingHighVol: break;
  }
  return TrendRegime::Ranging;
}
constexpr VolatilityRegime volatility_regime_of(MarketRegime regime) noexcept {
  switch (regime) {
    case MarketRegime::TrendingUpHighVol:
    case MarketRegime::TrendingDownHighVol:
    case MarketRegime::RangingHighVol: return VolatilityRegime::HighVol;
    case MarketRegime::TrendingUpLowVol:
    case MarketRegime::TrendingDownLowVol:
    case MarketRegime::RangingLowVol: break;
  }
  return VolatilityRegime::LowVol;
}
constexpr TrendRegime trend_regime_of(TrendDirection direction) noexcept {
  switch (direction) {
    case TrendDirection::Up: return TrendRegime::TrendingUp;
    case TrendDirection::Down: return TrendRegime::TrendingDown;
    case TrendDirection::Sideways: break;
  }
  return TrendRegime::Ranging;
}

// ---- rules ------------------------------------------------------------------------------------------

struct RegimeRuleConfig {
  TrendConfig trend;
  std::size_t volatility_window = 20;  // log returns per σ_t, ≥ 2
  std::size_t median_window = 100;     // σ values in the reference median (current included), ≥ 1
  double high_volatility_ratio = 1.0;  // HIGH_VOL when σ_t > ratio × median; finite, > 0
};

core::Status validate(const RegimeRuleConfig& config);
// Bars needed for one regime: max(trend_min_bars, volatility_window + median_window).
std::size_t regime_min_bars(const RegimeRuleConfig& config) noexcept;

struct RegimePoint {
  std::size_t index = 0;  // bar index
  MarketRegime regime = MarketRegime::RangingLowVol;
  TrendAssessment trend;
  double volatility = 0.0;         // σ_t, per bar
  double median_volatility = 0.0;  // median of σ over the median window
  VolatilityLevelResult level;     // σ_t against the σ values of the median window
};

// values[k] is the regime of bar first_index + k; first_index = regime_min_bars(config) − 1.
struct RegimeSeries {
  std::size_t first_index = 0;
  std::vector<RegimePoint> values;
};

// Errors on an invalid config, misaligned or non-finite columns, a close ≤ 0, or too few bars.
core::Result<RegimeSeries> detect_regimes(std::span<const double> high, std::span<const double> low,
                                          std::span<const double> close, const RegimeRuleConfig& config = {});
core::Result<RegimeSeries> detect_regimes(std::span<const model::Bar> bars, const RegimeRuleConfig& config = {});
core::Result<RegimePoint> latest_regime(std::span<const double> high, std::span<const double> low,
                                        std::span<const double> close, const RegimeRuleConfig& config = {});
core::Result<RegimePoint> latest_regime(std::span<const model::Bar> bars, const RegimeRuleConfig& config = {});

// ---- Gaussian hidden Markov model -------------------------------------------------------------------

inline constexpr double kHmmProbabilityFloor = 1e-10;

struct GaussianHmmConfig {
  int states = 2;                         // K, 2 or 3
  int max_iterations = 1000;              // EM iterations, ≥ 1
  double tolerance = 1e-8;                // stop when the log-likelihood gains less than this (> 0)
  double initial_stay_probability = 0.9;  // initial A_kk, in (0, 1)
  double min_variance_ratio = 1e-4;       // σ_k² ≥ ratio × sample variance of the series, in (0, 1)
};

core::Status validate(const GaussianHmmConfig& config);

// Parameters, states ordered by variance ascending.
struct GaussianHmm {
  std::vector<double> initial;                  // π_k
  std::vector<std::vector<double>> transition;  // A[i][j] = P(state j at t + 1 | state i at t)
  std::vector<double> means;                    // μ_k
  std::vector<double> variances;                // σ_k²
  int states() const noexcept { return static_cast<int>(means.size()); }
};

struct GaussianHmmFit {
  GaussianHmm model;
  double log_likelihood = 0.0;                  // ln p(r | model) of the returned parameters
  int iterations = 0;                           // EM updates performed
  bool converged = false;                       // false when max_iterations stopped the fit
  std::vector<int> viterbi;                     // most likely state per observation
  std::vector<double> posterior_probabilities;  // γ_t(k) at [t·K + k]

  double posterior(std::size_t t, int state) const {
    return posterior_probabilities[t * static_cast<std::size_t>(model.states()) + static_cast<std::size_t>(state)];
  }
  // argmax_k γ_t(k) per observation (lowest state on a tie).
  std::vector<int> posterior_states() const;
};

// Needs at least 10·K finite returns that are not all equal (a constant series has no variance to
// separate into states). The error names the first non-finite index.
core::Result<GaussianHmmFit> fit_gaussian_hmm(std::span<const double> returns, const GaussianHmmConfig& config = {});

// Log-likelihood and Viterbi path of a series under given parameters (validated: probabilities
// non-negative and summing to 1 within 1e-9, variances > 0, everything finite).
core::Result<double> hmm_log_likelihood(const GaussianHmm& model, std::span<const double> returns);
core::Result<std::vector<int>> hmm_viterbi(const GaussianHmm& model, std::span<const double> returns);

}  // namespace ballast::analytics
