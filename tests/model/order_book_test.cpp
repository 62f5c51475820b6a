#include "ballast/model/order_book.hpp"

#include "ballast/core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ballast::model {
namespace {

using core::ErrorCode;
using core::InstrumentId;
using core::UnixNanos;

Price px(const std::string& s) { return *Price::parse(s); }
Quantity qty(const std::string& s) { return *Quantity::parse(s); }
core::Decimal dec(const std::string& s) { return *core::Decimal::parse(s); }

InstrumentId btc() { return *InstrumentId::parse("BTCUSDT.BINANCE"); }

BookDelta bid(const std::string& p, const std::string& q) { return BookDelta{OrderSide::Buy, px(p), qty(q)}; }
BookDelta ask(const std::string& p, const std::string& q) { return BookDelta{OrderSide::Sell, px(p), qty(q)}; }

BookUpdate upd(std::uint64_t id) { return BookUpdate::single(id, UnixNanos(id * 1000), UnixNanos(id * 1000 + 7)); }

// Bids 100.00 x 1.5, 99.99 x 2, 99.95 x 3; asks 100.02 x 1, 100.03 x 2.5, 100.10 x 4 (listed out of
// order on purpose); tick 0.01; last update id 100.
OrderBook make_book() {
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  snap.bids = {{px("99.99"), qty("2")}, {px("100.00"), qty("1.5")}, {px("99.95"), qty("3")}};
  snap.asks = {{px("100.10"), qty("4")}, {px("100.02"), qty("1")}, {px("100.03"), qty("2.5")}};
  snap.update_id = 100;
  snap.ts_event = UnixNanos(5'000);
  snap.ts_recv = UnixNanos(5'100);
  EXPECT_TRUE(book.apply_snapshot(snap));
  return book;
}

TEST(OrderBook, NeedsASnapshotBeforeDeltas) {
  OrderBook book(btc(), px("0.01"));
  EXPECT_TRUE(book.needs_resync());
  auto r = book.apply_delta(upd(1), bid("100.00", "1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_TRUE(book.empty());
}

TEST(OrderBook, SnapshotSortsLevelsBestFirstAndRecordsTimestamps) {
  const OrderBook book = make_book();
  EXPECT_FALSE(book.needs_resync());
  EXPECT_EQ(book.update_id(), 100u);
  EXPECT_EQ(book.ts_event(), UnixNanos(5'000));
  EXPECT_EQ(book.ts_recv(), UnixNanos(5'100));
  ASSERT_EQ(book.level_count(OrderSide::Buy), 3u);
  ASSERT_EQ(book.level_count(OrderSide::Sell), 3u);
  EXPECT_EQ(book.level(OrderSide::Buy, 0), (BookLevel{px("100.00"), qty("1.5")}));
  EXPECT_EQ(book.level(OrderSide::Buy, 1), (BookLevel{px("99.99"), qty("2")}));
  EXPECT_EQ(book.level(OrderSide::Buy, 2), (BookLevel{px("99.95"), qty("3")}));
  EXPECT_EQ(book.level(OrderSide::Sell, 0), (BookLevel{px("100.02"), qty("1")}));
  EXPECT_EQ(book.level(OrderSide::Sell, 2), (BookLevel{px("100.10"), qty("4")}));
  EXPECT_EQ(book.best_bid_price(), px("100.00"));
  EXPECT_EQ(book.best_ask_price(), px("100.02"));
}

TEST(OrderBook, SnapshotReplacesThePreviousBookAndSkipsZeroSizes) {
  OrderBook book = make_book();
  BookSnapshot snap;
  snap.bids = {{px("50.00"), qty("1")}, {px("49.00"), qty("0")}};
  snap.asks = {{px("51.00"), qty("2")}};
  snap.update_id = 7;  // a snapshot is authoritative even when its id is lower
  ASSERT_TRUE(book.apply_snapshot(snap));
  EXPECT_EQ(book.level_count(OrderSide::Buy), 1u);
  EXPECT_EQ(book.level_count(OrderSide::Sell), 1u);
  EXPECT_EQ(book.update_id(), 7u);
  EXPECT_EQ(book.best_bid_price(), px("50.00"));
}

TEST(OrderBook, RejectsASnapshotWithADuplicatePriceOrAnOffTickPriceAndKeepsTheOldBook) {
  OrderBook book = make_book();
  BookSnapshot dup;
  dup.bids = {{px("10.00"), qty("1")}, {px("10.0"), qty("2")}};  // equal values at different scales
  dup.update_id = 200;
  auto r = book.apply_snapshot(dup);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);

  BookSnapshot off;
  off.asks = {{px("10.005"), qty("1")}};
  off.update_id = 200;
  auto r2 = book.apply_snapshot(off);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(r2.error().to_string().find("snapshot asks[0]"), std::string::npos) << r2.error().to_string();

  EXPECT_EQ(book.update_id(), 100u);
  EXPECT_EQ(book.best_bid_price(), px("100.00"));
  EXPECT_EQ(book.level_count(OrderSide::Sell), 3u);
}

TEST(OrderBook, DeltaAddsANewBestLevel) {
  OrderBook book = make_book();
  ASSERT_EQ(*book.apply_delta(upd(101), bid("100.01", "0.7")), BookApplyOutcome::Applied);
  EXPECT_EQ(book.best_bid(), (BookLevel{px("100.01"), qty("0.7")}));
  EXPECT_EQ(book.level_count(OrderSide::Buy), 4u);
  EXPECT_EQ(book.update_id(), 101u);
  EXPECT_EQ(book.ts_event(), UnixNanos(101'000));
  EXPECT_EQ(book.ts_recv(), UnixNanos(101'007));
}

TEST(OrderBook, DeltaAddsADeepLevelInPriceOrder) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_delta(upd(101), ask("100.50", "9")));
  ASSERT_TRUE(book.apply_delta(upd(102), ask("100.05", "3")));
  ASSERT_EQ(book.level_count(OrderSide::Sell), 5u);
  EXPECT_EQ(book.level(OrderSide::Sell, 2).price, px("100.05"));
  EXPECT_EQ(book.level(OrderSide::Sell, 4), (BookLevel{px("100.50"), qty("9")}));
  EXPECT_EQ(book.best_ask_price(), px("100.02"));
}

TEST(OrderBook, DeltaUpdatesTheSizeOfAnExistingLevel) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_delta(upd(101), bid("99.99", "5")));
  ASSERT_TRUE(book.apply_delta(upd(102), ask("100.02", "0.25")));
  EXPECT_EQ(book.size_at(OrderSide::Buy, px("99.99")), qty("5"));
  EXPECT_EQ(book.best_ask(), (BookLevel{px("100.02"), qty("0.25")}));
  EXPECT_EQ(book.level_count(OrderSide::Buy), 3u);
}

TEST(OrderBook, ZeroSizeRemovesTheBestOrADeepLevel) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_delta(upd(101), bid("100.00", "0")));
  EXPECT_EQ(book.best_bid_price(), px("99.99"));
  ASSERT_TRUE(book.apply_delta(upd(102), ask("100.10", "0")));
  EXPECT_EQ(book.level_count(OrderSide::Sell), 2u);
  EXPECT_EQ(book.size_at(OrderSide::Sell, px("100.10")), Quantity());
  // Removing the last levels leaves an empty side.
  ASSERT_TRUE(book.apply_delta(upd(103), bid("99.99", "0")));
  ASSERT_TRUE(book.apply_delta(upd(104), bid("99.95", "0")));
  EXPECT_FALSE(book.best_bid().has_value());
  EXPECT_FALSE(book.mid().has_value());
  EXPECT_FALSE(book.spread().has_value());
}

TEST(OrderBook, ZeroSizeForAMissingLevelIsANoOpThatAdvancesTheUpdateId) {
  OrderBook book = make_book();
  const BookDepth before = book.depth(10);
  ASSERT_EQ(*book.apply_delta(upd(101), bid("90.00", "0")), BookApplyOutcome::Applied);
  const BookDepth after = book.depth(10);
  EXPECT_EQ(after.bids, before.bids);
  EXPECT_EQ(after.asks, before.asks);
  EXPECT_EQ(book.update_id(), 101u);
}

TEST(OrderBook, BatchAppliesEveryDeltaAndTakesTheLastUpdateId) {
  OrderBook book = make_book();
  const std::vector<BookDelta> deltas{bid("100.01", "1"), ask("100.02", "0"), ask("100.04", "2")};
  const BookUpdate u{101, 105, UnixNanos(9'000), UnixNanos(9'050)};
  ASSERT_EQ(*book.apply_deltas(u, deltas), BookApplyOutcome::Applied);
  EXPECT_EQ(book.update_id(), 105u);
  EXPECT_EQ(book.best_bid_price(), px("100.01"));
  EXPECT_EQ(book.best_ask_price(), px("100.03"));
  EXPECT_EQ(book.size_at(OrderSide::Sell, px("100.04")), qty("2"));
}

TEST(OrderBook, BatchWithAnOffTickPriceIsRejectedWholeAndTheBookIsUnchanged) {
  OrderBook book = make_book();
  const std::vector<BookDelta> deltas{bid("100.01", "1"), ask("100.025", "2")};
  auto r = book.apply_deltas(BookUpdate{101, 101, UnixNanos(1), UnixNanos(2)}, deltas);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().to_string().find("delta[1]"), std::string::npos) << r.error().to_string();
  EXPECT_EQ(book.best_bid_price(), px("100.00"));
  EXPECT_EQ(book.update_id(), 100u);
  EXPECT_FALSE(book.needs_resync());
}

TEST(OrderBook, StaleUpdatesAreIgnored) {
  OrderBook book = make_book();
  ASSERT_EQ(*book.apply_delta(upd(100), bid("100.01", "1")), BookApplyOutcome::Stale);
  ASSERT_EQ(*book.apply_deltas(BookUpdate{90, 99, UnixNanos(1), UnixNanos(2)}, std::vector<BookDelta>{bid("1.00", "1")}),
            BookApplyOutcome::Stale);
  EXPECT_EQ(book.best_bid_price(), px("100.00"));
  EXPECT_EQ(book.update_id(), 100u);
  EXPECT_EQ(book.ts_event(), UnixNanos(5'000));
}

TEST(OrderBook, FirstUpdateOverlappingTheSnapshotIsApplied) {
  // Binance: the first event after a snapshot with lastUpdateId L has U <= L + 1 <= u.
  OrderBook book = make_book();
  const std::vector<BookDelta> deltas{bid("100.01", "1")};
  ASSERT_EQ(*book.apply_deltas(BookUpdate{95, 103, UnixNanos(1), UnixNanos(2)}, deltas), BookApplyOutcome::Applied);
  EXPECT_EQ(book.update_id(), 103u);
}

TEST(OrderBook, SequenceGapReturnsAnErrorAndRequiresASnapshot) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_delta(upd(101), bid("100.01", "1")));
  auto gap = book.apply_delta(upd(103), bid("100.01", "2"));
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code(), ErrorCode::OutOfRange);
  EXPECT_NE(gap.error().message().find("expected update 102"), std::string::npos) << gap.error().message();
  EXPECT_TRUE(book.needs_resync());
  EXPECT_EQ(book.size_at(OrderSide::Buy, px("100.01")), qty("1"));  // the gapped delta was not applied

  // Even the missing update is refused until the caller resyncs.
  auto refused = book.apply_delta(upd(102), bid("100.01", "3"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidState);

  BookSnapshot snap;
  snap.bids = {{px("100.00"), qty("1")}};
  snap.asks = {{px("100.01"), qty("1")}};
  snap.update_id = 110;
  ASSERT_TRUE(book.apply_snapshot(snap));
  EXPECT_FALSE(book.needs_resync());
  EXPECT_TRUE(book.apply_delta(upd(111), ask("100.02", "1")));
}

TEST(OrderBook, ClearRequiresANewSnapshot) {
  OrderBook book = make_book();
  book.clear();
  EXPECT_TRUE(book.empty());
  EXPECT_TRUE(book.needs_resync());
  EXPECT_FALSE(book.apply_delta(upd(101), bid("1.00", "1")));
}

TEST(OrderBook, MidSpreadAndBasisPointsMatchHandComputedValues) {
  const OrderBook book = make_book();
  // bid 100.00, ask 100.02: mid 100.01, spread 0.02 = 2 ticks,
  // bps = 10'000 · 0.02 / 100.01 = 1.99980001999… → 1.9998 at 4 places (by hand).
  EXPECT_EQ(book.mid(), px("100.01"));
  EXPECT_EQ(book.spread(), px("0.02"));
  EXPECT_EQ(book.spread_ticks(), 2);
  EXPECT_EQ(book.spread_bps(), dec("1.9998"));
  EXPECT_EQ(book.spread_bps(8), dec("1.99980002"));
  EXPECT_EQ(book.spread_bps(0), dec("2"));
}

TEST(OrderBook, MidOnAHalfTickGainsOneDecimalPlace) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_delta(upd(101), ask("100.02", "0")));
  // bid 100.00, ask 100.03 → mid 100.015 exactly; spread 0.03;
  // bps = 10'000 · 0.03 / 100.015 = 2.99955006749… → 2.9996.
  const auto mid = book.mid();
  ASSERT_TRUE(mid.has_value());
  EXPECT_EQ(*mid, px("100.015"));
  EXPECT_EQ(mid->precision(), 3);
  EXPECT_EQ(book.spread(), px("0.03"));
  EXPECT_EQ(book.spread_bps(), dec("2.9996"));
}

TEST(OrderBook, DetectsCrossedAndLockedBooks) {
  OrderBook book = make_book();
  EXPECT_FALSE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());
  ASSERT_TRUE(book.apply_delta(upd(101), bid("100.02", "1")));
  EXPECT_TRUE(book.is_locked());
  EXPECT_FALSE(book.is_crossed());
  EXPECT_EQ(book.spread_ticks(), 0);
  ASSERT_TRUE(book.apply_delta(upd(102), bid("100.05", "1")));
  EXPECT_TRUE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());
  EXPECT_EQ(book.spread(), px("-0.03"));
  EXPECT_EQ(book.spread_ticks(), -3);
  // Uncrossing removes the offending bids.
  const std::vector<BookDelta> fix{bid("100.05", "0"), bid("100.02", "0")};
  ASSERT_TRUE(book.apply_deltas(BookUpdate{103, 103, UnixNanos(1), UnixNanos(2)}, fix));
  EXPECT_FALSE(book.is_crossed());
}

TEST(OrderBook, DepthListsTheTopLevelsBestFirst) {
  const OrderBook book = make_book();
  const BookDepth d = book.depth(2);
  ASSERT_EQ(d.bids.size(), 2u);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.bids[0], (BookLevel{px("100.00"), qty("1.5")}));
  EXPECT_EQ(d.bids[1], (BookLevel{px("99.99"), qty("2")}));
  EXPECT_EQ(d.asks[0], (BookLevel{px("100.02"), qty("1")}));
  EXPECT_EQ(d.asks[1], (BookLevel{px("100.03"), qty("2.5")}));
  EXPECT_EQ(book.depth(50).bids.size(), 3u);
}

