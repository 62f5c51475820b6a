// What a SignalStrategy shows a live desk: bars seen, warm-up, the indicator values of the latest bar and
// the record of the latest signal (target, bar end time and close, indicators behind it, acted or not).
// Every expected number is computed by hand in the comments.

#include "ballast/strategy/technical_strategies.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ballast::strategy {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::qty;

// Orders are recorded; `fill_orders` fills each one right after its bar; `refuse` makes the gate deny.
class RecordingContext final : public StrategyContext {
 public:
  explicit RecordingContext(const model::Instrument& instrument) : instrument_(&instrument) {}
  core::UnixNanos now() const override { return {}; }
  const model::Instrument* instrument(const core::InstrumentId&) const override { return instrument_; }
  core::Decimal position(const core::InstrumentId&) const override { return position_; }
  core::Decimal equity() const override { return dec("100000"); }
  core::Result<model::Quantity> size_position(const SizingRequest&) override { return qty("1"); }
  core::Result<core::ClientOrderId> submit(const OrderIntent& intent) override {
    if (refuse) return core::Error(core::ErrorCode::InvalidState, "order denied by the risk engine: TEST", "risk");
    core::ClientOrderId id("O" + std::to_string(orders.size() + 1));
    orders.push_back({id, intent});
    return id;
  }
  core::Status cancel_all(const core::InstrumentId&) override { return core::ok(); }
  core::Status set_timer(std::string, core::UnixNanos, std::optional<core::Duration>) override { return core::ok(); }

  struct Sent {
    core::ClientOrderId id;
    OrderIntent intent;
  };
  std::vector<Sent> orders;
  core::Decimal position_{};
  bool fill_orders{true};
  bool refuse{false};

 private:
  const model::Instrument* instrument_;
};

// Bar i covers [i s, (i+1) s); its end is (i+1) s.
model::Bar bar(int i, double close, double high = 0, double low = 0) {
  const auto p = [](double v) { return model::Price::from_double(v, 1).value(); };
  if (high == 0) high = close;
  if (low == 0) low = close;
  return model::Bar{core::UnixNanos(std::int64_t{i} * 1'000'000'000), core::UnixNanos(std::int64_t{i + 1} * 1'000'000'000),
                    p(close), p(high), p(low), p(close), qty("1")};
}

void feed(SignalStrategy& s, RecordingContext& ctx, const model::Bar& b) {
  const std::size_t before = ctx.orders.size();
  s.on_bar(ctx, s.instrument_id(), b);
  if (!ctx.fill_orders) return;
  for (std::size_t k = before; k < ctx.orders.size(); ++k) {
    const auto& o = ctx.orders[k];
    ctx.position_ += o.intent.side == OrderSide::Buy ? o.intent.quantity.value() : -o.intent.quantity.value();
    model::Fill f;
    f.client_order_id = o.id;
    f.side = o.intent.side;
    f.last_qty = o.intent.quantity;
    f.last_px = b.close;
    s.on_fill(ctx, f);
  }
}

double indicator(std::span<const IndicatorValue> values, std::string_view name) {
  for (const auto& v : values) {
    if (v.name == name) return v.value;
  }
  ADD_FAILURE() << "no indicator " << name;
  return std::nan("");
}

std::unique_ptr<SignalStrategy> make(std::string_view name, const model::Instrument& instrument,
                                     std::vector<std::string> params) {
  auto s = create_strategy(name, instrument.id(), params);
  EXPECT_TRUE(s) << s.error().to_string();
  return std::move(*s);
}

// closes 12 11 10 10 11 12 13 11 9 with fast = 2, slow = 3 (the series of technical_strategies_test):
//   SMA2 from bar 1: 11.5 10.5 10 10.5 11.5 12.5 12 10
//   SMA3 from bar 2:      11  10.333 10.333 11 12 12 11
// bar 4 crosses up (10.5 > 10.333) → LONG; bar 8 crosses down (10 < 11) → SHORT, FLAT when long-only.
const double kCloses[] = {12, 11, 10, 10, 11, 12, 13, 11, 9};

