#pragma once
// Instrument: the static definition of something tradeable — its currencies, trading rules (tick, step,
// size and notional limits), fees and margin tiers. Built only through Instrument::create(), which
// validates the whole specification and reports every problem at once.
//
// Units and conventions:
//  - Linear contracts (spot, equities, USDT-margined futures): quantity is in base units times
//    `multiplier`, prices are quote per base, notional = price × quantity × multiplier in the
//    settlement currency, which must be the quote currency.
//  - Inverse contracts (coin-margined futures): quantity is a number of contracts each worth
//    `multiplier` quote units (e.g. 100 USD), notional = quantity × multiplier / price in the
//    settlement currency, which must be the base currency. Prices must be positive.
//  - Fee rates are fractions of notional (0.0002 = 2 bp); a negative maker rate is a rebate.
//  - Margin tiers partition notional (absolute, settlement currency) into brackets
//    (notional_floor, notional_cap]; the first starts at 0 inclusive. A notional exactly on a cap belongs to
//    the lower bracket (the cap is the largest position allowed at that bracket's leverage, as venues
//    publish it). Maintenance margin in a bracket = notional × maintenance_margin_rate − maintenance_amount.

#include "ballast/core/decimal.hpp"
#include "ballast/core/ids.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/time.hpp"
#include "ballast/model/currency.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace ballast::model {

struct MarginTier {
  Decimal notional_floor{};           // exclusive lower bound (0 inclusive for the first tier)
  Decimal notional_cap{};             // inclusive upper bound
  Decimal max_leverage{};             // e.g. 125
  Decimal maintenance_margin_rate{};  // fraction of notional, e.g. 0.004
  Decimal maintenance_amount{};       // settlement-currency deduction that keeps the margin continuous

  friend bool operator==(const MarginTier&, const MarginTier&) = default;
};

// Everything Instrument::create() validates. Optional limits are absent when the venue has none.
struct InstrumentSpec {
  core::InstrumentId id{};
  InstrumentKind kind{InstrumentKind::Spot};
  Currency base_currency{};
  Currency quote_currency{};
  Currency settlement_currency{};
  bool is_inverse{false};
  Price tick_size{};
  Quantity step_size{};
  Quantity min_quantity{};
  std::optional<Quantity> max_quantity{};
  std::optional<Money> min_notional{};  // in the settlement currency
  Decimal multiplier{Decimal::from_int(1)};
  Decimal maker_fee_rate{};
  Decimal taker_fee_rate{};
  std::optional<core::UnixNanos> expiry{};  // dated futures only
  std::vector<MarginTier> margin_tiers{};   // any order; create() sorts them by notional_floor
};

class Instrument {
 public:
  // Validates `spec`; the error lists every problem found, separated by "; ". Margin tiers are sorted.
  static core::Result<Instrument> create(InstrumentSpec spec);

  const InstrumentSpec& spec() const noexcept { return spec_; }
  const core::InstrumentId& id() const noexcept { return spec_.id; }
  InstrumentKind kind() const noexcept { return spec_.kind; }
  const Currency& base_currency() const noexcept { return spec_.base_currency; }
  const Currency& quote_currency() const noexcept { return spec_.quote_currency; }
  const Currency& settlement_currency() const noexcept { return spec_.settlement_currency; }
  bool is_inverse() const noexcept { return spec_.is_inverse; }
  const Price& tick_size() const noexcept { return spec_.tick_size; }
  const Quantity& step_size() const noexcept { return spec_.step_size; }
  int price_precision() const noexcept { return spec_.tick_size.precision(); }
  int quantity_precision() const noexcept { return spec_.step_size.precision(); }
  const Quantity& min_quantity() const noexcept { return spec_.min_quantity; }
  const std::optional<Quantity>& max_quantity() const noexcept { return spec_.max_quantity; }
  const std::optional<Money>& min_notional() const noexcept { return spec_.min_notional; }
  const Decimal& multiplier() const noexcept { return spec_.multiplier; }
  const Decimal& maker_fee_rate() const noexcept { return spec_.maker_fee_rate; }
  const Decimal& taker_fee_rate() const noexcept { return spec_.taker_fee_rate; }
  const Decimal& fee_rate(LiquiditySide liquidity) const noexcept {
    return liquidity == LiquiditySide::Maker ? spec_.maker_fee_rate : spec_.taker_fee_rate;
  }
  const std::optional<core::UnixNanos>& expiry() const noexcept { return spec_.expiry; }
  // True once `now` has reached the expiry of a dated future; never for undated instruments.
  bool is_expired_at(core::UnixNanos now) const noexcept { return spec_.expiry && now >= *spec_.expiry; }
  const std::vector<MarginTier>& margin_tiers() const noexcept { return spec_.margin_tiers; }

  // Notional of `quantity` at `price` in the settlement currency, rounded once with `mode` to the
  // currency's precision (linear: price × quantity × multiplier; inverse: quantity × multiplier / price).
  // An inverse notional at a non-positive price, or an amount beyond the fixed-point range, is a broken
  // invariant (prices are validated when orders and fills enter the system).
  Money notional(const Price& price, const Quantity& quantity, RoundingMode mode = RoundingMode::HalfEven) const;
  // notional × fee rate for the liquidity side, rounded once toward +∞ to the settlement precision
  // (a fee is never understated and a rebate never overstated).
  Money commission(const Price& price, const Quantity& quantity, LiquiditySide liquidity) const;

  // The tier whose bracket holds `notional` (>= 0, settlement currency). NotFound without tiers,
  // OutOfRange above the last cap, InvalidArgument for a negative notional.
  core::Result<MarginTier> margin_tier_for(const Decimal& notional) const;
  // |notional| × rate − amount of its tier, rounded toward +∞ to the settlement precision.
  core::Result<Money> maintenance_margin(const Money& notional) const;
  // The same amount for a notional already in the settlement currency (the risk monitor's per-mark
  // path: no Money, no tier copy); nullopt for a negative notional, no tiers, a notional beyond the last
  // cap, or an amount outside the fixed-point range.
  std::optional<Decimal> maintenance_margin_amount(const Decimal& notional) const noexcept;

  core::Result<Price> round_price(const Price& price, RoundingMode mode) const;
  core::Result<Quantity> round_quantity(const Quantity& quantity, RoundingMode mode) const;
  // Ok when the value is an exact multiple of the tick (step); otherwise an InvalidArgument error
  // located at "price" ("quantity") that names the value, the increment and the instrument.
  core::Status check_price_on_tick(const Price& price) const;
  core::Status check_quantity_on_step(const Quantity& quantity) const;
  // min_quantity <= quantity <= max_quantity (when set); OutOfRange otherwise.
  core::Status check_quantity_limits(const Quantity& quantity) const;
  // notional(price, quantity) >= min_notional (when set); OutOfRange otherwise.
  core::Status check_min_notional(const Price& price, const Quantity& quantity) const;

 private:
  explicit Instrument(InstrumentSpec spec) : spec_(std::move(spec)) {}

  InstrumentSpec spec_;
};

}  // namespace ballast::model
