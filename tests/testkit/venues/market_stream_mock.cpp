#include "testkit/venues/market_stream_mock.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ballast/core/require.hpp"

namespace ballast::adapters::binance::testing {

namespace {

using Json = nlohmann::json;

struct Snapshot {
  std::uint64_t last_update_id{0};
  std::vector<MockLevel> bids;
  std::vector<MockLevel> asks;
  std::int64_t transaction_time_ms{0};
};

struct Klines {
  std::string interval;
  std::vector<std::pair<std::int64_t, std::string>> rows;
};

struct Connection {
  std::shared_ptr<net::WebSocketConnection> ws;
  std::set<std::string> streams;
};

std::optional<std::int64_t> int_param(const net::HttpRequest& request, std::string_view name) {
  for (const auto& [k, v] : request.query) {
    if (k != name) continue;
    std::int64_t out = 0;
    const auto* end = v.data() + v.size();
    auto [ptr, ec] = std::from_chars(v.data(), end, out);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> str_param(const net::HttpRequest& request, std::string_view name) {
  for (const auto& [k, v] : request.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

net::HttpResponse binance_error(unsigned status, int code, std::string_view msg) {
  return net::HttpResponse::json(status, fmt::format(R"({{"code":{},"msg":"{}"}})", code, msg));
}

std::string levels_json(const std::vector<MockLevel>& levels, std::size_t limit) {
  std::string out = "[";
  for (std::size_t i = 0; i < levels.size() && i < limit; ++i) {
    if (i > 0) out += ',';
    out += fmt::format(R"(["{}","{}"])", levels[i].first, levels[i].second);
  }
  return out + "]";
}

}  // namespace

struct MarketStreamMock::State {
  mutable std::mutex mutex;
  std::map<std::string, Snapshot> snapshots;
  std::map<std::string, Klines> klines;
  std::vector<std::string> depth_targets;
  std::vector<std::string> kline_targets;
  unsigned fail_status{0};
  int fail_count{0};
  int fail_code{0};
  std::string fail_msg;
  std::function<void(const std::string&, int)> depth_hook;
  std::map<std::uint64_t, Connection> connections;  // open ones, by id
  std::size_t accepted{0};
  std::vector<std::string> control;
};

MarketStreamMock::MarketStreamMock() : state_(std::make_shared<State>()) {
  net::HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.ws_path = "/stream";
  auto state = state_;

  auto http = [state](net::HttpRequest&& request, net::Responder respond) {
    if (request.method != "GET") return respond(binance_error(405, -1000, "method not allowed"));
    if (request.path == "/fapi/v1/depth") {
      std::function<void(const std::string&, int)> hook;
      const std::string symbol = str_param(request, "symbol").value_or("");
      int number = 0;
      {
        std::lock_guard lock(state->mutex);
        state->depth_targets.push_back(request.target);
        number = static_cast<int>(state->depth_targets.size());
        hook = state->depth_hook;
      }
      if (hook) hook(symbol, number);
      std::lock_guard lock(state->mutex);
      if (state->fail_count > 0) {
        --state->fail_count;
        return respond(binance_error(state->fail_status, state->fail_code, state->fail_msg));
      }
      const std::int64_t limit = int_param(request, "limit").value_or(500);
      static constexpr std::int64_t kValid[] = {5, 10, 20, 50, 100, 500, 1000};
      if (std::find(std::begin(kValid), std::end(kValid), limit) == std::end(kValid)) {
        return respond(binance_error(400, -1130, "Data sent for parameter 'limit' is not valid."));
      }
      const auto it = state->snapshots.find(symbol);
      if (it == state->snapshots.end()) return respond(binance_error(400, -1121, "Invalid symbol."));
      const Snapshot& s = it->second;
      const auto n = static_cast<std::size_t>(limit);
      auto response = net::HttpResponse::json(
          200, fmt::format(R"({{"lastUpdateId":{},"E":{},"T":{},"bids":{},"asks":{}}})", s.last_update_id,
                           s.transaction_time_ms + 5, s.transaction_time_ms, levels_json(s.bids, n),
                           levels_json(s.asks, n)));
      return respond(std::move(response));
    }
    if (request.path == "/fapi/v1/klines") {
      std::lock_guard lock(state->mutex);
      state->kline_targets.push_back(request.target);
      const std::string symbol = str_param(request, "symbol").value_or("");
      const auto it = state->klines.find(symbol);
      if (it == state->klines.end()) return respond(binance_error(400, -1121, "Invalid symbol."));
      if (str_param(request, "interval").value_or("") != it->second.interval) {
        return respond(net::HttpResponse::json(200, "[]"));
      }
      const auto start = int_param(request, "startTime");
      const auto end = int_param(request, "endTime");
      const auto limit = static_cast<std::size_t>(int_param(request, "limit").value_or(500));
      std::string body = "[";
      std::size_t n = 0;
      for (const auto& [open, row] : it->second.rows) {
        if ((start && open < *start) || (end && open > *end)) continue;
        if (n == limit) break;
        if (n++ > 0) body += ',';
        body += row;
      }
      return respond(net::HttpResponse::json(200, body + "]"));
    }
    respond(binance_error(404, -1000, "not served by the market-stream mock"));
  };

  net::WebSocketHandler ws;
  ws.on_open = [state](std::shared_ptr<net::WebSocketConnection> connection, const net::HttpRequest& upgrade) {
    Connection c;
    c.ws = connection;
    if (auto streams = str_param(upgrade, "streams")) {
      std::string_view rest = *streams;
      while (!rest.empty()) {
        const auto slash = rest.find('/');
        c.streams.emplace(rest.substr(0, slash));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
      }
    }
    std::lock_guard lock(state->mutex);
    ++state->accepted;
    state->connections[connection->id()] = std::move(c);
  };
  ws.on_message = [state](const std::shared_ptr<net::WebSocketConnection>& connection, std::string message) {
    std::string answer;
    {
      std::lock_guard lock(state->mutex);
      state->control.push_back(message);
      auto it = state->connections.find(connection->id());
      if (it == state->connections.end()) return;
      const Json request = Json::parse(message, nullptr, false);
      Json id = nullptr;
      if (request.is_object() && request.contains("id")) id = request["id"];
      const bool valid = request.is_object() && request.contains("method") && request["method"].is_string() &&
                         request.contains("id") && request["id"].is_number_unsigned();
      const std::string method = valid ? request["method"].get<std::string>() : "";
      if (valid && (method == "SUBSCRIBE" || method == "UNSUBSCRIBE") && request.contains("params") &&
          request["params"].is_array()) {
        for (const auto& p : request["params"]) {
          if (!p.is_string()) continue;
          if (method == "SUBSCRIBE") {
            it->second.streams.insert(p.get<std::string>());
          } else {
            it->second.streams.erase(p.get<std::string>());
          }
        }
        answer = Json{{"result", nullptr}, {"id", id}}.dump();
      } else if (valid && method == "LIST_SUBSCRIPTIONS") {
        answer = Json{{"result", it->second.streams}, {"id", id}}.dump();
      } else {
        answer = Json{{"error", {{"code", 2}, {"msg", "Invalid request: " + message}}}, {"id", id}}.dump();
      }
    }
    connection->send(std::move(answer));
  };
  ws.on_close = [state](const std::shared_ptr<net::WebSocketConnection>& connection) {
    std::lock_guard lock(state->mutex);
    state->connections.erase(connection->id());
  };

  auto started = net::HttpServer::start(options, http, ws);
  BALLAST_REQUIRE(started.has_value(), "market-stream mock did not start: " + started.error().to_string());
  server_ = std::move(*started);
}

MarketStreamMock::~MarketStreamMock() {
  if (server_) server_->stop(std::chrono::milliseconds(500));
}

std::string MarketStreamMock::rest_url() const { return fmt::format("http://127.0.0.1:{}", server_->port()); }
std::string MarketStreamMock::stream_url() const { return fmt::format("ws://127.0.0.1:{}", server_->port()); }

void MarketStreamMock::set_snapshot(const std::string& symbol, std::uint64_t last_update_id, std::vector<MockLevel> bids,
                                    std::vector<MockLevel> asks, std::int64_t transaction_time_ms) {
  std::lock_guard lock(state_->mutex);
  state_->snapshots[symbol] = Snapshot{last_update_id, std::move(bids), std::move(asks), transaction_time_ms};
}

void MarketStreamMock::fail_next_depth(unsigned status, int count, int code, std::string msg) {
  std::lock_guard lock(state_->mutex);
  state_->fail_status = status;
  state_->fail_count = count;
  state_->fail_code = code;
  state_->fail_msg = std::move(msg);
}

void MarketStreamMock::set_depth_hook(std::function<void(const std::string&, int)> hook) {
  std::lock_guard lock(state_->mutex);
  state_->depth_hook = std::move(hook);
}

std::size_t MarketStreamMock::depth_requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->depth_targets.size();
}

std::vector<std::string> MarketStreamMock::depth_targets() const {
  std::lock_guard lock(state_->mutex);
  return state_->depth_targets;
}

void MarketStreamMock::set_klines(const std::string& symbol, const std::string& interval,
                                  std::vector<std::pair<std::int64_t, std::string>> rows) {
  std::lock_guard lock(state_->mutex);
  state_->klines[symbol] = Klines{interval, std::move(rows)};
}

std::vector<std::string> MarketStreamMock::kline_targets() const {
  std::lock_guard lock(state_->mutex);
  return state_->kline_targets;
}

std::size_t MarketStreamMock::open_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->connections.size();
}

std::size_t MarketStreamMock::connections_accepted() const {
  std::lock_guard lock(state_->mutex);
  return state_->accepted;
}

bool MarketStreamMock::subscribed(const std::string& stream) const {
  std::lock_guard lock(state_->mutex);
  for (const auto& [id, c] : state_->connections) {
    if (c.streams.count(stream) > 0) return true;
  }
  return false;
}

std::set<std::string> MarketStreamMock::subscriptions() const {
  std::lock_guard lock(state_->mutex);
  std::set<std::string> out;
  for (const auto& [id, c] : state_->connections) out.insert(c.streams.begin(), c.streams.end());
  return out;
}

std::vector<std::string> MarketStreamMock::control_messages() const {
  std::lock_guard lock(state_->mutex);
  return state_->control;
}

std::size_t MarketStreamMock::push(const std::string& stream, const std::string& data) {
  std::vector<std::shared_ptr<net::WebSocketConnection>> targets;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, c] : state_->connections) {
      if (c.streams.count(stream) > 0) targets.push_back(c.ws);
    }
  }
  const std::string text = fmt::format(R"({{"stream":"{}","data":{}}})", stream, data);
  for (auto& t : targets) t->send(text);
  return targets.size();
}

