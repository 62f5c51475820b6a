// SyntheticMarketGenerator: reproducibility, bar consistency, and the statistics of the generated
// path against the requested parameters. Statistical tolerances are 5 standard errors of the estimator:
//   sample correlation r of n pairs: SE ≈ (1 − ρ²)/√n;
//   annualised volatility σ̂ from n returns: SE ≈ σ/√(2n) (for Gaussian returns);
//   with volatility regimes the SE of σ̂ follows from the chain (see LongRunVolatility… below).

#include "ballast/data/synthetic_market_generator.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numeric>

namespace ballast::data {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

std::vector<double> log_returns(const model::BarSeries& s) {
  std::vector<double> r;
  for (std::size_t i = 1; i < s.bars.size(); ++i) {
    r.push_back(std::log(s.bars[i].close.as_double() / s.bars[i - 1].close.as_double()));
  }
  return r;
}

double mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double stdev(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0.0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// The crypto preset with jumps and regimes switched off: pure correlated GBM. Ticks of 1e-6 keep price
// rounding negligible against the returns even after prices have drifted far from where they started.
SyntheticMarketConfig diffusion_only(core::Duration interval, std::uint64_t seed) {
  auto config = crypto_market_preset(interval, seed);
  for (auto& inst : config.instruments) {
    inst.jumps = JumpConfig{};
    inst.tick_size = model::Price::from_raw(1, 6);
  }
  config.regimes = VolatilityRegimeConfig{};
  config.substeps = 4;
  return config;
}

SyntheticMarketGenerator make(SyntheticMarketConfig config) {
  auto g = SyntheticMarketGenerator::create(std::move(config));
  EXPECT_TRUE(g.has_value()) << (g ? "" : g.error().to_string());
  return std::move(*g);
}

TEST(GeneratorSyntheticMarket, GivesIdenticalBarsForTheSameSeed) {
  auto a = make(crypto_market_preset(minutes(1), 7)).generate(500);
  auto b = make(crypto_market_preset(minutes(1), 7)).generate(500);
  ASSERT_EQ(a.size(), 3u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].bars.size(), 500u);
    for (std::size_t k = 0; k < a[i].bars.size(); ++k) {
      const auto& x = a[i].bars[k];
      const auto& y = b[i].bars[k];
      ASSERT_EQ(x.ts_event, y.ts_event);
      ASSERT_EQ(x.open.value().raw(), y.open.value().raw());
      ASSERT_EQ(x.high.value().raw(), y.high.value().raw());
      ASSERT_EQ(x.low.value().raw(), y.low.value().raw());
      ASSERT_EQ(x.close.value().raw(), y.close.value().raw());
      ASSERT_EQ(x.volume.value().raw(), y.volume.value().raw());
    }
  }
}

TEST(GeneratorSyntheticMarket, GivesDifferentBarsForDifferentSeeds) {
  auto a = make(crypto_market_preset(minutes(1), 7)).generate(50);
  auto b = make(crypto_market_preset(minutes(1), 8)).generate(50);
  int differing = 0;
  for (std::size_t k = 0; k < 50; ++k) differing += a[0].bars[k].close != b[0].bars[k].close ? 1 : 0;
  EXPECT_GT(differing, 40);
}

TEST(GeneratorSyntheticMarket, StreamsTheSameBarsItGeneratesInABatch) {
  auto batch = make(crypto_market_preset(minutes(5), 3)).generate(200);
  auto live = make(crypto_market_preset(minutes(5), 3));
  EXPECT_EQ(live.next_bar_start(), *core::parse_timestamp("2024-01-01T00:00:00Z"));
  for (std::size_t k = 0; k < 200; ++k) {
    const auto& row = live.next();
    ASSERT_EQ(row.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
      ASSERT_EQ(row[i].close, batch[i].bars[k].close);
      ASSERT_EQ(row[i].volume, batch[i].bars[k].volume);
    }
  }
  EXPECT_EQ(live.bars_generated(), 200u);
  EXPECT_EQ(live.next_bar_start(), *core::parse_timestamp("2024-01-01T16:40:00Z"));
}

