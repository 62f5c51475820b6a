#include "ballast/analytics/indicators/moving_averages.hpp"

#include <algorithm>

namespace ballast::analytics {
namespace {

using indicator_detail::kNaN;

// The DEMA and TEMA combinations, written once so the batch functions and the calculators use the
// same expression.
inline double dema_combine(double e1, double e2) noexcept {
  return 2.0 * e1 - e2;
}
inline double tema_combine(double e1, double e2, double e3) noexcept {
  return 3.0 * e1 - 3.0 * e2 + e3;
}

}  // namespace

// ---- kernels -----------------------------------------------------------------------------------
// Each kernel lets `guard` (indicator_support.hpp) see every input value or a running sum that no
// bad value can leave finite; the unguarded entry points serve other indicators that run them on
// validated or derived series.

namespace {

// Input check: a NaN or ±inf entering the running sum keeps it non-finite until the next rebuild
// (NaN is sticky; an infinity that leaves again gives inf − inf = NaN), so `guard` sees the sum at the
// end of every block and after every rebuild instead of every input value.
template <class Guard>
void sma_run(const double* x, std::size_t n, int period, double* y, Guard& guard) {
  const auto p = static_cast<std::size_t>(period);
  // A multiply by 1/p instead of a divide per point: at most one ulp from sum/p, and the divide's
  // throughput would otherwise bound the loop.
  const double inv = 1.0 / static_cast<double>(period);
  double sum = indicator_detail::window_sum(x, p);
  guard.see(sum);
  y[p - 1] = sum * inv;
  // Incremental updates in blocks of recompute_interval − 1, then one exact rebuild: the schedule
  // SmaCalculator follows, counted from the first full window.
  const std::size_t every = indicator_detail::recompute_interval(period);
  std::size_t i = p;
  while (i < n) {
    const std::size_t stop = std::min(n, i + every - 1);
    for (; i < stop; ++i) {
      sum += x[i] - x[i - p];
      y[i] = sum * inv;
    }
    guard.see(sum);
    if (i < n) {
      sum = indicator_detail::window_sum(x + i + 1 - p, p);
      guard.see(sum);
      y[i] = sum * inv;
      ++i;
    }
  }
}

template <class Guard>
void ema_run(const double* x, std::size_t n, int period, double* out, Guard& guard) {
  const auto p = static_cast<std::size_t>(period);
  double sum = 0.0;
  for (std::size_t i = 0; i < p; ++i) {
    guard.see(x[i]);
    sum += x[i];
  }
  double e = sum / static_cast<double>(period);
  out[p - 1] = e;
  const indicator_detail::EmaWeights w = indicator_detail::ema_weights(period);
  for (std::size_t i = p; i < n; ++i) {
    guard.see(x[i]);
    e = indicator_detail::ema_step(e, x[i], w);
    out[i] = e;
  }
}

}  // namespace

void indicator_detail::sma_kernel(const double* x, std::size_t n, int period, double* y) noexcept {
  NoGuard guard;
  sma_run(x, n, period, y, guard);
}

void indicator_detail::ema_kernel(const double* x, std::size_t n, int period, double* out) noexcept {
  NoGuard guard;
  ema_run(x, n, period, out, guard);
}

void indicator_detail::WmaState::rebuild(const double* window, std::size_t period) noexcept {
  ref = window_sum(window, period) / static_cast<double>(period);
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  double w0 = 0.0, w1 = 0.0, w2 = 0.0, w3 = 0.0;
  std::size_t j = 0;
  for (; j + 4 <= period; j += 4) {
    const auto w = static_cast<double>(j + 1);
    const double d0 = window[j] - ref, d1 = window[j + 1] - ref, d2 = window[j + 2] - ref, d3 = window[j + 3] - ref;
    s0 += d0;
    s1 += d1;
    s2 += d2;
    s3 += d3;
    w0 += w * d0;
    w1 += (w + 1.0) * d1;
    w2 += (w + 2.0) * d2;
    w3 += (w + 3.0) * d3;
  }
  for (; j < period; ++j) {
    const double d = window[j] - ref;
    s0 += d;
    w0 += static_cast<double>(j + 1) * d;
  }
  sum = (s0 + s1) + (s2 + s3);
  weighted = (w0 + w1) + (w2 + w3);
}

// ---- batch -------------------------------------------------------------------------------------

core::Status sma_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(indicator_detail::check_single_series_shape("SMA", values, period, period - 1, out));
  indicator_detail::fill_nan_prefix(out, static_cast<std::size_t>(period) - 1);
  indicator_detail::FiniteGuard guard;
  sma_run(values.data(), values.size(), period, out.data(), guard);
  return guard.clean() ? core::ok() : indicator_detail::check_finite(values, "values");
}

