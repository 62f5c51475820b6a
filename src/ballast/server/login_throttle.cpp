#include "ballast/server/login_throttle.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>

namespace ballast::server {
namespace {

// Prune stale entries every this many calls, so a flood of distinct keys cannot grow the map without bound.
constexpr std::size_t kPruneEvery = 1024;

std::chrono::seconds ceil_seconds(core::Duration d) {
  const auto s = std::chrono::ceil<std::chrono::seconds>(d);
  return s.count() < 1 ? std::chrono::seconds(1) : s;
}

}  // namespace

LoginThrottle::LoginThrottle(LoginThrottleConfig config) : config_(config) {
  BALLAST_REQUIRE(config_.max_failures >= 1, fmt::format("max_failures must be >= 1, got {}", config_.max_failures));
  BALLAST_REQUIRE(config_.window.count() > 0, "the failure window must be positive");
  BALLAST_REQUIRE(config_.lockout.count() > 0, "the lockout must be positive");
}

std::optional<std::chrono::seconds> LoginThrottle::check(std::string_view key, core::UnixNanos now) {
  const std::lock_guard lock(mutex_);
  prune_locked(now);
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end() || !it->second.locked_until) return std::nullopt;
  if (now >= *it->second.locked_until) {
    // The lockout is over: a fresh start, not one more failure away from the next lockout.
    entries_.erase(it);
    return std::nullopt;
  }
  return ceil_seconds(*it->second.locked_until - now);
}

void LoginThrottle::record_failure(std::string_view key, core::UnixNanos now) {
  const std::lock_guard lock(mutex_);
  prune_locked(now);
  Entry& e = entries_[std::string(key)];
  if (e.locked_until) {
    if (now < *e.locked_until) return;  // already locked; attempts during a lockout do not extend it
    e = Entry{};
  }
  if (e.failures == 0 || now - e.window_start >= config_.window) {
    e.failures = 0;
    e.window_start = now;
  }
  ++e.failures;
  if (e.failures >= config_.max_failures) e.locked_until = now + config_.lockout;
}

void LoginThrottle::record_success(std::string_view key) {
  const std::lock_guard lock(mutex_);
  entries_.erase(std::string(key));
}

std::size_t LoginThrottle::tracked_keys() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

void LoginThrottle::prune_locked(core::UnixNanos now) {
  if (++operations_since_prune_ < kPruneEvery) return;
  operations_since_prune_ = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    const bool stale = e.locked_until ? now >= *e.locked_until : now - e.window_start >= config_.window;
    it = stale ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace ballast::server
