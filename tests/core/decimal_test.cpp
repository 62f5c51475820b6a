// Decimal is exact, so every expected value below is exact (tolerance zero) unless it goes through a
// double. Expected strings pin both the value and the scale: "1.50" is raw 150 at scale 2.

#include "ballast/core/decimal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::core {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Decimal dec(std::string_view text) {
  auto r = Decimal::parse(text);
  EXPECT_TRUE(r.has_value()) << "could not parse '" << text << "': " << (r ? "" : r.error().message());
  return r.has_value() ? *r : Decimal();
}

std::string str(const Result<Decimal>& r) {
  return r.has_value() ? r->to_string() : "error: " + r.error().message();
}

// ---------------------------------------------------------------------------------------------- parse

TEST(Decimal, ParsesPlainNumberKeepingTheWrittenScale) {
  const Decimal a = dec("-12.345");
  EXPECT_EQ(a.raw(), -12345);
  EXPECT_EQ(a.scale(), 3);
  const Decimal b = dec("0.00100000");  // eight places written: raw 100000 at scale 8
  EXPECT_EQ(b.raw(), 100000);
  EXPECT_EQ(b.scale(), 8);
  const Decimal c = dec("+7");
  EXPECT_EQ(c.raw(), 7);
  EXPECT_EQ(c.scale(), 0);
  EXPECT_EQ(dec("100").to_string(), "100");
  EXPECT_EQ(dec("100.0500").to_string(), "100.0500");
}

TEST(Decimal, ParsesExponentsIntoTheScale) {
  // 1e-3 = 0.001: one digit at scale 3.
  const Decimal a = dec("1e-3");
  EXPECT_EQ(a.raw(), 1);
  EXPECT_EQ(a.scale(), 3);
  EXPECT_EQ(dec("1.5e3").to_string(), "1500");    // 1.5 × 1000, no places left
  EXPECT_EQ(dec("2.50E+1").to_string(), "25.0");  // two places written, one consumed by the exponent
  EXPECT_EQ(dec("-4e0").to_string(), "-4");
  EXPECT_EQ(dec("-1.25e-2").to_string(), "-0.0125");
  EXPECT_EQ(dec("0e5").to_string(), "0");
  // 22 places written, 10 taken back by the exponent: 5 × 10^-12.
  EXPECT_EQ(dec("0.0000000000000000000005e10").to_string(), "0.000000000005");
}

TEST(Decimal, DropsTrailingZerosBeyondEighteenPlaces) {
  // 21 places written, the last three are zeros: kept at the maximum scale of 18.
  const Decimal a = dec("1.000000000000000000000");
  EXPECT_EQ(a.scale(), 18);
  EXPECT_EQ(a.raw(), 1'000'000'000'000'000'000);
  EXPECT_EQ(dec("0.1234567890123456780000").to_string(), "0.123456789012345678");
  EXPECT_EQ(dec("-0.00000000000000000000").to_string(), "0.000000000000000000");
}

TEST(Decimal, AcceptsExactlyEighteenPlaces) {
  const Decimal a = dec("0.000000000000000001");
  EXPECT_EQ(a.raw(), 1);
  EXPECT_EQ(a.scale(), 18);
  EXPECT_EQ(dec("-1e-18").to_string(), "-0.000000000000000001");
}

TEST(Decimal, RefusesNonzeroDigitsBeyondEighteenPlaces) {
  for (std::string_view text :
       {"0.0000000000000000001", "1.0000000000000000005", "1e-19", "1.5e-18", "0.12345678901234567890123"}) {
    auto r = Decimal::parse(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::ParseError) << text;
    EXPECT_NE(r.error().message().find("more than 18 decimal places"), std::string::npos) << r.error().message();
  }
}

TEST(Decimal, ParsesTheInt64Extremes) {
  EXPECT_EQ(dec("9223372036854775807").raw(), kMax);
  EXPECT_EQ(dec("-9223372036854775808").raw(), kMin);
  const Decimal a = dec("9.223372036854775807");
  EXPECT_EQ(a.raw(), kMax);
  EXPECT_EQ(a.scale(), 18);
  EXPECT_EQ(dec("-9.223372036854775808").raw(), kMin);
}

TEST(Decimal, RefusesValuesOutsideInt64AsOutOfRange) {
  // 2^63 = 9223372036854775808 is one past INT64_MAX.
  for (std::string_view text : {"9223372036854775808", "-9223372036854775809", "9.223372036854775808", "1e19",
                                "92233720368547758070e-1", "123456789012345678901234567890", "1e1001"}) {
    auto r = Decimal::parse(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::ParseError) << text;
  }
  EXPECT_NE(Decimal::parse("1e19").error().message().find("out of range"), std::string::npos);
}

TEST(Decimal, RefusesMalformedText) {
  for (std::string_view text : {"", "-", "+", ".", "abc", "1.2.3", "1e", "1e+", "1ex", "1 ", " 1", "--1", "1,5", "0x10",
                                "nan", "inf", "e5", "1e2.5"}) {
    auto r = Decimal::parse(text);
    ASSERT_FALSE(r.has_value()) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::ParseError) << text;
  }
}

TEST(Decimal, ParseErrorQuotesTheInput) {
  auto r = Decimal::parse("1.2.3");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("'1.2.3'"), std::string::npos) << r.error().message();
}

TEST(Decimal, NegativeZeroParsesAsPlainZero) {
  const Decimal z = dec("-0.00");
  EXPECT_TRUE(z.is_zero());
  EXPECT_FALSE(z.is_negative());
  EXPECT_EQ(z.sign(), 0);
  EXPECT_EQ(z.to_string(), "0.00");
}

TEST(Decimal, FromRawRequiresScaleZeroToEighteen) {
  EXPECT_EQ(Decimal::from_raw(1, 18).to_string(), "0.000000000000000001");
  EXPECT_THROW((void)Decimal::from_raw(1, 19), InvariantError);
  EXPECT_THROW((void)Decimal::from_raw(1, -1), InvariantError);
}

// ------------------------------------------------------------------------------------------ to_string

