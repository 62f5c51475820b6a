#pragma once
// SimulatedExchange: one simulated venue for one account — the matching engine behind backtests and
// paper trading. It receives order requests, lets them travel for the latency model's delay, and then
// matches the working orders against the market data it is fed (bars or trade ticks), reporting every
// outcome as the model::OrderEvent a real venue client would (OrderAccepted, OrderRejected,
// OrderFilled, OrderCanceled, OrderExpired, OrderUpdated, OrderCancelRejected, OrderModifyRejected)
// through a runtime::ExecutionEventSink.
//
// Semantics (docs/sim.md has the full list):
//  - A request arrives at send time + latency and is handled at the first market-data event at or after
//    its arrival (or advance_to()). On arrival an order is checked like a venue would (known
//    instrument, price on tick, quantity on step and within the instrument's limits, unique client id)
//    and ACCEPTED or REJECTED with the reason.
//  - Bars: fill rules of bar_fill_rules.hpp on the path open → nearer extreme → farther extreme → close.
//    Trade ticks: the same rules on a one-point path at the trade price.
//  - Volume: our fills on one bar (trade) take at most max_volume_participation × its volume, rounded
//    down to the step; orders are served in time priority (arrival; a modify loses priority). What does
//    not fill stays working: a market order's remainder fills on the next bar at its open.
//  - Prices: maker fills at their limit; taker fills at the path price moved by the slippage model.
//  - Fees: the instrument's maker/taker rates (or the configured overrides) on the fill notional, rounded
//    up to the settlement currency's precision (Instrument::commission).
//  - Time in force: IOC fills what it can at its first opportunity and the rest expires; FOK fills
//    completely at its first opportunity or expires without a fill; GTD expires at its expire time
//    (checked before matching each event); GTC works until filled or canceled.
//  - Post-only: an order that would take liquidity at its first opportunity EXPIRES instead of filling
//    (as Binance does with GTX orders).
//  - Reduce-only: at each fill the quantity is cut to what reduces the simulated position; an order that
//    can no longer reduce (flat, or same side) EXPIRES.
//  - L2 books (on_book): taker orders walk the opposite side level by level (the walk is the slippage;
//    no slippage model on top); resting limits join the back of the queue at their level and fill when
//    trades at their price exhaust the size ahead, or in full when the market trades or quotes through
//    them (queue model in docs/sim.md).
//  - Event times: ts_event is the arrival time for acknowledgements and cancels; for fills the bar start
//    when the fill is at the open, otherwise the bar end (ts_recv); a trade's ts_event for tick fills.
// Deterministic: ids are sequential ("SIM-1", …), the only randomness is the latency model's seed.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/commands.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/sim/bar_fill_rules.hpp"
#include "ballast/sim/latency_model.hpp"
#include "ballast/sim/slippage_model.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ballast::sim {

struct SimulatedExchangeConfig {
  core::VenueId venue{};
  core::AccountId account_id{};
  BarFillOptions bar{};
  // Share of each bar's (trade's) volume our orders may take, in (0, 1]; nullopt: no volume limit (the
  // fill size is then limited only by the order — for studies where impact is charged by a model).
  std::optional<core::Decimal> max_volume_participation{core::Decimal::from_int(1)};
  // Fee rates replacing the instruments' own (fractions of notional; negative maker = rebate).
  std::optional<core::Decimal> maker_fee_rate{};
  std::optional<core::Decimal> taker_fee_rate{};
  // Prefix of venue order ids ("<prefix>-O-1") and trade ids ("<prefix>-1"). Paper trading gives each
  // session its own, so ids stay unique in the store across restarts.
  std::string id_prefix{"SIM"};
  // Working orders expected at once: the table of their client order ids is sized for that many at creation
  // (0: it grows as needed; growing rebuilds it in one go, a pause at a hundred thousand orders).
  std::size_t order_capacity{0};
};

// A funding settlement of a perpetual: amount is what the account receives (negative = paid).
// amount = −position × notional-per-unit at the mark × rate: with a positive rate longs pay shorts.
// Linear: −q × mark × multiplier × rate; inverse: −q × multiplier / mark × rate; rounded half-even to
// the settlement currency.
struct FundingPayment {
  core::InstrumentId instrument_id{};
  core::Decimal position{};  // signed, at the funding time
  model::Price mark{};
  core::Decimal rate{};
  model::Money amount{};
  core::UnixNanos ts{};
};

// Market inputs of the square-root impact model, per instrument.
struct ImpactInputs {
  double daily_volatility{0.0};  // σ of daily returns, fraction
  double daily_volume{0.0};      // average daily volume, instrument units
};

class SimulatedExchange {
 public:
  // Instruments must outlive the exchange; their venue must be config.venue.
  static core::Result<SimulatedExchange> create(SimulatedExchangeConfig config,
                                                std::span<const model::Instrument* const> instruments,
                                                std::unique_ptr<SlippageModel> slippage,
                                                std::unique_ptr<LatencyModel> latency,
                                                runtime::ExecutionEventSink& sink);
  SimulatedExchange(SimulatedExchange&&) noexcept;
  SimulatedExchange& operator=(SimulatedExchange&&) noexcept;
  ~SimulatedExchange();

  const SimulatedExchangeConfig& config() const noexcept { return config_; }

  // Requests sent at `now` (the sender's clock). Errors only for requests this venue cannot take at
  // all (another account or venue); everything else is answered by events.
  core::Status submit(const model::SubmitOrder& command, core::UnixNanos now);
  core::Status cancel(const model::CancelOrder& command, core::UnixNanos now);
  core::Status cancel_all(const model::CancelAllOrders& command, core::UnixNanos now);
  core::Status modify(const model::ModifyOrder& command, core::UnixNanos now);

