// Reading ballast.toml and BALLAST_* variables into a ServiceConfig. One table of settings (kFields) drives
// both sources, so a key and its variable always accept the same values. Problems are collected, not
// thrown at the first one: each carries where it was found (file:line or the variable name) and the key
// path, and load_service_config returns them all in one Error. Writing (to_toml) and the derived values
// live in service_config_toml.cpp.

#include "ballast/server/service_config.hpp"

#include "ballast/core/time.hpp"
#include "ballast/server/internal/service_config_checks.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <variant>

namespace ballast::server {
namespace {

// --- problems ---------------------------------------------------------------------------------------

struct Issue {
  int group = 2;  // 0 = file (ordered by line), 1 = environment (in the given order), 2 = no place
  int line = 0;
  std::string where;  // "ballast.toml:12", "env BALLAST_SERVER_PORT" or ""
  std::string path;   // "server.port" or "" when the message names its subject
  std::string message;
  bool malformed = false;  // syntax/type problem rather than an out-of-range value
};

struct Origin {
  int group = 2;
  int line = 0;
  std::string where;
};

class Problems {
 public:
  void add(const Origin& at, std::string path, std::string message, bool malformed) {
    issues_.push_back({at.group, at.line, at.where, std::move(path), std::move(message), malformed});
  }
  bool mentions(std::string_view path) const {
    return std::any_of(issues_.begin(), issues_.end(), [&](const Issue& i) { return i.path == path; });
  }
  bool empty() const { return issues_.empty(); }

  core::Error to_error() && {
    std::stable_sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
      return a.group != b.group ? a.group < b.group : a.group == 0 && a.line < b.line;
    });
    const bool malformed = std::any_of(issues_.begin(), issues_.end(), [](const Issue& i) { return i.malformed; });
    const core::ErrorCode code = malformed ? core::ErrorCode::ParseError : core::ErrorCode::InvalidArgument;
    const auto what = [](const Issue& i) { return i.path.empty() ? i.message : i.path + ": " + i.message; };
    if (issues_.size() == 1) return core::Error(code, what(issues_.front()), issues_.front().where);
    std::string message = fmt::format("{} problems in the service configuration:", issues_.size());
    for (const Issue& i : issues_) {
      message += i.where.empty() ? fmt::format("\n  {}", what(i)) : fmt::format("\n  {}: {}", i.where, what(i));
    }
    return core::Error(code, std::move(message));
  }

 private:
  std::vector<Issue> issues_;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "unknown key; did you mean port?" when a known name is a likely typo, else the list of known names.
std::string unknown_message(std::string_view what, std::string_view name, const std::vector<std::string>& known) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : known) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty() && best_distance <= std::max<std::size_t>(2, best.size() / 4)) {
    return fmt::format("unknown {}; did you mean {}?", what, best);
  }
  std::string list;
  for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
  return fmt::format("unknown {}; expected one of {}", what, list);
}

// --- the settings -----------------------------------------------------------------------------------

enum class Kind {
  String,        // TOML string
  OptionalPath,  // TOML string; "" = none
  Integer,       // TOML integer within [min, max]
  Seed,          // TOML integer >= 0 or a string of digits (full uint64 range)
  Double,        // TOML float or integer
  Decimal,       // TOML integer, float (shortest text) or string
  Seconds,       // duration string, whole seconds
  Millis,        // duration string, whole milliseconds
  Bool,          // TOML boolean; "true"/"false" in the environment (held as integer 1/0)
  StringList,    // TOML array of strings; comma-separated in the environment
};

using Value = std::variant<std::string, std::int64_t, std::uint64_t, double, core::Decimal, core::Duration,
                           std::vector<std::string>>;

struct Field {
  std::string_view section;
  std::string_view key;
  Kind kind;
  std::int64_t min = 0;
  std::int64_t max = 0;
  void (*apply)(ServiceConfig&, const Value&) = nullptr;
};

