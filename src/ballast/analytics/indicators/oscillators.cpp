#include "ballast/analytics/indicators/oscillators.hpp"

#include <emmintrin.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>

namespace ballast::analytics {
namespace {

namespace ind = indicator_detail;
using ind::CciKernel;
using ind::kNaN;

// Twice max(change, 0) and twice max(−change, 0), without a branch (a rising/falling branch
// mispredicts on every other bar of a noisy series). Both are exact (c + |c| is 2c or 0); the ½ is
// folded into the seed division and the Wilder share, where scaling by a power of two is exact too.
inline double doubled_gain(double change) noexcept {
  return change + std::abs(change);
}
inline double doubled_loss(double change) noexcept {
  return std::abs(change) - change;
}

// 100·G/(G+L); 50 when nothing moved (TA-Lib writes 0, see the header). G/(G+L) is formed first so a
// series without losses gives exactly 100.
inline double rsi_from_averages(double avg_gain, double avg_loss) noexcept {
  const double total = avg_gain + avg_loss;
  return total == 0.0 ? 50.0 : 100.0 * (avg_gain / total);
}

// Raw stochastic %K: where the close sits in the [lowest, highest] range, in percent; 50 for a flat range.
inline double raw_stochastic_k(double highest, double lowest, double close) noexcept {
  const double range = highest - lowest;
  return range == 0.0 ? 50.0 : 100.0 * ((close - lowest) / range);
}

// Williams %R: −100·(HH − C)/(HH − LL); −50 for a flat range.
inline double williams_r_value(double highest, double lowest, double close) noexcept {
  const double range = highest - lowest;
  return range == 0.0 ? -50.0 : -100.0 * ((highest - close) / range);
}

// CCI runs on 3·TP = H + L + C: its value (TP − mean)/(0.015·MD) is unchanged when every TP is scaled
// by 3, and the sum skips a division (about 13 cycles of an update's latency) and a rounding.
inline double triple_typical_price(double high, double low, double close) noexcept {
  return high + low + close;
}

// Two adjacent window values as one SSE2 vector.
inline __m128d load_pair(const double* x) noexcept {
  return _mm_loadu_pd(x);
}

inline double horizontal_sum(__m128d v) noexcept {
  return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v)));
}

// Σ |x_i − mean| over x[0, n) in a fixed order: pairs into four two-lane accumulators (8 values a
// round), the remaining pairs into the first three, then ((a0 + a1) + (a2 + a3)), its two lanes, and
// an odd last value.
inline double pairwise_abs_deviation_sum(const double* x, std::size_t n, double mean) noexcept {
  const __m128d m = _mm_set1_pd(mean);
  const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7fff'ffff'ffff'ffff));
  const auto dev = [&](const double* p) { return _mm_and_pd(_mm_sub_pd(load_pair(p), m), magnitude); };
  __m128d a0 = _mm_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    a0 = _mm_add_pd(a0, dev(x + i));
    a1 = _mm_add_pd(a1, dev(x + i + 2));
    a2 = _mm_add_pd(a2, dev(x + i + 4));
    a3 = _mm_add_pd(a3, dev(x + i + 6));
  }
  if (i + 2 <= n) a0 = _mm_add_pd(a0, dev(x + i));
  if (i + 4 <= n) a1 = _mm_add_pd(a1, dev(x + i + 2));
  if (i + 6 <= n) a2 = _mm_add_pd(a2, dev(x + i + 4));
  const double s = horizontal_sum(_mm_add_pd(_mm_add_pd(a0, a1), _mm_add_pd(a2, a3)));
  return (n & 1) != 0 ? s + std::abs(x[n - 1] - mean) : s;
}

