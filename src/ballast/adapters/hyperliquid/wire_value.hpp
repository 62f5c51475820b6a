#pragma once
// WireValue: a JSON-like value whose maps keep their keys in insertion order. A Hyperliquid action is
// built once as a WireValue and then serialised twice from the same tree — as MessagePack for the action
// hash that gets signed, and as JSON for the /exchange request body — so the signed bytes and the sent
// fields can never disagree about key order (the exchange re-encodes the JSON it receives, in the order
// received, and rejects the signature if the order differs).
//
// Numbers are integers only (the exchange's actions carry prices and sizes as strings); a JSON number
// with a fraction or exponent is rejected by parse_wire_value.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid {

class WireValue {
 public:
  using Array = std::vector<WireValue>;
  using Map = std::vector<std::pair<std::string, WireValue>>;
  enum class Kind { Nil, Bool, Int, Uint, String, Array, Map };

  WireValue() = default;  // nil
  static WireValue boolean(bool v);
  static WireValue integer(std::int64_t v);
  static WireValue unsigned_integer(std::uint64_t v);
  static WireValue string(std::string v);
  static WireValue array(Array items = {});
  static WireValue map(Map entries = {});

  Kind kind() const noexcept { return static_cast<Kind>(data_.index()); }
  bool is_nil() const noexcept { return kind() == Kind::Nil; }

  // Appends to an array (requires kind() == Array) / a key to a map (requires Map; keys must be new).
  WireValue& push(WireValue item);
  WireValue& set(std::string key, WireValue value);

  bool as_bool() const;
  std::int64_t as_int() const;   // Int, or a Uint that fits
  std::uint64_t as_uint() const;  // Uint, or a non-negative Int
  const std::string& as_string() const;
  const Array& as_array() const;
  const Map& as_map() const;
  // The value under `key` of a map, or nullptr.
  const WireValue* find(std::string_view key) const;

  // Compact JSON ("{\"type\":\"order\",…}") in insertion order.
  std::string to_json() const;
  void append_json(std::string& out) const;
  // MessagePack in the smallest encodings (see msgpack_writer.hpp).
  std::vector<std::uint8_t> to_msgpack() const;

  friend bool operator==(const WireValue& a, const WireValue& b);

 private:
  struct Nil {
    friend bool operator==(Nil, Nil) { return true; }
  };
  std::variant<Nil, bool, std::int64_t, std::uint64_t, std::string, Array, Map> data_;
};

// Parses JSON text into a WireValue, keeping object keys in the order they appear. Errors name the JSON
// path ("action.orders[0].a") of a value that cannot be represented (fractions, out-of-range integers).
core::Result<WireValue> parse_wire_value(std::string_view json);

}  // namespace ballast::adapters::hyperliquid
