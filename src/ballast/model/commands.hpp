#pragma once
// Trading commands, named in the imperative: what a strategy, an algorithm, the API or a circuit breaker
// asks for. Every command passes the risk engine before execution acts on it (DESIGN.md §3). Each carries
// the ids it concerns and ts_init, when Ballast created it (UnixNanos, UTC).

#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <variant>

namespace ballast::model {

// Submit a new order (still INITIALIZED); the order carries its own ids.
struct SubmitOrder {
  Order order;
  core::UnixNanos ts_init{};
};

struct CancelOrder {
  core::ClientOrderId client_order_id{};
  std::optional<core::VenueOrderId> venue_order_id{};
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  core::UnixNanos ts_init{};
};

// Cancel every open order of the strategy in the account, or only those of one instrument (and side).
struct CancelAllOrders {
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  std::optional<core::InstrumentId> instrument_id{};  // nullopt: every instrument
  std::optional<OrderSide> side{};                    // nullopt: both sides
  core::UnixNanos ts_init{};
};

// Change a working order; absent fields stay as they are. quantity is the new total quantity.
struct ModifyOrder {
  core::ClientOrderId client_order_id{};
  std::optional<core::VenueOrderId> venue_order_id{};
  core::StrategyId strategy_id{};
  core::AccountId account_id{};
  core::InstrumentId instrument_id{};
  std::optional<Quantity> quantity{};
  std::optional<Price> price{};
  std::optional<Price> trigger_price{};
  core::UnixNanos ts_init{};
};

using TradingCommand = std::variant<SubmitOrder, CancelOrder, CancelAllOrders, ModifyOrder>;

}  // namespace ballast::model
