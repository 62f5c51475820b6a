#include "ballast/server/password_hasher.hpp"

#include <argon2.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <vector>

namespace ballast::server {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

// Bounds on what verify_password accepts from a stored string: a corrupted or hostile hash must not
// make one login allocate gigabytes or spin for minutes.
constexpr std::uint32_t kMaxMemoryKib = 1u << 20;  // 1 GiB
constexpr std::uint32_t kMaxIterations = 64;
constexpr std::uint32_t kMaxParallelism = 64;
constexpr std::size_t kMinSaltBytes = 8;
constexpr std::size_t kMaxSaltBytes = 64;
constexpr std::size_t kMinHashBytes = 16;
constexpr std::size_t kMaxHashBytes = 64;

// PHC strings use the standard base64 alphabet without padding.
int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::vector<unsigned char>> base64_decode_unpadded(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count encodes to 4k+1 characters
  std::vector<unsigned char> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFFu));
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one encoding.
  if ((buffer & ((1u << bits) - 1u)) != 0) return std::nullopt;
  return out;
}

std::optional<std::uint32_t> parse_u32(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
  std::uint32_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// Splits off the text up to the next '$' (or the end).
std::string_view next_field(std::string_view& rest) {
  const auto dollar = rest.find('$');
  std::string_view field = rest.substr(0, dollar);
  rest = dollar == std::string_view::npos ? std::string_view{} : rest.substr(dollar + 1);
  return field;
}

struct PhcArgon2id {
  std::uint32_t memory_kib = 0;
  std::uint32_t iterations = 0;
  std::uint32_t parallelism = 0;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

// "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>", strictly (parameters in this order, no extras).
std::optional<PhcArgon2id> parse_phc(std::string_view phc) {
  if (!phc.starts_with('$')) return std::nullopt;
  std::string_view rest = phc.substr(1);
  if (next_field(rest) != "argon2id") return std::nullopt;
  if (next_field(rest) != "v=19") return std::nullopt;
  std::string_view params = next_field(rest);
  PhcArgon2id out;
  const std::array<std::pair<std::string_view, std::uint32_t*>, 3> names{
      {{"m=", &out.memory_kib}, {"t=", &out.iterations}, {"p=", &out.parallelism}}};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto comma = params.find(',');
    std::string_view item = params.substr(0, comma);
    if (!item.starts_with(names[i].first)) return std::nullopt;
    const auto value = parse_u32(item.substr(2));
    if (!value) return std::nullopt;
    *names[i].second = *value;
    const bool last = i + 1 == names.size();
    if (last != (comma == std::string_view::npos)) return std::nullopt;
    params = last ? std::string_view{} : params.substr(comma + 1);
  }
  const std::string_view salt_text = next_field(rest);
  const std::string_view hash_text = rest;
  if (hash_text.find('$') != std::string_view::npos) return std::nullopt;
  auto salt = base64_decode_unpadded(salt_text);
  auto hash = base64_decode_unpadded(hash_text);
  if (!salt || !hash) return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

bool within_limits(const PhcArgon2id& p) noexcept {
  return p.iterations >= 1 && p.iterations <= kMaxIterations && p.parallelism >= 1 &&
         p.parallelism <= kMaxParallelism && p.memory_kib >= 8 * p.parallelism && p.memory_kib <= kMaxMemoryKib &&
         p.salt.size() >= kMinSaltBytes && p.salt.size() <= kMaxSaltBytes && p.hash.size() >= kMinHashBytes &&
         p.hash.size() <= kMaxHashBytes;
}

core::Error argon2_failure(int code) {
  return core::Error(core::ErrorCode::InvalidArgument, fmt::format("argon2id: {}", argon2_error_message(code)));
}

}  // namespace

core::Result<std::string> hash_password(std::string_view password, const PasswordHashParams& params) {
  if (params.iterations < 1 || params.iterations > kMaxIterations || params.parallelism < 1 ||
      params.parallelism > kMaxParallelism || params.memory_kib < 8 * params.parallelism ||
      params.memory_kib > kMaxMemoryKib) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("argon2id parameters out of range: m={} KiB, t={}, p={} (need 1 <= t <= {}, "
                                   "1 <= p <= {}, 8p <= m <= {})",
                                   params.memory_kib, params.iterations, params.parallelism, kMaxIterations,
                                   kMaxParallelism, kMaxMemoryKib));
  }
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return core::Error(core::ErrorCode::Internal, "no randomness available for a password salt (RAND_bytes failed)");
  }
  const std::size_t encoded_size =
      argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                        static_cast<std::uint32_t>(salt.size()), static_cast<std::uint32_t>(kHashBytes), Argon2_id);
  std::string encoded(encoded_size, '\0');
  const int rc =
      argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return argon2_failure(rc);
  encoded.resize(std::strlen(encoded.c_str()));  // argon2_encodedlen counts the terminating NUL
  return encoded;
}

bool verify_password(std::string_view phc, std::string_view password) noexcept {
  try {
    const auto parsed = parse_phc(phc);
    if (!parsed || !within_limits(*parsed)) return false;
    std::vector<unsigned char> computed(parsed->hash.size());
    const int rc =
        argon2id_hash_raw(parsed->iterations, parsed->memory_kib, parsed->parallelism, password.data(), password.size(),
                          parsed->salt.data(), parsed->salt.size(), computed.data(), computed.size());
    if (rc != ARGON2_OK) return false;
    return CRYPTO_memcmp(computed.data(), parsed->hash.data(), computed.size()) == 0;
  } catch (...) {
    return false;  // allocation failure: not a match
  }
}

core::Result<std::string> generate_password(std::size_t length) {
  if (length < 8 || length > 1024) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       fmt::format("password length must be 8..1024, got {}", length));
  }
  // 64 symbols: each random byte's low 6 bits pick one without bias.
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::vector<unsigned char> bytes(length);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return core::Error(core::ErrorCode::Internal, "no randomness available for a password (RAND_bytes failed)");
  }
  std::string out;
  out.reserve(length);
  for (unsigned char b : bytes) out += kAlphabet[b & 0x3Fu];
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return out;
}

}  // namespace ballast::server
