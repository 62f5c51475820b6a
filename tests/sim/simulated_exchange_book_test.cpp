#include "ballast/sim/simulated_exchange.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

namespace ballast::sim {
namespace {

using model::OrderSide;
using model::OrderType;
using model::TimeInForce;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

class RecordingSink final : public runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override { events.push_back(event); }
  void on_disconnected(const core::VenueId&, const core::Error&) override {}
  std::vector<model::Fill> fills() const {
    std::vector<model::Fill> out;
    for (const auto& e : events) {
      if (const auto* f = std::get_if<model::OrderFilled>(&e)) out.push_back(f->fill);
    }
    return out;
  }
  std::string last() const { return std::string(model::event_name(events.back())); }
  std::vector<model::OrderEvent> events;
};

struct BookFixture {
  BookFixture() : l2(instrument.id(), instrument.tick_size()) {
    SimulatedExchangeConfig config;
    config.venue = core::VenueId("BINANCE");
    config.account_id = core::AccountId("ACC-1");
    const model::Instrument* list[] = {&instrument};
    exchange.emplace(SimulatedExchange::create(config, list, std::make_unique<NoSlippage>(),
                                               std::make_unique<FixedLatency>(FixedLatency::create(core::Duration(0)).value()),
                                               sink)
                         .value());
    model::BookSnapshot snapshot;
    snapshot.bids = {{px("49999.9"), qty("2")}, {px("49999.8"), qty("3")}};
    snapshot.asks = {{px("50000.0"), qty("0.5")}, {px("50000.1"), qty("1")}, {px("50000.2"), qty("4")}};
    snapshot.update_id = 1;
    EXPECT_TRUE(l2.apply_snapshot(snapshot));
  }

  void submit(std::string id, OrderSide side, OrderType type, std::string_view quantity,
              std::optional<std::string_view> price = {}, TimeInForce tif = TimeInForce::Gtc,
              std::optional<std::string_view> trigger = {}) {
    model::OrderSpec spec;
    spec.client_order_id = core::ClientOrderId(std::move(id));
    spec.strategy_id = core::StrategyId("S-1");
    spec.account_id = core::AccountId("ACC-1");
    spec.instrument_id = instrument.id();
    spec.side = side;
    spec.type = type;
    spec.quantity = qty(quantity);
    if (price) spec.price = px(*price);
    if (trigger) spec.trigger_price = px(*trigger);
    spec.time_in_force = tif;
    ASSERT_TRUE(exchange->submit(model::SubmitOrder{model::Order::create(spec).value(), now}, now));
  }

  void book_update(OrderSide side, std::string_view price, std::string_view size) {
    ++update_id;
    ASSERT_TRUE(l2.apply_delta(model::BookUpdate::single(update_id, now, now), {side, px(price), qty(size)}));
  }

  void trade(std::string_view price, std::string_view size, model::AggressorSide aggressor) {
    model::TradeTick t;
    t.instrument_id = instrument.id();
    t.price = px(price);
    t.size = qty(size);
    t.aggressor = aggressor;
    t.ts_event = now;
    t.ts_recv = now;
    ASSERT_TRUE(exchange->on_trade(t));
  }

  model::Instrument instrument = model::test::linear_perp();
  model::OrderBook l2;
  RecordingSink sink;
  std::optional<SimulatedExchange> exchange;
  core::UnixNanos now{1'000};
  std::uint64_t update_id{1};
};

TEST(SimulatedExchangeBook, MarketOrderWalksTheAsksLevelByLevel) {
  BookFixture f;
  f.submit("M", OrderSide::Buy, OrderType::Market, "1.2");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].last_px, px("50000.0"));
  EXPECT_EQ(fills[0].last_qty, qty("0.5"));
  EXPECT_EQ(fills[1].last_px, px("50000.1"));
  EXPECT_EQ(fills[1].last_qty, qty("0.7"));
  // Taker 4 bp: 50,000.0 × 0.5 × 0.0004 = 10; 50,000.1 × 0.7 × 0.0004 = 14.000028.
  EXPECT_EQ(fills[0].commission, usdt("10"));
  EXPECT_EQ(fills[1].commission, usdt("14.000028"));
}

TEST(SimulatedExchangeBook, TwoOrdersInOneEventDoNotShareTheSameLiquidity) {
  BookFixture f;
  f.submit("A", OrderSide::Buy, OrderType::Market, "0.4");
  f.submit("B", OrderSide::Buy, OrderType::Market, "0.4");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 3u);
  EXPECT_EQ(fills[1].last_qty, qty("0.1"));  // B gets what A left at 50,000.0 ...
  EXPECT_EQ(fills[2].last_px, px("50000.1"));  // ... and the rest one level deeper
  EXPECT_EQ(fills[2].last_qty, qty("0.3"));
}

