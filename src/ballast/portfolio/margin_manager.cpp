#include "ballast/portfolio/margin_manager.hpp"

#include "ballast/portfolio/internal/exact_math.hpp"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>

namespace ballast::portfolio {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;
using model::Money;

const Decimal kOne = Decimal::from_int(1);

std::string describe_tier(const model::Instrument& instrument, std::size_t index, const model::MarginTier& tier) {
  return fmt::format("margin tier {} (notional {} to {} {}) of {}", index + 1, tier.notional_floor.to_string_trimmed(),
                     tier.notional_cap.to_string_trimmed(), instrument.settlement_currency().code(),
                     instrument.id().value());
}

std::size_t tier_index(const model::Instrument& instrument, const model::MarginTier& tier) {
  const auto& tiers = instrument.margin_tiers();
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i] == tier) return i;
  }
  return 0;
}

// Ok when 1 <= leverage <= the max leverage of the tier holding `notional`.
core::Status check_leverage(const model::Instrument& instrument, const Decimal& leverage, const Decimal& notional,
                            const std::string& where) {
  if (leverage < kOne) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("leverage of {} must be at least 1, got {}", instrument.id().value(),
                             leverage.to_string_trimmed()),
                 where);
  }
  auto tier = instrument.margin_tier_for(notional);
  if (!tier) return tier.error().with_context(where);
  if (leverage > tier->max_leverage) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("leverage {} exceeds the max leverage {} of {} at notional {}", leverage.to_string_trimmed(),
                             tier->max_leverage.to_string_trimmed(),
                             describe_tier(instrument, tier_index(instrument, *tier), *tier),
                             notional.to_string_trimmed()),
                 where);
  }
  return core::ok();
}

core::Status check_instrument(const model::Instrument* instrument, const model::Currency& settlement,
                              const std::string& where) {
  BALLAST_REQUIRE(instrument != nullptr, where + ": instrument must be set");
  if (instrument->is_inverse()) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("inverse (coin-margined) contract {} is not supported by the margin manager; only "
                             "linear USDⓈ-margined contracts are",
                             instrument->id().value()),
                 where);
  }
  if (!(instrument->settlement_currency() == settlement)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("{} settles in {}, the account snapshot in {}", instrument->id().value(),
                             instrument->settlement_currency().code(), settlement.code()),
                 where);
  }
  return core::ok();
}

// Σ notional of one side's orders of an instrument, exact.
struct OrderSides {
  const model::Instrument* instrument{nullptr};
  Decimal leverage{};
  Decimal buy_notional{};
  Decimal sell_notional{};
  std::size_t first_index{0};
};

core::Result<std::vector<OrderSides>> group_orders(const MarginAccountState& account) {
  std::vector<OrderSides> groups;
  for (std::size_t i = 0; i < account.open_orders.size(); ++i) {
    const MarginOrder& order = account.open_orders[i];
    const std::string where = fmt::format("open_orders[{}]", i);
    BALLAST_TRY(check_instrument(order.instrument, account.settlement_currency, where));
    if (!order.price.is_positive()) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("order price must be positive, got {}", order.price.to_string()), where + ".price");
    }
    auto contracts = internal::multiply(order.leaves_quantity.value(), order.instrument->multiplier());
    if (!contracts) return contracts.error().with_context(where);
    auto notional = internal::multiply(*contracts, order.price.value());
    if (!notional) return notional.error().with_context(where);
    OrderSides* group = nullptr;
    for (OrderSides& g : groups) {
      if (g.instrument->id() == order.instrument->id()) group = &g;
    }
    if (group == nullptr) {
      groups.push_back(OrderSides{order.instrument, order.leverage, Decimal{}, Decimal{}, i});
      group = &groups.back();
    } else if (group->leverage != order.leverage) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("orders of {} carry different leverages {} and {} (one leverage per instrument)",
                               order.instrument->id().value(), group->leverage.to_string_trimmed(),
                               order.leverage.to_string_trimmed()),
                   where + ".leverage");
    }
    Decimal& side_total = order.side == model::OrderSide::Buy ? group->buy_notional : group->sell_notional;
    auto sum = side_total.checked_add(*notional);
    if (!sum) return sum.error().with_context(where);
    side_total = *sum;
  }
  return groups;
}

}  // namespace

