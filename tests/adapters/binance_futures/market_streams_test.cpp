// Parsers of the Binance USDⓈ-M Futures market streams. Expected values are read off the documentation's
// example messages (developers.binance.com, "USDⓈ-M Futures / WebSocket Market Streams" and "Order Book"),
// copied here by hand; the malformed cases are each checked for the JSON field the error names.

#include "ballast/adapters/binance_futures/market_streams.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ballast::adapters::binance {
namespace {

using core::UnixNanos;
using model::OrderSide;
using model::Price;
using model::Quantity;

Price px(std::int64_t raw, int scale) { return Price::from_raw(raw, scale); }
Quantity qty(std::int64_t raw, int scale) { return Quantity::from_raw(raw, scale); }

// The "Diff. Book Depth Streams" response example.
constexpr std::string_view kDepthExample =
    R"({"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,)"
    R"("b":[["0.0024","10"]],"a":[["0.0026","100"]]})";

// The "Aggregate Trade Streams" response example.
constexpr std::string_view kAggTradeExample =
    R"({"e":"aggTrade","E":123456789,"s":"BTCUSDT","a":5933014,"p":"0.001","q":"100","f":100,"l":105,)"
    R"("T":123456785,"m":true})";

std::string depth_error_where(std::string_view json, std::string_view path = "") {
  DepthUpdate out;
  auto s = parse_depth_update(json, out, path);
  if (s) return "<parsed>";
  return s.error().where();
}

std::string trade_error_where(std::string_view json) {
  AggTrade out;
  auto s = parse_agg_trade(json, out);
  if (s) return "<parsed>";
  return s.error().where();
}

TEST(BinanceMarketStreams, ParsesTheDocumentedDepthUpdateExample) {
  DepthUpdate d;
  ASSERT_TRUE(parse_depth_update(kDepthExample, d));
  EXPECT_EQ(d.symbol, "BTCUSDT");
  EXPECT_EQ(d.event_time, UnixNanos::from_millis(123456789));
  EXPECT_EQ(d.transaction_time, UnixNanos::from_millis(123456788));
  EXPECT_EQ(d.first_update_id, 157u);
  EXPECT_EQ(d.final_update_id, 160u);
  EXPECT_EQ(d.prev_final_update_id, 149u);
  ASSERT_EQ(d.deltas.size(), 2u);
  EXPECT_EQ(d.deltas[0].side, OrderSide::Buy);
  EXPECT_EQ(d.deltas[0].price, px(24, 4));  // "0.0024"
  EXPECT_EQ(d.deltas[0].size, qty(10, 0));
  EXPECT_EQ(d.deltas[1].side, OrderSide::Sell);
  EXPECT_EQ(d.deltas[1].price, px(26, 4));
  EXPECT_EQ(d.deltas[1].size, qty(100, 0));
  EXPECT_EQ(d.deltas[0].price.precision(), 4);  // the written precision is kept
}

TEST(BinanceMarketStreams, DepthUpdateCoversEverythingAfterPreviousFinalId) {
  DepthUpdate d;
  ASSERT_TRUE(parse_depth_update(kDepthExample, d));
  const auto recv = UnixNanos::from_millis(123456790);
  const model::BookUpdate u = d.book_update(recv);
  EXPECT_EQ(u.first_update_id, 150u);  // pu + 1 = 149 + 1
  EXPECT_EQ(u.last_update_id, 160u);
  EXPECT_EQ(u.ts_event, UnixNanos::from_millis(123456788));  // T
  EXPECT_EQ(u.ts_recv, recv);
}

TEST(BinanceMarketStreams, ReusesTheDepthUpdateAndAcceptsAnyMemberOrderAndUnknownMembers) {
  DepthUpdate d;
  ASSERT_TRUE(parse_depth_update(kDepthExample, d));
  // Members reordered, whitespace everywhere, unknown members of every JSON type (escapes inside them).
  const std::string_view reordered = R"(  {
      "a" : [ ["101.5", "0"] , ["101.6","2.25"] ],
      "x" : {"nested": [1, 2.5e3, "q\"uote", null, true, {"k": []}]},
      "pu": 7, "u": 9, "U": 8, "s": "ETHUSDT", "T": 5, "E": 6, "flag": false,
      "b" : [] , "e" : "depthUpdate"
  } )";
  ASSERT_TRUE(parse_depth_update(reordered, d));
  EXPECT_EQ(d.symbol, "ETHUSDT");
  ASSERT_EQ(d.deltas.size(), 2u);  // the earlier message's deltas are gone
  EXPECT_EQ(d.deltas[0].side, OrderSide::Sell);
  EXPECT_EQ(d.deltas[0].price, px(1015, 1));
  EXPECT_TRUE(d.deltas[0].size.is_zero());
  EXPECT_EQ(d.deltas[1].size, qty(225, 2));
  EXPECT_EQ(d.first_update_id, 8u);
  EXPECT_EQ(d.prev_final_update_id, 7u);
}

