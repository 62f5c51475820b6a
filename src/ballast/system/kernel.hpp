#pragma once
// Kernel: wires the runtime, the portfolio book, the risk engine and monitor, the venue clients and the
// strategies — identically for backtest, paper and live (DESIGN.md §1). Only the clock, the data source
// and the ExecutionClients differ between them.
//
// Order path (DESIGN.md §3): submit() builds the model::Order, asks RiskEngine::submit() — a denial is
// recorded as ORDER_DENIED with its typed reason and returned as an error; an approval (possibly with a
// reduced quantity) marks the order SUBMITTED and hands it to the instrument venue's ExecutionClient. The
// venue answers later through on_order_event() (the kernel is the clients' ExecutionEventSink): the event
// is applied to the cached order, then to the risk monitor (book, breakers), then to the strategy that
// owns the order. Market data goes to the risk monitor (marks, breakers) and then to the strategies.
//
// Breaker actions come back through RiskActionSink: cancels and reduce-only market closes sent through the
// same path under the strategy id "RISK". Such risk-initiated closes are exempt from the trading-state
// check only (a halt stops new risk; it must not stop the risk system from reducing it); every other
// check still applies.
//
// Strategies at run time (a live desk): a strategy may be added under its own id (the StrategyId on its
// orders) with its own position sizer, and stopped and started while the kernel runs. A stopped strategy
// receives no market data and no timers, keeps its position, and still hears the events of its orders
// (a fill of an order sent before the stop still reaches it); stopping cancels its working orders. Each
// strategy's own position is kept from its fills (model::Position; this kernel's fills only — a restart
// starts it flat), next to the account's netted position in the book.
//
// Reconciliation (reconciliation.hpp): reconcile(venue) reads the venue's open orders, fills and positions
// through its client and brings the kernel up to date through the normal event path — known orders get the
// events they missed, unknown venue orders are adopted as external orders (strategy "EXTERNAL", or the
// strategy of an earlier session's order the host names; listed by open_orders() so breakers cancel them), open orders the venue no longer has are closed, fills are applied
// exactly once (by venue trade id), and book positions that differ are set to the venue's. Each correction
// goes to the reconciliation observer. on_disconnected() marks the venue as needing reconciliation;
// reconcile_pending() reconciles the marked venues whose client is connected again (the host calls it on a
// timer). While a venue is marked, submit() refuses every new order for its instruments with InvalidState —
// reduce-only ones included, as their size comes from a book that may be wrong; cancels still go out, and
// so do the risk system's own reduce-only closes (breaker actions), which the venue caps at the position it
// really holds. A fill of an unknown order is applied to the book once (a repeat of its trade id is
// ignored); a fill of an adopted order reaches that order by its venue order id.
//
// Single-threaded: every call on the kernel thread. Client order ids are "O-1", "O-2", … (deterministic;
// the prefix is configurable).

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/commands.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/position.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/emergency_stop.hpp"
#include "ballast/risk/position_sizer.hpp"
#include "ballast/risk/risk_actions.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_monitor.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/runtime/message_bus.hpp"
#include "ballast/strategy/strategy.hpp"
#include "ballast/system/liquidation_check.hpp"
#include "ballast/system/reconciliation.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ballast::system {

struct KernelConfig {
  core::AccountId account_id{};
  model::Currency settlement_currency{model::Currency::USDT()};
  core::Decimal starting_balance{};  // wallet, settlement currency
  risk::RiskConfig risk{};
  risk::RiskMonitorConfig monitor{};
  // Client order ids are "<prefix>-1", "<prefix>-2", … A service that restarts on the same store gives each
  // session its own prefix so ids never repeat.
  std::string order_id_prefix{"O"};
  // How many orders the kernel expects to hold at once (open ones and closed ones not yet forgotten); its
  // per-order tables are sized for that many up front (0: they grow as needed). A hash table that outgrows
  // its size is rebuilt in one go, which holds the kernel thread for tens of milliseconds at a hundred
  // thousand orders; a service taking orders at thousands a second sizes them at start instead.
  std::size_t order_capacity{0};
};

// Every order event the kernel saw, in order (backtest event streams, audit).
using OrderEventObserver = std::function<void(const model::OrderEvent&)>;

