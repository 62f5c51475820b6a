#pragma once
// Order: an instruction to trade, and its life cycle as the venue reports it.
//
// Construction goes through Order::create(), which refuses inconsistent orders with an InvalidArgument
// error whose where() (and message) names the field, e.g. "order.price". Rules:
//   MARKET       no price, no trigger_price, not GTD;
//   LIMIT        price, no trigger_price;
//   STOP_MARKET  trigger_price, no price;
//   STOP_LIMIT   trigger_price and price;
//   TAKE_PROFIT  trigger_price; price optional (with a price it rests as a limit once triggered,
//                without one it executes at market);
//   prices and trigger prices are positive; quantity > 0; post_only only on LIMIT orders that rest
//   (GTC or GTD); GTD needs an expire_time after ts_init and other time-in-force values take none.
//
// Quantities: filled_qty + leaves_qty == quantity while the order can still trade; once it reaches a
// terminal status leaves_qty is 0 (FIX semantics: nothing is left working).
//
// Average fill price: the order keeps the exact sum of price × quantity over its fills (fill_value) and
// divides by filled_qty only when asked, at the scale the caller wants. Accumulating a rounded running
// average would drift by a rounding step per fill; the sum never rounds.
//
// Status changes follow kOrderTransitions below (a table, not code). A refused change returns
// ErrorCode::InvalidState with the message "order status cannot change from <FROM> to <TO>" and where()
// "order <client order id>", and leaves the order untouched.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/price.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ballast::model {

struct OrderTransition {
  OrderStatus from;
  OrderStatus to;
};

// Every allowed status change; anything absent is refused. Self-transitions listed here are events that
// leave the status as it is (a second partial fill, a repeated acknowledgment, a second cancel request).
// Terminal statuses (FILLED, DENIED, REJECTED, CANCELED, EXPIRED) have no way out.
//
// Decision on fills before the acknowledgment: SUBMITTED → PARTIALLY_FILLED / FILLED is allowed. Fast
// venues push the execution report on the user stream before the REST acknowledgment arrives; the fill
// carries the venue order id and proves acceptance, and a later acknowledgment leaves the status alone.
inline constexpr std::array<OrderTransition, 39> kOrderTransitions{{
    // Local life before the venue sees the order.
    {OrderStatus::Initialized, OrderStatus::Submitted},  // sent to the venue
    {OrderStatus::Initialized, OrderStatus::Denied},     // refused by the risk engine
    {OrderStatus::Initialized, OrderStatus::Canceled},   // canceled while still held locally
    {OrderStatus::Initialized, OrderStatus::Expired},    // GTD time passed while held locally
    // Waiting for the venue's answer.
    {OrderStatus::Submitted, OrderStatus::Accepted},
    {OrderStatus::Submitted, OrderStatus::Rejected},
    {OrderStatus::Submitted, OrderStatus::PartiallyFilled},  // fill overtook the acknowledgment
    {OrderStatus::Submitted, OrderStatus::Filled},           // fill overtook the acknowledgment
    {OrderStatus::Submitted, OrderStatus::Canceled},         // venue canceled before acknowledging
    {OrderStatus::Submitted, OrderStatus::Expired},          // IOC/FOK found nothing to trade with
    {OrderStatus::Submitted, OrderStatus::PendingCancel},    // cancel sent before the acknowledgment
    // (No SUBMITTED → PENDING_UPDATE: an amendment needs an order the venue has acknowledged.)
    // Working at the venue.
    {OrderStatus::Accepted, OrderStatus::Accepted},  // repeated acknowledgment, or an amendment confirmed
    {OrderStatus::Accepted, OrderStatus::PartiallyFilled},
    {OrderStatus::Accepted, OrderStatus::Filled},
    {OrderStatus::Accepted, OrderStatus::Canceled},  // also unsolicited: self-trade prevention, liquidation
    {OrderStatus::Accepted, OrderStatus::Expired},
    {OrderStatus::Accepted, OrderStatus::PendingCancel},
    {OrderStatus::Accepted, OrderStatus::PendingUpdate},
    {OrderStatus::PartiallyFilled, OrderStatus::PartiallyFilled},
    {OrderStatus::PartiallyFilled, OrderStatus::Filled},
    {OrderStatus::PartiallyFilled, OrderStatus::Canceled},
    {OrderStatus::PartiallyFilled, OrderStatus::Expired},
    {OrderStatus::PartiallyFilled, OrderStatus::PendingCancel},
    {OrderStatus::PartiallyFilled, OrderStatus::PendingUpdate},
    // Cancel in flight.
    {OrderStatus::PendingCancel, OrderStatus::PendingCancel},  // another cancel request; a late ack
    {OrderStatus::PendingCancel, OrderStatus::Canceled},
    {OrderStatus::PendingCancel, OrderStatus::PartiallyFilled},  // fill raced the cancel, or cancel refused
    {OrderStatus::PendingCancel, OrderStatus::Filled},           // fill raced the cancel and won
    {OrderStatus::PendingCancel, OrderStatus::Expired},          // expiry raced the cancel
    {OrderStatus::PendingCancel, OrderStatus::Accepted},         // cancel refused, order still working
    {OrderStatus::PendingCancel, OrderStatus::Submitted},        // cancel refused before any acknowledgment
    {OrderStatus::PendingCancel, OrderStatus::Rejected},         // the venue rejected the order itself
    // Modify in flight (the order is working: fills and cancels still happen).
    {OrderStatus::PendingUpdate, OrderStatus::PendingUpdate},  // another modify request
    {OrderStatus::PendingUpdate, OrderStatus::Accepted},       // modify confirmed or refused, no fills
    {OrderStatus::PendingUpdate, OrderStatus::PartiallyFilled},
    {OrderStatus::PendingUpdate, OrderStatus::Filled},
    {OrderStatus::PendingUpdate, OrderStatus::Canceled},
    {OrderStatus::PendingUpdate, OrderStatus::Expired},
    {OrderStatus::PendingUpdate, OrderStatus::PendingCancel},
}};

