// RequestWeightLimiter: Binance's REQUEST_WEIGHT budget per calendar minute, driven by explicit times.

#include "ballast/adapters/binance_futures/weight_limiter.hpp"

#include <gtest/gtest.h>

namespace ballast::adapters::binance {
namespace {

// 2023-11-14T22:13:00Z = 1 699 999 980 000 ms, a minute boundary (1 699 999 980 000 / 60 000 = 28 333 333).
constexpr core::UnixNanos kMinute = core::UnixNanos::from_millis(1'699'999'980'000);

TEST(RequestWeightLimiter, LetsCallsThroughUntilTheMinutesLimitThenWaitsForTheNextMinute) {
  RequestWeightLimiter limiter(10);
  const core::UnixNanos t = kMinute + std::chrono::seconds(15);
  EXPECT_EQ(limiter.wait_for(5, t), core::Duration(0));
  limiter.on_sent(5, t);
  EXPECT_EQ(limiter.wait_for(5, t), core::Duration(0));  // 5 + 5 = 10 is still within the limit
  limiter.on_sent(5, t);
  EXPECT_EQ(limiter.wait_for(1, t), std::chrono::seconds(45));  // 11 > 10: wait until :00 of the next minute
  EXPECT_EQ(limiter.wait_for(1, kMinute + std::chrono::seconds(60)), core::Duration(0));  // new minute, count 0
}

TEST(RequestWeightLimiter, TheVenuesReportedWeightReplacesTheLocalCount) {
  RequestWeightLimiter limiter(2400);
  const core::UnixNanos t = kMinute + std::chrono::seconds(1);
  limiter.on_sent(1, t);
  limiter.on_reported(2395, t);  // other processes on the same IP used the rest
  EXPECT_EQ(limiter.used(t), 2395);
  EXPECT_EQ(limiter.wait_for(5, t), core::Duration(0));
  EXPECT_EQ(limiter.wait_for(6, t), std::chrono::seconds(59));
}

TEST(RequestWeightLimiter, AnswersAFiniteWaitForACallHeavierThanTheWholeLimit) {
  // A weight above the limit cannot fit in any minute; the limiter still answers a finite wait
  // (the next minute), and the venue decides.
  RequestWeightLimiter limiter(3);
  EXPECT_EQ(limiter.wait_for(40, kMinute), std::chrono::seconds(60));
}

}  // namespace
}  // namespace ballast::adapters::binance
