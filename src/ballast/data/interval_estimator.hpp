#pragma once
// Bar interval detection: the interval of a series read from a file is the most common positive
// difference between consecutive bar timestamps (ties go to the smaller difference). Gaps — weekends,
// overnight sessions, holidays, missing minutes — are thereby ignored.
//
// Calendar periods have no fixed length. When the most common step lies in a calendar band (months:
// 28–31 days, quarters: 89–92 days, years: 365–366 days) and another step in the same band also occurs,
// the series is calendar-based and the interval is reported as 0 ("unknown"), as BarSeries::interval
// allows. A series with fewer than two bars also has interval 0.

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

class IntervalEstimator {
 public:
  // Feeds the next timestamp of a series in time order. Cheap for regular data: equal consecutive
  // steps are run-length counted before they reach the frequency table.
  void add(core::UnixNanos t) {
    const std::int64_t step = t.value - previous_.value;
    previous_ = t;
    if (has_previous_ && step == run_step_ && step > 0) {
      ++run_length_;
      ++steps_;
      return;
    }
    add_slow(step);
  }

  // The detected interval (see the header comment); 0 when unknown.
  core::Duration interval() const;
  // The most common positive step, even when interval() reports a calendar series as 0.
  core::Duration most_common_step() const;
  std::size_t steps() const noexcept { return steps_; }

 private:
  void add_slow(std::int64_t step);
  // The step whose count (table plus the pending run) is highest; ties to the smaller step.
  std::int64_t best_step() const;

  bool has_previous_ = false;
  core::UnixNanos previous_;
  std::int64_t run_step_ = 0;  // the current run of equal steps, not yet in counts_
  std::size_t run_length_ = 0;
  std::size_t steps_ = 0;
  std::unordered_map<std::int64_t, std::size_t> counts_;
};

// Interval of bars by their ts_event, with the rules above.
core::Duration detect_bar_interval(std::span<const model::Bar> bars);

// The bar length to annualise returns by (analytics::periods_per_year): the detected interval, so daily
// equity data is daily whatever weekday it starts on; for calendar bars (months, quarters, years: no one
// length) the mean step. 0 with fewer than two bars.
core::Duration annualisation_interval(std::span<const model::Bar> bars);
// The same for the timestamps of a series (an equity curve), in time order.
core::Duration annualisation_interval(std::span<const core::UnixNanos> times);

// Bars a year as the data has them: (n − 1) steps over its span, a year being 365.25 days. Right for any
// market's hours (FX 24 × 5, futures sessions, stocks, crypto) given a sample of some weeks; the
// `observed` calendar of the CLI and the API. Errors with fewer than two timestamps or a zero span.
core::Result<double> observed_periods_per_year(std::span<const core::UnixNanos> times);
core::Result<double> observed_periods_per_year(std::span<const model::Bar> bars);
// The same from `count` timestamps running from `first` to `last`.
core::Result<double> observed_periods_per_year(std::size_t count, core::UnixNanos first, core::UnixNanos last);

// Whether the series trades around the clock, for the `auto` calendar: its steps at the annualisation
// interval cover at least 90 % of its span ((n − 1) × interval ≥ 0.9 × span). Crypto bars do (gaps of a
// few per cent aside); daily stocks (252 of 365 days: 69 %), FX (24 × 5: 71 %) and futures sessions do
// not. Bars of a week or longer are counted by the calendar anyway: true. True with fewer than two items.
bool trades_around_the_clock(std::span<const model::Bar> bars);
bool trades_around_the_clock(std::span<const core::UnixNanos> times);

}  // namespace ballast::data
