#pragma once
// Plumbing shared by the technical indicators (indicators/*.hpp); not part of the indicator API.
//
//  - Parameter and series checks that turn bad input into a core::Error naming the parameter or the
//    index, so no indicator ever answers with NaN soup.
//  - The output convention: an output has the length of its input and its first `lookback` entries
//    are NaN (as in the TA-Lib Python wrapper).
//  - The building blocks whose exact order of floating-point operations the batch functions and the
//    streaming calculators share, which is what makes the two give identical values:
//      * WindowBuffer keeps the last `period` values contiguous and oldest-first (a mirrored ring),
//        so a window can be re-summed in the same order as the slice of a batch input;
//      * window_sum / window_sum_of_squared_deviations sum with four fixed accumulators;
//      * recompute_interval(period) is how often a rolling sum is rebuilt from its window, so that
//        add-new/subtract-old updates cannot drift however long a calculator runs;
//      * NeumaierSum is a compensated running sum for cumulative quantities (OBV, VWAP) that have no
//        window to rebuild from;
//      * RollingExtremum gives the rolling maximum or minimum in amortised O(1);
//      * SlidingMean is the SMA on sma_kernel's schedule, inline, for calculators that smooth an
//        internal series;
//      * ShiftedWindowSum is a window sum kept as deviations from a reference (CCI's mean).

#include "ballast/core/result.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace ballast::analytics::indicator_detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Same upper bound as TA-Lib; keeps 3·period and period² arithmetic far from overflow.
inline constexpr int kMaxPeriod = 100'000;
// A rolling sum is rebuilt from its window after this many incremental updates (or after `period`
// updates when the period is longer), so the rebuild costs at most one addition per update.
inline constexpr std::size_t kMinRecomputeInterval = 1024;

inline std::size_t recompute_interval(int period) noexcept {
  const auto p = static_cast<std::size_t>(period);
  return p > kMinRecomputeInterval ? p : kMinRecomputeInterval;
}

// `name` of `indicator` must lie in [min_value, kMaxPeriod].
core::Status check_period(std::string_view indicator, std::string_view name, int value, int min_value = 1);
// A band multiplier: finite and >= 0.
core::Status check_multiplier(std::string_view indicator, std::string_view name, double value);
// At least lookback + 1 values, so that at least one output exists.
core::Status check_length(std::string_view indicator, std::string_view what, std::size_t size, int lookback);
// Every value finite; the error names the first bad index.
core::Status check_finite(std::span<const double> values, std::string_view what);
// Companion series (high, low, close, volume, …) must have the length of the first one.
core::Status check_same_length(std::span<const double> first, std::string_view first_name, std::size_t size,
                               std::string_view name);
// An output span has the input's length and does not overlap `input`.
core::Status check_output(std::span<const double> input, std::span<const double> out, std::string_view out_name);
// Every value >= 0 (volumes); the error names the first bad index.
core::Status check_non_negative(std::span<const double> values, std::string_view what);
// values[first, size) all != 0 (denominators); the error names the first bad index.
core::Status check_non_zero(std::span<const double> values, std::string_view what, std::string_view why,
                            std::size_t first = 0);

// The usual checks of a one-input indicator, in order: period in [min_period, kMaxPeriod], output
// span of the input's length and not overlapping it, at least lookback + 1 values, all finite.
core::Status check_single_series(std::string_view indicator, std::span<const double> values, int period, int lookback,
                                 std::span<const double> out, int min_period = 1);
// The same without the finiteness scan, for kernels that guard their input (FiniteGuard below).
core::Status check_single_series_shape(std::string_view indicator, std::span<const double> values, int period,
                                       int lookback, std::span<const double> out, int min_period = 1);

// The usual checks of a high/low/close indicator: the three series aligned, at least lookback + 1
// bars, all finite. (Bar consistency, low <= close <= high, is the data module's job.)
core::Status check_bars(std::string_view indicator, std::span<const double> high, std::span<const double> low,
                        std::span<const double> close, int lookback);
