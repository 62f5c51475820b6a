// HyperliquidRestClient against the mock exchange on 127.0.0.1, which verifies every /exchange signature by
// recovering the signer's address (second method: secp256k1 public-key recovery, compared with the address
// the Signer derived from its key).
#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"

#include "ballast/core/clock.hpp"
#include "ballast/net/http_client.hpp"
#include "testkit/venues/mock_hyperliquid_server.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::Decimal;
using ballast::core::Duration;
using ballast::core::ErrorCode;
using ballast::core::TestClock;
using ballast::core::UnixNanos;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ballast::testing::hyperliquid::MockHyperliquidServer;

namespace {

constexpr std::string_view kKey = "0x0123456789012345678901234567890123456789012345678901234567890123";

hl::Signer key() { return std::move(*hl::Signer::from_hex(kKey)); }

hl::HyperliquidConfig config_for(const MockHyperliquidServer& server, hl::Network network) {
  hl::HyperliquidConfig c;
  c.network = network;
  c.base_url = server.base_url();
  c.http.timeout = std::chrono::milliseconds(5000);
  return c;
}

hl::WireValue one_order(std::string_view px = "100") {
  hl::OrderRequest o;
  o.asset = hl::AssetSpec{1, 2, hl::MarketKind::Perp};
  o.limit_px = *Decimal::parse(px);
  o.size = *Decimal::parse("0.5");
  o.cloid = hl::Cloid::from_client_order_id(ballast::core::ClientOrderId("O-1"));
  return *hl::order_action({o});
}

}  // namespace

TEST(HyperliquidRestClient, PlacesAnOrderWhoseSignatureTheExchangeRecoversToTheAccount) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), &signer);
  auto response = client.exchange(one_order(), 1700000000000ULL);
  ASSERT_TRUE(response) << response.error().to_string();
  EXPECT_EQ(response->type, "order");
  ASSERT_EQ(response->statuses.size(), 1U);
  EXPECT_EQ(response->statuses[0].kind, hl::ActionStatus::Kind::Resting);
  EXPECT_EQ(response->statuses[0].oid, 1000U);
  const auto received = server.exchange_requests();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_TRUE(received[0].signature_valid);
  EXPECT_EQ(received[0].recovered, signer.address());
  EXPECT_EQ(received[0].body.substr(0, 30), R"({"action":{"type":"order","ord)");
  EXPECT_NE(received[0].body.find(R"("nonce":1700000000000,"signature":{"r":"0x)"), std::string::npos);
}

TEST(HyperliquidRestClient, IsRejectedWhenSigningForTheOtherNetwork) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Mainnet), &signer);  // source "a" ≠ "b"
  auto response = client.exchange(one_order(), 1700000000001ULL);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(response.error().message().find("does not exist"), std::string::npos);
  const auto received = server.exchange_requests();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_FALSE(received[0].signature_valid);
  EXPECT_NE(received[0].recovered, signer.address());
}

TEST(HyperliquidRestClient, FailsVerificationWhenTheSentActionDiffersFromTheSignedOne) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  // Sign a price of 100 but send 101: the exchange hashes what it receives, so the signer no longer recovers.
  const hl::Signature sig = signer.sign_l1_action(one_order("100"), 5, std::nullopt, std::nullopt, hl::Network::Testnet);
  ballast::net::HttpClient http(server.base_url());
  auto raw = http.request("POST", "/exchange", hl::exchange_request_body(one_order("101"), 5, sig, std::nullopt, std::nullopt),
                          {{"Content-Type", "application/json"}});
  ASSERT_TRUE(raw);
  auto parsed = hl::parse_exchange_response(raw->body);
  ASSERT_FALSE(parsed);
  const auto received = server.exchange_requests();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_FALSE(received[0].signature_valid);
}

TEST(HyperliquidRestClient, SignsTheVaultAddressAndExpiresAfterIntoTheHash) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Mainnet, signer.address());
  hl::HyperliquidConfig cfg = config_for(server, hl::Network::Mainnet);
  cfg.vault_address = *hl::parse_address("0x1719884eb866cb12b2287399b15f7db5e7d775ea", "vaultAddress");
  hl::HyperliquidRestClient client(cfg, &signer);
  auto response = client.exchange(hl::cancel_action({{1, 1000}, {1, 1001}}), 1700000000002ULL, 1700000060000ULL);
  ASSERT_TRUE(response) << response.error().to_string();
  ASSERT_EQ(response->statuses.size(), 2U);
  EXPECT_EQ(response->statuses[0].kind, hl::ActionStatus::Kind::Success);
  EXPECT_EQ(response->statuses[1].kind, hl::ActionStatus::Kind::Error);
  EXPECT_NE(response->statuses[1].error.find("never placed"), std::string::npos);
  const auto received = server.exchange_requests();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_TRUE(received[0].signature_valid);
  EXPECT_NE(received[0].body.find(R"("vaultAddress":"0x1719884eb866cb12b2287399b15f7db5e7d775ea","expiresAfter":1700000060000})"),
            std::string::npos);
}

