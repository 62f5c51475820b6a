#include "ballast/risk/circuit_breaker_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ballast::risk {
namespace {

using core::Decimal;

std::vector<std::string> errors_of(const CircuitBreakerConfig& b) {
  std::vector<std::string> errors;
  collect_breaker_errors(b, "circuit_breakers[0]", errors);
  return errors;
}

bool has_error(const std::vector<std::string>& errors, std::string_view prefix) {
  return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.starts_with(prefix); });
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

CircuitBreakerConfig breaker(BreakerCondition condition, BreakerScope scope, Decimal threshold) {
  CircuitBreakerConfig b;
  b.name = "b";
  b.condition = condition;
  b.scope = scope;
  b.threshold = threshold;
  return b;
}

TEST(BreakerEnums, EveryConditionCodeRoundTrips) {
  const std::vector<std::pair<BreakerCondition, std::string_view>> expected{
      {BreakerCondition::AccountDrawdown, "ACCOUNT_DRAWDOWN"},
      {BreakerCondition::PositionDrawdown, "POSITION_DRAWDOWN"},
      {BreakerCondition::DailyLoss, "DAILY_LOSS"},
      {BreakerCondition::VolatilitySpike, "VOLATILITY_SPIKE"},
      {BreakerCondition::RapidMove, "RAPID_MOVE"},
      {BreakerCondition::LossStreak, "LOSS_STREAK"},
      {BreakerCondition::RejectRate, "REJECT_RATE"},
      {BreakerCondition::TradingHours, "TRADING_HOURS"},
  };
  for (const auto& [value, code] : expected) {
    EXPECT_EQ(to_string(value), code);
    EXPECT_EQ(parse_breaker_enum<BreakerCondition>(code).value(), value) << code;
  }
}

TEST(BreakerEnums, EveryActionCodeRoundTrips) {
  const std::vector<std::pair<BreakerAction, std::string_view>> expected{
      {BreakerAction::Alert, "ALERT"},
      {BreakerAction::CancelOrders, "CANCEL_ORDERS"},
      {BreakerAction::ClosePosition, "CLOSE_POSITION"},
      {BreakerAction::ReduceOnly, "REDUCE_ONLY"},
      {BreakerAction::Halt, "HALT"},
      {BreakerAction::FlattenAll, "FLATTEN_ALL"},
  };
  for (const auto& [value, code] : expected) {
    EXPECT_EQ(to_string(value), code);
    EXPECT_EQ(parse_breaker_enum<BreakerAction>(code).value(), value) << code;
  }
}

TEST(BreakerEnums, ScopeAndResetCodesRoundTrip) {
  EXPECT_EQ(to_string(BreakerScope::Account), "ACCOUNT");
  EXPECT_EQ(to_string(BreakerScope::Instrument), "INSTRUMENT");
  EXPECT_EQ(to_string(ResetPolicy::Automatic), "AUTOMATIC");
  EXPECT_EQ(to_string(ResetPolicy::Manual), "MANUAL");
  for (BreakerScope s : {BreakerScope::Account, BreakerScope::Instrument}) {
    EXPECT_EQ(parse_breaker_enum<BreakerScope>(to_string(s)).value(), s);
  }
  for (ResetPolicy r : {ResetPolicy::Automatic, ResetPolicy::Manual}) {
    EXPECT_EQ(parse_breaker_enum<ResetPolicy>(to_string(r)).value(), r);
  }
}

TEST(BreakerEnums, ParseRejectsAnUnknownCodeAndListsTheAllowedOnes) {
  auto r = parse_breaker_enum<BreakerAction>("halt");  // codes are case-sensitive
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().message().find("'halt'"), std::string::npos);
  EXPECT_NE(r.error().message().find("FLATTEN_ALL"), std::string::npos);
}

TEST(DefaultCircuitBreakers, AreAccountDrawdownCancelAndPositionDrawdownClose) {
  const auto breakers = default_circuit_breakers();
  ASSERT_EQ(breakers.size(), 2u);
  EXPECT_EQ(breakers[0].condition, BreakerCondition::AccountDrawdown);
  EXPECT_EQ(breakers[0].scope, BreakerScope::Account);
  EXPECT_EQ(breakers[0].threshold, Decimal::from_raw(10, 2));
  EXPECT_EQ(breakers[0].action, BreakerAction::CancelOrders);
  EXPECT_EQ(breakers[1].condition, BreakerCondition::PositionDrawdown);
  EXPECT_EQ(breakers[1].scope, BreakerScope::Instrument);
  EXPECT_FALSE(breakers[1].instrument_id.has_value());
  EXPECT_EQ(breakers[1].threshold, Decimal::from_raw(5, 2));
  EXPECT_EQ(breakers[1].action, BreakerAction::ClosePosition);
  EXPECT_NE(breakers[0].name, breakers[1].name);
}

