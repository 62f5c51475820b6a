// Kernel fill path: from an OrderFilled event arriving at Kernel::on_order_event to the order updated, the
// position and account aggregates updated in the book, and the circuit breakers re-evaluated (issue 8:
// under 50 µs in-process).
//
// Set-up: four perpetuals (BTC, ETH, SOL, BNB on BINANCE) marked at realistic prices, the default circuit
// breakers (account drawdown → cancel orders, position drawdown → close position), the default pre-trade
// configuration, a wallet of 1,000,000 USDT. Each batch submits 512 limit orders through the risk engine
// (alternately buying and selling 0.004 of each instrument) and accepts them, outside the timing; the
// timed loop then delivers four fills of 0.001 per order, the clock advancing 1 ms per fill. Positions
// open and close again (a completed trade, with its P&L and loss-streak bookkeeping, every eighth fill
// per instrument); sells are 1 USDT above the buys (+0.004 per round trip against 0.0008 of fees), so no
// trade loses and no breaker trips.
//
// The argument is a number of further orders resting far from the market the whole time (BTC buys of 0.001
// at 27,000): with thousands of orders open, closing one must not cost a scan of all of them.

#include "ballast/core/clock.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/system/kernel.hpp"

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

constexpr std::size_t kOrdersPerBatch = 512;
constexpr int kFillsPerOrder = 4;

// Takes every command and answers nothing: the benchmark delivers the venue's events itself.
class SilentVenue final : public runtime::ExecutionClient {
 public:
  const core::VenueId& venue() const override { return venue_; }
  const core::AccountId& account_id() const override { return account_; }
  core::Status connect() override { return core::ok(); }
  void disconnect() override {}
  bool is_connected() const override { return true; }
  core::Status submit_order(const model::SubmitOrder&) override { return core::ok(); }
  core::Status cancel_order(const model::CancelOrder&) override { return core::ok(); }
  core::Status cancel_all_orders(const model::CancelAllOrders&) override { return core::ok(); }
  core::Status modify_order(const model::ModifyOrder&) override { return core::ok(); }
  core::Result<std::vector<runtime::OrderStatusReport>> query_open_orders(
      const std::optional<core::InstrumentId>&) override {
    return std::vector<runtime::OrderStatusReport>{};
  }
  core::Result<std::vector<runtime::PositionStatusReport>> query_positions() override {
    return std::vector<runtime::PositionStatusReport>{};
  }
  core::Result<std::vector<model::Fill>> query_fills_since(core::UnixNanos) override {
    return std::vector<model::Fill>{};
  }

 private:
  core::VenueId venue_{"BINANCE"};
  core::AccountId account_{"ACC"};
};

struct Market {
  std::string symbol;
  std::int64_t price_cents;
};

