#include "ballast/adapters/hyperliquid/wire_value.hpp"

#include "ballast/adapters/hyperliquid/msgpack_writer.hpp"
#include "ballast/core/require.hpp"
#include "ballast/net/json_escape.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>

namespace ballast::adapters::hyperliquid {
namespace {

void write_msgpack(const WireValue& v, MsgpackWriter& w) {
  switch (v.kind()) {
    case WireValue::Kind::Nil: w.write_nil(); return;
    case WireValue::Kind::Bool: w.write_bool(v.as_bool()); return;
    case WireValue::Kind::Int: w.write_int(v.as_int()); return;
    case WireValue::Kind::Uint: w.write_uint(v.as_uint()); return;
    case WireValue::Kind::String: w.write_string(v.as_string()); return;
    case WireValue::Kind::Array:
      w.write_array_header(static_cast<std::uint32_t>(v.as_array().size()));
      for (const auto& item : v.as_array()) write_msgpack(item, w);
      return;
    case WireValue::Kind::Map:
      w.write_map_header(static_cast<std::uint32_t>(v.as_map().size()));
      for (const auto& [key, value] : v.as_map()) {
        w.write_string(key);
        write_msgpack(value, w);
      }
      return;
  }
}

core::Result<WireValue> from_json(const nlohmann::ordered_json& j, const std::string& path) {
  using T = nlohmann::ordered_json::value_t;
  switch (j.type()) {
    case T::null: return WireValue();
    case T::boolean: return WireValue::boolean(j.get<bool>());
    case T::number_unsigned: return WireValue::unsigned_integer(j.get<std::uint64_t>());
    case T::number_integer: {
      const auto v = j.get<std::int64_t>();
      return v >= 0 ? WireValue::unsigned_integer(static_cast<std::uint64_t>(v)) : WireValue::integer(v);
    }
    case T::number_float:
      return core::Error(core::ErrorCode::Unsupported,
                         fmt::format("a fractional number ({}) cannot be signed; send prices and sizes as strings",
                                     j.dump()),
                         path);
    case T::string: return WireValue::string(j.get<std::string>());
    case T::array: {
      WireValue out = WireValue::array();
      for (std::size_t i = 0; i < j.size(); ++i) {
        auto item = from_json(j[i], fmt::format("{}[{}]", path, i));
        if (!item) return item.error();
        out.push(std::move(*item));
      }
      return out;
    }
    case T::object: {
      WireValue out = WireValue::map();
      for (const auto& [key, value] : j.items()) {
        auto item = from_json(value, path.empty() ? key : path + "." + key);
        if (!item) return item.error();
        out.set(key, std::move(*item));
      }
      return out;
    }
    default:
      return core::Error(core::ErrorCode::Unsupported, "binary or discarded JSON values are not supported", path);
  }
}

}  // namespace

WireValue WireValue::boolean(bool v) {
  WireValue w;
  w.data_ = v;
  return w;
}
WireValue WireValue::integer(std::int64_t v) {
  WireValue w;
  w.data_ = v;
  return w;
}
WireValue WireValue::unsigned_integer(std::uint64_t v) {
  WireValue w;
  w.data_ = v;
  return w;
}
WireValue WireValue::string(std::string v) {
  WireValue w;
  w.data_ = std::move(v);
  return w;
}
WireValue WireValue::array(Array items) {
  WireValue w;
  w.data_ = std::move(items);
  return w;
}
WireValue WireValue::map(Map entries) {
  WireValue w;
  w.data_ = std::move(entries);
  return w;
}

WireValue& WireValue::push(WireValue item) {
  BALLAST_REQUIRE(kind() == Kind::Array, "WireValue::push on a non-array");
  std::get<Array>(data_).push_back(std::move(item));
  return *this;
}

WireValue& WireValue::set(std::string key, WireValue value) {
  BALLAST_REQUIRE(kind() == Kind::Map, "WireValue::set on a non-map");
  BALLAST_REQUIRE(find(key) == nullptr, "WireValue::set: duplicate key '" + key + "'");
  std::get<Map>(data_).emplace_back(std::move(key), std::move(value));
  return *this;
}

bool WireValue::as_bool() const {
  BALLAST_REQUIRE(kind() == Kind::Bool, "WireValue is not a bool");
  return std::get<bool>(data_);
}

std::int64_t WireValue::as_int() const {
  if (kind() == Kind::Uint) {
    const auto v = std::get<std::uint64_t>(data_);
    BALLAST_REQUIRE(v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
                    "WireValue unsigned value does not fit int64");
    return static_cast<std::int64_t>(v);
  }
  BALLAST_REQUIRE(kind() == Kind::Int, "WireValue is not an integer");
  return std::get<std::int64_t>(data_);
}

std::uint64_t WireValue::as_uint() const {
  if (kind() == Kind::Int) {
    const auto v = std::get<std::int64_t>(data_);
    BALLAST_REQUIRE(v >= 0, "WireValue negative value read as unsigned");
    return static_cast<std::uint64_t>(v);
  }
  BALLAST_REQUIRE(kind() == Kind::Uint, "WireValue is not an integer");
  return std::get<std::uint64_t>(data_);
}

const std::string& WireValue::as_string() const {
  BALLAST_REQUIRE(kind() == Kind::String, "WireValue is not a string");
  return std::get<std::string>(data_);
}

const WireValue::Array& WireValue::as_array() const {
  BALLAST_REQUIRE(kind() == Kind::Array, "WireValue is not an array");
  return std::get<Array>(data_);
}

const WireValue::Map& WireValue::as_map() const {
  BALLAST_REQUIRE(kind() == Kind::Map, "WireValue is not a map");
  return std::get<Map>(data_);
}

const WireValue* WireValue::find(std::string_view key) const {
  if (kind() != Kind::Map) return nullptr;
  for (const auto& [k, v] : std::get<Map>(data_)) {
    if (k == key) return &v;
  }
  return nullptr;
}

void WireValue::append_json(std::string& out) const {
  switch (kind()) {
    case Kind::Nil: out += "null"; return;
    case Kind::Bool: out += as_bool() ? "true" : "false"; return;
    case Kind::Int: out += std::to_string(std::get<std::int64_t>(data_)); return;
    case Kind::Uint: out += std::to_string(std::get<std::uint64_t>(data_)); return;
    case Kind::String: net::append_json_quoted(out, as_string()); return;
    case Kind::Array: {
      out += '[';
      bool first = true;
      for (const auto& item : as_array()) {
        if (!first) out += ',';
        first = false;
        item.append_json(out);
      }
      out += ']';
      return;
    }
    case Kind::Map: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : as_map()) {
        if (!first) out += ',';
        first = false;
        net::append_json_quoted(out, key);
        out += ':';
        value.append_json(out);
      }
      out += '}';
      return;
    }
  }
}

