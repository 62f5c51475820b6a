// Backtests over the API against the real ServerApp: the strategy list, a synthetic run from submission to
// results (checked against identities that hold independently of the code that computes them), a CSV run
// compared with what `ballast backtest` (the CLI binary) reports for the same file and parameters, refusals
// (path traversal, unknown strategy, too many bars, the viewer role), cancelling, and the HTML report.

#include "server_harness.hpp"

#include "ballast/server/backtest_jobs.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <sstream>

namespace ballast::server {
namespace {

using testing::ServerHarness;
using Json = nlohmann::json;

class Backtests : public ::testing::Test {
 protected:
  void SetUp() override {
    h.config.backtest_data_dir = h.dir.path() / "bars";
    std::filesystem::create_directories(h.config.backtest_data_dir);
    ASSERT_NO_FATAL_FAILURE(h.seed_users());
    ASSERT_NO_FATAL_FAILURE(h.start());
    trader = h.login("trader", ServerHarness::kTraderPassword);
    viewer = h.login("viewer", ServerHarness::kViewerPassword);
  }

  // Polls the job until it has finished (DONE, FAILED or CANCELED).
  Json wait_finished(const std::string& id, std::chrono::milliseconds limit = std::chrono::seconds(120)) {
    return h.wait_for(
        "/api/backtests/" + id, viewer,
        [](const Json& j) {
          const std::string s = j.value("status", "");
          return s == "DONE" || s == "FAILED" || s == "CANCELED";
        },
        limit);
  }

