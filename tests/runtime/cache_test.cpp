#include "ballast/runtime/cache.hpp"

#include "ballast/core/error.hpp"
#include "ballast/model/currency.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ballast::runtime {
namespace {

using core::AccountId;
using core::ClientOrderId;
using core::ErrorCode;
using core::InstrumentId;
using core::StrategyId;
using core::UnixNanos;
using core::VenueId;
using core::VenueOrderId;
using model::Order;
using model::OrderSide;
using model::OrderStatus;
using model::Price;
using model::Quantity;

Price px(const std::string& s) { return *Price::parse(s); }
Quantity qty(const std::string& s) { return *Quantity::parse(s); }
InstrumentId iid(const std::string& s) { return *InstrumentId::parse(s); }

model::Instrument perp(const std::string& id) {
  model::InstrumentSpec spec;
  spec.id = iid(id);
  spec.kind = model::InstrumentKind::Perpetual;
  spec.base_currency = model::Currency::BTC();
  spec.quote_currency = model::Currency::USDT();
  spec.settlement_currency = model::Currency::USDT();
  spec.tick_size = px("0.1");
  spec.step_size = qty("0.001");
  spec.min_quantity = qty("0.001");
  auto instrument = model::Instrument::create(spec);
  EXPECT_TRUE(instrument) << instrument.error().to_string();
  return *instrument;
}

Order limit_order(const std::string& id, const std::string& instrument, const std::string& strategy,
                  OrderSide side = OrderSide::Buy, const std::string& account = "ACC-1") {
  model::OrderSpec spec;
  spec.client_order_id = ClientOrderId(id);
  spec.strategy_id = StrategyId(strategy);
  spec.account_id = AccountId(account);
  spec.instrument_id = iid(instrument);
  spec.side = side;
  spec.type = model::OrderType::Limit;
  spec.quantity = qty("1.000");
  spec.price = px("50000.0");
  spec.ts_init = UnixNanos(1);
  auto order = Order::create(spec);
  EXPECT_TRUE(order) << order.error().to_string();
  return *order;
}

template <class E>
E order_event(const Order& o, std::int64_t ts) {
  E e;
  e.client_order_id = o.client_order_id();
  e.strategy_id = o.strategy_id();
  e.account_id = o.account_id();
  e.instrument_id = o.instrument_id();
  e.ts_event = UnixNanos(ts);
  e.ts_init = UnixNanos(ts);
  return e;
}

model::OrderAccepted accepted(const Order& o, const std::string& venue_id, std::int64_t ts) {
  auto e = order_event<model::OrderAccepted>(o, ts);
  e.venue_order_id = VenueOrderId(venue_id);
  return e;
}

model::Fill fill_of(const Order& o, const std::string& trade_id, const std::string& venue_id, const std::string& q,
                    const std::string& price, std::int64_t ts) {
  model::Fill f;
  f.trade_id = core::TradeId(trade_id);
  f.client_order_id = o.client_order_id();
  f.venue_order_id = VenueOrderId(venue_id);
  f.instrument_id = o.instrument_id();
  f.account_id = o.account_id();
  f.side = o.side();
  f.last_qty = qty(q);
  f.last_px = px(price);
  f.ts_event = UnixNanos(ts);
  f.ts_recv = UnixNanos(ts);
  return f;
}

model::OrderFilled filled(const Order& o, const std::string& trade_id, const std::string& venue_id,
                          const std::string& q, std::int64_t ts) {
  auto e = order_event<model::OrderFilled>(o, ts);
  e.fill = fill_of(o, trade_id, venue_id, q, "50000.0", ts);
  return e;
}

std::vector<std::string> ids(const std::vector<const Order*>& orders) {
  std::vector<std::string> out;
  for (const Order* o : orders) out.push_back(o->client_order_id().value());
  return out;
}

const InstrumentId kBtc = iid("BTCUSDT.BINANCE");
const InstrumentId kEth = iid("ETHUSDT.BINANCE");

TEST(Cache, AddsAndLooksUpInstruments) {
  Cache cache;
  ASSERT_TRUE(cache.add_instrument(perp("BTCUSDT.BINANCE")));
  ASSERT_TRUE(cache.add_instrument(perp("BTC-USD.HYPERLIQUID")));
  ASSERT_TRUE(cache.add_instrument(perp("ETHUSDT.BINANCE")));
  EXPECT_EQ(cache.add_instrument(perp("BTCUSDT.BINANCE")).error().code(), ErrorCode::AlreadyExists);
  ASSERT_NE(cache.instrument(kBtc), nullptr);
  EXPECT_EQ(cache.instrument(kBtc)->tick_size(), px("0.1"));
  EXPECT_EQ(cache.instrument(iid("XRPUSDT.BINANCE")), nullptr);
  EXPECT_EQ(cache.instruments().size(), 3u);
  const auto binance = cache.instruments(VenueId("BINANCE"));
  ASSERT_EQ(binance.size(), 2u);
  EXPECT_EQ(binance[0]->id(), kBtc);  // sorted by id
  EXPECT_EQ(binance[1]->id(), kEth);
  EXPECT_EQ(cache.update_instrument(perp("XRPUSDT.BINANCE")).error().code(), ErrorCode::NotFound);
}

TEST(Cache, UpdatingAnInstrumentKeepsPointersValid) {
  Cache cache;
  ASSERT_TRUE(cache.add_instrument(perp("BTCUSDT.BINANCE")));
  const model::Instrument* before = cache.instrument(kBtc);
  model::InstrumentSpec spec = before->spec();
  spec.tick_size = px("0.5");
  ASSERT_TRUE(cache.update_instrument(*model::Instrument::create(spec)));
  EXPECT_EQ(cache.instrument(kBtc), before);
  EXPECT_EQ(before->tick_size(), px("0.5"));
}

TEST(Cache, AddsAndUpdatesAccounts) {
  Cache cache;
  ASSERT_TRUE(cache.add_account(model::Account(AccountId("ACC-2"))));
  ASSERT_TRUE(cache.add_account(model::Account(AccountId("ACC-1"))));
  EXPECT_EQ(cache.add_account(model::Account(AccountId("ACC-1"))).error().code(), ErrorCode::AlreadyExists);
  model::Account updated = *cache.account(AccountId("ACC-1"));
  ASSERT_TRUE(updated.deposit(model::Money(*core::Decimal::parse("1000"), model::Currency::USDT()), UnixNanos(5)));
  ASSERT_TRUE(cache.update_account(updated));
  EXPECT_EQ(cache.account(AccountId("ACC-1"))->total(model::Currency::USDT()),
            model::Money(*core::Decimal::parse("1000"), model::Currency::USDT()));
  const auto all = cache.accounts();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->id(), AccountId("ACC-1"));
  EXPECT_EQ(cache.update_account(model::Account(AccountId("ACC-9"))).error().code(), ErrorCode::NotFound);
  EXPECT_EQ(cache.account(AccountId("ACC-9")), nullptr);
}

