#include "ballast/model/instrument.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ballast::model {
namespace {

using test::btc;
using test::dec;
using test::px;
using test::qty;
using test::usdt;

TEST(Instrument, CreatesAValidLinearPerpetual) {
  const Instrument btcusdt = test::linear_perp();
  EXPECT_EQ(btcusdt.id().value(), "BTCUSDT-PERP.BINANCE");
  EXPECT_EQ(btcusdt.price_precision(), 1);
  EXPECT_EQ(btcusdt.quantity_precision(), 3);
  EXPECT_EQ(btcusdt.fee_rate(LiquiditySide::Maker), dec("0.0002"));
  EXPECT_EQ(btcusdt.fee_rate(LiquiditySide::Taker), dec("0.0004"));
  EXPECT_FALSE(btcusdt.is_expired_at(test::at(4'000'000'000)));
}

TEST(Instrument, SortsMarginTiersByFloor) {
  InstrumentSpec spec = test::linear_perp_spec();
  std::swap(spec.margin_tiers[0], spec.margin_tiers[2]);
  const Instrument instrument = Instrument::create(spec).value();
  EXPECT_EQ(instrument.margin_tiers(), test::btcusdt_tiers());
}

TEST(Instrument, CreateListsEveryProblemAtOnce) {
  InstrumentSpec spec = test::linear_perp_spec();
  spec.tick_size = px("0");
  spec.step_size = qty("0");
  spec.min_quantity = qty("5");
  spec.max_quantity = qty("1");
  spec.margin_tiers[1].notional_floor = dec("40000");  // gap/overlap with tier 0's cap of 50000
  spec.taker_fee_rate = dec("1.5");
  const auto result = Instrument::create(spec);
  ASSERT_FALSE(result);
  const core::Error& error = result.error();
  EXPECT_EQ(error.code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(error.where(), "instrument");
  const std::string& message = error.message();
  EXPECT_NE(message.find("invalid instrument BTCUSDT-PERP.BINANCE: "), std::string::npos) << message;
  EXPECT_NE(message.find("tick_size must be positive, got 0"), std::string::npos) << message;
  EXPECT_NE(message.find("step_size must be positive, got 0"), std::string::npos) << message;
  EXPECT_NE(message.find("min_quantity 5 exceeds max_quantity 1"), std::string::npos) << message;
  EXPECT_NE(message.find("margin_tiers[1].notional_floor 40000 must equal margin_tiers[0].notional_cap 50000"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("taker_fee_rate must be a fraction in (-1, 1), got 1.5"), std::string::npos) << message;
}

TEST(Instrument, CreateRefusesTiersThatDoNotStartAtZeroOrAreInconsistent) {
  InstrumentSpec spec = test::linear_perp_spec();
  spec.margin_tiers[0].notional_floor = dec("10");
  spec.margin_tiers[1].max_leverage = dec("200");              // rises with notional
  spec.margin_tiers[2].maintenance_margin_rate = dec("0.03");  // 0.03 × 50 = 1.5 >= 1
  const auto result = Instrument::create(spec);
  ASSERT_FALSE(result);
  const std::string& message = result.error().message();
  EXPECT_NE(message.find("margin_tiers[0].notional_floor must be 0, got 10"), std::string::npos) << message;
  EXPECT_NE(message.find("margin_tiers[1].max_leverage 200 exceeds the lower tier's 125"), std::string::npos)
      << message;
  EXPECT_NE(message.find("margin_tiers[2].maintenance_margin_rate 0.03 times max_leverage 50 must be below 1"),
            std::string::npos)
      << message;
}

TEST(Instrument, CreateRefusesInconsistentCurrenciesAndExpiry) {
  InstrumentSpec spec = test::inverse_perp_spec();
  spec.settlement_currency = Currency("USD", 2);  // inverse settles in base
  spec.kind = InstrumentKind::Spot;               // inverse spot does not exist
  spec.expiry = test::at(1'700'000'000);          // only dated futures expire
  const auto result = Instrument::create(spec);
  ASSERT_FALSE(result);
  const std::string& message = result.error().message();
  EXPECT_NE(message.find("is_inverse needs a PERPETUAL or DATED_FUTURE, not SPOT"), std::string::npos) << message;
  EXPECT_NE(message.find("an inverse instrument settles in its base currency BTC, not USD"), std::string::npos)
      << message;
  EXPECT_NE(message.find("expiry is only for a DATED_FUTURE, not SPOT"), std::string::npos) << message;
}

TEST(Instrument, DatedFutureNeedsAnExpiryAndReportsExpiration) {
  InstrumentSpec spec = test::linear_perp_spec();
  spec.kind = InstrumentKind::DatedFuture;
  const auto missing = Instrument::create(spec);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("a DATED_FUTURE needs an expiry"), std::string::npos);
  spec.expiry = test::at(1'719'561'600);  // 2024-06-28T08:00:00Z
  const Instrument future = Instrument::create(spec).value();
  EXPECT_FALSE(future.is_expired_at(test::at(1'719'561'599)));
  EXPECT_TRUE(future.is_expired_at(test::at(1'719'561'600)));
}

TEST(Instrument, LinearNotionalIsPriceTimesQuantityTimesMultiplier) {
  const Instrument btcusdt = test::linear_perp();
  // 43250.5 × 0.015 × 1 = 648.7575 USDT
  EXPECT_EQ(btcusdt.notional(px("43250.5"), qty("0.015")), usdt("648.7575"));
  InstrumentSpec spec = test::linear_perp_spec();
  spec.multiplier = dec("0.01");  // e.g. a contract worth 0.01 BTC
  const Instrument small = Instrument::create(spec).value();
  // 43250.5 × 3 × 0.01 = 1297.515 USDT
  EXPECT_EQ(small.notional(px("43250.5"), qty("3")), usdt("1297.515"));
}

TEST(Instrument, InverseNotionalIsContractsTimesMultiplierOverPrice) {
  const Instrument btcusd = test::inverse_perp();
  // 10 × 100 / 50000 = 0.02 BTC
  EXPECT_EQ(btcusd.notional(px("50000"), qty("10")), btc("0.02"));
  // 10 × 100 / 30000 = 0.0333333333… BTC → 8 places: 0.03333333 half-even, 0.03333334 rounding up
  EXPECT_EQ(btcusd.notional(px("30000"), qty("10")), btc("0.03333333"));
  EXPECT_EQ(btcusd.notional(px("30000"), qty("10"), RoundingMode::Up), btc("0.03333334"));
  EXPECT_EQ(btcusd.notional(px("30000"), qty("10")).currency(), Currency::BTC());
}

TEST(Instrument, CommissionRoundsTowardPlusInfinity) {
  InstrumentSpec spec = test::linear_perp_spec();
  spec.taker_fee_rate = dec("0.00025");
  spec.maker_fee_rate = dec("-0.00005");
  const Instrument btcusdt = Instrument::create(spec).value();
  // 648.7575 × 0.00025 = 0.162189375 → up to 8 places: 0.16218938
  EXPECT_EQ(btcusdt.commission(px("43250.5"), qty("0.015"), LiquiditySide::Taker), usdt("0.16218938"));
  // 648.7575 × −0.00005 = −0.032437875 → toward +∞: −0.03243787 (a rebate is never overstated)
  EXPECT_EQ(btcusdt.commission(px("43250.5"), qty("0.015"), LiquiditySide::Maker), usdt("-0.03243787"));
  // Inverse: 10 × 100 / 30000 × 0.0005 = 0.00001666… BTC → 0.00001667
  EXPECT_EQ(test::inverse_perp().commission(px("30000"), qty("10"), LiquiditySide::Taker), btc("0.00001667"));
}

TEST(Instrument, MarginTierLookupPutsACapOnItsOwnBracket) {
  const Instrument btcusdt = test::linear_perp();
  const auto tiers = test::btcusdt_tiers();
  EXPECT_EQ(btcusdt.margin_tier_for(dec("0")).value(), tiers[0]);
  EXPECT_EQ(btcusdt.margin_tier_for(dec("50000")).value(), tiers[0]);
  EXPECT_EQ(btcusdt.margin_tier_for(dec("50000.01")).value(), tiers[1]);
  EXPECT_EQ(btcusdt.margin_tier_for(dec("250000")).value(), tiers[1]);
  EXPECT_EQ(btcusdt.margin_tier_for(dec("250000.00000001")).value(), tiers[2]);
  EXPECT_EQ(btcusdt.margin_tier_for(dec("3000000")).value(), tiers[2]);
  const auto above = btcusdt.margin_tier_for(dec("3000000.01"));
  ASSERT_FALSE(above);
  EXPECT_EQ(above.error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(above.error().message(),
            "notional 3000000.01 USDT exceeds the largest margin tier cap 3000000 of BTCUSDT-PERP.BINANCE");
  EXPECT_EQ(btcusdt.margin_tier_for(dec("-1")).error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_EQ(test::inverse_perp().margin_tier_for(dec("1")).error().code(), core::ErrorCode::NotFound);
}

TEST(Instrument, MaintenanceMarginIsContinuousAcrossBrackets) {
  const Instrument btcusdt = test::linear_perp();
  // Tier 1 at its cap: 50000 × 0.004 − 0 = 200
  EXPECT_EQ(btcusdt.maintenance_margin(usdt("50000")).value(), usdt("200"));
  // Tier 2: 100000 × 0.005 − 50 = 450; a short's notional counts by magnitude
  EXPECT_EQ(btcusdt.maintenance_margin(usdt("100000")).value(), usdt("450"));
  EXPECT_EQ(btcusdt.maintenance_margin(usdt("-100000")).value(), usdt("450"));
  // Tier 3: 300000 × 0.01 − 1300 = 1700
  EXPECT_EQ(btcusdt.maintenance_margin(usdt("300000")).value(), usdt("1700"));
  EXPECT_FALSE(btcusdt.maintenance_margin(btc("1")));
}

TEST(Instrument, MaintenanceMarginAmountOfASettlementNotional) {
  const Instrument btcusdt = test::linear_perp();
  // The same brackets as above, by hand: 50000 × 0.004 = 200; 100000 × 0.005 − 50 = 450.
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("50000")), dec("200"));
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("100000")), dec("450"));
  // 1234.56789013 × 0.004 = 4.93827156052, rounded toward +∞ to USDT's 8 places: 4.93827157
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("1234.56789013")), dec("4.93827157"));
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("1234.56789013"))->scale(), 8);
  // Tier 2 with the tier's amount: 100000.12345678 × 0.005 = 500.0006172839, − 50 = 450.0006172839, up: 450.00061729
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("100000.12345678")), dec("450.00061729"));
  // Exactly on the grid stays: 250000.00000000 × 0.005 − 50 = 1200
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("250000.00000000")), dec("1200"));
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("-1")), std::nullopt);
  EXPECT_EQ(btcusdt.maintenance_margin_amount(dec("3000000.01")), std::nullopt);  // beyond the last cap
  EXPECT_EQ(test::inverse_perp().maintenance_margin_amount(dec("1")), std::nullopt);  // no tiers
}

TEST(Instrument, RoundsPricesToTheTickInEveryMode) {
  const Instrument btcusdt = test::linear_perp();  // tick 0.1
  EXPECT_EQ(btcusdt.round_price(px("100.25"), RoundingMode::HalfEven).value(), px("100.2"));
  EXPECT_EQ(btcusdt.round_price(px("100.35"), RoundingMode::HalfEven).value(), px("100.4"));
  EXPECT_EQ(btcusdt.round_price(px("100.25"), RoundingMode::HalfUp).value(), px("100.3"));
  EXPECT_EQ(btcusdt.round_price(px("100.29"), RoundingMode::Down).value(), px("100.2"));
  EXPECT_EQ(btcusdt.round_price(px("100.21"), RoundingMode::Up).value(), px("100.3"));
  EXPECT_EQ(btcusdt.round_price(px("100.29"), RoundingMode::TowardZero).value(), px("100.2"));
  EXPECT_EQ(btcusdt.round_price(px("100.2"), RoundingMode::Up).value(), px("100.2"));
  EXPECT_EQ(btcusdt.round_price(px("100.25"), RoundingMode::HalfEven)->precision(), 1);
}

TEST(Instrument, RoundsQuantitiesToTheStepInEveryMode) {
  const Instrument btcusdt = test::linear_perp();  // step 0.001
  EXPECT_EQ(btcusdt.round_quantity(qty("1.2345"), RoundingMode::HalfEven).value(), qty("1.234"));
  EXPECT_EQ(btcusdt.round_quantity(qty("1.2345"), RoundingMode::HalfUp).value(), qty("1.235"));
  EXPECT_EQ(btcusdt.round_quantity(qty("1.2349"), RoundingMode::TowardZero).value(), qty("1.234"));
  EXPECT_EQ(btcusdt.round_quantity(qty("1.2341"), RoundingMode::Up).value(), qty("1.235"));
  EXPECT_EQ(btcusdt.round_quantity(qty("0.0004"), RoundingMode::Down).value(), qty("0"));
}

TEST(Instrument, ChecksPricesAgainstTheTickAndQuantitiesAgainstTheStep) {
  const Instrument btcusdt = test::linear_perp();
  EXPECT_TRUE(btcusdt.check_price_on_tick(px("43250.5")));
  EXPECT_TRUE(btcusdt.check_price_on_tick(px("43250.50")));
  const auto off_tick = btcusdt.check_price_on_tick(px("43250.55"));
  ASSERT_FALSE(off_tick);
  EXPECT_EQ(off_tick.error().where(), "price");
  EXPECT_EQ(off_tick.error().message(),
            "price 43250.55 is not a multiple of the tick size 0.1 of BTCUSDT-PERP.BINANCE");
  EXPECT_TRUE(btcusdt.check_quantity_on_step(qty("0.015")));
  const auto off_step = btcusdt.check_quantity_on_step(qty("0.0155"));
  ASSERT_FALSE(off_step);
  EXPECT_EQ(off_step.error().where(), "quantity");
  EXPECT_EQ(off_step.error().message(),
            "quantity 0.0155 is not a multiple of the step size 0.001 of BTCUSDT-PERP.BINANCE");
}

TEST(Instrument, ChecksQuantityLimitsAndMinimumNotional) {
  const Instrument btcusdt = test::linear_perp();  // min 0.001, max 1000, min notional 100 USDT
  EXPECT_TRUE(btcusdt.check_quantity_limits(qty("0.001")));
  EXPECT_TRUE(btcusdt.check_quantity_limits(qty("1000")));
  EXPECT_EQ(btcusdt.check_quantity_limits(qty("0")).error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(btcusdt.check_quantity_limits(qty("1000.001")).error().message(),
            "quantity 1000.001 is above the maximum 1000 of BTCUSDT-PERP.BINANCE");
  // 0.002 × 50000 = 100 ≥ 100; 0.001 × 50000 = 50 < 100
  EXPECT_TRUE(btcusdt.check_min_notional(px("50000"), qty("0.002")));
  const auto small = btcusdt.check_min_notional(px("50000"), qty("0.001"));
  ASSERT_FALSE(small);
  EXPECT_EQ(
      small.error().message(),
      "notional 50.00000000 USDT of 0.001 at 50000 is below the minimum 100.00000000 USDT of BTCUSDT-PERP.BINANCE");
}

}  // namespace
}  // namespace ballast::model