  ServerHarness h;
  std::string trader;
  std::string viewer;
};

Json synthetic_body(std::size_t bars, std::string interval = "1h") {
  return Json{
      {"strategy", "sma_cross"},
      {"params", {{"fast", 10}, {"slow", 30}}},
      {"data",
       {{"source", "synthetic"}, {"symbols", {"BTCUSDT"}}, {"bars", bars}, {"interval", interval}, {"seed", 7}}},
      {"starting_balance", "100000"},
      {"label", "api test"}};
}

// 400 hourly bars of a sine around a slow trend, two decimals: enough crossings of a 5/20 SMA pair for
// several round trips.
std::string trend_csv() {
  std::string text = "timestamp,open,high,low,close,volume\n";
  const std::int64_t start_ms = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  double previous = 100.0;
  for (int k = 0; k < 400; ++k) {
    const double close = 100.0 + 8.0 * std::sin(2.0 * std::numbers::pi * k / 60.0) + 0.02 * k;
    const double high = std::max(previous, close) + 0.5;
    const double low = std::min(previous, close) - 0.5;
    text +=
        fmt::format("{},{:.2f},{:.2f},{:.2f},{:.2f},1000\n", start_ms + 3'600'000LL * k, previous, high, low, close);
    previous = std::round(close * 100.0) / 100.0;
  }
  return text;
}

TEST_F(Backtests, StrategyListIsTheRegistryWithParameters) {
  const auto r = h.call("GET", "/api/backtests/strategies", viewer);
  ASSERT_EQ(r.status, 200u) << r.body;
  const Json list = ServerHarness::json(r)["strategies"];
  ASSERT_TRUE(list.is_array());
  // technical_strategies.hpp lists seven built-in strategies.
  EXPECT_EQ(list.size(), 7u);
  const auto sma = std::find_if(list.begin(), list.end(), [](const Json& s) { return s["name"] == "sma_cross"; });
  ASSERT_NE(sma, list.end());
  EXPECT_FALSE((*sma)["description"].get<std::string>().empty());
  Json fast, slow;
  for (const auto& p : (*sma)["parameters"]) {
    if (p["name"] == "fast") fast = p;
    if (p["name"] == "slow") slow = p;
  }
  ASSERT_TRUE(fast.is_object());
  ASSERT_TRUE(slow.is_object());
  EXPECT_EQ(fast["default"].get<double>(), 10.0);
  EXPECT_EQ(slow["default"].get<double>(), 30.0);
  EXPECT_EQ(fast["type"], "integer");
}

TEST_F(Backtests, SyntheticRunReachesDoneWithConsistentCurvesAndReport) {
  // 5,000 bars: more equity samples than the 2,000-point limit, so the downsampling is exercised.
  const auto posted = h.call("POST", "/api/backtests", trader, synthetic_body(5000));
  ASSERT_EQ(posted.status, 202u) << posted.body;
  const Json job = ServerHarness::json(posted);
  EXPECT_EQ(job["status"], "QUEUED");
  const std::string id = job["id"];
  EXPECT_EQ(id.rfind("BT-", 0), 0u);

  const Json done = wait_finished(id);
  ASSERT_EQ(done["status"], "DONE") << done.dump();
  EXPECT_EQ(done["progress"].get<double>(), 1.0);
  const Json& result = done["result"];
  const Json& metrics = result["metrics"];
  const double total_return = metrics["total_return"];
  EXPECT_EQ(result["equity_samples"].get<std::size_t>(), 5000u);

  const Json& equity = result["equity"];
  ASSERT_GE(equity.size(), 2u);
  EXPECT_LE(equity.size(), 2000u);
  // No position can exist after the first bar (orders trade from the next bar on): equity = cash.
  EXPECT_DOUBLE_EQ(equity.front()["value"].get<double>(), 100000.0);
  // The last sample is kept: E_last = E_first · (1 + total return).
  EXPECT_NEAR(equity.back()["value"].get<double>(), 100000.0 * (1.0 + total_return), 1e-6);

  const Json& drawdown = result["drawdown"];
  ASSERT_EQ(drawdown.size(), equity.size());
  double lowest = 0.0;
  for (const auto& p : drawdown) {
    EXPECT_LE(p["value"].get<double>(), 0.0);
    lowest = std::min(lowest, p["value"].get<double>());
  }
  EXPECT_GT(metrics["max_drawdown"].get<double>(), 0.0);
  EXPECT_NEAR(lowest, -metrics["max_drawdown"].get<double>(), 1e-12);

  // Monthly returns chain month-end to month-end, so they compound to the total return.
  double compounded = 1.0;
  for (const auto& m : result["monthly_returns"]) compounded *= 1.0 + m["return"].get<double>();
  // 5,000 hours ≈ 208 days: at least 7 calendar months.
  EXPECT_GE(result["monthly_returns"].size(), 7u);
  EXPECT_NEAR(compounded - 1.0, total_return, 1e-9);

  // Buy and hold from the first sample: starts at the starting balance and moves with the close.
  const Json& benchmark = result["benchmark"];
  const Json& prices = result["prices"];
  ASSERT_GE(benchmark.size(), 2u);
  ASSERT_GE(prices.size(), 2u);
  EXPECT_DOUBLE_EQ(benchmark.front()["value"].get<double>(), 100000.0);
  const double price_ratio = prices.back()["close"].get<double>() / prices.front()["close"].get<double>();
  EXPECT_NEAR(benchmark.back()["value"].get<double>() / 100000.0, price_ratio, 1e-9);
  EXPECT_EQ(benchmark.front()["ts_ms"], equity.front()["ts_ms"]);
  EXPECT_NEAR(metrics["benchmark_total_return"].get<double>(), price_ratio - 1.0, 1e-9);

  // Trades and markers: every round trip has an entry and an exit fill.
  const Json& trades = result["trades"];
  ASSERT_GT(trades.size(), 0u);
  EXPECT_EQ(metrics["trades"].get<std::size_t>(), trades.size());
  std::size_t entries = 0, exits = 0;
  for (const auto& m : result["markers"]) (m["kind"] == "entry" ? entries : exits) += 1;
  EXPECT_GE(entries, trades.size());
  EXPECT_GE(exits, trades.size());
  // When the run ends flat, the change in equity is the sum of the trades' net P&L (portfolio accounting
  // against fills, two different paths).
  if (result["markers"].back()["kind"] == "exit" && entries == exits) {
    double net = 0.0;
    for (const auto& t : trades) net += t["pnl"].get<double>();
    EXPECT_NEAR(equity.back()["value"].get<double>() - 100000.0, net, 1e-6);
  }

  // The list shows it, newest first, with the headline metrics.
  const auto listed = h.call("GET", "/api/backtests", viewer);
  ASSERT_EQ(listed.status, 200u);
  const Json all = ServerHarness::json(listed)["backtests"];
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front()["id"], id);
  EXPECT_EQ(all.front()["metrics"]["total_return"].get<double>(), total_return);
  EXPECT_FALSE(all.front().contains("result"));