const std::string& str(const Value& v) {
  return std::get<std::string>(v);
}
std::int64_t integer(const Value& v) {
  return std::get<std::int64_t>(v);
}
std::chrono::seconds secs(const Value& v) {
  return std::chrono::duration_cast<std::chrono::seconds>(std::get<core::Duration>(v));
}
std::chrono::milliseconds millis(const Value& v) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::get<core::Duration>(v));
}
const std::vector<std::string>& list(const Value& v) {
  return std::get<std::vector<std::string>>(v);
}

using internal::kMaxBodyBytes;
using internal::kMaxOrderCapacity;

const std::array<Field, 37> kFields{{
    {"server", "host", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.host = str(v); }},
    {"server", "port", Kind::Integer, 0, 65535,
     [](ServiceConfig& c, const Value& v) { c.port = static_cast<std::uint16_t>(integer(v)); }},
    {"server", "io_threads", Kind::Integer, 1, 256,
     [](ServiceConfig& c, const Value& v) { c.io_threads = static_cast<unsigned>(integer(v)); }},
    {"server", "max_body_bytes", Kind::Integer, 1024, kMaxBodyBytes,
     [](ServiceConfig& c, const Value& v) { c.max_body_bytes = static_cast<std::size_t>(integer(v)); }},
    {"server", "cors_origins", Kind::StringList, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.cors_origins = list(v); }},
    {"server", "public_url", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.public_url = str(v); }},
    {"server", "web_root", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.web_root = str(v); }},
    {"storage", "data_dir", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.data_dir = str(v); }},
    {"storage", "database_url", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.database_url = str(v); }},
    {"log", "format", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.log_format = str(v); }},
    {"log", "level", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.log_level = str(v); }},
    {"auth", "access_token_ttl", Kind::Seconds, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.access_token_ttl = secs(v); }},
    {"auth", "refresh_token_ttl", Kind::Seconds, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.refresh_token_ttl = secs(v); }},
    {"auth", "login_max_failures", Kind::Integer, 1, 1000000,
     [](ServiceConfig& c, const Value& v) { c.login_max_failures = static_cast<int>(integer(v)); }},
    {"auth", "login_window", Kind::Seconds, 0, 0, [](ServiceConfig& c, const Value& v) { c.login_window = secs(v); }},
    {"auth", "login_lockout", Kind::Seconds, 0, 0, [](ServiceConfig& c, const Value& v) { c.login_lockout = secs(v); }},
    {"auth", "token_secret_file", Kind::String, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.token_secret_file = str(v); }},
    {"paper", "account_id", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.account_id = str(v); }},
    {"paper", "currency", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.currency = str(v); }},
    {"paper", "starting_balance", Kind::Decimal, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.starting_balance = std::get<core::Decimal>(v); }},
    {"paper", "feed", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.feed = str(v); }},
    {"paper", "speed", Kind::Double, 0, 0, [](ServiceConfig& c, const Value& v) { c.speed = std::get<double>(v); }},
    {"paper", "bar_interval", Kind::Millis, 0, 0, [](ServiceConfig& c, const Value& v) { c.bar_interval = millis(v); }},
    {"paper", "seed", Kind::Seed, 0, 0, [](ServiceConfig& c, const Value& v) { c.seed = std::get<std::uint64_t>(v); }},
    {"paper", "correlation", Kind::Double, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.correlation = std::get<double>(v); }},
    {"paper", "replay_files", Kind::StringList, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.replay_files.assign(list(v).begin(), list(v).end()); }},
    {"paper", "replay_bar_time", Kind::String, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.replay_bar_time = str(v); }},
    {"paper", "order_capacity", Kind::Integer, 0, kMaxOrderCapacity,
     [](ServiceConfig& c, const Value& v) { c.order_capacity = static_cast<std::size_t>(integer(v)); }},
    {"risk", "config_file", Kind::OptionalPath, 0, 0,
     [](ServiceConfig& c, const Value& v) {
       c.risk_config_file = str(v).empty() ? std::nullopt : std::optional<std::filesystem::path>(str(v));
     }},
    {"monitor", "snapshot_interval", Kind::Millis, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.snapshot_interval = millis(v); }},
    {"websocket", "max_queued_messages", Kind::Integer, 1, 1000000,
     [](ServiceConfig& c, const Value& v) { c.ws_max_queued_messages = static_cast<std::size_t>(integer(v)); }},
    {"websocket", "heartbeat", Kind::Seconds, 0, 0, [](ServiceConfig& c, const Value& v) { c.ws_heartbeat = secs(v); }},
    {"backtest", "data_dir", Kind::String, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.backtest_data_dir = str(v); }},
    {"backtest", "max_jobs_kept", Kind::Integer, 1, 1000,
     [](ServiceConfig& c, const Value& v) { c.backtest_max_jobs_kept = static_cast<std::size_t>(integer(v)); }},
    {"session", "mode", Kind::String, 0, 0, [](ServiceConfig& c, const Value& v) { c.session_mode = str(v); }},
    {"session", "autostart", Kind::Bool, 0, 0,
     [](ServiceConfig& c, const Value& v) { c.session_autostart = integer(v) != 0; }},
    // Read by its own code (an array of tables); listed so the key is known and named in suggestions.
    {"paper", "instruments", Kind::String, 0, 0, nullptr},
}};

