#include "ballast/net/websocket_client.hpp"

#include "ballast/net/http_server.hpp"
#include "net/net_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ballast::net {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

// Records the server-side callbacks and keeps the open connections.
struct Recorder {
  std::mutex mu;
  std::vector<std::shared_ptr<WebSocketConnection>> open;
  std::map<std::uint64_t, int> closes;  // connection id -> on_close calls
  std::vector<std::string> messages;
  std::string last_upgrade_token;

  std::shared_ptr<WebSocketConnection> first() {
    std::lock_guard lock(mu);
    return open.empty() ? nullptr : open.front();
  }
  std::size_t open_count() {
    std::lock_guard lock(mu);
    return open.size();
  }
  int total_closes() {
    std::lock_guard lock(mu);
    int total = 0;
    for (const auto& [id, n] : closes) total += n;
    return total;
  }
};

// Accepts "?token=good" or "Authorization: Bearer good"; echoes every message back as "echo:<text>".
WebSocketHandler echo_handler(Recorder& rec) {
  WebSocketHandler ws;
  ws.authorize = [](const HttpRequest& upgrade) -> std::optional<HttpResponse> {
    if (upgrade.query_param("token").value_or("") == "good") return std::nullopt;
    if (upgrade.header("Authorization").value_or("") == "Bearer good") return std::nullopt;
    return HttpResponse::error(401, "UNAUTHORIZED", "missing or invalid token");
  };
  ws.on_open = [&rec](std::shared_ptr<WebSocketConnection> connection, const HttpRequest& upgrade) {
    std::lock_guard lock(rec.mu);
    rec.last_upgrade_token = std::string(upgrade.query_param("token").value_or(""));
    rec.open.push_back(std::move(connection));
  };
  ws.on_message = [&rec](const std::shared_ptr<WebSocketConnection>& connection, std::string message) {
    {
      std::lock_guard lock(rec.mu);
      rec.messages.push_back(message);
    }
    connection->send("echo:" + message);
  };
  ws.on_close = [&rec](const std::shared_ptr<WebSocketConnection>& connection) {
    std::lock_guard lock(rec.mu);
    ++rec.closes[connection->id()];
  };
  return ws;
}

class WebSocket : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    options.port = 0;
    auto server = HttpServer::start(
        std::move(options), [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "{}")); },
        echo_handler(rec_));
    ASSERT_TRUE(server.has_value()) << server.error().to_string();
    server_ = std::move(*server);
  }
  std::string url(const std::string& query = "?token=good") const {
    return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/ws" + query;
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  Recorder rec_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WebSocket, RejectsAnUpgradeTheAuthorizeHookRefuses) {
  start();
  const auto client = WebSocketClient::connect(url("?token=bad"));
  ASSERT_FALSE(client.has_value());
  EXPECT_NE(client.error().message().find("401"), std::string::npos) << client.error().message();
  EXPECT_EQ(rec_.open_count(), 0u);
  EXPECT_EQ(server_->websocket_clients(), 0u);
}

TEST_F(WebSocket, AcceptsATokenInTheQueryOrAnAuthorizationHeader) {
  start();
  auto by_query = WebSocketClient::connect(url());
  ASSERT_TRUE(by_query.has_value()) << by_query.error().to_string();
  auto by_header = WebSocketClient::connect(url(""), {{"Authorization", "Bearer good"}});
  ASSERT_TRUE(by_header.has_value()) << by_header.error().to_string();
  EXPECT_TRUE(eventually([&] { return server_->websocket_clients() == 2; }));
  EXPECT_TRUE(eventually([&] { return rec_.open_count() == 2; }));
}

TEST_F(WebSocket, AnswersAPlainRequestToAnotherPathOverHttp) {
  start();
  const auto client = WebSocketClient::connect("ws://127.0.0.1:" + std::to_string(server_->port()) + "/other?token=good");
  ASSERT_FALSE(client.has_value());
  EXPECT_NE(client.error().message().find("404"), std::string::npos) << client.error().message();
}

TEST_F(WebSocket, EchoesMessagesThroughOnMessage) {
  start();
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE((*client)->send("hello"));
  ASSERT_TRUE((*client)->send("{\"op\":\"subscribe\"}"));
  const auto first = (*client)->receive(5000ms);
  ASSERT_TRUE(first.has_value()) << first.error().to_string();
  EXPECT_EQ(*first, "echo:hello");
  EXPECT_EQ((*client)->receive(5000ms).value(), "echo:{\"op\":\"subscribe\"}");
}

