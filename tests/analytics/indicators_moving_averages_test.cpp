// Moving averages against hand-worked values (arithmetic in the comments, exact fractions where the
// decimals do not terminate) and closed forms. Tolerances are relative 1e-12 unless stated: every
// case here is a handful of IEEE operations away from the exact value.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ballast/analytics/indicators/moving_averages.hpp"

namespace ballast::analytics {
namespace {

constexpr double kRel = 1e-12;

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

const double kNaN = std::nan("");

TEST(Sma, AveragesTheLastPeriodValues) {
  // SMA(3) of 1..6: (1+2+3)/3 = 2, (2+3+4)/3 = 3, 4, 5; lookback 2.
  expect_series(*sma(std::vector<double>{1, 2, 3, 4, 5, 6}, 3), {kNaN, kNaN, 2, 3, 4, 5});
}

TEST(Sma, OfALinearSeriesIsTheValueAtTheWindowCentre) {
  // Closed form: for x_t = a + b·t the mean of x_{t−p+1..t} is a + b·(t − (p−1)/2).
  const double a = 250.0, b = -0.75;
  const int p = 7;
  std::vector<double> x(3000);
  for (std::size_t t = 0; t < x.size(); ++t) x[t] = a + b * static_cast<double>(t);
  const auto y = *sma(x, p);
  for (std::size_t t = p - 1; t < x.size(); ++t) {
    EXPECT_NEAR(y[t], a + b * (static_cast<double>(t) - 3.0), 1e-10) << t;
  }
}

TEST(Sma, OfPeriodOneIsTheSeriesItself) {
  const std::vector<double> x{3.5, -1.25, 8.0};
  expect_series(*sma(x, 1), x);
}

TEST(Sma, AcceptsASingleObservationWhenPeriodIsOne) {
  expect_series(*sma(std::vector<double>{42.0}, 1), {42.0});
}

TEST(Sma, OfASeriesExactlyOneLongerThanTheLookbackHasOneValue) {
  // Lookback of SMA(4) is 3: four values give exactly one output, the mean 2.5.
  expect_series(*sma(std::vector<double>{1, 2, 3, 4}, 4), {kNaN, kNaN, kNaN, 2.5});
}

TEST(Sma, RejectsASeriesNoLongerThanTheLookback) {
  const auto r = sma(std::vector<double>{1, 2, 3}, 4);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().message().find("needs at least 4 values"), std::string::npos) << r.error().to_string();
}

TEST(Sma, RejectsZeroAndNegativePeriods) {
  for (int period : {0, -3}) {
    const auto r = sma(std::vector<double>{1, 2, 3}, period);
    ASSERT_FALSE(r) << period;
    EXPECT_EQ(r.error().where(), "period");
  }
  EXPECT_FALSE(SmaCalculator::create(0));
}

TEST(Sma, RejectsNanAndNamesItsIndex) {
  const auto r = sma(std::vector<double>{1, 2, std::nan(""), 4}, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("values[2]"), std::string::npos) << r.error().to_string();
  const auto inf = sma(std::vector<double>{1, 2, 3, INFINITY}, 2);
  ASSERT_FALSE(inf);
  EXPECT_NE(inf.error().message().find("values[3]"), std::string::npos) << inf.error().to_string();
}

TEST(Sma, IntoRejectsAnOutputOfTheWrongLengthOrOverlappingTheInput) {
  std::vector<double> x{1, 2, 3, 4};
  std::vector<double> short_out(3);
  EXPECT_FALSE(sma_into(x, 2, short_out));
  EXPECT_FALSE(sma_into(x, 2, x));
}

TEST(SmaCalculator, ReturnsNanUntilReadyThenTheMean) {
  auto calc = *SmaCalculator::create(3);
  EXPECT_EQ(calc.lookback(), 2);
  EXPECT_TRUE(std::isnan(calc.update(1)));
  EXPECT_TRUE(std::isnan(calc.update(2)));
  EXPECT_FALSE(calc.ready());
  EXPECT_DOUBLE_EQ(calc.update(3), 2.0);
  EXPECT_TRUE(calc.ready());
  EXPECT_DOUBLE_EQ(calc.update(10), 5.0);  // (2+3+10)/3
  EXPECT_DOUBLE_EQ(calc.value(), 5.0);
}

TEST(SmaCalculator, ThrowsOnANonFiniteInputWithoutChangingState) {
  auto calc = *SmaCalculator::create(2);
  calc.update(1);
  calc.update(3);
  EXPECT_THROW(calc.update(std::nan("")), core::InvariantError);
  EXPECT_DOUBLE_EQ(calc.value(), 2.0);
  EXPECT_DOUBLE_EQ(calc.update(5), 4.0);  // (3+5)/2: the NaN never entered the window
}

TEST(Ema, IsSeededWithTheSmaThenSmoothsWithTwoOverPeriodPlusOne) {
  // EMA(3): k = 2/4 = 0.5. Seed at index 2 = (2+4+6)/3 = 4; then EMA = 0.5·EMA + 0.5·x:
  //   i3: 0.5·4 + 0.5·8 = 6;  i4: 0.5·6 + 0.5·12 = 9;  i5: 0.5·9 + 0.5·14 = 11.5;
  //   i6: 0.5·11.5 + 0.5·16 = 13.75;  i7: 0.5·13.75 + 0.5·18 = 15.875;  i8: 0.5·15.875 + 0.5·20 = 17.9375.
  expect_series(*ema(std::vector<double>{2, 4, 6, 8, 12, 14, 16, 18, 20}, 3),
                {kNaN, kNaN, 4, 6, 9, 11.5, 13.75, 15.875, 17.9375});
}

TEST(Ema, OfAConstantSeriesIsTheConstant) {
  // Closed form: the seed is c and every step is c·(1−k) + c·k = c.
  const std::vector<double> x(500, 101.37);
  const auto y = *ema(x, 12);
  for (std::size_t i = 11; i < x.size(); ++i) EXPECT_NEAR(y[i], 101.37, 1e-12 * 101.37) << i;
}

TEST(Ema, OfPeriodOneIsTheSeriesItself) {
  const std::vector<double> x{1.5, 2.5, -7.0, 4.0};
  expect_series(*ema(x, 1), x);
}

TEST(Wma, WeightsTheNewestValueMost) {
  // WMA(3), weights 1,2,3 over divisor 6: i2 (1·1+2·2+3·3)/6 = 14/6; i3 (2+6+12)/6 = 20/6;
  // i4 (3+8+15)/6 = 26/6.
  expect_series(*wma(std::vector<double>{1, 2, 3, 4, 5}, 3), {kNaN, kNaN, 14.0 / 6, 20.0 / 6, 26.0 / 6});
}

TEST(Wma, OfALinearSeriesLagsByOneThirdOfThePeriodMinusOne) {
  // Closed form: for x_t = a + b·t, Σ w_j x_j / Σ w_j with w = 1..p places the average at
  // t − (p−1)/3, so WMA_t = a + b·(t − (p−1)/3).
  const int p = 10;
  std::vector<double> x(2500);
  for (std::size_t t = 0; t < x.size(); ++t) x[t] = 1000.0 + 0.5 * static_cast<double>(t);
  const auto y = *wma(x, p);
  for (std::size_t t = p - 1; t < x.size(); ++t) {
    EXPECT_NEAR(y[t], 1000.0 + 0.5 * (static_cast<double>(t) - 3.0), 1e-9) << t;
  }
}

TEST(Dema, IsTwiceTheEmaMinusTheEmaOfTheEma) {
  // p = 2, k = 2/3. EMA1 of [1,3,2,5,4]: seed i1 (1+3)/2 = 2; i2 2/3 + 2·2/3 = 2; i3 2/3 + 5·2/3 = 4;
  // i4 4/3 + 4·2/3 = 4. EMA2 over EMA1 from i1: seed i2 (2+2)/2 = 2; i3 2/3 + 4·2/3 = 10/3;
  // i4 (10/3)/3 + 4·2/3 = 34/9. DEMA = 2·EMA1 − EMA2: i2 2, i3 8 − 10/3 = 14/3, i4 8 − 34/9 = 38/9.
  expect_series(*dema(std::vector<double>{1, 3, 2, 5, 4}, 2), {kNaN, kNaN, 2, 14.0 / 3, 38.0 / 9});
}

TEST(Tema, IsThreeEmaMinusThreeEmaOfEmaPlusTheTripleEma) {
  // Continuing the DEMA case: EMA3 over EMA2 from i2: seed i3 (2 + 10/3)/2 = 8/3;
  // i4 (8/3)/3 + (34/9)·2/3 = 8/9 + 68/27 = 92/27. TEMA = 3·EMA1 − 3·EMA2 + EMA3:
  // i3 12 − 10 + 8/3 = 14/3;  i4 12 − 34/3 + 92/27 = (324 − 306 + 92)/27 = 110/27.
  expect_series(*tema(std::vector<double>{1, 3, 2, 5, 4}, 2), {kNaN, kNaN, kNaN, 14.0 / 3, 110.0 / 27});
}

TEST(Tema, OfAConstantSeriesIsTheConstant) {
  const std::vector<double> x(200, -3.25);
  const auto y = *tema(x, 5);
  for (std::size_t i = 12; i < x.size(); ++i) EXPECT_NEAR(y[i], -3.25, 1e-12 * 3.25) << i;
  EXPECT_TRUE(std::isnan(y[11]));
}

TEST(MovingAverages, ReportTaLibLookbacks) {
  EXPECT_EQ(SmaCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(EmaCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(WmaCalculator::create(20)->lookback(), 19);
  EXPECT_EQ(DemaCalculator::create(20)->lookback(), 38);
  EXPECT_EQ(TemaCalculator::create(20)->lookback(), 57);
}

TEST(MovingAverages, RejectPeriodsAboveTheMaximum) {
  EXPECT_FALSE(EmaCalculator::create(100'001));
  EXPECT_FALSE(ema(std::vector<double>(10, 1.0), 100'001));
}

}  // namespace
}  // namespace ballast::analytics