  const auto report = h.call("GET", "/api/backtests/" + id + "/report", viewer);
  ASSERT_EQ(report.status, 200u);
  EXPECT_NE(report.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(report.body.find("<html"), std::string::npos);
  // Its own policy replaces the dashboard's: nothing may load, not even from the server.
  ASSERT_TRUE(report.header("Content-Security-Policy").has_value());
  EXPECT_EQ(report.header("Content-Security-Policy")->find("default-src 'none'"), 0u);
  // A link opened in a new tab carries the token in the query: accepted here, and only here.
  const auto linked = h.call("GET", "/api/backtests/" + id + "/report?access_token=" + viewer);
  EXPECT_EQ(linked.status, 200u) << linked.body;
  EXPECT_EQ(linked.body, report.body);
  EXPECT_EQ(h.call("GET", "/api/backtests/" + id + "/report?access_token=not-a-token").status, 401u);
  EXPECT_EQ(h.call("GET", "/api/backtests/" + id + "/report").status, 401u);
  EXPECT_EQ(h.call("GET", "/api/backtests/" + id + "?access_token=" + viewer).status, 401u);
  EXPECT_EQ(h.call("GET", "/api/status?access_token=" + viewer).status, 401u);
}

TEST_F(Backtests, CsvRunMatchesTheCommandLine) {
  const std::filesystem::path file = h.config.backtest_data_dir / "trend.csv";
  {
    std::ofstream out(file);
    out << trend_csv();
  }
  Json body{{"strategy", "sma_cross"},
            {"params", {{"fast", 5}, {"slow", 20}}},
            {"data", {{"source", "csv"}, {"files", {"trend.csv"}}}},
            {"starting_balance", "100000"}};
  const auto posted = h.call("POST", "/api/backtests", trader, body);
  ASSERT_EQ(posted.status, 202u) << posted.body;
  const Json done = wait_finished(ServerHarness::json(posted)["id"]);
  ASSERT_EQ(done["status"], "DONE") << done.dump();
  const Json& metrics = done["result"]["metrics"];
  EXPECT_EQ(done["result"]["instrument"], "TREND.SIM");

  // The same data and parameters through the CLI (its defaults: 10 % notional, 5 bps fees, default risk):
  // the metrics of its JSON report.
  const std::filesystem::path json_out = h.dir.path() / "cli.json";
  const auto cli_metrics = [&](std::string_view extra) -> Json {
    const std::string command = fmt::format(
        "'{}' backtest --data '{}' --strategy sma_cross --param fast=5 --param slow=20 --cash 100000 {} --json '{}' "
        "--format json > /dev/null 2>&1",
        BALLAST_BIN_PATH, file.string(), extra, json_out.string());
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(json_out);
    std::stringstream text;
    text << in.rdbuf();
    return Json::parse(text.str())["runs"][0]["metrics"];
  };
  const Json cli = cli_metrics("");
  ASSERT_GT(cli["trades"].get<std::size_t>(), 0u);
  EXPECT_EQ(metrics["trades"].get<std::size_t>(), cli["trades"].get<std::size_t>());
  EXPECT_NEAR(metrics["total_return"].get<double>(), cli["total_return"].get<double>(), 1e-12);
  EXPECT_NEAR(metrics["fees"].get<double>(), cli["fees"].get<double>(), 1e-9);

  // The observed calendar (the file's own bars a year) annualises alike in both.
  body["data"]["calendar"] = "observed";
  const auto observed = h.call("POST", "/api/backtests", trader, body);
  ASSERT_EQ(observed.status, 202u) << observed.body;
  const Json done_observed = wait_finished(ServerHarness::json(observed)["id"]);
  ASSERT_EQ(done_observed["status"], "DONE") << done_observed.dump();
  const Json cli_observed = cli_metrics("--calendar observed");
  EXPECT_NEAR(done_observed["result"]["metrics"]["sharpe"].get<double>(), cli_observed["sharpe"].get<double>(), 1e-9);
  EXPECT_NE(done_observed["result"]["metrics"]["sharpe"].get<double>(), metrics["sharpe"].get<double>());

  // Trading from bar 200 (2024-01-09T08:00:00Z): the first 200 bars only warm the averages. The job echoes
  // the time, its curves start there, and its figures are the CLI's with --trade-from.
  body["data"]["calendar"] = "crypto";
  body["trade_from"] = "2024-01-09T08:00:00Z";
  const auto late = h.call("POST", "/api/backtests", trader, body);
  ASSERT_EQ(late.status, 202u) << late.body;
  const Json done_late = wait_finished(ServerHarness::json(late)["id"]);
  ASSERT_EQ(done_late["status"], "DONE") << done_late.dump();
  EXPECT_EQ(done_late["trade_from"], "2024-01-09T08:00:00Z");
  const std::int64_t open_ms = 1'704'067'200'000 + 200 * 3'600'000LL;
  EXPECT_EQ(done_late["result"]["equity"].front()["ts_ms"].get<std::int64_t>(), open_ms + 3'600'000);  // bar 200's end
  EXPECT_EQ(done_late["result"]["prices"].front()["ts_ms"].get<std::int64_t>(), open_ms + 3'600'000);
  const Json cli_late = cli_metrics("--trade-from 2024-01-09T08:00:00Z");
  ASSERT_GT(cli_late["trades"].get<std::size_t>(), 0u);
  EXPECT_LT(cli_late["trades"].get<std::size_t>(), cli["trades"].get<std::size_t>());
  EXPECT_EQ(done_late["result"]["metrics"]["trades"].get<std::size_t>(), cli_late["trades"].get<std::size_t>());
  EXPECT_NEAR(done_late["result"]["metrics"]["total_return"].get<double>(), cli_late["total_return"].get<double>(),
              1e-12);

  // The same file read as stamped at bar ends ("bar_time": "end"): every bar an hour earlier, so the first
  // equity sample is at bar 0's stamp itself (an hour after it as a bar start), and the figures are the CLI's
  // with --bar-time end. The job echoes the choice; a start-stamped job says "start".
  body.erase("trade_from");
  body["data"]["bar_time"] = "end";
  const auto ended = h.call("POST", "/api/backtests", trader, body);
  ASSERT_EQ(ended.status, 202u) << ended.body;
  const Json done_end = wait_finished(ServerHarness::json(ended)["id"]);
  ASSERT_EQ(done_end["status"], "DONE") << done_end.dump();
  EXPECT_EQ(done_end["data"]["bar_time"], "end");
  EXPECT_EQ(done["data"]["bar_time"], "start");
  EXPECT_EQ(done_end["result"]["equity"].front()["ts_ms"].get<std::int64_t>(), 1'704'067'200'000);
  EXPECT_EQ(done["result"]["equity"].front()["ts_ms"].get<std::int64_t>(), 1'704'067'200'000 + 3'600'000);
  const Json cli_end = cli_metrics("--bar-time end --calendar crypto");
  EXPECT_EQ(done_end["result"]["metrics"]["trades"].get<std::size_t>(), cli_end["trades"].get<std::size_t>());
  EXPECT_NEAR(done_end["result"]["metrics"]["total_return"].get<double>(), cli_end["total_return"].get<double>(),
              1e-12);
}

TEST_F(Backtests, CsvFilesOutsideTheDataDirectoryOrOfTwoIntervalsAreRefused) {
  for (const std::string name : {"../secret.csv", "/etc/passwd", "sub/../../x.csv"}) {
    Json body{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {name}}}}};
    const auto r = h.call("POST", "/api/backtests", trader, body);
    EXPECT_EQ(r.status, 400u) << name << ": " << r.body;
    EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "data.files[0]") << name;
  }
  // Files of two bar intervals are refused at submission (their first bars are read then), naming both.
  {
    std::ofstream hourly(h.config.backtest_data_dir / "hourly.csv");
    hourly << trend_csv();
    std::ofstream daily(h.config.backtest_data_dir / "daily.csv");
    daily << "timestamp,open,high,low,close,volume\n";
    for (int k = 0; k < 30; ++k) daily << fmt::format("{},100,101,99,100,1000\n", 1'704'067'200'000 + 86'400'000LL * k);
    // A row with its high below its low on line 3.
    std::ofstream bad(h.config.backtest_data_dir / "bad.csv");
    bad << "timestamp,open,high,low,close,volume\n1704067200000,100,101,99,100,1\n1704070800000,100,98,99,100,1\n";
  }
  Json mixed{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {"hourly.csv", "daily.csv"}}}}};
  const auto posted_mixed = h.call("POST", "/api/backtests", trader, mixed);
  ASSERT_EQ(posted_mixed.status, 422u) << posted_mixed.body;
  EXPECT_EQ(ServerHarness::json(posted_mixed)["error"]["field"], "data.files[1]");
  EXPECT_NE(posted_mixed.body.find("daily.csv has bars of 1d but hourly.csv has bars of 1h"), std::string::npos)
      << posted_mixed.body;
  // A malformed row among the first bars: refused, named by the file and line as the request names the file.
  Json malformed_file{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {"hourly.csv", "bad.csv"}}}}};
  const auto posted_bad = h.call("POST", "/api/backtests", trader, malformed_file);
  ASSERT_EQ(posted_bad.status, 422u) << posted_bad.body;
  EXPECT_EQ(ServerHarness::json(posted_bad)["error"]["field"], "data.files[1]");
  const std::string bad_message = ServerHarness::json(posted_bad)["error"]["message"];
  EXPECT_TRUE(bad_message.starts_with("bad.csv:3: ")) << bad_message;
  EXPECT_EQ(bad_message.find(h.config.backtest_data_dir.string()), std::string::npos) << bad_message;
  // A bad row past the first 5,000 bars passes the check and fails the job when it runs, named the same way.
  {
    std::ofstream late(h.config.backtest_data_dir / "late.csv");
    late << "timestamp,open,high,low,close,volume\n";
    for (int k = 0; k < 5001; ++k) late << fmt::format("{},100,101,99,100,1\n", 1'704'067'200'000 + 3'600'000LL * k);
    late << "1722074400000,100,98,99,100,1\n";  // line 5003: high below low
  }
  Json late_body{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {"late.csv"}}}}};
  const auto posted_late = h.call("POST", "/api/backtests", trader, late_body);
  ASSERT_EQ(posted_late.status, 202u) << posted_late.body;
  const Json failed_late = wait_finished(ServerHarness::json(posted_late)["id"]);
  EXPECT_EQ(failed_late["status"], "FAILED") << failed_late.dump();
  const std::string late_error = failed_late["error"];
  EXPECT_NE(late_error.find("late.csv:5003: "), std::string::npos) << late_error;
  EXPECT_EQ(late_error.find(h.config.backtest_data_dir.string()), std::string::npos) << late_error;

  Json missing{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {"absent.csv"}}}}};
  const auto r = h.call("POST", "/api/backtests", trader, missing);
  EXPECT_EQ(r.status, 422u) << r.body;
}

