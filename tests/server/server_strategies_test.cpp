// Strategies on the paper desk ([[strategies]] in ballast.toml) through the API: a fast SMA crossover
// produces signals (GET /api/signals) and orders under its configured id (GET /api/orders?strategy=),
// stop and start through POST /api/strategies/{id}/stop|start (roles, 404, 409; a stopped strategy sees
// no bars and sends nothing), the state survives a restart; and the configuration errors of the entries,
// each named by its key with its file line.
//
// The paper market delivers one 1 s bar per step; at speed 60 that is about 60 bars a second, so an
// SMA 2/5 crossover on the synthetic BTC path crosses within a second or two of wall time.

#include "server_harness.hpp"

#include "ballast/net/websocket_client.hpp"
#include "ballast/server/service_config.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <string>

namespace ballast::server {
namespace {

using testing::ServerHarness;
using Json = nlohmann::json;

constexpr const char* kId = "sma-btc";

StrategyConfig sma_entry() {
  StrategyConfig s;
  s.id = kId;
  s.strategy = "sma_cross";
  s.symbol = "BTCUSDT";
  s.params = {{"fast", 2}, {"slow", 5}};
  s.notional = core::Decimal::from_int(1000);
  return s;
}

class ServerStrategiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.config.speed = 60.0;
    h_.config.strategies = {sma_entry()};
    ASSERT_NO_FATAL_FAILURE(h_.seed_users());
    ASSERT_NO_FATAL_FAILURE(h_.start());
    login();
  }

  void login() {
    trader_ = h_.login("trader", ServerHarness::kTraderPassword);
    viewer_ = h_.login("viewer", ServerHarness::kViewerPassword);
  }

  Json strategy() {
    const auto r = h_.call("GET", std::string("/api/strategies/") + kId, viewer_);
    EXPECT_EQ(r.status, 200u) << r.body;
    return ServerHarness::json(r);
  }

  // Distinct ids of the strategy's stored orders (any status).
  std::set<std::string> order_ids() {
    const Json j = ServerHarness::json(h_.call("GET", std::string("/api/orders?limit=1000&strategy=") + kId, viewer_));
    std::set<std::string> ids;
    for (const auto& o : j["orders"]) {
      EXPECT_EQ(o["strategy_id"], kId);
      ids.insert(o["id"].get<std::string>());
    }
    return ids;
  }

  ServerHarness h_;
  std::string trader_, viewer_;
};

TEST_F(ServerStrategiesTest, ACrossoverStrategySignalsAndItsOrdersCarryTheConfiguredId) {
  const Json signals = h_.wait_for("/api/signals", viewer_, [](const Json& j) {
    return !j["signals"].empty() && !j["signals"][0]["signal"].is_null();
  });
  ASSERT_EQ(signals["signals"].size(), 1u);
  const Json& s = signals["signals"][0];
  EXPECT_EQ(s["strategy_id"], kId);
  EXPECT_EQ(s["strategy"], "sma_cross");
  EXPECT_EQ(s["symbol"], "BTCUSDT");
  // Long-only (the default): an up-cross is LONG, a down-cross FLAT.
  EXPECT_TRUE(s["signal"] == "LONG" || s["signal"] == "FLAT") << s;
  EXPECT_TRUE(s["at"].is_string());
  EXPECT_TRUE(s["price"].is_string());
  EXPECT_TRUE(s["acted"].is_boolean());
  EXPECT_TRUE(s["warm"].get<bool>());
  // A cross is a change of sign of fast − slow, so on the signal bar the order of the averages matches it.
  const double fast = s["indicators"]["fast"].get<double>();
  const double slow = s["indicators"]["slow"].get<double>();
  if (s["signal"] == "LONG") {
    EXPECT_GT(fast, slow);
  } else {
    EXPECT_LT(fast, slow);
  }
  // The filter keeps the same entry.
  const Json one = ServerHarness::json(h_.call("GET", std::string("/api/signals?strategy=") + kId, viewer_));
  EXPECT_EQ(one["signals"].size(), 1u);

  // An entry order under the configured id, stored (GET /api/orders reads the store).
  h_.wait_for(std::string("/api/orders?strategy=") + kId, viewer_, [](const Json& j) { return !j["orders"].empty(); });
  const auto ids = order_ids();
  ASSERT_FALSE(ids.empty());

  const Json view = strategy();
  EXPECT_EQ(view["state"], "running");
  EXPECT_EQ(view["strategy"], "sma_cross");
  EXPECT_EQ(view["notional"], "1000");
  EXPECT_EQ(view["params"]["fast"], 2);
  EXPECT_EQ(view["params"]["slow"], 5);
  EXPECT_EQ(view["params"]["long_only"], 1);  // the default, listed with the configured ones
  EXPECT_GE(view["orders_sent"].get<std::size_t>(), ids.size());
  EXPECT_TRUE(view["position"]["quantity"].is_string());
  // 1000 USDT at ~60000 is 0.016 BTC after rounding down to the 0.001 lot: the position is 0 or a
  // multiple of that entry size (long-only, whole entries and exits).
  const double quantity = std::stod(view["position"]["quantity"].get<std::string>());
  EXPECT_GE(quantity, 0.0);
  EXPECT_LT(quantity, 0.05);
}

