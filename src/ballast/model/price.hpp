#pragma once
// Price and Quantity: exact decimals (core::Decimal) with the precision they were quoted at.
// Price may be negative (spreads, some futures); Quantity is never negative — signed exposure
// (long > 0, short < 0) is a core::Decimal. Rounding to an instrument's tick or step size is always
// explicit: round_to_tick(tick, mode) / round_to_step(step, mode).

#include <string>
#include <string_view>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::model {

using core::Decimal;
using core::RoundingMode;

class Price {
 public:
  constexpr Price() = default;
  explicit Price(Decimal value) : value_(value) {}
  static Price from_raw(std::int64_t raw, int precision) { return Price(Decimal::from_raw(raw, precision)); }
  static core::Result<Price> parse(std::string_view text);
  static core::Result<Price> from_double(double v, int precision, RoundingMode mode = RoundingMode::HalfEven);

  const Decimal& value() const noexcept { return value_; }
  int precision() const noexcept { return value_.scale(); }
  double as_double() const noexcept { return value_.to_double(); }
  std::string to_string() const { return value_.to_string(); }
  bool is_zero() const noexcept { return value_.is_zero(); }
  bool is_positive() const noexcept { return value_.is_positive(); }

  core::Result<Price> round_to_tick(const Price& tick, RoundingMode mode) const;
  bool is_on_tick(const Price& tick) const { return value_.is_multiple_of(tick.value_); }

  friend Price operator+(const Price& a, const Price& b) { return Price(a.value_ + b.value_); }
  friend Price operator-(const Price& a, const Price& b) { return Price(a.value_ - b.value_); }
  friend auto operator<=>(const Price& a, const Price& b) noexcept { return a.value_ <=> b.value_; }
  friend bool operator==(const Price& a, const Price& b) noexcept { return a.value_ == b.value_; }

 private:
  Decimal value_;
};

class Quantity {
 public:
  constexpr Quantity() = default;
  // Requires value >= 0 (InvariantError otherwise). Inline: it is on every market-data hot path.
  explicit Quantity(Decimal value) : value_(value) {
    if (value.is_negative()) [[unlikely]] throw_negative(value);
  }
  static Quantity from_raw(std::int64_t raw, int precision) { return Quantity(Decimal::from_raw(raw, precision)); }
  static Quantity from_int(std::int64_t v) { return Quantity(Decimal::from_int(v)); }
  // Errors on a negative or malformed value.
  static core::Result<Quantity> parse(std::string_view text);
  static core::Result<Quantity> from_double(double v, int precision, RoundingMode mode = RoundingMode::HalfEven);

  const Decimal& value() const noexcept { return value_; }
  int precision() const noexcept { return value_.scale(); }
  double as_double() const noexcept { return value_.to_double(); }
  std::string to_string() const { return value_.to_string(); }
  bool is_zero() const noexcept { return value_.is_zero(); }
  bool is_positive() const noexcept { return value_.is_positive(); }

  core::Result<Quantity> round_to_step(const Quantity& step, RoundingMode mode) const;
  bool is_on_step(const Quantity& step) const { return value_.is_multiple_of(step.value_); }

  friend Quantity operator+(const Quantity& a, const Quantity& b) { return Quantity(a.value_ + b.value_); }
  // Requires a >= b.
  friend Quantity operator-(const Quantity& a, const Quantity& b) { return Quantity(a.value_ - b.value_); }
  Quantity& operator+=(const Quantity& o) { return *this = *this + o; }
  Quantity& operator-=(const Quantity& o) { return *this = *this - o; }
  friend auto operator<=>(const Quantity& a, const Quantity& b) noexcept { return a.value_ <=> b.value_; }
  friend bool operator==(const Quantity& a, const Quantity& b) noexcept { return a.value_ == b.value_; }

 private:
  [[noreturn]] static void throw_negative(const Decimal& value);
  Decimal value_;
};

}  // namespace ballast::model
