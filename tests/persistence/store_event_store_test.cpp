// The runtime::EventStore contract (runtime/event_store.hpp) on both backends.

#include "persistence/store_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <future>

namespace ballast::persistence::testing {
namespace {

using core::ErrorCode;
using core::UnixNanos;
using runtime::EventQuery;
using runtime::EventRecord;

EventRecord record(std::string stream, std::string type, std::int64_t ts) {
  return EventRecord{std::move(stream), std::move(type),   R"({"n":)" + std::to_string(ts) + "}",
                     UnixNanos(ts),     UnixNanos(ts + 1), 0};
}

std::vector<std::uint64_t> sequences(const std::vector<EventRecord>& records) {
  std::vector<std::uint64_t> out;
  for (const auto& r : records) out.push_back(r.sequence);
  return out;
}

TEST_P(StoreContract, AssignsGapFreeSequencesInAppendOrder) {
  runtime::EventStore& events = store().events();
  EXPECT_EQ(*events.last_sequence(), 0u);
  const std::vector<EventRecord> first{record("order.O-1", "OrderSubmitted", 10),
                                       record("order.O-1", "OrderAccepted", 20),
                                       record("order.O-2", "OrderSubmitted", 30)};
  auto last = events.append(first);
  ASSERT_TRUE(last) << last.error().to_string();
  EXPECT_EQ(*last, 3u);
  EXPECT_EQ(*events.append(std::vector<EventRecord>{record("risk.config", "RiskConfigChanged", 40)}), 4u);
  EXPECT_EQ(*events.append(std::vector<EventRecord>{}), 4u);  // empty: nothing written, last sequence
  EXPECT_EQ(*events.last_sequence(), 4u);

  auto all = events.load(EventQuery{});
  ASSERT_TRUE(all);
  EXPECT_EQ(sequences(*all), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ((*all)[1].type, "OrderAccepted");
  EXPECT_EQ((*all)[1].payload, R"({"n":20})");
  EXPECT_EQ((*all)[1].ts_event, UnixNanos(20));
  EXPECT_EQ((*all)[1].ts_init, UnixNanos(21));
}

TEST_P(StoreContract, WritesNothingFromABatchWithAnInvalidRecord) {
  runtime::EventStore& events = store().events();
  ASSERT_TRUE(events.append(std::vector<EventRecord>{record("order.O-1", "OrderSubmitted", 10)}));
  const std::vector<EventRecord> bad{record("order.O-2", "OrderSubmitted", 20), record("", "OrderAccepted", 30)};
  auto result = events.append(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::InvalidArgument);
  const std::vector<EventRecord> untyped{record("order.O-3", "", 20)};
  EXPECT_FALSE(events.append(untyped));

  // Through a WriteBatch the same rule holds, and the batch's other rows are not written either.
  WriteBatch batch;
  batch.events.push_back(record("order.O-4", "OrderSubmitted", 40));
  batch.events.push_back(record("", "Broken", 41));
  batch.alerts.push_back(AlertRow{0, "ACC-1", "INFO", "X", "never stored", "{}", UnixNanos(41)});
  EXPECT_FALSE(store().commit(std::move(batch)));
  EXPECT_TRUE(store().query_alerts(TimeQuery{})->empty());

  EXPECT_EQ(*events.last_sequence(), 1u);
  EXPECT_EQ(events.load(EventQuery{})->size(), 1u);
  EXPECT_EQ(*events.append(std::vector<EventRecord>{record("order.O-5", "OrderSubmitted", 50)}), 2u);  // no gap
}

TEST_P(StoreContract, LoadsByStreamPrefixSequenceTimeAndLimit) {
  runtime::EventStore& events = store().events();
  const std::vector<EventRecord> batch{record("order.O-1", "OrderSubmitted", 100),
                                       record("order.O-2", "OrderSubmitted", 200),
                                       record("orderbook", "Snapshot", 250),
                                       record("order.O-1", "OrderFilled", 300),
                                       record("order_x", "Weird", 350),
                                       record("risk.config", "Changed", 400)};
  ASSERT_TRUE(events.append(batch));

  auto stream = events.load_stream("order.O-1");
  ASSERT_TRUE(stream);
  EXPECT_EQ(sequences(*stream), (std::vector<std::uint64_t>{1, 4}));
  EXPECT_EQ(sequences(*events.load_stream("order.O-1", 1)), (std::vector<std::uint64_t>{4}));

  EventQuery prefix;
  prefix.stream_prefix = "order.";  // '.' and '_' are literal: "orderbook" and "order_x" do not match
  EXPECT_EQ(sequences(*events.load(prefix)), (std::vector<std::uint64_t>{1, 2, 4}));
  EventQuery underscore;
  underscore.stream_prefix = "order_";
  EXPECT_EQ(sequences(*events.load(underscore)), (std::vector<std::uint64_t>{5}));

  EventQuery after;
  after.after_sequence = 3;
  after.limit = 2;
  EXPECT_EQ(sequences(*events.load(after)), (std::vector<std::uint64_t>{4, 5}));

  EventQuery window;
  window.from = UnixNanos(200);
  window.to = UnixNanos(350);  // exclusive
  EXPECT_EQ(sequences(*events.load(window)), (std::vector<std::uint64_t>{2, 3, 4}));

  EventQuery none;
  none.stream = "nothing";
  EXPECT_TRUE(events.load(none)->empty());
}

TEST_P(StoreContract, SavesSnapshotsUpToTheLastSequenceAndLoadsTheLatest) {
  runtime::EventStore& events = store().events();
  auto empty = events.load_latest_snapshot();
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());

  runtime::StateSnapshot ahead{1, UnixNanos(5), "ballast.state.v1", "{}"};
  auto rejected = events.save_snapshot(ahead);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code(), ErrorCode::InvalidArgument);

