// Repository contract of persistence::Store, identical on SQLite and PostgreSQL (see store_fixture.hpp).

#include "persistence/store_fixture.hpp"

#include <gtest/gtest.h>

namespace ballast::persistence::testing {
namespace {

using core::Decimal;
using core::ErrorCode;
using core::UnixNanos;

constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;

UnixNanos at(int seconds) {
  return UnixNanos(kT0 + std::int64_t{seconds} * core::kNanosPerSecond);
}

Decimal d(std::string_view text) {
  return *Decimal::parse(text);
}

OrderRow order(std::string id, int created_s, std::string account = "ACC-1", std::string status = "ACCEPTED") {
  OrderRow o;
  o.client_order_id = std::move(id);
  o.account_id = std::move(account);
  o.instrument_id = "BTCUSDT-PERP.SIM";
  o.strategy_id = "manual";
  o.side = "BUY";
  o.type = "LIMIT";
  o.time_in_force = "GTC";
  o.quantity = d("0.5");
  o.price = d("42000.10");
  o.status = std::move(status);
  o.created = at(created_s);
  o.updated = at(created_s);
  return o;
}

std::vector<std::string> ids(const std::vector<OrderRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.client_order_id);
  return out;
}

TEST_P(StoreContract, ReportsEveryMigrationAppliedAndReopeningAppliesNothingNew) {
  auto first = store().migrations();
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_GE(first->size(), 2u);
  for (const auto& m : *first) {
    EXPECT_TRUE(m.applied) << m.name;
    EXPECT_TRUE(m.applied_at.has_value()) << m.name;
  }
  EXPECT_EQ((*first)[0].version, 1);
  reopen();
  auto second = store().migrations();
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), first->size());
  for (std::size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*second)[i].applied_at, (*first)[i].applied_at);
}

TEST_P(StoreContract, AddsFindsListsAndUpdatesUsers) {
  auto id = store().add_user(UserRow{0, "alice", "admin", "$argon2id$hash-a", at(1), false});
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_GT(*id, 0);
  ASSERT_TRUE(store().add_user(UserRow{0, "bob", "viewer", "hash-b", at(2), true}));

  auto alice = store().find_user("alice");
  ASSERT_TRUE(alice);
  ASSERT_TRUE(alice->has_value());
  EXPECT_EQ((*alice)->id, *id);
  EXPECT_EQ((*alice)->role, "admin");
  EXPECT_EQ((*alice)->password_hash, "$argon2id$hash-a");
  EXPECT_EQ((*alice)->created, at(1));
  EXPECT_FALSE((*alice)->disabled);

  auto missing = store().find_user("carol");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  auto users = store().list_users();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "alice");
  EXPECT_TRUE((*users)[1].disabled);

  ASSERT_TRUE(store().update_user(UserRow{0, "alice", "trader", "hash-new", {}, true}));
  auto updated = store().find_user("alice");
  ASSERT_TRUE(updated && updated->has_value());
  EXPECT_EQ((*updated)->role, "trader");
  EXPECT_EQ((*updated)->password_hash, "hash-new");
  EXPECT_TRUE((*updated)->disabled);
  EXPECT_EQ((*updated)->created, at(1));
}

TEST_P(StoreContract, RejectsADuplicateUserNameAndAnUpdateOfAnUnknownUser) {
  ASSERT_TRUE(store().add_user(UserRow{0, "alice", "admin", "h", at(1), false}));
  auto duplicate = store().add_user(UserRow{0, "alice", "viewer", "h2", at(2), false});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code(), ErrorCode::AlreadyExists);
  EXPECT_NE(duplicate.error().message().find("alice"), std::string::npos) << duplicate.error().message();

  auto unknown = store().update_user(UserRow{0, "nobody", "admin", "h", {}, false});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::NotFound);
}

