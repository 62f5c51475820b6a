#include "ballast/analytics/regime.hpp"

#include "ballast/analytics/indicators/bar_columns.hpp"
#include "ballast/analytics/returns.hpp"
#include "ballast/analytics/sample_stats.hpp"
#include "ballast/analytics/volatility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>

namespace ballast::analytics {
namespace {

constexpr std::size_t kMaxWindow = 100'000;
// Windows of the same returns in another order can give σ values a few ulps apart; a flat σ must not
// flip to HIGH_VOL on that noise.
constexpr double kHighVolSlack = 1.0 + 1e-9;
constexpr double kVolatilityNoise = 1e-7;

core::Error invalid(std::string message, std::string where = {}) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

// ---- rules ------------------------------------------------------------------------------------------

core::Status check_regime_input(std::span<const double> high, std::span<const double> low,
                                std::span<const double> close, const RegimeRuleConfig& config) {
  BALLAST_TRY(validate(config));
  if (high.size() != close.size() || low.size() != close.size()) {
    return invalid(fmt::format("high, low and close must have the same length (got {}, {}, {})", high.size(),
                               low.size(), close.size()));
  }
  const std::size_t needed = regime_min_bars(config);
  if (close.size() < needed) {
    return invalid(
        fmt::format("regime detection needs at least {} bars (max(trend bars, volatility_window + "
                    "median_window)), got {}",
                    needed, close.size()));
  }
  return core::ok();
}

// σ_t per bar, indexed so that sigma[t − volatility_window] belongs to bar t. A σ at or below
// kVolatilityNoise × the RMS of its window's returns is rounding residue (the returns agree to seven
// digits: a steady trend's σ comes out near 1e-16, not 0) and is set to exactly 0.
core::Result<std::vector<double>> bar_volatility(std::span<const double> close, const RegimeRuleConfig& config) {
  auto returns = log_returns(close);
  if (!returns) return returns.error();
  auto sigma = rolling_close_to_close_volatility(*returns, config.volatility_window, 1.0);
  if (!sigma) return sigma.error();
  const std::size_t w = config.volatility_window;
  for (std::size_t k = 0; k < sigma->values.size(); ++k) {
    double squares = 0.0;
    for (std::size_t i = k; i < k + w; ++i) squares += (*returns)[i] * (*returns)[i];
    const double rms = std::sqrt(squares / static_cast<double>(w));
    if (sigma->values[k] <= kVolatilityNoise * rms) sigma->values[k] = 0.0;
  }
  return std::move(sigma->values);
}

double median_of(std::vector<double>& scratch) {
  const std::size_t n = scratch.size();
  const auto mid = scratch.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(scratch.begin(), mid, scratch.end());
  const double upper = *mid;
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(scratch.begin(), mid);
  return lower + (upper - lower) / 2.0;
}

core::Result<RegimePoint> regime_point(const TrendAssessment& trend, std::span<const double> sigma, std::size_t t,
                                       const RegimeRuleConfig& config, std::vector<double>& scratch) {
  const std::size_t current = t - config.volatility_window;
  const std::span<const double> history = sigma.subspan(current + 1 - config.median_window, config.median_window);
  RegimePoint p;
  p.index = t;
  p.trend = trend;
  p.volatility = sigma[current];
  scratch.assign(history.begin(), history.end());
  p.median_volatility = median_of(scratch);
  auto level = classify_volatility(history, p.volatility);
  if (!level) return level.error();
  p.level = *level;
  const VolatilityRegime vol = p.volatility > config.high_volatility_ratio * p.median_volatility * kHighVolSlack
                                   ? VolatilityRegime::HighVol
                                   : VolatilityRegime::LowVol;
  p.regime = combine_regime(trend_regime_of(trend.direction), vol);
  return p;
}

// ---- HMM --------------------------------------------------------------------------------------------

constexpr double kLogTwoPi = 1.8378770664093454835606594728112;  // ln(2π)

// Replaces entries below the floor and renormalises to sum 1.
void floor_and_normalise(std::vector<double>& p) {
  double sum = 0.0;
  for (double& x : p) {
    x = std::max(x, kHmmProbabilityFloor);
    sum += x;
  }
  for (double& x : p) x /= sum;
}

// Storage for one pass of forward–backward over n observations and K states (row-major, [t·K + k]).
struct HmmWorkspace {
  std::size_t n = 0;
  std::size_t k = 0;
  std::vector<double> log_density;  // ln N(r_t; μ_k, σ_k²)
  std::vector<double> density;      // exp(log_density − offset_t), max over k is 1
  std::vector<double> offset;       // per-step maximum of log_density
  std::vector<double> alpha;        // scaled forward variables
  std::vector<double> beta;         // scaled backward variables
  std::vector<double> scale;        // c_t
  std::vector<double> gamma;        // posteriors
  std::vector<double> xi_sum;       // Σ_t ξ_t(i, j) at [i·K + j]

