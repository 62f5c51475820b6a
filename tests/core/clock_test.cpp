// TestClock is driven by hand; LiveClock reads the system clock, so only a sane range is asserted
// (never ordering between two reads, and never elapsed time).

#include "ballast/core/clock.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ballast::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// 2024-01-01T00:00:00Z = 1704067200 s (19723 days × 86400 s).
const UnixNanos kNewYear2024 = UnixNanos::from_seconds(1'704'067'200);

TEST(TestClock, StartsAtTheEpochByDefault) {
  const TestClock clock;
  EXPECT_EQ(clock.now().value, 0);
}

TEST(TestClock, StartsAtTheGivenTime) {
  const TestClock clock(kNewYear2024);
  EXPECT_EQ(clock.now(), kNewYear2024);
}

TEST(TestClock, SetTimeMovesForward) {
  TestClock clock(kNewYear2024);
  clock.set_time(kNewYear2024 + seconds(5));
  EXPECT_EQ(clock.now().value, kNewYear2024.value + 5 * kNanosPerSecond);
}

TEST(TestClock, SetTimeToTheSameInstantIsAllowed) {
  TestClock clock(kNewYear2024);
  EXPECT_NO_THROW(clock.set_time(kNewYear2024));
  EXPECT_EQ(clock.now(), kNewYear2024);
}

TEST(TestClock, RefusesToGoBackwards) {
  TestClock clock(kNewYear2024);
  EXPECT_THROW(clock.set_time(kNewYear2024 - nanoseconds(1)), InvariantError);
  EXPECT_EQ(clock.now(), kNewYear2024);  // unchanged by the refused call
}

TEST(TestClock, BackwardsErrorNamesBothInstants) {
  TestClock clock(kNewYear2024);
  try {
    clock.set_time(kNewYear2024 - hours(1));
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("now=2024-01-01T00:00:00Z"), std::string::npos) << what;
    EXPECT_NE(what.find("requested=2023-12-31T23:00:00Z"), std::string::npos) << what;
  }
}

TEST(TestClock, AdvanceAddsTheDuration) {
  TestClock clock(kNewYear2024);
  clock.advance(milliseconds(250));
  clock.advance(nanoseconds(1));
  EXPECT_EQ(clock.now().value, kNewYear2024.value + 250 * kNanosPerMilli + 1);
  clock.advance(nanoseconds(0));
  EXPECT_EQ(clock.now().value, kNewYear2024.value + 250 * kNanosPerMilli + 1);
}

TEST(TestClock, RefusesToAdvanceByANegativeDuration) {
  TestClock clock(kNewYear2024);
  EXPECT_THROW(clock.advance(nanoseconds(-1)), InvariantError);
  EXPECT_EQ(clock.now(), kNewYear2024);
}

TEST(TestClock, WorksThroughTheClockInterface) {
  TestClock test_clock(kNewYear2024);
  const Clock& clock = test_clock;
  test_clock.advance(seconds(60));
  EXPECT_EQ(format_iso8601(clock.now()), "2024-01-01T00:01:00Z");
}

TEST(LiveClock, ReadsAWallClockTimeInASaneRange) {
  // 2020-01-01T00:00:00Z = 1577836800 s; 2100-01-01T00:00:00Z = 4102444800 s.
  const LiveClock live;
  const Clock& clock = live;
  const UnixNanos now = clock.now();
  EXPECT_GT(now, UnixNanos::from_seconds(1'577'836'800));
  EXPECT_LT(now, UnixNanos::from_seconds(4'102'444'800));
}

}  // namespace
}  // namespace ballast::core
