#include "ballast/risk/emergency_stop.hpp"

#include "ballast/core/require.hpp"
#include "ballast/model/commands.hpp"
#include "ballast/model/order.hpp"

#include <fmt/format.h>

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace ballast::risk {
namespace {

struct PositionToClose {
  core::InstrumentId instrument;
  core::Decimal quantity;  // signed
};

}  // namespace

EmergencyStop::EmergencyStop(RiskEngine& engine, std::vector<runtime::ExecutionClient*> clients,
                             runtime::MessageBus& bus, const core::Clock& clock, const portfolio::PortfolioBook* book)
    : engine_(&engine), clients_(std::move(clients)), bus_(&bus), clock_(&clock), book_(book) {
  for (const auto* c : clients_) BALLAST_REQUIRE(c != nullptr, "EmergencyStop: null execution client");
}

core::Result<EmergencyStopped> EmergencyStop::engage(const EmergencyStopRequest& request) {
  if (request.operator_name.empty() || request.reason.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "an emergency stop needs an operator name and a reason",
                       request.operator_name.empty() ? "operator" : "reason");
  }
  const core::UnixNanos now = clock_->now();
  const bool already = state_.engaged;
  if (!already) {
    state_ = EmergencyStopState{true, now, request.operator_name, request.reason, request.flatten,
                                engine_->trading_state()};
    late_canceled_.clear();
    late_cancels_ = 0;
  } else if (request.flatten) {
    state_.flatten = true;
  }
  // Halt first: from here on the gate lets nothing new through while the venues are being cleaned up.
  engine_->set_trading_state(TradingState::Halted);

  EmergencyStopped event;
  event.engaged_by = state_.engaged_by;
  event.reason = state_.reason;
  event.flatten = request.flatten;
  event.already_engaged = already;
  event.engaged_since = state_.since;
  event.ts_event = now;
  event.venues.reserve(clients_.size());
  for (auto* client : clients_) {
    VenueStopReport report;
    report.venue = client->venue();
    stop_venue(*client, request.flatten, now, report);
    event.venues.push_back(std::move(report));
  }
  bus_->publish(EmergencyStopped::kTopic, event);
  return event;
}

void EmergencyStop::stop_venue(runtime::ExecutionClient& client, bool flatten, core::UnixNanos now,
                               VenueStopReport& report) {
  auto orders = client.query_open_orders(std::nullopt);
  if (orders) {
    report.open_orders_found = static_cast<std::int32_t>(orders->size());
    for (const auto& o : *orders) {
      model::CancelOrder cancel;
      if (o.client_order_id) cancel.client_order_id = *o.client_order_id;
      cancel.venue_order_id = o.venue_order_id;
      cancel.account_id = o.account_id;
      cancel.instrument_id = o.instrument_id;
      cancel.ts_init = now;
      if (auto st = client.cancel_order(cancel); st) {
        ++report.cancels_requested;
      } else {
        report.errors.push_back(fmt::format("cancel_order {}: {}", o.venue_order_id.value(), st.error().to_string()));
      }
    }
  } else {
    report.open_orders_found = -1;
    report.errors.push_back(fmt::format("query_open_orders: {}", orders.error().to_string()));
    model::CancelAllOrders cancel_all;
    cancel_all.account_id = client.account_id();
    cancel_all.ts_init = now;
    if (auto st = client.cancel_all_orders(cancel_all); st) {
      ++report.cancels_requested;
    } else {
      report.errors.push_back(fmt::format("cancel_all_orders: {}", st.error().to_string()));
    }
  }
  if (!flatten) return;

  std::vector<PositionToClose> positions;
  auto reported = client.query_positions();
  if (reported) {
    for (const auto& p : *reported) {
      if (!p.quantity.is_zero()) positions.push_back({p.instrument_id, p.quantity});
    }
  } else {
    report.errors.push_back(fmt::format("query_positions: {}", reported.error().to_string()));
    if (book_ != nullptr) {
      for (const auto& slot : book_->slots()) {
        if (slot.quantity.is_zero() || slot.instrument == nullptr) continue;
        if (slot.instrument->id().venue_name() != client.venue().value()) continue;
        positions.push_back({slot.instrument->id(), slot.quantity});
      }
    }
  }
  report.positions_found = static_cast<std::int32_t>(positions.size());
  for (const auto& p : positions) {
    model::OrderSpec spec;
    spec.client_order_id = core::ClientOrderId(fmt::format("ESTOP-{}-{}", state_.since.value, ++sequence_));
    spec.strategy_id = core::StrategyId(kStrategyId);
    spec.account_id = client.account_id();
    spec.instrument_id = p.instrument;
    spec.side = p.quantity.is_positive() ? model::OrderSide::Sell : model::OrderSide::Buy;
    spec.type = model::OrderType::Market;
    spec.quantity = model::Quantity(p.quantity.abs());
    spec.time_in_force = model::TimeInForce::Ioc;
    spec.reduce_only = true;
    spec.ts_init = now;
    auto order = model::Order::create(spec);
    if (!order) {
      report.errors.push_back(fmt::format("close {}: {}", p.instrument.value(), order.error().to_string()));
      continue;
    }
    const core::ClientOrderId id = spec.client_order_id;
    if (auto st = client.submit_order(model::SubmitOrder{std::move(*order), now}); st) {
      ++report.close_orders_submitted;
      report.close_orders.push_back(id);
      own_orders_.insert(id.value());
    } else {
      report.errors.push_back(fmt::format("close {}: {}", p.instrument.value(), st.error().to_string()));
    }
  }
}

