#pragma once
// Vocabulary of the risk engine: the account's trading state, the pre-trade checks, their typed deny
// reasons (stable UPPER_SNAKE codes for events, the API and the dashboard) and the decision an order gets.
//
// A decision is one of
//   APPROVED          — every enabled check passed for the full quantity;
//   APPROVED_REDUCED  — a check configured to reduce rather than deny cut the quantity (reason and
//                       numbers say which); every later check passed for the reduced quantity;
//   DENIED            — the first failing check, its typed reason, the limit and the measured value.
// Numbers are exact decimals in the unit of the check (settlement currency for notionals and losses,
// instrument units for quantities, bps for the collar, a count for orders and trades, a ratio for
// leverage and concentration).

#include "ballast/core/decimal.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/price.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ballast::risk {

// ACTIVE: everything allowed; REDUCING: only orders that reduce exposure; HALTED: nothing but cancels.
enum class TradingState { Active, Reducing, Halted };

// The pre-trade checks, in the order the engine runs them.
enum class RiskCheck {
  TradingState,
  Instrument,
  TradingHours,         // the trading session is running and the instrument's trading hours are open
  OrderShape,           // positive quantity, limit price present for limit orders, reduce-only/post-only
  PriceTick,
  QuantityStep,
  MinQuantity,
  MinNotional,
  MaxOrderQuantity,
  MaxOrderNotional,
  PriceCollar,
  MaxPositionQuantity,
  MaxPositionNotional,
  MaxGrossExposure,
  MaxNetExposure,
  MaxConcentration,
  MaxLeverage,
  Margin,
  PortfolioVar,
  OpenOrdersPerInstrument,
  OpenOrdersTotal,
  OrderRatePerSecond,
  OrderRatePerMinute,
  DailyLoss,
  TradesPerDay,
  TradesPerHour,
  LossStreakCooldown,
  SizeIncreaseAfterLoss,
};
inline constexpr std::size_t kRiskCheckCount = 28;

enum class DenyReason {
  None,
  TradingHalted,
  ReducingOnly,                  // state REDUCING and the order would increase exposure
  InstrumentUnknown,
  InstrumentNotTradable,         // expired dated future
  InvalidQuantity,               // zero quantity
  MissingPrice,                  // limit/stop order without its price
  ReduceOnlyWouldIncrease,       // reduce-only order that would open, increase or flip
  PostOnlyWouldTake,             // post-only limit at or through the opposite best price
  PriceNotOnTick,
  QuantityNotOnStep,
  QuantityBelowMin,
  NotionalBelowMin,
  QuantityExceedsMaxPerOrder,
  NotionalExceedsMaxPerOrder,
  NoReferencePrice,              // no mark yet: the collar and exposure checks cannot be evaluated
  PriceOutsideCollar,
  PositionQuantityExceedsMax,
  PositionNotionalExceedsMax,
  GrossExposureExceedsMax,
  NetExposureExceedsMax,
  ConcentrationExceedsMax,
  LeverageExceedsMax,
  LeverageExceedsTierMax,        // the instrument's leverage is above its margin tier at the new notional
  InsufficientMargin,
  PortfolioVarExceedsMax,
  OpenOrdersPerInstrumentExceedsMax,
  OpenOrdersTotalExceedsMax,
  OrderRatePerSecondExceeded,
  OrderRatePerMinuteExceeded,
  DailyLossLimitReached,
  TradesPerDayExceedsMax,
  TradesPerHourExceedsMax,
  LossStreakCooldown,
  SizeIncreaseAfterLoss,
  // The account's trading session is stopped (the server's session manager) and the order would not
  // reduce a position.
  SessionStopped,
  // Outside the instrument's trading hours and the order would not reduce a position; limit = the next
  // opening, value = the order's time, both in Unix seconds (UTC); the message shows them as ISO-8601.
  OutsideTradingHours,
};

enum class Verdict { Approved, ApprovedReduced, Denied };

// Outcome of one check in an explained evaluation.
enum class CheckStatus { Passed, Reduced, Denied, Disabled, NotApplicable };

// Warnings raised alongside a decision (never a denial by themselves), as bits of RiskDecision::warnings.
enum class RiskWarning : std::uint32_t {
  OrderRateAboveNorm = 1u << 0,  // this minute's order count is far above the trader's own norm
  NearLimit = 1u << 1,           // some limit is above the configured warning utilisation after the order
};

std::string_view to_string(TradingState v) noexcept;
std::string_view to_string(RiskCheck v) noexcept;
std::string_view to_string(DenyReason v) noexcept;
std::string_view to_string(Verdict v) noexcept;
std::string_view to_string(CheckStatus v) noexcept;
std::string_view to_string(RiskWarning v) noexcept;
// parse<T>("HALTED") etc.; errors name the type and list the valid codes.
template <class T>
core::Result<T> parse(std::string_view text);
template <>
core::Result<TradingState> parse<TradingState>(std::string_view text);
template <>
core::Result<RiskCheck> parse<RiskCheck>(std::string_view text);
template <>
core::Result<DenyReason> parse<DenyReason>(std::string_view text);
template <>
core::Result<Verdict> parse<Verdict>(std::string_view text);
template <>
core::Result<CheckStatus> parse<CheckStatus>(std::string_view text);
template <>
core::Result<RiskWarning> parse<RiskWarning>(std::string_view text);

// One check's result in an explained evaluation (limit and value in the check's unit; zero when the
// check has no numbers).
struct CheckOutcome {
  RiskCheck check{RiskCheck::TradingState};
  CheckStatus status{CheckStatus::Passed};
  DenyReason reason{DenyReason::None};
  core::Decimal limit{};
  core::Decimal value{};
};

// The engine's answer. Fixed size: building one never allocates.
struct RiskDecision {
  Verdict verdict{Verdict::Approved};
  DenyReason reason{DenyReason::None};  // denial, or the reason of the (last) reduction
  RiskCheck check{RiskCheck::TradingState};  // the check that denied or reduced
  core::Decimal limit{};
  core::Decimal value{};
  model::Quantity quantity{};  // approved quantity (requested unless reduced; 0 when denied)
  std::uint32_t warnings{0};

  bool approved() const noexcept { return verdict != Verdict::Denied; }
  bool has_warning(RiskWarning w) const noexcept { return (warnings & static_cast<std::uint32_t>(w)) != 0; }
  // "NOTIONAL_EXCEEDS_MAX_PER_ORDER: max=10000.00, notional=12500.00" (allocates: not for the hot path).
  std::string message() const;
};

// Human label of the numbers of a reason: {"max", "notional"} for NotionalExceedsMaxPerOrder.
struct ReasonLabels {
  std::string_view limit;
  std::string_view value;
};
ReasonLabels labels_of(DenyReason reason) noexcept;

}  // namespace ballast::risk
