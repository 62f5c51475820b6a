#pragma once
// Keccak-256 as Ethereum uses it: the Keccak sponge over keccak-f[1600] with rate 136 bytes, capacity
// 512 bits and the ORIGINAL Keccak padding (domain byte 0x01 … 0x80). This is not FIPS 202 SHA3-256,
// which pads with 0x06; OpenSSL 3.0 on Debian 12 only offers the latter, hence this implementation.
// Hyperliquid hashes actions, EIP-712 structs and public keys (addresses) with it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ballast::adapters::hyperliquid {

using Hash256 = std::array<std::uint8_t, 32>;

// Incremental hasher: update() any number of times, then finish() once.
class Keccak256 {
 public:
  static constexpr std::size_t kRateBytes = 136;
  // Ethereum/Keccak padding. FIPS 202 SHA3-256 is the same sponge with kSha3Domain.
  static constexpr std::uint8_t kKeccakDomain = 0x01;
  static constexpr std::uint8_t kSha3Domain = 0x06;

  explicit Keccak256(std::uint8_t domain = kKeccakDomain) : domain_(domain) {}

  Keccak256& update(std::span<const std::uint8_t> data);
  Keccak256& update(std::string_view text);
  // Pads, squeezes the 32-byte digest and leaves the hasher unusable (a second call is a broken invariant).
  Hash256 finish();

 private:
  void absorb_block(const std::uint8_t* block);

  std::array<std::uint64_t, 25> state_{};
  std::array<std::uint8_t, kRateBytes> buffer_{};
  std::size_t buffered_ = 0;
  std::uint8_t domain_;
  bool finished_ = false;
};

Hash256 keccak256(std::span<const std::uint8_t> data);
Hash256 keccak256(std::string_view text);

// One application of the keccak-f[1600] permutation (24 rounds) to a state of 25 little-endian lanes
// indexed x + 5y.
void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept;

}  // namespace ballast::adapters::hyperliquid
