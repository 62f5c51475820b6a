#include "ballast/net/internal/tls.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace ballast::net::internal {
namespace {

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

bool is_ip_literal(const std::string& host) {
  if (host.find(':') != std::string::npos) return true;  // IPv6
  for (const char c : host) {
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  }
  return !host.empty();
}

}  // namespace

core::Status configure_tls_context(SSL_CTX* ctx, bool verify, const std::optional<std::string>& ca_file) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return core::ok();
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (ca_file) {
    if (SSL_CTX_load_verify_locations(ctx, ca_file->c_str(), nullptr) != 1) {
      return core::Error(core::ErrorCode::IoError, "cannot load CA file: " + openssl_error(), *ca_file);
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return core::Error(core::ErrorCode::IoError, "cannot load the system CA store: " + openssl_error());
  }
  return core::ok();
}

core::Status prepare_tls_client(SSL* ssl, const std::string& host, bool verify) {
  const bool ip = is_ip_literal(host);
  // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
  if (!ip && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                      const_cast<char*>(host.c_str())) != 1) {
    return core::Error(core::ErrorCode::IoError, "cannot set TLS server name: " + openssl_error(), host);
  }
  if (!verify) return core::ok();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int rc = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                    : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (rc != 1) return core::Error(core::ErrorCode::IoError, "cannot set TLS peer name: " + openssl_error(), host);
  return core::ok();
}

}  // namespace ballast::net::internal
