#pragma once
// Hyperliquid's number formats and price/size rules (docs: "Tick and lot size").
//
//  - Numbers travel as strings in the SDK's float_to_wire form: at most 8 decimals, no trailing zeros,
//    no exponent, "-0" written "0" ("100", "0.0147", "1670.1").
//  - Size: a multiple of 10^-szDecimals of the asset (szDecimals from /info meta).
//  - Price: at most 5 significant figures AND at most MAX_DECIMALS − szDecimals decimals, where
//    MAX_DECIMALS is 6 for perpetuals and 8 for spot. Integer prices are always valid, whatever their
//    number of significant figures (123456 is valid, 12345.6 is not).
//
// The check_*/…_to_wire functions never round: a value that breaks a rule is an error naming the field
// and the rule, so a user's price is never moved silently. round_price/round_size round explicitly,
// with the caller's RoundingMode, for callers that want that (e.g. an aggressive IOC price).

#include <string>
#include <string_view>

#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid {

enum class MarketKind { Perp, Spot };

inline constexpr int kMaxWireDecimals = 8;
inline constexpr int kMaxSignificantFigures = 5;

// The value without trailing fractional zeros (1.500 → 1.5 at scale 1).
core::Decimal normalized(const core::Decimal& v);
// float_to_wire for an exact decimal; more than 8 significant decimals is an error at `field`.
core::Result<std::string> decimal_to_wire(const core::Decimal& v, std::string_view field);

// 6 − szDecimals (perp) or 8 − szDecimals (spot), never below 0.
int max_price_decimals(int sz_decimals, MarketKind kind) noexcept;
// Significant figures of a non-integer value (leading zeros excluded, trailing zeros dropped).
int significant_figures(const core::Decimal& v) noexcept;

core::Status check_price(const core::Decimal& px, int sz_decimals, MarketKind kind, std::string_view field);
core::Status check_size(const core::Decimal& sz, int sz_decimals, std::string_view field);
core::Result<std::string> price_to_wire(const core::Decimal& px, int sz_decimals, MarketKind kind,
                                        std::string_view field);
core::Result<std::string> size_to_wire(const core::Decimal& sz, int sz_decimals, std::string_view field);

// Rounds to at most 5 significant figures and at most max_price_decimals decimals (values with 5 or more
// integer digits become integers), using `mode`. The result satisfies check_price.
core::Result<core::Decimal> round_price(const core::Decimal& px, int sz_decimals, MarketKind kind,
                                        core::RoundingMode mode);
core::Result<core::Decimal> round_size(const core::Decimal& sz, int sz_decimals, core::RoundingMode mode);

// The SDK's float_to_int(x, power): x × 10^power as an exact integer, for the few actions that carry
// scaled integers (float_to_int_for_hashing: power 8; float_to_usd_int: power 6, e.g. "ntli"). A value
// with more than `power` decimals is an error at `field` (the SDK raises "float_to_int causes rounding").
// Non-negative results are unsigned (up to 2^64 − 1, as msgpack carries them), negative ones signed.
core::Result<WireValue> decimal_to_scaled_int(const core::Decimal& v, int power, std::string_view field);

}  // namespace ballast::adapters::hyperliquid
