// The runtime ports are interfaces only; these tests implement each with a tiny in-memory fake and
// drive it the way the kernel will, to show the interfaces are complete enough to use.

#include "ballast/core/error.hpp"
#include "ballast/model/order_book.hpp"
#include "ballast/runtime/cache.hpp"
#include "ballast/runtime/data_client.hpp"
#include "ballast/runtime/event_store.hpp"
#include "ballast/runtime/execution_client.hpp"
#include "ballast/runtime/message_bus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ballast::runtime {
namespace {

using core::AccountId;
using core::ClientOrderId;
using core::Error;
using core::ErrorCode;
using core::InstrumentId;
using core::UnixNanos;
using core::VenueId;
using core::VenueOrderId;
using model::Price;
using model::Quantity;

Price px(const std::string& s) { return *Price::parse(s); }
Quantity qty(const std::string& s) { return *Quantity::parse(s); }
const InstrumentId kBtc = *InstrumentId::parse("BTCUSDT.SIM");

template <class E>
E event_for(const model::OrderEventBase& ids, UnixNanos ts) {
  E e;
  static_cast<model::OrderEventBase&>(e) = ids;
  e.ts_event = ts;
  e.ts_init = ts;
  return e;
}

// ---- ExecutionClient ----

// The kernel's side: collects events the way the kernel's queue would, to be drained on its thread.
class QueueSink final : public ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override { events.push_back(event); }
  void on_disconnected(const VenueId& venue, const Error& reason) override {
    disconnects.push_back(venue.value() + ": " + reason.message());
  }
  std::vector<model::OrderEvent> events;
  std::vector<std::string> disconnects;
};

// A venue that accepts every limit order at once and fills it when told to.
class FakeExecutionClient final : public ExecutionClient {
 public:
  explicit FakeExecutionClient(ExecutionEventSink& sink) : sink_(sink) {}

  const VenueId& venue() const override { return venue_; }
  const AccountId& account_id() const override { return account_; }
  core::Status connect() override {
    connected_ = true;
    return core::ok();
  }
  void disconnect() override { connected_ = false; }
  bool is_connected() const override { return connected_; }

  core::Status submit_order(const model::SubmitOrder& command) override {
    if (!connected_) return Error(ErrorCode::InvalidState, "not connected");
    const model::Order& o = command.order;
    model::OrderEventBase ids{o.client_order_id(), o.strategy_id(), o.account_id(), o.instrument_id(), {}, {}};
    auto accepted = event_for<model::OrderAccepted>(ids, command.ts_init);
    accepted.venue_order_id = VenueOrderId("V-" + std::to_string(++next_venue_id_));
    working_.emplace(o.client_order_id().value(), Working{ids, accepted.venue_order_id, o});
    sink_.on_order_event(accepted);  // from inside the command, as a simulated venue may
    return core::ok();
  }
  core::Status cancel_order(const model::CancelOrder& command) override {
    const auto it = working_.find(command.client_order_id.value());
    if (it == working_.end()) {
      model::OrderEventBase ids{command.client_order_id, command.strategy_id, command.account_id,
                                command.instrument_id, {}, {}};
      auto rejected = event_for<model::OrderCancelRejected>(ids, command.ts_init);
      rejected.reason = "unknown order";
      sink_.on_order_event(rejected);
      return core::ok();
    }
    auto canceled = event_for<model::OrderCanceled>(it->second.ids, command.ts_init);
    canceled.venue_order_id = it->second.venue_order_id;
    working_.erase(it);
    sink_.on_order_event(canceled);
    return core::ok();
  }
  core::Status cancel_all_orders(const model::CancelAllOrders& command) override {
    std::vector<std::string> selected;
    for (const auto& [id, w] : working_) {
      if (w.ids.strategy_id == command.strategy_id &&
          (!command.instrument_id || w.ids.instrument_id == *command.instrument_id)) {
        selected.push_back(id);
      }
    }
    for (const auto& id : selected) {
      const Working& w = working_.at(id);
      BALLAST_TRY(cancel_order(model::CancelOrder{w.ids.client_order_id, w.venue_order_id, w.ids.strategy_id,
                                                  w.ids.account_id, w.ids.instrument_id, command.ts_init}));
    }
    return core::ok();
  }
  core::Status modify_order(const model::ModifyOrder&) override {
    return Error(ErrorCode::Unsupported, "the fake venue does not amend orders");
  }