TEST(Cache, InitializedOrderIsCachedButNotOpen) {
  Cache cache;
  ASSERT_TRUE(cache.add_order(limit_order("O-1", "BTCUSDT.BINANCE", "S-1")));
  EXPECT_EQ(cache.add_order(limit_order("O-1", "BTCUSDT.BINANCE", "S-1")).error().code(), ErrorCode::AlreadyExists);
  ASSERT_NE(cache.order(ClientOrderId("O-1")), nullptr);
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->status(), OrderStatus::Initialized);
  EXPECT_FALSE(cache.is_order_open(ClientOrderId("O-1")));
  EXPECT_EQ(cache.open_order_count(), 0u);
  EXPECT_EQ(cache.order_count(), 1u);
  EXPECT_EQ(cache.order(ClientOrderId("O-404")), nullptr);
}

TEST(Cache, OpenOrderIndexesFollowTheOrderLifeCycle) {
  Cache cache;
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  const Order b = limit_order("O-2", "ETHUSDT.BINANCE", "S-1", OrderSide::Sell);
  const Order c = limit_order("O-3", "BTCUSDT.BINANCE", "S-2");
  for (const Order& o : {a, b, c}) {
    ASSERT_TRUE(cache.add_order(o));
    ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(o, 10)));
  }
  EXPECT_EQ(ids(cache.open_orders()), (std::vector<std::string>{"O-1", "O-2", "O-3"}));
  EXPECT_EQ(ids(cache.open_orders({.instrument_id = kBtc})), (std::vector<std::string>{"O-1", "O-3"}));
  EXPECT_EQ(ids(cache.open_orders({.strategy_id = StrategyId("S-1")})), (std::vector<std::string>{"O-1", "O-2"}));
  EXPECT_EQ(ids(cache.open_orders({.instrument_id = kBtc, .strategy_id = StrategyId("S-2")})),
            (std::vector<std::string>{"O-3"}));
  EXPECT_EQ(ids(cache.open_orders({.side = OrderSide::Sell})), (std::vector<std::string>{"O-2"}));
  EXPECT_EQ(cache.open_order_count({.instrument_id = kBtc, .strategy_id = StrategyId("S-1")}), 1u);

  // Accepted, then partly filled: still open.
  ASSERT_TRUE(cache.apply_order_event(accepted(a, "V-1", 20)));
  auto partial = cache.apply_order_event(filled(a, "T-1", "V-1", "0.400", 30));
  ASSERT_TRUE(partial) << partial.error().to_string();
  EXPECT_EQ((*partial)->status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(cache.open_order_count({.instrument_id = kBtc}), 2u);

  // Filled: leaves every open index but stays cached.
  ASSERT_TRUE(cache.apply_order_event(filled(a, "T-2", "V-1", "0.600", 40)));
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->status(), OrderStatus::Filled);
  EXPECT_FALSE(cache.is_order_open(ClientOrderId("O-1")));
  EXPECT_EQ(ids(cache.open_orders({.instrument_id = kBtc})), (std::vector<std::string>{"O-3"}));
  EXPECT_EQ(ids(cache.open_orders({.strategy_id = StrategyId("S-1")})), (std::vector<std::string>{"O-2"}));

  // Canceled: the last order of S-2 and of ETH goes too.
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderCanceled>(c, 50)));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderCanceled>(b, 50)));
  EXPECT_TRUE(cache.open_orders().empty());
  EXPECT_TRUE(cache.open_orders({.strategy_id = StrategyId("S-2")}).empty());
  EXPECT_EQ(cache.open_order_count({.instrument_id = kEth}), 0u);
  EXPECT_EQ(ids(cache.orders({.strategy_id = StrategyId("S-1")})), (std::vector<std::string>{"O-1", "O-2"}));
}

