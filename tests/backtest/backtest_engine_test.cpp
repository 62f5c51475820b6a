#include "ballast/backtest/backtest_engine.hpp"

#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/strategy/technical_strategies.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::backtest {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kHour = 3'600'000'000'000;

// Hourly bars whose open is the previous close; high and low are the open/close extremes.
std::vector<model::Bar> bars_from_closes(std::initializer_list<double> closes) {
  std::vector<model::Bar> out;
  double previous = *closes.begin();
  std::int64_t i = 0;
  for (double c : closes) {
    const auto p = [](double v) { return model::Price::from_double(v, 1).value(); };
    out.push_back({core::UnixNanos(i * kHour), core::UnixNanos((i + 1) * kHour), p(previous), p(std::max(previous, c)),
                   p(std::min(previous, c)), p(c), qty("1000")});
    previous = c;
    ++i;
  }
  return out;
}

BacktestConfig sma_config(const model::Instrument& instrument) {
  BacktestConfig c;
  c.label = "sma_cross fast=2 slow=3";
  c.starting_balance = dec("100000");
  c.risk.circuit_breakers.clear();
  c.sizer = [] {
    return std::make_unique<risk::FixedNotionalSizer>(
        risk::FixedNotionalSizer::create(risk::FixedNotionalConfig{usdt("10000")}).value());
  };
  c.strategies.push_back([id = instrument.id()]() -> core::Result<std::unique_ptr<strategy::Strategy>> {
    auto s = strategy::create_strategy("sma_cross", id, std::vector<std::string>{"fast=2", "slow=3"});
    if (!s) return s.error();
    return std::unique_ptr<strategy::Strategy>(std::move(*s));
  });
  c.periods_per_year = 24 * 365;
  return c;
}

const auto kCloses = {52000.0, 51000.0, 50000.0, 50000.0, 51000.0, 52000.0, 53000.0, 51000.0, 49000.0, 49500.0};

TEST(BacktestEngine, HandWorkedSmaCrossTrade) {
  const auto instrument = model::test::linear_perp();  // taker 4 bp, step 0.001
  const auto bars = bars_from_closes(kCloses);
  const InstrumentData data[] = {{&instrument, bars}};
  auto out = run_backtest(sma_config(instrument), data).value();
  // The cross up is seen at bar 4's close (see the strategy test): 10,000 / 51,000 = 0.196 on the step,
  // bought at bar 5's open 51,000; the cross down at bar 8's close sells at bar 9's open 49,000.
  ASSERT_EQ(out.fills.size(), 2u);
  EXPECT_EQ(out.fills[0].side, OrderSide::Buy);
  EXPECT_EQ(out.fills[0].last_qty, qty("0.196"));
  EXPECT_EQ(out.fills[0].last_px, px("51000"));
  EXPECT_EQ(out.fills[0].ts_event, core::UnixNanos(5 * kHour));
  EXPECT_EQ(out.fills[1].last_px, px("49000"));
  // Fees 9,996 × 0.0004 = 3.9984 and 9,604 × 0.0004 = 3.8416; P&L (49,000 − 51,000) × 0.196 = −392.
  EXPECT_EQ(out.fills[0].commission, usdt("3.9984"));
  EXPECT_EQ(out.fills[1].commission, usdt("3.8416"));
  ASSERT_EQ(out.run.equity.size(), bars.size());
  EXPECT_DOUBLE_EQ(out.run.equity.back().equity, 100000.0 - 392.0 - 3.9984 - 3.8416);
  ASSERT_EQ(out.run.trades.size(), 1u);
  EXPECT_NEAR(out.run.trades[0].pnl, -392.0, 1e-9);
  EXPECT_NEAR(out.run.trades[0].fees, 7.84, 1e-9);
  EXPECT_EQ(out.run.markers.size(), 2u);
  EXPECT_TRUE(out.run.markers[0].entry);
  EXPECT_FALSE(out.run.markers[1].entry);
  // Buy and hold: 100,000 × 49,500 / 52,000 at the end.
  EXPECT_NEAR(benchmark_curve(out.run).back().equity, 100000.0 * 49500.0 / 52000.0, 1e-6);
}

