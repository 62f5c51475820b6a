// Venue JSON → model: exchangeInfo, leverage brackets, account, position risk, orders, trades, errors.
// The sample bodies are written here from the documented field lists (USDⓈ-M Futures API docs:
// Exchange Information, Notional and Leverage Brackets, Account Information V2, Position Information V2,
// Query Order, Account Trade List); the values are invented and the expected numbers worked by hand.

#include "ballast/adapters/binance_futures/venue_types.hpp"

#include <gtest/gtest.h>

namespace ballast::adapters::binance {
namespace {

using core::Decimal;

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

const core::VenueId kVenue("BINANCE");

constexpr const char* kExchangeInfo = R"({
  "timezone": "UTC", "serverTime": 1565613908500,
  "rateLimits": [
    {"interval": "MINUTE", "intervalNum": 1, "limit": 2400, "rateLimitType": "REQUEST_WEIGHT"},
    {"interval": "MINUTE", "intervalNum": 1, "limit": 1200, "rateLimitType": "ORDERS"}
  ],
  "exchangeFilters": [], "assets": [],
  "symbols": [
    {"symbol": "ETHUSDT", "pair": "ETHUSDT", "contractType": "PERPETUAL", "deliveryDate": 4133404800000,
     "onboardDate": 1569398400000, "status": "TRADING", "baseAsset": "ETH", "quoteAsset": "USDT",
     "marginAsset": "USDT", "pricePrecision": 2, "quantityPrecision": 3,
     "filters": [
       {"filterType": "PRICE_FILTER", "maxPrice": "300000", "minPrice": "39.86", "tickSize": "0.01"},
       {"filterType": "LOT_SIZE", "maxQty": "10000", "minQty": "0.001", "stepSize": "0.001"},
       {"filterType": "MARKET_LOT_SIZE", "maxQty": "2000", "minQty": "0.001", "stepSize": "0.001"},
       {"filterType": "MAX_NUM_ORDERS", "limit": 200},
       {"filterType": "MIN_NOTIONAL", "notional": "20"},
       {"filterType": "PERCENT_PRICE", "multiplierUp": "1.0500", "multiplierDown": "0.9500", "multiplierDecimal": 4}
     ],
     "OrderType": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
     "timeInForce": ["GTC", "IOC", "FOK", "GTX"]},
    {"symbol": "ETHUSDT_260327", "pair": "ETHUSDT", "contractType": "CURRENT_QUARTER", "deliveryDate": 1774598400000,
     "status": "TRADING", "baseAsset": "ETH", "quoteAsset": "USDT", "marginAsset": "USDT",
     "filters": [
       {"filterType": "PRICE_FILTER", "maxPrice": "300000", "minPrice": "39.86", "tickSize": "0.10"},
       {"filterType": "LOT_SIZE", "maxQty": "10000", "minQty": "0.001", "stepSize": "0.001"}
     ]},
    {"symbol": "BTCDOMUSDT", "pair": "BTCDOMUSDT", "contractType": "", "deliveryDate": 0,
     "status": "SETTLING", "baseAsset": "BTCDOM", "quoteAsset": "USDT", "marginAsset": "USDT", "filters": []}
  ]
})";

constexpr const char* kBrackets = R"([
  {"symbol": "ETHUSDT", "notionalCoef": 1.50, "brackets": [
    {"bracket": 1, "initialLeverage": 125, "notionalCap": 10000, "notionalFloor": 0, "maintMarginRatio": 0.004, "cum": 0},
    {"bracket": 2, "initialLeverage": 100, "notionalCap": 100000, "notionalFloor": 10000, "maintMarginRatio": 0.005, "cum": 10},
    {"bracket": 3, "initialLeverage": 75, "notionalCap": 500000, "notionalFloor": 100000, "maintMarginRatio": 0.0065, "cum": 160}
  ]}
])";

