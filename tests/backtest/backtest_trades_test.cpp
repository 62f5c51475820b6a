// run_backtest replays trade ticks through the same kernel and simulated venue as bars: a strategy that
// sends an order on one trade is filled on a later trade, at that trade's price, never the one it saw.

#include "ballast/backtest/backtest_engine.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::backtest {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kSecond = 1'000'000'000;

std::vector<model::TradeTick> trades_at(const core::InstrumentId& id, std::initializer_list<double> prices) {
  std::vector<model::TradeTick> out;
  std::int64_t i = 1;
  for (double p : prices) {
    model::TradeTick t;
    t.instrument_id = id;
    t.price = model::Price::from_double(p, 1).value();
    t.size = qty("5");
    t.trade_id = core::TradeId("T" + std::to_string(i));
    t.ts_event = core::UnixNanos(i * kSecond);
    t.ts_recv = t.ts_event;
    out.push_back(t);
    ++i;
  }
  return out;
}

// Buys 0.5 at market on the 1st trade it sees and sells 0.5 at market on the 3rd.
class TickTrader final : public strategy::Strategy {
 public:
  TickTrader() : parameters_("tick_trader", {}) {}
  std::string_view name() const noexcept override { return "tick_trader"; }
  const strategy::StrategyParameters& parameters() const noexcept override { return parameters_; }
  void on_trade(strategy::StrategyContext& context, const model::TradeTick& trade) override {
    ++seen_;
    if (seen_ != 1 && seen_ != 3) return;
    strategy::OrderIntent intent;
    intent.instrument_id = trade.instrument_id;
    intent.side = seen_ == 1 ? OrderSide::Buy : OrderSide::Sell;
    intent.quantity = qty("0.5");
    ASSERT_TRUE(context.submit(intent));
  }

 private:
  strategy::StrategyParameters parameters_;
  int seen_{0};
};

BacktestConfig tick_config() {
  BacktestConfig c;
  c.starting_balance = dec("100000");
  c.risk.circuit_breakers.clear();
  c.strategies.push_back([]() -> core::Result<std::unique_ptr<strategy::Strategy>> {
    return std::unique_ptr<strategy::Strategy>(std::make_unique<TickTrader>());
  });
  return c;
}

TEST(BacktestTrades, AnOrderSentOnATradeFillsAtTheNextTradesPrice) {
  const auto instrument = model::test::linear_perp();  // taker 4 bp
  const auto trades = trades_at(instrument.id(), {50000.0, 50010.0, 50020.0, 50100.0, 50050.0});
  InstrumentData data[] = {{&instrument, {}, trades}};
  const auto out = run_backtest(tick_config(), data).value();

  EXPECT_EQ(out.trades, 5u);
  EXPECT_EQ(out.bars, 0u);
  // Bought on trade 1 → filled at trade 2 (50,010); sold on trade 3 → filled at trade 4 (50,100).
  ASSERT_EQ(out.fills.size(), 2u);
  EXPECT_EQ(out.fills[0].side, OrderSide::Buy);
  EXPECT_EQ(out.fills[0].last_px, px("50010"));
  EXPECT_EQ(out.fills[0].ts_event, core::UnixNanos(2 * kSecond));
  EXPECT_EQ(out.fills[1].side, OrderSide::Sell);
  EXPECT_EQ(out.fills[1].last_px, px("50100"));
  EXPECT_EQ(out.fills[1].ts_event, core::UnixNanos(4 * kSecond));
  // Fees: 25,005 × 0.0004 = 10.002 and 25,050 × 0.0004 = 10.02. P&L (50,100 − 50,010) × 0.5 = 45.
  EXPECT_EQ(out.fills[0].commission, usdt("10.002"));
  EXPECT_EQ(out.fills[1].commission, usdt("10.02"));
  ASSERT_EQ(out.run.equity.size(), 5u);  // one sample per trade time
  EXPECT_DOUBLE_EQ(out.run.equity.back().equity, 100000.0 + 45.0 - 10.002 - 10.02);
  // Buy and hold from the first trade's price: 100,000 × 50,050 / 50,000.
  EXPECT_NEAR(benchmark_curve(out.run).back().equity, 100000.0 * 50050.0 / 50000.0, 1e-6);
  ASSERT_EQ(out.run.trades.size(), 1u);
  EXPECT_NEAR(out.run.trades[0].pnl, 45.0, 1e-9);
}

TEST(BacktestTrades, BarsAndTradesMergeByTimeWithBarsFirstAtEqualTimes) {
  const auto instrument = model::test::linear_perp();
  // One bar [0 s, 2 s) and trades at 1 s … 5 s: trade 1 goes before the bar (the bar is complete only at
  // 2 s), the bar before trade 2 (equal times: the bar first), then trades 3–5.
  const std::vector<model::Bar> bars = {
      {core::UnixNanos(0), core::UnixNanos(2 * kSecond), px("49990"), px("50000"), px("49980"), px("49995"), qty("10")}};
  const auto trades = trades_at(instrument.id(), {50000.0, 50010.0, 50020.0, 50100.0, 50050.0});
  InstrumentData data[] = {{&instrument, bars, trades}};
  const auto out = run_backtest(tick_config(), data).value();
  EXPECT_EQ(out.bars, 1u);
  EXPECT_EQ(out.trades, 5u);
  ASSERT_EQ(out.fills.size(), 2u);
  EXPECT_EQ(out.fills[0].last_px, px("50010"));
  // One equity sample per time step: 1 s, 2 s (the bar's end and trade 2 share it), 3, 4, 5 s.
  ASSERT_EQ(out.run.equity.size(), 5u);
  EXPECT_EQ(out.run.equity[1].ts, core::UnixNanos(2 * kSecond));
}

TEST(BacktestTrades, RejectsTradesOutOfOrderOrOfAnotherInstrument) {
  const auto instrument = model::test::linear_perp();
  auto trades = trades_at(instrument.id(), {50000.0, 50010.0});
  std::swap(trades[0].ts_event, trades[1].ts_event);
  InstrumentData unordered[] = {{&instrument, {}, trades}};
  const auto a = run_backtest(tick_config(), unordered);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().where(), "trades");
  EXPECT_NE(a.error().message().find("trade 1"), std::string::npos) << a.error().message();

  auto other = trades_at(core::InstrumentId::parse("ETHUSDT-PERP.BINANCE").value(), {3000.0});
  InstrumentData wrong[] = {{&instrument, {}, other}};
  const auto b = run_backtest(tick_config(), wrong);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("ETHUSDT-PERP.BINANCE"), std::string::npos) << b.error().message();

  InstrumentData empty[] = {{&instrument, {}, {}}};
  EXPECT_FALSE(run_backtest(tick_config(), empty));
}

}  // namespace
}  // namespace ballast::backtest
