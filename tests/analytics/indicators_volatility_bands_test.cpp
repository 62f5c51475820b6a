// Volatility and band indicators against hand-worked values (arithmetic in the comments) and
// closed forms. Relative tolerance 1e-12 unless stated.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ballast/analytics/indicators/moving_averages.hpp"
#include "ballast/analytics/indicators/volatility_bands.hpp"

namespace ballast::analytics {
namespace {

constexpr double kRel = 1e-12;
const double kNaN = std::nan("");
constexpr double kInf = std::numeric_limits<double>::infinity();

void expect_series(const std::vector<double>& got, const std::vector<double>& want, double rel = kRel) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "index " << i << " should be NaN, got " << got[i];
    } else {
      EXPECT_NEAR(got[i], want[i], rel * std::max(1.0, std::abs(want[i]))) << "index " << i;
    }
  }
}

// Six bars with an outside bar and a gap, for ATR, NATR, Keltner and Donchian. True ranges from
// bar 1, TR = max(H−L, |H−C_prev|, |L−C_prev|):
//   1: max(1.5, |11−9.5|, |9.5−9.5|) = 1.5     2: max(0.8, |10.8−10.5|, |10−10.5|) = 0.8
//   3: max(1.8, |12−10.2|, |10.2−10.2|) = 1.8   4: max(1.0, |11.5−11.8|, |10.5−11.8|) = 1.3
//   5: max(1.0, |13−11|, |12−11|) = 2 (gap up)
struct Bars {
  std::vector<double> high{10, 11, 10.8, 12, 11.5, 13};
  std::vector<double> low{9, 9.5, 10, 10.2, 10.5, 12};
  std::vector<double> close{9.5, 10.5, 10.2, 11.8, 11, 12.5};
};

TEST(RollingStdDev, IsThePopulationStandardDeviation) {
  // Period 3 over [1, 2, 3, 4, 8]: i2 mean 2, Σd² = 1+0+1 → σ = √(2/3); i3 the same;
  // i4 mean 5, Σd² = 4+1+9 = 14 → σ = √(14/3). Population: divide by p, as TA-Lib STDDEV.
  expect_series(*rolling_stddev(std::vector<double>{1, 2, 3, 4, 8}, 3),
                {kNaN, kNaN, std::sqrt(2.0 / 3), std::sqrt(2.0 / 3), std::sqrt(14.0 / 3)});
}

TEST(RollingStdDev, OfAConstantSeriesIsZero) {
  // Zero up to the rounding of the window mean (an ulp or two of the level); the E[x²] − E[x]²
  // formula would leave about √ε·level ≈ 1e-5 here.
  const double level = 1234.5678;
  const auto y = *rolling_stddev(std::vector<double>(3000, level), 20);
  for (std::size_t i = 19; i < y.size(); ++i) EXPECT_LE(y[i], 1e-14 * level) << i;
}

TEST(RollingStdDev, OfALinearSeriesIsTheClosedForm) {
  // For x_t = a + b·t the population σ of p consecutive values is |b|·√((p² − 1)/12).
  std::vector<double> x(5000);
  for (std::size_t t = 0; t < x.size(); ++t) x[t] = 1e4 + 0.01 * static_cast<double>(t);
  const auto y = *rolling_stddev(x, 30);
  const double want = 0.01 * std::sqrt((30.0 * 30.0 - 1.0) / 12.0);
  for (std::size_t t = 29; t < x.size(); ++t) EXPECT_NEAR(y[t], want, 1e-11 * want) << t;
}

TEST(Bollinger, BandsAreTheSmaPlusMinusMultiplesOfSigma) {
  // Period 3, 2σ up, 1σ down over [1, 2, 3, 4, 8]: σ as in the rolling stddev case.
  const auto b = *bollinger(std::vector<double>{1, 2, 3, 4, 8}, {3, 2.0, 1.0});
  const double s1 = std::sqrt(2.0 / 3), s2 = std::sqrt(14.0 / 3);
  expect_series(b.middle, {kNaN, kNaN, 2, 3, 5});
  expect_series(b.upper, {kNaN, kNaN, 2 + 2 * s1, 3 + 2 * s1, 5 + 2 * s2});
  expect_series(b.lower, {kNaN, kNaN, 2 - s1, 3 - s1, 5 - s2});
}