TEST(Decimal, ToStringPadsToExactlyTheScale) {
  EXPECT_EQ(Decimal::from_raw(5, 3).to_string(), "0.005");
  EXPECT_EQ(Decimal::from_raw(-5, 3).to_string(), "-0.005");
  EXPECT_EQ(Decimal::from_raw(150, 2).to_string(), "1.50");
  EXPECT_EQ(Decimal::from_raw(-150, 2).to_string(), "-1.50");
  EXPECT_EQ(Decimal::from_raw(0, 2).to_string(), "0.00");
  EXPECT_EQ(Decimal::from_raw(123, 0).to_string(), "123");
  EXPECT_EQ(Decimal::from_raw(-123, 0).to_string(), "-123");
  EXPECT_EQ(Decimal::from_raw(100, 2).to_string(), "1.00");
  EXPECT_EQ(Decimal().to_string(), "0");
}

TEST(Decimal, ToStringHandlesInt64Min) {
  EXPECT_EQ(Decimal::from_raw(kMin, 0).to_string(), "-9223372036854775808");
  EXPECT_EQ(Decimal::from_raw(kMin, 4).to_string(), "-922337203685477.5808");
  EXPECT_EQ(Decimal::from_raw(kMin, 18).to_string(), "-9.223372036854775808");
  EXPECT_EQ(Decimal::from_raw(kMax, 18).to_string(), "9.223372036854775807");
}

TEST(Decimal, ToStringTrimmedDropsOnlyFractionalZeros) {
  EXPECT_EQ(dec("1.50").to_string_trimmed(), "1.5");
  EXPECT_EQ(dec("2.000").to_string_trimmed(), "2");
  EXPECT_EQ(dec("-0.500").to_string_trimmed(), "-0.5");
  EXPECT_EQ(dec("100").to_string_trimmed(), "100");  // integer zeros stay
  EXPECT_EQ(dec("100.00").to_string_trimmed(), "100");
  EXPECT_EQ(dec("0.000").to_string_trimmed(), "0");
  EXPECT_EQ(Decimal::from_raw(kMin, 18).to_string_trimmed(), "-9.223372036854775808");
  EXPECT_EQ(Decimal::from_raw(-10, 1).to_string_trimmed(), "-1");
}

TEST(Decimal, TextRoundTripPreservesValueAndScale) {
  for (const Decimal d : {Decimal::from_raw(0, 0), Decimal::from_raw(-1, 18), Decimal::from_raw(kMax, 7),
                          Decimal::from_raw(kMin, 11), Decimal::from_raw(123456, 3), Decimal::from_raw(-500, 2)}) {
    const Decimal back = dec(d.to_string());
    EXPECT_EQ(back.raw(), d.raw()) << d.to_string();
    EXPECT_EQ(back.scale(), d.scale()) << d.to_string();
  }
}

TEST(Decimal, ToDoubleIsCloseToTheDecimalValue) {
  EXPECT_NEAR(Decimal::from_raw(-12345, 2).to_double(), -123.45, 1e-12);
  EXPECT_NEAR(Decimal::from_raw(1, 18).to_double(), 1e-18, 1e-30);
}

TEST(Decimal, RoundingModeHasStableNames) {
  EXPECT_EQ(to_string(RoundingMode::HalfEven), "HALF_EVEN");
  EXPECT_EQ(to_string(RoundingMode::HalfUp), "HALF_UP");
  EXPECT_EQ(to_string(RoundingMode::TowardZero), "TOWARD_ZERO");
  EXPECT_EQ(to_string(RoundingMode::Down), "DOWN");
  EXPECT_EQ(to_string(RoundingMode::Up), "UP");
}

// ----------------------------------------------------------------------------------------- comparison

TEST(Decimal, ComparesByValueAcrossScales) {
  EXPECT_EQ(dec("1.5"), dec("1.50"));
  EXPECT_EQ(dec("0"), dec("0.000"));
  EXPECT_EQ(dec("-2"), dec("-2.000000000000000000"));
  EXPECT_LT(dec("1.5"), dec("1.51"));
  EXPECT_LT(dec("-1.5"), dec("-1.49"));
  EXPECT_GT(dec("10"), dec("9.99999999999999999"));
  EXPECT_NE(dec("1.5"), dec("1.05"));
  EXPECT_TRUE((dec("1.50") <=> dec("1.5")) == std::strong_ordering::equal);
}

TEST(Decimal, ComparesExtremesThatNeedWideIntermediates) {
  // INT64_MAX at scale 0 rescaled to 18 places needs ~123 bits.
  const Decimal big = Decimal::from_raw(kMax, 0);
  const Decimal small = Decimal::from_raw(kMax, 18);  // ≈ 9.22
  EXPECT_GT(big, small);
  EXPECT_LT(Decimal::from_raw(kMin, 0), Decimal::from_raw(kMin, 18));
  EXPECT_GT(Decimal::from_raw(1, 18), Decimal::from_int(0));
  EXPECT_LT(Decimal::from_raw(-1, 18), Decimal::from_int(0));
}

TEST(Decimal, ReportsSign) {
  EXPECT_EQ(dec("-0.01").sign(), -1);
  EXPECT_EQ(dec("0.01").sign(), 1);
  EXPECT_EQ(dec("0").sign(), 0);
  EXPECT_TRUE(dec("-0.01").is_negative());
  EXPECT_TRUE(dec("0.01").is_positive());
  EXPECT_FALSE(dec("0").is_positive());
}

TEST(Decimal, NegationAndAbsKeepTheScale) {
  EXPECT_EQ((-dec("1.50")).to_string(), "-1.50");
  EXPECT_EQ((-dec("-1.50")).to_string(), "1.50");
  EXPECT_EQ(dec("-0.250").abs().to_string(), "0.250");
  EXPECT_EQ(dec("0.250").abs().to_string(), "0.250");
}

TEST(Decimal, NegatingInt64MinIsABrokenInvariant) {
  const Decimal m = Decimal::from_raw(kMin, 2);
  EXPECT_THROW((void)-m, InvariantError);
  EXPECT_THROW((void)m.abs(), InvariantError);
}

// --------------------------------------------------------------------------------------- add/subtract

