// The trading session manager end to end (SQLite store): stop/start over the API, the SESSION_STOPPED
// gate on orders while reducing orders and cancels pass, roles, persistence across a restart, trading
// hours from the risk configuration (OUTSIDE_TRADING_HOURS), autostart = false and the refusal of
// mode = "live" (refused: live accounts are [[venues]]).

#include "ballast/server/service_config.hpp"
#include "server/server_harness.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <string>

namespace ballast::server {
namespace {

using Json = nlohmann::json;
using testing::ServerHarness;

class ServerSessionTest : public ::testing::Test {
 protected:
  void start() {
    ASSERT_NO_FATAL_FAILURE(h.seed_users());
    ASSERT_NO_FATAL_FAILURE(h.start());
    trader = h.login("trader", ServerHarness::kTraderPassword);
  }
  void wait_for_bars() {
    h.wait_for("/api/status", trader, [](const Json& j) { return j.value("bars", 0) >= 2; });
  }
  net::HttpResponse order(const Json& body) { return h.call("POST", "/api/orders", trader, body); }
  static Json market_buy() { return Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.01"}}; }

  ServerHarness h;
  std::string trader;
};

TEST_F(ServerSessionTest, AStoppedSessionRefusesNewOrdersButLetsACloseAndACancelThroughUntilStarted) {
  ASSERT_NO_FATAL_FAILURE(start());
  wait_for_bars();
  const Json initial = h.json(h.call("GET", "/api/session", trader));
  EXPECT_EQ(initial["state"], "RUNNING");
  EXPECT_EQ(initial["mode"], "paper");

  // A long position and a resting limit far below the market, both before the stop.
  const auto opened = order(market_buy());
  ASSERT_EQ(opened.status, 201u) << opened.body;
  h.wait_for("/api/positions", trader, [](const Json& j) { return j["positions"].size() == 1; });
  const auto resting = order(Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"quantity", "0.01"},
                                  {"price", "30000"}});
  ASSERT_EQ(resting.status, 201u) << resting.body;
  const std::string resting_id = h.json(resting)["id"];
  h.wait_for("/api/orders/" + resting_id, trader, [](const Json& j) { return j.value("status", "") == "ACCEPTED"; });

  const auto stopped = h.call("POST", "/api/session/stop", trader, Json{{"reason", "lunch break"}});
  ASSERT_EQ(stopped.status, 200u) << stopped.body;
  EXPECT_EQ(h.json(stopped)["state"], "STOPPED");
  EXPECT_EQ(h.json(stopped)["by"], "trader");
  EXPECT_EQ(h.json(stopped)["reason"], "lunch break");
  const auto again = h.call("POST", "/api/session/stop", trader);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(h.json(again)["error"]["code"], "SESSION_ALREADY_STOPPED");

  const auto refused = order(market_buy());
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(h.json(refused)["error"]["code"], "SESSION_STOPPED");
  EXPECT_EQ(h.json(refused)["decision"]["reason"], "SESSION_STOPPED");

  // Cancels and a reduce-only close still go through.
  EXPECT_EQ(h.call("DELETE", "/api/orders/" + resting_id, trader).status, 202u);
  h.wait_for("/api/orders/" + resting_id, trader, [](const Json& j) { return j.value("status", "") == "CANCELED"; });
  const auto close = order(Json{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "MARKET"}, {"quantity", "0.01"},
                                {"reduce_only", true}});
  EXPECT_EQ(close.status, 201u) << close.body;
  h.wait_for("/api/positions", trader, [](const Json& j) { return j["positions"].empty(); });
  // The feed keeps running while stopped.
  const int bars = h.json(h.call("GET", "/api/status", trader)).value("bars", 0);
  h.wait_for("/api/status", trader, [bars](const Json& j) { return j.value("bars", 0) > bars; });

  const auto started = h.call("POST", "/api/session/start", trader);
  ASSERT_EQ(started.status, 200u) << started.body;
  EXPECT_EQ(h.json(started)["state"], "RUNNING");
  EXPECT_EQ(h.call("POST", "/api/session/start", trader).status, 409u);
  EXPECT_EQ(order(market_buy()).status, 201u);
}

TEST_F(ServerSessionTest, AViewerSeesTheSessionButCannotStopOrStartIt) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string viewer = h.login("viewer", ServerHarness::kViewerPassword);
  EXPECT_EQ(h.call("GET", "/api/session", viewer).status, 200u);
  EXPECT_EQ(h.call("POST", "/api/session/stop", viewer).status, 403u);
  EXPECT_EQ(h.call("POST", "/api/session/start", viewer).status, 403u);
  EXPECT_EQ(h.call("GET", "/api/session").status, 401u);
  EXPECT_EQ(h.call("POST", "/api/session/stop", trader, Json{{"reason", 5}}).status, 400u);
}

TEST_F(ServerSessionTest, AStoppedSessionStaysStoppedAfterARestart) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(h.call("POST", "/api/session/stop", trader, Json{{"reason", "end of day"}}).status, 200u);
  h.stop();
  ASSERT_NO_FATAL_FAILURE(h.start());
  trader = h.login("trader", ServerHarness::kTraderPassword);
  const Json s = h.json(h.call("GET", "/api/session", trader));
  EXPECT_EQ(s["state"], "STOPPED");
  EXPECT_EQ(s["by"], "trader");
  EXPECT_EQ(s["reason"], "end of day");
  wait_for_bars();
  EXPECT_EQ(order(market_buy()).status, 409u);
}

