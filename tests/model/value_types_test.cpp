// Currency, Price, Quantity and Money. Currency precisions follow ISO-4217 minor units for fiat
// (USD/EUR/GBP/CHF 2, JPY 0) and the smallest on-ledger unit for XRP and ADA (10^-6); the 8-place crypto
// default is the header's documented choice. Every other expected value is exact decimal arithmetic.

#include "ballast/model/currency.hpp"
#include "ballast/model/market_data.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace ballast::model {
namespace {

using core::ErrorCode;
using core::InvariantError;

Price price(std::string_view text) {
  return Price::parse(text).value();
}
Quantity qty(std::string_view text) {
  return Quantity::parse(text).value();
}
Decimal dec(std::string_view text) {
  return Decimal::parse(text).value();
}

template <class T>
std::string str(const core::Result<T>& r) {
  return r.has_value() ? r->to_string() : "error: " + r.error().message();
}

// ------------------------------------------------------------------------------------------- Currency

TEST(Currency, KnownCodesCarryTheirPrecision) {
  const std::pair<std::string_view, int> known[] = {
      {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"JPY", 0}, {"CHF", 2}, {"USDT", 8}, {"USDC", 8}, {"BUSD", 8}, {"FDUSD", 8},
      {"BTC", 8}, {"ETH", 8}, {"SOL", 8}, {"BNB", 8}, {"XRP", 6}, {"DOGE", 8}, {"ADA", 6},  {"HYPE", 8}};
  for (const auto& [code, precision] : known) {
    auto c = Currency::parse(code);
    ASSERT_TRUE(c.has_value()) << code;
    EXPECT_EQ(c->code(), code);
    EXPECT_EQ(c->precision(), precision) << code;
  }
}

TEST(Currency, UnknownWellFormedCodesGetEightPlaces) {
  auto c = Currency::parse("PEPE");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->precision(), 8);
  EXPECT_EQ(c->to_string(), "PEPE");
  EXPECT_TRUE(Currency::parse("ABCDEFGHIJKLMN5").has_value());  // 15 characters, the maximum
  EXPECT_TRUE(Currency::parse("1INCH").has_value());
}

TEST(Currency, ParseRefusesMalformedCodes) {
  for (std::string_view code : {"", "usd", "Usd", "US D", "US-D", "ABCDEFGHIJKLMNOP", "USD\n"}) {
    auto c = Currency::parse(code);
    ASSERT_FALSE(c.has_value()) << "'" << code << "'";
    EXPECT_EQ(c.error().code(), ErrorCode::InvalidArgument);
  }
  EXPECT_NE(Currency::parse("usd").error().message().find("'usd'"), std::string::npos);
}

TEST(Currency, ConstructorRequiresAValidCodeAndPrecision) {
  EXPECT_EQ(Currency("XYZ", 18).precision(), 18);
  EXPECT_THROW((void)Currency("usd", 2), InvariantError);
  EXPECT_THROW((void)Currency("", 2), InvariantError);
  EXPECT_THROW((void)Currency("USD", 19), InvariantError);
  EXPECT_THROW((void)Currency("USD", -1), InvariantError);
}

TEST(Currency, FactoriesMatchTheKnownTable) {
  EXPECT_EQ(Currency::USD().code(), "USD");
  EXPECT_EQ(Currency::USD().precision(), 2);
  EXPECT_EQ(Currency::EUR().precision(), 2);
  EXPECT_EQ(Currency::USDT().precision(), 8);
  EXPECT_EQ(Currency::USDC().precision(), 8);
  EXPECT_EQ(Currency::BTC().precision(), 8);
  EXPECT_EQ(Currency::ETH().precision(), 8);
  EXPECT_EQ(Currency::USD(), Currency::parse("USD").value());
}

TEST(Currency, DefaultIsEmptyAndEqualityIsByCode) {
  EXPECT_TRUE(Currency().empty());
  EXPECT_EQ(Currency().code(), "");
  EXPECT_FALSE(Currency::USD().empty());
  EXPECT_FALSE(Currency::USD() == Currency::EUR());
  EXPECT_FALSE(Currency::USDT() == Currency::USDC());
}

