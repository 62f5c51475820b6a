#include "ballast/core/time.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

namespace ballast::core {
namespace {

Error time_error(std::string_view text, std::string_view why) {
  return Error(ErrorCode::ParseError, fmt::format("invalid timestamp '{}': {}", text, why));
}

// Reads exactly n digits at pos; false on a non-digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Parses "YYYY-MM-DD" at the start of s into days since epoch.
Result<std::int64_t> parse_date_part(std::string_view s, std::string_view whole) {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() < 10 || !read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, m) || s[7] != '-' ||
      !read_digits(s, 8, 2, d)) {
    return time_error(whole, "expected a date YYYY-MM-DD");
  }
  if (m < 1 || m > 12) return time_error(whole, "month out of range");
  if (d < 1 || d > days_in_month(y, m)) return time_error(whole, "day out of range");
  return days_from_civil(y, m, d);
}

// Parses "HH:MM[:SS[.fffffffff]]" plus an optional offset into nanoseconds since midnight (UTC).
Result<std::int64_t> parse_time_part(std::string_view s, std::string_view whole) {
  unsigned hh = 0, mm = 0, ss = 0;
  if (!read_digits(s, 0, 2, hh) || s.size() < 5 || s[2] != ':' || !read_digits(s, 3, 2, mm)) {
    return time_error(whole, "expected a time HH:MM[:SS[.fff]]");
  }
  std::size_t pos = 5;
  bool has_seconds = false;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_digits(s, pos + 1, 2, ss)) return time_error(whole, "expected seconds after HH:MM:");
    pos += 3;
    has_seconds = true;
  }
  if (hh > 23 || mm > 59 || ss > 59) return time_error(whole, "time of day out of range");
  std::int64_t frac = 0;
  // Fractions only after seconds: in ISO-8601 "12:30.5" would be a fraction of the minute.
  if (has_seconds && pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        frac = frac * 10 + (s[pos] - '0');
        ++digits;
      } else if (s[pos] != '0') {
        return time_error(whole, "more than nanosecond precision");
      }
      ++pos;
    }
    if (digits == 0) return time_error(whole, "empty fractional seconds");
    for (int i = digits; i < 9; ++i) frac *= 10;
  }
  std::int64_t offset_ns = 0;
  if (pos < s.size()) {
    const char c = s[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      unsigned oh = 0, om = 0;
      std::string_view off = s.substr(pos + 1);
      if (off.size() == 5 && off[2] == ':' && read_digits(off, 0, 2, oh) && read_digits(off, 3, 2, om)) {
        pos += 6;
      } else if (off.size() == 4 && read_digits(off, 0, 2, oh) && read_digits(off, 2, 2, om)) {
        pos += 5;
      } else if (off.size() == 2 && read_digits(off, 0, 2, oh)) {
        pos += 3;
      } else {
        return time_error(whole, "bad UTC offset (expected ±HH:MM)");
      }
      if (oh > 23 || om > 59) return time_error(whole, "UTC offset out of range");
      offset_ns = (static_cast<std::int64_t>(oh) * 60 + om) * kNanosPerMinute;
      if (c == '-') offset_ns = -offset_ns;
    }
  }
  if (pos != s.size()) return time_error(whole, "unexpected trailing characters");
  // Local time minus the offset gives UTC.
  return (static_cast<std::int64_t>(hh) * 3600 + mm * 60 + ss) * kNanosPerSecond + frac - offset_ns;
}

