// ballast.toml and BALLAST_* variables → ServiceConfig: defaults, the documented example, every
// environment override, located error messages (all at once), and the to_toml round trip.

#include "ballast/server/service_config.hpp"

#include "testkit/shared_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>

namespace ballast::server {
namespace {

using namespace std::chrono_literals;

std::filesystem::path examples_dir() {
  // This file is tests/server/service_config_test.cpp; the examples live in docs/examples.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "docs" / "examples";
}

core::Decimal dec(std::string_view text) {
  return *core::Decimal::parse(text);
}

// The message of a failed load, or a test failure when it loaded.
std::string error_of(const core::Result<ServiceConfig>& result) {
  EXPECT_FALSE(result) << "expected an error";
  return result ? std::string() : result.error().to_string();
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(ServiceConfig, DefaultsAreValid) {
  const ServiceConfig defaults;
  EXPECT_TRUE(validate(defaults));
  auto loaded = load_service_config({});
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(*loaded, defaults);
  ASSERT_EQ(defaults.instruments.size(), 3u);
  EXPECT_EQ(defaults.instruments[0].symbol, "BTCUSDT");
  EXPECT_EQ(defaults.instruments[0].initial_price, dec("60000"));
  EXPECT_EQ(defaults.instruments[1].symbol, "ETHUSDT");
  EXPECT_EQ(defaults.instruments[2].symbol, "SOLUSDT");
  EXPECT_EQ(defaults.starting_balance, dec("100000"));
  EXPECT_EQ(effective_public_url(defaults), "http://127.0.0.1:8080");
  EXPECT_EQ(effective_database_url(defaults), "sqlite:var/ballast.db");
  EXPECT_EQ(effective_token_secret_file(defaults), std::filesystem::path("var/token.secret"));
}

TEST(ServiceConfig, DocumentedExampleFileLoadsAndStatesTheDefaults) {
  auto loaded = load_service_config({.file = examples_dir() / "ballast.toml", .environment = {}});
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(*loaded, ServiceConfig{});
}

TEST(ServiceConfig, FileValuesReplaceTheDefaults) {
  const std::string text = R"(
[server]
host = "0.0.0.0"
port = 9090
cors_origins = ["http://localhost:5173", "https://desk.example.com"]

[auth]
access_token_ttl = "5m"
refresh_token_ttl = "1d"

[paper]
starting_balance = "2500.75"
speed = 60
bar_interval = "250ms"
seed = "18446744073709551615"
correlation = 0.25

[[paper.instruments]]
symbol = "XRPUSDT"
initial_price = 0.5123
tick_size = 0.0001
lot_size = 0.1

[risk]
config_file = "docs/examples/risk.toml"
)";
  auto c = parse_service_config_toml(text, "ballast.toml");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->host, "0.0.0.0");
  EXPECT_EQ(c->port, 9090);
  EXPECT_EQ(c->cors_origins, (std::vector<std::string>{"http://localhost:5173", "https://desk.example.com"}));
  EXPECT_EQ(c->access_token_ttl, 300s);
  EXPECT_EQ(c->refresh_token_ttl, 86400s);
  EXPECT_EQ(c->starting_balance, dec("2500.75"));
  EXPECT_EQ(c->speed, 60.0);
  EXPECT_EQ(c->bar_interval, 250ms);
  EXPECT_EQ(c->seed, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(c->correlation, 0.25);
  ASSERT_EQ(c->instruments.size(), 1u);  // the file's list replaces the default instruments
  EXPECT_EQ(c->instruments[0].symbol, "XRPUSDT");
  EXPECT_EQ(c->instruments[0].initial_price, dec("0.5123"));  // exact, not the binary double
  EXPECT_EQ(c->instruments[0].initial_price.scale(), 4);
  EXPECT_EQ(c->instruments[0].tick_size, dec("0.0001"));
  EXPECT_EQ(c->instruments[0].annual_volatility, 0.6);  // optional keys keep their defaults
  EXPECT_EQ(c->instruments[0].daily_volume, 0.0);
  ASSERT_TRUE(c->risk_config_file);
  EXPECT_EQ(*c->risk_config_file, std::filesystem::path("docs/examples/risk.toml"));
  EXPECT_EQ(c->log_level, "info");  // untouched keys keep their defaults
}

TEST(ServiceConfig, EveryKeyCanBeOverriddenFromTheEnvironment) {
  const ConfigSource source{.file = std::nullopt,
                            .environment = {
                                {"BALLAST_SERVER_HOST", "0.0.0.0"},
                                {"BALLAST_SERVER_PORT", "9443"},
                                {"BALLAST_SERVER_IO_THREADS", "4"},
                                {"BALLAST_SERVER_MAX_BODY_BYTES", "65536"},
                                {"BALLAST_SERVER_CORS_ORIGINS", "http://localhost:5173, https://desk.example.com"},
                                {"BALLAST_SERVER_PUBLIC_URL", "https://ballast.example.com"},
                                {"BALLAST_STORAGE_DATA_DIR", "/srv/ballast"},
                                {"BALLAST_STORAGE_DATABASE_URL", "postgresql://ballast@db/ballast"},
                                {"BALLAST_LOG_FORMAT", "json"},
                                {"BALLAST_LOG_LEVEL", "debug"},
                                {"BALLAST_AUTH_ACCESS_TOKEN_TTL", "10m"},
                                {"BALLAST_AUTH_REFRESH_TOKEN_TTL", "2d"},
                                {"BALLAST_AUTH_LOGIN_MAX_FAILURES", "3"},
                                {"BALLAST_AUTH_LOGIN_WINDOW", "1m"},
                                {"BALLAST_AUTH_LOGIN_LOCKOUT", "30m"},
                                {"BALLAST_AUTH_TOKEN_SECRET_FILE", "/run/secrets/ballast"},
                                {"BALLAST_PAPER_ACCOUNT_ID", "PAPER-7"},
                                {"BALLAST_PAPER_CURRENCY", "USDC"},
                                {"BALLAST_PAPER_STARTING_BALANCE", "50000.5"},
                                {"BALLAST_PAPER_FEED", "replay"},
                                {"BALLAST_PAPER_SPEED", "10.5"},
                                {"BALLAST_PAPER_BAR_INTERVAL", "1m"},
                                {"BALLAST_PAPER_SEED", "7"},
                                {"BALLAST_PAPER_CORRELATION", "-0.2"},
                                {"BALLAST_PAPER_REPLAY_FILES", "btc.csv,eth.csv,sol.csv"},
                                {"BALLAST_PAPER_REPLAY_BAR_TIME", "end"},
                                {"BALLAST_PAPER_ORDER_CAPACITY", "4096"},
                                {"BALLAST_RISK_CONFIG_FILE", "risk.json"},
                                {"BALLAST_MONITOR_SNAPSHOT_INTERVAL", "30s"},
                                {"BALLAST_WEBSOCKET_MAX_QUEUED_MESSAGES", "1000"},
                                {"BALLAST_WEBSOCKET_HEARTBEAT", "20s"},
                            }};
  auto c = load_service_config(source);
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->host, "0.0.0.0");
  EXPECT_EQ(c->port, 9443);
  EXPECT_EQ(c->io_threads, 4u);
  EXPECT_EQ(c->max_body_bytes, 65536u);
  EXPECT_EQ(c->cors_origins, (std::vector<std::string>{"http://localhost:5173", "https://desk.example.com"}));
  EXPECT_EQ(c->public_url, "https://ballast.example.com");
  EXPECT_EQ(c->data_dir, std::filesystem::path("/srv/ballast"));
  EXPECT_EQ(c->database_url, "postgresql://ballast@db/ballast");
  EXPECT_EQ(c->log_format, "json");
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->access_token_ttl, 600s);
  EXPECT_EQ(c->refresh_token_ttl, 172800s);
  EXPECT_EQ(c->login_max_failures, 3);
  EXPECT_EQ(c->login_window, 60s);
  EXPECT_EQ(c->login_lockout, 1800s);
  EXPECT_EQ(c->token_secret_file, std::filesystem::path("/run/secrets/ballast"));
  EXPECT_EQ(c->account_id, "PAPER-7");
  EXPECT_EQ(c->currency, "USDC");
  EXPECT_EQ(c->starting_balance, dec("50000.5"));
  EXPECT_EQ(c->feed, "replay");
  EXPECT_EQ(c->speed, 10.5);
  EXPECT_EQ(c->bar_interval, 60000ms);
  EXPECT_EQ(c->seed, 7u);
  EXPECT_EQ(c->correlation, -0.2);
  EXPECT_EQ(c->replay_files, (std::vector<std::filesystem::path>{"btc.csv", "eth.csv", "sol.csv"}));
  EXPECT_EQ(c->replay_bar_time, "end");
  EXPECT_EQ(c->order_capacity, 4096u);
  ASSERT_TRUE(c->risk_config_file);
  EXPECT_EQ(*c->risk_config_file, std::filesystem::path("risk.json"));
  EXPECT_EQ(c->snapshot_interval, 30000ms);
  EXPECT_EQ(c->ws_max_queued_messages, 1000u);
  EXPECT_EQ(c->ws_heartbeat, 20s);
}