// CCI of a window with mean `mean`: `older` holds its n = period − 1 oldest typical prices, `typical`
// is the newest, kept apart so the calculator reads it from a register: the store it has just made
// would not forward to a 16-byte load, which would wait until the store reached the cache. Lambert's 0.015 constant. One division: (tp − mean) / (0.015 · Σ|x − mean| / p) is
// computed as p·(tp − mean) / (0.015 · Σ|x − mean|).
inline double cci_of_window(const double* older, std::size_t n, double typical, double mean,
                            double period_d) noexcept {
  const double abs_deviations = pairwise_abs_deviation_sum(older, n, mean) + std::abs(typical - mean);
  return abs_deviations == 0.0 ? 0.0 : period_d * (typical - mean) / (0.015 * abs_deviations);
}

// Σ_k v[k] over N two-lane vectors as a balanced binary tree (halves summed recursively): depth
// ⌈log2 N⌉ additions, where serial accumulators would chain N/4 + 2 of them.
template <std::size_t N>
__m128d tree_sum(const __m128d* v) noexcept {
  if constexpr (N == 1) {
    return v[0];
  } else {
    constexpr std::size_t kHalf = N / 2;
    return _mm_add_pd(tree_sum<kHalf>(v), tree_sum<N - kHalf>(v + kHalf));
  }
}

// cci_of_window with n = kOlder known at compile time, for the short periods of a streaming update,
// whose cost is the latency from the new mean to the result. Σ|x − mean| is a balanced tree rather
// than the general form's four accumulators: the older values in pairs, the last of them paired
// with the newest when kOlder is odd (else the newest is added after the two lanes), the pairs summed
// by tree_sum, then the two lanes. Batch and streaming take the same kernel for a period, so they
// still agree bit for bit.
template <std::size_t kOlder>
double cci_unrolled(const double* older, std::size_t /*n*/, double typical, double mean, double period_d) noexcept {
  double abs_deviations = 0.0;
  if constexpr (kOlder == 0) {
    abs_deviations = std::abs(typical - mean);
  } else {
    const __m128d m = _mm_set1_pd(mean);
    const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7fff'ffff'ffff'ffff));
    constexpr std::size_t kPairs = (kOlder + 1) / 2;
    __m128d dev[kPairs];
    for (std::size_t k = 0; k < kOlder / 2; ++k) dev[k] = _mm_and_pd(_mm_sub_pd(load_pair(older + 2 * k), m), magnitude);
    if constexpr (kOlder % 2 == 1) {
      dev[kPairs - 1] = _mm_and_pd(_mm_sub_pd(_mm_set_pd(typical, older[kOlder - 1]), m), magnitude);
      abs_deviations = horizontal_sum(tree_sum<kPairs>(dev));
    } else {
      abs_deviations = horizontal_sum(tree_sum<kPairs>(dev)) + std::abs(typical - mean);
    }
  }
  return abs_deviations == 0.0 ? 0.0 : period_d * (typical - mean) / (0.015 * abs_deviations);
}

double cci_general(const double* older, std::size_t n, double typical, double mean, double period_d) noexcept {
  return cci_of_window(older, n, typical, mean, period_d);
}

// Periods up to kUnrolledCciPeriods (the common 14 and 20 among them) take an unrolled kernel.
constexpr std::size_t kUnrolledCciPeriods = 32;

template <std::size_t... kOlder>
constexpr std::array<CciKernel, sizeof...(kOlder)> unrolled_cci_kernels(std::index_sequence<kOlder...>) {
  return {&cci_unrolled<kOlder>...};
}

CciKernel cci_kernel_for(int period) noexcept {
  static constexpr auto kKernels = unrolled_cci_kernels(std::make_index_sequence<kUnrolledCciPeriods>());
  const auto older = static_cast<std::size_t>(period) - 1;
  return older < kKernels.size() ? kKernels[older] : &cci_general;
}

// CCI rebuilds its window sum every `period` updates: the update is O(period) anyway, so a rebuild
// that often costs O(1) amortised, and it keeps the reference within `period` bars of the window,
// where prices have not moved far from it (a reference left at a level the price has since halved
// costs digits: measured on NVDA's 2002 fall with the 1024-update schedule of the other indicators).
inline std::size_t cci_rebuild_interval(int period) noexcept {
  return static_cast<std::size_t>(period);
}