model::Instrument make_instrument(const Market& m) {
  model::InstrumentSpec spec;
  spec.id = core::InstrumentId::parse(fmt::format("{}USDT-PERP.BINANCE", m.symbol)).value();
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency(m.symbol, 8);
  spec.quote_currency = model::Currency::USDT();
  spec.settlement_currency = model::Currency::USDT();
  spec.tick_size = model::Price::from_raw(1, 2);
  spec.step_size = model::Quantity::from_raw(1, 3);
  spec.min_quantity = model::Quantity::from_raw(1, 3);
  spec.max_quantity = model::Quantity::from_int(1000);
  spec.multiplier = Decimal::from_int(1);
  spec.margin_tiers = {{Decimal::from_int(0), Decimal::from_int(50'000), Decimal::from_int(125),
                        Decimal::from_raw(4, 3), Decimal::from_int(0)},
                       {Decimal::from_int(50'000), Decimal::from_int(1'000'000'000), Decimal::from_int(100),
                        Decimal::from_raw(5, 3), Decimal::from_int(50)}};
  return model::Instrument::create(spec).value();
}

struct Batch {
  std::unique_ptr<system::Kernel> kernel;
  std::vector<model::OrderEvent> fills;
};

void kernel_fill(benchmark::State& state) {
  const std::vector<Market> markets{{"BTC", 3'000'000}, {"ETH", 200'000}, {"SOL", 10'000}, {"BNB", 30'000}};
  std::vector<model::Instrument> instruments;
  for (const auto& m : markets) instruments.push_back(make_instrument(m));
  std::vector<const model::Instrument*> pointers;
  for (const auto& i : instruments) pointers.push_back(&i);

  core::TestClock clock(core::UnixNanos::from_seconds(1'704'067'200));
  runtime::MessageBus bus;
  SilentVenue venue;
  const core::AccountId account("ACC");
  const model::Quantity order_qty = model::Quantity::from_raw(4, 3);
  const model::Quantity fill_qty = model::Quantity::from_raw(1, 3);
  const model::Money fee(Decimal::from_raw(1, 4), model::Currency::USDT());  // 0.0001 per fill
  std::uint64_t trade = 0;

  // A fresh kernel with kOrdersPerBatch accepted orders and their fills, ready to deliver.
  const auto prepare = [&]() {
    Batch b;
    system::KernelConfig kc;
    kc.account_id = account;
    kc.starting_balance = Decimal::from_int(1'000'000);  // default RiskConfig: the default breakers
    b.kernel = system::Kernel::create(kc, pointers, clock, bus, nullptr).value();
    (void)b.kernel->add_execution_client(venue);
    for (std::size_t i = 0; i < instruments.size(); ++i) {
      (void)b.kernel->monitor().on_mark_price(static_cast<portfolio::SlotIndex>(i),
                                              model::Price::from_raw(markets[i].price_cents, 2));
    }
    for (std::size_t n = 0; n < kOrdersPerBatch; ++n) {
      const std::size_t i = n % instruments.size();
      const bool buy = (n / instruments.size()) % 2 == 0;
      model::OrderSpec spec;
      spec.strategy_id = core::StrategyId("BENCH");
      spec.instrument_id = instruments[i].id();
      spec.side = buy ? model::OrderSide::Buy : model::OrderSide::Sell;
      spec.type = model::OrderType::Limit;
      spec.quantity = order_qty;
      spec.price = model::Price::from_raw(markets[i].price_cents + (buy ? 0 : 100), 2);
      auto id = b.kernel->submit(spec);
      if (!id) {
        state.SkipWithError(id.error().message().c_str());
        return b;
      }
      const model::Order& o = *b.kernel->order(*id);
      model::OrderAccepted accepted;
      accepted.client_order_id = *id;
      accepted.strategy_id = o.strategy_id();
      accepted.account_id = account;
      accepted.instrument_id = o.instrument_id();
      accepted.venue_order_id = core::VenueOrderId(fmt::format("V{}", n));
      accepted.ts_event = clock.now();
      b.kernel->on_order_event(accepted);
    }
    // Orders resting far below the market (never filled), after the traded ones: ids O-513 on.
    for (std::int64_t n = 0; n < state.range(0); ++n) {
      model::OrderSpec spec;
      spec.strategy_id = core::StrategyId("BENCH");
      spec.instrument_id = instruments[0].id();
      spec.side = model::OrderSide::Buy;
      spec.type = model::OrderType::Limit;
      spec.quantity = fill_qty;  // 27 USDT of margin each: 20,000 fit the wallet next to the traded orders
      spec.price = model::Price::from_raw(2'700'000, 2);
      auto id = b.kernel->submit(spec);
      if (!id) {
        state.SkipWithError(id.error().message().c_str());
        return b;
      }
      model::OrderAccepted accepted;
      accepted.client_order_id = *id;
      accepted.strategy_id = spec.strategy_id;
      accepted.account_id = account;
      accepted.instrument_id = spec.instrument_id;
      accepted.venue_order_id = core::VenueOrderId(fmt::format("R{}", n));
      accepted.ts_event = clock.now();
      b.kernel->on_order_event(accepted);
    }
    // Fills in instrument round-robin: per instrument, the buy order's four fills, then the sell's.
    for (std::size_t group = 0; group < kOrdersPerBatch; group += instruments.size()) {
      for (int f = 0; f < kFillsPerOrder; ++f) {
        for (std::size_t i = 0; i < instruments.size() && group + i < kOrdersPerBatch; ++i) {
          const std::size_t n = group + i;
          const model::Order& o = *b.kernel->order(core::ClientOrderId(fmt::format("O-{}", n + 1)));
          model::OrderFilled e;
          e.client_order_id = o.client_order_id();
          e.strategy_id = o.strategy_id();
          e.account_id = account;
          e.instrument_id = o.instrument_id();
          e.fill.trade_id = core::TradeId(fmt::format("T{}", ++trade));
          e.fill.client_order_id = o.client_order_id();
          e.fill.venue_order_id = *o.venue_order_id();
          e.fill.instrument_id = o.instrument_id();
          e.fill.account_id = account;
          e.fill.side = o.side();
          e.fill.last_qty = fill_qty;
          e.fill.last_px = *o.price();
          e.fill.commission = fee;
          e.fill.liquidity_side = model::LiquiditySide::Maker;
          b.fills.emplace_back(std::move(e));
        }
      }
    }
    return b;
  };

  Batch batch = prepare();  // before the loop: not timed
  std::size_t next = 0;
  std::int64_t position_changes = 0;
  for (auto _ : state) {
    if (next == batch.fills.size()) {
      state.PauseTiming();
      batch = prepare();
      next = 0;
      state.ResumeTiming();
    }
    clock.advance(1ms);
    batch.kernel->on_order_event(batch.fills[next]);
    benchmark::DoNotOptimize(batch.kernel->book().equity());
    ++next;
    ++position_changes;
  }
  state.SetItemsProcessed(position_changes);
  state.counters["breakers"] = static_cast<double>(batch.kernel->monitor().breaker_instances());
  state.counters["open_positions_at_end"] = static_cast<double>(batch.kernel->book().positions_open());
  state.counters["resting_orders"] = static_cast<double>(state.range(0));
}
BENCHMARK(kernel_fill)->Arg(0)->Arg(20'000)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace
