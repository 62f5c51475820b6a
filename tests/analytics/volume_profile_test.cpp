#include "ballast/analytics/volume_profile.hpp"

#include "ballast/core/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::analytics {
namespace {

model::Price px(const std::string& s) {
  return *model::Price::parse(s);
}

model::Bar bar(const std::string& low, const std::string& high, std::int64_t volume) {
  model::Bar b;
  b.low = px(low);
  b.high = px(high);
  b.open = b.low;
  b.close = b.high;
  b.volume = model::Quantity::from_int(volume);
  return b;
}

// One bar per (price, volume): each lands wholly in the bin of its price, so a profile can be written
// down bin by bin.
std::vector<model::Bar> point_bars(int first_price, const std::vector<std::int64_t>& volumes) {
  std::vector<model::Bar> bars;
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    const std::string p = std::to_string(first_price + static_cast<int>(i));
    bars.push_back(bar(p, p, volumes[i]));
  }
  return bars;
}

VolumeProfileConfig unit_bins() {
  VolumeProfileConfig c;
  c.bin_size = px("1");
  return c;
}

std::vector<double> volumes_of(const VolumeProfile& p) {
  std::vector<double> v;
  for (const VolumeBin& b : p.bins) v.push_back(b.volume);
  return v;
}

TEST(VolumeProfile, MatchesAHandComputedThreeBarProfile) {
  // By hand, bins of 1 anchored at integers:
  //   [100, 103] × 300 covers bins 100, 101, 102            → 100 each
  //   [101, 101.5] × 50 covers bin 101                      → 50
  //   [102.5, 105] × 90 covers bins 102, 103, 104 (105 is an edge) → 30 each
  // Profile 100:100, 101:150, 102:130, 103:30, 104:30; total 440. POC 101 (mid 101.5).
  // Value area, target 0.7·440 = 308: start 150; above (102, 103) = 160 vs below (100) = 100 → take
  // above: 310 ≥ 308, stop. VA = [101, 104).
  // Smoothed (radius 1, truncated): 125, 380/3, 310/3, 190/3, 30; mean 269/3. The only local maximum is
  // bin 101 (380/3 ≥ mean): one high-volume node; no local minimum.
  const std::vector<model::Bar> bars{bar("100", "103", 300), bar("101", "101.5", 50), bar("102.5", "105", 90)};
  auto p = volume_profile(bars, unit_bins());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->bar_count, 3u);
  EXPECT_EQ(p->bin_size, 1.0);
  EXPECT_EQ(p->total_volume, 440.0);
  ASSERT_EQ(p->bins.size(), 5u);
  EXPECT_EQ(p->bins.front().lower, 100.0);
  EXPECT_EQ(p->bins.back().upper, 105.0);
  const std::vector<double> expected{100, 150, 130, 30, 30};
  const std::vector<double> actual = volumes_of(*p);
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-12) << "bin " << i;
  EXPECT_EQ(p->poc_bin, 1u);
  EXPECT_EQ(p->poc_price, 101.5);
  EXPECT_EQ(p->value_area_low_bin, 1u);
  EXPECT_EQ(p->value_area_high_bin, 3u);
  EXPECT_EQ(p->value_area_low, 101.0);
  EXPECT_EQ(p->value_area_high, 104.0);
  EXPECT_NEAR(p->value_area_volume, 310.0, 1e-12);
  const std::vector<double> smoothed{125.0, 380.0 / 3.0, 310.0 / 3.0, 190.0 / 3.0, 30.0};
  for (std::size_t i = 0; i < smoothed.size(); ++i) EXPECT_NEAR(p->smoothed[i], smoothed[i], 1e-12);
  ASSERT_EQ(p->high_volume_nodes.size(), 1u);
  EXPECT_EQ(p->high_volume_nodes[0].bin, 1u);
  EXPECT_EQ(p->high_volume_nodes[0].price, 101.5);
  EXPECT_TRUE(p->low_volume_nodes.empty());
}

TEST(VolumeProfile, ValueAreaFollowsTheDualPriceRuleOnTheCbotTable) {
  // The CBOT's published 70% example (prices 101..110, volumes 10, 15, 20, 60, 70, 150, 90, 80, 50, 10;
  // total 555). By hand with the two-price rule: POC 106; target 388.5; above (107, 108) = 170 vs below
  // (105, 104) = 130 → 320; above (109, 110) = 60 vs below (105, 104) = 130 → 450, stop. VA = 104..108,
  // i.e. [104, 109). (The CBOT's one-price walk gives 105..108.)
  auto p = volume_profile(point_bars(101, {10, 15, 20, 60, 70, 150, 90, 80, 50, 10}), unit_bins());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->total_volume, 555.0);
  EXPECT_EQ(p->poc_price, 106.5);
  EXPECT_EQ(p->value_area_low, 104.0);
  EXPECT_EQ(p->value_area_high, 109.0);
  EXPECT_EQ(p->value_area_volume, 450.0);
}

