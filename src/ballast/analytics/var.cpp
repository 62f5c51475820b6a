#include "ballast/analytics/var.hpp"

#include "ballast/analytics/distributions.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"
#include "ballast/analytics/internal/tail_split.hpp"
#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

namespace ballast::analytics {

namespace {

core::Error invalid(std::string message, std::string_view where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::string(where));
}

// h-period P&L windows from one-period P&L (oldest first); SquareRootOfTime keeps one period.
std::vector<double> aggregate(std::span<const double> pnl, int horizon, HistoricalHorizon method) {
  const auto h = static_cast<std::size_t>(horizon);
  std::vector<double> out;
  if (h == 1 || method == HistoricalHorizon::SquareRootOfTime) {
    out.assign(pnl.begin(), pnl.end());
    return out;
  }
  if (method == HistoricalHorizon::Overlapping) {
    out.reserve(pnl.size() - h + 1);
    double window = std::accumulate(pnl.begin(), pnl.begin() + static_cast<std::ptrdiff_t>(h), 0.0);
    out.push_back(window);
    for (std::size_t t = h; t < pnl.size(); ++t) {
      // Re-sum every h steps so the running window never accumulates rounding drift.
      if ((t - h + 1) % h == 0) {
        window = std::accumulate(pnl.begin() + static_cast<std::ptrdiff_t>(t - h + 1),
                                 pnl.begin() + static_cast<std::ptrdiff_t>(t + 1), 0.0);
      } else {
        window += pnl[t] - pnl[t - h];
      }
      out.push_back(window);
    }
    return out;
  }
  const std::size_t blocks = pnl.size() / h;
  const std::size_t start = pnl.size() - blocks * h;
  out.reserve(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto first = pnl.begin() + static_cast<std::ptrdiff_t>(start + b * h);
    out.push_back(std::accumulate(first, first + static_cast<std::ptrdiff_t>(h), 0.0));
  }
  return out;
}

core::Status require_history(std::size_t n, const VarSpec& spec, HistoricalHorizon method) {
  BALLAST_TRY(validate(spec));
  if (n == 0) return invalid("P&L history is empty", "pnl");
  const auto h = static_cast<std::size_t>(spec.horizon);
  if (method != HistoricalHorizon::SquareRootOfTime && n < h) {
    return invalid(fmt::format("{} observation(s) cannot form one {}-period window", n, h), "pnl");
  }
  return core::ok();
}

RiskEstimate scale_sqrt_time(RiskEstimate r, int horizon, HistoricalHorizon method) {
  if (method == HistoricalHorizon::SquareRootOfTime && horizon > 1) {
    const double s = std::sqrt(static_cast<double>(horizon));
    r.var *= s;
    r.expected_shortfall *= s;
  }
  return r;
}

// Empirical VaR/ES of the outcomes in `pnl` (reordered); n ≥ 1 and c valid are preconditions.
RiskEstimate empirical_tail(std::span<double> pnl, double confidence) {
  const internal::TailSplit tail = internal::split_tail(confidence, pnl.size());
  const auto m = static_cast<std::ptrdiff_t>(tail.whole);
  // After nth_element the m worst outcomes sit before position m and the (m+1)-th worst at m.
  std::nth_element(pnl.begin(), pnl.begin() + m, pnl.end());
  const double quantile = pnl[tail.whole];
  const double worst_sum = std::accumulate(pnl.begin(), pnl.begin() + m, 0.0);
  RiskEstimate r;
  r.var = -quantile;
  r.expected_shortfall = -(worst_sum + tail.fraction * quantile) / tail.mass;
  return r;
}

}  // namespace

core::Status validate(const VarSpec& spec) {
  BALLAST_TRY(internal::require_confidence(spec.confidence));
  if (spec.horizon < 1)
    return invalid(fmt::format("horizon must be at least 1 period, got {}", spec.horizon), "horizon");
  return core::ok();
}

core::Result<std::vector<double>> position_pnl(std::span<const double> returns, double exposure) {
  BALLAST_TRY(require_finite(returns, "returns"));
  if (!std::isfinite(exposure)) return invalid(fmt::format("exposure is {}; it must be finite", exposure), "exposure");
  std::vector<double> out(returns.size());
  std::transform(returns.begin(), returns.end(), out.begin(), [exposure](double r) { return exposure * r; });
  return out;
}

core::Result<Eigen::VectorXd> portfolio_pnl(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                            const Eigen::Ref<const Eigen::VectorXd>& exposures) {
  BALLAST_TRY(internal::require_size(exposures, returns.cols(), "exposures", "the columns of returns"));
  BALLAST_TRY(internal::require_finite_vector(exposures, "exposures"));
  BALLAST_TRY(internal::require_finite_matrix(returns, "returns"));
  Eigen::VectorXd pnl = returns * exposures;
  return pnl;
}

