// RiskMonitor: margin ratio, limit watches, performance snapshots and alerts (risk_monitor.hpp).
#include "ballast/risk/risk_monitor.hpp"

#include "ballast/model/money.hpp"
#include "ballast/portfolio/margin_manager.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ballast::risk {

using core::Decimal;

void RiskMonitor::update_slot_margin(portfolio::SlotIndex slot) {
  const portfolio::InstrumentSlot& s = book_->slot(slot);
  Decimal mm{};
  bool isolated_open = false;
  if (s.has_mark && !s.quantity.is_zero()) {
    if (s.margin_mode == model::MarginMode::Cross) {
      // No tiers (spot) or a notional beyond the last tier: no maintenance margin we can state (0).
      // (The notional is in the settlement currency: the book holds only instruments that settle in it.)
      if (auto r = s.instrument->maintenance_margin_amount(s.notional.abs())) mm = *r;
    } else {
      isolated_open = true;
    }
  }
  mm_total_ = mm_total_ - slot_mm_[slot] + mm;
  slot_mm_[slot] = mm;
  if (isolated_open != slot_isolated_open_[slot]) {
    slot_isolated_open_[slot] = isolated_open;
    isolated_open_ += isolated_open ? 1 : -1;
    if (!isolated_open) isolated_call_[slot] = false;
  }
}

namespace {

// A ratio num / den (both positive) that is rounded toward +∞ to 8 places stays below `level` whenever the
// exact ratio is below level − 2·10⁻⁸: rounding adds less than 10⁻⁸, and the 10⁻⁹ relative slack covers the
// error of the doubles many times over. A true result is certain; false only means "form the ratio".
bool clearly_below(const Decimal& num, const Decimal& den, const Decimal& level) {
  return num.approx_double() < (level.approx_double() - 2e-8) * den.approx_double() * (1.0 - 1e-9);
}

}  // namespace

std::optional<Decimal> RiskMonitor::margin_ratio() {
  settle();
  if (!margin_checked_) return std::nullopt;
  return portfolio::margin_ratio(margin_mm_, margin_balance_);
}

Decimal RiskMonitor::margin_balance() const { return book_->cross_margin_balance(); }

void RiskMonitor::sync_margin() {
  if (stale_margin_slot_ == portfolio::PortfolioBook::kNoSlot) return;
  const portfolio::SlotIndex slot = stale_margin_slot_;
  stale_margin_slot_ = portfolio::PortfolioBook::kNoSlot;
  update_slot_margin(slot);
}

void RiskMonitor::check_margin(core::UnixNanos now) {
  sync_margin();
  const Decimal& call_ratio = engine_->config().margin_call_ratio;
  margin_checked_ = true;
  if (!mm_total_.is_positive()) {
    margin_mm_ = Decimal{};  // ratio 0
    margin_balance_ = Decimal{};
    margin_call_ = false;
    return;
  }
  const Decimal balance = margin_balance();
  // At the currency's precision, as Money would hold them (both normally are already).
  const int precision = book_->settlement_currency().precision();
  const auto at_precision = [precision](const Decimal& v) { return v.scale() == precision ? v : v.rescale(precision); };
  margin_mm_ = at_precision(mm_total_);
  margin_balance_ = at_precision(balance);
  // Far below the call level with no call standing nothing can happen: the ratio is formed only when read.
  static_assert(portfolio::kMarginRatioScale == 8, "clearly_below() allows for rounding at 8 places");
  if (!margin_call_ && margin_balance_.is_positive() && clearly_below(margin_mm_, margin_balance_, call_ratio)) return;
  const std::optional<Decimal> ratio = portfolio::margin_ratio(margin_mm_, margin_balance_);
  const bool calling = !ratio || *ratio >= call_ratio;
  if (calling && !margin_call_) {
    margin_call_ = true;
    MarginCallWarning e{std::nullopt, ratio, call_ratio, mm_total_, balance, now};
    bus_->publish(MarginCallWarning::kTopic, e);
    raise_alert(AlertSeverity::Critical, AlertCode::MarginCall,
                fmt::format("margin call: margin ratio {} >= {} (maintenance {} / balance {})",
                            ratio ? ratio->to_string_trimmed() : std::string("unbounded"),
                            call_ratio.to_string_trimmed(), mm_total_.to_string_trimmed(), balance.to_string_trimmed()),
                std::nullopt, {}, now);
  } else if (margin_call_ && !calling && *ratio < call_ratio - config_.margin_call_rearm_margin) {
    margin_call_ = false;
  }
}

