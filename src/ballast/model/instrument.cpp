#include "ballast/model/instrument.hpp"

#include "ballast/model/internal/decimal_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

namespace ballast::model {
namespace {

using core::Error;
using core::ErrorCode;

constexpr Decimal kOne = Decimal::from_int(1);

class Problems {
 public:
  void add(std::string problem) { items_.push_back(std::move(problem)); }
  bool empty() const { return items_.empty(); }
  std::string joined() const {
    std::string out;
    for (const auto& item : items_) {
      if (!out.empty()) out += "; ";
      out += item;
    }
    return out;
  }

 private:
  std::vector<std::string> items_;
};

void validate_currencies(const InstrumentSpec& spec, Problems& problems) {
  if (spec.base_currency.empty()) problems.add("base_currency must be set");
  if (spec.quote_currency.empty()) problems.add("quote_currency must be set");
  if (spec.settlement_currency.empty()) problems.add("settlement_currency must be set");
  if (spec.base_currency.empty() || spec.quote_currency.empty() || spec.settlement_currency.empty()) return;
  if (spec.base_currency == spec.quote_currency) {
    problems.add(fmt::format("base_currency and quote_currency must differ, both are {}", spec.base_currency.code()));
  }
  if (spec.is_inverse) {
    if (spec.kind != InstrumentKind::Perpetual && spec.kind != InstrumentKind::DatedFuture) {
      problems.add(fmt::format("is_inverse needs a PERPETUAL or DATED_FUTURE, not {}", to_string(spec.kind)));
    }
    if (!(spec.settlement_currency == spec.base_currency)) {
      problems.add(fmt::format("an inverse instrument settles in its base currency {}, not {}",
                               spec.base_currency.code(), spec.settlement_currency.code()));
    }
  } else if (!(spec.settlement_currency == spec.quote_currency)) {
    problems.add(fmt::format("a linear instrument settles in its quote currency {}, not {}", spec.quote_currency.code(),
                             spec.settlement_currency.code()));
  }
}

void validate_trading_rules(const InstrumentSpec& spec, Problems& problems) {
  const bool step_ok = spec.step_size.is_positive();
  if (!spec.tick_size.is_positive()) {
    problems.add(fmt::format("tick_size must be positive, got {}", spec.tick_size.to_string()));
  }
  if (!step_ok) problems.add(fmt::format("step_size must be positive, got {}", spec.step_size.to_string()));
  if (step_ok && !spec.min_quantity.is_on_step(spec.step_size)) {
    problems.add(fmt::format("min_quantity {} is not a multiple of step_size {}", spec.min_quantity.to_string(),
                             spec.step_size.to_string()));
  }
  if (spec.max_quantity) {
    const Quantity& max = *spec.max_quantity;
    if (!max.is_positive()) problems.add(fmt::format("max_quantity must be positive, got {}", max.to_string()));
    if (spec.min_quantity > max) {
      problems.add(
          fmt::format("min_quantity {} exceeds max_quantity {}", spec.min_quantity.to_string(), max.to_string()));
    }
    if (step_ok && max.is_positive() && !max.is_on_step(spec.step_size)) {
      problems.add(fmt::format("max_quantity {} is not a multiple of step_size {}", max.to_string(),
                               spec.step_size.to_string()));
    }
  }
  if (spec.min_notional) {
    if (!spec.settlement_currency.empty() && !(spec.min_notional->currency() == spec.settlement_currency)) {
      problems.add(fmt::format("min_notional must be in the settlement currency {}, got {}",
                               spec.settlement_currency.code(), spec.min_notional->to_string()));
    }
    if (spec.min_notional->is_negative()) {
      problems.add(fmt::format("min_notional cannot be negative, got {}", spec.min_notional->to_string()));
    }
  }
  if (!spec.multiplier.is_positive()) {
    problems.add(fmt::format("multiplier must be positive, got {}", spec.multiplier.to_string_trimmed()));
  }
  const auto check_fee = [&](const Decimal& rate, std::string_view name) {
    if (rate <= -kOne || rate >= kOne) {
      problems.add(fmt::format("{} must be a fraction in (-1, 1), got {}", name, rate.to_string_trimmed()));
    }
  };
  check_fee(spec.maker_fee_rate, "maker_fee_rate");
  check_fee(spec.taker_fee_rate, "taker_fee_rate");
  if (spec.kind == InstrumentKind::DatedFuture && !spec.expiry) problems.add("a DATED_FUTURE needs an expiry");
  if (spec.kind != InstrumentKind::DatedFuture && spec.expiry) {
    problems.add(fmt::format("expiry is only for a DATED_FUTURE, not {}", to_string(spec.kind)));
  }
}

void validate_margin_tiers(const std::vector<MarginTier>& tiers, Problems& problems) {
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const MarginTier& t = tiers[i];
    const std::string name = fmt::format("margin_tiers[{}]", i);
    if (t.notional_cap <= t.notional_floor) {
      problems.add(fmt::format("{}.notional_cap {} must exceed its notional_floor {}", name,
                               t.notional_cap.to_string_trimmed(), t.notional_floor.to_string_trimmed()));
    }
    if (t.max_leverage < kOne) {
      problems.add(fmt::format("{}.max_leverage must be at least 1, got {}", name, t.max_leverage.to_string_trimmed()));
    }
    if (t.maintenance_margin_rate.is_negative() || t.maintenance_margin_rate >= kOne) {
      problems.add(fmt::format("{}.maintenance_margin_rate must be in [0, 1), got {}", name,
                               t.maintenance_margin_rate.to_string_trimmed()));
    } else if (t.max_leverage >= kOne) {
      // Maintenance margin must stay below the initial margin notional / max_leverage.
      auto product = internal::multiply(t.maintenance_margin_rate, t.max_leverage);
      if (!product || *product >= kOne) {
        problems.add(fmt::format("{}.maintenance_margin_rate {} times max_leverage {} must be below 1", name,
                                 t.maintenance_margin_rate.to_string_trimmed(), t.max_leverage.to_string_trimmed()));
      }
    }
    if (t.maintenance_amount.is_negative()) {
      problems.add(fmt::format("{}.maintenance_amount cannot be negative, got {}", name,
                               t.maintenance_amount.to_string_trimmed()));
    }
    if (i == 0) {
      if (!t.notional_floor.is_zero()) {
        problems.add(
            fmt::format("margin_tiers[0].notional_floor must be 0, got {}", t.notional_floor.to_string_trimmed()));
      }
      continue;
    }
    const MarginTier& prev = tiers[i - 1];
    if (t.notional_floor != prev.notional_cap) {
      problems.add(
          fmt::format("{}.notional_floor {} must equal margin_tiers[{}].notional_cap {} (tiers must be contiguous)",
                      name, t.notional_floor.to_string_trimmed(), i - 1, prev.notional_cap.to_string_trimmed()));
    }
    if (t.max_leverage > prev.max_leverage) {
      problems.add(fmt::format("{}.max_leverage {} exceeds the lower tier's {} (leverage must not rise with notional)",
                               name, t.max_leverage.to_string_trimmed(), prev.max_leverage.to_string_trimmed()));
    }
    if (t.maintenance_margin_rate < prev.maintenance_margin_rate) {
      problems.add(fmt::format(
          "{}.maintenance_margin_rate {} is below the lower tier's {} (rates must not fall with notional)", name,
          t.maintenance_margin_rate.to_string_trimmed(), prev.maintenance_margin_rate.to_string_trimmed()));
    }
  }
}

// The fixed-point range covers every legitimate notional; failing it is a broken invariant.
Decimal value_or_throw(core::Result<Decimal> r) {
  BALLAST_REQUIRE(r.has_value(), r.error().message());
  return *r;
}

}  // namespace