class Kernel final : public runtime::ExecutionEventSink, public risk::RiskActionSink {
 public:
  // Instruments must outlive the kernel. `sizer` answers StrategyContext::size_position (nullptr: strategies
  // cannot size; size_position errors).
  static core::Result<std::unique_ptr<Kernel>> create(KernelConfig config,
                                                      std::span<const model::Instrument* const> instruments,
                                                      const core::Clock& clock, runtime::MessageBus& bus,
                                                      std::unique_ptr<risk::PositionSizer> sizer);
  ~Kernel() override;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // The client for every instrument of its venue; it must outlive the kernel. Connects it.
  core::Status add_execution_client(runtime::ExecutionClient& client);
  // Strategies receive market data of every instrument and events of their own orders.
  void add_strategy(std::unique_ptr<strategy::Strategy> strategy);
  // A strategy under `id` (its orders carry it) sized by `sizer` (nullptr: the kernel's sizer), running or
  // stopped from the start. Errors: an empty or already used id (InvalidArgument / AlreadyExists).
  core::Status add_strategy(std::unique_ptr<strategy::Strategy> strategy, core::StrategyId id,
                            std::unique_ptr<risk::PositionSizer> sizer, bool running = true);
  // Resumes market data for a stopped strategy (on_start once the kernel runs). NotFound, InvalidState
  // when it runs already.
  core::Status start_strategy(const core::StrategyId& id);
  // Stops a running strategy: cancels its working orders, then on_stop. NotFound, InvalidState when it is
  // stopped already.
  core::Status stop_strategy(const core::StrategyId& id);
  // The strategy added under `id` (nullptr when none) and whether it runs (false when unknown).
  const strategy::Strategy* strategy(const core::StrategyId& id) const;
  bool strategy_running(const core::StrategyId& id) const;
  // Ids of every strategy, in the order added.
  std::vector<core::StrategyId> strategy_ids() const;
  // The strategy's own position in `instrument` from its fills (nullptr before its first fill there).
  const model::Position* strategy_position(const core::StrategyId& id, const core::InstrumentId& instrument) const;
  // Orders the strategy submitted through this kernel (denied ones included).
  std::size_t strategy_orders(const core::StrategyId& id) const;
  void set_order_event_observer(OrderEventObserver observer) { observer_ = std::move(observer); }

  // Calls on_start of every strategy (once).
  void start();
  void stop();

  // --- Market data ---------------------------------------------------------------------------------
  core::Status on_bar(const core::InstrumentId& instrument_id, const model::Bar& bar);
  core::Status on_trade(const model::TradeTick& trade);
  core::Status on_quote(const model::QuoteTick& quote);
  // An L2 book of an instrument after a change. With both sides quoted (and not crossed) its top is the
  // quote: the mark moves to the mid, as for a quote tick; a one-sided or crossed book leaves the mark
  // where it was. Then the strategies' on_book.
  core::Status on_book(const model::OrderBook& book);
  // The clock moved without data (timers, day roll, cool-downs). Inline: it follows every market event, and
  // mostly finds nothing to do.
  void on_time() {
    monitor_->on_time();
    if (timers_ > 0) fire_due_timers();
  }

  // --- Orders ----------------------------------------------------------------------------------------
  // The spec's client_order_id and account are filled in by the kernel. Denied: PermissionDenied with
  // the decision's message (the reason code first).
  core::Result<core::ClientOrderId> submit(model::OrderSpec spec);
  core::Status cancel(const core::ClientOrderId& id);
  core::Status cancel_all(const std::optional<core::InstrumentId>& instrument, const core::StrategyId& strategy_id);

  // --- ExecutionEventSink ------------------------------------------------------------------------------
  void on_order_event(const model::OrderEvent& event) override;
  void on_disconnected(const core::VenueId& venue, const core::Error& reason) override;

  // --- RiskActionSink ----------------------------------------------------------------------------------
  risk::ActionResult cancel_orders(const std::optional<core::InstrumentId>& instrument, std::string_view reason,
                                   core::UnixNanos now) override;
  risk::ActionResult close_position(const core::InstrumentId& instrument, std::string_view reason,
                                    core::UnixNanos now) override;
  risk::ActionResult flatten_all(std::string_view reason, core::UnixNanos now) override;

  // --- Emergency stop (the kill switch of every venue client added; see risk/emergency_stop.hpp) -------
  core::Result<risk::EmergencyStopped> engage_emergency_stop(const risk::EmergencyStopRequest& request);
  core::Status reset_emergency_stop(std::string_view operator_name, std::string_view reason);
  const risk::EmergencyStopState& emergency_stop_state() const noexcept { return emergency_->state(); }
  // Re-applies a persisted engagement (restart) without calling any venue.
  void restore_emergency_stop(const risk::EmergencyStopState& state) { emergency_->restore(state); }

