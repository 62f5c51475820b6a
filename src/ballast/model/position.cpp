#include "ballast/model/position.hpp"

#include "ballast/model/internal/decimal_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace ballast::model {
namespace {

using core::Error;
using core::ErrorCode;

Decimal zero_at(int scale) {
  return Decimal::from_raw(0, scale);
}

}  // namespace

Position::Position(const Instrument& instrument, const core::AccountId& account_id)
    : instrument_id_(instrument.id()),
      account_id_(account_id),
      settlement_(instrument.settlement_currency()),
      multiplier_(instrument.multiplier()),
      is_inverse_(instrument.is_inverse()),
      price_precision_(instrument.price_precision()),
      quantity_(zero_at(instrument.quantity_precision())),
      peak_quantity_(zero_at(instrument.quantity_precision())),
      gross_realized_pnl_(Money::zero(instrument.settlement_currency())),
      fees_paid_(Money::zero(instrument.settlement_currency())) {
  BALLAST_REQUIRE(!account_id.empty(), "a position needs an account id");
  id_ = core::PositionId(instrument_id_.value() + "-" + account_id_.value());
}

PositionSide Position::side() const noexcept {
  if (quantity_.is_positive()) return PositionSide::Long;
  if (quantity_.is_negative()) return PositionSide::Short;
  return PositionSide::Flat;
}

core::Result<Decimal> Position::value_at(const Decimal& px, const Decimal& qty) const {
  auto contracts = internal::multiply(qty, multiplier_);
  if (!contracts) return contracts.error();
  if (!is_inverse_) return internal::multiply(*contracts, px);
  const int precision = settlement_.precision();
  return internal::divide(*contracts, px, std::min(Decimal::kMaxScale, precision + kInverseCostExtraDigits), precision,
                          RoundingMode::HalfEven);
}

Money Position::to_money(const Decimal& amount) const {
  return Money(amount, settlement_);
}

core::Result<PositionUpdate> Position::apply(const Fill& fill) {
  // Formed only for an error: a fill that applies (all of them in a backtest) needs no text.
  const auto where = [this] { return fmt::format("position {}", id_.value()); };
  if (fill.instrument_id != instrument_id_ || fill.account_id != account_id_) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("fill {} for {} / {} does not belong to this position", fill.trade_id.value(),
                             fill.instrument_id.value(), fill.account_id.value()),
                 where());
  }
  if (!fill.last_qty.is_positive() || !fill.last_px.is_positive()) {
    return Error(ErrorCode::InvalidArgument,
                 fmt::format("fill {} needs a positive quantity and price, got {} @ {}", fill.trade_id.value(),
                             fill.last_qty.to_string(), fill.last_px.to_string()),
                 where());
  }
  const Decimal& px = fill.last_px.value();
  const Decimal& qty = fill.last_qty.value();
  const Decimal before = quantity_;
  PositionUpdate update;
  update.quantity_before = before;
  update.realized_pnl = Money::zero(settlement_);
  update.commission = fill.commission;
  Decimal new_cost;

  if (before.is_zero() || before.sign() == fill.signed_qty().sign()) {
    auto added = value_at(px, qty);
    if (!added) return added.error();
    auto cost = open_cost_.checked_add(*added);
    if (!cost) return cost.error();
    new_cost = *cost;
    update.action = before.is_zero() ? PositionAction::Opened : PositionAction::Increased;
  } else {
    const Decimal open = before.abs();
    const Decimal closed = std::min(qty, open);
    Decimal released = open_cost_;
    if (closed < open) {
      const int scale = std::max(open_cost_.scale(), settlement_.precision());
      auto part = internal::mul_div(open_cost_, closed, open, scale, RoundingMode::HalfEven);
      if (!part) return part.error();
      released = *part;
    }
    auto exit_value = value_at(px, closed);
    if (!exit_value) return exit_value.error();
    // Linear gains when the exit value exceeds the entry value (long); inverse when it falls short.
    auto gain = is_inverse_ ? released.checked_sub(*exit_value) : exit_value->checked_sub(released);
    if (!gain) return gain.error();
    update.realized_pnl = to_money(before.is_positive() ? *gain : -*gain);
    auto remaining = open_cost_.checked_sub(released);
    if (!remaining) return remaining.error();
    new_cost = *remaining;
    if (closed < open) {
      update.action = PositionAction::Reduced;
    } else if (qty == open) {
      update.action = PositionAction::Closed;
    } else {
      auto reopened = value_at(px, qty - open);
      if (!reopened) return reopened.error();
      new_cost = *reopened;
      update.action = PositionAction::Flipped;
    }
  }
  auto after = before.checked_add(fill.signed_qty());
  if (!after) return after.error();
  update.quantity_after = *after;

  // Commit.
  quantity_ = *after;
  open_cost_ = quantity_.is_zero() ? zero_at(open_cost_.scale()) : new_cost;
  peak_quantity_ = std::max(peak_quantity_, quantity_.abs());
  gross_realized_pnl_ += update.realized_pnl;
  if (!fill.commission.currency().empty() && !fill.commission.is_zero()) {
    if (fill.commission.currency() == settlement_) {
      fees_paid_ += fill.commission;
    } else {
      auto it = std::find_if(other_fees_.begin(), other_fees_.end(),
                             [&](const Money& m) { return m.currency() == fill.commission.currency(); });
      if (it == other_fees_.end()) {
        other_fees_.push_back(fill.commission);
      } else {
        *it += fill.commission;
      }
    }
  }
  switch (update.action) {
    case PositionAction::Opened:
    case PositionAction::Flipped:
      ts_opened_ = fill.ts_event;
      ts_closed_.reset();
      break;
    case PositionAction::Closed: ts_closed_ = fill.ts_event; break;
    case PositionAction::Increased:
    case PositionAction::Reduced: break;
  }
  ++fill_count_;
  ts_last_ = std::max(ts_last_, fill.ts_event);
  last_fill_ = fill;
  return update;
}