// The window mean of the typical prices, as both CCI forms advance it: a ShiftedWindowSum rebuilt at
// the first full window and every cci_rebuild_interval(period) updates after it, slid in between.
// A one-value window's mean is its value, exactly.
inline double cci_mean(const ind::ShiftedWindowSum& sum, double typical, std::size_t older, double inv_period) noexcept {
  return older == 0 ? typical : sum.mean(inv_period);
}

inline double roc_value(double x, double base) noexcept {
  return (x / base - 1.0) * 100.0;
}

core::Status check_macd_outputs(std::span<const double> values, std::span<const double> a, std::span<const double> b,
                                std::span<const double> c) {
  BALLAST_TRY(ind::check_output(values, a, "macd_out"));
  BALLAST_TRY(ind::check_output(values, b, "signal_out"));
  BALLAST_TRY(ind::check_output(values, c, "histogram_out"));
  BALLAST_TRY(ind::check_output(a, b, "signal_out"));
  BALLAST_TRY(ind::check_output(a, c, "histogram_out"));
  return ind::check_output(b, c, "histogram_out");
}

core::Status check_two_bar_outputs(std::span<const double> high, std::span<const double> low,
                                   std::span<const double> close, std::span<const double> k_out,
                                   std::span<const double> d_out) {
  BALLAST_TRY(ind::check_bar_output(high, low, close, k_out, "k_out"));
  BALLAST_TRY(ind::check_bar_output(high, low, close, d_out, "d_out"));
  return ind::check_output(k_out, d_out, "d_out");
}

// Raw %K over the bars into raw[fastk−1, n).
void raw_stochastic(std::span<const double> high, std::span<const double> low, std::span<const double> close, int fastk,
                    double* raw) {
  ind::RollingExtremum<true> highest(fastk);
  ind::RollingExtremum<false> lowest(fastk);
  const auto first = static_cast<std::size_t>(fastk) - 1;
  for (std::size_t i = 0; i < high.size(); ++i) {
    const double hh = highest.push(high[i]);
    const double ll = lowest.push(low[i]);
    if (i >= first) raw[i] = raw_stochastic_k(hh, ll, close[i]);
  }
}

}  // namespace

// ---- RSI ---------------------------------------------------------------------------------------

core::Status rsi_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(ind::check_single_series_shape("RSI", values, period, period, out));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  const double* x = values.data();
  double* y = out.data();
  ind::fill_nan_prefix(out, p);

  double gain_sum = 0.0, loss_sum = 0.0;  // doubled
  for (std::size_t i = 1; i <= p; ++i) {
    const double change = x[i] - x[i - 1];
    gain_sum += doubled_gain(change);
    loss_sum += doubled_loss(change);
  }
  const auto pd = static_cast<double>(period);
  double avg_gain = 0.5 * gain_sum / pd;
  double avg_loss = 0.5 * loss_sum / pd;
  y[p] = rsi_from_averages(avg_gain, avg_loss);
  const ind::WilderWeights w = ind::wilder_weights(period);
  const ind::WilderWeights half{w.keep, 0.5 * w.share};
  for (std::size_t i = p + 1; i < n; ++i) {
    const double change = x[i] - x[i - 1];
    avg_gain = ind::wilder_step(avg_gain, doubled_gain(change), half);
    avg_loss = ind::wilder_step(avg_loss, doubled_loss(change), half);
    y[i] = rsi_from_averages(avg_gain, avg_loss);
  }
  // Input check without a per-point cost: every value enters a change, and a NaN or ±inf there makes
  // an average NaN for good (inf − inf in the doubled loss or gain; NaN survives the smoothing).
  ind::FiniteGuard guard;
  guard.see(avg_gain + avg_loss);
  return guard.clean() ? core::ok() : ind::check_finite(values, "values");
}

core::Result<std::vector<double>> rsi(std::span<const double> values, int period) {
  return ind::run_allocating(values.size(), [&](std::span<double> out) { return rsi_into(values, period, out); });
}