// ---------------------------------------------------------------------------------------------- Price

TEST(Price, ParsesAtTheQuotedPrecision) {
  const Price p = price("101.50");
  EXPECT_EQ(p.precision(), 2);
  EXPECT_EQ(p.to_string(), "101.50");
  EXPECT_EQ(p.value().raw(), 10150);
  EXPECT_TRUE(p.is_positive());
  EXPECT_NEAR(p.as_double(), 101.5, 1e-12);
}

TEST(Price, MayBeNegativeOrZero) {
  EXPECT_EQ(price("-5.25").to_string(), "-5.25");  // calendar spreads, some futures
  EXPECT_FALSE(price("-5.25").is_positive());
  EXPECT_TRUE(price("0.000").is_zero());
}

TEST(Price, ParseReportsMalformedText) {
  auto p = Price::parse("12,5");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code(), ErrorCode::ParseError);
}

TEST(Price, BuildsFromRawAndFromDouble) {
  EXPECT_EQ(Price::from_raw(12345, 2).to_string(), "123.45");
  EXPECT_EQ(str(Price::from_double(0.1, 2)), "0.10");
  EXPECT_EQ(str(Price::from_double(2.675, 2, RoundingMode::Down)), "2.67");
  EXPECT_FALSE(Price::from_double(std::numeric_limits<double>::quiet_NaN(), 2).has_value());
}

TEST(Price, RoundsToTickInEachMode) {
  const Price tick = price("0.05");
  // 101.537 / 0.05 = 2030.74 ticks: nearest 2031 → 101.55, floor 2030 → 101.50.
  EXPECT_EQ(str(price("101.537").round_to_tick(tick, RoundingMode::HalfEven)), "101.55");
  EXPECT_EQ(str(price("101.537").round_to_tick(tick, RoundingMode::HalfUp)), "101.55");
  EXPECT_EQ(str(price("101.537").round_to_tick(tick, RoundingMode::TowardZero)), "101.50");
  EXPECT_EQ(str(price("101.537").round_to_tick(tick, RoundingMode::Down)), "101.50");
  EXPECT_EQ(str(price("101.537").round_to_tick(tick, RoundingMode::Up)), "101.55");
  // 101.525 / 0.05 = 2030.5 ticks: a tie, even is 2030.
  EXPECT_EQ(str(price("101.525").round_to_tick(tick, RoundingMode::HalfEven)), "101.50");
  EXPECT_EQ(str(price("101.525").round_to_tick(tick, RoundingMode::HalfUp)), "101.55");
  EXPECT_EQ(str(price("-101.525").round_to_tick(tick, RoundingMode::Down)), "-101.55");
  EXPECT_EQ(str(price("-101.525").round_to_tick(tick, RoundingMode::Up)), "-101.50");
  EXPECT_EQ(str(price("-101.525").round_to_tick(tick, RoundingMode::HalfUp)), "-101.55");
}

TEST(Price, RoundedPriceTakesTheTickPrecision) {
  // 27013.7 on a tick of 0.5 → 27013.5 (floor), presented with the tick's one place.
  auto r = price("27013.74").round_to_tick(price("0.5"), RoundingMode::Down);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->precision(), 1);
  EXPECT_EQ(r->to_string(), "27013.5");
  EXPECT_EQ(str(price("1012.7").round_to_tick(price("25"), RoundingMode::HalfEven)), "1025");
}

TEST(Price, RoundToTickRefusesANonPositiveTick) {
  auto r = price("1.23").round_to_tick(price("0"), RoundingMode::HalfEven);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_FALSE(price("1.23").round_to_tick(price("-0.01"), RoundingMode::HalfEven).has_value());
}

TEST(Price, ChecksWhetherItIsOnTick) {
  EXPECT_TRUE(price("101.55").is_on_tick(price("0.05")));
  EXPECT_FALSE(price("101.53").is_on_tick(price("0.05")));
  EXPECT_TRUE(price("101.5000").is_on_tick(price("0.5")));
  EXPECT_TRUE(price("-2.5").is_on_tick(price("0.5")));
  EXPECT_THROW((void)price("1").is_on_tick(price("0")), InvariantError);
}