  core::Result<std::vector<OrderStatusReport>> query_open_orders(const std::optional<InstrumentId>&) override {
    std::vector<OrderStatusReport> out;
    for (const auto& [id, w] : working_) {
      OrderStatusReport r;
      r.client_order_id = w.ids.client_order_id;
      r.venue_order_id = w.venue_order_id;
      r.account_id = w.ids.account_id;
      r.instrument_id = w.ids.instrument_id;
      r.side = w.order.side();
      r.quantity = w.order.quantity();
      r.price = w.order.price();
      out.push_back(r);
    }
    return out;
  }
  core::Result<std::vector<PositionStatusReport>> query_positions() override { return std::vector<PositionStatusReport>{}; }
  core::Result<std::vector<model::Fill>> query_fills_since(UnixNanos since) override {
    std::vector<model::Fill> out;
    std::copy_if(fills_.begin(), fills_.end(), std::back_inserter(out),
                 [&](const model::Fill& f) { return f.ts_event >= since; });
    return out;
  }

  // Test control: the venue fills a working order completely.
  void fill(const std::string& client_order_id, UnixNanos ts) {
    const Working w = working_.at(client_order_id);
    working_.erase(client_order_id);
    auto filled = event_for<model::OrderFilled>(w.ids, ts);
    filled.fill.trade_id = core::TradeId("T-" + client_order_id);
    filled.fill.client_order_id = w.ids.client_order_id;
    filled.fill.venue_order_id = w.venue_order_id;
    filled.fill.instrument_id = w.ids.instrument_id;
    filled.fill.account_id = w.ids.account_id;
    filled.fill.side = w.order.side();
    filled.fill.last_qty = w.order.quantity();
    filled.fill.last_px = *w.order.price();
    filled.fill.ts_event = ts;
    filled.fill.ts_recv = ts;
    fills_.push_back(filled.fill);
    sink_.on_order_event(filled);
  }
  void drop_connection() {
    connected_ = false;
    sink_.on_disconnected(venue_, Error(ErrorCode::IoError, "socket closed"));
  }

 private:
  struct Working {
    model::OrderEventBase ids;
    VenueOrderId venue_order_id;
    model::Order order;
  };
  ExecutionEventSink& sink_;
  VenueId venue_{"SIM"};
  AccountId account_{"ACC-1"};
  bool connected_ = false;
  int next_venue_id_ = 0;
  std::map<std::string, Working> working_;
  std::vector<model::Fill> fills_;
};

model::Order new_limit(const std::string& id, const std::string& strategy) {
  model::OrderSpec spec;
  spec.client_order_id = ClientOrderId(id);
  spec.strategy_id = core::StrategyId(strategy);
  spec.account_id = AccountId("ACC-1");
  spec.instrument_id = kBtc;
  spec.side = model::OrderSide::Buy;
  spec.type = model::OrderType::Limit;
  spec.quantity = qty("1");
  spec.price = px("100.5");
  spec.ts_init = UnixNanos(1);
  return *model::Order::create(spec);
}

// What the kernel does with queued events: apply them to the cache in order.
void drain(QueueSink& sink, Cache& cache) {
  for (const auto& e : sink.events) ASSERT_TRUE(cache.apply_order_event(e)) << model::event_name(e);
  sink.events.clear();
}

TEST(ExecutionClientPort, CommandsComeBackAsEventsThroughTheSink) {
  QueueSink sink;
  Cache cache;
  std::unique_ptr<ExecutionClient> client = std::make_unique<FakeExecutionClient>(sink);
  auto& fake = static_cast<FakeExecutionClient&>(*client);

  model::Order order = new_limit("O-1", "S-1");
  EXPECT_EQ(client->submit_order(model::SubmitOrder{order, UnixNanos(2)}).error().code(), ErrorCode::InvalidState);
  ASSERT_TRUE(client->connect());
  EXPECT_TRUE(client->is_connected());
  EXPECT_EQ(client->venue(), VenueId("SIM"));

  ASSERT_TRUE(cache.add_order(order));
  ASSERT_TRUE(order.on_submitted(UnixNanos(2)));  // the kernel applies OrderSubmitted before sending
  ASSERT_TRUE(cache.update_order(order));
  ASSERT_TRUE(client->submit_order(model::SubmitOrder{order, UnixNanos(2)}));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(model::event_name(sink.events[0]), "OrderAccepted");
  drain(sink, cache);
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->status(), model::OrderStatus::Accepted);
  EXPECT_EQ(cache.client_order_id_for(VenueId("SIM"), VenueOrderId("V-1")), ClientOrderId("O-1"));

  fake.fill("O-1", UnixNanos(5));
  drain(sink, cache);
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->status(), model::OrderStatus::Filled);
  auto fills = client->query_fills_since(UnixNanos(0));
  ASSERT_TRUE(fills);
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ((*fills)[0].last_px, px("100.5"));
  EXPECT_TRUE(client->query_fills_since(UnixNanos(6))->empty());

  EXPECT_EQ(client->modify_order(model::ModifyOrder{}).error().code(), ErrorCode::Unsupported);
}

