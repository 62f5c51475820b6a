#include "ballast/analytics/stress_library.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>

namespace ballast::analytics {

namespace {

StressScenario scenario(std::string name, std::string note, StressScenario::ShockMap asset_classes,
                        StressScenario::ShockMap instruments = {}) {
  StressScenario s;
  s.name = std::move(name);
  s.note = std::move(note);
  s.asset_class_shocks = std::move(asset_classes);
  s.instrument_shocks = std::move(instruments);
  return s;
}

std::string key(std::string_view asset_class) {
  return std::string(asset_class);
}

}  // namespace

std::vector<StressScenario> builtin_stress_scenarios() {
  std::vector<StressScenario> out;

  StressScenario crash30 =
      scenario("crypto-crash-30",
               "Hypothetical. Majors -30%, alts -45% (alts assumed to fall 1.5x as far as majors), volatility x2, "
               "correlations half-way to 1. An assumption, not a historical episode.",
               {{key(kAssetClassCryptoMajor), -0.30}, {key(kAssetClassCryptoAlt), -0.45}});
  crash30.vol_multiplier = 2.0;
  crash30.correlation_shock = 0.5;
  out.push_back(std::move(crash30));

  StressScenario crash50 =
      scenario("crypto-crash-50",
               "Hypothetical. Majors -50%, alts -70% (assumed), volatility x3, correlations three-quarters of the way "
               "to 1. An assumption, not a historical episode.",
               {{key(kAssetClassCryptoMajor), -0.50}, {key(kAssetClassCryptoAlt), -0.70}});
  crash50.vol_multiplier = 3.0;
  crash50.correlation_shock = 0.75;
  out.push_back(std::move(crash50));

  out.push_back(
      scenario("black-monday-1987",
               "19 Oct 1987, one day, approximate. S&P 500 -20.5% (Dow -22.6%); S&P 500 futures about -29% "
               "(Brady Commission report, 1988). Crypto did not exist: the crypto moves (majors -20.5%, alts -30%) "
               "are ASSUMPTIONS that crypto falls at least as far as equities.",
               {{key(kAssetClassEquity), -0.205},
                {key(kAssetClassIndexFuture), -0.29},
                {key(kAssetClassCryptoMajor), -0.205},
                {key(kAssetClassCryptoAlt), -0.30}}));

  out.push_back(
      scenario("march-2020",
               "12 Mar 2020 ('Black Thursday'), one day, approximate. BTC about -37% and ETH about -42% open to "
               "close (daily prices, CoinMarketCap); S&P 500 -9.5% (2,741 to 2,481). Index futures taken equal to "
               "the index. Alts: ETH's move, an assumption.",
               {{key(kAssetClassCryptoMajor), -0.37},
                {key(kAssetClassCryptoAlt), -0.42},
                {key(kAssetClassEquity), -0.095},
                {key(kAssetClassIndexFuture), -0.095}},
               {{"BTCUSDT", -0.37}, {"ETHUSDT", -0.42}}));

  out.push_back(
      scenario("may-2021",
               "19 May 2021, intraday high to low, approximate. BTC about -30% (about 43,000 to 30,000), ETH about "
               "-44% (about 3,400 to 1,900). Alts -40% is an assumption. Equities barely moved and are not shocked.",
               {{key(kAssetClassCryptoMajor), -0.30}, {key(kAssetClassCryptoAlt), -0.40}},
               {{"BTCUSDT", -0.30}, {"ETHUSDT", -0.44}}));

  out.push_back(scenario(
      "luna-collapse-2022",
      "7-13 May 2022, peak to trough, approximate. LUNA about -100% (about 80 to under 0.001) as UST lost "
      "its peg; BTC about -25% (about 35,500 to 26,700); ETH about -37% (about 2,700 to 1,700); USDT "
      "briefly traded near 0.95 on 12 May. Alts -40% is an assumption.",
      {{key(kAssetClassCryptoMajor), -0.25}, {key(kAssetClassCryptoAlt), -0.40}, {key(kAssetClassStablecoin), -0.05}},
      {{"LUNAUSDT", -0.9999}, {"BTCUSDT", -0.25}, {"ETHUSDT", -0.37}}));

  out.push_back(
      scenario("ftx-week-2022",
               "6-12 Nov 2022 (FTX collapse), peak to trough, approximate. BTC about -25% (about 21,000 to 15,700), "
               "ETH about -33%, SOL about -60% (about 33 to 13), FTT about -90% (about 22 to 2). Alts -35% is an "
               "assumption.",
               {{key(kAssetClassCryptoMajor), -0.25}, {key(kAssetClassCryptoAlt), -0.35}},
               {{"BTCUSDT", -0.25}, {"ETHUSDT", -0.33}, {"SOLUSDT", -0.60}, {"FTTUSDT", -0.90}}));

  StressScenario rates =
      scenario("rates-shock-100bp",
               "Hypothetical. Yields +100 bp in parallel: bond futures -7% (modified duration 7 x 1%), equities and "
               "index futures -5%, crypto majors -10%, alts -15%, volatility x1.5, correlations a quarter of the way "
               "to 1. All moves are assumptions. FX is not shocked: its sign depends on the quote convention.",
               {{key(kAssetClassRates), -0.07},
                {key(kAssetClassEquity), -0.05},
                {key(kAssetClassIndexFuture), -0.05},
                {key(kAssetClassCryptoMajor), -0.10},
                {key(kAssetClassCryptoAlt), -0.15}});
  rates.vol_multiplier = 1.5;
  rates.correlation_shock = 0.25;
  out.push_back(std::move(rates));

  return out;
}

core::Result<StressScenario> builtin_stress_scenario(std::string_view name) {
  std::vector<StressScenario> all = builtin_stress_scenarios();
  std::string names;
  for (StressScenario& s : all) {
    if (s.name == name) return std::move(s);
    names += names.empty() ? s.name : ", " + s.name;
  }
  return core::Error(core::ErrorCode::NotFound, fmt::format("no built-in scenario \"{}\"; built-ins: {}", name, names),
                     "scenario");
}

}  // namespace ballast::analytics
