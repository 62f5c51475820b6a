#include "ballast/core/decimal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace ballast::core {
namespace {

constexpr const auto& kPow10 = detail::kPow10Int;  // 10^0 … 10^18 (decimal.hpp)

constexpr Int128 kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr Int128 kI64Min = std::numeric_limits<std::int64_t>::min();

bool fits_i64(Int128 v) { return v >= kI64Min && v <= kI64Max; }

Int128 pow10_i128(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

Error overflow_error(std::string_view op, const Decimal& a, const Decimal& b) {
  return Error(ErrorCode::Overflow, fmt::format("decimal overflow in {} {} {}", a.to_string(), op, b.to_string()));
}

Error scale_error(int scale) {
  return Error(ErrorCode::OutOfRange, fmt::format("decimal scale {} outside 0..{}", scale, Decimal::kMaxScale));
}

}  // namespace

std::string_view to_string(RoundingMode mode) noexcept {
  switch (mode) {
    case RoundingMode::HalfEven: return "HALF_EVEN";
    case RoundingMode::HalfUp: return "HALF_UP";
    case RoundingMode::TowardZero: return "TOWARD_ZERO";
    case RoundingMode::Down: return "DOWN";
    case RoundingMode::Up: return "UP";
  }
  return "HALF_EVEN";
}

std::int64_t pow10_i64(int n) {
  BALLAST_REQUIRE(n >= 0 && n <= Decimal::kMaxScale, fmt::format("pow10 exponent {} outside 0..18", n));
  return kPow10[static_cast<std::size_t>(n)];
}

namespace {

// The rounding step of div_round: q and r are the truncated quotient and remainder of n / d (r != 0),
// `negative` the sign of the exact quotient; |r| is compared with |d| − |r| (never 2|r|, which could
// overflow), so this works for any |d| up to the type's range.
template <class Q, class U>
Q round_quotient(Q q, U abs_r, U abs_d, bool negative, bool q_odd, RoundingMode mode) noexcept {
  const Q step = negative ? Q(-1) : Q(1);
  const U rest = abs_d - abs_r;  // > 0
  switch (mode) {
    case RoundingMode::TowardZero: return q;
    case RoundingMode::Down: return negative ? q - 1 : q;
    case RoundingMode::Up: return negative ? q : q + 1;
    case RoundingMode::HalfUp: return abs_r >= rest ? q + step : q;
    case RoundingMode::HalfEven:
      if (abs_r > rest) return q + step;
      if (abs_r == rest && q_odd) return q + step;
      return q;
  }
  return q;
}

}  // namespace

Int128 div_round(Int128 n, Int128 d, RoundingMode mode) noexcept {
  // Fast path: both operands fit 64 bits (nearly every price, quantity and money operation). A 128-bit
  // division is a library call several times slower than the hardware's 64-bit divide.
  constexpr Int128 kMin = std::numeric_limits<std::int64_t>::min();
  constexpr Int128 kMax = std::numeric_limits<std::int64_t>::max();
  if (n > kMin && n <= kMax && d > kMin && d <= kMax) {
    const auto nn = static_cast<std::int64_t>(n);
    const auto dd = static_cast<std::int64_t>(d);
    const std::int64_t q = nn / dd;
    const std::int64_t r = nn % dd;
    if (r == 0) return q;
    const auto abs_r = static_cast<std::uint64_t>(r < 0 ? -r : r);
    const auto abs_d = static_cast<std::uint64_t>(dd < 0 ? -dd : dd);
    return round_quotient<std::int64_t, std::uint64_t>(q, abs_r, abs_d, (nn < 0) != (dd < 0), (q % 2) != 0, mode);
  }
  Int128 q = n / d;
  const Int128 r = n % d;
  if (r == 0) return q;
  const bool negative = (n < 0) != (d < 0);
  const Int128 step = negative ? -1 : 1;
  const Int128 abs_r2 = (r < 0 ? -r : r) * 2;
  const Int128 abs_d = d < 0 ? -d : d;
  switch (mode) {
    case RoundingMode::TowardZero: return q;
    case RoundingMode::Down: return negative ? q - 1 : q;
    case RoundingMode::Up: return negative ? q : q + 1;
    case RoundingMode::HalfUp: return abs_r2 >= abs_d ? q + step : q;
    case RoundingMode::HalfEven:
      if (abs_r2 > abs_d) return q + step;
      if (abs_r2 == abs_d && (q % 2 != 0)) return q + step;
      return q;
  }
  return q;
}

namespace {

// n / 10^k truncated toward zero, 1 <= k <= 18. Each divisor is a constant of its case, which the compiler
// turns into a multiplication and a shift: a rescale does not pay for a hardware divide.
template <std::size_t... K>
std::int64_t truncate_pow10(std::int64_t n, int k, std::index_sequence<K...>) noexcept {
  std::int64_t q = 0;
  (void)((static_cast<int>(K) + 1 == k ? (q = n / kPow10[K + 1], true) : false) || ...);
  return q;
}

// div_round(n, 10^k, mode) for 0 <= k <= 18.
Int128 div_round_pow10(Int128 n, int k, RoundingMode mode) noexcept {
  if (k == 0) return n;
  if (!fits_i64(n)) return div_round(n, kPow10[static_cast<std::size_t>(k)], mode);
  const auto nn = static_cast<std::int64_t>(n);
  const std::int64_t d = kPow10[static_cast<std::size_t>(k)];
  const std::int64_t q = truncate_pow10(nn, k, std::make_index_sequence<Decimal::kMaxScale>());
  const std::int64_t r = nn - q * d;
  if (r == 0) return q;
  const auto abs_r = static_cast<std::uint64_t>(r < 0 ? -r : r);
  return round_quotient<std::int64_t, std::uint64_t>(q, abs_r, static_cast<std::uint64_t>(d), nn < 0, (q % 2) != 0,
                                                     mode);
}

}  // namespace

void Decimal::throw_bad_scale(int scale) {
  throw_invariant_error("precondition", "scale >= 0 && scale <= kMaxScale",
                        fmt::format("decimal scale {} outside 0..18", scale), __FILE__, __LINE__);
}

namespace {

Error parse_error(std::string_view text, std::string_view why) {
  return Error(ErrorCode::ParseError, fmt::format("invalid number '{}': {}", text, why));
}

// A decimal literal as written: value = ±mantissa · 10^exponent. Zeros are held back until a nonzero
// digit follows, so trailing zeros land in the exponent rather than in the mantissa; this is what lets
// "1.000000000000000000000" (21 places) and "0.0000000000000000000005e10" be read exactly.
struct Literal {
  bool negative = false;
  Int128 mantissa = 0;  // at most 2^63: any larger significand cannot be an int64 raw value
  int exponent = 0;
  int written_scale = 0;  // fractional digits written minus the exponent ("1.50" → 2, "1e-3" → 3)
};

Result<Literal> parse_literal(std::string_view text) {
  constexpr int kMaxExponent = 1000;  // covers every double ("5e-324"); larger ones can only overflow
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (n == 0) return parse_error(text, "empty");
  Literal lit;
  if (text[0] == '-' || text[0] == '+') {
    lit.negative = text[0] == '-';
    ++i;
  }
  int frac_digits = 0;
  int pending_zeros = 0;
  bool any_digit = false;
  bool seen_dot = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (seen_dot) ++frac_digits;
      if (c == '0') {
        ++pending_zeros;
        continue;
      }
      for (; pending_zeros > 0; --pending_zeros) {
        lit.mantissa *= 10;
        if (lit.mantissa > kI64Max + 1) break;
      }
      lit.mantissa = lit.mantissa * 10 + (c - '0');
      if (lit.mantissa > kI64Max + 1) {
        return parse_error(
            text, seen_dot && frac_digits > Decimal::kMaxScale ? "more than 18 decimal places" : "out of range");
      }
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return parse_error(text, "no digits");
  int written_exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i >= n) return parse_error(text, "missing exponent");
    for (; i < n; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return parse_error(text, "bad exponent");
      written_exponent = written_exponent * 10 + (c - '0');
      if (written_exponent > kMaxExponent) return parse_error(text, "exponent out of range");
    }
    if (exp_negative) written_exponent = -written_exponent;
  }
  if (i != n) return parse_error(text, fmt::format("unexpected character '{}'", text[i]));
  lit.exponent = pending_zeros - frac_digits + written_exponent;
  lit.written_scale = frac_digits - written_exponent;
  return lit;
}

}  // namespace

