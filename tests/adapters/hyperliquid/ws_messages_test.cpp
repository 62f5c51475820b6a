// Hyperliquid WebSocket message parsing. The messages follow the shapes of the Hyperliquid docs ("Websocket"
// → "Subscriptions": WsBook, WsTrade, Candle, WsBbo, WsOrder, WsUserFills, WsUserEvent); every expected
// value is read off the message text by hand.
#include "ballast/adapters/hyperliquid/ws_messages.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

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

// The compact l2Book reader (issue 8 fast path) and the general parser must agree: the same book written
// compactly, with whitespace, and with its members in another order (with an extra member) gives the same
// snapshot, read off the text by hand.
TEST(HyperliquidWsMessages, L2BookGivesTheSameSnapshotWhicheverWayItIsWritten) {
  const std::string_view texts[] = {
      R"({"channel":"l2Book","data":{"coin":"ETH","time":1700000000500,"levels":[[{"px":"2000.1","sz":"3.5","n":2}],[{"px":"2000.2","sz":"0.0001","n":1},{"px":"2000.4","sz":"10","n":5}]]}})",
      R"({ "channel" : "l2Book", "data" : { "coin" : "ETH", "time" : 1700000000500, "levels" : [ [ { "px" : "2000.1", "sz" : "3.5", "n" : 2 } ], [ { "px" : "2000.2", "sz" : "0.0001", "n" : 1 }, { "px" : "2000.4", "sz" : "10", "n" : 5 } ] ] } })",
      R"({"channel":"l2Book","data":{"levels":[[{"n":2,"sz":"3.5","px":"2000.1"}],[{"px":"2000.2","sz":"0.0001","n":1},{"px":"2000.4","sz":"10","n":5}]],"extra":[1,{"a":null}],"time":1700000000500,"coin":"ETH"}})",
  };
  for (std::string_view text : texts) {
    const auto m = parse_ok(text);
    ASSERT_EQ(m.channel, hl::WsChannel::L2Book) << text;
    EXPECT_EQ(m.channel_name, "l2Book");
    EXPECT_EQ(m.book.coin, "ETH");
    const auto& s = m.book.snapshot;
    ASSERT_EQ(s.bids.size(), 1U) << text;
    ASSERT_EQ(s.asks.size(), 2U) << text;
    EXPECT_EQ(s.bids[0], (model::BookLevel{model::Price::from_raw(20001, 1), model::Quantity::from_raw(35, 1)}));
    EXPECT_EQ(s.asks[0], (model::BookLevel{model::Price::from_raw(20002, 1), model::Quantity::from_raw(1, 4)}));
    EXPECT_EQ(s.asks[1], (model::BookLevel{model::Price::from_raw(20004, 1), model::Quantity::from_raw(10, 0)}));
    EXPECT_EQ(s.asks[0].size.value().scale(), 4);  // "0.0001" keeps its places
    EXPECT_EQ(s.update_id, 1700000000500U);
    EXPECT_EQ(s.ts_recv, kRecv);
  }
}

TEST(HyperliquidWsMessages, L2BookValuesTheCompactReaderRefusesGoToTheGeneralParser) {
  // Each of these is compact but outside the fast reader's form; the general parser decides (and names
  // the path when it refuses).
  auto e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1.2.3","sz":"1","n":1}],[]]}})");
  EXPECT_EQ(e.where(), "data.levels[0][0].px");
  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[],[{"px":"1","sz":"-1","n":1}]]}})");
  EXPECT_EQ(e.where(), "data.levels[1][0].sz");
  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1","sz":"1","n":1}],[]]}} x)");
  EXPECT_EQ(e.code(), core::ErrorCode::ParseError);
  // A time beyond what UnixNanos holds (2^63 ns ≈ 9223372036854 ms).
  e = parse_err(R"({"channel":"l2Book","data":{"coin":"BTC","time":9223372036855,"levels":[[],[]]}})");
  EXPECT_EQ(e.where(), "data.time");
  // 19 digits do not fit the fast reader's int64; the general parser reads the exact value.
  const auto m = parse_ok(R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1","sz":"0.1000000000000000000","n":1}],[]]}})");
  EXPECT_EQ(m.book.snapshot.bids[0].size.value(), dec("0.1"));
}

// Consecutive pushes applied to an OrderBook: the second removes the bid at 29999.0, adds an ask at
// 30001.5 and changes the size at 30000.5. The expected book is written out by hand from the two texts.
TEST(HyperliquidWsMessages, L2BookPushThatRemovesAddsAndResizesLevelsAtOnceGivesTheHandComputedBook) {
  model::OrderBook book(core::InstrumentId("BTC-PERP", core::VenueId("HYPERLIQUID")), model::Price::from_raw(5, 1));
  hl::WsMessage m;
  ASSERT_TRUE(hl::parse_ws_message(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":1000,"levels":[)"
      R"([{"px":"30000.0","sz":"1.5","n":2},{"px":"29999.5","sz":"2","n":1},{"px":"29999.0","sz":"0.25","n":1}],)"
      R"([{"px":"30000.5","sz":"1","n":1},{"px":"30001.0","sz":"3","n":2}]]}})",
      kRecv, m));
  ASSERT_TRUE(book.apply_snapshot(m.book.snapshot));
  ASSERT_TRUE(hl::parse_ws_message(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":1500,"levels":[)"
      R"([{"px":"30000.0","sz":"1.5","n":2},{"px":"29999.5","sz":"2","n":1}],)"
      R"([{"px":"30000.5","sz":"0.75","n":1},{"px":"30001.0","sz":"3","n":2},{"px":"30001.5","sz":"4","n":3}]]}})",
      kRecv, m));
  ASSERT_TRUE(book.apply_snapshot(m.book.snapshot));
  const auto level = [](std::int64_t px_tenths, std::int64_t sz_raw, int sz_scale) {
    return model::BookLevel{model::Price::from_raw(px_tenths, 1), model::Quantity::from_raw(sz_raw, sz_scale)};
  };
  EXPECT_EQ(book.update_id(), 1500U);
  ASSERT_EQ(book.level_count(model::OrderSide::Buy), 2U);
  EXPECT_EQ(book.level(model::OrderSide::Buy, 0), level(300000, 15, 1));
  EXPECT_EQ(book.level(model::OrderSide::Buy, 1), level(299995, 2, 0));
  ASSERT_EQ(book.level_count(model::OrderSide::Sell), 3U);
  EXPECT_EQ(book.level(model::OrderSide::Sell, 0), level(300005, 75, 2));
  EXPECT_EQ(book.level(model::OrderSide::Sell, 1), level(300010, 3, 0));
  EXPECT_EQ(book.level(model::OrderSide::Sell, 2), level(300015, 4, 0));
  // Equal levels pushed again leave the book as it was.
  ASSERT_TRUE(book.apply_snapshot(m.book.snapshot));
  EXPECT_EQ(book.level(model::OrderSide::Sell, 0), level(300005, 75, 2));
  EXPECT_EQ(book.level_count(model::OrderSide::Sell), 3U);
}

TEST(HyperliquidWsMessages, L2BookValuesOfEveryLengthMatchDecimalParse) {
  // The compact reader converts up to 8 bytes at a time; prices and sizes of 1 to 18 digits with the point
  // anywhere are compared with core::Decimal::parse of the same text (an independent decoder).
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> length(1, 18);
  const auto random_decimal = [&] {
    const int n = length(rng);
    std::uniform_int_distribution<int> point_at(0, n - 1);  // digits before the point; 0 → no point
    const int before = point_at(rng);
    std::string text;
    for (int i = 0; i < n; ++i) {
      if (before > 0 && i == before) text += '.';
      text += static_cast<char>('0' + (i == 0 ? 1 + digit(rng) % 9 : digit(rng)));
    }
    return text;
  };
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> values;
    std::string bids;
    for (int i = 0; i < 4; ++i) {
      values.push_back(random_decimal());
      values.push_back(random_decimal());
      if (i > 0) bids += ',';
      bids += R"({"px":")" + values[values.size() - 2] + R"(","sz":")" + values.back() + R"(","n":1})";
    }
    const auto m = parse_ok(R"({"channel":"l2Book","data":{"coin":"X","time":1,"levels":[[)" + bids + "],[]]}}");
    ASSERT_EQ(m.book.snapshot.bids.size(), 4U);
    for (std::size_t i = 0; i < 4; ++i) {
      const Decimal px = dec(values[2 * i]);
      const Decimal sz = dec(values[2 * i + 1]);
      EXPECT_EQ(m.book.snapshot.bids[i].price.value(), px) << values[2 * i];
      EXPECT_EQ(m.book.snapshot.bids[i].size.value(), sz) << values[2 * i + 1];
      const auto point = values[2 * i + 1].find('.');
      const int places = point == std::string::npos ? 0 : static_cast<int>(values[2 * i + 1].size() - point - 1);
      EXPECT_EQ(m.book.snapshot.bids[i].size.value().scale(), places) << values[2 * i + 1];
    }
  }
}

TEST(HyperliquidWsMessages, L2BookPricesWrittenWithoutTheirTrailingZerosReachTheBookOnItsTickGrid) {
  // Hyperliquid trims trailing zeros ("30000", "29999.5"); BTC's price tick is 0.1 (one decimal: 6 −
  // szDecimals 5). Expected ticks by hand: 30000 → 300000, 29999.5 → 299995, 30000.5 → 300005, 30001 →
  // 300010. A second push that writes 30000 as "30000.0" with the same size is the same level.
  model::OrderBook book(core::InstrumentId("BTC-PERP", core::VenueId("HYPERLIQUID")), model::Price::from_raw(1, 1));
  hl::WsMessage m;
  ASSERT_TRUE(hl::parse_ws_message(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":2000,"levels":[)"
      R"([{"px":"30000","sz":"0.5","n":1},{"px":"29999.5","sz":"1.25","n":2}],)"
      R"([{"px":"30000.5","sz":"2","n":1},{"px":"30001","sz":"0.00001","n":1}]]}})",
      kRecv, m));
  ASSERT_TRUE(book.apply_snapshot(m.book.snapshot));
  const auto level = [](std::int64_t px_tenths, std::int64_t sz_raw, int sz_scale) {
    return model::BookLevel{model::Price::from_raw(px_tenths, 1), model::Quantity::from_raw(sz_raw, sz_scale)};
  };
  ASSERT_EQ(book.level_count(model::OrderSide::Buy), 2U);
  EXPECT_EQ(book.level(model::OrderSide::Buy, 0), level(300000, 5, 1));
  EXPECT_EQ(book.level(model::OrderSide::Buy, 1), level(299995, 125, 2));
  ASSERT_EQ(book.level_count(model::OrderSide::Sell), 2U);
  EXPECT_EQ(book.level(model::OrderSide::Sell, 0), level(300005, 2, 0));
  EXPECT_EQ(book.level(model::OrderSide::Sell, 1), level(300010, 1, 5));
  EXPECT_EQ(*book.spread_ticks(), 5);
  ASSERT_TRUE(hl::parse_ws_message(
      R"({"channel":"l2Book","data":{"coin":"BTC","time":2500,"levels":[)"
      R"([{"px":"30000.0","sz":"0.5","n":1}],[{"px":"30000.5","sz":"2","n":1}]]}})",
      kRecv, m));
  ASSERT_TRUE(book.apply_snapshot(m.book.snapshot));
  EXPECT_EQ(book.level(model::OrderSide::Buy, 0), level(300000, 5, 1));
  EXPECT_EQ(book.level_count(model::OrderSide::Buy), 1U);
  EXPECT_EQ(book.update_id(), 2500U);
}

TEST(HyperliquidWsMessages, L2BookLevelsWithLongValuesAmongShortOnesGiveTheSameSnapshotAsTheGeneralParser) {
  // The word-at-a-time level reader takes values of up to 7 digits on each side of the point and leaves the
  // others (8 and more, here in the middle of a side) to the byte-by-byte reader; the same push written with
  // spaces goes through the general parser, a second implementation, and must give the same levels.
  const std::string compact =
      R"({"channel":"l2Book","data":{"coin":"ETH","time":7,"levels":[[)"
      R"({"px":"2000.1","sz":"3.5","n":2},{"px":"2000.00000001","sz":"12345678","n":1},)"
      R"({"px":"1999.9","sz":"0.12345678","n":12345678},{"px":"1999.8","sz":"1","n":1}],)"
      R"([{"px":"2000.2","sz":"1","n":1},{"px":"2000.3","sz":"2","n":1},{"px":"2000.4","sz":"3","n":1}]]}})";
  std::string spaced;
  for (char c : compact) {
    spaced += c;
    if (c == ',' || c == ':') spaced += ' ';
  }
  const auto a = parse_ok(compact);
  const auto b = parse_ok(spaced);
  ASSERT_EQ(a.book.snapshot.bids.size(), 4U);
  ASSERT_EQ(a.book.snapshot.asks.size(), 3U);
  EXPECT_EQ(a.book.snapshot.bids, b.book.snapshot.bids);
  EXPECT_EQ(a.book.snapshot.asks, b.book.snapshot.asks);
  EXPECT_EQ(a.book.snapshot.bids[1].price.value(), dec("2000.00000001"));
  EXPECT_EQ(a.book.snapshot.bids[1].size.value(), dec("12345678"));
  EXPECT_EQ(a.book.snapshot.bids[2].size.value(), dec("0.12345678"));
}

