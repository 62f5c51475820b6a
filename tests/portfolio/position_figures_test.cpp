#include "ballast/portfolio/internal/position_figures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

// position_figures() is checked against figures worked by hand (the arithmetic is in the comments) and against
// position_figures_reference(), the same definition in general decimal arithmetic, on random positions.

namespace ballast::portfolio::internal {
namespace {

using core::Decimal;

Decimal dec(const char* text) { return Decimal::parse(text).value(); }

struct Case {
  const char* quantity;
  const char* multiplier;
  const char* mark;
  const char* avg_entry;
  const char* leverage;
  int places;
  const char* notional;
  const char* pnl;
  const char* margin;
};

TEST(PositionFigures, MatchHandWorkedPositions) {
  const std::array<Case, 8> cases{{
      // 0.5 × 50,123.4 = 25,061.7; 0.5 × 123.4 = 61.7; 25,061.7 / 3 = 8,353.9.
      {"0.5", "1", "50123.4", "50000", "3", 8, "25061.70000000", "61.70000000", "8353.90000000"},
      // Short 0.003: 0.003 × 40,123.45 = 120.37035 → 120.37; 0.003 × (40,123.45 − 39,876.5432) = 0.7407204,
      // short → −0.74; 120.37035 / 7 = 17.195764… → up 17.20.
      {"-0.003", "1", "40123.45", "39876.5432", "7", 2, "-120.37", "-0.74", "17.20"},
      // Ties go to even: 0.125 → 0.12, 0.025 → 0.02; the margin 0.125 rounds up to 0.13.
      {"1", "1", "0.125", "0.1", "1", 2, "0.12", "0.02", "0.13"},
      // 0.135 → 0.14 and 0.035 → 0.04 (the odd last digit moves up).
      {"1", "1", "0.135", "0.1", "1", 2, "0.14", "0.04", "0.14"},
      // A multiplier: 3 × 0.01 = 0.03 contracts; 0.03 × 4,567.8 = 137.034 → 137.03; 0.03 × 67.8 = 2.034 → 2.03;
      // 137.034 / 2.5 = 54.8136 → up 54.82.
      {"3", "0.01", "4567.8", "4500", "2.5", 2, "137.03", "2.03", "54.82"},
      // A loss on a long: 2 × (99.5 − 100.25) = −1.5; 199 / 20 = 9.95.
      {"2", "1", "99.5", "100.25", "20", 8, "199.00000000", "-1.50000000", "9.95000000"},
      // A negative price: 1,000 × −37.63 = −37,630; 1,000 × (−37.63 − 18.27) = −55,900; |−37,630| / 10 = 3,763.
      {"1000", "1", "-37.63", "18.27", "10", 2, "-37630.00", "-55900.00", "3763.00"},
      // Beyond int64 at the exact scale: 10,000 (8 places, raw 10^12) × 12,345.678901 (raw 1.2·10^10) =
      // 123,456,789.01, formed by the general arithmetic at 10 places; 123,456,789.01 − 10,000 × 12,000 = 3,456,789.01.
      {"10000.00000000", "1", "12345.678901", "12000", "1", 8, "123456789.01000000", "3456789.01000000",
       "123456789.01000000"},
  }};
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.quantity) + " @ " + c.mark);
    const PositionFigures f =
        position_figures(dec(c.quantity), dec(c.multiplier), dec(c.mark), dec(c.avg_entry), dec(c.leverage), c.places);
    EXPECT_EQ(f.notional.to_string(), c.notional);
    EXPECT_EQ(f.unrealized_pnl.to_string(), c.pnl);
    EXPECT_EQ(f.initial_margin.to_string(), c.margin);
  }
}

