// Authentication building blocks: roles, Argon2id password hashes, HS256 tokens, the secret file and
// the login throttle. Reference values: the Argon2 reference implementation's test vector (README of
// github.com/P-H-C/phc-winner-argon2) and the HS256 example token of jwt.io (RFC 7519's companion
// debugger), both computed outside this code base.

#include "ballast/server/login_throttle.hpp"
#include "ballast/server/password_hasher.hpp"
#include "ballast/server/role.hpp"
#include "ballast/server/token_service.hpp"

#include "ballast/core/require.hpp"
#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace ballast::server {
namespace {

using namespace std::chrono_literals;

// --- independent helpers (the test's own base64url and HMAC, not the code under test) ---------------

std::string b64url(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (bytes.size() - i == 1) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63]};
  } else if (bytes.size() - i == 2) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63]};
  }
  return out;
}

std::string b64url_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    buffer = (buffer << 6) | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned size = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       mac.data(), &size);
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

std::string sign_hs256(std::string_view header_json, std::string_view payload_json, std::string_view secret) {
  const std::string input = b64url(header_json) + "." + b64url(payload_json);
  return input + "." + b64url(hmac(EVP_sha256(), secret, input));
}

struct TokenParts {
  std::string header, payload, signature;
};
TokenParts split(const std::string& token) {
  const auto a = token.find('.');
  const auto b = token.rfind('.');
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

const std::string kSecret = "test-secret-0123456789abcdef-0123456789abcdef";  // 45 bytes
const core::UnixNanos kNow = core::UnixNanos::from_seconds(1'700'000'000) + core::Duration(250ms);

// --- roles ------------------------------------------------------------------------------------------

TEST(Role, CodesRoundTripThroughToStringAndParse) {
  for (Role role : {Role::Viewer, Role::Trader, Role::Admin}) {
    auto parsed = parse_role(to_string(role));
    ASSERT_TRUE(parsed) << to_string(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(to_string(Role::Viewer), "viewer");
  EXPECT_EQ(to_string(Role::Trader), "trader");
  EXPECT_EQ(to_string(Role::Admin), "admin");
}

TEST(Role, ParseRejectsUnknownAndWronglyCasedCodes) {
  auto root = parse_role("root");
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().message().find("viewer, trader, admin"), std::string::npos);
  EXPECT_FALSE(parse_role("Admin"));
  EXPECT_FALSE(parse_role(""));
}

TEST(Role, AdminIncludesTraderWhichIncludesViewer) {
  EXPECT_TRUE(role_allows(Role::Admin, Role::Admin));
  EXPECT_TRUE(role_allows(Role::Admin, Role::Trader));
  EXPECT_TRUE(role_allows(Role::Admin, Role::Viewer));
  EXPECT_FALSE(role_allows(Role::Trader, Role::Admin));
  EXPECT_TRUE(role_allows(Role::Trader, Role::Trader));
  EXPECT_TRUE(role_allows(Role::Trader, Role::Viewer));
  EXPECT_FALSE(role_allows(Role::Viewer, Role::Admin));
  EXPECT_FALSE(role_allows(Role::Viewer, Role::Trader));
  EXPECT_TRUE(role_allows(Role::Viewer, Role::Viewer));
}

// --- passwords --------------------------------------------------------------------------------------

// Cheap parameters keep the tests quick; the defaults are exercised once below.
const PasswordHashParams kCheap{.memory_kib = 1024, .iterations = 1, .parallelism = 1};

TEST(PasswordHasher, HashWithDefaultsIsAnArgon2idPhcStringWithOwaspParameters) {
  auto phc = hash_password("correct horse battery staple");
  ASSERT_TRUE(phc) << phc.error().to_string();
  EXPECT_TRUE(phc->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *phc;
  EXPECT_TRUE(verify_password(*phc, "correct horse battery staple"));
}

TEST(PasswordHasher, VerifyAcceptsTheRightPasswordAndRejectsAWrongOne) {
  auto phc = hash_password("s3cret!", kCheap);
  ASSERT_TRUE(phc) << phc.error().to_string();
  EXPECT_TRUE(verify_password(*phc, "s3cret!"));
  EXPECT_FALSE(verify_password(*phc, "s3cret"));
  EXPECT_FALSE(verify_password(*phc, "S3cret!"));
  EXPECT_FALSE(verify_password(*phc, ""));
}

TEST(PasswordHasher, TwoHashesOfTheSamePasswordDifferBecauseOfTheSalt) {
  auto a = hash_password("same", kCheap);
  auto b = hash_password("same", kCheap);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*a, "same"));
  EXPECT_TRUE(verify_password(*b, "same"));
}

TEST(PasswordHasher, AcceptsTheReferenceImplementationTestVector) {
  // phc-winner-argon2 README: echo -n "password" | ./argon2 somesalt -id -t 2 -m 16 -p 1 -l 32
  const std::string phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  EXPECT_TRUE(verify_password(phc, "password"));
  EXPECT_FALSE(verify_password(phc, "Password"));
  // One character of the hash changed.
  std::string altered = phc;
  altered[altered.size() - 5] = altered[altered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password(altered, "password"));
}

TEST(PasswordHasher, MalformedOrHostilePhcStringsAreRejectedNotThrown) {
  const std::string good = *hash_password("pw", kCheap);
  const auto last = good.rfind('$');
  for (const std::string& bad : {
           std::string(), std::string("password"),
           std::string("$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=16$m=1024,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=19$t=1,m=1024,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=19$m=1024,t=1,p=1,x=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=19$m=1024,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
           std::string("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$not*base64"),
           std::string("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ"), good.substr(0, last),  // no hash
           good + "$extra",                                                                 // trailing field
           good.substr(0, good.size() - 10),                                                // truncated hash
       }) {
    EXPECT_FALSE(verify_password(bad, "pw")) << bad;
  }
}

TEST(PasswordHasher, RefusesParametersOutsideTheSupportedRange) {
  EXPECT_FALSE(hash_password("pw", {.memory_kib = 4, .iterations = 1, .parallelism = 1}));
  EXPECT_FALSE(hash_password("pw", {.memory_kib = 1024, .iterations = 0, .parallelism = 1}));
}

TEST(PasswordHasher, GeneratedPasswordsAreUrlSafeOfTheRequestedLengthAndDistinct) {
  auto a = generate_password();
  auto b = generate_password(32);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 20u);
  EXPECT_EQ(b->size(), 32u);
  EXPECT_EQ(a->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(*a, b->substr(0, 20));
  EXPECT_FALSE(generate_password(4));
}

// --- tokens -----------------------------------------------------------------------------------------

TEST(TokenService, IssuedAccessTokenVerifiesWithItsClaims) {
  const TokenService tokens(kSecret, {});
  auto token = tokens.issue("alice", Role::Trader, TokenKind::Access, kNow);
  ASSERT_TRUE(token) << token.error().to_string();
  auto claims = tokens.verify(*token, TokenKind::Access, kNow);
  ASSERT_TRUE(claims) << claims.error().to_string();
  EXPECT_EQ(claims->subject, "alice");
  EXPECT_EQ(claims->role, Role::Trader);
  EXPECT_EQ(claims->kind, TokenKind::Access);
  EXPECT_EQ(claims->issued_at, core::UnixNanos::from_seconds(1'700'000'000));  // JWT times are whole seconds
  EXPECT_EQ(claims->expires_at, core::UnixNanos::from_seconds(1'700'000'000 + 900));
  EXPECT_EQ(claims->token_id.size(), 32u);
  EXPECT_EQ(split(*token).header, b64url(R"({"alg":"HS256","typ":"JWT"})"));
}

TEST(TokenService, RefreshTokensLastTheRefreshTtlAndHaveDistinctIds) {
  const TokenService tokens(kSecret, {.access_ttl = 60s, .refresh_ttl = 3600s, .issuer = "desk-1"});
  auto a = tokens.issue("bob", Role::Admin, TokenKind::Refresh, kNow);
  auto b = tokens.issue("bob", Role::Admin, TokenKind::Refresh, kNow);
  ASSERT_TRUE(a && b);
  auto claims_a = tokens.verify(*a, TokenKind::Refresh, kNow + core::Duration(3599s));
  auto claims_b = tokens.verify(*b, TokenKind::Refresh, kNow);
  ASSERT_TRUE(claims_a && claims_b);
  EXPECT_EQ(claims_a->expires_at, core::UnixNanos::from_seconds(1'700'000'000 + 3600));
  EXPECT_EQ(claims_a->role, Role::Admin);
  EXPECT_NE(claims_a->token_id, claims_b->token_id);
}

TEST(TokenService, ExpiredTokenIsRejected) {
  const TokenService tokens(kSecret, {});
  const std::string token = *tokens.issue("alice", Role::Viewer, TokenKind::Access, kNow);
  EXPECT_TRUE(tokens.verify(token, TokenKind::Access, core::UnixNanos::from_seconds(1'700'000'000 + 899)));
  auto expired = tokens.verify(token, TokenKind::Access, core::UnixNanos::from_seconds(1'700'000'000 + 900));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message(), "token expired");
}

TEST(TokenService, TokenOfTheWrongKindIsRejected) {
  const TokenService tokens(kSecret, {});
  const std::string refresh = *tokens.issue("alice", Role::Viewer, TokenKind::Refresh, kNow);
  auto as_access = tokens.verify(refresh, TokenKind::Access, kNow);
  ASSERT_FALSE(as_access);
  EXPECT_NE(as_access.error().message().find("wrong token kind"), std::string::npos);
  const std::string access = *tokens.issue("alice", Role::Viewer, TokenKind::Access, kNow);
  EXPECT_FALSE(tokens.verify(access, TokenKind::Refresh, kNow));
}

TEST(TokenService, TamperedPayloadIsRejected) {
  const TokenService tokens(kSecret, {});
  const std::string token = *tokens.issue("mallory", Role::Viewer, TokenKind::Access, kNow);
  TokenParts parts = split(token);
  std::string payload = b64url_decode(parts.payload);
  const auto at = payload.find("\"viewer\"");
  ASSERT_NE(at, std::string::npos) << payload;
  payload.replace(at, 8, "\"admin\"");
  auto forged = tokens.verify(parts.header + "." + b64url(payload) + "." + parts.signature, TokenKind::Access, kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().message(), "bad token signature");
}

TEST(TokenService, TamperedSignatureIsRejected) {
  const TokenService tokens(kSecret, {});
  const std::string token = *tokens.issue("alice", Role::Viewer, TokenKind::Access, kNow);
  std::string altered = token;
  char& c = altered[altered.size() - 10];
  c = c == 'x' ? 'y' : 'x';
  EXPECT_FALSE(tokens.verify(altered, TokenKind::Access, kNow));
  EXPECT_FALSE(tokens.verify(token.substr(0, token.rfind('.') + 1), TokenKind::Access, kNow));  // no signature
  EXPECT_FALSE(tokens.verify(token + "A", TokenKind::Access, kNow));
}

TEST(TokenService, UnsignedAlgNoneTokenIsRejected) {
  const TokenService tokens(kSecret, {});
  const TokenParts parts = split(*tokens.issue("alice", Role::Admin, TokenKind::Access, kNow));
  const std::string none = b64url(R"({"alg":"none","typ":"JWT"})") + "." + parts.payload + ".";
  auto result = tokens.verify(none, TokenKind::Access, kNow);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("algorithm"), std::string::npos);
  // Also with a signature made with the shared secret under another algorithm.
  const std::string input = b64url(R"({"alg":"HS512","typ":"JWT"})") + "." + parts.payload;
  EXPECT_FALSE(tokens.verify(input + "." + b64url(hmac(EVP_sha512(), kSecret, input)), TokenKind::Access, kNow));
}

TEST(TokenService, TokenSignedWithAnotherSecretIsRejected) {
  const TokenService ours(kSecret, {});
  const TokenService theirs("another-secret-another-secret-another-secret", {});
  const std::string token = *theirs.issue("alice", Role::Admin, TokenKind::Access, kNow);
  auto result = ours.verify(token, TokenKind::Access, kNow);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message(), "bad token signature");
}

TEST(TokenService, TokenOfAnotherIssuerIsRejected) {
  const TokenService desk1(kSecret, {.issuer = "desk-1"});
  const TokenService desk2(kSecret, {.issuer = "desk-2"});
  EXPECT_FALSE(desk2.verify(*desk1.issue("alice", Role::Admin, TokenKind::Access, kNow), TokenKind::Access, kNow));
}

TEST(TokenService, GarbageIsRejectedWithoutThrowing) {
  const TokenService tokens(kSecret, {});
  for (std::string_view bad : {"", ".", "..", "a.b", "a.b.c.d", "!!!.???.***", "eyJhbGciOiJIUzI1NiJ9.e30."}) {
    EXPECT_FALSE(tokens.verify(bad, TokenKind::Access, kNow)) << bad;
  }
  EXPECT_FALSE(tokens.verify(std::string(10000, 'a'), TokenKind::Access, kNow));
}

TEST(TokenService, HandBuiltHs256TokenWithOurClaimsVerifies) {
  // Signed by the test itself with OpenSSL's HMAC, so the signature path is checked against an
  // implementation other than libjwt's.
  const std::string payload =
      R"({"iss":"ballast","sub":"carol","role":"admin","kind":"access","jti":"abc123","iat":1700000000,)"
      R"("nbf":1700000000,"exp":1700000600})";
  const TokenService tokens(kSecret, {});
  auto claims = tokens.verify(sign_hs256(R"({"alg":"HS256","typ":"JWT"})", payload, kSecret), TokenKind::Access, kNow);
  ASSERT_TRUE(claims) << claims.error().to_string();
  EXPECT_EQ(claims->subject, "carol");
  EXPECT_EQ(claims->role, Role::Admin);
  EXPECT_EQ(claims->token_id, "abc123");
  EXPECT_EQ(claims->expires_at, core::UnixNanos::from_seconds(1'700'000'600));

  // Claims that are missing or issued far in the future are refused even when correctly signed.
  const std::string no_exp =
      R"({"iss":"ballast","sub":"carol","role":"admin","kind":"access","jti":"x","iat":1700000000})";
  EXPECT_FALSE(tokens.verify(sign_hs256(R"({"alg":"HS256"})", no_exp, kSecret), TokenKind::Access, kNow));
  const std::string future =
      R"({"iss":"ballast","sub":"carol","role":"admin","kind":"access","jti":"x","iat":1700003600,"exp":1700007200})";
  EXPECT_FALSE(tokens.verify(sign_hs256(R"({"alg":"HS256"})", future, kSecret), TokenKind::Access, kNow));
  const std::string unknown_role =
      R"({"iss":"ballast","sub":"carol","role":"root","kind":"access","jti":"x","iat":1700000000,"exp":1700000600})";
  EXPECT_FALSE(tokens.verify(sign_hs256(R"({"alg":"HS256"})", unknown_role, kSecret), TokenKind::Access, kNow));
}

TEST(TokenService, SignatureCheckReproducesTheJwtIoExample) {
  // https://jwt.io default HS256 example, secret "your-256-bit-secret".
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string payload = R"({"sub":"1234567890","name":"John Doe","iat":1516239022})";
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  EXPECT_EQ(b64url(header) + "." + b64url(payload), token.substr(0, token.rfind('.')));
  EXPECT_TRUE(hs256_signature_valid(token, "your-256-bit-secret"));
  EXPECT_FALSE(hs256_signature_valid(token, "your-256-bit-secreT"));
  EXPECT_FALSE(hs256_signature_valid(token.substr(0, token.size() - 1) + "d", "your-256-bit-secret"));
}

// verify() remembers tokens that passed (token_service.hpp); a remembered token must meet every check that
// does not depend on its bytes — kind and times — exactly as a fresh one.
TEST(TokenService, RememberedTokenStillExpiresAtItsExpiry) {
  const TokenService tokens(kSecret, {.access_ttl = 60s, .refresh_ttl = 3600s, .issuer = "ballast"});
  const std::string token = *tokens.issue("alice", Role::Trader, TokenKind::Access, kNow);
  ASSERT_TRUE(tokens.verify(token, TokenKind::Access, kNow));
  ASSERT_TRUE(tokens.verify(token, TokenKind::Access, core::UnixNanos::from_seconds(1'700'000'000 + 59)));
  auto expired = tokens.verify(token, TokenKind::Access, core::UnixNanos::from_seconds(1'700'000'000 + 60));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message(), "token expired");
}

TEST(TokenService, RememberedTokenIsStillRefusedAsTheOtherKind) {
  const TokenService tokens(kSecret, {});
  const std::string refresh = *tokens.issue("alice", Role::Viewer, TokenKind::Refresh, kNow);
  ASSERT_TRUE(tokens.verify(refresh, TokenKind::Refresh, kNow));
  auto as_access = tokens.verify(refresh, TokenKind::Access, kNow);
  ASSERT_FALSE(as_access);
  EXPECT_EQ(as_access.error().message(), "wrong token kind: expected access, got refresh");
}

TEST(TokenService, RememberedTokenIsStillRefusedBeforeItWasIssued) {
  const TokenService tokens(kSecret, {});
  const std::string token = *tokens.issue("alice", Role::Viewer, TokenKind::Access, kNow);
  ASSERT_TRUE(tokens.verify(token, TokenKind::Access, kNow));
  // iat is 1 700 000 000; more than the 30 s allowance earlier is "in the future".
  auto early = tokens.verify(token, TokenKind::Access, core::UnixNanos::from_seconds(1'700'000'000 - 31));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message(), "token issued in the future");
}

TEST(TokenService, AlteredCopyOfARememberedTokenIsRejected) {
  const TokenService tokens(kSecret, {});
  const std::string token = *tokens.issue("alice", Role::Viewer, TokenKind::Access, kNow);
  ASSERT_TRUE(tokens.verify(token, TokenKind::Access, kNow));
  std::string altered = token;
  char& c = altered[altered.size() - 5];
  c = c == 'x' ? 'y' : 'x';
  auto forged = tokens.verify(altered, TokenKind::Access, kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().message(), "bad token signature");
}

TEST(TokenService, TokensBeyondTheRememberedSetStillVerify) {
  const TokenService tokens(kSecret, {});
  std::vector<std::string> issued;
  for (std::size_t i = 0; i < TokenService::kVerifiedCacheSize + 10; ++i) {
    issued.push_back(*tokens.issue("user" + std::to_string(i), Role::Viewer, TokenKind::Access, kNow));
  }
  for (const auto& t : issued) ASSERT_TRUE(tokens.verify(t, TokenKind::Access, kNow));
  auto first = tokens.verify(issued.front(), TokenKind::Access, kNow);  // forgotten when the set was emptied
  ASSERT_TRUE(first);
  EXPECT_EQ(first->subject, "user0");
  auto last = tokens.verify(issued.back(), TokenKind::Access, kNow);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->subject, "user" + std::to_string(TokenService::kVerifiedCacheSize + 9));
}

TEST(TokenService, RequiresASecretOfAtLeast32Bytes) {
  EXPECT_THROW(TokenService(std::string(31, 'k'), {}), core::InvariantError);
  EXPECT_NO_THROW(TokenService(std::string(32, 'k'), {}));
}

// --- secret file ------------------------------------------------------------------------------------

TEST(TokenSecretFile, IsCreatedWithMode0600AndReusedOnTheNextCall) {
  const testkit::TempDir dir;
  const std::filesystem::path file = dir.path() / "var" / "token.secret";
  auto first = TokenService::load_or_create_secret(file);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->size(), 128u);  // 64 random bytes as hex
  EXPECT_EQ(first->find_first_not_of("0123456789abcdef"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto second = TokenService::load_or_create_secret(file);
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(*second, *first);
  EXPECT_NO_THROW(TokenService(*second, {}));
}

TEST(TokenSecretFile, IsRefusedWhenReadableByGroupOrOthers) {
  const testkit::TempDir dir;
  const std::filesystem::path file = dir.path() / "token.secret";
  ASSERT_TRUE(TokenService::load_or_create_secret(file));
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto result = TokenService::load_or_create_secret(file);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("group or others"), std::string::npos);
  EXPECT_EQ(result.error().where(), file.string());
}

TEST(TokenSecretFile, IsRefusedWhenTooShort) {
  const testkit::TempDir dir;
  const std::filesystem::path file = dir.write("short.secret", "abc\n");
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  auto result = TokenService::load_or_create_secret(file);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("at least 32"), std::string::npos);
}

// --- login throttle ---------------------------------------------------------------------------------

const core::UnixNanos kT0 = core::UnixNanos::from_seconds(1'700'000'000);
core::UnixNanos at(std::chrono::milliseconds offset) {
  return kT0 + core::Duration(offset);
}

TEST(LoginThrottle, LocksAKeyOutAfterMaxFailuresWithinTheWindow) {
  LoginThrottle throttle({.max_failures = 3, .window = 60s, .lockout = 120s});
  throttle.record_failure("alice", at(0s));
  throttle.record_failure("alice", at(10s));
  EXPECT_EQ(throttle.check("alice", at(11s)), std::nullopt);
  throttle.record_failure("alice", at(20s));
  EXPECT_EQ(throttle.check("alice", at(20s)), std::optional(120s));
  EXPECT_EQ(throttle.check("alice", at(80s)), std::optional(60s));
  EXPECT_EQ(throttle.check("bob", at(20s)), std::nullopt);  // keys are independent
}

TEST(LoginThrottle, ReleasesTheKeyWhenTheLockoutEnds) {
  LoginThrottle throttle({.max_failures = 2, .window = 60s, .lockout = 300s});
  throttle.record_failure("10.0.0.1", at(0s));
  throttle.record_failure("10.0.0.1", at(1s));
  EXPECT_EQ(throttle.check("10.0.0.1", at(300'500ms)), std::optional(1s));  // 0.5 s left, rounded up
  EXPECT_EQ(throttle.check("10.0.0.1", at(301s)), std::nullopt);
  // A fresh start: one more failure does not lock again.
  throttle.record_failure("10.0.0.1", at(302s));
  EXPECT_EQ(throttle.check("10.0.0.1", at(302s)), std::nullopt);
}

TEST(LoginThrottle, SuccessResetsTheFailureCount) {
  LoginThrottle throttle({.max_failures = 3, .window = 60s, .lockout = 60s});
  throttle.record_failure("alice", at(0s));
  throttle.record_failure("alice", at(1s));
  throttle.record_success("alice");
  EXPECT_EQ(throttle.tracked_keys(), 0u);
  throttle.record_failure("alice", at(2s));
  throttle.record_failure("alice", at(3s));
  EXPECT_EQ(throttle.check("alice", at(3s)), std::nullopt);
}

TEST(LoginThrottle, FailuresOutsideTheWindowDoNotAccumulate) {
  LoginThrottle throttle({.max_failures = 3, .window = 60s, .lockout = 60s});
  throttle.record_failure("alice", at(0s));
  throttle.record_failure("alice", at(30s));
  throttle.record_failure("alice", at(61s));  // the window that began at 0 s is over
  EXPECT_EQ(throttle.check("alice", at(61s)), std::nullopt);
}

TEST(LoginThrottle, AttemptsDuringALockoutDoNotExtendIt) {
  LoginThrottle throttle({.max_failures = 1, .window = 60s, .lockout = 100s});
  throttle.record_failure("alice", at(0s));
  throttle.record_failure("alice", at(50s));
  EXPECT_EQ(throttle.check("alice", at(50s)), std::optional(50s));
}

TEST(LoginThrottle, ForgetsKeysWhoseWindowHasPassed) {
  LoginThrottle throttle({.max_failures = 5, .window = 60s, .lockout = 60s});
  for (int i = 0; i < 2000; ++i) throttle.record_failure("client-" + std::to_string(i), at(0s));
  EXPECT_EQ(throttle.tracked_keys(), 2000u);
  for (int i = 0; i < 1024; ++i) EXPECT_EQ(throttle.check("probe", at(61s)), std::nullopt);
  EXPECT_EQ(throttle.tracked_keys(), 0u);
}

TEST(LoginThrottle, RequiresAtLeastOneFailure) {
  EXPECT_THROW(LoginThrottle({.max_failures = 0}), core::InvariantError);
}

}  // namespace
}  // namespace ballast::server
