// RollingWeightLimiter: Hyperliquid's weight budget over a rolling window, driven by explicit times. Every
// expected wait is worked out by hand in the comment next to it (a charge at t leaves the window at t + 60 s).
#include "ballast/adapters/hyperliquid/rolling_weight_limiter.hpp"

#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

namespace ballast::adapters::hyperliquid {
namespace {

using std::chrono::seconds;

constexpr core::UnixNanos kT0 = core::UnixNanos::from_millis(1'700'000'000'500);  // not on a minute boundary

core::UnixNanos at(std::int64_t s) {
  return kT0 + seconds(s);
}

TEST(RollingWeightLimiter, LetsCallsThroughUpToTheLimitThenWaitsForTheOldestChargeToLeaveTheWindow) {
  RollingWeightLimiter limiter(100);
  EXPECT_EQ(limiter.try_acquire(30, at(0)), core::Duration(0));
  EXPECT_EQ(limiter.try_acquire(50, at(10)), core::Duration(0));
  EXPECT_EQ(limiter.try_acquire(20, at(20)), core::Duration(0));  // 30 + 50 + 20 = 100: exactly the limit
  EXPECT_EQ(limiter.used(at(25)), 100);
  // 10 more: the 30 charged at 0 s must leave first, at 60 s → wait 60 − 25 = 35 s.
  EXPECT_EQ(limiter.wait_for(10, at(25)), seconds(35));
  // 40 more: 30 (leaves at 60 s) is not enough, 30 + 50 (leaves at 70 s) is → wait 70 − 25 = 45 s.
  EXPECT_EQ(limiter.wait_for(40, at(25)), seconds(45));
  // A refused try_acquire charges nothing.
  EXPECT_EQ(limiter.try_acquire(40, at(25)), seconds(45));
  EXPECT_EQ(limiter.used(at(25)), 100);
}

TEST(RollingWeightLimiter, AChargeLeavesTheWindowExactlyOneWindowLater) {
  RollingWeightLimiter limiter(10);
  ASSERT_EQ(limiter.try_acquire(10, at(0)), core::Duration(0));
  EXPECT_EQ(limiter.used(at(60) - core::Duration(1)), 10);  // 1 ns before t + 60 s it still counts
  EXPECT_EQ(limiter.wait_for(1, at(60) - core::Duration(1)), core::Duration(1));
  EXPECT_EQ(limiter.used(at(60)), 0);
  EXPECT_EQ(limiter.try_acquire(10, at(60)), core::Duration(0));
}

TEST(RollingWeightLimiter, NeverLetsMoreThanTheLimitIntoAnyWindowAcrossAMinuteBoundary) {
  // The case calendar minutes get wrong: 10 at 59 s, then 10 at 61 s would both fit in fixed minutes
  // (different minutes) but put 20 into the 60 s from 59 s to 119 s.
  RollingWeightLimiter limiter(10);
  ASSERT_EQ(limiter.try_acquire(10, at(59)), core::Duration(0));
  EXPECT_EQ(limiter.try_acquire(10, at(61)), seconds(58));  // 59 + 60 − 61
}

TEST(RollingWeightLimiter, WeightChargedAfterTheAnswerCanExceedTheLimitAndDelaysLaterCalls) {
  RollingWeightLimiter limiter(100);
  ASSERT_EQ(limiter.try_acquire(20, at(0)), core::Duration(0));
  limiter.charge(85, at(1));  // items returned: recorded although 20 + 85 = 105 > 100
  EXPECT_EQ(limiter.used(at(1)), 105);
  // 2 more: the excess is 105 + 2 − 100 = 7; the 20 of 0 s covers it → wait 60 − 2 = 58 s.
  EXPECT_EQ(limiter.wait_for(2, at(2)), seconds(58));
  // At 60 s only the 85 remains: 85 + 2 fits.
  EXPECT_EQ(limiter.wait_for(2, at(60)), core::Duration(0));
  limiter.charge(0, at(60));  // nothing to record
  EXPECT_EQ(limiter.used(at(60)), 85);
}

TEST(RollingWeightLimiter, APauseAfterA429HoldsEveryCallUntilItEnds) {
  RollingWeightLimiter limiter(1200);
  limiter.pause_until(at(7));
  EXPECT_EQ(limiter.wait_for(1, at(0)), seconds(7));  // the window is empty, the pause alone counts
  EXPECT_EQ(limiter.try_acquire(1, at(3)), seconds(4));
  limiter.pause_until(at(5));  // earlier than the pause in force: ignored
  EXPECT_EQ(limiter.paused_until(at(3)), at(7));
  EXPECT_EQ(limiter.try_acquire(1, at(7)), core::Duration(0));
  EXPECT_EQ(limiter.paused_until(at(7)), std::nullopt);
}

TEST(RollingWeightLimiter, TheLongerOfPauseAndWindowWaitWins) {
  RollingWeightLimiter limiter(10);
  ASSERT_EQ(limiter.try_acquire(10, at(0)), core::Duration(0));
  limiter.pause_until(at(5));
  EXPECT_EQ(limiter.wait_for(1, at(1)), seconds(59));  // window: 60 − 1 = 59 s > pause: 4 s
  limiter.pause_until(at(90));
  EXPECT_EQ(limiter.wait_for(1, at(1)), seconds(89));
}

TEST(RollingWeightLimiter, RecordsAChargeWithAnEarlierTimeAtTheNewestTime) {
  // Two threads reading the clock may charge out of order; the later-arriving one is kept at the newest time.
  RollingWeightLimiter limiter(100);
  ASSERT_EQ(limiter.try_acquire(10, at(30)), core::Duration(0));
  ASSERT_EQ(limiter.try_acquire(10, at(20)), core::Duration(0));
  EXPECT_EQ(limiter.used(at(80)), 20);  // had it been kept at 20 s it would have left at 80 s
  EXPECT_EQ(limiter.used(at(90)), 0);   // both leave at 30 + 60 s
}

TEST(RollingWeightLimiter, RefusesACallHeavierThanTheWholeLimitAsABrokenPrecondition) {
  RollingWeightLimiter limiter(50);
  EXPECT_THROW((void)limiter.wait_for(51, at(0)), core::InvariantError);
  EXPECT_THROW((void)limiter.try_acquire(0, at(0)), core::InvariantError);
  EXPECT_THROW(RollingWeightLimiter(0), core::InvariantError);
}

}  // namespace
}  // namespace ballast::adapters::hyperliquid
