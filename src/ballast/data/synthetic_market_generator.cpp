#include "ballast/data/synthetic_market_generator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "ballast/data/internal/correlation.hpp"

namespace ballast::data {
namespace {

// Price and volume units are clamped here so llround stays defined and raw values fit int64.
constexpr double kMaxUnits = 1e15;

std::int64_t units_to_raw(double units, std::int64_t increment_raw, double floor_units) {
  const double limit =
      std::min(kMaxUnits, static_cast<double>(std::numeric_limits<std::int64_t>::max() / increment_raw));
  const double clamped = std::clamp(units, floor_units, limit);
  return std::llround(clamped) * increment_raw;
}

}  // namespace

core::Result<SyntheticMarketGenerator> SyntheticMarketGenerator::create(SyntheticMarketConfig config) {
  BALLAST_TRY(validate(config));
  const std::size_t n = config.instruments.size();
  std::vector<double> cholesky(n * n, 0.0);
  if (config.correlation.empty()) {
    for (std::size_t i = 0; i < n; ++i) cholesky[i * n + i] = 1.0;
  } else {
    auto factor = internal::correlation_cholesky(config.correlation, n, "correlation");
    if (!factor) return factor.error();
    cholesky = std::move(*factor);
  }
  auto regimes = VolatilityRegimeChain::create(config.regimes);
  if (!regimes) return regimes.error();
  return SyntheticMarketGenerator(std::move(config), std::move(cholesky), std::move(*regimes));
}

SyntheticMarketGenerator::SyntheticMarketGenerator(SyntheticMarketConfig config, std::vector<double> cholesky,
                                                   VolatilityRegimeChain regimes)
    : config_(std::move(config)), cholesky_(std::move(cholesky)), regimes_(std::move(regimes)), rng_(config_.seed) {
  const std::size_t n = config_.instruments.size();
  const double year_ns = config_.days_per_year * static_cast<double>(core::kNanosPerDay);
  bar_years_ = static_cast<double>(config_.interval.count()) / year_ns;
  step_years_ = bar_years_ / static_cast<double>(config_.substeps);
  const double bar_days = static_cast<double>(config_.interval.count()) / static_cast<double>(core::kNanosPerDay);
  for (const auto& inst : config_.instruments) {
    const JumpConfig& j = inst.jumps;
    const double kappa = std::exp(j.mean_log_size + 0.5 * j.stdev_log_size * j.stdev_log_size) - 1.0;
    InstrumentState s{};
    s.log_price = std::log(inst.start_price);
    s.sigma = inst.annual_volatility;
    s.drift_base = inst.annual_drift - j.intensity_per_year * kappa;
    s.jump_rate = j.intensity_per_year * step_years_;
    s.price_units_per_tick = 1.0 / inst.tick_size.as_double();
    s.tick_raw = inst.tick_size.value().raw();
    s.tick_scale = inst.tick_size.precision();
    s.lot = inst.lot_size.as_double();
    s.lot_raw = inst.lot_size.value().raw();
    s.lot_scale = inst.lot_size.precision();
    s.mean_bar_volume = inst.daily_volume * bar_days;
    state_.push_back(s);
  }
  shocks_.assign(n, 0.0);
  start_log_.assign(n, 0.0);
  high_log_.assign(n, 0.0);
  low_log_.assign(n, 0.0);
  bars_.resize(n);
}

core::UnixNanos SyntheticMarketGenerator::next_bar_start() const noexcept {
  return config_.start + config_.interval * static_cast<std::int64_t>(generated_);
}

model::Price SyntheticMarketGenerator::to_price(const InstrumentState& s, double log_price) const noexcept {
  const double units = std::exp(log_price) * s.price_units_per_tick;
  return model::Price::from_raw(units_to_raw(units, s.tick_raw, 1.0), s.tick_scale);
}

model::Quantity SyntheticMarketGenerator::to_quantity(const InstrumentState& s, double volume) const noexcept {
  return model::Quantity::from_raw(units_to_raw(volume / s.lot, s.lot_raw, 0.0), s.lot_scale);
}

const std::vector<model::Bar>& SyntheticMarketGenerator::next() {
  const std::size_t n = state_.size();
  const core::UnixNanos ts_event = next_bar_start();
  if (generated_ > 0) regimes_.step(rng_.uniform());
  const double m = regimes_.multiplier();
  const double sqrt_step = std::sqrt(step_years_);
  const core::Duration sub_interval = config_.interval / static_cast<std::int64_t>(config_.substeps);

  for (std::size_t i = 0; i < n; ++i) {
    start_log_[i] = high_log_[i] = low_log_[i] = state_[i].log_price;
  }
  double weight_sum = 0.0;
  for (std::uint32_t k = 0; k < config_.substeps; ++k) {
    weight_sum += config_.volume_profile.weight_at(ts_event + sub_interval * static_cast<std::int64_t>(k));
    for (std::size_t i = 0; i < n; ++i) shocks_[i] = rng_.normal();
    for (std::size_t i = 0; i < n; ++i) {
      InstrumentState& s = state_[i];
      const SyntheticInstrumentConfig& inst = config_.instruments[i];
      double z = 0.0;
      for (std::size_t j = 0; j <= i; ++j) z += cholesky_[i * n + j] * shocks_[j];
      const double vol = s.sigma * m;
      double jump = 0.0;
      if (s.jump_rate > 0.0) {
        const std::uint32_t jumps = rng_.poisson(s.jump_rate);
        for (std::uint32_t q = 0; q < jumps; ++q) {
          jump += inst.jumps.mean_log_size + inst.jumps.stdev_log_size * rng_.normal();
        }
      }
      s.log_price += (s.drift_base - 0.5 * vol * vol) * step_years_ + vol * sqrt_step * z + jump;
      high_log_[i] = std::max(high_log_[i], s.log_price);
      low_log_[i] = std::min(low_log_[i], s.log_price);
    }
  }

  const double profile_weight = weight_sum / static_cast<double>(config_.substeps);
  const double beta = config_.volume_return_sensitivity;
  const double eta = config_.volume_noise;
  const double return_norm = 1.0 + beta * std::sqrt(2.0 / std::numbers::pi);
  for (std::size_t i = 0; i < n; ++i) {
    const InstrumentState& s = state_[i];
    const double nominal_sd = s.sigma * std::sqrt(bar_years_);
    const double z = nominal_sd > 0.0 ? std::fabs(s.log_price - start_log_[i]) / nominal_sd : 0.0;
    const double noise = std::exp(eta * rng_.normal() - 0.5 * eta * eta);
    const double volume = s.mean_bar_volume * profile_weight * (1.0 + beta * z) / return_norm * noise;
    bars_[i] = model::Bar{ts_event,
                          ts_event + config_.interval,
                          to_price(s, start_log_[i]),
                          to_price(s, high_log_[i]),
                          to_price(s, low_log_[i]),
                          to_price(s, s.log_price),
                          to_quantity(s, volume)};
  }
  ++generated_;
  return bars_;
}

std::vector<model::BarSeries> SyntheticMarketGenerator::generate(std::size_t bars) {
  std::vector<model::BarSeries> out(state_.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].instrument_id = config_.instruments[i].instrument_id;
    out[i].interval = config_.interval;
    out[i].bars.reserve(bars);
  }
  for (std::size_t b = 0; b < bars; ++b) {
    const auto& row = next();
    for (std::size_t i = 0; i < out.size(); ++i) out[i].bars.push_back(row[i]);
  }
  return out;
}

}  // namespace ballast::data
