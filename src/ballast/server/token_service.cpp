#include "ballast/server/token_service.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace ballast::server {
namespace {

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr std::size_t kSecretFileBytes = 64;
// Tolerated difference between the clocks of the instances that issue and verify (iat and nbf only;
// expiry is exact).
constexpr std::int64_t kClockSkewSeconds = 30;

core::Error token_error(std::string message) {
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message));
}

std::int64_t to_seconds(core::UnixNanos t) {
  return core::floor_div(t.value, core::kNanosPerSecond);
}

bool is_base64url(std::string_view text) noexcept {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string base64url_encode(const unsigned char* data, std::size_t size) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3Fu];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3Fu];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  return out;
}

struct JwtDeleter {
  void operator()(jwt_t* jwt) const noexcept { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

struct MallocDeleter {
  void operator()(char* p) const noexcept { std::free(p); }  // NOLINT: libjwt allocates with malloc
};

std::optional<std::string> random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) return std::nullopt;
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) out += fmt::format("{:02x}", b);
  OPENSSL_cleanse(raw.data(), raw.size());
  return out;
}

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// Closes a file descriptor on every path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

core::Result<std::string> read_secret(const std::filesystem::path& file) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    return core::Error(core::ErrorCode::IoError, fmt::format("cannot open token secret: {}", errno_text(errno)),
                       file.string());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return core::Error(core::ErrorCode::IoError, fmt::format("cannot stat token secret: {}", errno_text(errno)),
                       file.string());
  }
  if (!S_ISREG(st.st_mode)) {
    return core::Error(core::ErrorCode::InvalidArgument, "token secret is not a regular file", file.string());
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("token secret is accessible by group or others (mode {:04o}); run chmod 600 on it",
                                   st.st_mode & 07777),
                       file.string());
  }
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return core::Error(core::ErrorCode::IoError, fmt::format("cannot read token secret: {}", errno_text(errno)),
                         file.string());
    }
    if (n == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
    if (text.size() > 65536) {
      return core::Error(core::ErrorCode::InvalidArgument, "token secret file is larger than 64 KiB", file.string());
    }
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  if (text.size() < TokenService::kMinSecretBytes) {
    return core::Error(
        core::ErrorCode::InvalidArgument,
        fmt::format("token secret is {} bytes; at least {} are required", text.size(), TokenService::kMinSecretBytes),
        file.string());
  }
  return text;
}

}  // namespace

std::string_view to_string(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::Access: return "access";
    case TokenKind::Refresh: return "refresh";
  }
  return "unknown";
}

core::Result<TokenKind> parse_token_kind(std::string_view text) {
  if (text == "access") return TokenKind::Access;
  if (text == "refresh") return TokenKind::Refresh;
  return core::Error(core::ErrorCode::InvalidArgument,
                     fmt::format("token kind '{}' is not one of access, refresh", text));
}

bool hs256_signature_valid(std::string_view token, std::string_view secret) noexcept {
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos || token.find('.') == last_dot) return false;
  const std::string_view signing_input = token.substr(0, last_dot);
  const std::string_view signature = token.substr(last_dot + 1);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac.data(),
           &mac_size) == nullptr) {
    return false;
  }
  try {
    const std::string expected = base64url_encode(mac.data(), mac_size);
    return expected.size() == signature.size() &&
           CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
  } catch (...) {
    return false;
  }
}

TokenService::TokenService(std::string secret, TokenServiceConfig config)
    : secret_(std::move(secret)), config_(std::move(config)) {
  BALLAST_REQUIRE(secret_.size() >= kMinSecretBytes,
                  fmt::format("token secret must be at least {} bytes, got {}", kMinSecretBytes, secret_.size()));
  BALLAST_REQUIRE(config_.access_ttl.count() > 0 && config_.refresh_ttl.count() > 0, "token TTLs must be positive");
  BALLAST_REQUIRE(!config_.issuer.empty(), "token issuer must not be empty");
}

