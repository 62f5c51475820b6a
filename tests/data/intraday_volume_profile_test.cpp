// IntradayVolumeProfile: normalisation and the shapes of the presets.

#include "ballast/data/intraday_volume_profile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace ballast::data {
namespace {

double mean(const std::array<double, 24>& w) {
  return std::accumulate(w.begin(), w.end(), 0.0) / 24.0;
}

TEST(GeneratorVolumeProfile, NormalisesEveryPresetToMeanOne) {
  EXPECT_NEAR(mean(IntradayVolumeProfile::flat().hourly()), 1.0, 1e-12);
  EXPECT_NEAR(mean(IntradayVolumeProfile::crypto_24h().hourly()), 1.0, 1e-12);
  EXPECT_NEAR(mean(IntradayVolumeProfile::session_u_shape(9, 17)->hourly()), 1.0, 1e-12);
  std::array<double, 24> raw{};
  raw.fill(2.0);
  raw[3] = 8.0;
  const auto custom = IntradayVolumeProfile::from_hourly(raw);
  ASSERT_TRUE(custom.has_value());
  EXPECT_NEAR(mean(custom->hourly()), 1.0, 1e-12);
  EXPECT_NEAR(custom->hourly()[3] / custom->hourly()[0], 4.0, 1e-12);
}

TEST(GeneratorVolumeProfile, PeaksAtTheUsOpenAndDipsInLateAsianHoursForCrypto) {
  const auto profile = IntradayVolumeProfile::crypto_24h();
  const auto& w = profile.hourly();
  EXPECT_EQ(std::max_element(w.begin(), w.end()) - w.begin(), 14);
  EXPECT_EQ(std::min_element(w.begin(), w.end()) - w.begin(), 5);
}

TEST(GeneratorVolumeProfile, IsUShapedOverASession) {
  const auto p = IntradayVolumeProfile::session_u_shape(9, 17, 3.0, 0.1);
  ASSERT_TRUE(p.has_value());
  const auto& w = p->hourly();
  // Session hours 9..16: symmetric, highest at the edges, lowest in the middle.
  EXPECT_NEAR(w[9], w[16], 1e-12);
  EXPECT_GT(w[9], w[10]);
  EXPECT_GT(w[10], w[12]);
  EXPECT_NEAR(w[12], w[13], 1e-12);
  // Edge over middle: (1 + 2·(7/8)²) / (1 + 2·(1/8)²) with the hour midpoints 0.5/8 and 3.5/8 from each end.
  EXPECT_NEAR(w[9] / w[12], (1.0 + 2.0 * 0.765625) / (1.0 + 2.0 * 0.015625), 1e-12);
  // Outside the session: 0.1 of the mid-session level (1 + 2·(1/8)²).
  EXPECT_NEAR(w[3] / w[12], 0.1 / (1.0 + 2.0 * 0.015625), 1e-12);
}

TEST(GeneratorVolumeProfile, LooksUpTheUtcHourIncludingBefore1970) {
  const auto p = IntradayVolumeProfile::crypto_24h();
  EXPECT_EQ(p.weight_at(*core::parse_timestamp("2024-01-01T14:59:59Z")), p.hourly()[14]);
  EXPECT_EQ(p.weight_at(*core::parse_timestamp("1969-12-31T23:30:00Z")), p.hourly()[23]);
}

TEST(GeneratorVolumeProfile, RejectsInvalidShapes) {
  EXPECT_FALSE(IntradayVolumeProfile::session_u_shape(17, 9).has_value());
  EXPECT_FALSE(IntradayVolumeProfile::session_u_shape(-1, 9).has_value());
  EXPECT_FALSE(IntradayVolumeProfile::session_u_shape(9, 17, 0.5).has_value());
  std::array<double, 24> zero{};
  EXPECT_FALSE(IntradayVolumeProfile::from_hourly(zero).has_value());
  zero[4] = -1.0;
  auto negative = IntradayVolumeProfile::from_hourly(zero);
  ASSERT_FALSE(negative.has_value());
  EXPECT_EQ(negative.error().where(), "volume_profile[4]");
}

}  // namespace
}  // namespace ballast::data