TEST(ServiceConfig, EnvironmentWinsOverTheFile) {
  const testkit::TempDir dir;
  const auto file = dir.write("ballast.toml", "[server]\nport = 9000\nhost = \"0.0.0.0\"\n");
  auto c = load_service_config({.file = file, .environment = {{"BALLAST_SERVER_PORT", "9001"}}});
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->port, 9001);
  EXPECT_EQ(c->host, "0.0.0.0");
}

TEST(ServiceConfig, UnrelatedBallastVariablesAreIgnoredAndEmptyListsClear) {
  auto c = load_service_config({.file = std::nullopt,
                                .environment = {{"BALLAST_SHARED_DATA", "/tmp/data"},
                                                {"BALLAST_CONFIG", "x"},
                                                {"BALLAST_SERVER_CORS_ORIGINS", ""},
                                                {"BALLAST_RISK_CONFIG_FILE", ""}}});
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_TRUE(c->cors_origins.empty());
  EXPECT_FALSE(c->risk_config_file);
}

TEST(ServiceConfig, EnvironmentValueThatIsNotANumberNamesTheVariable) {
  auto c = load_service_config({.file = std::nullopt, .environment = {{"BALLAST_SERVER_PORT", "abc"}}});
  EXPECT_EQ(error_of(c), "env BALLAST_SERVER_PORT: not an integer: 'abc'");
  EXPECT_EQ(c.error().code(), core::ErrorCode::ParseError);
}