constexpr std::array<std::string_view, 10> kSections{"server", "storage", "log",     "auth",     "paper",
                                                    "risk",   "monitor", "websocket", "backtest",
                                                    "session"};
constexpr std::array<std::string_view, 6> kInstrumentKeys{"symbol",    "initial_price", "annual_volatility",
                                                          "tick_size", "lot_size",      "daily_volume"};

std::vector<std::string> keys_of(std::string_view section) {
  std::vector<std::string> out;
  for (const Field& f : kFields) {
    if (f.section == section) out.emplace_back(f.key);
  }
  return out;
}

const Field* find_field(std::string_view section, std::string_view key) {
  for (const Field& f : kFields) {
    if (f.section == section && f.key == key) return &f;
  }
  return nullptr;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string env_name(const Field& f) {
  return "BALLAST_" + upper(f.section) + "_" + upper(f.key);
}

// A value, or why it cannot be one.
struct Parsed {
  std::optional<Value> value;
  std::string error;
};

Parsed fail(std::string message) {
  return {std::nullopt, std::move(message)};
}

Parsed duration_from_text(const Field& f, std::string_view text) {
  auto d = core::parse_duration(text);
  if (!d)
    return fail(fmt::format("not a duration: '{}' (write e.g. \"250ms\", \"15s\", \"15m\", \"1h\", \"7d\")", text));
  if (f.kind == Kind::Seconds && d->count() % core::kNanosPerSecond != 0) {
    return fail(fmt::format("must be a whole number of seconds, got '{}'", text));
  }
  if (f.kind == Kind::Millis && d->count() % core::kNanosPerMilli != 0) {
    return fail(fmt::format("must be a whole number of milliseconds, got '{}'", text));
  }
  return {Value(*d), {}};
}

Parsed integer_in_range(const Field& f, std::int64_t v) {
  if (v < f.min || v > f.max) return fail(fmt::format("must be {}..{}, got {}", f.min, f.max, v));
  return {Value(v), {}};
}

Parsed seed_from_text(std::string_view text) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return fail(fmt::format("not an unsigned 64-bit integer: '{}'", text));
  }
  return {Value(v), {}};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An environment variable's text as the value of `f`.
Parsed from_env_text(const Field& f, std::string_view text) {
  switch (f.kind) {
    case Kind::String:
    case Kind::OptionalPath: return {Value(std::string(text)), {}};
    case Kind::Integer: {
      std::int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
        return fail(fmt::format("not an integer: '{}'", text));
      }
      return integer_in_range(f, v);
    }
    case Kind::Seed: return seed_from_text(text);
    case Kind::Double: {
      double v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
        return fail(fmt::format("not a number: '{}'", text));
      }
      return {Value(v), {}};
    }
    case Kind::Decimal: {
      auto d = core::Decimal::parse(text);
      if (!d) return fail(fmt::format("not a decimal number: '{}'", text));
      return {Value(*d), {}};
    }
    case Kind::Seconds:
    case Kind::Millis: return duration_from_text(f, text);
    case Kind::Bool:
      if (text == "true") return {Value(std::int64_t{1}), {}};
      if (text == "false") return {Value(std::int64_t{0}), {}};
      return fail(fmt::format("not true or false: '{}'", text));
    case Kind::StringList: {
      std::vector<std::string> items;
      std::size_t start = 0;
      while (start <= text.size() && !text.empty()) {
        const auto comma = text.find(',', start);
        const std::string_view item = trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      return {Value(std::move(items)), {}};
    }
  }
  return fail("unsupported setting");
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

