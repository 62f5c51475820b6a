// OBV and session-anchored VWAP against hand-worked values (arithmetic in the comments).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "ballast/analytics/indicators/bar_columns.hpp"
#include "ballast/analytics/indicators/volume.hpp"

namespace ballast::analytics {
namespace {

const double kNaN = std::nan("");

void expect_series(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "index " << i << " should be NaN, got " << got[i];
    } else {
      EXPECT_NEAR(got[i], want[i], 1e-12 * std::max(1.0, std::abs(want[i]))) << "index " << i;
    }
  }
}

TEST(Obv, AddsVolumeOnUpClosesAndSubtractsItOnDownCloses) {
  // Closes 10, 11, 11, 10.5, 12 with volumes 100, 200, 150, 300, 50. OBV_0 = 100 (TA-Lib seeds with
  // the first volume); up +200 → 300; unchanged → 300; down −300 → 0; up +50 → 50.
  expect_series(*obv(std::vector<double>{10, 11, 11, 10.5, 12}, std::vector<double>{100, 200, 150, 300, 50}),
                {100, 300, 300, 0, 50});
}

TEST(Obv, AcceptsASingleBar) {
  expect_series(*obv(std::vector<double>{5}, std::vector<double>{7}), {7});
}

TEST(Obv, RejectsNegativeVolumeAndNamesTheIndex) {
  const auto r = obv(std::vector<double>{1, 2, 3}, std::vector<double>{1, -2, 3});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("volume[1]"), std::string::npos) << r.error().to_string();
}

TEST(Obv, RejectsAnEmptySeries) {
  EXPECT_FALSE(obv(std::vector<double>{}, std::vector<double>{}));
}

TEST(Obv, CompensatedSumKeepsSmallVolumesAgainstALargeTotal) {
  // 1e16 then 10'000 up-bars of volume 1: naive double summation loses every +1 (the spacing of
  // doubles near 1e16 is 2); the compensated total is exactly 1e16 + 10'000.
  std::vector<double> close(10'001), volume(10'001, 1.0);
  volume[0] = 1e16;
  for (std::size_t i = 0; i < close.size(); ++i) close[i] = static_cast<double>(i);
  const auto y = *obv(close, volume);
  EXPECT_EQ(y.back(), 1e16 + 10'000.0);
}

TEST(Vwap, IsTheVolumeWeightedTypicalPriceAndRestartsEachSession) {
  // TP = (H+L+C)/3. Session 1: TP 10 × 100 → 10; TP 11 × 300 → (1000 + 3300)/400 = 10.75;
  // TP 12 × 0 → 10.75. Session 2: TP 20 × 0 → no volume yet, NaN; TP 21 × 50 → 21.
  const std::vector<double> high{11, 12, 13, 21, 22};
  const std::vector<double> low{9, 10, 11, 19, 20};
  const std::vector<double> close{10, 11, 12, 20, 21};
  const std::vector<double> volume{100, 300, 0, 0, 50};
  const std::vector<std::int64_t> sessions{7, 7, 7, 9, 9};
  expect_series(*vwap(high, low, close, volume, sessions), {10, 10.75, 10.75, kNaN, 21});
}

TEST(Vwap, ResetsAtUtcMidnightGivenTimestamps) {
  // 23:00 and 23:30 on 2024-03-01, then 00:00 and 00:30 on 2024-03-02 (UTC).
  const auto t0 = core::UnixNanos::from_seconds(1709334000);  // 2024-03-01T23:00:00Z
  const std::vector<core::UnixNanos> ts{t0, t0 + core::Duration(30 * core::kNanosPerMinute),
                                        t0 + core::Duration(core::kNanosPerHour),
                                        t0 + core::Duration(90 * core::kNanosPerMinute)};
  const std::vector<double> price{10, 12, 20, 30};
  const std::vector<double> volume{1, 1, 3, 1};
  // Day 1: (10 + 12)/2 = 11. Day 2: 20, then (60 + 30)/4 = 22.5.
  expect_series(*vwap_utc_day(price, price, price, volume, ts), {10, 11, 20, 22.5});
  EXPECT_EQ(utc_day_session(ts[1]) + 1, utc_day_session(ts[2]));
}

TEST(Vwap, RejectsTimestampsGoingBackwards) {
  const std::vector<double> p{1, 1, 1};
  const std::vector<core::UnixNanos> ts{core::UnixNanos(3), core::UnixNanos(2), core::UnixNanos(4)};
  const auto r = vwap_utc_day(p, p, p, p, ts);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("timestamps[1]"), std::string::npos) << r.error().to_string();
}

TEST(Vwap, RejectsMisalignedSessionIds) {
  const std::vector<double> p{1, 1, 1};
  const std::vector<std::int64_t> sessions{1, 1};
  const auto r = vwap(p, p, p, p, sessions);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "session_ids");
}

TEST(Vwap, OfAConstantPriceIsThatPrice) {
  const std::vector<double> p(100, 42.25);
  std::vector<double> v(100);
  std::vector<std::int64_t> s(100);
  for (std::size_t i = 0; i < 100; ++i) {
    v[i] = 1.0 + static_cast<double>(i % 7);
    s[i] = static_cast<std::int64_t>(i / 30);
  }
  const auto y = *vwap(p, p, p, v, s);
  for (double x : y) EXPECT_NEAR(x, 42.25, 1e-12 * 42.25);
}

TEST(VwapCalculator, IsNotReadyUntilTheSessionTrades) {
  auto calc = *VwapCalculator::create();
  EXPECT_TRUE(std::isnan(calc.update(10, 10, 10, 0, 1)));
  EXPECT_FALSE(calc.ready());
  EXPECT_EQ(calc.update(10, 10, 10, 5, 1), 10.0);
  EXPECT_TRUE(calc.ready());
  EXPECT_TRUE(std::isnan(calc.update(11, 11, 11, 0, 2)));  // new session, no volume yet
  EXPECT_THROW(calc.update(11, 11, 11, -1, 2), core::InvariantError);
}

TEST(BarColumns, ConvertsBarsToDoubleColumns) {
  model::Bar bar{core::UnixNanos(60),
                 core::UnixNanos(120),
                 model::Price::from_raw(10050, 2),
                 model::Price::from_raw(10100, 2),
                 model::Price::from_raw(9900, 2),
                 model::Price::from_raw(10000, 2),
                 model::Quantity::from_raw(15, 1)};
  const std::vector<model::Bar> bars{bar, bar};
  const BarColumns c = to_columns(bars);
  ASSERT_EQ(c.close.size(), 2u);
  EXPECT_EQ(c.open[0], 100.5);
  EXPECT_EQ(c.high[0], 101.0);
  EXPECT_EQ(c.low[0], 99.0);
  EXPECT_EQ(c.close[1], 100.0);
  EXPECT_EQ(c.volume[1], 1.5);
  EXPECT_EQ(c.ts_event[0], core::UnixNanos(60));
}

}  // namespace
}  // namespace ballast::analytics
