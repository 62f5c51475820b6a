// End to end: the real `ballast serve` with a [[venues]] Hyperliquid account pointed at the mock exchange
// (POST /info + /exchange and the WebSocket at /ws: MockHyperliquidServer in trading mode) on 127.0.0.1, the
// private key in a 0600 file. What a user sees through the API: an order and a position that exist only at
// the exchange adopted at start (each correction stored as an event), an order through the venue's own risk
// engine reaching the exchange correctly signed, its fill moving the position, a breaker fed by the mock's
// trades cancelling at the exchange, a dropped WebSocket reconnected and reconciled (a fill made meanwhile
// counted once), the emergency stop cancelling at the exchange — and the key never in the logs or the API.
//
// Expected numbers are worked by hand below from the mock's stated rules (mock_hyperliquid_server.hpp: oids
// from 1000, tids from 500000, fill_open_order fills at the limit price, taker fee 0.045 %) and the
// configuration (BTC with szDecimals 5 → instrument BTC-PERP.HYPERLIQUID).

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ballast/adapters/hyperliquid/actions.hpp"
#include "ballast/adapters/hyperliquid/hex.hpp"
#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/persistence/store.hpp"
#include "testkit/serve_process.hpp"
#include "testkit/venues/mock_hyperliquid_server.hpp"

namespace ballast::testing::hyperliquid {
namespace {

namespace fs = std::filesystem;
namespace hl = adapters::hyperliquid;
using Json = nlohmann::json;
using namespace std::chrono_literals;
using core::Decimal;
using testkit::eventually;

// A well-known throwaway secp256k1 key (the first account of Ganache's deterministic test mnemonic); its
// published address is 0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1.
constexpr std::string_view kKeyHex = "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";
constexpr std::string_view kAddress = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
constexpr std::string_view kMeta =
    R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":40},{"name":"ETH","szDecimals":4,"maxLeverage":25}]})";
constexpr std::string_view kInstrument = "BTC-PERP.HYPERLIQUID";
constexpr std::string_view kAccount = "HYPERLIQUID-1";

Decimal dec(std::string_view text) { return *Decimal::parse(text); }

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

class ServeWithHyperliquidVenue : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testkit::ballast_binary();
    if (bin_.empty() || !fs::exists(bin_)) GTEST_SKIP() << "the ballast binary is not built: '" << bin_ << "'";
    dir_ = fs::temp_directory_path() / fmt::format("ballast-serve-hl-{}-{}", ::getpid(), counter_++);
    fs::create_directories(dir_);
    port_ = testkit::free_loopback_port();
    key_file_ = dir_ / "hl-agent.key";
    std::ofstream(key_file_) << "0x" << kKeyHex << "\n";
    ::chmod(key_file_.c_str(), 0600);

    auto signer = hl::Signer::from_hex(kKeyHex);
    ASSERT_TRUE(signer) << signer.error().message();
    ASSERT_EQ(hl::to_hex(signer->address()), kAddress);
    mock_ = std::make_unique<MockHyperliquidServer>(hl::Network::Testnet, signer->address());
    mock_->set_info_response("meta", std::string(kMeta));
    mock_->enable_trading({"BTC", "ETH"});
    mock_->set_mark("BTC", dec("30000"));
    // At the exchange only: a 0.01 BTC long at 30 000 (opened before the mock's history) and a resting buy
    // placed on the exchange's own page (no cloid).
    mock_->set_position("BTC", dec("0.01"), dec("30000"));
    external_oid_ = mock_->add_external_order("BTC", true, dec("27000"), dec("0.002"));
  }

  void TearDown() override {
    if (process_) process_->stop();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  std::string config() const {
    const std::string risk = risk_file_.empty() ? "" : fmt::format("[risk]\nconfig_file = \"{}\"\n", risk_file_.string());
    return risk + fmt::format(R"([server]
port = {}
[storage]
data_dir = "{}"
[log]
level = "debug"
[paper]
speed = 1.0
[[venues]]
name = "hyperliquid"
kind = "hyperliquid"
network = "testnet"
symbols = ["BTC"]
private_key_file = "{}"
rest_url = "{}"
stream_url = "{}"
)",
                              port_, (dir_ / "var").string(), key_file_.string(), mock_->base_url(), mock_->ws_url());
  }

