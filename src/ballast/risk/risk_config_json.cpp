// JSON risk configuration (nlohmann, SAX). The document is read through nlohmann's SAX interface into
// a small tree of our own instead of nlohmann::json, for two reasons:
//  - exact decimals: the SAX callback for a float hands over the number as written ("0.1"), which goes
//    straight to Decimal::parse, so a JSON number is never rounded through a binary double;
//  - duplicate keys: the tree keeps every member, so "max_order_notional" given twice is an error
//    instead of nlohmann's silent last-one-wins.
// JSON carries no positions in the tree, so problems are located by JSON pointer
// ("risk.json: /limits/max_order_notional: …"); a syntax error carries the line where parsing stopped.

#include "ballast/risk/risk_config.hpp"

#include "ballast/risk/internal/risk_config_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::risk {
namespace {

using internal::OutValue;

struct JsonValue {
  enum class Kind { Null, Boolean, Integer, Float, String, Object, Array };
  Kind kind{Kind::Null};
  bool boolean{false};
  std::string text{};  // a string's contents, or a number as written
  std::vector<std::pair<std::string, JsonValue>> members{};
  std::vector<JsonValue> elements{};
};

// Builds a JsonValue tree from nlohmann's SAX events.
class TreeBuilder {
 public:
  // Deeper documents are not risk configurations; the limit keeps recursion over the tree bounded.
  static constexpr std::size_t kMaxDepth = 64;

  JsonValue root{};
  std::string error{};
  std::size_t error_byte{0};

  bool null() { return put(JsonValue{}) != nullptr; }
  bool boolean(bool b) {
    JsonValue v;
    v.kind = JsonValue::Kind::Boolean;
    v.boolean = b;
    return put(std::move(v)) != nullptr;
  }
  bool number_integer(std::int64_t i) { return number(JsonValue::Kind::Integer, std::to_string(i)); }
  bool number_unsigned(std::uint64_t u) { return number(JsonValue::Kind::Integer, std::to_string(u)); }
  bool number_float(double, const std::string& literal) { return number(JsonValue::Kind::Float, literal); }
  bool string(std::string& s) {
    JsonValue v;
    v.kind = JsonValue::Kind::String;
    v.text = std::move(s);
    return put(std::move(v)) != nullptr;
  }
  bool binary(nlohmann::json::binary_t&) { return true; }  // never produced by the JSON reader
  bool start_object(std::size_t) { return open(JsonValue::Kind::Object); }
  bool key(std::string& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return open(JsonValue::Kind::Array); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::json::exception& e) {
    error = describe(e.what());
    error_byte = byte;
    return false;
  }

 private:
  // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error …" → "syntax error …":
  // the position is reported separately.
  static std::string describe(std::string_view what) {
    if (const auto at = what.find("column "); at != std::string_view::npos) {
      if (const auto colon = what.find(": ", at); colon != std::string_view::npos) {
        return std::string(what.substr(colon + 2));
      }
    }
    return std::string(what);
  }

  bool number(JsonValue::Kind kind, std::string literal) {
    JsonValue v;
    v.kind = kind;
    v.text = std::move(literal);
    return put(std::move(v)) != nullptr;
  }

  JsonValue* put(JsonValue v) {
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    JsonValue& parent = *stack_.back();
    if (parent.kind == JsonValue::Kind::Object) {
      parent.members.emplace_back(std::move(key_), std::move(v));
      return &parent.members.back().second;
    }
    parent.elements.push_back(std::move(v));
    return &parent.elements.back();
  }

  bool open(JsonValue::Kind kind) {
    if (stack_.size() >= kMaxDepth) {
      error = fmt::format("nested deeper than {} levels", kMaxDepth);
      return false;
    }
    JsonValue v;
    v.kind = kind;
    // Only the innermost open container grows, so pointers to the enclosing ones stay valid.
    stack_.push_back(put(std::move(v)));
    return true;
  }

  std::vector<JsonValue*> stack_{};
  std::string key_{};
};

class JsonNode {
 public:
  explicit JsonNode(const JsonValue& value) : value_(&value) {}