TEST(BinanceExchangeInfo, MapsFiltersToTheInstrumentSpec) {
  auto info = parse_exchange_info(kExchangeInfo, kVenue);
  ASSERT_TRUE(info) << info.error().to_string();
  ASSERT_EQ(info->symbols.size(), 2u);
  const SymbolInfo& eth = info->symbols[0];
  EXPECT_EQ(eth.spec.id.value(), "ETHUSDT.BINANCE");
  EXPECT_EQ(eth.spec.kind, model::InstrumentKind::Perpetual);
  EXPECT_EQ(eth.spec.base_currency.code(), "ETH");
  EXPECT_EQ(eth.spec.settlement_currency.code(), "USDT");
  EXPECT_EQ(eth.spec.tick_size.value(), d("0.01"));
  EXPECT_EQ(eth.spec.tick_size.precision(), 2);
  EXPECT_EQ(eth.spec.step_size.value(), d("0.001"));
  EXPECT_EQ(eth.spec.min_quantity.value(), d("0.001"));
  ASSERT_TRUE(eth.spec.max_quantity);
  EXPECT_EQ(eth.spec.max_quantity->value(), d("10000"));
  ASSERT_TRUE(eth.spec.min_notional);
  EXPECT_EQ(eth.spec.min_notional->amount(), d("20"));
  EXPECT_EQ(eth.spec.min_notional->currency().code(), "USDT");
  EXPECT_EQ(eth.min_price.value(), d("39.86"));
  EXPECT_EQ(eth.max_price.value(), d("300000"));
  EXPECT_EQ(eth.market_max_qty.value(), d("2000"));
  EXPECT_EQ(eth.order_types.size(), 7u);
  EXPECT_EQ(eth.time_in_force.back(), VenueTimeInForce::Gtx);
  EXPECT_EQ(info->request_weight_per_minute(), 2400);
}

TEST(BinanceExchangeInfo, MapsAQuarterlyContractToADatedFutureWithItsDeliveryDate) {
  auto info = parse_exchange_info(kExchangeInfo, kVenue);
  ASSERT_TRUE(info);
  const SymbolInfo& quarter = info->symbols[1];
  EXPECT_EQ(quarter.spec.kind, model::InstrumentKind::DatedFuture);
  ASSERT_TRUE(quarter.spec.expiry);
  EXPECT_EQ(*quarter.spec.expiry, core::UnixNanos::from_millis(1774598400000));
  EXPECT_FALSE(quarter.spec.min_notional);  // no MIN_NOTIONAL filter in the sample
}

TEST(BinanceExchangeInfo, SkipsASymbolWithAnUnsupportedContractTypeAndSaysWhy) {
  auto info = parse_exchange_info(kExchangeInfo, kVenue);
  ASSERT_TRUE(info);
  ASSERT_EQ(info->skipped.size(), 1u);
  EXPECT_NE(info->skipped[0].find("symbols[2].contractType"), std::string::npos) << info->skipped[0];
}

TEST(BinanceExchangeInfo, NamesTheJsonPathOfAMalformedFilterValue) {
  std::string body = kExchangeInfo;
  body.replace(body.find("\"0.001\", \"stepSize\""), 7, "\"0,001\"");  // LOT_SIZE minQty of symbol 0
  auto info = parse_exchange_info(body, kVenue);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(info.error().where(), "symbols[0].filters[1].minQty");
  EXPECT_NE(info.error().message().find("0,001"), std::string::npos) << info.error().message();
}

TEST(BinanceLeverageBrackets, ParsesJsonNumbersExactlyIntoMarginTiers) {
  auto brackets = parse_leverage_brackets(kBrackets);
  ASSERT_TRUE(brackets) << brackets.error().to_string();
  const auto& tiers = brackets->at("ETHUSDT");
  ASSERT_EQ(tiers.size(), 3u);
  EXPECT_EQ(tiers[2].maintenance_margin_rate, d("0.0065"));  // not 0.006500000000000000229…
  EXPECT_EQ(tiers[2].maintenance_margin_rate.scale(), 4);
  EXPECT_EQ(tiers[1].notional_floor, d("10000"));
  EXPECT_EQ(tiers[1].notional_cap, d("100000"));
  EXPECT_EQ(tiers[1].max_leverage, d("100"));
  EXPECT_EQ(tiers[2].maintenance_amount, d("160"));
}

