#include "testkit/venues/binance_mock.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ballast/adapters/binance_futures/signing.hpp"
#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"

namespace ballast::adapters::binance::testing {
namespace {

using Json = nlohmann::json;
using core::Decimal;

Decimal dec(const std::string& text) {
  return Decimal::parse(text).value();
}

std::string exchange_info_json(int weight_limit) {
  // Shapes from the "Exchange Information" page of the USDⓈ-M Futures documentation; values invented.
  return fmt::format(R"({{
  "timezone": "UTC", "serverTime": 1700000000000, "futuresType": "U_MARGINED",
  "rateLimits": [
    {{"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": {}}},
    {{"rateLimitType": "ORDERS", "interval": "MINUTE", "intervalNum": 1, "limit": 1200}}
  ],
  "exchangeFilters": [], "assets": [],
  "symbols": [
    {{"symbol": "BTCUSDT", "pair": "BTCUSDT", "contractType": "PERPETUAL", "deliveryDate": 4133404800000,
     "onboardDate": 1569398400000, "status": "TRADING", "maintMarginPercent": "2.5000",
     "requiredMarginPercent": "5.0000", "baseAsset": "BTC", "quoteAsset": "USDT", "marginAsset": "USDT",
     "pricePrecision": 2, "quantityPrecision": 3, "baseAssetPrecision": 8, "quotePrecision": 8,
     "underlyingType": "COIN", "underlyingSubType": [], "settlePlan": 0, "triggerProtect": "0.0500",
     "liquidationFee": "0.012500", "marketTakeBound": "0.05",
     "filters": [
       {{"filterType": "PRICE_FILTER", "minPrice": "556.80", "maxPrice": "4529764", "tickSize": "0.10"}},
       {{"filterType": "LOT_SIZE", "stepSize": "0.001", "maxQty": "1000", "minQty": "0.001"}},
       {{"filterType": "MARKET_LOT_SIZE", "stepSize": "0.001", "maxQty": "120", "minQty": "0.001"}},
       {{"filterType": "MAX_NUM_ORDERS", "limit": 200}},
       {{"filterType": "MAX_NUM_ALGO_ORDERS", "limit": 10}},
       {{"filterType": "MIN_NOTIONAL", "notional": "100"}},
       {{"filterType": "PERCENT_PRICE", "multiplierUp": "1.0500", "multiplierDown": "0.9500", "multiplierDecimal": "4"}}
     ],
     "OrderType": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
     "timeInForce": ["GTC", "IOC", "FOK", "GTX", "GTD"]}}
  ]
}})",
                     weight_limit);
}

// GET /fapi/v1/leverageBracket shape (numbers, not strings, as documented). Each cum follows
// cum_n = cum_(n-1) + notionalFloor_n × (rate_n − rate_(n-1)).
constexpr const char* kBrackets = R"([
  {"symbol": "BTCUSDT", "notionalCoef": 1.50, "brackets": [
    {"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0, "maintMarginRatio": 0.004, "cum": 0.0},
    {"bracket": 2, "initialLeverage": 100, "notionalCap": 500000, "notionalFloor": 50000, "maintMarginRatio": 0.005, "cum": 50.0},
    {"bracket": 3, "initialLeverage": 50, "notionalCap": 8000000, "notionalFloor": 500000, "maintMarginRatio": 0.01, "cum": 2550.0}
  ]}
])";

struct Position {
  Decimal amount;
  Decimal entry;
  std::string liquidation{"0"};
  std::string margin_type{"cross"};
  std::int64_t leverage{20};
};

struct Trade {
  std::int64_t id;
  std::int64_t order_id;
  std::string symbol, side, price, qty, commission;
  bool maker;
  std::int64_t time;
};

struct Failure {
  unsigned status;
  int code;
  std::string msg;
  std::optional<int> retry_after;
};

}  // namespace

struct BinanceMock::State {
  mutable std::mutex mutex;
  std::chrono::milliseconds skew{0};
  int weight_limit{2400};
  int used_weight{0};
  std::vector<Failure> failures;
  bool drop_next_ack{false};
  std::vector<net::Responder> held;
  std::int64_t next_order_id{8389765};
  std::int64_t next_algo_id{2146760};
  std::int64_t next_trade_id{698759};
  std::vector<MockOrder> orders;
  std::vector<Trade> trades;
  std::map<std::string, Position> positions;
  std::map<std::string, std::string> marks{{"BTCUSDT", "30000.00"}};
  std::size_t requests{0};
  std::map<std::string, std::size_t> per_endpoint;
  std::map<std::string, net::HttpRequest> last;
  std::map<std::string, std::vector<std::string>> all_targets;
  std::string kline_symbol;
  std::string kline_interval;
  std::int64_t kline_first_open_ms{0};
  std::int64_t kline_count{0};
  std::vector<std::pair<std::int64_t, std::int64_t>> kline_gaps;
  // User-data stream.
  std::int64_t key_generation{1};
  std::string listen_key{key_for(1)};
  bool key_active{false};   // POSTed and not DELETEd
  bool key_expired{false};  // expire_listen_key(): the next POST makes a new one
  std::string pending_stream_key;  // set by a POST that made a new key: the stream host must follow
  bool refuse_streams{false};
  std::vector<std::shared_ptr<net::WebSocketConnection>> streams;
  std::vector<std::string> stream_paths;
  std::size_t stream_messages{0};
  // The stream host; restarted (same port) when the key changes, since its ws_path is exact.
  std::mutex stream_mu;
  std::unique_ptr<net::HttpServer> stream_server;
  std::uint16_t stream_port{0};

