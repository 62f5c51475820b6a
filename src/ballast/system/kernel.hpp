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
// Single-threaded: every call on the kernel thread. Client order ids are "O-1", "O-2", … (deterministic;
// the prefix is configurable).

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/commands.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/market_data.hpp"
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

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
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
  // The clock moved without data (timers, day roll, cool-downs).
  void on_time();

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

  // --- State -------------------------------------------------------------------------------------------
  const portfolio::PortfolioBook& book() const noexcept { return *book_; }
  risk::RiskEngine& engine() noexcept { return *engine_; }
  const risk::RiskEngine& engine() const noexcept { return *engine_; }
  risk::RiskMonitor& monitor() noexcept { return *monitor_; }
  const model::Order* order(const core::ClientOrderId& id) const;
  std::vector<const model::Order*> open_orders() const;
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
  core::Result<core::ClientOrderId> submit_internal(model::OrderSpec spec, bool risk_initiated);
  void deny(const model::Order& order, const risk::RiskDecision& decision);
  core::Result<model::Quantity> size_for(const strategy::SizingRequest& request) const;
  core::Result<model::Quantity> size_for(const strategy::SizingRequest& request, const risk::PositionSizer* sizer) const;
  StrategySlot* owner_of(const core::StrategyId& id);
  const StrategySlot* owner_of(const core::StrategyId& id) const;
  void track_strategy_fill(StrategySlot& slot, const model::Fill& fill);

  KernelConfig config_;
  const core::Clock* clock_;
  runtime::MessageBus* bus_;
  std::unique_ptr<risk::PositionSizer> sizer_;
  std::vector<const model::Instrument*> instruments_;
  std::unique_ptr<portfolio::PortfolioBook> book_;
  std::unique_ptr<risk::RiskEngine> engine_;
  std::unique_ptr<risk::EmergencyStop> emergency_;
  std::unique_ptr<risk::RiskMonitor> monitor_;
  std::map<std::string, runtime::ExecutionClient*> clients_;  // by venue name
  std::vector<StrategySlot> strategies_;
  std::unordered_map<std::string, std::unique_ptr<model::Order>> orders_;
  std::vector<std::string> open_order_ids_;  // submission order, for deterministic iteration
  OrderEventObserver observer_{};
  std::uint64_t next_order_{1};
  std::int64_t denied_{0};
  risk::RiskDecision last_denial_{};
  bool started_{false};
};

}  // namespace ballast::system