constexpr bool is_transition_allowed(OrderStatus from, OrderStatus to) noexcept {
  for (const auto& t : kOrderTransitions) {
    if (t.from == from && t.to == to) return true;
  }
  return false;
}

// Ok, or InvalidState "order status cannot change from <FROM> to <TO>".
core::Status check_transition(OrderStatus from, OrderStatus to);

// FILLED, DENIED, REJECTED, CANCELED, EXPIRED.
constexpr bool is_terminal(OrderStatus s) noexcept {
  return s == OrderStatus::Filled || s == OrderStatus::Denied || s == OrderStatus::Rejected ||
         s == OrderStatus::Canceled || s == OrderStatus::Expired;
}

// Known to (or on its way to) the venue and able to trade.
constexpr bool is_open(OrderStatus s) noexcept {
  return s != OrderStatus::Initialized && !is_terminal(s);
}

// Awaiting the venue's answer to a submission, cancel or modify.
constexpr bool is_inflight(OrderStatus s) noexcept {
  return s == OrderStatus::Submitted || s == OrderStatus::PendingCancel || s == OrderStatus::PendingUpdate;
}

struct OrderSpec {
  core::ClientOrderId client_order_id{};
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  OrderSide side{OrderSide::Buy};
  OrderType type{OrderType::Market};
  Quantity quantity{};
  std::optional<Price> price{};          // limit price
  std::optional<Price> trigger_price{};  // stop / take-profit trigger
  TimeInForce time_in_force{TimeInForce::Gtc};
  std::optional<core::UnixNanos> expire_time{};  // GTD only
  bool reduce_only{false};
  bool post_only{false};
  core::UnixNanos ts_init{};
};

class Order {
 public:
  // Extra decimal places avg_px() carries beyond the most precise fill price.
  static constexpr int kAvgPxExtraDigits = 4;

  static core::Result<Order> create(OrderSpec spec);

