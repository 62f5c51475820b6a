#pragma once
// PositionSizer: how much to buy or sell. Each implementation turns a SizingContext (instrument, side,
// entry, equity, market inputs, caller limits) into a target quantity by its rule; finish_sizing() then
// applies the same steps for every rule, in this order:
//   1. a target <= 0 gives size 0 (with the rule's reason, or ZERO_TARGET);
//   2. clip to the caller's max quantity, then the instrument's max quantity, then the caller's max
//      notional (at the entry price) — each clip recorded as a SizingReason;
//   3. round DOWN (toward zero) to the instrument's step size — never more than the rule allows;
//   4. below the instrument's min quantity or min notional → size 0 with BELOW_MIN_QUANTITY /
//      BELOW_MIN_NOTIONAL (rounding up would exceed the risk budget).
//
// Units: equity and notional limits are Money in the instrument's settlement currency; quantities in
// the instrument's quantity units; notional = Instrument::notional (linear: price × qty × multiplier;
// inverse: qty × multiplier / price). Statistical inputs (volatility, win rate) are doubles from the
// analytics layer and are converted to Decimal explicitly (nearest at 10 places: double noise such as
// 0.16249999999999998 must not cost a whole step) before touching money.
// Target quantities carry the step's places + kTargetExtraDigits, truncated toward zero (truncating
// twice in the same direction equals truncating once to the step).

#include "ballast/core/decimal.hpp"
#include "ballast/core/result.hpp"
#include "ballast/model/enums.hpp"
#include "ballast/model/instrument.hpp"
#include "ballast/model/money.hpp"
#include "ballast/model/price.hpp"
#include "ballast/risk/sizing_reason.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace ballast::risk {

inline constexpr int kTargetExtraDigits = 6;

// Caller-given ceilings (absent = none).
struct SizeLimits {
  std::optional<model::Money> max_notional{};  // settlement currency, > 0
  std::optional<model::Quantity> max_quantity{};
};

struct SizingContext {
  const model::Instrument* instrument{nullptr};  // not owned; required
  model::OrderSide side{model::OrderSide::Buy};
  model::Price entry_price{};                  // > 0
  model::Money equity{};                       // > 0, settlement currency
  std::optional<model::Price> stop_price{};    // fixed-fractional: below entry for a buy, above for a sell
  std::optional<model::Price> atr{};           // ATR-stop: average true range in price units, > 0
  std::optional<double> annual_volatility{};   // volatility target: instrument's annualised volatility
  SizeLimits limits{};
};

struct SizingResult {
  model::Quantity quantity{};       // final size: on the step, within the limits; 0 = do not trade
  core::Decimal target_quantity{};  // what the rule asked for, before limits and rounding (>= 0)
  model::Money notional{};          // quantity valued at the entry price
  std::vector<SizingReason> reasons{};

  bool has(SizingReason reason) const noexcept;
};

class PositionSizer {
 public:
  virtual ~PositionSizer() = default;
  // Stable name of the rule ("FIXED_FRACTIONAL", …).
  virtual std::string_view name() const noexcept = 0;
  // Errors: a missing or invalid input the rule needs (where() names the context field).
  virtual core::Result<SizingResult> size(const SizingContext& context) const = 0;
};

// Checks the fields every rule needs: instrument set (a broken invariant otherwise), entry > 0, equity
// > 0 in the settlement currency, limits positive and in the right currency.
core::Status validate_context(const SizingContext& context);

// Steps 1–4 above on `target_quantity` (any scale), keeping `reasons` (the rule's own) first.
core::Result<SizingResult> finish_sizing(const SizingContext& context, const core::Decimal& target_quantity,
                                         std::vector<SizingReason> reasons);

// Quantity whose notional at `price` is `notional`, truncated toward zero at the target scale.
core::Result<core::Decimal> quantity_for_notional(const model::Instrument& instrument, const model::Price& price,
                                                  const core::Decimal& notional);

// Quantity whose loss is `risk_amount` when each unit loses `loss_per_unit`, truncated at the target scale.
core::Result<core::Decimal> quantity_for_risk(const model::Instrument& instrument, const core::Decimal& risk_amount,
                                              const core::Decimal& loss_per_unit);

// Places of target quantities for `instrument`.
int target_scale(const model::Instrument& instrument) noexcept;

// `v` (finite, >= 0) as a Decimal at `scale` places, rounded half-even; errors name `field`.
core::Result<core::Decimal> fraction_from_double(double v, int scale, std::string_view field);

}  // namespace ballast::risk
