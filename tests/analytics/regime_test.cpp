#include "ballast/analytics/regime.hpp"

#include "ballast/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

namespace ballast::analytics {
namespace {

struct Columns {
  std::vector<double> high;
  std::vector<double> low;
  std::vector<double> close;
};

// close_t = start·g^t; each bar spans [close_{t−1}, close_t].
Columns straight_up(std::size_t n, double start, double g) {
  Columns c;
  double previous = start / g;
  for (std::size_t t = 0; t < n; ++t) {
    const double close = start * std::pow(g, static_cast<double>(t));
    c.close.push_back(close);
    c.high.push_back(close);
    c.low.push_back(previous);
    previous = close;
  }
  return c;
}

// A range: closes alternate 100 − d, 100 + d (log returns ±ln((100 + d)/(100 − d))) and every bar spans
// [100 − d, 100 + d]; d = quiet_d for the first `quiet` bars, loud_d after. Every bar has the same
// centre, so each widening moves the high up exactly as far as the low down: +DM = −DM = 0 on every bar
// (Wilder), hence ADX = 0 and the trend rules say SIDEWAYS throughout.
Columns range_bound(std::size_t quiet, double quiet_d, std::size_t loud, double loud_d) {
  Columns c;
  for (std::size_t t = 0; t < quiet + loud; ++t) {
    const double d = t < quiet ? quiet_d : loud_d;
    c.close.push_back(t % 2 == 1 ? 100.0 + d : 100.0 - d);
    c.high.push_back(100.0 + d);
    c.low.push_back(100.0 - d);
  }
  return c;
}

// The test's own seeded normal source: std::mt19937_64 (its output sequence is fixed by the C++
// standard) and the Box–Muller transform, so the synthetic series is the same on every platform.
class Normals {
 public:
  explicit Normals(std::uint64_t seed) : bits_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = (static_cast<double>(bits_() >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
    const double u2 = static_cast<double>(bits_() >> 11) * 0x1.0p-53;          // [0, 1)
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 bits_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// `calm` returns N(0, σ_calm²) followed by `loud` returns N(0, σ_loud²).
std::vector<double> calm_then_volatile(std::size_t calm, double sigma_calm, std::size_t loud, double sigma_loud,
                                       std::uint64_t seed) {
  Normals z(seed);
  std::vector<double> r;
  for (std::size_t t = 0; t < calm + loud; ++t) r.push_back((t < calm ? sigma_calm : sigma_loud) * z.next());
  return r;
}

double normal_log_density(double x, double mean, double variance) {
  return -0.5 * std::log(2.0 * std::numbers::pi * variance) - (x - mean) * (x - mean) / (2.0 * variance);
}

GaussianHmm two_state_model() {
  GaussianHmm m;
  m.initial = {0.6, 0.4};
  m.transition = {{0.9, 0.1}, {0.2, 0.8}};
  m.means = {0.0, 0.5};
  m.variances = {1.0, 4.0};
  return m;
}

TEST(RegimeEnums, RoundTripThroughTheirStableCodes) {
  for (const auto t : {TrendRegime::TrendingUp, TrendRegime::TrendingDown, TrendRegime::Ranging}) {
    EXPECT_EQ(*parse<TrendRegime>(to_string(t)), t);
    for (const auto v : {VolatilityRegime::LowVol, VolatilityRegime::HighVol}) {
      EXPECT_EQ(*parse<VolatilityRegime>(to_string(v)), v);
      const MarketRegime m = combine_regime(t, v);
      EXPECT_EQ(*parse<MarketRegime>(to_string(m)), m);
      EXPECT_EQ(trend_regime_of(m), t);
      EXPECT_EQ(volatility_regime_of(m), v);
    }
  }
  EXPECT_EQ(to_string(MarketRegime::TrendingDownHighVol), "TRENDING_DOWN_HIGH_VOL");
  EXPECT_EQ(to_string(combine_regime(TrendRegime::Ranging, VolatilityRegime::LowVol)), "RANGING_LOW_VOL");
  EXPECT_FALSE(parse<MarketRegime>("TRENDING"));
}

TEST(RegimeRules, ClassifyAStraightUpSeriesAsTrendingUp) {
  // Constant log returns: σ is 0 on every window, so never above its median — LOW_VOL.
  const Columns c = straight_up(150, 100.0, 1.01);
  auto latest = latest_regime(c.high, c.low, c.close);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->index, 149u);
  EXPECT_EQ(latest->regime, MarketRegime::TrendingUpLowVol);
  EXPECT_EQ(trend_regime_of(latest->regime), TrendRegime::TrendingUp);
  EXPECT_EQ(latest->trend.direction, TrendDirection::Up);
  EXPECT_EQ(latest->volatility, 0.0);

  auto all = detect_regimes(c.high, c.low, c.close);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->first_index, 119u);  // volatility_window + median_window − 1
  ASSERT_EQ(all->values.size(), 31u);
  for (const RegimePoint& p : all->values) EXPECT_EQ(p.regime, MarketRegime::TrendingUpLowVol);
}

TEST(RegimeRules, ARangingSeriesTurnsHighVolWhenItsSwingsWiden) {
  // Swings of ±0.5 around 100, then ±1.5 for the last 10 bars. Over 20 alternating returns ±x the
  // sample σ is x·√(20/19) (mean 0, n − 1 = 19), by hand, with x = ln(100.5/99.5).
  const Columns c = range_bound(140, 0.5, 10, 1.5);
  auto all = detect_regimes(c.high, c.low, c.close);
  ASSERT_TRUE(all);
  const RegimePoint& quiet = all->values[130 - all->first_index];
  EXPECT_EQ(quiet.regime, MarketRegime::RangingLowVol);
  EXPECT_NEAR(quiet.volatility, std::log(100.5 / 99.5) * std::sqrt(20.0 / 19.0), 1e-12);
  EXPECT_NEAR(quiet.median_volatility, quiet.volatility, 1e-12);
  EXPECT_EQ(quiet.trend.adx, 0.0);

  const RegimePoint& loud = all->values.back();
  EXPECT_EQ(loud.index, 149u);
  EXPECT_EQ(loud.regime, MarketRegime::RangingHighVol);
  EXPECT_EQ(loud.trend.direction, TrendDirection::Sideways);
  EXPECT_GT(loud.volatility, 2.0 * loud.median_volatility);
  EXPECT_EQ(loud.level.level, VolatilityLevel::Extreme);

  auto latest = latest_regime(c.high, c.low, c.close);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->regime, MarketRegime::RangingHighVol);
  EXPECT_EQ(latest->volatility, loud.volatility);
}

TEST(RegimeRules, RatioAboveOneRaisesTheHighVolBar) {
  const Columns c = range_bound(140, 0.5, 10, 1.5);
  RegimeRuleConfig config;
  config.high_volatility_ratio = 1e6;
  auto latest = latest_regime(c.high, c.low, c.close, config);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->regime, MarketRegime::RangingLowVol);
}

TEST(RegimeRules, RejectBadConfigShortSeriesAndNonFiniteInput) {
  const Columns c = straight_up(150, 100.0, 1.01);
  RegimeRuleConfig config;
  config.median_window = 0;
  EXPECT_FALSE(detect_regimes(c.high, c.low, c.close, config));
  config = {};
  config.volatility_window = 1;
  EXPECT_FALSE(detect_regimes(c.high, c.low, c.close, config));
  config = {};
  config.high_volatility_ratio = 0.0;
  EXPECT_FALSE(detect_regimes(c.high, c.low, c.close, config));

  const Columns one = straight_up(1, 100.0, 1.01);
  auto single = latest_regime(one.high, one.low, one.close);
  ASSERT_FALSE(single);
  EXPECT_NE(single.error().message().find("at least 120 bars"), std::string::npos);

  Columns bad = c;
  bad.low[33] = std::numeric_limits<double>::quiet_NaN();
  auto nan = detect_regimes(bad.high, bad.low, bad.close);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("low[33]"), std::string::npos);
}