std::string WireValue::to_json() const {
  std::string out;
  append_json(out);
  return out;
}

std::vector<std::uint8_t> WireValue::to_msgpack() const {
  MsgpackWriter w;
  write_msgpack(*this, w);
  return w.take();
}

bool operator==(const WireValue& a, const WireValue& b) {
  // Int and Uint holding the same non-negative number are equal: both encode identically.
  const bool a_num = a.kind() == WireValue::Kind::Int || a.kind() == WireValue::Kind::Uint;
  const bool b_num = b.kind() == WireValue::Kind::Int || b.kind() == WireValue::Kind::Uint;
  if (a_num && b_num) {
    const bool a_neg = a.kind() == WireValue::Kind::Int && std::get<std::int64_t>(a.data_) < 0;
    const bool b_neg = b.kind() == WireValue::Kind::Int && std::get<std::int64_t>(b.data_) < 0;
    if (a_neg || b_neg) return a_neg && b_neg && a.as_int() == b.as_int();
    return a.as_uint() == b.as_uint();
  }
  return a.data_ == b.data_;
}

core::Result<WireValue> parse_wire_value(std::string_view json) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    return core::Error(core::ErrorCode::ParseError, fmt::format("invalid JSON: {}", e.what()));
  }
  return from_json(j, "");
}

}  // namespace ballast::adapters::hyperliquid
