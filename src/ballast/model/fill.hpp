#pragma once
// Fill: one execution of (part of) an order at a venue — a trade report.
//
// Conventions:
//  - last_qty is the executed quantity (> 0), last_px the execution price, both as the venue reports them;
//    the side is the order's side (Buy adds to a position, Sell takes from it).
//  - commission is the fee the venue charged for this execution in whatever currency it charged it:
//    positive = paid by us, negative = a rebate received (maker rebates). A zero commission may carry no
//    currency. (Balances and P&L follow the Money convention instead: positive = credit.)
//  - ts_event is the venue's execution time; ts_recv is when Ballast received the report.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

namespace ballast::model {

struct Fill {
  core::TradeId trade_id{};
  core::ClientOrderId client_order_id{};
  core::VenueOrderId venue_order_id{};
  core::InstrumentId instrument_id{};
  core::AccountId account_id{};
  OrderSide side{OrderSide::Buy};
  Quantity last_qty{};
  Price last_px{};
  Money commission{};
  LiquiditySide liquidity_side{LiquiditySide::Taker};
  core::UnixNanos ts_event{};
  core::UnixNanos ts_recv{};

  // The executed quantity signed by side: + for a buy, − for a sell.
  core::Decimal signed_qty() const { return side == OrderSide::Buy ? last_qty.value() : -last_qty.value(); }
};

}  // namespace ballast::model
