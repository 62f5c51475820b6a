// Integration tests of GET /api/performance and GET /api/analytics/performance on the real server: orders
// placed through the API fill on the paper market, and the attributed P&L is checked against the fills read
// back through GET /api/orders/{id}; the account's maximum drawdown is recomputed from /api/risk/history.

#include "ballast/core/decimal.hpp"
#include "server_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace ballast::server {
namespace {

using Json = nlohmann::json;
using core::Decimal;
using testing::ServerHarness;

Decimal dec(const Json& text) {
  auto d = Decimal::parse(text.get<std::string>());
  EXPECT_TRUE(d) << text;
  return d ? *d : Decimal{};
}

class ServerPerformanceTest : public ::testing::Test, protected ServerHarness {
 protected:
  void SetUp() override {
    config.snapshot_interval = std::chrono::milliseconds(250);
    ASSERT_NO_FATAL_FAILURE(seed_users());
    start();
    trader_ = login("trader", kTraderPassword);
    viewer_ = login("viewer", kViewerPassword);
    wait_for("/api/status", trader_, [](const Json& j) { return j.value("bars", 0) >= 2; });
  }

  // Places a market order and waits for it to fill; returns GET /api/orders/{id} (with its fills).
  Json filled_market_order(const std::string& side, const std::string& quantity) {
    const auto placed = call("POST", "/api/orders", trader_,
                             Json{{"symbol", "BTCUSDT"}, {"side", side}, {"type", "MARKET"}, {"quantity", quantity}});
    EXPECT_EQ(placed.status, 201u) << placed.body;
    const std::string id = json(placed).value("id", std::string());
    return wait_for("/api/orders/" + id, trader_, [](const Json& j) { return j.value("status", "") == "FILLED"; });
  }

