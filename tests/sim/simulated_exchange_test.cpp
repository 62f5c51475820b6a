#include "ballast/sim/simulated_exchange.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::sim {
namespace {

using model::OrderSide;
using model::OrderType;
using model::TimeInForce;
using model::test::dec;
using model::test::px;
using model::test::qty;
using model::test::usdt;

constexpr std::int64_t kMinute = 60'000'000'000;

class RecordingSink final : public runtime::ExecutionEventSink {
 public:
  void on_order_event(const model::OrderEvent& event) override { events.push_back(event); }
  void on_disconnected(const core::VenueId&, const core::Error&) override {}

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(model::event_name(e));
    return out;
  }
  std::vector<model::Fill> fills() const {
    std::vector<model::Fill> out;
    for (const auto& e : events) {
      if (const auto* f = std::get_if<model::OrderFilled>(&e)) out.push_back(f->fill);
    }
    return out;
  }
  std::vector<model::OrderEvent> events;
};

model::Bar bar(int minute, std::string_view o, std::string_view h, std::string_view l, std::string_view c,
               std::string_view volume = "10") {
  return model::Bar{core::UnixNanos(minute * kMinute), core::UnixNanos((minute + 1) * kMinute), px(o), px(h), px(l),
                    px(c), qty(volume)};
}

struct Fixture {
  explicit Fixture(std::string_view participation = "1", core::Duration latency = core::Duration(0),
                   std::unique_ptr<SlippageModel> slippage = std::make_unique<NoSlippage>()) {
    SimulatedExchangeConfig config;
    config.venue = core::VenueId("BINANCE");
    config.account_id = core::AccountId("ACC-1");
    config.max_volume_participation = dec(participation);
    const model::Instrument* list[] = {&instrument};
    exchange.emplace(SimulatedExchange::create(config, list, std::move(slippage),
                                               std::make_unique<FixedLatency>(FixedLatency::create(latency).value()),
                                               sink)
                         .value());
  }

  model::SubmitOrder order(std::string id, OrderSide side, OrderType type, std::string_view quantity,
                           std::optional<std::string_view> price = {}, std::optional<std::string_view> trigger = {},
                           TimeInForce tif = TimeInForce::Gtc, bool reduce_only = false, bool post_only = false) {
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
    spec.reduce_only = reduce_only;
    spec.post_only = post_only;
    return model::SubmitOrder{model::Order::create(spec).value(), core::UnixNanos(0)};
  }

  model::Instrument instrument = model::test::linear_perp();  // tick 0.1, step 0.001, maker 2 bp, taker 4 bp
  RecordingSink sink;
  std::optional<SimulatedExchange> exchange;
};

TEST(SimulatedExchange, MarketOrderFillsAtTheNextOpenWithTheTakerFee) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("O1", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderFilled"}));
  const auto fill = f.sink.fills().at(0);
  EXPECT_EQ(fill.last_px, px("50000"));
  EXPECT_EQ(fill.last_qty, qty("0.01"));
  // 50,000 × 0.01 × 0.0004 = 0.2 USDT.
  EXPECT_EQ(fill.commission, usdt("0.2"));
  EXPECT_EQ(fill.liquidity_side, model::LiquiditySide::Taker);
  EXPECT_EQ(fill.ts_event, core::UnixNanos(1 * kMinute));  // at the open: the bar's start
  EXPECT_EQ(f.exchange->position(f.instrument.id()), dec("0.01"));
}

// A bar whose open or close is outside its low–high range is refused, saying when; it fills nothing.
TEST(SimulatedExchange, RefusesAnInconsistentBarAndFillsNothingOnIt) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("O1", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(0)));
  const auto refused = f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50150"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), core::ErrorCode::InvalidArgument);
  EXPECT_NE(refused.error().message().find("1970-01-01T00:01:00"), std::string::npos) << refused.error().message();
  EXPECT_TRUE(f.sink.fills().empty());
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50000", "50100", "49900", "50050")));
  ASSERT_EQ(f.sink.fills().size(), 1u);
  EXPECT_EQ(f.sink.fills().at(0).last_px, px("50000"));
}

