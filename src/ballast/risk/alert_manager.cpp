#include "ballast/risk/alert_manager.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>
#include <utility>

namespace ballast::risk {

AlertManager::AlertManager(AlertConfig config) : config_(config) {
  BALLAST_REQUIRE(config_.dedup_window >= core::Duration::zero(), "AlertConfig::dedup_window must be >= 0");
  BALLAST_REQUIRE(config_.burst >= 1, "AlertConfig::burst must be >= 1");
  BALLAST_REQUIRE(config_.refill_period > core::Duration::zero(), "AlertConfig::refill_period must be > 0");
  tokens_ = config_.burst;
}

void AlertManager::refill(core::UnixNanos now) {
  if (!last_refill_) {
    last_refill_ = now;
    return;
  }
  if (now <= *last_refill_) return;
  const std::int64_t periods = (now - *last_refill_).count() / config_.refill_period.count();
  if (periods <= 0) return;
  tokens_ = std::min(config_.burst, tokens_ + periods);
  *last_refill_ += config_.refill_period * periods;
  if (tokens_ == config_.burst) last_refill_ = now;  // a full bucket does not bank time
}

bool AlertManager::take_token(core::UnixNanos now) {
  refill(now);
  if (tokens_ <= 0) return false;
  --tokens_;
  return true;
}

std::int64_t AlertManager::tokens(core::UnixNanos now) {
  refill(now);
  return tokens_;
}

Alert AlertManager::publish(KeyState& key, AlertSeverity severity, std::string message, core::UnixNanos now) {
  Alert alert;
  alert.id = next_id_++;
  alert.severity = severity;
  alert.code = key.code;
  alert.message = std::move(message);
  alert.instrument = key.instrument;
  alert.subject = key.subject;
  alert.ts_event = now;
  alert.suppressed_count = key.suppressed;
  key.severity = severity;
  key.window_start = now;
  key.suppressed = 0;
  ++stats_.published;
  return alert;
}

std::optional<Alert> AlertManager::raise(AlertSeverity severity, AlertCode code, std::string message,
                                         std::optional<core::InstrumentId> instrument, std::string subject,
                                         core::UnixNanos now) {
  ++stats_.raised;
  std::string key_text;
  key_text.reserve(64);
  key_text += to_string(code);
  key_text += '|';
  if (instrument) key_text += instrument->value();
  key_text += '|';
  key_text += subject;
  auto [it, inserted] = keys_.try_emplace(std::move(key_text));
  KeyState& key = it->second;
  if (inserted) {
    key.code = code;
    key.instrument = std::move(instrument);
    key.subject = std::move(subject);
  }
  key.last_message = message;

  if (severity == AlertSeverity::Emergency) return publish(key, severity, std::move(message), now);

  const bool in_window = key.window_start && now < *key.window_start + config_.dedup_window;
  if (in_window && severity <= key.severity) {
    ++key.suppressed;
    ++stats_.deduplicated;
    return std::nullopt;
  }
  if (!take_token(now)) {
    ++key.suppressed;
    ++stats_.rate_limited;
    return std::nullopt;
  }
  return publish(key, severity, std::move(message), now);
}

std::vector<Alert> AlertManager::flush(core::UnixNanos now) {
  std::vector<Alert> out;
  for (auto it = keys_.begin(); it != keys_.end();) {
    KeyState& key = it->second;
    const bool window_closed = !key.window_start || now >= *key.window_start + config_.dedup_window;
    if (!window_closed) {
      ++it;
      continue;
    }
    if (key.suppressed == 0) {
      it = keys_.erase(it);
      continue;
    }
    if (!take_token(now)) break;  // no more tokens: the rest wait for the next flush
    out.push_back(publish(key, key.severity, key.last_message, now));
    ++it;
  }
  return out;
}

}  // namespace ballast::risk
