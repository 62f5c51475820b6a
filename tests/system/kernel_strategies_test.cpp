// Strategies at run time in the kernel: an explicit id on every order, a per-strategy position sizer, a
// per-strategy position from its own fills, and stop / start (no market data while stopped, working
// orders canceled, position kept). Expected numbers are worked out by hand in the comments.

#include "ballast/system/kernel.hpp"

#include "ballast/risk/fixed_notional_sizer.hpp"
#include "ballast/sim/sim_execution_client.hpp"
#include "model/test_support.hpp"
#include "system/kernel_support.hpp"

#include <gtest/gtest.h>

namespace ballast::system {
namespace {

using model::OrderSide;
using model::test::dec;
using model::test::px;
using model::test::qty;

constexpr std::int64_t kMinute = 60'000'000'000;

model::Bar bar(int minute, std::string_view price) {
  return {core::UnixNanos(minute * kMinute), core::UnixNanos((minute + 1) * kMinute), px(price), px(price), px(price),
          px(price), qty("100")};
}

// On its first bar: a market buy sized by the context's sizer at the close, and (with `rest`) a limit buy
// at 40,000 that rests. Counts what it is told.
class ScriptedStrategy final : public strategy::Strategy {
 public:
  explicit ScriptedStrategy(bool rest) : rest_(rest), parameters_("scripted", {}) {}
  std::string_view name() const noexcept override { return "scripted"; }
  const strategy::StrategyParameters& parameters() const noexcept override { return parameters_; }
  void on_start(strategy::StrategyContext&) override { ++starts; }
  void on_stop(strategy::StrategyContext&) override { ++stops; }
  void on_bar(strategy::StrategyContext& ctx, const core::InstrumentId& id, const model::Bar& b) override {
    if (++bars > 1) return;
    strategy::SizingRequest r;
    r.instrument_id = id;
    r.side = OrderSide::Buy;
    r.entry_price = b.close;
    auto size = ctx.size_position(r);
    if (!size) {
      sizing_error = size.error().message();
      return;
    }
    strategy::OrderIntent buy;
    buy.instrument_id = id;
    buy.side = OrderSide::Buy;
    buy.quantity = *size;
    orders.push_back(ctx.submit(buy).value());
    if (rest_) {
      strategy::OrderIntent limit = buy;
      limit.type = model::OrderType::Limit;
      limit.price = px("40000");
      orders.push_back(ctx.submit(limit).value());
    }
  }

  int starts{0}, stops{0}, bars{0};
  std::vector<core::ClientOrderId> orders;
  std::string sizing_error;

 private:
  bool rest_;
  strategy::StrategyParameters parameters_;
};

std::unique_ptr<risk::PositionSizer> notional(std::string_view amount) {
  return std::make_unique<risk::FixedNotionalSizer>(
      risk::FixedNotionalSizer::create({model::Money(dec(amount), model::Currency::USDT())}).value());
}

// A kernel without its own sizer over a zero-latency simulated venue, first bar at 50,000.
struct Desk {
  Desk() : clock(core::UnixNanos(0)) {
    const model::Instrument* list[] = {&instrument};
    kernel = Kernel::create(test::kernel_config(), list, clock, bus, nullptr).value();
    sim::SimulatedExchangeConfig ec;
    ec.venue = core::VenueId("BINANCE");
    ec.account_id = core::AccountId("ACC");
    exchange.emplace(sim::SimulatedExchange::create(
                         ec, list, std::make_unique<sim::NoSlippage>(),
                         std::make_unique<sim::FixedLatency>(sim::FixedLatency::create(core::Duration(0)).value()), *kernel)
                         .value());
    client.emplace(*exchange, clock);
    EXPECT_TRUE(kernel->add_execution_client(*client));
  }

  void next_bar(int minute, std::string_view price) {
    clock.set_time(core::UnixNanos(minute * kMinute));
    ASSERT_TRUE(exchange->on_bar(instrument.id(), bar(minute, price)));
    clock.set_time(core::UnixNanos((minute + 1) * kMinute));
    ASSERT_TRUE(kernel->on_bar(instrument.id(), bar(minute, price)));
  }

