#pragma once
// Money: an exact signed amount in one currency. Arithmetic between different currencies is a
// broken invariant (convert explicitly first). Sign convention: positive = credit/profit,
// negative = debit/loss.

#include <string>

#include "ballast/core/decimal.hpp"
#include "ballast/model/currency.hpp"

namespace ballast::model {

class Money {
 public:
  Money() = default;
  // The amount is rounded half-even to the currency's precision when it carries more places.
  Money(core::Decimal amount, Currency currency);
  static Money zero(Currency currency) { return Money(core::Decimal::from_int(0), currency); }
  // "125.50 USDT"-style parsing is left to callers; this parses the amount only.
  static core::Result<Money> parse(std::string_view amount, Currency currency);

  const core::Decimal& amount() const noexcept { return amount_; }
  const Currency& currency() const noexcept { return currency_; }
  double as_double() const noexcept { return amount_.to_double(); }
  // "125.50 USD"
  std::string to_string() const;
  bool is_zero() const noexcept { return amount_.is_zero(); }
  bool is_negative() const noexcept { return amount_.is_negative(); }

  friend Money operator+(const Money& a, const Money& b);
  friend Money operator-(const Money& a, const Money& b);
  Money operator-() const { return Money(-amount_, currency_); }
  Money& operator+=(const Money& o) { return *this = *this + o; }
  Money& operator-=(const Money& o) { return *this = *this - o; }
  friend bool operator==(const Money& a, const Money& b);
  // Requires the same currency.
  friend std::strong_ordering operator<=>(const Money& a, const Money& b);

 private:
  core::Decimal amount_;
  Currency currency_;
};

}  // namespace ballast::model
