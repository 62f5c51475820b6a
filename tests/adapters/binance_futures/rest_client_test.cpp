// BinanceRestClient against the mock exchange: signing on the wire, server-time recovery, request weight,
// 429 back-off, 418 ban, retries, lost acknowledgements, orders, leverage and margin type.

#include "ballast/adapters/binance_futures/rest_client.hpp"

#include <gtest/gtest.h>

#include "testkit/venues/binance_test_support.hpp"

namespace ballast::adapters::binance {
namespace {

using core::Decimal;
using testing::kMockApiKey;
using testing::RestHarness;

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

NewOrderRequest limit_order(const std::string& client_id, const char* qty = "0.010", const char* price = "29000.10") {
  NewOrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = model::OrderSide::Buy;
  r.type = VenueOrderType::Limit;
  r.quantity = model::Quantity::parse(qty).value();
  r.price = model::Price::parse(price).value();
  r.time_in_force = VenueTimeInForce::Gtc;
  r.client_order_id = client_id;
  return r;
}

TEST(BinanceRestClient, SignedCallCarriesTheKeyHeaderRecvWindowTimestampAndSignature) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  auto balances = h.rest->account_balances();
  ASSERT_TRUE(balances) << balances.error().message();
  EXPECT_EQ(balances->at(0).wallet_balance, d("10000"));
  EXPECT_EQ(h.mock.last_header("/fapi/v2/account", "X-MBX-APIKEY"), std::string(kMockApiKey));
  const std::string target = h.mock.last_target("/fapi/v2/account");
  EXPECT_EQ(target.rfind("/fapi/v2/account?recvWindow=5000&timestamp=", 0), 0u) << target;
  EXPECT_NE(target.find("&signature="), std::string::npos);
  EXPECT_FALSE(h.mock.last_header("/fapi/v1/time", "X-MBX-APIKEY"));  // public call: no key sent
}

TEST(BinanceRestClient, AWrongSecretIsRefusedWithCode1022) {
  RestHarness h([](BinanceRestConfig& c) { c.api_secret = "not-the-secret"; });
  ASSERT_TRUE(h.rest->sync_time());
  auto balances = h.rest->account_balances();
  ASSERT_FALSE(balances);
  EXPECT_EQ(balances.error().kind, ApiErrorKind::VenueReject);
  EXPECT_EQ(balances.error().code, -1022);
  EXPECT_EQ(balances.error().http_status, 401u);
  EXPECT_NE(balances.error().message().find("Signature for this request is not valid."), std::string::npos);
}

TEST(BinanceRestClient, RecoversFromTimestampOutsideRecvWindowByResyncingOnce) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  h.mock.set_clock_skew(std::chrono::seconds(30));  // the venue's clock jumps 30 s ahead
  auto balances = h.rest->account_balances();
  ASSERT_TRUE(balances) << balances.error().message();
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v2/account"), 2u);  // -1021, then the re-sent call
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/time"), 2u);     // initial sync + re-sync
  // The new offset is the skew plus the TestClock's distance from the wall clock; compare the two syncs:
  // the timestamp the client now sends is within recvWindow of the skewed server time.
  const auto server_ms = h.mock.server_time_ms();
  const auto client_ms = (h.clock.now() + h.rest->time_offset()).millis();
  EXPECT_LT(std::abs(server_ms - client_ms), 5000);
}

TEST(BinanceRestClient, BacksOffAfter429ForRetryAfterWithoutContactingTheServer) {
  RestHarness h;
  h.mock.fail_next(429, 1, -1003, "Too many requests; current limit is 2400 requests per minute.", 7);
  auto first = h.rest->exchange_info();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().kind, ApiErrorKind::RateLimited);
  EXPECT_EQ(first.error().code, -1003);
  EXPECT_EQ(first.error().retry_after, std::chrono::seconds(7));
  EXPECT_TRUE(first.error().sent);
  const std::size_t seen = h.mock.request_count();

  h.clock.advance(std::chrono::seconds(6));
  auto during = h.rest->exchange_info();
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().kind, ApiErrorKind::RateLimited);
  EXPECT_FALSE(during.error().sent);
  EXPECT_EQ(during.error().retry_after, std::chrono::seconds(1));
  EXPECT_EQ(h.mock.request_count(), seen);

  h.clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(h.rest->exchange_info());
  EXPECT_EQ(h.mock.request_count(), seen + 1);
}

