// JSON views of domain objects (see internal/json_views.hpp).

#include "ballast/server/internal/json_views.hpp"

#include "ballast/model/enums.hpp"
#include "ballast/portfolio/liquidation.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"
#include "ballast/risk/risk_config.hpp"

#include <fmt/format.h>

#include <map>

namespace ballast::server::json_views {

std::string time_text(core::UnixNanos t) { return core::format_iso8601(t); }
std::string decimal_text(const core::Decimal& d) { return d.to_string_trimmed(); }

namespace {

Json opt_decimal(const std::optional<core::Decimal>& d) { return d ? Json(decimal_text(*d)) : Json(nullptr); }
Json opt_price(const std::optional<model::Price>& p) { return p ? Json(decimal_text(p->value())) : Json(nullptr); }

}  // namespace

Json order(const model::Order& o) {
  const auto avg = o.avg_px();
  return Json{{"id", o.client_order_id().value()},
              {"venue_order_id", o.venue_order_id() ? Json(o.venue_order_id()->value()) : Json(nullptr)},
              {"account_id", o.account_id().value()},
              {"instrument_id", o.instrument_id().value()},
              {"symbol", std::string(o.instrument_id().symbol())},
              {"venue", std::string(o.instrument_id().venue_name())},
              {"strategy_id", o.strategy_id().value()},
              {"side", model::to_string(o.side())},
              {"type", model::to_string(o.type())},
              {"time_in_force", model::to_string(o.time_in_force())},
              {"quantity", decimal_text(o.quantity().value())},
              {"filled_quantity", decimal_text(o.filled_qty().value())},
              {"leaves_quantity", decimal_text(o.leaves_qty().value())},
              {"price", opt_price(o.price())},
              {"trigger_price", opt_price(o.trigger_price())},
              {"avg_fill_price", opt_price(avg)},
              {"status", model::to_string(o.status())},
              {"reason", o.status_reason()},
              {"reduce_only", o.is_reduce_only()},
              {"post_only", o.is_post_only()},
              {"created", time_text(o.ts_init())},
              {"updated", time_text(o.ts_last())}};
}

Json order(const persistence::OrderRow& r) {
  const auto id = core::InstrumentId::parse(r.instrument_id);
  return Json{{"id", r.client_order_id},
              {"venue_order_id", r.venue_order_id.empty() ? Json(nullptr) : Json(r.venue_order_id)},
              {"account_id", r.account_id},
              {"instrument_id", r.instrument_id},
              {"symbol", id ? std::string(id->symbol()) : r.instrument_id},
              {"venue", id ? std::string(id->venue_name()) : std::string()},
              {"strategy_id", r.strategy_id},
              {"side", r.side},
              {"type", r.type},
              {"time_in_force", r.time_in_force},
              {"quantity", decimal_text(r.quantity)},
              {"filled_quantity", decimal_text(r.filled_quantity)},
              {"leaves_quantity", decimal_text(r.quantity - r.filled_quantity)},
              {"price", opt_decimal(r.price)},
              {"trigger_price", opt_decimal(r.trigger_price)},
              {"avg_fill_price", opt_decimal(r.avg_fill_price)},
              {"status", r.status},
              {"reason", r.reason},
              {"reduce_only", r.reduce_only},
              {"post_only", r.post_only},
              {"created", time_text(r.created)},
              {"updated", time_text(r.updated)}};
}

Json fill(const model::Fill& f) {
  return Json{{"trade_id", f.trade_id.value()},
              {"order_id", f.client_order_id.value()},
              {"instrument_id", f.instrument_id.value()},
              {"side", model::to_string(f.side)},
              {"quantity", decimal_text(f.last_qty.value())},
              {"price", decimal_text(f.last_px.value())},
              {"fee", decimal_text(f.commission.amount())},
              {"fee_currency", f.commission.currency().code()},
              {"liquidity", model::to_string(f.liquidity_side)},
              {"ts", time_text(f.ts_event)}};
}

Json fill(const persistence::FillRow& r) {
  return Json{{"trade_id", r.trade_id},
              {"order_id", r.client_order_id},
              {"instrument_id", r.instrument_id},
              {"side", r.side},
              {"quantity", decimal_text(r.quantity)},
              {"price", decimal_text(r.price)},
              {"fee", decimal_text(r.fee)},
              {"fee_currency", r.fee_currency},
              {"liquidity", r.liquidity},
              {"ts", time_text(r.ts_event)}};
}

Json position(const portfolio::InstrumentSlot& s, const std::string& venue,
              const std::optional<core::Decimal>& liquidation) {
  const core::InstrumentId& id = s.instrument->id();
  const std::string_view side = s.quantity.is_zero() ? "FLAT" : (s.quantity.is_negative() ? "SHORT" : "LONG");
  return Json{{"instrument_id", id.value()},
              {"symbol", std::string(id.symbol())},
              {"venue", venue},
              {"side", side},
              {"quantity", decimal_text(s.quantity)},
              {"avg_entry_price", decimal_text(s.avg_entry)},
              {"mark_price", s.has_mark ? Json(decimal_text(s.mark.value())) : Json(nullptr)},
              {"notional", decimal_text(s.notional)},
              {"unrealized_pnl", decimal_text(s.unrealized_pnl)},
              {"realized_pnl", decimal_text(s.realized_pnl)},
              {"initial_margin", decimal_text(s.initial_margin)},
              {"leverage", decimal_text(s.leverage)},
              {"margin_mode", model::to_string(s.margin_mode)},
              {"liquidation_price", opt_decimal(liquidation)},
              {"open_orders", s.open_orders},
              {"ts", time_text(s.ts_mark)}};
}

Json positions(const portfolio::PortfolioBook& book, const std::string& venue, bool include_flat) {
  std::map<std::string, portfolio::LiquidationPrice> liquidations;
  const auto state = book.margin_state();
  for (std::size_t i = 0; i < state.positions.size(); ++i) {
    if (auto lp = portfolio::liquidation_price(state, i)) liquidations[state.positions[i].instrument->id().value()] = *lp;
  }
  Json out = Json::array();
  for (const auto& slot : book.slots()) {
    if (!include_flat && slot.quantity.is_zero()) continue;
    const auto it = liquidations.find(slot.instrument->id().value());
    const bool priced = it != liquidations.end() && it->second.price.has_value();
    Json p = position(slot, venue, priced ? std::optional(it->second.price->value()) : std::nullopt);
    p["liquidation"] = it != liquidations.end() ? Json(portfolio::to_string(it->second.outcome)) : Json(nullptr);
    out.push_back(std::move(p));
  }
  return out;
}

Json bar(const core::InstrumentId& id, const model::Bar& b) {
  return Json{{"instrument_id", id.value()},
              {"symbol", std::string(id.symbol())},
              {"open", decimal_text(b.open.value())},
              {"high", decimal_text(b.high.value())},
              {"low", decimal_text(b.low.value())},
              {"close", decimal_text(b.close.value())},
              {"volume", decimal_text(b.volume.value())},
              {"ts", time_text(b.ts_event)},
              {"ts_ms", b.ts_event.millis()}};
}

Json performance(const risk::PerformanceUpdated& p) {
  return Json{{"equity", decimal_text(p.equity)},
              {"peak_equity", decimal_text(p.peak_equity)},
              {"drawdown", p.drawdown.to_double()},
              {"daily_pnl", decimal_text(p.daily_pnl)},
              {"realized_pnl", decimal_text(p.realized_pnl)},
              {"unrealized_pnl", decimal_text(p.unrealized_pnl)},
              {"gross_exposure", decimal_text(p.gross_exposure)},
              {"net_exposure", decimal_text(p.net_exposure)},
              {"leverage", p.leverage.to_double()},
              {"margin_ratio", p.margin_ratio ? Json(p.margin_ratio->to_double()) : Json(nullptr)},
              {"portfolio_var", p.portfolio_var},
              {"trading_state", risk::to_string(p.trading_state)},
              {"ts", time_text(p.ts_event)}};
}

Json breaker_event(const risk::CircuitBreakerEvent& e) {
  Json j{{"kind", risk::to_string(e.kind)},
         {"breaker", e.breaker},
         {"condition", risk::to_string(e.condition)},
         {"instrument_id", e.instrument ? Json(e.instrument->value()) : Json(nullptr)},
         {"value", decimal_text(e.value)},
         {"threshold", decimal_text(e.threshold)},
         {"action", risk::to_string(e.action)},
         {"state", risk::to_string(e.state)},
         {"trading_state", risk::to_string(e.trading_state)},
         {"reset_by", e.reset_by},
         {"reason", e.reason},
         {"ts", time_text(e.ts_event)}};
  if (e.result) {
    j["result"] = Json{{"ok", e.result->ok},
                       {"error", e.result->error},
                       {"orders_affected", e.result->orders_affected},
                       {"positions_affected", e.result->positions_affected}};
  }
  return j;
}

Json breaker_event(const persistence::CircuitBreakerEventRow& r) {
  return Json{{"id", r.id},
              {"kind", r.kind},
              {"breaker", r.breaker},
              {"condition", r.condition},
              {"action", r.action},
              {"value", r.measured ? Json(*r.measured) : Json(nullptr)},
              {"threshold", r.threshold ? Json(*r.threshold) : Json(nullptr)},
              {"message", r.message},
              {"ts", time_text(r.ts)}};
}

Json breaker_status(const risk::BreakerStatus& s) {
  return Json{{"name", s.name},
              {"instrument_id", s.instrument ? Json(s.instrument->value()) : Json(nullptr)},
              {"state", risk::to_string(s.state)},
              {"last_value", s.last_measurement ? Json(decimal_text(s.last_measurement->value)) : Json(nullptr)},
              {"trip_value", s.trip_measurement ? Json(decimal_text(s.trip_measurement->value)) : Json(nullptr)},
              {"tripped_at", s.tripped_at ? Json(time_text(*s.tripped_at)) : Json(nullptr)},
              {"cooldown_until", s.cooldown_until ? Json(time_text(*s.cooldown_until)) : Json(nullptr)},
              {"trips", s.trips}};
}

Json breaker_config(const risk::CircuitBreakerConfig& c) {
  // The risk configuration's own writer, so the form is exactly what the configuration parser reads.
  risk::RiskConfig one;
  one.circuit_breakers = {c};
  Json all = Json::parse(risk::to_json(one));
  Json out = std::move(all["circuit_breakers"][0]);
  // The file leaves these out when unset; the form gets every key.
  if (!out.contains("instrument")) out["instrument"] = nullptr;
  if (!out.contains("sessions")) out["sessions"] = Json::array();
  return out;
}

Json alert(const risk::Alert& a) {
  return Json{{"id", a.id},
              {"severity", risk::to_string(a.severity)},
              {"code", risk::to_string(a.code)},
              {"message", a.message},
              {"instrument_id", a.instrument ? Json(a.instrument->value()) : Json(nullptr)},
              {"subject", a.subject},
              {"suppressed_count", a.suppressed_count},
              {"ts", time_text(a.ts_event)}};
}

Json alert(const persistence::AlertRow& r) {
  Json details = Json::parse(r.details.empty() ? std::string("{}") : r.details, nullptr, false);
  return Json{{"id", r.id},
              {"severity", r.severity},
              {"code", r.kind},
              {"message", r.message},
              {"details", details.is_discarded() ? Json::object() : details},
              {"ts", time_text(r.ts)}};
}

Json decision(const risk::RiskDecision& d) {
  const risk::ReasonLabels labels = risk::labels_of(d.reason);
  Json j{{"verdict", risk::to_string(d.verdict)},
         {"reason", risk::to_string(d.reason)},
         {"check", risk::to_string(d.check)},
         {"quantity", decimal_text(d.quantity.value())},
         {"message", d.message()}};
  if (d.verdict != risk::Verdict::Approved) {
    j["limit"] = decimal_text(d.limit);
    j["value"] = decimal_text(d.value);
    j["limit_label"] = std::string(labels.limit);
    j["value_label"] = std::string(labels.value);
  }
  return j;
}

persistence::OrderRow order_row(const model::Order& o) {
  persistence::OrderRow r;
  r.client_order_id = o.client_order_id().value();
  r.account_id = o.account_id().value();
  r.instrument_id = o.instrument_id().value();
  r.strategy_id = o.strategy_id().value();
  r.side = std::string(model::to_string(o.side()));
  r.type = std::string(model::to_string(o.type()));
  r.time_in_force = std::string(model::to_string(o.time_in_force()));
  r.quantity = o.quantity().value();
  if (o.price()) r.price = o.price()->value();
  if (o.trigger_price()) r.trigger_price = o.trigger_price()->value();
  r.filled_quantity = o.filled_qty().value();
  if (auto avg = o.avg_px()) r.avg_fill_price = avg->value();
  r.status = std::string(model::to_string(o.status()));
  r.venue_order_id = o.venue_order_id() ? o.venue_order_id()->value() : std::string();
  r.reduce_only = o.is_reduce_only();
  r.post_only = o.is_post_only();
  r.reason = o.status_reason();
  r.created = o.ts_init();
  r.updated = o.ts_last();
  return r;
}

persistence::FillRow fill_row(const model::Fill& f, std::string_view side) {
  persistence::FillRow r;
  r.trade_id = f.trade_id.value();
  r.client_order_id = f.client_order_id.value();
  r.account_id = f.account_id.value();
  r.instrument_id = f.instrument_id.value();
  r.side = std::string(side);
  r.quantity = f.last_qty.value();
  r.price = f.last_px.value();
  r.fee = f.commission.amount();
  r.fee_currency = std::string(f.commission.currency().code());
  r.liquidity = std::string(model::to_string(f.liquidity_side));
  r.ts_event = f.ts_event;
  return r;
}

persistence::CircuitBreakerEventRow breaker_event_row(const risk::CircuitBreakerEvent& e, const std::string& account) {
  persistence::CircuitBreakerEventRow r;
  r.account_id = account;
  r.breaker = e.breaker;
  r.kind = std::string(risk::to_string(e.kind));
  r.condition = std::string(risk::to_string(e.condition));
  r.action = std::string(risk::to_string(e.action));
  r.measured = e.value.to_double();
  r.threshold = e.threshold.to_double();
  r.message = breaker_event(e).dump();
  r.ts = e.ts_event;
  return r;
}

persistence::AlertRow alert_row(const risk::Alert& a, const std::string& account) {
  persistence::AlertRow r;
  r.account_id = account;
  r.severity = std::string(risk::to_string(a.severity));
  r.kind = std::string(risk::to_string(a.code));
  r.message = a.message;
  r.details = Json{{"instrument_id", a.instrument ? Json(a.instrument->value()) : Json(nullptr)},
                   {"subject", a.subject},
                   {"suppressed_count", a.suppressed_count}}
                  .dump();
  r.ts = a.ts_event;
  return r;
}

persistence::TradingStateRow trading_state_row(const std::string& account, risk::TradingState state,
                                                std::string reason, std::string_view changed_by, core::UnixNanos ts) {
  persistence::TradingStateRow row;
  row.account_id = account;
  row.state = std::string(risk::to_string(state));
  row.reason = std::move(reason);
  row.changed_by = std::string(changed_by);
  row.ts = ts;
  return row;
}

namespace {
constexpr std::string_view kEmergencyStopReason = "EMERGENCY_STOP: ";
}  // namespace

persistence::TradingStateRow trading_state_row(const system::Kernel& kernel, const std::string& account,
                                                std::string reason, std::string_view changed_by, core::UnixNanos ts) {
  const risk::EmergencyStopState& es = kernel.emergency_stop_state();
  if (es.engaged) {
    return trading_state_row(account, kernel.engine().trading_state(), std::string(kEmergencyStopReason) + es.reason,
                             es.engaged_by, ts);
  }
  return trading_state_row(account, kernel.engine().trading_state(), std::move(reason), changed_by, ts);
}

void restore_trading_state(system::Kernel& kernel, const persistence::TradingStateRow& row) {
  if (row.reason.starts_with(kEmergencyStopReason)) {
    risk::EmergencyStopState es;
    es.engaged = true;
    es.since = row.ts;
    es.engaged_by = row.changed_by;
    es.reason = row.reason.substr(kEmergencyStopReason.size());
    kernel.restore_emergency_stop(es);
    return;
  }
  const auto parsed = risk::parse<risk::TradingState>(row.state);
  if (parsed && *parsed != risk::TradingState::Active) kernel.monitor().set_operator_trading_state(*parsed);
}

persistence::AuditRow audit_row(core::UnixNanos ts, std::string_view user, std::string_view action,
                                std::string_view target, std::string details, std::string_view remote) {
  persistence::AuditRow row;
  row.ts = ts;
  row.user = std::string(user);
  row.action = std::string(action);
  row.target = std::string(target);
  row.details = std::move(details);
  row.remote = std::string(remote);
  return row;
}

persistence::RiskSnapshotRow risk_snapshot_row(const portfolio::PortfolioBook& book, double var_95,
                                               const std::string& account, core::UnixNanos ts, std::string document) {
  persistence::RiskSnapshotRow row;
  row.account_id = account;
  row.ts = ts;
  row.equity = book.equity();
  row.gross_exposure = book.gross_exposure();
  row.net_exposure = book.net_exposure();
  row.margin_used = book.initial_margin() + book.open_order_margin();
  row.var_95 = var_95;
  row.margin_usage = book.equity().is_positive() ? row.margin_used.to_double() / book.equity().to_double() : 0.0;
  row.document = std::move(document);
  return row;
}

}  // namespace ballast::server::json_views
