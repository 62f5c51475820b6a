#pragma once
// Support and resistance levels from swing pivots (docs/analytics/market.md §3). Prices are in the
// units of the input columns; indices are bar indices into them.
//
//  - PIVOTS (fractals). Bar i is a SWING HIGH when high[i] is strictly greater than the highs of the
//    `pivot_span` = k bars on each side, a SWING LOW when low[i] is strictly lower than their lows. A
//    flat top or bottom of equal extremes is no pivot; the first and last k bars can never be pivots
//    (the last k are unconfirmed: the bars after them have not happened yet). An outside bar can be
//    both; it then counts as two pivots.
//  - TOLERANCE, in price units, from the mode: ABSOLUTE (the value itself), PERCENT (value % of the
//    reference price, the last close), or ATR_MULTIPLE (value × ATR(atr_period) at the last bar,
//    indicators/volatility_bands.hpp).
//  - CLUSTERING. Pivot prices (highs and lows together: a broken resistance becomes support) sorted
//    ascending (ties by index). A pivot joins the current cluster while its price is within the
//    tolerance of the cluster's LOWEST price, else it starts a new cluster; so a level is never wider
//    than the tolerance. ABSOLUTE: within `tolerance` price units. PERCENT and ATR_MULTIPLE: within the
//    same SHARE of the lowest price as the tolerance is of the reference price (lowest × (1 + t/ref)),
//    so levels far below or above the last close are as tight in percent as those near it; at the
//    reference price both agree (a lowest price ≤ 0 falls back to price units). Level price = mean of
//    its pivot prices; lower/upper = their min/max.
//  - TOUCHES = pivots in the level; first/last touch = smallest/largest pivot index.
//  - KIND: SUPPORT when the level price is at or below the reference price, RESISTANCE above it.
//  - STRENGTH = touches + (last_touch_index + 1)/(bar count + 1): the integer part counts touches, the
//    fraction (< 1) prefers the most recently touched of equally touched levels. Levels are ranked by
//    strength (descending), then by distance to the reference price, then by price.

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/market_data.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ballast::analytics {

enum class PivotKind { SwingHigh, SwingLow };
enum class LevelKind { Support, Resistance };
enum class LevelToleranceMode { Absolute, Percent, AtrMultiple };

namespace detail {
inline constexpr model::detail::EnumNames<PivotKind, 2> kPivotKind{{
    {PivotKind::SwingHigh, "SWING_HIGH"},
    {PivotKind::SwingLow, "SWING_LOW"},
}};
inline constexpr model::detail::EnumNames<LevelKind, 2> kLevelKind{{
    {LevelKind::Support, "SUPPORT"},
    {LevelKind::Resistance, "RESISTANCE"},
}};
inline constexpr model::detail::EnumNames<LevelToleranceMode, 3> kLevelToleranceMode{{
    {LevelToleranceMode::Absolute, "ABSOLUTE"},
    {LevelToleranceMode::Percent, "PERCENT"},
    {LevelToleranceMode::AtrMultiple, "ATR_MULTIPLE"},
}};
}  // namespace detail

constexpr std::string_view to_string(PivotKind v) noexcept {
  return model::detail::enum_to_string(detail::kPivotKind, v);
}
constexpr std::string_view to_string(LevelKind v) noexcept {
  return model::detail::enum_to_string(detail::kLevelKind, v);
}
constexpr std::string_view to_string(LevelToleranceMode v) noexcept {
  return model::detail::enum_to_string(detail::kLevelToleranceMode, v);
}
template <class T>
requires std::is_same_v<T, PivotKind> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kPivotKind, text, "PivotKind");
}
template <class T>
requires std::is_same_v<T, LevelKind> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kLevelKind, text, "LevelKind");
}
template <class T>
requires std::is_same_v<T, LevelToleranceMode> core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kLevelToleranceMode, text, "LevelToleranceMode");
}

struct Pivot {
  std::size_t index = 0;
  PivotKind kind = PivotKind::SwingHigh;
  double price = 0.0;  // the high of a swing high, the low of a swing low

  friend bool operator==(const Pivot&, const Pivot&) = default;
};

// Swing highs and lows ordered by index (a swing high before a swing low on the same bar). high and
// low must be aligned, finite, with high[i] ≥ low[i]; k (span) in [1, 10000]. Fewer than 2k + 1 bars
// give no pivots.
core::Result<std::vector<Pivot>> find_pivots(std::span<const double> high, std::span<const double> low, int span);

struct SupportResistanceConfig {
  int pivot_span = 2;  // k, in [1, 10000]
  LevelToleranceMode tolerance_mode = LevelToleranceMode::AtrMultiple;
  double tolerance = 0.5;       // finite, ≥ 0, in the mode's unit
  int atr_period = 14;          // for ATR_MULTIPLE, in [1, 100000]
  std::size_t min_touches = 1;  // drop levels with fewer, ≥ 1
};

core::Status validate(const SupportResistanceConfig& config);

struct PriceLevel {
  double price = 0.0;  // mean of the pivot prices
  double lower = 0.0;  // lowest pivot price
  double upper = 0.0;  // highest pivot price
  LevelKind kind = LevelKind::Support;
  std::size_t touches = 0;
  std::size_t swing_high_touches = 0;
  std::size_t swing_low_touches = 0;
  std::size_t first_touch_index = 0;
  std::size_t last_touch_index = 0;
  double strength = 0.0;
  double distance_pct = 0.0;  // 100·(price − reference)/reference (signed)
};

struct SupportResistance {
  double reference_price = 0.0;  // last close
  double tolerance = 0.0;        // clustering tolerance in price units at the reference price
  std::vector<Pivot> pivots;
  std::vector<PriceLevel> levels;  // strongest first

  // The support level closest below-or-at the reference price, and the resistance closest above.
  std::optional<PriceLevel> nearest_support() const;
  std::optional<PriceLevel> nearest_resistance() const;
};

// Errors on an invalid config, misaligned or non-finite columns, a bar with high < low, a reference
// close ≤ 0 (distance_pct needs it), an empty series, or (ATR_MULTIPLE) fewer than atr_period + 1 bars.
core::Result<SupportResistance> support_resistance(std::span<const double> high, std::span<const double> low,
                                                   std::span<const double> close,
                                                   const SupportResistanceConfig& config = {});
core::Result<SupportResistance> support_resistance(std::span<const model::Bar> bars,
                                                   const SupportResistanceConfig& config = {});

}  // namespace ballast::analytics
