#pragma once
// RequestWeightLimiter: Binance's REQUEST_WEIGHT budget per IP and per calendar minute of server time.
// The venue's own count (X-MBX-USED-WEIGHT-1M on every answer) is authoritative; between answers the
// limiter adds the weight of each call it lets through. A call whose weight would take the minute's
// total above the limit must wait for the next minute boundary; wait_for() says how long.
// Time is passed in (server time), so tests drive it with a TestClock.

#include <cstdint>

#include "ballast/core/time.hpp"

namespace ballast::adapters::binance {

class RequestWeightLimiter {
 public:
  explicit RequestWeightLimiter(std::int64_t limit_per_minute) : limit_(limit_per_minute) {}

  std::int64_t limit() const noexcept { return limit_; }
  void set_limit(std::int64_t limit_per_minute) noexcept { limit_ = limit_per_minute; }
  // Weight used in the minute that contains `now`.
  std::int64_t used(core::UnixNanos now) const noexcept;

  // Zero when a call of `weight` fits at `now`, else the time until the next minute starts.
  core::Duration wait_for(std::int64_t weight, core::UnixNanos now) const noexcept;
  // Records a call let through at `now`.
  void on_sent(std::int64_t weight, core::UnixNanos now) noexcept;
  // The venue's count from X-MBX-USED-WEIGHT-1M, observed at `now`.
  void on_reported(std::int64_t used_weight, core::UnixNanos now) noexcept;

 private:
  void roll(core::UnixNanos now) const noexcept;

  std::int64_t limit_;
  mutable std::int64_t window_start_ns_ = 0;
  mutable std::int64_t used_ = 0;
};

}  // namespace ballast::adapters::binance
