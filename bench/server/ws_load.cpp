// ballast_load ws: N WebSocket subscribers; delivery latency per channel (receive time − the message's
// "sent_us", both on this host's system clock), fan-out skew of "prices" bars and ping round trips (see
// load_tool.hpp). Every client runs on its own thread and only ever uses its client from that thread
// (WebSocketClient is not thread-safe), so a probe client sends its ping between two receives.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "ballast/net/websocket_client.hpp"
#include "load_tool.hpp"

namespace ballast::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Arrivals {
  Clock::time_point first;
  Clock::time_point last;
  int clients = 0;
};

struct Shared {
  std::latch connected;                          // every client has connected (or failed) and subscribed
  std::atomic<Clock::rep> window_start{0};       // set by the main thread once `connected` is reached
  std::atomic<Clock::rep> window_end{0};
  std::mutex mutex;
  std::unordered_map<std::string, Arrivals> bars;  // data[0].ts of a "prices" bar -> arrivals in the window
  explicit Shared(std::ptrdiff_t n) : connected(n) {}
};

struct ClientResult {
  bool connected = false;
  long messages = 0;  // every message received inside the window
  long prices = 0;    // "prices" bar messages inside the window
  std::vector<double> pong_ms;
  std::map<std::string, std::vector<double>> delivery_ms;  // channel -> receive time − sent_us
  std::string error;  // connect failure, or a receive error before the window closed
};

std::string ws_url(const LoadOptions& o) {
  std::string url = o.url;
  if (url.rfind("http", 0) == 0) url.replace(0, 4, "ws");  // http -> ws, https -> wss
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/ws?token=" + o.token;
}

void listen(const LoadOptions& o, int index, Shared& shared, ClientResult& out) {
  // Plain ws:// needs no certificate store (loading it costs CPU on every client).
  net::HttpClientOptions options;
  options.verify_tls = o.url.rfind("https://", 0) == 0 || o.url.rfind("wss://", 0) == 0;
  auto client = net::WebSocketClient::connect(ws_url(o), {}, options);
  if (!client) {
    out.error = client.error().to_string();
    shared.connected.count_down();
    return;
  }
  nlohmann::json subscribe{{"op", "subscribe"}, {"channels", o.channels}};
  if (auto sent = (*client)->send(subscribe.dump()); !sent) {
    out.error = sent.error().to_string();
    shared.connected.count_down();
    return;
  }
  out.connected = true;
  shared.connected.count_down();

  const bool probe = index < o.ping_clients;
  const auto ping_every = std::chrono::milliseconds(o.ping_interval_ms);
  const auto receive_timeout = std::chrono::milliseconds(static_cast<long>(o.duration_s * 1000) + 10000);
  Clock::time_point ping_sent{};
  Clock::time_point next_ping{};
  bool ping_outstanding = false;
  for (;;) {
    const Clock::time_point start{Clock::duration(shared.window_start.load())};
    const Clock::time_point end{Clock::duration(shared.window_end.load())};
    const auto now = Clock::now();
    const bool started = shared.window_start.load() != 0 && now >= start;
    if (shared.window_end.load() != 0 && now >= end) break;
    if (probe && started && !ping_outstanding && now >= next_ping) {
      if (!(*client)->send(R"({"op":"ping"})")) break;
      ping_sent = Clock::now();
      next_ping = ping_sent + ping_every;
      ping_outstanding = true;
    }
    auto text = (*client)->receive(receive_timeout);
    const auto received = Clock::now();
    const auto received_wall = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    if (!text) {
      if (shared.window_end.load() == 0 || received < end) out.error = text.error().to_string();
      break;
    }
    const bool in_window = started && (shared.window_end.load() == 0 || received < end);
    auto message = nlohmann::json::parse(*text, nullptr, false);
    if (message.is_discarded()) continue;
    if (message.value("type", "") == "pong") {
      if (ping_outstanding && in_window) out.pong_ms.push_back(std::chrono::duration<double, std::milli>(received - ping_sent).count());
      ping_outstanding = false;
      continue;
    }
    if (!in_window) continue;
    ++out.messages;
    if (message.contains("sent_us") && message["sent_us"].is_number_integer() && message.contains("channel")) {
      const double ms = static_cast<double>(received_wall.count() - message["sent_us"].get<std::int64_t>()) / 1000.0;
      out.delivery_ms[message.value("channel", "")].push_back(ms);
    }
    if (message.value("channel", "") == "prices" && message.value("type", "") == "bars" &&
        message.contains("data") && message["data"].is_array() && !message["data"].empty()) {
      ++out.prices;
      const std::string key = message["data"][0].value("ts", "");
      std::lock_guard lock(shared.mutex);
      Arrivals& a = shared.bars[key];
      if (a.clients++ == 0) a.first = received;
      a.first = std::min(a.first, received);
      a.last = std::max(a.last, received);
    }
  }
  (*client)->close();
}