TEST_P(StoreContract, UpsertsAccountsAndInstrumentsWithExactBalances) {
  ASSERT_TRUE(store().upsert_account(AccountRow{"ACC-1", "SIM", "paper", "USDT", d("100000.00"), at(1)}));
  ASSERT_TRUE(store().upsert_account(AccountRow{"ACC-1", "SIM", "live", "USDT", d("123456789012.34"), at(5)}));
  ASSERT_TRUE(
      store().upsert_account(AccountRow{"ACC-0", "BINANCE", "paper", "USDC", d("0.000000012345678901"), at(2)}));
  auto accounts = store().list_accounts();
  ASSERT_TRUE(accounts) << accounts.error().to_string();
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[0].id, "ACC-0");
  EXPECT_EQ((*accounts)[0].starting_balance.to_string(), "0.000000012345678901");
  EXPECT_EQ((*accounts)[1].mode, "live");
  EXPECT_EQ((*accounts)[1].starting_balance.to_string(), "123456789012.34");
  EXPECT_EQ((*accounts)[1].created, at(1));  // an upsert keeps the creation time

  auto bad_mode = store().upsert_account(AccountRow{"ACC-2", "SIM", "margin", "USDT", d("1"), at(1)});
  ASSERT_FALSE(bad_mode);
  EXPECT_EQ(bad_mode.error().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(bad_mode.error().message().find("upsert account ACC-2"), std::string::npos) << bad_mode.error().message();

  ASSERT_TRUE(store().upsert_instrument(InstrumentRow{"BTCUSDT-PERP.SIM", "SIM", "BTCUSDT", R"({"tick":"0.1"})"}));
  ASSERT_TRUE(store().upsert_instrument(InstrumentRow{"BTCUSDT-PERP.SIM", "SIM", "BTCUSDT", R"({"tick":"0.01"})"}));
  auto instruments = store().list_instruments();
  ASSERT_TRUE(instruments);
  ASSERT_EQ(instruments->size(), 1u);
  EXPECT_EQ((*instruments)[0].definition, R"({"tick":"0.01"})");
}

