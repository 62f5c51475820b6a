#include "ballast/risk/risk_config.hpp"

#include "ballast/risk/internal/risk_config_checks.hpp"
#include "ballast/risk/internal/risk_config_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace ballast::risk {
namespace {

using core::Decimal;

// Valid ranges (docs/risk/configuration.md lists them with the keys).
const Decimal kMaxPriceCollarBps = Decimal::from_int(10'000);  // 100 % of the reference price
const Decimal kMaxConcentration = Decimal::from_int(10);       // 10 × equity in one instrument
const Decimal kMaxLeverage = Decimal::from_int(1'000);

class Checker {
 public:
  explicit Checker(std::vector<std::string>& errors) : errors_(errors) {}

  void fail(std::string_view path, std::string_view message) {
    errors_.push_back(fmt::format("{}: {}", path, message));
  }

  // An enabled limit needs a value in (0, max] (no upper bound when max is nullopt).
  void limit(const DecimalLimit& l, std::string_view path, std::optional<Decimal> max = std::nullopt) {
    if (!l.enabled) return;
    const std::string at = fmt::format("{}.value", path);
    if (!l.value.is_positive()) {
      fail(at, fmt::format("must be > 0 when the limit is enabled, got {}", l.value.to_string_trimmed()));
    } else if (max && l.value > *max) {
      fail(at, fmt::format("must be <= {}, got {}", max->to_string_trimmed(), l.value.to_string_trimmed()));
    }
  }

  void limit(const CountLimit& l, std::string_view path) {
    if (l.enabled && l.value < 1) {
      fail(fmt::format("{}.value", path), fmt::format("must be >= 1 when the limit is enabled, got {}", l.value));
    }
  }

  // A fraction in (0, 1].
  void fraction(const Decimal& v, std::string_view path) {
    if (!v.is_positive() || v > Decimal::from_int(1)) {
      fail(path, fmt::format("must be in (0, 1], got {}", v.to_string_trimmed()));
    }
  }

  void instrument_limits(const InstrumentLimits& l, std::string_view path) {
    limit(l.max_order_quantity, fmt::format("{}.max_order_quantity", path));
    limit(l.max_order_notional, fmt::format("{}.max_order_notional", path));
    limit(l.price_collar_bps, fmt::format("{}.price_collar_bps", path), kMaxPriceCollarBps);
    limit(l.max_position_quantity, fmt::format("{}.max_position_quantity", path));
    limit(l.max_position_notional, fmt::format("{}.max_position_notional", path));
    limit(l.max_concentration, fmt::format("{}.max_concentration", path), kMaxConcentration);
    limit(l.max_open_orders, fmt::format("{}.max_open_orders", path));
  }

  template <class Limit>
  void override_limit(const std::optional<Limit>& l, std::string_view path, std::optional<Decimal> max = std::nullopt) {
    if (!l) return;
    if constexpr (std::is_same_v<Limit, DecimalLimit>) {
      limit(*l, path, max);
    } else {
      limit(*l, path);
    }
  }

 private:
  std::vector<std::string>& errors_;
};

// A trading-hours window: start 00:00..23:59, end 00:00..24:00 and different from start (an end before
// the start runs past midnight; "00:00" and "24:00" as an end both mean midnight), some weekday.
void check_hours(const std::vector<TradingSession>& hours, const std::string& path, Checker& check) {
  constexpr std::int32_t kMinutesPerDay = 24 * 60;
  for (std::size_t i = 0; i < hours.size(); ++i) {
    const TradingSession& s = hours[i];
    const std::string at = fmt::format("{}[{}]", path, i);
    if (s.start_minute < 0 || s.start_minute >= kMinutesPerDay) {
      check.fail(at + ".start", fmt::format("must be within 00:00..23:59 (24:00 is an end only), got {}",
                                            internal::format_clock_minute(s.start_minute)));
    }
    if (s.end_minute < 0 || s.end_minute > kMinutesPerDay) {
      check.fail(at + ".end", fmt::format("must be within 00:00..24:00, got {}",
                                          internal::format_clock_minute(s.end_minute)));
    } else if (s.start_minute == s.end_minute) {
      check.fail(at + ".end", "must differ from start (an empty window; use 00:00..24:00 for the whole day)");
    }
    if (s.weekdays == 0 || s.weekdays > 0x7f) check.fail(at + ".days", "must name at least one weekday (MON..SUN)");
  }
}

void check_account(const RiskConfig& c, Checker& check) {
  check.limit(c.max_gross_exposure, "account.max_gross_exposure");
  check.limit(c.max_net_exposure, "account.max_net_exposure");
  check.limit(c.max_leverage, "account.max_leverage", kMaxLeverage);
  check.limit(c.max_open_orders_total, "account.max_open_orders_total");
  check.limit(c.max_orders_per_second, "account.max_orders_per_second");
  check.limit(c.max_orders_per_minute, "account.max_orders_per_minute");
  check.limit(c.daily_loss_limit, "account.daily_loss_limit");
  check.limit(c.max_trades_per_day, "account.max_trades_per_day");
  check.limit(c.max_trades_per_hour, "account.max_trades_per_hour");
  check_hours(c.trading_hours, "account.trading_hours", check);
}

void check_var(const VarLimit& v, Checker& check) {
  if (v.enabled && !v.max_var.is_positive()) {
    check.fail("portfolio_var.max_var",
               fmt::format("must be > 0 when the limit is enabled, got {}", v.max_var.to_string_trimmed()));
  }
  if (!(v.confidence > 0.5 && v.confidence < 1.0)) {
    check.fail("portfolio_var.confidence", fmt::format("must be in (0.5, 1), got {}", v.confidence));
  }
  if (!(v.horizon_days > 0.0) || !std::isfinite(v.horizon_days)) {
    check.fail("portfolio_var.horizon_days", fmt::format("must be > 0, got {}", v.horizon_days));
  }
}

void check_scaling(const VolatilityScaling& s, Checker& check) {
  check.fraction(s.low, "volatility_scaling.low");
  check.fraction(s.normal, "volatility_scaling.normal");
  check.fraction(s.high, "volatility_scaling.high");
  check.fraction(s.extreme, "volatility_scaling.extreme");
}

void check_behaviour(const BehaviourConfig& b, Checker& check) {
  check.limit(b.loss_streak, "behaviour.loss_streak");
  if (b.loss_streak_cooldown < core::Duration::zero()) check.fail("behaviour.loss_streak_cooldown", "must be >= 0");
  if (b.revenge_window < core::Duration::zero() ||
      (b.block_size_increase_after_loss && b.revenge_window == core::Duration::zero())) {
    check.fail("behaviour.revenge_window", b.block_size_increase_after_loss
                                               ? "must be > 0 when block_size_increase_after_loss is on"
                                               : "must be >= 0");
  }
  if (b.revenge_tolerance.is_negative()) {
    check.fail("behaviour.revenge_tolerance",
               fmt::format("must be >= 0 (a fraction), got {}", b.revenge_tolerance.to_string_trimmed()));
  }
  if (b.order_rate_warning_factor < Decimal::from_int(1)) {
    check.fail("behaviour.order_rate_warning_factor",
               fmt::format("must be >= 1, got {}", b.order_rate_warning_factor.to_string_trimmed()));
  }
  if (b.order_rate_warning_min < 1) {
    check.fail("behaviour.order_rate_warning_min", fmt::format("must be >= 1, got {}", b.order_rate_warning_min));
  }
}

void check_symbols(const std::vector<SymbolRiskConfig>& symbols, Checker& check) {
  std::map<std::string, std::size_t, std::less<>> first_seen;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const SymbolRiskConfig& s = symbols[i];
    const std::string path = fmt::format("symbols[{}]", i);
    if (s.instrument_id.empty()) {
      check.fail(path + ".instrument", "must be set (SYMBOL.VENUE, e.g. BTCUSDT.BINANCE)");
    } else if (auto [it, inserted] = first_seen.emplace(s.instrument_id.value(), i); !inserted) {
      check.fail(path + ".instrument",
                 fmt::format("duplicate override for {} (first at symbols[{}])", s.instrument_id.value(), it->second));
    }
    check.override_limit(s.max_order_quantity, path + ".max_order_quantity");
    check.override_limit(s.max_order_notional, path + ".max_order_notional");
    check.override_limit(s.price_collar_bps, path + ".price_collar_bps", kMaxPriceCollarBps);
    check.override_limit(s.max_position_quantity, path + ".max_position_quantity");
    check.override_limit(s.max_position_notional, path + ".max_position_notional");
    check.override_limit(s.max_concentration, path + ".max_concentration", kMaxConcentration);
    check.override_limit(s.max_open_orders, path + ".max_open_orders");
    if (s.trading_hours) check_hours(*s.trading_hours, path + ".trading_hours", check);
  }
}

void check_breakers(const std::vector<CircuitBreakerConfig>& breakers, std::vector<std::string>& errors) {
  std::map<std::string, std::size_t, std::less<>> first_seen;
  for (std::size_t i = 0; i < breakers.size(); ++i) {
    const std::string path = fmt::format("circuit_breakers[{}]", i);
    collect_breaker_errors(breakers[i], path, errors);
    if (breakers[i].name.empty()) continue;
    if (auto [it, inserted] = first_seen.emplace(breakers[i].name, i); !inserted) {
      errors.push_back(fmt::format("{}.name: duplicate name '{}' (first at circuit_breakers[{}])", path,
                                   breakers[i].name, it->second));
    }
  }
}

bool has_extension(const std::filesystem::path& path, std::string_view ext) {
  std::string actual = path.extension().string();
  for (char& c : actual) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return actual == ext;
}

}  // namespace

namespace internal {

void collect_config_errors(const RiskConfig& config, std::vector<std::string>& errors) {
  Checker check(errors);
  check.fraction(config.warning_utilisation, "warning_utilisation");
  check.fraction(config.margin_call_ratio, "margin_call_ratio");
  check.instrument_limits(config.instrument, "limits");
  check_account(config, check);
  check_var(config.portfolio_var, check);
  check_scaling(config.volatility_scaling, check);
  check_behaviour(config.behaviour, check);
  check_symbols(config.symbols, check);
  check_breakers(config.circuit_breakers, errors);
}

void ConfigReadState::locate(const std::string& path, int line) {
  if (line > 0) lines_.insert_or_assign(path, line);
}

void ConfigReadState::malformed(std::string path, std::string message, int line) {
  issues_.push_back({std::move(path), std::move(message), line});
}

int ConfigReadState::line_of(std::string_view path) const {
  // Walk outward: circuit_breakers[2].sessions[0].start → circuit_breakers[2].sessions[0] → … → circuit_breakers.
  while (!path.empty()) {
    if (auto it = lines_.find(path); it != lines_.end()) return it->second;
    const auto cut = path.find_last_of(".[");
    if (cut == std::string_view::npos) break;
    path = path.substr(0, cut);
  }
  return 0;
}

core::Result<RiskConfig> ConfigReadState::finish(std::string_view source, PathStyle style) && {
  std::vector<ConfigIssue> issues = std::move(issues_);
  const bool malformed = !issues.empty();
  // A value the reader could not take is already reported; the value checks would only repeat it
  // ("must be > 0" after "expected a number"), so they are dropped for that path, inside it and around it.
  const auto within = [](std::string_view inner, std::string_view outer) {
    if (!inner.starts_with(outer)) return false;
    return outer.empty() || inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[';
  };
  const std::size_t reader_issues = issues.size();
  std::vector<std::string> checks;
  collect_config_errors(config, checks);
  for (const std::string& check : checks) {
    const auto colon = check.find(": ");
    std::string path = check.substr(0, colon);
    const auto end = issues.begin() + static_cast<std::ptrdiff_t>(reader_issues);
    if (std::any_of(issues.begin(), end,
                    [&](const ConfigIssue& seen) { return within(seen.path, path) || within(path, seen.path); })) {
      continue;
    }
    const int line = line_of(path);
    issues.push_back({std::move(path), check.substr(colon + 2), line});
  }
  if (issues.empty()) return std::move(config);

  if (style == PathStyle::Dotted) {
    // By line; issues without a line (defaults the file never mentions) last.
    std::stable_sort(issues.begin(), issues.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
      const auto key = [](const ConfigIssue& i) { return i.line > 0 ? i.line : std::numeric_limits<int>::max(); };
      return key(a) < key(b);
    });
  }
  const auto where = [&](const ConfigIssue& issue) {
    if (issue.line <= 0) return std::string(source);
    return source.empty() ? fmt::format("line {}", issue.line) : fmt::format("{}:{}", source, issue.line);
  };
  const auto what = [&](const ConfigIssue& issue) {
    const std::string path = style == PathStyle::JsonPointer ? json_pointer(issue.path) : issue.path;
    return path.empty() ? issue.message : fmt::format("{}: {}", path, issue.message);
  };
  const core::ErrorCode code = malformed ? core::ErrorCode::ParseError : core::ErrorCode::InvalidArgument;
  if (issues.size() == 1) return core::Error(code, what(issues.front()), where(issues.front()));
  std::string message = fmt::format("{} problems:", issues.size());
  for (const ConfigIssue& issue : issues) {
    const std::string at = where(issue);
    message += at.empty() ? fmt::format("\n  {}", what(issue)) : fmt::format("\n  {}: {}", at, what(issue));
  }
  return core::Error(code, std::move(message), std::string(source));
}

std::string path_key(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (bare) return std::string(key);
  std::string quoted = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string json_pointer(std::string_view path) {
  std::string out;
  const auto append_token = [&](std::string_view token) {
    out += '/';
    for (char c : token) {
      if (c == '~')
        out += "~0";
      else if (c == '/')
        out += "~1";
      else
        out += c;
    }
  };
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
    } else if (path[i] == '[') {
      const auto close = path.find(']', i);
      const std::size_t stop = close == std::string_view::npos ? path.size() : close;
      append_token(path.substr(i + 1, stop - i - 1));
      i = stop + 1;
    } else if (path[i] == '"') {
      std::string key;
      ++i;
      while (i < path.size() && path[i] != '"') {
        if (path[i] == '\\' && i + 1 < path.size()) ++i;
        key += path[i++];
      }
      ++i;  // closing quote
      append_token(key);
    } else {
      const auto stop = path.find_first_of(".[", i);
      const std::size_t end = stop == std::string_view::npos ? path.size() : stop;
      append_token(path.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

std::string expected_type(std::string_view expected, std::string_view got) {
  return fmt::format("expected {}, got {}", expected, got);
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : known) {
    const std::size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // Close enough to be a typo: two edits, or a quarter of the name for long names.
  if (!best.empty() && best_distance <= std::max<std::size_t>(2, best.size() / 4)) {
    return fmt::format("unknown key; did you mean {}?", best);
  }
  std::string list;
  for (std::string_view candidate : known) {
    if (!list.empty()) list += ", ";
    list += candidate;
  }
  return fmt::format("unknown key; expected one of {}", list);
}

core::Result<core::Duration> parse_config_duration(std::string_view text) {
  if (text.starts_with('-')) {
    auto positive = parse_config_duration(text.substr(1));
    if (!positive) return positive.error();
    return -*positive;
  }
  // parse_duration takes positive counts only; zero is a valid cool-down.
  const auto digits_end = text.find_first_not_of('0');
  if (!text.empty() && text.front() == '0' &&
      (digits_end == std::string_view::npos || text[digits_end] < '0' || text[digits_end] > '9')) {
    if (digits_end == std::string_view::npos) return core::Duration::zero();
    auto unit = core::parse_duration(fmt::format("1{}", text.substr(digits_end)));
    if (!unit)
      return core::Error(core::ErrorCode::ParseError, fmt::format("invalid duration '{}': unknown unit", text));
    return core::Duration::zero();
  }
  return core::parse_duration(text);
}

core::Result<std::int32_t> parse_clock_minute(std::string_view text) {
  const auto bad = [&] {
    return core::Error(core::ErrorCode::ParseError,
                       fmt::format("invalid time '{}': expected HH:MM (UTC), 00:00 to 24:00", text));
  };
  if (text.size() != 5 || text[2] != ':') return bad();
  int hours = 0;
  int minutes = 0;
  if (std::from_chars(text.data(), text.data() + 2, hours).ptr != text.data() + 2) return bad();
  if (std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr != text.data() + 5) return bad();
  if (hours < 0 || minutes < 0 || minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return bad();
  return hours * 60 + minutes;
}

std::string format_clock_minute(std::int32_t minute) {
  if (minute < 0) return fmt::format("{}", minute);
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

core::Result<core::Decimal> decimal_from_double(double v) {
  if (!std::isfinite(v)) {
    return core::Error(core::ErrorCode::ParseError, fmt::format("{} is not a finite number", v));
  }
  return core::Decimal::parse(fmt::format("{}", v));
}

BreakerScope inferred_scope(BreakerCondition condition, bool has_instrument) {
  switch (condition) {
    case BreakerCondition::PositionDrawdown:
    case BreakerCondition::VolatilitySpike:
    case BreakerCondition::RapidMove: return BreakerScope::Instrument;
    case BreakerCondition::AccountDrawdown:
    case BreakerCondition::DailyLoss: return BreakerScope::Account;
    case BreakerCondition::LossStreak:
    case BreakerCondition::RejectRate:
    case BreakerCondition::TradingHours: break;
  }
  return has_instrument ? BreakerScope::Instrument : BreakerScope::Account;
}

}  // namespace internal

namespace internal {

namespace {

using Kind = OutValue::Kind;

OutValue scalar(Kind kind, std::string text) {
  OutValue v;
  v.kind = kind;
  v.scalar = std::move(text);
  return v;
}
OutValue boolean(bool b) {
  return scalar(Kind::Boolean, b ? "true" : "false");
}
OutValue decimal(const core::Decimal& d) {
  return scalar(Kind::Decimal, d.to_string_trimmed());
}
OutValue integer(std::int64_t i) {
  return scalar(Kind::Number, std::to_string(i));
}
OutValue floating(double d) {
  return scalar(Kind::Number, fmt::format("{}", d));
}
OutValue string(std::string text) {
  return scalar(Kind::String, std::move(text));
}
OutValue duration(core::Duration d) {
  // fmt rather than string operator+: g++ 12 at -O3 reports a false -Wrestrict on "-" + std::string.
  return scalar(Kind::String, d < core::Duration::zero() ? fmt::format("-{}", core::format_duration(-d))
                                                         : core::format_duration(d));
}
OutValue table() {
  return OutValue{};
}
OutValue array() {
  OutValue v;
  v.kind = Kind::Array;
  return v;
}

void put(OutValue& t, std::string key, OutValue value) {
  t.members.emplace_back(std::move(key), std::move(value));
}

// The shortest form that reads back the same: a bare value (enabled), false (disabled, no value), or
// the table { enabled, value }.
template <class Limit, class ValueOut>
OutValue limit(const Limit& l, ValueOut&& value_out) {
  const bool zero = l.value == decltype(l.value){};
  if (l.enabled && !zero) return value_out(l.value);
  if (!l.enabled && zero) return boolean(false);
  OutValue t = table();
  put(t, "enabled", boolean(l.enabled));
  put(t, "value", value_out(l.value));
  return t;
}
OutValue limit(const DecimalLimit& l) {
  return limit(l, [](const core::Decimal& d) { return decimal(d); });
}
OutValue limit(const CountLimit& l) {
  return limit(l, [](std::int64_t i) { return integer(i); });
}

OutValue instrument_limits(const InstrumentLimits& l) {
  OutValue t = table();
  put(t, "max_order_quantity", limit(l.max_order_quantity));
  put(t, "max_order_notional", limit(l.max_order_notional));
  put(t, "price_collar_bps", limit(l.price_collar_bps));
  put(t, "max_position_quantity", limit(l.max_position_quantity));
  put(t, "max_position_notional", limit(l.max_position_notional));
  put(t, "max_concentration", limit(l.max_concentration));
  put(t, "max_open_orders", limit(l.max_open_orders));
  return t;
}

OutValue session_tree(const TradingSession& s);

OutValue hours_tree(const std::vector<TradingSession>& hours) {
  OutValue list = array();
  for (const TradingSession& s : hours) list.elements.push_back(session_tree(s));
  return list;
}

OutValue account_tree(const RiskConfig& c) {
  OutValue t = table();
  put(t, "max_gross_exposure", limit(c.max_gross_exposure));
  put(t, "max_net_exposure", limit(c.max_net_exposure));
  put(t, "max_leverage", limit(c.max_leverage));
  put(t, "max_open_orders_total", limit(c.max_open_orders_total));
  put(t, "max_orders_per_second", limit(c.max_orders_per_second));
  put(t, "max_orders_per_minute", limit(c.max_orders_per_minute));
  put(t, "daily_loss_limit", limit(c.daily_loss_limit));
  put(t, "max_trades_per_day", limit(c.max_trades_per_day));
  put(t, "max_trades_per_hour", limit(c.max_trades_per_hour));
  if (!c.trading_hours.empty()) put(t, "trading_hours", hours_tree(c.trading_hours));
  return t;
}

OutValue symbol_tree(const SymbolRiskConfig& s) {
  OutValue t = table();
  put(t, "instrument", string(s.instrument_id.value()));
  put(t, "tradable", boolean(s.tradable));
  const auto optional = [&](std::string key, const auto& l) {
    if (l) put(t, std::move(key), limit(*l));
  };
  optional("max_order_quantity", s.max_order_quantity);
  optional("max_order_notional", s.max_order_notional);
  optional("price_collar_bps", s.price_collar_bps);
  optional("max_position_quantity", s.max_position_quantity);
  optional("max_position_notional", s.max_position_notional);
  optional("max_concentration", s.max_concentration);
  optional("max_open_orders", s.max_open_orders);
  // Written even when empty: [] (always open) differs from no list (the account's hours).
  if (s.trading_hours) put(t, "trading_hours", hours_tree(*s.trading_hours));
  return t;
}

OutValue session_tree(const TradingSession& s) {
  OutValue t = table();
  put(t, "start", string(format_clock_minute(s.start_minute)));
  put(t, "end", string(format_clock_minute(s.end_minute)));
  OutValue days = array();
  for (std::size_t d = 0; d < kWeekdayNames.size(); ++d) {
    if ((s.weekdays >> d) & 1u) days.elements.push_back(string(std::string(kWeekdayNames[d])));
  }
  put(t, "days", std::move(days));
  return t;
}

OutValue breaker_tree(const CircuitBreakerConfig& b) {
  OutValue t = table();
  put(t, "name", string(b.name));
  put(t, "condition", string(std::string(to_string(b.condition))));
  put(t, "scope", string(std::string(to_string(b.scope))));
  if (b.instrument_id) put(t, "instrument", string(b.instrument_id->value()));
  put(t, "enabled", boolean(b.enabled));
  put(t, "threshold", decimal(b.threshold));
  put(t, "window", duration(b.window));
  put(t, "baseline_window", duration(b.baseline_window));
  put(t, "min_samples", integer(b.min_samples));
  if (!b.sessions.empty()) {
    OutValue sessions = array();
    for (const TradingSession& s : b.sessions) sessions.elements.push_back(session_tree(s));
    put(t, "sessions", std::move(sessions));
  }
  put(t, "action", string(std::string(to_string(b.action))));
  put(t, "cooldown", duration(b.cooldown));
  put(t, "block_trading_during_cooldown", boolean(b.block_trading_during_cooldown));
  put(t, "reset", string(std::string(to_string(b.reset))));
  return t;
}

}  // namespace

OutValue config_tree(const RiskConfig& c) {
  OutValue root = table();
  put(root, "reduce_quantity_to_fit", boolean(c.reduce_quantity_to_fit));
  put(root, "check_margin", boolean(c.check_margin));
  put(root, "warning_utilisation", decimal(c.warning_utilisation));
  put(root, "margin_call_ratio", decimal(c.margin_call_ratio));
  put(root, "limits", instrument_limits(c.instrument));
  put(root, "account", account_tree(c));

  OutValue var = table();
  put(var, "enabled", boolean(c.portfolio_var.enabled));
  put(var, "max_var", decimal(c.portfolio_var.max_var));
  put(var, "confidence", floating(c.portfolio_var.confidence));
  put(var, "horizon_days", floating(c.portfolio_var.horizon_days));
  put(root, "portfolio_var", std::move(var));

  OutValue scaling = table();
  put(scaling, "enabled", boolean(c.volatility_scaling.enabled));
  put(scaling, "low", decimal(c.volatility_scaling.low));
  put(scaling, "normal", decimal(c.volatility_scaling.normal));
  put(scaling, "high", decimal(c.volatility_scaling.high));
  put(scaling, "extreme", decimal(c.volatility_scaling.extreme));
  put(root, "volatility_scaling", std::move(scaling));

  const BehaviourConfig& b = c.behaviour;
  OutValue behaviour = table();
  put(behaviour, "loss_streak", limit(b.loss_streak));
  put(behaviour, "loss_streak_cooldown", duration(b.loss_streak_cooldown));
  put(behaviour, "block_size_increase_after_loss", boolean(b.block_size_increase_after_loss));
  put(behaviour, "revenge_window", duration(b.revenge_window));
  put(behaviour, "revenge_tolerance", decimal(b.revenge_tolerance));
  put(behaviour, "order_rate_warning", boolean(b.order_rate_warning));
  put(behaviour, "order_rate_warning_factor", decimal(b.order_rate_warning_factor));
  put(behaviour, "order_rate_warning_min", integer(b.order_rate_warning_min));
  put(root, "behaviour", std::move(behaviour));

  if (!c.symbols.empty()) {
    OutValue symbols = array();
    for (const SymbolRiskConfig& s : c.symbols) symbols.elements.push_back(symbol_tree(s));
    put(root, "symbols", std::move(symbols));
  }
  // Always written: an absent list would read back as the default breakers, an empty one as none.
  OutValue breakers = array();
  for (const CircuitBreakerConfig& breaker : c.circuit_breakers) breakers.elements.push_back(breaker_tree(breaker));
  put(root, "circuit_breakers", std::move(breakers));
  return root;
}

}  // namespace internal

InstrumentLimits RiskConfig::limits_for(const core::InstrumentId& id) const {
  InstrumentLimits out = instrument;
  const SymbolRiskConfig* s = symbol(id);
  if (s == nullptr) return out;
  if (s->max_order_quantity) out.max_order_quantity = *s->max_order_quantity;
  if (s->max_order_notional) out.max_order_notional = *s->max_order_notional;
  if (s->price_collar_bps) out.price_collar_bps = *s->price_collar_bps;
  if (s->max_position_quantity) out.max_position_quantity = *s->max_position_quantity;
  if (s->max_position_notional) out.max_position_notional = *s->max_position_notional;
  if (s->max_concentration) out.max_concentration = *s->max_concentration;
  if (s->max_open_orders) out.max_open_orders = *s->max_open_orders;
  return out;
}

const std::vector<TradingSession>& RiskConfig::trading_hours_for(const core::InstrumentId& id) const noexcept {
  const SymbolRiskConfig* s = symbol(id);
  return s != nullptr && s->trading_hours ? *s->trading_hours : trading_hours;
}

const SymbolRiskConfig* RiskConfig::symbol(const core::InstrumentId& id) const noexcept {
  // The first override wins; validate() reports duplicates.
  for (const SymbolRiskConfig& s : symbols) {
    if (s.instrument_id == id) return &s;
  }
  return nullptr;
}

core::Status validate(const RiskConfig& config) {
  std::vector<std::string> errors;
  internal::collect_config_errors(config, errors);
  if (errors.empty()) return core::ok();
  std::string message;
  for (const std::string& e : errors) {
    if (!message.empty()) message += "; ";
    message += e;
  }
  return core::Error(core::ErrorCode::InvalidArgument, std::move(message));
}

core::Result<RiskConfig> load_risk_config(const std::filesystem::path& path) {
  const bool toml = has_extension(path, ".toml");
  const bool json = has_extension(path, ".json");
  if (!toml && !json) {
    return core::Error(core::ErrorCode::Unsupported,
                       "cannot tell the risk configuration format from the file name; use a .toml or .json file",
                       path.string());
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::Error(core::ErrorCode::IoError, "is a directory, not a risk configuration file", path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error(core::ErrorCode::IoError, "cannot open the risk configuration file for reading", path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return core::Error(core::ErrorCode::IoError, "cannot read the risk configuration file", path.string());
  }
  const std::string source = path.string();
  return toml ? parse_risk_config_toml(text.str(), source) : parse_risk_config_json(text.str(), source);
}

}  // namespace ballast::risk
