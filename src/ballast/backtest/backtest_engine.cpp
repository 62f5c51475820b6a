#include "ballast/backtest/backtest_engine.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/sim/sim_execution_client.hpp"
#include "ballast/system/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace ballast::backtest {

using core::UnixNanos;
using model::OrderSide;

namespace {

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

std::size_t book_events(const InstrumentData& d) { return d.books == nullptr ? 0 : d.books->events.size(); }

// When an instrument's data starts: its first bar's start, first trade or first book event, whichever is
// earliest (at least one exists).
UnixNanos start_of(std::span<const model::Bar> bars, const InstrumentData& d) {
  std::optional<UnixNanos> t;
  const auto earliest = [&t](UnixNanos u) { t = t ? std::min(*t, u) : u; };
  if (!bars.empty()) earliest(bars.front().ts_event);
  if (!d.trades.empty()) earliest(d.trades.front().ts_event);
  if (book_events(d) > 0) earliest(d.books->events.front().ts_event);
  return *t;
}

// Applies one book event to the instrument's book; `id` numbers the events so the book never sees a gap.
// An event the book refuses (a price off the tick grid, a price twice in one snapshot) names its line.
core::Status apply_book_event(model::OrderBook& book, const data::BookEventSeries& series,
                              const data::BookEvent& event, std::uint64_t id, model::BookSnapshot& scratch) {
  const auto levels = series.levels_of(event);
  core::Status status = core::ok();
  if (event.kind == data::BookEventKind::Snapshot) {
    scratch.bids.clear();
    scratch.asks.clear();
    for (const auto& l : levels) (l.side == OrderSide::Buy ? scratch.bids : scratch.asks).push_back({l.price, l.size});
    scratch.update_id = id;
    scratch.ts_event = event.ts_event;
    scratch.ts_recv = event.ts_recv;
    status = book.apply_snapshot(scratch);
  } else {
    auto applied = book.apply_deltas(model::BookUpdate::single(id, event.ts_event, event.ts_recv), levels);
    if (!applied) status = applied.error();
  }
  if (status) return status;
  return core::Error(status.error().code(),
                     fmt::format("book {} of {} at {}: {}",
                                 event.kind == data::BookEventKind::Snapshot ? "snapshot" : "update",
                                 book.instrument_id().to_string(), core::format_iso8601(event.ts_event),
                                 status.error().message()),
                     fmt::format("{}:{}", series.source, event.line));
}

core::Error out_of_order(const model::Instrument& instrument, std::size_t index, UnixNanos ts) {
  return invalid(fmt::format("{}: bar {} at {} is not after the bar before it", instrument.id().to_string(), index,
                             core::format_iso8601(ts)),
                 "bars");
}

// The bars of one instrument in replay: the whole span, or the current batch of a bar source.
struct BarWindow {
  std::span<const model::Bar> bars;
  std::size_t base{0};  // index of bars[0] in the instrument's series
  UnixNanos last_start{};

