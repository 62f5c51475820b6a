#include "ballast/analytics/support_resistance.hpp"

#include "ballast/model/market_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace ballast::analytics {
namespace {

// Fifteen hand-drawn bars. With k = 2 the pivots are, by inspection of each 5-bar neighbourhood:
//   swing highs at bars 2 (13) and 8 (13.05); swing lows at bars 5 (8) and 11 (8.02).
// Bar 3's high (11) ties bar 1's and bar 12's ties bar 10's, so neither is a pivot (strict rule); bars
// 13 and 14 are too recent to be confirmed.
const std::vector<double> kHigh{10, 11, 13, 11, 10, 9, 10, 12, 13.05, 12, 11, 10, 11, 12, 11};
const std::vector<double> kLow{9, 10, 12, 10, 9, 8, 9, 11, 12, 11, 10, 8.02, 10, 11, 10};
const std::vector<double> kClose{9.5, 10.5, 12.5, 10.5, 9.5, 8.5, 9.5, 11.5, 12.5, 11.5, 10.5, 9, 10.5, 11.5, 10.5};

SupportResistanceConfig absolute(double tolerance) {
  SupportResistanceConfig c;
  c.tolerance_mode = LevelToleranceMode::Absolute;
  c.tolerance = tolerance;
  return c;
}

TEST(SupportResistanceEnums, RoundTripThroughTheirStableCodes) {
  for (const auto k : {PivotKind::SwingHigh, PivotKind::SwingLow}) EXPECT_EQ(*parse<PivotKind>(to_string(k)), k);
  for (const auto k : {LevelKind::Support, LevelKind::Resistance}) EXPECT_EQ(*parse<LevelKind>(to_string(k)), k);
  for (const auto m : {LevelToleranceMode::Absolute, LevelToleranceMode::Percent, LevelToleranceMode::AtrMultiple}) {
    EXPECT_EQ(*parse<LevelToleranceMode>(to_string(m)), m);
  }
  EXPECT_EQ(to_string(LevelToleranceMode::AtrMultiple), "ATR_MULTIPLE");
  EXPECT_FALSE(parse<LevelKind>("support"));
}

TEST(FindPivots, FindsTheHandMarkedSwingHighsAndLows) {
  auto pivots = find_pivots(kHigh, kLow, 2);
  ASSERT_TRUE(pivots);
  const std::vector<Pivot> expected{{2, PivotKind::SwingHigh, 13.0},
                                    {5, PivotKind::SwingLow, 8.0},
                                    {8, PivotKind::SwingHigh, 13.05},
                                    {11, PivotKind::SwingLow, 8.02}};
  EXPECT_EQ(*pivots, expected);
}

TEST(FindPivots, AnOutsideBarIsBothASwingHighAndASwingLow) {
  const std::vector<double> high{5, 6, 9, 6, 5};
  const std::vector<double> low{4, 3, 1, 3, 4};
  auto pivots = find_pivots(high, low, 2);
  ASSERT_TRUE(pivots);
  const std::vector<Pivot> expected{{2, PivotKind::SwingHigh, 9.0}, {2, PivotKind::SwingLow, 1.0}};
  EXPECT_EQ(*pivots, expected);
}

TEST(FindPivots, ShortFlatAndSingleBarSeriesHaveNone) {
  EXPECT_TRUE(find_pivots(std::vector<double>{5.0}, std::vector<double>{4.0}, 1)->empty());
  EXPECT_TRUE(find_pivots(std::vector<double>{1, 3, 2, 1}, std::vector<double>{0, 2, 1, 0}, 2)->empty());
  const std::vector<double> flat(10, 7.0);
  EXPECT_TRUE(find_pivots(flat, flat, 1)->empty());
}

TEST(FindPivots, RejectsABadSpanAndBadBarsNamingTheIndex) {
  EXPECT_FALSE(find_pivots(kHigh, kLow, 0));
  std::vector<double> low = kLow;
  low[6] = 10.5;  // above that bar's high of 10
  auto inverted = find_pivots(kHigh, low, 2);
  ASSERT_FALSE(inverted);
  EXPECT_NE(inverted.error().message().find("bar 6"), std::string::npos);
  std::vector<double> high = kHigh;
  high[4] = std::numeric_limits<double>::quiet_NaN();
  auto nan = find_pivots(high, kLow, 2);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("high[4]"), std::string::npos);
}

TEST(SupportResistance, ClustersNearbyPivotsIntoRankedLevels) {
  // Tolerance 0.1: the lows 8 and 8.02 form one level, the highs 13 and 13.05 another.
  auto sr = support_resistance(kHigh, kLow, kClose, absolute(0.1));
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->reference_price, 10.5);
  EXPECT_EQ(sr->tolerance, 0.1);
  EXPECT_EQ(sr->pivots.size(), 4u);
  ASSERT_EQ(sr->levels.size(), 2u);

  // Strength = touches + (last touch + 1)/(15 + 1): support 2 + 12/16, resistance 2 + 9/16.
  const PriceLevel& support = sr->levels[0];
  EXPECT_EQ(support.kind, LevelKind::Support);
  EXPECT_NEAR(support.price, 8.01, 1e-12);
  EXPECT_EQ(support.lower, 8.0);
  EXPECT_EQ(support.upper, 8.02);
  EXPECT_EQ(support.touches, 2u);
  EXPECT_EQ(support.swing_low_touches, 2u);
  EXPECT_EQ(support.swing_high_touches, 0u);
  EXPECT_EQ(support.first_touch_index, 5u);
  EXPECT_EQ(support.last_touch_index, 11u);
  EXPECT_DOUBLE_EQ(support.strength, 2.75);
  EXPECT_NEAR(support.distance_pct, 100.0 * (8.01 - 10.5) / 10.5, 1e-10);

  const PriceLevel& resistance = sr->levels[1];
  EXPECT_EQ(resistance.kind, LevelKind::Resistance);
  EXPECT_NEAR(resistance.price, 13.025, 1e-12);
  EXPECT_EQ(resistance.touches, 2u);
  EXPECT_EQ(resistance.swing_high_touches, 2u);
  EXPECT_EQ(resistance.first_touch_index, 2u);
  EXPECT_EQ(resistance.last_touch_index, 8u);
  EXPECT_DOUBLE_EQ(resistance.strength, 2.5625);

  ASSERT_TRUE(sr->nearest_support());
  EXPECT_NEAR(sr->nearest_support()->price, 8.01, 1e-12);
  ASSERT_TRUE(sr->nearest_resistance());
  EXPECT_NEAR(sr->nearest_resistance()->price, 13.025, 1e-12);
}

TEST(SupportResistance, ATightToleranceKeepsEveryPivotApartAndRanksByRecency) {
  auto sr = support_resistance(kHigh, kLow, kClose, absolute(0.01));
  ASSERT_TRUE(sr);
  ASSERT_EQ(sr->levels.size(), 4u);
  // One touch each: ranked by last touch, most recent first.
  EXPECT_EQ(sr->levels[0].price, 8.02);
  EXPECT_EQ(sr->levels[1].price, 13.05);
  EXPECT_EQ(sr->levels[2].price, 8.0);
  EXPECT_EQ(sr->levels[3].price, 13.0);
  // The nearest support is the highest one below 10.5, not the strongest.
  EXPECT_EQ(sr->nearest_support()->price, 8.02);
  EXPECT_EQ(sr->nearest_resistance()->price, 13.0);

  SupportResistanceConfig config = absolute(0.01);
  config.min_touches = 2;
  EXPECT_TRUE(support_resistance(kHigh, kLow, kClose, config)->levels.empty());
}

TEST(SupportResistance, PercentToleranceIsAShareOfTheLastClose) {
  SupportResistanceConfig config;
  config.tolerance_mode = LevelToleranceMode::Percent;
  config.tolerance = 1.0;  // 1% of 10.5 = 0.105
  auto sr = support_resistance(kHigh, kLow, kClose, config);
  ASSERT_TRUE(sr);
  EXPECT_NEAR(sr->tolerance, 0.105, 1e-15);
  EXPECT_EQ(sr->levels.size(), 2u);
}

