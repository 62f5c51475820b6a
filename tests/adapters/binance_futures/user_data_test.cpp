// User-data stream messages and listenKey over REST. The sample messages follow the examples of "Event:
// Order Update", "Event: Balance and Position Update" and "Event: Margin Call" in the USDⓈ-M Futures docs;
// every expected value below is read off the message text by hand.

#include "ballast/adapters/binance_futures/user_data.hpp"

#include <gtest/gtest.h>

#include "testkit/venues/binance_test_support.hpp"

namespace ballast::adapters::binance {
namespace {

using core::Decimal;

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

constexpr const char* kTrade = R"({"e":"ORDER_TRADE_UPDATE","E":1568879465651,"T":1568879465650,
  "o":{"s":"BTCUSDT","c":"c-42","S":"SELL","o":"LIMIT","f":"GTC","q":"0.010","p":"30100.5","ap":"30100.5",
       "sp":"0","x":"TRADE","X":"PARTIALLY_FILLED","i":8886774,"l":"0.004","z":"0.004","L":"30100.5",
       "N":"USDT","n":"0.04816080","T":1568879465649,"t":2201,"b":"0","a":"0","m":true,"R":false,
       "wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"rp":"0"}})";

TEST(BinanceUserData, ParsesATradeExecutionIntoAFill) {
  auto event = parse_user_data_event(kTrade);
  ASSERT_TRUE(event) << event.error().to_string();
  const auto* update = std::get_if<OrderTradeUpdate>(&*event);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->order_status, "PARTIALLY_FILLED");
  EXPECT_EQ(update->cum_filled_qty.value(), d("0.004"));
  auto fill =
      update->to_fill(core::AccountId("acc-1"), core::VenueId("BINANCE"), core::UnixNanos::from_millis(1568879465700));
  ASSERT_TRUE(fill) << fill.error().to_string();
  ASSERT_TRUE(*fill);
  const model::Fill& f = **fill;
  EXPECT_EQ(f.client_order_id.value(), "c-42");
  EXPECT_EQ(f.trade_id.value(), "2201");
  EXPECT_EQ(f.venue_order_id.value(), "8886774");
  EXPECT_EQ(f.side, model::OrderSide::Sell);
  EXPECT_EQ(f.last_qty.value(), d("0.004"));
  EXPECT_EQ(f.last_px.value(), d("30100.5"));
  // The message's n is used as sent (the sample's value is 0.004 × 30100.5 × 0.0004 = 0.0481608).
  EXPECT_EQ(f.commission.amount(), d("0.0481608"));
  EXPECT_EQ(f.liquidity_side, model::LiquiditySide::Maker);
  EXPECT_EQ(f.ts_event, core::UnixNanos::from_millis(1568879465649));
}

TEST(BinanceUserData, ANewOrderUpdateCarriesNoFill) {
  std::string body = kTrade;
  body.replace(body.find("\"x\":\"TRADE\""), 11, "\"x\":\"NEW\"");
  auto event = parse_user_data_event(body);
  ASSERT_TRUE(event);
  auto fill = std::get<OrderTradeUpdate>(*event).to_fill(core::AccountId("a"), core::VenueId("BINANCE"), {});
  ASSERT_TRUE(fill);
  EXPECT_FALSE(*fill);
}

TEST(BinanceUserData, NamesTheFieldOfAMalformedUpdate) {
  std::string body = kTrade;
  body.replace(body.find("\"l\":\"0.004\""), 11, "\"l\":\"abc\"  ");
  auto event = parse_user_data_event(body);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().where(), "o.l");
}

TEST(BinanceUserData, RecognisesListenKeyExpiryAndKeepsOtherEventsByName) {
  auto expired = parse_user_data_event(R"({"e":"listenKeyExpired","E":1576653824250,"listenKey":"abc"})");
  ASSERT_TRUE(expired);
  EXPECT_EQ(std::get<ListenKeyExpired>(*expired).listen_key, "abc");
  EXPECT_EQ(std::get<ListenKeyExpired>(*expired).event_time, core::UnixNanos::from_millis(1576653824250));
  // The current documentation sends E as a string here.
  auto as_text = parse_user_data_event(R"({"e":"listenKeyExpired","E":"1736996475556","listenKey":"k"})");
  ASSERT_TRUE(as_text) << as_text.error().to_string();
  EXPECT_EQ(std::get<ListenKeyExpired>(*as_text).event_time, core::UnixNanos::from_millis(1736996475556));
  auto other = parse_user_data_event(R"({"e":"ACCOUNT_CONFIG_UPDATE","E":1,"T":1,"ac":{"s":"BTCUSDT","l":25}})");
  ASSERT_TRUE(other);
  EXPECT_EQ(std::get<OtherUserDataEvent>(*other).event_type, "ACCOUNT_CONFIG_UPDATE");
}

// The documentation's ALGO_UPDATE example ("Event: Algo Order Update"): a canceled TAKE_PROFIT that never
// triggered ("ai" empty, "ap"/"aq" zero).
constexpr const char* kAlgoUpdate = R"({"e":"ALGO_UPDATE","T":1750515742297,"E":1750515742303,
  "o":{"caid":"Q5xaq5EGKgXXa0fD7fs0Ip","aid":2148719,"at":"CONDITIONAL","o":"TAKE_PROFIT","s":"BNBUSDT","S":"SELL",
       "ps":"BOTH","f":"GTC","q":"0.01","X":"CANCELED","ai":"","ap":"0.00000","aq":"0.00000","act":"0","tp":"750",
       "p":"750","V":"EXPIRE_MAKER","wt":"CONTRACT_PRICE","pm":"NONE","cp":false,"pP":false,"R":false,"tt":0,"gtd":0,
       "rm":"Reduce Only reject"}})";

