#pragma once
// RiskMonitor: the account's live risk loop. It consumes market data (mark prices, trade ticks, bars,
// quotes), order events and fills; it is the one component that mutates the PortfolioBook (marks, fills,
// working orders) and feeds the RiskEngine (refresh_exposure, record_trade_result, on_time, the trading
// state); on every update it re-measures the circuit breakers concerned, executes the actions of those
// that trip (through RiskActionSink and the engine's trading state) and publishes the risk events of
// risk_events.hpp on the MessageBus, with alerts filtered by its AlertManager.
//
// Incremental by design (docs/risk/monitor.md): a mark of one instrument costs O(breakers of that
// instrument + account-wide breakers), independent of the number of positions:
//  - equity, exposures and margins come from the book's O(1) aggregates;
//  - the cross maintenance margin is kept as a running sum (each slot's maintenance margin from its
//    instrument's tier, replaced when the slot changes), so the cross margin ratio (maintenance margin /
//    cross margin balance, rounded up to 8 places as MarginManager does) is O(1) per update;
//  - MarginManager (a full snapshot) runs only for isolated positions, at most every
//    full_margin_check_interval, and only while some isolated position is open;
//  - quiet marks are not measured (RiskMonitorConfig::defer_quiet_marks): a mark after which every
//    measure it drives is certain to leave every state as it is — breakers ARMED and clearly not met or
//    TRIPPED and clearly still met, no new equity or best-P&L peak, every limit watch at its level, no margin
//    call possible — only sets the mark, the engine's exposure and the slot's maintenance margin. The
//    measurements it skipped are taken (settle()) before anything else reaches the monitor or the book
//    and before any of them is read, at that mark's time, so every event, status and figure is the one a
//    monitor measuring every mark gives (tests/risk/risk_monitor_deferral_test.cpp runs both side by side).
// Edge-triggered events: MarginCallWarning, RiskLimitReached and PortfolioRiskHigh are published when the
// measure crosses the bound, not on every tick; they re-arm when it falls back (the margin call below
// margin_call_ratio − margin_call_rearm_margin, the limits below their warning level / limit).
//
// Trading state: the monitor owns the engine's trading state from its creation. The state is the most
// restrictive of the operator's state (set_operator_trading_state), the states held by tripped breakers
// (REDUCE_ONLY → REDUCING; HALT and FLATTEN_ALL → HALTED; released when the breaker re-arms or is reset)
// and HALTED while the emergency stop is engaged. Cool-down blocks go to block_new_exposure_until.
//
// Time is the clock's now() at each call (the kernel's clock: TestClock in backtests). Fees of fills are
// taken when charged in the settlement currency; fees in other assets are not converted (counted as 0).
// Breakers are taken from the engine's RiskConfig at creation and replaced at run time by
// reconfigure_breakers(), which also writes the new list into the engine's RiskConfig: the engine's
// circuit_breakers is the one list of definitions, the monitor keeps the instances built from it.
// Disabled breakers (enabled = false) have instances (listed in breaker_statuses()) that never trip.
// Single-threaded, like the kernel.

#include "ballast/core/clock.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/alert_manager.hpp"
#include "ballast/risk/breaker_conditions.hpp"
#include "ballast/risk/circuit_breaker.hpp"
#include "ballast/risk/emergency_stop.hpp"
#include "ballast/risk/risk_actions.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_events.hpp"
#include "ballast/runtime/message_bus.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ballast::risk {

struct RiskMonitorConfig {
  AlertConfig alerts{};
  // PerformanceUpdated cadence (zero: on every update).
  core::Duration performance_interval{std::chrono::seconds(1)};
  // MarginManager check of isolated positions (only while one is open).
  core::Duration full_margin_check_interval{std::chrono::seconds(10)};
  // After a margin call, the warning re-arms once the ratio is below margin_call_ratio − this.
  core::Decimal margin_call_rearm_margin{core::Decimal::from_raw(5, 2)};
  // How often AlertManager::flush (dedup summaries) runs at most.
  core::Duration alert_flush_interval{std::chrono::seconds(1)};
  // Leave quiet marks unmeasured until something else happens (see above). false: measure every mark.
  bool defer_quiet_marks{true};
};

