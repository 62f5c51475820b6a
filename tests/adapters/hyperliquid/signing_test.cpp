// L1 action and user-signed action signatures reproduced from the official Python SDK's published test
// vectors (hyperliquid-dex/hyperliquid-python-sdk, tests/signing_test.py, msgpack era; the expiresAfter
// suffix is absent in those vectors, i.e. expires_after = None). Key:
// 0x0123456789012345678901234567890123456789012345678901234567890123.
#include "ballast/adapters/hyperliquid/signing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace hl = ballast::adapters::hyperliquid;
using hl::Network;
using hl::WireValue;

namespace {

constexpr std::string_view kKey = "0x0123456789012345678901234567890123456789012345678901234567890123";

hl::Signer signer() {
  auto s = hl::Signer::from_hex(kKey);
  EXPECT_TRUE(s);
  return std::move(*s);
}

void expect_signature(const hl::Signature& sig, std::string_view r, std::string_view s, int v) {
  EXPECT_EQ(sig.r_hex(), r);
  EXPECT_EQ(sig.s_hex(), s);
  EXPECT_EQ(sig.v, v);
}

// {"type": "dummy", "num": float_to_int_for_hashing(1000)} = 1000 × 10^8.
WireValue dummy_action() {
  WireValue a = WireValue::map();
  a.set("type", WireValue::string("dummy"));
  a.set("num", WireValue::unsigned_integer(100000000000ULL));
  return a;
}

// The SDK's order wire {"a","b","p","s","r","t"[,"c"]} inside {"type":"order","orders":[…],"grouping":"na"},
// written out by hand here (the builders in actions.hpp are tested separately against the same vectors).
WireValue order_action(std::uint64_t asset, std::string px, std::string sz, WireValue type,
                       std::optional<std::string> cloid = std::nullopt) {
  WireValue o = WireValue::map();
  o.set("a", WireValue::unsigned_integer(asset));
  o.set("b", WireValue::boolean(true));
  o.set("p", WireValue::string(std::move(px)));
  o.set("s", WireValue::string(std::move(sz)));
  o.set("r", WireValue::boolean(false));
  o.set("t", std::move(type));
  if (cloid) o.set("c", WireValue::string(*cloid));
  WireValue a = WireValue::map();
  a.set("type", WireValue::string("order"));
  a.set("orders", WireValue::array({std::move(o)}));
  a.set("grouping", WireValue::string("na"));
  return a;
}

WireValue limit(std::string tif) {
  WireValue inner = WireValue::map();
  inner.set("tif", WireValue::string(std::move(tif)));
  WireValue t = WireValue::map();
  t.set("limit", std::move(inner));
  return t;
}

}  // namespace

// test_phantom_agent_creation_matches_production: ETH (asset 4) buy 0.0147 @ 1670.1 Ioc, nonce 1677777606040.
TEST(HyperliquidSigning, ActionHashMatchesThePublishedPhantomAgentConnectionId) {
  const WireValue action = order_action(4, "1670.1", "0.0147", limit("Ioc"));
  const hl::Hash256 h = hl::action_hash(action, 1677777606040ULL, std::nullopt, std::nullopt);
  EXPECT_EQ(hl::to_hex(h), "0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908");
  const WireValue agent = hl::phantom_agent(h, Network::Mainnet);
  EXPECT_EQ(agent.to_json(),
            R"({"source":"a","connectionId":"0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908"})");
  EXPECT_EQ(hl::phantom_agent(h, Network::Testnet).find("source")->as_string(), "b");
}

