// RiskMonitor: margin ratio, limit watches, performance snapshots and alerts (risk_monitor.hpp).
#include "ballast/risk/risk_monitor.hpp"

#include "ballast/model/money.hpp"
#include "ballast/portfolio/margin_manager.hpp"

#include <fmt/format.h>

#include <algorithm>
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
  return num.to_double() < (level.to_double() - 2e-8) * den.to_double() * (1.0 - 1e-9);
}

}  // namespace

std::optional<Decimal> RiskMonitor::margin_ratio() const {
  if (!margin_checked_) return std::nullopt;
  return portfolio::margin_ratio(margin_mm_, margin_balance_);
}

void RiskMonitor::check_margin(core::UnixNanos now) {
  const Decimal& call_ratio = engine_->config().margin_call_ratio;
  margin_checked_ = true;
  if (!mm_total_.is_positive()) {
    margin_mm_ = Decimal{};  // ratio 0
    margin_balance_ = Decimal{};
    margin_call_ = false;
    return;
  }
  const Decimal balance = book_->available_margin() + book_->initial_margin() + book_->open_order_margin();
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

PerformanceUpdated RiskMonitor::performance() const {
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
  p.margin_ratio = margin_ratio();
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
  if (!bus_->has_subscribers(PerformanceUpdated::kTopic)) return;
  PerformanceUpdated p = performance();
  p.ts_event = now;
  bus_->publish(PerformanceUpdated::kTopic, p);
}

void RiskMonitor::raise_alert(AlertSeverity severity, AlertCode code, std::string message,
                              std::optional<core::InstrumentId> instrument, std::string subject, core::UnixNanos now) {
  auto alert = alerts_.raise(severity, code, std::move(message), std::move(instrument), std::move(subject), now);
  if (alert) bus_->publish(Alert::kTopic, *alert);
}

}  // namespace ballast::risk
