#include "ballast/analytics/stress_scenario.hpp"

#include "ballast/analytics/stress_library.hpp"
#include "ballast/analytics/stress_position.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace ballast::analytics {
namespace {

StressScenario layered_scenario() {
  StressScenario s;
  s.name = "layered";
  s.instrument_shocks = {{"BTCUSDT.BINANCE", -0.10}, {"BTCUSDT", -0.20}, {"SOLUSDT", -0.60}};
  s.asset_class_shocks = {{"crypto-major", -0.30}, {"crypto-alt", -0.50}};
  s.all_instruments_shock = -0.05;
  return s;
}

// ---- Precedence: instrument > asset class > all instruments ---------------------------------------

TEST(StressScenario, ExactInstrumentIdBeatsItsSymbol) {
  const AppliedShock shock = resolve_shock(layered_scenario(), "BTCUSDT.BINANCE", "crypto-major");
  EXPECT_EQ(shock.move, -0.10);
  EXPECT_EQ(shock.source, ShockSource::Instrument);
  EXPECT_EQ(shock.key, "BTCUSDT.BINANCE");
}

TEST(StressScenario, SymbolMatchesAnIdOnAnotherVenueAndBeatsTheAssetClass) {
  const AppliedShock shock = resolve_shock(layered_scenario(), "BTCUSDT.BYBIT", "crypto-major");
  EXPECT_EQ(shock.move, -0.20);
  EXPECT_EQ(shock.source, ShockSource::Instrument);
  EXPECT_EQ(shock.key, "BTCUSDT");
}

TEST(StressScenario, InstrumentShockBeatsItsAssetClass) {
  // SOL is a crypto-alt (−50%) but its own shock (−60%) wins.
  const AppliedShock shock = resolve_shock(layered_scenario(), "SOLUSDT.BINANCE", "crypto-alt");
  EXPECT_EQ(shock.move, -0.60);
  EXPECT_EQ(shock.source, ShockSource::Instrument);
}

TEST(StressScenario, AssetClassBeatsTheAllInstrumentsShock) {
  const AppliedShock shock = resolve_shock(layered_scenario(), "AVAXUSDT.BINANCE", "crypto-alt");
  EXPECT_EQ(shock.move, -0.50);
  EXPECT_EQ(shock.source, ShockSource::AssetClass);
  EXPECT_EQ(shock.key, "crypto-alt");
}

TEST(StressScenario, AllInstrumentsShockCoversWhatNothingElseMatches) {
  const AppliedShock shock = resolve_shock(layered_scenario(), "ESZ4", "index-future");
  EXPECT_EQ(shock.move, -0.05);
  EXPECT_EQ(shock.source, ShockSource::AllInstruments);
  EXPECT_TRUE(shock.key.empty());
}

TEST(StressScenario, PositionNothingAddressesIsNotMoved) {
  StressScenario s = layered_scenario();
  s.all_instruments_shock.reset();
  const AppliedShock shock = resolve_shock(s, "EURUSD", "fx");
  EXPECT_EQ(shock.move, 0.0);
  EXPECT_EQ(shock.source, ShockSource::None);
}

TEST(StressScenario, AssetClassMatchIsExactAndCaseSensitive) {
  StressScenario s = layered_scenario();
  s.all_instruments_shock.reset();
  EXPECT_EQ(resolve_shock(s, "ADAUSDT", "Crypto-Alt").source, ShockSource::None);
}

TEST(StressScenario, SymbolIsTheTextBeforeTheLastDot) {
  EXPECT_EQ(instrument_symbol("BTCUSDT.BINANCE"), "BTCUSDT");
  EXPECT_EQ(instrument_symbol("BRK.B.NYSE"), "BRK.B");
  EXPECT_EQ(instrument_symbol("ESZ4"), "ESZ4");
}

TEST(StressScenario, ShockSourceCodesRoundTrip) {
  for (ShockSource s :
       {ShockSource::None, ShockSource::AllInstruments, ShockSource::AssetClass, ShockSource::Instrument}) {
    ShockSource back = ShockSource::None;
    ASSERT_TRUE(parse(to_string(s), back)) << to_string(s);
    EXPECT_EQ(back, s);
  }
  EXPECT_EQ(to_string(ShockSource::AssetClass), "ASSET_CLASS");
  ShockSource unused = ShockSource::None;
  EXPECT_FALSE(parse("asset_class", unused));
}

// ---- Validation --------------------------------------------------------------------------------

TEST(StressScenario, ValidationReportsEveryProblemWithItsPath) {
  StressScenario s;
  s.instrument_shocks = {{"BTCUSDT", -1.5}, {"ETHUSDT", std::numeric_limits<double>::quiet_NaN()}};
  s.asset_class_shocks = {{"", -0.1}};
  s.all_instruments_shock = -1.0;  // exactly −100% is allowed
  s.vol_multiplier = 0.0;
  s.correlation_shock = -0.1;
  const std::vector<StressIssue> issues = validate_scenario(s, "scenarios[2]");
  ASSERT_EQ(issues.size(), 6U);
  EXPECT_EQ(issues[0].path, "scenarios[2].name");
  EXPECT_EQ(issues[1].to_string(),
            "scenarios[2].shocks.BTCUSDT: shock -1.5 is below -100%; a price cannot fall below zero");
  EXPECT_EQ(issues[2].to_string(), "scenarios[2].shocks.ETHUSDT: shock nan is not finite");
  EXPECT_EQ(issues[3].to_string(), "scenarios[2].asset_classes.\"\": asset class name is empty");
  EXPECT_EQ(issues[4].to_string(), "scenarios[2].vol_multiplier: vol multiplier 0 must be finite and positive");
  EXPECT_EQ(issues[5].to_string(), "scenarios[2].correlation_shock: correlation shock -0.1 is outside [0, 1]");
}

TEST(StressScenario, KeysThatAreNotBareAreQuotedInPaths) {
  StressScenario s;
  s.name = "x";
  s.instrument_shocks = {{"BTCUSDT.BINANCE", -2.0}};
  const auto issues = validate_scenario(s, "scenarios[0]");
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "scenarios[0].shocks.\"BTCUSDT.BINANCE\"");
}

