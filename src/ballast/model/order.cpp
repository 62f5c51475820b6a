#include "ballast/model/order.hpp"

#include "ballast/model/internal/decimal_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>
#include <utility>

namespace ballast::model {
namespace {

using core::Error;
using core::ErrorCode;

Error field_error(std::string_view field, std::string message) {
  const std::string where = fmt::format("order.{}", field);
  return Error(ErrorCode::InvalidArgument, fmt::format("{} {}", where, message), where);
}

core::Status check_ids(const OrderSpec& spec) {
  if (spec.client_order_id.empty()) return field_error("client_order_id", "must be set");
  if (spec.strategy_id.empty()) return field_error("strategy_id", "must be set");
  if (spec.account_id.empty()) return field_error("account_id", "must be set");
  if (spec.instrument_id.empty()) return field_error("instrument_id", "must be set");
  return core::ok();
}

core::Status check_prices(const OrderSpec& spec) {
  bool needs_price = false;
  bool allows_price = false;
  bool needs_trigger = false;
  switch (spec.type) {
    case OrderType::Market: break;
    case OrderType::Limit: needs_price = allows_price = true; break;
    case OrderType::StopMarket: needs_trigger = true; break;
    case OrderType::StopLimit: needs_price = allows_price = needs_trigger = true; break;
    case OrderType::TakeProfit: allows_price = needs_trigger = true; break;
  }
  const std::string_view type = to_string(spec.type);
  if (needs_price && !spec.price) return field_error("price", fmt::format("is required for {} orders", type));
  if (!allows_price && spec.price) return field_error("price", fmt::format("must be absent for {} orders", type));
  if (needs_trigger && !spec.trigger_price) {
    return field_error("trigger_price", fmt::format("is required for {} orders", type));
  }
  if (!needs_trigger && spec.trigger_price) {
    return field_error("trigger_price", fmt::format("must be absent for {} orders", type));
  }
  if (spec.price && !spec.price->is_positive()) {
    return field_error("price", fmt::format("must be positive, got {}", spec.price->to_string()));
  }
  if (spec.trigger_price && !spec.trigger_price->is_positive()) {
    return field_error("trigger_price", fmt::format("must be positive, got {}", spec.trigger_price->to_string()));
  }
  return core::ok();
}

core::Status check_time_in_force(const OrderSpec& spec) {
  const bool gtd = spec.time_in_force == TimeInForce::Gtd;
  if (gtd && spec.type == OrderType::Market) return field_error("time_in_force", "GTD is not for MARKET orders");
  if (spec.post_only) {
    if (spec.type != OrderType::Limit) {
      return field_error("post_only", fmt::format("is only for LIMIT orders, not {}", to_string(spec.type)));
    }
    if (spec.time_in_force != TimeInForce::Gtc && !gtd) {
      return field_error("post_only", fmt::format("orders must rest: time_in_force GTC or GTD, not {}",
                                                  to_string(spec.time_in_force)));
    }
  }
  if (gtd && !spec.expire_time) return field_error("expire_time", "is required for GTD orders");
  if (!gtd && spec.expire_time) {
    return field_error("expire_time", fmt::format("is only for GTD orders, not {}", to_string(spec.time_in_force)));
  }
  if (gtd && *spec.expire_time <= spec.ts_init) {
    return field_error("expire_time",
                       fmt::format("must be after ts_init ({} <= {})", core::format_iso8601(*spec.expire_time),
                                   core::format_iso8601(spec.ts_init)));
  }
  return core::ok();
}

Error order_error(const core::ClientOrderId& id, ErrorCode code, std::string message) {
  return Error(code, std::move(message), fmt::format("order {}", id.value()));
}

}  // namespace

core::Status check_transition(OrderStatus from, OrderStatus to) {
  if (is_transition_allowed(from, to)) return core::ok();
  return Error(ErrorCode::InvalidState,
               fmt::format("order status cannot change from {} to {}", to_string(from), to_string(to)));
}

core::Result<Order> Order::create(OrderSpec spec) {
  BALLAST_TRY(check_ids(spec));
  if (!spec.quantity.is_positive()) {
    return field_error("quantity", fmt::format("must be positive, got {}", spec.quantity.to_string()));
  }
  BALLAST_TRY(check_prices(spec));
  BALLAST_TRY(check_time_in_force(spec));
  return Order(std::move(spec));
}

Order::Order(OrderSpec spec)
    : spec_(std::move(spec)),
      filled_qty_(Decimal::from_raw(0, spec_.quantity.precision())),
      leaves_qty_(spec_.quantity),
      ts_last_(spec_.ts_init) {}

std::optional<Price> Order::avg_px(int scale, RoundingMode mode) const {
  if (filled_qty_.is_zero()) return std::nullopt;
  auto px = internal::divide(fill_value_, filled_qty_.value(), scale, 0, mode);
  BALLAST_REQUIRE(px.has_value(), px.error().message());
  return Price(*px);
}

std::optional<Price> Order::avg_px() const {
  return avg_px(std::min(Decimal::kMaxScale, max_fill_px_scale_ + kAvgPxExtraDigits), RoundingMode::HalfEven);
}

core::Status Order::apply(const OrderEvent& event) {
  const OrderEventBase& base = event_base(event);
  if (base.client_order_id != spec_.client_order_id) {
    return order_error(spec_.client_order_id, ErrorCode::InvalidArgument,
                       fmt::format("{} for order {} applied to order {}", event_name(event),
                                   base.client_order_id.value(), spec_.client_order_id.value()));
  }
  return std::visit(
      [this](const auto& e) -> core::Status {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, OrderSubmitted>) return on_submitted(e.ts_event);
        if constexpr (std::is_same_v<E, OrderDenied>) {
          return on_denied(e.reason_code.empty() ? e.message : e.reason_code + ": " + e.message, e.ts_event);
        }
        if constexpr (std::is_same_v<E, OrderAccepted>) return on_accepted(e.venue_order_id, e.ts_event);
        if constexpr (std::is_same_v<E, OrderRejected>) return on_rejected(e.reason, e.ts_event);
        if constexpr (std::is_same_v<E, OrderFilled>) return on_fill(e.fill);
        if constexpr (std::is_same_v<E, OrderCanceled> || std::is_same_v<E, OrderExpired>) {
          if (e.venue_order_id) BALLAST_TRY(check_venue_order_id(*e.venue_order_id));
          if constexpr (std::is_same_v<E, OrderCanceled>) return on_canceled(e.ts_event);
          if constexpr (std::is_same_v<E, OrderExpired>) return on_expired(e.ts_event);
        }
        if constexpr (std::is_same_v<E, OrderPendingCancel>) return on_pending_cancel(e.ts_event);
        if constexpr (std::is_same_v<E, OrderPendingUpdate>) return on_pending_update(e.ts_event);
        if constexpr (std::is_same_v<E, OrderCancelRejected>) return on_cancel_rejected(e.reason, e.ts_event);
        if constexpr (std::is_same_v<E, OrderModifyRejected>) return on_modify_rejected(e.reason, e.ts_event);
        if constexpr (std::is_same_v<E, OrderUpdated>) {
          return on_updated(e.quantity, e.price, e.trigger_price, e.ts_event, e.venue_order_id);
        }
      },
      event);
}