  HmmWorkspace(std::size_t observations, std::size_t states)
      : n(observations),
        k(states),
        log_density(n * k),
        density(n * k),
        offset(n),
        alpha(n * k),
        beta(n * k),
        scale(n),
        gamma(n * k),
        xi_sum(k * k) {}
};

void compute_densities(const GaussianHmm& m, std::span<const double> r, HmmWorkspace& w) {
  for (std::size_t t = 0; t < w.n; ++t) {
    double top = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < w.k; ++j) {
      const double d = r[t] - m.means[j];
      const double ld = -0.5 * (kLogTwoPi + std::log(m.variances[j]) + d * d / m.variances[j]);
      w.log_density[t * w.k + j] = ld;
      top = std::max(top, ld);
    }
    w.offset[t] = top;
    for (std::size_t j = 0; j < w.k; ++j) w.density[t * w.k + j] = std::exp(w.log_density[t * w.k + j] - top);
  }
}

// Scaled forward pass; returns the log-likelihood, or an error naming the step where every path
// vanished (only possible with zero transition probabilities in a caller-supplied model).
core::Result<double> forward(const GaussianHmm& m, HmmWorkspace& w) {
  double log_likelihood = 0.0;
  for (std::size_t t = 0; t < w.n; ++t) {
    double c = 0.0;
    for (std::size_t j = 0; j < w.k; ++j) {
      double a = 0.0;
      if (t == 0) {
        a = m.initial[j];
      } else {
        for (std::size_t i = 0; i < w.k; ++i) a += w.alpha[(t - 1) * w.k + i] * m.transition[i][j];
      }
      a *= w.density[t * w.k + j];
      w.alpha[t * w.k + j] = a;
      c += a;
    }
    if (!(c > 0.0) || !std::isfinite(c)) {
      return core::Error(core::ErrorCode::OutOfRange,
                         fmt::format("HMM likelihood underflows at observation {}: no state can emit it", t));
    }
    for (std::size_t j = 0; j < w.k; ++j) w.alpha[t * w.k + j] /= c;
    w.scale[t] = c;
    log_likelihood += std::log(c) + w.offset[t];
  }
  return log_likelihood;
}

// Backward pass, posteriors and the summed two-step posteriors, after forward().
void backward(const GaussianHmm& m, HmmWorkspace& w) {
  const std::size_t last = w.n - 1;
  for (std::size_t j = 0; j < w.k; ++j) w.beta[last * w.k + j] = 1.0;
  std::fill(w.xi_sum.begin(), w.xi_sum.end(), 0.0);
  for (std::size_t t = last; t-- > 0;) {
    const double c_next = w.scale[t + 1];
    for (std::size_t i = 0; i < w.k; ++i) {
      double b = 0.0;
      for (std::size_t j = 0; j < w.k; ++j) {
        const double step = m.transition[i][j] * w.density[(t + 1) * w.k + j] * w.beta[(t + 1) * w.k + j] / c_next;
        b += step;
        w.xi_sum[i * w.k + j] += w.alpha[t * w.k + i] * step;
      }
      w.beta[t * w.k + i] = b;
    }
  }
  for (std::size_t t = 0; t < w.n; ++t) {
    double sum = 0.0;
    for (std::size_t j = 0; j < w.k; ++j) {
      const double g = w.alpha[t * w.k + j] * w.beta[t * w.k + j];
      w.gamma[t * w.k + j] = g;
      sum += g;
    }
    for (std::size_t j = 0; j < w.k; ++j) w.gamma[t * w.k + j] /= sum;
  }
}

core::Result<double> expectation(const GaussianHmm& m, std::span<const double> r, HmmWorkspace& w) {
  compute_densities(m, r, w);
  auto ll = forward(m, w);
  if (!ll) return ll;
  backward(m, w);
  return ll;
}

void maximisation(GaussianHmm& m, std::span<const double> r, const HmmWorkspace& w, double variance_floor) {
  for (std::size_t j = 0; j < w.k; ++j) m.initial[j] = w.gamma[j];
  floor_and_normalise(m.initial);
  for (std::size_t i = 0; i < w.k; ++i) {
    for (std::size_t j = 0; j < w.k; ++j) m.transition[i][j] = w.xi_sum[i * w.k + j];
    floor_and_normalise(m.transition[i]);
  }
  for (std::size_t j = 0; j < w.k; ++j) {
    double weight = 0.0;
    double weighted = 0.0;
    for (std::size_t t = 0; t < w.n; ++t) {
      weight += w.gamma[t * w.k + j];
      weighted += w.gamma[t * w.k + j] * r[t];
    }
    // A state no observation belongs to keeps its parameters (its transitions still decay).
    if (!(weight > std::numeric_limits<double>::min())) continue;
    const double mean = weighted / weight;
    double spread = 0.0;
    for (std::size_t t = 0; t < w.n; ++t) {
      const double d = r[t] - mean;
      spread += w.gamma[t * w.k + j] * d * d;
    }
    m.means[j] = mean;
    m.variances[j] = std::max(spread / weight, variance_floor);
  }
}

GaussianHmm initial_model(std::span<const double> r, const GaussianHmmConfig& config, double variance_floor) {
  const std::size_t n = r.size();
  const auto k = static_cast<std::size_t>(config.states);
  const double mean = sample_mean(r);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double da = std::abs(r[a] - mean);
    const double db = std::abs(r[b] - mean);
    return da < db || (da == db && a < b);
  });
  GaussianHmm m;
  m.initial.assign(k, 1.0 / static_cast<double>(k));
  const double off = (1.0 - config.initial_stay_probability) / static_cast<double>(k - 1);
  m.transition.assign(k, std::vector<double>(k, off));
  for (std::size_t i = 0; i < k; ++i) m.transition[i][i] = config.initial_stay_probability;
  for (std::size_t g = 0; g < k; ++g) {
    const std::size_t begin = g * n / k;
    const std::size_t end = (g + 1) * n / k;
    double sum = 0.0;
    for (std::size_t q = begin; q < end; ++q) sum += r[order[q]];
    const double mu = sum / static_cast<double>(end - begin);
    double ss = 0.0;
    for (std::size_t q = begin; q < end; ++q) ss += (r[order[q]] - mu) * (r[order[q]] - mu);
    m.means.push_back(mu);
    m.variances.push_back(std::max(ss / static_cast<double>(end - begin), variance_floor));
  }
  return m;
}

