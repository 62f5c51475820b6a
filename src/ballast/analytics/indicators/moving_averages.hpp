#pragma once
// Moving averages: SMA, EMA, WMA, DEMA, TEMA. Inputs and outputs are in the units of the input
// series (usually a price); periods count bars.
//
// Conventions shared by every indicator (docs/analytics/indicators.md):
//  - Each indicator is a batch function over a whole series and a streaming calculator with an O(1)
//    update; both run the same arithmetic in the same order and give identical values.
//  - Batch output has the input's length; the first lookback entries are NaN (TA-Lib Python wrapper
//    layout). `xxx_into` writes into a caller-owned span of the same length (no allocation), which is
//    the form to use in hot paths.
//  - Errors, never NaN soup: a period outside [1, 100000], a series too short for one output
//    (fewer than lookback + 1 values), or a NaN/infinite input (the error names the index).
//  - Streaming: update() returns NaN until ready(); value() repeats the last output. update() trusts
//    its input for speed: a non-finite value breaks a precondition and throws core::InvariantError.
//  - Seeds and lookbacks follow TA-Lib (unstable period 0, default compatibility):
//      SMA(p)   lookback p−1; the window sum times 1/p (within one ulp of sum/p).
//      EMA(p)   lookback p−1; seeded with the SMA of the first p values; k = 2/(p+1),
//               EMA_t = EMA_{t−1}·(1−k) + x_t·k.
//      WMA(p)   lookback p−1; weights 1..p, newest heaviest, divided by p(p+1)/2.
//      DEMA(p)  lookback 2(p−1); 2·EMA − EMA(EMA), the inner EMA seeded with the SMA of the first p
//               values of the outer one.
//      TEMA(p)  lookback 3(p−1); 3·EMA − 3·EMA(EMA) + EMA(EMA(EMA)), seeded the same way.
//  - Rolling sums (SMA, WMA) are updated by adding the new value and subtracting the old one, and
//    rebuilt exactly from the window every max(period, 1024) updates, so they cannot drift. The WMA
//    sums hold deviations from the window mean at the last rebuild, which keeps their digits. EMAs are
//    contractive recursions (each rounding error is damped by 1−k per step) and need no rebuild.

#include "ballast/analytics/indicators/indicator_support.hpp"
#include "ballast/core/result.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace ballast::analytics {

// ---- batch -------------------------------------------------------------------------------------

core::Result<std::vector<double>> sma(std::span<const double> values, int period);
core::Status sma_into(std::span<const double> values, int period, std::span<double> out);

core::Result<std::vector<double>> ema(std::span<const double> values, int period);
core::Status ema_into(std::span<const double> values, int period, std::span<double> out);

core::Result<std::vector<double>> wma(std::span<const double> values, int period);
core::Status wma_into(std::span<const double> values, int period, std::span<double> out);

core::Result<std::vector<double>> dema(std::span<const double> values, int period);
core::Status dema_into(std::span<const double> values, int period, std::span<double> out);

core::Result<std::vector<double>> tema(std::span<const double> values, int period);
core::Status tema_into(std::span<const double> values, int period, std::span<double> out);

namespace indicator_detail {

// EMA weights for a period: k = 2/(p+1) on the new value, 1−k on the previous average.
struct EmaWeights {
  double k = 1.0;
  double decay = 0.0;
};
inline EmaWeights ema_weights(int period) noexcept {
  const double k = 2.0 / (static_cast<double>(period) + 1.0);
  return {k, 1.0 - k};
}
// One EMA step; one multiply-add on the critical path.
inline double ema_step(double previous, double x, EmaWeights w) noexcept {
  return previous * w.decay + x * w.k;
}

// The SMA over x[0, n) on SmaCalculator's schedule: out[period−1] from a window_sum, then add-new /
// subtract-old updates with an exact rebuild every recompute_interval(period) updates.
// out[0, period−1) is left untouched. Requires n >= period.
void sma_kernel(const double* x, std::size_t n, int period, double* out) noexcept;

// Sliding WMA state. Values are kept relative to `ref`, the window mean at the last rebuild, so the
// weighted sum holds deviations (~p²·σ) rather than levels (~p²·price) and loses far fewer digits.
struct WmaState {
  double ref = 0.0;
  double sum = 0.0;       // Σ (x_j − ref)
  double weighted = 0.0;  // Σ (j+1)(x_j − ref), j = 0 oldest
  void rebuild(const double* window, std::size_t period) noexcept;
  void slide(double x_new, double x_old, double period_d) noexcept {
    const double d_new = x_new - ref;
    // Shifting the window lowers every old weight by one (− sum) and adds the new value at weight p.
    weighted += period_d * d_new - sum;
    sum += d_new - (x_old - ref);
  }
  double value(double divisor) const noexcept { return ref + weighted / divisor; }
};

// The EMA recursion over x[0, n): out[period−1] is the seed (sequential sum / period), out[i] for
// i >= period the recursion. out[0, period−1) is left untouched. Requires n >= period.
void ema_kernel(const double* x, std::size_t n, int period, double* out) noexcept;

}  // namespace indicator_detail

// ---- streaming ---------------------------------------------------------------------------------

class SmaCalculator {
 public:
  static core::Result<SmaCalculator> create(int period);
  // Inline (a crossover strategy updates two on every bar; the call cost a third of the update).
  double update(double x) {
    indicator_detail::require_finite_update("SMA", "value", x);
    value_ = mean_.push(x);  // NaN until the window is full
    return value_;
  }
  bool ready() const noexcept { return mean_.full(); }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit SmaCalculator(int period) : mean_(period), period_(period) {}

  indicator_detail::SlidingMean mean_;
  int period_;
  double value_ = indicator_detail::kNaN;
};

class EmaCalculator {
 public:
  static core::Result<EmaCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit EmaCalculator(int period);

  int period_;
  indicator_detail::EmaWeights weights_;
  int count_ = 0;
  double seed_sum_ = 0.0;
  double value_ = indicator_detail::kNaN;
};

class WmaCalculator {
 public:
  static core::Result<WmaCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit WmaCalculator(int period);

  indicator_detail::WindowBuffer window_;
  indicator_detail::WmaState state_;
  int period_;
  double period_d_;
  double divisor_;  // p(p+1)/2
  std::size_t recompute_every_;
  std::size_t since_recompute_ = 0;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

class DemaCalculator {
 public:
  static core::Result<DemaCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return inner_.ready(); }
  double value() const noexcept { return value_; }
  int period() const noexcept { return outer_.period(); }
  int lookback() const noexcept { return 2 * (outer_.period() - 1); }

 private:
  DemaCalculator(EmaCalculator outer, EmaCalculator inner) : outer_(outer), inner_(inner) {}

  EmaCalculator outer_;  // EMA(x)
  EmaCalculator inner_;  // EMA(EMA(x))
  double value_ = indicator_detail::kNaN;
};

class TemaCalculator {
 public:
  static core::Result<TemaCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return third_.ready(); }
  double value() const noexcept { return value_; }
  int period() const noexcept { return first_.period(); }
  int lookback() const noexcept { return 3 * (first_.period() - 1); }

 private:
  TemaCalculator(EmaCalculator first, EmaCalculator second, EmaCalculator third)
      : first_(first), second_(second), third_(third) {}

  EmaCalculator first_;   // EMA(x)
  EmaCalculator second_;  // EMA(EMA(x))
  EmaCalculator third_;   // EMA(EMA(EMA(x)))
  double value_ = indicator_detail::kNaN;
};

}  // namespace ballast::analytics
