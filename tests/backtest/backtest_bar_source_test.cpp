// run_backtest over bar sources (pulled a batch at a time, as `ballast backtest` streams a file) gives the
// same run as over the same bars held in a span: the reference is the span form, which the other backtest
// tests check against hand-worked values; here every fill, order event, equity and price sample of the two
// forms must be equal, bit for bit.

#include "ballast/backtest/backtest_engine.hpp"

#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/strategy/technical_strategies.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ballast::backtest {
namespace {

using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kMinute = 60'000'000'000;

// Hands out a vector's bars `batch` at a time (the last batch may be shorter), then an empty span.
class VectorBarSource final : public BarSource {
 public:
  VectorBarSource(std::span<const model::Bar> bars, std::size_t batch) : bars_(bars), batch_(batch) {}
  core::Result<std::span<const model::Bar>> next_batch() override {
    const std::size_t n = std::min(batch_, bars_.size() - next_);
    // Copied into a buffer that the next call overwrites, as a streaming reader's batch is.
    buffer_.assign(bars_.begin() + static_cast<std::ptrdiff_t>(next_), bars_.begin() + static_cast<std::ptrdiff_t>(next_ + n));
    next_ += n;
    ++calls_;
    return std::span<const model::Bar>(buffer_);
  }
  std::size_t calls() const { return calls_; }

 private:
  std::span<const model::Bar> bars_;
  std::size_t batch_;
  std::size_t next_{0};
  std::size_t calls_{0};
  std::vector<model::Bar> buffer_;
};

// A failing source: a streaming reader that hit a bad line.
class FailingBarSource final : public BarSource {
 public:
  core::Result<std::span<const model::Bar>> next_batch() override {
    return core::Error(core::ErrorCode::ParseError, "column 3 (high): not a number", "bars.csv:12");
  }
};

// One-minute bars of a seeded zig-zag random walk starting at `offset` minutes (closes vary enough for
// many SMA crosses).
std::vector<model::Bar> walk(std::size_t n, std::int64_t offset, std::uint64_t seed) {
  std::vector<model::Bar> out;
  std::int64_t price = 500'000;  // 50,000.0 in tenths
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto step = static_cast<std::int64_t>((state >> 33) % 2001) - 1000;  // ±100.0
    const std::int64_t open = price;
    price = std::max<std::int64_t>(price + step, 100'000);
    const auto p = [](std::int64_t tenths) { return model::Price::from_raw(tenths, 1); };
    const auto t = static_cast<std::int64_t>(i) + offset;
    out.push_back({core::UnixNanos(t * kMinute), core::UnixNanos((t + 1) * kMinute), p(open),
                   p(std::max(open, price) + 50), p(std::min(open, price) - 50), p(price), qty("1000")});
  }
  return out;
}

BacktestConfig sma_config(std::span<const model::Instrument* const> instruments) {
  BacktestConfig c;
  c.label = "sma_cross fast=3 slow=8";
  c.starting_balance = dec("100000");
  c.record_events = true;
  c.sizer = [] {
    return std::make_unique<risk::FixedNotionalSizer>(
        risk::FixedNotionalSizer::create(risk::FixedNotionalConfig{usdt("10000")}).value());
  };
  for (const auto* instrument : instruments) {
    c.strategies.push_back([id = instrument->id()]() -> core::Result<std::unique_ptr<strategy::Strategy>> {
      auto s = strategy::create_strategy("sma_cross", id, std::vector<std::string>{"fast=3", "slow=8"});
      if (!s) return s.error();
      return std::unique_ptr<strategy::Strategy>(std::move(*s));
    });
  }
  c.periods_per_year = 525'600;
  return c;
}

model::Instrument second_instrument() {
  auto spec = model::test::linear_perp_spec();
  spec.id = model::test::instrument_id("ETHUSDT-PERP.BINANCE");
  return model::Instrument::create(spec).value();
}

// Every output of the two runs, field by field.
void expect_same_run(const BacktestOutput& a, const BacktestOutput& b) {
  EXPECT_EQ(a.bars, b.bars);
  EXPECT_EQ(a.trades, b.trades);
  EXPECT_EQ(a.denied_orders, b.denied_orders);
  EXPECT_EQ(a.breaker_trips, b.breaker_trips);
  ASSERT_EQ(a.fills.size(), b.fills.size());
  for (std::size_t i = 0; i < a.fills.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.fills[i].trade_id, b.fills[i].trade_id);
    EXPECT_EQ(a.fills[i].client_order_id, b.fills[i].client_order_id);
    EXPECT_EQ(a.fills[i].instrument_id, b.fills[i].instrument_id);
    EXPECT_EQ(a.fills[i].side, b.fills[i].side);
    EXPECT_EQ(a.fills[i].last_qty, b.fills[i].last_qty);
    EXPECT_EQ(a.fills[i].last_px, b.fills[i].last_px);
    EXPECT_EQ(a.fills[i].commission, b.fills[i].commission);
    EXPECT_EQ(a.fills[i].ts_event, b.fills[i].ts_event);
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.events[i].index(), b.events[i].index());
    EXPECT_EQ(model::event_base(a.events[i]).client_order_id, model::event_base(b.events[i]).client_order_id);
    EXPECT_EQ(model::event_base(a.events[i]).instrument_id, model::event_base(b.events[i]).instrument_id);
    EXPECT_EQ(model::event_base(a.events[i]).ts_event, model::event_base(b.events[i]).ts_event);
  }
  ASSERT_EQ(a.run.equity.size(), b.run.equity.size());
  for (std::size_t i = 0; i < a.run.equity.size(); ++i) {
    EXPECT_EQ(a.run.equity[i].ts, b.run.equity[i].ts) << i;
    EXPECT_EQ(a.run.equity[i].equity, b.run.equity[i].equity) << i;
  }
  ASSERT_EQ(a.run.prices.size(), b.run.prices.size());
  for (std::size_t i = 0; i < a.run.prices.size(); ++i) {
    EXPECT_EQ(a.run.prices[i].ts, b.run.prices[i].ts) << i;
    EXPECT_EQ(a.run.prices[i].close, b.run.prices[i].close) << i;
  }
  EXPECT_EQ(a.run.benchmark_base, b.run.benchmark_base);
  ASSERT_EQ(a.run.markers.size(), b.run.markers.size());
  ASSERT_EQ(a.run.trades.size(), b.run.trades.size());
  for (std::size_t i = 0; i < a.run.trades.size(); ++i) {
    EXPECT_EQ(a.run.trades[i].exit_time, b.run.trades[i].exit_time) << i;
    EXPECT_EQ(a.run.trades[i].pnl, b.run.trades[i].pnl) << i;
  }
}