TEST_P(StoreContract, RoundTripsOrderDecimalsExactlyAndKeepsAbsentPricesAbsent) {
  OrderRow o = order("O-1", 1);
  o.quantity = d("0.000000012345678901");
  o.price = d("123456789012.34");
  o.trigger_price.reset();
  o.avg_fill_price = d("-0.5");
  o.filled_quantity = d("0.000000000000000001");
  o.reduce_only = true;
  o.venue_order_id = "V-9";
  o.reason = "";
  WriteBatch batch;
  batch.orders.push_back(o);
  ASSERT_TRUE(store().commit(std::move(batch)));

  auto found = store().find_order("O-1");
  ASSERT_TRUE(found) << found.error().to_string();
  ASSERT_TRUE(found->has_value());
  const OrderRow& r = **found;
  EXPECT_EQ(r.quantity.to_string(), "0.000000012345678901");
  ASSERT_TRUE(r.price.has_value());
  EXPECT_EQ(r.price->to_string(), "123456789012.34");
  EXPECT_FALSE(r.trigger_price.has_value());
  EXPECT_EQ(r.avg_fill_price, d("-0.5"));
  EXPECT_EQ(r.filled_quantity.to_string(), "0.000000000000000001");
  EXPECT_TRUE(r.reduce_only);
  EXPECT_FALSE(r.post_only);
  EXPECT_EQ(r.venue_order_id, "V-9");
  EXPECT_EQ(r.created, at(1));

  auto missing = store().find_order("O-404");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreContract, UpsertingAnOrderReplacesItsStateButKeepsItsCreationTime) {
  WriteBatch first;
  first.orders.push_back(order("O-1", 1));
  ASSERT_TRUE(store().commit(std::move(first)));
  OrderRow filled = order("O-1", 9, "ACC-1", "FILLED");
  filled.filled_quantity = d("0.5");
  filled.avg_fill_price = d("42000.05");
  WriteBatch second;
  second.orders.push_back(filled);
  ASSERT_TRUE(store().commit(std::move(second)));

  auto found = store().find_order("O-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->status, "FILLED");
  EXPECT_EQ((*found)->filled_quantity, d("0.5"));
  EXPECT_EQ((*found)->avg_fill_price, d("42000.05"));
  EXPECT_EQ((*found)->created, at(1));
  EXPECT_EQ((*found)->updated, at(9));
}

TEST_P(StoreContract, QueriesOrdersByFilterNewestFirstWithPagination) {
  WriteBatch batch;
  batch.orders.push_back(order("O-1", 1, "ACC-1", "FILLED"));
  batch.orders.push_back(order("O-2", 2, "ACC-1", "ACCEPTED"));
  batch.orders.push_back(order("O-3", 3, "ACC-2", "SUBMITTED"));
  batch.orders.push_back(order("O-4", 4, "ACC-1", "CANCELED"));
  batch.orders.push_back(order("O-5", 5, "ACC-1", "PARTIALLY_FILLED"));
  batch.orders.back().strategy_id = "ema-cross";
  batch.orders.back().instrument_id = "ETHUSDT-PERP.SIM";
  ASSERT_TRUE(store().commit(std::move(batch)));

  auto all = store().query_orders(OrderQuery{});
  ASSERT_TRUE(all) << all.error().to_string();
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"O-5", "O-4", "O-3", "O-2", "O-1"}));

  OrderQuery by_account;
  by_account.account_id = "ACC-1";
  EXPECT_EQ(ids(*store().query_orders(by_account)), (std::vector<std::string>{"O-5", "O-4", "O-2", "O-1"}));

  OrderQuery open;
  open.open_only = true;
  EXPECT_EQ(ids(*store().query_orders(open)), (std::vector<std::string>{"O-5", "O-3", "O-2"}));

  OrderQuery statuses;
  statuses.statuses = {"FILLED", "CANCELED"};
  EXPECT_EQ(ids(*store().query_orders(statuses)), (std::vector<std::string>{"O-4", "O-1"}));

  OrderQuery strategy;
  strategy.strategy_id = "ema-cross";
  EXPECT_EQ(ids(*store().query_orders(strategy)), (std::vector<std::string>{"O-5"}));

  OrderQuery instrument;
  instrument.instrument_id = "BTCUSDT-PERP.SIM";
  EXPECT_EQ(store().query_orders(instrument)->size(), 4u);

  OrderQuery range;
  range.from = at(2);
  range.to = at(4);  // exclusive
  EXPECT_EQ(ids(*store().query_orders(range)), (std::vector<std::string>{"O-3", "O-2"}));

  OrderQuery page;
  page.limit = 2;
  page.offset = 1;
  EXPECT_EQ(ids(*store().query_orders(page)), (std::vector<std::string>{"O-4", "O-3"}));
}

TEST_P(StoreContract, IgnoresADuplicateFillAndQueriesFillsByOrderAndTime) {
  FillRow f{"T-1",  "O-1",   "ACC-1", "BTCUSDT-PERP.SIM", "BUY", d("0.25"), d("42000.1"), d("0.000000012345678901"),
            "USDT", "TAKER", at(10)};
  WriteBatch batch;
  batch.fills.push_back(f);
  FillRow g = f;
  g.trade_id = "T-2";
  g.ts_event = at(20);
  batch.fills.push_back(g);
  FillRow other = f;
  other.trade_id = "T-3";
  other.client_order_id = "O-2";
  other.account_id = "ACC-2";
  other.ts_event = at(30);
  batch.fills.push_back(other);
  ASSERT_TRUE(store().commit(std::move(batch)));

  WriteBatch replay;
  FillRow changed = f;
  changed.quantity = d("99");
  replay.fills.push_back(changed);
  ASSERT_TRUE(store().commit(std::move(replay)));  // idempotent: the first copy stays

  auto all = store().query_fills(TimeQuery{});
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].trade_id, "T-3");
  EXPECT_EQ((*all)[2].trade_id, "T-1");
  EXPECT_EQ((*all)[2].quantity, d("0.25"));
  EXPECT_EQ((*all)[2].fee.to_string(), "0.000000012345678901");
  EXPECT_EQ((*all)[2].liquidity, "TAKER");

  auto of_order = store().query_fills(TimeQuery{}, std::string("O-1"));
  ASSERT_TRUE(of_order);
  EXPECT_EQ(of_order->size(), 2u);

  TimeQuery q;
  q.account_id = "ACC-1";
  q.from = at(15);
  auto filtered = store().query_fills(q);
  ASSERT_TRUE(filtered);
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ((*filtered)[0].trade_id, "T-2");
}