core::Result<std::string> TokenService::issue(std::string_view subject, Role role, TokenKind kind,
                                              core::UnixNanos now) const {
  if (subject.empty()) return core::Error(core::ErrorCode::InvalidArgument, "token subject must not be empty");
  const auto jti = random_hex(16);
  if (!jti) return core::Error(core::ErrorCode::Internal, "no randomness available for a token id");
  const std::int64_t iat = to_seconds(now);
  const std::int64_t ttl = (kind == TokenKind::Access ? config_.access_ttl : config_.refresh_ttl).count();

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return core::Error(core::ErrorCode::Internal, "jwt_new failed");
  JwtPtr jwt(raw);
  const std::string sub(subject);
  const bool ok = jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                              static_cast<int>(secret_.size())) == 0 &&
                  jwt_add_grant(jwt.get(), "iss", config_.issuer.c_str()) == 0 &&
                  jwt_add_grant(jwt.get(), "sub", sub.c_str()) == 0 &&
                  jwt_add_grant(jwt.get(), "role", std::string(to_string(role)).c_str()) == 0 &&
                  jwt_add_grant(jwt.get(), "kind", std::string(to_string(kind)).c_str()) == 0 &&
                  jwt_add_grant(jwt.get(), "jti", jti->c_str()) == 0 && jwt_add_grant_int(jwt.get(), "iat", iat) == 0 &&
                  jwt_add_grant_int(jwt.get(), "nbf", iat) == 0 && jwt_add_grant_int(jwt.get(), "exp", iat + ttl) == 0;
  if (!ok) return core::Error(core::ErrorCode::Internal, "could not build the token claims");
  std::unique_ptr<char, MallocDeleter> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) return core::Error(core::ErrorCode::Internal, "could not sign the token");
  return std::string(encoded.get());
}

core::Result<TokenClaims> TokenService::verify(std::string_view token, TokenKind expected, core::UnixNanos now) const {
  {
    std::lock_guard lock(verified_mutex_);
    if (const auto it = verified_.find(std::string(token)); it != verified_.end()) {
      // The same checks, in the same order, as verify_text makes after the signature and the claims.
      const Verified& v = it->second;
      if (v.claims.kind != expected) {
        return token_error(
            fmt::format("wrong token kind: expected {}, got {}", to_string(expected), to_string(v.claims.kind)));
      }
      const std::int64_t now_s = to_seconds(now);
      if (now_s >= to_seconds(v.claims.expires_at)) return token_error("token expired");
      if (to_seconds(v.claims.issued_at) > now_s + kClockSkewSeconds) return token_error("token issued in the future");
      if (v.not_before_s && *v.not_before_s > now_s + kClockSkewSeconds) return token_error("token not yet valid");
      return v.claims;
    }
  }
  std::optional<std::int64_t> not_before_s;
  auto claims = verify_text(token, expected, now, not_before_s);
  if (claims) {
    std::lock_guard lock(verified_mutex_);
    if (verified_.size() >= kVerifiedCacheSize) verified_.clear();
    verified_.insert_or_assign(std::string(token), Verified{*claims, not_before_s});
  }
  return claims;
}

