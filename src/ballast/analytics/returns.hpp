#pragma once
// Return series and annualisation, shared by every analytics routine.
//
// Conventions (docs/conventions.md):
//  - Returns are SIMPLE unless a function says "log": r_t = p_t / p_{t-1} − 1.
//  - Annualisation multiplies a per-period mean by N and a per-period standard deviation by √N,
//    where N = periods_per_year(interval, calendar). Crypto trades 365 days a year, 24 h a day;
//    equities and futures 252 sessions a year (one daily bar per session). For intraday equity bars
//    N = 252 × bars per 6.5-hour session is the usual choice; pass `session_length` to say otherwise.
//  - Input series must be finite; a NaN or infinity is an error naming its index.

#include <span>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

namespace ballast::analytics {

enum class TradingCalendar {
  Crypto24x7,  // 365 days × 24 h
  Equity252,   // 252 sessions a year
};

// Number of bars of `interval` in one year under `calendar`. Crypto24x7: 365 days / interval. Equity252:
// under a day, 252 × session_length / interval (default session 6.5 h); from a day to under a week,
// 252 × 1 day / interval (a daily bar is a session); a week or longer, 365 days / interval (weekly bars:
// 52.14 a year, monthly bars of 30.44 days on average: 12).
// Errors on a non-positive interval.
core::Result<double> periods_per_year(core::Duration interval, TradingCalendar calendar,
                                      core::Duration session_length = core::Duration(23'400'000'000'000));

// Checks every value is finite; the error names the first bad index and what it is.
core::Status require_finite(std::span<const double> values, std::string_view what);

// Simple returns r_t = p_t / p_{t−1} − 1 (n−1 values). Prices must be finite and > 0.
core::Result<std::vector<double>> simple_returns(std::span<const double> prices);
// Log returns ln(p_t / p_{t−1}) (n−1 values). Prices must be finite and > 0.
core::Result<std::vector<double>> log_returns(std::span<const double> prices);

}  // namespace ballast::analytics