Result<Decimal> Decimal::parse(std::string_view text) {
  auto lit = parse_literal(text);
  if (!lit) return lit.error();
  const int scale = std::clamp(lit->written_scale, 0, kMaxScale);
  // raw = ±mantissa · 10^shift; shift < 0 only when nonzero digits sit beyond 18 places.
  const int shift = lit->exponent + scale;
  Int128 raw = 0;
  if (lit->mantissa != 0) {
    if (shift < 0) return parse_error(text, "more than 18 decimal places");
    if (shift > kMaxScale) return parse_error(text, "out of range");
    raw = lit->mantissa * kPow10[static_cast<std::size_t>(shift)];
  }
  if (lit->negative) raw = -raw;
  if (!fits_i64(raw)) return parse_error(text, "out of range");
  return Decimal(static_cast<std::int64_t>(raw), scale);
}

Result<Decimal> Decimal::from_double(double v, int scale, RoundingMode mode) {
  if (!std::isfinite(v)) return Error(ErrorCode::InvalidArgument, "cannot convert a NaN or infinite double to a decimal");
  if (scale < 0 || scale > kMaxScale) return scale_error(scale);
  // The shortest decimal string that round-trips v (at most 17 significant digits), rounded once, exactly.
  auto lit = parse_literal(fmt::format("{}", v));
  if (!lit) return lit.error();
  const Int128 m = lit->negative ? -lit->mantissa : lit->mantissa;
  const int shift = lit->exponent + scale;  // raw = m · 10^shift
  Int128 raw = 0;
  if (m == 0) {
    raw = 0;
  } else if (shift > kMaxScale) {
    return Error(ErrorCode::Overflow, fmt::format("{} does not fit a decimal with {} places", v, scale));
  } else if (shift >= 0) {
    raw = m * kPow10[static_cast<std::size_t>(shift)];
  } else if (shift >= -36) {
    raw = div_round(m, pow10_i128(-shift), mode);
  } else {
    // |m| < 10^17, so |v| · 10^scale < 10^-19: no tie is possible and only the direction matters.
    raw = div_round(m < 0 ? -1 : 1, 10, mode);
  }
  if (!fits_i64(raw)) {
    return Error(ErrorCode::Overflow, fmt::format("{} does not fit a decimal with {} places", v, scale));
  }
  return Decimal(static_cast<std::int64_t>(raw), scale);
}