TEST(SimulatedExchange, LatencyDefersAnOrderToTheFirstBarStartingAfterItArrives) {
  Fixture f("1", std::chrono::milliseconds(5));
  // Sent 1 ms before bar 1 starts, arrives 4 ms into it: bar 1 cannot fill it, bar 2 does.
  ASSERT_TRUE(f.exchange->submit(f.order("O1", OrderSide::Buy, OrderType::Market, "0.01"),
                                 core::UnixNanos(1 * kMinute - 1'000'000)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  EXPECT_TRUE(f.sink.events.empty());
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50060", "50100", "50000", "50010")));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderFilled"}));
  EXPECT_EQ(model::event_base(f.sink.events[0]).ts_event, core::UnixNanos(1 * kMinute + 4'000'000));
  EXPECT_EQ(f.sink.fills().at(0).last_px, px("50060"));
}

TEST(SimulatedExchange, VolumeParticipationSplitsAFillAcrossBars) {
  Fixture f("0.1");  // 10 % of each bar's volume
  ASSERT_TRUE(f.exchange->submit(f.order("O1", OrderSide::Buy, OrderType::Market, "1.5"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050", "10")));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50070", "50100", "50000", "50010", "10")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].last_qty, qty("1"));  // 10 % of 10
  EXPECT_EQ(fills[0].last_px, px("50000"));
  EXPECT_EQ(fills[1].last_qty, qty("0.5"));  // the rest at the next open
  EXPECT_EQ(fills[1].last_px, px("50070"));
}

TEST(SimulatedExchange, OrdersWaitingForVolumeKeepTheirTurnAndAStopTriggersEvenWhenNoVolumeIsLeft) {
  Fixture f("0.1");  // 1 of each bar's 10
  ASSERT_TRUE(f.exchange->submit(f.order("M1", OrderSide::Buy, OrderType::Market, "1"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("M2", OrderSide::Buy, OrderType::Market, "1"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("M3", OrderSide::Buy, OrderType::Market, "1"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("S", OrderSide::Sell, OrderType::StopMarket, "0.5", {}, "49500"),
                                 core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));  // M1
  // M2 takes the volume; the stop is triggered on the way down (49400 <= 49500) but nothing is left for it.
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50070", "50100", "49400", "49450")));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(3, "49000", "49100", "48900", "49050")));  // M3
  // Never below 49500: the stop fills here only because its trigger on bar 2 was kept.
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(4, "50000", "50100", "49900", "50050")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"M1", "50000"}, {"M2", "50070"}, {"M3", "49000"}, {"S", "50000"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(fills[i].client_order_id.value(), expected[i].first) << i;
    EXPECT_EQ(fills[i].last_px, px(expected[i].second)) << i;
  }
  EXPECT_EQ(fills[3].last_qty, qty("0.5"));
  EXPECT_EQ(f.exchange->position(f.instrument.id()), dec("2.5"));
}

TEST(SimulatedExchange, RestingLimitFillsAtItsPriceAsMakerWithTheMakerFee) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("O1", OrderSide::Buy, OrderType::Limit, "0.01", "49950"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49960", "50050")));  // low above
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted"}));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50000", "50020", "49950", "49990")));  // touches
  const auto fill = f.sink.fills().at(0);
  EXPECT_EQ(fill.last_px, px("49950"));
  EXPECT_EQ(fill.liquidity_side, model::LiquiditySide::Maker);
  // 49,950 × 0.01 × 0.0002 = 0.0999 USDT.
  EXPECT_EQ(fill.commission, usdt("0.0999"));
  EXPECT_EQ(fill.ts_event, core::UnixNanos(3 * kMinute));  // inside the bar: its end
}

TEST(SimulatedExchange, TakerFillsAreSlippedButMakerFillsAreNot) {
  Fixture f("1", core::Duration(0), std::make_unique<FixedBpsSlippage>(FixedBpsSlippage::create(dec("10")).value()));
  ASSERT_TRUE(f.exchange->submit(f.order("M", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("L", OrderSide::Sell, OrderType::Limit, "0.01", "50100"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].last_px, px("50050"));  // 50,000 × 1.001
  EXPECT_EQ(fills[1].last_px, px("50100"));  // the limit, unslipped
}

TEST(SimulatedExchange, StopGappedThroughFillsAtTheOpen) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("B", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  ASSERT_TRUE(f.exchange->submit(f.order("S", OrderSide::Sell, OrderType::StopMarket, "0.01", {}, "49500"),
                                 core::UnixNanos(2 * kMinute)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "49000", "49200", "48800", "49100")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[1].last_px, px("49000"));
  EXPECT_TRUE(f.exchange->position(f.instrument.id()).is_zero());
}

TEST(SimulatedExchange, IocRemainderExpiresAndFokWithoutEnoughVolumeExpiresUnfilled) {
  Fixture f("0.1");
  ASSERT_TRUE(f.exchange->submit(f.order("IOC", OrderSide::Buy, OrderType::Limit, "1.5", "50000", {}, TimeInForce::Ioc),
                                 core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050", "10")));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderFilled", "OrderExpired"}));
  EXPECT_EQ(f.sink.fills().at(0).last_qty, qty("1"));

  f.sink.events.clear();
  ASSERT_TRUE(f.exchange->submit(f.order("FOK", OrderSide::Buy, OrderType::Limit, "1.5", "50200", {}, TimeInForce::Fok),
                                 core::UnixNanos(2 * kMinute)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50060", "50100", "50000", "50010", "10")));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderExpired"}));
}