TEST(BinanceUserData, ParsesTheDocumentedAlgoUpdate) {
  auto event = parse_user_data_event(kAlgoUpdate);
  ASSERT_TRUE(event) << event.error().to_string();
  const auto& u = std::get<AlgoUpdate>(*event);
  EXPECT_EQ(u.client_algo_id, "Q5xaq5EGKgXXa0fD7fs0Ip");
  EXPECT_EQ(u.algo_id, 2148719);
  EXPECT_EQ(u.order_type, "TAKE_PROFIT");
  EXPECT_EQ(u.symbol, "BNBUSDT");
  EXPECT_EQ(u.side, model::OrderSide::Sell);
  EXPECT_EQ(u.status, "CANCELED");
  EXPECT_EQ(u.quantity.value(), d("0.01"));
  EXPECT_FALSE(u.actual_order_id.has_value());  // "ai": "" — never triggered
  EXPECT_FALSE(u.avg_price.has_value());        // "0.00000"
  EXPECT_EQ(u.executed_qty->value(), d("0"));
  EXPECT_EQ(u.reject_reason, "Reduce Only reject");
  EXPECT_EQ(u.event_time, core::UnixNanos::from_millis(1750515742303));
  EXPECT_EQ(u.transaction_time, core::UnixNanos::from_millis(1750515742297));

  // Triggered: "ai" names the matching-engine order; a malformed one is an error naming it.
  std::string triggered = kAlgoUpdate;
  triggered.replace(triggered.find(R"("ai":"")"), 7, R"("ai":"8389766")");
  auto t = parse_user_data_event(triggered);
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(*std::get<AlgoUpdate>(*t).actual_order_id, 8389766);
  std::string bad = kAlgoUpdate;
  bad.replace(bad.find(R"("ai":"")"), 7, R"("ai":"83x")");
  auto b = parse_user_data_event(bad);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().where(), "o.ai");
}

// The documentation's ACCOUNT_UPDATE example (one-way BOTH entry plus hedge-mode LONG/SHORT entries).
constexpr const char* kAccountUpdate = R"({"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,
  "a":{"m":"ORDER",
       "B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"},
            {"a":"BUSD","wb":"1.00000000","cw":"0.00000000","bc":"-49.12345678"}],
       "P":[{"s":"BTCUSDT","pa":"0","ep":"0.00000","bep":"0","cr":"200","up":"0","mt":"isolated","iw":"0.00000000","ps":"BOTH"},
            {"s":"BTCUSDT","pa":"20","ep":"6563.66500","bep":"0","cr":"0","up":"2850.21200","mt":"isolated","iw":"13200.70726908","ps":"LONG"},
            {"s":"BTCUSDT","pa":"-10","ep":"6563.86000","bep":"6563.6","cr":"-45.04000000","up":"-1423.15600","mt":"isolated","iw":"6570.42511771","ps":"SHORT"}]}})";

