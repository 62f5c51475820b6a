#include "ballast/adapters/binance_futures/internal/json_reader.hpp"

#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace ballast::adapters::binance::internal {
namespace {

// SAX consumer that builds a Json DOM, keeping non-integer numbers as their source text.
class ExactBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  bool null() { return add(Json(nullptr)); }
  bool boolean(bool v) { return add(Json(v)); }
  bool number_integer(number_integer_t v) { return add(Json(v)); }
  bool number_unsigned(number_unsigned_t v) { return add(Json(v)); }
  bool number_float(number_float_t /*v*/, const string_t& text) { return add(Json(text)); }
  bool string(string_t& v) { return add(Json(std::move(v))); }
  bool binary(binary_t& /*v*/) { return false; }
  bool start_object(std::size_t /*n*/) { return open(Json::object()); }
  bool key(string_t& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*n*/) { return open(Json::array()); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*token*/, const nlohmann::detail::exception& ex) {
    error_ = fmt::format("invalid JSON at byte {}: {}", position, ex.what());
    return false;
  }

  Json root;
  std::string error_;

 private:
  Json* place(Json value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    Json& top = *stack_.back();
    if (top.is_object()) {
      Json& slot = top[key_];
      slot = std::move(value);
      return &slot;
    }
    top.push_back(std::move(value));
    return &top.back();
  }
  bool add(Json value) {
    place(std::move(value));
    return true;
  }
  bool open(Json container) {
    stack_.push_back(place(std::move(container)));
    return true;
  }

  std::vector<Json*> stack_;
  std::string key_;
};

std::string describe(const Json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

}  // namespace

core::Result<Json> parse_exact(std::string_view text) {
  ExactBuilder builder;
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json, true);
  if (!ok) {
    return core::Error(core::ErrorCode::ParseError, builder.error_.empty() ? "invalid JSON" : builder.error_, "$");
  }
  return std::move(builder.root);
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string index_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

core::Error field_error(std::string_view path, std::string message) {
  return core::Error(core::ErrorCode::ParseError, fmt::format("field '{}': {}", path, message), std::string(path));
}

core::Result<const Json*> require_member(const Json& object, std::string_view key, std::string_view path) {
  const std::string full = child_path(path, key);
  if (!object.is_object())
    return field_error(path.empty() ? "$" : path, "expected a JSON object, got " + describe(object));
  const auto it = object.find(std::string(key));
  if (it == object.end()) return field_error(full, "missing");
  return &*it;
}

core::Result<std::string> get_string(const Json& object, std::string_view key, std::string_view path) {
  auto member = require_member(object, key, path);
  if (!member) return member.error();
  if (!(*member)->is_string())
    return field_error(child_path(path, key), "expected a string, got " + describe(**member));
  return (*member)->get<std::string>();
}

namespace {
core::Result<core::Decimal> decimal_of(const Json& v, const std::string& full) {
  if (v.is_number_integer()) return core::Decimal::from_int(v.get<std::int64_t>());
  if (v.is_string()) {
    const auto& text = v.get_ref<const std::string&>();
    auto parsed = core::Decimal::parse(text);
    if (!parsed) return field_error(full, fmt::format("'{}' is not a decimal: {}", text, parsed.error().message()));
    return *parsed;
  }
  return field_error(full, "expected a decimal (string or number), got " + describe(v));
}
}  // namespace

core::Result<core::Decimal> get_decimal(const Json& object, std::string_view key, std::string_view path) {
  auto member = require_member(object, key, path);
  if (!member) return member.error();
  return decimal_of(**member, child_path(path, key));
}

std::optional<core::Result<core::Decimal>> get_optional_decimal(const Json& object, std::string_view key,
                                                                std::string_view path) {
  if (!object.is_object()) return core::Result<core::Decimal>(field_error(path, "expected a JSON object"));
  const auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return std::nullopt;
  return decimal_of(*it, child_path(path, key));
}

core::Result<std::int64_t> get_int(const Json& object, std::string_view key, std::string_view path) {
  auto member = require_member(object, key, path);
  if (!member) return member.error();
  const Json& v = **member;
  const std::string full = child_path(path, key);
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    const auto& text = v.get_ref<const std::string&>();
    std::int64_t out = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) return out;
    return field_error(full, fmt::format("'{}' is not an integer", text));
  }
  return field_error(full, "expected an integer, got " + describe(v));
}

core::Result<bool> get_bool(const Json& object, std::string_view key, std::string_view path) {
  auto member = require_member(object, key, path);
  if (!member) return member.error();
  const Json& v = **member;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const auto& text = v.get_ref<const std::string&>();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return field_error(child_path(path, key), "expected true or false, got " + describe(v));
}

core::Result<const Json*> get_array(const Json& object, std::string_view key, std::string_view path) {
  auto member = require_member(object, key, path);
  if (!member) return member.error();
  if (!(*member)->is_array()) return field_error(child_path(path, key), "expected an array, got " + describe(**member));
  return *member;
}

}  // namespace ballast::adapters::binance::internal
