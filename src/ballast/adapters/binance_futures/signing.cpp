#include "ballast/adapters/binance_futures/signing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ballast/core/require.hpp"

namespace ballast::adapters::binance {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  BALLAST_REQUIRE(result != nullptr && length == 32, "HMAC-SHA256 failed in OpenSSL");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0F]);
  }
  return hex;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

QueryString& QueryString::add(std::string_view name, std::string_view value) {
  params_.emplace_back(std::string(name), std::string(value));
  return *this;
}

QueryString& QueryString::add(std::string_view name, std::int64_t value) {
  return add(name, std::to_string(value));
}

std::string QueryString::str() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    if (!out.empty()) out.push_back('&');
    out += url_encode(name);
    out.push_back('=');
    out += url_encode(value);
  }
  return out;
}

std::string sign_query(std::string_view query, std::string_view secret) {
  std::string out(query);
  if (!out.empty()) out.push_back('&');
  out += "signature=";
  out += hmac_sha256_hex(secret, query);
  return out;
}

}  // namespace ballast::adapters::binance