core::Result<std::vector<double>> sma(std::span<const double> values, int period) {
  return indicator_detail::run_allocating(values.size(),
                                          [&](std::span<double> out) { return sma_into(values, period, out); });
}

core::Status ema_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(indicator_detail::check_single_series_shape("EMA", values, period, period - 1, out));
  indicator_detail::fill_nan_prefix(out, static_cast<std::size_t>(period) - 1);
  indicator_detail::FiniteGuard guard;
  ema_run(values.data(), values.size(), period, out.data(), guard);
  return guard.clean() ? core::ok() : indicator_detail::check_finite(values, "values");
}

core::Result<std::vector<double>> ema(std::span<const double> values, int period) {
  return indicator_detail::run_allocating(values.size(),
                                          [&](std::span<double> out) { return ema_into(values, period, out); });
}

core::Status wma_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(indicator_detail::check_single_series("WMA", values, period, period - 1, out));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  const double* x = values.data();
  double* y = out.data();
  const auto pd = static_cast<double>(period);
  const double divisor = pd * (pd + 1.0) / 2.0;
  indicator_detail::fill_nan_prefix(out, p - 1);

  indicator_detail::WmaState s;
  s.rebuild(x, p);
  y[p - 1] = s.value(divisor);
  const std::size_t every = indicator_detail::recompute_interval(period);
  std::size_t i = p;
  while (i < n) {
    const std::size_t stop = std::min(n, i + every - 1);
    for (; i < stop; ++i) {
      s.slide(x[i], x[i - p], pd);
      y[i] = s.value(divisor);
    }
    if (i < n) {
      s.rebuild(x + i + 1 - p, p);
      y[i] = s.value(divisor);
      ++i;
    }
  }
  return core::ok();
}

core::Result<std::vector<double>> wma(std::span<const double> values, int period) {
  return indicator_detail::run_allocating(values.size(),
                                          [&](std::span<double> out) { return wma_into(values, period, out); });
}

core::Status dema_into(std::span<const double> values, int period, std::span<double> out) {
  const int lookback = 2 * (period - 1);
  BALLAST_TRY(indicator_detail::check_single_series("DEMA", values, period, lookback, out));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  std::vector<double> outer(n), inner(n);
  indicator_detail::ema_kernel(values.data(), n, period, outer.data());
  indicator_detail::ema_kernel(outer.data() + (p - 1), n - (p - 1), period, inner.data() + (p - 1));
  indicator_detail::fill_nan_prefix(out, static_cast<std::size_t>(lookback));
  for (auto i = static_cast<std::size_t>(lookback); i < n; ++i) out[i] = dema_combine(outer[i], inner[i]);
  return core::ok();
}

core::Result<std::vector<double>> dema(std::span<const double> values, int period) {
  return indicator_detail::run_allocating(values.size(),
                                          [&](std::span<double> out) { return dema_into(values, period, out); });
}

