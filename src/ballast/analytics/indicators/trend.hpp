#pragma once
// Trend strength and direction: ADX with +DI/−DI (Wilder's directional movement system) and the
// slope of the least-squares line through the last `period` values. ADX and the DIs are in [0, 100];
// the slope is in input units per bar.
//
// Batch/streaming/error conventions are those of moving_averages.hpp. Definitions (TA-Lib, unstable
// period 0):
//   +DM_t = H_t − H_{t−1} when that exceeds L_{t−1} − L_t and is > 0, else 0; −DM_t likewise with the
//   roles swapped (an inside bar or equal moves give 0 to both). TR_t as for ATR.
//   Smoothed sums S(x) start as the plain sum of x_1..x_{p−1}; from bar p on S_t = S_{t−1}·(p−1)/p + x_t.
//   (Wilder's book starts from the sum of x_1..x_p; TA-Lib's variant, kept here, makes the first
//   S at bar p equal to (x_1+…+x_{p−1})·(p−1)/p + x_p. The difference decays like ((p−1)/p)^t.)
//   +DI = 100·S(+DM)/S(TR), −DI = 100·S(−DM)/S(TR), both 0 when S(TR) = 0; lookback p.
//   DX = 100·|+DI − −DI|/(+DI + −DI), 0 when both DIs are 0.
//   ADX: the mean of the first p DX values (bars p..2p−1), then Wilder's smoothing
//   ADX_t = ADX_{t−1}·(p−1)/p + DX_t/p; lookback 2p−1.
//   Linear-regression slope(p): lookback p−1, period >= 2; the least-squares slope of the last p
//   values against bar number (TA-Lib LINEARREG_SLOPE).
//
// Numerics: the slope is kept as C = Σ (j − j̄)(y_j − ref) with ref the window mean at the last
// rebuild, so a price level of 1e4 does not cancel away the digits of a slope of 1e-3; C and Σ(y − ref)
// slide in O(1) and are rebuilt exactly every max(period, 1024) updates. (TA-Lib re-sums n·Σxy − Σx·Σy
// from raw prices at every bar, O(period) and with that cancellation.)

#include "ballast/analytics/indicators/indicator_support.hpp"
#include "ballast/core/result.hpp"

#include <span>
#include <vector>

namespace ballast::analytics {

// ---- ADX / +DI / −DI ---------------------------------------------------------------------------

struct AdxSeries {
  std::vector<double> adx;       // lookback 2·period − 1
  std::vector<double> plus_di;   // lookback period
  std::vector<double> minus_di;  // lookback period
};

// ADX needs at least 2·period bars (its lookback + 1); the DIs are defined from bar `period`.
core::Result<AdxSeries> adx(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                            int period);
core::Status adx_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> adx_out, std::span<double> plus_di_out,
                      std::span<double> minus_di_out);

class AdxCalculator {
 public:
  static core::Result<AdxCalculator> create(int period);
  // Returns the ADX (NaN for the first 2·period − 1 bars); plus_di()/minus_di() are defined earlier.
  double update(double high, double low, double close);
  bool ready() const noexcept { return count_ >= 2 * period_; }
  bool di_ready() const noexcept { return count_ > period_; }
  double value() const noexcept { return adx_value_; }
  double plus_di() const noexcept { return plus_di_; }
  double minus_di() const noexcept { return minus_di_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return 2 * period_ - 1; }
  int di_lookback() const noexcept { return period_; }

 private:
  explicit AdxCalculator(int period) : period_(period), weights_(indicator_detail::wilder_weights(period)) {}

  int period_;
  indicator_detail::WilderWeights weights_;
  int count_ = 0;  // bars seen, saturating at 2·period
  double previous_high_ = 0.0;
  double previous_low_ = 0.0;
  double previous_close_ = 0.0;
  double plus_dm_ = 0.0;  // smoothed sums
  double minus_dm_ = 0.0;
  double tr_ = 0.0;
  double adx_ = 0.0;  // running sum of DX during the seed, the average after
  double plus_di_ = indicator_detail::kNaN;
  double minus_di_ = indicator_detail::kNaN;
  double adx_value_ = indicator_detail::kNaN;
};

// ---- linear-regression slope -------------------------------------------------------------------

namespace indicator_detail {

// Sliding least-squares slope state; see the header comment.
struct LinRegState {
  double ref = 0.0;       // level subtracted from every value in the window
  double sum = 0.0;       // Σ (y_j − ref)
  double centered = 0.0;  // Σ (j − j̄)(y_j − ref), j = 0 oldest
  void rebuild(const double* window, std::size_t period) noexcept;
  void slide(double y_new, double y_old, double period_d) noexcept {
    const double jbar = (period_d - 1.0) / 2.0;
    const double d_new = y_new - ref;
    const double d_old = y_old - ref;
    sum += d_new - d_old;
    // Shifting every index down by one subtracts the new window's Σ d; the old value leaves at
    // index 0 (weight −j̄) and the new one enters at index p − 1 (weight p − 1 − j̄).
    centered += jbar * d_old + (period_d - jbar) * d_new - sum;
  }
};

}  // namespace indicator_detail

core::Result<std::vector<double>> linreg_slope(std::span<const double> values, int period);
core::Status linreg_slope_into(std::span<const double> values, int period, std::span<double> out);

class LinRegSlopeCalculator {
 public:
  static core::Result<LinRegSlopeCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit LinRegSlopeCalculator(int period);

  indicator_detail::WindowBuffer window_;
  indicator_detail::LinRegState state_;
  int period_;
  double period_d_;
  double sxx_;  // Σ (j − j̄)² = p(p² − 1)/12
  std::size_t recompute_every_;
  std::size_t since_recompute_ = 0;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

}  // namespace ballast::analytics