TEST_F(ServerSessionTest, AutostartFalseStartsStoppedUntilATraderStartsIt) {
  h.config.session_autostart = false;
  ASSERT_NO_FATAL_FAILURE(start());
  const Json s = h.json(h.call("GET", "/api/session", trader));
  EXPECT_EQ(s["state"], "STOPPED");
  EXPECT_EQ(s["by"], "system");
  wait_for_bars();
  EXPECT_EQ(order(market_buy()).status, 409u);
  ASSERT_EQ(h.call("POST", "/api/session/start", trader).status, 200u);
  EXPECT_EQ(order(market_buy()).status, 201u);
}

// The paper market's clock starts at the wall clock's now (paper_market.cpp: the synthetic feed is
// aligned down to the bar interval) and runs at the harness's speed (20×), so a test lasting seconds
// stays within minutes of market time: hours open only on the weekday three days from today (UTC) are
// closed for the whole test.
TEST_F(ServerSessionTest, AnOrderOutsideTheInstrumentsTradingHoursIsDeniedWithTheNextOpening) {
  const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  const std::int64_t today = now_s / 86400;
  static const char* const kNames[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
  const auto weekday = [](std::int64_t day) { return static_cast<int>((day + 3) % 7); };  // 1970-01-01: Thursday
  const std::string day = kNames[weekday(today + 3)];
  const std::filesystem::path risk_file = h.dir.path() / "risk.toml";
  {
    std::ofstream out(risk_file);
    out << "[[symbols]]\ninstrument = \"BTCUSDT.PAPER\"\ntrading_hours = [{ start = \"00:00\", end = \"24:00\", "
           "days = [\""
        << day << "\"] }]\n";
  }
  h.config.risk_config_file = risk_file;
  ASSERT_NO_FATAL_FAILURE(start());
  wait_for_bars();

  // The next opening: 00:00 UTC three days from today, written by hand from the calendar date.
  const std::time_t open_t = static_cast<std::time_t>((today + 3) * 86400);
  std::tm tm{};
  gmtime_r(&open_t, &tm);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%dT00:00:00Z", &tm);

  const auto denied = order(market_buy());
  EXPECT_EQ(denied.status, 422u) << denied.body;
  EXPECT_EQ(h.json(denied)["error"]["code"], "RISK_DENIED");
  EXPECT_EQ(h.json(denied)["decision"]["reason"], "OUTSIDE_TRADING_HOURS");
  EXPECT_NE(h.json(denied)["error"]["message"].get<std::string>().find(std::string("next_open=") + expected),
            std::string::npos)
      << denied.body;
  // ETHUSDT has no hours of its own and the account none: always open.
  EXPECT_EQ(order(Json{{"symbol", "ETHUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.01"}}).status,
            201u);

  const Json s = h.json(h.call("GET", "/api/session", trader));
  ASSERT_EQ(s["instruments"].size(), 3u);
  for (const Json& i : s["instruments"]) {
    if (i["symbol"] == "BTCUSDT") {
      EXPECT_FALSE(i["open"].get<bool>());
      EXPECT_EQ(i["next_open"], expected);
      // It closes at the end of that day.
      EXPECT_TRUE(i["next_close"].get<std::string>().ends_with("T00:00:00Z")) << i.dump();
    } else {
      EXPECT_TRUE(i["open"].get<bool>());
      EXPECT_TRUE(i["next_open"].is_null());
      EXPECT_TRUE(i["next_close"].is_null());
    }
  }
}

TEST(ServerSessionConfig, ModeLiveIsRefusedBecauseLiveAccountsAreVenuesNotASessionMode) {
  auto parsed = parse_service_config_toml("[session]\nmode = \"live\"\n", "ballast.toml");
  ASSERT_FALSE(parsed);
  const std::string e = parsed.error().to_string();
  EXPECT_NE(e.find("ballast.toml:2: session.mode"), std::string::npos) << e;
  EXPECT_NE(e.find("\"live\" is not available"), std::string::npos) << e;

  ServiceConfig c;
  c.session_mode = "live";
  EXPECT_FALSE(validate(c));
  c.session_mode = "demo";
  ASSERT_FALSE(validate(c));
  EXPECT_NE(validate(c).error().message().find("must be \"paper\" or \"live\", got 'demo'"), std::string::npos);

  // ServerApp refuses to start with it too.
  ServerHarness h;
  h.config.session_mode = "live";
  ASSERT_NO_FATAL_FAILURE(h.seed_users());
  core::LiveClock wall;
  auto app = ServerApp::start(h.config, wall);
  ASSERT_FALSE(app);
  EXPECT_NE(app.error().to_string().find("\"live\" is not available"), std::string::npos) << app.error().to_string();
}

TEST(ServerSessionConfig, ReadsAndWritesTheSessionSection) {
  auto parsed = parse_service_config_toml("[session]\nmode = \"paper\"\nautostart = false\n", "ballast.toml");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->session_mode, "paper");
  EXPECT_FALSE(parsed->session_autostart);
  auto back = parse_service_config_toml(to_toml(*parsed), "written.toml");
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, *parsed);
  auto bad = parse_service_config_toml("[session]\nautostart = \"no\"\n", "ballast.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().to_string().find("ballast.toml:2: session.autostart: expected true or false"),
            std::string::npos)
      << bad.error().to_string();
  ConfigSource env;
  env.environment = {{"BALLAST_SESSION_AUTOSTART", "false"}};
  auto from_env = load_service_config(env);
  ASSERT_TRUE(from_env) << from_env.error().to_string();
  EXPECT_FALSE(from_env->session_autostart);
}

}  // namespace
}  // namespace ballast::server
