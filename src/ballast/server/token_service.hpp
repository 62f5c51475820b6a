#pragma once
// API tokens: JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, RFC 7515; libjwt). An access token
// (short-lived, sent as "Authorization: Bearer …") and a refresh token (long-lived, exchanged for a new
// pair) carry the same claims and differ in the private claim "kind" ("access" | "refresh"), so one
// cannot stand in for the other.
//
// Claims: iss (issuer), sub (user name), role ("viewer"|"trader"|"admin"), kind, iat, nbf and exp (whole
// seconds since the epoch), jti (128-bit random id, hex). Time always comes from the caller (the server
// passes its Clock's now), never from the wall clock inside, so verification is testable and
// deterministic. A token is valid in [nbf, exp).

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/server/role.hpp"

namespace ballast::server {

enum class TokenKind { Access, Refresh };

std::string_view to_string(TokenKind kind) noexcept;  // "access", "refresh"
core::Result<TokenKind> parse_token_kind(std::string_view text);

struct TokenClaims {
  std::string subject;
  Role role = Role::Viewer;
  TokenKind kind = TokenKind::Access;
  core::UnixNanos issued_at;   // whole seconds (JWT NumericDate)
  core::UnixNanos expires_at;  // whole seconds
  std::string token_id;        // jti
};

struct TokenServiceConfig {
  std::chrono::seconds access_ttl{900};
  std::chrono::seconds refresh_ttl{7 * 24 * 3600};
  std::string issuer = "ballast";
};

class TokenService {
 public:
  static constexpr std::size_t kMinSecretBytes = 32;

  // Requires secret.size() >= kMinSecretBytes and positive TTLs (BALLAST_REQUIRE).
  TokenService(std::string secret, TokenServiceConfig config);

  // A signed token for `subject` valid from `now` for the TTL of `kind`.
  core::Result<std::string> issue(std::string_view subject, Role role, TokenKind kind, core::UnixNanos now) const;

  // Verifies the signature (HS256 only: alg=none and every other algorithm are refused), the issuer, the
  // kind, exp (an expired token is an error: valid while now < exp), nbf and iat (not more than 30 s in
  // the future, for clock differences between instances). Errors carry
  // ErrorCode::InvalidArgument with a short reason ("token expired", "bad signature", …) that is safe
  // to show a client.
  // A token that passed once is remembered by its exact text (at most kVerifiedCacheSize of them; the
  // set is emptied when full): later calls skip the signature and claim parsing but still check the kind
  // and the times against `now`, so a remembered token expires like any other. Thread-safe.
  core::Result<TokenClaims> verify(std::string_view token, TokenKind expected, core::UnixNanos now) const;
  static constexpr std::size_t kVerifiedCacheSize = 4096;

  const TokenServiceConfig& config() const noexcept { return config_; }

  // Reads the signing secret from `file`, or creates it (64 random bytes, written as 128 hex digits)
  // with mode 0600 (open O_CREAT|O_EXCL with that mode, so it is never readable by others, not even
  // briefly). An existing file readable or writable by group or others is refused, as is one whose
  // secret is shorter than kMinSecretBytes. The parent directory is created when missing.
  static core::Result<std::string> load_or_create_secret(const std::filesystem::path& file);

 private:
  struct Verified {
    TokenClaims claims;
    std::optional<std::int64_t> not_before_s;  // nbf, whole seconds
  };
  core::Result<TokenClaims> verify_text(std::string_view token, TokenKind expected, core::UnixNanos now,
                                        std::optional<std::int64_t>& not_before_s) const;

  std::string secret_;
  TokenServiceConfig config_;
  // Verifying costs two HMACs and three JSON parses (~tens of µs); every API request carries its token.
  mutable std::mutex verified_mutex_;
  mutable std::unordered_map<std::string, Verified> verified_;
};

// True when `token` is "<header>.<payload>.<signature>" and the signature is the HMAC-SHA256 of
// "<header>.<payload>" under `secret` (base64url, no padding), compared in constant time. Checks nothing
// else: TokenService::verify calls it and then checks the header and the claims.
bool hs256_signature_valid(std::string_view token, std::string_view secret) noexcept;

}  // namespace ballast::server