TEST(OrderBook, CumulativeSizeToAPriceCountsLevelsAtLeastAsGood) {
  const OrderBook book = make_book();
  EXPECT_EQ(book.cumulative_size(OrderSide::Sell, px("100.05")), qty("3.5"));   // 1 + 2.5
  EXPECT_EQ(book.cumulative_size(OrderSide::Sell, px("100.10")), qty("7.5"));   // inclusive
  EXPECT_EQ(book.cumulative_size(OrderSide::Sell, px("100.01")), Quantity());   // better than best
  EXPECT_EQ(book.cumulative_size(OrderSide::Buy, px("99.99")), qty("3.5"));     // 1.5 + 2
  EXPECT_EQ(book.cumulative_size(OrderSide::Buy, px("99.955")), qty("3.5"));    // off tick: 99.95 excluded
  EXPECT_EQ(book.cumulative_size(OrderSide::Buy, px("99.95")), qty("6.5"));
  EXPECT_EQ(book.cumulative_size(OrderSide::Buy, px("1")), qty("6.5"));
  EXPECT_EQ(book.cumulative_size(OrderSide::Buy, std::size_t{2}), qty("3.5"));
  EXPECT_EQ(book.cumulative_size(OrderSide::Sell, std::size_t{10}), qty("7.5"));
}