  // 64 characters like Binance's keys: the documentation's example key with the generation at the end.
  static std::string key_for(std::int64_t generation) {
    return fmt::format("pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v{:06d}", generation);
  }

  std::int64_t now_ms() const {
    const auto wall =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()) +
        skew;
    return wall.count();
  }

  MockOrder* find(const std::string& client_id, bool algo) {
    for (auto& o : orders) {
      if (o.client_order_id == client_id && o.is_algo == algo) return &o;
    }
    return nullptr;
  }

  static bool is_open(const MockOrder& o) { return o.status == "NEW" || o.status == "PARTIALLY_FILLED"; }

  Json order_json(const MockOrder& o) const {
    if (o.is_algo) {
      return Json{{"algoId", o.order_id},
                  {"clientAlgoId", o.client_order_id},
                  {"algoType", "CONDITIONAL"},
                  {"orderType", o.type},
                  {"symbol", o.symbol},
                  {"side", o.side},
                  {"positionSide", "BOTH"},
                  {"timeInForce", o.time_in_force},
                  {"quantity", o.orig_qty},
                  {"algoStatus", o.status},
                  {"actualOrderId", o.actual_order_id != 0 ? std::to_string(o.actual_order_id) : std::string()},
                  {"actualPrice", "0.00000"},
                  {"triggerPrice", o.stop_price},
                  {"price", o.price},
                  {"workingType", "CONTRACT_PRICE"},
                  {"priceMatch", "NONE"},
                  {"closePosition", false},
                  {"priceProtect", false},
                  {"reduceOnly", o.reduce_only},
                  {"createTime", o.update_time},
                  {"updateTime", o.update_time},
                  {"triggerTime", 0},
                  {"goodTillDate", 0}};
    }
    const Decimal cum_quote = dec(o.executed_qty).mul(dec(o.avg_price), 8);
    return Json{{"orderId", o.order_id},
                {"symbol", o.symbol},
                {"status", o.status},
                {"clientOrderId", o.client_order_id},
                {"price", o.price},
                {"avgPrice", o.avg_price},
                {"origQty", o.orig_qty},
                {"executedQty", o.executed_qty},
                {"cumQty", o.executed_qty},
                {"cumQuote", cum_quote.to_string_trimmed()},
                {"timeInForce", o.time_in_force},
                {"type", o.type},
                {"reduceOnly", o.reduce_only},
                {"closePosition", false},
                {"side", o.side},
                {"positionSide", "BOTH"},
                {"stopPrice", o.stop_price},
                {"workingType", "CONTRACT_PRICE"},
                {"priceProtect", false},
                {"origType", o.type},
                {"priceMatch", "NONE"},
                {"selfTradePreventionMode", "NONE"},
                {"goodTillDate", 0},
                {"time", o.update_time},
                {"updateTime", o.update_time}};
  }

  void push(const Json& message) {
    const std::string text = message.dump();
    for (const auto& c : streams) {
      if (c->is_open() && c->send(text)) ++stream_messages;
    }
  }

  // ORDER_TRADE_UPDATE in the documented shape ("Event: Order Update"); `trade` for TRADE executions.
  Json order_update(const MockOrder& o, const std::string& execution, const Trade* trade) const {
    Json inner = Json::object();
    inner["s"] = o.symbol;
    inner["c"] = o.client_order_id;
    inner["S"] = o.side;
    inner["o"] = o.type;
    inner["f"] = o.time_in_force;
    inner["q"] = o.orig_qty;
    inner["p"] = o.price;
    inner["ap"] = o.avg_price;
    inner["sp"] = o.stop_price;
    inner["x"] = execution;
    inner["X"] = o.status;
    inner["i"] = o.order_id;
    inner["l"] = trade != nullptr ? trade->qty : std::string("0");
    inner["z"] = o.executed_qty;
    inner["L"] = trade != nullptr ? trade->price : std::string("0");
    if (trade != nullptr) {
      inner["N"] = "USDT";
      inner["n"] = trade->commission;
    }
    inner["T"] = o.update_time;
    inner["t"] = trade != nullptr ? trade->id : 0;
    inner["b"] = "0";
    inner["a"] = "0";
    inner["m"] = trade != nullptr && trade->maker;
    inner["R"] = o.reduce_only;
    inner["wt"] = "CONTRACT_PRICE";
    inner["ot"] = o.type;
    inner["ps"] = "BOTH";
    inner["cp"] = false;
    inner["rp"] = "0";
    inner["pP"] = false;
    inner["si"] = 0;
    inner["ss"] = 0;
    inner["V"] = "NONE";
    inner["pm"] = "NONE";
    inner["gtd"] = 0;
    Json message = Json::object();
    message["e"] = "ORDER_TRADE_UPDATE";
    message["E"] = now_ms();
    message["T"] = o.update_time;
    message["o"] = inner;
    return message;
  }

  // ALGO_UPDATE in the documented shape ("Event: Algo Order Update"); `placed` is the triggered order.
  Json algo_update(const MockOrder& algo, const MockOrder* placed) const {
    Json inner = Json::object();
    inner["caid"] = algo.client_order_id;
    inner["aid"] = algo.order_id;
    inner["at"] = "CONDITIONAL";
    inner["o"] = algo.type;
    inner["s"] = algo.symbol;
    inner["S"] = algo.side;
    inner["ps"] = "BOTH";
    inner["f"] = algo.time_in_force;
    inner["q"] = algo.orig_qty;
    inner["X"] = algo.status;
    inner["ai"] = placed != nullptr ? std::to_string(placed->order_id) : std::string();
    inner["ap"] = placed != nullptr ? placed->avg_price : std::string("0.00000");
    inner["aq"] = placed != nullptr ? placed->executed_qty : std::string("0.00000");
    inner["act"] = placed != nullptr ? placed->type : std::string("0");
    inner["tp"] = algo.stop_price;
    inner["p"] = algo.price;
    inner["V"] = "EXPIRE_MAKER";
    inner["wt"] = "CONTRACT_PRICE";
    inner["pm"] = "NONE";
    inner["cp"] = false;
    inner["pP"] = false;
    inner["R"] = algo.reduce_only;
    inner["tt"] = placed != nullptr ? algo.update_time : 0;
    inner["gtd"] = 0;
    Json message = Json::object();
    message["e"] = "ALGO_UPDATE";
    message["T"] = algo.update_time;
    message["E"] = now_ms();
    message["o"] = inner;
    return message;
  }

  // ACCOUNT_UPDATE ("Event: Balance and Position Update") for one symbol after a fill. The mock's wallet
  // does not move (it keeps no realized PnL or fees), so bc is 0.
  Json account_update(const std::string& symbol, std::int64_t time) {
    const Position& p = positions[symbol];
    Json balance = Json::object();
    balance["a"] = "USDT";
    balance["wb"] = "10000.00000000";
    balance["cw"] = "10000.00000000";
    balance["bc"] = "0";
    Json position = Json::object();
    position["s"] = symbol;
    position["pa"] = p.amount.to_string_trimmed();
    position["ep"] = p.entry.to_string_trimmed();
    position["bep"] = "0";
    position["cr"] = "0";
    position["up"] = "0";
    position["mt"] = p.margin_type;
    position["iw"] = "0";
    position["ps"] = "BOTH";
    Json data = Json::object();
    data["m"] = "ORDER";
    data["B"] = Json::array({balance});
    data["P"] = Json::array({position});
    Json message = Json::object();
    message["e"] = "ACCOUNT_UPDATE";
    message["E"] = now_ms();
    message["T"] = time;
    message["a"] = data;
    return message;
  }

  // Applies a fill to an order, the trade list and the position.
  void fill(MockOrder& o, const std::string& qty, const std::string& price, bool maker) {
    const Decimal q = dec(qty), px = dec(price);
    const Decimal executed_before = dec(o.executed_qty);
    const Decimal executed = executed_before + q;
    const Decimal value = executed_before.mul(dec(o.avg_price), 10) + q.mul(px, 10);
    o.avg_price = value.div(executed, 5).to_string_trimmed();
    o.executed_qty = executed.to_string_trimmed();
    o.status = executed >= dec(o.orig_qty) ? "FILLED" : "PARTIALLY_FILLED";
    o.update_time = now_ms();
    const Decimal commission = q.mul(px, 8).mul(dec(maker ? "0.0002" : "0.0004"), 8);
    trades.push_back(Trade{next_trade_id++, o.order_id, o.symbol, o.side, price, qty, commission.to_string_trimmed(),
                           maker, o.update_time});
    Position& p = positions[o.symbol];
    const Decimal signed_q = o.side == "BUY" ? q : -q;
    const Decimal after = p.amount + signed_q;
    if (p.amount.is_zero() || p.amount.sign() == signed_q.sign()) {
      p.entry = (p.amount.abs().mul(p.entry, 10) + q.mul(px, 10)).div(after.abs(), 8);
    } else if (after.sign() != p.amount.sign()) {
      p.entry = after.is_zero() ? Decimal() : px;
    }
    p.amount = after;
    push(order_update(o, "TRADE", &trades.back()));
    push(account_update(o.symbol, o.update_time));
  }
};

