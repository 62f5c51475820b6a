#pragma once
// Portfolio-level questions answered from a RiskEngine (its PortfolioBook, RiskConfig and counters):
//
// limit_usage — for each ENABLED limit, how much is used and how much is left, in the limit's unit
//   (settlement currency for notionals, exposures, losses, margin and VaR; instrument units for
//   quantities; a ratio for leverage and concentration; a count for orders and trades):
//     MAX_GROSS_EXPOSURE Σ|notional|          MAX_NET_EXPOSURE |Σ notional|
//     MAX_LEVERAGE       gross / equity       MARGIN           used = Σ cross IM + open-order margin,
//                                                               limit = used + available margin
//     PORTFOLIO_VAR      RiskEngine::portfolio_var()
//     DAILY_LOSS         max(0, −daily P&L)   OPEN_ORDERS_TOTAL, ORDER_RATE_PER_SECOND/MINUTE,
//                                             TRADES_PER_DAY/HOUR: the engine's counters
//   and per instrument (RiskConfig::limits_for), with the engine's projection "position + working
//   orders on one side" (s = +1 buy / −1 sell):
//     MAX_POSITION_QUANTITY |s·q + same-side open quantity|
//     MAX_POSITION_NOTIONAL |s·notional + same-side open notional|
//     MAX_CONCENTRATION     that notional / equity        OPEN_ORDERS_PER_INSTRUMENT open orders
//   For a side-agnostic view (assessment) the larger of the two sides is used.
//   utilisation = used / limit (kUtilisationScale places, rounded up); breached = used > limit (a value
//   equal to its limit passes, as in the engine). Limits are shown as configured: volatility scaling is
//   not applied here (the engine's own checks, and so capacity(), do apply it).
//
// assess — the overall level, LOW < MODERATE < HIGH < CRITICAL, and every reason for it:
//   CRITICAL  a limit breached, a margin call (margin ratio >= RiskConfig::margin_call_ratio, cross or
//             any isolated position; MarginManager), trading HALTED, or equity <= 0 with exposure;
//   HIGH      a limit's utilisation >= RiskConfig::warning_utilisation, trading REDUCING, or a
//             loss-streak cool-down in force;
//   MODERATE  a limit's utilisation >= 50 %;
//   LOW       otherwise. Each limit contributes at most one reason, its most severe.
//
// capacity — the largest quantity of one order (instrument, side, type, price) that RiskEngine::evaluate
//   APPROVES in full right now (an APPROVED_REDUCED answer counts as not passing), searched on the
//   instrument's step grid:
//     lo = the smallest quantity meeting the instrument minimums (min quantity, min notional at the
//          order or mark price); when it does not pass, capacity is 0 and `binding` says why;
//     hi = one step above a bound derived from the limits (order quantity and notional, position
//          quantity and notional, gross and net exposure, leverage, concentration, margin, the
//          instrument's max quantity); if hi still passes (a limit the bound does not model), hi doubles
//          until it fails or reaches the search ceiling (kCapacityMaxNotional at the price: `bounded`
//          false then);
//     bisection between lo (passes) and hi (fails) assuming the checks are monotone in quantity — true
//     of every check for orders that add exposure, and for orders that reduce up to the position size
//     and then flip. The answer is `max_quantity`; `binding` is the decision one step above it.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"
#include "ballast/portfolio/portfolio_book.hpp"
#include "ballast/risk/risk_engine.hpp"
#include "ballast/risk/risk_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::risk {

inline constexpr int kUtilisationScale = 6;
// Capacity never searches beyond this notional (settlement currency) at the order's price.
inline constexpr std::int64_t kCapacityMaxNotional = 1'000'000'000;

enum class RiskLevel { Low, Moderate, High, Critical };

// Why an assessment has its level. Stable codes: "LIMIT_BREACHED", "MARGIN_CALL", …
enum class AssessmentReason {
  LimitBreached,      // CRITICAL
  MarginCall,         // CRITICAL
  TradingHalted,      // CRITICAL
  NonPositiveEquity,  // CRITICAL
  LimitNearWarning,   // HIGH
  TradingReducing,    // HIGH
  CooldownActive,     // HIGH
  LimitAboveHalf,     // MODERATE
};

std::string_view to_string(RiskLevel level) noexcept;
std::string_view to_string(AssessmentReason reason) noexcept;
core::Result<RiskLevel> parse_risk_level(std::string_view text);
core::Result<AssessmentReason> parse_assessment_reason(std::string_view text);
// The level a reason implies.
RiskLevel level_of(AssessmentReason reason) noexcept;

struct LimitUsage {
  RiskCheck check{RiskCheck::MaxGrossExposure};
  std::optional<core::InstrumentId> instrument_id{};  // per-instrument limits only
  core::Decimal used{};
  core::Decimal limit{};
  core::Decimal left{};                       // max(0, limit − used)
  std::optional<core::Decimal> utilisation{};  // used / limit; nullopt when the limit is 0
  bool breached{false};                        // used > limit
};

// Per-instrument rows: `slot` only when set, otherwise every instrument with a position or working
// orders. `side` picks the projection side; without it the larger of both sides.
struct UsageQuery {
  std::optional<portfolio::SlotIndex> slot{};
  std::optional<model::OrderSide> side{};
};

core::Result<std::vector<LimitUsage>> limit_usage(const RiskEngine& engine, const UsageQuery& query,
                                                  core::UnixNanos now);

struct AssessmentFinding {
  AssessmentReason reason{AssessmentReason::LimitAboveHalf};
  std::optional<RiskCheck> check{};  // the limit, for limit reasons
  std::optional<core::InstrumentId> instrument_id{};
  std::string message{};  // "MAX_GROSS_EXPOSURE: used 120000 > limit 100000 (120%)"
};

struct RiskAssessment {
  RiskLevel level{RiskLevel::Low};
  std::vector<AssessmentFinding> findings{};  // most severe first
  std::vector<LimitUsage> limits{};
  TradingState trading_state{TradingState::Active};
  core::Decimal equity{};
  std::optional<core::Decimal> cross_margin_ratio{};  // nullopt: unbounded or no maintenance margin
  bool margin_call{false};
};

core::Result<RiskAssessment> assess(const RiskEngine& engine, core::UnixNanos now);

struct CapacityQuery {
  portfolio::SlotIndex slot{0};
  model::OrderSide side{model::OrderSide::Buy};
  model::OrderType type{model::OrderType::Market};
  std::optional<model::Price> price{};  // limit price (LIMIT); market orders use the mark
  bool reduce_only{false};
};

struct CapacityResult {
  model::Quantity max_quantity{};     // 0: no quantity passes now
  model::Money notional{};            // of max_quantity at the order's price (or the mark)
  bool bounded{true};                 // false: the search ceiling passed, no limit binds
  std::optional<RiskDecision> binding{};  // decision one step above max_quantity (or at the minimum)
  model::Quantity binding_quantity{};     // the quantity `binding` was evaluated at
  int evaluations{0};
  std::vector<LimitUsage> limits{};   // for the instrument and side, plus the account limits
};

// Errors: a slot out of range, a limit order without a price, a price the engine cannot value.
core::Result<CapacityResult> capacity(const RiskEngine& engine, const CapacityQuery& query, core::UnixNanos now);

}  // namespace ballast::risk
