#include "ballast/analytics/indicators/volatility_bands.hpp"

#include <immintrin.h>

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

// The second, vectorised pass of the batch kernel over one chunk of points sharing the reference `ref`:
// from Σd and Σd² per point, mean = Σd·(1/p), M2 = Σd² − Σd·mean, σ = √(max(M2, 0)·(1/p)), then the
// bands (or σ alone). Every lane does the scalar operations of RollingMoments in the same order with
// no fused multiply-add, and IEEE square roots are correctly rounded at any vector width, so each
// variant gives the calculators' values bit for bit. The AVX variant halves the cost of the square
// roots, which bound this pass (a 256-bit sqrtpd takes about as long as a 128-bit one on this EPYC);
// it is chosen at run time, so the library still runs on any x86-64.
struct PassConstants {
  double ref;
  double inv;
  double k_upper;
  double k_lower;
};

inline void bands_scalar(const double* sum, const double* sq, double* middle, double* upper, double* lower,
                         std::size_t j, std::size_t n, const PassConstants& c) noexcept {
  for (; j < n; ++j) {
    const double s = sum[j];
    const double sd = ind::RollingMoments::stddev(ind::RollingMoments::m2(s, sq[j], c.inv), c.inv);
    const BandPoint b = bollinger_point(c.ref + s * c.inv, sd, c.k_upper, c.k_lower);
    middle[j] = b.middle;
    upper[j] = b.upper;
    lower[j] = b.lower;
  }
}

inline void stddev_scalar(const double* sum, double* sq_sd, std::size_t j, std::size_t n, double inv) noexcept {
  for (; j < n; ++j) sq_sd[j] = ind::RollingMoments::stddev(ind::RollingMoments::m2(sum[j], sq_sd[j], inv), inv);
}

// `sum` may be `middle` and `sq` may be `upper` (each lane is read before it is written).
void bands_sse2(const double* sum, const double* sq, double* middle, double* upper, double* lower, std::size_t n,
                const PassConstants& c) noexcept {
  const __m128d ref = _mm_set1_pd(c.ref), inv = _mm_set1_pd(c.inv), zero = _mm_setzero_pd();
  const __m128d ku = _mm_set1_pd(c.k_upper), kd = _mm_set1_pd(c.k_lower);
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    const __m128d s = _mm_loadu_pd(sum + j);
    const __m128d mean = _mm_mul_pd(s, inv);
    const __m128d m2 = _mm_sub_pd(_mm_loadu_pd(sq + j), _mm_mul_pd(s, mean));
    const __m128d sd = _mm_sqrt_pd(_mm_mul_pd(_mm_max_pd(m2, zero), inv));
    const __m128d mid = _mm_add_pd(ref, mean);
    _mm_storeu_pd(middle + j, mid);
    _mm_storeu_pd(upper + j, _mm_add_pd(mid, _mm_mul_pd(ku, sd)));
    _mm_storeu_pd(lower + j, _mm_sub_pd(mid, _mm_mul_pd(kd, sd)));
  }
  bands_scalar(sum, sq, middle, upper, lower, j, n, c);
}

__attribute__((target("avx"))) void bands_avx(const double* sum, const double* sq, double* middle, double* upper,
                                              double* lower, std::size_t n, const PassConstants& c) noexcept {
  const __m256d ref = _mm256_set1_pd(c.ref), inv = _mm256_set1_pd(c.inv), zero = _mm256_setzero_pd();
  const __m256d ku = _mm256_set1_pd(c.k_upper), kd = _mm256_set1_pd(c.k_lower);
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const __m256d s = _mm256_loadu_pd(sum + j);
    const __m256d mean = _mm256_mul_pd(s, inv);
    const __m256d m2 = _mm256_sub_pd(_mm256_loadu_pd(sq + j), _mm256_mul_pd(s, mean));
    const __m256d sd = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_max_pd(m2, zero), inv));
    const __m256d mid = _mm256_add_pd(ref, mean);
    _mm256_storeu_pd(middle + j, mid);
    _mm256_storeu_pd(upper + j, _mm256_add_pd(mid, _mm256_mul_pd(ku, sd)));
    _mm256_storeu_pd(lower + j, _mm256_sub_pd(mid, _mm256_mul_pd(kd, sd)));
  }
  bands_scalar(sum, sq, middle, upper, lower, j, n, c);
}

// σ alone; `sq_sd` holds Σd² on entry and σ on return.
void stddev_sse2(const double* sum, double* sq_sd, std::size_t n, double inv_period) noexcept {
  const __m128d inv = _mm_set1_pd(inv_period), zero = _mm_setzero_pd();
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    const __m128d s = _mm_loadu_pd(sum + j);
    const __m128d m2 = _mm_sub_pd(_mm_loadu_pd(sq_sd + j), _mm_mul_pd(s, _mm_mul_pd(s, inv)));
    _mm_storeu_pd(sq_sd + j, _mm_sqrt_pd(_mm_mul_pd(_mm_max_pd(m2, zero), inv)));
  }
  stddev_scalar(sum, sq_sd, j, n, inv_period);
}

