#include "ballast/portfolio/liquidation.hpp"

#include "ballast/portfolio/internal/exact_math.hpp"
#include "ballast/portfolio/margin_manager.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

namespace ballast::portfolio {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;

constexpr std::array<std::pair<LiquidationOutcome, std::string_view>, 3> kOutcomeNames{{
    {LiquidationOutcome::AtPrice, "AT_PRICE"},
    {LiquidationOutcome::Never, "NEVER"},
    {LiquidationOutcome::AtAnyPrice, "AT_ANY_PRICE"},
}};

// The pieces of the formula that do not depend on the tier.
struct Terms {
  const model::Instrument* instrument{nullptr};
  int side{1};
  Decimal contracts{};  // Q = |position| × multiplier
  Decimal base{};       // WB − TMM1 + UPNL1 − side × Q × EP
  int scale{0};         // places of the unrounded solution
};

struct Solution {
  Decimal numerator{};
  Decimal denominator{};
  Decimal unrounded{};
};

core::Result<Solution> solve(const Terms& t, const model::MarginTier& tier) {
  auto numerator = t.base.checked_add(tier.maintenance_amount);
  if (!numerator) return numerator.error();
  auto by_rate = internal::multiply(t.contracts, tier.maintenance_margin_rate);
  if (!by_rate) return by_rate.error();
  auto denominator = t.side > 0 ? by_rate->checked_sub(t.contracts) : by_rate->checked_add(t.contracts);
  if (!denominator) return denominator.error();
  // MMR < 1 (Instrument::create), so the denominator is negative for a long and positive for a short.
  BALLAST_ENSURE(!denominator->is_zero(), "liquidation denominator Q × MMR − side × Q is zero");
  auto unrounded = numerator->checked_div(*denominator, t.scale, RoundingMode::HalfEven);
  if (!unrounded) return unrounded.error();
  return Solution{*numerator, *denominator, *unrounded};
}

// Index of the tier holding Q × price; a non-positive price maps to the first tier and a notional above
// the last cap to the last tier (the formula stays valid there; the venue would not allow that size).
core::Result<std::size_t> tier_at(const Terms& t, const Decimal& price) {
  const auto& tiers = t.instrument->margin_tiers();
  if (!price.is_positive()) return std::size_t{0};
  auto notional = internal::multiply(t.contracts, price);
  if (!notional) return notional.error();
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (*notional <= tiers[i].notional_cap) return i;
  }
  return tiers.size() - 1;
}

core::Result<LiquidationPrice> finish(const Terms& t, const MarginPosition& position, const Solution& s,
                                      const model::MarginTier& tier, int passes) {
  LiquidationPrice out;
  out.tier = tier;
  out.passes = passes;
  if (!s.unrounded.is_positive()) {
    out.outcome = t.side > 0 ? LiquidationOutcome::Never : LiquidationOutcome::AtAnyPrice;
    out.reached_at_mark = t.side < 0;
    return out;
  }
  const model::Price& tick = t.instrument->tick_size();
  const RoundingMode away = t.side > 0 ? RoundingMode::Up : RoundingMode::Down;
  // Rounding the exact quotient in the same direction twice (to the tick's places, then to the tick) is
  // the same as rounding it once to the tick.
  auto at_tick_places = s.numerator.checked_div(s.denominator, tick.precision(), away);
  if (!at_tick_places) return at_tick_places.error();
  auto on_tick = at_tick_places->round_to_increment(tick.value(), away);
  if (!on_tick) return on_tick.error();
  out.outcome = LiquidationOutcome::AtPrice;
  out.price = model::Price(*on_tick);
  out.unrounded = s.unrounded;
  out.reached_at_mark =
      t.side > 0 ? position.mark_price.value() <= s.unrounded : position.mark_price.value() >= s.unrounded;
  return out;
}

}  // namespace

std::string_view to_string(LiquidationOutcome outcome) noexcept {
  for (const auto& [value, name] : kOutcomeNames) {
    if (value == outcome) return name;
  }
  return "UNKNOWN";
}