core::Status Order::on_submitted(core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::Submitted));
  move_to(OrderStatus::Submitted, ts);
  return core::ok();
}

core::Status Order::on_denied(std::string reason, core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::Denied));
  status_reason_ = std::move(reason);
  move_to(OrderStatus::Denied, ts);
  return core::ok();
}

core::Status Order::on_accepted(const core::VenueOrderId& venue_order_id, core::UnixNanos ts) {
  if (venue_order_id.empty()) {
    return order_error(spec_.client_order_id, ErrorCode::InvalidArgument, "an acknowledgment needs a venue order id");
  }
  BALLAST_TRY(check_venue_order_id(venue_order_id));
  // An acknowledgment never undoes progress: after fills or with a request in flight the status stays.
  const bool keeps_status = status_ == OrderStatus::PartiallyFilled || status_ == OrderStatus::PendingCancel ||
                            status_ == OrderStatus::PendingUpdate;
  const OrderStatus to = keeps_status ? status_ : OrderStatus::Accepted;
  BALLAST_TRY(check_to(to));
  venue_order_id_ = venue_order_id;
  acknowledged_ = true;
  move_to(to, ts);
  return core::ok();
}

core::Status Order::on_rejected(std::string reason, core::UnixNanos ts) {
  if (status_ == OrderStatus::PendingCancel && acknowledged_) {
    return order_error(spec_.client_order_id, ErrorCode::InvalidState,
                       "order status cannot change from PENDING_CANCEL to REJECTED: the venue already accepted it");
  }
  BALLAST_TRY(check_to(OrderStatus::Rejected));
  status_reason_ = std::move(reason);
  move_to(OrderStatus::Rejected, ts);
  return core::ok();
}