Parsed expected(std::string_view what, const toml::node& node) {
  return fail(fmt::format("expected {}, got {}", what, type_name(node)));
}

Parsed decimal_from_node(const toml::node& node) {
  std::string text;
  if (const auto* i = node.as_integer()) {
    text = std::to_string(i->get());
  } else if (const auto* d = node.as_floating_point()) {
    if (!std::isfinite(d->get())) return fail(fmt::format("not a finite number: {}", d->get()));
    text = fmt::format("{}", d->get());  // shortest text that reads back as the same double
  } else if (const auto* s = node.as_string()) {
    text = s->get();
  } else {
    return expected("a decimal number (integer, float or string)", node);
  }
  auto value = core::Decimal::parse(text);
  if (!value) return fail(fmt::format("not a decimal number: '{}'", text));
  return {Value(*value), {}};
}

Parsed double_from_node(const toml::node& node) {
  if (const auto* i = node.as_integer()) return {Value(static_cast<double>(i->get())), {}};
  if (const auto* d = node.as_floating_point()) return {Value(d->get()), {}};
  return expected("a number", node);
}

// A TOML value as the value of `f`.
Parsed from_node(const Field& f, const toml::node& node) {
  switch (f.kind) {
    case Kind::String:
    case Kind::OptionalPath:
      if (const auto* s = node.as_string()) return {Value(s->get()), {}};
      return expected("a string", node);
    case Kind::Integer:
      if (const auto* i = node.as_integer()) return integer_in_range(f, i->get());
      return expected("an integer", node);
    case Kind::Seed:
      if (const auto* i = node.as_integer()) {
        if (i->get() < 0) return fail(fmt::format("must be >= 0, got {}", i->get()));
        return {Value(static_cast<std::uint64_t>(i->get())), {}};
      }
      if (const auto* s = node.as_string()) return seed_from_text(s->get());
      return expected("an integer", node);
    case Kind::Double: return double_from_node(node);
    case Kind::Decimal: return decimal_from_node(node);
    case Kind::Bool:
      if (const auto* b = node.as_boolean()) return {Value(std::int64_t{b->get() ? 1 : 0}), {}};
      return expected("true or false", node);
    case Kind::Seconds:
    case Kind::Millis:
      if (const auto* s = node.as_string()) return duration_from_text(f, s->get());
      return expected("a duration string with a unit (\"15s\", \"15m\", \"250ms\")", node);
    case Kind::StringList: {
      const auto* array = node.as_array();
      if (array == nullptr) return expected("an array of strings", node);
      std::vector<std::string> items;
      for (const toml::node& element : *array) {
        const auto* s = element.as_string();
        if (s == nullptr) return fail(fmt::format("expected an array of strings, found a {}", type_name(element)));
        items.push_back(s->get());
      }
      return {Value(std::move(items)), {}};
    }
  }
  return fail("unsupported setting");
}

// --- reading ----------------------------------------------------------------------------------------

class Reader {
 public:
  ServiceConfig config;
  Problems problems;
  std::map<std::string, Origin, std::less<>> origins;  // key path → where its value came from

  void file(const toml::table& root, std::string_view source) {
    source_ = std::string(source);
    for (const auto& [key, node] : root) {
      const std::string name(key.str());
      const Origin at = here(node, key.source());
      // [[strategies]] and [[venues]]: arrays of tables, not sections
      if (name == "strategies") {
        array_of_tables(name, node, at, config.strategies, [this](const std::string& p, const toml::table& t) { return strategy(p, t); });
        continue;
      }
      if (name == "venues") {
        array_of_tables(name, node, at, config.venues, [this](const std::string& p, const toml::table& t) { return venue(p, t); });
        continue;
      }
      if (std::find(kSections.begin(), kSections.end(), name) == kSections.end()) {
        std::vector<std::string> known(kSections.begin(), kSections.end());
        problems.add(at, name, unknown_message(node.is_table() ? "section" : "key", name, known), true);
        continue;
      }
      const auto* table = node.as_table();
      if (table == nullptr) {
        problems.add(at, name, fmt::format("expected a section (table), got {}", type_name(node)), true);
        continue;
      }
      section(name, *table);
    }
  }

