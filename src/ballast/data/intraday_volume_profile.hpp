#pragma once
// IntradayVolumeProfile: how traded volume varies with the UTC hour of day, as 24 relative weights
// normalised to a mean of 1 (so a profile redistributes a day's volume without changing its total).
//
// Presets:
//  - crypto_24h(): 24-hour crypto markets. Volume is lowest in the late Asian hours (04–06 UTC), rises
//    into the European morning, peaks when US equities open (13:30–16:00 UTC) and has a smaller bump at
//    00:00 UTC, where daily candles and funding/settlement cluster. Shape after published hourly volume
//    studies of BTC/USDT on large venues; the numbers are rounded, not fitted.
//  - session_u_shape(open, close, edge_ratio, off_session): a trading session from hour `open` to hour
//    `close` (UTC) with the classic U: the weight at the open and close edges is `edge_ratio` times the
//    mid-session weight (quadratic in between); hours outside the session get `off_session` times the
//    mid-session weight.
//  - flat(): every hour the same.

#include <array>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"

namespace ballast::data {

class IntradayVolumeProfile {
 public:
  IntradayVolumeProfile() : IntradayVolumeProfile(flat()) {}

  static IntradayVolumeProfile flat();
  static IntradayVolumeProfile crypto_24h();
  // Requires 0 <= open_hour < close_hour <= 24, edge_ratio >= 1, off_session >= 0.
  static core::Result<IntradayVolumeProfile> session_u_shape(int open_hour, int close_hour, double edge_ratio = 3.0,
                                                             double off_session = 0.05);
  // Any 24 non-negative weights with a positive sum; they are rescaled to mean 1.
  static core::Result<IntradayVolumeProfile> from_hourly(const std::array<double, 24>& weights);

  // The weight of the UTC hour containing t.
  double weight_at(core::UnixNanos t) const noexcept;
  const std::array<double, 24>& hourly() const noexcept { return weights_; }

 private:
  explicit IntradayVolumeProfile(const std::array<double, 24>& normalised) : weights_(normalised) {}

  std::array<double, 24> weights_{};
};

}  // namespace ballast::data
