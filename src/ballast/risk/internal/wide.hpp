#pragma once
// Private to the risk module: the fixed-point arithmetic of the pre-trade hot path. Every amount,
// quantity, price and ratio the checks compare is a 128-bit integer at one scale (kWideScale = 12
// places), so the checks add, subtract and compare without rescaling and never divide on the approve
// path. Conversions from core::Decimal round in the conservative direction the caller names; a value
// with at most 12 places (every limit, every settlement amount) converts exactly, so "value == limit
// passes" holds exactly. Products that overflow 128 bits saturate (the check then denies).

#include "ballast/core/decimal.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace ballast::risk::internal {

using Wide = core::Int128;

inline constexpr int kWideScale = 12;
__extension__ typedef unsigned __int128 WideUnsigned;
inline constexpr Wide kWideMax = static_cast<Wide>((static_cast<WideUnsigned>(1) << 127) - 1);
inline constexpr Wide kWideMin = -kWideMax;

// 10^0 … 10^37.
inline constexpr std::array<Wide, 38> kPow10Wide = [] {
  std::array<Wide, 38> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}();

inline constexpr Wide kWideOne = kPow10Wide[kWideScale];

inline Wide wide_abs(Wide v) noexcept { return v < 0 ? -v : v; }
inline Wide wide_max(Wide a, Wide b) noexcept { return a > b ? a : b; }
inline Wide wide_min(Wide a, Wide b) noexcept { return a < b ? a : b; }

inline bool fits_i64(Wide v) noexcept { return v == static_cast<std::int64_t>(v); }

// n / d for d > 0, one hardware division when both fit 64 bits (the usual case).
inline Wide div_trunc(Wide n, Wide d) noexcept {
  if (fits_i64(n) && fits_i64(d)) return static_cast<std::int64_t>(n) / static_cast<std::int64_t>(d);
  return n / d;
}

// Floor and ceiling of n / d for d > 0.
inline Wide div_floor(Wide n, Wide d) noexcept {
  const Wide q = div_trunc(n, d);
  return (q * d != n && n < 0) ? q - 1 : q;
}
inline Wide div_ceil(Wide n, Wide d) noexcept {
  const Wide q = div_trunc(n, d);
  return (q * d != n && n > 0) ? q + 1 : q;
}

// a × b, saturating at ±kWideMax. Two 64-bit factors never overflow 128 bits: one multiply instruction.
inline Wide mul_sat(Wide a, Wide b) noexcept {
  if (fits_i64(a) && fits_i64(b)) return static_cast<Wide>(static_cast<std::int64_t>(a)) * static_cast<std::int64_t>(b);
  Wide out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return ((a < 0) != (b < 0)) ? kWideMin : kWideMax;
  return out;
}

// `raw` at `scale` places moved to kWideScale, rounding toward +∞ (up) or −∞ when places are dropped.
inline Wide rescale_wide(Wide raw, int scale, bool up) noexcept {
  if (scale <= kWideScale) return mul_sat(raw, kPow10Wide[static_cast<std::size_t>(kWideScale - scale)]);
  const Wide d = kPow10Wide[static_cast<std::size_t>(scale - kWideScale)];
  return up ? div_ceil(raw, d) : div_floor(raw, d);
}

inline Wide to_wide(const core::Decimal& d, bool up = true) noexcept {
  if (d.scale() <= kWideScale) {
    return static_cast<Wide>(d.raw()) *
           static_cast<std::int64_t>(kPow10Wide[static_cast<std::size_t>(kWideScale - d.scale())]);
  }
  return rescale_wide(d.raw(), d.scale(), up);
}

// value a multiple of increment (> 0)? Same-scale values use one 64-bit remainder.
inline bool on_increment(const core::Decimal& value, const core::Decimal& increment) {
  if (value.scale() == increment.scale()) return value.raw() % increment.raw() == 0;
  return value.is_multiple_of(increment);
}

// a × b (× c) at kWideScale, rounded up or down when places are dropped.
inline Wide product_wide(const core::Decimal& a, const core::Decimal& b, bool up) noexcept {
  return rescale_wide(static_cast<Wide>(a.raw()) * b.raw(), a.scale() + b.scale(), up);
}
inline Wide product_wide(const core::Decimal& a, const core::Decimal& b, const core::Decimal& c, bool up) noexcept {
  if (c.raw() == 1 && c.scale() == 0) return product_wide(a, b, up);
  const Wide ab = mul_sat(static_cast<Wide>(a.raw()) * b.raw(), c.raw());
  return rescale_wide(ab, a.scale() + b.scale() + c.scale(), up);
}

// True when a / b > ratio for b > 0, all at kWideScale (a·10^12 > ratio·b, exact; saturating).
inline bool ratio_exceeds(Wide a, Wide ratio, Wide b) noexcept {
  return mul_sat(a, kWideOne) > mul_sat(ratio, b);
}

// A Wide as an exact Decimal when one fits (trailing zeros dropped), else rounded toward +∞ at the
// finest scale that fits. For the numbers of a decision only (not on the approve path).
inline core::Decimal to_decimal(Wide v) noexcept {
  int scale = kWideScale;
  while (scale > 0 && v % 10 == 0) {
    v /= 10;
    --scale;
  }
  constexpr Wide kI64Max = std::numeric_limits<std::int64_t>::max();
  while (scale > 0 && (v > kI64Max || v < -kI64Max)) {
    v = div_ceil(v, 10);
    --scale;
  }
  if (v > kI64Max) v = kI64Max;
  if (v < -kI64Max) v = -kI64Max;
  return core::Decimal::from_raw(static_cast<std::int64_t>(v), scale);
}

// A Wide rounded toward +∞ at `places` (<= 12), as a Decimal with exactly that scale.
inline core::Decimal to_decimal_up(Wide v, int places) noexcept {
  const Wide r = div_ceil(v, kPow10Wide[static_cast<std::size_t>(kWideScale - places)]);
  constexpr Wide kI64Max = std::numeric_limits<std::int64_t>::max();
  const Wide clamped = r > kI64Max ? kI64Max : (r < -kI64Max ? -kI64Max : r);
  return core::Decimal::from_raw(static_cast<std::int64_t>(clamped), places);
}

}  // namespace ballast::risk::internal