TEST(ExecutionClientPort, CancelAllAndReconciliationQueries) {
  QueueSink sink;
  Cache cache;
  FakeExecutionClient fake(sink);
  ExecutionClient& client = fake;
  ASSERT_TRUE(client.connect());
  for (const auto& [id, strategy] : std::vector<std::pair<std::string, std::string>>{{"O-1", "S-1"}, {"O-2", "S-1"},
                                                                                     {"O-3", "S-2"}}) {
    model::Order o = new_limit(id, strategy);
    ASSERT_TRUE(cache.add_order(o));
    ASSERT_TRUE(o.on_submitted(UnixNanos(2)));
    ASSERT_TRUE(cache.update_order(o));
    ASSERT_TRUE(client.submit_order(model::SubmitOrder{o, UnixNanos(2)}));
  }
  drain(sink, cache);
  auto open = client.query_open_orders(std::nullopt);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 3u);
  EXPECT_EQ(cache.open_order_count(), 3u);

  ASSERT_TRUE(client.cancel_all_orders(model::CancelAllOrders{core::StrategyId("S-1"), AccountId("ACC-1"), kBtc,
                                                              std::nullopt, UnixNanos(3)}));
  drain(sink, cache);
  EXPECT_EQ(cache.open_order_count(), 1u);
  EXPECT_EQ(cache.open_orders()[0]->client_order_id(), ClientOrderId("O-3"));
  EXPECT_EQ(client.query_open_orders(kBtc)->size(), 1u);
  EXPECT_TRUE(client.query_positions()->empty());

  fake.drop_connection();
  EXPECT_FALSE(client.is_connected());
  EXPECT_EQ(sink.disconnects, std::vector<std::string>{"SIM: socket closed"});
}

// ---- DataClient ----

// Forwards market data to the bus, as the kernel's data engine would (after its queue).
class BusSink final : public MarketDataSink {
 public:
  explicit BusSink(MessageBus& bus) : bus_(bus) {}
  void on_quote(const model::QuoteTick& q) override { bus_.publish("data.quotes." + q.instrument_id.value(), q); }
  void on_trade(const model::TradeTick& t) override { bus_.publish("data.trades." + t.instrument_id.value(), t); }
  void on_bar(const InstrumentId& id, core::Duration, const model::Bar& bar) override {
    bus_.publish("data.bars." + id.value(), bar);
  }
  void on_book_snapshot(const InstrumentId& id, const model::BookSnapshot& s) override {
    bus_.publish("data.book.snapshot." + id.value(), s);
  }
  void on_book_deltas(const InstrumentId& id, const model::BookUpdate& u, std::span<const model::BookDelta> d) override {
    // The span is valid only during the call: copy what the subscribers need.
    bus_.publish("data.book.deltas." + id.value(), std::make_pair(u, std::vector<model::BookDelta>(d.begin(), d.end())));
  }
  void on_disconnected(const VenueId&, const Error&) override {}

 private:
  MessageBus& bus_;
};

class FakeDataClient final : public DataClient {
 public:
  explicit FakeDataClient(MarketDataSink& sink) : sink_(sink) {}
  const VenueId& venue() const override { return venue_; }
  core::Status connect() override {
    connected_ = true;
    return core::ok();
  }
  void disconnect() override { connected_ = false; }
  bool is_connected() const override { return connected_; }
  core::Status subscribe_quotes(const InstrumentId& id) override { return add("quotes." + id.value()); }
  core::Status unsubscribe_quotes(const InstrumentId& id) override { return remove("quotes." + id.value()); }
  core::Status subscribe_trades(const InstrumentId& id) override { return add("trades." + id.value()); }
  core::Status unsubscribe_trades(const InstrumentId& id) override { return remove("trades." + id.value()); }
  core::Status subscribe_bars(const InstrumentId& id, core::Duration interval) override {
    return add("bars." + id.value() + "." + core::format_duration(interval));
  }
  core::Status unsubscribe_bars(const InstrumentId& id, core::Duration interval) override {
    return remove("bars." + id.value() + "." + core::format_duration(interval));
  }
  core::Status subscribe_book(const InstrumentId& id, std::size_t) override {
    BALLAST_TRY(add("book." + id.value()));
    return request_book_snapshot(id);
  }
  core::Status unsubscribe_book(const InstrumentId& id) override { return remove("book." + id.value()); }
  core::Status request_book_snapshot(const InstrumentId& id) override {
    model::BookSnapshot snap;
    snap.bids = {{px("100.0"), qty("1")}};
    snap.asks = {{px("100.2"), qty("2")}};
    snap.update_id = 10;
    sink_.on_book_snapshot(id, snap);
    return core::ok();
  }
  core::Result<model::BarSeries> request_bars(const InstrumentId& id, core::Duration interval, UnixNanos start,
                                              UnixNanos end) override {
    if (!connected_) return Error(ErrorCode::InvalidState, "not connected");
    model::BarSeries series{id, interval, {}};
    for (UnixNanos t = start; t < end; t += interval) {
      series.bars.push_back(model::Bar{t, t + interval, px("1"), px("2"), px("0.5"), px("1.5"), qty("10")});
    }
    return series;
  }

