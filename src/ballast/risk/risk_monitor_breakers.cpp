// RiskMonitor: circuit-breaker measurement, transitions, actions and the trading state (risk_monitor.hpp).
#include "ballast/risk/risk_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace ballast::risk {
namespace {

AlertSeverity severity_of(BreakerAction action) {
  switch (action) {
    case BreakerAction::Alert: return AlertSeverity::Warning;
    case BreakerAction::CancelOrders:
    case BreakerAction::ClosePosition:
    case BreakerAction::ReduceOnly: return AlertSeverity::Critical;
    case BreakerAction::Halt:
    case BreakerAction::FlattenAll: return AlertSeverity::Emergency;
  }
  return AlertSeverity::Critical;
}

std::optional<TradingState> held_state(BreakerAction action) {
  switch (action) {
    case BreakerAction::ReduceOnly: return TradingState::Reducing;
    case BreakerAction::Halt:
    case BreakerAction::FlattenAll: return TradingState::Halted;
    case BreakerAction::Alert:
    case BreakerAction::CancelOrders:
    case BreakerAction::ClosePosition: break;
  }
  return std::nullopt;
}

void merge(ActionResult& into, const ActionResult& r) {
  into.orders_affected += r.orders_affected;
  into.positions_affected += r.positions_affected;
  if (!r.ok) {
    into.ok = false;
    if (!into.error.empty()) into.error += "; ";
    into.error += r.error;
  }
}

}  // namespace

std::optional<BreakerMeasurement> RiskMonitor::measure(Instance& inst, core::UnixNanos now) {
  const CircuitBreakerConfig& c = inst.breaker.config();
  switch (c.condition) {
    case BreakerCondition::AccountDrawdown:
      return std::get<AccountDrawdownMeter>(inst.meter).update(book_->equity(), c.threshold);
    case BreakerCondition::DailyLoss: return day_.update(book_->equity(), c.threshold);
    case BreakerCondition::PositionDrawdown: {
      const portfolio::InstrumentSlot& s = book_->slot(*inst.slot);
      return std::get<PositionDrawdownMeter>(inst.meter)
          .update(s.quantity, s.avg_entry, s.instrument->multiplier(), s.unrealized_pnl, c.threshold);
    }
    case BreakerCondition::VolatilitySpike: return std::get<VolatilitySpikeMeter>(inst.meter).measure(now, c.threshold);
    case BreakerCondition::RapidMove: return std::get<RapidMoveMeter>(inst.meter).measure(c.threshold);
    case BreakerCondition::LossStreak: return std::get<LossStreakMeter>(inst.meter).measure(c.threshold);
    case BreakerCondition::RejectRate: return std::get<RejectRateMeter>(inst.meter).measure(now, c.threshold);
    case BreakerCondition::TradingHours: return measure_trading_hours(c.sessions, now);
  }
  return std::nullopt;
}

void RiskMonitor::evaluate(std::uint32_t index, core::UnixNanos now) {
  Instance& inst = instances_[index];
  const auto m = measure(inst, now);
  handle_transition(index, inst.breaker.evaluate(m, now), now);
}

void RiskMonitor::evaluate_slot(portfolio::SlotIndex slot, core::UnixNanos now) {
  for (const auto i : slot_instances_[slot]) evaluate(i, now);
}

void RiskMonitor::evaluate_account(core::UnixNanos now) {
  const core::Decimal equity = book_->equity();
  if (equity > peak_equity_) peak_equity_ = equity;
  for (const auto i : equity_instances_) evaluate(i, now);
  check_margin(now);
  if (isolated_open_ > 0 && now >= next_full_margin_check_) {
    next_full_margin_check_ = now + config_.full_margin_check_interval;
    check_isolated_margin(now);
  }
  check_limits(now);
  if (now >= next_performance_) {
    next_performance_ = now + config_.performance_interval;
    publish_performance(now);
  }
}

void RiskMonitor::handle_transition(std::uint32_t index, BreakerTransition transition, core::UnixNanos now) {
  switch (transition) {
    case BreakerTransition::None: break;
    case BreakerTransition::Triggered:
      set_active(index, true);
      pending_.push_back(index);
      break;
    case BreakerTransition::Rearmed: rearmed(index, now, {}, {}); break;
  }
}

void RiskMonitor::set_active(std::uint32_t index, bool active) {
  Instance& inst = instances_[index];
  if (inst.active == active) return;
  inst.active = active;
  if (active) {
    active_.push_back(index);
  } else {
    active_.erase(std::remove(active_.begin(), active_.end(), index), active_.end());
  }
}

void RiskMonitor::set_hold(std::uint32_t index, std::optional<TradingState> hold) {
  Instance& inst = instances_[index];
  if (inst.hold == hold) return;
  if (inst.hold) --holds_[static_cast<std::size_t>(*inst.hold)];
  inst.hold = hold;
  if (inst.hold) ++holds_[static_cast<std::size_t>(*inst.hold)];
  recompute_trading_state();
}