TEST(BinanceMarketStreams, DepthUpdateErrorsNameTheField) {
  // Missing member.
  EXPECT_EQ(depth_error_where(R"({"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"u":2,"b":[],"a":[]})"), "pu");
  // Wrong types.
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":"1","u":2,"pu":0,"b":[],"a":[]})"), "U");
  EXPECT_EQ(depth_error_where(R"({"E":1.5,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "E");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":99999999999999999999,"pu":0,"b":[],"a":[]})"), "u");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":-1,"b":[],"a":[]})"), "pu");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":5,"U":1,"u":2,"pu":0,"b":[],"a":[]})"), "s");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":{},"a":[]})"), "b");
  // Bad levels: the entry and the column.
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1.0","2"],["abc","1"]],"a":[]})"),
            "b[1][0]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[["1.0","-2"]]})"), "a[0][1]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[["1.0",2]]})"), "a[0][1]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1.0"]],"a":[]})"), "b[0]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1.0","1","1"]],"a":[]})"), "b[0]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":["1.0"],"a":[]})"), "b[0]");
  // An escape inside a compact level leaves the fast path; the general one names the column.
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1\u0030","1"]],"a":[]})"), "b[0][0]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["","1"]],"a":[]})"), "b[0][0]");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1","1"],["2","1"]]})"), "a");
  // Inconsistent ids.
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":3,"u":2,"pu":0,"b":[],"a":[]})"), "U");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":2,"b":[],"a":[]})"), "pu");
  // Another event type, an escaped symbol, an empty symbol.
  EXPECT_EQ(depth_error_where(R"({"e":"aggTrade","E":1})"), "e");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X\u0041","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "s");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "s");
  // The wrapped path is prefixed.
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1","1"],["x","1"]],"a":[]})", "data"),
            "data.b[1][0]");
}

TEST(BinanceMarketStreams, MalformedJsonIsRejectedWithAPosition) {
  DepthUpdate d;
  for (std::string_view bad : {std::string_view(""), std::string_view("["), std::string_view(R"({"E":1,)"),
                               std::string_view(R"({"E" 1})"), std::string_view(R"({"E":1 "T":2})"),
                               std::string_view(R"({"b":[["1","2"]})"), std::string_view(R"({"s":"unterminated})"),
                               std::string_view(R"({"x":tru})"), kDepthExample.substr(0, kDepthExample.size() - 1)}) {
    auto s = parse_depth_update(bad, d);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code(), core::ErrorCode::ParseError) << bad;
    EXPECT_NE(s.error().message().find("byte"), std::string::npos) << s.error().message();
  }
  // Text after the object.
  const std::string trailing = std::string(kDepthExample) + " x";
  auto s = parse_depth_update(trailing, d);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("unexpected text after the JSON object"), std::string::npos);
}

TEST(BinanceMarketStreams, ParsesTheDocumentedAggTradeExample) {
  AggTrade t;
  ASSERT_TRUE(parse_agg_trade(kAggTradeExample, t));
  EXPECT_EQ(t.symbol, "BTCUSDT");
  EXPECT_EQ(t.aggregate_id, 5933014);
  EXPECT_EQ(t.price, px(1, 3));
  EXPECT_EQ(t.quantity, qty(100, 0));
  EXPECT_EQ(t.first_trade_id, 100);
  EXPECT_EQ(t.last_trade_id, 105);
  EXPECT_EQ(t.event_time, UnixNanos::from_millis(123456789));
  EXPECT_EQ(t.trade_time, UnixNanos::from_millis(123456785));
  EXPECT_TRUE(t.buyer_is_maker);
  const core::InstrumentId id("BTCUSDT", core::VenueId("BINANCE"));
  const model::TradeTick tick = t.to_trade_tick(id, UnixNanos::from_millis(123456800));
  EXPECT_EQ(tick.instrument_id, id);
  // "Is the buyer the market maker?" true → the seller took liquidity.
  EXPECT_EQ(tick.aggressor, model::AggressorSide::Seller);
  EXPECT_EQ(tick.trade_id.value(), "5933014");
  EXPECT_EQ(tick.ts_event, UnixNanos::from_millis(123456785));
  EXPECT_EQ(tick.ts_recv, UnixNanos::from_millis(123456800));
}

TEST(BinanceMarketStreams, AggTradeErrorsNameTheField) {
  EXPECT_EQ(trade_error_where(R"({"e":"aggTrade","E":1,"s":"X","a":1,"q":"1","f":1,"l":1,"T":1,"m":true})"), "p");
  EXPECT_EQ(trade_error_where(R"({"E":1,"s":"X","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":"true"})"), "m");
  EXPECT_EQ(trade_error_where(R"({"E":1,"s":"X","a":1,"p":"1","q":"0","f":1,"l":1,"T":1,"m":true})"), "q");
  EXPECT_EQ(trade_error_where(R"({"E":1,"s":"X","a":1,"p":"1e","q":"1","f":1,"l":1,"T":1,"m":true})"), "p");
  EXPECT_EQ(trade_error_where(R"({"E":1,"s":"X","a":"1","p":"1","q":"1","f":1,"l":1,"T":1,"m":true})"), "a");
  EXPECT_EQ(trade_error_where(R"({"E":1,"s":"X","a":1,"p":"1","q":"1","f":1,"l":1,"T":-5,"m":true})"), "T");
  EXPECT_EQ(trade_error_where(R"({"e":"trade","E":1})"), "e");
  EXPECT_EQ(trade_error_where(R"([1,2])"), "$");
}