class RiskMonitor {
 public:
  // The book, engine, bus, sink, clock and emergency stop (optional) must outlive the monitor. Errors:
  // a breaker names an instrument the book does not hold (NotFound); a bad config value (InvalidArgument).
  static core::Result<std::unique_ptr<RiskMonitor>> create(RiskMonitorConfig config, portfolio::PortfolioBook& book,
                                                           RiskEngine& engine, runtime::MessageBus& bus,
                                                           RiskActionSink& actions, const core::Clock& clock,
                                                           EmergencyStop* emergency_stop = nullptr);
  ~RiskMonitor();
  RiskMonitor(const RiskMonitor&) = delete;
  RiskMonitor& operator=(const RiskMonitor&) = delete;

  // --- Market data (each sets the instrument's mark; errors: unknown instrument, a mark the book refuses).
  // Inline down to the quiet range (a backtest's marks mostly end there); the rest is out of line.
  core::Status on_mark_price(portfolio::SlotIndex slot, const model::Price& mark) {
    return apply_mark(slot, mark, clock_->now());
  }
  core::Status on_mark_price(const core::InstrumentId& instrument, const model::Price& mark) {
    const portfolio::SlotIndex slot = book_->slot_index(instrument);
    if (slot == portfolio::PortfolioBook::kNoSlot) [[unlikely]] return unknown_instrument(instrument);
    return apply_mark(slot, mark, clock_->now());
  }
  core::Status on_trade_tick(const model::TradeTick& tick) { return on_mark_price(tick.instrument_id, tick.price); }
  core::Status on_bar(const core::InstrumentId& instrument, const model::Bar& bar) {  // the close
    return on_mark_price(instrument, bar.close);
  }
  // Sets the top of book and the mark to the mid ((bid + ask) / 2, exact).
  core::Status on_quote_tick(const model::QuoteTick& quote);

  // --- Orders and fills. `order` is the order after the event was applied (the kernel's cache).
  // Tracks working orders in the book (added on ACCEPTED at the limit or trigger price, reduced by fills,
  // removed on CANCELED/EXPIRED/REJECTED, replaced on UPDATED), applies OrderFilled fills to the book,
  // counts SUBMITTED and REJECTED for the reject rate, and forwards the event to the emergency stop.
  core::Status on_order_event(const model::OrderEvent& event, const model::Order& order);
  // A fill without its order (reconciliation); on_order_event() calls it for OrderFilled.
  core::Status on_fill(const model::Fill& fill);
  // Sizes the table of working orders for `n` up front (KernelConfig::order_capacity).
  void reserve_orders(std::size_t n) { tracked_.reserve(n); }

  // The clock advanced: day roll, engine windows, trading hours, cool-downs, alert summaries. Inline for the
  // tick that follows a mark at the same time (the kernel's after every bar), which finds nothing to do.
  void on_time() {
    const core::UnixNanos now = clock_->now();
    if (started_ && now <= last_time_ && account_evaluated_at_ == now &&
        account_evaluated_version_ == book_->version() && pending_.empty()) {
      return;
    }
    on_time_at(now);
  }
  // Takes the measurements quiet marks deferred (nothing when there are none). Every input and read of the
  // monitor does this itself; whoever changes the book without the monitor (a restored position or wallet,
  // reconciliation) calls it first.
  void settle();

  // --- Operators
  // Re-arms the breaker `name` (every instance, or the one measuring `instrument`). InvalidArgument
  // without an operator or a reason; NotFound when no breaker has that name.
  core::Status reset_breaker(std::string_view name, const std::optional<core::InstrumentId>& instrument,
                             std::string_view operator_name, std::string_view reason);
  // The state the operator wants when no breaker or emergency stop holds a stricter one.
  void set_operator_trading_state(TradingState state);
  // Replaces every circuit breaker (the whole list, as in RiskConfig::circuit_breakers) while running.
  // Every breaker is checked first (collect_breaker_errors, unique names, instruments the book holds) and
  // all problems come back in one InvalidArgument; then nothing has changed. Otherwise the engine's
  // RiskConfig takes the list and the instances are rebuilt:
  //  - an instance whose breaker keeps its name AND its whole config keeps its whole state (state,
  //    cool-down, meter history, hold on the trading state, trip count);
  //  - a changed or removed breaker releases its hold (the trading state is recomputed; a cool-down block
  //    already handed to the engine runs out on its own); a changed or new breaker starts ARMED with
  //    fresh meters (RAPID_MOVE and VOLATILITY_SPIKE seeded with the current mark, ACCOUNT_DRAWDOWN
  //    peaking at the current equity), so its new threshold applies from the next update.
  // No breaker event is published: the caller records the change (the API audits it).
  core::Status reconfigure_breakers(std::vector<CircuitBreakerConfig> breakers);

