// VolatilityRegimeChain: stated transition probabilities, stationary distribution, normalisation.

#include "ballast/data/volatility_regime_chain.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "ballast/data/gaussian_rng.hpp"

namespace ballast::data {
namespace {

using std::chrono::hours;

TEST(GeneratorRegimes, StatesPerBarProbabilitiesFromMeanDurations) {
  // Two regimes lasting 10 and 2 days with daily bars: stay with probability e^{-1/10} and e^{-1/2}.
  auto config = VolatilityRegimeConfig::from_mean_durations({1.0, 2.0}, {hours(240), hours(48)}, hours(24));
  ASSERT_TRUE(config.has_value());
  EXPECT_NEAR(config->transition[0][0], std::exp(-0.1), 1e-15);
  EXPECT_NEAR(config->transition[0][1], 1.0 - std::exp(-0.1), 1e-15);
  EXPECT_NEAR(config->transition[1][1], std::exp(-0.5), 1e-15);
  // Three regimes: the leaving probability is split evenly over the other two.
  auto three =
      VolatilityRegimeConfig::from_mean_durations({0.7, 1.0, 1.8}, {hours(480), hours(240), hours(72)}, hours(24));
  ASSERT_TRUE(three.has_value());
  EXPECT_NEAR(three->transition[2][0], (1.0 - std::exp(-1.0 / 3.0)) / 2.0, 1e-15);
  EXPECT_NEAR(three->transition[2][1], three->transition[2][0], 1e-15);
  EXPECT_FALSE(VolatilityRegimeConfig::from_mean_durations({1.0, 2.0}, {hours(1), hours(48)}, hours(24)).has_value());
}

TEST(GeneratorRegimes, SolvesTheStationaryDistributionAndNormalisesVariance) {
  // Two states, p01 = 0.1, p10 = 0.3: π = (p10, p01)/(p01 + p10) = (0.75, 0.25).
  VolatilityRegimeConfig config{{1.0, 3.0}, {{0.9, 0.1}, {0.3, 0.7}}, 0, true};
  auto chain = VolatilityRegimeChain::create(config);
  ASSERT_TRUE(chain.has_value()) << chain.error().to_string();
  EXPECT_NEAR(chain->stationary_distribution()[0], 0.75, 1e-12);
  EXPECT_NEAR(chain->stationary_distribution()[1], 0.25, 1e-12);
  // Σπm² = 0.75·1 + 0.25·9 = 3, so the multipliers are divided by √3.
  EXPECT_NEAR(chain->multipliers()[0], 1.0 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(chain->multipliers()[1], 3.0 / std::sqrt(3.0), 1e-12);
  config.normalise = false;
  EXPECT_EQ(VolatilityRegimeChain::create(config)->multipliers()[1], 3.0);
}

TEST(GeneratorRegimes, VisitsRegimesAtTheirStationaryFrequencies) {
  VolatilityRegimeConfig config{{1.0, 3.0}, {{0.9, 0.1}, {0.3, 0.7}}, 0, true};
  auto chain = VolatilityRegimeChain::create(config);
  ASSERT_TRUE(chain.has_value());
  GaussianRng rng(3);
  constexpr int kN = 200'000;
  int in_one = 0;
  for (int i = 0; i < kN; ++i) {
    chain->step(rng.uniform());
    in_one += chain->regime() == 1 ? 1 : 0;
  }
  // For a two-state chain the time fraction has asymptotic variance π0π1(1+λ)/((1−λ)n), λ = 1 − p01 − p10 = 0.6.
  const double sd = std::sqrt(0.75 * 0.25 * (1.6 / 0.4) / kN);
  EXPECT_NEAR(static_cast<double>(in_one) / kN, 0.25, 5.0 * sd);
}

TEST(GeneratorRegimes, GivesASingleUnitRegimeWhenEmpty) {
  auto chain = VolatilityRegimeChain::create({});
  ASSERT_TRUE(chain.has_value());
  EXPECT_EQ(chain->regime_count(), 1u);
  EXPECT_EQ(chain->multiplier(), 1.0);
  chain->step(0.99);
  EXPECT_EQ(chain->regime(), 0u);
}

TEST(GeneratorRegimes, RejectsInvalidChains) {
  const auto where = [](VolatilityRegimeConfig c) {
    auto r = VolatilityRegimeChain::create(c);
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().where();
  };
  EXPECT_EQ(where({{1.0, 2.0}, {{0.9, 0.2}, {0.5, 0.5}}, 0, true}), "regimes.transition[0]");
  EXPECT_EQ(where({{1.0, 2.0}, {{1.1, -0.1}, {0.5, 0.5}}, 0, true}), "regimes.transition[0]");
  EXPECT_EQ(where({{1.0, 0.0}, {{0.5, 0.5}, {0.5, 0.5}}, 0, true}), "regimes.multipliers[1]");
  EXPECT_EQ(where({{1.0, 2.0}, {{0.5, 0.5}}, 0, true}), "regimes.transition");
  EXPECT_EQ(where({{1.0, 2.0}, {{0.5, 0.5}, {0.5, 0.5}}, 2, true}), "regimes.initial_regime");
  // Two absorbing regimes: no unique stationary distribution.
  auto reducible = VolatilityRegimeChain::create({{1.0, 2.0}, {{1.0, 0.0}, {0.0, 1.0}}, 0, true});
  ASSERT_FALSE(reducible.has_value());
  EXPECT_NE(reducible.error().message().find("no unique stationary distribution"), std::string::npos);
}

}  // namespace
}  // namespace ballast::data
