// Binance USDⓈ-M market-stream hot path (issue 8 "Speed": parse + apply under 1 µs per message).
//  - DepthParseApply/N: one combined-stream depthUpdate message ({"stream","data"} wrapper, N levels, half
//    bids and half asks near the top of a 500-levels-per-side book, 10 % removals) split, parsed and applied
//    to a model::OrderBook. The messages form one pu → u chain; when the prepared sequence is used up the
//    book is reset from its snapshot outside the timed region.
//    DepthParseApply/N/1 reads the levels at the instrument's precision (DepthPrecision), as the data client
//    does for a subscribed book.
//  - DepthParseOnly/N: the parser alone on the data object.
//  - AggTradeParse: split + parse + TradeTick of a combined aggTrade message.
//  - NlohmannDomDepth/N: nlohmann::json::parse of the same depth message (DOM only, no conversion), the
//    baseline that made the adapter use its own scanner.
// Reported as ns per message (items_per_second inverted by the reader).

#include "ballast/adapters/binance_futures/market_streams.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using ballast::adapters::binance::AggTrade;
using ballast::adapters::binance::DepthUpdate;
using ballast::core::InstrumentId;
using ballast::core::UnixNanos;
using ballast::model::BookSnapshot;
using ballast::model::OrderBook;
using ballast::model::Price;
using ballast::model::Quantity;

constexpr std::int64_t kLevels = 500;
constexpr std::int64_t kBestBidTicks = 300'000;  // 30000.0 at tick 0.1
constexpr std::size_t kMessages = 1024;

std::string price_text(std::int64_t ticks) { return fmt::format("{}.{}", ticks / 10, ticks % 10); }
std::string qty_text(std::int64_t milli) { return fmt::format("{}.{:03d}", milli / 1000, milli % 1000); }

BookSnapshot make_snapshot() {
  BookSnapshot snap;
  for (std::int64_t i = 0; i < kLevels; ++i) {
    snap.bids.push_back({Price::from_raw(kBestBidTicks - i, 1), Quantity::from_raw(1'000 + i, 3)});
    snap.asks.push_back({Price::from_raw(kBestBidTicks + 1 + i, 1), Quantity::from_raw(1'000 + i, 3)});
  }
  snap.update_id = 1'000;
  return snap;
}

// kMessages chained depth messages of `levels` levels each (wrapped), starting after update id 1000.
std::vector<std::string> make_depth_messages(int levels, bool wrapped) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> depth(0, 19), size(1, 9'999), removal(0, 9);
  std::vector<std::string> out;
  std::uint64_t prev = 1'000;
  for (std::size_t m = 0; m < kMessages; ++m) {
    const std::uint64_t first = prev + 1 + static_cast<std::uint64_t>(m % 3);
    const std::uint64_t last = first + 4;
    std::string bids, asks;
    for (int i = 0; i < levels; ++i) {
      const bool bid = i % 2 == 0;
      const std::int64_t ticks = bid ? kBestBidTicks - depth(rng) : kBestBidTicks + 1 + depth(rng);
      const std::string q = removal(rng) == 0 ? "0.000" : qty_text(size(rng));
      std::string& side = bid ? bids : asks;
      if (!side.empty()) side += ',';
      side += fmt::format(R"(["{}","{}"])", price_text(ticks), q);
    }
    const std::string data =
        fmt::format(R"({{"e":"depthUpdate","E":1700000000{:03d},"T":1700000000{:03d},"s":"BTCUSDT","U":{},"u":{},)"
                    R"("pu":{},"b":[{}],"a":[{}]}})",
                    m % 1000, m % 1000, first, last, prev, bids, asks);
    out.push_back(wrapped ? fmt::format(R"({{"stream":"btcusdt@depth@100ms","data":{}}})", data) : data);
    prev = last;
  }
  return out;
}

// range(1) = 1: the levels are read at the instrument's precision (tick 0.1, step 0.001), as the data
// client reads a subscribed book's stream.
void DepthParseApply(benchmark::State& state) {
  const auto messages = make_depth_messages(static_cast<int>(state.range(0)), true);
  const ballast::adapters::binance::DepthPrecision precision =
      state.range(1) == 1 ? ballast::adapters::binance::DepthPrecision{1, 3} : ballast::adapters::binance::DepthPrecision{};
  const BookSnapshot snap = make_snapshot();
  OrderBook book(*InstrumentId::parse("BTCUSDT.BINANCE"), Price::from_raw(1, 1));
  if (!book.apply_snapshot(snap)) std::abort();
  DepthUpdate update;
  update.deltas.reserve(64);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == messages.size()) {
      state.PauseTiming();
      if (!book.apply_snapshot(snap)) std::abort();
      i = 0;
      state.ResumeTiming();
    }
    auto frame = ballast::adapters::binance::split_stream_message(messages[i++]);
    if (!frame) std::abort();
    if (!ballast::adapters::binance::parse_depth_update(frame->data, update, "data", precision)) std::abort();
    auto applied = book.apply_deltas(update.book_update(UnixNanos(0)), update.deltas);
    if (!applied) std::abort();
    benchmark::DoNotOptimize(book.best_bid());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(DepthParseApply)->Args({10, 0})->Args({20, 0})->Args({10, 1})->Args({20, 1});

void DepthParseOnly(benchmark::State& state) {
  const auto messages = make_depth_messages(static_cast<int>(state.range(0)), false);
  DepthUpdate update;
  update.deltas.reserve(64);
  std::size_t i = 0;
  for (auto _ : state) {
    if (!ballast::adapters::binance::parse_depth_update(messages[i], update)) std::abort();
    benchmark::DoNotOptimize(update.deltas.data());
    i = (i + 1) % messages.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(DepthParseOnly)->Arg(10)->Arg(20);

void AggTradeParse(benchmark::State& state) {
  const std::string message =
      R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000123,"s":"BTCUSDT","a":5933014,)"
      R"("p":"30000.1","q":"0.125","f":100,"l":105,"T":1700000000120,"m":true}})";
  const InstrumentId id = *InstrumentId::parse("BTCUSDT.BINANCE");
  AggTrade trade;
  for (auto _ : state) {
    auto frame = ballast::adapters::binance::split_stream_message(message);
    if (!frame) std::abort();
    if (!ballast::adapters::binance::parse_agg_trade(frame->data, trade, "data")) std::abort();
    auto tick = trade.to_trade_tick(id, UnixNanos(0));
    benchmark::DoNotOptimize(tick);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(AggTradeParse);

void NlohmannDomDepth(benchmark::State& state) {
  const auto messages = make_depth_messages(static_cast<int>(state.range(0)), true);
  std::size_t i = 0;
  for (auto _ : state) {
    auto json = nlohmann::json::parse(messages[i]);
    benchmark::DoNotOptimize(json);
    i = (i + 1) % messages.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(NlohmannDomDepth)->Arg(10)->Arg(20);

}  // namespace