runtime::ExecutionClient* EmergencyStop::client_for(const model::OrderEventBase& base) const {
  runtime::ExecutionClient* venue_match = nullptr;
  for (auto* c : clients_) {
    if (c->venue().value() != base.instrument_id.venue_name()) continue;
    if (c->account_id() == base.account_id) return c;
    if (venue_match == nullptr) venue_match = c;
  }
  return venue_match;
}

void EmergencyStop::on_order_event(const model::OrderEvent& event) {
  if (!state_.engaged) return;
  std::optional<core::VenueOrderId> venue_order_id;
  if (const auto* accepted = std::get_if<model::OrderAccepted>(&event)) {
    venue_order_id = accepted->venue_order_id;
  } else if (const auto* updated = std::get_if<model::OrderUpdated>(&event)) {
    venue_order_id = updated->venue_order_id;
  } else {
    return;
  }
  const model::OrderEventBase& base = model::event_base(event);
  const std::string& id = base.client_order_id.value();
  if (own_orders_.contains(id) || late_canceled_.contains(id)) return;
  runtime::ExecutionClient* client = client_for(base);
  if (client == nullptr) return;
  model::CancelOrder cancel{base.client_order_id, venue_order_id, base.strategy_id, base.account_id,
                            base.instrument_id, clock_->now()};
  if (client->cancel_order(cancel)) {
    late_canceled_.insert(id);
    ++late_cancels_;
  }
}

core::Status EmergencyStop::reset(std::string_view operator_name, std::string_view reason) {
  if (operator_name.empty() || reason.empty()) {
    return core::Error(core::ErrorCode::InvalidArgument, "resetting the emergency stop needs an operator name and a reason",
                       operator_name.empty() ? "operator" : "reason");
  }
  if (!state_.engaged) {
    return core::Error(core::ErrorCode::InvalidState, "the emergency stop is not engaged");
  }
  engine_->set_trading_state(state_.state_before);
  EmergencyStopReset event{std::string(operator_name), std::string(reason), state_.since, engine_->trading_state(),
                           clock_->now()};
  state_ = EmergencyStopState{};
  late_canceled_.clear();
  own_orders_.clear();
  bus_->publish(EmergencyStopReset::kTopic, event);
  return core::ok();
}

void EmergencyStop::restore(const EmergencyStopState& state) {
  state_ = state;
  if (state_.engaged) engine_->set_trading_state(TradingState::Halted);
}

}  // namespace ballast::risk
