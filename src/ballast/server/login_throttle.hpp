#pragma once
// Brute-force protection for POST /api/auth/login. Failures are counted per key (the server uses the
// user name and the client address as two keys); `max_failures` failures within `window` lock the key
// for `lockout`. A success clears the key. Time comes from the caller. Thread-safe (one mutex): the HTTP
// server calls it from several I/O threads. Entries past their window or lockout are pruned every 1024
// calls, so memory grows with the distinct keys seen within one window, not forever.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ballast/core/time.hpp"

namespace ballast::server {

struct LoginThrottleConfig {
  int max_failures = 5;
  std::chrono::seconds window{300};
  std::chrono::seconds lockout{300};
};

class LoginThrottle {
 public:
  // Requires max_failures >= 1 and positive window and lockout (BALLAST_REQUIRE).
  explicit LoginThrottle(LoginThrottleConfig config);

  // nullopt = allowed; otherwise how long until the key may try again, rounded up to whole seconds
  // (at least 1), for a 429 with Retry-After.
  std::optional<std::chrono::seconds> check(std::string_view key, core::UnixNanos now);
  void record_failure(std::string_view key, core::UnixNanos now);
  void record_success(std::string_view key);

  // Keys currently tracked (for tests and metrics).
  std::size_t tracked_keys() const;

 private:
  struct Entry {
    int failures = 0;
    core::UnixNanos window_start;
    std::optional<core::UnixNanos> locked_until;
  };
  void prune_locked(core::UnixNanos now);

  LoginThrottleConfig config_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t operations_since_prune_ = 0;
};

}  // namespace ballast::server