TEST(ServiceConfig, EnvironmentValueOutOfRangeNamesTheVariableAndTheKey) {
  auto c = load_service_config({.file = std::nullopt, .environment = {{"BALLAST_SERVER_PORT", "70000"}}});
  EXPECT_EQ(error_of(c), "env BALLAST_SERVER_PORT: must be 0..65535, got 70000");
  auto zero = load_service_config({.file = std::nullopt, .environment = {{"BALLAST_PAPER_SPEED", "-2"}}});
  EXPECT_EQ(error_of(zero), "env BALLAST_PAPER_SPEED: paper.speed: must be > 0, got -2");
}

TEST(ServiceConfig, MisspelledEnvironmentVariableGetsASuggestion) {
  auto c = load_service_config({.file = std::nullopt, .environment = {{"BALLAST_SERVER_PROT", "9000"}}});
  EXPECT_TRUE(contains(error_of(c), "env BALLAST_SERVER_PROT: unknown variable; did you mean BALLAST_SERVER_PORT?"))
      << error_of(c);
  auto instruments =
      load_service_config({.file = std::nullopt, .environment = {{"BALLAST_PAPER_INSTRUMENTS", "BTCUSDT"}}});
  EXPECT_TRUE(contains(error_of(instruments), "can only be set in the configuration file")) << error_of(instruments);
}

TEST(ServiceConfig, ReportsEveryProblemAtOnceWithFileAndLine) {
  const testkit::TempDir dir;
  const auto file = dir.write("ballast.toml",
                              "[server]\n"               // 1
                              "port = 70000\n"           // 2
                              "hots = \"0.0.0.0\"\n"     // 3
                              "[log]\n"                  // 4
                              "format = \"xml\"\n"       // 5
                              "[paper]\n"                // 6
                              "speed = -1.5\n"           // 7
                              "bar_interval = 1000\n");  // 8
  auto c = load_service_config({.file = file, .environment = {{"BALLAST_WEBSOCKET_HEARTBEAT", "soon"}}});
  const std::string message = error_of(c);
  const std::string f = file.string();
  EXPECT_TRUE(contains(message, "6 problems")) << message;
  EXPECT_TRUE(contains(message, f + ":2: server.port: must be 0..65535, got 70000")) << message;
  EXPECT_TRUE(contains(message, f + ":3: server.hots: unknown key; did you mean host?")) << message;
  EXPECT_TRUE(contains(message, f + ":5: log.format: must be one of \"text\", \"json\", got 'xml'")) << message;
  EXPECT_TRUE(contains(message, f + ":7: paper.speed: must be > 0, got -1.5")) << message;
  EXPECT_TRUE(contains(message, f + ":8: paper.bar_interval: expected a duration string")) << message;
  EXPECT_TRUE(contains(message, "env BALLAST_WEBSOCKET_HEARTBEAT: not a duration: 'soon'")) << message;
  // In file order, then the environment.
  EXPECT_LT(message.find(":2:"), message.find(":3:"));
  EXPECT_LT(message.find(":7:"), message.find(":8:"));
  EXPECT_LT(message.find(":8:"), message.find("env BALLAST_WEBSOCKET_HEARTBEAT"));
}