TEST(BacktestEngine, WarmUpBarsFeedTheStrategyButNothingTradesBeforeTradeFrom) {
  const auto instrument = model::test::linear_perp();
  const auto bars = bars_from_closes(kCloses);
  const InstrumentData data[] = {{&instrument, bars}};

  // Trading opens at bar 5's start: the cross up seen at bar 4's close (a warm-up bar) is denied, and the
  // strategy (long only) only trades on a new cross; the cross down at bar 8 has nothing to close.
  auto config = sma_config(instrument);
  config.record_events = true;
  config.trade_from = core::UnixNanos(5 * kHour);
  const auto late = run_backtest(config, data).value();
  EXPECT_TRUE(late.fills.empty());
  EXPECT_EQ(late.denied_orders, 0);  // the warm-up's denial is not counted
  std::vector<std::string> reasons;
  for (const auto& e : late.events) {
    if (const auto* d = std::get_if<model::OrderDenied>(&e)) reasons.push_back(d->reason_code);
  }
  EXPECT_EQ(reasons, std::vector<std::string>{"TRADING_HALTED"});
  // Outputs start at bar 5: 5 equity samples and closes, buy and hold from bar 5's open 51,000.
  ASSERT_EQ(late.run.equity.size(), 5u);
  EXPECT_EQ(late.run.equity.front().ts, core::UnixNanos(6 * kHour));
  EXPECT_EQ(late.run.prices.size(), 5u);
  EXPECT_DOUBLE_EQ(late.run.benchmark_base, 51000.0);
  EXPECT_NEAR(benchmark_curve(late.run).back().equity, 100000.0 * 49500.0 / 51000.0, 1e-6);

  // Trading open from bar 4's start: the same trade as the hand-worked run, outputs from bar 4.
  config.trade_from = core::UnixNanos(4 * kHour);
  const auto open = run_backtest(config, data).value();
  ASSERT_EQ(open.fills.size(), 2u);
  EXPECT_EQ(open.fills[0].last_px, px("51000"));
  EXPECT_EQ(open.fills[1].last_px, px("49000"));
  ASSERT_EQ(open.run.equity.size(), 6u);
  EXPECT_DOUBLE_EQ(open.run.equity.back().equity, 100000.0 - 392.0 - 3.9984 - 3.8416);
  EXPECT_DOUBLE_EQ(open.run.benchmark_base, 50000.0);

  config.trade_from = core::UnixNanos(10 * kHour);  // the last bar starts at 9 h
  const auto none = run_backtest(config, data);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().where(), "trade_from");
}

// One instrument's bars alone take a replay loop of their own (replay_bars): its checks, its cancellation and
// its time steps, each against what the merge of several series does.
TEST(BacktestEngine, OneSeriesOfBarsIsCheckedCanceledAndSampledOncePerTimeStep) {
  const auto instrument = model::test::linear_perp();
  auto bars = bars_from_closes(kCloses);

  // A span's bar that does not start after the bar before it is named by index and time.
  auto swapped = bars;
  std::swap(swapped[6], swapped[7]);
  const InstrumentData bad[] = {{&instrument, swapped}};
  const auto refused = run_backtest(sma_config(instrument), bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().where(), "bars");
  EXPECT_NE(refused.error().message().find("bar 7 at 1970-01-01T06:00:00Z is not after the bar before it"),
            std::string::npos)
      << refused.error().message();

  // The progress callback sees each bar as one event of the total and stops the run when it says so.
  auto config = sma_config(instrument);
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  config.progress = [&seen](std::size_t done, std::size_t total) {
    seen.emplace_back(done, total);
    return done < 3;
  };
  const InstrumentData data[] = {{&instrument, bars}};
  const auto canceled = run_backtest(config, data);
  ASSERT_FALSE(canceled);
  EXPECT_EQ(canceled.error().message(), "canceled after 3 of 10 events");
  EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::size_t>>{{1, 10}, {2, 10}, {3, 10}}));

  // Bars 3 and 4 end at the same time (bar 3 lasts two hours): one time step, one equity sample after bar 4,
  // and still a close for each bar.
  bars[3].ts_recv = bars[4].ts_recv;
  const InstrumentData joined[] = {{&instrument, bars}};
  const auto out = run_backtest(sma_config(instrument), joined).value();
  EXPECT_EQ(out.bars, 10u);
  EXPECT_EQ(out.run.prices.size(), 10u);
  ASSERT_EQ(out.run.equity.size(), 9u);
  EXPECT_EQ(out.run.equity[2].ts, core::UnixNanos(3 * kHour));
  EXPECT_EQ(out.run.equity[3].ts, core::UnixNanos(5 * kHour));
  EXPECT_EQ(out.run.equity[4].ts, core::UnixNanos(6 * kHour));
}