  void environment(const std::vector<std::pair<std::string, std::string>>& variables) {
    for (const auto& [name, text] : variables) {
      if (!name.starts_with("BALLAST_")) continue;
      const std::string_view rest = std::string_view(name).substr(8);
      std::optional<std::string_view> section;
      for (std::string_view s : kSections) {
        const std::string prefix = upper(s) + "_";
        if (rest.starts_with(prefix) && rest.size() > prefix.size()) section = s;
      }
      if (!section) continue;  // not a configuration variable (BALLAST_SHARED_DATA, …)
      const Origin at{1, 0, "env " + name};
      std::string key(rest.substr(section->size() + 1));
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const Field* f = find_field(*section, key);
      if (f == nullptr) {
        std::vector<std::string> known;
        for (const Field& field : kFields) {
          if (field.section == *section && field.apply != nullptr) known.push_back(env_name(field));
        }
        problems.add(at, "", unknown_message("variable", name, known), true);
        continue;
      }
      if (f->apply == nullptr) {
        problems.add(at, "", fmt::format("{}.{} can only be set in the configuration file", f->section, f->key), true);
        continue;
      }
      const std::string path = fmt::format("{}.{}", f->section, f->key);
      Parsed parsed = from_env_text(*f, text);
      if (!parsed.value) {
        problems.add(at, "", std::move(parsed.error), true);
        continue;
      }
      f->apply(config, *parsed.value);
      origins[path] = at;
    }
  }

  // Value checks on the merged configuration, each placed where its value came from.
  void check() {
    std::vector<std::pair<std::string, std::string>> found;
    internal::collect_service_config_problems(config, found);
    for (auto& [path, message] : found) {
      if (problems.mentions(path)) continue;  // already reported while reading
      // A list the file never mentions is missing because of the feed it chose: point there.
      const bool blame_feed = path == "paper.replay_files" && !origins.contains(path) && origins.contains("paper.feed");
      problems.add(origin_of(blame_feed ? "paper.feed" : path), path, std::move(message), false);
    }
  }

 private:
  Origin here(const toml::node& node, const toml::source_region& fallback) const {
    int line = static_cast<int>(node.source().begin.line);
    if (line <= 0) line = static_cast<int>(fallback.begin.line);
    return Origin{0, line, line > 0 ? fmt::format("{}:{}", source_, line) : source_};
  }

  Origin origin_of(std::string_view path) const {
    // The value's own place, else the nearest enclosing one ("paper.instruments[1]" for a missing key).
    std::string p(path);
    for (;;) {
      if (const auto it = origins.find(p); it != origins.end()) return it->second;
      const auto cut = p.find_last_of(".[");
      if (cut == std::string::npos) return Origin{};
      p.resize(cut);
    }
  }

