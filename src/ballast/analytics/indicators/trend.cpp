#include "ballast/analytics/indicators/trend.hpp"

#include <algorithm>
#include <cmath>

namespace ballast::analytics {
namespace {

namespace ind = indicator_detail;
using ind::kNaN;

struct DirectionalMove {
  double plus = 0.0;
  double minus = 0.0;
};

// +DM = up when up > down and up > 0, else 0; −DM likewise. Written without branches (which way a
// noisy bar leans is a coin flip to the branch predictor): [up > down] is 0 or 1 and max(up, 0) is
// ½(up + |up|), both exact, so the result equals the branchy definition bit for bit.
inline DirectionalMove directional_move(double high, double low, double previous_high, double previous_low) noexcept {
  const double up = high - previous_high;
  const double down = previous_low - low;
  return {static_cast<double>(up > down) * (0.5 * (up + std::abs(up))),
          static_cast<double>(down > up) * (0.5 * (down + std::abs(down)))};
}

inline double directional_index(double smoothed_dm, double smoothed_tr) noexcept {
  return smoothed_tr == 0.0 ? 0.0 : 100.0 * (smoothed_dm / smoothed_tr);
}

inline double directional_movement_index(double plus_di, double minus_di) noexcept {
  const double total = plus_di + minus_di;
  return total == 0.0 ? 0.0 : 100.0 * (std::abs(plus_di - minus_di) / total);
}

inline double slope_of(const ind::LinRegState& s, double sxx) noexcept {
  return s.centered / sxx;
}

}  // namespace

// ---- ADX / +DI / −DI ---------------------------------------------------------------------------

core::Result<AdxCalculator> AdxCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("ADX", "period", period));
  return AdxCalculator(period);
}

double AdxCalculator::update(double high, double low, double close) {
  ind::require_finite_update("ADX", "high", high);
  ind::require_finite_update("ADX", "low", low);
  ind::require_finite_update("ADX", "close", close);
  const int bar = count_;  // index of this bar while warming up
  if (count_ < 2 * period_) ++count_;
  if (bar == 0) {
    previous_high_ = high;
    previous_low_ = low;
    previous_close_ = close;
    return kNaN;
  }
  const DirectionalMove dm = directional_move(high, low, previous_high_, previous_low_);
  const double tr = ind::true_range(high, low, previous_close_);
  previous_high_ = high;
  previous_low_ = low;
  previous_close_ = close;
  if (bar < period_) {
    // Bars 1..p−1: plain sums.
    plus_dm_ += dm.plus;
    minus_dm_ += dm.minus;
    tr_ += tr;
    return kNaN;
  }
  plus_dm_ = plus_dm_ * weights_.keep + dm.plus;
  minus_dm_ = minus_dm_ * weights_.keep + dm.minus;
  tr_ = tr_ * weights_.keep + tr;
  plus_di_ = directional_index(plus_dm_, tr_);
  minus_di_ = directional_index(minus_dm_, tr_);
  // DX from the smoothed movements directly: the common 100/TR cancels, so DX does not wait for the
  // DI divisions (one division less on the update's dependent chain; equal to the DI form to ~1 ulp).
  const double dx = directional_movement_index(plus_dm_, minus_dm_);
  if (bar < 2 * period_ - 1) {
    adx_ += dx;
    return kNaN;
  }
  if (bar == 2 * period_ - 1) {
    adx_ = (adx_ + dx) / static_cast<double>(period_);
  } else {
    adx_ = ind::wilder_step(adx_, dx, weights_);
  }
  adx_value_ = adx_;
  return adx_value_;
}

