// GaussianRng: the engine is the standard's mt19937_64; the distributions have the right moments.
// Tolerances are 5 standard errors of the sample statistic.

#include "ballast/data/gaussian_rng.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ballast::data {
namespace {

TEST(GeneratorRng, UsesTheStandardMersenneTwisterSequence) {
  // [rand.predef]: the 10000th consecutive invocation of a default-constructed mt19937_64 (seed 5489)
  // produces 9981545732273789042.
  GaussianRng rng(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.next_u64();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(GeneratorRng, RepeatsItsSequenceForTheSameSeed) {
  GaussianRng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    differs = differs || x != c.normal();
  }
  EXPECT_TRUE(differs);
}

TEST(GeneratorRng, DrawsUniformsInTheUnitInterval) {
  GaussianRng rng(7);
  constexpr int kN = 200'000;
  double sum = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = rng.uniform_positive();
    ASSERT_GT(v, 0.0);
    ASSERT_LE(v, 1.0);
    sum += u;
  }
  // Uniform(0,1): mean 1/2, standard deviation 1/√12.
  EXPECT_NEAR(sum / kN, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / kN));
}

TEST(GeneratorRng, DrawsStandardNormals) {
  GaussianRng rng(11);
  constexpr int kN = 200'000;
  double sum = 0.0, sum_sq = 0.0, sum_4 = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double z = rng.normal();
    sum += z;
    sum_sq += z * z;
    sum_4 += z * z * z * z;
  }
  const double mean = sum / kN;
  const double var = sum_sq / kN - mean * mean;
  // N(0,1): SE of the mean 1/√n; of the variance √(2/n); the fourth moment is 3 with SE √(96/n).
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(kN));
  EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / kN));
  EXPECT_NEAR(sum_4 / kN, 3.0, 5.0 * std::sqrt(96.0 / kN));
}

TEST(GeneratorRng, DrawsPoissonCounts) {
  GaussianRng rng(13);
  constexpr int kN = 200'000;
  for (double lambda : {0.01, 0.3, 4.0}) {
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < kN; ++i) {
      const double k = rng.poisson(lambda);
      sum += k;
      sum_sq += k * k;
    }
    const double mean = sum / kN;
    // Poisson(λ): mean and variance λ.
    EXPECT_NEAR(mean, lambda, 5.0 * std::sqrt(lambda / kN)) << lambda;
    EXPECT_NEAR(sum_sq / kN - mean * mean, lambda, 0.05 * lambda + 5.0 * std::sqrt(lambda / kN)) << lambda;
  }
  EXPECT_EQ(rng.poisson(0.0), 0u);
  EXPECT_EQ(rng.poisson(-1.0), 0u);
}

}  // namespace
}  // namespace ballast::data
