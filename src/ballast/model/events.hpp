#pragma once
// Trading events, named in the past tense: what happened to an order or a position. Every event carries
// the ids of what it concerns and two timestamps (UnixNanos, UTC):
//   ts_event — when it happened (at the venue for venue events, in Ballast for local ones);
//   ts_init  — when Ballast created this event object.
// Order events share OrderEventBase and form the OrderEvent variant that Order::apply() consumes; position
// events share PositionEventBase, a snapshot of the position right after the fill that caused them.
// Quantities follow model conventions: order quantities are unsigned Quantity, a position's net quantity is
// a signed Decimal (long > 0, short < 0); realized P&L is in the settlement currency, net of fees.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace ballast::model {

struct OrderEventBase {
  core::ClientOrderId client_order_id{};
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  core::UnixNanos ts_event{};
  core::UnixNanos ts_init{};
};

// Sent towards the venue (after the risk engine approved it).
struct OrderSubmitted : OrderEventBase {
  static constexpr std::string_view kName = "OrderSubmitted";
};

// Refused inside Ballast before reaching a venue (risk engine, validation). reason_code is a stable code
// such as "NOTIONAL_EXCEEDS_MAX_PER_ORDER"; message explains it with the limit and the value.
struct OrderDenied : OrderEventBase {
  static constexpr std::string_view kName = "OrderDenied";
  std::string reason_code{};
  std::string message{};
};

struct OrderAccepted : OrderEventBase {
  static constexpr std::string_view kName = "OrderAccepted";
  core::VenueOrderId venue_order_id{};
};

// Refused by the venue; reason is the venue's text (with its code when it has one).
struct OrderRejected : OrderEventBase {
  static constexpr std::string_view kName = "OrderRejected";
  std::string reason{};
};

struct OrderFilled : OrderEventBase {
  static constexpr std::string_view kName = "OrderFilled";
  Fill fill{};
};

struct OrderCanceled : OrderEventBase {
  static constexpr std::string_view kName = "OrderCanceled";
  std::optional<core::VenueOrderId> venue_order_id{};
};

// Ended by its time in force (GTD time reached; IOC/FOK remainder the venue did not fill).
struct OrderExpired : OrderEventBase {
  static constexpr std::string_view kName = "OrderExpired";
  std::optional<core::VenueOrderId> venue_order_id{};
};

// A cancel request is in flight.
struct OrderPendingCancel : OrderEventBase {
  static constexpr std::string_view kName = "OrderPendingCancel";
};

// A modify request is in flight.
struct OrderPendingUpdate : OrderEventBase {
  static constexpr std::string_view kName = "OrderPendingUpdate";
};

// The venue refused a cancel request; the order keeps working.
struct OrderCancelRejected : OrderEventBase {
  static constexpr std::string_view kName = "OrderCancelRejected";
  std::string reason{};
};

// The venue refused a modify request; the order keeps working unchanged.
struct OrderModifyRejected : OrderEventBase {
  static constexpr std::string_view kName = "OrderModifyRejected";
  std::string reason{};
};

// The venue confirmed new terms. quantity is the new total quantity (filled + remaining).
struct OrderUpdated : OrderEventBase {
  static constexpr std::string_view kName = "OrderUpdated";
  std::optional<core::VenueOrderId> venue_order_id{};
  Quantity quantity{};
  std::optional<Price> price{};
  std::optional<Price> trigger_price{};
};

using OrderEvent =
    std::variant<OrderSubmitted, OrderDenied, OrderAccepted, OrderRejected, OrderFilled, OrderCanceled, OrderExpired,
                 OrderPendingCancel, OrderPendingUpdate, OrderCancelRejected, OrderModifyRejected, OrderUpdated>;

inline const OrderEventBase& event_base(const OrderEvent& event) {
  return std::visit([](const auto& e) -> const OrderEventBase& { return e; }, event);
}

// "OrderFilled", … (stable names for logs and the event store).
inline std::string_view event_name(const OrderEvent& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kName; }, event);
}

struct PositionEventBase {
  core::PositionId position_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  core::ClientOrderId client_order_id{};  // the order whose fill caused the event
  core::TradeId trade_id{};               // that fill
  PositionSide side{PositionSide::Flat};
  Decimal quantity{};       // signed net quantity after the fill
  Decimal peak_quantity{};  // largest absolute quantity so far
  Decimal avg_px_open{};    // 0 when flat
  Price last_px{};          // the fill's price
  Money realized_pnl{};     // cumulative, net of settlement-currency fees
  Money fees_paid{};        // cumulative settlement-currency fees
  int fill_count{};
  core::UnixNanos ts_opened{};
  core::UnixNanos ts_event{};
  core::UnixNanos ts_init{};
};

struct PositionOpened : PositionEventBase {
  static constexpr std::string_view kName = "PositionOpened";
};

// Increased, reduced or flipped through zero.
struct PositionChanged : PositionEventBase {
  static constexpr std::string_view kName = "PositionChanged";
};

// Back to flat; ts_event is the closing time.
struct PositionClosed : PositionEventBase {
  static constexpr std::string_view kName = "PositionClosed";
};

using PositionEvent = std::variant<PositionOpened, PositionChanged, PositionClosed>;

inline const PositionEventBase& event_base(const PositionEvent& event) {
  return std::visit([](const auto& e) -> const PositionEventBase& { return e; }, event);
}

inline std::string_view event_name(const PositionEvent& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kName; }, event);
}

}  // namespace ballast::model
