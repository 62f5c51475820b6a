// Execution algorithms on the paper desk through the API (POST/GET/DELETE /api/execution/algos): a TWAP
// runs to completion on the paced paper market, its children are ordinary risk-checked orders under the
// algo's strategy id, cancel stops it, a HALTED desk refuses it, roles and input errors are enforced.
//
// The paper market delivers one 1 s bar per step; at speed 60 a 2-minute horizon takes about 2 s of wall
// time.

#include "server_harness.hpp"

#include "ballast/net/websocket_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace ballast::server {
namespace {

using testing::ServerHarness;
using Json = nlohmann::json;

double num(const Json& text) { return std::stod(text.get<std::string>()); }

// `base` with the fields of `changes` replaced or added.
Json with(Json base, const Json& changes) {
  base.update(changes);
  return base;
}

class ServerExecutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.config.speed = 60.0;
    ASSERT_NO_FATAL_FAILURE(h_.seed_users());
    ASSERT_NO_FATAL_FAILURE(h_.start());
    trader_ = h_.login("trader", ServerHarness::kTraderPassword);
    viewer_ = h_.login("viewer", ServerHarness::kViewerPassword);
    admin_ = h_.login("admin", ServerHarness::kAdminPassword);
    // The desk needs a first bar before an algo can price anything.
    h_.wait_for("/api/status", viewer_, [](const Json& j) { return j.value("bars", 0) >= 2; });
  }

  net::HttpResponse start(const Json& body, const std::string& token = {}) {
    return h_.call("POST", "/api/execution/algos", token.empty() ? trader_ : token, body);
  }

  // GET /api/orders?strategy=<id> (every child, any status).
  Json children(const std::string& id) {
    return ServerHarness::json(h_.call("GET", "/api/orders?limit=1000&strategy=" + id, viewer_))["orders"];
  }

  ServerHarness h_;
  std::string trader_, viewer_, admin_;
};