core::Result<Instrument> Instrument::create(InstrumentSpec spec) {
  Problems problems;
  if (spec.id.empty()) problems.add("id must be set");
  validate_currencies(spec, problems);
  validate_trading_rules(spec, problems);
  std::stable_sort(spec.margin_tiers.begin(), spec.margin_tiers.end(),
                   [](const MarginTier& a, const MarginTier& b) { return a.notional_floor < b.notional_floor; });
  validate_margin_tiers(spec.margin_tiers, problems);
  if (!problems.empty()) {
    const std::string name = spec.id.empty() ? std::string("(no id)") : spec.id.value();
    return Error(ErrorCode::InvalidArgument, fmt::format("invalid instrument {}: {}", name, problems.joined()),
                 "instrument");
  }
  return Instrument(std::move(spec));
}

Money Instrument::notional(const Price& price, const Quantity& quantity, RoundingMode mode) const {
  const int precision = spec_.settlement_currency.precision();
  const Decimal contracts = value_or_throw(internal::multiply(quantity.value(), spec_.multiplier));
  if (spec_.is_inverse) {
    BALLAST_REQUIRE(price.is_positive(), fmt::format("inverse notional of {} needs a positive price, got {}",
                                                     spec_.id.value(), price.to_string()));
    return Money(value_or_throw(contracts.checked_div(price.value(), precision, mode)), spec_.settlement_currency);
  }
  const Decimal exact = value_or_throw(internal::multiply(contracts, price.value()));
  return Money(value_or_throw(exact.rescaled(precision, mode)), spec_.settlement_currency);
}