RsiCalculator::RsiCalculator(int period) : period_(period) {
  const ind::WilderWeights w = ind::wilder_weights(period);
  keep_ = w.keep;
  half_share_ = 0.5 * w.share;
}

core::Result<RsiCalculator> RsiCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("RSI", "period", period));
  return RsiCalculator(period);
}

double RsiCalculator::update(double x) {
  ind::require_finite_update("RSI", "value", x);
  if (count_ == 0) {
    previous_ = x;
    count_ = 1;
    return kNaN;
  }
  const double change = x - previous_;
  previous_ = x;
  if (count_ <= period_) {
    avg_gain_ += doubled_gain(change);
    avg_loss_ += doubled_loss(change);
    if (++count_ <= period_) return kNaN;
    const auto pd = static_cast<double>(period_);
    avg_gain_ = 0.5 * avg_gain_ / pd;
    avg_loss_ = 0.5 * avg_loss_ / pd;
  } else {
    const ind::WilderWeights half{keep_, half_share_};
    avg_gain_ = ind::wilder_step(avg_gain_, doubled_gain(change), half);
    avg_loss_ = ind::wilder_step(avg_loss_, doubled_loss(change), half);
  }
  value_ = rsi_from_averages(avg_gain_, avg_loss_);
  return value_;
}

// ---- MACD --------------------------------------------------------------------------------------

core::Status validate(const MacdParams& params) {
  BALLAST_TRY(ind::check_period("MACD", "fast_period", params.fast_period));
  BALLAST_TRY(ind::check_period("MACD", "slow_period", params.slow_period));
  BALLAST_TRY(ind::check_period("MACD", "signal_period", params.signal_period));
  if (params.fast_period >= params.slow_period) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("MACD fast_period ({}) must be shorter than slow_period ({})", params.fast_period,
                                   params.slow_period),
                       "fast_period");
  }
  return core::ok();
}

int macd_lookback(const MacdParams& params) noexcept {
  return params.slow_period - 1 + params.signal_period - 1;
}

core::Status macd_into(std::span<const double> values, const MacdParams& params, std::span<double> macd_out,
                       std::span<double> signal_out, std::span<double> histogram_out) {
  BALLAST_TRY(validate(params));
  BALLAST_TRY(check_macd_outputs(values, macd_out, signal_out, histogram_out));
  const int lookback = macd_lookback(params);
  BALLAST_TRY(ind::check_length("MACD", "values", values.size(), lookback));
  ind::FiniteGuard guard;

  const auto fast = static_cast<std::size_t>(params.fast_period);
  const auto slow = static_cast<std::size_t>(params.slow_period);
  const auto last_seed = static_cast<std::size_t>(lookback);
  const std::size_t n = values.size();
  const double* x = values.data();
  double* m_out = macd_out.data();
  double* s_out = signal_out.data();
  double* h_out = histogram_out.data();
  ind::fill_nan_prefix(macd_out, last_seed);
  ind::fill_nan_prefix(signal_out, last_seed);
  ind::fill_nan_prefix(histogram_out, last_seed);

  // Both EMAs start at index slow−1: the slow one from the SMA of x[0, slow), the fast one from the
  // SMA of x[slow−fast, slow) (TA-Lib's alignment).
  double slow_ema = 0.0, fast_ema = 0.0;
  for (std::size_t i = 0; i < slow; ++i) {
    guard.see(x[i]);
    slow_ema += x[i];
    if (i >= slow - fast) fast_ema += x[i];
  }
  slow_ema /= static_cast<double>(slow);
  fast_ema /= static_cast<double>(fast);
  const ind::EmaWeights wf = ind::ema_weights(params.fast_period);
  const ind::EmaWeights ws = ind::ema_weights(params.slow_period);
  const ind::EmaWeights wg = ind::ema_weights(params.signal_period);

  // The signal line is seeded with the mean of the first signal_period MACD values.
  double line = fast_ema - slow_ema;
  double signal = 0.0;
  signal += line;
  for (std::size_t i = slow; i <= last_seed; ++i) {
    guard.see(x[i]);
    fast_ema = ind::ema_step(fast_ema, x[i], wf);
    slow_ema = ind::ema_step(slow_ema, x[i], ws);
    line = fast_ema - slow_ema;
    signal += line;
  }
  signal /= static_cast<double>(params.signal_period);
  m_out[last_seed] = line;
  s_out[last_seed] = signal;
  h_out[last_seed] = line - signal;
  for (std::size_t i = last_seed + 1; i < n; ++i) {
    guard.see(x[i]);
    fast_ema = ind::ema_step(fast_ema, x[i], wf);
    slow_ema = ind::ema_step(slow_ema, x[i], ws);
    line = fast_ema - slow_ema;
    signal = ind::ema_step(signal, line, wg);
    m_out[i] = line;
    s_out[i] = signal;
    h_out[i] = line - signal;
  }
  return guard.clean() ? core::ok() : ind::check_finite(values, "values");
}

