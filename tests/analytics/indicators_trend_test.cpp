// ADX/+DI/−DI and the linear-regression slope against hand-worked values (arithmetic in the
// comments) and closed forms. Relative tolerance 1e-12 unless stated.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ballast/analytics/indicators/trend.hpp"

namespace ballast::analytics {
namespace {

constexpr double kRel = 1e-12;
const double kNaN = std::nan("");

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

TEST(Adx, FollowsWildersDirectionalMovementWithTaLibSeeding) {
  // Period 2 (smoothing keeps 1/2). Bars (H, L, C) and, from bar 1, +DM / −DM / TR:
  //   0: 10, 8, 9
  //   1: 11, 9, 10      up 1, down −1      → +DM 1, −DM 0; TR max(2, 2, 0) = 2
  //   2: 12, 10, 11     up 1, down −1      → +DM 1, −DM 0; TR 2
  //   3: 11, 8, 9       up −1, down 2      → +DM 0, −DM 2; TR max(3, 0, 3) = 3
  //   4: 10.5, 8.5, 10  up −0.5, down −0.5 → 0, 0;         TR max(2, 1.5, 0.5) = 2
  //   5: 12, 10, 11.5   up 1.5, down −1.5  → +DM 1.5, 0;   TR max(2, 2, 0) = 2
  // Sums start at bar 1's values (p−1 = 1 bar), then S = S/2 + x:
  //   bar 2: S+ 1.5, S− 0, Str 3     → +DI 50,       −DI 0,        DX 100
  //   bar 3: S+ 0.75, S− 2, Str 4.5  → +DI 50/3,     −DI 400/9,    DX 100·1.25/2.75 = 500/11
  //   bar 4: S+ 0.375, S− 1, Str 4.25 → +DI 150/17,  −DI 400/17,   DX 100·0.625/1.375 = 500/11
  //   bar 5: S+ 1.6875, S− 0.5, Str 4.125 → +DI 450/11, −DI 400/33, DX 100·1.1875/2.1875 = 380/7
  // ADX at bar 3 (lookback 2p−1) = (100 + 500/11)/2 = 800/11; bar 4 (800/11 + 500/11)/2 = 650/11;
  // bar 5 (650/11 + 380/7)/2 = 4365/77.
  const std::vector<double> high{10, 11, 12, 11, 10.5, 12};
  const std::vector<double> low{8, 9, 10, 8, 8.5, 10};
  const std::vector<double> close{9, 10, 11, 9, 10, 11.5};
  const auto a = *adx(high, low, close, 2);
  expect_series(a.plus_di, {kNaN, kNaN, 50, 50.0 / 3, 150.0 / 17, 450.0 / 11});
  expect_series(a.minus_di, {kNaN, kNaN, 0, 400.0 / 9, 400.0 / 17, 400.0 / 33});
  expect_series(a.adx, {kNaN, kNaN, kNaN, 800.0 / 11, 650.0 / 11, 4365.0 / 77});
}

TEST(Adx, OfASteadyUptrendHasNoMinusDiAndAdx100) {
  // Every bar makes a higher high and a higher low: −DM = 0 throughout, so −DI = 0, DX = 100, ADX = 100.
  std::vector<double> high(80), low(80), close(80);
  for (std::size_t i = 0; i < 80; ++i) {
    const double base = 100.0 + 1.5 * static_cast<double>(i);
    high[i] = base + 1.0;
    low[i] = base - 1.0;
    close[i] = base + 0.5;
  }
  const auto a = *adx(high, low, close, 14);
  for (std::size_t i = 14; i < 80; ++i) EXPECT_EQ(a.minus_di[i], 0.0) << i;
  for (std::size_t i = 27; i < 80; ++i) EXPECT_NEAR(a.adx[i], 100.0, 1e-12) << i;
  EXPECT_TRUE(std::isnan(a.adx[26]));
}

TEST(Adx, OfAFlatMarketIsZero) {
  const std::vector<double> flat(40, 20.0);
  const auto a = *adx(flat, flat, flat, 5);
  for (std::size_t i = 9; i < 40; ++i) {
    EXPECT_EQ(a.adx[i], 0.0);
    EXPECT_EQ(a.plus_di[i], 0.0);
  }
}

TEST(Adx, NeedsTwicePeriodBars) {
  const std::vector<double> x(27, 1.0);
  const auto r = adx(x, x, x, 14);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("lookback 27"), std::string::npos) << r.error().to_string();
  EXPECT_TRUE(adx(std::vector<double>(28, 1.0), std::vector<double>(28, 1.0), std::vector<double>(28, 1.0), 14));
}

TEST(AdxCalculator, ExposesTheDirectionalIndicatorsBeforeTheAdx) {
  auto calc = *AdxCalculator::create(2);
  EXPECT_EQ(calc.lookback(), 3);
  EXPECT_EQ(calc.di_lookback(), 2);
  calc.update(10, 8, 9);
  calc.update(11, 9, 10);
  EXPECT_FALSE(calc.di_ready());
  EXPECT_TRUE(std::isnan(calc.update(12, 10, 11)));
  EXPECT_TRUE(calc.di_ready());
  EXPECT_FALSE(calc.ready());
  EXPECT_DOUBLE_EQ(calc.plus_di(), 50.0);
  EXPECT_NEAR(calc.update(11, 8, 9), 800.0 / 11, 1e-12);
  EXPECT_TRUE(calc.ready());
}

TEST(LinRegSlope, IsTheLeastSquaresSlope) {
  // Period 3 over [1, 2, 4]: x̄ = 1, ȳ = 7/3, Σ(x−x̄)(y−ȳ) = (−1)(−4/3) + 0 + (1)(5/3) = 3,
  // Σ(x−x̄)² = 2 → 1.5. Next window [2, 4, 3]: ȳ = 3, Σ = (−1)(−1) + (1)(0) = 1 → 0.5.
  expect_series(*linreg_slope(std::vector<double>{1, 2, 4, 3}, 3), {kNaN, kNaN, 1.5, 0.5});
}

TEST(LinRegSlope, OfAnExactLineIsItsSlopeEvenAtAHighLevel) {
  // y = 25000 − 0.003·t: the level is 10^7 times the per-bar change, which a raw Σxy formula would
  // cancel away; the centred form keeps it.
  std::vector<double> y(6000);
  for (std::size_t t = 0; t < y.size(); ++t) y[t] = 25000.0 - 0.003 * static_cast<double>(t);
  const auto s = *linreg_slope(y, 14);
  for (std::size_t t = 13; t < y.size(); ++t) EXPECT_NEAR(s[t], -0.003, 1e-9 * 0.003) << t;
}

TEST(LinRegSlope, OfAConstantSeriesIsZero) {
  const auto s = *linreg_slope(std::vector<double>(50, 8.0), 10);
  for (std::size_t t = 9; t < 50; ++t) EXPECT_EQ(s[t], 0.0);
}

TEST(LinRegSlope, NeedsPeriodTwoOrMore) {
  EXPECT_FALSE(linreg_slope(std::vector<double>{1, 2, 3}, 1));
  EXPECT_FALSE(LinRegSlopeCalculator::create(1));
  expect_series(*linreg_slope(std::vector<double>{1, 4}, 2), {kNaN, 3});
}

}  // namespace
}  // namespace ballast::analytics
