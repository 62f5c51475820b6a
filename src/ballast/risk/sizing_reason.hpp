#pragma once
// SizingReason: why a position sizer's quantity differs from what its rule asked for — clipped by a
// limit, refused below an instrument minimum, or set to zero by the rule itself. Stable upper-snake-case
// codes for events, the API and the dashboard; to_string/parse round-trip.

#include "ballast/core/result.hpp"

#include <string_view>

namespace ballast::risk {

enum class SizingReason {
  ClippedToMaxQuantity,            // the caller's max quantity
  ClippedToInstrumentMaxQuantity,  // the instrument's max quantity
  ClippedToMaxNotional,            // the caller's max notional
  BelowMinQuantity,                // rounded size under the instrument's min quantity: size 0
  BelowMinNotional,                // rounded size under the instrument's min notional: size 0
  NegativeEdge,                    // Kelly fraction f* <= 0: no bet
  KellyFractionCapped,             // the (fractional) Kelly fraction exceeded the configured cap
  ScaledForCorrelation,            // reduced for its correlation with the current portfolio
  ZeroTarget,                      // the rule itself asked for nothing (e.g. full correlation)
};

std::string_view to_string(SizingReason reason) noexcept;
core::Result<SizingReason> parse_sizing_reason(std::string_view text);

// True for the reasons finish_sizing adds (limits and minimums), false for the sizing rules' own.
bool is_limit_reason(SizingReason reason) noexcept;

}  // namespace ballast::risk
