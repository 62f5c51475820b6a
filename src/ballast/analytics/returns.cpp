#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::analytics {

core::Result<double> periods_per_year(core::Duration interval, TradingCalendar calendar, core::Duration session_length) {
  if (interval.count() <= 0) {
    return core::Error(core::ErrorCode::InvalidArgument, "bar interval must be positive to annualise");
  }
  const double dt = static_cast<double>(interval.count());
  const double day = static_cast<double>(core::kNanosPerDay);
  switch (calendar) {
    case TradingCalendar::Crypto24x7: return 365.0 * day / dt;
    case TradingCalendar::Equity252:
      // Weekly and longer bars are calendar bars: a year holds 52 weeks and 12 months whatever the
      // holidays, so they count like crypto's. Daily bars are sessions.
      if (interval.count() >= 7 * core::kNanosPerDay) return 365.0 * day / dt;
      if (interval.count() >= core::kNanosPerDay) return 252.0 * day / dt;
      if (session_length.count() <= 0) {
        return core::Error(core::ErrorCode::InvalidArgument, "session length must be positive");
      }
      return 252.0 * static_cast<double>(session_length.count()) / dt;
  }
  return core::Error(core::ErrorCode::InvalidArgument, "unknown trading calendar");
}

core::Status require_finite(std::span<const double> values, std::string_view what) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("{}[{}] is {}; inputs must be finite", what, i, values[i]), std::string(what));
    }
  }
  return core::ok();
}

namespace {
core::Status require_positive_prices(std::span<const double> prices) {
  BALLAST_TRY(require_finite(prices, "prices"));
  for (std::size_t i = 0; i < prices.size(); ++i) {
    if (prices[i] <= 0.0) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("prices[{}] is {}; returns need positive prices", i, prices[i]), "prices");
    }
  }
  return core::ok();
}
}  // namespace

core::Result<std::vector<double>> simple_returns(std::span<const double> prices) {
  BALLAST_TRY(require_positive_prices(prices));
  std::vector<double> out;
  if (prices.size() < 2) return out;
  out.reserve(prices.size() - 1);
  for (std::size_t i = 1; i < prices.size(); ++i) out.push_back(prices[i] / prices[i - 1] - 1.0);
  return out;
}

core::Result<std::vector<double>> log_returns(std::span<const double> prices) {
  BALLAST_TRY(require_positive_prices(prices));
  std::vector<double> out;
  if (prices.size() < 2) return out;
  out.reserve(prices.size() - 1);
  for (std::size_t i = 1; i < prices.size(); ++i) out.push_back(std::log(prices[i] / prices[i - 1]));
  return out;
}

}  // namespace ballast::analytics