void RiskMonitor::check_isolated_margin(core::UnixNanos now) {
  const Decimal& call_ratio = engine_->config().margin_call_ratio;
  auto manager = portfolio::MarginManager::create(portfolio::MarginConfig{call_ratio});
  if (!manager) return;
  auto summary = manager->evaluate(book_->margin_state());
  if (!summary) return;
  for (const auto& p : summary->positions) {
    if (p.mode != model::MarginMode::Isolated) continue;
    const auto slot = book_->find(p.instrument_id);
    if (!slot) continue;
    if (p.margin_call && !isolated_call_[*slot]) {
      isolated_call_[*slot] = true;
      const Decimal balance = p.isolated_margin_balance ? p.isolated_margin_balance->amount() : Decimal{};
      MarginCallWarning e{p.instrument_id, p.isolated_margin_ratio, call_ratio, p.maintenance_margin.amount(), balance,
                          now};
      bus_->publish(MarginCallWarning::kTopic, e);
      raise_alert(AlertSeverity::Critical, AlertCode::MarginCall,
                  fmt::format("margin call on isolated {}: margin ratio {} >= {}", p.instrument_id.value(),
                              p.isolated_margin_ratio ? p.isolated_margin_ratio->to_string_trimmed() : "unbounded",
                              call_ratio.to_string_trimmed()),
                  p.instrument_id, {}, now);
    } else if (!p.margin_call && isolated_call_[*slot] && p.isolated_margin_ratio &&
               *p.isolated_margin_ratio < call_ratio - config_.margin_call_rearm_margin) {
      isolated_call_[*slot] = false;
    }
  }
}

void RiskMonitor::check_limits(core::UnixNanos now) {
  if (limits_.empty()) return;
  const RiskConfig& rc = engine_->config();
  const Decimal equity = book_->equity();
  for (auto& w : limits_) {
    Decimal value;
    Decimal limit;
    switch (w.check) {
      case RiskCheck::MaxGrossExposure:
        value = book_->gross_exposure();
        limit = rc.max_gross_exposure.value;
        break;
      case RiskCheck::MaxNetExposure:
        value = book_->net_exposure().abs();
        limit = rc.max_net_exposure.value;
        break;
      case RiskCheck::MaxLeverage: {
        if (!equity.is_positive()) continue;  // the drawdown breakers and the margin call speak then
        limit = rc.max_leverage.value;
        const Decimal& gross = book_->gross_exposure();
        // Still clearly below the warning level it was below: the level stays, and the value (reported only
        // when the level rises) is not formed.
        if (w.level == Level::Below && !w.near.is_zero() && limit == w.limit &&
            rc.warning_utilisation == w.utilisation && clearly_below(gross, equity, w.near)) {
          continue;
        }
        value = gross.is_zero() ? Decimal{} : gross.div(equity, 8, core::RoundingMode::Up);
        break;
      }
      case RiskCheck::DailyLoss: {
        const Decimal loss = day_.day_start_equity() - equity;
        value = loss.is_positive() ? loss : Decimal{};
        limit = rc.daily_loss_limit.value;
        break;
      }
      case RiskCheck::PortfolioVar: {
        auto var = Decimal::from_double(engine_->portfolio_var(), 8, core::RoundingMode::Up);
        if (!var) continue;
        value = *var;
        limit = rc.portfolio_var.max_var;
        break;
      }
      default: continue;
    }
    if (!limit.is_positive()) continue;
    if (limit != w.limit || rc.warning_utilisation != w.utilisation || w.near.is_zero()) {
      w.limit = limit;
      w.utilisation = rc.warning_utilisation;
      w.near = limit.mul(rc.warning_utilisation,
                         std::min(Decimal::kMaxScale, limit.scale() + rc.warning_utilisation.scale()));
    }
    const Decimal& near = w.near;
    const Level level = value >= limit ? Level::Reached : (value >= near ? Level::Near : Level::Below);
    const Level before = w.level;
    w.level = level;
    if (static_cast<int>(level) <= static_cast<int>(before)) continue;
    if (level == Level::Reached) {
      bus_->publish(RiskLimitReached::kTopic, RiskLimitReached{w.check, limit, value, now});
      raise_alert(AlertSeverity::Critical, AlertCode::RiskLimitReached,
                  fmt::format("{} reached: {} >= limit {}", to_string(w.check), value.to_string_trimmed(),
                              limit.to_string_trimmed()),
                  std::nullopt, std::string(to_string(w.check)), now);
    } else {
      const Decimal utilisation = ratio_floor(value, limit).rescale(4, core::RoundingMode::Down);
      bus_->publish(PortfolioRiskHigh::kTopic, PortfolioRiskHigh{w.check, limit, value, utilisation, now});
      raise_alert(AlertSeverity::Warning, AlertCode::PortfolioRiskHigh,
                  fmt::format("{} at {} % of its limit ({} of {})", to_string(w.check),
                              utilisation.mul(Decimal::from_int(100), 2).to_string_trimmed(), value.to_string_trimmed(),
                              limit.to_string_trimmed()),
                  std::nullopt, std::string(to_string(w.check)), now);
    }
  }
}

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kSlack = SteadyBand::kSlack;