TEST(BinanceLeverageBrackets, CumIsTheAmountThatKeepsMaintenanceMarginContinuous) {
  auto brackets = parse_leverage_brackets(kBrackets);
  ASSERT_TRUE(brackets);
  const auto& t = brackets->at("ETHUSDT");
  // By hand: cum_n = cum_(n-1) + floor_n × (rate_n − rate_(n-1)):
  //   tier 2: 0 + 10000 × (0.005 − 0.004) = 10; tier 3: 10 + 100000 × (0.0065 − 0.005) = 160.
  for (std::size_t n = 1; n < t.size(); ++n) {
    const Decimal expected =
        t[n - 1].maintenance_amount +
        t[n].notional_floor.mul(t[n].maintenance_margin_rate - t[n - 1].maintenance_margin_rate, 8);
    EXPECT_EQ(t[n].maintenance_amount, expected) << "tier " << n + 1;
  }
}

TEST(BinanceLeverageBrackets, AcceptsTheSingleObjectAnswerForOneSymbol) {
  auto brackets = parse_leverage_brackets(
      R"({"symbol":"BTCUSDT","notionalCoef":1.0,"brackets":[{"bracket":1,"initialLeverage":20,"notionalCap":5000,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0}]})");
  ASSERT_TRUE(brackets) << brackets.error().to_string();
  EXPECT_EQ(brackets->at("BTCUSDT").at(0).maintenance_margin_rate, d("0.01"));
}

TEST(BinanceInstruments, BuildsAnInstrumentWhoseMaintenanceMarginFollowsTheBrackets) {
  auto info = parse_exchange_info(kExchangeInfo, kVenue);
  auto brackets = parse_leverage_brackets(kBrackets);
  ASSERT_TRUE(info && brackets);
  auto instruments = build_instruments(*info, *brackets);
  ASSERT_TRUE(instruments) << instruments.error().to_string();
  const model::Instrument& eth = instruments->at(0);
  ASSERT_EQ(eth.margin_tiers().size(), 3u);
  // 200000 USDT notional is in tier 3: 200000 × 0.0065 − 160 = 1300 − 160 = 1140 USDT.
  auto mm = eth.maintenance_margin(model::Money(d("200000"), model::Currency::USDT()));
  ASSERT_TRUE(mm) << mm.error().to_string();
  EXPECT_EQ(mm->amount(), d("1140"));
  // On the tier-1/2 boundary (10000): tier 1 gives 10000 × 0.004 = 40, tier 2 gives 50 − 10 = 40.
  auto edge = eth.maintenance_margin(model::Money(d("10000"), model::Currency::USDT()));
  ASSERT_TRUE(edge);
  EXPECT_EQ(edge->amount(), d("40"));
}

TEST(BinanceAccount, MapsWalletBalanceAndInitialMarginToTotalAndLocked) {
  auto balances = parse_account_balances(R"({"assets":[{"asset":"USDT","walletBalance":"23.72469206",
      "unrealizedProfit":"0.00000000","marginBalance":"23.72469206","maintMargin":"0.00000000",
      "initialMargin":"3.50000000","positionInitialMargin":"3.50000000","openOrderInitialMargin":"0.00000000",
      "crossWalletBalance":"23.72469206","crossUnPnl":"0.00000000","availableBalance":"20.22469206",
      "maxWithdrawAmount":"20.22469206","marginAvailable":true,"updateTime":1625474304765}],"positions":[]})");
  ASSERT_TRUE(balances) << balances.error().to_string();
  ASSERT_EQ(balances->size(), 1u);
  auto b = balances->at(0).to_balance();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->total.amount(), d("23.72469206"));
  EXPECT_EQ(b->free().amount(), d("20.22469206"));  // 23.72469206 − 3.5
}