TEST(Price, AddsSubtractsAndComparesAcrossPrecisions) {
  EXPECT_EQ((price("101.5") + price("0.25")).to_string(), "101.75");
  EXPECT_EQ((price("1") - price("1.25")).to_string(), "-0.25");
  EXPECT_EQ(price("1.50"), price("1.5"));
  EXPECT_LT(price("1.49"), price("1.5"));
  EXPECT_GT(price("-1.49"), price("-1.5"));
}

// ------------------------------------------------------------------------------------------- Quantity

TEST(Quantity, ParsesNonNegativeValues) {
  const Quantity q = qty("0.001");
  EXPECT_EQ(q.precision(), 3);
  EXPECT_EQ(q.to_string(), "0.001");
  EXPECT_TRUE(q.is_positive());
  EXPECT_TRUE(qty("0").is_zero());
  EXPECT_TRUE(qty("-0").is_zero());  // negative zero is zero, not negative
  EXPECT_EQ(Quantity::from_int(3).to_string(), "3");
  EXPECT_EQ(Quantity::from_raw(15, 1).to_string(), "1.5");
}

TEST(Quantity, ParseRefusesNegativeValues) {
  auto q = Quantity::parse("-1.5");
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(q.error().message().find("'-1.5'"), std::string::npos) << q.error().message();
  EXPECT_FALSE(Quantity::parse("-0.00000001").has_value());
  auto bad = Quantity::parse("1.5x");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::ParseError);
}

TEST(Quantity, ConstructorRequiresANonNegativeValue) {
  EXPECT_THROW((void)Quantity(dec("-0.01")), InvariantError);
  EXPECT_THROW((void)Quantity::from_raw(-1, 0), InvariantError);
  EXPECT_THROW((void)Quantity::from_int(-1), InvariantError);
  EXPECT_NO_THROW((void)Quantity(dec("0")));
}

TEST(Quantity, FromDoubleRoundsAndRefusesNegatives) {
  // 0.123456789 at 8 places: the ninth digit is 9, so it rounds up to 0.12345679.
  EXPECT_EQ(str(Quantity::from_double(0.123456789, 8)), "0.12345679");
  EXPECT_EQ(str(Quantity::from_double(0.123456789, 8, RoundingMode::Down)), "0.12345678");
  auto neg = Quantity::from_double(-0.5, 2);
  ASSERT_FALSE(neg.has_value());
  EXPECT_EQ(neg.error().code(), ErrorCode::InvalidArgument);
  EXPECT_FALSE(Quantity::from_double(std::numeric_limits<double>::infinity(), 2).has_value());
}

TEST(Quantity, RoundsToStepInEachMode) {
  const Quantity step = qty("0.001");
  // 1.23456 / 0.001 = 1234.56 steps.
  EXPECT_EQ(str(qty("1.23456").round_to_step(step, RoundingMode::HalfEven)), "1.235");
  EXPECT_EQ(str(qty("1.23456").round_to_step(step, RoundingMode::HalfUp)), "1.235");
  EXPECT_EQ(str(qty("1.23456").round_to_step(step, RoundingMode::TowardZero)), "1.234");
  EXPECT_EQ(str(qty("1.23456").round_to_step(step, RoundingMode::Down)), "1.234");
  EXPECT_EQ(str(qty("1.23456").round_to_step(step, RoundingMode::Up)), "1.235");
  // 0.0125 / 0.005 = 2.5 steps: a tie.
  const Quantity five = qty("0.005");
  EXPECT_EQ(str(qty("0.0125").round_to_step(five, RoundingMode::HalfEven)), "0.010");
  EXPECT_EQ(str(qty("0.0125").round_to_step(five, RoundingMode::HalfUp)), "0.015");
  EXPECT_EQ(str(qty("0.0125").round_to_step(five, RoundingMode::TowardZero)), "0.010");
  EXPECT_EQ(str(qty("0.0125").round_to_step(five, RoundingMode::Down)), "0.010");
  EXPECT_EQ(str(qty("0.0125").round_to_step(five, RoundingMode::Up)), "0.015");
  // Below half a step rounds to zero except upward.
  EXPECT_EQ(str(qty("0.0004").round_to_step(step, RoundingMode::HalfEven)), "0.000");
  EXPECT_EQ(str(qty("0.0004").round_to_step(step, RoundingMode::Up)), "0.001");
  EXPECT_FALSE(qty("1").round_to_step(qty("0"), RoundingMode::Down).has_value());
}

