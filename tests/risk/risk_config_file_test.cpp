#include "ballast/risk/risk_config.hpp"

#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace ballast::risk {
namespace {

using core::Decimal;

core::InstrumentId id(std::string_view text) {
  return core::InstrumentId::parse(text).value();
}

RiskConfig toml_ok(std::string_view text) {
  auto r = parse_risk_config_toml(text, "risk.toml");
  EXPECT_TRUE(r) << r.error().to_string();
  return r ? *r : RiskConfig{};
}

RiskConfig json_ok(std::string_view text) {
  auto r = parse_risk_config_json(text, "risk.json");
  EXPECT_TRUE(r) << r.error().to_string();
  return r ? *r : RiskConfig{};
}

std::string toml_error(std::string_view text) {
  auto r = parse_risk_config_toml(text, "risk.toml");
  return r ? std::string("(parsed)") : r.error().to_string();
}

std::string json_error(std::string_view text) {
  auto r = parse_risk_config_json(text, "risk.json");
  return r ? std::string("(parsed)") : r.error().to_string();
}

std::filesystem::path examples_dir() {
  // This file is tests/risk/risk_config_file_test.cpp; the examples live in docs/examples.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "docs" / "examples";
}

// Every field set away from its default, with values that stress exactness (long decimals, zero and
// odd durations, sessions that wrap midnight).
RiskConfig fully_populated() {
  RiskConfig c;
  c.reduce_quantity_to_fit = true;
  c.check_margin = false;
  c.warning_utilisation = Decimal::from_raw(85, 2);
  c.margin_call_ratio = Decimal::from_raw(7, 1);
  c.instrument.max_order_quantity = {true, Decimal::from_raw(25, 1)};
  c.instrument.max_order_notional = {true, Decimal::from_raw(1, 1)};
  c.instrument.price_collar_bps = {false, Decimal::from_int(300)};
  c.instrument.max_position_quantity = {true, Decimal::parse("0.123456789012345678").value()};
  c.instrument.max_position_notional = {true, Decimal::from_int(250'000)};
  c.instrument.max_concentration = {true, Decimal::from_raw(35, 2)};
  c.instrument.max_open_orders = {true, 12};
  c.max_gross_exposure = {true, Decimal::from_int(300'000)};
  c.max_net_exposure = {true, Decimal::parse("123456789.123456789").value()};
  c.max_leverage = {true, Decimal::from_int(3)};
  c.check_margin = false;
  c.portfolio_var = {true, Decimal::from_int(4'000), 0.975, 0.5};
  c.max_open_orders_total = {true, 50};
  c.max_orders_per_second = {true, 5};
  c.max_orders_per_minute = {false, 120};
  c.daily_loss_limit = {true, Decimal::from_int(3'000)};
  c.max_trades_per_day = {true, 200};
  c.max_trades_per_hour = {true, 40};
  c.volatility_scaling = {true, Decimal::from_raw(95, 2), Decimal::from_int(1), Decimal::from_raw(7, 1),
                          Decimal::from_raw(4, 1)};
  c.behaviour.loss_streak = {true, 4};
  c.behaviour.loss_streak_cooldown = std::chrono::minutes(45);
  c.behaviour.block_size_increase_after_loss = true;
  c.behaviour.revenge_window = std::chrono::milliseconds(90'500);
  c.behaviour.revenge_tolerance = Decimal::from_raw(1, 1);
  c.behaviour.order_rate_warning = true;
  c.behaviour.order_rate_warning_factor = Decimal::from_raw(25, 1);
  c.behaviour.order_rate_warning_min = 15;

  SymbolRiskConfig btc{.instrument_id = id("BTCUSDT.BINANCE")};
  btc.max_order_quantity = DecimalLimit{true, Decimal::from_raw(5, 1)};
  btc.max_order_notional = DecimalLimit{true, Decimal::from_int(50'000)};
  btc.price_collar_bps = DecimalLimit{};
  btc.max_position_quantity = DecimalLimit{false, Decimal::from_int(2)};
  btc.max_position_notional = DecimalLimit{true, Decimal::from_int(150'000)};
  btc.max_concentration = DecimalLimit{true, Decimal::from_raw(6, 1)};
  btc.max_open_orders = CountLimit{true, 8};
  SymbolRiskConfig doge{.instrument_id = id("DOGEUSDT.BINANCE"), .tradable = false};
  // Trading hours: the account's (one window past midnight), BTC's own (24:00 as an end), DOGE's empty
  // list (always open, which differs from no list).
  c.trading_hours = {{13 * 60 + 30, 20 * 60, 0x1f}, {22 * 60, 2 * 60, 0x10}};
  btc.trading_hours = std::vector<TradingSession>{{0, 24 * 60, 0x7f}};
  doge.trading_hours = std::vector<TradingSession>{};
  c.symbols = {btc, doge};

  CircuitBreakerConfig hours;
  hours.name = "trading-hours";
  hours.condition = BreakerCondition::TradingHours;
  hours.scope = BreakerScope::Instrument;
  hours.instrument_id = id("ETHUSDT.BINANCE");
  hours.enabled = false;
  hours.sessions = {{22 * 60, 6 * 60, 0x1f}, {0, 24 * 60, 0x60}};
  hours.action = BreakerAction::ReduceOnly;
  hours.cooldown = core::Duration::zero();
  hours.block_trading_during_cooldown = true;
  hours.reset = ResetPolicy::Manual;
  CircuitBreakerConfig spike;
  spike.name = "vol-spike";
  spike.condition = BreakerCondition::VolatilitySpike;
  spike.scope = BreakerScope::Instrument;
  spike.threshold = Decimal::from_raw(35, 1);
  spike.window = std::chrono::minutes(15);
  spike.baseline_window = std::chrono::hours(24 * 7);
  spike.min_samples = 30;
  spike.action = BreakerAction::FlattenAll;
  spike.cooldown = std::chrono::hours(2);
  c.circuit_breakers = default_circuit_breakers();
  c.circuit_breakers.push_back(hours);
  c.circuit_breakers.push_back(spike);
  return c;
}

// --- reading -----------------------------------------------------------------------------------------

TEST(RiskConfigToml, AnEmptyFileGivesTheDefaultConfiguration) {
  EXPECT_EQ(toml_ok(""), RiskConfig{});
}

TEST(RiskConfigJson, AnEmptyObjectGivesTheDefaultConfiguration) {
  EXPECT_EQ(json_ok("{}"), RiskConfig{});
}

TEST(RiskConfigToml, ReadsTheThreeFormsOfALimit) {
  const RiskConfig c = toml_ok(R"(
[limits]
max_order_notional = 10000
max_order_quantity = false
max_position_notional = { enabled = false, value = 250000 }
max_position_quantity = { value = 3 }
max_open_orders = 20
)");
  EXPECT_EQ(c.instrument.max_order_notional, (DecimalLimit{true, Decimal::from_int(10'000)}));
  EXPECT_EQ(c.instrument.max_order_quantity, DecimalLimit{});
  EXPECT_EQ(c.instrument.max_position_notional, (DecimalLimit{false, Decimal::from_int(250'000)}));
  // In table form `enabled` defaults to true.
  EXPECT_EQ(c.instrument.max_position_quantity, (DecimalLimit{true, Decimal::from_int(3)}));
  EXPECT_EQ(c.instrument.max_open_orders, (CountLimit{true, 20}));
}

TEST(RiskConfigToml, ReadsDecimalsExactlyFromNumbersAndStrings) {
  const RiskConfig c = toml_ok(R"(
warning_utilisation = 0.1
[limits]
max_order_quantity = "0.123456789012345678"
max_concentration = 0.35
)");
  EXPECT_EQ(c.warning_utilisation, Decimal::from_raw(1, 1));
  EXPECT_EQ(c.instrument.max_order_quantity.value, Decimal::from_raw(123456789012345678, 18));
  EXPECT_EQ(c.instrument.max_concentration.value, Decimal::from_raw(35, 2));
}

TEST(RiskConfigJson, ReadsNumbersAsWrittenWithoutBinaryRounding) {
  // 0.123456789012345678 has no exact double; the reader takes the literal text.
  const RiskConfig c = json_ok(R"({"warning_utilisation": 0.1,
    "limits": {"max_order_quantity": 0.123456789012345678, "max_order_notional": "2500.5",
               "max_position_notional": 1e5}})");
  EXPECT_EQ(c.warning_utilisation, Decimal::from_raw(1, 1));
  EXPECT_EQ(c.instrument.max_order_quantity.value, Decimal::from_raw(123456789012345678, 18));
  EXPECT_EQ(c.instrument.max_order_notional.value, Decimal::from_raw(25005, 1));
  EXPECT_EQ(c.instrument.max_position_notional.value, Decimal::from_int(100'000));
}

TEST(RiskConfigToml, KeepsTheDefaultBreakersWhenTheFileHasNone) {
  EXPECT_EQ(toml_ok("check_margin = true\n").circuit_breakers, default_circuit_breakers());
}

TEST(RiskConfigToml, AnExplicitEmptyBreakerListMeansNoBreakers) {
  EXPECT_TRUE(toml_ok("circuit_breakers = []\n").circuit_breakers.empty());
}

TEST(RiskConfigJson, AnExplicitEmptyBreakerListMeansNoBreakers) {
  EXPECT_TRUE(json_ok(R"({"circuit_breakers": []})").circuit_breakers.empty());
}

TEST(RiskConfigToml, ReadsSymbolOverrides) {
  const RiskConfig c = toml_ok(R"(
[[symbols]]
instrument = "BTCUSDT.BINANCE"
max_order_notional = 50000
price_collar_bps = false

[[symbols]]
instrument = "DOGEUSDT.BINANCE"
tradable = false
)");
  ASSERT_EQ(c.symbols.size(), 2u);
  EXPECT_EQ(c.symbols[0].instrument_id, id("BTCUSDT.BINANCE"));
  EXPECT_EQ(c.symbols[0].max_order_notional, (DecimalLimit{true, Decimal::from_int(50'000)}));
  EXPECT_EQ(c.symbols[0].price_collar_bps, DecimalLimit{});
  EXPECT_FALSE(c.symbols[0].max_order_quantity.has_value());
  EXPECT_FALSE(c.symbols[1].tradable);
}

TEST(RiskConfigToml, ReadsABreakerWithSessionsAndDurations) {
  const RiskConfig c = toml_ok(R"(
[[circuit_breakers]]
name = "hours"
condition = "TRADING_HOURS"
sessions = [{ start = "08:00", end = "24:00", days = ["MON", "WED", "SUN"] }, { start = "22:30", end = "02:15" }]
action = "REDUCE_ONLY"
cooldown = "0s"
reset = "MANUAL"
)");
  ASSERT_EQ(c.circuit_breakers.size(), 1u);
  const CircuitBreakerConfig& b = c.circuit_breakers[0];
  EXPECT_EQ(b.condition, BreakerCondition::TradingHours);
  EXPECT_EQ(b.scope, BreakerScope::Account);
  ASSERT_EQ(b.sessions.size(), 2u);
  EXPECT_EQ(b.sessions[0], (TradingSession{8 * 60, 24 * 60, 0b1000101}));
  EXPECT_EQ(b.sessions[1], (TradingSession{22 * 60 + 30, 2 * 60 + 15, 0x7f}));
  EXPECT_EQ(b.action, BreakerAction::ReduceOnly);
  EXPECT_EQ(b.cooldown, core::Duration::zero());
  EXPECT_EQ(b.reset, ResetPolicy::Manual);
}

TEST(RiskConfigToml, InfersInstrumentScopeForPerInstrumentConditions) {
  const RiskConfig c = toml_ok(R"(
[[circuit_breakers]]
name = "rapid"
condition = "RAPID_MOVE"
threshold = 0.03
window = "1m"

[[circuit_breakers]]
name = "streak-btc"
condition = "LOSS_STREAK"
instrument = "BTCUSDT.BINANCE"
threshold = 4
)");
  ASSERT_EQ(c.circuit_breakers.size(), 2u);
  EXPECT_EQ(c.circuit_breakers[0].scope, BreakerScope::Instrument);
  EXPECT_EQ(c.circuit_breakers[0].window, std::chrono::minutes(1));
  EXPECT_EQ(c.circuit_breakers[1].scope, BreakerScope::Instrument);
  EXPECT_EQ(c.circuit_breakers[1].instrument_id, id("BTCUSDT.BINANCE"));
}

// --- errors ------------------------------------------------------------------------------------------

TEST(RiskConfigToml, RejectsAnUnknownKeyWithItsLineAndASuggestion) {
  EXPECT_EQ(toml_error("[limits]\nmax_order_notinal = 10000\n"),
            "risk.toml:2: limits.max_order_notinal: unknown key; did you mean max_order_notional?");
}

TEST(RiskConfigToml, ListsTheKnownKeysWhenNoneIsClose) {
  const std::string e = toml_error("[portfolio_var]\nzzz = 1\n");
  EXPECT_EQ(e,
            "risk.toml:2: portfolio_var.zzz: unknown key; expected one of enabled, max_var, confidence, horizon_days");
}

TEST(RiskConfigToml, SaysWhereALimitWrittenAtTheTopLevelBelongs) {
  EXPECT_EQ(toml_error("max_leverage = 3\n"),
            "risk.toml:1: max_leverage: unknown top-level key; max_leverage belongs in the account table");
}

TEST(RiskConfigToml, PlacesValueProblemsOnTheirLine) {
  const auto r = parse_risk_config_toml("check_margin = true\n[limits]\nmax_order_notional = 0\n", "risk.toml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(r.error().to_string(),
            "risk.toml:3: limits.max_order_notional.value: must be > 0 when the limit is enabled, got 0");
}

TEST(RiskConfigToml, ReportsEveryProblemOfAFileAtOnceInLineOrder) {
  const auto r = parse_risk_config_toml(R"(warning_utilisation = 2
[account]
max_leverage = "three"
max_orders_per_second = 2.5

[[circuit_breakers]]
name = "dd"
condition = "ACCOUNT_DRAWDOWN"
threshold = 0.1
action = "STOP"
cooldown = "5 minutes"
)",
                                        "risk.toml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(r.error().to_string(),
            "risk.toml: 5 problems:\n"
            "  risk.toml:1: warning_utilisation: must be in (0, 1], got 2\n"
            "  risk.toml:3: account.max_leverage: invalid number 'three': no digits\n"
            "  risk.toml:4: account.max_orders_per_second: expected an integer, got float\n"
            "  risk.toml:10: circuit_breakers[0].action: breaker action 'STOP' is not one of ALERT, CANCEL_ORDERS, "
            "CLOSE_POSITION, REDUCE_ONLY, HALT, FLATTEN_ALL\n"
            "  risk.toml:11: circuit_breakers[0].cooldown: invalid duration '5 minutes': unknown unit ' minutes' (use "
            "ns, us, ms, s, m, h, d, w)");
}

TEST(RiskConfigToml, ReportsASyntaxErrorWithItsLine) {
  const std::string e = toml_error("check_margin = true\n[limits\n");
  EXPECT_TRUE(e.starts_with("risk.toml:2: ")) << e;
}

TEST(RiskConfigToml, RejectsABareTrueLimitBecauseItHasNoValue) {
  EXPECT_EQ(toml_error("[account]\ndaily_loss_limit = true\n"),
            "risk.toml:2: account.daily_loss_limit: true has no value; write the value itself (= 10000) or { enabled "
            "= true, value = 10000 }");
}

TEST(RiskConfigToml, RequiresANameAndAConditionForEveryBreaker) {
  const std::string e = toml_error("[[circuit_breakers]]\nthreshold = 0.1\n");
  EXPECT_NE(e.find("circuit_breakers[0].name: missing; every circuit breaker needs a unique name"), std::string::npos)
      << e;
  EXPECT_NE(e.find("circuit_breakers[0].condition: missing; one of ACCOUNT_DRAWDOWN"), std::string::npos) << e;
}

TEST(RiskConfigToml, RejectsABadSessionTimeAndWeekday) {
  const std::string e = toml_error(R"([[circuit_breakers]]
name = "hours"
condition = "TRADING_HOURS"
sessions = [{ start = "8:00", end = "22:00", days = ["MON", "FRIDAY"] }]
)");
  EXPECT_NE(e.find("risk.toml:4: circuit_breakers[0].sessions[0].start: invalid time '8:00': expected HH:MM"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("risk.toml:4: circuit_breakers[0].sessions[0].days[1]: 'FRIDAY' is not a weekday"),
            std::string::npos)
      << e;
}

TEST(RiskConfigToml, ReportsAValueCheckOnceWhenTheReaderAlreadyRejectedTheValue) {
  // "abc" is reported as an invalid number; the value check would add "must be > 0" for the same key.
  const std::string e = toml_error("[limits]\nmax_order_notional = \"abc\"\n");
  EXPECT_EQ(e.find("must be > 0"), std::string::npos) << e;
  EXPECT_NE(e.find("risk.toml:2: limits.max_order_notional: invalid number 'abc'"), std::string::npos) << e;
}

TEST(RiskConfigToml, ReportsADuplicateSymbolOverrideOnItsLine) {
  const std::string e = toml_error(R"([[symbols]]
instrument = "BTCUSDT.BINANCE"
[[symbols]]
instrument = "BTCUSDT.BINANCE"
)");
  EXPECT_EQ(e, "risk.toml:4: symbols[1].instrument: duplicate override for BTCUSDT.BINANCE (first at symbols[0])");
}

TEST(RiskConfigJson, LocatesProblemsByJsonPointer) {
  EXPECT_EQ(json_error(R"({"circuit_breakers": [{"name": "dd", "condition": "ACCOUNT_DRAWDOWN", "threshold": 1.5}]})"),
            "risk.json: /circuit_breakers/0/threshold: must be a fraction in (0, 1) (0.10 = 10 %), got 1.5");
}

TEST(RiskConfigJson, RejectsAnUnknownKeyWithASuggestion) {
  EXPECT_EQ(json_error(R"({"limits": {"max_order_notinal": 10000}})"),
            "risk.json: /limits/max_order_notinal: unknown key; did you mean max_order_notional?");
}

TEST(RiskConfigJson, RejectsADuplicateKey) {
  EXPECT_EQ(json_error(R"({"limits": {"max_order_notional": 10000, "max_order_notional": 20000}})"),
            "risk.json: /limits/max_order_notional: duplicate key");
}

TEST(RiskConfigJson, ReportsASyntaxErrorWithItsLine) {
  const std::string e = json_error("{\n  \"check_margin\": true,\n  \"limits\": {\n}");
  EXPECT_TRUE(e.starts_with("risk.json:4: ")) << e;
}

TEST(RiskConfigJson, ReportsEveryProblemAtOnce) {
  const auto r = parse_risk_config_json(R"({"check_margin": "yes", "margin_call_ratio": 0,
    "account": {"max_open_orders_total": 10.5}})",
                                        "risk.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "risk.json: 3 problems:\n"
            "  risk.json: /check_margin: expected true or false, got string\n"
            "  risk.json: /account/max_open_orders_total: expected an integer, got number\n"
            "  risk.json: /margin_call_ratio: must be in (0, 1], got 0");
}

TEST(RiskConfigJson, RefusesADocumentNestedDeeperThanSixtyFourLevels) {
  const std::string deep = "{\"symbols\": " + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(json_error(deep), "risk.json: nested deeper than 64 levels");
}

TEST(RiskConfigJson, RefusesANumberOutsideTheDecimalRange) {
  const std::string e = json_error(R"({"limits": {"max_order_notional": 1e30}})");
  EXPECT_TRUE(e.starts_with("risk.json: /limits/max_order_notional: invalid number '1e30'")) << e;
}

// --- writing -----------------------------------------------------------------------------------------

TEST(RiskConfigToml, RoundTripsAFullyPopulatedConfiguration) {
  const RiskConfig c = fully_populated();
  ASSERT_TRUE(validate(c)) << validate(c).error().message();
  const std::string text = to_toml(c);
  auto back = parse_risk_config_toml(text, "written.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << text;
  EXPECT_EQ(*back, c) << text;
}

TEST(RiskConfigJson, RoundTripsAFullyPopulatedConfiguration) {
  const RiskConfig c = fully_populated();
  const std::string text = to_json(c);
  auto back = parse_risk_config_json(text, "written.json");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << text;
  EXPECT_EQ(*back, c) << text;
}

TEST(RiskConfigToml, WritesADecimalADoubleCannotHoldAsAString) {
  const std::string text = to_toml(fully_populated());
  EXPECT_NE(text.find("max_position_quantity = \"0.123456789012345678\""), std::string::npos) << text;
  EXPECT_NE(text.find("max_order_notional = 0.1\n"), std::string::npos) << text;
}

TEST(RiskConfigToml, RoundTripsAConfigurationWithoutBreakers) {
  RiskConfig c;
  c.circuit_breakers.clear();
  auto back = parse_risk_config_toml(to_toml(c), "written.toml");
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_TRUE(back->circuit_breakers.empty());
}

TEST(RiskConfigJson, RoundTripsTheDefaultConfiguration) {
  auto back = parse_risk_config_json(to_json(RiskConfig{}), "written.json");
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, RiskConfig{});
}

// --- files -------------------------------------------------------------------------------------------

TEST(LoadRiskConfig, TheTomlAndJsonExamplesDescribeTheSameConfiguration) {
  auto toml = load_risk_config(examples_dir() / "risk.toml");
  auto json = load_risk_config(examples_dir() / "risk.json");
  ASSERT_TRUE(toml) << toml.error().to_string();
  ASSERT_TRUE(json) << json.error().to_string();
  EXPECT_EQ(*toml, *json);
}

TEST(LoadRiskConfig, TheExampleHasLimitsOverridesAndTheDocumentedBreakers) {
  auto c = load_risk_config(examples_dir() / "risk.toml");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_TRUE(c->instrument.max_order_notional.enabled);
  EXPECT_TRUE(c->volatility_scaling.enabled);
  ASSERT_NE(c->symbol(id("BTCUSDT.BINANCE")), nullptr);
  ASSERT_NE(c->symbol(id("ETHUSDT.BINANCE")), nullptr);
  std::vector<BreakerCondition> conditions;
  for (const auto& b : c->circuit_breakers) conditions.push_back(b.condition);
  EXPECT_EQ(conditions, (std::vector<BreakerCondition>{BreakerCondition::AccountDrawdown,
                                                       BreakerCondition::PositionDrawdown, BreakerCondition::DailyLoss,
                                                       BreakerCondition::RapidMove, BreakerCondition::TradingHours}));
  EXPECT_EQ(c->circuit_breakers[2].action, BreakerAction::Halt);
  // The first two are the built-in defaults, written out.
  EXPECT_EQ(std::vector<CircuitBreakerConfig>(c->circuit_breakers.begin(), c->circuit_breakers.begin() + 2),
            default_circuit_breakers());
}

TEST(LoadRiskConfig, NamesTheFileItCannotOpen) {
  auto r = load_risk_config("/nonexistent/dir/risk.toml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::IoError);
  EXPECT_EQ(r.error().where(), "/nonexistent/dir/risk.toml");
}

TEST(LoadRiskConfig, RejectsAnUnknownExtension) {
  auto r = load_risk_config("risk.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::Unsupported);
  EXPECT_NE(r.error().message().find(".toml or .json"), std::string::npos);
}

TEST(LoadRiskConfig, PrefixesErrorsWithTheFilePath) {
  testkit::TempDir dir;
  const auto path = dir.write("risk.json", R"({"limits": {"max_concentration": 20}})");
  auto r = load_risk_config(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), path.string() + ": /limits/max_concentration/value: must be <= 10, got 20");
}

TEST(LoadRiskConfig, ReadsAnUpperCaseExtension) {
  testkit::TempDir dir;
  const auto path = dir.write("RISK.TOML", "reduce_quantity_to_fit = true\n");
  auto r = load_risk_config(path);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->reduce_quantity_to_fit);
}

}  // namespace
}  // namespace ballast::risk