TEST(BinanceMarketStreams, ParsesTheDocumentedMarkPriceExample) {
  auto m = parse_mark_price_update(
      R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091",)"
      R"("P":"11784.25641265","r":"0.00038167","T":1562306400000})");
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->symbol, "BTCUSDT");
  EXPECT_EQ(m->event_time, UnixNanos::from_millis(1562305380000));
  EXPECT_EQ(m->mark_price, px(1179415000000, 8));
  EXPECT_EQ(m->index_price, px(1178462659091, 8));
  ASSERT_TRUE(m->estimated_settle_price);
  EXPECT_EQ(*m->estimated_settle_price, px(1178425641265, 8));
  ASSERT_TRUE(m->funding_rate);
  EXPECT_EQ(*m->funding_rate, core::Decimal::from_raw(38167, 8));
  ASSERT_TRUE(m->next_funding_time);
  EXPECT_EQ(*m->next_funding_time, UnixNanos::from_millis(1562306400000));
}

TEST(BinanceMarketStreams, MarkPriceOfADeliveryContractHasNoFunding) {
  // Delivery contracts: "r" is "" and "T" is 0 (the COIN-M example's convention, also used by USDⓈ-M).
  auto m = parse_mark_price_update(
      R"({"e":"markPriceUpdate","E":1596095725000,"s":"BTCUSDT_201225","p":"10934.62615417","i":"10933.62615417",)"
      R"("P":"","r":"","T":0})");
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_FALSE(m->funding_rate);
  EXPECT_FALSE(m->next_funding_time);
  EXPECT_FALSE(m->estimated_settle_price);
  auto bad = parse_mark_price_update(R"({"E":1,"s":"X","p":"1","i":"one","r":"","T":0})", "data");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "data.i");
}

TEST(BinanceMarketStreams, ParsesAClosedKlineAndRejectsTheDocumentedExampleWhoseOpenIsBelowItsLow) {
  // The documentation's example has o = 0.0010 below l = 0.0015: a bar no exchange can print.
  auto doc = parse_kline_update(
      R"({"e":"kline","E":1638747660000,"s":"BTCUSDT","k":{"t":1638747660000,"T":1638747719999,"s":"BTCUSDT",)"
      R"("i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,)"
      R"("x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().where(), "k.o");
  // The same message with the open inside the range and the kline closed.
  auto k = parse_kline_update(
      R"({"e":"kline","E":1638747720000,"s":"BTCUSDT","k":{"t":1638747660000,"T":1638747719999,"s":"BTCUSDT",)"
      R"("i":"1m","f":100,"L":200,"o":"0.0018","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,)"
      R"("x":true,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})");
  ASSERT_TRUE(k) << k.error().to_string();
  EXPECT_TRUE(k->closed);
  EXPECT_EQ(k->interval, KlineInterval::Min1);
  EXPECT_EQ(k->bar.ts_event, UnixNanos::from_millis(1638747660000));
  EXPECT_EQ(k->bar.ts_recv, UnixNanos::from_millis(1638747720000));  // close 1638747719999 + 1 ms
  EXPECT_EQ(k->bar.open, px(18, 4));
  EXPECT_EQ(k->bar.high, px(25, 4));
  EXPECT_EQ(k->bar.low, px(15, 4));
  EXPECT_EQ(k->bar.close, px(20, 4));
  EXPECT_EQ(k->bar.volume, qty(1000, 0));
  EXPECT_EQ(k->trade_count, 100);
  auto bad_interval = parse_kline_update(
      R"({"E":1,"s":"X","k":{"t":0,"T":59999,"i":"2m","o":"1","c":"1","h":"1","l":"1","v":"1","n":1,"x":true}})");
  ASSERT_FALSE(bad_interval);
  EXPECT_EQ(bad_interval.error().where(), "k.i");
  auto missing = parse_kline_update(R"({"E":1,"s":"X","k":{"t":0,"T":59999,"i":"1m","o":"1","c":"1","h":"1","l":"1"}})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "k.v");
}

