#pragma once
// ServerApp: `ballast serve` as an object — opens the store (migrations applied), creates the first-run
// admin, loads the risk configuration, starts the paper-trading service and the HTTP + WebSocket server.
// The CLI runs one until SIGINT/SIGTERM; integration tests start one on a free loopback port.
//
// First run: when the store has no users, an "admin" user is created with a generated password, which is
// returned by first_run_password() (the CLI prints it) and written to <data_dir>/initial-admin-password
// (mode 0600) so it is not lost with the terminal; change it with `ballast user passwd admin`.
//
// Shutdown (stop()): the HTTP server stops accepting and lets in-flight requests finish (5 s at most),
// the WebSocket clients are closed, then the service stops and its last writes are committed.

#include "ballast/core/clock.hpp"
#include "ballast/core/result.hpp"
#include "ballast/server/service_config.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ballast::server {

class ServerApp {
 public:
  // `wall` must outlive the app.
  static core::Result<std::unique_ptr<ServerApp>> start(const ServiceConfig& config, const core::Clock& wall);
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // http://host:port (the bound port)
  const std::optional<std::string>& first_run_password() const;
  // "METHOD pattern" of every route served (the OpenAPI consistency test compares both ways).
  std::vector<std::string> routes() const;
  void stop();

 private:
  struct Impl;
  explicit ServerApp(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The version `ballast serve` reports (/api/health, /api/status, the OpenAPI document).
std::string_view server_version() noexcept;

}  // namespace ballast::server
