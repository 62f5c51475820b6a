// JSON scenario reader (nlohmann). The DOM keeps no source positions, so value issues carry only
// their path; a syntax error carries the line and column where parsing stopped, computed from the
// byte offset nlohmann reports.

#include "ballast/analytics/internal/stress_scenario_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace ballast::analytics::internal {

namespace {

class JsonNode {
 public:
  explicit JsonNode(const nlohmann::json& node) : node_(&node) {}

  std::string_view type_name() const {
    switch (node_->type()) {
      case nlohmann::json::value_t::object: return "object";
      case nlohmann::json::value_t::array: return "array";
      case nlohmann::json::value_t::string: return "string";
      case nlohmann::json::value_t::boolean: return "boolean";
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned: return "integer";
      case nlohmann::json::value_t::number_float: return "float";
      case nlohmann::json::value_t::null: return "null";
      case nlohmann::json::value_t::binary:
      case nlohmann::json::value_t::discarded: break;
    }
    return "nothing";
  }
  SourcePoint point() const { return {}; }
  bool is_table() const { return node_->is_object(); }
  bool is_array() const { return node_->is_array(); }
  std::optional<double> number() const {
    if (node_->is_number()) return node_->get<double>();
    return std::nullopt;
  }
  std::optional<std::string> text() const {
    if (node_->is_string()) return node_->get<std::string>();
    return std::nullopt;
  }
  template <class F>
  void for_each_entry(F&& f) const {
    for (const auto& [key, value] : node_->items()) f(std::string_view(key), JsonNode(value), SourcePoint{});
  }
  template <class F>
  void for_each_element(F&& f) const {
    for (const nlohmann::json& element : *node_) f(JsonNode(element));
  }

 private:
  const nlohmann::json* node_;
};

// nlohmann counts every character read, the failing one included; its line count goes up on each
// '\n' read and its column restarts at 0 there. The same arithmetic on the text gives the position.
SourcePoint point_at_byte(std::string_view text, std::size_t byte) {
  const std::string_view read = text.substr(0, std::min(byte, text.size()));
  const auto newlines = std::count(read.begin(), read.end(), '\n');
  const auto last_newline = read.rfind('\n');
  const std::size_t column = last_newline == std::string_view::npos ? read.size() : read.size() - last_newline - 1;
  return {static_cast<int>(newlines) + 1, static_cast<int>(column)};
}

// "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error …" → "syntax error …":
// the position is carried separately.
std::string describe(const nlohmann::json::parse_error& error) {
  std::string_view what = error.what();
  if (const auto at = what.find("column "); at != std::string_view::npos) {
    if (const auto colon = what.find(": ", at); colon != std::string_view::npos)
      return std::string(what.substr(colon + 2));
  }
  return std::string(what);
}

}  // namespace

ScenarioReadState read_json_scenarios(std::string_view text) {
  ScenarioReadState state;
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& error) {
    state.malformed("", describe(error), point_at_byte(text, error.byte));
    return state;
  }
  read_scenario_document(JsonNode(root), state);
  return state;
}

}  // namespace ballast::analytics::internal