std::optional<Decimal> margin_ratio(const Money& maintenance_margin, const Money& margin_balance) {
  return margin_ratio(maintenance_margin.amount(), margin_balance.amount());
}

std::optional<Decimal> margin_ratio(const Decimal& maintenance_margin, const Decimal& margin_balance) {
  if (maintenance_margin.is_zero()) return Decimal::from_int(0);
  if (!margin_balance.is_positive()) return std::nullopt;
  return maintenance_margin.div(margin_balance, kMarginRatioScale, RoundingMode::Up);
}

core::Result<PositionMargin> measure_position(const MarginPosition& position, const model::Currency& settlement,
                                              const MarginConfig& config) {
  const std::string where = "position";
  BALLAST_TRY(check_instrument(position.instrument, settlement, where));
  const model::Instrument& instrument = *position.instrument;
  if (position.quantity.is_zero()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("position in {} is flat", instrument.id().value()),
                 where + ".quantity");
  }
  if (!position.entry_price.is_positive() || !position.mark_price.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("entry and mark prices of {} must be positive, got {} and {}", instrument.id().value(),
                             position.entry_price.to_string(), position.mark_price.to_string()),
                 where + ".price");
  }
  auto contracts = internal::multiply(position.quantity.abs(), instrument.multiplier());
  if (!contracts) return contracts.error().with_context(where);
  auto exact_notional = internal::multiply(*contracts, position.mark_price.value());
  if (!exact_notional) return exact_notional.error().with_context(where);
  auto move = internal::multiply(*contracts, position.mark_price.value() - position.entry_price.value());
  if (!move) return move.error().with_context(where);

  BALLAST_TRY(check_leverage(instrument, position.leverage, *exact_notional, where + ".leverage"));
  auto tier = instrument.margin_tier_for(*exact_notional);
  if (!tier) return tier.error().with_context(where);

  PositionMargin out;
  out.instrument_id = instrument.id();
  out.mode = position.mode;
  out.notional = Money(*exact_notional, settlement);
  out.unrealized_pnl = Money(position.quantity.is_positive() ? *move : -*move, settlement);
  auto initial = exact_notional->checked_div(position.leverage, settlement.precision(), RoundingMode::Up);
  if (!initial) return initial.error().with_context(where);
  out.initial_margin = Money(*initial, settlement);
  auto maintenance = instrument.maintenance_margin(Money(*exact_notional, settlement));
  if (!maintenance) return maintenance.error().with_context(where);
  out.maintenance_margin = *maintenance;
  out.tier = *tier;
  if (position.mode == model::MarginMode::Isolated) {
    if (!(position.isolated_margin.currency() == settlement)) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("isolated margin of {} must be in {}, got {}", instrument.id().value(),
                               settlement.code(), position.isolated_margin.to_string()),
                   where + ".isolated_margin");
    }
    const Money balance = position.isolated_margin + out.unrealized_pnl;
    out.isolated_margin_balance = balance;
    out.isolated_margin_ratio = margin_ratio(out.maintenance_margin, balance);
    out.margin_call = !out.isolated_margin_ratio || *out.isolated_margin_ratio >= config.margin_call_ratio;
    out.liquidatable = !out.isolated_margin_ratio || *out.isolated_margin_ratio >= kOne;
  }
  return out;
}

core::Result<MarginManager> MarginManager::create(MarginConfig config) {
  if (!config.margin_call_ratio.is_positive() || config.margin_call_ratio > kOne) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("margin_call_ratio must be in (0, 1], got {}", config.margin_call_ratio.to_string_trimmed()),
                 "margin_call_ratio");
  }
  return MarginManager(config);
}

