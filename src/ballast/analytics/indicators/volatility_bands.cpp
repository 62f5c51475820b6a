#include "ballast/analytics/indicators/volatility_bands.hpp"

#include <emmintrin.h>

#include <algorithm>

namespace ballast::analytics {
namespace {

namespace ind = indicator_detail;
using ind::kNaN;

inline BandPoint bollinger_point(double average, double sd, double k_upper, double k_lower) noexcept {
  return {average, average + k_upper * sd, average - k_lower * sd};
}

// Where moments_kernel writes: the three bands (Bollinger) or σ alone (rolling stddev).
struct MomentsOut {
  double* middle = nullptr;  // null for σ alone
  double* upper = nullptr;   // receives σ when middle is null
  double* lower = nullptr;
  double k_upper = 0.0;
  double k_lower = 0.0;
};

// σ = √(max(M2, 0)/p) in place, two lanes at a time (M2 can be a hair below 0 when σ ≈ 0). Equal,
// bit for bit, to RollingMoments::stddev().
void stddev_from_m2(double* m2_sd, std::size_t n, double inv) noexcept {
  const __m128d vinv = _mm_set1_pd(inv);
  const __m128d zero = _mm_setzero_pd();
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    const __m128d m2 = _mm_max_pd(_mm_loadu_pd(m2_sd + j), zero);
    _mm_storeu_pd(m2_sd + j, _mm_sqrt_pd(_mm_mul_pd(m2, vinv)));
  }
  for (; j < n; ++j) m2_sd[j] = ind::RollingMoments::stddev(m2_sd[j], inv);
}

// upper = middle + ku·σ, lower = middle − kd·σ with σ from M2 held in `upper` on entry.
void bands_from_m2(const double* middle, double* upper, double* lower, std::size_t n, double inv, double k_upper,
                   double k_lower) noexcept {
  const __m128d vinv = _mm_set1_pd(inv);
  const __m128d zero = _mm_setzero_pd();
  const __m128d ku = _mm_set1_pd(k_upper);
  const __m128d kd = _mm_set1_pd(k_lower);
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    const __m128d sd = _mm_sqrt_pd(_mm_mul_pd(_mm_max_pd(_mm_loadu_pd(upper + j), zero), vinv));
    const __m128d mid = _mm_loadu_pd(middle + j);
    _mm_storeu_pd(upper + j, _mm_add_pd(mid, _mm_mul_pd(ku, sd)));
    _mm_storeu_pd(lower + j, _mm_sub_pd(mid, _mm_mul_pd(kd, sd)));
  }
  for (; j < n; ++j) {
    const double sd = ind::RollingMoments::stddev(upper[j], inv);
    upper[j] = middle[j] + k_upper * sd;
    lower[j] = middle[j] - k_lower * sd;
  }
}

// Rolling moments over x[0, n) on the calculators' schedule: rebuilt from the first full window,
// slid one value at a time, rebuilt again every recompute_interval(period) slides; outputs for every
// window ending at i >= period − 1.
// Input check: a NaN or ±inf entering the running sum keeps it non-finite until the next rebuild
// (NaN is sticky; an infinity that leaves again gives inf − inf = NaN), so showing `guard` the sum at
// the end of every block and after every rebuild catches any bad value without a per-point cost.
template <bool kBands, class Guard>
void moments_kernel(const double* x, std::size_t n, int period, const MomentsOut out, Guard& guard) {
  const auto p = static_cast<std::size_t>(period);
  const double inv = 1.0 / static_cast<double>(period);
  // Locals, not the struct's members, so the loop keeps them in registers.
  double* const middle = out.middle;
  double* const upper = out.upper;
  double* const lower = out.lower;
  const double k_upper = out.k_upper, k_lower = out.k_lower;
  ind::RollingMoments m;
  m.rebuild(x, p, inv);
  guard.see(m.sum + m.ref);
  std::size_t i = p - 1;
  const std::size_t every = ind::recompute_interval(period);
  while (true) {
    // Outputs for the window ending at i, just rebuilt; then slides, on scalars held in registers.
    {
      const double sd = m.stddev(inv);
      const double average = m.average();
      if constexpr (kBands) {
        middle[i] = average;
        upper[i] = average + k_upper * sd;
        lower[i] = average - k_lower * sd;
      } else {
        upper[i] = sd;
      }
    }
    if (++i >= n) break;
    const double ref = m.ref;
    double sum = m.sum, mean = m.mean, m2 = m.m2;
    const std::size_t start = i;
    const std::size_t stop = std::min(n, i + every - 1);
    // Two passes over a block of at most 1,023 points (L1-resident): the serial recursion stores the
    // mean and M2, then a vector pass takes the square roots and forms the bands. A square root in
    // the serial loop bounded it (~5.5 ns a point); two lanes at a time it costs a fraction of that.
    for (; i < stop; ++i) {
      ind::RollingMoments::slide(x[i], x[i - p], inv, ref, sum, mean, m2);
      if constexpr (kBands) middle[i] = ref + mean;
      upper[i] = m2;
    }
    if constexpr (kBands) {
      bands_from_m2(middle + start, upper + start, lower + start, stop - start, inv, k_upper, k_lower);
    } else {
      stddev_from_m2(upper + start, stop - start, inv);
    }
    guard.see(sum);
    if (i >= n) break;
    m.rebuild(x + i + 1 - p, p, inv);
    guard.see(m.sum + m.ref);
  }
}