  std::string trader_;
  std::string viewer_;
};

const Json* find_group(const Json& report, const std::string& key) {
  for (const auto& g : report["groups"]) {
    if (g["key"] == key) return &g;
  }
  return nullptr;
}

TEST_F(ServerPerformanceTest, AttributesARoundTripsRealisedPnlAndFeesAsTheOrdersFillsShow) {
  const Json buy = filled_market_order("BUY", "0.010");
  const Json sell = filled_market_order("SELL", "0.010");
  ASSERT_FALSE(buy["fills"].empty());
  ASSERT_FALSE(sell["fills"].empty());

  // Independent path: the fills of each order. A full round trip realises Σ sell value − Σ buy value, whatever
  // the averaging; fees are the fills' fees (all in USDT on the paper venue).
  Decimal buy_value, sell_value, fees, quantity_bought, quantity_sold;
  for (const auto* order : {&buy, &sell}) {
    for (const auto& f : (*order)["fills"]) {
      EXPECT_EQ(f["fee_currency"], "USDT");
      const Decimal q = dec(f["quantity"]);
      const Decimal p = dec(f["price"]);
      const Decimal value = p.mul(q, p.scale() + q.scale());
      if (order == &buy) {
        buy_value += value;
        quantity_bought += q;
      } else {
        sell_value += value;
        quantity_sold += q;
      }
      fees += dec(f["fee"]);
    }
  }
  ASSERT_EQ(quantity_bought, quantity_sold);
  const Decimal realized = sell_value - buy_value;

  const auto by_symbol = call("GET", "/api/performance?by=symbol&timeframe=all", trader_);
  ASSERT_EQ(by_symbol.status, 200u) << by_symbol.body;
  const Json report = json(by_symbol);
  EXPECT_EQ(report["by"], "symbol");
  EXPECT_EQ(report["timeframe"], "all");
  EXPECT_EQ(report["currency"], "USDT");
  const Json* btc = find_group(report, "BTCUSDT");
  ASSERT_NE(btc, nullptr) << report.dump();
  EXPECT_EQ((*btc)["instrument_id"], "BTCUSDT.PAPER");
  EXPECT_EQ(dec((*btc)["realized_pnl"]), realized) << report.dump();
  EXPECT_EQ(dec((*btc)["fees"]), fees);
  EXPECT_EQ(dec((*btc)["net_pnl"]), realized - fees);
  EXPECT_EQ((*btc)["round_trips"], 1);
  EXPECT_EQ((*btc)["fills"], buy["fills"].size() + sell["fills"].size());
  EXPECT_TRUE((*btc)["positions"].empty());
  EXPECT_TRUE((*btc)["fees_uncounted"].empty());
  EXPECT_EQ(dec((*btc)["total_pnl"]), realized - fees);  // flat: nothing unrealised
  EXPECT_EQ(dec(report["total"]["net_pnl"]), realized - fees);
  // The round trip is a win exactly when its net P&L is positive.
  const Decimal net = realized - fees;
  EXPECT_EQ((*btc)["wins"], net.is_positive() ? 1 : 0);
  EXPECT_EQ((*btc)["losses"], net.is_negative() ? 1 : 0);

  // By strategy: API orders carry "API:<user>".
  const auto by_strategy = call("GET", "/api/performance?by=strategy", viewer_);
  ASSERT_EQ(by_strategy.status, 200u) << by_strategy.body;
  const Json strategies = json(by_strategy);
  const Json* api_trader = find_group(strategies, "API:trader");
  ASSERT_NE(api_trader, nullptr) << by_strategy.body;
  EXPECT_EQ(dec((*api_trader)["realized_pnl"]), realized);
  EXPECT_EQ(dec((*api_trader)["fees"]), fees);

  // A day's window holds these fills too (the market clock started minutes ago).
  const Json day = json(call("GET", "/api/performance?by=symbol&timeframe=day", viewer_));
  const Json* btc_day = find_group(day, "BTCUSDT");
  ASSERT_NE(btc_day, nullptr) << day.dump();
  EXPECT_EQ(dec((*btc_day)["realized_pnl"]), realized);
  EXPECT_TRUE(day["from"].is_string());
}

TEST_F(ServerPerformanceTest, RejectsAnUnknownGroupingOrTimeframeNamingTheField) {
  const auto bad_by = call("GET", "/api/performance?by=foo", viewer_);
  EXPECT_EQ(bad_by.status, 400u);
  EXPECT_EQ(json(bad_by)["error"]["field"], "by");
  const auto bad_timeframe = call("GET", "/api/performance?timeframe=year", viewer_);
  EXPECT_EQ(bad_timeframe.status, 400u);
  EXPECT_EQ(json(bad_timeframe)["error"]["field"], "timeframe");
  const auto bad_rate = call("GET", "/api/analytics/performance?risk_free_rate=abc", viewer_);
  EXPECT_EQ(bad_rate.status, 400u);
  EXPECT_EQ(json(bad_rate)["error"]["field"], "risk_free_rate");
  EXPECT_EQ(call("GET", "/api/performance").status, 401u);
}

TEST_F(ServerPerformanceTest, AccountMetricsFollowTheEquityHistory) {
  filled_market_order("BUY", "0.010");
  // Several snapshots (every 250 ms of market time, 20× speed) while the position moves with the market.
  wait_for("/api/risk/history?limit=100000", viewer_, [](const Json& j) { return j["points"].size() >= 8; });

  // One window for both reads: up to just after the latest snapshot seen.
  const Json history_now = json(call("GET", "/api/risk/history?limit=100000", viewer_));
  ASSERT_FALSE(history_now["points"].empty());
  const std::int64_t to_ms = history_now["points"].back()["ts_ms"].get<std::int64_t>() + 1;
  const std::string to = "to=" + std::to_string(to_ms);

  const auto answer = call("GET", "/api/analytics/performance?timeframe=all&" + to, viewer_);
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const Json perf = json(answer);
  const Json history = json(call("GET", "/api/risk/history?limit=100000&" + to, viewer_));
  std::vector<double> equity;
  for (const auto& p : history["points"]) equity.push_back(std::stod(p["equity"].get<std::string>()));
  ASSERT_GE(equity.size(), 8u);

  // Snapshots are at least one interval apart, so under two days every snapshot is its own observation.
  EXPECT_EQ(perf["sampling"]["rule"], "LAST_PER_SNAPSHOT_INTERVAL");
  EXPECT_EQ(perf["sampling"]["interval_ms"], 250);
  EXPECT_EQ(perf["observations"], equity.size());
  // 365 days of 250 ms periods.
  EXPECT_DOUBLE_EQ(perf["sampling"]["periods_per_year"].get<double>(), 365.0 * 86'400.0 * 4.0);
  ASSERT_TRUE(perf["metrics"].is_object()) << perf.dump();
  EXPECT_TRUE(perf["reason"].is_null());

  // Maximum drawdown recomputed from the history: the largest fall from a running peak, as a positive fraction.
  double peak = equity.front();
  double deepest = 0.0;
  for (const double e : equity) {
    peak = std::max(peak, e);
    deepest = std::max(deepest, 1.0 - e / peak);
  }
  const double reported = perf["metrics"]["max_drawdown"].get<double>();
  EXPECT_GE(reported, 0.0);
  EXPECT_NEAR(reported, deepest, 1e-12);
  EXPECT_DOUBLE_EQ(perf["metrics"]["start_equity"].get<double>(), equity.front());
  EXPECT_DOUBLE_EQ(perf["metrics"]["end_equity"].get<double>(), equity.back());
  EXPECT_NEAR(perf["metrics"]["total_return"].get<double>(), equity.back() / equity.front() - 1.0, 1e-12);
  EXPECT_EQ(perf["metrics"]["returns"], equity.size() - 1);
  // The trade statistics of the whole account: one open long, no round trip yet.
  EXPECT_EQ(perf["trades"]["round_trips"], 0);
  EXPECT_EQ(perf["trades"]["fills"], 1);
}

TEST_F(ServerPerformanceTest, FewerThanTwoObservationsGiveNullMetricsWithAReason) {
  // A window that ends before the first snapshot holds none.
  const auto answer = call("GET", "/api/analytics/performance?to=1000", viewer_);
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const Json perf = json(answer);
  EXPECT_EQ(perf["observations"], 0);
  EXPECT_TRUE(perf["metrics"].is_null());
  EXPECT_NE(perf["reason"].get<std::string>().find("TOO_FEW_OBSERVATIONS"), std::string::npos);
}

}  // namespace
}  // namespace ballast::server
