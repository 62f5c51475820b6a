// Market-driven breaker conditions: volatility spike and rapid move (breaker_conditions.hpp).
#include "ballast/risk/breaker_conditions.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>
#include <cmath>

namespace ballast::risk {

using core::Decimal;

RollingSquareSum::RollingSquareSum(core::Duration window, std::size_t buckets) {
  BALLAST_REQUIRE(window.count() > 0 && buckets > 0, "RollingSquareSum needs a positive window and buckets");
  width_ = std::max<std::int64_t>(1, window.count() / static_cast<std::int64_t>(buckets));
  ring_.resize(buckets);
}

void RollingSquareSum::advance(core::UnixNanos now) {
  const std::int64_t bucket = core::floor_div(now.value, width_);
  if (!head_) {
    head_ = bucket;
    return;
  }
  if (bucket <= *head_) return;
  const auto n = static_cast<std::int64_t>(ring_.size());
  if (bucket - *head_ >= n) {
    std::fill(ring_.begin(), ring_.end(), Bucket{});
    sum_ = 0.0;
    count_ = 0;
  } else {
    for (std::int64_t b = *head_ + 1; b <= bucket; ++b) {
      Bucket& slot = ring_[static_cast<std::size_t>(((b % n) + n) % n)];
      sum_ -= slot.sum;
      count_ -= slot.count;
      slot = Bucket{};
    }
  }
  if (count_ == 0) sum_ = 0.0;  // no drift survives an empty window
  head_ = bucket;
}

void RollingSquareSum::add(core::UnixNanos ts, double x) {
  advance(ts);
  const auto n = static_cast<std::int64_t>(ring_.size());
  // A late observation (older than the newest bucket) is counted in the newest bucket.
  Bucket& slot = ring_[static_cast<std::size_t>(((*head_ % n) + n) % n)];
  const double sq = x * x;
  slot.sum += sq;
  slot.count += 1;
  sum_ += sq;
  count_ += 1;
}

VolatilitySpikeMeter::VolatilitySpikeMeter(core::Duration window, core::Duration baseline_window,
                                           std::int64_t min_samples)
    : short_(window, kShortBuckets), baseline_(baseline_window, kBaselineBuckets), min_samples_(min_samples) {}

void VolatilitySpikeMeter::on_price(core::UnixNanos ts, double price) {
  if (!(price > 0.0) || !std::isfinite(price)) return;
  if (!first_ts_) {
    first_ts_ = ts;
    last_price_ = price;
    short_.advance(ts);
    baseline_.advance(ts);
    return;
  }
  const double r = std::log(price / last_price_);
  last_price_ = price;
  short_.add(ts, r);
  baseline_.add(ts, r);
}

std::optional<double> VolatilitySpikeMeter::multiple(core::UnixNanos now) {
  if (!first_ts_) return std::nullopt;
  short_.advance(now);
  baseline_.advance(now);
  const std::int64_t least = std::max<std::int64_t>(1, min_samples_);
  if (short_.count() < least || baseline_.count() < least) return std::nullopt;
  const double elapsed = static_cast<double>((now - *first_ts_).count());
  const double t_short = std::min(static_cast<double>(short_.window().count()), elapsed);
  const double t_base = std::min(static_cast<double>(baseline_.window().count()), elapsed);
  if (t_short <= 0.0 || t_base <= 0.0 || baseline_.sum() <= 0.0) return std::nullopt;
  return std::sqrt((short_.sum() / t_short) / (baseline_.sum() / t_base));
}

std::optional<BreakerMeasurement> VolatilitySpikeMeter::measure(core::UnixNanos now, const Decimal& threshold) {
  const auto m = multiple(now);
  if (!m) return std::nullopt;
  auto value = Decimal::from_double(*m, kVolatilityRatioScale, core::RoundingMode::Down);
  if (!value) return std::nullopt;
  return measured(*value, threshold);
}

void RapidMoveMeter::on_price(core::UnixNanos ts, const Decimal& price) {
  prices_.push_back(Point{ts, price});
  // Keep exactly one price at or before the window start: it is the reference.
  const core::UnixNanos start = ts - window_;
  while (prices_.size() >= 2 && prices_[1].ts <= start) prices_.pop_front();
}

std::optional<BreakerMeasurement> RapidMoveMeter::measure(const Decimal& threshold) const {
  if (prices_.size() < 2) return std::nullopt;
  const Decimal& reference = prices_.front().price;
  if (!reference.is_positive()) return std::nullopt;
  return measured(ratio_floor((prices_.back().price - reference).abs(), reference), threshold);
}

}  // namespace ballast::risk
