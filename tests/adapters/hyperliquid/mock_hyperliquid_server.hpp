#pragma once
// A mock Hyperliquid API on 127.0.0.1 for tests: POST /info answers canned JSON per request "type";
// POST /exchange re-derives the signed digest from the JSON it received (key order as received), recovers
// the signer's address from {r, s, v} and answers like the exchange — {"status":"err", …} when the
// recovered address is not the expected account, so any mistake in hashing or signing fails the test.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ballast/adapters/hyperliquid/signing.hpp"
#include "ballast/net/http_server.hpp"

namespace ballast::testing::hyperliquid {

class MockHyperliquidServer {
 public:
  MockHyperliquidServer(adapters::hyperliquid::Network network, adapters::hyperliquid::Address account);
  ~MockHyperliquidServer();

  std::string base_url() const;
  void set_info_response(const std::string& type, std::string body);
  // Every /exchange request answers HTTP `status` with `body` (failure injection) until cleared.
  void fail_exchange_with(unsigned status, std::string body);

  struct Received {
    std::string body;
    std::string action_type;
    bool signature_valid = false;
    adapters::hyperliquid::Address recovered{};
  };
  std::vector<Received> exchange_requests() const;
  std::vector<std::string> info_requests() const;

 private:
  void handle(net::HttpRequest&& request, net::Responder respond);
  net::HttpResponse handle_exchange(const std::string& body);

  adapters::hyperliquid::Network network_;
  adapters::hyperliquid::Address account_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> info_;
  std::vector<Received> exchange_;
  std::vector<std::string> info_requests_;
  std::uint64_t next_oid_ = 1000;
  unsigned fail_status_ = 0;
  std::string fail_body_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace ballast::testing::hyperliquid
