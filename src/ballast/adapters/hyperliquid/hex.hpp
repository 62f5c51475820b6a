#pragma once
// Hex text <-> bytes for Hyperliquid's wire values: addresses (20 bytes), client order ids (16 bytes),
// hashes and signature components (32 bytes). Output is lower case with a "0x" prefix, as the official
// SDKs write it; input accepts either case, with or without the prefix.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid {

using Address = std::array<std::uint8_t, 20>;

// "0x" + two lower-case hex digits per byte.
std::string to_hex(std::span<const std::uint8_t> bytes);
// The 32-byte big-endian number without leading zero digits, "0x0" for zero — how the Python SDK prints
// r and s (eth_utils.to_hex of an int), so "0x053…" is written "0x53…".
std::string to_hex_quantity(std::span<const std::uint8_t> big_endian);

// Decodes hex of exactly `length` bytes. `field` names the input in the error ("vaultAddress", …).
core::Result<std::vector<std::uint8_t>> parse_hex(std::string_view text, std::size_t length, std::string_view field);
// A hex number of at most 32 bytes (leading zeros optional, as in to_hex_quantity), left-padded to 32.
core::Result<std::array<std::uint8_t, 32>> parse_hex_quantity(std::string_view text, std::string_view field);
core::Result<Address> parse_address(std::string_view text, std::string_view field);

}  // namespace ballast::adapters::hyperliquid
