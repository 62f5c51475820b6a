#include "ballast/execution/schedule_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ballast::execution {

using core::Decimal;
using core::RoundingMode;
using core::UnixNanos;

namespace {

core::Error invalid(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

// Weights normalised to sum to 1.
std::vector<ScheduleSlice> normalised(const std::vector<UnixNanos>& starts, std::vector<double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  std::vector<ScheduleSlice> out;
  out.reserve(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) out.push_back({starts[i], weights[i] / total});
  return out;
}

}  // namespace

core::Result<std::vector<UnixNanos>> slice_starts(UnixNanos start, UnixNanos end, int slices,
                                                  std::optional<core::Duration> interval) {
  if (!(start < end)) return invalid("the horizon must end after it starts", "end");
  const std::int64_t horizon = (end - start).count();
  std::vector<UnixNanos> out;
  if (interval) {
    if (interval->count() <= 0) return invalid("slice interval must be > 0", "interval");
    const std::int64_t n = (horizon + interval->count() - 1) / interval->count();
    if (n > 100'000) return invalid(fmt::format("{} slices is too many (at most 100000)", n), "interval");
    for (std::int64_t k = 0; k < n; ++k) out.push_back(start + core::Duration(k * interval->count()));
    return out;
  }
  if (slices < 1 || slices > 100'000) return invalid(fmt::format("slices must be in [1, 100000], got {}", slices), "slices");
  for (int k = 0; k < slices; ++k) {
    const auto offset = static_cast<std::int64_t>(static_cast<core::Int128>(horizon) * k / slices);
    out.push_back(start + core::Duration(offset));
  }
  return out;
}

ScheduledAlgorithm::ScheduledAlgorithm(ParentOrder parent, const model::Instrument& instrument,
                                       std::vector<ScheduleSlice> schedule, bool respread,
                                       std::optional<double> max_participation)
    : ExecutionAlgorithm(std::move(parent), instrument),
      schedule_(std::move(schedule)),
      respread_(respread),
      max_participation_(max_participation) {}

void ScheduledAlgorithm::decide(const MarketState& market, std::vector<AlgoAction>& actions) {
  slice_volume_ += market.volume;
  bool new_slice = false;
  while (next_slice_ < schedule_.size() && market.now >= schedule_[next_slice_].start) {
    const std::size_t k = next_slice_++;
    new_slice = true;
    const Decimal q = parent().quantity.value();
    // Targets are rounded to the nearest at six places below the step: a share computed in double
    // (1/3 → 0.333333333333) must not cost a whole step when the child is rounded down to it.
    const int scale = std::min(Decimal::kMaxScale, q.scale() + 6);
    if (respread_) {
      double rest = 0.0;
      for (std::size_t j = k; j < schedule_.size(); ++j) rest += schedule_[j].weight;
      const double share = rest > 0.0 ? std::min(1.0, schedule_[k].weight / rest) : 1.0;
      const Decimal filled = q - remaining();
      target_ = std::min(q, filled + remaining().mul(Decimal::from_double(share, 12).value(), scale,
                                                     RoundingMode::HalfEven));
    } else {
      double cumulative = 0.0;
      for (std::size_t j = 0; j <= k; ++j) cumulative += schedule_[j].weight;
      target_ = k + 1 == schedule_.size() ? q
                                          : std::min(q, q.mul(Decimal::from_double(std::min(cumulative, 1.0), 12).value(),
                                                              scale, RoundingMode::HalfEven));
    }
    if (max_participation_ && slice_volume_.is_positive()) {
      cap_ = slice_volume_.mul(Decimal::from_double(*max_participation_, 12).value(),
                               std::min(Decimal::kMaxScale, q.scale() + 2), RoundingMode::Down);
    } else {
      cap_.reset();
    }
    slice_volume_ = Decimal{};
    placed_in_slice_ = Decimal{};
  }
  set_scheduled(target_);
  if (new_slice) cancel_working(actions);  // re-price at every slice start
  const Decimal filled = parent().quantity.value() - remaining();
  Decimal deficit = target_ - filled - progress().working;
  if (cap_) deficit = std::min(deficit, *cap_ - placed_in_slice_);
  if (!deficit.is_positive()) return;
  placed_in_slice_ += submit_child(deficit, parent().pricing, market, actions);
}

core::Result<std::unique_ptr<TwapAlgorithm>> TwapAlgorithm::create(ParentOrder parent, const model::Instrument& instrument,
                                                                   const TwapConfig& config) {
  BALLAST_TRY(validate_parent(parent, instrument));
  if (!(config.size_randomisation >= 0.0 && config.size_randomisation <= 0.9)) {
    return invalid("size_randomisation must be in [0, 0.9]", "size_randomisation");
  }
  if (!(config.timing_randomisation >= 0.0 && config.timing_randomisation <= 0.9)) {
    return invalid("timing_randomisation must be in [0, 0.9]", "timing_randomisation");
  }
  auto starts = slice_starts(parent.start, parent.end, config.slices, config.interval);
  if (!starts) return starts.error();
  analytics::RandomStream random(config.seed);
  const std::size_t n = starts->size();
  std::vector<double> weights(n, 1.0);
  if (config.size_randomisation > 0.0) {
    for (double& w : weights) w = 1.0 + (2.0 * random.uniform() - 1.0) * config.size_randomisation;
  }
  if (config.timing_randomisation > 0.0 && n > 1) {
    const double step = static_cast<double>((parent.end - parent.start).count()) / static_cast<double>(n);
    for (std::size_t k = 1; k < n; ++k) {  // the first slice starts with the order
      const double shift = (2.0 * random.uniform() - 1.0) * config.timing_randomisation * step / 2.0;
      (*starts)[k] = (*starts)[k] + core::Duration(static_cast<std::int64_t>(std::llround(shift)));
    }
    std::sort(starts->begin(), starts->end());
  }
  auto algo = std::unique_ptr<TwapAlgorithm>(
      new TwapAlgorithm(std::move(parent), instrument, normalised(*starts, std::move(weights)), false, std::nullopt));
  return algo;
}

core::Result<std::unique_ptr<VwapAlgorithm>> VwapAlgorithm::create(ParentOrder parent, const model::Instrument& instrument,
                                                                   const VwapConfig& config) {
  BALLAST_TRY(validate_parent(parent, instrument));
  if (config.max_participation && !(*config.max_participation > 0.0 && *config.max_participation <= 1.0)) {
    return invalid("max_participation must be in (0, 1]", "max_participation");
  }
  auto starts = slice_starts(parent.start, parent.end, config.slices, config.interval);
  if (!starts) return starts.error();
  // Expected volume in each slice: the profile's hourly weight integrated over the slice.
  constexpr std::int64_t kHour = 3'600'000'000'000;
  std::vector<double> weights;
  weights.reserve(starts->size());
  for (std::size_t k = 0; k < starts->size(); ++k) {
    const UnixNanos a = (*starts)[k];
    const UnixNanos b = k + 1 < starts->size() ? (*starts)[k + 1] : parent.end;
    double w = 0.0;
    for (UnixNanos t = a; t < b;) {
      const UnixNanos hour_end = core::floor_to(t, core::Duration(kHour)) + core::Duration(kHour);
      const UnixNanos stop = std::min(hour_end, b);
      w += config.profile.weight_at(t) * static_cast<double>((stop - t).count());
      t = stop;
    }
    weights.push_back(w);
  }
  double total = 0.0;
  for (double w : weights) total += w;
  if (!(total > 0.0)) return invalid("the volume profile has no volume in the order's horizon", "profile");
  auto algo = std::unique_ptr<VwapAlgorithm>(new VwapAlgorithm(std::move(parent), instrument,
                                                               normalised(*starts, std::move(weights)), true,
                                                               config.max_participation));
  return algo;
}

}  // namespace ballast::execution
