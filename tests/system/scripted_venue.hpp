#pragma once
// A venue for the kernel tests: its reconciliation queries answer what the test scripts, and it records
// the commands the kernel sends.

#include "ballast/runtime/execution_client.hpp"

#include <string>
#include <vector>

namespace ballast::system::test {

class ScriptedVenue final : public runtime::ExecutionClient {
 public:
  const core::VenueId& venue() const override { return venue_; }
  const core::AccountId& account_id() const override { return account_; }
  core::Status connect() override {
    connected = true;
    return core::ok();
  }
  void disconnect() override { connected = false; }
  bool is_connected() const override { return connected; }
  core::Status submit_order(const model::SubmitOrder& command) override {
    submitted.push_back(command.order.client_order_id().value());
    return core::ok();
  }
  core::Status cancel_order(const model::CancelOrder& command) override {
    canceled.push_back(command);
    return core::ok();
  }
  core::Status cancel_all_orders(const model::CancelAllOrders&) override { return core::ok(); }
  core::Status modify_order(const model::ModifyOrder&) override { return core::ok(); }
  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>&) override {
    ++queries;
    return open_orders;
  }
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override {
    ++queries;
    return positions;
  }
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) override {
    ++queries;
    fills_asked_since = since;
    return fills;
  }

  bool connected{false};
  int queries{0};
  core::UnixNanos fills_asked_since{};
  core::Result<std::vector<runtime::OrderStatusReport>> open_orders{std::vector<runtime::OrderStatusReport>{}};
  core::Result<std::vector<runtime::PositionStatusReport>> positions{std::vector<runtime::PositionStatusReport>{}};
  core::Result<std::vector<model::Fill>> fills{std::vector<model::Fill>{}};
  std::vector<std::string> submitted;
  std::vector<model::CancelOrder> canceled;

 private:
  core::VenueId venue_{"BINANCE"};
  core::AccountId account_{"ACC"};
};

}  // namespace ballast::system::test
