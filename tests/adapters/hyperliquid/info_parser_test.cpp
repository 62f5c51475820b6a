// /info responses written from the documented field lists (Hyperliquid docs, "Info endpoint" and
// "Perpetuals"); expected values are read off the sample JSON by hand.
#include "ballast/adapters/hyperliquid/info_parser.hpp"

#include <gtest/gtest.h>

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::AccountId;
using ballast::core::Decimal;
using ballast::core::UnixNanos;
using ballast::core::VenueId;

namespace {

Decimal d(std::string_view text) { return *Decimal::parse(text); }

constexpr std::string_view kMeta = R"({
  "universe": [
    {"name": "BTC", "szDecimals": 5, "maxLeverage": 50},
    {"name": "ETH", "szDecimals": 4, "maxLeverage": 50},
    {"name": "HPOS", "szDecimals": 0, "maxLeverage": 3, "onlyIsolated": true},
    {"name": "kPEPE", "szDecimals": 0, "maxLeverage": 10, "isDelisted": true}
  ]
})";

constexpr std::string_view kClearinghouse = R"({
  "assetPositions": [
    {"position": {"coin": "ETH", "cumFunding": {"allTime": "514.085417", "sinceChange": "0.0", "sinceOpen": "0.0"},
                  "entryPx": "2986.3", "leverage": {"rawUsd": "-95.059824", "type": "isolated", "value": 20},
                  "liquidationPx": "2866.26936529", "marginUsed": "4.967826", "maxLeverage": 50,
                  "positionValue": "100.02765", "returnOnEquity": "-0.0026789", "szi": "0.0335",
                  "unrealizedPnl": "-0.0134"},
     "type": "oneWay"},
    {"position": {"coin": "BTC", "entryPx": "60000.0", "leverage": {"type": "cross", "value": 10},
                  "liquidationPx": null, "marginUsed": "60.0", "positionValue": "600.0", "szi": "-0.01",
                  "unrealizedPnl": "0.5"},
     "type": "oneWay"}
  ],
  "crossMaintenanceMarginUsed": "6.0",
  "crossMarginSummary": {"accountValue": "13104.514502", "totalMarginUsed": "60.0", "totalNtlPos": "600.0", "totalRawUsd": "13104.514502"},
  "marginSummary": {"accountValue": "13109.482328", "totalMarginUsed": "64.967826", "totalNtlPos": "700.02765", "totalRawUsd": "13009.454678"},
  "time": 1708622398623,
  "withdrawable": "13044.514502"
})";

}  // namespace

TEST(HyperliquidInfoParser, TurnsMetaIntoPerpetualInstrumentsIndexedByPosition) {
  auto assets = hl::parse_meta(kMeta);
  ASSERT_TRUE(assets) << assets.error().to_string();
  ASSERT_EQ(assets->size(), 4U);
  const hl::PerpAsset& eth = (*assets)[1];
  EXPECT_EQ(eth.index, 1U);
  EXPECT_EQ(eth.name, "ETH");
  EXPECT_EQ(eth.instrument.id().value(), "ETH-PERP.HYPERLIQUID");
  EXPECT_EQ(eth.instrument.tick_size().value(), d("0.01"));   // 10^-(6 − 4)
  EXPECT_EQ(eth.instrument.step_size().value(), d("0.0001"));  // 10^-4
  EXPECT_EQ(eth.instrument.quote_currency().code(), "USDC");
  ASSERT_EQ(eth.instrument.margin_tiers().size(), 1U);
  EXPECT_EQ(eth.instrument.margin_tiers()[0].max_leverage, d("50"));
  EXPECT_EQ(eth.instrument.margin_tiers()[0].maintenance_margin_rate, d("0.01"));  // 1 / (2 × 50)
  EXPECT_EQ((*assets)[0].instrument.tick_size().value(), d("0.1"));  // BTC: 6 − 5 = 1 decimal
  EXPECT_TRUE((*assets)[2].only_isolated);
  EXPECT_EQ((*assets)[2].instrument.tick_size().value(), d("0.000001"));
  // 1 / (2 × 3) = 0.1666…, rounded up at 12 places so maintenance is never understated.
  EXPECT_EQ((*assets)[2].instrument.margin_tiers()[0].maintenance_margin_rate, d("0.166666666667"));
  EXPECT_TRUE((*assets)[3].is_delisted);
  EXPECT_EQ((*assets)[3].instrument.base_currency().code(), "KPEPE");
  EXPECT_EQ((*assets)[3].instrument.id().symbol(), "kPEPE-PERP");
  EXPECT_EQ(eth.spec().sz_decimals, 4);
}

