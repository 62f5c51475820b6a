#include "ballast/runtime/timer_service.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/core/error.hpp"
#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ballast::runtime {
namespace {

using core::ErrorCode;
using core::UnixNanos;
using std::chrono::minutes;
using std::chrono::seconds;

const UnixNanos kT0 = UnixNanos::from_seconds(1'700'000'000);

struct Fired {
  std::string name;
  UnixNanos ts_event;
  UnixNanos ts_init;
  friend bool operator==(const Fired&, const Fired&) = default;
};

// Records every event it sees, with the clock as the callback observes it.
struct Recorder {
  std::vector<Fired> events;
  TimerCallback callback() {
    return [this](const TimeEvent& e) { events.push_back(Fired{std::string(e.name), e.ts_event, e.ts_init}); };
  }
};

TEST(TimerService, AlertFiresOnceAtItsTimeAndMovesTheTestClock) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_time_alert("alert", kT0 + seconds(5), rec.callback()));
  EXPECT_EQ(timers.next_deadline(), kT0 + seconds(5));
  EXPECT_EQ(timers.advance_to(kT0 + seconds(4)), 0u);
  EXPECT_EQ(clock.now(), kT0 + seconds(4));
  EXPECT_EQ(timers.advance_to(kT0 + seconds(10)), 1u);
  EXPECT_EQ(rec.events, (std::vector<Fired>{{"alert", kT0 + seconds(5), kT0 + seconds(5)}}));
  EXPECT_EQ(clock.now(), kT0 + seconds(10));
  EXPECT_FALSE(timers.has_timer("alert"));
  EXPECT_FALSE(timers.next_deadline().has_value());
  EXPECT_EQ(timers.advance_to(kT0 + seconds(60)), 0u);
}

TEST(TimerService, TimerFiresSeveralTimesInOneAdvanceEachAtItsOwnTime) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_timer("bar", minutes(1), kT0, std::nullopt, rec.callback()));
  EXPECT_EQ(timers.advance_to(kT0 + minutes(3) + seconds(30)), 3u);
  EXPECT_EQ(rec.events, (std::vector<Fired>{{"bar", kT0 + minutes(1), kT0 + minutes(1)},
                                            {"bar", kT0 + minutes(2), kT0 + minutes(2)},
                                            {"bar", kT0 + minutes(3), kT0 + minutes(3)}}));
  EXPECT_EQ(timers.next_deadline(), kT0 + minutes(4));
  EXPECT_EQ(timers.next_time("bar"), kT0 + minutes(4));
  EXPECT_EQ(clock.now(), kT0 + minutes(3) + seconds(30));
}

TEST(TimerService, TimerStopsAfterItsStopTimeInclusive) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_timer("t", minutes(1), kT0, kT0 + minutes(3), rec.callback()));
  EXPECT_EQ(timers.advance_to(kT0 + minutes(10)), 3u);
  EXPECT_EQ(rec.events.back().ts_event, kT0 + minutes(3));
  EXPECT_EQ(timers.timer_count(), 0u);
}

TEST(TimerService, EventsFromSeveralTimersFireInTimeOrder) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_timer("minute", minutes(1), kT0, std::nullopt, rec.callback()));
  ASSERT_TRUE(timers.set_time_alert("ninety", kT0 + seconds(90), rec.callback()));
  timers.advance_to(kT0 + minutes(2));
  ASSERT_EQ(rec.events.size(), 3u);
  EXPECT_EQ(rec.events[0], (Fired{"minute", kT0 + seconds(60), kT0 + seconds(60)}));
  EXPECT_EQ(rec.events[1], (Fired{"ninety", kT0 + seconds(90), kT0 + seconds(90)}));
  EXPECT_EQ(rec.events[2], (Fired{"minute", kT0 + seconds(120), kT0 + seconds(120)}));
}

TEST(TimerService, EventsAtTheSameTimeFireInTimerCreationOrder) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  // "zeta" is created first, so it fires first at every shared time, whatever the names.
  ASSERT_TRUE(timers.set_timer("zeta", seconds(10), kT0, std::nullopt, rec.callback()));
  ASSERT_TRUE(timers.set_time_alert("alpha", kT0 + seconds(20), rec.callback()));
  ASSERT_TRUE(timers.set_timer("beta", seconds(5), kT0, std::nullopt, rec.callback()));
  timers.advance_to(kT0 + seconds(20));
  std::vector<std::string> names;
  for (const auto& e : rec.events) names.push_back(e.name + "@" + std::to_string((e.ts_event - kT0).count() / 1'000'000'000));
  EXPECT_EQ(names, (std::vector<std::string>{"beta@5", "zeta@10", "beta@10", "beta@15", "zeta@20", "alpha@20", "beta@20"}));
}

TEST(TimerService, CancellationInsideACallbackStopsPendingEvents) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  int self_cancelling = 0;
  ASSERT_TRUE(timers.set_time_alert("killer", kT0 + seconds(1), [&](const TimeEvent&) {
    EXPECT_TRUE(timers.cancel("victim"));  // due later in this same advance
  }));
  ASSERT_TRUE(timers.set_time_alert("victim", kT0 + seconds(2), rec.callback()));
  ASSERT_TRUE(timers.set_timer("self", seconds(1), kT0, std::nullopt, [&](const TimeEvent& e) {
    ++self_cancelling;
    if (self_cancelling == 2) {
      EXPECT_TRUE(timers.cancel(e.name));
      EXPECT_EQ(e.name, "self");  // the name stays readable after cancelling
    }
  }));
  EXPECT_EQ(timers.advance_to(kT0 + seconds(10)), 3u);  // killer + self twice
  EXPECT_TRUE(rec.events.empty());
  EXPECT_EQ(self_cancelling, 2);
  EXPECT_EQ(timers.timer_count(), 0u);
}