namespace {

using State = BinanceMock::State;

net::HttpResponse error_response(unsigned status, int code, const std::string& msg) {
  return net::HttpResponse::json(status, Json{{"code", code}, {"msg", msg}}.dump());
}

int endpoint_weight(const std::string& method, const std::string& path) {
  if (path == "/fapi/v2/account" || path == "/fapi/v2/positionRisk" || path == "/fapi/v1/userTrades") return 5;
  if (path == "/fapi/v1/openOrders" || path == "/fapi/v1/openAlgoOrders") return 1;
  (void)method;
  return 1;
}

bool is_signed(const std::string& path) {
  return path != "/fapi/v1/time" && path != "/fapi/v1/exchangeInfo" && path != "/fapi/v1/ping";
}

std::string param(const net::HttpRequest& r, std::string_view name) {
  const auto v = r.query_param(name);
  return v ? std::string(*v) : std::string();
}

// Checks key, signature and timestamp; returns the error answer or nullopt.
std::optional<net::HttpResponse> authenticate(const State& s, const net::HttpRequest& r) {
  const auto key = r.header("X-MBX-APIKEY");
  if (!key || *key != kMockApiKey) return error_response(401, -2015, "Invalid API-key, IP, or permissions for action.");
  const auto q = r.target.find('?');
  const std::string query = q == std::string::npos ? std::string() : r.target.substr(q + 1);
  const auto at = query.rfind("signature=");
  if (at == std::string::npos) return error_response(400, -1102, "Mandatory parameter 'signature' was not sent.");
  const std::string payload = at == 0 ? std::string() : query.substr(0, at - 1);
  if (query.substr(at + 10) != hmac_sha256_hex(kMockApiSecret, payload)) {
    return error_response(401, -1022, "Signature for this request is not valid.");
  }
  const std::string ts = param(r, "timestamp");
  if (ts.empty()) return error_response(400, -1102, "Mandatory parameter 'timestamp' was not sent.");
  const std::int64_t timestamp = std::stoll(ts);
  const std::string window = param(r, "recvWindow");
  const std::int64_t recv_window = window.empty() ? 5000 : std::stoll(window);
  const std::int64_t now = s.now_ms();
  if (timestamp < now - recv_window || timestamp > now + 1000) {
    return error_response(400, -1021, "Timestamp for this request is outside of the recvWindow.");
  }
  return std::nullopt;
}

// Milliseconds of a kline interval name; 0 for "1M" (calendar months); nullopt for an unknown name.
std::optional<std::int64_t> interval_ms(const std::string& name) {
  static const std::map<std::string, std::int64_t> kMinutes{
      {"1m", 1},    {"3m", 3},     {"5m", 5},      {"15m", 15},    {"30m", 30},        {"1h", 60},
      {"2h", 120},  {"4h", 240},   {"6h", 360},    {"8h", 480},    {"12h", 720},       {"1d", 1440},
      {"3d", 4320}, {"1w", 10080}, {"1M", 0}};
  const auto it = kMinutes.find(name);
  if (it == kMinutes.end()) return std::nullopt;
  return it->second * 60'000;
}

std::int64_t month_start_ms(std::int64_t year, unsigned month) {
  return core::days_from_civil(year, month, 1) * 86'400'000;
}

// Open time of month number `index` after the month that starts at first_ms.
std::int64_t month_open_ms(std::int64_t first_ms, std::int64_t index) {
  const core::CivilDate c = core::civil_from_days(first_ms / 86'400'000);
  const std::int64_t months = static_cast<std::int64_t>(c.month - 1) + index;
  return month_start_ms(c.year + months / 12, static_cast<unsigned>(months % 12) + 1);
}

std::optional<std::int64_t> int_param(const net::HttpRequest& r, std::string_view name) {
  const auto v = r.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  return std::stoll(std::string(*v));
}

net::HttpResponse klines_response(const State& s, const net::HttpRequest& r) {
  const std::string symbol = param(r, "symbol");
  const std::string interval = param(r, "interval");
  if (symbol.empty()) return error_response(400, -1102, "Mandatory parameter 'symbol' was not sent.");
  if (symbol != s.kline_symbol) return error_response(400, -1121, "Invalid symbol.");
  const auto step = interval_ms(interval);
  if (!step) return error_response(400, -1120, "Invalid interval.");
  const std::int64_t limit = int_param(r, "limit").value_or(500);
  if (limit < 1 || limit > 1500) return error_response(400, -1130, "Data sent for parameter 'limit' is not valid.");
  const auto start = int_param(r, "startTime");
  const auto end = int_param(r, "endTime");
  std::vector<MockKline> in_range;
  if (interval == s.kline_interval) {
    for (std::int64_t i = 0; i < s.kline_count; ++i) {
      const std::int64_t open = *step > 0 ? s.kline_first_open_ms + i * *step : month_open_ms(s.kline_first_open_ms, i);
      const std::int64_t next = *step > 0 ? open + *step : month_open_ms(s.kline_first_open_ms, i + 1);
      if ((start && open < *start) || (end && open > *end)) continue;
      const bool in_gap = std::any_of(s.kline_gaps.begin(), s.kline_gaps.end(),
                                      [open](const auto& g) { return open >= g.first && open < g.second; });
      if (in_gap) continue;
      in_range.push_back(mock_kline(i, open, next - 1));
    }
  }
  // With startTime: the oldest `limit` bars from it; without: the most recent `limit` (up to endTime).
  std::size_t first = 0;
  std::size_t count = std::min(in_range.size(), static_cast<std::size_t>(limit));
  if (!start) first = in_range.size() - count;
  Json out = Json::array();
  for (std::size_t i = first; i < first + count; ++i) {
    const MockKline& k = in_range[i];
    out.push_back(Json::array({k.open_time, k.open, k.high, k.low, k.close, k.volume, k.close_time, k.quote_volume,
                               k.trades, k.taker_buy_base, k.taker_buy_quote, "0"}));
  }
  return net::HttpResponse::json(200, out.dump());
}

net::HttpResponse handle(State& s, const net::HttpRequest& r, bool& hold) {
  const std::string& m = r.method;
  const std::string& path = r.path;
  if (path == "/fapi/v1/time") return net::HttpResponse::json(200, Json{{"serverTime", s.now_ms()}}.dump());
  if (path == "/fapi/v1/exchangeInfo") return net::HttpResponse::json(200, exchange_info_json(s.weight_limit));
  if (path == "/fapi/v1/leverageBracket") return net::HttpResponse::json(200, kBrackets);
  if (path == "/fapi/v2/account") {
    Json assets = Json::array({Json{{"asset", "USDT"},
                                    {"walletBalance", "10000.00000000"},
                                    {"unrealizedProfit", "0.00000000"},
                                    {"marginBalance", "10000.00000000"},
                                    {"maintMargin", "0.00000000"},
                                    {"initialMargin", "250.50000000"},
                                    {"positionInitialMargin", "250.50000000"},
                                    {"openOrderInitialMargin", "0.00000000"},
                                    {"crossWalletBalance", "10000.00000000"},
                                    {"crossUnPnl", "0.00000000"},
                                    {"availableBalance", "9749.50000000"},
                                    {"maxWithdrawAmount", "9749.50000000"},
                                    {"marginAvailable", true},
                                    {"updateTime", s.now_ms()}}});
    return net::HttpResponse::json(
        200, Json{{"assets", assets}, {"positions", Json::array()}, {"totalWalletBalance", "10000.00000000"}}.dump());
  }
  if (path == "/fapi/v2/positionRisk") {
    Json out = Json::array();
    for (const auto& [symbol, p] : s.positions) {
      const auto mark = s.marks.count(symbol) ? s.marks.at(symbol) : std::string("0");
      out.push_back(Json{{"symbol", symbol},
                         {"positionAmt", p.amount.to_string_trimmed()},
                         {"entryPrice", p.entry.to_string_trimmed()},
                         {"breakEvenPrice", "0.0"},
                         {"markPrice", mark},
                         {"unRealizedProfit", "0.00000000"},
                         {"liquidationPrice", p.liquidation},
                         {"leverage", std::to_string(p.leverage)},
                         {"maxNotionalValue", "8000000"},
                         {"marginType", p.margin_type},
                         {"isolatedMargin", "0.00000000"},
                         {"isAutoAddMargin", "false"},
                         {"positionSide", "BOTH"},
                         {"notional", p.amount.mul(dec(mark), 8).to_string_trimmed()},
                         {"isolatedWallet", "0"},
                         {"updateTime", s.now_ms()}});
    }
    return net::HttpResponse::json(200, out.dump());
  }
  if (path == "/fapi/v1/openOrders" || path == "/fapi/v1/openAlgoOrders") {
    const bool algo = path == "/fapi/v1/openAlgoOrders";
    const std::string symbol = param(r, "symbol");
    Json out = Json::array();
    for (const auto& o : s.orders) {
      if (o.is_algo == algo && State::is_open(o) && (symbol.empty() || o.symbol == symbol))
        out.push_back(s.order_json(o));
    }
    return net::HttpResponse::json(200, out.dump());
  }
  if (path == "/fapi/v1/order" || path == "/fapi/v1/algoOrder") {
    const bool algo = path == "/fapi/v1/algoOrder";
    const std::string client_key = algo ? "clientAlgoId" : (m == "POST" ? "newClientOrderId" : "origClientOrderId");
    const std::string client_id = param(r, client_key);
    if (m == "POST") {
      const std::string type = param(r, "type");
      if (!algo && type != "LIMIT" && type != "MARKET") {
        return error_response(
            400, -4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
      }
      if (client_id.empty())
        return error_response(400, -1102, "Mandatory parameter '" + client_key + "' was not sent.");
      if (const MockOrder* existing = s.find(client_id, algo); existing && State::is_open(*existing)) {
        return error_response(400, -4116, "ClientOrderId is duplicated.");
      }
      MockOrder o;
      o.is_algo = algo;
      o.order_id = algo ? s.next_algo_id++ : s.next_order_id++;
      o.client_order_id = client_id;
      o.symbol = param(r, "symbol");
      o.side = param(r, "side");
      o.type = type;
      o.status = "NEW";
      o.orig_qty = param(r, "quantity");
      if (!param(r, "price").empty()) o.price = param(r, "price");
      if (!param(r, "triggerPrice").empty()) o.stop_price = param(r, "triggerPrice");
      if (!param(r, "timeInForce").empty()) o.time_in_force = param(r, "timeInForce");
      o.reduce_only = param(r, "reduceOnly") == "true";
      o.update_time = s.now_ms();
      s.orders.push_back(o);
      MockOrder& stored = s.orders.back();
      if (!algo) s.push(s.order_update(stored, "NEW", nullptr));
      if (!algo && type == "MARKET") s.fill(stored, stored.orig_qty, s.marks[stored.symbol], false);
      if (!algo && s.drop_next_ack) {
        s.drop_next_ack = false;
        hold = true;
      }
      return net::HttpResponse::json(200, s.order_json(stored).dump());
    }
    MockOrder* o = s.find(client_id, algo);
    if (m == "GET") {
      if (o == nullptr) return error_response(400, -2013, "Order does not exist.");
      return net::HttpResponse::json(200, s.order_json(*o).dump());
    }
    if (m == "DELETE") {
      if (o == nullptr || !State::is_open(*o)) return error_response(400, -2011, "Unknown order sent.");
      o->status = "CANCELED";
      o->update_time = s.now_ms();
      if (!algo) s.push(s.order_update(*o, "CANCELED", nullptr));
      if (algo) {
        return net::HttpResponse::json(
            200,
            Json{{"algoId", o->order_id}, {"clientAlgoId", o->client_order_id}, {"code", "200"}, {"msg", "success"}}
                .dump());
      }
      return net::HttpResponse::json(200, s.order_json(*o).dump());
    }
    if (m == "PUT" && !algo) {
      if (o == nullptr || !State::is_open(*o)) return error_response(400, -2013, "Order does not exist.");
      if (o->type != "LIMIT") return error_response(400, -4028, "Order type must be LIMIT.");
      o->orig_qty = param(r, "quantity");
      o->price = param(r, "price");
      o->update_time = s.now_ms();
      s.push(s.order_update(*o, "AMENDMENT", nullptr));
      return net::HttpResponse::json(200, s.order_json(*o).dump());
    }
  }
  if ((path == "/fapi/v1/allOpenOrders" || path == "/fapi/v1/algoOpenOrders") && m == "DELETE") {
    const bool algo = path == "/fapi/v1/algoOpenOrders";
    for (auto& o : s.orders) {
      if (o.is_algo == algo && o.symbol == param(r, "symbol") && State::is_open(o)) {
        o.status = "CANCELED";
        o.update_time = s.now_ms();
        if (!algo) s.push(s.order_update(o, "CANCELED", nullptr));
      }
    }
    return net::HttpResponse::json(200, R"({"code":200,"msg":"The operation of cancel all open order is done."})");
  }
  if (path == "/fapi/v1/userTrades") {
    const std::string symbol = param(r, "symbol");
    const std::string start = param(r, "startTime");
    const std::int64_t start_ms = start.empty() ? 0 : std::stoll(start);
    Json out = Json::array();
    for (const auto& t : s.trades) {
      if (t.symbol != symbol || t.time < start_ms) continue;
      out.push_back(Json{{"buyer", t.side == "BUY"},
                         {"commission", t.commission},
                         {"commissionAsset", "USDT"},
                         {"id", t.id},
                         {"maker", t.maker},
                         {"orderId", t.order_id},
                         {"price", t.price},
                         {"qty", t.qty},
                         {"quoteQty", dec(t.qty).mul(dec(t.price), 8).to_string_trimmed()},
                         {"realizedPnl", "0"},
                         {"side", t.side},
                         {"positionSide", "BOTH"},
                         {"symbol", t.symbol},
                         {"time", t.time}});
    }
    return net::HttpResponse::json(200, out.dump());
  }
  if (path == "/fapi/v1/listenKey") {
    // POST creates a key, or returns (and extends) the active one; PUT/DELETE need a live key.
    if (m == "POST") {
      if (s.key_expired) {
        s.listen_key = State::key_for(++s.key_generation);
        s.key_expired = false;
        s.pending_stream_key = s.listen_key;
      }
      s.key_active = true;
      return net::HttpResponse::json(200, Json{{"listenKey", s.listen_key}}.dump());
    }
    if (!s.key_active || s.key_expired) return error_response(400, -1125, "This listenKey does not exist.");
    if (m == "DELETE") s.key_active = false;
    return net::HttpResponse::json(200, "{}");
  }
  if (path == "/fapi/v1/leverage" && m == "POST") {
    Position& p = s.positions[param(r, "symbol")];
    p.leverage = std::stoll(param(r, "leverage"));
    return net::HttpResponse::json(
        200, Json{{"leverage", p.leverage}, {"maxNotionalValue", "1000000"}, {"symbol", param(r, "symbol")}}.dump());
  }
  if (path == "/fapi/v1/marginType" && m == "POST") {
    Position& p = s.positions[param(r, "symbol")];
    const std::string wanted = param(r, "marginType") == "ISOLATED" ? "isolated" : "cross";
    if (p.margin_type == wanted) return error_response(400, -4046, "No need to change margin type.");
    p.margin_type = wanted;
    return net::HttpResponse::json(200, R"({"code":200,"msg":"success"})");
  }
  return error_response(404, -1000, "unknown endpoint " + m + " " + path);
}

// (Re)starts the stream host on its port, serving /ws/<key> only. Not called with state->mutex held: stopping
// the old host runs its on_close handlers, which take it.
void restart_stream_host(const std::shared_ptr<State>& state, const std::string& key) {
  std::lock_guard host_lock(state->stream_mu);
  if (state->stream_server) state->stream_server->stop(std::chrono::milliseconds(200));
  state->stream_server.reset();
  net::HttpServerOptions options;
  options.port = state->stream_port;
  options.io_threads = 1;
  options.ws_path = "/ws/" + key;
  std::weak_ptr<State> weak = state;
  net::WebSocketHandler ws;
  ws.authorize = [weak](const net::HttpRequest&) -> std::optional<net::HttpResponse> {
    auto s = weak.lock();
    if (!s) return net::HttpResponse::json(503, "{}");
    std::lock_guard lock(s->mutex);
    if (s->refuse_streams) return error_response(503, -1001, "Internal error; unable to process your request.");
    if (!s->key_active || s->key_expired) return error_response(400, -1125, "This listenKey does not exist.");
    return std::nullopt;
  };
  ws.on_open = [weak](std::shared_ptr<net::WebSocketConnection> c, const net::HttpRequest& upgrade) {
    if (auto s = weak.lock()) {
      std::lock_guard lock(s->mutex);
      s->streams.push_back(std::move(c));
      s->stream_paths.push_back(upgrade.path);
    }
  };
  ws.on_close = [weak](const std::shared_ptr<net::WebSocketConnection>& c) {
    if (auto s = weak.lock()) {
      std::lock_guard lock(s->mutex);
      s->streams.erase(std::remove(s->streams.begin(), s->streams.end(), c), s->streams.end());
    }
  };
  auto http = [](net::HttpRequest&&, net::Responder respond) {
    respond(error_response(404, -1000, "the stream host serves WebSocket upgrades only"));
  };
  auto started = net::HttpServer::start(options, http, ws);
  BALLAST_REQUIRE(started.has_value(), "mock Binance stream host did not start: " + started.error().to_string());
  state->stream_port = (*started)->port();
  state->stream_server = std::move(*started);
}

}  // namespace

BinanceMock::BinanceMock() : state_(std::make_shared<State>()) {
  net::HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  auto state = state_;
  auto handler = [state](net::HttpRequest&& request, net::Responder respond) {
    std::unique_lock lock(state->mutex);
    ++state->requests;
    ++state->per_endpoint[request.method + " " + request.path];
    state->last[request.path] = request;
    state->all_targets[request.path].push_back(request.target);
    if (request.path == "/fapi/v1/klines") {
      // Documented weight by limit: [1,100) 1, [100,500) 2, [500,1000] 5, above 10 (endpoint_weight gave 1).
      const std::int64_t limit = int_param(request, "limit").value_or(500);
      state->used_weight += limit < 100 ? 0 : limit < 500 ? 1 : limit <= 1000 ? 4 : 9;
    }
    state->used_weight += endpoint_weight(request.method, request.path);
    net::HttpResponse response;
    bool hold = false;
    if (!state->failures.empty()) {
      const Failure f = state->failures.front();
      state->failures.erase(state->failures.begin());
      response = error_response(f.status, f.code, f.msg);
      if (f.retry_after) response.headers.emplace_back("Retry-After", std::to_string(*f.retry_after));
    } else if (request.path == "/fapi/v1/klines") {
      response = klines_response(*state, request);
    } else if (request.path == "/fapi/v1/listenKey") {
      const auto key = request.header("X-MBX-APIKEY");
      response = (key && *key == kMockApiKey)
                     ? handle(*state, request, hold)
                     : error_response(401, -2015, "Invalid API-key, IP, or permissions for action.");
    } else if (is_signed(request.path)) {
      if (auto denied = authenticate(*state, request)) {
        response = *denied;
      } else {
        response = handle(*state, request, hold);
      }
    } else {
      response = handle(*state, request, hold);
    }
    response.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(state->used_weight));
    if (hold) {
      state->held.push_back(std::move(respond));
      return;
    }
    const std::string new_stream_key = std::exchange(state->pending_stream_key, std::string());
    lock.unlock();
    // A new listen key: the stream host follows before the caller learns the key, so it can connect at once.
    if (!new_stream_key.empty()) restart_stream_host(state, new_stream_key);
    respond(std::move(response));
  };
  auto started = net::HttpServer::start(options, handler, {});
  BALLAST_REQUIRE(started.has_value(), "mock Binance server did not start: " + started.error().to_string());
  server_ = std::move(*started);
  restart_stream_host(state_, state_->listen_key);
}