TEST(BinanceUserData, ParsesTheDocumentedAccountUpdate) {
  auto event = parse_user_data_event(kAccountUpdate);
  ASSERT_TRUE(event) << event.error().to_string();
  const auto* u = std::get_if<AccountUpdate>(&*event);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->event_time, core::UnixNanos::from_millis(1564745798939));
  EXPECT_EQ(u->transaction_time, core::UnixNanos::from_millis(1564745798938));
  EXPECT_EQ(u->reason, "ORDER");
  ASSERT_EQ(u->balances.size(), 2u);
  EXPECT_EQ(u->balances[0].asset, "USDT");
  EXPECT_EQ(u->balances[0].wallet_balance, d("122624.12345678"));
  EXPECT_EQ(u->balances[0].cross_wallet_balance, d("100.12345678"));
  EXPECT_EQ(u->balances[0].balance_change, d("50.12345678"));
  EXPECT_EQ(u->balances[1].asset, "BUSD");
  EXPECT_EQ(u->balances[1].balance_change, d("-49.12345678"));
  ASSERT_EQ(u->positions.size(), 3u);
  EXPECT_EQ(u->positions[0].position_side, "BOTH");
  EXPECT_TRUE(u->positions[0].amount.is_zero());
  EXPECT_EQ(u->positions[0].accumulated_realized, d("200"));
  const PositionUpdate& shrt = u->positions[2];
  EXPECT_EQ(shrt.symbol, "BTCUSDT");
  EXPECT_EQ(shrt.position_side, "SHORT");
  EXPECT_EQ(shrt.amount, d("-10"));
  EXPECT_EQ(shrt.entry_price, d("6563.86"));
  EXPECT_EQ(shrt.accumulated_realized, d("-45.04"));
  EXPECT_EQ(shrt.unrealized_pnl, d("-1423.156"));
  EXPECT_EQ(shrt.margin_type, model::MarginMode::Isolated);
  EXPECT_EQ(shrt.isolated_wallet, d("6570.42511771"));
  EXPECT_EQ(u->positions[1].amount, d("20"));
}

TEST(BinanceUserData, AnAccountUpdateWithoutPositionsHasNone) {
  // A funding fee on a crossed position: balances only.
  auto event = parse_user_data_event(R"({"e":"ACCOUNT_UPDATE","E":5,"T":4,"a":{"m":"FUNDING_FEE",
      "B":[{"a":"USDT","wb":"99.5","cw":"99.5","bc":"0"}]}})");
  ASSERT_TRUE(event) << event.error().to_string();
  const auto& u = std::get<AccountUpdate>(*event);
  EXPECT_EQ(u.reason, "FUNDING_FEE");
  EXPECT_TRUE(u.positions.empty());
  EXPECT_EQ(u.balances.at(0).wallet_balance, d("99.5"));
}

TEST(BinanceUserData, NamesTheFieldOfAMalformedAccountUpdate) {
  std::string body = kAccountUpdate;
  body.replace(body.find("\"pa\":\"-10\""), 10, "\"pa\":\"-1x\"");
  auto event = parse_user_data_event(body);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().where(), "a.P[2].pa");
  std::string margin = kAccountUpdate;
  margin.replace(margin.find("\"mt\":\"isolated\""), 15, "\"mt\":\"portfol\"");
  auto bad_margin = parse_user_data_event(margin);
  ASSERT_FALSE(bad_margin);
  EXPECT_EQ(bad_margin.error().where(), "a.P[0].mt");
}

