#pragma once
// SimExecutionClient: the runtime::ExecutionClient port over a SimulatedExchange, so the kernel trades
// with the simulated venue exactly as with a live one (DESIGN.md §1). Commands are stamped with the
// clock's time and travel through the exchange's latency model; answers come back through the
// exchange's ExecutionEventSink. The exchange is shared with whoever feeds it market data (the
// backtest engine or the paper-trading feed) and must outlive the client.

#include "ballast/core/clock.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/sim/simulated_exchange.hpp"

namespace ballast::sim {

class SimExecutionClient final : public runtime::ExecutionClient {
 public:
  SimExecutionClient(SimulatedExchange& exchange, const core::Clock& clock);

  const core::VenueId& venue() const override { return exchange_->config().venue; }
  const core::AccountId& account_id() const override { return exchange_->config().account_id; }

  core::Status connect() override;
  void disconnect() override { connected_ = false; }
  bool is_connected() const override { return connected_; }

  // Refused locally (nothing sent) while disconnected.
  core::Status submit_order(const model::SubmitOrder& command) override;
  core::Status cancel_order(const model::CancelOrder& command) override;
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override;
  core::Status modify_order(const model::ModifyOrder& command) override;

  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) override;
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override;
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override;

 private:
  core::Status require_connected() const;

  SimulatedExchange* exchange_;
  const core::Clock* clock_;
  bool connected_{false};
};

}  // namespace ballast::sim
