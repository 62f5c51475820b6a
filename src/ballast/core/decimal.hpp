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
#include <limits>
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
  static Decimal from_raw(std::int64_t raw, int scale) {
    if (scale < 0 || scale > kMaxScale) [[unlikely]] throw_bad_scale(scale);
    return Decimal(raw, scale);
  }
  static constexpr Decimal from_int(std::int64_t v) { return Decimal(v, 0); }
  // Parses "-12.345", "1e-3", "+7", "0.00100000". The scale is the number of fractional digits
  // written (trailing zeros beyond 18 places are dropped; other digits beyond 18 places are an error).
  static Result<Decimal> parse(std::string_view text);
  // The decimal nearest `v` at `scale` places, rounded with `mode`. NaN/inf and overflow are errors.
  static Result<Decimal> from_double(double v, int scale, RoundingMode mode = RoundingMode::HalfEven);

  constexpr std::int64_t raw() const noexcept { return raw_; }
  constexpr int scale() const noexcept { return scale_; }
  inline double to_double() const noexcept;
  // to_double() within a relative 3·10⁻¹⁶, by a multiplication instead of a division: for tests that keep a
  // margin far wider than that (is this ratio clearly below a level?), several per market update.
  inline double approx_double() const noexcept;
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

  Decimal operator-() const {
    if (raw_ == std::numeric_limits<std::int64_t>::min()) [[unlikely]] throw_negation_overflow();
    return Decimal(-raw_, scale_);
  }
  Decimal abs() const { return raw_ < 0 ? -*this : *this; }
  // Same scale (nearly every price, quantity and money sum) inline; mixed scales out of line.
  friend inline Decimal operator+(const Decimal& a, const Decimal& b);
  friend inline Decimal operator-(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
  Decimal& operator-=(const Decimal& o) { return *this = *this - o; }

  friend inline std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
  friend inline bool operator==(const Decimal& a, const Decimal& b) noexcept;

 private:
  constexpr Decimal(std::int64_t raw, int scale) : raw_(raw), scale_(static_cast<std::int8_t>(scale)) {}

  // The out-of-line halves of the inline operators: operands at different scales, and overflow.
  static Decimal add_mixed(const Decimal& a, const Decimal& b);
  static Decimal sub_mixed(const Decimal& a, const Decimal& b);
  static std::strong_ordering compare_mixed(const Decimal& a, const Decimal& b) noexcept;
  [[noreturn]] static void throw_overflow(const Decimal& a, const char* op, const Decimal& b);
  [[noreturn]] static void throw_bad_scale(int scale);
  [[noreturn]] static void throw_negation_overflow();

  std::int64_t raw_ = 0;
  std::int8_t scale_ = 0;
};

// 10^n for 0 <= n <= 18.
std::int64_t pow10_i64(int n);

namespace detail {
inline constexpr std::int64_t kPow10Int[19] = {1LL,
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
inline constexpr double kPow10Double[19] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                            1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
inline constexpr double kInversePow10Double[19] = {1e-0,  1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,
                                                   1e-7,  1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13,
                                                   1e-14, 1e-15, 1e-16, 1e-17, 1e-18};
}  // namespace detail

inline double Decimal::to_double() const noexcept {
  return static_cast<double>(raw_) / detail::kPow10Double[static_cast<unsigned>(scale_)];
}

inline double Decimal::approx_double() const noexcept {
  return static_cast<double>(raw_) * detail::kInversePow10Double[static_cast<unsigned>(scale_)];
}

inline Decimal operator+(const Decimal& a, const Decimal& b) {
  if (a.scale_ != b.scale_) return Decimal::add_mixed(a, b);
  std::int64_t out = 0;
  if (__builtin_add_overflow(a.raw_, b.raw_, &out)) [[unlikely]] Decimal::throw_overflow(a, "+", b);
  return Decimal(out, a.scale_);
}

inline Decimal operator-(const Decimal& a, const Decimal& b) {
  if (a.scale_ != b.scale_) return Decimal::sub_mixed(a, b);
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a.raw_, b.raw_, &out)) [[unlikely]] Decimal::throw_overflow(a, "-", b);
  return Decimal(out, a.scale_);
}

// Same scale inline; mixed scales out of line: with its 128-bit products inline the operator was too large for
// GCC to inline, and every comparison of two prices became a call. Always inline: GCC still made some of them
// calls (two per bar in the simulated venue).
[[gnu::always_inline]] inline std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
  if (a.scale_ == b.scale_) return a.raw_ <=> b.raw_;
  return Decimal::compare_mixed(a, b);
}

[[gnu::always_inline]] inline bool operator==(const Decimal& a, const Decimal& b) noexcept {
  if (a.scale_ == b.scale_) return a.raw_ == b.raw_;
  return Decimal::compare_mixed(a, b) == 0;
}
// Divides n by d (d != 0) with the given rounding.
Int128 div_round(Int128 n, Int128 d, RoundingMode mode) noexcept;

}  // namespace ballast::core
