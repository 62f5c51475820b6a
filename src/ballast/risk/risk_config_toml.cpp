// TOML risk configuration (toml++). toml++ records the source region of every node, so every problem
// carries the line of the value (or key) it concerns. TOML floats are binary doubles; a decimal written
// as a float is taken as the shortest text that round-trips the double, which is the text written for
// every value of up to 15 significant digits (0.1 stays exactly 0.1). Longer decimals go in strings.

#include "ballast/risk/risk_config.hpp"

#include "ballast/risk/internal/risk_config_reader.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace ballast::risk {
namespace {

using internal::OutValue;

int line_of(const toml::source_region& region) {
  return static_cast<int>(region.begin.line);
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
  int line() const { return line_of(node_->source()); }
  bool is_table() const { return node_->is_table(); }
  bool is_array() const { return node_->is_array(); }
  std::optional<bool> boolean() const {
    if (const auto* b = node_->as_boolean()) return b->get();
    return std::nullopt;
  }
  std::optional<std::int64_t> integer() const {
    if (const auto* i = node_->as_integer()) return i->get();
    return std::nullopt;
  }
  std::optional<std::string> number_text() const {
    if (const auto* i = node_->as_integer()) return std::to_string(i->get());
    if (const auto* f = node_->as_floating_point()) return fmt::format("{}", f->get());
    return std::nullopt;
  }
  std::optional<double> floating() const {
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
    for (const auto& [key, value] : *node_->as_table()) f(key.str(), TomlNode(value), line_of(key.source()));
  }
  template <class F>
  void for_each_element(F&& f) const {
    for (const toml::node& element : *node_->as_array()) f(TomlNode(element));
  }

 private:
  const toml::node* node_;
};

// --- writing ---------------------------------------------------------------------------------------

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string key_text(std::string_view key) {
  const bool bare = !key.empty() && key.find_first_not_of(
                                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789_-") == std::string_view::npos;
  return bare ? std::string(key) : toml_string(key);
}

// A decimal is written bare when reading it back as a double and taking the shortest text gives the same
// value; otherwise as a string, which the reader parses exactly.
std::string decimal_text(const std::string& literal) {
  if (literal.find_first_of(".eE") == std::string::npos) return literal;  // an integer: exact in TOML
  auto parsed = core::Decimal::parse(literal);
  if (!parsed) return toml_string(literal);
  auto back = internal::decimal_from_double(parsed->to_double());
  return back && *back == *parsed ? literal : toml_string(literal);
}

std::string inline_value(const OutValue& v) {
  switch (v.kind) {
    case OutValue::Kind::Boolean:
    case OutValue::Kind::Number: return v.scalar;
    case OutValue::Kind::Decimal: return decimal_text(v.scalar);
    case OutValue::Kind::String: return toml_string(v.scalar);
    case OutValue::Kind::Table: {
      if (v.members.empty()) return "{}";
      std::string out = "{ ";
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (i > 0) out += ", ";
        out += key_text(v.members[i].first) + " = " + inline_value(v.members[i].second);
      }
      return out + " }";
    }
    case OutValue::Kind::Array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += inline_value(v.elements[i]);
      }
      return out + "]";
    }
  }
  return {};
}

bool is_array_of_tables(const OutValue& v) {
  return v.kind == OutValue::Kind::Array && !v.elements.empty() &&
         std::all_of(v.elements.begin(), v.elements.end(),
                     [](const OutValue& e) { return e.kind == OutValue::Kind::Table; });
}

void write_body(const OutValue& table, std::string& out) {
  for (const auto& [key, value] : table.members) out += key_text(key) + " = " + inline_value(value) + "\n";
}

}  // namespace

core::Result<RiskConfig> parse_risk_config_toml(std::string_view text, std::string_view source) {
  internal::ConfigReadState state;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    state.malformed("", std::string(error.description()), line_of(error.source()));
    return std::move(state).finish(source, internal::PathStyle::Dotted);
  }
  internal::ConfigWalker<TomlNode>(state).document(TomlNode(root));
  return std::move(state).finish(source, internal::PathStyle::Dotted);
}

std::string to_toml(const RiskConfig& config) {
  const OutValue root = internal::config_tree(config);
  std::string out = "# Ballast risk configuration (docs/risk/configuration.md)\n";
  // Plain keys first (TOML puts everything after a [table] header into that table), then tables, then
  // arrays of tables.
  for (const auto& [key, value] : root.members) {
    if (value.kind != OutValue::Kind::Table && !is_array_of_tables(value)) {
      out += key_text(key) + " = " + inline_value(value) + "\n";
    }
  }
  for (const auto& [key, value] : root.members) {
    if (value.kind != OutValue::Kind::Table) continue;
    out += "\n[" + key_text(key) + "]\n";
    write_body(value, out);
  }
  for (const auto& [key, value] : root.members) {
    if (!is_array_of_tables(value)) continue;
    for (const OutValue& element : value.elements) {
      out += "\n[[" + key_text(key) + "]]\n";
      write_body(element, out);
    }
  }
  return out;
}

}  // namespace ballast::risk