TEST(Cache, RefusedEventLeavesOrderAndIndexesUntouched) {
  Cache cache;
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  ASSERT_TRUE(cache.add_order(a));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(a, 10)));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderCanceled>(a, 20)));
  // A terminal order cannot be accepted.
  auto r = cache.apply_order_event(accepted(a, "V-1", 30));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->status(), OrderStatus::Canceled);
  EXPECT_EQ(cache.open_order_count(), 0u);
  EXPECT_FALSE(cache.client_order_id_for(VenueId("BINANCE"), VenueOrderId("V-1")).has_value());

  const Order ghost = limit_order("O-404", "BTCUSDT.BINANCE", "S-1");
  EXPECT_EQ(cache.apply_order_event(order_event<model::OrderSubmitted>(ghost, 10)).error().code(),
            ErrorCode::NotFound);
}

TEST(Cache, MapsVenueOrderIdsPerVenue) {
  Cache cache;
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  const Order b = limit_order("O-2", "ETHUSDT.BINANCE", "S-1");
  const Order h = limit_order("O-3", "BTC-USD.HYPERLIQUID", "S-1");
  for (const Order& o : {a, b, h}) {
    ASSERT_TRUE(cache.add_order(o));
    ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(o, 10)));
  }
  ASSERT_TRUE(cache.apply_order_event(accepted(a, "777", 20)));
  // Another venue may issue the same id.
  ASSERT_TRUE(cache.apply_order_event(accepted(h, "777", 20)));
  EXPECT_EQ(cache.client_order_id_for(VenueId("BINANCE"), VenueOrderId("777")), ClientOrderId("O-1"));
  EXPECT_EQ(cache.order_for_venue_order_id(VenueId("HYPERLIQUID"), VenueOrderId("777"))->client_order_id(),
            ClientOrderId("O-3"));
  // The same venue may not: refused, and O-2 stays as it was.
  auto clash = cache.apply_order_event(accepted(b, "777", 20));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code(), ErrorCode::AlreadyExists);
  EXPECT_EQ(cache.order(ClientOrderId("O-2"))->status(), OrderStatus::Submitted);
  EXPECT_EQ(cache.order_for_venue_order_id(VenueId("BINANCE"), VenueOrderId("nope")), nullptr);
}

