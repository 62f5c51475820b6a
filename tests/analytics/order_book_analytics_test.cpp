#include "ballast/analytics/order_book_analytics.hpp"

#include "ballast/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace ballast::analytics {
namespace {

using core::ErrorCode;
using model::BookLevel;
using model::OrderBook;
using model::OrderSide;

model::Price px(const std::string& s) {
  return *model::Price::parse(s);
}
model::Quantity qty(const std::string& s) {
  return *model::Quantity::parse(s);
}

using Levels = std::vector<std::pair<std::string, std::string>>;

OrderBook make_book(const Levels& bids, const Levels& asks, const std::string& tick = "0.01") {
  OrderBook book(*core::InstrumentId::parse("BTCUSDT.BINANCE"), px(tick));
  model::BookSnapshot snap;
  for (const auto& [p, q] : bids) snap.bids.push_back(BookLevel{px(p), qty(q)});
  for (const auto& [p, q] : asks) snap.asks.push_back(BookLevel{px(p), qty(q)});
  snap.update_id = 10;
  EXPECT_TRUE(book.apply_snapshot(snap));
  return book;
}

// Bids 100.00 × 1.5, 99.99 × 2, 99.95 × 3; asks 100.02 × 1, 100.03 × 2.5, 100.10 × 4. Mid 100.01.
OrderBook sample_book() {
  return make_book({{"100.00", "1.5"}, {"99.99", "2"}, {"99.95", "3"}},
                   {{"100.02", "1"}, {"100.03", "2.5"}, {"100.10", "4"}});
}

TEST(DepthWithinBps, SumsEachSideInsideTheBand) {
  // 5 bps of 100.01 is 0.050005: the band is [99.959995, 100.060005]. By hand: bids 100.00 and 99.99
  // (3.5, notional 150 + 199.98), asks 100.02 and 100.03 (3.5, notional 100.02 + 250.075).
  auto d = depth_within_bps(sample_book(), 5.0);
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(d->mid, 100.01);
  EXPECT_DOUBLE_EQ(d->lower_price, 99.959995);
  EXPECT_DOUBLE_EQ(d->upper_price, 100.060005);
  EXPECT_EQ(d->bid.levels, 2u);
  EXPECT_DOUBLE_EQ(d->bid.quantity, 3.5);
  EXPECT_NEAR(d->bid.notional, 349.98, 1e-9);
  EXPECT_EQ(d->ask.levels, 2u);
  EXPECT_DOUBLE_EQ(d->ask.quantity, 3.5);
  EXPECT_NEAR(d->ask.notional, 350.095, 1e-9);

  auto wide = depth_within_bps(sample_book(), 100.0);
  ASSERT_TRUE(wide);
  EXPECT_EQ(wide->bid.levels, 3u);
  EXPECT_DOUBLE_EQ(wide->ask.quantity, 7.5);
}

TEST(DepthWithinBps, IncludesALevelExactlyOnTheBandEdge) {
  // Mid 100.00; 1 bp is exactly 0.01, so 99.99 and 100.01 sit on the edges and count, 99.98 and
  // 100.02 do not. (In binary floating point 100·(1 − 0.0001) is not 99.99.)
  const OrderBook book = make_book({{"99.99", "1"}, {"99.98", "2"}}, {{"100.01", "1"}, {"100.02", "3"}});
  auto d = depth_within_bps(book, 1.0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->bid.levels, 1u);
  EXPECT_EQ(d->ask.levels, 1u);
  EXPECT_EQ(d->bid.quantity, 1.0);
}

TEST(DepthWithinBps, RejectsBadBpsAndBooksWithoutAMid) {
  for (const double bps : {0.0, -1.0, 10'001.0, std::numeric_limits<double>::quiet_NaN()}) {
    auto d = depth_within_bps(sample_book(), bps);
    ASSERT_FALSE(d) << bps;
    EXPECT_EQ(d.error().code(), ErrorCode::InvalidArgument);
  }
  auto one_sided = depth_within_bps(make_book({{"100.00", "1"}}, {}), 5.0);
  ASSERT_FALSE(one_sided);
  EXPECT_EQ(one_sided.error().code(), ErrorCode::InvalidState);
}

TEST(BookImbalance, ComparesBidAndAskSizeInTheTopLevels) {
  // Top 1: (1.5 − 1)/2.5 = 0.2; top 2: 3.5 vs 3.5 → 0; top 3: (6.5 − 7.5)/14 = −1/14.
  EXPECT_DOUBLE_EQ(imbalance_top_levels(sample_book(), 1)->imbalance, 0.2);
  EXPECT_DOUBLE_EQ(imbalance_top_levels(sample_book(), 2)->imbalance, 0.0);
  auto all = imbalance_top_levels(sample_book(), 10);
  ASSERT_TRUE(all);
  EXPECT_DOUBLE_EQ(all->bid_quantity, 6.5);
  EXPECT_DOUBLE_EQ(all->ask_quantity, 7.5);
  EXPECT_DOUBLE_EQ(all->imbalance, -1.0 / 14.0);
  EXPECT_DOUBLE_EQ(imbalance_top_levels(make_book({{"100.00", "1"}}, {}), 5)->imbalance, 1.0);
  EXPECT_FALSE(imbalance_top_levels(sample_book(), 0));
}

TEST(BookImbalance, WithinBpsUsesTheDepthBand) {
  auto b = imbalance_within_bps(sample_book(), 5.0);
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->imbalance, 0.0);
  // 10 bps ([99.909990, 100.110010]) takes every level: (6.5 − 7.5)/14.
  EXPECT_DOUBLE_EQ(imbalance_within_bps(sample_book(), 10.0)->imbalance, -1.0 / 14.0);
}

TEST(Microprice, LeansTowardTheThinnerSide) {
  // (100.00·1 + 100.02·1.5)/(1.5 + 1) = 250.03/2.5 = 100.012 by hand: more bids, so above the mid.
  auto m = microprice(sample_book());
  ASSERT_TRUE(m);
  EXPECT_NEAR(*m, 100.012, 1e-12);
  auto one_sided = microprice(make_book({}, {{"100.02", "1"}}));
  ASSERT_FALSE(one_sided);
  EXPECT_EQ(one_sided.error().code(), ErrorCode::InvalidState);
}

TEST(MarketImpact, WalksTheAsksForABuy) {
  // Buy 3: 1 @ 100.02 + 2 @ 100.03 = 300.08, average 100.026666…, two levels.
  auto m = estimate_market_impact(sample_book(), OrderSide::Buy, qty("3"));
  ASSERT_TRUE(m);
  const double average = 300.08 / 3.0;
  EXPECT_NEAR(m->average_price, average, 1e-12);
  EXPECT_EQ(m->levels_consumed, 2u);
  EXPECT_EQ(m->filled_quantity, 3.0);
  EXPECT_EQ(m->unfilled_quantity, 0.0);
  EXPECT_FALSE(m->too_thin);
  EXPECT_EQ(m->best_price, 100.02);
  EXPECT_EQ(m->worst_price, 100.03);
  EXPECT_NEAR(m->notional, 300.08, 1e-10);
  EXPECT_NEAR(m->slippage_bps, (average - 100.01) / 100.01 * 1e4, 1e-9);
  EXPECT_NEAR(m->slippage_vs_best_bps, (average - 100.02) / 100.02 * 1e4, 1e-9);
  EXPECT_NEAR(m->impact_cost, (average - 100.01) * 3.0, 1e-10);
}

TEST(MarketImpact, ReportsTheUnfilledRemainderWhenTheBookIsTooThin) {
  // Sell 10 into 6.5 of bids: 150 + 199.98 + 299.85 = 649.83 for 6.5, average 99.973846…; 3.5 unfilled.
  auto m = estimate_market_impact(sample_book(), OrderSide::Sell, qty("10"));
  ASSERT_TRUE(m);
  const double average = 649.83 / 6.5;
  EXPECT_TRUE(m->too_thin);
  EXPECT_DOUBLE_EQ(m->filled_quantity, 6.5);
  EXPECT_DOUBLE_EQ(m->unfilled_quantity, 3.5);
  EXPECT_EQ(m->levels_consumed, 3u);
  EXPECT_NEAR(m->average_price, average, 1e-12);
  EXPECT_EQ(m->worst_price, 99.95);
  // A sell below the mid is a cost: positive slippage.
  EXPECT_NEAR(m->slippage_bps, (100.01 - average) / 100.01 * 1e4, 1e-9);
  EXPECT_GT(m->slippage_bps, 0.0);
}

TEST(MarketImpact, IsExactAcrossQuantityScales) {
  // Buy 1.333: 1 @ 100.02 + 0.333 @ 100.03 = 133.32999, average 133.32999/1.333.
  auto m = estimate_market_impact(sample_book(), OrderSide::Buy, qty("1.333"));
  ASSERT_TRUE(m);
  EXPECT_NEAR(m->average_price, 133.32999 / 1.333, 1e-12);
  EXPECT_NEAR(m->notional, 133.32999, 1e-10);
  // A buy that fits in the best level fills at the touch: no slippage against it.
  auto small = estimate_market_impact(sample_book(), OrderSide::Buy, qty("0.5"));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->average_price, 100.02);
  EXPECT_EQ(small->slippage_vs_best_bps, 0.0);
  EXPECT_EQ(small->levels_consumed, 1u);
}