TEST(VolumeProfile, ValueAreaTieAddsThePairAboveAndAnEdgeOffersASingleBin) {
  // Bins 10..16 with 10, 20, 40, 50, 40, 20, 10 (total 190, target 133). POC 13 (50). Above (14, 15)
  // = 60 ties below (12, 11) = 60 → above: 110. Above is now just bin 16 (10) vs below (12, 11) = 60 →
  // below: 170, stop. VA = bins 11..15 (indices 1..5); bin 16 stays out.
  auto p = volume_profile(point_bars(10, {10, 20, 40, 50, 40, 20, 10}), unit_bins());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->poc_bin, 3u);
  EXPECT_EQ(p->value_area_low_bin, 1u);
  EXPECT_EQ(p->value_area_high_bin, 5u);
  EXPECT_EQ(p->value_area_volume, 170.0);
}

TEST(VolumeProfile, ValueAreaKeepsGrowingOnTheOnlySideLeft) {
  // POC at the lowest bin: every step takes the next two bins above. 100 of 150 after one step (67%),
  // 130 after the second (87%) ≥ 105.
  auto p = volume_profile(point_bars(1, {60, 30, 10, 20, 10, 20}), unit_bins());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->poc_bin, 0u);
  EXPECT_EQ(p->value_area_low_bin, 0u);
  EXPECT_EQ(p->value_area_high_bin, 4u);
  EXPECT_EQ(p->value_area_volume, 130.0);
}

TEST(VolumeProfile, PocTieGoesToTheBinNearestTheCentreThenTheLowerOne) {
  // Bins 0..4 (centre 2): 50 at bins 0 and 2 → bin 2.
  auto centre = volume_profile(point_bars(0, {50, 10, 50, 10, 10}), unit_bins());
  ASSERT_TRUE(centre);
  EXPECT_EQ(centre->poc_bin, 2u);
  // Bins 0..3 (centre 1.5): 50 at bins 0 and 3, both 1.5 away → the lower, bin 0.
  auto lower = volume_profile(point_bars(0, {50, 10, 10, 50}), unit_bins());
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->poc_bin, 0u);
  // Bins 1 and 2 equally near (0.5) → bin 1.
  auto inner = volume_profile(point_bars(0, {10, 50, 50, 10}), unit_bins());
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->poc_bin, 1u);
}

TEST(VolumeProfile, FindsHighAndLowVolumeNodesOnTheSmoothedProfile) {
  // Unsmoothed (radius 0): 10, 50, 10, 10, 60, 10, 5; mean 155/7 ≈ 22.1. Local maxima: bin 1 (50) and
  // bin 4 (60); the run of bins 2–3 (10, 10) is a local minimum with node at its lower middle, bin 2,
  // and 10 ≤ 0.5·22.1. Bin 5 (10 between 60 and 5) is neither; bin 6 is an edge.
  VolumeProfileConfig config = unit_bins();
  config.smoothing_radius = 0;
  auto p = volume_profile(point_bars(0, {10, 50, 10, 10, 60, 10, 5}), config);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->high_volume_nodes.size(), 2u);
  EXPECT_EQ(p->high_volume_nodes[0].bin, 1u);
  EXPECT_EQ(p->high_volume_nodes[1].bin, 4u);
  EXPECT_EQ(p->high_volume_nodes[1].smoothed_volume, 60.0);
  ASSERT_EQ(p->low_volume_nodes.size(), 1u);
  EXPECT_EQ(p->low_volume_nodes[0].bin, 2u);
  EXPECT_EQ(p->low_volume_nodes[0].price, 2.5);

  // A higher HVN bar (2.5 × mean ≈ 55.4) keeps only the 60 peak; a lower LVN bar (0.4 × mean ≈ 8.9)
  // drops the minimum.
  config.high_volume_node_ratio = 2.5;
  config.low_volume_node_ratio = 0.4;
  auto strict = volume_profile(point_bars(0, {10, 50, 10, 10, 60, 10, 5}), config);
  ASSERT_TRUE(strict);
  ASSERT_EQ(strict->high_volume_nodes.size(), 1u);
  EXPECT_EQ(strict->high_volume_nodes[0].bin, 4u);
  EXPECT_TRUE(strict->low_volume_nodes.empty());
}

