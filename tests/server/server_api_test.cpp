// Integration tests of `ballast serve`: the real server (ServerApp) on a free loopback port, the paper venue
// on an accelerated synthetic market, driven over HTTP and WebSocket — the same suite on a real SQLite file
// ("Sqlite/…") and on the throwaway PostgreSQL server of the test run ("Postgres/…", a fresh schema per
// test, selected through the connection's search_path).

#include "ballast/net/websocket_client.hpp"
#include "server_harness.hpp"
#include "testkit/postgres.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace ballast::server {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAdminPassword = testing::ServerHarness::kAdminPassword;
constexpr const char* kTraderPassword = testing::ServerHarness::kTraderPassword;
constexpr const char* kViewerPassword = testing::ServerHarness::kViewerPassword;

class ServerApiTest : public ::testing::TestWithParam<persistence::Backend>, protected testing::ServerHarness {
 protected:
  void SetUp() override {
    if (GetParam() == persistence::Backend::Postgres) {
      const testkit::PostgresTarget target = testkit::postgres_target();
      if (target.skip) GTEST_SKIP() << "BALLAST_SKIP_POSTGRES=1";
      ASSERT_TRUE(target.url.has_value()) << target.problem;
      // Opening with a schema creates it and migrates it; the server then finds it through search_path.
      const std::string schema = testkit::unique_schema();
      config.database_url = *target.url + (target.url->find('?') == std::string::npos ? "?" : "&") +
                            "options=-csearch_path%3D" + schema;
      ASSERT_NO_FATAL_FAILURE(seed_users(*target.url, schema));
    } else {
      ASSERT_NO_FATAL_FAILURE(seed_users());
    }
    start();
  }

 public:
  static std::string backend_name(const ::testing::TestParamInfo<persistence::Backend>& info) {
    return std::string(persistence::to_string(info.param));
  }

 protected:
  void restart() {
    stop();
    start();
  }
};

TEST_P(ServerApiTest, HealthNeedsNoTokenButEveryOtherEndpointDoes) {
  const auto health = call("GET", "/api/health");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(json(health)["status"], "ok");
  const auto status = call("GET", "/api/status");
  EXPECT_EQ(status.status, 401u);
  EXPECT_EQ(json(status)["error"]["code"], "UNAUTHENTICATED");
  const auto forged = call("GET", "/api/status", "not.a.token");
  EXPECT_EQ(forged.status, 401u);
  EXPECT_EQ(json(forged)["error"]["code"], "INVALID_TOKEN");
}

