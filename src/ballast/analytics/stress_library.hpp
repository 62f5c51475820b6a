#pragma once
// The built-in stress scenarios: a few crypto and cross-asset episodes and hypothetical shocks, each
// with its moves per asset class (and per instrument symbol where one coin's move was the story) and
// a note saying where the numbers come from.
//
// The historical numbers are APPROXIMATE: rounded peak-to-trough or open-to-close moves from public
// daily price records, quoted to the nearest percent or so, not exchange-exact. They are starting
// points for a desk's own library, not measurements to rely on to the basis point. Asset classes a
// scenario does not list are not moved. Hypothetical scenarios are assumptions and say so. Every
// number and its source is listed in docs/analytics/stress.md.
//
// Instrument keys are Binance USDT-margined symbols ("BTCUSDT"); they match an instrument id with a
// venue suffix ("BTCUSDT.BINANCE") through the symbol rule of stress_scenario.hpp.

#include "ballast/analytics/stress_scenario.hpp"
#include "ballast/core/result.hpp"

#include <string_view>
#include <vector>

namespace ballast::analytics {

// Asset-class names the built-in scenarios use.
inline constexpr std::string_view kAssetClassCryptoMajor = "crypto-major";  // BTC, ETH
inline constexpr std::string_view kAssetClassCryptoAlt = "crypto-alt";      // other coins
inline constexpr std::string_view kAssetClassStablecoin = "stablecoin";     // USDT, USDC, …
inline constexpr std::string_view kAssetClassEquity = "equity";             // cash equities, ETFs
inline constexpr std::string_view kAssetClassIndexFuture = "index-future";  // equity index futures
inline constexpr std::string_view kAssetClassFx = "fx";
inline constexpr std::string_view kAssetClassRates = "rates";  // bond futures, bonds

// Every built-in scenario, in a fixed order: hypothetical crypto crashes first, then the historical
// episodes by date, then the hypothetical rates shock.
std::vector<StressScenario> builtin_stress_scenarios();

// One built-in scenario by name ("ftx-week-2022"); NOT_FOUND listing the names otherwise.
core::Result<StressScenario> builtin_stress_scenario(std::string_view name);

}  // namespace ballast::analytics
