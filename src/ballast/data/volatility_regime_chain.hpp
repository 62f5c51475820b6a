#pragma once
// VolatilityRegimeChain: a discrete-time Markov chain over two or three (or more) volatility regimes,
// stepped once per bar, whose state scales every instrument's diffusion volatility by a multiplier.
// One chain drives the whole synthetic market (regimes are market-wide, as in crypto sell-offs).
//
// transition[i][j] is the probability of moving from regime i to regime j at a bar boundary; rows sum
// to 1. from_mean_durations() states the same thing in time: regime i lasts on average τ_i, so per bar
// of length Δ it stays with probability exp(−Δ/τ_i) and otherwise moves to one of the other regimes with
// equal probability.
//
// With `normalise` the multipliers are rescaled by one common factor so that under the chain's stationary
// distribution π the mean variance multiplier Σ π_i m_i² is 1: the configured annual volatility is then
// the long-run volatility, and regimes only redistribute it in time.

#include <cstddef>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

namespace ballast::data {

struct VolatilityRegimeConfig {
  std::vector<double> multipliers;              // one per regime (> 0); empty = no regimes
  std::vector<std::vector<double>> transition;  // per-bar probabilities, row = from
  std::size_t initial_regime = 0;
  bool normalise = true;

  // Regimes that last `mean_durations[i]` on average (each >= bar_interval) with bars of `bar_interval`.
  static core::Result<VolatilityRegimeConfig> from_mean_durations(std::vector<double> multipliers,
                                                                  const std::vector<core::Duration>& mean_durations,
                                                                  core::Duration bar_interval);
};

class VolatilityRegimeChain {
 public:
  // Validates the config (square row-stochastic matrix, positive multipliers, a unique stationary
  // distribution). An empty config gives a single regime with multiplier 1.
  static core::Result<VolatilityRegimeChain> create(const VolatilityRegimeConfig& config);

  std::size_t regime() const noexcept { return regime_; }
  double multiplier() const noexcept { return multipliers_[regime_]; }
  // Moves to the next bar's regime, given a uniform draw u in [0, 1).
  void step(double u) noexcept;

  std::size_t regime_count() const noexcept { return multipliers_.size(); }
  // After normalisation.
  const std::vector<double>& multipliers() const noexcept { return multipliers_; }
  const std::vector<std::vector<double>>& transition() const noexcept { return transition_; }
  const std::vector<double>& stationary_distribution() const noexcept { return stationary_; }

 private:
  VolatilityRegimeChain() = default;

  std::vector<double> multipliers_{1.0};
  std::vector<std::vector<double>> transition_{{1.0}};
  std::vector<double> stationary_{1.0};
  std::size_t regime_ = 0;
};

}  // namespace ballast::data