TEST_F(WebSocket, PushesServerMessagesToTheClientInOrder) {
  start();
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE(eventually([&] { return rec_.first() != nullptr; }));
  const auto connection = rec_.first();
  EXPECT_TRUE(connection->is_open());
  EXPECT_EQ(connection->remote_address().rfind("127.0.0.1:", 0), 0u);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(connection->send("tick " + std::to_string(i)));
  for (int i = 0; i < 20; ++i) EXPECT_EQ((*client)->receive(5000ms).value(), "tick " + std::to_string(i));
}

TEST_F(WebSocket, ReportsATimeoutWhenNothingArrivesAndStaysUsable) {
  start();
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  EXPECT_FALSE((*client)->receive(50ms).has_value());
  ASSERT_TRUE((*client)->send("still here"));
  EXPECT_EQ((*client)->receive(5000ms).value(), "echo:still here");
}

TEST_F(WebSocket, CallsOnCloseOnceWhenTheClientCloses) {
  start();
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE(eventually([&] { return server_->websocket_clients() == 1; }));
  (*client)->close();
  EXPECT_TRUE(eventually([&] { return server_->websocket_clients() == 0; }));
  EXPECT_TRUE(eventually([&] { return rec_.total_closes() == 1; }));
  const auto connection = rec_.first();
  ASSERT_TRUE(connection);
  EXPECT_FALSE(connection->is_open());
  EXPECT_FALSE(connection->send("after close"));
  server_->stop();
  std::lock_guard lock(rec_.mu);
  EXPECT_EQ(rec_.closes[connection->id()], 1);
}

TEST_F(WebSocket, ServerCloseReachesTheClientWithItsCode) {
  start();
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE(eventually([&] { return rec_.first() != nullptr; }));
  rec_.first()->close(4000, "bye");
  const auto received = (*client)->receive(5000ms);
  ASSERT_FALSE(received.has_value());
  EXPECT_NE(received.error().message().find("4000"), std::string::npos) << received.error().message();
  EXPECT_TRUE(eventually([&] { return rec_.total_closes() == 1; }));
}

TEST_F(WebSocket, DisconnectsASlowConsumerWhenItsQueueOverflows) {
  HttpServerOptions options;
  options.ws_max_queued_messages = 4;
  start(options);
  auto client = WebSocketClient::connect(url());  // never reads
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE(eventually([&] { return rec_.first() != nullptr; }));
  const auto connection = rec_.first();
  const std::string big(256 * 1024, 'x');
  bool refused = false;
  // Socket buffers absorb a few MB; 1000 x 256 KiB cannot all fit, so the queue must overflow.
  for (int i = 0; i < 1000 && !refused; ++i) refused = !connection->send(big);
  EXPECT_TRUE(refused);
  EXPECT_FALSE(connection->is_open());
  EXPECT_TRUE(eventually([&] { return rec_.total_closes() == 1; }));
  EXPECT_TRUE(eventually([&] { return server_->websocket_clients() == 0; }));
}

TEST_F(WebSocket, DropsAClientThatLeavesTwoPingsUnanswered) {
  HttpServerOptions options;
  options.ws_ping_interval = 1s;
  start(options);
  // The blocking client answers pings only inside receive(); this one never calls it.
  auto client = WebSocketClient::connect(url());
  ASSERT_TRUE(client.has_value()) << client.error().to_string();
  ASSERT_TRUE(eventually([&] { return server_->websocket_clients() == 1; }));
  EXPECT_TRUE(eventually([&] { return server_->websocket_clients() == 0; }, 15000ms));
  EXPECT_TRUE(eventually([&] { return rec_.total_closes() == 1; }));
}

TEST_F(WebSocket, CountsClientsAndClosesThemWhenTheServerStops) {
  start();
  auto a = WebSocketClient::connect(url());
  auto b = WebSocketClient::connect(url());
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(eventually([&] { return server_->websocket_clients() == 2; }));
  server_->stop(100ms);
  EXPECT_EQ(server_->websocket_clients(), 0u);
  EXPECT_EQ(rec_.total_closes(), 2);
  const auto received = (*a)->receive(5000ms);
  ASSERT_FALSE(received.has_value());
}

}  // namespace
}  // namespace ballast::net
