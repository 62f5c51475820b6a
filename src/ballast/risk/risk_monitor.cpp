// RiskMonitor: construction, inputs (market data, orders, fills, time) and operator calls. Breaker
// evaluation and actions are in risk_monitor_breakers.cpp, margin/limits/performance in
// risk_monitor_metrics.cpp.
#include "ballast/risk/risk_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

namespace ballast::risk {
namespace {

std::optional<model::Price> working_price(const model::Order& order) {
  if (order.price()) return order.price();
  return order.trigger_price();
}

}  // namespace

RiskMonitor::RiskMonitor(RiskMonitorConfig config, portfolio::PortfolioBook& book, RiskEngine& engine,
                         runtime::MessageBus& bus, RiskActionSink& actions, const core::Clock& clock,
                         EmergencyStop* emergency_stop)
    : config_(std::move(config)),
      book_(&book),
      engine_(&engine),
      bus_(&bus),
      actions_(&actions),
      clock_(&clock),
      emergency_(emergency_stop),
      alerts_(config_.alerts) {}

RiskMonitor::~RiskMonitor() {
  for (const auto id : subscriptions_) bus_->unsubscribe(id);
}

core::Result<std::unique_ptr<RiskMonitor>> RiskMonitor::create(RiskMonitorConfig config, portfolio::PortfolioBook& book,
                                                               RiskEngine& engine, runtime::MessageBus& bus,
                                                               RiskActionSink& actions, const core::Clock& clock,
                                                               EmergencyStop* emergency_stop) {
  if (config.alerts.burst < 1 || config.alerts.refill_period <= core::Duration::zero() ||
      config.alerts.dedup_window < core::Duration::zero()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       "alerts: burst must be >= 1, refill_period > 0 and dedup_window >= 0", "alerts");
  }
  if (config.performance_interval < core::Duration::zero() || config.full_margin_check_interval < core::Duration::zero() ||
      config.alert_flush_interval < core::Duration::zero() || config.margin_call_rearm_margin.is_negative()) {
    return core::Error(core::ErrorCode::InvalidArgument, "risk monitor intervals and margins must be >= 0");
  }
  std::unique_ptr<RiskMonitor> monitor(
      new RiskMonitor(std::move(config), book, engine, bus, actions, clock, emergency_stop));
  BALLAST_TRY(monitor->build_instances());
  RiskMonitor* self = monitor.get();
  monitor->subscriptions_.push_back(bus.subscribe<EmergencyStopped>(
      EmergencyStopped::kTopic, [self](const EmergencyStopped& e) {
        self->recompute_trading_state();
        self->raise_alert(AlertSeverity::Emergency, AlertCode::EmergencyStop,
                          fmt::format("emergency stop{} by {}: {}", e.already_engaged ? " (repeated)" : "",
                                      e.engaged_by, e.reason),
                          std::nullopt, {}, e.ts_event);
      }));
  monitor->subscriptions_.push_back(bus.subscribe<EmergencyStopReset>(
      EmergencyStopReset::kTopic, [self](const EmergencyStopReset& e) {
        self->recompute_trading_state();
        self->raise_alert(AlertSeverity::Warning, AlertCode::EmergencyStopReset,
                          fmt::format("emergency stop reset by {}: {}", e.reset_by, e.reason), std::nullopt, {},
                          e.ts_event);
      }));
  return monitor;
}

core::Status RiskMonitor::build_instances() {
  const RiskConfig& rc = engine_->config();
  const std::size_t n = book_->size();
  slot_instances_.assign(n, {});
  trades_by_slot_.assign(n, {});
  slot_mm_.assign(n, core::Decimal{});
  slot_isolated_open_.assign(n, false);
  isolated_call_.assign(n, false);
  operator_state_ = engine_->trading_state();

  for (const auto& c : rc.circuit_breakers) {
    if (c.instrument_id && !book_->find(*c.instrument_id)) {
      return core::Error(core::ErrorCode::NotFound,
                         fmt::format("circuit breaker '{}' names instrument {} which the book does not hold", c.name,
                                     c.instrument_id->value()),
                         "circuit_breakers." + c.name + ".instrument");
    }
  }
  rebuild_breakers(rc.circuit_breakers);

  const auto watch = [&](bool enabled, RiskCheck check) {
    if (enabled) limits_.push_back(LimitWatch{check, Level::Below});
  };
  watch(rc.max_gross_exposure.enabled, RiskCheck::MaxGrossExposure);
  watch(rc.max_net_exposure.enabled, RiskCheck::MaxNetExposure);
  watch(rc.max_leverage.enabled, RiskCheck::MaxLeverage);
  watch(rc.daily_loss_limit.enabled, RiskCheck::DailyLoss);
  watch(rc.portfolio_var.enabled, RiskCheck::PortfolioVar);

  for (portfolio::SlotIndex s = 0; s < n; ++s) update_slot_margin(s);
  return core::ok();
}

