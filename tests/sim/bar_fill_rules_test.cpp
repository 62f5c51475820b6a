#include "ballast/sim/bar_fill_rules.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::sim {
namespace {

using model::LiquiditySide;
using model::OrderSide;
using model::OrderType;
using model::test::px;
using model::test::qty;

model::Bar bar(std::string_view o, std::string_view h, std::string_view l, std::string_view c) {
  return model::Bar{core::UnixNanos(0), core::UnixNanos(60'000'000'000), px(o), px(h), px(l), px(c), qty("10")};
}

BarMatch match(const model::Bar& b, OrderSide side, OrderType type, std::optional<std::string_view> price,
               std::optional<std::string_view> trigger, bool triggered = false, BarFillOptions options = {}) {
  BarOrderTerms t;
  t.side = side;
  t.type = type;
  if (price) t.price = px(*price);
  if (trigger) t.trigger_price = px(*trigger);
  t.triggered = triggered;
  return match_on_bar(t, bar_path(b), options).value();
}

TEST(BarPath, VisitsTheExtremeNearerTheOpenFirst) {
  // open 100, high 103 (3 away), low 98 (2 away): the low comes first.
  const auto p = bar_path(bar("100", "103", "98", "101"));
  EXPECT_FALSE(p.high_first);
  EXPECT_EQ(p.points[1], px("98"));
  EXPECT_EQ(p.points[2], px("103"));
  EXPECT_EQ(p.points[3], px("101"));
}

TEST(BarPath, VisitsTheHighFirstOnATie) {
  const auto p = bar_path(bar("100", "102", "98", "99"));
  EXPECT_TRUE(p.high_first);
  EXPECT_EQ(p.points[1], px("102"));
}

TEST(BarFillRules, MarketOrdersFillAtTheOpenAsTaker) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::Market, {}, {});
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("100"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Taker);
}

TEST(BarFillRules, LimitBuyTouchedExactlyFillsAtTheLimitAsMaker) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::Limit, "98", {});
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("98"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Maker);
}

TEST(BarFillRules, LimitBuyTouchedExactlyDoesNotFillWhenTradeThroughIsRequired) {
  BarFillOptions strict;
  strict.limit_needs_trade_through = true;
  EXPECT_FALSE(match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::Limit, "98", {}, false, strict).fills);
  // One tick inside the range trades through.
  EXPECT_TRUE(match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::Limit, "98.1", {}, false, strict).fills);
}

TEST(BarFillRules, LimitBuyBelowTheLowDoesNotFill) {
  EXPECT_FALSE(match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::Limit, "97.9", {}).fills);
}

TEST(BarFillRules, MarketableLimitFillsAtTheBetterOpen) {
  // Buy limit 105 with the bar opening at 100: the order is marketable and pays the open, not 105.
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::Limit, "105", {});
  EXPECT_EQ(m.price, px("100"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Taker);
}

TEST(BarFillRules, RestingLimitGappedThroughFillsAtItsOwnPriceAsMaker) {
  // A buy limit at 105 already in the book; the bar opens at 100: the price traded through 105 on its
  // way down, so the order fills at 105 (not at the better open), as maker.
  BarOrderTerms t;
  t.side = OrderSide::Buy;
  t.type = OrderType::Limit;
  t.price = px("105");
  t.resting = true;
  const auto m = match_on_bar(t, bar_path(bar("100", "103", "98", "101"))).value();
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("105"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Maker);
  // Mirrored: a resting sell limit at 95 with the bar opening at 100 fills at 95.
  t.side = OrderSide::Sell;
  t.price = px("95");
  EXPECT_EQ(match_on_bar(t, bar_path(bar("100", "103", "98", "101"))).value().price, px("95"));
}

TEST(BarFillRules, LimitSellFillsWhenTheHighReachesIt) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::Limit, "103", {});
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("103"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Maker);
  EXPECT_FALSE(match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::Limit, "103.1", {}).fills);
}

TEST(BarFillRules, StopSellGappedThroughFillsAtTheOpen) {
  // Protective sell stop at 95; the bar opens at 92 (a gap down): the fill is at 92, not 95.
  const auto m = match(bar("92", "94", "90", "93"), OrderSide::Sell, OrderType::StopMarket, {}, "95");
  EXPECT_TRUE(m.triggered);
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("92"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Taker);
}

TEST(BarFillRules, StopBuyTriggeredInsideTheBarFillsAtTheStop) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::StopMarket, {}, "102");
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("102"));
}

TEST(BarFillRules, StopNotReachedDoesNotTrigger) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::StopMarket, {}, "103.5");
  EXPECT_FALSE(m.triggered);
  EXPECT_FALSE(m.fills);
}

TEST(BarFillRules, StopLimitTriggeredOnTheFirstExtremeFillsOnTheWayToTheSecond) {
  // Path 100 → 98 → 103 → 101 (the low is nearer). Sell stop 99 triggers on the way down at 99; its
  // limit 101 is then above the price, so it rests until the path climbs back to 101 (on the way to 103).
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::StopLimit, "101", "99");
  EXPECT_TRUE(m.triggered);
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("101"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Maker);
}

TEST(BarFillRules, StopLimitTriggeredOnTheSecondExtremeCannotUseTheFirst) {
  // Path 100 → 98 → 103 → 101. Buy stop 102.5 triggers on the way up to 103; limit 99 would have
  // been reached at the low, but that was before the trigger: no fill, the order stays triggered.
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::StopLimit, "99", "102.5");
  EXPECT_TRUE(m.triggered);
  EXPECT_FALSE(m.fills);
}

TEST(BarFillRules, StopLimitWhoseTriggerPriceIsWithinTheLimitFillsAtTheTriggerAsTaker) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::StopLimit, "102.5", "102");
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("102"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Taker);
}

TEST(BarFillRules, TriggeredStopLimitActsAsAPlainLimitOnLaterBars) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::StopLimit, "99", "102.5", true);
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("99"));
}

TEST(BarFillRules, TakeProfitSellTriggersWhenThePriceRisesToIt) {
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::TakeProfit, {}, "102");
  EXPECT_TRUE(m.fills);
  EXPECT_EQ(m.price, px("102"));
  EXPECT_EQ(m.liquidity, LiquiditySide::Taker);
  // A buy take-profit waits for the price to FALL to its trigger; this bar opens at 100 <= 102, so it
  // triggers at once and fills at the open.
  const auto b = match(bar("100", "103", "98", "101"), OrderSide::Buy, OrderType::TakeProfit, {}, "102");
  EXPECT_EQ(b.price, px("100"));
}

TEST(BarFillRules, TakeProfitWithALimitRestsAtItsLimitAfterTriggering) {
  // Sell TP trigger 102, limit 103.5 above the high: triggered, not filled.
  const auto m = match(bar("100", "103", "98", "101"), OrderSide::Sell, OrderType::TakeProfit, "103.5", "102");
  EXPECT_TRUE(m.triggered);
  EXPECT_FALSE(m.fills);
}

TEST(BarFillRules, MissingPricesAreErrors) {
  BarOrderTerms t;
  t.type = OrderType::Limit;
  EXPECT_FALSE(match_on_bar(t, bar_path(bar("100", "103", "98", "101"))));
  t.type = OrderType::StopMarket;
  EXPECT_FALSE(match_on_bar(t, bar_path(bar("100", "103", "98", "101"))));
}

}  // namespace
}  // namespace ballast::sim
