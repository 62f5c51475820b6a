// The action builders reproduce the SDK's published signatures (tests/signing_test.py of
// hyperliquid-dex/hyperliquid-python-sdk, key 0x0123…0123), which proves the field order; JSON and
// msgpack layouts are also checked by hand against the documented shapes.
#include "ballast/adapters/hyperliquid/actions.hpp"

#include "ballast/adapters/hyperliquid/signing.hpp"

#include <gtest/gtest.h>

namespace hl = ballast::adapters::hyperliquid;
using ballast::core::Decimal;
using hl::Network;

namespace {

Decimal d(std::string_view text) { return *Decimal::parse(text); }

const hl::Signer& signer() {
  static const hl::Signer s =
      std::move(*hl::Signer::from_hex("0x0123456789012345678901234567890123456789012345678901234567890123"));
  return s;
}

hl::OrderRequest buy_100_at_100() {
  hl::OrderRequest o;
  o.asset = hl::AssetSpec{1, 2, hl::MarketKind::Perp};
  o.is_buy = true;
  o.limit_px = d("100");
  o.size = d("100");
  o.type = hl::LimitOrderType{hl::Tif::Gtc};
  return o;
}

}  // namespace

TEST(HyperliquidActions, BuildsTheOrderActionWithTheSdkFieldOrder) {
  auto action = hl::order_action({buy_100_at_100()});
  ASSERT_TRUE(action) << action.error().to_string();
  EXPECT_EQ(action->to_json(),
            R"({"type":"order","orders":[{"a":1,"b":true,"p":"100","s":"100","r":false,"t":{"limit":{"tif":"Gtc"}}}],"grouping":"na"})");
  // test_l1_action_signing_order_matches
  const hl::Signature main = signer().sign_l1_action(*action, 0, std::nullopt, std::nullopt, Network::Mainnet);
  EXPECT_EQ(main.r_hex(), "0xd65369825a9df5d80099e513cce430311d7d26ddf477f5b3a33d2806b100d78e");
  EXPECT_EQ(main.s_hex(), "0x2b54116ff64054968aa237c20ca9ff68000f977c93289157748a3162b6ea940e");
  EXPECT_EQ(main.v, 28);
}

TEST(HyperliquidActions, ReproducesTheProductionPhantomAgentFromAnOrderRequest) {
  hl::OrderRequest o;
  o.asset = hl::AssetSpec{4, 4, hl::MarketKind::Perp};  // ETH, szDecimals 4
  o.limit_px = d("1670.1");
  o.size = d("0.0147");
  o.type = hl::LimitOrderType{hl::Tif::Ioc};
  auto action = hl::order_action({o});
  ASSERT_TRUE(action);
  EXPECT_EQ(hl::to_hex(hl::action_hash(*action, 1677777606040ULL, std::nullopt, std::nullopt)),
            "0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908");
}

TEST(HyperliquidActions, AddsTheCloidLastAndSignsLikeTheSdk) {
  hl::OrderRequest o = buy_100_at_100();
  o.cloid = *hl::Cloid::parse("0x00000000000000000000000000000001");
  auto action = hl::order_action({o});
  ASSERT_TRUE(action);
  EXPECT_NE(action->to_json().find(R"("t":{"limit":{"tif":"Gtc"}},"c":"0x00000000000000000000000000000001"})"),
            std::string::npos);
  const hl::Signature test = signer().sign_l1_action(*action, 0, std::nullopt, std::nullopt, Network::Testnet);
  EXPECT_EQ(test.r_hex(), "0xeba0664bed2676fc4e5a743bf89e5c7501aa6d870bdb9446e122c9466c5cd16d");
  EXPECT_EQ(test.s_hex(), "0x7f3e74825c9114bc59086f1eebea2928c190fdfbfde144827cb02b85bbe90988");
  EXPECT_EQ(test.v, 28);
}

TEST(HyperliquidActions, BuildsTriggerOrdersAsTheSdkDoes) {
  hl::OrderRequest o = buy_100_at_100();
  o.type = hl::TriggerOrderType{true, d("103"), hl::Tpsl::Sl};
  auto action = hl::order_action({o});
  ASSERT_TRUE(action);
  EXPECT_NE(action->to_json().find(R"("t":{"trigger":{"isMarket":true,"triggerPx":"103","tpsl":"sl"}})"),
            std::string::npos);
  // test_l1_action_signing_tpsl_order_matches
  const hl::Signature main = signer().sign_l1_action(*action, 0, std::nullopt, std::nullopt, Network::Mainnet);
  EXPECT_EQ(main.r_hex(), "0x98343f2b5ae8e26bb2587daad3863bc70d8792b09af1841b6fdd530a2065a3f9");
  EXPECT_EQ(main.v, 27);
}