// Reorders the states by variance (ties by mean), permuting every parameter and the posteriors.
void order_states(GaussianHmm& m, HmmWorkspace& w) {
  const std::size_t k = w.k;
  std::vector<std::size_t> perm(k);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::sort(perm.begin(), perm.end(), [&](std::size_t a, std::size_t b) {
    return m.variances[a] < m.variances[b] || (m.variances[a] == m.variances[b] && m.means[a] < m.means[b]);
  });
  GaussianHmm sorted;
  sorted.transition.assign(k, std::vector<double>(k));
  for (std::size_t a = 0; a < k; ++a) {
    sorted.initial.push_back(m.initial[perm[a]]);
    sorted.means.push_back(m.means[perm[a]]);
    sorted.variances.push_back(m.variances[perm[a]]);
    for (std::size_t b = 0; b < k; ++b) sorted.transition[a][b] = m.transition[perm[a]][perm[b]];
  }
  std::vector<double> row(k);
  for (std::size_t t = 0; t < w.n; ++t) {
    for (std::size_t a = 0; a < k; ++a) row[a] = w.gamma[t * k + perm[a]];
    std::copy(row.begin(), row.end(), w.gamma.begin() + static_cast<std::ptrdiff_t>(t * k));
  }
  m = std::move(sorted);
}

std::vector<int> viterbi_path(const GaussianHmm& m, const HmmWorkspace& w) {
  const std::size_t k = w.k;
  std::vector<double> delta(k);
  std::vector<double> next(k);
  std::vector<std::size_t> from(w.n * k, 0);
  std::vector<std::vector<double>> log_a(k, std::vector<double>(k));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) log_a[i][j] = std::log(m.transition[i][j]);
  }
  for (std::size_t j = 0; j < k; ++j) delta[j] = std::log(m.initial[j]) + w.log_density[j];
  for (std::size_t t = 1; t < w.n; ++t) {
    for (std::size_t j = 0; j < k; ++j) {
      std::size_t best = 0;
      double best_score = delta[0] + log_a[0][j];
      for (std::size_t i = 1; i < k; ++i) {
        const double s = delta[i] + log_a[i][j];
        if (s > best_score) {
          best_score = s;
          best = i;
        }
      }
      next[j] = best_score + w.log_density[t * k + j];
      from[t * k + j] = best;
    }
    delta.swap(next);
  }
  std::size_t state = static_cast<std::size_t>(std::max_element(delta.begin(), delta.end()) - delta.begin());
  std::vector<int> path(w.n);
  for (std::size_t t = w.n; t-- > 0;) {
    path[t] = static_cast<int>(state);
    if (t > 0) state = from[t * k + state];
  }
  return path;
}

