#include "ballast/net/reconnecting_websocket.hpp"

#include "ballast/net/http_server.hpp"
#include "net/net_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ballast::net {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

// The server side: every connection and every text it received; sends "hello" on open when asked.
struct StreamServer {
  std::mutex mu;
  std::vector<std::shared_ptr<WebSocketConnection>> open;
  std::vector<std::string> received;
  std::vector<std::string> upgrade_targets;
  std::unique_ptr<HttpServer> server;

  void start(std::chrono::seconds ping_interval = std::chrono::seconds(15)) {
    WebSocketHandler ws;
    ws.on_open = [this](std::shared_ptr<WebSocketConnection> connection, const HttpRequest& upgrade) {
      std::lock_guard lock(mu);
      upgrade_targets.push_back(upgrade.target);
      open.push_back(std::move(connection));
    };
    ws.on_message = [this](const std::shared_ptr<WebSocketConnection>&, std::string message) {
      std::lock_guard lock(mu);
      received.push_back(std::move(message));
    };
    ws.on_close = [this](const std::shared_ptr<WebSocketConnection>& connection) {
      std::lock_guard lock(mu);
      std::erase(open, connection);
    };
    HttpServerOptions options;
    options.port = 0;
    options.ws_ping_interval = ping_interval;
    auto started = HttpServer::start(
        std::move(options), [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "{}")); }, std::move(ws));
    ASSERT_TRUE(started.has_value()) << started.error().to_string();
    server = std::move(*started);
  }
  std::string url(const std::string& query = "") const {
    return "ws://127.0.0.1:" + std::to_string(server->port()) + "/ws" + query;
  }
  std::size_t open_count() {
    std::lock_guard lock(mu);
    return open.size();
  }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu);
    return received;
  }
  std::size_t count(const std::string& text) {
    std::lock_guard lock(mu);
    return static_cast<std::size_t>(std::count(received.begin(), received.end(), text));
  }
  void broadcast(const std::string& text) {
    std::lock_guard lock(mu);
    for (const auto& c : open) c->send(text);
  }
  void drop_all() {
    std::vector<std::shared_ptr<WebSocketConnection>> copy;
    {
      std::lock_guard lock(mu);
      copy = open;
    }
    for (const auto& c : copy) c->close(1001, "going away");
  }
};

// What the client side saw.
struct Seen {
  std::mutex mu;
  std::vector<std::string> messages;
  std::vector<std::uint64_t> connections;
  std::vector<std::string> disconnects;

  std::size_t message_count() {
    std::lock_guard lock(mu);
    return messages.size();
  }
  std::size_t disconnect_count() {
    std::lock_guard lock(mu);
    return disconnects.size();
  }
};

ReconnectingWebSocketHandlers record_into(Seen& seen, std::vector<std::string> subscriptions) {
  ReconnectingWebSocketHandlers h;
  h.on_connected = [&seen, subscriptions](std::uint64_t n) {
    std::lock_guard lock(seen.mu);
    seen.connections.push_back(n);
    return subscriptions;
  };
  h.on_message = [&seen](std::string_view message) {
    std::lock_guard lock(seen.mu);
    seen.messages.emplace_back(message);
  };
  h.on_disconnected = [&seen](const core::Error& reason) {
    std::lock_guard lock(seen.mu);
    seen.disconnects.push_back(reason.message());
  };
  return h;
}

ReconnectingWebSocketOptions fast_options(std::string url) {
  ReconnectingWebSocketOptions o;
  o.url = std::move(url);
  o.backoff.initial_backoff = 20ms;
  o.backoff.max_backoff = 100ms;
  o.poll_interval = 10ms;
  o.http.timeout = 2000ms;
  return o;
}

TEST(ReconnectBackoff, GrowsGeometricallyFromTheInitialWaitUpToTheCapAndJitterTakesOffAtMostItsFraction) {
  ReconnectPolicy p;  // 250 ms, ×2, cap 30 s, jitter 0.2
  EXPECT_EQ(reconnect_backoff(p, 1, 0.0), 250ms);   // 250·2^0
  EXPECT_EQ(reconnect_backoff(p, 3, 0.0), 1000ms);  // 250·2^2
  EXPECT_EQ(reconnect_backoff(p, 3, 1.0), 800ms);   // 1000·(1 − 0.2)
  EXPECT_EQ(reconnect_backoff(p, 3, 0.5), 900ms);   // 1000·(1 − 0.1)
  EXPECT_EQ(reconnect_backoff(p, 10, 0.0), 30000ms);  // 250·2^9 = 128 000 → capped at 30 000
  EXPECT_EQ(reconnect_backoff(p, 10, 0.5), 27000ms);  // 30 000·0.9
}

TEST(ReconnectingWebSocketTest, SendsTheSubscriptionsOnConnectAndDeliversServerMessagesInOrder) {
  StreamServer server;
  server.start();
  Seen seen;
  ReconnectingWebSocket stream(fast_options(server.url()), record_into(seen, {"sub:a", "sub:b"}));
  ASSERT_TRUE(stream.start());
  EXPECT_TRUE(stream.connected());
  EXPECT_EQ(stream.connections(), 1u);
  ASSERT_TRUE(eventually([&] { return server.messages().size() == 2; }));
  EXPECT_EQ(server.messages(), (std::vector<std::string>{"sub:a", "sub:b"}));
  server.broadcast("m1");
  server.broadcast("m2");
  server.broadcast("m3");
  ASSERT_TRUE(eventually([&] { return seen.message_count() == 3; }));
  std::lock_guard lock(seen.mu);
  EXPECT_EQ(seen.messages, (std::vector<std::string>{"m1", "m2", "m3"}));
}

