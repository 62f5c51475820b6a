#pragma once
// Volatility and bands: rolling standard deviation, Bollinger Bands, ATR, NATR, Donchian channel,
// Keltner channel. Outputs are in the units of the input prices, except NATR (percent of the close).
//
// Batch/streaming/error conventions are those of moving_averages.hpp. Definitions and lookbacks:
//   Rolling stddev(p)  lookback p−1; POPULATION standard deviation of the last p values (divides by
//                      p, as TA-Lib STDDEV with nbdev 1).
//   Bollinger(p, ku, kd)  lookback p−1; middle = SMA(p), upper = middle + ku·σ, lower = middle − kd·σ,
//                      σ the population standard deviation (TA-Lib BBANDS with SMA). Defaults 20/2/2
//                      are Bollinger's (TA-Lib's default period is 5).
//   ATR(p)             lookback p; true range TR_t = max(H−L, |H−C_{t−1}|, |L−C_{t−1}|) from bar 1 on;
//                      seeded with the simple average of TR_1..TR_p, then Wilder's smoothing
//                      ATR_t = ATR_{t−1}·(p−1)/p + TR_t/p (TA-Lib ATR).
//   NATR(p)            lookback p; 100·ATR_t/C_t. A zero close where NATR is defined is an error
//                      (TA-Lib writes 0).
//   Donchian(p)        lookback p−1; upper = highest high, lower = lowest low of the last p bars
//                      INCLUDING the current one (TA-Lib MAX/MIN); middle = (upper + lower)/2.
//                      Breakout systems that compare today's price with the previous p bars should
//                      read the channel one bar back.
//   Keltner(e, a, m)   lookback max(e−1, a); middle = EMA(close, e), upper/lower = middle ± m·ATR(a)
//                      (StockCharts' modern definition; not in TA-Lib). All three outputs start at
//                      the lookback.
//
// Numerics: the window holds Σd and Σd² of d = x − ref, deviations from a reference `ref` near the
// window mean, updated per value as Σd += δ, Σd² += δ·(d_new + d_old) with δ = d_new − d_old (exactly
// d_new² − d_old² in real arithmetic, with one rounding). The window's M2 = Σ(x − mean)² is
// Σd² − Σd·(Σd/p), and σ = √(max(M2, 0)/p). The reference is re-centred on the current window mean and
// both sums are rebuilt exactly from the window every max(period, 64) updates (recentre_interval), so the
// window mean is never more than that many steps of the series away from ref: the subtraction
// Σd² − (Σd)²/p then cancels only a few bits, unlike TA-Lib's E[x²] − E[x]² on raw prices, which loses
// every digit when the level is large and the spread small (and gives σ ≈ √ε·level for a constant
// series). Nothing drifts over a long run. A constant series gives σ far below an ulp of its level (0
// once ref sits on the value) and a Bollinger width of 0 up to that. The middle band is ref + Σd/p,
// equal to sma() up to rounding. (Accuracy against a long-double two-pass reference, with its bound:
// tests/analytics/indicators_bollinger_accuracy_test.cpp.) The per-value step has no chain but the two running sums, and σ and the bands come from
// (Σd, Σd²) alone, so the batch form computes them in a second, vectorised pass; the calculators run the
// same schedule and operations and give the same values bit for bit.

#include "ballast/analytics/indicators/indicator_support.hpp"
#include "ballast/analytics/indicators/moving_averages.hpp"
#include "ballast/core/result.hpp"

#include <cmath>
#include <span>
#include <vector>

namespace ballast::analytics {

struct BandSeries {
  std::vector<double> middle;
  std::vector<double> upper;
  std::vector<double> lower;
};

struct BandPoint {
  double middle = indicator_detail::kNaN;
  double upper = indicator_detail::kNaN;
  double lower = indicator_detail::kNaN;
};

namespace indicator_detail {

// How often RollingMoments re-centres its reference and rebuilds its sums from the window.
inline constexpr std::size_t kMinRecentreInterval = 64;
inline std::size_t recentre_interval(int period) noexcept {
  const auto p = static_cast<std::size_t>(period);
  return p > kMinRecentreInterval ? p : kMinRecentreInterval;
}

// Σd and Σd² over a window of `period` values, d = x − ref, shared by the rolling standard deviation
// and Bollinger Bands (batch and streaming). Means and variances multiply by 1/p rather than divide.
struct RollingMoments {
  double ref = 0.0;
  double sum = 0.0;  // Σ (x − ref)
  double sq = 0.0;   // Σ (x − ref)²

