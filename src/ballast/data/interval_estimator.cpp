#include "ballast/data/interval_estimator.hpp"

namespace ballast::data {
namespace {

struct CalendarBand {
  std::int64_t low;
  std::int64_t high;
};

constexpr CalendarBand kCalendarBands[] = {
    {28 * core::kNanosPerDay, 31 * core::kNanosPerDay},    // months
    {89 * core::kNanosPerDay, 92 * core::kNanosPerDay},    // quarters
    {365 * core::kNanosPerDay, 366 * core::kNanosPerDay},  // years
};

}  // namespace

void IntervalEstimator::add_slow(std::int64_t step) {
  if (!has_previous_) {
    has_previous_ = true;  // the first timestamp: no step yet
    return;
  }
  if (step <= 0) return;
  ++steps_;
  if (step == run_step_) {
    ++run_length_;
    return;
  }
  if (run_length_ > 0) counts_[run_step_] += run_length_;
  run_step_ = step;
  run_length_ = 1;
}

std::int64_t IntervalEstimator::best_step() const {
  std::int64_t best = 0;
  std::size_t best_count = 0;
  const auto consider = [&](std::int64_t step, std::size_t count) {
    if (count > best_count || (count == best_count && step < best)) {
      best = step;
      best_count = count;
    }
  };
  bool run_seen = false;
  for (const auto& [step, count] : counts_) {
    const bool is_run = run_length_ > 0 && step == run_step_;
    run_seen = run_seen || is_run;
    consider(step, count + (is_run ? run_length_ : 0));
  }
  if (run_length_ > 0 && !run_seen) consider(run_step_, run_length_);
  return best;
}

core::Duration IntervalEstimator::most_common_step() const {
  return core::Duration(best_step());
}

core::Duration IntervalEstimator::interval() const {
  const std::int64_t best = best_step();
  for (const auto& band : kCalendarBands) {
    if (best < band.low || best > band.high) continue;
    const auto other_in_band = [&](std::int64_t step) { return step != best && step >= band.low && step <= band.high; };
    if (run_length_ > 0 && other_in_band(run_step_)) return core::Duration(0);
    for (const auto& [step, count] : counts_) {
      if (other_in_band(step)) return core::Duration(0);
    }
  }
  return core::Duration(best);
}

core::Duration detect_bar_interval(std::span<const model::Bar> bars) {
  IntervalEstimator estimator;
  for (const auto& bar : bars) estimator.add(bar.ts_event);
  return estimator.interval();
}

namespace {

template <class T, class Time>
core::Duration annualisation_interval_of(std::span<const T> items, Time time) {
  if (items.size() < 2) return core::Duration(0);
  IntervalEstimator estimator;
  for (const auto& item : items) estimator.add(time(item));
  if (const core::Duration interval = estimator.interval(); interval.count() > 0) return interval;
  const std::int64_t span = (time(items.back()) - time(items.front())).count();
  return core::Duration(span / static_cast<std::int64_t>(items.size() - 1));
}

}  // namespace

core::Duration annualisation_interval(std::span<const model::Bar> bars) {
  return annualisation_interval_of(bars, [](const model::Bar& b) { return b.ts_event; });
}

core::Duration annualisation_interval(std::span<const core::UnixNanos> times) {
  return annualisation_interval_of(times, [](core::UnixNanos t) { return t; });
}

core::Result<double> observed_periods_per_year(std::size_t n, core::UnixNanos first, core::UnixNanos last) {
  if (n < 2 || !(first < last)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       "the observed calendar needs at least two timestamps over a positive span", "calendar");
  }
  constexpr double kYear = 365.25 * static_cast<double>(core::kNanosPerDay);
  return static_cast<double>(n - 1) * kYear / static_cast<double>((last - first).count());
}

namespace {

template <class T, class Time>
bool around_the_clock(std::span<const T> items, Time time) {
  if (items.size() < 2) return true;
  const std::int64_t interval = annualisation_interval(items).count();
  if (interval >= 7 * core::kNanosPerDay) return true;
  const double span = static_cast<double>((time(items.back()) - time(items.front())).count());
  return static_cast<double>(items.size() - 1) * static_cast<double>(interval) >= 0.9 * span;
}

}  // namespace

bool trades_around_the_clock(std::span<const model::Bar> bars) {
  return around_the_clock(bars, [](const model::Bar& b) { return b.ts_event; });
}

bool trades_around_the_clock(std::span<const core::UnixNanos> times) {
  return around_the_clock(times, [](core::UnixNanos t) { return t; });
}

core::Result<double> observed_periods_per_year(std::span<const core::UnixNanos> times) {
  if (times.empty()) return observed_periods_per_year(0, {}, {});
  return observed_periods_per_year(times.size(), times.front(), times.back());
}

core::Result<double> observed_periods_per_year(std::span<const model::Bar> bars) {
  if (bars.empty()) return observed_periods_per_year(0, {}, {});
  return observed_periods_per_year(bars.size(), bars.front().ts_event, bars.back().ts_event);
}

}  // namespace ballast::data