TEST(Cache, UpdateOrderReindexesAndKeepsPointersValid) {
  Cache cache;
  ASSERT_TRUE(cache.add_order(limit_order("O-1", "BTCUSDT.BINANCE", "S-1")));
  const Order* cached = cache.order(ClientOrderId("O-1"));
  for (int i = 2; i < 200; ++i) ASSERT_TRUE(cache.add_order(limit_order("O-" + std::to_string(i), "BTCUSDT.BINANCE", "S-1")));
  EXPECT_EQ(cache.order(ClientOrderId("O-1")), cached);  // no rehash moved it

  Order copy = *cached;
  ASSERT_TRUE(copy.on_submitted(UnixNanos(10)));
  ASSERT_TRUE(copy.on_accepted(VenueOrderId("V-1"), UnixNanos(11)));
  ASSERT_TRUE(cache.update_order(copy));
  EXPECT_EQ(cached->status(), OrderStatus::Accepted);
  EXPECT_EQ(ids(cache.open_orders({.strategy_id = StrategyId("S-1")})), (std::vector<std::string>{"O-1"}));
  EXPECT_EQ(cache.client_order_id_for(VenueId("BINANCE"), VenueOrderId("V-1")), ClientOrderId("O-1"));

  ASSERT_TRUE(copy.on_canceled(UnixNanos(12)));
  ASSERT_TRUE(cache.update_order(copy));
  EXPECT_EQ(cache.open_order_count(), 0u);

  EXPECT_EQ(cache.update_order(limit_order("O-1", "ETHUSDT.BINANCE", "S-1")).error().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(cache.update_order(limit_order("O-1", "BTCUSDT.BINANCE", "S-9")).error().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(cache.update_order(limit_order("O-999", "BTCUSDT.BINANCE", "S-1")).error().code(), ErrorCode::NotFound);
}

TEST(Cache, AmendedOrderStaysIndexedWithItsNewTerms) {
  Cache cache;
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  ASSERT_TRUE(cache.add_order(a));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(a, 10)));
  ASSERT_TRUE(cache.apply_order_event(accepted(a, "V-1", 20)));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderPendingUpdate>(a, 30)));
  EXPECT_TRUE(cache.is_order_open(ClientOrderId("O-1")));  // PENDING_UPDATE is open
  auto updated = order_event<model::OrderUpdated>(a, 40);
  updated.venue_order_id = VenueOrderId("V-1");
  updated.quantity = qty("2.000");
  updated.price = px("49000.0");
  auto r = cache.apply_order_event(updated);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ((*r)->quantity(), qty("2.000"));
  EXPECT_EQ((*r)->status(), OrderStatus::Accepted);
  EXPECT_EQ(cache.order_for_venue_order_id(VenueId("BINANCE"), VenueOrderId("V-1")), *r);
  EXPECT_EQ(ids(cache.open_orders({.instrument_id = kBtc})), (std::vector<std::string>{"O-1"}));

  // The model refuses a changed venue order id; the cache passes the refusal on and changes nothing.
  auto renamed = order_event<model::OrderUpdated>(a, 50);
  renamed.venue_order_id = VenueOrderId("V-2");
  renamed.quantity = qty("3.000");
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderPendingUpdate>(a, 45)));
  EXPECT_FALSE(cache.apply_order_event(renamed));
  EXPECT_EQ(cache.order(ClientOrderId("O-1"))->quantity(), qty("2.000"));
  EXPECT_FALSE(cache.client_order_id_for(VenueId("BINANCE"), VenueOrderId("V-2")).has_value());
}

