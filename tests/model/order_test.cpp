#include "ballast/model/order.hpp"

#include "ballast/model/commands.hpp"
#include "ballast/model/events.hpp"
#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace ballast::model {
namespace {

using test::at;
using test::px;
using test::qty;
using test::usdt;

OrderSpec limit_spec() {
  return OrderSpec{
      .client_order_id = core::ClientOrderId("O-1"),
      .strategy_id = core::StrategyId("S-1"),
      .account_id = core::AccountId("ACC-1"),
      .instrument_id = test::instrument_id("BTCUSDT-PERP.BINANCE"),
      .side = OrderSide::Buy,
      .type = OrderType::Limit,
      .quantity = qty("10"),
      .price = px("100"),
      .ts_init = at(1),
  };
}

Fill fill(std::string_view trade, std::string_view quantity, std::string_view price, std::int64_t ts = 10) {
  return Fill{
      .trade_id = core::TradeId(std::string(trade)),
      .client_order_id = core::ClientOrderId("O-1"),
      .venue_order_id = core::VenueOrderId("V-1"),
      .instrument_id = test::instrument_id("BTCUSDT-PERP.BINANCE"),
      .account_id = core::AccountId("ACC-1"),
      .side = OrderSide::Buy,
      .last_qty = qty(quantity),
      .last_px = px(price),
      .commission = usdt("0.01"),
      .ts_event = at(ts),
      .ts_recv = at(ts),
  };
}

void ok(const core::Status& s) {
  ASSERT_TRUE(s) << s.error().to_string();
}

Order accepted_order() {
  Order o = Order::create(limit_spec()).value();
  EXPECT_TRUE(o.on_submitted(at(2)));
  EXPECT_TRUE(o.on_accepted(core::VenueOrderId("V-1"), at(3)));
  return o;
}

TEST(Order, CreatesAnInitializedLimitOrder) {
  const Order order = Order::create(limit_spec()).value();
  EXPECT_EQ(order.status(), OrderStatus::Initialized);
  EXPECT_EQ(order.quantity(), qty("10"));
  EXPECT_EQ(order.leaves_qty(), qty("10"));
  EXPECT_TRUE(order.filled_qty().is_zero());
  EXPECT_FALSE(order.avg_px().has_value());
  EXPECT_FALSE(order.venue_order_id().has_value());
  EXPECT_EQ(order.ts_last(), at(1));
  EXPECT_FALSE(order.is_open());
  EXPECT_FALSE(order.is_closed());
}

struct FactoryCase {
  std::string name;
  std::function<void(OrderSpec&)> change;
  std::string where;
  std::string message;
};

TEST(Order, FactoryErrorsNameTheField) {
  const std::vector<FactoryCase> cases{
      {"no client order id", [](OrderSpec& s) { s.client_order_id = {}; }, "order.client_order_id",
       "order.client_order_id must be set"},
      {"no strategy", [](OrderSpec& s) { s.strategy_id = {}; }, "order.strategy_id", "order.strategy_id must be set"},
      {"no account", [](OrderSpec& s) { s.account_id = {}; }, "order.account_id", "order.account_id must be set"},
      {"no instrument", [](OrderSpec& s) { s.instrument_id = {}; }, "order.instrument_id",
       "order.instrument_id must be set"},
      {"zero quantity", [](OrderSpec& s) { s.quantity = qty("0"); }, "order.quantity",
       "order.quantity must be positive, got 0"},
      {"limit without price", [](OrderSpec& s) { s.price.reset(); }, "order.price",
       "order.price is required for LIMIT orders"},
      {"limit with trigger", [](OrderSpec& s) { s.trigger_price = px("95"); }, "order.trigger_price",
       "order.trigger_price must be absent for LIMIT orders"},
      {"market with price", [](OrderSpec& s) { s.type = OrderType::Market; }, "order.price",
       "order.price must be absent for MARKET orders"},
      {"stop market without trigger",
       [](OrderSpec& s) {
         s.type = OrderType::StopMarket;
         s.price.reset();
       },
       "order.trigger_price", "order.trigger_price is required for STOP_MARKET orders"},
      {"stop market with price",
       [](OrderSpec& s) {
         s.type = OrderType::StopMarket;
         s.trigger_price = px("95");
       },
       "order.price", "order.price must be absent for STOP_MARKET orders"},
      {"stop limit without trigger", [](OrderSpec& s) { s.type = OrderType::StopLimit; }, "order.trigger_price",
       "order.trigger_price is required for STOP_LIMIT orders"},
      {"stop limit without price",
       [](OrderSpec& s) {
         s.type = OrderType::StopLimit;
         s.trigger_price = px("95");
         s.price.reset();
       },
       "order.price", "order.price is required for STOP_LIMIT orders"},
      {"take profit without trigger", [](OrderSpec& s) { s.type = OrderType::TakeProfit; }, "order.trigger_price",
       "order.trigger_price is required for TAKE_PROFIT orders"},
      {"negative price", [](OrderSpec& s) { s.price = px("-1"); }, "order.price",
       "order.price must be positive, got -1"},
      {"zero trigger",
       [](OrderSpec& s) {
         s.type = OrderType::StopLimit;
         s.trigger_price = px("0");
       },
       "order.trigger_price", "order.trigger_price must be positive, got 0"},
      {"post-only market",
       [](OrderSpec& s) {
         s.type = OrderType::Market;
         s.price.reset();
         s.post_only = true;
       },
       "order.post_only", "order.post_only is only for LIMIT orders, not MARKET"},
      {"post-only IOC",
       [](OrderSpec& s) {
         s.post_only = true;
         s.time_in_force = TimeInForce::Ioc;
       },
       "order.post_only", "order.post_only orders must rest: time_in_force GTC or GTD, not IOC"},
      {"GTD without expire time", [](OrderSpec& s) { s.time_in_force = TimeInForce::Gtd; }, "order.expire_time",
       "order.expire_time is required for GTD orders"},
      {"expire time without GTD", [](OrderSpec& s) { s.expire_time = at(100); }, "order.expire_time",
       "order.expire_time is only for GTD orders, not GTC"},
      {"GTD expiring at creation",
       [](OrderSpec& s) {
         s.time_in_force = TimeInForce::Gtd;
         s.expire_time = at(1);
       },
       "order.expire_time", "order.expire_time must be after ts_init (1970-01-01T00:00:01Z <= 1970-01-01T00:00:01Z)"},
      {"market GTD",
       [](OrderSpec& s) {
         s.type = OrderType::Market;
         s.price.reset();
         s.time_in_force = TimeInForce::Gtd;
         s.expire_time = at(100);
       },
       "order.time_in_force", "order.time_in_force GTD is not for MARKET orders"},
  };
  for (const FactoryCase& c : cases) {
    SCOPED_TRACE(c.name);
    OrderSpec spec = limit_spec();
    c.change(spec);
    const auto result = Order::create(spec);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), core::ErrorCode::InvalidArgument);
    EXPECT_EQ(result.error().where(), c.where);
    EXPECT_EQ(result.error().message(), c.message);
  }
}

