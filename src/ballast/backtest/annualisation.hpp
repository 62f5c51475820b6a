#pragma once
// Periods a year to annualise a bar series by, for a calendar named as the CLI (`--calendar`) and the API
// (`data.calendar`) take it (docs/conventions.md):
//  - `crypto` (365 days × 24 h) and `equity` (252 sessions) by the bar interval
//    (data::annualisation_interval: the most common step; calendar bars by their mean step);
//  - `observed`: the data's own bars a year (data::observed_periods_per_year: FX, futures sessions);
//  - `auto`: crypto for a series that trades around the clock (data::trades_around_the_clock), observed
//    otherwise.
// One implementation for every command and the server's backtest jobs.

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/market_data.hpp"

#include <span>
#include <string_view>

namespace ballast::backtest {

// Errors: an unknown calendar (InvalidArgument, field "calendar"), `observed` with fewer than two items.
core::Result<double> periods_per_year(std::span<const model::Bar> bars, std::string_view calendar);
core::Result<double> periods_per_year(std::span<const core::UnixNanos> times, std::string_view calendar);

// The calendar `auto` stands for on these bars ("crypto" or "observed"); any other name as given.
std::string_view resolved_calendar(std::span<const model::Bar> bars, std::string_view calendar);

}  // namespace ballast::backtest
