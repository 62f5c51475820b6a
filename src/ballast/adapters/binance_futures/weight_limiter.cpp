#include "ballast/adapters/binance_futures/weight_limiter.hpp"

namespace ballast::adapters::binance {

void RequestWeightLimiter::roll(core::UnixNanos now) const noexcept {
  const std::int64_t start = core::floor_div(now.value, core::kNanosPerMinute) * core::kNanosPerMinute;
  if (start != window_start_ns_) {
    window_start_ns_ = start;
    used_ = 0;
  }
}

std::int64_t RequestWeightLimiter::used(core::UnixNanos now) const noexcept {
  roll(now);
  return used_;
}

core::Duration RequestWeightLimiter::wait_for(std::int64_t weight, core::UnixNanos now) const noexcept {
  roll(now);
  if (used_ + weight <= limit_) return core::Duration(0);
  return core::Duration(window_start_ns_ + core::kNanosPerMinute - now.value);
}

void RequestWeightLimiter::on_sent(std::int64_t weight, core::UnixNanos now) noexcept {
  roll(now);
  used_ += weight;
}

void RequestWeightLimiter::on_reported(std::int64_t used_weight, core::UnixNanos now) noexcept {
  roll(now);
  used_ = used_weight;
}

}  // namespace ballast::adapters::binance
