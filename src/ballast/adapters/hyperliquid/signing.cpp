#include "ballast/adapters/hyperliquid/signing.hpp"

#include "ballast/core/require.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <cstring>

namespace ballast::adapters::hyperliquid {
namespace {

using Word = std::array<std::uint8_t, 32>;

Word uint_word(std::uint64_t v) {
  Word w{};
  for (int i = 0; i < 8; ++i) w[31 - static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  return w;
}

Word address_word(const Address& a) {
  Word w{};
  std::copy(a.begin(), a.end(), w.begin() + 12);
  return w;
}

struct ContextDeleter {
  void operator()(secp256k1_context* ctx) const noexcept { secp256k1_context_destroy(ctx); }
};
using ContextPtr = std::unique_ptr<secp256k1_context, ContextDeleter>;

ContextPtr make_context() {
  ContextPtr ctx(secp256k1_context_create(SECP256K1_CONTEXT_NONE));
  BALLAST_REQUIRE(ctx != nullptr, "secp256k1_context_create failed");
  return ctx;
}

// keccak256(typeString) for the EIP712Domain with name, version, chainId, verifyingContract.
Hash256 domain_separator(std::string_view name, std::uint64_t chain_id) {
  const Hash256 type_hash =
      keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  const Hash256 name_hash = keccak256(name);
  const Hash256 version_hash = keccak256("1");
  const Word chain = uint_word(chain_id);
  const Word contract = address_word(Address{});
  return Keccak256().update(type_hash).update(name_hash).update(version_hash).update(chain).update(contract).finish();
}

Hash256 typed_data_digest(const Hash256& domain, const Hash256& struct_hash) {
  const std::array<std::uint8_t, 2> prefix{0x19, 0x01};
  return Keccak256().update(prefix).update(domain).update(struct_hash).finish();
}

Address address_of(const secp256k1_context* ctx, const secp256k1_pubkey& pubkey) {
  std::array<std::uint8_t, 65> raw{};
  std::size_t len = raw.size();
  const int ok = secp256k1_ec_pubkey_serialize(ctx, raw.data(), &len, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  BALLAST_REQUIRE(ok == 1 && len == 65, "secp256k1_ec_pubkey_serialize failed");
  const Hash256 h = keccak256(std::span<const std::uint8_t>(raw).subspan(1));
  Address out{};
  std::copy(h.begin() + 12, h.end(), out.begin());
  return out;
}

}  // namespace

WireValue Signature::to_wire() const {
  WireValue out = WireValue::map();
  out.set("r", WireValue::string(r_hex()));
  out.set("s", WireValue::string(s_hex()));
  out.set("v", WireValue::unsigned_integer(v));
  return out;
}

core::Result<Signature> parse_signature(const WireValue& value, std::string_view path) {
  const std::string p(path);
  if (value.kind() != WireValue::Kind::Map) {
    return core::Error(core::ErrorCode::ParseError, "signature must be an object {r, s, v}", p);
  }
  Signature sig;
  for (const char* name : {"r", "s"}) {
    const WireValue* f = value.find(name);
    if (f == nullptr || f->kind() != WireValue::Kind::String) {
      return core::Error(core::ErrorCode::ParseError, "missing or non-string hex field", p + "." + name);
    }
    auto parsed = parse_hex_quantity(f->as_string(), p + "." + name);
    if (!parsed) return parsed.error();
    (std::string_view(name) == "r" ? sig.r : sig.s) = *parsed;
  }
  const WireValue* v = value.find("v");
  if (v == nullptr || (v->kind() != WireValue::Kind::Uint && v->kind() != WireValue::Kind::Int) ||
      (v->as_int() != 27 && v->as_int() != 28)) {
    return core::Error(core::ErrorCode::ParseError, "v must be 27 or 28", p + ".v");
  }
  sig.v = static_cast<std::uint8_t>(v->as_int());
  return sig;
}

Hash256 action_hash(const WireValue& action, std::uint64_t nonce, const std::optional<Address>& vault_address,
                    const std::optional<std::uint64_t>& expires_after) {
  std::vector<std::uint8_t> data = action.to_msgpack();
  for (int i = 7; i >= 0; --i) data.push_back(static_cast<std::uint8_t>(nonce >> (8 * i)));
  if (vault_address) {
    data.push_back(0x01);
    data.insert(data.end(), vault_address->begin(), vault_address->end());
  } else {
    data.push_back(0x00);
  }
  if (expires_after) {
    data.push_back(0x00);
    for (int i = 7; i >= 0; --i) data.push_back(static_cast<std::uint8_t>(*expires_after >> (8 * i)));
  }
  return keccak256(data);
}

WireValue phantom_agent(const Hash256& hash, Network network) {
  WireValue out = WireValue::map();
  out.set("source", WireValue::string(network == Network::Mainnet ? "a" : "b"));
  out.set("connectionId", WireValue::string(to_hex(hash)));
  return out;
}

Hash256 l1_action_digest(const Hash256& hash, Network network) {
  const Hash256 type_hash = keccak256("Agent(string source,bytes32 connectionId)");
  const Hash256 source_hash = keccak256(network == Network::Mainnet ? "a" : "b");
  const Hash256 struct_hash = Keccak256().update(type_hash).update(source_hash).update(hash).finish();
  return typed_data_digest(domain_separator("Exchange", 1337), struct_hash);
}

core::Result<Hash256> user_signed_digest(std::string_view primary_type, const std::vector<TypedField>& fields,
                                         std::uint64_t chain_id) {
  std::string type_string = std::string(primary_type) + "(";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) type_string += ',';
    type_string += fields[i].type + " " + fields[i].name;
  }
  type_string += ')';
  Keccak256 struct_hasher;
  struct_hasher.update(keccak256(type_string));
  for (const auto& f : fields) {
    const auto wrong = [&](std::string_view expected) {
      return core::Error(core::ErrorCode::InvalidArgument,
                         fmt::format("field of type {} needs a {} value", f.type, expected), f.name);
    };
    if (f.type == "string") {
      if (f.value.kind() != WireValue::Kind::String) return wrong("string");
      struct_hasher.update(keccak256(f.value.as_string()));
    } else if (f.type == "address") {
      if (f.value.kind() != WireValue::Kind::String) return wrong("hex string");
      auto a = parse_address(f.value.as_string(), f.name);
      if (!a) return a.error();
      struct_hasher.update(address_word(*a));
    } else if (f.type == "bool") {
      if (f.value.kind() != WireValue::Kind::Bool) return wrong("bool");
      struct_hasher.update(uint_word(f.value.as_bool() ? 1 : 0));
    } else if (f.type == "uint64" || f.type == "uint256") {
      const bool is_int = f.value.kind() == WireValue::Kind::Uint ||
                          (f.value.kind() == WireValue::Kind::Int && f.value.as_int() >= 0);
      if (!is_int) return wrong("non-negative integer");
      struct_hasher.update(uint_word(f.value.as_uint()));
    } else if (f.type == "bytes32") {
      if (f.value.kind() != WireValue::Kind::String) return wrong("hex string");
      auto b = parse_hex(f.value.as_string(), 32, f.name);
      if (!b) return b.error();
      struct_hasher.update(*b);
    } else {
      return core::Error(core::ErrorCode::Unsupported, fmt::format("EIP-712 type '{}' is not supported", f.type),
                         f.name);
    }
  }
  return typed_data_digest(domain_separator("HyperliquidSignTransaction", chain_id), struct_hasher.finish());
}

core::Result<Address> recover_address(const Hash256& digest, const Signature& signature) {
  if (signature.v != 27 && signature.v != 28) {
    return core::Error(core::ErrorCode::InvalidArgument, fmt::format("v must be 27 or 28, got {}", signature.v), "v");
  }
  const ContextPtr ctx = make_context();
  std::array<std::uint8_t, 64> compact{};
  std::copy(signature.r.begin(), signature.r.end(), compact.begin());
  std::copy(signature.s.begin(), signature.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.get(), &sig, compact.data(), signature.v - 27) != 1) {
    return core::Error(core::ErrorCode::InvalidArgument, "r or s is not a valid secp256k1 scalar", "signature");
  }
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(ctx.get(), &pubkey, &sig, digest.data()) != 1) {
    return core::Error(core::ErrorCode::InvalidArgument, "no public key recovers from this signature", "signature");
  }
  return address_of(ctx.get(), pubkey);
}

