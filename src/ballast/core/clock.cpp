#include "ballast/core/clock.hpp"

#include <chrono>

namespace ballast::core {

UnixNanos LiveClock::now() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return UnixNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

void TestClock::refuse_backwards(UnixNanos t) const {
  throw_invariant_error("precondition", "t >= now_",
                        "TestClock cannot go backwards: now=" + format_iso8601(now_) + ", requested=" + format_iso8601(t),
                        __FILE__, __LINE__);
}

void TestClock::advance(Duration d) {
  BALLAST_REQUIRE(d.count() >= 0, "TestClock::advance needs a non-negative duration");
  now_ += d;
}

}  // namespace ballast::core
