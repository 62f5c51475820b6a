#include "ballast/model/money.hpp"

#include <fmt/format.h>

namespace ballast::model {
namespace {
void require_same_currency(const Money& a, const Money& b, const char* op) {
  BALLAST_REQUIRE(a.currency() == b.currency(),
                  fmt::format("money {} across currencies: {} {} {}", op, a.to_string(), op, b.to_string()));
}
}  // namespace

Money::Money(core::Decimal amount, Currency currency) : amount_(amount), currency_(currency) {
  BALLAST_REQUIRE(!currency.empty(), "money needs a currency");
  if (amount_.scale() != currency_.precision()) {
    amount_ = amount_.rescale(currency_.precision(), core::RoundingMode::HalfEven);
  }
}

core::Result<Money> Money::parse(std::string_view amount, Currency currency) {
  auto d = core::Decimal::parse(amount);
  if (!d) return d.error();
  if (d->scale() > currency.precision()) {
    auto r = d->rescaled(currency.precision(), core::RoundingMode::TowardZero);
    if (!r || *r != *d) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("amount '{}' has more than {} decimal places for {}", amount,
                                     currency.precision(), currency.code()));
    }
  }
  return Money(*d, currency);
}

std::string Money::to_string() const { return fmt::format("{} {}", amount_.to_string(), currency_.code()); }

Money operator+(const Money& a, const Money& b) {
  require_same_currency(a, b, "+");
  return Money(a.amount_ + b.amount_, a.currency_);
}

Money operator-(const Money& a, const Money& b) {
  require_same_currency(a, b, "-");
  return Money(a.amount_ - b.amount_, a.currency_);
}

bool operator==(const Money& a, const Money& b) { return a.currency_ == b.currency_ && a.amount_ == b.amount_; }

std::strong_ordering operator<=>(const Money& a, const Money& b) {
  require_same_currency(a, b, "compare");
  return a.amount_ <=> b.amount_;
}

}  // namespace ballast::model