TEST(GeneratorSyntheticMarket, BuildsConsistentBarsOnTheTickGridWithContinuousOpens) {
  const auto config = crypto_market_preset(minutes(1), 21);
  auto series = make(config).generate(5000);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& inst = config.instruments[i];
    const auto& s = series[i];
    EXPECT_EQ(s.instrument_id, inst.instrument_id);
    EXPECT_EQ(s.interval, minutes(1));
    for (std::size_t k = 0; k < s.bars.size(); ++k) {
      const auto& b = s.bars[k];
      ASSERT_LE(b.low, b.open) << i << ":" << k;
      ASSERT_LE(b.low, b.close) << i << ":" << k;
      ASSERT_GE(b.high, b.open) << i << ":" << k;
      ASSERT_GE(b.high, b.close) << i << ":" << k;
      ASSERT_TRUE(b.low.is_positive());
      ASSERT_FALSE(b.volume.value().is_negative());
      ASSERT_TRUE(b.close.is_on_tick(inst.tick_size));
      ASSERT_TRUE(b.high.is_on_tick(inst.tick_size));
      ASSERT_TRUE(b.volume.is_on_step(inst.lot_size));
      ASSERT_EQ(b.ts_event, config.start + minutes(1) * static_cast<std::int64_t>(k));
      ASSERT_EQ(b.ts_recv, b.ts_event + minutes(1));
      if (k > 0) {
        ASSERT_EQ(b.open, s.bars[k - 1].close);
      }
    }
  }
  // The first opens are the preset's start prices on their ticks.
  EXPECT_EQ(series[0].bars[0].open, *model::Price::parse("42283.5"));
  EXPECT_EQ(series[1].bars[0].open, *model::Price::parse("2282.30"));
  EXPECT_EQ(series[2].bars[0].open, *model::Price::parse("101.50"));
}

TEST(GeneratorSyntheticMarket, MatchesTheRequestedCorrelationOfLogReturns) {
  const auto config = diffusion_only(hours(1), 99);
  auto series = make(config).generate(20'001);
  std::vector<std::vector<double>> r;
  for (const auto& s : series) r.push_back(log_returns(s));
  const double n = static_cast<double>(r[0].size());
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = i + 1; j < 3; ++j) {
      const double rho = config.correlation[i][j];
      EXPECT_NEAR(correlation(r[i], r[j]), rho, 5.0 * (1.0 - rho * rho) / std::sqrt(n)) << i << "," << j;
    }
  }
}

TEST(GeneratorSyntheticMarket, MatchesTheRequestedAnnualisedVolatility) {
  const auto config = diffusion_only(hours(1), 5);
  auto series = make(config).generate(20'001);
  const double bars_per_year = 365.0 * 24.0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto r = log_returns(series[i]);
    const double sigma = config.instruments[i].annual_volatility;
    const double realised = stdev(r) * std::sqrt(bars_per_year);
    EXPECT_NEAR(realised, sigma, 5.0 * sigma / std::sqrt(2.0 * static_cast<double>(r.size()))) << i;
  }
}

TEST(GeneratorSyntheticMarket, KeepsTheLongRunVolatilityUnderNormalisedRegimes) {
  // Daily bars, the preset's three regimes, no jumps. With r_t = σ m_t √Δ ε_t the realised variance
  // (1/n)Σr² has relative variance (1/n)[3E m⁴ − 1 + 2Σ_{k≥1}(E[m_0² m_k²] − 1)] (E m² = 1 by
  // normalisation); E[m_0² m_k²] = Σ_ij π_i m_i² (P^k)_ij m_j². σ̂'s relative SE is half of that root.
  // 55 years of daily bars: a driftless GBM at crypto volatility would wander to a single tick, so the
  // volatilities here are 10–20 % and the tick 1e-4 on a start price of 1000.
  auto config = crypto_market_preset(hours(24), 17);
  for (std::size_t i = 0; i < config.instruments.size(); ++i) {
    auto& inst = config.instruments[i];
    inst.jumps = JumpConfig{};
    inst.annual_volatility = 0.10 + 0.05 * static_cast<double>(i);
    inst.start_price = 1000.0;
    inst.tick_size = model::Price::from_raw(1, 4);
  }
  config.substeps = 2;
  auto generator = make(config);
  const auto& chain = generator.regimes();
  const auto& pi = chain.stationary_distribution();
  const auto& m = chain.multipliers();
  const auto& p = chain.transition();
  const std::size_t k_states = m.size();
  double e_m4 = 0.0;
  for (std::size_t i = 0; i < k_states; ++i) e_m4 += pi[i] * std::pow(m[i], 4);
  double autocov = 0.0;
  std::vector<std::vector<double>> pk = p;  // P^k
  for (int k = 1; k <= 2000; ++k) {
    double e = 0.0;
    for (std::size_t i = 0; i < k_states; ++i) {
      for (std::size_t j = 0; j < k_states; ++j) e += pi[i] * m[i] * m[i] * pk[i][j] * m[j] * m[j];
    }
    autocov += e - 1.0;
    std::vector<std::vector<double>> next(k_states, std::vector<double>(k_states, 0.0));
    for (std::size_t i = 0; i < k_states; ++i) {
      for (std::size_t j = 0; j < k_states; ++j) {
        for (std::size_t q = 0; q < k_states; ++q) next[i][j] += pk[i][q] * p[q][j];
      }
    }
    pk = std::move(next);
  }
  auto series = generator.generate(20'001);
  const double n = 20'000.0;
  const double relative_se = 0.5 * std::sqrt((3.0 * e_m4 - 1.0 + 2.0 * autocov) / n);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto r = log_returns(series[i]);
    const double sigma = config.instruments[i].annual_volatility;
    EXPECT_NEAR(stdev(r) * std::sqrt(365.0), sigma, 5.0 * relative_se * sigma) << i;
  }
}