TEST_P(ServerApiTest, LoginIssuesTokensThatIdentifyTheUserAndRefreshWorks) {
  const auto bad = call("POST", "/api/auth/login", {}, Json{{"username", "admin"}, {"password", "wrong"}});
  EXPECT_EQ(bad.status, 401u);
  EXPECT_EQ(json(bad)["error"]["code"], "INVALID_CREDENTIALS");
  const auto missing = call("POST", "/api/auth/login", {}, Json{{"username", "admin"}});
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(json(missing)["error"]["field"], "password");

  const auto ok = call("POST", "/api/auth/login", {}, Json{{"username", "trader"}, {"password", kTraderPassword}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  const Json tokens = json(ok);
  const auto me = call("GET", "/api/auth/me", tokens["access_token"]);
  EXPECT_EQ(json(me)["name"], "trader");
  EXPECT_EQ(json(me)["role"], "trader");
  // A refresh token is not an access token.
  EXPECT_EQ(call("GET", "/api/auth/me", tokens["refresh_token"]).status, 401u);
  const auto refreshed = call("POST", "/api/auth/refresh", {}, Json{{"refresh_token", tokens["refresh_token"]}});
  ASSERT_EQ(refreshed.status, 200u) << refreshed.body;
  EXPECT_EQ(json(call("GET", "/api/auth/me", json(refreshed)["access_token"]))["name"], "trader");
}

TEST_P(ServerApiTest, RepeatedFailedLoginsAreThrottled) {
  for (int i = 0; i < config.login_max_failures; ++i) {
    EXPECT_EQ(call("POST", "/api/auth/login", {}, Json{{"username", "viewer"}, {"password", "nope"}}).status, 401u);
  }
  const auto locked = call("POST", "/api/auth/login", {}, Json{{"username", "viewer"}, {"password", kViewerPassword}});
  EXPECT_EQ(locked.status, 429u);
  EXPECT_TRUE(locked.header("Retry-After").has_value());
}

TEST_P(ServerApiTest, ResponsesCarrySecurityHeaders) {
  const auto r = call("GET", "/api/health");
  EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(r.header("X-Frame-Options").value_or(""), "DENY");
  EXPECT_TRUE(r.header("Content-Security-Policy").has_value());
}

TEST_P(ServerApiTest, AMarketOrderIsStoredBeforeTheAnswerAndFillsOnTheNextBar) {
  const std::string trader = login("trader", kTraderPassword);
  // Wait for the first bar so the risk engine has a mark.
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto placed = call("POST", "/api/orders", trader,
                           Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.010"}});
  ASSERT_EQ(placed.status, 201u) << placed.body;
  const std::string id = json(placed)["id"];
  EXPECT_EQ(json(placed)["status"], "SUBMITTED");
  // Acknowledged means stored: the order is in the store right away.
  const auto stored = call("GET", "/api/orders/" + id, trader);
  ASSERT_EQ(stored.status, 200u) << stored.body;
  EXPECT_EQ(json(stored)["quantity"], "0.01");

  const Json filled = wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "FILLED"; });
  ASSERT_EQ(filled["fills"].size(), 1u);
  EXPECT_EQ(filled["fills"][0]["quantity"], "0.01");
  const Json positions = json(call("GET", "/api/positions", trader));
  ASSERT_EQ(positions["positions"].size(), 1u);
  EXPECT_EQ(positions["positions"][0]["symbol"], "BTCUSDT");
  EXPECT_EQ(positions["positions"][0]["side"], "LONG");
  EXPECT_EQ(positions["positions"][0]["quantity"], "0.01");
  // 0.01 BTC long on a 100,000 USDT cross wallet: the margin covers a fall to zero (docs/risk liquidation).
  EXPECT_EQ(positions["positions"][0]["liquidation"], "NEVER");
  EXPECT_TRUE(positions["positions"][0]["liquidation_price"].is_null());
}

TEST_P(ServerApiTest, ARiskDenialIsAnUnprocessableAnswerWithTheTypedReason) {
  const std::string trader = login("trader", kTraderPassword);
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  // 100 BTC at ~60 000 is 6 M USDT notional on a 100 000 USDT account: no margin for it.
  const auto denied = call("POST", "/api/orders", trader,
                           Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "100"}});
  ASSERT_EQ(denied.status, 422u) << denied.body;
  const Json j = json(denied);
  EXPECT_EQ(j["error"]["code"], "RISK_DENIED");
  EXPECT_EQ(j["decision"]["verdict"], "DENIED");
  EXPECT_FALSE(j["decision"]["reason"].get<std::string>().empty());
  EXPECT_TRUE(j["decision"].contains("limit"));
  // The denial is on record.
  const Json denied_orders = json(call("GET", "/api/orders?status=DENIED", trader));
  EXPECT_EQ(denied_orders["orders"].size(), 1u);
}

TEST_P(ServerApiTest, MalformedOrdersAreRejectedWithTheField) {
  const std::string trader = login("trader", kTraderPassword);
  const auto no_side = call("POST", "/api/orders", trader, Json{{"symbol", "BTCUSDT"}, {"quantity", "1"}});
  EXPECT_EQ(no_side.status, 422u);
  EXPECT_EQ(json(no_side)["error"]["field"], "side");
  const auto unknown = call("POST", "/api/orders", trader, Json{{"symbol", "DOGEUSDT"}, {"side", "BUY"}, {"quantity", "1"}});
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(json(unknown)["error"]["field"], "symbol");
  const auto bad_json = client->request("POST", "/api/orders", "{not json", {{"Authorization", "Bearer " + trader}});
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400u);
  EXPECT_EQ(json(*bad_json)["error"]["code"], "INVALID_JSON");
}

