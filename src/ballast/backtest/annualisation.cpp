#include "ballast/backtest/annualisation.hpp"

#include "ballast/analytics/returns.hpp"
#include "ballast/data/interval_estimator.hpp"

#include <fmt/format.h>

namespace ballast::backtest {
namespace {

template <class T>
std::string_view resolve(std::span<const T> items, std::string_view calendar) {
  if (calendar != "auto") return calendar;
  return data::trades_around_the_clock(items) ? "crypto" : "observed";
}

template <class T>
core::Result<double> periods_per_year_of(std::span<const T> items, std::string_view calendar) {
  calendar = resolve(items, calendar);
  if (calendar == "observed") return data::observed_periods_per_year(items);
  if (calendar != "crypto" && calendar != "equity") {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("unknown calendar '{}': auto, crypto, equity or observed", calendar), "calendar");
  }
  return analytics::periods_per_year(data::annualisation_interval(items), calendar == "equity"
                                                                          ? analytics::TradingCalendar::Equity252
                                                                          : analytics::TradingCalendar::Crypto24x7);
}

}  // namespace

core::Result<double> periods_per_year(std::span<const model::Bar> bars, std::string_view calendar) {
  return periods_per_year_of(bars, calendar);
}

core::Result<double> periods_per_year(std::span<const core::UnixNanos> times, std::string_view calendar) {
  return periods_per_year_of(times, calendar);
}

std::string_view resolved_calendar(std::span<const model::Bar> bars, std::string_view calendar) {
  return resolve(bars, calendar);
}

}  // namespace ballast::backtest