TEST(BinanceMarketStreams, ParsesTheDocumentedBookTickerExample) {
  auto b = parse_book_ticker(
      R"({"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000",)"
      R"("B":"31.21000000","a":"25.36520000","A":"40.66000000"})");
  ASSERT_TRUE(b) << b.error().to_string();
  EXPECT_EQ(b->update_id, 400900217u);
  const core::InstrumentId id("BNBUSDT", core::VenueId("BINANCE"));
  const model::QuoteTick q = b->to_quote_tick(id, UnixNanos::from_millis(1568014460900));
  EXPECT_EQ(q.bid_price, px(2535190000, 8));
  EXPECT_EQ(q.bid_size, qty(3121000000, 8));
  EXPECT_EQ(q.ask_price, px(2536520000, 8));
  EXPECT_EQ(q.ask_size, qty(4066000000, 8));
  EXPECT_EQ(q.ts_event, UnixNanos::from_millis(1568014460891));
  auto bad = parse_book_ticker(R"({"u":1,"E":1,"T":1,"s":"X","b":"1","B":"-1","a":"2","A":"1"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "B");
}

TEST(BinanceMarketStreams, ParsesTheDocumentedDepthSnapshot) {
  auto s = parse_depth_snapshot(
      R"({"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,"bids":[["4.00000000","431.00000000"]],)"
      R"("asks":[["4.00000200","12.00000000"]]})",
      UnixNanos::from_millis(1589436923000));
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->update_id, 1027024u);
  EXPECT_EQ(s->ts_event, UnixNanos::from_millis(1589436922959));
  EXPECT_EQ(s->ts_recv, UnixNanos::from_millis(1589436923000));
  ASSERT_EQ(s->bids.size(), 1u);
  ASSERT_EQ(s->asks.size(), 1u);
  EXPECT_EQ(s->bids[0].price, px(4, 0));
  EXPECT_EQ(s->bids[0].size, qty(431, 0));
  EXPECT_EQ(s->asks[0].price, px(400000200, 8));
  EXPECT_EQ(s->asks[0].size, qty(12, 0));
  auto bad = parse_depth_snapshot(R"({"lastUpdateId":1,"T":1,"bids":[],"asks":[["1","x"]]})", UnixNanos(0));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "asks[0][1]");
  auto missing = parse_depth_snapshot(R"({"T":1,"bids":[],"asks":[]})", UnixNanos(0));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "lastUpdateId");
}

TEST(BinanceMarketStreams, SplitsCombinedEventsRawEventsAndControlAnswers) {
  const std::string wrapped = std::string(R"({"stream":"btcusdt@depth@100ms","data":)") + std::string(kDepthExample) + "}";
  auto w = split_stream_message(wrapped);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->kind, StreamFrame::Kind::Event);
  EXPECT_EQ(w->stream, "btcusdt@depth@100ms");
  EXPECT_EQ(w->data, kDepthExample);

  auto raw = split_stream_message(kAggTradeExample);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->kind, StreamFrame::Kind::Event);
  EXPECT_TRUE(raw->stream.empty());
  EXPECT_EQ(raw->event_type, "aggTrade");
  EXPECT_EQ(raw->data, kAggTradeExample);

  auto result = split_stream_message(R"({"result":null,"id":1})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->kind, StreamFrame::Kind::Result);
  EXPECT_EQ(result->id, 1);

  auto error = split_stream_message(R"({"error":{"code":2,"msg":"Invalid request"},"id":7})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, StreamFrame::Kind::Error);
  EXPECT_EQ(error->id, 7);
  EXPECT_EQ(error->error_message, "code 2: Invalid request");

  auto no_stream = split_stream_message(R"({"data":{}})");
  ASSERT_FALSE(no_stream);
  EXPECT_EQ(no_stream.error().where(), "stream");
  auto nothing = split_stream_message(R"({"x":1})");
  ASSERT_FALSE(nothing);
  // The fast split takes data up to the last closing brace; the event's parser then finds the damage.
  const std::string_view damaged = R"({"stream":"btcusdt@depth@100ms","data":{"b":[1,}})";
  auto fast = split_stream_message(damaged);
  ASSERT_TRUE(fast);
  EXPECT_TRUE(fast->data_unverified);
  EXPECT_EQ(fast->data, R"({"b":[1,})");
  DepthUpdate d;
  EXPECT_FALSE(parse_depth_update(fast->data, d, "data"));
  auto broken = split_stream_message(damaged, true);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().where(), "data");
}

TEST(BinanceMarketStreams, AMemberAfterDataIsFoundByTheVerifyingSplit) {
  const std::string text = std::string(R"({"stream":"btcusdt@aggTrade","data":)") + std::string(kAggTradeExample) +
                           R"(,"extra":{"k":[1,2]}})";
  auto fast = split_stream_message(text);
  ASSERT_TRUE(fast);
  AggTrade t;
  auto first_try = parse_agg_trade(fast->data, t, "data");
  ASSERT_FALSE(first_try);  // the fast split's data runs into "extra"
  EXPECT_NE(first_try.error().message().find("unexpected text after the JSON object"), std::string::npos);
  auto verified = split_stream_message(text, true);
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->data_unverified);
  EXPECT_EQ(verified->data, kAggTradeExample);
  ASSERT_TRUE(parse_agg_trade(verified->data, t, "data"));
  EXPECT_EQ(t.aggregate_id, 5933014);
  // "data" before "stream": the verifying scan is used by itself.
  const std::string reversed = std::string(R"({"data":)") + std::string(kAggTradeExample) + R"(,"stream":"btcusdt@aggTrade"})";
  auto r = split_stream_message(reversed);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->data, kAggTradeExample);
  EXPECT_EQ(r->stream, "btcusdt@aggTrade");
}