  // Test control: the venue pushes a delta message.
  void push_deltas(const InstrumentId& id, const model::BookUpdate& u, const std::vector<model::BookDelta>& d) {
    sink_.on_book_deltas(id, u, d);
  }
  const std::set<std::string>& streams() const { return streams_; }

 private:
  core::Status add(const std::string& stream) {
    if (!connected_) return Error(ErrorCode::InvalidState, "not connected");
    streams_.insert(stream);  // idempotent
    return core::ok();
  }
  core::Status remove(const std::string& stream) {
    streams_.erase(stream);  // a no-op when absent
    return core::ok();
  }
  MarketDataSink& sink_;
  VenueId venue_{"SIM"};
  bool connected_ = false;
  std::set<std::string> streams_;
};

TEST(DataClientPort, FeedsAnOrderBookThroughTheBusAndRecoversFromAGap) {
  MessageBus bus;
  BusSink sink(bus);
  FakeDataClient fake(sink);
  DataClient& client = fake;
  model::OrderBook book(kBtc, px("0.1"));
  int resyncs = 0;
  bus.subscribe<model::BookSnapshot>("data.book.snapshot.*", [&](const model::BookSnapshot& s) {
    ASSERT_TRUE(book.apply_snapshot(s));
  });
  using Deltas = std::pair<model::BookUpdate, std::vector<model::BookDelta>>;
  bus.subscribe<Deltas>("data.book.deltas.*", [&](const Deltas& d) {
    if (!book.apply_deltas(d.first, d.second) && book.needs_resync()) {
      ++resyncs;
      ASSERT_TRUE(client.request_book_snapshot(book.instrument_id()));
    }
  });

  EXPECT_EQ(client.subscribe_book(kBtc, 20).error().code(), ErrorCode::InvalidState);
  ASSERT_TRUE(client.connect());
  ASSERT_TRUE(client.subscribe_book(kBtc, 20));
  EXPECT_EQ(book.mid(), px("100.10"));
  fake.push_deltas(kBtc, model::BookUpdate::single(11, UnixNanos(1), UnixNanos(2)),
                   {model::BookDelta{model::OrderSide::Buy, px("100.1"), qty("3")}});
  EXPECT_EQ(book.best_bid_price(), px("100.1"));
  fake.push_deltas(kBtc, model::BookUpdate::single(15, UnixNanos(3), UnixNanos(4)),
                   {model::BookDelta{model::OrderSide::Buy, px("100.1"), qty("0")}});
  EXPECT_EQ(resyncs, 1);
  EXPECT_FALSE(book.needs_resync());
  EXPECT_EQ(book.best_bid_price(), px("100.0"));  // the fresh snapshot

  ASSERT_TRUE(client.subscribe_quotes(kBtc));
  ASSERT_TRUE(client.subscribe_quotes(kBtc));
  ASSERT_TRUE(client.subscribe_bars(kBtc, std::chrono::minutes(1)));
  ASSERT_TRUE(client.unsubscribe_trades(kBtc));
  EXPECT_EQ(fake.streams(), (std::set<std::string>{"bars.BTCUSDT.SIM.1m", "book.BTCUSDT.SIM", "quotes.BTCUSDT.SIM"}));

  auto bars = client.request_bars(kBtc, std::chrono::minutes(1), UnixNanos::from_seconds(0), UnixNanos::from_seconds(300));
  ASSERT_TRUE(bars);
  EXPECT_EQ(bars->bars.size(), 5u);
  EXPECT_EQ(bars->bars.back().ts_event, UnixNanos::from_seconds(240));
}