TEST(HyperliquidInfoParser, NamesTheJsonPathOfAMalformedMetaField) {
  auto bad = hl::parse_meta(R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50},{"name":"ETH","szDecimals":"4","maxLeverage":50}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "universe[1].szDecimals");
  auto missing = hl::parse_meta(R"({"universe":[{"name":"BTC","szDecimals":5}]})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "universe[0].maxLeverage");
  EXPECT_FALSE(hl::parse_meta("{not json"));
}

TEST(HyperliquidInfoParser, ReadsPositionsMarginAndWithdrawableExactly) {
  auto st = hl::parse_clearinghouse_state(kClearinghouse);
  ASSERT_TRUE(st) << st.error().to_string();
  ASSERT_EQ(st->positions.size(), 2U);
  const hl::AssetPosition& eth = st->positions[0];
  EXPECT_EQ(eth.coin, "ETH");
  EXPECT_EQ(eth.szi, d("0.0335"));
  EXPECT_EQ(*eth.entry_px, d("2986.3"));
  EXPECT_EQ(*eth.liquidation_px, d("2866.26936529"));
  EXPECT_EQ(eth.margin_used, d("4.967826"));
  EXPECT_EQ(eth.unrealized_pnl, d("-0.0134"));
  EXPECT_FALSE(eth.is_cross);
  EXPECT_EQ(eth.leverage, 20U);
  EXPECT_FALSE(st->positions[1].liquidation_px.has_value());
  EXPECT_EQ(st->margin_summary.account_value, d("13109.482328"));
  EXPECT_EQ(st->cross_maintenance_margin_used, d("6.0"));
  EXPECT_EQ(st->time, UnixNanos::from_millis(1708622398623));

  const auto reports = st->position_reports(AccountId("hl-main"), VenueId("HYPERLIQUID"));
  ASSERT_EQ(reports.size(), 2U);
  EXPECT_EQ(reports[1].instrument_id.value(), "BTC-PERP.HYPERLIQUID");
  EXPECT_EQ(reports[1].quantity, d("-0.01"));  // short
  EXPECT_EQ(reports[1].avg_px_open->value(), d("60000"));
  // liquidationPx and leverage.type travel with the report; null means none.
  EXPECT_EQ(reports[0].liquidation_price->value(), d("2866.26936529"));
  EXPECT_EQ(reports[0].margin_mode, ballast::model::MarginMode::Isolated);
  EXPECT_FALSE(reports[1].liquidation_price.has_value());
  EXPECT_EQ(reports[1].margin_mode, ballast::model::MarginMode::Cross);

  const auto balance = st->usdc_balance();
  EXPECT_EQ(balance.total.amount(), d("13109.482328"));
  EXPECT_EQ(balance.free().amount(), d("13044.514502"));  // = withdrawable
}

TEST(HyperliquidInfoParser, NamesTheJsonPathOfAMalformedPositionField) {
  std::string text(kClearinghouse);
  text.replace(text.find(R"("szi": "-0.01")"), 14, R"("szi": "-0.0x")");
  auto st = hl::parse_clearinghouse_state(text);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().where(), "assetPositions[1].position.szi");
}

TEST(HyperliquidInfoParser, ReadsOpenOrdersAsOrderStatusReports) {
  auto orders = hl::parse_open_orders(R"([
    {"coin":"BTC","limitPx":"29792.0","oid":91490942,"side":"A","sz":"0.5","origSz":"1.0","timestamp":1681247412573},
    {"coin":"ETH","limitPx":"1800.5","oid":7,"side":"B","sz":"0.1","timestamp":1681247412000,
     "cloid":"0x00000000000000000000000000000001"}])");
  ASSERT_TRUE(orders) << orders.error().to_string();
  ASSERT_EQ(orders->size(), 2U);
  const auto r0 = (*orders)[0].to_report(AccountId("a"), VenueId("HYPERLIQUID"));
  EXPECT_EQ(r0.side, ballast::model::OrderSide::Sell);
  EXPECT_EQ(r0.venue_order_id.value(), "91490942");
  EXPECT_EQ(r0.quantity.value(), d("1.0"));
  EXPECT_EQ(r0.filled_qty.value(), d("0.5"));
  EXPECT_EQ(r0.status, ballast::model::OrderStatus::PartiallyFilled);
  EXPECT_EQ(r0.price->value(), d("29792"));
  const auto r1 = (*orders)[1].to_report(AccountId("a"), VenueId("HYPERLIQUID"));
  EXPECT_EQ(r1.status, ballast::model::OrderStatus::Accepted);
  EXPECT_EQ(r1.client_order_id->value(), "0x00000000000000000000000000000001");
  auto bad = hl::parse_open_orders(R"([{"coin":"BTC","limitPx":"1","oid":1,"side":"X","sz":"1","timestamp":1}])");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "[0].side");
}