// days · kNanosPerDay + tod, where tod may fall outside [0, 1 day) after a UTC offset. Before the
// epoch the day is taken one closer to it (tod then in (−1 day, 0]) so that the intermediate product
// cannot overflow for instants on the first representable day, 1677-09-21 (INT64_MIN is 00:12:43).
bool compose(std::int64_t days, std::int64_t tod, std::int64_t& out) {
  const std::int64_t carry = floor_div(tod, kNanosPerDay);  // |tod| is under two days
  days += carry;
  tod -= carry * kNanosPerDay;  // now in [0, 1 day)
  if (days < 0 && tod > 0) {
    ++days;
    tod -= kNanosPerDay;
  }
  return !__builtin_mul_overflow(days, kNanosPerDay, &out) && !__builtin_add_overflow(out, tod, &out);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

EpochUnit infer_epoch_unit(std::int64_t v) noexcept {
  // |v| without overflow on INT64_MIN.
  const std::uint64_t a = v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
  if (a < 100'000'000'000ULL) return EpochUnit::Seconds;
  if (a < 100'000'000'000'000ULL) return EpochUnit::Millis;
  if (a < 100'000'000'000'000'000ULL) return EpochUnit::Micros;
  return EpochUnit::Nanos;
}

Result<UnixNanos> from_epoch(std::int64_t v, EpochUnit unit) {
  std::int64_t scale = 1;
  switch (unit) {
    case EpochUnit::Seconds: scale = kNanosPerSecond; break;
    case EpochUnit::Millis: scale = kNanosPerMilli; break;
    case EpochUnit::Micros: scale = kNanosPerMicro; break;
    case EpochUnit::Nanos: scale = 1; break;
  }
  std::int64_t out = 0;
  if (__builtin_mul_overflow(v, scale, &out)) {
    return Error(ErrorCode::OutOfRange, fmt::format("epoch value {} is outside 1677..2262", v));
  }
  return UnixNanos(out);
}

Result<UnixNanos> parse_timestamp(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return time_error(text, "empty");

  const bool negative = s.front() == '-';
  if (all_digits(negative ? s.substr(1) : s)) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return time_error(text, "epoch number out of range");
    return from_epoch(v, infer_epoch_unit(v));
  }

  auto days = parse_date_part(s, text);
  if (!days) return days.error();
  std::int64_t tod = 0;
  if (s.size() > 10) {
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return time_error(text, "expected 'T' or ' ' after the date");
    auto t = parse_time_part(s.substr(11), text);
    if (!t) return t.error();
    tod = *t;
  }
  std::int64_t out = 0;
  if (!compose(*days, tod, out)) {
    return Error(ErrorCode::OutOfRange, fmt::format("timestamp '{}' is outside 1677..2262", text));
  }
  return UnixNanos(out);
}

Result<UnixNanos> parse_date_and_time(std::string_view date, std::string_view time) {
  auto days = parse_date_part(date, date);
  if (!days) return days.error();
  if (date.size() != 10) return time_error(date, "unexpected characters after the date");
  auto tod = parse_time_part(time, time);
  if (!tod) return tod.error();
  std::int64_t out = 0;
  if (!compose(*days, *tod, out)) {
    return Error(ErrorCode::OutOfRange, "timestamp outside 1677..2262");
  }
  return UnixNanos(out);
}

std::string format_iso8601(UnixNanos t) {
  // Floor division by hand: days * kNanosPerDay overflows for instants on 1677-09-21.
  std::int64_t days = t.value / kNanosPerDay;
  std::int64_t tod = t.value % kNanosPerDay;
  if (tod < 0) {
    tod += kNanosPerDay;
    --days;
  }
  const CivilDate c = civil_from_days(days);
  const std::int64_t secs = tod / kNanosPerSecond;
  const std::int64_t frac = tod % kNanosPerSecond;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, secs / 3600,
                                (secs / 60) % 60, secs % 60);
  if (frac != 0) {
    if (frac % kNanosPerMilli == 0) {
      out += fmt::format(".{:03}", frac / kNanosPerMilli);
    } else if (frac % kNanosPerMicro == 0) {
      out += fmt::format(".{:06}", frac / kNanosPerMicro);
    } else {
      out += fmt::format(".{:09}", frac);
    }
  }
  out += 'Z';
  return out;
}

std::string format_duration(Duration d) {
  const std::int64_t ns = d.count();
  struct Unit {
    std::int64_t nanos;
    const char* suffix;
  };
  static constexpr std::array<Unit, 7> kUnits{{{7 * kNanosPerDay, "w"},
                                               {kNanosPerDay, "d"},
                                               {kNanosPerHour, "h"},
                                               {kNanosPerMinute, "m"},
                                               {kNanosPerSecond, "s"},
                                               {kNanosPerMilli, "ms"},
                                               {kNanosPerMicro, "us"}}};
  if (ns == 0) return "0s";
  for (const auto& u : kUnits) {
    if (ns % u.nanos == 0) return fmt::format("{}{}", ns / u.nanos, u.suffix);
  }
  return fmt::format("{}ns", ns);
}

Result<Duration> parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return Error(ErrorCode::ParseError, fmt::format("invalid duration '{}': expected e.g. 1m, 4h, 1d", text));
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, n);
  if (ec != std::errc() || n <= 0) {
    return Error(ErrorCode::ParseError, fmt::format("invalid duration '{}': count must be positive", text));
  }
  const std::string_view unit = text.substr(i);
  std::int64_t scale = 0;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = kNanosPerMicro;
  else if (unit == "ms") scale = kNanosPerMilli;
  else if (unit == "s") scale = kNanosPerSecond;
  else if (unit == "m" || unit == "min") scale = kNanosPerMinute;
  else if (unit == "h") scale = kNanosPerHour;
  else if (unit == "d") scale = kNanosPerDay;
  else if (unit == "w") scale = 7 * kNanosPerDay;
  else {
    return Error(ErrorCode::ParseError,
                 fmt::format("invalid duration '{}': unknown unit '{}' (use ns, us, ms, s, m, h, d, w)", text, unit));
  }
  std::int64_t out = 0;
  if (__builtin_mul_overflow(n, scale, &out)) return Error(ErrorCode::OutOfRange, fmt::format("duration '{}' too long", text));
  return Duration(out);
}

}  // namespace ballast::core