TEST(HyperliquidActions, RejectsAnOrderPriceThatWouldNeedRoundingNamingTheOrder) {
  hl::OrderRequest good = buy_100_at_100();
  hl::OrderRequest bad = buy_100_at_100();
  bad.limit_px = d("100.123");  // szDecimals 2 → at most 4 decimals fine, but 6 significant figures
  auto action = hl::order_action({good, bad});
  ASSERT_FALSE(action);
  EXPECT_EQ(action.error().where(), "orders[1].p");
  bad = buy_100_at_100();
  bad.size = d("0.001");  // szDecimals 2
  action = hl::order_action({bad});
  ASSERT_FALSE(action);
  EXPECT_EQ(action.error().where(), "orders[0].s");
}

TEST(HyperliquidActions, AppendsTheBuilderFeeAfterGrouping) {
  hl::BuilderFee fee{*hl::parse_address("0x1719884EB866CB12B2287399B15F7DB5E7D775EA", "b"), 10};
  auto action = hl::order_action({buy_100_at_100()}, hl::Grouping::NormalTpsl, fee);
  ASSERT_TRUE(action);
  const std::string json = action->to_json();
  EXPECT_NE(json.find(R"("grouping":"normalTpsl","builder":{"b":"0x1719884eb866cb12b2287399b15f7db5e7d775ea","f":10}})"),
            std::string::npos);
}

// Hand-encoded: fixmap(2) "type" "cancel" "cancels" fixarray(1) fixmap(2) "a" 1 "o" uint16 0x3039 (12345).
TEST(HyperliquidActions, EncodesCancelByOidAsDocumented) {
  const hl::WireValue action = hl::cancel_action({{1, 12345}});
  EXPECT_EQ(action.to_json(), R"({"type":"cancel","cancels":[{"a":1,"o":12345}]})");
  const std::vector<std::uint8_t> expected{0x82, 0xa4, 't', 'y', 'p', 'e', 0xa6, 'c', 'a', 'n', 'c', 'e', 'l',
                                           0xa7, 'c', 'a', 'n', 'c', 'e', 'l', 's', 0x91, 0x82, 0xa1, 'a', 0x01,
                                           0xa1, 'o', 0xcd, 0x30, 0x39};
  EXPECT_EQ(action.to_msgpack(), expected);
}

TEST(HyperliquidActions, EncodesCancelByCloidModifyLeverageAndScheduleCancelAsDocumented) {
  const hl::Cloid c = *hl::Cloid::parse("0x000000000000000000000000000000ff");
  EXPECT_EQ(hl::cancel_by_cloid_action({{3, c}}).to_json(),
            R"({"type":"cancelByCloid","cancels":[{"asset":3,"cloid":"0x000000000000000000000000000000ff"}]})");
  auto modify = hl::modify_action({std::uint64_t{77}, buy_100_at_100()});
  ASSERT_TRUE(modify);
  EXPECT_EQ(modify->to_json(),
            R"({"type":"modify","oid":77,"order":{"a":1,"b":true,"p":"100","s":"100","r":false,"t":{"limit":{"tif":"Gtc"}}}})");
  auto batch = hl::batch_modify_action({{c, buy_100_at_100()}});
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->to_json(),
            R"({"type":"batchModify","modifies":[{"oid":"0x000000000000000000000000000000ff","order":{"a":1,"b":true,"p":"100","s":"100","r":false,"t":{"limit":{"tif":"Gtc"}}}}]})");
  EXPECT_EQ(hl::update_leverage_action(1, true, 10).to_json(),
            R"({"type":"updateLeverage","asset":1,"isCross":true,"leverage":10})");
  EXPECT_EQ(hl::schedule_cancel_action(std::nullopt).to_json(), R"({"type":"scheduleCancel"})");
  EXPECT_EQ(hl::schedule_cancel_action(123456789).to_json(), R"({"type":"scheduleCancel","time":123456789})");
}

// test_schedule_cancel_action through the builder (mainnet, with time).
TEST(HyperliquidActions, ScheduleCancelBuilderSignsLikeTheSdk) {
  const hl::Signature sig = signer().sign_l1_action(hl::schedule_cancel_action(123456789), 0, std::nullopt,
                                                    std::nullopt, Network::Mainnet);
  EXPECT_EQ(sig.r_hex(), "0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55");
  EXPECT_EQ(sig.v, 28);
}

TEST(HyperliquidActions, DerivesTheSameCloidForTheSameClientOrderIdAndRejectsBadHex) {
  const ballast::core::ClientOrderId id("O-20260101-000001");
  EXPECT_EQ(hl::Cloid::from_client_order_id(id), hl::Cloid::from_client_order_id(id));
  EXPECT_NE(hl::Cloid::from_client_order_id(id),
            hl::Cloid::from_client_order_id(ballast::core::ClientOrderId("O-20260101-000002")));
  EXPECT_EQ(hl::Cloid::from_client_order_id(id).to_wire().size(), 34U);
  auto bad = hl::Cloid::parse("0x1234", "orders[0].c");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "orders[0].c");
}
