#pragma once
// One problem found while validating stress-test input (positions, scenarios, scenario files).
// Validation collects EVERY problem before failing, so a user fixes a file in one pass instead of
// one error per run. Each issue names the field it concerns with a path such as
// "scenarios[2].shocks.BTCUSDT" (array indices start at 0, as in jq and JSON Pointer) and, when the
// input format records positions, the 1-based line and column of the offending text.

#include "ballast/core/error.hpp"

#include <span>
#include <string>
#include <string_view>

namespace ballast::analytics {

struct StressIssue {
  std::string path;     // field path, e.g. "scenarios[2].shocks.BTCUSDT"; empty for a syntax error
  std::string message;  // what is wrong, with the offending value, e.g. "shock -1.5 is below -100%"
  int line = 0;         // 1-based line in the source text; 0 when unknown
  int column = 0;       // 1-based column; 0 when unknown

  // "<source>:<line>:<column>", or "line L, column C" without a source; just the source when the line
  // is unknown; empty when nothing is known.
  std::string location(std::string_view source) const;
  // "crash.toml:7:12: scenarios[2].shocks.BTCUSDT: shock -1.5 is below -100%" (compiler style).
  std::string to_string(std::string_view source = {}) const;
};

// One Error carrying every issue. A single issue becomes Error(code, "path: message",
// "source:line:column"), or Error(code, message, path) when neither a source nor a line is known;
// several become Error(code, "N problems:\n  <issue>\n  <issue>…", source), one issue per line in the
// order found. `issues` must not be empty.
core::Error issues_to_error(std::span<const StressIssue> issues, core::ErrorCode code, std::string_view source);

// Quotes a table key for a path when it is not a bare key (letters, digits, '_' and '-'), the way
// TOML would: shocks."BTCUSDT.BINANCE" but shocks.BTCUSDT.
std::string path_key(std::string_view key);

}  // namespace ballast::analytics