TEST(OrderBook, ConvertsPricesAtAnyPrecisionToTicksExactly) {
  OrderBook book(btc(), px("0.5"));
  EXPECT_EQ(*book.ticks_of(px("101.5")), 203);
  EXPECT_EQ(*book.ticks_of(px("101.50")), 203);
  EXPECT_EQ(*book.ticks_of(px("101")), 202);
  EXPECT_EQ(*book.ticks_of(px("-1.0")), -2);
  auto off = book.ticks_of(px("101.25"));
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(book.price_of(203), px("101.5"));
  EXPECT_EQ(book.price_of(203).precision(), 1);
  // A price that cannot be written at the tick's precision is refused rather than wrapped.
  OrderBook fine(btc(), px("0.000000000000000001"));
  auto huge = fine.ticks_of(px("100"));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), ErrorCode::Overflow);
}

TEST(OrderBook, SizeAtAnOffTickPriceIsZero) {
  const OrderBook book = make_book();
  EXPECT_EQ(book.size_at(OrderSide::Buy, px("99.995")), Quantity());
  EXPECT_EQ(book.size_at(OrderSide::Buy, px("100.0")), qty("1.5"));
}

TEST(OrderBook, RejectsAnUpdateWhoseFirstIdFollowsItsLastId) {
  OrderBook book = make_book();
  const std::vector<BookDelta> deltas{bid("1.00", "1")};
  auto r = book.apply_deltas(BookUpdate{105, 104, UnixNanos(1), UnixNanos(2)}, deltas);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
  EXPECT_FALSE(book.needs_resync());
}