TEST(Quantity, ChecksWhetherItIsOnStep) {
  EXPECT_TRUE(qty("1.235").is_on_step(qty("0.005")));
  EXPECT_FALSE(qty("1.236").is_on_step(qty("0.005")));
  EXPECT_TRUE(qty("0").is_on_step(qty("0.005")));
}

TEST(Quantity, AddsAndSubtractsWithoutGoingNegative) {
  Quantity q = qty("1.5");
  q += qty("0.25");
  EXPECT_EQ(q.to_string(), "1.75");
  q -= qty("1.75");
  EXPECT_TRUE(q.is_zero());
  EXPECT_EQ((qty("2") - qty("0.5")).to_string(), "1.5");
  EXPECT_THROW((void)(qty("1") - qty("1.01")), InvariantError);
  Quantity r = qty("1");
  EXPECT_THROW(r -= qty("2"), InvariantError);
  EXPECT_EQ(r.to_string(), "1");
}

TEST(Quantity, ComparesAcrossPrecisions) {
  EXPECT_EQ(qty("1.50"), qty("1.5"));
  EXPECT_LT(qty("0.001"), qty("0.01"));
}

// ---------------------------------------------------------------------------------------------- Money

TEST(Money, RoundsHalfEvenToTheCurrencyPrecisionOnConstruction) {
  // 1.005 → 1.00 (tie, 0 is even); 1.015 → 1.02 (tie, 2 is even); 1.025 → 1.02; 1.0251 → 1.03 (not a tie).
  EXPECT_EQ(Money(dec("1.005"), Currency::USD()).to_string(), "1.00 USD");
  EXPECT_EQ(Money(dec("1.015"), Currency::USD()).to_string(), "1.02 USD");
  EXPECT_EQ(Money(dec("1.025"), Currency::USD()).to_string(), "1.02 USD");
  EXPECT_EQ(Money(dec("1.0251"), Currency::USD()).to_string(), "1.03 USD");
  EXPECT_EQ(Money(dec("-1.005"), Currency::USD()).to_string(), "-1.00 USD");
  EXPECT_EQ(Money(dec("-1.015"), Currency::USD()).to_string(), "-1.02 USD");
  EXPECT_EQ(Money(dec("100.5"), Currency::parse("JPY").value()).to_string(), "100 JPY");
  EXPECT_EQ(Money(dec("101.5"), Currency::parse("JPY").value()).to_string(), "102 JPY");
}

TEST(Money, WidensToTheCurrencyPrecision) {
  const Money m(dec("125.5"), Currency::USD());
  EXPECT_EQ(m.amount().scale(), 2);
  EXPECT_EQ(m.to_string(), "125.50 USD");
  EXPECT_EQ(Money::zero(Currency::BTC()).to_string(), "0.00000000 BTC");
  EXPECT_TRUE(Money::zero(Currency::BTC()).is_zero());
}

TEST(Money, ConstructionRequiresACurrencyAndAnAmountThatFits) {
  EXPECT_THROW((void)Money(dec("1"), Currency()), InvariantError);
  // INT64_MAX whole units cannot be written with 2 places.
  EXPECT_THROW((void)Money(Decimal::from_int(std::numeric_limits<std::int64_t>::max()), Currency::USD()),
               InvariantError);
}

TEST(Money, ParseAcceptsUpToTheCurrencyPrecision) {
  EXPECT_EQ(str(Money::parse("125.5", Currency::USD())), "125.50 USD");
  EXPECT_EQ(str(Money::parse("125.50", Currency::USD())), "125.50 USD");
  EXPECT_EQ(str(Money::parse("1.230", Currency::USD())), "1.23 USD");  // extra zeros lose nothing
  EXPECT_EQ(str(Money::parse("-3", Currency::USD())), "-3.00 USD");
  EXPECT_EQ(str(Money::parse("100", Currency::parse("JPY").value())), "100 JPY");
}

