#pragma once
// RiskEngine: the pre-trade gate. Every order from every source is evaluated against the account's
// PortfolioBook (positions, marks, working orders, margins), the RiskConfig and the engine's own
// counters (order rates, trades per day/hour, loss streak, trading state). See risk_types.hpp for the
// decision and docs/risk/engine.md for each check's rule, unit and boundary (a value equal to a limit
// passes).
//
// Hot path: evaluate()/submit() are O(1) in the number of positions (aggregates are kept by the book and
// the incremental-VaR cache), never allocate, never throw on valid input. explain() runs every check and
// records each outcome (allocates; for the CLI, the API preview and the dashboard).
//
// Projection rules (worst case, documented in docs/risk/engine.md):
//  - "position after the order" = position + working orders on the order's side + the order;
//  - exposure notionals are valued at the mark for positions and, for the order, at the HIGHER of its
//    price and the mark (a buy limit below the mark is worth the mark as soon as it fills and is marked;
//    the property test catches a check that values it at its limit);
//  - an order "reduces" when it is on the opposite side of the position and its quantity is at most the
//    position's size; reducing orders pass the exposure, concentration, VaR, margin, daily-loss, trade
//    count and behavioural checks, and are the only orders allowed in REDUCING or when not tradable;
//    HALTED denies every order (only cancels go through; the kernel lets its own risk closes pass);
//  - outside the instrument's trading hours (RiskConfig::trading_hours_for) or while the session is
//    stopped, only reducing orders pass (TRADING_HOURS check: OUTSIDE_TRADING_HOURS, SESSION_STOPPED).
//
// Time: the engine reads no clock; callers pass `now` (UnixNanos, UTC). Day boundaries are 00:00 UTC.

#include "ballast/analytics/var_decomposition.hpp"
#include "ballast/analytics/volatility_classification.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/order.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_config.hpp"
#include "ballast/risk/risk_types.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ballast::risk {

namespace internal {
struct EngineCore;
struct OrderContext;
}  // namespace internal

// The engine's view of an order (built from model::Order or directly by algorithms and the API).
struct OrderRequest {
  portfolio::SlotIndex slot{0};
  model::OrderSide side{model::OrderSide::Buy};
  model::OrderType type{model::OrderType::Market};
  model::Quantity quantity{};
  std::optional<model::Price> price{};          // limit price (LIMIT, STOP_LIMIT)
  std::optional<model::Price> trigger_price{};  // STOP_MARKET, STOP_LIMIT, TAKE_PROFIT
  bool reduce_only{false};
  bool post_only{false};
};

// Counters of the engine, for reports, capacity and the dashboard.
struct RiskCounters {
  std::int64_t orders_last_second{0};
  std::int64_t orders_last_minute{0};
  std::int64_t trades_today{0};
  std::int64_t trades_last_hour{0};
  std::int64_t loss_streak{0};
  core::Decimal day_start_equity{};
  core::Decimal daily_pnl{};  // equity − day_start_equity
  std::optional<core::UnixNanos> cooldown_until{};
};

class RiskEngine {
 public:
  // The book must outlive the engine. Validates the config; symbol overrides for instruments the book
  // does not hold are an error.
  static core::Result<RiskEngine> create(RiskConfig config, const portfolio::PortfolioBook& book, core::UnixNanos now);
  RiskEngine(RiskEngine&&) noexcept;
  RiskEngine& operator=(RiskEngine&&) noexcept;
  ~RiskEngine();

  const RiskConfig& config() const noexcept { return config_; }
  // Replaces the configuration (validated; counters and state are kept). Under a RiskMonitor, call its
  // settle() first: measurements it deferred belong to the configuration they were deferred under.
  core::Status set_config(RiskConfig config);
  // Counts successful set_config() calls: what was derived from config() is stale when it has moved.
  std::uint64_t config_generation() const noexcept { return config_generation_; }

