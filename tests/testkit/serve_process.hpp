#pragma once
// The real `ballast serve` as a child process for end-to-end tests: started with a test's ballast.toml and
// extra environment, its stdout and stderr captured in files (the logs a secrets check searches), stopped
// with SIGTERM and its exit code returned; plus a client of its REST API that logs in as the generated admin
// and keeps every answer body. Waiting is always for a condition with a generous deadline (the deadline only
// bounds how long a broken build hangs on a loaded machine; nothing is timed).
//
// The process part (serve_process.cpp) needs only POSIX; ServeApi is defined here because it uses
// ballast::net, which only the test programs that use it link.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ballast/core/result.hpp"
#include "ballast/net/http_client.hpp"

namespace ballast::testkit {

// The `ballast` binary: BALLAST_BIN from the environment, else the path CMake compiled into the test
// program (BALLAST_BIN_PATH), else "".
inline std::string ballast_binary() {
  if (const char* env = std::getenv("BALLAST_BIN"); env != nullptr && *env != '\0') return env;
#ifdef BALLAST_BIN_PATH
  return BALLAST_BIN_PATH;
#else
  return {};
#endif
}

// The whole file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Polls `condition` every 20 ms until it holds or `limit` has passed; returns its final value.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = std::chrono::seconds(30));

// A loopback TCP port nobody listens on right now (bound to port 0, read back, released).
std::uint16_t free_loopback_port();

// A running `ballast` process. Output goes to <dir>/stdout.txt and <dir>/stderr.txt (mode 0600).
class ServeProcess {
 public:
  explicit ServeProcess(std::filesystem::path dir);
  ~ServeProcess();  // stops the process if it still runs
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Starts `<binary> <args…>` with this process's environment plus `extra_env` ("NAME=value" each; a name
  // given there overrides the inherited one). Errors: already running, or posix_spawn failed (with errno text).
  core::Status start(const std::string& binary, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env = {});
  // Whether the process is still running (reaps it, keeping its exit code, when it has ended).
  bool running();
  // SIGTERM, then waits up to `grace` for the exit (SIGKILL after that). Returns the exit code, 128 + signal
  // when it died of a signal, or -1 when nothing was started.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(60));
  // The exit code once the process has ended (see stop()), -1 while it runs or before it started.
  int exit_code() const { return exit_code_; }
  // Everything the process wrote: stdout, then stderr.
  std::string logs() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The REST API of a `ballast serve` on 127.0.0.1:<port>. Not thread-safe (one HttpClient).
class ServeApi {
 public:
  using Answer = std::pair<unsigned, std::string>;  // HTTP status (0: transport error) and body

  explicit ServeApi(std::uint16_t port)
      : http_(std::make_unique<net::HttpClient>("http://127.0.0.1:" + std::to_string(port))) {}

  // Waits until GET /api/health answers 200. False as soon as the process has exited, or after `limit`.
  bool wait_until_healthy(ServeProcess& process, std::chrono::milliseconds limit = std::chrono::seconds(120)) {
    return eventually(
               [&] {
                 if (!process.running()) return true;  // stop waiting; the answer below says false
                 auto r = http_->request("GET", "/api/health");
                 return r && r->status == 200;
               },
               limit) &&
           process.running();
  }

  // Logs in as "admin" with the password serve wrote to <data_dir>/initial-admin-password on its first start.
  // Returns the login answer; the token is kept for call() when it is 200.
  Answer login_admin(const std::filesystem::path& data_dir) {
    std::string password = read_file(data_dir / "initial-admin-password");
    password = password.substr(0, password.find('\n'));
    Answer a = call("POST", "/api/auth/login", nlohmann::json{{"username", "admin"}, {"password", password}}.dump(), false);
    if (a.first == 200) token_ = nlohmann::json::parse(a.second).at("access_token").get<std::string>();
    return a;
  }

  // One request with a JSON body (and the bearer token when `authed`); every answer body is kept.
  Answer call(const std::string& method, const std::string& target, std::string body = {}, bool authed = true) {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    if (authed) headers.emplace_back("Authorization", "Bearer " + token_);
    auto r = http_->request(method, target, std::move(body), headers);
    if (!r) return {0, r.error().message()};
    answers_ += r->body;
    answers_ += '\n';
    return {r->status, r->body};
  }

  // The body when the answer is `expected_status`, parsed; a null JSON otherwise.
  nlohmann::json get_json(const std::string& target, unsigned expected_status = 200) {
    Answer a = call("GET", target);
    if (a.first != expected_status) return nullptr;
    return nlohmann::json::parse(a.second, nullptr, false);
  }

  // Every answer body so far, one after another (for a secrets check).
  const std::string& answers() const { return answers_; }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::string token_;
  std::string answers_;
};

}  // namespace ballast::testkit