  void section(const std::string& name, const toml::table& table) {
    origins[name] = here(table, table.source());
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      const std::string path = name + "." + k;
      const Origin at = here(node, key.source());
      const Field* f = find_field(name, k);
      if (f == nullptr) {
        problems.add(at, path, unknown_message("key", k, keys_of(name)), true);
        continue;
      }
      origins[path] = at;
      if (f->apply == nullptr) {
        instruments(path, node, at);
        continue;
      }
      Parsed parsed = from_node(*f, node);
      if (!parsed.value) {
        problems.add(at, path, std::move(parsed.error), true);
        continue;
      }
      f->apply(config, *parsed.value);
    }
  }

  void instruments(const std::string& path, const toml::node& node, const Origin& at) {
    const auto* array = node.as_array();
    if (array == nullptr ||
        !std::all_of(array->begin(), array->end(), [](const toml::node& e) { return e.is_table(); })) {
      problems.add(at, path, "expected [[paper.instruments]] tables", true);
      return;
    }
    config.instruments.clear();
    std::size_t index = 0;
    for (const toml::node& element : *array) {
      const std::string item_path = fmt::format("{}[{}]", path, index++);
      origins[item_path] = here(element, element.source());
      config.instruments.push_back(instrument(item_path, *element.as_table()));
    }
  }

  PaperInstrumentConfig instrument(const std::string& path, const toml::table& table) {
    PaperInstrumentConfig out;
    std::set<std::string, std::less<>> seen;
    const std::vector<std::string> known(kInstrumentKeys.begin(), kInstrumentKeys.end());
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      const std::string key_path = path + "." + k;
      const Origin at = here(node, key.source());
      if (std::find(kInstrumentKeys.begin(), kInstrumentKeys.end(), k) == kInstrumentKeys.end()) {
        problems.add(at, key_path, unknown_message("key", k, known), true);
        continue;
      }
      seen.insert(k);
      origins[key_path] = at;
      Parsed parsed;
      if (k == "symbol") {
        parsed = node.as_string() ? Parsed{Value(node.as_string()->get()), {}} : expected("a string", node);
      } else if (k == "annual_volatility" || k == "daily_volume") {
        parsed = double_from_node(node);
      } else {
        parsed = decimal_from_node(node);
      }
      if (!parsed.value) {
        problems.add(at, key_path, std::move(parsed.error), true);
        continue;
      }
      if (k == "symbol")
        out.symbol = str(*parsed.value);
      else if (k == "initial_price")
        out.initial_price = std::get<core::Decimal>(*parsed.value);
      else if (k == "annual_volatility")
        out.annual_volatility = std::get<double>(*parsed.value);
      else if (k == "tick_size")
        out.tick_size = std::get<core::Decimal>(*parsed.value);
      else if (k == "lot_size")
        out.lot_size = std::get<core::Decimal>(*parsed.value);
      else
        out.daily_volume = std::get<double>(*parsed.value);
    }
    for (std::string_view required : {"symbol", "initial_price", "tick_size", "lot_size"}) {
      if (!seen.contains(required)) {
        problems.add(origin_of(path), fmt::format("{}.{}", path, required), "missing (required)", true);
      }
    }
    return out;
  }

  // [[path]]: every table read by `read(item_path, table)` into `out` ("strategies[2]"); the value checks
  // run with the others in collect_service_config_problems.
  template <class Entry, class Read>
  void array_of_tables(const std::string& path, const toml::node& node, const Origin& at, std::vector<Entry>& out,
                       Read read) {
    origins[path] = at;
    const auto* array = node.as_array();
    if (array == nullptr ||
        !std::all_of(array->begin(), array->end(), [](const toml::node& e) { return e.is_table(); })) {
      problems.add(at, path, fmt::format("expected [[{}]] tables", path), true);
      return;
    }
    std::size_t index = 0;
    for (const toml::node& element : *array) {
      const std::string item_path = fmt::format("{}[{}]", path, index++);
      origins[item_path] = here(element, element.source());
      out.push_back(read(item_path, *element.as_table()));
    }
  }

  // One [[strategies]] entry's keys (known strategy, paper symbol and parameters are value checks).
  StrategyConfig strategy(const std::string& path, const toml::table& table) {
    static constexpr std::array<std::string_view, 6> kKeys{"id", "strategy", "symbol", "params", "notional", "enabled"};
    const std::vector<std::string> known(kKeys.begin(), kKeys.end());
    StrategyConfig out;
    std::set<std::string, std::less<>> seen;
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      const std::string key_path = path + "." + k;
      const Origin at = here(node, key.source());
      if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
        problems.add(at, key_path, unknown_message("key", k, known), true);
        continue;
      }
      seen.insert(k);
      origins[key_path] = at;
      if (k == "id" || k == "strategy" || k == "symbol") {
        const auto* text = node.as_string();
        if (text == nullptr) {
          problems.add(at, key_path, expected("a string", node).error, true);
          continue;
        }
        (k == "id" ? out.id : k == "strategy" ? out.strategy : out.symbol) = text->get();
      } else if (k == "enabled") {
        const auto* flag = node.as_boolean();
        if (flag == nullptr) {
          problems.add(at, key_path, expected("true or false", node).error, true);
          continue;
        }
        out.enabled = flag->get();
      } else if (k == "notional") {
        Parsed parsed = decimal_from_node(node);
        if (!parsed.value) {
          problems.add(at, key_path, std::move(parsed.error), true);
          continue;
        }
        out.notional = std::get<core::Decimal>(*parsed.value);
      } else {
        const auto* params = node.as_table();
        if (params == nullptr) {
          problems.add(at, key_path, expected("a table of name = number (e.g. { fast = 10, slow = 30 })", node).error,
                       true);
          continue;
        }
        for (const auto& [name, value] : *params) {
          const std::string param_path = key_path + "." + std::string(name.str());
          const Origin value_at = here(value, name.source());
          origins[param_path] = value_at;
          if (const auto* flag = value.as_boolean()) {
            out.params[std::string(name.str())] = flag->get() ? 1.0 : 0.0;
            continue;
          }
          Parsed parsed = double_from_node(value);
          if (!parsed.value) {
            problems.add(value_at, param_path, std::move(parsed.error), true);
            continue;
          }
          out.params[std::string(name.str())] = std::get<double>(*parsed.value);
        }
      }
    }
    for (std::string_view required : {"id", "strategy", "symbol", "notional"}) {
      if (!seen.contains(required)) {
        problems.add(origin_of(path), fmt::format("{}.{}", path, required), "missing (required)", true);
      }
    }
    return out;
  }

  // One [[venues]] entry's keys.
  VenueConfig venue(const std::string& path, const toml::table& table) {
    // The last three are refused with a pointer to the *_env / *_file keys.
    static constexpr std::array<std::string_view, 23> kKeys{
        "name",           "kind",           "network",         "account_id",       "symbols",
        "enabled",        "read_only",      "api_key_env",     "api_key_file",     "api_secret_env",
        "api_secret_file", "private_key_env", "private_key_file", "account_address", "dead_man_seconds",
        "liquidation_check_seconds", "liquidation_tolerance_bps",
        "rest_url",       "stream_url",     "user_stream_url", "api_key",          "api_secret",
        "private_key"};
    const std::vector<std::string> known(kKeys.begin(), kKeys.end() - 3);
    VenueConfig out;
    std::set<std::string, std::less<>> seen;
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      const std::string key_path = path + "." + k;
      const Origin at = here(node, key.source());
      if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
        problems.add(at, key_path, unknown_message("key", k, known), true);
        continue;
      }
      if (k == "api_key" || k == "api_secret" || k == "private_key") {
        problems.add(at, key_path,
                     fmt::format("secrets are not read from ballast.toml: name the environment variable ({0}_env) or "
                                 "a file with mode 0600 ({0}_file)",
                                 k),
                     true);
        continue;
      }
      seen.insert(k);
      origins[key_path] = at;
      if (k == "enabled" || k == "read_only") {
        const auto* flag = node.as_boolean();
        if (flag == nullptr) {
          problems.add(at, key_path, expected("true or false", node).error, true);
          continue;
        }
        (k == "enabled" ? out.enabled : out.read_only) = flag->get();
      } else if (k == "dead_man_seconds" || k == "liquidation_check_seconds") {
        const auto* number = node.as_integer();
        if (number == nullptr || number->get() < 0 || number->get() > 86400) {
          problems.add(at, key_path, "expected an integer number of seconds, 0..86400", true);
          continue;
        }
        (k == "dead_man_seconds" ? out.dead_man_seconds : out.liquidation_check_seconds) =
            static_cast<std::uint32_t>(number->get());
      } else if (k == "liquidation_tolerance_bps") {
        const std::optional<double> bps = node.value<double>();
        if (!bps || !(*bps >= 0 && *bps <= 10000)) {
          problems.add(at, key_path, "expected a number of basis points, 0..10000", true);
          continue;
        }
        out.liquidation_tolerance_bps = *bps;
      } else if (k == "symbols") {
        const auto* array = node.as_array();
        if (array == nullptr) {
          problems.add(at, key_path, expected("an array of strings", node).error, true);
          continue;
        }
        for (const toml::node& element : *array) {
          if (const auto* text = element.as_string()) {
            out.symbols.push_back(text->get());
          } else {
            problems.add(at, key_path, fmt::format("expected an array of strings, found a {}", type_name(element)), true);
            break;
          }
        }
      } else {
        const auto* text = node.as_string();
        if (text == nullptr) {
          problems.add(at, key_path, expected("a string", node).error, true);
          continue;
        }
        std::string value = text->get();
        if (k == "name") out.name = std::move(value);
        else if (k == "kind") out.kind = std::move(value);
        else if (k == "network") out.network = std::move(value);
        else if (k == "account_id") out.account_id = std::move(value);
        else if (k == "api_key_env") out.api_key_env = std::move(value);
        else if (k == "api_key_file") out.api_key_file = value;
        else if (k == "api_secret_env") out.api_secret_env = std::move(value);
        else if (k == "api_secret_file") out.api_secret_file = value;
        else if (k == "private_key_env") out.private_key_env = std::move(value);
        else if (k == "private_key_file") out.private_key_file = value;
        else if (k == "account_address") out.account_address = std::move(value);
        else if (k == "rest_url") out.rest_url = std::move(value);
        else if (k == "user_stream_url") out.user_stream_url = std::move(value);
        else out.stream_url = std::move(value);
      }
    }
    for (std::string_view required : {"name", "kind", "symbols"}) {
      if (!seen.contains(required)) {
        problems.add(origin_of(path), fmt::format("{}.{}", path, required), "missing (required)", true);
      }
    }
    return out;
  }

  std::string source_;
};

