// Oscillators against hand-worked values (arithmetic in the comments) and closed forms.
// Relative tolerance 1e-12 unless stated.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ballast/analytics/indicators/oscillators.hpp"

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

// Six bars used by the stochastic, Williams %R and CCI cases.
struct Bars {
  std::vector<double> high{10, 11, 12, 12, 13, 14};
  std::vector<double> low{8, 9, 9, 10, 11, 12};
  std::vector<double> close{9, 10, 11, 10, 12, 13};
};

TEST(Rsi, FollowsWildersSmoothingSeededWithSimpleAverages) {
  // RSI(3) of [10, 11, 10.5, 11.5, 12, 11]; changes +1, −0.5, +1, +0.5, −1.
  //   seed i3: G = (1+0+1)/3 = 2/3, L = (0+0.5+0)/3 = 1/6 → 100·(2/3)/(5/6) = 80
  //   i4: G = (2/3)·(2/3) + 0.5/3 = 11/18, L = (1/6)·(2/3) = 2/18 → 100·11/13
  //   i5: G = (11/18)·(2/3) = 11/27, L = (2/18)·(2/3) + 1/3 = 11/27 → 50
  expect_series(*rsi(std::vector<double>{10, 11, 10.5, 11.5, 12, 11}, 3), {kNaN, kNaN, kNaN, 80, 1100.0 / 13, 50});
}

TEST(Rsi, OfAStrictlyRisingSeriesIs100) {
  std::vector<double> x(300);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 50.0 + std::sqrt(static_cast<double>(i));
  const auto y = *rsi(x, 14);
  for (std::size_t i = 14; i < x.size(); ++i) EXPECT_EQ(y[i], 100.0) << i;
}

TEST(Rsi, OfAStrictlyFallingSeriesIs0) {
  std::vector<double> x(100);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 500.0 - 3.0 * static_cast<double>(i);
  const auto y = *rsi(x, 14);
  for (std::size_t i = 14; i < x.size(); ++i) EXPECT_EQ(y[i], 0.0) << i;
}

TEST(Rsi, OfAConstantSeriesIsTheNeutral50) {
  // No gains and no losses: 0/0. TA-Lib writes 0 ("oversold"); Ballast writes 50 (documented).
  const auto y = *rsi(std::vector<double>(40, 7.0), 14);
  for (std::size_t i = 14; i < y.size(); ++i) EXPECT_EQ(y[i], 50.0) << i;
}

TEST(Rsi, NeedsPeriodPlusOneValues) {
  EXPECT_FALSE(rsi(std::vector<double>(14, 1.0), 14));
  const auto y = *rsi(std::vector<double>(15, 1.0), 14);
  EXPECT_TRUE(std::isnan(y[13]));
  EXPECT_EQ(y[14], 50.0);
}

TEST(Macd, SeedsTheFastEmaAtTheSlowEmasFirstBarAsTaLibDoes) {
  // MACD(fast 2, slow 3, signal 2) of [1, 2, 4, 7, 11, 16]; k_fast = 2/3, k_slow = 1/2, k_signal = 2/3.
  //   i2: slow seed (1+2+4)/3 = 7/3; fast seed = SMA of x[1..2] = 3 (not the EMA begun at i1);
  //       line 3 − 7/3 = 2/3.
  //   i3: fast 3/3 + 7·2/3 = 17/3; slow (7/3)/2 + 7/2 = 14/3; line 1; signal seed (2/3 + 1)/2 = 5/6;
  //       histogram 1/6.
  //   i4: fast (17/3)/3 + 11·2/3 = 83/9; slow (14/3)/2 + 11/2 = 47/6; line 25/18;
  //       signal (5/6)/3 + (25/18)·2/3 = 65/54; histogram 25/18 − 65/54 = 5/27.
  //   i5: fast (83/9)/3 + 16·2/3 = 371/27; slow (47/6)/2 + 8 = 143/12; line 197/108;
  //       signal (65/54)/3 + (197/108)·2/3 = 131/81; histogram 197/108 − 131/81 = 67/324.
  // Lookback (3−1)+(2−1) = 3 for all three outputs.
  const auto m = *macd(std::vector<double>{1, 2, 4, 7, 11, 16}, {2, 3, 2});
  expect_series(m.macd, {kNaN, kNaN, kNaN, 1, 25.0 / 18, 197.0 / 108});
  expect_series(m.signal, {kNaN, kNaN, kNaN, 5.0 / 6, 65.0 / 54, 131.0 / 81});
  expect_series(m.histogram, {kNaN, kNaN, kNaN, 1.0 / 6, 5.0 / 27, 67.0 / 324});
}

