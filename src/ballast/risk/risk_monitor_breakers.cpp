// RiskMonitor: circuit-breaker measurement, transitions, actions and the trading state (risk_monitor.hpp).
#include "ballast/risk/risk_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
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

bool measures_per_instrument(const CircuitBreakerConfig& c) {
  switch (c.condition) {
    case BreakerCondition::PositionDrawdown:
    case BreakerCondition::VolatilitySpike:
    case BreakerCondition::RapidMove: return true;
    case BreakerCondition::LossStreak:
    case BreakerCondition::RejectRate: return c.scope == BreakerScope::Instrument;
    case BreakerCondition::AccountDrawdown:
    case BreakerCondition::DailyLoss:
    case BreakerCondition::TradingHours: return false;
  }
  return false;
}

}  // namespace

core::Status RiskMonitor::reconfigure_breakers(std::vector<CircuitBreakerConfig> breakers) {
  settle();  // the instances carry their state into the new list
  std::vector<std::string> errors;
  std::map<std::string, std::size_t, std::less<>> first_seen;
  for (std::size_t i = 0; i < breakers.size(); ++i) {
    const CircuitBreakerConfig& b = breakers[i];
    const std::string path = fmt::format("circuit_breakers[{}]", i);
    collect_breaker_errors(b, path, errors);
    if (!b.name.empty()) {
      if (auto [it, inserted] = first_seen.emplace(b.name, i); !inserted) {
        errors.push_back(
            fmt::format("{}.name: duplicate name '{}' (first at circuit_breakers[{}])", path, b.name, it->second));
      }
    }
    if (b.instrument_id && !b.instrument_id->empty() && !book_->find(*b.instrument_id)) {
      errors.push_back(fmt::format("{}.instrument: {} is not an instrument of the account's book", path,
                                   b.instrument_id->value()));
    }
  }
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e;
    return core::Error(core::ErrorCode::InvalidArgument, std::move(message), "circuit_breakers");
  }
  RiskConfig next = engine_->config();
  next.circuit_breakers = breakers;
  BALLAST_TRY(engine_->set_config(std::move(next)));
  rebuild_breakers(std::move(breakers));
  return core::ok();
}

RiskMonitor::Meter RiskMonitor::fresh_meter(const CircuitBreakerConfig& c, std::optional<portfolio::SlotIndex> slot) const {
  Meter meter;
  switch (c.condition) {
    case BreakerCondition::AccountDrawdown: meter = AccountDrawdownMeter{}; break;
    case BreakerCondition::PositionDrawdown: meter = PositionDrawdownMeter{}; break;
    case BreakerCondition::LossStreak: meter = LossStreakMeter{}; break;
    case BreakerCondition::RejectRate: meter = RejectRateMeter(c.window, c.min_samples); break;
    case BreakerCondition::VolatilitySpike:
      meter = VolatilitySpikeMeter(c.window, c.baseline_window, c.min_samples);
      break;
    case BreakerCondition::RapidMove: meter = RapidMoveMeter(c.window); break;
    case BreakerCondition::DailyLoss:
    case BreakerCondition::TradingHours: break;
  }
  // Before the first update advance_time() starts the drawdown peaks and marks feed the price meters;
  // a breaker added later starts from where the account and the market are now.
  if (!started_) return meter;
  if (auto* dd = std::get_if<AccountDrawdownMeter>(&meter)) dd->reset(book_->equity());
  if (slot && book_->slot(*slot).has_mark) {
    const model::Price& mark = book_->slot(*slot).mark;
    if (auto* move = std::get_if<RapidMoveMeter>(&meter)) {
      move->on_price(last_time_, mark.value());
    } else if (auto* vol = std::get_if<VolatilitySpikeMeter>(&meter)) {
      vol->on_price(last_time_, mark.as_double());
    }
  }
  return meter;
}

void RiskMonitor::index_instance(std::uint32_t index) {
  const Instance& inst = instances_[index];
  switch (inst.breaker.config().condition) {
    case BreakerCondition::PositionDrawdown:
    case BreakerCondition::VolatilitySpike:
    case BreakerCondition::RapidMove: slot_instances_[*inst.slot].push_back(index); break;
    case BreakerCondition::AccountDrawdown:
    case BreakerCondition::DailyLoss: equity_instances_.push_back(index); break;
    case BreakerCondition::LossStreak: trade_instances_.push_back(index); break;
    case BreakerCondition::RejectRate: order_instances_.push_back(index); break;
    case BreakerCondition::TradingHours: time_instances_.push_back(index); break;
  }
  if (inst.active) active_.push_back(index);
  if (inst.hold) ++holds_[static_cast<std::size_t>(*inst.hold)];
}

