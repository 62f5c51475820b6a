#pragma once
// Configuration of the synthetic market generator (synthetic_market_generator.hpp), its validation, and
// presets. Units: prices in quote currency, volumes in base units, rates per year of `days_per_year` days
// (365 for 24/7 crypto), volatilities as annualised standard deviations of log returns.
//
// The model, per instrument i, between bar boundaries in `substeps` equal steps of dt years:
//   d ln S_i = (μ_i − ½ σ_i² m² − λ_i κ_i) dt + σ_i m dW_i + J_i dN_i
// where W is a Brownian motion with correlation matrix `correlation`, m the volatility multiplier of the
// current regime (volatility_regime_chain.hpp), N_i a Poisson process of intensity λ_i (jumps independent
// across instruments), J_i ~ Normal(mean_log_size, stdev_log_size²) and κ_i = E[e^J − 1], which keeps
// E[S_t] = S_0 e^{μ t}: drift is the expected simple growth rate, jumps included.

#include <chrono>
#include <cstdint>
#include <vector>

#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/data/intraday_volume_profile.hpp"
#include "ballast/data/volatility_regime_chain.hpp"
#include "ballast/model/price.hpp"

namespace ballast::data {

struct JumpConfig {
  double intensity_per_year = 0.0;  // λ, expected jumps per year (0 = none)
  double mean_log_size = 0.0;       // mean of J (log of the price ratio across a jump)
  double stdev_log_size = 0.0;      // standard deviation of J
};

struct SyntheticInstrumentConfig {
  core::InstrumentId instrument_id;
  double start_price = 100.0;      // > 0
  double annual_drift = 0.0;       // μ
  double annual_volatility = 0.5;  // σ of the diffusion (long-run, across regimes when normalised)
  JumpConfig jumps;
  model::Price tick_size = model::Price::from_raw(1, 2);       // prices are rounded to it (> 0)
  model::Quantity lot_size = model::Quantity::from_raw(1, 3);  // volumes are rounded to it (> 0)
  double daily_volume = 1000.0;                                // mean volume per day in base units (>= 0)
};

struct SyntheticMarketConfig {
  std::vector<SyntheticInstrumentConfig> instruments;
  std::vector<std::vector<double>> correlation;  // n×n; empty = independent instruments
  core::Duration interval = std::chrono::minutes(1);
  core::UnixNanos start;        // ts_event of the first bar
  std::uint32_t substeps = 16;  // internal path steps per bar (high/low come from them)
  std::uint64_t seed = 1;
  VolatilityRegimeConfig regimes;  // empty = constant volatility
  IntradayVolumeProfile volume_profile = IntradayVolumeProfile::crypto_24h();
  // Volume ∝ profile × (1 + β|z|)/(1 + β√(2/π)) × lognormal noise, z = bar log return / (σ√Δt).
  double volume_return_sensitivity = 1.0;  // β >= 0
  double volume_noise = 0.3;               // standard deviation of the log-volume noise (>= 0)
  double days_per_year = 365.0;
};

// Checks every field; the error's where() names it ("instruments[1].annual_volatility", "correlation[0][2]").
core::Status validate(const SyntheticMarketConfig& config);

// BTCUSDT, ETHUSDT and SOLUSDT perpetuals on "BINANCE", starting 2024-01-01T00:00:00Z at roughly that day's
// prices (42 283.5, 2 282.30, 101.50 USDT), annual volatility 60 % / 75 % / 95 %, correlations
// BTC–ETH 0.80, BTC–SOL 0.70, ETH–SOL 0.75, no drift, occasional jumps (10 / 12 / 15 a year, mean −0.5 %,
// stdev 3 % / 4 % / 5 %), three volatility regimes (calm ×0.7 lasting 20 days on average, normal ×1.0
// for 10 days, stressed ×1.8 for 3 days; normalised), the crypto 24 h volume profile and daily volumes
// of 200 000 BTC, 2 500 000 ETH and 25 000 000 SOL. Tick sizes 0.1 / 0.01 / 0.01, lots 0.001 / 0.001 / 0.01.
SyntheticMarketConfig crypto_market_preset(core::Duration interval = std::chrono::minutes(1), std::uint64_t seed = 1);

}  // namespace ballast::data