TEST(HyperliquidRestClient, RefusesToTradeWithoutAKeyAndSendsNothing) {
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), nullptr);
  EXPECT_FALSE(client.can_trade());
  auto response = client.exchange(hl::schedule_cancel_action(std::nullopt), 1);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), ErrorCode::InvalidState);
  EXPECT_TRUE(server.exchange_requests().empty());
}

TEST(HyperliquidRestClient, ReportsAnHttpFailureWithItsStatus) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  server.fail_exchange_with(502, R"("bad gateway")");
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), &signer);
  auto response = client.exchange(hl::update_leverage_action(1, true, 10), 9);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), ErrorCode::IoError);
  EXPECT_NE(response.error().message().find("HTTP 502"), std::string::npos);
}

TEST(HyperliquidRestClient, ReadsMetaAndAccountStateThroughInfo) {
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  server.set_info_response("meta", R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":40}]})");
  server.set_info_response("clearinghouseState", R"({"assetPositions":[],
    "crossMaintenanceMarginUsed":"0.0",
    "crossMarginSummary":{"accountValue":"100.5","totalMarginUsed":"0.0","totalNtlPos":"0.0","totalRawUsd":"100.5"},
    "marginSummary":{"accountValue":"100.5","totalMarginUsed":"0.0","totalNtlPos":"0.0","totalRawUsd":"100.5"},
    "time":1708622398623,"withdrawable":"100.5"})");
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), &signer);
  auto meta = client.meta();
  ASSERT_TRUE(meta) << meta.error().to_string();
  ASSERT_EQ(meta->size(), 1U);
  EXPECT_EQ((*meta)[0].max_leverage, 40);
  auto state = client.clearinghouse_state(signer.address());
  ASSERT_TRUE(state) << state.error().to_string();
  EXPECT_EQ(state->withdrawable, *Decimal::parse("100.5"));
  const auto requests = server.info_requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0], R"({"type":"meta"})");
  EXPECT_EQ(requests[1], R"({"type":"clearinghouseState","user":")" + hl::to_hex(signer.address()) + R"("})");
}

TEST(HyperliquidRestClient, PassesParseErrorsOfInfoAnswersWithTheirPath) {
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("meta", R"({"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":"forty"}]})");
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), nullptr);
  auto meta = client.meta();
  ASSERT_FALSE(meta);
  EXPECT_EQ(meta.error().code(), ErrorCode::ParseError);
  EXPECT_NE(meta.error().to_string().find("universe[0].maxLeverage"), std::string::npos);
}

// --- Request weight (docs "Rate limits and user limits"; rolling_weight_limiter.hpp) ----------------------
// The mock exchange counts weight from its own copy of the docs' table on the same TestClock as the client;
// the client's Sleeper advances that clock and records every wait, so each wait is checked against the value
// worked out by hand in the test's comment.

namespace {

constexpr UnixNanos kStart = UnixNanos::from_millis(1'700'000'000'000);

struct Waits {
  TestClock clock{kStart};
  std::vector<Duration> slept;
  hl::Sleeper sleeper() {
    return [this](Duration d) {
      slept.push_back(d);
      clock.advance(d);
    };
  }
};

hl::HyperliquidConfig limited_config(const MockHyperliquidServer& server, std::int64_t limit) {
  hl::HyperliquidConfig c = config_for(server, hl::Network::Testnet);
  c.limiter = std::make_shared<hl::RollingWeightLimiter>(limit);
  c.jitter_seed = 42;
  c.http.timeout = milliseconds(120'000);  // also the bound on waiting for weight: room for the 60 s waits
  return c;
}

hl::WireValue typed(std::string_view type) {
  hl::WireValue r = hl::WireValue::map();
  r.set("type", hl::WireValue::string(std::string(type)));
  return r;
}

}  // namespace

TEST(HyperliquidRestClient, KeepsABurstWithinTheExchangesWeightLimitByWaiting) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("l2Book", R"({"coin":"BTC","time":1,"levels":[[],[]]})");
  server.enforce_weight_limit(60, w.clock);
  hl::HyperliquidRestClient client(limited_config(server, 60), nullptr, &w.clock, w.sleeper());
  // 40 l2Book reads (weight 2), one a second. Reads 1–30 at 0..29 s fill the 60. Read 31 at 30 s waits until
  // the first read's 2 leave the window at 60 s: 30 s. From then on one old read leaves each second as a
  // new one comes, so reads 32–40 (61..69 s) do not wait.
  for (int i = 0; i < 40; ++i) {
    auto body = client.info(typed("l2Book"));
    ASSERT_TRUE(body) << i << ": " << body.error().to_string();
    w.clock.advance(seconds(1));
  }
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(30)}));
  EXPECT_EQ(w.clock.now(), kStart + seconds(70));
  EXPECT_EQ(server.rate_limited_answers(), 0U);
  EXPECT_EQ(server.max_weight_used(), 60);
  EXPECT_EQ(server.info_requests().size(), 40U);
  EXPECT_EQ(client.requests_sent(), 40U);
}

