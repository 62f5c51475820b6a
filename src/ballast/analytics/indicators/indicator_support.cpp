#include "ballast/analytics/indicators/indicator_support.hpp"

#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

namespace ballast::analytics::indicator_detail {

core::Status check_period(std::string_view indicator, std::string_view name, int value, int min_value) {
  if (value < min_value || value > kMaxPeriod) {
    return core::Error(
        core::ErrorCode::InvalidArgument,
        fmt::format("{} {} must be between {} and {}; got {}", indicator, name, min_value, kMaxPeriod, value),
        std::string(name));
  }
  return core::ok();
}

core::Status check_multiplier(std::string_view indicator, std::string_view name, double value) {
  if (!std::isfinite(value) || value < 0.0) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("{} {} must be finite and >= 0; got {}", indicator, name, value), std::string(name));
  }
  return core::ok();
}

core::Status check_length(std::string_view indicator, std::string_view what, std::size_t size, int lookback) {
  const auto needed = static_cast<std::size_t>(lookback) + 1;
  if (size < needed) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("{} needs at least {} values (lookback {}) to produce one output; {} has {}",
                                   indicator, needed, lookback, what, size),
                       std::string(what));
  }
  return core::ok();
}

core::Status check_finite(std::span<const double> values, std::string_view what) {
  // A branch-free scan (x − x sums to NaN as soon as one value is not finite) in blocks, so a bad
  // value near the start is found without reading the rest; require_finite then names the index.
  constexpr std::size_t kBlock = 2048;
  const double* x = values.data();
  const std::size_t n = values.size();
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    const std::size_t end = std::min(n, begin + kBlock);
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
    std::size_t i = begin;
    for (; i + 4 <= end; i += 4) {
      a0 += x[i] - x[i];
      a1 += x[i + 1] - x[i + 1];
      a2 += x[i + 2] - x[i + 2];
      a3 += x[i + 3] - x[i + 3];
    }
    for (; i < end; ++i) a0 += x[i] - x[i];
    if (std::isnan((a0 + a1) + (a2 + a3))) [[unlikely]]
      return require_finite(values, what);
  }
  return core::ok();
}

core::Status check_same_length(std::span<const double> first, std::string_view first_name, std::size_t size,
                               std::string_view name) {
  if (size != first.size()) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("{} has {} values but {} has {}; the series must be aligned bar by bar", name, size,
                                   first_name, first.size()),
                       std::string(name));
  }
  return core::ok();
}

core::Status check_output(std::span<const double> input, std::span<const double> out, std::string_view out_name) {
  if (out.size() != input.size()) {
    return core::Error(
        core::ErrorCode::InvalidArgument,
        fmt::format("output {} has {} slots but the input has {} values", out_name, out.size(), input.size()),
        std::string(out_name));
  }
  if (!input.empty()) {
    // std::less gives a total order on pointers even across unrelated arrays.
    const std::less<const double*> before;
    const bool disjoint =
        !before(out.data(), input.data() + input.size()) || !before(input.data(), out.data() + out.size());
    if (!disjoint) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("output {} overlaps an input series; indicators do not work in place", out_name),
                         std::string(out_name));
    }
  }
  return core::ok();
}

core::Status check_non_negative(std::span<const double> values, std::string_view what) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0.0) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("{}[{}] is {}; it must be >= 0", what, i, values[i]), std::string(what));
    }
  }
  return core::ok();
}

core::Status check_non_zero(std::span<const double> values, std::string_view what, std::string_view why,
                            std::size_t first) {
  for (std::size_t i = first; i < values.size(); ++i) {
    if (values[i] == 0.0) {
      return core::Error(core::ErrorCode::InvalidArgument, fmt::format("{}[{}] is 0; {}", what, i, why),
                         std::string(what));
    }
  }
  return core::ok();
}

core::Status check_single_series_shape(std::string_view indicator, std::span<const double> values, int period,
                                       int lookback, std::span<const double> out, int min_period) {
  BALLAST_TRY(check_period(indicator, "period", period, min_period));
  BALLAST_TRY(check_output(values, out, "out"));
  return check_length(indicator, "values", values.size(), lookback);
}

core::Status check_single_series(std::string_view indicator, std::span<const double> values, int period, int lookback,
                                 std::span<const double> out, int min_period) {
  BALLAST_TRY(check_single_series_shape(indicator, values, period, lookback, out, min_period));
  return check_finite(values, "values");
}

core::Status check_bars_shape(std::string_view indicator, std::span<const double> high, std::span<const double> low,
                              std::span<const double> close, int lookback) {
  BALLAST_TRY(check_same_length(high, "high", low.size(), "low"));
  BALLAST_TRY(check_same_length(high, "high", close.size(), "close"));
  return check_length(indicator, "high", high.size(), lookback);
}

core::Status check_bars(std::string_view indicator, std::span<const double> high, std::span<const double> low,
                        std::span<const double> close, int lookback) {
  BALLAST_TRY(check_bars_shape(indicator, high, low, close, lookback));
  BALLAST_TRY(check_finite(high, "high"));
  BALLAST_TRY(check_finite(low, "low"));
  return check_finite(close, "close");
}

core::Status check_bar_output(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                              std::span<const double> out, std::string_view out_name) {
  BALLAST_TRY(check_output(high, out, out_name));
  BALLAST_TRY(check_output(low, out, out_name));
  return check_output(close, out, out_name);
}

void fill_nan_prefix(std::span<double> out, std::size_t lookback) noexcept {
  std::fill_n(out.begin(), std::min(lookback, out.size()), kNaN);
}

void throw_bad_update(std::string_view indicator, std::string_view what, double value, std::string_view requirement) {
  core::throw_invariant_error(
      "precondition", what,
      fmt::format("{} update got {} = {}; streaming inputs must be {}", indicator, what, value, requirement), __FILE__,
      __LINE__);
}

}  // namespace ballast::analytics::indicator_detail