TEST(GeneratorSyntheticMarket, AddsJumpsAtTheirIntensity) {
  // One instrument with negligible diffusion and jumps of exactly +5 % (log) at 50 a year for 10 years:
  // the number of jumps is Poisson(500), read off each day's return as round(r / 0.05).
  SyntheticMarketConfig config;
  SyntheticInstrumentConfig inst;
  inst.instrument_id = *core::InstrumentId::parse("JUMPY.SIM");
  inst.start_price = 100.0;
  inst.annual_volatility = 0.001;
  inst.jumps = JumpConfig{50.0, 0.05, 0.0};
  inst.tick_size = model::Price::from_raw(1, 6);
  config.instruments = {inst};
  config.interval = hours(24);
  config.substeps = 8;
  config.seed = 1234;
  auto series = make(config).generate(3651);
  long jumps = 0;
  for (double r : log_returns(series[0])) jumps += std::lround(r / 0.05);
  EXPECT_NEAR(static_cast<double>(jumps), 500.0, 5.0 * std::sqrt(500.0));
}

TEST(GeneratorSyntheticMarket, ShapesVolumeByTheHourOfDay) {
  auto config = diffusion_only(hours(1), 8);
  config.instruments.resize(1);
  config.correlation.clear();
  config.volume_return_sensitivity = 0.0;
  config.volume_noise = 0.3;
  auto series = make(config).generate(24 * 400);
  std::array<double, 24> by_hour{};
  double total = 0.0;
  for (std::size_t k = 0; k < series[0].bars.size(); ++k) {
    const double v = series[0].bars[k].volume.as_double();
    by_hour[k % 24] += v;
    total += v;
  }
  const auto& w = config.volume_profile.hourly();
  // Each hour's mean over 400 bars has a relative SE of about 0.3/√400 = 1.5 %; allow 5 of them.
  for (int h : {0, 5, 14}) {
    EXPECT_NEAR(by_hour[static_cast<std::size_t>(h)] / (total / 24.0), w[static_cast<std::size_t>(h)],
                0.075 * w[static_cast<std::size_t>(h)])
        << h;
  }
  // Mean volume per day equals the configured daily volume (relative SE ≈ 0.3/√9600 ≈ 0.3 %).
  EXPECT_NEAR(total / 400.0, config.instruments[0].daily_volume, 0.015 * config.instruments[0].daily_volume);
}

TEST(GeneratorSyntheticMarket, RaisesVolumeWithAbsoluteReturns) {
  auto config = diffusion_only(minutes(15), 4);
  config.volume_profile = IntradayVolumeProfile::flat();
  config.volume_return_sensitivity = 2.0;
  config.volume_noise = 0.1;
  auto series = make(config).generate(5001);
  const auto r = log_returns(series[0]);
  std::vector<double> abs_r, volume;
  for (std::size_t k = 0; k < r.size(); ++k) {
    abs_r.push_back(std::fabs(r[k]));
    volume.push_back(series[0].bars[k + 1].volume.as_double());
  }
  EXPECT_GT(correlation(abs_r, volume), 0.8);
}

