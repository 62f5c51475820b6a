#pragma once
// Shared by the TOML and JSON scenario readers: what a reader collected (scenarios, the source
// position of each field it saw, structure problems) and the common finishing step that validates
// the scenarios and attaches positions to every issue. Private to the analytics module.

#include "ballast/analytics/stress_scenario_file.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::analytics::internal {

struct SourcePoint {
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

class ScenarioReadState {
 public:
  std::vector<StressScenario> scenarios;

  // Remembers where `path` ("scenarios[1].shocks.BTCUSDT") is in the text.
  void locate(const std::string& path, SourcePoint at);
  // A syntax or layout problem (marks the parse malformed).
  void malformed(std::string path, std::string message, SourcePoint at = {});

  // Validates the scenarios, gives every value issue the position of its path (or of the nearest
  // enclosing path that has one) and, when `sort_by_position`, orders issues by line and column.
  ScenarioParse finish(bool sort_by_position) &&;

 private:
  SourcePoint position_of(std::string_view path) const;

  std::map<std::string, SourcePoint, std::less<>> positions_;
  std::vector<StressIssue> issues_;
  bool malformed_ = false;
};

// The message for a value of the wrong type: "expected a number, got string".
std::string expected_type(std::string_view expected, std::string_view got);

// The layout walk, written once for both formats. `Node` adapts one parsed value:
//   std::string_view type_name() const;                 "table", "string", "integer", …
//   SourcePoint point() const;                          where the value starts ({} when unknown)
//   bool is_table() const; bool is_array() const;
//   std::optional<double> number() const;               integers and floats
//   std::optional<std::string> text() const;            strings
//   void for_each_entry(F f) const;                     tables: f(std::string_view key, Node value, SourcePoint key_at)
//   void for_each_element(F f) const;                   arrays: f(Node element)
template <class Node>
void read_shock_table(const Node& table, const std::string& path, StressScenario::ShockMap& shocks,
                      ScenarioReadState& state) {
  state.locate(path, table.point());
  if (!table.is_table()) {
    state.malformed(path, expected_type("a table of name = move", table.type_name()), table.point());
    return;
  }
  table.for_each_entry([&](std::string_view key, const Node& value, SourcePoint key_at) {
    const std::string field = path + "." + path_key(key);
    const SourcePoint at = value.point().line > 0 ? value.point() : key_at;
    state.locate(field, at);
    if (auto move = value.number()) {
      shocks.insert_or_assign(std::string(key), *move);
    } else {
      state.malformed(field, expected_type("a number (a move such as -0.25)", value.type_name()), at);
    }
  });
}

template <class Node>
void read_scenario(const Node& table, const std::string& path, ScenarioReadState& state) {
  StressScenario scenario;
  state.locate(path, table.point());
  if (!table.is_table()) {
    state.malformed(path, expected_type("a table", table.type_name()), table.point());
    // Keep a placeholder so later scenarios keep their index in the value checks' paths.
    state.scenarios.push_back(std::move(scenario));
    return;
  }
  bool has_name = false;
  table.for_each_entry([&](std::string_view key, const Node& value, SourcePoint key_at) {
    const std::string field = path + "." + path_key(key);
    const SourcePoint at = value.point().line > 0 ? value.point() : key_at;
    state.locate(field, at);
    const auto read_text = [&](std::string& out) {
      if (auto text = value.text()) {
        out = std::move(*text);
        return true;
      }
      state.malformed(field, expected_type("a string", value.type_name()), at);
      return false;
    };
    const auto read_number = [&](auto&& assign) {
      if (auto number = value.number()) {
        assign(*number);
      } else {
        state.malformed(field, expected_type("a number", value.type_name()), at);
      }
    };
    if (key == "name") {
      has_name = true;
      read_text(scenario.name);
    } else if (key == "note") {
      read_text(scenario.note);
    } else if (key == "all_instruments") {
      read_number([&](double v) { scenario.all_instruments_shock = v; });
    } else if (key == "vol_multiplier") {
      read_number([&](double v) { scenario.vol_multiplier = v; });
    } else if (key == "correlation_shock") {
      read_number([&](double v) { scenario.correlation_shock = v; });
    } else if (key == "shocks") {
      read_shock_table(value, field, scenario.instrument_shocks, state);
    } else if (key == "asset_classes") {
      read_shock_table(value, field, scenario.asset_class_shocks, state);
    } else {
      state.malformed(field,
                      "unknown key; expected name, note, all_instruments, vol_multiplier, correlation_shock, shocks "
                      "or asset_classes",
                      key_at.line > 0 ? key_at : at);
    }
  });
  if (!has_name) state.malformed(path + ".name", "missing; every scenario needs a name", table.point());
  state.scenarios.push_back(std::move(scenario));
}

// The document root: a table whose only key is "scenarios", an array of scenario tables.
template <class Node>
void read_scenario_document(const Node& root, ScenarioReadState& state) {
  if (!root.is_table()) {
    state.malformed("", expected_type("a table (object) with a \"scenarios\" array", root.type_name()), root.point());
    return;
  }
  bool has_scenarios = false;
  root.for_each_entry([&](std::string_view key, const Node& value, SourcePoint key_at) {
    const SourcePoint at = value.point().line > 0 ? value.point() : key_at;
    if (key != "scenarios") {
      state.malformed(path_key(key), "unknown key; the file holds only \"scenarios\"", key_at.line > 0 ? key_at : at);
      return;
    }
    has_scenarios = true;
    state.locate("scenarios", at);
    if (!value.is_array()) {
      state.malformed("scenarios", expected_type("an array of scenario tables", value.type_name()), at);
      return;
    }
    std::size_t index = 0;
    value.for_each_element([&](const Node& element) {
      read_scenario(element, "scenarios[" + std::to_string(index) + "]", state);
      ++index;
    });
    if (index == 0) state.malformed("scenarios", "is empty; define at least one scenario", at);
  });
  if (!has_scenarios) state.malformed("scenarios", "missing; the file defines no scenarios");
}

// Readers: the text → scenarios, positions and structure problems.
ScenarioReadState read_toml_scenarios(std::string_view text, std::string_view source_name);
ScenarioReadState read_json_scenarios(std::string_view text);

}  // namespace ballast::analytics::internal