TEST(Decimal, AddsAtTheLargerOfTheTwoScales) {
  EXPECT_EQ((dec("1.5") + dec("0.25")).to_string(), "1.75");
  EXPECT_EQ((dec("1") + dec("0.001")).to_string(), "1.001");
  EXPECT_EQ((dec("-2.5") + dec("1.25")).to_string(), "-1.25");
  EXPECT_EQ((dec("0.10") + dec("0.2")).to_string(), "0.30");  // exactly 0.3, unlike binary floating point
  EXPECT_EQ((dec("1.50") + dec("1.50")).to_string(), "3.00");
}

TEST(Decimal, SubtractsAtTheLargerOfTheTwoScales) {
  EXPECT_EQ((dec("1") - dec("0.001")).to_string(), "0.999");
  EXPECT_EQ((dec("0.25") - dec("1.5")).to_string(), "-1.25");
  EXPECT_EQ((dec("2.00") - dec("2")).to_string(), "0.00");
}

TEST(Decimal, CompoundAssignmentAddsAndSubtracts) {
  Decimal d = dec("10");
  d += dec("0.5");
  EXPECT_EQ(d.to_string(), "10.5");
  d -= dec("0.25");
  EXPECT_EQ(d.to_string(), "10.25");
}

TEST(Decimal, AddsUpToTheInt64LimitsExactly) {
  EXPECT_EQ((Decimal::from_int(kMax - 1) + Decimal::from_int(1)).raw(), kMax);
  EXPECT_EQ((Decimal::from_int(kMin + 1) - Decimal::from_int(1)).raw(), kMin);
}

TEST(Decimal, AlignsScalesInWideIntermediatesWhenOnlyTheSumFits) {
  // 10^18 (scale 0) is 10^19 at scale 1, beyond int64; adding −9×10^17 brings the sum back to 10^17.
  auto r = Decimal::from_int(1'000'000'000'000'000'000).checked_add(Decimal::from_raw(-9'000'000'000'000'000'000, 1));
  EXPECT_EQ(str(r), "100000000000000000.0");
  auto s = Decimal::from_int(1'000'000'000'000'000'000).checked_sub(Decimal::from_raw(9'000'000'000'000'000'000, 1));
  EXPECT_EQ(str(s), "100000000000000000.0");
}

TEST(Decimal, OperatorsThrowInvariantErrorOnOverflow) {
  EXPECT_THROW((void)(Decimal::from_int(kMax) + Decimal::from_int(1)), InvariantError);
  EXPECT_THROW((void)(Decimal::from_int(kMin) - Decimal::from_int(1)), InvariantError);
  // Different scales: 10^18 becomes 10^19 at scale 1.
  EXPECT_THROW((void)(Decimal::from_int(1'000'000'000'000'000'000) + Decimal::from_raw(1, 1)), InvariantError);
  EXPECT_THROW((void)(Decimal::from_int(-1'000'000'000'000'000'000) - Decimal::from_raw(1, 1)), InvariantError);
  Decimal d = Decimal::from_int(kMax);
  EXPECT_THROW(d += Decimal::from_int(1), InvariantError);
}

TEST(Decimal, OverflowMessageNamesTheOperands) {
  try {
    (void)(Decimal::from_int(kMax) + Decimal::from_int(1));
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    EXPECT_NE(std::string(e.what()).find("9223372036854775807 + 1"), std::string::npos) << e.what();
  }
}

TEST(Decimal, CheckedAddAndSubReturnOverflowErrors) {
  auto a = Decimal::from_int(kMax).checked_add(Decimal::from_int(1));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), ErrorCode::Overflow);
  EXPECT_NE(a.error().message().find("decimal overflow"), std::string::npos);
  auto s = Decimal::from_int(kMin).checked_sub(Decimal::from_raw(1, 2));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::Overflow);
  EXPECT_EQ(str(dec("1.5").checked_add(dec("0.25"))), "1.75");
  EXPECT_EQ(str(dec("1.5").checked_sub(dec("0.25"))), "1.25");
}

// ------------------------------------------------------------------------------------ multiply/divide

struct RoundingCase {
  const char* a;
  const char* b;
  int scale;
  RoundingMode mode;
  const char* expected;
};

TEST(Decimal, DividesWithEveryRoundingModeOnTiesAndNonTies) {
  using RM = RoundingMode;
  // Hand-computed quotients: 5/2 = 2.5 and 7/2 = 3.5 are ties, 8/3 = 2.67 and 7/3 = 2.33 are not.
  const std::vector<RoundingCase> cases{
      {"5", "2", 0, RM::HalfEven, "2"},
      {"5", "2", 0, RM::HalfUp, "3"},
      {"5", "2", 0, RM::TowardZero, "2"},
      {"5", "2", 0, RM::Down, "2"},
      {"5", "2", 0, RM::Up, "3"},
      {"-5", "2", 0, RM::HalfEven, "-2"},
      {"-5", "2", 0, RM::HalfUp, "-3"},
      {"-5", "2", 0, RM::TowardZero, "-2"},
      {"-5", "2", 0, RM::Down, "-3"},
      {"-5", "2", 0, RM::Up, "-2"},
      {"5", "-2", 0, RM::HalfEven, "-2"},
      {"5", "-2", 0, RM::Down, "-3"},
      {"-5", "-2", 0, RM::HalfEven, "2"},
      {"-5", "-2", 0, RM::Up, "3"},
      {"7", "2", 0, RM::HalfEven, "4"},
      {"7", "2", 0, RM::HalfUp, "4"},
      {"7", "2", 0, RM::TowardZero, "3"},
      {"7", "2", 0, RM::Down, "3"},
      {"7", "2", 0, RM::Up, "4"},
      {"-7", "2", 0, RM::HalfEven, "-4"},
      {"-7", "2", 0, RM::HalfUp, "-4"},
      {"-7", "2", 0, RM::TowardZero, "-3"},
      {"-7", "2", 0, RM::Down, "-4"},
      {"-7", "2", 0, RM::Up, "-3"},
      {"8", "3", 0, RM::HalfEven, "3"},
      {"8", "3", 0, RM::HalfUp, "3"},
      {"8", "3", 0, RM::TowardZero, "2"},
      {"8", "3", 0, RM::Down, "2"},
      {"8", "3", 0, RM::Up, "3"},
      {"-8", "3", 0, RM::HalfEven, "-3"},
      {"-8", "3", 0, RM::HalfUp, "-3"},
      {"-8", "3", 0, RM::TowardZero, "-2"},
      {"-8", "3", 0, RM::Down, "-3"},
      {"-8", "3", 0, RM::Up, "-2"},
      {"7", "3", 0, RM::HalfEven, "2"},
      {"7", "3", 0, RM::HalfUp, "2"},
      {"7", "3", 0, RM::Up, "3"},
      {"-7", "3", 0, RM::Down, "-3"},
      {"-7", "3", 0, RM::HalfUp, "-2"},
      {"6", "3", 0, RM::Up, "2"},
      {"6", "3", 0, RM::Down, "2"},
      {"-6", "3", 0, RM::HalfUp, "-2"},
      // 1/8 = 0.125 at two places: a tie between 0.12 (even) and 0.13.
      {"1", "8", 2, RM::HalfEven, "0.12"},
      {"1", "8", 2, RM::HalfUp, "0.13"},
      {"-1", "8", 2, RM::HalfEven, "-0.12"},
      {"-1", "8", 2, RM::HalfUp, "-0.13"},
      {"1", "8", 2, RM::Down, "0.12"},
      {"-1", "8", 2, RM::Up, "-0.12"},
      // 1/3 and 2/3 at 4 places: 0.3333|33…, 0.6666|66….
      {"1", "3", 4, RM::HalfEven, "0.3333"},
      {"2", "3", 4, RM::HalfEven, "0.6667"},
      {"2", "3", 4, RM::TowardZero, "0.6666"},
      // Operands at different scales: 1.00 / 0.4 = 2.5.
      {"1.00", "0.4", 0, RM::HalfEven, "2"},
      {"1.00", "0.4", 1, RM::HalfEven, "2.5"},
      {"0.5", "0.25", 3, RM::HalfEven, "2.000"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " / " + c.b + " at " + std::to_string(c.scale) + " " +
                 std::string(to_string(c.mode)));
    EXPECT_EQ(str(dec(c.a).checked_div(dec(c.b), c.scale, c.mode)), c.expected);
  }
}

