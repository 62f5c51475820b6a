// Circuit breakers at run time over HTTP (create, edit, disable, delete, restart) and the paper-market
// shock that drives one to trip; plus the shock's semantics on the synthetic market itself.

#include "ballast/core/decimal.hpp"
#include "ballast/server/paper_market.hpp"
#include "ballast/server/service_config.hpp"
#include "server/server_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace ballast::server {
namespace {

using testing::ServerHarness;
using Json = nlohmann::json;

// ---- the shock on the paper market ----------------------------------------------------------------------

struct Markets {
  std::vector<std::unique_ptr<model::Instrument>> owned;
  std::vector<const model::Instrument*> instruments;
  std::unique_ptr<PaperMarket> shocked;
  std::unique_ptr<PaperMarket> twin;  // same seed, never shocked
};

Markets synthetic_markets() {
  Markets m;
  ServiceConfig config;  // BTCUSDT (tick 0.1), ETHUSDT, SOLUSDT from 60000 / 3000 / 150
  m.owned = paper_instruments(config).value();
  for (const auto& i : m.owned) m.instruments.push_back(i.get());
  const auto start = core::UnixNanos::from_seconds(1'704'067'200);
  m.shocked = make_paper_market(config, m.instruments, start).value();
  m.twin = make_paper_market(config, m.instruments, start).value();
  return m;
}

TEST(PaperMarketShock, TheNextBarOpensAtThePreviousCloseTimesOnePlusMoveAndThePathContinuesFromThere) {
  Markets m = synthetic_markets();
  model::Bar last{};
  for (int k = 0; k < 5; ++k) {
    last = m.shocked->next().at(0).second;
    (void)m.twin->next();
  }
  const auto applied = m.shocked->shock(0, core::Decimal::parse("-0.08").value());
  ASSERT_TRUE(applied) << applied.error().to_string();
  ASSERT_TRUE(applied->previous_close && applied->next_open);
  EXPECT_EQ(applied->previous_close->value(), last.close.value());
  EXPECT_EQ(applied->level_factor, core::Decimal::parse("0.92").value());

  // By hand: close × 0.92 on the 0.1 tick, half away from zero (std::round does the same).
  const double expected_open = std::round(last.close.as_double() * 0.92 * 10.0) / 10.0;
  const auto& step = m.shocked->next();
  const auto& twin_step = m.twin->next();
  const model::Bar& shocked_bar = step.at(0).second;
  EXPECT_NEAR(shocked_bar.open.as_double(), expected_open, 1e-9);
  EXPECT_EQ(shocked_bar.open.value(), applied->next_open->value());
  EXPECT_LE(shocked_bar.low.value(), shocked_bar.open.value());
  EXPECT_GE(shocked_bar.high.value(), shocked_bar.open.value());
  // The other instruments are untouched.
  EXPECT_EQ(step.at(1).second.close.value(), twin_step.at(1).second.close.value());

  // A level shift: every later BTC close is the twin's close × 0.92, within half a tick of rounding.
  for (int k = 0; k < 20; ++k) {
    const double shocked_close = m.shocked->next().at(0).second.close.as_double();
    const double twin_close = m.twin->next().at(0).second.close.as_double();
    EXPECT_NEAR(shocked_close, twin_close * 0.92, 0.05 + 1e-9) << "bar " << k;
  }
}

TEST(PaperMarketShock, RefusesMovesOutsideTheRangeAndAReplayFeed) {
  Markets m = synthetic_markets();
  EXPECT_FALSE(m.shocked->shock(0, core::Decimal::parse("-0.9").value()));
  EXPECT_FALSE(m.shocked->shock(0, core::Decimal::from_int(10)));
  EXPECT_FALSE(m.shocked->shock(7, core::Decimal::parse("0.1").value()));
  // Before the first bar there is no close to move from: the factor alone applies.
  const auto early = m.shocked->shock(0, core::Decimal::parse("0.5").value());
  ASSERT_TRUE(early);
  EXPECT_FALSE(early->next_open);
  EXPECT_EQ(early->level_factor, core::Decimal::parse("1.5").value());

  testkit::TempDir dir;
  ServiceConfig replay;
  replay.feed = "replay";
  for (const auto& p : replay.instruments) {
    replay.replay_files.push_back(dir.write(p.symbol + ".csv",
                                            "timestamp,open,high,low,close,volume\n"
                                            "1704067200000,100,101,99,100.5,10\n"
                                            "1704067260000,100.5,102,100,101,12\n"));
  }
  auto owned = paper_instruments(replay).value();
  std::vector<const model::Instrument*> instruments;
  for (const auto& i : owned) instruments.push_back(i.get());
  auto market = make_paper_market(replay, instruments, core::UnixNanos{}).value();
  const auto refused = market->shock(0, core::Decimal::parse("-0.08").value());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::InvalidState);
}

// The replay feed reads its files as `ballast backtest --data` does: OHLCV stamped at bar starts or (with
// paper.replay_bar_time = "end") at bar ends, or Binance klines, which name both ends.
TEST(PaperMarketReplay, ReadsBarEndStampsAndBinanceKlines) {
  testkit::TempDir dir;
  ServiceConfig replay;
  replay.feed = "replay";
  const std::string ohlcv = "timestamp,open,high,low,close,volume\n"
                            "1704067260000,100,101,99,100.5,10\n"
                            "1704067320000,100.5,102,100,101,12\n";
  // BTCUSDT as Binance klines of the same minutes 00:00 and 00:01 (close_time = the next open − 1 ms).
  replay.replay_files.push_back(dir.write("BTCUSDT.csv", "1704067200000,100,101,99,100.5,10,1704067259999,0,0,0,0,0\n"
                                                        "1704067260000,100.5,102,100,101,12,1704067319999,0,0,0,0,0\n"));
  replay.replay_files.push_back(dir.write("ETHUSDT.csv", ohlcv));
  replay.replay_files.push_back(dir.write("SOLUSDT.csv", ohlcv));
  auto owned = paper_instruments(replay).value();
  std::vector<const model::Instrument*> instruments;
  for (const auto& i : owned) instruments.push_back(i.get());
  const core::UnixNanos minute0 = core::UnixNanos::from_seconds(1'704'067'200);
  const core::UnixNanos minute1 = core::UnixNanos::from_seconds(1'704'067'260);

  // Stamped at their starts, the OHLCV bars are the minutes 00:01 and 00:02: the klines' 00:00 comes alone.
  auto starts = make_paper_market(replay, instruments, core::UnixNanos{});
  ASSERT_TRUE(starts) << starts.error().to_string();
  EXPECT_EQ((*starts)->start(), minute0);
  EXPECT_EQ((*starts)->next().size(), 1u);

  // Stamped at their ends they are the minutes 00:00 and 00:01, with the klines': three bars a step.
  replay.replay_bar_time = "end";
  auto ends = make_paper_market(replay, instruments, core::UnixNanos{});
  ASSERT_TRUE(ends) << ends.error().to_string();
  EXPECT_EQ((*ends)->start(), minute0);
  EXPECT_EQ((*ends)->next_step_end(), minute1);
  const auto first = (*ends)->next();
  ASSERT_EQ(first.size(), 3u);
  for (const auto& [index, bar] : first) {
    EXPECT_EQ(bar.ts_event, minute0) << index;
    EXPECT_EQ(bar.ts_recv, minute1) << index;
  }
  EXPECT_EQ((*ends)->next().size(), 3u);
  EXPECT_FALSE((*ends)->next_step_end().has_value());
}

// ---- over HTTP -------------------------------------------------------------------------------------------

class ServerBreakersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.config.speed = 20.0;  // one 1 s bar every 50 ms
    ASSERT_NO_FATAL_FAILURE(h_.seed_users());
    ASSERT_NO_FATAL_FAILURE(h_.start());
    admin_ = h_.login("admin", ServerHarness::kAdminPassword);
    trader_ = h_.login("trader", ServerHarness::kTraderPassword);
    viewer_ = h_.login("viewer", ServerHarness::kViewerPassword);
  }

  // Every item of GET /api/risk/circuit-breakers named `name`.
  std::vector<Json> items(const std::string& name) {
    const auto r = h_.call("GET", "/api/risk/circuit-breakers", viewer_);
    EXPECT_EQ(r.status, 200u) << r.body;
    std::vector<Json> out;
    const Json body = ServerHarness::json(r);
    for (const auto& b : body["breakers"]) {
      if (b.value("name", "") == name) out.push_back(b);
    }
    return out;
  }
  static std::size_t triggers_of(const Json& events, const std::string& name) {
    std::size_t n = 0;
    for (const auto& e : events["events"]) n += (e.value("breaker", "") == name && e.value("kind", "") == "TRIGGERED") ? 1 : 0;
    return n;
  }

  static Json gap_breaker() {
    return Json{{"name", "btc-gap"},        {"condition", "RAPID_MOVE"}, {"instrument", "BTCUSDT.PAPER"},
                {"threshold", "0.03"},      {"window", "1m"},           {"action", "CANCEL_ORDERS"}};
  }

  ServerHarness h_;
  std::string admin_;
  std::string trader_;
  std::string viewer_;
};

TEST_F(ServerBreakersTest, ABreakerCreatedAtRunTimeTripsOnAShockCancelsOrdersAndCanBeEditedDisabledAndDeleted) {
  h_.wait_for("/api/status", trader_, [](const Json& j) { return j.value("bars", 0) >= 2; });

  // Create.
  const auto created = h_.call("POST", "/api/risk/circuit-breakers", admin_, gap_breaker());
  ASSERT_EQ(created.status, 201u) << created.body;
  const Json item = ServerHarness::json(created);
  EXPECT_EQ(item["name"], "btc-gap");
  EXPECT_EQ(item["instrument_id"], "BTCUSDT.PAPER");
  EXPECT_EQ(item["state"], "ARMED");
  EXPECT_EQ(item["threshold"], "0.03");
  EXPECT_EQ(item["enabled"], true);
  for (const char* key : {"name", "condition", "scope", "instrument", "enabled", "threshold", "window", "baseline_window",
                          "min_samples", "sessions", "action", "cooldown", "block_trading_during_cooldown", "reset"}) {
    EXPECT_TRUE(item["config"].contains(key)) << key << " missing in " << item.dump();
  }
  EXPECT_EQ(item["config"]["action"], "CANCEL_ORDERS");
  EXPECT_EQ(item["config"]["scope"], "INSTRUMENT");
  ASSERT_EQ(items("btc-gap").size(), 1u);
  EXPECT_EQ(items("btc-gap").front()["config"]["condition"], "RAPID_MOVE");
  EXPECT_EQ(h_.call("POST", "/api/risk/circuit-breakers", admin_, gap_breaker()).status, 409u);

  // A resting buy far below the market, then a −8 % gap: the breaker trips and cancels it.
  const auto resting = h_.call("POST", "/api/orders", trader_,
                               Json{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"quantity", "0.010"}, {"price", "30000"}});
  ASSERT_EQ(resting.status, 201u) << resting.body;
  const std::string id = ServerHarness::json(resting)["id"];
  h_.wait_for("/api/orders/" + id, trader_, [](const Json& j) { return j.value("status", "") == "ACCEPTED"; });

