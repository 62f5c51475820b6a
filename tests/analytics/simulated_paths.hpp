#pragma once
// Seeded simulated price paths for the volatility and performance tests, generated here (not with
// the library's RandomStream) so the tests check the estimators against an independent source.
//  - bits: SplitMix64 (Steele, Lea & Flood, OOPSLA 2014); normals: Box–Muller.
//  - GBM: ln S advances by (μ − σ²/2)·dt + σ·√dt·Z; every bar is `steps` sub-steps, the bar's high
//    and low are the extremes of the sub-step path (so range estimators see a discretely monitored
//    range, biased low by about 0.5826·σ·√dt_step per extreme: Broadie, Glasserman & Kou 1997).

#include "ballast/analytics/volatility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace ballast::analytics::test_paths {

class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_bits() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform on (0, 1].
  double uniform_open_zero() { return (static_cast<double>(next_bits() >> 11) + 1.0) * 0x1.0p-53; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform_open_zero()));
    const double angle = 2.0 * std::numbers::pi * uniform_open_zero();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// n daily-style log returns of a GBM with annual drift mu and volatility sigma, `periods_per_year` a year.
inline std::vector<double> gbm_log_returns(TestRng& rng, std::size_t n, double mu, double sigma,
                                           double periods_per_year) {
  const double dt = 1.0 / periods_per_year;
  std::vector<double> r(n);
  for (double& x : r) x = (mu - 0.5 * sigma * sigma) * dt + sigma * std::sqrt(dt) * rng.normal();
  return r;
}

// Bars of a GBM with intraday volatility sigma (annual), `steps` sub-steps per bar, and an optional
// overnight gap: open = previous close · exp(overnight_sigma·√dt·Z) (pure noise, no drift).
inline std::vector<OhlcBar> gbm_bars(TestRng& rng, std::size_t n, std::size_t steps, double mu, double sigma,
                                     double periods_per_year, double overnight_sigma = 0.0) {
  const double dt = 1.0 / periods_per_year;
  const double step_dt = dt / static_cast<double>(steps);
  const double drift = (mu - 0.5 * sigma * sigma) * step_dt;
  const double diffusion = sigma * std::sqrt(step_dt);
  std::vector<OhlcBar> bars;
  bars.reserve(n);
  double log_price = std::log(100.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && overnight_sigma > 0.0) log_price += overnight_sigma * std::sqrt(dt) * rng.normal();
    double hi = log_price;
    double lo = log_price;
    const double open = log_price;
    for (std::size_t s = 0; s < steps; ++s) {
      log_price += drift + diffusion * rng.normal();
      hi = std::max(hi, log_price);
      lo = std::min(lo, log_price);
    }
    bars.push_back({std::exp(open), std::exp(hi), std::exp(lo), std::exp(log_price)});
  }
  return bars;
}

}  // namespace ballast::analytics::test_paths
