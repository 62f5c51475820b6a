#pragma once
// Events the risk monitor, the circuit breakers and the emergency stop publish on the runtime::MessageBus,
// named in the past tense like the model events, each with a stable kName (logs, the event store) and the
// topic it is published on (kTopic, all under "events.risk."; subscribe to "events.risk.*" for every one).
//
// Units: money in the account's settlement currency; ratios as fractions (0.10 = 10 %); margin ratio =
// maintenance margin / margin balance; times are UnixNanos (UTC) from the kernel's clock. A limit is
// "reached" when the measured value is >= the limit (the pre-trade check lets a value equal to the limit
// pass; the monitor reports it, because the account is then at the limit).
//
// Every trip, action and reset of a circuit breaker is one CircuitBreakerEvent whose `kind` says which
// (TRIGGERED → ACTED → RESET); event_name(kind) gives "CircuitBreakerTriggered", "CircuitBreakerActed",
// "CircuitBreakerReset" for logs. Enums carry stable UPPER_SNAKE codes with to_string / parse<T>.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/price.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"
#include "ballast/risk/risk_actions.hpp"
#include "ballast/risk/risk_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::risk {

// Ordered: INFO < WARNING < CRITICAL < EMERGENCY.
enum class AlertSeverity { Info, Warning, Critical, Emergency };

// What an alert is about (its dedup key together with the instrument and the subject).
enum class AlertCode {
  RiskLimitReached,
  PortfolioRiskHigh,
  MarginCall,
  CircuitBreakerTriggered,
  CircuitBreakerActionFailed,
  CircuitBreakerReset,
  EmergencyStop,
  EmergencyStopReset,
};

enum class BreakerEventKind { Triggered, Acted, Reset };

// ARMED: watching. TRIPPED: fired, and its condition is still met. COOLING_DOWN: fired, the condition has
// cleared, and the breaker waits for its cool-down to pass (AUTOMATIC) or for an operator (MANUAL).
enum class BreakerState { Armed, Tripped, CoolingDown };

std::string_view to_string(AlertSeverity v) noexcept;
std::string_view to_string(AlertCode v) noexcept;
std::string_view to_string(BreakerEventKind v) noexcept;
std::string_view to_string(BreakerState v) noexcept;
template <>
core::Result<AlertSeverity> parse<AlertSeverity>(std::string_view text);
template <>
core::Result<AlertCode> parse<AlertCode>(std::string_view text);
template <>
core::Result<BreakerEventKind> parse<BreakerEventKind>(std::string_view text);
template <>
core::Result<BreakerState> parse<BreakerState>(std::string_view text);

// "CircuitBreakerTriggered", "CircuitBreakerActed", "CircuitBreakerReset".
std::string_view event_name(BreakerEventKind kind) noexcept;

// A limit of the RiskConfig is at or above its value while positions are held (prices moved the account
// there; the pre-trade gate only stops orders). `limit` names the check: MAX_GROSS_EXPOSURE,
// MAX_NET_EXPOSURE (|net|), MAX_LEVERAGE, DAILY_LOSS, PORTFOLIO_VAR. Published once per crossing.
struct RiskLimitReached {
  static constexpr std::string_view kName = "RiskLimitReached";
  static constexpr std::string_view kTopic = "events.risk.limit";
  RiskCheck limit{RiskCheck::MaxGrossExposure};
  core::Decimal limit_value{};
  core::Decimal value{};
  core::UnixNanos ts_event{};
};

// A portfolio-level measure is at or above RiskConfig::warning_utilisation of its limit (but below it).
// utilisation = value / limit, 4 places rounded down. Published once per crossing.
struct PortfolioRiskHigh {
  static constexpr std::string_view kName = "PortfolioRiskHigh";
  static constexpr std::string_view kTopic = "events.risk.portfolio";
  RiskCheck limit{RiskCheck::MaxGrossExposure};
  core::Decimal limit_value{};
  core::Decimal value{};
  core::Decimal utilisation{};
  core::UnixNanos ts_event{};
};

// The margin ratio reached RiskConfig::margin_call_ratio. `instrument` is set for an isolated position,
// absent for the cross account. margin_ratio nullopt = unbounded (margin balance <= 0 < maintenance).
struct MarginCallWarning {
  static constexpr std::string_view kName = "MarginCallWarning";
  static constexpr std::string_view kTopic = "events.risk.margin";
  std::optional<core::InstrumentId> instrument{};
  std::optional<core::Decimal> margin_ratio{};
  core::Decimal margin_call_ratio{};
  core::Decimal maintenance_margin{};
  core::Decimal margin_balance{};
  core::UnixNanos ts_event{};
};

