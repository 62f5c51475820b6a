// RiskMonitor cost per price tick: 1,000 instruments each with an open position, 20 circuit breakers
// (account drawdown, daily loss, loss streak, reject rate, trading hours; position drawdown, volatility
// spike and rapid move on every instrument; twelve more on single instruments), four limit watches and
// alerts, the clock advancing 1 ms per tick, marks moving by a tick or two so nothing trips. Target:
// under 20 µs per tick (docs/PERFORMANCE.md).

#include "ballast/core/clock.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_monitor.hpp"
#include "ballast/runtime/message_bus.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace ballast;
using core::Decimal;
using namespace std::chrono_literals;

constexpr std::size_t kInstruments = 1000;

class NoopSink final : public risk::RiskActionSink {
 public:
  risk::ActionResult cancel_orders(const std::optional<core::InstrumentId>&, std::string_view, core::UnixNanos) override {
    return {};
  }
  risk::ActionResult close_position(const core::InstrumentId&, std::string_view, core::UnixNanos) override { return {}; }
  risk::ActionResult flatten_all(std::string_view, core::UnixNanos) override { return {}; }
};

model::Instrument make_instrument(std::size_t i) {
  model::InstrumentSpec spec;
  // fmt rather than string operator+: g++ 12 at -O3 raises a false -Wrestrict on the latter.
  spec.id = core::InstrumentId::parse(fmt::format("C{}USDT-PERP.BINANCE", i)).value();
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency(fmt::format("C{}", i), 8);
  spec.quote_currency = model::Currency::USDT();
  spec.settlement_currency = model::Currency::USDT();
  spec.tick_size = model::Price::from_raw(1, 2);
  spec.step_size = model::Quantity::from_raw(1, 3);
  spec.min_quantity = model::Quantity::from_raw(1, 3);
  spec.margin_tiers = {{Decimal::from_int(0), Decimal::from_int(1'000'000'000), Decimal::from_int(100),
                        Decimal::from_raw(5, 3), Decimal::from_int(0)}};
  return model::Instrument::create(spec).value();
}

risk::CircuitBreakerConfig breaker(std::string name, risk::BreakerCondition condition, std::string_view threshold,
                                   risk::BreakerAction action) {
  risk::CircuitBreakerConfig c;
  c.name = std::move(name);
  c.condition = condition;
  c.scope = (condition == risk::BreakerCondition::PositionDrawdown ||
             condition == risk::BreakerCondition::VolatilitySpike || condition == risk::BreakerCondition::RapidMove)
                ? risk::BreakerScope::Instrument
                : risk::BreakerScope::Account;
  c.threshold = Decimal::parse(threshold).value();
  c.action = action;
  c.window = 5min;
  c.baseline_window = 24h;
  return c;
}

std::vector<risk::CircuitBreakerConfig> twenty_breakers(const std::vector<model::Instrument>& instruments) {
  using risk::BreakerAction;
  using risk::BreakerCondition;
  std::vector<risk::CircuitBreakerConfig> b;
  b.push_back(breaker("account-dd", BreakerCondition::AccountDrawdown, "0.10", BreakerAction::CancelOrders));
  b.push_back(breaker("daily-loss", BreakerCondition::DailyLoss, "1000000", BreakerAction::Halt));
  b.push_back(breaker("streak", BreakerCondition::LossStreak, "5", BreakerAction::ReduceOnly));
  b.push_back(breaker("rejects", BreakerCondition::RejectRate, "0.5", BreakerAction::Alert));
  auto hours = breaker("hours", BreakerCondition::TradingHours, "0", BreakerAction::ReduceOnly);
  hours.sessions = {risk::TradingSession{0, 24 * 60, 0x7f}};
  b.push_back(hours);
  b.push_back(breaker("position-dd", BreakerCondition::PositionDrawdown, "0.05", BreakerAction::ClosePosition));
  b.push_back(breaker("vol-spike", BreakerCondition::VolatilitySpike, "5", BreakerAction::Alert));
  b.push_back(breaker("rapid", BreakerCondition::RapidMove, "0.2", BreakerAction::ReduceOnly));
  for (int k = 0; k < 12; ++k) {
    const auto condition = k % 2 == 0 ? BreakerCondition::RapidMove : BreakerCondition::PositionDrawdown;
    auto c = breaker(fmt::format("single-{}", k), condition, "0.3", BreakerAction::CancelOrders);
    c.instrument_id = instruments[static_cast<std::size_t>(k) * 7].id();
    b.push_back(c);
  }
  return b;
}

void risk_monitor_tick(benchmark::State& state) {
  std::vector<model::Instrument> instruments;
  instruments.reserve(kInstruments);
  for (std::size_t i = 0; i < kInstruments; ++i) instruments.push_back(make_instrument(i));
  std::vector<const model::Instrument*> pointers;
  for (const auto& i : instruments) pointers.push_back(&i);

  auto book = portfolio::PortfolioBook::create(model::Currency::USDT(), pointers, Decimal::from_int(10'000'000)).value();
  core::TestClock clock(core::UnixNanos::from_seconds(1'704'067'200));
  const model::Price base = model::Price::from_raw(10000, 2);  // 100.00
  for (portfolio::SlotIndex s = 0; s < kInstruments; ++s) {
    (void)book.set_position(s, Decimal::from_int(s % 2 == 0 ? 10 : -10), base.value());
    (void)book.set_mark(s, base, clock.now());
  }
  risk::RiskConfig config;
  config.circuit_breakers = twenty_breakers(instruments);
  config.max_gross_exposure = {true, Decimal::from_int(50'000'000)};
  config.max_net_exposure = {true, Decimal::from_int(50'000'000)};
  config.max_leverage = {true, Decimal::from_int(20)};
  config.daily_loss_limit = {true, Decimal::from_int(5'000'000)};
  auto engine = risk::RiskEngine::create(config, book, clock.now()).value();
  runtime::MessageBus bus;
  NoopSink sink;
  auto monitor = risk::RiskMonitor::create({}, book, engine, bus, sink, clock).value();

  // Marks alternate 100.00 / 100.01 / 100.02 per instrument: a random-walk-sized move, never a trip.
  std::vector<model::Price> marks;
  for (int k = 0; k < 3; ++k) marks.push_back(model::Price::from_raw(10000 + k, 2));
  std::size_t i = 0;
  for (auto _ : state) {
    clock.advance(1ms);
    const auto slot = static_cast<portfolio::SlotIndex>(i % kInstruments);
    benchmark::DoNotOptimize(monitor->on_mark_price(slot, marks[(i / kInstruments) % marks.size()]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["breaker_instances"] = static_cast<double>(monitor->breaker_instances());
}
BENCHMARK(risk_monitor_tick)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace
