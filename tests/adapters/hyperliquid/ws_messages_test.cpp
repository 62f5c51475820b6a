// Hyperliquid WebSocket message parsing. The messages follow the shapes of the Hyperliquid docs ("Websocket"
// → "Subscriptions": WsBook, WsTrade, Candle, WsBbo, WsOrder, WsUserFills, WsUserEvent); every expected
// value is read off the message text by hand.
#include "ballast/adapters/hyperliquid/ws_messages.hpp"

#include <gtest/gtest.h>

namespace hl = ballast::adapters::hyperliquid;
namespace core = ballast::core;
namespace model = ballast::model;
using core::Decimal;

namespace {

Decimal dec(std::string_view text) {
  return *Decimal::parse(text);
}

const core::UnixNanos kRecv = core::UnixNanos::from_millis(1700000000999);

hl::WsMessage parse_ok(std::string_view text) {
  hl::WsMessage m;
  auto st = hl::parse_ws_message(text, kRecv, m);
  EXPECT_TRUE(st) << st.error().to_string();
  return m;
}

core::Error parse_err(std::string_view text) {
  hl::WsMessage m;
  auto st = hl::parse_ws_message(text, kRecv, m);
  EXPECT_FALSE(st) << "parsed: " << text;
  return st ? core::Error(core::ErrorCode::Internal, "no error") : st.error();
}

TEST(HyperliquidWsMessages, ParsesAnL2BookSnapshotBidsFirst) {
  const auto m = parse_ok(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":1700000000123,"levels":[)"
      R"([{"px":"29999.5","sz":"1.25","n":3},{"px":"29999","sz":"0.5","n":1}],)"
      R"([{"px":"30000","sz":"2","n":4},{"px":"30001.5","sz":"0.00123","n":1}]]}})");
  ASSERT_EQ(m.channel, hl::WsChannel::L2Book);
  EXPECT_EQ(m.book.coin, "BTC");
  const auto& s = m.book.snapshot;
  ASSERT_EQ(s.bids.size(), 2U);
  ASSERT_EQ(s.asks.size(), 2U);
  EXPECT_EQ(s.bids[0].price.value(), dec("29999.5"));
  EXPECT_EQ(s.bids[0].size.value(), dec("1.25"));
  EXPECT_EQ(s.bids[1].price.value(), dec("29999"));
  EXPECT_EQ(s.asks[0].price.value(), dec("30000"));
  EXPECT_EQ(s.asks[1].size.value(), dec("0.00123"));
  EXPECT_EQ(s.asks[1].size.value().scale(), 5);  // exact: "0.00123" has 5 places
  EXPECT_EQ(s.update_id, 1700000000123U);
  EXPECT_EQ(s.ts_event, core::UnixNanos::from_millis(1700000000123));
  EXPECT_EQ(s.ts_recv, kRecv);
}

TEST(HyperliquidWsMessages, ReadsDataThatComesBeforeTheChannelName) {
  const auto m = parse_ok(R"({"data":{"coin":"ETH","time":5,"levels":[[],[{"px":"2000.1","sz":"3","n":1}]]},"channel":"l2Book"})");
  ASSERT_EQ(m.channel, hl::WsChannel::L2Book);
  EXPECT_TRUE(m.book.snapshot.bids.empty());
  ASSERT_EQ(m.book.snapshot.asks.size(), 1U);
  EXPECT_EQ(m.book.snapshot.asks[0].price.value(), dec("2000.1"));
}

TEST(HyperliquidWsMessages, ParsesTradesWithTheAggressorSide) {
  const auto m = parse_ok(
      R"({"channel":"trades","data":[)"
      R"({"coin":"SOL","side":"B","px":"101.25","sz":"4.5","hash":"0xabc","time":1700000000001,"tid":77,"users":["0x1","0x2"]},)"
      R"({"coin":"SOL","side":"A","px":"101.2","sz":"0.1","hash":"0xdef","time":1700000000002,"tid":78,"users":["0x3","0x4"]}]})");
  ASSERT_EQ(m.channel, hl::WsChannel::Trades);
  ASSERT_EQ(m.trades.size(), 2U);
  const core::InstrumentId sol("SOL-PERP", core::VenueId("HYPERLIQUID"));
  const model::TradeTick a = m.trades[0].to_trade_tick(sol, kRecv);
  EXPECT_EQ(a.price.value(), dec("101.25"));
  EXPECT_EQ(a.size.value(), dec("4.5"));
  EXPECT_EQ(a.aggressor, model::AggressorSide::Buyer);
  EXPECT_EQ(a.trade_id.value(), "77");
  EXPECT_EQ(a.ts_event, core::UnixNanos::from_millis(1700000000001));
  EXPECT_EQ(a.ts_recv, kRecv);
  EXPECT_EQ(a.instrument_id, sol);
  EXPECT_EQ(m.trades[1].to_trade_tick(sol, kRecv).aggressor, model::AggressorSide::Seller);
  EXPECT_EQ(m.trades[1].tid, 78U);
}

TEST(HyperliquidWsMessages, ReusedMessageShrinksTheTradeList) {
  hl::WsMessage m;
  ASSERT_TRUE(hl::parse_ws_message(
      R"({"channel":"trades","data":[{"coin":"X","side":"B","px":"1","sz":"1","time":1,"tid":1},{"coin":"X","side":"B","px":"2","sz":"1","time":1,"tid":2}]})",
      kRecv, m));
  ASSERT_TRUE(hl::parse_ws_message(R"({"channel":"trades","data":[{"coin":"X","side":"A","px":"3","sz":"1","time":1,"tid":3}]})",
                                   kRecv, m));
  ASSERT_EQ(m.trades.size(), 1U);
  EXPECT_EQ(m.trades[0].px, dec("3"));
}

TEST(HyperliquidWsMessages, ParsesACandleAsObjectOrOneElementArray) {
  const auto m = parse_ok(
      R"({"channel":"candle","data":{"t":1700000040000,"T":1700000099999,"s":"BTC","i":"1m","o":"30000.0","c":"30010.5","h":"30020","l":"29990","v":"12.34","n":56}})");
  ASSERT_EQ(m.channel, hl::WsChannel::Candle);
  ASSERT_EQ(m.candles.size(), 1U);
  const hl::WsCandle& c = m.candles[0];
  EXPECT_EQ(c.coin, "BTC");
  EXPECT_EQ(c.interval, "1m");
  EXPECT_EQ(c.trades, 56U);
  const model::Bar bar = c.to_bar();
  EXPECT_EQ(bar.ts_event, core::UnixNanos::from_millis(1700000040000));
  // T = 1700000099999 is the interval's last millisecond: complete at 1700000100000.
  EXPECT_EQ(bar.ts_recv, core::UnixNanos::from_millis(1700000100000));
  EXPECT_EQ(bar.open.value(), dec("30000"));
  EXPECT_EQ(bar.high.value(), dec("30020"));
  EXPECT_EQ(bar.low.value(), dec("29990"));
  EXPECT_EQ(bar.close.value(), dec("30010.5"));
  EXPECT_EQ(bar.volume.value(), dec("12.34"));

  const auto arr = parse_ok(
      R"({"channel":"candle","data":[{"t":0,"T":59999,"s":"ETH","i":"1m","o":2000,"c":2001.5,"h":2002,"l":1999,"v":"1","n":1}]})");
  ASSERT_EQ(arr.candles.size(), 1U);
  EXPECT_EQ(arr.candles[0].close, dec("2001.5"));  // a bare JSON number is read exactly too
}

TEST(HyperliquidWsMessages, ParsesBboWithAnEmptySide) {
  const auto m = parse_ok(
      R"({"channel":"bbo","data":{"coin":"BTC","time":1700000000500,"bbo":[{"px":"29999","sz":"0.4","n":2},null]}})");
  ASSERT_EQ(m.channel, hl::WsChannel::Bbo);
  ASSERT_TRUE(m.bbo.bid.has_value());
  EXPECT_EQ(m.bbo.bid->price.value(), dec("29999"));
  EXPECT_EQ(m.bbo.bid->size.value(), dec("0.4"));
  EXPECT_FALSE(m.bbo.ask.has_value());
  EXPECT_EQ(m.bbo.time, core::UnixNanos::from_millis(1700000000500));
}

TEST(HyperliquidWsMessages, ParsesOrderUpdates) {
  const auto m = parse_ok(
      R"({"channel":"orderUpdates","data":[{"order":{"coin":"ETH","side":"A","limitPx":"2100.5","sz":"0.7","oid":91,)"
      R"("timestamp":1700000000000,"origSz":"1.0","cloid":"0x00000000000000000000000000000001"},"status":"canceled","statusTimestamp":1700000000200},)"
      R"({"order":{"coin":"BTC","side":"B","limitPx":"30000","sz":"0","oid":92,"timestamp":1700000000001,"origSz":"0.01"},"status":"filled","statusTimestamp":1700000000300},)"
      R"({"order":{"coin":"BTC","side":"B","limitPx":"1","sz":"1","oid":93,"timestamp":1,"origSz":"1"},"status":"perpMarginRejected","statusTimestamp":2}]})");
  ASSERT_EQ(m.channel, hl::WsChannel::OrderUpdates);
  ASSERT_EQ(m.orders.size(), 3U);
  const hl::WsOrderUpdate& a = m.orders[0];
  EXPECT_EQ(a.order.coin, "ETH");
  EXPECT_FALSE(a.order.is_buy);
  EXPECT_EQ(a.order.limit_px, dec("2100.5"));
  EXPECT_EQ(a.order.sz, dec("0.7"));
  EXPECT_EQ(a.order.orig_sz, dec("1"));
  EXPECT_EQ(a.order.oid, 91U);
  ASSERT_TRUE(a.order.cloid.has_value());
  EXPECT_EQ(a.order.cloid->to_wire(), "0x00000000000000000000000000000001");
  EXPECT_EQ(a.status, "canceled");
  EXPECT_EQ(a.status_time, core::UnixNanos::from_millis(1700000000200));
  EXPECT_FALSE(a.is_open());
  EXPECT_FALSE(a.is_rejected());
  EXPECT_TRUE(m.orders[1].is_filled());
  EXPECT_FALSE(m.orders[1].order.cloid.has_value());
  EXPECT_TRUE(m.orders[2].is_rejected());
}

TEST(HyperliquidWsMessages, ParsesAUserFillsSnapshotFlag) {
  const auto m = parse_ok(
      R"({"channel":"userFills","data":{"isSnapshot":true,"user":"0xabc","fills":[{"coin":"BTC","px":"30000","sz":"0.01",)"
      R"("side":"B","time":1700000000000,"startPosition":"0","dir":"Open Long","closedPnl":"0.0","hash":"0x1","oid":5,)"
      R"("crossed":true,"fee":"0.135","feeToken":"USDC","tid":900}]}})");
  ASSERT_EQ(m.channel, hl::WsChannel::UserFills);
  EXPECT_TRUE(m.user_fills.is_snapshot);
  EXPECT_EQ(m.user_fills.user, "0xabc");
  ASSERT_EQ(m.user_fills.fills.size(), 1U);
  EXPECT_EQ(m.user_fills.fills[0].tid, 900U);
  EXPECT_EQ(m.user_fills.fills[0].fee, dec("0.135"));

  const auto live = parse_ok(R"({"channel":"userFills","data":{"user":"0xabc","fills":[]}})");
  EXPECT_FALSE(live.user_fills.is_snapshot);  // absent = a live update
  EXPECT_TRUE(live.user_fills.fills.empty());
}

TEST(HyperliquidWsMessages, ParsesUserEvents) {
  const auto cancels =
      parse_ok(R"({"channel":"user","data":{"nonUserCancel":[{"coin":"BTC","oid":17},{"coin":"ETH","oid":18}]}})");
  ASSERT_EQ(cancels.channel, hl::WsChannel::UserEvents);
  ASSERT_EQ(cancels.user_event.non_user_cancels.size(), 2U);
  EXPECT_EQ(cancels.user_event.non_user_cancels[1].coin, "ETH");
  EXPECT_EQ(cancels.user_event.non_user_cancels[1].oid, 18U);

  const auto funding = parse_ok(
      R"({"channel":"user","data":{"funding":{"time":1700000000000,"coin":"ETH","usdc":"-0.51","szi":"2.5","fundingRate":"0.0000125"}}})");
  ASSERT_TRUE(funding.user_event.funding.has_value());
  EXPECT_EQ(funding.user_event.funding->usdc, dec("-0.51"));
  EXPECT_EQ(funding.user_event.funding->funding_rate, dec("0.0000125"));
  EXPECT_TRUE(funding.user_event.non_user_cancels.empty());

  const auto liq = parse_ok(
      R"({"channel":"user","data":{"liquidation":{"lid":3,"liquidator":"0xa","liquidated_user":"0xb","liquidated_ntl_pos":"1000.5","liquidated_account_value":"20"}}})");
  ASSERT_TRUE(liq.user_event.liquidation.has_value());
  EXPECT_EQ(liq.user_event.liquidation->lid, 3U);
  EXPECT_EQ(liq.user_event.liquidation->liquidated_ntl_pos, dec("1000.5"));
}

TEST(HyperliquidWsMessages, RecognisesControlMessages) {
  EXPECT_EQ(parse_ok(R"({"channel":"pong"})").channel, hl::WsChannel::Pong);
  const auto sub = parse_ok(
      R"({"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"trades","coin":"SOL"}}})");
  EXPECT_EQ(sub.channel, hl::WsChannel::SubscriptionResponse);
  EXPECT_EQ(sub.text, R"({"type":"trades","coin":"SOL"})");
  const auto err = parse_ok(R"({"channel":"error","data":"Invalid subscription {\"type\":\"nope\"}"})");
  EXPECT_EQ(err.channel, hl::WsChannel::Error);
  EXPECT_EQ(err.text, R"(Invalid subscription {\"type\":\"nope\"})");
  const auto other = parse_ok(R"({"channel":"allMids","data":{"mids":{"BTC":"30000"}}})");
  EXPECT_EQ(other.channel, hl::WsChannel::Other);
  EXPECT_EQ(other.channel_name, "allMids");
}

TEST(HyperliquidWsMessages, ErrorsNameTheJsonPath) {
  auto e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1","sz":"1","n":1}],[{"px":"abc","sz":"1","n":1}]]}})");
  EXPECT_EQ(e.code(), core::ErrorCode::ParseError);
  EXPECT_EQ(e.where(), "data.levels[1][0].px");

  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1","n":1}],[]]}})");
  EXPECT_EQ(e.where(), "data.levels[0][0].sz");
  EXPECT_EQ(e.message(), "missing field");

  e = parse_err(R"({"channel":"trades","data":[{"coin":"X","side":"S","px":"1","sz":"1","time":1,"tid":1}]})");
  EXPECT_EQ(e.where(), "data[0].side");

  e = parse_err(R"({"channel":"trades","data":[{"coin":"X","side":"B","px":"1","sz":"1","tid":1}]})");
  EXPECT_EQ(e.where(), "data[0].time");

  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[]]}})");
  EXPECT_EQ(e.where(), "data.levels");

  e = parse_err(R"({"channel":"userFills","data":{"user":"0x1","fills":[{"coin":"BTC"}]}})");
  EXPECT_EQ(e.where(), "data.fills[0].px");  // info_parser's path, prefixed

  e = parse_err(R"({"channel":"orderUpdates","data":[{"order":{"coin":"BTC","side":"B","limitPx":"1","sz":"1","oid":-4,"timestamp":1},"status":"open","statusTimestamp":1}]})");
  EXPECT_EQ(e.where(), "data[0].order.oid");

  e = parse_err(R"({"data":{}})");
  EXPECT_EQ(e.where(), "channel");
  e = parse_err(R"({"channel":"l2Book"})");
  EXPECT_EQ(e.where(), "data");
  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC")");
  EXPECT_EQ(e.code(), core::ErrorCode::ParseError);
  e = parse_err("not json");
  EXPECT_EQ(e.code(), core::ErrorCode::ParseError);
}

TEST(HyperliquidWsMessages, BuildsSubscriptionMessagesInTheDocumentedForm) {
  EXPECT_EQ(hl::ws_subscribe_message("l2Book", "coin", "BTC"),
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}})");
  EXPECT_EQ(hl::ws_subscribe_message("userFills", "user", "0xab", "unsubscribe"),
            R"({"method":"unsubscribe","subscription":{"type":"userFills","user":"0xab"}})");
  EXPECT_EQ(hl::ws_candle_subscribe_message("ETH", "15m"),
            R"({"method":"subscribe","subscription":{"type":"candle","coin":"ETH","interval":"15m"}})");
  EXPECT_EQ(hl::kWsPingMessage, R"({"method":"ping"})");
}

TEST(HyperliquidWsMessages, MapsCandleIntervals) {
  EXPECT_EQ(hl::ws_interval_duration("15m"), core::Duration(std::chrono::minutes(15)));
  EXPECT_EQ(hl::ws_interval_duration("1w"), core::Duration(std::chrono::hours(24 * 7)));
  EXPECT_FALSE(hl::ws_interval_duration("1M").has_value());  // a calendar month has no fixed length
  EXPECT_EQ(hl::ws_interval_name(std::chrono::hours(4)), "4h");
  EXPECT_FALSE(hl::ws_interval_name(std::chrono::minutes(7)).has_value());
}

}  // namespace
