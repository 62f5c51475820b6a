#include "ballast/backtest/execution_simulation.hpp"

#include "ballast/execution/schedule_algorithms.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <vector>

namespace ballast::backtest {
namespace {

using model::test::dec;
using model::test::px;
using model::test::qty;

constexpr std::int64_t kMinute = 60'000'000'000;

model::Instrument fine_instrument() {
  auto spec = model::test::linear_perp_spec();
  spec.tick_size = px("0.0001");
  spec.min_notional.reset();
  return model::Instrument::create(spec).value();
}

// 100 minute bars alternating 100.0 / 100.2 (volatility), then 100 bars flat at 100 (the execution window).
std::vector<model::Bar> bars() {
  std::vector<model::Bar> out;
  for (std::int64_t i = 0; i < 200; ++i) {
    const auto p = model::Price::from_double(i < 100 && i % 2 == 1 ? 100.2 : 100.0, 4).value();
    out.push_back({core::UnixNanos(i * kMinute), core::UnixNanos((i + 1) * kMinute), p, p, p, p, qty("10")});
  }
  return out;
}

ExecutionSimulationConfig config(const model::Instrument& instrument) {
  ExecutionSimulationConfig c;
  c.parent.id = core::ClientOrderId("P");
  c.parent.instrument_id = instrument.id();
  c.parent.side = model::OrderSide::Buy;
  c.parent.quantity = qty("4");
  c.parent.start = core::UnixNanos(100 * kMinute);
  c.parent.end = core::UnixNanos(104 * kMinute);
  c.parent.pricing = execution::ChildPricing::Aggressive;
  c.parent.aggressive_slippage_bps = dec("50");
  c.max_volume_participation = dec("1");
  c.risk.circuit_breakers.clear();
  return c;
}

TEST(ExecutionSimulation, ImmediateExecutionPaysTheSquareRootImpactOfTheWholeOrder) {
  const auto instrument = fine_instrument();
  const auto data = bars();
  const auto immediate = simulate_execution(config(instrument), instrument, data, nullptr).value();
  EXPECT_EQ(immediate.algorithm, "IMMEDIATE");
  EXPECT_DOUBLE_EQ(immediate.quality.fill_rate, 1.0);
  // One fill at the first open moved by I = 0.7·σ·√(4 / V): the realised cost is the forecast, up to the
  // 0.0001 tick (0.01 bp at 100) the price is rounded up to.
  EXPECT_NEAR(*immediate.quality.arrival_slippage_bps, *immediate.quality.impact_estimate_bps, 0.011);
  // V = 10 a minute = 14,400 a day.
  EXPECT_NEAR(immediate.daily_volume, 14'400.0, 1e-9);
}

TEST(ExecutionSimulation, TwapInFourSlicesHalvesTheImpactOnAFlatMarket) {
  const auto instrument = fine_instrument();
  const auto data = bars();
  const auto c = config(instrument);
  const auto immediate = simulate_execution(c, instrument, data, nullptr).value();
  const AlgorithmFactory make_twap =
      [&](const execution::ParentOrder& p) -> core::Result<std::unique_ptr<execution::ExecutionAlgorithm>> {
    execution::TwapConfig t;
    t.slices = 4;
    auto a = execution::TwapAlgorithm::create(p, instrument, t);
    if (!a) return a.error();
    return std::unique_ptr<execution::ExecutionAlgorithm>(std::move(*a));
  };
  const auto twap = simulate_execution(c, instrument, data, make_twap).value();
  EXPECT_EQ(twap.algorithm, "TWAP");
  EXPECT_DOUBLE_EQ(twap.quality.fill_rate, 1.0);
  EXPECT_EQ(twap.quality.child_orders, 4);
  // Each child of 1 pays 0.7·σ·√(1/V): half of 0.7·σ·√(4/V). The price is flat, so that is the whole cost.
  EXPECT_NEAR(*twap.quality.arrival_slippage_bps, *immediate.quality.arrival_slippage_bps / 2.0, 0.011);
  EXPECT_LT(*twap.quality.total_cost_bps, *immediate.quality.total_cost_bps);
}

model::Bar bar_at(std::int64_t ts, std::string_view close, std::string_view volume) {
  const auto p = px(close);
  return {core::UnixNanos(ts), core::UnixNanos(ts + kMinute), p, p, p, p, qty(volume)};
}

TEST(DailyVolatilityAndVolume, CountsTheCompleteTradingDaysNotTwentyFourHours) {
  // Day 0: 23:00–23:59 (60 bars, cut by the start of the data); day 1: 09:00–16:59 (480 bars); day 2, a
  // half day: 09:00–12:59 (240); day 3: 09:00–09:09 (10, cut by the end). Volume 10 a bar on days 1 and 2,
  // 50 on the cut days (which must not count). Closes alternate 100.0 / 100.2 over all 790 bars.
  constexpr std::int64_t kDay = 1'440 * kMinute;
  std::vector<model::Bar> data;
  const auto add_day = [&](std::int64_t day, std::int64_t from_minute, int count, std::string_view volume) {
    for (int m = 0; m < count; ++m) {
      data.push_back(bar_at(day * kDay + (from_minute + m) * kMinute, data.size() % 2 == 1 ? "100.2" : "100.0", volume));
    }
  };
  add_day(0, 23 * 60, 60, "50");
  add_day(1, 9 * 60, 480, "10");
  add_day(2, 9 * 60, 240, "10");
  add_day(3, 9 * 60, 10, "50");
  const auto [sigma, adv] = daily_volatility_and_volume(data).value();
  // ADV: (4,800 + 2,400) / 2 = 3,600 (24-hour scaling of 10.5 a bar would say 15,190).
  EXPECT_NEAR(adv, 3'600.0, 1e-9);
  // σ per bar of the ±0.2 % swings (sample, by hand in Python) 0.0019992697533035603 × √360 bars a day.
  EXPECT_NEAR(sigma, 0.037933476465133176, 1e-12);
}

TEST(DailyVolatilityAndVolume, DailyBarsStartingOnAFridayAreOneADay) {
  // 1999-01-22 is a Friday: the first step is a weekend (3 days), the interval is one day.
  const std::int64_t friday = 916'963'200LL * 1'000'000'000LL;
  constexpr std::int64_t kDay = 1'440 * kMinute;
  const std::int64_t days[] = {0, 3, 4, 5, 6, 7};
  const char* closes[] = {"100", "101", "100", "101", "100", "101"};
  std::vector<model::Bar> data;
  for (int i = 0; i < 6; ++i) data.push_back(bar_at(friday + days[i] * kDay, closes[i], "1000"));
  const auto [sigma, adv] = daily_volatility_and_volume(data).value();
  EXPECT_NEAR(adv, 1'000.0, 1e-9);
  EXPECT_NEAR(sigma, 0.010900221193914702, 1e-12);  // the bars' own sample σ: one bar a day
}

}  // namespace
}  // namespace ballast::backtest