// test_l1_action_signing_matches
TEST(HyperliquidSigning, SignsTheDummyActionExactlyAsTheSdkOnMainnetAndTestnet) {
  const hl::Signer s = signer();
  expect_signature(s.sign_l1_action(dummy_action(), 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x53749d5b30552aeb2fca34b530185976545bb22d0b3ce6f62e31be961a59298",
                   "0x755c40ba9bf05223521753995abb2f73ab3229be8ec921f350cb447e384d8ed8", 27);
  expect_signature(s.sign_l1_action(dummy_action(), 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0x542af61ef1f429707e3c76c5293c80d01f74ef853e34b76efffcb57e574f9510",
                   "0x17b8b32f086e8cdede991f1e2c529f5dd5297cbe8128500e00cbaf766204a613", 28);
}

// test_l1_action_signing_matches_with_vault
TEST(HyperliquidSigning, SignsWithAVaultAddressExactlyAsTheSdk) {
  const hl::Signer s = signer();
  auto vault = hl::parse_address("0x1719884eb866cb12b2287399b15f7db5e7d775ea", "vaultAddress");
  ASSERT_TRUE(vault);
  expect_signature(s.sign_l1_action(dummy_action(), 0, *vault, std::nullopt, Network::Mainnet),
                   "0x3c548db75e479f8012acf3000ca3a6b05606bc2ec0c29c50c515066a326239",
                   "0x4d402be7396ce74fbba3795769cda45aec00dc3125a984f2a9f23177b190da2c", 28);
  expect_signature(s.sign_l1_action(dummy_action(), 0, *vault, std::nullopt, Network::Testnet),
                   "0xe281d2fb5c6e25ca01601f878e4d69c965bb598b88fac58e475dd1f5e56c362b",
                   "0x7ddad27e9a238d045c035bc606349d075d5c5cd00a6cd1da23ab5c39d4ef0f60", 27);
}

// test_l1_action_signing_order_matches: asset 1 buy 100 @ 100 Gtc, nonce 0.
TEST(HyperliquidSigning, SignsALimitOrderExactlyAsTheSdk) {
  const hl::Signer s = signer();
  const WireValue action = order_action(1, "100", "100", limit("Gtc"));
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0xd65369825a9df5d80099e513cce430311d7d26ddf477f5b3a33d2806b100d78e",
                   "0x2b54116ff64054968aa237c20ca9ff68000f977c93289157748a3162b6ea940e", 28);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0x82b2ba28e76b3d761093aaded1b1cdad4960b3af30212b343fb2e6cdfa4e3d54",
                   "0x6b53878fc99d26047f4d7e8c90eb98955a109f44209163f52d8dc4278cbbd9f5", 27);
}

// test_l1_action_signing_order_with_cloid_matches
TEST(HyperliquidSigning, SignsAnOrderWithACloidExactlyAsTheSdk) {
  const hl::Signer s = signer();
  const WireValue action = order_action(1, "100", "100", limit("Gtc"), "0x00000000000000000000000000000001");
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x41ae18e8239a56cacbc5dad94d45d0b747e5da11ad564077fcac71277a946e3",
                   "0x3c61f667e747404fe7eea8f90ab0e76cc12ce60270438b2058324681a00116da", 27);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0xeba0664bed2676fc4e5a743bf89e5c7501aa6d870bdb9446e122c9466c5cd16d",
                   "0x7f3e74825c9114bc59086f1eebea2928c190fdfbfde144827cb02b85bbe90988", 28);
}

// test_l1_action_signing_tpsl_order_matches: trigger {"isMarket": true, "triggerPx": "103", "tpsl": "sl"}.
TEST(HyperliquidSigning, SignsATriggerOrderExactlyAsTheSdk) {
  const hl::Signer s = signer();
  WireValue trig = WireValue::map();
  trig.set("isMarket", WireValue::boolean(true));
  trig.set("triggerPx", WireValue::string("103"));
  trig.set("tpsl", WireValue::string("sl"));
  WireValue t = WireValue::map();
  t.set("trigger", std::move(trig));
  const WireValue action = order_action(1, "100", "100", std::move(t));
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x98343f2b5ae8e26bb2587daad3863bc70d8792b09af1841b6fdd530a2065a3f9",
                   "0x6b5bb6bb0633b710aa22b721dd9dee6d083646a5f8e581a20b545be6c1feb405", 27);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0x971c554d917c44e0e1b6cc45d8f9404f32172a9d3b3566262347d0302896a2e4",
                   "0x206257b104788f80450f8e786c329daa589aa0b32ba96948201ae556d5637eac", 28);
}