  std::string_view type_name() const {
    switch (value_->kind) {
      case JsonValue::Kind::Null: return "null";
      case JsonValue::Kind::Boolean: return "boolean";
      case JsonValue::Kind::Integer: return integer() ? "integer" : "integer beyond the 64-bit range";
      case JsonValue::Kind::Float: return "number";
      case JsonValue::Kind::String: return "string";
      case JsonValue::Kind::Object: return "object";
      case JsonValue::Kind::Array: return "array";
    }
    return "nothing";
  }
  int line() const { return 0; }
  bool is_table() const { return value_->kind == JsonValue::Kind::Object; }
  bool is_array() const { return value_->kind == JsonValue::Kind::Array; }
  std::optional<bool> boolean() const {
    if (value_->kind == JsonValue::Kind::Boolean) return value_->boolean;
    return std::nullopt;
  }
  std::optional<std::int64_t> integer() const {
    if (value_->kind != JsonValue::Kind::Integer) return std::nullopt;
    std::int64_t out = 0;
    const std::string& t = value_->text;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return out;
  }
  std::optional<std::string> number_text() const {
    if (value_->kind == JsonValue::Kind::Integer || value_->kind == JsonValue::Kind::Float) return value_->text;
    return std::nullopt;
  }
  std::optional<double> floating() const {
    if (value_->kind != JsonValue::Kind::Integer && value_->kind != JsonValue::Kind::Float) return std::nullopt;
    double out = 0;
    const std::string& t = value_->text;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return out;
  }
  std::optional<std::string> text() const {
    if (value_->kind == JsonValue::Kind::String) return value_->text;
    return std::nullopt;
  }
  template <class F>
  void for_each_entry(F&& f) const {
    for (const auto& [key, value] : value_->members) f(std::string_view(key), JsonNode(value), 0);
  }
  template <class F>
  void for_each_element(F&& f) const {
    for (const JsonValue& element : value_->elements) f(JsonNode(element));
  }

 private:
  const JsonValue* value_;
};

// nlohmann counts every character read, the failing one included.
int line_at_byte(std::string_view text, std::size_t byte) {
  const std::string_view read = text.substr(0, std::min(byte > 0 ? byte - 1 : 0, text.size()));
  return static_cast<int>(std::count(read.begin(), read.end(), '\n')) + 1;
}

// --- writing ---------------------------------------------------------------------------------------

std::string json_string(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_scalar(const OutValue& v) {
  return v.kind != OutValue::Kind::Table && v.kind != OutValue::Kind::Array;
}

std::string scalar_text(const OutValue& v) {
  if (v.kind == OutValue::Kind::String) return json_string(v.scalar);
  if (v.kind == OutValue::Kind::Number && v.scalar.find_first_of("ni") != std::string::npos) return "null";  // nan, inf
  return v.scalar;  // true/false, integers, shortest doubles and decimal literals are JSON numbers as written
}

// Small all-scalar objects and arrays go on one line ({"enabled": false, "value": 5}, ["MON", "TUE"]).
std::string one_line(const OutValue& v) {
  if (is_scalar(v)) return scalar_text(v);
  std::string out;
  if (v.kind == OutValue::Kind::Table) {
    for (const auto& [key, member] : v.members)
      out += (out.empty() ? "" : ", ") + json_string(key) + ": " + one_line(member);
    return "{" + out + "}";
  }
  for (const OutValue& element : v.elements) out += (out.empty() ? "" : ", ") + one_line(element);
  return "[" + out + "]";
}

bool fits_one_line(const OutValue& v) {
  if (is_scalar(v)) return true;
  if (v.kind == OutValue::Kind::Table) {
    return std::all_of(v.members.begin(), v.members.end(), [](const auto& m) { return is_scalar(m.second); }) &&
           one_line(v).size() <= 60;
  }
  return std::all_of(v.elements.begin(), v.elements.end(), [](const OutValue& e) { return fits_one_line(e); }) &&
         one_line(v).size() <= 100;
}

void write(const OutValue& v, int indent, std::string& out) {
  if (fits_one_line(v)) {
    out += one_line(v);
    return;
  }
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  const std::string outer(static_cast<std::size_t>(indent), ' ');
  const bool table = v.kind == OutValue::Kind::Table;
  out += table ? "{\n" : "[\n";
  const std::size_t count = table ? v.members.size() : v.elements.size();
  for (std::size_t i = 0; i < count; ++i) {
    out += inner;
    if (table) {
      out += json_string(v.members[i].first) + ": ";
      write(v.members[i].second, indent + 2, out);
    } else {
      write(v.elements[i], indent + 2, out);
    }
    out += i + 1 < count ? ",\n" : "\n";
  }
  out += outer + (table ? "}" : "]");
}

}  // namespace

core::Result<RiskConfig> parse_risk_config_json(std::string_view text, std::string_view source) {
  internal::ConfigReadState state;
  TreeBuilder builder;
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) {
    state.malformed("", builder.error.empty() ? std::string("invalid JSON") : builder.error,
                    builder.error_byte > 0 ? line_at_byte(text, builder.error_byte) : 0);
    return std::move(state).finish(source, internal::PathStyle::JsonPointer);
  }
  internal::ConfigWalker<JsonNode>(state).document(JsonNode(builder.root));
  return std::move(state).finish(source, internal::PathStyle::JsonPointer);
}

std::string to_json(const RiskConfig& config) {
  std::string out;
  write(internal::config_tree(config), 0, out);
  return out + "\n";
}

}  // namespace ballast::risk