TEST(Bollinger, WidthOfAConstantSeriesIsZero) {
  const auto b = *bollinger(std::vector<double>(2500, 99.99));
  for (std::size_t i = 19; i < 2500; ++i) {
    EXPECT_LE(b.upper[i] - b.lower[i], 1e-14 * 99.99) << i;
    EXPECT_NEAR(b.middle[i], 99.99, 1e-12 * 99.99) << i;
  }
}

TEST(Bollinger, RejectsNegativeOrNonFiniteMultipliers) {
  const std::vector<double> x(30, 1.0);
  EXPECT_FALSE(bollinger(x, {20, -1.0, 2.0}));
  const auto r = bollinger(x, {20, 2.0, std::nan("")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "lower_multiplier");
  EXPECT_FALSE(BollingerCalculator::create({0, 2.0, 2.0}));
}

TEST(Atr, IsSeededWithTheMeanTrueRangeThenWilderSmoothed) {
  // ATR(3): seed i3 (1.5 + 0.8 + 1.8)/3 = 41/30; i4 (2·41/30 + 1.3)/3 = 121/90;
  // i5 (2·121/90 + 2)/3 = 211/135. Lookback 3.
  const Bars b;
  expect_series(*atr(b.high, b.low, b.close, 3), {kNaN, kNaN, kNaN, 41.0 / 30, 121.0 / 90, 211.0 / 135});
}

TEST(Atr, OfPeriodOneIsTheTrueRange) {
  const Bars b;
  expect_series(*atr(b.high, b.low, b.close, 1), {kNaN, 1.5, 0.8, 1.8, 1.3, 2.0});
}

TEST(Atr, OfBarsWithAConstantRangeAndNoGapsIsThatRange) {
  std::vector<double> high(200), low(200), close(200);
  for (std::size_t i = 0; i < 200; ++i) {
    close[i] = 100.0 + 0.1 * static_cast<double>(i % 5);
    high[i] = 101.0;
    low[i] = 99.0;
  }
  const auto y = *atr(high, low, close, 14);
  for (std::size_t i = 14; i < 200; ++i) EXPECT_NEAR(y[i], 2.0, 1e-12) << i;
}

TEST(Natr, IsTheAtrAsAPercentOfTheClose) {
  const Bars b;
  expect_series(*natr(b.high, b.low, b.close, 3), {kNaN, kNaN, kNaN, 100.0 * (41.0 / 30) / 11.8,
                                                   100.0 * (121.0 / 90) / 11, 100.0 * (211.0 / 135) / 12.5});
}

TEST(Natr, RejectsAZeroCloseWhereItDividesAndNamesTheIndex) {
  Bars b;
  b.close[4] = 0.0;
  b.low[4] = 0.0;
  const auto r = natr(b.high, b.low, b.close, 3);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("close[4] is 0"), std::string::npos) << r.error().to_string();
  // The same zero inside the lookback is harmless.
  Bars early;
  early.close[1] = 0.0;
  early.low[1] = 0.0;
  EXPECT_TRUE(natr(early.high, early.low, early.close, 3));
}

TEST(NatrCalculator, ThrowsOnAZeroCloseOnceDefinedAndKeepsItsState) {
  const Bars b;
  auto calc = *NatrCalculator::create(3);
  for (std::size_t i = 0; i < 4; ++i) calc.update(b.high[i], b.low[i], b.close[i]);
  const double before = calc.value();
  EXPECT_THROW(calc.update(1.0, 0.0, 0.0), core::InvariantError);
  EXPECT_EQ(calc.value(), before);
  EXPECT_NEAR(calc.update(b.high[4], b.low[4], b.close[4]), 100.0 * (121.0 / 90) / 11, 1e-12);
}

