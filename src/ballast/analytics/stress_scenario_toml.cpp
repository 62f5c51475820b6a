// TOML scenario reader (toml++). toml++ records the source region of every node, so each issue
// carries the line and column of the value it concerns.

#include "ballast/analytics/internal/stress_scenario_reader.hpp"

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

namespace ballast::analytics::internal {

namespace {

SourcePoint point_of(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

class TomlNode {
 public:
  explicit TomlNode(const toml::node& node) : node_(&node) {}

  std::string_view type_name() const {
    switch (node_->type()) {
      case toml::node_type::table: return "table";
      case toml::node_type::array: return "array";
      case toml::node_type::string: return "string";
      case toml::node_type::integer: return "integer";
      case toml::node_type::floating_point: return "float";
      case toml::node_type::boolean: return "boolean";
      case toml::node_type::date: return "date";
      case toml::node_type::time: return "time";
      case toml::node_type::date_time: return "date-time";
      case toml::node_type::none: break;
    }
    return "nothing";
  }
  SourcePoint point() const { return point_of(node_->source()); }
  bool is_table() const { return node_->is_table(); }
  bool is_array() const { return node_->is_array(); }
  std::optional<double> number() const {
    if (const auto* i = node_->as_integer()) return static_cast<double>(i->get());
    if (const auto* f = node_->as_floating_point()) return f->get();
    return std::nullopt;
  }
  std::optional<std::string> text() const {
    if (const auto* s = node_->as_string()) return s->get();
    return std::nullopt;
  }
  template <class F>
  void for_each_entry(F&& f) const {
    for (const auto& [key, value] : *node_->as_table()) f(key.str(), TomlNode(value), point_of(key.source()));
  }
  template <class F>
  void for_each_element(F&& f) const {
    for (const toml::node& element : *node_->as_array()) f(TomlNode(element));
  }

 private:
  const toml::node* node_;
};

}  // namespace

ScenarioReadState read_toml_scenarios(std::string_view text, std::string_view source_name) {
  ScenarioReadState state;
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    state.malformed("", std::string(error.description()), point_of(error.source()));
    return state;
  }
  read_scenario_document(TomlNode(root), state);
  return state;
}

}  // namespace ballast::analytics::internal
