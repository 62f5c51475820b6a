// OrderBook delta cost on a 500-levels-per-side book (tick 0.01, prices at the tick's precision):
// size updates at random levels, insert/remove at the best level and 250 levels deep, and the
// top-of-book queries a strategy makes after each update. Deltas are precomputed so that only
// apply_delta is timed; the book's size stays constant, so no allocation happens in the loop.

#include "ballast/model/order_book.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

using ballast::core::InstrumentId;
using ballast::core::UnixNanos;
using ballast::model::BookDelta;
using ballast::model::BookSnapshot;
using ballast::model::BookUpdate;
using ballast::model::OrderBook;
using ballast::model::OrderSide;
using ballast::model::Price;
using ballast::model::Quantity;

constexpr std::int64_t kLevels = 500;
constexpr std::int64_t kBestBidTicks = 1'000'000;  // 10000.00
constexpr std::int64_t kBestAskTicks = kBestBidTicks + 1;

Price ticks_px(std::int64_t ticks) { return Price::from_raw(ticks, 2); }

OrderBook make_book() {
  OrderBook book(*InstrumentId::parse("BTCUSDT.BINANCE"), Price::from_raw(1, 2));
  BookSnapshot snap;
  for (std::int64_t i = 0; i < kLevels; ++i) {
    snap.bids.push_back({ticks_px(kBestBidTicks - i), Quantity::from_raw(1'000 + i, 3)});
    snap.asks.push_back({ticks_px(kBestAskTicks + i), Quantity::from_raw(1'000 + i, 3)});
  }
  snap.update_id = 1;
  if (!book.apply_snapshot(snap)) std::abort();
  return book;
}

void run(benchmark::State& state, const std::vector<BookDelta>& deltas) {
  OrderBook book = make_book();
  std::uint64_t id = 1;
  std::size_t i = 0;
  for (auto _ : state) {
    ++id;
    auto r = book.apply_delta(BookUpdate::single(id, UnixNanos(static_cast<std::int64_t>(id)), UnixNanos(0)), deltas[i]);
    benchmark::DoNotOptimize(r);
    if (++i == deltas.size()) i = 0;
  }
  if (book.level_count(OrderSide::Buy) + book.level_count(OrderSide::Sell) < static_cast<std::size_t>(kLevels)) {
    state.SkipWithError("book lost levels");
  }
  state.SetItemsProcessed(state.iterations());
}

void update_random_level(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> depth(0, kLevels - 1);
  std::uniform_int_distribution<std::int64_t> size(1, 50'000);
  std::vector<BookDelta> deltas;
  for (int i = 0; i < 4096; ++i) {
    const bool bid = i % 2 == 0;
    const std::int64_t ticks = bid ? kBestBidTicks - depth(rng) : kBestAskTicks + depth(rng);
    deltas.push_back({bid ? OrderSide::Buy : OrderSide::Sell, ticks_px(ticks), Quantity::from_raw(size(rng), 3)});
  }
  run(state, deltas);
}
BENCHMARK(update_random_level)->Name("OrderBook/apply_delta/update_random_level_of_500");

// Alternately removes and re-inserts the level at `depth` (0 = best), so every delta moves the
// levels behind it in the flat vector.
void toggle_level(benchmark::State& state) {
  const std::int64_t depth = state.range(0);
  std::vector<BookDelta> deltas;
  for (int i = 0; i < 4096; ++i) {
    const bool bid = (i / 2) % 2 == 0;
    const std::int64_t ticks = bid ? kBestBidTicks - depth : kBestAskTicks + depth;
    const Quantity q = i % 2 == 0 ? Quantity::from_raw(0, 3) : Quantity::from_raw(2'500, 3);
    deltas.push_back({bid ? OrderSide::Buy : OrderSide::Sell, ticks_px(ticks), q});
  }
  run(state, deltas);
}
BENCHMARK(toggle_level)->Arg(0)->Arg(250)->Arg(499)->Name("OrderBook/apply_delta/remove_insert_at_depth");

void top_of_book_queries(benchmark::State& state) {
  const OrderBook book = make_book();
  for (auto _ : state) {
    benchmark::DoNotOptimize(book.best_bid());
    benchmark::DoNotOptimize(book.best_ask());
    benchmark::DoNotOptimize(book.mid());
    benchmark::DoNotOptimize(book.spread_bps());
  }
}
BENCHMARK(top_of_book_queries)->Name("OrderBook/best_bid_ask_mid_spread_bps");

}  // namespace
