#pragma once
// TimerService: named time alerts (fire once) and timers (fire every interval), driven by the kernel.
//
// Semantics:
//  - set_time_alert(name, t, cb) fires once at t. An alert at or before now is due at once: it fires
//    on the next advance_to()/fire_due().
//  - set_timer(name, interval, start, stop, cb) fires at start + interval, start + 2·interval, … up to
//    and including `stop` when given (a timer started at 09:00 with a 1-minute interval first fires at
//    09:01). A start in the past makes the missed events due at once: they all fire, in order.
//  - Names are unique among live timers and alerts; reusing one is an AlreadyExists error. A one-shot
//    alert, and a timer on its last event, is removed BEFORE its callback runs, so the callback may
//    reuse the name (re-arm).
//  - Events fire in time order; events at the same time fire in the creation order of their timers
//    (a repeating timer keeps its creation rank for every event).
//  - Callbacks may set and cancel timers, including their own. A cancelled timer fires no more events,
//    even ones already due in the current advance. A new timer due within the current advance fires
//    within it, in time order.
//  - TimeEvent::name points into the timer's storage and is valid only during the callback.
//
// Clocks: the service reads now() from the Clock it was given. Backtests build it on a TestClock and
// call advance_to(t): before each callback the TestClock is moved to the event's time (never
// backwards), and to t at the end, so a callback that reads the clock sees its own event's time. Live
// code calls fire_due(clock.now()) from the kernel loop, sleeping until next_deadline() in between;
// fire_due() never moves a clock. Neither may be called from inside a timer callback.
//
// Threading: single-threaded (the kernel thread).

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ballast::runtime {

struct TimeEvent {
  std::string_view name;    // the timer's name; valid only during the callback
  core::UnixNanos ts_event;  // when the event was scheduled to fire
  core::UnixNanos ts_init;   // clock time when it was delivered (>= ts_event under advance_to)
};

using TimerCallback = std::function<void(const TimeEvent&)>;

class TimerService {
 public:
  // Live (or any) clock: use fire_due().
  explicit TimerService(core::Clock& clock);
  // Test clock: advance_to() is available and moves the clock.
  explicit TimerService(core::TestClock& clock);
  ~TimerService();
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  // Errors: empty name (InvalidArgument), name in use (AlreadyExists).
  core::Status set_time_alert(std::string_view name, core::UnixNanos time, TimerCallback callback);
  // Errors: as above, plus a non-positive interval, or a stop before the first event (InvalidArgument).
  core::Status set_timer(std::string_view name, core::Duration interval, core::UnixNanos start,
                         std::optional<core::UnixNanos> stop, TimerCallback callback);
  // Removes the timer or alert; false when no live timer has that name.
  bool cancel(std::string_view name);
  void cancel_all();

  bool has_timer(std::string_view name) const;
  std::size_t timer_count() const noexcept { return by_name_.size(); }
  std::vector<std::string> timer_names() const;  // sorted
  // Time of the earliest pending event, if any.
  std::optional<core::UnixNanos> next_deadline();
  // The next time the named timer fires.
  std::optional<core::UnixNanos> next_time(std::string_view name) const;

  // Fires every event due at or before t in order, moving the TestClock (see header). Requires a
  // TestClock and t >= now. Returns the number of callbacks run.
  std::size_t advance_to(core::UnixNanos t);
  // Fires every event due at or before now in order, without touching the clock.
  std::size_t fire_due(core::UnixNanos now);

 private:
  struct Timer {
    std::string name;
    std::uint64_t rank = 0;          // creation order: tie-break between equal times
    core::UnixNanos next;            // time of the next event
    core::Duration interval{0};      // zero for a one-shot alert
    std::optional<core::UnixNanos> stop;
    TimerCallback callback;
    bool live = true;                // false once cancelled or finished
  };
  struct QueueEntry {
    core::UnixNanos time;
    std::uint64_t rank;
    std::shared_ptr<Timer> timer;
  };
  struct Later {
    bool operator()(const QueueEntry& a, const QueueEntry& b) const noexcept {
      return a.time != b.time ? a.time > b.time : a.rank > b.rank;
    }
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  core::Status check_name(std::string_view name) const;
  void schedule(std::shared_ptr<Timer> timer);
  void drop_stale();
  std::size_t run_due(core::UnixNanos until, bool move_clock);

  core::Clock& clock_;
  core::TestClock* test_clock_ = nullptr;
  std::unordered_map<std::string, std::shared_ptr<Timer>, StringHash, std::equal_to<>> by_name_;
  // Entries whose timer is no longer live, or whose time is not the timer's next, are stale and
  // skipped (lazy deletion keeps cancel O(1)).
  std::priority_queue<QueueEntry, std::vector<QueueEntry>, Later> queue_;
  std::uint64_t next_rank_ = 0;
  bool firing_ = false;
};

}  // namespace ballast::runtime
