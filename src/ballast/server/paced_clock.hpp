#pragma once
// PacedClock: market time for paper trading. It runs `speed` market seconds per wall-clock second from
// `market_origin`, reading the wall through another Clock (LiveClock in `ballast serve`, a TestClock in
// tests), so only LiveClock ever reads the system clock. At speed 1 with the origin at the wall's now it
// is the wall clock. Never goes backwards, even when the wall clock is stepped back (NTP): it holds the
// last value until the wall catches up. Thread-safe (the HTTP threads read it for timestamps).

#include "ballast/core/clock.hpp"

#include <atomic>
#include <cstdint>

namespace ballast::server {

class PacedClock final : public core::Clock {
 public:
  // speed > 0 (BALLAST_REQUIRE).
  PacedClock(const core::Clock& wall, core::UnixNanos market_origin, double speed);

  core::UnixNanos now() const override;
  double speed() const noexcept { return speed_; }
  // Wall-clock nanoseconds until the market clock reaches `t` (0 if it already has).
  std::int64_t wall_nanos_until(core::UnixNanos t) const;

 private:
  const core::Clock* wall_;
  core::UnixNanos wall_origin_;
  core::UnixNanos market_origin_;
  double speed_;
  mutable std::atomic<std::int64_t> last_{0};
};

}  // namespace ballast::server