// test_create_sub_account_action
TEST(HyperliquidSigning, SignsCreateSubAccountExactlyAsTheSdk) {
  const hl::Signer s = signer();
  WireValue action = WireValue::map();
  action.set("type", WireValue::string("createSubAccount"));
  action.set("name", WireValue::string("example"));
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x51096fe3239421d16b671e192f574ae24ae14329099b6db28e479b86cdd6caa7",
                   "0xb71f7d293af92d3772572afb8b102d167a7cef7473388286bc01f52a5c5b423", 27);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0xa699e3ed5c2b89628c746d3298b5dc1cca604694c2c855da8bb8250ec8014a5b",
                   "0x53f1b8153a301c72ecc655b1c315d64e1dcea3ee58921fd7507e35818fcc1584", 28);
}

// test_schedule_cancel_action, both without and with "time".
TEST(HyperliquidSigning, SignsScheduleCancelWithAndWithoutTimeExactlyAsTheSdk) {
  const hl::Signer s = signer();
  WireValue action = WireValue::map();
  action.set("type", WireValue::string("scheduleCancel"));
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x6cdfb286702f5917e76cd9b3b8bf678fcc49aec194c02a73e6d4f16891195df9",
                   "0x6557ac307fa05d25b8d61f21fb8a938e703b3d9bf575f6717ba21ec61261b2a0", 27);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0xc75bb195c3f6a4e06b7d395acc20bbb224f6d23ccff7c6a26d327304e6efaeed",
                   "0x342f8ede109a29f2c0723bd5efb9e9100e3bbb493f8fb5164ee3d385908233df", 28);
  action.set("time", WireValue::unsigned_integer(123456789));
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Mainnet),
                   "0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55",
                   "0x16c685d63b5c7a04512d73f183b3d7a00da5406ff1f8aad33f8ae2163bab758b", 28);
  expect_signature(s.sign_l1_action(action, 0, std::nullopt, std::nullopt, Network::Testnet),
                   "0x4e4f2dbd4107c69783e251b7e1057d9f2b9d11cee213441ccfa2be63516dc5bc",
                   "0x706c656b23428c8ba356d68db207e11139ede1670481a9e01ae2dfcdb0e1a678", 27);
}

namespace {
std::vector<hl::TypedField> transfer_fields(std::string amount_name) {
  return {{"hyperliquidChain", "string", WireValue::string("Testnet")},
          {"destination", "string", WireValue::string("0x5e9ee1089755c3435139848e47e6635505d5a13a")},
          {std::move(amount_name), "string", WireValue::string("1")},
          {"time", "uint64", WireValue::unsigned_integer(1687816341423ULL)}};
}
}  // namespace

// test_sign_usd_transfer_action (testnet, signatureChainId 0x66eee = 421614).
TEST(HyperliquidSigning, SignsAUserSignedUsdSendExactlyAsTheSdk) {
  auto digest = hl::user_signed_digest("HyperliquidTransaction:UsdSend", transfer_fields("amount"), 0x66eee);
  ASSERT_TRUE(digest) << digest.error().to_string();
  expect_signature(signer().sign_digest(*digest), "0x637b37dd731507cdd24f46532ca8ba6eec616952c56218baeff04144e4a77073",
                   "0x11a6a24900e6e314136d2592e2f8d502cd89b7c15b198e1bee043c9589f9fad7", 27);
}

// test_sign_withdraw_from_bridge_action
TEST(HyperliquidSigning, SignsAUserSignedWithdrawExactlyAsTheSdk) {
  auto digest = hl::user_signed_digest("HyperliquidTransaction:Withdraw", transfer_fields("amount"), 0x66eee);
  ASSERT_TRUE(digest);
  expect_signature(signer().sign_digest(*digest), "0x8363524c799e90ce9bc41022f7c39b4e9bdba786e5f9c72b20e43e1462c37cf9",
                   "0x58b1411a775938b83e29182e8ef74975f9054c8e97ebf5ec2dc8d51bfc893881", 28);
}