TEST(BinanceMarketStreams, StreamNamesAreLowerCaseAndDepthLimitsFollowTheDocumentedWeights) {
  EXPECT_EQ(agg_trade_stream("BTCUSDT"), "btcusdt@aggTrade");
  EXPECT_EQ(depth_stream("BTCUSDT"), "btcusdt@depth@100ms");
  EXPECT_EQ(mark_price_stream("BTCUSDT"), "btcusdt@markPrice@1s");
  EXPECT_EQ(kline_stream("BTCUSDT", KlineInterval::Hour4), "btcusdt@kline_4h");
  EXPECT_EQ(book_ticker_stream("ETHUSDT"), "ethusdt@bookTicker");
  // "Order Book" request weight table: 5, 10, 20, 50 → 2; 100 → 5; 500 → 10; 1000 → 20.
  EXPECT_EQ(depth_request_weight(5), 2);
  EXPECT_EQ(depth_request_weight(50), 2);
  EXPECT_EQ(depth_request_weight(100), 5);
  EXPECT_EQ(depth_request_weight(500), 10);
  EXPECT_EQ(depth_request_weight(1000), 20);
  EXPECT_EQ(depth_request_weight(200), 0);
  EXPECT_EQ(depth_limit_for(0), 1000);
  EXPECT_EQ(depth_limit_for(20), 20);
  EXPECT_EQ(depth_limit_for(21), 50);
  EXPECT_EQ(depth_limit_for(1000), 1000);
  EXPECT_FALSE(depth_limit_for(1001));
}

TEST(BinanceMarketStreams, ParsedDepthAppliesToTheOrderBookAsAChainFromPreviousFinalId) {
  // A book at update id 149 (the example's pu) takes the example message; one at 148 sees a gap.
  model::OrderBook book(core::InstrumentId("BTCUSDT", core::VenueId("BINANCE")), px(1, 4));
  model::BookSnapshot snap;
  snap.update_id = 149;
  snap.bids = {{px(23, 4), qty(5, 0)}};
  snap.asks = {{px(26, 4), qty(7, 0)}};
  ASSERT_TRUE(book.apply_snapshot(snap));
  DepthUpdate d;
  ASSERT_TRUE(parse_depth_update(kDepthExample, d));
  auto applied = book.apply_deltas(d.book_update(UnixNanos(0)), d.deltas);
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, model::BookApplyOutcome::Applied);
  EXPECT_EQ(book.update_id(), 160u);
  ASSERT_EQ(book.level_count(OrderSide::Buy), 2u);
  EXPECT_EQ(book.level(OrderSide::Buy, 0), (model::BookLevel{px(24, 4), qty(10, 0)}));
  EXPECT_EQ(book.level(OrderSide::Sell, 0), (model::BookLevel{px(26, 4), qty(100, 0)}));

  snap.update_id = 148;
  ASSERT_TRUE(book.apply_snapshot(snap));
  auto gap = book.apply_deltas(d.book_update(UnixNanos(0)), d.deltas);
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code(), core::ErrorCode::OutOfRange);
}

// Depth levels decoded at the instrument's precision (issue 8 fast path). Each expected raw value is the
// text's digits with the point moved by hand.
core::Result<DepthUpdate> depth_at(std::string_view bids, DepthPrecision precision) {
  DepthUpdate out;
  const std::string json = std::string(R"({"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":)") +
                           std::string(bids) + R"(,"a":[]})";
  auto s = parse_depth_update(json, out, "data", precision);
  if (!s) return s.error();
  return out;
}

TEST(BinanceMarketStreams, DepthLevelsComeOutAtTheRequestedPrecision) {
  // Price precision 1 (tick 0.1), quantity precision 3 (step 0.001).
  auto d = depth_at(R"([["30000.10","1.5"],["29999.9","0.000"],["30001","12"]])", DepthPrecision{1, 3});
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_EQ(d->deltas.size(), 3u);
  EXPECT_EQ(d->deltas[0].price.value().raw(), 300001);  // "30000.10": the trailing zero dropped
  EXPECT_EQ(d->deltas[0].price.value().scale(), 1);
  EXPECT_EQ(d->deltas[0].size.value().raw(), 1500);  // "1.5" padded to 3 places
  EXPECT_EQ(d->deltas[0].size.value().scale(), 3);
  EXPECT_EQ(d->deltas[1].price.value().raw(), 299999);
  EXPECT_TRUE(d->deltas[1].size.is_zero());  // "0.000": a removal
  EXPECT_EQ(d->deltas[2].price.value().raw(), 300010);  // "30001" → 30001.0
  EXPECT_EQ(d->deltas[2].price.value().scale(), 1);
  EXPECT_EQ(d->deltas[2].size.value().raw(), 12000);
  // Without a precision the values keep the places they were written with.
  auto as_written = depth_at(R"([["30000.10","1.5"]])", DepthPrecision{});
  ASSERT_TRUE(as_written);
  EXPECT_EQ(as_written->deltas[0].price, px(3000010, 2));
  EXPECT_EQ(as_written->deltas[0].size, qty(15, 1));
  // The general path (whitespace inside the level) gives the same values.
  auto spaced = depth_at(R"([ [ "30000.10" , "1.5" ] ])", DepthPrecision{1, 3});
  ASSERT_TRUE(spaced) << spaced.error().to_string();
  EXPECT_EQ(spaced->deltas[0].price, d->deltas[0].price);
  EXPECT_EQ(spaced->deltas[0].size, d->deltas[0].size);
}