// The ATR recursion over bars [0, n): out[period] is the seed (mean of TR_1..TR_period), then
// Wilder's smoothing. out[0, period) is left untouched. Requires n > period. Every bar is shown to
// `guard` once (bar 0's high and low too, though ATR never reads them).
template <class Guard>
void atr_kernel(const double* high, const double* low, const double* close, std::size_t n, int period, double* out,
                Guard& guard) {
  const auto p = static_cast<std::size_t>(period);
  guard.see(high[0], low[0], close[0]);
  double sum = 0.0;
  for (std::size_t i = 1; i <= p; ++i) {
    guard.see(high[i], low[i], close[i]);
    sum += ind::true_range(high[i], low[i], close[i - 1]);
  }
  double a = sum / static_cast<double>(period);
  out[p] = a;
  const ind::WilderWeights w = ind::wilder_weights(period);
  for (std::size_t i = p + 1; i < n; ++i) {
    guard.see(high[i], low[i], close[i]);
    a = ind::wilder_step(a, ind::true_range(high[i], low[i], close[i - 1]), w);
    out[i] = a;
  }
}

// After a guard tripped: the error naming the first non-finite high, low or close.
core::Status bar_finiteness_error(std::span<const double> high, std::span<const double> low,
                                  std::span<const double> close) {
  BALLAST_TRY(ind::check_finite(high, "high"));
  BALLAST_TRY(ind::check_finite(low, "low"));
  return ind::check_finite(close, "close");
}

inline double natr_value(double atr, double close) noexcept {
  return (atr / close) * 100.0;
}

inline BandPoint keltner_point(double middle, double atr, double multiplier) noexcept {
  return {middle, middle + multiplier * atr, middle - multiplier * atr};
}

core::Status check_band_outputs(std::span<const double> input, std::span<const double> middle,
                                std::span<const double> upper, std::span<const double> lower) {
  BALLAST_TRY(ind::check_output(input, middle, "middle_out"));
  BALLAST_TRY(ind::check_output(input, upper, "upper_out"));
  BALLAST_TRY(ind::check_output(input, lower, "lower_out"));
  BALLAST_TRY(ind::check_output(middle, upper, "upper_out"));
  BALLAST_TRY(ind::check_output(middle, lower, "lower_out"));
  return ind::check_output(upper, lower, "lower_out");
}

BandSeries band_series(std::size_t n) {
  return {std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
}

}  // namespace

// ---- rolling standard deviation ---------------------------------------------------------------

core::Status rolling_stddev_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(ind::check_single_series_shape("rolling stddev", values, period, period - 1, out));
  ind::fill_nan_prefix(out, static_cast<std::size_t>(period) - 1);
  double* y = out.data();
  ind::FiniteGuard guard;
  moments_kernel<false>(values.data(), values.size(), period, MomentsOut{nullptr, y, nullptr, 0.0, 0.0}, guard);
  return guard.clean() ? core::ok() : ind::check_finite(values, "values");
}