  // What the order was created from (its quantity: the one created, not what is left).
  const OrderSpec& spec() const noexcept { return spec_; }
  const core::ClientOrderId& client_order_id() const noexcept { return spec_.client_order_id; }
  const std::optional<core::VenueOrderId>& venue_order_id() const noexcept { return venue_order_id_; }
  const core::StrategyId& strategy_id() const noexcept { return spec_.strategy_id; }
  const core::AccountId& account_id() const noexcept { return spec_.account_id; }
  const core::InstrumentId& instrument_id() const noexcept { return spec_.instrument_id; }
  OrderSide side() const noexcept { return spec_.side; }
  OrderType type() const noexcept { return spec_.type; }
  const Quantity& quantity() const noexcept { return spec_.quantity; }
  const Quantity& filled_qty() const noexcept { return filled_qty_; }
  const Quantity& leaves_qty() const noexcept { return leaves_qty_; }
  const std::optional<Price>& price() const noexcept { return spec_.price; }
  const std::optional<Price>& trigger_price() const noexcept { return spec_.trigger_price; }
  TimeInForce time_in_force() const noexcept { return spec_.time_in_force; }
  const std::optional<core::UnixNanos>& expire_time() const noexcept { return spec_.expire_time; }
  bool is_reduce_only() const noexcept { return spec_.reduce_only; }
  bool is_post_only() const noexcept { return spec_.post_only; }
  OrderStatus status() const noexcept { return status_; }
  // Why the order was denied or rejected, or why the last cancel/modify was refused (empty otherwise).
  const std::string& status_reason() const noexcept { return status_reason_; }
  core::UnixNanos ts_init() const noexcept { return spec_.ts_init; }
  // The latest ts_event applied (never moves backwards), ts_init before any event.
  core::UnixNanos ts_last() const noexcept { return ts_last_; }

  bool is_open() const noexcept { return model::is_open(status_); }
  bool is_closed() const noexcept { return is_terminal(status_); }
  bool is_inflight() const noexcept { return model::is_inflight(status_); }

  // Σ last_px × last_qty over the fills, exact.
  const Decimal& fill_value() const noexcept { return fill_value_; }
  // fill_value / filled_qty rounded once with `mode` at `scale` places; nullopt before the first fill.
  std::optional<Price> avg_px(int scale, RoundingMode mode = RoundingMode::HalfEven) const;
  // avg_px at the most precise fill price's scale + kAvgPxExtraDigits (at most 18), half-even.
  std::optional<Price> avg_px() const;
  const std::vector<core::TradeId>& trade_ids() const noexcept { return trade_ids_; }

  // Applies any order event; its client_order_id must be this order's. On error nothing changes.
  core::Status apply(const OrderEvent& event);

  core::Status on_submitted(core::UnixNanos ts);
  core::Status on_denied(std::string reason, core::UnixNanos ts);
  // Records the venue order id; a second acknowledgment must carry the same id.
  core::Status on_accepted(const core::VenueOrderId& venue_order_id, core::UnixNanos ts);
  core::Status on_rejected(std::string reason, core::UnixNanos ts);
  // Refuses a fill for another order, instrument, side or account, a repeated trade id (AlreadyExists),
  // a non-positive quantity or price, and an overfill beyond quantity (OutOfRange).
  core::Status on_fill(const Fill& fill);
  core::Status on_canceled(core::UnixNanos ts);
  core::Status on_expired(core::UnixNanos ts);
  core::Status on_pending_cancel(core::UnixNanos ts);
  core::Status on_pending_update(core::UnixNanos ts);
  // A refused cancel or modify returns the order to its working status (PARTIALLY_FILLED after fills,
  // ACCEPTED once acknowledged, SUBMITTED otherwise).
  core::Status on_cancel_rejected(std::string reason, core::UnixNanos ts);
  core::Status on_modify_rejected(std::string reason, core::UnixNanos ts);
  // New terms confirmed by the venue. quantity is the new total; equal to filled_qty it completes the
  // order (FILLED), below filled_qty it is refused. A price needs an order type that has one, likewise
  // a trigger price.
  core::Status on_updated(const Quantity& quantity, const std::optional<Price>& price,
                          const std::optional<Price>& trigger_price, core::UnixNanos ts,
                          const std::optional<core::VenueOrderId>& venue_order_id = std::nullopt);

 private:
  explicit Order(OrderSpec spec);

  // The status a working order returns to when a pending request resolves.
  OrderStatus working_status() const noexcept;
  core::Status check_to(OrderStatus to) const;
  void move_to(OrderStatus to, core::UnixNanos ts);
  core::Status check_venue_order_id(const core::VenueOrderId& id) const;

  OrderSpec spec_;
  std::optional<core::VenueOrderId> venue_order_id_;
  OrderStatus status_ = OrderStatus::Initialized;
  std::string status_reason_;
  Quantity filled_qty_;
  Quantity leaves_qty_;
  Decimal fill_value_;
  int max_fill_px_scale_ = 0;
  bool acknowledged_ = false;  // the venue accepted or filled it
  core::UnixNanos ts_last_;
  std::vector<core::TradeId> trade_ids_;
};

}  // namespace ballast::model
