// Position accounting against hand-computed numbers; the arithmetic is written out beside each check.
// Linear:  P&L = (exit − entry) × qty × multiplier × sign
// Inverse: P&L = qty × multiplier × (1/entry − 1/exit) × sign (in the base currency)

#include "ballast/model/position.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace ballast::model {
namespace {

using test::at;
using test::btc;
using test::dec;
using test::make_fill;
using test::px;
using test::usdt;

constexpr OrderSide kBuy = OrderSide::Buy;
constexpr OrderSide kSell = OrderSide::Sell;

PositionUpdate apply_ok(Position& position, const Fill& fill) {
  auto update = position.apply(fill);
  EXPECT_TRUE(update) << update.error().to_string();
  return update.value_or(PositionUpdate{});
}

TEST(Position, StartsFlat) {
  const Position position(test::linear_perp(), core::AccountId("ACC-1"));
  EXPECT_EQ(position.id().value(), "BTCUSDT-PERP.BINANCE-ACC-1");
  EXPECT_EQ(position.side(), PositionSide::Flat);
  EXPECT_TRUE(position.is_flat());
  EXPECT_FALSE(position.avg_px_open().has_value());
  EXPECT_EQ(position.realized_pnl(), usdt("0"));
  EXPECT_EQ(position.unrealized_pnl(px("100")), usdt("0"));
  EXPECT_EQ(position.fill_count(), 0);
}

TEST(Position, LinearIncreaseAveragesThenReductionsRealizeAtTheAverageNetOfFees) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));

  PositionUpdate u = apply_ok(position, make_fill(btcusdt, kBuy, "1", "100", usdt("0.04"), 1));
  EXPECT_EQ(u.action, PositionAction::Opened);
  EXPECT_EQ(position.avg_px_open(), dec("100"));

  u = apply_ok(position, make_fill(btcusdt, kBuy, "1", "110", usdt("0.044"), 2));
  EXPECT_EQ(u.action, PositionAction::Increased);
  EXPECT_EQ(position.quantity(), dec("2"));
  EXPECT_EQ(position.avg_px_open(), dec("105"));  // (100 × 1 + 110 × 1) / 2
  EXPECT_EQ(position.open_cost(), dec("210"));
  // Unrealized at 120: (120 − 105) × 2 = 30; realized so far: −(0.04 + 0.044) = −0.084
  EXPECT_EQ(position.unrealized_pnl(px("120")), usdt("30"));
  EXPECT_EQ(position.total_pnl(px("120")), usdt("29.916"));

  u = apply_ok(position, make_fill(btcusdt, kSell, "1.5", "120", usdt("0.072"), 3));
  EXPECT_EQ(u.action, PositionAction::Reduced);
  EXPECT_EQ(u.realized_pnl, usdt("22.5"));  // (120 − 105) × 1.5
  EXPECT_EQ(u.quantity_before, dec("2"));
  EXPECT_EQ(u.quantity_after, dec("0.5"));
  EXPECT_EQ(position.avg_px_open(), dec("105"));  // unchanged by a reduction

  u = apply_ok(position, make_fill(btcusdt, kSell, "0.5", "90", usdt("0.018"), 4));
  EXPECT_EQ(u.action, PositionAction::Closed);
  EXPECT_EQ(u.realized_pnl, usdt("-7.5"));  // (90 − 105) × 0.5
  EXPECT_TRUE(position.is_flat());
  EXPECT_EQ(position.gross_realized_pnl(), usdt("15"));  // 22.5 − 7.5
  EXPECT_EQ(position.fees_paid(), usdt("0.174"));        // 0.04 + 0.044 + 0.072 + 0.018
  EXPECT_EQ(position.realized_pnl(), usdt("14.826"));    // 15 − 0.174
  EXPECT_EQ(position.fill_count(), 4);
  EXPECT_EQ(position.peak_quantity(), dec("2"));
  EXPECT_EQ(position.ts_opened(), at(1));
  EXPECT_EQ(position.ts_closed(), at(4));
  EXPECT_TRUE(position.open_cost().is_zero());
}

TEST(Position, LinearFlipClosesTheOldSideAndOpensTheRestAtTheFillPrice) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  apply_ok(position, make_fill(btcusdt, kBuy, "2", "100", usdt("0"), 1));

  PositionUpdate u = apply_ok(position, make_fill(btcusdt, kSell, "5", "110", usdt("0"), 2));
  EXPECT_EQ(u.action, PositionAction::Flipped);
  EXPECT_EQ(u.realized_pnl, usdt("20"));  // (110 − 100) × 2 on the closed long
  EXPECT_EQ(position.quantity(), dec("-3"));
  EXPECT_EQ(position.side(), PositionSide::Short);
  EXPECT_EQ(position.avg_px_open(), dec("110"));
  EXPECT_EQ(position.ts_opened(), at(2));
  EXPECT_FALSE(position.ts_closed().has_value());
  // Short 3 @ 110: at 100 → (100 − 110) × 3 × (−1) = 30; at 115 → −15
  EXPECT_EQ(position.unrealized_pnl(px("100")), usdt("30"));
  EXPECT_EQ(position.unrealized_pnl(px("115")), usdt("-15"));

  u = apply_ok(position, make_fill(btcusdt, kBuy, "1", "105", usdt("0"), 3));
  EXPECT_EQ(u.action, PositionAction::Reduced);
  EXPECT_EQ(u.realized_pnl, usdt("5"));  // (105 − 110) × 1 × (−1)

  u = apply_ok(position, make_fill(btcusdt, kBuy, "4", "100", usdt("0"), 4));
  EXPECT_EQ(u.action, PositionAction::Flipped);
  EXPECT_EQ(u.realized_pnl, usdt("20"));  // (100 − 110) × 2 × (−1)
  EXPECT_EQ(position.quantity(), dec("2"));
  EXPECT_EQ(position.avg_px_open(), dec("100"));
  EXPECT_EQ(position.gross_realized_pnl(), usdt("45"));  // 20 + 5 + 20
  EXPECT_EQ(position.peak_quantity(), dec("3"));
}