TEST_P(StoreContract, KeepsTheNewestPositionSnapshotPerInstrument) {
  WriteBatch batch;
  batch.positions.push_back(
      PositionSnapshotRow{"ACC-1", "BTC", d("1.5"), d("42000"), d("0"), d("10.5"), d("42007"), at(10)});
  batch.positions.push_back(PositionSnapshotRow{"ACC-1", "BTC", d("-0.000000012345678901"), d("42100"), d("-3.25"),
                                                d("0"), d("42100"), at(20)});
  batch.positions.push_back(PositionSnapshotRow{"ACC-1", "ETH", d("2"), d("2000"), d("0"), d("0"), d("2000"), at(15)});
  batch.positions.push_back(PositionSnapshotRow{"ACC-2", "BTC", d("9"), d("1"), d("0"), d("0"), d("1"), at(15)});
  ASSERT_TRUE(store().commit(std::move(batch)));
  WriteBatch late;  // older than the stored one: history only
  late.positions.push_back(PositionSnapshotRow{"ACC-1", "BTC", d("7"), d("1"), d("0"), d("0"), d("1"), at(5)});
  ASSERT_TRUE(store().commit(std::move(late)));

  auto latest = store().latest_positions("ACC-1");
  ASSERT_TRUE(latest) << latest.error().to_string();
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].instrument_id, "BTC");
  EXPECT_EQ((*latest)[0].quantity.to_string(), "-0.000000012345678901");
  EXPECT_EQ((*latest)[0].realized_pnl, d("-3.25"));
  EXPECT_EQ((*latest)[0].ts, at(20));
  EXPECT_EQ((*latest)[1].instrument_id, "ETH");
  EXPECT_TRUE(store().latest_positions("ACC-404")->empty());
}