TEST(Decimal, MultipliesWithEveryRoundingModeOnTiesAndNonTies) {
  using RM = RoundingMode;
  // Hand-computed products: 0.5×5 = 2.5 and 0.5×7 = 3.5 are ties; 1.5×1.5 = 2.25 ties at one place;
  // 0.7×3.9 = 2.73 is not a tie at one place.
  const std::vector<RoundingCase> cases{
      {"0.5", "5", 0, RM::HalfEven, "2"},
      {"0.5", "5", 0, RM::HalfUp, "3"},
      {"0.5", "5", 0, RM::TowardZero, "2"},
      {"0.5", "5", 0, RM::Down, "2"},
      {"0.5", "5", 0, RM::Up, "3"},
      {"-0.5", "5", 0, RM::HalfEven, "-2"},
      {"-0.5", "5", 0, RM::HalfUp, "-3"},
      {"-0.5", "5", 0, RM::TowardZero, "-2"},
      {"-0.5", "5", 0, RM::Down, "-3"},
      {"-0.5", "5", 0, RM::Up, "-2"},
      {"0.5", "7", 0, RM::HalfEven, "4"},
      {"-0.5", "7", 0, RM::HalfEven, "-4"},
      {"0.5", "-7", 0, RM::HalfUp, "-4"},
      {"-0.5", "-7", 0, RM::Down, "3"},
      {"1.5", "1.5", 2, RM::HalfEven, "2.25"},
      {"1.5", "1.5", 1, RM::HalfEven, "2.2"},
      {"1.5", "1.5", 1, RM::HalfUp, "2.3"},
      {"-1.5", "1.5", 1, RM::HalfEven, "-2.2"},
      {"-1.5", "1.5", 1, RM::HalfUp, "-2.3"},
      {"0.7", "3.9", 1, RM::HalfEven, "2.7"},
      {"0.7", "3.9", 1, RM::HalfUp, "2.7"},
      {"0.7", "3.9", 1, RM::TowardZero, "2.7"},
      {"0.7", "3.9", 1, RM::Down, "2.7"},
      {"0.7", "3.9", 1, RM::Up, "2.8"},
      {"-0.7", "3.9", 1, RM::Down, "-2.8"},
      {"-0.7", "3.9", 1, RM::Up, "-2.7"},
      {"-0.7", "3.9", 1, RM::HalfEven, "-2.7"},
      // Scaling up: 2 × 3 at five places.
      {"2", "3", 5, RM::HalfEven, "6.00000"},
      {"-2", "0.5", 3, RM::HalfEven, "-1.000"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " * " + c.b + " at " + std::to_string(c.scale) + " " +
                 std::string(to_string(c.mode)));
    EXPECT_EQ(str(dec(c.a).checked_mul(dec(c.b), c.scale, c.mode)), c.expected);
  }
}

TEST(Decimal, MultipliesLargeOperandsThroughOneRounding) {
  // (2^63−1)^2 = 85070591730234615847396907784232501249 (a 127-bit raw product), so
  // (9.223372036854775807)^2 = 85.07059173023461584|7396…: at 17 places nearest rounds up, truncation down.
  // At 18 places the raw value 8.5×10^19 would not fit in int64.
  const Decimal m = Decimal::from_raw(kMax, 18);
  EXPECT_EQ(str(m.checked_mul(m, 17, RoundingMode::HalfEven)), "85.07059173023461585");
  EXPECT_EQ(str(m.checked_mul(m, 17, RoundingMode::TowardZero)), "85.07059173023461584");
  EXPECT_EQ(m.checked_mul(m, 18).error().code(), ErrorCode::Overflow);
  const Decimal n = Decimal::from_raw(kMin, 18);
  EXPECT_EQ(str(n.checked_mul(m, 17, RoundingMode::Down)), "-85.07059173023461586");  // −85.070591730234615856…
  // 123456789123456789 × 987654321987654321 = 121932631356500531347203169112635269 (exact integer product),
  // i.e. 121932631356500531.347203… at scale 18.
  EXPECT_EQ(str(dec("123456789.123456789").checked_mul(dec("987654321.987654321"), 1, RoundingMode::HalfEven)),
            "121932631356500531.3");
  EXPECT_EQ(str(Decimal::from_raw(kMin, 0).checked_mul(Decimal::from_int(1), 0)), "-9223372036854775808");
}