TEST(SupportResistance, PercentAndAtrTolerancesAreAShareOfEachLevelsPrice) {
  // Swing lows at 1, 3 and 5, swing highs at 100, 104 and 110 (every other bar is higher or lower within
  // two bars), last close 100. 5 % of the last close is 5 price units.
  const std::vector<double> v = {50, 20, 1, 20, 50, 100, 50, 20, 3, 20, 50, 104, 50, 20, 5, 20, 50, 110, 50, 20, 100};
  SupportResistanceConfig config;
  config.tolerance_mode = LevelToleranceMode::Percent;
  config.tolerance = 5.0;
  auto sr = support_resistance(v, v, v, config);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->pivots.size(), 6u);
  EXPECT_NEAR(sr->tolerance, 5.0, 1e-12);
  // As a share: 3 > 1 × 1.05 and 5 > 3 × 1.05 stand apart; 104 <= 100 × 1.05 joins 100; 110 > 105.
  std::vector<std::pair<double, double>> bounds;
  for (const auto& l : sr->levels) bounds.emplace_back(l.lower, l.upper);
  std::sort(bounds.begin(), bounds.end());
  const std::vector<std::pair<double, double>> relative = {{1, 1}, {3, 3}, {5, 5}, {100, 104}, {110, 110}};
  EXPECT_EQ(bounds, relative);
  // ABSOLUTE 5 keeps price units: 1, 3 and 5 are within 5 of 1 and make one level.
  auto flat = support_resistance(v, v, v, absolute(5.0));
  ASSERT_TRUE(flat);
  bounds.clear();
  for (const auto& l : flat->levels) bounds.emplace_back(l.lower, l.upper);
  std::sort(bounds.begin(), bounds.end());
  const std::vector<std::pair<double, double>> units = {{1, 5}, {100, 104}, {110, 110}};
  EXPECT_EQ(bounds, units);
}

TEST(SupportResistance, AtrToleranceUsesTheLatestAtr) {
  // Every bar spans [10, 11] and closes at 10.5: each true range is 1, so ATR(14) = 1 (by hand) and the
  // tolerance is 0.5. The equal highs and lows make no pivot at all.
  const std::vector<double> high(20, 11.0);
  const std::vector<double> low(20, 10.0);
  const std::vector<double> close(20, 10.5);
  auto sr = support_resistance(high, low, close);
  ASSERT_TRUE(sr);
  EXPECT_NEAR(sr->tolerance, 0.5, 1e-12);
  EXPECT_TRUE(sr->pivots.empty());
  EXPECT_TRUE(sr->levels.empty());
  EXPECT_FALSE(sr->nearest_support());

  auto short_series =
      support_resistance(std::span(high).first(14), std::span(low).first(14), std::span(close).first(14));
  ASSERT_FALSE(short_series);
  EXPECT_NE(short_series.error().message().find("at least 15 bars"), std::string::npos);
}

TEST(SupportResistance, HandlesASingleBarAndRejectsBadInput) {
  auto one = support_resistance(std::vector<double>{11.0}, std::vector<double>{10.0}, std::vector<double>{10.5},
                                absolute(0.1));
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->levels.empty());

  EXPECT_FALSE(support_resistance(std::vector<double>{}, std::vector<double>{}, std::vector<double>{}, absolute(0.1)));
  EXPECT_FALSE(support_resistance(kHigh, kLow, kClose, absolute(-0.1)));
  std::vector<double> close = kClose;
  close[9] = std::numeric_limits<double>::infinity();
  auto inf = support_resistance(kHigh, kLow, close, absolute(0.1));
  ASSERT_FALSE(inf);
  EXPECT_NE(inf.error().message().find("close[9]"), std::string::npos);
  close = kClose;
  close.pop_back();
  EXPECT_FALSE(support_resistance(kHigh, kLow, close, absolute(0.1)));
  SupportResistanceConfig bad;
  bad.atr_period = 0;
  EXPECT_FALSE(validate(bad));
}

TEST(SupportResistance, BarsGiveTheSameLevelsAsTheirColumns) {
  std::vector<model::Bar> bars;
  for (std::size_t i = 0; i < kHigh.size(); ++i) {
    model::Bar b;
    b.high = *model::Price::from_double(kHigh[i], 2);
    b.low = *model::Price::from_double(kLow[i], 2);
    b.close = *model::Price::from_double(kClose[i], 2);
    b.open = b.close;
    bars.push_back(b);
  }
  auto sr = support_resistance(bars, absolute(0.1));
  ASSERT_TRUE(sr);
  ASSERT_EQ(sr->levels.size(), 2u);
  EXPECT_NEAR(sr->levels[0].price, 8.01, 1e-12);
}

}  // namespace
}  // namespace ballast::analytics
