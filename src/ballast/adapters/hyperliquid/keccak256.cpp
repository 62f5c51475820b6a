#include "ballast/adapters/hyperliquid/keccak256.hpp"

#include "ballast/core/require.hpp"

#include <algorithm>
#include <cstring>

namespace ballast::adapters::hyperliquid {
namespace {

// Round constants of the iota step (Keccak reference, FIPS 202 §3.2.5).
constexpr std::array<std::uint64_t, 24> kRoundConstants{
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// rho and pi combined, walked as one cycle through the 24 lanes other than (0,0): lane kPiLane[i] receives
// the previous lane of the cycle rotated by kRhoOffset[i] (offsets from FIPS 202 §3.2.2, order from §3.2.3).
constexpr std::array<unsigned, 24> kRhoOffset{1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                              27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<std::size_t, 24> kPiLane{10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                              15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

constexpr std::uint64_t rotl(std::uint64_t v, unsigned n) noexcept {
  return n == 0 ? v : (v << n) | (v >> (64U - n));
}

std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void keccak_f1600(std::array<std::uint64_t, 25>& a) noexcept {
  std::array<std::uint64_t, 5> c{};
  for (std::uint64_t rc : kRoundConstants) {
    // theta: each lane absorbs the parity of two neighbouring columns.
#pragma GCC unroll 5
    for (std::size_t x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
    for (std::size_t x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
      for (std::size_t y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    // rho and pi: rotate each lane and move (x, y) to (y, 2x + 3y), following the permutation's cycle.
    std::uint64_t carried = a[1];
#pragma GCC unroll 24
    for (std::size_t i = 0; i < 24; ++i) {
      const std::size_t lane = kPiLane[i];
      const std::uint64_t next = a[lane];
      a[lane] = rotl(carried, kRhoOffset[i]);
      carried = next;
    }
    // chi: the only non-linear step, along rows.
#pragma GCC unroll 5
    for (std::size_t y = 0; y < 25; y += 5) {
#pragma GCC unroll 5
      for (std::size_t x = 0; x < 5; ++x) c[x] = a[y + x];
#pragma GCC unroll 5
      for (std::size_t x = 0; x < 5; ++x) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
    }
    // iota
    a[0] ^= rc;
  }
}

void Keccak256::absorb_block(const std::uint8_t* block) {
  for (std::size_t i = 0; i < kRateBytes / 8; ++i) state_[i] ^= load_le64(block + 8 * i);
  keccak_f1600(state_);
}

Keccak256& Keccak256::update(std::span<const std::uint8_t> data) {
  BALLAST_REQUIRE(!finished_, "Keccak256::update after finish");
  if (data.empty()) return *this;  // an empty span may carry a null pointer, which memcpy must not see
  std::size_t pos = 0;
  if (buffered_ > 0) {
    const std::size_t take = std::min(kRateBytes - buffered_, data.size());
    std::memcpy(buffer_.data() + buffered_, data.data(), take);
    buffered_ += take;
    pos = take;
    if (buffered_ < kRateBytes) return *this;
    absorb_block(buffer_.data());
    buffered_ = 0;
  }
  for (; data.size() - pos >= kRateBytes; pos += kRateBytes) absorb_block(data.data() + pos);
  const std::size_t rest = data.size() - pos;
  if (rest > 0) std::memcpy(buffer_.data(), data.data() + pos, rest);
  buffered_ = rest;
  return *this;
}

Keccak256& Keccak256::update(std::string_view text) {
  return update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Hash256 Keccak256::finish() {
  BALLAST_REQUIRE(!finished_, "Keccak256::finish called twice");
  finished_ = true;
  // Multi-rate padding pad10*1 with the domain bits in front: the first pad byte carries the domain
  // (0x01 Keccak, 0x06 SHA-3), the last byte of the block gets 0x80; both can be the same byte.
  std::memset(buffer_.data() + buffered_, 0, kRateBytes - buffered_);
  buffer_[buffered_] ^= domain_;
  buffer_[kRateBytes - 1] ^= 0x80;
  absorb_block(buffer_.data());
  Hash256 out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(state_[i / 8] >> (8 * (i % 8)));
  }
  return out;
}

Hash256 keccak256(std::span<const std::uint8_t> data) { return Keccak256().update(data).finish(); }
Hash256 keccak256(std::string_view text) { return Keccak256().update(text).finish(); }

}  // namespace ballast::adapters::hyperliquid