  // Replaces the window by the source's next batch and checks its order. An empty window: the source ended.
  core::Status pull(BarSource& source, const model::Instrument& instrument) {
    const bool had_bars = base > 0 || !bars.empty();
    base += bars.size();
    auto batch = source.next_batch();
    if (!batch) return batch.error();
    bars = *batch;
    for (std::size_t k = 0; k < bars.size(); ++k) {
      const bool has_previous = k > 0 || had_bars;
      const UnixNanos previous = k > 0 ? bars[k - 1].ts_event : last_start;
      if (has_previous && !(previous < bars[k].ts_event)) return out_of_order(instrument, base + k, bars[k].ts_event);
    }
    if (!bars.empty()) last_start = bars.back().ts_event;
    return core::ok();
  }
};

// Collects the kernel's order events (fills always, everything when asked).
struct Recorder {
  bool all{false};
  std::vector<model::Fill> fills;
  std::vector<model::OrderEvent> events;
  void operator()(const model::OrderEvent& e) {
    if (const auto* f = std::get_if<model::OrderFilled>(&e)) fills.push_back(f->fill);
    if (all) events.push_back(e);
  }
};

// Replays bar k of an instrument's window: its order checked (a span's bars as they are replayed, while the bar
// before is still in cache; a source's batch by pull()), then the venue given it at its start and the kernel
// at its end. Shared by both replay loops, and inline in each.
[[gnu::always_inline]] inline core::Status replay_bar(const BarWindow& w, std::size_t k, bool from_span,
                                                      const model::Instrument& instrument,
                                                      sim::SimulatedExchange& exchange, system::Kernel& kernel,
                                                      core::TestClock& clock) {
  const model::Bar& bar = w.bars[k];
  const core::InstrumentId& id = instrument.id();
  if (from_span && k > 0 && !(w.bars[k - 1].ts_event < bar.ts_event)) [[unlikely]] {
    return out_of_order(instrument, k, bar.ts_event);
  }
  clock.set_time(std::max(clock.now(), bar.ts_event));
  BALLAST_TRY(exchange.on_bar(id, bar));
  clock.set_time(std::max(clock.now(), bar.ts_recv));
  if (auto s = kernel.on_bar(id, bar); !s) [[unlikely]] {
    return s.error().with_context(fmt::format("bar of {} at {}", id.to_string(), core::format_iso8601(bar.ts_event)));
  }
  return core::ok();
}

// Replays one instrument's bars alone (most backtests): the steps of run_backtest's merge without its picks.
// Each bar is a time step of its own unless the next bar ends at the same time. A function of its own (not
// inlined into run_backtest, whose size stops GCC inlining): its two push_backs stay inline.
template <class EndWarmUp, class Canceled>
[[gnu::noinline]] core::Status replay_bars(const BacktestConfig& config, BarWindow& w, const InstrumentData& d,
                                           sim::SimulatedExchange& exchange, system::Kernel& kernel,
                                           core::TestClock& clock, BacktestOutput& out, std::size_t total,
                                           const bool& warming_up, EndWarmUp& end_warm_up, Canceled& canceled) {
  const model::Instrument& instrument = *d.instrument;
  const bool from_span = d.bar_source == nullptr;
  BacktestRun& run = out.run;
  for (std::size_t done = 1, k = 0; k < w.bars.size(); ++done) {
    const model::Bar& bar = w.bars[k];
    if (warming_up && bar.ts_event >= *config.trade_from) end_warm_up(bar.open.as_double());
    BALLAST_TRY(replay_bar(w, k, from_span, instrument, exchange, kernel, clock));
    ++out.bars;
    const UnixNanos step_end = bar.ts_recv;
    const double close = bar.close.as_double();
    ++k;
    // A source's batch is replaced only now that its last bar is done with (`bar` points into it).
    if (k == w.bars.size() && !from_span) [[unlikely]] {
      BALLAST_TRY(w.pull(*d.bar_source, instrument));
      k = 0;
    }
    if (!warming_up) {  // no outputs before trading opens
      if (!(run.benchmark_base > 0.0)) run.benchmark_base = close;
      run.prices.push_back({step_end, close});
      // (after a pull: the new batch's first bar)
      if (k == w.bars.size() || w.bars[k].ts_recv != step_end) {
        run.equity.push_back({step_end, kernel.book().equity().to_double()});
      }
    }
    if (config.progress && !config.progress(done, total)) return canceled(done);
  }
  return core::ok();
}

}  // namespace

std::vector<RoundTrip> round_trips(const model::Instrument& instrument, std::span<const model::Fill> fills) {
  std::vector<RoundTrip> out;
  const double multiplier = instrument.multiplier().to_double();
  double qty = 0.0;  // signed position
  double avg = 0.0;  // average entry of the open trip
  RoundTrip trip;
  double exit_value = 0.0, exit_qty = 0.0;
  const auto open = [&](const model::Fill& f, double signed_qty, double fee) {
    trip = RoundTrip{};
    trip.instrument_id = instrument.id();
    trip.direction = signed_qty > 0 ? model::PositionSide::Long : model::PositionSide::Short;
    trip.entry_time = f.ts_event;
    trip.fees = fee;
    qty = signed_qty;
    avg = f.last_px.as_double();
    trip.quantity = std::abs(qty);
    exit_value = exit_qty = 0.0;
  };
  for (const auto& f : fills) {
    if (f.instrument_id != instrument.id()) continue;
    const double px = f.last_px.as_double();
    const double s = f.side == OrderSide::Buy ? f.last_qty.as_double() : -f.last_qty.as_double();
    const double fee = f.commission.currency() == instrument.settlement_currency() ? f.commission.as_double() : 0.0;
    if (qty == 0.0) {
      open(f, s, fee);
      continue;
    }
    if ((qty > 0) == (s > 0)) {  // adding
      avg = (avg * std::abs(qty) + px * std::abs(s)) / (std::abs(qty) + std::abs(s));
      qty += s;
      trip.fees += fee;
      trip.quantity = std::max(trip.quantity, std::abs(qty));
      continue;
    }
    const double closing = std::min(std::abs(s), std::abs(qty));
    const double direction = qty > 0 ? 1.0 : -1.0;
    trip.pnl += direction * (px - avg) * closing * multiplier;
    const double share = fee * closing / std::abs(s);
    trip.fees += share;
    exit_value += px * closing;
    exit_qty += closing;
    const double after = qty + s;
    const bool flat = std::abs(after) <= 1e-12 * std::max(1.0, std::abs(qty));
    const bool flipped = !flat && (after > 0) != (qty > 0);
    if (flat || flipped) {
      trip.entry_price = avg;
      trip.exit_price = exit_value / exit_qty;
      trip.exit_time = f.ts_event;
      out.push_back(trip);
      qty = 0.0;
      if (flipped) open(f, after, fee - share);
    } else {
      qty = after;
    }
  }
  return out;
}

