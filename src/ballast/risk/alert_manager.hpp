#pragma once
// AlertManager: turns raised alerts into published ones, so a flapping condition cannot flood people.
//
//  - Deduplication: alerts with the same key (code, instrument, subject) within `dedup_window` of the last
//    published one are folded into it: not published, counted. The next alert of that key published
//    after the window (a new occurrence, or the summary flush() emits when the window closes) carries
//    the count in suppressed_count. A higher severity than the published one is not folded (escalation).
//  - Rate limit: a token bucket of `burst` tokens refilled one per `refill_period` across all keys; a
//    non-emergency alert (or summary) without a token is dropped and counted into its key's suppressed
//    count, so the next one of that key reports it.
//  - EMERGENCY alerts are never deduplicated, never rate limited and never dropped (they take no token).
// Time comes from the caller (kernel clock); flush() is called on clock advances. Keys are kept in an
// ordered map so summaries come out in a deterministic order; idle keys are forgotten by flush().

#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/risk/risk_events.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ballast::risk {

struct AlertConfig {
  core::Duration dedup_window{std::chrono::minutes(1)};
  std::int64_t burst{20};
  core::Duration refill_period{std::chrono::seconds(3)};
};

struct AlertStats {
  std::int64_t raised{0};
  std::int64_t published{0};     // including summaries
  std::int64_t deduplicated{0};
  std::int64_t rate_limited{0};
};

class AlertManager {
 public:
  // dedup_window >= 0, burst >= 1, refill_period > 0 (broken invariant otherwise).
  explicit AlertManager(AlertConfig config = {});

  const AlertConfig& config() const noexcept { return config_; }

  // The alert to publish now, or nullopt when it was folded into an earlier one or dropped.
  std::optional<Alert> raise(AlertSeverity severity, AlertCode code, std::string message,
                             std::optional<core::InstrumentId> instrument, std::string subject, core::UnixNanos now);
  // One summary alert per key whose dedup window has closed with suppressed alerts (as tokens allow).
  std::vector<Alert> flush(core::UnixNanos now);

  const AlertStats& stats() const noexcept { return stats_; }
  std::int64_t tokens(core::UnixNanos now);
  std::size_t tracked_keys() const noexcept { return keys_.size(); }

 private:
  struct KeyState {
    AlertSeverity severity{AlertSeverity::Info};
    AlertCode code{AlertCode::RiskLimitReached};
    std::optional<core::InstrumentId> instrument{};
    std::string subject{};
    std::string last_message{};
    std::optional<core::UnixNanos> window_start{};  // of the last published alert
    std::int64_t suppressed{0};
  };

  void refill(core::UnixNanos now);
  bool take_token(core::UnixNanos now);
  Alert publish(KeyState& key, AlertSeverity severity, std::string message, core::UnixNanos now);

  AlertConfig config_;
  std::map<std::string, KeyState> keys_{};
  std::int64_t tokens_{0};
  std::optional<core::UnixNanos> last_refill_{};
  std::uint64_t next_id_{1};
  AlertStats stats_{};
};

}  // namespace ballast::risk
