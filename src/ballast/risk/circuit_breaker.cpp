#include "ballast/risk/circuit_breaker.hpp"

#include <fmt/format.h>

#include <utility>

namespace ballast::risk {

CircuitBreaker::CircuitBreaker(const CircuitBreakerConfig& config, std::optional<core::InstrumentId> instrument)
    : config_(&config), instrument_(instrument ? std::move(instrument) : config.instrument_id) {}

BreakerTransition CircuitBreaker::evaluate(const std::optional<BreakerMeasurement>& measurement,
                                           core::UnixNanos now) {
  if (measurement) last_ = measurement;
  const bool met = measurement && measurement->met;
  switch (state_) {
    case BreakerState::Armed:
      if (!met || !config_->enabled) return BreakerTransition::None;
      state_ = BreakerState::Tripped;
      trip_ = measurement;
      tripped_at_ = now;
      cooldown_until_ = now + config_->cooldown;
      ++trips_;
      return BreakerTransition::Triggered;
    case BreakerState::Tripped:
      if (met) return BreakerTransition::None;
      state_ = BreakerState::CoolingDown;
      return try_rearm(now);
    case BreakerState::CoolingDown:
      if (met) {
        state_ = BreakerState::Tripped;  // the condition came back: still the same episode
        return BreakerTransition::None;
      }
      return try_rearm(now);
  }
  return BreakerTransition::None;
}

BreakerTransition CircuitBreaker::on_time(core::UnixNanos now) { return try_rearm(now); }

BreakerTransition CircuitBreaker::try_rearm(core::UnixNanos now) {
  if (state_ != BreakerState::CoolingDown || config_->reset != ResetPolicy::Automatic) return BreakerTransition::None;
  if (cooldown_until_ && now < *cooldown_until_) return BreakerTransition::None;
  state_ = BreakerState::Armed;
  return BreakerTransition::Rearmed;
}

bool CircuitBreaker::reset() {
  if (state_ == BreakerState::Armed) return false;
  state_ = BreakerState::Armed;
  return true;
}

BreakerStatus CircuitBreaker::status() const {
  return BreakerStatus{config_->name, instrument_, state_, last_, trip_, tripped_at_, cooldown_until_, trips_};
}

core::Status CircuitBreaker::restore(const BreakerStatus& status) {
  if (status.name != config_->name) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("breaker status of '{}' cannot restore breaker '{}'", status.name, config_->name));
  }
  state_ = status.state;
  last_ = status.last_measurement;
  trip_ = status.trip_measurement;
  tripped_at_ = status.tripped_at;
  cooldown_until_ = status.cooldown_until;
  trips_ = status.trips;
  return core::ok();
}

}  // namespace ballast::risk
