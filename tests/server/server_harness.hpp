#pragma once
// The shared harness of the server integration tests: a ServiceConfig on a temp data dir with a free
// loopback port, users admin/trader/viewer seeded in the store before the first start (the tests know
// their passwords), the real ServerApp, and HTTP helpers (call, json, login, wait_for).
//
// Use it as a member or a base of a fixture:
//   ServerHarness h;  h.config.speed = 50;  ASSERT_NO_FATAL_FAILURE(h.seed_users());  h.start();
//   const auto token = h.login("trader", ServerHarness::kTraderPassword);

#include "ballast/core/clock.hpp"
#include "ballast/net/http_client.hpp"
#include "ballast/persistence/store.hpp"
#include "ballast/server/password_hasher.hpp"
#include "ballast/server/server_app.hpp"
#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace ballast::server::testing {

class ServerHarness {
 public:
  using Json = nlohmann::json;
  static constexpr const char* kAdminPassword = "admin-password-1";
  static constexpr const char* kTraderPassword = "trader-password-1";
  static constexpr const char* kViewerPassword = "viewer-password-1";

  ServerHarness() {
    config.port = 0;
    config.data_dir = dir.path() / "var";
    config.speed = 20.0;  // one 1 s bar every 50 ms of wall time
    config.snapshot_interval = std::chrono::milliseconds(1000);
  }
  ~ServerHarness() { stop(); }
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  // Creates the data dir and the users in the store (SQLite, or `store_url` when set). Call inside
  // ASSERT_NO_FATAL_FAILURE.
  void seed_users(const std::string& store_url = {}, const std::string& schema = {}) {
    std::filesystem::create_directories(config.data_dir);
    persistence::StoreOptions so;
    so.url = store_url.empty() ? effective_database_url(config) : store_url;
    so.schema = schema;
    auto store = persistence::Store::open(so);
    ASSERT_TRUE(store) << store.error().to_string();
    for (const auto& [name, role, password] :
         {std::tuple{"admin", "admin", kAdminPassword}, std::tuple{"trader", "trader", kTraderPassword},
          std::tuple{"viewer", "viewer", kViewerPassword}}) {
      persistence::UserRow u;
      u.name = name;
      u.role = role;
      u.password_hash = hash_password(password, PasswordHashParams{1024, 1, 1}).value();
      u.created = wall.now();
      const auto added = (*store)->add_user(u);
      ASSERT_TRUE(added) << added.error().to_string();
    }
  }

  void start() {
    auto started = ServerApp::start(config, wall);
    ASSERT_TRUE(started) << started.error().to_string();
    app = std::move(*started);
    client = std::make_unique<net::HttpClient>(app->url());
  }

  void stop() {
    if (app) app->stop();
    app.reset();
  }

  net::HttpResponse call(std::string_view method, std::string_view target, const std::string& token = {},
                         const Json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    auto r = client->request(method, target, body.is_null() ? std::string() : body.dump(), headers);
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? *r : net::HttpResponse{};
  }

  static Json json(const net::HttpResponse& r) {
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }

  std::string login(const std::string& user, const std::string& password) {
    const auto r = call("POST", "/api/auth/login", {}, Json{{"username", user}, {"password", password}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return json(r).value("access_token", std::string());
  }

  // Polls `target` until it answers 200 and `done` holds on the body (up to `limit` of wall time).
  Json wait_for(std::string_view target, const std::string& token, const std::function<bool(const Json&)>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    net::HttpResponse last;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      last = call("GET", target, token);
      if (last.status == 200u) {
        const Json j = json(last);
        if (done(j)) return j;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "timed out waiting on " << target << ": " << last.status << " " << last.body;
    return Json::object();
  }

  testkit::TempDir dir;
  core::LiveClock wall;
  ServiceConfig config;
  std::unique_ptr<ServerApp> app;
  std::unique_ptr<net::HttpClient> client;
};

}  // namespace ballast::server::testing