TEST(HyperliquidWsMessages, L2BookPushesOfManyLevelsOfEveryLengthMatchDecimalParse) {
  // The compact reader converts a value whose digits and point fit one 8-byte word in one step and longer
  // ones a word per side of the point (more than 7 digits on a side: byte by byte); pushes of 40 levels a
  // side (one of 150, over 8 KiB) with values of 1 to 18 digits, the point anywhere, put every form at every
  // alignment. Every value is compared with core::Decimal::parse of its text (an independent decoder).
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> length(1, 18);
  std::uniform_int_distribution<int> orders(1, 999);
  const auto random_decimal = [&] {
    const int n = length(rng);
    std::uniform_int_distribution<int> point_at(0, n - 1);  // digits before the point; 0 → no point
    const int before = point_at(rng);
    std::string text;
    for (int i = 0; i < n; ++i) {
      if (before > 0 && i == before) text += '.';
      text += static_cast<char>('0' + digit(rng));
    }
    return text;
  };
  for (int round = 0; round < 60; ++round) {
    const std::size_t levels = round == 0 ? 150 : 40;
    std::vector<std::string> values[2];
    std::string sides[2];
    for (int side = 0; side < 2; ++side) {
      for (std::size_t i = 0; i < levels; ++i) {
        values[side].push_back(random_decimal());
        values[side].push_back(random_decimal());
        if (i > 0) sides[side] += ',';
        sides[side] += R"({"px":")" + values[side][2 * i] + R"(","sz":")" + values[side][2 * i + 1] + R"(","n":)" +
                       std::to_string(orders(rng)) + "}";
      }
    }
    const std::string text =
        R"({"channel":"l2Book","data":{"coin":"X","time":1,"levels":[[)" + sides[0] + "],[" + sides[1] + "]]}}";
    if (round == 0) {
      ASSERT_GT(text.size(), 8192U);
    }
    const auto m = parse_ok(text);
    const std::vector<model::BookLevel>* parsed[2] = {&m.book.snapshot.bids, &m.book.snapshot.asks};
    for (int side = 0; side < 2; ++side) {
      ASSERT_EQ(parsed[side]->size(), levels);
      for (std::size_t i = 0; i < levels; ++i) {
        const model::BookLevel& level = (*parsed[side])[i];
        EXPECT_EQ(level.price.value(), dec(values[side][2 * i])) << values[side][2 * i];
        EXPECT_EQ(level.price.value().scale(), dec(values[side][2 * i]).scale()) << values[side][2 * i];
        EXPECT_EQ(level.size.value(), dec(values[side][2 * i + 1])) << values[side][2 * i + 1];
        EXPECT_EQ(level.size.value().scale(), dec(values[side][2 * i + 1]).scale()) << values[side][2 * i + 1];
      }
    }
  }
}

TEST(HyperliquidWsMessages, L2BookLevelValuesThatAreNotPlainDecimalsAreRefusedWithTheirPath) {
  // Each malformed value sits in a push long enough for the word-at-a-time reader; the general parser then
  // names it.
  const auto push = [](std::string_view px, std::string_view sz) {
    std::string bids;
    for (int i = 0; i < 6; ++i) bids += R"({"px":"100.5","sz":"1.25","n":3},)";
    return R"({"channel":"l2Book","data":{"coin":"X","time":1,"levels":[[)" + bids + R"({"px":")" + std::string(px) +
           R"(","sz":")" + std::string(sz) + R"(","n":1},{"px":"99","sz":"1","n":1}],[]]}})";
  };
  EXPECT_EQ(parse_ok(push("100.25", "7")).book.snapshot.bids[6].price.value(), dec("100.25"));
  for (const auto& [px, sz] : std::vector<std::pair<std::string, std::string>>{
           {"1.2.3", "1"}, {"abc", "1"}, {"", "1"}, {"1", "1,5"}, {"1", "x"}}) {
    const core::Error e = parse_err(push(px, sz));
    EXPECT_EQ(e.where(), px == "1" ? "data.levels[0][6].sz" : "data.levels[0][6].px") << px << " " << sz;
  }
}

}  // namespace
