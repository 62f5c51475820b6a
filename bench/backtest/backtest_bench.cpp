// Backtest throughput (issue: SMA-crossover on one instrument, bars, risk checks on: >= 10 million bars per
// second on one core, end to end from memory) and a 1,000-combination grid on a year of 1-minute bars.
// Bars are a seeded random walk held in memory (loading CSV is measured by ballast_bench_data).

#include "ballast/backtest/backtest_engine.hpp"
#include "ballast/backtest/optimizer.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/strategy/technical_strategies.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

using ballast::core::Decimal;

ballast::model::Instrument instrument() {
  ballast::model::InstrumentSpec spec;
  spec.id = ballast::core::InstrumentId::parse("BTCUSDT.SIM").value();
  spec.kind = ballast::model::InstrumentKind::Perpetual;
  spec.base_currency = ballast::model::Currency::BTC();
  spec.quote_currency = ballast::model::Currency::USDT();
  spec.settlement_currency = ballast::model::Currency::USDT();
  spec.tick_size = ballast::model::Price::from_raw(1, 2);
  spec.step_size = ballast::model::Quantity::from_raw(1, 6);
  spec.min_quantity = ballast::model::Quantity::from_raw(1, 6);
  spec.taker_fee_rate = Decimal::from_raw(4, 4);
  spec.maker_fee_rate = Decimal::from_raw(2, 4);
  spec.margin_tiers = {{Decimal::from_int(0), Decimal::from_int(1'000'000'000), Decimal::from_int(100),
                        Decimal::from_raw(5, 3), Decimal::from_int(0)}};
  return ballast::model::Instrument::create(spec).value();
}

// A random walk of minute bars (xorshift; ±0.1 % steps), prices on the 0.01 tick.
std::vector<ballast::model::Bar> random_walk(std::size_t n) {
  std::vector<ballast::model::Bar> bars;
  bars.reserve(n);
  std::uint64_t s = 88172645463325252ULL;
  double price = 50000.0;
  const auto px = [](double v) { return ballast::model::Price::from_raw(std::llround(v * 100.0), 2); };
  for (std::size_t i = 0; i < n; ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    const double step = (static_cast<double>(s % 2001) - 1000.0) / 1e6;
    const double open = price;
    price *= 1.0 + step;
    const auto t = static_cast<std::int64_t>(i) * 60'000'000'000;
    bars.push_back({ballast::core::UnixNanos(t), ballast::core::UnixNanos(t + 60'000'000'000), px(open),
                    px(std::max(open, price) * 1.0002), px(std::min(open, price) * 0.9998), px(price),
                    ballast::model::Quantity::from_int(10)});
  }
  return bars;
}

ballast::backtest::BacktestConfig config(const ballast::model::Instrument& inst, int fast, int slow) {
  ballast::backtest::BacktestConfig c;
  c.starting_balance = Decimal::from_int(1'000'000);
  c.monitor.performance_interval = std::chrono::hours(1);
  // Risk checks on: order and position limits, exposure, leverage, margin, open orders, rates, daily loss.
  c.risk.instrument.max_order_notional = {true, Decimal::from_int(500'000)};
  c.risk.instrument.max_position_notional = {true, Decimal::from_int(500'000)};
  c.risk.instrument.price_collar_bps = {true, Decimal::from_int(500)};
  c.risk.max_gross_exposure = {true, Decimal::from_int(2'000'000)};
  c.risk.max_leverage = {true, Decimal::from_int(3)};
  c.risk.max_open_orders_total = {true, 50};
  c.risk.max_orders_per_second = {true, 10};
  c.risk.daily_loss_limit = {true, Decimal::from_int(100'000)};
  c.sizer = [] {
    return std::make_unique<ballast::risk::FixedNotionalSizer>(
        ballast::risk::FixedNotionalSizer::create(
            {ballast::model::Money(Decimal::from_int(100'000), ballast::model::Currency::USDT())})
            .value());
  };
  c.strategies.push_back([id = inst.id(), fast, slow]() -> ballast::core::Result<std::unique_ptr<ballast::strategy::Strategy>> {
    auto s = ballast::strategy::create_strategy(
        "sma_cross", id, std::vector<std::string>{"fast=" + std::to_string(fast), "slow=" + std::to_string(slow)});
    if (!s) return s.error();
    return std::unique_ptr<ballast::strategy::Strategy>(std::move(*s));
  });
  return c;
}

void BM_SmaCrossBacktest(benchmark::State& state) {
  const auto inst = instrument();
  const auto bars = random_walk(static_cast<std::size_t>(state.range(0)));
  const ballast::backtest::InstrumentData data[] = {{&inst, bars}};
  const auto c = config(inst, 20, 100);
  std::size_t fills = 0;
  for (auto _ : state) {
    auto out = ballast::backtest::run_backtest(c, data);
    if (!out) state.SkipWithError(out.error().message().c_str());
    fills = out->fills.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["fills"] = static_cast<double>(fills);
}
BENCHMARK(BM_SmaCrossBacktest)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// 1,000 combinations (fast 5..104 × slow 10 values) on 525,600 one-minute bars, all cores.
void BM_GridOf1000OnOneYearOfMinutes(benchmark::State& state) {
  const auto inst = instrument();
  const auto bars = random_walk(525'600);
  std::vector<ballast::backtest::ParameterRange> ranges = {{"fast", {}}, {"slow", {}}};
  for (int f = 5; f < 105; ++f) ranges[0].values.push_back(f);
  for (int s = 120; s <= 300; s += 20) ranges[1].values.push_back(s);
  const auto grid = ballast::backtest::grid_search_space(ranges).value();
  const ballast::backtest::InstrumentData data[] = {{&inst, bars}};
  ballast::backtest::OptimisationOptions options;
  options.objective = ballast::backtest::Objective::Sharpe;
  options.jobs = static_cast<int>(state.range(0));
  const ballast::backtest::Evaluator evaluate =
      [&](const ballast::backtest::ParameterSet& p) -> ballast::core::Result<ballast::backtest::EvaluationRun> {
    auto out = ballast::backtest::run_backtest(config(inst, static_cast<int>(p[0].second), static_cast<int>(p[1].second)), data);
    if (!out) return out.error();
    auto m = ballast::backtest::compute_metrics(out->run, {.benchmark = false, .monthly = false});  // as `ballast optimize`
    if (!m) return m.error();
    return ballast::backtest::EvaluationRun{std::move(*m), {}};
  };
  for (auto _ : state) {
    auto ranked = ballast::backtest::optimise(grid, evaluate, options);
    benchmark::DoNotOptimize(ranked);
  }
  state.counters["combinations"] = static_cast<double>(grid.size());
}
BENCHMARK(BM_GridOf1000OnOneYearOfMinutes)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
