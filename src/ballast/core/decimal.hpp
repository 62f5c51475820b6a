#pragma once
// Decimal: an exact fixed-point number, raw / 10^scale with a signed 64-bit raw value and a scale of
// 0..18 decimal places. Money, prices and quantities are built on it (model/price.hpp etc.).
//
// Semantics:
//  - Equality and ordering are by value across scales: 1.50 == 1.5.
//  - + and − give the larger of the two scales and are exact; they throw InvariantError on int64
//    overflow (a broken invariant: amounts that large are never legitimate). checked_* return a Result.
//  - Multiplication and division need a target scale and a RoundingMode; intermediates are 128-bit,
//    so a*b is rounded once, never twice.
//  - Conversion to double is for analytics only; from_double goes through the shortest decimal that
//    round-trips the double (so 0.1 becomes exactly 0.1, not 0.1000000000000000055…).

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::core {

// 128-bit intermediates for exact products and quotients (a GCC/Clang extension).
__extension__ typedef __int128 Int128;

enum class RoundingMode {
  HalfEven,    // to nearest, ties to even (banker's rounding)
  HalfUp,      // to nearest, ties away from zero
  TowardZero,  // truncate
  Down,        // toward −∞ (floor)
  Up,          // toward +∞ (ceiling)
};

std::string_view to_string(RoundingMode mode) noexcept;

class Decimal {
 public:
  static constexpr int kMaxScale = 18;

  constexpr Decimal() = default;
  // raw / 10^scale. Requires 0 <= scale <= 18.
  static Decimal from_raw(std::int64_t raw, int scale);
  static constexpr Decimal from_int(std::int64_t v) { return Decimal(v, 0); }
  // Parses "-12.345", "1e-3", "+7", "0.00100000". The scale is the number of fractional digits
  // written (trailing zeros beyond 18 places are dropped; other digits beyond 18 places are an error).
  static Result<Decimal> parse(std::string_view text);
  // The decimal nearest `v` at `scale` places, rounded with `mode`. NaN/inf and overflow are errors.
  static Result<Decimal> from_double(double v, int scale, RoundingMode mode = RoundingMode::HalfEven);

  constexpr std::int64_t raw() const noexcept { return raw_; }
  constexpr int scale() const noexcept { return scale_; }
  double to_double() const noexcept;
  // Exactly `scale()` fractional digits: "1.50".
  std::string to_string() const;
  // Without trailing fractional zeros: "1.5".
  std::string to_string_trimmed() const;

  bool is_zero() const noexcept { return raw_ == 0; }
  bool is_negative() const noexcept { return raw_ < 0; }
  bool is_positive() const noexcept { return raw_ > 0; }
  int sign() const noexcept { return (raw_ > 0) - (raw_ < 0); }

  // Same value at another scale, rounding when digits are dropped.
  Result<Decimal> rescaled(int scale, RoundingMode mode = RoundingMode::HalfEven) const;
  Decimal rescale(int scale, RoundingMode mode = RoundingMode::HalfEven) const;  // throws on overflow
  // Nearest multiple of `increment` (> 0) using `mode`, at the scale of the increment (101.537 on 0.5 → 101.5).
  Result<Decimal> round_to_increment(const Decimal& increment, RoundingMode mode) const;
  // True when this value is an exact multiple of `increment` (> 0).
  bool is_multiple_of(const Decimal& increment) const;

  Result<Decimal> checked_add(const Decimal& o) const;
  Result<Decimal> checked_sub(const Decimal& o) const;
  // this * o rounded once to `scale` places.
  Result<Decimal> checked_mul(const Decimal& o, int scale, RoundingMode mode = RoundingMode::HalfEven) const;
  // this / o rounded once to `scale` places; division by zero is an error.
  Result<Decimal> checked_div(const Decimal& o, int scale, RoundingMode mode = RoundingMode::HalfEven) const;
  // Multiplication by an integer, exact.
  Result<Decimal> checked_mul_int(std::int64_t k) const;

  Decimal mul(const Decimal& o, int scale, RoundingMode mode = RoundingMode::HalfEven) const;
  Decimal div(const Decimal& o, int scale, RoundingMode mode = RoundingMode::HalfEven) const;

  Decimal operator-() const;
  Decimal abs() const;
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
  Decimal& operator-=(const Decimal& o) { return *this = *this - o; }

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
  friend bool operator==(const Decimal& a, const Decimal& b) noexcept;

 private:
  constexpr Decimal(std::int64_t raw, int scale) : raw_(raw), scale_(static_cast<std::int8_t>(scale)) {}

  std::int64_t raw_ = 0;
  std::int8_t scale_ = 0;
};

// 10^n for 0 <= n <= 18.
std::int64_t pow10_i64(int n);
// Divides n by d (d != 0) with the given rounding.
Int128 div_round(Int128 n, Int128 d, RoundingMode mode) noexcept;

}  // namespace ballast::core