  ASSERT_TRUE(events.append(std::vector<EventRecord>{record("a", "A", 1), record("a", "B", 2), record("b", "C", 3)}));
  ASSERT_TRUE(events.save_snapshot({0, UnixNanos(6), "ballast.state.v1", R"({"empty":true})"}));
  ASSERT_TRUE(events.save_snapshot({3, UnixNanos(8), "ballast.state.v1", R"({"orders":3})"}));
  ASSERT_TRUE(events.save_snapshot({2, UnixNanos(9), "ballast.state.v1", R"({"orders":2})"}));
  EXPECT_FALSE(events.save_snapshot({4, UnixNanos(10), "ballast.state.v1", "{}"}));

  auto latest = events.load_latest_snapshot();
  ASSERT_TRUE(latest) << latest.error().to_string();
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->sequence, 3u);
  EXPECT_EQ((*latest)->ts_taken, UnixNanos(8));
  EXPECT_EQ((*latest)->format, "ballast.state.v1");
  EXPECT_EQ((*latest)->payload, R"({"orders":3})");
}

TEST_P(StoreContract, KeepsEventsAndSnapshotsAcrossReopen) {
  ASSERT_TRUE(store().events().append(std::vector<EventRecord>{record("a", "A", 1), record("a", "B", 2)}));
  ASSERT_TRUE(store().events().save_snapshot({2, UnixNanos(3), "ballast.state.v1", "S"}));
  reopen();
  EXPECT_EQ(*store().events().last_sequence(), 2u);
  EXPECT_EQ((*store().events().load_latest_snapshot())->payload, "S");
  EXPECT_EQ(*store().events().append(std::vector<EventRecord>{record("a", "C", 4)}), 3u);
}

TEST_P(StoreContract, KeepsSequencesGapFreeWithTwoStoresAppendingToOneDatabase) {
  // Two Store instances on one database stand in for two processes sharing it (DESIGN.md §6).
  auto second = Store::open(options_);
  ASSERT_TRUE(second) << second.error().to_string();
  constexpr int kAppends = 100;
  auto writer = [](Store& target, const std::string& stream) {
    for (int i = 0; i < kAppends; ++i) {
      const std::vector<EventRecord> batch{record(stream, "A", i), record(stream, "B", i)};
      if (!target.events().append(batch)) return false;
    }
    return true;
  };
  auto other = std::async(std::launch::async, writer, std::ref(**second), "second");
  EXPECT_TRUE(writer(store(), "first"));
  EXPECT_TRUE(other.get());

  auto all = store().events().load(EventQuery{});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), static_cast<std::size_t>(4 * kAppends));
  for (std::size_t i = 0; i < all->size(); ++i) {
    ASSERT_EQ((*all)[i].sequence, i + 1);
    // Each append's two records are adjacent: a batch is never interleaved with another.
    if ((*all)[i].type == "B") {
      ASSERT_GT(i, 0u);
      EXPECT_EQ((*all)[i - 1].stream, (*all)[i].stream);
    }
  }
  EXPECT_EQ(*(*second)->events().last_sequence(), static_cast<std::uint64_t>(4 * kAppends));
}

}  // namespace
}  // namespace ballast::persistence::testing
