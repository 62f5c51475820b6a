#pragma once
// Helpers for the portfolio tests: the BTCUSDT reference perpetual of the model tests plus an ETHUSDT-like
// perpetual whose brackets follow the same continuity rule (amount(i) = amount(i−1) + floor(i) ×
// (rate(i) − rate(i−1))), and snapshot builders.

#include "ballast/model/instrument.hpp"
#include "ballast/portfolio/margin_state.hpp"
#include "model/test_support.hpp"

#include <string_view>

namespace ballast::portfolio::test {

using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

// Tiers: (0, 10000] 100x 0.5 % 0; (10000, 100000] 75x 0.65 % 15 (= 10000 × 0.0015).
inline model::Instrument alt_perp(std::string_view id) {
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = model::test::instrument_id(id);
  spec.base_currency = model::Currency("ETH", 8);
  spec.tick_size = px("0.01");
  spec.min_notional = usdt("5");
  spec.margin_tiers = {
      {dec("0"), dec("10000"), dec("100"), dec("0.005"), dec("0")},
      {dec("10000"), dec("100000"), dec("75"), dec("0.0065"), dec("15")},
  };
  return model::Instrument::create(spec).value();
}

inline MarginPosition position(const model::Instrument& instrument, std::string_view quantity, std::string_view entry,
                               std::string_view mark, model::MarginMode mode, std::string_view leverage,
                               std::string_view isolated_margin = "0") {
  return MarginPosition{
      .instrument = &instrument,
      .quantity = dec(quantity),
      .entry_price = px(entry),
      .mark_price = px(mark),
      .mode = mode,
      .leverage = dec(leverage),
      .isolated_margin = usdt(isolated_margin),
  };
}

inline MarginAccountState account(std::string_view cross_wallet) {
  MarginAccountState state;
  state.settlement_currency = model::Currency::USDT();
  state.cross_wallet_balance = usdt(cross_wallet);
  return state;
}

}  // namespace ballast::portfolio::test