// Reference model for the randomized tests: std::maps keyed by ticks (hundredths), whole sizes, best first.
using RefBids = std::map<std::int64_t, std::int64_t, std::greater<>>;
using RefAsks = std::map<std::int64_t, std::int64_t>;

void apply_to_reference(bool is_bid, std::int64_t ticks, std::int64_t size, RefBids& bids, RefAsks& asks) {
  if (is_bid) {
    if (size == 0) bids.erase(ticks); else bids[ticks] = size;
  } else {
    if (size == 0) asks.erase(ticks); else asks[ticks] = size;
  }
}

::testing::AssertionResult book_matches(const OrderBook& book, const RefBids& bids, const RefAsks& asks) {
  if (book.level_count(OrderSide::Buy) != bids.size() || book.level_count(OrderSide::Sell) != asks.size()) {
    return ::testing::AssertionFailure() << "level counts " << book.level_count(OrderSide::Buy) << "/"
                                         << book.level_count(OrderSide::Sell) << ", expected " << bids.size() << "/"
                                         << asks.size();
  }
  const auto side_matches = [&](OrderSide side, const auto& ref) {
    std::size_t i = 0;
    for (const auto& [t, sz] : ref) {
      if (!(book.level(side, i) == BookLevel{Price::from_raw(t, 2), Quantity::from_int(sz)})) return false;
      ++i;
    }
    return true;
  };
  if (!side_matches(OrderSide::Buy, bids)) return ::testing::AssertionFailure() << "a bid level differs";
  if (!side_matches(OrderSide::Sell, asks)) return ::testing::AssertionFailure() << "an ask level differs";
  return ::testing::AssertionSuccess();
}

