#pragma once
// Hyperliquid request signing (as the official Python SDK's hyperliquid/utils/signing.py does it).
//
// L1 actions (order, cancel, modify, updateLeverage, scheduleCancel, …):
//   action_hash  = keccak256( msgpack(action)                      — keys in the order sent
//                           ‖ nonce as 8 bytes big-endian          — the request's "nonce" (ms timestamp)
//                           ‖ 0x00                                 — no vault / sub-account
//                             | 0x01 ‖ 20-byte vault address
//                           ‖ [0x00 ‖ expiresAfter 8 bytes BE]     — only when expiresAfter is sent )
//   phantom agent = Agent{ source: "a" (mainnet) | "b" (testnet), connectionId: action_hash }
//   digest = keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(agent))   (EIP-712)
//     domain: EIP712Domain{ name "Exchange", version "1", chainId 1337, verifyingContract 0x0…0 }
//     type:   Agent(string source,bytes32 connectionId)
//   signature = secp256k1 ECDSA over the digest, RFC 6979 nonce, low s; v = 27 + recovery id.
//
// User-signed actions (usdSend, withdraw3, …) sign the action's own fields directly under the domain
// EIP712Domain{ name "HyperliquidSignTransaction", version "1", chainId = signatureChainId (0x66eee =
// 421614 in the SDK), verifyingContract 0x0…0 }; see user_signed_digest().
//
// The private key never leaves a Signer: it is not printed, logged or returned, and parse errors do not
// echo it.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/adapters/hyperliquid/hex.hpp"
#include "ballast/adapters/hyperliquid/keccak256.hpp"
#include "ballast/adapters/hyperliquid/wire_value.hpp"
#include "ballast/core/result.hpp"

namespace ballast::adapters::hyperliquid {

enum class Network { Mainnet, Testnet };

struct Signature {
  Hash256 r{};
  Hash256 s{};
  std::uint8_t v = 27;  // 27 or 28

  // As the SDK prints them: 0x-prefixed lower-case hex without leading zeros.
  std::string r_hex() const { return to_hex_quantity(r); }
  std::string s_hex() const { return to_hex_quantity(s); }
  // {"r":"0x…","s":"0x…","v":27} — the "signature" object of an /exchange request.
  WireValue to_wire() const;

  friend bool operator==(const Signature&, const Signature&) = default;
};

// Parses the "signature" object of an /exchange request (r and s with or without leading zeros).
core::Result<Signature> parse_signature(const WireValue& value, std::string_view path);

// keccak256(msgpack(action) ‖ nonce ‖ vault flag [‖ vault] [‖ 0x00 ‖ expires_after]).
Hash256 action_hash(const WireValue& action, std::uint64_t nonce, const std::optional<Address>& vault_address,
                    const std::optional<std::uint64_t>& expires_after);
// The phantom agent as the typed-data message {source, connectionId}.
WireValue phantom_agent(const Hash256& action_hash, Network network);
// The EIP-712 digest that is signed for an L1 action with this action hash.
Hash256 l1_action_digest(const Hash256& action_hash, Network network);

// One field of a user-signed action's EIP-712 struct. Supported types: string, address, bool, uint64,
// uint256 (given as unsigned 64-bit), bytes32.
struct TypedField {
  std::string name;
  std::string type;
  WireValue value;  // string for string/address/bytes32 (hex), bool, unsigned integer
};
// EIP-712 digest of `primary_type` (e.g. "HyperliquidTransaction:UsdSend") with `fields` in declared
// order under the HyperliquidSignTransaction domain with `chain_id`.
core::Result<Hash256> user_signed_digest(std::string_view primary_type, const std::vector<TypedField>& fields,
                                         std::uint64_t chain_id);

// Address of the key that produced `signature` over `digest` (secp256k1 public-key recovery; the
// address is the last 20 bytes of keccak256 of the 64-byte uncompressed public key).
core::Result<Address> recover_address(const Hash256& digest, const Signature& signature);

class Signer {
 public:
  // A 32-byte secp256k1 secret key as 64 hex digits ("0x" optional). The error never contains the key.
  static core::Result<Signer> from_hex(std::string_view private_key_hex);
  // The key from a file holding the hex key (surrounding whitespace ignored). The file must not be
  // readable or writable by group or others (mode 0600 or stricter): anything else is refused.
  static core::Result<Signer> from_file(const std::filesystem::path& path);
  // The key from the environment variable `name` (e.g. BALLAST_HYPERLIQUID_PRIVATE_KEY).
  static core::Result<Signer> from_env(std::string_view name);
  ~Signer();
  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // The account address of this key (what the exchange recovers from the signature).
  const Address& address() const noexcept { return address_; }

  Signature sign_digest(const Hash256& digest) const;
  Signature sign_l1_action(const WireValue& action, std::uint64_t nonce, const std::optional<Address>& vault_address,
                           const std::optional<std::uint64_t>& expires_after, Network network) const;

 private:
  struct Impl;
  explicit Signer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  Address address_{};
};

}  // namespace ballast::adapters::hyperliquid