Money Instrument::commission(const Price& price, const Quantity& quantity, LiquiditySide liquidity) const {
  const int precision = spec_.settlement_currency.precision();
  const Decimal& rate = fee_rate(liquidity);
  const Decimal contracts = value_or_throw(internal::multiply(quantity.value(), spec_.multiplier));
  if (spec_.is_inverse) {
    BALLAST_REQUIRE(price.is_positive(), fmt::format("inverse commission of {} needs a positive price, got {}",
                                                     spec_.id.value(), price.to_string()));
    return Money(value_or_throw(internal::mul_div(contracts, rate, price.value(), precision, RoundingMode::Up)),
                 spec_.settlement_currency);
  }
  const Decimal exact = value_or_throw(internal::multiply(contracts, price.value()));
  const Decimal fee = value_or_throw(internal::multiply(exact, rate));
  return Money(value_or_throw(fee.rescaled(precision, RoundingMode::Up)), spec_.settlement_currency);
}

core::Result<MarginTier> Instrument::margin_tier_for(const Decimal& notional) const {
  if (notional.is_negative()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("margin tier lookup needs a non-negative notional, got {}", notional.to_string_trimmed()),
                 "notional");
  }
  if (spec_.margin_tiers.empty()) {
    return Error(ErrorCode::NotFound, fmt::format("instrument {} has no margin tiers", spec_.id.value()));
  }
  for (const MarginTier& tier : spec_.margin_tiers) {
    if (notional <= tier.notional_cap) return tier;
  }
  return Error(ErrorCode::OutOfRange,
               fmt::format("notional {} {} exceeds the largest margin tier cap {} of {}", notional.to_string_trimmed(),
                           spec_.settlement_currency.code(), spec_.margin_tiers.back().notional_cap.to_string_trimmed(),
                           spec_.id.value()),
               "notional");
}

core::Result<Money> Instrument::maintenance_margin(const Money& notional) const {
  if (!(notional.currency() == spec_.settlement_currency)) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("maintenance margin of {} needs a notional in {}, got {}", spec_.id.value(),
                             spec_.settlement_currency.code(), notional.to_string()),
                 "notional");
  }
  const Decimal amount = notional.amount().abs();
  if (auto tier = margin_tier_for(amount); !tier) return tier.error();  // names what is wrong with the tiers
  const auto margin = maintenance_margin_amount(amount);
  if (!margin) {
    return Error(ErrorCode::Overflow,
                 fmt::format("maintenance margin of {} at notional {} is outside the fixed-point range", spec_.id.value(),
                             amount.to_string_trimmed()),
                 "notional");
  }
  return Money(*margin, spec_.settlement_currency);
}

