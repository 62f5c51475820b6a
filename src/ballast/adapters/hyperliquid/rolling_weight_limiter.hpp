#pragma once
// RollingWeightLimiter: Hyperliquid's REST budget (request_weight.hpp: 1200 weight per minute per IP) kept
// over a ROLLING window: a charge made at t counts while now < t + window. A call fits at `now` when the
// charges of (now − window, now] plus its own weight stay within the limit; otherwise it waits until enough
// old charges have left the window.
//
// Why a rolling window and not a token bucket or calendar minutes: the docs say "1200 per minute" without
// saying how the exchange measures the minute. A rolling log keeps EVERY 60 s interval within the limit, so
// it is safe under any of the possible readings (fixed minutes, a sliding window, a bucket of 1200 refilling
// 20 a second). Calendar minutes (the Binance limiter) would let 2 × 1200 through across a minute boundary,
// and a bucket with a burst of 1200 refilling 20/s lets up to 2400 into one 60 s interval; both can be
// refused by a sliding-window exchange. The price is memory for one entry per call (≤ ~1200 per window).
//
// Also a gate: after an HTTP 429 the client pauses the limiter until the Retry-After (or backoff) has
// passed, and nothing fits before then. Weight charged after an answer (items returned) is recorded even
// when it takes the window above the limit; later calls then wait longer.
//
// Thread-safe (own mutex): the REST clients of one venue (the execution client's and the data client's, on
// different threads) share one limiter, because Hyperliquid counts per IP. Time is passed in (the callers'
// Clock), so tests drive it with a TestClock. Charges arriving with a time earlier than the newest one (two
// threads reading the clock) are recorded at the newest time, which only makes the limiter stricter.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "ballast/core/time.hpp"

namespace ballast::adapters::hyperliquid {

class RollingWeightLimiter {
 public:
  // limit > 0, window > 0.
  explicit RollingWeightLimiter(std::int64_t limit = 1200,
                                core::Duration window = core::Duration(core::kNanosPerMinute));

  std::int64_t limit() const noexcept { return limit_; }
  core::Duration window() const noexcept { return window_; }

  // Weight charged in (now − window, now].
  std::int64_t used(core::UnixNanos now) const;
  // Zero when a call of `weight` fits at `now`, else how long until it does (the pause included).
  // Requires 0 < weight <= limit(): a heavier call never fits.
  core::Duration wait_for(std::int64_t weight, core::UnixNanos now) const;
  // Charges `weight` at `now` and returns zero when it fits; otherwise charges nothing and returns
  // wait_for(weight, now). Check and charge are one step, so two threads cannot both take the last room.
  core::Duration try_acquire(std::int64_t weight, core::UnixNanos now);
  // Records weight charged by the venue after the fact (items returned); weight <= 0 is ignored.
  void charge(std::int64_t weight, core::UnixNanos now);
  // Nothing fits before `until` (an HTTP 429). A later pause extends it, an earlier one is ignored.
  void pause_until(core::UnixNanos until);
  // The pause still in force at `now`, if any.
  std::optional<core::UnixNanos> paused_until(core::UnixNanos now) const;

 private:
  struct Charge {
    std::int64_t at_ns;
    std::int64_t weight;
  };
  void expire(core::UnixNanos now) const;
  core::Duration wait_locked(std::int64_t weight, core::UnixNanos now) const;
  void record(std::int64_t weight, core::UnixNanos now);

  const std::int64_t limit_;
  const core::Duration window_;
  mutable std::mutex mutex_;
  mutable std::deque<Charge> charges_;  // oldest first, times non-decreasing
  mutable std::int64_t total_ = 0;      // sum of charges_
  std::optional<core::UnixNanos> paused_until_;
};

}  // namespace ballast::adapters::hyperliquid