  // Market data, in time order per instrument.
  core::Status on_bar(const core::InstrumentId& instrument_id, const model::Bar& bar);
  core::Status on_trade(const model::TradeTick& trade);
  // L2 mode (see docs/sim.md): taker orders walk the book; resting limits keep a queue position.
  core::Status on_book(const model::OrderBook& book, core::UnixNanos ts);
  void on_quote(const model::QuoteTick& quote);
  void set_impact_inputs(const core::InstrumentId& instrument_id, ImpactInputs inputs);
  // Settles funding for the instrument's position at `mark` (requests arrived by `ts` are handled first).
  // Errors: unknown or non-perpetual instrument, non-positive mark.
  core::Result<FundingPayment> apply_funding(const core::InstrumentId& instrument_id, const core::Decimal& rate,
                                             const model::Price& mark, core::UnixNanos ts);
  // Handles requests that have arrived by `now` and GTD expiries without market data.
  void advance_to(core::UnixNanos now);

  // The venue's view (for reconciliation and tests).
  std::vector<runtime::OrderStatusReport> open_orders(const std::optional<core::InstrumentId>& instrument_id) const;
  std::vector<runtime::PositionStatusReport> positions(core::UnixNanos now) const;
  std::vector<model::Fill> fills_since(core::UnixNanos since) const;
  core::Decimal position(const core::InstrumentId& instrument_id) const;
  // Sets the venue's position (restart of a paper account from the store). NotFound for an unlisted instrument.
  core::Status restore_position(const core::InstrumentId& instrument_id, const core::Decimal& quantity);
  std::size_t pending_requests() const noexcept { return pending_.size(); }

 private:
  struct WorkingOrder;
  struct Pending {
    core::UnixNanos arrival{};
    std::uint64_t sequence{0};
    model::TradingCommand command;
  };
  struct Book;  // per instrument: working orders in priority order, quotes, position, impact inputs

  SimulatedExchange(SimulatedExchangeConfig config, std::unique_ptr<SlippageModel> slippage,
                    std::unique_ptr<LatencyModel> latency, runtime::ExecutionEventSink& sink);

  core::Status enqueue(model::TradingCommand command, core::UnixNanos now);
  void process_pending(core::UnixNanos up_to);
  void handle(const Pending& request);
  void accept(const model::SubmitOrder& command, core::UnixNanos at);
  void cancel_working(std::size_t book, std::size_t index, core::UnixNanos at);
  // Takes the working order at `index` of `book` out of the book and out of working_.
  void remove_working(std::size_t book, std::size_t index);
  // The index in `book` of the working order with this client order id (nullopt: none there).
  std::optional<std::size_t> working_index(std::size_t book, const core::ClientOrderId& id);
  void expire_working(std::size_t book, std::size_t index, core::UnixNanos at);
  void expire_gtd(core::UnixNanos now);
  void match(std::size_t book, const BarPath& path, const model::Quantity& volume, core::UnixNanos ts_open,
             core::UnixNanos ts_close);
  void match_book(std::size_t book, const model::OrderBook& l2, core::UnixNanos ts);
  void match_trade_queue(std::size_t book, const model::TradeTick& trade);
  // Fills `order` (index in its book) for `quantity` at `price`; removes it when done. Returns false when
  // the order is gone afterwards.
  bool book_fill(std::size_t book, std::size_t index, const core::Decimal& quantity, const model::Price& price,
                 model::LiquiditySide liquidity, core::UnixNanos ts);
  core::Result<model::Fill> make_fill(std::size_t book, WorkingOrder& order, const model::Quantity& quantity,
                                      const model::Price& path_price, model::LiquiditySide liquidity,
                                      core::UnixNanos ts, bool apply_slippage = true);
  // The book of an instrument, or nullopt.
  std::optional<std::size_t> book_of(const core::InstrumentId& id) const {
    const std::size_t b = book_index(id);
    return b == kNoBook ? std::nullopt : std::optional<std::size_t>(b);
  }
  // The same as an index, kNoBook when the venue does not list it: for the paths that run on every event (GCC
  // passes a small std::optional through the stack, and reading it back whole stalls). The caller usually
  // passes the id of the venue's own Instrument object: one pointer comparison, inline.
  static constexpr std::size_t kNoBook = static_cast<std::size_t>(-1);
  std::size_t book_index(const core::InstrumentId& id) const {
    const std::size_t n = listed_ids_.size() < 8 ? listed_ids_.size() : 8;  // beyond 8 books: hashing
    for (std::size_t b = 0; b < n; ++b) {
      if (listed_ids_[b] == &id) return b;
    }
    return book_index_by_value(id);
  }
  std::size_t book_index_by_value(const core::InstrumentId& id) const;

  SimulatedExchangeConfig config_;
  std::unique_ptr<SlippageModel> slippage_;
  std::unique_ptr<LatencyModel> latency_;
  runtime::ExecutionEventSink* sink_;
  std::vector<std::unique_ptr<Book>> books_;
  std::vector<const core::InstrumentId*> listed_ids_;  // each book's instrument's own id, for book_of
  std::map<std::string, std::size_t> book_index_;
  // Sorted by (arrival, sequence). A deque: with the market still (no time passing) it can hold hundreds of
  // thousands of orders, and growing a vector of them moved them all at once.
  std::deque<Pending> pending_;
  // Client order id → sequence of every working order, in every book: the duplicate check on arrival and
  // cancel/modify find an order without scanning them all (with 100,000 orders working, the scan made
  // each arrival cost milliseconds).
  std::unordered_map<std::string, std::uint64_t> working_;
  std::vector<model::Fill> fills_;
  std::uint64_t next_sequence_{1};
  std::uint64_t next_order_id_{1};
  std::uint64_t next_trade_id_{1};
};

}  // namespace ballast::sim