TEST(SimulatedExchange, PostOnlyOrderThatWouldTakeExpires) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(
      f.order("P", OrderSide::Buy, OrderType::Limit, "0.01", "50010", {}, TimeInForce::Gtc, false, true),
      core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderExpired"}));
}

TEST(SimulatedExchange, ReduceOnlyFillsOnlyWhatReducesThenExpires) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("B", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  ASSERT_TRUE(f.exchange->submit(
      f.order("R", OrderSide::Sell, OrderType::Market, "0.02", {}, {}, TimeInForce::Gtc, true),
      core::UnixNanos(2 * kMinute)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50060", "50100", "50000", "50010")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[1].last_qty, qty("0.01"));
  EXPECT_EQ(f.sink.names().back(), "OrderExpired");
  EXPECT_TRUE(f.exchange->position(f.instrument.id()).is_zero());
}

TEST(SimulatedExchange, CancelRemovesAWorkingOrderAndUnknownCancelsAreRejected) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("L", OrderSide::Buy, OrderType::Limit, "0.01", "40000"), core::UnixNanos(0)));
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("L");
  cancel.account_id = core::AccountId("ACC-1");
  cancel.instrument_id = f.instrument.id();
  ASSERT_TRUE(f.exchange->cancel(cancel, core::UnixNanos(10)));
  cancel.client_order_id = core::ClientOrderId("NOPE");
  ASSERT_TRUE(f.exchange->cancel(cancel, core::UnixNanos(10)));
  f.exchange->advance_to(core::UnixNanos(10));
  EXPECT_EQ(f.sink.names(), (std::vector<std::string>{"OrderAccepted", "OrderCanceled", "OrderCancelRejected"}));
  EXPECT_TRUE(f.exchange->open_orders(std::nullopt).empty());
}

