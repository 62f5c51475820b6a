#pragma once
// Private to the risk module: the layout walk of a risk configuration file, written once for TOML and
// JSON. A reader parses what it can into a RiskConfig, remembers where each key path sits in the text
// and collects every structure problem (wrong type, unknown key, bad number); finish() then runs the
// value checks of validate(), places each problem in the text and reports them all in one Error.
//
// `Node` adapts one parsed value of either format:
//   std::string_view type_name() const;                 "table", "string", "integer", …
//   int line() const;                                   1-based line of the value, 0 when unknown
//   bool is_table() const; bool is_array() const;
//   std::optional<bool> boolean() const;
//   std::optional<std::int64_t> integer() const;        integers only
//   std::optional<std::string> number_text() const;     any number, as decimal text (exact for JSON)
//   std::optional<double> floating() const;             any number
//   std::optional<std::string> text() const;            strings
//   void for_each_entry(F f) const;                     tables: f(std::string_view key, const Node&, int key_line)
//   void for_each_element(F f) const;                   arrays: f(const Node&)

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/time.hpp"
#include "ballast/risk/circuit_breaker_config.hpp"
#include "ballast/risk/risk_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballast::risk::internal {

struct ConfigIssue {
  std::string path;  // dotted key path ("circuit_breakers[1].threshold"); "" for the whole document
  std::string message;
  int line = 0;  // 1-based; 0 = unknown
};

enum class PathStyle {
  Dotted,       // TOML: "risk.toml:12: limits.max_order_notional: …"
  JsonPointer,  // JSON: "risk.json: /limits/max_order_notional: …"
};

class ConfigReadState {
 public:
  RiskConfig config;

  // Remembers where `path` is in the text (ignored when line is 0).
  void locate(const std::string& path, int line);
  // A syntax or layout problem (the error code becomes ParseError).
  void malformed(std::string path, std::string message, int line = 0);

  // Runs the value checks (skipping paths the reader already reported), places every issue and
  // returns the configuration or one Error listing every issue.
  core::Result<RiskConfig> finish(std::string_view source, PathStyle style) &&;

 private:
  int line_of(std::string_view path) const;

  std::map<std::string, int, std::less<>> lines_;
  std::vector<ConfigIssue> issues_;
};

// A key as it appears in a dotted path: bare when it is [A-Za-z0-9_-]+, quoted otherwise.
std::string path_key(std::string_view key);
// "circuit_breakers[1].sessions[0].start" → "/circuit_breakers/1/sessions/0/start" (RFC 6901 escapes).
std::string json_pointer(std::string_view dotted_path);
// "expected a number, got string".
std::string expected_type(std::string_view expected, std::string_view got);
// "unknown key; did you mean max_order_notional?" or "unknown key; expected one of a, b, c".
std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known);

// Durations as written in files: parse_duration's forms plus "0s"/"0" (zero) and a leading '-'.
core::Result<core::Duration> parse_config_duration(std::string_view text);
// "HH:MM" (00:00 … 24:00) → minutes after midnight.
core::Result<std::int32_t> parse_clock_minute(std::string_view text);
std::string format_clock_minute(std::int32_t minute);
// A float from a TOML document as a decimal: its shortest round-trip text, so 0.1 is exactly 0.1.
core::Result<core::Decimal> decimal_from_double(double v);

