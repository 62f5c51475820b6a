#pragma once
// Volume indicators: on-balance volume and session-anchored VWAP. OBV is in volume units (signed,
// cumulative); VWAP is a price.
//
// Batch/streaming/error conventions are those of moving_averages.hpp; volumes must also be >= 0.
//   OBV        lookback 0. OBV_0 = V_0 (TA-Lib seeds with the first volume; some texts start at 0 —
//              the series then differ by the constant V_0). OBV_t = OBV_{t−1} + V_t if C_t > C_{t−1},
//              − V_t if C_t < C_{t−1}, unchanged if equal.
//   VWAP       lookback 0; not in TA-Lib. Within a session, VWAP_t = Σ TP_i·V_i / Σ V_i over the
//              session's bars so far, TP = (H+L+C)/3 (the usual bar approximation of the traded
//              prices). It restarts at every session boundary. While a session has traded no volume
//              yet, VWAP is undefined and reads NaN (the one place an output is NaN after the
//              lookback: an honest "no trade yet", not a numerical failure).
//              Sessions come from the caller, never from a clock: either a session id per bar (a
//              change of id starts a new session; ids need not be consecutive) or a timestamp per
//              bar, with a new session at each UTC midnight (utc_day_session). Timestamps must not
//              decrease.
//
// Numerics: OBV and VWAP are cumulative sums with no window to rebuild from, so they use Neumaier's
// compensated summation; a session of millions of bars keeps full double precision.

#include "ballast/analytics/indicators/indicator_support.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace ballast::analytics {

// ---- OBV ---------------------------------------------------------------------------------------

core::Result<std::vector<double>> obv(std::span<const double> close, std::span<const double> volume);
core::Status obv_into(std::span<const double> close, std::span<const double> volume, std::span<double> out);

class ObvCalculator {
 public:
  static core::Result<ObvCalculator> create() { return ObvCalculator(); }
  // Throws core::InvariantError on a non-finite input or a negative volume.
  double update(double close, double volume);
  bool ready() const noexcept { return started_; }
  double value() const noexcept { return value_; }
  int lookback() const noexcept { return 0; }

 private:
  ObvCalculator() = default;

  bool started_ = false;
  double previous_close_ = 0.0;
  indicator_detail::NeumaierSum total_;
  double value_ = indicator_detail::kNaN;
};

// ---- VWAP --------------------------------------------------------------------------------------

// The session of a timestamp under a UTC-day reset: days since 1970-01-01 (floor, so pre-1970 works).
constexpr std::int64_t utc_day_session(core::UnixNanos t) noexcept {
  return core::floor_div(t.value, core::kNanosPerDay);
}

// Session given per bar by an id.
core::Result<std::vector<double>> vwap(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, std::span<const double> volume,
                                       std::span<const std::int64_t> session_ids);
core::Status vwap_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       std::span<const double> volume, std::span<const std::int64_t> session_ids,
                       std::span<double> out);

// Session = UTC day of each bar's timestamp (e.g. Bar::ts_event).
core::Result<std::vector<double>> vwap_utc_day(std::span<const double> high, std::span<const double> low,
                                               std::span<const double> close, std::span<const double> volume,
                                               std::span<const core::UnixNanos> timestamps);
core::Status vwap_utc_day_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                               std::span<const double> volume, std::span<const core::UnixNanos> timestamps,
                               std::span<double> out);

class VwapCalculator {
 public:
  static core::Result<VwapCalculator> create() { return VwapCalculator(); }
  // A session id different from the previous bar's starts a new session (utc_day_session(ts) for
  // UTC-day sessions). Throws core::InvariantError on a non-finite price or volume or a negative volume.
  double update(double high, double low, double close, double volume, std::int64_t session_id);
  // True once the current session has traded volume.
  bool ready() const noexcept { return !std::isnan(value_); }
  double value() const noexcept { return value_; }
  int lookback() const noexcept { return 0; }

 private:
  VwapCalculator() = default;

  bool started_ = false;
  std::int64_t session_ = 0;
  indicator_detail::NeumaierSum price_volume_;
  indicator_detail::NeumaierSum volume_;
  double value_ = indicator_detail::kNaN;
};

}  // namespace ballast::analytics