BinanceMock::~BinanceMock() {
  std::vector<net::Responder> held;
  {
    std::lock_guard lock(state_->mutex);
    held.swap(state_->held);
  }
  for (auto& respond : held) respond(error_response(503, -1001, "Internal error; unable to process your request."));
  server_->stop(std::chrono::milliseconds(500));
  std::unique_ptr<net::HttpServer> stream;
  {
    std::lock_guard host_lock(state_->stream_mu);
    stream = std::move(state_->stream_server);
  }
  if (stream) stream->stop(std::chrono::milliseconds(200));
}

std::string BinanceMock::stream_url() const {
  std::lock_guard host_lock(state_->stream_mu);
  return fmt::format("ws://127.0.0.1:{}/ws", state_->stream_port);
}

std::string BinanceMock::listen_key() const {
  std::lock_guard lock(state_->mutex);
  return state_->listen_key;
}

void BinanceMock::expire_listen_key(bool notify) {
  std::lock_guard lock(state_->mutex);
  state_->key_expired = true;
  if (notify) {
    // "Event: User Data Stream Expired" (E is sent as a string in the current documentation's example).
    Json message = Json::object();
    message["e"] = "listenKeyExpired";
    message["E"] = std::to_string(state_->now_ms());
    message["listenKey"] = state_->listen_key;
    state_->push(message);
  }
}