TEST(BacktestBarSource, OneInstrumentPulledInBatchesRunsExactlyAsTheSpan) {
  const auto instrument = model::test::linear_perp();
  const auto bars = walk(500, 0, 7);
  const model::Instrument* instruments[] = {&instrument};
  const auto config = sma_config(instruments);
  const InstrumentData spans[] = {{&instrument, bars}};
  const auto reference = run_backtest(config, spans).value();
  ASSERT_GE(reference.fills.size(), 10u);  // the comparison covers many trades

  for (std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    SCOPED_TRACE(batch);
    VectorBarSource source(bars, batch);
    InstrumentData pulled[] = {{&instrument, {}, {}, &source}};
    const auto out = run_backtest(config, pulled).value();
    expect_same_run(reference, out);
    // Every batch pulled, plus the empty one that ends the source: ⌈500 / batch⌉ + 1.
    EXPECT_EQ(source.calls(), (500 + batch - 1) / batch + 1);
  }
}

TEST(BacktestBarSource, TwoInstrumentsAndTradesMergeAsWithSpans) {
  const auto first = model::test::linear_perp();
  const auto second = second_instrument();
  const auto bars_a = walk(300, 0, 11);
  const auto bars_b = walk(280, 15, 23);  // starts 15 minutes later: the two series interleave and overlap
  // Trades of the first instrument every 7 minutes and 30 seconds, mixed between its bars.
  std::vector<model::TradeTick> trades;
  for (std::int64_t i = 0; i < 40; ++i) {
    model::TradeTick t;
    t.instrument_id = first.id();
    t.price = bars_a[static_cast<std::size_t>(i * 7)].close;
    t.size = qty("3");
    t.trade_id = core::TradeId("T" + std::to_string(i));
    t.ts_event = core::UnixNanos(i * 7 * kMinute + kMinute / 2);
    t.ts_recv = t.ts_event;
    trades.push_back(t);
  }
  const model::Instrument* instruments[] = {&first, &second};
  const auto config = sma_config(instruments);
  const InstrumentData spans[] = {{&first, bars_a, trades}, {&second, bars_b}};
  const auto reference = run_backtest(config, spans).value();
  ASSERT_EQ(reference.trades, 40u);
  ASSERT_GE(reference.fills.size(), 10u);

  // Both from sources; and one source beside one span.
  VectorBarSource source_a(bars_a, 13);
  VectorBarSource source_b(bars_b, 5);
  const InstrumentData both[] = {{&first, {}, trades, &source_a}, {&second, {}, {}, &source_b}};
  expect_same_run(reference, run_backtest(config, both).value());
  VectorBarSource source_b2(bars_b, 64);
  const InstrumentData mixed[] = {{&first, bars_a, trades}, {&second, {}, {}, &source_b2}};
  expect_same_run(reference, run_backtest(config, mixed).value());
}