TEST(BinanceMarketStreams, DepthPriceWithMoreDecimalsThanTheTickIsAnErrorNamingTheField) {
  auto d = depth_at(R"([["30000.1","1"],["30000.15","1"]])", DepthPrecision{1, -1});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(d.error().where(), "data.b[1][0]");
  EXPECT_NE(d.error().message().find("more decimal places"), std::string::npos) << d.error().message();
  // A quantity finer than the step, the same way.
  auto q = depth_at(R"([["30000.1","0.0015"]])", DepthPrecision{1, 3});
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().where(), "data.b[0][1]");
}

TEST(BinanceMarketStreams, DepthLevelValuesOutOfRangeOrNotPlainDigitsAreErrorsNamingTheField) {
  struct Case {
    std::string_view bids;
    DepthPrecision precision;
    std::string_view where;
    std::string_view says;
  };
  const Case cases[] = {
      // 19 significant digits cannot be an int64 raw value at every scale.
      {R"([["1234567890123456789","1"]])", {}, "data.b[0][0]", "18 significant digits"},
      {R"([["1","1234567890.123456789"]])", {}, "data.b[0][1]", "18 significant digits"},
      // 18 digits fit as written but not padded to 2 more places.
      {R"([["123456789012345678","1"]])", {2, -1}, "data.b[0][0]", "does not fit"},
      {R"([["3e4","1"]])", {}, "data.b[0][0]", "exponent"},
      {R"([["30000.1","1E2"]])", {}, "data.b[0][1]", "exponent"},
      {R"([["+30000.1","1"]])", {}, "data.b[0][0]", "sign"},
      {R"([["-30000.1","1"]])", {}, "data.b[0][0]", "sign"},
      {R"([["30000.1","-1"]])", {}, "data.b[0][1]", "sign"},
      {R"([[".5","1"]])", {}, "data.b[0][0]", "both sides of its point"},
      {R"([["30000.","1"]])", {}, "data.b[0][0]", "both sides of its point"},
      {R"([["1.2.3","1"]])", {}, "data.b[0][0]", "not a plain decimal"},
  };
  for (const Case& c : cases) {
    auto d = depth_at(c.bids, c.precision);
    ASSERT_FALSE(d) << c.bids;
    EXPECT_EQ(d.error().where(), c.where) << c.bids;
    EXPECT_NE(d.error().message().find(c.says), std::string::npos) << c.bids << ": " << d.error().message();
  }
  // 18 significant digits (leading zeros do not count) are still read.
  auto ok = depth_at(R"([["0.000000000000000001","123456789012345678"]])", {});
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->deltas[0].price, px(1, 18));
  EXPECT_EQ(ok->deltas[0].size, qty(123456789012345678, 0));
}

TEST(BinanceMarketStreams, ADepthLevelOfSizeZeroRemovesTheLevelFromTheBook) {
  // Book: bid 30000.0 x 1, 29999.9 x 2 (tick 0.1); the event removes 30000.0 and re-states 29999.9 x 2.
  model::OrderBook book(*core::InstrumentId::parse("BTCUSDT.BINANCE"), px(1, 1));
  model::BookSnapshot snap;
  snap.bids = {{px(300000, 1), qty(1, 0)}, {px(299999, 1), qty(2, 0)}};
  snap.update_id = 4;
  ASSERT_TRUE(book.apply_snapshot(snap));
  auto d = depth_at(R"([["30000.0","0.000"],["29999.9","2.000"]])", DepthPrecision{1, 3});
  ASSERT_TRUE(d);
  ASSERT_TRUE(book.apply_deltas(d->book_update(UnixNanos(0)), d->deltas));
  ASSERT_EQ(book.level_count(OrderSide::Buy), 1u);
  EXPECT_EQ(book.level(OrderSide::Buy, 0), (model::BookLevel{px(299999, 1), qty(2, 0)}));
  EXPECT_EQ(book.update_id(), 6u);
}

TEST(BinanceMarketStreams, DepthSnapshotBodyIsReadAtTheRequestedPrecisionToo) {
  auto s = parse_depth_snapshot(R"({"lastUpdateId":9,"T":1,"bids":[["100.10","1"]],"asks":[["100.25","2"]]})",
                                UnixNanos(0), DepthPrecision{1, 0});
  ASSERT_FALSE(s);  // 100.25 is finer than the 0.1 tick
  EXPECT_EQ(s.error().where(), "asks[0][0]");
  auto ok = parse_depth_snapshot(R"({"lastUpdateId":9,"T":1,"bids":[["100.10","1"]],"asks":[["100.20","2"]]})",
                                 UnixNanos(0), DepthPrecision{1, 0});
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->bids[0].price, px(1001, 1));
  EXPECT_EQ(ok->asks[0].price, px(1002, 1));
  auto bad = parse_depth_snapshot(R"({"lastUpdateId":9,"T":1,"bids":[],"asks":[]})", UnixNanos(0), DepthPrecision{19, 0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), core::ErrorCode::InvalidArgument);
}

