#include "ballast/risk/sizing_reason.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>

namespace ballast::risk {
namespace {

constexpr std::array<std::pair<SizingReason, std::string_view>, 9> kNames{{
    {SizingReason::ClippedToMaxQuantity, "CLIPPED_TO_MAX_QUANTITY"},
    {SizingReason::ClippedToInstrumentMaxQuantity, "CLIPPED_TO_INSTRUMENT_MAX_QUANTITY"},
    {SizingReason::ClippedToMaxNotional, "CLIPPED_TO_MAX_NOTIONAL"},
    {SizingReason::BelowMinQuantity, "BELOW_MIN_QUANTITY"},
    {SizingReason::BelowMinNotional, "BELOW_MIN_NOTIONAL"},
    {SizingReason::NegativeEdge, "NEGATIVE_EDGE"},
    {SizingReason::KellyFractionCapped, "KELLY_FRACTION_CAPPED"},
    {SizingReason::ScaledForCorrelation, "SCALED_FOR_CORRELATION"},
    {SizingReason::ZeroTarget, "ZERO_TARGET"},
}};

}  // namespace

std::string_view to_string(SizingReason reason) noexcept {
  for (const auto& [value, name] : kNames) {
    if (value == reason) return name;
  }
  return "UNKNOWN";
}

core::Result<SizingReason> parse_sizing_reason(std::string_view text) {
  std::string allowed;
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return core::Error(core::ErrorCode::InvalidArgument,
                     fmt::format("SizingReason '{}' is not one of {}", text, allowed));
}

bool is_limit_reason(SizingReason reason) noexcept {
  switch (reason) {
    case SizingReason::ClippedToMaxQuantity:
    case SizingReason::ClippedToInstrumentMaxQuantity:
    case SizingReason::ClippedToMaxNotional:
    case SizingReason::BelowMinQuantity:
    case SizingReason::BelowMinNotional: return true;
    case SizingReason::NegativeEdge:
    case SizingReason::KellyFractionCapped:
    case SizingReason::ScaledForCorrelation:
    case SizingReason::ZeroTarget: return false;
  }
  return false;
}

}  // namespace ballast::risk
