#include "ballast/risk/trading_hours.hpp"

#include "ballast/risk/breaker_conditions.hpp"

#include <cstdint>

namespace ballast::risk {
namespace {

// Candidate instants lie within this many days of `t`: a window starting up to a day before `t` (it may
// run past midnight) to a week and a day after it (the same weekday next week, plus a wrap).
constexpr std::int64_t kFirstDay = -1;
constexpr std::int64_t kLastDay = 8;

std::int32_t weekday_of_day(std::int64_t day) noexcept {
  // 1970-01-01 (day 0) was a Thursday: weekday 3 when Monday is 0.
  const std::int64_t wd = (day + 3) % 7;
  return static_cast<std::int32_t>(wd < 0 ? wd + 7 : wd);
}

bool runs_on(const TradingSession& s, std::int64_t day) noexcept {
  return ((s.weekdays >> weekday_of_day(day)) & 1u) != 0;
}

core::UnixNanos at_minute(std::int64_t day, std::int64_t minute) noexcept {
  return core::UnixNanos(day * core::kNanosPerDay + minute * core::kNanosPerMinute);
}

// Calls f(start, end) for every window occurrence whose start day is within [day(t) + kFirstDay,
// day(t) + kLastDay]; `end` is the instant it closes (the next day's for a window past midnight).
template <class F>
void for_each_occurrence(std::span<const TradingSession> hours, core::UnixNanos t, F&& f) noexcept {
  const std::int64_t today = core::floor_div(t.value, core::kNanosPerDay);
  for (std::int64_t d = today + kFirstDay; d <= today + kLastDay; ++d) {
    for (const TradingSession& s : hours) {
      if (!runs_on(s, d) || s.start_minute == s.end_minute) continue;
      const std::int64_t end_day = s.end_minute < s.start_minute ? d + 1 : d;
      f(at_minute(d, s.start_minute), at_minute(end_day, s.end_minute));
    }
  }
}

}  // namespace

bool trading_hours_open(std::span<const TradingSession> hours, core::UnixNanos t) noexcept {
  return hours.empty() || in_any_session(hours, t);
}

std::optional<core::UnixNanos> next_trading_open(std::span<const TradingSession> hours, core::UnixNanos t) noexcept {
  std::optional<core::UnixNanos> best;
  if (hours.empty()) return best;
  for_each_occurrence(hours, t, [&](core::UnixNanos start, core::UnixNanos) {
    if (start <= t || (best && start >= *best)) return;
    // An opening only when the hours were closed just before (not a window starting inside another).
    if (!in_any_session(hours, core::UnixNanos(start.value - 1))) best = start;
  });
  return best;
}

std::optional<core::UnixNanos> next_trading_close(std::span<const TradingSession> hours, core::UnixNanos t) noexcept {
  std::optional<core::UnixNanos> best;
  if (hours.empty()) return best;
  for_each_occurrence(hours, t, [&](core::UnixNanos, core::UnixNanos end) {
    if (end <= t || (best && end >= *best)) return;
    // A closing only when no other window keeps the hours open at that instant.
    if (!in_any_session(hours, end)) best = end;
  });
  return best;
}

}  // namespace ballast::risk