TEST(OrderBook, MatchesAnOrderedMapAfterManyRandomDeltas) {
  // Reference model: std::map keyed by ticks, compared level by level after every delta.
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  RefBids bids;
  RefAsks asks;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> side_dist(0, 1);
  std::uniform_int_distribution<std::int64_t> offset_dist(0, 60);
  std::uniform_int_distribution<std::int64_t> size_dist(0, 4);  // 0 → removal about one time in five
  for (std::uint64_t id = 2; id < 3'000; ++id) {
    const bool is_bid = side_dist(rng) == 0;
    const std::int64_t ticks = is_bid ? 10'000 - offset_dist(rng) : 10'001 + offset_dist(rng);
    const std::int64_t size = size_dist(rng);
    const BookDelta d{is_bid ? OrderSide::Buy : OrderSide::Sell, Price::from_raw(ticks, 2), Quantity::from_int(size)};
    ASSERT_TRUE(book.apply_delta(upd(id), d));
    apply_to_reference(is_bid, ticks, size, bids, asks);
    ASSERT_TRUE(book_matches(book, bids, asks)) << "after update " << id;
  }
  EXPECT_FALSE(book.is_crossed());
}

// The snapshot fast paths (issue 8): a side listed best first (as venues send it) or in storage order is
// loaded without sorting; every order must give the same book. Expected levels listed by hand.
TEST(OrderBook, SnapshotGivesTheSameBookWhateverTheOrderOfItsLevels) {
  const std::vector<BookLevel> bids_best_first = {{px("100.00"), qty("1.5")}, {px("99.99"), qty("2")}, {px("99.95"), qty("3")}};
  const std::vector<BookLevel> asks_best_first = {{px("100.02"), qty("1")}, {px("100.03"), qty("2.5")}, {px("100.10"), qty("4")}};
  const auto reversed = [](std::vector<BookLevel> v) { return std::vector<BookLevel>(v.rbegin(), v.rend()); };
  const std::vector<std::pair<std::vector<BookLevel>, std::vector<BookLevel>>> orders = {
      {bids_best_first, asks_best_first},
      {reversed(bids_best_first), reversed(asks_best_first)},
      {{bids_best_first[1], bids_best_first[0], bids_best_first[2]}, {asks_best_first[2], asks_best_first[0], asks_best_first[1]}},
  };
  for (const auto& [bids, asks] : orders) {
    OrderBook book(btc(), px("0.01"));
    BookSnapshot snap;
    snap.bids = bids;
    snap.asks = asks;
    snap.update_id = 7;
    ASSERT_TRUE(book.apply_snapshot(snap));
    ASSERT_EQ(book.level_count(OrderSide::Buy), 3u);
    ASSERT_EQ(book.level_count(OrderSide::Sell), 3u);
    EXPECT_EQ(book.level(OrderSide::Buy, 0), (BookLevel{px("100.00"), qty("1.5")}));
    EXPECT_EQ(book.level(OrderSide::Buy, 1), (BookLevel{px("99.99"), qty("2")}));
    EXPECT_EQ(book.level(OrderSide::Buy, 2), (BookLevel{px("99.95"), qty("3")}));
    EXPECT_EQ(book.level(OrderSide::Sell, 0), (BookLevel{px("100.02"), qty("1")}));
    EXPECT_EQ(book.level(OrderSide::Sell, 1), (BookLevel{px("100.03"), qty("2.5")}));
    EXPECT_EQ(book.level(OrderSide::Sell, 2), (BookLevel{px("100.10"), qty("4")}));
  }
}