core::Result<MacdSeries> macd(std::span<const double> values, const MacdParams& params) {
  MacdSeries series{std::vector<double>(values.size()), std::vector<double>(values.size()),
                    std::vector<double>(values.size())};
  BALLAST_TRY(macd_into(values, params, series.macd, series.signal, series.histogram));
  return series;
}

MacdCalculator::MacdCalculator(const MacdParams& params)
    : params_(params),
      lookback_(macd_lookback(params)),
      fast_weights_(ind::ema_weights(params.fast_period)),
      slow_weights_(ind::ema_weights(params.slow_period)),
      signal_weights_(ind::ema_weights(params.signal_period)) {}

core::Result<MacdCalculator> MacdCalculator::create(const MacdParams& params) {
  BALLAST_TRY(validate(params));
  return MacdCalculator(params);
}

MacdPoint MacdCalculator::update(double x) {
  ind::require_finite_update("MACD", "value", x);
  if (count_ > lookback_) {
    fast_ = ind::ema_step(fast_, x, fast_weights_);
    slow_ = ind::ema_step(slow_, x, slow_weights_);
    const double line = fast_ - slow_;
    signal_ = ind::ema_step(signal_, line, signal_weights_);
    value_ = {line, signal_, line - signal_};
    return value_;
  }
  // Warm-up, mirroring macd_into step by step; `index` is the position of x in the stream.
  const int index = count_++;
  const int slow = params_.slow_period;
  if (index < slow) {
    slow_ += x;
    if (index >= slow - params_.fast_period) fast_ += x;
    if (index < slow - 1) return {};
    slow_ /= static_cast<double>(slow);
    fast_ /= static_cast<double>(params_.fast_period);
  } else {
    fast_ = ind::ema_step(fast_, x, fast_weights_);
    slow_ = ind::ema_step(slow_, x, slow_weights_);
  }
  const double line = fast_ - slow_;
  signal_ += line;
  if (index < lookback_) return {};
  signal_ /= static_cast<double>(params_.signal_period);
  value_ = {line, signal_, line - signal_};
  return value_;
}

// ---- stochastic --------------------------------------------------------------------------------

core::Status validate(const StochasticParams& params) {
  BALLAST_TRY(ind::check_period("stochastic", "fastk_period", params.fastk_period));
  BALLAST_TRY(ind::check_period("stochastic", "slowk_period", params.slowk_period));
  return ind::check_period("stochastic", "slowd_period", params.slowd_period);
}

core::Status validate(const FastStochasticParams& params) {
  BALLAST_TRY(ind::check_period("fast stochastic", "fastk_period", params.fastk_period));
  return ind::check_period("fast stochastic", "fastd_period", params.fastd_period);
}

int stochastic_lookback(const StochasticParams& params) noexcept {
  return (params.fastk_period - 1) + (params.slowk_period - 1) + (params.slowd_period - 1);
}

int stochastic_lookback(const FastStochasticParams& params) noexcept {
  return (params.fastk_period - 1) + (params.fastd_period - 1);
}

