#include "ballast/risk/risk_config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ballast::risk {
namespace {

using core::Decimal;

core::InstrumentId id(std::string_view text) {
  return core::InstrumentId::parse(text).value();
}

DecimalLimit on(Decimal value) {
  return {true, value};
}

// The message of validate(), or "" when the configuration is valid.
std::string problems(const RiskConfig& c) {
  const auto status = validate(c);
  return status ? std::string() : status.error().message();
}

bool mentions(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(RiskConfigValidate, AcceptsTheDefaultConfiguration) {
  EXPECT_EQ(problems(RiskConfig{}), "");
}

TEST(RiskConfigValidate, DefaultConfigurationCarriesTheDefaultBreakers) {
  EXPECT_EQ(RiskConfig{}.circuit_breakers, default_circuit_breakers());
}

TEST(RiskConfigValidate, RejectsAnEnabledLimitWithoutAPositiveValue) {
  RiskConfig c;
  c.instrument.max_order_notional = on(Decimal::from_int(0));
  const auto status = validate(c);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(status.error().message(), "limits.max_order_notional.value: must be > 0 when the limit is enabled, got 0");
}

TEST(RiskConfigValidate, IgnoresTheValueOfADisabledLimit) {
  RiskConfig c;
  c.instrument.max_order_notional = {false, Decimal::from_int(-5)};
  c.max_open_orders_total = {false, 0};
  EXPECT_EQ(problems(c), "");
}

TEST(RiskConfigValidate, ReportsEveryProblemAtOnceJoinedBySemicolons) {
  RiskConfig c;
  c.instrument.max_order_quantity = on(Decimal::from_int(-1));
  c.max_leverage = on(Decimal::from_int(0));
  c.max_orders_per_second = {true, 0};
  c.warning_utilisation = Decimal::from_int(0);
  EXPECT_EQ(problems(c),
            "warning_utilisation: must be in (0, 1], got 0; "
            "limits.max_order_quantity.value: must be > 0 when the limit is enabled, got -1; "
            "account.max_leverage.value: must be > 0 when the limit is enabled, got 0; "
            "account.max_orders_per_second.value: must be >= 1 when the limit is enabled, got 0");
}

TEST(RiskConfigValidate, BoundsConcentrationByTenTimesEquity) {
  RiskConfig c;
  c.instrument.max_concentration = on(Decimal::from_int(10));
  EXPECT_EQ(problems(c), "");
  c.instrument.max_concentration = on(Decimal::from_raw(1001, 2));
  EXPECT_EQ(problems(c), "limits.max_concentration.value: must be <= 10, got 10.01");
}

TEST(RiskConfigValidate, BoundsThePriceCollarByTenThousandBasisPoints) {
  RiskConfig c;
  c.instrument.price_collar_bps = on(Decimal::from_int(10'001));
  EXPECT_EQ(problems(c), "limits.price_collar_bps.value: must be <= 10000, got 10001");
}

TEST(RiskConfigValidate, BoundsLeverageByOneThousand) {
  RiskConfig c;
  c.max_leverage = on(Decimal::from_int(125));
  EXPECT_EQ(problems(c), "");
  c.max_leverage = on(Decimal::from_int(1'001));
  EXPECT_EQ(problems(c), "account.max_leverage.value: must be <= 1000, got 1001");
}

TEST(RiskConfigValidate, RequiresWarningUtilisationAndMarginCallRatioInZeroToOne) {
  RiskConfig c;
  c.warning_utilisation = Decimal::from_int(1);
  c.margin_call_ratio = Decimal::from_int(1);
  EXPECT_EQ(problems(c), "");
  c.warning_utilisation = Decimal::from_raw(15, 1);
  c.margin_call_ratio = Decimal::from_raw(-1, 1);
  EXPECT_EQ(problems(c),
            "warning_utilisation: must be in (0, 1], got 1.5; margin_call_ratio: must be in (0, 1], got -0.1");
}

TEST(RiskConfigValidate, RequiresVarConfidenceAboveOneHalfAndBelowOne) {
  RiskConfig c;
  c.portfolio_var.confidence = 0.5;
  EXPECT_EQ(problems(c), "portfolio_var.confidence: must be in (0.5, 1), got 0.5");
  c.portfolio_var.confidence = 1.0;
  EXPECT_EQ(problems(c), "portfolio_var.confidence: must be in (0.5, 1), got 1");
  c.portfolio_var.confidence = 0.975;
  EXPECT_EQ(problems(c), "");
}

TEST(RiskConfigValidate, RequiresAPositiveVarHorizonAndAPositiveMaxVarWhenEnabled) {
  RiskConfig c;
  c.portfolio_var.enabled = true;
  c.portfolio_var.horizon_days = 0.0;
  EXPECT_EQ(problems(c),
            "portfolio_var.max_var: must be > 0 when the limit is enabled, got 0; "
            "portfolio_var.horizon_days: must be > 0, got 0");
}

TEST(RiskConfigValidate, RequiresVolatilityScalingFactorsInZeroToOne) {
  RiskConfig c;
  c.volatility_scaling.extreme = Decimal::from_int(0);
  c.volatility_scaling.low = Decimal::from_raw(12, 1);
  EXPECT_EQ(problems(c),
            "volatility_scaling.low: must be in (0, 1], got 1.2; volatility_scaling.extreme: must be in (0, 1], got 0");
}

TEST(RiskConfigValidate, ChecksBehaviourControls) {
  RiskConfig c;
  c.behaviour.loss_streak = {true, 0};
  c.behaviour.loss_streak_cooldown = std::chrono::minutes(-1);
  c.behaviour.block_size_increase_after_loss = true;
  c.behaviour.revenge_window = core::Duration::zero();
  c.behaviour.revenge_tolerance = Decimal::from_raw(-1, 2);
  c.behaviour.order_rate_warning_factor = Decimal::from_raw(5, 1);
  c.behaviour.order_rate_warning_min = 0;
  const std::string p = problems(c);
  EXPECT_TRUE(mentions(p, "behaviour.loss_streak.value: must be >= 1")) << p;
  EXPECT_TRUE(mentions(p, "behaviour.loss_streak_cooldown: must be >= 0")) << p;
  EXPECT_TRUE(mentions(p, "behaviour.revenge_window: must be > 0 when block_size_increase_after_loss is on")) << p;
  EXPECT_TRUE(mentions(p, "behaviour.revenge_tolerance: must be >= 0")) << p;
  EXPECT_TRUE(mentions(p, "behaviour.order_rate_warning_factor: must be >= 1, got 0.5")) << p;
  EXPECT_TRUE(mentions(p, "behaviour.order_rate_warning_min: must be >= 1, got 0")) << p;
}

TEST(RiskConfigValidate, RejectsADuplicateSymbolOverride) {
  RiskConfig c;
  c.symbols.push_back({.instrument_id = id("BTCUSDT.BINANCE")});
  c.symbols.push_back({.instrument_id = id("ETHUSDT.BINANCE")});
  c.symbols.push_back({.instrument_id = id("BTCUSDT.BINANCE")});
  EXPECT_EQ(problems(c), "symbols[2].instrument: duplicate override for BTCUSDT.BINANCE (first at symbols[0])");
}

TEST(RiskConfigValidate, RejectsASymbolOverrideWithoutAnInstrument) {
  RiskConfig c;
  c.symbols.emplace_back();
  EXPECT_EQ(problems(c), "symbols[0].instrument: must be set (SYMBOL.VENUE, e.g. BTCUSDT.BINANCE)");
}

TEST(RiskConfigValidate, ChecksSymbolOverrideLimitsUnderTheirOwnPath) {
  RiskConfig c;
  SymbolRiskConfig s{.instrument_id = id("BTCUSDT.BINANCE")};
  s.max_concentration = on(Decimal::from_int(11));
  s.max_open_orders = CountLimit{true, -2};
  c.symbols.push_back(s);
  EXPECT_EQ(problems(c),
            "symbols[0].max_concentration.value: must be <= 10, got 11; "
            "symbols[0].max_open_orders.value: must be >= 1 when the limit is enabled, got -2");
}

TEST(RiskConfigValidate, RejectsDuplicateBreakerNames) {
  RiskConfig c;
  c.circuit_breakers.push_back(c.circuit_breakers[0]);
  EXPECT_EQ(problems(c),
            "circuit_breakers[2].name: duplicate name 'account-drawdown-10' (first at circuit_breakers[0])");
}

TEST(RiskConfigValidate, PrefixesBreakerProblemsWithTheirIndex) {
  RiskConfig c;
  c.circuit_breakers[1].scope = BreakerScope::Account;
  EXPECT_EQ(problems(c), "circuit_breakers[1].scope: POSITION_DRAWDOWN needs scope INSTRUMENT, got ACCOUNT");
}

TEST(RiskConfigValidate, AcceptsNoBreakersAtAll) {
  RiskConfig c;
  c.circuit_breakers.clear();
  EXPECT_EQ(problems(c), "");
}

TEST(RiskConfigLimitsFor, ReturnsTheGlobalLimitsForAnInstrumentWithoutOverride) {
  RiskConfig c;
  c.instrument.max_order_notional = on(Decimal::from_int(10'000));
  c.symbols.push_back({.instrument_id = id("BTCUSDT.BINANCE")});
  EXPECT_EQ(c.limits_for(id("SOLUSDT.BINANCE")), c.instrument);
}

TEST(RiskConfigLimitsFor, ReplacesOnlyTheOverriddenLimits) {
  RiskConfig c;
  c.instrument.max_order_notional = on(Decimal::from_int(10'000));
  c.instrument.max_open_orders = {true, 20};
  c.instrument.price_collar_bps = on(Decimal::from_int(500));
  SymbolRiskConfig s{.instrument_id = id("BTCUSDT.BINANCE")};
  s.max_order_notional = on(Decimal::from_int(50'000));
  s.price_collar_bps = DecimalLimit{};  // switched off for this instrument
  c.symbols.push_back(s);

  const InstrumentLimits btc = c.limits_for(id("BTCUSDT.BINANCE"));
  EXPECT_EQ(btc.max_order_notional, on(Decimal::from_int(50'000)));
  EXPECT_FALSE(btc.price_collar_bps.enabled);
  EXPECT_EQ(btc.max_open_orders, (CountLimit{true, 20}));
  EXPECT_EQ(btc.max_order_quantity, c.instrument.max_order_quantity);
}

TEST(RiskConfigSymbol, FindsTheOverrideOfAnInstrument) {
  RiskConfig c;
  c.symbols.push_back({.instrument_id = id("BTCUSDT.BINANCE"), .tradable = false});
  c.symbols.push_back({.instrument_id = id("ETHUSDT.BINANCE")});
  const SymbolRiskConfig* btc = c.symbol(id("BTCUSDT.BINANCE"));
  ASSERT_NE(btc, nullptr);
  EXPECT_FALSE(btc->tradable);
  EXPECT_EQ(c.symbol(id("ETHUSDT.BINANCE")), &c.symbols[1]);
  EXPECT_EQ(c.symbol(id("BTCUSDT.HYPERLIQUID")), nullptr);
}

}  // namespace
}  // namespace ballast::risk
