#pragma once
// Statistic: the value of a performance metric, or the typed reason it is undefined for this input.
//
// Some metrics have no value on perfectly valid input: the Sharpe ratio of a constant return series
// (zero volatility), the profit factor of a record with no losing trade, the Calmar ratio of a curve
// that never fell. Those are not input errors, so they are not core::Error; nor are they NaN, which
// would silently poison whatever consumes them. A Statistic carries either a finite value or an
// UndefinedReason with a stable code ("ZERO_VOLATILITY") that travels to reports and the API.
// Input errors (NaN, mismatched lengths, an empty series) are still core::Error via core::Result.

#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace ballast::analytics {

enum class UndefinedReason {
  TooFewObservations,     // the estimator needs more points than were given (e.g. a stdev of one return)
  ZeroVolatility,         // the denominator is a standard deviation that is zero
  ZeroDownsideDeviation,  // no period fell below the minimum acceptable return
  ZeroVariance,           // skewness/kurtosis of a constant series; beta against a constant benchmark
  ZeroTrackingError,      // strategy and benchmark returns never differ
  NoDrawdown,             // the curve never fell below a previous peak
  NoLosses,               // nothing on the loss side (profit factor, omega, payoff ratio)
  NoWins,                 // no winning trade (average win, largest win)
  NoQualifyingPeriods,    // no benchmark period on the required side (up/down capture)
  ZeroDenominator,        // any other ratio whose denominator is exactly zero (tail ratio, capture)
  ZeroElapsedTime,        // first and last timestamps coincide, so nothing can be annualised
  NotRepresentable,       // the value overflows a double (e.g. a huge return annualised over hours)
};

namespace detail {
inline constexpr model::detail::EnumNames<UndefinedReason, 12> kUndefinedReason{{
    {UndefinedReason::TooFewObservations, "TOO_FEW_OBSERVATIONS"},
    {UndefinedReason::ZeroVolatility, "ZERO_VOLATILITY"},
    {UndefinedReason::ZeroDownsideDeviation, "ZERO_DOWNSIDE_DEVIATION"},
    {UndefinedReason::ZeroVariance, "ZERO_VARIANCE"},
    {UndefinedReason::ZeroTrackingError, "ZERO_TRACKING_ERROR"},
    {UndefinedReason::NoDrawdown, "NO_DRAWDOWN"},
    {UndefinedReason::NoLosses, "NO_LOSSES"},
    {UndefinedReason::NoWins, "NO_WINS"},
    {UndefinedReason::NoQualifyingPeriods, "NO_QUALIFYING_PERIODS"},
    {UndefinedReason::ZeroDenominator, "ZERO_DENOMINATOR"},
    {UndefinedReason::ZeroElapsedTime, "ZERO_ELAPSED_TIME"},
    {UndefinedReason::NotRepresentable, "NOT_REPRESENTABLE"},
}};
}  // namespace detail

constexpr std::string_view to_string(UndefinedReason v) noexcept {
  return model::detail::enum_to_string(detail::kUndefinedReason, v);
}
template <class T>
  requires std::is_same_v<T, UndefinedReason>
core::Result<T> parse(std::string_view text) {
  return model::detail::enum_parse(detail::kUndefinedReason, text, "UndefinedReason");
}

class Statistic {
 public:
  // Undefined (TooFewObservations) until assigned: a report field that was never computed.
  Statistic() = default;
  // A defined value; requires it to be finite (an infinite ratio is reported as undefined instead).
  static Statistic of(double value);
  static Statistic undefined(UndefinedReason reason);
  // of(value) when value is finite, otherwise undefined(NotRepresentable).
  static Statistic of_finite(double value);

  bool is_defined() const noexcept { return defined_; }
  // Requires is_defined().
  double value() const;
  double value_or(double fallback) const noexcept { return defined_ ? value_ : fallback; }
  std::optional<double> as_optional() const noexcept;
  // Requires !is_defined().
  UndefinedReason reason() const;

  // "1.234567" or "undefined (ZERO_VOLATILITY)".
  std::string to_string() const;

 private:
  Statistic(bool defined, double value, UndefinedReason reason) : value_(value), reason_(reason), defined_(defined) {}

  double value_ = 0.0;
  UndefinedReason reason_ = UndefinedReason::TooFewObservations;
  bool defined_ = false;
};

}  // namespace ballast::analytics