std::size_t MarketStreamMock::push_raw(const std::string& text) {
  std::vector<std::shared_ptr<net::WebSocketConnection>> targets;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, c] : state_->connections) targets.push_back(c.ws);
  }
  for (auto& t : targets) t->send(text);
  return targets.size();
}

void MarketStreamMock::drop_connections() {
  std::vector<std::shared_ptr<net::WebSocketConnection>> targets;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, c] : state_->connections) targets.push_back(c.ws);
    state_->connections.clear();  // no more pushes to them
  }
  for (auto& t : targets) t->close(1001, "going away");
}

std::string MarketStreamMock::depth_update_json(const std::string& symbol, std::uint64_t first_id,
                                                std::uint64_t final_id, std::uint64_t prev_final_id,
                                                const std::vector<MockLevel>& bids, const std::vector<MockLevel>& asks,
                                                std::int64_t event_time_ms) {
  return fmt::format(R"({{"e":"depthUpdate","E":{},"T":{},"s":"{}","U":{},"u":{},"pu":{},"b":{},"a":{}}})",
                     event_time_ms, event_time_ms - 2, symbol, first_id, final_id, prev_final_id,
                     levels_json(bids, bids.size()), levels_json(asks, asks.size()));
}

std::size_t MarketStreamMock::push_depth(const std::string& symbol, std::uint64_t first_id, std::uint64_t final_id,
                                         std::uint64_t prev_final_id, const std::vector<MockLevel>& bids,
                                         const std::vector<MockLevel>& asks, std::int64_t event_time_ms) {
  std::string lower = symbol;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return push(lower + "@depth@100ms",
              depth_update_json(symbol, first_id, final_id, prev_final_id, bids, asks, event_time_ms));
}

}  // namespace ballast::adapters::binance::testing