struct Signer::Impl {
  ContextPtr ctx;
  std::array<std::uint8_t, 32> secret{};
  ~Impl() { OPENSSL_cleanse(secret.data(), secret.size()); }
};

Signer::Signer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Signer::~Signer() = default;
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;

core::Result<Signer> Signer::from_hex(std::string_view text) {
  std::string_view digits = text;
  if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.remove_prefix(2);
  const auto bad = [](std::string what) {
    return core::Error(core::ErrorCode::InvalidArgument, "private key " + std::move(what), "private_key");
  };
  if (digits.size() != 64) return bad(fmt::format("must be 64 hex digits, got {}", digits.size()));
  auto impl = std::make_unique<Impl>();
  for (std::size_t i = 0; i < 64; ++i) {
    const char c = digits[i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return bad(fmt::format("has a non-hex character at position {}", i));
    impl->secret[i / 2] = static_cast<std::uint8_t>(i % 2 == 0 ? v << 4 : (impl->secret[i / 2] | v));
  }
  impl->ctx = make_context();
  if (secp256k1_ec_seckey_verify(impl->ctx.get(), impl->secret.data()) != 1) {
    return bad("is not a valid secp256k1 secret (zero or not below the group order)");
  }
  // Blinding against timing side channels; RFC 6979 keeps signatures deterministic regardless.
  std::array<std::uint8_t, 32> seed{};
  if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) == 1) {
    BALLAST_REQUIRE(secp256k1_context_randomize(impl->ctx.get(), seed.data()) == 1, "secp256k1 randomize failed");
  }
  secp256k1_pubkey pubkey;
  BALLAST_REQUIRE(secp256k1_ec_pubkey_create(impl->ctx.get(), &pubkey, impl->secret.data()) == 1,
                  "secp256k1_ec_pubkey_create failed on a verified key");
  const Address address = address_of(impl->ctx.get(), pubkey);
  Signer signer(std::move(impl));
  signer.address_ = address;
  return signer;
}