// Random positions over the scales prices, quantities, multipliers and leverages take, including products
// that leave the int64 range: the integer path and the general arithmetic give the same three figures.
TEST(PositionFigures, AgreeWithTheGeneralDecimalArithmetic) {
  std::mt19937_64 rng(20261123);
  const std::array<const char*, 6> multipliers{"1", "0.001", "10", "0.5", "25", "0.00001"};
  const std::array<const char*, 7> leverages{"1", "2", "3", "7", "12.5", "20", "125"};
  const std::array<int, 3> places{2, 6, 8};
  auto draw = [&](std::int64_t limit) { return std::uniform_int_distribution<std::int64_t>(1, limit)(rng); };
  auto scale = [&](int hi) { return std::uniform_int_distribution<int>(0, hi)(rng); };
  constexpr std::array<std::int64_t, 5> kSizes{9, 999, 999'999, 999'999'999, 999'999'999'999'999};
  int compared = 0;
  int thrown = 0;
  for (int i = 0; i < 200'000; ++i) {
    const std::int64_t q = draw(kSizes[static_cast<std::size_t>(i) % kSizes.size()]) * ((i & 1) != 0 ? -1 : 1);
    const Decimal quantity = Decimal::from_raw(q, scale(8));
    const Decimal multiplier = dec(multipliers[static_cast<std::size_t>(draw(6) - 1)]);
    // Some marks below zero (a linear contract may trade at a negative price, as oil futures did in 2020).
    const std::int64_t m = draw(kSizes[static_cast<std::size_t>(i / 5) % kSizes.size()]) * (i % 7 == 0 ? -1 : 1);
    const Decimal mark = Decimal::from_raw(m, scale(6));
    const Decimal avg = Decimal::from_raw(draw(kSizes[static_cast<std::size_t>(i / 25) % kSizes.size()]), scale(10));
    const Decimal leverage = dec(leverages[static_cast<std::size_t>(draw(7) - 1)]);
    const int p = places[static_cast<std::size_t>(draw(3) - 1)];
    PositionFigures want;
    try {
      want = position_figures_reference(quantity, multiplier, mark, avg, leverage, p);
    } catch (const std::exception&) {
      // Figures beyond the decimal range: the integer path must refuse them too (it hands them over).
      EXPECT_ANY_THROW(position_figures(quantity, multiplier, mark, avg, leverage, p));
      ++thrown;
      continue;
    }
    const PositionFigures got = position_figures(quantity, multiplier, mark, avg, leverage, p);
    ASSERT_EQ(got.notional, want.notional) << quantity.to_string() << " x " << multiplier.to_string() << " @ "
                                           << mark.to_string() << " from " << avg.to_string() << " at " << p;
    ASSERT_EQ(got.notional.scale(), p);
    ASSERT_EQ(got.unrealized_pnl, want.unrealized_pnl) << quantity.to_string() << " @ " << mark.to_string() << " from "
                                                       << avg.to_string() << " at " << p;
    ASSERT_EQ(got.unrealized_pnl.scale(), p);
    ASSERT_EQ(got.initial_margin, want.initial_margin) << quantity.to_string() << " @ " << mark.to_string() << " / "
                                                       << leverage.to_string() << " at " << p;
    ASSERT_EQ(got.initial_margin.scale(), p);
    ++compared;
  }
  // Most draws are in range; some are not, and both kinds are exercised.
  EXPECT_GT(compared, 100'000);
  EXPECT_GT(thrown, 100);
}

// The book forms a position's line once and evaluates it on every later mark of the same scale: each such mark's
// figures must be the general arithmetic's, also for marks whose products leave the int64 range (line_figures
// refuses them and the reference forms them), and a line formed from other inputs must not pass for current.
TEST(PositionLine, OneLineEvaluatedAtManyMarksGivesTheGeneralArithmeticsFigures) {
  std::mt19937_64 rng(20261124);
  const std::array<const char*, 4> multipliers{"1", "0.001", "10", "0.5"};
  const std::array<const char*, 4> leverages{"1", "3", "12.5", "125"};
  auto draw = [&](std::int64_t limit) { return std::uniform_int_distribution<std::int64_t>(1, limit)(rng); };
  auto scale = [&](int hi) { return std::uniform_int_distribution<int>(0, hi)(rng); };
  int evaluated = 0;
  int refused = 0;
  for (int i = 0; i < 2'000; ++i) {
    const Decimal quantity = Decimal::from_raw(draw(999'999) * ((i & 1) != 0 ? -1 : 1), scale(8));
    const Decimal multiplier = dec(multipliers[static_cast<std::size_t>(draw(4) - 1)]);
    const Decimal avg = Decimal::from_raw(draw(999'999'999), scale(8));
    const Decimal leverage = dec(leverages[static_cast<std::size_t>(draw(4) - 1)]);
    const int mark_scale = scale(6);
    const int p = i % 3 == 0 ? 2 : 8;
    const PositionLine line = position_line(quantity, multiplier, avg, leverage, mark_scale, p);
    ASSERT_TRUE(line.formed_from(quantity, avg, leverage, mark_scale));
    EXPECT_FALSE(line.formed_from(quantity, avg, leverage, mark_scale + 1));
    EXPECT_FALSE(line.formed_from(Decimal::from_raw(quantity.raw() + 1, quantity.scale()), avg, leverage, mark_scale));
    EXPECT_FALSE(line.formed_from(quantity, Decimal::from_raw(avg.raw(), avg.scale() + 1), leverage, mark_scale));
    EXPECT_FALSE(line.formed_from(quantity, avg, Decimal::from_int(1000), mark_scale));
    // The same quantity written at one more place is another line (its raw value and scale differ).
    EXPECT_FALSE(line.formed_from(quantity.rescaled(quantity.scale() + 1).value(), avg, leverage, mark_scale));
    for (int k = 0; k < 50; ++k) {
      // Marks from 1 to 10^17 raw: the larger ones leave the range for most lines.
      const std::int64_t limit = k < 40 ? 9'999'999 : 99'999'999'999'999'999;
      const Decimal mark = Decimal::from_raw(draw(limit) * (k % 9 == 0 ? -1 : 1), mark_scale);
      std::int64_t notional = 0, pnl = 0, margin = 0;
      if (!line.valid || !line_figures(line, mark.raw(), notional, pnl, margin)) {
        ++refused;
        continue;
      }
      const PositionFigures want = position_figures_reference(quantity, multiplier, mark, avg, leverage, p);
      ASSERT_EQ(Decimal::from_raw(notional, p), want.notional) << quantity.to_string() << " @ " << mark.to_string();
      ASSERT_EQ(Decimal::from_raw(pnl, p), want.unrealized_pnl) << quantity.to_string() << " @ " << mark.to_string()
                                                                << " from " << avg.to_string();
      ASSERT_EQ(Decimal::from_raw(margin, p), want.initial_margin) << quantity.to_string() << " @ " << mark.to_string()
                                                                   << " / " << leverage.to_string();
      ++evaluated;
    }
  }
  // About two thirds of the marks are evaluated on the line, the rest refused (seen: 65,600 and 34,400).
  EXPECT_GT(evaluated, 50'000);
  EXPECT_GT(refused, 10'000);
}

}  // namespace
}  // namespace ballast::portfolio::internal