void RiskMonitor::advance_time(core::UnixNanos now) {
  if (started_ && now <= last_time_) return;
  const bool first = !started_;
  const std::int64_t previous_minute = core::floor_div(last_time_.value, core::kNanosPerMinute);
  const core::Decimal equity = book_->equity();
  if (!started_) {
    started_ = true;
    peak_equity_ = equity;
    for (const auto i : equity_instances_) {
      if (auto* dd = std::get_if<AccountDrawdownMeter>(&instances_[i].meter)) dd->reset(equity);
    }
  }
  // Deferred measurements belong to the day they were deferred in.
  if (day_.rolls_at(now)) {
    settle();
    account_band_.valid = false;  // a new start-of-day equity
  }
  day_.roll(now, equity);  // before this update changes the equity: the day starts at the old equity
  last_time_ = now;
  day_end_ = core::UnixNanos((core::floor_div(now.value, core::kNanosPerDay) + 1) * core::kNanosPerDay);
  engine_->on_time(now);

  if (first || core::floor_div(now.value, core::kNanosPerMinute) != previous_minute) {
    for (const auto i : time_instances_) evaluate(i, now);  // once a minute
  }
  // Cool-downs and time-window conditions of breakers that are not armed. A TRIPPED breaker waits for its
  // condition to clear, not for time: only when some breaker has a clock to check is active_ copied
  // (transitions edit it).
  if (timed_breaker_active()) {
    const std::vector<std::uint32_t> active = active_;
    for (const auto i : active) {
      const BreakerCondition c = instances_[i].breaker.config().condition;
      if (c == BreakerCondition::RejectRate || c == BreakerCondition::TradingHours) {
        evaluate(i, now);
      } else {
        handle_transition(i, instances_[i].breaker.on_time(now), now);
      }
    }
  }
  if (now >= next_alert_flush_) {
    next_alert_flush_ = now + config_.alert_flush_interval;
    for (const auto& alert : alerts_.flush(now)) bus_->publish(Alert::kTopic, alert);
  }
}

bool RiskMonitor::timed_breaker_among_active() const {
  return std::any_of(active_.begin(), active_.end(), [this](std::uint32_t i) {
    const CircuitBreaker& b = instances_[i].breaker;
    const BreakerCondition c = b.config().condition;
    return c == BreakerCondition::RejectRate || c == BreakerCondition::TradingHours ||
           b.state() == BreakerState::CoolingDown;
  });
}

void RiskMonitor::on_time_at(core::UnixNanos now) {
  if (!started_ || now > last_time_) advance_time(now);  // (it returns at once otherwise)
  // Every change of a position, mark or fill evaluates the account itself (after_slot_change) or defers a
  // quiet mark's evaluation; a tick at the same time and equity as that would measure the same values again.
  // (An unchanged book has the same equity: no need to form it.)
  if (!(account_evaluated_at_ == now &&
        (account_evaluated_version_ == book_->version() || account_evaluated_equity_ == book_->equity()))) {
    settle();
    evaluate_account(now);
  }
  if (!pending_.empty()) execute_pending(now);
}

core::Status RiskMonitor::unknown_instrument(const core::InstrumentId& instrument) {
  return core::Error(core::ErrorCode::NotFound, fmt::format("unknown instrument {}", instrument.value()));
}