core::Result<LiquidationOutcome> parse_liquidation_outcome(std::string_view text) {
  for (const auto& [value, name] : kOutcomeNames) {
    if (name == text) return value;
  }
  return Error(ErrorCode::InvalidArgument,
               fmt::format("LiquidationOutcome '{}' is not one of AT_PRICE, NEVER, AT_ANY_PRICE", text));
}

core::Result<LiquidationPrice> liquidation_price(const MarginAccountState& account, std::size_t position_index) {
  if (position_index >= account.positions.size()) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("position index {} is outside the snapshot's {} positions", position_index,
                             account.positions.size()),
                 "position_index");
  }
  const model::Currency& currency = account.settlement_currency;
  const MarginPosition& position = account.positions[position_index];
  const std::string where = fmt::format("positions[{}]", position_index);
  const MarginConfig config{};
  auto measured = measure_position(position, currency, config);
  if (!measured) return measured.error().with_context(where);
  const model::Instrument& instrument = *position.instrument;

  Terms t;
  t.instrument = &instrument;
  t.side = position.quantity.is_positive() ? 1 : -1;
  t.scale = std::min(Decimal::kMaxScale, instrument.price_precision() + kLiquidationExtraDigits);
  auto contracts = internal::multiply(position.quantity.abs(), instrument.multiplier());
  if (!contracts) return contracts.error().with_context(where);
  t.contracts = *contracts;

  Decimal wallet;
  Decimal others_maintenance;
  Decimal others_pnl;
  if (position.mode == model::MarginMode::Isolated) {
    wallet = position.isolated_margin.amount();
  } else {
    if (!(account.cross_wallet_balance.currency() == currency)) {
      return Error(ErrorCode::InvalidArgument,
                   fmt::format("cross wallet balance must be in {}, got {}", currency.code(),
                               account.cross_wallet_balance.to_string()),
                   "cross_wallet_balance");
    }
    wallet = account.cross_wallet_balance.amount();
    for (std::size_t j = 0; j < account.positions.size(); ++j) {
      if (j == position_index || account.positions[j].mode != model::MarginMode::Cross) continue;
      auto other = measure_position(account.positions[j], currency, config);
      if (!other) return other.error().with_context(fmt::format("positions[{}]", j));
      if (other->instrument_id == instrument.id()) {
        return Error(ErrorCode::InvalidArgument,
                     fmt::format("a second position in {} (one-way mode holds one per instrument)",
                                 instrument.id().value()),
                     fmt::format("positions[{}]", j));
      }
      others_maintenance += other->maintenance_margin.amount();
      others_pnl += other->unrealized_pnl.amount();
    }
  }
  auto entry_value = internal::multiply(t.contracts, position.entry_price.value());
  if (!entry_value) return entry_value.error().with_context(where);
  const Decimal signed_entry_value = t.side > 0 ? *entry_value : -*entry_value;
  auto base = wallet.checked_sub(others_maintenance);
  if (base) base = base->checked_add(others_pnl);
  if (base) base = base->checked_sub(signed_entry_value);
  if (!base) return base.error().with_context(where);
  t.base = *base;

  const auto& tiers = instrument.margin_tiers();
  std::size_t k = 0;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i] == measured->tier) k = i;
  }
  int passes = 0;
  for (std::size_t walk = 0; walk <= tiers.size(); ++walk) {
    auto s = solve(t, tiers[k]);
    if (!s) return s.error().with_context(where);
    ++passes;
    auto j = tier_at(t, s->unrounded);
    if (!j) return j.error().with_context(where);
    if (*j == k) return finish(t, position, *s, tiers[k], passes);
    k = *j;
  }
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    auto s = solve(t, tiers[i]);
    if (!s) return s.error().with_context(where);
    ++passes;
    auto j = tier_at(t, s->unrounded);
    if (!j) return j.error().with_context(where);
    if (*j == i) return finish(t, position, *s, tiers[i], passes);
  }
  return Error(ErrorCode::InvalidArgument,
               fmt::format("no margin tier of {} is consistent with its own liquidation price; the tiers' "
                           "maintenance amounts do not make the maintenance margin continuous",
                           instrument.id().value()),
               where);
}

}  // namespace ballast::portfolio
