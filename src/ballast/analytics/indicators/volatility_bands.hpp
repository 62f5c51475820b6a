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
// Numerics: the rolling variance is updated in Welford form, M2 += (x_new − x_old)·(x_new − mean_new +
// x_old − mean_old), on deviations from the window mean at the last rebuild. It never subtracts two
// large sums of squares (TA-Lib's E[x²] − E[x]² loses every digit when the mean is large and the
// spread small, and can give a σ > 0 for a constant series); sum and M2 are rebuilt exactly from the
// window every max(period, 1024) updates, so they do not drift. A constant series has σ = 0 and
// Bollinger width 0. The middle band is ref + mean deviation, equal to sma() up to rounding.

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

// Mean and M2 = Σ (x − mean)² of a window of `period` values, shared by the rolling standard
// deviation and Bollinger Bands (batch and streaming). Values are held as deviations from `ref`, the
// window mean at the last rebuild, so the Welford terms (x − mean) are computed from numbers of the
// size of σ rather than of the price level: with a level 1e5 times σ, the raw form loses about five
// more digits per update.
struct RollingMoments {
  double ref = 0.0;
  double sum = 0.0;   // Σ (x − ref)
  double mean = 0.0;  // mean of (x − ref)
  double m2 = 0.0;

  // Means and variances multiply by 1/p rather than divide: the divides would bound the batch loop.
  void rebuild(const double* window, std::size_t period, double inv_period) noexcept {
    ref = window_sum(window, period) * inv_period;
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
    mean = sum * inv_period;
    // Σ (d − mean)² = Σ d² − sum·mean; the correction is tiny because ref is the mean.
    m2 = ((q0 + q1) + (q2 + q3)) - sum * mean;
  }
  void slide(double x_new, double x_old, double inv_period) noexcept {
    slide(x_new, x_old, inv_period, ref, sum, mean, m2);
  }
  // The same step on loose scalars, which a batch loop keeps in registers.
  static void slide(double x_new, double x_old, double inv_period, double ref, double& sum, double& mean,
                    double& m2) noexcept {
    const double d_new = x_new - ref;
    const double d_old = x_old - ref;
    const double delta = d_new - d_old;
    const double old_mean = mean;
    sum += delta;
    mean = sum * inv_period;
    m2 += delta * ((d_new - mean) + (d_old - old_mean));
  }
  static double stddev(double m2, double inv_period) noexcept {
    // Rounding can leave M2 a hair below 0 when σ ≈ 0. (Measured: this form runs the batch loop
    // markedly faster than sqrt(max(M2, 0)·(1/p)).)
    return m2 > 0.0 ? std::sqrt(m2 * inv_period) : 0.0;
  }
  double average() const noexcept { return ref + mean; }
  // Population standard deviation.
  double stddev(double inv_period) const noexcept { return stddev(m2, inv_period); }
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
  std::size_t recompute_every_;
  std::size_t since_recompute_ = 0;
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
  std::size_t recompute_every_;
  std::size_t since_recompute_ = 0;
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
