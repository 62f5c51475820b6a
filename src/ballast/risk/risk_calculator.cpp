#include "ballast/risk/risk_calculator.hpp"

#include "ballast/risk/internal/decimal_product.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <tuple>
#include <utility>

namespace ballast::risk {
namespace {

using core::Decimal;
using core::Error;
using core::ErrorCode;
using core::RoundingMode;

constexpr std::array<std::pair<ExitBasis, std::string_view>, 4> kExitBasisNames{{
    {ExitBasis::Stop, "STOP"},
    {ExitBasis::Liquidation, "LIQUIDATION"},
    {ExitBasis::PriceZero, "PRICE_ZERO"},
    {ExitBasis::Mark, "MARK"},
}};

// quantity × multiplier × price_difference, exact where the fixed-point range allows, as Money.
core::Result<model::Money> amount_of(const model::Instrument& instrument, const Decimal& quantity,
                                     const Decimal& price_difference) {
  auto units = internal::product(quantity, instrument.multiplier());
  if (!units) return units.error();
  auto value = internal::product(*units, price_difference);
  if (!value) return value.error();
  return model::Money(*value, instrument.settlement_currency());
}

core::Result<Decimal> ratio(const Decimal& numerator, const Decimal& denominator) {
  return numerator.checked_div(denominator, kRatioScale, RoundingMode::HalfEven);
}

// (ExitBasis, exit price) for a position given its liquidation outcome and optional stop.
std::pair<ExitBasis, model::Price> choose_exit(const portfolio::MarginPosition& position,
                                               const portfolio::LiquidationPrice& lp,
                                               const std::optional<model::Price>& stop) {
  const bool is_long = position.quantity.is_positive();
  if (lp.outcome == portfolio::LiquidationOutcome::AtAnyPrice || lp.reached_at_mark) {
    return {ExitBasis::Mark, position.mark_price};
  }
  if (lp.outcome == portfolio::LiquidationOutcome::Never) {
    if (stop) return {ExitBasis::Stop, *stop};
    return {ExitBasis::PriceZero, model::Price(Decimal::from_int(0))};
  }
  const model::Price& liq = *lp.price;
  if (!stop) return {ExitBasis::Liquidation, liq};
  const bool liquidation_first = is_long ? liq >= *stop : liq <= *stop;
  return liquidation_first ? std::pair{ExitBasis::Liquidation, liq} : std::pair{ExitBasis::Stop, *stop};
}

core::Status check_positive(const model::Price& price, std::string_view field) {
  if (!price.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("must be positive, got {}", price.to_string()),
                 std::string(field));
  }
  return core::ok();
}

}  // namespace

std::string_view to_string(ExitBasis basis) noexcept {
  for (const auto& [value, name] : kExitBasisNames) {
    if (value == basis) return name;
  }
  return "UNKNOWN";
}