void print_ms(const char* label, std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  std::printf("%s (n=%zu) ms  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", label, v.size(), quantile(v, 0.5),
              quantile(v, 0.9), quantile(v, 0.99), v.empty() ? 0.0 : v.back());
}

}  // namespace

int run_ws_load(const LoadOptions& o) {
  const auto n = static_cast<std::size_t>(o.clients);
  Shared shared(static_cast<std::ptrdiff_t>(n));
  std::vector<ClientResult> results(n);
  const auto connect_start = Clock::now();
  {
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < n; ++k) {
      threads.emplace_back(listen, std::cref(o), static_cast<int>(k), std::ref(shared), std::ref(results[k]));
    }
    shared.connected.wait();
    const auto connect_s = std::chrono::duration<double>(Clock::now() - connect_start).count();
    std::printf("connect + subscribe of %zu clients: %.2f s\n", n, connect_s);
    // Half a second for the snapshots to drain before counting starts.
    const auto start = Clock::now() + std::chrono::milliseconds(500);
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
    shared.window_end.store(end.time_since_epoch().count());
    shared.window_start.store(start.time_since_epoch().count());
  }

  std::size_t connected = 0;
  std::size_t failed = 0;
  std::string first_error;
  std::vector<double> rates;
  std::vector<double> prices_rates;
  std::vector<double> pongs;
  std::map<std::string, std::vector<double>> delivery;
  for (auto& r : results) {
    for (auto& [channel, v] : r.delivery_ms) delivery[channel].insert(delivery[channel].end(), v.begin(), v.end());
    if (r.connected) ++connected;
    if (!r.error.empty()) {
      ++failed;
      if (first_error.empty()) first_error = r.error;
    }
    if (!r.connected) continue;
    rates.push_back(static_cast<double>(r.messages) / o.duration_s);
    prices_rates.push_back(static_cast<double>(r.prices) / o.duration_s);
    pongs.insert(pongs.end(), r.pong_ms.begin(), r.pong_ms.end());
  }
  std::printf("mode ws  %s/ws  channels", o.url.c_str());
  for (const auto& c : o.channels) std::printf(" %s", c.c_str());
  std::printf("  clients %d  connected %zu  errors %zu%s%s  window %.1f s\n", o.clients, connected, failed,
              first_error.empty() ? "" : "  first: ", first_error.c_str(), o.duration_s);
  std::sort(rates.begin(), rates.end());
  std::sort(prices_rates.begin(), prices_rates.end());
  if (!rates.empty()) {
    std::printf("messages/s per client  min %.1f  median %.1f  max %.1f  (prices bars/s median %.1f)\n", rates.front(),
                quantile(rates, 0.5), rates.back(), quantile(prices_rates, 0.5));
  }
  // Only bars every connected client received inside the window: the skew of a bar seen by some
  // clients just before the window closed would be cut short.
  std::vector<double> skew;
  for (const auto& [ts, a] : shared.bars) {
    if (static_cast<std::size_t>(a.clients) == connected) {
      skew.push_back(std::chrono::duration<double, std::milli>(a.last - a.first).count());
    }
  }
  std::printf("prices bars seen %zu, by every client %zu\n", shared.bars.size(), skew.size());
  std::vector<double> all;
  for (auto& [channel, v] : delivery) {
    all.insert(all.end(), v.begin(), v.end());
    print_ms(("delivery " + channel + " (receive - sent_us)").c_str(), v);
  }
  print_ms("delivery, every channel", all);
  print_ms("fan-out skew (last - first client receiving the same bar)", skew);
  print_ms("ping -> pong round trip", pongs);
  return failed == 0 ? 0 : 1;
}

}  // namespace ballast::bench
