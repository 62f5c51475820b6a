#pragma once
// ServiceConfig: everything `ballast serve` reads from ballast.toml, merged as
//   built-in defaults ← the file ← BALLAST_* environment variables.
// Every key is documented in docs/configuration.md; docs/examples/ballast.toml sets all of them.
//
// Conventions:
//  - Durations are strings with a unit: "250ms", "15s", "15m", "1h", "7d", "1w" (core::parse_duration;
//    "0s" is not accepted where a duration must be positive).
//  - Money and prices are exact decimals: a TOML integer, a float of up to 15 significant digits (taken
//    as its shortest text, so 0.1 is exactly 0.1) or a string ("60000.5").
//  - Environment variable = "BALLAST_" + SECTION + "_" + KEY, upper-cased (server.port →
//    BALLAST_SERVER_PORT, paper.replay_files → BALLAST_PAPER_REPLAY_FILES); lists are comma-separated.
//    [[paper.instruments]] can only be set in the file. BALLAST_* variables whose second word is not a
//    section (BALLAST_SHARED_DATA, …) are not configuration and are ignored.
//  - Relative paths are relative to the working directory of `ballast serve`.
//  - Every problem is reported at once, each with its place: "ballast.toml:12: server.port: must be
//    1..65535, got 70000", "env BALLAST_SERVER_PORT: not an integer: 'abc'"; unknown keys get a
//    "did you mean" suggestion.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"

namespace ballast::server {

// One instrument of the paper venue's synthetic market (geometric Brownian motion per instrument,
// correlated through ServiceConfig::correlation).
struct PaperInstrumentConfig {
  std::string symbol;              // "BTCUSDT"
  core::Decimal initial_price{};   // quote currency per unit, > 0, a multiple of tick_size
  double annual_volatility = 0.6;  // annualised σ of log returns, 0 ≤ σ ≤ 5
  core::Decimal tick_size{};       // price increment, > 0
  core::Decimal lot_size{};        // quantity increment, > 0
  double daily_volume = 0;         // base units traded per day (synthetic bar volumes), ≥ 0

  friend bool operator==(const PaperInstrumentConfig&, const PaperInstrumentConfig&) = default;
};

// One [[strategies]] entry: a built-in strategy (strategy/technical_strategies.hpp) trading one paper
// instrument on the live desk; its orders carry `id` as their strategy id.
struct StrategyConfig {
  std::string id;        // unique, [A-Za-z0-9_-]{1,64}
  std::string strategy;  // a built-in name ("sma_cross", …)
  std::string symbol;    // a paper instrument ("BTCUSDT")
  std::map<std::string, double, std::less<>> params;  // name → value, as the strategy's "name=value" parameters
  core::Decimal notional{};  // quote-currency size of each entry (FixedNotionalSizer), > 0
  bool enabled = true;       // runs at the first start; later the last start/stop through the API wins

  friend bool operator==(const StrategyConfig&, const StrategyConfig&) = default;
};

// One [[venues]] entry: a live venue account that `ballast serve` connects to next to the paper desk
// (docs/venues.md). Its own kernel, risk engine and breakers watch and gate it; its orders, fills,
// positions and reconciliation corrections are stored under `account_id`.
//
// Credentials are never in the file: it names the environment variable or the file (mode 0600 or
// stricter) each secret is read from when the venue starts. Neither the names' values nor the secrets are
// logged or returned by the API.
struct VenueConfig {
  std::string name;                  // unique, [a-z0-9_-]{1,32}; the API's {venue}
  std::string kind;                  // binance_futures | hyperliquid
  std::string network = "testnet";   // testnet | mainnet
  std::string account_id;            // empty → upper-cased name + "-1" ("BINANCE-1")
  std::vector<std::string> symbols;  // the instruments to monitor and trade (Binance "BTCUSDT", Hyperliquid "BTC")
  bool enabled = true;
  bool read_only = false;            // monitor only: every order command is refused locally
  // binance_futures: API key and secret
  std::string api_key_env;
  std::filesystem::path api_key_file;
  std::string api_secret_env;
  std::filesystem::path api_secret_file;
  // hyperliquid: the signing key (an agent key, or the account's own), and the account it trades for
  std::string private_key_env;
  std::filesystem::path private_key_file;
  std::string account_address;  // 0x… the account whose state is read; empty → the key's own address
  std::uint32_t dead_man_seconds = 0;  // Hyperliquid scheduleCancel; 0 = off, else ≥ 5
  // The venue's liquidation prices against our margin manager's (system/liquidation_check.hpp): after every
  // reconciliation and every this many seconds (0 = after reconciliations only); a difference beyond the
  // tolerance (basis points of the venue's price) raises a WARNING alert.
  std::uint32_t liquidation_check_seconds = 60;
  double liquidation_tolerance_bps = 50;
  // Endpoint overrides (a mock in tests, a proxy): empty → the network's documented URLs.
  std::string rest_url;
  std::string stream_url;       // market streams (Binance: the /stream host; Hyperliquid: the WebSocket URL)
  std::string user_stream_url;  // Binance: the user-data stream base ("…/ws"; the listen key is appended)