  // --- Restart (before start(): a service restoring its account from the store) ------------------------------
  // Sets the position the account holds in `instrument` (signed) at its average entry price.
  core::Status restore_position(const core::InstrumentId& instrument, const core::Decimal& quantity,
                                const core::Decimal& avg_entry);
  void restore_wallet_balance(const core::Decimal& balance);

  // --- Reconciliation (reconciliation.hpp; implemented in reconciliation.cpp) ---------------------------
  // Reconciles `venue` with what its client reports. Errors: no client for the venue (NotFound); a query
  // error (with context) — nothing was changed and the venue stays marked. Success clears the mark.
  core::Result<ReconciliationReport> reconcile(const core::VenueId& venue, const ReconcileInputs& inputs);
  // Reconciles every marked venue whose client is_connected(); the reports of those reconciled. Error: the
  // first venue that failed (the others were still attempted; every failed venue stays marked).
  core::Result<std::vector<ReconciliationReport>> reconcile_pending(const ReconcileInputs& inputs);
  // Venues whose state is not trusted (marked by on_disconnected or mark_needs_reconciliation), by name.
  std::vector<core::VenueId> venues_needing_reconciliation() const;
  bool needs_reconciliation(const core::VenueId& venue) const;
  // A host that must not trade before its first reconciliation (start-up) marks the venue itself.
  void mark_needs_reconciliation(const core::VenueId& venue);
  void set_reconciliation_observer(ReconciliationObserver observer) { reconciliation_observer_ = std::move(observer); }

  // --- Liquidation prices (liquidation_check.hpp; implemented in liquidation_check.cpp) -------------------
  // Reads the venue's positions through its client (blocking) and compares each venue liquidation price
  // with our margin manager's for the book's position. Errors: no client for the venue (NotFound), a
  // query error. Changes nothing.
  core::Result<std::vector<LiquidationComparison>> check_liquidation_prices(const core::VenueId& venue,
                                                                            const core::Decimal& tolerance_bps) const;

  // --- State -------------------------------------------------------------------------------------------
  const portfolio::PortfolioBook& book() const noexcept { return *book_; }
  risk::RiskEngine& engine() noexcept { return *engine_; }
  const risk::RiskEngine& engine() const noexcept { return *engine_; }
  risk::RiskMonitor& monitor() noexcept { return *monitor_; }
  const model::Order* order(const core::ClientOrderId& id) const;
  std::vector<const model::Order*> open_orders() const;
  // Forgets the closed orders whose last event is before `before`, so that a long-running service does not
  // hold every order it ever sent (the store keeps them); returns how many. A forgotten order is unknown
  // afterwards: order() returns nullptr and a late event for it takes the path of an order the kernel does
  // not know (a fill reaches the book once per trade id from then on). Call it with a horizon older than any
  // fill a venue may still deliver or reconciliation replay for those orders (the host's fill window).
  std::size_t forget_closed_orders(core::UnixNanos before);
  std::int64_t denied_orders() const noexcept { return denied_; }
  // The decision behind the most recent denial (the API answers a denial with its typed reason and numbers).
  const risk::RiskDecision& last_denial() const noexcept { return last_denial_; }
  const core::Clock& clock() const noexcept { return *clock_; }
  // The bus the kernel publishes on (a service registers its own endpoints there, e.g. the paper market's).
  runtime::MessageBus& bus() noexcept { return *bus_; }
  const KernelConfig& config() const noexcept { return config_; }

 private:
  class StrategyContextImpl;
  struct StrategySlot {
    std::unique_ptr<strategy::Strategy> strategy;
    std::unique_ptr<StrategyContextImpl> context;
    core::StrategyId id;
    std::unique_ptr<risk::PositionSizer> sizer;  // nullptr: the kernel's
    bool running{true};
    std::vector<model::Position> positions;     // from the strategy's own fills, one per instrument
  };