core::Result<ExitBasis> parse_exit_basis(std::string_view text) {
  std::string allowed;
  for (const auto& [value, name] : kExitBasisNames) {
    if (name == text) return value;
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return Error(ErrorCode::InvalidArgument, fmt::format("ExitBasis '{}' is not one of {}", text, allowed));
}

core::Result<MaxLoss> max_loss(const portfolio::MarginAccountState& account, std::size_t position_index,
                               std::optional<model::Price> stop) {
  if (stop) BALLAST_TRY(check_positive(*stop, "stop"));
  // liquidation_price validates the index and the entry (instrument, linear, prices, leverage).
  auto lp = portfolio::liquidation_price(account, position_index);
  if (!lp) return lp.error();
  const portfolio::MarginPosition& position = account.positions[position_index];
  const model::Instrument& instrument = *position.instrument;
  const model::Quantity size(position.quantity.abs());

  MaxLoss out;
  out.liquidation = *lp;
  std::tie(out.basis, out.exit_price) = choose_exit(position, *lp, stop);

  auto price_loss = amount_of(instrument, position.quantity, position.entry_price.value() - out.exit_price.value());
  if (!price_loss) return price_loss.error();
  auto from_mark = amount_of(instrument, position.quantity, position.mark_price.value() - out.exit_price.value());
  if (!from_mark) return from_mark.error();
  out.price_loss = *price_loss;
  out.entry_fee = instrument.commission(position.entry_price, size, model::LiquiditySide::Taker);
  out.exit_fee = instrument.commission(out.exit_price, size, model::LiquiditySide::Taker);
  out.total_loss = out.price_loss + out.entry_fee + out.exit_fee;
  out.loss_from_mark = *from_mark + out.exit_fee;
  if (position.mode == model::MarginMode::Isolated) out.isolated_margin = position.isolated_margin;
  return out;
}

core::Result<RiskReward> risk_reward(const TradePlan& plan) {
  BALLAST_REQUIRE(plan.instrument != nullptr, "TradePlan::instrument must be set");
  const model::Instrument& instrument = *plan.instrument;
  if (instrument.is_inverse()) {
    return Error(ErrorCode::Unsupported,
                 fmt::format("risk/reward of inverse contract {} is not supported (linear contracts only)",
                             instrument.id().value()),
                 "instrument");
  }
  if (!plan.quantity.is_positive()) {
    return Error(ErrorCode::InvalidArgument, fmt::format("must be positive, got {}", plan.quantity.to_string()),
                 "quantity");
  }
  BALLAST_TRY(check_positive(plan.entry, "entry"));
  BALLAST_TRY(check_positive(plan.stop, "stop"));
  BALLAST_TRY(check_positive(plan.target, "target"));
  const bool buy = plan.side == model::OrderSide::Buy;
  if (buy ? !(plan.stop < plan.entry) : !(plan.stop > plan.entry)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("a {} stop must be {} the entry {}, got {}", model::to_string(plan.side),
                             buy ? "below" : "above", plan.entry.to_string(), plan.stop.to_string()),
                 "stop");
  }
  if (buy ? !(plan.target > plan.entry) : !(plan.target < plan.entry)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("a {} target must be {} the entry {}, got {}", model::to_string(plan.side),
                             buy ? "above" : "below", plan.entry.to_string(), plan.target.to_string()),
                 "target");
  }
  const Decimal& q = plan.quantity.value();
  auto risk = amount_of(instrument, q, (plan.entry.value() - plan.stop.value()).abs());
  if (!risk) return risk.error();
  auto reward = amount_of(instrument, q, (plan.target.value() - plan.entry.value()).abs());
  if (!reward) return reward.error();

  RiskReward out;
  out.risk = *risk;
  out.reward = *reward;
  auto r = ratio(out.reward.amount(), out.risk.amount());
  if (!r) return r.error();
  out.reward_risk_ratio = *r;
  // 1 / (1 + R) = risk / (risk + reward): one rounding instead of two.
  auto be = ratio(out.risk.amount(), (out.risk + out.reward).amount());
  if (!be) return be.error();
  out.break_even_win_rate = *be;

  out.entry_fee = instrument.commission(plan.entry, plan.quantity, model::LiquiditySide::Taker);
  out.stop_fee = instrument.commission(plan.stop, plan.quantity, model::LiquiditySide::Taker);
  out.target_fee = instrument.commission(plan.target, plan.quantity, model::LiquiditySide::Taker);
  out.net_risk = out.risk + out.entry_fee + out.stop_fee;
  out.net_reward = out.reward - out.entry_fee - out.target_fee;
  auto net_r = ratio(out.net_reward.amount(), out.net_risk.amount());
  if (!net_r) return net_r.error();
  out.net_reward_risk_ratio = *net_r;
  if (out.net_reward.amount().is_positive()) {
    auto net_be = ratio(out.net_risk.amount(), (out.net_risk + out.net_reward).amount());
    if (!net_be) return net_be.error();
    out.net_break_even_win_rate = *net_be;
  }
  return out;
}

}  // namespace ballast::risk