TEST_P(ServerApiTest, RolesGateTradingAndAdministration) {
  const std::string viewer = login("viewer", kViewerPassword);
  EXPECT_EQ(call("GET", "/api/positions", viewer).status, 200u);
  const auto order = call("POST", "/api/orders", viewer, Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.01"}});
  EXPECT_EQ(order.status, 403u);
  EXPECT_EQ(json(order)["error"]["code"], "FORBIDDEN");
  const std::string trader = login("trader", kTraderPassword);
  EXPECT_EQ(call("PUT", "/api/config/global", trader, Json::object()).status, 403u);
}

TEST_P(ServerApiTest, EmergencyStopHaltsTradingUntilAnAdminResetsIt) {
  const std::string trader = login("trader", kTraderPassword);
  const std::string admin = login("admin", kAdminPassword);
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  // A resting limit far below the market: the stop must cancel it.
  const auto resting = call("POST", "/api/orders", trader,
                            Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"quantity", "0.010"}, {"price", "30000"}});
  ASSERT_EQ(resting.status, 201u) << resting.body;
  const std::string id = json(resting)["id"];
  wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "ACCEPTED"; });

  EXPECT_EQ(call("POST", "/api/risk/emergency-stop", trader, Json::object()).status, 400u);  // reason required
  const auto stop = call("POST", "/api/risk/emergency-stop", trader, Json{{"reason", "test drill"}});
  ASSERT_EQ(stop.status, 200u) << stop.body;
  EXPECT_EQ(json(stop)["trading_state"], "HALTED");
  ASSERT_EQ(json(stop)["venues"].size(), 1u);
  EXPECT_EQ(json(stop)["venues"][0]["venue"], "PAPER");
  wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "CANCELED"; });

  const auto blocked = call("POST", "/api/orders", trader, Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.01"}});
  EXPECT_EQ(blocked.status, 422u);
  EXPECT_EQ(json(blocked)["decision"]["reason"], "TRADING_HALTED");

  EXPECT_EQ(call("POST", "/api/risk/emergency-stop/reset", trader, Json{{"reason", "drill over"}}).status, 403u);
  const auto reset = call("POST", "/api/risk/emergency-stop/reset", admin, Json{{"reason", "drill over"}});
  ASSERT_EQ(reset.status, 200u) << reset.body;
  EXPECT_EQ(json(reset)["trading_state"], "ACTIVE");
  EXPECT_EQ(call("POST", "/api/orders", trader, Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.01"}}).status, 201u);
}

TEST_P(ServerApiTest, StateSurvivesARestart) {
  const std::string trader = login("trader", kTraderPassword);
  wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto placed = call("POST", "/api/orders", trader, Json{{"symbol", "ETHUSDT"}, {"side", "SELL"}, {"quantity", "0.100"}});
  ASSERT_EQ(placed.status, 201u) << placed.body;
  const std::string id = json(placed)["id"];
  wait_for("/api/orders/" + id, trader, [](const Json& j) { return j.value("status", "") == "FILLED"; });
  ASSERT_EQ(call("POST", "/api/risk/emergency-stop", trader, Json{{"reason", "before restart"}}).status, 200u);

  restart();
  const std::string again = login("trader", kTraderPassword);
  // The order history, the position and the HALTED state are back.
  EXPECT_EQ(json(call("GET", "/api/orders/" + id, again))["status"], "FILLED");
  const Json positions = json(call("GET", "/api/positions", again));
  ASSERT_EQ(positions["positions"].size(), 1u);
  EXPECT_EQ(positions["positions"][0]["symbol"], "ETHUSDT");
  EXPECT_EQ(positions["positions"][0]["quantity"], "-0.1");
  const Json status = json(call("GET", "/api/status", again));
  EXPECT_EQ(status["trading_state"], "HALTED");
  EXPECT_TRUE(status["emergency_stop"].get<bool>());
  // New orders get ids that were never used before.
  const std::string admin = login("admin", kAdminPassword);
  ASSERT_EQ(call("POST", "/api/risk/emergency-stop/reset", admin, Json{{"reason", "after restart"}}).status, 200u);
  // A market order needs a reference price: the restarted feed's first bar.
  wait_for("/api/status", again, [](const Json& j) { return j.value("bars", 0) >= 1; });
  const auto next = call("POST", "/api/orders", again, Json{{"symbol", "ETHUSDT"}, {"side", "BUY"}, {"quantity", "0.100"}});
  ASSERT_EQ(next.status, 201u) << next.body;
  EXPECT_NE(json(next)["id"], id);
  EXPECT_EQ(call("GET", "/api/orders/" + json(next)["id"].get<std::string>(), again).status, 200u);
}

TEST_P(ServerApiTest, WebSocketNeedsATokenAndStreamsSnapshotsThenUpdates) {
  const std::string port = std::to_string(app->port());
  EXPECT_FALSE(net::WebSocketClient::connect("ws://127.0.0.1:" + port + "/ws"));
  const std::string token = login("viewer", kViewerPassword);
  auto ws = net::WebSocketClient::connect("ws://127.0.0.1:" + port + "/ws?token=" + token);
  ASSERT_TRUE(ws) << ws.error().to_string();
  ASSERT_TRUE((*ws)->send(R"({"op":"subscribe","channels":["prices","risk"]})"));
  std::set<std::string> snapshots;
  int price_updates = 0;
  for (int i = 0; i < 100 && (snapshots.size() < 2 || price_updates < 2); ++i) {
    auto message = (*ws)->receive(5s);
    ASSERT_TRUE(message) << message.error().to_string();
    const Json j = Json::parse(*message);
    if (j.value("type", "") == "snapshot") snapshots.insert(j["channel"].get<std::string>());
    if (j.value("channel", "") == "prices" && j.value("type", "") == "bars") ++price_updates;
  }
  EXPECT_EQ(snapshots, (std::set<std::string>{"prices", "risk"}));
  EXPECT_GE(price_updates, 2);
  ASSERT_TRUE((*ws)->send(R"({"op":"subscribe","channels":["nonsense"]})"));
  bool saw_error = false;
  for (int i = 0; i < 50 && !saw_error; ++i) {
    auto message = (*ws)->receive(5s);
    ASSERT_TRUE(message);
    const Json j = Json::parse(*message);
    saw_error = j.value("type", "") == "error" && j["error"]["code"] == "UNKNOWN_CHANNEL";
  }
  EXPECT_TRUE(saw_error);
}

TEST_P(ServerApiTest, OpenApiDocumentListsExactlyTheServedRoutes) {
  const Json doc = json(call("GET", "/api/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> documented;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      documented.insert(m + " " + path);
      EXPECT_TRUE(op.contains("summary")) << path;
    }
  }
  const auto routes = app->routes();
  EXPECT_EQ(documented, std::set<std::string>(routes.begin(), routes.end()));
}

TEST_P(ServerApiTest, MetricsExposeRequestCountsInPrometheusFormat) {
  call("GET", "/api/health");
  const auto metrics = call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("# TYPE ballast_http_requests_total counter"), std::string::npos);
  EXPECT_NE(metrics.body.find(R"(ballast_http_requests_total{method="GET",route="/api/health",status="200"})"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("ballast_store_commit_duration_seconds_count"), std::string::npos);
}

TEST_P(ServerApiTest, RiskEvaluateExplainsEveryCheckWithoutPlacingAnOrder) {
  const std::string viewer = login("viewer", kViewerPassword);
  wait_for("/api/status", viewer, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto r = call("POST", "/api/risk/evaluate", viewer, Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.010"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  const Json j = json(r);
  EXPECT_EQ(j["decision"]["verdict"], "APPROVED");
  EXPECT_GT(j["checks"].size(), 10u);
  EXPECT_EQ(json(call("GET", "/api/orders", viewer))["orders"].size(), 0u);
}

// A limit as the configuration's JSON form writes it (number or decimal string).
double limit_value(const Json& v) { return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>(); }

TEST_P(ServerApiTest, LimitsSymbolOverridesAndNamedConfigurationsChangeTheRunningConfiguration) {
  const std::string admin = login("admin", kAdminPassword);
  const std::string trader = login("trader", kTraderPassword);
  wait_for("/api/status", admin, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const Json before = json(call("GET", "/api/config/global", admin));

  // A merge patch changes one limit and keeps the rest.
  EXPECT_EQ(call("POST", "/api/risk/limits", trader, Json{{"account", {{"max_gross_exposure", 1234}}}}).status, 403u);
  const auto patched = call("POST", "/api/risk/limits", admin, Json{{"account", {{"max_gross_exposure", 1234}}}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  const Json after = json(patched)["risk"];
  EXPECT_EQ(limit_value(after["account"]["max_gross_exposure"]), 1234.0);
  Json expected = before;
  expected["account"]["max_gross_exposure"] = after["account"]["max_gross_exposure"];
  EXPECT_EQ(after, expected) << "only the patched key changes";
  // The new limit binds: 0.1 BTC (about 6,000 USDT of exposure) is over 1,234.
  const Json decision = json(call("POST", "/api/risk/evaluate", trader,
                                  Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.1"}}));
  EXPECT_EQ(decision["decision"]["verdict"], "DENIED") << decision.dump();
  EXPECT_EQ(decision["decision"]["check"], "MAX_GROSS_EXPOSURE") << decision.dump();
  // A patch that makes the configuration invalid changes nothing.
  const auto bad = call("POST", "/api/risk/limits", admin, Json{{"account", {{"max_gross_exposure", -5}}}});
  EXPECT_EQ(bad.status, 422u) << bad.body;
  EXPECT_EQ(limit_value(json(call("GET", "/api/config/global", admin))["account"]["max_gross_exposure"]), 1234.0);

  // One instrument's overrides: set, replaced, removed.
  auto put = call("PUT", "/api/config/symbols/BTCUSDT", admin, Json{{"max_order_quantity", 0.005}});
  ASSERT_EQ(put.status, 200u) << put.body;
  put = call("PUT", "/api/config/symbols/BTCUSDT.PAPER", admin, Json{{"max_order_quantity", 0.004}});
  ASSERT_EQ(put.status, 200u) << put.body;
  const Json symbols = json(call("GET", "/api/config/symbols", admin))["symbols"];
  ASSERT_EQ(symbols.size(), 1u) << symbols.dump();
  EXPECT_EQ(symbols[0]["instrument"], "BTCUSDT.PAPER");
  EXPECT_EQ(limit_value(symbols[0]["max_order_quantity"]), 0.004);
  EXPECT_EQ(call("PUT", "/api/config/symbols/NOPEUSDT", admin, Json{{"max_order_quantity", 1}}).status, 404u);
  EXPECT_EQ(call("PUT", "/api/config/symbols/BTCUSDT", admin, Json{{"instrument", "ETHUSDT.PAPER"}}).status, 400u);
  EXPECT_EQ(call("DELETE", "/api/config/symbols/BTCUSDT", admin).status, 200u);
  EXPECT_EQ(call("DELETE", "/api/config/symbols/BTCUSDT", admin).status, 404u);
  EXPECT_TRUE(json(call("GET", "/api/config/symbols", admin))["symbols"].empty());

  // Named configurations: save the running one as "tight", change it, go back to "default".
  ASSERT_EQ(call("POST", "/api/config/save", admin, Json{{"name", "tight"}}).status, 200u);
  EXPECT_EQ(json(call("GET", "/api/config", admin))["active"], "tight");
  ASSERT_EQ(call("POST", "/api/risk/limits", admin, Json{{"account", {{"max_gross_exposure", 99999}}}}).status, 200u);
  const auto back = call("POST", "/api/config/activate", admin, Json{{"name", "default"}});
  ASSERT_EQ(back.status, 200u) << back.body;
  EXPECT_EQ(json(call("GET", "/api/config", admin))["active"], "default");
  EXPECT_EQ(limit_value(json(call("GET", "/api/config/global", admin))["account"]["max_gross_exposure"]), 1234.0);
  ASSERT_EQ(call("POST", "/api/config/activate", admin, Json{{"name", "tight"}}).status, 200u);
  EXPECT_EQ(limit_value(json(call("GET", "/api/config/global", admin))["account"]["max_gross_exposure"]), 99999.0);
  EXPECT_EQ(call("POST", "/api/config/activate", admin, Json{{"name", "nope"}}).status, 404u);
  EXPECT_EQ(call("POST", "/api/config/save", admin, Json{{"name", ""}}).status, 400u);
}

TEST_P(ServerApiTest, RiskConfigurationChangesAreValidatedAppliedAndKept) {
  const std::string admin = login("admin", kAdminPassword);
  Json risk_config = json(call("GET", "/api/config/global", admin));
  risk_config["account"]["max_gross_exposure"] = 1000;
  const auto bad = client->request("PUT", "/api/config/global", "{\"max_leverage\": 5, \"nonsense\": 1}",
                                    {{"Authorization", "Bearer " + admin}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422u) << bad->body;
  const auto ok = call("PUT", "/api/config/global?name=tight", admin, risk_config);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(json(ok)["name"], "tight");
  EXPECT_TRUE(json(ok)["restart_required"].empty());
  // Applied at once: 0.02 BTC (~1,200 USDT) now exceeds the 1,000 gross-exposure limit.
  wait_for("/api/status", admin, [](const Json& j) { return j.value("bars", 0) >= 2; });
  const auto denied = call("POST", "/api/orders", admin, Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.020"}});
  ASSERT_EQ(denied.status, 422u) << denied.body;
  EXPECT_EQ(json(denied)["decision"]["check"], "MAX_GROSS_EXPOSURE");
  restart();
  const std::string again = login("admin", kAdminPassword);
  const Json active = json(call("GET", "/api/config", again));
  EXPECT_EQ(active["active"], "tight");
  EXPECT_EQ(active["risk"]["account"]["max_gross_exposure"].dump(), "1000");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ServerApiTest, ::testing::Values(persistence::Backend::Sqlite), ServerApiTest::backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ServerApiTest, ::testing::Values(persistence::Backend::Postgres),
                         ServerApiTest::backend_name);

}  // namespace
}  // namespace ballast::server