TEST(TimerService, DuplicateNameIsAnError) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_time_alert("x", kT0 + seconds(1), rec.callback()));
  auto dup = timers.set_timer("x", seconds(1), kT0, std::nullopt, rec.callback());
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::AlreadyExists);
  auto dup2 = timers.set_time_alert("x", kT0 + seconds(2), rec.callback());
  ASSERT_FALSE(dup2);
  EXPECT_EQ(dup2.error().code(), ErrorCode::AlreadyExists);
  // Once cancelled (or fired), the name is free again.
  EXPECT_TRUE(timers.cancel("x"));
  EXPECT_FALSE(timers.cancel("x"));
  EXPECT_TRUE(timers.set_time_alert("x", kT0 + seconds(2), rec.callback()));
}

TEST(TimerService, RejectsInvalidTimers) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  EXPECT_EQ(timers.set_timer("t", seconds(0), kT0, std::nullopt, rec.callback()).error().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(timers.set_timer("t", seconds(-1), kT0, std::nullopt, rec.callback()).error().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(timers.set_timer("t", seconds(10), kT0, kT0 + seconds(5), rec.callback()).error().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(timers.set_time_alert("", kT0, rec.callback()).error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(timers.timer_count(), 0u);
}

TEST(TimerService, AlertCanReArmItselfUnderTheSameName) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  int fires = 0;
  std::function<void(const TimeEvent&)> rearm = [&](const TimeEvent& e) {
    ++fires;
    if (fires < 3) {
      ASSERT_TRUE(timers.set_time_alert(e.name, e.ts_event + seconds(10), rearm));
    }
  };
  ASSERT_TRUE(timers.set_time_alert("again", kT0 + seconds(10), rearm));
  EXPECT_EQ(timers.advance_to(kT0 + minutes(5)), 3u);  // the re-armed alerts are due within the advance
  EXPECT_EQ(fires, 3);
  EXPECT_FALSE(timers.has_timer("again"));
}

TEST(TimerService, AlertInThePastFiresOnTheNextAdvanceWithoutMovingTheClockBack) {
  core::TestClock clock(kT0 + seconds(10));
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_time_alert("late", kT0 + seconds(5), rec.callback()));
  EXPECT_EQ(timers.advance_to(kT0 + seconds(10)), 1u);
  EXPECT_EQ(rec.events, (std::vector<Fired>{{"late", kT0 + seconds(5), kT0 + seconds(10)}}));
  EXPECT_EQ(clock.now(), kT0 + seconds(10));
}

TEST(TimerService, FireDueRunsDueEventsWithoutTouchingTheClock) {
  core::TestClock test_clock(kT0);
  core::Clock& clock = test_clock;
  TimerService timers(clock);  // as live code would: a plain Clock
  Recorder rec;
  ASSERT_TRUE(timers.set_timer("t", seconds(1), kT0, std::nullopt, rec.callback()));
  EXPECT_EQ(timers.fire_due(kT0 + seconds(2)), 2u);
  EXPECT_EQ(clock.now(), kT0);  // never moved
  EXPECT_EQ(rec.events[1], (Fired{"t", kT0 + seconds(2), kT0}));
  EXPECT_THROW(timers.advance_to(kT0 + seconds(5)), core::InvariantError);
}

TEST(TimerService, AdvancingFromInsideACallbackIsABrokenInvariant) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  bool threw = false;
  ASSERT_TRUE(timers.set_time_alert("a", kT0 + seconds(1), [&](const TimeEvent&) {
    try {
      timers.advance_to(kT0 + seconds(2));
    } catch (const core::InvariantError&) {
      threw = true;
    }
  }));
  timers.advance_to(kT0 + seconds(5));
  EXPECT_TRUE(threw);
}

TEST(TimerService, NextDeadlineSkipsCancelledTimersAndNamesAreListedSorted) {
  core::TestClock clock(kT0);
  TimerService timers(clock);
  Recorder rec;
  ASSERT_TRUE(timers.set_time_alert("b", kT0 + seconds(1), rec.callback()));
  ASSERT_TRUE(timers.set_time_alert("a", kT0 + seconds(2), rec.callback()));
  EXPECT_EQ(timers.timer_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(timers.cancel("b"));
  EXPECT_EQ(timers.next_deadline(), kT0 + seconds(2));
  timers.cancel_all();
  EXPECT_FALSE(timers.next_deadline().has_value());
  EXPECT_EQ(timers.advance_to(kT0 + seconds(5)), 0u);
}

}  // namespace
}  // namespace ballast::runtime
