#pragma once
// Private to the data module: the inline scanners of the readers' fast paths. Each reads one field
// straight from the text and advances the cursor; each accepts only the plain common forms and returns
// false on anything else, so that the caller can fall back to the general parsers (csv_scan.hpp), which
// accept every documented form and word the errors. For the forms they accept, both give identical values.

#include <cstdint>
#include <cstring>
#include <optional>

#include "ballast/core/decimal.hpp"
#include "ballast/core/time.hpp"

namespace ballast::data::internal {

// Consumes a run of ASCII digits at p (not past `end`) into acc: acc = acc·10^k + digits; returns k.
// acc is unsigned so over-long inputs wrap harmlessly (callers reject more than 18 digits). Works on local
// copies: through the references every char read could alias them and force a store and reload per digit.
inline int scan_digits(const char*& p, const char* end, std::uint64_t& acc) {
  const char* q = p;
  std::uint64_t a = acc;
  while (q < end && static_cast<unsigned>(*q - '0') < 10) a = a * 10 + static_cast<unsigned>(*q++ - '0');
  const auto count = static_cast<int>(q - p);
  p = q;
  acc = a;
  return count;
}

// "[-]digits[.digits]" with 1..18 digits in all; stops at the first other character (not checked).
inline bool scan_plain_decimal(const char*& p, const char* end, core::Decimal& out) {
  const bool negative = p < end && *p == '-';
  p += negative ? 1 : 0;
  std::uint64_t mantissa = 0;
  int digits = scan_digits(p, end, mantissa);
  int scale = 0;
  if (p < end && *p == '.') {
    ++p;
    scale = scan_digits(p, end, mantissa);
    digits += scale;
  }
  if (digits == 0 || digits > 18) return false;
  const auto raw = static_cast<std::int64_t>(mantissa);
  out = core::Decimal::from_raw(negative ? -raw : raw, scale);
  return true;
}

// An unsigned epoch integer of 1..18 digits in `unit`, or in the unit its magnitude implies
// (core::infer_epoch_unit); stops at the first non-digit (not checked).
inline bool scan_epoch(const char*& p, const char* end, std::optional<core::EpochUnit> unit, core::UnixNanos& out) {
  std::uint64_t u = 0;
  const int digits = scan_digits(p, end, u);
  if (digits == 0 || digits > 18) return false;
  auto v = static_cast<std::int64_t>(u);
  std::int64_t per_unit = 1;
  switch (unit ? *unit : core::infer_epoch_unit(v)) {
    case core::EpochUnit::Seconds: per_unit = core::kNanosPerSecond; break;
    case core::EpochUnit::Millis: per_unit = core::kNanosPerMilli; break;
    case core::EpochUnit::Micros: per_unit = core::kNanosPerMicro; break;
    case core::EpochUnit::Nanos: break;
  }
  if (__builtin_mul_overflow(v, per_unit, &v)) return false;
  out = core::UnixNanos(v);
  return true;
}

// The two most common ISO-8601 forms at fixed positions: "YYYY-MM-DD" and "YYYY-MM-DD[T ]HH:MM:SS" with
// an optional 'Z', years 1678..2261 (so no overflow is possible). Fractions, offsets, "HH:MM" and anything
// else return false and go to core::parse_timestamp. Stops after the form (the terminator is not checked).
inline bool scan_iso_datetime(const char*& p, const char* end, core::UnixNanos& out) {
  const auto two = [](const char* q, unsigned& v) {
    const auto a = static_cast<unsigned>(q[0] - '0');
    const auto b = static_cast<unsigned>(q[1] - '0');
    v = a * 10 + b;
    return a < 10 && b < 10;
  };
  if (end - p < 10 || p[4] != '-' || p[7] != '-') return false;
  unsigned century = 0, year2 = 0, month = 0, day = 0;
  if (!two(p, century) || !two(p + 2, year2) || !two(p + 5, month) || !two(p + 8, day)) return false;
  const unsigned year = century * 100 + year2;
  if (year < 1678 || year > 2261 || month < 1 || month > 12 || day < 1) return false;
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  std::int64_t nanos = core::days_from_civil(year, month, day) * core::kNanosPerDay;
  const char* q = p + 10;
  if (q < end && (*q == 'T' || *q == ' ')) {
    unsigned hh = 0, mm = 0, ss = 0;
    if (end - q < 9 || q[3] != ':' || q[6] != ':' || !two(q + 1, hh) || !two(q + 4, mm) || !two(q + 7, ss))
      return false;
    if (hh > 23 || mm > 59 || ss > 59) return false;
    nanos += (static_cast<std::int64_t>(hh) * 3600 + mm * 60 + ss) * core::kNanosPerSecond;
    q += 9;
    if (q < end && *q == 'Z') ++q;
  }
  // A fraction or an offset follows: the general parser handles those. (A ',' fraction, which core also
  // accepts, is left to the caller's terminator check: it is either the delimiter or makes the row fall back.)
  if (q < end && (*q == '.' || *q == '+' || *q == '-' || *q == ':')) return false;
  out = core::UnixNanos(nanos);
  p = q;
  return true;
}

// True when p is at `c`.
inline bool at(const char* p, const char* end, char c) {
  return p < end && *p == c;
}

// Steps over a line end: "\n", "\r\n", or a '\r' or nothing at the end of the text. Returns the start of
// the next line, or nullptr when p is not at a line end.
inline const char* after_line_end(const char* p, const char* end) {
  if (p < end && *p == '\r') ++p;
  if (p == end) return p;
  return *p == '\n' ? p + 1 : nullptr;
}

// a < b, skipping the out-of-line comparison when the scales agree (nearly always, within one file).
inline bool less(const core::Decimal& a, const core::Decimal& b) {
  return a.scale() == b.scale() ? a.raw() < b.raw() : a < b;
}

}  // namespace ballast::data::internal