// Values at which a limit watch stays at `level` (value >= limit: reached; >= near: near).
SteadyBand level_band(int level, double near, double limit) {
  const auto above = [](double v) { return v + kSlack * std::abs(v) + 1e-12; };
  const auto below = [](double v) { return v - kSlack * std::abs(v) - 1e-12; };
  switch (level) {
    case 0: return {-kInfinity, below(near)};
    case 1: return {above(near), below(limit)};
    default: return {above(limit), kInfinity};
  }
}

// Where a breaker's evaluate() returns None: ARMED and not met, TRIPPED and still met; a disabled ARMED
// breaker never trips, so only its meter's history has to stay (either side of the threshold will do).
template <typename BandOf>
SteadyBand breaker_band(const CircuitBreaker& breaker, BandOf band_of) {
  switch (breaker.state()) {
    case BreakerState::Armed: {
      SteadyBand band = band_of(false);
      if (!breaker.config().enabled) {
        const SteadyBand met = band_of(true);
        band = {std::min(band.lo, met.lo), std::max(band.hi, met.hi)};
      }
      return band;
    }
    case BreakerState::Tripped: return band_of(true);
    case BreakerState::CoolingDown: break;  // re-arms on the next evaluation its cool-down allows
  }
  return SteadyBand::none();
}

}  // namespace