TEST(Decimal, DividesLargeScalesThroughWideIntermediates) {
  // Divisor at 18 places and an 18-place result: the numerator is scaled by 10^36.
  const Decimal three = Decimal::from_raw(3'000'000'000'000'000'000, 18);
  EXPECT_EQ(str(Decimal::from_int(1).checked_div(three, 18)), "0.333333333333333333");
  EXPECT_EQ(str(Decimal::from_int(2).checked_div(three, 18)), "0.666666666666666667");
  EXPECT_EQ(str(Decimal::from_int(2).checked_div(three, 18, RoundingMode::TowardZero)), "0.666666666666666666");
  // 10 / 3e-18 = 3333333333333333333.33…, just under INT64_MAX ≈ 9.22e18.
  EXPECT_EQ(str(Decimal::from_int(10).checked_div(Decimal::from_raw(3, 18), 0)), "3333333333333333333");
  // Divisor scale larger than the target: 1 / 0.000001 at 0 places = 10^6.
  EXPECT_EQ(str(dec("1.000000000000000000").checked_div(dec("0.000001"), 0)), "1000000");
}

TEST(Decimal, MultiplyAndDivideReportOverflow) {
  auto a = Decimal::from_int(kMax).checked_mul(Decimal::from_int(10), 0);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), ErrorCode::Overflow);
  // Scaling the product up to one place overflows.
  EXPECT_FALSE(Decimal::from_int(kMax).checked_mul(Decimal::from_int(1), 1).has_value());
  auto d = Decimal::from_int(1'000'000'000'000'000'000).checked_div(dec("0.1"), 0);  // 10^19
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), ErrorCode::Overflow);
  // INT64_MAX / 10^-18 at 18 places: the numerator alone needs 10^36 × 2^63.
  auto w = Decimal::from_int(kMax).checked_div(Decimal::from_raw(1, 18), 18);
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().code(), ErrorCode::Overflow);
}

TEST(Decimal, DivisionByZeroIsAnError) {
  for (const Decimal zero : {Decimal::from_int(0), Decimal::from_raw(0, 6)}) {
    auto r = dec("1.5").checked_div(zero, 2);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message().find("by zero"), std::string::npos);
  }
  EXPECT_FALSE(Decimal::from_int(0).checked_div(Decimal::from_int(0), 0).has_value());
  EXPECT_THROW((void)dec("1.5").div(Decimal::from_int(0), 2), InvariantError);
}

TEST(Decimal, MultiplyAndDivideRefuseScalesOutsideZeroToEighteen) {
  EXPECT_EQ(dec("1").checked_mul(dec("1"), 19).error().code(), ErrorCode::OutOfRange);
  EXPECT_EQ(dec("1").checked_mul(dec("1"), -1).error().code(), ErrorCode::OutOfRange);
  EXPECT_EQ(dec("1").checked_div(dec("1"), 19).error().code(), ErrorCode::OutOfRange);
}

TEST(Decimal, ThrowingMultiplyAndDivideMatchTheCheckedForms) {
  EXPECT_EQ(dec("1.5").mul(dec("1.5"), 1, RoundingMode::HalfUp).to_string(), "2.3");
  EXPECT_EQ(dec("1").div(dec("8"), 2, RoundingMode::HalfEven).to_string(), "0.12");
  EXPECT_THROW((void)Decimal::from_int(kMax).mul(Decimal::from_int(2), 0), InvariantError);
}

