#include "ballast/server/paced_clock.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>
#include <cmath>

namespace ballast::server {

PacedClock::PacedClock(const core::Clock& wall, core::UnixNanos market_origin, double speed)
    : wall_(&wall), wall_origin_(wall.now()), market_origin_(market_origin), speed_(speed) {
  BALLAST_REQUIRE(speed > 0.0 && std::isfinite(speed), "PacedClock: speed must be positive");
  last_.store(market_origin.value, std::memory_order_relaxed);
}

core::UnixNanos PacedClock::now() const {
  const std::int64_t elapsed = wall_->now().value - wall_origin_.value;
  const std::int64_t market =
      market_origin_.value +
      (speed_ == 1.0 ? elapsed : static_cast<std::int64_t>(std::llround(static_cast<double>(elapsed) * speed_)));
  std::int64_t last = last_.load(std::memory_order_relaxed);
  while (market > last && !last_.compare_exchange_weak(last, market, std::memory_order_relaxed)) {
  }
  return core::UnixNanos(std::max(market, last));
}

std::int64_t PacedClock::wall_nanos_until(core::UnixNanos t) const {
  const std::int64_t ahead = t.value - now().value;
  if (ahead <= 0) return 0;
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(ahead) / speed_));
}

}  // namespace ballast::server