void BinanceMock::drop_user_streams() {
  std::vector<std::shared_ptr<net::WebSocketConnection>> open;
  {
    std::lock_guard lock(state_->mutex);
    open = state_->streams;
  }
  for (const auto& c : open) c->close(1001, "going away");
}

void BinanceMock::refuse_user_streams(bool refuse) {
  std::lock_guard lock(state_->mutex);
  state_->refuse_streams = refuse;
}

void BinanceMock::push_margin_call(const std::string& symbol, const std::string& mark_price,
                                   const std::string& maintenance_margin) {
  std::lock_guard lock(state_->mutex);
  const Position& p = state_->positions[symbol];
  Json position = Json::object();
  position["s"] = symbol;
  position["ps"] = "BOTH";
  position["pa"] = p.amount.to_string_trimmed();
  position["mt"] = "CROSSED";
  position["iw"] = "0";
  position["mp"] = mark_price;
  // Unrealized PnL = amount × (mark − entry), 8 decimals.
  position["up"] = p.amount.mul(dec(mark_price) - p.entry, 8).to_string_trimmed();
  position["mm"] = maintenance_margin;
  Json message = Json::object();
  message["e"] = "MARGIN_CALL";
  message["E"] = state_->now_ms();
  message["cw"] = "10000.00000000";
  message["p"] = Json::array({position});
  state_->push(message);
}

