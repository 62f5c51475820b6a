#pragma once
// Password hashing with Argon2id (libargon2, RFC 9106). Hashes are stored as PHC strings:
//   $argon2id$v=19$m=<memory KiB>,t=<iterations>,p=<parallelism>$<salt b64>$<hash b64>
// (base64 without padding), so the parameters travel with the hash and can be raised later without
// invalidating stored passwords. Salts are 16 bytes from OpenSSL's RAND_bytes; hashes are 32 bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::server {

// The defaults are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane).
struct PasswordHashParams {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

// A PHC string for `password` with a fresh random salt. Errors: parameters libargon2 refuses, no
// randomness available.
core::Result<std::string> hash_password(std::string_view password, const PasswordHashParams& params = {});

// True when `phc` is a well-formed Argon2id PHC string and `password` hashes to it with its salt and
// parameters. The hashes are compared in constant time. Any malformed input gives false. The memory
// cost taken from the string is capped (1 GiB, 64 passes, 64 lanes) so a crafted hash cannot exhaust memory.
bool verify_password(std::string_view phc, std::string_view password) noexcept;

// A random password of `length` (>= 8) URL-safe characters [A-Za-z0-9_-], for the first-run admin.
core::Result<std::string> generate_password(std::size_t length = 20);

}  // namespace ballast::server