TEST(HyperliquidInfoParser, ReadsUserFillsWithFeesAndLiquiditySide) {
  auto fills = hl::parse_user_fills(R"([
    {"closedPnl":"0.0","coin":"AVAX","crossed":false,"dir":"Open Long","hash":"0xa166e3fa63c25663024b03f2e0da011a00307e4017465df020210d3d432e7cb8",
     "oid":90542681,"px":"18.435","side":"B","startPosition":"26.86","sz":"93.53","time":1681222254710,
     "fee":"-0.001","feeToken":"USDC","tid":118906512037719}])");
  ASSERT_TRUE(fills) << fills.error().to_string();
  ASSERT_EQ(fills->size(), 1U);
  const auto f = (*fills)[0].to_fill(AccountId("a"), VenueId("HYPERLIQUID"), UnixNanos::from_millis(1681222254800));
  EXPECT_EQ(f.instrument_id.value(), "AVAX-PERP.HYPERLIQUID");
  EXPECT_EQ(f.trade_id.value(), "118906512037719");
  EXPECT_EQ(f.last_px.value(), d("18.435"));
  EXPECT_EQ(f.last_qty.value(), d("93.53"));
  EXPECT_EQ(f.liquidity_side, ballast::model::LiquiditySide::Maker);  // crossed = false
  EXPECT_EQ(f.commission.amount(), d("-0.001"));                       // a rebate
  EXPECT_EQ(f.ts_event, UnixNanos::from_millis(1681222254710));
  auto bad = hl::parse_user_fills(R"([{"coin":"AVAX","px":"18.435","sz":"1"}])");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "[0].side");
}

TEST(HyperliquidInfoParser, ReadsAnL2BookSnapshot) {
  auto book = hl::parse_l2_book(R"({"coin":"BTC","time":1754450974231,"levels":[
    [{"px":"113377.0","sz":"7.6699","n":17},{"px":"113376.0","sz":"0.0001","n":1}],
    [{"px":"113378.0","sz":"1.5","n":3}]]})",
                                UnixNanos::from_millis(1754450974300));
  ASSERT_TRUE(book) << book.error().to_string();
  EXPECT_EQ(book->coin, "BTC");
  ASSERT_EQ(book->snapshot.bids.size(), 2U);
  ASSERT_EQ(book->snapshot.asks.size(), 1U);
  EXPECT_EQ(book->snapshot.bids[0].price.value(), d("113377"));
  EXPECT_EQ(book->snapshot.bids[0].size.value(), d("7.6699"));
  EXPECT_EQ(book->bid_counts[0], 17U);
  EXPECT_EQ(book->snapshot.asks[0].size.value(), d("1.5"));
  EXPECT_EQ(book->snapshot.update_id, 1754450974231U);
  auto bad = hl::parse_l2_book(R"({"coin":"BTC","time":1,"levels":[[{"px":"1","sz":"1","n":1}],[{"px":"2","sz":true,"n":1}]]})",
                               UnixNanos());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "levels[1][0].sz");
}

TEST(HyperliquidInfoParser, ReadsCandlesAsBarsCompleteAtTheIntervalEnd) {
  auto bars = hl::parse_candle_snapshot(R"([{"T":1681924499999,"c":"29258.0","h":"29309.0","i":"15m","l":"29250.0",
    "n":189,"o":"29295.0","s":"BTC","t":1681923600000,"v":"0.98639"}])");
  ASSERT_TRUE(bars) << bars.error().to_string();
  ASSERT_EQ(bars->size(), 1U);
  const auto& b = (*bars)[0];
  EXPECT_EQ(b.ts_event, UnixNanos::from_millis(1681923600000));
  EXPECT_EQ(b.ts_recv, UnixNanos::from_millis(1681924500000));  // t + 15 min
  EXPECT_EQ(b.open.value(), d("29295"));
  EXPECT_EQ(b.high.value(), d("29309"));
  EXPECT_EQ(b.low.value(), d("29250"));
  EXPECT_EQ(b.close.value(), d("29258"));
  EXPECT_EQ(b.volume.value(), d("0.98639"));
  auto bad = hl::parse_candle_snapshot(R"([{"T":2,"c":"1","h":"1","l":"1","o":"1","t":1}])");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "[0].v");
}