  const auto shock = h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "BTCUSDT"}, {"move", "-0.08"}});
  ASSERT_EQ(shock.status, 200u) << shock.body;
  const Json shocked = ServerHarness::json(shock);
  ASSERT_TRUE(shocked["previous_close"].is_string()) << shock.body;
  // By hand: the next open is the previous close × 0.92 on the 0.1 tick.
  const double previous_close = std::stod(shocked["previous_close"].get<std::string>());
  EXPECT_NEAR(std::stod(shocked["next_open"].get<std::string>()), std::round(previous_close * 0.92 * 10.0) / 10.0, 1e-9);

  const Json events = h_.wait_for("/api/risk/circuit-breakers/events", viewer_,
                                  [](const Json& j) { return triggers_of(j, "btc-gap") >= 1; });
  for (const auto& e : events["events"]) {
    if (e.value("breaker", "") != "btc-gap" || e.value("kind", "") != "TRIGGERED") continue;
    // The gap is 8 % of the price at the window start, give or take a minute of ordinary noise.
    EXPECT_GE(core::Decimal::parse(e["value"].get<std::string>()).value(), core::Decimal::parse("0.03").value());
    EXPECT_EQ(e["threshold"], "0.03");
    EXPECT_EQ(e["action"], "CANCEL_ORDERS");
  }
  h_.wait_for("/api/orders/" + id, trader_, [](const Json& j) { return j.value("status", "") == "CANCELED"; });
  EXPECT_EQ(items("btc-gap").front()["trips"], 1);

  // Edit: a changed breaker starts ARMED with the new definition.
  Json edited = gap_breaker();
  edited.erase("name");
  edited["threshold"] = "0.05";
  edited["action"] = "ALERT";
  const auto put = h_.call("PUT", "/api/risk/circuit-breakers/btc-gap", admin_, edited);
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_EQ(ServerHarness::json(put)["threshold"], "0.05");
  EXPECT_EQ(ServerHarness::json(put)["action"], "ALERT");
  EXPECT_EQ(ServerHarness::json(put)["state"], "ARMED");
  EXPECT_EQ(ServerHarness::json(put)["trips"], 0);
  Json renamed = edited;
  renamed["name"] = "other";
  EXPECT_EQ(h_.call("PUT", "/api/risk/circuit-breakers/btc-gap", admin_, renamed).status, 400u);
  EXPECT_EQ(h_.call("PUT", "/api/risk/circuit-breakers/nope", admin_, edited).status, 404u);

  // Disable: a second gap is measured but does not trip.
  const auto disabled = h_.call("POST", "/api/risk/circuit-breakers/btc-gap/disable", admin_);
  ASSERT_EQ(disabled.status, 200u) << disabled.body;
  EXPECT_EQ(ServerHarness::json(disabled)["enabled"], false);
  ASSERT_EQ(h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "BTCUSDT"}, {"move", "-0.08"}}).status, 200u);
  h_.wait_for("/api/risk/circuit-breakers", viewer_, [](const Json& j) {
    for (const auto& b : j["breakers"]) {
      if (b.value("name", "") == "btc-gap" && b["last_value"].is_string() &&
          std::stod(b["last_value"].get<std::string>()) >= 0.05) {
        return true;
      }
    }
    return false;
  });
  const auto after = items("btc-gap");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after.front()["state"], "ARMED");
  EXPECT_EQ(after.front()["trips"], 0);
  EXPECT_EQ(triggers_of(ServerHarness::json(h_.call("GET", "/api/risk/circuit-breakers/events", viewer_)), "btc-gap"), 1u);
  // venue=paper is the paper desk's account (the default); a venue that is not configured is a 404 naming it.
  EXPECT_EQ(triggers_of(ServerHarness::json(h_.call("GET", "/api/risk/circuit-breakers/events?venue=paper", viewer_)),
                        "btc-gap"),
            1u);
  const auto unknown = h_.call("GET", "/api/risk/alerts?venue=kraken", viewer_);
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_EQ(ServerHarness::json(unknown)["error"]["field"], "venue");
  EXPECT_EQ(ServerHarness::json(unknown)["error"]["message"], "no venue 'kraken' (configured: paper)");
  EXPECT_EQ(ServerHarness::json(h_.call("POST", "/api/risk/circuit-breakers/btc-gap/enable", admin_))["enabled"], true);

  // Delete.
  const auto deleted = h_.call("DELETE", "/api/risk/circuit-breakers/btc-gap", admin_);
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  EXPECT_TRUE(items("btc-gap").empty());
  EXPECT_EQ(h_.call("DELETE", "/api/risk/circuit-breakers/btc-gap", admin_).status, 404u);
  EXPECT_EQ(h_.call("PUT", "/api/risk/circuit-breakers/btc-gap", admin_, edited).status, 404u);
  EXPECT_EQ(h_.call("POST", "/api/risk/circuit-breakers/btc-gap/disable", admin_).status, 404u);
}

