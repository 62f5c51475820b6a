#include "ballast/core/decimal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ballast::core {
namespace {

constexpr std::array<std::int64_t, 19> kPow10{1LL,
                                              10LL,
                                              100LL,
                                              1'000LL,
                                              10'000LL,
                                              100'000LL,
                                              1'000'000LL,
                                              10'000'000LL,
                                              100'000'000LL,
                                              1'000'000'000LL,
                                              10'000'000'000LL,
                                              100'000'000'000LL,
                                              1'000'000'000'000LL,
                                              10'000'000'000'000LL,
                                              100'000'000'000'000LL,
                                              1'000'000'000'000'000LL,
                                              10'000'000'000'000'000LL,
                                              100'000'000'000'000'000LL,
                                              1'000'000'000'000'000'000LL};

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

Int128 div_round(Int128 n, Int128 d, RoundingMode mode) noexcept {
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

Decimal Decimal::from_raw(std::int64_t raw, int scale) {
  BALLAST_REQUIRE(scale >= 0 && scale <= kMaxScale, fmt::format("decimal scale {} outside 0..18", scale));
  return Decimal(raw, scale);
}

Result<Decimal> Decimal::parse(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Error(ErrorCode::ParseError, fmt::format("invalid number '{}': {}", text, why));
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (n == 0) return bad("empty");
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  Int128 mantissa = 0;
  int frac_digits = 0;
  int pending_zeros = 0;  // fractional zeros beyond kMaxScale, kept only if a nonzero digit follows
  bool any_digit = false;
  bool seen_dot = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (seen_dot && frac_digits >= kMaxScale) {
        if (c != '0') return bad("more than 18 decimal places");
        ++pending_zeros;
        continue;
      }
      mantissa = mantissa * 10 + (c - '0');
      if (mantissa > kI64Max + 1) return bad("out of range");
      if (seen_dot) ++frac_digits;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return bad("no digits");
  int exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i >= n) return bad("missing exponent");
    for (; i < n; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return bad("bad exponent");
      exponent = exponent * 10 + (c - '0');
      if (exponent > 40) return bad("exponent out of range");
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return bad(fmt::format("unexpected character '{}'", text[i]));
  (void)pending_zeros;
  int scale = frac_digits - exponent;
  while (scale < 0) {
    mantissa *= 10;
    if (mantissa > kI64Max + 1) return bad("out of range");
    ++scale;
  }
  while (scale > kMaxScale) {
    if (mantissa % 10 != 0) return bad("more than 18 decimal places");
    mantissa /= 10;
    --scale;
  }
  if (negative) mantissa = -mantissa;
  if (!fits_i64(mantissa)) return bad("out of range");
  return Decimal(static_cast<std::int64_t>(mantissa), scale);
}

Result<Decimal> Decimal::from_double(double v, int scale, RoundingMode mode) {
  if (!std::isfinite(v)) return Error(ErrorCode::InvalidArgument, "cannot convert a NaN or infinite double to a decimal");
  if (scale < 0 || scale > kMaxScale) return scale_error(scale);
  if (std::fabs(v) >= 9.2e18 / static_cast<double>(kPow10[static_cast<std::size_t>(scale)])) {
    return Error(ErrorCode::Overflow, fmt::format("{} does not fit a decimal with {} places", v, scale));
  }
  // The shortest decimal string that round-trips v, then exact decimal rounding.
  std::string shortest = fmt::format("{}", v);
  auto parsed = parse(shortest);
  if (!parsed) {
    // Values with more than 18 significant fractional places (e.g. 1e-25): round in floating point.
    const double scaled = v * static_cast<double>(kPow10[static_cast<std::size_t>(scale)]);
    double r = 0;
    switch (mode) {
      case RoundingMode::HalfEven: r = std::nearbyint(scaled); break;
      case RoundingMode::HalfUp: r = std::round(scaled); break;
      case RoundingMode::TowardZero: r = std::trunc(scaled); break;
      case RoundingMode::Down: r = std::floor(scaled); break;
      case RoundingMode::Up: r = std::ceil(scaled); break;
    }
    return Decimal(static_cast<std::int64_t>(r), scale);
  }
  return parsed->rescaled(scale, mode);
}

double Decimal::to_double() const noexcept {
  return static_cast<double>(raw_) / static_cast<double>(kPow10[static_cast<std::size_t>(scale_)]);
}

std::string Decimal::to_string() const {
  const bool negative = raw_ < 0;
  // Work in unsigned to handle INT64_MIN.
  const std::uint64_t mag = negative ? static_cast<std::uint64_t>(-(raw_ + 1)) + 1 : static_cast<std::uint64_t>(raw_);
  std::string digits = fmt::format("{}", mag);
  if (scale_ > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale_)) {
      digits.insert(0, static_cast<std::size_t>(scale_) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<std::size_t>(scale_), ".");
  }
  if (negative) digits.insert(0, "-");
  return digits;
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
  const Int128 v = div_round(raw_, kPow10[static_cast<std::size_t>(scale_ - scale)], mode);
  return Decimal(static_cast<std::int64_t>(v), scale);
}

Decimal Decimal::rescale(int scale, RoundingMode mode) const {
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
  Int128 v = 0;
  if (ps >= scale) {
    v = div_round(product, pow10_i128(ps - scale), mode);
  } else {
    const Int128 up = pow10_i128(scale - ps);
    // Guard the multiply: |product| * up must stay within int64 for the result anyway.
    if (product != 0 && (product > kI64Max / up || product < kI64Min / up)) return overflow_error("*", *this, o);
    v = product * up;
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
  auto r = checked_div(o, scale, mode);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

Decimal Decimal::operator-() const {
  BALLAST_REQUIRE(raw_ != std::numeric_limits<std::int64_t>::min(), "decimal negation overflow");
  return Decimal(-raw_, scale_);
}

Decimal Decimal::abs() const { return raw_ < 0 ? -*this : *this; }

Decimal operator+(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) {
    std::int64_t out = 0;
    BALLAST_REQUIRE(!__builtin_add_overflow(a.raw_, b.raw_, &out), "decimal overflow in " + a.to_string() + " + " + b.to_string());
    return Decimal(out, a.scale_);
  }
  auto r = a.checked_add(b);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) {
    std::int64_t out = 0;
    BALLAST_REQUIRE(!__builtin_sub_overflow(a.raw_, b.raw_, &out), "decimal overflow in " + a.to_string() + " - " + b.to_string());
    return Decimal(out, a.scale_);
  }
  auto r = a.checked_sub(b);
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
  if (a.scale_ == b.scale_) return a.raw_ <=> b.raw_;
  const int s = std::max<int>(a.scale_, b.scale_);
  const Int128 x = static_cast<Int128>(a.raw_) * kPow10[static_cast<std::size_t>(s - a.scale_)];
  const Int128 y = static_cast<Int128>(b.raw_) * kPow10[static_cast<std::size_t>(s - b.scale_)];
  return x <=> y;
}

bool operator==(const Decimal& a, const Decimal& b) noexcept { return (a <=> b) == 0; }

}  // namespace ballast::core
