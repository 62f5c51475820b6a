#include "ballast/risk/risk_capacity.hpp"

#include "ballast/model/enums.hpp"

#include "ballast/portfolio/margin_manager.hpp"
#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace ballast::risk {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;

constexpr std::array<std::pair<RiskLevel, std::string_view>, 4> kLevelNames{{
    {RiskLevel::Low, "LOW"},
    {RiskLevel::Moderate, "MODERATE"},
    {RiskLevel::High, "HIGH"},
    {RiskLevel::Critical, "CRITICAL"},
}};

constexpr std::array<std::pair<AssessmentReason, std::string_view>, 8> kReasonNames{{
    {AssessmentReason::LimitBreached, "LIMIT_BREACHED"},
    {AssessmentReason::MarginCall, "MARGIN_CALL"},
    {AssessmentReason::TradingHalted, "TRADING_HALTED"},
    {AssessmentReason::NonPositiveEquity, "NON_POSITIVE_EQUITY"},
    {AssessmentReason::LimitNearWarning, "LIMIT_NEAR_WARNING"},
    {AssessmentReason::TradingReducing, "TRADING_REDUCING"},
    {AssessmentReason::CooldownActive, "COOLDOWN_ACTIVE"},
    {AssessmentReason::LimitAboveHalf, "LIMIT_ABOVE_HALF"},
}};

Decimal zero() { return Decimal::from_int(0); }

LimitUsage usage(RiskCheck check, std::optional<core::InstrumentId> id, const Decimal& used, const Decimal& limit) {
  LimitUsage u;
  u.check = check;
  u.instrument_id = std::move(id);
  u.used = used;
  u.limit = limit;
  u.left = limit > used ? limit - used : zero();
  if (limit.is_positive()) {
    auto ratio = used.checked_div(limit, kUtilisationScale, RoundingMode::Up);
    if (ratio) u.utilisation = *ratio;
  }
  u.breached = used > limit;
  return u;
}

Decimal count(std::int64_t n) { return Decimal::from_int(n); }

// |s·position + same-side working| for side s, in quantity and in notional.
std::pair<Decimal, Decimal> projected(const portfolio::InstrumentSlot& s, model::OrderSide side) {
  const bool buy = side == model::OrderSide::Buy;
  const Decimal q = buy ? s.quantity : -s.quantity;
  const Decimal n = buy ? s.notional : -s.notional;
  const Decimal qty = (q + (buy ? s.open_buy_quantity : s.open_sell_quantity)).abs();
  const Decimal notional = (n + (buy ? s.open_buy_notional : s.open_sell_notional)).abs();
  return {qty, notional};
}

void add_instrument_rows(const RiskConfig& cfg, const portfolio::InstrumentSlot& s,
                         std::optional<model::OrderSide> side, const Decimal& equity,
                         std::vector<LimitUsage>& out) {
  const core::InstrumentId& id = s.instrument->id();
  const InstrumentLimits limits = cfg.limits_for(id);
  std::pair<Decimal, Decimal> p;
  if (side) {
    p = projected(s, *side);
  } else {
    const auto b = projected(s, model::OrderSide::Buy);
    const auto a = projected(s, model::OrderSide::Sell);
    p = {std::max(b.first, a.first), std::max(b.second, a.second)};
  }
  if (limits.max_position_quantity.enabled) {
    out.push_back(usage(RiskCheck::MaxPositionQuantity, id, p.first, limits.max_position_quantity.value));
  }
  if (limits.max_position_notional.enabled) {
    out.push_back(usage(RiskCheck::MaxPositionNotional, id, p.second, limits.max_position_notional.value));
  }
  if (limits.max_concentration.enabled && equity.is_positive()) {
    out.push_back(usage(RiskCheck::MaxConcentration, id, p.second.div(equity, kUtilisationScale, RoundingMode::Up),
                        limits.max_concentration.value));
  }
  if (limits.max_open_orders.enabled) {
    out.push_back(usage(RiskCheck::OpenOrdersPerInstrument, id, count(s.open_orders), count(limits.max_open_orders.value)));
  }
}

