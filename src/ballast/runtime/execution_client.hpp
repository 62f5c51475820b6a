#pragma once
// ExecutionClient: the port through which the kernel trades at one venue, for one account. The same
// interface serves backtest (SimExecutionClient), paper and live (BinanceFuturesExecutionClient, …),
// so the engines above it never know which one they talk to (DESIGN.md §1).
//
// Commands are fire-and-forget: submit_order/cancel_order/cancel_all_orders/modify_order return an
// error only when the client refuses the command locally (not connected, an order it cannot express,
// a local rate limit) — nothing was sent in that case. Otherwise the venue's answer comes back LATER as
// model::OrderEvent values through the ExecutionEventSink (OrderAccepted/OrderRejected/OrderFilled/
// OrderCanceled/OrderCancelRejected/OrderUpdated/…); a command never returns the venue's verdict.
// Risk checks happen before a command reaches the client; the client does not re-check limits.
//
// Threading:
//  - The kernel calls every method from the kernel thread, never concurrently. Command methods must
//    not block on the network: a live client queues the request for its I/O thread and returns.
//  - connect(), disconnect() and the reconciliation queries may block the kernel thread (start-up,
//    reconnect, shutdown) until the venue answers or the client's timeout passes (IoError).
//  - The client may call its sink from any ONE thread of its own (its I/O thread, or the kernel thread
//    for the simulated venue), including from inside a command method. The kernel's sink only
//    enqueues; events are processed on the kernel thread in the order the client reported them.
//
// Reconciliation (system::Kernel::reconcile, system/reconciliation.hpp): the host reconciles each venue
// after connect(); on_disconnected() marks the venue, the kernel refuses new orders for it, and once
// is_connected() is true again Kernel::reconcile_pending() reconciles it. Reconciling calls
// query_open_orders(nullopt), query_fills_since(since) and query_positions() — all three before changing
// anything, so a query error leaves the kernel as it was — then brings the kernel's orders (by client
// order id, else venue order id) and the portfolio book up to the venue's view through the normal event
// path: missed acknowledgements and fills (each venue trade id once), unknown orders adopted as external,
// orders the venue no longer lists closed, positions set to the venue's. A client should therefore report
// a venue order's fills with its venue order id, and an order placed outside Ballast with its own venue
// client order id (or none).

#include "ballast/core/decimal.hpp"
#include "ballast/core/error.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/commands.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <vector>

namespace ballast::runtime {

// Receives what an execution client learns from its venue. Implementations handed to live clients
// must be safe to call from the client's I/O thread (the kernel's is a queue).
class ExecutionEventSink {
 public:
  virtual ~ExecutionEventSink() = default;
  // An order event for an order of this client's account.
  virtual void on_order_event(const model::OrderEvent& event) = 0;
  // The connection to the venue was lost (after connect() succeeded). The client may reconnect on its
  // own; the kernel reconciles before it trusts the venue state again.
  virtual void on_disconnected(const core::VenueId& venue, const core::Error& reason) = 0;
};

// The venue's view of one order, for reconciliation.
struct OrderStatusReport {
  std::optional<core::ClientOrderId> client_order_id;  // absent for orders placed outside Ballast
  core::VenueOrderId venue_order_id;
  core::AccountId account_id;
  core::InstrumentId instrument_id;
  model::OrderSide side = model::OrderSide::Buy;
  model::OrderType type = model::OrderType::Limit;
  model::OrderStatus status = model::OrderStatus::Accepted;
  model::Quantity quantity;
  model::Quantity filled_qty;
  std::optional<model::Price> price;
  std::optional<model::Price> trigger_price;
  std::optional<model::Price> avg_px;  // of the fills so far
  core::UnixNanos ts_last;             // venue time of the order's last change
};

// The venue's view of one position, for reconciliation.
struct PositionStatusReport {
  core::AccountId account_id;
  core::InstrumentId instrument_id;
  core::Decimal quantity;              // signed: long > 0, short < 0
  std::optional<model::Price> avg_px_open;
  // The venue's own liquidation price of the position; nullopt when it reports none (a position the
  // venue does not expect to liquidate at any price, or a venue that does not publish one).
  std::optional<model::Price> liquidation_price;
  std::optional<model::MarginMode> margin_mode;  // as the venue holds the position, when it says
  core::UnixNanos ts_event;            // venue time of the report
};

class ExecutionClient {
 public:
  virtual ~ExecutionClient() = default;

  virtual const core::VenueId& venue() const = 0;
  virtual const core::AccountId& account_id() const = 0;

  // Opens the session (authenticates, subscribes to the user stream). Blocks until ready or failed.
  virtual core::Status connect() = 0;
  // Closes the session; no sink calls after it returns. Open orders stay at the venue.
  virtual void disconnect() = 0;
  virtual bool is_connected() const = 0;

  // Sends an INITIALIZED order the risk engine approved. The kernel has already applied OrderSubmitted.
  virtual core::Status submit_order(const model::SubmitOrder& command) = 0;
  virtual core::Status cancel_order(const model::CancelOrder& command) = 0;
  // Cancels every open order the command selects (one venue request where the venue supports it).
  virtual core::Status cancel_all_orders(const model::CancelAllOrders& command) = 0;
  virtual core::Status modify_order(const model::ModifyOrder& command) = 0;

  // Reconciliation queries (blocking; see the header comment).
  // Every order the venue considers open for this account, optionally for one instrument.
  virtual core::Result<std::vector<OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>& instrument_id) = 0;
  // Every non-flat position of this account.
  virtual core::Result<std::vector<PositionStatusReport>> query_positions() = 0;
  // Fills of this account with ts_event >= since, oldest first.
  virtual core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos since) = 0;
};

}  // namespace ballast::runtime
