#include "ballast/analytics/stress_scenario_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace ballast::analytics {
namespace {

constexpr std::string_view kGoodToml = R"(# two scenarios
[[scenarios]]
name = "crypto crash"
note = "desk assumption"
all_instruments = -0.05
[scenarios.asset_classes]
crypto-major = -0.30
crypto-alt = -0.50
[scenarios.shocks]
SOLUSDT = -0.60
"BTCUSDT.BINANCE" = -0.35

[[scenarios]]
name = "vol spike"
vol_multiplier = 2
correlation_shock = 0.5
)";

constexpr std::string_view kGoodJson = R"({
  "scenarios": [
    {"name": "crypto crash", "note": "desk assumption", "all_instruments": -0.05,
     "asset_classes": {"crypto-major": -0.30, "crypto-alt": -0.50},
     "shocks": {"SOLUSDT": -0.60, "BTCUSDT.BINANCE": -0.35}},
    {"name": "vol spike", "vol_multiplier": 2, "correlation_shock": 0.5}
  ]
})";

void expect_the_two_good_scenarios(const std::vector<StressScenario>& s) {
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0].name, "crypto crash");
  EXPECT_EQ(s[0].note, "desk assumption");
  ASSERT_TRUE(s[0].all_instruments_shock.has_value());
  EXPECT_EQ(*s[0].all_instruments_shock, -0.05);
  EXPECT_EQ(s[0].asset_class_shocks.at("crypto-major"), -0.30);
  EXPECT_EQ(s[0].asset_class_shocks.at("crypto-alt"), -0.50);
  EXPECT_EQ(s[0].instrument_shocks.at("SOLUSDT"), -0.60);
  EXPECT_EQ(s[0].instrument_shocks.at("BTCUSDT.BINANCE"), -0.35);
  EXPECT_EQ(s[0].vol_multiplier, 1.0);
  EXPECT_EQ(s[0].correlation_shock, 0.0);
  EXPECT_EQ(s[1].name, "vol spike");
  EXPECT_EQ(s[1].vol_multiplier, 2.0);  // a TOML/JSON integer is a number too
  EXPECT_EQ(s[1].correlation_shock, 0.5);
  EXPECT_TRUE(s[1].instrument_shocks.empty());
}

TEST(StressScenarioFile, LoadsTomlText) {
  auto loaded = load_scenarios(kGoodToml, ScenarioFormat::Toml, "desk.toml");
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  expect_the_two_good_scenarios(*loaded);
}

TEST(StressScenarioFile, LoadsJsonTextWithTheSameKeys) {
  auto loaded = load_scenarios(kGoodJson, ScenarioFormat::Json, "desk.json");
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  expect_the_two_good_scenarios(*loaded);
}

// Six problems on lines 7, 8, 10, 11, 14 and 15 (line 1 is the first [[scenarios]]).
constexpr std::string_view kBadToml = R"([[scenarios]]
name = "ok"
all_instruments = -0.1

[[scenarios]]
name = "bad"
vol_multiplier = -2.0
correlation_shock = 1.5
[scenarios.shocks]
BTCUSDT = -1.5
ETHUSDT = "down"

[[scenarios]]
name = "ok"
shokcs = { BTCUSDT = -0.1 }
)";

TEST(StressScenarioFile, TomlReportsEveryProblemAtOnceWithLineAndColumn) {
  const ScenarioParse parsed = parse_scenarios(kBadToml, ScenarioFormat::Toml, "bad.toml");
  EXPECT_TRUE(parsed.malformed);
  std::vector<std::string> got;
  for (const StressIssue& issue : parsed.issues) got.push_back(issue.to_string("bad.toml"));
  // Columns are where the value starts: "vol_multiplier = " is 17 characters, so column 18.
  const std::vector<std::string> expected{
      "bad.toml:7:18: scenarios[1].vol_multiplier: vol multiplier -2 must be finite and positive",
      "bad.toml:8:21: scenarios[1].correlation_shock: correlation shock 1.5 is outside [0, 1]",
      "bad.toml:10:11: scenarios[1].shocks.BTCUSDT: shock -1.5 is below -100%; a price cannot fall below zero",
      "bad.toml:11:11: scenarios[1].shocks.ETHUSDT: expected a number (a move such as -0.25), got string",
      "bad.toml:14:8: scenarios[2].name: duplicate name \"ok\" (first used by scenarios[0])",
      "bad.toml:15:1: scenarios[2].shokcs: unknown key; expected name, note, all_instruments, vol_multiplier, "
      "correlation_shock, shocks or asset_classes",
  };
  EXPECT_EQ(got, expected);
}

TEST(StressScenarioFile, LoadFailsWithOneErrorCarryingEveryIssue) {
  auto loaded = load_scenarios(kBadToml, ScenarioFormat::Toml, "bad.toml");
  ASSERT_FALSE(loaded);
  const core::Error& error = loaded.error();
  EXPECT_EQ(error.code(), core::ErrorCode::ParseError);  // a wrong type and an unknown key: malformed
  EXPECT_EQ(error.where(), "bad.toml");
  EXPECT_EQ(error.message().substr(0, 11), "6 problems:");
  EXPECT_NE(error.message().find("\n  bad.toml:10:11: scenarios[1].shocks.BTCUSDT: shock -1.5 is below -100%"),
            std::string::npos);
  EXPECT_NE(error.message().find("\n  bad.toml:15:1: scenarios[2].shokcs: unknown key"), std::string::npos);
}