std::string describe(const LimitUsage& u) {
  std::string who = u.instrument_id ? " " + u.instrument_id->value() : std::string();
  std::string pct = u.utilisation
                        ? fmt::format(" ({}% of the limit)",
                                      u.utilisation->mul(Decimal::from_int(100), 2, RoundingMode::HalfEven).to_string_trimmed())
                        : std::string();
  return fmt::format("{}{}: used {} {} limit {}{}", to_string(u.check), who, u.used.to_string_trimmed(),
                     u.breached ? ">" : "<=", u.limit.to_string_trimmed(), pct);
}

// Quantity for `steps` steps, or an Overflow error.
core::Result<model::Quantity> steps_quantity(const Decimal& step, std::int64_t steps) {
  auto q = step.checked_mul_int(steps);
  if (!q) return q.error();
  return model::Quantity(*q);
}

// floor(value / step) as a step count, clamped to [0, cap].
std::int64_t steps_in(const Decimal& value, const Decimal& step, std::int64_t cap) {
  if (!value.is_positive()) return 0;
  auto n = value.checked_div(step, 0, RoundingMode::Down);
  if (!n) return cap;
  return std::min(n->raw(), cap);
}

// Upper bound (quantity units) for an order that passes, from the enabled limits; nullopt without any.
std::optional<Decimal> bound_from_limits(const RiskEngine& engine, const portfolio::InstrumentSlot& s,
                                         const Decimal& unit) {
  const RiskConfig& cfg = engine.config();
  const portfolio::PortfolioBook& book = engine.book();
  const InstrumentLimits limits = cfg.limits_for(s.instrument->id());
  const Decimal pos = s.quantity.abs();
  const Decimal equity = book.equity();
  const int scale = std::min(Decimal::kMaxScale, s.instrument->quantity_precision() + 2);
  std::optional<Decimal> best;
  const auto consider = [&](const Decimal& q) {
    if (!best || q < *best) best = q;
  };
  const auto per_unit = [&](const Decimal& money) { return money.div(unit, scale, RoundingMode::Up); };
  // The engine folds the instrument's own max quantity into the per-order quantity limit.
  if (s.instrument->max_quantity()) consider(s.instrument->max_quantity()->value());
  if (limits.max_order_quantity.enabled) consider(limits.max_order_quantity.value);
  if (limits.max_order_notional.enabled) consider(per_unit(limits.max_order_notional.value));
  if (limits.max_position_quantity.enabled) consider(limits.max_position_quantity.value + pos);
  if (limits.max_position_notional.enabled) consider(per_unit(limits.max_position_notional.value) + pos);
  if (cfg.max_gross_exposure.enabled) consider(per_unit(cfg.max_gross_exposure.value) + pos);
  if (cfg.max_net_exposure.enabled) consider(per_unit(cfg.max_net_exposure.value + book.net_exposure().abs()));
  if (equity.is_positive()) {
    if (cfg.max_leverage.enabled) {
      consider(per_unit(cfg.max_leverage.value.mul(equity, 8, RoundingMode::Up)) + pos);
    }
    if (limits.max_concentration.enabled) {
      consider(per_unit(limits.max_concentration.value.mul(equity, 8, RoundingMode::Up)) + pos);
    }
  }
  if (cfg.check_margin) {
    const Decimal available = std::max(book.available_margin(), zero()) + s.open_order_margin;
    consider(per_unit(available.mul(s.leverage, 8, RoundingMode::Up)) + pos);
  }
  return best;
}

}  // namespace

std::string_view to_string(RiskLevel level) noexcept { return model::detail::enum_to_string(kLevelNames, level); }
std::string_view to_string(AssessmentReason reason) noexcept { return model::detail::enum_to_string(kReasonNames, reason); }
core::Result<RiskLevel> parse_risk_level(std::string_view text) { return model::detail::enum_parse(kLevelNames, text, "RiskLevel"); }
core::Result<AssessmentReason> parse_assessment_reason(std::string_view text) {
  return model::detail::enum_parse(kReasonNames, text, "AssessmentReason");
}