core::Status Order::on_fill(const Fill& fill) {
  const auto& id = spec_.client_order_id;
  if (fill.client_order_id != id) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("fill {} belongs to order {}", fill.trade_id.value(), fill.client_order_id.value()));
  }
  if (fill.instrument_id != spec_.instrument_id) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("fill {} is for {}, the order for {}", fill.trade_id.value(),
                                   fill.instrument_id.value(), spec_.instrument_id.value()));
  }
  if (!fill.account_id.empty() && fill.account_id != spec_.account_id) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("fill {} is for account {}, the order for {}", fill.trade_id.value(),
                                   fill.account_id.value(), spec_.account_id.value()));
  }
  if (fill.side != spec_.side) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("fill {} is a {}, the order a {}", fill.trade_id.value(), to_string(fill.side),
                                   to_string(spec_.side)));
  }
  if (!fill.last_qty.is_positive() || !fill.last_px.is_positive()) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("fill {} needs a positive quantity and price, got {} @ {}", fill.trade_id.value(),
                                   fill.last_qty.to_string(), fill.last_px.to_string()));
  }
  if (std::find(trade_ids_.begin(), trade_ids_.end(), fill.trade_id) != trade_ids_.end()) {
    return order_error(id, ErrorCode::AlreadyExists, fmt::format("fill {} was already applied", fill.trade_id.value()));
  }
  if (!fill.venue_order_id.empty()) BALLAST_TRY(check_venue_order_id(fill.venue_order_id));
  const Quantity filled = filled_qty_ + fill.last_qty;
  if (filled > spec_.quantity) {
    return order_error(id, ErrorCode::OutOfRange,
                       fmt::format("fill {} of {} would overfill: filled {} + {} exceeds quantity {}",
                                   fill.trade_id.value(), fill.last_qty.to_string(), filled_qty_.to_string(),
                                   fill.last_qty.to_string(), spec_.quantity.to_string()));
  }
  const OrderStatus to = filled == spec_.quantity ? OrderStatus::Filled : OrderStatus::PartiallyFilled;
  BALLAST_TRY(check_to(to));
  auto value = internal::multiply(fill.last_px.value(), fill.last_qty.value());
  if (!value) return value.error();
  auto total = fill_value_.checked_add(*value);
  if (!total) return total.error();

  fill_value_ = *total;
  filled_qty_ = filled;
  leaves_qty_ = spec_.quantity - filled;
  max_fill_px_scale_ = std::max(max_fill_px_scale_, fill.last_px.precision());
  trade_ids_.push_back(fill.trade_id);
  if (!venue_order_id_ && !fill.venue_order_id.empty()) venue_order_id_ = fill.venue_order_id;
  acknowledged_ = true;
  move_to(to, fill.ts_event);
  return core::ok();
}

core::Status Order::on_canceled(core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::Canceled));
  move_to(OrderStatus::Canceled, ts);
  return core::ok();
}

core::Status Order::on_expired(core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::Expired));
  move_to(OrderStatus::Expired, ts);
  return core::ok();
}

core::Status Order::on_pending_cancel(core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::PendingCancel));
  move_to(OrderStatus::PendingCancel, ts);
  return core::ok();
}

core::Status Order::on_pending_update(core::UnixNanos ts) {
  BALLAST_TRY(check_to(OrderStatus::PendingUpdate));
  move_to(OrderStatus::PendingUpdate, ts);
  return core::ok();
}