TEST(BinanceMarketStreams, DepthLevelValuesOfEveryLengthMatchDecimalParse) {
  // The level decoder reads up to 8 bytes at a time; values of 1 to 18 digits with the point anywhere are
  // compared with core::Decimal::parse of the same text (a second, independent decoder), both as written
  // and brought to two more places than written.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> length(1, 18);
  for (int round = 0; round < 2'000; ++round) {
    const int n = length(rng);
    std::uniform_int_distribution<int> point_at(0, n - 1);  // digits before the point; 0 → no point
    const int before = point_at(rng);
    std::string text;
    for (int i = 0; i < n; ++i) {
      if (before > 0 && i == before) text += '.';
      text += static_cast<char>('0' + (i == 0 ? 1 + digit(rng) % 9 : digit(rng)));
    }
    const int places = before > 0 ? n - before : 0;
    const core::Decimal expected = *core::Decimal::parse(text);
    const std::string level = "[\"" + text + "\",\"" + text + "\"]";
    // Long text after the level keeps the word-at-a-time path in reach.
    auto d = depth_at("[" + level + "," + level + "]", DepthPrecision{});
    ASSERT_TRUE(d) << text << ": " << d.error().to_string();
    ASSERT_EQ(d->deltas.size(), 2u);
    EXPECT_EQ(d->deltas[0].price.value(), expected) << text;
    EXPECT_EQ(d->deltas[0].price.value().scale(), places) << text;
    EXPECT_EQ(d->deltas[0].size.value(), expected) << text;
    if (n + 2 <= 18) {
      auto padded = depth_at("[" + level + "]", DepthPrecision{places + 2, places + 2});
      ASSERT_TRUE(padded) << text << ": " << padded.error().to_string();
      EXPECT_EQ(padded->deltas[0].price.value(), expected) << text;
      EXPECT_EQ(padded->deltas[0].price.value().scale(), places + 2) << text;
    }
  }
}

TEST(BinanceMarketStreams, UpdateIdsOfEveryLengthMatchTheirDigitsAndFractionsOrExponentsAreRefused) {
  // Integers are converted eight bytes at a time when 1..15 digits are followed by other text; ids of 1 to
  // 19 digits are compared with std::stoull of the same text (an independent decoder).
  std::mt19937_64 rng(19);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int n = 1; n <= 19; ++n) {
    for (int round = 0; round < 20; ++round) {
      std::string text(1, static_cast<char>('1' + digit(rng) % 8));  // leading 1..8: 19 digits stay below 2^63
      for (int i = 1; i < n; ++i) text += static_cast<char>('0' + digit(rng));
      const std::string json = R"({"E":1,"T":1,"s":"X","U":1,"u":)" + text + R"(,"pu":0,"b":[],"a":[]})";
      DepthUpdate out;
      auto st = parse_depth_update(json, out);
      ASSERT_TRUE(st) << text << ": " << st.error().to_string();
      EXPECT_EQ(out.final_update_id, std::stoull(text)) << text;
    }
  }
  DepthUpdate out;
  ASSERT_TRUE(parse_depth_update(R"({"E":1,"T":1,"s":"X","U":1,"u":9223372036854775807,"pu":0,"b":[],"a":[]})", out));
  EXPECT_EQ(out.final_update_id, 9223372036854775807ULL);  // 2^63 − 1, the largest int64
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":1,"u":9223372036854775808,"pu":0,"b":[],"a":[]})"), "u");
  // A fraction or an exponent after 15 or 16 digits, or after a short number, is refused naming the field.
  EXPECT_EQ(depth_error_where(R"({"E":123456789012345.5,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "E");
  EXPECT_EQ(depth_error_where(R"({"E":1234567890123456.5,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "E");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":17e2,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "T");
  EXPECT_EQ(depth_error_where(R"({"E":1,"T":1,"s":"X","U":12345678E1,"u":2,"pu":0,"b":[],"a":[]})"), "U");
  EXPECT_EQ(depth_error_where(R"({"E":-5,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[],"a":[]})"), "E");
}

TEST(BinanceMarketStreams, APaddedLevelValueBeyondEighteenDigitsIsAnErrorNamingTheField) {
  // At 12 places, "1234567.5" would need 7 + 12 = 19 digits, one more than an int64 holds exactly at that
  // scale; "123456.5" needs 18 and is taken (raw 123456500000000000). Both are in the word-at-a-time form.
  DepthUpdate out;
  const auto parse = [&](std::string_view qty_text) {
    const std::string json = R"({"E":1,"T":1,"s":"X","U":1,"u":2,"pu":0,"b":[["1.5",")" + std::string(qty_text) +
                             R"("],["1.4","1"]],"a":[["1.6","1"]]})";
    return parse_depth_update(json, out, "", DepthPrecision{1, 12});
  };
  auto ok = parse("123456.5");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(out.deltas[0].size, qty(123'456'500'000'000'000, 12));
  auto bad = parse("1234567.5");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "b[0][1]");
  EXPECT_NE(bad.error().message().find("18 digits"), std::string::npos) << bad.error().message();
}

