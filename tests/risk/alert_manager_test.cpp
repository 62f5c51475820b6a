#include "ballast/risk/alert_manager.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace ballast::risk {
namespace {

using model::test::at;
using model::test::instrument_id;
using namespace std::chrono_literals;

AlertConfig config(core::Duration window, std::int64_t burst, core::Duration refill) {
  return AlertConfig{window, burst, refill};
}

TEST(AlertManager, PublishesTheFirstAlertOfAKeyWithASequentialId) {
  AlertManager m(config(60s, 10, 1s));
  const auto a = m.raise(AlertSeverity::Warning, AlertCode::MarginCall, "margin ratio 0.85", std::nullopt, "", at(0));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, 1u);
  EXPECT_EQ(a->severity, AlertSeverity::Warning);
  EXPECT_EQ(a->code, AlertCode::MarginCall);
  EXPECT_EQ(a->message, "margin ratio 0.85");
  EXPECT_EQ(a->ts_event, at(0));
  EXPECT_EQ(a->suppressed_count, 0);
  const auto b = m.raise(AlertSeverity::Warning, AlertCode::RiskLimitReached, "x", std::nullopt, "", at(0));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->id, 2u);
}

TEST(AlertManager, FoldsTheSameCodeAndInstrumentWithinTheWindowIntoOneAlert) {
  AlertManager m(config(60s, 10, 1s));
  const auto btc = instrument_id("BTCUSDT-PERP.BINANCE");
  ASSERT_TRUE(m.raise(AlertSeverity::Critical, AlertCode::CircuitBreakerTriggered, "1", btc, "rapid", at(0)));
  EXPECT_FALSE(m.raise(AlertSeverity::Critical, AlertCode::CircuitBreakerTriggered, "2", btc, "rapid", at(10)));
  EXPECT_FALSE(m.raise(AlertSeverity::Critical, AlertCode::CircuitBreakerTriggered, "3", btc, "rapid", at(59)));
  EXPECT_EQ(m.stats().deduplicated, 2);
  // Another instrument is another key.
  EXPECT_TRUE(m.raise(AlertSeverity::Critical, AlertCode::CircuitBreakerTriggered, "4",
                      instrument_id("ETHUSDT-PERP.BINANCE"), "rapid", at(20)));
  // After the window (0 + 60 s) the next one goes out and reports the two it replaced.
  const auto next = m.raise(AlertSeverity::Critical, AlertCode::CircuitBreakerTriggered, "5", btc, "rapid", at(60));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->suppressed_count, 2);
  EXPECT_EQ(next->message, "5");
}

TEST(AlertManager, FlushSummarisesAClosedWindowWithItsSuppressedCount) {
  AlertManager m(config(60s, 10, 1s));
  ASSERT_TRUE(m.raise(AlertSeverity::Warning, AlertCode::PortfolioRiskHigh, "80 %", std::nullopt, "GROSS", at(0)));
  ASSERT_FALSE(m.raise(AlertSeverity::Warning, AlertCode::PortfolioRiskHigh, "81 %", std::nullopt, "GROSS", at(5)));
  ASSERT_FALSE(m.raise(AlertSeverity::Warning, AlertCode::PortfolioRiskHigh, "82 %", std::nullopt, "GROSS", at(6)));
  EXPECT_TRUE(m.flush(at(59)).empty());  // window still open
  const auto summary = m.flush(at(60));
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].suppressed_count, 2);
  EXPECT_EQ(summary[0].message, "82 %");  // the latest text
  EXPECT_EQ(summary[0].subject, "GROSS");
  // Nothing suppressed since: the next flush after the window forgets the key.
  EXPECT_TRUE(m.flush(at(200)).empty());
  EXPECT_EQ(m.tracked_keys(), 0u);
}

TEST(AlertManager, AHigherSeverityIsNotFolded) {
  AlertManager m(config(60s, 10, 1s));
  ASSERT_TRUE(m.raise(AlertSeverity::Warning, AlertCode::MarginCall, "w", std::nullopt, "", at(0)));
  const auto escalated = m.raise(AlertSeverity::Critical, AlertCode::MarginCall, "c", std::nullopt, "", at(1));
  ASSERT_TRUE(escalated);
  EXPECT_EQ(escalated->severity, AlertSeverity::Critical);
}

TEST(AlertManager, RateLimitsWithATokenBucketAndCountsTheDropped) {
  // Burst 3, one token every 10 s.
  AlertManager m(config(0s, 3, 10s));
  int published = 0;
  for (int i = 0; i < 5; ++i) {
    published += m.raise(AlertSeverity::Info, AlertCode::RiskLimitReached, "x", std::nullopt, std::to_string(i), at(0))
                     ? 1
                     : 0;
  }
  EXPECT_EQ(published, 3);
  EXPECT_EQ(m.stats().rate_limited, 2);
  EXPECT_FALSE(m.raise(AlertSeverity::Info, AlertCode::RiskLimitReached, "x", std::nullopt, "3", at(9)));
  // 10 s later one token: key "3" goes out carrying its two drops (at 0 s and 9 s).
  const auto later = m.raise(AlertSeverity::Info, AlertCode::RiskLimitReached, "x", std::nullopt, "3", at(10));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->suppressed_count, 2);
  EXPECT_EQ(m.tokens(at(10)), 0);
  EXPECT_EQ(m.tokens(at(100)), 3);  // refills up to the burst, no more
}

TEST(AlertManager, NeverDropsOrFoldsEmergencyAlerts) {
  AlertManager m(config(60s, 1, 1h));
  ASSERT_TRUE(m.raise(AlertSeverity::Info, AlertCode::RiskLimitReached, "uses the only token", std::nullopt, "", at(0)));
  EXPECT_FALSE(m.raise(AlertSeverity::Critical, AlertCode::MarginCall, "no token", std::nullopt, "", at(0)));
  const auto first = m.raise(AlertSeverity::Emergency, AlertCode::EmergencyStop, "stop", std::nullopt, "", at(1));
  const auto second = m.raise(AlertSeverity::Emergency, AlertCode::EmergencyStop, "stop", std::nullopt, "", at(2));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id + 1);
  EXPECT_EQ(m.stats().published, 3);
}

}  // namespace
}  // namespace ballast::risk