TEST(HyperliquidRestClient, FailsWithoutSendingWhenTheWaitWouldExceedTheRequestTimeout) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("allMids", R"({"BTC":"100"})");
  hl::HyperliquidConfig c = limited_config(server, 60);
  c.http.timeout = milliseconds(5000);
  hl::HyperliquidRestClient client(c, nullptr, &w.clock, w.sleeper());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(client.info(typed("allMids")));
  // The 31st would wait 60 s for room, more than the 5 s timeout: refused at once.
  auto refused = client.info(typed("allMids"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidState);
  EXPECT_EQ(refused.error().message().rfind("Hyperliquid rate limit:", 0), 0U) << refused.error().message();
  EXPECT_NE(refused.error().message().find("60 of 60 weight used"), std::string::npos) << refused.error().message();
  EXPECT_NE(refused.error().message().find("nothing was sent"), std::string::npos);
  EXPECT_TRUE(w.slept.empty());
  EXPECT_EQ(server.info_requests().size(), 30U);
}

TEST(HyperliquidRestClient, RetriesAnInfoReadAfterThe429sRetryAfter) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("allMids", R"({"BTC":"100"})");
  server.refuse_next_with_429(1, 7);
  hl::HyperliquidRestClient client(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  auto body = client.info(typed("allMids"));
  ASSERT_TRUE(body) << body.error().to_string();
  EXPECT_EQ(*body, R"({"BTC":"100"})");
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(7)}));
  EXPECT_EQ(client.rate_limited_answers(), 1U);
  EXPECT_EQ(client.requests_sent(), 2U);
  EXPECT_EQ(server.info_requests().size(), 1U);  // the refused one was not processed
}

TEST(HyperliquidRestClient, BacksOffWithJitterWhenA429HasNoRetryAfter) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("allMids", R"({"BTC":"100"})");
  server.refuse_next_with_429(2, std::nullopt);
  hl::HyperliquidRestClient client(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  ASSERT_TRUE(client.info(typed("allMids")));
  // base 1 s, equal jitter: attempt 1 waits in [0.5 s, 1 s], attempt 2 in [1 s, 2 s].
  ASSERT_EQ(w.slept.size(), 2U);
  EXPECT_GE(w.slept[0], milliseconds(500));
  EXPECT_LE(w.slept[0], milliseconds(1000));
  EXPECT_GE(w.slept[1], milliseconds(1000));
  EXPECT_LE(w.slept[1], milliseconds(2000));
}

TEST(HyperliquidRestClient, GivesUpOnAnInfoReadAfterMaxAttempts429s) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("allMids", R"({"BTC":"100"})");
  server.refuse_next_with_429(3, 1);
  hl::HyperliquidRestClient client(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  auto refused = client.info(typed("allMids"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(refused.error().message().find("Hyperliquid rate limit: POST /info allMids answered HTTP 429 3 times"),
            std::string::npos)
      << refused.error().message();
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(1), seconds(1)}));  // after the 1st and 2nd refusal
  EXPECT_EQ(client.requests_sent(), 3U);
}

TEST(HyperliquidRestClient, DoesNotResendAnExchangeActionRefusedWith429AndPausesLaterCalls) {
  Waits w;
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  server.set_info_response("allMids", R"({"BTC":"100"})");
  server.refuse_next_with_429(1, 5);
  hl::HyperliquidRestClient client(limited_config(server, 1200), &signer, &w.clock, w.sleeper());
  auto response = client.exchange(one_order(), 1700000000003ULL);
  ASSERT_FALSE(response);
  // InvalidState: the execution client reports it as OrderRejected (the action was not applied).
  EXPECT_EQ(response.error().code(), ErrorCode::InvalidState);
  EXPECT_EQ(response.error().message().rfind("Hyperliquid rate limit: POST /exchange order answered HTTP 429", 0), 0U)
      << response.error().message();
  EXPECT_NE(response.error().message().find("not applied"), std::string::npos);
  EXPECT_TRUE(w.slept.empty());
  EXPECT_EQ(client.requests_sent(), 1U);
  EXPECT_TRUE(server.exchange_requests().empty());
  // The next call, an /info read, first waits out the 5 s of Retry-After.
  ASSERT_TRUE(client.info(typed("allMids")));
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(5)}));
}