core::Status Order::on_cancel_rejected(std::string reason, core::UnixNanos ts) {
  // A late refusal (after a fill already moved the order on) leaves the status where it is.
  const OrderStatus to = status_ == OrderStatus::PendingCancel ? working_status() : status_;
  BALLAST_TRY(check_to(to));
  status_reason_ = std::move(reason);
  move_to(to, ts);
  return core::ok();
}

core::Status Order::on_modify_rejected(std::string reason, core::UnixNanos ts) {
  const OrderStatus to = status_ == OrderStatus::PendingUpdate ? working_status() : status_;
  BALLAST_TRY(check_to(to));
  status_reason_ = std::move(reason);
  move_to(to, ts);
  return core::ok();
}

core::Status Order::on_updated(const Quantity& quantity, const std::optional<Price>& price,
                               const std::optional<Price>& trigger_price, core::UnixNanos ts,
                               const std::optional<core::VenueOrderId>& venue_order_id) {
  const auto& id = spec_.client_order_id;
  const bool working = status_ == OrderStatus::Accepted || status_ == OrderStatus::PartiallyFilled ||
                       status_ == OrderStatus::PendingUpdate || status_ == OrderStatus::PendingCancel;
  if (!working) {
    return order_error(id, ErrorCode::InvalidState,
                       fmt::format("an update needs an acknowledged, working order; status is {}", to_string(status_)));
  }
  if (quantity < filled_qty_ || quantity.is_zero()) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("updated quantity {} is below the filled quantity {} or zero", quantity.to_string(),
                                   filled_qty_.to_string()));
  }
  if (price && !spec_.price) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("a {} order has no price to update", to_string(spec_.type)));
  }
  if (trigger_price && !spec_.trigger_price) {
    return order_error(id, ErrorCode::InvalidArgument,
                       fmt::format("a {} order has no trigger price to update", to_string(spec_.type)));
  }
  if ((price && !price->is_positive()) || (trigger_price && !trigger_price->is_positive())) {
    return order_error(id, ErrorCode::InvalidArgument, "updated prices must be positive");
  }
  if (venue_order_id && !venue_order_id->empty()) BALLAST_TRY(check_venue_order_id(*venue_order_id));
  OrderStatus to = status_;
  if (quantity == filled_qty_) {
    to = OrderStatus::Filled;
  } else if (status_ == OrderStatus::PendingUpdate) {
    to = filled_qty_.is_zero() ? OrderStatus::Accepted : OrderStatus::PartiallyFilled;
  }
  BALLAST_TRY(check_to(to));

  spec_.quantity = quantity;
  leaves_qty_ = quantity - filled_qty_;
  if (price) spec_.price = price;
  if (trigger_price) spec_.trigger_price = trigger_price;
  if (venue_order_id && !venue_order_id->empty()) venue_order_id_ = venue_order_id;
  move_to(to, ts);
  return core::ok();
}

OrderStatus Order::working_status() const noexcept {
  if (filled_qty_.is_positive()) return OrderStatus::PartiallyFilled;
  return acknowledged_ ? OrderStatus::Accepted : OrderStatus::Submitted;
}

core::Status Order::check_to(OrderStatus to) const {
  auto status = check_transition(status_, to);
  if (!status) return order_error(spec_.client_order_id, status.error().code(), status.error().message());
  return core::ok();
}

void Order::move_to(OrderStatus to, core::UnixNanos ts) {
  status_ = to;
  if (is_terminal(to)) leaves_qty_ = Quantity(Decimal::from_raw(0, spec_.quantity.precision()));
  ts_last_ = std::max(ts_last_, ts);
}

core::Status Order::check_venue_order_id(const core::VenueOrderId& id) const {
  if (venue_order_id_ && *venue_order_id_ != id) {
    return order_error(
        spec_.client_order_id, ErrorCode::InvalidArgument,
        fmt::format("venue order id {} differs from the acknowledged {}", id.value(), venue_order_id_->value()));
  }
  return core::ok();
}

}  // namespace ballast::model
