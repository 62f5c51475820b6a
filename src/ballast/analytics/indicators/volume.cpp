#include "ballast/analytics/indicators/volume.hpp"

#include <fmt/format.h>

#include <string>

namespace ballast::analytics {
namespace {

namespace ind = indicator_detail;
using ind::kNaN;

core::Status check_volume(std::span<const double> reference, std::string_view reference_name,
                          std::span<const double> volume) {
  BALLAST_TRY(ind::check_same_length(reference, reference_name, volume.size(), "volume"));
  BALLAST_TRY(ind::check_finite(volume, "volume"));
  return ind::check_non_negative(volume, "volume");
}

core::Status check_vwap_inputs(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                               std::span<const double> volume, std::size_t sessions, std::string_view sessions_name,
                               std::span<const double> out) {
  BALLAST_TRY(ind::check_bars("VWAP", high, low, close, 0));
  BALLAST_TRY(check_volume(high, "high", volume));
  BALLAST_TRY(ind::check_same_length(high, "high", sessions, sessions_name));
  BALLAST_TRY(ind::check_bar_output(high, low, close, out, "out"));
  return ind::check_output(volume, out, "out");
}

inline double typical_price(double high, double low, double close) noexcept {
  return (high + low + close) / 3.0;
}

}  // namespace

// ---- OBV ---------------------------------------------------------------------------------------

double ObvCalculator::update(double close, double volume) {
  ind::require_finite_update("OBV", "close", close);
  ind::require_finite_update("OBV", "volume", volume);
  if (volume < 0.0) [[unlikely]]
    ind::throw_bad_update("OBV", "volume", volume, ">= 0");
  if (!started_) {
    started_ = true;
    total_.add(volume);
  } else if (close > previous_close_) {
    total_.add(volume);
  } else if (close < previous_close_) {
    total_.add(-volume);
  }
  previous_close_ = close;
  value_ = total_.value();
  return value_;
}

core::Status obv_into(std::span<const double> close, std::span<const double> volume, std::span<double> out) {
  BALLAST_TRY(ind::check_length("OBV", "close", close.size(), 0));
  BALLAST_TRY(ind::check_finite(close, "close"));
  BALLAST_TRY(check_volume(close, "close", volume));
  BALLAST_TRY(ind::check_output(close, out, "out"));
  BALLAST_TRY(ind::check_output(volume, out, "out"));
  // A running sum: the batch form drives the calculator, identical by construction.
  ObvCalculator calc = *ObvCalculator::create();
  for (std::size_t i = 0; i < close.size(); ++i) out[i] = calc.update(close[i], volume[i]);
  return core::ok();
}

core::Result<std::vector<double>> obv(std::span<const double> close, std::span<const double> volume) {
  return ind::run_allocating(close.size(), [&](std::span<double> out) { return obv_into(close, volume, out); });
}

// ---- VWAP --------------------------------------------------------------------------------------

double VwapCalculator::update(double high, double low, double close, double volume, std::int64_t session_id) {
  ind::require_finite_update("VWAP", "high", high);
  ind::require_finite_update("VWAP", "low", low);
  ind::require_finite_update("VWAP", "close", close);
  ind::require_finite_update("VWAP", "volume", volume);
  if (volume < 0.0) [[unlikely]]
    ind::throw_bad_update("VWAP", "volume", volume, ">= 0");
  if (!started_ || session_id != session_) {
    started_ = true;
    session_ = session_id;
    price_volume_.reset();
    volume_.reset();
  }
  price_volume_.add(typical_price(high, low, close) * volume);
  volume_.add(volume);
  const double traded = volume_.value();
  value_ = traded > 0.0 ? price_volume_.value() / traded : kNaN;
  return value_;
}

core::Status vwap_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       std::span<const double> volume, std::span<const std::int64_t> session_ids,
                       std::span<double> out) {
  BALLAST_TRY(check_vwap_inputs(high, low, close, volume, session_ids.size(), "session_ids", out));
  VwapCalculator calc = *VwapCalculator::create();
  for (std::size_t i = 0; i < high.size(); ++i)
    out[i] = calc.update(high[i], low[i], close[i], volume[i], session_ids[i]);
  return core::ok();
}

core::Result<std::vector<double>> vwap(std::span<const double> high, std::span<const double> low,
                                       std::span<const double> close, std::span<const double> volume,
                                       std::span<const std::int64_t> session_ids) {
  return ind::run_allocating(
      high.size(), [&](std::span<double> out) { return vwap_into(high, low, close, volume, session_ids, out); });
}

core::Status vwap_utc_day_into(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                               std::span<const double> volume, std::span<const core::UnixNanos> timestamps,
                               std::span<double> out) {
  BALLAST_TRY(check_vwap_inputs(high, low, close, volume, timestamps.size(), "timestamps", out));
  for (std::size_t i = 1; i < timestamps.size(); ++i) {
    if (timestamps[i] < timestamps[i - 1]) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("timestamps[{}] ({} ns) is earlier than timestamps[{}] ({} ns); bars must be in "
                                     "time order",
                                     i, timestamps[i].value, i - 1, timestamps[i - 1].value),
                         "timestamps");
    }
  }
  VwapCalculator calc = *VwapCalculator::create();
  for (std::size_t i = 0; i < high.size(); ++i) {
    out[i] = calc.update(high[i], low[i], close[i], volume[i], utc_day_session(timestamps[i]));
  }
  return core::ok();
}

core::Result<std::vector<double>> vwap_utc_day(std::span<const double> high, std::span<const double> low,
                                               std::span<const double> close, std::span<const double> volume,
                                               std::span<const core::UnixNanos> timestamps) {
  return ind::run_allocating(
      high.size(), [&](std::span<double> out) { return vwap_utc_day_into(high, low, close, volume, timestamps, out); });
}

}  // namespace ballast::analytics