inline constexpr std::array<std::string_view, 7> kWeekdayNames{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

inline constexpr std::array<std::string_view, 11> kTopLevelKeys{"reduce_quantity_to_fit",
                                                                "check_margin",
                                                                "warning_utilisation",
                                                                "margin_call_ratio",
                                                                "limits",
                                                                "account",
                                                                "portfolio_var",
                                                                "volatility_scaling",
                                                                "behaviour",
                                                                "symbols",
                                                                "circuit_breakers"};
inline constexpr std::array<std::string_view, 7> kInstrumentLimitKeys{
    "max_order_quantity",    "max_order_notional", "price_collar_bps", "max_position_quantity",
    "max_position_notional", "max_concentration",  "max_open_orders"};
inline constexpr std::array<std::string_view, 10> kAccountKeys{
    "max_gross_exposure",    "max_net_exposure", "max_leverage",       "max_open_orders_total", "max_orders_per_second",
    "max_orders_per_minute", "daily_loss_limit", "max_trades_per_day", "max_trades_per_hour",   "trading_hours"};
inline constexpr std::array<std::string_view, 10> kSymbolKeys{"instrument",
                                                             "tradable",
                                                             "max_order_quantity",
                                                             "max_order_notional",
                                                             "price_collar_bps",
                                                             "max_position_quantity",
                                                             "max_position_notional",
                                                             "max_concentration",
                                                             "max_open_orders",
                                                             "trading_hours"};
inline constexpr std::array<std::string_view, 4> kVarKeys{"enabled", "max_var", "confidence", "horizon_days"};
inline constexpr std::array<std::string_view, 5> kScalingKeys{"enabled", "low", "normal", "high", "extreme"};
inline constexpr std::array<std::string_view, 8> kBehaviourKeys{
    "loss_streak",       "loss_streak_cooldown", "block_size_increase_after_loss", "revenge_window",
    "revenge_tolerance", "order_rate_warning",   "order_rate_warning_factor",      "order_rate_warning_min"};
inline constexpr std::array<std::string_view, 14> kBreakerKeys{"name",
                                                               "condition",
                                                               "scope",
                                                               "instrument",
                                                               "enabled",
                                                               "threshold",
                                                               "window",
                                                               "baseline_window",
                                                               "min_samples",
                                                               "sessions",
                                                               "action",
                                                               "cooldown",
                                                               "block_trading_during_cooldown",
                                                               "reset"};
inline constexpr std::array<std::string_view, 2> kLimitTableKeys{"enabled", "value"};
inline constexpr std::array<std::string_view, 3> kSessionKeys{"start", "end", "days"};

// The scope a breaker gets when the file names none: INSTRUMENT for the conditions that only make sense
// per instrument or when an instrument is named, ACCOUNT otherwise.
BreakerScope inferred_scope(BreakerCondition condition, bool has_instrument);

template <class Node>
class ConfigWalker {
 public:
  explicit ConfigWalker(ConfigReadState& state) : state_(state) {}

  void document(const Node& root) {
    if (!root.is_table()) {
      state_.malformed("", expected_type("a table (object) of risk settings", root.type_name()), root.line());
      return;
    }
    RiskConfig& c = state_.config;
    entries(root, "", kTopLevelKeys, [&](std::string_view key, const Node& v, const std::string& path, int line) {
      if (key == "reduce_quantity_to_fit")
        read_bool(v, path, line, c.reduce_quantity_to_fit);
      else if (key == "check_margin")
        read_bool(v, path, line, c.check_margin);
      else if (key == "warning_utilisation")
        read_decimal(v, path, line, c.warning_utilisation);
      else if (key == "margin_call_ratio")
        read_decimal(v, path, line, c.margin_call_ratio);
      else if (key == "limits")
        limits(v, path, line);
      else if (key == "account")
        account(v, path, line);
      else if (key == "portfolio_var")
        portfolio_var(v, path, line);
      else if (key == "volatility_scaling")
        volatility_scaling(v, path, line);
      else if (key == "behaviour")
        behaviour(v, path, line);
      else if (key == "symbols")
        symbols(v, path, line);
      else if (key == "circuit_breakers")
        circuit_breakers(v, path, line);
    });
  }

 private:
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? path_key(key) : path + "." + path_key(key);
  }

  static bool contains(std::span<const std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }

  // Walks a table: duplicate and unknown keys are reported here, known ones go to on_key(key, value,
  // path, line).
  template <class F>
  void entries(const Node& table, const std::string& path, std::span<const std::string_view> known, F&& on_key) {
    std::set<std::string, std::less<>> seen;
    table.for_each_entry([&](std::string_view key, const Node& value, int key_line) {
      const std::string field = join(path, key);
      const int line = value.line() > 0 ? value.line() : key_line;
      if (!seen.insert(std::string(key)).second) {
        state_.malformed(field, "duplicate key", key_line > 0 ? key_line : line);
        return;
      }
      if (!contains(known, key)) {
        state_.malformed(field, misplaced_or_unknown(path, key, known), key_line > 0 ? key_line : line);
        return;
      }
      state_.locate(field, line);
      on_key(key, value, field, line);
    });
  }

  static std::string misplaced_or_unknown(const std::string& path, std::string_view key,
                                          std::span<const std::string_view> known) {
    if (path.empty()) {
      if (contains(kInstrumentLimitKeys, key))
        return fmt::format("unknown top-level key; {} belongs in the limits table", key);
      if (contains(kAccountKeys, key))
        return fmt::format("unknown top-level key; {} belongs in the account table", key);
    }
    return unknown_key_message(key, known);
  }

  bool require_table(const Node& v, const std::string& path, int line, std::string_view what) {
    if (v.is_table()) return true;
    state_.malformed(path, expected_type(what, v.type_name()), line);
    return false;
  }

  void read_bool(const Node& v, const std::string& path, int line, bool& out) {
    if (auto b = v.boolean()) {
      out = *b;
    } else {
      state_.malformed(path, expected_type("true or false", v.type_name()), line);
    }
  }

  bool read_decimal(const Node& v, const std::string& path, int line, core::Decimal& out) {
    std::optional<std::string> literal = v.number_text();
    if (!literal) literal = v.text();
    if (!literal) {
      state_.malformed(path, expected_type("a number or a decimal string", v.type_name()), line);
      return false;
    }
    auto d = core::Decimal::parse(*literal);
    if (!d) {
      state_.malformed(path, d.error().message(), line);
      return false;
    }
    out = *d;
    return true;
  }

  bool read_integer(const Node& v, const std::string& path, int line, std::int64_t& out) {
    if (auto i = v.integer()) {
      out = *i;
      return true;
    }
    state_.malformed(path, expected_type("an integer", v.type_name()), line);
    return false;
  }

  void read_double(const Node& v, const std::string& path, int line, double& out) {
    if (auto d = v.floating()) {
      out = *d;
    } else {
      state_.malformed(path, expected_type("a number", v.type_name()), line);
    }
  }

  void read_duration(const Node& v, const std::string& path, int line, core::Duration& out) {
    const auto text = v.text();
    if (!text) {
      state_.malformed(path, expected_type("a duration string such as \"30m\"", v.type_name()), line);
      return;
    }
    auto d = parse_config_duration(*text);
    if (d) {
      out = *d;
    } else {
      state_.malformed(path, d.error().message(), line);
    }
  }

  template <class E>
  bool read_enum(const Node& v, const std::string& path, int line, E& out) {
    const auto text = v.text();
    if (!text) {
      state_.malformed(path, expected_type("a string code", v.type_name()), line);
      return false;
    }
    auto e = parse_breaker_enum<E>(*text);
    if (!e) {
      state_.malformed(path, e.error().message(), line);
      return false;
    }
    out = *e;
    return true;
  }

  bool read_instrument(const Node& v, const std::string& path, int line, core::InstrumentId& out) {
    const auto text = v.text();
    if (!text) {
      state_.malformed(path, expected_type("an instrument id string (SYMBOL.VENUE)", v.type_name()), line);
      return false;
    }
    auto id = core::InstrumentId::parse(*text);
    if (!id) {
      state_.malformed(path, id.error().message(), line);
      return false;
    }
    out = *id;
    return true;
  }

  // A limit: a bare value (enabled), `false` (disabled) or a table { enabled, value } whose `enabled`
  // defaults to true. `read_value` reads one value node into the limit's value type.
  template <class Limit, class ReadValue>
  void read_limit(const Node& v, const std::string& path, int line, Limit& out, ReadValue&& read_value) {
    if (v.is_table()) {
      Limit l = out;
      bool has_enabled = false;
      entries(v, path, kLimitTableKeys, [&](std::string_view key, const Node& f, const std::string& fpath, int fline) {
        if (key == "enabled") {
          has_enabled = true;
          read_bool(f, fpath, fline, l.enabled);
        } else {
          read_value(f, fpath, fline, l.value);
        }
      });
      if (!has_enabled) l.enabled = true;
      out = l;
      return;
    }
    if (auto b = v.boolean()) {
      if (*b) {
        state_.malformed(
            path, "true has no value; write the value itself (= 10000) or { enabled = true, value = 10000 }", line);
      } else {
        out = Limit{};
      }
      return;
    }
    if (v.is_array()) {
      state_.malformed(path, expected_type("a limit (a value, false, or a table { enabled, value })", v.type_name()),
                       line);
      return;
    }
    if (read_value(v, path, line, out.value)) out.enabled = true;
  }

  void decimal_limit(const Node& v, const std::string& path, int line, DecimalLimit& out) {
    read_limit(v, path, line, out, [&](const Node& n, const std::string& p, int l, core::Decimal& value) {
      return read_decimal(n, p, l, value);
    });
  }

  void count_limit(const Node& v, const std::string& path, int line, CountLimit& out) {
    read_limit(v, path, line, out, [&](const Node& n, const std::string& p, int l, std::int64_t& value) {
      return read_integer(n, p, l, value);
    });
  }

  void limits(const Node& v, const std::string& path, int line) {
    if (!require_table(v, path, line, "a table of per-instrument limits")) return;
    InstrumentLimits& l = state_.config.instrument;
    entries(v, path, kInstrumentLimitKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "max_open_orders") {
        count_limit(f, p, fl, l.max_open_orders);
      } else {
        decimal_limit(f, p, fl, *instrument_limit(l, key));
      }
    });
  }

  static DecimalLimit* instrument_limit(InstrumentLimits& l, std::string_view key) {
    if (key == "max_order_quantity") return &l.max_order_quantity;
    if (key == "max_order_notional") return &l.max_order_notional;
    if (key == "price_collar_bps") return &l.price_collar_bps;
    if (key == "max_position_quantity") return &l.max_position_quantity;
    if (key == "max_position_notional") return &l.max_position_notional;
    return &l.max_concentration;
  }

  void account(const Node& v, const std::string& path, int line) {
    if (!require_table(v, path, line, "a table of account limits")) return;
    RiskConfig& c = state_.config;
    entries(v, path, kAccountKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "max_gross_exposure")
        decimal_limit(f, p, fl, c.max_gross_exposure);
      else if (key == "max_net_exposure")
        decimal_limit(f, p, fl, c.max_net_exposure);
      else if (key == "max_leverage")
        decimal_limit(f, p, fl, c.max_leverage);
      else if (key == "daily_loss_limit")
        decimal_limit(f, p, fl, c.daily_loss_limit);
      else if (key == "max_open_orders_total")
        count_limit(f, p, fl, c.max_open_orders_total);
      else if (key == "max_orders_per_second")
        count_limit(f, p, fl, c.max_orders_per_second);
      else if (key == "max_orders_per_minute")
        count_limit(f, p, fl, c.max_orders_per_minute);
      else if (key == "max_trades_per_day")
        count_limit(f, p, fl, c.max_trades_per_day);
      else if (key == "trading_hours")
        sessions(f, p, fl, c.trading_hours);
      else
        count_limit(f, p, fl, c.max_trades_per_hour);
    });
  }

  void portfolio_var(const Node& v, const std::string& path, int line) {
    if (!require_table(v, path, line, "a table { enabled, max_var, confidence, horizon_days }")) return;
    VarLimit& var = state_.config.portfolio_var;
    entries(v, path, kVarKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "enabled")
        read_bool(f, p, fl, var.enabled);
      else if (key == "max_var")
        read_decimal(f, p, fl, var.max_var);
      else if (key == "confidence")
        read_double(f, p, fl, var.confidence);
      else
        read_double(f, p, fl, var.horizon_days);
    });
  }

  void volatility_scaling(const Node& v, const std::string& path, int line) {
    if (!require_table(v, path, line, "a table { enabled, low, normal, high, extreme }")) return;
    VolatilityScaling& s = state_.config.volatility_scaling;
    entries(v, path, kScalingKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "enabled")
        read_bool(f, p, fl, s.enabled);
      else if (key == "low")
        read_decimal(f, p, fl, s.low);
      else if (key == "normal")
        read_decimal(f, p, fl, s.normal);
      else if (key == "high")
        read_decimal(f, p, fl, s.high);
      else
        read_decimal(f, p, fl, s.extreme);
    });
  }

  void behaviour(const Node& v, const std::string& path, int line) {
    if (!require_table(v, path, line, "a table of behaviour controls")) return;
    BehaviourConfig& b = state_.config.behaviour;
    entries(v, path, kBehaviourKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "loss_streak")
        count_limit(f, p, fl, b.loss_streak);
      else if (key == "loss_streak_cooldown")
        read_duration(f, p, fl, b.loss_streak_cooldown);
      else if (key == "block_size_increase_after_loss")
        read_bool(f, p, fl, b.block_size_increase_after_loss);
      else if (key == "revenge_window")
        read_duration(f, p, fl, b.revenge_window);
      else if (key == "revenge_tolerance")
        read_decimal(f, p, fl, b.revenge_tolerance);
      else if (key == "order_rate_warning")
        read_bool(f, p, fl, b.order_rate_warning);
      else if (key == "order_rate_warning_factor")
        read_decimal(f, p, fl, b.order_rate_warning_factor);
      else
        read_integer(f, p, fl, b.order_rate_warning_min);
    });
  }

  template <class F>
  void array_of_tables(const Node& v, const std::string& path, int line, std::string_view what, F&& on_element) {
    if (!v.is_array()) {
      state_.malformed(path, expected_type(fmt::format("an array of {} tables", what), v.type_name()), line);
      return;
    }
    std::size_t index = 0;
    v.for_each_element([&](const Node& element) {
      const std::string element_path = fmt::format("{}[{}]", path, index++);
      const int element_line = element.line() > 0 ? element.line() : line;
      state_.locate(element_path, element_line);
      if (!element.is_table()) {
        state_.malformed(element_path, expected_type(fmt::format("a {} table", what), element.type_name()),
                         element_line);
      }
      on_element(element, element_path, element_line);
    });
  }

  void symbols(const Node& v, const std::string& path, int line) {
    array_of_tables(v, path, line, "symbol", [&](const Node& element, const std::string& p, int el) {
      SymbolRiskConfig s;
      if (element.is_table()) {
        bool has_instrument = false;
        entries(element, p, kSymbolKeys, [&](std::string_view key, const Node& f, const std::string& fp, int fl) {
          if (key == "instrument") {
            has_instrument = true;
            read_instrument(f, fp, fl, s.instrument_id);
          } else if (key == "tradable") {
            read_bool(f, fp, fl, s.tradable);
          } else if (key == "max_open_orders") {
            count_limit(f, fp, fl, s.max_open_orders.emplace());
          } else if (key == "trading_hours") {
            sessions(f, fp, fl, s.trading_hours.emplace());
          } else {
            decimal_limit(f, fp, fl, symbol_limit(s, key).emplace());
          }
        });
        if (!has_instrument)
          state_.malformed(p + ".instrument", "missing; every symbol override names its instrument", el);
      }
      // Non-tables keep a placeholder so later entries keep their index in the checks' paths.
      state_.config.symbols.push_back(std::move(s));
    });
  }

  static std::optional<DecimalLimit>& symbol_limit(SymbolRiskConfig& s, std::string_view key) {
    if (key == "max_order_quantity") return s.max_order_quantity;
    if (key == "max_order_notional") return s.max_order_notional;
    if (key == "price_collar_bps") return s.price_collar_bps;
    if (key == "max_position_quantity") return s.max_position_quantity;
    if (key == "max_position_notional") return s.max_position_notional;
    return s.max_concentration;
  }

  void sessions(const Node& v, const std::string& path, int line, std::vector<TradingSession>& out) {
    out.clear();
    array_of_tables(v, path, line, "session", [&](const Node& element, const std::string& p, int) {
      TradingSession s;
      if (element.is_table()) {
        entries(element, p, kSessionKeys, [&](std::string_view key, const Node& f, const std::string& fp, int fl) {
          if (key == "days") {
            weekdays(f, fp, fl, s.weekdays);
            return;
          }
          const auto text = f.text();
          if (!text) {
            state_.malformed(fp, expected_type("a time \"HH:MM\" (UTC)", f.type_name()), fl);
            return;
          }
          auto minute = parse_clock_minute(*text);
          if (!minute) {
            state_.malformed(fp, minute.error().message(), fl);
          } else {
            (key == "start" ? s.start_minute : s.end_minute) = *minute;
          }
        });
      }
      out.push_back(s);
    });
  }

  void weekdays(const Node& v, const std::string& path, int line, std::uint8_t& out) {
    if (!v.is_array()) {
      state_.malformed(path, expected_type("an array of weekdays such as [\"MON\", \"TUE\"]", v.type_name()), line);
      return;
    }
    std::uint8_t bits = 0;
    std::size_t index = 0;
    v.for_each_element([&](const Node& day) {
      const std::string day_path = fmt::format("{}[{}]", path, index++);
      const int day_line = day.line() > 0 ? day.line() : line;
      const auto text = day.text();
      const auto* it = text ? std::find(kWeekdayNames.begin(), kWeekdayNames.end(), *text) : kWeekdayNames.end();
      if (it == kWeekdayNames.end()) {
        state_.malformed(day_path,
                         text ? fmt::format("'{}' is not a weekday; use MON, TUE, WED, THU, FRI, SAT or SUN", *text)
                              : expected_type("a weekday string", day.type_name()),
                         day_line);
        return;
      }
      bits = static_cast<std::uint8_t>(bits | (1u << (it - kWeekdayNames.begin())));
    });
    out = bits;
  }

  void circuit_breakers(const Node& v, const std::string& path, int line) {
    // An explicit list replaces the defaults, so an empty list means no breakers.
    state_.config.circuit_breakers.clear();
    array_of_tables(v, path, line, "circuit breaker", [&](const Node& element, const std::string& p, int el) {
      CircuitBreakerConfig b;
      if (element.is_table()) breaker(element, p, el, b);
      state_.config.circuit_breakers.push_back(std::move(b));
    });
  }

  void breaker(const Node& v, const std::string& path, int line, CircuitBreakerConfig& b) {
    bool has_name = false;
    bool has_condition = false;
    bool has_scope = false;
    entries(v, path, kBreakerKeys, [&](std::string_view key, const Node& f, const std::string& p, int fl) {
      if (key == "name") {
        has_name = true;
        if (auto text = f.text()) {
          b.name = *text;
        } else {
          state_.malformed(p, expected_type("a string", f.type_name()), fl);
        }
      } else if (key == "condition") {
        has_condition = true;
        read_enum(f, p, fl, b.condition);
      } else if (key == "scope") {
        has_scope = true;
        read_enum(f, p, fl, b.scope);
      } else if (key == "instrument") {
        read_instrument(f, p, fl, b.instrument_id.emplace());
      } else if (key == "enabled") {
        read_bool(f, p, fl, b.enabled);
      } else if (key == "threshold") {
        read_decimal(f, p, fl, b.threshold);
      } else if (key == "window") {
        read_duration(f, p, fl, b.window);
      } else if (key == "baseline_window") {
        read_duration(f, p, fl, b.baseline_window);
      } else if (key == "min_samples") {
        read_integer(f, p, fl, b.min_samples);
      } else if (key == "sessions") {
        sessions(f, p, fl, b.sessions);
      } else if (key == "action") {
        read_enum(f, p, fl, b.action);
      } else if (key == "cooldown") {
        read_duration(f, p, fl, b.cooldown);
      } else if (key == "block_trading_during_cooldown") {
        read_bool(f, p, fl, b.block_trading_during_cooldown);
      } else {
        read_enum(f, p, fl, b.reset);
      }
    });
    if (!has_name) state_.malformed(path + ".name", "missing; every circuit breaker needs a unique name", line);
    if (!has_condition) {
      state_.malformed(path + ".condition",
                       "missing; one of ACCOUNT_DRAWDOWN, POSITION_DRAWDOWN, DAILY_LOSS, VOLATILITY_SPIKE, RAPID_MOVE, "
                       "LOSS_STREAK, REJECT_RATE, TRADING_HOURS",
                       line);
    }
    if (!has_scope) b.scope = inferred_scope(b.condition, b.instrument_id.has_value());
  }

  ConfigReadState& state_;
};

}  // namespace ballast::risk::internal

namespace ballast::risk::internal {

// The configuration as a format-neutral tree, written out by to_toml and to_json.
struct OutValue {
  enum class Kind {
    Boolean,  // scalar "true" / "false"
    Number,   // scalar: an integer or float literal
    Decimal,  // scalar: an exact decimal literal ("0.1"); TOML quotes it when a double would not round-trip
    String,   // scalar: the unescaped text
    Table,
    Array,
  };
  Kind kind{Kind::Table};
  std::string scalar{};
  std::vector<std::pair<std::string, OutValue>> members{};
  std::vector<OutValue> elements{};
};

OutValue config_tree(const RiskConfig& config);

}  // namespace ballast::risk::internal
