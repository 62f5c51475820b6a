// Writing a ServiceConfig as ballast.toml, and the values `ballast serve` derives from it. The output
// sets every key, so it doubles as a dump of the effective configuration; load_service_config reads it
// back equal (decimals exactly, doubles through their shortest round-trip text).

#include "ballast/server/service_config.hpp"

#include "ballast/core/time.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

namespace ballast::server {
namespace {

std::string toml_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string toml_quoted_path(const std::filesystem::path& p) {
  return toml_quoted(p.string());
}

// Bare when the shortest text of the double reads back as the same decimal (what a person would write:
// 0.1, 60000); a string otherwise, which is read exactly.
std::string decimal(const core::Decimal& d) {
  const std::string exact = d.to_string_trimmed();
  if (exact.find('.') == std::string::npos) return exact;
  const auto back = core::Decimal::parse(fmt::format("{}", d.to_double()));
  return back && *back == d ? exact : toml_quoted(exact);
}

// Shortest round-trip text; TOML spells the non-finite values inf and nan (rejected on reading anyway).
std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

std::string duration(std::chrono::nanoseconds d) {
  return d.count() > 0 ? toml_quoted(core::format_duration(d)) : "\"0s\"";
}

template <class Range, class F>
std::string array(const Range& items, F&& each) {
  std::string out = "[";
  bool first = true;
  for (const auto& item : items) {
    out += first ? "" : ", ";
    out += each(item);
    first = false;
  }
  return out + "]";
}

}  // namespace

std::string to_toml(const ServiceConfig& c) {
  std::string out = "# Ballast service configuration (docs/configuration.md)\n";
  out += "\n[server]\n";
  out += fmt::format("host = {}\n", toml_quoted(c.host));
  out += fmt::format("port = {}\n", c.port);
  out += fmt::format("io_threads = {}\n", c.io_threads);
  out += fmt::format("max_body_bytes = {}\n", c.max_body_bytes);
  out += fmt::format("cors_origins = {}\n", array(c.cors_origins, [](const std::string& s) { return toml_quoted(s); }));
  out += fmt::format("public_url = {}\n", toml_quoted(c.public_url));
  out += fmt::format("web_root = {}\n", toml_quoted_path(c.web_root));

  out += "\n[storage]\n";
  out += fmt::format("data_dir = {}\n", toml_quoted_path(c.data_dir));
  out += fmt::format("database_url = {}\n", toml_quoted(c.database_url));

  out += "\n[log]\n";
  out += fmt::format("format = {}\n", toml_quoted(c.log_format));
  out += fmt::format("level = {}\n", toml_quoted(c.log_level));

  out += "\n[auth]\n";
  out += fmt::format("access_token_ttl = {}\n", duration(c.access_token_ttl));
  out += fmt::format("refresh_token_ttl = {}\n", duration(c.refresh_token_ttl));
  out += fmt::format("login_max_failures = {}\n", c.login_max_failures);
  out += fmt::format("login_window = {}\n", duration(c.login_window));
  out += fmt::format("login_lockout = {}\n", duration(c.login_lockout));
  out += fmt::format("token_secret_file = {}\n", toml_quoted_path(c.token_secret_file));

  out += "\n[paper]\n";
  out += fmt::format("account_id = {}\n", toml_quoted(c.account_id));
  out += fmt::format("currency = {}\n", toml_quoted(c.currency));
  out += fmt::format("starting_balance = {}\n", decimal(c.starting_balance));
  out += fmt::format("feed = {}\n", toml_quoted(c.feed));
  out += fmt::format("speed = {}\n", number(c.speed));
  out += fmt::format("bar_interval = {}\n", duration(c.bar_interval));
  // TOML integers are signed 64-bit; larger seeds are written as strings, which the reader accepts.
  out += c.seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? fmt::format("seed = {}\n", c.seed)
             : fmt::format("seed = \"{}\"\n", c.seed);
  out += fmt::format("correlation = {}\n", number(c.correlation));
  out += fmt::format("replay_files = {}\n",
                     array(c.replay_files, [](const std::filesystem::path& p) { return toml_quoted_path(p); }));
  out += fmt::format("replay_bar_time = {}\n", toml_quoted(c.replay_bar_time));
  out += fmt::format("order_capacity = {}\n", c.order_capacity);
  for (const PaperInstrumentConfig& in : c.instruments) {
    out += "\n[[paper.instruments]]\n";
    out += fmt::format("symbol = {}\n", toml_quoted(in.symbol));
    out += fmt::format("initial_price = {}\n", decimal(in.initial_price));
    out += fmt::format("annual_volatility = {}\n", number(in.annual_volatility));
    out += fmt::format("tick_size = {}\n", decimal(in.tick_size));
    out += fmt::format("lot_size = {}\n", decimal(in.lot_size));
    out += fmt::format("daily_volume = {}\n", number(in.daily_volume));
  }

  out += "\n[risk]\n";
  out += fmt::format("config_file = {}\n", c.risk_config_file ? toml_quoted_path(*c.risk_config_file) : "\"\"");

  out += "\n[monitor]\n";
  out += fmt::format("snapshot_interval = {}\n", duration(c.snapshot_interval));

  out += "\n[websocket]\n";
  out += fmt::format("max_queued_messages = {}\n", c.ws_max_queued_messages);
  out += fmt::format("heartbeat = {}\n", duration(c.ws_heartbeat));

  out += "\n[session]\n";
  out += fmt::format("mode = {}\n", toml_quoted(c.session_mode));
  out += fmt::format("autostart = {}\n", c.session_autostart ? "true" : "false");

  out += "\n[backtest]\n";
  out += fmt::format("data_dir = {}\n", toml_quoted_path(c.backtest_data_dir));
  out += fmt::format("max_jobs_kept = {}\n", c.backtest_max_jobs_kept);
  for (const StrategyConfig& st : c.strategies) {
    out += "\n[[strategies]]\n";
    out += fmt::format("id = {}\n", toml_quoted(st.id));
    out += fmt::format("strategy = {}\n", toml_quoted(st.strategy));
    out += fmt::format("symbol = {}\n", toml_quoted(st.symbol));
    out += fmt::format("notional = {}\n", decimal(st.notional));
    out += fmt::format("enabled = {}\n", st.enabled ? "true" : "false");
    std::string params;
    for (const auto& [name, value] : st.params) {
      params += fmt::format("{}{} = {}", params.empty() ? "" : ", ", toml_quoted(name), number(value));
    }
    out += fmt::format("params = {{{}}}\n", params.empty() ? "" : " " + params + " ");
  }
  for (const VenueConfig& v : c.venues) {
    out += "\n[[venues]]\n";
    out += fmt::format("name = {}\n", toml_quoted(v.name));
    out += fmt::format("kind = {}\n", toml_quoted(v.kind));
    out += fmt::format("network = {}\n", toml_quoted(v.network));
    if (!v.account_id.empty()) out += fmt::format("account_id = {}\n", toml_quoted(v.account_id));
    std::string symbols;
    for (const auto& symbol : v.symbols) symbols += (symbols.empty() ? "" : ", ") + toml_quoted(symbol);
    out += fmt::format("symbols = [{}]\n", symbols);
    out += fmt::format("enabled = {}\n", v.enabled ? "true" : "false");
    out += fmt::format("read_only = {}\n", v.read_only ? "true" : "false");
    const auto text = [&](std::string_view key, const std::string& value) {
      if (!value.empty()) out += fmt::format("{} = {}\n", key, toml_quoted(value));
    };
    text("api_key_env", v.api_key_env);
    text("api_key_file", v.api_key_file.string());
    text("api_secret_env", v.api_secret_env);
    text("api_secret_file", v.api_secret_file.string());
    text("private_key_env", v.private_key_env);
    text("private_key_file", v.private_key_file.string());
    text("account_address", v.account_address);
    if (v.dead_man_seconds != 0) out += fmt::format("dead_man_seconds = {}\n", v.dead_man_seconds);
    out += fmt::format("liquidation_check_seconds = {}\n", v.liquidation_check_seconds);
    out += fmt::format("liquidation_tolerance_bps = {}\n", v.liquidation_tolerance_bps);
    text("rest_url", v.rest_url);
    text("stream_url", v.stream_url);
    text("user_stream_url", v.user_stream_url);
  }
  return out;
}

std::string effective_venue_id(const VenueConfig& venue) {
  std::string id = venue.name;
  for (char& ch : id) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return id;
}

std::string effective_account_id(const VenueConfig& venue) {
  return venue.account_id.empty() ? effective_venue_id(venue) + "-1" : venue.account_id;
}

std::string effective_public_url(const ServiceConfig& config) {
  if (!config.public_url.empty()) return config.public_url;
  // An IPv6 literal needs brackets in a URL.
  const bool ipv6 = config.host.find(':') != std::string::npos;
  return ipv6 ? fmt::format("http://[{}]:{}", config.host, config.port)
              : fmt::format("http://{}:{}", config.host, config.port);
}

std::filesystem::path effective_token_secret_file(const ServiceConfig& config) {
  return config.token_secret_file.empty() ? config.data_dir / "token.secret" : config.token_secret_file;
}

std::string effective_database_url(const ServiceConfig& config) {
  return config.database_url.empty() ? "sqlite:" + (config.data_dir / "ballast.db").string() : config.database_url;
}

}  // namespace ballast::server