TEST_F(Backtests, RefusalsNameTheField) {
  Json unknown = synthetic_body(100);
  unknown["strategy"] = "no_such_strategy";
  auto r = h.call("POST", "/api/backtests", trader, unknown);
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "strategy");

  Json bad_param = synthetic_body(100);
  bad_param["params"] = {{"fast", 40}, {"slow", 30}};
  r = h.call("POST", "/api/backtests", trader, bad_param);
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "params.fast");

  // The cap is 200,000 bars per backtest.
  r = h.call("POST", "/api/backtests", trader, synthetic_body(200'001, "1m"));
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "data.bars");

  Json unknown_symbol = synthetic_body(100);
  unknown_symbol["data"]["symbols"] = {"BTCUSDT", "DOGEUSDT"};
  r = h.call("POST", "/api/backtests", trader, unknown_symbol);
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "data.symbols[1]");

  Json weekly = synthetic_body(100);
  weekly["data"]["calendar"] = "weekly";
  r = h.call("POST", "/api/backtests", trader, weekly);
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "data.calendar");
  EXPECT_NE(r.body.find("observed"), std::string::npos) << r.body;

  Json bad_label{{"strategy", "sma_cross"}, {"data", {{"source", "csv"}, {"files", {"x.csv"}}, {"bar_time", "close"}}}};
  r = h.call("POST", "/api/backtests", trader, bad_label);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "data.bar_time");
  EXPECT_NE(r.body.find("'close' is not a bar time"), std::string::npos) << r.body;

  Json bad_time = synthetic_body(100);
  bad_time["trade_from"] = "yesterday";
  r = h.call("POST", "/api/backtests", trader, bad_time);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(ServerHarness::json(r)["error"]["field"], "trade_from");

  r = h.call("POST", "/api/backtests", viewer, synthetic_body(100));
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(h.call("GET", "/api/backtests/BT-999", viewer).status, 404u);
}