core::Status check_probabilities(std::span<const double> p, std::string_view what) {
  double sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isfinite(p[i]) || p[i] < 0.0) {
      return invalid(fmt::format("{}[{}] is {}; probabilities must be finite and >= 0", what, i, p[i]),
                     std::string(what));
    }
    sum += p[i];
  }
  if (std::abs(sum - 1.0) > 1e-9) {
    return invalid(fmt::format("{} sums to {}, not 1", what, sum), std::string(what));
  }
  return core::ok();
}

core::Status check_model(const GaussianHmm& m, std::span<const double> returns) {
  const std::size_t k = m.means.size();
  if (k == 0) return invalid("an HMM needs at least one state", "means");
  if (m.variances.size() != k || m.initial.size() != k || m.transition.size() != k) {
    return invalid(fmt::format("HMM parameter sizes disagree: {} means, {} variances, {} initial, {} transition rows",
                               k, m.variances.size(), m.initial.size(), m.transition.size()));
  }
  BALLAST_TRY(check_probabilities(m.initial, "initial"));
  for (std::size_t i = 0; i < k; ++i) {
    if (m.transition[i].size() != k) {
      return invalid(fmt::format("transition row {} has {} entries, expected {}", i, m.transition[i].size(), k),
                     "transition");
    }
    BALLAST_TRY(check_probabilities(m.transition[i], fmt::format("transition[{}]", i)));
  }
  BALLAST_TRY(require_finite(m.means, "means"));
  for (std::size_t j = 0; j < k; ++j) {
    if (!std::isfinite(m.variances[j]) || m.variances[j] <= 0.0) {
      return invalid(fmt::format("variances[{}] is {}; variances must be finite and > 0", j, m.variances[j]),
                     "variances");
    }
  }
  BALLAST_TRY(require_finite(returns, "returns"));
  if (returns.empty()) return invalid("returns are empty", "returns");
  return core::ok();
}

}  // namespace

// ---- rules ------------------------------------------------------------------------------------------

core::Status validate(const RegimeRuleConfig& config) {
  BALLAST_TRY(validate(config.trend));
  if (config.volatility_window < 2 || config.volatility_window > kMaxWindow) {
    return invalid(fmt::format("volatility_window must be in [2, {}], got {}", kMaxWindow, config.volatility_window),
                   "volatility_window");
  }
  if (config.median_window < 1 || config.median_window > kMaxWindow) {
    return invalid(fmt::format("median_window must be in [1, {}], got {}", kMaxWindow, config.median_window),
                   "median_window");
  }
  if (!std::isfinite(config.high_volatility_ratio) || config.high_volatility_ratio <= 0.0) {
    return invalid(fmt::format("high_volatility_ratio must be finite and > 0, got {}", config.high_volatility_ratio),
                   "high_volatility_ratio");
  }
  return core::ok();
}

std::size_t regime_min_bars(const RegimeRuleConfig& config) noexcept {
  return std::max(trend_min_bars(config.trend), config.volatility_window + config.median_window);
}

core::Result<RegimeSeries> detect_regimes(std::span<const double> high, std::span<const double> low,
                                          std::span<const double> close, const RegimeRuleConfig& config) {
  BALLAST_TRY(check_regime_input(high, low, close, config));
  auto trend = trend_series(high, low, close, config.trend);
  if (!trend) return trend.error();
  auto sigma = bar_volatility(close, config);
  if (!sigma) return sigma.error();
  RegimeSeries out;
  out.first_index = regime_min_bars(config) - 1;
  out.values.reserve(close.size() - out.first_index);
  std::vector<double> scratch;
  for (std::size_t t = out.first_index; t < close.size(); ++t) {
    auto p = regime_point(trend->values[t - trend->first_index], *sigma, t, config, scratch);
    if (!p) return p.error();
    out.values.push_back(std::move(*p));
  }
  return out;
}

core::Result<RegimeSeries> detect_regimes(std::span<const model::Bar> bars, const RegimeRuleConfig& config) {
  const BarColumns c = to_columns(bars);
  return detect_regimes(c.high, c.low, c.close, config);
}

