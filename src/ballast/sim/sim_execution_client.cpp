#include "ballast/sim/sim_execution_client.hpp"

namespace ballast::sim {

SimExecutionClient::SimExecutionClient(SimulatedExchange& exchange, const core::Clock& clock)
    : exchange_(&exchange), clock_(&clock) {}

core::Status SimExecutionClient::connect() {
  connected_ = true;
  return core::ok();
}

core::Status SimExecutionClient::require_connected() const {
  if (connected_) return core::ok();
  return core::Error(core::ErrorCode::InvalidState,
                     "simulated venue " + exchange_->config().venue.value() + " is not connected", "venue");
}

core::Status SimExecutionClient::submit_order(const model::SubmitOrder& command) {
  BALLAST_TRY(require_connected());
  return exchange_->submit(command, clock_->now());
}

core::Status SimExecutionClient::cancel_order(const model::CancelOrder& command) {
  BALLAST_TRY(require_connected());
  return exchange_->cancel(command, clock_->now());
}

core::Status SimExecutionClient::cancel_all_orders(const model::CancelAllOrders& command) {
  BALLAST_TRY(require_connected());
  return exchange_->cancel_all(command, clock_->now());
}

core::Status SimExecutionClient::modify_order(const model::ModifyOrder& command) {
  BALLAST_TRY(require_connected());
  return exchange_->modify(command, clock_->now());
}

core::Result<std::vector<runtime::OrderStatusReport>> SimExecutionClient::query_open_orders(
    const std::optional<core::InstrumentId>& instrument_id) {
  BALLAST_TRY(require_connected());
  exchange_->advance_to(clock_->now());
  return exchange_->open_orders(instrument_id);
}

core::Result<std::vector<runtime::PositionStatusReport>> SimExecutionClient::query_positions() {
  BALLAST_TRY(require_connected());
  exchange_->advance_to(clock_->now());
  return exchange_->positions(clock_->now());
}

core::Result<std::vector<model::Fill>> SimExecutionClient::query_fills_since(core::UnixNanos since) {
  BALLAST_TRY(require_connected());
  return exchange_->fills_since(since);
}

}  // namespace ballast::sim
