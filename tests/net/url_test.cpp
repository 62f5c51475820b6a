#include "ballast/net/http_client.hpp"

#include <gtest/gtest.h>

namespace ballast::net {
namespace {

TEST(Url, ParsesSchemeHostPortAndTarget) {
  const auto url = Url::parse("HTTPS://api.example.com:8443/v1/x?y=1");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "api.example.com");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/v1/x?y=1");
}

TEST(Url, UsesTheSchemeDefaultPortAndRootTarget) {
  EXPECT_EQ(Url::parse("http://h").value().port, 80);
  EXPECT_EQ(Url::parse("wss://h").value().port, 443);
  EXPECT_EQ(Url::parse("ws://h").value().target, "/");
  EXPECT_EQ(Url::parse("ws://h?token=1").value().target, "/?token=1");
}

TEST(Url, ParsesBracketedIpv6Hosts) {
  const auto url = Url::parse("http://[::1]:9000/");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
}

TEST(Url, RejectsMissingSchemeBadPortAndUnknownScheme) {
  EXPECT_FALSE(Url::parse("example.com").has_value());
  EXPECT_FALSE(Url::parse("http://h:0/").has_value());
  EXPECT_FALSE(Url::parse("http://h:70000/").has_value());
  EXPECT_FALSE(Url::parse("http://h:8x/").has_value());
  EXPECT_FALSE(Url::parse("ftp://h/").has_value());
  EXPECT_FALSE(Url::parse("http:///x").has_value());
}

}  // namespace
}  // namespace ballast::net