core::Result<TokenClaims> TokenService::verify_text(std::string_view token, TokenKind expected, core::UnixNanos now,
                                                    std::optional<std::int64_t>& not_before_s) const {
  if (token.empty() || token.size() > kMaxTokenBytes) return token_error("malformed token");
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot || token.find('.', first_dot + 1) != last_dot) {
    return token_error("malformed token");
  }
  const std::string_view header_text = token.substr(0, first_dot);
  const std::string_view payload_text = token.substr(first_dot + 1, last_dot - first_dot - 1);
  const std::string_view signature_text = token.substr(last_dot + 1);
  if (header_text.empty() || payload_text.empty() || !is_base64url(header_text) || !is_base64url(payload_text) ||
      !is_base64url(signature_text)) {
    return token_error("malformed token");
  }

  // The algorithm is fixed by the server, never chosen by the token: anything but HS256 ("none", RS256
  // with the secret taken as a public key, …) is refused before the signature is looked at.
  const auto header_json = base64url_decode(header_text);
  if (!header_json) return token_error("malformed token");
  const nlohmann::json header = nlohmann::json::parse(*header_json, nullptr, false);
  if (header.is_discarded() || !header.is_object()) return token_error("malformed token");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
    return token_error("unsupported token algorithm (only HS256 is accepted)");
  }
  if (const auto typ = header.find("typ"); typ != header.end() && !(typ->is_string() && *typ == "JWT")) {
    return token_error("unsupported token type");
  }
  if (!hs256_signature_valid(token, secret_)) return token_error("bad token signature");

  const std::string token_text(token);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token_text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0 ||
      raw == nullptr) {
    return token_error("malformed token");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
    return token_error("unsupported token algorithm (only HS256 is accepted)");

  const auto text_claim = [&](const char* name) -> std::optional<std::string> {
    errno = 0;
    const char* v = jwt_get_grant(jwt.get(), name);
    if (v == nullptr || errno != 0) return std::nullopt;
    return std::string(v);
  };
  const auto int_claim = [&](const char* name) -> std::optional<std::int64_t> {
    errno = 0;
    const long v = jwt_get_grant_int(jwt.get(), name);
    if (errno != 0) return std::nullopt;
    return static_cast<std::int64_t>(v);
  };

  const auto iss = text_claim("iss");
  if (!iss || *iss != config_.issuer) return token_error("token issuer is not accepted");
  const auto kind_text = text_claim("kind");
  if (!kind_text) return token_error("token has no kind");
  const auto kind = parse_token_kind(*kind_text);
  if (!kind) return token_error("token kind is not recognised");
  if (*kind != expected) {
    return token_error(fmt::format("wrong token kind: expected {}, got {}", to_string(expected), to_string(*kind)));
  }
  const auto sub = text_claim("sub");
  if (!sub || sub->empty()) return token_error("token has no subject");
  const auto role_text = text_claim("role");
  if (!role_text) return token_error("token has no role");
  const auto role = parse_role(*role_text);
  if (!role) return token_error("token role is not recognised");
  const auto jti = text_claim("jti");
  const auto iat = int_claim("iat");
  const auto exp = int_claim("exp");
  if (!iat || !exp || !jti) return token_error("token lacks iat, exp or jti");
  const auto nbf = int_claim("nbf");

  const std::int64_t now_s = to_seconds(now);
  if (*exp <= *iat) return token_error("token expires before it is issued");
  if (now_s >= *exp) return token_error("token expired");
  if (*iat > now_s + kClockSkewSeconds) return token_error("token issued in the future");
  if (nbf && *nbf > now_s + kClockSkewSeconds) return token_error("token not yet valid");
  // Bounds that keep the nanosecond conversion below from overflowing.
  constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / core::kNanosPerSecond;
  if (*iat < 0 || *exp > kMaxSeconds) return token_error("token times out of range");

  TokenClaims claims;
  claims.subject = *sub;
  claims.role = *role;
  claims.kind = *kind;
  claims.issued_at = core::UnixNanos::from_seconds(*iat);
  claims.expires_at = core::UnixNanos::from_seconds(*exp);
  claims.token_id = *jti;
  not_before_s = nbf;
  return claims;
}

core::Result<std::string> TokenService::load_or_create_secret(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return core::Error(core::ErrorCode::IoError,
                         fmt::format("cannot create the directory of the token secret: {}", ec.message()),
                         file.string());
    }
  }
  // O_EXCL: the file is created here with mode 0600 (less any umask bits), or it exists and is read; a
  // concurrent first start that loses the race reads the winner's secret.
  FileDescriptor fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR));
  if (fd.get() < 0) {
    if (errno == EEXIST) return read_secret(file);
    return core::Error(core::ErrorCode::IoError, fmt::format("cannot create token secret: {}", errno_text(errno)),
                       file.string());
  }
  auto secret = random_hex(kSecretFileBytes);
  if (!secret) {
    ::unlink(file.c_str());
    return core::Error(core::ErrorCode::Internal, "no randomness available for the token secret");
  }
  const std::string content = *secret + "\n";
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::unlink(file.c_str());
      return core::Error(core::ErrorCode::IoError, fmt::format("cannot write token secret: {}", errno_text(err)),
                         file.string());
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
    const int err = errno;
    ::unlink(file.c_str());
    return core::Error(core::ErrorCode::IoError, fmt::format("cannot write token secret: {}", errno_text(err)),
                       file.string());
  }
  return *secret;
}

}  // namespace ballast::server
