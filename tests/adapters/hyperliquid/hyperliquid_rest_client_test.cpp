// HyperliquidRestClient against the mock exchange on 127.0.0.1, which verifies every /exchange signature by
// recovering the signer's address (second method: secp256k1 public-key recovery, compared with the address
// the Signer derived from its key).
#include "ballast/adapters/hyperliquid/hyperliquid_rest_client.hpp"

#include "ballast/net/http_client.hpp"
#include "testkit/venues/mock_hyperliquid_server.hpp"

#include <gtest/gtest.h>

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::Decimal;
using ballast::core::ErrorCode;
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
  server.fail_exchange_with(429, R"("rate limited")");
  hl::HyperliquidRestClient client(config_for(server, hl::Network::Testnet), &signer);
  auto response = client.exchange(hl::update_leverage_action(1, true, 10), 9);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), ErrorCode::IoError);
  EXPECT_NE(response.error().message().find("HTTP 429"), std::string::npos);
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
