#include "ballast/backtest/execution_simulation.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/data/interval_estimator.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/sim/sim_execution_client.hpp"
#include "ballast/system/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace ballast::backtest {

using core::UnixNanos;

core::Result<std::pair<double, double>> daily_volatility_and_volume(std::span<const model::Bar> bars) {
  if (bars.size() < 3) {
    return core::Error(core::ErrorCode::InvalidArgument, "need at least 3 bars to measure volatility and volume", "bars");
  }
  for (std::size_t i = 1; i < bars.size(); ++i) {
    if (!(bars[i - 1].ts_event < bars[i].ts_event)) {
      return core::Error(core::ErrorCode::InvalidArgument, "bars must be increasing in time", "bars");
    }
  }
  // Bars and volume per trading day. Intraday bars: the mean over the complete UTC days — those strictly
  // between the first and the last day, which may be cut — that have bars; a market open 13 hours a day
  // has 780 one-minute bars a day, not 1,440, and weekends and holidays are no days. Without a complete
  // day (two days of data or less) the market is taken to trade around the clock. Bars of a day or longer
  // count by their interval (most common step: a daily series starting on a Friday is still daily).
  const std::int64_t interval = data::annualisation_interval(bars).count();
  const double bar_volume = [&] {
    double v = 0.0;
    for (const auto& b : bars) v += b.volume.as_double();
    return v / static_cast<double>(bars.size());
  }();
  double per_day = static_cast<double>(core::kNanosPerDay) / static_cast<double>(interval);
  double adv = bar_volume * per_day;
  if (interval < core::kNanosPerDay) {
    const std::int64_t first_day = core::floor_div(bars.front().ts_event.value, core::kNanosPerDay);
    const std::int64_t last_day = core::floor_div(bars.back().ts_event.value, core::kNanosPerDay);
    std::size_t days = 0;
    std::size_t day_bars = 0;
    double day_volume = 0.0;
    std::int64_t day = first_day;
    for (const auto& b : bars) {
      const std::int64_t d = core::floor_div(b.ts_event.value, core::kNanosPerDay);
      if (d == first_day || d == last_day) continue;
      if (d != day) ++days, day = d;
      ++day_bars;
      day_volume += b.volume.as_double();
    }
    if (days > 0) {
      per_day = static_cast<double>(day_bars) / static_cast<double>(days);
      adv = day_volume / static_cast<double>(days);
    }
  }
  double sum = 0.0, sum2 = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 1; i < bars.size(); ++i) {
    const double r = bars[i].close.as_double() / bars[i - 1].close.as_double() - 1.0;
    sum += r, sum2 += r * r, ++n;
  }
  const double mean = sum / static_cast<double>(n);
  const double variance = (sum2 - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1);
  const double sigma = std::sqrt(std::max(variance, 0.0) * per_day);
  if (!(sigma > 0.0) || !(adv > 0.0)) {
    return core::Error(core::ErrorCode::InvalidArgument, "bars have no volatility or no volume", "bars");
  }
  return std::pair{sigma, adv};
}