TEST(BinanceRestClient, StopsEveryCallUntilAn418BanEndsWithoutContactingTheServer) {
  RestHarness h;  // not synced: offset 0, so the ban time in the message is the TestClock's time
  const std::int64_t until_ms = h.clock.now().millis() + 120'000;
  h.mock.fail_next(418, 1, -1003,
                   "Way too many requests; IP(127.0.0.1) banned until " + std::to_string(until_ms) +
                       ". Please use the websocket for live updates to avoid bans.");
  auto first = h.rest->exchange_info();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().kind, ApiErrorKind::Banned);
  EXPECT_EQ(h.rest->banned_until(), core::UnixNanos::from_millis(until_ms));
  const std::size_t seen = h.mock.request_count();

  h.clock.advance(std::chrono::seconds(119));
  EXPECT_EQ(h.rest->sync_time().error().kind, ApiErrorKind::Banned);
  auto order = h.rest->place_order(limit_order("c-ban"));
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().kind, ApiErrorKind::Banned);
  EXPECT_FALSE(order.error().sent);
  EXPECT_EQ(h.mock.request_count(), seen);  // nothing reached the server during the ban

  h.clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(h.rest->exchange_info());
  EXPECT_EQ(h.mock.request_count(), seen + 1);
}

TEST(BinanceRestClient, TakesTheBanLengthFromRetryAfterWhenPresent) {
  RestHarness h;
  h.mock.fail_next(418, 1, -1003, "Way too many requests.", 30);
  auto first = h.rest->exchange_info();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().retry_after, std::chrono::seconds(30));
  EXPECT_EQ(h.rest->banned_until(), h.clock.now() + std::chrono::seconds(30));
}

TEST(BinanceRestClient, RetriesAnIdempotentGetAfter5xxWithBoundedJitteredBackoff) {
  RestHarness h;
  h.mock.fail_next(503, 2, -1001, "Internal error; unable to process your request. Please try again.");
  auto info = h.rest->exchange_info();
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/exchangeInfo"), 3u);
  ASSERT_EQ(h.sleeps.size(), 2u);
  // Full jitter: attempt n waits uniform(0, min(40 ms, 10 ms × 2^(n−1))).
  EXPECT_LE(h.sleeps[0], std::chrono::milliseconds(10));
  EXPECT_LE(h.sleeps[1], std::chrono::milliseconds(20));
}

TEST(BinanceRestClient, GivesUpAfterMaxAttemptsWithAnUnknownOutcome) {
  RestHarness h;
  h.mock.fail_next(502, 3, -1001, "Internal error.");
  auto info = h.rest->exchange_info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().kind, ApiErrorKind::UnknownOutcome);
  EXPECT_EQ(info.error().http_status, 502u);
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/exchangeInfo"), 3u);
}

TEST(BinanceRestClient, DoesNotRetryANonIdempotentModify) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  ASSERT_TRUE(h.rest->place_order(limit_order("c-mod")));
  h.mock.fail_next(503, 1, -1001, "Internal error.");
  auto modified = h.rest->modify_order("BTCUSDT", "c-mod", model::OrderSide::Buy,
                                       model::Quantity::parse("0.020").value(), model::Price::parse("29100").value());
  ASSERT_FALSE(modified);
  EXPECT_EQ(modified.error().kind, ApiErrorKind::UnknownOutcome);
  EXPECT_EQ(h.mock.request_count("PUT", "/fapi/v1/order"), 1u);
}

