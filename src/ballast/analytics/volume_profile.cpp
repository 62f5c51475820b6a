#include "ballast/analytics/volume_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace ballast::analytics {
namespace {

constexpr int kMaxSmoothingRadius = 1000;
// Volumes (and value-area sums) this close, relative to the larger, are equal: shares like V/3 are not
// exact in binary, and a tie rule must not depend on the last bit of a sum.
constexpr double kRelativeTie = 1e-12;

core::Error invalid(std::string message, std::string where = {}) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

bool near_equal(double a, double b) noexcept {
  return std::abs(a - b) <= kRelativeTie * std::max(std::abs(a), std::abs(b));
}

// The inclusive bin range [first, last] a bar covers (see the header), exact.
struct BinRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

core::Result<BinRange> bins_of(const model::Bar& bar, const core::Decimal& size, std::size_t index) {
  auto first = bar.low.value().checked_div(size, 0, core::RoundingMode::Down);
  if (!first) return first.error().with_context(fmt::format("bar {} low", index));
  BinRange r{first->raw(), first->raw()};
  if (bar.high > bar.low) {
    auto ceiling = bar.high.value().checked_div(size, 0, core::RoundingMode::Up);
    if (!ceiling) return ceiling.error().with_context(fmt::format("bar {} high", index));
    r.last = ceiling->raw() - 1;
  }
  return r;
}

core::Result<double> edge(const core::Decimal& size, std::int64_t bin) {
  auto e = size.checked_mul_int(bin);
  if (!e) return e.error();
  return e->to_double();
}

std::size_t point_of_control(const std::vector<VolumeBin>& bins) {
  double top = 0.0;
  for (const VolumeBin& b : bins) top = std::max(top, b.volume);
  const std::size_t n = bins.size();
  std::size_t best = n;
  std::size_t best_distance = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!near_equal(bins[i].volume, top)) continue;
    // Twice the distance to the centre (n − 1)/2, in integers.
    const std::size_t twice = 2 * i > n - 1 ? 2 * i - (n - 1) : (n - 1) - 2 * i;
    if (best == n || twice < best_distance) {
      best = i;
      best_distance = twice;
    }
  }
  return best;
}

void value_area(VolumeProfile& p, double fraction) {
  const std::size_t n = p.bins.size();
  std::size_t lo = p.poc_bin;
  std::size_t hi = p.poc_bin;
  double volume = p.bins[p.poc_bin].volume;
  const double target = fraction * p.total_volume * (1.0 - kRelativeTie);
  while (volume < target && (lo > 0 || hi + 1 < n)) {
    const std::size_t up_count = std::min<std::size_t>(2, n - 1 - hi);
    const std::size_t down_count = std::min<std::size_t>(2, lo);
    double up = 0.0;
    double down = 0.0;
    for (std::size_t c = 1; c <= up_count; ++c) up += p.bins[hi + c].volume;
    for (std::size_t c = 1; c <= down_count; ++c) down += p.bins[lo - c].volume;
    bool take_up = false;
    if (down_count == 0) {
      take_up = true;
    } else if (up_count > 0) {
      take_up = up > down || near_equal(up, down);
    }
    if (take_up) {
      hi += up_count;
      volume += up;
    } else {
      lo -= down_count;
      volume += down;
    }
  }
  p.value_area_low_bin = lo;
  p.value_area_high_bin = hi;
  p.value_area_low = p.bins[lo].lower;
  p.value_area_high = p.bins[hi].upper;
  p.value_area_volume = volume;
}

void smooth(VolumeProfile& p, int radius) {
  const std::size_t n = p.bins.size();
  const auto r = static_cast<std::size_t>(radius);
  p.smoothed.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t from = i >= r ? i - r : 0;
    const std::size_t to = std::min(n - 1, i + r);
    double sum = 0.0;
    for (std::size_t j = from; j <= to; ++j) sum += p.bins[j].volume;
    p.smoothed[i] = sum / static_cast<double>(to - from + 1);
  }
}

void find_nodes(VolumeProfile& p, const VolumeProfileConfig& config) {
  const std::vector<double>& s = p.smoothed;
  const std::size_t n = s.size();
  double sum = 0.0;
  for (const double v : s) sum += v;
  const double mean = sum / static_cast<double>(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j + 1 < n && near_equal(s[j + 1], s[i])) ++j;
    if (i > 0 && j + 1 < n) {
      const double v = s[i];
      const std::size_t middle = i + (j - i) / 2;
      const VolumeNode node{middle, p.bins[middle].mid(), s[middle]};
      if (s[i - 1] < v && s[j + 1] < v && v >= config.high_volume_node_ratio * mean) {
        p.high_volume_nodes.push_back(node);
      } else if (s[i - 1] > v && s[j + 1] > v && v <= config.low_volume_node_ratio * mean) {
        p.low_volume_nodes.push_back(node);
      }
    }
    i = j + 1;
  }
}

}  // namespace

