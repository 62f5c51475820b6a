#include "ballast/analytics/var_backtest.hpp"

#include "ballast/analytics/distributions.hpp"
#include "ballast/analytics/internal/risk_checks.hpp"
#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics {

namespace {

core::Error invalid(std::string message, std::string_view where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::string(where));
}

// count·ln(probability), with 0·ln(0) = 0.
double weighted_log(double count, double probability) {
  return count == 0.0 ? 0.0 : count * std::log(probability);
}

// Log-likelihood of `ones` successes and `zeros` failures under success probability p.
double bernoulli_log_likelihood(double zeros, double ones, double p) {
  return weighted_log(zeros, 1.0 - p) + weighted_log(ones, p);
}

// −2·(restricted − unrestricted); tiny negatives from rounding clamp to 0.
double likelihood_ratio(double restricted, double unrestricted) {
  const double lr = -2.0 * (restricted - unrestricted);
  return lr > 0.0 ? lr : 0.0;
}

}  // namespace

core::Result<std::vector<bool>> var_exceptions(std::span<const double> pnl, std::span<const double> var) {
  if (pnl.size() != var.size()) {
    return invalid(fmt::format("pnl has {} values but var has {}", pnl.size(), var.size()), "var");
  }
  BALLAST_TRY(require_finite(pnl, "pnl"));
  BALLAST_TRY(require_finite(var, "var"));
  std::vector<bool> hits(pnl.size());
  for (std::size_t t = 0; t < pnl.size(); ++t) hits[t] = -pnl[t] > var[t];
  return hits;
}

core::Result<double> kupiec_pof_statistic(std::size_t observations, std::size_t exceptions, double confidence) {
  BALLAST_TRY(internal::require_confidence(confidence));
  if (observations == 0) return invalid("Kupiec test needs at least one observation", "observations");
  if (exceptions > observations) {
    return invalid(fmt::format("{} exceptions exceed {} observations", exceptions, observations), "exceptions");
  }
  const double n = static_cast<double>(observations);
  const double x = static_cast<double>(exceptions);
  const double p = 1.0 - confidence;
  return likelihood_ratio(bernoulli_log_likelihood(n - x, x, p), bernoulli_log_likelihood(n - x, x, x / n));
}

core::Result<VarBacktest> backtest_var(const std::vector<bool>& hits, double confidence) {
  BALLAST_TRY(internal::require_confidence(confidence));
  if (hits.size() < 2) {
    return invalid(fmt::format("a VaR backtest needs at least 2 periods, got {}", hits.size()), "hits");
  }
  VarBacktest out;
  out.observations = hits.size();
  for (bool hit : hits) out.exceptions += hit ? 1 : 0;
  out.expected_rate = 1.0 - confidence;
  out.observed_rate = static_cast<double>(out.exceptions) / static_cast<double>(out.observations);
  auto pof = kupiec_pof_statistic(out.observations, out.exceptions, confidence);
  if (!pof) return pof.error();
  out.lr_pof = *pof;
  out.p_value_pof = chi_square_survival(out.lr_pof, 1);

  for (std::size_t t = 1; t < hits.size(); ++t) {
    const bool prev = hits[t - 1];
    const bool cur = hits[t];
    if (!prev && !cur) ++out.n00;
    if (!prev && cur) ++out.n01;
    if (prev && !cur) ++out.n10;
    if (prev && cur) ++out.n11;
  }
  const auto n00 = static_cast<double>(out.n00);
  const auto n01 = static_cast<double>(out.n01);
  const auto n10 = static_cast<double>(out.n10);
  const auto n11 = static_cast<double>(out.n11);
  const double pi01 = n00 + n01 > 0.0 ? n01 / (n00 + n01) : 0.0;
  const double pi11 = n10 + n11 > 0.0 ? n11 / (n10 + n11) : 0.0;
  const double pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  const double restricted = bernoulli_log_likelihood(n00 + n10, n01 + n11, pi);
  const double unrestricted = bernoulli_log_likelihood(n00, n01, pi01) + bernoulli_log_likelihood(n10, n11, pi11);
  out.lr_ind = likelihood_ratio(restricted, unrestricted);
  out.p_value_ind = chi_square_survival(out.lr_ind, 1);
  out.lr_cc = out.lr_pof + out.lr_ind;
  out.p_value_cc = chi_square_survival(out.lr_cc, 2);
  return out;
}

core::Result<VarBacktest> backtest_var(std::span<const double> pnl, std::span<const double> var, double confidence) {
  auto hits = var_exceptions(pnl, var);
  if (!hits) return hits.error();
  return backtest_var(*hits, confidence);
}

}  // namespace ballast::analytics