core::Status adx_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                      int period, std::span<double> adx_out, std::span<double> plus_di_out,
                      std::span<double> minus_di_out) {
  BALLAST_TRY(ind::check_period("ADX", "period", period));
  BALLAST_TRY(ind::check_bars("ADX", high, low, close, 2 * period - 1));
  BALLAST_TRY(ind::check_bar_output(high, low, close, adx_out, "adx_out"));
  BALLAST_TRY(ind::check_bar_output(high, low, close, plus_di_out, "plus_di_out"));
  BALLAST_TRY(ind::check_bar_output(high, low, close, minus_di_out, "minus_di_out"));
  BALLAST_TRY(ind::check_output(adx_out, plus_di_out, "plus_di_out"));
  BALLAST_TRY(ind::check_output(adx_out, minus_di_out, "minus_di_out"));
  BALLAST_TRY(ind::check_output(plus_di_out, minus_di_out, "minus_di_out"));
  // ADX is a chain of Wilder recursions with no batch shortcut: the batch form drives the calculator
  // (inputs already validated), which makes the two identical by construction.
  AdxCalculator calc = *AdxCalculator::create(period);
  for (std::size_t i = 0; i < high.size(); ++i) {
    adx_out[i] = calc.update(high[i], low[i], close[i]);
    plus_di_out[i] = calc.plus_di();
    minus_di_out[i] = calc.minus_di();
  }
  return core::ok();
}

core::Result<AdxSeries> adx(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                            int period) {
  const std::size_t n = high.size();
  AdxSeries series{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  BALLAST_TRY(adx_into(high, low, close, period, series.adx, series.plus_di, series.minus_di));
  return series;
}

// ---- linear-regression slope -------------------------------------------------------------------

void ind::LinRegState::rebuild(const double* window, std::size_t period) noexcept {
  const auto pd = static_cast<double>(period);
  const double jbar = (pd - 1.0) / 2.0;
  ref = window_sum(window, period) / pd;
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
  std::size_t j = 0;
  for (; j + 4 <= period; j += 4) {
    const double w = static_cast<double>(j) - jbar;
    const double d0 = window[j] - ref, d1 = window[j + 1] - ref, d2 = window[j + 2] - ref, d3 = window[j + 3] - ref;
    s0 += d0;
    s1 += d1;
    s2 += d2;
    s3 += d3;
    c0 += w * d0;
    c1 += (w + 1.0) * d1;
    c2 += (w + 2.0) * d2;
    c3 += (w + 3.0) * d3;
  }
  for (; j < period; ++j) {
    const double d = window[j] - ref;
    s0 += d;
    c0 += (static_cast<double>(j) - jbar) * d;
  }
  sum = (s0 + s1) + (s2 + s3);
  centered = (c0 + c1) + (c2 + c3);
}

core::Status linreg_slope_into(std::span<const double> values, int period, std::span<double> out) {
  BALLAST_TRY(ind::check_single_series("linear-regression slope", values, period, period - 1, out, 2));
  const auto p = static_cast<std::size_t>(period);
  const std::size_t n = values.size();
  const auto pd = static_cast<double>(period);
  const double sxx = pd * (pd * pd - 1.0) / 12.0;
  const double* x = values.data();
  ind::fill_nan_prefix(out, p - 1);
  ind::LinRegState s;
  s.rebuild(x, p);
  out[p - 1] = slope_of(s, sxx);
  const std::size_t every = ind::recompute_interval(period);
  std::size_t i = p;
  while (i < n) {
    const std::size_t stop = std::min(n, i + every - 1);
    for (; i < stop; ++i) {
      s.slide(x[i], x[i - p], pd);
      out[i] = slope_of(s, sxx);
    }
    if (i < n) {
      s.rebuild(x + i + 1 - p, p);
      out[i] = slope_of(s, sxx);
      ++i;
    }
  }
  return core::ok();
}

core::Result<std::vector<double>> linreg_slope(std::span<const double> values, int period) {
  return ind::run_allocating(values.size(),
                             [&](std::span<double> out) { return linreg_slope_into(values, period, out); });
}

LinRegSlopeCalculator::LinRegSlopeCalculator(int period)
    : window_(period),
      period_(period),
      period_d_(static_cast<double>(period)),
      sxx_(period_d_ * (period_d_ * period_d_ - 1.0) / 12.0),
      recompute_every_(ind::recompute_interval(period)) {}

core::Result<LinRegSlopeCalculator> LinRegSlopeCalculator::create(int period) {
  BALLAST_TRY(ind::check_period("linear-regression slope", "period", period, 2));
  return LinRegSlopeCalculator(period);
}

double LinRegSlopeCalculator::update(double x) {
  ind::require_finite_update("linear-regression slope", "value", x);
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
  value_ = slope_of(state_, sxx_);
  return value_;
}

}  // namespace ballast::analytics