core::Status stochastic_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                             const StochasticParams& params, std::span<double> k_out, std::span<double> d_out) {
  BALLAST_TRY(validate(params));
  const int lookback = stochastic_lookback(params);
  BALLAST_TRY(ind::check_bars("stochastic", high, low, close, lookback));
  BALLAST_TRY(check_two_bar_outputs(high, low, close, k_out, d_out));

  const std::size_t n = high.size();
  const auto raw_first = static_cast<std::size_t>(params.fastk_period) - 1;
  const auto k_first = raw_first + static_cast<std::size_t>(params.slowk_period) - 1;
  // d_out holds raw %K until the %K smoothing has read it, then receives %D.
  raw_stochastic(high, low, close, params.fastk_period, d_out.data());
  ind::sma_kernel(d_out.data() + raw_first, n - raw_first, params.slowk_period, k_out.data() + raw_first);
  ind::sma_kernel(k_out.data() + k_first, n - k_first, params.slowd_period, d_out.data() + k_first);
  // Both outputs start at the full lookback, as TA-Lib aligns them.
  ind::fill_nan_prefix(k_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(d_out, static_cast<std::size_t>(lookback));
  return core::ok();
}

core::Result<StochasticSeries> stochastic(std::span<const double> high, std::span<const double> low,
                                          std::span<const double> close, const StochasticParams& params) {
  StochasticSeries series{std::vector<double>(high.size()), std::vector<double>(high.size())};
  BALLAST_TRY(stochastic_into(high, low, close, params, series.k, series.d));
  return series;
}

core::Status fast_stochastic_into(std::span<const double> high, std::span<const double> low,
                                  std::span<const double> close, const FastStochasticParams& params,
                                  std::span<double> k_out, std::span<double> d_out) {
  BALLAST_TRY(validate(params));
  const int lookback = stochastic_lookback(params);
  BALLAST_TRY(ind::check_bars("fast stochastic", high, low, close, lookback));
  BALLAST_TRY(check_two_bar_outputs(high, low, close, k_out, d_out));

  const std::size_t n = high.size();
  const auto raw_first = static_cast<std::size_t>(params.fastk_period) - 1;
  raw_stochastic(high, low, close, params.fastk_period, k_out.data());
  ind::sma_kernel(k_out.data() + raw_first, n - raw_first, params.fastd_period, d_out.data() + raw_first);
  ind::fill_nan_prefix(k_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(d_out, static_cast<std::size_t>(lookback));
  return core::ok();
}

core::Result<StochasticSeries> fast_stochastic(std::span<const double> high, std::span<const double> low,
                                               std::span<const double> close, const FastStochasticParams& params) {
  StochasticSeries series{std::vector<double>(high.size()), std::vector<double>(high.size())};
  BALLAST_TRY(fast_stochastic_into(high, low, close, params, series.k, series.d));
  return series;
}

StochasticCalculator::StochasticCalculator(const StochasticParams& params)
    : params_(params),
      highest_(params.fastk_period),
      lowest_(params.fastk_period),
      slowk_(params.slowk_period),
      slowd_(params.slowd_period) {}

core::Result<StochasticCalculator> StochasticCalculator::create(const StochasticParams& params) {
  BALLAST_TRY(validate(params));
  return StochasticCalculator(params);
}

StochasticPoint StochasticCalculator::update(double high, double low, double close) {
  ind::require_finite_bar("stochastic", high, low, close);
  const double hh = highest_.push(high);
  const double ll = lowest_.push(low);
  // Once %D is defined every stage is full: one branch instead of three fill checks.
  if (!ready_) [[unlikely]] return warm_up(hh, ll, close);
  const double k = slowk_.push(raw_stochastic_k(hh, ll, close));
  value_ = {k, slowd_.push(k)};
  return value_;
}

StochasticPoint StochasticCalculator::warm_up(double hh, double ll, double close) {
  if (count_ < params_.fastk_period && ++count_ < params_.fastk_period) return {};
  const double k = slowk_.push(raw_stochastic_k(hh, ll, close));
  if (!slowk_.full()) return {};
  const double d = slowd_.push(k);
  if (!slowd_.full()) return {};
  ready_ = true;
  value_ = {k, d};
  return value_;
}

FastStochasticCalculator::FastStochasticCalculator(const FastStochasticParams& params)
    : params_(params), highest_(params.fastk_period), lowest_(params.fastk_period), fastd_(params.fastd_period) {}

core::Result<FastStochasticCalculator> FastStochasticCalculator::create(const FastStochasticParams& params) {
  BALLAST_TRY(validate(params));
  return FastStochasticCalculator(params);
}

StochasticPoint FastStochasticCalculator::update(double high, double low, double close) {
  ind::require_finite_bar("fast stochastic", high, low, close);
  const double hh = highest_.push(high);
  const double ll = lowest_.push(low);
  if (count_ < params_.fastk_period && ++count_ < params_.fastk_period) return {};
  const double k = raw_stochastic_k(hh, ll, close);
  const double d = fastd_.push(k);
  if (!fastd_.full()) return {};
  value_ = {k, d};
  return value_;
}

// ---- Williams %R -------------------------------------------------------------------------------

core::Status williams_r_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                             int period, std::span<double> out) {
  BALLAST_TRY(ind::check_period("Williams %R", "period", period));
  BALLAST_TRY(ind::check_bars("Williams %R", high, low, close, period - 1));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  ind::RollingExtremum<true> highest(period);
  ind::RollingExtremum<false> lowest(period);
  const auto first = static_cast<std::size_t>(period) - 1;
  ind::fill_nan_prefix(out, first);
  for (std::size_t i = 0; i < high.size(); ++i) {
    const double hh = highest.push(high[i]);
    const double ll = lowest.push(low[i]);
    if (i >= first) out[i] = williams_r_value(hh, ll, close[i]);
  }
  return core::ok();
}

core::Result<std::vector<double>> williams_r(std::span<const double> high, std::span<const double> low,
                                             std::span<const double> close, int period) {
  return ind::run_allocating(high.size(),
                             [&](std::span<double> out) { return williams_r_into(high, low, close, period, out); });
}

WilliamsRCalculator::WilliamsRCalculator(int period) : period_(period), highest_(period), lowest_(period) {}

core::Result<WilliamsRCalculator> WilliamsRCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("Williams %R", "period", period));
  return WilliamsRCalculator(period);
}