TEST_F(ServerStrategiesTest, AStoppedStrategySeesNoBarsAndSendsNoOrdersUntilStartedAgain) {
  h_.wait_for(std::string("/api/strategies/") + kId, viewer_, [](const Json& j) { return j["bars_seen"] >= 20; });
  const auto stopped = h_.call("POST", std::string("/api/strategies/") + kId + "/stop", trader_);
  ASSERT_EQ(stopped.status, 200u) << stopped.body;
  EXPECT_EQ(ServerHarness::json(stopped)["state"], "stopped");
  const std::size_t bars_at_stop = ServerHarness::json(stopped)["bars_seen"];
  const auto orders_at_stop = order_ids();

  // Stopping twice is a conflict; a stopped strategy has no entry in /api/signals.
  const auto again = h_.call("POST", std::string("/api/strategies/") + kId + "/stop", trader_);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(ServerHarness::json(again)["error"]["code"], "ALREADY_STOPPED");
  EXPECT_TRUE(ServerHarness::json(h_.call("GET", "/api/signals", viewer_))["signals"].empty());

  // 120 more market bars (about 2 s): the strategy saw none of them and sent nothing.
  const int bars_now = ServerHarness::json(h_.call("GET", "/api/status", viewer_))["bars"];
  h_.wait_for("/api/status", viewer_, [&](const Json& j) { return j["bars"].get<int>() >= bars_now + 120; });
  const Json still = strategy();
  EXPECT_EQ(still["state"], "stopped");
  EXPECT_EQ(still["bars_seen"].get<std::size_t>(), bars_at_stop);
  EXPECT_EQ(order_ids(), orders_at_stop);

  const auto started = h_.call("POST", std::string("/api/strategies/") + kId + "/start", trader_);
  ASSERT_EQ(started.status, 200u) << started.body;
  EXPECT_EQ(ServerHarness::json(started)["state"], "running");
  const auto twice = h_.call("POST", std::string("/api/strategies/") + kId + "/start", trader_);
  EXPECT_EQ(twice.status, 409u) << twice.body;
  EXPECT_EQ(ServerHarness::json(twice)["error"]["code"], "ALREADY_RUNNING");
  h_.wait_for(std::string("/api/strategies/") + kId, viewer_,
              [&](const Json& j) { return j["bars_seen"].get<std::size_t>() > bars_at_stop + 5; });
  EXPECT_EQ(ServerHarness::json(h_.call("GET", "/api/signals", viewer_))["signals"].size(), 1u);
}