std::size_t BinanceMock::user_stream_connections() const {
  std::lock_guard lock(state_->mutex);
  return static_cast<std::size_t>(
      std::count_if(state_->streams.begin(), state_->streams.end(), [](const auto& c) { return c->is_open(); }));
}

std::vector<std::string> BinanceMock::user_stream_paths() const {
  std::lock_guard lock(state_->mutex);
  return state_->stream_paths;
}

std::size_t BinanceMock::user_stream_messages() const {
  std::lock_guard lock(state_->mutex);
  return state_->stream_messages;
}

bool BinanceMock::expire_order(const std::string& client_order_id) {
  std::lock_guard lock(state_->mutex);
  MockOrder* o = state_->find(client_order_id, false);
  if (o == nullptr || !State::is_open(*o)) return false;
  o->status = "EXPIRED";
  o->update_time = state_->now_ms();
  state_->push(state_->order_update(*o, "EXPIRED", nullptr));
  return true;
}

std::string BinanceMock::url() const {
  return fmt::format("http://127.0.0.1:{}", server_->port());
}

void BinanceMock::fail_next(unsigned status, int count, int code, std::string msg, std::optional<int> retry_after_s) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < count; ++i) state_->failures.push_back(Failure{status, code, msg, retry_after_s});
}

void BinanceMock::drop_next_order_ack() {
  std::lock_guard lock(state_->mutex);
  state_->drop_next_ack = true;
}

