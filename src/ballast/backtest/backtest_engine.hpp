#pragma once
// BacktestEngine: replays bars, trade ticks and L2 books of one or many instruments in time order through
// the same Kernel that paper and live trading use — the real RiskEngine, RiskMonitor and circuit breakers,
// and a SimulatedExchange per venue behind SimExecutionClient (DESIGN.md §1). A breaker that trips in a
// backtest acts as it would live.
//
// Sequencing of one bar (no look-ahead): the clock is set to the bar's start and the simulated venue
// matches the working orders on the bar (fills come back to the kernel); then the clock is set to the
// bar's end, the kernel marks the book at the close, the risk monitor evaluates the breakers, and the
// strategies see the completed bar — orders they send then can only trade on later bars. Bars of
// several instruments with the same start are processed in the order the instruments were given.
//
// Deterministic: the same inputs, configuration and seeds give the same event stream, bit for bit.
//
// Outputs: the equity curve (book equity after each time step: bar end, trade or book time), the first
// instrument's closes (a book event's close is its mid when two-sided and uncrossed), the base of its
// buy-and-hold benchmark (the first open, or the first trade's price, or the first mid of its books;
// benchmark_curve() derives starting balance × close / base from the closes — not stored per event), fills, closed round trips (a position from
// flat back to flat; a flip closes one trip and opens the next, the flipping fill's fee split pro rata),
// trade markers, and every order event when asked.

#include "ballast/backtest/backtest_report.hpp"
#include "ballast/core/result.hpp"
#include "ballast/data/book_csv.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/risk/position_sizer.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/risk/risk_monitor.hpp"
#include "ballast/sim/latency_model.hpp"
#include "ballast/sim/simulated_exchange.hpp"
#include "ballast/sim/slippage_model.hpp"
#include "ballast/strategy/strategy.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::backtest {

// A pull cursor over one instrument's bars, in time order.
class BarSource {
 public:
  virtual ~BarSource() = default;
  // The next bars (at least one), or an empty span at the end. The span stays valid until the next call.
  virtual core::Result<std::span<const model::Bar>> next_batch() = 0;
};

// Market data of one instrument: bars, trade ticks, or both (each ordered by ts_event). Trade ticks replay
// tick by tick: at each trade the clock is set to its time, the simulated venue matches the working orders
// on it (docs/sim.md: the bar rules on a one-point path at the trade price, limited by its size), then the
// kernel marks the book at the trade price, the monitor evaluates, and strategies see it (on_trade) —
// orders they send then trade on later ticks. Bars of all instruments are merged by start (ties in the order
// the instruments were given); a trade goes before the next bar when it happens before that bar is complete
// (its end, ts_recv), otherwise after it (at equal times the bar first). An instrument given both bars and
// trades sees both: give one kind per instrument unless that is what you mean.
//
// L2 books (`books`, e.g. from data::read_book_csv) replay event by event like trades: at each book event
// the clock is set to its ts_event, the event is applied to the instrument's model::OrderBook (a snapshot
// replaces it, an update changes its levels), the simulated venue matches the working orders against the
// book (taker orders walk the levels, resting limits keep a queue position; docs/sim.md), then the kernel
// marks the position at the mid when the book is two-sided and uncrossed, the monitor evaluates and
// strategies see the book (on_book). A book event goes before the next bar when it happens before that
// bar's end (equal times: the bar first). A trade and a book event at the same time: the trade first — a
// book recorded at the trade's time usually already shows the size it took, so matching the trade against
// the queue first and shrinking the queue to the book after never counts that size twice. Events of one
// kind at the same time go in instrument order. Give books with trades of the same instrument for queue
// fills at the touch; with books alone a resting limit fills only when the book quotes through it.
//
// Bars that are not all in memory (a file streamed by data::BarCsvStream) come through `bar_source`
// instead of `bars`: the engine pulls a batch whenever it has replayed the one before, so a backtest holds
// one batch per instrument. Their order is checked as they arrive (the same error as for a span, naming
// the instrument, the bar's index and its time). A source is read once: give a fresh one to every run.
struct InstrumentData {
  const model::Instrument* instrument{nullptr};
  std::span<const model::Bar> bars{};           // ordered by ts_event
  std::span<const model::TradeTick> trades{};   // ordered by ts_event (equal times keep their order)
  BarSource* bar_source{nullptr};               // instead of `bars` (both given: an error)
  const data::BookEventSeries* books{nullptr};  // L2 book events (first a snapshot), ordered by ts_event
};

struct BacktestConfig {
  std::string label{"backtest"};
  core::AccountId account_id{core::AccountId("BACKTEST")};
  model::Currency settlement_currency{model::Currency::USDT()};
  core::Decimal starting_balance{core::Decimal::from_int(100000)};
  risk::RiskConfig risk{};
  risk::RiskMonitorConfig monitor{};
  sim::BarFillOptions fills{};
  core::Decimal max_volume_participation{core::Decimal::from_int(1)};
  std::optional<core::Decimal> maker_fee_rate{};
  std::optional<core::Decimal> taker_fee_rate{};
  std::function<std::unique_ptr<sim::SlippageModel>()> slippage{};  // default: none
  std::function<std::unique_ptr<sim::LatencyModel>()> latency{};    // default: zero
  std::function<std::unique_ptr<risk::PositionSizer>()> sizer{};    // what strategies size with
  // Each call makes a fresh strategy (the optimiser runs many backtests at once).
  std::vector<std::function<core::Result<std::unique_ptr<strategy::Strategy>>()>> strategies{};
  double periods_per_year{365.0};
  // Warm-up: events that start before this time (a bar's start, a trade's or book event's time) reach the
  // strategies, the venue and the monitor as usual, but trading is HALTED (the operator trading state), so
  // every order a strategy decides on them is denied by the risk gate and nothing trades. Trading opens
  // before the first event at or after it. The outputs start there: equity samples, closes and the
  // buy-and-hold base; denied_orders leaves out the warm-up's denials (record_events still lists them).
  // Indicators are then warm on the first bar that counts, as on a live desk started with history.
  // Errors: no event at or after it (InvalidArgument).
  std::optional<core::UnixNanos> trade_from{};
  bool record_events{false};
  // Called after every event with (events processed, total events of all instruments; 0 when a bar source's
  // length is not known up front), on the thread running the backtest. Returning false stops the run at once:
  // run_backtest then fails with InvalidState ("canceled").
  std::function<bool(std::size_t done, std::size_t total)> progress{};
};

struct BacktestOutput {
  BacktestRun run{};
  std::vector<model::Fill> fills{};
  std::vector<model::OrderEvent> events{};  // when record_events
  std::int64_t denied_orders{0};
  std::int64_t breaker_trips{0};
  std::size_t bars{0};
  std::size_t trades{0};  // trade ticks replayed
  std::size_t books{0};   // book events replayed (a snapshot or a batch of updates each)
};

// Errors: no data, a bar, trade or book series out of order, an instrument without bars, trades or books, a
// trade or book series of another instrument, a book starting with an update, a book event the OrderBook
// refuses (a price off the tick grid, a price twice in a snapshot: "source:line" of the event), a bar source
// failing (its error, e.g. "file:line"), a strategy factory failing, anything the kernel refuses at creation
// (risk configuration).
core::Result<BacktestOutput> run_backtest(const BacktestConfig& config, std::span<const InstrumentData> data);

// Round trips of one instrument's fills, in order (exposed for tests).
std::vector<RoundTrip> round_trips(const model::Instrument& instrument, std::span<const model::Fill> fills);

}  // namespace ballast::backtest