TEST_F(ServerStrategiesTest, TheSignalsChannelSendsASnapshotThenEachNewSignalOnItsBar) {
  auto ws = net::WebSocketClient::connect("ws://127.0.0.1:" + std::to_string(h_.app->port()) + "/ws?token=" + viewer_);
  ASSERT_TRUE(ws) << ws.error().to_string();
  ASSERT_TRUE((*ws)->send(R"({"op":"subscribe","channels":["signals"]})"));
  bool snapshot = false;
  Json update;
  for (int i = 0; i < 1000 && update.is_null(); ++i) {
    auto message = (*ws)->receive(std::chrono::seconds(10));
    ASSERT_TRUE(message) << message.error().to_string();
    const Json j = Json::parse(*message);
    if (j.value("channel", "") != "signals") continue;  // acknowledgements carry no channel
    if (j["type"] == "snapshot") {
      EXPECT_TRUE(j["data"].is_array());
      EXPECT_EQ(j["data"].size(), 1u);
      snapshot = true;
    } else if (j["type"] == "signal") {
      update = j["data"];
    }
  }
  EXPECT_TRUE(snapshot);
  ASSERT_FALSE(update.is_null());
  EXPECT_EQ(update["strategy_id"], kId);
  EXPECT_TRUE(update["signal"] == "LONG" || update["signal"] == "FLAT") << update;
  EXPECT_TRUE(update["at"].is_string());
}

TEST_F(ServerStrategiesTest, ViewersCannotStopAndUnknownIdsAreNotFound) {
  const auto forbidden = h_.call("POST", std::string("/api/strategies/") + kId + "/stop", viewer_);
  EXPECT_EQ(forbidden.status, 403u) << forbidden.body;
  EXPECT_EQ(strategy()["state"], "running");
  for (const std::string target : {"/api/strategies/nope/stop", "/api/strategies/nope/start"}) {
    const auto r = h_.call("POST", target, trader_);
    EXPECT_EQ(r.status, 404u) << target << " " << r.body;
    EXPECT_EQ(ServerHarness::json(r)["error"]["code"], "NOT_FOUND");
  }
  EXPECT_EQ(h_.call("GET", "/api/strategies/nope", viewer_).status, 404u);
  EXPECT_EQ(h_.call("GET", "/api/signals?strategy=nope", viewer_).status, 404u);
  EXPECT_EQ(h_.call("GET", "/api/strategies", {}).status, 401u);
}

TEST_F(ServerStrategiesTest, StoppedSurvivesARestartAndStartedToo) {
  ASSERT_EQ(h_.call("POST", std::string("/api/strategies/") + kId + "/stop", trader_).status, 200u);
  h_.stop();
  ASSERT_NO_FATAL_FAILURE(h_.start());
  login();
  EXPECT_EQ(strategy()["state"], "stopped");  // the file still says enabled = true: the store wins

  ASSERT_EQ(h_.call("POST", std::string("/api/strategies/") + kId + "/start", trader_).status, 200u);
  h_.stop();
  ASSERT_NO_FATAL_FAILURE(h_.start());
  login();
  EXPECT_EQ(strategy()["state"], "running");
}

TEST(ServerStrategiesDisabled, AnEntryWithEnabledFalseStartsStoppedAndTheDefaultHasNoStrategies) {
  EXPECT_TRUE(ServiceConfig{}.strategies.empty());
  ServerHarness h;
  StrategyConfig entry = sma_entry();
  entry.enabled = false;
  h.config.strategies = {entry};
  ASSERT_NO_FATAL_FAILURE(h.seed_users());
  ASSERT_NO_FATAL_FAILURE(h.start());
  const std::string viewer = h.login("viewer", ServerHarness::kViewerPassword);
  const Json list = ServerHarness::json(h.call("GET", "/api/strategies", viewer));
  ASSERT_EQ(list["strategies"].size(), 1u);
  EXPECT_EQ(list["strategies"][0]["state"], "stopped");
  EXPECT_EQ(list["strategies"][0]["orders_sent"], 0);
}

// ---- configuration -----------------------------------------------------------------------------------