// The documented layout is read by a one-pass reader; the same event with whitespace and its members in
// another order goes through the general parser. Both must give the values written in the text (read off
// by hand), including ids of 13, 17 and 19 digits (the one-pass reader converts at most 18 digits itself).
TEST(BinanceMarketStreams, DepthUpdateInTheDocumentedLayoutAndRewrittenGiveTheSameValues) {
  const std::string compact =
      R"({"e":"depthUpdate","E":1700000000123,"T":1700000000120,"s":"BTCUSDT","U":12345678901234567,)"
      R"("u":1234567890123456789,"pu":12345678901234566,"b":[["30000.1","1.500"],["29999.9","0"]],)"
      R"("a":[["30000.2","12345678.12345678"]]})";
  const std::string spaced =
      R"({ "s" : "BTCUSDT", "pu" : 12345678901234566, "e" : "depthUpdate", "T" : 1700000000120, )"
      R"("E" : 1700000000123, "U" : 12345678901234567, "u" : 1234567890123456789, )"
      R"("b" : [ [ "30000.1", "1.500" ], [ "29999.9", "0" ] ], "a" : [ [ "30000.2" , "12345678.12345678" ] ] })";
  for (const std::string& text : {compact, spaced}) {
    DepthUpdate d;
    ASSERT_TRUE(parse_depth_update(text, d)) << text;
    EXPECT_EQ(d.symbol, "BTCUSDT");
    EXPECT_EQ(d.event_time, UnixNanos::from_millis(1'700'000'000'123));
    EXPECT_EQ(d.transaction_time, UnixNanos::from_millis(1'700'000'000'120));
    EXPECT_EQ(d.first_update_id, 12'345'678'901'234'567u);
    EXPECT_EQ(d.final_update_id, 1'234'567'890'123'456'789u);
    EXPECT_EQ(d.prev_final_update_id, 12'345'678'901'234'566u);
    ASSERT_EQ(d.deltas.size(), 3u);  // in message order
    EXPECT_EQ(d.deltas[0].side, OrderSide::Buy);
    EXPECT_EQ(d.deltas[0].price, px(300'001, 1));
    EXPECT_EQ(d.deltas[0].size, qty(1'500, 3));
    EXPECT_EQ(d.deltas[1].price, px(299'999, 1));
    EXPECT_TRUE(d.deltas[1].size.is_zero());
    EXPECT_EQ(d.deltas[2].side, OrderSide::Sell);
    EXPECT_EQ(d.deltas[2].price, px(300'002, 1));
    EXPECT_EQ(d.deltas[2].size, qty(1'234'567'812'345'678, 8));
  }
}

// Malformed values inside the documented layout leave the one-pass reader; the general parser then names
// the field, exactly as for any other layout.
TEST(BinanceMarketStreams, DepthUpdateErrorsInTheDocumentedLayoutNameTheField) {
  const auto event = [](std::string_view e, std::string_view s, std::string_view u, std::string_view pu,
                        std::string_view bids) {
    return fmt::format(R"({{"e":"depthUpdate","E":{},"T":1,"s":"{}","U":1,"u":{},"pu":{},"b":[{}],"a":[]}})", e, s, u,
                       pu, bids);
  };
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "0", R"(["1.0","1"])")), "<parsed>");
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "0", R"(["1.0","-1"])")), "b[0][1]");
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "0", R"(["1.0","1"],["1e3","1"])")), "b[1][0]");
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "0", R"(["1.0","1"],["1.","1"])")), "b[1][0]");
  EXPECT_EQ(depth_error_where(event("99999999999999", "X", "2", "0", "")), "E");  // past the int64 range in ns
  EXPECT_EQ(depth_error_where(event("1.5", "X", "2", "0", "")), "E");
  EXPECT_EQ(depth_error_where(event("1", "", "2", "0", "")), "s");
  EXPECT_EQ(depth_error_where(event("1", "X\\u0041", "2", "0", "")), "s");
  EXPECT_EQ(depth_error_where(event("1", "X", "99999999999999999999", "0", "")), "u");
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "2", "")), "pu");
  EXPECT_EQ(depth_error_where(event("1", "X", "0", "0", "")), "U");  // U = 1 after u = 0
  EXPECT_EQ(depth_error_where(event("1", "X", "2", "0", "") + "x"), "$");
  // At the instrument's precision (tick 0.1): a finer price is refused with its field.
  DepthUpdate d;
  auto fine = parse_depth_update(event("1", "X", "2", "0", R"(["1.0","1"],["1.05","1"])"), d, "data", {1, 0});
  ASSERT_FALSE(fine);
  EXPECT_EQ(fine.error().where(), "data.b[1][0]");
}

}  // namespace
}  // namespace ballast::adapters::binance