TEST(SimulatedExchange, AClientOrderIdIsTakenWhileItsOrderWorksAndFreeAgainOnceItIsDone) {
  Fixture f;
  model::CancelOrder cancel;
  cancel.client_order_id = core::ClientOrderId("A");
  cancel.account_id = core::AccountId("ACC-1");
  cancel.instrument_id = f.instrument.id();
  model::ModifyOrder modify;
  modify.client_order_id = core::ClientOrderId("A");
  modify.account_id = core::AccountId("ACC-1");
  modify.instrument_id = f.instrument.id();
  modify.price = px("40100");
  ASSERT_TRUE(f.exchange->submit(f.order("A", OrderSide::Buy, OrderType::Limit, "0.01", "40000"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("A", OrderSide::Buy, OrderType::Limit, "0.01", "40000"), core::UnixNanos(1)));
  ASSERT_TRUE(f.exchange->modify(modify, core::UnixNanos(2)));  // found again under its new sequence below
  modify.price = px("40200");
  ASSERT_TRUE(f.exchange->modify(modify, core::UnixNanos(3)));
  ASSERT_TRUE(f.exchange->cancel(cancel, core::UnixNanos(4)));
  ASSERT_TRUE(f.exchange->cancel(cancel, core::UnixNanos(5)));  // gone
  ASSERT_TRUE(f.exchange->submit(f.order("A", OrderSide::Buy, OrderType::Market, "0.01"), core::UnixNanos(6)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));  // fills A
  ASSERT_TRUE(f.exchange->submit(f.order("A", OrderSide::Sell, OrderType::Market, "0.01"), core::UnixNanos(2 * kMinute)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(2, "50000", "50100", "49900", "50050")));
  EXPECT_EQ(f.sink.names(),
            (std::vector<std::string>{"OrderAccepted", "OrderRejected", "OrderUpdated", "OrderUpdated", "OrderCanceled",
                                      "OrderCancelRejected", "OrderAccepted", "OrderFilled", "OrderAccepted",
                                      "OrderFilled"}));
  EXPECT_NE(std::get<model::OrderRejected>(f.sink.events[1]).reason.find("duplicate client order id A"),
            std::string::npos);
  EXPECT_EQ(std::get<model::OrderUpdated>(f.sink.events[3]).price, px("40200"));
  EXPECT_TRUE(f.exchange->position(f.instrument.id()).is_zero());
  EXPECT_TRUE(f.exchange->open_orders(std::nullopt).empty());
}

TEST(SimulatedExchange, ModifiedOrderLosesTimePriority) {
  Fixture f("0.1");  // 1.0 of volume available on a bar of 10
  ASSERT_TRUE(f.exchange->submit(f.order("A", OrderSide::Buy, OrderType::Limit, "1", "49950"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->submit(f.order("B", OrderSide::Buy, OrderType::Limit, "1", "49950"), core::UnixNanos(0)));
  model::ModifyOrder modify;
  modify.client_order_id = core::ClientOrderId("A");
  modify.account_id = core::AccountId("ACC-1");
  modify.instrument_id = f.instrument.id();
  modify.quantity = qty("2");
  ASSERT_TRUE(f.exchange->modify(modify, core::UnixNanos(1)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50020", "49900", "49990", "10")));
  const auto fills = f.sink.fills();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].client_order_id.value(), "B");  // A went to the back of the queue
}

TEST(SimulatedExchange, RejectsOrdersOffTheTick) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("X", OrderSide::Buy, OrderType::Limit, "0.01", "50000.05"), core::UnixNanos(0)));
  f.exchange->advance_to(core::UnixNanos(0));
  ASSERT_EQ(f.sink.names(), (std::vector<std::string>{"OrderRejected"}));
  EXPECT_NE(std::get<model::OrderRejected>(f.sink.events[0]).reason.find("tick"), std::string::npos);
}

TEST(SimulatedExchange, SameInputsGiveTheSameEvents) {
  const auto run = [] {
    Fixture f("0.3", core::Duration(0),
              std::make_unique<FixedBpsSlippage>(FixedBpsSlippage::create(dec("3")).value()));
    for (int i = 0; i < 5; ++i) {
      const auto side = i % 2 == 0 ? OrderSide::Buy : OrderSide::Sell;
      EXPECT_TRUE(f.exchange->submit(f.order("O" + std::to_string(i), side, OrderType::Market, "2"),
                                     core::UnixNanos(i * kMinute)));
      EXPECT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(i + 1, "50000", "50100", "49900", "50050", "4")));
    }
    return f.sink.fills();
  };
  const auto a = run();
  const auto b = run();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].trade_id, b[i].trade_id);
    EXPECT_EQ(a[i].last_px, b[i].last_px);
    EXPECT_EQ(a[i].last_qty, b[i].last_qty);
  }
}

}  // namespace
}  // namespace ballast::sim

namespace ballast::sim {
namespace {

TEST(SimulatedExchangeFunding, LongsPayShortsWhenTheRateIsPositive) {
  Fixture f;
  ASSERT_TRUE(f.exchange->submit(f.order("B", OrderSide::Buy, OrderType::Market, "0.5"), core::UnixNanos(0)));
  ASSERT_TRUE(f.exchange->on_bar(f.instrument.id(), bar(1, "50000", "50100", "49900", "50050")));
  // 0.5 BTC long at mark 50,000 with rate 0.0001: notional 25,000 → pays 2.5 USDT.
  const auto paid = f.exchange->apply_funding(f.instrument.id(), dec("0.0001"), px("50000"), core::UnixNanos(8 * kMinute));
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->amount, usdt("-2.5"));
  EXPECT_EQ(paid->position, dec("0.5"));
  // A negative rate pays the long: −0.00005 → receives 1.25.
  EXPECT_EQ(f.exchange->apply_funding(f.instrument.id(), dec("-0.00005"), px("50000"), core::UnixNanos(9 * kMinute))
                ->amount,
            usdt("1.25"));
}

TEST(SimulatedExchangeFunding, RefusesANonPositiveMark) {
  Fixture f;
  EXPECT_FALSE(f.exchange->apply_funding(f.instrument.id(), dec("0.0001"), px("0"), core::UnixNanos(0)));
}

}  // namespace
}  // namespace ballast::sim