core::Status validate(const VolumeProfileConfig& config) {
  if (!config.bin_size.is_positive()) {
    return invalid(fmt::format("bin_size must be > 0, got {}", config.bin_size.to_string()), "bin_size");
  }
  if (!(config.value_area_fraction > 0.0 && config.value_area_fraction <= 1.0)) {
    return invalid(fmt::format("value_area_fraction must be in (0, 1], got {}", config.value_area_fraction),
                   "value_area_fraction");
  }
  if (config.smoothing_radius < 0 || config.smoothing_radius > kMaxSmoothingRadius) {
    return invalid(
        fmt::format("smoothing_radius must be in [0, {}], got {}", kMaxSmoothingRadius, config.smoothing_radius),
        "smoothing_radius");
  }
  if (!std::isfinite(config.high_volume_node_ratio) || config.high_volume_node_ratio < 0.0) {
    return invalid(fmt::format("high_volume_node_ratio must be finite and >= 0, got {}", config.high_volume_node_ratio),
                   "high_volume_node_ratio");
  }
  if (!std::isfinite(config.low_volume_node_ratio) || config.low_volume_node_ratio < 0.0) {
    return invalid(fmt::format("low_volume_node_ratio must be finite and >= 0, got {}", config.low_volume_node_ratio),
                   "low_volume_node_ratio");
  }
  if (config.max_bins < 1) return invalid("max_bins must be >= 1", "max_bins");
  return core::ok();
}

core::Result<model::Price> bin_size_from_ticks(const model::Price& tick_size, int ticks) {
  if (!tick_size.is_positive()) {
    return invalid(fmt::format("tick_size must be > 0, got {}", tick_size.to_string()), "tick_size");
  }
  if (ticks < 1) return invalid(fmt::format("ticks per bin must be >= 1, got {}", ticks), "ticks");
  auto size = tick_size.value().checked_mul_int(ticks);
  if (!size) return size.error();
  return model::Price(*size);
}

core::Result<VolumeProfile> volume_profile(std::span<const model::Bar> bars, const VolumeProfileConfig& config) {
  BALLAST_TRY(validate(config));
  if (bars.empty()) return invalid("a volume profile needs at least one bar", "bars");
  const core::Decimal& size = config.bin_size.value();
  std::vector<BinRange> ranges;
  ranges.reserve(bars.size());
  VolumeProfile p;
  p.bin_size = config.bin_size.as_double();
  p.bar_count = bars.size();
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (bars[i].high < bars[i].low) {
      return invalid(
          fmt::format("bar {} has high {} below low {}", i, bars[i].high.to_string(), bars[i].low.to_string()),
          fmt::format("bars[{}].high", i));
    }
    auto r = bins_of(bars[i], size, i);
    if (!r) return r.error();
    ranges.push_back(*r);
    p.total_volume += bars[i].volume.as_double();
  }
  if (!(p.total_volume > 0.0)) return invalid("the bars have no volume; a profile needs some", "bars");
  std::int64_t lowest = ranges.front().first;
  std::int64_t highest = ranges.front().last;
  for (const BinRange& r : ranges) {
    lowest = std::min(lowest, r.first);
    highest = std::max(highest, r.last);
  }
  const core::Int128 count = static_cast<core::Int128>(highest) - lowest + 1;
  if (count > static_cast<core::Int128>(config.max_bins)) {
    return invalid(fmt::format("the profile would need more than max_bins = {} bins of {}; use a larger bin size",
                               config.max_bins, config.bin_size.to_string()),
                   "bin_size");
  }
  const auto n = static_cast<std::size_t>(count);
  p.bins.resize(n);
  for (std::size_t b = 0; b < n; ++b) {
    const std::int64_t index = lowest + static_cast<std::int64_t>(b);
    auto lower = edge(size, index);
    if (!lower) return lower.error();
    auto upper = edge(size, index + 1);
    if (!upper) return upper.error();
    p.bins[b].lower = *lower;
    p.bins[b].upper = *upper;
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const BinRange& r = ranges[i];
    const double share = bars[i].volume.as_double() / static_cast<double>(r.last - r.first + 1);
    for (std::int64_t b = r.first; b <= r.last; ++b) p.bins[static_cast<std::size_t>(b - lowest)].volume += share;
  }
  p.poc_bin = point_of_control(p.bins);
  p.poc_price = p.bins[p.poc_bin].mid();
  value_area(p, config.value_area_fraction);
  smooth(p, config.smoothing_radius);
  find_nodes(p, config);
  return p;
}

core::Result<std::vector<LookbackProfile>> volume_profiles(std::span<const model::Bar> bars,
                                                           std::span<const std::size_t> lookbacks,
                                                           const VolumeProfileConfig& config) {
  BALLAST_TRY(validate(config));
  if (lookbacks.empty()) return invalid("give at least one lookback", "lookbacks");
  std::vector<LookbackProfile> out;
  out.reserve(lookbacks.size());
  for (std::size_t i = 0; i < lookbacks.size(); ++i) {
    const std::size_t lookback = lookbacks[i];
    if (lookback == 0 || lookback > bars.size()) {
      return invalid(
          fmt::format("lookbacks[{}] is {}; it must be in [1, {}] (the number of bars)", i, lookback, bars.size()),
          fmt::format("lookbacks[{}]", i));
    }
    auto profile = volume_profile(bars.last(lookback), config);
    if (!profile) return profile.error().with_context(fmt::format("lookback {}", lookback));
    out.push_back(LookbackProfile{lookback, std::move(*profile)});
  }
  return out;
}

}  // namespace ballast::analytics