  // --- Introspection (the first three settle() first)
  std::vector<BreakerStatus> breaker_statuses();
  PerformanceUpdated performance();
  // The cross margin ratio at the last evaluation (nullopt before the first, or when unbounded).
  std::optional<core::Decimal> margin_ratio();
  std::size_t breaker_instances() const noexcept { return instances_.size(); }
  const AlertManager& alerts() const noexcept { return alerts_; }
  const core::Decimal& cross_maintenance_margin() {
    sync_margin();
    return mm_total_;
  }
  const core::Decimal& peak_equity() const noexcept { return peak_equity_; }
  // Marks left unmeasured as quiet (defer_quiet_marks), since creation.
  std::uint64_t quiet_marks() const noexcept { return quiet_marks_; }
  // Of those, the marks found quiet by the slot's quiet range alone (range_mark), since creation.
  std::uint64_t range_quiet_marks() const noexcept { return range_quiet_marks_; }
  // Of those, the marks that set a new best P&L of their position and moved its drawdown meters only
  // (range_mark: RangeMark::NewBest), since creation.
  std::uint64_t new_best_marks() const noexcept { return new_best_marks_; }

 private:
  using Meter = std::variant<std::monostate, AccountDrawdownMeter, PositionDrawdownMeter, LossStreakMeter,
                             RejectRateMeter, VolatilitySpikeMeter, RapidMoveMeter>;
  struct Instance {
    CircuitBreaker breaker;
    std::optional<portfolio::SlotIndex> slot;  // the instrument it measures, for per-instrument breakers
    Meter meter;
    std::optional<TradingState> hold{};
    bool active{false};  // in active_ (not ARMED)
  };
  struct Tracked {
    portfolio::SlotIndex slot{0};
    model::OrderSide side{model::OrderSide::Buy};
    model::Price price{};
    core::Decimal leaves{};
  };
  struct TradeState {
    bool open{false};
    core::Decimal pnl{};
    core::Decimal peak_quantity{};
    std::int32_t fills{0};
    core::UnixNanos ts_opened{};
  };
  enum class Level { Below, Near, Reached };
  struct LimitWatch {
    RiskCheck check{RiskCheck::MaxGrossExposure};
    Level level{Level::Below};
    // The warning level (limit × warning_utilisation) for the limit and utilisation it was computed from.
    core::Decimal limit{};
    core::Decimal utilisation{};
    core::Decimal near{};
  };

  RiskMonitor(RiskMonitorConfig config, portfolio::PortfolioBook& book, RiskEngine& engine, runtime::MessageBus& bus,
              RiskActionSink& actions, const core::Clock& clock, EmergencyStop* emergency_stop);
  core::Status build_instances();
  // Builds the instances of `configs`, carrying over the state of the current instances whose config is
  // unchanged (see reconfigure_breakers), and rebuilds every index.
  void rebuild_breakers(std::vector<CircuitBreakerConfig> configs);
  Meter fresh_meter(const CircuitBreakerConfig& config, std::optional<portfolio::SlotIndex> slot) const;
  void index_instance(std::uint32_t index);

  // Updates.
  void on_time_at(core::UnixNanos now);
  // Where a mark falls by the quiet range (range_mark): quiet, a new best P&L of the slot's position that
  // changes nothing but its drawdown meters, or neither.
  enum class RangeMark : std::uint8_t { Outside, Quiet, NewBest };
  void advance_time(core::UnixNanos now);
  // A mark inside the slot's quiet range is recorded here (what the full path does for a quiet mark, with
  // nothing due in advance_time(); the slot's maintenance margin is formed when next read: sync_margin);
  // any other goes to measure_mark().
  core::Status apply_mark(portfolio::SlotIndex slot, const model::Price& mark, core::UnixNanos now) {
    const RangeMark in_range = slot < book_->size() ? range_mark(slot, mark, now) : RangeMark::Outside;
    if (in_range != RangeMark::Quiet) return measure_mark(slot, mark, now, in_range);
    BALLAST_TRY(record_ranged_mark(slot, mark, now));
    quiet_range_.book_version = book_->version();
    return core::ok();
  }
  // Sets a mark inside the slot's range (quiet or a new best) and records it as deferred.
  core::Status record_ranged_mark(portfolio::SlotIndex slot, const model::Price& mark, core::UnixNanos now) {
    if (now > last_time_) last_time_ = now;
    if (now >= next_alert_flush_) next_alert_flush_ = now + config_.alert_flush_interval;
    BALLAST_TRY(book_->set_mark(slot, mark, now));
    engine_->refresh_exposure(slot);
    stale_margin_slot_ = slot;
    note_quiet(slot, now);
    ++range_quiet_marks_;
    return core::ok();
  }
  // A mark at a new best (in_range NewBest), or one measured in full.
  core::Status measure_mark(portfolio::SlotIndex slot, const model::Price& mark, core::UnixNanos now,
                            RangeMark in_range);
  static core::Status unknown_instrument(const core::InstrumentId& instrument);
  void after_slot_change(portfolio::SlotIndex slot, core::UnixNanos now);
  void update_slot_margin(portfolio::SlotIndex slot);
  void on_trade_closed(portfolio::SlotIndex slot, const model::Fill& fill, const core::Decimal& entry_price,
                       core::UnixNanos now);
  void track_order(const model::Order& order, portfolio::SlotIndex slot);
  void untrack_order(const std::string& id, bool done);

