#pragma once
// Clock: the only source of "now". LiveClock is the one place that reads the system clock;
// TestClock is set and advanced explicitly (backtests, tests). Timers live in runtime/.

#include "ballast/core/time.hpp"

namespace ballast::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixNanos now() const = 0;
};

// Wall-clock UTC time from std::chrono::system_clock.
class LiveClock final : public Clock {
 public:
  UnixNanos now() const override;
};

// Deterministic clock. Time never goes backwards: set_time() with an earlier time is a broken invariant.
class TestClock final : public Clock {
 public:
  explicit TestClock(UnixNanos start = UnixNanos(0)) : now_(start) {}
  UnixNanos now() const override { return now_; }
  void set_time(UnixNanos t) {
    if (t < now_) [[unlikely]] refuse_backwards(t);
    now_ = t;
  }
  void advance(Duration d);

 private:
  [[noreturn]] void refuse_backwards(UnixNanos t) const;
  UnixNanos now_;
};

}  // namespace ballast::core