TEST(DefaultCircuitBreakers, HaveNoErrors) {
  for (const auto& b : default_circuit_breakers()) EXPECT_TRUE(errors_of(b).empty()) << joined(errors_of(b));
}

TEST(CollectBreakerErrors, ReportsAnEmptyNameUnderThePath) {
  auto b = default_circuit_breakers()[0];
  b.name = "";
  const auto errors = errors_of(b);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "circuit_breakers[0].name: must not be empty");
}

TEST(CollectBreakerErrors, ReportsANameWithSpaces) {
  auto b = default_circuit_breakers()[0];
  b.name = "account drawdown";
  EXPECT_TRUE(has_error(errors_of(b), "circuit_breakers[0].name: must be 1-128 printable"));
}

TEST(CollectBreakerErrors, RequiresAccountScopeForAccountDrawdown) {
  auto b = breaker(BreakerCondition::AccountDrawdown, BreakerScope::Instrument, Decimal::from_raw(1, 1));
  const auto errors = errors_of(b);
  ASSERT_EQ(errors.size(), 1u) << joined(errors);
  EXPECT_EQ(errors[0], "circuit_breakers[0].scope: ACCOUNT_DRAWDOWN needs scope ACCOUNT, got INSTRUMENT");
}

TEST(CollectBreakerErrors, RequiresInstrumentScopeForPositionDrawdownRapidMoveAndVolatilitySpike) {
  EXPECT_TRUE(
      has_error(errors_of(breaker(BreakerCondition::PositionDrawdown, BreakerScope::Account, Decimal::from_raw(5, 2))),
                "circuit_breakers[0].scope: POSITION_DRAWDOWN needs scope INSTRUMENT"));
  EXPECT_TRUE(has_error(errors_of(breaker(BreakerCondition::RapidMove, BreakerScope::Account, Decimal::from_raw(5, 2))),
                        "circuit_breakers[0].scope: RAPID_MOVE needs scope INSTRUMENT"));
  EXPECT_TRUE(
      has_error(errors_of(breaker(BreakerCondition::VolatilitySpike, BreakerScope::Account, Decimal::from_int(3))),
                "circuit_breakers[0].scope: VOLATILITY_SPIKE needs scope INSTRUMENT"));
}

TEST(CollectBreakerErrors, AllowsEitherScopeForLossStreak) {
  EXPECT_TRUE(errors_of(breaker(BreakerCondition::LossStreak, BreakerScope::Account, Decimal::from_int(3))).empty());
  EXPECT_TRUE(errors_of(breaker(BreakerCondition::LossStreak, BreakerScope::Instrument, Decimal::from_int(3))).empty());
}

TEST(CollectBreakerErrors, RejectsAnInstrumentOnAnAccountScopeBreaker) {
  auto b = breaker(BreakerCondition::DailyLoss, BreakerScope::Account, Decimal::from_int(1000));
  b.instrument_id = core::InstrumentId::parse("BTCUSDT.BINANCE").value();
  EXPECT_EQ(errors_of(b),
            std::vector<std::string>{"circuit_breakers[0].instrument: is only allowed with scope INSTRUMENT"});
}

TEST(CollectBreakerErrors, RequiresDrawdownThresholdsStrictlyBetweenZeroAndOne) {
  for (Decimal bad : {Decimal::from_int(0), Decimal::from_int(1), Decimal::from_raw(-5, 2), Decimal::from_int(10)}) {
    auto b = breaker(BreakerCondition::AccountDrawdown, BreakerScope::Account, bad);
    EXPECT_TRUE(has_error(errors_of(b), "circuit_breakers[0].threshold: must be a fraction in (0, 1)"))
        << bad.to_string();
  }
  EXPECT_TRUE(
      errors_of(breaker(BreakerCondition::AccountDrawdown, BreakerScope::Account, Decimal::from_raw(999, 3))).empty());
}

