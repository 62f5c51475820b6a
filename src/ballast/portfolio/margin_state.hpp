#pragma once
// Inputs of the margin manager and the liquidation-price calculator: a snapshot of one account's
// USDⓈ-margined (linear) derivative positions and open orders in a single settlement currency.
//
// Conventions (Binance USDⓈ-M futures, one-way position mode):
//  - MarginPosition::quantity is signed: long > 0, short < 0, in the instrument's quantity units.
//  - cross_wallet_balance is the CROSS wallet only: deposits + realised P&L − fees − funding, without the
//    margin moved into isolated positions (as the venue reports crossWalletBalance).
//  - isolated_margin is an isolated position's own wallet balance (the margin assigned to it, including
//    any margin added or removed later), unused for cross positions.
//  - Prices are quote per base; mark_price is the price margins and unrealised P&L are measured at.
//  - Instruments are referenced, not owned: they must outlive the calls that read the snapshot.

#include "ballast/core/decimal.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <vector>

namespace ballast::portfolio {

struct MarginPosition {
  const model::Instrument* instrument{nullptr};
  core::Decimal quantity{};  // signed: long > 0, short < 0
  model::Price entry_price{};
  model::Price mark_price{};
  model::MarginMode mode{model::MarginMode::Cross};
  core::Decimal leverage{core::Decimal::from_int(1)};
  model::Money isolated_margin{};  // isolated mode only, settlement currency
};

// A working order's unfilled part. `leverage` is the account's leverage for the instrument
// (model::Account::leverage); the order's initial margin is its notional at `price` / leverage.
struct MarginOrder {
  const model::Instrument* instrument{nullptr};
  model::OrderSide side{model::OrderSide::Buy};
  model::Quantity leaves_quantity{};
  model::Price price{};  // limit price; for a stop-market order the trigger price
  core::Decimal leverage{core::Decimal::from_int(1)};
};

struct MarginAccountState {
  model::Currency settlement_currency{model::Currency::USDT()};
  model::Money cross_wallet_balance{};
  std::vector<MarginPosition> positions{};  // at most one per instrument (one-way mode)
  std::vector<MarginOrder> open_orders{};
};

}  // namespace ballast::portfolio