core::Status tema_into(std::span<const double> values, int period, std::span<double> out) {
  const int lookback = 3 * (period - 1);
  BALLAST_TRY(indicator_detail::check_single_series("TEMA", values, period, lookback, out));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  std::vector<double> first(n), second(n), third(n);
  indicator_detail::ema_kernel(values.data(), n, period, first.data());
  indicator_detail::ema_kernel(first.data() + (p - 1), n - (p - 1), period, second.data() + (p - 1));
  indicator_detail::ema_kernel(second.data() + 2 * (p - 1), n - 2 * (p - 1), period, third.data() + 2 * (p - 1));
  indicator_detail::fill_nan_prefix(out, static_cast<std::size_t>(lookback));
  for (auto i = static_cast<std::size_t>(lookback); i < n; ++i) {
    out[i] = tema_combine(first[i], second[i], third[i]);
  }
  return core::ok();
}

core::Result<std::vector<double>> tema(std::span<const double> values, int period) {
  return indicator_detail::run_allocating(values.size(),
                                          [&](std::span<double> out) { return tema_into(values, period, out); });
}

// ---- streaming ---------------------------------------------------------------------------------

core::Result<SmaCalculator> SmaCalculator::create(int period) {
  BALLAST_TRY(indicator_detail::check_period("SMA", "period", period));
  return SmaCalculator(period);
}

EmaCalculator::EmaCalculator(int period) : period_(period), weights_(indicator_detail::ema_weights(period)) {}

core::Result<EmaCalculator> EmaCalculator::create(int period) {
  BALLAST_TRY(indicator_detail::check_period("EMA", "period", period));
  return EmaCalculator(period);
}

double EmaCalculator::update(double x) {
  indicator_detail::require_finite_update("EMA", "value", x);
  if (count_ < period_) {
    seed_sum_ += x;
    if (++count_ < period_) return kNaN;
    value_ = seed_sum_ / static_cast<double>(period_);
    return value_;
  }
  value_ = indicator_detail::ema_step(value_, x, weights_);
  return value_;
}

WmaCalculator::WmaCalculator(int period)
    : window_(period),
      period_(period),
      period_d_(static_cast<double>(period)),
      divisor_(period_d_ * (period_d_ + 1.0) / 2.0),
      recompute_every_(indicator_detail::recompute_interval(period)) {}

core::Result<WmaCalculator> WmaCalculator::create(int period) {
  BALLAST_TRY(indicator_detail::check_period("WMA", "period", period));
  return WmaCalculator(period);
}

double WmaCalculator::update(double x) {
  indicator_detail::require_finite_update("WMA", "value", x);
  const double displaced = window_.push(x);
  if (count_ < period_) {
    if (++count_ < period_) return kNaN;
    state_.rebuild(window_.window(), window_.capacity());
  } else if (++since_recompute_ == recompute_every_) {
    since_recompute_ = 0;
    state_.rebuild(window_.window(), window_.capacity());
  } else {
    state_.slide(x, displaced, period_d_);
  }
  value_ = state_.value(divisor_);
  return value_;
}

core::Result<DemaCalculator> DemaCalculator::create(int period) {
  BALLAST_TRY(indicator_detail::check_period("DEMA", "period", period));
  return DemaCalculator(*EmaCalculator::create(period), *EmaCalculator::create(period));
}

double DemaCalculator::update(double x) {
  indicator_detail::require_finite_update("DEMA", "value", x);
  const double e1 = outer_.update(x);
  if (!outer_.ready()) return kNaN;
  const double e2 = inner_.update(e1);
  if (!inner_.ready()) return kNaN;
  value_ = dema_combine(e1, e2);
  return value_;
}

core::Result<TemaCalculator> TemaCalculator::create(int period) {
  BALLAST_TRY(indicator_detail::check_period("TEMA", "period", period));
  return TemaCalculator(*EmaCalculator::create(period), *EmaCalculator::create(period), *EmaCalculator::create(period));
}

double TemaCalculator::update(double x) {
  indicator_detail::require_finite_update("TEMA", "value", x);
  const double e1 = first_.update(x);
  if (!first_.ready()) return kNaN;
  const double e2 = second_.update(e1);
  if (!second_.ready()) return kNaN;
  const double e3 = third_.update(e2);
  if (!third_.ready()) return kNaN;
  value_ = tema_combine(e1, e2, e3);
  return value_;
}

}  // namespace ballast::analytics
