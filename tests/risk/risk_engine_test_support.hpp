#pragma once
// Fixture of the risk-engine tests: a USDT account holding the BTCUSDT reference perpetual of the model
// tests (tick 0.1, step 0.001, min quantity 0.001, max quantity 1000, min notional 100; tiers 125x to
// 50 000, 100x to 250 000, 50x to 3 000 000) and an ETHUSDT perpetual (tick 0.01, step 0.001, min
// quantity 0.01, min notional 5; tiers 100x to 10 000, 75x to 100 000), marked at 50 000 and 2 000,
// wallet 100 000, leverage 10 on both, every limit off (margin check included) unless a test turns it on.

#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string_view>

namespace ballast::risk::test {

using model::test::dec;
using model::test::px;
using model::test::qty;

// 2024-03-01T12:00:00Z.
inline constexpr core::UnixNanos kT0 = core::UnixNanos::from_seconds(1709294400);

inline model::Instrument eth_perp() {
  model::InstrumentSpec spec = model::test::linear_perp_spec();
  spec.id = model::test::instrument_id("ETHUSDT-PERP.BINANCE");
  spec.base_currency = model::Currency("ETH", 8);
  spec.tick_size = px("0.01");
  spec.min_quantity = qty("0.01");
  spec.min_notional = model::test::usdt("5");
  spec.margin_tiers = {
      {dec("0"), dec("10000"), dec("100"), dec("0.005"), dec("0")},
      {dec("10000"), dec("100000"), dec("75"), dec("0.0065"), dec("15")},
  };
  return model::Instrument::create(spec).value();
}

class EngineTest : public ::testing::Test {
 protected:
  static constexpr portfolio::SlotIndex kBtc = 0;
  static constexpr portfolio::SlotIndex kEth = 1;

  EngineTest() {
    book.emplace(portfolio::PortfolioBook::create(model::Currency::USDT(), list, dec("100000")).value());
    EXPECT_TRUE(book->set_leverage(kBtc, dec("10")));
    EXPECT_TRUE(book->set_leverage(kEth, dec("10")));
    EXPECT_TRUE(book->set_mark(kBtc, px("50000"), kT0));
    EXPECT_TRUE(book->set_mark(kEth, px("2000"), kT0));
    config.check_margin = false;
    config.circuit_breakers.clear();
  }

  RiskEngine engine(core::UnixNanos now = kT0) const { return RiskEngine::create(config, *book, now).value(); }

  static OrderRequest market(portfolio::SlotIndex slot, model::OrderSide side, std::string_view quantity) {
    OrderRequest o;
    o.slot = slot;
    o.side = side;
    o.type = model::OrderType::Market;
    o.quantity = qty(quantity);
    return o;
  }
  static OrderRequest limit(portfolio::SlotIndex slot, model::OrderSide side, std::string_view quantity,
                            std::string_view price) {
    OrderRequest o = market(slot, side, quantity);
    o.type = model::OrderType::Limit;
    o.price = px(price);
    return o;
  }
  static DecimalLimit on(std::string_view value) { return DecimalLimit{true, dec(value)}; }
  static CountLimit count(std::int64_t value) { return CountLimit{true, value}; }

  // The position at its entry = mark, so equity stays at the wallet.
  void hold(portfolio::SlotIndex slot, std::string_view quantity) {
    const core::Decimal mark = book->slot(slot).mark.value();
    ASSERT_TRUE(book->set_position(slot, dec(quantity), mark));
  }

  model::Instrument btc = model::test::linear_perp();
  model::Instrument eth = eth_perp();
  std::array<const model::Instrument*, 2> list{&btc, &eth};
  std::optional<portfolio::PortfolioBook> book;
  RiskConfig config;
};

inline void expect_denied(const RiskDecision& d, DenyReason reason, std::string_view limit, std::string_view value) {
  EXPECT_EQ(d.verdict, Verdict::Denied) << d.message();
  EXPECT_EQ(d.reason, reason) << d.message();
  EXPECT_EQ(d.limit, dec(limit)) << d.message();
  EXPECT_EQ(d.value, dec(value)) << d.message();
}

inline void expect_approved(const RiskDecision& d) { EXPECT_EQ(d.verdict, Verdict::Approved) << d.message(); }

inline void expect_reduced(const RiskDecision& d, DenyReason reason, std::string_view quantity) {
  EXPECT_EQ(d.verdict, Verdict::ApprovedReduced) << d.message();
  EXPECT_EQ(d.reason, reason) << d.message();
  EXPECT_EQ(d.quantity.value(), dec(quantity)) << d.message();
}

}  // namespace ballast::risk::test