  // Resolves an order against the book. InstrumentUnknown is reported as a denial by evaluate(); this
  // helper errors (NotFound) so callers can say which id.
  core::Result<OrderRequest> request_for(const model::Order& order) const;

  // Pure check at `now`: nothing changes.
  RiskDecision evaluate(const OrderRequest& order, core::UnixNanos now) const;
  // Every check with its outcome (denials do not stop the run; later checks use the reduced quantity).
  std::vector<CheckOutcome> explain(const OrderRequest& order, core::UnixNanos now) const;
  // evaluate(), and when approved, count the order (rates, trades, last entry size).
  RiskDecision submit(const OrderRequest& order, core::UnixNanos now);

  // --- State fed by the risk monitor / kernel ----------------------------------------------------------
  TradingState trading_state() const noexcept { return state_; }
  void set_trading_state(TradingState state) noexcept { state_ = state; }
  // The account's trading session (a server's session manager: start/stop), orthogonal to the trading
  // state: while it is stopped, orders that would not reduce a position are denied SESSION_STOPPED by
  // the TRADING_HOURS check (reducing orders and cancels still go through). Running by default.
  bool session_running() const noexcept { return session_running_; }
  void set_session_running(bool running) noexcept { session_running_ = running; }
  // New exposures are denied until `until` (breaker cool-down): state is treated as at least REDUCING.
  void block_new_exposure_until(core::UnixNanos until) noexcept;
  // A closed trade's net result (for loss streaks and revenge-trading control).
  void record_trade_result(const core::Decimal& realized_pnl, core::UnixNanos now);
  // An order the venue rejected or that was sent outside submit() (reconciliation) — rate counters only.
  void record_external_order(core::UnixNanos now);
  // Rolls the day (start-of-day equity) and the rate windows when `now` crossed a boundary. Call on every
  // clock advance; evaluate() is correct without it (stale windows read as empty).
  void on_time(core::UnixNanos now);
  // The instrument's volatility class (dynamic limits).
  void set_volatility_level(portfolio::SlotIndex slot, analytics::VolatilityLevel level);
  // Portfolio VaR model: covariance of one-period (daily) simple returns for the instruments in
  // `slots` (covariance index k ↔ slots[k]). Exposures are taken from the book now and kept in step by
  // refresh_exposure().
  core::Status set_var_model(Eigen::MatrixXd covariance, std::vector<portfolio::SlotIndex> slots);
  // The book changed for `slot` (mark, fill, position): update the VaR exposure (O(N) with a VaR model).
  void refresh_exposure(portfolio::SlotIndex slot) {
    if (var_model_) refresh_var_exposure(slot);  // (inline: called on every mark; most setups have no model)
  }
  // Current portfolio VaR (0 without a model).
  double portfolio_var() const noexcept;

  RiskCounters counters(core::UnixNanos now) const;
  const portfolio::PortfolioBook& book() const noexcept { return *book_; }

 private:
  RiskEngine();
  // Private members and helpers: see risk_engine.cpp (checks are split into risk/checks/*.cpp; the
  // precomputed limits, counters and VaR cache live in internal/engine_core.hpp).
  core::Status rebuild();
  void rebuild_slot(portfolio::SlotIndex slot);
  // Runs the checks; with `outcomes` every check is recorded and denials do not stop the run.
  RiskDecision run(const OrderRequest& order, core::UnixNanos now, internal::OrderContext& ctx,
                   std::vector<CheckOutcome>* outcomes) const;
  void refresh_var_exposure(portfolio::SlotIndex slot);

  RiskConfig config_{};
  std::uint64_t config_generation_{0};
  const portfolio::PortfolioBook* book_{nullptr};
  TradingState state_{TradingState::Active};
  bool session_running_{true};
  std::unique_ptr<internal::EngineCore> core_;
  bool var_model_{false};  // set_var_model() succeeded (the model is kept from then on)
};

}  // namespace ballast::risk