TEST(BinanceRestClient, AdoptsTheWeightLimitFromExchangeInfoAndWaitsForTheNextMinute) {
  RestHarness h;
  h.mock.set_weight_limit(3);
  h.on_sleep = [&] { h.mock.reset_used_weight(); };  // the venue's minute rolls over while we wait
  ASSERT_TRUE(h.rest->exchange_info());              // used 1 of 3
  EXPECT_EQ(h.rest->weight_limit(), 3);
  ASSERT_TRUE(h.rest->exchange_info());  // 2
  ASSERT_TRUE(h.rest->exchange_info());  // 3
  EXPECT_EQ(h.rest->used_weight(), 3);
  EXPECT_TRUE(h.sleeps.empty());
  ASSERT_TRUE(h.rest->exchange_info());  // would be 4 > 3: waits for the next minute first
  ASSERT_EQ(h.sleeps.size(), 1u);
  // TestClock starts at 1 700 000 000 000 ms; 1 700 000 000 000 mod 60 000 = 20 000 ms into the minute,
  // so the wait is 40 s (offset 0: never synced).
  EXPECT_EQ(h.sleeps[0], std::chrono::seconds(40));
  EXPECT_EQ(h.mock.request_count("GET", "/fapi/v1/exchangeInfo"), 4u);
  EXPECT_EQ(h.rest->used_weight(), 1);  // the venue's count after the reset
}

TEST(BinanceRestClient, PlacesQueriesAndCancelsALimitOrderByClientOrderId) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  auto placed = h.rest->place_order(limit_order("c-1"));
  ASSERT_TRUE(placed) << placed.error().message();
  EXPECT_EQ(placed->status, "NEW");
  EXPECT_EQ(placed->client_order_id, "c-1");
  const std::string target = h.mock.last_target("/fapi/v1/order");
  EXPECT_NE(target.find("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=29000.1"
                        "&newClientOrderId=c-1"),
            std::string::npos)
      << target;
  auto queried = h.rest->query_order("BTCUSDT", "c-1");
  ASSERT_TRUE(queried);
  EXPECT_EQ(queried->order_id, placed->order_id);
  auto canceled = h.rest->cancel_order("BTCUSDT", "c-1");
  ASSERT_TRUE(canceled) << canceled.error().message();
  EXPECT_EQ(canceled->status, "CANCELED");
  auto again = h.rest->cancel_order("BTCUSDT", "c-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, kCodeUnknownOrder);
}

TEST(BinanceRestClient, SendsConditionalOrdersToTheAlgoOrderEndpoint) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  NewOrderRequest stop;
  stop.symbol = "BTCUSDT";
  stop.side = model::OrderSide::Sell;
  stop.type = VenueOrderType::StopMarket;
  stop.quantity = model::Quantity::parse("0.010").value();
  stop.stop_price = model::Price::parse("28000").value();
  stop.reduce_only = true;
  stop.client_order_id = "sl-1";
  auto placed = h.rest->place_order(stop);
  ASSERT_TRUE(placed) << placed.error().message();
  EXPECT_TRUE(placed->is_algo);
  EXPECT_EQ(placed->type, VenueOrderType::StopMarket);
  ASSERT_TRUE(placed->stop_price);
  EXPECT_EQ(placed->stop_price->value(), d("28000"));
  const std::string target = h.mock.last_target("/fapi/v1/algoOrder");
  EXPECT_EQ(target.rfind("/fapi/v1/algoOrder?algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET", 0), 0u)
      << target;
  EXPECT_NE(target.find("triggerPrice=28000&reduceOnly=true&clientAlgoId=sl-1"), std::string::npos) << target;
  EXPECT_EQ(h.mock.request_count("POST", "/fapi/v1/order"), 0u);
  auto canceled = h.rest->cancel_algo_order("sl-1");
  ASSERT_TRUE(canceled) << canceled.error().message();
  EXPECT_EQ(canceled->status, "CANCELED");
}