TEST(Rsi, RejectsNonFiniteInputsAndNamesTheIndex) {
  // Batch validation is fused into the kernel; these land in the seed, in the body, and at the end.
  for (std::size_t bad : {std::size_t{0}, std::size_t{3}, std::size_t{2500}, std::size_t{4999}}) {
    for (double value : {std::nan(""), kInf, -kInf}) {
      std::vector<double> x(5000, 10.0);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += static_cast<double>(i % 7);
      x[bad] = value;
      const auto r = rsi(x, 14);
      ASSERT_FALSE(r) << bad << " " << value;
      EXPECT_NE(r.error().message().find("values[" + std::to_string(bad) + "]"), std::string::npos)
          << r.error().to_string();
    }
  }
}

TEST(Macd, RejectsNanAndNamesItsIndex) {
  std::vector<double> x(3000, 5.0);
  x[2047] = std::nan("");
  const auto r = macd(x);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("values[2047]"), std::string::npos) << r.error().to_string();
}

TEST(Macd, OfAConstantSeriesIsZero) {
  const auto m = *macd(std::vector<double>(120, 64.5));
  for (std::size_t i = 33; i < 120; ++i) {
    EXPECT_NEAR(m.macd[i], 0.0, 1e-12);
    EXPECT_NEAR(m.signal[i], 0.0, 1e-12);
    EXPECT_NEAR(m.histogram[i], 0.0, 1e-12);
  }
  EXPECT_TRUE(std::isnan(m.macd[32]));
}

TEST(Macd, DefaultLookbackIs33) {
  EXPECT_EQ(macd_lookback({}), 33);
  EXPECT_EQ(MacdCalculator::create()->lookback(), 33);
}

TEST(Macd, RejectsFastNotShorterThanSlow) {
  for (MacdParams p : {MacdParams{26, 26, 9}, MacdParams{30, 26, 9}}) {
    const auto r = macd(std::vector<double>(100, 1.0), p);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().where(), "fast_period");
    EXPECT_FALSE(MacdCalculator::create(p));
  }
  EXPECT_FALSE(macd(std::vector<double>(100, 1.0), {12, 26, 0}));
}

TEST(Macd, IntoRejectsOutputsThatShareMemory) {
  const std::vector<double> x(60, 1.0);
  std::vector<double> a(60), b(60), c(60);
  EXPECT_FALSE(macd_into(x, {}, a, a, b));
  EXPECT_TRUE(macd_into(x, {}, a, b, c));
}

TEST(Stochastic, SlowSmoothsRawKThenK) {
  // fastk 3, slowk 2, slowd 2. Raw %K = 100·(C − LL3)/(HH3 − LL3):
  //   i2 100·(11−8)/(12−8) = 75; i3 100·(10−9)/(12−9) = 100/3; i4 100·(12−9)/(13−9) = 75;
  //   i5 100·(13−10)/(14−10) = 75.
  // %K = SMA2(raw): i3 (75 + 100/3)/2 = 325/6; i4 325/6; i5 75.  %D = SMA2(%K): i4 325/6;
  // i5 (325/6 + 75)/2 = 775/12. Both start at the lookback 2+1+1 = 4 (TA-Lib alignment).
  const Bars b;
  const auto s = *stochastic(b.high, b.low, b.close, {3, 2, 2});
  expect_series(s.k, {kNaN, kNaN, kNaN, kNaN, 325.0 / 6, 75});
  expect_series(s.d, {kNaN, kNaN, kNaN, kNaN, 325.0 / 6, 775.0 / 12});
}

TEST(Stochastic, FastUsesRawKAndItsSma) {
  // fastk 3, fastd 2: %K = raw %K, %D = SMA2(raw); lookback 2+1 = 3.
  //   i3: K 100/3, D (75 + 100/3)/2 = 325/6;  i4: K 75, D 325/6;  i5: K 75, D 75.
  const Bars b;
  const auto s = *fast_stochastic(b.high, b.low, b.close, {3, 2});
  expect_series(s.k, {kNaN, kNaN, kNaN, 100.0 / 3, 75, 75});
  expect_series(s.d, {kNaN, kNaN, kNaN, 325.0 / 6, 325.0 / 6, 75});
}

TEST(Stochastic, OfAFlatMarketIsTheNeutral50) {
  const std::vector<double> flat(20, 5.0);
  const auto s = *stochastic(flat, flat, flat);
  for (std::size_t i = 8; i < flat.size(); ++i) {
    EXPECT_EQ(s.k[i], 50.0);
    EXPECT_EQ(s.d[i], 50.0);
  }
}

TEST(Stochastic, CloseAtTheHighestHighGives100) {
  std::vector<double> high(30), low(30), close(30);
  for (std::size_t i = 0; i < 30; ++i) {
    high[i] = close[i] = 100.0 + static_cast<double>(i);
    low[i] = high[i] - 2.0;
  }
  const auto s = *stochastic(high, low, close);
  for (std::size_t i = 8; i < 30; ++i) EXPECT_NEAR(s.k[i], 100.0, 1e-12);
}