TEST(BinancePositionRisk, ReadsTheExchangeLiquidationPriceAndSignedAmount) {
  auto positions = parse_position_risk(R"([{"entryPrice":"30000.5","breakEvenPrice":"30012.1","marginType":"isolated",
      "isAutoAddMargin":"false","isolatedMargin":"150.00000000","leverage":"10","liquidationPrice":"33012.40",
      "markPrice":"30100.00000000","maxNotionalValue":"20000000","positionAmt":"-0.050","notional":"-1505.00",
      "isolatedWallet":"150","symbol":"BTCUSDT","unRealizedProfit":"-4.97500000","positionSide":"BOTH",
      "updateTime":1700000000123}])");
  ASSERT_TRUE(positions) << positions.error().to_string();
  const PositionRisk& p = positions->at(0);
  EXPECT_EQ(p.position_amt, d("-0.05"));
  ASSERT_TRUE(p.liquidation_price);
  EXPECT_EQ(p.liquidation_price->value(), d("33012.4"));
  EXPECT_EQ(p.margin_type, model::MarginMode::Isolated);
  EXPECT_EQ(p.leverage, d("10"));
  const auto report = p.to_report(core::AccountId("acc-1"), kVenue);
  EXPECT_EQ(report.instrument_id.value(), "BTCUSDT.BINANCE");
  EXPECT_EQ(report.quantity, d("-0.05"));
  EXPECT_EQ(report.ts_event, core::UnixNanos::from_millis(1700000000123));
  // The venue's own liquidation price and margin mode travel with the report (the liquidation check).
  ASSERT_TRUE(report.liquidation_price);
  EXPECT_EQ(report.liquidation_price->value(), d("33012.4"));
  EXPECT_EQ(report.margin_mode, model::MarginMode::Isolated);
}

TEST(BinancePositionRisk, NamesTheFieldOfAMalformedPosition) {
  auto positions = parse_position_risk(R"([{"symbol":"BTCUSDT","positionAmt":"0.1","entryPrice":"1","markPrice":"1",
      "liquidationPrice":"0","leverage":"10","marginType":"portfolio","unRealizedProfit":"0","notional":"0",
      "positionSide":"BOTH","updateTime":0}])");
  ASSERT_FALSE(positions);
  EXPECT_EQ(positions.error().where(), "[0].marginType");
}

constexpr const char* kOrder = R"({"avgPrice":"0.00000","clientOrderId":"strat-1-0001","cumQuote":"0",
  "executedQty":"0.000","orderId":1917641,"origQty":"0.400","origType":"LIMIT","price":"29000.10","reduceOnly":true,
  "side":"SELL","positionSide":"BOTH","status":"NEW","stopPrice":"0","closePosition":false,"symbol":"BTCUSDT",
  "time":1579276756075,"timeInForce":"GTX","type":"LIMIT","updateTime":1579276756075,"workingType":"CONTRACT_PRICE",
  "priceProtect":false})";

TEST(BinanceOrders, MapsAnOpenOrderToAStatusReport) {
  auto order = parse_order(kOrder);
  ASSERT_TRUE(order) << order.error().to_string();
  EXPECT_EQ(order->time_in_force, VenueTimeInForce::Gtx);
  EXPECT_TRUE(order->reduce_only);
  EXPECT_FALSE(order->stop_price);  // "0" means none
  auto report = order->to_report(core::AccountId("acc-1"), kVenue);
  ASSERT_TRUE(report) << report.error().to_string();
  ASSERT_TRUE(report->client_order_id);
  EXPECT_EQ(report->client_order_id->value(), "strat-1-0001");
  EXPECT_EQ(report->venue_order_id.value(), "1917641");
  EXPECT_EQ(report->side, model::OrderSide::Sell);
  EXPECT_EQ(report->status, model::OrderStatus::Accepted);
  EXPECT_EQ(report->quantity.value(), d("0.4"));
  ASSERT_TRUE(report->price);
  EXPECT_EQ(report->price->value(), d("29000.1"));
  EXPECT_FALSE(report->avg_px);
}