core::Result<std::vector<double>> rolling_stddev(std::span<const double> values, int period) {
  return ind::run_allocating(values.size(),
                             [&](std::span<double> out) { return rolling_stddev_into(values, period, out); });
}

RollingStdDevCalculator::RollingStdDevCalculator(int period)
    : window_(period),
      period_(period),
      inv_period_(1.0 / static_cast<double>(period)),
      recompute_every_(ind::recompute_interval(period)) {}

core::Result<RollingStdDevCalculator> RollingStdDevCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("rolling stddev", "period", period));
  return RollingStdDevCalculator(period);
}

double RollingStdDevCalculator::update(double x) {
  ind::require_finite_update("rolling stddev", "value", x);
  const double displaced = window_.push(x);
  if (count_ < period_) {
    if (++count_ < period_) return kNaN;
    moments_.rebuild(window_.window(), window_.capacity(), inv_period_);
  } else if (++since_recompute_ == recompute_every_) {
    since_recompute_ = 0;
    moments_.rebuild(window_.window(), window_.capacity(), inv_period_);
  } else {
    moments_.slide(x, displaced, inv_period_);
  }
  value_ = moments_.stddev(inv_period_);
  return value_;
}

// ---- Bollinger Bands ---------------------------------------------------------------------------

core::Status validate(const BollingerParams& params) {
  BALLAST_TRY(ind::check_period("Bollinger", "period", params.period));
  BALLAST_TRY(ind::check_multiplier("Bollinger", "upper_multiplier", params.upper_multiplier));
  return ind::check_multiplier("Bollinger", "lower_multiplier", params.lower_multiplier);
}

core::Status bollinger_into(std::span<const double> values, const BollingerParams& params, std::span<double> middle_out,
                            std::span<double> upper_out, std::span<double> lower_out) {
  BALLAST_TRY(validate(params));
  BALLAST_TRY(check_band_outputs(values, middle_out, upper_out, lower_out));
  const int lookback = params.period - 1;
  BALLAST_TRY(ind::check_length("Bollinger", "values", values.size(), lookback));
  ind::fill_nan_prefix(middle_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(upper_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(lower_out, static_cast<std::size_t>(lookback));
  const double k_upper = params.upper_multiplier;
  const double k_lower = params.lower_multiplier;
  double* mid = middle_out.data();
  double* up = upper_out.data();
  double* lo = lower_out.data();
  ind::FiniteGuard guard;
  moments_kernel<true>(values.data(), values.size(), params.period, MomentsOut{mid, up, lo, k_upper, k_lower}, guard);
  return guard.clean() ? core::ok() : ind::check_finite(values, "values");
}

core::Result<BandSeries> bollinger(std::span<const double> values, const BollingerParams& params) {
  BandSeries series = band_series(values.size());
  BALLAST_TRY(bollinger_into(values, params, series.middle, series.upper, series.lower));
  return series;
}

BollingerCalculator::BollingerCalculator(const BollingerParams& params)
    : window_(params.period),
      params_(params),
      inv_period_(1.0 / static_cast<double>(params.period)),
      recompute_every_(ind::recompute_interval(params.period)) {}

core::Result<BollingerCalculator> BollingerCalculator::create(const BollingerParams& params) {
  BALLAST_TRY(validate(params));
  return BollingerCalculator(params);
}

BandPoint BollingerCalculator::update(double x) {
  ind::require_finite_update("Bollinger", "value", x);
  const double displaced = window_.push(x);
  if (count_ < params_.period) {
    if (++count_ < params_.period) return {};
    moments_.rebuild(window_.window(), window_.capacity(), inv_period_);
  } else if (++since_recompute_ == recompute_every_) {
    since_recompute_ = 0;
    moments_.rebuild(window_.window(), window_.capacity(), inv_period_);
  } else {
    moments_.slide(x, displaced, inv_period_);
  }
  value_ = bollinger_point(moments_.average(), moments_.stddev(inv_period_), params_.upper_multiplier,
                           params_.lower_multiplier);
  return value_;
}

// ---- ATR and NATR ------------------------------------------------------------------------------

core::Status atr_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> out) {
  BALLAST_TRY(ind::check_period("ATR", "period", period));
  BALLAST_TRY(ind::check_bars_shape("ATR", high, low, close, period));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  ind::fill_nan_prefix(out, static_cast<std::size_t>(period));
  ind::FiniteGuard guard;
  atr_kernel(high.data(), low.data(), close.data(), high.size(), period, out.data(), guard);
  return guard.clean() ? core::ok() : bar_finiteness_error(high, low, close);
}

core::Result<std::vector<double>> atr(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period) {
  return ind::run_allocating(high.size(),
                             [&](std::span<double> out) { return atr_into(high, low, close, period, out); });
}

core::Status natr_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       int period, std::span<double> out) {
  BALLAST_TRY(ind::check_period("NATR", "period", period));
  BALLAST_TRY(ind::check_bars("NATR", high, low, close, period));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  const auto p = static_cast<std::size_t>(period);
  BALLAST_TRY(ind::check_non_zero(close, "close", "NATR divides the ATR by the close", p));
  ind::fill_nan_prefix(out, p);
  ind::NoGuard guard;
  atr_kernel(high.data(), low.data(), close.data(), high.size(), period, out.data(), guard);
  for (std::size_t i = p; i < out.size(); ++i) out[i] = natr_value(out[i], close[i]);
  return core::ok();
}