TEST(ServiceConfig, UnknownSectionAndKeyGetSuggestions) {
  const std::string message = error_of(parse_service_config_toml(
      "[sever]\nport = 1\n[paper]\nstarting_balanse = 5\n[[paper.instruments]]\nsymbol = \"X\"\ninitial_price = 1\n"
      "tick_size = 1\nlot_size = 1\nvolatility = 0.5\n",
      "ballast.toml"));
  EXPECT_TRUE(contains(message, "ballast.toml:1: sever: unknown section; did you mean server?")) << message;
  EXPECT_TRUE(contains(message, "ballast.toml:4: paper.starting_balanse: unknown key; did you mean starting_balance?"))
      << message;
  EXPECT_TRUE(contains(message, "ballast.toml:10: paper.instruments[0].volatility: unknown key")) << message;
}

struct InvalidCase {
  std::string toml;
  std::string expected;
};

TEST(ServiceConfig, RejectsInvalidValuesWithTheRule) {
  const std::vector<InvalidCase> cases{
      {"[server]\nport = 70000\n", "ballast.toml:2: server.port: must be 0..65535, got 70000"},
      {"[server]\nport = \"8080\"\n", "ballast.toml:2: server.port: expected an integer, got string"},
      {"[log]\nformat = \"yaml\"\n", "ballast.toml:2: log.format: must be one of \"text\", \"json\", got 'yaml'"},
      {"[log]\nlevel = \"verbose\"\n", "ballast.toml:2: log.level: must be one of"},
      {"[paper]\nspeed = -1\n", "ballast.toml:2: paper.speed: must be > 0, got -1"},
      {"[paper]\ncorrelation = 1.0\n", "ballast.toml:2: paper.correlation: must be strictly between -1 and 1, got 1"},
      {"[paper]\ncorrelation = -1\n", "ballast.toml:2: paper.correlation: must be strictly between -1 and 1, got -1"},
      {"[paper]\ncorrelation = -0.6\n", "paper.correlation: must be > -0.5 with 3 instruments"},
      {"[paper]\nfeed = \"live\"\n",
       "ballast.toml:2: paper.feed: must be one of \"synthetic\", \"replay\", got 'live'"},
      {"[paper]\nstarting_balance = -5\n", "ballast.toml:2: paper.starting_balance: must be > 0, got -5"},
      {"[auth]\naccess_token_ttl = \"1h\"\nrefresh_token_ttl = \"30m\"\n",
       "ballast.toml:3: auth.refresh_token_ttl: must be longer than auth.access_token_ttl (1h), got 30m"},
      {"[auth]\naccess_token_ttl = \"1500ms\"\n",
       "auth.access_token_ttl: must be a whole number of seconds, got '1500ms'"},
      {"[auth]\nlogin_max_failures = 0\n", "auth.login_max_failures: must be 1..1000000, got 0"},
      {"[storage]\ndatabase_url = \"mysql://x\"\n", "storage.database_url: must start with postgresql://"},
      {"[server]\ncors_origins = [\"localhost:5173\"]\n", "server.cors_origins[0]: must be \"*\" or an origin"},
      {"[[paper.instruments]]\nsymbol = \"BTCUSDT\"\ninitial_price = 100.05\ntick_size = 0.1\nlot_size = 1\n",
       "ballast.toml:3: paper.instruments[0].initial_price: must be a multiple of tick_size 0.1, got 100.05"},
      {"[[paper.instruments]]\nsymbol = \"BTCUSDT\"\ninitial_price = 100\n",
       "paper.instruments[0].tick_size: missing (required)"},
      {"[websocket]\nmax_queued_messages = 0\n", "websocket.max_queued_messages: must be 1..1000000, got 0"},
      {"[paper]\nreplay_bar_time = \"close\"\n", "ballast.toml:2: paper.replay_bar_time: must be one of"},
      {"[paper]\norder_capacity = 16777217\n", "ballast.toml:2: paper.order_capacity: must be 0..16777216, got 16777217"},
      {"[server]\nport = \n", "ballast.toml:2: "},  // TOML syntax error, located
  };
  for (const InvalidCase& c : cases) {
    const std::string message = error_of(parse_service_config_toml(c.toml, "ballast.toml"));
    EXPECT_TRUE(contains(message, c.expected)) << "for:\n" << c.toml << "got: " << message;
  }
}

