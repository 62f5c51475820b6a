#pragma once
// EmergencyStop: the kill switch. One engage() call
//   1. sets the RiskEngine to HALTED (nothing but cancels passes the gate from here on);
//   2. at every venue (one runtime::ExecutionClient per venue) asks for the open orders and requests a
//      cancel for each; when the query fails it falls back to one account-wide cancel_all_orders
//      (CancelAllOrders without strategy or instrument: every order of the account);
//   3. with `flatten`, closes every non-flat position with a reduce-only MARKET (IOC) order, the positions
//      taken from query_positions, or from the PortfolioBook (the instruments of that venue) when the
//      query fails. These orders go straight to the venue clients: the kill switch does not depend on
//      the order path it may have to stop. Their client order ids are in the report so the kernel can
//      track them.
// A failing venue never stops the others: every error is recorded in that venue's report.
//
// Idempotent: engage() while engaged re-issues the cancels (and the closes if asked), keeps the original
// engagement (since, by whom, reason) and reports already_engaged. While engaged, any order the venues
// later report ACCEPTED (or UPDATED) — one that was in flight when the switch was thrown — is canceled
// at once through on_order_event() (once per order; the kill switch's own close orders are left alone).
// The halt holds until reset() by a named operator with a reason, which restores the trading state the
// engine had before the engagement. state()/restore() expose the engagement for persistence; restore()
// re-applies HALTED without calling any venue.
//
// Publishes EmergencyStopped and EmergencyStopReset (risk_events.hpp) on the bus. Time from the clock.

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/events.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_events.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/runtime/message_bus.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::risk {

struct EmergencyStopState {
  bool engaged{false};
  core::UnixNanos since{};
  std::string engaged_by{};
  std::string reason{};
  bool flatten{false};  // a flatten was requested during this engagement
  TradingState state_before{TradingState::Active};
  friend bool operator==(const EmergencyStopState&, const EmergencyStopState&) = default;
};

struct EmergencyStopRequest {
  std::string operator_name{};  // required
  std::string reason{};         // required
  bool flatten{false};
};

class EmergencyStop {
 public:
  inline static const std::string kStrategyId = "EMERGENCY-STOP";

  // The engine, the clients, the bus, the clock and the book (optional) must outlive the stop.
  EmergencyStop(RiskEngine& engine, std::vector<runtime::ExecutionClient*> clients, runtime::MessageBus& bus,
                const core::Clock& clock, const portfolio::PortfolioBook* book = nullptr);

  // A venue added after construction (the kernel adds its clients one by one); it must outlive the stop.
  void add_client(runtime::ExecutionClient& client) { clients_.push_back(&client); }

  // InvalidArgument without an operator name or a reason; otherwise the event that was published.
  core::Result<EmergencyStopped> engage(const EmergencyStopRequest& request);
  // InvalidArgument without an operator name or a reason; InvalidState when not engaged.
  core::Status reset(std::string_view operator_name, std::string_view reason);
  // Feed every order event while running: cancels orders accepted after the engagement.
  void on_order_event(const model::OrderEvent& event);

  bool engaged() const noexcept { return state_.engaged; }
  const EmergencyStopState& state() const noexcept { return state_; }
  void restore(const EmergencyStopState& state);
  // Cancels issued by on_order_event() during the current engagement.
  std::int64_t late_cancels() const noexcept { return late_cancels_; }

 private:
  void stop_venue(runtime::ExecutionClient& client, bool flatten, core::UnixNanos now, VenueStopReport& report);
  runtime::ExecutionClient* client_for(const model::OrderEventBase& base) const;

  RiskEngine* engine_;
  std::vector<runtime::ExecutionClient*> clients_;
  runtime::MessageBus* bus_;
  const core::Clock* clock_;
  const portfolio::PortfolioBook* book_;
  EmergencyStopState state_{};
  std::set<std::string> own_orders_{};      // close orders the stop sent
  std::set<std::string> late_canceled_{};   // orders canceled by on_order_event()
  std::int64_t late_cancels_{0};
  std::uint64_t sequence_{0};
};

}  // namespace ballast::risk
