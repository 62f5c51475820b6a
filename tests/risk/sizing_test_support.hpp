#pragma once
// Helpers for the position-sizing tests: the BTCUSDT reference perpetual of the model tests (step 0.001,
// min quantity 0.001, max quantity 1000, min notional 100 USDT) and a context builder.

#include "ballast/risk/position_sizer.hpp"
#include "model/test_support.hpp"

#include <string_view>

namespace ballast::risk::test {

using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

inline SizingContext context(const model::Instrument& instrument, model::OrderSide side, std::string_view entry,
                             std::string_view equity) {
  SizingContext c;
  c.instrument = &instrument;
  c.side = side;
  c.entry_price = px(entry);
  c.equity = usdt(equity);
  return c;
}

}  // namespace ballast::risk::test