core::Result<BacktestOutput> run_backtest(const BacktestConfig& config, std::span<const InstrumentData> data) {
  if (data.empty()) return invalid("a backtest needs at least one instrument with bars, trades or books", "data");
  std::vector<const model::Instrument*> instruments;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i].instrument == nullptr) return invalid(fmt::format("data[{}]: no instrument", i), "data");
    const std::string name = data[i].instrument->id().to_string();
    if (data[i].bar_source != nullptr && !data[i].bars.empty()) {
      return invalid(fmt::format("{}: bars given both as a span and as a source", name), "data");
    }
    for (std::size_t k = 0; k < data[i].trades.size(); ++k) {
      const model::TradeTick& t = data[i].trades[k];
      if (t.instrument_id != data[i].instrument->id()) {
        return invalid(fmt::format("{}: trade {} is of {}", name, k, t.instrument_id.to_string()), "trades");
      }
      if (k > 0 && t.ts_event < data[i].trades[k - 1].ts_event) {
        return invalid(fmt::format("{}: trade {} at {} is before the trade before it", name, k,
                                   core::format_iso8601(t.ts_event)),
                       "trades");
      }
    }
    if (data[i].books != nullptr) {
      const data::BookEventSeries& books = *data[i].books;
      if (books.instrument_id != data[i].instrument->id()) {
        return invalid(fmt::format("{}: the book events are of {}", name, books.instrument_id.to_string()), "books");
      }
      for (std::size_t k = 0; k < books.events.size(); ++k) {
        const data::BookEvent& e = books.events[k];
        if (k == 0 && e.kind != data::BookEventKind::Snapshot) {
          return invalid(fmt::format("{}: book event 0 is an update; the book must start with a snapshot", name),
                         "books");
        }
        if (k > 0 && e.ts_event < books.events[k - 1].ts_event) {
          return invalid(fmt::format("{}: book event {} at {} is before the event before it", name, k,
                                     core::format_iso8601(e.ts_event)),
                         "books");
        }
        if (e.first > books.levels.size() || e.count > books.levels.size() - e.first) {
          return invalid(fmt::format("{}: book event {} indexes past the series' levels", name, k), "books");
        }
      }
    }
    instruments.push_back(data[i].instrument);
  }
  // The bars in replay: spans whole, sources a batch at a time (the first batch pulled now).
  std::vector<BarWindow> window(data.size());
  bool has_source = false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    window[i].bars = data[i].bars;
    if (data[i].bar_source != nullptr) {
      has_source = true;
      BALLAST_TRY(window[i].pull(*data[i].bar_source, *data[i].instrument));
    }
    if (window[i].bars.empty() && data[i].trades.empty() && book_events(data[i]) == 0) {
      return invalid(fmt::format("{} has no bars, no trades and no books", data[i].instrument->id().to_string()),
                     "data");
    }
  }

  UnixNanos first = start_of(window[0].bars, data[0]);
  for (std::size_t i = 0; i < data.size(); ++i) first = std::min(first, start_of(window[i].bars, data[i]));
  core::TestClock clock(first);
  runtime::MessageBus bus;

  system::KernelConfig kc;
  kc.account_id = config.account_id;
  kc.settlement_currency = config.settlement_currency;
  kc.starting_balance = config.starting_balance;
  kc.risk = config.risk;
  kc.monitor = config.monitor;
  auto created = system::Kernel::create(kc, instruments, clock, bus, config.sizer ? config.sizer() : nullptr);
  if (!created) return created.error();
  system::Kernel& kernel = **created;

  // One simulated venue per venue name.
  std::map<std::string, std::vector<const model::Instrument*>> venues;
  for (const auto* i : instruments) venues[std::string(i->id().venue_name())].push_back(i);
  std::vector<std::unique_ptr<sim::SimulatedExchange>> exchanges;
  std::vector<std::unique_ptr<sim::SimExecutionClient>> clients;
  std::map<std::string, sim::SimulatedExchange*> exchange_of;
  for (const auto& [venue, listed] : venues) {
    sim::SimulatedExchangeConfig ec;
    ec.venue = core::VenueId(venue);
    ec.account_id = config.account_id;
    ec.bar = config.fills;
    ec.max_volume_participation = config.max_volume_participation;
    ec.maker_fee_rate = config.maker_fee_rate;
    ec.taker_fee_rate = config.taker_fee_rate;
    auto slippage = config.slippage ? config.slippage() : std::make_unique<sim::NoSlippage>();
    std::unique_ptr<sim::LatencyModel> latency =
        config.latency ? config.latency() : std::make_unique<sim::FixedLatency>(sim::FixedLatency::create(core::Duration(0)).value());
    auto exchange = sim::SimulatedExchange::create(ec, listed, std::move(slippage), std::move(latency), kernel);
    if (!exchange) return exchange.error();
    exchanges.push_back(std::make_unique<sim::SimulatedExchange>(std::move(*exchange)));
    clients.push_back(std::make_unique<sim::SimExecutionClient>(*exchanges.back(), clock));
    BALLAST_TRY(kernel.add_execution_client(*clients.back()));
    exchange_of[venue] = exchanges.back().get();
  }
  // The venue of each data set, resolved once (not per event).
  std::vector<sim::SimulatedExchange*> exchange_of_data;
  for (const auto& d : data) exchange_of_data.push_back(exchange_of.at(std::string(d.instrument->id().venue_name())));

  for (const auto& make : config.strategies) {
    auto s = make();
    if (!s) return s.error();
    kernel.add_strategy(std::move(*s));
  }
  Recorder recorder;
  recorder.all = config.record_events;
  kernel.set_order_event_observer(std::ref(recorder));
  kernel.start();

  BacktestOutput out;
  BacktestRun& run = out.run;
  run.label = config.label;
  run.instrument_id = instruments.front()->id();
  run.initial_equity = config.starting_balance.to_double();
  run.periods_per_year = config.periods_per_year;
  // The buy-and-hold base: the first open, else the first trade's price, else (books only) the first mid,
  // set when the replay reaches it; after a warm-up, those of the first event that counts.
  bool warming_up = config.trade_from.has_value();
  const risk::TradingState operator_state = kernel.engine().trading_state();  // restored after the warm-up
  if (warming_up) {
    kernel.monitor().set_operator_trading_state(risk::TradingState::Halted);
  } else if (!window[0].bars.empty()) {
    run.benchmark_base = window[0].bars.front().open.as_double();
  } else if (!data[0].trades.empty()) {
    run.benchmark_base = data[0].trades.front().price.as_double();
  }
  std::int64_t warm_up_denials = 0;

  // The L2 book of each instrument that has book events.
  std::vector<std::unique_ptr<model::OrderBook>> l2(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (book_events(data[i]) > 0) {
      l2[i] = std::make_unique<model::OrderBook>(data[i].instrument->id(), data[i].instrument->tick_size());
    }
  }
  std::vector<std::uint64_t> book_update_id(data.size(), 0);
  model::BookSnapshot snapshot_scratch;

  // Merge by time: the next bar (by start) or trade or book event (by time) of any instrument; at equal times
  // bars first, then trades, then book events, each in instrument order.
  std::vector<std::size_t> next_bar(data.size(), 0);
  std::vector<std::size_t> next_trade(data.size(), 0);
  std::vector<std::size_t> next_book(data.size(), 0);
  // Bars alone (no trades, no books: most backtests) leave the point-event picks below with nothing to look at.
  const bool has_points = std::any_of(data.begin(), data.end(), [](const InstrumentData& d) {
    return !d.trades.empty() || book_events(d) > 0;
  });
  const bool single_series = !has_points && data.size() == 1;
  std::size_t total = 0;  // 0 when a source's length is unknown
  for (const auto& d : data) total += d.bars.size() + d.trades.size() + book_events(d);
  if (has_source) total = 0;
  constexpr std::size_t kReserveLimit = std::size_t{1} << 20;
  run.equity.reserve(has_source ? kReserveLimit : std::min(total, kReserveLimit));
  run.prices.reserve(data[0].bar_source != nullptr
                         ? kReserveLimit
                         : std::min(data[0].bars.size() + data[0].trades.size() + book_events(data[0]), kReserveLimit));
  // The time a step ends at (bar end, trade or book time) of the next event of instrument i, if any.
  const auto next_step_end = [&](std::size_t i) -> std::optional<UnixNanos> {
    std::optional<UnixNanos> t;
    if (next_bar[i] < window[i].bars.size()) t = window[i].bars[next_bar[i]].ts_recv;
    if (next_trade[i] < data[i].trades.size()) {
      const UnixNanos tt = data[i].trades[next_trade[i]].ts_event;
      if (!t || tt < *t) t = tt;
    }
    if (next_book[i] < book_events(data[i])) {
      const UnixNanos tb = data[i].books->events[next_book[i]].ts_event;
      if (!t || tb < *t) t = tb;
    }
    return t;
  };
  // Ends the warm-up at the first event that counts (at or after trade_from). The buy-and-hold base as without
  // a warm-up: the first instrument's next open, else its next trade's price (none: books only).
  const auto end_warm_up = [&](std::optional<double> base) {
    warming_up = false;
    warm_up_denials = kernel.denied_orders();
    kernel.monitor().set_operator_trading_state(operator_state);
    if (base) run.benchmark_base = *base;
  };
  const auto canceled = [&](std::size_t done) {
    kernel.stop();
    return core::Error(core::ErrorCode::InvalidState, fmt::format("canceled after {} of {} events", done, total),
                       "progress");
  };
  if (single_series) {
    BALLAST_TRY(replay_bars(config, window[0], data[0], *exchange_of_data[0], kernel, clock, out, total, warming_up,
                            end_warm_up, canceled));
  } else {
    for (std::size_t done = 0;; ++done) {
      // The next bar: the earliest start (ties in instrument order). The next trade and the next book event:
      // the earliest time (ties in instrument order). Of those two the trade goes first at equal times; that
      // point event goes before the bar when it happens before the bar is complete (its end), and after it at
      // equal times.
      std::size_t pick = data.size();
      UnixNanos bar_start{};
      UnixNanos bar_end{};
      for (std::size_t i = 0; i < data.size(); ++i) {
        if (next_bar[i] >= window[i].bars.size()) continue;
        const model::Bar& b = window[i].bars[next_bar[i]];
        if (pick == data.size() || b.ts_event < bar_start) pick = i, bar_start = b.ts_event, bar_end = b.ts_recv;
      }
      std::size_t trade_pick = data.size();
      UnixNanos trade_at{};
      std::size_t book_pick = data.size();
      UnixNanos book_at{};
      for (std::size_t i = 0; has_points && i < data.size(); ++i) {
        if (next_trade[i] < data[i].trades.size()) {
          const UnixNanos t = data[i].trades[next_trade[i]].ts_event;
          if (trade_pick == data.size() || t < trade_at) trade_pick = i, trade_at = t;
        }
        if (next_book[i] < book_events(data[i])) {
          const UnixNanos t = data[i].books->events[next_book[i]].ts_event;
          if (book_pick == data.size() || t < book_at) book_pick = i, book_at = t;
        }
      }
      if (pick == data.size() && trade_pick == data.size() && book_pick == data.size()) break;  // all replayed
      // The next point event: the trade, unless the book event is earlier (equal times: the trade first). It
      // goes before the bar when it happens before the bar's end.
      const bool book_first = book_pick != data.size() && (trade_pick == data.size() || book_at < trade_at);
      const std::size_t point_pick = book_first ? book_pick : trade_pick;
      const UnixNanos point_at = book_first ? book_at : trade_at;
      const bool is_point = point_pick != data.size() && (pick == data.size() || point_at < bar_end);
      const bool is_trade = is_point && !book_first;
      const bool is_book = is_point && book_first;
      if (is_point) pick = point_pick;
      if (warming_up && (is_point ? point_at : bar_start) >= *config.trade_from) {
        std::optional<double> base;
        if (next_bar[0] < window[0].bars.size()) {
          base = window[0].bars[next_bar[0]].open.as_double();
        } else if (next_trade[0] < data[0].trades.size()) {
          base = data[0].trades[next_trade[0]].price.as_double();
        }
        end_warm_up(base);
      }
      const model::Instrument& instrument = *data[pick].instrument;
      sim::SimulatedExchange& exchange = *exchange_of_data[pick];
      UnixNanos step_end{};
      std::optional<double> close;
      if (is_book) {
        const data::BookEventSeries& series = *data[pick].books;
        const data::BookEvent& event = series.events[next_book[pick]++];
        clock.set_time(std::max(clock.now(), event.ts_event));
        model::OrderBook& book = *l2[pick];
        BALLAST_TRY(apply_book_event(book, series, event, ++book_update_id[pick], snapshot_scratch));
        BALLAST_TRY(exchange.on_book(book, event.ts_event));
        if (auto s = kernel.on_book(book); !s) {
          return s.error().with_context(
              fmt::format("book of {} at {}", instrument.id().to_string(), core::format_iso8601(event.ts_event)));
        }
        step_end = event.ts_event;
        // The price of a book: its mid when the kernel marks at it (two-sided, not crossed or locked).
        const auto bid = book.best_bid_price();
        const auto ask = book.best_ask_price();
        if (bid && ask && *bid < *ask) close = book.mid()->as_double();
        ++out.books;
      } else if (is_trade) {
        const model::TradeTick& trade = data[pick].trades[next_trade[pick]++];
        clock.set_time(std::max(clock.now(), trade.ts_event));
        BALLAST_TRY(exchange.on_trade(trade));
        if (auto s = kernel.on_trade(trade); !s) {
          return s.error().with_context(
              fmt::format("trade of {} at {}", instrument.id().to_string(), core::format_iso8601(trade.ts_event)));
        }
        step_end = trade.ts_event;
        close = trade.price.as_double();
        ++out.trades;
      } else {
        const std::size_t k = next_bar[pick]++;
        const model::Bar& bar = window[pick].bars[k];
        BALLAST_TRY(replay_bar(window[pick], k, data[pick].bar_source == nullptr, instrument, exchange, kernel, clock));
        step_end = bar.ts_recv;
        close = bar.close.as_double();
        ++out.bars;
        // A source's batch is replaced only now that its last bar is done with (`bar` points into it).
        if (next_bar[pick] == window[pick].bars.size() && data[pick].bar_source != nullptr) {
          BALLAST_TRY(window[pick].pull(*data[pick].bar_source, instrument));
          next_bar[pick] = 0;
        }
      }
      if (!warming_up) {  // no outputs before trading opens
        if (pick == 0 && close) {
          // Books only: the base is the first mid that counts.
          if (!(run.benchmark_base > 0.0)) run.benchmark_base = *close;
          run.prices.push_back({step_end, *close});
        }
        // One equity sample per time step: after the last event that ends at this time.
        bool last_of_step = true;
        for (std::size_t i = 0; i < data.size(); ++i) {
          if (next_step_end(i) == step_end) last_of_step = false;
        }
        if (last_of_step) run.equity.push_back({step_end, kernel.book().equity().to_double()});
      }
      if (config.progress && !config.progress(done + 1, total)) return canceled(done + 1);
    }
  }
  kernel.stop();
  if (warming_up) {
    return invalid(fmt::format("trade_from {} is after the last event of the data", core::format_iso8601(*config.trade_from)),
                   "trade_from");
  }

  out.fills = std::move(recorder.fills);
  out.events = std::move(recorder.events);
  out.denied_orders = kernel.denied_orders() - warm_up_denials;
  for (const auto& status : kernel.monitor().breaker_statuses()) out.breaker_trips += status.trips;
  for (const auto* instrument : instruments) {
    auto trips = round_trips(*instrument, out.fills);
    run.trades.insert(run.trades.end(), trips.begin(), trips.end());
  }
  std::sort(run.trades.begin(), run.trades.end(),
            [](const RoundTrip& a, const RoundTrip& b) { return a.exit_time < b.exit_time; });
  // A fill that takes the position toward zero (or through it) is an exit; otherwise an entry.
  double position = 0.0;
  for (const auto& f : out.fills) {
    if (f.instrument_id != run.instrument_id) continue;
    const double signed_qty = f.side == OrderSide::Buy ? f.last_qty.as_double() : -f.last_qty.as_double();
    const bool entry = position == 0.0 || (position > 0) == (signed_qty > 0);
    run.markers.push_back({f.ts_event, f.last_px.as_double(), f.side, entry});
    position += signed_qty;
  }
  run.notes.emplace_back("orders denied by the risk engine", std::to_string(out.denied_orders));
  run.notes.emplace_back("circuit-breaker trips", std::to_string(out.breaker_trips));
  return out;
}

}  // namespace ballast::backtest