  void start_server() {
    const fs::path file = dir_ / "ballast.toml";
    std::ofstream(file) << config();
    process_ = std::make_unique<testkit::ServeProcess>(dir_);
    auto started = process_->start(bin_, {"serve", "--config", file.string()});
    ASSERT_TRUE(started) << started.error().message();
    api_ = std::make_unique<testkit::ServeApi>(port_);
    ASSERT_TRUE(api_->wait_until_healthy(*process_))
        << "ballast serve did not come up (exit code " << process_->exit_code() << "); output:\n" << process_->logs();
    auto login = api_->login_admin(dir_ / "var");
    ASSERT_EQ(login.first, 200u) << login.second;
  }

  Json venue() {
    Json v = api_->get_json("/api/venues/hyperliquid");
    EXPECT_TRUE(v.is_object()) << "GET /api/venues/hyperliquid failed";
    return v.is_object() ? v : Json::object();
  }

  static Json position(const Json& v) {
    for (const auto& p : v.value("positions", Json::array())) {
      if (p.value("instrument_id", "") == kInstrument) return p;
    }
    return Json::object();
  }

  static bool listed_open(const Json& v, const std::string& client_order_id) {
    for (const auto& o : v.value("open_orders", Json::array())) {
      if (o.value("id", "") == client_order_id) return true;
    }
    return false;
  }

  // What the mock's /exchange received, one line per request (for failure messages).
  std::string exchange_log() const {
    std::string out;
    for (const auto& r : mock_->exchange_requests()) {
      out += fmt::format("{} (signature {}): {}\n", r.action_type, r.signature_valid ? "valid" : "INVALID", r.body);
    }
    return out;
  }

  // Places an order through the venue's POST route; returns its client order id ("" when not 201).
  std::string place(const std::string& side, const std::string& quantity, const std::string& price) {
    auto [status, body] = api_->call("POST", "/api/venues/hyperliquid/orders",
                                     fmt::format(R"({{"symbol":"BTC-PERP","side":"{}","type":"LIMIT","quantity":"{}","price":"{}"}})",
                                                 side, quantity, price));
    EXPECT_EQ(status, 201u) << body;
    return status == 201 ? Json::parse(body).at("id").get<std::string>() : std::string();
  }

  static std::string cloid_of(const std::string& client_order_id) {
    return hl::Cloid::from_client_order_id(core::ClientOrderId(client_order_id)).to_wire();
  }

  // The oid the mock gave our order, once it rests there.
  std::optional<std::uint64_t> resting_at_mock(const std::string& client_order_id) {
    std::optional<std::uint64_t> oid;
    eventually([&] {
      oid = mock_->oid_of(cloid_of(client_order_id));
      return oid && mock_->order_state(*oid) == "open";
    });
    return oid && mock_->order_state(*oid) == "open" ? oid : std::nullopt;
  }

  void push_trade(const std::string& price) {
    const std::size_t sent = mock_->ws_push_market(
        "trades", "BTC",
        fmt::format(R"([{{"coin":"BTC","side":"B","px":"{}","sz":"0.01","time":{},"hash":"0x{:064x}","tid":{},"users":["0x{:040x}","0x{:040x}"]}}])",
                    price, now_ms(), trade_id_, trade_id_, 1, 2));
    ++trade_id_;
    EXPECT_GE(sent, 1u) << "no connection is subscribed to BTC trades";
  }

  bool subscribed_to_trades() const {
    const auto subs = mock_->ws_subscriptions();
    return std::any_of(subs.begin(), subs.end(), [](const auto& s) { return s.key == "trades:BTC"; });
  }

  // Marks the position at `price` through a trade on the mock's market WebSocket.
  void mark_at(const std::string& price) {
    ASSERT_TRUE(eventually([&] { return subscribed_to_trades(); })) << "serve never subscribed to trades:BTC";
    push_trade(price);
    ASSERT_TRUE(eventually([&] { return position(venue()).value("mark_price", Json()) == price; })) << venue().dump();
  }