core::Status RiskMonitor::measure_mark(portfolio::SlotIndex slot, const model::Price& mark, core::UnixNanos now,
                                       RangeMark in_range) {
  if (slot >= book_->size()) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("no instrument slot {} (book has {})", slot, book_->size()));
  }
  if (in_range == RangeMark::NewBest) {
    BALLAST_TRY(record_ranged_mark(slot, mark, now));
    // A new best P&L: the slot's drawdown meters take it now (the slot stays deferred, as its later marks
    // must be measured at the last of them); every one of its breakers measures 0 and stays ARMED, and the
    // account's figures are inside their bands, so nothing else changes. The band and the range move with
    // the best.
    ++new_best_marks_;
    evaluate_slot(slot, now);
    if (!pending_.empty() || !account_band_.valid) {
      // A breaker changed state after all (not expected: build_slot_band() found none that could): measure
      // as the full path does.
      settle_slots(slot);
      evaluate_account(now);
      execute_pending(now);
      return core::ok();
    }
    build_slot_band(slot);
    move_quiet_range_with_best(slot);
    return core::ok();
  }
  advance_time(now);
  BALLAST_TRY(book_->set_mark(slot, mark, now));
  for (const auto i : slot_instances_[slot]) {
    Instance& inst = instances_[i];
    if (auto* vol = std::get_if<VolatilitySpikeMeter>(&inst.meter)) {
      vol->on_price(now, mark.as_double());
    } else if (auto* move = std::get_if<RapidMoveMeter>(&inst.meter)) {
      move->on_price(now, mark.value());
    }
  }
  engine_->refresh_exposure(slot);
  update_slot_margin(slot);
  if (quiet(slot, now)) {
    note_quiet(slot, now);
    build_quiet_range(slot);
    return core::ok();
  }
  // The other deferred slots are as they were when deferred; the account is measured now, below.
  settle_slots(slot);
  evaluate_slot(slot, now);
  evaluate_account(now);
  execute_pending(now);
  // The range of the state now, for the slot's next mark: after a new best P&L (the usual reason to come
  // here) the next one is often quiet or a new best again, and quiet() would find no mark at a best quiet.
  if (quiet_state(now)) {
    prepare_bands(slot);
    if (inside_bands(slot, true)) build_quiet_range(slot);
  }
  return core::ok();
}

void RiskMonitor::settle() {
  if (deferred_slots_.empty()) return;
  const core::UnixNanos at = *account_evaluated_at_;
  settle_slots(std::nullopt);
  evaluate_account(at);
  execute_pending(at);  // nothing: a quiet mark trips nothing, and nothing changed since
}

void RiskMonitor::settle_slots(std::optional<portfolio::SlotIndex> except) {
  if (deferred_slots_.empty()) return;
  const core::UnixNanos at = *account_evaluated_at_;  // the quiet marks' time
  for (const auto s : deferred_slots_) {
    if (s != except) evaluate_slot(s, at);
  }
  deferred_slots_.clear();
}

bool RiskMonitor::quiet(portfolio::SlotIndex slot, core::UnixNanos now) {
  if (!quiet_state(now)) return false;
  prepare_bands(slot);
  return inside_bands(slot, false);
}

bool RiskMonitor::inside_bands(portfolio::SlotIndex slot, bool at_best) const {
  const portfolio::InstrumentSlot& s = book_->slot(slot);
  const SlotBand& own = slot_bands_[slot];
  const AccountBand& all = account_band_;
  const SteadyBand pnl =
      at_best && own.follows_best ? SteadyBand{own.pnl.lo, std::numeric_limits<double>::infinity()} : own.pnl;
  return pnl.contains(s.unrealized_pnl.approx_double()) && s.quantity == own.quantity &&
         s.avg_entry == own.avg_entry && all.equity.contains(book_->equity().approx_double()) &&
         all.gross.contains(book_->gross_exposure().approx_double()) &&
         all.net.contains(std::abs(book_->net_exposure().approx_double())) &&
         all.maintenance.contains(mm_total_.approx_double()) && all.balance.contains(margin_balance().approx_double());
}

void RiskMonitor::prepare_bands(portfolio::SlotIndex slot) {
  sync_margin();
  if (!account_band_.valid || account_band_.config_generation != engine_->config_generation()) build_account_band();
  if (!slot_bands_[slot].valid) build_slot_band(slot);
}

void RiskMonitor::invalidate_bands(std::optional<portfolio::SlotIndex> slot) {
  account_band_.valid = false;
  if (slot) slot_bands_[*slot].valid = false;
}

