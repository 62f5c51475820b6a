// Hyperliquid WebSocket hot path (issue 8 target: parse + apply under 1 µs per message):
//  - an l2Book message with 20 levels a side (the most the exchange sends) parsed by parse_ws_message and
//    applied to a model::OrderBook as the snapshot it is (Hyperliquid pushes full books, no deltas);
//  - the same over 64 different pushes of a moving book (prices shift, sizes change, levels come and go);
//  - the same push with its values trimmed as the exchange writes them ("30000", "0.25"), so value lengths
//    vary from level to level;
//  - the parse alone, to split the cost;
//  - a trades message with one trade (the common case) and with five, parsed and turned into TradeTicks.
// The WsMessage is reused across iterations as the data client reuses it, so the steady state does not
// allocate for the book; a TradeTick copies its InstrumentId (a heap string of 20 characters) per trade.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "ballast/adapters/hyperliquid/ws_messages.hpp"
#include "ballast/model/order_book.hpp"

namespace {

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::InstrumentId;
using ballast::core::UnixNanos;
using ballast::core::VenueId;

// Bids 30000.0, 29999.5, …; asks 30000.5, 30001.0, …; sizes with up to 5 decimals (BTC's szDecimals).
std::string l2_book_message(int levels) {
  std::string bids;
  std::string asks;
  for (int i = 0; i < levels; ++i) {
    if (i > 0) {
      bids += ',';
      asks += ',';
    }
    bids += fmt::format(R"({{"px":"{}.{}","sz":"{}.{:05d}","n":{}}})", 30000 - (i + 1) / 2, (i % 2) * 5, 1 + i % 7,
                        (i * 7919) % 100000, 1 + i % 9);
    asks += fmt::format(R"({{"px":"{}.{}","sz":"{}.{:05d}","n":{}}})", 30000 + (i + 1) / 2, ((i + 1) % 2) * 5, 1 + i % 5,
                        (i * 104729) % 100000, 1 + i % 4);
  }
  return fmt::format(R"({{"channel":"l2Book","data":{{"coin":"BTC","time":1700000000123,"levels":[[{}],[{}]]}}}})", bids,
                     asks);
}

// A stream of pushes as a live book moves: push m shifts the whole book by (m / 8) % 3 half-dollar steps
// and changes about a third of the sizes, so consecutive pushes differ in prices, sizes and which levels
// exist.
std::vector<std::string> moving_book_messages(int levels, int pushes) {
  std::vector<std::string> out;
  for (int m = 0; m < pushes; ++m) {
    const int shift = (m / 8) % 3;  // in half-dollar steps
    std::string bids;
    std::string asks;
    for (int i = 0; i < levels; ++i) {
      if (i > 0) {
        bids += ',';
        asks += ',';
      }
      const int bid_halves = 60000 - i + shift;  // 30000.0, 29999.5, … moved by the shift
      const int ask_halves = 60001 + i + shift;
      const int changed = (i + m) % 3 == 0 ? m : 0;
      bids += fmt::format(R"({{"px":"{}.{}","sz":"{}.{:05d}","n":{}}})", bid_halves / 2, (bid_halves % 2) * 5,
                          1 + i % 7, (i * 7919 + changed * 31) % 100000, 1 + i % 9);
      asks += fmt::format(R"({{"px":"{}.{}","sz":"{}.{:05d}","n":{}}})", ask_halves / 2, (ask_halves % 2) * 5,
                          1 + i % 5, (i * 104729 + changed * 17) % 100000, 1 + i % 4);
    }
    out.push_back(fmt::format(R"({{"channel":"l2Book","data":{{"coin":"BTC","time":{},"levels":[[{}],[{}]]}}}})",
                              1700000000000 + 500 * m, bids, asks));
  }
  return out;
}

// The form the exchange really writes: trailing zeros trimmed ("30000", "29999.5"; sizes "0.25", "1.5",
// "7.6699"), so value lengths vary from level to level and the byte branches that find their ends are less
// predictable than in l2_book_message's fixed-width values.
std::string trimmed(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}
std::string trimmed_l2_book_message(int levels) {
  std::string bids;
  std::string asks;
  for (int i = 0; i < levels; ++i) {
    if (i > 0) {
      bids += ',';
      asks += ',';
    }
    bids += fmt::format(R"({{"px":"{}","sz":"{}","n":{}}})", trimmed(fmt::format("{}.{}", 30000 - (i + 1) / 2, (i % 2) * 5)),
                        trimmed(fmt::format("{}.{:05d}", i % 3, (i * 7919) % 100000 / (i % 4 == 0 ? 1000 : 1))),
                        1 + i % 9);
    asks += fmt::format(R"({{"px":"{}","sz":"{}","n":{}}})",
                        trimmed(fmt::format("{}.{}", 30000 + (i + 1) / 2, ((i + 1) % 2) * 5)),
                        trimmed(fmt::format("{}.{:05d}", i % 5, (i * 104729) % 100000 / (i % 3 == 0 ? 100 : 1))),
                        1 + i % 4);
  }
  return fmt::format(R"({{"channel":"l2Book","data":{{"coin":"BTC","time":1700000000123,"levels":[[{}],[{}]]}}}})", bids,
                     asks);
}

std::string trades_message(int trades) {
  std::string items;
  for (int i = 0; i < trades; ++i) {
    if (i > 0) items += ',';
    items += fmt::format(
        R"({{"coin":"BTC","side":"{}","px":"30000.{}","sz":"0.0{}12","hash":"0x3a2b7f7d5e8a9c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c","time":1700000000{:03d},"tid":{},"users":["0x1234567890abcdef1234567890abcdef12345678","0xabcdefabcdefabcdefabcdefabcdefabcdefabcd"]}})",
        i % 2 == 0 ? "B" : "A", i % 10, i % 10, i, 900000000000000 + i);
  }
  return fmt::format(R"({{"channel":"trades","data":[{}]}})", items);
}

// Parses one push and applies it to a book, every iteration.
void parse_and_apply(benchmark::State& state, const std::string& text) {
  const InstrumentId btc("BTC-PERP", VenueId("HYPERLIQUID"));
  ballast::model::OrderBook book(btc, ballast::model::Price::from_raw(1, 1));  // tick 0.1
  hl::WsMessage message;
  const UnixNanos now = UnixNanos::from_millis(1700000000200);
  for (auto _ : state) {
    if (!hl::parse_ws_message(text, now, message)) state.SkipWithError("parse failed");
    if (!book.apply_snapshot(message.book.snapshot)) state.SkipWithError("apply failed");
    benchmark::DoNotOptimize(book.best_bid());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_HyperliquidL2BookParseAndApply(benchmark::State& state) { parse_and_apply(state, l2_book_message(20)); }
BENCHMARK(BM_HyperliquidL2BookParseAndApply);

// The same, over 64 different pushes of a moving book (prices shift, sizes change, levels come and go).
void BM_HyperliquidL2BookMovingParseAndApply(benchmark::State& state) {
  const auto texts = moving_book_messages(20, 64);
  const InstrumentId btc("BTC-PERP", VenueId("HYPERLIQUID"));
  ballast::model::OrderBook book(btc, ballast::model::Price::from_raw(1, 1));  // tick 0.1
  hl::WsMessage message;
  const UnixNanos now = UnixNanos::from_millis(1700000000200);
  std::size_t i = 0;
  for (auto _ : state) {
    if (!hl::parse_ws_message(texts[i], now, message)) state.SkipWithError("parse failed");
    if (!book.apply_snapshot(message.book.snapshot)) state.SkipWithError("apply failed");
    benchmark::DoNotOptimize(book.best_bid());
    i = (i + 1) % texts.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HyperliquidL2BookMovingParseAndApply);

// The same as BM_HyperliquidL2BookParseAndApply with the values trimmed as the exchange writes them.
void BM_HyperliquidL2BookTrimmedParseAndApply(benchmark::State& state) {
  parse_and_apply(state, trimmed_l2_book_message(20));
}
BENCHMARK(BM_HyperliquidL2BookTrimmedParseAndApply);

void BM_HyperliquidL2BookParseOnly(benchmark::State& state) {
  const std::string text = l2_book_message(20);
  hl::WsMessage message;
  const UnixNanos now = UnixNanos::from_millis(1700000000200);
  for (auto _ : state) {
    if (!hl::parse_ws_message(text, now, message)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message.book.snapshot.bids.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HyperliquidL2BookParseOnly);

void BM_HyperliquidTradesParseToTicks(benchmark::State& state) {
  const std::string text = trades_message(static_cast<int>(state.range(0)));
  const InstrumentId btc("BTC-PERP", VenueId("HYPERLIQUID"));
  hl::WsMessage message;
  const UnixNanos now = UnixNanos::from_millis(1700000000200);
  for (auto _ : state) {
    if (!hl::parse_ws_message(text, now, message)) state.SkipWithError("parse failed");
    for (const hl::WsTrade& t : message.trades) {
      ballast::model::TradeTick tick = t.to_trade_tick(btc, now);
      benchmark::DoNotOptimize(tick);
    }
  }
  state.SetItemsProcessed(state.iterations());  // messages
}
BENCHMARK(BM_HyperliquidTradesParseToTicks)->Arg(1)->Arg(5);

}  // namespace