TEST(SimulatedExchangeBook, RestingLimitFillsOnlyAfterTheQueueAheadHasTraded) {
  BookFixture f;
  f.submit("L", OrderSide::Buy, OrderType::Limit, "1", "49999.9");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));  // joins behind 2 at 49,999.9
  f.trade("49999.9", "1.5", model::AggressorSide::Seller);
  EXPECT_TRUE(f.sink.fills().empty());  // 0.5 still ahead
  f.trade("49999.9", "1", model::AggressorSide::Seller);  // 0.5 ahead, then 0.5 to us
  ASSERT_EQ(f.sink.fills().size(), 1u);
  EXPECT_EQ(f.sink.fills()[0].last_qty, qty("0.5"));
  EXPECT_EQ(f.sink.fills()[0].liquidity_side, model::LiquiditySide::Maker);
  f.trade("49999.8", "0.1", model::AggressorSide::Seller);  // traded through our level: the rest fills
  ASSERT_EQ(f.sink.fills().size(), 2u);
  EXPECT_EQ(f.sink.fills()[1].last_qty, qty("0.5"));
  EXPECT_EQ(f.sink.fills()[1].last_px, px("49999.9"));
}

TEST(SimulatedExchangeBook, BuyerInitiatedTradesAtOurBidDoNotFillIt) {
  BookFixture f;
  f.submit("L", OrderSide::Buy, OrderType::Limit, "1", "49999.9");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  f.trade("49999.9", "10", model::AggressorSide::Buyer);
  EXPECT_TRUE(f.sink.fills().empty());
}

TEST(SimulatedExchangeBook, CancelsAheadMoveUsUpTheQueue) {
  BookFixture f;
  f.submit("L", OrderSide::Buy, OrderType::Limit, "1", "49999.9");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  f.book_update(OrderSide::Buy, "49999.9", "0.2");  // the level shrank from 2 to 0.2
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  f.trade("49999.9", "0.5", model::AggressorSide::Seller);  // 0.2 ahead, 0.3 to us
  ASSERT_EQ(f.sink.fills().size(), 1u);
  EXPECT_EQ(f.sink.fills()[0].last_qty, qty("0.3"));
}

TEST(SimulatedExchangeBook, QuotesThroughARestingLimitFillItInFull) {
  BookFixture f;
  f.submit("L", OrderSide::Buy, OrderType::Limit, "1", "49999.9");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  f.book_update(OrderSide::Sell, "49999.9", "3");  // an ask at our bid price: the market came to us
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  ASSERT_EQ(f.sink.fills().size(), 1u);
  EXPECT_EQ(f.sink.fills()[0].last_qty, qty("1"));
  EXPECT_EQ(f.sink.fills()[0].last_px, px("49999.9"));
}

TEST(SimulatedExchangeBook, FokWithoutEnoughDepthExpiresAndIocTakesWhatThereIs) {
  BookFixture f;
  f.submit("F", OrderSide::Buy, OrderType::Limit, "2", "50000.1", TimeInForce::Fok);  // only 1.5 within the limit
  f.submit("I", OrderSide::Buy, OrderType::Limit, "2", "50000.1", TimeInForce::Ioc);
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].client_order_id.value(), "I");
  EXPECT_EQ(fills[0].last_qty, qty("0.5"));
  EXPECT_EQ(fills[1].last_qty, qty("1"));
  EXPECT_EQ(f.sink.last(), "OrderExpired");  // the IOC remainder
  EXPECT_TRUE(f.exchange->open_orders(std::nullopt).empty());
}

TEST(SimulatedExchangeBook, StopTriggersWhenTheAskReachesItAndWalksTheBook) {
  BookFixture f;
  f.submit("S", OrderSide::Buy, OrderType::StopMarket, "0.5", {}, TimeInForce::Gtc, "50000.1");
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));  // ask 50,000.0 < 50,000.1: not triggered
  EXPECT_TRUE(f.sink.fills().empty());
  f.book_update(OrderSide::Sell, "50000.0", "0");  // best ask now 50,000.1
  ASSERT_TRUE(f.exchange->on_book(f.l2, f.now));
  ASSERT_EQ(f.sink.fills().size(), 1u);
  EXPECT_EQ(f.sink.fills()[0].last_px, px("50000.1"));
}

}  // namespace
}  // namespace ballast::sim