// div() and rescale() compute their common cases themselves (no Result on the way): on random operands of
// every scale, in every mode, they give what checked_div() and rescaled() give, and throw where those fail.
TEST(Decimal, ThrowingDivideAndRescaleMatchTheCheckedFormsOnRandomOperands) {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  const RoundingMode modes[] = {RoundingMode::TowardZero, RoundingMode::Down, RoundingMode::Up, RoundingMode::HalfUp,
                                RoundingMode::HalfEven};
  int compared = 0;
  int failed = 0;
  for (int i = 0; i < 100'000; ++i) {
    const Decimal a = Decimal::from_raw(static_cast<std::int64_t>(next()) >> (next() % 63), static_cast<int>(next() % 19));
    const Decimal b = Decimal::from_raw(static_cast<std::int64_t>(next()) >> (next() % 63), static_cast<int>(next() % 19));
    const int scale = static_cast<int>(next() % 19);
    const RoundingMode mode = modes[next() % 5];
    const auto checked = a.checked_div(b, scale, mode);
    if (checked) {
      ASSERT_EQ(a.div(b, scale, mode), *checked) << a.to_string() << " / " << b.to_string() << " at " << scale;
      ASSERT_EQ(a.div(b, scale, mode).scale(), scale);
      ++compared;
    } else {
      ASSERT_THROW((void)a.div(b, scale, mode), InvariantError) << a.to_string() << " / " << b.to_string();
      ++failed;
    }
    const auto rescaled = a.rescaled(scale, mode);
    if (rescaled) {
      ASSERT_EQ(a.rescale(scale, mode), *rescaled) << a.to_string() << " at " << scale;
      ASSERT_EQ(a.rescale(scale, mode).scale(), scale);
    } else {
      ASSERT_THROW((void)a.rescale(scale, mode), InvariantError) << a.to_string() << " at " << scale;
    }
  }
  EXPECT_GT(compared, 10'000);  // both outcomes occur
  EXPECT_GT(failed, 1'000);
}

// A divisor of raw 1 (1, 0.1, 0.00000001: 10^-s) skips the divide: the quotient is the dividend times 10^s, at the
// scale asked for, and matches checked_div.
TEST(Decimal, DividingByAUnitDivisorMultipliesByItsPowerOfTen) {
  EXPECT_EQ(str(dec("123.45").div(Decimal::from_int(1), 2, RoundingMode::Up)), "123.45");
  EXPECT_EQ(str(dec("123.45").div(Decimal::from_int(1), 4, RoundingMode::Up)), "123.4500");
  EXPECT_EQ(str(dec("123.45").div(dec("0.1"), 2, RoundingMode::Up)), "1234.50");
  EXPECT_EQ(str(dec("-0.00000007").div(dec("0.00000001"), 0, RoundingMode::Down)), "-7");
  for (const char* divisor : {"1", "0.1", "0.001", "0.00000001"}) {
    for (int scale = 0; scale <= 10; ++scale) {
      for (const char* dividend : {"0", "1.5", "-2.25", "98765.4321", "-0.00000123"}) {
        const auto checked = dec(dividend).checked_div(dec(divisor), scale, RoundingMode::HalfEven);
        if (!checked) continue;
        EXPECT_EQ(dec(dividend).div(dec(divisor), scale, RoundingMode::HalfEven), *checked)
            << dividend << " / " << divisor << " at " << scale;
      }
    }
  }
}

TEST(Decimal, MultipliesByAnIntegerExactly) {
  EXPECT_EQ(str(dec("1.25").checked_mul_int(4)), "5.00");
  EXPECT_EQ(str(dec("-0.001").checked_mul_int(-3)), "0.003");
  auto r = Decimal::from_int(kMax / 2 + 1).checked_mul_int(2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::Overflow);
}

// --------------------------------------------------------------------------------------------- rescale

TEST(Decimal, RescalesUpExactly) {
  EXPECT_EQ(str(dec("1.5").rescaled(4)), "1.5000");
  EXPECT_EQ(str(dec("-1.5").rescaled(18)), "-1.500000000000000000");
  EXPECT_EQ(str(dec("1.50").rescaled(2)), "1.50");
}

TEST(Decimal, RescalesDownWithEachRoundingMode) {
  using RM = RoundingMode;
  // 1.25 → one place is a tie; 1.27 is not.
  EXPECT_EQ(str(dec("1.25").rescaled(1, RM::HalfEven)), "1.2");
  EXPECT_EQ(str(dec("1.35").rescaled(1, RM::HalfEven)), "1.4");
  EXPECT_EQ(str(dec("1.25").rescaled(1, RM::HalfUp)), "1.3");
  EXPECT_EQ(str(dec("1.25").rescaled(1, RM::TowardZero)), "1.2");
  EXPECT_EQ(str(dec("1.25").rescaled(1, RM::Down)), "1.2");
  EXPECT_EQ(str(dec("1.25").rescaled(1, RM::Up)), "1.3");
  EXPECT_EQ(str(dec("-1.25").rescaled(1, RM::HalfEven)), "-1.2");
  EXPECT_EQ(str(dec("-1.25").rescaled(1, RM::HalfUp)), "-1.3");
  EXPECT_EQ(str(dec("-1.25").rescaled(1, RM::TowardZero)), "-1.2");
  EXPECT_EQ(str(dec("-1.25").rescaled(1, RM::Down)), "-1.3");
  EXPECT_EQ(str(dec("-1.25").rescaled(1, RM::Up)), "-1.2");
  EXPECT_EQ(str(dec("1.27").rescaled(1, RM::HalfEven)), "1.3");
  EXPECT_EQ(str(dec("1.27").rescaled(1, RM::TowardZero)), "1.2");
  EXPECT_EQ(str(dec("-1.27").rescaled(1, RM::Up)), "-1.2");
  EXPECT_EQ(str(dec("-1.27").rescaled(1, RM::Down)), "-1.3");
  EXPECT_EQ(str(Decimal::from_raw(kMin, 18).rescaled(0, RM::Down)), "-10");
  EXPECT_EQ(Decimal::from_raw(kMin, 18).rescale(0, RM::TowardZero).to_string(), "-9");
}

TEST(Decimal, RescalingUpReportsOverflow) {
  auto r = Decimal::from_int(kMax).rescaled(1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::Overflow);
  EXPECT_THROW((void)Decimal::from_int(kMax).rescale(1), InvariantError);
  // 10 at 18 places is raw 10^19 > INT64_MAX ≈ 9.22×10^18; 9 is raw 9×10^18, which fits.
  EXPECT_FALSE(Decimal::from_int(10).rescaled(18).has_value());
  EXPECT_EQ(str(Decimal::from_int(9).rescaled(18)), "9.000000000000000000");
}

TEST(Decimal, RescalingRefusesScalesOutsideZeroToEighteen) {
  EXPECT_EQ(dec("1").rescaled(19).error().code(), ErrorCode::OutOfRange);
  EXPECT_EQ(dec("1").rescaled(-1).error().code(), ErrorCode::OutOfRange);
}

// --------------------------------------------------------------------------------- round to increment

TEST(Decimal, RoundsToATickOfFiveHundredthsInEachMode) {
  using RM = RoundingMode;
  const Decimal tick = dec("0.05");
  // 101.537 / 0.05 = 2030.74 ticks: nearest 2031 (101.55), floor 2030 (101.50).
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::HalfEven)), "101.55");
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::HalfUp)), "101.55");
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::TowardZero)), "101.50");
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::Down)), "101.50");
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::Up)), "101.55");
  // 101.525 / 0.05 = 2030.5 ticks, a tie: even is 2030 (101.50).
  EXPECT_EQ(str(dec("101.525").round_to_increment(tick, RM::HalfEven)), "101.50");
  EXPECT_EQ(str(dec("101.525").round_to_increment(tick, RM::HalfUp)), "101.55");
  // 101.575 / 0.05 = 2031.5: even is 2032 (101.60).
  EXPECT_EQ(str(dec("101.575").round_to_increment(tick, RM::HalfEven)), "101.60");
}

TEST(Decimal, RoundsNegativeValuesToATickInEachMode) {
  using RM = RoundingMode;
  const Decimal tick = dec("0.05");
  // −101.525 / 0.05 = −2030.5 ticks.
  EXPECT_EQ(str(dec("-101.525").round_to_increment(tick, RM::HalfEven)), "-101.50");
  EXPECT_EQ(str(dec("-101.525").round_to_increment(tick, RM::HalfUp)), "-101.55");
  EXPECT_EQ(str(dec("-101.525").round_to_increment(tick, RM::TowardZero)), "-101.50");
  EXPECT_EQ(str(dec("-101.525").round_to_increment(tick, RM::Down)), "-101.55");
  EXPECT_EQ(str(dec("-101.525").round_to_increment(tick, RM::Up)), "-101.50");
  // −0.01 / 0.05 = −0.2 ticks.
  EXPECT_EQ(str(dec("-0.01").round_to_increment(tick, RM::HalfEven)), "0.00");
  EXPECT_EQ(str(dec("-0.01").round_to_increment(tick, RM::Down)), "-0.05");
  EXPECT_EQ(str(dec("-0.01").round_to_increment(tick, RM::Up)), "0.00");
}