void BinanceMock::set_clock_skew(std::chrono::milliseconds skew) {
  std::lock_guard lock(state_->mutex);
  state_->skew = skew;
}

void BinanceMock::set_weight_limit(int limit) {
  std::lock_guard lock(state_->mutex);
  state_->weight_limit = limit;
}

void BinanceMock::reset_used_weight() {
  std::lock_guard lock(state_->mutex);
  state_->used_weight = 0;
}

void BinanceMock::set_mark_price(const std::string& symbol, const std::string& price) {
  std::lock_guard lock(state_->mutex);
  state_->marks[symbol] = price;
}

bool BinanceMock::fill_order(const std::string& client_order_id, const std::string& qty, const std::string& price,
                             bool maker) {
  std::lock_guard lock(state_->mutex);
  MockOrder* o = state_->find(client_order_id, false);
  if (o == nullptr || !State::is_open(*o)) return false;
  state_->fill(*o, qty, price, maker);
  return true;
}

bool BinanceMock::trigger_algo_order(const std::string& client_algo_id, const std::string& price,
                                     bool push_algo_updates) {
  std::lock_guard lock(state_->mutex);
  MockOrder* algo = state_->find(client_algo_id, true);
  if (algo == nullptr || !State::is_open(*algo)) return false;
  MockOrder placed;
  placed.order_id = state_->next_order_id++;
  placed.client_order_id = fmt::format("trig-{}", algo->order_id);
  placed.symbol = algo->symbol;
  placed.side = algo->side;
  placed.type = "MARKET";
  placed.status = "NEW";
  placed.orig_qty = algo->orig_qty;
  placed.reduce_only = algo->reduce_only;
  placed.update_time = state_->now_ms();
  algo->status = "TRIGGERED";
  algo->actual_order_id = placed.order_id;
  algo->update_time = placed.update_time;
  if (push_algo_updates) state_->push(state_->algo_update(*algo, &placed));
  state_->orders.push_back(placed);
  MockOrder& stored = state_->orders.back();
  state_->push(state_->order_update(stored, "NEW", nullptr));
  state_->fill(stored, stored.orig_qty, price, false);
  // `algo` may have moved with the push_back: find it again.
  MockOrder* finished = state_->find(client_algo_id, true);
  finished->status = "FINISHED";
  finished->update_time = state_->now_ms();
  if (push_algo_updates) state_->push(state_->algo_update(*finished, &stored));
  return true;
}