// Second method for the key → address step: the address recovered from a signature (secp256k1_ecdsa_recover)
// equals the address the Signer derived from its own public key, and a one-bit change of the digest
// recovers a different address.
TEST(HyperliquidSigning, RecoversTheSignerAddressAndNoOtherFromTheSignature) {
  const hl::Signer s = signer();
  const hl::Hash256 digest = hl::l1_action_digest(hl::action_hash(dummy_action(), 7, std::nullopt, std::nullopt),
                                                  Network::Mainnet);
  const hl::Signature sig = s.sign_digest(digest);
  auto recovered = hl::recover_address(digest, sig);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(*recovered, s.address());
  hl::Hash256 tampered = digest;
  tampered[0] ^= 0x01;
  auto other = hl::recover_address(tampered, sig);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, s.address());
}

TEST(HyperliquidSigning, AppendsExpiresAfterToTheHashOnlyWhenGiven) {
  const WireValue a = dummy_action();
  EXPECT_NE(hl::action_hash(a, 0, std::nullopt, std::nullopt), hl::action_hash(a, 0, std::nullopt, 1000));
  EXPECT_NE(hl::action_hash(a, 0, std::nullopt, 1000), hl::action_hash(a, 0, std::nullopt, 1001));
}

TEST(HyperliquidSigning, RejectsAMalformedKeyWithoutEchoingIt) {
  auto bad = hl::Signer::from_hex("0x0123456789012345678901234567890123456789012345678901234567890zzz");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where(), "private_key");
  EXPECT_EQ(bad.error().message().find("0123456789"), std::string::npos);
  EXPECT_FALSE(hl::Signer::from_hex(std::string(64, '0')));  // zero is not a valid secret
  EXPECT_FALSE(hl::Signer::from_hex("0x1234"));
}

TEST(HyperliquidSigning, ParsesTheSignatureObjectItWrites) {
  const hl::Signature sig =
      signer().sign_l1_action(dummy_action(), 0, std::nullopt, std::nullopt, Network::Mainnet);
  auto parsed = hl::parse_signature(sig.to_wire(), "signature");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, sig);  // r had a leading zero nibble that to_hex_quantity dropped
  auto missing = hl::parse_signature(WireValue::map(), "signature");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "signature.r");
}

namespace {
std::filesystem::path key_file(const std::string& name, std::string_view content, std::filesystem::perms mode) {
  const auto path = std::filesystem::temp_directory_path() / ("ballast-hl-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << content;
  std::filesystem::permissions(path, mode);
  return path;
}
}  // namespace

TEST(HyperliquidSigning, LoadsTheKeyFromAnOwnerOnlyFileAndRefusesAReadableOne) {
  using std::filesystem::perms;
  const auto ok_path = key_file("ok", std::string(kKey) + "\n", perms::owner_read | perms::owner_write);
  auto loaded = hl::Signer::from_file(ok_path);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->address(), signer().address());
  const auto open_path = key_file("open", kKey, perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
  auto refused = hl::Signer::from_file(open_path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("chmod 600"), std::string::npos);
  EXPECT_EQ(refused.error().to_string().find("0123456789"), std::string::npos);  // the key is never echoed
  EXPECT_EQ(hl::Signer::from_file(ok_path.string() + ".missing").error().code(), ballast::core::ErrorCode::IoError);
  std::filesystem::remove(ok_path);
  std::filesystem::remove(open_path);
}

TEST(HyperliquidSigning, LoadsTheKeyFromTheEnvironment) {
  ::setenv("BALLAST_TEST_HL_KEY", std::string(kKey).c_str(), 1);
  auto loaded = hl::Signer::from_env("BALLAST_TEST_HL_KEY");
  ::unsetenv("BALLAST_TEST_HL_KEY");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->address(), signer().address());
  auto missing = hl::Signer::from_env("BALLAST_TEST_HL_KEY");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where(), "BALLAST_TEST_HL_KEY");
}