std::string error_of(const core::Result<ServiceConfig>& result) {
  EXPECT_FALSE(result) << "expected an error";
  return result ? std::string() : result.error().to_string();
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(StrategiesConfig, AnEntryIsReadWithItsParametersAndWrittenBackEqual) {
  auto c = parse_service_config_toml(
      "[[strategies]]\nid = \"fast-btc\"\nstrategy = \"ema_cross\"\nsymbol = \"BTCUSDT\"\n"
      "params = { fast = 5, slow = 20, long_only = false }\nnotional = \"2500.5\"\n"
      "[[strategies]]\nid = \"sol_rsi\"\nstrategy = \"rsi_reversion\"\nsymbol = \"SOLUSDT\"\nnotional = 300\n"
      "enabled = false\n",
      "ballast.toml");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->strategies.size(), 2u);
  const StrategyConfig& a = c->strategies[0];
  EXPECT_EQ(a.id, "fast-btc");
  EXPECT_EQ(a.strategy, "ema_cross");
  EXPECT_EQ(a.symbol, "BTCUSDT");
  EXPECT_EQ(a.params.at("fast"), 5.0);
  EXPECT_EQ(a.params.at("slow"), 20.0);
  EXPECT_EQ(a.params.at("long_only"), 0.0);  // false
  EXPECT_EQ(a.notional, *core::Decimal::parse("2500.5"));
  EXPECT_TRUE(a.enabled);
  EXPECT_FALSE(c->strategies[1].enabled);
  EXPECT_TRUE(c->strategies[1].params.empty());

  auto back = parse_service_config_toml(to_toml(*c), "dump.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << to_toml(*c);
  EXPECT_EQ(*back, *c);
}

TEST(StrategiesConfig, EveryProblemOfTheEntriesIsListedWithItsKeyAndLine) {
  const std::string message = error_of(parse_service_config_toml(
      "[[strategies]]\n"                                               // 1
      "id = \"a\"\n"                                                   // 2
      "strategy = \"sma_crosss\"\n"                                    // 3
      "symbol = \"BTCUSDT\"\n"                                         // 4
      "notional = 100\n"                                               // 5
      "[[strategies]]\n"                                               // 6
      "id = \"b\"\n"                                                   // 7
      "strategy = \"sma_cross\"\n"                                     // 8
      "symbol = \"DOGEUSDT\"\n"                                        // 9
      "notional = 100\n"                                               // 10
      "[[strategies]]\n"                                               // 11
      "id = \"c\"\n"                                                   // 12
      "strategy = \"sma_cross\"\n"                                     // 13
      "symbol = \"ETHUSDT\"\n"                                         // 14
      "params = { fats = 3 }\n"                                        // 15
      "notional = 100\n"                                               // 16
      "[[strategies]]\n"                                               // 17
      "id = \"a\"\n"                                                   // 18
      "strategy = \"sma_cross\"\n"                                     // 19
      "symbol = \"ETHUSDT\"\n"                                         // 20
      "params = { fast = 30, slow = 10 }\n"                            // 21
      "notional = 0\n"                                                 // 22
      "[[strategies]]\n"                                               // 23
      "id = \"has space\"\n"                                           // 24
      "strategy = \"rsi_reversion\"\n"                                 // 25
      "symbol = \"SOLUSDT\"\n"                                         // 26
      "params = { period = \"x\" }\n"                                  // 27
      "colour = 1\n",                                                  // 28
      "ballast.toml"));
  EXPECT_TRUE(contains(message, "ballast.toml:3: strategies[0].strategy: unknown strategy 'sma_crosss'; known: sma_cross"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:9: strategies[1].symbol: 'DOGEUSDT' is not a paper instrument; known: "
                                "BTCUSDT, ETHUSDT, SOLUSDT"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:15: strategies[2].params.fats: unknown parameter 'fats' for sma_cross; "
                                "known: fast, slow, long_only"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:18: strategies[3].id: 'a' is used by another strategy")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:21: strategies[3].params.fast: sma_cross: fast (30) must be below slow (10)"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:22: strategies[3].notional: must be > 0, got 0")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:24: strategies[4].id: must be 1..64 characters")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:27: strategies[4].params.period: expected a number, got string")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:28: strategies[4].colour: unknown key")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:23: strategies[4].notional: missing (required)")) << message;
}

TEST(StrategiesConfig, ValidateChecksAnEntryBuiltInCode) {
  ServiceConfig c;
  StrategyConfig s = sma_entry();
  s.params["slow"] = 100001;  // above the declared maximum 100000
  c.strategies = {s};
  const auto status = validate(c);
  ASSERT_FALSE(status);
  EXPECT_TRUE(contains(status.error().to_string(), "strategies[0].params.slow: sma_cross parameter slow must be in [2, 100000], got 100001"))
      << status.error().to_string();
  c.strategies = {sma_entry()};
  EXPECT_TRUE(validate(c));
}

}  // namespace
}  // namespace ballast::server
