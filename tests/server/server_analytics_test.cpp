// Integration tests of the analytics routes of `ballast serve` (api_analytics.cpp): the real server on a
// free loopback port, the paper venue on a fast synthetic market (200 one-second bars per wall second),
// driven over HTTP.

#include "server_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <thread>

namespace ballast::server {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kTraderPassword = testing::ServerHarness::kTraderPassword;
constexpr const char* kViewerPassword = testing::ServerHarness::kViewerPassword;

// Standard normal quantiles Φ⁻¹(0.95) and Φ⁻¹(0.99) to 17 significant digits (Abramowitz & Stegun,
// Handbook of Mathematical Functions, table 26.5; the same values as scipy.stats.norm.ppf).
constexpr double kZ95 = 1.6448536269514722;
constexpr double kZ99 = 2.3263478740408408;

double relative_error(double actual, double expected) {
  return std::abs(actual - expected) / std::max(std::abs(expected), 1e-300);
}

class ServerAnalyticsTest : public ::testing::Test, protected testing::ServerHarness {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(seed_users()); }

  // `speed` market seconds per wall second with the default 1 s bar interval: `speed` bars per second.
  void start(double speed) {
    config.speed = speed;
    testing::ServerHarness::start();
  }

  static void expect_correlation_matrix(const Json& symbols, const Json& matrix) {
    ASSERT_TRUE(matrix.is_array());
    ASSERT_EQ(matrix.size(), symbols.size());
    for (std::size_t i = 0; i < matrix.size(); ++i) {
      ASSERT_EQ(matrix[i].size(), symbols.size());
      EXPECT_NEAR(matrix[i][i].get<double>(), 1.0, 1e-12) << "diagonal " << i;
      for (std::size_t j = 0; j < matrix.size(); ++j) {
        const double rho = matrix[i][j].get<double>();
        EXPECT_NEAR(rho, matrix[j][i].get<double>(), 1e-12) << i << "," << j;
        EXPECT_LE(std::abs(rho), 1.0 + 1e-12);
      }
    }
  }
};

TEST_F(ServerAnalyticsTest, EveryAnalyticsEndpointNeedsAToken) {
  start(200.0);
  EXPECT_EQ(call("GET", "/api/risk/analysis").status, 401u);
  EXPECT_EQ(call("GET", "/api/positions/correlation").status, 401u);
  EXPECT_EQ(call("GET", "/api/analytics/market?symbol=BTCUSDT").status, 401u);
}

TEST_F(ServerAnalyticsTest, TooFewBarsAnswerInsufficientHistoryAndAnUnknownSymbolNotFound) {
  start(1.0);  // one bar per second: far from 30 returns right after the start
  const std::string viewer = login("viewer", kViewerPassword);
  for (const char* target : {"/api/risk/analysis", "/api/positions/correlation", "/api/analytics/market?symbol=BTCUSDT"}) {
    const auto r = call("GET", target, viewer);
    EXPECT_EQ(r.status, 409u) << target << ": " << r.body;
    EXPECT_EQ(json(r)["error"]["code"], "INSUFFICIENT_HISTORY") << target;
  }
  const auto unknown = call("GET", "/api/analytics/market?symbol=NOPEUSDT", viewer);
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_EQ(json(unknown)["error"]["field"], "symbol");
}

TEST_F(ServerAnalyticsTest, MalformedParametersAreRejectedWithTheField) {
  start(200.0);
  const std::string viewer = login("viewer", kViewerPassword);
  const auto confidence = call("GET", "/api/risk/analysis?confidence=0.95,1.5", viewer);
  EXPECT_EQ(confidence.status, 400u);
  EXPECT_EQ(json(confidence)["error"]["field"], "confidence");
  const auto horizon = call("GET", "/api/risk/analysis?horizon_days=-1", viewer);
  EXPECT_EQ(horizon.status, 400u);
  EXPECT_EQ(json(horizon)["error"]["field"], "horizon_days");
  const auto method = call("GET", "/api/positions/correlation?method=spearman", viewer);
  EXPECT_EQ(method.status, 400u);
  EXPECT_EQ(json(method)["error"]["field"], "method");
  EXPECT_EQ(call("GET", "/api/analytics/market", viewer).status, 400u);
}