TEST(BacktestEngine, TheRiskEngineDeniesAnOversizeOrder) {
  const auto instrument = model::test::linear_perp();
  const auto bars = bars_from_closes(kCloses);
  const InstrumentData data[] = {{&instrument, bars}};
  auto config = sma_config(instrument);
  config.risk.instrument.max_order_notional = risk::DecimalLimit{true, dec("5000")};
  config.record_events = true;
  const auto out = run_backtest(config, data).value();
  EXPECT_TRUE(out.fills.empty());
  EXPECT_EQ(out.denied_orders, 1);
  bool saw = false;
  for (const auto& e : out.events) {
    if (const auto* d = std::get_if<model::OrderDenied>(&e)) {
      saw = true;
      EXPECT_EQ(d->reason_code, "NOTIONAL_EXCEEDS_MAX_PER_ORDER");
    }
  }
  EXPECT_TRUE(saw);
  EXPECT_DOUBLE_EQ(out.run.equity.back().equity, 100000.0);
}

TEST(BacktestEngine, APositionDrawdownBreakerClosesThePositionInsideTheBacktest) {
  const auto instrument = model::test::linear_perp();
  const auto bars = bars_from_closes(kCloses);
  const InstrumentData data[] = {{&instrument, bars}};
  auto config = sma_config(instrument);
  config.risk.circuit_breakers = risk::default_circuit_breakers();  // position drawdown 5 % → close
  config.record_events = true;
  const auto out = run_backtest(config, data).value();
  // Best unrealised P&L +392 at 53,000 (bar 6); at bar 8 (49,000) it is −392: a fall of 784 on 9,996 of
  // entry notional = 7.8 % > 5 %: the breaker closes the position with a RISK order before the strategy's
  // own exit, which then expires (reduce-only with nothing left to reduce).
  EXPECT_EQ(out.breaker_trips, 1);
  ASSERT_EQ(out.fills.size(), 2u);
  bool risk_close = false;
  for (const auto& e : out.events) {
    if (const auto* f = std::get_if<model::OrderFilled>(&e)) {
      if (f->fill.side == OrderSide::Sell) risk_close = f->strategy_id.value() == "RISK";
    }
  }
  EXPECT_TRUE(risk_close);
  EXPECT_DOUBLE_EQ(out.run.equity.back().equity, 100000.0 - 392.0 - 3.9984 - 3.8416);
}

TEST(BacktestEngine, SameInputsGiveTheSameEventStream) {
  const auto instrument = model::test::linear_perp();
  const auto bars = bars_from_closes(kCloses);
  const InstrumentData data[] = {{&instrument, bars}};
  auto config = sma_config(instrument);
  config.record_events = true;
  const auto a = run_backtest(config, data).value();
  const auto b = run_backtest(config, data).value();
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(model::event_name(a.events[i]), model::event_name(b.events[i]));
    EXPECT_EQ(model::event_base(a.events[i]).ts_event, model::event_base(b.events[i]).ts_event);
    EXPECT_EQ(model::event_base(a.events[i]).client_order_id, model::event_base(b.events[i]).client_order_id);
  }
}

TEST(RoundTrips, AFlipClosesOneTripAndOpensTheNextWithTheFeeSplit) {
  const auto instrument = model::test::linear_perp();
  const auto fill = [&](OrderSide side, std::string_view q, std::string_view p, std::string_view fee, std::int64_t t) {
    model::Fill f;
    f.instrument_id = instrument.id();
    f.side = side;
    f.last_qty = qty(q);
    f.last_px = px(p);
    f.commission = usdt(fee);
    f.ts_event = core::UnixNanos(t);
    return f;
  };
  const std::vector<model::Fill> fills = {fill(OrderSide::Buy, "1", "100", "1", 1), fill(OrderSide::Sell, "3", "110", "3", 2),
                                          fill(OrderSide::Buy, "2", "105", "2", 3)};
  const auto trips = round_trips(instrument, fills);
  ASSERT_EQ(trips.size(), 2u);
  // Long 1 @ 100 closed @ 110: +10; fees 1 + 3 × 1/3 = 2.
  EXPECT_NEAR(trips[0].pnl, 10.0, 1e-12);
  EXPECT_NEAR(trips[0].fees, 2.0, 1e-12);
  // Short 2 @ 110 closed @ 105: +10; fees 3 × 2/3 + 2 = 4.
  EXPECT_EQ(trips[1].direction, model::PositionSide::Short);
  EXPECT_NEAR(trips[1].pnl, 10.0, 1e-12);
  EXPECT_NEAR(trips[1].fees, 4.0, 1e-12);
}

}  // namespace
}  // namespace ballast::backtest