  friend bool operator==(const VenueConfig&, const VenueConfig&) = default;
};

// The venue id of its instruments: the upper-cased name ("binance" → "BINANCE", "BTCUSDT.BINANCE").
std::string effective_venue_id(const VenueConfig& venue);
// The account id a venue trades under (account_id, or the venue id + "-1").
std::string effective_account_id(const VenueConfig& venue);

// BTCUSDT 60000 (σ 0.6), ETHUSDT 3000 (σ 0.75), SOLUSDT 150 (σ 0.95).
std::vector<PaperInstrumentConfig> default_paper_instruments();

struct ServiceConfig {
  // [server]
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned io_threads = 2;
  std::size_t max_body_bytes = 1048576;
  std::vector<std::string> cors_origins;  // exact origins ("https://desk.example.com") or "*"; empty = same origin only
  std::string public_url;                 // printed at start; empty → "http://<host>:<port>"
  std::filesystem::path web_root = "web/dist";  // dashboard assets, served when <web_root>/index.html exists

  // [storage]
  std::filesystem::path data_dir = "var";
  std::string
      database_url;  // "postgresql://…" / "postgres://…" / "sqlite:<path>"; empty → sqlite file data_dir/ballast.db

  // [log]
  std::string log_format = "text";  // text | json
  std::string log_level = "info";   // trace | debug | info | warn | error | off

  // [auth]
  std::chrono::seconds access_token_ttl{900};
  std::chrono::seconds refresh_token_ttl{604800};  // > access_token_ttl
  int login_max_failures = 5;
  std::chrono::seconds login_window{300};  // failures counted over this window
  std::chrono::seconds login_lockout{300};
  std::filesystem::path token_secret_file;  // empty → data_dir/token.secret (created 0600 on first start)

  // [paper]
  std::string account_id = "PAPER-1";
  std::string currency = "USDT";
  core::Decimal starting_balance = core::Decimal::from_int(100000);
  std::string feed = "synthetic";  // synthetic | replay
  double speed = 1.0;              // market seconds per wall-clock second, > 0
  std::chrono::milliseconds bar_interval{1000};
  std::uint64_t seed = 42;
  std::vector<PaperInstrumentConfig> instruments = default_paper_instruments();
  double correlation = 0.7;                         // pairwise, in (-1, 1) and > -1/(n-1)
  std::vector<std::filesystem::path> replay_files;  // feed = replay: one CSV per instrument, same order
  std::string replay_bar_time = "start";            // start | end: which end of a bar the files' timestamps name
  std::size_t order_capacity = 1048576;  // orders the paper kernel's tables are sized for (KernelConfig)

  // [risk]
  std::optional<std::filesystem::path>
      risk_config_file;  // TOML or JSON (docs/risk/configuration.md); none → built-in defaults

  // [monitor]
  std::chrono::milliseconds snapshot_interval{10000};  // risk history snapshots

  // [websocket]
  std::size_t ws_max_queued_messages = 256;  // per client; a slower client is disconnected
  std::chrono::seconds ws_heartbeat{15};

  // [session] (the trading session manager: docs/api.md "Trading session")
  std::string session_mode = "paper";  // paper ("live" is refused: live accounts are [[venues]], docs/venues.md)
  bool session_autostart = true;       // false: every start begins STOPPED until POST /api/session/start

  // [backtest]
  std::filesystem::path backtest_data_dir;  // CSV files for API backtests are read only from here; empty = none
  std::size_t backtest_max_jobs_kept = 20;  // backtest jobs kept in memory (oldest finished dropped)

  // [[strategies]] (file only): strategies run on the paper desk; none by default
  std::vector<StrategyConfig> strategies;

  // [[venues]] (file only): live venue accounts; none by default
  std::vector<VenueConfig> venues;

  friend bool operator==(const ServiceConfig&, const ServiceConfig&) = default;
};

// Where the configuration comes from. `file` absent: defaults and environment only. A file given
// but missing is an error.
struct ConfigSource {
  std::optional<std::filesystem::path> file;
  std::vector<std::pair<std::string, std::string>> environment;  // name, value
};

// Defaults ← file ← environment, then the value checks; one Error listing every problem.
core::Result<ServiceConfig> load_service_config(const ConfigSource& source);
// Parses TOML text (no environment); `source` names it in messages ("ballast.toml").
core::Result<ServiceConfig> parse_service_config_toml(std::string_view text, std::string_view source);
// The value checks alone (for a config built in code); problems are named by key path.
core::Status validate(const ServiceConfig& config);

// The BALLAST_* variables of a process environment (envp as passed to main, or `environ`).
std::vector<std::pair<std::string, std::string>> environment_from(char** envp);

// A complete ballast.toml for `config` that load_service_config reads back equal.
std::string to_toml(const ServiceConfig& config);

// Derived values used by `ballast serve`.
std::string effective_public_url(const ServiceConfig& config);  // public_url or http://host:port
std::filesystem::path effective_token_secret_file(
    const ServiceConfig& config);                                 // token_secret_file or data_dir/token.secret
std::string effective_database_url(const ServiceConfig& config);  // database_url or "sqlite:" + data_dir/ballast.db

}  // namespace ballast::server
