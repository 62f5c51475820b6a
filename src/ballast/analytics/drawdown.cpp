#include "ballast/analytics/drawdown.hpp"

#include "ballast/analytics/returns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace ballast::analytics {

using core::Error;
using core::ErrorCode;

core::Status validate_equity(std::span<const double> equity) {
  BALLAST_TRY(require_finite(equity, "equity"));
  for (std::size_t i = 0; i < equity.size(); ++i) {
    if (equity[i] <= 0.0) {
      return Error(
          ErrorCode::InvalidArgument,
          fmt::format("equity[{}] is {}; drawdowns and returns need a strictly positive equity curve", i, equity[i]),
          "equity");
    }
  }
  return core::ok();
}

core::Status validate_timestamps(std::span<const core::UnixNanos> timestamps, std::size_t values) {
  if (timestamps.size() != values) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} timestamps for {} values; each value needs one timestamp", timestamps.size(), values),
                 "timestamps");
  }
  for (std::size_t i = 1; i < timestamps.size(); ++i) {
    if (timestamps[i] <= timestamps[i - 1]) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("timestamps[{}] ({}) is not after timestamps[{}] ({}); they must strictly increase", i,
                               core::format_iso8601(timestamps[i]), i - 1, core::format_iso8601(timestamps[i - 1])),
                   "timestamps");
    }
  }
  return core::ok();
}

core::Result<std::vector<double>> equity_from_returns(std::span<const double> returns, double start) {
  if (!std::isfinite(start) || start <= 0.0) {
    return Error(ErrorCode::InvalidArgument, fmt::format("starting equity must be positive, got {}", start), "start");
  }
  BALLAST_TRY(require_finite(returns, "returns"));
  std::vector<double> equity;
  equity.reserve(returns.size() + 1);
  equity.push_back(start);
  for (std::size_t i = 0; i < returns.size(); ++i) {
    if (returns[i] <= -1.0) {
      return Error(
          ErrorCode::InvalidArgument,
          fmt::format("returns[{}] is {}; a return at or below -100% leaves no equity to compound", i, returns[i]),
          "returns");
    }
    equity.push_back(equity.back() * (1.0 + returns[i]));
  }
  return equity;
}

core::Result<std::vector<double>> drawdown_series(std::span<const double> equity) {
  BALLAST_TRY(validate_equity(equity));
  std::vector<double> dd;
  dd.reserve(equity.size());
  double peak = 0.0;
  for (double e : equity) {
    if (e >= peak) peak = e;
    dd.push_back(e / peak - 1.0);
  }
  return dd;
}

core::Result<MaxDrawdown> max_drawdown(std::span<const double> equity) {
  BALLAST_TRY(validate_equity(equity));
  if (equity.empty()) return Error(ErrorCode::InvalidArgument, "max drawdown of an empty equity curve", "equity");
  MaxDrawdown out;
  out.recovery_index = 0;
  double peak = equity[0];
  std::size_t last_at_peak = 0;
  for (std::size_t i = 0; i < equity.size(); ++i) {
    if (equity[i] >= peak) {
      peak = equity[i];
      last_at_peak = i;
      continue;
    }
    const double dd = equity[i] / peak - 1.0;
    if (dd < out.depth) {
      out.depth = dd;
      out.trough_index = i;
      out.peak_index = last_at_peak;
    }
  }
  if (out.depth == 0.0) return out;
  out.recovery_index.reset();
  const double peak_value = equity[out.peak_index];
  for (std::size_t i = out.trough_index + 1; i < equity.size(); ++i) {
    if (equity[i] >= peak_value) {
      out.recovery_index = i;
      break;
    }
  }
  return out;
}

core::Result<DrawdownDates> drawdown_dates(const MaxDrawdown& drawdown, std::span<const core::UnixNanos> timestamps) {
  const std::size_t last_needed =
      std::max(drawdown.trough_index, drawdown.recovery_index.value_or(drawdown.trough_index));
  if (timestamps.empty() || last_needed >= timestamps.size()) {
    return Error(
        ErrorCode::InvalidArgument,
        fmt::format("drawdown refers to index {} but only {} timestamps were given", last_needed, timestamps.size()),
        "timestamps");
  }
  DrawdownDates out;
  out.peak = timestamps[drawdown.peak_index];
  out.trough = timestamps[drawdown.trough_index];
  out.peak_to_trough = out.trough - out.peak;
  if (drawdown.recovery_index) {
    out.recovery = timestamps[*drawdown.recovery_index];
    out.duration = *out.recovery - out.peak;
  } else {
    out.duration = timestamps.back() - out.peak;
  }
  return out;
}

core::Result<double> ulcer_index(std::span<const double> equity) {
  if (equity.empty()) return Error(ErrorCode::InvalidArgument, "ulcer index of an empty equity curve", "equity");
  auto dd = drawdown_series(equity);
  if (!dd) return dd.error();
  double sum_sq = 0.0;
  for (double d : *dd) sum_sq += d * d;
  return std::sqrt(sum_sq / static_cast<double>(dd->size()));
}

}  // namespace ballast::analytics