core::Result<std::vector<double>> natr(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, int period) {
  return ind::run_allocating(high.size(),
                             [&](std::span<double> out) { return natr_into(high, low, close, period, out); });
}

core::Result<AtrCalculator> AtrCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("ATR", "period", period));
  return AtrCalculator(period);
}

double AtrCalculator::update(double high, double low, double close) {
  ind::require_finite_update("ATR", "high", high);
  ind::require_finite_update("ATR", "low", low);
  ind::require_finite_update("ATR", "close", close);
  if (count_ == 0) {
    previous_close_ = close;
    count_ = 1;
    return kNaN;
  }
  const double tr = ind::true_range(high, low, previous_close_);
  previous_close_ = close;
  if (count_ <= period_) {
    atr_ += tr;
    if (++count_ <= period_) return kNaN;
    atr_ /= static_cast<double>(period_);
  } else {
    atr_ = ind::wilder_step(atr_, tr, weights_);
  }
  value_ = atr_;
  return value_;
}

core::Result<NatrCalculator> NatrCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("NATR", "period", period));
  return NatrCalculator(*AtrCalculator::create(period));
}

double NatrCalculator::update(double high, double low, double close) {
  // The update at index >= period produces a value and divides by its close; a zero close there is
  // rejected before the ATR state moves, so the throw leaves the calculator unchanged.
  const bool produces = count_ >= atr_.period();
  if (produces && close == 0.0) [[unlikely]] {
    ind::throw_bad_update("NATR", "close", close, "non-zero (NATR divides by it)");
  }
  const double a = atr_.update(high, low, close);
  if (!produces) {
    ++count_;
    return kNaN;
  }
  value_ = natr_value(a, close);
  return value_;
}

// ---- Donchian channel --------------------------------------------------------------------------

core::Status donchian_into(std::span<const double> high, std::span<const double> low, int period,
                           std::span<double> middle_out, std::span<double> upper_out, std::span<double> lower_out) {
  BALLAST_TRY(ind::check_period("Donchian", "period", period));
  BALLAST_TRY(ind::check_same_length(high, "high", low.size(), "low"));
  BALLAST_TRY(ind::check_length("Donchian", "high", high.size(), period - 1));
  BALLAST_TRY(ind::check_finite(high, "high"));
  BALLAST_TRY(ind::check_finite(low, "low"));
  BALLAST_TRY(check_band_outputs(high, middle_out, upper_out, lower_out));
  BALLAST_TRY(check_band_outputs(low, middle_out, upper_out, lower_out));
  const auto first = static_cast<std::size_t>(period) - 1;
  ind::fill_nan_prefix(middle_out, first);
  ind::fill_nan_prefix(upper_out, first);
  ind::fill_nan_prefix(lower_out, first);
  ind::RollingExtremum<true> highest(period);
  ind::RollingExtremum<false> lowest(period);
  for (std::size_t i = 0; i < high.size(); ++i) {
    const double hh = highest.push(high[i]);
    const double ll = lowest.push(low[i]);
    if (i < first) continue;
    upper_out[i] = hh;
    lower_out[i] = ll;
    middle_out[i] = (hh + ll) / 2.0;
  }
  return core::ok();
}

