#include "ballast/analytics/sample_stats.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::analytics {

bool is_constant(std::span<const double> x) noexcept {
  for (double v : x) {
    if (v != x.front()) return false;
  }
  return true;
}

double sample_mean(std::span<const double> x) {
  BALLAST_REQUIRE(!x.empty(), "the mean of an empty series is undefined");
  double sum = 0.0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double sample_variance(std::span<const double> x) {
  BALLAST_REQUIRE(x.size() >= 2, fmt::format("a sample variance needs at least 2 values, got {}", x.size()));
  const double m = sample_mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return ss / static_cast<double>(x.size() - 1);
}

double sample_stdev(std::span<const double> x) {
  return std::sqrt(sample_variance(x));
}

double linear_percentile(std::span<const double> x, double q) {
  BALLAST_REQUIRE(!x.empty(), "the percentile of an empty series is undefined");
  BALLAST_REQUIRE(q >= 0.0 && q <= 100.0, fmt::format("percentile must be in [0, 100], got {}", q));
  // Only the order statistics lo and lo + 1 are needed: selection (linear) instead of a full sort, the
  // same values (a backtest's return series has hundreds of thousands of points).
  std::vector<double> values(x.begin(), x.end());
  const double h = static_cast<double>(values.size() - 1) * q / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values.begin(), nth, values.end());
  if (lo + 1 >= values.size()) return *nth;
  const double next = *std::min_element(nth + 1, values.end());  // the (lo + 1)-th smallest
  const double frac = h - static_cast<double>(lo);
  return *nth + frac * (next - *nth);
}

namespace {
struct CentralMoments {
  double m2 = 0.0;
  double m3 = 0.0;
  double m4 = 0.0;
};

// Population central moments m_k = Σ (x − mean)^k / n.
CentralMoments central_moments(std::span<const double> x) {
  const double m = sample_mean(x);
  CentralMoments c;
  for (double v : x) {
    const double d = v - m;
    const double d2 = d * d;
    c.m2 += d2;
    c.m3 += d2 * d;
    c.m4 += d2 * d2;
  }
  const auto n = static_cast<double>(x.size());
  c.m2 /= n;
  c.m3 /= n;
  c.m4 /= n;
  return c;
}

// A variance this small relative to the data's scale is rounding noise around a constant series.
bool is_rounding_noise(std::span<const double> x, double m2) {
  double scale = 0.0;
  for (double v : x) scale = std::max(scale, std::abs(v));
  return m2 <= 1e-28 * std::max(scale * scale, 1e-300);
}
}  // namespace

Statistic skewness(std::span<const double> x, MomentEstimator estimator) {
  const std::size_t min_n = estimator == MomentEstimator::BiasCorrected ? 3 : 2;
  if (x.size() < min_n) return Statistic::undefined(UndefinedReason::TooFewObservations);
  const CentralMoments c = central_moments(x);
  if (is_constant(x) || is_rounding_noise(x, c.m2)) return Statistic::undefined(UndefinedReason::ZeroVariance);
  const double g1 = c.m3 / std::pow(c.m2, 1.5);
  if (estimator == MomentEstimator::Population) return Statistic::of(g1);
  const auto n = static_cast<double>(x.size());
  return Statistic::of(g1 * std::sqrt(n * (n - 1.0)) / (n - 2.0));
}

Statistic excess_kurtosis(std::span<const double> x, MomentEstimator estimator) {
  const std::size_t min_n = estimator == MomentEstimator::BiasCorrected ? 4 : 2;
  if (x.size() < min_n) return Statistic::undefined(UndefinedReason::TooFewObservations);
  const CentralMoments c = central_moments(x);
  if (is_constant(x) || is_rounding_noise(x, c.m2)) return Statistic::undefined(UndefinedReason::ZeroVariance);
  const double g2 = c.m4 / (c.m2 * c.m2) - 3.0;
  if (estimator == MomentEstimator::Population) return Statistic::of(g2);
  const auto n = static_cast<double>(x.size());
  return Statistic::of(((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)));
}

void RollingMoments::add(double x) noexcept {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void RollingMoments::remove(double x) {
  BALLAST_REQUIRE(n_ > 0, "RollingMoments::remove on an empty window");
  if (n_ == 1) {
    n_ = 0;
    mean_ = 0.0;
    m2_ = 0.0;
    return;
  }
  const double delta = x - mean_;
  --n_;
  mean_ -= delta / static_cast<double>(n_);
  m2_ -= delta * (x - mean_);
  if (m2_ < 0.0) m2_ = 0.0;
}

double RollingMoments::sample_variance() const {
  BALLAST_REQUIRE(n_ >= 2, fmt::format("a sample variance needs at least 2 values, got {}", n_));
  return m2_ / static_cast<double>(n_ - 1);
}

void RollingSum::add(double x) noexcept {
  const double t = sum_ + x;
  if (std::abs(sum_) >= std::abs(x)) {
    compensation_ += (sum_ - t) + x;
  } else {
    compensation_ += (x - t) + sum_;
  }
  sum_ = t;
}

}  // namespace ballast::analytics