  model::Instrument instrument = model::test::linear_perp();
  core::TestClock clock;
  runtime::MessageBus bus;
  std::unique_ptr<Kernel> kernel;
  std::optional<sim::SimulatedExchange> exchange;
  std::optional<sim::SimExecutionClient> client;
};

TEST(KernelStrategies, OrdersCarryTheGivenIdAndAreSizedByTheStrategysOwnSizer) {
  Desk d;
  auto owned = std::make_unique<ScriptedStrategy>(false);
  ScriptedStrategy* s = owned.get();
  ASSERT_TRUE(d.kernel->add_strategy(std::move(owned), core::StrategyId("alpha"), notional("1000")));
  d.kernel->start();
  EXPECT_EQ(s->starts, 1);
  d.next_bar(0, "50000");
  ASSERT_EQ(s->orders.size(), 1u) << s->sizing_error;
  const model::Order* o = d.kernel->order(s->orders[0]);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->strategy_id(), core::StrategyId("alpha"));
  // 1,000 USDT / 50,000 = 0.02 BTC (a multiple of the 0.001 step).
  EXPECT_EQ(o->quantity(), qty("0.02"));
  EXPECT_EQ(d.kernel->strategy_orders(core::StrategyId("alpha")), 1u);

  d.next_bar(1, "50100");  // the market order fills at 50,100
  const model::Position* p = d.kernel->strategy_position(core::StrategyId("alpha"), d.instrument.id());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->quantity(), dec("0.02"));
  EXPECT_EQ(p->avg_px_open(), dec("50100"));
  // Marked at 50,200: (50,200 − 50,100) × 0.02 = 2 USDT.
  EXPECT_EQ(p->unrealized_pnl(px("50200")).amount(), dec("2"));
  // The account's book holds the same position (one strategy on the instrument).
  EXPECT_EQ(d.kernel->book().slot(0).quantity, dec("0.02"));
}

TEST(KernelStrategies, WithoutAnySizerTheStrategyIsToldSoAndAnIdMayBeUsedOnce) {
  Desk d;
  auto owned = std::make_unique<ScriptedStrategy>(false);
  ScriptedStrategy* s = owned.get();
  ASSERT_TRUE(d.kernel->add_strategy(std::move(owned), core::StrategyId("alpha"), nullptr));
  const auto twice = d.kernel->add_strategy(std::make_unique<ScriptedStrategy>(false), core::StrategyId("alpha"), nullptr);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), core::ErrorCode::AlreadyExists);
  const auto empty = d.kernel->add_strategy(std::make_unique<ScriptedStrategy>(false), core::StrategyId(), nullptr);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), core::ErrorCode::InvalidArgument);
  d.kernel->start();
  d.next_bar(0, "50000");
  EXPECT_TRUE(s->orders.empty());
  EXPECT_NE(s->sizing_error.find("no position sizer"), std::string::npos) << s->sizing_error;
  EXPECT_EQ(d.kernel->strategy_ids(), std::vector<core::StrategyId>{core::StrategyId("alpha")});
}

TEST(KernelStrategies, AStoppedStrategyGetsNoBarsKeepsItsPositionAndItsWorkingOrderIsCanceled) {
  Desk d;
  auto owned = std::make_unique<ScriptedStrategy>(true);
  ScriptedStrategy* s = owned.get();
  const core::StrategyId id("alpha");
  ASSERT_TRUE(d.kernel->add_strategy(std::move(owned), id, notional("1000")));
  d.kernel->start();
  d.next_bar(0, "50000");  // market buy + resting limit at 40,000
  d.next_bar(1, "50000");  // the market buy fills, the limit is accepted and rests
  ASSERT_EQ(s->orders.size(), 2u);
  EXPECT_EQ(d.kernel->order(s->orders[1])->status(), model::OrderStatus::Accepted);
  EXPECT_EQ(s->bars, 2);

  ASSERT_TRUE(d.kernel->stop_strategy(id));
  EXPECT_FALSE(d.kernel->strategy_running(id));
  EXPECT_EQ(s->stops, 1);
  const auto again = d.kernel->stop_strategy(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), core::ErrorCode::InvalidState);

  d.next_bar(2, "50000");  // the venue confirms the cancel; the strategy sees nothing
  EXPECT_EQ(d.kernel->order(s->orders[1])->status(), model::OrderStatus::Canceled);
  EXPECT_EQ(s->bars, 2);
  EXPECT_EQ(d.kernel->strategy_position(id, d.instrument.id())->quantity(), dec("0.02"));
  EXPECT_EQ(d.kernel->book().slot(0).quantity, dec("0.02"));

  ASSERT_TRUE(d.kernel->start_strategy(id));
  EXPECT_EQ(s->starts, 2);
  d.next_bar(3, "50000");
  EXPECT_EQ(s->bars, 3);
  EXPECT_EQ(d.kernel->start_strategy(id).error().code(), core::ErrorCode::InvalidState);
  EXPECT_EQ(d.kernel->start_strategy(core::StrategyId("nope")).error().code(), core::ErrorCode::NotFound);
  EXPECT_EQ(d.kernel->stop_strategy(core::StrategyId("nope")).error().code(), core::ErrorCode::NotFound);
}