void RiskMonitor::after_slot_change(portfolio::SlotIndex slot, core::UnixNanos now) {
  engine_->refresh_exposure(slot);
  update_slot_margin(slot);
  evaluate_slot(slot, now);
  evaluate_account(now);
  execute_pending(now);
}

core::Status RiskMonitor::on_quote_tick(const model::QuoteTick& quote) {
  const auto slot = book_->find(quote.instrument_id);
  if (!slot) {
    return core::Error(core::ErrorCode::NotFound, fmt::format("unknown instrument {}", quote.instrument_id.value()));
  }
  book_->set_quote(*slot, quote.bid_price, quote.ask_price);
  const core::Decimal sum = quote.bid_price.value() + quote.ask_price.value();
  const model::Price mid(sum.div(core::Decimal::from_int(2), std::min(core::Decimal::kMaxScale, sum.scale() + 1)));
  return apply_mark(*slot, mid, clock_->now());
}

core::Status RiskMonitor::on_fill(const model::Fill& fill) {
  settle();
  const core::UnixNanos now = clock_->now();
  const auto slot = book_->find(fill.instrument_id);
  if (!slot) return core::Error(core::ErrorCode::NotFound, fmt::format("fill for unknown instrument {}", fill.instrument_id.value()));
  advance_time(now);
  const portfolio::InstrumentSlot& s = book_->slot(*slot);
  const core::Decimal entry_before = s.avg_entry;
  core::Decimal fee{};
  if (!fill.commission.currency().empty() && fill.commission.currency() == book_->settlement_currency()) {
    fee = fill.commission.amount();
  }
  auto effect = book_->apply_fill(*slot, fill.side, fill.last_qty.value(), fill.last_px, fee);
  if (!effect) return effect.error();

  TradeState& trade = trades_by_slot_[*slot];
  if (!trade.open) {
    trade = TradeState{true, core::Decimal{}, core::Decimal{}, 0, now};
  }
  trade.pnl += effect->realized_pnl;
  ++trade.fills;
  trade.peak_quantity = std::max(trade.peak_quantity, effect->quantity_before.abs());
  trade.peak_quantity = std::max(trade.peak_quantity, effect->quantity_after.abs());
  if (effect->quantity_after.is_zero() || effect->flipped) {
    on_trade_closed(*slot, fill, entry_before, now);
    if (effect->flipped) {
      trade = TradeState{true, core::Decimal{}, effect->quantity_after.abs(), 0, now};
    } else {
      trade = TradeState{};
    }
  }
  after_slot_change(*slot, now);
  return core::ok();
}

void RiskMonitor::on_trade_closed(portfolio::SlotIndex slot, const model::Fill& fill, const core::Decimal& entry_price,
                                  core::UnixNanos now) {
  const TradeState& trade = trades_by_slot_[slot];
  TradeCompleted event;
  event.instrument = fill.instrument_id;
  event.client_order_id = fill.client_order_id;
  event.trade_id = fill.trade_id;
  // The closing fill sells a long or buys back a short.
  event.side = fill.side == model::OrderSide::Sell ? model::PositionSide::Long : model::PositionSide::Short;
  event.quantity = trade.peak_quantity;
  event.entry_price = entry_price;
  event.exit_price = fill.last_px;
  event.realized_pnl = trade.pnl;
  event.fills = trade.fills;
  event.ts_opened = trade.ts_opened;
  event.ts_event = now;
  ++trades_;
  if (trade.pnl.is_positive()) ++winning_trades_;
  streak_.on_trade(trade.pnl);
  engine_->record_trade_result(trade.pnl, now);
  for (const auto i : trade_instances_) {
    Instance& inst = instances_[i];
    if (inst.slot && *inst.slot != slot) continue;
    std::get<LossStreakMeter>(inst.meter).on_trade(trade.pnl);
    evaluate(i, now);
  }
  bus_->publish(TradeCompleted::kTopic, event);
}

void RiskMonitor::track_order(const model::Order& order, portfolio::SlotIndex slot) {
  const auto price = working_price(order);
  if (!price || !price->is_positive() || !order.leaves_qty().is_positive() || !order.is_open()) return;
  if (!book_->add_open_order(slot, order.side(), order.leaves_qty().value(), *price)) return;
  tracked_[order.client_order_id().value()] = Tracked{slot, order.side(), *price, order.leaves_qty().value()};
}

