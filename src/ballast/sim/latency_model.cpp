#include "ballast/sim/latency_model.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::sim {

core::Result<FixedLatency> FixedLatency::create(core::Duration delay) {
  if (delay.count() < 0) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("latency must be >= 0, got {}", core::format_duration(delay)), "latency");
  }
  return FixedLatency(delay);
}

core::Result<UniformLatency> UniformLatency::create(core::Duration low, core::Duration high, std::uint64_t seed) {
  if (low.count() < 0 || high < low) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("uniform latency needs 0 <= low <= high, got [{}, {}]", core::format_duration(low),
                                   core::format_duration(high)),
                       "latency");
  }
  return UniformLatency(low, high, seed);
}

core::Duration UniformLatency::next() {
  // floor(u·(n + 1)) for u uniform on [0, 1) is uniform on {0, …, n} (to 2⁻⁵³ for spans below 2⁵³ ns).
  const double span = static_cast<double>(high_.count() - low_.count()) + 1.0;
  auto offset = static_cast<std::int64_t>(std::floor(random_.uniform() * span));
  offset = std::min<std::int64_t>(offset, high_.count() - low_.count());
  return low_ + core::Duration(offset);
}

}  // namespace ballast::sim
