#include "ballast/core/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

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

// A 128-bit dividend over a 64-bit divisor (a money amount scaled up for a ratio): the 128-bit path with
// quotients up to 3.9·10^18, both signs, ties. Operands are built as n = q·d + r with q and 0 <= r < d chosen, so the exact floor is q and the tie is
// known by construction: no division is needed to state the expected results.
TEST(DivRound, WideDividendOverNarrowDivisorMatchesTheConstructedQuotient) {
  std::uint64_t s = 0xD1B54A32D192ED03ULL;
  const auto next = [&] {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    return s;
  };
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t q = static_cast<std::int64_t>(next() % 3'900'000'000'000'000'000ULL) >> (next() % 40);
    const Int128 d = static_cast<Int128>((next() >> (1 + next() % 60)) | 2) & ~static_cast<Int128>(1);  // even, >= 2
    for (const Int128 r : {static_cast<Int128>(0), static_cast<Int128>(1), d / 2, d - 1}) {
      for (const int sign : {1, -1}) {
        // n / d with n = sign·(q·d + r): the exact quotient is sign·(q + r/d).
        const Int128 n = sign * (static_cast<Int128>(q) * d + r);
        const Int128 toward_zero = sign * static_cast<Int128>(q);
        const Int128 away = r == 0 ? toward_zero : toward_zero + sign;
        ASSERT_TRUE(div_round(n, d, RoundingMode::TowardZero) == toward_zero);
        ASSERT_TRUE(div_round(n, d, RoundingMode::Down) == (sign > 0 ? toward_zero : away));
        ASSERT_TRUE(div_round(n, d, RoundingMode::Up) == (sign > 0 ? away : toward_zero));
        const bool past_half = 2 * r > d;
        const bool tie = 2 * r == d;
        ASSERT_TRUE(div_round(n, d, RoundingMode::HalfUp) == (past_half || tie ? away : toward_zero));
        const bool even = q % 2 == 0;
        ASSERT_TRUE(div_round(n, d, RoundingMode::HalfEven) == (past_half || (tie && !even) ? away : toward_zero));
        // The same with the divisor's sign moved: n / −d = −(n / d).
        ASSERT_TRUE(div_round(-n, -d, RoundingMode::TowardZero) == toward_zero);
        check(n, d);
        check(n, -d);
      }
    }
  }
}

// Rescaling down divides by a power of ten (each power a constant of its own, so the compiler divides by
// multiplying). Built as raw = sign·(q·10^k + r) with q and r chosen, the expected result in every mode is
// known without a division — for each k from 1 to 18, remainders 0, 1, half, just under and just over half,
// and 10^k − 1, quotients even and odd, both signs, up to the int64 limits.
TEST(DivRound, RescalingDownByEachPowerOfTenMatchesTheConstructedQuotient) {
  std::uint64_t s = 0x2545F4914F6CDD1DULL;
  const auto next = [&] {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    return s;
  };
  for (int k = 1; k <= Decimal::kMaxScale; ++k) {
    const std::int64_t p = detail::kPow10Int[static_cast<std::size_t>(k)];
    const std::int64_t q_max = std::numeric_limits<std::int64_t>::max() / p - 1;
    for (int i = 0; i < 3000; ++i) {
      const std::int64_t q = static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(q_max + 1)) >> (next() % 63);
      const std::int64_t half = p / 2;
      for (const std::int64_t r : {std::int64_t{0}, std::int64_t{1}, half - 1, half, half + 1, p - 1}) {
        if (r < 0 || r >= p) continue;
        for (const int sign : {1, -1}) {
          const std::int64_t raw = sign * (q * p + r);
          const Decimal x = Decimal::from_raw(raw, k);
          const std::int64_t toward_zero = sign * q;
          const std::int64_t away = r == 0 ? toward_zero : toward_zero + sign;
          const bool past_half = 2 * r > p;
          const bool tie = 2 * r == p;
          const auto rescaled = [&](RoundingMode mode) { return x.rescale(0, mode).raw(); };
          ASSERT_EQ(rescaled(RoundingMode::TowardZero), toward_zero) << raw << " at " << k;
          ASSERT_EQ(rescaled(RoundingMode::Down), sign > 0 ? toward_zero : away) << raw << " at " << k;
          ASSERT_EQ(rescaled(RoundingMode::Up), sign > 0 ? away : toward_zero) << raw << " at " << k;
          ASSERT_EQ(rescaled(RoundingMode::HalfUp), past_half || tie ? away : toward_zero) << raw << " at " << k;
          ASSERT_EQ(rescaled(RoundingMode::HalfEven), past_half || (tie && q % 2 != 0) ? away : toward_zero)
              << raw << " at " << k;
        }
      }
    }
    // The extremes: int64's own limits at k places.
    for (const std::int64_t raw : {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
      const Decimal x = Decimal::from_raw(raw, k);
      ASSERT_EQ(x.rescale(0, RoundingMode::TowardZero).raw(), raw / p) << k;
      ASSERT_EQ(x.rescale(0, RoundingMode::Down).raw(), raw / p - (raw < 0 && raw % p != 0 ? 1 : 0)) << k;
    }
  }
}

}  // namespace
}  // namespace ballast::core
