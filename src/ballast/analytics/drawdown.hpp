#pragma once
// Drawdowns of an equity curve (docs/analytics/metrics.md §Drawdown).
//
// SIGN: a drawdown is a NON-POSITIVE fraction of the running peak (the high-water mark),
//     dd_t = E_t / max_{s ≤ t} E_s − 1,
// so −0.25 means 25% below the best value so far, and 0 means at a new high. This is empyrical's
// and quantstats' sign. The maximum drawdown is min_t dd_t (the most negative value).
//
// Dates of the maximum drawdown:
//   trough    the first index where dd reaches its minimum;
//   peak      the last index at or before the trough where the curve stood at its high-water mark
//             (dd = 0), i.e. where the losing stretch began;
//   recovery  the first index after the trough where the curve is back at or above the peak value;
//             absent ("not recovered") when that never happens.
//   duration  peak → recovery, or peak → the last observation when not recovered (the drawdown is
//             still open and has lasted at least that long).
//
// Equity values must be finite and strictly positive (a ruined account has no returns after ruin;
// pass the curve up to that point). Timestamps must be strictly increasing.

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace ballast::analytics {

struct MaxDrawdown {
  double depth = 0.0;  // min dd_t ≤ 0; exactly 0 when the curve never fell below a previous peak
  std::size_t peak_index = 0;
  std::size_t trough_index = 0;
  // First index back at the peak value; nullopt = not recovered. When depth == 0 all three indices
  // are 0 and recovery_index is 0 (there is nothing to recover from).
  std::optional<std::size_t> recovery_index;

  bool recovered() const noexcept { return recovery_index.has_value(); }
};

struct DrawdownDates {
  core::UnixNanos peak;
  core::UnixNanos trough;
  std::optional<core::UnixNanos> recovery;  // nullopt = not recovered
  core::Duration peak_to_trough{0};
  core::Duration duration{0};  // peak → recovery, or peak → last timestamp when not recovered
};

// Checks equity values are finite and > 0; the error names the first bad index.
core::Status validate_equity(std::span<const double> equity);
// Checks timestamps are strictly increasing and as many as the values.
core::Status validate_timestamps(std::span<const core::UnixNanos> timestamps, std::size_t values);

// Compounds simple returns into a curve of n + 1 points starting at `start` (index 0 is the start,
// index i the value after return i − 1), as empyrical's cum_returns with a starting value.
// Errors on a non-finite return or one at or below −100% (which would end at or below zero).
core::Result<std::vector<double>> equity_from_returns(std::span<const double> returns, double start = 1.0);

// dd_t for every point of the curve (same length). Errors on invalid equity.
core::Result<std::vector<double>> drawdown_series(std::span<const double> equity);
// The maximum drawdown with its peak, trough and recovery indices. Errors on an empty or invalid curve.
core::Result<MaxDrawdown> max_drawdown(std::span<const double> equity);
// Dates of a drawdown found on the same curve the timestamps belong to.
core::Result<DrawdownDates> drawdown_dates(const MaxDrawdown& drawdown, std::span<const core::UnixNanos> timestamps);

// Ulcer index (Martin, 1987) as a fraction: √(Σ dd_t² / T) over the T points of the curve.
// Multiply by 100 for Martin's percentage points. (quantstats divides Σ dd² by n − 1, n = number of
// returns, and so reads higher on short series.) Errors on an empty or invalid curve.
core::Result<double> ulcer_index(std::span<const double> equity);

}  // namespace ballast::analytics