TEST(SignalObservation, WarmUpEndsWhenEveryIndicatorOfTheBarIsDefined) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  auto s = make("sma_cross", instrument, {"fast=2", "slow=3"});
  EXPECT_EQ(s->bars_seen(), 0u);
  EXPECT_FALSE(s->warm());
  feed(*s, ctx, bar(0, 12));
  EXPECT_FALSE(s->warm());  // SMA2 and SMA3 undefined
  EXPECT_TRUE(std::isnan(indicator(s->indicators(), "fast")));
  feed(*s, ctx, bar(1, 11));
  EXPECT_FALSE(s->warm());  // SMA2 = 11.5, SMA3 undefined
  EXPECT_DOUBLE_EQ(indicator(s->indicators(), "fast"), 11.5);
  EXPECT_TRUE(std::isnan(indicator(s->indicators(), "slow")));
  feed(*s, ctx, bar(2, 10));
  EXPECT_TRUE(s->warm());  // SMA2 = 10.5, SMA3 = 11
  EXPECT_DOUBLE_EQ(indicator(s->indicators(), "fast"), 10.5);
  EXPECT_DOUBLE_EQ(indicator(s->indicators(), "slow"), 11.0);
  EXPECT_EQ(s->bars_seen(), 3u);
  // The first defined sign only sets the state: no signal yet.
  EXPECT_FALSE(s->last_signal().has_value());
}

TEST(SignalObservation, RecordsTheCrossWithItsBarItsMovingAveragesAndThatItWasActedOn) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  auto s = make("sma_cross", instrument, {"fast=2", "slow=3"});
  for (int i = 0; i <= 4; ++i) feed(*s, ctx, bar(i, kCloses[i]));
  ASSERT_TRUE(s->last_signal().has_value());
  const SignalRecord& up = *s->last_signal();
  EXPECT_EQ(up.target, Target::Long);
  EXPECT_EQ(to_string(up.target), "LONG");
  EXPECT_EQ(up.at, core::UnixNanos(5'000'000'000));  // bar 4 ends at 5 s
  EXPECT_EQ(up.close, model::Price::from_double(11, 1).value());
  EXPECT_TRUE(up.acted);
  ASSERT_EQ(up.indicators.size(), 2u);
  EXPECT_EQ(up.indicators[0].name, "fast");
  EXPECT_DOUBLE_EQ(up.indicators[0].value, 10.5);  // (10 + 11) / 2
  EXPECT_EQ(up.indicators[1].name, "slow");
  EXPECT_NEAR(up.indicators[1].value, 31.0 / 3.0, 1e-12);  // (10 + 10 + 11) / 3

  for (int i = 5; i <= 8; ++i) feed(*s, ctx, bar(i, kCloses[i]));
  const SignalRecord& down = *s->last_signal();
  EXPECT_EQ(down.target, Target::Flat);  // SHORT turned FLAT by long_only
  EXPECT_EQ(down.at, core::UnixNanos(9'000'000'000));
  EXPECT_DOUBLE_EQ(down.indicators[0].value, 10.0);  // (11 + 9) / 2
  EXPECT_DOUBLE_EQ(down.indicators[1].value, 11.0);  // (13 + 11 + 9) / 3
  EXPECT_TRUE(down.acted);  // the long was closed
  EXPECT_EQ(ctx.orders.size(), 2u);
}

TEST(SignalObservation, ASignalWhileAnOrderIsPendingIsRecordedButNotActedOn) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  ctx.fill_orders = false;  // the bar-4 entry stays unfilled
  auto s = make("sma_cross", instrument, {"fast=2", "slow=3", "long_only=0"});
  for (int i = 0; i <= 8; ++i) feed(*s, ctx, bar(i, kCloses[i]));
  ASSERT_TRUE(s->last_signal().has_value());
  EXPECT_EQ(s->last_signal()->target, Target::Short);
  EXPECT_FALSE(s->last_signal()->acted);
  EXPECT_EQ(ctx.orders.size(), 1u);
}

TEST(SignalObservation, ASignalTheGateRefusesOrThePositionAlreadyMatchesIsNotActedOn) {
  const auto instrument = model::test::linear_perp();
  RecordingContext refused(instrument);
  refused.refuse = true;
  auto a = make("sma_cross", instrument, {"fast=2", "slow=3"});
  for (int i = 0; i <= 4; ++i) feed(*a, refused, bar(i, kCloses[i]));
  ASSERT_TRUE(a->last_signal().has_value());
  EXPECT_EQ(a->last_signal()->target, Target::Long);
  EXPECT_FALSE(a->last_signal()->acted);

  RecordingContext held(instrument);
  held.position_ = dec("1");  // already long
  auto b = make("sma_cross", instrument, {"fast=2", "slow=3"});
  for (int i = 0; i <= 4; ++i) feed(*b, held, bar(i, kCloses[i]));
  ASSERT_TRUE(b->last_signal().has_value());
  EXPECT_EQ(b->last_signal()->target, Target::Long);
  EXPECT_FALSE(b->last_signal()->acted);
  EXPECT_TRUE(held.orders.empty());
}

TEST(SignalObservation, BollingerReportsItsBandsWithThePopulationDeviation) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  auto s = make("bollinger_breakout", instrument, {"period=2", "k=1"});
  feed(*s, ctx, bar(0, 10));
  EXPECT_FALSE(s->warm());
  feed(*s, ctx, bar(1, 12));
  // mean 11, population σ = sqrt(((10−11)² + (12−11)²) / 2) = 1 → bands 12 / 11 / 10.
  EXPECT_TRUE(s->warm());
  EXPECT_NEAR(indicator(s->indicators(), "upper"), 12.0, 1e-9);
  EXPECT_NEAR(indicator(s->indicators(), "middle"), 11.0, 1e-9);
  EXPECT_NEAR(indicator(s->indicators(), "lower"), 10.0, 1e-9);
}

TEST(SignalObservation, DonchianReportsTheChannelOfThePreviousBarsAndItsBreakout) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  auto s = make("donchian_breakout", instrument, {"period=2"});
  feed(*s, ctx, bar(0, 10, 11, 9));
  feed(*s, ctx, bar(1, 11, 12, 10));
  EXPECT_FALSE(s->warm());  // bar 1 is compared with a channel of one bar: undefined
  // Bar 2 closes at 12.5 against the channel of bars 0–1: highest high 12, lowest low 9 → breakout LONG.
  feed(*s, ctx, bar(2, 12.5, 13, 11));
  EXPECT_TRUE(s->warm());
  EXPECT_DOUBLE_EQ(indicator(s->indicators(), "upper"), 12.0);
  EXPECT_DOUBLE_EQ(indicator(s->indicators(), "lower"), 9.0);
  ASSERT_TRUE(s->last_signal().has_value());
  EXPECT_EQ(s->last_signal()->target, Target::Long);
  EXPECT_DOUBLE_EQ(s->last_signal()->indicators[0].value, 12.0);
}