TEST_P(StoreContract, KeepsExactlyOneActiveRiskConfigurationPerAccount) {
  ASSERT_TRUE(
      store().save_risk_configuration(RiskConfigurationRow{"ACC-1", "default", R"({"v":1})", false, at(1), "alice"}));
  auto active = store().active_risk_configuration("ACC-1");
  ASSERT_TRUE(active && active->has_value());
  EXPECT_EQ((*active)->name, "default");  // the first one becomes active

  ASSERT_TRUE(
      store().save_risk_configuration(RiskConfigurationRow{"ACC-1", "tight", R"({"v":2})", false, at(2), "bob"}));
  EXPECT_EQ((*store().active_risk_configuration("ACC-1"))->name, "default");

  ASSERT_TRUE(store().activate_risk_configuration("ACC-1", "tight"));
  active = store().active_risk_configuration("ACC-1");
  ASSERT_TRUE(active && active->has_value());
  EXPECT_EQ((*active)->name, "tight");
  EXPECT_EQ((*active)->document, R"({"v":2})");
  EXPECT_EQ((*active)->updated_by, "bob");

  ASSERT_TRUE(
      store().save_risk_configuration(RiskConfigurationRow{"ACC-1", "loose", R"({"v":3})", true, at(3), "carol"}));
  auto list = store().list_risk_configurations("ACC-1");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  int active_count = 0;
  for (const auto& row : *list) active_count += row.active ? 1 : 0;
  EXPECT_EQ(active_count, 1);
  EXPECT_EQ((*store().active_risk_configuration("ACC-1"))->name, "loose");

  // Upsert by (account, name) updates the document and keeps the active flag.
  ASSERT_TRUE(
      store().save_risk_configuration(RiskConfigurationRow{"ACC-1", "loose", R"({"v":4})", false, at(4), "dave"}));
  active = store().active_risk_configuration("ACC-1");
  EXPECT_EQ((*active)->document, R"({"v":4})");
  EXPECT_TRUE((*active)->active);

  auto unknown = store().activate_risk_configuration("ACC-1", "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::NotFound);
  EXPECT_FALSE(store().active_risk_configuration("ACC-2")->has_value());
  EXPECT_TRUE(store().list_risk_configurations("ACC-2")->empty());
}

TEST_P(StoreContract, SavesListsAndDeletesSymbolRiskConfigurations) {
  ASSERT_TRUE(store().save_symbol_risk_configuration({"ACC-1", "default", "ETHUSDT", R"({"max":"1"})", at(1)}));
  ASSERT_TRUE(store().save_symbol_risk_configuration({"ACC-1", "default", "BTCUSDT", R"({"max":"2"})", at(1)}));
  ASSERT_TRUE(store().save_symbol_risk_configuration({"ACC-1", "default", "BTCUSDT", R"({"max":"3"})", at(2)}));
  ASSERT_TRUE(store().save_symbol_risk_configuration({"ACC-1", "other", "BTCUSDT", R"({"max":"4"})", at(2)}));
  auto list = store().list_symbol_risk_configurations("ACC-1", "default");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].symbol, "BTCUSDT");
  EXPECT_EQ((*list)[0].document, R"({"max":"3"})");
  EXPECT_EQ((*list)[0].updated, at(2));

  ASSERT_TRUE(store().delete_symbol_risk_configuration("ACC-1", "default", "BTCUSDT"));
  EXPECT_EQ(store().list_symbol_risk_configurations("ACC-1", "default")->size(), 1u);
  EXPECT_EQ(store().list_symbol_risk_configurations("ACC-1", "other")->size(), 1u);
  auto again = store().delete_symbol_risk_configuration("ACC-1", "default", "BTCUSDT");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::NotFound);
}

TEST_P(StoreContract, UpsertsListsAndDeletesCircuitBreakers) {
  ASSERT_TRUE(store().save_circuit_breaker({"ACC-1", "daily_loss", R"({"limit":"500"})", true, "ARMED", at(1)}));
  ASSERT_TRUE(store().save_circuit_breaker({"ACC-1", "drawdown", R"({"pct":5})", true, "ARMED", at(1)}));
  ASSERT_TRUE(store().save_circuit_breaker({"ACC-1", "daily_loss", R"({"limit":"400"})", false, "TRIPPED", at(2)}));
  auto list = store().list_circuit_breakers("ACC-1");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "daily_loss");
  EXPECT_EQ((*list)[0].definition, R"({"limit":"400"})");
  EXPECT_FALSE((*list)[0].enabled);
  EXPECT_EQ((*list)[0].state, "TRIPPED");
  EXPECT_TRUE((*list)[1].enabled);

  ASSERT_TRUE(store().delete_circuit_breaker("ACC-1", "drawdown"));
  EXPECT_EQ(store().list_circuit_breakers("ACC-1")->size(), 1u);
  auto missing = store().delete_circuit_breaker("ACC-1", "drawdown");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
}