// The documentation's MARGIN_CALL example.
constexpr const char* kMarginCall = R"({"e":"MARGIN_CALL","E":1587727187525,"cw":"3.16812045",
  "p":[{"s":"ETHUSDT","ps":"LONG","pa":"1.327","mt":"CROSSED","iw":"0","mp":"187.17127","up":"-1.166074","mm":"1.614445"}]})";

TEST(BinanceUserData, ParsesTheDocumentedMarginCall) {
  auto event = parse_user_data_event(kMarginCall);
  ASSERT_TRUE(event) << event.error().to_string();
  const auto* call = std::get_if<MarginCall>(&*event);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->event_time, core::UnixNanos::from_millis(1587727187525));
  ASSERT_TRUE(call->cross_wallet_balance);
  EXPECT_EQ(*call->cross_wallet_balance, d("3.16812045"));
  ASSERT_EQ(call->positions.size(), 1u);
  const MarginCallPosition& p = call->positions[0];
  EXPECT_EQ(p.symbol, "ETHUSDT");
  EXPECT_EQ(p.position_side, "LONG");
  EXPECT_EQ(p.amount, d("1.327"));
  EXPECT_EQ(p.margin_type, model::MarginMode::Cross);
  EXPECT_TRUE(p.isolated_wallet.is_zero());
  EXPECT_EQ(p.mark_price, d("187.17127"));
  EXPECT_EQ(p.unrealized_pnl, d("-1.166074"));
  EXPECT_EQ(p.maintenance_margin, d("1.614445"));
}

TEST(BinanceUserData, AnIsolatedMarginCallHasNoCrossWalletAndNamesAMissingField) {
  auto isolated = parse_user_data_event(R"({"e":"MARGIN_CALL","E":1,
      "p":[{"s":"BTCUSDT","ps":"BOTH","pa":"-0.5","mt":"ISOLATED","iw":"120.5","mp":"30000","up":"-50","mm":"75"}]})");
  ASSERT_TRUE(isolated) << isolated.error().to_string();
  EXPECT_FALSE(std::get<MarginCall>(*isolated).cross_wallet_balance);
  EXPECT_EQ(std::get<MarginCall>(*isolated).positions.at(0).margin_type, model::MarginMode::Isolated);
  EXPECT_EQ(std::get<MarginCall>(*isolated).positions.at(0).isolated_wallet, d("120.5"));
  std::string body = kMarginCall;
  body.replace(body.find(",\"mm\":\"1.614445\""), 16, "");
  auto missing = parse_user_data_event(body);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "p[0].mm");
}

TEST(BinanceUserData, AKeepAliveAfterTheKeyExpiredIsAnsweredMinus1125) {
  testing::RestHarness h;
  ASSERT_TRUE(h.rest->create_listen_key());
  h.mock.expire_listen_key(false);
  auto kept = h.rest->keepalive_listen_key();
  ASSERT_FALSE(kept);
  EXPECT_TRUE(kept.error().has_code(kCodeListenKeyDoesNotExist));
  auto renewed = h.rest->create_listen_key();
  ASSERT_TRUE(renewed);
  EXPECT_EQ(*renewed, h.mock.listen_key());
  EXPECT_EQ(renewed->size(), 64u);
  EXPECT_TRUE(h.rest->keepalive_listen_key());
}

TEST(BinanceUserData, CreatesKeepsAliveAndClosesAListenKeyWithTheApiKeyOnly) {
  testing::RestHarness h;
  auto key = h.rest->create_listen_key();
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->size(), 64u);
  EXPECT_EQ(h.mock.last_target("/fapi/v1/listenKey"), "/fapi/v1/listenKey");  // no timestamp, no signature
  EXPECT_EQ(h.mock.last_header("/fapi/v1/listenKey", "X-MBX-APIKEY"), std::string(testing::kMockApiKey));
  EXPECT_TRUE(h.rest->keepalive_listen_key());
  EXPECT_TRUE(h.rest->close_listen_key());
  EXPECT_EQ(h.mock.request_count("PUT", "/fapi/v1/listenKey"), 1u);
  EXPECT_EQ(h.mock.request_count("DELETE", "/fapi/v1/listenKey"), 1u);
}

}  // namespace
}  // namespace ballast::adapters::binance
