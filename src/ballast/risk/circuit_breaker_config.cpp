#include "ballast/risk/circuit_breaker_config.hpp"

#include "ballast/model/enums.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>

namespace ballast::risk {
namespace {

// The codes are stable: they appear in configuration files, events, the API and the store.
constexpr std::array<std::pair<BreakerCondition, std::string_view>, 8> kConditionNames{{
    {BreakerCondition::AccountDrawdown, "ACCOUNT_DRAWDOWN"},
    {BreakerCondition::PositionDrawdown, "POSITION_DRAWDOWN"},
    {BreakerCondition::DailyLoss, "DAILY_LOSS"},
    {BreakerCondition::VolatilitySpike, "VOLATILITY_SPIKE"},
    {BreakerCondition::RapidMove, "RAPID_MOVE"},
    {BreakerCondition::LossStreak, "LOSS_STREAK"},
    {BreakerCondition::RejectRate, "REJECT_RATE"},
    {BreakerCondition::TradingHours, "TRADING_HOURS"},
}};

constexpr std::array<std::pair<BreakerAction, std::string_view>, 6> kActionNames{{
    {BreakerAction::Alert, "ALERT"},
    {BreakerAction::CancelOrders, "CANCEL_ORDERS"},
    {BreakerAction::ClosePosition, "CLOSE_POSITION"},
    {BreakerAction::ReduceOnly, "REDUCE_ONLY"},
    {BreakerAction::Halt, "HALT"},
    {BreakerAction::FlattenAll, "FLATTEN_ALL"},
}};

constexpr std::array<std::pair<BreakerScope, std::string_view>, 2> kScopeNames{{
    {BreakerScope::Account, "ACCOUNT"},
    {BreakerScope::Instrument, "INSTRUMENT"},
}};

constexpr std::array<std::pair<ResetPolicy, std::string_view>, 2> kResetNames{{
    {ResetPolicy::Automatic, "AUTOMATIC"},
    {ResetPolicy::Manual, "MANUAL"},
}};

constexpr std::int32_t kMinutesPerDay = 24 * 60;

void add(std::vector<std::string>& errors, std::string_view path, std::string_view field, std::string_view message) {
  errors.push_back(fmt::format("{}.{}: {}", path, field, message));
}

bool uses_window(BreakerCondition c) {
  return c == BreakerCondition::VolatilitySpike || c == BreakerCondition::RapidMove ||
         c == BreakerCondition::RejectRate;
}

bool uses_min_samples(BreakerCondition c) {
  return c == BreakerCondition::VolatilitySpike || c == BreakerCondition::RejectRate;
}

// The scope a condition requires, or nullopt when both make sense.
std::optional<BreakerScope> required_scope(BreakerCondition c) {
  switch (c) {
    case BreakerCondition::AccountDrawdown:
    case BreakerCondition::DailyLoss: return BreakerScope::Account;
    case BreakerCondition::PositionDrawdown:
    case BreakerCondition::VolatilitySpike:
    case BreakerCondition::RapidMove: return BreakerScope::Instrument;
    case BreakerCondition::LossStreak:
    case BreakerCondition::RejectRate:
    case BreakerCondition::TradingHours: break;
  }
  return std::nullopt;
}

void check_threshold(const CircuitBreakerConfig& b, std::string_view path, std::vector<std::string>& errors) {
  const core::Decimal zero{};
  const core::Decimal one = core::Decimal::from_int(1);
  const core::Decimal& t = b.threshold;
  switch (b.condition) {
    case BreakerCondition::AccountDrawdown:
    case BreakerCondition::PositionDrawdown:
      if (t <= zero || t >= one) {
        add(errors, path, "threshold",
            fmt::format("must be a fraction in (0, 1) (0.10 = 10 %), got {}", t.to_string_trimmed()));
      }
      break;
    case BreakerCondition::RapidMove:
    case BreakerCondition::RejectRate:
      if (t <= zero || t > one) {
        add(errors, path, "threshold", fmt::format("must be a fraction in (0, 1], got {}", t.to_string_trimmed()));
      }
      break;
    case BreakerCondition::DailyLoss:
      if (t <= zero) {
        add(errors, path, "threshold",
            fmt::format("must be > 0 (a loss in the settlement currency), got {}", t.to_string_trimmed()));
      }
      break;
    case BreakerCondition::VolatilitySpike:
      if (t <= one) {
        add(errors, path, "threshold",
            fmt::format("must be > 1 (a multiple of the baseline volatility), got {}", t.to_string_trimmed()));
      }
      break;
    case BreakerCondition::LossStreak:
      if (t < one || !t.is_multiple_of(one)) {
        add(errors, path, "threshold",
            fmt::format("must be a whole number of losing trades >= 1, got {}", t.to_string_trimmed()));
      }
      break;
    case BreakerCondition::TradingHours: break;  // unused
  }
}

void check_session(const TradingSession& s, const std::string& path, std::vector<std::string>& errors) {
  if (s.start_minute < 0 || s.start_minute >= kMinutesPerDay) {
    add(errors, path, "start", fmt::format("must be within 00:00..23:59, got minute {}", s.start_minute));
  }
  if (s.end_minute < 0 || s.end_minute > kMinutesPerDay) {
    add(errors, path, "end", fmt::format("must be within 00:00..24:00, got minute {}", s.end_minute));
  }
  if (s.start_minute == s.end_minute) {
    add(errors, path, "end", "must differ from start (an empty window; use 00:00..24:00 for the whole day)");
  }
  if (s.weekdays == 0 || s.weekdays > 0x7f) {
    add(errors, path, "days", "must name at least one weekday (MON..SUN)");
  }
}

}  // namespace

std::string_view to_string(BreakerCondition v) noexcept {
  return model::detail::enum_to_string(kConditionNames, v);
}
std::string_view to_string(BreakerAction v) noexcept {
  return model::detail::enum_to_string(kActionNames, v);
}
std::string_view to_string(BreakerScope v) noexcept {
  return model::detail::enum_to_string(kScopeNames, v);
}
std::string_view to_string(ResetPolicy v) noexcept {
  return model::detail::enum_to_string(kResetNames, v);
}

template <>
core::Result<BreakerCondition> parse_breaker_enum<BreakerCondition>(std::string_view text) {
  return model::detail::enum_parse(kConditionNames, text, "breaker condition");
}
template <>
core::Result<BreakerAction> parse_breaker_enum<BreakerAction>(std::string_view text) {
  return model::detail::enum_parse(kActionNames, text, "breaker action");
}
template <>
core::Result<BreakerScope> parse_breaker_enum<BreakerScope>(std::string_view text) {
  return model::detail::enum_parse(kScopeNames, text, "breaker scope");
}
template <>
core::Result<ResetPolicy> parse_breaker_enum<ResetPolicy>(std::string_view text) {
  return model::detail::enum_parse(kResetNames, text, "reset policy");
}

std::vector<CircuitBreakerConfig> default_circuit_breakers() {
  CircuitBreakerConfig account;
  account.name = "account-drawdown-10";
  account.condition = BreakerCondition::AccountDrawdown;
  account.scope = BreakerScope::Account;
  account.threshold = core::Decimal::from_raw(10, 2);
  account.action = BreakerAction::CancelOrders;

  CircuitBreakerConfig position;
  position.name = "position-drawdown-5";
  position.condition = BreakerCondition::PositionDrawdown;
  position.scope = BreakerScope::Instrument;  // no instrument_id: every instrument
  position.threshold = core::Decimal::from_raw(5, 2);
  position.action = BreakerAction::ClosePosition;

  return {std::move(account), std::move(position)};
}

void collect_breaker_errors(const CircuitBreakerConfig& breaker, std::string_view path,
                            std::vector<std::string>& errors) {
  if (breaker.name.empty()) {
    add(errors, path, "name", "must not be empty");
  } else if (!core::is_valid_identifier(breaker.name)) {
    add(errors, path, "name", fmt::format("must be 1-128 printable characters without spaces, got '{}'", breaker.name));
  }

  if (const auto scope = required_scope(breaker.condition); scope && *scope != breaker.scope) {
    add(errors, path, "scope",
        fmt::format("{} needs scope {}, got {}", to_string(breaker.condition), to_string(*scope),
                    to_string(breaker.scope)));
  }
  if (breaker.instrument_id && breaker.scope == BreakerScope::Account) {
    add(errors, path, "instrument", "is only allowed with scope INSTRUMENT");
  }
  if (breaker.instrument_id && breaker.instrument_id->empty()) {
    add(errors, path, "instrument", "must not be empty (leave it out for every instrument)");
  }

  check_threshold(breaker, path, errors);

  if (uses_window(breaker.condition) && breaker.window <= core::Duration::zero()) {
    add(errors, path, "window", "must be > 0");
  }
  if (breaker.condition == BreakerCondition::VolatilitySpike && breaker.baseline_window <= breaker.window) {
    add(errors, path, "baseline_window",
        fmt::format("must be longer than window ({}), got {}", core::format_duration(breaker.window),
                    core::format_duration(breaker.baseline_window)));
  }
  if (uses_min_samples(breaker.condition)) {
    const std::int64_t least = breaker.condition == BreakerCondition::VolatilitySpike ? 2 : 1;
    if (breaker.min_samples < least) {
      add(errors, path, "min_samples", fmt::format("must be >= {}, got {}", least, breaker.min_samples));
    }
  }

  if (breaker.condition == BreakerCondition::TradingHours && breaker.sessions.empty()) {
    add(errors, path, "sessions", "TRADING_HOURS needs at least one session");
  }
  for (std::size_t i = 0; i < breaker.sessions.size(); ++i) {
    check_session(breaker.sessions[i], fmt::format("{}.sessions[{}]", path, i), errors);
  }

  if (breaker.cooldown < core::Duration::zero()) add(errors, path, "cooldown", "must be >= 0");
}

}  // namespace ballast::risk