void RiskMonitor::recompute_trading_state() {
  TradingState state = operator_state_;
  const auto stricter = [&](TradingState s) {
    if (static_cast<int>(s) > static_cast<int>(state)) state = s;
  };
  if (holds_[static_cast<std::size_t>(TradingState::Reducing)] > 0) stricter(TradingState::Reducing);
  if (holds_[static_cast<std::size_t>(TradingState::Halted)] > 0) stricter(TradingState::Halted);
  if (emergency_ != nullptr && emergency_->engaged()) stricter(TradingState::Halted);
  if (engine_->trading_state() != state) engine_->set_trading_state(state);
}

CircuitBreakerEvent RiskMonitor::breaker_event(const Instance& inst, BreakerEventKind kind, core::UnixNanos now) const {
  const CircuitBreaker& b = inst.breaker;
  CircuitBreakerEvent e;
  e.kind = kind;
  e.breaker = b.name();
  e.condition = b.config().condition;
  e.instrument = b.instrument();
  const auto& m = kind == BreakerEventKind::Reset ? b.last_measurement() : b.trip_measurement();
  if (m) e.value = m->value;
  e.threshold = b.config().threshold;
  e.action = b.config().action;
  e.state = b.state();
  e.trading_state = engine_->trading_state();
  e.cooldown_until = b.cooldown_until();
  e.reset_policy = b.config().reset;
  e.ts_event = now;
  return e;
}

void RiskMonitor::execute_pending(core::UnixNanos now) {
  while (!pending_.empty()) {
    std::vector<std::uint32_t> batch;
    batch.swap(pending_);
    for (const auto i : batch) act(i, now);
  }
}

void RiskMonitor::act(std::uint32_t index, core::UnixNanos now) {
  // Persist-before-act order of DESIGN.md §3: the trigger is published (and stored by the kernel's store
  // subscriber) before the action runs.
  bus_->publish(CircuitBreakerEvent::kTopic, breaker_event(instances_[index], BreakerEventKind::Triggered, now));

  const Instance& inst = instances_[index];
  const CircuitBreakerConfig& c = inst.breaker.config();
  const std::optional<core::InstrumentId> target = inst.breaker.instrument();
  const std::string value = inst.breaker.trip_measurement() ? inst.breaker.trip_measurement()->value.to_string_trimmed()
                                                            : std::string("n/a");
  const std::string why = fmt::format("circuit breaker {} ({}{}{}): {} >= {}", c.name, to_string(c.condition),
                                      target ? " " : "", target ? target->value() : std::string(), value,
                                      c.threshold.to_string_trimmed());
  ActionResult result;
  switch (c.action) {
    case BreakerAction::Alert:
    case BreakerAction::ReduceOnly:
    case BreakerAction::Halt: break;
    case BreakerAction::CancelOrders: result = actions_->cancel_orders(target, why, now); break;
    case BreakerAction::ClosePosition:
      if (target) {
        result = actions_->close_position(*target, why, now);
      } else {
        for (const auto& s : book_->slots()) {
          if (!s.quantity.is_zero()) merge(result, actions_->close_position(s.instrument->id(), why, now));
        }
      }
      break;
    case BreakerAction::FlattenAll: result = actions_->flatten_all(why, now); break;
  }
  if (c.block_trading_during_cooldown && inst.breaker.cooldown_until()) {
    engine_->block_new_exposure_until(*inst.breaker.cooldown_until());
  }
  set_hold(index, held_state(c.action));

  CircuitBreakerEvent acted = breaker_event(instances_[index], BreakerEventKind::Acted, now);
  acted.result = result;
  bus_->publish(CircuitBreakerEvent::kTopic, acted);

  std::string message = fmt::format("{} → {}", why, to_string(c.action));
  if (result.orders_affected > 0 || result.positions_affected > 0) {
    message += fmt::format(" ({} orders, {} positions)", result.orders_affected, result.positions_affected);
  }
  raise_alert(severity_of(c.action), AlertCode::CircuitBreakerTriggered, std::move(message), target, c.name, now);
  if (!result.ok) {
    raise_alert(AlertSeverity::Critical, AlertCode::CircuitBreakerActionFailed,
                fmt::format("circuit breaker {}: {} failed: {}", c.name, to_string(c.action), result.error), target,
                c.name, now);
  }
}

void RiskMonitor::rearmed(std::uint32_t index, core::UnixNanos now, std::string_view by, std::string_view reason) {
  set_active(index, false);
  // A breaker reset before its action ran (same update) must not act any more.
  pending_.erase(std::remove(pending_.begin(), pending_.end(), index), pending_.end());
  set_hold(index, std::nullopt);
  Instance& inst = instances_[index];
  CircuitBreakerEvent e = breaker_event(inst, BreakerEventKind::Reset, now);
  e.reset_by = std::string(by);
  e.reason = std::string(reason);
  bus_->publish(CircuitBreakerEvent::kTopic, e);
  raise_alert(AlertSeverity::Info, AlertCode::CircuitBreakerReset,
              by.empty() ? fmt::format("circuit breaker {} re-armed after its cool-down", inst.breaker.name())
                         : fmt::format("circuit breaker {} reset by {}: {}", inst.breaker.name(), by, reason),
              inst.breaker.instrument(), inst.breaker.name(), now);
}

}  // namespace ballast::risk