TEST_F(ServerAnalyticsTest, WithoutPositionsTheAnalysisIsZeroWithANote) {
  start(200.0);
  const std::string viewer = login("viewer", kViewerPassword);
  const Json a = wait_for("/api/risk/analysis", viewer, [](const Json&) { return true; });
  EXPECT_EQ(a["positions"], 0);
  EXPECT_TRUE(a["note"].is_string());
  ASSERT_EQ(a["estimates"].size(), 8u);  // 4 methods × 2 default confidences
  for (const auto& e : a["estimates"]) {
    EXPECT_EQ(e["var"].get<double>(), 0.0) << e.dump();
    EXPECT_EQ(e["expected_shortfall"].get<double>(), 0.0) << e.dump();
  }
  ASSERT_FALSE(a["stress"]["scenarios"].empty());
  for (const auto& s : a["stress"]["scenarios"]) EXPECT_EQ(s["pnl"].get<double>(), 0.0);
}

TEST_F(ServerAnalyticsTest, AnalysisOfAFilledPositionHasEveryMethodAndMatchesAnIndependentParametricVar) {
  start(200.0);
  const std::string trader = login("trader", kTraderPassword);
  const std::string viewer = login("viewer", kViewerPassword);
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto placed = call("POST", "/api/orders", trader,
                           Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.010"}});
  ASSERT_EQ(placed.status, 201u) << placed.body;
  const std::string id = json(placed)["id"];
  wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "FILLED"; });

  const Json a = wait_for("/api/risk/analysis?confidence=0.95,0.99&horizon_days=1", viewer,
                          [](const Json& j) { return j.value("returns_used", 0) >= 60; });
  ASSERT_EQ(a["positions"], 1);
  EXPECT_TRUE(a["note"].is_null());
  EXPECT_EQ(a["return_interval_ms"], 1000);
  // One day of one-second bars.
  const int horizon_bars = a["horizon_bars"].get<int>();
  EXPECT_EQ(horizon_bars, 86'400);

  // The position as the analysis saw it: exposure = quantity × mark (linear, multiplier 1).
  Json btc;
  for (const auto& i : a["instruments"]) {
    if (i["symbol"] == "BTCUSDT") btc = i;
  }
  ASSERT_TRUE(btc.is_object()) << a["instruments"].dump();
  const double exposure = btc["exposure"].get<double>();
  const double sigma = btc["volatility"].get<double>();
  EXPECT_GT(exposure, 0.0);
  EXPECT_GT(sigma, 0.0);
  EXPECT_LT(relative_error(exposure, std::stod(btc["quantity"].get<std::string>()) *
                                         std::stod(btc["mark"].get<std::string>())),
            1e-9);

  std::set<std::string> methods;
  for (const auto& e : a["estimates"]) {
    const std::string method = e["method"];
    const double c = e["confidence"].get<double>();
    methods.insert(method);
    ASSERT_TRUE(e["var"].is_number()) << e.dump();
    const double var = e["var"].get<double>();
    const double es = e["expected_shortfall"].get<double>();
    EXPECT_GT(var, 0.0) << e.dump();
    EXPECT_GE(es, var) << e.dump();
    if (method == "PARAMETRIC_NORMAL") {
      // Independent: VaR = z(c)·√h·σ·|e| for one position with zero mean (Jorion, Value at Risk, ch. 5).
      const double z = c == 0.95 ? kZ95 : kZ99;
      EXPECT_LT(relative_error(var, z * std::sqrt(static_cast<double>(horizon_bars)) * sigma * std::abs(exposure)), 1e-9)
          << e.dump();
      double sum = 0;
      for (const auto& comp : e["components"]) sum += comp["component_var"].get<double>();
      ASSERT_EQ(e["components"].size(), 1u);
      EXPECT_LT(relative_error(sum, var), 1e-6);
    }
    if (method == "MONTE_CARLO") {
      EXPECT_GT(e["var_standard_error"].get<double>(), 0.0);
      EXPECT_EQ(e["seed"].is_number(), true);
    }
  }
  EXPECT_EQ(methods, (std::set<std::string>{"HISTORICAL", "PARAMETRIC_NORMAL", "CORNISH_FISHER", "MONTE_CARLO"}));
  EXPECT_EQ(a["estimates"].size(), 8u);

  // Stress: a BTC long under the hypothetical "crypto-crash-30" (majors −30%) loses 30% of its exposure.
  bool found = false;
  for (const auto& s : a["stress"]["scenarios"]) {
    if (s["name"] != "crypto-crash-30") continue;
    found = true;
    EXPECT_LT(relative_error(s["pnl"].get<double>(), -0.30 * exposure), 1e-9) << s.dump();
    ASSERT_EQ(s["instruments"].size(), 1u);
    EXPECT_EQ(s["instruments"][0]["symbol"], "BTCUSDT");
  }
  EXPECT_TRUE(found);
  EXPECT_LT(a["stress"]["worst_pnl"].get<double>(), 0.0);

  expect_correlation_matrix(a["correlation"]["symbols"], a["correlation"]["matrix"]);
  for (const char* method : {"sample", "ewma", "ledoit_wolf"}) {
    const auto r = call("GET", std::string("/api/positions/correlation?method=") + method, viewer);
    ASSERT_EQ(r.status, 200u) << r.body;
    const Json c = json(r);
    EXPECT_EQ(c["method"], method);
    EXPECT_EQ(c["symbols"].size(), 3u);
    expect_correlation_matrix(c["symbols"], c["matrix"]);
  }
}

