// Keccak-256 against published vectors, and the permutation cross-checked against OpenSSL's SHA3-256
// (the same sponge with the FIPS 202 domain byte 0x06), which also exercises multi-block absorption.
#include "ballast/adapters/hyperliquid/keccak256.hpp"

#include "ballast/adapters/hyperliquid/hex.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

namespace hl = ballast::adapters::hyperliquid;

namespace {

std::string hex(const hl::Hash256& h) { return hl::to_hex(h).substr(2); }

hl::Hash256 openssl_sha3_256(const std::string& data) {
  hl::Hash256 out{};
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha3_256(), nullptr), 1);
  EXPECT_EQ(len, 32U);
  return out;
}

}  // namespace

// Keccak team / Ethereum: keccak256("") and keccak256("abc") (the vectors of the task brief; also in
// the Ethereum yellow paper's tooling and every web3 library's tests).
TEST(Keccak256, HashesTheEmptyStringToThePublishedValue) {
  EXPECT_EQ(hex(hl::keccak256("")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, HashesAbcToThePublishedValue) {
  EXPECT_EQ(hex(hl::keccak256("abc")), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

// keccak256("Transfer(address,address,uint256)") is the ERC-20 Transfer event topic that every Ethereum
// block explorer shows: 0xddf252ad…b3ef.
TEST(Keccak256, HashesTheErc20TransferSignatureToItsWellKnownTopic) {
  EXPECT_EQ(hex(hl::keccak256("Transfer(address,address,uint256)")),
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

// Exactly one rate block (136 bytes) and a 182-byte input (two blocks); expected values from the test
// suite of the Rust `keccak256` crate (tests for bitrate-sized and long values).
TEST(Keccak256, HashesABitrateSizedInputToThePublishedValue) {
  const std::string text =
      "A perfect hash function for a specific set S that can be evaluated in constant time, and with values in a "
      "small range, can be found by a";
  ASSERT_EQ(text.size(), 136U);
  EXPECT_EQ(hex(hl::keccak256(text)), "cbc4b8ef339db1aaa81db0865c8010717a80b2314934d12c805653a0eb9b44f6");
}

TEST(Keccak256, HashesAMultiBlockInputToThePublishedValue) {
  const std::string text =
      "A perfect hash function for a specific set S that can be evaluated in constant time, and with values in a "
      "small range, can be found by a randomized algorithm in a number of operations";
  ASSERT_GT(text.size(), 136U);
  EXPECT_EQ(hex(hl::keccak256(text)), "60d820b069bdb4545c690a11e8f8e6e444878010228920dd1598925a8fc2edcf");
}

// Second method: with the SHA-3 domain byte the same sponge must equal OpenSSL's SHA3-256 at every
// length around the block boundaries (135/136/137, 271/272/273) and for 200 × 'a'.
TEST(Keccak256, WithTheSha3DomainByteMatchesOpenSslSha3AtEveryBlockBoundary) {
  for (std::size_t n : {0UL, 1UL, 135UL, 136UL, 137UL, 200UL, 271UL, 272UL, 273UL, 1000UL}) {
    const std::string data(n, 'a');
    const hl::Hash256 ours = hl::Keccak256(hl::Keccak256::kSha3Domain).update(data).finish();
    EXPECT_EQ(hex(ours), hex(openssl_sha3_256(data))) << "length " << n;
  }
}

TEST(Keccak256, GivesTheSameDigestWhenFedInPiecesOfAnySize) {
  std::string data;
  for (int i = 0; i < 500; ++i) data += static_cast<char>('0' + i % 75);
  const hl::Hash256 whole = hl::keccak256(data);
  for (std::size_t piece : {1UL, 7UL, 135UL, 136UL, 137UL, 499UL}) {
    hl::Keccak256 h;
    for (std::size_t pos = 0; pos < data.size(); pos += piece) h.update(std::string_view(data).substr(pos, piece));
    EXPECT_EQ(h.finish(), whole) << "piece " << piece;
  }
  // Empty updates (including a null empty span) change nothing.
  EXPECT_EQ(hl::Keccak256().update(std::span<const std::uint8_t>()).update("").finish(), hl::keccak256(""));
}

TEST(Keccak256, DiffersFromSha3OnTheSameInput) {
  // SHA3-256("") = a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a (FIPS 202 example).
  EXPECT_EQ(hex(openssl_sha3_256("")), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_NE(hex(hl::keccak256("")), hex(openssl_sha3_256("")));
}
