#include "ballast/data/volatility_regime_chain.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>

#include <cmath>

namespace ballast::data {
namespace {

core::Error regime_error(std::string message, std::string where = "regimes") {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

}  // namespace

core::Result<VolatilityRegimeConfig> VolatilityRegimeConfig::from_mean_durations(
    std::vector<double> multipliers, const std::vector<core::Duration>& mean_durations, core::Duration bar_interval) {
  const std::size_t n = multipliers.size();
  if (n == 0 || mean_durations.size() != n) {
    return regime_error(
        fmt::format("{} multipliers and {} mean durations: need one of each per regime", n, mean_durations.size()));
  }
  if (bar_interval.count() <= 0) return regime_error("bar interval must be positive");
  VolatilityRegimeConfig config;
  config.multipliers = std::move(multipliers);
  config.transition.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    if (mean_durations[i] < bar_interval) {
      return regime_error(fmt::format("regime {} lasts {} on average, shorter than one bar ({})", i,
                                      core::format_duration(mean_durations[i]), core::format_duration(bar_interval)),
                          fmt::format("regimes.mean_durations[{}]", i));
    }
    const double stay =
        n == 1 ? 1.0
               : std::exp(-static_cast<double>(bar_interval.count()) / static_cast<double>(mean_durations[i].count()));
    for (std::size_t j = 0; j < n; ++j) {
      config.transition[i][j] = i == j ? stay : (1.0 - stay) / static_cast<double>(n - 1);
    }
  }
  return config;
}

core::Result<VolatilityRegimeChain> VolatilityRegimeChain::create(const VolatilityRegimeConfig& config) {
  VolatilityRegimeChain chain;
  if (config.multipliers.empty()) {
    if (!config.transition.empty()) return regime_error("a transition matrix without multipliers");
    return chain;
  }
  const std::size_t n = config.multipliers.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!(config.multipliers[i] > 0.0) || !std::isfinite(config.multipliers[i])) {
      return regime_error(fmt::format("multiplier {} is {}, must be finite and > 0", i, config.multipliers[i]),
                          fmt::format("regimes.multipliers[{}]", i));
    }
  }
  if (config.transition.size() != n) {
    return regime_error(fmt::format("transition matrix has {} rows for {} regimes", config.transition.size(), n),
                        "regimes.transition");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& row = config.transition[i];
    const auto where = fmt::format("regimes.transition[{}]", i);
    if (row.size() != n)
      return regime_error(fmt::format("row {} has {} entries, expected {}", i, row.size(), n), where);
    double sum = 0.0;
    for (double p : row) {
      if (!(p >= 0.0 && p <= 1.0))
        return regime_error(fmt::format("row {} has probability {} outside [0, 1]", i, p), where);
      sum += p;
    }
    if (std::fabs(sum - 1.0) > 1e-9) return regime_error(fmt::format("row {} sums to {}, not 1", i, sum), where);
  }
  if (config.initial_regime >= n) {
    return regime_error(fmt::format("initial regime {} does not exist ({} regimes)", config.initial_regime, n),
                        "regimes.initial_regime");
  }

  // Stationary π: πP = π and Σπ = 1, i.e. (Pᵀ − I)π = 0 with the last equation replaced by Σπ = 1.
  Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = config.transition[j][i] - (i == j ? 1.0 : 0.0);
    }
  }
  a.row(static_cast<Eigen::Index>(n - 1)).setOnes();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
  b(static_cast<Eigen::Index>(n - 1)) = 1.0;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
  if (!lu.isInvertible()) {
    return regime_error("the transition matrix has no unique stationary distribution (some regimes never reach others)",
                        "regimes.transition");
  }
  const Eigen::VectorXd pi = lu.solve(b);
  chain.stationary_.assign(n, 0.0);
  double mean_variance = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    chain.stationary_[i] = std::max(0.0, pi(static_cast<Eigen::Index>(i)));
    mean_variance += chain.stationary_[i] * config.multipliers[i] * config.multipliers[i];
  }
  const double scale = config.normalise ? 1.0 / std::sqrt(mean_variance) : 1.0;
  chain.multipliers_.clear();
  for (double m : config.multipliers) chain.multipliers_.push_back(m * scale);
  chain.transition_ = config.transition;
  chain.regime_ = config.initial_regime;
  return chain;
}

void VolatilityRegimeChain::step(double u) noexcept {
  const auto& row = transition_[regime_];
  double cumulative = 0.0;
  for (std::size_t j = 0; j < row.size(); ++j) {
    cumulative += row[j];
    if (u < cumulative) {
      regime_ = j;
      return;
    }
  }
  // u beyond the rounded row sum: the last regime with positive probability.
  for (std::size_t j = row.size(); j-- > 0;) {
    if (row[j] > 0.0) {
      regime_ = j;
      return;
    }
  }
}

}  // namespace ballast::data
