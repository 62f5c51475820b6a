#include "ballast/execution/execution_quality.hpp"
#include "ballast/execution/smart_order_router.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <span>

namespace ballast::execution {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

model::Fill fill(const model::Instrument& instrument, OrderSide side, std::string_view q, std::string_view p,
                 std::string_view fee) {
  model::Fill f;
  f.instrument_id = instrument.id();
  f.side = side;
  f.last_qty = qty(q);
  f.last_px = px(p);
  f.commission = usdt(fee);
  return f;
}

// A parent of 1 on `instrument` with arrival price 50,000 and these fills.
ExecutionQualityInputs parent_of_one(const model::Instrument& instrument, OrderSide side,
                                     std::span<const model::Fill> fills) {
  ExecutionQualityInputs in;
  in.instrument = &instrument;
  in.side = side;
  in.parent_quantity = qty("1");
  in.arrival_price = px("50000");
  in.fills = fills;
  return in;
}

TEST(ExecutionQuality, MeasuresArrivalSlippageFeesAndVwapDeviationByHand) {
  const auto instrument = model::test::linear_perp();
  const std::vector<model::Fill> fills = {fill(instrument, OrderSide::Buy, "0.4", "50010", "8.0016"),
                                          fill(instrument, OrderSide::Buy, "0.6", "50020", "12.0048")};
  ExecutionQualityInputs in = parent_of_one(instrument, OrderSide::Buy, fills);
  in.child_orders = 2;
  in.market_vwap = 50012.0;
  in.daily_volatility = 0.02;
  in.daily_volume = 10'000.0;
  const auto q = measure_execution(in).value();
  // Average (0.4 × 50,010 + 0.6 × 50,020) / 1 = 50,016; slippage 16 / 50,000 = 3.2 bps.
  EXPECT_NEAR(*q.average_price, 50016.0, 1e-9);
  EXPECT_NEAR(*q.arrival_slippage_bps, 3.2, 1e-9);
  // Fees 20.0064 on 50,000 of arrival notional = 4.00128 bps; total 7.20128 bps.
  EXPECT_NEAR(*q.fees_bps, 4.00128, 1e-9);
  EXPECT_NEAR(*q.total_cost_bps, 7.20128, 1e-9);
  // 4 / 50,012 × 10⁴ = 0.799808… bps worse than the market VWAP.
  EXPECT_NEAR(*q.vwap_deviation_bps, 4.0 / 50012.0 * 1e4, 1e-9);
  // Square-root law: 1 × 0.02 × √(1 / 10,000) = 2 bps.
  EXPECT_NEAR(*q.impact_estimate_bps, 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(q.fill_rate, 1.0);
}

TEST(ExecutionQuality, ASellBelowArrivalIsACost) {
  const auto instrument = model::test::linear_perp();
  const std::vector<model::Fill> fills = {fill(instrument, OrderSide::Sell, "0.5", "49990", "0")};
  ExecutionQualityInputs in = parent_of_one(instrument, OrderSide::Sell, fills);
  const auto q = measure_execution(in).value();
  EXPECT_NEAR(*q.arrival_slippage_bps, 2.0, 1e-9);  // −1 × (49,990 − 50,000) / 50,000 × 10⁴
  EXPECT_DOUBLE_EQ(q.fill_rate, 0.5);
}

TEST(ExecutionQuality, ChargesTheUnfilledPartAtTheResidualPrice) {
  // Buy 1 at arrival 50,000; 0.6 filled at 50,010 with 6.003 fees; the market ends at 50,100.
  const auto instrument = model::test::linear_perp();
  const std::vector<model::Fill> fills = {fill(instrument, OrderSide::Buy, "0.6", "50010", "6.003")};
  ExecutionQualityInputs in = parent_of_one(instrument, OrderSide::Buy, fills);
  in.residual_price = px("50100");
  const auto q = measure_execution(in).value();
  // Over the filled 0.6: slippage 10 / 50,000 = 2 bps, fees 6.003 / 30,000 = 2.001 bps, total 4.001 bps.
  EXPECT_NEAR(*q.total_cost_bps, 4.001, 1e-9);
  // The unfilled 0.4 at 50,100: 0.4 × 100 / (1 × 50,000) = 8 bps of the parent.
  EXPECT_NEAR(*q.opportunity_cost_bps, 8.0, 1e-9);
  // Perold: (0.6 × 10 + 6.003 + 0.4 × 100) / 50,000 = 52.003 / 50,000 = 10.4006 bps = 0.6 × 4.001 + 8.
  EXPECT_NEAR(*q.shortfall_bps, 10.4006, 1e-9);

  // A seller left with stock after the price rose gained on the unfilled part: a negative opportunity cost.
  const std::vector<model::Fill> none;
  in.side = OrderSide::Sell;
  in.fills = none;
  const auto s = measure_execution(in).value();
  EXPECT_FALSE(s.total_cost_bps);
  EXPECT_NEAR(*s.opportunity_cost_bps, -20.0, 1e-9);  // −1 × 100 / 50,000 × 1 × 10⁴
  EXPECT_NEAR(*s.shortfall_bps, -20.0, 1e-9);

  // All filled: no opportunity cost — a plain 0, not −0 (a sell's sign times nothing).
  const std::vector<model::Fill> all = {fill(instrument, OrderSide::Sell, "1", "49990", "0")};
  in.fills = all;
  const auto done = measure_execution(in).value();
  EXPECT_EQ(*done.opportunity_cost_bps, 0.0);
  EXPECT_FALSE(std::signbit(*done.opportunity_cost_bps));
  EXPECT_NEAR(*done.shortfall_bps, 2.0, 1e-9);  // −1 × (49,990 − 50,000) / 50,000 × 10⁴

  in.residual_price = model::Price();
  EXPECT_FALSE(measure_execution(in));
}

TEST(ExecutionQuality, RefusesFillsOfTheOtherSide) {
  const auto instrument = model::test::linear_perp();
  const std::vector<model::Fill> fills = {fill(instrument, OrderSide::Sell, "0.5", "49990", "0")};
  ExecutionQualityInputs in = parent_of_one(instrument, OrderSide::Buy, fills);  // the default side
  const auto r = measure_execution(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "fills[0]");
}

TEST(MarketVwap, WeighsTypicalPricesByVolumeInsideTheHorizon) {
  const std::vector<model::Bar> bars = {
      {core::UnixNanos(0), core::UnixNanos(10), px("10"), px("12"), px("9"), px("12"), qty("1")},   // typical 11
      {core::UnixNanos(10), core::UnixNanos(20), px("12"), px("15"), px("12"), px("15"), qty("3")},  // typical 14
      {core::UnixNanos(20), core::UnixNanos(30), px("15"), px("99"), px("15"), px("99"), qty("5")},  // outside
  };
  // (11 × 1 + 14 × 3) / 4 = 13.25.
  EXPECT_NEAR(*market_vwap(bars, core::UnixNanos(0), core::UnixNanos(20)), 13.25, 1e-12);
  EXPECT_FALSE(market_vwap(bars, core::UnixNanos(100), core::UnixNanos(200)));
}

struct TwoVenues {
  TwoVenues() {
    auto a = model::test::linear_perp_spec();  // BINANCE, taker 4 bp
    auto b = model::test::linear_perp_spec();
    b.id = model::test::instrument_id("BTCUSDT-PERP.OKX");
    b.taker_fee_rate = dec("0.0001");
    venue_a.emplace(model::Instrument::create(a).value());
    venue_b.emplace(model::Instrument::create(b).value());
    book_a.emplace(venue_a->id(), venue_a->tick_size());
    book_b.emplace(venue_b->id(), venue_b->tick_size());
    model::BookSnapshot sa;
    sa.bids = {{px("49999.0"), qty("5")}};
    sa.asks = {{px("50000.0"), qty("1")}, {px("50001.0"), qty("2")}};
    sa.update_id = 1;
    EXPECT_TRUE(book_a->apply_snapshot(sa));
    model::BookSnapshot sb;
    sb.bids = {{px("49998.0"), qty("5")}};
    sb.asks = {{px("50010.0"), qty("1")}};
    sb.update_id = 1;
    EXPECT_TRUE(book_b->apply_snapshot(sb));
  }
  std::vector<VenueLiquidity> venues(std::optional<core::Decimal> cap_b = std::nullopt) const {
    return {VenueLiquidity{&*venue_a, &*book_a, std::nullopt}, VenueLiquidity{&*venue_b, &*book_b, cap_b}};
  }
  std::optional<model::Instrument> venue_a, venue_b;
  std::optional<model::OrderBook> book_a, book_b;
};

TEST(SmartOrderRouter, TakesTheBestPricesAfterFeesAcrossVenues) {
  TwoVenues t;
  // Effective asks: OKX 50,010 × 1.0001 = 50,015.001; BINANCE 50,000 × 1.0004 = 50,020, 50,001 × 1.0004 = 50,021.0004.
  const auto venues = t.venues();
  const auto plan = route_order(OrderSide::Buy, dec("2.5"), std::nullopt, venues).value();
  ASSERT_EQ(plan.allocations.size(), 2u);
  EXPECT_EQ(plan.allocations[0].instrument_id.to_string(), "BTCUSDT-PERP.BINANCE");
  EXPECT_EQ(plan.allocations[0].quantity, dec("1.5"));
  EXPECT_EQ(plan.allocations[0].worst_price, px("50001.0"));
  EXPECT_NEAR(plan.allocations[0].average_price, (50000.0 + 0.5 * 50001.0) / 1.5, 1e-9);
  EXPECT_EQ(plan.allocations[1].quantity, dec("1"));
  EXPECT_TRUE(plan.unfilled.is_zero());
  // Fees: 75,000.5 × 0.0004 + 50,010 × 0.0001 = 30.0002 + 5.001.
  EXPECT_NEAR(plan.expected_fees, 35.0012, 1e-9);
}

TEST(SmartOrderRouter, RespectsVenueCapsAndTheLimitPrice) {
  TwoVenues t;
  const auto capped = t.venues(dec("0.5"));
  const auto plan = route_order(OrderSide::Buy, dec("2.5"), std::nullopt, capped).value();
  EXPECT_EQ(plan.allocations[0].quantity, dec("2"));
  EXPECT_EQ(plan.allocations[1].quantity, dec("0.5"));
  const auto venues = t.venues();
  const auto limited = route_order(OrderSide::Buy, dec("2.5"), px("50000.5"), venues).value();
  ASSERT_EQ(limited.allocations.size(), 1u);
  EXPECT_EQ(limited.allocations[0].quantity, dec("1"));
  EXPECT_EQ(limited.unfilled, dec("1.5"));
}

TEST(AlgorithmSelection, PicksByBookShareThenDailyVolumeAndExplains) {
  using analytics::VolatilityLevel;
  EXPECT_EQ(select_algorithm(1, 10, 10'000, VolatilityLevel::Normal)->kind, AlgorithmKind::Immediate);  // 10 % of book
  EXPECT_EQ(select_algorithm(40, 10, 10'000, VolatilityLevel::Normal)->kind, AlgorithmKind::Iceberg);   // 0.4 % ADV
  const auto fast = select_algorithm(40, 10, 10'000, VolatilityLevel::Extreme).value();
  EXPECT_EQ(fast.kind, AlgorithmKind::Twap);
  EXPECT_NE(fast.reason.find("EXTREME"), std::string::npos);
  EXPECT_EQ(select_algorithm(400, 10, 10'000, VolatilityLevel::Normal)->kind, AlgorithmKind::Twap);  // 4 % ADV
  const auto big = select_algorithm(1'000, 10, 10'000, VolatilityLevel::Normal).value();             // 10 % ADV
  EXPECT_EQ(big.kind, AlgorithmKind::Vwap);
  EXPECT_NEAR(big.adv_share, 0.1, 1e-15);
  EXPECT_FALSE(select_algorithm(1, 10, 0, VolatilityLevel::Normal));
}

TEST(AlgorithmSelection, MeasuresLiquidityWithinTheDepthBand) {
  TwoVenues t;
  // Book A: mid (49,999 + 50,000) / 2 = 49,999.5; 10 bps above it is 50,049.5: both ask levels count.
  EXPECT_DOUBLE_EQ(liquidity_within(*t.book_a, OrderSide::Buy, 10.0), 3.0);
  // 0.1 bp: 50,000.0 is 0.1 bp above the mid (0.5 / 49,999.5 = 0.100001 bp) — just outside.
  EXPECT_DOUBLE_EQ(liquidity_within(*t.book_a, OrderSide::Buy, 0.1), 0.0);
}

}  // namespace
}  // namespace ballast::execution
