#include "ballast/data/synthetic_market_config.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "ballast/data/internal/correlation.hpp"

namespace ballast::data {
namespace {

core::Error config_error(std::string message, std::string where) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message), std::move(where));
}

bool finite_at_least(double v, double floor) {
  return std::isfinite(v) && v >= floor;
}

}  // namespace

core::Status validate(const SyntheticMarketConfig& config) {
  const std::size_t n = config.instruments.size();
  if (n == 0) return config_error("no instruments", "instruments");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& inst = config.instruments[i];
    const auto at = [&](std::string_view field) { return fmt::format("instruments[{}].{}", i, field); };
    if (inst.instrument_id.empty()) return config_error("instrument id is not set", at("instrument_id"));
    if (!ids.insert(inst.instrument_id.value()).second) {
      return config_error(fmt::format("instrument {} appears twice", inst.instrument_id.value()), at("instrument_id"));
    }
    if (!(std::isfinite(inst.start_price) && inst.start_price > 0.0)) {
      return config_error(fmt::format("start price {} must be finite and > 0", inst.start_price), at("start_price"));
    }
    if (!std::isfinite(inst.annual_drift)) return config_error("drift must be finite", at("annual_drift"));
    if (!finite_at_least(inst.annual_volatility, 0.0)) {
      return config_error(fmt::format("volatility {} must be finite and >= 0", inst.annual_volatility),
                          at("annual_volatility"));
    }
    if (!finite_at_least(inst.jumps.intensity_per_year, 0.0) || !finite_at_least(inst.jumps.stdev_log_size, 0.0) ||
        !std::isfinite(inst.jumps.mean_log_size)) {
      return config_error("jump intensity and stdev must be finite and >= 0, the mean finite", at("jumps"));
    }
    if (!inst.tick_size.is_positive()) {
      return config_error(fmt::format("tick size {} must be > 0", inst.tick_size.to_string()), at("tick_size"));
    }
    if (!inst.lot_size.is_positive()) {
      return config_error(fmt::format("lot size {} must be > 0", inst.lot_size.to_string()), at("lot_size"));
    }
    if (!finite_at_least(inst.daily_volume, 0.0)) {
      return config_error(fmt::format("daily volume {} must be finite and >= 0", inst.daily_volume),
                          at("daily_volume"));
    }
  }
  if (!config.correlation.empty()) {
    auto factor = internal::correlation_cholesky(config.correlation, n, "correlation");
    if (!factor) return factor.error();
  }
  if (config.interval.count() <= 0) return config_error("interval must be positive", "interval");
  if (config.substeps == 0 || config.substeps > 10'000) {
    return config_error(fmt::format("substeps {} outside 1..10000", config.substeps), "substeps");
  }
  if (!finite_at_least(config.volume_return_sensitivity, 0.0)) {
    return config_error("volume_return_sensitivity must be finite and >= 0", "volume_return_sensitivity");
  }
  if (!finite_at_least(config.volume_noise, 0.0))
    return config_error("volume_noise must be finite and >= 0", "volume_noise");
  if (!(std::isfinite(config.days_per_year) && config.days_per_year > 0.0)) {
    return config_error("days_per_year must be finite and > 0", "days_per_year");
  }
  auto chain = VolatilityRegimeChain::create(config.regimes);
  if (!chain) return chain.error();
  return core::ok();
}

SyntheticMarketConfig crypto_market_preset(core::Duration interval, std::uint64_t seed) {
  using model::Price;
  using model::Quantity;
  SyntheticMarketConfig config;
  config.interval = interval;
  config.seed = seed;
  config.start = core::UnixNanos(core::days_from_civil(2024, 1, 1) * core::kNanosPerDay);
  const core::VenueId binance("BINANCE");
  const auto instrument = [&](std::string_view symbol, double price, double vol, JumpConfig jumps, Price tick,
                              Quantity lot, double daily_volume) {
    SyntheticInstrumentConfig c;
    c.instrument_id = core::InstrumentId(symbol, binance);
    c.start_price = price;
    c.annual_drift = 0.0;
    c.annual_volatility = vol;
    c.jumps = jumps;
    c.tick_size = tick;
    c.lot_size = lot;
    c.daily_volume = daily_volume;
    return c;
  };
  config.instruments = {
      instrument("BTCUSDT", 42'283.5, 0.60, {10.0, -0.005, 0.03}, Price::from_raw(1, 1), Quantity::from_raw(1, 3),
                 200'000.0),
      instrument("ETHUSDT", 2'282.30, 0.75, {12.0, -0.005, 0.04}, Price::from_raw(1, 2), Quantity::from_raw(1, 3),
                 2'500'000.0),
      instrument("SOLUSDT", 101.50, 0.95, {15.0, -0.005, 0.05}, Price::from_raw(1, 2), Quantity::from_raw(1, 2),
                 25'000'000.0),
  };
  config.correlation = {{1.00, 0.80, 0.70}, {0.80, 1.00, 0.75}, {0.70, 0.75, 1.00}};
  const core::Duration day = std::chrono::hours(24);
  // Regimes shorter than a bar make no sense; for intervals of a day or more keep them at least one bar long.
  const auto at_least_a_bar = [&](core::Duration d) { return d < interval ? interval : d; };
  auto regimes = VolatilityRegimeConfig::from_mean_durations(
      {0.7, 1.0, 1.8}, {at_least_a_bar(20 * day), at_least_a_bar(10 * day), at_least_a_bar(3 * day)}, interval);
  if (regimes) config.regimes = *regimes;  // only fails on a non-positive interval, which validate() reports
  config.volume_profile = IntradayVolumeProfile::crypto_24h();
  return config;
}

}  // namespace ballast::data