core::Result<RegimePoint> latest_regime(std::span<const double> high, std::span<const double> low,
                                        std::span<const double> close, const RegimeRuleConfig& config) {
  BALLAST_TRY(check_regime_input(high, low, close, config));
  auto trend = analyze_trend(high, low, close, config.trend);
  if (!trend) return trend.error();
  auto sigma = bar_volatility(close, config);
  if (!sigma) return sigma.error();
  std::vector<double> scratch;
  return regime_point(*trend, *sigma, close.size() - 1, config, scratch);
}

core::Result<RegimePoint> latest_regime(std::span<const model::Bar> bars, const RegimeRuleConfig& config) {
  const BarColumns c = to_columns(bars);
  return latest_regime(c.high, c.low, c.close, config);
}

// ---- Gaussian hidden Markov model -------------------------------------------------------------------

core::Status validate(const GaussianHmmConfig& config) {
  if (config.states < 2 || config.states > 3) {
    return invalid(fmt::format("states must be 2 or 3, got {}", config.states), "states");
  }
  if (config.max_iterations < 1) {
    return invalid(fmt::format("max_iterations must be >= 1, got {}", config.max_iterations), "max_iterations");
  }
  if (!std::isfinite(config.tolerance) || config.tolerance <= 0.0) {
    return invalid(fmt::format("tolerance must be finite and > 0, got {}", config.tolerance), "tolerance");
  }
  if (!(config.initial_stay_probability > 0.0 && config.initial_stay_probability < 1.0)) {
    return invalid(fmt::format("initial_stay_probability must be in (0, 1), got {}", config.initial_stay_probability),
                   "initial_stay_probability");
  }
  if (!(config.min_variance_ratio > 0.0 && config.min_variance_ratio < 1.0)) {
    return invalid(fmt::format("min_variance_ratio must be in (0, 1), got {}", config.min_variance_ratio),
                   "min_variance_ratio");
  }
  return core::ok();
}

std::vector<int> GaussianHmmFit::posterior_states() const {
  const auto k = static_cast<std::size_t>(model.states());
  const std::size_t n = k == 0 ? 0 : posterior_probabilities.size() / k;
  std::vector<int> out(n);
  for (std::size_t t = 0; t < n; ++t) {
    const auto row = posterior_probabilities.begin() + static_cast<std::ptrdiff_t>(t * k);
    out[t] = static_cast<int>(std::max_element(row, row + static_cast<std::ptrdiff_t>(k)) - row);
  }
  return out;
}

core::Result<GaussianHmmFit> fit_gaussian_hmm(std::span<const double> returns, const GaussianHmmConfig& config) {
  BALLAST_TRY(validate(config));
  BALLAST_TRY(require_finite(returns, "returns"));
  const auto k = static_cast<std::size_t>(config.states);
  if (returns.size() < 10 * k) {
    return invalid(fmt::format("a {}-state HMM needs at least {} returns, got {}", k, 10 * k, returns.size()),
                   "returns");
  }
  if (is_constant(returns)) {
    return invalid("returns are constant; a Gaussian HMM has no variance to separate into states", "returns");
  }
  const double variance_floor = config.min_variance_ratio * sample_variance(returns);
  GaussianHmmFit fit;
  fit.model = initial_model(returns, config, variance_floor);
  HmmWorkspace w(returns.size(), k);
  auto ll = expectation(fit.model, returns, w);
  if (!ll) return ll.error();
  while (fit.iterations < config.max_iterations) {
    maximisation(fit.model, returns, w, variance_floor);
    ++fit.iterations;
    auto next = expectation(fit.model, returns, w);
    if (!next) return next.error();
    // EM never lowers the likelihood (up to rounding), so a small gain means a fixed point.
    const bool done = *next - *ll < config.tolerance;
    ll = next;
    if (done) {
      fit.converged = true;
      break;
    }
  }
  fit.log_likelihood = *ll;
  order_states(fit.model, w);
  // Densities in the new state order for Viterbi.
  compute_densities(fit.model, returns, w);
  fit.viterbi = viterbi_path(fit.model, w);
  fit.posterior_probabilities = std::move(w.gamma);
  return fit;
}

core::Result<double> hmm_log_likelihood(const GaussianHmm& model, std::span<const double> returns) {
  BALLAST_TRY(check_model(model, returns));
  HmmWorkspace w(returns.size(), model.means.size());
  compute_densities(model, returns, w);
  return forward(model, w);
}

core::Result<std::vector<int>> hmm_viterbi(const GaussianHmm& model, std::span<const double> returns) {
  BALLAST_TRY(check_model(model, returns));
  HmmWorkspace w(returns.size(), model.means.size());
  compute_densities(model, returns, w);
  return viterbi_path(model, w);
}

}  // namespace ballast::analytics