core::Result<BandSeries> donchian(std::span<const double> high, std::span<const double> low, int period) {
  BandSeries series = band_series(high.size());
  BALLAST_TRY(donchian_into(high, low, period, series.middle, series.upper, series.lower));
  return series;
}

core::Result<DonchianCalculator> DonchianCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("Donchian", "period", period));
  return DonchianCalculator(period);
}

BandPoint DonchianCalculator::update(double high, double low) {
  ind::require_finite_update("Donchian", "high", high);
  ind::require_finite_update("Donchian", "low", low);
  const double hh = highest_.push(high);
  const double ll = lowest_.push(low);
  if (count_ < period_ && ++count_ < period_) return {};
  value_ = {(hh + ll) / 2.0, hh, ll};
  return value_;
}

// ---- Keltner channel ---------------------------------------------------------------------------

core::Status validate(const KeltnerParams& params) {
  BALLAST_TRY(ind::check_period("Keltner", "ema_period", params.ema_period));
  BALLAST_TRY(ind::check_period("Keltner", "atr_period", params.atr_period));
  return ind::check_multiplier("Keltner", "multiplier", params.multiplier);
}

int keltner_lookback(const KeltnerParams& params) noexcept {
  return std::max(params.ema_period - 1, params.atr_period);
}

core::Status keltner_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                          const KeltnerParams& params, std::span<double> middle_out, std::span<double> upper_out,
                          std::span<double> lower_out) {
  BALLAST_TRY(validate(params));
  const int lookback = keltner_lookback(params);
  BALLAST_TRY(ind::check_bars("Keltner", high, low, close, lookback));
  BALLAST_TRY(check_band_outputs(high, middle_out, upper_out, lower_out));
  BALLAST_TRY(check_band_outputs(low, middle_out, upper_out, lower_out));
  BALLAST_TRY(check_band_outputs(close, middle_out, upper_out, lower_out));
  const std::size_t n = high.size();
  // The EMA goes straight into middle_out and the ATR into upper_out, which then become the bands.
  ind::ema_kernel(close.data(), n, params.ema_period, middle_out.data());
  ind::NoGuard guard;
  atr_kernel(high.data(), low.data(), close.data(), n, params.atr_period, upper_out.data(), guard);
  const auto first = static_cast<std::size_t>(lookback);
  for (std::size_t i = first; i < n; ++i) {
    const BandPoint b = keltner_point(middle_out[i], upper_out[i], params.multiplier);
    upper_out[i] = b.upper;
    lower_out[i] = b.lower;
  }
  ind::fill_nan_prefix(middle_out, first);
  ind::fill_nan_prefix(upper_out, first);
  ind::fill_nan_prefix(lower_out, first);
  return core::ok();
}

core::Result<BandSeries> keltner(std::span<const double> high, std::span<const double> low,
                                 std::span<const double> close, const KeltnerParams& params) {
  BandSeries series = band_series(high.size());
  BALLAST_TRY(keltner_into(high, low, close, params, series.middle, series.upper, series.lower));
  return series;
}

core::Result<KeltnerCalculator> KeltnerCalculator::create(const KeltnerParams& params) {
  BALLAST_TRY(validate(params));
  return KeltnerCalculator(params, *EmaCalculator::create(params.ema_period),
                           *AtrCalculator::create(params.atr_period));
}

BandPoint KeltnerCalculator::update(double high, double low, double close) {
  // Checked here as well so that a bad high or low cannot leave the EMA updated and the ATR not.
  ind::require_finite_update("Keltner", "high", high);
  ind::require_finite_update("Keltner", "low", low);
  ind::require_finite_update("Keltner", "close", close);
  const double middle = ema_.update(close);
  const double a = atr_.update(high, low, close);
  if (!ready()) return {};
  value_ = keltner_point(middle, a, params_.multiplier);
  return value_;
}

}  // namespace ballast::analytics
