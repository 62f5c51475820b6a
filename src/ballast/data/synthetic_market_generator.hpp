#pragma once
// SyntheticMarketGenerator: correlated OHLCV bars for several instruments, for demos, paper trading and
// tests. The price model (GBM with correlated shocks, Poisson jumps, Markov volatility regimes) is stated
// in synthetic_market_config.hpp; this is how bars are built from it:
//
//  - Each bar is simulated on `substeps` internal steps. open is the previous bar's close (the market
//    trades continuously), close the last step, high/low the extremes of the internal path including the
//    open. All four are rounded to the tick size (half away from zero, at least one tick); rounding is
//    monotone, so low ≤ open, close ≤ high always holds.
//  - Volume = daily_volume · (bar length / 1 day) · profile weight (mean of the UTC-hour weights over the
//    substeps) · (1 + β|z|)/(1 + β√(2/π)) · exp(η ε − η²/2), rounded to the lot size. z is the bar's log
//    return over its nominal standard deviation σ√Δt, so volume rises with absolute returns, in volatile
//    regimes and at jumps; the normalisations make daily_volume the mean under calm, jump-free conditions.
//  - Reproducible: one std::mt19937_64 seeded with `seed` and portable distributions (gaussian_rng.hpp).
//    Draw order per bar: the regime step (from the second bar on), then per substep one normal per
//    instrument and, for instruments with jumps, a Poisson count and one normal per jump; then one volume
//    normal per instrument. The same config gives the same bars, bit for bit.
//  - ts_event = start + k·interval, ts_recv = ts_event + interval.
//
// Streaming: next() produces the next bar of every instrument on demand (paper trading), generate(n) a
// batch. Both continue the same path.

#include <cstddef>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/data/gaussian_rng.hpp"
#include "ballast/data/synthetic_market_config.hpp"
#include "ballast/data/volatility_regime_chain.hpp"
#include "ballast/model/market_data.hpp"

namespace ballast::data {

class SyntheticMarketGenerator {
 public:
  // Validates the config (see validate()); a non-positive-definite correlation matrix is rejected here.
  static core::Result<SyntheticMarketGenerator> create(SyntheticMarketConfig config);

  // The next bar of every instrument, in config order, all with the same ts_event. The reference is valid
  // until the next call.
  const std::vector<model::Bar>& next();
  // The next `bars` bars of every instrument, one series per instrument in config order.
  std::vector<model::BarSeries> generate(std::size_t bars);

  const SyntheticMarketConfig& config() const noexcept { return config_; }
  std::size_t instrument_count() const noexcept { return config_.instruments.size(); }
  std::size_t bars_generated() const noexcept { return generated_; }
  core::UnixNanos next_bar_start() const noexcept;
  // The regime of the latest bar (the initial regime before any bar).
  std::size_t regime() const noexcept { return regimes_.regime(); }
  const VolatilityRegimeChain& regimes() const noexcept { return regimes_; }

 private:
  struct InstrumentState {
    double log_price;
    double sigma;                 // annual diffusion volatility
    double drift_base;            // μ − λκ, per year (the −½σ²m² part depends on the regime)
    double jump_rate;             // expected jumps per substep
    double price_units_per_tick;  // 1 / tick as a double
    std::int64_t tick_raw;
    int tick_scale;
    double lot;
    std::int64_t lot_raw;
    int lot_scale;
    double mean_bar_volume;  // daily volume scaled to one bar
  };

  SyntheticMarketGenerator(SyntheticMarketConfig config, std::vector<double> cholesky, VolatilityRegimeChain regimes);
  model::Price to_price(const InstrumentState& s, double log_price) const noexcept;
  model::Quantity to_quantity(const InstrumentState& s, double volume) const noexcept;

  SyntheticMarketConfig config_;
  std::vector<double> cholesky_;  // n×n row-major lower-triangular factor of the correlation matrix
  VolatilityRegimeChain regimes_;
  GaussianRng rng_;
  std::vector<InstrumentState> state_;
  std::vector<double> shocks_;     // scratch: independent normals of one substep
  std::vector<double> start_log_;  // scratch: per-instrument log price at the bar open
  std::vector<double> high_log_;
  std::vector<double> low_log_;
  std::vector<model::Bar> bars_;
  std::size_t generated_ = 0;
  double step_years_ = 0.0;  // length of one substep in years
  double bar_years_ = 0.0;
};

}  // namespace ballast::data