TEST_F(ServerBreakersTest, OnlyAdminsChangeBreakersAndABadBodyListsEveryProblem) {
  EXPECT_EQ(h_.call("POST", "/api/risk/circuit-breakers", viewer_, gap_breaker()).status, 403u);
  EXPECT_EQ(h_.call("POST", "/api/risk/circuit-breakers", trader_, gap_breaker()).status, 403u);
  EXPECT_EQ(h_.call("DELETE", "/api/risk/circuit-breakers/btc-gap", trader_).status, 403u);
  EXPECT_EQ(h_.call("POST", "/api/paper/shock", trader_, Json{{"symbol", "BTCUSDT"}, {"move", "-0.08"}}).status, 403u);

  const Json bad{{"name", "bad"}, {"condition", "RAPID_MOVE"}, {"threshold", "-1"}, {"window", "0s"}, {"action", "EXPLODE"}};
  const auto refused = h_.call("POST", "/api/risk/circuit-breakers", admin_, bad);
  ASSERT_EQ(refused.status, 422u) << refused.body;
  const Json error = ServerHarness::json(refused)["error"];
  EXPECT_EQ(error["code"], "UNPROCESSABLE");
  const std::string problems = error["problems"].dump();
  EXPECT_GE(error["problems"].size(), 3u) << problems;
  for (const char* key : {"action", "threshold", "window"}) {
    EXPECT_NE(problems.find(key), std::string::npos) << key << " not in " << problems;
  }
  EXPECT_EQ(problems.find("circuit_breakers"), std::string::npos) << problems;  // the body's keys, not the wrapper's
  EXPECT_TRUE(items("bad").empty());

  // A breaker on an instrument the paper venue does not list.
  Json elsewhere = gap_breaker();
  elsewhere["instrument"] = "DOGEUSDT.PAPER";
  const auto unlisted = h_.call("POST", "/api/risk/circuit-breakers", admin_, elsewhere);
  ASSERT_EQ(unlisted.status, 422u) << unlisted.body;
  EXPECT_EQ(ServerHarness::json(unlisted)["error"]["field"], "instrument");
  EXPECT_TRUE(items("btc-gap").empty());

  EXPECT_EQ(h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "DOGEUSDT"}, {"move", "-0.08"}}).status, 404u);
  EXPECT_EQ(h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "BTCUSDT"}, {"move", "-0.9"}}).status, 400u);
  EXPECT_EQ(h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "BTCUSDT"}, {"move", "10"}}).status, 400u);
  EXPECT_EQ(h_.call("POST", "/api/paper/shock", admin_, Json{{"symbol", "BTCUSDT"}}).status, 400u);
}