TEST(Order, FactoryAcceptsEveryWellFormedType) {
  OrderSpec market = limit_spec();
  market.type = OrderType::Market;
  market.price.reset();
  market.time_in_force = TimeInForce::Ioc;
  EXPECT_TRUE(Order::create(market));
  OrderSpec stop_limit = limit_spec();
  stop_limit.type = OrderType::StopLimit;
  stop_limit.trigger_price = px("99");
  EXPECT_TRUE(Order::create(stop_limit));
  OrderSpec take_profit_market = limit_spec();
  take_profit_market.type = OrderType::TakeProfit;
  take_profit_market.price.reset();
  take_profit_market.trigger_price = px("120");
  EXPECT_TRUE(Order::create(take_profit_market));
  OrderSpec take_profit_limit = take_profit_market;
  take_profit_limit.price = px("119.5");
  EXPECT_TRUE(Order::create(take_profit_limit));
  OrderSpec gtd_post_only = limit_spec();
  gtd_post_only.time_in_force = TimeInForce::Gtd;
  gtd_post_only.expire_time = at(3600);
  gtd_post_only.post_only = true;
  gtd_post_only.reduce_only = true;
  const Order order = Order::create(gtd_post_only).value();
  EXPECT_TRUE(order.is_post_only());
  EXPECT_TRUE(order.is_reduce_only());
  EXPECT_EQ(order.expire_time(), at(3600));
}