double WilliamsRCalculator::update(double high, double low, double close) {
  ind::require_finite_update("Williams %R", "high", high);
  ind::require_finite_update("Williams %R", "low", low);
  ind::require_finite_update("Williams %R", "close", close);
  const double hh = highest_.push(high);
  const double ll = lowest_.push(low);
  if (count_ < period_ && ++count_ < period_) return kNaN;
  value_ = williams_r_value(hh, ll, close);
  return value_;
}

// ---- CCI ---------------------------------------------------------------------------------------

core::Status cci_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> out) {
  BALLAST_TRY(ind::check_period("CCI", "period", period));
  BALLAST_TRY(ind::check_bars("CCI", high, low, close, period - 1));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  const std::size_t n = high.size();
  const auto p = static_cast<std::size_t>(period);
  std::vector<double> typical(n);
  for (std::size_t i = 0; i < n; ++i) typical[i] = triple_typical_price(high[i], low[i], close[i]);
  ind::fill_nan_prefix(out, p - 1);
  const auto period_d = static_cast<double>(period);
  const double inv_period = 1.0 / period_d;
  const CciKernel kernel = cci_kernel_for(period);
  const std::size_t every = cci_rebuild_interval(period);
  ind::ShiftedWindowSum sum;
  std::size_t since_rebuild = 0;
  for (std::size_t i = p - 1; i < n; ++i) {
    const double* window = typical.data() + i + 1 - p;
    if (i == p - 1 || ++since_rebuild == every) {
      since_rebuild = 0;
      sum.rebuild(window, p, inv_period);
    } else {
      sum.slide(typical[i], typical[i - p]);
    }
    const double mean = cci_mean(sum, typical[i], p - 1, inv_period);
    out[i] = kernel(window, p - 1, typical[i], mean, period_d);
  }
  return core::ok();
}