  Kernel(KernelConfig config, const core::Clock& clock, runtime::MessageBus& bus,
         std::unique_ptr<risk::PositionSizer> sizer);
  runtime::ExecutionClient* client_for(const core::InstrumentId& instrument) const;
  // Fires the running strategies' timers due by now (on_time() calls it only when some are set).
  void fire_due_timers();
  void fire_timers(StrategySlot& slot);
  core::Result<core::ClientOrderId> submit_internal(model::OrderSpec spec, bool risk_initiated);
  void deny(const model::Order& order, const risk::RiskDecision& decision);
  // Takes `order` into orders_ under `id`, and into forget_queue_ from `now`: every order goes through here.
  model::Order& hold(const std::string& id, model::Order order, core::UnixNanos now);
  core::Result<model::Quantity> size_for(const strategy::SizingRequest& request) const;
  core::Result<model::Quantity> size_for(const strategy::SizingRequest& request, const risk::PositionSizer* sizer) const;
  StrategySlot* owner_of(const core::StrategyId& id);
  const StrategySlot* owner_of(const core::StrategyId& id) const;
  void track_strategy_fill(StrategySlot& slot, const model::Fill& fill);
  // Reconciliation support (reconciliation.cpp).
  class ReconcileRun;
  core::Status check_reconciled(const core::InstrumentId& instrument) const;
  // An event for an order not in the cache: routed to an adopted order by venue order id, else a fill is
  // applied to the book once (by trade id) and the observer hears the event.
  void on_unknown_order_event(const model::OrderEvent& event);
  // A fill its order refused, when the order was closed by reconciliation or is an adopted (EXTERNAL) one:
  // the venue traded, so the book takes it (once per trade id).
  void on_refused_fill(const model::OrderEvent& event, const model::Order& order);
  // Applies a fill without an order to the book (once per venue trade id); false when it was applied before.
  bool apply_external_fill(const model::OrderFilled& event);

  KernelConfig config_;
  const core::Clock* clock_;
  runtime::MessageBus* bus_;
  std::unique_ptr<risk::PositionSizer> sizer_;
  std::vector<const model::Instrument*> instruments_;
  std::unique_ptr<portfolio::PortfolioBook> book_;
  std::unique_ptr<risk::RiskEngine> engine_;
  std::unique_ptr<risk::EmergencyStop> emergency_;
  std::unique_ptr<risk::RiskMonitor> monitor_;
  std::map<std::string, runtime::ExecutionClient*, std::less<>> clients_;  // by venue name (found by a view)
  std::vector<StrategySlot> strategies_;
  std::unordered_map<std::string, std::unique_ptr<model::Order>> orders_;
  // forget_closed_orders' work list: (when the order is next worth looking at, id), every order entered once
  // when it is created, in time order apart from re-entries.
  std::deque<std::pair<core::UnixNanos, std::string>> forget_queue_;
  // The open orders' client ids in submission order (iteration is deterministic). Removing one is
  // O(log n), not a scan of every open order: thousands may rest while fills close others.
  class OpenOrderIds {
   public:
    void add(const std::string& id) {
      if (seq_.emplace(id, next_).second) by_seq_.emplace(next_++, id);
    }
    void remove(const std::string& id) {
      const auto it = seq_.find(id);
      if (it == seq_.end()) return;
      by_seq_.erase(it->second);
      seq_.erase(it);
    }
    bool contains(const std::string& id) const { return seq_.contains(id); }
    void reserve(std::size_t n) { seq_.reserve(n); }
    // A copy, for loops that may close orders while they run.
    std::vector<std::string> ids() const {
      std::vector<std::string> out;
      out.reserve(by_seq_.size());
      for (const auto& [seq, id] : by_seq_) out.push_back(id);
      return out;
    }
    const std::map<std::uint64_t, std::string>& in_order() const noexcept { return by_seq_; }

   private:
    std::map<std::uint64_t, std::string> by_seq_;
    std::unordered_map<std::string, std::uint64_t> seq_;
    std::uint64_t next_{0};
  };
  OpenOrderIds open_order_ids_;
  std::unordered_map<std::string, std::size_t> submitted_by_strategy_;  // strategy id → orders submitted
  OrderEventObserver observer_{};
  std::uint64_t next_order_{1};
  std::size_t timers_{0};  // the strategies' timers set and not yet fired for good (one-shot fired, or none)
  std::int64_t denied_{0};
  risk::RiskDecision last_denial_{};
  bool started_{false};
  // Reconciliation state.
  std::set<std::string, std::less<>> unreconciled_venues_;
  std::unordered_set<std::string> external_trade_ids_;  // "<instrument>|<trade id>" of fills without a known order
  std::unordered_map<std::string, std::string> adopted_by_venue_order_;  // "<instrument>|<venue order id>" → client id
  std::unordered_set<std::string> adopted_orders_;                       // client ids (external or restored)
  std::unordered_set<std::string> closed_by_reconciliation_;             // client ids
  ReconciliationObserver reconciliation_observer_{};
};

}  // namespace ballast::system
