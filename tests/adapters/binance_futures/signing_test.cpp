// Signing: Binance's published worked example and an RFC 4231 HMAC vector.

#include "ballast/adapters/binance_futures/signing.hpp"

#include <gtest/gtest.h>

namespace ballast::adapters::binance {
namespace {

// "SIGNED Endpoint Examples for POST /fapi/v1/order" (Binance USDⓈ-M Futures API documentation, General
// Info). Query, key and the expected signature are copied from the page; the same value also comes out
// of `echo -n <query> | openssl dgst -sha256 -hmac <secret>` (checked by hand on this machine).
constexpr const char* kDocSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr const char* kDocQuery =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
constexpr const char* kDocSignature = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";

TEST(BinanceSigning, ReproducesTheDocumentationExampleByteForByte) {
  EXPECT_EQ(hmac_sha256_hex(kDocSecret, kDocQuery), kDocSignature);
}

TEST(BinanceSigning, BuildsTheDocumentationQueryInParameterOrderAndAppendsTheSignature) {
  QueryString q;
  q.add("symbol", "BTCUSDT").add("side", "BUY").add("type", "LIMIT").add("quantity", "1").add("price", "9000");
  q.add("timeInForce", "GTC").add("recvWindow", std::int64_t{5000}).add("timestamp", std::int64_t{1591702613943});
  ASSERT_EQ(q.str(), kDocQuery);
  EXPECT_EQ(sign_query(q.str(), kDocSecret), std::string(kDocQuery) + "&signature=" + kDocSignature);
}

TEST(BinanceSigning, MatchesRfc4231TestCase2) {
  // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?", HMAC-SHA-256 below.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(BinanceSigning, PercentEncodesReservedCharactersInValues) {
  QueryString q;
  q.add("newClientOrderId", "a b/c:d&e=f");
  EXPECT_EQ(q.str(), "newClientOrderId=a%20b%2Fc%3Ad%26e%3Df");
  EXPECT_EQ(url_encode("Az09-_.~"), "Az09-_.~");
}

TEST(BinanceSigning, SignsAnEmptyQueryAsTheSignatureAlone) {
  // `echo -n "" | openssl dgst -sha256 -hmac <doc secret>` on this machine.
  EXPECT_EQ(sign_query("", kDocSecret), "signature=21fd819734bf0e5c68740eed892909414d693635c5f7fffab1313925ae13556a");
}

}  // namespace
}  // namespace ballast::adapters::binance
