#pragma once
// Latency: how long an order, cancel or modify takes to reach the simulated venue after it is sent
// (and, the same again, for the venue's answer to come back). The venue acts on a request only once
// it has arrived: in bar mode, on the first bar that starts at or after the arrival time (the price
// at an instant inside a bar is unknown, so a request never trades on a bar it arrived during).
//
// Models: FixedLatency(d) always d; UniformLatency(lo, hi) a seeded draw uniform on [lo, hi] (whole
// nanoseconds), reproducible from its seed (analytics::RandomStream).

#include "ballast/analytics/random_stream.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstdint>
#include <string_view>

namespace ballast::sim {

class LatencyModel {
 public:
  virtual ~LatencyModel() = default;
  virtual std::string_view name() const noexcept = 0;
  // The next one-way delay (>= 0).
  virtual core::Duration next() = 0;
};

class FixedLatency final : public LatencyModel {
 public:
  // delay >= 0.
  static core::Result<FixedLatency> create(core::Duration delay);
  std::string_view name() const noexcept override { return "FIXED"; }
  core::Duration next() override { return delay_; }

 private:
  explicit FixedLatency(core::Duration delay) : delay_(delay) {}
  core::Duration delay_;
};

class UniformLatency final : public LatencyModel {
 public:
  // 0 <= low <= high.
  static core::Result<UniformLatency> create(core::Duration low, core::Duration high, std::uint64_t seed);
  std::string_view name() const noexcept override { return "UNIFORM"; }
  core::Duration next() override;

 private:
  UniformLatency(core::Duration low, core::Duration high, std::uint64_t seed)
      : low_(low), high_(high), random_(seed) {}
  core::Duration low_;
  core::Duration high_;
  analytics::RandomStream random_;
};

}  // namespace ballast::sim