TEST(HyperliquidRestClient, ChargesTheItemsAnInfoAnswerReturns) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.enforce_weight_limit(1200, w.clock);
  server.set_candles(1'700'000'000'000ULL, 60'000, 130, 5000);
  hl::HyperliquidRestClient client(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  auto bars = client.candle_snapshot("BTC", "1m", 1'700'000'000'000ULL, 1'700'000'000'000ULL + 200 * 60'000ULL);
  ASSERT_TRUE(bars) << bars.error().to_string();
  ASSERT_EQ(bars->size(), 130U);
  // candleSnapshot: 20 + floor(130 / 60) = 22.
  EXPECT_EQ(client.used_weight(), 22);
  EXPECT_EQ(server.weight_used(), 22);
  std::string fills = "[";
  for (int i = 0; i < 45; ++i) fills += (i > 0 ? "," : "") + std::string(R"({"tid":)") + std::to_string(i) + "}";
  server.set_info_response("userFillsByTime", fills + "]");
  ASSERT_TRUE(client.info(typed("userFillsByTime")));
  // userFillsByTime: 20 + floor(45 / 20) = 22 more.
  EXPECT_EQ(client.used_weight(), 44);
  EXPECT_EQ(server.weight_used(), 44);
}

TEST(HyperliquidRestClient, WeighsAnExchangeBatchByItsLength) {
  Waits w;
  const hl::Signer signer = key();
  MockHyperliquidServer server(hl::Network::Testnet, signer.address());
  server.enforce_weight_limit(1200, w.clock);
  hl::HyperliquidRestClient client(limited_config(server, 1200), &signer, &w.clock, w.sleeper());
  std::vector<hl::OrderRequest> batch;
  for (int i = 0; i < 79; ++i) {
    hl::OrderRequest o;
    o.asset = hl::AssetSpec{1, 2, hl::MarketKind::Perp};
    o.limit_px = *Decimal::parse("100");
    o.size = *Decimal::parse("0.5");
    batch.push_back(o);
  }
  auto response = client.exchange(*hl::order_action(batch), 1700000000004ULL);
  ASSERT_TRUE(response) << response.error().to_string();
  EXPECT_EQ(response->statuses.size(), 79U);
  // "a batched order request of length 79 has weight 2" (the docs' example).
  EXPECT_EQ(client.used_weight(), 2);
  EXPECT_EQ(server.weight_used(), 2);
}

TEST(HyperliquidRestClient, ClientsBuiltFromOneConfigShareOneBudget) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("l2Book", R"({"coin":"BTC","time":1,"levels":[[],[]]})");
  server.set_info_response("meta", R"({"universe":[]})");
  server.enforce_weight_limit(60, w.clock);
  const hl::HyperliquidConfig c = limited_config(server, 60);
  hl::HyperliquidRestClient execution(c, nullptr, &w.clock, w.sleeper());
  hl::HyperliquidRestClient data(c, nullptr, &w.clock, w.sleeper());
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(execution.info(typed("l2Book")));  // 50 at 0 s
  EXPECT_EQ(data.used_weight(), 50);
  // meta (20) on the other client: 50 + 20 > 60, and all of the 50 leave at 60 s → it waits 60 s.
  ASSERT_TRUE(data.info(typed("meta")));
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(60)}));
  EXPECT_EQ(server.rate_limited_answers(), 0U);
  // A config of its own starts from an empty budget.
  hl::HyperliquidRestClient separate(config_for(server, hl::Network::Testnet), nullptr, &w.clock, w.sleeper());
  EXPECT_EQ(separate.used_weight(), 0);
  EXPECT_EQ(separate.weight_limit(), 1200);
}

TEST(HyperliquidRestClient, WaitsOutTheExchangesRetryAfterWhenAnotherProcessSpentTheBudget) {
  Waits w;
  MockHyperliquidServer server(hl::Network::Testnet, hl::Address{});
  server.set_info_response("l2Book", R"({"coin":"BTC","time":1,"levels":[[],[]]})");
  server.enforce_weight_limit(60, w.clock);
  // Two processes on one IP: separate limiters of 1200 each, one exchange budget of 60.
  hl::HyperliquidRestClient other(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  hl::HyperliquidRestClient client(limited_config(server, 1200), nullptr, &w.clock, w.sleeper());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(other.info(typed("l2Book")));  // 60 at 0 s
  w.clock.advance(seconds(10));
  // At 10 s the exchange refuses: room comes when the 0 s reads leave, 50 s later (Retry-After: 50).
  auto body = client.info(typed("l2Book"));
  ASSERT_TRUE(body) << body.error().to_string();
  EXPECT_EQ(w.slept, (std::vector<Duration>{seconds(50)}));
  EXPECT_EQ(client.rate_limited_answers(), 1U);
  EXPECT_EQ(server.rate_limited_answers(), 1U);
  EXPECT_EQ(w.clock.now(), kStart + seconds(60));
}
