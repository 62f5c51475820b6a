#include "ballast/risk/risk_types.hpp"

#include "ballast/core/time.hpp"
#include "ballast/model/enums.hpp"

#include <fmt/format.h>

#include <utility>

namespace ballast::risk {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<TradingState, 3> kTradingState{{
    {TradingState::Active, "ACTIVE"},
    {TradingState::Reducing, "REDUCING"},
    {TradingState::Halted, "HALTED"},
}};

constexpr Names<RiskCheck, kRiskCheckCount> kRiskCheck{{
    {RiskCheck::TradingState, "TRADING_STATE"},
    {RiskCheck::Instrument, "INSTRUMENT"},
    {RiskCheck::TradingHours, "TRADING_HOURS"},
    {RiskCheck::OrderShape, "ORDER_SHAPE"},
    {RiskCheck::PriceTick, "PRICE_TICK"},
    {RiskCheck::QuantityStep, "QUANTITY_STEP"},
    {RiskCheck::MinQuantity, "MIN_QUANTITY"},
    {RiskCheck::MinNotional, "MIN_NOTIONAL"},
    {RiskCheck::MaxOrderQuantity, "MAX_ORDER_QUANTITY"},
    {RiskCheck::MaxOrderNotional, "MAX_ORDER_NOTIONAL"},
    {RiskCheck::PriceCollar, "PRICE_COLLAR"},
    {RiskCheck::MaxPositionQuantity, "MAX_POSITION_QUANTITY"},
    {RiskCheck::MaxPositionNotional, "MAX_POSITION_NOTIONAL"},
    {RiskCheck::MaxGrossExposure, "MAX_GROSS_EXPOSURE"},
    {RiskCheck::MaxNetExposure, "MAX_NET_EXPOSURE"},
    {RiskCheck::MaxConcentration, "MAX_CONCENTRATION"},
    {RiskCheck::MaxLeverage, "MAX_LEVERAGE"},
    {RiskCheck::Margin, "MARGIN"},
    {RiskCheck::PortfolioVar, "PORTFOLIO_VAR"},
    {RiskCheck::OpenOrdersPerInstrument, "OPEN_ORDERS_PER_INSTRUMENT"},
    {RiskCheck::OpenOrdersTotal, "OPEN_ORDERS_TOTAL"},
    {RiskCheck::OrderRatePerSecond, "ORDER_RATE_PER_SECOND"},
    {RiskCheck::OrderRatePerMinute, "ORDER_RATE_PER_MINUTE"},
    {RiskCheck::DailyLoss, "DAILY_LOSS"},
    {RiskCheck::TradesPerDay, "TRADES_PER_DAY"},
    {RiskCheck::TradesPerHour, "TRADES_PER_HOUR"},
    {RiskCheck::LossStreakCooldown, "LOSS_STREAK_COOLDOWN"},
    {RiskCheck::SizeIncreaseAfterLoss, "SIZE_INCREASE_AFTER_LOSS"},
}};

// Reason code, then the labels of its limit and value (empty: the reason carries no such number).
struct ReasonRow {
  DenyReason reason;
  std::string_view code;
  ReasonLabels labels;
};

constexpr std::array<ReasonRow, 37> kDenyReason{{
    {DenyReason::None, "NONE", {"", ""}},
    {DenyReason::TradingHalted, "TRADING_HALTED", {"", ""}},
    {DenyReason::ReducingOnly, "REDUCING_ONLY", {"position", "quantity"}},
    {DenyReason::InstrumentUnknown, "INSTRUMENT_UNKNOWN", {"instruments", "slot"}},
    {DenyReason::InstrumentNotTradable, "INSTRUMENT_NOT_TRADABLE", {"position", "quantity"}},
    {DenyReason::InvalidQuantity, "INVALID_QUANTITY", {"", "quantity"}},
    {DenyReason::MissingPrice, "MISSING_PRICE", {"", ""}},
    {DenyReason::ReduceOnlyWouldIncrease, "REDUCE_ONLY_WOULD_INCREASE", {"position", "quantity"}},
    {DenyReason::PostOnlyWouldTake, "POST_ONLY_WOULD_TAKE", {"opposite", "price"}},
    {DenyReason::PriceNotOnTick, "PRICE_NOT_ON_TICK", {"tick", "price"}},
    {DenyReason::QuantityNotOnStep, "QUANTITY_NOT_ON_STEP", {"step", "quantity"}},
    {DenyReason::QuantityBelowMin, "QUANTITY_BELOW_MIN", {"min", "quantity"}},
    {DenyReason::NotionalBelowMin, "NOTIONAL_BELOW_MIN", {"min", "notional"}},
    {DenyReason::QuantityExceedsMaxPerOrder, "QUANTITY_EXCEEDS_MAX_PER_ORDER", {"max", "quantity"}},
    {DenyReason::NotionalExceedsMaxPerOrder, "NOTIONAL_EXCEEDS_MAX_PER_ORDER", {"max", "notional"}},
    {DenyReason::NoReferencePrice, "NO_REFERENCE_PRICE", {"", ""}},
    {DenyReason::PriceOutsideCollar, "PRICE_OUTSIDE_COLLAR", {"max_bps", "deviation_bps"}},
    {DenyReason::PositionQuantityExceedsMax, "POSITION_QUANTITY_EXCEEDS_MAX", {"max", "position"}},
    {DenyReason::PositionNotionalExceedsMax, "POSITION_NOTIONAL_EXCEEDS_MAX", {"max", "notional"}},
    {DenyReason::GrossExposureExceedsMax, "GROSS_EXPOSURE_EXCEEDS_MAX", {"max", "gross"}},
    {DenyReason::NetExposureExceedsMax, "NET_EXPOSURE_EXCEEDS_MAX", {"max", "net"}},
    {DenyReason::ConcentrationExceedsMax, "CONCENTRATION_EXCEEDS_MAX", {"max", "concentration"}},
    {DenyReason::LeverageExceedsMax, "LEVERAGE_EXCEEDS_MAX", {"max", "leverage"}},
    {DenyReason::LeverageExceedsTierMax, "LEVERAGE_EXCEEDS_TIER_MAX", {"tier_max", "leverage"}},
    {DenyReason::InsufficientMargin, "INSUFFICIENT_MARGIN", {"available", "required"}},
    {DenyReason::PortfolioVarExceedsMax, "PORTFOLIO_VAR_EXCEEDS_MAX", {"max", "var"}},
    {DenyReason::OpenOrdersPerInstrumentExceedsMax, "OPEN_ORDERS_PER_INSTRUMENT_EXCEEDS_MAX", {"max", "open_orders"}},
    {DenyReason::OpenOrdersTotalExceedsMax, "OPEN_ORDERS_TOTAL_EXCEEDS_MAX", {"max", "open_orders"}},
    {DenyReason::OrderRatePerSecondExceeded, "ORDER_RATE_PER_SECOND_EXCEEDED", {"max", "orders"}},
    {DenyReason::OrderRatePerMinuteExceeded, "ORDER_RATE_PER_MINUTE_EXCEEDED", {"max", "orders"}},
    {DenyReason::DailyLossLimitReached, "DAILY_LOSS_LIMIT_REACHED", {"max", "loss"}},
    {DenyReason::TradesPerDayExceedsMax, "TRADES_PER_DAY_EXCEEDS_MAX", {"max", "trades"}},
    {DenyReason::TradesPerHourExceedsMax, "TRADES_PER_HOUR_EXCEEDS_MAX", {"max", "trades"}},
    {DenyReason::LossStreakCooldown, "LOSS_STREAK_COOLDOWN", {"streak_limit", "streak"}},
    {DenyReason::SizeIncreaseAfterLoss, "SIZE_INCREASE_AFTER_LOSS", {"max", "notional"}},
    {DenyReason::SessionStopped, "SESSION_STOPPED", {"", ""}},
    {DenyReason::OutsideTradingHours, "OUTSIDE_TRADING_HOURS", {"next_open", "now"}},
}};

constexpr Names<Verdict, 3> kVerdict{{
    {Verdict::Approved, "APPROVED"},
    {Verdict::ApprovedReduced, "APPROVED_REDUCED"},
    {Verdict::Denied, "DENIED"},
}};

constexpr Names<CheckStatus, 5> kCheckStatus{{
    {CheckStatus::Passed, "PASSED"},
    {CheckStatus::Reduced, "REDUCED"},
    {CheckStatus::Denied, "DENIED"},
    {CheckStatus::Disabled, "DISABLED"},
    {CheckStatus::NotApplicable, "NOT_APPLICABLE"},
}};

constexpr Names<RiskWarning, 2> kRiskWarning{{
    {RiskWarning::OrderRateAboveNorm, "ORDER_RATE_ABOVE_NORM"},
    {RiskWarning::NearLimit, "NEAR_LIMIT"},
}};

}  // namespace

