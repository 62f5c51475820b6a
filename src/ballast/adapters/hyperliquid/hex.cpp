#include "ballast/adapters/hyperliquid/hex.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ballast::adapters::hyperliquid {
namespace {

constexpr std::string_view kDigits = "0123456789abcdef";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view strip_prefix(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  return text;
}

// Decodes an even or odd number of digits (odd: a leading zero nibble is implied) into `out`.
core::Status decode_digits(std::string_view digits, std::span<std::uint8_t> out, std::string_view field,
                           std::string_view original) {
  std::size_t nibble = out.size() * 2 - digits.size();
  for (char c : digits) {
    const int v = hex_value(c);
    if (v < 0) {
      return core::Error(core::ErrorCode::ParseError,
                         fmt::format("'{}' is not hex: unexpected character '{}'", original, c), std::string(field));
    }
    auto& byte = out[nibble / 2];
    byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? (v << 4) : (byte | v));
    ++nibble;
  }
  return core::ok();
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string out = "0x";
  out.reserve(2 + bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

std::string to_hex_quantity(std::span<const std::uint8_t> big_endian) {
  std::string digits = to_hex(big_endian).substr(2);
  const auto first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0x0" : "0x" + digits.substr(first);
}

core::Result<std::vector<std::uint8_t>> parse_hex(std::string_view text, std::size_t length, std::string_view field) {
  const std::string_view digits = strip_prefix(text);
  if (digits.size() != length * 2) {
    return core::Error(core::ErrorCode::ParseError,
                       fmt::format("'{}' must be {} hex digits ({} bytes), got {}", text, length * 2, length,
                                   digits.size()),
                       std::string(field));
  }
  std::vector<std::uint8_t> out(length);
  BALLAST_TRY(decode_digits(digits, out, field, text));
  return out;
}

core::Result<std::array<std::uint8_t, 32>> parse_hex_quantity(std::string_view text, std::string_view field) {
  const std::string_view digits = strip_prefix(text);
  if (digits.empty() || digits.size() > 64) {
    return core::Error(core::ErrorCode::ParseError,
                       fmt::format("'{}' must be 1 to 64 hex digits, got {}", text, digits.size()), std::string(field));
  }
  std::array<std::uint8_t, 32> out{};
  BALLAST_TRY(decode_digits(digits, std::span<std::uint8_t>(out).last((digits.size() + 1) / 2), field, text));
  return out;
}

core::Result<Address> parse_address(std::string_view text, std::string_view field) {
  auto bytes = parse_hex(text, 20, field);
  if (!bytes) return bytes.error();
  Address out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace ballast::adapters::hyperliquid
