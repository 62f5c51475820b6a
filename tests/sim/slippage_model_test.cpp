#include "ballast/sim/latency_model.hpp"
#include "ballast/sim/slippage_model.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace ballast::sim {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;

SlippageContext context(const model::Instrument& instrument, OrderSide side, std::string_view price) {
  SlippageContext c;
  c.instrument = &instrument;
  c.side = side;
  c.price = px(price);
  c.quantity = qty("1");
  return c;
}

TEST(FixedBpsSlippage, MovesABuyUpAndRoundsUpToTheTick) {
  const auto instrument = model::test::linear_perp();  // tick 0.1
  const auto model = FixedBpsSlippage::create(dec("2")).value();
  // 50,000 × (1 + 0.0002) = 50,010.0 exactly.
  EXPECT_EQ(model.apply(context(instrument, OrderSide::Buy, "50000")).value(), px("50010.0"));
  // 50,000.1 × 1.0002 = 50,000.1 + 10.00002 = 50,010.10002 → up to the tick: 50,010.2.
  EXPECT_EQ(model.apply(context(instrument, OrderSide::Buy, "50000.1")).value(), px("50010.2"));
}

TEST(FixedBpsSlippage, MovesASellDownAndRoundsDownToTheTick) {
  const auto instrument = model::test::linear_perp();
  const auto model = FixedBpsSlippage::create(dec("2")).value();
  // 50,000.1 × 0.9998 = 50,000.1 − 10.00002 = 49,990.09998 → down to the tick: 49,990.0.
  EXPECT_EQ(model.apply(context(instrument, OrderSide::Sell, "50000.1")).value(), px("49990.0"));
}

TEST(FixedBpsSlippage, NeverCrossesTheLimitPrice) {
  const auto instrument = model::test::linear_perp();
  const auto model = FixedBpsSlippage::create(dec("10")).value();
  auto c = context(instrument, OrderSide::Buy, "50000");
  c.limit_price = px("50020");  // 10 bps would be 50,050
  EXPECT_EQ(model.apply(c).value(), px("50020"));
}

TEST(FixedBpsSlippage, RefusesNegativeBps) { EXPECT_FALSE(FixedBpsSlippage::create(dec("-1"))); }

TEST(SpreadSlippage, BuysAtTheAskWhenAQuoteIsKnown) {
  const auto instrument = model::test::linear_perp();
  const auto model = SpreadSlippage::create(dec("1")).value();
  auto c = context(instrument, OrderSide::Buy, "50000");
  c.best_bid = px("49999.5");
  c.best_ask = px("50000.5");
  EXPECT_EQ(model.apply(c).value(), px("50000.5"));
  c.side = OrderSide::Sell;
  EXPECT_EQ(model.apply(c).value(), px("49999.5"));
}

TEST(SpreadSlippage, AssumesTheHalfSpreadWithoutAQuote) {
  const auto instrument = model::test::linear_perp();
  const auto model = SpreadSlippage::create(dec("1")).value();
  // 50,000 × 1.0001 = 50,005.
  EXPECT_EQ(model.apply(context(instrument, OrderSide::Buy, "50000")).value(), px("50005.0"));
}

TEST(SquareRootImpactSlippage, FollowsTheSquareRootLaw) {
  const auto instrument = model::test::linear_perp();
  const auto model = SquareRootImpactSlippage::create(1.0).value();
  // Y = 1, σ = 2 % a day, Q/V = 1 %: I = 0.02 × 0.1 = 0.002 = 20 bps → 50,000 × 1.002 = 50,100.
  EXPECT_NEAR(model.relative_impact(100.0, 0.02, 10'000.0), 0.002, 1e-15);
  auto c = context(instrument, OrderSide::Buy, "50000");
  c.quantity = qty("100");
  c.daily_volatility = 0.02;
  c.daily_volume = 10'000.0;
  EXPECT_EQ(model.apply(c).value(), px("50100.0"));
  // Four times the size doubles the impact: 40 bps → sell at 50,000 × 0.996 = 49,800.
  c.side = OrderSide::Sell;
  c.quantity = qty("400");
  EXPECT_EQ(model.apply(c).value(), px("49800.0"));
}

TEST(SquareRootImpactSlippage, NeedsAPositiveDailyVolume) {
  const auto instrument = model::test::linear_perp();
  const auto model = SquareRootImpactSlippage::create(0.7).value();
  auto c = context(instrument, OrderSide::Buy, "50000");
  c.daily_volatility = 0.02;
  const auto r = model.apply(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "daily_volume");
}

TEST(LatencyModels, FixedLatencyIsConstant) {
  auto m = FixedLatency::create(std::chrono::milliseconds(5)).value();
  EXPECT_EQ(m.next(), std::chrono::milliseconds(5));
  EXPECT_FALSE(FixedLatency::create(std::chrono::milliseconds(-1)));
}

TEST(LatencyModels, UniformLatencyStaysInRangeAndRepeatsForTheSameSeed) {
  auto a = UniformLatency::create(std::chrono::nanoseconds(10), std::chrono::nanoseconds(13), 42).value();
  auto b = UniformLatency::create(std::chrono::nanoseconds(10), std::chrono::nanoseconds(13), 42).value();
  std::set<std::int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto d = a.next();
    EXPECT_EQ(d, b.next());
    EXPECT_GE(d.count(), 10);
    EXPECT_LE(d.count(), 13);
    seen.insert(d.count());
  }
  EXPECT_EQ(seen.size(), 4u);  // every value of {10, 11, 12, 13} occurs in 1,000 draws
  EXPECT_FALSE(UniformLatency::create(std::chrono::nanoseconds(5), std::chrono::nanoseconds(4), 1));
}

}  // namespace
}  // namespace ballast::sim