core::Result<std::vector<double>> cci(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period) {
  return ind::run_allocating(high.size(),
                             [&](std::span<double> out) { return cci_into(high, low, close, period, out); });
}

CciCalculator::CciCalculator(int period)
    : period_(period),
      period_d_(static_cast<double>(period)),
      inv_period_(1.0 / static_cast<double>(period)),
      kernel_(cci_kernel_for(period)),
      typical_(period),
      recompute_every_(cci_rebuild_interval(period)) {}

core::Result<CciCalculator> CciCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("CCI", "period", period));
  return CciCalculator(period);
}

double CciCalculator::update(double high, double low, double close) {
  ind::require_finite_bar("CCI", high, low, close);
  const double tp = triple_typical_price(high, low, close);
  const double displaced = typical_.push(tp);
  const std::size_t older = typical_.capacity() - 1;
  if (count_ < period_) [[unlikely]] {
    if (++count_ < period_) return kNaN;
    sum_.rebuild(typical_.window(), typical_.capacity(), inv_period_);
  } else if (++since_rebuild_ == recompute_every_) [[unlikely]] {
    since_rebuild_ = 0;
    sum_.rebuild(typical_.window(), typical_.capacity(), inv_period_);
  } else {
    sum_.slide(tp, displaced);
  }
  value_ = kernel_(typical_.window(), older, tp, cci_mean(sum_, tp, older, inv_period_), period_d_);
  return value_;
}

// ---- ROC and momentum --------------------------------------------------------------------------

core::Status roc_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(ind::check_single_series("ROC", values, period, period, out));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  // Only x[0, n−p) serve as a base; a zero there would divide by zero.
  BALLAST_TRY(ind::check_non_zero(values.first(n - p), "values",
                                  fmt::format("ROC({}) divides by the value {} bars earlier", period, period)));
  ind::fill_nan_prefix(out, p);
  for (std::size_t i = p; i < n; ++i) out[i] = roc_value(values[i], values[i - p]);
  return core::ok();
}

core::Result<std::vector<double>> roc(std::span<const double> values, int period) {
  return ind::run_allocating(values.size(), [&](std::span<double> out) { return roc_into(values, period, out); });
}

core::Status momentum_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(ind::check_single_series("momentum", values, period, period, out));
  const auto p = static_cast<std::size_t>(period);
  ind::fill_nan_prefix(out, p);
  for (std::size_t i = p; i < values.size(); ++i) out[i] = values[i] - values[i - p];
  return core::ok();
}

core::Result<std::vector<double>> momentum(std::span<const double> values, int period) {
  return ind::run_allocating(values.size(), [&](std::span<double> out) { return momentum_into(values, period, out); });
}

core::Result<RocCalculator> RocCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("ROC", "period", period));
  return RocCalculator(period);
}

double RocCalculator::update(double x) {
  ind::require_finite_update("ROC", "value", x);
  if (count_ < period_) {
    window_.push(x);
    ++count_;
    return kNaN;
  }
  const double base = window_.oldest();
  if (base == 0.0) [[unlikely]] {
    ind::throw_bad_update("ROC", "value from period bars earlier", base, "non-zero (ROC divides by it)");
  }
  window_.push(x);
  count_ = period_ + 1;
  value_ = roc_value(x, base);
  return value_;
}

core::Result<MomentumCalculator> MomentumCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("momentum", "period", period));
  return MomentumCalculator(period);
}

double MomentumCalculator::update(double x) {
  ind::require_finite_update("momentum", "value", x);
  const double base = window_.push(x);
  if (count_ < period_) {
    ++count_;
    return kNaN;
  }
  count_ = period_ + 1;
  value_ = x - base;
  return value_;
}

}  // namespace ballast::analytics