// check_bars without the finiteness scan, for kernels that guard their input.
core::Status check_bars_shape(std::string_view indicator, std::span<const double> high, std::span<const double> low,
                              std::span<const double> close, int lookback);
// An output span of the bars' length that overlaps none of high, low, close.
core::Status check_bar_output(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                              std::span<const double> out, std::string_view out_name);

// Finiteness checks fused into a kernel's loop. A large batch is memory-bound, and a separate
// validation pass would stream every input from RAM a second time; a guard instead folds x − x (0
// for a finite x, NaN for NaN or ±inf, and NaN survives every sum) into one accumulator as the kernel
// reads each input value once, which costs an addition off the kernel's critical path. When the
// guard trips, the caller rescans with check_finite for the first bad index and the message.
class FiniteGuard {
 public:
  void see(double a) noexcept { acc_ += a - a; }
  void see(double a, double b, double c) noexcept { acc_ += (a - a) + (b - b) + (c - c); }
  bool clean() const noexcept { return !std::isnan(acc_); }

 private:
  double acc_ = 0.0;
};

// For kernels run on data already validated or derived from validated data.
struct NoGuard {
  void see(double) const noexcept {}
  void see(double, double, double) const noexcept {}
  bool clean() const noexcept { return true; }
};

// The allocating form of an `_into` function: a fresh output of `size` values filled by `into`.
template <class Into>
core::Result<std::vector<double>> run_allocating(std::size_t size, Into&& into) {
  std::vector<double> out(size);
  BALLAST_TRY(into(std::span<double>(out)));
  return out;
}

// Sets out[0, min(lookback, size)) to NaN.
void fill_nan_prefix(std::span<double> out, std::size_t lookback) noexcept;
inline std::vector<double> nan_vector(std::size_t size) {
  return std::vector<double>(size, kNaN);
}

// Streaming updates take their input on trust for speed; a value the batch function would reject
// is a broken precondition and throws core::InvariantError (the calculator's state is unchanged).
[[noreturn]] void throw_bad_update(std::string_view indicator, std::string_view what, double value,
                                   std::string_view requirement);
inline void require_finite_update(std::string_view indicator, std::string_view what, double value) {
  if (!std::isfinite(value)) [[unlikely]]
    throw_bad_update(indicator, what, value, "finite");
}
// The three checks of a bar at the cost of one branch: x − x is 0 for a finite x and NaN otherwise,
// and a NaN survives the sum. The slow path names the first bad field, as the separate checks would.
inline void require_finite_bar(std::string_view indicator, double high, double low, double close) {
  if (std::isnan((high - high) + (low - low) + (close - close))) [[unlikely]] {
    require_finite_update(indicator, "high", high);
    require_finite_update(indicator, "low", low);
    require_finite_update(indicator, "close", close);
  }
}

// Wilder's smoothing, avg_t = avg_{t−1}·(p−1)/p + x_t/p, as one multiply-add on the critical path.
struct WilderWeights {
  double keep = 0.0;   // (p−1)/p
  double share = 1.0;  // 1/p
};
inline WilderWeights wilder_weights(int period) noexcept {
  const auto p = static_cast<double>(period);
  return {(p - 1.0) / p, 1.0 / p};
}
inline double wilder_step(double average, double x, WilderWeights w) noexcept {
  return average * w.keep + x * w.share;
}

// True range of a bar given the previous close: max(H − L, |H − C_prev|, |L − C_prev|).
inline double true_range(double high, double low, double previous_close) noexcept {
  const double a = high - low;
  const double b = std::abs(high - previous_close);
  const double c = std::abs(low - previous_close);
  const double bc = b > c ? b : c;
  return a > bc ? a : bc;
}