TEST(GeneratorSyntheticMarket, RejectsInvalidCorrelationMatrices) {
  const auto rejected = [](std::vector<std::vector<double>> c) {
    auto config = crypto_market_preset();
    config.correlation = std::move(c);
    auto g = SyntheticMarketGenerator::create(config);
    EXPECT_FALSE(g.has_value());
    return g ? core::Error(core::ErrorCode::Internal, "") : g.error();
  };
  // Pairwise plausible but jointly impossible: A~B and B~C strongly, A and C strongly opposed.
  const auto not_pd = rejected({{1.0, 0.9, -0.9}, {0.9, 1.0, 0.9}, {-0.9, 0.9, 1.0}});
  EXPECT_EQ(not_pd.code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(not_pd.where(), "correlation");
  EXPECT_NE(not_pd.message().find("not positive definite (smallest eigenvalue -0.8"), std::string::npos)
      << not_pd.message();
  const auto singular = rejected({{1.0, 1.0, 0.5}, {1.0, 1.0, 0.5}, {0.5, 0.5, 1.0}});
  EXPECT_NE(singular.message().find("not positive definite"), std::string::npos);
  EXPECT_EQ(rejected({{1.0, 0.8, 0.7}, {0.7, 1.0, 0.75}, {0.7, 0.75, 1.0}}).where(), "correlation[1][0]");
  EXPECT_EQ(rejected({{0.9, 0.8, 0.7}, {0.8, 1.0, 0.75}, {0.7, 0.75, 1.0}}).where(), "correlation[0][0]");
  EXPECT_EQ(rejected({{1.0, 1.5, 0.7}, {1.5, 1.0, 0.75}, {0.7, 0.75, 1.0}}).where(), "correlation[0][1]");
  EXPECT_EQ(rejected({{1.0, 0.8}, {0.8, 1.0}}).where(), "correlation");
  EXPECT_EQ(rejected({{1.0, 0.8, 0.7}, {0.8, 1.0}, {0.7, 0.75, 1.0}}).where(), "correlation[1]");
}

TEST(GeneratorSyntheticMarket, RejectsInvalidInstrumentsAndSettings) {
  const auto where = [](const SyntheticMarketConfig& config) {
    auto g = SyntheticMarketGenerator::create(config);
    EXPECT_FALSE(g.has_value());
    return g ? std::string() : g.error().where();
  };
  auto c = crypto_market_preset();
  c.instruments[0].annual_volatility = -0.1;
  EXPECT_EQ(where(c), "instruments[0].annual_volatility");
  c = crypto_market_preset();
  c.instruments[1].tick_size = model::Price::from_raw(0, 2);
  EXPECT_EQ(where(c), "instruments[1].tick_size");
  c = crypto_market_preset();
  c.instruments[2].instrument_id = c.instruments[0].instrument_id;
  EXPECT_EQ(where(c), "instruments[2].instrument_id");
  c = crypto_market_preset();
  c.instruments[0].start_price = 0.0;
  EXPECT_EQ(where(c), "instruments[0].start_price");
  c = crypto_market_preset();
  c.substeps = 0;
  EXPECT_EQ(where(c), "substeps");
  c = crypto_market_preset();
  c.regimes.transition[0][0] = 0.5;
  EXPECT_EQ(where(c), "regimes.transition[0]");
  EXPECT_EQ(where(SyntheticMarketConfig{}), "instruments");
}

TEST(GeneratorSyntheticMarket, PresetDescribesBtcEthSol) {
  const auto c = crypto_market_preset(minutes(1), 1);
  ASSERT_EQ(c.instruments.size(), 3u);
  EXPECT_EQ(c.instruments[0].instrument_id.value(), "BTCUSDT.BINANCE");
  EXPECT_EQ(c.instruments[1].instrument_id.value(), "ETHUSDT.BINANCE");
  EXPECT_EQ(c.instruments[2].instrument_id.value(), "SOLUSDT.BINANCE");
  EXPECT_EQ(c.instruments[0].annual_volatility, 0.60);
  EXPECT_EQ(c.instruments[1].annual_volatility, 0.75);
  EXPECT_EQ(c.instruments[2].annual_volatility, 0.95);
  EXPECT_EQ(c.correlation[0][1], 0.80);
  EXPECT_EQ(c.correlation[0][2], 0.70);
  EXPECT_EQ(c.correlation[1][2], 0.75);
  EXPECT_TRUE(validate(c).has_value());
  EXPECT_EQ(c.regimes.multipliers.size(), 3u);
}

}  // namespace
}  // namespace ballast::data
