#pragma once
// Exact JSON reading for Binance answers (private to the adapter; includes nlohmann, so only .cpp files
// include it). Binance sends most decimals as strings ("0.10"), but some endpoints send JSON numbers
// (leverageBracket's maintMarginRatio 0.0065). parse_exact() keeps every number with a fraction or an
// exponent as its source text, so no value ever passes through a double. The accessors name the JSON
// path of the field in every error ("symbols[0].filters[2].stepSize").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::adapters::binance::internal {

using Json = nlohmann::json;

// Parses `text`; numbers with a fraction/exponent become strings holding their exact source text.
core::Result<Json> parse_exact(std::string_view text);

std::string child_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

// Each accessor requires `object` to be a JSON object holding `key` (unless it returns an optional).
core::Result<const Json*> require_member(const Json& object, std::string_view key, std::string_view path);
core::Result<std::string> get_string(const Json& object, std::string_view key, std::string_view path);
// A decimal written as a string ("0.10") or a JSON number (integer, or kept as text by parse_exact).
core::Result<core::Decimal> get_decimal(const Json& object, std::string_view key, std::string_view path);
std::optional<core::Result<core::Decimal>> get_optional_decimal(const Json& object, std::string_view key,
                                                                std::string_view path);
// An integer written as a JSON integer or a string of digits.
core::Result<std::int64_t> get_int(const Json& object, std::string_view key, std::string_view path);
// true/false, or the strings "true"/"false".
core::Result<bool> get_bool(const Json& object, std::string_view key, std::string_view path);
core::Result<const Json*> get_array(const Json& object, std::string_view key, std::string_view path);

core::Error field_error(std::string_view path, std::string message);

}  // namespace ballast::adapters::binance::internal