// GET /fapi/v1/algoOrder as documented ("Query Algo Order"), once triggered: actualOrderId names the order it
// placed in the matching engine ("" before).
TEST(BinanceOrders, ReadsTheMatchingEngineOrderOfATriggeredAlgoOrder) {
  const std::string body = R"({"algoId":2146760,"clientAlgoId":"sl-1","algoType":"CONDITIONAL","orderType":"STOP_MARKET",
    "symbol":"BTCUSDT","side":"BUY","positionSide":"BOTH","timeInForce":"GTC","quantity":"0.010","algoStatus":"FINISHED",
    "actualOrderId":"8389766","actualPrice":"31005.5","triggerPrice":"31000","price":"0","workingType":"CONTRACT_PRICE",
    "priceMatch":"NONE","closePosition":false,"priceProtect":false,"reduceOnly":false,"createTime":1700000000000,
    "updateTime":1700000000500,"triggerTime":1700000000400,"goodTillDate":0})";
  auto order = parse_algo_order(body);
  ASSERT_TRUE(order) << order.error().to_string();
  EXPECT_TRUE(order->is_algo);
  EXPECT_EQ(*order->actual_order_id, 8389766);
  EXPECT_EQ(order->model_status().value(), model::OrderStatus::Filled);  // FINISHED
  std::string before = body;
  before.replace(before.find(R"("actualOrderId":"8389766")"), 25, R"("actualOrderId":"")");
  EXPECT_FALSE(parse_algo_order(before)->actual_order_id.has_value());
  std::string bad = body;
  bad.replace(bad.find(R"("actualOrderId":"8389766")"), 25, R"("actualOrderId":"-4")");
  auto refused = parse_algo_order(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().where(), "actualOrderId");
}

TEST(BinanceOrders, NamesTheFieldOfAMalformedOrder) {
  std::string body = kOrder;
  body.replace(body.find("\"origQty\":\"0.400\""), 17, "\"origQty\":\"-0.4\"");
  auto order = parse_order(body);
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().where(), "origQty");
  auto list = parse_orders("[" + std::string(kOrder) + R"(,{"orderId":"x"}])");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().where(), "[1].orderId");
}

TEST(BinanceTrades, MapsAUserTradeToAFillWithCommissionAndLiquidity) {
  auto trades = parse_user_trades(R"([{"buyer":false,"commission":"0.07819010","commissionAsset":"USDT","id":698759,
      "maker":true,"orderId":25851813,"price":"7819.01","qty":"0.002","quoteQty":"15.63802","realizedPnl":"-0.91539999",
      "side":"SELL","positionSide":"BOTH","symbol":"BTCUSDT","time":1569514978020}])");
  ASSERT_TRUE(trades) << trades.error().to_string();
  auto fill = trades->at(0).to_fill(core::AccountId("acc-1"), kVenue, core::ClientOrderId("c-1"),
                                    core::UnixNanos::from_millis(1569514978100));
  ASSERT_TRUE(fill) << fill.error().to_string();
  EXPECT_EQ(fill->trade_id.value(), "698759");
  EXPECT_EQ(fill->venue_order_id.value(), "25851813");
  EXPECT_EQ(fill->side, model::OrderSide::Sell);
  EXPECT_EQ(fill->last_qty.value(), d("0.002"));
  EXPECT_EQ(fill->last_px.value(), d("7819.01"));
  EXPECT_EQ(fill->commission.amount(), d("0.0781901"));
  EXPECT_EQ(fill->commission.currency().code(), "USDT");
  EXPECT_EQ(fill->liquidity_side, model::LiquiditySide::Maker);
  EXPECT_EQ(fill->ts_event, core::UnixNanos::from_millis(1569514978020));
}

TEST(BinanceErrors, ReadsCodeAndMessageOfAnErrorBody) {
  auto e = parse_error_body(R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->first, -1021);
  EXPECT_EQ(e->second, "Timestamp for this request is outside of the recvWindow.");
  EXPECT_FALSE(parse_error_body("<html>bad gateway</html>"));
}

TEST(BinanceJson, ReportsInvalidJsonAtTheRoot) {
  auto info = parse_exchange_info("{\"rateLimits\": [", kVenue);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code(), core::ErrorCode::ParseError);
  EXPECT_EQ(info.error().where(), "$");
}

}  // namespace
}  // namespace ballast::adapters::binance
