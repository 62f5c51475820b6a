#include "ballast/data/intraday_volume_profile.hpp"

#include <fmt/format.h>

#include <cmath>

namespace ballast::data {
namespace {

std::array<double, 24> normalised(const std::array<double, 24>& w) {
  double sum = 0.0;
  for (double x : w) sum += x;
  std::array<double, 24> out{};
  for (std::size_t h = 0; h < 24; ++h) out[h] = w[h] * 24.0 / sum;
  return out;
}

}  // namespace

IntradayVolumeProfile IntradayVolumeProfile::flat() {
  std::array<double, 24> w{};
  w.fill(1.0);
  return IntradayVolumeProfile(w);
}

IntradayVolumeProfile IntradayVolumeProfile::crypto_24h() {
  static constexpr std::array<double, 24> kRelative{
      1.15, 1.00, 0.90, 0.80, 0.70, 0.65, 0.70, 0.80,   // 00–07 UTC: Asia, quietest before Europe wakes
      0.95, 0.95, 0.90, 0.90, 1.00, 1.25, 1.50, 1.45,   // 08–15 UTC: Europe, then the US open
      1.30, 1.15, 1.05, 1.00, 1.00, 0.95, 0.90, 1.00};  // 16–23 UTC: US afternoon, into the daily close
  return IntradayVolumeProfile(normalised(kRelative));
}

core::Result<IntradayVolumeProfile> IntradayVolumeProfile::session_u_shape(int open_hour, int close_hour,
                                                                           double edge_ratio, double off_session) {
  if (open_hour < 0 || close_hour > 24 || open_hour >= close_hour) {
    return core::Error(
        core::ErrorCode::InvalidArgument,
        fmt::format("session hours must satisfy 0 <= open < close <= 24, got {}..{}", open_hour, close_hour),
        "volume_profile");
  }
  if (!(edge_ratio >= 1.0) || !std::isfinite(edge_ratio) || !(off_session >= 0.0) || !std::isfinite(off_session)) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("need edge_ratio >= 1 and off_session >= 0, got {} and {}", edge_ratio, off_session),
                       "volume_profile");
  }
  std::array<double, 24> w{};
  const double length = close_hour - open_hour;
  for (int h = 0; h < 24; ++h) {
    if (h < open_hour || h >= close_hour) {
      w[static_cast<std::size_t>(h)] = off_session;
      continue;
    }
    // x runs over the session centre-to-edge as |2·(position) − 1|, 0 mid-session and 1 at the edges.
    const double position = (h - open_hour + 0.5) / length;
    const double x = 2.0 * position - 1.0;
    w[static_cast<std::size_t>(h)] = 1.0 + (edge_ratio - 1.0) * x * x;
  }
  return IntradayVolumeProfile(normalised(w));
}

core::Result<IntradayVolumeProfile> IntradayVolumeProfile::from_hourly(const std::array<double, 24>& weights) {
  double sum = 0.0;
  for (std::size_t h = 0; h < 24; ++h) {
    if (!(weights[h] >= 0.0) || !std::isfinite(weights[h])) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("hourly weight {} is {}, must be finite and >= 0", h, weights[h]),
                         fmt::format("volume_profile[{}]", h));
    }
    sum += weights[h];
  }
  if (!(sum > 0.0)) return core::Error(core::ErrorCode::InvalidArgument, "hourly weights sum to 0", "volume_profile");
  return IntradayVolumeProfile(normalised(weights));
}

double IntradayVolumeProfile::weight_at(core::UnixNanos t) const noexcept {
  const std::int64_t hours = core::floor_div(t.value, core::kNanosPerHour);
  const std::int64_t hour = hours - core::floor_div(hours, 24) * 24;
  return weights_[static_cast<std::size_t>(hour)];
}

}  // namespace ballast::data