TEST(Decimal, RoundsToAHalfUnitTickAtTheTickScale) {
  using RM = RoundingMode;
  const Decimal tick = dec("0.5");
  // 2.25 / 0.5 = 4.5 ticks (tie → 4, i.e. 2.0); 2.75 / 0.5 = 5.5 (tie → 6, i.e. 3.0).
  EXPECT_EQ(str(dec("2.25").round_to_increment(tick, RM::HalfEven)), "2.0");
  EXPECT_EQ(str(dec("2.25").round_to_increment(tick, RM::HalfUp)), "2.5");
  EXPECT_EQ(str(dec("2.75").round_to_increment(tick, RM::HalfEven)), "3.0");
  EXPECT_EQ(str(dec("-2.25").round_to_increment(tick, RM::HalfUp)), "-2.5");
  EXPECT_EQ(str(dec("-2.25").round_to_increment(tick, RM::Up)), "-2.0");
  // A value with more places than the tick comes back at the tick's scale.
  EXPECT_EQ(str(dec("101.537").round_to_increment(tick, RM::Down)), "101.5");
  EXPECT_EQ(str(dec("101.500").round_to_increment(tick, RM::Down)), "101.5");
}

TEST(Decimal, RoundsToAnIntegerTickOfTwentyFive) {
  using RM = RoundingMode;
  const Decimal tick = dec("25");
  // 1012.7 / 25 = 40.508: nearest 41 (1025), floor 40 (1000).
  EXPECT_EQ(str(dec("1012.7").round_to_increment(tick, RM::HalfEven)), "1025");
  EXPECT_EQ(str(dec("1012.7").round_to_increment(tick, RM::Down)), "1000");
  EXPECT_EQ(str(dec("1012.7").round_to_increment(tick, RM::TowardZero)), "1000");
  EXPECT_EQ(str(dec("1012.7").round_to_increment(tick, RM::Up)), "1025");
  // 62.5 / 25 = 2.5 ticks (tie); 37.5 / 25 = 1.5 ticks (tie).
  EXPECT_EQ(str(dec("62.5").round_to_increment(tick, RM::HalfEven)), "50");
  EXPECT_EQ(str(dec("62.5").round_to_increment(tick, RM::HalfUp)), "75");
  EXPECT_EQ(str(dec("37.5").round_to_increment(tick, RM::HalfEven)), "50");
  EXPECT_EQ(str(dec("-62.5").round_to_increment(tick, RM::HalfEven)), "-50");
  EXPECT_EQ(str(dec("-62.5").round_to_increment(tick, RM::HalfUp)), "-75");
  EXPECT_EQ(str(dec("-62.5").round_to_increment(tick, RM::Down)), "-75");
  EXPECT_EQ(str(dec("-62.5").round_to_increment(tick, RM::Up)), "-50");
  EXPECT_EQ(str(dec("-62.5").round_to_increment(tick, RM::TowardZero)), "-50");
  EXPECT_EQ(str(dec("7").round_to_increment(tick, RM::Up)), "25");
  EXPECT_EQ(str(dec("7").round_to_increment(tick, RM::HalfEven)), "0");
}

TEST(Decimal, LeavesValuesOnTheTickUnchangedInEveryMode) {
  for (RoundingMode mode :
       {RoundingMode::HalfEven, RoundingMode::HalfUp, RoundingMode::TowardZero, RoundingMode::Down, RoundingMode::Up}) {
    EXPECT_EQ(str(dec("101.55").round_to_increment(dec("0.05"), mode)), "101.55");
    EXPECT_EQ(str(dec("-75").round_to_increment(dec("25"), mode)), "-75");
  }
}

TEST(Decimal, RoundToIncrementRefusesNonPositiveIncrements) {
  for (std::string_view inc : {"0", "0.00", "-0.05"}) {
    auto r = dec("1.23").round_to_increment(dec(inc), RoundingMode::HalfEven);
    ASSERT_FALSE(r.has_value()) << inc;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  }
}

TEST(Decimal, RoundToIncrementReportsOverflow) {
  // INT64_MAX rounded up to a multiple of 10 is 9223372036854775810.
  auto r = Decimal::from_int(kMax).round_to_increment(Decimal::from_int(10), RoundingMode::Up);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::Overflow);
}

TEST(Decimal, DetectsExactMultiples) {
  EXPECT_TRUE(dec("101.55").is_multiple_of(dec("0.05")));
  EXPECT_FALSE(dec("101.53").is_multiple_of(dec("0.05")));
  EXPECT_TRUE(dec("-0.10").is_multiple_of(dec("0.05")));
  EXPECT_TRUE(dec("0").is_multiple_of(dec("0.05")));
  EXPECT_TRUE(dec("100").is_multiple_of(dec("25")));
  EXPECT_FALSE(dec("110").is_multiple_of(dec("25")));
  EXPECT_TRUE(dec("1.50000").is_multiple_of(dec("0.5")));
  EXPECT_FALSE(dec("0.05").is_multiple_of(dec("0.1")));
  EXPECT_TRUE(Decimal::from_int(kMax).is_multiple_of(Decimal::from_raw(1, 18)));
}

TEST(Decimal, IsMultipleOfRequiresAPositiveIncrement) {
  EXPECT_THROW((void)dec("1").is_multiple_of(dec("0")), InvariantError);
  EXPECT_THROW((void)dec("1").is_multiple_of(dec("-1")), InvariantError);
}

// --------------------------------------------------------------------------------------------- doubles

