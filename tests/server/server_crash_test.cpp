// Restart safety of the real `ballast serve` process: SIGKILL during a burst of orders, then check that
// every order the API acknowledged (201) is in the store, and that the server starts again on the same
// data directory with the orders, the HALTED state and the login intact.

#include "ballast/net/http_client.hpp"
#include "ballast/persistence/store.hpp"
#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace ballast::server {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

// A `ballast serve` child process on a free port with its own data directory.
class ServeProcess {
 public:
  explicit ServeProcess(const std::filesystem::path& dir) : dir_(dir) {}
  ~ServeProcess() { kill_now(); }

  // Starts the binary and waits for the "serving on" line; returns the base URL.
  std::string start() {
    const std::filesystem::path out = dir_ / ("stdout-" + std::to_string(++starts_) + ".txt");
    pid_ = fork();
    if (pid_ == 0) {
      const std::string data = (dir_ / "var").string();
      std::FILE* f = std::freopen(out.c_str(), "w", stdout);
      (void)f;
      (void)std::freopen((dir_ / "stderr.txt").c_str(), "a", stderr);
      ::execl(BALLAST_BIN_PATH, BALLAST_BIN_PATH, "serve", "--port", "0", "--data-dir", data.c_str(), nullptr);
      std::_Exit(127);
    }
    // (No <regex>: g++ 12 reports false maybe-uninitialized warnings inside it under the sanitizers.)
    constexpr std::string_view kServing = "serving on ";
    for (int i = 0; i < 400; ++i) {
      std::ifstream in(out);
      std::stringstream text;
      text << in.rdbuf();
      const std::string s = text.str();
      const std::size_t at = s.find(kServing);
      const std::size_t end = at == std::string::npos ? at : s.find_first_of(" \n", at + kServing.size());
      if (end != std::string::npos) return s.substr(at + kServing.size(), end - at - kServing.size());
      std::this_thread::sleep_for(25ms);
    }
    ADD_FAILURE() << "the server did not report its URL";
    return {};
  }

  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // SIGTERM and wait: a graceful stop.
  int terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_{-1};
  int starts_{0};
};

std::string login(const std::string& url, const std::filesystem::path& data_dir) {
  std::ifstream in(data_dir / "initial-admin-password");
  std::string password;
  std::getline(in, password);
  net::HttpClient client(url);
  auto r = client.request("POST", "/api/auth/login", Json{{"username", "admin"}, {"password", password}}.dump());
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : r.error().to_string());
  return r ? Json::parse(r->body).value("access_token", "") : std::string();
}

TEST(ServeProcess, EveryAcknowledgedOrderSurvivesAKillDuringABurst) {
  testkit::TempDir dir;
  ServeProcess serve(dir.path());
  const std::string url = serve.start();
  ASSERT_FALSE(url.empty());
  const std::string token = login(url, dir.path() / "var");
  ASSERT_FALSE(token.empty());
  {  // Wait for a mark so orders pass the price checks.
    net::HttpClient client(url);
    for (int i = 0; i < 200; ++i) {
      auto s = client.request("GET", "/api/status", {}, {{"Authorization", "Bearer " + token}});
      if (s && Json::parse(s->body).value("bars", 0) >= 1) break;
      std::this_thread::sleep_for(50ms);
    }
  }

  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::string refused;  // the first answer that was not 201, for the failure message
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      net::HttpClient client(url);
      // Resting limits far below the market (notional 300 and 150 USDT, above the minimums): each is a new
      // order, none fills.
      const std::string body = Json{{"symbol", t % 2 == 0 ? "BTCUSDT" : "ETHUSDT"},
                                    {"side", "BUY"},
                                    {"type", "LIMIT"},
                                    {"quantity", t % 2 == 0 ? "0.010" : "0.100"},
                                    {"price", t % 2 == 0 ? "30000" : "1500"}}
                                   .dump();
      while (!stop.load()) {
        auto r = client.request("POST", "/api/orders", body, {{"Authorization", "Bearer " + token}});
        if (!r) break;  // the server is gone
        std::lock_guard lock(mutex);
        if (r->status == 201) {
          acknowledged.push_back(Json::parse(r->body)["id"].get<std::string>());
        } else if (refused.empty()) {
          refused = std::to_string(r->status) + " " + r->body;
        }
      }
    });
  }
  // Kill once a good number of orders has been acknowledged, in the middle of the burst.
  for (int i = 0; i < 400; ++i) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 40) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  serve.kill_now();
  stop = true;
  for (auto& s : senders) s.join();
  ASSERT_GE(acknowledged.size(), 10u) << "too few orders were acknowledged before the kill; first refusal: " << refused;

  {  // Straight from the store: every acknowledged order is there.
    auto store = persistence::Store::open(persistence::StoreOptions{(dir.path() / "var" / "ballast.db").string()});
    ASSERT_TRUE(store) << store.error().to_string();
    for (const auto& id : acknowledged) {
      auto row = (*store)->find_order(id);
      ASSERT_TRUE(row) << row.error().to_string();
      EXPECT_TRUE(row->has_value()) << "acknowledged order " << id << " is not in the store";
    }
  }

  // The server starts again on the same data and shows the orders (canceled: the paper venue restarted).
  const std::string again = serve.start();
  ASSERT_FALSE(again.empty());
  const std::string token2 = login(again, dir.path() / "var");
  net::HttpClient client(again);
  auto first = client.request("GET", "/api/orders/" + acknowledged.front(), {}, {{"Authorization", "Bearer " + token2}});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200u) << first->body;
  EXPECT_EQ(Json::parse(first->body)["status"], "CANCELED");
  EXPECT_EQ(serve.terminate(), 0);  // SIGTERM: a clean exit
}

}  // namespace
}  // namespace ballast::server