RiskLevel level_of(AssessmentReason reason) noexcept {
  switch (reason) {
    case AssessmentReason::LimitBreached:
    case AssessmentReason::MarginCall:
    case AssessmentReason::TradingHalted:
    case AssessmentReason::NonPositiveEquity: return RiskLevel::Critical;
    case AssessmentReason::LimitNearWarning:
    case AssessmentReason::TradingReducing:
    case AssessmentReason::CooldownActive: return RiskLevel::High;
    case AssessmentReason::LimitAboveHalf: return RiskLevel::Moderate;
  }
  return RiskLevel::Low;
}

core::Result<std::vector<LimitUsage>> limit_usage(const RiskEngine& engine, const UsageQuery& query,
                                                  core::UnixNanos now) {
  const RiskConfig& cfg = engine.config();
  const portfolio::PortfolioBook& book = engine.book();
  if (query.slot && *query.slot >= book.size()) {
    return Error(ErrorCode::NotFound, fmt::format("slot {} is not in the book ({} instruments)", *query.slot, book.size()),
                 "slot");
  }
  const RiskCounters counters = engine.counters(now);
  const Decimal equity = book.equity();
  std::vector<LimitUsage> out;
  if (cfg.max_gross_exposure.enabled) {
    out.push_back(usage(RiskCheck::MaxGrossExposure, std::nullopt, book.gross_exposure(), cfg.max_gross_exposure.value));
  }
  if (cfg.max_net_exposure.enabled) {
    out.push_back(usage(RiskCheck::MaxNetExposure, std::nullopt, book.net_exposure().abs(), cfg.max_net_exposure.value));
  }
  if (cfg.max_leverage.enabled && equity.is_positive()) {
    out.push_back(usage(RiskCheck::MaxLeverage, std::nullopt,
                        book.gross_exposure().div(equity, kUtilisationScale, RoundingMode::Up), cfg.max_leverage.value));
  }
  if (cfg.check_margin) {
    const Decimal used = book.initial_margin() + book.open_order_margin();
    out.push_back(usage(RiskCheck::Margin, std::nullopt, used, used + book.available_margin()));
  }
  if (cfg.portfolio_var.enabled) {
    auto var = Decimal::from_double(engine.portfolio_var(), 2, RoundingMode::Up);
    if (!var) return var.error().with_context("portfolio_var");
    out.push_back(usage(RiskCheck::PortfolioVar, std::nullopt, *var, cfg.portfolio_var.max_var));
  }
  if (cfg.max_open_orders_total.enabled) {
    out.push_back(usage(RiskCheck::OpenOrdersTotal, std::nullopt, count(book.open_orders()),
                        count(cfg.max_open_orders_total.value)));
  }
  if (cfg.max_orders_per_second.enabled) {
    out.push_back(usage(RiskCheck::OrderRatePerSecond, std::nullopt, count(counters.orders_last_second),
                        count(cfg.max_orders_per_second.value)));
  }
  if (cfg.max_orders_per_minute.enabled) {
    out.push_back(usage(RiskCheck::OrderRatePerMinute, std::nullopt, count(counters.orders_last_minute),
                        count(cfg.max_orders_per_minute.value)));
  }
  if (cfg.daily_loss_limit.enabled) {
    const Decimal loss = counters.daily_pnl.is_negative() ? -counters.daily_pnl : zero();
    out.push_back(usage(RiskCheck::DailyLoss, std::nullopt, loss, cfg.daily_loss_limit.value));
  }
  if (cfg.max_trades_per_day.enabled) {
    out.push_back(usage(RiskCheck::TradesPerDay, std::nullopt, count(counters.trades_today),
                        count(cfg.max_trades_per_day.value)));
  }
  if (cfg.max_trades_per_hour.enabled) {
    out.push_back(usage(RiskCheck::TradesPerHour, std::nullopt, count(counters.trades_last_hour),
                        count(cfg.max_trades_per_hour.value)));
  }
  const auto slots = book.slots();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const portfolio::InstrumentSlot& s = slots[i];
    if (query.slot) {
      if (*query.slot != i) continue;
    } else if (s.quantity.is_zero() && s.open_orders == 0) {
      continue;
    }
    add_instrument_rows(cfg, s, query.side, equity, out);
  }
  return out;
}