TEST(MarketImpact, RejectsAZeroSizeAndBooksItCannotPrice) {
  auto zero = estimate_market_impact(sample_book(), OrderSide::Buy, qty("0"));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code(), ErrorCode::InvalidArgument);
  EXPECT_FALSE(estimate_market_impact(make_book({{"100.00", "1"}}, {}), OrderSide::Sell, qty("1")));
}

TEST(OrderBookAnalytics, EmptyAndStaleBooksAreErrors) {
  const OrderBook never_synced(*core::InstrumentId::parse("BTCUSDT.BINANCE"), px("0.01"));
  auto fresh = microprice(never_synced);
  ASSERT_FALSE(fresh);
  EXPECT_NE(fresh.error().message().find("empty"), std::string::npos);
  const OrderBook empty = make_book({}, {});
  EXPECT_FALSE(imbalance_top_levels(empty, 1));
  EXPECT_FALSE(liquidity_zones(empty));
  EXPECT_FALSE(depth_within_bps(empty, 5.0));
  EXPECT_FALSE(estimate_market_impact(empty, OrderSide::Buy, qty("1")));

  // A sequence gap leaves the old levels in place but marks them stale.
  OrderBook stale = sample_book();
  const model::BookDelta delta{OrderSide::Buy, px("100.00"), qty("2")};
  EXPECT_FALSE(stale.apply_delta(model::BookUpdate::single(50, core::UnixNanos(1), core::UnixNanos(2)), delta));
  ASSERT_TRUE(stale.needs_resync());
  auto r = microprice(stale);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(r.error().message().find("resync"), std::string::npos);
}

