#include "ballast/execution/participation_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::execution {

using core::Decimal;
using core::RoundingMode;

namespace {

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

}  // namespace

core::Result<std::unique_ptr<PovAlgorithm>> PovAlgorithm::create(ParentOrder parent, const model::Instrument& instrument,
                                                                 const PovConfig& config) {
  BALLAST_TRY(validate_parent(parent, instrument));
  if (!(config.rate > 0.0 && config.rate < 1.0)) {
    return invalid(fmt::format("rate must be in (0, 1), got {}", config.rate), "rate");
  }
  if (config.min_child.is_negative()) return invalid("min_child must be >= 0", "min_child");
  return std::unique_ptr<PovAlgorithm>(new PovAlgorithm(std::move(parent), instrument, config));
}

void PovAlgorithm::decide(const MarketState& market, std::vector<AlgoAction>& actions) {
  if (market.volume.is_negative()) return;
  observed_ += market.volume;
  const Decimal q = parent().quantity.value();
  // Two places below the step are enough (the child is rounded down to the step) and keep the product of a
  // large cumulative volume inside the 64-bit range.
  const int scale = std::min(Decimal::kMaxScale, q.scale() + 2);
  Decimal target = observed_.mul(Decimal::from_double(config_.rate, 12).value(), scale, RoundingMode::Down);
  target = std::min(target, q);
  set_scheduled(target);
  const Decimal filled = q - remaining();
  const Decimal deficit = target - filled - progress().working;
  if (deficit < config_.min_child || !deficit.is_positive()) return;
  submit_child(deficit, parent().pricing, market, actions);
}

core::Result<std::unique_ptr<IcebergAlgorithm>> IcebergAlgorithm::create(ParentOrder parent,
                                                                         const model::Instrument& instrument,
                                                                         const IcebergConfig& config) {
  BALLAST_TRY(validate_parent(parent, instrument));
  if (!parent.limit_price) return invalid("an iceberg needs the parent's limit price", "limit_price");
  if (!instrument.check_price_on_tick(*parent.limit_price)) {
    return invalid(fmt::format("limit price {} is not on the tick {}", parent.limit_price->to_string(),
                               instrument.tick_size().to_string()),
                   "limit_price");
  }
  if (!config.display_quantity.is_positive() || !instrument.check_quantity_on_step(config.display_quantity) ||
      config.display_quantity < instrument.min_quantity()) {
    return invalid(fmt::format("display quantity {} must be > 0, on the step {} and >= the minimum {}",
                               config.display_quantity.to_string(), instrument.step_size().to_string(),
                               instrument.min_quantity().to_string()),
                   "display_quantity");
  }
  if (!(config.display_randomisation >= 0.0 && config.display_randomisation <= 0.5)) {
    return invalid("display_randomisation must be in [0, 0.5]", "display_randomisation");
  }
  if (config.refresh_delay.count() < 0) return invalid("refresh_delay must be >= 0", "refresh_delay");
  return std::unique_ptr<IcebergAlgorithm>(new IcebergAlgorithm(std::move(parent), instrument, config));
}

void IcebergAlgorithm::decide(const MarketState& market, std::vector<AlgoAction>& actions) {
  set_scheduled(parent().quantity.value() - remaining() + progress().working);
  if (has_working()) {
    showing_ = true;
    return;
  }
  if (showing_) {  // the shown child just closed
    showing_ = false;
    emptied_at_ = market.now;
  }
  if (emptied_at_ && market.now - *emptied_at_ < config_.refresh_delay) return;
  Decimal display = config_.display_quantity.value();
  if (config_.display_randomisation > 0.0) {
    const double factor = 1.0 + (2.0 * random_.uniform() - 1.0) * config_.display_randomisation;
    const Decimal f = Decimal::from_double(factor, 12).value();
    display = display.mul(f, std::min(Decimal::kMaxScale, display.scale() + 12), RoundingMode::Down);
    display = std::max(display, instrument().min_quantity().value());
  }
  // The last slice takes the whole remainder when what would be left is below the minimum quantity.
  const Decimal rest = unplaced();
  if (rest - display < instrument().min_quantity().value()) display = rest;
  if (submit_child_at(display, *parent().limit_price, model::TimeInForce::Gtc, market, actions).is_positive()) {
    showing_ = true;
  }
}

}  // namespace ballast::execution
