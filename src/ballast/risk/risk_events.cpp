#include "ballast/risk/risk_events.hpp"

#include "ballast/model/enums.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>

namespace ballast::risk {
namespace {

// Stable codes: they appear in events, the store, the API and the dashboard.
constexpr std::array<std::pair<AlertSeverity, std::string_view>, 4> kSeverityNames{{
    {AlertSeverity::Info, "INFO"},
    {AlertSeverity::Warning, "WARNING"},
    {AlertSeverity::Critical, "CRITICAL"},
    {AlertSeverity::Emergency, "EMERGENCY"},
}};

constexpr std::array<std::pair<AlertCode, std::string_view>, 8> kAlertCodeNames{{
    {AlertCode::RiskLimitReached, "RISK_LIMIT_REACHED"},
    {AlertCode::PortfolioRiskHigh, "PORTFOLIO_RISK_HIGH"},
    {AlertCode::MarginCall, "MARGIN_CALL"},
    {AlertCode::CircuitBreakerTriggered, "CIRCUIT_BREAKER_TRIGGERED"},
    {AlertCode::CircuitBreakerActionFailed, "CIRCUIT_BREAKER_ACTION_FAILED"},
    {AlertCode::CircuitBreakerReset, "CIRCUIT_BREAKER_RESET"},
    {AlertCode::EmergencyStop, "EMERGENCY_STOP"},
    {AlertCode::EmergencyStopReset, "EMERGENCY_STOP_RESET"},
}};

constexpr std::array<std::pair<BreakerEventKind, std::string_view>, 3> kKindNames{{
    {BreakerEventKind::Triggered, "TRIGGERED"},
    {BreakerEventKind::Acted, "ACTED"},
    {BreakerEventKind::Reset, "RESET"},
}};

constexpr std::array<std::pair<BreakerState, std::string_view>, 3> kStateNames{{
    {BreakerState::Armed, "ARMED"},
    {BreakerState::Tripped, "TRIPPED"},
    {BreakerState::CoolingDown, "COOLING_DOWN"},
}};

}  // namespace

std::string_view to_string(AlertSeverity v) noexcept { return model::detail::enum_to_string(kSeverityNames, v); }
std::string_view to_string(AlertCode v) noexcept { return model::detail::enum_to_string(kAlertCodeNames, v); }
std::string_view to_string(BreakerEventKind v) noexcept { return model::detail::enum_to_string(kKindNames, v); }
std::string_view to_string(BreakerState v) noexcept { return model::detail::enum_to_string(kStateNames, v); }

template <>
core::Result<AlertSeverity> parse<AlertSeverity>(std::string_view text) {
  return model::detail::enum_parse(kSeverityNames, text, "AlertSeverity");
}
template <>
core::Result<AlertCode> parse<AlertCode>(std::string_view text) {
  return model::detail::enum_parse(kAlertCodeNames, text, "AlertCode");
}
template <>
core::Result<BreakerEventKind> parse<BreakerEventKind>(std::string_view text) {
  return model::detail::enum_parse(kKindNames, text, "BreakerEventKind");
}
template <>
core::Result<BreakerState> parse<BreakerState>(std::string_view text) {
  return model::detail::enum_parse(kStateNames, text, "BreakerState");
}

std::string_view event_name(BreakerEventKind kind) noexcept {
  switch (kind) {
    case BreakerEventKind::Triggered: return "CircuitBreakerTriggered";
    case BreakerEventKind::Acted: return "CircuitBreakerActed";
    case BreakerEventKind::Reset: return "CircuitBreakerReset";
  }
  return "CircuitBreakerEvent";
}

}  // namespace ballast::risk
