#pragma once
// Sample statistics shared by the volatility and performance code: means, variances, percentiles,
// higher moments, and a sliding-window accumulator so rolling estimates cost O(n), not O(n·window).
//
// Conventions:
//  - sample_variance divides by n − 1 (numpy ddof=1, pandas default).
//  - linear_percentile matches numpy.percentile's default "linear" method (and pandas' quantile):
//    the q-th percentile of the sorted x[0..n−1] sits at position h = (n − 1)·q/100 and is
//    x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
//  - Moments: MomentEstimator::BiasCorrected is pandas' Series.skew()/Series.kurt() (scipy.stats
//    skew/kurtosis with bias=False): G1 = g1·√(n(n−1))/(n−2) and
//    G2 = ((n+1)·g2 + 6)·(n−1)/((n−2)(n−3)), where g1 = m3/m2^1.5 and g2 = m4/m2² − 3 are the
//    population (biased) moment ratios that MomentEstimator::Population returns (scipy's default,
//    bias=True). Kurtosis is always EXCESS kurtosis (0 for a normal distribution).
// These helpers take already-validated (finite) input; the public metric functions check it.

#include "ballast/analytics/statistic.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace ballast::analytics {

enum class MomentEstimator {
  Population,     // g1, g2: scipy.stats.skew / kurtosis with bias=True (scipy's default)
  BiasCorrected,  // G1, G2: pandas Series.skew() / Series.kurt(); scipy with bias=False
};

// A rolling estimate: values[k] is the estimate for the window that ENDS at input index
// first_index + k (so the series is aligned with its input without NaN padding).
struct RollingSeries {
  std::size_t first_index = 0;
  std::vector<double> values;
};

// A rolling series of statistics that may be undefined (rolling Sharpe over a flat window).
struct RollingStatistics {
  std::size_t first_index = 0;
  std::vector<Statistic> values;
};

// True when every value equals the first (an empty or one-value span is constant). Exact, unlike a
// computed variance, which can leave rounding residue of order 1e-36 on a constant series.
bool is_constant(std::span<const double> x) noexcept;

// Arithmetic mean. Requires a non-empty span.
double sample_mean(std::span<const double> x);
// Unbiased variance (divides by n − 1), two-pass. Requires at least two values.
double sample_variance(std::span<const double> x);
// √sample_variance.
double sample_stdev(std::span<const double> x);
// numpy-style linear percentile, q in [0, 100]. Requires a non-empty span.
double linear_percentile(std::span<const double> x, double q);
// Skewness; undefined (ZeroVariance) for a constant series, (TooFewObservations) below 3 values
// (BiasCorrected) or 2 values (Population).
Statistic skewness(std::span<const double> x, MomentEstimator estimator = MomentEstimator::BiasCorrected);
// Excess kurtosis; undefined (ZeroVariance) for a constant series, (TooFewObservations) below 4 values
// (BiasCorrected) or 2 values (Population).
Statistic excess_kurtosis(std::span<const double> x, MomentEstimator estimator = MomentEstimator::BiasCorrected);

// Mean and variance of a sliding window in O(1) per step (Welford's update and its inverse).
// A constant window gives exactly zero variance; rounding can leave a tiny negative M2 after many
// removals, which is clamped to zero.
class RollingMoments {
 public:
  void add(double x) noexcept;
  // Removes a value previously added (the oldest in a sliding window). Requires count() > 0.
  void remove(double x);
  std::size_t count() const noexcept { return n_; }
  double mean() const noexcept { return mean_; }
  // Requires count() >= 2.
  double sample_variance() const;

 private:
  std::size_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;  // Σ (x − mean)²
};

// Tracks whether the last `window` values added are all equal, in O(1) per value: the length of
// the current run of equal values is at least the window exactly when the window is constant.
class ConstantRunTracker {
 public:
  void add(double x) noexcept {
    run_ = (run_ > 0 && x == last_) ? run_ + 1 : 1;
    last_ = x;
  }
  bool last_window_constant(std::size_t window) const noexcept { return run_ >= window; }

 private:
  std::size_t run_ = 0;
  double last_ = 0.0;
};

// Sum of a sliding window with Neumaier compensation, so adding and removing thousands of terms does
// not accumulate rounding drift.
class RollingSum {
 public:
  void add(double x) noexcept;
  void remove(double x) noexcept { add(-x); }
  double sum() const noexcept { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

}  // namespace ballast::analytics
