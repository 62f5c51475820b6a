#include "ballast/strategy/technical_strategies.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::strategy {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;

// Records orders; the test fills them at once (position updated, on_fill called).
class FakeContext final : public StrategyContext {
 public:
  explicit FakeContext(const model::Instrument& instrument) : instrument_(&instrument) {}
  core::UnixNanos now() const override { return now_; }
  const model::Instrument* instrument(const core::InstrumentId&) const override { return instrument_; }
  core::Decimal position(const core::InstrumentId&) const override { return position_; }
  core::Decimal equity() const override { return dec("100000"); }
  core::Result<model::Quantity> size_position(const SizingRequest&) override { return qty("1"); }
  core::Result<core::ClientOrderId> submit(const OrderIntent& intent) override {
    core::ClientOrderId id("O" + std::to_string(orders.size() + 1));
    orders.push_back({id, intent, bar_index});
    return id;
  }
  core::Status cancel_all(const core::InstrumentId&) override { return core::ok(); }
  core::Status set_timer(std::string, core::UnixNanos, std::optional<core::Duration>) override { return core::ok(); }

  struct Sent {
    core::ClientOrderId id;
    OrderIntent intent;
    int bar;
  };
  std::vector<Sent> orders;
  core::Decimal position_{};
  core::UnixNanos now_{};
  int bar_index{0};

 private:
  const model::Instrument* instrument_;
};

model::Bar bar(double close, double high = 0, double low = 0) {
  const auto p = [](double v) { return model::Price::from_double(v, 1).value(); };
  if (high == 0) high = close;
  if (low == 0) low = close;
  return model::Bar{core::UnixNanos(0), core::UnixNanos(1), p(close), p(high), p(low), p(close), qty("1")};
}

// Feeds the bars; every order is filled in full right after the bar that produced it.
void run(SignalStrategy& strategy, FakeContext& ctx, const std::vector<model::Bar>& bars) {
  for (std::size_t i = 0; i < bars.size(); ++i) {
    ctx.bar_index = static_cast<int>(i);
    const std::size_t before = ctx.orders.size();
    strategy.on_bar(ctx, strategy.instrument_id(), bars[i]);
    for (std::size_t k = before; k < ctx.orders.size(); ++k) {
      const auto& o = ctx.orders[k];
      ctx.position_ += o.intent.side == OrderSide::Buy ? o.intent.quantity.value() : -o.intent.quantity.value();
      model::Fill f;
      f.client_order_id = o.id;
      f.side = o.intent.side;
      f.last_qty = o.intent.quantity;
      f.last_px = bars[i].close;
      strategy.on_fill(ctx, f);
    }
  }
}

std::vector<model::Bar> closes(std::initializer_list<double> values) {
  std::vector<model::Bar> out;
  for (double v : values) out.push_back(bar(v));
  return out;
}

TEST(CrossSign, ATieKeepsThePreviousSign) {
  EXPECT_EQ(cross_sign(2.0, 1.0, -1), 1);
  EXPECT_EQ(cross_sign(1.0, 2.0, 1), -1);
  EXPECT_EQ(cross_sign(1.5, 1.5, 1), 1);
  EXPECT_EQ(cross_sign(1.5, 1.5, -1), -1);
}

TEST(SmaCross, TradesOnlyOnRealCrossesAndIgnoresTheTie) {
  const auto instrument = model::test::linear_perp();
  FakeContext ctx(instrument);
  const std::vector<std::string> params = {"fast=2", "slow=3"};
  auto s = create_strategy("sma_cross", instrument.id(), params).value();
  // closes 12 11 10 10 11 12 13 11 9
  // SMA2 (from bar 1): 11.5 10.5 10 10.5 11.5 12.5 12 10
  // SMA3 (from bar 2):      11  10.33 10.33 11 12  12 11
  // bar 2: below (first sign, no trade); bar 4: 10.5 > 10.33 → cross up → buy; bar 7: 12 == 12 tie → keep;
  // bar 8: 10 < 11 → cross down → long-only: close the long.
  run(*s, ctx, closes({12, 11, 10, 10, 11, 12, 13, 11, 9}));
  ASSERT_EQ(ctx.orders.size(), 2u);
  EXPECT_EQ(ctx.orders[0].bar, 4);
  EXPECT_EQ(ctx.orders[0].intent.side, OrderSide::Buy);
  EXPECT_EQ(ctx.orders[0].intent.quantity, qty("1"));
  EXPECT_EQ(ctx.orders[1].bar, 8);
  EXPECT_EQ(ctx.orders[1].intent.side, OrderSide::Sell);
  EXPECT_TRUE(ctx.orders[1].intent.reduce_only);
  EXPECT_TRUE(ctx.position_.is_zero());
}

