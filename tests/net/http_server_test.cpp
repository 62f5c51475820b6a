#include "ballast/net/http_server.hpp"

#include "ballast/net/http_client.hpp"
#include "ballast/net/router.hpp"
#include "net/net_test_support.hpp"
#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ballast::net {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::raw_exchange;

std::unique_ptr<HttpServer> start_server(HttpServerOptions options, HttpHandler handler, WebSocketHandler ws = {}) {
  options.port = 0;
  auto server = HttpServer::start(std::move(options), std::move(handler), std::move(ws));
  EXPECT_TRUE(server.has_value()) << (server ? "" : server.error().to_string());
  return server ? std::move(*server) : nullptr;
}

std::string base_url(const HttpServer& server) { return "http://127.0.0.1:" + std::to_string(server.port()); }

// Echoes what the server made of the request, as JSON.
void echo(HttpRequest&& request, Responder respond) {
  nlohmann::json body;
  body["method"] = request.method;
  body["path"] = request.path;
  body["target"] = request.target;
  body["body"] = request.body;
  body["remote"] = request.remote_address;
  for (const auto& [key, value] : request.query) body["query"].push_back({key, value});
  body["x_test"] = std::string(request.header("x-test").value_or(""));
  respond(HttpResponse::json(200, body.dump()));
}

TEST(HttpServer, AnswersGetWithDecodedPathAndQuery) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto response = client.request("GET", "/api/a%20b?x=1&y=two%20words", {}, {{"X-Test", "hello"}});
  ASSERT_TRUE(response.has_value()) << response.error().to_string();
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->content_type, "application/json");
  const auto body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["path"], "/api/a b");
  EXPECT_EQ(body["target"], "/api/a%20b?x=1&y=two%20words");
  EXPECT_EQ(body["query"][1][1], "two words");
  EXPECT_EQ(body["x_test"], "hello");
  EXPECT_EQ(body["remote"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
}

TEST(HttpServer, PassesThePostBodyToTheHandler) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto response = client.request("POST", "/api/orders", R"({"qty":"1.5"})");
  ASSERT_TRUE(response.has_value()) << response.error().to_string();
  EXPECT_EQ(nlohmann::json::parse(response->body)["body"], R"({"qty":"1.5"})");
  EXPECT_EQ(nlohmann::json::parse(response->body)["method"], "POST");
}

TEST(HttpServer, DispatchesThroughARouter) {
  auto router = std::make_shared<Router>();
  router->add("GET", "/api/instruments/{id}", [](HttpRequest&& request, Responder respond) {
    respond(HttpResponse::json(200, "\"" + request.path_params.at("id") + "\""));
  });
  auto server = start_server({}, [router](HttpRequest&& r, Responder respond) { router->dispatch(std::move(r), respond); });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  EXPECT_EQ(client.request("GET", "/api/instruments/BTC-PERP").value().body, "\"BTC-PERP\"");
  EXPECT_EQ(client.request("GET", "/api/unknown").value().status, 404u);
  const auto not_allowed = client.request("PUT", "/api/instruments/x");
  EXPECT_EQ(not_allowed.value().status, 405u);
  EXPECT_EQ(not_allowed.value().header("allow").value_or(""), "GET");
}

