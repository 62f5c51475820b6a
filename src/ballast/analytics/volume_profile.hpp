#pragma once
// Volume profile: how much volume traded at each price over a window of bars (docs/analytics/market.md
// §4). Prices and volumes in the outputs are doubles (analytics convention); the binning itself is
// exact, on the bars' fixed-point prices.
//
//  - BINS. Bin b covers the half-open price interval [b·s, (b+1)·s), s = bin_size (a Price, e.g.
//    tick size × n via bin_size_from_ticks), so bins are anchored at multiples of s and the profiles
//    of different windows line up. The profile spans every bin from the lowest bar's to the highest
//    bar's, empty ones included.
//  - DISTRIBUTION. A bar only says that its volume traded somewhere in [low, high]; it is spread
//    UNIFORMLY over the bins its range covers — an equal share per bin, not per unit of price. A bar
//    covers the bins b with floor(low/s) ≤ b ≤ ceil(high/s) − 1 (the bins its interior overlaps, so a
//    high exactly on a bin edge does not reach into the bin above); a bar with high = low covers the
//    one bin containing that price.
//  - POINT OF CONTROL: the bin with the most volume. Volumes equal within a relative 1e-12 are ties;
//    of tied bins the one closest to the centre of the profile wins, then the lower one.
//  - VALUE AREA (CBOT Market Profile, Dalton et al., "Mind Over Markets", appendix 1): start at the
//    POC; repeatedly compare the summed volume of the next TWO bins above the area with the next two
//    below, and add the larger pair; stop as soon as the area holds ≥ value_area_fraction (70%) of the
//    total volume (so it usually holds a little more). Near an edge a "pair" is the one bin left on
//    that side; once one side is exhausted the other side's pairs are added. A tie adds the pair
//    above (Investor/RT "method A").
//  - NODES on the profile smoothed by a centred moving average over 2r + 1 bins (truncated at the
//    edges). A run of equal smoothed bins whose neighbours on both sides are lower is a local maximum,
//    higher on both sides a local minimum (a run touching the first or last bin is neither); the node
//    is the run's middle bin (the lower middle for an even run). HIGH-VOLUME NODE: a local maximum
//    with smoothed volume ≥ high_volume_node_ratio × the mean smoothed bin volume; LOW-VOLUME NODE:
//    a local minimum ≤ low_volume_node_ratio × that mean.

#include "ballast/core/result.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/price.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace ballast::analytics {

struct VolumeProfileConfig {
  model::Price bin_size;                // s > 0
  double value_area_fraction = 0.70;    // in (0, 1]
  int smoothing_radius = 1;             // r, in [0, 1000]; 0 = no smoothing
  double high_volume_node_ratio = 1.0;  // finite, ≥ 0
  double low_volume_node_ratio = 0.5;   // finite, ≥ 0
  std::size_t max_bins = 100'000;       // a profile needing more bins is an error (bin size too small)
};

core::Status validate(const VolumeProfileConfig& config);

// tick_size × ticks, exact. Errors unless tick_size > 0 and ticks ≥ 1.
core::Result<model::Price> bin_size_from_ticks(const model::Price& tick_size, int ticks);

struct VolumeBin {
  double lower = 0.0;  // b·s
  double upper = 0.0;  // (b+1)·s
  double volume = 0.0;
  double mid() const noexcept { return lower + (upper - lower) / 2.0; }
};

struct VolumeNode {
  std::size_t bin = 0;  // index into VolumeProfile::bins
  double price = 0.0;   // mid of the bin
  double smoothed_volume = 0.0;
};

struct VolumeProfile {
  double bin_size = 0.0;
  std::size_t bar_count = 0;
  double total_volume = 0.0;
  std::vector<VolumeBin> bins;   // ascending price, contiguous
  std::vector<double> smoothed;  // smoothed volume per bin
  std::size_t poc_bin = 0;
  double poc_price = 0.0;  // mid of the POC bin
  std::size_t value_area_low_bin = 0;
  std::size_t value_area_high_bin = 0;
  double value_area_low = 0.0;   // lower edge of the lowest value-area bin
  double value_area_high = 0.0;  // upper edge of the highest value-area bin
  double value_area_volume = 0.0;
  std::vector<VolumeNode> high_volume_nodes;  // ascending price
  std::vector<VolumeNode> low_volume_nodes;   // ascending price
};

// Profile of all the bars. Errors on an invalid config, no bars, a bar with high < low (naming its
// index), a total volume of zero, or more than max_bins bins.
core::Result<VolumeProfile> volume_profile(std::span<const model::Bar> bars, const VolumeProfileConfig& config);

struct LookbackProfile {
  std::size_t lookback = 0;  // bars, the most recent ones
  VolumeProfile profile;
};

// One profile per lookback over the LAST `lookback` bars (e.g. {24, 168, 720} hourly bars for a day, a
// week and a month), in the order given. Errors on a lookback of 0 or longer than the series.
core::Result<std::vector<LookbackProfile>> volume_profiles(std::span<const model::Bar> bars,
                                                           std::span<const std::size_t> lookbacks,
                                                           const VolumeProfileConfig& config);

}  // namespace ballast::analytics
