#pragma once
// OpenSSL set-up shared by the HTTP and WebSocket clients. Private to net. Verification uses the system
// trust store unless a CA file is given; the peer name is checked against the certificate (DNS name, or
// IP address when the host is a literal address), and SNI is sent for DNS names.

#include <optional>
#include <string>

#include <openssl/ssl.h>

#include "ballast/core/result.hpp"

namespace ballast::net::internal {

core::Status configure_tls_context(SSL_CTX* ctx, bool verify, const std::optional<std::string>& ca_file);
core::Status prepare_tls_client(SSL* ssl, const std::string& host, bool verify);

}  // namespace ballast::net::internal