core::Result<RiskEstimate> empirical_var(std::span<double> pnl, double confidence) {
  BALLAST_TRY(internal::require_confidence(confidence));
  if (pnl.empty()) return invalid("P&L sample is empty", "pnl");
  BALLAST_TRY(require_finite(pnl, "pnl"));
  return empirical_tail(pnl, confidence);
}

core::Result<RiskEstimate> historical_var(std::span<const double> pnl, const VarSpec& spec,
                                          HistoricalHorizon horizon_method) {
  BALLAST_TRY(require_history(pnl.size(), spec, horizon_method));
  BALLAST_TRY(require_finite(pnl, "pnl"));
  std::vector<double> windows = aggregate(pnl, spec.horizon, horizon_method);
  return scale_sqrt_time(empirical_tail(windows, spec.confidence), spec.horizon, horizon_method);
}

core::Result<RiskEstimate> historical_var_age_weighted(std::span<const double> pnl, double lambda, const VarSpec& spec,
                                                       HistoricalHorizon horizon_method) {
  if (!(lambda > 0.0 && lambda <= 1.0)) {
    return invalid(fmt::format("age-weighting decay lambda must be in (0, 1], got {}", lambda), "lambda");
  }
  BALLAST_TRY(require_history(pnl.size(), spec, horizon_method));
  BALLAST_TRY(require_finite(pnl, "pnl"));
  const std::vector<double> windows = aggregate(pnl, spec.horizon, horizon_method);
  const std::size_t n = windows.size();

  std::vector<double> weight(n);
  if (lambda == 1.0) {
    std::fill(weight.begin(), weight.end(), 1.0 / static_cast<double>(n));
  } else {
    const double norm = (1.0 - lambda) / -std::expm1(static_cast<double>(n) * std::log(lambda));
    double decay = 1.0;
    for (std::size_t k = n; k-- > 0;) {  // most recent window has age 0
      weight[k] = norm * decay;
      decay *= lambda;
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return windows[a] < windows[b]; });

  const double tail = 1.0 - spec.confidence;
  double cumulative = 0.0;
  double loss_sum = 0.0;
  std::size_t k = 0;
  // First outcome whose cumulative probability exceeds the tail mass (1e-12 absorbs summation
  // rounding, as in empirical_var, so λ = 1 reproduces the unweighted quantile).
  for (; k + 1 < n; ++k) {
    const double w = weight[order[k]];
    if (cumulative + w > tail + 1e-12) break;
    cumulative += w;
    loss_sum += w * -windows[order[k]];
  }
  RiskEstimate r;
  r.var = -windows[order[k]];
  const double remainder = std::max(tail - cumulative, 0.0);
  r.expected_shortfall = (loss_sum + remainder * r.var) / tail;
  return scale_sqrt_time(r, spec.horizon, horizon_method);
}

core::Result<RiskEstimate> historical_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec, HistoricalHorizon horizon_method) {
  BALLAST_TRY(require_history(static_cast<std::size_t>(returns.rows()), spec, horizon_method));
  auto pnl = portfolio_pnl(returns, exposures);
  if (!pnl) return pnl.error();
  if (spec.horizon == 1 || horizon_method == HistoricalHorizon::SquareRootOfTime) {
    return scale_sqrt_time(
        empirical_tail(std::span<double>(pnl->data(), static_cast<std::size_t>(pnl->size())), spec.confidence),
        spec.horizon, horizon_method);
  }
  return historical_var(std::span<const double>(pnl->data(), static_cast<std::size_t>(pnl->size())), spec,
                        horizon_method);
}

core::Result<RiskEstimate> parametric_normal_var(double mean, double stdev, const VarSpec& spec) {
  BALLAST_TRY(validate(spec));
  if (!std::isfinite(mean)) return invalid(fmt::format("mean is {}; it must be finite", mean), "mean");
  if (!std::isfinite(stdev) || stdev < 0.0) {
    return invalid(fmt::format("standard deviation must be finite and non-negative, got {}", stdev), "stdev");
  }
  const double h = static_cast<double>(spec.horizon);
  const double z = normal_quantile(spec.confidence);
  const double scale = stdev * std::sqrt(h);
  RiskEstimate r;
  r.var = z * scale - mean * h;
  r.expected_shortfall = scale * normal_pdf(z) / (1.0 - spec.confidence) - mean * h;
  return r;
}

core::Result<RiskEstimate> parametric_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const VarSpec& spec) {
  return parametric_portfolio_var(covariance, exposures, Eigen::VectorXd::Zero(exposures.size()), spec);
}

