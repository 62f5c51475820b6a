#include "ballast/risk/breaker_conditions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ballast::risk {

using core::Decimal;

Decimal ratio_floor(const Decimal& num, const Decimal& den) {
  for (const int scale : {kRatioScale, 8, 4, 0}) {
    auto r = num.checked_div(den, scale, core::RoundingMode::Down);
    if (r) return *r;
  }
  return Decimal::from_int(num.sign() * std::numeric_limits<std::int64_t>::max());
}

namespace {

// a × b at the finest scale up to a.scale + b.scale (18 at most) whose raw value fits int64, rounded with
// `mode`: exact whenever the exact product fits. A large position with a many-decimal average entry
// (7058.821868 shares at 1.4270830000) has an exact product at 16 places that does not.
Decimal fitted_product(const Decimal& a, const Decimal& b, core::RoundingMode mode) {
  for (int scale = std::min(Decimal::kMaxScale, a.scale() + b.scale());; --scale) {
    auto product = a.checked_mul(b, scale, mode);
    if (product || scale == 0) return product.value();
  }
}

}  // namespace

BreakerMeasurement measured(const Decimal& value, const Decimal& threshold) {
  return BreakerMeasurement{value, value >= threshold};
}

std::optional<BreakerMeasurement> AccountDrawdownMeter::update(const Decimal& equity, const Decimal& threshold) {
  if (!started_ || equity > peak_) {
    peak_ = equity;
    started_ = true;
  }
  if (!peak_.is_positive()) return std::nullopt;
  if (!has_measured_ || equity != measured_equity_ || peak_ != measured_peak_) {
    // At a new high the drawdown is exactly 0: no division.
    drawdown_ = equity == peak_ ? Decimal::from_raw(0, kRatioScale) : ratio_floor(peak_ - equity, peak_);
    measured_equity_ = equity;
    measured_peak_ = peak_;
    has_measured_ = true;
  }
  return measured(drawdown_, threshold);
}

void SteadyBand::intersect(const SteadyBand& o) noexcept {
  lo = std::max(lo, o.lo);
  hi = std::min(hi, o.hi);
}

namespace {

constexpr double kSlack = SteadyBand::kSlack;

// Inputs x at which `level` − x (a loss or drawdown amount) stays below `trip` (not met) or reaches it (met),
// i.e. x above or at most level − trip; `scale` is the size of the amounts, for the slack.
SteadyBand loss_band(double level, double trip, double scale, bool met) {
  const double edge = level - trip;
  const double slack = kSlack * (std::abs(scale) + std::abs(trip)) + 1e-9;
  return met ? SteadyBand{-std::numeric_limits<double>::infinity(), edge - slack}
             : SteadyBand{edge + slack, std::numeric_limits<double>::infinity()};
}

}  // namespace

SteadyBand AccountDrawdownMeter::steady_band(const Decimal& threshold, bool met) const noexcept {
  if (!started_ || !peak_.is_positive()) return SteadyBand::none();
  const double peak = peak_.approx_double();
  // Drawdown (peak − equity) / peak >= threshold ⇔ equity <= peak − threshold × peak; below the peak only,
  // and above −10⁶ peaks, where ratio_floor keeps its 12 places.
  SteadyBand band = loss_band(peak, threshold.approx_double() * peak, peak, met);
  band.intersect({-1e6 * peak, peak * (1.0 - kSlack)});
  return band;
}

SteadyBand PositionDrawdownMeter::steady_band(const Decimal& quantity, const Decimal& avg_entry,
                                              const Decimal& multiplier, const Decimal& threshold,
                                              bool met) const noexcept {
  // A flat position measures 0 (not met); update() would only clear what is already clear.
  if (quantity.is_zero()) {
    const bool clear = quantity_.is_zero() && avg_entry_.is_zero() && best_.is_zero();
    return clear && !met ? SteadyBand{} : SteadyBand::none();
  }
  if (quantity != quantity_ || avg_entry != avg_entry_ || multiplier != multiplier_ ||
      multiplier.scale() != multiplier_.scale() || !entry_notional_.is_positive()) {
    return SteadyBand::none();
  }
  const double best = best_.approx_double();
  const double notional = entry_notional_.approx_double();
  // (best − P&L) / entry notional >= threshold ⇔ P&L <= best − threshold × entry notional; no new best,
  // and a drawdown under 10⁶ (ratio_floor's 12 places).
  const double scale = std::max(std::abs(best), notional);
  SteadyBand band = loss_band(best, threshold.approx_double() * notional, scale, met);
  band.intersect({best - 1e6 * notional, best - kSlack * scale - 1e-9});
  return band;
}