TEST_F(ServerBreakersTest, ABreakerCreatedAtRunTimeIsSavedAndSurvivesARestart) {
  const Json keep{{"name", "keep-me"}, {"condition", "ACCOUNT_DRAWDOWN"}, {"threshold", "0.5"}, {"action", "ALERT"}};
  ASSERT_EQ(h_.call("POST", "/api/risk/circuit-breakers", admin_, keep).status, 201u);
  const auto global = ServerHarness::json(h_.call("GET", "/api/config/global", viewer_));
  bool saved = false;
  for (const auto& b : global["circuit_breakers"]) saved = saved || b.value("name", "") == "keep-me";
  EXPECT_TRUE(saved) << global.dump();

  h_.stop();
  ASSERT_NO_FATAL_FAILURE(h_.start());
  viewer_ = h_.login("viewer", ServerHarness::kViewerPassword);
  const auto kept = items("keep-me");
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept.front()["condition"], "ACCOUNT_DRAWDOWN");
  EXPECT_EQ(kept.front()["threshold"], "0.5");
}

TEST_F(ServerBreakersTest, PuttingTheGlobalConfigurationAppliesBreakersWithoutARestart) {
  Json config = ServerHarness::json(h_.call("GET", "/api/config/global", viewer_));
  config["circuit_breakers"] = Json::array({gap_breaker()});
  const auto put = h_.call("PUT", "/api/config/global", admin_, config);
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_TRUE(ServerHarness::json(put)["restart_required"].empty());
  const auto live = items("btc-gap");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live.front()["state"], "ARMED");
  // The defaults it replaced are gone from the running monitor too.
  const auto all = ServerHarness::json(h_.call("GET", "/api/risk/circuit-breakers", viewer_));
  EXPECT_EQ(all["breakers"].size(), 1u) << all.dump();
}

class ServerReplayShockTest : public ::testing::Test {};

TEST_F(ServerReplayShockTest, AReplayFeedCannotBeShocked) {
  ServerHarness h;
  h.config.feed = "replay";
  for (const auto& p : h.config.instruments) {
    h.config.replay_files.push_back(h.dir.write(p.symbol + ".csv",
                                                "timestamp,open,high,low,close,volume\n"
                                                "1704067200000,100,101,99,100.5,10\n"
                                                "1704067260000,100.5,102,100,101,12\n"));
  }
  ASSERT_NO_FATAL_FAILURE(h.seed_users());
  ASSERT_NO_FATAL_FAILURE(h.start());
  const std::string admin = h.login("admin", ServerHarness::kAdminPassword);
  const auto refused = h.call("POST", "/api/paper/shock", admin, Json{{"symbol", "BTCUSDT"}, {"move", "-0.08"}});
  ASSERT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(ServerHarness::json(refused)["error"]["code"], "NOT_SYNTHETIC");
}

}  // namespace
}  // namespace ballast::server
