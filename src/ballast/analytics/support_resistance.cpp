#include "ballast/analytics/support_resistance.hpp"

#include "ballast/analytics/indicators/bar_columns.hpp"
#include "ballast/analytics/indicators/volatility_bands.hpp"
#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace ballast::analytics {
namespace {

constexpr int kMaxSpan = 10'000;
constexpr int kMaxAtrPeriod = 100'000;

core::Error invalid(std::string message, std::string where = {}) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

core::Status check_high_low(std::span<const double> high, std::span<const double> low) {
  if (high.size() != low.size()) {
    return invalid(fmt::format("high and low must have the same length (got {}, {})", high.size(), low.size()));
  }
  BALLAST_TRY(require_finite(high, "high"));
  BALLAST_TRY(require_finite(low, "low"));
  for (std::size_t i = 0; i < high.size(); ++i) {
    if (high[i] < low[i]) {
      return invalid(fmt::format("bar {} has high {} below low {}", i, high[i], low[i]), "high");
    }
  }
  return core::ok();
}

core::Status check_span(int span) {
  if (span < 1 || span > kMaxSpan) {
    return invalid(fmt::format("pivot span must be in [1, {}], got {}", kMaxSpan, span), "pivot_span");
  }
  return core::ok();
}

// Pivots of validated columns.
std::vector<Pivot> pivots_of(std::span<const double> high, std::span<const double> low, std::size_t k) {
  std::vector<Pivot> out;
  const std::size_t n = high.size();
  if (n < 2 * k + 1) return out;
  for (std::size_t i = k; i + k < n; ++i) {
    bool swing_high = true;
    bool swing_low = true;
    for (std::size_t j = i - k; j <= i + k && (swing_high || swing_low); ++j) {
      if (j == i) continue;
      swing_high = swing_high && high[i] > high[j];
      swing_low = swing_low && low[i] < low[j];
    }
    if (swing_high) out.push_back(Pivot{i, PivotKind::SwingHigh, high[i]});
    if (swing_low) out.push_back(Pivot{i, PivotKind::SwingLow, low[i]});
  }
  return out;
}

core::Result<double> tolerance_in_price(std::span<const double> high, std::span<const double> low,
                                        std::span<const double> close, const SupportResistanceConfig& config) {
  switch (config.tolerance_mode) {
    case LevelToleranceMode::Absolute: return config.tolerance;
    case LevelToleranceMode::Percent: return config.tolerance / 100.0 * close.back();
    case LevelToleranceMode::AtrMultiple: {
      if (close.size() < static_cast<std::size_t>(config.atr_period) + 1) {
        return invalid(fmt::format("an ATR({}) tolerance needs at least {} bars, got {}", config.atr_period,
                                   config.atr_period + 1, close.size()),
                       "atr_period");
      }
      auto range = atr(high, low, close, config.atr_period);
      if (!range) return range.error();
      return config.tolerance * range->back();
    }
  }
  return invalid("unknown tolerance mode", "tolerance_mode");
}

PriceLevel make_level(std::span<const Pivot> members, double reference, std::size_t bars) {
  PriceLevel level;
  level.lower = members.front().price;
  level.upper = members.front().price;
  level.first_touch_index = members.front().index;
  level.last_touch_index = members.front().index;
  double sum = 0.0;
  for (const Pivot& p : members) {
    sum += p.price;
    level.lower = std::min(level.lower, p.price);
    level.upper = std::max(level.upper, p.price);
    level.first_touch_index = std::min(level.first_touch_index, p.index);
    level.last_touch_index = std::max(level.last_touch_index, p.index);
    if (p.kind == PivotKind::SwingHigh) {
      ++level.swing_high_touches;
    } else {
      ++level.swing_low_touches;
    }
  }
  level.touches = members.size();
  // The mean of values within one tolerance can round just outside [lower, upper]; keep it inside.
  level.price = std::clamp(sum / static_cast<double>(members.size()), level.lower, level.upper);
  level.kind = level.price <= reference ? LevelKind::Support : LevelKind::Resistance;
  level.strength = static_cast<double>(level.touches) +
                   static_cast<double>(level.last_touch_index + 1) / static_cast<double>(bars + 1);
  level.distance_pct = 100.0 * (level.price - reference) / reference;
  return level;
}

}  // namespace

