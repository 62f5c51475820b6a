#include "ballast/analytics/indicators/volatility_bands.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::analytics {
namespace {

namespace ind = indicator_detail;
using ind::kNaN;

// Rolling moments over x[0, n) on the calculators' schedule: rebuilt from the first full window,
// slid one value at a time, rebuilt again every recompute_interval(period) slides. `sink(i, moments)`
// receives the moments of the window ending at i, for i >= period − 1.
template <class Sink>
void moments_kernel(const double* x, std::size_t n, int period, Sink&& sink) {
  const auto p = static_cast<std::size_t>(period);
  const double inv = 1.0 / static_cast<double>(period);
  ind::RollingMoments m;
  m.rebuild(x, p, inv);
  sink(p - 1, m);
  const std::size_t every = ind::recompute_interval(period);
  std::size_t i = p;
  while (i < n) {
    const std::size_t stop = std::min(n, i + every - 1);
    for (; i < stop; ++i) {
      m.slide(x[i], x[i - p], inv);
      sink(i, m);
    }
    if (i < n) {
      m.rebuild(x + i + 1 - p, p, inv);
      sink(i, m);
      ++i;
    }
  }
}

// The ATR recursion over bars [0, n): out[period] is the seed (mean of TR_1..TR_period), then
// Wilder's smoothing. out[0, period) is left untouched. Requires n > period.
void atr_kernel(const double* high, const double* low, const double* close, std::size_t n, int period, double* out) {
  const auto p = static_cast<std::size_t>(period);
  double sum = 0.0;
  for (std::size_t i = 1; i <= p; ++i) sum += ind::true_range(high[i], low[i], close[i - 1]);
  double a = sum / static_cast<double>(period);
  out[p] = a;
  const ind::WilderWeights w = ind::wilder_weights(period);
  for (std::size_t i = p + 1; i < n; ++i) {
    a = ind::wilder_step(a, ind::true_range(high[i], low[i], close[i - 1]), w);
    out[i] = a;
  }
}

inline double natr_value(double atr, double close) noexcept { return (atr / close) * 100.0; }

inline BandPoint bollinger_point(const ind::RollingMoments& m, double inv_period, double k_upper,
                                 double k_lower) noexcept {
  const double sd = m.stddev(inv_period);
  const double middle = m.average();
  return {middle, middle + k_upper * sd, middle - k_lower * sd};
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
  BALLAST_TRY(ind::check_single_series("rolling stddev", values, period, period - 1, out));
  ind::fill_nan_prefix(out, static_cast<std::size_t>(period) - 1);
  const double inv = 1.0 / static_cast<double>(period);
  double* y = out.data();
  moments_kernel(values.data(), values.size(), period,
                 [y, inv](std::size_t i, const ind::RollingMoments& m) { y[i] = m.stddev(inv); });
  return core::ok();
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

core::Status bollinger_into(std::span<const double> values, const BollingerParams& params,
                            std::span<double> middle_out, std::span<double> upper_out, std::span<double> lower_out) {
  BALLAST_TRY(validate(params));
  BALLAST_TRY(check_band_outputs(values, middle_out, upper_out, lower_out));
  const int lookback = params.period - 1;
  BALLAST_TRY(ind::check_length("Bollinger", "values", values.size(), lookback));
  BALLAST_TRY(ind::check_finite(values, "values"));
  ind::fill_nan_prefix(middle_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(upper_out, static_cast<std::size_t>(lookback));
  ind::fill_nan_prefix(lower_out, static_cast<std::size_t>(lookback));
  const double inv = 1.0 / static_cast<double>(params.period);
  const double k_upper = params.upper_multiplier;
  const double k_lower = params.lower_multiplier;
  double* mid = middle_out.data();
  double* up = upper_out.data();
  double* lo = lower_out.data();
  moments_kernel(values.data(), values.size(), params.period,
                 [mid, up, lo, inv, k_upper, k_lower](std::size_t i, const ind::RollingMoments& m) {
                   const BandPoint b = bollinger_point(m, inv, k_upper, k_lower);
                   mid[i] = b.middle;
                   up[i] = b.upper;
                   lo[i] = b.lower;
                 });
  return core::ok();
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
  value_ = bollinger_point(moments_, inv_period_, params_.upper_multiplier, params_.lower_multiplier);
  return value_;
}

// ---- ATR and NATR ------------------------------------------------------------------------------

core::Status atr_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> out) {
  BALLAST_TRY(ind::check_period("ATR", "period", period));
  BALLAST_TRY(ind::check_bars("ATR", high, low, close, period));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  ind::fill_nan_prefix(out, static_cast<std::size_t>(period));
  atr_kernel(high.data(), low.data(), close.data(), high.size(), period, out.data());
  return core::ok();
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
  atr_kernel(high.data(), low.data(), close.data(), high.size(), period, out.data());
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
  atr_kernel(high.data(), low.data(), close.data(), n, params.atr_period, upper_out.data());
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
