#include "ballast/portfolio/liquidation.hpp"

#include "portfolio/portfolio_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

// Expected liquidation prices are solved by hand (exact fractions) from the one-way-mode formula in
// liquidation.hpp, LP = (WB − TMM1 + UPNL1 + cum − side × Q × EP) / (Q × MMR − side × Q), with the BTCUSDT
// brackets of model/test_support.hpp. Each AT_PRICE case is also VERIFIED by a second, independent
// method (SatisfiesDefinition below): at the unrounded price, margin balance recomputed from scratch in
// double — wallet + every unrealised P&L — equals maintenance margin recomputed from a tier looked up at
// that price's notional, to 1e-8 relative.

namespace ballast::portfolio {
namespace {

using model::MarginMode;
using test::dec;
using test::px;

// Independent check of the definition: margin balance == maintenance margin at `price`.
void SatisfiesDefinition(const MarginAccountState& state, std::size_t index, const LiquidationPrice& lp) {
  ASSERT_EQ(lp.outcome, LiquidationOutcome::AtPrice);
  const double p = lp.unrounded->to_double();
  const MarginPosition& me = state.positions[index];
  auto tier_mm = [](const model::Instrument& instrument, double notional) {
    for (const model::MarginTier& t : instrument.margin_tiers()) {
      if (notional <= t.notional_cap.to_double() || &t == &instrument.margin_tiers().back()) {
        return notional * t.maintenance_margin_rate.to_double() - t.maintenance_amount.to_double();
      }
    }
    return 0.0;
  };
  auto pnl = [](const MarginPosition& pos, double mark) {
    return pos.quantity.to_double() * pos.instrument->multiplier().to_double() *
           (mark - pos.entry_price.as_double());
  };
  const double q = std::abs(me.quantity.to_double()) * me.instrument->multiplier().to_double();
  double balance = pnl(me, p);
  double maintenance = tier_mm(*me.instrument, q * p);
  if (me.mode == MarginMode::Isolated) {
    balance += me.isolated_margin.as_double();
  } else {
    balance += state.cross_wallet_balance.as_double();
    for (std::size_t j = 0; j < state.positions.size(); ++j) {
      const MarginPosition& other = state.positions[j];
      if (j == index || other.mode != MarginMode::Cross) continue;
      balance += pnl(other, other.mark_price.as_double());
      const double other_notional =
          std::abs(other.quantity.to_double()) * other.instrument->multiplier().to_double() * other.mark_price.as_double();
      maintenance += tier_mm(*other.instrument, other_notional);
    }
  }
  EXPECT_NEAR(balance, maintenance, 1e-8 * std::abs(maintenance)) << "at price " << p;

  // Rounded once, away from the safe side, onto the tick.
  const model::Price& tick = me.instrument->tick_size();
  EXPECT_TRUE(lp.price->is_on_tick(tick)) << lp.price->to_string();
  const core::Decimal gap = lp.price->value() - *lp.unrounded;
  if (me.quantity.is_positive()) {
    EXPECT_FALSE(gap.is_negative());
  } else {
    EXPECT_FALSE(gap.is_positive());
  }
  EXPECT_LT(gap.abs(), tick.value());
}

TEST(LiquidationPrice, IsolatedLongInTheFirstTier) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("0");
  state.positions.push_back(test::position(btc, "1", "50000", "50000", MarginMode::Isolated, "10", "5000"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  // (5000 + 0 − 50000) / (0.004 − 1) = 45000 / 0.996 = 45180.7228915662…; notional 45180.72 in tier 1.
  EXPECT_EQ(*lp.price, px("45180.8"));
  EXPECT_EQ(*lp.unrounded, dec("45180.722891566"));
  EXPECT_EQ(lp.tier.maintenance_margin_rate, dec("0.004"));
  EXPECT_EQ(lp.passes, 1);
  EXPECT_FALSE(lp.reached_at_mark);
  SatisfiesDefinition(state, 0, lp);
}

TEST(LiquidationPrice, IsolatedLongMovesDownATierWhenTheLiquidationNotionalIsSmaller) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("0");
  // 1.1 × 50000 = 55000 at the mark: tier 2. Tier 2 gives (11000 + 50 − 55000) / (1.1 × 0.005 − 1.1)
  // = 40155.32…, notional 44170.9 → tier 1. Tier 1 gives (11000 − 55000) / (1.1 × 0.004 − 1.1)
  // = 44000 / 1.0956 = 40160.6425702811…, notional 44176.7 → tier 1: consistent.
  state.positions.push_back(test::position(btc, "1.1", "50000", "50000", MarginMode::Isolated, "5", "11000"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  EXPECT_EQ(*lp.price, px("40160.7"));
  EXPECT_EQ(lp.tier.maintenance_margin_rate, dec("0.004"));
  EXPECT_EQ(lp.passes, 2);
  SatisfiesDefinition(state, 0, lp);
}

TEST(LiquidationPrice, IsolatedShortMovesUpATierAndRoundsDown) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("0");
  // Tier 1: (5000 + 50000) / (0.004 + 1) = 54780.88, notional above 50000 → tier 2:
  // (5000 + 50 + 50000) / (0.005 + 1) = 55050 / 1.005 = 54776.1194029850…, in tier 2: consistent.
  state.positions.push_back(test::position(btc, "-1", "50000", "50000", MarginMode::Isolated, "10", "5000"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  EXPECT_EQ(*lp.price, px("54776.1"));
  EXPECT_EQ(lp.tier.maintenance_amount, dec("50"));
  EXPECT_EQ(lp.passes, 2);
  SatisfiesDefinition(state, 0, lp);
}

TEST(LiquidationPrice, CrossLongCountsOtherCrossPositions) {
  const model::Instrument btc = model::test::linear_perp();
  const model::Instrument eth = test::alt_perp("ETHUSDT-PERP.BINANCE");
  MarginAccountState state = test::account("10000");
  state.positions.push_back(test::position(btc, "1", "50000", "50000", MarginMode::Cross, "10"));
  // ETH short 10 @ 3000, mark 3100: UPNL1 = −1000; notional 31000 (tier 2): TMM1 = 31000 × 0.0065 − 15 = 186.5.
  state.positions.push_back(test::position(eth, "-10", "3000", "3100", MarginMode::Cross, "10"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  // (10000 − 186.5 − 1000 + 0 − 50000) / (0.004 − 1) = 41186.5 / 0.996 = 41351.9076305220…
  EXPECT_EQ(*lp.price, px("41352.0"));
  SatisfiesDefinition(state, 0, lp);
}

TEST(LiquidationPrice, CrossShortIgnoresIsolatedPositions) {
  const model::Instrument btc = model::test::linear_perp();
  const model::Instrument eth = test::alt_perp("ETHUSDT-PERP.BINANCE");
  const model::Instrument sol = test::alt_perp("SOLUSDT-PERP.BINANCE");
  MarginAccountState state = test::account("5000");
  state.positions.push_back(test::position(btc, "-0.5", "60000", "60000", MarginMode::Cross, "20"));
  // ETH long 5 @ 3000, mark 2900: UPNL1 = −500; notional 14500 (tier 2): TMM1 = 94.25 − 15 = 79.25.
  state.positions.push_back(test::position(eth, "5", "3000", "2900", MarginMode::Cross, "10"));
  // Isolated: its margin is not in the cross wallet, so it must not enter the formula.
  state.positions.push_back(test::position(sol, "100", "10", "5", MarginMode::Isolated, "2", "500"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  // (5000 − 79.25 − 500 + 0 + 0.5 × 60000) / (0.5 × 0.004 + 0.5) = 34420.75 / 0.502 = 68567.2310756972…
  EXPECT_EQ(*lp.price, px("68567.2"));
  SatisfiesDefinition(state, 0, lp);
}

TEST(LiquidationPrice, FullyCollateralisedLongIsNeverLiquidated) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("0");
  // 1x: margin 50000 covers the whole notional; numerator 50000 − 50000 = 0 → LP = 0.
  state.positions.push_back(test::position(btc, "1", "50000", "50000", MarginMode::Isolated, "1", "50000"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  EXPECT_EQ(lp.outcome, LiquidationOutcome::Never);
  EXPECT_FALSE(lp.price.has_value());
}

TEST(LiquidationPrice, CrossShortBehindAnExhaustedWalletIsLiquidatedAtAnyPrice) {
  const model::Instrument btc = model::test::linear_perp();
  const model::Instrument eth = test::alt_perp("ETHUSDT-PERP.BINANCE");
  MarginAccountState state = test::account("1000");
  state.positions.push_back(test::position(btc, "-0.01", "50000", "50000", MarginMode::Cross, "10"));
  // ETH long 10 @ 3000, mark 2000: UPNL1 = −10000, TMM1 = 20000 × 0.0065 − 15 = 115.
  state.positions.push_back(test::position(eth, "10", "3000", "2000", MarginMode::Cross, "10"));
  // Numerator 1000 − 115 − 10000 + 500 = −8615 < 0 over a positive denominator.
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  EXPECT_EQ(lp.outcome, LiquidationOutcome::AtAnyPrice);
  EXPECT_TRUE(lp.reached_at_mark);
}

TEST(LiquidationPrice, ReportsWhenTheMarkIsAlreadyBeyondIt) {
  const model::Instrument btc = model::test::linear_perp();
  MarginAccountState state = test::account("0");
  state.positions.push_back(test::position(btc, "1", "50000", "45000", MarginMode::Isolated, "10", "5000"));
  const LiquidationPrice lp = liquidation_price(state, 0).value();
  EXPECT_EQ(*lp.price, px("45180.8"));  // as in the first case: the mark does not enter the isolated formula
  EXPECT_TRUE(lp.reached_at_mark);
}

TEST(LiquidationPrice, RefusesInverseContractsAndBadIndexes) {
  const model::Instrument inverse = model::test::inverse_perp();
  MarginAccountState state = test::account("0");
  state.positions.push_back(MarginPosition{&inverse, dec("100"), px("50000"), px("50000"), MarginMode::Isolated,
                                           dec("10"), model::test::btc("0.01")});
  auto r = liquidation_price(state, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::ErrorCode::Unsupported);
  auto out_of_range = liquidation_price(state, 3);
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.error().code(), core::ErrorCode::OutOfRange);
}

TEST(LiquidationOutcome, CodesRoundTrip) {
  for (LiquidationOutcome o : {LiquidationOutcome::AtPrice, LiquidationOutcome::Never, LiquidationOutcome::AtAnyPrice}) {
    EXPECT_EQ(parse_liquidation_outcome(to_string(o)).value(), o);
  }
  EXPECT_EQ(to_string(LiquidationOutcome::AtAnyPrice), "AT_ANY_PRICE");
  EXPECT_FALSE(parse_liquidation_outcome("SOMETIME"));
}

}  // namespace
}  // namespace ballast::portfolio