  // The first window: ref is its mean.
  void start(const double* window, std::size_t period, double inv_period) noexcept {
    rebuild(window, period, window_sum(window, period) * inv_period);
  }
  // Every recentre_interval updates: ref moves to the current window mean, sums rebuilt exactly.
  void recentre(const double* window, std::size_t period, double inv_period) noexcept {
    rebuild(window, period, ref + sum * inv_period);
  }
  void rebuild(const double* window, std::size_t period, double new_ref) noexcept {
    ref = new_ref;
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    double q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= period; i += 4) {
      const double d0 = window[i] - ref, d1 = window[i + 1] - ref, d2 = window[i + 2] - ref, d3 = window[i + 3] - ref;
      s0 += d0;
      s1 += d1;
      s2 += d2;
      s3 += d3;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
    }
    for (; i < period; ++i) {
      const double d = window[i] - ref;
      s0 += d;
      q0 += d * d;
    }
    sum = (s0 + s1) + (s2 + s3);
    sq = (q0 + q1) + (q2 + q3);
  }
  void slide(double x_new, double x_old) noexcept { slide(x_new, x_old, ref, sum, sq); }
  // The same step on loose scalars, which a batch loop keeps in registers.
  static void slide(double x_new, double x_old, double ref, double& sum, double& sq) noexcept {
    const double d_new = x_new - ref;
    const double d_old = x_old - ref;
    const double delta = d_new - d_old;
    sum += delta;
    sq += delta * (d_new + d_old);
  }
  // Σ (x − mean)² of the window; can be a hair below 0 when σ ≈ 0.
  static double m2(double sum, double sq, double inv_period) noexcept { return sq - sum * (sum * inv_period); }
  // Population standard deviation from M2. The batch form's vector pass computes √(max(M2, 0)·(1/p)),
  // which is the same value for every M2 (0 when M2 <= 0).
  static double stddev(double m2, double inv_period) noexcept { return m2 > 0.0 ? std::sqrt(m2 * inv_period) : 0.0; }
  double average(double inv_period) const noexcept { return ref + sum * inv_period; }
  double stddev(double inv_period) const noexcept { return stddev(m2(sum, sq, inv_period), inv_period); }
};

}  // namespace indicator_detail

// ---- rolling standard deviation ---------------------------------------------------------------

core::Result<std::vector<double>> rolling_stddev(std::span<const double> values, int period);
core::Status rolling_stddev_into(std::span<const double> values, int period, std::span<double> out);

class RollingStdDevCalculator {
 public:
  static core::Result<RollingStdDevCalculator> create(int period);
  double update(double x);
  bool ready() const noexcept { return count_ >= period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit RollingStdDevCalculator(int period);

  indicator_detail::WindowBuffer window_;
  indicator_detail::RollingMoments moments_;
  int period_;
  double inv_period_;
  std::size_t recentre_every_;
  std::size_t since_recentre_ = 0;
  int count_ = 0;
  double value_ = indicator_detail::kNaN;
};

// ---- Bollinger Bands ---------------------------------------------------------------------------

struct BollingerParams {
  int period = 20;
  double upper_multiplier = 2.0;  // σ above the middle band
  double lower_multiplier = 2.0;  // σ below the middle band
};

core::Status validate(const BollingerParams& params);

core::Result<BandSeries> bollinger(std::span<const double> values, const BollingerParams& params = {});
core::Status bollinger_into(std::span<const double> values, const BollingerParams& params, std::span<double> middle_out,
                            std::span<double> upper_out, std::span<double> lower_out);

class BollingerCalculator {
 public:
  static core::Result<BollingerCalculator> create(const BollingerParams& params = {});
  BandPoint update(double x);
  bool ready() const noexcept { return count_ >= params_.period; }
  BandPoint value() const noexcept { return value_; }
  const BollingerParams& params() const noexcept { return params_; }
  int lookback() const noexcept { return params_.period - 1; }