void RiskMonitor::rebuild_breakers(std::vector<CircuitBreakerConfig> configs) {
  // The current instances point into the current configs: both stay alive until the new ones are built.
  std::vector<Instance> previous = std::move(instances_);
  const std::vector<CircuitBreakerConfig> previous_configs = std::move(configs_);
  const std::vector<std::uint32_t> previous_pending = std::move(pending_);
  std::vector<std::optional<std::uint32_t>> moved_to(previous.size());

  // A vector's elements keep their addresses when the vector is moved: the breakers may point into configs_.
  configs_ = std::move(configs);
  instances_.clear();
  slot_instances_.assign(book_->size(), {});
  equity_instances_.clear();
  trade_instances_.clear();
  order_instances_.clear();
  time_instances_.clear();
  active_.clear();
  pending_.clear();
  holds_ = {};
  account_band_.valid = false;
  slot_bands_.assign(book_->size(), SlotBand{});

  const auto add = [&](const CircuitBreakerConfig& c, std::optional<portfolio::SlotIndex> slot) {
    const auto index = static_cast<std::uint32_t>(instances_.size());
    std::optional<core::InstrumentId> instrument;
    if (slot) instrument = book_->slot(*slot).instrument->id();
    std::optional<std::uint32_t> same;
    for (std::uint32_t i = 0; i < previous.size() && !same; ++i) {
      if (!moved_to[i] && previous[i].slot == slot && previous[i].breaker.config() == c) same = i;
    }
    if (same) {
      Instance& old = previous[*same];
      Instance inst{CircuitBreaker(c, std::move(instrument)), slot, std::move(old.meter), old.hold, old.active};
      // Same name by construction: restore() cannot refuse it.
      (void)inst.breaker.restore(old.breaker.status());
      instances_.push_back(std::move(inst));
      moved_to[*same] = index;
    } else {
      instances_.push_back(Instance{CircuitBreaker(c, std::move(instrument)), slot, fresh_meter(c, slot)});
    }
    index_instance(index);
  };
  for (const auto& c : configs_) {
    if (!measures_per_instrument(c)) {
      add(c, std::nullopt);
    } else if (c.instrument_id) {
      add(c, *book_->find(*c.instrument_id));
    } else {
      for (portfolio::SlotIndex s = 0; s < book_->size(); ++s) add(c, s);
    }
  }
  for (const auto i : previous_pending) {
    if (moved_to[i]) pending_.push_back(*moved_to[i]);
  }
  recompute_trading_state();
}

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
  const BreakerState before = inst.breaker.state();
  const BreakerTransition transition = inst.breaker.evaluate(m, now);
  // Every change of state ends the quiet bands, also TRIPPED ⇄ COOLING_DOWN (no transition): a quiet range
  // is built only while no breaker has a clock to check, and holds only while none changes state.
  if (inst.breaker.state() != before) invalidate_bands(inst.slot);
  handle_transition(index, transition, now);
}

void RiskMonitor::evaluate_slot(portfolio::SlotIndex slot, core::UnixNanos now) {
  for (const auto i : slot_instances_[slot]) evaluate(i, now);
  slot_bands_[slot].valid = false;  // the best P&L may have moved
}

void RiskMonitor::evaluate_account(core::UnixNanos now) {
  const core::Decimal equity = book_->equity();
  account_evaluated_at_ = now;
  account_evaluated_equity_ = equity;
  account_evaluated_version_ = book_->version();
  if (equity > peak_equity_) peak_equity_ = equity;
  for (const auto i : equity_instances_) evaluate(i, now);
  check_margin(now);
  if (isolated_open_ > 0 && now >= next_full_margin_check_) {
    next_full_margin_check_ = now + config_.full_margin_check_interval;
    check_isolated_margin(now);
  }
  check_limits(now);
  account_band_.valid = false;  // the peaks, levels and margin call may have moved
  if (now >= next_performance_) {
    next_performance_ = now + config_.performance_interval;
    publish_performance(now);
  }
}

void RiskMonitor::handle_transition(std::uint32_t index, BreakerTransition transition, core::UnixNanos now) {
  if (transition != BreakerTransition::None) invalidate_bands(instances_[index].slot);
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
  invalidate_bands(instances_[index].slot);
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
