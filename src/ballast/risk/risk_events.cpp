#include "ballast/risk/risk_events.hpp"

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

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) noexcept {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "UNKNOWN";
}

template <class E, std::size_t N>
core::Result<E> parse_name(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view type,
                           std::string_view text) {
  std::string allowed;
  for (const auto& [v, name] : names) {
    if (name == text) return v;
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return core::Error(core::ErrorCode::InvalidArgument, fmt::format("{} '{}' is not one of {}", type, text, allowed));
}

}  // namespace

std::string_view to_string(AlertSeverity v) noexcept { return name_of(kSeverityNames, v); }
std::string_view to_string(AlertCode v) noexcept { return name_of(kAlertCodeNames, v); }
std::string_view to_string(BreakerEventKind v) noexcept { return name_of(kKindNames, v); }
std::string_view to_string(BreakerState v) noexcept { return name_of(kStateNames, v); }

template <>
core::Result<AlertSeverity> parse<AlertSeverity>(std::string_view text) {
  return parse_name(kSeverityNames, "AlertSeverity", text);
}
template <>
core::Result<AlertCode> parse<AlertCode>(std::string_view text) {
  return parse_name(kAlertCodeNames, "AlertCode", text);
}
template <>
core::Result<BreakerEventKind> parse<BreakerEventKind>(std::string_view text) {
  return parse_name(kKindNames, "BreakerEventKind", text);
}
template <>
core::Result<BreakerState> parse<BreakerState>(std::string_view text) {
  return parse_name(kStateNames, "BreakerState", text);
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