void BinanceMock::set_position(const std::string& symbol, const std::string& amount, const std::string& entry_price,
                               const std::string& liquidation_price) {
  std::lock_guard lock(state_->mutex);
  Position& p = state_->positions[symbol];
  p.amount = dec(amount);
  p.entry = dec(entry_price);
  p.liquidation = liquidation_price;
}

std::size_t BinanceMock::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t BinanceMock::request_count(const std::string& method, const std::string& path) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->per_endpoint.find(method + " " + path);
  return it == state_->per_endpoint.end() ? 0 : it->second;
}

std::optional<MockOrder> BinanceMock::order(const std::string& client_order_id) const {
  std::lock_guard lock(state_->mutex);
  for (const auto& o : state_->orders) {
    if (o.client_order_id == client_order_id) return o;
  }
  return std::nullopt;
}

std::size_t BinanceMock::order_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->orders.size();
}

std::size_t BinanceMock::open_order_count() const {
  std::lock_guard lock(state_->mutex);
  return static_cast<std::size_t>(std::count_if(state_->orders.begin(), state_->orders.end(), State::is_open));
}

std::string BinanceMock::last_target(const std::string& path) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->last.find(path);
  return it == state_->last.end() ? std::string() : it->second.target;
}

std::optional<std::string> BinanceMock::last_header(const std::string& path, const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->last.find(path);
  if (it == state_->last.end()) return std::nullopt;
  const auto v = it->second.header(name);
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

void BinanceMock::set_klines(const std::string& symbol, const std::string& interval, std::int64_t first_open_ms,
                             std::int64_t count) {
  std::lock_guard lock(state_->mutex);
  state_->kline_symbol = symbol;
  state_->kline_interval = interval;
  state_->kline_first_open_ms = first_open_ms;
  state_->kline_count = count;
}

void BinanceMock::add_kline_gap(std::int64_t from_ms, std::int64_t to_ms) {
  std::lock_guard lock(state_->mutex);
  state_->kline_gaps.emplace_back(from_ms, to_ms);
}

std::vector<std::string> BinanceMock::targets(const std::string& path) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->all_targets.find(path);
  return it == state_->all_targets.end() ? std::vector<std::string>{} : it->second;
}

MockKline mock_kline(std::int64_t index, std::int64_t open_ms, std::int64_t close_ms) {
  const auto fixed = [](std::int64_t raw, int scale) { return Decimal::from_raw(raw, scale).to_string(); };
  const std::int64_t open = 3'000'000 + (index % 200) * 50;  // cents
  const std::int64_t close = index % 2 == 0 ? open + 25 : open - 25;
  const std::int64_t high = std::max(open, close) + 100;
  const std::int64_t low = std::min(open, close) - 100;
  const std::int64_t volume = 1000 + (index % 7) * 125;  // thousandths
  const std::int64_t taker_base = volume * 5;            // ten-thousandths: volume / 2
  MockKline k;
  k.open_time = open_ms;
  k.close_time = close_ms;
  k.open = fixed(open, 2);
  k.high = fixed(high, 2);
  k.low = fixed(low, 2);
  k.close = fixed(close, 2);
  k.volume = fixed(volume, 3);
  k.quote_volume = fixed(volume * close, 5);
  k.trades = 100 + index % 50;
  k.taker_buy_base = fixed(taker_base, 4);
  k.taker_buy_quote = fixed(taker_base * close, 6);
  return k;
}

std::int64_t BinanceMock::server_time_ms() const {
  std::lock_guard lock(state_->mutex);
  return state_->now_ms();
}

}  // namespace ballast::adapters::binance::testing