core::Result<ServiceConfig> finish(Reader& reader) {
  reader.check();
  if (reader.problems.empty()) return std::move(reader.config);
  return std::move(reader.problems).to_error();
}

// Parses `text` into the reader; false when the text is not TOML at all (already reported).
bool read_toml(Reader& reader, std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const int line = static_cast<int>(error.source().begin.line);
    reader.problems.add(Origin{0, line, line > 0 ? fmt::format("{}:{}", source, line) : std::string(source)}, "",
                        std::string(error.description()), true);
    return false;
  }
  reader.file(root, source);
  return true;
}

}  // namespace

std::vector<PaperInstrumentConfig> default_paper_instruments() {
  // Round figures of late-2024 levels; volatilities are typical realised annual values of each coin.
  return {
      {"BTCUSDT", core::Decimal::from_int(60000), 0.60, core::Decimal::from_raw(1, 1), core::Decimal::from_raw(1, 3),
       20000},
      {"ETHUSDT", core::Decimal::from_int(3000), 0.75, core::Decimal::from_raw(1, 2), core::Decimal::from_raw(1, 3),
       300000},
      {"SOLUSDT", core::Decimal::from_int(150), 0.95, core::Decimal::from_raw(1, 2), core::Decimal::from_raw(1, 2),
       3000000},
  };
}

core::Result<ServiceConfig> parse_service_config_toml(std::string_view text, std::string_view source) {
  Reader reader;
  if (!read_toml(reader, text, source)) return std::move(reader.problems).to_error();
  return finish(reader);
}

core::Result<ServiceConfig> load_service_config(const ConfigSource& source) {
  Reader reader;
  bool file_ok = true;
  if (source.file) {
    std::ifstream in(*source.file, std::ios::binary);
    if (!in) {
      return core::Error(core::ErrorCode::IoError, "cannot open the configuration file", source.file->string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    file_ok = read_toml(reader, text.str(), source.file->string());
  }
  reader.environment(source.environment);
  if (!file_ok) return std::move(reader.problems).to_error();
  return finish(reader);
}

core::Status validate(const ServiceConfig& config) {
  Reader reader;
  reader.config = config;
  auto result = finish(reader);
  if (!result) return result.error();
  return core::ok();
}

std::vector<std::pair<std::string, std::string>> environment_from(char** envp) {
  std::vector<std::pair<std::string, std::string>> out;
  if (envp == nullptr) return out;
  for (char** p = envp; *p != nullptr; ++p) {
    const std::string_view entry(*p);
    if (!entry.starts_with("BALLAST_")) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

}  // namespace ballast::server
