// [[venues]] in ballast.toml: parsing, the value checks with their locations, the round trip through
// to_toml, and reading secrets from the environment or a 0600 file (server/internal/venue_connection.hpp).

#include "ballast/server/internal/venue_connection.hpp"
#include "ballast/server/service_config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ballast::server {
namespace {

namespace fs = std::filesystem;

std::string error_of(const core::Result<ServiceConfig>& result) {
  EXPECT_FALSE(result) << "expected an error";
  return result ? std::string() : result.error().to_string();
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(VenuesConfig, EntriesAreReadWithTheirDefaultsAndWrittenBackEqual) {
  auto c = parse_service_config_toml(
      "[[venues]]\nname = \"binance\"\nkind = \"binance_futures\"\nsymbols = [\"BTCUSDT\", \"ETHUSDT\"]\n"
      "api_key_env = \"BINANCE_API_KEY\"\napi_secret_file = \"/etc/ballast/binance.secret\"\n"
      "[[venues]]\nname = \"hl\"\nkind = \"hyperliquid\"\nnetwork = \"mainnet\"\naccount_id = \"HL-MAIN\"\n"
      "symbols = [\"BTC\"]\nprivate_key_env = \"HL_KEY\"\n"
      "account_address = \"0x0123456789abcdef0123456789abcdef01234567\"\nread_only = true\ndead_man_seconds = 30\n"
      "liquidation_check_seconds = 0\nliquidation_tolerance_bps = 12.5\n"
      "stream_url = \"ws://127.0.0.1:9/ws\"\n",
      "ballast.toml");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->venues.size(), 2u);
  const VenueConfig& b = c->venues[0];
  EXPECT_EQ(b.name, "binance");
  EXPECT_EQ(b.network, "testnet");  // default
  EXPECT_EQ(b.symbols, (std::vector<std::string>{"BTCUSDT", "ETHUSDT"}));
  EXPECT_TRUE(b.enabled);
  EXPECT_FALSE(b.read_only);
  EXPECT_EQ(b.api_key_env, "BINANCE_API_KEY");
  EXPECT_EQ(b.api_secret_file, fs::path("/etc/ballast/binance.secret"));
  EXPECT_EQ(effective_account_id(b), "BINANCE-1");  // upper-cased name + "-1"
  EXPECT_EQ(b.liquidation_check_seconds, 60u);        // default
  EXPECT_EQ(b.liquidation_tolerance_bps, 50.0);       // default
  const VenueConfig& h = c->venues[1];
  EXPECT_EQ(h.network, "mainnet");
  EXPECT_EQ(effective_account_id(h), "HL-MAIN");
  EXPECT_TRUE(h.read_only);
  EXPECT_EQ(h.dead_man_seconds, 30u);
  EXPECT_EQ(h.liquidation_check_seconds, 0u);
  EXPECT_EQ(h.liquidation_tolerance_bps, 12.5);
  EXPECT_EQ(h.stream_url, "ws://127.0.0.1:9/ws");

  auto back = parse_service_config_toml(to_toml(*c), "roundtrip.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << to_toml(*c);
  EXPECT_EQ(back->venues, c->venues);
}

TEST(VenuesConfig, EveryProblemIsReportedWithItsLineAndKey) {
  const std::string message = error_of(parse_service_config_toml(
      "[[venues]]\n"                              // 1
      "name = \"Binance\"\n"                      // 2
      "kind = \"bybit\"\n"                        // 3
      "symbols = []\n"                            // 4
      "network = \"prod\"\n"                      // 5
      "[[venues]]\n"                              // 6
      "name = \"b2\"\n"                           // 7
      "kind = \"binance_futures\"\n"              // 8
      "symbols = [\"BTCUSDT\", \"BTCUSDT\"]\n"    // 9
      "api_key = \"abc\"\n"                       // 10
      "api_secret_env = \"S\"\n"                  // 11
      "api_secret_file = \"/s\"\n"                // 12
      "[[venues]]\n"                              // 13
      "name = \"hl\"\n"                           // 14
      "kind = \"hyperliquid\"\n"                  // 15
      "symbols = [\"BTC\"]\n"                     // 16
      "private_key_env = \"K\"\n"                 // 17
      "account_address = \"0x12\"\n"              // 18
      "dead_man_seconds = 2\n"                    // 19
      "rest_url = \"ws://x\"\n"                   // 20
      "account_id = \"PAPER-1\"\n"                // 21
      "colour = 1\n"                              // 22
      "liquidation_check_seconds = -1\n"          // 23
      "liquidation_tolerance_bps = \"wide\"\n",   // 24
      "ballast.toml"));
  EXPECT_TRUE(contains(message, "venues[0].name: must be 1..32 characters of a-z 0-9 _ -, got 'Binance'")) << message;
  EXPECT_TRUE(contains(message, "venues[0].kind: must be \"binance_futures\" or \"hyperliquid\", got 'bybit'")) << message;
  EXPECT_TRUE(contains(message, "venues[0].symbols: must list at least one instrument")) << message;
  EXPECT_TRUE(contains(message, "venues[0].network: must be \"testnet\" or \"mainnet\", got 'prod'")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:10: venues[1].api_key: secrets are not read from ballast.toml")) << message;
  EXPECT_TRUE(contains(message, "venues[1].symbols: 'BTCUSDT' is listed twice")) << message;
  EXPECT_TRUE(contains(message, "venues[1].api_key_env: missing: api_key_env or api_key_file")) << message;
  EXPECT_TRUE(contains(message, "venues[1].api_secret_env: give api_secret_env or api_secret_file, not both")) << message;
  EXPECT_TRUE(contains(message, "venues[2].account_address: must be 0x followed by 40 hex digits, got '0x12'")) << message;
  EXPECT_TRUE(contains(message, "venues[2].dead_man_seconds: must be 0 (off) or at least 5, got 2")) << message;
  EXPECT_TRUE(contains(message, "venues[2].rest_url: 'ws://x' is not an http(s):// URL")) << message;
  EXPECT_TRUE(contains(message, "venues[2].account_id: 'PAPER-1' is already the account of the paper desk")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:22: venues[2].colour: unknown key")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:23: venues[2].liquidation_check_seconds: expected an integer number of seconds, 0..86400"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:24: venues[2].liquidation_tolerance_bps: expected a number of basis points, 0..10000"))
      << message;
  // The secret given in the file is not echoed back.
  EXPECT_FALSE(contains(message, "abc")) << message;
}

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ballast-secrets-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ::unsetenv("BALLAST_TEST_SECRET");
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text, mode_t mode) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
    return p;
  }
  fs::path dir_;
};

TEST_F(Secrets, AreReadFromTheEnvironmentOrAPrivateFileTrimmed) {
  ::setenv("BALLAST_TEST_SECRET", "  s3cret-from-env\n", 1);
  auto from_env = read_secret("BALLAST_TEST_SECRET", {}, "venues[b].api_secret");
  ASSERT_TRUE(from_env) << from_env.error().to_string();
  EXPECT_EQ(*from_env, "s3cret-from-env");
  auto from_file = read_secret({}, write("key", "filekey123\n", 0600), "venues[b].api_key");
  ASSERT_TRUE(from_file) << from_file.error().to_string();
  EXPECT_EQ(*from_file, "filekey123");
}

TEST_F(Secrets, AFileOthersCanReadAnUnsetVariableAndAnEmptyFileAreRefusedWithoutTheSecret) {
  const auto shared = read_secret({}, write("shared", "leaky-secret", 0644), "venues[b].api_key");
  ASSERT_FALSE(shared);
  EXPECT_TRUE(contains(shared.error().message(), "(mode 644); chmod 600 it")) << shared.error().message();
  EXPECT_EQ(shared.error().where(), "venues[b].api_key");
  EXPECT_FALSE(contains(shared.error().to_string(), "leaky-secret"));
  const auto unset = read_secret("BALLAST_TEST_SECRET", {}, "venues[b].api_secret");
  ASSERT_FALSE(unset);
  EXPECT_TRUE(contains(unset.error().message(), "the environment variable BALLAST_TEST_SECRET is not set"));
  const auto empty = read_secret({}, write("empty", "\n", 0600), "venues[b].api_key");
  ASSERT_FALSE(empty);
  EXPECT_TRUE(contains(empty.error().message(), "is empty"));
  const auto missing = read_secret({}, dir_ / "nope", "venues[b].api_key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), core::ErrorCode::NotFound);
}

}  // namespace
}  // namespace ballast::server