TEST_F(ServerExecutionTest, TwapBuyOfHalfABitcoinOverTwoMinutesEndsDoneWithTheWholePosition) {
  const auto r = start(Json{{"algorithm", "TWAP"}, {"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.5"},
                            {"duration", "2m"}, {"slices", 4}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const Json started = ServerHarness::json(r);
  const std::string id = started["id"];
  EXPECT_EQ(id.rfind("ALGO", 0), 0u) << id;
  EXPECT_EQ(started["algorithm"], "TWAP");
  EXPECT_EQ(started["status"], "RUNNING");
  // Slice 1 of 4 starts at the start: the schedule wants 0.5 / 4 = 0.125 done by now.
  EXPECT_EQ(started["schedule_target"], "0.125");
  EXPECT_DOUBLE_EQ(started["schedule_progress"].get<double>(), 0.25);
  EXPECT_EQ(started["children"], 1);

  // Follow it to the end: the schedule never goes backwards.
  std::vector<double> schedule;
  Json last;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto g = h_.call("GET", "/api/execution/algos/" + id, viewer_);
    ASSERT_EQ(g.status, 200u) << g.body;
    last = ServerHarness::json(g);
    schedule.push_back(last["schedule_progress"].get<double>());
    if (last["status"] != "RUNNING") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(last["status"], "DONE") << last.dump();
  for (std::size_t i = 1; i < schedule.size(); ++i) EXPECT_GE(schedule[i], schedule[i - 1]) << "poll " << i;
  EXPECT_DOUBLE_EQ(schedule.back(), 1.0);
  EXPECT_EQ(last["filled"], "0.5");
  EXPECT_EQ(last["working"], "0");
  EXPECT_EQ(last["remaining"], "0");
  EXPECT_DOUBLE_EQ(last["progress"].get<double>(), 1.0);
  EXPECT_EQ(last["denials"], 0);
  EXPECT_GE(last["children"].get<int>(), 4);  // at least one child per slice

  // The position is the algo's: +0.5 BTC.
  const Json positions = h_.wait_for("/api/positions", viewer_, [](const Json& j) { return !j["positions"].empty(); });
  ASSERT_EQ(positions["positions"].size(), 1u) << positions.dump();
  EXPECT_EQ(positions["positions"][0]["symbol"], "BTCUSDT");
  EXPECT_EQ(positions["positions"][0]["quantity"], "0.5");

  // Its children are ordinary orders under the algo's strategy id; their fills add up to the parent.
  const Json orders = h_.wait_for("/api/orders?limit=1000&strategy=" + id, viewer_, [](const Json& j) {
    double filled = 0;
    for (const auto& o : j["orders"]) filled += num(o["filled_quantity"]);
    return std::abs(filled - 0.5) < 1e-12;
  })["orders"];
  ASSERT_EQ(static_cast<int>(orders.size()), last["children"].get<int>());
  // The average fill price from the stored fills, Σ p·q / Σ q, against the algo's own figure.
  double value = 0, quantity = 0;
  for (const auto& o : orders) {
    EXPECT_EQ(o["strategy_id"], id);
    EXPECT_EQ(o["side"], "BUY");
    EXPECT_NE(o["status"], "NEW");
    if (num(o["filled_quantity"]) == 0) continue;
    const Json one = ServerHarness::json(h_.call("GET", "/api/orders/" + o["id"].get<std::string>(), viewer_));
    for (const auto& f : one["fills"]) {
      value += num(f["price"]) * num(f["quantity"]);
      quantity += num(f["quantity"]);
    }
  }
  ASSERT_NEAR(quantity, 0.5, 1e-12);
  const double average = value / quantity;
  const Json& quality = last["quality"];
  // The API reports the average at the instrument's price precision + 2 decimals (BTCUSDT: 0.001).
  EXPECT_NEAR(num(quality["average_price"]), average, 0.0005 + average * 1e-12);
  // Slippage vs arrival, by its definition (buy: (avg − arrival) / arrival × 10⁴).
  const double arrival = num(quality["arrival_price"]);
  EXPECT_NEAR(quality["slippage_bps"].get<double>(), (average - arrival) / arrival * 1e4, 1e-6);
  EXPECT_DOUBLE_EQ(quality["fill_rate"].get<double>(), 1.0);
  // Everything filled: no opportunity cost, the shortfall of the parent is the cost of its fills.
  EXPECT_DOUBLE_EQ(quality["opportunity_cost_bps"].get<double>(), 0.0);
  EXPECT_NEAR(quality["shortfall_bps"].get<double>(), quality["total_cost_bps"].get<double>(), 1e-9);
  EXPECT_GT(quality["participation_rate"].get<double>(), 0.0);
  EXPECT_GT(num(quality["fees"]), 0.0);

  // Listed, newest first.
  const Json list = ServerHarness::json(h_.call("GET", "/api/execution/algos", viewer_));
  ASSERT_FALSE(list["algos"].empty());
  EXPECT_EQ(list["algos"][0]["id"], id);
}

TEST_F(ServerExecutionTest, CancelStopsTheAlgoShortOfItsQuantityWithNoWorkingChildren) {
  const auto r = start(Json{{"algorithm", "TWAP"}, {"symbol", "BTCUSDT"}, {"side", "SELL"}, {"quantity", "0.5"},
                            {"duration", "30m"}, {"slices", 10}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = ServerHarness::json(r)["id"];
  // Let a few bars pass so the first child has reached the venue.
  h_.wait_for("/api/execution/algos/" + id, viewer_, [](const Json& j) { return j["quality"]["market_volume"].get<double>() > 0; });

  const auto canceled = h_.call("DELETE", "/api/execution/algos/" + id, trader_);
  ASSERT_EQ(canceled.status, 202u) << canceled.body;
  EXPECT_EQ(ServerHarness::json(canceled)["status"], "CANCELED");

  // The venue confirms the children's cancels at its next bar.
  const Json done = h_.wait_for("/api/execution/algos/" + id, viewer_, [](const Json& j) { return j["working"] == "0"; });
  EXPECT_EQ(done["status"], "CANCELED");
  // A 30-minute schedule canceled in its first slice has at most the first slice (0.5 / 10) filled.
  EXPECT_LE(num(done["filled"]), 0.05);
  EXPECT_LT(num(done["filled"]), 0.5);
  // The unfilled part is valued at the last close the algo saw; the shortfall covers the whole parent.
  const Json& q = done["quality"];
  ASSERT_TRUE(q["opportunity_cost_bps"].is_number()) << q.dump();
  const double filled_part = q["total_cost_bps"].is_number() ? q["total_cost_bps"].get<double>() : 0.0;
  EXPECT_NEAR(q["shortfall_bps"].get<double>(),
              q["fill_rate"].get<double>() * filled_part + q["opportunity_cost_bps"].get<double>(), 1e-9);
  // Frozen once finished: the bars of the next 300 ms of wall time (about 18 at speed 60) do not move it.
  const double opportunity = q["opportunity_cost_bps"].get<double>();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const Json later = ServerHarness::json(h_.call("GET", "/api/execution/algos/" + id, viewer_));
  EXPECT_EQ(later["quality"]["opportunity_cost_bps"].get<double>(), opportunity);
  EXPECT_EQ(h_.wait_for("/api/orders?status=open&strategy=" + id, viewer_, [](const Json& j) {
                return j["orders"].empty();
              })["orders"].size(),
            0u);

  EXPECT_EQ(h_.call("DELETE", "/api/execution/algos/" + id, trader_).status, 409u);  // already finished
  EXPECT_EQ(h_.call("DELETE", "/api/execution/algos/ALGO-999", trader_).status, 404u);
  EXPECT_EQ(h_.call("GET", "/api/execution/algos/ALGO-999", viewer_).status, 404u);
}

TEST_F(ServerExecutionTest, HaltedDeskRefusesNewAlgosAndStopsRunningOnes) {
  const auto r = start(Json{{"algorithm", "TWAP"}, {"symbol", "ETHUSDT"}, {"side", "BUY"}, {"quantity", "1"},
                            {"duration", "30m"}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = ServerHarness::json(r)["id"];

  ASSERT_EQ(h_.call("POST", "/api/risk/emergency-stop", trader_, Json{{"reason", "algo drill"}}).status, 200u);
  // The running algo stops as FAILED at the next bar, nothing of it left working.
  const Json failed = h_.wait_for("/api/execution/algos/" + id, viewer_,
                                  [](const Json& j) { return j["status"] != "RUNNING" && j["working"] == "0"; });
  EXPECT_EQ(failed["status"], "FAILED");
  EXPECT_TRUE(failed["reason"].is_string());

  const auto refused = start(Json{{"algorithm", "TWAP"}, {"symbol", "ETHUSDT"}, {"side", "BUY"}, {"quantity", "1"},
                                  {"duration", "2m"}});
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(ServerHarness::json(refused)["error"]["code"], "TRADING_HALTED");

  ASSERT_EQ(h_.call("POST", "/api/risk/emergency-stop/reset", admin_, Json{{"reason", "drill over"}}).status, 200u);
  EXPECT_EQ(start(Json{{"algorithm", "POV"}, {"symbol", "ETHUSDT"}, {"side", "BUY"}, {"quantity", "1"},
                       {"duration", "2m"}, {"participation", 0.1}})
                .status,
            201u);
}

TEST_F(ServerExecutionTest, VwapPovAndIcebergStartWithTheirParameters) {
  const auto vwap = start(Json{{"algorithm", "VWAP"}, {"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.05"},
                               {"duration", "10m"}, {"slices", 5}});
  ASSERT_EQ(vwap.status, 201u) << vwap.body;
  EXPECT_EQ(ServerHarness::json(vwap)["algorithm"], "VWAP");
  EXPECT_EQ(ServerHarness::json(vwap)["params"]["slices"], 5);
  EXPECT_GT(num(ServerHarness::json(vwap)["schedule_target"]), 0.0);  // the first slice is due at the start

  const auto pov = start(Json{{"algorithm", "POV"}, {"symbol", "ETHUSDT"}, {"side", "SELL"}, {"quantity", "1"},
                              {"duration", "10m"}, {"participation", 0.1}, {"urgency", "AGGRESSIVE"}});
  ASSERT_EQ(pov.status, 201u) << pov.body;
  const Json pov_view = ServerHarness::json(pov);
  EXPECT_EQ(pov_view["params"]["urgency"], "AGGRESSIVE");
  EXPECT_EQ(pov_view["schedule_target"], "0");  // no market volume seen yet
  // POV's schedule is rate × the market volume since the start (capped at the quantity), rounded down
  // to 10⁻⁵ (two places below the lot); the view reports that volume next to it.
  const Json running = h_.wait_for("/api/execution/algos/" + pov_view["id"].get<std::string>(), viewer_, [](const Json& j) {
    return j["status"] == "RUNNING" && j["quality"]["market_volume"].get<double>() > 0;
  });
  const double expected = std::min(1.0, 0.1 * running["quality"]["market_volume"].get<double>());
  EXPECT_NEAR(num(running["schedule_target"]), expected, 1.01e-5) << running.dump();

  // An iceberg shows its display quantity at the limit price: here the ETH arrival price (a close).
  const std::string price = pov_view["quality"]["arrival_price"];
  const auto iceberg = start(Json{{"algorithm", "ICEBERG"}, {"symbol", "ETHUSDT"}, {"side", "BUY"}, {"quantity", "1"},
                                  {"display_quantity", "0.2"}, {"limit_price", price}});
  ASSERT_EQ(iceberg.status, 201u) << iceberg.body;
  const Json ice = ServerHarness::json(iceberg);
  EXPECT_EQ(ice["children"], 1);
  EXPECT_EQ(ice["working"], "0.2");
  EXPECT_EQ(ice["params"]["limit_price"], price);
  const Json shown = children(ice["id"]);
  ASSERT_EQ(shown.size(), 1u) << shown.dump();
  EXPECT_EQ(shown[0]["quantity"], "0.2");
  EXPECT_EQ(shown[0]["price"], price);
  EXPECT_EQ(shown[0]["type"], "LIMIT");
}

TEST_F(ServerExecutionTest, OrdersChannelStreamsEveryChangeOfAnAlgoUntilItIsDone) {
  auto ws = net::WebSocketClient::connect("ws://127.0.0.1:" + std::to_string(h_.app->port()) + "/ws?token=" + viewer_);
  ASSERT_TRUE(ws) << ws.error().to_string();
  ASSERT_TRUE((*ws)->send(R"({"op":"subscribe","channels":["orders"]})"));
  const auto r = start(Json{{"algorithm", "TWAP"}, {"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.05"},
                            {"duration", "30s"}, {"slices", 2}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = ServerHarness::json(r)["id"];
  std::vector<Json> views;
  for (int i = 0; i < 5000 && (views.empty() || views.back()["status"] == "RUNNING"); ++i) {
    auto message = (*ws)->receive(std::chrono::seconds(10));
    ASSERT_TRUE(message) << message.error().to_string();
    const Json j = Json::parse(*message);
    if (j.value("type", "") == "algo" && j["data"]["id"] == id) views.push_back(j["data"]);
  }
  ASSERT_GE(views.size(), 2u);
  EXPECT_EQ(views.front()["status"], "RUNNING");
  EXPECT_EQ(views.back()["status"], "DONE");
  EXPECT_EQ(views.back()["filled"], "0.05");
  for (std::size_t i = 1; i < views.size(); ++i) {
    EXPECT_GE(num(views[i]["filled"]), num(views[i - 1]["filled"])) << "message " << i;
    EXPECT_NE(views[i].dump(), views[i - 1].dump()) << "an unchanged view was sent again";
  }
}

TEST_F(ServerExecutionTest, ViewerMayFollowButNotStartOrCancel) {
  const Json body{{"algorithm", "TWAP"}, {"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.01"}, {"duration", "2m"}};
  EXPECT_EQ(start(body, viewer_).status, 403u);
  const auto r = start(body);
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = ServerHarness::json(r)["id"];
  EXPECT_EQ(h_.call("DELETE", "/api/execution/algos/" + id, viewer_).status, 403u);
  EXPECT_EQ(h_.call("GET", "/api/execution/algos/" + id, viewer_).status, 200u);
  EXPECT_EQ(h_.call("GET", "/api/execution/algos", "").status, 401u);
}

TEST_F(ServerExecutionTest, BadInputIsAnsweredWithTheField) {
  const Json good{{"algorithm", "TWAP"}, {"symbol", "BTCUSDT"}, {"side", "BUY"}, {"quantity", "0.5"}, {"duration", "2m"}};
  const auto expect_error = [&](Json body, unsigned status, const std::string& field) {
    const auto r = start(body);
    EXPECT_EQ(r.status, status) << body.dump() << " → " << r.body;
    EXPECT_EQ(ServerHarness::json(r)["error"]["field"], field) << body.dump() << " → " << r.body;
  };
  Json b = good;
  b.erase("algorithm");
  expect_error(b, 400, "algorithm");
  expect_error(with(good, Json{{"algorithm", "SNIPER"}}), 400, "algorithm");
  expect_error(with(good, Json{{"side", "HOLD"}}), 400, "side");
  expect_error(with(good, Json{{"quantity", "-1"}}), 400, "quantity");
  expect_error(with(good, Json{{"duration", "soon"}}), 400, "duration");
  b = good;
  b.erase("duration");
  expect_error(b, 400, "duration");
  expect_error(with(good, Json{{"slices", 0}}), 400, "slices");
  expect_error(with(good, Json{{"urgency", "PANIC"}}), 400, "urgency");
  expect_error(with(good, Json{{"algorithm", "POV"}}), 400, "participation");
  expect_error(with(good, Json{{"algorithm", "POV"}, {"participation", 1.5}}), 400, "participation");
  expect_error(with(good, Json{{"algorithm", "ICEBERG"}, {"limit_price", "100"}}), 400, "display_quantity");
  expect_error(with(good, Json{{"algorithm", "ICEBERG"}, {"display_quantity", "0.1"}}), 400, "limit_price");
  // Well-formed but refused: the BTCUSDT lot is 0.001, and no such instrument is listed.
  expect_error(with(good, Json{{"quantity", "0.0005"}}), 422, "quantity");
  expect_error(with(good, Json{{"symbol", "DOGEUSDT"}}), 422, "symbol");
  EXPECT_EQ(ServerHarness::json(h_.call("GET", "/api/execution/algos", viewer_))["algos"].size(), 0u);
}

}  // namespace
}  // namespace ballast::server