TEST(Decimal, FromDoubleGoesThroughTheShortestDecimal) {
  // The double nearest 0.1 is 0.1000000000000000055511151231257827…; its shortest form is "0.1",
  // so at 18 places the result is exactly 10^17, not 100000000000000006.
  const auto r = Decimal::from_double(0.1, 18);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->raw(), 100'000'000'000'000'000);
  EXPECT_EQ(str(Decimal::from_double(0.1, 1)), "0.1");
  EXPECT_EQ(str(Decimal::from_double(-123.45, 2)), "-123.45");
  EXPECT_EQ(str(Decimal::from_double(1e-7, 8)), "0.00000010");
  EXPECT_EQ(str(Decimal::from_double(1.5e10, 0)), "15000000000");
  EXPECT_EQ(str(Decimal::from_double(0.0, 3)), "0.000");
  EXPECT_EQ(str(Decimal::from_double(-0.0, 3)), "0.000");
}

TEST(Decimal, FromDoubleRoundsDecimalTiesNotBinaryApproximations) {
  using RM = RoundingMode;
  // 2.675 is stored as 2.67499999999999982236…; its shortest decimal "2.675" is a tie at two places.
  EXPECT_EQ(str(Decimal::from_double(2.675, 2, RM::HalfEven)), "2.68");
  EXPECT_EQ(str(Decimal::from_double(2.675, 2, RM::HalfUp)), "2.68");
  EXPECT_EQ(str(Decimal::from_double(2.665, 2, RM::HalfEven)), "2.66");
  EXPECT_EQ(str(Decimal::from_double(2.675, 2, RM::Down)), "2.67");
  EXPECT_EQ(str(Decimal::from_double(2.5, 0, RM::HalfEven)), "2");
  EXPECT_EQ(str(Decimal::from_double(2.5, 0, RM::HalfUp)), "3");
  EXPECT_EQ(str(Decimal::from_double(-2.5, 0, RM::HalfEven)), "-2");
  EXPECT_EQ(str(Decimal::from_double(-2.5, 0, RM::HalfUp)), "-3");
  EXPECT_EQ(str(Decimal::from_double(-2.5, 0, RM::TowardZero)), "-2");
  EXPECT_EQ(str(Decimal::from_double(-2.5, 0, RM::Down)), "-3");
  EXPECT_EQ(str(Decimal::from_double(-2.5, 0, RM::Up)), "-2");
  EXPECT_EQ(str(Decimal::from_double(2.4, 0, RM::Up)), "3");
}

TEST(Decimal, FromDoubleRoundsExactlyWhenTheShortestFormHasMoreThanEighteenPlaces) {
  // Shortest form "0.0010292099090649254" has 19 places; the 19th digit is 4, so half-even keeps
  // …925 (multiplying by 1e18 in double arithmetic gives …926).
  EXPECT_EQ(str(Decimal::from_double(0.0010292099090649254, 18, RoundingMode::HalfEven)), "0.001029209909064925");
  EXPECT_EQ(str(Decimal::from_double(0.0010292099090649254, 18, RoundingMode::Up)), "0.001029209909064926");
  // 1.25e-17 at 18 places is 12.5 units: a tie.
  EXPECT_EQ(str(Decimal::from_double(1.25e-17, 18, RoundingMode::HalfEven)), "0.000000000000000012");
  EXPECT_EQ(str(Decimal::from_double(1.25e-17, 18, RoundingMode::HalfUp)), "0.000000000000000013");
  // Far below the last place only the direction matters.
  EXPECT_EQ(str(Decimal::from_double(1e-300, 2, RoundingMode::Up)), "0.01");
  EXPECT_EQ(str(Decimal::from_double(1e-300, 2, RoundingMode::HalfEven)), "0.00");
  EXPECT_EQ(str(Decimal::from_double(-1e-300, 2, RoundingMode::Down)), "-0.01");
  EXPECT_EQ(str(Decimal::from_double(-1e-300, 2, RoundingMode::Up)), "0.00");
}

TEST(Decimal, FromDoubleRefusesNaNAndInfinity) {
  for (double v : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    auto r = Decimal::from_double(v, 2);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  }
}

TEST(Decimal, FromDoubleReportsOverflow) {
  // INT64_MAX ≈ 9.2234e18: 9.2e18 fits at zero places, 9.3e18 does not; 1e10 at 9 places needs 10^19.
  EXPECT_EQ(str(Decimal::from_double(9.2e18, 0)), "9200000000000000000");
  for (const auto& [v, scale] : {std::pair{9.3e18, 0}, std::pair{1e19, 0}, std::pair{-1e19, 0}, std::pair{1e10, 9},
                                 std::pair{1e300, 0}, std::pair{-1e300, 18}}) {
    auto r = Decimal::from_double(v, scale);
    ASSERT_FALSE(r.has_value()) << v;
    EXPECT_EQ(r.error().code(), ErrorCode::Overflow) << v;
  }
}

TEST(Decimal, FromDoubleRefusesScalesOutsideZeroToEighteen) {
  EXPECT_EQ(Decimal::from_double(1.0, 19).error().code(), ErrorCode::OutOfRange);
  EXPECT_EQ(Decimal::from_double(1.0, -1).error().code(), ErrorCode::OutOfRange);
}

// -------------------------------------------------------------------------------------------- helpers

TEST(Decimal, PowersOfTenCoverZeroToEighteen) {
  EXPECT_EQ(pow10_i64(0), 1);
  EXPECT_EQ(pow10_i64(9), 1'000'000'000);
  EXPECT_EQ(pow10_i64(18), 1'000'000'000'000'000'000);
  EXPECT_THROW((void)pow10_i64(19), InvariantError);
  EXPECT_THROW((void)pow10_i64(-1), InvariantError);
}

TEST(Decimal, DivRoundHandlesNegativeDivisors) {
  // 7 / −2 = −3.5: half-even → −4, toward zero → −3, floor → −4, ceiling → −3.
  EXPECT_TRUE(div_round(7, -2, RoundingMode::HalfEven) == -4);
  EXPECT_TRUE(div_round(7, -2, RoundingMode::TowardZero) == -3);
  EXPECT_TRUE(div_round(7, -2, RoundingMode::Down) == -4);
  EXPECT_TRUE(div_round(7, -2, RoundingMode::Up) == -3);
  EXPECT_TRUE(div_round(-7, -2, RoundingMode::HalfUp) == 4);
}

}  // namespace
}  // namespace ballast::core
