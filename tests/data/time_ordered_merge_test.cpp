// TimeOrderedMerge: k-way merge by ts_recv, ties by stream index.

#include "ballast/data/time_ordered_merge.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ballast::data {
namespace {

using core::UnixNanos;
using std::chrono::minutes;
using std::chrono::seconds;

const UnixNanos kT0 = UnixNanos::from_seconds(1'704'067'200);  // 2024-01-01T00:00:00Z

model::BarSeries bars(std::string_view instrument, core::Duration interval, int count) {
  model::BarSeries s;
  s.instrument_id = *core::InstrumentId::parse(instrument);
  s.interval = interval;
  const auto p = *model::Price::parse("1");
  for (int i = 0; i < count; ++i) {
    const UnixNanos t = kT0 + interval * i;
    s.bars.push_back(model::Bar{t, t + interval, p, p, p, p, model::Quantity::from_int(i)});
  }
  return s;
}

model::TradeTick trade(std::string_view instrument, UnixNanos t) {
  model::TradeTick tick;
  tick.instrument_id = *core::InstrumentId::parse(instrument);
  tick.price = *model::Price::parse("1");
  tick.size = model::Quantity::from_int(1);
  tick.ts_event = t;
  tick.ts_recv = t;
  return tick;
}

TEST(MergeTimeOrdered, InterleavesStreamsByReceiveTimeAndBreaksTiesByStreamIndex) {
  const auto btc = bars("BTCUSDT.BINANCE", minutes(1), 3);  // ts_recv 00:01, 00:02, 00:03
  const auto eth = bars("ETHUSDT.BINANCE", minutes(2), 2);  // ts_recv 00:02, 00:04
  const std::vector<model::TradeTick> ticks{trade("SOLUSDT.BINANCE", kT0 + seconds(30)),
                                            trade("SOLUSDT.BINANCE", kT0 + minutes(2)),
                                            trade("SOLUSDT.BINANCE", kT0 + minutes(2))};
  TimeOrderedMerge merge;
  ASSERT_EQ(*merge.add_bars(btc), 0u);
  ASSERT_EQ(*merge.add_bars(eth), 1u);
  ASSERT_EQ(*merge.add_trades(ticks), 2u);
  EXPECT_EQ(merge.remaining(), 8u);

  // Expected, by (ts_recv, stream, position):
  //   00:00:30 trade#0 (s2) | 00:01 btc#0 (s0) | 00:02 btc#1 (s0), eth#0 (s1), trade#1, trade#2 (s2)
  //   | 00:03 btc#2 | 00:04 eth#1
  struct Want {
    UnixNanos ts;
    std::size_t stream;
    const void* record;
  };
  const std::vector<Want> want{{kT0 + seconds(30), 2, &ticks[0]},   {kT0 + minutes(1), 0, &btc.bars[0]},
                               {kT0 + minutes(2), 0, &btc.bars[1]}, {kT0 + minutes(2), 1, &eth.bars[0]},
                               {kT0 + minutes(2), 2, &ticks[1]},    {kT0 + minutes(2), 2, &ticks[2]},
                               {kT0 + minutes(3), 0, &btc.bars[2]}, {kT0 + minutes(4), 1, &eth.bars[1]}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    auto peeked = merge.peek();
    auto e = merge.next();
    ASSERT_TRUE(e.has_value()) << i;
    ASSERT_TRUE(peeked.has_value());
    EXPECT_EQ(peeked->stream, e->stream);
    EXPECT_EQ(e->ts_recv, want[i].ts) << i;
    EXPECT_EQ(e->stream, want[i].stream) << i;
    // Pointers into the caller's containers: nothing was copied.
    const void* record = std::visit([](const auto* p) -> const void* { return p; }, e->record);
    EXPECT_EQ(record, want[i].record) << i;
  }
  EXPECT_TRUE(merge.done());
  EXPECT_FALSE(merge.next().has_value());
  EXPECT_FALSE(merge.peek().has_value());
}

TEST(MergeTimeOrdered, ReportsTheInstrumentOfEachRecord) {
  const auto btc = bars("BTCUSDT.BINANCE", minutes(1), 1);
  const std::vector<model::TradeTick> ticks{trade("SOLUSDT.BINANCE", kT0 + minutes(2))};
  TimeOrderedMerge merge;
  ASSERT_TRUE(merge.add_bars(btc).has_value());
  ASSERT_TRUE(merge.add_trades(ticks).has_value());
  auto first = merge.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->instrument_id, &btc.instrument_id);
  EXPECT_TRUE(std::holds_alternative<const model::Bar*>(first->record));
  auto second = merge.next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->instrument_id->value(), "SOLUSDT.BINANCE");
  EXPECT_TRUE(std::holds_alternative<const model::TradeTick*>(second->record));
}

TEST(MergeTimeOrdered, MergesQuotesAndSkipsEmptyStreams) {
  std::vector<model::QuoteTick> quotes(2);
  quotes[0].ts_recv = kT0 + seconds(5);
  quotes[1].ts_recv = kT0 + seconds(1);
  std::swap(quotes[0], quotes[1]);
  const model::BarSeries empty;
  TimeOrderedMerge merge;
  ASSERT_TRUE(merge.add_bars(empty).has_value());
  ASSERT_TRUE(merge.add_quotes(quotes).has_value());
  EXPECT_EQ(merge.stream_count(), 2u);
  EXPECT_EQ(merge.next()->ts_recv, kT0 + seconds(1));
  auto last = merge.next();
  EXPECT_EQ(last->ts_recv, kT0 + seconds(5));
  EXPECT_EQ(last->stream, 1u);
  EXPECT_TRUE(std::holds_alternative<const model::QuoteTick*>(last->record));
  EXPECT_TRUE(merge.done());
}

TEST(MergeTimeOrdered, RejectsAStreamThatGoesBackInTime) {
  const std::vector<model::TradeTick> ticks{trade("SOLUSDT.BINANCE", kT0 + minutes(2)),
                                            trade("SOLUSDT.BINANCE", kT0 + minutes(1))};
  const auto btc = bars("BTCUSDT.BINANCE", minutes(1), 2);
  TimeOrderedMerge merge;
  ASSERT_TRUE(merge.add_bars(btc).has_value());
  auto r = merge.add_trades(ticks);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where(), "streams[1][1]");
  EXPECT_EQ(r.error().message(),
            "stream 1: record 1 has ts_recv 2024-01-01T00:01:00Z, before record 0 at 2024-01-01T00:02:00Z");
  EXPECT_EQ(merge.stream_count(), 1u);
}

TEST(MergeTimeOrdered, RefusesNewStreamsOnceReplayHasStarted) {
  const auto btc = bars("BTCUSDT.BINANCE", minutes(1), 2);
  TimeOrderedMerge merge;
  ASSERT_TRUE(merge.add_bars(btc).has_value());
  ASSERT_TRUE(merge.next().has_value());
  EXPECT_THROW((void)merge.add_bars(btc), core::InvariantError);
}

}  // namespace
}  // namespace ballast::data
