#include "ballast/core/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace ballast::core {
namespace {

// The defining inequalities of each rounding mode, checked in 128-bit arithmetic for random operands on
// both the 64-bit fast path and the 128-bit path (operands beyond 64 bits).
void check(Int128 n, Int128 d) {
  const auto abs = [](Int128 v) { return v < 0 ? -v : v; };
  for (RoundingMode mode : {RoundingMode::TowardZero, RoundingMode::Down, RoundingMode::Up, RoundingMode::HalfUp,
                            RoundingMode::HalfEven}) {
    const Int128 q = div_round(n, d, mode);
    const Int128 err = n - q * d;  // n/d − q = err/d
    // |err| < |d| always (the result is within one step of the exact quotient).
    ASSERT_LT(abs(err), abs(d));
    const bool exact_positive = (n < 0) == (d < 0);
    switch (mode) {
      case RoundingMode::Down:  // q <= n/d
        ASSERT_TRUE(err == 0 || ((err > 0) == (d > 0)));
        break;
      case RoundingMode::Up:  // q >= n/d
        ASSERT_TRUE(err == 0 || ((err > 0) != (d > 0)));
        break;
      case RoundingMode::TowardZero:  // |q| <= |n/d|
        ASSERT_TRUE(err == 0 || ((err > 0) == (n > 0)));
        break;
      case RoundingMode::HalfUp:
      case RoundingMode::HalfEven:
        ASSERT_LE(2 * abs(err), abs(d));
        if (2 * abs(err) == abs(d)) {
          if (mode == RoundingMode::HalfEven) {
            ASSERT_EQ(q % 2, 0);
          } else {
            ASSERT_TRUE(exact_positive ? q > 0 || n == 0 : q < 0);  // away from zero
          }
        }
        break;
    }
  }
}

TEST(DivRound, EveryModeSatisfiesItsDefinitionOnRandomOperands) {
  std::uint64_t s = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    return s;
  };
  for (int i = 0; i < 200'000; ++i) {
    const auto n = static_cast<std::int64_t>(next()) >> (next() % 60);
    auto d = static_cast<std::int64_t>(next()) >> (next() % 62);
    if (d == 0) d = 7;
    check(n, d);
    check(static_cast<Int128>(n) * 1'000'000'007, d);  // beyond 64 bits: the 128-bit path
  }
  // Ties: 5 / 2 = 2.5, −5 / 2, 7 / 2 = 3.5.
  EXPECT_EQ(static_cast<std::int64_t>(div_round(5, 2, RoundingMode::HalfEven)), 2);
  EXPECT_EQ(static_cast<std::int64_t>(div_round(7, 2, RoundingMode::HalfEven)), 4);
  EXPECT_EQ(static_cast<std::int64_t>(div_round(-5, 2, RoundingMode::HalfUp)), -3);
  EXPECT_EQ(static_cast<std::int64_t>(div_round(-5, 2, RoundingMode::Down)), -3);
  EXPECT_EQ(static_cast<std::int64_t>(div_round(-5, 2, RoundingMode::Up)), -2);
}

}  // namespace
}  // namespace ballast::core