TEST(OrderBook, SnapshotListedBestFirstOrInStorageOrderWithARepeatedPriceIsRefused) {
  // Best first except for a repeat (not strictly ordered, so it takes the sorting path and is caught).
  for (const auto& bids : {std::vector<BookLevel>{{px("100.00"), qty("1")}, {px("100.00"), qty("2")}, {px("99.99"), qty("1")}},
                           std::vector<BookLevel>{{px("99.99"), qty("1")}, {px("100.00"), qty("2")}, {px("100.00"), qty("1")}}}) {
    OrderBook book = make_book();
    BookSnapshot snap;
    snap.bids = bids;
    snap.update_id = 200;
    auto r = book.apply_snapshot(snap);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message().find("100.00 twice"), std::string::npos) << r.error().message();
    EXPECT_EQ(book.update_id(), 100u);  // untouched
    EXPECT_EQ(book.level_count(OrderSide::Buy), 3u);
  }
}

TEST(OrderBook, TickOfSeveralRawUnitsTakesThePricesOnItsGridAtAnyPrecision) {
  // Tick 0.5 (raw 5 at one place): 100.5 is 201 ticks; "100.50" (two places) is the same price; 100.3 is
  // off the grid and leaves the book as it was.
  OrderBook book(btc(), px("0.5"));
  BookSnapshot snap;
  snap.bids = {{px("100.0"), qty("1")}};
  snap.asks = {{px("101.0"), qty("1")}};
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  ASSERT_TRUE(book.apply_deltas(upd(2), std::vector<BookDelta>{bid("100.5", "2"), ask("100.50", "0")}));
  EXPECT_EQ(book.level(OrderSide::Buy, 0), (BookLevel{px("100.5"), qty("2")}));
  EXPECT_EQ(book.level_count(OrderSide::Sell), 1u);  // removing a level that is not there is a no-op
  auto off = book.apply_deltas(upd(3), std::vector<BookDelta>{bid("99.5", "1"), bid("100.3", "1")});
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(off.error().where(), "book delta[1] of update 3");
  EXPECT_EQ(book.level_count(OrderSide::Buy), 2u);  // 99.5 was not applied either
  EXPECT_EQ(book.update_id(), 2u);
  EXPECT_EQ(*book.spread_ticks(), 1);  // 101.0 − 100.5 = 0.5 = one tick
}

TEST(OrderBook, ADeltaEqualToTheLevelAlreadyThereChangesNothingButTheUpdateId) {
  OrderBook book = make_book();
  ASSERT_TRUE(book.apply_deltas(upd(101), std::vector<BookDelta>{bid("99.99", "2"), ask("100.03", "2.5")}));
  EXPECT_EQ(book.update_id(), 101u);
  ASSERT_EQ(book.level_count(OrderSide::Buy), 3u);
  ASSERT_EQ(book.level_count(OrderSide::Sell), 3u);
  EXPECT_EQ(book.level(OrderSide::Buy, 1), (BookLevel{px("99.99"), qty("2")}));
  EXPECT_EQ(book.level(OrderSide::Sell, 1), (BookLevel{px("100.03"), qty("2.5")}));
}