core::Result<ExecutionSimulationResult> simulate_execution(const ExecutionSimulationConfig& config,
                                                           const model::Instrument& instrument,
                                                           std::span<const model::Bar> all_bars,
                                                           const AlgorithmFactory& make_algorithm) {
  const execution::ParentOrder& parent = config.parent;
  // The bars from the start; up to 60 after the end leave room for the catch-up child to trade.
  std::size_t begin = 0;
  while (begin < all_bars.size() && all_bars[begin].ts_event < parent.start) ++begin;
  std::size_t end = begin;
  while (end < all_bars.size() && all_bars[end].ts_event < parent.end) ++end;
  const std::size_t stop = std::min(all_bars.size(), end + 60);
  if (end == begin) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("no bars between {} and {}", core::format_iso8601(parent.start),
                                   core::format_iso8601(parent.end)),
                       "start");
  }
  const std::span<const model::Bar> bars = all_bars.subspan(begin, stop - begin);
  auto stats = config.daily_volatility_and_volume ? core::Result<std::pair<double, double>>(*config.daily_volatility_and_volume)
                                                 : daily_volatility_and_volume(all_bars);
  if (!stats) return stats.error();

  core::TestClock clock(std::min(parent.start, bars.front().ts_event));
  runtime::MessageBus bus;
  system::KernelConfig kc;
  kc.account_id = parent.account_id.empty() ? core::AccountId("EXEC") : parent.account_id;
  kc.settlement_currency = instrument.settlement_currency();
  kc.starting_balance = config.starting_balance;
  kc.risk = config.risk;
  const model::Instrument* list[] = {&instrument};
  auto kernel = system::Kernel::create(kc, list, clock, bus, nullptr);
  if (!kernel) return kernel.error();

  sim::SimulatedExchangeConfig ec;
  ec.venue = instrument.id().venue();
  ec.account_id = kc.account_id;
  ec.max_volume_participation = config.max_volume_participation;
  auto slippage = sim::SquareRootImpactSlippage::create(config.impact_coefficient);
  if (!slippage) return slippage.error();
  auto exchange = sim::SimulatedExchange::create(
      ec, list, std::make_unique<sim::SquareRootImpactSlippage>(*slippage),
      std::make_unique<sim::FixedLatency>(sim::FixedLatency::create(core::Duration(0)).value()), **kernel);
  if (!exchange) return exchange.error();
  exchange->set_impact_inputs(instrument.id(), sim::ImpactInputs{stats->first, stats->second});
  sim::SimExecutionClient client(*exchange, clock);
  BALLAST_TRY((*kernel)->add_execution_client(client));

  std::unique_ptr<execution::ExecutionAlgorithm> algorithm;
  if (make_algorithm) {
    auto made = make_algorithm(parent);
    if (!made) return made.error();
    algorithm = std::move(*made);
  }

  ExecutionSimulationResult result;
  result.algorithm = algorithm ? std::string(algorithm->name()) : "IMMEDIATE";
  result.daily_volatility = stats->first;
  result.daily_volume = stats->second;
  std::map<std::string, core::ClientOrderId> child_of;  // kernel id → the algorithm's child id
  (*kernel)->set_order_event_observer([&](const model::OrderEvent& e) {
    const auto& base = model::event_base(e);
    if (const auto* f = std::get_if<model::OrderFilled>(&e)) result.fills.push_back(f->fill);
    if (!algorithm) return;
    const auto it = child_of.find(base.client_order_id.value());
    if (it == child_of.end()) return;
    if (const auto* f = std::get_if<model::OrderFilled>(&e)) {
      model::Fill fill = f->fill;
      fill.client_order_id = it->second;
      algorithm->on_child_fill(fill);
    }
    const model::Order* order = (*kernel)->order(base.client_order_id);
    if (order != nullptr && order->is_closed()) algorithm->on_child_closed(it->second);
  });

  const auto carry_out = [&](const std::vector<execution::AlgoAction>& actions) {
    for (const auto& a : actions) {
      if (a.kind == execution::AlgoAction::Kind::Cancel) {
        for (const auto& [kernel_id, child] : child_of) {
          if (child == a.cancel_id) (void)(*kernel)->cancel(core::ClientOrderId(kernel_id));
        }
        continue;
      }
      model::OrderSpec spec = a.child;
      spec.strategy_id = core::StrategyId("ALGO");
      auto id = (*kernel)->submit(spec);
      if (!id) {
        algorithm->on_child_closed(a.child.client_order_id);  // denied: nothing is working
        continue;
      }
      child_of.emplace(id->value(), a.child.client_order_id);
      const model::Order* order = (*kernel)->order(*id);
      if (order != nullptr && order->is_closed()) algorithm->on_child_closed(a.child.client_order_id);
    }
  };

  const double arrival = bars.front().open.as_double();
  clock.set_time(parent.start);
  // The risk engine needs a reference price before the first child: the decision price, the first open.
  BALLAST_TRY((*kernel)->monitor().on_mark_price(instrument.id(), bars.front().open));
  if (algorithm) {
    execution::MarketState m;
    m.now = parent.start;
    m.last = bars.front().open;
    carry_out(algorithm->update(m));
  } else {
    model::OrderSpec spec;
    spec.strategy_id = core::StrategyId("ALGO");
    spec.instrument_id = instrument.id();
    spec.side = parent.side;
    spec.type = model::OrderType::Market;
    spec.quantity = parent.quantity;
    if (auto id = (*kernel)->submit(spec); !id) return id.error();
  }
  const model::Bar* last_bar = nullptr;  // the market when the execution stopped: values what is left
  for (const auto& bar : bars) {
    last_bar = &bar;
    clock.set_time(std::max(clock.now(), bar.ts_event));
    BALLAST_TRY(exchange->on_bar(instrument.id(), bar));
    clock.set_time(std::max(clock.now(), bar.ts_recv));
    BALLAST_TRY((*kernel)->on_bar(instrument.id(), bar));
    if (algorithm && !algorithm->done()) {
      execution::MarketState m;
      m.now = bar.ts_recv;
      m.last = bar.close;
      m.volume = bar.volume.value();
      carry_out(algorithm->update(m));
    }
    if (algorithm ? algorithm->done() : (*kernel)->open_orders().empty()) break;
  }

  execution::ExecutionQualityInputs in;
  in.instrument = &instrument;
  in.side = parent.side;
  in.parent_quantity = parent.quantity;
  in.arrival_price = model::Price::from_double(arrival, std::min(18, instrument.price_precision() + 2)).value();
  in.fills = result.fills;
  if (last_bar != nullptr) in.residual_price = last_bar->close;
  in.child_orders = algorithm ? algorithm->progress().children : 1;
  in.market_vwap = execution::market_vwap(all_bars.subspan(begin, end - begin), parent.start, parent.end);
  in.daily_volatility = stats->first;
  in.daily_volume = stats->second;
  in.impact_coefficient = config.impact_coefficient;
  auto quality = execution::measure_execution(in);
  if (!quality) return quality.error();
  result.quality = *quality;
  result.residual = parent.quantity.as_double() - quality->filled;
  return result;
}

}  // namespace ballast::backtest
