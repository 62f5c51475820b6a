#pragma once
// RiskConfig: every limit the risk engine enforces and every circuit breaker the risk monitor runs, for
// one account, plus per-instrument overrides (SymbolRiskConfig). Each limit has its own on/off switch.
//
// Units:
//  - money amounts (notionals, exposures, losses, VaR) in the account's settlement currency;
//  - quantities in the instrument's quantity units;
//  - ratios as fractions: 0.25 = 25 % (concentration, drawdown, scaling), leverage as a multiple (3 = 3×);
//  - the price collar in basis points of the reference (mark) price;
//  - durations in nanoseconds (core::Duration), written "30m", "1h", "500ms" in files.
// Dynamic limits: `volatility_scaling` multiplies an instrument's order and position limits by the factor
// of its current volatility class (analytics::VolatilityLevel), e.g. EXTREME = 0.5 halves them.
//
// Files: TOML or JSON with the same structure (docs/risk/configuration.md lists every key). Loading
// validates the whole configuration and reports every error at once, each with its location
// ("risk.toml:12: limits.max_order_notional.value: must be > 0" or the JSON path for JSON files).

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::risk {

struct DecimalLimit {
  bool enabled{false};
  core::Decimal value{};
  friend bool operator==(const DecimalLimit&, const DecimalLimit&) = default;
};

struct CountLimit {
  bool enabled{false};
  std::int64_t value{0};
  friend bool operator==(const CountLimit&, const CountLimit&) = default;
};

// Multipliers (> 0, <= 1 usually) of order and position limits per volatility class.
struct VolatilityScaling {
  bool enabled{false};
  core::Decimal low{core::Decimal::from_int(1)};
  core::Decimal normal{core::Decimal::from_int(1)};
  core::Decimal high{core::Decimal::from_raw(75, 2)};
  core::Decimal extreme{core::Decimal::from_raw(5, 1)};
  friend bool operator==(const VolatilityScaling&, const VolatilityScaling&) = default;
};

// Limits that can be overridden per instrument.
struct InstrumentLimits {
  DecimalLimit max_order_quantity{};
  DecimalLimit max_order_notional{};
  DecimalLimit price_collar_bps{};       // |price − reference| / reference × 10 000 <= value
  DecimalLimit max_position_quantity{};  // |position + same-side open orders + order|
  DecimalLimit max_position_notional{};
  DecimalLimit max_concentration{};      // |position notional| / equity, fraction
  CountLimit max_open_orders{};          // per instrument
  friend bool operator==(const InstrumentLimits&, const InstrumentLimits&) = default;
};

// Behavioural controls: the trader's own worst enemy.
struct BehaviourConfig {
  // After `loss_streak` consecutive losing trades, no new exposure for `loss_streak_cooldown`.
  CountLimit loss_streak{};
  core::Duration loss_streak_cooldown{std::chrono::minutes(30)};
  // Within `revenge_window` after a losing trade, an order larger (notional) than the last entry by more
  // than `revenge_tolerance` (fraction) is denied.
  bool block_size_increase_after_loss{false};
  core::Duration revenge_window{std::chrono::minutes(15)};
  core::Decimal revenge_tolerance{};
  // Warn when this minute's orders exceed `order_rate_warning_factor` × the average per minute over the
  // last hour (and at least `order_rate_warning_min` orders).
  bool order_rate_warning{false};
  core::Decimal order_rate_warning_factor{core::Decimal::from_int(3)};
  std::int64_t order_rate_warning_min{10};
  friend bool operator==(const BehaviourConfig&, const BehaviourConfig&) = default;
};

// Portfolio VaR limit: parametric (delta-normal) VaR of the positions after the order, from the
// covariance the engine is given (analytics::IncrementalVarCalculator). Orders whose incremental VaR is
// <= 0 always pass (they reduce risk).
struct VarLimit {
  bool enabled{false};
  core::Decimal max_var{};          // settlement currency, > 0
  double confidence{0.99};          // (0.5, 1)
  double horizon_days{1.0};         // > 0
  friend bool operator==(const VarLimit&, const VarLimit&) = default;
};

struct SymbolRiskConfig {
  core::InstrumentId instrument_id{};
  bool tradable{true};  // false: only reducing orders
  // Each set field replaces the global one for this instrument.
  std::optional<DecimalLimit> max_order_quantity{};
  std::optional<DecimalLimit> max_order_notional{};
  std::optional<DecimalLimit> price_collar_bps{};
  std::optional<DecimalLimit> max_position_quantity{};
  std::optional<DecimalLimit> max_position_notional{};
  std::optional<DecimalLimit> max_concentration{};
  std::optional<CountLimit> max_open_orders{};
  // The instrument's trading hours: when set, this list REPLACES the account's for this instrument (an
  // empty list opens the instrument at all times, whatever the account's hours).
  std::optional<std::vector<TradingSession>> trading_hours{};
  friend bool operator==(const SymbolRiskConfig&, const SymbolRiskConfig&) = default;
};

struct RiskConfig {
  // When a quantity or notional limit (order, position, exposure) would deny an order, approve the largest
  // quantity on the step that fits instead (never below the instrument's minimums).
  bool reduce_quantity_to_fit{false};
  InstrumentLimits instrument{};           // defaults for every instrument
  DecimalLimit max_gross_exposure{};       // Σ |notional| after the order
  DecimalLimit max_net_exposure{};         // |Σ notional| after the order
  DecimalLimit max_leverage{};             // gross exposure / equity after the order
  bool check_margin{true};                 // initial margin of the order <= available margin
  VarLimit portfolio_var{};
  CountLimit max_open_orders_total{};
  CountLimit max_orders_per_second{};
  CountLimit max_orders_per_minute{};
  DecimalLimit daily_loss_limit{};         // loss (positive amount) since 00:00 UTC, realised + unrealised
  CountLimit max_trades_per_day{};         // approved orders that add exposure, per UTC day
  CountLimit max_trades_per_hour{};        // ... per rolling hour
  // Utilisation (fraction of a limit) above which a limit counts as "near" (warning, assessment).
  core::Decimal warning_utilisation{core::Decimal::from_raw(80, 2)};
  VolatilityScaling volatility_scaling{};
  BehaviourConfig behaviour{};
  std::vector<SymbolRiskConfig> symbols{};
  std::vector<CircuitBreakerConfig> circuit_breakers{default_circuit_breakers()};
  // Margin ratio (maintenance / margin balance) at which MARGIN_CALL_WARNING is raised.
  core::Decimal margin_call_ratio{core::Decimal::from_raw(80, 2)};
  // The account's trading hours (UTC windows per weekday, see TradingSession; a window with end < start
  // runs past midnight and belongs to the weekday it starts on). Orders that add exposure outside every
  // window are denied (OUTSIDE_TRADING_HOURS); reducing orders always pass. Empty = always open.
  std::vector<TradingSession> trading_hours{};

  friend bool operator==(const RiskConfig&, const RiskConfig&) = default;

  // The effective per-instrument limits (global defaults with the symbol's overrides applied).
  InstrumentLimits limits_for(const core::InstrumentId& id) const;
  // The trading hours in force for an instrument: the symbol's own list when set, else the account's.
  const std::vector<TradingSession>& trading_hours_for(const core::InstrumentId& id) const noexcept;
  const SymbolRiskConfig* symbol(const core::InstrumentId& id) const noexcept;
};

// Every problem of the configuration at once (InvalidArgument, messages joined by "; ", each prefixed
// with its key path, e.g. "circuit_breakers[2].threshold: must be > 0").
core::Status validate(const RiskConfig& config);

// Parsing. `source` names the text in errors (a file name). TOML errors carry "source:line: key: …".
core::Result<RiskConfig> parse_risk_config_toml(std::string_view text, std::string_view source);
core::Result<RiskConfig> parse_risk_config_json(std::string_view text, std::string_view source);
// By extension: .toml or .json.
core::Result<RiskConfig> load_risk_config(const std::filesystem::path& path);
// Serialises to JSON (the same structure the parser reads); round-trips exactly.
std::string to_json(const RiskConfig& config);
std::string to_toml(const RiskConfig& config);

}  // namespace ballast::risk