TEST(Money, ParseRefusesExcessDecimals) {
  auto m = Money::parse("1.234", Currency::USD());
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(m.error().message().find("more than 2 decimal places for USD"), std::string::npos) << m.error().message();
  EXPECT_FALSE(Money::parse("100.5", Currency::parse("JPY").value()).has_value());
  EXPECT_FALSE(Money::parse("0.000000001", Currency::BTC()).has_value());
  auto bad = Money::parse("1.2.3", Currency::USD());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::ParseError);
}

TEST(Money, AddsAndSubtractsInOneCurrency) {
  const Money a(dec("10.25"), Currency::USD());
  const Money b(dec("0.75"), Currency::USD());
  EXPECT_EQ((a + b).to_string(), "11.00 USD");
  EXPECT_EQ((b - a).to_string(), "-9.50 USD");
  EXPECT_TRUE((b - a).is_negative());
  EXPECT_EQ((-a).to_string(), "-10.25 USD");
  Money c = a;
  c += b;
  c -= Money(dec("1"), Currency::USD());
  EXPECT_EQ(c.to_string(), "10.00 USD");
  EXPECT_NEAR(a.as_double(), 10.25, 1e-12);
}

TEST(Money, ArithmeticAcrossCurrenciesIsABrokenInvariant) {
  const Money usd(dec("1"), Currency::USD());
  const Money eur(dec("1"), Currency::EUR());
  try {
    (void)(usd + eur);
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("1.00 USD + 1.00 EUR"), std::string::npos) << what;
  }
  EXPECT_THROW((void)(usd - eur), InvariantError);
  Money m = usd;
  EXPECT_THROW(m += eur, InvariantError);
  EXPECT_THROW((void)(usd < eur), InvariantError);
}

TEST(Money, EqualityNeedsTheSameCurrencyAndValue) {
  EXPECT_EQ(Money(dec("1"), Currency::USD()), Money(dec("1.00"), Currency::USD()));
  EXPECT_FALSE(Money(dec("1"), Currency::USD()) == Money(dec("1"), Currency::EUR()));
  EXPECT_FALSE(Money(dec("1"), Currency::USD()) == Money(dec("2"), Currency::USD()));
}

TEST(Money, OrdersWithinOneCurrency) {
  EXPECT_LT(Money(dec("-1"), Currency::USD()), Money(dec("0.01"), Currency::USD()));
  EXPECT_GT(Money(dec("2"), Currency::BTC()), Money(dec("1.99999999"), Currency::BTC()));
}

// A bar is consistent when low <= open, close <= high. The comparison is exact whatever the prices' scales:
// 100.50 (two places) equals 100.5, and 100.51 is above it.
TEST(Bar, IsConsistentComparesItsPricesExactlyAtAnyScale) {
  const auto bar = [](std::string_view o, std::string_view h, std::string_view l, std::string_view c) {
    return Bar{core::UnixNanos(0), core::UnixNanos(60), price(o), price(h), price(l), price(c), qty("1")};
  };
  EXPECT_TRUE(bar("100", "101", "99", "100").is_consistent());
  EXPECT_TRUE(bar("100", "100", "100", "100").is_consistent());  // touching bounds
  EXPECT_FALSE(bar("98", "101", "99", "100").is_consistent());   // open below the low
  EXPECT_FALSE(bar("100", "101", "99", "102").is_consistent());  // close above the high
  EXPECT_FALSE(bar("100", "99", "100", "100").is_consistent());  // high below the low
  EXPECT_TRUE(bar("100.5", "101.25", "100.50", "101").is_consistent());
  EXPECT_FALSE(bar("100.5", "101.25", "100.51", "101").is_consistent());
  EXPECT_FALSE(bar("100.5", "101.249", "99", "101.25").is_consistent());
}

}  // namespace
}  // namespace ballast::model