core::Result<RiskAssessment> assess(const RiskEngine& engine, core::UnixNanos now) {
  const RiskConfig& cfg = engine.config();
  const portfolio::PortfolioBook& book = engine.book();
  auto limits = limit_usage(engine, UsageQuery{}, now);
  if (!limits) return limits.error();

  RiskAssessment out;
  out.limits = std::move(*limits);
  out.trading_state = engine.trading_state();
  out.equity = book.equity();
  const auto add = [&out](AssessmentReason reason, std::string message, std::optional<RiskCheck> check = std::nullopt,
                          std::optional<core::InstrumentId> id = std::nullopt) {
    out.findings.push_back(AssessmentFinding{reason, check, std::move(id), std::move(message)});
  };

  const Decimal half = Decimal::from_raw(5, 1);
  for (const LimitUsage& u : out.limits) {
    if (u.breached) {
      add(AssessmentReason::LimitBreached, describe(u), u.check, u.instrument_id);
    } else if (u.utilisation && *u.utilisation >= cfg.warning_utilisation) {
      add(AssessmentReason::LimitNearWarning, describe(u), u.check, u.instrument_id);
    } else if (u.utilisation && *u.utilisation >= half) {
      add(AssessmentReason::LimitAboveHalf, describe(u), u.check, u.instrument_id);
    }
  }
  if (out.trading_state == TradingState::Halted) add(AssessmentReason::TradingHalted, "trading state is HALTED");
  if (out.trading_state == TradingState::Reducing) {
    add(AssessmentReason::TradingReducing, "trading state is REDUCING: only orders that reduce exposure pass");
  }
  const RiskCounters counters = engine.counters(now);
  if (counters.cooldown_until && *counters.cooldown_until > now) {
    add(AssessmentReason::CooldownActive,
        fmt::format("new exposure blocked for {} more seconds (loss-streak cool-down)",
                    (counters.cooldown_until->value - now.value + core::kNanosPerSecond - 1) / core::kNanosPerSecond));
  }
  if (!out.equity.is_positive() && !book.gross_exposure().is_zero()) {
    add(AssessmentReason::NonPositiveEquity,
        fmt::format("equity {} <= 0 with gross exposure {}", out.equity.to_string_trimmed(),
                    book.gross_exposure().to_string_trimmed()));
  }

  auto manager = portfolio::MarginManager::create(portfolio::MarginConfig{cfg.margin_call_ratio});
  if (!manager) return manager.error().with_context("margin_call_ratio");
  auto margin = manager->evaluate(book.margin_state());
  if (!margin) return margin.error().with_context("margin");
  out.cross_margin_ratio = margin->cross_margin_ratio;
  out.margin_call = margin->any_margin_call;
  if (margin->any_margin_call) {
    std::string detail = margin->cross_margin_call
                             ? (margin->cross_margin_ratio
                                    ? fmt::format("cross margin ratio {} >= {}", margin->cross_margin_ratio->to_string_trimmed(),
                                                  cfg.margin_call_ratio.to_string_trimmed())
                                    : std::string("cross margin balance <= 0 with maintenance margin"))
                             : std::string("an isolated position is at or above the margin-call ratio");
    add(AssessmentReason::MarginCall, "margin call: " + detail);
  }

  std::stable_sort(out.findings.begin(), out.findings.end(), [](const AssessmentFinding& a, const AssessmentFinding& b) {
    return level_of(a.reason) > level_of(b.reason);
  });
  out.level = out.findings.empty() ? RiskLevel::Low : level_of(out.findings.front().reason);
  return out;
}

