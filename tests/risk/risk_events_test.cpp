#include "ballast/risk/risk_events.hpp"

#include "ballast/runtime/message_bus.hpp"

#include <gtest/gtest.h>

namespace ballast::risk {
namespace {

TEST(RiskEvents, AlertSeverityCodesRoundTripAndAreOrdered) {
  for (const auto s : {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical, AlertSeverity::Emergency}) {
    EXPECT_EQ(parse<AlertSeverity>(to_string(s)).value(), s) << to_string(s);
  }
  EXPECT_EQ(to_string(AlertSeverity::Emergency), "EMERGENCY");
  EXPECT_LT(AlertSeverity::Warning, AlertSeverity::Critical);
  EXPECT_LT(AlertSeverity::Critical, AlertSeverity::Emergency);
}

TEST(RiskEvents, AlertCodesRoundTrip) {
  for (const auto c : {AlertCode::RiskLimitReached, AlertCode::PortfolioRiskHigh, AlertCode::MarginCall,
                       AlertCode::CircuitBreakerTriggered, AlertCode::CircuitBreakerActionFailed,
                       AlertCode::CircuitBreakerReset, AlertCode::EmergencyStop, AlertCode::EmergencyStopReset}) {
    EXPECT_EQ(parse<AlertCode>(to_string(c)).value(), c) << to_string(c);
  }
  EXPECT_EQ(to_string(AlertCode::CircuitBreakerActionFailed), "CIRCUIT_BREAKER_ACTION_FAILED");
}

TEST(RiskEvents, BreakerKindsAndStatesRoundTrip) {
  for (const auto k : {BreakerEventKind::Triggered, BreakerEventKind::Acted, BreakerEventKind::Reset}) {
    EXPECT_EQ(parse<BreakerEventKind>(to_string(k)).value(), k);
  }
  for (const auto s : {BreakerState::Armed, BreakerState::Tripped, BreakerState::CoolingDown}) {
    EXPECT_EQ(parse<BreakerState>(to_string(s)).value(), s);
  }
  EXPECT_EQ(to_string(BreakerState::CoolingDown), "COOLING_DOWN");
  EXPECT_EQ(event_name(BreakerEventKind::Triggered), "CircuitBreakerTriggered");
  EXPECT_EQ(event_name(BreakerEventKind::Acted), "CircuitBreakerActed");
  EXPECT_EQ(event_name(BreakerEventKind::Reset), "CircuitBreakerReset");
}

TEST(RiskEvents, ParseNamesTheValidCodesOnAnUnknownOne) {
  const auto r = parse<AlertSeverity>("SEVERE");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().message().find("CRITICAL"), std::string::npos);
}

TEST(RiskEvents, NamesAndTopicsAreStableAndUnderTheRiskPrefix) {
  EXPECT_EQ(CircuitBreakerEvent::kName, "CircuitBreakerEvent");
  EXPECT_EQ(TradeCompleted::kName, "TradeCompleted");
  EXPECT_EQ(MarginCallWarning::kName, "MarginCallWarning");
  EXPECT_EQ(EmergencyStopped::kName, "EmergencyStopped");
  EXPECT_EQ(Alert::kTopic, "events.risk.alert");
  for (const auto topic : {RiskLimitReached::kTopic, PortfolioRiskHigh::kTopic, MarginCallWarning::kTopic,
                           CircuitBreakerEvent::kTopic, EmergencyStopped::kTopic, EmergencyStopReset::kTopic,
                           TradeCompleted::kTopic, PerformanceUpdated::kTopic, Alert::kTopic}) {
    EXPECT_TRUE(runtime::topic_matches("events.risk.*", topic)) << topic;
  }
}

TEST(RiskEvents, AVenueReportIsOkOnlyWithoutErrors) {
  VenueStopReport report;
  EXPECT_TRUE(report.ok());
  report.errors.push_back("cancel_all_orders: timeout");
  EXPECT_FALSE(report.ok());
}

}  // namespace
}  // namespace ballast::risk