TEST(StressScenarioFile, WellFormedFileWithABadValueIsAnInvalidArgumentAtItsLine) {
  constexpr std::string_view text = "[[scenarios]]\nname = \"x\"\n[scenarios.shocks]\nBTCUSDT = -1.5\n";
  auto loaded = load_scenarios(text, ScenarioFormat::Toml, "x.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(loaded.error().where(), "x.toml:4:11");
  EXPECT_EQ(loaded.error().to_string(),
            "x.toml:4:11: scenarios[0].shocks.BTCUSDT: shock -1.5 is below -100%; a price cannot fall below zero");
}

TEST(StressScenarioFile, TomlSyntaxErrorCarriesTheLineWhereParsingStopped) {
  constexpr std::string_view text = "[[scenarios]]\nname = \"x\"\nall_instruments = -0.1 -0.2\n";
  auto loaded = load_scenarios(text, ScenarioFormat::Toml, "syntax.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(loaded.error().where().substr(0, 14), "syntax.toml:3:");
  EXPECT_FALSE(loaded.error().message().empty());
}

TEST(StressScenarioFile, MissingNameIsReportedOnceAtTheScenarioTable) {
  constexpr std::string_view text =
      "[[scenarios]]\nname = \"a\"\nall_instruments = -0.1\n\n[[scenarios]]\nall_instruments = -0.2\n";
  const ScenarioParse parsed = parse_scenarios(text, ScenarioFormat::Toml, "n.toml");
  ASSERT_EQ(parsed.issues.size(), 1U);  // not also "name is empty"
  EXPECT_EQ(parsed.issues[0].path, "scenarios[1].name");
  EXPECT_EQ(parsed.issues[0].message, "missing; every scenario needs a name");
  EXPECT_EQ(parsed.issues[0].line, 5);
}

TEST(StressScenarioFile, TomlWithoutScenariosOrWithAStrayKeyIsMalformed) {
  const ScenarioParse empty = parse_scenarios("", ScenarioFormat::Toml, "e.toml");
  ASSERT_EQ(empty.issues.size(), 1U);
  EXPECT_EQ(empty.issues[0].to_string("e.toml"), "e.toml: scenarios: missing; the file defines no scenarios");

  const ScenarioParse stray = parse_scenarios("version = 2\nscenarios = 3\n", ScenarioFormat::Toml, "s.toml");
  std::vector<std::string> got;
  for (const StressIssue& issue : stray.issues) got.push_back(issue.to_string("s.toml"));
  const std::vector<std::string> expected{
      "s.toml:1:1: version: unknown key; the file holds only \"scenarios\"",
      "s.toml:2:13: scenarios: expected an array of scenario tables, got integer",
  };
  EXPECT_EQ(got, expected);
}

TEST(StressScenarioFile, JsonValueErrorsNameThePathWithoutALine) {
  constexpr std::string_view text =
      R"({"scenarios": [{"name": "a", "shocks": {"BTCUSDT": -1.5}}, {"shocks": {"ETHUSDT": -0.1}}, 7]})";
  const ScenarioParse parsed = parse_scenarios(text, ScenarioFormat::Json, "j.json");
  std::vector<std::string> got;
  for (const StressIssue& issue : parsed.issues) got.push_back(issue.to_string("j.json"));
  const std::vector<std::string> expected{
      "j.json: scenarios[1].name: missing; every scenario needs a name",
      "j.json: scenarios[2]: expected a table, got integer",
      "j.json: scenarios[0].shocks.BTCUSDT: shock -1.5 is below -100%; a price cannot fall below zero",
  };
  EXPECT_EQ(got, expected);
}

TEST(StressScenarioFile, JsonSyntaxErrorCarriesLineAndColumn) {
  // Line 3 is `    {"name": "a",}`: the '}' after the trailing comma is its 18th character.
  constexpr std::string_view text = "{\n  \"scenarios\": [\n    {\"name\": \"a\",}\n  ]\n}\n";
  auto loaded = load_scenarios(text, ScenarioFormat::Json, "comma.json");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(loaded.error().where(), "comma.json:3:18");
  EXPECT_NE(loaded.error().message().find("syntax error"), std::string::npos) << loaded.error().message();
}

TEST(StressScenarioFile, JsonRootMustBeAnObject) {
  const ScenarioParse parsed = parse_scenarios("[1, 2]", ScenarioFormat::Json, "r.json");
  ASSERT_EQ(parsed.issues.size(), 1U);
  EXPECT_EQ(parsed.issues[0].message, "expected a table (object) with a \"scenarios\" array, got array");
}

TEST(StressScenarioFile, FormatFollowsTheExtension) {
  EXPECT_EQ(*scenario_format_from_name("stress/desk.toml"), ScenarioFormat::Toml);
  EXPECT_EQ(*scenario_format_from_name("DESK.JSON"), ScenarioFormat::Json);
  auto unknown = scenario_format_from_name("desk.yaml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().where(), "desk.yaml");
}

TEST(StressScenarioFile, FormatCodesRoundTrip) {
  for (ScenarioFormat f : {ScenarioFormat::Toml, ScenarioFormat::Json}) {
    ScenarioFormat back = ScenarioFormat::Json;
    ASSERT_TRUE(parse(to_string(f), back));
    EXPECT_EQ(back, f);
  }
  ScenarioFormat unused = ScenarioFormat::Toml;
  EXPECT_FALSE(parse("YAML", unused));
}

}  // namespace
}  // namespace ballast::analytics