core::Result<CapacityResult> capacity(const RiskEngine& engine, const CapacityQuery& query, core::UnixNanos now) {
  const portfolio::PortfolioBook& book = engine.book();
  if (query.slot >= book.size()) {
    return Error(ErrorCode::NotFound, fmt::format("slot {} is not in the book ({} instruments)", query.slot, book.size()),
                 "slot");
  }
  if (query.type != model::OrderType::Market && query.type != model::OrderType::Limit) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("capacity is computed for MARKET and LIMIT orders, got {}", model::to_string(query.type)),
                 "type");
  }
  if (query.type == model::OrderType::Limit && (!query.price || !query.price->is_positive())) {
    return Error(ErrorCode::InvalidArgument, "a LIMIT order needs a positive price", "price");
  }
  const portfolio::InstrumentSlot& s = book.slot(query.slot);
  const model::Instrument& instrument = *s.instrument;
  const Decimal& step = instrument.step_size().value();

  CapacityResult out;
  out.notional = model::Money::zero(book.settlement_currency());
  auto rows = limit_usage(engine, UsageQuery{query.slot, query.side}, now);
  if (!rows) return rows.error();
  out.limits = std::move(*rows);

  // The price the order is valued at: its limit, else the mark (none: the engine denies every size).
  std::optional<model::Price> price = query.type == model::OrderType::Limit ? query.price : std::nullopt;
  if (!price && s.has_mark && s.mark.is_positive()) price = s.mark;
  std::optional<Decimal> unit;
  if (price) {
    auto u = internal::product(price->value(), instrument.multiplier());
    if (!u) return u.error().with_context("price");
    unit = *u;
  }

  // Search ceiling in steps: kCapacityMaxNotional at the price (2^40 steps without one).
  std::int64_t ceiling = std::int64_t{1} << 40;
  if (unit) {
    const Decimal max_quantity = Decimal::from_int(kCapacityMaxNotional).div(*unit, step.scale(), RoundingMode::Down);
    ceiling = std::max<std::int64_t>(1, steps_in(max_quantity, step, ceiling));
  }

  // The smallest quantity the instrument accepts (min quantity, min notional at the price).
  std::int64_t lo = std::max<std::int64_t>(1, instrument.min_quantity().value().checked_div(step, 0, RoundingMode::Up)
                                                  .value_or(Decimal::from_int(1))
                                                  .raw());
  if (unit && instrument.min_notional()) {
    auto per_step = internal::product(*unit, step);
    if (per_step && per_step->is_positive()) {
      auto n = instrument.min_notional()->amount().checked_div(*per_step, 0, RoundingMode::Up);
      if (n) lo = std::max(lo, n->raw());
    }
  }
  lo = std::min(lo, ceiling);

  OrderRequest request;
  request.slot = query.slot;
  request.side = query.side;
  request.type = query.type;
  request.price = query.type == model::OrderType::Limit ? query.price : std::nullopt;
  request.reduce_only = query.reduce_only;
  const auto evaluate = [&](std::int64_t steps) -> core::Result<RiskDecision> {
    auto q = steps_quantity(step, steps);
    if (!q) return q.error();
    request.quantity = *q;
    ++out.evaluations;
    return engine.evaluate(request, now);
  };
  const auto passes = [](const RiskDecision& d) { return d.verdict == Verdict::Approved; };

  auto first = evaluate(lo);
  if (!first) return first.error();
  if (!passes(*first)) {
    out.binding = *first;
    out.binding_quantity = request.quantity;
    return out;
  }

  std::int64_t hi = lo + 1;
  if (unit) {
    if (auto bound = bound_from_limits(engine, s, *unit)) hi = std::max(hi, steps_in(*bound, step, ceiling) + 1);
  }
  hi = std::min(hi, ceiling);
  RiskDecision at_hi{};
  for (;;) {
    if (hi <= lo) {  // the ceiling itself passed
      out.bounded = false;
      break;
    }
    auto d = evaluate(hi);
    if (!d) return d.error();
    if (!passes(*d)) {
      at_hi = *d;
      break;
    }
    lo = hi;
    hi = hi > ceiling / 2 ? ceiling : hi * 2;
  }
  if (out.bounded) {
    while (hi - lo > 1) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      auto d = evaluate(mid);
      if (!d) return d.error();
      if (passes(*d)) {
        lo = mid;
      } else {
        hi = mid;
        at_hi = *d;
      }
    }
    out.binding = at_hi;
    auto q = steps_quantity(step, hi);
    if (!q) return q.error();
    out.binding_quantity = *q;
  }
  auto best = steps_quantity(step, lo);
  if (!best) return best.error();
  out.max_quantity = *best;
  if (price) out.notional = instrument.notional(*price, out.max_quantity);
  return out;
}

}  // namespace ballast::risk