BreakerMeasurement PositionDrawdownMeter::update(const Decimal& quantity, const Decimal& avg_entry,
                                                 const Decimal& multiplier, const Decimal& unrealized_pnl,
                                                 const Decimal& threshold) {
  const Decimal zero{};
  if (quantity.is_zero()) {
    quantity_ = zero;
    avg_entry_ = zero;
    best_ = zero;
    return BreakerMeasurement{zero, false};
  }
  const bool position_changed = quantity != quantity_ || avg_entry != avg_entry_;
  if (position_changed) {
    const bool same_side = quantity.sign() == quantity_.sign();
    const bool reduced = same_side && quantity.abs() < quantity_.abs() && avg_entry == avg_entry_;
    if (reduced) {
      // The best P&L of the part still open: scale by the remaining fraction (rounded down, never above).
      best_ = fitted_product(best_, quantity.abs(), core::RoundingMode::Down)
                  .div(quantity_.abs(), best_.scale(), core::RoundingMode::Down);
    } else {
      best_ = unrealized_pnl;
    }
    quantity_ = quantity;
    avg_entry_ = avg_entry;
  }
  if (unrealized_pnl > best_) best_ = unrealized_pnl;
  if (position_changed || multiplier != multiplier_ || multiplier.scale() != multiplier_.scale()) {
    // Rounded down when it cannot be exact: the ratio is then never understated.
    entry_notional_ = fitted_product(fitted_product(quantity.abs(), avg_entry, core::RoundingMode::Down), multiplier,
                                     core::RoundingMode::Down);
    multiplier_ = multiplier;
  }
  if (!entry_notional_.is_positive()) return BreakerMeasurement{zero, false};
  return measured(ratio_floor(best_ - unrealized_pnl, entry_notional_), threshold);
}

void DailyLossMeter::roll(core::UnixNanos now, const Decimal& equity) {
  const std::int64_t day = core::floor_div(now.value, core::kNanosPerDay);
  if (!day_ || *day_ != day) {
    day_ = day;
    day_start_ = equity;
  }
}

bool DailyLossMeter::rolls_at(core::UnixNanos now) const noexcept {
  return !day_ || *day_ != core::floor_div(now.value, core::kNanosPerDay);
}

SteadyBand DailyLossMeter::steady_band(const Decimal& threshold, bool met) const noexcept {
  // Loss = day start − equity (0 in profit) >= threshold ⇔ equity <= day start − threshold (threshold > 0).
  const double start = day_start_.approx_double();
  return loss_band(start, threshold.approx_double(), start, met);
}

BreakerMeasurement DailyLossMeter::update(const Decimal& equity, const Decimal& threshold) const {
  const Decimal loss = day_start_ - equity;
  return measured(loss.is_positive() ? loss : Decimal{}, threshold);
}

BreakerMeasurement LossStreakMeter::measure(const Decimal& threshold) const {
  return measured(Decimal::from_int(streak_), threshold);
}

void RejectRateMeter::expire(core::UnixNanos now) {
  const core::UnixNanos start = now - window_;
  while (!sent_.empty() && sent_.front() <= start) sent_.pop_front();
  while (!rejected_.empty() && rejected_.front() <= start) rejected_.pop_front();
}

void RejectRateMeter::on_sent(core::UnixNanos ts) {
  sent_.push_back(ts);
  expire(ts);
}

void RejectRateMeter::on_rejected(core::UnixNanos ts) {
  rejected_.push_back(ts);
  expire(ts);
}

std::optional<BreakerMeasurement> RejectRateMeter::measure(core::UnixNanos now, const Decimal& threshold) {
  expire(now);
  const auto sent = static_cast<std::int64_t>(sent_.size());
  if (sent < min_samples_ || sent == 0) return std::nullopt;
  return measured(ratio_floor(Decimal::from_int(static_cast<std::int64_t>(rejected_.size())), Decimal::from_int(sent)),
                  threshold);
}

std::int32_t utc_weekday(core::UnixNanos t) noexcept {
  // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
  const std::int64_t day = core::floor_div(t.value, core::kNanosPerDay);
  const std::int64_t wd = (day + 3) % 7;
  return static_cast<std::int32_t>(wd < 0 ? wd + 7 : wd);
}

std::int32_t utc_minute_of_day(core::UnixNanos t) noexcept {
  const std::int64_t day = core::floor_div(t.value, core::kNanosPerDay);
  return static_cast<std::int32_t>((t.value - day * core::kNanosPerDay) / core::kNanosPerMinute);
}

bool in_session(const TradingSession& session, core::UnixNanos t) noexcept {
  const std::int32_t weekday = utc_weekday(t);
  const std::int32_t minute = utc_minute_of_day(t);
  const auto on = [&](std::int32_t d) { return ((session.weekdays >> d) & 1u) != 0; };
  if (session.start_minute < session.end_minute) {
    return on(weekday) && minute >= session.start_minute && minute < session.end_minute;
  }
  if (session.start_minute > session.end_minute) {
    // Wraps past midnight: the part after midnight belongs to the session that started the day before.
    return (on(weekday) && minute >= session.start_minute) || (on((weekday + 6) % 7) && minute < session.end_minute);
  }
  return false;  // start == end: empty (configuration validation refuses it)
}

bool in_any_session(std::span<const TradingSession> sessions, core::UnixNanos t) noexcept {
  for (const auto& s : sessions) {
    if (in_session(s, t)) return true;
  }
  return false;
}

BreakerMeasurement measure_trading_hours(std::span<const TradingSession> sessions, core::UnixNanos now) noexcept {
  const bool outside = !in_any_session(sessions, now);
  return BreakerMeasurement{Decimal::from_int(outside ? 1 : 0), outside};
}

}  // namespace ballast::risk