 private:
  explicit BollingerCalculator(const BollingerParams& params);

  indicator_detail::WindowBuffer window_;
  indicator_detail::RollingMoments moments_;
  BollingerParams params_;
  double inv_period_;
  std::size_t recentre_every_;
  std::size_t since_recentre_ = 0;
  int count_ = 0;
  BandPoint value_;
};

// ---- ATR and NATR ------------------------------------------------------------------------------

core::Result<std::vector<double>> atr(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period);
core::Status atr_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> out);

core::Result<std::vector<double>> natr(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, int period);
core::Status natr_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       int period, std::span<double> out);

class AtrCalculator {
 public:
  static core::Result<AtrCalculator> create(int period);
  double update(double high, double low, double close);
  bool ready() const noexcept { return count_ > period_; }
  double value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_; }

 private:
  explicit AtrCalculator(int period) : period_(period), weights_(indicator_detail::wilder_weights(period)) {}

  int period_;
  indicator_detail::WilderWeights weights_;
  int count_ = 0;
  double previous_close_ = 0.0;
  double atr_ = 0.0;  // running sum of true ranges during the seed, the average after
  double value_ = indicator_detail::kNaN;
};

class NatrCalculator {
 public:
  static core::Result<NatrCalculator> create(int period);
  // Throws core::InvariantError on a zero close once NATR is defined (the batch form's error).
  double update(double high, double low, double close);
  bool ready() const noexcept { return atr_.ready(); }
  double value() const noexcept { return value_; }
  int period() const noexcept { return atr_.period(); }
  int lookback() const noexcept { return atr_.lookback(); }

 private:
  explicit NatrCalculator(AtrCalculator atr) : atr_(atr) {}

  AtrCalculator atr_;
  int count_ = 0;  // updates seen, saturating at period
  double value_ = indicator_detail::kNaN;
};

// ---- Donchian channel --------------------------------------------------------------------------

core::Result<BandSeries> donchian(std::span<const double> high, std::span<const double> low, int period);
core::Status donchian_into(std::span<const double> high, std::span<const double> low, int period,
                           std::span<double> middle_out, std::span<double> upper_out, std::span<double> lower_out);

class DonchianCalculator {
 public:
  static core::Result<DonchianCalculator> create(int period);
  BandPoint update(double high, double low);
  bool ready() const noexcept { return count_ >= period_; }
  BandPoint value() const noexcept { return value_; }
  int period() const noexcept { return period_; }
  int lookback() const noexcept { return period_ - 1; }

 private:
  explicit DonchianCalculator(int period) : period_(period), highest_(period), lowest_(period) {}

  int period_;
  indicator_detail::RollingExtremum<true> highest_;
  indicator_detail::RollingExtremum<false> lowest_;
  int count_ = 0;
  BandPoint value_;
};

// ---- Keltner channel ---------------------------------------------------------------------------

struct KeltnerParams {
  int ema_period = 20;
  int atr_period = 10;
  double multiplier = 2.0;  // ATRs above and below the middle line
};

core::Status validate(const KeltnerParams& params);
// max(ema_period − 1, atr_period); requires valid params.
int keltner_lookback(const KeltnerParams& params) noexcept;

core::Result<BandSeries> keltner(std::span<const double> high, std::span<const double> low,
                                 std::span<const double> close, const KeltnerParams& params = {});
core::Status keltner_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                          const KeltnerParams& params, std::span<double> middle_out, std::span<double> upper_out,
                          std::span<double> lower_out);

class KeltnerCalculator {
 public:
  static core::Result<KeltnerCalculator> create(const KeltnerParams& params = {});
  BandPoint update(double high, double low, double close);
  bool ready() const noexcept { return ema_.ready() && atr_.ready(); }
  BandPoint value() const noexcept { return value_; }
  const KeltnerParams& params() const noexcept { return params_; }
  int lookback() const noexcept { return keltner_lookback(params_); }

 private:
  KeltnerCalculator(const KeltnerParams& params, EmaCalculator ema, AtrCalculator atr)
      : params_(params), ema_(ema), atr_(atr) {}

  KeltnerParams params_;
  EmaCalculator ema_;
  AtrCalculator atr_;
  BandPoint value_;
};

}  // namespace ballast::analytics
