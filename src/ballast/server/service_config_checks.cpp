// The value checks of a ServiceConfig (ranges, allowed words, cross-key rules). They run on the merged
// configuration, so a value is checked the same way whether it came from the defaults, the file or the
// environment; the reader places each problem where its value came from.

#include "ballast/server/internal/service_config_checks.hpp"

#include "ballast/core/time.hpp"
#include "ballast/strategy/technical_strategies.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>

namespace ballast::server::internal {
namespace {

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string quoted_list(std::initializer_list<std::string_view> allowed) {
  std::string out;
  for (std::string_view a : allowed) out += (out.empty() ? "\"" : ", \"") + std::string(a) + "\"";
  return out;
}

bool is_http_url(std::string_view url) {
  const std::string_view rest = url.starts_with("http://")    ? url.substr(7)
                                : url.starts_with("https://") ? url.substr(8)
                                                              : std::string_view{};
  return !rest.empty() && rest.front() != '/' && rest.find_first_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

void collect_service_config_problems(const ServiceConfig& c, std::vector<std::pair<std::string, std::string>>& out) {
  const auto add = [&](std::string path, std::string message) {
    out.emplace_back(std::move(path), std::move(message));
  };
  const auto positive = [&](std::string path, auto duration) {
    if (duration.count() <= 0) add(std::move(path), "must be a positive duration");
  };

  // [server]
  if (c.host.empty() || c.host.find_first_of(" \t/") != std::string::npos) {
    add("server.host", fmt::format("must be a host name or IP address, got '{}'", c.host));
  }
  if (c.io_threads < 1 || c.io_threads > 256)
    add("server.io_threads", fmt::format("must be 1..256, got {}", c.io_threads));
  if (c.max_body_bytes < 1024 || c.max_body_bytes > static_cast<std::size_t>(kMaxBodyBytes)) {
    add("server.max_body_bytes", fmt::format("must be 1024..{}, got {}", kMaxBodyBytes, c.max_body_bytes));
  }
  for (std::size_t i = 0; i < c.cors_origins.size(); ++i) {
    const std::string& o = c.cors_origins[i];
    if (o != "*" && (!is_http_url(o) || o.back() == '/')) {
      add(fmt::format("server.cors_origins[{}]", i),
          fmt::format("must be \"*\" or an origin such as \"https://desk.example.com\" (no path), got '{}'", o));
    }
  }
  if (!c.public_url.empty() && !is_http_url(c.public_url)) {
    add("server.public_url", fmt::format("must be an http:// or https:// URL, got '{}'", c.public_url));
  }
  // [storage]
  if (c.data_dir.empty()) add("storage.data_dir", "must not be empty");
  if (!c.database_url.empty() && !c.database_url.starts_with("postgresql://") &&
      !c.database_url.starts_with("postgres://") && !c.database_url.starts_with("sqlite:")) {
    add("storage.database_url",
        fmt::format("must start with postgresql://, postgres:// or sqlite:, got '{}'", c.database_url));
  }
  // [log]
  if (!one_of(c.log_format, {"text", "json"})) {
    add("log.format", fmt::format("must be one of {}, got '{}'", quoted_list({"text", "json"}), c.log_format));
  }
  if (!one_of(c.log_level, {"trace", "debug", "info", "warn", "error", "critical", "off"})) {
    add("log.level",
        fmt::format("must be one of {}, got '{}'",
                    quoted_list({"trace", "debug", "info", "warn", "error", "critical", "off"}), c.log_level));
  }
  // [auth]
  positive("auth.access_token_ttl", c.access_token_ttl);
  positive("auth.refresh_token_ttl", c.refresh_token_ttl);
  if (c.access_token_ttl.count() > 0 && c.refresh_token_ttl <= c.access_token_ttl) {
    add("auth.refresh_token_ttl",
        fmt::format("must be longer than auth.access_token_ttl ({}), got {}", core::format_duration(c.access_token_ttl),
                    core::format_duration(c.refresh_token_ttl)));
  }
  if (c.login_max_failures < 1)
    add("auth.login_max_failures", fmt::format("must be >= 1, got {}", c.login_max_failures));
  positive("auth.login_window", c.login_window);
  positive("auth.login_lockout", c.login_lockout);
  // [paper]
  if (c.account_id.empty() || c.account_id.size() > 64 ||
      c.account_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
          std::string::npos) {
    add("paper.account_id", fmt::format("must be 1..64 characters of A-Z a-z 0-9 _ . -, got '{}'", c.account_id));
  }
  if (c.currency.size() < 2 || c.currency.size() > 12 ||
      c.currency.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != std::string::npos) {
    add("paper.currency", fmt::format("must be 2..12 upper-case letters or digits, got '{}'", c.currency));
  }
  if (!c.starting_balance.is_positive()) {
    add("paper.starting_balance", fmt::format("must be > 0, got {}", c.starting_balance.to_string_trimmed()));
  }
  if (!one_of(c.feed, {"synthetic", "replay"})) {
    add("paper.feed", fmt::format("must be one of {}, got '{}'", quoted_list({"synthetic", "replay"}), c.feed));
  }
  if (!one_of(c.replay_bar_time, {"start", "end"})) {
    add("paper.replay_bar_time",
        fmt::format("must be one of {}, got '{}'", quoted_list({"start", "end"}), c.replay_bar_time));
  }
  if (!std::isfinite(c.speed) || c.speed <= 0) add("paper.speed", fmt::format("must be > 0, got {}", c.speed));
  if (c.order_capacity > static_cast<std::size_t>(kMaxOrderCapacity)) {
    add("paper.order_capacity", fmt::format("must be 0..{}, got {}", kMaxOrderCapacity, c.order_capacity));
  }
  positive("paper.bar_interval", c.bar_interval);
  if (c.instruments.empty()) add("paper.instruments", "needs at least one instrument");
  std::set<std::string, std::less<>> symbols;
  for (std::size_t i = 0; i < c.instruments.size(); ++i) {
    const PaperInstrumentConfig& in = c.instruments[i];
    const std::string p = fmt::format("paper.instruments[{}]", i);
    if (in.symbol.empty() ||
        in.symbol.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != std::string::npos) {
      add(p + ".symbol", fmt::format("must be upper-case letters, digits, _ - or ., got '{}'", in.symbol));
    } else if (!symbols.insert(in.symbol).second) {
      add(p + ".symbol", fmt::format("'{}' is listed twice", in.symbol));
    }
    if (!in.initial_price.is_positive()) {
      add(p + ".initial_price", fmt::format("must be > 0, got {}", in.initial_price.to_string_trimmed()));
    }
    if (!in.tick_size.is_positive()) {
      add(p + ".tick_size", fmt::format("must be > 0, got {}", in.tick_size.to_string_trimmed()));
    } else if (in.initial_price.is_positive() && !in.initial_price.is_multiple_of(in.tick_size)) {
      add(p + ".initial_price", fmt::format("must be a multiple of tick_size {}, got {}",
                                            in.tick_size.to_string_trimmed(), in.initial_price.to_string_trimmed()));
    }
    if (!in.lot_size.is_positive())
      add(p + ".lot_size", fmt::format("must be > 0, got {}", in.lot_size.to_string_trimmed()));
    if (!std::isfinite(in.annual_volatility) || in.annual_volatility < 0 || in.annual_volatility > 5) {
      add(p + ".annual_volatility", fmt::format("must be 0..5 (500% a year), got {}", in.annual_volatility));
    }
    if (!std::isfinite(in.daily_volume) || in.daily_volume < 0) {
      add(p + ".daily_volume", fmt::format("must be >= 0, got {}", in.daily_volume));
    }
  }
  if (!std::isfinite(c.correlation) || c.correlation <= -1 || c.correlation >= 1) {
    add("paper.correlation", fmt::format("must be strictly between -1 and 1, got {}", c.correlation));
  } else if (c.instruments.size() >= 2) {
    // An equicorrelation matrix of n instruments is positive definite only for ρ > −1/(n−1).
    const double floor = -1.0 / static_cast<double>(c.instruments.size() - 1);
    if (c.correlation <= floor) {
      add("paper.correlation",
          fmt::format("must be > {:.4g} with {} instruments (else no valid correlation matrix), got {}", floor,
                      c.instruments.size(), c.correlation));
    }
  }
  if (c.feed == "replay" && c.replay_files.size() != c.instruments.size()) {
    add("paper.replay_files", fmt::format("feed = \"replay\" needs one CSV file per instrument ({}), got {}",
                                          c.instruments.size(), c.replay_files.size()));
  }
  for (std::size_t i = 0; i < c.replay_files.size(); ++i) {
    if (c.replay_files[i].empty()) add(fmt::format("paper.replay_files[{}]", i), "must not be empty");
  }
  // [risk]
  if (c.risk_config_file && c.risk_config_file->empty()) add("risk.config_file", "must not be empty");
  // [monitor]
  positive("monitor.snapshot_interval", c.snapshot_interval);
  // [websocket]
  if (c.ws_max_queued_messages < 1 || c.ws_max_queued_messages > 1000000) {
    add("websocket.max_queued_messages", fmt::format("must be 1..1000000, got {}", c.ws_max_queued_messages));
  }
  positive("websocket.heartbeat", c.ws_heartbeat);
  // [session]
  if (c.session_mode == "live") {
    add("session.mode",
        "\"live\" is not available: the session manager runs the paper desk; live venue accounts are "
        "configured as [[venues]] and run next to it with their own risk engines (docs/venues.md); use \"paper\"");
  } else if (c.session_mode != "paper") {
    add("session.mode", fmt::format("must be \"paper\" or \"live\", got '{}'", c.session_mode));
  }
  // [backtest]
  if (c.backtest_max_jobs_kept < 1 || c.backtest_max_jobs_kept > 1000) {
    add("backtest.max_jobs_kept", fmt::format("must be 1..1000, got {}", c.backtest_max_jobs_kept));
  }
  // [[strategies]]
  std::set<std::string, std::less<>> strategy_ids;
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    const StrategyConfig& s = c.strategies[i];
    const std::string p = fmt::format("strategies[{}]", i);
    if (s.id.empty() || s.id.size() > 64 ||
        s.id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
      add(p + ".id", fmt::format("must be 1..64 characters of A-Z a-z 0-9 _ -, got '{}'", s.id));
    } else if (!strategy_ids.insert(s.id).second) {
      add(p + ".id", fmt::format("'{}' is used by another strategy", s.id));
    }
    const bool listed = std::any_of(c.instruments.begin(), c.instruments.end(),
                                    [&](const PaperInstrumentConfig& in) { return in.symbol == s.symbol; });
    if (!listed) {
      std::string symbols_known;
      for (const auto& in : c.instruments) symbols_known += (symbols_known.empty() ? "" : ", ") + in.symbol;
      add(p + ".symbol", fmt::format("'{}' is not a paper instrument; known: {}", s.symbol, symbols_known));
    }
    if (!s.notional.is_positive()) {
      add(p + ".notional", fmt::format("must be > 0, got {}", s.notional.to_string_trimmed()));
    }
    // The strategy's own checks (name, parameter names and ranges, consistency such as fast < slow).
    std::vector<std::string> assignments;
    for (const auto& [name, value] : s.params) assignments.push_back(fmt::format("{}={}", name, value));
    const auto made = strategy::create_strategy(s.strategy, core::InstrumentId(listed ? s.symbol : "X", core::VenueId("PAPER")),
                                                assignments);
    if (!made) {
      const std::string& where = made.error().where();
      add(where == "strategy" || where.empty() ? p + ".strategy" : p + ".params." + where, made.error().message());
    }
  }
  // [[venues]]
  std::set<std::string, std::less<>> venue_names;
  std::set<std::string, std::less<>> accounts{c.account_id};
  for (std::size_t i = 0; i < c.venues.size(); ++i) {
    const VenueConfig& v = c.venues[i];
    const std::string p = fmt::format("venues[{}]", i);
    if (v.name.empty() || v.name.size() > 32 ||
        v.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
      add(p + ".name", fmt::format("must be 1..32 characters of a-z 0-9 _ -, got '{}'", v.name));
    } else if (v.name == "paper" || !venue_names.insert(v.name).second) {
      add(p + ".name", fmt::format("'{}' is used by another venue", v.name));
    }
    const bool binance = v.kind == "binance_futures";
    const bool hyperliquid = v.kind == "hyperliquid";
    if (!binance && !hyperliquid) {
      add(p + ".kind", fmt::format("must be \"binance_futures\" or \"hyperliquid\", got '{}'", v.kind));
    }
    if (v.network != "testnet" && v.network != "mainnet") {
      add(p + ".network", fmt::format("must be \"testnet\" or \"mainnet\", got '{}'", v.network));
    }
    if (!accounts.insert(effective_account_id(v)).second) {
      add(p + ".account_id", fmt::format("'{}' is already the account of the paper desk or another venue",
                                         effective_account_id(v)));
    }
    if (v.symbols.empty()) add(p + ".symbols", "must list at least one instrument");
    std::set<std::string, std::less<>> listed_symbols;
    for (const auto& symbol : v.symbols) {
      if (symbol.empty() || symbol.find_first_of(" .\t") != std::string::npos) {
        add(p + ".symbols", fmt::format("'{}' is not a symbol", symbol));
      } else if (!listed_symbols.insert(symbol).second) {
        add(p + ".symbols", fmt::format("'{}' is listed twice", symbol));
      }
    }
    const auto one_source = [&](const std::string& env, const std::filesystem::path& file, std::string_view what) {
      if (!env.empty() && !file.empty()) {
        add(fmt::format("{}.{}_env", p, what), fmt::format("give {0}_env or {0}_file, not both", what));
      } else if (env.empty() && file.empty()) {
        add(fmt::format("{}.{}_env", p, what), fmt::format("missing: {0}_env or {0}_file names where the secret is", what));
      }
    };
    if (binance) {
      one_source(v.api_key_env, v.api_key_file, "api_key");
      one_source(v.api_secret_env, v.api_secret_file, "api_secret");
      if (!v.private_key_env.empty() || !v.private_key_file.empty() || !v.account_address.empty() ||
          v.dead_man_seconds != 0) {
        add(p + ".kind", "private_key_*, account_address and dead_man_seconds are Hyperliquid settings");
      }
    }
    if (hyperliquid) {
      one_source(v.private_key_env, v.private_key_file, "private_key");
      if (!v.api_key_env.empty() || !v.api_key_file.empty() || !v.api_secret_env.empty() || !v.api_secret_file.empty()) {
        add(p + ".kind", "api_key_* and api_secret_* are Binance settings; Hyperliquid signs with private_key_*");
      }
      const std::string& a = v.account_address;
      if (!a.empty() && (a.size() != 42 || !a.starts_with("0x") ||
                         a.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos)) {
        add(p + ".account_address", fmt::format("must be 0x followed by 40 hex digits, got '{}'", a));
      }
      if (v.dead_man_seconds != 0 && v.dead_man_seconds < 5) {
        add(p + ".dead_man_seconds", fmt::format("must be 0 (off) or at least 5, got {}", v.dead_man_seconds));
      }
    }
    if (hyperliquid && !v.user_stream_url.empty()) {
      add(p + ".user_stream_url", "a Binance setting: Hyperliquid's user events come over stream_url");
    }
    for (const auto& [key, url] : {std::pair{"rest_url", v.rest_url}, std::pair{"stream_url", v.stream_url},
                                   std::pair{"user_stream_url", v.user_stream_url}}) {
      if (url.empty()) continue;
      const bool web = url.starts_with("http://") || url.starts_with("https://");
      const bool socket = url.starts_with("ws://") || url.starts_with("wss://");
      if ((std::string_view(key) == "rest_url" && !web) || (std::string_view(key) != "rest_url" && !socket)) {
        add(fmt::format("{}.{}", p, key), fmt::format("'{}' is not an {} URL", url,
                                                      std::string_view(key) == "rest_url" ? "http(s)://" : "ws(s)://"));
      }
    }
  }
}

}  // namespace ballast::server::internal
