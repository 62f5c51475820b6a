#include "ballast/backtest/execution_simulation.hpp"

#include "ballast/execution/schedule_algorithms.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace ballast::backtest