std::string_view to_string(TradingState v) noexcept { return model::detail::enum_to_string(kTradingState, v); }
std::string_view to_string(RiskCheck v) noexcept { return model::detail::enum_to_string(kRiskCheck, v); }
std::string_view to_string(Verdict v) noexcept { return model::detail::enum_to_string(kVerdict, v); }
std::string_view to_string(CheckStatus v) noexcept { return model::detail::enum_to_string(kCheckStatus, v); }
std::string_view to_string(RiskWarning v) noexcept { return model::detail::enum_to_string(kRiskWarning, v); }

std::string_view to_string(DenyReason v) noexcept {
  for (const ReasonRow& row : kDenyReason) {
    if (row.reason == v) return row.code;
  }
  return "UNKNOWN";
}

ReasonLabels labels_of(DenyReason reason) noexcept {
  for (const ReasonRow& row : kDenyReason) {
    if (row.reason == reason) return row.labels;
  }
  return {"", ""};
}

template <>
core::Result<TradingState> parse<TradingState>(std::string_view text) {
  return model::detail::enum_parse(kTradingState, text, "TradingState");
}
template <>
core::Result<RiskCheck> parse<RiskCheck>(std::string_view text) {
  return model::detail::enum_parse(kRiskCheck, text, "RiskCheck");
}
template <>
core::Result<Verdict> parse<Verdict>(std::string_view text) {
  return model::detail::enum_parse(kVerdict, text, "Verdict");
}
template <>
core::Result<CheckStatus> parse<CheckStatus>(std::string_view text) {
  return model::detail::enum_parse(kCheckStatus, text, "CheckStatus");
}
template <>
core::Result<RiskWarning> parse<RiskWarning>(std::string_view text) {
  return model::detail::enum_parse(kRiskWarning, text, "RiskWarning");
}
template <>
core::Result<DenyReason> parse<DenyReason>(std::string_view text) {
  for (const ReasonRow& row : kDenyReason) {
    if (row.code == text) return row.reason;
  }
  std::string allowed;
  for (const ReasonRow& row : kDenyReason) {
    if (!allowed.empty()) allowed += ", ";
    allowed += row.code;
  }
  return core::Error(core::ErrorCode::InvalidArgument, fmt::format("DenyReason '{}' is not one of {}", text, allowed));
}

