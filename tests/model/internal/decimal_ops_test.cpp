#include "ballast/model/internal/decimal_ops.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::model::internal {
namespace {

using core::ErrorCode;
using core::RoundingMode;
using test::dec;

TEST(DecimalOps, MultiplyKeepsEveryDigitWhenTheProductFits) {
  const core::Decimal p = multiply(dec("43250.5"), dec("0.015")).value();
  EXPECT_EQ(p, dec("648.7575"));  // 43250.5 × 0.015
  EXPECT_EQ(p.scale(), 4);
}

TEST(DecimalOps, MultiplyDropsOnlyTheDigitsThatDoNotFit) {
  // 0.123456789012² = 0.015241578753153483936144 (24 places) → 18 places, half-even
  EXPECT_EQ(multiply(dec("0.123456789012"), dec("0.123456789012")).value(), dec("0.015241578753153484"));
  // 10^6 × 10^6 written with 9 places each: 10^12 fits at 6 places (raw 10^18), not at 18
  const core::Decimal big = multiply(dec("1000000.000000000"), dec("1000000.000000000")).value();
  EXPECT_EQ(big, dec("1000000000000"));
  EXPECT_EQ(big.scale(), 6);
  EXPECT_EQ(multiply(dec("10000000000"), dec("10000000000")).error().code(), ErrorCode::Overflow);  // 10^20
}

TEST(DecimalOps, DivideFallsBackToFewerPlacesOnlyWhenAllowed) {
  EXPECT_EQ(divide(dec("1"), dec("3"), 8, 8, RoundingMode::HalfEven).value(), dec("0.33333333"));
  EXPECT_EQ(divide(dec("2"), dec("3"), 8, 8, RoundingMode::TowardZero).value(), dec("0.66666666"));
  // 10^9 / 0.001 = 10^12: too large at 18 places, fits at 6
  const core::Decimal q = divide(dec("1000000000"), dec("0.001"), 18, 0, RoundingMode::HalfEven).value();
  EXPECT_EQ(q, dec("1000000000000"));
  EXPECT_EQ(q.scale(), 6);
  EXPECT_EQ(divide(dec("1000000000"), dec("0.001"), 18, 10, RoundingMode::HalfEven).error().code(),
            ErrorCode::Overflow);
  EXPECT_EQ(divide(dec("1"), dec("0"), 8, 0, RoundingMode::HalfEven).error().code(), ErrorCode::InvalidArgument);
}

TEST(DecimalOps, MulDivRoundsOnce) {
  EXPECT_EQ(mul_div(dec("210"), dec("1.5"), dec("2"), 8, RoundingMode::HalfEven).value(), dec("157.5"));
  // 302 × 1 / 3 = 100.666… → 100.66666667 (half-even), 100.66666666 (toward zero)
  EXPECT_EQ(mul_div(dec("302"), dec("1"), dec("3"), 8, RoundingMode::HalfEven).value(), dec("100.66666667"));
  EXPECT_EQ(mul_div(dec("302"), dec("1"), dec("3"), 8, RoundingMode::TowardZero).value(), dec("100.66666666"));
  // 1000 × 0.0005 / 30000 = 0.0000166… → up at 8 places: 0.00001667
  EXPECT_EQ(mul_div(dec("1000"), dec("0.0005"), dec("30000"), 8, RoundingMode::Up).value(), dec("0.00001667"));
  EXPECT_EQ(mul_div(dec("1"), dec("1"), dec("0"), 8, RoundingMode::HalfEven).error().code(),
            ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace ballast::model::internal