TEST(LiquidityZones, MergesSignificantLevelsThatAreTicksApart) {
  // Bid sizes 1, 1, 10, 12, 1, 9, 1: median 1, threshold 2 × 1 → significant 99.98 (10), 99.97 (12),
  // 99.90 (9). 99.98 and 99.97 are one tick apart (merge); 99.90 is 7 ticks from 99.97 (its own zone).
  // Asks all 2: nothing exceeds 2 × 2.
  const OrderBook book = make_book({{"100.00", "1"},
                                    {"99.99", "1"},
                                    {"99.98", "10"},
                                    {"99.97", "12"},
                                    {"99.95", "1"},
                                    {"99.90", "9"},
                                    {"99.89", "1"}},
                                   {{"100.01", "2"}, {"100.02", "2"}, {"100.03", "2"}});
  auto map = liquidity_zones(book);
  ASSERT_TRUE(map);
  EXPECT_EQ(map->bid_median_size, 1.0);
  EXPECT_EQ(map->ask_median_size, 2.0);
  EXPECT_TRUE(map->ask_zones.empty());
  ASSERT_EQ(map->bid_zones.size(), 2u);

  const LiquidityZone& near = map->bid_zones[0];
  EXPECT_EQ(near.side, OrderSide::Buy);
  EXPECT_EQ(near.price_low, 99.97);
  EXPECT_EQ(near.price_high, 99.98);
  EXPECT_EQ(near.size, 22.0);
  EXPECT_EQ(near.levels, 2u);
  EXPECT_EQ(near.peak_price, 99.97);
  EXPECT_EQ(near.peak_size, 12.0);
  EXPECT_NEAR(near.notional, 99.98 * 10 + 99.97 * 12, 1e-9);
  EXPECT_NEAR(near.distance_bps, 2.0, 1e-9);  // (100.00 − 99.98)/100.00 · 10⁴

  const LiquidityZone& far = map->bid_zones[1];
  EXPECT_EQ(far.price_low, 99.90);
  EXPECT_EQ(far.size, 9.0);
  EXPECT_NEAR(far.distance_bps, 10.0, 1e-9);

  ASSERT_EQ(map->significant_levels.size(), 3u);
  EXPECT_EQ(map->significant_levels[0].price, 99.97);
  EXPECT_EQ(map->significant_levels[0].size_to_median, 12.0);
  EXPECT_EQ(map->significant_levels[1].price, 99.98);
  EXPECT_EQ(map->significant_levels[2].price, 99.90);

  // A wider merge joins all three. Looking at the best 4 levels only (sizes 1, 1, 10, 12: median 5.5,
  // threshold 11) leaves just 99.97.
  LiquidityZoneConfig config;
  config.merge_ticks = 7;
  EXPECT_EQ(liquidity_zones(book, config)->bid_zones.size(), 1u);
  config = {};
  config.max_levels = 4;
  auto top = liquidity_zones(book, config);
  ASSERT_TRUE(top);
  EXPECT_EQ(top->bid_median_size, 5.5);
  ASSERT_EQ(top->significant_levels.size(), 1u);
  EXPECT_EQ(top->significant_levels[0].price, 99.97);
}

TEST(LiquidityZones, RejectBadConfig) {
  LiquidityZoneConfig config;
  config.size_multiple = 0.0;
  EXPECT_FALSE(liquidity_zones(sample_book(), config));
  config = {};
  config.merge_ticks = 0;
  EXPECT_FALSE(liquidity_zones(sample_book(), config));
  EXPECT_TRUE(liquidity_zones(make_book({{"100.00", "1"}}, {})));  // one side is enough
}

}  // namespace
}  // namespace ballast::analytics