  // Neither form of the key (with or without 0x, either case) in anything serve wrote or answered.
  void expect_key_never_shown() {
    const std::string logs = process_->logs();
    EXPECT_NE(logs.find("hyperliquid"), std::string::npos) << "no logs captured";  // debug level is on
    for (const std::string& key : {std::string(kKeyHex), upper(std::string(kKeyHex))}) {
      EXPECT_EQ(logs.find(key), std::string::npos) << "the private key leaked into the logs";
      EXPECT_EQ(api_->answers().find(key), std::string::npos) << "the private key leaked into an API answer";
    }
    // A prefix long enough to be the key and not chance (the key file's own path is in the logs, by design).
    EXPECT_EQ(logs.find(std::string(kKeyHex.substr(0, 16))), std::string::npos) << "part of the private key leaked";
  }

  // The venue's stored ReconciliationCorrection events (read after the server stopped).
  std::vector<Json> stored_corrections() {
    persistence::StoreOptions options;
    options.url = (dir_ / "var" / "ballast.db").string();
    auto store = persistence::Store::open(options);
    EXPECT_TRUE(store) << store.error().message();
    if (!store) return {};
    auto records = (*store)->events().load_stream(fmt::format("venue.{}", kAccount));
    EXPECT_TRUE(records) << records.error().message();
    std::vector<Json> out;
    if (!records) return out;
    for (const auto& r : *records) {
      if (r.type == "ReconciliationCorrection") out.push_back(Json::parse(r.payload));
    }
    return out;
  }

  static inline int counter_ = 0;
  std::string bin_;
  fs::path dir_;
  fs::path key_file_;
  fs::path risk_file_;  // [risk] config_file when set
  std::uint16_t port_{0};
  std::unique_ptr<MockHyperliquidServer> mock_;
  std::uint64_t external_oid_ = 0;
  std::unique_ptr<testkit::ServeProcess> process_;
  std::unique_ptr<testkit::ServeApi> api_;
  std::uint64_t trade_id_ = 900000;
};