TEST(ServiceConfig, ReplayFeedNeedsOneFilePerInstrument) {
  const std::string message = error_of(parse_service_config_toml("[paper]\nfeed = \"replay\"\n", "ballast.toml"));
  EXPECT_EQ(message,
            "ballast.toml:2: paper.replay_files: feed = \"replay\" needs one CSV file per instrument (3), got 0");
  auto ok = parse_service_config_toml("[paper]\nfeed = \"replay\"\nreplay_files = [\"a.csv\", \"b.csv\", \"c.csv\"]\n",
                                      "ballast.toml");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->replay_files.size(), 3u);
}

TEST(ServiceConfig, MissingFileIsAnIoError) {
  auto c = load_service_config({.file = std::filesystem::path("/nonexistent/ballast.toml"), .environment = {}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), core::ErrorCode::IoError);
  EXPECT_EQ(c.error().where(), "/nonexistent/ballast.toml");
}

TEST(ServiceConfig, ValidateChecksAConfigBuiltInCode) {
  ServiceConfig c;
  c.refresh_token_ttl = c.access_token_ttl;
  c.instruments.clear();
  const auto status = validate(c);
  ASSERT_FALSE(status);
  const std::string message = status.error().to_string();
  EXPECT_TRUE(contains(message, "auth.refresh_token_ttl: must be longer")) << message;
  EXPECT_TRUE(contains(message, "paper.instruments: needs at least one instrument")) << message;
}

TEST(ServiceConfig, ToTomlRoundTripsTheDefaults) {
  const ServiceConfig defaults;
  auto back = parse_service_config_toml(to_toml(defaults), "roundtrip.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << to_toml(defaults);
  EXPECT_EQ(*back, defaults);
}

TEST(ServiceConfig, ToTomlRoundTripsEveryField) {
  ServiceConfig c;
  c.host = "::1";
  c.port = 65535;
  c.io_threads = 8;
  c.max_body_bytes = 4096;
  c.cors_origins = {"*", "https://a.example.com"};
  c.public_url = "https://ballast.example.com/desk";
  c.data_dir = "/var/lib/ballast dir";
  c.database_url = "postgresql://u:p%40ss@host:5432/db?sslmode=require";
  c.log_format = "json";
  c.log_level = "warn";
  c.access_token_ttl = 90s;
  c.refresh_token_ttl = 3600s * 24 * 30;
  c.login_max_failures = 10;
  c.login_window = 45s;
  c.login_lockout = 7200s;
  c.token_secret_file = "/etc/ballast/\"quoted\".secret";
  c.account_id = "PAPER_2";
  c.currency = "BTC";
  c.starting_balance = dec("1.234567890123456789");  // more digits than a double holds: written as a string
  c.feed = "replay";
  c.speed = 0.1;
  c.bar_interval = 1500ms;
  c.seed = std::numeric_limits<std::uint64_t>::max();
  c.correlation = -0.3;
  c.instruments = {{"AAA", dec("0.00012"), 1.25, dec("0.00001"), dec("1000"), 1e9},
                   {"BBB-PERP", dec("12345.678"), 0.0, dec("0.001"), dec("0.0001"), 0.5}};
  c.replay_files = {"data/a b.csv", "data/\u00e9.csv"};
  c.replay_bar_time = "end";
  c.risk_config_file = "risk.json";
  c.snapshot_interval = 250ms;
  c.ws_max_queued_messages = 1;
  c.ws_heartbeat = 60s;
  ASSERT_TRUE(validate(c)) << validate(c).error().to_string();
  const std::string text = to_toml(c);
  auto back = parse_service_config_toml(text, "roundtrip.toml");
  ASSERT_TRUE(back) << back.error().to_string() << "\n" << text;
  EXPECT_EQ(*back, c) << text;
  EXPECT_EQ(back->starting_balance.scale(), 18);
}

TEST(ServiceConfig, EnvironmentFromKeepsOnlyBallastVariables) {
  std::string a = "BALLAST_SERVER_PORT=9000";
  std::string b = "HOME=/root";
  std::string c = "BALLAST_LOG_LEVEL=a=b";
  char* envp[] = {a.data(), b.data(), c.data(), nullptr};
  const auto env = environment_from(envp);
  ASSERT_EQ(env.size(), 2u);
  EXPECT_EQ(env[0], (std::pair<std::string, std::string>{"BALLAST_SERVER_PORT", "9000"}));
  EXPECT_EQ(env[1], (std::pair<std::string, std::string>{"BALLAST_LOG_LEVEL", "a=b"}));
  EXPECT_TRUE(environment_from(nullptr).empty());
}

}  // namespace
}  // namespace ballast::server