TEST(OrderBook, DeepBookMatchesAnOrderedMapAfterDeltasAtEveryDepth) {
  // 600 levels a side and deltas up to 800 ticks from the top exercise every window of the search that
  // starts at the best level (the best 16 levels counted at once, then windows of 16, 32, 64, … levels).
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  RefBids bids;
  RefAsks asks;
  for (std::int64_t i = 0; i < 600; ++i) {
    snap.bids.push_back({Price::from_raw(100'000 - i, 2), Quantity::from_int(1 + i % 5)});
    snap.asks.push_back({Price::from_raw(100'001 + i, 2), Quantity::from_int(1 + i % 7)});
    bids[100'000 - i] = 1 + i % 5;
    asks[100'001 + i] = 1 + i % 7;
  }
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> side_dist(0, 1);
  std::uniform_int_distribution<std::int64_t> offset_dist(0, 800);
  std::uniform_int_distribution<std::int64_t> size_dist(0, 3);
  for (std::uint64_t id = 2; id < 2'000; ++id) {
    const bool is_bid = side_dist(rng) == 0;
    const std::int64_t ticks = is_bid ? 100'000 - offset_dist(rng) : 100'001 + offset_dist(rng);
    const std::int64_t size = size_dist(rng);
    ASSERT_TRUE(book.apply_delta(
        upd(id), BookDelta{is_bid ? OrderSide::Buy : OrderSide::Sell, Price::from_raw(ticks, 2), Quantity::from_int(size)}));
    apply_to_reference(is_bid, ticks, size, bids, asks);
    if (id % 50 == 0) {
      ASSERT_TRUE(book_matches(book, bids, asks)) << "after update " << id;
    }
  }
}

TEST(OrderBook, SidesGrowingAndShrinkingAroundTheSixteenLevelTopWindowMatchAnOrderedMap) {
  // The search compares the best 16 levels at once and gallops only below them; a side that holds fewer
  // than 16 levels is searched whole. Deltas within 30 ticks of the top with many removals keep each side
  // crossing that size both ways; after every update the book is compared with std::map (a second,
  // independent implementation of the same semantics).
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  RefBids bids;
  RefAsks asks;
  for (std::int64_t i = 0; i < 18; ++i) {
    snap.bids.push_back({Price::from_raw(50'000 - i, 2), Quantity::from_int(1 + i % 4)});
    snap.asks.push_back({Price::from_raw(50'001 + i, 2), Quantity::from_int(1 + i % 3)});
    bids[50'000 - i] = 1 + i % 4;
    asks[50'001 + i] = 1 + i % 3;
  }
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  std::mt19937_64 rng(16);
  std::uniform_int_distribution<int> side_dist(0, 1);
  std::uniform_int_distribution<std::int64_t> offset_dist(0, 30);
  std::uniform_int_distribution<std::int64_t> size_dist(0, 2);  // one in three removes
  std::size_t min_seen = 100;
  std::size_t max_seen = 0;
  for (std::uint64_t id = 2; id < 3'000; ++id) {
    const bool is_bid = side_dist(rng) == 0;
    const std::int64_t ticks = is_bid ? 50'000 - offset_dist(rng) : 50'001 + offset_dist(rng);
    const std::int64_t size = size_dist(rng);
    ASSERT_TRUE(book.apply_delta(
        upd(id), BookDelta{is_bid ? OrderSide::Buy : OrderSide::Sell, Price::from_raw(ticks, 2), Quantity::from_int(size)}));
    apply_to_reference(is_bid, ticks, size, bids, asks);
    ASSERT_TRUE(book_matches(book, bids, asks)) << "after update " << id;
    min_seen = std::min(min_seen, bids.size());
    max_seen = std::max(max_seen, bids.size());
  }
  EXPECT_LT(min_seen, 16u);  // the bid side was searched both whole and through the window
  EXPECT_GT(max_seen, 16u);
}

TEST(OrderBook, APriceWrittenWithFewerPlacesThanTheTickIsPaddedOntoItsGrid) {
  // Venues that trim trailing zeros (Hyperliquid writes "30000" and "30000.5") send prices with fewer places
  // than the tick. Tick 0.01: "100" is 10000 ticks and "99.5" 9950; both come back at the tick's two places.
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  snap.bids = {{px("100"), qty("1")}, {px("99.5"), qty("2")}};
  snap.asks = {{px("100.1"), qty("3")}};
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  EXPECT_EQ(book.level(OrderSide::Buy, 0).price.value(), core::Decimal::from_raw(10'000, 2));
  EXPECT_EQ(book.level(OrderSide::Buy, 0).price.precision(), 2);
  EXPECT_EQ(book.level(OrderSide::Buy, 1).price.value(), core::Decimal::from_raw(9'950, 2));
  EXPECT_EQ(*book.spread_ticks(), 10);  // 100.10 − 100.00
  ASSERT_TRUE(book.apply_deltas(upd(2), std::vector<BookDelta>{bid("100", "0"), ask("101", "4")}));
  EXPECT_EQ(book.level_count(OrderSide::Buy), 1u);  // "100" found the level loaded as "100"
  EXPECT_EQ(book.level(OrderSide::Sell, 1), (BookLevel{px("101.00"), qty("4")}));
  // Tick 0.25 (raw 25 at two places): "100.5" pads to 10050, a multiple of 25 (402 ticks); "100.1" pads to
  // 10010, which is not, and is refused naming the delta; the book keeps update 1.
  OrderBook quarter(btc(), px("0.25"));
  BookSnapshot q;
  q.bids = {{px("100.5"), qty("1")}};
  q.update_id = 1;
  ASSERT_TRUE(quarter.apply_snapshot(q));
  EXPECT_EQ(*quarter.ticks_of(px("100.5")), 402);
  EXPECT_EQ(quarter.level(OrderSide::Buy, 0).price, px("100.50"));
  auto off = quarter.apply_deltas(upd(2), std::vector<BookDelta>{bid("100.1", "1")});
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(off.error().where(), "book delta[0] of update 2");
  EXPECT_EQ(quarter.update_id(), 1u);
}

TEST(OrderBook, APricePaddedBeyondTheSixtyFourBitRangeIsRefusedAsOverflow) {
  // Tick 10^-18: "9" is 9·10^18 ticks, below 2^63 − 1 ≈ 9.223·10^18, and is taken; "10" would be 10^19
  // ticks and is refused as an overflow, in a snapshot and in a delta, leaving the book as it was.
  OrderBook book(btc(), px("0.000000000000000001"));
  BookSnapshot snap;
  snap.bids = {{px("9"), qty("1")}};
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  EXPECT_EQ(book.level(OrderSide::Buy, 0).price.value(), core::Decimal::from_raw(9'000'000'000'000'000'000, 18));
  BookSnapshot too_big = snap;
  too_big.asks = {{px("10"), qty("1")}};
  too_big.update_id = 2;
  auto refused = book.apply_snapshot(too_big);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::Overflow);
  EXPECT_EQ(refused.error().where(), "snapshot asks[0]");
  auto delta = book.apply_deltas(upd(2), std::vector<BookDelta>{ask("10", "1")});
  ASSERT_FALSE(delta);
  EXPECT_EQ(delta.error().code(), ErrorCode::Overflow);
  EXPECT_EQ(book.update_id(), 1u);
  EXPECT_EQ(book.level_count(OrderSide::Sell), 0u);
}

// A change is first looked for as many levels behind the best as its price is ticks behind it (the top of a
// live book usually has a level at every tick). With gaps near the top that guess lands on another price,
// or past the side, or before the best, and the search must still find the right place. The expected sides
// are written out by hand.
TEST(OrderBook, ChangesNearTheTopOfASideWithGapsLandOnTheirOwnPrice) {
  OrderBook book(btc(), px("0.01"));
  BookSnapshot snap;
  // Bids 100.00, 99.98, 99.97, 99.94 (gaps at 99.99, 99.96, 99.95); asks 100.01, 100.02, 100.05.
  snap.bids = {{px("100.00"), qty("1")}, {px("99.98"), qty("2")}, {px("99.97"), qty("3")}, {px("99.94"), qty("4")}};
  snap.asks = {{px("100.01"), qty("1")}, {px("100.02"), qty("2")}, {px("100.05"), qty("5")}};
  snap.update_id = 1;
  ASSERT_TRUE(book.apply_snapshot(snap));
  // 99.97 is 3 ticks behind the best: the guess (4th level) holds 99.94, so the search finds 99.97.
  ASSERT_TRUE(book.apply_delta(upd(2), bid("99.97", "7")));
  // 99.99 is missing: guess 2nd level (99.98), a new level goes in between.
  ASSERT_TRUE(book.apply_delta(upd(3), bid("99.99", "9")));
  // 99.94 is 6 ticks behind, past the 5 levels: the search removes it.
  ASSERT_TRUE(book.apply_delta(upd(4), bid("99.94", "0")));
  // A new best bid (before the best) and a removal of a price with no level (a no-op).
  ASSERT_TRUE(book.apply_delta(upd(5), bid("100.01", "0.5")));
  ASSERT_TRUE(book.apply_delta(upd(6), bid("99.96", "0")));
  // Asks: 100.05 is 4 ticks behind 100.01 but the 3rd level; 100.02 is the guess's own level.
  ASSERT_TRUE(book.apply_delta(upd(7), ask("100.05", "6")));
  ASSERT_TRUE(book.apply_delta(upd(8), ask("100.02", "0")));
  ASSERT_TRUE(book.apply_delta(upd(9), ask("100.03", "3")));
  const std::vector<BookLevel> bids{{px("100.01"), qty("0.5")}, {px("100.00"), qty("1")}, {px("99.99"), qty("9")},
                                    {px("99.98"), qty("2")},    {px("99.97"), qty("7")}};
  const std::vector<BookLevel> asks{{px("100.01"), qty("1")}, {px("100.03"), qty("3")}, {px("100.05"), qty("6")}};
  const BookDepth depth = book.depth(10);
  EXPECT_EQ(depth.bids, bids);
  EXPECT_EQ(depth.asks, asks);
  EXPECT_EQ(book.update_id(), 9u);
}

}  // namespace
}  // namespace ballast::model