TEST(VolumeProfile, BinsAreExactOnDecimalPrices) {
  // 100.3 / 0.1 is 1002.9999999999999 in binary floating point; the fixed-point binning puts the bar in
  // the bin [100.3, 100.4), and the high 100.5 (an edge) stops it at bin [100.4, 100.5).
  VolumeProfileConfig config;
  config.bin_size = px("0.1");
  auto p = volume_profile(std::vector<model::Bar>{bar("100.3", "100.5", 10)}, config);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->bins.size(), 2u);
  EXPECT_EQ(p->bins[0].lower, 100.3);
  EXPECT_EQ(p->bins[1].upper, 100.5);
  EXPECT_EQ(p->bins[0].volume, 5.0);
  EXPECT_EQ(p->bins[1].volume, 5.0);
}

TEST(VolumeProfile, BinSizeFromTicksIsExact) {
  auto size = bin_size_from_ticks(px("0.01"), 5);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, px("0.05"));
  EXPECT_FALSE(bin_size_from_ticks(px("0"), 5));
  EXPECT_FALSE(bin_size_from_ticks(px("0.01"), 0));
}

TEST(VolumeProfile, ASingleBarAndAConstantSeriesMakeOneBinProfiles) {
  auto single = volume_profile(std::vector<model::Bar>{bar("50", "50", 7)}, unit_bins());
  ASSERT_TRUE(single);
  ASSERT_EQ(single->bins.size(), 1u);
  EXPECT_EQ(single->poc_bin, 0u);
  EXPECT_EQ(single->value_area_low, 50.0);
  EXPECT_EQ(single->value_area_high, 51.0);
  EXPECT_EQ(single->value_area_volume, 7.0);
  EXPECT_TRUE(single->high_volume_nodes.empty());

  const std::vector<model::Bar> flat(5, bar("20.5", "20.5", 3));
  auto constant = volume_profile(flat, unit_bins());
  ASSERT_TRUE(constant);
  ASSERT_EQ(constant->bins.size(), 1u);
  EXPECT_EQ(constant->bins[0].volume, 15.0);
  EXPECT_EQ(constant->poc_price, 20.5);
}

TEST(VolumeProfile, RejectsBadConfigAndBadBars) {
  const std::vector<model::Bar> bars{bar("100", "103", 300)};
  VolumeProfileConfig config = unit_bins();
  config.value_area_fraction = 0.0;
  EXPECT_FALSE(volume_profile(bars, config));
  config = unit_bins();
  config.smoothing_radius = -1;
  EXPECT_FALSE(volume_profile(bars, config));
  EXPECT_FALSE(volume_profile(bars, VolumeProfileConfig{}));  // no bin size
  EXPECT_FALSE(volume_profile(std::vector<model::Bar>{}, unit_bins()));

  std::vector<model::Bar> inverted{bar("100", "103", 1), bar("100", "103", 1)};
  inverted[1].high = px("99");
  auto bad = volume_profile(inverted, unit_bins());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("bar 1"), std::string::npos);

  auto silent = volume_profile(std::vector<model::Bar>{bar("100", "103", 0)}, unit_bins());
  ASSERT_FALSE(silent);
  EXPECT_NE(silent.error().message().find("no volume"), std::string::npos);

  config = unit_bins();
  config.max_bins = 2;
  auto wide = volume_profile(bars, config);
  ASSERT_FALSE(wide);
  EXPECT_NE(wide.error().message().find("max_bins"), std::string::npos);
}

TEST(VolumeProfiles, BuildOneProfilePerLookbackOverTheMostRecentBars) {
  const std::vector<model::Bar> bars{bar("100", "103", 300), bar("101", "101.5", 50), bar("102.5", "105", 90)};
  const std::vector<std::size_t> lookbacks{1, 3};
  auto profiles = volume_profiles(bars, lookbacks, unit_bins());
  ASSERT_TRUE(profiles);
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_EQ((*profiles)[0].lookback, 1u);
  EXPECT_EQ((*profiles)[0].profile.total_volume, 90.0);
  EXPECT_EQ((*profiles)[0].profile.bins.size(), 3u);
  EXPECT_EQ((*profiles)[1].profile.total_volume, 440.0);

  const std::vector<std::size_t> too_long{4};
  auto bad = volume_profiles(bars, too_long, unit_bins());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("lookbacks[0]"), std::string::npos);
  const std::vector<std::size_t> zero{2, 0};
  EXPECT_FALSE(volume_profiles(bars, zero, unit_bins()));
}

}  // namespace
}  // namespace ballast::analytics