std::string Decimal::to_string() const {
  const bool negative = raw_ < 0;
  // Work in unsigned to handle INT64_MIN.
  const std::uint64_t mag = negative ? static_cast<std::uint64_t>(-(raw_ + 1)) + 1 : static_cast<std::uint64_t>(raw_);
  const std::string digits = fmt::format("{}", mag);
  const auto scale = static_cast<std::size_t>(scale_);
  // Built in one pass (sign, integer part, point, zero-padded fraction); g++ 12 misreports
  // std::string::insert here as -Wrestrict.
  std::string out;
  out.reserve(digits.size() + scale + 3);
  if (negative) out.push_back('-');
  if (scale == 0) {
    out.append(digits);
  } else if (digits.size() > scale) {
    out.append(digits, 0, digits.size() - scale).push_back('.');
    out.append(digits, digits.size() - scale, scale);
  } else {
    out.append("0.").append(scale - digits.size(), '0').append(digits);
  }
  return out;
}

std::string Decimal::to_string_trimmed() const {
  std::string s = to_string();
  if (scale_ > 0) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

Result<Decimal> Decimal::rescaled(int scale, RoundingMode mode) const {
  if (scale < 0 || scale > kMaxScale) return scale_error(scale);
  if (scale == scale_) return *this;
  if (scale > scale_) {
    const Int128 v = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(scale - scale_)];
    if (!fits_i64(v)) {
      return Error(ErrorCode::Overflow, fmt::format("decimal {} does not fit at {} places", to_string(), scale));
    }
    return Decimal(static_cast<std::int64_t>(v), scale);
  }
  const Int128 v = div_round_pow10(raw_, scale_ - scale, mode);
  return Decimal(static_cast<std::int64_t>(v), scale);
}