std::optional<Decimal> Position::avg_px_open() const {
  if (quantity_.is_zero()) return std::nullopt;
  const int scale = std::min(Decimal::kMaxScale, price_precision_ + kAvgPxExtraDigits);
  auto contracts = internal::multiply(quantity_.abs(), multiplier_);
  BALLAST_REQUIRE(contracts.has_value(), contracts.error().message());
  auto px = is_inverse_ ? internal::divide(*contracts, open_cost_, scale, 0, RoundingMode::HalfEven)
                        : internal::divide(open_cost_, *contracts, scale, 0, RoundingMode::HalfEven);
  BALLAST_REQUIRE(px.has_value(), px.error().message());
  return *px;
}

Money Position::unrealized_pnl(const Price& mark) const {
  if (quantity_.is_zero()) return Money::zero(settlement_);
  BALLAST_REQUIRE(!is_inverse_ || mark.is_positive(),
                  fmt::format("unrealized P&L of inverse {} needs a positive mark, got {}", instrument_id_.value(),
                              mark.to_string()));
  auto current = value_at(mark.value(), quantity_.abs());
  BALLAST_REQUIRE(current.has_value(), current.error().message());
  const Decimal gain = is_inverse_ ? open_cost_ - *current : *current - open_cost_;
  return to_money(quantity_.is_positive() ? gain : -gain);
}

Money Position::notional_value(const Price& mark) const {
  if (quantity_.is_zero()) return Money::zero(settlement_);
  auto contracts = internal::multiply(quantity_.abs(), multiplier_);
  BALLAST_REQUIRE(contracts.has_value(), contracts.error().message());
  if (is_inverse_) {
    BALLAST_REQUIRE(mark.is_positive(), fmt::format("notional of inverse {} needs a positive mark, got {}",
                                                    instrument_id_.value(), mark.to_string()));
    return to_money(contracts->div(mark.value(), settlement_.precision(), RoundingMode::HalfEven));
  }
  auto value = internal::multiply(*contracts, mark.value());
  BALLAST_REQUIRE(value.has_value(), value.error().message());
  return to_money(*value);
}

PositionEvent Position::make_event(const PositionUpdate& update, core::UnixNanos ts_init) const {
  PositionEventBase base;
  base.position_id = id_;
  base.account_id = account_id_;
  base.instrument_id = instrument_id_;
  if (last_fill_) {
    base.client_order_id = last_fill_->client_order_id;
    base.trade_id = last_fill_->trade_id;
    base.last_px = last_fill_->last_px;
    base.ts_event = last_fill_->ts_event;
  }
  base.side = side();
  base.quantity = quantity_;
  base.peak_quantity = peak_quantity_;
  base.avg_px_open = avg_px_open().value_or(Decimal());
  base.realized_pnl = realized_pnl();
  base.fees_paid = fees_paid_;
  base.fill_count = fill_count_;
  base.ts_opened = ts_opened_.value_or(core::UnixNanos());
  base.ts_init = ts_init;
  switch (update.action) {
    case PositionAction::Opened: return PositionOpened{base};
    case PositionAction::Closed: return PositionClosed{base};
    case PositionAction::Increased:
    case PositionAction::Reduced:
    case PositionAction::Flipped: return PositionChanged{base};
  }
  return PositionChanged{base};
}

}  // namespace ballast::model