TEST_F(ServeWithHyperliquidVenue, AdoptsTheExchangesStateTradesThroughTheRiskEngineAndStopsAtTheExchange) {
  start_server();

  // (a) Start: the order and the position that exist only at the exchange are adopted.
  Json v = venue();
  EXPECT_TRUE(v.value("connected", false)) << v.dump();
  EXPECT_EQ(v.value("account_id", ""), kAccount);
  EXPECT_EQ(position(v).value("quantity", ""), "0.01") << v.dump();
  EXPECT_EQ(position(v).value("avg_entry_price", ""), "30000") << v.dump();
  ASSERT_TRUE(v["reconciliation"].is_object()) << v.dump();
  EXPECT_EQ(v["reconciliation"]["counts"].value("ORDER_ADOPTED", 0), 1) << v.dump();
  EXPECT_EQ(v["reconciliation"]["counts"].value("POSITION_CORRECTED", 0), 1) << v.dump();
  EXPECT_EQ(v["reconciliation"]["counts"].size(), 2u) << v.dump();  // nothing else: the mock has no fills
  // The external order (oid 1000, the mock's first) is EXT-<oid>, strategy EXTERNAL, 0.002 @ 27 000.
  const std::string external_id = fmt::format("EXT-{}", external_oid_);
  EXPECT_EQ(external_oid_, 1000u);
  ASSERT_EQ(v["open_orders"].size(), 1u) << v.dump();
  EXPECT_EQ(v["open_orders"][0].value("id", ""), external_id);
  EXPECT_EQ(v["open_orders"][0].value("strategy_id", ""), "EXTERNAL");
  EXPECT_EQ(v["open_orders"][0].value("venue_order_id", Json()), "1000");
  EXPECT_EQ(v["open_orders"][0].value("quantity", ""), "0.002");
  EXPECT_EQ(v["open_orders"][0].value("price", Json()), "27000");
  // The adopted order is stored under the venue account (GET /api/orders/{id} reads the store).
  Json stored = api_->get_json("/api/orders/" + external_id);
  ASSERT_TRUE(stored.is_object()) << "GET /api/orders/" << external_id;
  EXPECT_EQ(stored.value("account_id", ""), kAccount);
  EXPECT_EQ(stored.value("strategy_id", ""), "EXTERNAL");
  EXPECT_EQ(stored.value("instrument_id", ""), kInstrument);
  // ... and listed by GET /api/orders for the venue (a bare symbol means the venue's instrument).
  const Json listed = api_->get_json("/api/orders?venue=hyperliquid&status=open&symbol=BTC-PERP");
  ASSERT_EQ(listed["orders"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["orders"][0].value("id", ""), external_id);
  EXPECT_EQ(api_->get_json("/api/orders?status=open")["orders"].size(), 0u);  // the paper desk has none
  // GET /api/accounts lists the venue account next to the paper account.
  auto [accounts_status, accounts] = api_->call("GET", "/api/accounts");
  ASSERT_EQ(accounts_status, 200u);
  EXPECT_NE(accounts.find(fmt::format("\"{}\"", kAccount)), std::string::npos) << accounts;

  // (b) Marks from the mock's trades, then an order through the venue's risk engine to the exchange.
  mark_at("30000");
  const std::size_t requests_before = mock_->exchange_requests().size();
  const std::string id = place("BUY", "0.01", "29000");
  ASSERT_FALSE(id.empty());
  const auto oid = resting_at_mock(id);
  ASSERT_TRUE(oid.has_value()) << "order " << id << " never rested at the mock";
  EXPECT_EQ(*oid, 1001u);  // the mock's second oid
  for (const auto& o : mock_->open_orders()) {
    if (o.oid != *oid) continue;
    EXPECT_TRUE(o.is_buy);
    EXPECT_EQ(o.limit_px.to_string_trimmed(), "29000");
    EXPECT_EQ(o.sz.to_string_trimmed(), "0.01");
    EXPECT_EQ(o.cloid, cloid_of(id));
  }
  bool signed_order = false;
  const auto requests = mock_->exchange_requests();
  for (std::size_t i = requests_before; i < requests.size(); ++i) {
    if (requests[i].action_type != "order") continue;
    signed_order = requests[i].signature_valid && hl::to_hex(requests[i].recovered) == kAddress;
  }
  EXPECT_TRUE(signed_order) << "the mock did not recover the account's address from the order's signature";

  // The exchange fills it at 29 000: 0.01 @ 30 000 + 0.01 @ 29 000 = 0.02 @ (300 + 290) / 0.02 = 29 500.
  ASSERT_TRUE(mock_->fill_open_order(cloid_of(id)));
  ASSERT_TRUE(eventually([&] { return position(venue()).value("quantity", "") == "0.02"; })) << venue().dump();
  EXPECT_EQ(position(venue()).value("avg_entry_price", ""), "29500") << venue().dump();
  ASSERT_TRUE(eventually([&] { return api_->get_json("/api/orders/" + id).value("status", "") == "FILLED"; }));
  Json filled = api_->get_json("/api/orders/" + id);
  EXPECT_EQ(filled.value("filled_quantity", ""), "0.01") << filled.dump();
  EXPECT_EQ(filled.value("avg_fill_price", Json()), "29000") << filled.dump();
  ASSERT_EQ(filled["fills"].size(), 1u) << filled.dump();
  EXPECT_EQ(filled["fills"][0].value("trade_id", ""), "500000");  // the mock's first tid
  // Taker fee 0.045 % of 29 000 × 0.01 = 290 × 0.00045 = 0.1305 USDC.
  EXPECT_EQ(filled["fills"][0].value("fee", ""), "0.1305") << filled.dump();

  // (e) A resting order, then the emergency stop: cancelled AT THE MOCK, reported per venue, HALTED. (The
  // adopted external order's cancel is the test AnOrderAdoptedAtStartIsCancelledAtTheExchangeByItsVenueOrderId.)
  const std::string resting = place("BUY", "0.01", "28500");
  ASSERT_FALSE(resting.empty());
  const auto resting_oid = resting_at_mock(resting);
  ASSERT_TRUE(resting_oid.has_value());
  auto [stop_status, stopped] = api_->call("POST", "/api/risk/emergency-stop", R"({"reason":"e2e drill"})");
  ASSERT_EQ(stop_status, 200u) << stopped;
  Json entry;
  const Json stop_answer = Json::parse(stopped);
  for (const auto& e : stop_answer.at("venues")) {
    if (e.value("venue", "") == "hyperliquid") entry = e;
  }
  ASSERT_TRUE(entry.is_object()) << stopped;
  EXPECT_TRUE(entry.value("ok", false)) << stopped;
  EXPECT_EQ(entry.value("account_id", ""), kAccount);
  EXPECT_EQ(entry.value("trading_state", ""), "HALTED");
  ASSERT_TRUE(eventually([&] { return mock_->order_state(*resting_oid) == "canceled"; }))
      << mock_->order_state(*resting_oid);
  // The venue's status view is rebuilt by its loop after the task that engaged the stop: it may trail the
  // answer above by one turn of that loop.
  EXPECT_TRUE(eventually([&] { return venue().value("trading_state", "") == "HALTED"; })) << venue().dump();
  auto [halted_status, halted] = api_->call("POST", "/api/venues/hyperliquid/orders",
                                            R"({"symbol":"BTC-PERP","side":"BUY","type":"LIMIT","quantity":"0.01","price":"28000"})");
  EXPECT_EQ(halted_status, 422u) << halted;

  EXPECT_EQ(process_->stop(), 0) << process_->logs();
  // (f) The key never shown.
  expect_key_never_shown();

  // (a) Each start-up correction is an event of the venue's stream.
  const auto corrections = stored_corrections();
  std::vector<std::string> kinds;
  for (const auto& c : corrections) kinds.push_back(c.value("kind", ""));
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"ORDER_ADOPTED", "POSITION_CORRECTED"}));
  for (const auto& c : corrections) {
    EXPECT_EQ(c.value("instrument", ""), kInstrument) << c.dump();
    if (c.value("kind", "") == "ORDER_ADOPTED") {
      EXPECT_EQ(c.value("venue_order_id", Json()), "1000") << c.dump();
    }
  }
}