TEST(StressScenario, ScenarioThatChangesNothingIsRejected) {
  StressScenario s;
  s.name = "empty";
  const auto issues = validate_scenario(s, "scenarios[0]");
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "scenarios[0]");
  // A pure volatility stress is a scenario.
  s.vol_multiplier = 2.0;
  EXPECT_TRUE(validate_scenario(s, "scenarios[0]").empty());
}

TEST(StressScenario, DuplicateNamesAreReportedWithTheFirstUse) {
  std::vector<StressScenario> set(3, layered_scenario());
  set[1].name = "other";
  const auto issues = validate_scenarios(set);
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].to_string(), "scenarios[2].name: duplicate name \"layered\" (first used by scenarios[0])");
  const core::Status status = check_scenarios(set);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(status.error().where(), "scenarios[2].name");
}

TEST(StressScenario, AnEmptyScenarioSetIsAnError) {
  EXPECT_FALSE(check_scenarios({}));
}

TEST(StressPosition, ExposureIsQuantityTimesPriceTimesMultiplier) {
  // 1 E-mini at 5,000 × 50 = 250,000; −3 SOL at 150 = −450.
  EXPECT_EQ((StressPosition{"ESZ4", "index-future", 1.0, 5000.0, 50.0}.exposure()), 250000.0);
  EXPECT_EQ((StressPosition{"SOLUSDT", "crypto-alt", -3.0, 150.0}.exposure()), -450.0);
}

TEST(StressPosition, ValidationReportsEveryBadFieldAtOnce) {
  const std::vector<StressPosition> positions{
      {"BTCUSDT", "crypto-major", 1.0, 50000.0},
      {"", "", std::numeric_limits<double>::infinity(), -3.0, 0.0},
  };
  const auto issues = validate_positions(positions);
  ASSERT_EQ(issues.size(), 5U);
  EXPECT_EQ(issues[0].path, "positions[1].instrument");
  EXPECT_EQ(issues[1].path, "positions[1].asset_class");
  EXPECT_EQ(issues[2].to_string(), "positions[1].quantity: quantity inf is not finite");
  EXPECT_EQ(issues[3].to_string(), "positions[1].price: price -3 must be finite and positive");
  EXPECT_EQ(issues[4].to_string(), "positions[1].multiplier: multiplier 0 must be finite and positive");
  const core::Status status = check_positions(positions);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message().substr(0, 11), "5 problems:");
}

// ---- Built-in library ---------------------------------------------------------------------------

TEST(StressLibrary, EveryBuiltInIsValidNamedAndAnnotated) {
  const auto all = builtin_stress_scenarios();
  ASSERT_EQ(all.size(), 8U);
  EXPECT_TRUE(check_scenarios(all)) << check_scenarios(all).error().to_string();
  for (const StressScenario& s : all) {
    EXPECT_FALSE(s.note.empty()) << s.name;
    for (const auto& [key, move] : s.asset_class_shocks) {
      EXPECT_LE(move, 0.0) << s.name << " " << key;  // every built-in is a sell-off
    }
  }
}

TEST(StressLibrary, FtxWeekShocksSolAndFttHarderThanOtherAlts) {
  auto ftx = builtin_stress_scenario("ftx-week-2022");
  ASSERT_TRUE(ftx) << ftx.error().to_string();
  // Stated numbers: BTC −25%, SOL −60%, FTT −90%, other alts −35% (assumption).
  EXPECT_EQ(resolve_shock(*ftx, "BTCUSDT.BINANCE", "crypto-major").move, -0.25);
  EXPECT_EQ(resolve_shock(*ftx, "SOLUSDT.BINANCE", "crypto-alt").move, -0.60);
  EXPECT_EQ(resolve_shock(*ftx, "FTTUSDT.BINANCE", "crypto-alt").move, -0.90);
  EXPECT_EQ(resolve_shock(*ftx, "AVAXUSDT.BINANCE", "crypto-alt").move, -0.35);
  EXPECT_EQ(resolve_shock(*ftx, "ESZ4", "index-future").source, ShockSource::None);
}

TEST(StressLibrary, March2020UsesTheStatedMoves) {
  auto march = builtin_stress_scenario("march-2020");
  ASSERT_TRUE(march);
  EXPECT_EQ(resolve_shock(*march, "BTCUSDT", "crypto-major").move, -0.37);
  EXPECT_EQ(resolve_shock(*march, "SPY", "equity").move, -0.095);
}

TEST(StressLibrary, UnknownNameListsTheBuiltIns) {
  auto missing = builtin_stress_scenario("dot-com");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::NotFound);
  EXPECT_NE(missing.error().message().find("crypto-crash-30"), std::string::npos);
  EXPECT_NE(missing.error().message().find("rates-shock-100bp"), std::string::npos);
}

}  // namespace
}  // namespace ballast::analytics