// One trip, action or reset of a breaker. `value` is the measurement that tripped it (TRIGGERED, ACTED)
// or the last one seen (RESET), in the condition's unit; `result` is set on ACTED. `instrument` is the
// instrument the breaker measures or acts on (absent for account-wide breakers).
struct CircuitBreakerEvent {
  static constexpr std::string_view kName = "CircuitBreakerEvent";
  static constexpr std::string_view kTopic = "events.risk.breaker";
  BreakerEventKind kind{BreakerEventKind::Triggered};
  std::string breaker{};
  BreakerCondition condition{BreakerCondition::AccountDrawdown};
  std::optional<core::InstrumentId> instrument{};
  core::Decimal value{};
  core::Decimal threshold{};
  BreakerAction action{BreakerAction::Alert};
  std::optional<ActionResult> result{};
  BreakerState state{BreakerState::Armed};          // the breaker's state after this event
  TradingState trading_state{TradingState::Active};  // the engine's state after this event
  std::optional<core::UnixNanos> cooldown_until{};
  ResetPolicy reset_policy{ResetPolicy::Automatic};
  std::string reset_by{};  // RESET: the operator for a manual reset, empty when automatic
  std::string reason{};    // RESET: the operator's reason
  core::UnixNanos ts_event{};
};

// What the emergency stop did at one venue.
struct VenueStopReport {
  core::VenueId venue{};
  std::int32_t open_orders_found{0};     // reported open by query_open_orders (-1: the query failed)
  std::int32_t cancels_requested{0};     // cancel commands the client took (cancel_all counts as 1)
  std::int32_t positions_found{0};       // non-flat positions to close (flatten only)
  std::int32_t close_orders_submitted{0};
  std::vector<core::ClientOrderId> close_orders{};  // the reduce-only market orders sent
  std::vector<std::string> errors{};     // each failure, "what: error"
  bool ok() const noexcept { return errors.empty(); }
};

struct EmergencyStopped {
  static constexpr std::string_view kName = "EmergencyStopped";
  static constexpr std::string_view kTopic = "events.risk.emergency";
  std::string engaged_by{};
  std::string reason{};
  bool flatten{false};
  bool already_engaged{false};  // a repeated call: cancels were re-issued
  core::UnixNanos engaged_since{};
  std::vector<VenueStopReport> venues{};
  core::UnixNanos ts_event{};
};

struct EmergencyStopReset {
  static constexpr std::string_view kName = "EmergencyStopReset";
  static constexpr std::string_view kTopic = "events.risk.emergency";
  std::string reset_by{};
  std::string reason{};
  core::UnixNanos engaged_since{};
  TradingState trading_state{TradingState::Active};  // the engine's state after the reset
  core::UnixNanos ts_event{};
};

// A round trip ended: the position went back to flat or flipped through zero. realized_pnl is the sum of
// the book's realised P&L of every fill of the trade, net of their fees (opening fees included when the
// book charges them to the opening fill). quantity is the largest absolute size the position reached.
struct TradeCompleted {
  static constexpr std::string_view kName = "TradeCompleted";
  static constexpr std::string_view kTopic = "events.risk.trade";
  core::InstrumentId instrument{};
  core::ClientOrderId client_order_id{};  // the order of the closing fill
  core::TradeId trade_id{};               // the closing fill
  model::PositionSide side{model::PositionSide::Long};
  core::Decimal quantity{};
  core::Decimal entry_price{};  // average entry before the closing fill
  model::Price exit_price{};    // the closing fill's price
  core::Decimal realized_pnl{};
  std::int32_t fills{0};
  core::UnixNanos ts_opened{};
  core::UnixNanos ts_event{};
};

// A periodic snapshot of the account's risk and performance (RiskMonitorConfig::performance_interval).
struct PerformanceUpdated {
  static constexpr std::string_view kName = "PerformanceUpdated";
  static constexpr std::string_view kTopic = "events.risk.performance";
  core::Decimal equity{};
  core::Decimal peak_equity{};
  core::Decimal drawdown{};  // (peak − equity) / peak, 8 places rounded down
  core::Decimal daily_pnl{};  // equity − equity at 00:00 UTC
  core::Decimal realized_pnl{};
  core::Decimal unrealized_pnl{};
  core::Decimal gross_exposure{};
  core::Decimal net_exposure{};
  core::Decimal leverage{};  // gross / equity, 4 places rounded up (0 with equity <= 0)
  std::optional<core::Decimal> margin_ratio{};  // cross; nullopt unbounded or no maintenance margin
  double portfolio_var{0.0};
  std::int32_t positions_open{0};
  std::int32_t open_orders{0};
  std::int64_t trades{0};
  std::int64_t winning_trades{0};
  std::int64_t loss_streak{0};
  TradingState trading_state{TradingState::Active};
  core::UnixNanos ts_event{};
};

// An alert for people (dashboard, notifications). Deduplicated and rate limited by the AlertManager:
// suppressed_count says how many identical alerts (same code, instrument and subject) were folded into
// this one since the previous one was published.
struct Alert {
  static constexpr std::string_view kName = "Alert";
  static constexpr std::string_view kTopic = "events.risk.alert";
  std::uint64_t id{0};
  AlertSeverity severity{AlertSeverity::Info};
  AlertCode code{AlertCode::RiskLimitReached};
  std::string message{};
  std::optional<core::InstrumentId> instrument{};
  std::string subject{};  // e.g. the breaker's name; part of the dedup key
  core::UnixNanos ts_event{};
  std::int64_t suppressed_count{0};
};

}  // namespace ballast::risk