TEST(Position, ShortIncreaseAveragesAndClosesWithAProfitWhenPriceFalls) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  apply_ok(position, make_fill(btcusdt, kSell, "1", "100", usdt("0"), 1));
  apply_ok(position, make_fill(btcusdt, kSell, "1", "103", usdt("0"), 2));
  EXPECT_EQ(position.avg_px_open(), dec("101.5"));  // (100 + 103) / 2
  const PositionUpdate u = apply_ok(position, make_fill(btcusdt, kBuy, "2", "99", usdt("0"), 3));
  EXPECT_EQ(u.action, PositionAction::Closed);
  EXPECT_EQ(u.realized_pnl, usdt("5"));  // (99 − 101.5) × 2 × (−1)
}

TEST(Position, NonTerminatingAverageRoundsOnceAndTheTotalStaysExact) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  apply_ok(position, make_fill(btcusdt, kBuy, "1", "100", usdt("0"), 1));
  apply_ok(position, make_fill(btcusdt, kBuy, "2", "101", usdt("0"), 2));
  // 302 / 3 = 100.666…, shown at tick precision (1) + 4 places
  EXPECT_EQ(position.avg_px_open(), dec("100.66667"));
  // Releasing 1 of 3: 302 / 3 = 100.66666667 (8 places, USDT); 102 − 100.66666667 = 1.33333333
  PositionUpdate u = apply_ok(position, make_fill(btcusdt, kSell, "1", "102", usdt("0"), 3));
  EXPECT_EQ(u.realized_pnl, usdt("1.33333333"));
  // The rest of the basis, 302 − 100.66666667 = 201.33333333, goes with the last 2: 204 − 201.33333333
  u = apply_ok(position, make_fill(btcusdt, kSell, "2", "102", usdt("0"), 4));
  EXPECT_EQ(u.realized_pnl, usdt("2.66666667"));
  // Total = 3 × 102 − 302 = 4 exactly.
  EXPECT_EQ(position.gross_realized_pnl(), usdt("4"));
}

TEST(Position, LinearMultiplierScalesCostAndPnl) {
  InstrumentSpec spec = test::linear_perp_spec();
  spec.multiplier = dec("0.01");
  const Instrument mini = Instrument::create(spec).value();
  Position position(mini, core::AccountId("ACC-1"));
  apply_ok(position, make_fill(mini, kBuy, "3", "40000", usdt("0"), 1));
  EXPECT_EQ(position.avg_px_open(), dec("40000"));
  EXPECT_EQ(position.notional_value(px("41000")), usdt("1230"));  // 41000 × 3 × 0.01
  const PositionUpdate u = apply_ok(position, make_fill(mini, kSell, "3", "41000", usdt("0"), 2));
  EXPECT_EQ(u.realized_pnl, usdt("30"));  // (41000 − 40000) × 3 × 0.01
}