core::Result<Signer> Signer::from_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::is_regular_file(status)) {
    return core::Error(core::ErrorCode::IoError, "cannot read the private key file", path.string());
  }
  using std::filesystem::perms;
  const perms loose = perms::group_all | perms::others_all;
  if ((status.permissions() & loose) != perms::none) {
    return core::Error(core::ErrorCode::InvalidArgument,
                       "the private key file is accessible by group or others; chmod 600 it", path.string());
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return core::Error(core::ErrorCode::IoError, "cannot read the private key file", path.string());
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  const std::string_view key =
      first == std::string::npos ? std::string_view() : std::string_view(text).substr(first, last - first + 1);
  auto signer = from_hex(key);
  OPENSSL_cleanse(text.data(), text.size());
  if (!signer) return signer.error().with_context(path.string());
  return signer;
}

core::Result<Signer> Signer::from_env(std::string_view name) {
  const std::string var(name);
  const char* value = std::getenv(var.c_str());
  if (value == nullptr || *value == '\0') {
    return core::Error(core::ErrorCode::NotFound, "environment variable is not set", var);
  }
  auto signer = from_hex(value);
  if (!signer) return signer.error().with_context(var);
  return signer;
}

Signature Signer::sign_digest(const Hash256& digest) const {
  secp256k1_ecdsa_recoverable_signature sig;
  // nullptr nonce function = secp256k1_nonce_function_rfc6979 (deterministic, as eth_account signs).
  BALLAST_REQUIRE(secp256k1_ecdsa_sign_recoverable(impl_->ctx.get(), &sig, digest.data(), impl_->secret.data(),
                                                   nullptr, nullptr) == 1,
                  "secp256k1_ecdsa_sign_recoverable failed");
  std::array<std::uint8_t, 64> compact{};
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(impl_->ctx.get(), compact.data(), &recid, &sig);
  Signature out;
  std::copy(compact.begin(), compact.begin() + 32, out.r.begin());
  std::copy(compact.begin() + 32, compact.end(), out.s.begin());
  out.v = static_cast<std::uint8_t>(27 + recid);
  return out;
}

Signature Signer::sign_l1_action(const WireValue& action, std::uint64_t nonce,
                                 const std::optional<Address>& vault_address,
                                 const std::optional<std::uint64_t>& expires_after, Network network) const {
  return sign_digest(l1_action_digest(action_hash(action, nonce, vault_address, expires_after), network));
}

}  // namespace ballast::adapters::hyperliquid