core::Result<RiskEstimate> parametric_portfolio_var(const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                                    const Eigen::Ref<const Eigen::VectorXd>& exposures,
                                                    const Eigen::Ref<const Eigen::VectorXd>& mean_returns,
                                                    const VarSpec& spec) {
  BALLAST_TRY(internal::require_covariance(covariance));
  BALLAST_TRY(internal::require_size(exposures, covariance.rows(), "exposures", "the covariance"));
  BALLAST_TRY(internal::require_size(mean_returns, covariance.rows(), "mean_returns", "the covariance"));
  BALLAST_TRY(internal::require_finite_vector(exposures, "exposures"));
  BALLAST_TRY(internal::require_finite_vector(mean_returns, "mean_returns"));
  const double variance = exposures.dot(covariance * exposures);
  const double scale = exposures.cwiseAbs().dot(covariance.diagonal().cwiseSqrt().cwiseProduct(exposures.cwiseAbs()));
  if (variance < -1e-10 * scale * scale) {
    return invalid(fmt::format("covariance is not positive semidefinite: portfolio variance {}", variance),
                   "covariance");
  }
  return parametric_normal_var(exposures.dot(mean_returns), std::sqrt(std::max(variance, 0.0)), spec);
}

core::Result<PnlMoments> sample_moments(std::span<const double> pnl) {
  if (pnl.size() < 2) {
    return invalid(fmt::format("moments need at least 2 observations, got {}", pnl.size()), "pnl");
  }
  BALLAST_TRY(require_finite(pnl, "pnl"));
  const double n = static_cast<double>(pnl.size());
  const double mean = std::accumulate(pnl.begin(), pnl.end(), 0.0) / n;
  double m2 = 0.0;
  double m3 = 0.0;
  double m4 = 0.0;
  for (double x : pnl) {
    const double d = x - mean;
    const double d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  PnlMoments out;
  out.mean = mean;
  out.stdev = std::sqrt(m2 / (n - 1.0));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (m2 > 0.0) {
    out.skewness = m3 / (m2 * std::sqrt(m2));
    out.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  }
  return out;
}

core::Result<RiskEstimate> cornish_fisher_var(const PnlMoments& moments, const VarSpec& spec) {
  BALLAST_TRY(validate(spec));
  for (const auto& [value, name] :
       {std::pair{moments.mean, "mean"}, std::pair{moments.stdev, "stdev"}, std::pair{moments.skewness, "skewness"},
        std::pair{moments.excess_kurtosis, "excess_kurtosis"}}) {
    if (!std::isfinite(value)) return invalid(fmt::format("{} is {}; it must be finite", name, value), name);
  }
  if (moments.stdev < 0.0) return invalid(fmt::format("stdev must be non-negative, got {}", moments.stdev), "stdev");
  const double h = static_cast<double>(spec.horizon);
  const double skew = moments.skewness / std::sqrt(h);
  const double kurt = moments.excess_kurtosis / h;
  const double a2 = -skew / 6.0;  // losses have skewness −S
  const double a3 = kurt / 24.0;
  const double a4 = -skew * skew / 36.0;

  const double z = normal_quantile(spec.confidence);
  if (moments.stdev > 0.0) {
    // g′(x) = A x² + B x + C; its minimum over [z, z + 3] is at an end or at the vertex.
    const double qa = 3.0 * a3 + 6.0 * a4;
    const double qb = 2.0 * a2;
    const double qc = 1.0 - 3.0 * a3 - 5.0 * a4;
    auto slope = [&](double x) { return (qa * x + qb) * x + qc; };
    double lowest = std::min(slope(z), slope(z + 3.0));
    if (qa > 0.0) {
      const double vertex = -qb / (2.0 * qa);
      if (vertex > z && vertex < z + 3.0) lowest = std::min(lowest, slope(vertex));
    }
    if (lowest <= 0.0) {
      return core::Error(core::ErrorCode::OutOfRange,
                         fmt::format("Cornish-Fisher expansion is not monotone in the tail for skewness {} and excess "
                                     "kurtosis {} (horizon {}); use historical or Monte Carlo VaR",
                                     moments.skewness, moments.excess_kurtosis, spec.horizon),
                         "moments");
    }
  }
  const double g = z + a2 * (z * z - 1.0) + a3 * (z * z * z - 3.0 * z) + a4 * (2.0 * z * z * z - 5.0 * z);
  const double tail_average = 1.0 + a2 * z + a3 * (z * z - 1.0) + a4 * (2.0 * z * z - 1.0);
  const double scale = moments.stdev * std::sqrt(h);
  RiskEstimate r;
  r.var = scale * g - moments.mean * h;
  r.expected_shortfall = scale * normal_pdf(z) / (1.0 - spec.confidence) * tail_average - moments.mean * h;
  return r;
}

}  // namespace ballast::analytics