  // Breakers.
  std::optional<BreakerMeasurement> measure(Instance& instance, core::UnixNanos now);
  void evaluate(std::uint32_t index, core::UnixNanos now);
  void evaluate_slot(portfolio::SlotIndex slot, core::UnixNanos now);
  void evaluate_account(core::UnixNanos now);
  // Quiet marks (defer_quiet_marks): whether the measures a mark of `slot` drives are certain to change no
  // state, at the book as it is now: the book's figures inside the bands built from the measures' state.
  bool quiet(portfolio::SlotIndex slot, core::UnixNanos now);
  // The conditions of quiet() that are not the bands: deferral on, an evaluation to defer to, nothing
  // pending, no isolated position, no performance update due for a listener.
  bool quiet_state(core::UnixNanos now) const {
    if (!config_.defer_quiet_marks || !account_evaluated_at_ || !pending_.empty() || isolated_open_ > 0) return false;
    // A PerformanceUpdated due now is built from the measures: only when nobody would receive it.
    return !(now >= next_performance_ && performance_listened());
  }
  // Whether anyone subscribes to PerformanceUpdated: asked of the bus again only after its subscriptions
  // changed (a question that scans every subscription's pattern, on most marks of a backtest).
  bool performance_listened() const {
    if (performance_listened_generation_ != bus_->subscriptions_generation()) [[unlikely]] {
      performance_listened_ = bus_->has_subscribers(PerformanceUpdated::kTopic);
      performance_listened_generation_ = bus_->subscriptions_generation();
    }
    return performance_listened_;
  }
  // Records a quiet mark of `slot` at `now` as evaluate_account() would have.
  void note_quiet(portfolio::SlotIndex slot, core::UnixNanos now) {
    // The performance clock runs as it would (nobody listens: quiet_state()).
    account_evaluated_at_ = now;
    account_evaluated_equity_ = book_->equity();
    account_evaluated_version_ = book_->version();
    if (now >= next_performance_) next_performance_ = now + config_.performance_interval;
    if (std::find(deferred_slots_.begin(), deferred_slots_.end(), slot) == deferred_slots_.end()) {
      deferred_slots_.push_back(slot);
    }
    ++quiet_marks_;
  }
  // After quiet() found a mark of `slot` quiet, a new best moved the slot's band, or a mark was measured in
  // full with the book's figures inside the bands: the marks of that slot that are certain to be quiet too
  // (or new bests only) while nothing else changes (quiet_range_).
  void build_quiet_range(portfolio::SlotIndex slot);
  // After a new best P&L of `slot` (its band rebuilt): the range moved with the best. Only the slot's own P&L
  // band moved, so the range of everything else (QuietRange::outer_lo..outer_hi, from the last build) still
  // holds: the account's figures less this slot's are what they were (its marks alone moved them since, and
  // they are kept apart as the P&L line), and the account's band is the one the range was built in.
  void move_quiet_range_with_best(portfolio::SlotIndex slot);
  // Where a mark of `slot` at `mark` falls by the quiet range, with nothing due in advance_time().
  RangeMark range_mark(portfolio::SlotIndex slot, const model::Price& mark, core::UnixNanos now) const {
    const QuietRange& r = quiet_range_;
    if (!r.valid || r.slot != slot || r.book_version != book_->version() || r.band_serial != band_serial_) {
      return RangeMark::Outside;
    }
    // Nothing due in advance_time(): no new day, no alert summary (no clock of a breaker: build_quiet_range()).
    if (!started_ || (now > last_time_ && (now >= day_end_ || !time_instances_.empty())) ||
        (now >= next_alert_flush_ && alerts_.tracked_keys() > 0)) {
      return RangeMark::Outside;
    }
    if (!quiet_state(now) || !account_band_.valid ||
        account_band_.config_generation != engine_->config_generation() || !slot_bands_[slot].valid) {
      return RangeMark::Outside;
    }
    const double m = mark.value().approx_double();
    if (r.lo < m && m < r.hi) return RangeMark::Quiet;
    return r.best_lo < m && m < r.best_hi ? RangeMark::NewBest : RangeMark::Outside;
  }
  // Some breaker that is not ARMED has a clock to check (a cool-down, a time window, a reject-rate window).
  bool timed_breaker_active() const { return !active_.empty() && timed_breaker_among_active(); }
  bool timed_breaker_among_active() const;
  // Forms the maintenance margin a quiet-range mark left unformed; before every read of mm_total_.
  void sync_margin();
  void build_account_band();
  void build_slot_band(portfolio::SlotIndex slot);
  // Forms the maintenance margin and builds the account's band and the slot's where they are not valid.
  void prepare_bands(portfolio::SlotIndex slot);
  // Whether the book's figures are inside the (valid) bands; `at_best`: the slot's P&L may also be at or above
  // its best where the band follows_best.
  bool inside_bands(portfolio::SlotIndex slot, bool at_best) const;
  // After a change of what the bands were built from: peaks, levels, breaker states, the day, the breakers.
  void invalidate_bands(std::optional<portfolio::SlotIndex> slot);
  // Measures the deferred slots but `except` (whose mark is being measured in full).
  void settle_slots(std::optional<portfolio::SlotIndex> except);
  void handle_transition(std::uint32_t index, BreakerTransition transition, core::UnixNanos now);
  void execute_pending(core::UnixNanos now);
  void act(std::uint32_t index, core::UnixNanos now);
  void rearmed(std::uint32_t index, core::UnixNanos now, std::string_view by, std::string_view reason);
  void set_active(std::uint32_t index, bool active);
  void set_hold(std::uint32_t index, std::optional<TradingState> hold);
  void recompute_trading_state();
  CircuitBreakerEvent breaker_event(const Instance& instance, BreakerEventKind kind, core::UnixNanos now) const;