TEST(GaussianHmm, LikelihoodMatchesBruteForceEnumerationOfEveryPath) {
  // p(r) = Σ over all 2^8 state paths of π_{s0}·b_{s0}(r0)·Π A_{s(t−1) s(t)}·b_{s(t)}(r_t), summed
  // directly (an independent computation of what the scaled forward pass returns).
  const GaussianHmm m = two_state_model();
  const std::vector<double> r{0.1, -0.4, 2.5, 3.1, -2.2, 0.3, 0.0, 1.7};
  const std::size_t n = r.size();
  double total = 0.0;
  double best = -std::numeric_limits<double>::infinity();
  std::vector<int> best_path;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::vector<int> path(n);
    for (std::size_t t = 0; t < n; ++t) path[t] = static_cast<int>((mask >> t) & 1u);
    double log_p = std::log(m.initial[static_cast<std::size_t>(path[0])]);
    for (std::size_t t = 0; t < n; ++t) {
      const auto s = static_cast<std::size_t>(path[t]);
      if (t > 0) log_p += std::log(m.transition[static_cast<std::size_t>(path[t - 1])][s]);
      log_p += normal_log_density(r[t], m.means[s], m.variances[s]);
    }
    total += std::exp(log_p);
    if (log_p > best) {
      best = log_p;
      best_path = path;
    }
  }
  auto ll = hmm_log_likelihood(m, r);
  ASSERT_TRUE(ll);
  EXPECT_NEAR(*ll, std::log(total), 1e-12);
  auto viterbi = hmm_viterbi(m, r);
  ASSERT_TRUE(viterbi);
  EXPECT_EQ(*viterbi, best_path);
}