TEST(Cache, PurgesOldClosedOrdersWithTheirVenueIds) {
  Cache cache;
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  const Order b = limit_order("O-2", "BTCUSDT.BINANCE", "S-1");
  const Order c = limit_order("O-3", "BTCUSDT.BINANCE", "S-1");
  for (const Order& o : {a, b, c}) {
    ASSERT_TRUE(cache.add_order(o));
    ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(o, 10)));
  }
  ASSERT_TRUE(cache.apply_order_event(accepted(a, "V-1", 20)));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderCanceled>(a, 100)));  // old enough
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderCanceled>(b, 500)));  // too recent
  EXPECT_EQ(cache.purge_closed_orders(UnixNanos(200)), 1u);
  EXPECT_EQ(cache.order(ClientOrderId("O-1")), nullptr);
  EXPECT_FALSE(cache.client_order_id_for(VenueId("BINANCE"), VenueOrderId("V-1")).has_value());
  EXPECT_NE(cache.order(ClientOrderId("O-2")), nullptr);
  EXPECT_EQ(ids(cache.open_orders()), (std::vector<std::string>{"O-3"}));  // open orders are never purged
  EXPECT_EQ(ids(cache.orders()), (std::vector<std::string>{"O-2", "O-3"}));
}

TEST(Cache, OpenPositionIndexFollowsOpeningAndClosing) {
  Cache cache;
  const model::Instrument btc = perp("BTCUSDT.BINANCE");
  const model::Instrument eth = perp("ETHUSDT.BINANCE");
  const Order buy = limit_order("O-1", "BTCUSDT.BINANCE", "S-1", OrderSide::Buy);
  const Order sell = limit_order("O-2", "BTCUSDT.BINANCE", "S-1", OrderSide::Sell);

  model::Position pos(btc, AccountId("ACC-1"));
  ASSERT_TRUE(cache.add_position(pos));  // flat: cached, not open
  EXPECT_EQ(cache.add_position(pos).error().code(), ErrorCode::AlreadyExists);
  EXPECT_EQ(cache.open_position_count(), 0u);
  ASSERT_TRUE(cache.add_position(model::Position(eth, AccountId("ACC-2"))));

  ASSERT_TRUE(pos.apply(fill_of(buy, "T-1", "V-1", "1.000", "50000.0", 10)));
  ASSERT_TRUE(cache.update_position(pos));
  EXPECT_EQ(cache.open_position_count(), 1u);
  ASSERT_EQ(cache.open_positions(kBtc).size(), 1u);
  EXPECT_TRUE(cache.open_positions(std::nullopt, AccountId("ACC-2")).empty());
  EXPECT_TRUE(cache.position(kBtc, AccountId("ACC-1"))->is_long());

  ASSERT_TRUE(pos.apply(fill_of(sell, "T-2", "V-2", "1.000", "51000.0", 20)));
  ASSERT_TRUE(pos.is_flat());
  ASSERT_TRUE(cache.update_position(pos));
  EXPECT_EQ(cache.open_position_count(), 0u);
  EXPECT_TRUE(cache.open_positions().empty());
  const model::Position* closed = cache.position(kBtc, AccountId("ACC-1"));
  ASSERT_NE(closed, nullptr);
  // 1 × (51000 − 50000) = 1000 USDT realized (by hand; no fees in these fills).
  EXPECT_EQ(closed->realized_pnl(), model::Money(*core::Decimal::parse("1000"), model::Currency::USDT()));
  EXPECT_EQ(cache.positions().size(), 2u);
  EXPECT_EQ(cache.positions(std::nullopt, AccountId("ACC-2")).size(), 1u);
  EXPECT_EQ(cache.position(kEth, AccountId("ACC-1")), nullptr);
  EXPECT_EQ(cache.update_position(model::Position(eth, AccountId("ACC-1"))).error().code(), ErrorCode::NotFound);
}