// ---- EventStore ----

class MemoryEventStore final : public EventStore {
 public:
  core::Result<std::uint64_t> append(std::span<const EventRecord> records) override {
    for (const EventRecord& r : records) {
      if (r.stream.empty()) return Error(ErrorCode::InvalidArgument, "record without a stream");  // nothing written
    }
    for (const EventRecord& r : records) {
      log_.push_back(r);
      log_.back().sequence = log_.size();
    }
    return static_cast<std::uint64_t>(log_.size());
  }
  core::Result<std::vector<EventRecord>> load_stream(std::string_view stream, std::uint64_t after) override {
    EventQuery q;
    q.stream = std::string(stream);
    q.after_sequence = after;
    return load(q);
  }
  core::Result<std::vector<EventRecord>> load(const EventQuery& q) override {
    std::vector<EventRecord> out;
    for (const EventRecord& r : log_) {
      if (r.sequence <= q.after_sequence) continue;
      if (q.stream && r.stream != *q.stream) continue;
      if (q.stream_prefix && !r.stream.starts_with(*q.stream_prefix)) continue;
      if (q.from && r.ts_event < *q.from) continue;
      if (q.to && r.ts_event >= *q.to) continue;
      out.push_back(r);
      if (q.limit != 0 && out.size() == q.limit) break;
    }
    return out;
  }
  core::Result<std::uint64_t> last_sequence() override { return static_cast<std::uint64_t>(log_.size()); }
  core::Status save_snapshot(const StateSnapshot& s) override {
    if (s.sequence > log_.size()) return Error(ErrorCode::InvalidArgument, "snapshot beyond the log");
    snapshots_.push_back(s);
    return core::ok();
  }
  core::Result<std::optional<StateSnapshot>> load_latest_snapshot() override {
    if (snapshots_.empty()) return std::optional<StateSnapshot>();
    return std::optional<StateSnapshot>(*std::max_element(
        snapshots_.begin(), snapshots_.end(),
        [](const StateSnapshot& a, const StateSnapshot& b) { return a.sequence < b.sequence; }));
  }

 private:
  std::vector<EventRecord> log_;
  std::vector<StateSnapshot> snapshots_;
};

EventRecord record(const std::string& stream, const std::string& type, std::int64_t ts) {
  return EventRecord{stream, type, "{}", UnixNanos(ts), UnixNanos(ts), 0};
}

TEST(EventStorePort, AppendsLoadsAndRecoversFromASnapshot) {
  MemoryEventStore memory;
  EventStore& store = memory;
  EXPECT_EQ(*store.last_sequence(), 0u);
  const std::vector<EventRecord> batch{record("order.O-1", "OrderSubmitted", 10), record("order.O-1", "OrderAccepted", 20),
                                       record("order.O-2", "OrderSubmitted", 30)};
  EXPECT_EQ(*store.append(batch), 3u);
  EXPECT_EQ(*store.append(std::vector<EventRecord>{record("risk.config", "RiskConfigChanged", 40)}), 4u);

  const std::vector<EventRecord> bad{record("order.O-3", "OrderSubmitted", 50), record("", "Broken", 50)};
  EXPECT_EQ(store.append(bad).error().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(*store.last_sequence(), 4u);  // the failed batch wrote nothing

  auto o1 = store.load_stream("order.O-1");
  ASSERT_TRUE(o1);
  ASSERT_EQ(o1->size(), 2u);
  EXPECT_EQ((*o1)[1].type, "OrderAccepted");
  EXPECT_EQ((*o1)[1].sequence, 2u);

  EventQuery orders;
  orders.stream_prefix = "order.";
  orders.from = UnixNanos(15);
  EXPECT_EQ(store.load(orders)->size(), 2u);

  ASSERT_TRUE(store.save_snapshot(StateSnapshot{3, UnixNanos(35), "ballast.state.v1", "{}"}));
  EXPECT_EQ(store.save_snapshot(StateSnapshot{9, UnixNanos(35), "ballast.state.v1", "{}"}).error().code(),
            ErrorCode::InvalidArgument);
  // Recovery: the latest snapshot, then the records after it.
  auto snap = store.load_latest_snapshot();
  ASSERT_TRUE(snap);
  ASSERT_TRUE(snap->has_value());
  EventQuery after;
  after.after_sequence = (*snap)->sequence;
  auto tail = store.load(after);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].stream, "risk.config");
}

}  // namespace
}  // namespace ballast::runtime