TEST(Donchian, SpansTheHighestHighAndLowestLowIncludingTheCurrentBar) {
  // Period 3: i2 max(10, 11, 10.8) = 11, min(9, 9.5, 10) = 9; i3 12 / 9.5; i4 12 / 10; i5 13 / 10.2.
  const Bars b;
  const auto d = *donchian(b.high, b.low, 3);
  expect_series(d.upper, {kNaN, kNaN, 11, 12, 12, 13});
  expect_series(d.lower, {kNaN, kNaN, 9, 9.5, 10, 10.2});
  expect_series(d.middle, {kNaN, kNaN, 10, 10.75, 11, 11.6});
}

TEST(Donchian, OfPeriodOneIsTheBarItself) {
  const Bars b;
  const auto d = *donchian(b.high, b.low, 1);
  expect_series(d.upper, b.high);
  expect_series(d.lower, b.low);
}

TEST(Keltner, IsTheEmaPlusMinusMultiplesOfTheAtr) {
  // EMA(2) of the closes, k = 2/3: seed i1 (9.5 + 10.5)/2 = 10; i2 10/3 + 10.2·2/3 = 152/15;
  // i3 (152/15)/3 + 11.8·2/3 = 506/45; i4 (506/45)/3 + 11·2/3 = 1496/135; i5 1496/405 + 25/3 = 4871/405.
  // ATR(3) as above. Lookback max(2−1, 3) = 3; multiplier 2.
  const Bars b;
  const auto k = *keltner(b.high, b.low, b.close, {2, 3, 2.0});
  const double m3 = 506.0 / 45, m4 = 1496.0 / 135, m5 = 4871.0 / 405;
  const double a3 = 41.0 / 30, a4 = 121.0 / 90, a5 = 211.0 / 135;
  expect_series(k.middle, {kNaN, kNaN, kNaN, m3, m4, m5});
  expect_series(k.upper, {kNaN, kNaN, kNaN, m3 + 2 * a3, m4 + 2 * a4, m5 + 2 * a5});
  expect_series(k.lower, {kNaN, kNaN, kNaN, m3 - 2 * a3, m4 - 2 * a4, m5 - 2 * a5});
}

TEST(VolatilityBands, ReportLookbacks) {
  EXPECT_EQ(RollingStdDevCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(BollingerCalculator::create()->lookback(), 19);
  EXPECT_EQ(AtrCalculator::create(14)->lookback(), 14);
  EXPECT_EQ(NatrCalculator::create(14)->lookback(), 14);
  EXPECT_EQ(DonchianCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(keltner_lookback({}), 19);
  EXPECT_EQ(keltner_lookback({5, 10, 1.5}), 10);
}

TEST(Bollinger, RejectsNonFiniteInputsAnywhereAndNamesTheIndex) {
  // Validation is fused with the rolling sums (checked at every 1024-point rebuild): probe the first
  // window, a rebuild boundary, the middle of a block and the last value.
  for (std::size_t bad : {std::size_t{0}, std::size_t{1042}, std::size_t{1043}, std::size_t{1600}, std::size_t{2999}}) {
    for (double value : {std::nan(""), kInf}) {
      std::vector<double> x(3000, 50.0);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += static_cast<double>(i % 11);
      x[bad] = value;
      const auto b = bollinger(x);
      ASSERT_FALSE(b) << bad;
      EXPECT_NE(b.error().message().find("values[" + std::to_string(bad) + "]"), std::string::npos)
          << b.error().to_string();
      const auto s = sma(x, 20);
      ASSERT_FALSE(s) << bad;
    }
  }
}

TEST(Atr, RejectsNanInTheLowAndNamesItsIndex) {
  Bars b;
  b.low[3] = std::nan("");
  const auto r = atr(b.high, b.low, b.close, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("low[3]"), std::string::npos) << r.error().to_string();
}

}  // namespace
}  // namespace ballast::analytics