TEST(BinanceRestClient, RefusesAnOrderWithoutClientOrderIdLocally) {
  RestHarness h;
  auto placed = h.rest->place_order(limit_order(""));
  ASSERT_FALSE(placed);
  EXPECT_EQ(placed.error().kind, ApiErrorKind::InvalidRequest);
  EXPECT_FALSE(placed.error().sent);
  EXPECT_EQ(h.mock.request_count(), 0u);
}

TEST(BinanceRestClient, FindsAnOrderWhoseAcknowledgementWasLostByItsClientOrderId) {
  RestHarness h([](BinanceRestConfig& c) { c.timeout = std::chrono::milliseconds(300); });
  ASSERT_TRUE(h.rest->sync_time());
  h.mock.drop_next_order_ack();
  auto placed = h.rest->place_order(limit_order("c-lost"));
  ASSERT_FALSE(placed);
  // The retry (same newClientOrderId) is refused as a duplicate: the first attempt did reach the venue.
  EXPECT_EQ(placed.error().code, kCodeDuplicateClientOrderId);
  EXPECT_EQ(h.mock.order_count(), 1u);
  auto found = h.rest->query_order("BTCUSDT", "c-lost");
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(found->status, "NEW");
  EXPECT_EQ(found->orig_qty.value(), d("0.01"));
}

TEST(BinanceRestClient, TreatsNoNeedToChangeMarginTypeAsSuccess) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  EXPECT_TRUE(h.rest->set_margin_type("BTCUSDT", model::MarginMode::Cross));     // already cross: -4046
  EXPECT_TRUE(h.rest->set_margin_type("BTCUSDT", model::MarginMode::Isolated));  // changed
  EXPECT_EQ(h.mock.request_count("POST", "/fapi/v1/marginType"), 2u);
  auto lev = h.rest->set_leverage("BTCUSDT", 10);
  ASSERT_TRUE(lev) << lev.error().message();
  EXPECT_EQ(lev->leverage, 10);
  auto positions = h.rest->position_risk();
  ASSERT_TRUE(positions);
  EXPECT_EQ(positions->at(0).margin_type, model::MarginMode::Isolated);
  EXPECT_EQ(positions->at(0).leverage, d("10"));
}

TEST(BinanceRestClient, ReportsAMalformedAnswerWithTheMissingField) {
  RestHarness h;
  h.mock.fail_next(200, 1, 0, "not exchange info");  // a 200 whose body is {"code":0,"msg":…}
  auto info = h.rest->exchange_info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().kind, ApiErrorKind::BadResponse);
  EXPECT_EQ(info.error().where, "rateLimits");
  EXPECT_NE(info.error().message().find("GET /fapi/v1/exchangeInfo"), std::string::npos) << info.error().message();
}

TEST(BinanceRestClient, BuildsInstrumentsWithMarginTiersFromTheVenue) {
  RestHarness h;
  ASSERT_TRUE(h.rest->sync_time());
  auto instruments = h.rest->instruments();
  ASSERT_TRUE(instruments) << instruments.error().message();
  ASSERT_EQ(instruments->size(), 1u);
  const model::Instrument& btc = instruments->at(0);
  EXPECT_EQ(btc.id().value(), "BTCUSDT.BINANCE");
  EXPECT_EQ(btc.tick_size().value(), d("0.1"));
  ASSERT_TRUE(btc.min_notional());
  EXPECT_EQ(btc.min_notional()->amount(), d("100"));
  // 100 000 USDT is in the mock's tier 2: 100000 × 0.005 − 50 = 450.
  auto mm = btc.maintenance_margin(model::Money(d("100000"), model::Currency::USDT()));
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->amount(), d("450"));
}

}  // namespace
}  // namespace ballast::adapters::binance
