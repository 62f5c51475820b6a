#pragma once
// Time in Ballast is UnixNanos: signed 64-bit nanoseconds since 1970-01-01T00:00:00Z (UTC, no leap
// seconds), covering 1677-09-21 … 2262-04-11. Durations are std::chrono::nanoseconds.
//
// Text forms accepted by parse_timestamp():
//   - integer epoch, unit inferred from magnitude: |v| < 1e11 seconds, < 1e14 milliseconds,
//     < 1e17 microseconds, otherwise nanoseconds (so 1e11 s ≈ year 5138 and 1e11 ms ≈ 1973-03-03);
//   - ISO-8601 date "2024-03-01" (midnight UTC);
//   - ISO-8601 date-time "2024-03-01T12:30:00", "2024-03-01 12:30:00.250", with up to 9 fractional
//     digits and an optional "Z" or "±HH:MM" / "±HHMM" offset (converted to UTC); no offset means UTC.

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::core {

using Duration = std::chrono::nanoseconds;

inline constexpr std::int64_t kNanosPerMicro = 1'000;
inline constexpr std::int64_t kNanosPerMilli = 1'000'000;
inline constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr std::int64_t kNanosPerMinute = 60 * kNanosPerSecond;
inline constexpr std::int64_t kNanosPerHour = 60 * kNanosPerMinute;
inline constexpr std::int64_t kNanosPerDay = 24 * kNanosPerHour;

struct UnixNanos {
  std::int64_t value = 0;

  constexpr UnixNanos() = default;
  constexpr explicit UnixNanos(std::int64_t ns) : value(ns) {}

  static constexpr UnixNanos from_seconds(std::int64_t s) { return UnixNanos(s * kNanosPerSecond); }
  static constexpr UnixNanos from_millis(std::int64_t ms) { return UnixNanos(ms * kNanosPerMilli); }
  static constexpr UnixNanos from_micros(std::int64_t us) { return UnixNanos(us * kNanosPerMicro); }

  constexpr std::int64_t millis() const { return value / kNanosPerMilli; }
  constexpr std::int64_t micros() const { return value / kNanosPerMicro; }

  friend constexpr auto operator<=>(UnixNanos, UnixNanos) = default;
  friend constexpr UnixNanos operator+(UnixNanos t, Duration d) { return UnixNanos(t.value + d.count()); }
  friend constexpr UnixNanos operator-(UnixNanos t, Duration d) { return UnixNanos(t.value - d.count()); }
  friend constexpr Duration operator-(UnixNanos a, UnixNanos b) { return Duration(a.value - b.value); }
  constexpr UnixNanos& operator+=(Duration d) {
    value += d.count();
    return *this;
  }
};

enum class EpochUnit { Seconds, Millis, Micros, Nanos };

// Days since 1970-01-01 of a proleptic Gregorian date, and back (exact for every int64 day count we use).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                      // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;       // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                 // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

// Floor division toward −∞ (for bucketing negative timestamps correctly).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Start of the UTC-aligned bucket of width `interval` that contains t (e.g. 5-minute, 1-day buckets).
constexpr UnixNanos floor_to(UnixNanos t, Duration interval) noexcept {
  return UnixNanos(floor_div(t.value, interval.count()) * interval.count());
}

Result<UnixNanos> from_epoch(std::int64_t v, EpochUnit unit);
// Infers the unit from the magnitude (see the header comment).
EpochUnit infer_epoch_unit(std::int64_t v) noexcept;
Result<UnixNanos> parse_timestamp(std::string_view text);
// Date "YYYY-MM-DD" and time "HH:MM[:SS[.fff]]" given in separate fields (UTC).
Result<UnixNanos> parse_date_and_time(std::string_view date, std::string_view time);

// "2024-03-01T12:30:00Z", with ".fff", ".ffffff" or ".fffffffff" only when the value needs it.
std::string format_iso8601(UnixNanos t);
// "1m", "4h", "1d", "250ms", … (largest unit that divides exactly).
std::string format_duration(Duration d);
// Parses "500ms", "1s", "1m", "15m", "1h", "4h", "1d", "1w" (a positive integer and a unit).
Result<Duration> parse_duration(std::string_view text);

}  // namespace ballast::core