core::Result<std::vector<OpenOrderMargin>> MarginManager::open_order_margins(const MarginAccountState& account) const {
  auto groups = group_orders(account);
  if (!groups) return groups.error();
  const model::Currency& currency = account.settlement_currency;
  std::vector<OpenOrderMargin> out;
  for (const OrderSides& g : *groups) {
    const std::string where = fmt::format("open_orders[{}]", g.first_index);
    if (g.leverage < kOne) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("leverage of {} must be at least 1, got {}", g.instrument->id().value(),
                               g.leverage.to_string_trimmed()),
                   where + ".leverage");
    }
    auto buy = g.buy_notional.checked_div(g.leverage, currency.precision(), RoundingMode::Up);
    if (!buy) return buy.error().with_context(where);
    auto sell = g.sell_notional.checked_div(g.leverage, currency.precision(), RoundingMode::Up);
    if (!sell) return sell.error().with_context(where);
    OpenOrderMargin m{g.instrument->id(), Money(*buy, currency), Money(*sell, currency), Money::zero(currency)};
    m.charged = m.buy_side >= m.sell_side ? m.buy_side : m.sell_side;
    out.push_back(m);
  }
  return out;
}

core::Result<MarginSummary> MarginManager::evaluate(const MarginAccountState& account) const {
  const model::Currency& currency = account.settlement_currency;
  if (!(account.cross_wallet_balance.currency() == currency)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("cross wallet balance must be in {}, got {}", currency.code(),
                             account.cross_wallet_balance.to_string()),
                 "cross_wallet_balance");
  }
  MarginSummary out;
  out.cross_wallet_balance = account.cross_wallet_balance;
  out.cross_unrealized_pnl = Money::zero(currency);
  out.cross_initial_margin = Money::zero(currency);
  out.cross_maintenance_margin = Money::zero(currency);
  out.open_order_margin = Money::zero(currency);

  std::map<core::InstrumentId, Decimal> position_notional;
  for (std::size_t i = 0; i < account.positions.size(); ++i) {
    const std::string where = fmt::format("positions[{}]", i);
    auto measured = measure_position(account.positions[i], currency, config_);
    if (!measured) {
      const Error& e = measured.error();
      std::string field = e.where();
      if (field.rfind("position", 0) == 0) field = where + field.substr(std::string("position").size());
      return Error(e.code(), e.message(), field);
    }
    if (!position_notional.emplace(measured->instrument_id, measured->notional.amount()).second) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("a second position in {} (one-way mode holds one per instrument)",
                               measured->instrument_id.value()),
                   where);
    }
    if (measured->mode == model::MarginMode::Cross) {
      out.cross_unrealized_pnl += measured->unrealized_pnl;
      out.cross_initial_margin += measured->initial_margin;
      out.cross_maintenance_margin += measured->maintenance_margin;
    } else {
      out.any_margin_call = out.any_margin_call || measured->margin_call;
      out.any_liquidatable = out.any_liquidatable || measured->liquidatable;
    }
    out.positions.push_back(std::move(*measured));
  }

  // Leverage must suit the notional the instrument reaches if the larger order side fills.
  auto groups = group_orders(account);
  if (!groups) return groups.error();
  for (const OrderSides& g : *groups) {
    const auto it = position_notional.find(g.instrument->id());
    const Decimal held = it == position_notional.end() ? Decimal{} : it->second;
    const Decimal larger = g.buy_notional >= g.sell_notional ? g.buy_notional : g.sell_notional;
    BALLAST_TRY(check_leverage(*g.instrument, g.leverage, held + larger,
                               fmt::format("open_orders[{}].leverage", g.first_index)));
  }
  auto orders = open_order_margins(account);
  if (!orders) return orders.error();
  for (const OpenOrderMargin& m : *orders) out.open_order_margin += m.charged;
  out.open_orders = std::move(*orders);

  out.cross_margin_balance = out.cross_wallet_balance + out.cross_unrealized_pnl;
  out.available_margin = out.cross_margin_balance - out.cross_initial_margin - out.open_order_margin;
  out.cross_margin_ratio = margin_ratio(out.cross_maintenance_margin, out.cross_margin_balance);
  out.cross_margin_call = !out.cross_margin_ratio || *out.cross_margin_ratio >= config_.margin_call_ratio;
  out.cross_liquidatable = !out.cross_margin_ratio || *out.cross_margin_ratio >= kOne;
  out.any_margin_call = out.any_margin_call || out.cross_margin_call;
  out.any_liquidatable = out.any_liquidatable || out.cross_liquidatable;
  return out;
}

}  // namespace ballast::portfolio
