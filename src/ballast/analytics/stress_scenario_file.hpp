#pragma once
// Stress scenarios from TOML or JSON TEXT. Analytics reads no files: the caller (the CLI, the
// server) reads the file and passes its text with a source name used only in messages.
//
// Layout (TOML; JSON has the same keys: {"scenarios": [{"name": …, "shocks": {…}, …}]}):
//
//   [[scenarios]]
//   name = "alt season unwind"            # required, unique
//   note = "desk assumption, 2024 review"  # optional
//   all_instruments = -0.10                # optional: move for anything not matched below
//   vol_multiplier = 2.0                   # optional, default 1 (k > 0)
//   correlation_shock = 0.5                # optional, default 0 (s in [0, 1])
//   [scenarios.asset_classes]              # optional: asset class → move
//   crypto-alt = -0.40
//   [scenarios.shocks]                     # optional: instrument id or symbol → move
//   BTCUSDT = -0.25
//
// Moves are fractions (−0.25 = −25%); integers are accepted (-1 = −100%). Unknown keys are errors,
// so a misspelt "shokcs" is reported rather than silently ignored. Semantics and precedence are in
// stress_scenario.hpp.
//
// Errors: EVERY problem is reported at once, each with its path ("scenarios[2].shocks.BTCUSDT") and,
// for TOML, the line and column of the value (toml++ records them for every node). nlohmann's JSON
// DOM keeps no positions, so JSON issues carry the path only, except syntax errors, which carry the
// line and column where parsing stopped.

#include "ballast/analytics/stress_issue.hpp"
#include "ballast/analytics/stress_scenario.hpp"
#include "ballast/core/result.hpp"

#include <string_view>
#include <vector>

namespace ballast::analytics {

enum class ScenarioFormat {
  Toml,  // "TOML"
  Json,  // "JSON"
};

std::string_view to_string(ScenarioFormat format) noexcept;
bool parse(std::string_view text, ScenarioFormat& out) noexcept;
// From the source name's extension: ".toml" or ".json" (case-insensitive); an error otherwise.
core::Result<ScenarioFormat> scenario_format_from_name(std::string_view source_name);

struct ScenarioParse {
  std::vector<StressScenario> scenarios;  // what could be read; trust it only when issues is empty
  // Syntax, structure and value problems. TOML: sorted by line and column. JSON: structure problems
  // in document order, then value problems.
  std::vector<StressIssue> issues;
  // The text is not valid TOML/JSON, or does not have the layout above (wrong type, unknown key,
  // missing name). False when every issue is a value out of range.
  bool malformed = false;
};

// Parses and validates (validate_scenarios) without failing: every problem lands in `issues`.
ScenarioParse parse_scenarios(std::string_view text, ScenarioFormat format, std::string_view source_name);

// parse_scenarios, failing with every issue in one Error (see issues_to_error): PARSE_ERROR for a
// syntax or structure problem (bad type, unknown or missing key), INVALID_ARGUMENT when the file is
// well formed but a value is out of range.
core::Result<std::vector<StressScenario>> load_scenarios(std::string_view text, ScenarioFormat format,
                                                         std::string_view source_name);

}  // namespace ballast::analytics