Decimal Decimal::rescale(int scale, RoundingMode mode) const {
  // Down (or to the same scale) cannot overflow: computed here, not unpacked from a Result (a Result read
  // back from memory right after it was written stalls, and rescaling runs on every mark).
  if (scale >= 0 && scale <= scale_) {
    if (scale == scale_) return *this;
    return Decimal(static_cast<std::int64_t>(div_round_pow10(raw_, scale_ - scale, mode)), scale);
  }
  auto r = rescaled(scale, mode);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

Result<Decimal> Decimal::round_to_increment(const Decimal& increment, RoundingMode mode) const {
  if (!increment.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("rounding increment must be positive, got {}", increment.to_string()));
  }
  const int s = std::max<int>(scale_, increment.scale_);
  const Int128 a = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(s - scale_)];
  const Int128 inc = static_cast<Int128>(increment.raw_) * kPow10[static_cast<std::size_t>(s - increment.scale_)];
  const Int128 units = div_round(a, inc, mode);
  const Int128 out = units * inc;
  if (!fits_i64(out)) return overflow_error("round to", *this, increment);
  // Present the result at the increment's scale when that loses nothing (price 101.50 on tick 0.5 → 101.5).
  Decimal result(static_cast<std::int64_t>(out), s);
  if (increment.scale_ < s) {
    auto narrowed = result.rescaled(increment.scale_, RoundingMode::TowardZero);
    if (narrowed && *narrowed == result) return *narrowed;
  }
  return result;
}

bool Decimal::is_multiple_of(const Decimal& increment) const {
  BALLAST_REQUIRE(increment.is_positive(), "is_multiple_of needs a positive increment");
  const int s = std::max<int>(scale_, increment.scale_);
  const Int128 a = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(s - scale_)];
  const Int128 inc = static_cast<Int128>(increment.raw_) * kPow10[static_cast<std::size_t>(s - increment.scale_)];
  return a % inc == 0;
}

Result<Decimal> Decimal::checked_add(const Decimal& o) const {
  const int s = std::max<int>(scale_, o.scale_);
  const Int128 a = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(s - scale_)];
  const Int128 b = static_cast<Int128>(o.raw_) * kPow10[static_cast<std::size_t>(s - o.scale_)];
  const Int128 v = a + b;
  if (!fits_i64(v)) return overflow_error("+", *this, o);
  return Decimal(static_cast<std::int64_t>(v), s);
}

Result<Decimal> Decimal::checked_sub(const Decimal& o) const {
  const int s = std::max<int>(scale_, o.scale_);
  const Int128 a = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(s - scale_)];
  const Int128 b = static_cast<Int128>(o.raw_) * kPow10[static_cast<std::size_t>(s - o.scale_)];
  const Int128 v = a - b;
  if (!fits_i64(v)) return overflow_error("-", *this, o);
  return Decimal(static_cast<std::int64_t>(v), s);
}

Result<Decimal> Decimal::checked_mul(const Decimal& o, int scale, RoundingMode mode) const {
  if (scale < 0 || scale > kMaxScale) return scale_error(scale);
  // raw_a * raw_b has scale sa + sb (<= 36); |raw_a * raw_b| < 2^126 always fits Int128.
  const Int128 product = static_cast<Int128>(raw_) * o.raw_;
  const int ps = scale_ + o.scale_;
  Int128 v = product;
  if (ps > scale) {
    v = ps - scale <= kMaxScale ? div_round_pow10(product, ps - scale, mode) : div_round(product, pow10_i128(ps - scale), mode);
  } else if (ps < scale) {
    // Scaling up by 10 or more: a product beyond int64 cannot fit afterwards; one within it cannot
    // overflow 128 bits (|product| · 10^18 < 2^123), and the range check below settles the rest.
    if (!fits_i64(product)) return overflow_error("*", *this, o);
    v = product * pow10_i128(scale - ps);
  }
  if (!fits_i64(v)) return overflow_error("*", *this, o);
  return Decimal(static_cast<std::int64_t>(v), scale);
}

