#pragma once
// Shared helpers for the model tests: literals for exact values and three reference instruments whose
// numbers follow Binance's published contract specifications (BTCUSDT perpetual, BTCUSD coin-margined
// perpetual with 100 USD contracts, BTCUSDT spot).

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::model::test {

inline core::Decimal dec(std::string_view text) {
  return core::Decimal::parse(text).value();
}
inline Price px(std::string_view text) {
  return Price::parse(text).value();
}
inline Quantity qty(std::string_view text) {
  return Quantity::parse(text).value();
}
inline Money usdt(std::string_view text) {
  return Money::parse(text, Currency::USDT()).value();
}
inline Money btc(std::string_view text) {
  return Money::parse(text, Currency::BTC()).value();
}
inline core::UnixNanos at(std::int64_t seconds) {
  return core::UnixNanos::from_seconds(seconds);
}

inline core::InstrumentId instrument_id(std::string_view text) {
  return core::InstrumentId::parse(text).value();
}

// Binance USDT-M BTCUSDT-like brackets: maintenance amount of tier i = amount(i−1) + floor(i) × (rate(i) − rate(i−1)).
inline std::vector<MarginTier> btcusdt_tiers() {
  return {
      {dec("0"), dec("50000"), dec("125"), dec("0.004"), dec("0")},
      {dec("50000"), dec("250000"), dec("100"), dec("0.005"), dec("50")},
      {dec("250000"), dec("3000000"), dec("50"), dec("0.01"), dec("1300")},
  };
}

inline InstrumentSpec linear_perp_spec() {
  return InstrumentSpec{
      .id = instrument_id("BTCUSDT-PERP.BINANCE"),
      .kind = InstrumentKind::Perpetual,
      .base_currency = Currency::BTC(),
      .quote_currency = Currency::USDT(),
      .settlement_currency = Currency::USDT(),
      .is_inverse = false,
      .tick_size = px("0.1"),
      .step_size = qty("0.001"),
      .min_quantity = qty("0.001"),
      .max_quantity = qty("1000"),
      .min_notional = usdt("100"),
      .multiplier = dec("1"),
      .maker_fee_rate = dec("0.0002"),
      .taker_fee_rate = dec("0.0004"),
      .margin_tiers = btcusdt_tiers(),
  };
}

inline Instrument linear_perp() {
  return Instrument::create(linear_perp_spec()).value();
}

inline InstrumentSpec inverse_perp_spec() {
  return InstrumentSpec{
      .id = instrument_id("BTCUSD-PERP.BINANCE"),
      .kind = InstrumentKind::Perpetual,
      .base_currency = Currency::BTC(),
      .quote_currency = Currency("USD", 2),
      .settlement_currency = Currency::BTC(),
      .is_inverse = true,
      .tick_size = px("0.1"),
      .step_size = qty("1"),
      .min_quantity = qty("1"),
      .multiplier = dec("100"),
      .maker_fee_rate = dec("0.0001"),
      .taker_fee_rate = dec("0.0005"),
  };
}

inline Instrument inverse_perp() {
  return Instrument::create(inverse_perp_spec()).value();
}

inline Instrument spot() {
  return Instrument::create(InstrumentSpec{
                                .id = instrument_id("BTCUSDT.BINANCE"),
                                .kind = InstrumentKind::Spot,
                                .base_currency = Currency::BTC(),
                                .quote_currency = Currency::USDT(),
                                .settlement_currency = Currency::USDT(),
                                .tick_size = px("0.01"),
                                .step_size = qty("0.00001"),
                                .min_quantity = qty("0.00001"),
                                .taker_fee_rate = dec("0.001"),
                            })
      .value();
}

// A fill of `side` `quantity` @ `price` for `instrument` in account ACC-1, trade id T-<n>.
inline Fill make_fill(const Instrument& instrument, OrderSide side, std::string_view quantity, std::string_view price,
                      const Money& commission, int n, std::string_view order = "O-1") {
  return Fill{
      .trade_id = core::TradeId("T-" + std::to_string(n)),
      .client_order_id = core::ClientOrderId(std::string(order)),
      .venue_order_id = core::VenueOrderId("V-" + std::string(order)),
      .instrument_id = instrument.id(),
      .account_id = core::AccountId("ACC-1"),
      .side = side,
      .last_qty = qty(quantity),
      .last_px = px(price),
      .commission = commission,
      .liquidity_side = LiquiditySide::Taker,
      .ts_event = at(n),
      .ts_recv = at(n),
  };
}

}  // namespace ballast::model::test