TEST_F(ServerAnalyticsTest, MarketAnalyticsReportIndicatorsTrendAndVolatility) {
  start(200.0);
  const std::string viewer = login("viewer", kViewerPassword);
  const Json m = wait_for("/api/analytics/market?symbol=BTCUSDT", viewer,
                          [](const Json& j) { return j.value("bars_used", 0) >= 120; });
  EXPECT_EQ(m["symbol"], "BTCUSDT");
  const auto& ind = m["indicators"];
  ASSERT_TRUE(ind["rsi_14"].is_number()) << m.dump();
  EXPECT_GE(ind["rsi_14"].get<double>(), 0.0);
  EXPECT_LE(ind["rsi_14"].get<double>(), 100.0);
  for (const char* key : {"sma_20", "sma_50", "ema_20"}) EXPECT_GT(ind[key].get<double>(), 0.0) << key;
  EXPECT_TRUE(ind["macd"]["histogram"].is_number());
  EXPECT_LE(ind["bollinger"]["lower"].get<double>(), ind["bollinger"]["middle"].get<double>());
  EXPECT_GE(ind["bollinger"]["upper"].get<double>(), ind["bollinger"]["middle"].get<double>());
  EXPECT_TRUE(ind["atr_14"].is_null());
  EXPECT_TRUE(m["trend"]["direction"].is_string());
  // 365 days of one-second bars.
  EXPECT_EQ(m["volatility"]["periods_per_year"].get<double>(), 365.0 * 86'400.0);
  EXPECT_GT(m["volatility"]["annualised"].get<double>(), 0.0);
  EXPECT_TRUE(m["volatility"]["level"]["class"].is_string());
  EXPECT_TRUE(m["volatility"]["trend"]["direction"].is_string());
  EXPECT_FALSE(m["notes"].empty());
}

TEST_F(ServerAnalyticsTest, TheRiskEnginesPortfolioVarIsTheParametricVarOfItsDailyModel) {
  start(200.0);
  const std::string trader = login("trader", kTraderPassword);
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto placed = call("POST", "/api/orders", trader,
                           Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.1"}});
  ASSERT_EQ(placed.status, 201u) << placed.body;
  const std::string id = json(placed)["id"];
  wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "FILLED"; });

  // One kernel snapshot: the model (refreshed every 60 bars once 30 returns exist), the VaR and the exposure.
  const Json r = wait_for("/api/risk", trader, [](const Json& j) {
    return j["var_model"].is_object() && j["portfolio_var"].get<double>() > 0.0;
  });
  const Json& model = r["var_model"];
  EXPECT_EQ(model["method"], "PARAMETRIC_NORMAL");
  ASSERT_EQ(model["confidence"].get<double>(), 0.99);
  ASSERT_EQ(model["horizon_days"].get<double>(), 1.0);
  EXPECT_GE(model["returns_used"].get<int>(), 30);
  EXPECT_EQ(model["at_bar"].get<int>() % 60, 0);
  // One long position: VaR = z(0.99)·σ_daily·|exposure|·√(horizon days) (Jorion, Value at Risk, ch. 5).
  const double sigma_daily = model["daily_volatility"]["BTCUSDT"].get<double>();
  const double exposure = std::stod(r["gross_exposure"].get<std::string>());
  EXPECT_LT(relative_error(r["portfolio_var"].get<double>(), kZ99 * sigma_daily * exposure), 1e-6) << r.dump();
  // A daily σ, not a per-bar one: one-second bars of a 60 %-a-year instrument move ~0.004 %, a day ~3 %.
  EXPECT_GT(sigma_daily, 0.005);
  EXPECT_LT(sigma_daily, 0.2);
}

}  // namespace
}  // namespace ballast::server