__attribute__((target("avx"))) void stddev_avx(const double* sum, double* sq_sd, std::size_t n,
                                               double inv_period) noexcept {
  const __m256d inv = _mm256_set1_pd(inv_period), zero = _mm256_setzero_pd();
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const __m256d s = _mm256_loadu_pd(sum + j);
    const __m256d m2 = _mm256_sub_pd(_mm256_loadu_pd(sq_sd + j), _mm256_mul_pd(s, _mm256_mul_pd(s, inv)));
    _mm256_storeu_pd(sq_sd + j, _mm256_sqrt_pd(_mm256_mul_pd(_mm256_max_pd(m2, zero), inv)));
  }
  stddev_scalar(sum, sq_sd, j, n, inv_period);
}

using BandsPass = void (*)(const double*, const double*, double*, double*, double*, std::size_t,
                           const PassConstants&) noexcept;
using StdDevPass = void (*)(const double*, double*, std::size_t, double) noexcept;

bool cpu_has_avx() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx") != 0;
}

BandsPass bands_pass() noexcept {
  static const BandsPass pass = cpu_has_avx() ? &bands_avx : &bands_sse2;
  return pass;
}

StdDevPass stddev_pass() noexcept {
  static const StdDevPass pass = cpu_has_avx() ? &stddev_avx : &stddev_sse2;
  return pass;
}

// Points per two-pass chunk: Σd and Σd² of a chunk stay in L1 between the passes.
constexpr std::size_t kChunk = 256;

// Rolling moments over x[0, n) on the calculators' schedule: started on the first full window, slid
// one value at a time, re-centred and rebuilt every recentre_interval(period) updates; outputs for
// every window ending at i >= period − 1.
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
  const BandsPass bands = kBands ? bands_pass() : nullptr;
  const StdDevPass stddevs = kBands ? nullptr : stddev_pass();
  // σ alone has one output, which holds Σd²; Σd goes here.
  double sum_buffer[kBands ? 1 : kChunk];
  ind::RollingMoments m;
  m.start(x, p, inv);
  guard.see(m.sum + m.ref);
  std::size_t i = p - 1;
  const std::size_t every = ind::recentre_interval(period);
  while (true) {
    // Outputs for the window ending at i, just rebuilt; then slides, on scalars held in registers.
    {
      const double sd = m.stddev(inv);
      if constexpr (kBands) {
        const BandPoint b = bollinger_point(m.average(inv), sd, k_upper, k_lower);
        middle[i] = b.middle;
        upper[i] = b.upper;
        lower[i] = b.lower;
      } else {
        upper[i] = sd;
      }
    }
    if (++i >= n) break;
    const double ref = m.ref;
    double sum = m.sum, sq = m.sq;
    const std::size_t stop = std::min(n, i + every - 1);
    // Two passes per chunk: the serial one keeps the two running sums (one addition each on the
    // critical path) and stores them, the vector one forms σ and the bands.
    while (i < stop) {
      const std::size_t count = std::min(stop - i, kChunk);
      double* const sums = kBands ? middle + i : sum_buffer;
      double* const squares = upper + i;
      for (std::size_t k = 0; k < count; ++k) {
        ind::RollingMoments::slide(x[i + k], x[i + k - p], ref, sum, sq);
        sums[k] = sum;
        squares[k] = sq;
      }
      if constexpr (kBands) {
        bands(sums, squares, sums, squares, lower + i, count, PassConstants{ref, inv, k_upper, k_lower});
      } else {
        stddevs(sums, squares, count, inv);
      }
      i += count;
    }
    guard.see(sum);
    if (i >= n) break;
    m.sum = sum;
    m.sq = sq;
    m.recentre(x + i + 1 - p, p, inv);
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
      recentre_every_(ind::recentre_interval(period)) {}

core::Result<RollingStdDevCalculator> RollingStdDevCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("rolling stddev", "period", period));
  return RollingStdDevCalculator(period);
}

double RollingStdDevCalculator::update(double x) {
  ind::require_finite_update("rolling stddev", "value", x);
  const double displaced = window_.push(x);
  if (count_ < period_) {
    if (++count_ < period_) return kNaN;
    moments_.start(window_.window(), window_.capacity(), inv_period_);
  } else if (++since_recentre_ == recentre_every_) {
    since_recentre_ = 0;
    moments_.recentre(window_.window(), window_.capacity(), inv_period_);
  } else {
    moments_.slide(x, displaced);
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
      recentre_every_(ind::recentre_interval(params.period)) {}

core::Result<BollingerCalculator> BollingerCalculator::create(const BollingerParams& params) {
  BALLAST_TRY(validate(params));
  return BollingerCalculator(params);
}

BandPoint BollingerCalculator::update(double x) {
  ind::require_finite_update("Bollinger", "value", x);
  const double displaced = window_.push(x);
  if (count_ < params_.period) {
    if (++count_ < params_.period) return {};
    moments_.start(window_.window(), window_.capacity(), inv_period_);
  } else if (++since_recentre_ == recentre_every_) {
    since_recentre_ = 0;
    moments_.recentre(window_.window(), window_.capacity(), inv_period_);
  } else {
    moments_.slide(x, displaced);
  }
  value_ = bollinger_point(moments_.average(inv_period_), moments_.stddev(inv_period_), params_.upper_multiplier,
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