Result<Decimal> Decimal::checked_div(const Decimal& o, int scale, RoundingMode mode) const {
  if (scale < 0 || scale > kMaxScale) return scale_error(scale);
  if (o.raw_ == 0) return Error(ErrorCode::InvalidArgument, fmt::format("division of {} by zero", to_string()));
  // (ra / 10^sa) / (rb / 10^sb) * 10^scale = ra * 10^(scale + sb - sa) / rb
  const int shift = scale + o.scale_ - scale_;
  Int128 num = raw_;
  Int128 den = o.raw_;
  if (shift >= 0) {
    // shift <= 36; ra * 10^shift may exceed int128 only when shift is large: split the scaling.
    if (shift > 18) {
      num *= kPow10[18];
      const int rest = shift - 18;
      const Int128 limit = (static_cast<Int128>(1) << 126) / kPow10[static_cast<std::size_t>(rest)];
      if (num > limit || num < -limit) return overflow_error("/", *this, o);
      num *= kPow10[static_cast<std::size_t>(rest)];
    } else {
      num *= kPow10[static_cast<std::size_t>(shift)];
    }
  } else {
    den *= pow10_i128(-shift);
  }
  const Int128 v = div_round(num, den, mode);
  if (!fits_i64(v)) return overflow_error("/", *this, o);
  return Decimal(static_cast<std::int64_t>(v), scale);
}

Result<Decimal> Decimal::checked_mul_int(std::int64_t k) const {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(raw_, k, &out)) return overflow_error("*", *this, Decimal::from_int(k));
  return Decimal(out, scale_);
}

Decimal Decimal::mul(const Decimal& o, int scale, RoundingMode mode) const {
  auto r = checked_mul(o, scale, mode);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

Decimal Decimal::div(const Decimal& o, int scale, RoundingMode mode) const {
  // The common case as checked_div computes it (a dividend scaled up by at most 10^18), without the Result.
  if (o.raw_ != 0 && scale >= 0 && scale <= kMaxScale) {
    const int shift = scale + o.scale_ - scale_;
    if (shift >= 0 && shift <= kMaxScale) {
      // A divisor of raw 1 (a leverage of 1, most positions) divides by nothing: no hardware divide.
      const Int128 scaled = static_cast<Int128>(raw_) * kPow10[static_cast<std::size_t>(shift)];
      const Int128 v = o.raw_ == 1 ? scaled : div_round(scaled, o.raw_, mode);
      if (fits_i64(v)) return Decimal(static_cast<std::int64_t>(v), scale);
    }
  }
  auto r = checked_div(o, scale, mode);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

void Decimal::throw_negation_overflow() {
  throw_invariant_error("precondition", "raw_ != INT64_MIN", "decimal negation overflow", __FILE__, __LINE__);
}

void Decimal::throw_overflow(const Decimal& a, const char* op, const Decimal& b) {
  throw_invariant_error("precondition", "no int64 overflow", "decimal overflow in " + a.to_string() + " " + op + " " + b.to_string(),
                        __FILE__, __LINE__);
}

// Both sides at the larger scale in 128 bits (|raw| · 10^18 < 2^123: no overflow).
std::strong_ordering Decimal::compare_mixed(const Decimal& a, const Decimal& b) noexcept {
  const int s = std::max<int>(a.scale_, b.scale_);
  const Int128 x = static_cast<Int128>(a.raw_) * kPow10[static_cast<std::size_t>(s - a.scale_)];
  const Int128 y = static_cast<Int128>(b.raw_) * kPow10[static_cast<std::size_t>(s - b.scale_)];
  return x <=> y;
}

Decimal Decimal::add_mixed(const Decimal& a, const Decimal& b) {
  const int s = std::max<int>(a.scale_, b.scale_);
  const Int128 v = static_cast<Int128>(a.raw_) * kPow10[static_cast<std::size_t>(s - a.scale_)] +
                   static_cast<Int128>(b.raw_) * kPow10[static_cast<std::size_t>(s - b.scale_)];
  if (!fits_i64(v)) [[unlikely]] throw_overflow(a, "+", b);
  return Decimal(static_cast<std::int64_t>(v), s);
}

Decimal Decimal::sub_mixed(const Decimal& a, const Decimal& b) {
  const int s = std::max<int>(a.scale_, b.scale_);
  const Int128 v = static_cast<Int128>(a.raw_) * kPow10[static_cast<std::size_t>(s - a.scale_)] -
                   static_cast<Int128>(b.raw_) * kPow10[static_cast<std::size_t>(s - b.scale_)];
  if (!fits_i64(v)) [[unlikely]] throw_overflow(a, "-", b);
  return Decimal(static_cast<std::int64_t>(v), s);
}

}  // namespace ballast::core