TEST(KernelStrategies, AStrategyAddedStoppedIsNotStartedWithTheKernel) {
  Desk d;
  auto owned = std::make_unique<ScriptedStrategy>(false);
  ScriptedStrategy* s = owned.get();
  ASSERT_TRUE(d.kernel->add_strategy(std::move(owned), core::StrategyId("beta"), notional("1000"), false));
  d.kernel->start();
  d.next_bar(0, "50000");
  EXPECT_EQ(s->starts, 0);
  EXPECT_EQ(s->bars, 0);
  EXPECT_EQ(d.kernel->strategy_orders(core::StrategyId("beta")), 0u);
  d.kernel->stop();
  EXPECT_EQ(s->stops, 0);  // only running strategies are stopped with the kernel
}

// Sets a one-shot timer "once" at minute 2 and a repeating "every" from minute 1, every 2 minutes, when first
// started; records each firing as (name, due time, clock time).
class TimedStrategy final : public strategy::Strategy {
 public:
  TimedStrategy() : parameters_("timed", {}) {}
  std::string_view name() const noexcept override { return "timed"; }
  const strategy::StrategyParameters& parameters() const noexcept override { return parameters_; }
  void on_start(strategy::StrategyContext& ctx) override {
    if (started_++ > 0) return;
    EXPECT_TRUE(ctx.set_timer("once", core::UnixNanos(2 * kMinute), std::nullopt));
    EXPECT_TRUE(ctx.set_timer("every", core::UnixNanos(kMinute), core::Duration(2 * kMinute)));
  }
  void on_bar(strategy::StrategyContext&, const core::InstrumentId&, const model::Bar&) override {}
  void on_timer(strategy::StrategyContext& ctx, std::string_view timer, core::UnixNanos at) override {
    fired.push_back({std::string(timer), at.value / kMinute, ctx.now().value / kMinute});
  }
  struct Fired {
    std::string name;
    std::int64_t due;  // minutes
    std::int64_t now;  // minutes
    bool operator==(const Fired&) const = default;
  };
  std::vector<Fired> fired;

 private:
  int started_{0};
  strategy::StrategyParameters parameters_;
};

// Timers fire from the kernel's clock ticks (after each bar, and on_time() alone): a one-shot once, a repeating
// one at every interval; a stopped strategy's timers wait, and fire when it is started again. A second strategy
// without timers changes nothing.
TEST(KernelStrategies, TimersFireWhenDueOneShotOnceRepeatingEveryIntervalAndNotWhileStopped) {
  Desk d;
  auto owned = std::make_unique<TimedStrategy>();
  TimedStrategy* s = owned.get();
  const core::StrategyId id("timed");
  ASSERT_TRUE(d.kernel->add_strategy(std::move(owned), id, notional("1000")));
  ASSERT_TRUE(d.kernel->add_strategy(std::make_unique<ScriptedStrategy>(false), core::StrategyId("plain"),
                                     notional("1000")));
  d.kernel->start();
  using F = TimedStrategy::Fired;
  d.next_bar(0, "50000");  // the kernel's tick at 1 min: "every" (due 1)
  d.next_bar(1, "50000");  // 2 min: "once"
  d.next_bar(2, "50000");  // 3 min: "every" again
  EXPECT_EQ(s->fired, (std::vector<F>{{"every", 1, 1}, {"once", 2, 2}, {"every", 3, 3}}));
  ASSERT_TRUE(d.kernel->stop_strategy(id));
  d.next_bar(3, "50000");
  d.next_bar(4, "50000");  // 5 min: "every" is due, but the strategy is stopped
  EXPECT_EQ(s->fired.size(), 3u);
  ASSERT_TRUE(d.kernel->start_strategy(id));
  d.next_bar(5, "50000");  // 6 min: the waiting "every" (due 5) fires; the next is due at 7
  ASSERT_EQ(s->fired.size(), 4u);
  EXPECT_EQ(s->fired.back(), (F{"every", 5, 6}));
  // The clock moving without data ticks too; the one-shot never comes back.
  d.clock.set_time(core::UnixNanos(7 * kMinute));
  d.kernel->on_time();
  d.clock.set_time(core::UnixNanos(9 * kMinute));
  d.kernel->on_time();
  EXPECT_EQ(s->fired, (std::vector<F>{{"every", 1, 1}, {"once", 2, 2}, {"every", 3, 3}, {"every", 5, 6},
                                      {"every", 7, 7}, {"every", 9, 9}}));
}

}  // namespace
}  // namespace ballast::system
