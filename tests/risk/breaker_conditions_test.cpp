#include "ballast/risk/breaker_conditions.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ballast::risk {
namespace {

using core::Decimal;
using model::test::at;
using model::test::dec;

core::UnixNanos utc(std::int64_t y, unsigned m, unsigned d, int hh, int mm) {
  return core::UnixNanos(core::days_from_civil(y, m, d) * core::kNanosPerDay + hh * core::kNanosPerHour +
                         mm * core::kNanosPerMinute);
}

TEST(BreakerConditions, RatioFloorTruncatesAtTwelvePlaces) {
  // 1 / 3 = 0.333333333333|333… → 0.333333333333; 2 / 3 = 0.666666666666|666… → truncated, not rounded up.
  EXPECT_EQ(ratio_floor(dec("1"), dec("3")), dec("0.333333333333"));
  EXPECT_EQ(ratio_floor(dec("2"), dec("3")), dec("0.666666666666"));
}

TEST(BreakerConditions, AValueExactlyAtTheThresholdIsMet) {
  EXPECT_TRUE(measured(dec("0.10"), dec("0.1")).met);
  EXPECT_FALSE(measured(dec("0.099999999999"), dec("0.1")).met);
}

TEST(AccountDrawdownMeter, MeasuresTheFallFromThePeakAsAFractionOfThePeak) {
  AccountDrawdownMeter meter;
  meter.reset(dec("10000"));
  ASSERT_TRUE(meter.update(dec("11000"), dec("0.1")));  // new peak 11000
  EXPECT_EQ(meter.peak(), dec("11000"));
  // (11000 − 9900) / 11000 = 1100 / 11000 = 0.1 exactly: trips.
  const auto m = meter.update(dec("9900"), dec("0.1"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, dec("0.1"));
  EXPECT_TRUE(m->met);
  // (11000 − 9900.01) / 11000 = 1099.99 / 11000 = 0.099999090909|09… → below 0.1.
  const auto below = meter.update(dec("9900.01"), dec("0.1"));
  EXPECT_EQ(below->value, dec("0.099999090909"));
  EXPECT_FALSE(below->met);
}

TEST(AccountDrawdownMeter, IsNotMeasurableWithoutAPositivePeak) {
  AccountDrawdownMeter meter;
  meter.reset(dec("0"));
  EXPECT_FALSE(meter.update(dec("-5"), dec("0.1")));
}

TEST(PositionDrawdownMeter, MeasuresTheGiveBackFromTheBestProfitRelativeToEntryNotional) {
  PositionDrawdownMeter meter;
  // Long 2 @ 100 (entry notional 2 × 100 × 1 = 200). Best P&L +20, then P&L +10: (20 − 10) / 200 = 0.05.
  EXPECT_FALSE(meter.update(dec("2"), dec("100"), dec("1"), dec("0"), dec("0.05")).met);
  EXPECT_FALSE(meter.update(dec("2"), dec("100"), dec("1"), dec("20"), dec("0.05")).met);
  EXPECT_EQ(meter.best_pnl(), dec("20"));
  const auto m = meter.update(dec("2"), dec("100"), dec("1"), dec("10"), dec("0.05"));
  EXPECT_EQ(m.value, dec("0.05"));
  EXPECT_TRUE(m.met);
}

TEST(PositionDrawdownMeter, ALossFromEntryCountsFromZeroWhenThePositionNeverGained) {
  PositionDrawdownMeter meter;
  // Short 1 @ 200, P&L −9: (0 − (−9)) / 200 = 0.045 < 0.05.
  meter.update(dec("-1"), dec("200"), dec("1"), dec("0"), dec("0.05"));
  const auto m = meter.update(dec("-1"), dec("200"), dec("1"), dec("-9"), dec("0.05"));
  EXPECT_EQ(m.value, dec("0.045"));
  EXPECT_FALSE(m.met);
}

TEST(PositionDrawdownMeter, ScalesTheBestProfitWhenThePositionIsReducedAndRestartsWhenFlat) {
  PositionDrawdownMeter meter;
  meter.update(dec("4"), dec("100"), dec("1"), dec("40"), dec("0.05"));
  // Reduced to 1 at the same entry: best 40 × 1/4 = 10; P&L now 10 → drawdown 0.
  const auto reduced = meter.update(dec("1"), dec("100"), dec("1"), dec("10"), dec("0.05"));
  EXPECT_EQ(meter.best_pnl(), dec("10"));
  EXPECT_EQ(reduced.value, dec("0"));
  const auto flat = meter.update(dec("0"), dec("0"), dec("1"), dec("0"), dec("0.05"));
  EXPECT_FALSE(flat.met);
  EXPECT_EQ(meter.best_pnl(), dec("0"));
}

TEST(PositionDrawdownMeter, ALargePositionWithAManyDecimalEntryIsMeasuredNotAnOverflow) {
  // 7,058.821868 shares averaged in at 1.4270830000 (split-adjusted daily stock data): the exact entry
  // notional 10,073.524687851044 has 16 places whose raw value exceeds int64; it is exact at 14 places.
  PositionDrawdownMeter meter;
  EXPECT_FALSE(meter.update(dec("7058.821868"), dec("1.4270830000"), dec("1"), dec("0"), dec("0.01")).met);
  // Give-back 0 − (−100.72) = 100.72: 100.72 / 10,073.524687851044 = 0.00999848644046…, floored at 12 places.
  const auto m = meter.update(dec("7058.821868"), dec("1.4270830000"), dec("1"), dec("-100.72"), dec("0.01"));
  EXPECT_EQ(m.value, dec("0.009998486440"));
  EXPECT_FALSE(m.met);
  EXPECT_TRUE(
      meter.update(dec("7058.821868"), dec("1.4270830000"), dec("1"), dec("-100.72"), dec("0.009998486440")).met);
}

TEST(PositionDrawdownMeter, HalvingALargePositionHalvesItsBestProfitWithoutOverflow) {
  PositionDrawdownMeter meter;
  meter.update(dec("7058.821868"), dec("1.4270830000"), dec("1"), dec("250.12345678"), dec("0.05"));
  // Reduced to 3,529.410934 (exactly half) at the same entry: best 250.12345678 × 3,529.410934 / 7,058.821868
  // = 125.06172839 (the product, 882,788.46320920843252, does not fit int64 at its 14 places).
  const auto m = meter.update(dec("3529.410934"), dec("1.4270830000"), dec("1"), dec("125.06172839"), dec("0.05"));
  EXPECT_EQ(meter.best_pnl(), dec("125.06172839"));
  EXPECT_EQ(m.value, dec("0"));
}

TEST(DailyLossMeter, MeasuresTheLossSinceTheStartOfTheUtcDay) {
  DailyLossMeter meter;
  meter.roll(utc(2024, 3, 1, 0, 5), dec("1000"));
  // 1000 − 950 = 50 >= 50.
  EXPECT_EQ(meter.update(dec("950"), dec("50")), (BreakerMeasurement{dec("50"), true}));
  // In profit: the loss is 0.
  EXPECT_EQ(meter.update(dec("1010"), dec("50")).value, dec("0"));
  // Same day: no roll. Next day: the start equity is the equity at the roll.
  meter.roll(utc(2024, 3, 1, 23, 59), dec("900"));
  EXPECT_EQ(meter.day_start_equity(), dec("1000"));
  meter.roll(utc(2024, 3, 2, 0, 0), dec("900"));
  EXPECT_EQ(meter.day_start_equity(), dec("900"));
}

TEST(LossStreakMeter, CountsConsecutiveLosingTradesAndResetsOnAnyNonLosingTrade) {
  LossStreakMeter meter;
  meter.on_trade(dec("-1"));
  meter.on_trade(dec("-2"));
  EXPECT_EQ(meter.streak(), 2);
  EXPECT_TRUE(meter.measure(dec("2")).met);
  meter.on_trade(dec("0"));  // break-even ends the streak
  EXPECT_EQ(meter.streak(), 0);
  EXPECT_FALSE(meter.measure(dec("2")).met);
}

TEST(RejectRateMeter, MeasuresRejectsOverOrdersSentInTheWindowOnceThereAreEnoughSamples) {
  RejectRateMeter meter(std::chrono::seconds(60), 4);
  meter.on_sent(at(0));
  meter.on_sent(at(10));
  meter.on_sent(at(20));
  meter.on_rejected(at(21));
  EXPECT_FALSE(meter.measure(at(21), dec("0.25")));  // 3 orders < min_samples 4
  meter.on_sent(at(30));
  // 1 reject / 4 orders = 0.25.
  const auto m = meter.measure(at(30), dec("0.25"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, dec("0.25"));
  EXPECT_TRUE(m->met);
  // At t = 65 the orders of t = 0 (and only those) left the (5, 65] window: 3 orders, not enough.
  EXPECT_FALSE(meter.measure(at(65), dec("0.25")));
  EXPECT_EQ(meter.sent_in_window(), 3u);
}

TEST(TradingHours, WeekdaysAreCountedFromMondayInUtc) {
  EXPECT_EQ(utc_weekday(utc(2024, 1, 1, 12, 0)), 0);  // Monday 1 January 2024
  EXPECT_EQ(utc_weekday(utc(2024, 1, 7, 23, 59)), 6);  // Sunday
  EXPECT_EQ(utc_weekday(core::UnixNanos(0)), 3);       // Thursday 1 January 1970
  EXPECT_EQ(utc_minute_of_day(utc(2024, 1, 1, 13, 45)), 13 * 60 + 45);
}

TEST(TradingHours, ASessionPastMidnightBelongsToTheDayItStarts) {
  // 22:00 → 06:00, Monday to Friday (bits 0..4).
  const TradingSession night{22 * 60, 6 * 60, 0x1f};
  EXPECT_TRUE(in_session(night, utc(2024, 1, 5, 23, 0)));    // Friday 23:00
  EXPECT_TRUE(in_session(night, utc(2024, 1, 6, 5, 59)));    // Saturday 05:59: Friday's session
  EXPECT_FALSE(in_session(night, utc(2024, 1, 6, 6, 0)));    // end is exclusive
  EXPECT_FALSE(in_session(night, utc(2024, 1, 6, 23, 0)));   // Saturday evening: no session starts
  EXPECT_FALSE(in_session(night, utc(2024, 1, 8, 5, 0)));    // Monday 05:00 would be Sunday's session
  EXPECT_TRUE(in_session(night, utc(2024, 1, 8, 22, 0)));    // start is inclusive
}

TEST(TradingHours, TripsOutsideEverySession) {
  const std::vector<TradingSession> sessions{{8 * 60, 12 * 60, 0x1f}, {13 * 60, 17 * 60, 0x1f}};
  EXPECT_FALSE(measure_trading_hours(sessions, utc(2024, 1, 2, 9, 0)).met);
  const auto lunch = measure_trading_hours(sessions, utc(2024, 1, 2, 12, 30));
  EXPECT_TRUE(lunch.met);
  EXPECT_EQ(lunch.value, dec("1"));
  EXPECT_TRUE(measure_trading_hours(sessions, utc(2024, 1, 6, 9, 0)).met);  // Saturday
}

TEST(RollingSquareSum, DropsObservationsWhoseBucketLeftTheWindow) {
  // 60 s in 6 buckets of 10 s.
  RollingSquareSum sum(std::chrono::seconds(60), 6);
  sum.add(at(0), 1.0);
  sum.add(at(15), 2.0);
  EXPECT_DOUBLE_EQ(sum.sum(), 5.0);  // 1² + 2²
  EXPECT_EQ(sum.count(), 2);
  sum.advance(at(65));  // buckets 1..6 = [10 s, 70 s): the one of t = 0 is gone
  EXPECT_DOUBLE_EQ(sum.sum(), 4.0);
  EXPECT_EQ(sum.count(), 1);
  sum.advance(at(200));
  EXPECT_DOUBLE_EQ(sum.sum(), 0.0);
  EXPECT_EQ(sum.count(), 0);
}

TEST(VolatilitySpikeMeter, ComparesRealisedVolatilityPerUnitTimeWithTheBaseline) {
  // Baseline 1 h, window 5 min, a mark every 10 s from t = 0 to 3600 s with log returns of ±0.001
  // until t = 3300 s and ±0.003 after. Short window (buckets of 5 s) at t = 3600 holds the 30 returns
  // of t = 3310…3600; the baseline (buckets of 12.5 s, [12.5 s, 3612.5 s)) holds the 359 returns of
  // t = 20…3600: 329 of 0.001 and 30 of 0.003.
  //   multiple = sqrt((30 × 0.003² / 300 s) / ((329 × 0.001² + 30 × 0.003²) / 3600 s))
  //            = sqrt((0.00027 / 300) / (0.000599 / 3600)) = sqrt(5.409015025…) = 2.325729…
  VolatilitySpikeMeter meter(std::chrono::minutes(5), std::chrono::hours(1), 20);
  double log_price = std::log(100.0);
  meter.on_price(at(0), 100.0);
  for (int k = 1; k <= 360; ++k) {
    const double step = k * 10 <= 3300 ? 0.001 : 0.003;
    log_price += (k % 2 == 0 ? step : -step);
    meter.on_price(at(k * 10), std::exp(log_price));
  }
  const double expected = std::sqrt((30 * 0.003 * 0.003 / 300.0) / ((329 * 0.001 * 0.001 + 30 * 0.003 * 0.003) / 3600.0));
  const auto multiple = meter.multiple(at(3600));
  ASSERT_TRUE(multiple);
  EXPECT_NEAR(*multiple, expected, 1e-9);
  EXPECT_NEAR(expected, 2.325729, 1e-6);
  EXPECT_TRUE(meter.measure(at(3600), dec("2"))->met);
  EXPECT_FALSE(meter.measure(at(3600), dec("3"))->met);
}

TEST(VolatilitySpikeMeter, IsNotMeasurableBeforeMinSamples) {
  VolatilitySpikeMeter meter(std::chrono::minutes(5), std::chrono::hours(1), 5);
  meter.on_price(at(0), 100.0);
  meter.on_price(at(10), 101.0);
  meter.on_price(at(20), 100.0);
  EXPECT_FALSE(meter.measure(at(20), dec("2")));  // 2 returns < 5
}

TEST(RapidMoveMeter, MeasuresTheMoveFromThePriceAtTheWindowStart) {
  RapidMoveMeter meter(std::chrono::seconds(60));
  meter.on_price(at(0), dec("100"));
  EXPECT_FALSE(meter.measure(dec("0.05")));  // one price: no move yet
  meter.on_price(at(30), dec("101"));
  meter.on_price(at(61), dec("95"));
  // Window start 61 − 60 = 1 s: the price in force then is 100 (t = 0). |95 − 100| / 100 = 0.05.
  const auto m = meter.measure(dec("0.05"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, dec("0.05"));
  EXPECT_TRUE(m->met);
  meter.on_price(at(100), dec("96"));
  // Window start 40 s: the price in force is 101 (t = 30). |96 − 101| / 101 = 5 / 101 = 0.049504950495|04…
  EXPECT_EQ(meter.measure(dec("0.05"))->value, dec("0.049504950495"));
  EXPECT_FALSE(meter.measure(dec("0.05"))->met);
  EXPECT_EQ(meter.kept(), 3u);  // 101 (reference), 95, 96
}

}  // namespace
}  // namespace ballast::risk
