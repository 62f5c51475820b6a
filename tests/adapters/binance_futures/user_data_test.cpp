// User-data stream pieces that are built: listenKey over REST and the ORDER_TRADE_UPDATE parser.
// The sample messages follow the field list of "Event: Order Update" in the USDⓈ-M Futures docs.

#include "ballast/adapters/binance_futures/user_data.hpp"

#include <gtest/gtest.h>

#include "binance_test_support.hpp"

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
  auto account = parse_user_data_event(R"({"e":"ACCOUNT_UPDATE","E":1,"T":1,"a":{}})");
  ASSERT_TRUE(account);
  EXPECT_EQ(std::get<OtherUserDataEvent>(*account).event_type, "ACCOUNT_UPDATE");
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