std::optional<Decimal> Instrument::maintenance_margin_amount(const Decimal& notional) const noexcept {
  if (notional.is_negative()) return std::nullopt;
  const MarginTier* tier = nullptr;
  for (const MarginTier& t : spec_.margin_tiers) {
    if (notional <= t.notional_cap) {
      tier = &t;
      break;
    }
  }
  if (tier == nullptr) return std::nullopt;
  // The common case formed directly (it runs on every mark; a Result read back right after it was written
  // stalls): notional × rate exact at its scale, less the tier's amount, rounded up to the settlement
  // precision. The same arithmetic as the general path below, which handles the rest.
  const int precision = spec_.settlement_currency.precision();
  const Decimal& rate = tier->maintenance_margin_rate;
  const Decimal& amount = tier->maintenance_amount;
  const int product_scale = notional.scale() + rate.scale();
  const int scale = std::max(product_scale, amount.scale());
  if (scale <= Decimal::kMaxScale && scale >= precision) {
    const core::Int128 product = static_cast<core::Int128>(notional.raw()) * rate.raw();
    const core::Int128 difference =
        product * core::detail::kPow10Int[static_cast<std::size_t>(scale - product_scale)] -
        static_cast<core::Int128>(amount.raw()) * core::detail::kPow10Int[static_cast<std::size_t>(scale - amount.scale())];
    constexpr core::Int128 kMin = std::numeric_limits<std::int64_t>::min();
    constexpr core::Int128 kMax = std::numeric_limits<std::int64_t>::max();
    if (product >= kMin && product <= kMax && difference >= kMin && difference <= kMax) {
      return Decimal::from_raw(static_cast<std::int64_t>(difference), scale).rescale(precision, RoundingMode::Up);
    }
  }
  auto by_rate = internal::multiply(notional, tier->maintenance_margin_rate);
  if (!by_rate) return std::nullopt;
  auto margin = by_rate->checked_sub(tier->maintenance_amount);
  if (!margin) return std::nullopt;
  auto rounded = margin->rescaled(spec_.settlement_currency.precision(), RoundingMode::Up);
  if (!rounded) return std::nullopt;
  return *rounded;
}

core::Result<Price> Instrument::round_price(const Price& price, RoundingMode mode) const {
  return price.round_to_tick(spec_.tick_size, mode);
}

core::Result<Quantity> Instrument::round_quantity(const Quantity& quantity, RoundingMode mode) const {
  return quantity.round_to_step(spec_.step_size, mode);
}

core::Status Instrument::check_price_on_tick(const Price& price) const {
  if (price.is_on_tick(spec_.tick_size)) return core::ok();
  return Error(ErrorCode::InvalidArgument,
               fmt::format("price {} is not a multiple of the tick size {} of {}", price.to_string(),
                           spec_.tick_size.to_string(), spec_.id.value()),
               "price");
}

core::Status Instrument::check_quantity_on_step(const Quantity& quantity) const {
  if (quantity.is_on_step(spec_.step_size)) return core::ok();
  return Error(ErrorCode::InvalidArgument,
               fmt::format("quantity {} is not a multiple of the step size {} of {}", quantity.to_string(),
                           spec_.step_size.to_string(), spec_.id.value()),
               "quantity");
}

core::Status Instrument::check_quantity_limits(const Quantity& quantity) const {
  if (quantity < spec_.min_quantity) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("quantity {} is below the minimum {} of {}", quantity.to_string(),
                             spec_.min_quantity.to_string(), spec_.id.value()),
                 "quantity");
  }
  if (spec_.max_quantity && quantity > *spec_.max_quantity) {
    return Error(ErrorCode::OutOfRange,
                 fmt::format("quantity {} is above the maximum {} of {}", quantity.to_string(),
                             spec_.max_quantity->to_string(), spec_.id.value()),
                 "quantity");
  }
  return core::ok();
}

core::Status Instrument::check_min_notional(const Price& price, const Quantity& quantity) const {
  if (!spec_.min_notional) return core::ok();
  // Truncate toward zero so an order just under the minimum is never rounded up to pass.
  const Money value = notional(price, quantity, RoundingMode::TowardZero);
  if (value >= *spec_.min_notional) return core::ok();
  return Error(ErrorCode::OutOfRange,
               fmt::format("notional {} of {} at {} is below the minimum {} of {}", value.to_string(),
                           quantity.to_string(), price.to_string(), spec_.min_notional->to_string(), spec_.id.value()),
               "quantity");
}

}  // namespace ballast::model
