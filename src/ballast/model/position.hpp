#pragma once
// Position: the net exposure of one account in one instrument (netting: one position per instrument and
// account), built from fills.
//
// Conventions:
//  - quantity() is signed: long > 0, short < 0, in the instrument's quantity units (contracts for inverse).
//  - Cost basis: the position keeps open_cost(), the settlement-currency value of the open quantity at
//    its entry prices — Σ price × qty × multiplier for linear contracts (exact) and Σ qty × multiplier / price
//    for inverse contracts (rounded half-even at settlement precision + kInverseCostExtraDigits places).
//    avg_px_open() is derived from it: cost / (|qty| × multiplier) for linear, the qty-weighted harmonic
//    mean |qty| × multiplier / cost for inverse, rounded half-even at the tick's precision +
//    kAvgPxExtraDigits. Increasing a position adds the fill's cost, so the average is the quantity-weighted
//    one (buy 1 @ 100, buy 1 @ 110 → 105).
//  - Reducing by c out of |q| releases cost × c / |q| of the basis (rounded half-even at the basis' scale
//    or the settlement precision, whichever is finer; all of it on a full close) — the same as closing
//    "at the average entry", but the rounding never accumulates: whatever a partial close rounds away stays
//    in the basis and is released by the next close, so over a position's life the realized P&L equals
//    exit value − entry value (up to the final rounding of each fill's P&L to the currency precision).
//      linear:  P&L = (exit − entry) × c × multiplier × sign
//      inverse: P&L = c × multiplier × (1/entry − 1/exit) × sign   (in the base currency)
//    where sign = +1 when closing a long, −1 when closing a short.
//  - Flip through zero: a fill larger than the open quantity closes it fully and opens the remainder on
//    the other side at the fill price.
//  - Realized P&L per fill is rounded half-even to the settlement currency's precision (as venues report
//    it); realized_pnl() is the sum of those amounts minus fees. Fees: a commission in the settlement
//    currency (positive = paid) reduces realized_pnl() and adds to fees_paid() — the whole commission of
//    the fill at once, including on a flip. Commissions in other currencies (e.g. a fee token) go to
//    other_fees() and do not touch P&L; converting them is the portfolio's job.
//  - realized_pnl() accumulates over the object's whole life, across closes and re-openings.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/events.hpp"
#include "ballast/model/fill.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace ballast::model {

// What one fill did to the position.
enum class PositionAction { Opened, Increased, Reduced, Closed, Flipped };

constexpr std::string_view to_string(PositionAction action) noexcept {
  switch (action) {
    case PositionAction::Opened: return "OPENED";
    case PositionAction::Increased: return "INCREASED";
    case PositionAction::Reduced: return "REDUCED";
    case PositionAction::Closed: return "CLOSED";
    case PositionAction::Flipped: return "FLIPPED";
  }
  return "UNKNOWN";
}

struct PositionUpdate {
  PositionAction action{PositionAction::Opened};
  Decimal quantity_before{};  // signed
  Decimal quantity_after{};   // signed
  Money realized_pnl{};       // this fill's gross P&L (before fees), settlement currency; 0 when opening
  Money commission{};         // this fill's commission, as the fill reported it
};

class Position {
 public:
  static constexpr int kAvgPxExtraDigits = 4;
  static constexpr int kInverseCostExtraDigits = 4;

  // A flat position. Its id is "<instrument id>-<account id>".
  Position(const Instrument& instrument, const core::AccountId& account_id);

  // Applies a fill of this instrument and account. Errors (nothing changes): another instrument or
  // account, a non-positive quantity or price, arithmetic overflow.
  core::Result<PositionUpdate> apply(const Fill& fill);

  const core::PositionId& id() const noexcept { return id_; }
  const core::InstrumentId& instrument_id() const noexcept { return instrument_id_; }
  const core::AccountId& account_id() const noexcept { return account_id_; }
  const Currency& settlement_currency() const noexcept { return settlement_; }
  bool is_inverse() const noexcept { return is_inverse_; }

  PositionSide side() const noexcept;
  bool is_flat() const noexcept { return quantity_.is_zero(); }
  bool is_long() const noexcept { return quantity_.is_positive(); }
  bool is_short() const noexcept { return quantity_.is_negative(); }
  const Decimal& quantity() const noexcept { return quantity_; }
  Quantity abs_quantity() const { return Quantity(quantity_.abs()); }
  // Largest |quantity| seen over the object's life.
  const Decimal& peak_quantity() const noexcept { return peak_quantity_; }
  // Settlement-currency value of the open quantity at entry (>= 0; 0 when flat).
  const Decimal& open_cost() const noexcept { return open_cost_; }
  // nullopt when flat.
  std::optional<Decimal> avg_px_open() const;

  // Σ per-fill realized P&L (gross) − settlement-currency fees.
  Money realized_pnl() const { return gross_realized_pnl_ - fees_paid_; }
  const Money& gross_realized_pnl() const noexcept { return gross_realized_pnl_; }
  const Money& fees_paid() const noexcept { return fees_paid_; }
  // Commissions charged in currencies other than the settlement currency, one entry per currency.
  const std::vector<Money>& other_fees() const noexcept { return other_fees_; }

  // P&L of the open quantity if it were closed at `mark` (rounded half-even to settlement precision).
  // Inverse instruments need a positive mark (a broken invariant otherwise).
  Money unrealized_pnl(const Price& mark) const;
  // realized_pnl() + unrealized_pnl(mark).
  Money total_pnl(const Price& mark) const { return realized_pnl() + unrealized_pnl(mark); }
  // |quantity| valued at `mark` in the settlement currency (see Instrument::notional).
  Money notional_value(const Price& mark) const;

  int fill_count() const noexcept { return fill_count_; }
  // When the current (or last) run away from flat began; a flip starts a new run.
  const std::optional<core::UnixNanos>& ts_opened() const noexcept { return ts_opened_; }
  // When the position last became flat; nullopt while open.
  const std::optional<core::UnixNanos>& ts_closed() const noexcept { return ts_closed_; }
  core::UnixNanos ts_last() const noexcept { return ts_last_; }
  const std::optional<Fill>& last_fill() const noexcept { return last_fill_; }

  // The event describing `update` (the result of the last apply()), with this position's state.
  PositionEvent make_event(const PositionUpdate& update, core::UnixNanos ts_init) const;

 private:
  // Settlement value of `qty` at `px`: px × qty × multiplier, or qty × multiplier / px for inverse.
  core::Result<Decimal> value_at(const Decimal& px, const Decimal& qty) const;
  Money to_money(const Decimal& amount) const;

  core::PositionId id_;
  core::InstrumentId instrument_id_;
  core::AccountId account_id_;
  Currency settlement_;
  Decimal multiplier_;
  bool is_inverse_;
  int price_precision_;

  Decimal quantity_;
  Decimal peak_quantity_;
  Decimal open_cost_;
  Money gross_realized_pnl_;
  Money fees_paid_;
  std::vector<Money> other_fees_;
  int fill_count_ = 0;
  std::optional<core::UnixNanos> ts_opened_;
  std::optional<core::UnixNanos> ts_closed_;
  core::UnixNanos ts_last_;
  std::optional<Fill> last_fill_;
};

}  // namespace ballast::model