  // Metrics.
  void check_margin(core::UnixNanos now);
  void check_isolated_margin(core::UnixNanos now);
  void check_limits(core::UnixNanos now);
  core::Decimal margin_balance() const;
  PerformanceUpdated snapshot() const;
  void publish_performance(core::UnixNanos now);
  void raise_alert(AlertSeverity severity, AlertCode code, std::string message,
                   std::optional<core::InstrumentId> instrument, std::string subject, core::UnixNanos now);

  RiskMonitorConfig config_;
  portfolio::PortfolioBook* book_;
  RiskEngine* engine_;
  runtime::MessageBus* bus_;
  RiskActionSink* actions_;
  const core::Clock* clock_;
  EmergencyStop* emergency_;
  AlertManager alerts_;
  std::vector<runtime::SubscriptionId> subscriptions_{};

  // Breakers: the configs (stable storage the breakers point into), the instances and their indexes.
  std::vector<CircuitBreakerConfig> configs_{};
  std::vector<Instance> instances_{};
  std::vector<std::vector<std::uint32_t>> slot_instances_{};  // price- and position-driven, per slot
  std::vector<std::uint32_t> equity_instances_{};             // account drawdown, daily loss
  std::vector<std::uint32_t> trade_instances_{};              // loss streak
  std::vector<std::uint32_t> order_instances_{};              // reject rate
  std::vector<std::uint32_t> time_instances_{};               // trading hours
  std::vector<std::uint32_t> active_{};                       // not ARMED: cool-down checks on time
  std::vector<std::uint32_t> pending_{};                      // tripped, action not executed yet
  std::array<std::int32_t, 3> holds_{};                       // per TradingState
  TradingState operator_state_{TradingState::Active};