namespace {

// Unix seconds as ISO-8601 UTC ("2026-11-23T09:30:00Z"); "none" for 0 (hours that never open again).
std::string unix_seconds_text(const core::Decimal& seconds) {
  if (seconds.is_zero()) return "none";
  auto whole = seconds.rescaled(0, core::RoundingMode::TowardZero);
  auto nanos = whole ? whole->checked_mul_int(core::kNanosPerSecond) : whole;
  if (!nanos) return seconds.to_string_trimmed();
  return core::format_iso8601(core::UnixNanos(nanos->raw()));
}

std::string numbers(DenyReason reason, const core::Decimal& limit, const core::Decimal& value) {
  const ReasonLabels labels = labels_of(reason);
  if (reason == DenyReason::OutsideTradingHours) {
    return fmt::format("{}: {}={}, {}={}", to_string(reason), labels.limit, unix_seconds_text(limit), labels.value,
                       unix_seconds_text(value));
  }
  std::string out(to_string(reason));
  const bool has_limit = !labels.limit.empty();
  const bool has_value = !labels.value.empty();
  if (has_limit || has_value) out += ": ";
  if (has_limit) out += fmt::format("{}={}", labels.limit, limit.to_string_trimmed());
  if (has_limit && has_value) out += ", ";
  if (has_value) out += fmt::format("{}={}", labels.value, value.to_string_trimmed());
  return out;
}

}  // namespace

std::string RiskDecision::message() const {
  switch (verdict) {
    case Verdict::Approved: return std::string(to_string(verdict));
    case Verdict::ApprovedReduced:
      return fmt::format("APPROVED_REDUCED quantity={} ({})", quantity.value().to_string_trimmed(),
                         numbers(reason, limit, value));
    case Verdict::Denied: return numbers(reason, limit, value);
  }
  return std::string(to_string(verdict));
}

}  // namespace ballast::risk