TEST(Cache, KeepsTheLatestQuoteTradeMarkAndBar) {
  Cache cache;
  model::QuoteTick q{kBtc, px("100.0"), px("100.1"), qty("1.000"), qty("2.000"), UnixNanos(10), UnixNanos(11)};
  EXPECT_TRUE(cache.update_quote(q));
  model::QuoteTick older = q;
  older.bid_price = px("99.0");
  older.ts_event = UnixNanos(5);
  EXPECT_FALSE(cache.update_quote(older));
  EXPECT_EQ(cache.quote(kBtc)->bid_price, px("100.0"));
  model::QuoteTick same_time = q;
  same_time.bid_price = px("100.05");
  EXPECT_TRUE(cache.update_quote(same_time));
  EXPECT_EQ(cache.quote(kBtc)->bid_price, px("100.05"));
  EXPECT_EQ(cache.quote(kEth), nullptr);

  model::TradeTick t{kBtc, px("100.1"), qty("0.500"), model::AggressorSide::Buyer, core::TradeId("T-1"), UnixNanos(12),
                     UnixNanos(13)};
  EXPECT_TRUE(cache.update_trade(t));
  EXPECT_EQ(cache.last_trade(kBtc)->price, px("100.1"));

  EXPECT_TRUE(cache.update_mark_price(MarkPrice{kBtc, px("100.2"), UnixNanos(20), UnixNanos(21)}));
  EXPECT_FALSE(cache.update_mark_price(MarkPrice{kBtc, px("90.0"), UnixNanos(19), UnixNanos(22)}));
  EXPECT_EQ(cache.mark_price(kBtc)->price, px("100.2"));

  const model::Bar m1{UnixNanos(60), UnixNanos(120), px("1.0"), px("2.0"), px("0.5"), px("1.5"), qty("10.000")};
  const model::Bar h1{UnixNanos(0), UnixNanos(3600), px("3.0"), px("4.0"), px("2.5"), px("3.5"), qty("99.000")};
  EXPECT_TRUE(cache.update_bar(kBtc, std::chrono::minutes(1), m1));
  EXPECT_TRUE(cache.update_bar(kBtc, std::chrono::hours(1), h1));
  EXPECT_EQ(cache.last_bar(kBtc, std::chrono::minutes(1))->close, px("1.5"));
  EXPECT_EQ(cache.last_bar(kBtc, std::chrono::hours(1))->close, px("3.5"));
  EXPECT_EQ(cache.last_bar(kBtc, std::chrono::minutes(5)), nullptr);
}

TEST(Cache, ClearForgetsEverything) {
  Cache cache;
  ASSERT_TRUE(cache.add_instrument(perp("BTCUSDT.BINANCE")));
  const Order a = limit_order("O-1", "BTCUSDT.BINANCE", "S-1");
  ASSERT_TRUE(cache.add_order(a));
  ASSERT_TRUE(cache.apply_order_event(order_event<model::OrderSubmitted>(a, 10)));
  ASSERT_TRUE(cache.update_quote(model::QuoteTick{kBtc, px("1.0"), px("1.1"), qty("1.000"), qty("1.000"), UnixNanos(1),
                                                  UnixNanos(1)}));
  cache.clear();
  EXPECT_EQ(cache.instrument(kBtc), nullptr);
  EXPECT_EQ(cache.order_count(), 0u);
  EXPECT_EQ(cache.open_order_count(), 0u);
  EXPECT_EQ(cache.quote(kBtc), nullptr);
  ASSERT_TRUE(cache.add_order(a));  // the id is free again
}

}  // namespace
}  // namespace ballast::runtime