TEST(SmaCross, LongShortFlipsWithACloseThenAnEntry) {
  const auto instrument = model::test::linear_perp();
  FakeContext ctx(instrument);
  const std::vector<std::string> params = {"fast=2", "slow=3", "long_only=0"};
  auto s = create_strategy("sma_cross", instrument.id(), params).value();
  run(*s, ctx, closes({12, 11, 10, 10, 11, 12, 13, 11, 9}));
  ASSERT_EQ(ctx.orders.size(), 3u);
  EXPECT_TRUE(ctx.orders[1].intent.reduce_only);   // close the long
  EXPECT_FALSE(ctx.orders[2].intent.reduce_only);  // open the short
  EXPECT_EQ(ctx.orders[2].intent.side, OrderSide::Sell);
  EXPECT_EQ(ctx.position_, dec("-1"));
}

TEST(RsiReversion, BuysWhenOversoldAndExitsAtTheExitLevel) {
  const auto instrument = model::test::linear_perp();
  FakeContext ctx(instrument);
  const std::vector<std::string> params = {"period=2"};
  auto s = create_strategy("rsi_reversion", instrument.id(), params).value();
  // Wilder RSI(2): bars 10 9 8 → average gain 0, loss 1 → RSI 0 (< 30): buy at bar 2.
  // Bar 3 (9): gain (0·1 + 1)/2 = 0.5, loss (1·1 + 0)/2 = 0.5 → RSI 50 (>= exit 50): sell at bar 3.
  run(*s, ctx, closes({10, 9, 8, 9}));
  ASSERT_EQ(ctx.orders.size(), 2u);
  EXPECT_EQ(ctx.orders[0].bar, 2);
  EXPECT_EQ(ctx.orders[0].intent.side, OrderSide::Buy);
  EXPECT_EQ(ctx.orders[1].bar, 3);
  EXPECT_EQ(ctx.orders[1].intent.side, OrderSide::Sell);
}

TEST(DonchianBreakout, BreaksTheChannelOfThePreviousBars) {
  const auto instrument = model::test::linear_perp();
  FakeContext ctx(instrument);
  const std::vector<std::string> params = {"period=2"};
  auto s = create_strategy("donchian_breakout", instrument.id(), params).value();
  // Channel of bars 0–1: high 11; bar 2 closes at 11 (not above) → nothing; bar 3 closes 12.5 above the
  // channel of bars 1–2 (high 11.5) → buy.
  run(*s, ctx, {bar(10, 11, 9), bar(10.5, 10.8, 10), bar(11, 11.5, 10.6), bar(12.5, 12.6, 11)});
  ASSERT_EQ(ctx.orders.size(), 1u);
  EXPECT_EQ(ctx.orders[0].bar, 3);
}

TEST(StrategyParameters, UnknownNamesListWhatExists) {
  const auto instrument = model::test::linear_perp();
  const std::vector<std::string> params = {"fats=10"};
  const auto r = create_strategy("sma_cross", instrument.id(), params);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("known: fast, slow, long_only"), std::string::npos);
  EXPECT_EQ(r.error().where(), "fats");
}

TEST(StrategyParameters, RejectsOutOfRangeNonIntegerAndInconsistentValues) {
  const auto instrument = model::test::linear_perp();
  EXPECT_FALSE(create_strategy("sma_cross", instrument.id(), std::vector<std::string>{"fast=0"}));
  EXPECT_FALSE(create_strategy("sma_cross", instrument.id(), std::vector<std::string>{"fast=2.5"}));
  EXPECT_FALSE(create_strategy("sma_cross", instrument.id(), std::vector<std::string>{"fast=30", "slow=30"}));
  EXPECT_FALSE(create_strategy("rsi_reversion", instrument.id(), std::vector<std::string>{"exit=80"}));
  const auto unknown = create_strategy("turtle", instrument.id(), std::vector<std::string>{});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("sma_cross"), std::string::npos);
}

TEST(BuiltinStrategies, EveryOneIsCreatableWithDefaults) {
  const auto instrument = model::test::linear_perp();
  for (const auto& info : builtin_strategies()) {
    const auto s = create_strategy(info.name, instrument.id(), std::vector<std::string>{});
    ASSERT_TRUE(s) << info.name;
    EXPECT_EQ((*s)->name(), info.name);
  }
}

}  // namespace
}  // namespace ballast::strategy