TEST_F(Backtests, CancellingStopsARunningJobAndAQueuedOne) {
  const auto long_run = h.call("POST", "/api/backtests", trader, synthetic_body(200'000, "1m"));
  ASSERT_EQ(long_run.status, 202u) << long_run.body;
  const std::string id = ServerHarness::json(long_run)["id"];
  const auto queued = h.call("POST", "/api/backtests", trader, synthetic_body(1000));
  ASSERT_EQ(queued.status, 202u) << queued.body;
  const std::string second = ServerHarness::json(queued)["id"];

  const Json running = h.wait_for("/api/backtests/" + id, viewer, [](const Json& j) {
    return j["status"] == "RUNNING" && j["progress"].get<double>() > 0.0;
  });
  ASSERT_EQ(running["status"], "RUNNING");
  EXPECT_EQ(h.call("GET", "/api/backtests/" + id + "/report", viewer).status, 409u);

  // Still waiting behind the long run: canceled at once.
  const auto cancel_queued = h.call("DELETE", "/api/backtests/" + second, trader);
  ASSERT_EQ(cancel_queued.status, 200u) << cancel_queued.body;
  EXPECT_EQ(ServerHarness::json(cancel_queued)["status"], "CANCELED");

  const auto cancel = h.call("DELETE", "/api/backtests/" + id, trader);
  ASSERT_EQ(cancel.status, 202u) << cancel.body;
  EXPECT_EQ(ServerHarness::json(cancel)["action"], "cancel_requested");
  const Json ended = wait_finished(id);
  EXPECT_EQ(ended["status"], "CANCELED");
  EXPECT_LT(ended["progress"].get<double>(), 1.0);
  EXPECT_FALSE(ended.contains("result"));

  // A finished job is forgotten by a second DELETE.
  const auto forget = h.call("DELETE", "/api/backtests/" + id, trader);
  ASSERT_EQ(forget.status, 200u) << forget.body;
  EXPECT_EQ(ServerHarness::json(forget)["action"], "forgotten");
  EXPECT_EQ(h.call("GET", "/api/backtests/" + id, viewer).status, 404u);
}

TEST(BacktestConfigKeys, DefaultsFileAndEnvironmentSetTheBacktestKeysAndTheWebRoot) {
  const ServiceConfig defaults;
  EXPECT_EQ(defaults.web_root, std::filesystem::path("web/dist"));
  EXPECT_TRUE(defaults.backtest_data_dir.empty());
  EXPECT_EQ(defaults.backtest_max_jobs_kept, 20u);

  auto file = parse_service_config_toml(
      "[server]\nweb_root = \"public\"\n[backtest]\ndata_dir = \"bars\"\nmax_jobs_kept = 7\n", "ballast.toml");
  ASSERT_TRUE(file) << file.error().to_string();
  EXPECT_EQ(file->web_root, std::filesystem::path("public"));
  EXPECT_EQ(file->backtest_data_dir, std::filesystem::path("bars"));
  EXPECT_EQ(file->backtest_max_jobs_kept, 7u);

  auto env = load_service_config({.file = std::nullopt,
                                  .environment = {{"BALLAST_BACKTEST_DATA_DIR", "/srv/bars"},
                                                  {"BALLAST_BACKTEST_MAX_JOBS_KEPT", "3"},
                                                  {"BALLAST_SERVER_WEB_ROOT", "/srv/web"}}});
  ASSERT_TRUE(env) << env.error().to_string();
  EXPECT_EQ(env->backtest_data_dir, std::filesystem::path("/srv/bars"));
  EXPECT_EQ(env->backtest_max_jobs_kept, 3u);
  EXPECT_EQ(env->web_root, std::filesystem::path("/srv/web"));

  auto zero = parse_service_config_toml("[backtest]\nmax_jobs_kept = 0\n", "ballast.toml");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message().find("backtest.max_jobs_kept"), std::string::npos) << zero.error().message();
}

TEST(BacktestConfigKeys, TheDashboardIsServedFromTheConfiguredWebRoot) {
  ServerHarness h;
  const std::filesystem::path root = h.dir.path() / "site";
  std::filesystem::create_directories(root);
  {
    std::ofstream out(root / "index.html");
    out << "<!doctype html><title>configured root</title>";
  }
  h.config.web_root = root;
  ASSERT_NO_FATAL_FAILURE(h.seed_users());
  ASSERT_NO_FATAL_FAILURE(h.start());
  const auto r = h.call("GET", "/index.html");
  EXPECT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("configured root"), std::string::npos) << r.body;
}

