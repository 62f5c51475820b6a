// Price/size rules from the Hyperliquid docs ("Tick and lot size"): ≤ 5 significant figures, ≤ 6 − szDecimals
// decimals for perps (8 − szDecimals spot), integers always valid; the docs' own examples are 123456 valid and
// 12345.6 invalid. Expected strings follow the SDK's float_to_wire (test_float_to_wire-style normalisation).
#include "ballast/adapters/hyperliquid/wire_format.hpp"

#include <gtest/gtest.h>

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::Decimal;
using ballast::core::RoundingMode;
using hl::MarketKind;

namespace {
Decimal d(std::string_view text) { return *Decimal::parse(text); }
}  // namespace

TEST(HyperliquidWireFormat, WritesNumbersWithoutTrailingZerosOrExponent) {
  EXPECT_EQ(*hl::decimal_to_wire(d("100.0"), "p"), "100");
  EXPECT_EQ(*hl::decimal_to_wire(d("0.01470"), "s"), "0.0147");
  EXPECT_EQ(*hl::decimal_to_wire(d("1670.1"), "p"), "1670.1");
  EXPECT_EQ(*hl::decimal_to_wire(d("-0.000"), "p"), "0");  // "-0" never appears
  EXPECT_EQ(*hl::decimal_to_wire(d("0.00000001"), "s"), "0.00000001");
}

TEST(HyperliquidWireFormat, RejectsMoreThanEightDecimalsInsteadOfRounding) {
  auto r = hl::decimal_to_wire(d("1.000000001"), "orders[0].s");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().where(), "orders[0].s");
}

TEST(HyperliquidWireFormat, AllowsAtMostSixMinusSzDecimalsDecimalsForPerps) {
  EXPECT_EQ(hl::max_price_decimals(4, MarketKind::Perp), 2);  // ETH
  EXPECT_EQ(hl::max_price_decimals(5, MarketKind::Perp), 1);  // BTC
  EXPECT_EQ(hl::max_price_decimals(0, MarketKind::Perp), 6);
  EXPECT_EQ(hl::max_price_decimals(2, MarketKind::Spot), 6);
  EXPECT_EQ(hl::max_price_decimals(9, MarketKind::Perp), 0);
  EXPECT_TRUE(hl::check_price(d("1670.1"), 4, MarketKind::Perp, "p"));
  EXPECT_TRUE(hl::check_price(d("0.001234"), 0, MarketKind::Perp, "p"));   // 6 decimals, 4 figures
  auto too_fine = hl::check_price(d("0.0012345"), 0, MarketKind::Perp, "p");  // 7 decimals
  ASSERT_FALSE(too_fine);
  EXPECT_NE(too_fine.error().message().find("at most 6"), std::string::npos);
  EXPECT_TRUE(hl::check_price(d("0.0012345"), 0, MarketKind::Spot, "p"));  // spot allows 8 − 0
  EXPECT_FALSE(hl::check_price(d("1.23"), 5, MarketKind::Perp, "p"));      // BTC: one decimal only
}

TEST(HyperliquidWireFormat, AllowsFiveSignificantFiguresAndAnyIntegerPrice) {
  EXPECT_TRUE(hl::check_price(d("123456"), 0, MarketKind::Perp, "p"));       // docs: valid
  EXPECT_FALSE(hl::check_price(d("12345.6"), 0, MarketKind::Perp, "p"));     // docs: invalid
  EXPECT_TRUE(hl::check_price(d("12345.0"), 0, MarketKind::Perp, "p"));      // an integer once normalised
  auto six = hl::check_price(d("1670.15"), 4, MarketKind::Perp, "orders[0].p");
  ASSERT_FALSE(six);
  EXPECT_EQ(six.error().where(), "orders[0].p");
  EXPECT_NE(six.error().message().find("6 significant figures"), std::string::npos);
  EXPECT_EQ(hl::significant_figures(d("0.00012300")), 3);
  EXPECT_FALSE(hl::check_price(d("0"), 0, MarketKind::Perp, "p"));
  EXPECT_FALSE(hl::check_price(d("-5"), 0, MarketKind::Perp, "p"));
}

TEST(HyperliquidWireFormat, RequiresSizesOnTheSzDecimalsGrid) {
  EXPECT_EQ(*hl::size_to_wire(d("0.0147"), 4, "s"), "0.0147");
  EXPECT_EQ(*hl::size_to_wire(d("100"), 0, "s"), "100");
  auto off_grid = hl::size_to_wire(d("0.01475"), 4, "orders[1].s");
  ASSERT_FALSE(off_grid);
  EXPECT_EQ(off_grid.error().where(), "orders[1].s");
  EXPECT_FALSE(hl::size_to_wire(d("0"), 4, "s"));
}

// Hand-computed: 1670.15 at 5 figures keeps 1 decimal → 1670.2 (half-even: 1670.1|5 → even 2);
// 123456.7 has ≥ 5 integer digits → integer 123457; 0.000123456 with szDecimals 0 keeps min(8, 6) = 6
// decimals → 0.000123.
TEST(HyperliquidWireFormat, RoundsPricesExplicitlyToTheRules) {
  EXPECT_EQ(*hl::round_price(d("1670.15"), 4, MarketKind::Perp, RoundingMode::HalfEven), d("1670.2"));
  EXPECT_EQ(*hl::round_price(d("1670.15"), 4, MarketKind::Perp, RoundingMode::Down), d("1670.1"));
  EXPECT_EQ(*hl::round_price(d("123456.7"), 0, MarketKind::Perp, RoundingMode::HalfEven), d("123457"));
  EXPECT_EQ(*hl::round_price(d("0.000123456"), 0, MarketKind::Perp, RoundingMode::HalfEven), d("0.000123"));
  EXPECT_EQ(*hl::round_price(d("99999.5"), 0, MarketKind::Perp, RoundingMode::HalfUp), d("100000"));
  const Decimal r = *hl::round_price(d("3.14159265"), 2, MarketKind::Perp, RoundingMode::HalfEven);
  EXPECT_EQ(r, d("3.1416"));
  EXPECT_TRUE(hl::check_price(r, 2, MarketKind::Perp, "p"));
  EXPECT_EQ(*hl::round_size(d("0.01475"), 4, RoundingMode::Down), d("0.0147"));
}

// test_float_to_int_for_hashing of the official Python SDK (power 8): 123123123123 → 12312312312300000000,
// 0.00001231 → 1231, 1.033 → 103300000, and 0.000012312312 raises (would need rounding).
TEST(HyperliquidWireFormat, ScalesDecimalsToIntegersAsTheSdkHashesThem) {
  EXPECT_EQ(hl::decimal_to_scaled_int(d("123123123123"), 8, "num")->as_uint(), 12312312312300000000ULL);
  EXPECT_EQ(hl::decimal_to_scaled_int(d("0.00001231"), 8, "num")->as_uint(), 1231U);
  EXPECT_EQ(hl::decimal_to_scaled_int(d("1.033"), 8, "num")->as_uint(), 103300000U);
  auto rounding = hl::decimal_to_scaled_int(d("0.000012312312"), 8, "num");
  ASSERT_FALSE(rounding);
  EXPECT_EQ(rounding.error().where(), "num");
  EXPECT_EQ(hl::decimal_to_scaled_int(d("-2.5"), 6, "ntli")->as_int(), -2500000);  // float_to_usd_int(-2.5)
  EXPECT_FALSE(hl::decimal_to_scaled_int(d("200000000000"), 8, "num"));  // 2 × 10^19 > 2^64 − 1
}