TEST_P(StoreContract, QueriesBreakerEventsAlertsAndAuditNewestFirst) {
  WriteBatch batch;
  batch.breaker_events.push_back(
      {0, "ACC-1", "daily_loss", "TRIGGERED", "loss > limit", "HALT", 612.5, 500.0, "tripped", at(10)});
  batch.breaker_events.push_back(
      {0, "ACC-1", "daily_loss", "RESET", "", "", std::nullopt, std::nullopt, "reset", at(20)});
  batch.breaker_events.push_back({0, "ACC-2", "drawdown", "TRIGGERED", "dd", "ALERT", 0.1, 0.05, "x", at(15)});
  batch.alerts.push_back({0, "ACC-1", "WARNING", "LIMIT_NEAR", "80% of limit", R"({"u":0.8})", at(11)});
  batch.alerts.push_back({0, "ACC-1", "CRITICAL", "BREAKER", "halted", "{}", at(12)});
  batch.audit.push_back({0, at(5), "alice", "risk.config.update", "ACC-1", R"({"name":"tight"})", "127.0.0.1"});
  batch.audit.push_back({0, at(6), "bob", "user.add", "carol", "{}", "127.0.0.1"});
  ASSERT_TRUE(store().commit(std::move(batch)));

  TimeQuery acc1;
  acc1.account_id = "ACC-1";
  auto events = store().query_breaker_events(acc1);
  ASSERT_TRUE(events) << events.error().to_string();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "RESET");
  EXPECT_FALSE((*events)[0].measured.has_value());
  EXPECT_EQ((*events)[1].measured, 612.5);
  EXPECT_EQ((*events)[1].threshold, 500.0);
  EXPECT_EQ((*events)[1].condition, "loss > limit");
  EXPECT_EQ((*events)[1].action, "HALT");
  EXPECT_GT((*events)[1].id, 0);

  TimeQuery window;
  window.from = at(12);
  window.to = at(20);
  auto in_window = store().query_breaker_events(window);
  ASSERT_EQ(in_window->size(), 1u);
  EXPECT_EQ((*in_window)[0].breaker, "drawdown");

  auto alerts = store().query_alerts(acc1);
  ASSERT_TRUE(alerts);
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].kind, "BREAKER");
  EXPECT_EQ((*alerts)[1].details, R"({"u":0.8})");
  TimeQuery one;
  one.limit = 1;
  one.offset = 1;
  EXPECT_EQ((*store().query_alerts(one))[0].kind, "LIMIT_NEAR");

  auto audit = store().query_audit(TimeQuery{});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].user, "bob");
  EXPECT_EQ((*audit)[1].action, "risk.config.update");
  EXPECT_EQ((*audit)[1].remote, "127.0.0.1");
  TimeQuery by_target;
  by_target.account_id = "ACC-1";
  EXPECT_EQ(store().query_audit(by_target)->size(), 1u);
}

TEST_P(StoreContract, ReturnsTheLatestTradingStateAndRiskSnapshotsOldestFirst) {
  EXPECT_FALSE(store().trading_state("ACC-1")->has_value());
  WriteBatch batch;
  batch.trading_states.push_back({"ACC-1", "ACTIVE", "start", "system", at(1)});
  batch.trading_states.push_back({"ACC-1", "HALTED", "daily_loss tripped", "breaker", at(5)});
  batch.trading_states.push_back({"ACC-2", "REDUCING", "manual", "alice", at(7)});
  batch.risk_snapshots.push_back(
      {"ACC-1", at(2), d("100000.5"), d("50000"), d("-25000"), d("1000"), 1234.5, 0.25, "{}"});
  batch.risk_snapshots.push_back(
      {"ACC-1", at(1), d("0.000000012345678901"), d("1"), d("1"), d("0"), 1.0, 0.5, R"({"a":1})"});
  batch.risk_snapshots.push_back({"ACC-2", at(3), d("1"), d("1"), d("1"), d("0"), 0.0, 0.0, "{}"});
  ASSERT_TRUE(store().commit(std::move(batch)));

  auto state = store().trading_state("ACC-1");
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->state, "HALTED");
  EXPECT_EQ((*state)->reason, "daily_loss tripped");
  EXPECT_EQ((*state)->changed_by, "breaker");

  TimeQuery acc1;
  acc1.account_id = "ACC-1";
  auto series = store().query_risk_snapshots(acc1);
  ASSERT_TRUE(series) << series.error().to_string();
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].ts, at(1));
  EXPECT_EQ((*series)[0].equity.to_string(), "0.000000012345678901");
  EXPECT_EQ((*series)[0].document, R"({"a":1})");
  EXPECT_EQ((*series)[1].net_exposure, d("-25000"));
  EXPECT_DOUBLE_EQ((*series)[1].var_95, 1234.5);
  EXPECT_DOUBLE_EQ((*series)[1].margin_usage, 0.25);
}

}  // namespace
}  // namespace ballast::persistence::testing