TEST(SignalObservation, RsiReportsWildersValueSeededWithTheMeanOfTheFirstChanges) {
  const auto instrument = model::test::linear_perp();
  RecordingContext ctx(instrument);
  auto s = make("rsi_reversion", instrument, {"period=2"});
  // closes 10, 11, 10: changes +1, −1 → average gain 0.5, average loss 0.5 → RS 1 → RSI 50.
  feed(*s, ctx, bar(0, 10));
  feed(*s, ctx, bar(1, 11));
  EXPECT_FALSE(s->warm());
  feed(*s, ctx, bar(2, 10));
  EXPECT_TRUE(s->warm());
  EXPECT_NEAR(indicator(s->indicators(), "rsi"), 50.0, 1e-9);
  EXPECT_FALSE(s->last_signal().has_value());  // 30 <= 50 <= 70 and flat: nothing to do
}

TEST(SignalObservation, EveryBuiltInReportsTheIndicatorsItsHeaderNames) {
  const auto instrument = model::test::linear_perp();
  const std::map<std::string, std::vector<std::string>, std::less<>> expected{
      {"sma_cross", {"fast", "slow"}},           {"ema_cross", {"fast", "slow"}},
      {"macd_cross", {"macd", "signal"}},        {"rsi_reversion", {"rsi"}},
      {"bollinger_breakout", {"upper", "middle", "lower"}},
      {"bollinger_reversion", {"upper", "middle", "lower"}},
      {"donchian_breakout", {"upper", "lower"}},
  };
  ASSERT_EQ(builtin_strategies().size(), expected.size());
  for (const auto& info : builtin_strategies()) {
    RecordingContext ctx(instrument);
    auto s = make(info.name, instrument, {});
    feed(*s, ctx, bar(0, 100));
    std::vector<std::string> names;
    for (const auto& v : s->indicators()) names.emplace_back(v.name);
    const auto it = expected.find(info.name);
    ASSERT_NE(it, expected.end()) << info.name;
    EXPECT_EQ(names, it->second) << info.name;
    EXPECT_FALSE(s->warm()) << info.name << " cannot be warm after one bar with its default periods";
    EXPECT_EQ(s->bars_seen(), 1u);
  }
}

}  // namespace
}  // namespace ballast::strategy