TEST(GaussianHmm, ScaledForwardPassSurvivesObservationsFarInEveryTail) {
  // A 40σ outlier has density e^-800 in both states (below the smallest double); the per-step
  // offset keeps the pass finite, and with identical states the HMM is one Gaussian, so the
  // likelihood is Σ ln N(r_t; 0, 1) exactly.
  GaussianHmm m;
  m.initial = {0.5, 0.5};
  m.transition = {{0.5, 0.5}, {0.5, 0.5}};
  m.means = {0.0, 0.0};
  m.variances = {1.0, 1.0};
  const std::vector<double> r{0.3, 40.0, -1.0, 41.0};
  double expected = 0.0;
  for (const double x : r) expected += normal_log_density(x, 0.0, 1.0);
  auto ll = hmm_log_likelihood(m, r);
  ASSERT_TRUE(ll);
  EXPECT_NEAR(*ll, expected, 1e-9);
}

TEST(GaussianHmm, RecoversTheSwitchFromACalmToAVolatileSegment) {
  // Truth: 400 returns at σ = 0.5%, then 400 at σ = 2%, seed 20240601.
  constexpr std::size_t kSwitch = 400;
  constexpr double kCalmVariance = 0.005 * 0.005;
  constexpr double kLoudVariance = 0.02 * 0.02;
  const std::vector<double> r = calm_then_volatile(kSwitch, 0.005, 400, 0.02, 20240601);
  auto fit = fit_gaussian_hmm(r);
  ASSERT_TRUE(fit);
  EXPECT_TRUE(fit->converged);
  ASSERT_EQ(fit->model.states(), 2);
  // Sampling error of a variance from ~400 normals is √(2/400) ≈ 7%: allow 25%.
  EXPECT_NEAR(fit->model.variances[0] / kCalmVariance, 1.0, 0.25);
  EXPECT_NEAR(fit->model.variances[1] / kLoudVariance, 1.0, 0.25);
  EXPECT_GT(fit->model.transition[0][0], 0.95);
  EXPECT_GT(fit->model.transition[1][1], 0.95);

  // The step function (state 0 before s, 1 from s) that best matches the Viterbi path.
  ASSERT_EQ(fit->viterbi.size(), r.size());
  std::size_t best_switch = 0;
  std::size_t fewest = r.size() + 1;
  for (std::size_t s = 0; s <= r.size(); ++s) {
    std::size_t mismatches = 0;
    for (std::size_t t = 0; t < r.size(); ++t) mismatches += fit->viterbi[t] != (t < s ? 0 : 1);
    if (mismatches < fewest) {
      fewest = mismatches;
      best_switch = s;
    }
  }
  EXPECT_LE(best_switch > kSwitch ? best_switch - kSwitch : kSwitch - best_switch, 15u);
  EXPECT_LT(fewest, r.size() / 20);  // at least 95% of observations labelled as the truth

  // Posteriors are distributions, and the reported likelihood is that of the returned parameters.
  for (std::size_t t = 0; t < r.size(); t += 37) EXPECT_NEAR(fit->posterior(t, 0) + fit->posterior(t, 1), 1.0, 1e-12);
  auto ll = hmm_log_likelihood(fit->model, r);
  ASSERT_TRUE(ll);
  EXPECT_NEAR(*ll, fit->log_likelihood, 1e-8 * std::abs(*ll));
  auto viterbi = hmm_viterbi(fit->model, r);
  ASSERT_TRUE(viterbi);
  EXPECT_EQ(*viterbi, fit->viterbi);
  EXPECT_EQ(fit->posterior_states().size(), r.size());
}