TEST(HttpServer, DeliversAResponseGivenFromAnotherThreadLater) {
  std::mutex mu;
  std::vector<std::thread> workers;
  auto server = start_server({}, [&](HttpRequest&& request, Responder respond) {
    std::lock_guard lock(mu);
    workers.emplace_back([respond, path = request.path] {
      std::this_thread::sleep_for(50ms);
      respond(HttpResponse::json(202, "{\"late\":\"" + path + "\"}"));
    });
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto response = client.request("GET", "/api/slow");
  ASSERT_TRUE(response.has_value()) << response.error().to_string();
  EXPECT_EQ(response->status, 202u);
  EXPECT_EQ(response->body, R"({"late":"/api/slow"})");
  std::lock_guard lock(mu);
  for (auto& worker : workers) worker.join();
}

TEST(HttpServer, IgnoresASecondCallOfTheResponder) {
  auto server = start_server({}, [](HttpRequest&&, Responder respond) {
    respond(HttpResponse::json(200, "\"first\""));
    respond(HttpResponse::json(500, "\"second\""));
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  EXPECT_EQ(client.request("GET", "/x").value().body, "\"first\"");
  EXPECT_EQ(client.request("GET", "/y").value().body, "\"first\"");
}

TEST(HttpServer, AnswersInternalErrorWhenTheHandlerThrowsOrDropsTheResponder) {
  auto server = start_server({}, [](HttpRequest&& request, Responder) {
    if (request.path == "/throw") throw std::runtime_error("boom");
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  EXPECT_EQ(client.request("GET", "/throw").value().status, 500u);
  EXPECT_EQ(client.request("GET", "/drop").value().status, 500u);
  // The server counts the request done once its write completes, which may be after the client read it.
  EXPECT_TRUE(eventually([&] { return server->in_flight_requests() == 0; }));
}

TEST(HttpServer, RejectsATooLargeBodyWith413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  std::atomic<int> calls{0};
  auto server = start_server(options, [&](HttpRequest&&, Responder respond) {
    ++calls;
    respond(HttpResponse::json(200, "{}"));
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto response = client.request("POST", "/api/upload", std::string(64 * 1024, 'x'));
  ASSERT_TRUE(response.has_value()) << response.error().to_string();
  EXPECT_EQ(response->status, 413u);
  EXPECT_EQ(nlohmann::json::parse(response->body)["error"]["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(calls.load(), 0);
  // The client reconnects after the server closed the connection.
  EXPECT_EQ(client.request("POST", "/api/upload", std::string(100, 'x')).value().status, 200u);
}

TEST(HttpServer, Answers400ToAMalformedRequest) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  const auto reply = raw_exchange(server->port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("BAD_REQUEST"), std::string::npos);
}

TEST(HttpServer, AddsDefaultHeadersToEveryResponseIncludingErrors) {
  HttpServerOptions options;
  options.default_headers = {{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}};
  options.max_body_bytes = 10;
  auto server = start_server(options, [](HttpRequest&&, Responder respond) {
    respond(HttpResponse::error(404, "NOT_FOUND", "nothing"));
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto not_found = client.request("GET", "/x");
  EXPECT_EQ(not_found.value().status, 404u);
  EXPECT_EQ(not_found.value().header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(not_found.value().header("X-Frame-Options").value_or(""), "DENY");
  const auto too_large = client.request("POST", "/x", std::string(100, 'x'));
  EXPECT_EQ(too_large.value().status, 413u);
  EXPECT_EQ(too_large.value().header("X-Frame-Options").value_or(""), "DENY");
}

TEST(HttpServer, SetsAnExactContentLength) {
  auto server = start_server({}, [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "[1,2,3]")); });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  EXPECT_EQ(client.request("GET", "/").value().header("Content-Length").value_or(""), "7");
}

// The server writes the status line and headers itself (http_server.cpp, write_response); the expected
// bytes follow RFC 9112 (status-line, field lines, CRLF) with the reason phrases of RFC 9110 §15.
TEST(HttpServer, WritesTheStatusLineAndHeadersAsHttp11) {
  HttpServerOptions options;
  options.default_headers = {{"X-Frame-Options", "DENY"}, {"Content-Security-Policy", "default-src 'self'"}};
  auto server = start_server(options, [](HttpRequest&&, Responder respond) {
    HttpResponse response = HttpResponse::json(201, R"({"id":"O-1"})");
    response.headers.emplace_back("content-security-policy", "sandbox");  // the handler's own wins
    response.headers.emplace_back("X-Extra", "1");
    respond(std::move(response));
  });
  ASSERT_TRUE(server);
  const auto reply = raw_exchange(server->port(), "POST /api/orders HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply,
            "HTTP/1.1 201 Created\r\n"
            "Server: ballast\r\n"
            "X-Frame-Options: DENY\r\n"
            "content-security-policy: sandbox\r\n"
            "X-Extra: 1\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 12\r\n"
            "Connection: close\r\n"
            "\r\n"
            R"({"id":"O-1"})");
}

TEST(HttpServer, Sends204WithoutBodyOrContentLength) {
  auto server = start_server({}, [](HttpRequest&&, Responder respond) {
    HttpResponse response = HttpResponse::json(204, "dropped");
    respond(std::move(response));
  });
  ASSERT_TRUE(server);
  const auto reply = raw_exchange(server->port(), "DELETE /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply, "HTTP/1.1 204 No Content\r\nServer: ballast\r\nConnection: close\r\n\r\n");
}

TEST(HttpServer, AnswersHttp10AndKeepsTheConnectionOnlyWhenAsked) {
  auto server = start_server({}, [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "{}")); });
  ASSERT_TRUE(server);
  // HTTP/1.0 closes after the answer unless the client asked for keep-alive.
  const auto plain = raw_exchange(server->port(), "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(plain, "HTTP/1.0 200 OK\r\nServer: ballast\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  // Asked for keep-alive, the answer says so; the second request (HTTP/1.0 without it) ends the connection.
  const auto kept = raw_exchange(server->port(),
                                 "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n");
  const std::string first =
      "HTTP/1.0 200 OK\r\nServer: ballast\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
      "Connection: keep-alive\r\n\r\n{}";
  EXPECT_EQ(kept, first + plain);
}

TEST(HttpServer, AnswersCorsPreflightForAnAllowedOrigin) {
  HttpServerOptions options;
  options.cors_origins = {"http://localhost:5173"};
  std::atomic<int> calls{0};
  auto server = start_server(options, [&](HttpRequest&&, Responder respond) {
    ++calls;
    respond(HttpResponse::json(200, "{}"));
  });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto preflight = client.request("OPTIONS", "/api/orders", {},
                                        {{"Origin", "http://localhost:5173"},
                                         {"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(preflight.has_value()) << preflight.error().to_string();
  EXPECT_EQ(preflight->status, 204u);
  EXPECT_EQ(preflight->header("Access-Control-Allow-Origin").value_or(""), "http://localhost:5173");
  EXPECT_NE(preflight->header("Access-Control-Allow-Methods").value_or("").find("POST"), std::string::npos);
  EXPECT_EQ(preflight->header("Access-Control-Allow-Headers").value_or(""), "authorization, content-type");
  EXPECT_EQ(calls.load(), 0);

  const auto actual = client.request("GET", "/api/orders", {}, {{"Origin", "http://localhost:5173"}});
  EXPECT_EQ(actual.value().header("Access-Control-Allow-Origin").value_or(""), "http://localhost:5173");
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServer, GivesNoCorsHeadersToADisallowedOrigin) {
  HttpServerOptions options;
  options.cors_origins = {"http://localhost:5173"};
  auto server = start_server(options, [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "{}")); });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto preflight = client.request("OPTIONS", "/api/orders", {},
                                        {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.value().status, 403u);
  EXPECT_FALSE(preflight.value().header("Access-Control-Allow-Origin").has_value());
  const auto actual = client.request("GET", "/api/orders", {}, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(actual.value().status, 200u);
  EXPECT_FALSE(actual.value().header("Access-Control-Allow-Origin").has_value());
}

TEST(HttpServer, AllowsAnyOriginWithWildcard) {
  HttpServerOptions options;
  options.cors_origins = {"*"};
  auto server = start_server(options, [](HttpRequest&&, Responder respond) { respond(HttpResponse::json(200, "{}")); });
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto actual = client.request("GET", "/", {}, {{"Origin", "http://anything.example"}});
  EXPECT_EQ(actual.value().header("Access-Control-Allow-Origin").value_or(""), "*");
}

TEST(HttpServer, KeepsTheConnectionAliveAcrossRequests) {
  auto server = start_server({}, echo);
  ASSERT_TRUE(server);
  HttpClient client(base_url(*server));
  const auto first = client.request("GET", "/one");
  const auto second = client.request("GET", "/two");
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(nlohmann::json::parse(second->body)["path"], "/two");
  EXPECT_EQ(nlohmann::json::parse(first->body)["remote"], nlohmann::json::parse(second->body)["remote"]);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpServer, StopLetsAnInFlightRequestFinish) {
  std::promise<void> arrived;
  std::thread worker;
  auto server = start_server({}, [&](HttpRequest&&, Responder respond) {
    arrived.set_value();
    worker = std::thread([respond] {
      std::this_thread::sleep_for(200ms);
      respond(HttpResponse::json(200, "\"done\""));
    });
  });
  ASSERT_TRUE(server);
  const std::string url = base_url(*server);
  auto pending = std::async(std::launch::async, [url] { return HttpClient(url).request("GET", "/slow"); });
  arrived.get_future().wait();
  EXPECT_EQ(server->in_flight_requests(), 1u);
  server->stop(5000ms);
  EXPECT_EQ(server->in_flight_requests(), 0u);
  const auto response = pending.get();
  ASSERT_TRUE(response.has_value()) << response.error().to_string();
  EXPECT_EQ(response->body, "\"done\"");
  worker.join();
  // New connections are refused once stopped; a second stop is harmless.
  HttpClientOptions quick;
  quick.timeout = 2000ms;
  EXPECT_FALSE(HttpClient(url, quick).request("GET", "/").has_value());
  server->stop();
}

TEST(HttpServer, FailsToStartOnAPortInUse) {
  auto first = start_server({}, echo);
  ASSERT_TRUE(first);
  HttpServerOptions options;
  options.port = first->port();
  const auto second = HttpServer::start(options, echo, {});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), core::ErrorCode::IoError);
}

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "www";
    std::filesystem::create_directories(root_ / "assets");
    write(root_ / "index.html", "<html>app</html>");
    write(root_ / "assets" / "app-1234.js", "console.log(1)");
    write(root_ / "assets" / "style.css", "body{}");
    write(root_ / "logo.svg", "<svg/>");
    write(dir_.path() / "secret.txt", "top secret");
    HttpServerOptions options;
    options.static_root = root_;
    server_ = start_server(options, [](HttpRequest&& request, Responder respond) {
      respond(HttpResponse::json(200, "{\"api\":\"" + request.path + "\"}"));
    });
    ASSERT_TRUE(server_);
    client_ = std::make_unique<HttpClient>(base_url(*server_));
  }

  static void write(const std::filesystem::path& file, const std::string& text) { std::ofstream(file) << text; }

  HttpResponse get(const std::string& target) {
    auto response = client_->request("GET", target);
    EXPECT_TRUE(response.has_value()) << target;
    return response ? std::move(*response) : HttpResponse{};
  }

  testkit::TempDir dir_;
  std::filesystem::path root_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(StaticFiles, ServesFilesWithContentTypeAndLongCacheForAssets) {
  const auto js = get("/assets/app-1234.js");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/assets/style.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(get("/logo.svg").content_type, "image/svg+xml");
}

TEST_F(StaticFiles, ServesIndexWithoutCaching) {
  const auto index = get("/");
  EXPECT_EQ(index.body, "<html>app</html>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.header("Cache-Control").value_or(""), "no-cache");
}

TEST_F(StaticFiles, FallsBackToIndexForUnknownAppPaths) {
  const auto spa = get("/positions/BTC-PERP");
  EXPECT_EQ(spa.status, 200u);
  EXPECT_EQ(spa.body, "<html>app</html>");
  EXPECT_EQ(spa.header("Cache-Control").value_or(""), "no-cache");
  EXPECT_EQ(get("/assets/missing.js").status, 404u);
}

TEST_F(StaticFiles, LeavesApiPathsToTheHandler) {
  EXPECT_EQ(get("/api/health").body, "{\"api\":\"/api/health\"}");
  EXPECT_EQ(get("/metrics").body, "{\"api\":\"/metrics\"}");
}

TEST_F(StaticFiles, NeverServesFilesOutsideTheRoot) {
  for (const std::string target : {"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
                                   "/../etc/passwd", "/../../../../../../etc/passwd"}) {
    const auto response = get(target);
    EXPECT_EQ(response.body.find("top secret"), std::string::npos) << target;
    EXPECT_EQ(response.body.find("root:"), std::string::npos) << target;
    EXPECT_EQ(response.status, 404u) << target;
  }
}

TEST_F(StaticFiles, RefusesSymlinksLeadingOutOfTheRoot) {
  std::error_code ec;
  std::filesystem::create_symlink(dir_.path() / "secret.txt", root_ / "link.txt", ec);
  ASSERT_FALSE(ec) << ec.message();
  const auto response = get("/link.txt");
  EXPECT_EQ(response.body.find("top secret"), std::string::npos);
}

}  // namespace
}  // namespace ballast::net