void RiskMonitor::build_account_band() {
  sync_margin();
  ++band_serial_;
  AccountBand b;
  b.valid = true;
  b.config_generation = engine_->config_generation();
  const RiskConfig& rc = engine_->config();
  // No new peak of the equity.
  const double peak = peak_equity_.approx_double();
  b.equity.intersect({-kInfinity, peak - kSlack * std::abs(peak) - 1e-9});
  for (const auto i : equity_instances_) {
    const Instance& inst = instances_[i];
    const Decimal& threshold = inst.breaker.config().threshold;
    if (const auto* dd = std::get_if<AccountDrawdownMeter>(&inst.meter)) {
      b.equity.intersect(breaker_band(inst.breaker, [&](bool met) { return dd->steady_band(threshold, met); }));
    } else {
      b.equity.intersect(breaker_band(inst.breaker, [&](bool met) { return day_.steady_band(threshold, met); }));
    }
  }
  // Every limit watch keeps its level (check_limits publishes when one rises and re-arms when one falls).
  const double equity = book_->equity().approx_double();
  for (const auto& w : limits_) {
    Decimal limit;
    switch (w.check) {
      case RiskCheck::MaxGrossExposure: limit = rc.max_gross_exposure.value; break;
      case RiskCheck::MaxNetExposure: limit = rc.max_net_exposure.value; break;
      case RiskCheck::MaxLeverage: limit = rc.max_leverage.value; break;
      case RiskCheck::DailyLoss: limit = rc.daily_loss_limit.value; break;
      case RiskCheck::PortfolioVar: limit = rc.portfolio_var.max_var; break;
      default: continue;
    }
    if (!limit.is_positive()) continue;
    if (limit != w.limit || rc.warning_utilisation != w.utilisation || w.near.is_zero() ||
        w.check == RiskCheck::PortfolioVar) {
      b.equity = SteadyBand::none();  // a new warning level, or the VaR (moves with every mark): measure
      break;
    }
    const SteadyBand values = level_band(static_cast<int>(w.level), w.near.approx_double(), limit.approx_double());
    switch (w.check) {
      case RiskCheck::MaxGrossExposure: b.gross.intersect(values); break;
      case RiskCheck::MaxNetExposure: b.net.intersect(values); break;
      case RiskCheck::DailyLoss: {
        // The value is max(0, day start − equity).
        const double start = day_.day_start_equity().approx_double();
        const double slack = kSlack * std::abs(start) + 1e-9;
        b.equity.intersect({start - values.hi + slack, start - values.lo - slack});
        break;
      }
      case RiskCheck::MaxLeverage: {
        // gross / equity below the warning level as check_limits tests it (clearly, or rounded up at 8
        // places): equity above a floor and gross below that level × the floor, the floor chosen so that
        // both may move by the same factor from where they are.
        const double level = (w.near.approx_double() - 2e-8) * (1.0 - 2 * kSlack);
        const double gross = book_->gross_exposure().approx_double();
        if (w.level != Level::Below || !(equity > 0.0) || !(gross < level * equity)) {
          b.equity = SteadyBand::none();
          break;
        }
        const double floor = equity * std::sqrt(std::max(gross / (level * equity), 0.01));
        b.equity.intersect({floor, kInfinity});
        b.gross.intersect({-kInfinity, level * floor});
        break;
      }
      default: break;
    }
  }
  // No margin call can be raised: maintenance margin / balance below the call ratio (as check_margin tests
  // it, at the settlement precision) with the balance above a floor chosen as for the leverage; or no
  // maintenance margin at all.
  const double tick = core::detail::kInversePow10Double[book_->settlement_currency().precision()];
  const double balance = margin_balance().approx_double();
  const double maintenance = mm_total_.approx_double();
  const double call = (rc.margin_call_ratio.approx_double() - 2e-8) * (1.0 - 2 * kSlack);
  if (margin_call_) {
    b.equity = SteadyBand::none();
  } else if (balance > 0.0 && maintenance < call * balance) {
    const double floor = balance * std::sqrt(std::max(maintenance / (call * balance), 0.01));
    b.balance = {floor + 2 * tick, kInfinity};
    b.maintenance = {-kInfinity, std::max(call * floor - 2 * tick, 1e-30)};
  } else {
    b.maintenance = {-kInfinity, 1e-30};  // not positive
  }
  account_band_ = b;
}

void RiskMonitor::build_slot_band(portfolio::SlotIndex slot) {
  ++band_serial_;
  const portfolio::InstrumentSlot& s = book_->slot(slot);
  SlotBand b;
  b.valid = true;
  b.quantity = s.quantity;
  b.avg_entry = s.avg_entry;
  b.follows_best = !s.quantity.is_zero();
  for (const auto i : slot_instances_[slot]) {
    const Instance& inst = instances_[i];
    const auto* dd = std::get_if<PositionDrawdownMeter>(&inst.meter);
    if (dd == nullptr) {
      b.pnl = SteadyBand::none();  // the price meters measure every mark
      b.follows_best = false;
      break;
    }
    const Decimal& threshold = inst.breaker.config().threshold;
    // At a new best the drawdown is 0: met only by a threshold of 0 or below, which trips only if enabled.
    if (inst.breaker.state() != BreakerState::Armed || (inst.breaker.config().enabled && !threshold.is_positive())) {
      b.follows_best = false;
    }
    b.pnl.intersect(breaker_band(inst.breaker, [&](bool met) {
      return dd->steady_band(s.quantity, s.avg_entry, s.instrument->multiplier(), threshold, met);
    }));
  }
  slot_bands_[slot] = b;
}