TEST(Order, PartialFillsAccumulateAndTheAverageIsExact) {
  Order order = accepted_order();
  ok(order.on_fill(fill("T-1", "1", "100", 10)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  ok(order.on_fill(fill("T-2", "2", "101", 11)));
  EXPECT_EQ(order.filled_qty(), qty("3"));
  EXPECT_EQ(order.leaves_qty(), qty("7"));
  // Σ px × qty = 100 × 1 + 101 × 2 = 302 (exact); average 302 / 3 = 100.6666…
  EXPECT_EQ(order.fill_value(), test::dec("302"));
  EXPECT_EQ(order.avg_px().value(), px("100.6667"));  // fill prices have 0 places, + 4
  EXPECT_EQ(order.avg_px(8).value(), px("100.66666667"));
  EXPECT_EQ(order.avg_px(2, RoundingMode::Down).value(), px("100.66"));
  ok(order.on_fill(fill("T-3", "7", "100.55", 12)));
  EXPECT_EQ(order.status(), OrderStatus::Filled);
  EXPECT_TRUE(order.leaves_qty().is_zero());
  // 302 + 7 × 100.55 = 302 + 703.85 = 1005.85; / 10 = 100.585
  EXPECT_EQ(order.avg_px().value(), px("100.585"));
  EXPECT_EQ(order.trade_ids().size(), 3U);
  EXPECT_EQ(order.ts_last(), at(12));
  EXPECT_TRUE(order.is_closed());
}

TEST(Order, RefusesAnOverfillAndLeavesTheOrderUnchanged) {
  Order order = accepted_order();
  ok(order.on_fill(fill("T-1", "6", "100")));
  const core::Status overfill = order.on_fill(fill("T-2", "5", "100"));
  ASSERT_FALSE(overfill);
  EXPECT_EQ(overfill.error().code(), core::ErrorCode::OutOfRange);
  EXPECT_EQ(overfill.error().message(), "fill T-2 of 5 would overfill: filled 6 + 5 exceeds quantity 10");
  EXPECT_EQ(order.filled_qty(), qty("6"));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
}

TEST(Order, RefusesARepeatedTradeIdAndFillsOfAnotherOrderOrSide) {
  Order order = accepted_order();
  ok(order.on_fill(fill("T-1", "1", "100")));
  const core::Status repeated = order.on_fill(fill("T-1", "1", "100"));
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code(), core::ErrorCode::AlreadyExists);
  Fill other = fill("T-2", "1", "100");
  other.client_order_id = core::ClientOrderId("O-2");
  EXPECT_EQ(order.on_fill(other).error().message(), "fill T-2 belongs to order O-2");
  Fill sell = fill("T-3", "1", "100");
  sell.side = OrderSide::Sell;
  EXPECT_EQ(order.on_fill(sell).error().message(), "fill T-3 is a SELL, the order a BUY");
  Fill venue = fill("T-4", "1", "100");
  venue.venue_order_id = core::VenueOrderId("V-9");
  EXPECT_EQ(order.on_fill(venue).error().message(), "venue order id V-9 differs from the acknowledged V-1");
  EXPECT_EQ(order.filled_qty(), qty("1"));
}

TEST(Order, FillBeforeTheAcknowledgmentImpliesAcceptance) {
  Order order = Order::create(limit_spec()).value();
  ok(order.on_submitted(at(2)));
  ok(order.on_fill(fill("T-1", "4", "100", 3)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order.venue_order_id(), core::VenueOrderId("V-1"));
  // The late acknowledgment keeps the progress.
  ok(order.on_accepted(core::VenueOrderId("V-1"), at(4)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order.on_accepted(core::VenueOrderId("V-2"), at(5)).error().code(), core::ErrorCode::InvalidArgument);
}

TEST(Order, FillThatRacesACancelWinsAndTheLateCancelIsRefused) {
  Order order = accepted_order();
  ok(order.on_pending_cancel(at(4)));
  EXPECT_TRUE(order.is_inflight());
  ok(order.on_fill(fill("T-1", "10", "100", 5)));
  EXPECT_EQ(order.status(), OrderStatus::Filled);
  const core::Status canceled = order.on_canceled(at(6));
  ASSERT_FALSE(canceled);
  EXPECT_EQ(canceled.error().message(), "order status cannot change from FILLED to CANCELED");
}

TEST(Order, PartialFillDuringACancelThenTheCancelConfirms) {
  Order order = accepted_order();
  ok(order.on_pending_cancel(at(4)));
  ok(order.on_fill(fill("T-1", "3", "100", 5)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  ok(order.on_canceled(at(6)));
  EXPECT_EQ(order.status(), OrderStatus::Canceled);
  EXPECT_EQ(order.filled_qty(), qty("3"));
  EXPECT_TRUE(order.leaves_qty().is_zero());  // nothing left working once canceled
}

TEST(Order, RefusedCancelReturnsToTheWorkingStatus) {
  Order order = accepted_order();
  ok(order.on_fill(fill("T-1", "2", "100")));
  ok(order.on_pending_cancel(at(11)));
  ok(order.on_cancel_rejected("order is being matched", at(12)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order.status_reason(), "order is being matched");

  Order unacknowledged = Order::create(limit_spec()).value();
  ok(unacknowledged.on_submitted(at(2)));
  ok(unacknowledged.on_pending_cancel(at(3)));
  ok(unacknowledged.on_cancel_rejected("unknown order", at(4)));
  EXPECT_EQ(unacknowledged.status(), OrderStatus::Submitted);
}

TEST(Order, VenueRejectionDuringACancelOnlyBeforeAcceptance) {
  Order order = Order::create(limit_spec()).value();
  ok(order.on_submitted(at(2)));
  ok(order.on_pending_cancel(at(3)));
  ok(order.on_rejected("insufficient margin", at(4)));
  EXPECT_EQ(order.status(), OrderStatus::Rejected);
  EXPECT_EQ(order.status_reason(), "insufficient margin");

  Order accepted = accepted_order();
  ok(accepted.on_pending_cancel(at(4)));
  EXPECT_EQ(accepted.on_rejected("?", at(5)).error().code(), core::ErrorCode::InvalidState);
}

TEST(Order, ConfirmedUpdateChangesTheTermsAndReturnsToWorking) {
  Order order = accepted_order();
  ok(order.on_fill(fill("T-1", "4", "100")));
  ok(order.on_pending_update(at(11)));
  ok(order.on_updated(qty("12"), px("99.5"), std::nullopt, at(12)));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order.quantity(), qty("12"));
  EXPECT_EQ(order.leaves_qty(), qty("8"));
  EXPECT_EQ(order.price(), px("99.5"));
  // Below the filled quantity is impossible; equal to it completes the order.
  EXPECT_EQ(order.on_updated(qty("3"), std::nullopt, std::nullopt, at(13)).error().code(),
            core::ErrorCode::InvalidArgument);
  EXPECT_EQ(order.on_updated(qty("10"), std::nullopt, px("90"), at(13)).error().message(),
            "a LIMIT order has no trigger price to update");
  ok(order.on_updated(qty("4"), std::nullopt, std::nullopt, at(14)));
  EXPECT_EQ(order.status(), OrderStatus::Filled);
}

TEST(Order, UpdateNeedsAnAcknowledgedOrder) {
  Order order = Order::create(limit_spec()).value();
  ok(order.on_submitted(at(2)));
  const core::Status update = order.on_updated(qty("5"), std::nullopt, std::nullopt, at(3));
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code(), core::ErrorCode::InvalidState);
  EXPECT_EQ(update.error().message(), "an update needs an acknowledged, working order; status is SUBMITTED");
}

TEST(Order, AppliesEventsThroughTheVariant) {
  Order order = Order::create(limit_spec()).value();
  const OrderEventBase base{.client_order_id = core::ClientOrderId("O-1"),
                            .strategy_id = core::StrategyId("S-1"),
                            .account_id = core::AccountId("ACC-1"),
                            .instrument_id = test::instrument_id("BTCUSDT-PERP.BINANCE"),
                            .ts_event = at(2),
                            .ts_init = at(2)};
  ok(order.apply(OrderSubmitted{base}));
  ok(order.apply(OrderAccepted{base, core::VenueOrderId("V-1")}));
  ok(order.apply(OrderFilled{base, fill("T-1", "2.5", "100.1", 3)}));
  ok(order.apply(OrderPendingUpdate{base}));
  ok(order.apply(OrderUpdated{base, std::nullopt, qty("5"), px("100.2"), std::nullopt}));
  EXPECT_EQ(order.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(order.leaves_qty(), qty("2.5"));
  ok(order.apply(OrderExpired{base, core::VenueOrderId("V-1")}));
  EXPECT_EQ(order.status(), OrderStatus::Expired);
  EXPECT_EQ(order.ts_last(), at(3));  // never moves backwards

  OrderEventBase other = base;
  other.client_order_id = core::ClientOrderId("O-2");
  const core::Status wrong = order.apply(OrderCanceled{other, std::nullopt});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message(), "OrderCanceled for order O-2 applied to order O-1");

  Order denied = Order::create(limit_spec()).value();
  ok(denied.apply(OrderDenied{base, "NOTIONAL_EXCEEDS_MAX_PER_ORDER", "notional 5000 > 1000"}));
  EXPECT_EQ(denied.status(), OrderStatus::Denied);
  EXPECT_EQ(denied.status_reason(), "NOTIONAL_EXCEEDS_MAX_PER_ORDER: notional 5000 > 1000");
}

TEST(Order, EventHelpersNameEventsAndExposeTheirIds) {
  const OrderEventBase base{.client_order_id = core::ClientOrderId("O-7"), .ts_event = at(5), .ts_init = at(6)};
  const OrderEvent event = OrderRejected{base, "bad"};
  EXPECT_EQ(event_name(event), "OrderRejected");
  EXPECT_EQ(event_base(event).client_order_id, core::ClientOrderId("O-7"));
  EXPECT_EQ(event_base(event).ts_init, at(6));
}

TEST(Order, SubmitOrderCommandCarriesTheOrder) {
  const SubmitOrder submit{Order::create(limit_spec()).value(), at(1)};
  EXPECT_EQ(submit.order.client_order_id(), core::ClientOrderId("O-1"));
  const TradingCommand command = CancelAllOrders{.strategy_id = core::StrategyId("S-1"),
                                                 .account_id = core::AccountId("ACC-1"),
                                                 .instrument_id = test::instrument_id("BTCUSDT-PERP.BINANCE"),
                                                 .ts_init = at(2)};
  EXPECT_TRUE(std::holds_alternative<CancelAllOrders>(command));
  EXPECT_FALSE(std::get<CancelAllOrders>(command).side.has_value());
}

}  // namespace
}  // namespace ballast::model