core::Result<std::vector<Pivot>> find_pivots(std::span<const double> high, std::span<const double> low, int span) {
  BALLAST_TRY(check_span(span));
  BALLAST_TRY(check_high_low(high, low));
  return pivots_of(high, low, static_cast<std::size_t>(span));
}

core::Status validate(const SupportResistanceConfig& config) {
  BALLAST_TRY(check_span(config.pivot_span));
  if (!std::isfinite(config.tolerance) || config.tolerance < 0.0) {
    return invalid(fmt::format("tolerance must be finite and >= 0, got {}", config.tolerance), "tolerance");
  }
  if (config.atr_period < 1 || config.atr_period > kMaxAtrPeriod) {
    return invalid(fmt::format("atr_period must be in [1, {}], got {}", kMaxAtrPeriod, config.atr_period),
                   "atr_period");
  }
  if (config.min_touches < 1) return invalid("min_touches must be >= 1", "min_touches");
  return core::ok();
}

std::optional<PriceLevel> SupportResistance::nearest_support() const {
  std::optional<PriceLevel> best;
  for (const PriceLevel& l : levels) {
    if (l.kind == LevelKind::Support && (!best || l.price > best->price)) best = l;
  }
  return best;
}

std::optional<PriceLevel> SupportResistance::nearest_resistance() const {
  std::optional<PriceLevel> best;
  for (const PriceLevel& l : levels) {
    if (l.kind == LevelKind::Resistance && (!best || l.price < best->price)) best = l;
  }
  return best;
}

core::Result<SupportResistance> support_resistance(std::span<const double> high, std::span<const double> low,
                                                   std::span<const double> close,
                                                   const SupportResistanceConfig& config) {
  BALLAST_TRY(validate(config));
  BALLAST_TRY(check_high_low(high, low));
  if (close.size() != high.size()) {
    return invalid(fmt::format("close must have the length of high and low ({}), got {}", high.size(), close.size()));
  }
  BALLAST_TRY(require_finite(close, "close"));
  if (close.empty()) return invalid("support and resistance need at least one bar", "close");
  SupportResistance out;
  out.reference_price = close.back();
  if (out.reference_price <= 0.0) {
    return invalid(
        fmt::format("close[{}] is {}; the reference price must be > 0", close.size() - 1, out.reference_price),
        "close");
  }
  auto tolerance = tolerance_in_price(high, low, close, config);
  if (!tolerance) return tolerance.error();
  out.tolerance = *tolerance;
  out.pivots = pivots_of(high, low, static_cast<std::size_t>(config.pivot_span));

  std::vector<Pivot> by_price = out.pivots;
  std::sort(by_price.begin(), by_price.end(), [](const Pivot& a, const Pivot& b) {
    return a.price < b.price || (a.price == b.price && a.index < b.index);
  });
  // ABSOLUTE: the same width everywhere. PERCENT and ATR_MULTIPLE: the same share of the price (the
  // tolerance at the reference price as a fraction of it), so a series spanning orders of magnitude does
  // not lump its early, far lower pivots into one level (BTC from 4 to 93,000: 0.5 ATR = 6,458 took every
  // pivot from 16 to 6,425 as one "support").
  const bool relative = config.tolerance_mode != LevelToleranceMode::Absolute;
  const double share = out.tolerance / out.reference_price;
  const auto within = [&](double lowest, double price) {
    if (relative && lowest > 0.0) return price <= lowest * (1.0 + share);
    return price - lowest <= out.tolerance;
  };
  std::size_t begin = 0;
  while (begin < by_price.size()) {
    std::size_t end = begin + 1;
    while (end < by_price.size() && within(by_price[begin].price, by_price[end].price)) ++end;
    const std::span<const Pivot> members(by_price.data() + begin, end - begin);
    if (members.size() >= config.min_touches) {
      out.levels.push_back(make_level(members, out.reference_price, close.size()));
    }
    begin = end;
  }
  std::sort(out.levels.begin(), out.levels.end(), [&](const PriceLevel& a, const PriceLevel& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    const double da = std::abs(a.price - out.reference_price);
    const double db = std::abs(b.price - out.reference_price);
    if (da != db) return da < db;
    return a.price < b.price;
  });
  return out;
}

core::Result<SupportResistance> support_resistance(std::span<const model::Bar> bars,
                                                   const SupportResistanceConfig& config) {
  const BarColumns c = to_columns(bars);
  return support_resistance(c.high, c.low, c.close, config);
}

}  // namespace ballast::analytics