namespace {

// Narrows (lo, hi) to the marks m at which a + b·m (b != 0) lies inside `band` by more than two ticks and
// 10⁻¹² of the magnitudes at each finite bound (the doubles' error is below 10⁻¹⁵ of those).
void keep_inside(double a, double b, const SteadyBand& band, double tick, double& lo, double& hi) {
  const auto inward = [&](double bound, double direction) {
    return std::isfinite(bound) ? bound + direction * (2 * tick + 1e-12 * (std::abs(a) + std::abs(bound))) : bound;
  };
  const double from = (inward(band.lo, 1.0) - a) / b;
  const double to = (inward(band.hi, -1.0) - a) / b;
  lo = std::max(lo, b > 0 ? from : to);
  hi = std::min(hi, b > 0 ? to : from);
}

}  // namespace

void RiskMonitor::build_quiet_range(portfolio::SlotIndex slot) {
  quiet_range_.valid = false;
  const portfolio::InstrumentSlot& s = book_->slot(slot);
  // A breaker with a clock (a cool-down, a time window, a reject-rate window) may change state on any mark: no
  // range. Without one, none changes state before the bands are rebuilt (evaluate() invalidates them on
  // every change), so range_mark() need not look again.
  if (!s.has_mark || timed_breaker_active()) return;
  QuietRange r;
  r.outer_lo = -kInfinity;
  r.outer_hi = kInfinity;
  // Without a position the slot's mark moves none of the figures.
  if (!s.quantity.is_zero()) {
    // isolated_open_ is 0 (quiet() held), so an open position is on the cross account. At mark m > 0 the
    // book's figures of the slot are, before its roundings to the tick (half-even; the maintenance margin
    // up): P&L σk(m − avg), notional σkm, maintenance margin km·rate − amount of km's tier; k = |quantity| ×
    // multiplier, σ the position's sign.
    const double tick = core::detail::kInversePow10Double[book_->settlement_currency().precision()];
    const double sigma = s.quantity.is_positive() ? 1.0 : -1.0;
    const double k = std::abs(s.quantity.approx_double()) * s.instrument->multiplier().approx_double();
    const double avg = s.avg_entry.approx_double();
    const double pnl = s.unrealized_pnl.approx_double();
    const double notional = s.notional.approx_double();
    const double net = book_->net_exposure().approx_double();
    if (!(k > 0.0) || !(s.mark.value().is_positive()) || net == 0.0) return;
    double lo = 0.0;
    double hi = kInfinity;
    const AccountBand& all = account_band_;
    const double pnl_at_zero = -sigma * k * avg;  // the P&L is pnl_at_zero + σk·m
    keep_inside(book_->equity().approx_double() - pnl + pnl_at_zero, sigma * k, all.equity, tick, lo, hi);
    keep_inside(margin_balance().approx_double() - pnl + pnl_at_zero, sigma * k, all.balance, tick, lo, hi);
    keep_inside(book_->gross_exposure().approx_double() - std::abs(notional), k, all.gross, tick, lo, hi);
    // |net| with net keeping its sign.
    const SteadyBand positive{std::max(all.net.lo, 0.0), all.net.hi};
    const double net_sign = net > 0.0 ? 1.0 : -1.0;
    keep_inside(net_sign * (net - notional), net_sign * sigma * k, positive, tick, lo, hi);
    // The maintenance margin inside the tier of the notional now (floor < |notional| <= cap).
    const auto& tiers = s.instrument->margin_tiers();
    if (!tiers.empty()) {
      const double x = std::abs(notional);
      const model::MarginTier* tier = nullptr;
      for (const auto& t : tiers) {
        if (x <= t.notional_cap.approx_double()) {
          tier = &t;
          break;
        }
      }
      if (tier == nullptr) return;  // beyond the last tier: no maintenance margin stated
      keep_inside(0.0, k, {tier->notional_floor.approx_double(), tier->notional_cap.approx_double()}, tick, lo, hi);
      const double rate = tier->maintenance_margin_rate.approx_double();
      const double others = mm_total_.approx_double() - slot_mm_[slot].approx_double();
      if (rate > 0.0) {
        keep_inside(others - tier->maintenance_amount.approx_double(), k * rate, all.maintenance, tick, lo, hi);
      }
    }
    r.position_terms = true;
    r.outer_lo = lo;
    r.outer_hi = hi;
    r.pnl_at_zero = pnl_at_zero;
    r.pnl_slope = sigma * k;
    r.tick = tick;
  }
  close_quiet_range(slot, r);
}