TEST(BacktestJobs, DataFilesMustStayInsideTheDataDirectory) {
  ballast::testkit::TempDir dir;
  dir.write("a.csv", "timestamp,open,high,low,close,volume\n");
  EXPECT_TRUE(resolve_data_file(dir.path(), "a.csv", "f"));
  EXPECT_EQ(resolve_data_file(dir.path(), "../a.csv", "f").error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(resolve_data_file(dir.path(), "/tmp/a.csv", "f").error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(resolve_data_file(dir.path(), "b.csv", "f").error().code(), core::ErrorCode::NotFound);
  EXPECT_EQ(resolve_data_file({}, "a.csv", "f").error().code(), core::ErrorCode::Unsupported);
}

TEST(BacktestJobs, DownsamplingKeepsEndsExtremesAndRequestedIndices) {
  // 10,000 points of a sawtooth with one deep dip at 4,321: at most 100 kept, the dip among them.
  std::vector<double> v(10000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % 97);
  v[4321] = -50.0;
  const std::size_t keep[] = {1234};
  const auto idx = downsample_indices(v, 100, keep);
  EXPECT_LE(idx.size(), 100u);
  EXPECT_EQ(idx.front(), 0u);
  EXPECT_EQ(idx.back(), 9999u);
  EXPECT_TRUE(std::is_sorted(idx.begin(), idx.end()));
  EXPECT_NE(std::find(idx.begin(), idx.end(), 4321u), idx.end());
  EXPECT_NE(std::find(idx.begin(), idx.end(), 1234u), idx.end());
  EXPECT_EQ(downsample_indices(std::vector<double>(50, 1.0), 100).size(), 50u);
}

}  // namespace
}  // namespace ballast::server
