#pragma once
// CircuitBreaker: the state machine of one breaker (one CircuitBreakerConfig, and for a breaker that
// measures every instrument, one instance per instrument). It is fed BreakerMeasurements and the time;
// the risk monitor measures, executes the action and publishes the events.
//
//   ARMED ──met──▶ TRIPPED ──cleared──▶ COOLING_DOWN ──cool-down passed (AUTOMATIC)──▶ ARMED
//                     ▲                       │
//                     └────────met────────────┘   (no new trigger: one trip per episode)
//   any state ──reset() (operator)──▶ ARMED
//
//  - Trips when the measurement is met (value >= threshold; a value exactly at the threshold trips).
//    A measurement that is not available (nullopt) counts as "not met".
//  - No double trigger: TRIPPED and COOLING_DOWN never trigger again; after the cool-down an AUTOMATIC
//    breaker re-arms only once its condition has cleared, so a condition that stays met trips once.
//  - cooldown_until = trip time + config.cooldown. MANUAL breakers stay in COOLING_DOWN (or TRIPPED)
//    until reset(); reset() works for both policies and re-arms at once (a condition still met then
//    trips again on the next measurement — the operator asked for it).
// The config is referenced, not owned: it must outlive the breaker.

#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/risk/breaker_conditions.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"
#include "ballast/risk/risk_events.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ballast::risk {

enum class BreakerTransition { None, Triggered, Rearmed };

// A breaker's state, for the dashboard and for persistence (restore()).
struct BreakerStatus {
  std::string name{};
  std::optional<core::InstrumentId> instrument{};
  BreakerState state{BreakerState::Armed};
  std::optional<BreakerMeasurement> last_measurement{};
  std::optional<BreakerMeasurement> trip_measurement{};
  std::optional<core::UnixNanos> tripped_at{};
  std::optional<core::UnixNanos> cooldown_until{};
  std::int64_t trips{0};
  friend bool operator==(const BreakerStatus&, const BreakerStatus&) = default;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(const CircuitBreakerConfig& config, std::optional<core::InstrumentId> instrument = {});

  const CircuitBreakerConfig& config() const noexcept { return *config_; }
  const std::string& name() const noexcept { return config_->name; }
  // The instrument this instance measures (per-instrument conditions), or the configured one.
  const std::optional<core::InstrumentId>& instrument() const noexcept { return instrument_; }
  BreakerState state() const noexcept { return state_; }
  bool armed() const noexcept { return state_ == BreakerState::Armed; }
  bool in_cooldown(core::UnixNanos now) const noexcept { return cooldown_until_ && now < *cooldown_until_; }
  // True for a MANUAL breaker that tripped and waits for reset().
  bool awaiting_manual_reset() const noexcept {
    return state_ != BreakerState::Armed && config_->reset == ResetPolicy::Manual;
  }

  // Feeds the latest measurement at `now`.
  BreakerTransition evaluate(const std::optional<BreakerMeasurement>& measurement, core::UnixNanos now);
  // Time passed without a new measurement: an AUTOMATIC breaker whose condition cleared re-arms once its
  // cool-down has passed.
  BreakerTransition on_time(core::UnixNanos now);
  // Operator reset: back to ARMED (false when it already was).
  bool reset();

  const std::optional<BreakerMeasurement>& last_measurement() const noexcept { return last_; }
  const std::optional<BreakerMeasurement>& trip_measurement() const noexcept { return trip_; }
  const std::optional<core::UnixNanos>& tripped_at() const noexcept { return tripped_at_; }
  const std::optional<core::UnixNanos>& cooldown_until() const noexcept { return cooldown_until_; }
  std::int64_t trips() const noexcept { return trips_; }

  BreakerStatus status() const;
  // Takes over a persisted state (same breaker name required: InvalidArgument otherwise).
  core::Status restore(const BreakerStatus& status);

 private:
  BreakerTransition try_rearm(core::UnixNanos now);

  const CircuitBreakerConfig* config_;
  std::optional<core::InstrumentId> instrument_;
  BreakerState state_{BreakerState::Armed};
  std::optional<BreakerMeasurement> last_{};
  std::optional<BreakerMeasurement> trip_{};
  std::optional<core::UnixNanos> tripped_at_{};
  std::optional<core::UnixNanos> cooldown_until_{};
  std::int64_t trips_{0};
};

}  // namespace ballast::risk