TEST(Position, InverseAverageIsHarmonicAndPnlSettlesInBase) {
  const Instrument btcusd = test::inverse_perp();  // 100 USD contracts, settles in BTC
  Position position(btcusd, core::AccountId("ACC-1"));
  EXPECT_EQ(position.settlement_currency(), Currency::BTC());

  apply_ok(position, make_fill(btcusd, kBuy, "10", "50000", btc("0.00001"), 1));
  EXPECT_EQ(position.open_cost(), dec("0.02"));  // 10 × 100 / 50000
  apply_ok(position, make_fill(btcusd, kBuy, "10", "40000", btc("0.00001"), 2));
  EXPECT_EQ(position.open_cost(), dec("0.045"));  // 0.02 + 10 × 100 / 40000
  // 20 × 100 / 0.045 = 44444.444…, at tick precision (1) + 4 places
  EXPECT_EQ(position.avg_px_open(), dec("44444.44444"));

  // Sell 10 @ 60000: 10 × 100 × (1/44444.44… − 1/60000) = 0.0225 − 0.0166666666667 = 0.0058333… → 0.00583333
  PositionUpdate u = apply_ok(position, make_fill(btcusd, kSell, "10", "60000", btc("0.00001"), 3));
  EXPECT_EQ(u.action, PositionAction::Reduced);
  EXPECT_EQ(u.realized_pnl, btc("0.00583333"));
  EXPECT_EQ(position.open_cost(), dec("0.0225"));
  // Long 10 at mark 50000: 0.0225 − 10 × 100 / 50000 = 0.0025
  EXPECT_EQ(position.unrealized_pnl(px("50000")), btc("0.0025"));
  EXPECT_EQ(position.notional_value(px("50000")), btc("0.02"));

  // Sell 30 @ 50000: close 10 (+0.0025), open short 20 at 50000 (basis 20 × 100 / 50000 = 0.04)
  u = apply_ok(position, make_fill(btcusd, kSell, "30", "50000", btc("0.00001"), 4));
  EXPECT_EQ(u.action, PositionAction::Flipped);
  EXPECT_EQ(u.realized_pnl, btc("0.0025"));
  EXPECT_EQ(position.quantity(), dec("-20"));
  EXPECT_EQ(position.avg_px_open(), dec("50000"));
  // Short 20 at mark 40000: 20 × 100 × (1/50000 − 1/40000) × (−1) = 0.01
  EXPECT_EQ(position.unrealized_pnl(px("40000")), btc("0.01"));

  u = apply_ok(position, make_fill(btcusd, kBuy, "20", "40000", btc("0.00001"), 5));
  EXPECT_EQ(u.action, PositionAction::Closed);
  EXPECT_EQ(u.realized_pnl, btc("0.01"));
  EXPECT_EQ(position.gross_realized_pnl(), btc("0.01833333"));  // 0.00583333 + 0.0025 + 0.01
  EXPECT_EQ(position.fees_paid(), btc("0.00005"));              // 5 × 0.00001
  EXPECT_EQ(position.realized_pnl(), btc("0.01828333"));
}

TEST(Position, FeesInAnotherCurrencyAreKeptApartFromPnl) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  const Currency bnb("BNB", 8);
  apply_ok(position, make_fill(btcusdt, kBuy, "1", "100", Money(dec("0.0001"), bnb), 1));
  apply_ok(position, make_fill(btcusdt, kSell, "1", "101", Money(dec("0.0002"), bnb), 2));
  EXPECT_EQ(position.realized_pnl(), usdt("1"));
  EXPECT_EQ(position.fees_paid(), usdt("0"));
  ASSERT_EQ(position.other_fees().size(), 1U);
  EXPECT_EQ(position.other_fees()[0], Money(dec("0.0003"), bnb));
}

TEST(Position, RefusesFillsOfAnotherAccountOrInstrument) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  Fill other_account = make_fill(btcusdt, kBuy, "1", "100", usdt("0"), 1);
  other_account.account_id = core::AccountId("ACC-2");
  const auto refused = position.apply(other_account);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(refused.error().where(), "position BTCUSDT-PERP.BINANCE-ACC-1");
  EXPECT_FALSE(position.apply(make_fill(test::inverse_perp(), kBuy, "1", "100", btc("0"), 2)));
  EXPECT_FALSE(position.apply(make_fill(btcusdt, kBuy, "0", "100", usdt("0"), 3)));
  EXPECT_EQ(position.fill_count(), 0);
}

TEST(Position, MakesOpenedChangedAndClosedEvents) {
  const Instrument btcusdt = test::linear_perp();
  Position position(btcusdt, core::AccountId("ACC-1"));
  PositionUpdate u = apply_ok(position, make_fill(btcusdt, kBuy, "2", "100", usdt("0.08"), 1));
  const PositionEvent opened = position.make_event(u, at(100));
  ASSERT_TRUE(std::holds_alternative<PositionOpened>(opened));
  const PositionEventBase& base = event_base(opened);
  EXPECT_EQ(base.position_id.value(), "BTCUSDT-PERP.BINANCE-ACC-1");
  EXPECT_EQ(base.trade_id, core::TradeId("T-1"));
  EXPECT_EQ(base.side, PositionSide::Long);
  EXPECT_EQ(base.quantity, dec("2"));
  EXPECT_EQ(base.avg_px_open, dec("100"));
  EXPECT_EQ(base.realized_pnl, usdt("-0.08"));
  EXPECT_EQ(base.ts_event, at(1));
  EXPECT_EQ(base.ts_init, at(100));

  u = apply_ok(position, make_fill(btcusdt, kSell, "3", "101", usdt("0"), 2));
  EXPECT_EQ(event_name(position.make_event(u, at(101))), "PositionChanged");
  u = apply_ok(position, make_fill(btcusdt, kBuy, "1", "99", usdt("0"), 3));
  const PositionEvent closed = position.make_event(u, at(102));
  ASSERT_TRUE(std::holds_alternative<PositionClosed>(closed));
  EXPECT_EQ(event_base(closed).side, PositionSide::Flat);
  EXPECT_EQ(event_base(closed).fill_count, 3);
  // (101 − 100) × 2 + (99 − 101) × 1 × (−1) − 0.08 = 2 + 2 − 0.08
  EXPECT_EQ(event_base(closed).realized_pnl, usdt("3.92"));
}

}  // namespace
}  // namespace ballast::model