  // Account state.
  bool started_{false};
  core::UnixNanos last_time_{};
  DailyLossMeter day_{};
  core::Decimal peak_equity_{};
  // When the account measures were last evaluated, and at what equity: a clock tick at the same time and
  // equity (the kernel's on_time right after a bar's mark) has nothing new to measure.
  std::optional<core::UnixNanos> account_evaluated_at_{};
  core::Decimal account_evaluated_equity_{};
  std::uint64_t account_evaluated_version_{0};  // the book's version then
  // Slots whose quiet marks are not measured yet (measured at account_evaluated_at_ by settle()).
  std::vector<portfolio::SlotIndex> deferred_slots_{};
  std::uint64_t quiet_marks_{0};
  // Where a mark is quiet: the account's equity, gross and |net| exposure, maintenance margin and margin
  // balance, and each slot's unrealised P&L (for its position as it was), each inside its band. Built on
  // the first mark after an evaluation, from the state that evaluation left.
  struct AccountBand {
    bool valid{false};
    std::uint64_t config_generation{0};
    SteadyBand equity{};
    SteadyBand gross{};
    SteadyBand net{};
    SteadyBand maintenance{};
    SteadyBand balance{};
  };
  struct SlotBand {
    bool valid{false};
    // Every breaker of the slot is an ARMED position drawdown that a new best P&L leaves ARMED (it then
    // measures 0): beyond pnl.hi the marks only move the best (range_mark: NewBest).
    bool follows_best{false};
    core::Decimal quantity{};
    core::Decimal avg_entry{};
    SteadyBand pnl{};
  };
  AccountBand account_band_{};
  std::vector<SlotBand> slot_bands_{};
  std::uint64_t band_serial_{0};  // counts the bands built
  // The marks of one slot at which quiet() holds, formed from the bands and the book as they were after a
  // quiet mark of that slot (every figure quiet() tests is a monotone function of that slot's mark while
  // the rest of the book stays), narrowed by two ticks of the settlement currency and 10⁻¹² of each bound
  // for the roundings of the book and of doubles. It is built only while no breaker has a clock, and holds
  // while the book changed by that slot's marks only (book_version: the version after the last of them) and
  // no band was rebuilt (band_serial) or invalidated (every change of a breaker's state does). A mark inside
  // it is quiet without forming the figures quiet() tests, and leaves the slot's maintenance margin to
  // sync_margin(). (best_lo, best_hi) ⊇ (lo, hi) adds, when the slot's band follows_best, the marks at
  // which the position's P&L is at or above its best and every other figure still inside its band: such
  // a mark moves the drawdown meters' best and nothing else (measure_mark measures the slot and moves the
  // range with the best).
  struct QuietRange {
    bool valid{false};
    portfolio::SlotIndex slot{0};
    std::uint64_t book_version{0};
    std::uint64_t band_serial{0};
    double lo{0.0};
    double hi{0.0};
    double best_lo{0.0};
    double best_hi{0.0};
    // How it was built: the marks kept by every band but the slot's own P&L band, and (with a position) the
    // slot's P&L as a line in the mark, pnl_at_zero + pnl_slope × mark, rounded to `tick`.
    bool position_terms{false};
    double outer_lo{0.0};
    double outer_hi{0.0};
    double pnl_at_zero{0.0};
    double pnl_slope{0.0};
    double tick{0.0};
  };
  // Applies the slot's own P&L band to `r`'s outer range and keeps the range if the slot's mark is inside it.
  void close_quiet_range(portfolio::SlotIndex slot, QuietRange r);
  QuietRange quiet_range_{};
  mutable bool performance_listened_{false};
  mutable std::optional<std::uint64_t> performance_listened_generation_{};  // (none: never asked)
  std::uint64_t range_quiet_marks_{0};
  std::uint64_t new_best_marks_{0};
  portfolio::SlotIndex stale_margin_slot_{portfolio::PortfolioBook::kNoSlot};
  core::UnixNanos day_end_{};  // when the day of last_time_ ends (UTC)
  LossStreakMeter streak_{};
  std::int64_t trades_{0};
  std::int64_t winning_trades_{0};
  std::vector<TradeState> trades_by_slot_{};
  std::unordered_map<std::string, Tracked> tracked_{};

  // Margin.
  std::vector<core::Decimal> slot_mm_{};
  std::vector<bool> slot_isolated_open_{};
  std::int32_t isolated_open_{0};
  core::Decimal mm_total_{};
  // The inputs of the margin ratio at the last check (at the settlement precision): margin_ratio() forms
  // it when read, so a mark far from the call level needs no division.
  bool margin_checked_{false};
  core::Decimal margin_mm_{};
  core::Decimal margin_balance_{};
  bool margin_call_{false};
  std::vector<bool> isolated_call_{};
  core::UnixNanos next_full_margin_check_{};
  std::vector<LimitWatch> limits_{};

  core::UnixNanos next_performance_{};
  core::UnixNanos next_alert_flush_{};
};

}  // namespace ballast::risk