TEST_F(ServeWithHyperliquidVenue, ABreakerOnTheExchangesTradesCancelsThereAndADroppedStreamIsReconciledOnce) {
  // The venue's own breaker: a 5 % move within 5 minutes cancels its orders.
  risk_file_ = dir_ / "risk.toml";
  std::ofstream(risk_file_) << "[[circuit_breakers]]\nname = \"rapid-move\"\ncondition = \"RAPID_MOVE\"\n"
                               "threshold = 0.05\nwindow = \"5m\"\naction = \"CANCEL_ORDERS\"\n";
  start_server();
  mark_at("30000");

  // (c) A resting order, then trades 30 000 → 28 000 (a 6.67 % fall > 5 %): cancelled AT THE MOCK.
  const std::string first = place("BUY", "0.01", "28500");
  ASSERT_FALSE(first.empty());
  const auto first_oid = resting_at_mock(first);
  ASSERT_TRUE(first_oid.has_value());
  push_trade("28000");
  ASSERT_TRUE(eventually([&] { return mock_->order_state(*first_oid) == "canceled"; }))
      << mock_->order_state(*first_oid) << "\n" << venue().dump();
  ASSERT_TRUE(eventually([&] { return !listed_open(venue(), first); })) << venue().dump();

  // (d) Another resting order; then every WebSocket connection is dropped and new ones refused.
  const std::string second = place("BUY", "0.01", "28000");
  ASSERT_FALSE(second.empty());
  const auto second_oid = resting_at_mock(second);
  ASSERT_TRUE(second_oid.has_value());
  const Json before = venue();
  const int disconnects_before = before.value("disconnects", 0);
  const std::string reconciled_at = before["reconciliation"].value("at", "");
  ASSERT_FALSE(reconciled_at.empty()) << before.dump();
  mock_->ws_refuse_connections(true);
  mock_->ws_drop_all();
  ASSERT_TRUE(eventually([&] { return venue().value("disconnects", 0) > disconnects_before; }, 60s)) << venue().dump();
  // While it is down, the exchange fills the order (0.01 @ 28 000, tid 500000: the mock's first fill).
  ASSERT_TRUE(mock_->fill_open_order(cloid_of(second)));
  ASSERT_EQ(mock_->fill_ids().size(), 1u);
  const std::string tid = std::to_string(mock_->fill_ids().front().first);
  EXPECT_EQ(tid, "500000");
  mock_->ws_refuse_connections(false);
  ASSERT_TRUE(eventually([&] {
    const Json s = venue();
    return s.value("connected", false) && !s.value("needs_reconciliation", true) &&
           position(s).value("quantity", "") == "0.02";
  }, 90s)) << venue().dump();
  // Reconciled again after the reconnect (a newer report than the start-up one).
  ASSERT_TRUE(eventually([&] { return venue()["reconciliation"].value("at", "") != reconciled_at; })) << venue().dump();
  // Exactly once: 0.01 @ 30 000 + 0.01 @ 28 000 = 0.02 @ (300 + 280) / 0.02 = 29 000 (twice would be 0.03).
  EXPECT_EQ(position(venue()).value("avg_entry_price", ""), "29000") << venue().dump();
  ASSERT_TRUE(eventually([&] { return api_->get_json("/api/orders/" + second).value("status", "") == "FILLED"; }));
  Json filled = api_->get_json("/api/orders/" + second);
  EXPECT_EQ(filled.value("filled_quantity", ""), "0.01") << filled.dump();
  ASSERT_EQ(filled["fills"].size(), 1u) << filled.dump();
  EXPECT_EQ(filled["fills"][0].value("trade_id", ""), tid);

  // Trading resumes: an order reaches the exchange again.
  const std::string third = place("BUY", "0.01", "27500");
  ASSERT_FALSE(third.empty());
  EXPECT_TRUE(resting_at_mock(third).has_value()) << "order " << third << " never rested at the mock";

  EXPECT_EQ(process_->stop(), 0) << process_->logs();
  expect_key_never_shown();
}