TEST(Stochastic, RejectsMisalignedSeries) {
  const Bars b;
  const std::vector<double> short_low(5, 1.0);
  const auto r = stochastic(b.high, short_low, b.close);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "low");
}

TEST(WilliamsR, IsMinus100TimesTheDistanceFromTheHighestHigh) {
  // %R(3) = −100·(HH − C)/(HH − LL): i2 −100·(12−11)/(12−8) = −25; i3 −100·(12−10)/(12−9) = −200/3;
  // i4 −100·(13−12)/(13−9) = −25; i5 −100·(14−13)/(14−10) = −25.
  const Bars b;
  expect_series(*williams_r(b.high, b.low, b.close, 3), {kNaN, kNaN, -25, -200.0 / 3, -25, -25});
}

TEST(WilliamsR, OfAFlatMarketIsTheNeutralMinus50) {
  const std::vector<double> flat(10, 3.0);
  const auto y = *williams_r(flat, flat, flat, 4);
  for (std::size_t i = 3; i < 10; ++i) EXPECT_EQ(y[i], -50.0);
}

TEST(Cci, DividesTheDistanceFromTheMeanByLambertsScaledMeanDeviation) {
  // TP = (H+L+C)/3 = 9, 10, 32/3, 32/3, 12, 13. CCI(3):
  //   i2: mean (9 + 10 + 32/3)/3 = 89/9; |dev| 8/9, 1/9, 7/9 → MD 16/27;
  //       (32/3 − 89/9)/(0.015·16/27) = (7/9)·(27/0.24) = 87.5
  //   i3: mean (10 + 32/3 + 32/3)/3 = 94/9; |dev| 4/9, 2/9, 2/9 → MD 8/27; (2/9)·(27/0.12) = 50
  //   i4: mean (32/3 + 32/3 + 12)/3 = 100/9; |dev| 4/9, 4/9, 8/9 → MD 16/27; (8/9)·(27/0.24) = 100
  //   i5: mean (32/3 + 12 + 13)/3 = 107/9; |dev| 11/9, 1/9, 10/9 → MD 22/27; (10/9)·(27/0.33) = 1000/11
  const Bars b;
  expect_series(*cci(b.high, b.low, b.close, 3), {kNaN, kNaN, 87.5, 50, 100, 1000.0 / 11}, 1e-11);
}

TEST(Cci, OfAFlatMarketIsZero) {
  const std::vector<double> flat(25, 12.5);
  const auto y = *cci(flat, flat, flat, 20);
  for (std::size_t i = 19; i < 25; ++i) EXPECT_EQ(y[i], 0.0);
}

TEST(Roc, IsThePercentChangeOverThePeriod) {
  // ROC(2): i2 (12/10 − 1)·100 = 20; i3 (11/11 − 1)·100 = 0; i4 (13.2/12 − 1)·100 = 10.
  expect_series(*roc(std::vector<double>{10, 11, 12, 11, 13.2}, 2), {kNaN, kNaN, 20, 0, 10});
}

TEST(Roc, RejectsAZeroBaseAndNamesItsIndex) {
  const auto r = roc(std::vector<double>{5, 0, 6, 7}, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("values[1] is 0"), std::string::npos) << r.error().to_string();
  // A zero among the last `period` values is never a base and is fine.
  EXPECT_TRUE(roc(std::vector<double>{5, 6, 7, 0}, 2));
}

TEST(RocCalculator, ThrowsWhenTheBaseIsZero) {
  auto calc = *RocCalculator::create(1);
  calc.update(0.0);
  EXPECT_THROW(calc.update(1.0), core::InvariantError);
}

TEST(Momentum, IsTheDifferenceOverThePeriod) {
  // MOM(2): i2 12 − 10 = 2; i3 11 − 11 = 0; i4 13.2 − 12 = 1.2.
  expect_series(*momentum(std::vector<double>{10, 11, 12, 11, 13.2}, 2), {kNaN, kNaN, 2, 0, 1.2});
}

TEST(Momentum, OfALinearSeriesIsSlopeTimesPeriod) {
  std::vector<double> x(100);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 3.0 + 0.25 * static_cast<double>(i);
  const auto y = *momentum(x, 10);
  for (std::size_t i = 10; i < x.size(); ++i) EXPECT_NEAR(y[i], 2.5, 1e-12);
}

TEST(Oscillators, ReportTaLibLookbacks) {
  EXPECT_EQ(RsiCalculator::create(14)->lookback(), 14);
  EXPECT_EQ(StochasticCalculator::create()->lookback(), 8);
  EXPECT_EQ(FastStochasticCalculator::create({14, 3})->lookback(), 15);
  EXPECT_EQ(WilliamsRCalculator::create(14)->lookback(), 13);
  EXPECT_EQ(CciCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(RocCalculator::create(10)->lookback(), 10);
  EXPECT_EQ(MomentumCalculator::create(10)->lookback(), 10);
}

}  // namespace
}  // namespace ballast::analytics