TEST(ReconnectingWebSocketTest, ReconnectsAfterTheServerDropsItAndResubscribes) {
  StreamServer server;
  server.start();
  Seen seen;
  ReconnectingWebSocket stream(fast_options(server.url()), record_into(seen, {"sub:trades"}));
  ASSERT_TRUE(stream.start());
  ASSERT_TRUE(eventually([&] { return server.count("sub:trades") == 1; }));
  server.drop_all();
  ASSERT_TRUE(eventually([&] { return server.count("sub:trades") == 2; }));
  EXPECT_EQ(stream.connections(), 2u);
  EXPECT_GE(seen.disconnect_count(), 1u);
  {
    std::lock_guard lock(seen.mu);
    EXPECT_EQ(seen.connections, (std::vector<std::uint64_t>{1, 2}));
  }
  // Messages flow on the new connection.
  ASSERT_TRUE(eventually([&] { return stream.connected(); }));
  server.broadcast("after");
  ASSERT_TRUE(eventually([&] { return seen.message_count() == 1; }));
}

TEST(ReconnectingWebSocketTest, SendFromAnotherThreadReachesTheServerAndIsRefusedWhenStopped) {
  StreamServer server;
  server.start();
  Seen seen;
  ReconnectingWebSocket stream(fast_options(server.url()), record_into(seen, {}));
  ASSERT_TRUE(stream.start());
  std::thread other([&] { EXPECT_TRUE(stream.send("from-other-thread")); });
  other.join();
  ASSERT_TRUE(eventually([&] { return server.count("from-other-thread") == 1; }));
  stream.stop();
  EXPECT_FALSE(stream.connected());
  EXPECT_FALSE(stream.send("late"));
}

TEST(ReconnectingWebSocketTest, SendsTheHeartbeatRepeatedlyWhileConnected) {
  StreamServer server;
  server.start();
  Seen seen;
  auto options = fast_options(server.url());
  options.heartbeat_interval = 30ms;
  options.heartbeat_message = R"({"method":"ping"})";
  ReconnectingWebSocket stream(options, record_into(seen, {}));
  ASSERT_TRUE(stream.start());
  ASSERT_TRUE(eventually([&] { return server.count(R"({"method":"ping"})") >= 3; }));
  EXPECT_EQ(stream.connections(), 1u);  // heartbeats alone do not reconnect
}

TEST(ReconnectingWebSocketTest, ASilentConnectionIsTakenAsDeadAfterTheIdleTimeoutAndReopened) {
  StreamServer server;
  server.start();
  Seen seen;
  auto options = fast_options(server.url());
  options.idle_timeout = 150ms;
  ReconnectingWebSocket stream(options, record_into(seen, {"sub"}));
  ASSERT_TRUE(stream.start());
  ASSERT_TRUE(eventually([&] { return stream.connections() >= 2; }));
  std::lock_guard lock(seen.mu);
  ASSERT_FALSE(seen.disconnects.empty());
  EXPECT_NE(seen.disconnects.front().find("no message for 150 ms"), std::string::npos) << seen.disconnects.front();
}

TEST(ReconnectingWebSocketTest, TheServersPingsKeepAQuietConnectionAlive) {
  StreamServer server;
  server.start(std::chrono::seconds(1));  // a ping every second, no data at all
  Seen seen;
  auto options = fast_options(server.url());
  options.idle_timeout = 1800ms;
  ReconnectingWebSocket stream(options, record_into(seen, {}));
  ASSERT_TRUE(stream.start());
  std::this_thread::sleep_for(4500ms);  // 2.5 idle timeouts without a message
  EXPECT_EQ(stream.connections(), 1u);
  EXPECT_EQ(seen.disconnect_count(), 0u);
  EXPECT_TRUE(stream.connected());
}

TEST(ReconnectingWebSocketTest, ReconnectOnRequestOpensANewConnectionWithTheUrlOfTheProvider) {
  StreamServer server;
  server.start();
  Seen seen;
  auto handlers = record_into(seen, {});
  std::atomic<int> key{1};
  handlers.url_provider = [&] { return server.url("?key=" + std::to_string(key.load())); };
  ReconnectingWebSocket stream(fast_options("ws://unused.invalid/"), handlers);
  ASSERT_TRUE(stream.start());
  key = 2;
  stream.reconnect();
  ASSERT_TRUE(eventually([&] { return stream.connections() == 2 && stream.connected(); }));
  std::lock_guard lock(server.mu);
  ASSERT_EQ(server.upgrade_targets.size(), 2u);
  EXPECT_EQ(server.upgrade_targets[0], "/ws?key=1");
  EXPECT_EQ(server.upgrade_targets[1], "/ws?key=2");
}

TEST(ReconnectingWebSocketTest, StartFailsWithTheConnectErrorWhenNothingListens) {
  StreamServer server;
  server.start();
  const std::string url = server.url();
  server.server->stop();  // the port is closed now
  Seen seen;
  ReconnectingWebSocket stream(fast_options(url), record_into(seen, {}));
  const auto started = stream.start(2000ms);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message().find("WebSocket connect failed"), std::string::npos) << started.error().message();
  EXPECT_FALSE(stream.connected());
  EXPECT_EQ(stream.connections(), 0u);
}

}  // namespace
}  // namespace ballast::net
