#include "ballast/analytics/distributions.hpp"

#include "ballast/core/require.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ballast::analytics {
namespace {

TEST(NormalQuantile, MatchesTabulatedCriticalValues) {
  // NIST/SEMATECH e-Handbook of Statistical Methods §1.3.6.7.1 and Abramowitz & Stegun Table 26.5,
  // extended to full precision with R's qnorm (Wichura AS241): z_0.99 = 2.326347874040841,
  // z_0.975 = 1.959963984540054, z_0.95 = 1.644853626951472, z_0.999 = 3.090232306167813.
  EXPECT_NEAR(normal_quantile(0.99), 2.326347874040841, 1e-14);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.95), 1.644853626951472, 1e-14);
  EXPECT_NEAR(normal_quantile(0.999), 3.090232306167813, 1e-14);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
}

TEST(NormalQuantile, IsAntisymmetricAndInvertsTheCdfDeepInTheTail) {
  // Dyadic p so that 1 − p is exact in binary.
  for (double p : {0x1p-30, 0x1p-20, 0x1p-10, 0.125, 0.25, 0.375}) {
    EXPECT_DOUBLE_EQ(normal_quantile(p), -normal_quantile(1.0 - p)) << p;
  }
  for (double p : {1e-300, 1e-100, 1e-12, 1e-6, 0.001, 0.01, 0.2, 0.4999, 0.7, 0.999}) {
    // Relative accuracy of Φ(Φ⁻¹(p)) = p, limited by erfc itself.
    EXPECT_NEAR(normal_cdf(normal_quantile(p)) / p, 1.0, 1e-13) << p;
  }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenUnitInterval) {
  EXPECT_THROW(normal_quantile(0.0), core::InvariantError);
  EXPECT_THROW(normal_quantile(1.0), core::InvariantError);
}

TEST(NormalDensity, MatchesClosedForm) {
  // φ(0) = 1/√(2π); φ(z_0.99) = 0.02665214220345808 (R: dnorm(qnorm(0.99))).
  EXPECT_NEAR(normal_pdf(0.0), 0.3989422804014327, 1e-16);
  EXPECT_NEAR(normal_pdf(2.326347874040841), 0.02665214220345808, 1e-16);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-15);
}

TEST(ChiSquare, MatchesTabulatedCriticalValues) {
  // 95% critical values of χ²(1) and χ²(2): 3.841458820694124 and 5.991464547107979 (NIST
  // e-Handbook §1.3.6.7.4; 5.991… = −2·ln 0.05 exactly for 2 dof).
  EXPECT_NEAR(chi_square_cdf(3.841458820694124, 1), 0.95, 1e-14);
  EXPECT_NEAR(chi_square_survival(3.841458820694124, 1), 0.05, 1e-14);
  EXPECT_NEAR(chi_square_cdf(5.991464547107979, 2), 0.95, 1e-14);
  EXPECT_NEAR(chi_square_survival(6.634896601021211, 1), 0.01, 1e-14);
  EXPECT_EQ(chi_square_cdf(0.0, 1), 0.0);
  EXPECT_EQ(chi_square_survival(-1.0, 2), 1.0);
  EXPECT_THROW((void)chi_square_cdf(1.0, 3), core::InvariantError);
}

}  // namespace
}  // namespace ballast::analytics
