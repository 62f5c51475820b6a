#include "ballast/adapters/hyperliquid/rolling_weight_limiter.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>

namespace ballast::adapters::hyperliquid {

RollingWeightLimiter::RollingWeightLimiter(std::int64_t limit, core::Duration window) : limit_(limit), window_(window) {
  BALLAST_REQUIRE(limit > 0, "the weight limit must be positive");
  BALLAST_REQUIRE(window.count() > 0, "the window must be positive");
}

void RollingWeightLimiter::expire(core::UnixNanos now) const {
  // A charge made at t counts while now < t + window.
  while (!charges_.empty() && charges_.front().at_ns + window_.count() <= now.value) {
    total_ -= charges_.front().weight;
    charges_.pop_front();
  }
}

std::int64_t RollingWeightLimiter::used(core::UnixNanos now) const {
  std::lock_guard lock(mutex_);
  expire(now);
  return total_;
}

core::Duration RollingWeightLimiter::wait_locked(std::int64_t weight, core::UnixNanos now) const {
  BALLAST_REQUIRE(weight > 0 && weight <= limit_, "a call's weight must be in 1..limit");
  expire(now);
  core::Duration wait(0);
  if (paused_until_ && *paused_until_ > now) wait = *paused_until_ - now;
  std::int64_t excess = total_ + weight - limit_;
  if (excess <= 0) return wait;
  // The oldest charges leave first: the call fits once enough of them have gone.
  for (const Charge& c : charges_) {
    excess -= c.weight;
    if (excess <= 0) return std::max(wait, core::Duration(c.at_ns + window_.count() - now.value));
  }
  // Unreachable: with every charge gone the call's own weight (<= limit) fits.
  return std::max(wait, window_);
}

core::Duration RollingWeightLimiter::wait_for(std::int64_t weight, core::UnixNanos now) const {
  std::lock_guard lock(mutex_);
  return wait_locked(weight, now);
}

void RollingWeightLimiter::record(std::int64_t weight, core::UnixNanos now) {
  const std::int64_t at = charges_.empty() ? now.value : std::max(now.value, charges_.back().at_ns);
  charges_.push_back(Charge{at, weight});
  total_ += weight;
}

core::Duration RollingWeightLimiter::try_acquire(std::int64_t weight, core::UnixNanos now) {
  std::lock_guard lock(mutex_);
  const core::Duration wait = wait_locked(weight, now);
  if (wait.count() == 0) record(weight, now);
  return wait;
}

void RollingWeightLimiter::charge(std::int64_t weight, core::UnixNanos now) {
  if (weight <= 0) return;
  std::lock_guard lock(mutex_);
  expire(now);
  record(weight, now);
}

void RollingWeightLimiter::pause_until(core::UnixNanos until) {
  std::lock_guard lock(mutex_);
  if (!paused_until_ || until > *paused_until_) paused_until_ = until;
}

std::optional<core::UnixNanos> RollingWeightLimiter::paused_until(core::UnixNanos now) const {
  std::lock_guard lock(mutex_);
  if (paused_until_ && *paused_until_ > now) return paused_until_;
  return std::nullopt;
}

}  // namespace ballast::adapters::hyperliquid