// Sum with four interleaved accumulators, combined as (a0 + a1) + (a2 + a3): a fixed order (so batch
// and streaming agree bit for bit) that the compiler may keep in two SIMD registers.
inline double window_sum(const double* x, std::size_t n) noexcept {
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += x[i];
    a1 += x[i + 1];
    a2 += x[i + 2];
    a3 += x[i + 3];
  }
  for (; i < n; ++i) a0 += x[i];
  return (a0 + a1) + (a2 + a3);
}

// Σ (x_i − mean)², same accumulator layout as window_sum.
inline double window_sum_of_squared_deviations(const double* x, std::size_t n, double mean) noexcept {
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
    a0 += d0 * d0;
    a1 += d1 * d1;
    a2 += d2 * d2;
    a3 += d3 * d3;
  }
  for (; i < n; ++i) {
    const double d = x[i] - mean;
    a0 += d * d;
  }
  return (a0 + a1) + (a2 + a3);
}

// Neumaier's variant of Kahan summation: the running error of each addition is kept in `compensation`
// and folded in on read, so a cumulative sum over millions of values keeps full double precision.
class NeumaierSum {
 public:
  void add(double x) noexcept {
    const double t = sum_ + x;
    if (std::abs(sum_) >= std::abs(x)) {
      compensation_ += (sum_ - t) + x;
    } else {
      compensation_ += (x - t) + sum_;
    }
    sum_ = t;
  }
  double value() const noexcept { return sum_ + compensation_; }
  void reset() noexcept { sum_ = compensation_ = 0.0; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

// The last `capacity` values of a stream, allocated once. Every value is stored twice (at i and
// i + capacity), so window() is always one contiguous, oldest-first slice: the same memory layout as
// the slice of a batch input, at the cost of one extra store per push.
class WindowBuffer {
 public:
  WindowBuffer() = default;
  explicit WindowBuffer(int capacity)
      : data_(2 * static_cast<std::size_t>(capacity), 0.0), capacity_(static_cast<std::size_t>(capacity)) {}

  // Stores x and returns the value it displaces: the value pushed `capacity` pushes ago (0.0 while
  // the buffer is still filling).
  double push(double x) noexcept {
    const double displaced = data_[head_];
    data_[head_] = x;
    data_[head_ + capacity_] = x;
    if (++head_ == capacity_) head_ = 0;
    return displaced;
  }
  // The last capacity() values, oldest first (meaningful once capacity() values were pushed).
  const double* window() const noexcept { return data_.data() + head_; }
  // The value that the next push displaces.
  double oldest() const noexcept { return data_[head_]; }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::vector<double> data_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
};

// The sum of a sliding window held as deviations from `ref`, the window mean at the last rebuild:
// slide() adds (x_new − ref) − (x_old − ref). While the window's values stay within a factor of two
// of ref, each x − ref is exact (Sterbenz) and a multiple of the values' ulp, so the running sum is
// exact as long as it stays below 2^53 of those ulps, i.e. for any price series short of a doubling
// within one rebuild interval. Then mean() = ref + sum/p is the correctly rounded window mean up to
// the rounding of sum × (1/p) — and a flat window gives exactly its value, which keeps flat-market
// special cases exact.
struct ShiftedWindowSum {
  double ref = 0.0;
  double sum = 0.0;  // Σ (x − ref) over the window

  void rebuild(const double* window, std::size_t n, double inv_n) noexcept {
    ref = window_sum(window, n) * inv_n;
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 += window[i] - ref;
      a1 += window[i + 1] - ref;
      a2 += window[i + 2] - ref;
      a3 += window[i + 3] - ref;
    }
    for (; i < n; ++i) a0 += window[i] - ref;
    sum = (a0 + a1) + (a2 + a3);
  }
  void slide(double x_new, double x_old) noexcept { sum += (x_new - ref) - (x_old - ref); }
  double mean(double inv_n) const noexcept { return ref + sum * inv_n; }
};

// The simple moving average of the last `period` values pushed, on sma_kernel's schedule (rebuilt
// with window_sum at the first full window and every recompute_interval(period) updates after it,
// add-new/subtract-old in between), so it gives sma_kernel's values bit for bit. SmaCalculator and
// the calculators that smooth an internal series (stochastic %K and %D) hold one; being inline and
// free of input checks, it costs those a few instructions per update rather than a call.
class SlidingMean {
 public:
  SlidingMean() = default;
  explicit SlidingMean(int period)
      : window_(period),
        inv_period_(1.0 / static_cast<double>(period)),
        recompute_every_(recompute_interval(period)),
        period_(period) {}