void RiskMonitor::untrack_order(const std::string& id, bool done) {
  const auto it = tracked_.find(id);
  if (it == tracked_.end()) return;
  const Tracked& t = it->second;
  (void)book_->remove_open_order(t.slot, t.side, t.leaves, t.price, done);
  tracked_.erase(it);
}

core::Status RiskMonitor::on_order_event(const model::OrderEvent& event, const model::Order& order) {
  settle();
  const core::UnixNanos now = clock_->now();
  const model::OrderEventBase& base = model::event_base(event);
  const auto slot = book_->find(base.instrument_id);
  if (!slot) return core::Error(core::ErrorCode::NotFound, fmt::format("order event for unknown instrument {}", base.instrument_id.value()));
  advance_time(now);
  const std::string& id = base.client_order_id.value();
  core::Status status = core::ok();

  const auto feed_rejects = [&](bool rejected) {
    for (const auto i : order_instances_) {
      Instance& inst = instances_[i];
      if (inst.slot && *inst.slot != *slot) continue;
      auto& meter = std::get<RejectRateMeter>(inst.meter);
      if (rejected) {
        meter.on_rejected(now);
      } else {
        meter.on_sent(now);
      }
      evaluate(i, now);
    }
  };

  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, model::OrderSubmitted>) {
          feed_rejects(false);
        } else if constexpr (std::is_same_v<E, model::OrderRejected>) {
          feed_rejects(true);
          untrack_order(id, true);
          engine_->record_external_order(now);
        } else if constexpr (std::is_same_v<E, model::OrderAccepted>) {
          if (!tracked_.contains(id)) track_order(order, *slot);
        } else if constexpr (std::is_same_v<E, model::OrderFilled>) {
          const auto it = tracked_.find(id);
          if (it != tracked_.end()) {
            Tracked& t = it->second;
            const core::Decimal q = std::min(t.leaves, e.fill.last_qty.value());
            const bool done = !order.is_open() || !(t.leaves - q).is_positive();
            (void)book_->remove_open_order(t.slot, t.side, q, t.price, done);
            t.leaves -= q;
            if (done) tracked_.erase(it);
          }
          status = on_fill(e.fill);
        } else if constexpr (std::is_same_v<E, model::OrderCanceled> || std::is_same_v<E, model::OrderExpired>) {
          untrack_order(id, true);
        } else if constexpr (std::is_same_v<E, model::OrderUpdated>) {
          untrack_order(id, true);
          track_order(order, *slot);
        }
      },
      event);
  if (emergency_ != nullptr) emergency_->on_order_event(event);
  execute_pending(now);
  return status;
}

core::Status RiskMonitor::reset_breaker(std::string_view name, const std::optional<core::InstrumentId>& instrument,
                                        std::string_view operator_name, std::string_view reason) {
  if (operator_name.empty() || reason.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "a breaker reset needs an operator name and a reason",
                       operator_name.empty() ? "operator" : "reason");
  }
  settle();
  const core::UnixNanos now = clock_->now();
  advance_time(now);
  bool found = false;
  for (std::uint32_t i = 0; i < instances_.size(); ++i) {
    Instance& inst = instances_[i];
    if (inst.breaker.name() != name) continue;
    if (instrument && inst.breaker.instrument() != instrument) continue;
    found = true;
    if (!inst.breaker.reset()) continue;
    if (auto* dd = std::get_if<AccountDrawdownMeter>(&inst.meter)) dd->reset(book_->equity());
    rearmed(i, now, operator_name, reason);
  }
  if (!found) {
    return core::Error(core::ErrorCode::NotFound,
                       fmt::format("no circuit breaker '{}'{}", name,
                                   instrument ? fmt::format(" for {}", instrument->value()) : std::string()));
  }
  execute_pending(now);
  return core::ok();
}

void RiskMonitor::set_operator_trading_state(TradingState state) {
  operator_state_ = state;
  recompute_trading_state();
}

std::vector<BreakerStatus> RiskMonitor::breaker_statuses() {
  settle();
  std::vector<BreakerStatus> out;
  out.reserve(instances_.size());
  for (const auto& inst : instances_) out.push_back(inst.breaker.status());
  return out;
}

}  // namespace ballast::risk