void RiskMonitor::move_quiet_range_with_best(portfolio::SlotIndex slot) {
  const QuietRange r = quiet_range_;
  quiet_range_.valid = false;
  // (range_mark() found the new best by this slot's range, and the range is only built, never changed.)
  if (r.slot != slot || !r.position_terms || timed_breaker_active()) return build_quiet_range(slot);
  close_quiet_range(slot, r);
}

void RiskMonitor::close_quiet_range(portfolio::SlotIndex slot, QuietRange r) {
  double lo = r.outer_lo;
  double hi = r.outer_hi;
  double best_lo = lo;
  double best_hi = hi;
  if (r.position_terms) {
    // Last the slot's own P&L: inside its band, or, following the best, anywhere above the band's floor.
    const SlotBand& own = slot_bands_[slot];
    keep_inside(r.pnl_at_zero, r.pnl_slope, own.pnl, r.tick, lo, hi);
    if (own.follows_best) {
      keep_inside(r.pnl_at_zero, r.pnl_slope, {own.pnl.lo, kInfinity}, r.tick, best_lo, best_hi);
    } else {
      best_lo = lo;
      best_hi = hi;
    }
  }
  // Not where quiet() found the mark, or, after a new best, where the best now is: no range.
  const double mark = book_->slot(slot).mark.value().approx_double();
  if (!(best_lo < mark && mark < best_hi)) return;
  r.valid = true;
  r.slot = slot;
  r.book_version = book_->version();
  r.band_serial = band_serial_;
  r.lo = lo;
  r.hi = hi;
  r.best_lo = best_lo;
  r.best_hi = best_hi;
  quiet_range_ = r;
}

PerformanceUpdated RiskMonitor::performance() {
  settle();
  return snapshot();
}

PerformanceUpdated RiskMonitor::snapshot() const {
  PerformanceUpdated p;
  p.equity = book_->equity();
  p.peak_equity = peak_equity_ > p.equity ? peak_equity_ : p.equity;
  if (p.peak_equity.is_positive()) {
    p.drawdown = ratio_floor(p.peak_equity - p.equity, p.peak_equity).rescale(8, core::RoundingMode::Down);
  }
  p.daily_pnl = p.equity - day_.day_start_equity();
  p.realized_pnl = book_->realized_pnl();
  p.unrealized_pnl = book_->unrealized_pnl();
  p.gross_exposure = book_->gross_exposure();
  p.net_exposure = book_->net_exposure();
  if (p.equity.is_positive()) p.leverage = p.gross_exposure.div(p.equity, 4, core::RoundingMode::Up);
  p.margin_ratio = margin_checked_ ? portfolio::margin_ratio(margin_mm_, margin_balance_) : std::nullopt;
  p.portfolio_var = engine_->portfolio_var();
  p.positions_open = book_->positions_open();
  p.open_orders = book_->open_orders();
  p.trades = trades_;
  p.winning_trades = winning_trades_;
  p.loss_streak = streak_.streak();
  p.trading_state = engine_->trading_state();
  p.ts_event = last_time_;
  return p;
}

void RiskMonitor::publish_performance(core::UnixNanos now) {
  // Nobody listens on a backtest's own bus: building the snapshot (divisions for drawdown and leverage) on
  // every bar cost a backtest with 1-minute bars and the default 1 s interval several per cent of its time.
  if (!performance_listened()) return;
  PerformanceUpdated p = snapshot();
  p.ts_event = now;
  bus_->publish(PerformanceUpdated::kTopic, p);
}

void RiskMonitor::raise_alert(AlertSeverity severity, AlertCode code, std::string message,
                              std::optional<core::InstrumentId> instrument, std::string subject, core::UnixNanos now) {
  auto alert = alerts_.raise(severity, code, std::move(message), std::move(instrument), std::move(subject), now);
  if (alert) bus_->publish(Alert::kTopic, *alert);
}

}  // namespace ballast::risk