TEST(GaussianHmm, FitIsDeterministicAndOrdersThreeStatesByVariance) {
  Normals z(7);
  std::vector<double> r;
  const double sigmas[] = {0.02, 0.002, 0.008};  // loud, calm, middling: the fit must reorder them
  for (const double s : sigmas) {
    for (int i = 0; i < 300; ++i) r.push_back(s * z.next());
  }
  GaussianHmmConfig config;
  config.states = 3;
  auto a = fit_gaussian_hmm(r, config);
  auto b = fit_gaussian_hmm(r, config);
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->model.variances, b->model.variances);
  EXPECT_EQ(a->viterbi, b->viterbi);
  ASSERT_EQ(a->model.states(), 3);
  EXPECT_LT(a->model.variances[0], a->model.variances[1]);
  EXPECT_LT(a->model.variances[1], a->model.variances[2]);
  EXPECT_NEAR(a->model.variances[0] / (0.002 * 0.002), 1.0, 0.3);
  EXPECT_NEAR(a->model.variances[2] / (0.02 * 0.02), 1.0, 0.3);
  // The loud segment came first: it is labelled with the highest-variance state.
  EXPECT_EQ(a->viterbi[150], 2);
  EXPECT_EQ(a->viterbi[450], 0);
  EXPECT_EQ(a->viterbi[750], 1);
}

TEST(GaussianHmm, RejectsBadConfigShortConstantAndNonFiniteSeries) {
  const std::vector<double> r = calm_then_volatile(50, 0.01, 50, 0.03, 1);
  GaussianHmmConfig config;
  config.states = 4;
  EXPECT_FALSE(fit_gaussian_hmm(r, config));
  config = {};
  config.initial_stay_probability = 1.0;
  EXPECT_FALSE(fit_gaussian_hmm(r, config));
  config = {};
  config.tolerance = 0.0;
  EXPECT_FALSE(fit_gaussian_hmm(r, config));

  auto single = fit_gaussian_hmm(std::vector<double>{0.01});
  ASSERT_FALSE(single);
  EXPECT_NE(single.error().message().find("at least 20"), std::string::npos);
  auto flat = fit_gaussian_hmm(std::vector<double>(100, 0.001));
  ASSERT_FALSE(flat);
  EXPECT_NE(flat.error().message().find("constant"), std::string::npos);
  std::vector<double> bad = r;
  bad[17] = std::numeric_limits<double>::infinity();
  auto inf = fit_gaussian_hmm(bad);
  ASSERT_FALSE(inf);
  EXPECT_NE(inf.error().message().find("returns[17]"), std::string::npos);

  GaussianHmm m = two_state_model();
  m.transition[1] = {0.5, 0.6};
  EXPECT_FALSE(hmm_log_likelihood(m, r));
  m = two_state_model();
  m.variances[0] = 0.0;
  EXPECT_FALSE(hmm_viterbi(m, r));
  EXPECT_FALSE(hmm_log_likelihood(two_state_model(), std::vector<double>{}));
}

}  // namespace
}  // namespace ballast::analytics
