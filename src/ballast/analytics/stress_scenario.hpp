#pragma once
// A stress scenario: relative price moves applied to positions, plus the volatility and correlation
// stress used for a stressed VaR (stress_var.hpp).
//
// Units and signs: a shock is a relative price move as a FRACTION, −0.30 = the price falls 30%,
// +0.10 = it rises 10%. A shock below −1 (−100%) would make a price negative and is invalid. The
// P&L of a position under a shock m is exposure × m (linear, see stress_position.hpp); negative P&L
// is a loss.
//
// Which shock a position gets — the most specific one wins:
//   1. an instrument shock whose key equals the position's instrument ("BTCUSDT.BINANCE"), else one
//      whose key equals its symbol, the text before the last '.' ("BTCUSDT"), so one file serves
//      every venue;
//   2. else the shock of the position's asset class (exact, case-sensitive match);
//   3. else the all-instruments shock;
//   4. else no move (ShockSource::None): the position is not shocked, and the report says so.
//
// Volatility and correlation stress (they do not move prices):
//  - vol_multiplier k > 0 scales every instrument's volatility: σ_i' = k·σ_i;
//  - correlation_shock s ∈ [0, 1] moves every correlation toward 1: ρ'_ij = ρ_ij + s·(1 − ρ_ij).
//    s = 0 leaves correlations alone, s = 1 makes every pair perfectly correlated.

#include "ballast/analytics/stress_issue.hpp"
#include "ballast/core/result.hpp"

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::analytics {

// Where the move applied to a position came from.
enum class ShockSource {
  None,            // "NONE": nothing in the scenario addresses the position; move 0
  AllInstruments,  // "ALL_INSTRUMENTS"
  AssetClass,      // "ASSET_CLASS"
  Instrument,      // "INSTRUMENT" (exact id or symbol)
};

std::string_view to_string(ShockSource source) noexcept;
// Parses the stable code; returns false when the text names no source.
bool parse(std::string_view text, ShockSource& out) noexcept;

struct StressScenario {
  using ShockMap = std::map<std::string, double, std::less<>>;

  std::string name;                             // unique within a scenario set
  std::string note;                             // provenance and caveats, free text
  ShockMap instrument_shocks;                   // instrument id or symbol → move
  ShockMap asset_class_shocks;                  // asset class → move
  std::optional<double> all_instruments_shock;  // move for anything not matched above
  double vol_multiplier = 1.0;                  // k > 0
  double correlation_shock = 0.0;               // s ∈ [0, 1]
};

struct AppliedShock {
  double move = 0.0;  // fraction; 0 when source is None
  ShockSource source = ShockSource::None;
  std::string key;  // the matching instrument key or asset class; empty otherwise
};

// The move a position in `instrument` of `asset_class` receives under `scenario` (precedence above).
AppliedShock resolve_shock(const StressScenario& scenario, std::string_view instrument, std::string_view asset_class);

// The symbol part of an instrument id: the text before the last '.' ("BTCUSDT.BINANCE" → "BTCUSDT");
// the whole id when it has no '.'.
std::string_view instrument_symbol(std::string_view instrument) noexcept;

// Every problem in one scenario, paths prefixed with `path` (e.g. "scenarios[2]"): an empty name; a
// shock that is not finite or below −100% ("scenarios[2].shocks.BTCUSDT: shock -1.5 is below -100%");
// an empty shock key; a vol multiplier that is not finite and positive; a correlation shock outside
// [0, 1]; a scenario that moves nothing and stresses nothing.
std::vector<StressIssue> validate_scenario(const StressScenario& scenario, std::string_view path);
// validate_scenario for each (paths "scenarios[i]") plus duplicate names.
std::vector<StressIssue> validate_scenarios(std::span<const StressScenario> scenarios);
// validate_scenarios as a Status (INVALID_ARGUMENT with every issue); also fails on an empty set.
core::Status check_scenarios(std::span<const StressScenario> scenarios);

}  // namespace ballast::analytics