// A restart: the exchange reports our earlier order by its cloid only; serve derives the cloids of the orders
// its store still lists as open and restores the order under Ballast's own id and strategy — and a cancel
// then goes out by that cloid.
TEST_F(ServeWithHyperliquidVenue, AnOrderOfAnEarlierRunComesBackUnderItsOwnIdAndStrategy) {
  start_server();
  mark_at("30000");
  const std::string id = place("BUY", "0.01", "29000");
  ASSERT_FALSE(id.empty());
  const auto oid = resting_at_mock(id);
  ASSERT_TRUE(oid.has_value()) << "order " << id << " never rested at the mock";
  std::string strategy;
  for (const auto& o : venue().value("open_orders", Json::array())) {
    if (o.value("id", "") == id) strategy = o.value("strategy_id", "");
  }
  ASSERT_FALSE(strategy.empty());
  ASSERT_NE(strategy, "EXTERNAL");
  ASSERT_EQ(process_->stop(), 0) << process_->logs();

  start_server();
  const Json v = venue();
  bool found = false;
  for (const auto& o : v.value("open_orders", Json::array())) {
    if (o.value("id", "") != id) continue;
    found = true;
    EXPECT_EQ(o.value("strategy_id", ""), strategy) << o.dump();
    EXPECT_EQ(o.value("venue_order_id", Json()), std::to_string(*oid)) << o.dump();
  }
  EXPECT_TRUE(found) << v.dump();
  EXPECT_FALSE(listed_open(v, cloid_of(id))) << v.dump();
  auto [status, body] = api_->call("DELETE", "/api/venues/hyperliquid/orders/" + id);
  ASSERT_EQ(status, 202u) << body;
  EXPECT_TRUE(eventually([&] { return mock_->order_state(*oid) == "canceled"; }))
      << "oid " << *oid << " is " << mock_->order_state(*oid) << "; /exchange got:\n" << exchange_log();
  EXPECT_EQ(process_->stop(), 0) << process_->logs();
}

TEST_F(ServeWithHyperliquidVenue, AnOrderAdoptedAtStartIsCancelledAtTheExchangeByItsVenueOrderId) {
  // The external order (oid 1000) has no cloid: the only way to cancel it is the `cancel` action by oid.
  start_server();
  const std::string external_id = fmt::format("EXT-{}", external_oid_);
  ASSERT_TRUE(listed_open(venue(), external_id)) << venue().dump();
  auto [status, body] = api_->call("DELETE", "/api/venues/hyperliquid/orders/" + external_id);
  ASSERT_EQ(status, 202u) << body;
  const bool canceled = eventually([&] { return mock_->order_state(external_oid_) == "canceled"; });
  EXPECT_TRUE(canceled) << "oid " << external_oid_ << " is still " << mock_->order_state(external_oid_)
                        << " at the mock; /exchange got:\n" << exchange_log();
  // The kernel closes it once the venue confirms (no point waiting for that when the venue never cancelled).
  if (canceled) {
    EXPECT_TRUE(eventually([&] { return !listed_open(venue(), external_id); })) << venue().dump();
  }
  EXPECT_EQ(process_->stop(), 0) << process_->logs();
}

}  // namespace
}  // namespace ballast::testing::hyperliquid