TEST(BacktestBarSource, ABarOutOfOrderInALaterBatchIsNamedByInstrumentIndexAndTime) {
  const auto instrument = model::test::linear_perp();
  auto bars = walk(50, 0, 3);
  bars[20].ts_event = bars[19].ts_event;  // bar 20 starts with bar 19 (minute 19)
  const model::Instrument* instruments[] = {&instrument};
  VectorBarSource source(bars, 8);  // bar 20 is the 5th of the third batch
  const InstrumentData pulled[] = {{&instrument, {}, {}, &source}};
  const auto r = run_backtest(sma_config(instruments), pulled);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "bars");
  EXPECT_EQ(r.error().message(), "BTCUSDT-PERP.BINANCE: bar 20 at 1970-01-01T00:19:00Z is not after the bar before it");
  // The span form says the same.
  const InstrumentData spans[] = {{&instrument, bars}};
  const auto s = run_backtest(sma_config(instruments), spans);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), r.error().message());

  // Across a batch boundary: bar 16 (first of the third batch of 8) before bar 15.
  auto across = walk(50, 0, 3);
  across[16].ts_event = across[15].ts_event - core::Duration(1);
  VectorBarSource source2(across, 8);
  const InstrumentData pulled2[] = {{&instrument, {}, {}, &source2}};
  const auto r2 = run_backtest(sma_config(instruments), pulled2);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message().find("bar 16 at"), std::string::npos) << r2.error().message();
}

TEST(BacktestBarSource, ASourceErrorStopsTheRunWithItsFileAndLine) {
  const auto instrument = model::test::linear_perp();
  const model::Instrument* instruments[] = {&instrument};
  FailingBarSource failing;
  const InstrumentData pulled[] = {{&instrument, {}, {}, &failing}};
  const auto r = run_backtest(sma_config(instruments), pulled);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "bars.csv:12");

  const auto bars = walk(10, 0, 1);
  VectorBarSource source(bars, 4);
  const InstrumentData doubled[] = {{&instrument, bars, {}, &source}};
  const auto d = run_backtest(sma_config(instruments), doubled);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message().find("both as a span and as a source"), std::string::npos) << d.error().message();

  VectorBarSource empty({}, 4);
  const InstrumentData nothing[] = {{&instrument, {}, {}, &empty}};
  EXPECT_FALSE(run_backtest(sma_config(instruments), nothing));
}

TEST(BacktestBarSource, TheBenchmarkIsDerivedFromTheClosesAndTheFirstOpen) {
  const auto instrument = model::test::linear_perp();
  const auto bars = walk(40, 0, 5);
  const model::Instrument* instruments[] = {&instrument};
  const InstrumentData spans[] = {{&instrument, bars}};
  const auto out = run_backtest(sma_config(instruments), spans).value();
  EXPECT_TRUE(out.run.benchmark.empty());  // not stored per event
  EXPECT_EQ(out.run.benchmark_base, 50000.0);  // the first open: 500,000 tenths
  const auto curve = benchmark_curve(out.run);
  ASSERT_EQ(curve.size(), 40u);
  for (std::size_t i = 0; i < curve.size(); ++i) {
    EXPECT_EQ(curve[i].ts, bars[i].ts_recv);
    // Buy and hold: 100,000 × close / 50,000 = 2 × close.
    EXPECT_NEAR(curve[i].equity, 2.0 * bars[i].close.as_double(), 1e-9);
  }
}

}  // namespace
}  // namespace ballast::backtest