TEST(CollectBreakerErrors, RequiresAPositiveDailyLoss) {
  auto b = breaker(BreakerCondition::DailyLoss, BreakerScope::Account, Decimal::from_int(0));
  EXPECT_TRUE(has_error(errors_of(b), "circuit_breakers[0].threshold: must be > 0"));
}

TEST(CollectBreakerErrors, RequiresAVolatilitySpikeMultipleAboveOneAndABaselineLongerThanTheWindow) {
  auto b = breaker(BreakerCondition::VolatilitySpike, BreakerScope::Instrument, Decimal::from_int(1));
  b.window = std::chrono::hours(2);
  b.baseline_window = std::chrono::hours(1);
  b.min_samples = 1;
  const auto errors = errors_of(b);
  EXPECT_EQ(errors.size(), 3u) << joined(errors);
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].threshold: must be > 1"));
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].baseline_window: must be longer than window (2h), got 1h"));
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].min_samples: must be >= 2, got 1"));
}

TEST(CollectBreakerErrors, RequiresAWholeLossStreakCount) {
  auto b = breaker(BreakerCondition::LossStreak, BreakerScope::Account, Decimal::from_raw(25, 1));
  EXPECT_TRUE(has_error(errors_of(b), "circuit_breakers[0].threshold: must be a whole number"));
}

TEST(CollectBreakerErrors, RequiresAPositiveWindowForWindowedConditions) {
  auto b = breaker(BreakerCondition::RejectRate, BreakerScope::Account, Decimal::from_raw(5, 1));
  b.window = core::Duration::zero();
  EXPECT_EQ(errors_of(b), std::vector<std::string>{"circuit_breakers[0].window: must be > 0"});
  // ACCOUNT_DRAWDOWN does not use a window, so its value does not matter.
  auto d = breaker(BreakerCondition::AccountDrawdown, BreakerScope::Account, Decimal::from_raw(1, 1));
  d.window = core::Duration::zero();
  EXPECT_TRUE(errors_of(d).empty());
}

TEST(CollectBreakerErrors, RequiresAtLeastOneSessionForTradingHours) {
  auto b = breaker(BreakerCondition::TradingHours, BreakerScope::Account, Decimal{});
  EXPECT_EQ(errors_of(b),
            std::vector<std::string>{"circuit_breakers[0].sessions: TRADING_HOURS needs at least one session"});
  b.sessions.push_back({8 * 60, 22 * 60, 0x1f});
  EXPECT_TRUE(errors_of(b).empty());
}

TEST(CollectBreakerErrors, ChecksSessionMinutesAndWeekdays) {
  auto b = breaker(BreakerCondition::TradingHours, BreakerScope::Account, Decimal{});
  b.sessions.push_back({-1, 24 * 60 + 1, 0x7f});
  b.sessions.push_back({600, 600, 0});
  const auto errors = errors_of(b);
  EXPECT_EQ(errors.size(), 4u) << joined(errors);
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].sessions[0].start: must be within 00:00..23:59"));
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].sessions[0].end: must be within 00:00..24:00"));
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].sessions[1].end: must differ from start"));
  EXPECT_TRUE(has_error(errors, "circuit_breakers[0].sessions[1].days: must name at least one weekday"));
}

TEST(CollectBreakerErrors, AcceptsASessionThatWrapsPastMidnight) {
  auto b = breaker(BreakerCondition::TradingHours, BreakerScope::Account, Decimal{});
  b.sessions.push_back({22 * 60, 6 * 60, 0x7f});
  EXPECT_TRUE(errors_of(b).empty()) << joined(errors_of(b));
}

TEST(CollectBreakerErrors, RejectsANegativeCooldownButAcceptsZero) {
  auto b = default_circuit_breakers()[0];
  b.cooldown = core::Duration::zero();
  EXPECT_TRUE(errors_of(b).empty());
  b.cooldown = std::chrono::seconds(-1);
  EXPECT_EQ(errors_of(b), std::vector<std::string>{"circuit_breakers[0].cooldown: must be >= 0"});
}

TEST(CollectBreakerErrors, ReportsEveryProblemAtOnce) {
  auto b = breaker(BreakerCondition::RapidMove, BreakerScope::Account, Decimal::from_int(2));
  b.name = "";
  b.window = core::Duration::zero();
  b.cooldown = std::chrono::seconds(-5);
  EXPECT_EQ(errors_of(b).size(), 5u) << joined(errors_of(b));
}

}  // namespace
}  // namespace ballast::risk
