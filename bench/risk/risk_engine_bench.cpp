// Pre-trade check cost: RiskEngine::evaluate()/submit() with every rule on (VaR included) against a book
// of 100 open positions with working orders. Reports items_per_second, the median and p99 of single-check
// latencies (steady clock around each check, counters p50_ns / p99_ns) and heap allocations per check
// (global operator new replaced in this program; must be 0).

#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

std::atomic<std::uint64_t> g_allocations{0};

// Kept out of line so the compiler does not pair a visible malloc in operator new with the free here.
[[gnu::noinline]] void release(void* p) noexcept { std::free(p); }

}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }

namespace {

using ballast::core::Decimal;
using namespace ballast;

constexpr int kPositions = 100;
constexpr core::UnixNanos kNow = core::UnixNanos::from_seconds(1709294400);

Decimal dec(const char* text) { return Decimal::parse(text).value(); }

struct Desk {
  std::vector<std::unique_ptr<model::Instrument>> instruments;
  std::unique_ptr<portfolio::PortfolioBook> book;
  std::unique_ptr<risk::RiskEngine> engine;
  std::vector<risk::OrderRequest> orders;

  Desk() {
    std::vector<const model::Instrument*> list;
    for (int i = 0; i < kPositions; ++i) {
      model::InstrumentSpec spec;
      spec.id = core::InstrumentId::parse("SYM" + std::to_string(i) + "USDT-PERP.BINANCE").value();
      spec.kind = model::InstrumentKind::Perpetual;
      spec.base_currency = model::Currency("SYM" + std::to_string(i), 8);
      spec.quote_currency = model::Currency::USDT();
      spec.settlement_currency = model::Currency::USDT();
      spec.tick_size = model::Price(dec("0.01"));
      spec.step_size = model::Quantity(dec("0.001"));
      spec.min_quantity = model::Quantity(dec("0.001"));
      spec.max_quantity = model::Quantity(dec("100000"));
      spec.min_notional = model::Money(dec("5"), model::Currency::USDT());
      spec.margin_tiers = {{dec("0"), dec("50000"), dec("50"), dec("0.01"), dec("0")},
                           {dec("50000"), dec("5000000"), dec("20"), dec("0.025"), dec("750")}};
      instruments.push_back(std::make_unique<model::Instrument>(model::Instrument::create(spec).value()));
      list.push_back(instruments.back().get());
    }
    book = std::make_unique<portfolio::PortfolioBook>(
        portfolio::PortfolioBook::create(model::Currency::USDT(), list, dec("5000000")).value());
    for (portfolio::SlotIndex i = 0; i < kPositions; ++i) {
      const Decimal mark = Decimal::from_raw(100000 + 137 * static_cast<std::int64_t>(i), 2);  // 1000.00 + …
      (void)book->set_leverage(i, Decimal::from_int(5));
      const std::int64_t units = 5000 + 10 * static_cast<std::int64_t>(i);
      (void)book->set_position(i, Decimal::from_raw(i % 2 == 0 ? units : -units, 3), mark);
      (void)book->set_mark(i, model::Price(mark), kNow);
      (void)book->add_open_order(i, model::OrderSide::Buy, dec("1"), model::Price(Decimal::from_raw(99000, 2)));
      (void)book->set_quote(i, model::Price(Decimal::from_raw(99990, 2)), model::Price(Decimal::from_raw(110000, 2)));
    }
    risk::RiskConfig c;
    c.circuit_breakers.clear();
    c.reduce_quantity_to_fit = true;
    c.instrument.max_order_quantity = {true, dec("100")};
    c.instrument.max_order_notional = {true, dec("200000")};
    c.instrument.price_collar_bps = {true, dec("500")};
    c.instrument.max_position_quantity = {true, dec("1000")};
    c.instrument.max_position_notional = {true, dec("500000")};
    c.instrument.max_concentration = {true, dec("0.5")};
    c.instrument.max_open_orders = {true, 50};
    c.max_gross_exposure = {true, dec("50000000")};
    c.max_net_exposure = {true, dec("20000000")};
    c.max_leverage = {true, dec("5")};
    c.check_margin = true;
    c.portfolio_var = {true, dec("10000000"), 0.99, 1.0};
    c.max_open_orders_total = {true, 10000};
    c.max_orders_per_second = {true, 1'000'000};
    c.max_orders_per_minute = {true, 10'000'000};
    c.daily_loss_limit = {true, dec("1000000")};
    c.max_trades_per_day = {true, 1'000'000'000'000};
    c.max_trades_per_hour = {true, 1'000'000};
    c.behaviour.loss_streak = {true, 5};
    c.behaviour.block_size_increase_after_loss = true;
    c.behaviour.order_rate_warning = true;
    c.volatility_scaling.enabled = true;
    engine = std::make_unique<risk::RiskEngine>(risk::RiskEngine::create(c, *book, kNow).value());
    Eigen::MatrixXd cov = Eigen::MatrixXd::Constant(kPositions, kPositions, 0.0002);
    cov.diagonal().setConstant(0.0009);
    std::vector<portfolio::SlotIndex> slots;
    for (portfolio::SlotIndex i = 0; i < kPositions; ++i) slots.push_back(i);
    (void)engine->set_var_model(cov, slots);
    engine->set_volatility_level(7, analytics::VolatilityLevel::High);
    // Orders that pass every rule: limit buys a little under the mark, on tick and step.
    for (portfolio::SlotIndex i = 0; i < kPositions; ++i) {
      risk::OrderRequest o;
      o.slot = i;
      o.side = i % 3 == 0 ? model::OrderSide::Sell : model::OrderSide::Buy;
      o.type = model::OrderType::Limit;
      o.quantity = model::Quantity(Decimal::from_raw(1500 + static_cast<std::int64_t>(i), 3));
      o.price = model::Price(
          Decimal::from_raw(100000 + 137 * static_cast<std::int64_t>(i) + (o.side == model::OrderSide::Buy ? -50 : 50), 2));
      orders.push_back(o);
    }
  }
};

Desk& desk() {
  static Desk d;
  return d;
}

void BM_EvaluateAllRules(benchmark::State& state) {
  Desk& d = desk();
  const risk::RiskEngine& engine = *d.engine;
  std::size_t k = 0;
  std::size_t approved = 0;
  const std::uint64_t before = g_allocations.load();
  for (auto _ : state) {
    const risk::RiskDecision r = engine.evaluate(d.orders[k], kNow);
    approved += r.approved() ? 1 : 0;
    benchmark::DoNotOptimize(r);
    k = k + 1 == d.orders.size() ? 0 : k + 1;
  }
  const std::uint64_t allocations = g_allocations.load() - before;
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_check"] =
      benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(state.iterations()));
  state.counters["approved_share"] =
      benchmark::Counter(static_cast<double>(approved) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_EvaluateAllRules);

void BM_EvaluateLatencyPercentiles(benchmark::State& state) {
  Desk& d = desk();
  const risk::RiskEngine& engine = *d.engine;
  constexpr std::size_t kSamples = 200'000;
  std::vector<double> ns(kSamples);
  double p50 = 0;
  double p99 = 0;
  double clock_ns = 0;
  for (auto _ : state) {
    // Cost of the clock itself, subtracted from every sample.
    {
      const auto a = std::chrono::steady_clock::now();
      for (int i = 0; i < 1000; ++i) benchmark::DoNotOptimize(std::chrono::steady_clock::now());
      clock_ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - a).count() / 1001.0;
    }
    for (std::size_t s = 0; s < kSamples; ++s) {
      const risk::OrderRequest& o = d.orders[s % d.orders.size()];
      const auto t0 = std::chrono::steady_clock::now();
      const risk::RiskDecision r = engine.evaluate(o, kNow);
      const auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(r);
      ns[s] = std::chrono::duration<double, std::nano>(t1 - t0).count() - clock_ns;
    }
    std::sort(ns.begin(), ns.end());
    p50 = ns[kSamples / 2];
    p99 = ns[kSamples * 99 / 100];
  }
  state.counters["p50_ns"] = p50;
  state.counters["p99_ns"] = p99;
  state.counters["clock_ns"] = clock_ns;
}
BENCHMARK(BM_EvaluateLatencyPercentiles)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_SubmitAllRules(benchmark::State& state) {
  Desk& d = desk();
  risk::RiskEngine& engine = *d.engine;
  std::size_t k = 0;
  std::int64_t t = kNow.value;
  const std::uint64_t before = g_allocations.load();
  for (auto _ : state) {
    t += 5'000'000;  // 200 orders a second: below every rate and trade-count limit
    benchmark::DoNotOptimize(engine.submit(d.orders[k], core::UnixNanos(t)));
    k = k + 1 == d.orders.size() ? 0 : k + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_check"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_SubmitAllRules);

}  // namespace