  // Adds x and returns the mean of the last `period` values, NaN while fewer were pushed.
  double push(double x) noexcept {
    // sum_ is read before the window's stores: a double store could alias it, which would make the
    // compiler reload it from memory after them.
    double sum = sum_;
    const double displaced = window_.push(x);
    // One counter serves both rare cases, so a steady-state push tests a single branch: it is 1 while
    // the window fills, and counts down the slides to the next rebuild after that.
    if (--countdown_ == 0) [[unlikely]] {
      if (count_ < period_ && ++count_ < period_) {
        countdown_ = 1;
        return kNaN;
      }
      countdown_ = recompute_every_;
      sum = window_sum(window_.window(), window_.capacity());
    } else {
      sum += x - displaced;
    }
    sum_ = sum;
    return sum * inv_period_;
  }
  bool full() const noexcept { return count_ >= period_; }
  int period() const noexcept { return period_; }

 private:
  WindowBuffer window_;
  double sum_ = 0.0;
  double inv_period_ = 1.0;
  std::size_t recompute_every_ = kMinRecomputeInterval;
  std::size_t countdown_ = 1;  // pushes until the next full-window sum (see push)
  int period_ = 1;
  int count_ = 0;
};

// Rolling maximum (kMax = true) or minimum of the last `period` values: van Herk / Gil-Werman.
// The stream is cut into blocks of `period` values. A window ending at offset r of the current block
// is the suffix of the previous block from r+1 plus the prefix of the current block up to r, so its
// extreme is extreme(suffix_[r+1], running prefix extreme). When a block completes, its suffix
// extremes are computed once (period comparisons every period pushes: amortised O(1), with no
// data-dependent branches — unlike a monotonic deque, whose pops mispredict on noisy prices).
// Extremes are exact (no rounding), so batch functions and calculators agree trivially.
template <bool kMax>
class RollingExtremum {
 public:
  RollingExtremum() = default;
  explicit RollingExtremum(int period)
      : block_(static_cast<std::size_t>(period)),
        suffix_(static_cast<std::size_t>(period) + 1, kNone),
        period_(static_cast<std::size_t>(period)) {}

  // Adds the next value and returns the extreme of the last `period` values (fewer while filling).
  double push(double x) noexcept {
    // Loads before stores, kept in locals: a store into block_ could alias prefix_ (both doubles),
    // which would make the compiler reload it through memory on every push.
    const std::size_t offset = offset_;
    const double prefix = better(prefix_, x);
    const double extreme = better(suffix_[offset + 1], prefix);
    block_[offset] = x;
    prefix_ = prefix;
    if (offset + 1 == period_) [[unlikely]] {
      offset_ = 0;
      prefix_ = kNone;
      double e = kNone;
      for (std::size_t i = period_; i-- > 0;) {
        e = better(e, block_[i]);
        suffix_[i] = e;
      }
    } else {
      offset_ = offset + 1;
    }
    return extreme;
  }

 private:
  static constexpr double kNone =
      kMax ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  static double better(double a, double b) noexcept {
    if constexpr (kMax) {
      return a > b ? a : b;
    } else {
      return a < b ? a : b;
    }
  }

  std::vector<double> block_;   // the current block's values
  std::vector<double> suffix_;  // suffix extremes of the previous block; suffix_[period] = kNone
  std::size_t period_ = 0;
  std::size_t offset_ = 0;
  double prefix_ = kNone;
};

}  // namespace ballast::analytics::indicator_detail
