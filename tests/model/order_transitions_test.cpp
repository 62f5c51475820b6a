// The order status machine, checked two ways:
//  1. the table (kOrderTransitions) against an independent 11×11 restatement of the documented rules;
//  2. the Order's event methods: from every reachable status, every kind of event either moves along the
//     table or is refused without changing the order, and every row of the table is reachable by events.

#include "ballast/model/order.hpp"

#include "model/test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ballast::model {
namespace {

using test::at;
using test::px;
using test::qty;

constexpr std::array<OrderStatus, 11> kAll{
    OrderStatus::Initialized, OrderStatus::Submitted,     OrderStatus::Accepted,     OrderStatus::PartiallyFilled,
    OrderStatus::Filled,      OrderStatus::Denied,        OrderStatus::Rejected,     OrderStatus::Canceled,
    OrderStatus::Expired,     OrderStatus::PendingCancel, OrderStatus::PendingUpdate};

// Rows: from; columns: to — both in kAll order (INIT SUB ACC PART FILL DEN REJ CANC EXP PCAN PUPD).
// '1' = allowed. Written from the rules in order.hpp, not generated from kOrderTransitions.
constexpr std::array<std::string_view, 11> kExpected{
    ".1...1.11..",  // INITIALIZED → SUBMITTED, DENIED, CANCELED, EXPIRED
    "..111.1111.",  // SUBMITTED → ACCEPTED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELED, EXPIRED, PENDING_CANCEL
    "..111..1111",  // ACCEPTED → ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, PENDING_*
    "...11..1111",  // PARTIALLY_FILLED → PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, PENDING_*
    "...........",  // FILLED is terminal
    "...........",  // DENIED is terminal
    "...........",  // REJECTED is terminal
    "...........",  // CANCELED is terminal
    "...........",  // EXPIRED is terminal
    ".1111.1111.",  // PENDING_CANCEL → SUBMITTED, ACCEPTED, PARTIALLY_FILLED, FILLED, REJECTED, CANCELED, EXPIRED,
                    // itself
    "..111..1111",  // PENDING_UPDATE → ACCEPTED, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, PENDING_*
};

TEST(OrderTransitions, TableMatchesTheDocumentedRulesForAll121Pairs) {
  int allowed = 0;
  for (std::size_t f = 0; f < kAll.size(); ++f) {
    for (std::size_t t = 0; t < kAll.size(); ++t) {
      const OrderStatus from = kAll[f];
      const OrderStatus to = kAll[t];
      const bool expected = kExpected[f][t] == '1';
      SCOPED_TRACE(std::string(to_string(from)) + " -> " + std::string(to_string(to)));
      EXPECT_EQ(is_transition_allowed(from, to), expected);
      const core::Status status = check_transition(from, to);
      EXPECT_EQ(static_cast<bool>(status), expected);
      if (expected) {
        ++allowed;
      } else {
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().code(), core::ErrorCode::InvalidState);
        EXPECT_EQ(status.error().message(), "order status cannot change from " + std::string(to_string(from)) + " to " +
                                                std::string(to_string(to)));
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(kOrderTransitions.size()));
}

TEST(OrderTransitions, TableHasNoDuplicatesAndTerminalStatusesHaveNoExit) {
  std::set<std::pair<OrderStatus, OrderStatus>> seen;
  for (const auto& t : kOrderTransitions) {
    EXPECT_TRUE(seen.insert({t.from, t.to}).second) << to_string(t.from) << " -> " << to_string(t.to);
    EXPECT_FALSE(is_terminal(t.from)) << to_string(t.from);
  }
}

Order new_order() {
  return Order::create(OrderSpec{
                           .client_order_id = core::ClientOrderId("O-1"),
                           .strategy_id = core::StrategyId("S-1"),
                           .account_id = core::AccountId("ACC-1"),
                           .instrument_id = test::instrument_id("BTCUSDT-PERP.BINANCE"),
                           .side = OrderSide::Buy,
                           .type = OrderType::Limit,
                           .quantity = qty("10"),
                           .price = px("100"),
                           .ts_init = at(1),
                       })
      .value();
}

Fill fill_of(const Order& order, const Quantity& quantity) {
  static int trade_counter = 0;  // unique trade ids across the whole test
  ++trade_counter;
  return Fill{
      .trade_id = core::TradeId("T-" + std::to_string(trade_counter)),
      .client_order_id = order.client_order_id(),
      .venue_order_id = core::VenueOrderId("V-1"),
      .instrument_id = order.instrument_id(),
      .account_id = order.account_id(),
      .side = order.side(),
      .last_qty = quantity,
      .last_px = px("100"),
      .commission = test::usdt("0"),
      .ts_event = at(100 + trade_counter),
      .ts_recv = at(100 + trade_counter),
  };
}

void ok(const core::Status& s) {
  ASSERT_TRUE(s) << s.error().to_string();
}

struct StartState {
  std::string name;
  std::function<Order()> make;
};

std::vector<StartState> start_states() {
  const auto submitted = [] {
    Order o = new_order();
    ok(o.on_submitted(at(2)));
    return o;
  };
  const auto accepted = [submitted] {
    Order o = submitted();
    ok(o.on_accepted(core::VenueOrderId("V-1"), at(3)));
    return o;
  };
  const auto partial = [accepted] {
    Order o = accepted();
    ok(o.on_fill(fill_of(o, qty("3"))));
    return o;
  };
  const auto then = [](std::function<Order()> base, std::function<core::Status(Order&)> step) {
    return [base, step] {
      Order o = base();
      ok(step(o));
      return o;
    };
  };
  return {
      {"initialized", new_order},
      {"submitted", submitted},
      {"accepted", accepted},
      {"partially filled", partial},
      {"filled", then(accepted, [](Order& o) { return o.on_fill(fill_of(o, qty("10"))); })},
      {"denied", then(new_order, [](Order& o) { return o.on_denied("RISK", at(2)); })},
      {"rejected", then(submitted, [](Order& o) { return o.on_rejected("venue says no", at(3)); })},
      {"canceled", then(accepted, [](Order& o) { return o.on_canceled(at(4)); })},
      {"expired", then(accepted, [](Order& o) { return o.on_expired(at(4)); })},
      {"pending cancel", then(accepted, [](Order& o) { return o.on_pending_cancel(at(4)); })},
      {"pending cancel before ack", then(submitted, [](Order& o) { return o.on_pending_cancel(at(4)); })},
      {"pending cancel after fills", then(partial, [](Order& o) { return o.on_pending_cancel(at(4)); })},
      {"pending update", then(accepted, [](Order& o) { return o.on_pending_update(at(4)); })},
      {"pending update after fills", then(partial, [](Order& o) { return o.on_pending_update(at(4)); })},
  };
}

struct Driver {
  std::string name;
  std::function<core::Status(Order&)> apply;
};

std::vector<Driver> drivers() {
  return {
      {"submitted", [](Order& o) { return o.on_submitted(at(10)); }},
      {"denied", [](Order& o) { return o.on_denied("RISK", at(10)); }},
      {"accepted", [](Order& o) { return o.on_accepted(core::VenueOrderId("V-1"), at(10)); }},
      {"rejected", [](Order& o) { return o.on_rejected("no", at(10)); }},
      {"partial fill", [](Order& o) { return o.on_fill(fill_of(o, qty("1"))); }},
      {"completing fill",
       [](Order& o) {
         const Quantity rest = o.quantity() - o.filled_qty();
         return o.on_fill(fill_of(o, rest.is_zero() ? qty("1") : rest));
       }},
      {"canceled", [](Order& o) { return o.on_canceled(at(10)); }},
      {"expired", [](Order& o) { return o.on_expired(at(10)); }},
      {"pending cancel", [](Order& o) { return o.on_pending_cancel(at(10)); }},
      {"pending update", [](Order& o) { return o.on_pending_update(at(10)); }},
      {"cancel rejected", [](Order& o) { return o.on_cancel_rejected("too late", at(10)); }},
      {"modify rejected", [](Order& o) { return o.on_modify_rejected("too late", at(10)); }},
      {"updated", [](Order& o) { return o.on_updated(o.quantity(), px("101"), std::nullopt, at(10)); }},
  };
}

TEST(OrderTransitions, EveryEventFromEveryStatusFollowsTheTableOrChangesNothing) {
  std::set<std::pair<OrderStatus, OrderStatus>> reached;
  for (const StartState& setup : start_states()) {
    for (const Driver& driver : drivers()) {
      SCOPED_TRACE(setup.name + " + " + driver.name);
      Order order = setup.make();
      const OrderStatus from = order.status();
      const Quantity filled = order.filled_qty();
      const core::Status status = driver.apply(order);
      if (status) {
        EXPECT_TRUE(is_transition_allowed(from, order.status()))
            << to_string(from) << " -> " << to_string(order.status());
        reached.insert({from, order.status()});
      } else {
        EXPECT_EQ(order.status(), from);
        EXPECT_EQ(order.filled_qty(), filled);
        if (status.error().code() == core::ErrorCode::InvalidState) {
          EXPECT_NE(status.error().message().find(std::string(to_string(from))), std::string::npos)
              << status.error().message();
        }
      }
    }
  }
  std::set<std::pair<OrderStatus, OrderStatus>> table;
  for (const auto& t : kOrderTransitions) table.insert({t.from, t.to});
  for (const auto& [from, to] : table) {
    EXPECT_TRUE(reached.count({from, to}) == 1) << "no event reaches " << to_string(from) << " -> " << to_string(to);
  }
  EXPECT_EQ(reached, table);
}

TEST(OrderTransitions, RefusedEventNamesBothStatusesAndTheOrder) {
  Order order = new_order();
  ok(order.on_submitted(at(2)));
  const core::Status denied = order.on_denied("RISK", at(3));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), core::ErrorCode::InvalidState);
  EXPECT_EQ(denied.error().message(), "order status cannot change from SUBMITTED to DENIED");
  EXPECT_EQ(denied.error().where(), "order O-1");
  EXPECT_EQ(order.status(), OrderStatus::Submitted);
}

}  // namespace
}  // namespace ballast::model
